//! The catalog held in memory between edits, and rebuilding only what an edit touches.
//!
//! A `Workspace` is two values: the `Inputs` as last read (configuration, theme, sources,
//! each content file parsed with its diagnostics; see `inputs`) and the `LastGood` site
//! built from them. An edit to content files re-parses only those files; if the result is
//! clean, entry edits are applied to the graph in place (`apply_edits`), the pages they touch
//! are found (`Dirty::pages`) and only those are rendered again (`render_edits`). Anything
//! else (configuration, theme, templates, static files, sources, a file created, deleted or
//! renamed, a draft published) reloads what changed and rebuilds the graph and every page.
//! A catalog published in several languages (spec §9) holds each other language's edition
//! the same way (see `editions`): an edit is applied to each, and renders only what it
//! touches there. Either way the site equals what a full build makes.

use super::dirty::{self, Dirty};
use super::editions::{Edition, edit_editions, render_editions};
use super::inputs::Inputs;
use crate::catalog::{self, Catalog, EntryId};
use crate::config::{self, Config};
use crate::content::{self, Document, Section};
use crate::diagnostic::{self, Diagnostic};
use crate::error::Error;
use crate::render::cards::Cards;
use crate::render::pages::Renderer;
use crate::render::theme::Theme;
use crate::render::views::CatalogViews;
use crate::render::{self, plan::Shows};
use crate::sink::{MemorySink, OutputFile, Sink};
use crate::timings::Timings;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

/// What a rebuild publishes: files to add or replace, and paths to remove.
#[derive(Debug, Default)]
pub struct SiteUpdate {
    /// When set, the site is exactly `files` (every other file is removed).
    pub replace_all: bool,
    pub files: Vec<OutputFile>,
    pub removed: Vec<String>,
}

impl SiteUpdate {
    /// The paths of the pages this update changes, for reloading open tabs.
    pub fn paths(&self) -> Vec<String> {
        self.files.iter().map(|file| file.path.clone()).chain(self.removed.iter().cloned()).collect()
    }
}

/// How a rebuild went.
#[derive(Debug)]
pub struct Outcome {
    /// Every current problem, sorted (warnings included).
    pub diagnostics: Vec<Diagnostic>,
    /// Whether the site now reflects the files on disk (false: errors, the last good site is
    /// still served).
    pub ok: bool,
    /// How many pages were rendered, and whether everything was.
    pub pages: usize,
    pub full: bool,
}

/// One kind of input file that changed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    Config,
    Sources,
    /// templates/, static/, themes/ or i18n/ (the theme and its strings).
    Theme,
    /// A path under content/, relative to the root (`content/roles/a.md`).
    Content(String),
}

impl Change {
    /// What a changed path (absolute, or relative to `root`) means, if anything.
    pub fn of(root: &Path, path: &Path) -> Option<Change> {
        let relative = path.strip_prefix(root).unwrap_or(path);
        let parts: Vec<String> =
            relative.components().map(|part| part.as_os_str().to_string_lossy().into_owned()).collect();
        let first = parts.first()?;
        match first.as_str() {
            config::FILE if parts.len() == 1 => Some(Change::Config),
            content::sources::FILE if parts.len() == 1 => Some(Change::Sources),
            "templates" | "static" | "themes" | crate::i18n::FOLDER => Some(Change::Theme),
            "content" => {
                let name = parts.last()?;
                // Editors' swap and backup files are not content.
                if name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") {
                    return None;
                }
                Some(Change::Content(parts.join("/")))
            }
            _ => None,
        }
    }
}

