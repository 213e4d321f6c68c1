//! The catalog held in memory between edits, and rebuilding only what an edit touches.
//!
//! A `Workspace` keeps every input as last read (configuration, theme, sources, each content
//! file parsed with its diagnostics) and the last good catalog. An edit to content files
//! re-parses only those files; if the result is clean, entry edits update the graph in place
//! (`Catalog::update_entry`) and only the pages that show something that changed are
//! rendered again. Anything else (configuration, theme, templates, static files, sources, a
//! file created, deleted or renamed, a draft published) reloads what changed and rebuilds
//! the graph and every page. Either way the site equals what a full build makes.

use super::dirty::{self, Dirty};
use crate::catalog::{self, Catalog};
use crate::config::{self, Config};
use crate::content::{self, Content, Document, Found, Section, Source};
use crate::diagnostic::{self, Diagnostic};
use crate::error::Error;
use crate::output::{MemorySink, OutputFile};
use crate::render::pages::{Cards, Renderer};
use crate::render::theme::{self, Theme};
use crate::render::views::Shared;
use crate::render::{self, pages::Shows};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

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
    /// templates/, static/ or themes/.
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
            "templates" | "static" | "themes" => Some(Change::Theme),
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

/// The last good catalog and what was rendered from it.
struct Good {
    catalog: Catalog,
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
    /// Warnings about links to drafts, per file.
    catalog_diagnostics: BTreeMap<String, Vec<Diagnostic>>,
    render_diagnostics: Vec<Diagnostic>,
}

pub struct Workspace {
    root: PathBuf,
    drafts: bool,
    base_url: Option<String>,
    config: Option<Config>,
    config_diagnostics: Vec<Diagnostic>,
    theme: Option<Theme>,
    theme_diagnostics: Vec<Diagnostic>,
    sources: Option<BTreeMap<String, Source>>,
    sources_diagnostics: Vec<Diagnostic>,
    found: Vec<Found>,
    discover_diagnostics: Vec<Diagnostic>,
    /// Every content file parsed, as it is on disk now (drafts included).
    content: Content,
    /// Parse problems per content file.
    file_diagnostics: BTreeMap<String, Vec<Diagnostic>>,
    link_diagnostics: Vec<Diagnostic>,
    /// Whether each document is a draft, by id, as of the last full rebuild.
    draft_ids: HashMap<String, bool>,
    good: Option<Good>,
    /// Content files re-parsed since the site was last brought up to date.
    pending: BTreeSet<String>,
    /// Whether the next good rebuild must rebuild everything.
    stale: bool,
    /// Whether the next rebuild must read every input again (at first, and after an I/O
    /// error left some input half read).
    reread: bool,
}

impl Workspace {
    /// Reads everything under `root`; call `rebuild` with no change to render the site.
    pub fn new(root: &Path, drafts: bool, base_url: Option<String>) -> Workspace {
        Workspace {
            root: root.to_path_buf(),
            drafts,
            base_url,
            config: None,
            config_diagnostics: Vec::new(),
            theme: None,
            theme_diagnostics: Vec::new(),
            sources: None,
            sources_diagnostics: Vec::new(),
            found: Vec::new(),
            discover_diagnostics: Vec::new(),
            content: Content::default(),
            file_diagnostics: BTreeMap::new(),
            link_diagnostics: Vec::new(),
            draft_ids: HashMap::new(),
            good: None,
            pending: BTreeSet::new(),
            stale: true,
            reread: true,
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The current catalog, if the last good build made one.
    pub fn catalog(&self) -> Option<&Catalog> {
        self.good.as_ref().map(|good| &good.catalog)
    }

    /// Every current problem, sorted.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        let mut all = self.input_diagnostics();
        if let Some(good) = &self.good {
            all.extend(good.catalog_diagnostics.values().flatten().cloned());
            all.extend(good.render_diagnostics.iter().cloned());
        }
        diagnostic::sort(&mut all);
        all
    }

    /// The problems of the files as read (not of rendering them).
    fn input_diagnostics(&self) -> Vec<Diagnostic> {
        let mut all: Vec<Diagnostic> = Vec::new();
        all.extend(self.config_diagnostics.iter().cloned());
        all.extend(self.theme_diagnostics.iter().cloned());
        all.extend(self.sources_diagnostics.iter().cloned());
        all.extend(self.discover_diagnostics.iter().cloned());
        all.extend(self.file_diagnostics.values().flatten().cloned());
        all.extend(self.link_diagnostics.iter().cloned());
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
            self.reread = true;
        }
        result
    }

