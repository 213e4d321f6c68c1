//! Every input of a build as last read (configuration, theme, sources, each content file
//! parsed, with the problems found in each), read again only where an edit touched it.

use super::incremental::Change;
use crate::config::{self, Config};
use crate::content::{self, Content, ContentFile, Document, Section, Source};
use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::render::theme::{self, Theme};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

pub struct Inputs {
    root: PathBuf,
    base_url: Option<String>,
    pub config: Option<Config>,
    config_diagnostics: Vec<Diagnostic>,
    pub theme: Option<Theme>,
    theme_diagnostics: Vec<Diagnostic>,
    sources: Option<BTreeMap<String, Source>>,
    sources_diagnostics: Vec<Diagnostic>,
    found: Vec<ContentFile>,
    discover_diagnostics: Vec<Diagnostic>,
    /// Every content file parsed, as it is on disk now (drafts included).
    pub content: Content,
    /// Parse problems per content file.
    file_diagnostics: BTreeMap<String, Vec<Diagnostic>>,
    link_diagnostics: Vec<Diagnostic>,
    /// Content files re-parsed since the site was last brought up to date.
    pub pending: BTreeSet<String>,
    /// Whether the next `apply` must read every input again (at first, and after an I/O
    /// error left some input half read).
    reread: bool,
}

/// What `apply` read again.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Applied {
    /// Something every page depends on (configuration, theme, sources, which files exist)
    /// changed: every page must be rendered again.
    pub everything: bool,
}

