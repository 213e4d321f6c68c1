//! Every HTML page of the site: which pages exist (the plan), and rendering each with its
//! template and view.

use super::markdown::{self, Heading};
use super::theme::{Theme, template_diagnostic};
use super::views::{
    CardView, EntryLink, KindName, KindRef, PaginationView, Shared, SourceView, StageRef, TaxonomyRef,
    TermRef,
};
use super::{PageLinks, cycle, urls};
use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::output::{OutputFile, Sink};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use tera::Context;

/// A page other than an entry page.
#[derive(Debug, Clone)]
enum Job {
    Home,
    /// Stage index, page number (1-based), the entries on this page.
    Stage(usize, usize, Vec<usize>),
    Taxonomy(usize),
    Term(usize, usize, usize, Vec<usize>),
    Kind(usize, usize, Vec<usize>),
    Page(usize),
    Landscape,
    Sources,
    Search,
    NotFound,
}

/// What a planned page shows, so that `serve` can tell which pages an edit touches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shows {
    /// The cards of these entries (one page of a stage, term or kind list).
    Entries(Vec<usize>),
    /// Something of every entry (home, landscape, sources, search).
    Everything,
    /// The free page at this index of `Catalog::pages`.
    Page(usize),
    /// Only what every page shows (a taxonomy's index, 404).
    Common,
}

impl Job {
    fn shows(&self) -> Shows {
        match self {
            Job::Stage(_, _, chunk) | Job::Term(_, _, _, chunk) | Job::Kind(_, _, chunk) => {
                Shows::Entries(chunk.clone())
            }
            Job::Home | Job::Landscape | Job::Sources | Job::Search => Shows::Everything,
            Job::Page(index) => Shows::Page(*index),
            Job::Taxonomy(_) | Job::NotFound => Shows::Common,
        }
    }
}

struct Planned {
    job: Job,
    url: String,
    lastmod: Option<String>,
}

pub struct Renderer<'a> {
    theme: &'a Theme,
    shared: &'a Shared<'a>,
    /// What every page's context starts from: `site` and `nav`, then `site_footer` once
    /// the chrome is rendered (cloned per page, not serialized again).
    base: Context,
    plan: Vec<Planned>,
    /// Per entry: its card, rendered once by `card.html` with `ROOT_MARK` for `root`.
    cards: Vec<Card>,
    chrome: Chrome,
    diagnostics: Mutex<Vec<Diagnostic>>,
}

/// The site's header and footer, the same on every page but for which nav item is
/// current: rendered once (per nav state, for the header) with `ROOT_MARK` for `root`, and
/// handed to every page as `site_header` and `site_footer`.
#[derive(Default)]
struct Chrome {
    /// The URLs of the nav's items (the pages a header can mark as current).
    nav_urls: HashSet<String>,
    /// Kind indexes' URLs with the folder each stands for (`roles/index.html`, `roles/`).
    sections: Vec<(String, String)>,
    /// Headers by (`current`, `section`).
    headers: Mutex<HashMap<(String, String), Arc<str>>>,
    footer: String,
}

/// Every entry's rendered card, handed from one renderer to the next (`serve`).
pub struct Cards(Vec<Card>);

/// An entry's rendered card and the strings lists borrow.
struct Card {
    url: String,
    updated: String,
    html: String,
}

/// Stands for `root` in fragments rendered once and pasted into pages at any depth; each
/// page replaces it with its own root. (A private-use character, which HTML escaping
/// leaves alone and no editor types.)
const ROOT_MARK: &str = "\u{E000}root\u{E000}";

/// Replaces each `ROOT_MARK` in `html` with `root`: in place when `root` is no longer than
/// the mark (every page but deep list pages), so a page is not copied once more. Works on
/// bytes: whole marks are swapped for a whole string, so UTF-8 stays UTF-8 without being
/// checked again.
fn fill_root(mut html: Vec<u8>, root: &str) -> Vec<u8> {
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

/// Splits `items` into pages of `size`, numbered from 1.
fn paginate(items: &[usize], size: usize) -> Vec<(usize, usize, Vec<usize>)> {
    let chunks: Vec<&[usize]> =
        if items.is_empty() { vec![&[][..]] } else { items.chunks(size.max(1)).collect() };
    let count = chunks.len();
    chunks.into_iter().enumerate().map(|(i, chunk)| (i + 1, count, chunk.to_vec())).collect()
}

#[derive(Serialize)]
struct Group<'a> {
    kind: &'a KindRef<'a>,
    entries: Vec<CardView<'a>>,
}

