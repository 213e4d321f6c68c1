//! The previous edition as a baseline: every entry address a published catalog.json lists
//! (its entries' paths and their aliases) must still lead somewhere, or readers' links and
//! citations break. An address that would vanish is a warning naming it and the fix.

use crate::catalog::Catalog;
use crate::diagnostic::{Diagnostic, Position};
use std::collections::BTreeSet;
use std::path::Path;

/// The addresses of an earlier edition, read from its catalog.json.
pub struct Baseline {
    /// How diagnostics name the file (`public/catalog.json`).
    pub file: String,
    text: String,
    /// Entry paths and aliases, as catalog.json writes them (`roles/knowledge-broker/`).
    addresses: BTreeSet<String>,
}

impl Baseline {
    /// Reads an earlier edition's catalog.json; `file` is how diagnostics name it.
    pub fn read(path: &Path, file: &str) -> Result<Baseline, String> {
        let text = std::fs::read_to_string(path).map_err(|error| format!("cannot read {file}: {error}"))?;
        let addresses = match serde_json::from_str::<Listed>(&text) {
            Ok(listed) => listed.addresses(),
            Err(_) => addresses_of_any(&text).map_err(|problem| format!("{file} {problem}"))?,
        };
        Ok(Baseline { file: file.to_string(), text, addresses })
    }

    /// Where `address` is written in the file, for the diagnostic's position.
    fn position(&self, address: &str) -> Position {
        let quoted = format!("\"{address}\"");
        self.text.find(&quoted).map_or(Position::START, |offset| Position::at(&self.text, offset))
    }
}

/// What a baseline reads of a catalog.json as copcat writes it: each entry's path and
/// aliases, the rest skipped unread (building a `serde_json::Value` of the whole file, tens
/// of megabytes, was most of the time a rebuild spent on it). A file of another shape is
/// read by `addresses_of_any`.
#[derive(serde::Deserialize)]
struct Listed {
    entries: Vec<ListedEntry>,
}

#[derive(serde::Deserialize)]
struct ListedEntry {
    #[serde(default)]
    path: serde_json::Value,
    #[serde(default)]
    aliases: serde_json::Value,
}

impl Listed {
    fn addresses(self) -> BTreeSet<String> {
        let mut addresses = BTreeSet::new();
        for entry in self.entries {
            let aliases = match entry.aliases {
                serde_json::Value::Array(aliases) => aliases,
                _ => Vec::new(),
            };
            addresses.extend(std::iter::once(entry.path).chain(aliases).filter_map(|value| match value {
                serde_json::Value::String(address) => Some(address),
                _ => None,
            }));
        }
        addresses
    }
}

/// The addresses of any JSON file with an `entries` list (entries that are not objects,
/// and paths or aliases that are not strings, are passed over); what is wrong with it
/// otherwise.
fn addresses_of_any(text: &str) -> Result<BTreeSet<String>, String> {
    let json: serde_json::Value =
        serde_json::from_str(text).map_err(|error| format!("is not a catalog.json: {error}"))?;
    let entries = json["entries"].as_array().ok_or_else(|| "has no \"entries\" list".to_string())?;
    let mut addresses = BTreeSet::new();
    for entry in entries {
        let aliases = entry["aliases"].as_array().into_iter().flatten();
        addresses.extend(
            std::iter::once(&entry["path"]).chain(aliases).filter_map(|v| v.as_str()).map(String::from),
        );
    }
    Ok(addresses)
}

/// The addresses `catalog` publishes: its entries' and pages' pages and every alias, as
/// catalog.json writes them.
fn addresses(catalog: &Catalog) -> BTreeSet<String> {
    let documents = catalog.entries.iter().chain(&catalog.pages);
    documents
        .flat_map(|document| {
            let own = format!("{}/{}/", document.dir, document.slug);
            std::iter::once(own).chain(document.aliases.iter().map(|alias| format!("{}/", alias.path)))
        })
        .collect()
}

/// A warning for each address of `baseline` that `catalog` no longer publishes.
pub fn vanished(baseline: &Baseline, catalog: &Catalog, diagnostics: &mut Vec<Diagnostic>) {
    let now = addresses(catalog);
    let new_entries: Vec<&crate::content::Document> = catalog
        .entries
        .iter()
        .filter(|entry| !baseline.addresses.contains(&format!("{}/{}/", entry.dir, entry.slug)))
        .collect();
    for address in baseline.addresses.difference(&now) {
        let alias = address.trim_end_matches('/');
        let dir = alias.split('/').next().unwrap_or_default();
        let mut successors = new_entries.iter().filter(|entry| entry.dir == dir);
        let fix = match (successors.next(), successors.next()) {
            (Some(entry), None) => {
                format!("add `aliases = [\"{alias}\"]` to {}, the entry that replaces it", entry.file)
            }
            _ => format!("add `aliases = [\"{alias}\"]` to the entry that replaces it"),
        };
        diagnostics.push(
            Diagnostic::warning(
                &baseline.file,
                baseline.position(address),
                format!("\"{address}\" was published in the previous edition and would vanish: no entry or alias has that address now"),
            )
            .with_help(format!("{fix} (`copcat mv` renames an entry and adds its alias itself)")),
        );
    }
}
