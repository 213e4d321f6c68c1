//! The catalog graph (spec §5): published entries by kind, stage and term; explicit and
//! computed related entries; backlinks; citations. Computed once, held as plain indices.

mod aliases;
mod incremental;
mod related;

pub use incremental::{EntryUpdate, redirects_change};

use crate::config::Config;
use crate::content::{Content, Document, Section, Source, link_path_to_id};
use crate::diagnostic::Diagnostic;
use std::collections::{BTreeMap, HashMap};

/// How many computed related entries an entry shows.
pub const RELATED_LIMIT: usize = 5;

/// A published entry: its place in `Catalog::entries`, and in every per-entry list
/// (`related`, `computed_related`, `backlinks`), which are indexed by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EntryId(usize);

impl EntryId {
    pub fn new(index: usize) -> EntryId {
        EntryId(index)
    }

    pub fn index(self) -> usize {
        self.0
    }
}

impl<T> std::ops::Index<EntryId> for Vec<T> {
    type Output = T;

    fn index(&self, id: EntryId) -> &T {
        &self[id.0]
    }
}

impl<T> std::ops::IndexMut<EntryId> for Vec<T> {
    fn index_mut(&mut self, id: EntryId) -> &mut T {
        &mut self[id.0]
    }
}

impl<T> std::ops::Index<EntryId> for [T] {
    type Output = T;

    fn index(&self, id: EntryId) -> &T {
        &self[id.0]
    }
}

impl<T> std::ops::IndexMut<EntryId> for [T] {
    fn index_mut(&mut self, id: EntryId) -> &mut T {
        &mut self[id.0]
    }
}

#[derive(Debug)]
pub struct Catalog {
    pub config: Config,
    pub home: Option<Document>,
    /// Published entries of every kind, sorted by id.
    pub entries: Vec<Document>,
    /// Published free pages, sorted by id.
    pub pages: Vec<Document>,
    pub sources: BTreeMap<String, Source>,
    /// Per kind (as in `Config::kinds`): entries in list order (weight, then title).
    pub by_kind: Vec<Vec<EntryId>>,
    /// Per stage: entries in list order.
    pub by_stage: Vec<Vec<EntryId>>,
    /// Per taxonomy, per term: entries in list order.
    pub by_term: Vec<Vec<Vec<EntryId>>>,
    /// Per entry: its explicit related entries that are published, as written.
    pub related: Vec<Vec<EntryId>>,
    /// Per entry: entries sharing stages and terms, best overlap first, at most `RELATED_LIMIT`.
    pub computed_related: Vec<Vec<EntryId>>,
    /// Per entry: entries whose `related` or body links point to it, in list order.
    pub backlinks: Vec<Vec<EntryId>>,
    /// Per source key: the entries citing it, in list order.
    pub citations: BTreeMap<String, Vec<EntryId>>,
    /// Every entry in list order (weight, then title), for A–Z and feeds.
    pub ordered: Vec<EntryId>,
    /// Translations of entries, pages and the home page into the other languages the site
    /// is published in (see `localized`).
    pub translations: Vec<Document>,
    /// How many entries and pages are drafts this build leaves out (none with `--drafts`).
    pub drafts_left_out: usize,
    entry_index: HashMap<String, EntryId>,
    page_index: HashMap<String, usize>,
}

/// What an `@/` link or id points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Entry(EntryId),
    Page(usize),
    Home,
}

impl Catalog {
    pub fn entry(&self, id: &str) -> Option<EntryId> {
        self.entry_index.get(id).copied()
    }

    /// Every published entry, in `entries` order (by id).
    pub fn entry_ids(&self) -> impl Iterator<Item = EntryId> + use<> {
        (0..self.entries.len()).map(EntryId)
    }

    /// Resolves an `@/` path (`roles/a.md`) to what it names, if published.
    pub fn target(&self, path: &str) -> Option<Target> {
        let id = link_path_to_id(path);
        if id == "_index" {
            return Some(Target::Home);
        }
        self.entry_index
            .get(id)
            .map(|&index| Target::Entry(index))
            .or_else(|| self.page_index.get(id).map(|&index| Target::Page(index)))
    }
}

