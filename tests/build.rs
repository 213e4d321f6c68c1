//! `copcat build` end to end on fixture catalogs: links, determinism, atomic publishing,
//! drafts, escaping and the machine-readable outputs.

mod common;

use common::{catalog, copcat, read_tree};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

fn build(dir: &Path, extra: &[&str]) -> common::Run {
    let mut args = vec!["build"];
    args.extend_from_slice(extra);
    let run = copcat(&args, dir);
    assert_eq!(run.code, 0, "build failed: {}{}", run.stdout, run.stderr);
    run
}

/// Values of `attribute="…"` in `html`, with `&amp;` decoded.
fn attribute_values<'a>(html: &'a str, attribute: &str) -> Vec<String> {
    let needle = format!(" {attribute}=\"");
    let mut values = Vec::new();
    let mut rest: &'a str = html;
    while let Some(start) = rest.find(&needle) {
        let after = &rest[start + needle.len()..];
        let end = after.find('"').unwrap_or(after.len());
        values.push(after[..end].replace("&amp;", "&"));
        rest = &after[end..];
    }
    values
}

fn ids(html: &str) -> BTreeSet<String> {
    attribute_values(html, "id").into_iter().collect()
}

/// Checks that every relative link and `#anchor` in every HTML file resolves.
fn broken_links(output: &Path, base_path: &str) -> Vec<String> {
    let files: HashMap<PathBuf, String> = read_tree(output)
        .into_iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .map(|(path, bytes)| (PathBuf::from(path), String::from_utf8(bytes).unwrap()))
        .collect();
    let mut broken = Vec::new();
    for (path, html) in &files {
        let mut links = attribute_values(html, "href");
        links.extend(attribute_values(html, "src"));
        for link in links {
            if link.starts_with("http://") || link.starts_with("https://") || link.starts_with("mailto:") {
                continue;
            }
            let (target, fragment) = match link.split_once('#') {
                Some((target, fragment)) => (target.to_string(), Some(fragment.to_string())),
                None => (link.clone(), None),
            };
            let target = target.split('?').next().unwrap().to_string();
            let resolved = if target.is_empty() {
                path.clone()
            } else if let Some(absolute) = target.strip_prefix(base_path) {
                PathBuf::from(absolute)
            } else if target.starts_with('/') {
                broken.push(format!("{}: absolute link {link}", path.display()));
                continue;
            } else {
                let mut resolved = path.parent().unwrap().to_path_buf();
                for part in target.split('/') {
                    match part {
                        ".." => {
                            if !resolved.pop() {
                                broken.push(format!("{}: {link} leaves the site", path.display()));
                            }
                        }
                        "." | "" => {}
                        part => resolved.push(part),
                    }
                }
                resolved
            };
            let resolved = if target.ends_with('/') || resolved.as_os_str().is_empty() {
                resolved.join("index.html")
            } else {
                resolved
            };
            if !output.join(&resolved).is_file() {
                broken.push(format!("{}: {link} -> missing {}", path.display(), resolved.display()));
                continue;
            }
            if let Some(fragment) = fragment.filter(|fragment| !fragment.is_empty()) {
                let target_html = files.get(&resolved).cloned().unwrap_or_default();
                if !ids(&target_html).contains(&fragment) {
                    broken.push(format!("{}: {link} -> no id \"{fragment}\"", path.display()));
                }
            }
        }
    }
    broken.sort();
    broken
}

#[test]
fn every_internal_link_and_anchor_resolves() {
    let dir = catalog("base", &[]);
    build(dir.path(), &[]);
    let output = dir.path().join("public");
    let broken = broken_links(&output, "/cop/");
    assert!(broken.is_empty(), "{}", broken.join("\n"));
    // Lists are paginated at 2 in the fixture: page 2 of a term exists and is linked.
    assert!(output.join("audience/executive/page/2/index.html").is_file());
}

