//! Body sentences for snippets: `snippets/<n>.js`, loaded only for a result on screen whose
//! matched words are not all in its title or summary.
//!
//! Keeping whole bodies would double the index (26 MB at 10,000 entries), so each
//! document keeps only the sentences a snippet can need: in order, a sentence is kept when
//! it holds a word (folded, not a stop word) that neither the title, the summary nor an
//! earlier kept sentence has, so that every word of the body is in some kept sentence or
//! shown already. A long sentence is cut to `MAX_SENTENCE_CHARS` around its first new word,
//! and a document keeps about `MAX_DOCUMENT_CHARS` in all.

use super::encode;
use super::language::Language;
use super::text;
use crate::sink::OutputFile;
use std::collections::HashSet;

/// Documents per `snippets/<n>.js`: a result on screen fetches its group's sentences, so
/// groups are small; a large catalog's index stays a few thousand files.
pub const DOCUMENTS_PER_FILE: usize = 8;
/// Longer sentences are cut (at word boundaries) to about this many characters.
const MAX_SENTENCE_CHARS: usize = 200;
/// A document keeps sentences until they reach about this many characters: at 10,000
/// generated entries, keeping every sentence with a new word kept 30 MB (nearly every
/// sentence of prose has one) and doubled the index's share of the build; words past the
/// budget find their entry but show no body sentence.
const MAX_DOCUMENT_CHARS: usize = 600;

/// A document's text, as the snippets need it.
pub struct SnippetSource<'a> {
    pub title: &'a str,
    pub summary: &'a str,
    pub body: &'a str,
}

/// Splits at line ends and after `.`, `!`, `?` or `;` followed by a space.
fn sentences(body: &str) -> impl Iterator<Item = &str> {
    body.split('\n').flat_map(|line| {
        let mut pieces = Vec::new();
        let mut start = 0;
        let bytes = line.as_bytes();
        for (index, &byte) in bytes.iter().enumerate() {
            if matches!(byte, b'.' | b'!' | b'?' | b';') && bytes.get(index + 1) == Some(&b' ') {
                pieces.push(&line[start..=index]);
                start = index + 1;
            }
        }
        pieces.push(&line[start..]);
        pieces.into_iter().map(str::trim).filter(|piece| !piece.is_empty())
    })
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

/// The sentences a document keeps for snippets.
pub fn document_sentences(source: &SnippetSource, language: Language) -> Vec<String> {
    let mut seen: HashSet<String> = HashSet::new();
    let mut folded = String::new();
    for text in [source.title, source.summary] {
        text::for_each_word(text, &mut folded, |word| {
            seen.insert(word.to_string());
        });
    }
    let mut kept = Vec::new();
    let mut kept_chars = 0;
    for sentence in sentences(source.body) {
        if kept_chars >= MAX_DOCUMENT_CHARS {
            break;
        }
        // Where the sentence's first new word starts: words are found again in the raw
        // text by their position among the sentence's words.
        let mut first_new: Option<usize> = None;
        let mut number = 0;
        text::for_each_word(sentence, &mut folded, |word| {
            if !language.is_stop_word(word) && seen.insert(word.to_string()) && first_new.is_none() {
                first_new = Some(number);
            }
            number += 1;
        });
        let Some(new_word) = first_new else {
            continue;
        };
        let at = word_start(sentence, new_word);
        let excerpt = excerpt(sentence, at);
        kept_chars += excerpt.chars().count();
        kept.push(excerpt);
    }
    kept
}

/// The byte where the `number`th indexable word of `sentence` starts (approximately: a
/// word `for_each_word` skips, a single letter, still counts here, so this may be a word
/// early, which only widens the excerpt's start).
fn word_start(sentence: &str, number: usize) -> usize {
    let mut count = 0;
    let mut in_word = false;
    for (index, c) in sentence.char_indices() {
        let word_char = c.is_alphanumeric();
        if word_char && !in_word {
            if count == number {
                return index;
            }
            count += 1;
        }
        in_word = word_char;
    }
    0
}

/// `snippets/<number>.js`: per document of the group, its kept sentences.
pub fn file(number: usize, documents: &[SnippetSource], language: Language) -> OutputFile {
    let data: Vec<Vec<String>> =
        documents.iter().map(|source| document_sentences(source, language)).collect();
    let name = format!("snippets/{number}");
    OutputFile::new(
        format!("search/{name}.js"),
        encode::script(&name, &serde_json::to_string(&data).unwrap_or_default()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_split_at_stops_and_lines() {
        let got: Vec<&str> = sentences("One two. Three? Four\nFive; six.\n\n").collect();
        assert_eq!(got, ["One two.", "Three?", "Four", "Five;", "six."]);
    }

    #[test]
    fn only_sentences_with_new_words_are_kept() {
        let source = SnippetSource {
            title: "Knowledge broker",
            summary: "Carries knowledge between groups.",
            body: "A broker carries knowledge. The broker needs funding. Funding needs the broker.",
        };
        assert_eq!(document_sentences(&source, Language::English), ["The broker needs funding."]);
    }

    #[test]
    fn long_sentences_are_cut_around_their_first_new_word() {
        let long = format!("{} quillwort {}", "word ".repeat(60), "more ".repeat(60));
        let source = SnippetSource { title: "Word more", summary: "", body: &long };
        let kept = document_sentences(&source, Language::English);
        assert_eq!(kept.len(), 1);
        assert!(kept[0].starts_with('…') && kept[0].ends_with('…'), "{}", kept[0]);
        assert!(kept[0].contains("quillwort"));
        assert!(kept[0].chars().count() <= MAX_SENTENCE_CHARS + 2);
    }
}