/// The last good site: the catalog and what was rendered from it.
pub(super) struct LastGood {
    pub(super) catalog: Catalog,
    /// Each entry's body as plain text (for the search index).
    texts: Vec<String>,
    /// Pages other than entry pages, with what each shows.
    plan: Vec<(String, Shows)>,
    /// Everything every page shows (site, navigation, stages, kinds, terms, sources).
    common: String,
    search_paths: BTreeSet<String>,
    /// Whether the search index is behind the catalog (see `Workspace::finish`).
    search_stale: bool,
    /// Every entry's card as rendered, reused while the shared views stay the same.
    cards: Option<Cards>,
    /// Whether each document was a draft, by id, when the graph was last built whole.
    draft_ids: HashMap<String, bool>,
    /// Warnings about links to drafts, per file.
    catalog_diagnostics: BTreeMap<String, Vec<Diagnostic>>,
    render_diagnostics: Vec<Diagnostic>,
    /// The editions in the catalog's other languages (spec §9), each held the same way.
    pub(super) editions: Vec<Edition>,
}

pub struct Workspace {
    inputs: Inputs,
    drafts: bool,
    good: Option<LastGood>,
    /// Whether the next good rebuild must rebuild everything.
    stale: bool,
}

/// Why edits could not be applied in place: the graph must be built whole.
pub(super) struct Fallback;

impl Workspace {
    /// Reads everything under `root`; call `rebuild` with no change to render the site.
    pub fn new(root: &Path, drafts: bool, base_url: Option<String>) -> Workspace {
        Workspace { inputs: Inputs::new(root, base_url), drafts, good: None, stale: true }
    }

    /// How many entries and pages are drafts the site being served leaves out (none with
    /// `--drafts`), as its catalog counted them: an edit that publishes or hides a draft, or
    /// adds one, builds the catalog again.
    pub fn drafts_left_out(&self) -> usize {
        self.good.as_ref().map_or(0, |good| good.catalog.drafts_left_out)
    }

    pub fn root(&self) -> &Path {
        self.inputs.root()
    }

    /// The current catalog, if the last good build made one.
    pub fn catalog(&self) -> Option<&Catalog> {
        self.good.as_ref().map(|good| &good.catalog)
    }