impl Inputs {
    /// Inputs not read yet: the first `apply` reads them all.
    pub fn new(root: &Path, base_url: Option<String>) -> Inputs {
        Inputs {
            root: root.to_path_buf(),
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
            pending: BTreeSet::new(),
            reread: true,
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Reads again what `changes` touch (everything after `reread_all`), and checks links.
    pub fn apply(&mut self, changes: &[Change]) -> Result<Applied, Error> {
        let result = self.apply_inner(changes);
        if result.is_err() {
            self.reread = true;
        }
        result
    }

    /// Makes the next `apply` read every input again.
    pub fn reread_all(&mut self) {
        self.reread = true;
    }

    fn apply_inner(&mut self, changes: &[Change]) -> Result<Applied, Error> {
        let config_changed = std::mem::take(&mut self.reread) || changes.contains(&Change::Config);
        let sources_changed = config_changed || changes.contains(&Change::Sources);
        let theme_changed = config_changed || changes.contains(&Change::Theme);
        let mut applied = Applied { everything: config_changed || sources_changed || theme_changed };
        if config_changed {
            self.config_diagnostics.clear();
            self.config = config::load(&self.root, self.base_url.as_deref(), &mut self.config_diagnostics)?;
        }
        let Some(config) = self.config.clone() else {
            return Ok(applied);
        };
        if theme_changed {
            self.theme_diagnostics.clear();
            self.theme = theme::load(&self.root, &config, &mut self.theme_diagnostics)?;
        }
        if sources_changed {
            self.sources_diagnostics.clear();
            self.sources = content::sources::load(&self.root, &mut self.sources_diagnostics)?;
            self.load_all_content(&config)?;
        } else {
            let edited: Vec<&str> = changes
                .iter()
                .filter_map(|change| match change {
                    Change::Content(path) => Some(path.as_str()),
                    _ => None,
                })
                .collect();
            if !edited.is_empty() {
                applied.everything |= self.load_content(&config, &edited)?;
            }
        }
        self.link_diagnostics.clear();
        content::check_links(&self.content, &self.found, &mut self.link_diagnostics);
        if let Some(config) = &self.config {
            content::translations::check(&self.content, config, &mut self.link_diagnostics);
        }
        Ok(applied)
    }

    /// The problems of the files as read (not of building them).
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        let mut all: Vec<Diagnostic> = Vec::new();
        all.extend(self.config_diagnostics.iter().cloned());
        all.extend(self.theme_diagnostics.iter().cloned());
        all.extend(self.sources_diagnostics.iter().cloned());
        all.extend(self.discover_diagnostics.iter().cloned());
        all.extend(self.file_diagnostics.values().flatten().cloned());
        all.extend(self.link_diagnostics.iter().cloned());
        all
    }

    /// Whether each document is a draft, by id.
    pub fn draft_ids(&self) -> HashMap<String, bool> {
        self.content.documents.iter().map(|document| (document.id.clone(), document.draft)).collect()
    }

    /// The document parsed from the content file at `relative`, if it parsed.
    pub fn document(&self, relative: &str) -> Option<&Document> {
        self.content
            .home
            .iter()
            .chain(self.content.documents.iter())
            .chain(self.content.translations.iter())
            .find(|document| document.file == relative)
    }

    /// Discovers and parses every content file.
    fn load_all_content(&mut self, config: &Config) -> Result<(), Error> {
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
                Some(document) if document.translation.is_some() => fresh.translations.push(document),
                Some(document) if document.section == Section::Home => fresh.home = Some(document),
                Some(document) => fresh.documents.push(document),
                None => {}
            }
        }
        fresh.documents.sort_by(|a, b| a.id.cmp(&b.id));
        fresh.translations.sort_by(|a, b| a.file.cmp(&b.file));
        self.content = fresh;
        self.pending.clear();
        Ok(())
    }

    /// Re-parses the content files at `paths`; returns whether a file was created, deleted
    /// or renamed (which makes the next rebuild a full one).
    fn load_content(&mut self, config: &Config, paths: &[&str]) -> Result<bool, Error> {
        let known: HashMap<&str, usize> =
            self.found.iter().enumerate().map(|(index, file)| (file.relative.as_str(), index)).collect();
        let structural = paths.iter().any(|path| match known.get(path) {
            Some(&index) => !self.found[index].path.is_file(),
            None => true,
        });
        let mut to_parse: Vec<ContentFile> =
            paths.iter().filter_map(|path| known.get(path).map(|&index| self.found[index].clone())).collect();
        let mut changed_files = false;
        if structural {
            let mut discovered = Vec::new();
            let found = content::discover(&self.root, config, &mut discovered)?;
            if found != self.found || discovered != self.discover_diagnostics {
                changed_files = true;
                to_parse = self.rediscovered(found, discovered, paths);
            }
        }
        for file in to_parse {
            let mut problems = Vec::new();
            let document = content::load_file(&file, config, self.sources.as_ref(), &mut problems);
            self.file_diagnostics.insert(file.relative.clone(), problems);
            self.remove_document(&file.relative);
            match document {
                Some(document) if document.translation.is_some() => {
                    let at = self.content.translations.partition_point(|other| other.file < document.file);
                    self.content.translations.insert(at, document);
                }
                Some(document) if document.section == Section::Home => self.content.home = Some(document),
                Some(document) => {
                    let at = self.content.documents.partition_point(|other| other.id < document.id);
                    self.content.documents.insert(at, document);
                }
                None => {}
            }
            self.pending.insert(file.relative);
        }
        Ok(changed_files)
    }

    /// Takes a new discovery of content/: forgets the files that are gone, and returns those
    /// to parse (the new ones and the edited `paths`).
    fn rediscovered(
        &mut self,
        found: Vec<ContentFile>,
        discovered: Vec<Diagnostic>,
        paths: &[&str],
    ) -> Vec<ContentFile> {
        let old: HashSet<&str> = self.found.iter().map(|file| file.relative.as_str()).collect();
        let to_parse = found
            .iter()
            .filter(|file| !old.contains(file.relative.as_str()) || paths.contains(&file.relative.as_str()))
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
        to_parse
    }

    fn remove_document(&mut self, relative: &str) {
        if self.content.home.as_ref().is_some_and(|home| home.file == relative) {
            self.content.home = None;
        }
        self.content.documents.retain(|document| document.file != relative);
        self.content.translations.retain(|document| document.file != relative);
    }
}
