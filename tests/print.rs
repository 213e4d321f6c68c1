//! The print edition (spec §11) as `copcat build` writes it: `print/` holds every published
//! entry once, grouped by stage, with links within the document and one reference list;
//! each stage has a document of its own that its page links to; a catalog past the bound is
//! printed one stage at a time.

mod common;

use common::{catalog, copcat};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn build(dir: &Path, extra: &[&str]) -> PathBuf {
    let mut args = vec!["build"];
    args.extend_from_slice(extra);
    let run = copcat(&args, dir);
    assert_eq!(run.code, 0, "build failed: {}{}", run.stdout, run.stderr);
    dir.join("public")
}

fn read(output: &Path, path: &str) -> String {
    std::fs::read_to_string(output.join(path)).unwrap_or_else(|error| panic!("{path}: {error}"))
}

/// Values of `attribute="…"` in `html`, in order.
fn values(html: &str, attribute: &str) -> Vec<String> {
    let needle = format!(" {attribute}=\"");
    html.match_indices(&needle)
        .map(|(at, _)| {
            let rest = &html[at + needle.len()..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect()
}

/// The anchors of the entries a print document prints whole (their headings' ids), in order.
fn printed(html: &str) -> Vec<String> {
    html.split("<article class=\"print-entry ").skip(1).map(|rest| values(rest, "id")[0].clone()).collect()
}

/// The part of a print document from the section of `stage` to the next section.
fn section<'a>(html: &'a str, stage: &str) -> &'a str {
    let start = html.find(&format!("aria-labelledby=\"stage-{stage}\"")).expect("the stage's section");
    let end = html[start..].find("<section class=\"print-").map_or(html.len(), |next| start + next);
    &html[start..end]
}

/// The published entries of catalog.json: (path, stage ids).
fn published(output: &Path) -> Vec<(String, Vec<String>)> {
    let json: serde_json::Value = serde_json::from_str(&read(output, "catalog.json")).unwrap();
    json["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| {
            let stages = entry["stages"].as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_string());
            (entry["path"].as_str().unwrap().to_string(), stages.collect())
        })
        .collect()
}

/// `roles/knowledge-broker/` → `roles/knowledge-broker`.
fn anchor(path: &str) -> String {
    path.trim_end_matches('/').to_string()
}

/// Links within `html` (`href="#…"`) that lead to no id of it, and ids it holds twice.
fn unresolved(html: &str) -> Vec<String> {
    let mut seen = BTreeMap::new();
    for id in values(html, "id") {
        *seen.entry(id).or_insert(0) += 1;
    }
    let mut problems: Vec<String> = seen
        .iter()
        .filter(|(_, count)| **count > 1)
        .map(|(id, count)| format!("id {id} {count} times"))
        .collect();
    for href in values(html, "href").into_iter().filter(|href| href.starts_with('#')) {
        if !seen.contains_key(&href[1..]) {
            problems.push(format!("{href} leads nowhere"));
        }
    }
    problems
}

/// Links of the print document at `document` (relative to `output`) to another page that
/// lead nowhere: to a file the output lacks, or to an id the file does not hold; and links
/// to another print document that are not the shortest (climbing out of `print/` and back).
fn broken_links_between_documents(output: &Path, document: &str) -> Vec<String> {
    let html = read(output, document);
    let folder = Path::new(document).parent().unwrap();
    // The site's header and footer link to `print/` the way every page does.
    let main = &html[html.find("<main").unwrap()..html.find("</main>").unwrap()];
    let in_main: BTreeSet<String> = values(main, "href").into_iter().collect();
    let mut problems = Vec::new();
    for href in values(&html, "href") {
        if href.starts_with('#') || href.contains("://") {
            continue;
        }
        let (path, fragment) = href.split_once('#').map_or((href.as_str(), None), |(p, f)| (p, Some(f)));
        let mut target = PathBuf::new();
        for part in folder.join(path).components() {
            match part {
                std::path::Component::ParentDir => {
                    assert!(target.pop(), "{document}: {href} leaves the output")
                }
                std::path::Component::CurDir => {}
                other => target.push(other),
            }
        }
        let Ok(linked) = std::fs::read_to_string(output.join(&target)) else {
            problems.push(format!("{href}: no {}", target.display()));
            continue;
        };
        if let Some(fragment) = fragment
            && !values(&linked, "id").iter().any(|id| id == fragment)
        {
            problems.push(format!("{href}: no #{fragment} in {}", target.display()));
        }
        if target.starts_with("print") && href.contains("print/") && in_main.contains(&href) {
            problems.push(format!("{href}: not the shortest link to {}", target.display()));
        }
    }
    problems
}

