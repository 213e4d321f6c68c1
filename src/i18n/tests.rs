//! Tests of the strings tables: completeness, shapes, plurals, dates and filling.
use super::*;

#[test]
fn shipped_tables_are_complete_and_valid() {
    let schema = schema();
    assert!(schema.page.len() > 80 && schema.client.len() > 10, "{schema:?}");
    for (name, text) in SHIPPED {
        let mut diagnostics = Vec::new();
        let tables = read_file(&format!("i18n/{name}.toml"), text, &schema, &mut diagnostics).unwrap();
        assert!(diagnostics.is_empty(), "{name}: {diagnostics:?}");
        let mut missing = Vec::new();
        report_missing(name, text, &tables, &schema, &mut missing);
        assert!(missing.is_empty(), "{name}: {missing:?}");
    }
}

#[test]
fn french_typography_has_no_plain_space_before_high_punctuation() {
    let french = Strings::shipped("fr").unwrap();
    for (key, text) in french.all_texts() {
        for mark in [" :", " ;", " ?", " !", "« ", " »"] {
            assert!(!text.contains(mark), "{key}: {text:?} has a breaking space in {mark:?}");
        }
        for mark in [":", ";", "?", "!"] {
            for (at, _) in text.match_indices(mark) {
                let before = text[..at].chars().last();
                assert!(
                    at == 0 || before == Some('\u{A0}') || before == Some('\u{202F}'),
                    "{key}: {text:?} needs a non-breaking space before {mark}"
                );
            }
        }
        assert!(!text.to_lowercase().contains("e-mail"), "{key}: Canadian French says courriel");
    }
}

#[test]
fn counts_follow_each_language() {
    let english = Strings::shipped("en").unwrap();
    let french = Strings::shipped("fr-CA").unwrap();
    assert_eq!(
        [0, 1, 2].map(|n| english.count("entries", n)),
        ["0 entries".to_string(), "1 entry".into(), "2 entries".into()]
    );
    assert_eq!(
        [0, 1, 2].map(|n| french.count("entries", n)),
        ["0\u{A0}fiche".to_string(), "1\u{A0}fiche".into(), "2\u{A0}fiches".into()]
    );
}

#[test]
fn fill_replaces_names_once() {
    assert_eq!(fill("{a} and {b}", &[("a", "{b}"), ("b", "x")]), "{b} and x");
    assert_eq!(fill("{unknown} {", &[("a", "1")]), "{unknown} {");
    assert_eq!(fill("Page {number} of {count}", &[("number", "2"), ("count", "3")]), "Page 2 of 3");
}

#[test]
fn lists_join_with_the_language_conjunction() {
    let english = Strings::shipped("en").unwrap();
    let french = Strings::shipped("fr").unwrap();
    assert_eq!(english.join_list(&["practices", "tools"]), "practices and tools");
    assert_eq!(english.join_list(&["a", "b", "c"]), "a, b and c");
    assert_eq!(english.join_list(&["roles"]), "roles");
    assert_eq!(french.join_list(&["pratiques", "outils"]), "pratiques et outils");
}

#[test]
fn a_catalog_table_overrides_and_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(FOLDER)).unwrap();
    let write = |text: &str| std::fs::write(dir.path().join("i18n/en.toml"), text).unwrap();
    write("home = \"Start\"\n[client]\nloading = \"Wait…\"\n");
    let mut diagnostics = Vec::new();
    let strings = load(dir.path(), "en", &mut diagnostics).unwrap().unwrap();
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(strings.text("home"), "Start");
    assert_eq!(strings.text("landscape"), "Landscape", "the rest is copcat's");
    write("hom = \"Start\"\nentries = \"many\"\n");
    assert!(load(dir.path(), "en", &mut diagnostics).unwrap().is_none());
    let shown: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
    assert!(shown[0].starts_with("i18n/en.toml:1:1: error: unknown string \"hom\""), "{shown:?}");
    assert!(shown[0].contains("did you mean \"home\"?"), "{shown:?}");
    assert!(
        shown[1].starts_with("i18n/en.toml:2:11: error: \"entries\" must be a table of two texts"),
        "{shown:?}"
    );
}
