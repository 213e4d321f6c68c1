//! Rendering every HTML page: a `Renderer` is made whole in one step (the plan, the chrome
//! and the cards), then renders each page from its typed view (`templates`) in parallel.
//! Template problems are returned with what was rendered, never kept in the renderer.

mod aliases;

use super::cards::Cards;
use super::chrome::{Chrome, fill_root};
use super::keys;
use super::plan::{self, Job, Planned, Shows};
use super::print::{self, Bodies};
use super::templates::{
    Alternate, EntryTaxonomy, EntryTemplate, EntryView, Group, IndexTemplate, KindTemplate,
    LandscapeTemplate, NotFoundTemplate, Page, PageCommon, PageTemplate, PageView, SearchTemplate,
    SourceWithEntries, SourcesTemplate, StageTemplate, TaxonomyTemplate, TermTemplate,
};
use super::theme::{Theme, template_diagnostic};
use super::views::{CatalogViews, PaginationView, sorted};
use super::{PageLinks, cycle, landscape};
use crate::catalog::EntryId;
use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::markdown;
use crate::sink::{OutputFile, Sink};
use crate::urls;
use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::HashSet;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use tera::Context;

/// How many of the pages that show every entry render at once (see `Renderer::pages`).
const WHOLE_AT_ONCE: usize = 2;

/// What a batch of pages rendered: per page a value (an entry's plain text, or nothing),
/// and the template problems met.
type Batch<T> = (Vec<T>, Vec<Diagnostic>);

pub struct Renderer<'a> {
    theme: &'a Theme,
    views: &'a CatalogViews<'a>,
    /// What every page's context starts from: `t`, `site`, `nav` and `site_footer` (cloned once
    /// per worker into a `Scratch`, not per page).
    base: Context,
    plan: Vec<Planned>,
    cards: Cards,
    chrome: Chrome,
    /// The words the search pages suggest, worked out once (from every title) for all of
    /// them.
    search_examples: std::sync::OnceLock<String>,
    /// What the parts of a catalog printed in parts share, worked out once for them all.
    print_shared: std::sync::OnceLock<print::Shared>,
    /// The key of what every page shares (`keys::shared`): none if pages must always be
    /// rendered.
    shared_key: Option<u128>,
}

impl<'a> Renderer<'a> {
    /// A renderer with every card rendered; returns the problems met on the way.
    pub fn new(theme: &'a Theme, views: &'a CatalogViews<'a>) -> (Renderer<'a>, Vec<Diagnostic>) {
        let (cards, problems) = Cards::render(theme, views);
        let (renderer, mut diagnostics) = Renderer::with_cards(theme, views, cards);
        diagnostics.extend(problems);
        (renderer, diagnostics)
    }

    /// A renderer that takes the cards of one of the same catalog before an edit that left
    /// the shared views as they were, rendering again only those of `changed`.
    pub fn reusing(
        theme: &'a Theme,
        views: &'a CatalogViews<'a>,
        mut cards: Cards,
        changed: &[EntryId],
    ) -> (Renderer<'a>, Vec<Diagnostic>) {
        let problems = cards.update(theme, views, changed);
        let (renderer, mut diagnostics) = Renderer::with_cards(theme, views, cards);
        diagnostics.extend(problems);
        (renderer, diagnostics)
    }

    fn with_cards(
        theme: &'a Theme,
        views: &'a CatalogViews<'a>,
        cards: Cards,
    ) -> (Renderer<'a>, Vec<Diagnostic>) {
        let mut base = theme.strings.context.clone();
        base.insert("site", &views.site);
        base.insert("nav", &views.nav());
        let (chrome, diagnostics) = Chrome::new(theme, views, &base);
        base.insert("site_footer", &chrome.footer);
        let shared_key = theme.templates_key.and_then(|templates| {
            keys::shared(templates, &format!("{:?}", theme.strings), &base.clone().into_json())
        });
        let plan = plan::plan(views.catalog);
        (
            Renderer {
                theme,
                views,
                base,
                plan,
                cards,
                chrome,
                search_examples: Default::default(),
                print_shared: Default::default(),
                shared_key,
            },
            diagnostics,
        )
    }

