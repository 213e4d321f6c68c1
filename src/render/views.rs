//! Typed, serializable views of the catalog for templates (docs/themes.md). Views borrow
//! from the catalog; the ones shared by many pages (cards, stage and term refs) are built
//! once and referenced.

use crate::catalog::{Catalog, EntryId};
use crate::content::Source;
use crate::urls;
use serde::Serialize;

#[derive(Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub language: &'a str,
    pub base_url: &'a str,
    /// Whether the site has a print edition (catalog.toml's `print`).
    pub print: bool,
}

#[derive(Serialize, Clone)]
pub struct StageRef<'a> {
    pub id: &'a str,
    pub number: usize,
    pub name: &'a str,
    pub summary: &'a str,
    pub url: String,
    pub count: usize,
    pub cross_cutting: bool,
}

#[derive(Serialize, Clone)]
pub struct KindRef<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub plural: &'a str,
    pub url: String,
    pub count: usize,
}

#[derive(Serialize, Clone)]
pub struct TermRef<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub url: String,
    pub count: usize,
    pub taxonomy: &'a str,
    pub taxonomy_name: &'a str,
}

#[derive(Serialize, Clone)]
pub struct TaxonomyRef<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub url: String,
    pub terms: Vec<TermRef<'a>>,
}

#[derive(Serialize)]
pub struct PageRef<'a> {
    pub title: &'a str,
    pub url: String,
}

#[derive(Serialize)]
pub struct KindName<'a> {
    pub id: &'a str,
    pub name: &'a str,
}

/// What `card.html` gets as `card` to render an entry's card, once per build.
#[derive(Serialize)]
pub struct CardContent<'a> {
    pub id: &'a str,
    pub kind: KindName<'a>,
    pub title: &'a str,
    pub summary: &'a str,
    pub url: String,
    pub updated: String,
    pub stages: Vec<&'a StageRef<'a>>,
    /// The language of its title and summary when they are not in the page's (an entry
    /// not translated yet); `None` otherwise.
    pub lang: Option<&'a str>,
}

#[derive(Serialize)]
pub struct NavView<'a> {
    pub stages: &'a [StageRef<'a>],
    pub kinds: &'a [KindRef<'a>],
    pub taxonomies: &'a [TaxonomyRef<'a>],
    pub pages: Vec<PageRef<'a>>,
}

#[derive(Serialize)]
pub struct SourceView<'a> {
    pub key: &'a str,
    pub anchor: String,
    pub url: String,
    pub authors: &'a str,
    pub title: &'a str,
    pub container: &'a str,
    pub year: Option<i64>,
    pub volume: &'a str,
    pub issue: &'a str,
    pub pages: &'a str,
    pub publisher: &'a str,
    pub doi: &'a str,
    pub link: Option<String>,
    pub citation_html: String,
    /// The language it is published in, when not the page's (its citation is marked so).
    pub lang: Option<&'a str>,
}

#[derive(Serialize)]
pub struct PaginationView {
    pub number: usize,
    pub count: usize,
    pub prev_url: String,
    pub next_url: String,
    pub pages: Vec<PageLink>,
}

#[derive(Serialize)]
pub struct PageLink {
    pub number: usize,
    pub url: String,
    pub current: bool,
    /// Whether pages are left out before this one (shown as "…").
    pub gap: bool,
}

/// How many pages either side of the current one a pagination links to, besides the
/// first and the last: a list of 500 pages links to 7 of them, not 500 (every page of a
/// list linking to every other made lists quadratic in size and in build time).
const PAGINATION_WINDOW: usize = 2;

impl PaginationView {
    /// `None` when everything fits on one page.
    pub fn new(first_url: &str, number: usize, count: usize) -> Option<PaginationView> {
        if count <= 1 {
            return None;
        }
        let url = |n: usize| urls::paginated(first_url, n);
        Some(PaginationView {
            number,
            count,
            prev_url: if number > 1 { url(number - 1) } else { String::new() },
            next_url: if number < count { url(number + 1) } else { String::new() },
            pages: shown_pages(number, count)
                .into_iter()
                .scan(0, |previous, n| {
                    let gap = n > *previous + 1 && *previous > 0;
                    *previous = n;
                    Some(PageLink { number: n, url: url(n), current: n == number, gap })
                })
                .collect(),
        })
    }
}

/// The page numbers a pagination links to: the first, the last, and those within
/// `PAGINATION_WINDOW` of `number`; a gap of a single page is filled rather than shown
/// as "…".
fn shown_pages(number: usize, count: usize) -> Vec<usize> {
    let near = |n: usize| n.abs_diff(number) <= PAGINATION_WINDOW;
    let mut shown: Vec<usize> = (1..=count).filter(|&n| n == 1 || n == count || near(n)).collect();
    let mut filled = Vec::with_capacity(shown.len() + 2);
    for n in shown.drain(..) {
        if let Some(&last) = filled.last()
            && n == last + 2
        {
            filled.push(last + 1);
        }
        filled.push(n);
    }
    filled
}