#[derive(Serialize)]
struct EntryTaxonomy<'a> {
    id: &'a str,
    name: &'a str,
    url: &'a str,
    terms: Vec<&'a TermRef<'a>>,
}

#[derive(Serialize)]
struct EntryView<'a> {
    id: &'a str,
    kind: &'a KindRef<'a>,
    title: &'a str,
    summary: &'a str,
    url: String,
    body_html: String,
    headings: &'a [Heading],
    stages: Vec<&'a StageRef<'a>>,
    taxonomies: Vec<EntryTaxonomy<'a>>,
    related: Vec<CardView<'a>>,
    computed_related: Vec<CardView<'a>>,
    backlinks: Vec<CardView<'a>>,
    references: Vec<&'a SourceView<'a>>,
    updated: String,
    reviewed: String,
}

#[derive(Serialize)]
struct PageView<'a> {
    title: &'a str,
    summary: &'a str,
    body_html: String,
    url: String,
    updated: String,
    headings: &'a [Heading],
}

/// An entry on the landscape: only what a link needs, since the landscape names every
/// entry once per stage and once in its table (tens of thousands of values at 10,000
/// entries, each a map in Tera).
#[derive(Serialize)]
struct PlainLink<'a> {
    title: &'a str,
    url: &'a str,
}

#[derive(Serialize)]
struct LandscapeCell<'a> {
    stage: &'a StageRef<'a>,
    entries: Vec<PlainLink<'a>>,
}

/// The most entries a kind can have for the landscape to show its "at a glance" table: a
/// table of thousands of rows is no glance, and it would double a large catalog's
/// landscape page (the matrix above it still links every entry).
pub const GLANCE_LIMIT: usize = 250;

#[derive(Serialize)]
struct LandscapeRow<'a> {
    title: &'a str,
    url: &'a str,
    in_stage: Vec<bool>,
}

#[derive(Serialize)]
struct LandscapeKind<'a> {
    kind: &'a KindRef<'a>,
    cells: Vec<LandscapeCell<'a>>,
    rows: Vec<LandscapeRow<'a>>,
}

#[derive(Serialize)]
struct LandscapeView<'a> {
    stages: &'a [StageRef<'a>],
    kinds: Vec<LandscapeKind<'a>>,
}

#[derive(Serialize)]
struct SourceWithEntries<'a> {
    #[serde(flatten)]
    source: &'a SourceView<'a>,
    entries: Vec<EntryLink<'a>>,
}

impl<'a> Renderer<'a> {
    pub fn new(theme: &'a Theme, shared: &'a Shared<'a>) -> Renderer<'a> {
        let mut renderer = Renderer::without_cards(theme, shared, Vec::new());
        renderer.cards =
            (0..shared.catalog.entries.len()).into_par_iter().map(|index| renderer.card(index)).collect();
        renderer
    }

    /// Like `new`, but takes the cards of a renderer of the same catalog before an edit
    /// that left the shared views as they were, and renders again only those of `changed`.
    pub fn reusing(
        theme: &'a Theme,
        shared: &'a Shared<'a>,
        cards: Cards,
        changed: &[usize],
    ) -> Renderer<'a> {
        let mut renderer = Renderer::without_cards(theme, shared, cards.0);
        for &index in changed {
            renderer.cards[index] = renderer.card(index);
        }
        renderer
    }

