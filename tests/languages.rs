//! Interface strings (spec §9): a French catalog reads in French, the English one in
//! English, and a catalog's kinds name its header's search box. The words looked for are
//! taken from copcat's own tables, so a string added to them is checked too.

mod common;

use copcat::i18n::Strings;
use std::collections::BTreeSet;
use std::path::Path;

/// The literal runs of a table's strings (the text between `{placeholders}`), trimmed,
/// of three letters or more: what a page in another language must not show.
fn fragments(strings: &Strings) -> BTreeSet<String> {
    let mut fragments = BTreeSet::new();
    for (_, text) in strings.all_texts() {
        for run in text.split(['{', '}']).step_by(2) {
            let run =
                run.trim_matches(|c: char| c.is_whitespace() || c.is_ascii_punctuation() || c == '\u{A0}');
            if run.chars().filter(|c| c.is_alphabetic()).count() >= 3 {
                fragments.insert(run.to_string());
            }
        }
    }
    fragments
}

/// The words of `language`'s table that the `other` table does not also use.
fn own_fragments(language: &str, other: &str) -> BTreeSet<String> {
    let own = fragments(&Strings::shipped(language).unwrap());
    let shared = fragments(&Strings::shipped(other).unwrap());
    own.difference(&shared).cloned().collect()
}

/// `html` without the elements marked as being in a language of their own (`lang="…"`,
/// other than `<html>`'s): an entry not translated yet, a language switcher's link. Their
/// words are rightly in another language.
fn without_other_languages(html: &str) -> String {
    let mut kept = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(" lang=\"") {
        let open = rest[..at].rfind('<').unwrap();
        let name: String = rest[open + 1..].chars().take_while(char::is_ascii_alphanumeric).collect();
        if name == "html" {
            kept.push_str(&rest[..at + 7]);
            rest = &rest[at + 7..];
            continue;
        }
        kept.push_str(&rest[..open]);
        // Skip to the end of the element, counting elements of the same name inside it.
        let (opening, closing) = (format!("<{name}"), format!("</{name}>"));
        let mut depth = 0;
        let mut at = open;
        loop {
            let next_open = rest[at + 1..].find(&opening).map(|i| at + 1 + i);
            let next_close = rest[at..].find(&closing).map(|i| at + i).unwrap();
            match next_open {
                Some(o) if o < next_close => {
                    depth += 1;
                    at = o;
                }
                _ if depth > 0 => {
                    depth -= 1;
                    at = next_close + 1;
                }
                _ => {
                    rest = &rest[next_close + closing.len()..];
                    break;
                }
            }
        }
    }
    kept.push_str(rest);
    kept
}

/// `html` without its `<name>` elements (not nested in each other).
fn without_elements(html: &str, name: &str) -> String {
    let (open, close) = (format!("<{name}>"), format!("</{name}>"));
    let mut kept = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find(&open) {
        kept.push_str(&rest[..start]);
        let end = rest[start..].find(&close).map_or(rest.len(), |end| start + end + close.len());
        rest = &rest[end..];
    }
    kept.push_str(rest);
    kept
}

/// What a reader meets on a page: its text and the attributes read aloud or shown
/// (aria-label, placeholder, title, alt, content), entities decoded. The search page's
/// messages (JSON in a script element) are text too. Parts marked with a language of
/// their own are left out (`without_other_languages`).
fn readable(html: &str) -> String {
    let stripped = without_other_languages(html);
    let html = stripped.as_str();
    let mut text = String::new();
    let mut rest = html;
    let json_start = "<script type=\"application/json\"";
    if let Some(start) = html.find(json_start) {
        let open = start + html[start..].find('>').unwrap() + 1;
        let close = open + html[open..].find("</script>").unwrap();
        let messages: serde_json::Value = serde_json::from_str(&html[open..close]).unwrap();
        text.push_str(&json_strings(&messages).join(" "));
        text.push(' ');
        text.push_str(&readable(&format!("{}{}", &html[..start], &html[close..])));
        return text;
    }
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        text.push(' ');
        let close = rest[open..].find('>').map_or(rest.len(), |close| open + close + 1);
        let tag = &rest[open..close];
        for attribute in ["aria-label=\"", "placeholder=\"", "title=\"", "alt=\"", "content=\""] {
            if let Some(start) = tag.find(attribute) {
                let value = &tag[start + attribute.len()..];
                let value = &value[..value.find('"').unwrap_or(value.len())];
                // An address (`og:url`) is not read: its path is made of ids.
                if !value.starts_with('/') && !value.starts_with("http") {
                    text.push_str(value);
                    text.push(' ');
                }
            }
        }
        rest = &rest[close..];
    }
    text.push_str(rest);
    text.replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

