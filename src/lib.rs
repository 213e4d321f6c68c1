//! copcat: a static site generator for catalogs of management guidance.
//!
//! A build is a straight line of plain values (see STYLE.md):
//! `config::load` → `content::load` → `catalog::build` → `render::site` + `search::index`
//! → `output::publish`.

pub mod catalog;
pub mod cli;
pub mod config;
pub mod content;
pub mod diagnostic;
pub mod error;
pub mod scaffold;
pub mod search;
pub mod slug;
pub mod toml_fields;
pub mod output;
pub mod render;

use catalog::Catalog;
use diagnostic::Diagnostic;
use error::Error;
use std::path::Path;

/// What to load: the catalog root, whether drafts are published, and an optional
/// replacement for `base_url`.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions<'a> {
    pub drafts: bool,
    pub base_url: Option<&'a str>,
}

/// Loads, validates and links a catalog. `Ok(None)` means it has errors too serious to go
/// on with (configuration errors); content errors still yield a catalog, so that every
/// problem is reported in one run, and the caller decides from `diagnostics`.
pub fn load_catalog(root: &Path, options: &LoadOptions, diagnostics: &mut Vec<Diagnostic>) -> Result<Option<Catalog>, Error> {
    let Some(mut config) = config::load(root, diagnostics)? else {
        return Ok(None);
    };
    if let Some(base_url) = options.base_url {
        config.base_url = config::normalize_base_url(base_url);
    }
    let content = content::load(root, &config, diagnostics)?;
    Ok(Some(catalog::build(config, content, options.drafts, diagnostics)))
}

pub struct BuildSummary { pub pages: usize, pub files: usize, pub bytes: u64 }
pub fn build_site(_root: &Path, _catalog: &Catalog, _output: &Path, _d: &mut Vec<Diagnostic>) -> Result<BuildSummary, Error> { Ok(BuildSummary { pages: 0, files: 0, bytes: 0 }) }
pub fn render_site(_root: &Path, _catalog: &Catalog, _d: &mut Vec<Diagnostic>) -> Result<(), Error> { Ok(()) }
