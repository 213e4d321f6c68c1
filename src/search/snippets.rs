//! Body sentences for snippets: `snippets/<n>.js`, loaded only for a result on screen (or
//! near it: `search-sentences.js` waits until a result comes within a quarter of a screen)
//! whose matched words are not all in its title or summary.
//!
//! Keeping whole bodies would double the index (26 MB at 10,000 entries), so each
//! document keeps only the sentences a snippet can need: in order, a sentence is kept when
//! it holds a word (folded, not a stop word) that neither the title, the summary nor an
//! earlier sentence has, so that every word of the body is in some kept sentence or
//! shown already. A long sentence is cut to `MAX_SENTENCE_CHARS` around its first new word,
//! and a document keeps about `MAX_DOCUMENT_CHARS` in all.
//!
//! The sentences are chosen while `analyze` counts the body's words, sentence by sentence
//! (a word is new where its counts in title, summary and body are still zero), so the
//! body is read once for both.

use super::encode;
use crate::sink::OutputFile;

/// Documents per `snippets/<n>.js`: a result on screen fetches its group's sentences, so
/// groups are small; a large catalog's index stays a few thousand files. (4 a file halved
/// what a result fetches, but the results near the screen are few, while 1,250 more files
/// at 10,000 entries cost the build as much as smaller `documents` files, which every
/// result shown fetches.)
pub const DOCUMENTS_PER_FILE: usize = 8;
/// Longer sentences are cut (at word boundaries) to about this many characters.
const MAX_SENTENCE_CHARS: usize = 200;
/// A document keeps sentences until they reach about this many characters: at 10,000
/// generated entries, keeping every sentence with a new word kept 30 MB (nearly every
/// sentence of prose has one) and doubled the index's share of the build; words past the
/// budget find their entry but show no body sentence.
const MAX_DOCUMENT_CHARS: usize = 600;

/// A body's sentences, split at line ends and after `.`, `!`, `?` or `;` followed by a
/// space, trimmed, empty ones left out. Splits fall between words, so the sentences hold
/// the body's words in order.
pub struct Sentences<'a> {
    body: &'a str,
    position: usize,
}

impl<'a> Sentences<'a> {
    pub fn new(body: &'a str) -> Self {
        Sentences { body, position: 0 }
    }

    /// The text not read yet.
    pub fn rest(&self) -> &'a str {
        &self.body[self.position..]
    }
}

impl<'a> Iterator for Sentences<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let bytes = self.body.as_bytes();
        while self.position < bytes.len() {
            let start = self.position;
            let mut end = bytes.len();
            self.position = bytes.len();
            for index in start..bytes.len() {
                let byte = bytes[index];
                if byte == b'\n' {
                    (end, self.position) = (index, index + 1);
                    break;
                }
                if matches!(byte, b'.' | b'!' | b'?' | b';') && bytes.get(index + 1) == Some(&b' ') {
                    (end, self.position) = (index + 1, index + 1);
                    break;
                }
            }
            let sentence = self.body[start..end].trim();
            if !sentence.is_empty() {
                return Some(sentence);
            }
        }
        None
    }
}

/// A document's snippet sentences, chosen as its body is read.
#[derive(Default)]
pub struct Picker {
    kept: Vec<String>,
    chars: usize,
}

impl Picker {
    /// Whether the document has room for more sentences.
    pub fn wants_more(&self) -> bool {
        self.chars < MAX_DOCUMENT_CHARS
    }

    /// Keeps `sentence`, whose first new word starts at byte `at`.
    pub fn keep(&mut self, sentence: &str, at: usize) {
        let excerpt = excerpt(sentence, at);
        self.chars += excerpt.chars().count();
        self.kept.push(excerpt);
    }

    pub fn into_sentences(self) -> Vec<String> {
        self.kept
    }
}

/// `sentence` cut to about `MAX_SENTENCE_CHARS`, starting a few words before byte `at`.
fn excerpt(sentence: &str, at: usize) -> String {
    if sentence.chars().count() <= MAX_SENTENCE_CHARS {
        return sentence.to_string();
    }
    // Start at most about 40 characters before the new word, at a space.
    let mut start = at.saturating_sub(40);
    while !sentence.is_char_boundary(start) {
        start -= 1;
    }
    if start > 0 {
        start = sentence[start..at].find(' ').map_or(at, |space| start + space + 1);
    }
    let rest = &sentence[start..];
    let mut end = rest.char_indices().nth(MAX_SENTENCE_CHARS).map_or(rest.len(), |(index, _)| index);
    if end < rest.len() {
        end = rest[..end].rfind(' ').unwrap_or(end);
    }
    let mut cut = String::new();
    if start > 0 {
        cut.push('…');
    }
    cut.push_str(rest[..end].trim_end());
    if end < rest.len() {
        cut.push('…');
    }
    cut
}

