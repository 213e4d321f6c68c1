//! Translations (spec §9): `content/<dir>/<slug>.<code>.md` beside its original, holding
//! the translated title, summary and body. Everything else comes from the original: a
//! translation may repeat a field, but one that says something else is an error.

use super::links::check_translation_links;
use super::{Content, Document};
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Position};
use std::collections::HashMap;

/// The language of a translation (`""` for an original).
pub fn language(document: &Document) -> &str {
    document.translation.as_ref().map_or("", |translation| translation.language.as_str())
}

/// The translations into `code` among `translations`, by the id of their original.
pub fn of_language<'a>(translations: &'a [Document], code: &str) -> HashMap<&'a str, &'a Document> {
    translations
        .iter()
        .filter(|translation| language(translation) == code)
        .map(|translation| (translation.id.as_str(), translation))
        .collect()
}

/// Checks every translation: that its original exists, that it says what the original
/// says of everything but its words, and that its links and their anchors resolve in its
/// own language. Then counts, per language, the entries not translated yet (a warning).
pub fn check(content: &Content, config: &Config, diagnostics: &mut Vec<Diagnostic>) {
    let originals: HashMap<&str, &Document> =
        content.documents.iter().chain(content.home.iter()).map(|d| (d.id.as_str(), d)).collect();
    for translation in &content.translations {
        match originals.get(translation.id.as_str()) {
            Some(original) => check_facts(translation, original, config, diagnostics),
            None => diagnostics.push(no_original(translation)),
        }
    }
    let entries: Vec<&Document> =
        content.documents.iter().filter(|document| document.kind().is_some() && !document.draft).collect();
    for language in config.languages.iter().skip(1) {
        let translated = of_language(&content.translations, &language.code);
        let of_language: Vec<&Document> = translated.values().copied().collect();
        check_translation_links(content, &translated, &of_language, diagnostics);
        let untranslated: Vec<&&Document> =
            entries.iter().filter(|document| !translated.contains_key(document.id.as_str())).collect();
        if let Some(first) = untranslated.first() {
            let code = &language.code;
            diagnostics.push(
                Diagnostic::warning(
                    crate::config::FILE,
                    language.declared_at,
                    format!(
                        "{} of {} entries have no \"{code}\" translation yet, so their \"{code}\" pages \
                         show the original (first: {})",
                        untranslated.len(),
                        entries.len(),
                        first.file
                    ),
                )
                .with_help(format!("start one with: copcat new {} --translate {code}", first.id)),
            );
        }
    }
}

/// The original's file name for a translation's (`a.fr.md` → `a.md`).
fn original_file(translation: &Document) -> String {
    let code = language(translation);
    let (stem, extension) = translation.file.rsplit_once('.').unwrap_or((&translation.file, "md"));
    format!("{}.{extension}", stem.strip_suffix(&format!(".{code}")).unwrap_or(stem))
}

fn no_original(translation: &Document) -> Diagnostic {
    Diagnostic::error(
        &translation.file,
        Position::START,
        format!("a translation of \"{}\", which does not exist", original_file(translation)),
    )
    .with_help("a translation is named after its original: content/<folder>/<slug>.<language>.md")
}

