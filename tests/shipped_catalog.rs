//! Guards the catalog that ships at the repository root: enough roles and
//! guidance, the four stages in order with enough roles in each, every entry
//! citing known sources, bodies of a readable length, every taxonomy term in
//! use, and `copcat check` passing on it. Later edits cannot silently drop a
//! stage, a citation or an entry without one of these tests failing.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const STAGE_IDS: [&str; 4] =
    ["identify-priorities", "generate-knowledge", "implement-evaluate", "share-coordinate"];
const MIN_ROLES: usize = 14;
const MIN_GUIDANCE: usize = 10;
const MIN_ROLES_PER_STAGE: usize = 3;
const MIN_BODY_WORDS: usize = 150;
const MAX_BODY_WORDS: usize = 500;

/// One published entry of the shipped catalog.
struct Entry {
    kind: String,
    path: PathBuf,
    front: toml::Table,
    body: String,
}

fn catalog_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read_text(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()))
}

fn parse_table(text: &str, path: &Path) -> toml::Table {
    text.parse::<toml::Table>()
        .unwrap_or_else(|error| panic!("{} is not valid TOML: {error}", path.display()))
}

fn catalog_config() -> toml::Table {
    let path = catalog_root().join("catalog.toml");
    parse_table(&read_text(&path), &path)
}

/// Splits a Markdown entry into its TOML front matter and its body, using
/// the lines that are exactly `+++` as delimiters.
fn split_front_matter(path: &Path) -> (toml::Table, String) {
    let text = read_text(path);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines.first().is_some_and(|line| line.trim_end() == "+++"),
        "{} must start with a `+++` line",
        path.display()
    );
    let end = lines
        .iter()
        .skip(1)
        .position(|line| line.trim_end() == "+++")
        .map(|offset| offset + 1)
        .unwrap_or_else(|| panic!("{}: front matter is never closed by `+++`", path.display()));
    let front = parse_table(&lines[1..end].join("\n"), path);
    let body = lines[end + 1..].join("\n");
    (front, body)
}

/// A pure TOML entry keeps its body in the `body` field.
fn split_toml_entry(path: &Path) -> (toml::Table, String) {
    let mut front = parse_table(&read_text(path), path);
    let body = match front.remove("body") {
        Some(toml::Value::String(body)) => body,
        Some(_) => panic!("{}: `body` must be a string", path.display()),
        None => String::new(),
    };
    (front, body)
}

/// The `(kind id, folder)` pairs declared in catalog.toml, sorted by kind id.
fn kinds(config: &toml::Table) -> Vec<(String, String)> {
    let kinds = config.get("kinds").and_then(toml::Value::as_table).expect("catalog.toml declares [kinds]");
    kinds
        .iter()
        .map(|(id, kind)| {
            let dir = kind
                .get("dir")
                .and_then(toml::Value::as_str)
                .unwrap_or_else(|| panic!("kind {id} has a `dir`"));
            (id.clone(), dir.to_string())
        })
        .collect()
}

/// Every published (non-draft) entry of every kind, in a stable order.
fn published_entries() -> Vec<Entry> {
    let config = catalog_config();
    let mut entries = Vec::new();
    for (kind, dir) in kinds(&config) {
        let folder = catalog_root().join("content").join(&dir);
        let mut paths: Vec<PathBuf> = fs::read_dir(&folder)
            .unwrap_or_else(|error| panic!("cannot list {}: {error}", folder.display()))
            .map(|item| item.expect("readable directory entry").path())
            .filter(|path| path.is_file())
            // Translations (`<slug>.<language>.md`) are checked by tests/french_edition.rs.
            .filter(|path| {
                !path.file_stem().and_then(|stem| stem.to_str()).is_some_and(|stem| stem.contains('.'))
            })
            .collect();
        paths.sort();
        for path in paths {
            let (front, body) = match path.extension().and_then(|ext| ext.to_str()) {
                Some("md") => split_front_matter(&path),
                Some("toml") => split_toml_entry(&path),
                _ => continue,
            };
            if front.get("draft").and_then(toml::Value::as_bool) == Some(true) {
                continue;
            }
            entries.push(Entry { kind: kind.clone(), path, front, body });
        }
    }
    entries
}

/// The strings of an array field, or nothing when the field is absent.
fn string_list(front: &toml::Table, field: &str) -> Vec<String> {
    front
        .get(field)
        .and_then(toml::Value::as_array)
        .map(|values| values.iter().filter_map(toml::Value::as_str).map(str::to_string).collect())
        .unwrap_or_default()
}

fn relative(path: &Path) -> String {
    path.strip_prefix(catalog_root()).unwrap_or(path).display().to_string()
}

fn count_of_kind(entries: &[Entry], kind: &str) -> usize {
    entries.iter().filter(|entry| entry.kind == kind).count()
}

#[test]
fn shipped_catalog_has_the_four_stages_in_order() {
    let config = catalog_config();
    let stage_ids: Vec<String> = config
        .get("stages")
        .and_then(toml::Value::as_array)
        .expect("catalog.toml declares [[stages]]")
        .iter()
        .filter_map(|stage| stage.get("id").and_then(toml::Value::as_str))
        .map(str::to_string)
        .collect();
    assert_eq!(stage_ids, STAGE_IDS);
}

#[test]
fn shipped_catalog_has_enough_roles_and_guidance() {
    let entries = published_entries();
    let roles = count_of_kind(&entries, "role");
    let guidance = count_of_kind(&entries, "guidance");
    assert!(roles >= MIN_ROLES, "{roles} roles, expected at least {MIN_ROLES}");
    assert!(guidance >= MIN_GUIDANCE, "{guidance} guidance entries, expected at least {MIN_GUIDANCE}");
}