    fn rebuild_inner(
        &mut self,
        changes: &[Change],
        publish: &mut dyn FnMut(SiteUpdate),
    ) -> Result<Outcome, Error> {
        let config_changed = std::mem::take(&mut self.reread) || changes.contains(&Change::Config);
        let sources_changed = config_changed || changes.contains(&Change::Sources);
        let theme_changed = config_changed || changes.contains(&Change::Theme);
        if config_changed {
            self.stale = true;
            self.config_diagnostics.clear();
            self.config = config::load(&self.root, self.base_url.as_deref(), &mut self.config_diagnostics)?;
        }
        let Some(config) = self.config.clone() else {
            return Ok(self.broken());
        };
        if theme_changed {
            self.stale = true;
            self.theme_diagnostics.clear();
            self.theme = theme::load(&self.root, &config, &mut self.theme_diagnostics)?;
        }
        if sources_changed {
            self.stale = true;
            self.sources_diagnostics.clear();
            self.sources = content::sources::load(&self.root, &mut self.sources_diagnostics)?;
        }
        let edited: Vec<&str> = changes
            .iter()
            .filter_map(|change| match change {
                Change::Content(path) => Some(path.as_str()),
                _ => None,
            })
            .collect();
        if sources_changed {
            self.load_all_content(&config)?;
        } else if !edited.is_empty() {
            self.load_content(&config, &edited)?;
        }
        self.link_diagnostics.clear();
        content::check_links(&self.content, &self.found, &mut self.link_diagnostics);

        if diagnostic::has_errors(&self.input_diagnostics()) || self.theme.is_none() {
            return Ok(self.broken());
        }
        if self.stale || self.good.is_none() {
            return self.rebuild_all(config, publish);
        }
        self.rebuild_edited(publish)
    }

    /// Whether `finish` has work to do.
    pub fn unfinished(&self) -> bool {
        self.good.as_ref().is_some_and(|good| good.search_stale) && !self.stale
    }

    /// Brings the search index up to date after in-place rebuilds. It takes longest of all
    /// (every entry's text), so `serve` runs it when no edit is waiting, and a burst of
    /// edits makes it once. Returns whether it did anything.
    pub fn finish(&mut self, publish: &mut dyn FnMut(SiteUpdate)) -> bool {
        if !self.unfinished() {
            return false;
        }
        let Some(good) = &mut self.good else { return false };
        let search = render::search_files(&good.catalog, &good.texts);
        let now: BTreeSet<String> = search.iter().map(|file| file.path.clone()).collect();
        let removed = good.search_paths.difference(&now).cloned().collect();
        good.search_paths = now;
        good.search_stale = false;
        publish(SiteUpdate { replace_all: false, files: search, removed });
        true
    }

    fn broken(&self) -> Outcome {
        Outcome { diagnostics: self.diagnostics(), ok: false, pages: 0, full: false }
    }

    /// Discovers and parses every content file.
    fn load_all_content(&mut self, config: &Config) -> Result<(), Error> {
        self.stale = true;
        self.discover_diagnostics.clear();
        self.found = content::discover(&self.root, config, &mut self.discover_diagnostics)?;
        self.file_diagnostics.clear();
        let sources = self.sources.as_ref();
        use rayon::prelude::*;
        let parsed: Vec<(Option<Document>, Vec<Diagnostic>)> = self
            .found
            .par_iter()
            .map(|file| {
                let mut problems = Vec::new();
                (content::load_file(file, config, sources, &mut problems), problems)
            })
            .collect();
        let mut fresh = Content { sources: self.sources.clone().unwrap_or_default(), ..Content::default() };
        for (file, (document, problems)) in self.found.iter().zip(parsed) {
            self.file_diagnostics.insert(file.relative.clone(), problems);
            match document {
                Some(document) if document.section == Section::Home => fresh.home = Some(document),
                Some(document) => fresh.documents.push(document),
                None => {}
            }
        }
        fresh.documents.sort_by(|a, b| a.id.cmp(&b.id));
        self.content = fresh;
        self.pending.clear();
        Ok(())
    }

