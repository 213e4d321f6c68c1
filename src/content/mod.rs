//! Loading `content/` and `sources.toml`: discovery, front matter, fields and links.

pub(crate) mod document;
pub mod frontmatter;
pub mod sources;

pub use document::{Document, Section};
pub use sources::Source;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Position, suggestion_help};
use crate::error::Error;
use crate::slug::{is_valid_slug, suggest_slug};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// Front-matter fields of a kind's entries besides the taxonomy ids.
pub const ENTRY_FIELDS: &[&str] =
    &["title", "summary", "stages", "related", "sources", "updated", "draft", "weight"];

/// The folder of free pages under `content/`.
pub const PAGES_DIR: &str = "pages";

/// Everything under `content/`, plus the bibliography.
#[derive(Debug, Default, Clone)]
pub struct Content {
    /// `content/_index.md`, if present.
    pub home: Option<Document>,
    /// Entries and pages, sorted by id (drafts included: the catalog decides).
    pub documents: Vec<Document>,
    pub sources: BTreeMap<String, Source>,
}

/// One file found under `content/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub path: PathBuf,
    /// Relative to the catalog root, with `/` (e.g. `content/roles/a.md`).
    pub relative: String,
    pub section: Section,
    pub slug: String,
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
            Some(document) if document.section == Section::Home => content.home = Some(document),
            Some(document) => content.documents.push(document),
            None => {}
        }
    }
    content.documents.sort_by(|a, b| a.id.cmp(&b.id));
    check_links(&content, diagnostics);
    Ok(content)
}