    /// Every current problem, sorted.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        let mut all = self.inputs.diagnostics();
        if let Some(good) = &self.good {
            all.extend(good.catalog_diagnostics.values().flatten().cloned());
            all.extend(good.render_diagnostics.iter().cloned());
        }
        diagnostic::sort(&mut all);
        all
    }

    /// Brings the site up to date with `changes` (all inputs when `changes` is empty and
    /// nothing was read yet), handing what to publish to `publish` — first the edited entry
    /// pages, then the rest. I/O errors (a folder that cannot be read) are errors.
    pub fn rebuild(
        &mut self,
        changes: &[Change],
        publish: &mut dyn FnMut(SiteUpdate),
    ) -> Result<Outcome, Error> {
        let result = self.rebuild_inner(changes, publish);
        if result.is_err() {
            self.inputs.reread_all();
        }
        result
    }

    fn rebuild_inner(
        &mut self,
        changes: &[Change],
        publish: &mut dyn FnMut(SiteUpdate),
    ) -> Result<Outcome, Error> {
        self.stale |= self.inputs.apply(changes)?.everything;
        let Some(config) = self.inputs.config.clone() else {
            return Ok(self.broken());
        };
        if diagnostic::has_errors(&self.inputs.diagnostics()) || self.inputs.theme.is_none() {
            return Ok(self.broken());
        }
        if self.stale || self.good.is_none() {
            return self.rebuild_all(config, publish);
        }
        self.rebuild_edited(publish)
    }

    /// Whether `finish` has work to do.
    pub fn unfinished(&self) -> bool {
        let stale = |good: &LastGood| good.search_stale;
        self.good.as_ref().is_some_and(|good| stale(good) || good.editions.iter().any(|e| stale(&e.good)))
            && !self.stale
    }

    /// Brings the search index up to date after in-place rebuilds. It takes longest of all
    /// (every entry's text), so `serve` runs it when no edit is waiting, and a burst of
    /// edits makes it once. Returns whether it did anything.
    pub fn finish(&mut self, publish: &mut dyn FnMut(SiteUpdate)) -> bool {
        if !self.unfinished() {
            return false;
        }
        let Some(good) = &mut self.good else { return false };
        if good.search_stale {
            publish(reindex(good));
        }
        for edition in &mut good.editions {
            if edition.good.search_stale {
                publish(under(reindex(&mut edition.good), &edition.prefix));
            }
        }
        true
    }

    fn broken(&self) -> Outcome {
        Outcome { diagnostics: self.diagnostics(), ok: false, pages: 0, full: false }
    }

    /// Rebuilds the graph and renders every page (the edited entries first), the search
    /// index and the static files: the same stages as `crate::build`, into memory.
    fn rebuild_all(&mut self, config: Config, publish: &mut dyn FnMut(SiteUpdate)) -> Result<Outcome, Error> {
        let mut catalog_diagnostics = Vec::new();
        let catalog =
            catalog::build(config, self.inputs.content.clone(), self.drafts, &mut catalog_diagnostics);
        let Some(theme) = &self.inputs.theme else {
            return Ok(self.broken());
        };
        let edited: Vec<EntryId> = self
            .inputs
            .pending
            .iter()
            .filter_map(|relative| self.inputs.document(relative))
            .filter_map(|document| catalog.entry(&document.id))
            .collect();
        let sink = MemorySink::default();
        let mut render_diagnostics = Vec::new();
        let first = (!edited.is_empty() && self.good.is_some()).then_some((edited.as_slice(), &mut *publish));
        let (mut good, mut rendered) = render_whole(catalog, theme, &sink, first, &mut render_diagnostics)?;
        let editions = render_editions(&good.catalog, theme, &sink, &mut render_diagnostics)?;
        rendered.written.extend(editions.iter().flat_map(|edition| edition.written.iter().cloned()));
        rendered.pages += editions.iter().map(|edition| edition.pages).sum::<usize>();
        let statics = render::static_files(theme, &rendered.written, &mut render_diagnostics);
        for file in statics {
            sink.put(file)?;
        }
        for diagnostic in catalog_diagnostics {
            good.catalog_diagnostics.entry(diagnostic.file.clone()).or_default().push(diagnostic);
        }
        let ok = !diagnostic::has_errors(&render_diagnostics);
        good.draft_ids = self.inputs.draft_ids();
        good.render_diagnostics = render_diagnostics;
        good.editions = editions.into_iter().map(|edition| edition.edition).collect();
        self.good = Some(good);
        self.inputs.pending.clear();
        self.stale = !ok;
        if ok {
            publish(SiteUpdate { replace_all: true, files: into_files(sink), removed: Vec::new() });
        }
        Ok(Outcome { diagnostics: self.diagnostics(), ok, pages: rendered.pages, full: true })
    }

    /// Applies the edited content files to the graph in place and renders what they touch;
    /// falls back to `rebuild_all` when an edit changes what every page shows.
    fn rebuild_edited(&mut self, publish: &mut dyn FnMut(SiteUpdate)) -> Result<Outcome, Error> {
        let pending: Vec<String> = std::mem::take(&mut self.inputs.pending).into_iter().collect();
        let documents: Vec<Document> =
            pending.iter().filter_map(|relative| self.inputs.document(relative)).cloned().collect();
        let (Some(good), Some(theme)) = (&mut self.good, &self.inputs.theme) else {
            return Ok(self.broken());
        };
        let originals: Vec<Document> =
            documents.iter().filter(|d| d.translation.is_none()).cloned().collect();
        let applied = apply_edits(good, originals, self.drafts);
        let mut rendered = match applied {
            Ok(dirty) => render_edits(good, theme, &dirty, publish)?,
            Err(Fallback) => None,
        };
        if let Some(Ok(pages)) = rendered {
            let (content, drafts) = (&self.inputs.content, self.drafts);
            rendered = edit_editions(good, &documents, content, drafts, publish)?
                .map(|more| more.map(|n| n + pages));
        }
        match rendered {
            Some(Ok(pages)) => Ok(Outcome { diagnostics: self.diagnostics(), ok: true, pages, full: false }),
            Some(Err(problems)) => {
                good.render_diagnostics.extend(problems);
                self.stale = true;
                Ok(self.broken())
            }
            None => {
                self.stale = true;
                self.inputs.pending = pending.into_iter().collect();
                let config = good.catalog.config.clone();
                self.rebuild_all(config, publish)
            }
        }
    }
}

