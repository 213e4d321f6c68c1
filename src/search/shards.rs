//! Splitting the vocabulary and the postings into parts the browser loads on demand.
//!
//! Both are cut into contiguous ranges of sorted strings of about `*_SHARD_BYTES` each;
//! `meta.js` lists the first string of every part (the first is always `""`), so the
//! browser finds the part holding a word, or every part holding words with a prefix, by
//! binary search without loading anything else.

use super::analyze::Word;
use super::encode::{self, push_digit, push_varint};
use super::rank::{Posting, Postings, idf};
use crate::sink::OutputFile;

/// Target size of a vocabulary part. Words of one first letter are kept together when
/// they fit, since typo tolerance looks at every word with the query word's first letter.
/// Parts are sized so that a query fetches little while a large catalog's index stays a
/// few hundred files (each file is an inode to create when building).
pub const VOCABULARY_SHARD_BYTES: usize = 16 * 1024;
/// Target size of a postings part. A key whose postings are larger gets a part of its own.
pub const POSTINGS_SHARD_BYTES: usize = 16 * 1024;

/// Parts and the first string of each.
pub struct Shards {
    pub bounds: Vec<String>,
    pub files: Vec<OutputFile>,
}

fn utf16_len(text: &str) -> usize {
    text.chars().map(char::len_utf16).sum()
}

/// The longest common prefix of `a` and `b`, in bytes of `a` (on a char boundary).
fn common_prefix(a: &str, b: &str) -> usize {
    a.char_indices()
        .zip(b.chars())
        .find(|((_, x), y)| x != y)
        .map_or_else(|| a.len().min(b.len()), |((index, _), _)| index)
}

/// How common a word is, as a digit: 4 × log2(documents), so 0 for one document and 63
/// from about 55,000.
pub fn frequency_digit(documents: u32) -> usize {
    (4.0 * (documents.max(1) as f64).log2()).round().min(63.0) as usize
}

/// One vocabulary entry, front-coded against `previous`: a digit (shared prefix length in
/// UTF-16 units), a digit (`frequency_digit`), the rest of the word, and, when the key
/// differs from the word, `:`, a digit (UTF-16 units to cut from the word's end) and the
/// letters to add.
fn vocabulary_entry(out: &mut String, previous: &str, word: &Word, key: &str) {
    let text = word.text.as_str();
    let shared = common_prefix(text, previous);
    push_digit(out, utf16_len(&text[..shared]));
    push_digit(out, frequency_digit(word.documents));
    out.push_str(&text[shared..]);
    let word = text;
    if key != word {
        let kept = common_prefix(key, word);
        out.push(':');
        push_digit(out, utf16_len(&word[kept..]));
        out.push_str(&key[kept..]);
    }
}

fn first_char(word: &str) -> Option<char> {
    word.chars().next()
}

/// Vocabulary parts `search/vocabulary/<n>.js`, each a string of space-separated entries.
pub fn vocabulary(words: &[Word], keys: &[String]) -> Shards {
    // Encoded size of each word's entry, to plan the cut without encoding twice.
    let mut groups: Vec<(usize, usize, usize)> = Vec::new(); // (start, end, bytes) per first letter
    let mut start = 0;
    let mut bytes = 0;
    for (index, word) in words.iter().enumerate() {
        let word = &word.text;
        if index > start && first_char(word) != first_char(&words[start].text) {
            groups.push((start, index, bytes));
            start = index;
            bytes = 0;
        }
        bytes += word.len() + 3;
    }
    if start < words.len() {
        groups.push((start, words.len(), bytes));
    }
    // Ranges of words per part: small letters share a part, large letters are cut.
    let mut parts: Vec<(usize, usize)> = Vec::new();
    let mut open: Option<(usize, usize, usize)> = None;
    for (start, end, bytes) in groups {
        match open {
            Some((open_start, _, open_bytes)) if open_bytes + bytes <= VOCABULARY_SHARD_BYTES => {
                open = Some((open_start, end, open_bytes + bytes));
            }
            _ => {
                if let Some((open_start, open_end, _)) = open.take() {
                    parts.push((open_start, open_end));
                }
                if bytes <= VOCABULARY_SHARD_BYTES {
                    open = Some((start, end, bytes));
                } else {
                    let mut from = start;
                    let mut size = 0;
                    for (index, word) in words.iter().enumerate().take(end).skip(start) {
                        let word = &word.text;
                        size += word.len() + 3;
                        if size > VOCABULARY_SHARD_BYTES && index > from {
                            parts.push((from, index));
                            from = index;
                            size = word.len() + 3;
                        }
                    }
                    parts.push((from, end));
                }
            }
        }
    }
    if let Some((open_start, open_end, _)) = open {
        parts.push((open_start, open_end));
    }
    if parts.is_empty() {
        parts.push((0, 0));
    }

    let mut shards = Shards { bounds: Vec::new(), files: Vec::new() };
    for (number, &(start, end)) in parts.iter().enumerate() {
        let mut text = String::new();
        let mut previous = "";
        for word in &words[start..end] {
            if !text.is_empty() {
                text.push(' ');
            }
            vocabulary_entry(&mut text, previous, word, &keys[word.key as usize]);
            previous = &word.text;
        }
        let name = format!("vocabulary/{number}");
        shards.bounds.push(if number == 0 { String::new() } else { words[start].text.clone() });
        shards.files.push(OutputFile::new(
            format!("search/{name}.js"),
            encode::script(&name, &encode::json_string(&text)),
        ));
    }
    shards
}

