//! The search index, built at build time from what readers see: each entry's title,
//! summary, headings, body text, and stage and term names.
//!
//! The index is a set of scripts under `search/` that `search.js` loads by adding
//! `<script>` elements (so search works from `file://` and under `script-src 'self'`):
//!
//! - `meta.js`: the language's stop words, the bounds of the vocabulary's, the postings'
//!   and the rests' parts (`shards::separator`), the synonyms, and the facets with their
//!   documents (small).
//! - `vocabulary/<n>.js`: words, sorted and front-coded, each with its index key (its
//!   folded stem), so the browser needs no stemmer for the catalog's own words and can
//!   complete prefixes and correct typos against real words; and the keys in the part's
//!   range that no word of the part has, so that it knows whether a stem is a key.
//! - `postings/<n>.js`: per key its IDF and, per document, an impact (see `rank` and
//!   `postings`).
//! - `documents/<n>.js`: what results show (title, URL, summary) for documents
//!   `8n … 8n + 7`, loaded only for the results shown.
//! - `snippets/<n>.js`: for documents `8n … 8n + 7`, the body sentences a snippet may need
//!   (see `snippets`), loaded only for a result on screen (or within a quarter of a screen
//!   of it) whose matched words are not all in its title or summary. (Whole bodies, one file per document, were tried and dropped:
//!   at 10,000 entries their 10,000 files and 26 MB doubled the index's share of the build.)
//! - `rests/<n>.js`: words by all but their first letter, for typos in the first letter
//!   (see `rests`), loaded only when a word finds nothing otherwise.
//! - `stemmer.js`: the language's Snowball stemmer in plain JavaScript
//!   (`stemmers/*.js`, generated from the algorithms rust-stemmers runs at build time), loaded
//!   only when a query word is not in the vocabulary or has synonyms (to mark their forms).
//!
//! Documents are numbered in list order (`Catalog::ordered`), so ties fall back to A–Z.

pub(crate) mod analyze;
mod encode;
mod facets;
pub(crate) mod language;
mod numbers;
mod postings;
mod rank;
mod rests;
mod shards;
mod snippets;
#[cfg(test)]
mod tests;
pub(crate) mod text;

use crate::catalog::{Catalog, EntryId};
use crate::error::Error;
use crate::sink::{OutputFile, Sink};
use analyze::{DocumentText, FIELD_COUNT, Field};
use language::Language;
use rayon::prelude::*;
use serde::Serialize;
use std::borrow::Cow;

/// Bumped when the format of the files changes; `search.js` checks it.
pub const FORMAT_VERSION: u32 = 3;

/// Documents per `documents/<n>.js` file (about 2 KiB): few enough that the ten results
/// shown fetch little (results are spread over the catalog, so each is often a file of its
/// own: at 10,000 entries 32 a file made a first query fetch 40–75 KiB of documents, 16 a
/// file about 38 KiB, 8 about 19 KiB), many enough that a large catalog does not become
/// many small files (every file is an inode to create, the dominant cost of writing a
/// build; 8 a file is 1,250 files at 10,000 entries).
pub const DOCUMENTS_PER_FILE: usize = 8;

/// A document of the search index. Entries are numbered in list order (`Catalog::ordered`),
/// so that results of equal score come as lists show them; `DocId` is that number, where
/// an `EntryId` is the entry's place in `Catalog::entries`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct DocId(usize);

impl DocId {
    pub fn index(self) -> usize {
        self.0
    }
}

#[derive(Serialize)]
struct Meta<'a> {
    version: u32,
    language: &'a str,
    documents: usize,
    documents_per_file: usize,
    stop_words: String,
    /// The bounds of the vocabulary's, the postings' and the rests' parts, front-coded
    /// (`shards::front_coded`).
    vocabulary: String,
    postings: String,
    rests: String,
    snippets_per_file: usize,
    /// Per group of synonyms, per word or phrase: `[as written, its index keys joined by
    /// spaces]`.
    synonyms: &'a [Vec<[String; 2]>],
    facets: &'a [facets::Facet],
}

/// The search index of a catalog's published entries, as files under `search/`.
/// `body_texts[i]` is the plain text of `catalog.entries[i]`'s body.
pub fn index(catalog: &Catalog, body_texts: &[String]) -> Vec<OutputFile> {
    let mut files = analysed(catalog, body_texts, &Extras::of(catalog));
    files.extend(plain(catalog));
    files
}

/// Puts the search index into `sink`; the paths of its files. The files made from the
/// analysis of the entries' text (the costly part) are a group with a key of their own
/// (`key`): a rebuild whose entries read the same links the previous build's files
/// instead of analysing them again (`Sink::reuse_group`).
pub fn index_into(catalog: &Catalog, body_texts: &[String], sink: &dyn Sink) -> Result<Vec<String>, Error> {
    let extras = Extras::of(catalog);
    let key = key(catalog, body_texts, &extras);
    let mut paths = Vec::new();
    match key.and_then(|key| sink.reuse_group("search/", key)) {
        Some(reused) => paths.extend(reused.into_iter().map(|(path, _)| path)),
        None => {
            for file in analysed(catalog, body_texts, &extras) {
                paths.push(file.path.clone());
                sink.put(file.with_key(key))?;
            }
        }
    }
    for file in plain(catalog) {
        paths.push(file.path.clone());
        sink.put(file)?;
    }
    Ok(paths)
}