/// An error for each field `translation` sets to something other than its original's.
fn check_facts(
    translation: &Document,
    original: &Document,
    config: &Config,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let Some(written) = translation.translation.as_ref().map(|t| &t.written) else {
        return;
    };
    for (key, position) in written {
        let same = match key.as_str() {
            "stages" => translation.stages == original.stages,
            "related" => ids(&translation.related) == ids(&original.related),
            "sources" => translation.sources == original.sources,
            "updated" => translation.updated == original.updated,
            "reviewed" => translation.editorial.reviewed == original.editorial.reviewed,
            "draft" => translation.draft == original.draft,
            "weight" => translation.weight == original.weight,
            "aliases" => {
                let paths = |d: &Document| d.aliases.iter().map(|a| a.path.clone()).collect::<Vec<_>>();
                paths(translation) == paths(original)
            }
            taxonomy => match config.taxonomies.iter().position(|t| t.id == taxonomy) {
                Some(index) => translation.terms.get(index) == original.terms.get(index),
                // Other keys were reported as unknown fields already.
                None => true,
            },
        };
        if !same {
            diagnostics.push(
                Diagnostic::error(
                    &translation.file,
                    *position,
                    format!("\"{key}\" says something other than the original ({})", original.file),
                )
                .with_help(format!(
                    "a translation takes its stages, terms, related entries, sources, dates and draft \
                     state from its original: delete the \"{key}\" line here (and change the original if \
                     it is the one that is wrong)"
                )),
            );
        }
    }
}

fn ids(related: &[(String, Position)]) -> Vec<&str> {
    related.iter().map(|(id, _)| id.as_str()).collect()
}

/// A document as the edition in another language shows it: `original`'s facts with
/// `translation`'s words; or, with no translation, the original as it is, marked as being
/// in `original_language`.
pub fn localize(original: &Document, translation: Option<&Document>, original_language: &str) -> Document {
    let Some(translation) = translation else {
        let mut document = original.clone();
        document.text_language = Some(original_language.to_string());
        return document;
    };
    let mut editorial = original.editorial.clone();
    editorial.external_links.clone_from(&translation.editorial.external_links);
    Document {
        id: original.id.clone(),
        section: original.section.clone(),
        dir: original.dir.clone(),
        slug: original.slug.clone(),
        file: translation.file.clone(),
        title: translation.title.clone(),
        summary: if translation.summary.is_empty() {
            original.summary.clone()
        } else {
            translation.summary.clone()
        },
        stages: original.stages.clone(),
        terms: original.terms.clone(),
        related: original.related.clone(),
        sources: original.sources.clone(),
        updated: original.updated,
        draft: original.draft,
        weight: original.weight,
        body: translation.body.clone(),
        headings: translation.headings.clone(),
        links: translation.links.clone(),
        aliases: original.aliases.clone(),
        spans: original.spans.clone(),
        editorial,
        translation: translation.translation.clone(),
        text_language: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{Section, Translation};

    fn document(file: &str, title: &str, language: Option<&str>) -> Document {
        Document {
            id: "roles/a".to_string(),
            section: Section::Kind(0),
            dir: "roles".to_string(),
            slug: "a".to_string(),
            file: file.to_string(),
            title: title.to_string(),
            summary: format!("{title} summary"),
            stages: vec![0],
            terms: Vec::new(),
            related: Vec::new(),
            sources: Vec::new(),
            updated: None,
            draft: false,
            weight: 0,
            body: format!("{title} body"),
            headings: Vec::new(),
            links: Vec::new(),
            aliases: Vec::new(),
            spans: Default::default(),
            editorial: Default::default(),
            translation: language.map(|code| Translation {
                language: code.to_string(),
                written: vec![("stages".into(), Position::START)],
            }),
            text_language: None,
        }
    }

    #[test]
    fn a_translation_keeps_the_original_facts_and_brings_its_words() {
        let original = document("content/roles/a.md", "Broker", None);
        let mut translation = document("content/roles/a.fr.md", "Courtier", Some("fr"));
        translation.stages = vec![1];
        let localized = localize(&original, Some(&translation), "en");
        assert_eq!((localized.title.as_str(), localized.body.as_str()), ("Courtier", "Courtier body"));
        assert_eq!(localized.stages, vec![0], "stages come from the original");
        assert_eq!(localized.text_language, None);
        let untranslated = localize(&original, None, "en");
        assert_eq!(untranslated.title, "Broker");
        assert_eq!(untranslated.text_language.as_deref(), Some("en"));
        assert_eq!(original_file(&translation), "content/roles/a.md");
    }
}
