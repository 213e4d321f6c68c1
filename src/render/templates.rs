//! One typed view per page template: the variables each template gets besides those every
//! page gets (`site`, `nav`, `site_footer`, and `PageCommon`). Each struct is a row of the
//! templates table in docs/themes.md, named after its template.

use super::views::{
    EntryCard, EntryLink, KindRef, PaginationView, SourceView, StageRef, TaxonomyRef, TermRef,
};
use crate::markdown::Heading;
use serde::Serialize;

/// What every page gets besides `site`, `nav` and `site_footer`.
#[derive(Serialize)]
pub struct PageCommon<'a> {
    pub root: &'a str,
    /// The prefix that leads from this page to the site's root, where the files every
    /// language shares are (the stylesheet, scripts, icon): `root` itself but in another
    /// language's edition, whose root is its folder (`fr/`).
    pub site_root: String,
    pub page_url: &'a str,
    /// This page in every language the site is published in, its own first among them as
    /// the catalog's (empty for a site in one language, and for the 404 page).
    pub alternates: Vec<Alternate<'a>>,
    pub canonical: String,
    pub title: &'a str,
    pub description: &'a str,
    pub site_header: &'a str,
}

/// A page in one of the languages the site is published in.
#[derive(Serialize)]
pub struct Alternate<'a> {
    /// The language's code (`fr`).
    pub code: &'a str,
    /// Its name in itself (`Français`), from its strings table.
    pub name: &'a str,
    /// Relative to the current page.
    pub href: String,
    /// Absolute, for `<link rel="alternate" hreflang>`.
    pub absolute: String,
    /// Whether it is the current page.
    pub current: bool,
}

/// A page's view: what every page gets, and what its template gets.
#[derive(Serialize)]
pub struct Page<'a, T: Serialize> {
    #[serde(flatten)]
    pub common: PageCommon<'a>,
    #[serde(flatten)]
    pub view: T,
}

/// `index.html`, the home page.
#[derive(Serialize)]
pub struct IndexTemplate<'a> {
    pub intro_title: &'a str,
    pub intro_html: String,
    /// The language of the introduction when it is not the page's (not translated yet).
    pub intro_language: Option<&'a str>,
    pub cycle_svg: String,
    pub stages: &'a [StageRef<'a>],
    pub kinds: &'a [KindRef<'a>],
    pub recent: Vec<EntryCard<'a>>,
}

/// Entries of one kind in a list grouped by kind.
#[derive(Serialize)]
pub struct Group<'a> {
    pub kind: &'a KindRef<'a>,
    pub entries: Vec<EntryCard<'a>>,
}

/// `stage.html`.
#[derive(Serialize)]
pub struct StageTemplate<'a> {
    pub stage: &'a StageRef<'a>,
    pub previous_stage: Option<&'a StageRef<'a>>,
    pub next_stage: Option<&'a StageRef<'a>>,
    pub groups: Vec<Group<'a>>,
    pub pagination: Option<PaginationView>,
    /// The stage's print document.
    pub print_url: String,
}

/// `taxonomy.html`.
#[derive(Serialize)]
pub struct TaxonomyTemplate<'a> {
    pub taxonomy: &'a TaxonomyRef<'a>,
}

/// `term.html`.
#[derive(Serialize)]
pub struct TermTemplate<'a> {
    pub taxonomy: &'a TaxonomyRef<'a>,
    pub term: &'a TermRef<'a>,
    pub groups: Vec<Group<'a>>,
    pub pagination: Option<PaginationView>,
}

/// `kind.html`.
#[derive(Serialize)]
pub struct KindTemplate<'a> {
    pub kind: &'a KindRef<'a>,
    pub entries: Vec<EntryCard<'a>>,
    pub pagination: Option<PaginationView>,
}

/// `entry.html`.
#[derive(Serialize)]
pub struct EntryTemplate<'a> {
    pub entry: EntryView<'a>,
}

/// A taxonomy an entry uses, with the entry's terms in it.
#[derive(Serialize)]
pub struct EntryTaxonomy<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub url: &'a str,
    pub terms: Vec<&'a TermRef<'a>>,
}

