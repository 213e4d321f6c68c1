//! `copcat mv`: renames an entry (or page) and every reference to it. The file is renamed
//! (its translations `<slug>.<lang>.md` too), every `related` value and `@/` link naming it
//! is rewritten at the exact bytes the loader found it at (anchors and everything else of
//! an editor's file left as written), and the old address becomes an alias of the moved
//! entry. The whole rename is planned in memory first; `apply` then writes each file
//! atomically (a temporary file renamed over it), so an interrupted `mv` leaves each file
//! either as it was or as it should be.

mod write;

use crate::config::{Config, is_language_tag};
use crate::content::{self, AliasesEnd, ContentFile, Document, PAGES_DIR, Section, link_path_to_id};
use crate::diagnostic::{self, Diagnostic, Position};
use crate::error::Error;
use crate::slug::is_valid_slug;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// One change to a file's text: the bytes of `range` become `text`.
#[derive(Debug, Clone)]
struct Replacement {
    range: Range<usize>,
    /// What the range must hold as the loader read it (links: their path).
    expect: Option<String>,
    text: NewText,
    /// What it does, for the report (`related "roles/a" → "roles/b"`).
    said: String,
    position: Position,
}

/// What replaces a range.
#[derive(Debug, Clone)]
enum NewText {
    Text(String),
    /// A `related` value naming this id, in the quotes the old one was written with.
    Related(String),
}

/// What `mv` does to one file.
#[derive(Debug)]
pub struct FileChange {
    /// Relative to the catalog root (`content/roles/a.md`).
    pub from: String,
    /// Where it ends up (the same as `from` but for the moved files).
    pub to: String,
    /// Its new text.
    pub text: String,
    /// One line per change, for the report.
    pub report: Vec<String>,
}

/// The whole rename, planned: apply it with `apply`.
#[derive(Debug)]
pub struct Plan {
    pub from: String,
    pub to: String,
    pub files: Vec<FileChange>,
}

/// Plans moving the entry or page `from` (`roles/a`) to `to` (`roles/b`) in the catalog at
/// `root`. Nothing is written. A catalog with errors is refused (its diagnostics returned
/// in `diagnostics`, then `Error::Invalid`), and so is a target that exists.
pub fn plan(root: &Path, from: &str, to: &str, diagnostics: &mut Vec<Diagnostic>) -> Result<Plan, Error> {
    let (from, to) = (link_path_to_id(from.trim_matches('/')), link_path_to_id(to.trim_matches('/')));
    let options = crate::LoadOptions { drafts: true, base_url: None };
    let Some(catalog) = crate::load_catalog(root, &options, diagnostics)? else {
        return Err(Error::Invalid);
    };
    let translations = translations(root, &catalog.config)?;
    // Translation files are not loaded yet (languages are coming): their names are not
    // errors for `mv`, which renames and rewrites them too.
    diagnostics.retain(|problem| !translations.iter().any(|file| file.relative == problem.file));
    if diagnostic::has_errors(diagnostics) {
        return Err(Error::Invalid);
    }
    let documents: Vec<&Document> =
        catalog.entries.iter().chain(&catalog.pages).chain(catalog.home.iter()).collect();
    let moved = documents
        .iter()
        .find(|document| document.id == from && document.section != Section::Home)
        .ok_or_else(|| {
            Error::Usage(format!("there is no entry or page \"{from}\" (write <kind-dir>/<slug>)"))
        })?;
    check_target(root, &catalog.config, moved, to, &documents)?;

    let mut changes: BTreeMap<String, (String, Vec<Replacement>)> = BTreeMap::new();
    for document in &documents {
        let found = references(document, from, to);
        if !found.is_empty() {
            changes
                .entry(document.file.clone())
                .or_insert_with(|| (document.file.clone(), Vec::new()))
                .1
                .extend(found);
        }
    }
    for file in &translations {
        let mut ignored = Vec::new();
        let Some(document) = content::load_file(file, &catalog.config, Some(&catalog.sources), &mut ignored)
        else {
            continue;
        };
        let found = references(&document, from, to);
        let renamed = renamed_translation(file, moved, to);
        if !found.is_empty() || renamed.is_some() {
            let target = renamed.unwrap_or_else(|| file.relative.clone());
            changes.insert(file.relative.clone(), (target, found));
        }
    }
    let own = changes.entry(moved.file.clone()).or_insert_with(|| (String::new(), Vec::new()));
    own.0 = moved_path(&moved.file, to);
    let text = read(root, &moved.file)?;
    own.1.push(alias_insertion(moved, &text, from));

    let mut files = Vec::new();
    for (file, (target, replacements)) in changes {
        let text = read(root, &file)?;
        files.push(rewrite(file, target, &text, replacements)?);
    }
    Ok(Plan { from: from.to_string(), to: to.to_string(), files })
}

