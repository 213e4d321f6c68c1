//! `copcat check --external`: every external link of the catalog (source `url`s, DOIs
//! through the DOI resolver, http(s) links in bodies) probed over HTTP, each dead one a
//! warning where it is written. Never part of `build` or `serve`, which stay offline.

pub mod cache;
mod pool;
pub mod probe;

use crate::catalog::Catalog;
use crate::content::sources;
use crate::diagnostic::{Diagnostic, Position};
use crate::toml_fields::TomlSource;
use crate::url_policy;
use probe::Outcome;
use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

/// Requests in flight at once, overall and per host.
pub const LIMITS: pool::Limits = pool::Limits { overall: 8, per_host: 2 };

/// How to check.
#[derive(Debug, Clone)]
pub struct Options {
    /// The most one link may take (every request and redirect of it).
    pub timeout: Duration,
    /// Whether to use (and update) the results of the last day.
    pub use_cache: bool,
    /// The time now, in seconds since 1970 (UTC): the cache's clock.
    pub now: u64,
}

/// What a check did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Distinct addresses.
    pub links: usize,
    pub dead: usize,
    /// Of `links`, those answered from the cache.
    pub cached: usize,
    /// Why the cache could not be written, if it could not (the check itself is done).
    pub cache_error: Option<String>,
}

/// Where an address is written, and how to name it there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub file: String,
    pub position: Position,
    /// A DOI, when the address is its resolver's.
    pub doi: Option<String>,
}

/// Every external address of the published catalog, with where each is written.
pub fn collect(root: &Path, catalog: &Catalog) -> BTreeMap<String, Vec<Place>> {
    let mut links: BTreeMap<String, Vec<Place>> = BTreeMap::new();
    for (url, place) in source_links(root, catalog) {
        links.entry(url).or_default().push(place);
    }
    let documents = catalog.entries.iter().chain(&catalog.pages).chain(&catalog.home);
    for document in documents {
        for link in &document.editorial.external_links {
            let place = Place { file: document.file.clone(), position: link.position, doi: None };
            links.entry(link.url.clone()).or_default().push(place);
        }
    }
    links
}

/// The `doi` and `url` of each source, at the position of its value in sources.toml (read
/// again here for the positions; the values are the catalog's, already checked).
fn source_links(root: &Path, catalog: &Catalog) -> Vec<(String, Place)> {
    let Ok(text) = std::fs::read_to_string(root.join(sources::FILE)) else { return Vec::new() };
    let source = TomlSource::new(sources::FILE, &text, 0);
    let Ok(document) = source.parse(&text) else { return Vec::new() };
    let mut found = Vec::new();
    for (key, value) in document.get_ref().iter() {
        let (Some(table), Some(checked)) =
            (value.get_ref().as_table(), catalog.sources.get(key.get_ref().as_ref()))
        else {
            continue;
        };
        let position = |field: &str| table.get(field).map(|value| source.position(&value.span()));
        if let (false, Some(position)) = (checked.doi.is_empty(), position("doi")) {
            let url = format!("https://doi.org/{}", url_policy::encode_path(&checked.doi));
            let place = Place { file: sources::FILE.to_string(), position, doi: Some(checked.doi.clone()) };
            found.push((url, place));
        }
        if let (false, Some(position)) = (checked.url.is_empty(), position("url")) {
            let place = Place { file: sources::FILE.to_string(), position, doi: None };
            found.push((checked.url.clone(), place));
        }
    }
    found
}

/// Probes every external address of `catalog` (each once, however often it is written) and
/// adds a warning at each place a dead one is written.
pub fn check(
    root: &Path,
    catalog: &Catalog,
    options: &Options,
    diagnostics: &mut Vec<Diagnostic>,
) -> Summary {
    let links = collect(root, catalog);
    let mut cache = if options.use_cache {
        cache::Cache::load(root, options.now)
    } else {
        cache::Cache::empty(options.now)
    };
    let mut outcomes: BTreeMap<&str, (Outcome, bool)> = BTreeMap::new();
    let mut jobs: Vec<(String, &str)> = Vec::new();
    for url in links.keys() {
        match cache.get(url) {
            Some(outcome) => {
                outcomes.insert(url, (outcome.clone(), true));
            }
            None => jobs.push((probe::host(url), url)),
        }
    }
    let agent = probe::agent(options.timeout);
    // Once a host has let one link time out, its other links are not waited for: one slow
    // host holds the run for its timeout, not for its timeout per link.
    let slow_hosts: Mutex<HashSet<String>> = Mutex::new(HashSet::new());
    let probed = pool::run(&jobs, LIMITS, |url| {
        let host = probe::host(url);
        if slow_hosts.lock().is_ok_and(|slow| slow.contains(&host)) {
            return Outcome::HostTimedOut;
        }
        let outcome = probe::probe(&agent, url, options.timeout);
        if outcome == Outcome::TimedOut
            && let Ok(mut slow) = slow_hosts.lock()
        {
            slow.insert(host);
        }
        outcome
    });
    for ((_, url), outcome) in jobs.iter().zip(probed) {
        cache.put(url, &outcome);
        outcomes.insert(url, (outcome, false));
    }
    let mut summary = Summary { links: links.len(), ..Summary::default() };
    for (url, places) in &links {
        let Some((outcome, cached)) = outcomes.get(url.as_str()) else { continue };
        summary.cached += usize::from(*cached);
        if outcome.is_alive() {
            continue;
        }
        summary.dead += 1;
        for place in places {
            diagnostics.push(dead_link(url, place, outcome, *cached, options.timeout));
        }
    }
    if options.use_cache
        && let Err(error) = cache.save(root)
    {
        summary.cache_error = Some(error.to_string());
    }
    summary
}

fn dead_link(url: &str, place: &Place, outcome: &Outcome, cached: bool, timeout: Duration) -> Diagnostic {
    let what = match &place.doi {
        Some(doi) => format!("DOI {doi} ({url})"),
        None => format!("\"{url}\""),
    };
    let message = match outcome {
        Outcome::HostTimedOut => format!("link {what} {}", outcome.describe(timeout)),
        _ => format!("dead link {what}: {}", outcome.describe(timeout)),
    };
    let help = match outcome {
        Outcome::TimedOut | Outcome::HostTimedOut => {
            "the server may be slow or down: check the address in a browser, or give it longer with --timeout"
        }
        Outcome::Untrusted(_) => {
            "if the page opens in a browser on this machine, the network inspects TLS: install its \
             authority in the system's certificate store, or name its file with SSL_CERT_FILE; if not, \
             the site's certificate is broken: tell its owner, or remove the link"
        }
        _ if place.doi.is_some() => {
            "check the DOI against the publication; a DOI that never resolves is mistyped"
        }
        _ => "find where the page moved and link there, or remove the link",
    };
    let help = if cached {
        format!("{help} (found in the last day; --no-cache checks again)")
    } else {
        help.to_string()
    };
    Diagnostic::warning(&place.file, place.position, message).with_help(help)
}