    /// The rendered cards, for `reusing`.
    pub fn into_cards(self) -> Cards {
        self.cards
    }

    /// Every page but the entry pages, by URL, with what it shows.
    pub fn planned(&self) -> Vec<(String, Shows)> {
        self.plan.iter().map(|planned| (planned.url.clone(), planned.job.shows())).collect()
    }

    /// Every page for the sitemap (all but 404), with its last modification date.
    pub fn sitemap_pages(&self) -> Vec<(String, Option<String>)> {
        plan::sitemap_pages(self.views.catalog, &self.plan)
    }

    /// Renders every entry page; returns each entry's body as plain text (for search).
    pub fn entries(&self, sink: &dyn Sink) -> Result<Batch<String>, Error> {
        let all: Vec<EntryId> = self.views.catalog.entry_ids().collect();
        self.render_entries(&all, sink)
    }

    /// Renders the entry pages of `indices`; returns their bodies as plain text, in order.
    pub fn render_entries(&self, indices: &[EntryId], sink: &dyn Sink) -> Result<Batch<String>, Error> {
        let rendered: Vec<(String, Option<Diagnostic>)> = indices
            .par_iter()
            .map_init(|| Scratch::new(&self.base), |scratch, &index| self.entry(index, scratch, sink))
            .collect::<Result<_, _>>()?;
        let (texts, problems): (Vec<String>, Vec<Option<Diagnostic>>) = rendered.into_iter().unzip();
        Ok((texts, problems.into_iter().flatten().collect()))
    }

    /// Renders every page but the entry pages; returns how many.
    pub fn pages(&self, sink: &dyn Sink) -> Result<(usize, Vec<Diagnostic>), Error> {
        // The pages that show every entry (landscape, A–Z, the print edition) hold a large
        // view while they render: two at a time (one at a time, they were the longest part of
        // the lists at 10,000 entries, with one core idle), beside the many small lists
        // rendered in parallel.
        let (whole, lists): (Vec<&Planned>, Vec<&Planned>) = self
            .plan
            .iter()
            .partition(|planned| matches!(planned.job.shows(), Shows::Everything | Shows::Bodies(_)));
        let (whole, lists) = rayon::join(
            || self.in_turn(&whole, WHOLE_AT_ONCE, sink),
            || {
                lists
                    .par_iter()
                    .map_init(
                        || Scratch::new(&self.base),
                        |scratch, planned| self.page(planned, scratch, sink),
                    )
                    .collect::<Result<Vec<_>, _>>()
            },
        );
        let problems = whole?.into_iter().chain(lists?).flatten().collect();
        Ok((self.plan.len(), problems))
    }