    /// A renderer with its plan and shared values, holding `cards` as they are.
    fn without_cards(theme: &'a Theme, shared: &'a Shared<'a>, cards: Vec<Card>) -> Renderer<'a> {
        let mut base = Context::new();
        base.insert("site", &shared.site);
        base.insert("nav", &shared.nav());
        let mut renderer = Renderer {
            theme,
            shared,
            base,
            plan: Vec::new(),
            cards,
            chrome: Chrome::default(),
            diagnostics: Mutex::new(Vec::new()),
        };
        renderer.plan = renderer.plan_pages();
        renderer.chrome = renderer.chrome();
        renderer.base.insert("site_footer", &renderer.chrome.footer);
        renderer
    }

    fn chrome(&self) -> Chrome {
        let nav = self.shared.nav();
        let mut nav_urls: HashSet<String> = [urls::HOME, urls::LANDSCAPE, urls::SOURCES]
            .into_iter()
            .map(String::from)
            .chain(nav.stages.iter().map(|stage| stage.url.clone()))
            .chain(nav.kinds.iter().map(|kind| kind.url.clone()))
            .collect();
        nav_urls.extend(nav.pages.into_iter().map(|page| page.url));
        let sections = self
            .shared
            .kinds
            .iter()
            .map(|kind| (kind.url.clone(), kind.url.trim_end_matches("index.html").to_string()))
            .collect();
        let footer = self.partial("footer.html", &Context::new());
        Chrome { nav_urls, sections, headers: Mutex::default(), footer }
    }

    /// Renders an optional partial (`header.html`, `footer.html`) with `site`, `nav` and
    /// `root` besides `extra`; empty if the theme has none.
    fn partial(&self, name: &str, extra: &Context) -> String {
        if !self.theme.tera.get_template_names().any(|known| known == name) {
            return String::new();
        }
        let mut context = self.base.clone();
        context.remove("site_footer");
        context.insert("root", ROOT_MARK);
        context.extend(extra.clone());
        self.theme.tera.render(name, &context).unwrap_or_else(|error| {
            self.report(&error);
            String::new()
        })
    }

    /// The header for the page at `url`, rendered on first use of its nav state.
    fn header(&self, url: &str) -> Arc<str> {
        let chrome = &self.chrome;
        let current = if chrome.nav_urls.contains(url) { url } else { "" };
        let section = chrome
            .sections
            .iter()
            .find(|(index, folder)| url != index && url.starts_with(folder.as_str()))
            .map_or("", |(index, _)| index.as_str());
        let key = (current.to_string(), section.to_string());
        if let Some(header) = chrome.headers.lock().ok().and_then(|headers| headers.get(&key).cloned()) {
            return header;
        }
        let mut extra = Context::new();
        extra.insert("current", current);
        extra.insert("section", section);
        let header: Arc<str> = self.partial("header.html", &extra).into();
        if let Ok(mut headers) = chrome.headers.lock() {
            headers.insert(key, Arc::clone(&header));
        }
        header
    }

    /// The rendered cards, for `reusing`.
    pub fn into_cards(self) -> Cards {
        Cards(self.cards)
    }

    fn card(&self, index: usize) -> Card {
        let card = self.shared.card(index);
        let mut context = Context::new();
        context.insert("root", ROOT_MARK);
        context.insert("card", &card);
        let html = match self.theme.tera.render("card.html", &context) {
            Ok(html) => html,
            Err(error) => {
                self.report(&error);
                String::new()
            }
        };
        Card { url: card.url, updated: card.updated, html }
    }

    fn report(&self, error: &tera::Error) {
        if let Ok(mut diagnostics) = self.diagnostics.lock() {
            diagnostics.push(template_diagnostic(error, &self.theme.origins));
        }
    }

    fn card_view(&self, index: usize) -> CardView<'_> {
        let shared = self.shared;
        let entry = &shared.catalog.entries[index];
        let kind = &shared.kinds[entry.kind().unwrap_or(0)];
        let card = &self.cards[index];
        CardView {
            id: &entry.id,
            kind: KindName { id: kind.id, name: kind.name },
            title: &entry.title,
            url: &card.url,
            updated: &card.updated,
            html: &card.html,
        }
    }

