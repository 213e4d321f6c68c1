//! Snapshot tests (insta) of the `<main>` region of each page type, built from the base
//! fixture. Review changes with `cargo insta review` (or accept them with
//! `INSTA_UPDATE=always cargo test --test snapshots`) like any other code change.

mod common;

fn main_region(html: &str) -> String {
    let start = html.find("<main").expect("a <main> element");
    let end = html.rfind("</main>").expect("a closing </main>") + "</main>".len();
    html[start..end].to_string()
}

#[test]
fn main_regions_of_each_page_type() {
    let dir = common::catalog("base", &[]);
    let run = common::copcat(&["build"], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let output = dir.path().join("public");
    let pages = [
        ("home", "index.html"),
        ("stage", "stages/identify-priorities/index.html"),
        ("term_page_2", "audience/executive/page/2/index.html"),
        ("taxonomy", "audience/index.html"),
        ("term", "audience/executive/index.html"),
        ("kind", "roles/index.html"),
        ("entry", "roles/knowledge-broker/index.html"),
        ("entry_from_toml", "guidance/fund-a-facilitator/index.html"),
        ("free_page", "pages/about/index.html"),
        ("landscape", "landscape/index.html"),
        ("sources", "sources/index.html"),
        ("search", "search/index.html"),
        ("not_found", "404.html"),
        ("print", "print/index.html"),
        ("print_stage", "print/share-coordinate/index.html"),
    ];
    for (name, path) in pages {
        let html = std::fs::read_to_string(output.join(path)).unwrap();
        insta::assert_snapshot!(name, main_region(&html));
    }
}

/// Everything before `<main>`: the head (with its hreflang alternates) and the language
/// switcher, without the header and its navigation (the same on every page).
fn head_and_switcher(html: &str) -> String {
    let header = html.find("<header class=\"site-header\"").expect("a site header");
    html[..header].to_string()
}

#[test]
fn bilingual_french_edition() {
    let dir = common::catalog("bilingual", &[]);
    let run = common::copcat(&["build"], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let output = dir.path().join("public");
    let pages = [
        ("bilingual_fr_home", "fr/index.html"),
        ("bilingual_fr_entry", "fr/practices/safety-huddle/index.html"),
        ("bilingual_fr_untranslated_entry", "fr/practices/falls-audit/index.html"),
        ("bilingual_fr_stage", "fr/stages/notice/index.html"),
        ("bilingual_fr_search", "fr/search/index.html"),
    ];
    for (name, path) in pages {
        let html = std::fs::read_to_string(output.join(path)).unwrap();
        insta::assert_snapshot!(name, main_region(&html));
    }
    let entry = std::fs::read_to_string(output.join("fr/practices/safety-huddle/index.html")).unwrap();
    insta::assert_snapshot!("bilingual_fr_entry_head", head_and_switcher(&entry));
    let english = std::fs::read_to_string(output.join("practices/safety-huddle/index.html")).unwrap();
    insta::assert_snapshot!("bilingual_en_entry_head", head_and_switcher(&english));
}

#[test]
fn french_main_regions() {
    let dir = common::catalog("french", &[]);
    let run = common::copcat(&["build"], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let output = dir.path().join("public");
    let pages = [
        ("french_home", "index.html"),
        ("french_stage", "stages/reperer/index.html"),
        ("french_entry", "pratiques/caucus-de-securite/index.html"),
        ("french_search", "search/index.html"),
    ];
    for (name, path) in pages {
        let html = std::fs::read_to_string(output.join(path)).unwrap();
        insta::assert_snapshot!(name, main_region(&html));
    }
}

#[test]
fn search_index_and_cli_output() {
    let dir = common::catalog("base", &[]);
    let check = common::copcat(&["check"], dir.path());
    insta::assert_snapshot!("check_ok", check.stdout);
    let case = common::fixtures().join("invalid/several-mistakes");
    let broken = common::catalog("base", &[&case]);
    let json = common::copcat(&["check", "--format", "json"], broken.path());
    insta::assert_snapshot!("check_json", json.stdout);
}
