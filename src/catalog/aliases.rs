//! Checking aliases against every other address of the site: a live entry or page, another
//! alias, and the folders and files copcat generates. Each clash is an error at the alias.

use crate::config::{Config, RESERVED_FOLDERS};
use crate::content::{Document, PAGES_DIR};
use crate::diagnostic::Diagnostic;
use std::collections::HashMap;

/// Files copcat writes at the site's root: an alias cannot be a folder of the same name.
const ROOT_FILES: &[&str] =
    &["index.html", "404.html", "catalog.json", "catalog.csv", "feed.xml", "sitemap.xml", "robots.txt"];

/// Reports every alias of `documents` (drafts included: publishing one must not break the
/// site) that names an address something else has.
pub fn check(config: &Config, documents: &[Document], diagnostics: &mut Vec<Diagnostic>) {
    let files: HashMap<&str, &str> = documents.iter().map(|d| (d.id.as_str(), d.file.as_str())).collect();
    let mut seen: HashMap<&str, &str> = HashMap::new();
    for document in documents {
        for alias in &document.aliases {
            let clash = match files.get(alias.path.as_str()) {
                Some(_) if alias.path == document.id => Some("it is this entry's own address".to_string()),
                Some(file) => Some(format!("it is the address of {file}")),
                None => match seen.get(alias.path.as_str()) {
                    Some(file) if *file == document.file => Some("it is listed twice".to_string()),
                    Some(file) => Some(format!("it is already an alias of {file}")),
                    None => generated(config, &alias.path),
                },
            };
            match clash {
                Some(why) => diagnostics.push(
                    Diagnostic::error(
                        &document.file,
                        alias.position,
                        format!("alias \"{}\" cannot be used: {why}", alias.path),
                    )
                    .with_help(
                        "an alias must be an address nothing else on the site has; delete it or change it",
                    ),
                ),
                None => {
                    seen.insert(&alias.path, &document.file);
                }
            }
        }
    }
}

/// Why `path` is an address copcat generates a page or file at, if it is one.
fn generated(config: &Config, path: &str) -> Option<String> {
    let mut parts = path.split('/');
    let first = parts.next().unwrap_or_default();
    let second = parts.next();
    if ROOT_FILES.contains(&first) {
        return Some(format!("copcat writes the file {first} there"));
    }
    let reserved = RESERVED_FOLDERS.iter().any(|folder| *folder == first && *folder != PAGES_DIR);
    if reserved || config.taxonomies.iter().any(|taxonomy| taxonomy.id == first) {
        return Some(format!("copcat writes its own pages in {first}/"));
    }
    if let Some(kind) = config.kinds.iter().find(|kind| kind.dir == first) {
        if second.is_none() {
            return Some(format!("it is the list of {}", kind.plural.to_lowercase()));
        }
        if second == Some("page") {
            return Some(format!("copcat writes the numbered pages of {}/ there", kind.dir));
        }
    }
    None
}
