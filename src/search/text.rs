//! Words from text: tokenizing and accent folding. `search.js` mirrors these rules for
//! queries (split on anything but letters, digits and marks; NFKD; drop marks; lowercase;
//! the ligatures below), so a word is spelled the same on both sides.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Words longer than this are not indexed (they are identifiers, URLs or run-ons).
pub const MAX_WORD_CHARS: usize = 32;

/// Letters that NFKD leaves whole but a reader types as two or as a plain letter.
/// `search.js` carries the same table.
const LIGATURES: &[(char, &str)] =
    &[('œ', "oe"), ('æ', "ae"), ('ß', "ss"), ('ø', "o"), ('ł', "l"), ('đ', "d")];

fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    c.is_alphanumeric() || is_combining_mark(c)
}

/// Calls `f` with each folded, indexable word of `text`, in order (stop words included).
/// `folded` is scratch space.
pub fn for_each_word(text: &str, folded: &mut String, mut f: impl FnMut(&str)) {
    for_each_word_at(text, folded, |word, _| f(word));
}

/// `for_each_word`, with the byte at which each word starts in `text`. Runs of ASCII are
/// read in one pass and handed over as they are when already lowercase (most text is
/// ASCII, and indexing reads all of it); anything else is folded by `fold_into`.
pub fn for_each_word_at(text: &str, folded: &mut String, mut f: impl FnMut(&str, usize)) {
    let bytes = text.as_bytes();
    let mut position = 0;
    while position < bytes.len() {
        let byte = bytes[position];
        if byte.is_ascii() {
            if !byte.is_ascii_alphanumeric() {
                position += 1;
                continue;
            }
            let start = position;
            let mut upper = false;
            while position < bytes.len() && bytes[position].is_ascii_alphanumeric() {
                upper |= bytes[position].is_ascii_uppercase();
                position += 1;
            }
            if position < bytes.len()
                && !bytes[position].is_ascii()
                && starts_with_word_char(&text[position..])
            {
                // The word goes on past ASCII (`hôpital`): fold it whole.
                position = fold_word(text, start, folded);
            } else {
                // Every character is one byte, so the length is the number of characters.
                let word = &text[start..position];
                let length = word.len();
                if length > MAX_WORD_CHARS || (length == 1 && !byte.is_ascii_digit()) {
                    continue;
                }
                if !upper {
                    f(word, start);
                    continue;
                }
                folded.clear();
                folded.push_str(word);
                folded.make_ascii_lowercase();
                f(folded, start);
                continue;
            }
            if is_indexable(folded) {
                f(folded, start);
            }
        } else if starts_with_word_char(&text[position..]) {
            let start = position;
            position = fold_word(text, position, folded);
            if is_indexable(folded) {
                f(folded, start);
            }
        } else {
            position += text[position..].chars().next().map_or(1, char::len_utf8);
        }
    }
}

fn starts_with_word_char(text: &str) -> bool {
    text.chars().next().is_some_and(is_word_char)
}

/// Folds the word starting at `start` into `folded`; returns where it ends.
fn fold_word(text: &str, start: usize, folded: &mut String) -> usize {
    let length = text[start..].find(|c: char| !is_word_char(c)).unwrap_or(text.len() - start);
    fold_into(&text[start..start + length], folded);
    start + length
}

/// Lowercases and strips accents: `Équipe` → `equipe`, `Œuvre` → `oeuvre`. The spaces
/// that compatibility decomposition puts before some marks (`ͺ` → space + mark) go with
/// the marks: a word never holds a space, which separates the vocabulary's entries.
#[cfg(test)]
pub fn fold(word: &str) -> String {
    let mut folded = String::with_capacity(word.len());
    fold_into(word, &mut folded);
    folded
}

