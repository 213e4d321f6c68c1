//! From documents to terms: each document's words counted per field, every distinct word
//! stemmed once, and words grouped under their index key (the folded stem).
//!
//! A large catalog has many counts (one per document and distinct word: 1.9 million at
//! 10,000 entries), so they are held once, compactly (`Terms`: 9 bytes each), in the
//! chunks they were counted in, renumbered by key in place; `rank` consumes them chunk by
//! chunk.

use super::language::Language;
use super::numbers::{FastMap, WordNumbers};
use super::{snippets, text};
use rayon::prelude::*;
use std::borrow::Cow;

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

/// A word of the vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Word {
    pub text: String,
    /// The number of its index key.
    pub key: u32,
    /// In how many documents it appears (to prefer common words when completing).
    pub documents: u32,
}

/// Documents analyzed together by one thread, sharing one table of words so that a word
/// is allocated and hashed once per chunk, not once per document.
const CHUNK: usize = 256;

/// A chunk's distinct words, by local number, in one string (a `String` each would cost
/// more than most words are long).
#[derive(Default)]
struct Words {
    text: String,
    /// Per word, where it ends in `text`.
    ends: Vec<u32>,
}

impl Words {
    fn push(&mut self, word: &str) {
        self.text.push_str(word);
        self.ends.push(self.text.len() as u32);
    }

    fn get(&self, number: usize) -> &str {
        let start = if number == 0 { 0 } else { self.ends[number - 1] as usize };
        &self.text[start..self.ends[number] as usize]
    }

    fn len(&self) -> usize {
        self.ends.len()
    }
}

/// A count that does not fit in a byte: the bytes of its entry say `LARGE`, and its
/// counts are kept whole aside.
const LARGE: u8 = u8::MAX;

/// Words (or keys) with their counts per field, one entry per document and word, in
/// document order: a byte per count, so 9 bytes an entry where `(u32, Counts)` takes 24.
/// Counts from 255 up are rare (a common word in a long body) and kept whole in `large`.
#[derive(Debug, Default)]
struct Terms {
    words: Vec<u32>,
    counts: Vec<[u8; FIELD_COUNT]>,
    /// Entries with a count that does not fit in a byte, by position, in order.
    large: Vec<(u32, Counts)>,
}

impl Terms {
    fn push(&mut self, word: u32, counts: &Counts) {
        let bytes = if counts.iter().all(|&count| count < LARGE as u32) {
            counts.map(|count| count as u8)
        } else {
            self.large.push((self.words.len() as u32, *counts));
            [LARGE; FIELD_COUNT]
        };
        self.words.push(word);
        self.counts.push(bytes);
    }

    fn get(&self, index: usize) -> (u32, Counts) {
        let bytes = self.counts[index];
        // A count in bytes is below `LARGE`: an entry is all bytes or all `LARGE`.
        let counts = if bytes[0] == LARGE {
            let position = self.large.partition_point(|&(position, _)| (position as usize) < index);
            self.large[position].1
        } else {
            bytes.map(u32::from)
        };
        (self.words[index], counts)
    }
}

/// A run of consecutive documents (at most `CHUNK`) after counting: per document, its
/// field lengths and its terms. `analyze` leaves the terms numbered by key.
#[derive(Debug, Default)]
pub struct Chunk {
    /// Per document, how many indexed words (stop words left out) each field holds.
    lengths: Vec<Counts>,
    /// Per document, where its terms end in `terms`.
    ends: Vec<u32>,
    terms: Terms,
}

impl Chunk {
    /// The number of documents in the chunk.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Calls `f`, document by document, with the document's field lengths and its terms:
    /// per key its counts per field, each key once (words that share a key, fund and
    /// funding, add up), in the order the document first has them. `sums` is scratch space
    /// of one `Counts` per key, all zero, and left so.
    pub fn for_each_document(&self, sums: &mut [Counts], mut f: impl FnMut(&Counts, &[(u32, Counts)])) {
        let mut terms: Vec<(u32, Counts)> = Vec::new();
        let mut start = 0;
        for (lengths, &end) in self.lengths.iter().zip(&self.ends) {
            terms.clear();
            for index in start..end as usize {
                let (key, counts) = self.terms.get(index);
                let sum = &mut sums[key as usize];
                if *sum == Counts::default() {
                    terms.push((key, Counts::default()));
                }
                for (sum, count) in sum.iter_mut().zip(counts) {
                    *sum += count;
                }
            }
            for (key, counts) in &mut terms {
                *counts = std::mem::take(&mut sums[*key as usize]);
            }
            f(lengths, &terms);
            start = end as usize;
        }
    }
}

