//! Where each page lives. URLs here are relative to the site root and name the
//! `index.html` file, so that links work from `file://` as well as on any host.

use crate::catalog::{Catalog, EntryId};
use crate::url_policy::{self, Allowed};

pub const HOME: &str = "index.html";
pub const LANDSCAPE: &str = "landscape/index.html";
pub const SOURCES: &str = "sources/index.html";
pub const SEARCH: &str = "search/index.html";
pub const NOT_FOUND: &str = "404.html";
/// The print edition (spec §11): the whole catalog as one document, or the list of the
/// stages' documents.
pub const PRINT: &str = "print/index.html";

pub fn entry(catalog: &Catalog, index: EntryId) -> String {
    let entry = &catalog.entries[index];
    format!("{}/{}/index.html", entry.dir, entry.slug)
}

pub fn page(catalog: &Catalog, index: usize) -> String {
    let page = &catalog.pages[index];
    format!("{}/{}/index.html", page.dir, page.slug)
}

pub fn stage(catalog: &Catalog, stage: usize) -> String {
    format!("stages/{}/index.html", catalog.config.stages[stage].id)
}

/// A stage's print document.
pub fn print_stage(catalog: &Catalog, stage: usize) -> String {
    format!("print/{}/index.html", catalog.config.stages[stage].id)
}

pub fn kind(catalog: &Catalog, kind: usize) -> String {
    format!("{}/index.html", catalog.config.kinds[kind].dir)
}

pub fn taxonomy(catalog: &Catalog, taxonomy: usize) -> String {
    format!("{}/index.html", catalog.config.taxonomies[taxonomy].id)
}

pub fn term(catalog: &Catalog, taxonomy: usize, term: usize) -> String {
    let taxonomy = &catalog.config.taxonomies[taxonomy];
    format!("{}/{}/index.html", taxonomy.id, taxonomy.terms[term].id)
}

pub fn source(key: &str) -> String {
    format!("{SOURCES}#{}", source_anchor(key))
}

pub fn source_anchor(key: &str) -> String {
    format!("source-{key}")
}

/// Page `number` (1-based) of a paginated list whose first page is `first`.
pub fn paginated(first: &str, number: usize) -> String {
    if number <= 1 {
        first.to_string()
    } else {
        format!("{}page/{number}/index.html", first.trim_end_matches("index.html"))
    }
}

/// The prefix that leads from the page at `url` back to the root (`""`, `"../"`, …).
pub fn root_from(url: &str) -> String {
    "../".repeat(url.matches('/').count())
}

/// The shortest relative URL from the page at `from` to `to` (both relative to the root, as
/// above; `to` may end with a `#fragment`): the fragment alone when `to` is on the page
/// itself, else a path from `from`'s folder (`2/index.html#x`, `../../other/index.html#x`).
/// A path whose first segment holds a `:` would read as a scheme, so it starts with `./`:
/// the result always passes the URL policy as a relative path or a fragment.
pub fn relative(from: &str, to: &str) -> String {
    let (path, fragment) = match to.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment)),
        None => (to, None),
    };
    if let Some(fragment) = fragment
        && path == from
    {
        return format!("#{fragment}");
    }
    let folders: Vec<&str> = from.split('/').collect();
    let folders = &folders[..folders.len() - 1];
    let target: Vec<&str> = path.split('/').collect();
    let common = folders.iter().zip(&target[..target.len() - 1]).take_while(|(a, b)| a == b).count();
    let mut relative = "../".repeat(folders.len() - common);
    relative.push_str(&target[common..].join("/"));
    if url_policy::check(&relative) != Ok(Allowed::Relative) {
        relative.insert_str(0, "./");
    }
    if let Some(fragment) = fragment {
        relative.push('#');
        relative.push_str(fragment);
    }
    relative
}

/// The pretty absolute URL of a page (`base_url` + path without `index.html`).
pub fn absolute(base_url: &str, url: &str) -> String {
    format!("{base_url}{}", url.strip_suffix("index.html").unwrap_or(url))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_and_pages() {
        assert_eq!(root_from("index.html"), "");
        assert_eq!(root_from("roles/a/index.html"), "../../");
        assert_eq!(root_from("stages/x/page/2/index.html"), "../../../../");
        assert_eq!(paginated("stages/x/index.html", 1), "stages/x/index.html");
        assert_eq!(paginated("stages/x/index.html", 3), "stages/x/page/3/index.html");
        assert_eq!(absolute("https://a.org/sub/", "roles/a/index.html"), "https://a.org/sub/roles/a/");
        assert_eq!(absolute("/", "index.html"), "/");
    }

    #[test]
    fn relative_urls_are_the_shortest_that_lead_there() {
        let cases = [
            ("print/a/index.html", "print/a/index.html#x", "#x"),
            ("print/a/index.html", "print/a/2/index.html#x", "2/index.html#x"),
            ("print/a/2/index.html", "print/a/index.html#x", "../index.html#x"),
            ("print/a/2/index.html", "print/a/3/index.html#x", "../3/index.html#x"),
            ("print/a/2/index.html", "print/b/index.html#x", "../../b/index.html#x"),
            ("print/a/index.html", "print/b/4/index.html", "../b/4/index.html"),
            ("print/index.html", "print/a/index.html", "a/index.html"),
            ("print/a/2/index.html", "roles/r/index.html", "../../../roles/r/index.html"),
            ("index.html", "roles/r/index.html#x", "roles/r/index.html#x"),
            ("print/a/index.html", "print/a/index.html", "index.html"),
            ("print/index.html", "print/a:b/index.html", "./a:b/index.html"),
        ];
        for (from, to, expected) in cases {
            assert_eq!(relative(from, to), expected, "{from} -> {to}");
            let allowed = url_policy::check(expected);
            assert!(matches!(allowed, Ok(Allowed::Relative | Allowed::Fragment)), "{expected}: {allowed:?}");
        }
    }
}