    fn cards_of(&self, indices: &[usize]) -> Vec<CardView<'_>> {
        indices.iter().map(|&index| self.card_view(index)).collect()
    }

    fn link(&self, index: usize) -> EntryLink<'_> {
        let card = self.card_view(index);
        EntryLink { id: card.id, kind: card.kind, title: card.title, url: card.url, updated: card.updated }
    }

    fn links_of(&self, indices: &[usize]) -> Vec<EntryLink<'_>> {
        indices.iter().map(|&index| self.link(index)).collect()
    }

    pub fn take_diagnostics(&self) -> Vec<Diagnostic> {
        self.diagnostics.lock().map(|mut list| std::mem::take(&mut *list)).unwrap_or_default()
    }

    fn newest(&self, indices: &[usize]) -> Option<String> {
        let entries = &self.shared.catalog.entries;
        indices.iter().filter_map(|&index| entries[index].updated).max().map(|date| date.to_string())
    }

    fn plan_pages(&self) -> Vec<Planned> {
        let catalog = self.shared.catalog;
        let size = catalog.config.list_page_size;
        let everything = self.newest(&catalog.ordered);
        let mut plan =
            vec![Planned { job: Job::Home, url: urls::HOME.to_string(), lastmod: everything.clone() }];
        for (stage, list) in catalog.by_stage.iter().enumerate() {
            // Grouped by kind on every page: order by kind first, keeping list order within.
            let mut sorted = list.clone();
            sorted.sort_by_key(|&index| catalog.entries[index].kind());
            for (number, _, chunk) in paginate(&sorted, size) {
                let url = urls::paginated(&urls::stage(catalog, stage), number);
                plan.push(Planned {
                    lastmod: self.newest(&chunk),
                    job: Job::Stage(stage, number, chunk),
                    url,
                });
            }
        }
        for (taxonomy, terms) in catalog.by_term.iter().enumerate() {
            plan.push(Planned {
                job: Job::Taxonomy(taxonomy),
                url: urls::taxonomy(catalog, taxonomy),
                lastmod: None,
            });
            for (term, list) in terms.iter().enumerate() {
                let mut sorted = list.clone();
                sorted.sort_by_key(|&index| catalog.entries[index].kind());
                for (number, _, chunk) in paginate(&sorted, size) {
                    let url = urls::paginated(&urls::term(catalog, taxonomy, term), number);
                    plan.push(Planned {
                        lastmod: self.newest(&chunk),
                        job: Job::Term(taxonomy, term, number, chunk),
                        url,
                    });
                }
            }
        }
        for (kind, list) in catalog.by_kind.iter().enumerate() {
            for (number, _, chunk) in paginate(list, size) {
                let url = urls::paginated(&urls::kind(catalog, kind), number);
                plan.push(Planned { lastmod: self.newest(&chunk), job: Job::Kind(kind, number, chunk), url });
            }
        }
        for (index, page) in catalog.pages.iter().enumerate() {
            plan.push(Planned {
                job: Job::Page(index),
                url: urls::page(catalog, index),
                lastmod: page.updated.map(|date| date.to_string()),
            });
        }
        plan.push(Planned {
            job: Job::Landscape,
            url: urls::LANDSCAPE.to_string(),
            lastmod: everything.clone(),
        });
        plan.push(Planned { job: Job::Sources, url: urls::SOURCES.to_string(), lastmod: everything.clone() });
        plan.push(Planned { job: Job::Search, url: urls::SEARCH.to_string(), lastmod: everything });
        plan.push(Planned { job: Job::NotFound, url: "404.html".to_string(), lastmod: None });
        plan
    }

    /// Every page but the entry pages, by URL, with what it shows.
    pub fn planned(&self) -> Vec<(String, Shows)> {
        self.plan.iter().map(|planned| (planned.url.clone(), planned.job.shows())).collect()
    }

    /// Renders the entry pages of `indices` only; returns their bodies as plain text, in order.
    pub fn some_entries(&self, indices: &[usize], sink: &dyn Sink) -> Result<Vec<String>, Error> {
        indices.par_iter().map(|&index| self.entry(index, sink)).collect()
    }

    /// Renders the pages (not entry pages) whose URL `select` accepts; returns how many.
    pub fn some_pages(
        &self,
        select: &(dyn Fn(&str) -> bool + Sync),
        sink: &dyn Sink,
    ) -> Result<usize, Error> {
        let chosen: Vec<&Planned> = self.plan.iter().filter(|planned| select(&planned.url)).collect();
        chosen.par_iter().map(|planned| self.page(planned, sink)).collect::<Result<Vec<()>, Error>>()?;
        Ok(chosen.len())
    }

    /// Every page for the sitemap (all but 404), with its last modification date.
    pub fn sitemap_pages(&self) -> Vec<(String, Option<String>)> {
        let catalog = self.shared.catalog;
        let mut pages: Vec<(String, Option<String>)> = self
            .plan
            .iter()
            .filter(|planned| !matches!(planned.job, Job::NotFound))
            .map(|planned| (planned.url.clone(), planned.lastmod.clone()))
            .collect();
        for &index in &catalog.ordered {
            pages.push((
                urls::entry(catalog, index),
                catalog.entries[index].updated.map(|date| date.to_string()),
            ));
        }
        pages
    }

    /// Whether the site has a page at `path`.
    pub fn is_page(&self, path: &str) -> bool {
        let catalog = self.shared.catalog;
        self.plan.iter().any(|planned| planned.url == path)
            || (0..catalog.entries.len()).any(|index| urls::entry(catalog, index) == path)
    }

    /// The context every template gets, for the page at `url`.
    fn context(&self, url: &str, root: &str, title: &str, description: &str) -> Context {
        let mut context = self.base.clone();
        context.insert("root", root);
        context.insert("page_url", url);
        context.insert("canonical", &urls::absolute(&self.shared.catalog.config.base_url, url));
        context.insert("title", title);
        context.insert("description", description);
        context.insert("site_header", &*self.header(url));
        context
    }

    fn render(
        &self,
        template: &str,
        url: &str,
        root: &str,
        context: &Context,
        sink: &dyn Sink,
    ) -> Result<(), Error> {
        // Most pages are 10–30 KB: one buffer of that size, not one grown by doubling.
        let mut html = Vec::with_capacity(32 * 1024);
        match self.theme.tera.render_to(template, context, &mut html) {
            // Tera writes only strings, so its output is UTF-8.
            Ok(()) => sink.put(OutputFile::new(url, fill_root(html, root))),
            Err(error) => {
                self.report(&error);
                Ok(())
            }
        }
    }

    /// Renders every entry page; returns each entry's body as plain text (for search) and
    /// the number of pages.
    pub fn entries(&self, sink: &dyn Sink) -> Result<(Vec<String>, usize), Error> {
        let count = self.shared.catalog.entries.len();
        let texts =
            (0..count).into_par_iter().map(|index| self.entry(index, sink)).collect::<Result<Vec<_>, _>>()?;
        Ok((texts, count))
    }

    fn entry(&self, index: usize, sink: &dyn Sink) -> Result<String, Error> {
        let shared = self.shared;
        let catalog = shared.catalog;
        let entry = &catalog.entries[index];
        let url = urls::entry(catalog, index);
        let root = urls::root_from(&url);
        let rendered =
            markdown::render(&entry.body, &PageLinks { catalog, root: &root }, catalog.config.raw_html);
        let taxonomies = shared
            .taxonomies
            .iter()
            .zip(&entry.terms)
            .filter(|(_, terms)| !terms.is_empty())
            .map(|(taxonomy, terms)| EntryTaxonomy {
                id: taxonomy.id,
                name: taxonomy.name,
                url: &taxonomy.url,
                terms: terms.iter().map(|&term| &taxonomy.terms[term]).collect(),
            })
            .collect();
        let view = EntryView {
            id: &entry.id,
            kind: &shared.kinds[entry.kind().unwrap_or(0)],
            title: &entry.title,
            summary: &entry.summary,
            url: url.clone(),
            body_html: rendered.html,
            headings: &entry.headings,
            stages: super::views::sorted(&entry.stages)
                .into_iter()
                .map(|stage| &shared.stages[stage])
                .collect(),
            taxonomies,
            related: self.cards_of(&catalog.related[index]),
            computed_related: self.cards_of(&catalog.computed_related[index]),
            backlinks: self.cards_of(&catalog.backlinks[index]),
            references: entry.sources.iter().filter_map(|key| shared.source(key)).collect(),
            updated: entry.updated.map(|date| date.to_string()).unwrap_or_default(),
            reviewed: entry.editorial.reviewed.map(|date| date.to_string()).unwrap_or_default(),
        };
        let mut context = self.context(&url, &root, &entry.title, &entry.summary);
        context.insert("entry", &view);
        self.render("entry.html", &url, &root, &context, sink)?;
        Ok(rendered.text)
    }

    /// Renders every page but the entry pages; returns how many.
    pub fn pages(&self, sink: &dyn Sink) -> Result<usize, Error> {
        // The pages that show every entry (landscape, A–Z) hold a large view while they
        // render: one at a time, beside the many small lists rendered in parallel.
        let (whole, lists): (Vec<&Planned>, Vec<&Planned>) =
            self.plan.iter().partition(|planned| planned.job.shows() == Shows::Everything);
        let (whole, lists) = rayon::join(
            || whole.iter().try_for_each(|planned| self.page(planned, sink)),
            || lists.par_iter().try_for_each(|planned| self.page(planned, sink)),
        );
        whole.and(lists)?;
        Ok(self.plan.len())
    }

    fn groups(&self, indices: &[usize]) -> Vec<Group<'_>> {
        let shared = self.shared;
        let mut groups: Vec<Group> = Vec::new();
        for &index in indices {
            let kind = shared.catalog.entries[index].kind().unwrap_or(0);
            match groups.last_mut() {
                Some(group) if group.kind.id == shared.kinds[kind].id => {
                    group.entries.push(self.card_view(index))
                }
                _ => groups.push(Group { kind: &shared.kinds[kind], entries: vec![self.card_view(index)] }),
            }
        }
        groups
    }

    fn page(&self, planned: &Planned, sink: &dyn Sink) -> Result<(), Error> {
        let shared = self.shared;
        let catalog = shared.catalog;
        let config = &catalog.config;
        let url = planned.url.as_str();
        let root = match planned.job {
            Job::NotFound => config.base_path(),
            _ => urls::root_from(url),
        };
        let (template, context) = match &planned.job {
            Job::Home => {
                let mut context = self.context(url, &root, &config.title, &config.description);
                let home = catalog.home.as_ref();
                let intro = home.map(|home| {
                    markdown::render(&home.body, &super::PageLinks { catalog, root: &root }, config.raw_html)
                        .html
                });
                let title = home.map(|home| home.title.as_str()).filter(|title| !title.is_empty());
                let mut recent: Vec<usize> = catalog.ordered.clone();
                recent.sort_by(|&a, &b| catalog.entries[b].updated.cmp(&catalog.entries[a].updated));
                recent.truncate(6);
                context.insert("intro_title", title.unwrap_or(&config.title));
                context.insert("intro_html", &intro.unwrap_or_default());
                context.insert("cycle_svg", &cycle::svg(&shared.stages, &root));
                context.insert("stages", &shared.stages);
                context.insert("kinds", &shared.kinds);
                context.insert("recent", &self.cards_of(&recent));
                ("index.html", context)
            }
            Job::Stage(stage, number, chunk) => {
                let view = &shared.stages[*stage];
                let mut context = self.context(url, &root, view.name, view.summary);
                context.insert("stage", view);
                context.insert("previous_stage", &stage.checked_sub(1).map(|i| &shared.stages[i]));
                context.insert("next_stage", &shared.stages.get(stage + 1));
                context.insert("groups", &self.groups(chunk));
                let pages = paginate(&catalog.by_stage[*stage], config.list_page_size).len();
                context.insert("pagination", &PaginationView::new(&view.url, *number, pages));
                ("stage.html", context)
            }
            Job::Taxonomy(taxonomy) => {
                let view: &TaxonomyRef = &shared.taxonomies[*taxonomy];
                let mut context = self.context(url, &root, view.name, "");
                context.insert("taxonomy", view);
                ("taxonomy.html", context)
            }
            Job::Term(taxonomy, term, number, chunk) => {
                let taxonomy_view = &shared.taxonomies[*taxonomy];
                let term_view = &taxonomy_view.terms[*term];
                let title = format!("{}: {}", taxonomy_view.name, term_view.name);
                let mut context = self.context(url, &root, &title, "");
                context.insert("taxonomy", taxonomy_view);
                context.insert("term", term_view);
                context.insert("groups", &self.groups(chunk));
                let pages = paginate(&catalog.by_term[*taxonomy][*term], config.list_page_size).len();
                context.insert("pagination", &PaginationView::new(&term_view.url, *number, pages));
                ("term.html", context)
            }
            Job::Kind(kind, number, chunk) => {
                let view = &shared.kinds[*kind];
                let mut context = self.context(url, &root, view.plural, "");
                context.insert("kind", view);
                context.insert("entries", &self.cards_of(chunk));
                let pages = paginate(&catalog.by_kind[*kind], config.list_page_size).len();
                context.insert("pagination", &PaginationView::new(&view.url, *number, pages));
                ("kind.html", context)
            }
            Job::Page(index) => {
                let page = &catalog.pages[*index];
                let mut context = self.context(url, &root, &page.title, &page.summary);
                let view = PageView {
                    title: &page.title,
                    summary: &page.summary,
                    body_html: markdown::render(
                        &page.body,
                        &PageLinks { catalog, root: &root },
                        config.raw_html,
                    )
                    .html,
                    url: url.to_string(),
                    updated: page.updated.map(|date| date.to_string()).unwrap_or_default(),
                    headings: &page.headings,
                };
                context.insert("page", &view);
                ("page.html", context)
            }
            Job::Landscape => {
                let mut context =
                    self.context(url, &root, "Landscape", "Every entry by kind and learning-cycle stage");
                context.insert("landscape", &self.landscape());
                ("landscape.html", context)
            }
            Job::Sources => {
                let mut context = self.context(url, &root, "Sources", "The sources the catalog cites");
                let sources: Vec<SourceWithEntries> = shared
                    .sources
                    .iter()
                    .map(|source| SourceWithEntries {
                        source,
                        entries: self.links_of(catalog.citations.get(source.key).map_or(&[], Vec::as_slice)),
                    })
                    .collect();
                context.insert("sources", &sources);
                ("sources.html", context)
            }
            Job::Search => {
                let mut context = self.context(url, &root, "Search", "Search the catalog");
                let mut by_title = catalog.ordered.clone();
                by_title.sort_by_cached_key(|&index| (catalog.entries[index].title.to_lowercase(), index));
                context.insert("entries", &self.links_of(&by_title));
                context.insert("stages", &shared.stages);
                context.insert("kinds", &shared.kinds);
                context.insert("taxonomies", &shared.taxonomies);
                ("search.html", context)
            }
            Job::NotFound => ("404.html", self.context(url, &root, "Page not found", "")),
        };
        self.render(template, url, &root, &context, sink)
    }

    fn landscape(&self) -> LandscapeView<'_> {
        let shared = self.shared;
        let catalog = shared.catalog;
        let kinds = shared
            .kinds
            .iter()
            .enumerate()
            .map(|(kind, kind_view)| {
                let members = &catalog.by_kind[kind];
                let member_set: HashSet<usize> = members.iter().copied().collect();
                LandscapeKind {
                    kind: kind_view,
                    cells: shared
                        .stages
                        .iter()
                        .enumerate()
                        .map(|(stage, stage_view)| {
                            let in_cell: Vec<usize> = catalog.by_stage[stage]
                                .iter()
                                .copied()
                                .filter(|index| member_set.contains(index))
                                .collect();
                            let entries = in_cell
                                .iter()
                                .map(|&index| PlainLink {
                                    title: &catalog.entries[index].title,
                                    url: &self.cards[index].url,
                                })
                                .collect();
                            LandscapeCell { stage: stage_view, entries }
                        })
                        .collect(),
                    rows: if members.len() > GLANCE_LIMIT {
                        Vec::new()
                    } else {
                        members
                            .iter()
                            .map(|&index| LandscapeRow {
                                title: &catalog.entries[index].title,
                                url: &self.cards[index].url,
                                in_stage: (0..shared.stages.len())
                                    .map(|stage| catalog.entries[index].stages.contains(&stage))
                                    .collect(),
                            })
                            .collect()
                    },
                }
            })
            .collect();
        LandscapeView { stages: &shared.stages, kinds }
    }
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

    #[test]
    fn pagination_splits_and_numbers() {
        let pages = paginate(&[1, 2, 3, 4, 5], 2);
        assert_eq!(pages.len(), 3);
        assert_eq!(pages[2], (3, 3, vec![5]));
        assert_eq!(paginate(&[], 2), vec![(1, 1, vec![])]);
    }
}