    /// Re-parses the content files at `paths`; a file created, deleted or renamed makes the
    /// next rebuild a full one.
    fn load_content(&mut self, config: &Config, paths: &[&str]) -> Result<(), Error> {
        let known: HashMap<&str, usize> =
            self.found.iter().enumerate().map(|(index, file)| (file.relative.as_str(), index)).collect();
        let structural = paths.iter().any(|path| match known.get(path) {
            Some(&index) => !self.found[index].path.is_file(),
            None => true,
        });
        let mut to_parse: Vec<Found> =
            paths.iter().filter_map(|path| known.get(path).map(|&index| self.found[index].clone())).collect();
        if structural {
            let mut discovered = Vec::new();
            let found = content::discover(&self.root, config, &mut discovered)?;
            if found != self.found || discovered != self.discover_diagnostics {
                self.stale = true;
                let old: HashSet<&str> = self.found.iter().map(|file| file.relative.as_str()).collect();
                to_parse = found
                    .iter()
                    .filter(|file| {
                        !old.contains(file.relative.as_str()) || paths.contains(&file.relative.as_str())
                    })
                    .cloned()
                    .collect();
                let now: HashSet<&str> = found.iter().map(|file| file.relative.as_str()).collect();
                let gone: Vec<String> = self
                    .found
                    .iter()
                    .filter(|file| !now.contains(file.relative.as_str()))
                    .map(|file| file.relative.clone())
                    .collect();
                for relative in gone {
                    self.file_diagnostics.remove(&relative);
                    self.remove_document(&relative);
                }
                self.found = found;
                self.discover_diagnostics = discovered;
            }
        }
        for file in to_parse {
            let mut problems = Vec::new();
            let document = content::load_file(&file, config, self.sources.as_ref(), &mut problems);
            self.file_diagnostics.insert(file.relative.clone(), problems);
            self.remove_document(&file.relative);
            match document {
                Some(document) if document.section == Section::Home => self.content.home = Some(document),
                Some(document) => {
                    let at = self.content.documents.partition_point(|other| other.id < document.id);
                    self.content.documents.insert(at, document);
                }
                None => {}
            }
            self.pending.insert(file.relative);
        }
        Ok(())
    }

    fn remove_document(&mut self, relative: &str) {
        if self.content.home.as_ref().is_some_and(|home| home.file == relative) {
            self.content.home = None;
        }
        self.content.documents.retain(|document| document.file != relative);
    }

    fn document(&self, relative: &str) -> Option<&Document> {
        self.content
            .home
            .iter()
            .chain(self.content.documents.iter())
            .find(|document| document.file == relative)
    }

    /// Rebuilds the graph and renders every page: the edited entries first.
    fn rebuild_all(&mut self, config: Config, publish: &mut dyn FnMut(SiteUpdate)) -> Result<Outcome, Error> {
        let mut catalog_diagnostics = Vec::new();
        let catalog = catalog::build(config, self.content.clone(), self.drafts, &mut catalog_diagnostics);
        let Some(theme) = &self.theme else {
            return Ok(self.broken());
        };
        let edited: Vec<usize> = self
            .pending
            .iter()
            .filter_map(|relative| self.document(relative))
            .filter_map(|document| catalog.entry(&document.id))
            .collect();
        let sink = MemorySink::default();
        let mut render_diagnostics = Vec::new();
        let (rendered, plan, common, cards) = {
            let shared = Shared::new(&catalog);
            let renderer = Renderer::new(theme, &shared);
            if !edited.is_empty() && self.good.is_some() {
                let first = MemorySink::default();
                renderer.some_entries(&edited, &first)?;
                if !diagnostic::has_errors(&renderer.take_diagnostics()) {
                    publish(SiteUpdate { files: into_files(first), ..SiteUpdate::default() });
                }
            }
            let rendered =
                render::site_with_renderer(theme, &catalog, &renderer, &sink, &mut render_diagnostics)?;
            (rendered, renderer.planned(), dirty::common_views(&shared), renderer.into_cards())
        };
        self.draft_ids = self.content.documents.iter().map(|d| (d.id.clone(), d.draft)).collect();
        let mut by_file: BTreeMap<String, Vec<Diagnostic>> = BTreeMap::new();
        for diagnostic in catalog_diagnostics {
            by_file.entry(diagnostic.file.clone()).or_default().push(diagnostic);
        }
        let ok = !diagnostic::has_errors(&render_diagnostics);
        self.good = Some(Good {
            catalog,
            texts: rendered.body_texts,
            plan,
            common,
            search_paths: rendered.search_paths.into_iter().collect(),
            cards: Some(cards),
            search_stale: false,
            catalog_diagnostics: by_file,
            render_diagnostics,
        });
        self.pending.clear();
        self.stale = !ok;
        if ok {
            publish(SiteUpdate { replace_all: true, files: into_files(sink), removed: Vec::new() });
        }
        Ok(Outcome { diagnostics: self.diagnostics(), ok, pages: rendered.summary.pages, full: true })
    }

