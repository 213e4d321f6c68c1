//! The build is a line of stages, `config → content → catalog → render → search → output`
//! (STYLE.md), and no stage may import a later one: each module's `crate::` references,
//! outside its tests, must name only modules of its own rank or earlier. Shared modules
//! (diagnostics, Markdown, URLs, sinks…) come first; the commands that drive the line
//! (`cli`, `serve`, `scaffold`, the crate root) come last.

use std::collections::BTreeMap;
use std::path::Path;

/// Each module's place in the line; a module may use those with a lower or equal rank.
const RANKS: &[(&str, u32)] = &[
    ("diagnostic", 0),
    ("error", 0),
    ("slug", 0),
    ("timings", 0),
    ("url_policy", 0),
    ("sink", 0),
    ("walk", 1),
    ("toml_fields", 1),
    ("markdown", 1),
    ("config", 2),
    ("i18n", 2),
    ("content", 3),
    ("catalog", 4),
    ("urls", 5),
    ("editorial", 5),
    ("render", 6),
    ("search", 7),
    ("output", 8),
    ("scaffold", 9),
    ("rename", 9),
    ("serve", 9),
    ("pdf", 9),
    ("cli", 10),
];

fn rank(module: &str) -> Option<u32> {
    RANKS.iter().find(|(name, _)| *name == module).map(|(_, rank)| *rank)
}

/// The text of a source file without its `#[cfg(test)]` module.
fn without_tests(text: &str) -> &str {
    text.find("#[cfg(test)]").map_or(text, |at| &text[..at])
}

/// The modules each top-level module of `src/` names as `crate::<module>`.
fn references() -> BTreeMap<String, Vec<(String, String)>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for item in walkdir::WalkDir::new(&src).into_iter().map(Result::unwrap) {
        let path = item.path();
        if path.extension().is_none_or(|ext| ext != "rs")
            || path.file_name().is_some_and(|name| name == "tests.rs")
        {
            continue;
        }
        let relative = path.strip_prefix(&src).unwrap();
        let first = relative.components().next().unwrap().as_os_str().to_string_lossy().into_owned();
        let module = first.trim_end_matches(".rs").to_string();
        if module == "lib" || module == "main" {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        for (at, _) in without_tests(&text).match_indices("crate::") {
            let name: String =
                text[at + 7..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            if rank(&name).is_some() || name.chars().next().is_some_and(|c| c.is_ascii_lowercase()) {
                found.entry(module.clone()).or_default().push((name, relative.display().to_string()));
            }
        }
    }
    found
}

#[test]
fn no_stage_imports_a_later_one() {
    let mut problems = Vec::new();
    for (module, names) in references() {
        let Some(own) = rank(&module) else {
            problems.push(format!("src/{module} has no place in RANKS; add it"));
            continue;
        };
        for (name, file) in names {
            match rank(&name) {
                Some(theirs) if theirs <= own => {}
                Some(_) => problems.push(format!("{file} ({module}) uses crate::{name}, a later stage")),
                // Items of the crate root (`crate::build`, `crate::Progress`) belong to the driver.
                None if own >= 9 => {}
                None => problems.push(format!("{file} ({module}) uses crate::{name}, the pipeline's driver")),
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_pipeline_is_one_function_in_lib_rs() {
    let lib = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs")).unwrap();
    let build = &lib[lib.find("pub fn build(").expect("lib.rs has a build function")..];
    let body = &build[..build.find("\n}\n").unwrap()];
    let calls = [
        "config::load",
        "content::load",
        "catalog::build",
        "render::site",
        "search::index",
        "output::publish",
    ];
    let mut last = 0;
    for call in calls {
        let at = body.find(call).unwrap_or_else(|| panic!("build does not call {call}"));
        assert!(at > last, "{call} is called out of order");
        last = at;
    }
}
