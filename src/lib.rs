//! copcat: a static site generator for catalogs of management guidance.
//!
//! A build is a straight line of plain values (see STYLE.md), all of it in `build`:
//! `config::load` → `content::load` → `catalog::build` → `render::site` → `search::index`
//! → `output::publish`. Each stage is a module that imports only the ones before it, and the
//! modules they share (`markdown`, `urls`, `url_policy`, `sink`, `diagnostic`, `walk`).

pub mod catalog;
pub mod cli;
pub mod config;
pub mod content;
pub mod diagnostic;
pub mod editorial;
pub mod error;
pub mod i18n;
pub mod markdown;
pub mod output;
pub mod pdf;
pub mod rename;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod sink;
pub mod slug;
pub mod timings;
pub mod toml_fields;
pub mod url_policy;
pub mod urls;
pub mod walk;

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
use sink::{Observed, Sink};
use std::collections::HashSet;
use std::path::Path;
use timings::Timings;

/// What to load: whether drafts are published, and an optional replacement for `base_url`.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions<'a> {
    pub drafts: bool,
    pub base_url: Option<&'a str>,
}

/// How to build: what to load, whether to index for search, and what to report on the way.
pub struct BuildOptions<'a> {
    pub load: LoadOptions<'a>,
    /// Whether a warning stops the build as an error does (`--strict`).
    pub strict: bool,
    /// The date review dates are counted from (spec §10): the command line reads the
    /// clock, once, and nothing deeper does.
    pub today: toml_fields::Date,
    /// An earlier edition whose entry addresses must not vanish (the output's own
    /// catalog.json, or `check --previous`).
    pub previous: Option<&'a editorial::baseline::Baseline>,
    /// Whether to write the search index (benchmarks of the rest leave it out).
    pub search: bool,
    pub timings: &'a Timings,
    pub progress: &'a dyn Progress,
    /// What prints the print edition to PDF before the site is published (`--pdf`); only a
    /// build into a folder prints.
    pub pdf: Option<&'a dyn PdfPrinter>,
}

/// Prints a page of a finished site to PDF (`build --pdf`, with `pdf::Chromium`).
pub trait PdfPrinter: Sync {
    /// Prints `page` (a path relative to `folder`, which holds the whole site) and returns
    /// the PDF.
    fn print(&self, folder: &Path, page: &str) -> Result<Vec<u8>, Error>;
}

/// Hears how a build goes, for a progress bar; every method does nothing by default.
pub trait Progress: Sync {
    /// The catalog is loaded and valid; rendering starts.
    fn start(&self, _catalog: &Catalog) {}
    /// `count` files have been rendered so far (called from many threads).
    fn rendered(&self, _count: usize) {}
}

/// A build that reports nothing.
pub struct Silent;

impl Progress for Silent {}

