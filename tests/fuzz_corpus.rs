//! Replays the committed fuzz corpora (`fuzz/corpus/<target>/`) through the fuzz targets'
//! own property checks, so that every input the fuzzer once found interesting guards
//! against regressions in plain `cargo test`, without the fuzzer (see `fuzz/run.sh`).

#[path = "../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod checks;

use std::path::{Path, PathBuf};

fn files(folder: &str, target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz").join(folder).join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> =
        entries.filter_map(Result::ok).map(|entry| entry.path()).filter(|path| path.is_file()).collect();
    files.sort();
    files
}

/// Runs `check` on every file of `fuzz/<folder>/<target>/`, naming the file that fails.
fn replay(folder: &str, target: &str, check: impl Fn(&[u8]) + std::panic::RefUnwindSafe) -> usize {
    let files = files(folder, target);
    for path in &files {
        let data = std::fs::read(path).unwrap();
        if std::panic::catch_unwind(|| check(&data)).is_err() {
            panic!("{} breaks a property of the {target} fuzz target (message above)", path.display());
        }
    }
    files.len()
}

#[test]
fn frontmatter_corpus_keeps_its_properties() {
    assert!(replay("corpus", "frontmatter", checks::frontmatter) > 0, "the corpus is missing");
}

#[test]
fn toml_fields_corpus_keeps_its_properties() {
    assert!(replay("corpus", "toml_fields", |data| checks::toml_fields_with(data, false)) > 0);
}

#[test]
fn markdown_corpus_keeps_its_properties() {
    assert!(replay("corpus", "markdown", |data| checks::markdown_with(data, false)) > 0);
}

#[test]
fn search_text_corpus_keeps_its_properties() {
    assert!(replay("corpus", "search_text", checks::search_text) > 0);
}

/// The URL-policy tier (no `javascript:` link, no `on…=` or other unknown attribute) over
/// the corpora and the inputs that broke it before the URL policy and the heading-attribute
/// allow-list were in (`fuzz/known-failures/`).
#[test]
fn url_policy_holds_for_corpus_and_known_failures() {
    for folder in ["corpus", "known-failures"] {
        replay(folder, "markdown", |data| checks::markdown_with(data, true));
        replay(folder, "toml_fields", |data| checks::toml_fields_with(data, true));
    }
}

#[test]
fn the_html_scanner_reads_what_pulldown_cmark_writes() {
    let tags =
        checks::scan_html("<p>a &lt;b&gt; <a href=\"x?a=1&amp;b=2\" title=\"&quot;\">c</a></p>\n<hr />");
    let names: Vec<(&str, bool)> = tags.iter().map(|tag| (tag.name.as_str(), tag.closing)).collect();
    assert_eq!(names, [("p", false), ("a", false), ("a", true), ("p", true), ("hr", false)]);
    assert_eq!(tags[1].attributes, [("href".into(), "x?a=1&b=2".into()), ("title".into(), "\"".into())]);
}

#[test]
fn the_policy_check_catches_script_urls() {
    for url in
        ["javascript:alert(1)", " \u{1}JavaScript:x", "java\nscript:x", "vbscript:x", "data:text/html,x"]
    {
        let result = std::panic::catch_unwind(|| checks::assert_safe_url(url, "test"));
        assert!(result.is_err(), "{url:?} passed as safe");
    }
    for url in ["../a/index.html#javascript:x", "https://example.org/", "mailto:a@b.org", "#x"] {
        checks::assert_safe_url(url, "test");
    }
}
