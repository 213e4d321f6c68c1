//! BM25F, split between build and query time. The build knows everything about a
//! document, so it folds the fields (weights, length normalization, saturation) into one
//! *impact* per key and document, quantized to 1–63; the browser multiplies impacts by the
//! key's IDF and by how well the query word matched (exact, prefix, typo) and adds them up.

use super::analyze::{Chunk, Counts, Documents, FIELD_COUNT, Field};
use rayon::prelude::*;

/// Field weights, in `Field` order: title > summary > headings > stage and term names > body.
pub const WEIGHTS: [f64; FIELD_COUNT] = [8.0, 4.0, 2.5, 1.5, 1.0];
/// Length normalization per field: short fields are barely normalized.
const LENGTH_NORMALIZATION: [f64; FIELD_COUNT] = [0.4, 0.5, 0.5, 0.3, 0.75];
const K1: f64 = 1.2;
pub const MAX_IMPACT: u8 = 63;

/// A key's occurrence in a document.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Posting {
    pub document: u32,
    /// 1–63: how strongly the document is about the key, all fields considered.
    pub impact: u8,
    /// 0 when the key is not in the title; otherwise how many distinct keys the title has
    /// (at most 63), so that the browser can tell a title the query spells out exactly.
    pub title_keys: u8,
}

/// Every key's postings, in one list sorted by key, then by document.
#[derive(Debug, Default)]
pub struct Postings {
    /// Per key, where its postings start in `list`; then the length of `list`.
    starts: Vec<usize>,
    list: Vec<Posting>,
}

impl Postings {
    /// Key `key`'s postings, in document order.
    pub fn of(&self, key: usize) -> &[Posting] {
        &self.list[self.starts[key]..self.starts[key + 1]]
    }

    /// From each key's postings, in key order.
    #[cfg(test)]
    pub fn from_lists(lists: &[Vec<Posting>]) -> Postings {
        let mut starts = vec![0];
        starts.extend(lists.iter().scan(0, |end, list| {
            *end += list.len();
            Some(*end)
        }));
        Postings { starts, list: lists.concat() }
    }
}

/// Inverse document frequency, BM25's (never negative).
pub fn idf(documents: usize, frequency: usize) -> f64 {
    let (n, f) = (documents as f64, frequency as f64);
    (1.0 + (n - f + 0.5) / (f + 0.5)).ln()
}

/// Per field, what BM25 divides a document's counts by: 1 for a field of average length,
/// more for a longer one. The same for every key of the document, so computed once.
fn normalization(lengths: &Counts, average: &[f64; FIELD_COUNT]) -> [f64; FIELD_COUNT] {
    std::array::from_fn(|field| {
        let b = LENGTH_NORMALIZATION[field];
        let relative = if average[field] > 0.0 { lengths[field] as f64 / average[field] } else { 1.0 };
        1.0 - b + b * relative
    })
}

fn impact(counts: &Counts, normalization: &[f64; FIELD_COUNT]) -> u8 {
    let mut weighted = 0.0;
    for field in 0..FIELD_COUNT {
        if counts[field] == 0 {
            continue;
        }
        weighted += WEIGHTS[field] * counts[field] as f64 / normalization[field];
    }
    let saturated = weighted / (K1 + weighted);
    (saturated * MAX_IMPACT as f64).round().clamp(1.0, MAX_IMPACT as f64) as u8
}

/// A key's impact in a document, before postings are grouped by key.
#[derive(Clone, Copy)]
struct Scored {
    key: u32,
    impact: u8,
    title_keys: u8,
}

/// A chunk's documents, each its keys scored.
struct ScoredChunk {
    /// Per document, where its keys end in `scored`.
    ends: Vec<u32>,
    scored: Vec<Scored>,
}

fn score(chunk: &Chunk, average: &[f64; FIELD_COUNT], sums: &mut [Counts]) -> ScoredChunk {
    let title = Field::Title as usize;
    let mut scored = ScoredChunk { ends: Vec::with_capacity(chunk.len()), scored: Vec::new() };
    chunk.for_each_document(sums, |lengths, terms| {
        let title_keys = terms.iter().filter(|(_, counts)| counts[title] > 0).count().min(63) as u8;
        let normalization = normalization(lengths, average);
        scored.scored.extend(terms.iter().map(|(key, counts)| Scored {
            key: *key,
            impact: impact(counts, &normalization),
            title_keys: if counts[title] > 0 { title_keys } else { 0 },
        }));
        scored.ends.push(scored.scored.len() as u32);
    });
    scored
}