/// Where a build's files go.
#[derive(Clone, Copy)]
pub enum Destination<'a> {
    /// Staged beside this folder and swapped in whole if the build has no error; the
    /// previous site is left beside it for `output::sweep` to remove.
    Folder(&'a Path),
    /// Handed to a sink as they are made: memory (tests), or nothing (`check`, which
    /// renders every page so that template errors are found too).
    Sink(&'a dyn Sink),
}

/// What a build wrote.
#[derive(Debug, Clone, Copy)]
pub struct BuildSummary {
    pub pages: usize,
    pub files: usize,
    pub bytes: u64,
    /// Of `files`, those the previous site in the output already had, byte for byte.
    pub unchanged: usize,
}

/// What a build made of the catalog: the catalog, if it loaded, and what was written, if
/// the build had no error. The diagnostics say why not.
pub struct Built {
    pub catalog: Option<Catalog>,
    pub summary: Option<BuildSummary>,
}

/// The whole pipeline: loads, validates and links the catalog, renders the site, indexes it
/// for search and publishes it to `destination`. Every problem is a diagnostic; a stage
/// that finds errors stops the line, and nothing is published (the previous output stays).
pub fn build(
    root: &Path,
    destination: Destination,
    options: &BuildOptions,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Built, Error> {
    let nothing = |catalog| Ok(Built { catalog, summary: None });
    let Some(config) = config::load(root, options.load.base_url, diagnostics)? else {
        return nothing(None);
    };
    if options.pdf.is_some() && !config.print {
        diagnostics.push(
            diagnostic::Diagnostic::error(
                config::FILE,
                diagnostic::Position::START,
                "--pdf prints the print edition, and catalog.toml turns it off (print = false)",
            )
            .with_help("build without --pdf, or remove `print = false` from catalog.toml"),
        );
        return nothing(None);
    }
    let content = content::load(root, &config, diagnostics)?;
    options.timings.stage("load");
    let catalog = catalog::build(config, content, options.load.drafts, diagnostics);
    editorial::review::warnings(&catalog, options.today, diagnostics);
    if let Some(previous) = options.previous {
        editorial::baseline::vanished(previous, &catalog, diagnostics);
    }
    options.timings.stage("graph");
    if diagnostic::fails(diagnostics, options.strict) {
        return nothing(Some(catalog));
    }
    let Some(theme) = render::theme::load(root, &catalog.config, diagnostics)? else {
        return nothing(Some(catalog));
    };

    options.progress.start(&catalog);
    let (mut staging, mut folder) = (None, None);
    let target: &dyn Sink = match destination {
        Destination::Folder(output) => {
            let staged = staging.insert(output::Staging::new(output)?);
            folder = Some(staged.dir.clone());
            staged
        }
        Destination::Sink(sink) => sink,
    };
    let rendered_count = |count| options.progress.rendered(count);
    let sink = Observed::new(target, &rendered_count);
    // The catalog's own language at the root, then each other one in its folder (spec §9).
    let mut written = HashSet::new();
    let mut pages = 0;
    for language in &catalog.config.languages {
        let localized;
        let (catalog, theme) = if language.prefix.is_empty() {
            (&catalog, &theme)
        } else {
            localized = (catalog.localized(&language.code), theme.localized(&language.code));
            let (Some(catalog), Some(theme)) = &localized else { continue };
            (catalog, theme)
        };
        let edition = sink::Prefixed { inner: &sink, prefix: &language.prefix };
        let rendered = render::site(theme, catalog, &edition, options.timings, diagnostics)?;
        let index = if options.search {
            search::index_into(catalog, &rendered.body_texts, &edition)?
        } else {
            Vec::new()
        };
        options.timings.stage("search");
        pages += rendered.pages;
        let paths = rendered.written.into_iter().chain(index);
        written.extend(paths.map(|path| format!("{}{path}", language.prefix)));
    }
    for file in render::static_files(&theme, &written, diagnostics) {
        sink.put(file)?;
    }
    if diagnostic::fails(diagnostics, options.strict) {
        return nothing(Some(catalog));
    }
    // The PDF is printed from the finished site and published with it, or not at all.
    if let (Some(printer), Some(folder)) = (options.pdf, &folder) {
        sink.flush()?;
        // Each language's print edition, in its folder (`fr/catalog.pdf`).
        let documents = render::print::pdf_documents(&catalog);
        for language in &catalog.config.languages {
            for (page, pdf) in &documents {
                let (page, pdf) = (format!("{}{page}", language.prefix), format!("{}{pdf}", language.prefix));
                sink.put(sink::OutputFile::new(pdf, printer.print(folder, &page)?))?;
            }
        }
        options.timings.stage("pdf");
    }

    let handed = sink.tally;
    let tally = match (staging, destination) {
        (Some(staging), Destination::Folder(output)) => output::publish(staging, output)?,
        _ => handed,
    };
    let (files, bytes, unchanged) = (tally.files(), tally.bytes(), tally.unchanged());
    options.timings.stage("write");
    let summary = BuildSummary { pages, files, bytes, unchanged };
    Ok(Built { catalog: Some(catalog), summary: Some(summary) })
}

/// The first three stages alone (config, content, catalog), for tools and tests that look
/// at a catalog without rendering it. `Ok(None)` means catalog.toml had errors; content
/// errors still yield a catalog, so that every problem is reported in one run.
pub fn load_catalog(
    root: &Path,
    options: &LoadOptions,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Option<Catalog>, Error> {
    let Some(config) = config::load(root, options.base_url, diagnostics)? else {
        return Ok(None);
    };
    let content = content::load(root, &config, diagnostics)?;
    Ok(Some(catalog::build(config, content, options.drafts, diagnostics)))
}