#[test]
fn every_published_entry_is_printed_once_and_drafts_are_not() {
    let dir = catalog("base", &[]);
    let output = build(dir.path(), &[]);
    let html = read(&output, "print/index.html");
    let printed = printed(&html);
    let expected: BTreeSet<String> = published(&output).iter().map(|(path, _)| anchor(path)).collect();
    assert_eq!(printed.len(), expected.len(), "{printed:?}");
    assert_eq!(printed.iter().cloned().collect::<BTreeSet<_>>(), expected);
    assert!(!html.contains("zanzibarword") && !html.contains("Secret draft plan"), "a draft is printed");

    let output = build(dir.path(), &["--drafts"]);
    let html = read(&output, "print/index.html");
    assert!(printed_once(&html, "roles/secret-plan"), "--drafts prints the draft");
}

fn printed_once(html: &str, anchor: &str) -> bool {
    printed(html).iter().filter(|printed| *printed == anchor).count() == 1
}

#[test]
fn an_entry_of_several_stages_is_printed_under_its_first_and_listed_under_the_others() {
    let dir = catalog("base", &[]);
    let output = build(dir.path(), &[]);
    let html = read(&output, "print/index.html");
    // The broker serves generating knowledge, then sharing: printed under the first.
    assert!(printed_once(section(&html, "generate-knowledge"), "roles/knowledge-broker"));
    let sharing = section(&html, "share-coordinate");
    assert!(!printed(sharing).contains(&"roles/knowledge-broker".to_string()));
    let elsewhere = &sharing[sharing.find("print-elsewhere").expect("a list of entries printed elsewhere")..];
    assert!(elsewhere.contains("<a href=\"#roles/knowledge-broker\">Knowledge broker</a>"), "{sharing}");
    // Stages are taken in the cycle's order, not as an entry lists them.
    assert!(printed_once(section(&html, "identify-priorities"), "guidance/fund-a-facilitator"));
    // The table of contents comes before the first entry.
    let contents = html.find("id=\"print-contents\"").unwrap();
    assert!(contents < html.find("<article class=\"print-entry").unwrap());
}

#[test]
fn links_within_the_document_all_resolve_and_ids_are_unique() {
    let dir = catalog("base", &[]);
    // A body whose headings repeat another entry's, with a footnote, a link to one of its
    // own headings and an anchored link to another entry's heading.
    std::fs::write(
        dir.path().join("content/roles/note-taker.md"),
        "+++\ntitle = \"Note taker\"\nsummary = \"Keeps the record.\"\nstages = [\"share-coordinate\"]\n+++\n\n\
         ## Why it matters\n\nRecords last[^1]. See [below](#signs-it-is-working) and \
         [the broker's signs](@/roles/knowledge-broker.md#signs-it-is-working).\n\n\
         ## Signs it is working\n\nNotes get read.\n\n[^1]: Longer than memory.\n",
    )
    .unwrap();
    let output = build(dir.path(), &[]);
    let mut documents = vec!["print/index.html".to_string()];
    documents.extend(
        ["identify-priorities", "generate-knowledge", "share-coordinate"]
            .map(|stage| format!("print/{stage}/index.html")),
    );
    for document in &documents {
        let problems = unresolved(&read(&output, document));
        assert!(problems.is_empty(), "{document}:\n{}", problems.join("\n"));
        let broken = broken_links_between_documents(&output, document);
        assert!(broken.is_empty(), "{document}:\n{}", broken.join("\n"));
    }
    // A stage's document links to the others' documents by the shortest way.
    let sharing = read(&output, "print/share-coordinate/index.html");
    assert!(sharing.contains("href=\"../generate-knowledge/index.html\""), "{sharing}");
    let html = read(&output, "print/index.html");
    for href in [
        "#guidance/fund-a-facilitator/what-it-takes",
        "#roles/note-taker/signs-it-is-working",
        "#roles/knowledge-broker/signs-it-is-working",
        "#roles/note-taker/fn:1",
    ] {
        assert!(html.contains(&format!("href=\"{href}\"")), "no link to {href}");
    }
    // Bodies' headings sit below their entry's (h3 under the stages' h2), and only those
    // a link leads to have an id.
    assert!(html.contains("<h4>Why it matters</h4>"), "{html}");
    assert!(html.contains("<h4 id=\"roles/note-taker/signs-it-is-working\">Signs it is working</h4>"));
}