/// Applies edited documents to the last good graph in place; returns what they changed, or
/// `Fallback` when one cannot be applied in place (a page or entry published or hidden).
pub(super) fn apply_edits(
    good: &mut LastGood,
    documents: Vec<Document>,
    drafts: bool,
) -> Result<Dirty, Fallback> {
    let mut dirty = Dirty::default();
    for document in documents {
        let published = drafts || !document.draft;
        let mut warnings = Vec::new();
        catalog::draft_link_warnings(&document, &good.draft_ids, drafts, &mut warnings);
        let file = document.file.clone();
        match document.section {
            Section::Home => {
                good.catalog.home = Some(document);
                dirty.home = true;
            }
            Section::Page => match good.catalog.pages.iter().position(|page| page.id == document.id) {
                Some(index)
                    if published && !catalog::redirects_change(&good.catalog.pages[index], &document) =>
                {
                    dirty.note_page(index, &good.catalog.pages[index], &document);
                    good.catalog.pages[index] = document;
                }
                None if !published => continue,
                _ => return Err(Fallback),
            },
            Section::Kind(_) => {
                if !published && good.catalog.entry(&document.id).is_none() {
                    continue;
                }
                let update = good.catalog.update_entry(document).map_err(|_| Fallback)?;
                dirty.note_entry(&good.catalog, update);
            }
        }
        good.catalog_diagnostics.insert(file, warnings);
    }
    Ok(dirty)
}

/// Renders the pages `dirty` touches, the edited entries first, and publishes them.
/// `Ok(None)`: what every page shows changed, so every page must be rendered;
/// `Ok(Some(Err(problems)))`: a template failed. Otherwise the number of pages rendered.
pub(super) fn render_edits(
    good: &mut LastGood,
    theme: &Theme,
    dirty: &Dirty,
    publish: &mut dyn FnMut(SiteUpdate),
) -> Result<Option<Result<usize, Vec<Diagnostic>>>, Error> {
    let catalog = &good.catalog;
    let views = CatalogViews::new(catalog);
    let (renderer, problems) = match good.cards.take() {
        Some(cards) => Renderer::reusing(theme, &views, cards, &dirty.changed_cards()),
        None => Renderer::new(theme, &views),
    };
    if diagnostic::has_errors(&problems) {
        return Ok(Some(Err(problems)));
    }
    let plan = renderer.planned();
    if dirty::common_views(&views) != good.common {
        return Ok(None);
    }
    let (entries, pages) = dirty.pages(catalog, &good.plan, &plan);
    // The edited entries first, so that the page being edited shows at once.
    let (first, rest): (Vec<EntryId>, Vec<EntryId>) =
        entries.iter().partition(|index| dirty.edited.contains(index));
    let mut rendered = 0;
    for batch in [first, rest] {
        if batch.is_empty() {
            continue;
        }
        let sink = MemorySink::default();
        let (texts, problems) = renderer.render_entries(&batch, &sink)?;
        for (&index, text) in batch.iter().zip(texts) {
            good.texts[index] = text;
        }
        rendered += batch.len();
        if diagnostic::has_errors(&problems) {
            return Ok(Some(Err(problems)));
        }
        publish(SiteUpdate { files: into_files(sink), ..SiteUpdate::default() });
    }
    let sink = MemorySink::default();
    let (count, problems) = renderer.render_pages(&pages, &sink)?;
    rendered += count;
    if diagnostic::has_errors(&problems) {
        return Ok(Some(Err(problems)));
    }
    let mut files = into_files(sink);
    if dirty.feeds {
        files.extend(render::feed_files(catalog, &renderer));
    }
    good.search_stale |= dirty.search;
    good.plan = plan;
    good.cards = Some(renderer.into_cards());
    publish(SiteUpdate { replace_all: false, files, removed: Vec::new() });
    Ok(Some(Ok(rendered)))
}