/// Writes the plan: see `write::apply`. Returns the report's lines.
pub fn apply(root: &Path, plan: &Plan) -> Result<Vec<String>, Error> {
    write::apply(root, plan)?;
    let mut lines = Vec::new();
    for file in &plan.files {
        if file.from != file.to {
            lines.push(format!("renamed {} → {}", file.from, file.to));
        }
        lines.extend(file.report.iter().cloned());
    }
    lines.push(format!(
        "moved {} to {}: {} changed; its old address now redirects to it",
        plan.from,
        plan.to,
        match plan.files.len() {
            1 => "1 file".to_string(),
            count => format!("{count} files"),
        }
    ));
    Ok(lines)
}

fn read(root: &Path, file: &str) -> Result<String, Error> {
    let path = root.join(file);
    std::fs::read_to_string(&path).map_err(|source| Error::io(&path, source))
}

/// Refuses a target that is not a valid address of the same section, or that exists: as a
/// file (or a translation), or as an alias.
fn check_target(
    root: &Path,
    config: &Config,
    moved: &Document,
    to: &str,
    documents: &[&Document],
) -> Result<(), Error> {
    let (dir, slug) = to.split_once('/').unwrap_or(("", to));
    let is_kind = config.kinds.iter().any(|kind| kind.dir == dir);
    let fits = match moved.section {
        Section::Page => dir == PAGES_DIR,
        _ => is_kind,
    };
    if !fits || !is_valid_slug(slug) {
        let folders: Vec<&str> = config.kinds.iter().map(|kind| kind.dir.as_str()).collect();
        let within = if moved.section == Section::Page { PAGES_DIR.to_string() } else { folders.join(", ") };
        return Err(Error::Usage(format!(
            "\"{to}\" is not an address to move {} to: write <folder>/<slug>, the folder one of {within}, \
             the slug lowercase letters, digits and single hyphens",
            moved.id
        )));
    }
    let folder = root.join("content").join(dir);
    let taken = std::fs::read_dir(&folder)
        .map_err(|source| Error::io(&folder, source))?
        .filter_map(Result::ok)
        .map(|item| item.file_name().to_string_lossy().into_owned())
        .find(|name| name.split('.').next() == Some(slug));
    if let Some(name) = taken {
        return Err(Error::Usage(format!("content/{dir}/{name} exists; `mv` changed nothing")));
    }
    if let Some(owner) =
        documents.iter().find(|document| document.aliases.iter().any(|alias| alias.path == to))
    {
        return Err(Error::Usage(format!(
            "\"{to}\" is an alias of {}; delete that alias first if the address should change hands; \
             `mv` changed nothing",
            owner.file
        )));
    }
    Ok(())
}

/// Where the moved file goes: the same folder layout and extension, the new id.
fn moved_path(file: &str, to: &str) -> String {
    let extension = file.rsplit_once('.').map_or("md", |(_, extension)| extension);
    format!("content/{to}.{extension}")
}

/// The new name of a translation of the moved document, if `file` is one.
fn renamed_translation(file: &ContentFile, moved: &Document, to: &str) -> Option<String> {
    let name = file.relative.strip_prefix(&format!("content/{}/", moved.dir))?;
    let rest = name.strip_prefix(&format!("{}.", moved.slug))?;
    Some(format!("content/{to}.{rest}"))
}

/// The `related` values and `@/` links of `document` that name `from`, rewritten to `to`.
fn references(document: &Document, from: &str, to: &str) -> Vec<Replacement> {
    let mut found = Vec::new();
    for ((target, position), span) in document.related.iter().zip(&document.spans.related) {
        if target == from {
            found.push(Replacement {
                range: span.clone(),
                expect: None,
                text: NewText::Related(to.to_string()),
                said: format!("related \"{from}\" → \"{to}\""),
                position: *position,
            });
        }
    }
    for link in &document.links {
        if link_path_to_id(&link.path) == from {
            let suffix = &link.path[from.len()..];
            let start = link.offset + 2;
            found.push(Replacement {
                range: start..start + link.path.len(),
                expect: Some(link.path.clone()),
                text: NewText::Text(format!("{to}{suffix}")),
                said: format!("link @/{} → @/{to}{suffix}", link.path),
                position: link.position,
            });
        }
    }
    found
}

/// Adds `from` to the moved document's `aliases`: into the list if there is one (just after
/// its last item, so before a trailing comma or comment), else as a new field line before the front matter's closing `+++` (or a
/// TOML entry's `body`).
fn alias_insertion(moved: &Document, text: &str, from: &str) -> Replacement {
    let value = format!("\"{from}\"");
    let said = format!("aliases += \"{from}\" (its old address redirects to it)");
    if let Some(end) = moved.spans.aliases {
        let (at, insert) = match end {
            AliasesEnd::After(at) => (at, format!(", {value}")),
            AliasesEnd::Empty(at) => (at, value),
        };
        let position = Position::at(text, at.min(text.len()));
        return Replacement { range: at..at, expect: None, text: NewText::Text(insert), said, position };
    }
    let at = moved.spans.new_field.min(text.len());
    // In the file's own line endings.
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let break_before = if at > 0 && !text[..at].ends_with('\n') { newline } else { "" };
    let line = format!("{break_before}aliases = [{value}]{newline}");
    Replacement {
        range: at..at,
        expect: None,
        text: NewText::Text(line),
        said,
        position: Position::at(text, at),
    }
}