/// The views of the catalog that many pages share (site, stages, kinds, taxonomies,
/// sources), built once per build.
pub struct CatalogViews<'a> {
    pub site: SiteView<'a>,
    pub stages: Vec<StageRef<'a>>,
    pub kinds: Vec<KindRef<'a>>,
    pub taxonomies: Vec<TaxonomyRef<'a>>,
    pub sources: Vec<SourceView<'a>>,
    pub catalog: &'a Catalog,
}

impl<'a> CatalogViews<'a> {
    pub fn new(catalog: &'a Catalog) -> CatalogViews<'a> {
        let config = &catalog.config;
        let stages: Vec<StageRef> = config
            .stages
            .iter()
            .enumerate()
            .map(|(index, stage)| StageRef {
                id: &stage.id,
                number: index + 1,
                name: &stage.name,
                summary: &stage.summary,
                url: urls::stage(catalog, index),
                count: catalog.by_stage[index].len(),
                cross_cutting: stage.cross_cutting,
            })
            .collect();
        let kinds = config
            .kinds
            .iter()
            .enumerate()
            .map(|(index, kind)| KindRef {
                id: &kind.id,
                name: &kind.name,
                plural: &kind.plural,
                url: urls::kind(catalog, index),
                count: catalog.by_kind[index].len(),
            })
            .collect();
        let taxonomies = config
            .taxonomies
            .iter()
            .enumerate()
            .map(|(t, taxonomy)| TaxonomyRef {
                id: &taxonomy.id,
                name: &taxonomy.name,
                url: urls::taxonomy(catalog, t),
                terms: taxonomy
                    .terms
                    .iter()
                    .enumerate()
                    .map(|(i, term)| TermRef {
                        id: &term.id,
                        name: &term.name,
                        url: urls::term(catalog, t, i),
                        count: catalog.by_term[t][i].len(),
                        taxonomy: &taxonomy.id,
                        taxonomy_name: &taxonomy.name,
                    })
                    .collect(),
            })
            .collect();
        let mut views = CatalogViews {
            site: SiteView {
                title: &config.title,
                description: &config.description,
                language: &config.language,
                base_url: &config.base_url,
                print: config.print,
            },
            stages,
            kinds,
            taxonomies,
            sources: catalog
                .sources
                .values()
                .map(|source| source_view(source, &config.languages[0].code, &config.language))
                .collect(),
            catalog,
        };
        views.sources.sort_by(|a, b| (a.authors, a.year, a.key).cmp(&(b.authors, b.year, b.key)));
        views
    }

    /// What `card.html` shows of entry `index`.
    pub fn card_content(&self, index: EntryId) -> CardContent<'_> {
        let entry = &self.catalog.entries[index];
        let kind = &self.catalog.config.kinds[entry.kind().unwrap_or(0)];
        CardContent {
            id: &entry.id,
            kind: KindName { id: &kind.id, name: &kind.name },
            title: &entry.title,
            summary: &entry.summary,
            url: urls::entry(self.catalog, index),
            updated: entry.updated.map(|date| date.to_string()).unwrap_or_default(),
            stages: sorted(&entry.stages).into_iter().map(|stage| &self.stages[stage]).collect(),
            lang: entry.text_language.as_deref(),
        }
    }

    pub fn nav(&'a self) -> NavView<'a> {
        NavView {
            stages: &self.stages,
            kinds: &self.kinds,
            taxonomies: &self.taxonomies,
            pages: (0..self.catalog.pages.len())
                .map(|index| PageRef {
                    title: &self.catalog.pages[index].title,
                    url: urls::page(self.catalog, index),
                })
                .collect(),
        }
    }

    pub fn source(&self, key: &str) -> Option<&SourceView<'a>> {
        self.sources.iter().find(|source| source.key == key)
    }
}

/// Stage indices in cycle order.
pub fn sorted(stages: &[usize]) -> Vec<usize> {
    let mut sorted = stages.to_vec();
    sorted.sort_unstable();
    sorted
}

/// An entry in a list: the fields simple lists need, and its card, rendered once by
/// `card.html` and pasted into every list that shows it.
#[derive(Serialize)]
pub struct EntryCard<'a> {
    pub id: &'a str,
    pub kind: KindName<'a>,
    pub title: &'a str,
    pub url: &'a str,
    pub updated: &'a str,
    pub html: &'a str,
}

/// An entry in a list of plain links (landscape, A–Z, sources): a card without its HTML,
/// so that long lists stay light.
#[derive(Serialize)]
pub struct EntryLink<'a> {
    pub id: &'a str,
    pub kind: KindName<'a>,
    pub title: &'a str,
    pub url: &'a str,
    pub updated: &'a str,
    /// The language of the title when not the page's (an entry not translated yet).
    pub lang: Option<&'a str>,
}

