//! Checking what documents point at: `related` targets and `@/` links with their anchors,
//! against the documents loaded.

use super::{Content, ContentFile, Document, Link, Section, link_path_to_id};
use crate::diagnostic::{Diagnostic, Position, edit_distance, suggestion_help};
use std::collections::{HashMap, HashSet};

/// What links can point at.
struct Targets<'a> {
    content: &'a Content,
    by_id: HashMap<&'a str, &'a Document>,
    /// Ids of files found but too broken to load: their own errors say what is wrong, so
    /// links to them are not reported again.
    unreadable: HashSet<&'a str>,
    home_unreadable: bool,
    entry_ids: Vec<&'a str>,
    /// Every document's `@/` path (`roles/a.md`), for did-you-mean.
    paths: Vec<String>,
    /// Translations by the id of their original: a link from a translation to one of these
    /// names a heading of the translation (it leads to the page in the same language).
    translated: HashMap<&'a str, &'a Document>,
}

/// Checks `related` targets and `@/` links (and their anchors) against the loaded documents.
/// A target whose file was `found` but could not be parsed is not reported again.
pub fn check_links(content: &Content, found: &[ContentFile], diagnostics: &mut Vec<Diagnostic>) {
    let targets = Targets::new(content, found, HashMap::new());
    for document in content.documents.iter().chain(content.home.iter()) {
        for (target, position) in &document.related {
            diagnostics.extend(targets.check_related(document, target, *position));
        }
        for link in &document.links {
            diagnostics.extend(targets.check_link(document, link));
        }
    }
}

/// Checks the `@/` links of the translations `checked` into one language, whose
/// translations are `translated` (by their original's id): a link leads to the page in the
/// same language, so its anchor names a heading of the target's translation, or of the
/// original where there is none.
pub fn check_translation_links<'a>(
    content: &'a Content,
    translated: &HashMap<&'a str, &'a Document>,
    checked: &[&Document],
    diagnostics: &mut Vec<Diagnostic>,
) {
    let targets = Targets::new(content, &[], translated.clone());
    for document in checked {
        for link in &document.links {
            diagnostics.extend(targets.check_link(document, link));
        }
    }
}

impl<'a> Targets<'a> {
    fn new(
        content: &'a Content,
        found: &'a [ContentFile],
        translated: HashMap<&'a str, &'a Document>,
    ) -> Targets<'a> {
        let by_id: HashMap<&str, &Document> = content.documents.iter().map(|d| (d.id.as_str(), d)).collect();
        Targets {
            content,
            unreadable: found
                .iter()
                .filter(|file| file.language.is_none())
                .map(ContentFile::id)
                .filter(|id| !by_id.contains_key(id) && *id != "_index")
                .collect(),
            home_unreadable: content.home.is_none()
                && found.iter().any(|file| file.id() == "_index" && file.language.is_none()),
            entry_ids: content
                .documents
                .iter()
                .filter(|d| matches!(d.section, Section::Kind(_)))
                .map(|d| d.id.as_str())
                .collect(),
            paths: content.documents.iter().map(|d| format!("{}.md", d.id)).collect(),
            by_id,
            translated,
        }
    }

    fn check_related(&self, document: &Document, target: &str, position: Position) -> Option<Diagnostic> {
        let (message, help) = if target == document.id {
            ("an entry cannot be related to itself".to_string(), None)
        } else {
            match self.by_id.get(target) {
                None if self.unreadable.contains(target) => return None,
                Some(other) if matches!(other.section, Section::Kind(_)) => return None,
                Some(_) => (format!("\"{target}\" is a free page, not an entry"), None),
                None => (
                    format!("related entry \"{target}\" does not exist"),
                    suggestion_help(target, "entries", &nearest(target, &self.entry_ids)),
                ),
            }
        };
        Some(Diagnostic::error(&document.file, position, message).maybe_help(help))
    }

    fn check_link(&self, document: &Document, link: &Link) -> Option<Diagnostic> {
        let id = link_path_to_id(&link.path);
        if self.unreadable.contains(id) || (id == "_index" && self.home_unreadable) {
            return None;
        }
        let original = if id == "_index" { self.content.home.as_ref() } else { self.by_id.get(id).copied() };
        let target = original.map(|original| self.translated.get(id).copied().unwrap_or(original));
        let Some(target) = target else {
            let paths: Vec<&str> = self.paths.iter().map(String::as_str).collect();
            let help = suggestion_help(&link.path, "targets", &nearest(&link.path, &paths));
            let message = format!("link to \"@/{}\": no such file", link.path);
            return Some(Diagnostic::error(&document.file, link.position, message).maybe_help(help));
        };
        let anchor = link.anchor.as_deref()?;
        let anchors: Vec<&str> = target.headings.iter().map(|heading| heading.id.as_str()).collect();
        if anchors.contains(&anchor) {
            return None;
        }
        let help = if anchors.is_empty() {
            Some(format!("\"@/{}\" has no headings", link.path))
        } else {
            suggestion_help(anchor, "anchors", &anchors)
        };
        let message = format!("link to \"@/{}#{anchor}\": no heading with id \"{anchor}\"", link.path);
        Some(Diagnostic::error(&document.file, link.position, message).maybe_help(help))
    }
}

/// The candidates sorted nearest first, so that long lists show the likely ones.
fn nearest<'a>(word: &str, candidates: &[&'a str]) -> Vec<&'a str> {
    let mut sorted: Vec<&str> = candidates.to_vec();
    sorted.sort_by_key(|candidate| (edit_distance(word, candidate), *candidate));
    sorted
}