/// Words of at least this many characters are in the rests index (see `rests`).
pub const REST_MIN_CHARS: usize = 4;

/// The rests index `search/rests/<n>.js`, for typos in a word's first letter: every word
/// of `REST_MIN_CHARS` or more, keyed by the rest of the word after its first letter, so
/// that "nowledge" finds "knowledge" and "bnowledge" finds it too without reading every
/// word of the vocabulary. Entries are sorted by rest and front-coded: a digit (shared
/// prefix length in UTF-16 units), the rest's remaining letters, `:` and the first
/// letters of the words with that rest. Parts are cut by size; `meta.js` lists the first
/// rest of each.
pub fn rests(words: &[Word]) -> Shards {
    let mut pairs: Vec<(&str, char)> = words
        .iter()
        .filter(|word| word.text.chars().count() >= REST_MIN_CHARS)
        .filter_map(|word| {
            let first = first_char(&word.text)?;
            Some((&word.text[first.len_utf8()..], first))
        })
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    let mut shards = Shards { bounds: Vec::new(), files: Vec::new() };
    let mut close = |first: &str, text: &str| {
        let number = shards.files.len();
        let name = format!("rests/{number}");
        shards.bounds.push(if number == 0 { String::new() } else { first.to_string() });
        shards.files.push(OutputFile::new(
            format!("search/{name}.js"),
            encode::script(&name, &encode::json_string(text)),
        ));
    };
    let mut text = String::new();
    let mut first_rest = "";
    let mut previous = "";
    let mut index = 0;
    while index < pairs.len() {
        let rest = pairs[index].0;
        if text.len() > VOCABULARY_SHARD_BYTES {
            close(first_rest, &text);
            text.clear();
            previous = "";
        }
        if text.is_empty() {
            first_rest = rest;
        } else {
            text.push(' ');
        }
        let shared = common_prefix(rest, previous);
        push_digit(&mut text, utf16_len(&rest[..shared]));
        text.push_str(&rest[shared..]);
        text.push(':');
        while index < pairs.len() && pairs[index].0 == rest {
            text.push(pairs[index].1);
            index += 1;
        }
        previous = rest;
    }
    close(first_rest, &text);
    shards
}

/// A key's postings: per document a varint (gap to the previous document, shifted left,
/// low bit set when the key is in the title), then, if in the title, a digit (distinct
/// keys in the title), then a digit (the impact).
pub fn encode_postings(out: &mut String, postings: &[Posting]) {
    let mut next = 0;
    for posting in postings {
        let gap = (posting.document - next) as usize;
        let in_title = posting.title_keys > 0;
        push_varint(out, gap << 1 | in_title as usize);
        if in_title {
            push_digit(out, posting.title_keys as usize);
        }
        push_digit(out, posting.impact as usize);
        next = posting.document + 1;
    }
}

