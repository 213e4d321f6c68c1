//! The query-time stemmers (`src/search/stemmers/*.js`, run by `search.js`) agree with the
//! build-time one (rust-stemmers) on every word of the shipped catalog and of the French
//! fixture, and on tens of thousands of inflected forms made from them: a word a reader
//! types is stemmed in the browser to the same index key the build gave it.
//!
//! Needs `node`. Without it the test says it was skipped, except under `CI=true`, where it
//! fails.

use rust_stemmers::{Algorithm, Stemmer};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Runs a stemmer script on stdin's words, one per line, printing one stem per line.
const NODE_SCRIPT: &str = r#"
const fs = require("fs"), vm = require("vm");
let stem = null;
globalThis.copcatSearch = { load: (key, f) => { if (key === "stemmer") stem = f; } };
vm.runInThisContext(fs.readFileSync(process.argv[1], "utf8"));
const words = fs.readFileSync(0, "utf8").split("\n");
words.pop();
process.stdout.write(words.map(stem).join("\n") + "\n");
"#;

/// As `search::text::fold` (and `fold` in search.js) spell a word for the index.
fn fold(word: &str) -> String {
    let mut folded = String::new();
    for c in word.nfkd().filter(|&c| !is_combining_mark(c)).flat_map(char::to_lowercase) {
        match c {
            'œ' => folded.push_str("oe"),
            'æ' => folded.push_str("ae"),
            'ß' => folded.push_str("ss"),
            'ø' => folded.push('o'),
            'ł' => folded.push('l'),
            'đ' => folded.push('d'),
            c => folded.push(c),
        }
    }
    folded
}

fn words_of(folder: &Path, words: &mut BTreeSet<String>) {
    for item in walkdir::WalkDir::new(folder) {
        let item = item.expect("walk content");
        if item.path().extension().is_none_or(|extension| extension != "md") {
            continue;
        }
        let text = std::fs::read_to_string(item.path()).expect("read content");
        for word in text.split(|c: char| !(c.is_alphanumeric() || is_combining_mark(c))) {
            if word.chars().count() >= 2 {
                words.insert(word.to_lowercase());
                words.insert(fold(word));
            }
        }
    }
}

const ENGLISH_SUFFIXES: &[&str] = &[
    "s", "es", "ed", "ing", "ings", "er", "ers", "ly", "ness", "ment", "ments", "ation", "ations", "ational",
    "ful", "fully", "less", "able", "ible", "ity", "ities", "ive", "ively", "ize", "ized", "izing", "ise",
    "ised", "ising", "ally", "ical", "ence", "ance", "ency", "ancy", "ist", "ism", "ous", "ousness", "al",
    "alism", "iveness", "fulness", "ator", "li", "ogi", "'s", "ies", "ied", "eed", "eedly", "ingly",
];

const FRENCH_SUFFIXES: &[&str] = &[
    "e", "es", "s", "x", "er", "ez", "ons", "ent", "ait", "aient", "erait", "eraient", "ement", "ements",
    "ation", "ations", "ateur", "atrice", "ateurs", "ite", "ites", "ité", "ités", "eux", "euse", "euses",
    "if", "ifs", "ive", "ives", "ance", "ances", "ence", "ences", "able", "ables", "iste", "istes", "isme",
    "ique", "iques", "logie", "issement", "issant", "issons", "iez", "ions", "ant", "ante", "ants", "aux",
    "elle", "elles", "ier", "iere", "ière", "ières", "é", "ée", "ées", "és", "ère", "ès", "ième", "amment",
    "emment", "ution", "usion", "ençe", "euse", "ai", "a", "âmes", "èrent", "erions", "irent", "it",
];

/// At least `minimum` forms of the catalog's words: each stem-like base with each suffix.
fn inflections(bases: &BTreeSet<String>, suffixes: &[&str], minimum: usize) -> BTreeSet<String> {
    let mut forms = BTreeSet::new();
    for base in bases.iter().filter(|word| word.chars().count() >= 3 && word.chars().all(char::is_alphabetic))
    {
        let trimmed = base.trim_end_matches(['e', 's', 'y']);
        for suffix in suffixes {
            forms.insert(format!("{base}{suffix}"));
            forms.insert(format!("{trimmed}{suffix}"));
            forms.insert(fold(&format!("{trimmed}{suffix}")));
        }
    }
    assert!(forms.len() >= minimum, "only {} inflected forms", forms.len());
    forms
}

fn node_stems(script: &Path, words: &[String]) -> Vec<String> {
    let mut child = Command::new("node")
        .arg("-e")
        .arg(NODE_SCRIPT)
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run node");
    let input = words.iter().map(|word| format!("{word}\n")).collect::<String>();
    let mut stdin = child.stdin.take().expect("node's stdin");
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()).expect("write words to node"));
    let output = child.wait_with_output().expect("node's output");
    writer.join().expect("writer");
    assert!(output.status.success(), "node failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("UTF-8 stems").lines().map(str::to_string).collect()
}

fn node_works() -> bool {
    Command::new("node").arg("--version").output().is_ok_and(|output| output.status.success())
}

#[test]
fn javascript_stemmers_match_rust_stemmers() {
    if !node_works() {
        if std::env::var("CI").is_ok_and(|value| value == "true") {
            panic!("the stemmer equivalence test needs node (Node.js 18 or newer) under CI=true");
        }
        println!("skipped: the stemmer equivalence test needs node");
        return;
    }
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut english_words = BTreeSet::new();
    words_of(&repo.join("content"), &mut english_words);
    words_of(&repo.join("tests/fixtures/browser/content"), &mut english_words);
    let mut french_words = BTreeSet::new();
    words_of(&repo.join("tests/fixtures/browser-fr/content"), &mut french_words);
    assert!(english_words.len() > 1000, "the shipped catalog has {} words", english_words.len());

    let english = inflections(&english_words, ENGLISH_SUFFIXES, 5000);
    let french = inflections(&french_words, FRENCH_SUFFIXES, 5000);
    let cases = [
        (Algorithm::English, "english.js", [&english_words, &english, &french_words]),
        (Algorithm::French, "french.js", [&french_words, &french, &english_words]),
    ];
    for (algorithm, file, lists) in cases {
        let words: Vec<String> = lists.iter().flat_map(|list| list.iter().cloned()).collect();
        let stemmer = Stemmer::create(algorithm);
        let expected: Vec<String> = words.iter().map(|word| stemmer.stem(word).into_owned()).collect();
        let got = node_stems(&repo.join("src/search/stemmers").join(file), &words);
        assert_eq!(got.len(), words.len(), "{file}: one stem per word");
        let differences: Vec<String> = words
            .iter()
            .zip(expected.iter().zip(&got))
            .filter(|(_, (rust, js))| rust != js)
            .map(|(word, (rust, js))| format!("{word}: rust-stemmers {rust}, {file} {js}"))
            .collect();
        assert!(
            differences.is_empty(),
            "{} of {} words stem differently:\n{}",
            differences.len(),
            words.len(),
            differences.iter().take(40).cloned().collect::<Vec<_>>().join("\n")
        );
        println!("{file}: {} words, identical stems", words.len());
    }
}
