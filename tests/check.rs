//! `copcat check` on broken catalogs: each fixture under tests/fixtures/invalid/<case>/
//! is layered over tests/fixtures/base/ and must print exactly its expected.txt.

mod common;

use common::{catalog, copcat, fixtures};

#[test]
fn the_base_fixture_is_valid() {
    let dir = catalog("base", &[]);
    let run = copcat(&["check"], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    assert!(run.stdout.starts_with("ok: 4 entries and 1 page checked"), "{}", run.stdout);
}

#[test]
fn every_invalid_fixture_reports_its_exact_diagnostics() {
    let mut cases: Vec<_> =
        std::fs::read_dir(fixtures().join("invalid")).unwrap().map(|e| e.unwrap().path()).collect();
    cases.sort();
    assert!(cases.len() >= 20, "expected one fixture per kind of mistake");
    let mut failures = Vec::new();
    for case in &cases {
        let expected = std::fs::read_to_string(case.join("expected.txt")).unwrap();
        let dir = catalog("base", &[case]);
        let run = copcat(&["check"], dir.path());
        let actual = format!("exit: {}\n{}", run.code, run.stderr);
        if actual.trim_end() != expected.trim_end() {
            failures.push(format!(
                "== {}\n-- expected\n{}\n-- actual\n{}",
                case.file_name().unwrap().to_string_lossy(),
                expected.trim_end(),
                actual.trim_end()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn json_output_parses_and_matches_the_human_output() {
    let case = fixtures().join("invalid/several-mistakes");
    let dir = catalog("base", &[&case]);
    let run = copcat(&["check", "--format", "json"], dir.path());
    assert_eq!(run.code, 1);
    let diagnostics: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    let list = diagnostics.as_array().unwrap();
    assert_eq!(list.len(), 4);
    let first = &list[0];
    assert_eq!(first["file"], "content/guidance/fund-a-facilitator.toml");
    assert_eq!(first["line"], 4);
    assert_eq!(first["column"], 38);
    assert_eq!(first["severity"], "error");
    assert_eq!(first["message"], "related entry \"roles/nobody\" does not exist");
    assert!(first["help"].is_string());
    let files: std::collections::BTreeSet<&str> = list.iter().map(|d| d["file"].as_str().unwrap()).collect();
    assert_eq!(files.len(), 2, "mistakes in several files are all reported");
}

#[test]
fn new_then_check_round_trips_and_never_overwrites() {
    let dir = catalog("base", &[]);
    let run = copcat(&["new", "role", "Équipe de liaison"], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let path = dir.path().join("content/roles/equipe-de-liaison.md");
    let written = std::fs::read_to_string(&path).unwrap();
    assert!(written.contains("title = \"Équipe de liaison\""));
    assert!(
        written
            .contains("# stages (at least one): identify-priorities, generate-knowledge, share-coordinate")
    );
    assert!(written.contains("# audience terms: executive, cop-lead"));
    let check = copcat(&["check"], dir.path());
    assert_eq!(check.code, 0, "{}", check.stderr);

    std::fs::write(&path, "edited by hand").unwrap();
    let again = copcat(&["new", "roles", "Équipe de liaison"], dir.path());
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "edited by hand");

    let toml_twin = copcat(&["new", "guidance", "Fund a facilitator"], dir.path());
    assert_eq!(toml_twin.code, 2, "a .toml entry of the same slug counts as existing");

    let unknown = copcat(&["new", "rol", "X"], dir.path());
    assert_eq!(unknown.code, 2);
    assert!(unknown.stderr.contains("did you mean \"role\"?"), "{}", unknown.stderr);
}

/// A title with no letters a-z or digits (Chinese, say) gets its file name from `--slug`,
/// which is checked; a very long one gets a file name cut between words.
#[test]
fn new_takes_a_slug_when_the_title_cannot_make_one() {
    let dir = catalog("base", &[]);
    let refused = copcat(&["new", "role", "知识经纪人"], dir.path());
    assert_eq!(refused.code, 2);
    assert!(refused.stderr.contains("--slug"), "{}", refused.stderr);

    let run = copcat(&["new", "role", "知识经纪人", "--slug", "zhishi-jingjiren"], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let written = std::fs::read_to_string(dir.path().join("content/roles/zhishi-jingjiren.md")).unwrap();
    assert!(written.contains("title = \"知识经纪人\""), "{written}");
    let bad = copcat(&["new", "role", "X", "--slug", "Knowledge Broker"], dir.path());
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("e.g. --slug knowledge-broker"), "{}", bad.stderr);

    let title = "Coordinating knowledge across a learning health system ".repeat(8);
    let run = copcat(&["new", "guidance", title.trim()], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("content/guidance/coordinating-knowledge-across-a-learning-health-system.md"),
        "{}",
        run.stdout
    );
    let check = copcat(&["check"], dir.path());
    assert_eq!(check.code, 0, "{}", check.stderr);
}

#[test]
fn init_writes_a_catalog_that_builds_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let run = copcat(&["init", "site"], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let built = copcat(&["build", "--root", "site"], dir.path());
    assert_eq!(built.code, 0, "{}", built.stderr);
    assert!(dir.path().join("site/public/roles/knowledge-broker/index.html").is_file());
    let again = copcat(&["init", "site"], dir.path());
    assert_eq!(again.code, 2);
}

#[test]
fn a_new_catalog_keeps_what_builds_write_out_of_version_control() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(copcat(&["init", "site"], dir.path()).code, 0);
    let site = dir.path().join("site");
    // What a build leaves beside its output, at one moment or another.
    for name in
        [".public.lock", ".public.pages", ".public.staging-12", ".public.old-12", ".public.removing-12"]
    {
        std::fs::create_dir_all(site.join(name).join("roles")).unwrap();
        std::fs::write(site.join(name).join("roles/index.html"), "x").unwrap();
    }
    std::fs::create_dir_all(site.join("public")).unwrap();
    std::fs::write(site.join("public/index.html"), "x").unwrap();
    let git = |args: &[&str]| {
        let output = std::process::Command::new("git").args(args).current_dir(&site).output();
        let output = output.expect("git runs (the tests need it, as CI's checkout does)");
        assert!(output.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    git(&["init", "--quiet"]);
    let untracked = git(&["status", "--porcelain", "--untracked-files=all"]);
    assert!(untracked.contains("catalog.toml"), "{untracked}");
    assert!(!untracked.contains("public"), "builds' folders would be committed:\n{untracked}");
}

#[test]
fn usage_and_io_problems_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(copcat(&["check"], dir.path()).code, 2, "no catalog.toml");
    assert_eq!(copcat(&["build", "--no-such-flag"], dir.path()).code, 2);
    assert_eq!(copcat(&["check", "--format", "xml"], dir.path()).code, 2);
    assert_eq!(copcat(&["--help"], dir.path()).code, 0);
}
