//! How fast `copcat serve` shows an edit: the time from saving one entry of a large catalog
//! to the server answering with the updated page, measured through the real binary
//! (watcher, debounce, rebuild, HTTP). Also the rebuild alone, through the library.
//!
//! ```sh
//! cargo bench --bench incremental                       # 10,000 entries, 21 edits of each kind
//! COPCAT_BENCH_N=1000 COPCAT_BENCH_EDITS=11 cargo bench --bench incremental
//! COPCAT_BENCH_CATALOG=/path/to/catalog cargo bench --bench incremental
//! ```
//!
//! Each server edit waits COPCAT_BENCH_SETTLE_MS (1500) after the previous one.
//!
//! The catalog is made by `../shared/bench/gen_catalog.py` (python3) unless
//! COPCAT_BENCH_CATALOG names one. Edits are made to a copy.

use copcat::serve::{Change, Workspace};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|value| value.parse().ok()).unwrap_or(default)
}

fn main() {
    if std::env::args().any(|arg| arg == "--list") {
        return; // `cargo test --benches` asks for the list of benchmarks: there are none to list.
    }
    let entries = env_number("COPCAT_BENCH_N", 10_000);
    let edits = env_number("COPCAT_BENCH_EDITS", 21);
    let work = tempfile::tempdir().expect("a temporary folder");
    let root = work.path().join("catalog");
    match std::env::var_os("COPCAT_BENCH_CATALOG") {
        Some(catalog) => copy_tree(Path::new(&catalog), &root),
        None => generate(entries, &root),
    }
    let entry = first_entry(&root);
    let relative = entry.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
    let url = format!("/{}/", relative.trim_start_matches("content/").trim_end_matches(".md"));
    println!("catalog: {} ({} entry files); editing {relative}", root.display(), count_entries(&root));

    library(&root, &entry, &relative, edits);
    end_to_end(&root, &entry, &url, edits);
}

/// The rebuild alone: from `Workspace::rebuild` to the edited page handed to the server.
fn library(root: &Path, entry: &Path, relative: &str, edits: usize) {
    let mut workspace = Workspace::new(root, false, Some("http://127.0.0.1:1111/".to_string()));
    let started = Instant::now();
    let outcome = workspace.rebuild(&[], &mut |_| {}).expect("the first build");
    assert!(outcome.ok, "the catalog has errors: {:?}", outcome.diagnostics.first());
    println!("first build: {} pages in {:.0} ms", outcome.pages, ms(started.elapsed()));
    let original = std::fs::read_to_string(entry).unwrap();
    for (kind, edit) in edit_kinds() {
        let mut page_ready = Vec::new();
        let mut done = Vec::new();
        let mut search = Vec::new();
        let mut pages = 0;
        for n in 0..edits {
            std::fs::write(entry, edit(&original, n)).unwrap();
            let started = Instant::now();
            let mut ready = None;
            let outcome = workspace
                .rebuild(&[Change::Content(relative.to_string())], &mut |_| {
                    ready.get_or_insert_with(|| started.elapsed());
                })
                .unwrap();
            done.push(started.elapsed());
            page_ready.push(ready.unwrap_or_else(|| started.elapsed()));
            let finishing = Instant::now();
            workspace.finish(&mut |_| {});
            search.push(finishing.elapsed());
            pages = outcome.pages;
            assert!(outcome.ok && !outcome.full, "the edit was not incremental");
        }
        println!(
            "library, {kind}: edited page ready in {}; all pages ({pages}) {}; search index then {}",
            summary(&mut page_ready),
            summary(&mut done),
            summary(&mut search)
        );
    }
    std::fs::write(entry, original).unwrap();
}

/// Through the real server: save the file, poll the page until it shows the edit.
fn end_to_end(root: &Path, entry: &Path, url: &str, edits: usize) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_copcat"))
        .args(["serve", "--port", "0", "--root"])
        .arg(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("copcat serve");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let port: u16 = loop {
        let line = lines.next().expect("serve stopped").unwrap();
        if let Some(rest) = line.split(" at http://127.0.0.1:").nth(1) {
            break rest.split('/').next().unwrap().parse().unwrap();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    let original = std::fs::read_to_string(entry).unwrap();
    for (kind, edit) in edit_kinds() {
        let mut served = Vec::new();
        for n in 0..edits {
            let text = edit(&original, n);
            let marker = marker(n);
            // Let the previous rebuild finish (a title edit's takes most of a second at
            // 10,000 entries), so that each measurement starts from rest.
            std::thread::sleep(Duration::from_millis(env_number("COPCAT_BENCH_SETTLE_MS", 1500) as u64));
            let started = Instant::now();
            std::fs::write(entry, &text).unwrap();
            loop {
                if get(port, url).contains(&marker) {
                    break;
                }
                assert!(started.elapsed() < Duration::from_secs(60), "the edit never showed");
                std::thread::sleep(Duration::from_millis(2));
            }
            served.push(started.elapsed());
        }
        println!("server, {kind}: save to updated page served {}", summary(&mut served));
    }
    std::fs::write(entry, original).unwrap();
    let _ = child.kill();
    let _ = child.wait();
}

type Edit = fn(&str, usize) -> String;

fn marker(n: usize) -> String {
    format!("benchmark-edit-{n}-{}", std::process::id())
}

/// A body edit (only the page changes) and a title edit (every list showing it changes).
fn edit_kinds() -> [(&'static str, Edit); 2] {
    [
        ("body edit", |original, n| format!("{}\n\nEdited: {}.\n", original.trim_end(), marker(n))),
        ("title edit", |original, n| {
            original.replacen("title = \"", &format!("title = \"{} ", marker(n)), 1)
        }),
    ]
}

fn get(port: u16, path: &str) -> String {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return String::new();
    };
    let request = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return String::new();
    }
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    response
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn summary(times: &mut [Duration]) -> String {
    times.sort();
    let median = times[times.len() / 2];
    format!(
        "median {:.1} ms (min {:.1}, max {:.1}, n = {})",
        ms(median),
        ms(times[0]),
        ms(times[times.len() - 1]),
        times.len()
    )
}

fn generate(entries: usize, out: &Path) {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let script =
        [manifest.join("../shared/bench/gen_catalog.py"), PathBuf::from("/work/shared/bench/gen_catalog.py")]
            .into_iter()
            .find(|path| path.is_file())
            .expect("../shared/bench/gen_catalog.py (or set COPCAT_BENCH_CATALOG)");
    let status = Command::new("python3")
        .arg(script)
        .args(["--n", &entries.to_string(), "--format", "copcat", "--out"])
        .arg(out)
        .stdout(Stdio::null())
        .status()
        .expect("python3");
    assert!(status.success(), "gen_catalog.py failed");
}

fn first_entry(root: &Path) -> PathBuf {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(root.join("content/roles"))
        .into_iter()
        .filter_map(Result::ok)
        .map(|item| item.into_path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "md"))
        .collect();
    files.sort();
    let middle = files.len() / 2;
    files.into_iter().nth(middle).expect("an entry under content/roles/")
}

fn count_entries(root: &Path) -> usize {
    walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|item| item.file_type().is_file())
        .count()
}

fn copy_tree(from: &Path, to: &Path) {
    for item in walkdir::WalkDir::new(from).into_iter().filter_map(Result::ok) {
        let target = to.join(item.path().strip_prefix(from).unwrap());
        if item.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(item.path(), &target).unwrap();
        }
    }
}
