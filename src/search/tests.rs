//! The index of the browser fixture catalog, read back by a small reference reader that
//! ranks like `search.js` does for exact words (IDF × impact, exact titles first).

use super::encode::ALPHABET;
use super::text;
use crate::catalog::Catalog;
use crate::markdown::{self, LinkResolver};
use crate::sink::OutputFile;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

struct AnyLink;
impl LinkResolver for AnyLink {
    fn resolve(&self, _path: &str, _anchor: Option<&str>) -> Option<String> {
        Some("#".to_string())
    }
}

fn fixture() -> Catalog {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/browser");
    let mut diagnostics = Vec::new();
    let catalog = crate::load_catalog(&root, &crate::LoadOptions::default(), &mut diagnostics)
        .expect("the fixture loads")
        .expect("the fixture is valid");
    assert!(diagnostics.iter().all(|d| !d.is_error()), "{diagnostics:?}");
    catalog
}

fn body_texts(catalog: &Catalog) -> Vec<String> {
    catalog.entries.iter().map(|entry| markdown::render(&entry.body, &AnyLink, false).text).collect()
}

/// The data a script hands to `copcatSearch.load`.
fn data(file: &OutputFile) -> Value {
    let text = std::str::from_utf8(&file.bytes).unwrap();
    let start = text.find(',').unwrap() + 1;
    let end = text.rfind(");").unwrap();
    serde_json::from_str(&text[start..end]).unwrap()
}

fn digit(c: u8) -> usize {
    ALPHABET.iter().position(|&a| a == c).unwrap()
}

/// A key's IDF and its postings: (document, distinct title keys if in the title, impact).
type Postings = (f64, Vec<(usize, usize, usize)>);

/// A decoded index: word → key, key → (idf, [(document, title keys, impact)]), titles.
struct Reader {
    words: HashMap<String, String>,
    postings: HashMap<String, Postings>,
    titles: Vec<String>,
    stop_words: Vec<String>,
    /// Keys no word of their vocabulary part has.
    orphans: Vec<String>,
    meta: Value,
}

/// `(document, title keys, impact)` from the sparse form: per document a varint (gap,
/// shifted left, low bit for the title), a digit (title keys) if in the title, a digit
/// (impact).
fn sparse_postings(text: &str) -> Vec<(usize, usize, usize)> {
    let bytes = text.as_bytes();
    let (mut list, mut index, mut next) = (Vec::new(), 0, 0);
    while index < bytes.len() {
        let (mut value, mut shift) = (0, 0);
        loop {
            let d = digit(bytes[index]);
            index += 1;
            value |= (d & 31) << shift;
            shift += 5;
            if d < 32 {
                break;
            }
        }
        let document = next + (value >> 1);
        let title_keys = if value & 1 == 1 {
            index += 1;
            digit(bytes[index - 1])
        } else {
            0
        };
        let impact = digit(bytes[index]);
        index += 1;
        list.push((document, title_keys, impact));
        next = document + 1;
    }
    list
}

/// The dense form: the documents as a bitmap, then per document its impact, after `0` and
/// a digit (title keys) when in the title.
fn dense_postings(bitmap: &str, impacts: &str) -> Vec<(usize, usize, usize)> {
    let documents = bitmap.bytes().enumerate().flat_map(|(index, c)| {
        (0..6).filter(move |bit| digit(c) & (1 << bit) != 0).map(move |bit| index * 6 + bit)
    });
    let mut impacts = impacts.bytes().map(digit);
    let mut list = Vec::new();
    for document in documents {
        let mut impact = impacts.next().unwrap();
        let mut title_keys = 0;
        if impact == 0 {
            title_keys = impacts.next().unwrap();
            impact = impacts.next().unwrap();
        }
        list.push((document, title_keys, impact));
    }
    assert_eq!(impacts.next(), None, "impacts left over");
    list
}

impl Reader {
    fn new(files: &[OutputFile]) -> Reader {
        let mut reader = Reader {
            words: HashMap::new(),
            postings: HashMap::new(),
            titles: Vec::new(),
            stop_words: Vec::new(),
            orphans: Vec::new(),
            meta: Value::Null,
        };
        let mut titles = BTreeMap::new();
        for file in files.iter().filter(|file| file.path != "search/stemmer.js") {
            let value = data(file);
            if file.path == "search/meta.js" {
                reader.stop_words =
                    value["stop_words"].as_str().unwrap().split(' ').map(String::from).collect();
                reader.meta = value;
            } else if file.path.starts_with("search/vocabulary/") {
                let mut previous = String::new();
                let (entries, orphans) =
                    value.as_str().unwrap().split_once('|').unwrap_or((value.as_str().unwrap(), ""));
                reader.orphans.extend(orphans.split(' ').filter(|key| !key.is_empty()).map(String::from));
                for entry in entries.split(' ').filter(|entry| !entry.is_empty()) {
                    let (word_part, key_part) = entry.split_once(':').unwrap_or((entry, ""));
                    let shared = digit(word_part.as_bytes()[0]);
                    let word = format!("{}{}", &previous[..shared], &word_part[2..]);
                    let key = if key_part.is_empty() {
                        word.clone()
                    } else {
                        let cut = digit(key_part.as_bytes()[0]);
                        format!("{}{}", &word[..word.len() - cut], &key_part[1..])
                    };
                    reader.words.insert(word.clone(), key);
                    previous = word;
                }
            } else if file.path.starts_with("search/postings/") {
                for (key, entry) in value.as_object().unwrap() {
                    let idf = entry[0].as_f64().unwrap() / 1000.0;
                    let list = match entry.get(2) {
                        Some(impacts) => {
                            dense_postings(entry[1].as_str().unwrap(), impacts.as_str().unwrap())
                        }
                        None => sparse_postings(entry[1].as_str().unwrap()),
                    };
                    reader.postings.insert(key.clone(), (idf, list));
                }
            } else if let Some(number) = file.path.strip_prefix("search/documents/") {
                let number: usize = number.trim_end_matches(".js").parse().unwrap();
                for (offset, document) in value.as_array().unwrap().iter().enumerate() {
                    let title = document[0].as_str().unwrap().to_string();
                    titles.insert(number * super::DOCUMENTS_PER_FILE + offset, title);
                }
            }
        }
        reader.titles = titles.into_values().collect();
        reader
    }