impl Catalog {
    /// The catalog as its edition in another language `code` shows it (spec §9): the
    /// configuration's names in that language, each entry and page in its translation, or
    /// in its original words where it has none, and lists ordered by the translated titles.
    /// Entries keep their ids (`EntryId`s are the same in every edition). `None` if the
    /// site is not published in `code`.
    pub fn localized(&self, code: &str) -> Option<Catalog> {
        let config = self.config.localized(code)?;
        let original_language = &self.config.language;
        let translated = crate::content::translations::of_language(&self.translations, code);
        let localize = |document: &Document| {
            let translation = translated.get(document.id.as_str()).copied();
            crate::content::translations::localize(document, translation, original_language)
        };
        let content = Content {
            home: self.home.as_ref().map(localize),
            documents: self.entries.iter().chain(self.pages.iter()).map(localize).collect(),
            translations: Vec::new(),
            sources: self.sources.clone(),
        };
        // Everything was checked in the catalog's own language: drafts are already left
        // out (or in), and a problem would only be reported twice.
        Some(build(config, content, true, &mut Vec::new()))
    }
}

/// Orders entries as lists show them: weight, then title, then id (so ties are stable).
/// Keys are made once per entry (a title lowercased per comparison cost more than the sort).
fn list_order(entries: &[Document], indices: &mut [EntryId]) {
    indices.sort_by_cached_key(|&index| {
        let entry = &entries[index.0];
        (entry.weight, entry.title.to_lowercase(), entry.id.as_str())
    });
}

