//! Loading `content/` and `sources.toml`: discovery, front matter, fields and links.

pub mod aliases;
pub(crate) mod document;
pub mod frontmatter;
mod links;
pub mod sources;
pub mod translations;
mod vocabulary;
pub use aliases::Alias;
pub use document::{AliasesEnd, Document, Editorial, ExternalLink, Link, Section, Spans, Translation};
pub use links::check_links;
pub use sources::Source;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Position, suggestion_help};
use crate::error::Error;
use crate::slug::{is_valid_slug, suggest_slug};
use crate::walk;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// The folder of free pages under `content/`.
pub const PAGES_DIR: &str = "pages";

/// Everything under `content/`, plus the bibliography.
#[derive(Debug, Default, Clone)]
pub struct Content {
    /// `content/_index.md`, if present.
    pub home: Option<Document>,
    /// Entries and pages, sorted by id (drafts included: the catalog decides).
    pub documents: Vec<Document>,
    /// Translations (`<slug>.<code>.md`, spec §9), sorted by file.
    pub translations: Vec<Document>,
    pub sources: BTreeMap<String, Source>,
}

/// One file found under `content/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentFile {
    pub path: PathBuf,
    /// Relative to the catalog root, with `/` (e.g. `content/roles/a.md`).
    pub relative: String,
    pub section: Section,
    pub slug: String,
    /// The language of a translation (`a.fr.md`); `None` for an original.
    pub language: Option<String>,
}

impl ContentFile {
    /// The id of the document this file holds (`roles/a`, `_index`), whether or not it parses.
    pub fn id(&self) -> &str {
        let path = self.relative.strip_prefix("content/").unwrap_or(&self.relative);
        link_path_to_id(path)
    }
}

pub fn load(root: &Path, config: &Config, diagnostics: &mut Vec<Diagnostic>) -> Result<Content, Error> {
    let sources = sources::load(root, diagnostics)?;
    let found = discover(root, config, diagnostics)?;
    let loaded: Vec<(Option<Document>, Vec<Diagnostic>)> = found
        .par_iter()
        .map(|file| {
            let mut problems = Vec::new();
            let document = load_file(file, config, sources.as_ref(), &mut problems);
            (document, problems)
        })
        .collect();
    let mut content = Content { sources: sources.unwrap_or_default(), ..Content::default() };
    for (document, problems) in loaded {
        diagnostics.extend(problems);
        match document {
            Some(document) if document.translation.is_some() => content.translations.push(document),
            Some(document) if document.section == Section::Home => content.home = Some(document),
            Some(document) => content.documents.push(document),
            None => {}
        }
    }
    content.documents.sort_by(|a, b| a.id.cmp(&b.id));
    content.translations.sort_by(|a, b| a.file.cmp(&b.file));
    check_links(&content, &found, diagnostics);
    translations::check(&content, config, diagnostics);
    Ok(content)
}

