//! `copcat serve`: incremental rebuilds equal full builds, file for file; the server's
//! safety, content types, caching and reload events; surviving rapid edits.

mod common;

use copcat::diagnostic::Diagnostic;
use copcat::output::MemorySink;
use copcat::serve::site::Site;
use copcat::serve::{Change, Outcome, Workspace};
use copcat::timings::Timings;
use copcat::toml_fields::Date;
use copcat::{BuildOptions, Destination, LoadOptions, Silent};
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

const BASE_URL: &str = "http://127.0.0.1:1111/";

/// What a full build makes of the catalog at `root`: its files and diagnostics.
fn full_build(root: &Path) -> (BTreeMap<String, Vec<u8>>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let timings = Timings::off();
    let load = LoadOptions { drafts: false, base_url: Some(BASE_URL) };
    // The base fixture has no review policy, so the day does not matter.
    let today = Date { year: 2025, month: 1, day: 1 };
    let options = BuildOptions {
        load,
        strict: false,
        today,
        previous: None,
        search: true,
        timings: &timings,
        progress: &Silent,
        pdf: None,
    };
    let sink = MemorySink::default();
    copcat::build(root, Destination::Sink(&sink), &options, &mut diagnostics).unwrap();
    copcat::diagnostic::sort(&mut diagnostics);
    (sink.into_files(), diagnostics)
}

/// A catalog with the base fixture plus `extra` generated entries that share stages and
/// terms in many ways, link to each other, and overflow the list pages.
fn generated_catalog(extra: usize) -> tempfile::TempDir {
    let dir = common::catalog("base", &[]);
    let stages = ["identify-priorities", "generate-knowledge", "share-coordinate"];
    let audiences = ["executive", "cop-lead"];
    for n in 0..extra {
        let stage_a = stages[n % 3];
        let stage_b = stages[(n / 3 + 1 + n % 2) % 3];
        let audience = audiences[(n / 2) % 2];
        let related =
            if n > 2 { format!("related = [\"{}\"]\n", generated_id(n - 3)) } else { String::new() };
        let link = if n > 5 { format!("See [this]({}).\n", generated_link(n - 5)) } else { String::new() };
        let text = format!(
            "+++\ntitle = \"Entry {:03} {}\"\nsummary = \"Summary {n}.\"\nstages = [{}]\n\
             audience = [\"{audience}\"]\n{related}updated = 2024-{:02}-{:02}\nweight = {}\n+++\n\n\
             Body of entry {n}.\n\n## Part one\n\n{link}",
            (n * 37) % 100,
            ["alpha", "Beta", "gamma"][n % 3],
            if stage_a == stage_b {
                format!("\"{stage_a}\"")
            } else {
                format!("\"{stage_a}\", \"{stage_b}\"")
            },
            1 + n % 12,
            1 + n % 28,
            (n % 4) as i64 - 1,
        );
        fs::write(dir.path().join(format!("content/{}.md", generated_id(n))), text).unwrap();
    }
    dir
}

fn generated_id(n: usize) -> String {
    let kind = if n.is_multiple_of(2) { "roles" } else { "guidance" };
    format!("{kind}/generated-{n:03}")
}

fn generated_link(n: usize) -> String {
    format!("@/{}.md#part-one", generated_id(n))
}

/// A workspace on `root` with the site it publishes.
struct Serving {
    workspace: Workspace,
    site: Site,
}

impl Serving {
    fn start(root: &Path) -> (Serving, Outcome) {
        let mut serving = Serving {
            workspace: Workspace::new(root, false, Some(BASE_URL.to_string())),
            site: Site::default(),
        };
        let outcome = serving.rebuild(&[]);
        (serving, outcome)
    }

    fn rebuild(&mut self, changes: &[Change]) -> Outcome {
        let site = &mut self.site;
        let outcome = self.workspace.rebuild(changes, &mut |update| *site = site.apply(update)).unwrap();
        self.workspace.finish(&mut |update| *site = site.apply(update));
        outcome
    }

