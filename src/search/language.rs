//! The catalog's language for search: its Snowball stemmer and its stop words. Stop words
//! are written folded (no accents), as `text::fold` leaves them; the list is shipped in the
//! index so that the browser drops the same words from queries.

use rust_stemmers::{Algorithm, Stemmer};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    English,
    French,
}

impl Language {
    /// The language of `catalog.toml`'s `language` (`en`, `en-GB`, `fr-CA`, …); English
    /// when it is one search does not know yet.
    pub fn from_code(code: &str) -> Language {
        let primary = code.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        match primary.as_str() {
            "fr" => Language::French,
            _ => Language::English,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::French => "fr",
        }
    }

    pub fn stemmer(self) -> Stemmer {
        Stemmer::create(match self {
            Language::English => Algorithm::English,
            Language::French => Algorithm::French,
        })
    }

    /// The query-time stemmer (`stemmers/*.js`), as `search/stemmer.js`.
    pub fn stemmer_script(self) -> &'static str {
        match self {
            Language::English => include_str!("stemmers/english.js"),
            Language::French => include_str!("stemmers/french.js"),
        }
    }

    /// Folded stop words, sorted.
    pub fn stop_words(self) -> &'static [&'static str] {
        match self {
            Language::English => ENGLISH_STOP_WORDS,
            Language::French => FRENCH_STOP_WORDS,
        }
    }

    pub fn is_stop_word(self, folded: &str) -> bool {
        self.stop_words().binary_search(&folded).is_ok()
    }
}

/// Function words that carry no meaning for search (after Snowball's English list, without
/// words a leader might search for, such as "against", "before" or "after"). The pieces
/// of contractions ("doesn", "isn") are here because `don't` splits into `don` and `t`.
const ENGLISH_STOP_WORDS: &[&str] = &[
    "am",
    "an",
    "and",
    "any",
    "are",
    "aren",
    "as",
    "at",
    "be",
    "been",
    "being",
    "both",
    "but",
    "by",
    "can",
    "could",
    "couldn",
    "did",
    "didn",
    "do",
    "does",
    "doesn",
    "doing",
    "don",
    "each",
    "for",
    "from",
    "had",
    "hadn",
    "has",
    "hasn",
    "have",
    "haven",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "if",
    "in",
    "into",
    "is",
    "isn",
    "it",
    "its",
    "itself",
    "ll",
    "me",
    "my",
    "myself",
    "of",
    "on",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "re",
    "she",
    "should",
    "shouldn",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "to",
    "too",
    "us",
    "ve",
    "very",
    "was",
    "wasn",
    "we",
    "were",
    "weren",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "won",
    "would",
    "wouldn",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

const FRENCH_STOP_WORDS: &[&str] = &[
    "au", "aux", "avec", "ce", "ces", "cet", "cette", "dans", "de", "des", "du", "elle", "elles", "en",
    "est", "et", "etaient", "etait", "ete", "etre", "eu", "il", "ils", "je", "la", "le", "les", "leur",
    "leurs", "lui", "ma", "mais", "me", "meme", "mes", "moi", "mon", "ne", "nos", "notre", "nous", "on",
    "ont", "ou", "par", "pas", "pour", "qu", "que", "qui", "sa", "se", "ses", "son", "sont", "sur", "ta",
    "te", "tes", "toi", "ton", "tu", "un", "une", "vos", "votre", "vous",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::text::fold;

    #[test]
    fn stop_word_lists_are_sorted_folded_and_unique() {
        for language in [Language::English, Language::French] {
            let words = language.stop_words();
            assert!(
                words.windows(2).all(|pair| pair[0] < pair[1]),
                "{language:?} list must be sorted and unique"
            );
            for word in words {
                assert_eq!(fold(word), *word);
            }
        }
    }

    #[test]
    fn language_codes() {
        assert_eq!(Language::from_code("en"), Language::English);
        assert_eq!(Language::from_code("en-GB"), Language::English);
        assert_eq!(Language::from_code("fr-CA"), Language::French);
        assert_eq!(Language::from_code(""), Language::English);
    }

    #[test]
    fn english_stemming_joins_inflected_forms() {
        let stemmer = Language::English.stemmer();
        let cases = [
            (&["funding", "funded", "funds", "fund"][..], "fund"),
            (&["facilitators", "facilitator"][..], "facilit"),
            (&["priorities", "priority"][..], "prioriti"),
            (&["knowledge"][..], "knowledg"),
            (&["evaluating", "evaluation", "evaluate"][..], "evalu"),
        ];
        for (words, stem) in cases {
            for word in words {
                assert_eq!(stemmer.stem(word), stem, "{word}");
            }
        }
    }

    #[test]
    fn french_stemming_works_on_folded_words() {
        let stemmer = Language::French.stemmer();
        assert_eq!(stemmer.stem(&fold("financements")), stemmer.stem(&fold("financement")));
        assert_eq!(stemmer.stem(&fold("équipes")), stemmer.stem(&fold("equipe")));
    }
}