/// The strings of a JSON value (not its keys, which no reader sees).
fn json_strings(value: &serde_json::Value) -> Vec<String> {
    match value {
        serde_json::Value::String(text) => vec![text.clone()],
        serde_json::Value::Array(items) => items.iter().flat_map(json_strings).collect(),
        serde_json::Value::Object(map) => map.values().flat_map(json_strings).collect(),
        _ => Vec::new(),
    }
}

/// Whether `fragment` occurs in `text` as whole words.
fn contains_words(text: &str, fragment: &str) -> bool {
    text.match_indices(fragment).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + fragment.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// Every page of the site at `site` that shows one of `fragments`, with the fragment.
fn leaks(site: &Path, fragments: &BTreeSet<String>) -> Vec<String> {
    leaks_outside(site, fragments, None)
}

/// `leaks`, leaving out the pages under the folder `skip` (another language's tree).
fn leaks_outside(site: &Path, fragments: &BTreeSet<String>, skip: Option<&str>) -> Vec<String> {
    let mut found = Vec::new();
    let mut pages = 0;
    for (path, bytes) in common::read_tree(site) {
        if !path.ends_with(".html") || skip.is_some_and(|folder| path.starts_with(folder)) {
            continue;
        }
        pages += 1;
        let text = readable(&String::from_utf8(bytes).unwrap());
        found.extend(
            fragments
                .iter()
                .filter(|fragment| contains_words(&text, fragment))
                .map(|f| format!("{path}: {f:?}")),
        );
    }
    assert!(pages > 10, "only {pages} pages built under {}", site.display());
    found
}

fn build(root: &Path, output: &Path) {
    let run = common::copcat(
        &["build", "--root", root.to_str().unwrap(), "--output", output.to_str().unwrap()],
        root,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn a_french_catalog_shows_no_english_interface_string() {
    let english = own_fragments("en", "fr");
    assert!(english.len() > 80, "{english:?}");
    let dir = common::catalog("french", &[]);
    let output = dir.path().join("public");
    build(dir.path(), &output);
    let found = leaks(&output, &english);
    assert!(found.is_empty(), "English on French pages:\n{}", found.join("\n"));
    let entry = std::fs::read_to_string(output.join("pratiques/caucus-de-securite/index.html")).unwrap();
    assert!(entry.contains("<html lang=\"fr\""));
    assert!(entry.contains(">1er mars 2025</time>"), "dates in French");
    let home = std::fs::read_to_string(output.join("index.html")).unwrap();
    assert!(home.contains("placeholder=\"Rechercher parmi les pratiques et outils\""));
    assert!(home.contains("1\u{A0}fiche<") && home.contains("3\u{A0}fiches<"), "French counts");

    // The check finds what it looks for: a catalog's own table that leaves two English
    // strings in (one shown by the search page's script) fails it.
    std::fs::create_dir(dir.path().join("i18n")).unwrap();
    std::fs::write(
        dir.path().join("i18n/fr.toml"),
        "home = \"Home\"\n[client]\nloading = \"Loading search…\"\n",
    )
    .unwrap();
    build(dir.path(), &output);
    let found = leaks(&output, &english);
    assert!(found.contains(&"stages/reperer/index.html: \"Home\"".to_string()), "{found:?}");
    assert!(found.contains(&"search/index.html: \"Loading search…\"".to_string()), "{found:?}");
}

#[test]
fn the_shipped_english_catalog_shows_no_french_interface_string() {
    let french = own_fragments("fr", "en");
    assert!(french.len() > 80, "{french:?}");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    build(repo, &dir.path().join("site"));
    let found = leaks_outside(&dir.path().join("site"), &french, Some("fr/"));
    assert!(found.is_empty(), "French on English pages:\n{}", found.join("\n"));
    // And its French edition shows no English interface string. Its bodies cite English
    // sources by their titles, as published, in block quotes and italics (Markdown cannot
    // mark their language; tests/french_edition.rs allows English only there): those
    // elements are left out here.
    let french_site = dir.path().join("site/fr");
    for (path, bytes) in common::read_tree(&french_site) {
        if path.ends_with(".html") {
            let html = String::from_utf8(bytes).unwrap();
            let html = without_elements(&without_elements(&html, "blockquote"), "em");
            std::fs::write(french_site.join(&path), html).unwrap();
        }
    }
    let found = leaks(&french_site, &own_fragments("en", "fr"));
    assert!(found.is_empty(), "English on French pages:\n{}", found.join("\n"));
}

#[test]
fn a_nursing_toolkit_searches_its_own_kinds_and_words() {
    let dir = common::catalog("french", &[]);
    let catalog = std::fs::read_to_string(dir.path().join("catalog.toml")).unwrap();
    let english = catalog
        .replace("language = \"fr\"", "language = \"en\"")
        .replace("name = \"Pratique\"\nplural = \"Pratiques\"", "name = \"Practice\"\nplural = \"Practices\"")
        .replace("name = \"Outil\"\nplural = \"Outils\"", "name = \"Tool\"\nplural = \"Tools\"");
    std::fs::write(dir.path().join("catalog.toml"), english).unwrap();
    let output = dir.path().join("public");
    build(dir.path(), &output);
    let home = std::fs::read_to_string(output.join("index.html")).unwrap();
    assert!(home.contains("placeholder=\"Search practices and tools\""), "{home}");
    assert!(home.contains("see the practices and tools that belong to it"));
    let search = std::fs::read_to_string(output.join("search/index.html")).unwrap();
    assert!(search.contains("every practice and tool entry"));
    assert!(search.contains("placeholder=\"for example: caucus, audit, chevet\""), "its own title words");
    for page in [&home, &search] {
        assert!(
            !page.contains("roles and guidance") && !page.contains("funding"),
            "the shipped catalog's words"
        );
    }
}

#[test]
fn search_examples_are_configurable() {
    let dir = common::catalog("french", &[]);
    let path = dir.path().join("catalog.toml");
    let catalog = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        catalog
            .replace("list_page_size = 2", "list_page_size = 2\nsearch_examples = [\"chutes\", \"relève\"]"),
    )
    .unwrap();
    let output = dir.path().join("public");
    build(dir.path(), &output);
    let search = std::fs::read_to_string(output.join("search/index.html")).unwrap();
    assert!(search.contains("placeholder=\"par exemple\u{A0}: chutes, relève\""), "{search}");
}

#[test]
fn marked_parts_in_another_language_are_not_leaks() {
    let html = "<html lang=\"fr\"><p>Bonjour <a href=\"x\" lang=\"en\">English</a></p>\
                <div lang=\"en\"><div>Home</div><p>Search</p></div><p>Accueil</p></html>";
    let text = readable(html);
    assert!(text.contains("Bonjour") && text.contains("Accueil"), "{text}");
    assert!(!text.contains("English") && !text.contains("Home") && !text.contains("Search"), "{text}");
}

#[test]
fn a_bilingual_catalog_reads_in_each_language_in_its_own_tree() {
    let dir = common::catalog("bilingual", &[]);
    let output = dir.path().join("public");
    build(dir.path(), &output);
    let found = leaks(&output.join("fr"), &own_fragments("en", "fr"));
    assert!(found.is_empty(), "English on French pages:\n{}", found.join("\n"));
    let found = leaks_outside(&output, &own_fragments("fr", "en"), Some("fr/"));
    assert!(found.is_empty(), "French on English pages:\n{}", found.join("\n"));

    let read = |path: &str| std::fs::read_to_string(output.join(path)).unwrap();
    let french = read("fr/practices/safety-huddle/index.html");
    assert!(french.contains("<html lang=\"fr\"") && french.contains(">Caucus de sécurité</h1>"));
    assert!(french.contains("placeholder=\"Rechercher parmi les pratiques et outils\""), "translated kinds");
    assert!(
        french.contains("href=\"../../../practices/safety-huddle/index.html\" hreflang=\"en\""),
        "switcher"
    );
    assert!(french.contains("href=\"../../../style.css\""), "shared files at the site's root");
    assert!(
        french.contains("href=\"../../tools/huddle-board/index.html#comment-lutiliser\""),
        "links stay in French"
    );
    let untranslated = read("fr/practices/falls-audit/index.html");
    assert!(untranslated.contains("<h1 id=\"entry-title\" lang=\"en\">Falls audit</h1>"), "{untranslated}");
    assert!(untranslated.contains("class=\"untranslated-note\""));

    // Every page links to its counterpart in the other language, and back.
    for (path, _) in common::read_tree(&output) {
        if !path.ends_with(".html") || path.ends_with("404.html") {
            continue;
        }
        let (own, other) = match path.strip_prefix("fr/") {
            Some(english) => (path.clone(), english.to_string()),
            None => (path.clone(), format!("fr/{path}")),
        };
        let pretty = |p: &str| format!("https://example.org/sub/{}", p.trim_end_matches("index.html"));
        let page = read(&own);
        for (code, target) in [
            ("en", if own.starts_with("fr/") { &other } else { &own }),
            ("fr", if own.starts_with("fr/") { &own } else { &other }),
        ] {
            let link = format!("<link rel=\"alternate\" hreflang=\"{code}\" href=\"{}\">", pretty(target));
            assert!(page.contains(&link), "{own} lacks {link}");
        }
        assert!(output.join(&other).is_file(), "{own} has no counterpart {other}");
    }
    let sitemap = read("sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/sub/fr/practices/safety-huddle/</loc>"));
    assert!(
        sitemap.contains("hreflang=\"x-default\" href=\"https://example.org/sub/practices/safety-huddle/\"")
    );
    assert!(!output.join("fr/sitemap.xml").exists() && !output.join("fr/robots.txt").exists());
    let json: serde_json::Value = serde_json::from_str(&read("fr/catalog.json")).unwrap();
    assert_eq!(json["language"], "fr");
    let falls =
        json["entries"].as_array().unwrap().iter().find(|e| e["id"] == "practices/falls-audit").unwrap();
    assert_eq!(falls["language"], "en", "an entry not translated says so");
    assert!(read("fr/feed.xml").contains("Caucus de sécurité"));
    assert!(output.join("fr/search/stemmer.js").is_file());
}

/// `copcat new --strings` for a language copcat does not ship: the error that names the
/// missing table names the command, which starts it from the English table; the table then
/// checks as written (every key is there), is what the site says, and is never overwritten.
#[test]
fn new_strings_starts_a_table_to_translate() {
    let dir = common::catalog("base", &[&common::fixtures().join("invalid/language-without-strings")]);
    let root = dir.path();
    let check = common::copcat(&["check"], root);
    assert_eq!(check.code, 1);
    assert!(check.stderr.contains("`copcat new --strings de`"), "{}", check.stderr);

    let run = common::copcat(&["new", "--strings", "de"], root);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("i18n/de.toml"), "{}", run.stdout);
    let check = common::copcat(&["check"], root);
    assert_eq!(check.code, 0, "{}", check.stderr);

    let path = root.join("i18n/de.toml");
    let table = std::fs::read_to_string(&path).unwrap();
    assert!(table.contains("\nhome = \"Home\"\n"), "{table}");
    std::fs::write(&path, table.replace("\nhome = \"Home\"\n", "\nhome = \"Startseite\"\n")).unwrap();
    let site = root.join("public");
    build(root, &site);
    let page = std::fs::read_to_string(site.join("roles/knowledge-broker/index.html")).unwrap();
    assert!(page.contains(">Startseite</a>"), "{page}");

    let again = common::copcat(&["new", "--strings", "de"], root);
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("never overwrites"), "{}", again.stderr);
    assert!(std::fs::read_to_string(&path).unwrap().contains("Startseite"));
}