#[test]
fn one_reference_list_holds_each_cited_source_once() {
    let dir = catalog("base", &[]);
    let output = build(dir.path(), &[]);
    let html = read(&output, "print/index.html");
    assert_eq!(html.matches("<ol class=\"reference-list\"").count(), 1);
    assert_eq!(values(&html, "id").iter().filter(|id| id.starts_with("source-")).count(), 2);
    // An entry's sources link to the list.
    assert!(html.contains("href=\"#source-li2009\""));
    // A stage's document lists only what its own entries cite (the broker and the
    // facilitator cite brooks2024 alone).
    let stage = read(&output, "print/share-coordinate/index.html");
    let cited: Vec<String> =
        values(&stage, "id").into_iter().filter(|id| id.starts_with("source-")).collect();
    assert_eq!(cited, ["source-brooks2024"]);
}

#[test]
fn each_stage_has_a_print_document_and_its_page_links_to_it() {
    let dir = catalog("base", &[]);
    let output = build(dir.path(), &[]);
    let entries = published(&output);
    for stage in ["identify-priorities", "generate-knowledge", "share-coordinate"] {
        let html = read(&output, &format!("print/{stage}/index.html"));
        let expected: BTreeSet<String> = entries
            .iter()
            .filter(|(_, stages)| stages.iter().any(|s| s == stage))
            .map(|(path, _)| anchor(path))
            .collect();
        let printed = printed(&html);
        assert_eq!(printed.len(), expected.len(), "{stage}: {printed:?}");
        assert_eq!(printed.into_iter().collect::<BTreeSet<_>>(), expected, "{stage}");
        let page = read(&output, &format!("stages/{stage}/index.html"));
        assert!(page.contains(&format!("href=\"../../print/{stage}/index.html\"")), "{stage}'s page");
    }
    // Every page's footer links to the print edition; the sitemap leaves it out.
    assert!(read(&output, "index.html").contains("href=\"print/index.html\""));
    assert!(!read(&output, "sitemap.xml").contains("/print/"));
}

#[test]
fn the_print_edition_speaks_the_catalogs_language() {
    let dir = catalog("french", &[]);
    let output = build(dir.path(), &[]);
    let html = read(&output, "print/index.html");
    assert!(html.contains("Table des matières"), "{html}");
    assert!(html.contains("Édition imprimable"));
    assert!(!html.contains(">Contents<"));
}