#[test]
fn every_stage_has_at_least_three_roles() {
    let entries = published_entries();
    let mut thin_stages = Vec::new();
    for stage in STAGE_IDS {
        let roles = entries
            .iter()
            .filter(|entry| entry.kind == "role")
            .filter(|entry| string_list(&entry.front, "stages").iter().any(|id| id == stage))
            .count();
        if roles < MIN_ROLES_PER_STAGE {
            thin_stages.push(format!("{stage}: {roles} roles"));
        }
    }
    assert!(thin_stages.is_empty(), "stages with fewer than {MIN_ROLES_PER_STAGE} roles: {thin_stages:?}");
}

#[test]
fn every_entry_cites_a_known_source() {
    let sources_path = catalog_root().join("sources.toml");
    let sources = parse_table(&read_text(&sources_path), &sources_path);
    let mut problems = Vec::new();
    for entry in published_entries() {
        let cited = string_list(&entry.front, "sources");
        if cited.is_empty() {
            problems.push(format!("{}: cites no source", relative(&entry.path)));
        }
        for key in cited {
            if !sources.contains_key(&key) {
                problems.push(format!(
                    "{}: cites {key:?}, which sources.toml does not define",
                    relative(&entry.path)
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn entry_bodies_are_150_to_500_words() {
    let mut problems = Vec::new();
    for entry in published_entries() {
        let words = entry.body.split_whitespace().count();
        if !(MIN_BODY_WORDS..=MAX_BODY_WORDS).contains(&words) {
            problems.push(format!("{}: {words} words", relative(&entry.path)));
        }
    }
    assert!(
        problems.is_empty(),
        "bodies outside {MIN_BODY_WORDS}-{MAX_BODY_WORDS} words:\n{}",
        problems.join("\n")
    );
}

#[test]
fn every_taxonomy_term_is_used() {
    let config = catalog_config();
    let entries = published_entries();
    let taxonomies =
        config.get("taxonomies").and_then(toml::Value::as_table).expect("catalog.toml declares [taxonomies]");
    let mut unused = Vec::new();
    for (taxonomy, definition) in taxonomies {
        let used: BTreeSet<String> =
            entries.iter().flat_map(|entry| string_list(&entry.front, taxonomy)).collect();
        let terms = definition
            .get("terms")
            .and_then(toml::Value::as_array)
            .unwrap_or_else(|| panic!("taxonomy {taxonomy} has `terms`"));
        for term in terms {
            let id = term
                .get("id")
                .and_then(toml::Value::as_str)
                .unwrap_or_else(|| panic!("a term of taxonomy {taxonomy} has no `id`"));
            if !used.contains(id) {
                unused.push(format!("{taxonomy}/{id}"));
            }
        }
    }
    assert!(unused.is_empty(), "taxonomy terms no entry uses: {unused:?}");
}

#[test]
fn copcat_check_passes_on_shipped_catalog() {
    let output = Command::new(env!("CARGO_BIN_EXE_copcat"))
        .arg("check")
        .arg("--root")
        .arg(catalog_root())
        .output()
        .expect("the copcat binary runs");
    assert_eq!(
        output.status.code(),
        Some(0),
        "copcat check failed on the shipped catalog\n--- stdout\n{}\n--- stderr\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// `base_url = "/"` suits a preview; a deploy names the host with `--base-url`, and then
/// the shipped catalog has nothing at all to warn of.
#[test]
fn shipped_catalog_warns_only_of_its_path_base_url_and_deploys_clean() {
    let run = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_copcat"))
            .args(args)
            .arg("--root")
            .arg(catalog_root())
            .output()
            .expect("the copcat binary runs");
        assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    let preview = run(&["check"]);
    let warnings: Vec<&str> = preview.lines().filter(|line| line.contains(": warning: ")).collect();
    assert_eq!(warnings.len(), 1, "{preview}");
    assert!(
        warnings[0].starts_with("catalog.toml:3:12: warning: base_url \"/\" is only a path"),
        "{preview}"
    );
    let deploy = run(&["check", "--base-url", "https://example.org/cop-catalog/"]);
    assert_eq!(deploy, "", "a deploy build of the shipped catalog has no warning");
    // Which also says that the French edition is complete: an entry without a translation
    // would be counted in a warning (spec §9).
    assert!(!preview.contains("translation yet"), "{preview}");
}

/// The shipped catalog publishes a complete French edition: every page in English has its
/// counterpart under /fr/, in French, linked both ways.
#[test]
fn the_french_edition_is_complete_and_linked_both_ways() {
    let site = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_copcat"))
        .args(["build", "--quiet", "--base-url", "https://example.org/cop-catalog/", "--output"])
        .arg(site.path())
        .arg("--root")
        .arg(catalog_root())
        .output()
        .expect("the copcat binary runs");
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let mut pages = 0;
    for entry in published_entries() {
        let relative = relative(&entry.path);
        let page = relative.trim_start_matches("content/").trim_end_matches(".md").trim_end_matches(".toml");
        let english = fs::read_to_string(site.path().join(page).join("index.html")).unwrap();
        let french = fs::read_to_string(site.path().join("fr").join(page).join("index.html")).unwrap();
        assert!(french.starts_with("<!DOCTYPE html>\n<html lang=\"fr\""), "{page}");
        assert!(!french.contains("untranslated-note"), "fr/{page} is not translated");
        let address = format!("https://example.org/cop-catalog/fr/{page}/");
        assert!(english.contains(&format!("hreflang=\"fr\" href=\"{address}\"")), "{page}");
        pages += 1;
    }
    assert!(pages >= MIN_ROLES + MIN_GUIDANCE);
}