/// Applies `replacements` to `text` (checking that each still says what the loader read).
fn rewrite(
    file: String,
    target: String,
    text: &str,
    mut replacements: Vec<Replacement>,
) -> Result<FileChange, Error> {
    replacements.sort_by_key(|replacement| replacement.range.start);
    let mut out = String::with_capacity(text.len() + 64);
    let mut report = Vec::new();
    let mut done = 0;
    // Each change is reported where it is in the file as written, under its new name: the
    // lines earlier changes added (the alias's line, before a body's links), and the columns
    // they added earlier on the same line of the old text.
    let mut lines_added = 0isize;
    let mut columns_added = (0usize, 0isize);
    for replacement in replacements {
        let range = replacement.range.clone();
        let written =
            text.get(range.clone()).filter(|_| range.start >= done).ok_or_else(|| changed(&file))?;
        if replacement.expect.as_ref().is_some_and(|expected| expected != written) {
            let Position { line, column } = replacement.position;
            return Err(Error::Usage(format!(
                "{file}:{line}:{column}: cannot find this link's address where it is written (a \
                 reference-style link?); write it inline, [text](@/…), and run `mv` again (nothing was changed)"
            )));
        }
        let new_text = match &replacement.text {
            NewText::Text(new_text) => new_text.clone(),
            NewText::Related(to) => requote(written, to).ok_or_else(|| changed(&file))?,
        };
        out.push_str(&text[done..range.start]);
        out.push_str(&new_text);
        done = range.end;
        let Position { line, column } = replacement.position;
        let columns = if columns_added.0 == line { columns_added.1 } else { 0 };
        report.push(format!(
            "{target}:{}:{}: {}",
            line.saturating_add_signed(lines_added),
            column.saturating_add_signed(columns),
            replacement.said
        ));
        let (old_lines, new_lines) = (written.matches('\n').count(), new_text.matches('\n').count());
        lines_added += new_lines as isize - old_lines as isize;
        // A replacement without line breaks is on its reported line.
        columns_added = if old_lines == 0 && new_lines == 0 {
            (line, columns + new_text.chars().count() as isize - written.chars().count() as isize)
        } else {
            (0, 0)
        };
    }
    out.push_str(&text[done..]);
    Ok(FileChange { from: file, to: target, text: out, report })
}

/// A related value's new literal, in the quotes it was written with, keeping a `.md`.
fn requote(written: &str, to: &str) -> Option<String> {
    let quote = written.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let inner = written.trim_matches(quote);
    let suffix = if inner.ends_with(".md") { ".md" } else { "" };
    Some(format!("{quote}{to}{suffix}{quote}"))
}

fn changed(file: &str) -> Error {
    Error::Usage(format!("{file} changed while `mv` read it; run it again (nothing was changed)"))
}

/// Translation files (`<slug>.<lang>.md`, `_index.<lang>.md`) under `content/`, which the
/// loader does not read yet.
fn translations(root: &Path, config: &Config) -> Result<Vec<ContentFile>, Error> {
    let mut folders: Vec<(String, Section)> = config
        .kinds
        .iter()
        .enumerate()
        .map(|(index, kind)| (kind.dir.clone(), Section::Kind(index)))
        .collect();
    folders.push((PAGES_DIR.to_string(), Section::Page));
    folders.push((String::new(), Section::Home));
    let mut found = Vec::new();
    for (dir, section) in folders {
        let folder = root.join("content").join(&dir);
        let Ok(items) = std::fs::read_dir(&folder) else { continue };
        let mut names: Vec<(String, PathBuf)> = items
            .filter_map(Result::ok)
            .filter(|item| item.file_type().is_ok_and(|kind| kind.is_file()))
            .map(|item| (item.file_name().to_string_lossy().into_owned(), item.path()))
            .collect();
        names.sort();
        for (name, path) in names {
            let parts: Vec<&str> = name.split('.').collect();
            let [slug, language, extension] = parts[..] else { continue };
            let named = if section == Section::Home { slug == "_index" } else { is_valid_slug(slug) };
            if !named || !is_language_tag(language) || !matches!(extension, "md" | "toml") {
                continue;
            }
            let relative =
                if dir.is_empty() { format!("content/{name}") } else { format!("content/{dir}/{name}") };
            let language = Some(language.to_string());
            found.push(ContentFile {
                path,
                relative,
                section: section.clone(),
                slug: slug.to_string(),
                language,
            });
        }
    }
    Ok(found)
}
