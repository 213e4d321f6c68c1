//! The print edition (spec §11). `print/` is the whole catalog as one document: a title
//! page, a table of contents, every published entry once, grouped by stage (under its first
//! stage in the cycle, and listed under its other stages with a link to it), links between
//! entries turned into links within the document, and one reference list. Each stage also
//! has a document of its own, `print/<stage>/`, holding every entry of the stage, which the
//! stage's page links to. A catalog of more than `BOUND` entries is too long for one
//! document: its `print/` lists the stages' documents instead.
//!
//! A document is rendered from the same views and strings as every other page, so that a
//! catalog in several languages gets one print edition per language.

mod parts;

use super::PageLinks;
use super::keys::Key;
use super::plan::{Job, Planned};
use super::views::{CatalogViews, KindRef, SourceView, StageRef, sorted};
use crate::catalog::{Catalog, EntryId, Target};
use crate::i18n::Strings;
use crate::markdown::{self, LinkResolver, Placement};
use crate::urls;
use rayon::prelude::*;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap, HashSet};

/// The most entries the whole catalog's document holds; past it, `print/` lists the
/// stages' documents. (Chromium lays out a document of 500 entries, some 400 pages, in
/// seconds; ten times that takes minutes and a great deal of memory.)
pub const BOUND: usize = 500;

/// Whether the catalog is printed one stage at a time.
pub fn split(catalog: &Catalog) -> bool {
    catalog.ordered.len() > BOUND
}

/// The print edition's pages, after every other page of the plan. None is in the sitemap.
pub fn plan(catalog: &Catalog) -> Vec<Planned> {
    if split(catalog) {
        let mut plan = vec![Planned { job: Job::PrintIndex, url: urls::PRINT.to_string(), lastmod: None }];
        plan.extend(parts::parts(catalog).into_iter().map(|part| Planned {
            url: parts::url(catalog, part.stage, part.number),
            job: Job::PrintPart(part.stage, part.number, part.entries),
            lastmod: None,
        }));
        return plan;
    }
    let whole = Job::Print(None, by_kind(catalog, &catalog.ordered));
    let mut plan = vec![Planned { job: whole, url: urls::PRINT.to_string(), lastmod: None }];
    for (stage, list) in catalog.by_stage.iter().enumerate() {
        let job = Job::Print(Some(stage), by_kind(catalog, list));
        plan.push(Planned { job, url: urls::print_stage(catalog, stage), lastmod: None });
    }
    plan
}

/// The documents `copcat build --pdf` prints: (the HTML page, the PDF to write), both
/// relative to the output. The whole catalog's document, or each stage's when it is split.
pub fn pdf_documents(catalog: &Catalog) -> Vec<(String, String)> {
    if !split(catalog) {
        return vec![(urls::PRINT.to_string(), "catalog.pdf".to_string())];
    }
    parts::parts(catalog)
        .into_iter()
        .map(|part| {
            let id = &catalog.config.stages[part.stage].id;
            let pdf = if part.number == 1 {
                format!("catalog-{id}.pdf")
            } else {
                format!("catalog-{id}-{}.pdf", part.number)
            };
            (parts::url(catalog, part.stage, part.number), pdf)
        })
        .collect()
}

/// `list` grouped by kind (as stage pages show it), list order within a kind.
pub(crate) fn by_kind(catalog: &Catalog, list: &[EntryId]) -> Vec<EntryId> {
    let mut sorted = list.to_vec();
    sorted.sort_by_key(|&index| catalog.entries[index].kind());
    sorted
}

/// `print.html`.
#[derive(Serialize)]
pub struct PrintTemplate<'a> {
    pub print: PrintView<'a>,
}

