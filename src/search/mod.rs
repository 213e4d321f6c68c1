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
//! - `documents/<n>.js`: what results show (title, URL, summary) for documents
//!   `32n … 32n + 31`, loaded only for results on screen. (Per-document body text for
//!   snippets was tried and dropped: at 10,000 entries its 10,000 files and 26 MB doubled
//!   the index's share of the build; snippets come from the summary.)
//!
//! Documents are numbered in list order (`Catalog::ordered`), so ties fall back to A–Z.

pub(crate) mod analyze;
mod encode;
mod facets;
pub(crate) mod language;
mod numbers;
mod rank;
mod shards;
#[cfg(test)]
mod tests;
pub(crate) mod text;

use crate::catalog::Catalog;
use crate::output::OutputFile;
use analyze::{DocumentText, FIELD_COUNT, Field};
use language::Language;
use rayon::prelude::*;
use serde::Serialize;
use std::borrow::Cow;

/// Bumped when the format of the files changes; `search.js` checks it.
pub const FORMAT_VERSION: u32 = 1;

/// Documents per `documents/<n>.js` file (about 8 KiB): few enough that the ten results on
/// screen fetch little, many enough that a large catalog does not become many small files
/// (every file is an inode to create, the dominant cost of writing a build).
pub const DOCUMENTS_PER_FILE: usize = 32;

#[derive(Serialize)]
struct Meta<'a> {
    version: u32,
    language: &'a str,
    documents: usize,
    documents_per_file: usize,
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

    // Each stage consumes the previous one's output, so that the postings are held in
    // full once (twice while `rank` groups them) at any time.
    let analyze::Analysis { keys, vocabulary: words, documents } = analyze::analyze(
        order.len(),
        |document| document_text(catalog, order[document], body(order[document])),
        language,
    );
    let vocabulary = shards::vocabulary(&words, &keys);
    drop(words);
    let postings = shards::postings(&keys, &rank::postings(documents, keys.len()), order.len());

    let meta = Meta {
        version: FORMAT_VERSION,
        language: language.code(),
        documents: order.len(),
        documents_per_file: DOCUMENTS_PER_FILE,
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
        .par_chunks(DOCUMENTS_PER_FILE)
        .enumerate()
        .map(|(number, entries)| documents_file(catalog, number, entries))
        .collect();
    files.extend(documents);
    files
}

fn document_text<'a>(catalog: &'a Catalog, entry: usize, body: &'a str) -> DocumentText<'a> {
    let document = &catalog.entries[entry];
    let config = &catalog.config;
    let mut tags: Vec<&str> =
        document.stages.iter().map(|&stage| config.stages[stage].name.as_str()).collect();
    for (taxonomy, terms) in document.terms.iter().enumerate() {
        tags.extend(terms.iter().map(|&term| config.taxonomies[taxonomy].terms[term].name.as_str()));
    }
    let mut fields: [Cow<'a, str>; FIELD_COUNT] = Default::default();
    fields[Field::Title as usize] = document.title.as_str().into();
    fields[Field::Summary as usize] = document.summary.as_str().into();
    fields[Field::Headings as usize] =
        document.headings.iter().map(|heading| heading.text.as_str()).collect::<Vec<_>>().join("\n").into();
    fields[Field::Tags as usize] = tags.join("\n").into();
    fields[Field::Body as usize] = body.into();
    DocumentText { fields }
}

/// `documents/<n>.js`: per document `[title, url, summary]`.
fn documents_file(catalog: &Catalog, number: usize, entries: &[usize]) -> OutputFile {
    let urls: Vec<String> = entries.iter().map(|&entry| crate::render::urls::entry(catalog, entry)).collect();
    let data: Vec<[&str; 3]> = entries
        .iter()
        .zip(&urls)
        .map(|(&entry, url)| {
            let document = &catalog.entries[entry];
            [document.title.as_str(), url.as_str(), document.summary.as_str()]
        })
        .collect();
    let name = format!("documents/{number}");
    OutputFile::new(
        format!("search/{name}.js"),
        encode::script(&name, &serde_json::to_string(&data).unwrap_or_default()),
    )
}