    /// Rebuilds after `paths` (relative to the root) changed, and checks that the site now
    /// equals a full build's.
    fn edited(&mut self, paths: &[&str]) -> Outcome {
        let root = self.workspace.root().to_path_buf();
        let changes: Vec<Change> =
            paths.iter().filter_map(|path| Change::of(&root, Path::new(path))).collect();
        let outcome = self.rebuild(&changes);
        assert!(outcome.ok, "rebuild failed: {:#?}", outcome.diagnostics);
        self.assert_equals_full_build(&outcome);
        outcome
    }

    fn assert_equals_full_build(&self, outcome: &Outcome) {
        let (expected, diagnostics) = full_build(self.workspace.root());
        let actual = self.site.to_map();
        let missing: Vec<&String> = expected.keys().filter(|path| !actual.contains_key(*path)).collect();
        let extra: Vec<&String> = actual.keys().filter(|path| !expected.contains_key(*path)).collect();
        assert!(missing.is_empty() && extra.is_empty(), "missing {missing:?}, extra {extra:?}");
        for (path, bytes) in &expected {
            assert!(
                actual[path] == *bytes,
                "{path} differs from a full build's:\n--- incremental\n{}\n--- full\n{}",
                String::from_utf8_lossy(&actual[path]),
                String::from_utf8_lossy(bytes)
            );
        }
        assert_eq!(outcome.diagnostics, diagnostics);
    }
}

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn replace(root: &Path, path: &str, from: &str, to: &str) {
    let text = fs::read_to_string(root.join(path)).unwrap();
    assert!(text.contains(from), "{path} does not contain {from:?}");
    fs::write(root.join(path), text.replacen(from, to, 1)).unwrap();
}

const NEW_ENTRY: &str = "+++\ntitle = \"Evaluator\"\nsummary = \"Measures what changed.\"\n\
    stages = [\"generate-knowledge\"]\naudience = [\"executive\"]\nrelated = [\"roles/knowledge-broker\"]\n\
    updated = 2024-06-01\n+++\n\nAn evaluator asks [the broker](@/roles/knowledge-broker.md#why-it-matters).\n";