/// The search index of `good` made again.
fn reindex(good: &mut LastGood) -> SiteUpdate {
    let search = crate::search::index(&good.catalog, &good.texts);
    let now: BTreeSet<String> = search.iter().map(|file| file.path.clone()).collect();
    let removed = good.search_paths.difference(&now).cloned().collect();
    good.search_paths = now;
    good.search_stale = false;
    SiteUpdate { replace_all: false, files: search, removed }
}

/// An update of one language's edition, moved under its folder (`fr/`).
pub(super) fn under(update: SiteUpdate, prefix: &str) -> SiteUpdate {
    let files =
        update.files.into_iter().map(|file| OutputFile { path: format!("{prefix}{}", file.path), ..file });
    let removed = update.removed.into_iter().map(|path| format!("{prefix}{path}")).collect();
    SiteUpdate { replace_all: update.replace_all, files: files.collect(), removed }
}

/// Entries to render and publish before the rest (the ones being edited), and where to.
pub(super) type FirstEntries<'a, 'p> = (&'a [EntryId], &'a mut (dyn FnMut(SiteUpdate) + 'p));

/// Renders every page of `catalog` (one language's edition) and its search index into
/// `sink`; with `first`, renders those entries first and publishes them at once (the page
/// being edited shows before the rest). Returns what an in-place rebuild needs later, and
/// what was rendered.
pub(super) fn render_whole<'p>(
    catalog: Catalog,
    theme: &Theme,
    sink: &dyn Sink,
    first: Option<FirstEntries<'_, 'p>>,
    render_diagnostics: &mut Vec<Diagnostic>,
) -> Result<(LastGood, render::Rendered), Error> {
    let (mut rendered, plan, common, cards) = {
        let views = CatalogViews::new(&catalog);
        let (renderer, problems) = Renderer::new(theme, &views);
        render_diagnostics.extend(problems);
        if let Some((edited, publish)) = first {
            let sink = MemorySink::default();
            let (_, problems) = renderer.render_entries(edited, &sink)?;
            if !diagnostic::has_errors(&problems) && !diagnostic::has_errors(render_diagnostics) {
                publish(SiteUpdate { files: into_files(sink), ..SiteUpdate::default() });
            }
        }
        let rendered =
            render::site_with_renderer(&catalog, &renderer, sink, &Timings::off(), render_diagnostics)?;
        (rendered, renderer.planned(), dirty::common_views(&views), renderer.into_cards())
    };
    let index = crate::search::index(&catalog, &rendered.body_texts);
    let search_paths = index.iter().map(|file| file.path.clone()).collect();
    rendered.written.extend(index.iter().map(|file| file.path.clone()));
    for file in index {
        sink.put(file)?;
    }
    let good = LastGood {
        catalog,
        texts: std::mem::take(&mut rendered.body_texts),
        plan,
        common,
        search_paths,
        cards: Some(cards),
        search_stale: false,
        draft_ids: HashMap::new(),
        catalog_diagnostics: BTreeMap::new(),
        render_diagnostics: Vec::new(),
        editions: Vec::new(),
    };
    Ok((good, rendered))
}

pub(super) fn into_files(sink: MemorySink) -> Vec<OutputFile> {
    sink.into_files().into_iter().map(|(path, bytes)| OutputFile::new(path, bytes)).collect()
}