/// Every document's terms, in document order, by chunks.
#[derive(Debug, Default)]
pub struct Documents {
    pub chunks: Vec<Chunk>,
    /// Per field, the sum of every document's length.
    pub total_lengths: [u64; FIELD_COUNT],
}

impl Documents {
    pub fn len(&self) -> usize {
        self.chunks.iter().map(Chunk::len).sum()
    }

    /// Per field, the average length of a document.
    pub fn average_lengths(&self) -> [f64; FIELD_COUNT] {
        let count = self.len().max(1) as f64;
        self.total_lengths.map(|total| total as f64 / count)
    }
}

/// The analyzed collection.
#[derive(Debug, Default)]
pub struct Analysis {
    /// Sorted, distinct index keys.
    pub keys: Vec<String>,
    /// Every indexed word (folded, not a stop word), sorted.
    pub vocabulary: Vec<Word>,
    pub documents: Documents,
    /// Per document, the body sentences its snippets may need (see `snippets`).
    pub snippets: Vec<Vec<String>>,
}

/// What counting a chunk learns, its words numbered locally.
struct Counted {
    words: Words,
    /// Per local word, in how many of the chunk's documents it appears.
    frequency: Vec<u32>,
    chunk: Chunk,
    /// Per document, its snippet sentences.
    snippets: Vec<Vec<String>>,
}

/// The local number of a stop word: not counted.
const STOP_WORD: u32 = u32::MAX;

/// Counts the words of a chunk's documents, one document at a time.
struct Counter {
    language: Language,
    numbers: WordNumbers,
    words: Words,
    frequency: Vec<u32>,
    /// Per local word, its counts in the document being read.
    slots: Vec<Counts>,
    /// The local words of the document being read.
    touched: Vec<u32>,
    lengths: Counts,
    chunk: Chunk,
}

impl Counter {
    fn new(language: Language) -> Counter {
        Counter {
            language,
            numbers: WordNumbers::default(),
            words: Words::default(),
            frequency: Vec::new(),
            slots: Vec::new(),
            touched: Vec::new(),
            lengths: Counts::default(),
            chunk: Chunk::default(),
        }
    }

    /// Counts `word` in `field`. Whether it is new to the snippets: not a stop word, and not
    /// in the document's title, summary or body so far.
    fn count(&mut self, word: &str, field: usize) -> bool {
        let number = self.numbers.number(word, || {
            if self.language.is_stop_word(word) {
                return STOP_WORD;
            }
            self.words.push(word);
            self.slots.push(Counts::default());
            self.frequency.push(0);
            self.words.len() as u32 - 1
        });
        if number == STOP_WORD {
            return false;
        }
        let slot = &mut self.slots[number as usize];
        let new = [Field::Title, Field::Summary, Field::Body].iter().all(|&field| slot[field as usize] == 0);
        if *slot == Counts::default() {
            self.touched.push(number);
        }
        slot[field] += 1;
        self.lengths[field] += 1;
        new
    }

    /// Counts a body sentence by sentence, keeping the sentences that snippets need.
    fn count_body(&mut self, body: &str, folded: &mut String) -> Vec<String> {
        let body_field = Field::Body as usize;
        let mut picker = snippets::Picker::default();
        let mut sentences = snippets::Sentences::new(body);
        while picker.wants_more() {
            let Some(sentence) = sentences.next() else { break };
            let mut first_new = None;
            text::for_each_word_at(sentence, folded, |word, at| {
                if self.count(word, body_field) && first_new.is_none() {
                    first_new = Some(at);
                }
            });
            if let Some(at) = first_new {
                picker.keep(sentence, at);
            }
        }
        text::for_each_word(sentences.rest(), folded, |word| {
            self.count(word, body_field);
        });
        picker.into_sentences()
    }

