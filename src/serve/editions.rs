//! A catalog published in several languages (spec §9), as `serve` holds it: each other
//! language's edition kept like the catalog's own (its localized catalog, plan, cards and
//! texts, see `incremental`), and an edit to an original or a translation applied to each
//! edition in place, rendering only the pages it touches there.

use super::incremental::{LastGood, SiteUpdate, apply_edits, render_edits, render_whole, under};
use crate::catalog::Catalog;
use crate::content::{Content, Document, translations};
use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::render::theme::Theme;
use crate::sink::{Prefixed, Sink};
use std::collections::HashSet;

/// One other language's edition.
pub(super) struct Edition {
    pub code: String,
    /// Its folder (`fr/`): the paths of its files start with it.
    pub prefix: String,
    pub theme: Theme,
    pub good: LastGood,
}

/// An edition just rendered whole: the paths it wrote (with its folder) and its page count.
pub(super) struct Rendered {
    pub edition: Edition,
    pub written: HashSet<String>,
    pub pages: usize,
}

/// Renders every other language's edition of `catalog` whole into `sink`, each under its
/// folder with its search index.
pub(super) fn render_editions(
    catalog: &Catalog,
    theme: &Theme,
    sink: &dyn Sink,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Vec<Rendered>, Error> {
    let mut editions = Vec::new();
    for language in catalog.config.languages.iter().skip(1) {
        let (Some(localized), Some(theme)) =
            (catalog.localized(&language.code), theme.localized(&language.code))
        else {
            continue;
        };
        let prefixed = Prefixed { inner: sink, prefix: &language.prefix };
        let (good, rendered) = render_whole(localized, &theme, &prefixed, None, diagnostics)?;
        let written = rendered.written.iter().map(|path| format!("{}{path}", language.prefix)).collect();
        let (code, prefix) = (language.code.clone(), language.prefix.clone());
        editions.push(Rendered {
            edition: Edition { code, prefix, theme, good },
            written,
            pages: rendered.pages,
        });
    }
    Ok(editions)
}

/// The documents of the edition in `code` that the edited `documents` (originals and
/// translations, as parsed) change: an original with its translation's words, or as it is
/// where it has none; a translation into `code` over its original.
fn localized_edits(
    documents: &[Document],
    content: &Content,
    code: &str,
    original_language: &str,
) -> Vec<Document> {
    let original = |id: &str| content.documents.iter().chain(content.home.iter()).find(|d| d.id == id);
    let translated = translations::of_language(&content.translations, code);
    let mut seen = HashSet::new();
    let mut localized = Vec::new();
    for document in documents {
        let language = translations::language(document);
        if (!language.is_empty() && language != code) || !seen.insert(document.id.clone()) {
            continue;
        }
        if let Some(original) = original(&document.id) {
            localized.push(translations::localize(
                original,
                translated.get(document.id.as_str()).copied(),
                original_language,
            ));
        }
    }
    localized
}

/// Applies the edited `documents` to every edition of `good` and renders what they touch
/// there, publishing each edition's files under its folder. `Ok(None)`: an edition must be
/// rebuilt whole; `Ok(Some(Err(_)))`: a template failed; otherwise the pages rendered.
pub(super) fn edit_editions(
    good: &mut LastGood,
    documents: &[Document],
    content: &Content,
    drafts: bool,
    publish: &mut dyn FnMut(SiteUpdate),
) -> Result<Option<Result<usize, Vec<Diagnostic>>>, Error> {
    let original_language = good.catalog.config.language.clone();
    let mut pages = 0;
    for edition in &mut good.editions {
        let edits = localized_edits(documents, content, &edition.code, &original_language);
        if edits.is_empty() {
            continue;
        }
        let Ok(dirty) = apply_edits(&mut edition.good, edits, drafts) else {
            return Ok(None);
        };
        let prefix = edition.prefix.clone();
        let mut prefixed = |update: SiteUpdate| publish(under(update, &prefix));
        match render_edits(&mut edition.good, &edition.theme, &dirty, &mut prefixed)? {
            Some(Ok(count)) => pages += count,
            other => return Ok(other),
        }
    }
    Ok(Some(Ok(pages)))
}