/// What the index's `meta.js` holds besides what the analysis gives.
struct Extras {
    synonyms: Vec<Vec<[String; 2]>>,
    facets: Vec<facets::Facet>,
}

impl Extras {
    fn of(catalog: &Catalog) -> Extras {
        let language = Language::from_code(&catalog.config.language);
        let mut position = vec![DocId::default(); catalog.entries.len()];
        for (document, &entry) in catalog.ordered.iter().enumerate() {
            position[entry] = DocId(document);
        }
        Extras {
            synonyms: synonyms(&catalog.config.search.synonyms, language),
            facets: facets::build(catalog, &position),
        }
    }
}

/// The key of the files `analysed` makes: everything they are made from, which is each
/// document's text as the analysis reads it, in order, the language, what `meta.js` holds
/// besides the analysis (`extras`), and this program. None if the program cannot be told
/// apart.
fn key(catalog: &Catalog, body_texts: &[String], extras: &Extras) -> Option<u128> {
    let mut key = crate::render::keys::Key::new();
    key.text("search").number(crate::render::keys::program()?).text(&catalog.config.language);
    // Through a JSON value, whose maps are ordered, whatever maps the facets hold.
    key.serialized(&serde_json::to_value((&extras.synonyms, &extras.facets)).ok()?)?;
    let body = |entry: EntryId| body_texts.get(entry.index()).map_or("", String::as_str);
    key.number(catalog.ordered.len() as u128);
    for &entry in &catalog.ordered {
        for field in document_text(catalog, entry, body(entry)).fields {
            key.text(&field);
        }
    }
    Some(key.finish())
}

/// The files made from the analysis of the documents' text: `meta.js`, the vocabulary,
/// postings, rests and snippets.
fn analysed(catalog: &Catalog, body_texts: &[String], extras: &Extras) -> Vec<OutputFile> {
    let language = Language::from_code(&catalog.config.language);
    // `order[document]` is the document's entry.
    let order: &[EntryId] = &catalog.ordered;
    let body = |entry: EntryId| body_texts.get(entry.index()).map_or("", String::as_str);

    // Each stage consumes the previous one's output, so that the postings are held in
    // full once (twice while `rank` groups them) at any time.
    let analyze::Analysis { keys, vocabulary: words, documents, snippets } = analyze::analyze(
        order.len(),
        |document| document_text(catalog, order[document], body(order[document])),
        language,
    );
    let vocabulary = shards::vocabulary(&words, &keys);
    let rests = rests::rests(&words);
    drop(words);
    let postings = postings::postings(&keys, &rank::postings(documents, keys.len()), order.len());

    let meta = Meta {
        version: FORMAT_VERSION,
        language: language.code(),
        documents: order.len(),
        documents_per_file: DOCUMENTS_PER_FILE,
        stop_words: language.stop_words().join(" "),
        vocabulary: shards::front_coded(&vocabulary.bounds),
        postings: shards::front_coded(&postings.bounds),
        rests: shards::front_coded(&rests.bounds),
        snippets_per_file: snippets::DOCUMENTS_PER_FILE,
        synonyms: &extras.synonyms,
        facets: &extras.facets,
    };
    let meta = serde_json::to_string(&meta).unwrap_or_default();

    let mut files = vec![OutputFile::new("search/meta.js", encode::script("meta", &meta))];
    files.extend(vocabulary.files);
    files.extend(postings.files);
    files.extend(rests.files);
    let snippet_files: Vec<OutputFile> = snippets
        .par_chunks(snippets::DOCUMENTS_PER_FILE)
        .enumerate()
        .map(|(number, documents)| snippets::file(number, documents))
        .collect();
    files.extend(snippet_files);
    files
}

/// The files made from the catalog alone: the stemmer and the documents' titles, addresses
/// and summaries.
fn plain(catalog: &Catalog) -> Vec<OutputFile> {
    let language = Language::from_code(&catalog.config.language);
    let mut files = vec![OutputFile::new("search/stemmer.js", language.stemmer_script())];
    let documents: Vec<OutputFile> = catalog
        .ordered
        .par_chunks(DOCUMENTS_PER_FILE)
        .enumerate()
        .map(|(number, entries)| documents_file(catalog, number, entries))
        .collect();
    files.extend(documents);
    files
}

/// The catalog's synonyms as the browser needs them: each word or phrase with the index
/// keys of its words (folded, stop words left out, stemmed as the index is).
fn synonyms(groups: &[Vec<String>], language: Language) -> Vec<Vec<[String; 2]>> {
    let stemmer = language.stemmer();
    let mut folded = String::new();
    groups
        .iter()
        .map(|group| {
            group
                .iter()
                .map(|written| {
                    let mut keys: Vec<String> = Vec::new();
                    text::for_each_word(written, &mut folded, |word| {
                        if !language.is_stop_word(word) {
                            keys.push(stemmer.stem(word).into_owned());
                        }
                    });
                    [written.clone(), keys.join(" ")]
                })
                .filter(|[_, keys]| !keys.is_empty())
                .collect::<Vec<_>>()
        })
        .filter(|group| group.len() >= 2)
        .collect()
}

fn document_text<'a>(catalog: &'a Catalog, entry: EntryId, body: &'a str) -> DocumentText<'a> {
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
fn documents_file(catalog: &Catalog, number: usize, entries: &[EntryId]) -> OutputFile {
    let urls: Vec<String> = entries.iter().map(|&entry| crate::urls::entry(catalog, entry)).collect();
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