/// `print` on `print.html`.
#[derive(Serialize)]
pub struct PrintView<'a> {
    /// The stage this document prints; none for the whole catalog (and its index).
    pub stage: Option<&'a StageRef<'a>>,
    /// The edition's date: the newest `updated` of the catalog's entries ("YYYY-MM-DD"), so
    /// that a build does not depend on the day it runs; empty if no entry has one.
    pub edition: String,
    /// The catalog's address on the web, when `base_url` is absolute; empty otherwise.
    pub address: String,
    /// The level of each entry's heading: 3 under the stages of the whole catalog, 2 in a
    /// stage's document. Bodies' headings start one below.
    pub entry_level: u8,
    pub sections: Vec<PrintSection<'a>>,
    /// The sources the printed entries cite, once each.
    pub references: Vec<&'a SourceView<'a>>,
    /// For a catalog printed one stage at a time, on `print/`: the stages' documents.
    pub documents: Vec<PrintDocument<'a>>,
    /// For a catalog printed one stage at a time, which part of the stage's document this
    /// is; none otherwise.
    pub part: Option<PrintPartView>,
}

/// A part of a stage's document: its number, how many there are, and the next one's URL
/// (empty on the last), from the root and from this part.
#[derive(Serialize)]
pub struct PrintPartView {
    pub number: usize,
    pub count: usize,
    pub next_url: String,
    pub next_href: String,
}

/// A stage and the entries printed under it.
#[derive(Serialize)]
pub struct PrintSection<'a> {
    pub stage: &'a StageRef<'a>,
    /// The id of the stage's heading.
    pub anchor: String,
    pub entries: Vec<PrintEntry<'a>>,
    /// Entries of the stage printed under another stage.
    pub elsewhere: Vec<PrintPlaced<'a>>,
}

/// An entry, whole.
#[derive(Serialize)]
pub struct PrintEntry<'a> {
    /// The id of its heading (`roles/knowledge-broker`); its body's ids start with it and `/`.
    pub anchor: String,
    pub kind: &'a KindRef<'a>,
    pub title: &'a str,
    pub summary: &'a str,
    /// Its page's absolute address, when `base_url` is absolute; empty otherwise.
    pub address: String,
    pub stages: Vec<PrintLink<'a>>,
    pub taxonomies: Vec<PrintTaxonomy<'a>>,
    pub updated: String,
    pub body_html: String,
    pub related: Vec<PrintLink<'a>>,
    pub sources: Vec<PrintLink<'a>>,
    /// The language of its words when not the page's (not translated yet).
    pub lang: Option<&'a str>,
}

/// A link in a print document: `href` is within the document (`#…`), the shortest relative
/// URL of another page (`../2/index.html#…`), or empty where there is nothing to link to.
#[derive(Serialize)]
pub struct PrintLink<'a> {
    pub title: &'a str,
    pub href: String,
    /// The language of the title when not the page's (an entry not translated yet, a source).
    pub lang: Option<&'a str>,
}

/// An entry listed under a stage, printed under `under`.
#[derive(Serialize)]
pub struct PrintPlaced<'a> {
    #[serde(flatten)]
    pub link: PrintLink<'a>,
    pub under: &'a StageRef<'a>,
}

#[derive(Serialize)]
pub struct PrintTaxonomy<'a> {
    pub name: &'a str,
    pub terms: Vec<&'a str>,
}

/// A stage's print document, on the index of a catalog printed one stage at a time: its
/// URL from the root, and from the index.
#[derive(Serialize)]
pub struct PrintDocument<'a> {
    pub stage: &'a StageRef<'a>,
    pub url: String,
    pub href: String,
}

/// How a print page's entries carry their bodies: rendered, or as the key of everything a
/// body is rendered from, so that the page can be keyed (`keys::page`) without rendering
/// the thousands of bodies an unchanged page does not need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bodies {
    Rendered,
    Keyed,
}

/// A print page's title, description and view.
pub struct PrintPage<'a> {
    pub title: String,
    pub description: String,
    pub template: PrintTemplate<'a>,
}

