//! Splitting the vocabulary into parts the browser loads on demand, and the bounds of
//! parts (also the postings' and the rests').
//!
//! The vocabulary and the postings are cut into contiguous ranges of sorted strings of about `*_SHARD_BYTES` each;
//! `meta.js` lists a bound for every part (the first is always `""`; see `separator`), so
//! the browser finds the part holding a word, or every part holding words with a prefix,
//! by binary search without loading anything else.

use super::analyze::Word;
use super::encode::{self, push_digit};
use crate::sink::OutputFile;

/// Target size of a vocabulary part. Words of one first letter are kept together when
/// they fit, since typo tolerance looks at every word with the query word's first letter.
/// Parts are sized so that a query fetches little while a large catalog's index stays a
/// few hundred files (each file is an inode to create when building).
pub const VOCABULARY_SHARD_BYTES: usize = 16 * 1024;

/// Parts and the first string of each.
pub struct Shards {
    pub bounds: Vec<String>,
    pub files: Vec<OutputFile>,
}

pub fn utf16_len(text: &str) -> usize {
    text.chars().map(char::len_utf16).sum()
}

/// The longest common prefix of `a` and `b`, in bytes of `a` (on a char boundary).
pub fn common_prefix(a: &str, b: &str) -> usize {
    a.char_indices()
        .zip(b.chars())
        .find(|((_, x), y)| x != y)
        .map_or_else(|| a.len().min(b.len()), |((index, _), _)| index)
}

/// The bound `meta.js` gives the part starting with `first`, after one ending with `last`:
/// the shortest beginning of `first` that sorts after `last`, so that a lookup of a prefix
/// ("n", for words starting with n) does not also read the part before when that part has
/// none of those words ("n" rather than "naax", after "mzu").
pub fn separator(last: &str, first: &str) -> String {
    let mut end = 0;
    for c in first.chars() {
        end += c.len_utf8();
        if &first[..end] > last {
            break;
        }
    }
    first[..end].to_string()
}