#[test]
fn scripted_edits_give_the_same_site_as_a_full_build() {
    let dir = generated_catalog(40);
    let root = dir.path();
    let (mut serving, outcome) = Serving::start(root);
    assert!(outcome.ok && outcome.full, "{:#?}", outcome.diagnostics);
    serving.assert_equals_full_build(&outcome);

    // Edits that keep the set of entries: rendered in place, only what they touch.
    replace(root, "content/roles/knowledge-broker.md", "Questions travel", "Questions fly");
    let body_only = serving.edited(&["content/roles/knowledge-broker.md"]);
    assert!(!body_only.full);
    // (and the print documents that print the entry whole: the catalog's, and those of its
    // two stages)
    assert!(body_only.pages <= 2 + 3, "a body edit rendered {} pages", body_only.pages);

    replace(
        root,
        "content/roles/knowledge-broker.md",
        "title = \"Knowledge broker\"",
        "title = \"Broker of knowledge\"",
    );
    assert!(!serving.edited(&["content/roles/knowledge-broker.md"]).full);
    replace(root, "content/roles/generated-010.md", "weight = 1\n", "weight = 7\n");
    serving.edited(&["content/roles/generated-010.md"]);
    replace(root, "content/guidance/generated-011.md", "Entry", "Aardvark entry");
    assert!(!serving.edited(&["content/guidance/generated-011.md"]).full);
    // Renaming a heading breaks a link in another file: reported there.
    replace(root, "content/roles/generated-012.md", "## Part one", "## Part uno");
    let broken = serving.rebuild(&[Change::Content("content/roles/generated-012.md".into())]);
    assert!(!broken.ok);
    assert!(broken.diagnostics.iter().any(|d| d.is_error() && d.file == "content/guidance/generated-017.md"));
    replace(root, "content/roles/generated-012.md", "## Part uno", "## Part one");
    serving.edited(&["content/roles/generated-012.md"]);
    replace(
        root,
        "content/guidance/fund-a-facilitator.toml",
        "related = [\"roles/knowledge-broker\"]",
        "related = []",
    );
    serving.edited(&["content/guidance/fund-a-facilitator.toml"]);
    replace(root, "content/roles/generated-014.md", "stages = [", "stages = [\"share-coordinate\", ");
    serving.edited(&["content/roles/generated-014.md"]);
    replace(root, "content/roles/generated-016.md", "updated = 2024", "updated = 2026");
    serving.edited(&["content/roles/generated-016.md"]);
    replace(root, "content/_index.md", "Start with", "Begin with");
    serving.edited(&["content/_index.md"]);
    replace(root, "content/pages/about.md", "About this fixture", "All about this fixture");
    serving.edited(&["content/pages/about.md"]);
    replace(root, "content/roles/secret-plan.md", "Not ready", "Still not ready");
    serving.edited(&["content/roles/secret-plan.md"]);
    // Two files in one batch.
    replace(root, "content/roles/generated-020.md", "Body of", "The body of");
    replace(root, "content/guidance/generated-021.md", "Summary", "A summary");
    serving.edited(&["content/roles/generated-020.md", "content/guidance/generated-021.md"]);

    // Create, rename, delete.
    write(root, "content/roles/evaluator.md", NEW_ENTRY);
    serving.edited(&["content/roles/evaluator.md"]);
    fs::rename(root.join("content/roles/evaluator.md"), root.join("content/roles/program-evaluator.md"))
        .unwrap();
    serving.edited(&["content/roles/evaluator.md", "content/roles/program-evaluator.md"]);
    fs::remove_file(root.join("content/roles/program-evaluator.md")).unwrap();
    serving.edited(&["content/roles/program-evaluator.md"]);

    // Break: the last good site stays, with the diagnostic; fix: the site catches up.
    let before = serving.site.to_map();
    replace(root, "content/roles/knowledge-broker.md", "\"share-coordinate\"]", "\"share-coordinat\"]");
    let broken = serving.rebuild(&[Change::Content("content/roles/knowledge-broker.md".into())]);
    assert!(!broken.ok);
    let typo = broken.diagnostics.iter().find(|d| d.is_error()).unwrap();
    assert_eq!(typo.file, "content/roles/knowledge-broker.md");
    assert_eq!(typo.line, 4);
    assert!(typo.help.as_deref().unwrap().contains("did you mean \"share-coordinate\""));
    assert!(serving.site.to_map() == before, "a broken edit changed the site");
    // Another edit while broken still leaves the site alone.
    replace(root, "content/roles/generated-022.md", "Body of", "Edited body of");
    assert!(!serving.rebuild(&[Change::Content("content/roles/generated-022.md".into())]).ok);
    assert!(serving.site.to_map() == before);
    replace(root, "content/roles/knowledge-broker.md", "\"share-coordinat\"]", "\"share-coordinate\"]");
    serving.edited(&["content/roles/knowledge-broker.md"]);

    // A file that does not parse at all, then fixed.
    replace(root, "content/roles/generated-024.md", "+++\n\nBody", "\nBody");
    assert!(!serving.rebuild(&[Change::Content("content/roles/generated-024.md".into())]).ok);
    replace(root, "content/roles/generated-024.md", "\nBody", "+++\n\nBody");
    serving.edited(&["content/roles/generated-024.md"]);

    // Publishing and hiding a draft.
    replace(root, "content/roles/secret-plan.md", "draft = true", "draft = false");
    serving.edited(&["content/roles/secret-plan.md"]);
    replace(root, "content/roles/secret-plan.md", "draft = false", "draft = true");
    serving.edited(&["content/roles/secret-plan.md"]);

    // Templates, static files, sources and configuration: everything is rebuilt.
    let entry_template =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/entry.html"))
            .unwrap_or_else(|_| "{{ entry.title }}".to_string());
    write(root, "templates/entry.html", &format!("{entry_template}\n<!-- override -->\n"));
    let template = serving.edited(&["templates/entry.html"]);
    assert!(template.full);
    write(root, "templates/entry.html", "{% if %}");
    assert!(!serving.rebuild(&[Change::Theme]).ok);
    fs::remove_file(root.join("templates/entry.html")).unwrap();
    serving.edited(&["templates/entry.html"]);
    write(root, "static/logo.txt", "logo");
    serving.edited(&["static/logo.txt"]);
    replace(root, "sources.toml", "year = 2009", "year = 2010");
    serving.edited(&["sources.toml"]);
    replace(root, "catalog.toml", "list_page_size = 2", "list_page_size = 3");
    serving.edited(&["catalog.toml"]);
    replace(root, "content/roles/generated-030.md", "Body of", "Finally, the body of");
    assert!(!serving.edited(&["content/roles/generated-030.md"]).full);
}