pub fn build(
    config: Config,
    content: Content,
    include_drafts: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Catalog {
    aliases::check(&config, &content.documents, diagnostics);
    let drafts: HashMap<String, bool> = content.documents.iter().map(|d| (d.id.clone(), d.draft)).collect();
    let published = |document: &Document| include_drafts || !document.draft;
    let drafts_left_out = content.documents.iter().filter(|document| !published(document)).count();
    let (mut entries, mut pages) = (Vec::new(), Vec::new());
    for document in content.documents.into_iter().filter(|d| published(d)) {
        match document.section {
            Section::Kind(_) => entries.push(document),
            _ => pages.push(document),
        }
    }
    let entry_index: HashMap<String, EntryId> =
        entries.iter().enumerate().map(|(i, e)| (e.id.clone(), EntryId(i))).collect();
    let page_index: HashMap<String, usize> =
        pages.iter().enumerate().map(|(i, p)| (p.id.clone(), i)).collect();
    let home = content.home;

    // Links to drafts left out of this build are dropped, with a warning to the editor.
    for document in entries.iter().chain(pages.iter()).chain(home.iter()) {
        draft_link_warnings(document, &drafts, include_drafts, diagnostics);
    }

    let mut ordered: Vec<EntryId> = (0..entries.len()).map(EntryId).collect();
    list_order(&entries, &mut ordered);
    let lists = Lists::new(&config, &entries, &ordered);
    let related: Vec<Vec<EntryId>> =
        (0..entries.len()).map(|index| explicit_related(&entries, &entry_index, EntryId(index))).collect();
    let backlinks = backlinks(&entries, &related, &entry_index, &ordered);

    let computed_related = related::compute(&entries, &related, RELATED_LIMIT);

    Catalog {
        config,
        home,
        entries,
        pages,
        sources: content.sources,
        by_kind: lists.by_kind,
        by_stage: lists.by_stage,
        by_term: lists.by_term,
        related,
        computed_related,
        backlinks,
        citations: lists.citations,
        ordered,
        translations: content.translations,
        drafts_left_out,
        entry_index,
        page_index,
    }
}

/// Says that `count` drafts are not in the site, and what puts them in (`how`): a new entry
/// starts as a draft, and an editor who looks for it in the site learns why it is not there.
pub fn drafts_note(count: usize, how: &str) -> String {
    let drafts = if count == 1 { "1 draft is".to_string() } else { format!("{count} drafts are") };
    format!("note: {drafts} left out; {how}")
}

/// Warns about `document`'s links to drafts that this build leaves out (`drafts` maps every
/// document id to whether it is a draft).
pub fn draft_link_warnings(
    document: &Document,
    drafts: &HashMap<String, bool>,
    include_drafts: bool,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if include_drafts {
        return;
    }
    for (target, position) in &document.related {
        if drafts.get(target) == Some(&true) {
            diagnostics.push(
                Diagnostic::warning(
                    &document.file,
                    *position,
                    format!("related entry \"{target}\" is a draft and is left out"),
                )
                .with_help("publish it (draft = false) or build with --drafts"),
            );
        }
    }
    for link in &document.links {
        if drafts.get(link_path_to_id(&link.path)) == Some(&true) {
            diagnostics.push(
                Diagnostic::warning(
                    &document.file,
                    link.position,
                    format!("\"@/{}\" is a draft; the link shows as plain text", link.path),
                )
                .with_help("publish it (draft = false) or build with --drafts"),
            );
        }
    }
}

/// The entries of each kind, stage and term, and the citations of each source, in list order.
struct Lists {
    by_kind: Vec<Vec<EntryId>>,
    by_stage: Vec<Vec<EntryId>>,
    by_term: Vec<Vec<Vec<EntryId>>>,
    citations: BTreeMap<String, Vec<EntryId>>,
}

impl Lists {
    fn new(config: &Config, entries: &[Document], ordered: &[EntryId]) -> Lists {
        let mut by_kind = vec![Vec::new(); config.kinds.len()];
        let mut by_stage = vec![Vec::new(); config.stages.len()];
        let mut by_term: Vec<Vec<Vec<EntryId>>> =
            config.taxonomies.iter().map(|taxonomy| vec![Vec::new(); taxonomy.terms.len()]).collect();
        let mut citations: BTreeMap<String, Vec<EntryId>> = BTreeMap::new();
        for &index in ordered {
            let entry = &entries[index.0];
            if let Some(kind) = entry.kind() {
                by_kind[kind].push(index);
            }
            for &stage in &entry.stages {
                by_stage[stage].push(index);
            }
            for (taxonomy, terms) in entry.terms.iter().enumerate() {
                for &term in terms {
                    by_term[taxonomy][term].push(index);
                }
            }
            for key in &entry.sources {
                citations.entry(key.clone()).or_default().push(index);
            }
        }
        Lists { by_kind, by_stage, by_term, citations }
    }
}

/// The explicit related entries of `index` that are published, as written, without repeats.
fn explicit_related(
    entries: &[Document],
    entry_index: &HashMap<String, EntryId>,
    index: EntryId,
) -> Vec<EntryId> {
    let entry = &entries[index.0];
    let mut targets: Vec<EntryId> = Vec::new();
    for (target, _) in &entry.related {
        if let Some(&other) = entry_index.get(target.as_str())
            && entries[other.0].id != entry.id
            && !targets.contains(&other)
        {
            targets.push(other);
        }
    }
    targets
}

/// Per entry: the entries whose `related` or body links point to it, in list order.
fn backlinks(
    entries: &[Document],
    related: &[Vec<EntryId>],
    entry_index: &HashMap<String, EntryId>,
    ordered: &[EntryId],
) -> Vec<Vec<EntryId>> {
    let mut backlinks: Vec<Vec<EntryId>> = vec![Vec::new(); entries.len()];
    for (source, entry) in entries.iter().enumerate() {
        let source = EntryId(source);
        let linked = entry.links.iter().filter_map(|link| entry_index.get(link_path_to_id(&link.path)));
        for &target in related[source.0].iter().chain(linked) {
            if target != source && !backlinks[target].contains(&source) {
                backlinks[target].push(source);
            }
        }
    }
    let mut rank = vec![0; entries.len()];
    for (position, &index) in ordered.iter().enumerate() {
        rank[index] = position;
    }
    for list in &mut backlinks {
        list.sort_by_key(|&index| rank[index]);
    }
    backlinks
}
