//! The integration harness: copy a fixture catalog to a temporary folder and run the real
//! binary on it (in the style of mdBook's test harness).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Copies `from` into `to`, recursively, overwriting files of the same name.
pub fn copy_tree(from: &Path, to: &Path) {
    for item in walkdir::WalkDir::new(from) {
        let item = item.unwrap();
        let target = to.join(item.path().strip_prefix(from).unwrap());
        if item.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(item.path(), &target).unwrap();
        }
    }
}

/// A temporary copy of the fixture `base`, with the files of each of `layers` copied over it.
pub fn catalog(base: &str, layers: &[&Path]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixtures().join(base), dir.path());
    for layer in layers {
        copy_tree(layer, dir.path());
    }
    let _ = std::fs::remove_file(dir.path().join("expected.txt"));
    dir
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn copcat(args: &[&str], dir: &Path) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_copcat")).args(args).current_dir(dir).output().unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Every file under `dir`, as (path relative to `dir` with `/`, bytes), sorted.
/// The names beside the output `public/` in `dir` (`.public.lock`, and what builds left),
/// once the previous sites the builds put aside have been removed by the processes they
/// started for it (waiting up to a minute for them).
pub fn beside_public(dir: &Path) -> Vec<String> {
    let beside = || -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|item| item.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.starts_with(".public."))
            .collect();
        names.sort();
        names
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while beside().iter().any(|name| name.contains(".removing-")) && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    beside()
}

pub fn read_tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|item| item.file_type().is_file())
        .map(|item| {
            let relative = item.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
            (relative, std::fs::read(item.path()).unwrap())
        })
        .collect();
    files.sort();
    files
}

/// Starts `copcat serve` on a free port for the catalog at `root` (with `extra` arguments);
/// returns the process and its port. Its output is read on a thread of its own, so the
/// server never blocks on a full pipe.
pub fn spawn_serve(root: &Path, extra: &[&str]) -> (std::process::Child, u16) {
    use std::io::{BufRead, BufReader};
    let mut child = Command::new(env!("CARGO_BIN_EXE_copcat"))
        .args(["serve", "--port", "0", "--root"])
        .arg(root)
        .args(extra)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let port = loop {
        let line = lines.next().expect("serve stopped before serving").unwrap();
        if let Some(rest) = line.split(" at http://127.0.0.1:").nth(1) {
            break rest.split('/').next().unwrap().parse().unwrap();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    (child, port)
}

/// Says that a test could not run and why, where `cargo test` shows it: on the process's
/// own standard error, which the test harness does not capture as it does `println!` (a
/// captured "skipped" would be lost behind the test's "ok").
pub fn skipped(why: &str) {
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr().lock(),
        "SKIPPED {}: {why}",
        std::thread::current().name().unwrap_or("a test")
    );
}
