//! Addresses that last: `aliases` published as redirect pages, `copcat mv`, and the previous
//! edition as a baseline (a vanishing address is a warning, an error with --strict).

mod common;

use common::{catalog, copcat, fixtures, read_tree};
use std::fs;
use std::path::Path;

fn text(root: &Path, path: &str) -> String {
    fs::read_to_string(root.join(path)).unwrap_or_else(|error| panic!("{path}: {error}"))
}

fn replace(root: &Path, path: &str, from: &str, to: &str) {
    let old = text(root, path);
    assert!(old.contains(from), "{path} does not contain {from:?}");
    fs::write(root.join(path), old.replacen(from, to, 1)).unwrap();
}

/// The base fixture's files, as they are before any `mv`.
fn base(path: &str) -> String {
    text(&fixtures().join("base"), path)
}

const TRANSLATION: &str = "+++\ntitle = \"Courtier de connaissances\"\n+++\n\n\
    Voir [le financement](@/guidance/fund-a-facilitator.md#what-it-takes) et \
    [pourquoi](@/roles/knowledge-broker.md#why-it-matters).\n";

#[test]
fn mv_rewrites_related_lists_body_links_and_anchors_and_translations_and_nothing_else() {
    let dir = catalog("base", &[]);
    let root = dir.path();
    // A translation beside the original (languages are not loaded yet: mv handles them anyway).
    fs::write(root.join("content/roles/knowledge-broker.fr.md"), TRANSLATION).unwrap();
    let before = read_tree(root);
    let run = copcat(&["mv", "roles/knowledge-broker", "roles/broker"], root);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(
        run.stdout,
        "content/_index.md:5:35: link @/roles/knowledge-broker.md → @/roles/broker.md\n\
         content/guidance/fund-a-facilitator.toml:5:12: related \"roles/knowledge-broker\" → \"roles/broker\"\n\
         content/guidance/fund-a-facilitator.toml:13:53: link @/roles/knowledge-broker.md → @/roles/broker.md\n\
         renamed content/roles/knowledge-broker.fr.md → content/roles/broker.fr.md\n\
         content/roles/broker.fr.md:5:85: link @/roles/knowledge-broker.md → @/roles/broker.md\n\
         renamed content/roles/knowledge-broker.md → content/roles/broker.md\n\
         content/roles/broker.md:9:1: aliases += \"roles/knowledge-broker\" (its old address redirects to it)\n\
         moved roles/knowledge-broker to roles/broker: 4 files changed; its old address now redirects to it\n"
    );

    // Each file is the old one with exactly these bytes changed (anchors kept).
    let expected = [
        (
            "content/_index.md",
            base("content/_index.md").replace("@/roles/knowledge-broker.md#", "@/roles/broker.md#"),
        ),
        (
            "content/guidance/fund-a-facilitator.toml",
            base("content/guidance/fund-a-facilitator.toml")
                .replace("[\"roles/knowledge-broker\"]", "[\"roles/broker\"]")
                .replace("(@/roles/knowledge-broker.md)", "(@/roles/broker.md)"),
        ),
        (
            "content/roles/broker.fr.md",
            TRANSLATION.replace("@/roles/knowledge-broker.md#", "@/roles/broker.md#"),
        ),
        (
            "content/roles/broker.md",
            base("content/roles/knowledge-broker.md").replace(
                "updated = 2024-03-05\n",
                "updated = 2024-03-05\naliases = [\"roles/knowledge-broker\"]\n",
            ),
        ),
    ];
    for (path, text_expected) in &expected {
        assert_eq!(&text(root, path), text_expected, "{path}");
    }
    let after = read_tree(root);
    let changed: Vec<&str> = expected.iter().map(|(path, _)| *path).collect();
    let gone = ["content/roles/knowledge-broker.md", "content/roles/knowledge-broker.fr.md"];
    for (path, bytes) in &before {
        if gone.contains(&path.as_str()) {
            assert!(!root.join(path).exists(), "{path} is still there");
        } else if !changed.contains(&path.as_str()) {
            assert_eq!(after.iter().find(|(other, _)| other == path).map(|(_, b)| b), Some(bytes), "{path}");
        }
    }
    assert_eq!(
        after.len(),
        before.len(),
        "no temporary file is left: {:?}",
        after.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
}

#[test]
fn after_mv_the_catalog_checks_and_the_old_address_redirects() {
    let dir = catalog("base", &[]);
    let root = dir.path();
    assert_eq!(copcat(&["build", "--quiet"], root).code, 0);
    let run = copcat(&["mv", "roles/knowledge-broker", "roles/broker"], root);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let check = copcat(&["check"], root);
    assert_eq!((check.code, check.stderr.as_str()), (0, ""));
    // The build compares with the site it replaces: nothing vanishes, so nothing to say.
    let build = copcat(&["build"], root);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert_eq!(build.stderr, "");
    let redirect = text(root, "public/roles/knowledge-broker/index.html");
    assert!(
        redirect.contains(r#"<meta http-equiv="refresh" content="0; url=../../roles/broker/index.html">"#),
        "{redirect}"
    );
    assert!(
        redirect.contains(r#"<link rel="canonical" href="https://example.org/cop/roles/broker/">"#),
        "{redirect}"
    );
    assert!(
        redirect.contains(r#"<a href="../../roles/broker/index.html">Knowledge broker</a>"#),
        "{redirect}"
    );
    assert!(!redirect.contains("<script"), "a redirect runs no script");
    assert!(text(root, "public/index.html").contains("roles/broker/index.html#why-it-matters"));
}

#[test]
fn mv_adds_to_an_existing_aliases_list_and_to_a_toml_entry_before_its_body() {
    let dir = catalog("base", &[]);
    let root = dir.path();
    replace(
        root,
        "content/roles/priority-setter.md",
        "weight = -1\n",
        "weight = -1\naliases = [\n  \"roles/setter\", # its first name\n]\n",
    );
    let run = copcat(&["mv", "roles/priority-setter", "roles/priorities"], root);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        text(root, "content/roles/priorities.md")
            .contains("aliases = [\n  \"roles/setter\", \"roles/priority-setter\", # its first name\n]\n")
    );
    let run = copcat(&["mv", "guidance/fund-a-facilitator", "guidance/fund-facilitation"], root);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let moved = text(root, "content/guidance/fund-facilitation.toml");
    assert!(
        moved.contains("updated = 2024-02-01\naliases = [\"guidance/fund-a-facilitator\"]\nbody = \"\"\""),
        "{moved}"
    );
    assert!(
        text(root, "content/roles/knowledge-broker.md")
            .contains("related = [\"guidance/fund-facilitation\"]")
    );
    assert!(
        text(root, "content/roles/knowledge-broker.md")
            .contains("(@/guidance/fund-facilitation.md#what-it-takes)")
    );
    let check = copcat(&["check"], root);
    assert_eq!((check.code, check.stderr.as_str()), (0, ""));
}

#[test]
fn mv_refuses_an_existing_target_and_changes_nothing() {
    let dir = catalog("base", &[]);
    let root = dir.path();
    let before = read_tree(root);
    let run = copcat(&["mv", "roles/knowledge-broker", "roles/priority-setter"], root);
    assert_eq!(run.code, 2);
    assert_eq!(run.stderr, "error: content/roles/priority-setter.md exists; `mv` changed nothing\n");
    assert_eq!(run.stdout, "");
    // A translation of the target's name is taken too.
    fs::write(root.join("content/roles/broker.fr.md"), TRANSLATION).unwrap();
    let with_translation = read_tree(root);
    let run = copcat(&["mv", "roles/knowledge-broker", "roles/broker"], root);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("content/roles/broker.fr.md exists"), "{}", run.stderr);
    assert!(read_tree(root) == with_translation);
    fs::remove_file(root.join("content/roles/broker.fr.md")).unwrap();
    // Not a kind's folder, or no such entry.
    assert_eq!(copcat(&["mv", "roles/knowledge-broker", "stages/broker"], root).code, 2);
    assert_eq!(copcat(&["mv", "roles/nobody", "roles/somebody"], root).code, 2);
    assert!(read_tree(root) == before, "a refused mv changed files");
}

#[test]
fn mv_refuses_a_catalog_with_errors_and_changes_nothing() {
    let case = fixtures().join("invalid/missing-related");
    let dir = catalog("base", &[&case]);
    let root = dir.path();
    let before = read_tree(root);
    let run = copcat(&["mv", "roles/knowledge-broker", "roles/broker"], root);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("error: related entry \"roles/knowledge-broke\" does not exist"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.ends_with("mv changed nothing: the catalog has errors (fix them, then move)\n"));
    assert!(read_tree(root) == before, "a refused mv changed files");
}

#[test]
fn redirect_pages_are_left_out_of_the_sitemap_feed_and_search_and_listed_in_catalog_json() {
    let dir = catalog("base", &[]);
    let root = dir.path();
    replace(
        root,
        "content/roles/knowledge-broker.md",
        "updated = 2024-03-05\n",
        "updated = 2024-03-05\naliases = [\"roles/broker\", \"/2019/broker.html/\"]\n",
    );
    replace(
        root,
        "content/pages/about.md",
        "title = \"About\"\n",
        "title = \"About\"\naliases = [\"about\"]\n",
    );
    let run = copcat(&["build", "--base-url", "https://example.org/sub/"], root);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let deep = text(root, "public/2019/broker.html/index.html");
    assert!(deep.contains("content=\"0; url=../../roles/knowledge-broker/index.html\""), "{deep}");
    let about = text(root, "public/about/index.html");
    assert!(about.contains("content=\"0; url=../pages/about/index.html\""), "{about}");
    assert!(about.contains("href=\"https://example.org/sub/pages/about/\""), "{about}");
    for file in ["sitemap.xml", "feed.xml"] {
        let published = text(root, &format!("public/{file}"));
        assert!(
            !published.contains("roles/broker") && !published.contains("2019/"),
            "{file} lists a redirect"
        );
    }
    for (path, bytes) in read_tree(&root.join("public/search")) {
        assert!(!String::from_utf8_lossy(&bytes).contains("roles/broker/"), "search/{path} lists a redirect");
    }
    let json: serde_json::Value = serde_json::from_str(&text(root, "public/catalog.json")).unwrap();
    let broker =
        json["entries"].as_array().unwrap().iter().find(|e| e["id"] == "roles/knowledge-broker").unwrap();
    assert_eq!(broker["aliases"], serde_json::json!(["roles/broker/", "2019/broker.html/"]));
}

#[test]
fn a_vanishing_address_is_a_warning_and_strict_keeps_the_old_site() {
    let dir = catalog("base", &[]);
    let root = dir.path();
    assert_eq!(copcat(&["build", "--quiet"], root).code, 0);
    let old_site = read_tree(&root.join("public"));
    fs::copy(root.join("public/catalog.json"), root.join("edition-1.json")).unwrap();
    // A hand rename that fixes the links but forgets the alias.
    fs::rename(root.join("content/roles/priority-setter.md"), root.join("content/roles/priorities.md"))
        .unwrap();

    let strict = copcat(&["build", "--strict"], root);
    assert_eq!(strict.code, 1);
    assert!(strict.stderr.starts_with(&format!(
        "{}:8:377: error: \"roles/priority-setter/\" was published in the previous edition and would vanish: \
         no entry or alias has that address now\n  = help: add `aliases = [\"roles/priority-setter\"]` to \
         content/roles/priorities.md, the entry that replaces it",
        Path::new(".").join("public/catalog.json").display()
    )), "{}", strict.stderr);
    assert!(read_tree(&root.join("public")) == old_site, "--strict published anyway");

    let check = copcat(&["check", "--previous", "edition-1.json"], root);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(
        check.stderr.starts_with("edition-1.json:8:377: warning: \"roles/priority-setter/\" was published"),
        "{}",
        check.stderr
    );
    assert_eq!(copcat(&["check", "--previous", "edition-1.json", "--strict"], root).code, 1);

    let warned = copcat(&["build"], root);
    assert_eq!(warned.code, 0, "{}", warned.stderr);
    assert!(
        warned.stderr.contains("warning: \"roles/priority-setter/\" was published in the previous edition")
    );
    // Once published without it, the address is gone from the baseline; the older edition
    // still remembers it, and the alias satisfies both.
    replace(
        root,
        "content/roles/priorities.md",
        "weight = -1\n",
        "weight = -1\naliases = [\"roles/priority-setter\"]\n",
    );
    let check = copcat(&["check", "--previous", "edition-1.json", "--strict"], root);
    assert_eq!((check.code, check.stderr.as_str()), (0, ""));
    let missing = copcat(&["check", "--previous", "nowhere.json"], root);
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.starts_with("error: cannot read nowhere.json"), "{}", missing.stderr);
}

#[test]
fn mv_renames_a_free_page_and_a_crlf_file_keeps_its_line_endings() {
    let dir = catalog("base", &[]);
    let root = dir.path();
    let page = text(root, "content/pages/about.md").replace('\n', "\r\n");
    fs::write(root.join("content/pages/about.md"), &page).unwrap();
    replace(root, "content/_index.md", "Start with", "[About](@/pages/about.md). Start with");
    let run = copcat(&["mv", "pages/about", "pages/about-us"], root);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        text(root, "content/pages/about-us.md"),
        page.replace("+++\r\n\r\n", "aliases = [\"pages/about\"]\r\n+++\r\n\r\n")
    );
    assert!(text(root, "content/_index.md").contains("[About](@/pages/about-us.md)."));
    // A page moves among pages only.
    assert_eq!(copcat(&["mv", "pages/about-us", "roles/about"], root).code, 2);
    let build = copcat(&["build"], root);
    assert_eq!((build.code, build.stderr.as_str()), (0, ""));
    assert!(text(root, "public/pages/about/index.html").contains("url=../../pages/about-us/index.html"));
}

