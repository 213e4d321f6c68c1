//! From documents to terms: each document's words counted per field, every distinct word
//! stemmed once, and words grouped under their index key (the folded stem).

use super::language::Language;
use super::text;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};

/// The fields of a document, most telling first. Ranking weighs them in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Title = 0,
    Summary = 1,
    Headings = 2,
    /// Stage and taxonomy term names.
    Tags = 3,
    Body = 4,
}

pub const FIELD_COUNT: usize = 5;

/// What a reader sees of an entry, as plain text per field.
#[derive(Debug, Clone, Default)]
pub struct DocumentText {
    pub fields: [String; FIELD_COUNT],
}

/// Per field counts.
pub type Counts = [u32; FIELD_COUNT];

/// One document after analysis: how many key occurrences each field holds, and per key
/// (sorted by key number) its counts per field.
#[derive(Debug, Clone, Default)]
pub struct DocumentTerms {
    pub lengths: Counts,
    pub terms: Vec<(u32, Counts)>,
}

/// The analyzed collection.
#[derive(Debug, Default)]
pub struct Analysis {
    /// Sorted, distinct index keys.
    pub keys: Vec<String>,
    /// Every indexed word (folded, not a stop word), sorted, with the number of its key.
    pub vocabulary: Vec<(String, u32)>,
    /// In document order.
    pub documents: Vec<DocumentTerms>,
}

fn count_words(document: &DocumentText) -> HashMap<String, Counts> {
    let mut counts: HashMap<String, Counts> = HashMap::new();
    for (field, text) in document.fields.iter().enumerate() {
        for word in text::tokens(text) {
            counts.entry(word).or_default()[field] += 1;
        }
    }
    counts
}

pub fn analyze(documents: &[DocumentText], language: Language) -> Analysis {
    let counted: Vec<HashMap<String, Counts>> = documents.par_iter().map(count_words).collect();

    let mut distinct: HashSet<&str> = HashSet::new();
    for counts in &counted {
        distinct.extend(counts.keys().map(String::as_str));
    }
    let mut words: Vec<&str> = distinct.into_iter().collect();
    words.sort_unstable();
    let stemmer = language.stemmer();
    let stems: Vec<Option<String>> = words
        .par_iter()
        .map(|word| (!language.is_stop_word(word)).then(|| stemmer.stem(word).into_owned()))
        .collect();

    let mut keys: Vec<String> = stems.iter().flatten().cloned().collect();
    keys.sort_unstable();
    keys.dedup();
    let key_number: HashMap<&str, u32> =
        keys.iter().enumerate().map(|(number, key)| (key.as_str(), number as u32)).collect();
    let word_key: HashMap<&str, u32> = words
        .iter()
        .zip(&stems)
        .filter_map(|(word, stem)| Some((*word, key_number[stem.as_deref()?])))
        .collect();
    let vocabulary: Vec<(String, u32)> =
        words.iter().filter_map(|word| Some((word.to_string(), *word_key.get(word)?))).collect();

    let documents = counted
        .par_iter()
        .map(|counts| {
            let mut lengths = Counts::default();
            let mut terms: Vec<(u32, Counts)> = Vec::with_capacity(counts.len());
            for (word, word_counts) in counts {
                let Some(&key) = word_key.get(word.as_str()) else {
                    continue;
                };
                terms.push((key, *word_counts));
                for (length, count) in lengths.iter_mut().zip(word_counts) {
                    *length += count;
                }
            }
            terms.sort_unstable_by_key(|&(key, _)| key);
            // Words that share a key (fund, funding) add up.
            terms.dedup_by(|later, earlier| {
                if later.0 != earlier.0 {
                    return false;
                }
                for (sum, count) in earlier.1.iter_mut().zip(later.1) {
                    *sum += count;
                }
                true
            });
            DocumentTerms { lengths, terms }
        })
        .collect();

    Analysis { keys, vocabulary, documents }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(title: &str, body: &str) -> DocumentText {
        let mut document = DocumentText::default();
        document.fields[Field::Title as usize] = title.to_string();
        document.fields[Field::Body as usize] = body.to_string();
        document
    }

    #[test]
    fn inflected_words_share_a_key_and_stop_words_are_dropped() {
        let analysis = analyze(
            &[document("Funding the facilitator", "Funded facilitators fund the work.")],
            Language::English,
        );
        let words: Vec<&str> = analysis.vocabulary.iter().map(|(word, _)| word.as_str()).collect();
        assert_eq!(words, ["facilitator", "facilitators", "fund", "funded", "funding", "work"]);
        assert_eq!(analysis.keys, ["facilit", "fund", "work"]);
        let terms = &analysis.documents[0].terms;
        // fund: once in the title, twice in the body.
        assert_eq!(terms[1], (1, [1, 0, 0, 0, 2]));
        assert_eq!(analysis.documents[0].lengths, [2, 0, 0, 0, 4]);
    }

    #[test]
    fn accented_and_plain_spellings_meet() {
        let analysis = analyze(&[document("Équipe", "equipe")], Language::French);
        assert_eq!(analysis.vocabulary.len(), 1);
        assert_eq!(analysis.documents[0].terms[0].1, [1, 0, 0, 0, 1]);
    }
}
