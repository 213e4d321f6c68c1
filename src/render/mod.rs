//! Rendering the catalog into the site's files (spec §5–§6), in parallel, straight into a
//! sink, with templates compiled once.

pub mod cards;
mod chrome;
mod cycle;
pub mod feeds;
pub mod keys;
mod landscape;
pub mod pages;
pub mod plan;
pub mod print;
pub mod templates;
pub mod theme;
pub mod views;

use crate::catalog::{Catalog, Target};
use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::markdown::LinkResolver;
use crate::sink::{OutputFile, Sink};
use crate::timings::Timings;
use crate::urls;
use std::collections::HashSet;

/// Resolves `@/` links from a page whose root prefix is `root`.
pub struct PageLinks<'a> {
    pub catalog: &'a Catalog,
    pub root: &'a str,
}

impl LinkResolver for PageLinks<'_> {
    fn resolve(&self, path: &str, anchor: Option<&str>) -> Option<String> {
        let url = match self.catalog.target(path)? {
            Target::Entry(index) => urls::entry(self.catalog, index),
            Target::Page(index) => urls::page(self.catalog, index),
            Target::Home => urls::HOME.to_string(),
        };
        let anchor = anchor.map(|anchor| format!("#{anchor}")).unwrap_or_default();
        Some(format!("{}{url}{anchor}", self.root))
    }
}

/// What `site` rendered: how many pages, each entry's body as plain text (what the search
/// stage indexes), and the path of every file written (so that static files never land on
/// one).
pub struct Rendered {
    pub pages: usize,
    pub body_texts: Vec<String>,
    pub written: HashSet<String>,
}

/// Renders every page and feed of the site into `sink`, with templates compiled once.
/// Template problems are diagnostics.
pub fn site(
    theme: &theme::Theme,
    catalog: &Catalog,
    sink: &dyn Sink,
    timings: &Timings,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Rendered, Error> {
    let views = views::CatalogViews::new(catalog);
    let (renderer, problems) = pages::Renderer::new(theme, &views);
    diagnostics.extend(problems);
    timings.stage("cards");
    site_with_renderer(catalog, &renderer, sink, timings, diagnostics)
}

/// Renders every page and feed with a renderer already made (`serve` keeps its cards).
pub fn site_with_renderer(
    catalog: &Catalog,
    renderer: &pages::Renderer,
    sink: &dyn Sink,
    timings: &Timings,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Rendered, Error> {
    // Lists first: the landscape and A–Z pages hold a view of every entry while they render,
    // and do so before the entries' plain text (kept for the search index) adds to memory.
    // The feeds are written meanwhile, each file handed to the sink as soon as it is made
    // (catalog.json alone is tens of megabytes at 50,000 entries).
    let (feeds, other_pages) = rayon::join(
        || -> Result<HashSet<String>, Error> {
            let mut written = HashSet::new();
            for file in feed_files(catalog, renderer) {
                written.insert(file.path.clone());
                sink.put(file)?;
            }
            Ok(written)
        },
        || renderer.pages(sink),
    );
    let (mut written, (other_pages, problems)) = (feeds?, other_pages?);
    diagnostics.extend(problems);
    timings.stage("lists");
    let (body_texts, problems) = renderer.entries(sink)?;
    diagnostics.extend(problems);
    let (redirects, problems) = renderer.aliases(sink)?;
    diagnostics.extend(problems);
    written.extend(redirects);
    timings.stage("entries");
    written.extend(renderer.planned().into_iter().map(|(url, _)| url));
    written.extend(catalog.entry_ids().map(|index| urls::entry(catalog, index)));
    Ok(Rendered { pages: body_texts.len() + other_pages, body_texts, written })
}

/// catalog.json, catalog.csv, feed.xml, sitemap.xml and robots.txt, each made only when
/// the iterator gets to it (so that the big ones are not all in memory at once).
pub fn feed_files<'a>(
    catalog: &'a Catalog,
    renderer: &'a pages::Renderer,
) -> impl Iterator<Item = OutputFile> + 'a {
    use std::iter::once_with;
    // One sitemap and one robots.txt for the whole site, at its root, made with the
    // catalog's own language (the sitemap lists every language's pages).
    let site_wide = catalog.config.language == catalog.config.main_language().code;
    once_with(|| feeds::catalog_exports(catalog, feeds::PART_BYTES))
        .flatten()
        .chain(once_with(|| feeds::feed(catalog)))
        .chain(site_wide.then(|| feeds::sitemap(catalog, &renderer.sitemap_pages())).into_iter().flatten())
        .chain(site_wide.then(|| feeds::robots(catalog)))
}

/// The theme's static files, but those the site's own files leave no room for: one at a path
/// the site writes itself (`written`: pages, feeds, the search index), at one of its folders
/// (`roles`), or below one of its files (`index.html/x`), or below another static file. Each
/// is left out with a warning naming it, rather than failing the build when the file system
/// refuses it.
pub fn static_files(
    theme: &theme::Theme,
    written: &HashSet<String>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<OutputFile> {
    let folders: HashSet<&str> = written.iter().flat_map(|path| folders_of(path)).collect();
    let mut statics: HashSet<&str> = HashSet::new();
    let mut files = Vec::new();
    // By path, so a static file is checked after any whose folder it might be in.
    for (path, file) in &theme.statics {
        let clash = if written.contains(path) {
            Some("copcat writes a page or file at that path itself".to_string())
        } else if folders.contains(path.as_str()) {
            Some(format!("copcat writes a folder at that path ({path}/…)"))
        } else if let Some(parent) = folders_of(path).find(|folder| written.contains(*folder)) {
            Some(format!("copcat writes a file at {parent}, so there can be no folder of that name"))
        } else {
            folders_of(path)
                .find(|folder| statics.contains(folder))
                .map(|parent| format!("the static file {parent} is in the way of its folder"))
        };
        if let Some(reason) = clash {
            diagnostics.push(
                Diagnostic::warning(
                    &file.origin,
                    crate::diagnostic::Position::START,
                    format!("static file \"{path}\" is ignored: {reason}"),
                )
                .with_help("rename or move the static file"),
            );
            continue;
        }
        statics.insert(path);
        files.push(OutputFile::new(path.clone(), file.bytes.clone()));
    }
    files
}

/// The folders a site path is in: `a/b/c.html` → `a`, `a/b`.
fn folders_of(path: &str) -> impl Iterator<Item = &str> {
    path.match_indices('/').map(move |(index, _)| &path[..index])
}
