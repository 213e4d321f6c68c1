//! `copcat serve`: incremental rebuilds equal full builds, file for file; the server's
//! safety, content types, caching and reload events; surviving rapid edits.

mod common;

use copcat::diagnostic::Diagnostic;
use copcat::output::MemorySink;
use copcat::serve::site::Site;
use copcat::serve::{Change, Outcome, Workspace};
use copcat::{LoadOptions, load_catalog};
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

const BASE_URL: &str = "http://127.0.0.1:1111/";

/// What a full build makes of the catalog at `root`: its files and diagnostics.
fn full_build(root: &Path) -> (BTreeMap<String, Vec<u8>>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let options = LoadOptions { drafts: false, base_url: Some(BASE_URL) };
    let catalog = load_catalog(root, &options, &mut diagnostics).unwrap().unwrap();
    let sink = MemorySink::default();
    copcat::render::site(root, &catalog, &sink, &mut diagnostics).unwrap().unwrap();
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
        self.workspace.rebuild(changes, &mut |update| *site = site.apply(update)).unwrap()
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
    assert!(body_only.pages <= 2, "a body edit rendered {} pages", body_only.pages);

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
fn changes_are_classified_by_path() {
    let root = Path::new("/cat");
    let cases = [
        ("/cat/catalog.toml", Some(Change::Config)),
        ("/cat/sources.toml", Some(Change::Sources)),
        ("/cat/templates/entry.html", Some(Change::Theme)),
        ("/cat/themes/default/static/style.css", Some(Change::Theme)),
        ("/cat/static/logo.svg", Some(Change::Theme)),
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