/// Reads and parses one file found by `discover`; `None` if it is too broken to use.
pub fn load_file(
    file: &Found,
    config: &Config,
    sources: Option<&BTreeMap<String, Source>>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Document> {
    match std::fs::read(&file.path) {
        Ok(bytes) => document::parse(
            bytes,
            &file.relative,
            file.section.clone(),
            &file.slug,
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
type FoundIn = (Vec<Found>, Vec<Diagnostic>);

/// Finds entry files in a deterministic order, reporting misplaced and clashing files.
pub fn discover(
    root: &Path,
    config: &Config,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Vec<Found>, Error> {
    let content_dir = root.join("content");
    if !content_dir.is_dir() {
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
    let read_error = |source| Error::io(&content_dir, source);
    let mut top: Vec<(String, PathBuf, bool)> = Vec::new();
    for item in std::fs::read_dir(&content_dir).map_err(read_error)? {
        let item = item.map_err(read_error)?;
        let name = item.file_name().to_string_lossy().into_owned();
        let file_type = item.file_type().map_err(read_error)?;
        if !name.starts_with('.') && (file_type.is_dir() || file_type.is_file()) {
            top.push((name, item.path(), file_type.is_dir()));
        }
    }
    top.sort();
    let checked: Vec<Result<FoundIn, Error>> = top
        .par_iter()
        .map(|(name, top_path, is_dir)| {
            Ok(check_files(top_level_files(name, top_path, *is_dir)?, config, &dirs))
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
/// path's parts below `content/`, folder by folder in name order.
fn top_level_files(name: &str, top_path: &Path, is_dir: bool) -> Result<Vec<(Vec<String>, PathBuf)>, Error> {
    let mut files = Vec::new();
    if is_dir {
        let walker = walkdir::WalkDir::new(top_path).min_depth(1).into_iter().filter_entry(|entry| {
            entry.depth() == 0 || !entry.file_name().to_string_lossy().starts_with('.')
        });
        for item in walker {
            let item = item.map_err(|error| {
                let path = error.path().unwrap_or(top_path).to_path_buf();
                Error::io(&path, error.into())
            })?;
            if !item.file_type().is_file() {
                continue;
            }
            let below = item.path().strip_prefix(top_path).unwrap_or(item.path());
            let mut parts = vec![name.to_string()];
            parts.extend(below.components().map(|part| part.as_os_str().to_string_lossy().into_owned()));
            files.push((parts, item.into_path()));
        }
        // By name, folder by folder (sorted once here, not while walking).
        files.sort_unstable_by(|(a, _), (b, _)| a.cmp(b));
    } else {
        files.push((vec![name.to_string()], top_path.to_path_buf()));
    }
    Ok(files)
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
        if parts.len() == 1 {
            if file_name == "_index.md" {
                found.push(Found { path, relative, section: Section::Home, slug: String::new() });
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
        let id = format!("{dir}/{stem}");
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
        found.push(Found { path, relative, section, slug: stem });
    }
    (found, problems)
}

/// Resolves an `@/` path (`roles/a.md`, `roles/a`, `_index.md`) to a document id.
pub fn link_path_to_id(path: &str) -> &str {
    path.strip_suffix(".md").or_else(|| path.strip_suffix(".toml")).unwrap_or(path)
}

/// Checks `related` targets and `@/` links (and their anchors) against the loaded documents.
pub fn check_links(content: &Content, diagnostics: &mut Vec<Diagnostic>) {
    let by_id: HashMap<&str, &Document> = content.documents.iter().map(|d| (d.id.as_str(), d)).collect();
    let entry_ids: Vec<&str> = content
        .documents
        .iter()
        .filter(|d| matches!(d.section, Section::Kind(_)))
        .map(|d| d.id.as_str())
        .collect();
    let all_paths: Vec<String> = content.documents.iter().map(|d| format!("{}.md", d.id)).collect();
    let all_paths: Vec<&str> = all_paths.iter().map(String::as_str).collect();
    for document in content.documents.iter().chain(content.home.iter()) {
        for (target, position) in &document.related {
            let problem = if target == &document.id {
                Some(("an entry cannot be related to itself".to_string(), None))
            } else {
                match by_id.get(target.as_str()) {
                    Some(other) if matches!(other.section, Section::Kind(_)) => None,
                    Some(_) => Some((format!("\"{target}\" is a free page, not an entry"), None)),
                    None => Some((
                        format!("related entry \"{target}\" does not exist"),
                        suggestion_help(target, "entries", &nearest(target, &entry_ids)),
                    )),
                }
            };
            if let Some((message, help)) = problem {
                diagnostics.push(Diagnostic::error(&document.file, *position, message).maybe_help(help));
            }
        }
        for link in &document.links {
            let id = link_path_to_id(&link.path);
            let anchors: Option<Vec<&str>> = if id == "_index" {
                content.home.as_ref().map(|home| home.headings.iter().map(|h| h.id.as_str()).collect())
            } else {
                by_id.get(id).map(|target| target.headings.iter().map(|h| h.id.as_str()).collect())
            };
            match anchors {
                None => diagnostics.push(
                    Diagnostic::error(
                        &document.file,
                        link.position,
                        format!("link to \"@/{}\": no such file", link.path),
                    )
                    .maybe_help(suggestion_help(
                        &link.path,
                        "targets",
                        &nearest(&link.path, &all_paths),
                    )),
                ),
                Some(anchors) => {
                    if let Some(anchor) = &link.anchor
                        && !anchors.contains(&anchor.as_str())
                    {
                        let help = if anchors.is_empty() {
                            Some(format!("\"@/{}\" has no headings", link.path))
                        } else {
                            suggestion_help(anchor, "anchors", &anchors)
                        };
                        diagnostics.push(
                            Diagnostic::error(
                                &document.file,
                                link.position,
                                format!(
                                    "link to \"@/{}#{anchor}\": no heading with id \"{anchor}\"",
                                    link.path
                                ),
                            )
                            .maybe_help(help),
                        );
                    }
                }
            }
        }
    }
}

/// The candidates sorted nearest first, so that long lists show the likely ones.
fn nearest<'a>(word: &str, candidates: &[&'a str]) -> Vec<&'a str> {
    let mut sorted: Vec<&str> = candidates.to_vec();
    sorted.sort_by_key(|candidate| (crate::diagnostic::edit_distance(word, candidate), *candidate));
    sorted
}