#[test]
fn serve_after_mv_shows_what_a_full_build_does() {
    let dir = generated_catalog(12);
    let root = dir.path();
    let (mut serving, outcome) = Serving::start(root);
    assert!(outcome.ok, "{:#?}", outcome.diagnostics);
    let mut diagnostics = Vec::new();
    let plan =
        copcat::rename::plan(root, "roles/knowledge-broker", "roles/broker", &mut diagnostics).unwrap();
    copcat::rename::apply(root, &plan).unwrap();
    let mut touched: Vec<&str> =
        plan.files.iter().flat_map(|file| [file.from.as_str(), file.to.as_str()]).collect();
    touched.dedup();
    serving.edited(&touched);
    assert!(
        serving.site.to_map().contains_key("roles/knowledge-broker/index.html"),
        "the old address redirects"
    );

    // Redirect pages show the entry's title: a title edit renders them again.
    replace(root, "content/roles/broker.md", "title = \"Knowledge broker\"", "title = \"Broker\"");
    serving.edited(&["content/roles/broker.md"]);
    replace(
        root,
        "content/roles/broker.md",
        "aliases = [\"roles/knowledge-broker\"",
        "aliases = [\"roles/kb\", \"roles/knowledge-broker\"",
    );
    serving.edited(&["content/roles/broker.md"]);
    replace(root, "content/roles/broker.md", "Questions travel", "Questions fly");
    assert!(!serving.edited(&["content/roles/broker.md"]).full, "a body edit is still rendered in place");
    replace(
        root,
        "content/pages/about.md",
        "title = \"About\"",
        "title = \"About\"\naliases = [\"/about/\"]",
    );
    serving.edited(&["content/pages/about.md"]);
    replace(root, "content/pages/about.md", "title = \"About\"", "title = \"About us\"");
    serving.edited(&["content/pages/about.md"]);
}

#[test]
fn an_edited_strings_table_rebuilds_like_a_full_build() {
    let dir = common::catalog("base", &[]);
    let root = dir.path();
    let (mut serving, outcome) = Serving::start(root);
    assert!(outcome.ok, "{:#?}", outcome.diagnostics);
    write(root, "i18n/en.toml", "home = \"Start\"\n");
    assert!(serving.edited(&["i18n/en.toml"]).full);
    assert!(
        String::from_utf8_lossy(&serving.site.to_map()["roles/knowledge-broker/index.html"])
            .contains(">Start<")
    );
    write(root, "i18n/en.toml", "hom = \"Start\"\n");
    let root_path = root.to_path_buf();
    let outcome = serving.rebuild(&[Change::of(&root_path, &root_path.join("i18n/en.toml")).unwrap()]);
    assert!(!outcome.ok, "an unknown key is an error");
}

