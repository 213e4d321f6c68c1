//! The rests index, `search/rests/<n>.js`, for typos in a word's first letter: every word
//! of `REST_MIN_CHARS` or more, keyed by the rest of the word after its first letter, so
//! that "nowledge" finds "knowledge" without reading every word of the vocabulary.
//!
//! The browser looks a query word up by two-letter beginnings of rests, one for each way
//! the first letter can be wrong: missing ("nowledge": rests starting "no"), mistyped
//! ("xnowledge": "no"), added ("xknowledge": "no", words starting with "k") and swapped
//! with the second ("nkowledge": "no"). So the two letters after the mistake must be right
//! (the rest of the word may hold another typo), and each lookup reads only the parts
//! holding its two letters: parts are small (`REST_SHARD_BYTES`) and cut between two-letter
//! groups where they can be, so that a lookup reads one or two.
//!
//! Entries are sorted by rest and front-coded: a digit (shared prefix length in UTF-16
//! units), the rest's remaining letters, `:`, then per word with that rest its first letter
//! and a digit saying how common it is (`shards::frequency_digit`). `meta.js` lists the
//! first rest of each part.

use super::analyze::Word;
use super::encode::{self, push_digit};
use super::shards::{Shards, common_prefix, frequency_digit, separator, utf16_len};
use crate::sink::OutputFile;

/// Words of at least this many characters are in the index: a query word of five letters
/// (the least that first-letter correction tries) with an added first letter is a word of
/// four.
pub const REST_MIN_CHARS: usize = 4;
/// Target size of a part. A part is closed at the first two-letter group that starts past
/// this size, or anywhere past twice this size.
pub const REST_SHARD_BYTES: usize = 2 * 1024;

/// The first `count` characters of `text`.
fn head(text: &str, count: usize) -> &str {
    text.char_indices().nth(count).map_or(text, |(index, _)| &text[..index])
}

/// The rests index of a sorted vocabulary.
pub fn rests(words: &[Word]) -> Shards {
    let mut entries: Vec<(&str, char, u32)> = words
        .iter()
        .filter(|word| word.text.chars().count() >= REST_MIN_CHARS)
        .filter_map(|word| {
            let first = word.text.chars().next()?;
            Some((&word.text[first.len_utf8()..], first, word.documents))
        })
        .collect();
    entries.sort_unstable();
    let mut shards = Shards { bounds: Vec::new(), files: Vec::new() };
    // A part's text, and the last rest of the part before and the first of its own.
    let mut close = |before: &str, first: &str, text: &str| {
        let number = shards.files.len();
        let name = format!("rests/{number}");
        shards.bounds.push(if number == 0 { String::new() } else { separator(before, first) });
        shards.files.push(OutputFile::new(
            format!("search/{name}.js"),
            encode::script(&name, &encode::json_string(text)),
        ));
    };
    let mut text = String::new();
    let (mut before, mut first_rest, mut previous) = ("", "", "");
    let mut index = 0;
    while index < entries.len() {
        let rest = entries[index].0;
        let new_group = head(rest, 2) != head(previous, 2);
        if (text.len() > REST_SHARD_BYTES && new_group) || text.len() > 2 * REST_SHARD_BYTES {
            close(before, first_rest, &text);
            text.clear();
            before = previous;
        }
        if text.is_empty() {
            first_rest = rest;
            previous = "";
        } else {
            text.push(' ');
        }
        let shared = common_prefix(rest, previous);
        push_digit(&mut text, utf16_len(&rest[..shared]));
        text.push_str(&rest[shared..]);
        text.push(':');
        while index < entries.len() && entries[index].0 == rest {
            let (_, first, documents) = entries[index];
            text.push(first);
            push_digit(&mut text, frequency_digit(documents));
            index += 1;
        }
        previous = rest;
    }
    close(before, first_rest, &text);
    shards
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(text: &str, documents: u32) -> Word {
        Word { text: text.to_string(), key: 0, documents }
    }

    fn text_of(file: &OutputFile) -> String {
        String::from_utf8(file.bytes.clone()).unwrap()
    }

    #[test]
    fn rests_group_words_by_all_but_their_first_letter() {
        let words: Vec<Word> = [("knowledge", 1), ("broker", 2), ("croker", 1), ("bro", 1), ("brokers", 1)]
            .iter()
            .map(|(text, documents)| word(text, *documents))
            .collect();
        let shards = rests(&words);
        assert_eq!(shards.bounds, [""]);
        assert_eq!(
            text_of(&shards.files[0]),
            "copcatSearch.load(\"rests/0\",\"0nowledge:k0 0roker:b4c0 5s:b0\");\n"
        );
    }

    #[test]
    fn parts_are_small_and_cut_between_two_letter_groups() {
        // Rests "aa…", "ab…", …: many groups of about 90 entries.
        let mut words: Vec<Word> = Vec::new();
        for first in ['a', 'b', 'c'] {
            for second in 'a'..='z' {
                for number in 0..30 {
                    words.push(word(&format!("x{first}{second}{number:04}"), 1));
                }
            }
        }
        words.sort();
        let shards = rests(&words);
        assert!(shards.bounds.len() > 3, "{:?}", shards.bounds);
        for (file, bound) in shards.files.iter().zip(&shards.bounds).skip(1) {
            assert!(file.bytes.len() < 2 * REST_SHARD_BYTES + 100, "{bound}: {}", file.bytes.len());
            assert_eq!(bound.len(), 2, "{bound} is a two-letter group");
        }
        assert!(shards.bounds.windows(2).all(|pair| pair[0] < pair[1]));
    }
}
