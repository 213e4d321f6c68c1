//! The previous edition as a baseline: every entry address a published catalog.json lists
//! (its entries' paths and their aliases) must still lead somewhere, or readers' links and
//! citations break. An address that would vanish is a warning naming it and the fix.

use crate::catalog::Catalog;
use crate::diagnostic::{Diagnostic, Position};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The addresses of an earlier edition, read from its catalog.json (and, for a catalog
/// split into parts, from the parts its catalog.json lists).
pub struct Baseline {
    /// Each file read: how diagnostics name it (`public/catalog-2.json`), and its text.
    files: Vec<(String, String)>,
    /// Entry paths and aliases, as catalog.json writes them (`roles/knowledge-broker/`),
    /// each with the file (index into `files`) that lists it.
    addresses: BTreeMap<String, usize>,
}

impl Baseline {
    /// Reads an earlier edition's catalog.json; `file` is how diagnostics name it. A split
    /// catalog's catalog.json lists its parts (docs/exports.md): they are read from beside it.
    pub fn read(path: &Path, file: &str) -> Result<Baseline, String> {
        let text = read_text(path, file)?;
        let mut baseline = Baseline { files: Vec::new(), addresses: BTreeMap::new() };
        if let Ok(index) = serde_json::from_str::<PartsIndex>(&text) {
            for part in index.parts {
                // Only a file beside catalog.json, by a plain name, as copcat writes them.
                if part.json.is_empty() || part.json.contains(['/', '\\']) || part.json.starts_with('.') {
                    return Err(format!("{file} lists a part that is not a file beside it: {:?}", part.json));
                }
                let part_file = Path::new(file).with_file_name(&part.json).display().to_string();
                let part_text = read_text(&path.with_file_name(&part.json), &part_file)?;
                baseline.add(part_file, part_text)?;
            }
            return Ok(baseline);
        }
        baseline.add(file.to_string(), text)?;
        Ok(baseline)
    }

    /// Reads the addresses of one file of entries.
    fn add(&mut self, file: String, text: String) -> Result<(), String> {
        let addresses = match serde_json::from_str::<Listed>(&text) {
            Ok(listed) => listed.addresses(),
            Err(_) => addresses_of_any(&text).map_err(|problem| format!("{file} {problem}"))?,
        };
        let at = self.files.len();
        for address in addresses {
            self.addresses.entry(address).or_insert(at);
        }
        self.files.push((file, text));
        Ok(())
    }

    /// The file that lists `address`, and where, for the diagnostic's position.
    fn place(&self, address: &str) -> (&str, Position) {
        let (file, text) = &self.files[self.addresses.get(address).copied().unwrap_or(0)];
        let quoted = format!("\"{address}\"");
        (file, text.find(&quoted).map_or(Position::START, |offset| Position::at(text, offset)))
    }
}

fn read_text(path: &Path, file: &str) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|error| format!("cannot read {file}: {error}"))
}

/// A split catalog's catalog.json: where its parts are (it has no `entries`).
#[derive(serde::Deserialize)]
struct PartsIndex {
    parts: Vec<PartRef>,
}

#[derive(serde::Deserialize)]
struct PartRef {
    json: String,
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
        .filter(|entry| !baseline.addresses.contains_key(&format!("{}/{}/", entry.dir, entry.slug)))
        .collect();
    for address in baseline.addresses.keys().filter(|address| !now.contains(*address)) {
        let alias = address.trim_end_matches('/');
        let dir = alias.split('/').next().unwrap_or_default();
        let mut successors = new_entries.iter().filter(|entry| entry.dir == dir);
        let fix = match (successors.next(), successors.next()) {
            (Some(entry), None) => {
                format!("add `aliases = [\"{alias}\"]` to {}, the entry that replaces it", entry.file)
            }
            _ => format!("add `aliases = [\"{alias}\"]` to the entry that replaces it"),
        };
        let (file, position) = baseline.place(address);
        diagnostics.push(
            Diagnostic::warning(
                file,
                position,
                format!("\"{address}\" was published in the previous edition and would vanish: no entry or alias has that address now"),
            )
            .with_help(format!("{fix} (`copcat mv` renames an entry and adds its alias itself)")),
        );
    }
}