#[test]
fn a_split_previous_edition_is_read_part_by_part() {
    let dir = catalog("base", &[&fixtures().join("exports")]);
    let root = dir.path();
    // The previous edition, split into parts as a large catalog's is (small parts here).
    let mut diagnostics = Vec::new();
    let loaded =
        copcat::load_catalog(root, &copcat::LoadOptions::default(), &mut diagnostics).unwrap().unwrap();
    let edition = root.join("edition");
    fs::create_dir(&edition).unwrap();
    let files = copcat::render::feeds::catalog_exports(&loaded, 1500);
    assert!(files.len() > 4, "split into parts");
    for file in &files {
        fs::write(edition.join(&file.path), &file.bytes).unwrap();
    }
    let part = files
        .iter()
        .find(|file| {
            file.path.starts_with("catalog-")
                && String::from_utf8_lossy(&file.bytes).contains("\"roles/priority-setter/\"")
        })
        .map(|file| file.path.clone())
        .unwrap();
    fs::rename(root.join("content/roles/priority-setter.md"), root.join("content/roles/priorities.md"))
        .unwrap();

    let check = copcat(&["check", "--previous", "edition/catalog.json"], root);
    assert_eq!(check.code, 0, "{}", check.stderr);
    let named = Path::new("edition").join(&part).display().to_string();
    assert!(
        check.stderr.starts_with(&format!("{named}:"))
            && check
                .stderr
                .contains("warning: \"roles/priority-setter/\" was published in the previous edition"),
        "{}",
        check.stderr
    );
    assert_eq!(check.stderr.matches("was published in the previous edition").count(), 1, "{}", check.stderr);

    // A part that is not beside catalog.json is refused, not read.
    let index = fs::read_to_string(edition.join("catalog.json")).unwrap();
    fs::write(edition.join("catalog.json"), index.replacen("\"catalog-1.json\"", "\"../secret.json\"", 1))
        .unwrap();
    let refused = copcat(&["check", "--previous", "edition/catalog.json"], root);
    assert_ne!(refused.code, 0, "{}", refused.stderr);
    assert!(refused.stderr.contains("not a file beside it"), "{}", refused.stderr);
}

