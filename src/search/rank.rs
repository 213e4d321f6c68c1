//! BM25F, split between build and query time. The build knows everything about a
//! document, so it folds the fields (weights, length normalization, saturation) into one
//! *impact* per key and document, quantized to 1–63; the browser multiplies impacts by the
//! key's IDF and by how well the query word matched (exact, prefix, typo) and adds them up.

use super::analyze::{Analysis, Counts, FIELD_COUNT, Field};
use rayon::prelude::*;

/// Field weights, in `Field` order: title > summary > headings > stage and term names > body.
pub const WEIGHTS: [f64; FIELD_COUNT] = [8.0, 4.0, 2.5, 1.5, 1.0];
/// Length normalization per field: short fields are barely normalized.
const LENGTH_NORMALIZATION: [f64; FIELD_COUNT] = [0.4, 0.5, 0.5, 0.3, 0.75];
const K1: f64 = 1.2;
pub const MAX_IMPACT: u8 = 63;

/// A key's occurrence in a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Posting {
    pub document: u32,
    /// 1–63: how strongly the document is about the key, all fields considered.
    pub impact: u8,
    /// 0 when the key is not in the title; otherwise how many distinct keys the title has
    /// (at most 63), so that the browser can tell a title the query spells out exactly.
    pub title_keys: u8,
}

/// Inverse document frequency, BM25's (never negative).
pub fn idf(documents: usize, frequency: usize) -> f64 {
    let (n, f) = (documents as f64, frequency as f64);
    (1.0 + (n - f + 0.5) / (f + 0.5)).ln()
}

fn impact(counts: &Counts, lengths: &Counts, average: &[f64; FIELD_COUNT]) -> u8 {
    let mut weighted = 0.0;
    for field in 0..FIELD_COUNT {
        if counts[field] == 0 {
            continue;
        }
        let b = LENGTH_NORMALIZATION[field];
        let relative = if average[field] > 0.0 { lengths[field] as f64 / average[field] } else { 1.0 };
        weighted += WEIGHTS[field] * counts[field] as f64 / (1.0 - b + b * relative);
    }
    let saturated = weighted / (K1 + weighted);
    (saturated * MAX_IMPACT as f64).round().clamp(1.0, MAX_IMPACT as f64) as u8
}

/// Per key (in key order), its postings in document order.
pub fn postings(analysis: &Analysis) -> Vec<Vec<Posting>> {
    let count = analysis.documents.len().max(1) as f64;
    let mut average = [0.0; FIELD_COUNT];
    for document in &analysis.documents {
        for (sum, &length) in average.iter_mut().zip(&document.lengths) {
            *sum += length as f64;
        }
    }
    for sum in &mut average {
        *sum /= count;
    }
    let title = Field::Title as usize;
    let per_document: Vec<Vec<(u32, u8, u8)>> = analysis
        .documents
        .par_iter()
        .map(|document| {
            let title_keys =
                document.terms.iter().filter(|(_, counts)| counts[title] > 0).count().min(63) as u8;
            document
                .terms
                .iter()
                .map(|(key, counts)| {
                    let in_title = if counts[title] > 0 { title_keys } else { 0 };
                    (*key, impact(counts, &document.lengths, &average), in_title)
                })
                .collect()
        })
        .collect();
    let mut postings: Vec<Vec<Posting>> = vec![Vec::new(); analysis.keys.len()];
    for (document, terms) in per_document.into_iter().enumerate() {
        for (key, impact, title_keys) in terms {
            postings[key as usize].push(Posting { document: document as u32, impact, title_keys });
        }
    }
    postings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::analyze::{DocumentText, analyze};
    use crate::search::language::Language;

    fn document(fields: [&str; FIELD_COUNT]) -> DocumentText {
        DocumentText { fields: fields.map(str::to_string) }
    }

    #[test]
    fn a_word_in_the_title_outweighs_the_same_word_in_the_body() {
        let analysis = analyze(
            &[
                document(["Broker", "", "", "", "Some text about other things."]),
                document(["Other", "", "", "", "A broker is mentioned in the text here."]),
                document(["Other", "Broker", "", "", "Nothing."]),
                document(["Other", "", "Broker", "", "Nothing."]),
            ],
            Language::English,
        );
        let key = analysis.keys.iter().position(|key| key == "broker").unwrap();
        let postings = &postings(&analysis)[key];
        let impacts: Vec<u8> = postings.iter().map(|posting| posting.impact).collect();
        assert!(impacts[0] > impacts[2] && impacts[2] > impacts[3] && impacts[3] > impacts[1], "{impacts:?}");
        assert_eq!(postings[0].title_keys, 1);
        assert_eq!(postings[1].title_keys, 0);
    }

    #[test]
    fn rare_words_weigh_more() {
        assert!(idf(100, 1) > idf(100, 50));
        assert!(idf(100, 100) > 0.0);
    }
}
