//! From documents to terms: each document's words counted per field, every distinct word
//! stemmed once, and words grouped under their index key (the folded stem).

use super::language::Language;
use super::text;
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

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
pub struct DocumentText<'a> {
    pub fields: [Cow<'a, str>; FIELD_COUNT],
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

/// A word of the vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Word {
    pub text: String,
    /// The number of its index key.
    pub key: u32,
    /// In how many documents it appears (to prefer common words when completing).
    pub documents: u32,
}

/// The analyzed collection.
#[derive(Debug, Default)]
pub struct Analysis {
    /// Sorted, distinct index keys.
    pub keys: Vec<String>,
    /// Every indexed word (folded, not a stop word), sorted.
    pub vocabulary: Vec<Word>,
    /// In document order.
    pub documents: Vec<DocumentTerms>,
}

/// Documents analyzed together by one thread, sharing one table of words so that a word
/// is allocated and hashed once per chunk, not once per document.
const CHUNK: usize = 256;

/// A fast, deterministic hasher for short strings and integers (FxHash): the standard
/// SipHash is built to resist attackers, which an index of one's own catalog need not.
#[derive(Default, Clone, Copy)]
struct FxHasher(u64);

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(byte as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// A chunk's words (by local number) and, per document, its local words with counts.
struct Chunk {
    words: Vec<String>,
    documents: Vec<Vec<(u32, Counts)>>,
}

fn count_chunk(documents: &[DocumentText<'_>]) -> Chunk {
    let mut numbers: FastMap<String, u32> = FastMap::default();
    let mut words: Vec<String> = Vec::new();
    let mut slots: Vec<Counts> = Vec::new();
    let mut touched: Vec<u32> = Vec::new();
    let mut folded = String::new();
    let mut counted = Vec::with_capacity(documents.len());
    for document in documents {
        for (field, text) in document.fields.iter().enumerate() {
            text::for_each_word(text, &mut folded, |word| {
                let number = match numbers.get(word) {
                    Some(&number) => number,
                    None => {
                        let number = words.len() as u32;
                        let word = word.to_string();
                        words.push(word.clone());
                        numbers.insert(word, number);
                        slots.push(Counts::default());
                        number
                    }
                };
                let slot = &mut slots[number as usize];
                if *slot == Counts::default() {
                    touched.push(number);
                }
                slot[field] += 1;
            });
        }
        counted.push(
            touched.iter().map(|&number| (number, std::mem::take(&mut slots[number as usize]))).collect(),
        );
        touched.clear();
    }
    Chunk { words, documents: counted }
}

pub fn analyze(documents: &[DocumentText<'_>], language: Language) -> Analysis {
    let chunks: Vec<Chunk> = documents.par_chunks(CHUNK).map(count_chunk).collect();

    // One table of every word, and per chunk its local numbers mapped to the table's.
    let mut numbers: FastMap<&str, u32> = FastMap::default();
    let mut words: Vec<&str> = Vec::new();
    let local_to_global: Vec<Vec<u32>> = chunks
        .iter()
        .map(|chunk| {
            chunk
                .words
                .iter()
                .map(|word| {
                    *numbers.entry(word.as_str()).or_insert_with(|| {
                        words.push(word.as_str());
                        words.len() as u32 - 1
                    })
                })
                .collect()
        })
        .collect();

    let stemmer = language.stemmer();
    let stems: Vec<Option<String>> = words
        .par_iter()
        .map(|word| (!language.is_stop_word(word)).then(|| stemmer.stem(word).into_owned()))
        .collect();
    let mut keys: Vec<String> = stems.iter().flatten().cloned().collect();
    keys.sort_unstable();
    keys.dedup();
    let word_key: Vec<Option<u32>> = stems
        .iter()
        .map(|stem| stem.as_deref().and_then(|stem| keys.binary_search_by(|key| key.as_str().cmp(stem)).ok()))
        .map(|key| key.map(|key| key as u32))
        .collect();
    let mut frequency = vec![0u32; words.len()];
    for (chunk, global) in chunks.iter().zip(&local_to_global) {
        for terms in &chunk.documents {
            for (local, _) in terms {
                frequency[global[*local as usize] as usize] += 1;
            }
        }
    }
    let mut vocabulary: Vec<Word> = words
        .iter()
        .zip(&word_key)
        .zip(&frequency)
        .filter_map(|((word, key), &documents)| {
            Some(Word { text: word.to_string(), key: (*key)?, documents })
        })
        .collect();
    vocabulary.sort_unstable();

    let documents = chunks
        .par_iter()
        .zip(&local_to_global)
        .flat_map_iter(|(chunk, global)| {
            chunk.documents.iter().map(|local_terms| {
                let mut lengths = Counts::default();
                let mut terms: Vec<(u32, Counts)> = Vec::with_capacity(local_terms.len());
                for (local, word_counts) in local_terms {
                    let Some(key) = word_key[global[*local as usize] as usize] else { continue };
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
        })
        .collect();

    Analysis { keys, vocabulary, documents }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document<'a>(title: &'a str, body: &'a str) -> DocumentText<'a> {
        let mut document = DocumentText::default();
        document.fields[Field::Title as usize] = title.into();
        document.fields[Field::Body as usize] = body.into();
        document
    }

    #[test]
    fn inflected_words_share_a_key_and_stop_words_are_dropped() {
        let analysis = analyze(
            &[document("Funding the facilitator", "Funded facilitators fund the work.")],
            Language::English,
        );
        let words: Vec<&str> = analysis.vocabulary.iter().map(|word| word.text.as_str()).collect();
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