    /// Titles of the documents holding every word of `query`, best first.
    fn search(&self, query: &str) -> Vec<&str> {
        let keys: Vec<&String> = text::tokens(query)
            .into_iter()
            .filter(|word| !self.stop_words.contains(word))
            .filter_map(|word| self.words.get(&word))
            .collect();
        if keys.is_empty() {
            return Vec::new();
        }
        let mut scores: HashMap<usize, (usize, f64, usize)> = HashMap::new(); // matched, score, title hits
        let mut title_keys: HashMap<usize, usize> = HashMap::new();
        for key in &keys {
            let (idf, list) = &self.postings[*key];
            for &(document, in_title, impact) in list {
                let score = scores.entry(document).or_default();
                score.0 += 1;
                score.1 += idf * impact as f64;
                if in_title > 0 {
                    score.2 += 1;
                    title_keys.insert(document, in_title);
                }
            }
        }
        let mut ranked: Vec<(bool, f64, usize)> = scores
            .into_iter()
            .filter(|(_, (matched, _, _))| *matched == keys.len())
            .map(|(document, (_, score, title_hits))| {
                let exact = title_hits == keys.len() && title_keys.get(&document) == Some(&keys.len());
                (exact, score, document)
            })
            .collect();
        ranked.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.total_cmp(&a.1)).then(a.2.cmp(&b.2)));
        ranked.into_iter().map(|(_, _, document)| self.titles[document].as_str()).collect()
    }
}

fn reader() -> Reader {
    let catalog = fixture();
    Reader::new(&super::index(&catalog, &body_texts(&catalog)))
}

#[test]
fn a_title_word_ranks_its_entry_first() {
    let reader = reader();
    let results = reader.search("funding");
    assert_eq!(results[0], "Fund a facilitator", "{results:?}");
    assert!(results.contains(&"Secure executive sponsorship"), "funded is a form of fund: {results:?}");
}

#[test]
fn inflected_forms_find_the_same_entries() {
    let reader = reader();
    let mut funding = reader.search("funding");
    let mut funded = reader.search("funded");
    funding.sort();
    funded.sort();
    assert_eq!(funding, funded);
}

#[test]
fn an_exact_title_comes_before_entries_that_mention_it() {
    let reader = reader();
    let results = reader.search("Knowledge broker");
    assert_eq!(results[0], "Knowledge broker", "{results:?}");
    assert!(results.contains(&"CoP facilitator"), "{results:?}");
}

#[test]
fn title_matches_rank_above_summary_and_body_matches() {
    let reader = reader();
    let results = reader.search("facilitator");
    let mut first_two = results[..2].to_vec();
    first_two.sort();
    assert_eq!(first_two, ["CoP facilitator", "Fund a facilitator"], "{results:?}");
    // Both titles are as long; the summary that repeats the word breaks the tie.
    assert_eq!(results[0], "Fund a facilitator", "{results:?}");
    assert!(results.contains(&"Knowledge broker"), "the body's \"funding a facilitator\" link: {results:?}");
}

#[test]
fn accents_fold_and_stop_words_are_ignored() {
    let reader = reader();
    assert_eq!(reader.search("cafe"), ["Patient partner voice"]);
    assert_eq!(reader.search("CAFÉ"), ["Patient partner voice"]);
    assert_eq!(reader.search("the café"), ["Patient partner voice"]);
}

#[test]
fn drafts_are_never_indexed() {
    let reader = reader();
    assert!(reader.search("quillwort").is_empty());
    assert!(!reader.titles.iter().any(|title| title == "Plan the next phase"));
}

#[test]
fn facets_list_every_value_with_its_documents() {
    let catalog = fixture();
    let reader = Reader::new(&super::index(&catalog, &body_texts(&catalog)));
    let facets = reader.meta["facets"].as_array().unwrap();
    let ids: Vec<&str> = facets.iter().map(|facet| facet["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["stage", "kind", "audience"]);
    // Seven published entries: as a bitmap, two digits.
    assert_eq!(reader.meta["documents"], 7);
    for (facet, lists) in facets.iter().take(1).zip([&catalog.by_stage]) {
        for (value, entries) in facet["values"].as_array().unwrap().iter().zip(lists) {
            let set = value[2].as_str().unwrap();
            let members: usize = if let Some(bitmap) = set.strip_prefix('b') {
                bitmap.bytes().map(|c| digit(c).count_ones() as usize).sum()
            } else {
                set.len() - 1
            };
            assert_eq!(members, entries.len(), "{value}");
        }
    }
}

#[test]
fn the_index_is_deterministic() {
    let catalog = fixture();
    let texts = body_texts(&catalog);
    assert_eq!(super::index(&catalog, &texts), super::index(&catalog, &texts));
}

#[test]
fn missing_body_texts_do_not_panic() {
    let catalog = fixture();
    let files = super::index(&catalog, &[]);
    assert!(files.iter().any(|file| file.path == "search/meta.js"));
}
