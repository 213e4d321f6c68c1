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
pub mod output;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod slug;
pub mod timings;
pub mod toml_fields;

/// Internals the fuzz targets (`fuzz/`) and `tests/fuzz_corpus.rs` call; not an API.
#[doc(hidden)]
pub mod fuzzing {
    pub use crate::content::document::parse as parse_document;
    pub use crate::search::analyze::{Analysis, DocumentText, FIELD_COUNT, analyze};
    pub use crate::search::language::Language;
    pub use crate::search::text::{MAX_WORD_CHARS, fold_into, for_each_word, is_indexable};
}

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
pub fn load_catalog(
    root: &Path,
    options: &LoadOptions,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Option<Catalog>, Error> {
    let Some(mut config) = config::load(root, diagnostics)? else {
        return Ok(None);
    };
    if let Some(base_url) = options.base_url {
        config.base_url = config::normalize_base_url(base_url);
    }
    let content = content::load(root, &config, diagnostics)?;
    timings::stage("load");
    let catalog = catalog::build(config, content, options.drafts, diagnostics);
    timings::stage("graph");
    Ok(Some(catalog))
}

/// What a build wrote.
#[derive(Debug, Clone, Copy)]
pub struct BuildSummary {
    pub pages: usize,
    pub files: usize,
    pub bytes: u64,
}

/// Renders `catalog` into a staging folder and swaps it in for `output` only if the
/// render had no error: a failed build leaves the previous output as it was.
pub fn build_site(
    root: &Path,
    catalog: &Catalog,
    output: &Path,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<BuildSummary, Error> {
    build_site_with_progress(root, catalog, output, &|_| {}, diagnostics)
}

/// `build_site`, calling `progress` with the number of files rendered so far as each one is
/// (from many threads), for a progress bar.
pub fn build_site_with_progress(
    root: &Path,
    catalog: &Catalog,
    output: &Path,
    progress: &(dyn Fn(usize) + Sync),
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<BuildSummary, Error> {
    let staging = output::Staging::new(output)?;
    let observed = output::Observed::new(&staging, progress);
    let rendered = render::site(root, catalog, &observed, diagnostics);
    match rendered {
        Ok(Some(summary)) if !diagnostic::has_errors(diagnostics) => {
            let tally = output::publish(staging, output)?;
            timings::stage("write");
            Ok(BuildSummary { pages: summary.pages, files: tally.files(), bytes: tally.bytes() })
        }
        Ok(_) => {
            staging.discard();
            Err(Error::Invalid)
        }
        Err(error) => {
            staging.discard();
            Err(error)
        }
    }
}

/// Renders `catalog` into nothing, so that `check` catches template errors too.
pub fn render_site(root: &Path, catalog: &Catalog, diagnostics: &mut Vec<Diagnostic>) -> Result<(), Error> {
    let sink = output::NullSink::default();
    render::site(root, catalog, &sink, diagnostics)?;
    Ok(())
}