    /// Ends the document being read: its terms go to the chunk.
    fn end_document(&mut self) {
        for &number in &self.touched {
            self.chunk.terms.push(number, &std::mem::take(&mut self.slots[number as usize]));
            self.frequency[number as usize] += 1;
        }
        self.touched.clear();
        self.chunk.lengths.push(std::mem::take(&mut self.lengths));
        self.chunk.ends.push(self.chunk.terms.words.len() as u32);
    }
}

fn count_chunk<'a>(
    documents: std::ops::Range<usize>,
    text: impl Fn(usize) -> DocumentText<'a>,
    language: Language,
) -> Counted {
    let mut counter = Counter::new(language);
    let mut folded = String::new();
    let mut snippets = Vec::with_capacity(documents.len());
    for document in documents {
        let document = text(document);
        // Fields in `Field` order: the body last, so that title and summary are counted
        // when the body's sentences are chosen.
        let [title, summary, headings, tags, body] = &document.fields;
        for (field, text) in [title, summary, headings, tags].into_iter().enumerate() {
            text::for_each_word(text, &mut folded, |word| {
                counter.count(word, field);
            });
        }
        snippets.push(counter.count_body(body, &mut folded));
        counter.end_document();
    }
    let Counter { words, frequency, chunk, .. } = counter;
    Counted { words, frequency, chunk, snippets }
}