    /// Renders `pages` by `workers` workers that each take the next page in turn, so that at
    /// most `workers` of them render at once whatever the number of cores; the results are
    /// in the order of `pages` (the first error is the one a single worker would meet).
    fn in_turn(
        &self,
        pages: &[&Planned],
        workers: usize,
        sink: &dyn Sink,
    ) -> Result<Vec<Option<Diagnostic>>, Error> {
        let next = AtomicUsize::new(0);
        let results = Mutex::new(Vec::with_capacity(pages.len()));
        rayon::scope(|scope| {
            for _ in 0..workers {
                scope.spawn(|_| {
                    let mut scratch = Scratch::new(&self.base);
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(planned) = pages.get(index) else { break };
                        let result = self.page(planned, &mut scratch, sink);
                        let failed = result.is_err();
                        if let Ok(mut results) = results.lock() {
                            results.push((index, result));
                        }
                        if failed {
                            break;
                        }
                    }
                });
            }
        });
        let mut results = results.into_inner().unwrap_or_default();
        results.sort_unstable_by_key(|(index, _)| *index);
        results.into_iter().map(|(_, result)| result).collect()
    }

    /// Renders the pages (not entry pages) whose URL is in `urls`; returns how many.
    pub fn render_pages(
        &self,
        urls: &HashSet<String>,
        sink: &dyn Sink,
    ) -> Result<(usize, Vec<Diagnostic>), Error> {
        let chosen: Vec<&Planned> = self.plan.iter().filter(|planned| urls.contains(&planned.url)).collect();
        let problems: Vec<Option<Diagnostic>> = chosen
            .par_iter()
            .map_init(|| Scratch::new(&self.base), |scratch, planned| self.page(planned, scratch, sink))
            .collect::<Result<_, _>>()?;
        Ok((chosen.len(), problems.into_iter().flatten().collect()))
    }

    /// What the template gets for the page at `url` besides `base`: what every page gets, and
    /// the page's own view.
    fn context<'p, T: Serialize>(
        &'p self,
        url: &'p str,
        root: &'p str,
        title: &'p str,
        description: &'p str,
        view: T,
    ) -> Page<'p, T>
    where
        'a: 'p,
    {
        // The 404 page stands for no address of its own, so it names none as canonical.
        let canonical = if url == urls::NOT_FOUND {
            String::new()
        } else {
            urls::absolute(&self.views.catalog.config.base_url, url)
        };
        let config = &self.views.catalog.config;
        let current = config.current_language();
        let site_root = format!("{root}{}", "../".repeat(current.prefix.matches('/').count()));
        let alternates = if config.is_multilingual() && url != urls::NOT_FOUND {
            let site_base = config.base_url.strip_suffix(&current.prefix).unwrap_or(&config.base_url);
            config
                .languages
                .iter()
                .map(|language| Alternate {
                    code: &language.code,
                    name: self.theme.language_names.get(&language.code).map_or(&language.code, |name| name),
                    href: format!("{site_root}{}{url}", language.prefix),
                    absolute: urls::absolute(&format!("{site_base}{}", language.prefix), url),
                    current: language.code == config.language,
                })
                .collect()
        } else {
            Vec::new()
        };
        let common = PageCommon {
            root,
            site_root,
            page_url: url,
            alternates,
            canonical,
            title,
            description,
            site_header: self.chrome.header(url),
        };
        Page { common, view }
    }

    /// Renders `template` with `base` and `vars` into the file at `url`.
    fn render(
        &self,
        template: &str,
        url: &str,
        root: &str,
        vars: &impl Serialize,
        scratch: &mut Scratch,
        sink: &dyn Sink,
    ) -> Result<Option<Diagnostic>, Error> {
        // A page made from what the previous build made it from is that build's file. Its
        // key is taken from the view itself, which is turned into template variables only
        // for a page that is rendered.
        let key = self.key(template, url, root, vars);
        if key.is_some_and(|key| sink.reuse(url, key).is_some()) {
            return Ok(None);
        }
        self.render_keyed(template, (url, root), key, vars, scratch, sink)
    }

    /// The key of the page at `url` made from `template` and `vars`; none if pages must
    /// always be rendered.
    fn key(&self, template: &str, url: &str, root: &str, vars: &impl Serialize) -> Option<u128> {
        self.shared_key.and_then(|shared| keys::page(shared, template, url, root, vars))
    }

    /// Renders `template` with `base` and `vars` into the file at `url`, remembered under
    /// `key`.
    fn render_keyed(
        &self,
        template: &str,
        (url, root): (&str, &str),
        key: Option<u128>,
        vars: &impl Serialize,
        scratch: &mut Scratch,
        sink: &dyn Sink,
    ) -> Result<Option<Diagnostic>, Error> {
        // A view is a struct of plain fields, which always serializes to a map.
        let vars = match serde_json::to_value(vars) {
            Ok(Value::Object(vars)) => vars,
            _ => Map::new(),
        };
        // Most pages are 10–30 KB: one buffer of that size, not one grown by doubling.
        let mut html = Vec::with_capacity(32 * 1024);
        let rendered = scratch.with(vars, |context| self.theme.tera.render_to(template, context, &mut html));
        match rendered {
            // Tera writes only strings, so its output is UTF-8.
            Ok(()) => sink.put(OutputFile::new(url, fill_root(html, root)).with_key(key)).map(|()| None),
            Err(error) => Ok(Some(template_diagnostic(&error, &self.theme.origins))),
        }
    }

    fn entry(
        &self,
        index: EntryId,
        scratch: &mut Scratch,
        sink: &dyn Sink,
    ) -> Result<(String, Option<Diagnostic>), Error> {
        let views = self.views;
        let catalog = views.catalog;
        let entry = &catalog.entries[index];
        let url = urls::entry(catalog, index);
        let root = urls::root_from(&url);
        let rendered =
            markdown::render(&entry.body, &PageLinks { catalog, root: &root }, catalog.config.raw_html);
        let taxonomies = views
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
            kind: &views.kinds[entry.kind().unwrap_or(0)],
            title: &entry.title,
            summary: &entry.summary,
            url: url.clone(),
            body_html: rendered.html,
            headings: &entry.headings,
            stages: sorted(&entry.stages).into_iter().map(|stage| &views.stages[stage]).collect(),
            taxonomies,
            related: self.cards.links(views, &catalog.related[index]),
            computed_related: self.cards.links(views, &catalog.computed_related[index]),
            backlinks: self.cards.links(views, &not_in(&catalog.backlinks[index], &catalog.related[index])),
            references: entry.sources.iter().filter_map(|key| views.source(key)).collect(),
            updated: entry.updated.map(|date| date.to_string()).unwrap_or_default(),
            reviewed: entry.editorial.reviewed.map(|date| date.to_string()).unwrap_or_default(),
            text_language: entry.text_language.as_deref(),
        };
        let vars = self.context(&url, &root, &entry.title, &entry.summary, EntryTemplate { entry: view });
        let problem = self.render("entry.html", &url, &root, &vars, scratch, sink)?;
        Ok((rendered.text, problem))
    }

    fn groups(&self, indices: &[EntryId]) -> Vec<Group<'_>> {
        let views = self.views;
        let mut groups: Vec<Group> = Vec::new();
        for &index in indices {
            let kind = &views.kinds[views.catalog.entries[index].kind().unwrap_or(0)];
            let card = self.cards.card(views, index);
            match groups.last_mut() {
                Some(group) if group.kind.id == kind.id => group.entries.push(card),
                _ => groups.push(Group { kind, entries: vec![card] }),
            }
        }
        groups
    }

    /// The pagination of page `number` of the list `list`, whose first page is `first_url`.
    fn pagination(&self, list: &[EntryId], first_url: &str, number: usize) -> Option<PaginationView> {
        let pages = plan::page_count(list.len(), self.views.catalog.config.list_page_size);
        PaginationView::new(first_url, number, pages)
    }

    /// Renders a planned page (any page but an entry page) from its template and view.
    fn page(
        &self,
        planned: &Planned,
        scratch: &mut Scratch,
        sink: &dyn Sink,
    ) -> Result<Option<Diagnostic>, Error> {
        let url = planned.url.as_str();
        let root = match planned.job {
            Job::NotFound => self.views.catalog.config.base_path(),
            _ => urls::root_from(url),
        };
        let root = root.as_str();
        let views = self.views;
        let catalog = views.catalog;
        let config = &catalog.config;
        let strings = &self.theme.strings;
        // Renders the page from its template, title, description and view.
        macro_rules! show {
            ($template:literal, $title:expr, $description:expr, $view:expr) => {{
                let vars = self.context(url, root, $title, $description, $view);
                self.render($template, url, root, &vars, scratch, sink)
            }};
        }
        match &planned.job {
            Job::Home => {
                show!("index.html", &config.title, &config.description, self.home(root))
            }
            Job::Stage(stage, number, chunk) => {
                let view = &views.stages[*stage];
                let template = StageTemplate {
                    stage: view,
                    previous_stage: stage.checked_sub(1).map(|i| &views.stages[i]),
                    next_stage: views.stages.get(stage + 1),
                    groups: self.groups(chunk),
                    pagination: self.pagination(&catalog.by_stage[*stage], &view.url, *number),
                    print_url: if config.print { urls::print_stage(catalog, *stage) } else { String::new() },
                };
                show!("stage.html", view.name, view.summary, template)
            }
            Job::Taxonomy(taxonomy) => {
                let view = &views.taxonomies[*taxonomy];
                show!("taxonomy.html", view.name, "", TaxonomyTemplate { taxonomy: view })
            }
            Job::Term(taxonomy, term, number, chunk) => {
                let taxonomy_view = &views.taxonomies[*taxonomy];
                let term_view = &taxonomy_view.terms[*term];
                let title =
                    strings.fill("term_title", &[("taxonomy", taxonomy_view.name), ("term", term_view.name)]);
                let template = TermTemplate {
                    taxonomy: taxonomy_view,
                    term: term_view,
                    groups: self.groups(chunk),
                    pagination: self.pagination(&catalog.by_term[*taxonomy][*term], &term_view.url, *number),
                };
                show!("term.html", &title, "", template)
            }
            Job::Kind(kind, number, chunk) => {
                let view = &views.kinds[*kind];
                let template = KindTemplate {
                    kind: view,
                    entries: self.cards.cards(views, chunk),
                    pagination: self.pagination(&catalog.by_kind[*kind], &view.url, *number),
                };
                show!("kind.html", view.plural, "", template)
            }
            Job::Page(index) => {
                self.render("page.html", url, root, &self.free_page(*index, url, root), scratch, sink)
            }
            Job::Landscape => {
                let template = LandscapeTemplate { landscape: landscape::view(self.views, &self.cards) };
                let (title, description) = (strings.text("landscape"), strings.text("landscape_description"));
                show!("landscape.html", title, description, template)
            }
            Job::Sources => {
                let (title, description) = (strings.text("sources"), strings.text("sources_description"));
                show!("sources.html", title, description, self.sources())
            }
            Job::Search(number, chunk) => {
                let template = self.search(*number, chunk);
                let (title, description) = (strings.text("search"), strings.text("search_description"));
                show!("search.html", title, description, template)
            }
            Job::NotFound => {
                let (title, description) = (strings.text("not_found"), config.description.as_str());
                show!("404.html", title, description, NotFoundTemplate {})
            }
            Job::Print(..) | Job::PrintIndex | Job::PrintPart(..) => {
                // Keyed with its bodies' keys in place of the bodies, a print page that has
                // not changed is linked without rendering any of them.
                let shared = || self.print_shared.get_or_init(|| print::Shared::new(catalog));
                let page = |bodies| print::page(views, strings, &planned.job, (url, root), shared, bodies);
                let keyed = page(Bodies::Keyed);
                let vars = self.context(url, root, &keyed.title, &keyed.description, keyed.template);
                let key = self.key("print.html", url, root, &vars);
                if key.is_some_and(|key| sink.reuse(url, key).is_some()) {
                    return Ok(None);
                }
                let rendered = page(Bodies::Rendered);
                let vars = self.context(url, root, &rendered.title, &rendered.description, rendered.template);
                self.render_keyed("print.html", (url, root), key, &vars, scratch, sink)
            }
        }
    }

    /// A free page's variables.
    fn free_page<'p>(&'p self, index: usize, url: &'p str, root: &'p str) -> Page<'p, PageTemplate<'p>> {
        let catalog = self.views.catalog;
        let page = &catalog.pages[index];
        let view = PageView {
            title: &page.title,
            summary: &page.summary,
            body_html: markdown::render(&page.body, &PageLinks { catalog, root }, catalog.config.raw_html)
                .html,
            url: url.to_string(),
            updated: page.updated.map(|date| date.to_string()).unwrap_or_default(),
            headings: &page.headings,
            text_language: page.text_language.as_deref(),
        };
        self.context(url, root, &page.title, &page.summary, PageTemplate { page: view })
    }

    fn sources(&self) -> SourcesTemplate<'_> {
        let views = self.views;
        let citations = &views.catalog.citations;
        let sources = views
            .sources
            .iter()
            .map(|source| SourceWithEntries {
                source,
                entries: self.cards.links(views, citations.get(source.key).map_or(&[], Vec::as_slice)),
            })
            .collect();
        SourcesTemplate { sources }
    }

    /// Search page `number`, whose A–Z list shows `chunk`.
    fn search(&self, number: usize, chunk: &[EntryId]) -> SearchTemplate<'_> {
        let views = self.views;
        let catalog = views.catalog;
        let examples = self.search_examples.get_or_init(|| {
            let titles = catalog.ordered.iter().map(|&index| catalog.entries[index].title.as_str());
            let examples = crate::i18n::search_examples(&catalog.config.search_examples, titles);
            examples.join(self.theme.strings.text("list_separator"))
        });
        SearchTemplate {
            entries: self.cards.links(views, chunk),
            pagination: self.pagination(&catalog.ordered, urls::SEARCH, number),
            examples: examples.clone(),
            stages: &views.stages,
            kinds: &views.kinds,
            taxonomies: &views.taxonomies,
        }
    }

    fn home(&self, root: &str) -> IndexTemplate<'_> {
        let views = self.views;
        let catalog = views.catalog;
        let config = &catalog.config;
        let home = catalog.home.as_ref();
        let intro =
            home.map(|home| markdown::render(&home.body, &PageLinks { catalog, root }, config.raw_html).html);
        let title = home.map(|home| home.title.as_str()).filter(|title| !title.is_empty());
        let mut recent: Vec<EntryId> = catalog.ordered.clone();
        recent.sort_by(|&a, &b| catalog.entries[b].updated.cmp(&catalog.entries[a].updated));
        recent.truncate(6);
        IndexTemplate {
            intro_title: title.unwrap_or(&config.title),
            intro_html: intro.unwrap_or_default(),
            intro_language: home.and_then(|home| home.text_language.as_deref()),
            cycle_svg: cycle::svg(&views.stages, root, &self.theme.strings),
            stages: &views.stages,
            kinds: &views.kinds,
            recent: self.cards.cards(views, &recent),
        }
    }
}

