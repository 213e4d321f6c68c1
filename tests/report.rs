//! `copcat report` on tests/fixtures/report: two roles and two pieces of guidance published
//! (and a draft, counted nowhere); `roles/lonely` cites no source and nothing relates to or
//! links to it; `guidance/evaluate` has no related entries but the broker's body links to it.

mod common;

use common::{catalog, copcat};

#[test]
fn report_counts_stages_terms_unsourced_orphans_and_reviews_as_json() {
    let dir = catalog("report", &[]);
    let run = copcat(&["report", "--format", "json", "--today", "2025-06-01"], dir.path());
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let expected = serde_json::json!({
        "stages": [
            { "id": "identify", "kinds": { "role": 1, "guidance": 1 } },
            { "id": "generate", "kinds": { "role": 2, "guidance": 1 } },
            { "id": "implement", "kinds": { "role": 0, "guidance": 0 } },
        ],
        "terms": { "audience": { "executive": 2, "lead": 3, "patient": 0 } },
        "unsourced": ["roles/lonely"],
        "orphans": ["roles/lonely"],
        "due_for_review": ["roles/broker"],
        "untranslated": {},
    });
    assert_eq!(report, expected, "{}", run.stdout);
    // Keys keep catalog.toml's order (stages, kinds, terms), not the alphabet's.
    assert!(run.stdout.find("\"role\"").unwrap() < run.stdout.find("\"guidance\"").unwrap());
    assert!(run.stdout.find("\"lead\"").unwrap() < run.stdout.find("\"patient\"").unwrap());

    let later = copcat(&["report", "--format", "json", "--today", "2026-03-01"], dir.path());
    let later: serde_json::Value = serde_json::from_str(&later.stdout).unwrap();
    assert_eq!(
        later["due_for_review"],
        serde_json::json!(["guidance/evaluate", "guidance/fund", "roles/broker"])
    );
}

#[test]
fn report_prints_readable_tables() {
    let dir = catalog("report", &[]);
    let run = copcat(&["report", "--today", "2025-06-01"], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let expected = "\
Published entries per stage (4 in all)

Stage                Roles  Guidance  Total
-------------------  -----  --------  -----
Identify priorities      1         1      2
Generate knowledge       2         1      3
Implement change         0         0      0

Audience terms

Audience          Entries
----------------  -------
Executives              2
CoP leads               3
Patient partners        0

Entries without sources: 1
  roles/lonely

Orphans (no related entries, and no entry links to them): 1
  roles/lonely

Due for review on 2025-06-01 (reviewed every 12 months): 1
  roles/broker (due since 2025-06-01)
";
    assert_eq!(run.stdout, expected);
}

#[test]
fn report_on_a_broken_catalog_shows_its_errors_instead() {
    let dir = catalog("report", &[]);
    let broker = dir.path().join("content/roles/broker.md");
    let text = std::fs::read_to_string(&broker).unwrap().replace("\"generate\"]", "\"generat\"]");
    std::fs::write(&broker, text).unwrap();
    let run = copcat(&["report", "--format", "json"], dir.path());
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("error: unknown stage \"generat\""), "{}", run.stderr);
}

#[test]
fn report_lists_entries_not_translated_per_language() {
    let dir = catalog("bilingual", &[]);
    let run = copcat(&["report", "--format", "json"], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["untranslated"], serde_json::json!({ "fr": ["practices/falls-audit"] }));
    let human = copcat(&["report"], dir.path());
    assert!(
        human.stdout.contains("Not translated into \"fr\" yet: 1\n  practices/falls-audit\n"),
        "{}",
        human.stdout
    );
    // Translated, it leaves the list.
    std::fs::write(
        dir.path().join("content/practices/falls-audit.fr.md"),
        "+++\ntitle = \"Audit des chutes\"\nsummary = \"Un examen mensuel.\"\n+++\n\nChaque mois.\n",
    )
    .unwrap();
    let run = copcat(&["report", "--format", "json"], dir.path());
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["untranslated"], serde_json::json!({ "fr": [] }));
}
