//! The search page's examples ("for example: funding, sponsor, evaluation"): the catalog's
//! `search_examples`, or else its most frequent title words, so that a catalog never
//! suggests words it does not use.

use std::collections::BTreeMap;

/// How many examples the search page suggests when the catalog names none.
const COUNT: usize = 3;

/// Short words that say nothing of a catalog, in the languages copcat ships (words of
/// fewer than four letters are left out anyway).
const STOP_WORDS: &[&str] = &[
    "about", "across", "after", "also", "avec", "been", "before", "cette", "comme", "dans", "does", "each",
    "entre", "from", "have", "into", "leur", "leurs", "more", "most", "only", "other", "over", "pour",
    "sans", "some", "sous", "such", "than", "that", "their", "them", "then", "there", "these", "they",
    "this", "those", "through", "tout", "toute", "toutes", "tous", "une", "very", "what", "when", "where",
    "which", "while", "with", "without", "your",
];

/// The examples: `configured` if the catalog names some, else the words of four letters
/// or more in the most titles (ties in alphabetical order), not counting stop words.
pub fn search_examples<'a>(configured: &[String], titles: impl Iterator<Item = &'a str>) -> Vec<String> {
    if !configured.is_empty() {
        return configured.to_vec();
    }
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for title in titles {
        let mut words: Vec<String> = title
            .split(|c: char| !c.is_alphanumeric())
            .map(str::to_lowercase)
            .filter(|word| word.chars().count() >= 4 && !word.chars().all(|c| c.is_ascii_digit()))
            .filter(|word| !STOP_WORDS.contains(&word.as_str()))
            .collect();
        words.sort();
        words.dedup();
        for word in words {
            *counts.entry(word).or_default() += 1;
        }
    }
    let mut ranked: Vec<(String, usize)> = counts.into_iter().collect();
    ranked.sort_by(|(a, a_count), (b, b_count)| b_count.cmp(a_count).then_with(|| a.cmp(b)));
    ranked.into_iter().take(COUNT).map(|(word, _)| word).collect()
}

#[test]
fn examples_come_from_the_catalog() {
    let titles = ["Safety huddle", "Huddle board", "Safety checklist for the huddle", "Bedside handover"];
    assert_eq!(search_examples(&[], titles.into_iter()), ["huddle", "safety", "bedside"]);
    let configured = ["funding".to_string()];
    assert_eq!(search_examples(&configured, titles.into_iter()), ["funding"]);
    assert!(search_examples(&[], std::iter::empty()).is_empty());
}
