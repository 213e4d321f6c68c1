//! `copcat new` and `copcat init`: scaffolds that pass `copcat check` as written, and that
//! never overwrite an editor's file: entries, translations (`translation`), interface
//! strings (`strings`) and whole catalogs.

mod strings;
mod translation;
pub use strings::new_strings;
pub use translation::new_translation;

use crate::config::{self, Config};
use crate::content::PAGES_DIR;
use crate::diagnostic;
use crate::error::Error;
use crate::slug::{LONGEST_MADE, is_valid_slug, shorten, slugify, suggest_slug};
use crate::toml_fields::Date;
use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `path` only if nothing is there yet.
fn create_new(path: &Path, text: &str) -> Result<(), Error> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|source| Error::io(parent, source))?;
    }
    let mut file = OpenOptions::new().write(true).create_new(true).open(path).map_err(|source| {
        if source.kind() == std::io::ErrorKind::AlreadyExists {
            Error::Usage(format!("{} already exists; copcat never overwrites a file", path.display()))
        } else {
            Error::io(path, source)
        }
    })?;
    file.write_all(text.as_bytes()).map_err(|source| Error::io(path, source))
}

fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// Creates `content/<dir>/<slug>.md` for a new entry of `kind` (a kind id, its folder, or
/// `page`), and returns its path. Its slug is `slug`, or else made from the title (at most
/// `slug::LONGEST_MADE` bytes of it).
pub fn new_entry(root: &Path, kind: &str, title: &str, slug: Option<&str>) -> Result<PathBuf, Error> {
    let mut diagnostics = Vec::new();
    let config = config::load(root, None, &mut diagnostics)?;
    let Some(config) = config else {
        eprint!("{}", diagnostic::format_human(&diagnostics));
        return Err(Error::Usage("fix catalog.toml before adding entries".to_string()));
    };
    let slug = match slug {
        Some(slug) if is_valid_slug(slug) => slug.to_string(),
        Some(slug) => {
            let instead =
                suggest_slug(slug).map(|fixed| format!(", e.g. --slug {fixed}")).unwrap_or_default();
            return Err(Error::Usage(format!(
                "--slug {slug:?} is not a slug: a file name is lowercase letters a-z, digits and single \
                 hyphens between them{instead}"
            )));
        }
        None => shorten(&slugify(title), LONGEST_MADE).to_string(),
    };
    if slug.is_empty() {
        return Err(Error::Usage(format!(
            "cannot make a file name from the title {title:?}: a file name is lowercase letters a-z, \
             digits and hyphens; give one with --slug, e.g. --slug knowledge-broker"
        )));
    }
    let (dir, text) = if kind == "page" || kind == PAGES_DIR {
        (PAGES_DIR.to_string(), page_scaffold(title))
    } else {
        let Some(found) = config.kinds.iter().find(|k| k.id == kind || k.dir == kind) else {
            let mut valid: Vec<&str> = config.kinds.iter().map(|k| k.id.as_str()).collect();
            valid.push("page");
            let help = diagnostic::suggestion_help(kind, "kinds", &valid).unwrap_or_default();
            return Err(Error::Usage(format!("unknown kind \"{kind}\"; {help}")));
        };
        (found.dir.clone(), entry_scaffold(&config, title))
    };
    for extension in ["md", "toml"] {
        let existing = root.join("content").join(&dir).join(format!("{slug}.{extension}"));
        if existing.exists() {
            return Err(Error::Usage(format!(
                "{} already exists; copcat never overwrites a file (choose another title)",
                existing.display()
            )));
        }
    }
    let path = root.join("content").join(dir).join(format!("{slug}.md"));
    create_new(&path, &text)?;
    Ok(path)
}

fn entry_scaffold(config: &Config, title: &str) -> String {
    let stage_ids: Vec<&str> = config.stages.iter().map(|stage| stage.id.as_str()).collect();
    let mut text = String::from("+++\n");
    text.push_str(&format!("title = {}\n", toml_string(title)));
    text.push_str(&format!(
        "summary = {}\n",
        toml_string(&format!("{title}: one sentence, shown in lists, search results and previews."))
    ));
    text.push_str(&format!("# stages (at least one): {}\n", stage_ids.join(", ")));
    text.push_str(&format!("stages = [{}]\n", toml_string(stage_ids[0])));
    for taxonomy in &config.taxonomies {
        let terms: Vec<&str> = taxonomy.terms.iter().map(|term| term.id.as_str()).collect();
        text.push_str(&format!("# {} terms: {}\n", taxonomy.name.to_lowercase(), terms.join(", ")));
        text.push_str(&format!("{} = []\n", taxonomy.id));
    }
    let dirs: Vec<&str> = config.kinds.iter().map(|kind| kind.dir.as_str()).collect();
    text.push_str(&format!(
        "# related entries, as \"<folder>/<slug>\" with folder one of: {}\n",
        dirs.join(", ")
    ));
    text.push_str("related = []\n# keys of sources.toml this entry cites\nsources = []\n");
    text.push_str(&format!("updated = {}\n", Date::today()));
    text.push_str("# set draft = false to publish\ndraft = true\n+++\n\n");
    text.push_str(
        "Say in two or three sentences what this is and who it is for.\n\n\
         ## Why it matters\n\nExplain what it changes for a learning health system.\n\n\
         ## What it takes\n\nPeople, time, money and support.\n\n\
         ## Signs it is working\n\nWhat a leader can look for.\n",
    );
    text
}

fn page_scaffold(title: &str) -> String {
    format!(
        "+++\ntitle = {}\nupdated = {}\n# set draft = false to publish\ndraft = true\n+++\n\nWrite the page here.\n",
        toml_string(title),
        Date::today()
    )
}

/// The files of a new catalog, relative to its folder.
const INIT_FILES: &[(&str, &str)] = &[
    ("catalog.toml", include_str!("init/catalog.toml")),
    ("sources.toml", include_str!("init/sources.toml")),
    ("content/_index.md", include_str!("init/_index.md")),
    ("content/roles/knowledge-broker.md", include_str!("init/knowledge-broker.md")),
    ("content/guidance/fund-a-facilitator.md", include_str!("init/fund-a-facilitator.md")),
    ("content/pages/about.md", include_str!("init/about.md")),
    // The site, and what builds keep beside it: the lock, the list of what its pages were
    // rendered from (`.public.pages`), a site being written, and the previous one being
    // removed after a build (`.public.removing-<pid>`).
    (".gitignore", "public/\n.public.*\n"),
];

/// Creates a small valid catalog in `dir`, refusing if any of its files exist.
pub fn init(dir: &Path) -> Result<(), Error> {
    for (relative, _) in INIT_FILES {
        let path = dir.join(relative);
        if path.exists() {
            return Err(Error::Usage(format!(
                "{} already exists; copcat init never overwrites files (choose an empty folder)",
                path.display()
            )));
        }
    }
    for (relative, text) in INIT_FILES {
        create_new(&dir.join(relative), text)?;
    }
    Ok(())
}
