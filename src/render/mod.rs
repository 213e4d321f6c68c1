//! Rendering the catalog into the site's files (spec §5–§6), in parallel, straight into a
//! sink, with templates compiled once.

mod cycle;
pub mod feeds;
pub mod markdown;
pub mod pages;
pub mod theme;
pub mod urls;
pub mod views;

use crate::catalog::{Catalog, Target};
use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::output::{OutputFile, Sink};
use markdown::LinkResolver;
use std::path::Path;

/// What a render produced, for the build summary.
#[derive(Debug, Default, Clone, Copy)]
pub struct Summary {
    pub pages: usize,
}

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

/// Renders every file of the site into `sink`. Template problems are diagnostics; `Ok(None)`
/// means nothing could be rendered (the theme did not load).
pub fn site(
    root: &Path,
    catalog: &Catalog,
    sink: &dyn Sink,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Option<Summary>, Error> {
    let Some(theme) = theme::load(root, &catalog.config, diagnostics)? else {
        return Ok(None);
    };
    Ok(Some(site_with_theme(&theme, catalog, sink, diagnostics)?.summary))
}

/// What `site_with_theme` rendered: the summary, each entry's body as plain text, and the
/// paths of the search index's files.
pub struct Rendered {
    pub summary: Summary,
    pub body_texts: Vec<String>,
    pub search_paths: Vec<String>,
}

/// Renders every file of the site with a theme already loaded (`serve` keeps it).
pub fn site_with_theme(
    theme: &theme::Theme,
    catalog: &Catalog,
    sink: &dyn Sink,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Rendered, Error> {
    let shared = views::Shared::new(catalog);
    let renderer = pages::Renderer::new(theme, &shared);
    crate::timings::stage("cards");
    site_with_renderer(theme, catalog, &renderer, sink, diagnostics)
}

/// Renders every file of the site with a renderer already made (`serve` keeps its cards).
pub fn site_with_renderer(
    theme: &theme::Theme,
    catalog: &Catalog,
    renderer: &pages::Renderer,
    sink: &dyn Sink,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Rendered, Error> {
    // Lists first: the landscape and A–Z pages hold a view of every entry while they render,
    // and do so before the entries' plain text (kept for the search index) adds to memory.
    // The feeds are written meanwhile, each file handed to the sink as soon as it is made
    // (catalog.json alone is tens of megabytes at 50,000 entries).
    let (feeds, other_pages) = rayon::join(
        || -> Result<std::collections::HashSet<String>, Error> {
            let mut taken = std::collections::HashSet::new();
            for file in feed_files(catalog, renderer) {
                taken.insert(file.path.clone());
                sink.put(file)?;
            }
            Ok(taken)
        },
        || renderer.pages(sink),
    );
    let (mut taken, other_pages) = (feeds?, other_pages?);
    crate::timings::stage("lists");
    let (body_texts, entry_pages) = renderer.entries(sink)?;
    crate::timings::stage("entries");
    diagnostics.extend(renderer.take_diagnostics());

    let mut search_paths = Vec::new();
    for file in search_files(catalog, &body_texts) {
        taken.insert(file.path.clone());
        search_paths.push(file.path.clone());
        sink.put(file)?;
    }
    crate::timings::stage("search");
    for file in static_files(theme, catalog, renderer, &taken, diagnostics) {
        sink.put(file)?;
    }
    Ok(Rendered { summary: Summary { pages: entry_pages + other_pages }, body_texts, search_paths })
}

/// catalog.json, catalog.csv, feed.xml, sitemap.xml and robots.txt, each made only when
/// the iterator gets to it (so that the big ones are not all in memory at once).
pub fn feed_files<'a>(
    catalog: &'a Catalog,
    renderer: &'a pages::Renderer,
) -> impl Iterator<Item = OutputFile> + 'a {
    use std::iter::once_with;
    once_with(|| feeds::catalog_json(catalog))
        .chain(once_with(|| feeds::catalog_csv(catalog)))
        .chain(once_with(|| feeds::feed(catalog)))
        .chain(once_with(|| feeds::sitemap(catalog, &renderer.sitemap_pages())))
        .chain(once_with(|| feeds::robots(catalog)))
}

/// The search index, from each entry's body as plain text.
pub fn search_files(catalog: &Catalog, body_texts: &[String]) -> Vec<OutputFile> {
    if std::env::var_os("COPCAT_NO_SEARCH").is_some() {
        return Vec::new();
    }
    crate::search::index(catalog, body_texts)
}

/// The theme's static files, but those the site's own files leave no room for: one at a path
/// the site writes itself (`taken`, a page), at one of its folders (`roles`), or below one
/// of its files (`index.html/x`), or below another static file. Each is left out with a
/// warning naming it, rather than failing the build when the file system refuses it.
pub fn static_files(
    theme: &theme::Theme,
    catalog: &Catalog,
    renderer: &pages::Renderer,
    taken: &std::collections::HashSet<String>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<OutputFile> {
    use std::collections::HashSet;
    let mut written: HashSet<String> = taken.clone();
    written.extend(renderer.planned().into_iter().map(|(url, _)| url));
    written.extend((0..catalog.entries.len()).map(|index| urls::entry(catalog, index)));
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
