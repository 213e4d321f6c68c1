//! `copcat new <kind-dir>/<slug> --translate <code>`: starts a translation beside its
//! original (spec §9), holding the original's title and summary to translate and its text
//! in a comment, which is never published.

use super::{create_new, toml_string};
use crate::config::{self, Config};
use crate::content::{self, ContentFile, PAGES_DIR, Section};
use crate::diagnostic;
use crate::error::Error;
use std::path::{Path, PathBuf};

/// Creates `content/<dir>/<slug>.<language>.md` from the original `id` (`roles/a`,
/// `pages/about`, `_index`), and returns its path.
pub fn new_translation(root: &Path, id: &str, language: &str) -> Result<PathBuf, Error> {
    let mut diagnostics = Vec::new();
    let Some(config) = config::load(root, None, &mut diagnostics)? else {
        eprint!("{}", diagnostic::format_human(&diagnostics));
        return Err(Error::Usage("fix catalog.toml before starting a translation".to_string()));
    };
    check_language(&config, language)?;
    let id = id.trim_start_matches("content/").trim_start_matches("@/");
    let id = content::link_path_to_id(id.trim_end_matches('/'));
    let original = find_original(root, &config, id)?;
    let mut problems = Vec::new();
    let Some(document) = content::load_file(&original, &config, None, &mut problems) else {
        eprint!("{}", diagnostic::format_human(&problems));
        return Err(Error::Usage(format!("fix {} before translating it", original.relative)));
    };
    let path = original.path.with_file_name(format!(
        "{}.{language}.md",
        if original.section == Section::Home { "_index" } else { original.slug.as_str() }
    ));
    create_new(&path, &scaffold(&document, &original.relative, language))?;
    Ok(path)
}

fn check_language(config: &Config, language: &str) -> Result<(), Error> {
    let others: Vec<&str> = config.languages.iter().skip(1).map(|other| other.code.as_str()).collect();
    if others.contains(&language) {
        return Ok(());
    }
    let main = &config.main_language().code;
    Err(Error::Usage(if language == main {
        format!("\"{language}\" is the catalog's own language; translations go into the others")
    } else if others.is_empty() {
        format!(
            "the catalog is published only in \"{main}\": add [languages.{language}] to catalog.toml first"
        )
    } else {
        format!(
            "the catalog is not published in \"{language}\" (it is in: {}); add [languages.{language}] to catalog.toml",
            others.join(", ")
        )
    }))
}

/// The original's file for an id, as content discovery would find it.
fn find_original(root: &Path, config: &Config, id: &str) -> Result<ContentFile, Error> {
    let (section, dir, slug) = if id == "_index" {
        (Section::Home, String::new(), String::new())
    } else {
        let Some((dir, slug)) = id.split_once('/') else {
            return Err(Error::Usage(format!(
                "name what to translate as <kind-dir>/<slug>, pages/<slug> or _index, not \"{id}\""
            )));
        };
        let section = if dir == PAGES_DIR {
            Section::Page
        } else {
            match config.kinds.iter().position(|kind| kind.dir == dir) {
                Some(index) => Section::Kind(index),
                None => return Err(Error::Usage(format!("no kind uses the folder \"{dir}\""))),
            }
        };
        (section, dir.to_string(), slug.to_string())
    };
    let stem = if section == Section::Home { "_index" } else { slug.as_str() };
    for extension in ["md", "toml"] {
        let relative = if dir.is_empty() {
            format!("content/{stem}.{extension}")
        } else {
            format!("content/{dir}/{stem}.{extension}")
        };
        let path = root.join(&relative);
        if path.is_file() {
            return Ok(ContentFile { path, relative, section, slug, language: None });
        }
    }
    Err(Error::Usage(format!("there is no content/{id}.md or .toml to translate")))
}

/// The translation's text: the original's title and summary to translate, and its body in
/// a comment below.
fn scaffold(original: &content::Document, file: &str, language: &str) -> String {
    let mut text = String::from("+++\n");
    text.push_str(&format!(
        "# The \"{language}\" translation of {file}: translate the title, the summary and the text\n\
         # below. Its stages, terms, related entries, sources, dates and draft state come from\n\
         # the original.\n"
    ));
    text.push_str(&format!("title = {}\n", toml_string(&original.title)));
    if !original.summary.is_empty() || original.kind().is_some() {
        text.push_str(&format!("summary = {}\n", toml_string(&original.summary)));
    }
    text.push_str("+++\n\n");
    // The comment stays an editor's note however the original's text ends: `-->` inside it
    // would close it early.
    let body = original.body.trim().replace("-->", "-- >");
    if !body.is_empty() {
        text.push_str("<!-- The original text, to translate (delete this comment when done; it is never\npublished):\n\n");
        text.push_str(&body);
        text.push_str("\n-->\n");
    }
    text
}