/// Postings parts `search/postings/<n>.js`, each an object from key to `[idf × 1000,
/// postings]`. Keys are encoded one at a time and parts written as they fill, so no more
/// than a part's worth of encoded postings is held at once.
pub fn postings(keys: &[String], postings: &Postings, documents: usize) -> Shards {
    let mut shards = Shards { bounds: Vec::new(), files: Vec::new() };
    let mut close = |first: usize, part: &str| {
        let number = shards.files.len();
        let name = format!("postings/{number}");
        shards.bounds.push(if number == 0 { String::new() } else { keys[first].clone() });
        shards.files.push(OutputFile::new(
            format!("search/{name}.js"),
            encode::script(&name, &format!("{{{part}}}")),
        ));
    };
    // The open part: its first key, its entries joined by commas.
    let mut first = 0;
    let mut part = String::new();
    let mut entry = String::new();
    for (key, text) in keys.iter().enumerate() {
        let list = postings.of(key);
        let idf = (idf(documents, list.len()) * 1000.0).round() as u64;
        entry.clear();
        entry.push_str(&encode::json_string(text));
        entry.push_str(&format!(":[{idf},\""));
        encode_postings(&mut entry, list);
        entry.push_str("\"]");
        // A part holds at least one key, and more while they fit (a comma each).
        if key > first && part.len() + 1 + entry.len() > POSTINGS_SHARD_BYTES {
            close(first, &part);
            part.clear();
            first = key;
        }
        if key > first {
            part.push(',');
        }
        part.push_str(&entry);
    }
    // The last part (an empty `{}` when there are no keys).
    close(first, &part);
    shards
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(text: &str, documents: u32) -> Word {
        Word { text: text.to_string(), key: 0, documents }
    }

    #[test]
    fn vocabulary_entries_are_front_coded_with_their_frequency_and_key() {
        let mut text = String::new();
        vocabulary_entry(&mut text, "", &word("fund", 1), "fund");
        text.push(' ');
        vocabulary_entry(&mut text, "fund", &word("funding", 2), "fund");
        text.push(' ');
        vocabulary_entry(&mut text, "funding", &word("priorities", 16), "prioriti");
        text.push(' ');
        vocabulary_entry(&mut text, "priorities", &word("priority", 100_000), "prioriti");
        assert_eq!(text, "00fund 44ing:3 0Gpriorities:2 7_y:1i");
    }

    #[test]
    fn frequency_digits_grow_with_the_log_of_documents() {
        assert_eq!(frequency_digit(0), 0);
        assert_eq!(frequency_digit(1), 0);
        assert_eq!(frequency_digit(2), 4);
        assert_eq!(frequency_digit(1000), 40);
        assert_eq!(frequency_digit(1 << 20), 63);
    }

    #[test]
    fn postings_flag_title_occurrences() {
        let list = [
            Posting { document: 0, impact: 10, title_keys: 0 },
            Posting { document: 3, impact: 63, title_keys: 2 },
            Posting { document: 40, impact: 1, title_keys: 0 },
        ];
        // 0: gap 0 → "0", impact "A"; 3: gap 2, title → 5, 2 keys, impact "_";
        // 40: gap 36 → 72 = 8 + 2 × 32 → "e2", impact "1".
        let mut text = String::new();
        encode_postings(&mut text, &list);
        assert_eq!(text, "0A52_e21");
    }

    #[test]
    fn large_letters_are_cut_and_small_ones_share_a_part() {
        let mut words: Vec<Word> = vec![word("apple", 1), word("banana", 1)];
        // Entries of about 9 bytes: "c" is three parts' worth.
        for index in 0..VOCABULARY_SHARD_BYTES / 3 {
            words.push(word(&format!("c{index:05}"), 1));
        }
        words.sort();
        let keys = vec!["k".to_string()];
        let shards = vocabulary(&words, &keys);
        assert_eq!(shards.bounds[0], "");
        assert!(shards.bounds.len() >= 3, "{:?}", shards.bounds);
        assert!(shards.bounds[1].starts_with('c'));
        assert!(shards.bounds.windows(2).all(|pair| pair[0] < pair[1]));
    }

    #[test]
    fn rests_group_words_by_all_but_their_first_letter() {
        let words: Vec<Word> =
            ["knowledge", "broker", "croker", "bro", "brokers"].iter().map(|text| word(text, 1)).collect();
        let shards = rests(&words);
        assert_eq!(shards.bounds, [""]);
        let text = String::from_utf8(shards.files[0].bytes.clone()).unwrap();
        assert_eq!(text, "copcatSearch.load(\"rests/0\",\"0nowledge:k 0roker:bc 5s:b\");\n");
    }

    #[test]
    fn a_large_key_gets_a_part_of_its_own() {
        let keys: Vec<String> = ["a", "big", "c"].map(String::from).to_vec();
        // Two bytes a posting: "big" alone is about twice a part's size.
        let documents = POSTINGS_SHARD_BYTES as u32;
        let many: Vec<Posting> =
            (0..documents).map(|document| Posting { document, impact: 5, title_keys: 0 }).collect();
        let one = vec![Posting { document: 0, impact: 5, title_keys: 0 }];
        let shards = postings(&keys, &Postings::from_lists(&[one.clone(), many, one]), documents as usize);
        assert_eq!(shards.bounds, ["", "big", "c"]);
    }
}