    /// Applies the edited content files to the graph in place and renders what they touch.
    fn rebuild_edited(&mut self, publish: &mut dyn FnMut(SiteUpdate)) -> Result<Outcome, Error> {
        let pending: Vec<String> = std::mem::take(&mut self.pending).into_iter().collect();
        let documents: Vec<Document> =
            pending.iter().filter_map(|relative| self.document(relative)).cloned().collect();
        let Some(good) = &mut self.good else {
            return Ok(self.broken());
        };
        let mut dirty = Dirty::default();
        let mut fallback = false;
        for document in documents {
            let published = self.drafts || !document.draft;
            let mut warnings = Vec::new();
            catalog::draft_link_warnings(&document, &self.draft_ids, self.drafts, &mut warnings);
            let file = document.file.clone();
            match document.section {
                Section::Home => {
                    good.catalog.home = Some(document);
                    dirty.home = true;
                }
                Section::Page => match good.catalog.pages.iter().position(|page| page.id == document.id) {
                    Some(index) if published => {
                        dirty.note_page(index, &good.catalog.pages[index], &document);
                        good.catalog.pages[index] = document;
                    }
                    None if !published => continue,
                    _ => fallback = true,
                },
                Section::Kind(_) => {
                    if !published && good.catalog.entry(&document.id).is_none() {
                        continue;
                    }
                    match good.catalog.update_entry(document) {
                        Ok(update) => dirty.note_entry(&good.catalog, update),
                        Err(_) => fallback = true,
                    }
                }
            }
            if fallback {
                break;
            }
            good.catalog_diagnostics.insert(file, warnings);
        }
        let Some(theme) = &self.theme else {
            return Ok(self.broken());
        };
        if fallback {
            self.stale = true;
            self.pending = pending.into_iter().collect();
            let config = good.catalog.config.clone();
            return self.rebuild_all(config, publish);
        }

        let catalog = &good.catalog;
        let shared = Shared::new(catalog);
        let renderer = match good.cards.take() {
            Some(cards) => Renderer::reusing(theme, &shared, cards, &dirty.changed_cards()),
            None => Renderer::new(theme, &shared),
        };
        let plan = renderer.planned();
        let common = dirty::common_views(&shared);
        if common != good.common {
            // Every page shows the navigation, counts and the like: render them all.
            drop(renderer);
            self.stale = true;
            self.pending = pending.into_iter().collect();
            let config = catalog.config.clone();
            return self.rebuild_all(config, publish);
        }
        let (entries, pages) = dirty.pages(catalog, &good.plan, &plan);

        // The edited entries first, so that the page being edited shows at once.
        let (first, rest): (Vec<usize>, Vec<usize>) =
            entries.iter().partition(|index| dirty.edited.contains(index));
        let mut rendered = 0;
        for batch in [first, rest] {
            if batch.is_empty() {
                continue;
            }
            let sink = MemorySink::default();
            let texts = renderer.some_entries(&batch, &sink)?;
            for (&index, text) in batch.iter().zip(texts) {
                good.texts[index] = text;
            }
            rendered += batch.len();
            let problems = renderer.take_diagnostics();
            if diagnostic::has_errors(&problems) {
                good.render_diagnostics.extend(problems);
                self.stale = true;
                return Ok(self.broken());
            }
            publish(SiteUpdate { files: into_files(sink), ..SiteUpdate::default() });
        }
        let sink = MemorySink::default();
        rendered += renderer.some_pages(&|url: &str| pages.contains(url), &sink)?;
        let problems = renderer.take_diagnostics();
        if diagnostic::has_errors(&problems) {
            good.render_diagnostics.extend(problems);
            self.stale = true;
            return Ok(self.broken());
        }
        let mut files = into_files(sink);
        if dirty.feeds {
            files.extend(render::feed_files(catalog, &renderer));
        }
        good.search_stale |= dirty.search;
        good.plan = plan;
        good.cards = Some(renderer.into_cards());
        publish(SiteUpdate { replace_all: false, files, removed: Vec::new() });
        Ok(Outcome { diagnostics: self.diagnostics(), ok: true, pages: rendered, full: false })
    }
}

fn into_files(sink: MemorySink) -> Vec<OutputFile> {
    sink.into_files().into_iter().map(|(path, bytes)| OutputFile { path, bytes }).collect()
}