/// What every part of a catalog printed in parts needs of the whole catalog, worked out
/// once for all of them (each part working it out again made printing a 50,000-entry
/// catalog quadratic): every entry's anchor, the part each entry is printed in, and how
/// many parts each stage's document has.
pub struct Shared {
    anchors: HashMap<EntryId, String>,
    placements: HashMap<EntryId, String>,
    part_counts: HashMap<usize, usize>,
    linked: Linked,
}

impl Shared {
    pub fn new(catalog: &Catalog) -> Shared {
        Shared {
            linked: linked_headings(catalog),
            anchors: anchors(catalog, &catalog.ordered),
            placements: parts::placements(catalog),
            part_counts: parts::parts(catalog).into_iter().map(|part| (part.stage, part.count)).collect(),
        }
    }
}

/// The print page of `job` (a `Job::Print` or `Job::PrintIndex`) at `url`, whose root is
/// `root`; `shared` is called for the parts of a catalog printed in parts.
pub fn page<'a>(
    views: &'a CatalogViews<'a>,
    strings: &Strings,
    job: &Job,
    (url, root): (&str, &str),
    shared: impl Fn() -> &'a Shared,
    bodies: Bodies,
) -> PrintPage<'a> {
    let catalog = views.catalog;
    let config = &catalog.config;
    let absolute = config.base_url.starts_with("http");
    let mut view = PrintView {
        stage: None,
        edition: newest(catalog),
        address: if absolute { config.base_url.clone() } else { String::new() },
        entry_level: 3,
        sections: Vec::new(),
        references: Vec::new(),
        documents: Vec::new(),
        part: None,
    };
    let (title, description) =
        (strings.text("print").to_string(), strings.text("print_description").to_string());
    match job {
        Job::Print(None, entries) => {
            let document = Document::new(views, (url, root), entries, None, bodies);
            view.sections = document.sections();
            view.references = document.references();
        }
        Job::Print(Some(stage), entries) | Job::PrintPart(stage, _, entries) => {
            let document = match job {
                Job::PrintPart(_, number, _) => {
                    let shared = shared();
                    view.part = Some(part_view(catalog, shared, *stage, *number));
                    Document::in_parts(views, (url, root), entries, (*stage, shared), bodies)
                }
                _ => Document::new(views, (url, root), entries, Some(*stage), bodies),
            };
            let stage_view = &views.stages[*stage];
            view.stage = Some(stage_view);
            view.entry_level = 2;
            view.sections = document.sections();
            if matches!(job, Job::PrintPart(_, 1, _)) {
                view.sections[0].elsewhere = document.elsewhere(*stage);
            }
            view.references = document.references();
            let title = strings.fill("print_stage_title", &[("stage", stage_view.name)]);
            return PrintPage {
                title,
                description: stage_view.summary.to_string(),
                template: PrintTemplate { print: view },
            };
        }
        _ => {
            view.documents = (0..views.stages.len())
                .map(|stage| {
                    let document = urls::print_stage(catalog, stage);
                    PrintDocument {
                        stage: &views.stages[stage],
                        href: urls::relative(url, &document),
                        url: document,
                    }
                })
                .collect();
        }
    }
    PrintPage { title, description, template: PrintTemplate { print: view } }
}

/// Part `number` of `stage`'s document.
fn part_view(catalog: &Catalog, shared: &Shared, stage: usize, number: usize) -> PrintPartView {
    let count = shared.part_counts.get(&stage).copied().unwrap_or(1);
    if number >= count {
        return PrintPartView { number, count, next_url: String::new(), next_href: String::new() };
    }
    let next_url = parts::url(catalog, stage, number + 1);
    let next_href = urls::relative(&parts::url(catalog, stage, number), &next_url);
    PrintPartView { number, count, next_url, next_href }
}

/// The newest `updated` date of the catalog's entries.
fn newest(catalog: &Catalog) -> String {
    let dates = catalog.ordered.iter().filter_map(|&index| catalog.entries[index].updated);
    dates.max().map(|date| date.to_string()).unwrap_or_default()
}