/// A catalog of `count` roles over two stages: every third serves both, and each links to
/// the one before it.
fn generated_catalog(count: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(
        root.join("catalog.toml"),
        "title = \"Large\"\nbase_url = \"https://example.org/\"\n\n\
         [[stages]]\nid = \"first\"\nname = \"First\"\n\n[[stages]]\nid = \"second\"\nname = \"Second\"\n\n\
         [kinds.role]\nname = \"Role\"\nplural = \"Roles\"\ndir = \"roles\"\n",
    )
    .unwrap();
    std::fs::create_dir_all(root.join("content/roles")).unwrap();
    for n in 0..count {
        let stages = match n % 3 {
            0 => "[\"first\", \"second\"]",
            1 => "[\"first\"]",
            _ => "[\"second\"]",
        };
        let link =
            if n > 0 { format!("See [the one before](@/roles/r{}.md#how).", n - 1) } else { String::new() };
        let text = format!(
            "+++\ntitle = \"Role {n}\"\nsummary = \"Role number {n}.\"\nstages = {stages}\n+++\n\n## How\n\n{link}\n"
        );
        std::fs::write(root.join(format!("content/roles/r{n}.md")), text).unwrap();
    }
    dir
}

#[test]
fn a_catalog_over_the_bound_prints_each_entry_once_in_parts_of_at_most_the_bound() {
    let bound = copcat::render::print::BOUND;
    // Two thirds of the entries are placed under the first stage: more than the bound.
    let count = bound * 2;
    let dir = generated_catalog(count);
    let output = build(dir.path(), &["--no-search"]);
    let index = read(&output, "print/index.html");
    assert!(printed(&index).is_empty(), "the index prints no entry");
    for stage in ["first", "second"] {
        assert!(index.contains(&format!("href=\"{stage}/index.html\"")), "the index links to {stage}");
    }
    let first = read(&output, "print/first/index.html");
    assert!(first.contains("href=\"2/index.html\" rel=\"next\""), "part 1 leads to part 2");
    let mut seen = Vec::new();
    for (document, placed) in [
        ("print/first/index.html", bound),
        ("print/first/2/index.html", (0..count).filter(|n| n % 3 != 2).count() - bound),
        ("print/second/index.html", (0..count).filter(|n| n % 3 == 2).count()),
    ] {
        let html = read(&output, document);
        let printed = printed(&html);
        assert_eq!(printed.len(), placed, "{document}");
        assert!(printed.len() <= bound, "{document} holds more than the bound");
        seen.extend(printed);
        let problems = unresolved(&html);
        assert!(problems.is_empty(), "{document}:\n{}", problems.join("\n"));
        // Links to entries printed in another part (related entries, `@/…#how` in bodies,
        // entries listed under another stage) lead to that part and the entry's id there.
        let broken = broken_links_between_documents(&output, document);
        assert!(broken.is_empty(), "{document}:\n{}", broken.join("\n"));
        let elsewhere = values(&html, "href").into_iter().filter(|href| href.contains("index.html#roles/"));
        assert!(elsewhere.count() > 0, "{document} links to no entry in another part");
    }
    let unique: BTreeSet<&String> = seen.iter().collect();
    assert_eq!((unique.len(), seen.len()), (count, count), "every entry is printed once");
    // Entries of both stages are placed under the first and listed under the second, linked
    // to the part they are printed in.
    let second = read(&output, "print/second/index.html");
    assert!(second.contains("href=\"../first/index.html#roles/r0\""), "r0 is listed");
    // Part 1 leads to an entry's heading in part 2 by the shortest way (an `@/…#how` link).
    assert!(first.contains("href=\"2/index.html#roles/r"), "part 1 leads into part 2");
    assert!(
        !output.join("print/second/2").exists() && !output.join("print/first/3").exists(),
        "no part more than needed"
    );
}

/// Rebuilds into `public/` and builds afresh into `fresh/`; panics with `what` unless the two
/// are the same, file for file and byte for byte.
fn rebuilt_as_fresh(root: &Path, what: &str) {
    build(root, &["--no-search"]);
    let _ = std::fs::remove_dir_all(root.join("fresh"));
    build(root, &["--no-search", "--output", "fresh"]);
    let (public, fresh) = (common::read_tree(&root.join("public")), common::read_tree(&root.join("fresh")));
    let paths = |tree: &[(String, Vec<u8>)]| tree.iter().map(|(path, _)| path.clone()).collect::<Vec<_>>();
    assert_eq!(paths(&public), paths(&fresh), "{what}");
    for ((path, bytes), (_, fresh_bytes)) in public.iter().zip(&fresh) {
        assert!(bytes == fresh_bytes, "{what}: {path} is not what a fresh build writes");
    }
}