#[test]
fn changes_are_classified_by_path() {
    let root = Path::new("/cat");
    let cases = [
        ("/cat/catalog.toml", Some(Change::Config)),
        ("/cat/sources.toml", Some(Change::Sources)),
        ("/cat/templates/entry.html", Some(Change::Theme)),
        ("/cat/themes/default/static/style.css", Some(Change::Theme)),
        ("/cat/static/logo.svg", Some(Change::Theme)),
        ("/cat/i18n/en.toml", Some(Change::Theme)),
        ("/cat/content/roles/a.md", Some(Change::Content("content/roles/a.md".into()))),
        ("/cat/content/roles/.a.md.swp", None),
        ("/cat/content/roles/a.md~", None),
        ("/cat/public/index.html", None),
        ("/cat/README.md", None),
    ];
    for (path, expected) in cases {
        assert_eq!(Change::of(root, Path::new(path)), expected, "{path}");
    }
}

// The server, through the real binary.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::Child;
use std::time::{Duration, Instant};

/// `copcat serve` on a free port, stopped when dropped.
struct Server {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
    root: std::path::PathBuf,
}

impl Server {
    fn start(dir: tempfile::TempDir, extra: &[&str]) -> Server {
        let root = dir.path().to_path_buf();
        let (child, port) = common::spawn_serve(&root, extra);
        Server { child, port, _dir: dir, root }
    }

    fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        stream
    }

    /// Sends `request` as it is (a raw request head) and reads the whole response.
    fn raw(&self, request: &str) -> Response {
        let mut stream = self.connect();
        stream.write_all(request.as_bytes()).unwrap();
        let mut bytes = Vec::new();
        stream.read_to_end(&mut bytes).unwrap();
        Response::parse(&bytes)
    }

    fn request(&self, method: &str, path: &str, headers: &[(&str, &str)]) -> Response {
        let mut request = format!("{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
        for (name, value) in headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        request.push_str("\r\n");
        self.raw(&request)
    }

    fn get(&self, path: &str) -> Response {
        self.request("GET", path, &[])
    }

    /// Waits until `path` answers with a body containing `text`.
    fn wait_for(&self, path: &str, text: &str) -> Duration {
        let started = Instant::now();
        loop {
            if self.get(path).text().contains(text) {
                return started.elapsed();
            }
            assert!(started.elapsed() < Duration::from_secs(30), "{path} never showed {text:?}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn parse(bytes: &[u8]) -> Response {
        let end = bytes.windows(4).position(|window| window == b"\r\n\r\n").expect("no response head");
        let head = String::from_utf8_lossy(&bytes[..end]);
        let mut lines = head.lines();
        let status = lines.next().unwrap().split_whitespace().nth(1).unwrap().parse().unwrap();
        let headers = lines
            .filter_map(|line| line.split_once(':'))
            .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_string()))
            .collect();
        Response { status, headers, body: bytes[end + 4..].to_vec() }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

#[test]
fn paths_outside_the_site_are_not_found() {
    let dir = common::catalog("base", &[]);
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("secret.txt"), "TOP SECRET").unwrap();
    fs::create_dir_all(dir.path().join("static")).unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(outside.path().join("secret.txt"), dir.path().join("static/leak.txt"))
            .unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("static/outside")).unwrap();
    }
    let server = Server::start(dir, &[]);
    assert_eq!(server.get("/").status, 200);
    let targets = [
        "/../catalog.toml",
        "/../../../../etc/passwd",
        "/%2e%2e/catalog.toml",
        "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/roles/..%2f..%2fcatalog.toml",
        "/..%5ccatalog.toml",
        "/etc/passwd",
        "//etc/passwd",
        "/catalog.toml",
        "/content/roles/knowledge-broker.md",
        "/leak.txt",
        "/outside/secret.txt",
        "/a%00b",
        // Absolute-form: the path is taken from it (another host is refused: serve_hostile.rs).
        "http://127.0.0.1/../catalog.toml",
        "http://localhost/%2e%2e/catalog.toml",
    ];
    for target in targets {
        let response =
            server.raw(&format!("GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"));
        assert_eq!(response.status, 404, "{target}");
        assert!(!response.text().contains("TOP SECRET") && !response.text().contains("root:"), "{target}");
    }
}

