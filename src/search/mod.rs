//! The search index, built at build time from what readers see: each entry's title,
//! summary, headings, body text, and stage and term names.
//!
//! The index is a set of scripts under `search/` that `search.js` loads by adding
//! `<script>` elements (so search works from `file://` and under `script-src 'self'`):
//!
//! - `meta.js`: the language's stop words, the first word of each vocabulary part and the
//!   first key of each postings part, and the facets with their documents (small).
//! - `vocabulary/<n>.js`: words, sorted and front-coded, each with its index key (its
//!   folded stem), so the browser needs no stemmer and can complete prefixes and
//!   correct typos against real words.
//! - `postings/<n>.js`: per key its IDF and, per document, an impact (see `rank`).
//! - `documents/<n>.js`: what a result shows (title, URL, summary, body text for the
//!   snippet), loaded only for results on screen.
//!
//! Documents are numbered in list order (`Catalog::ordered`), so ties fall back to A–Z.

mod analyze;
mod encode;
mod facets;
mod language;
mod rank;
mod shards;
#[cfg(test)]
mod tests;
mod text;

use crate::catalog::Catalog;
use crate::output::OutputFile;
use analyze::{DocumentText, FIELD_COUNT, Field};
use language::Language;
use rayon::prelude::*;
use serde::Serialize;

/// Bumped when the format of the files changes; `search.js` checks it.
pub const FORMAT_VERSION: u32 = 1;

/// Body text kept for snippets, in bytes. Longer bodies are cut at a word boundary; a
/// match past the cut gets its snippet from the summary.
const SNIPPET_TEXT_BYTES: usize = 4000;

#[derive(Serialize)]
struct Meta<'a> {
    version: u32,
    language: &'a str,
    documents: usize,
    stop_words: String,
    vocabulary: Vec<String>,
    postings: Vec<String>,
    facets: Vec<facets::Facet>,
}

/// The search index of a catalog's published entries, as files under `search/`.
/// `body_texts[i]` is the plain text of `catalog.entries[i]`'s body.
pub fn index(catalog: &Catalog, body_texts: &[String]) -> Vec<OutputFile> {
    let language = Language::from_code(&catalog.config.language);
    let order = &catalog.ordered;
    let body = |entry: usize| body_texts.get(entry).map_or("", String::as_str);
    let mut position = vec![0; catalog.entries.len()];
    for (document, &entry) in order.iter().enumerate() {
        position[entry] = document;
    }

    let texts: Vec<DocumentText> =
        order.par_iter().map(|&entry| document_text(catalog, entry, body(entry))).collect();
    let analysis = analyze::analyze(&texts, language);
    let postings = rank::postings(&analysis);
    let vocabulary = shards::vocabulary(&analysis.vocabulary, &analysis.keys);
    let postings = shards::postings(&analysis.keys, &postings, order.len());

    let meta = Meta {
        version: FORMAT_VERSION,
        language: language.code(),
        documents: order.len(),
        stop_words: language.stop_words().join(" "),
        vocabulary: vocabulary.bounds,
        postings: postings.bounds,
        facets: facets::build(catalog, &position),
    };
    let meta = serde_json::to_string(&meta).unwrap_or_default();

    let mut files = vec![OutputFile::new("search/meta.js", encode::script("meta", &meta))];
    files.extend(vocabulary.files);
    files.extend(postings.files);
    let documents: Vec<OutputFile> = order
        .par_iter()
        .enumerate()
        .map(|(document, &entry)| document_file(catalog, document, entry, body(entry)))
        .collect();
    files.extend(documents);
    files
}

fn document_text(catalog: &Catalog, entry: usize, body: &str) -> DocumentText {
    let document = &catalog.entries[entry];
    let config = &catalog.config;
    let mut tags: Vec<&str> =
        document.stages.iter().map(|&stage| config.stages[stage].name.as_str()).collect();
    for (taxonomy, terms) in document.terms.iter().enumerate() {
        tags.extend(terms.iter().map(|&term| config.taxonomies[taxonomy].terms[term].name.as_str()));
    }
    let mut fields: [String; FIELD_COUNT] = Default::default();
    fields[Field::Title as usize] = document.title.clone();
    fields[Field::Summary as usize] = document.summary.clone();
    fields[Field::Headings as usize] =
        document.headings.iter().map(|heading| heading.text.as_str()).collect::<Vec<_>>().join("\n");
    fields[Field::Tags as usize] = tags.join("\n");
    fields[Field::Body as usize] = body.to_string();
    DocumentText { fields }
}

/// `documents/<n>.js`: `[title, url, summary, body text]`, whitespace collapsed.
fn document_file(catalog: &Catalog, document: usize, entry: usize, body: &str) -> OutputFile {
    let entry_document = &catalog.entries[entry];
    let text = snippet_text(body);
    let data = serde_json::to_string(&[
        entry_document.title.as_str(),
        &crate::render::urls::entry(catalog, entry),
        entry_document.summary.as_str(),
        &text,
    ])
    .unwrap_or_default();
    let name = format!("documents/{document}");
    OutputFile::new(format!("search/{name}.js"), encode::script(&name, &data))
}

fn snippet_text(body: &str) -> String {
    let mut text = String::with_capacity(body.len().min(SNIPPET_TEXT_BYTES + 32));
    for word in body.split_whitespace() {
        if text.len() + word.len() + 1 > SNIPPET_TEXT_BYTES {
            break;
        }
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(word);
    }
    text
}