/// Every key's postings, for `keys` keys. The chunks of documents are scored in parallel,
/// each chunk's counts dropped once scored; then the postings are grouped by key with a
/// counting sort, each chunk's scores dropped once placed. So the postings are held in
/// full about twice at most, in 8 bytes each.
pub fn postings(documents: Documents, keys: usize) -> Postings {
    let average = documents.average_lengths();
    // Scratch space to add up each document's counts by key, one per thread.
    let chunks: Vec<ScoredChunk> = documents
        .chunks
        .into_par_iter()
        .map_init(|| vec![Counts::default(); keys], |sums, chunk| score(&chunk, &average, sums))
        .collect();

    let mut starts = vec![0; keys + 1];
    for scored in chunks.iter().flat_map(|chunk| &chunk.scored) {
        starts[scored.key as usize + 1] += 1;
    }
    for key in 0..keys {
        starts[key + 1] += starts[key];
    }
    let mut next = starts[..keys].to_vec();
    let mut list = vec![Posting::default(); starts[keys]];
    let mut document = 0;
    for chunk in chunks {
        let mut start = 0;
        for end in chunk.ends {
            for scored in &chunk.scored[start..end as usize] {
                let key = scored.key as usize;
                list[next[key]] = Posting { document, impact: scored.impact, title_keys: scored.title_keys };
                next[key] += 1;
            }
            document += 1;
            start = end as usize;
        }
    }
    Postings { starts, list }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::analyze::{Analysis, DocumentText, analyze};
    use crate::search::language::Language;

    fn document(fields: [&str; FIELD_COUNT]) -> DocumentText<'_> {
        DocumentText { fields: fields.map(Into::into) }
    }

    fn analyze_all(documents: &[DocumentText<'_>]) -> Analysis {
        analyze(documents.len(), |number| documents[number].clone(), Language::English)
    }

    #[test]
    fn a_word_in_the_title_outweighs_the_same_word_in_the_body() {
        let analysis = analyze_all(&[
            document(["Broker", "", "", "", "Some text about other things."]),
            document(["Other", "", "", "", "A broker is mentioned in the text here."]),
            document(["Other", "Broker", "", "", "Nothing."]),
            document(["Other", "", "Broker", "", "Nothing."]),
        ]);
        let key = analysis.keys.iter().position(|key| key == "broker").unwrap();
        let postings = postings(analysis.documents, analysis.keys.len());
        let postings = postings.of(key);
        let documents: Vec<u32> = postings.iter().map(|posting| posting.document).collect();
        assert_eq!(documents, [0, 1, 2, 3]);
        let impacts: Vec<u8> = postings.iter().map(|posting| posting.impact).collect();
        assert!(impacts[0] > impacts[2] && impacts[2] > impacts[3] && impacts[3] > impacts[1], "{impacts:?}");
        assert_eq!(postings[0].title_keys, 1);
        assert_eq!(postings[1].title_keys, 0);
    }

    #[test]
    fn postings_are_grouped_by_key_in_document_order_across_chunks() {
        let bodies: Vec<&str> =
            (0..600).map(|number| ["alpha beta", "alpha", "beta", "gamma"][number % 4]).collect();
        let documents: Vec<DocumentText> =
            bodies.iter().map(|body| document(["", "", "", "", body])).collect();
        let analysis = analyze_all(&documents);
        assert_eq!(analysis.keys, ["alpha", "beta", "gamma"]);
        let postings = postings(analysis.documents, analysis.keys.len());
        for (key, remainders) in [[0, 1], [0, 2], [3, 3]].iter().enumerate() {
            let documents: Vec<u32> = postings.of(key).iter().map(|posting| posting.document).collect();
            let expected: Vec<u32> = (0..600).filter(|number| remainders.contains(&(number % 4))).collect();
            assert_eq!(documents, expected, "{}", ["alpha", "beta", "gamma"][key]);
        }
    }

    #[test]
    fn title_keys_count_distinct_keys_of_the_title() {
        let analysis = analyze_all(&[document(["Funding the fund broker", "", "", "", "broker partner"])]);
        assert_eq!(analysis.keys, ["broker", "fund", "partner"]);
        let postings = postings(analysis.documents, analysis.keys.len());
        let title_keys: Vec<u8> = (0..3).map(|key| postings.of(key)[0].title_keys).collect();
        assert_eq!(title_keys, [2, 2, 0]);
    }

    #[test]
    fn rare_words_weigh_more() {
        assert!(idf(100, 1) > idf(100, 50));
        assert!(idf(100, 100) > 0.0);
    }
}