/// A source as pages in `language` show it; a source that does not say its own language
/// is taken to be in the catalog's (`original`).
fn source_view<'a>(source: &'a Source, original: &'a str, language: &str) -> SourceView<'a> {
    let own = if source.language.is_empty() { original } else { source.language.as_str() };
    SourceView {
        lang: (own != language).then_some(own),
        key: &source.key,
        anchor: urls::source_anchor(&source.key),
        url: urls::source(&source.key),
        authors: &source.authors,
        title: &source.title,
        container: &source.container,
        year: source.year,
        volume: &source.volume,
        issue: &source.issue,
        pages: &source.pages,
        publisher: &source.publisher,
        doi: &source.doi,
        link: source.link(),
        citation_html: citation_html(source),
    }
}

/// Escapes text for HTML (text and attribute values): `&`, `<`, `>`, `"` and `'`.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut plain_from = 0;
    for (index, byte) in text.bytes().enumerate() {
        let replacement = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[plain_from..index]);
        out.push_str(replacement);
        plain_from = index + 1;
    }
    out.push_str(&text[plain_from..]);
    out
}

/// A reference in an author–year style: `Authors (Year). Title. <em>Container</em>,
/// volume(issue), pages. Publisher. <a>link</a>`.
pub fn citation_html(source: &Source) -> String {
    let mut parts = Vec::new();
    let mut lead = escape(source.authors.trim_end_matches('.'));
    if let Some(year) = source.year {
        lead = if lead.is_empty() { format!("({year})") } else { format!("{lead} ({year})") };
    }
    if !lead.is_empty() {
        parts.push(format!("{lead}."));
    }
    parts.push(format!("{}.", escape(source.title.trim_end_matches('.'))));
    if !source.container.is_empty() {
        let mut container = format!("<em>{}</em>", escape(&source.container));
        if !source.volume.is_empty() {
            container.push_str(&format!(", {}", escape(&source.volume)));
            if !source.issue.is_empty() {
                container.push_str(&format!("({})", escape(&source.issue)));
            }
        }
        if !source.pages.is_empty() {
            container.push_str(&format!(", {}", escape(&source.pages)));
        }
        parts.push(format!("{container}."));
    }
    if !source.publisher.is_empty() {
        parts.push(format!("{}.", escape(source.publisher.trim_end_matches('.'))));
    }
    if let Some(link) = source.link() {
        let shown =
            if source.doi.is_empty() { link.clone() } else { format!("https://doi.org/{}", source.doi) };
        parts.push(format!("<a href=\"{}\">{}</a>", escape(&link), escape(&shown)));
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        let cases = [
            ("", ""),
            ("plain é", "plain é"),
            ("<a href=\"x\">'&'</a>", "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"),
        ];
        for (text, expected) in cases {
            assert_eq!(escape(text), expected);
        }
    }

    #[test]
    fn citations_are_formatted_and_escaped() {
        let source = Source {
            key: "a".into(),
            authors: "Brooks SP, Storey K".into(),
            title: "How <to> & why".into(),
            container: "Learning Health Systems".into(),
            year: Some(2024),
            volume: "8".into(),
            issue: "3".into(),
            doi: "10.1002/lrh2.10412".into(),
            ..Source::default()
        };
        assert_eq!(
            citation_html(&source),
            "Brooks SP, Storey K (2024). How &lt;to&gt; &amp; why. <em>Learning Health Systems</em>, 8(3). \
             <a href=\"https://doi.org/10.1002/lrh2.10412\">https://doi.org/10.1002/lrh2.10412</a>"
        );
    }

    #[test]
    fn pagination_links_a_window_of_pages_with_gaps() {
        let numbers = |number, count| shown_pages(number, count);
        assert_eq!(numbers(1, 5), [1, 2, 3, 4, 5]);
        assert_eq!(numbers(4, 7), [1, 2, 3, 4, 5, 6, 7]);
        assert_eq!(numbers(1, 7), [1, 2, 3, 7]);
        assert_eq!(numbers(1, 500), [1, 2, 3, 500]);
        assert_eq!(numbers(250, 500), [1, 248, 249, 250, 251, 252, 500]);
        // A gap of one page is the page itself.
        assert_eq!(numbers(5, 10), [1, 2, 3, 4, 5, 6, 7, 10]);
        assert_eq!(numbers(500, 500), [1, 498, 499, 500]);
        let view = PaginationView::new("stages/a/index.html", 250, 500).unwrap();
        let gaps: Vec<usize> = view.pages.iter().filter(|page| page.gap).map(|page| page.number).collect();
        assert_eq!(gaps, [248, 500]);
        assert_eq!(view.pages.iter().filter(|page| page.current).count(), 1);
    }

    #[test]
    fn pagination_links_neighbours() {
        assert!(PaginationView::new("stages/a/index.html", 1, 1).is_none());
        let view = PaginationView::new("stages/a/index.html", 2, 3).unwrap();
        assert_eq!(view.prev_url, "stages/a/index.html");
        assert_eq!(view.next_url, "stages/a/page/3/index.html");
        assert!(view.pages[1].current);
    }
}