/// The id of each entry's heading in a print document: its path, `<kind-dir>/<slug>`
/// (`roles/knowledge-broker`), and its body's ids that path, `/` and the id the entry's page
/// gives (`roles/knowledge-broker/why-it-matters`), as the page's address reads. Folders and
/// slugs hold no `/`, so an entry's id has exactly one, its body's ids more, no two entries
/// share a prefix, and no other id of the page (`stage-…`, `source-…`, `print-…`) has one:
/// every id is unique without numbering, and depends on nothing but the entry's own path.
fn anchors(catalog: &Catalog, entries: &[EntryId]) -> HashMap<EntryId, String> {
    entries
        .iter()
        .map(|&index| {
            let entry = &catalog.entries[index];
            (index, format!("{}/{}", entry.dir, entry.slug))
        })
        .collect()
}

/// Per entry, the ids of its body's headings that links lead to.
type Linked = HashMap<EntryId, BTreeSet<String>>;

/// The ids of each entry's headings that a published entry's body links to (`@/…#id`):
/// the only ones, with those its own body links to, a print document gives an id (see
/// `Placement::linked_ids`). Nothing else links to a body's heading in print: the contents
/// and the related entries lead to the entries' own headings.
fn linked_headings(catalog: &Catalog) -> Linked {
    let mut linked = Linked::new();
    for entry in catalog.entry_ids().map(|index| &catalog.entries[index]) {
        for link in &entry.links {
            if let (Some(anchor), Some(Target::Entry(target))) = (&link.anchor, catalog.target(&link.path)) {
                linked.entry(target).or_default().insert(anchor.clone());
            }
        }
    }
    linked
}

/// One print document being made: its entries, each entry's anchor, and where links go.
struct Document<'a, 'r> {
    views: &'a CatalogViews<'a>,
    /// The document's URL, which its links are relative to.
    url: &'r str,
    root: &'r str,
    entries: &'r [EntryId],
    anchors: Cow<'r, HashMap<EntryId, String>>,
    /// Which of the entries' headings links lead to (`linked_headings`).
    linked: Cow<'r, Linked>,
    /// The stage whose document this is; none for the whole catalog.
    stage: Option<usize>,
    /// In a catalog printed one stage at a time, the part each entry is printed in (links
    /// to one printed in another part lead there rather than to the entry's page), and the
    /// entries of this part, looked up for every link.
    placed: Option<(&'r HashMap<EntryId, String>, HashSet<EntryId>)>,
    bodies: Bodies,
}

impl<'a, 'r> Document<'a, 'r> {
    fn new(
        views: &'a CatalogViews<'a>,
        (url, root): (&'r str, &'r str),
        entries: &'r [EntryId],
        stage: Option<usize>,
        bodies: Bodies,
    ) -> Self {
        let anchors = Cow::Owned(anchors(views.catalog, entries));
        let linked = Cow::Owned(linked_headings(views.catalog));
        Document { views, url, root, entries, anchors, linked, stage, placed: None, bodies }
    }

    /// A part of a stage's document in a catalog printed in parts: links to entries printed
    /// in other parts lead there, and every entry's anchor is made over the whole catalog, so
    /// that it is the same in every part.
    fn in_parts(
        views: &'a CatalogViews<'a>,
        (url, root): (&'r str, &'r str),
        entries: &'r [EntryId],
        (stage, shared): (usize, &'r Shared),
        bodies: Bodies,
    ) -> Self {
        let here = entries.iter().copied().collect();
        let (anchors, placed) = (Cow::Borrowed(&shared.anchors), Some((&shared.placements, here)));
        let linked = Cow::Borrowed(&shared.linked);
        Document { views, url, root, entries, anchors, linked, stage: Some(stage), placed, bodies }
    }

    /// The stage's entries printed under another stage, each linked where it is printed.
    fn elsewhere(&self, stage: usize) -> Vec<PrintPlaced<'a>> {
        let catalog = self.views.catalog;
        catalog.by_stage[stage]
            .iter()
            .filter(|&&index| parts::home(catalog, index) != stage)
            .map(|&index| PrintPlaced {
                link: self.link(index),
                under: &self.views.stages[parts::home(catalog, index)],
            })
            .collect()
    }