#[test]
fn files_have_their_content_types_and_caching_works() {
    let server = Server::start(common::catalog("base", &[]), &[]);
    let cases = [
        ("/", "text/html; charset=utf-8"),
        ("/roles/knowledge-broker/", "text/html; charset=utf-8"),
        ("/roles/knowledge-broker/index.html", "text/html; charset=utf-8"),
        ("/catalog.json", "application/json"),
        ("/catalog.csv", "text/csv; charset=utf-8"),
        ("/feed.xml", "application/atom+xml; charset=utf-8"),
        ("/sitemap.xml", "application/xml; charset=utf-8"),
        ("/robots.txt", "text/plain; charset=utf-8"),
        ("/__copcat/reload.js", "text/javascript; charset=utf-8"),
    ];
    for (path, content_type) in cases {
        let response = server.get(path);
        assert_eq!(response.status, 200, "{path}");
        assert_eq!(response.header("content-type"), Some(content_type), "{path}");
        assert_eq!(response.header("x-content-type-options"), Some("nosniff"), "{path}");
        assert_eq!(response.header("content-length").unwrap().parse::<usize>().unwrap(), response.body.len());
    }
    // Only the server adds the reload script, to HTML.
    let page = server.get("/roles/knowledge-broker/").text();
    assert_eq!(page.matches("<script src=\"/__copcat/reload.js\" defer></script>").count(), 1);
    assert!(!server.get("/catalog.json").text().contains("__copcat"));
    assert!(!server.get("/__copcat/reload.js").text().contains("innerHTML"));

    // A folder without its slash is redirected; a missing page is the site's 404 page.
    let redirect = server.get("/roles/knowledge-broker?x=1");
    assert_eq!((redirect.status, redirect.header("location")), (301, Some("/roles/knowledge-broker/?x=1")));
    let missing = server.get("/roles/nobody/");
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains("/__copcat/reload.js"));

    // HEAD: the same headers, no body. If-None-Match: 304 without a body.
    let get = server.get("/style.css");
    let head = server.request("HEAD", "/style.css", &[]);
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(head.header("content-length"), get.header("content-length"));
    let etag = get.header("etag").unwrap().to_string();
    assert_eq!(head.header("etag"), Some(etag.as_str()));
    let cached = server.request("GET", "/style.css", &[("If-None-Match", &etag)]);
    assert_eq!(cached.status, 304);
    assert!(cached.body.is_empty());
    let html_etag = server.get("/").header("etag").unwrap().to_string();
    assert_eq!(server.request("GET", "/", &[("If-None-Match", &html_etag)]).status, 304);
    assert_eq!(server.request("GET", "/", &[("If-None-Match", "\"other\"")]).status, 200);
    assert_eq!(server.request("POST", "/", &[("Content-Length", "0")]).status, 405);
    assert_eq!(server.raw("NONSENSE\r\n\r\n").status, 400);
}

#[test]
fn a_stuck_client_does_not_block_others() {
    let server = Server::start(common::catalog("base", &[]), &[]);
    let mut stuck = server.connect();
    stuck.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\n").unwrap(); // …and never finishes.
    let mut idle = server.connect(); // Never sends anything.
    let started = Instant::now();
    for _ in 0..20 {
        assert_eq!(server.get("/").status, 200);
    }
    assert!(started.elapsed() < Duration::from_secs(5), "requests waited for a stuck client");
    let _ = idle.write_all(b"");
    drop(stuck);
}