/// Analyzes documents `0..documents`, `text(n)` giving document `n`'s text.
///
/// Documents are counted in chunks in parallel; then every distinct word is stemmed once,
/// the keys are numbered, and each chunk's words are renumbered by key in place. The
/// counts are kept once, compactly (see `Terms`), until `rank` turns them into postings.
pub fn analyze<'a>(
    documents: usize,
    text: impl Fn(usize) -> DocumentText<'a> + Sync,
    language: Language,
) -> Analysis {
    let mut counted: Vec<Counted> = (0..documents.div_ceil(CHUNK))
        .into_par_iter()
        .map(|chunk| count_chunk(chunk * CHUNK..documents.min((chunk + 1) * CHUNK), &text, language))
        .collect();
    let snippets = counted.iter_mut().flat_map(|counted| std::mem::take(&mut counted.snippets)).collect();

    // One table of every word, and per chunk its local numbers mapped to the table's.
    let mut numbers: FastMap<&str, u32> = FastMap::default();
    let mut words: Vec<&str> = Vec::new();
    let mut frequency: Vec<u32> = Vec::new();
    let local_to_global: Vec<Vec<u32>> = counted
        .iter()
        .map(|counted| {
            (0..counted.words.len())
                .map(|local| {
                    let word = counted.words.get(local);
                    let global = *numbers.entry(word).or_insert_with(|| {
                        words.push(word);
                        frequency.push(0);
                        words.len() as u32 - 1
                    });
                    frequency[global as usize] += counted.frequency[local];
                    global
                })
                .collect()
        })
        .collect();
    drop(numbers);

    let stemmer = language.stemmer();
    let stems: Vec<String> = words.par_iter().map(|word| stemmer.stem(word).into_owned()).collect();
    let mut keys: Vec<String> = stems.clone();
    keys.sort_unstable();
    keys.dedup();
    // Every stem is a key: the search finds it.
    let word_key: Vec<u32> =
        stems.iter().map(|stem| keys.binary_search(stem).map_or(0, |key| key as u32)).collect();
    drop(stems);
    let mut vocabulary: Vec<Word> = words
        .iter()
        .zip(&word_key)
        .zip(&frequency)
        .map(|((word, &key), &documents)| Word { text: word.to_string(), key, documents })
        .collect();
    vocabulary.sort_unstable();
    drop(words);

    let mut total_lengths = [0u64; FIELD_COUNT];
    let chunks: Vec<Chunk> = counted
        .into_par_iter()
        .zip(local_to_global)
        .map(|(counted, global)| {
            let mut chunk = counted.chunk;
            for word in &mut chunk.terms.words {
                *word = word_key[global[*word as usize] as usize];
            }
            chunk
        })
        .collect();
    for lengths in chunks.iter().flat_map(|chunk| &chunk.lengths) {
        for (total, &length) in total_lengths.iter_mut().zip(lengths) {
            *total += length as u64;
        }
    }

    Analysis { keys, vocabulary, documents: Documents { chunks, total_lengths }, snippets }
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

    fn analyze_all(documents: &[DocumentText<'_>], language: Language) -> Analysis {
        analyze(documents.len(), |number| documents[number].clone(), language)
    }

    /// Per document, its lengths and its terms.
    fn terms(analysis: &Analysis) -> Vec<(Counts, Vec<(u32, Counts)>)> {
        let mut all = Vec::new();
        let mut sums = vec![Counts::default(); analysis.keys.len()];
        for chunk in &analysis.documents.chunks {
            chunk.for_each_document(&mut sums, |lengths, terms| {
                let mut terms = terms.to_vec();
                terms.sort();
                all.push((*lengths, terms));
            });
        }
        all
    }

    #[test]
    fn inflected_words_share_a_key_and_stop_words_are_dropped() {
        let analysis = analyze_all(
            &[document("Funding the facilitator", "Funded facilitators fund the work.")],
            Language::English,
        );
        let words: Vec<&str> = analysis.vocabulary.iter().map(|word| word.text.as_str()).collect();
        assert_eq!(words, ["facilitator", "facilitators", "fund", "funded", "funding", "work"]);
        assert_eq!(analysis.keys, ["facilit", "fund", "work"]);
        let terms = terms(&analysis);
        let (lengths, terms) = &terms[0];
        // facilitator(s): once in the title, once in the body; fund: once in the title,
        // twice in the body; work: once in the body.
        assert_eq!(terms, &[(0, [1, 0, 0, 0, 1]), (1, [1, 0, 0, 0, 2]), (2, [0, 0, 0, 0, 1])]);
        assert_eq!(*lengths, [2, 0, 0, 0, 4]);
        assert_eq!(analysis.documents.total_lengths, [2, 0, 0, 0, 4]);
    }

    #[test]
    fn accented_and_plain_spellings_meet() {
        let analysis = analyze_all(&[document("Équipe", "equipe")], Language::French);
        assert_eq!(analysis.vocabulary.len(), 1);
        assert_eq!(terms(&analysis)[0].1, [(0, [1, 0, 0, 0, 1])]);
    }

    #[test]
    fn counts_too_large_for_a_byte_are_kept_whole() {
        let body = "broker ".repeat(300) + &"partner ".repeat(254);
        let analysis = analyze_all(&[document("Broker partner", &body)], Language::English);
        assert_eq!(analysis.keys, ["broker", "partner"]);
        assert_eq!(terms(&analysis)[0].1, [(0, [1, 0, 0, 0, 300]), (1, [1, 0, 0, 0, 254])]);
        assert_eq!(analysis.documents.total_lengths, [2, 0, 0, 0, 554]);
    }

    #[test]
    fn documents_keep_their_order_and_words_their_frequency_across_chunks() {
        let bodies: Vec<String> =
            (0..CHUNK * 2 + 3).map(|number| format!("common word{}", number % 3)).collect();
        let documents: Vec<DocumentText> = bodies.iter().map(|body| document("", body)).collect();
        let analysis = analyze_all(&documents, Language::English);
        assert_eq!(analysis.documents.chunks.len(), 3);
        assert_eq!(analysis.documents.len(), documents.len());
        let frequency =
            |text: &str| analysis.vocabulary.iter().find(|word| word.text == text).unwrap().documents;
        assert_eq!(frequency("common"), documents.len() as u32);
        assert_eq!(frequency("word2"), (0..documents.len()).filter(|number| number % 3 == 2).count() as u32);
        let key = |text: &str| analysis.keys.iter().position(|key| key == text).unwrap() as u32;
        for (number, (lengths, terms)) in self::terms(&analysis).into_iter().enumerate() {
            assert_eq!(lengths, [0, 0, 0, 0, 2]);
            let word = key(&format!("word{}", number % 3));
            let mut expected = vec![(key("common"), [0, 0, 0, 0, 1]), (word, [0, 0, 0, 0, 1])];
            expected.sort();
            assert_eq!(terms, expected, "document {number}");
        }
    }
}