    /// Where entry `index` is printed: this document (`#anchor`), another part
    /// (`../2/index.html#anchor`), or none (the print edition leaves it out).
    fn printed_at(&self, index: EntryId) -> Option<String> {
        let anchor = self.anchors.get(&index)?;
        match &self.placed {
            Some((placed, here)) if !here.contains(&index) => {
                placed.get(&index).map(|url| urls::relative(self.url, &format!("{url}#{anchor}")))
            }
            _ => Some(format!("#{anchor}")),
        }
    }

    /// Where an entry is printed in the whole catalog's document: its first stage.
    fn placed_under(&self, index: EntryId) -> Option<usize> {
        self.views.catalog.entries[index].stages.iter().copied().min()
    }

    /// The document's sections: one per stage in the whole catalog's document (each entry
    /// printed whole under its first stage, and listed under its others), or the stage's
    /// own. Entries are rendered in parallel: their bodies are most of a document's work.
    fn sections(&self) -> Vec<PrintSection<'a>> {
        let catalog = self.views.catalog;
        let stages: Vec<usize> = match self.stage {
            Some(stage) => vec![stage],
            None => (0..self.views.stages.len()).collect(),
        };
        let mut sections: Vec<PrintSection<'a>> = stages
            .iter()
            .map(|&stage| PrintSection {
                stage: &self.views.stages[stage],
                anchor: format!("stage-{}", catalog.config.stages[stage].id),
                entries: Vec::new(),
                elsewhere: Vec::new(),
            })
            .collect();
        let printed: Vec<PrintEntry<'a>> = self.entries.par_iter().map(|&index| self.entry(index)).collect();
        for (&index, entry) in self.entries.iter().zip(printed) {
            let home = self.stage.or_else(|| self.placed_under(index)).unwrap_or(0);
            for (section, &stage) in sections.iter_mut().zip(&stages) {
                if stage == home {
                    section.entries.push(entry);
                    break;
                }
            }
            for (section, &stage) in sections.iter_mut().zip(&stages) {
                if stage != home && catalog.entries[index].stages.contains(&stage) {
                    let under = &self.views.stages[home];
                    section.elsewhere.push(PrintPlaced { link: self.link(index), under });
                }
            }
        }
        sections
    }

