//! Where each page lives. URLs here are relative to the site root and name the
//! `index.html` file, so that links work from `file://` as well as on any host.

use crate::catalog::{Catalog, EntryId};

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
}