/// For a language copcat ships, `copcat new --strings` writes its table commented out: the
/// site is byte for byte what it was until a string is uncommented, and then says it.
#[test]
fn new_strings_for_a_shipped_language_changes_nothing_until_a_string_is_uncommented() {
    let dir = common::catalog("base", &[]);
    let root = dir.path();
    let (before, after) = (root.join("before"), root.join("after"));
    build(root, &before);

    let run = common::copcat(&["new", "--strings", "en"], root);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stdout.contains("does not publish"), "{}", run.stdout);
    build(root, &after);
    assert!(
        common::read_tree(&before) == common::read_tree(&after),
        "a commented-out table changed the site"
    );

    let path = root.join("i18n/en.toml");
    let table = std::fs::read_to_string(&path).unwrap();
    assert!(table.contains("\n# home = \"Home\"\n"), "{table}");
    std::fs::write(&path, table.replace("\n# home = \"Home\"\n", "\nhome = \"Start\"\n")).unwrap();
    build(root, &after);
    let page = std::fs::read_to_string(after.join("roles/knowledge-broker/index.html")).unwrap();
    assert!(page.contains(">Start</a>"), "{page}");

    let run = common::copcat(&["new", "--strings", "fr"], root);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("does not publish \"fr\" yet"), "{}", run.stdout);
}