/// `fold` into a reused buffer (indexing folds millions of words).
pub fn fold_into(word: &str, folded: &mut String) {
    folded.clear();
    if word.is_ascii() {
        folded.push_str(word);
        folded.make_ascii_lowercase();
        return;
    }
    for c in word.nfkd().filter(|&c| !is_combining_mark(c) && !c.is_whitespace()).flat_map(char::to_lowercase)
    {
        match LIGATURES.iter().find(|(ligature, _)| *ligature == c) {
            Some((_, plain)) => folded.push_str(plain),
            None => folded.push(c),
        }
    }
}

/// Whether a folded word is worth indexing: two or more characters (or a number), and not
/// absurdly long.
pub fn is_indexable(folded: &str) -> bool {
    let mut chars = folded.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let count = 1 + chars.clone().take(MAX_WORD_CHARS).count();
    count <= MAX_WORD_CHARS && (count >= 2 || first.is_numeric())
}

/// The folded, indexable words of a text, in order (stop words included), as `analyze`
/// reads them.
#[cfg(test)]
pub fn tokens(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    for_each_word(text, &mut String::new(), |word| words.push(word.to_string()));
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokenizing_splits_on_punctuation_and_drops_single_letters() {
        let cases: &[(&str, &[&str])] = &[
            ("Knowledge broker", &["knowledge", "broker"]),
            ("co-design, peer-to-peer!", &["co", "design", "peer", "to", "peer"]),
            ("A leader's role (2024)", &["leader", "role", "2024"]),
            ("l'équipe d’un hôpital", &["equipe", "un", "hopital"]),
            ("CoP's 3 phases", &["cop", "3", "phases"]),
            ("  \n\t", &[]),
            ("x 7 y", &["7"]),
        ];
        for (text, expected) in cases {
            let got = tokens(text);
            assert_eq!(got, *expected, "{text:?}");
        }
    }

    #[test]
    fn words_come_with_where_they_start() {
        let text = "A leader's rôle, l'Équipe 42";
        let mut found = Vec::new();
        for_each_word_at(text, &mut String::new(), |word, at| found.push((word.to_string(), at)));
        let expected = [("leader", 2), ("rôle", 11), ("equipe", 20), ("42", 28)];
        let expected: Vec<(String, usize)> = expected.iter().map(|(word, at)| (fold(word), *at)).collect();
        assert_eq!(found, expected);
        for (word, at) in &found {
            assert!(fold(&text[*at..]).starts_with(word.as_str()), "{word} at {at}");
        }
    }

    #[test]
    fn folding_strips_accents_and_case() {
        let cases = [
            ("Équipe", "equipe"),
            ("naïve", "naive"),
            ("Œuvre", "oeuvre"),
            ("Straße", "strasse"),
            ("ﬁnance", "finance"),
            ("FUNDING", "funding"),
            // Decomposed input (e + combining acute) folds like precomposed input.
            ("re\u{301}sume\u{301}", "resume"),
        ];
        for (word, expected) in cases {
            assert_eq!(fold(word), expected, "{word:?}");
        }
    }

    #[test]
    fn decomposed_accents_stay_inside_the_word() {
        let got = tokens("un re\u{301}sume\u{301} court");
        assert_eq!(got, ["un", "resume", "court"]);
    }

    /// Found by the `search_text` fuzz target: `ͺ` (a letter) decomposes to a space and a
    /// mark, and the space stayed, so a word held a space and broke the vocabulary's
    /// space-separated entries.
    #[test]
    fn decompositions_into_spaces_leave_no_space_in_a_word() {
        assert_eq!(fold("\u{37a}ab"), "ab");
        assert_eq!(fold("\u{fe70}x"), "x");
        assert_eq!(fold("\u{fdfa}").chars().filter(|c| c.is_whitespace()).count(), 0);
        assert_eq!(tokens("pathway\u{37a}s, \u{37a}ab"), ["pathways", "ab"]);
    }

    #[test]
    fn overlong_words_are_not_indexed() {
        assert!(is_indexable(&"a".repeat(MAX_WORD_CHARS)));
        assert!(!is_indexable(&"a".repeat(MAX_WORD_CHARS + 1)));
        assert!(!is_indexable("a"));
        assert!(is_indexable("7"));
    }
}