/// `entry` on `entry.html`.
#[derive(Serialize)]
pub struct EntryView<'a> {
    pub id: &'a str,
    pub kind: &'a KindRef<'a>,
    pub title: &'a str,
    pub summary: &'a str,
    pub url: String,
    pub body_html: String,
    pub headings: &'a [Heading],
    pub stages: Vec<&'a StageRef<'a>>,
    pub taxonomies: Vec<EntryTaxonomy<'a>>,
    /// Entries listed as links, one line each (not whole cards: they are many, on every
    /// entry page).
    pub related: Vec<EntryLink<'a>>,
    pub computed_related: Vec<EntryLink<'a>>,
    pub backlinks: Vec<EntryLink<'a>>,
    pub references: Vec<&'a SourceView<'a>>,
    pub updated: String,
    pub reviewed: String,
    /// The language of its text when it is not the page's (not translated yet).
    pub text_language: Option<&'a str>,
}

/// `page.html`, a free page.
#[derive(Serialize)]
pub struct PageTemplate<'a> {
    pub page: PageView<'a>,
}

/// `page` on `page.html`.
#[derive(Serialize)]
pub struct PageView<'a> {
    pub title: &'a str,
    pub summary: &'a str,
    pub body_html: String,
    pub url: String,
    pub updated: String,
    pub headings: &'a [Heading],
    /// The language of its text when it is not the page's (not translated yet).
    pub text_language: Option<&'a str>,
}

/// `landscape.html`.
#[derive(Serialize)]
pub struct LandscapeTemplate<'a> {
    pub landscape: LandscapeView<'a>,
}

/// An entry on the landscape: only what a link needs, since the landscape names every
/// entry once per stage and once in its table (tens of thousands of values at 10,000
/// entries, each a map in Tera).
#[derive(Serialize)]
pub struct PlainLink<'a> {
    pub title: &'a str,
    pub url: &'a str,
}

#[derive(Serialize)]
pub struct LandscapeCell<'a> {
    pub stage: &'a StageRef<'a>,
    /// The cell's entries, or the first of them when it has more than `landscape::CELL_LIMIT`.
    pub entries: Vec<PlainLink<'a>>,
    /// How many entries of the kind the stage has.
    pub count: usize,
    /// When `entries` are only the first: the stage's list, where this kind's entries begin.
    pub all_url: Option<String>,
}

#[derive(Serialize)]
pub struct LandscapeRow<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub in_stage: Vec<bool>,
}

#[derive(Serialize)]
pub struct LandscapeKind<'a> {
    pub kind: &'a KindRef<'a>,
    pub cells: Vec<LandscapeCell<'a>>,
    pub rows: Vec<LandscapeRow<'a>>,
}

#[derive(Serialize)]
pub struct LandscapeView<'a> {
    pub stages: &'a [StageRef<'a>],
    pub kinds: Vec<LandscapeKind<'a>>,
}

/// `sources.html`.
#[derive(Serialize)]
pub struct SourcesTemplate<'a> {
    pub sources: Vec<SourceWithEntries<'a>>,
}

#[derive(Serialize)]
pub struct SourceWithEntries<'a> {
    #[serde(flatten)]
    pub source: &'a SourceView<'a>,
    pub entries: Vec<EntryLink<'a>>,
}

/// `search.html`.
#[derive(Serialize)]
pub struct SearchTemplate<'a> {
    /// This page's part of the A–Z list (for readers without JavaScript).
    pub entries: Vec<EntryLink<'a>>,
    pub pagination: Option<PaginationView>,
    /// Words to suggest ("funding, sponsor, evaluation"): the catalog's `search_examples`,
    /// or its most frequent title words.
    pub examples: String,
    pub stages: &'a [StageRef<'a>],
    pub kinds: &'a [KindRef<'a>],
    pub taxonomies: &'a [TaxonomyRef<'a>],
}

/// `404.html`: the common variables only.
#[derive(Serialize)]
pub struct NotFoundTemplate {}

/// `alias.html`: the redirect page at an old address (`aliases`).
#[derive(Serialize)]
pub struct AliasTemplate<'a> {
    pub target: AliasTarget<'a>,
}

/// The page an alias leads to: its title, and its URL relative to the root.
#[derive(Serialize)]
pub struct AliasTarget<'a> {
    pub title: &'a str,
    pub url: &'a str,
}