/// Reads and parses one file found by `discover`; `None` if it is too broken to use.
pub fn load_file(
    file: &ContentFile,
    config: &Config,
    sources: Option<&BTreeMap<String, Source>>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Document> {
    match std::fs::read(&file.path) {
        Ok(bytes) => document::parse_as(
            bytes,
            &file.relative,
            (file.section.clone(), &file.slug, file.language.as_deref()),
            config,
            sources,
            diagnostics,
        ),
        Err(error) => {
            diagnostics.push(Diagnostic::error(
                &file.relative,
                Position::START,
                format!("cannot read the file: {error}"),
            ));
            None
        }
    }
}

/// The files found in one folder of `content/`, and the problems with them.
type FoundIn = (Vec<ContentFile>, Vec<Diagnostic>);

/// Finds entry files in a deterministic order, reporting misplaced and clashing files.
pub fn discover(
    root: &Path,
    config: &Config,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Vec<ContentFile>, Error> {
    let content_dir = root.join("content");
    let walker = walk::Walker::new(root)?;
    if walker.kind(&content_dir, diagnostics) != Some(walk::Kind::Folder) {
        diagnostics.push(
            Diagnostic::error("content", Position::START, "there is no content/ folder")
                .with_help("create content/ with a folder per kind, e.g. content/roles/"),
        );
        return Ok(Vec::new());
    }
    let mut dirs: Vec<&str> = config.kinds.iter().map(|kind| kind.dir.as_str()).collect();
    dirs.push(PAGES_DIR);
    // The top level in name order; each folder in it is walked and checked on a core of
    // its own (ids are `<folder>/<slug>`, so clashes are within one folder).
    let top = walker.children(&content_dir, walk::content_name, diagnostics)?;
    let checked: Vec<Result<FoundIn, Error>> = top
        .par_iter()
        .map(|(name, top_path, kind)| {
            let mut problems = Vec::new();
            let files = top_level_files(&walker, name, top_path, *kind, &mut problems)?;
            let (found, mut checks) = check_files(files, config, &dirs);
            problems.append(&mut checks);
            Ok((found, problems))
        })
        .collect();
    let mut found = Vec::new();
    for result in checked {
        let (mut files, problems) = result?;
        found.append(&mut files);
        diagnostics.extend(problems);
    }
    Ok(found)
}

/// The files under one top-level entry of `content/` (itself, if it is a file), each as its
/// path's parts below `content/`, folder by folder in name order. Links are followed only
/// inside the catalog (see `walk`); the others are reported in `problems`.
fn top_level_files(
    walker: &walk::Walker,
    name: &str,
    top_path: &Path,
    kind: walk::Kind,
    problems: &mut Vec<Diagnostic>,
) -> Result<Vec<(Vec<String>, PathBuf)>, Error> {
    if kind == walk::Kind::File {
        return Ok(vec![(vec![name.to_string()], top_path.to_path_buf())]);
    }
    let files = walker.files(top_path, walk::content_name, problems)?;
    Ok(files
        .into_iter()
        .map(|file| {
            let mut parts = Vec::with_capacity(file.parts.len() + 1);
            parts.push(name.to_string());
            parts.extend(file.parts);
            (parts, file.path)
        })
        .collect())
}

/// Sorts one top-level entry's files into entries, pages and the home page, reporting
/// misplaced files, unknown folders, invalid slugs and ids defined twice.
fn check_files(files: Vec<(Vec<String>, PathBuf)>, config: &Config, dirs: &[&str]) -> FoundIn {
    let mut found = Vec::new();
    let mut problems = Vec::new();
    let mut seen: HashMap<String, String> = HashMap::new();
    for (parts, path) in files {
        let relative = format!("content/{}", parts.join("/"));
        let file_name = parts.last().cloned().unwrap_or_default();
        let (stem, extension) = match file_name.rsplit_once('.') {
            Some((stem, extension)) => (stem.to_string(), extension.to_string()),
            None => (file_name.clone(), String::new()),
        };
        if extension != "md" && extension != "toml" {
            continue;
        }
        let (stem, language) = match language_of(&stem, config) {
            Ok(split) => split,
            Err(problem) => {
                problems.push(problem.at(&relative));
                continue;
            }
        };
        if parts.len() == 1 {
            if stem == "_index" && extension == "md" {
                let section = Section::Home;
                found.push(ContentFile { path, relative, section, slug: String::new(), language });
            } else {
                problems.push(
                    Diagnostic::error(&relative, Position::START, "entries must be inside a kind's folder")
                        .with_help(format!("move it into one of: content/{}/", dirs.join("/, content/"))),
                );
            }
            continue;
        }
        let dir = &parts[0];
        let section = if dir == PAGES_DIR {
            Section::Page
        } else if let Some(index) = config.kinds.iter().position(|kind| &kind.dir == dir) {
            Section::Kind(index)
        } else {
            problems.push(
                Diagnostic::error(&relative, Position::START, format!("no kind uses the folder \"{dir}\""))
                    .maybe_help(suggestion_help(dir, "folders", dirs)),
            );
            continue;
        };
        if parts.len() > 2 {
            problems.push(
                Diagnostic::error(&relative, Position::START, "entries cannot be in sub-folders")
                    .with_help(format!("move it to content/{dir}/{file_name}")),
            );
            continue;
        }
        if !is_valid_slug(&stem) {
            let mut help = "file names use lowercase letters, digits and single hyphens".to_string();
            if let Some(fixed) = suggest_slug(&stem) {
                help.push_str(&format!("; rename it to \"{fixed}.{extension}\""));
            }
            problems.push(
                Diagnostic::error(&relative, Position::START, format!("invalid slug \"{stem}\""))
                    .with_help(help),
            );
            continue;
        }
        let id = match &language {
            Some(code) => format!("{dir}/{stem}.{code}"),
            None => format!("{dir}/{stem}"),
        };
        if let Some(other) = seen.get(&id) {
            problems.push(
                Diagnostic::error(
                    &relative,
                    Position::START,
                    format!("\"{id}\" is defined twice, also by {other}"),
                )
                .with_help("keep only one of the .md and .toml files"),
            );
            continue;
        }
        seen.insert(id, relative.clone());
        found.push(ContentFile { path, relative, section, slug: stem, language });
    }
    (found, problems)
}

/// A problem with a file's name, before the file is known.
struct NameProblem {
    message: String,
    help: String,
}

impl NameProblem {
    fn at(self, file: &str) -> Diagnostic {
        Diagnostic::error(file, Position::START, self.message).with_help(self.help)
    }
}

/// Splits a file's stem into the original's stem and the language of a translation
/// (`safety-huddle.fr` → `safety-huddle`, `fr`); a stem with no language part is an original.
/// A language part that names no language the catalog is published in is a problem.
fn language_of(stem: &str, config: &Config) -> Result<(String, Option<String>), NameProblem> {
    let Some((original, code)) =
        stem.rsplit_once('.').filter(|(_, code)| crate::config::is_language_tag(code))
    else {
        return Ok((stem.to_string(), None));
    };
    if config.languages.iter().skip(1).any(|language| language.code == code) {
        return Ok((original.to_string(), Some(code.to_string())));
    }
    let main = &config.main_language().code;
    Err(if code == main {
        NameProblem {
            message: format!("\"{code}\" is the catalog's own language"),
            help: format!(
                "the original is the file without a language part: rename it to \"{original}\" + its extension"
            ),
        }
    } else {
        NameProblem {
            message: format!("a translation into \"{code}\", which catalog.toml does not publish"),
            help: format!("add [languages.{code}] to catalog.toml (with title = \"…\"), or remove the file"),
        }
    })
}

/// Resolves an `@/` path (`roles/a.md`, `roles/a`, `_index.md`) to a document id.
pub fn link_path_to_id(path: &str) -> &str {
    path.strip_suffix(".md").or_else(|| path.strip_suffix(".toml")).unwrap_or(path)
}