#[test]
fn the_shipped_catalog_has_no_broken_links() {
    let dir = tempfile::tempdir().unwrap();
    let root = env!("CARGO_MANIFEST_DIR");
    let output = dir.path().join("site");
    let run = copcat(&["build", "--root", root, "--output", output.to_str().unwrap()], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let broken = broken_links(&output, "/");
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

#[test]
fn every_page_of_the_spec_exists() {
    let dir = catalog("base", &[]);
    build(dir.path(), &[]);
    let output = dir.path().join("public");
    for path in [
        "index.html",
        "stages/identify-priorities/index.html",
        "audience/index.html",
        "audience/executive/index.html",
        "roles/index.html",
        "guidance/index.html",
        "roles/knowledge-broker/index.html",
        "guidance/fund-a-facilitator/index.html",
        "pages/about/index.html",
        "landscape/index.html",
        "sources/index.html",
        "search/index.html",
        "catalog.json",
        "catalog.csv",
        "sitemap.xml",
        "feed.xml",
        "robots.txt",
        "404.html",
    ] {
        assert!(output.join(path).is_file(), "missing {path}");
    }
}

#[test]
fn builds_are_byte_identical() {
    let dir = catalog("base", &[]);
    build(dir.path(), &["--output", "one"]);
    build(dir.path(), &["--output", "two"]);
    let (one, two) = (read_tree(&dir.path().join("one")), read_tree(&dir.path().join("two")));
    assert_eq!(one.len(), two.len());
    for ((path_one, bytes_one), (path_two, bytes_two)) in one.iter().zip(&two) {
        assert_eq!(path_one, path_two);
        assert!(bytes_one == bytes_two, "{path_one} differs between builds");
    }
}

#[test]
fn a_failed_build_keeps_the_old_output() {
    let dir = catalog("base", &[]);
    build(dir.path(), &[]);
    let before = read_tree(&dir.path().join("public"));
    let entry = dir.path().join("content/roles/priority-setter.md");
    let text = std::fs::read_to_string(&entry).unwrap().replace("identify-priorities", "no-such-stage");
    std::fs::write(&entry, text).unwrap();
    let run = copcat(&["build"], dir.path());
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("unknown stage \"no-such-stage\""), "{}", run.stderr);
    assert!(run.stderr.contains("left as it was"), "{}", run.stderr);
    assert_eq!(read_tree(&dir.path().join("public")), before);
    let leftovers: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("staging"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_template_error_fails_the_build_and_keeps_the_old_output() {
    let dir = catalog("base", &[]);
    build(dir.path(), &[]);
    let before = read_tree(&dir.path().join("public"));
    std::fs::create_dir_all(dir.path().join("templates")).unwrap();
    std::fs::write(dir.path().join("templates/entry.html"), "{{ entry.no_such_field.deeper }}").unwrap();
    let run = copcat(&["build"], dir.path());
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("templates/entry.html"), "{}", run.stderr);
    assert_eq!(read_tree(&dir.path().join("public")), before);
    let check = copcat(&["check"], dir.path());
    assert_eq!(check.code, 1, "check renders templates too");
}

#[test]
fn stale_files_do_not_survive() {
    let dir = catalog("base", &[]);
    build(dir.path(), &[]);
    assert!(dir.path().join("public/roles/priority-setter/index.html").is_file());
    std::fs::remove_file(dir.path().join("content/roles/priority-setter.md")).unwrap();
    build(dir.path(), &[]);
    assert!(!dir.path().join("public/roles/priority-setter").exists());
}

#[test]
fn refuses_to_replace_a_folder_it_did_not_make() {
    let dir = catalog("base", &[]);
    std::fs::create_dir(dir.path().join("mine")).unwrap();
    std::fs::write(dir.path().join("mine/notes.txt"), "precious").unwrap();
    let run = copcat(&["build", "--output", "mine"], dir.path());
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("not made by copcat"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(dir.path().join("mine/notes.txt")).unwrap(), "precious");
}

#[test]
fn drafts_are_absent_everywhere_unless_asked_for() {
    let dir = catalog("base", &[]);
    let run = build(dir.path(), &[]);
    // The editor is told, since a new entry starts as a draft.
    assert!(run.stdout.contains("note: 1 draft is left out; --drafts publishes them"), "{}", run.stdout);
    for (path, bytes) in read_tree(&dir.path().join("public")) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("zanzibarword"), "draft text leaked into {path}");
        assert!(!text.contains("secret-plan"), "draft link leaked into {path}");
    }
    let run = build(dir.path(), &["--drafts", "--output", "with-drafts"]);
    assert!(!run.stdout.contains("left out"), "{}", run.stdout);
    assert!(dir.path().join("with-drafts/roles/secret-plan/index.html").is_file());
}