/// Reads server-sent events until one named `name` has data that `wanted` accepts (for at
/// most 30 seconds).
fn wait_for_event(
    lines: &mut impl Iterator<Item = std::io::Result<String>>,
    name: &str,
    wanted: impl Fn(&str) -> bool,
) -> String {
    let started = Instant::now();
    let mut event = String::new();
    for line in lines {
        assert!(started.elapsed() < Duration::from_secs(30), "no {name} event came");
        let line = line.expect("the event stream ended");
        if let Some(value) = line.strip_prefix("event: ") {
            event = value.to_string();
        } else if let Some(data) = line.strip_prefix("data: ")
            && event == name
            && wanted(data)
        {
            return data.to_string();
        }
    }
    panic!("no {name} event came");
}

fn no_errors(status: &str) -> bool {
    !status.contains("\"severity\":\"error\"")
}

#[test]
fn edits_reload_tabs_and_errors_show_until_fixed() {
    let server = Server::start(common::catalog("base", &[]), &[]);
    let root = server.root.clone();
    let mut stream = server.connect();
    stream.write_all(b"GET /__copcat/events HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
    let mut lines = BufReader::new(stream).lines();
    assert_eq!(lines.next().unwrap().unwrap(), "HTTP/1.1 200 OK");
    wait_for_event(&mut lines, "status", no_errors);

    replace(&root, "content/roles/knowledge-broker.md", "Questions travel", "Questions fly");
    wait_for_event(&mut lines, "reload", |data| data.contains("\"roles/knowledge-broker/index.html\""));
    assert!(server.get("/roles/knowledge-broker/").text().contains("Questions fly"));

    replace(&root, "content/roles/knowledge-broker.md", "\"share-coordinate\"]", "\"share-coordinat\"]");
    let status = wait_for_event(&mut lines, "status", |data| data.contains("share-coordinat"));
    assert!(status.contains("\"file\":\"content/roles/knowledge-broker.md\",\"line\":4"));
    assert!(status.contains("did you mean \\\"share-coordinate\\\""));
    // The last good site is still served.
    assert!(server.get("/roles/knowledge-broker/").text().contains("Questions fly"));

    replace(&root, "content/roles/knowledge-broker.md", "\"share-coordinat\"]", "\"share-coordinate\"]");
    wait_for_event(&mut lines, "status", no_errors);
}

#[test]
fn the_server_survives_a_hundred_rapid_edits() {
    let server = Server::start(generated_catalog(30), &[]);
    let root = server.root.clone();
    let path = root.join("content/roles/knowledge-broker.md");
    let original = fs::read_to_string(&path).unwrap();
    for n in 0..100 {
        let text = match n % 10 {
            3 => original.replace("stages = [", "stages = [\"nonsense\", "),
            7 => original.replace("+++\n\nA broker", "\n\nA broker"),
            _ => original.replace("Questions travel", &format!("Questions travel {n} times")),
        };
        fs::write(&path, text).unwrap();
        if n % 25 == 0 {
            fs::write(root.join(format!("content/guidance/rapid-{n}.md")), NEW_ENTRY).unwrap();
        }
        std::thread::sleep(Duration::from_millis(3));
    }
    fs::write(&path, original.replace("Questions travel", "Questions travel at last")).unwrap();
    server.wait_for("/roles/knowledge-broker/", "Questions travel at last");
    server.wait_for("/guidance/rapid-75/", "Evaluator");
    assert_eq!(server.get("/").status, 200);
    let mut server = server;
    assert!(server.child.try_wait().unwrap().is_none(), "the server stopped");
}

#[test]
fn a_busy_port_is_reported_with_exit_code_2() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    let dir = common::catalog("base", &[]);
    let run = common::copcat(&["serve", "--port", &port, "--root", "."], dir.path());
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains(&format!("port {port} on 127.0.0.1 is already in use")), "{}", run.stderr);
}