    /// A link to an entry: within the document if it is printed here, to its page if not.
    fn link(&self, index: EntryId) -> PrintLink<'a> {
        let catalog = self.views.catalog;
        let href =
            self.printed_at(index).unwrap_or_else(|| urls::relative(self.url, &urls::entry(catalog, index)));
        let entry = &catalog.entries[index];
        PrintLink { title: &entry.title, href, lang: entry.text_language.as_deref() }
    }

    /// A link to a stage: its section in the whole catalog's document; another stage's
    /// document from a stage's (and nothing for the stage itself).
    fn stage_link(&self, stage: usize) -> PrintLink<'a> {
        let catalog = self.views.catalog;
        let href = match self.stage {
            None => format!("#stage-{}", catalog.config.stages[stage].id),
            Some(own) if own == stage => String::new(),
            Some(_) => urls::relative(self.url, &urls::print_stage(catalog, stage)),
        };
        PrintLink { title: self.views.stages[stage].name, href, lang: None }
    }

    fn entry(&self, index: EntryId) -> PrintEntry<'a> {
        let views = self.views;
        let catalog = views.catalog;
        let entry = &catalog.entries[index];
        let anchor = self.anchors.get(&index).cloned().unwrap_or_default();
        let level: u8 = if self.stage.is_some() { 2 } else { 3 };
        // An entry no link leads into names none of its headings.
        static NONE: BTreeSet<String> = BTreeSet::new();
        let linked_ids = Some(self.linked.get(&index).unwrap_or(&NONE));
        let placement = Placement { id_prefix: &format!("{anchor}/"), heading_shift: level - 1, linked_ids };
        let body_html = match self.bodies {
            Bodies::Rendered => {
                markdown::render_placed(&entry.body, self, catalog.config.raw_html, placement).html
            }
            Bodies::Keyed => self.body_key(index, placement),
        };
        let base_url = &catalog.config.base_url;
        PrintEntry {
            kind: &views.kinds[entry.kind().unwrap_or(0)],
            title: &entry.title,
            summary: &entry.summary,
            lang: entry.text_language.as_deref(),
            address: if base_url.starts_with("http") {
                urls::absolute(base_url, &urls::entry(catalog, index))
            } else {
                String::new()
            },
            stages: sorted(&entry.stages).into_iter().map(|stage| self.stage_link(stage)).collect(),
            taxonomies: views
                .taxonomies
                .iter()
                .zip(&entry.terms)
                .filter(|(_, terms)| !terms.is_empty())
                .map(|(taxonomy, terms)| PrintTaxonomy {
                    name: taxonomy.name,
                    terms: terms.iter().map(|&term| taxonomy.terms[term].name).collect(),
                })
                .collect(),
            updated: entry.updated.map(|date| date.to_string()).unwrap_or_default(),
            body_html,
            related: catalog.related[index].iter().map(|&other| self.link(other)).collect(),
            sources: entry
                .sources
                .iter()
                .filter_map(|key| views.source(key))
                .map(|source| PrintLink {
                    title: source.title,
                    href: format!("#{}", source.anchor),
                    lang: source.lang,
                })
                .collect(),
            anchor,
        }
    }

    /// The key of everything entry `index`'s body is rendered from in this document, as
    /// `render_placed` reads it: its Markdown, the catalog's `raw_html`, where it is placed
    /// (`placement`), and where each of its `@/` links and images leads from here (the
    /// outline lists them all, in order, from the same parse). The program is in every page's
    /// key already.
    fn body_key(&self, index: EntryId, placement: Placement) -> String {
        let entry = &self.views.catalog.entries[index];
        let mut key = Key::new();
        key.text(&entry.body).number(u128::from(self.views.catalog.config.raw_html));
        key.text(placement.id_prefix).number(placement.heading_shift.into());
        let linked = placement.linked_ids.into_iter().flatten();
        key.number(linked.clone().count() as u128);
        linked.fold(&mut key, |key, id| key.text(id));
        key.number(entry.links.len() as u128);
        for link in &entry.links {
            let anchor = link.anchor.as_deref();
            key.text(&link.path).number(anchor.is_some().into()).text(anchor.unwrap_or_default());
            let leads = self.resolve(&link.path, anchor);
            key.number(leads.is_some().into()).text(leads.as_deref().unwrap_or_default());
        }
        format!("{:032x}", key.finish())
    }

    /// The sources the document's entries cite, in the sources page's order.
    fn references(&self) -> Vec<&'a SourceView<'a>> {
        let entries = &self.views.catalog.entries;
        let cited: BTreeSet<&str> = self
            .entries
            .iter()
            .flat_map(|&index| entries[index].sources.iter().map(String::as_str))
            .collect();
        self.views.sources.iter().filter(|source| cited.contains(source.key)).collect()
    }
}

/// `@/` links in a printed body: to an entry printed in the document, its heading (or a
/// heading of its body: `@/roles/a.md#why` is `#roles/a/why`); to anything else, its page.
impl LinkResolver for Document<'_, '_> {
    fn resolve(&self, path: &str, anchor: Option<&str>) -> Option<String> {
        let catalog = self.views.catalog;
        if let Some(Target::Entry(index)) = catalog.target(path)
            && let Some(printed) = self.printed_at(index)
        {
            return Some(match anchor {
                Some(heading) => format!("{printed}/{heading}"),
                None => printed,
            });
        }
        PageLinks { catalog, root: self.root }.resolve(path, anchor)
    }
}
