//! `copcat build --pdf`: the browser is found before anything is built (and a build without
//! `--pdf` never looks for one), the PDF is printed from the finished site and published with
//! it, atomically, and a browser that fails publishes nothing. A stand-in browser (a shell
//! script) checks the plumbing everywhere; the real Chromium prints the fixture where it is
//! installed (and must be under `CI=true`).
#![cfg(unix)]

mod common;

use common::{catalog, read_tree};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// `copcat build` in `dir` with `args`, `PATH` set to `path` and `COPCAT_CHROME` to `chrome`.
fn build(dir: &Path, args: &[&str], path: &Path, chrome: Option<&Path>) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_copcat"));
    command.arg("build").args(args).current_dir(dir).env("PATH", path).env_remove("COPCAT_CHROME");
    if let Some(chrome) = chrome {
        command.env("COPCAT_CHROME", chrome);
    }
    let output = command.output().unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// A program at `path` running `script` under /bin/sh.
fn program(path: &Path, script: &str) -> PathBuf {
    std::fs::write(path, format!("#!/bin/sh\n{script}")).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path.to_path_buf()
}

/// A stand-in browser: checks that the page it is given is on disk, then writes a small PDF
/// naming it where `--print-to-pdf=` says.
const STAND_IN: &str = r#"for argument in "$@"; do
  case "$argument" in
    --print-to-pdf=*) pdf="${argument#--print-to-pdf=}" ;;
    file://*) page="${argument#file://}" ;;
  esac
done
test -f "$page" || { echo "no page at $page" >&2; exit 5; }
grep -q 'print-toc' "$page" || { echo "the page is not the print edition" >&2; exit 6; }
printf '%%PDF-1.4 printed %s\n' "$page" > "$pdf"
"#;

/// The site's files but `catalog.pdf`.
fn site_without_pdf(output: &Path) -> Vec<(String, Vec<u8>)> {
    read_tree(output).into_iter().filter(|(path, _)| path != "catalog.pdf").collect()
}

/// The names beside the output: no staging or old folder may be left.

#[test]
fn a_build_without_pdf_needs_no_browser() {
    let dir = catalog("base", &[]);
    let empty = tempfile::tempdir().unwrap();
    let run = build(dir.path(), &[], empty.path(), None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!dir.path().join("public/catalog.pdf").exists());
}

#[test]
fn without_a_browser_pdf_says_how_to_install_one_and_exits_2() {
    let dir = catalog("base", &[]);
    let empty = tempfile::tempdir().unwrap();
    let run = build(dir.path(), &["--pdf"], empty.path(), None);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    for words in [
        "chromium, chromium-browser, google-chrome, google-chrome-stable",
        "apt-get install chromium",
        "COPCAT_CHROME",
    ] {
        assert!(run.stderr.contains(words), "{words:?} in {}", run.stderr);
    }
    assert!(!dir.path().join("public").exists(), "nothing is built without the browser");
    let run = build(dir.path(), &["--pdf"], empty.path(), Some(&empty.path().join("no-such-browser")));
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("COPCAT_CHROME is set to") && run.stderr.contains("no-such-browser"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_pdf_is_printed_from_the_finished_site_and_published_with_it() {
    let dir = catalog("base", &[]);
    let tools = tempfile::tempdir().unwrap();
    // Found on PATH by its name, before any other browser (the script needs /bin's tools).
    program(&tools.path().join("chromium"), STAND_IN);
    let path = PathBuf::from(
        std::env::join_paths([tools.path(), Path::new("/usr/bin"), Path::new("/bin")]).unwrap(),
    );
    let plain = build(dir.path(), &[], &path, None);
    assert_eq!(plain.code, 0, "{}", plain.stderr);
    let without = read_tree(&dir.path().join("public"));
    let run = build(dir.path(), &["--pdf"], &path, None);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("printed catalog.pdf with"), "{}", run.stdout);
    let output = dir.path().join("public");
    let pdf = std::fs::read_to_string(output.join("catalog.pdf")).unwrap();
    // Printed from the staged site, before it was published.
    assert!(pdf.starts_with("%PDF-1.4 printed ") && pdf.contains(".public.staging-"), "{pdf}");
    assert!(pdf.trim_end().ends_with("/print/index.html"), "{pdf}");
    // The rest of the site is the same, byte for byte, as without --pdf.
    assert_eq!(site_without_pdf(&output), without);
    assert_eq!(common::beside_public(dir.path()), [".public.lock", ".public.pages"]);
}

#[test]
fn a_browser_that_fails_publishes_nothing() {
    let dir = catalog("base", &[]);
    let tools = tempfile::tempdir().unwrap();
    let failing = program(&tools.path().join("broken-chrome"), "echo 'cannot open display' >&2\nexit 3\n");
    assert_eq!(build(dir.path(), &[], tools.path(), None).code, 0);
    let before = read_tree(&dir.path().join("public"));
    let run = build(dir.path(), &["--pdf"], tools.path(), Some(&failing));
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("could not print print/index.html"), "{}", run.stderr);
    assert!(run.stderr.contains("cannot open display"), "what the browser said is shown: {}", run.stderr);
    assert_eq!(read_tree(&dir.path().join("public")), before, "the previous site is left as it was");
    assert_eq!(common::beside_public(dir.path()), [".public.lock", ".public.pages"]);
}

