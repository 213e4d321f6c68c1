//! Browser tests: builds the shipped catalog (and `tests/fixtures/browser/` when it exists)
//! `tests/fixtures/hostile/` and `tests/fixtures/french/` with the real binary, then runs `tests/browser/run.mjs` in headless Chromium, which
//! checks console errors, axe-core WCAG 2.1 AA (and best practices), keyboard access,
//! sub-path and file:// hosting, search, phone layouts, layout shift, pages without
//! JavaScript, Lighthouse's mobile scores of four pages, and printing (the PDFs Chromium
//! prints are read with `pdftotext`). Before that, the W3C Nu checker (`vnu.jar`, run by
//! Java) validates every HTML page of every site it built.
//!
//! Needs Debian's `chromium` (or `$CHROMIUM`) and `default-jre-headless`, and
//! `npm ci --prefix tests/browser`. Without
//! them the test says it was skipped, except under `CI=true`, where it fails.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

const SKIP_MESSAGE: &str =
    "browser tests need Debian's chromium and default-jre-headless, and `npm ci --prefix tests/browser`";

fn chromium() -> PathBuf {
    std::env::var_os("CHROMIUM")
        .filter(|path| !path.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

fn build(root: &Path, output: &Path) {
    let result = Command::new(env!("CARGO_BIN_EXE_copcat"))
        .arg("build")
        .arg("--root")
        .arg(root)
        .arg("--output")
        .arg(output)
        .output()
        .expect("run copcat");
    assert!(
        result.status.success(),
        "copcat build --root {} failed:\n{}{}",
        root.display(),
        String::from_utf8_lossy(&result.stdout),
        String::from_utf8_lossy(&result.stderr)
    );
}

#[test]
fn pages_work_in_a_real_browser() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let harness = repo.join("tests/browser");
    let chromium = chromium();
    let mut missing = Vec::new();
    if !chromium.is_file() {
        missing.push(format!("{} (Debian's chromium; or set $CHROMIUM)", chromium.display()));
    }
    for package in ["playwright-core", "axe-core", "lighthouse", "vnu-jar"] {
        if !harness.join("node_modules").join(package).is_dir() {
            missing.push(format!("tests/browser/node_modules/{package} (npm ci --prefix tests/browser)"));
        }
    }
    let node_works = Command::new("node").arg("--version").output().is_ok_and(|out| out.status.success());
    if !node_works {
        missing.push("node (Node.js 18 or newer)".to_string());
    }
    let java_works = Command::new("java").arg("-version").output().is_ok_and(|out| out.status.success());
    if !java_works {
        missing.push("java (Debian's default-jre-headless, for the W3C Nu checker)".to_string());
    }
    if !missing.is_empty() {
        if std::env::var("CI").is_ok_and(|value| value == "true") {
            panic!("browser tests cannot run under CI=true; missing: {}", missing.join(", "));
        }
        common::skipped(&format!("{SKIP_MESSAGE} (missing: {})", missing.join(", ")));
        return;
    }

    let temp = tempfile::tempdir().expect("temporary folder");
    let site = temp.path().join("site");
    build(repo, &site);
    let fixture_root = repo.join("tests/fixtures/browser");
    let fixture = fixture_root.join("catalog.toml").is_file().then(|| {
        let output = temp.path().join("fixture");
        build(&fixture_root, &output);
        output
    });

    // A small French catalog (`language = "fr"`), for French stemming and synonyms.
    let french_search = temp.path().join("french-search");
    build(&repo.join("tests/fixtures/browser-fr"), &french_search);

    // Every field of this catalog carries a script; it builds (with warnings) and
    // specs/hostile.mjs checks that none of them runs.
    let hostile = temp.path().join("hostile");
    build(&repo.join("tests/fixtures/hostile"), &hostile);
    // A catalog in French: specs/french.mjs checks the search client speaks French.
    let french = temp.path().join("french");
    build(&repo.join("tests/fixtures/french"), &french);
    // In English and French, one entry not translated yet: specs/bilingual.mjs.
    let bilingual = temp.path().join("bilingual");
    build(&repo.join("tests/fixtures/bilingual"), &bilingual);

    // Every page of every site is valid HTML, by the W3C Nu checker (errors only: its
    // warnings are advice, such as "consider adding a lang attribute" to a fragment).
    let vnu = harness.join("node_modules/vnu-jar/build/dist/vnu.jar");
    let mut validate = Command::new("java");
    validate.arg("-jar").arg(&vnu).args(["--errors-only", "--skip-non-html", "--format", "gnu"]);
    validate.args([&site, &french_search, &hostile, &french, &bilingual]).args(&fixture);
    let checked = validate.output().expect("run java -jar vnu.jar");
    assert!(
        checked.status.success(),
        "the W3C Nu checker finds invalid HTML:\n{}{}",
        String::from_utf8_lossy(&checked.stdout),
        String::from_utf8_lossy(&checked.stderr)
    );

    let mut command = Command::new("node");
    command.arg(harness.join("run.mjs")).arg("--site").arg(&site).arg("--hostile").arg(&hostile);
    command.arg("--french-search").arg(&french_search);
    if let Some(fixture) = &fixture {
        command.arg("--fixture").arg(fixture);
    }
    command.arg("--french").arg(&french).arg("--bilingual").arg(&bilingual);
    command.env("CHROMIUM", &chromium).current_dir(repo);
    let result = command.output().expect("run node tests/browser/run.mjs");
    let stdout = String::from_utf8_lossy(&result.stdout);
    let stderr = String::from_utf8_lossy(&result.stderr);
    println!("{stdout}");
    eprintln!("{stderr}");
    assert!(result.status.success(), "browser tests failed ({}); their output is above", result.status);
}
