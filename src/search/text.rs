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

/// Splits text into raw words (runs of letters, digits and combining marks).
pub fn words(text: &str) -> Words<'_> {
    Words { text, position: 0 }
}

/// The iterator of `words`: ASCII bytes are classified without decoding (most text is
/// ASCII, and indexing reads all of it).
pub struct Words<'a> {
    text: &'a str,
    position: usize,
}

impl Words<'_> {
    /// Whether the character at `position` is a word character, and its length in bytes.
    fn classify(&self, position: usize) -> (bool, usize) {
        let byte = self.text.as_bytes()[position];
        if byte.is_ascii() {
            return (byte.is_ascii_alphanumeric(), 1);
        }
        let c = self.text[position..].chars().next().unwrap_or(' ');
        (is_word_char(c), c.len_utf8())
    }
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let length = self.text.len();
        while self.position < length {
            let (word, size) = self.classify(self.position);
            if word {
                break;
            }
            self.position += size;
        }
        if self.position >= length {
            return None;
        }
        let start = self.position;
        while self.position < length {
            let (word, size) = self.classify(self.position);
            if !word {
                break;
            }
            self.position += size;
        }
        Some(&self.text[start..self.position])
    }
}

/// Lowercases and strips accents: `Équipe` → `equipe`, `Œuvre` → `oeuvre`.
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
    for c in word.nfkd().filter(|&c| !is_combining_mark(c)).flat_map(char::to_lowercase) {
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
pub fn tokens(text: &str) -> impl Iterator<Item = String> + '_ {
    words(text).map(fold).filter(|word| is_indexable(word))
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
            let got: Vec<String> = tokens(text).collect();
            assert_eq!(got, *expected, "{text:?}");
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
        let got: Vec<String> = tokens("un re\u{301}sume\u{301} court").collect();
        assert_eq!(got, ["un", "resume", "court"]);
    }

    #[test]
    fn overlong_words_are_not_indexed() {
        assert!(is_indexable(&"a".repeat(MAX_WORD_CHARS)));
        assert!(!is_indexable(&"a".repeat(MAX_WORD_CHARS + 1)));
        assert!(!is_indexable("a"));
        assert!(is_indexable("7"));
    }
}