#[test]
fn built_sites_never_carry_the_reload_script() {
    let dir = common::catalog("base", &[]);
    let run = common::copcat(&["build", "--quiet"], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    for (path, bytes) in common::read_tree(&dir.path().join("public")) {
        assert!(!String::from_utf8_lossy(&bytes).contains("__copcat"), "{path}");
    }
}

#[test]
fn a_bilingual_catalog_serves_every_language_and_rebuilds_translations() {
    let dir = common::catalog("bilingual", &[]);
    let root = dir.path();
    let (mut serving, outcome) = Serving::start(root);
    assert!(outcome.ok, "{:#?}", outcome.diagnostics);
    serving.assert_equals_full_build(&outcome);
    let page =
        |serving: &Serving, path: &str| String::from_utf8_lossy(&serving.site.to_map()[path]).into_owned();
    assert!(page(&serving, "fr/practices/safety-huddle/index.html").contains("Caucus de sécurité"));

    // A translation edited: its page in French changes, and nothing else but what shows it.
    replace(
        root,
        "content/practices/safety-huddle.fr.md",
        "Caucus de sécurité",
        "Caucus de sécurité du matin",
    );
    serving.edited(&["content/practices/safety-huddle.fr.md"]);
    assert!(page(&serving, "fr/practices/safety-huddle/index.html").contains("Caucus de sécurité du matin"));
    assert!(!page(&serving, "practices/safety-huddle/index.html").contains("du matin"));

    // A new translation: the French page of the entry is no longer in English.
    write(
        root,
        "content/practices/falls-audit.fr.md",
        "+++\ntitle = \"Audit des chutes\"\nsummary = \"Un examen mensuel des chutes.\"\n+++\n\nChaque mois.\n",
    );
    serving.edited(&["content/practices/falls-audit.fr.md"]);
    let falls = page(&serving, "fr/practices/falls-audit/index.html");
    assert!(falls.contains("Audit des chutes") && !falls.contains("untranslated-note"), "{falls}");

    // An original edited: both languages show what changed in its facts.
    replace(root, "content/practices/falls-audit.md", "stages = [\"notice\", \"try\"]", "stages = [\"try\"]");
    // (Stage counts show on every page: the whole site is rendered again.)
    serving.edited(&["content/practices/falls-audit.md"]);
    // An original's words: its French page has its translation's, its English page changes.
    replace(root, "content/tools/huddle-board.md", "The board lists", "The whiteboard lists");
    assert!(!serving.edited(&["content/tools/huddle-board.md"]).full);
    replace(root, "content/practices/bedside-handover.md", "Handover happens", "Shift handover happens");
    replace(
        root,
        "content/practices/bedside-handover.fr.md",
        "La relève se fait",
        "La relève de quart se fait",
    );
    serving.edited(&["content/practices/bedside-handover.md", "content/practices/bedside-handover.fr.md"]);
    // The home page's translation.
    replace(root, "content/_index.fr.md", "Commencez par", "Commencez donc par");
    serving.edited(&["content/_index.fr.md"]);
}

/// The preview counts the drafts it leaves out, as edits make and publish them (serve says
/// so whenever the count changes: a new entry starts as a draft).
#[test]
fn the_preview_counts_the_drafts_it_leaves_out() {
    let dir = common::catalog("base", &[]);
    let root = dir.path();
    let (mut serving, outcome) = Serving::start(root);
    assert!(outcome.ok, "{:#?}", outcome.diagnostics);
    assert_eq!(serving.workspace.drafts_left_out(), 1);
    write(
        root,
        "content/roles/new-one.md",
        "+++\ntitle = \"New one\"\nsummary = \"New.\"\nstages = [\"share-coordinate\"]\ndraft = true\n+++\n\nText.\n",
    );
    serving.edited(&["content/roles/new-one.md"]);
    assert_eq!(serving.workspace.drafts_left_out(), 2);
    replace(root, "content/roles/new-one.md", "draft = true", "draft = false");
    serving.edited(&["content/roles/new-one.md"]);
    assert_eq!(serving.workspace.drafts_left_out(), 1);
    assert_eq!(Workspace::new(root, true, None).drafts_left_out(), 0, "--drafts shows them all");
}