#[test]
fn a_print_document_is_made_again_when_where_its_links_lead_changes() {
    // A print page is keyed with its bodies' keys in place of its bodies: what each body
    // is rendered from, including where its links lead from that document.
    let bound = copcat::render::print::BOUND;
    let dir = generated_catalog(bound * 2);
    let root = dir.path();
    build(root, &["--no-search"]);
    // r2 and r998, printed in the second stage's document, link to headings of r1 and r997,
    // printed in the first and second parts of the first stage's. Retitled, r1 is listed
    // last in its stage and r997 first: they swap parts, every other entry stays in its
    // part, and of the second stage's document only where those two links lead changes.
    let second = read(&root.join("public"), "print/second/index.html");
    assert!(second.contains("href=\"../first/index.html#roles/r1/how\""), "{second}");
    assert!(second.contains("href=\"../first/2/index.html#roles/r997/how\""), "{second}");
    let retitle = |n: usize, title: &str| {
        let path = root.join(format!("content/roles/r{n}.md"));
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(
            &path,
            text.replace(&format!("title = \"Role {n}\""), &format!("title = \"{title}\"")),
        )
        .unwrap();
    };
    retitle(1, "Zz role 1");
    retitle(997, "Aa role 997");
    rebuilt_as_fresh(root, "linked entries moved to other parts");
    let second = read(&root.join("public"), "print/second/index.html");
    assert!(second.contains("href=\"../first/2/index.html#roles/r1/how\""), "{second}");
    assert!(second.contains("href=\"../first/index.html#roles/r997/how\""), "{second}");
    let r1 = root.join("content/roles/r1.md");

    // A heading gets its id when a link to it appears in a document that does not print
    // it: r0's "How" is linked from r1 only; r1 now links elsewhere, then to it again.
    let text = std::fs::read_to_string(&r1).unwrap();
    std::fs::write(&r1, text.replace("@/roles/r0.md#how", "@/roles/r0.md")).unwrap();
    rebuilt_as_fresh(root, "a link to a heading went");
    std::fs::write(&r1, text).unwrap();
    rebuilt_as_fresh(root, "a link to a heading came back");
}

#[test]
fn print_false_publishes_no_print_edition_and_links_none() {
    let dir = catalog("base", &[]);
    let toml = dir.path().join("catalog.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    // A key of the top table, before the first [table].
    let at = text.find("\n[").unwrap() + 1;
    std::fs::write(&toml, format!("{}print = false\n\n{}", &text[..at], &text[at..])).unwrap();
    let output = build(dir.path(), &[]);
    assert!(!output.join("print").exists(), "no print/ folder");
    assert!(output.join("index.html").exists() && output.join("stages").exists());
    for (path, bytes) in common::read_tree(&output) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("print/index.html"), "{path} links the print edition");
        assert!(!text.contains("class=\"print-link\""), "{path} offers to print a stage");
    }
    // --pdf has nothing to print: it says so, at catalog.toml, and publishes nothing.
    let before = common::read_tree(&output);
    // (A stand-in browser, so that the test does not depend on one being installed.)
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_copcat"))
        .args(["build", "--pdf"])
        .current_dir(dir.path())
        .env("COPCAT_CHROME", "/bin/true")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("catalog.toml") && stderr.contains("print = false"), "{stderr}");
    assert_eq!(common::read_tree(&output), before);
    // A value that is not a boolean is an error at its line.
    std::fs::write(&toml, format!("{}print = \"no\"\n\n{}", &text[..at], &text[at..])).unwrap();
    let check = copcat(&["check"], dir.path());
    assert_eq!(check.code, 1, "{}", check.stderr);
    assert!(check.stderr.contains("catalog.toml:") && check.stderr.contains("print"), "{}", check.stderr);
}