/// A template context made from `base` once per worker, which takes each page's own
/// variables while the page renders and gives them back after: cloning `base` (`t` alone is
/// over a hundred strings) for every one of tens of thousands of pages cost more than
/// rendering some of them.
struct Scratch<'b> {
    context: Context,
    base: &'b Context,
}

impl<'b> Scratch<'b> {
    fn new(base: &'b Context) -> Scratch<'b> {
        Scratch { context: base.clone(), base }
    }

    /// Calls `render` with `base` and `vars`, then leaves the context as `base` again.
    fn with<R>(&mut self, vars: Map<String, Value>, render: impl FnOnce(&Context) -> R) -> R {
        let keys: Vec<String> = vars.keys().cloned().collect();
        if let Ok(own) = Context::from_value(Value::Object(vars)) {
            self.context.extend(own);
        }
        let result = render(&self.context);
        for key in &keys {
            self.context.remove(key);
            // A page's variable may hide one of `base` (a view with a field `site`).
            if let Some(value) = self.base.get(key) {
                self.context.insert(key.as_str(), value);
            }
        }
        result
    }
}

/// The entries of `list` that are not in `shown` (a backlink already listed as related is
/// not listed twice on one page).
fn not_in(list: &[EntryId], shown: &[EntryId]) -> Vec<EntryId> {
    list.iter().copied().filter(|entry| !shown.contains(entry)).collect()
}