/// `snippets/<number>.js`: per document of the group, its kept sentences.
pub fn file(number: usize, documents: &[Vec<String>]) -> OutputFile {
    let name = format!("snippets/{number}");
    OutputFile::new(
        format!("search/{name}.js"),
        encode::script(&name, &serde_json::to_string(documents).unwrap_or_default()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::analyze::{DocumentText, Field, analyze};
    use crate::search::language::Language;
    use crate::search::text;
    use std::collections::HashSet;

    /// The sentences a document keeps, chosen the plain way (a set of the words seen so
    /// far), as `analyze` must choose them while counting.
    fn document_sentences(title: &str, summary: &str, body: &str, language: Language) -> Vec<String> {
        let mut seen: HashSet<String> = HashSet::new();
        let mut folded = String::new();
        for text in [title, summary] {
            text::for_each_word(text, &mut folded, |word| {
                seen.insert(word.to_string());
            });
        }
        let mut picker = Picker::default();
        for sentence in Sentences::new(body) {
            if !picker.wants_more() {
                break;
            }
            let mut first_new: Option<usize> = None;
            text::for_each_word_at(sentence, &mut folded, |word, at| {
                if !language.is_stop_word(word) && seen.insert(word.to_string()) && first_new.is_none() {
                    first_new = Some(at);
                }
            });
            if let Some(at) = first_new {
                picker.keep(sentence, at);
            }
        }
        picker.into_sentences()
    }

    #[test]
    fn sentences_split_at_stops_and_lines() {
        let got: Vec<&str> = Sentences::new("One two. Three? Four\nFive; six.\n\n").collect();
        assert_eq!(got, ["One two.", "Three?", "Four", "Five;", "six."]);
        let mut sentences = Sentences::new("First. Second one. Third");
        assert_eq!(sentences.next(), Some("First."));
        assert_eq!(sentences.rest(), " Second one. Third");
    }

    #[test]
    fn only_sentences_with_new_words_are_kept() {
        let kept = document_sentences(
            "Knowledge broker",
            "Carries knowledge between groups.",
            "A broker carries knowledge. The broker needs funding. Funding needs the broker.",
            Language::English,
        );
        assert_eq!(kept, ["The broker needs funding."]);
    }

    #[test]
    fn long_sentences_are_cut_around_their_first_new_word() {
        let long = format!("{} quillwort {}", "word ".repeat(60), "more ".repeat(60));
        let kept = document_sentences("Word more", "", &long, Language::English);
        assert_eq!(kept.len(), 1);
        assert!(kept[0].starts_with('…') && kept[0].ends_with('…'), "{}", kept[0]);
        assert!(kept[0].contains("quillwort"));
        assert!(kept[0].chars().count() <= MAX_SENTENCE_CHARS + 2);
    }

    /// The fast path equals the slow one: the sentences `analyze` keeps while counting
    /// are those the plain computation keeps, for bodies with stop words, accents, words
    /// in the title or summary, repeated words, long sentences and more than the budget.
    #[test]
    fn sentences_chosen_while_counting_equal_the_plain_choice() {
        let long = format!("{} quillwort, {} the end", "word ".repeat(60), "more ".repeat(60));
        let many: String = (0..80).map(|n| format!("Sentence number{n} says little. ")).collect();
        let cases: [(&str, &str, String); 5] = [
            ("Knowledge broker", "Carries knowledge.", "A broker carries knowledge. The broker needs funding.\nFunding needs the broker; a new word.".into()),
            ("Équipe", "L'équipe d'un hôpital", "Les équipes de l'hôpital. Une équipe financée! Financement?".into()),
            ("Word more", "", long),
            ("", "", many),
            ("Title", "Summary", "the and of. Title summary. x y z 7 8.".into()),
        ];
        let documents: Vec<DocumentText> = cases
            .iter()
            .map(|(title, summary, body)| {
                let mut document = DocumentText::default();
                document.fields[Field::Title as usize] = (*title).into();
                document.fields[Field::Summary as usize] = (*summary).into();
                document.fields[Field::Headings as usize] = "Heading words never count".into();
                document.fields[Field::Body as usize] = body.as_str().into();
                document
            })
            .collect();
        for language in [Language::English, Language::French] {
            let analysis = analyze(documents.len(), |number| documents[number].clone(), language);
            for ((title, summary, body), kept) in cases.iter().zip(&analysis.snippets) {
                assert_eq!(kept, &document_sentences(title, summary, body, language), "{body}");
            }
        }
    }
}
