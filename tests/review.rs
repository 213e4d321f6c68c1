//! Review dates (spec §10): with `review_every_months = 24`, an entry falls due 24 months
//! after its `reviewed` date (or, without one, its `updated` date). "Today" is always given
//! with `--today`: these tests never read the clock.

mod common;

use common::{catalog, copcat, fixtures, read_tree};
use std::path::Path;

/// The base fixture with a review policy and `roles/reviewed-role` (reviewed 2023-03-01,
/// updated 2024-06-01). The base's `roles/priority-setter` (updated 2024-01-10) has no
/// `reviewed`, and is the first base entry to fall due, on 2026-01-10.
fn reviewed_catalog() -> tempfile::TempDir {
    let dir = catalog("base", &[&fixtures().join("review")]);
    let config = dir.path().join("catalog.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("review_every_months = 24\n{text}")).unwrap();
    dir
}

const REVIEWED_ROLE_DUE: &str = "content/roles/reviewed-role.md:7:12: warning: due for review since 2025-03-01 \
     (last reviewed 2023-03-01; the catalog reviews every 24 months)\n  = help: check the entry against the \
     evidence, then set reviewed = 2025-03-01 (the date you checked it)\n";

#[test]
fn an_entry_falls_due_on_its_due_date_and_not_the_day_before() {
    let dir = reviewed_catalog();
    let before = copcat(&["check", "--today", "2025-02-28"], dir.path());
    assert_eq!((before.code, before.stderr.as_str()), (0, ""), "the day before it falls due");
    let on = copcat(&["check", "--today", "2025-03-01"], dir.path());
    assert_eq!(on.code, 0, "a warning does not fail: {}", on.stderr);
    assert_eq!(on.stderr, format!("{REVIEWED_ROLE_DUE}0 errors, 1 warning\n"));
}

#[test]
fn without_reviewed_the_updated_date_counts_at_its_line() {
    let dir = reviewed_catalog();
    let run = copcat(&["check", "--today", "2026-01-10"], dir.path());
    let warnings: Vec<&str> = run.stderr.lines().filter(|line| line.contains(": warning:")).collect();
    assert_eq!(
        warnings,
        [
            "content/guidance/escape-test.md:7:11: warning: due for review since 2025-12-31 (never reviewed; \
             updated 2023-12-31; the catalog reviews every 24 months)",
            "content/roles/priority-setter.md:7:11: warning: due for review since 2026-01-10 (never reviewed; \
             updated 2024-01-10; the catalog reviews every 24 months)",
            "content/roles/reviewed-role.md:7:12: warning: due for review since 2025-03-01 (last reviewed \
             2023-03-01; the catalog reviews every 24 months)",
        ],
        "{}",
        run.stderr
    );
    let drafts = copcat(&["check", "--today", "2030-01-01"], dir.path());
    assert!(
        !drafts.stderr.contains("secret-plan"),
        "drafts are not published, so not due: {}",
        drafts.stderr
    );
}

#[test]
fn strict_turns_the_warning_into_an_error_in_check_and_build() {
    let dir = reviewed_catalog();
    let check = copcat(&["check", "--strict", "--today", "2025-03-01"], dir.path());
    assert_eq!(check.code, 1, "{}", check.stderr);
    assert!(
        check
            .stderr
            .starts_with("content/roles/reviewed-role.md:7:12: error: due for review since 2025-03-01")
    );
    assert!(check.stderr.contains("an error because of --strict"), "{}", check.stderr);
    assert!(check.stderr.ends_with("1 error, 0 warnings\n"), "{}", check.stderr);
    let json = copcat(&["check", "--strict", "--format", "json", "--today", "2025-03-01"], dir.path());
    let diagnostics: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(diagnostics[0]["severity"], "error");
    assert_eq!(diagnostics[0]["line"], 7);

    let not_due = copcat(&["check", "--strict", "--today", "2025-02-28"], dir.path());
    assert_eq!(not_due.code, 0, "{}", not_due.stderr);

    let build = copcat(&["build", "--strict", "--quiet", "--today", "2025-03-01"], dir.path());
    assert_eq!(build.code, 1, "{}", build.stderr);
    assert!(build.stderr.contains("error: due for review since 2025-03-01"), "{}", build.stderr);
    assert!(!dir.path().join("public").exists(), "a strict build with a warning publishes nothing");
    let build = copcat(&["build", "--strict", "--quiet", "--today", "2025-02-28"], dir.path());
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(dir.path().join("public/index.html").is_file());
}

#[test]
fn build_warns_but_its_output_does_not_depend_on_the_day() {
    let dir = reviewed_catalog();
    let early = copcat(&["build", "--today", "2024-01-01"], dir.path());
    assert_eq!((early.code, early.stderr.as_str()), (0, ""));
    let first = read_tree(&dir.path().join("public"));
    let late = copcat(&["build", "--today", "2030-01-01"], dir.path());
    assert_eq!(late.code, 0, "{}", late.stderr);
    assert!(
        late.stderr.contains("content/roles/reviewed-role.md:7:12: warning: due for review"),
        "{}",
        late.stderr
    );
    assert!(
        first == read_tree(&dir.path().join("public")),
        "the site is byte-identical whatever day it is built"
    );
}

#[test]
fn the_entry_page_tells_the_reader_when_it_was_last_reviewed() {
    let dir = reviewed_catalog();
    let run = copcat(&["build", "--quiet", "--today", "2030-01-01"], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = std::fs::read_to_string(dir.path().join("public/roles/reviewed-role/index.html")).unwrap();
    assert!(
        page.contains("<dt>Reviewed</dt>\n<dd><time datetime=\"2023-03-01\">1 March 2023</time></dd>"),
        "{page}"
    );
    assert!(page.contains("<dt>Reviewed</dt>"), "{page}");
    assert!(
        !page.to_lowercase().contains("overdue") && !page.contains("due for review"),
        "no clock-dependent words"
    );
    let never = std::fs::read_to_string(dir.path().join("public/roles/priority-setter/index.html")).unwrap();
    assert!(!never.contains("<dt>Reviewed</dt>"), "an entry never reviewed claims no review");
}

#[test]
fn the_exports_carry_reviewed_and_review_due() {
    let dir = reviewed_catalog();
    let run = copcat(&["build", "--quiet", "--today", "2025-01-01"], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let public = dir.path().join("public");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(public.join("catalog.json")).unwrap()).unwrap();
    let entry =
        |id: &str| json["entries"].as_array().unwrap().iter().find(|e| e["id"] == id).unwrap().clone();
    let reviewed = entry("roles/reviewed-role");
    assert_eq!(
        (&reviewed["reviewed"], &reviewed["review_due"]),
        (&"2023-03-01".into(), &"2025-03-01".into())
    );
    let never = entry("roles/priority-setter");
    assert_eq!((&never["reviewed"], &never["review_due"]), (&serde_json::Value::Null, &"2026-01-10".into()));

    let rows = csv_rows(&public.join("catalog.csv"));
    let row = rows.iter().find(|row| row["id"] == "roles/reviewed-role").unwrap();
    assert_eq!((row["reviewed"].as_str(), row["review_due"].as_str()), ("2023-03-01", "2025-03-01"));
    let row = rows.iter().find(|row| row["id"] == "roles/priority-setter").unwrap();
    assert_eq!((row["reviewed"].as_str(), row["review_due"].as_str()), ("", "2026-01-10"));

    // Without a policy, nothing is due: the review date is still published.
    let plain = catalog("base", &[&fixtures().join("review")]);
    assert_eq!(copcat(&["build", "--quiet"], plain.path()).code, 0);
    let rows = csv_rows(&plain.path().join("public/catalog.csv"));
    let row = rows.iter().find(|row| row["id"] == "roles/reviewed-role").unwrap();
    assert_eq!((row["reviewed"].as_str(), row["review_due"].as_str()), ("2023-03-01", ""));
}

fn csv_rows(path: &Path) -> Vec<std::collections::HashMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    reader
        .records()
        .map(|record| header.iter().cloned().zip(record.unwrap().iter().map(str::to_string)).collect())
        .collect()
}