#[test]
fn markup_in_fields_and_bodies_is_escaped() {
    let dir = catalog("base", &[]);
    build(dir.path(), &[]);
    let output = dir.path().join("public");
    for (path, bytes) in read_tree(&output) {
        let text = String::from_utf8_lossy(&bytes);
        // Data files keep the text as written; the browser never parses them as HTML.
        if path.ends_with(".js") || path.ends_with(".json") || path.ends_with(".csv") {
            continue;
        }
        assert!(!text.contains("<script>alert"), "unescaped script in {path}");
        assert!(!text.contains("<img src=x"), "unescaped img in {path}");
        assert!(!text.contains("<b>tags</b>"), "unescaped tags in {path}");
    }
    let entry = std::fs::read_to_string(output.join("guidance/escape-test/index.html")).unwrap();
    assert!(entry.contains("&lt;script&gt;alert"), "the payload is shown as text");
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(output.join("catalog.json")).unwrap()).unwrap();
    let titles: Vec<&str> =
        json["entries"].as_array().unwrap().iter().map(|e| e["title"].as_str().unwrap()).collect();
    assert!(
        titles.contains(&"Escaping <script>alert(\"t\")</script> & 'quotes'"),
        "JSON keeps the text as written"
    );
}

#[test]
fn machine_readable_outputs() {
    let dir = catalog("base", &[]);
    build(dir.path(), &[]);
    let output = dir.path().join("public");
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(output.join("catalog.json")).unwrap()).unwrap();
    let entries = json["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 4);
    let broker = entries.iter().find(|e| e["id"] == "roles/knowledge-broker").unwrap();
    assert_eq!(broker["url"], "https://example.org/cop/roles/knowledge-broker/");
    assert_eq!(broker["stages"], serde_json::json!(["generate-knowledge", "share-coordinate"]));
    assert_eq!(broker["terms"]["audience"], serde_json::json!(["cop-lead"]));
    assert_eq!(broker["updated"], "2024-03-05");

    let csv = std::fs::read_to_string(output.join("catalog.csv")).unwrap();
    let csv = csv.strip_prefix('\u{FEFF}').expect("catalog.csv starts with a byte-order mark");
    let lines: Vec<&str> = csv.split("\r\n").filter(|line| !line.is_empty()).collect();
    assert_eq!(
        lines[0],
        "id,kind,title,summary,stages,audience,related,sources,updated,reviewed,review_due,url,language"
    );
    assert_eq!(lines.len(), 5);
    assert!(csv.contains("\"Escaping <script>alert(\"\"t\"\")</script> & 'quotes'\""));

    let feed = std::fs::read_to_string(output.join("feed.xml")).unwrap();
    let first = feed.find("Knowledge broker").unwrap();
    let second = feed.find("Fund a facilitator").unwrap();
    assert!(first < second, "newest first");
    assert!(feed.contains("<updated>2024-03-05T00:00:00Z</updated>"));
    // The feed is announced on the home and list pages, not on each entry page.
    let announces = |page: &str| {
        let html = std::fs::read_to_string(output.join(page)).unwrap();
        html.contains(r#"<link rel="alternate" type="application/atom+xml""#) && html.contains("feed.xml\">")
    };
    assert!(
        announces("index.html")
            && announces("roles/index.html")
            && announces("stages/generate-knowledge/index.html")
    );
    assert!(!announces("roles/knowledge-broker/index.html"));

    let sitemap = std::fs::read_to_string(output.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains(
        "<url><loc>https://example.org/cop/roles/knowledge-broker/</loc><lastmod>2024-03-05</lastmod></url>"
    ));
    assert!(!sitemap.contains("404"));
    let robots = std::fs::read_to_string(output.join("robots.txt")).unwrap();
    assert!(robots.contains("Sitemap: https://example.org/cop/sitemap.xml"));
}

#[test]
fn referenced_by_leaves_out_what_related_shows_and_404_names_no_canonical_address() {
    // The broker and the facilitator name each other as related: each is shown once, under
    // "Related", not again under "Referenced by".
    let dir = catalog("base", &[]);
    build(dir.path(), &[]);
    let output = dir.path().join("public");
    let broker = std::fs::read_to_string(output.join("roles/knowledge-broker/index.html")).unwrap();
    assert!(broker.contains("aria-labelledby=\"related-heading\""), "the related list is there");
    let backlinks = broker.find("backlinks-heading").map(|at| &broker[at..]).unwrap_or("");
    assert!(!backlinks.contains("guidance/fund-a-facilitator/"), "listed twice");

    let not_found = std::fs::read_to_string(output.join("404.html")).unwrap();
    assert!(!not_found.contains("rel=\"canonical\"") && !not_found.contains("og:url"), "{not_found}");
    assert!(not_found.contains("<meta name=\"description\" content=\"A small catalog for tests\">"));
}

#[test]
fn pages_link_relatively_and_use_base_url_only_for_absolute_links() {
    let dir = catalog("base", &[]);
    build(dir.path(), &["--base-url", "https://other.example/deep/path"]);
    let entry = std::fs::read_to_string(dir.path().join("public/roles/knowledge-broker/index.html")).unwrap();
    assert!(
        entry.contains("https://other.example/deep/path/roles/knowledge-broker/"),
        "canonical uses base_url"
    );
    let canonical = "https://other.example/deep/path/roles/knowledge-broker/";
    for href in attribute_values(&entry, "href").into_iter().filter(|href| href != canonical) {
        assert!(
            !href.starts_with('/') && !href.starts_with("https://other.example"),
            "links between pages are relative, found {href}"
        );
    }
}

/// The site header is rendered once per nav state, so check each state lands on the
/// right pages: the current item gets `aria-current`, an entry's kind gets `in-section`.
#[test]
fn the_header_marks_where_each_page_is() {
    let dir = catalog("base", &[]);
    build(dir.path(), &["--quiet"]);
    let page = |path: &str| {
        let html = std::fs::read_to_string(dir.path().join("public").join(path)).unwrap();
        let start = html.find("<header class=\"site-header\">").expect("a site header");
        let end = html[start..].find("</header>").unwrap() + start;
        html[start..end].to_string()
    };
    // The targets of the header's links whose opening tag carries `marker`.
    let marked = |header: &str, marker: &str| -> Vec<String> {
        header
            .split("<a ")
            .filter(|link| link.split('>').next().unwrap().contains(marker))
            .map(|link| attribute_values(&format!(" {link}"), "href")[0].clone())
            .collect()
    };
    let current = |header: &str| marked(header, "aria-current=\"page\"");
    let in_section = |header: &str| marked(header, "class=\"in-section\"");
    let cases: [(&str, &[&str], &[&str]); 6] = [
        ("index.html", &["index.html"], &[]),
        ("roles/index.html", &["../roles/index.html"], &[]),
        ("roles/knowledge-broker/index.html", &[], &["../../roles/index.html"]),
        ("guidance/fund-a-facilitator/index.html", &[], &["../../guidance/index.html"]),
        ("stages/identify-priorities/index.html", &["../../stages/identify-priorities/index.html"], &[]),
        ("landscape/index.html", &["../landscape/index.html"], &[]),
    ];
    for (path, expected_current, expected_section) in cases {
        let header = page(path);
        assert_eq!(current(&header), expected_current, "aria-current on {path}");
        assert_eq!(in_section(&header), expected_section, "in-section on {path}");
    }
    // The footer is the same on every page but for the root.
    let footer = |path: &str| {
        let html = std::fs::read_to_string(dir.path().join("public").join(path)).unwrap();
        let start = html.find("<footer class=\"site-footer\">").expect("a site footer");
        html[start..].to_string()
    };
    let entry_footer = footer("roles/knowledge-broker/index.html");
    assert!(entry_footer.contains("href=\"../../catalog.csv\""));
    assert_eq!(footer("index.html"), entry_footer.replace("href=\"../../", "href=\""));
}

#[test]
fn the_landscape_drops_its_glance_table_for_a_large_kind_and_links_a_large_cell_to_its_list() {
    let dir = catalog("base", &[]);
    let content = dir.path().join("content");
    let count = 260;
    for number in 0..count {
        let text = format!(
            "title = \"Role {number:03}\"\nsummary = \"One of many.\"\nstages = [\"generate-knowledge\"]\naudience = [\"cop-lead\"]\n"
        );
        std::fs::write(content.join(format!("roles/role-{number:03}.toml")), text).unwrap();
    }
    // A second kind, with more entries in the stage than a cell lists, after all those roles.
    for number in 0..60 {
        let text = format!(
            "title = \"Guide {number:03}\"\nsummary = \"One of many.\"\nstages = [\"generate-knowledge\"]\n"
        );
        std::fs::write(content.join(format!("guidance/guide-{number:03}.toml")), text).unwrap();
    }
    build(dir.path(), &[]);
    let public = dir.path().join("public");
    let landscape = std::fs::read_to_string(public.join("landscape/index.html")).unwrap();
    assert!(!landscape.contains("id=\"glance-role\""), "no table for {count}+ roles");
    assert!(landscape.contains("id=\"glance-guidance\""), "the small kind keeps its table");
    // The large cells list their first entries, in list order, and link the stage's list
    // where their kind begins; the small ones list every entry.
    let linked: Vec<bool> = (0..count)
        .map(|number| landscape.contains(&format!("href=\"../roles/role-{number:03}/index.html\"")))
        .collect();
    let shown = linked.iter().take_while(|&&linked| linked).count();
    assert!((20..=25).contains(&shown) && !linked[shown..].contains(&true), "{shown} of {count}");
    assert!(landscape.contains("href=\"../roles/priority-setter/index.html\""), "a small cell lists all");
    let all_links: Vec<&str> = landscape
        .split("<p class=\"matrix-all\"><a href=\"../")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect();
    assert_eq!(all_links.len(), 2, "{all_links:?}");
    assert_eq!(all_links[0], "stages/generate-knowledge/index.html#group-role");
    let (page, anchor) = all_links[1].split_once('#').unwrap();
    assert_eq!(anchor, "group-guidance");
    assert!(page.starts_with("stages/generate-knowledge/page/"), "{page}");
    let list = std::fs::read_to_string(public.join(page)).unwrap();
    assert!(list.contains("id=\"group-guidance\""), "{page} has the guidance heading");
    let guidance_cell = &landscape[landscape.find(all_links[1]).unwrap()..];
    let count_at = guidance_cell.find("<span class=\"count\">").unwrap() + "<span class=\"count\">".len();
    let guides: usize =
        guidance_cell[count_at..guidance_cell[count_at..].find('<').unwrap() + count_at].parse().unwrap();
    assert!((60..=62).contains(&guides), "the cell says how many: {guides}");
}

#[test]
fn timings_name_each_stage() {
    let dir = catalog("base", &[]);
    let run = build(dir.path(), &["--quiet", "--timings"]);
    for stage in ["load", "graph", "cards", "lists", "entries", "search", "write"] {
        assert!(run.stderr.contains(&format!("timing: {stage} ")), "no {stage} in {}", run.stderr);
    }
    let quiet = build(dir.path(), &["--quiet"]);
    assert!(!quiet.stderr.contains("timing:"), "{}", quiet.stderr);
}

/// The number in "N files (M unchanged)" of a build's summary line: M, or 0 without it.
fn unchanged(stdout: &str) -> (usize, usize) {
    let line = stdout.lines().find(|line| line.starts_with("built ")).unwrap_or_default();
    let number_before = |word: &str| -> usize {
        let before = &line[..line.find(word).unwrap_or(0)];
        let digits: String = before.trim_end().chars().rev().take_while(char::is_ascii_digit).collect();
        digits.chars().rev().collect::<String>().parse().unwrap_or(0)
    };
    (number_before(" files"), number_before(" unchanged)"))
}

#[test]
fn a_rebuild_says_how_many_files_it_left_as_they_were() {
    let dir = catalog("base", &[]);
    let first = build(dir.path(), &[]);
    let (files, none) = unchanged(&first.stdout);
    assert!(files > 10 && none == 0, "{}", first.stdout);
    let again = build(dir.path(), &[]);
    assert_eq!(unchanged(&again.stdout), (files, files), "{}", again.stdout);
    // A new summary for one entry changes its page, the lists and feeds that show it, and
    // the search index; the rest stays as it was.
    let entry = dir.path().join("content/roles/priority-setter.md");
    let text = std::fs::read_to_string(&entry).unwrap();
    let (head, tail) = text.split_once("summary = \"").unwrap();
    std::fs::write(&entry, format!("{head}summary = \"Newly summarised. {tail}")).unwrap();
    let edited = build(dir.path(), &[]);
    let (total, same) = unchanged(&edited.stdout);
    assert_eq!(total, files, "{}", edited.stdout);
    assert!(same > 0 && same < files, "{}", edited.stdout);
}

/// A rebuild links each page whose inputs have not changed since the previous build (which
/// remembers them in `.public.pages`) instead of rendering it; whatever changed, the site it
/// leaves is the one a build into an empty folder gives.
#[test]
fn a_rebuild_gives_the_site_a_fresh_build_gives() {
    let dir = catalog("base", &[]);
    let root = dir.path();
    let same_as_fresh = |what: &str| {
        let rebuilt = build(root, &[]);
        let _ = std::fs::remove_dir_all(root.join("fresh"));
        build(root, &["--output", "fresh"]);
        let (public, fresh) = (read_tree(&root.join("public")), read_tree(&root.join("fresh")));
        assert_eq!(public.len(), fresh.len(), "{what}");
        for ((path, bytes), (fresh_path, fresh_bytes)) in public.iter().zip(&fresh) {
            assert_eq!(path, fresh_path, "{what}");
            assert!(bytes == fresh_bytes, "{what}: {path} is not what a fresh build writes");
        }
        rebuilt
    };
    build(root, &[]);
    let remembered = std::fs::read_to_string(root.join(".public.pages")).unwrap();
    assert!(
        remembered.lines().any(|line| line.ends_with(" roles/knowledge-broker/index.html")),
        "{remembered}"
    );
    assert!(!remembered.contains("catalog.json"), "only pages and the search index are remembered");
    let (files, unchanged) = self::unchanged(&same_as_fresh("nothing changed").stdout);
    assert_eq!(files, unchanged);

    // An entry's new title is on its page, and in the lists and links of other pages.
    let entry = root.join("content/roles/knowledge-broker.md");
    let text = std::fs::read_to_string(&entry).unwrap();
    std::fs::write(
        &entry,
        text.replacen("title = \"Knowledge broker\"", "title = \"Knowledge go-between\"", 1),
    )
    .unwrap();
    same_as_fresh("a title changed");
    let page = std::fs::read_to_string(root.join("public/roles/knowledge-broker/index.html")).unwrap();
    assert!(page.contains("Knowledge go-between"));

    // A template of the catalog's own replaces the theme's.
    let theme_entry = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/entry.html");
    let template = std::fs::read_to_string(theme_entry).unwrap();
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(
        root.join("templates/entry.html"),
        template.replace("</article>", "<p>Edited.</p>\n</article>"),
    )
    .unwrap();
    same_as_fresh("a template changed");
    let page = std::fs::read_to_string(root.join("public/roles/knowledge-broker/index.html")).unwrap();
    assert!(page.contains("<p>Edited.</p>"));

    // A page changed by hand in the output is rendered again; so is every page when the
    // list of what they were rendered from is gone, or is another site's.
    let page = root.join("public/roles/knowledge-broker/index.html");
    std::fs::write(&page, "changed by hand").unwrap();
    same_as_fresh("a page changed by hand");
    // So is the search index, made once for all entries, when one of its files was changed.
    let remembered = std::fs::read_to_string(root.join(".public.pages")).unwrap();
    assert!(remembered.lines().any(|line| line.ends_with(" search/meta.js")), "{remembered}");
    std::fs::write(root.join("public/search/meta.js"), "changed by hand").unwrap();
    same_as_fresh("a search file changed by hand");
    std::fs::remove_file(root.join(".public.pages")).unwrap();
    same_as_fresh("no list");
    // A page changed by hand to the same length and modification time is only told apart
    // by the list being another site's: here the output's marker was written again.
    let forge = |page: &Path| {
        let (bytes, metadata) = (std::fs::read(page).unwrap(), std::fs::metadata(page).unwrap());
        std::fs::write(page, vec![b'x'; bytes.len()]).unwrap();
        let file = std::fs::File::options().write(true).open(page).unwrap();
        file.set_modified(metadata.modified().unwrap()).unwrap();
    };
    let marker = root.join("public/.copcat-output");
    let text = std::fs::read_to_string(&marker).unwrap();
    std::fs::remove_file(&marker).unwrap();
    std::fs::write(&marker, text).unwrap();
    forge(&page);
    same_as_fresh("another site's list");
}