/// Bounds as `meta.js` carries them: one string, each bound front-coded against the one
/// before (a digit, the shared prefix length in UTF-16 units, then the rest), separated by
/// spaces (a bound is part of a word or key, so it holds none).
pub fn front_coded(bounds: &[String]) -> String {
    let mut out = String::new();
    let mut previous = "";
    for bound in bounds {
        if !out.is_empty() {
            out.push(' ');
        }
        let shared = common_prefix(bound, previous);
        let mut shared_units = utf16_len(&bound[..shared]);
        let mut cut = shared;
        // A digit says at most 63.
        while shared_units > 63 {
            cut = bound[..cut].char_indices().last().map_or(0, |(index, _)| index);
            shared_units = utf16_len(&bound[..cut]);
        }
        push_digit(&mut out, shared_units);
        out.push_str(&bound[cut..]);
        previous = bound;
    }
    out
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

/// The ranges of words of the vocabulary's parts: small letters share a part, large
/// letters are cut.
fn vocabulary_parts(words: &[Word]) -> Vec<(usize, usize)> {
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
    parts
}

/// Per part, the keys that sort within its words (from its first word to the next part's)
/// but that none of its words has (rare: "die", of "dying", sorts before "dying"; in
/// English most keys begin their words). With them, a part tells whether any key in its
/// range exists, so the browser need not fetch postings to learn that a stem is no key.
fn orphan_keys(
    parts: &[(usize, usize)],
    bounds: &[String],
    words: &[Word],
    keys: &[String],
) -> Vec<Vec<u32>> {
    let part_keys: Vec<Vec<u32>> = parts
        .iter()
        .map(|&(start, end)| {
            let mut own: Vec<u32> = words[start..end].iter().map(|word| word.key).collect();
            own.sort_unstable();
            own
        })
        .collect();
    let mut orphans = vec![Vec::new(); parts.len()];
    for (number, key) in keys.iter().enumerate() {
        // The last part whose bound is at most the key, as the browser finds it.
        let part = bounds[1..].partition_point(|bound| bound.as_str() <= key.as_str());
        if part_keys[part].binary_search(&(number as u32)).is_err() {
            orphans[part].push(number as u32);
        }
    }
    orphans
}

/// Vocabulary parts `search/vocabulary/<n>.js`, each a string of space-separated entries,
/// then, if the part has orphan keys (see `orphan_keys`), `|` and those keys, space-separated.
pub fn vocabulary(words: &[Word], keys: &[String]) -> Shards {
    let parts = vocabulary_parts(words);
    let bounds: Vec<String> =
        parts
            .iter()
            .enumerate()
            .map(|(number, &(start, _))| {
                if number == 0 {
                    String::new()
                } else {
                    separator(&words[start - 1].text, &words[start].text)
                }
            })
            .collect();
    let orphans = orphan_keys(&parts, &bounds, words, keys);
    let mut shards = Shards { bounds, files: Vec::new() };
    for (number, (&(start, end), orphans)) in parts.iter().zip(&orphans).enumerate() {
        let mut text = String::new();
        let mut previous = "";
        for word in &words[start..end] {
            if !text.is_empty() {
                text.push(' ');
            }
            vocabulary_entry(&mut text, previous, word, &keys[word.key as usize]);
            previous = &word.text;
        }
        if !orphans.is_empty() {
            let orphans: Vec<&str> = orphans.iter().map(|&key| keys[key as usize].as_str()).collect();
            text.push('|');
            text.push_str(&orphans.join(" "));
        }
        let name = format!("vocabulary/{number}");
        shards.files.push(OutputFile::new(
            format!("search/{name}.js"),
            encode::script(&name, &encode::json_string(&text)),
        ));
    }
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
        assert_eq!(shards.bounds[1], "c");
        assert!(shards.bounds.windows(2).all(|pair| pair[0] < pair[1]));
    }

    #[test]
    fn keys_that_sort_into_a_part_without_their_words_are_listed_there() {
        let words: Vec<Word> = [("alpha", 0), ("dab", 1), ("dying", 2), ("dyke", 3)]
            .iter()
            .map(|(text, key)| Word { text: text.to_string(), key: *key, documents: 1 })
            .collect();
        let keys: Vec<String> = ["alpha", "dab", "die", "dyke"].map(String::from).to_vec();
        // "die" (of "dying") sorts before "dy", the bound of the second part.
        let bounds = ["".to_string(), separator("dab", "dying")];
        assert_eq!(bounds[1], "dy");
        assert_eq!(orphan_keys(&[(0, 2), (2, 4)], &bounds, &words, &keys), [vec![2], vec![]]);
        assert_eq!(orphan_keys(&[(0, 4)], &bounds[..1], &words, &keys), [Vec::<u32>::new()]);
    }

    /// As the browser checks that a stem is a key: the part it sorts into by the bounds has
    /// a word with that key, or lists it.
    #[test]
    fn every_key_is_known_to_the_part_it_sorts_into() {
        let stemmer = crate::search::language::Language::English.stemmer();
        let mut texts: Vec<String> = Vec::new();
        for first in ["d", "dy", "l", "ly", "tr", "sk"] {
            for number in 0..400 {
                let root = format!("{first}{}", (b'a' + (number % 26) as u8) as char);
                for ending in ["", "ing", "ies", "y", "ied", &format!("{number}e")] {
                    texts.push(format!("{root}{ending}"));
                }
            }
        }
        texts.sort();
        texts.dedup();
        let mut keys: Vec<String> = texts.iter().map(|text| stemmer.stem(text).into_owned()).collect();
        keys.sort();
        keys.dedup();
        let words: Vec<Word> = texts
            .iter()
            .map(|text| {
                let key = keys.binary_search(&stemmer.stem(text).into_owned()).unwrap() as u32;
                Word { text: text.clone(), key, documents: 1 }
            })
            .collect();
        let shards = vocabulary(&words, &keys);
        assert!(shards.bounds.len() > 2, "{:?}", shards.bounds);
        let parts: Vec<(Vec<String>, Vec<String>)> = shards
            .files
            .iter()
            .map(|file| {
                let text = String::from_utf8(file.bytes.clone()).unwrap();
                let data: String =
                    serde_json::from_str(&text[text.find(',').unwrap() + 1..text.rfind(')').unwrap()])
                        .unwrap();
                let (entries, orphans) = data.split_once('|').unwrap_or((&data, ""));
                let mut own = Vec::new();
                let mut previous = String::new();
                for entry in entries.split(' ') {
                    let (spelled, key) = entry.split_once(':').unwrap_or((entry, ""));
                    let shared = encode::ALPHABET.iter().position(|&c| c == spelled.as_bytes()[0]).unwrap();
                    let word = format!("{}{}", &previous[..shared], &spelled[2..]);
                    own.push(if key.is_empty() {
                        word.clone()
                    } else {
                        let cut = encode::ALPHABET.iter().position(|&c| c == key.as_bytes()[0]).unwrap();
                        format!("{}{}", &word[..word.len() - cut], &key[1..])
                    });
                    previous = word;
                }
                (own, orphans.split(' ').filter(|key| !key.is_empty()).map(String::from).collect())
            })
            .collect();
        for key in &keys {
            let part = shards.bounds[1..].partition_point(|bound| bound.as_str() <= key.as_str());
            let (own, listed) = &parts[part];
            assert!(own.contains(key) || listed.contains(key), "{key} in part {part}");
        }
    }

    #[test]
    fn bounds_are_front_coded_in_one_string() {
        let bounds: Vec<String> = ["", "2015", "2017", "fund", "fundi", "hôpitau"].map(String::from).to_vec();
        assert_eq!(front_coded(&bounds), "0 02015 37 0fund 4i 0hôpitau");
        assert_eq!(front_coded(&[]), "");
    }

    #[test]
    fn bounds_are_the_shortest_beginnings_that_sort_after_the_part_before() {
        assert_eq!(separator("mzu", "naax"), "n");
        assert_eq!(separator("fund", "funding"), "fundi");
        assert_eq!(separator("", "a"), "a");
        assert_eq!(separator("hôpital", "hôpitaux"), "hôpitau");
        assert_eq!(separator("é", "éa"), "éa");
    }
}