/// Chromium or Chrome as `--pdf` finds it, or the reason the test cannot run: it fails
/// under `CI=true` and is skipped (saying so) otherwise.
fn real_browser() -> Option<PathBuf> {
    let (named, path) = (std::env::var_os("COPCAT_CHROME"), std::env::var_os("PATH"));
    match copcat::pdf::find(named.as_deref(), path.as_deref()) {
        Ok(browser) => Some(browser.program),
        Err(error) if std::env::var("CI").is_ok_and(|value| value == "true") => {
            panic!("--pdf cannot be tested under CI=true: {error}")
        }
        Err(_) => {
            common::skipped("the --pdf test needs Chromium or Chrome (apt-get install chromium)");
            None
        }
    }
}

#[test]
fn chromium_prints_the_print_edition_to_catalog_pdf() {
    let Some(browser) = real_browser() else { return };
    let dir = catalog("base", &[]);
    let path = std::env::var_os("PATH").unwrap_or_default();
    let run = build(dir.path(), &["--pdf"], Path::new(&path), Some(&browser));
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let output = dir.path().join("public");
    let pdf = std::fs::read(output.join("catalog.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(pdf.windows(b"/Outlines".len()).any(|window| window == b"/Outlines"), "the PDF has an outline");
    let first = site_without_pdf(&output);
    let run = build(dir.path(), &["--pdf"], Path::new(&path), Some(&browser));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(site_without_pdf(&output), first, "but for the PDF, --pdf builds are byte-identical");

    let text = Command::new("pdftotext").arg(output.join("catalog.pdf")).arg("-").output();
    let Ok(text) =
        text.map(|out| String::from_utf8_lossy(&out.stdout).split_whitespace().collect::<Vec<_>>().join(" "))
    else {
        assert!(
            !std::env::var("CI").is_ok_and(|value| value == "true"),
            "pdftotext is missing under CI=true"
        );
        common::skipped("reading the PDF needs pdftotext (apt-get install poppler-utils)");
        return;
    };
    for title in [
        "Knowledge broker",
        "Fund a facilitator",
        "Priority setter",
        "Escaping <script>alert(\"t\")</script> & 'quotes'",
    ] {
        assert!(text.contains(title), "the PDF lacks {title:?}: {text}");
    }
    for chrome in ["Skip to main content", "Download as CSV", "Secret draft plan"] {
        assert!(!text.contains(chrome), "the PDF shows {chrome:?}");
    }
}