/// `mv` reports each change where it is in the file once moved: under its new name, a line
/// lower when the alias's new line comes before it, and further along its line when an
/// earlier link on that line grew or shrank.
#[test]
fn mv_reports_each_change_where_it_is_in_the_moved_file() {
    let dir = catalog("base", &[]);
    let root = dir.path();
    replace(
        root,
        "content/roles/knowledge-broker.md",
        "Questions travel and answers come back.",
        "See [why](@/roles/knowledge-broker.md#why-it-matters) and [signs](@/roles/knowledge-broker.md).",
    );
    let run = copcat(&["mv", "roles/knowledge-broker", "roles/b"], root);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let moved = text(root, "content/roles/b.md");
    let reported: Vec<&str> =
        run.stdout.lines().filter(|line| line.starts_with("content/roles/b.md:")).collect();
    assert_eq!(reported.len(), 3, "{}", run.stdout);
    for line in reported {
        let mut parts = line.splitn(4, ':');
        let (_, row, column, said) =
            (parts.next(), parts.next().unwrap(), parts.next().unwrap(), parts.next().unwrap());
        let row: usize = row.parse().unwrap();
        let column: usize = column.parse().unwrap();
        let at: String = moved.lines().nth(row - 1).unwrap().chars().skip(column - 1).collect();
        let expected =
            if said.contains("aliases") { "aliases = [\"roles/knowledge-broker\"]" } else { "@/roles/b.md" };
        assert!(at.starts_with(expected), "{line}: the moved file has {at:?} there\n{moved}");
    }
}
