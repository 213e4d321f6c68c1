//! The page chrome: the site's header and footer, the same on every page but for which nav
//! item is current, so rendered once per nav state (with `ROOT_MARK` for `root`) and pasted
//! into every page, each page then filling in its own root.

use super::theme::{Theme, template_diagnostic};
use super::views::CatalogViews;
use crate::diagnostic::Diagnostic;
use crate::urls;
use std::collections::{HashMap, HashSet};
use tera::Context;

/// Stands for `root` in fragments rendered once and pasted into pages at any depth; each
/// page replaces it with its own root. (A private-use character, which HTML escaping
/// leaves alone and no editor types.)
pub const ROOT_MARK: &str = "\u{E000}root\u{E000}";

/// Replaces each `ROOT_MARK` in `html` with `root`: in place when `root` is no longer than
/// the mark (every page but deep list pages), so a page is not copied once more. Works on
/// bytes: whole marks are swapped for a whole string, so UTF-8 stays UTF-8 without being
/// checked again.
pub fn fill_root(mut html: Vec<u8>, root: &str) -> Vec<u8> {
    let marks: Vec<usize> = memchr::memmem::find_iter(&html, ROOT_MARK.as_bytes()).collect();
    if marks.is_empty() {
        return html;
    }
    let root = root.as_bytes();
    if root.len() > ROOT_MARK.len() {
        let mut filled = Vec::with_capacity(html.len() + marks.len() * (root.len() - ROOT_MARK.len()));
        let mut from = 0;
        for &at in &marks {
            filled.extend_from_slice(&html[from..at]);
            filled.extend_from_slice(root);
            from = at + ROOT_MARK.len();
        }
        filled.extend_from_slice(&html[from..]);
        return filled;
    }
    let mut write = marks[0];
    for (number, &at) in marks.iter().enumerate() {
        html[write..write + root.len()].copy_from_slice(root);
        write += root.len();
        let (from, to) = (at + ROOT_MARK.len(), marks.get(number + 1).copied().unwrap_or(html.len()));
        html.copy_within(from..to, write);
        write += to - from;
    }
    html.truncate(write);
    html
}

/// The header for each nav state and the footer, rendered.
pub struct Chrome {
    /// Kind indexes' URLs with the folder each stands for (`roles/index.html`, `roles/`).
    sections: Vec<(String, String)>,
    /// Headers by (`current`, `section`): the URL of the nav item the page is, and of the
    /// kind index whose folder it is in (each `""` when none).
    headers: HashMap<(String, String), String>,
    pub footer: String,
}

impl Chrome {
    /// Renders the footer and the header of every nav state a page can be in: a nav item
    /// (home, a stage, a kind's index, landscape, sources, a free page), a page in a kind's
    /// folder, or any other page. `base` holds `site` and `nav`.
    pub fn new(theme: &Theme, views: &CatalogViews, base: &Context) -> (Chrome, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        let nav = views.nav();
        let mut nav_urls: HashSet<String> = [urls::HOME, urls::LANDSCAPE, urls::SOURCES]
            .into_iter()
            .map(String::from)
            .chain(nav.stages.iter().map(|stage| stage.url.clone()))
            .chain(nav.kinds.iter().map(|kind| kind.url.clone()))
            .collect();
        nav_urls.extend(nav.pages.into_iter().map(|page| page.url));
        let sections: Vec<(String, String)> = views
            .kinds
            .iter()
            .map(|kind| (kind.url.clone(), kind.url.trim_end_matches("index.html").to_string()))
            .collect();
        let mut states: Vec<(String, String)> = vec![(String::new(), String::new())];
        states.extend(nav_urls.into_iter().map(|url| (url, String::new())));
        states.extend(sections.iter().map(|(index, _)| (String::new(), index.clone())));
        let mut headers = HashMap::new();
        for (current, section) in states {
            let mut extra = Context::new();
            extra.insert("current", &current);
            extra.insert("section", &section);
            let header = partial(theme, base, "header.html", &extra, &mut diagnostics);
            headers.insert((current, section), header);
        }
        let footer = partial(theme, base, "footer.html", &Context::new(), &mut diagnostics);
        (Chrome { sections, headers, footer }, diagnostics)
    }

    /// The header for the page at `url`.
    pub fn header(&self, url: &str) -> &str {
        let section = self
            .sections
            .iter()
            .find(|(index, folder)| url != index && url.starts_with(folder.as_str()))
            .map_or("", |(index, _)| index.as_str());
        let as_nav_item = self.headers.get(&(url.to_string(), section.to_string()));
        let as_other = || self.headers.get(&(String::new(), section.to_string()));
        as_nav_item.or_else(as_other).map_or("", String::as_str)
    }
}

/// Renders an optional partial (`header.html`, `footer.html`) with `base` (`site`, `nav`),
/// `root` and `extra`; empty if the theme has none.
fn partial(
    theme: &Theme,
    base: &Context,
    name: &str,
    extra: &Context,
    diagnostics: &mut Vec<Diagnostic>,
) -> String {
    if !theme.tera.get_template_names().any(|known| known == name) {
        return String::new();
    }
    let mut context = base.clone();
    context.insert("root", ROOT_MARK);
    context.extend(extra.clone());
    theme.tera.render(name, &context).unwrap_or_else(|error| {
        diagnostics.push(template_diagnostic(&error, &theme.origins));
        String::new()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_fill_marks_and_nothing_else() {
        let fill = |html: String, root: &str| String::from_utf8(fill_root(html.into_bytes(), root)).unwrap();
        let marked = format!("<a href=\"{ROOT_MARK}x/index.html\">\u{E000}</a>{ROOT_MARK}");
        assert_eq!(fill(marked, "../../"), "<a href=\"../../x/index.html\">\u{E000}</a>../../");
        assert_eq!(fill("plain".to_string(), "../"), "plain");
        // Shorter, equal and longer than the mark; the home page's empty root.
        let marked = format!("{ROOT_MARK}a é {ROOT_MARK}{ROOT_MARK}b");
        for root in ["", "../", "x".repeat(ROOT_MARK.len()).as_str(), "../../../../../"] {
            assert_eq!(fill(marked.clone(), root), format!("{root}a é {root}{root}b"), "{root:?}");
        }
    }
}
