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
    c.is_alphanumeric() || is_combining_mark(c)
}

/// Splits text into raw words (runs of letters, digits and combining marks).
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !is_word_char(c)).filter(|word| !word.is_empty())
}

/// Lowercases and strips accents: `Équipe` → `equipe`, `Œuvre` → `oeuvre`.
pub fn fold(word: &str) -> String {
    if word.is_ascii() {
        return word.to_ascii_lowercase();
    }
    let mut folded = String::with_capacity(word.len());
    for c in word.nfkd().filter(|&c| !is_combining_mark(c)).flat_map(char::to_lowercase) {
        match LIGATURES.iter().find(|(ligature, _)| *ligature == c) {
            Some((_, plain)) => folded.push_str(plain),
            None => folded.push(c),
        }
    }
    folded
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

/// The folded, indexable words of a text, in order (stop words included).
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
