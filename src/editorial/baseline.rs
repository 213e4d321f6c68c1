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
        match serde_json::from_str::<Listed>(&text) {
            Ok(Listed { entries: None, parts: Some(parts) }) => {
                for part in parts {
                    // Only a file beside catalog.json, by a plain name, as copcat writes them.
                    if part.json.is_empty() || part.json.contains(['/', '\\']) || part.json.starts_with('.') {
                        return Err(format!(
                            "{file} lists a part that is not a file beside it: {:?}",
                            part.json
                        ));
                    }
                    let part_file = Path::new(file).with_file_name(&part.json).display().to_string();
                    let part_text = read_text(&path.with_file_name(&part.json), &part_file)?;
                    let listed = serde_json::from_str::<Listed>(&part_text);
                    baseline.add(part_file, part_text, listed)?;
                }
            }
            listed => baseline.add(file.to_string(), text, listed)?,
        }
        Ok(baseline)
    }

    /// Adds the addresses of one file of entries, `listed` as it was parsed: a file of
    /// another shape than copcat writes is read again by `addresses_of_any`.
    fn add(&mut self, file: String, text: String, listed: serde_json::Result<Listed>) -> Result<(), String> {
        let addresses = match listed {
            Ok(Listed { entries: Some(entries), .. }) => addresses_of(entries),
            _ => addresses_of_any(&text).map_err(|problem| format!("{file} {problem}"))?,
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

/// What a baseline reads of a catalog.json as copcat writes it, in one pass: each entry's
/// path and aliases, or, in a split catalog's catalog.json, where its parts are; the rest is
/// skipped unread (building a `serde_json::Value` of the whole file, tens of megabytes, was
/// most of the time a rebuild spent on it). A file of another shape is read by
/// `addresses_of_any`.
#[derive(serde::Deserialize)]
struct Listed {
    #[serde(default)]
    entries: Option<Vec<ListedEntry>>,
    #[serde(default)]
    parts: Option<Vec<PartRef>>,
}

#[derive(serde::Deserialize)]
struct ListedEntry {
    #[serde(default)]
    path: serde_json::Value,
    #[serde(default)]
    aliases: serde_json::Value,
}

/// A part of a split catalog, as its catalog.json lists it.
#[derive(serde::Deserialize)]
struct PartRef {
    json: String,
}

/// The paths and aliases of `entries` (those that are not strings are passed over).
fn addresses_of(entries: Vec<ListedEntry>) -> BTreeSet<String> {
    let mut addresses = BTreeSet::new();
    for entry in entries {
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

/// The addresses of any JSON file with an `entries` list (entries that are not objects,
/// and paths or aliases that are not strings, are passed over); what is wrong with it
/// otherwise.
fn addresses_of_any(text: &str) -> Result<BTreeSet<String>, String> {
    let json: serde_json::Value =
        serde_json::from_str(text).map_err(|error| format!("is not a catalog.json: {error}"))?;
    let entries = json["entries"].as_array().ok_or_else(|| "has no \"entries\" list".to_string())?;
    let entries = entries
        .iter()
        .map(|entry| ListedEntry { path: entry["path"].clone(), aliases: entry["aliases"].clone() })
        .collect();
    Ok(addresses_of(entries))
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

#[cfg(test)]
mod tests {
    use super::Baseline;

    fn read(text: &str) -> Result<Vec<String>, String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("catalog.json");
        std::fs::write(&path, text).unwrap();
        Baseline::read(&path, "catalog.json").map(|baseline| baseline.addresses.into_keys().collect())
    }

    #[test]
    fn addresses_are_read_from_entries_of_any_shape_and_bad_files_say_why() {
        let written =
            r#"{"version": 1, "entries": [{"path": "roles/a/", "aliases": ["old/a/"], "title": "A"}]}"#;
        assert_eq!(read(written).unwrap(), ["old/a/", "roles/a/"]);
        // Entries that are not objects, and paths that are not strings, are passed over.
        let odd = r#"{"entries": ["x", {"path": 3, "aliases": ["b/"]}, {"path": "c/", "aliases": "d/"}]}"#;
        assert_eq!(read(odd).unwrap(), ["b/", "c/"]);
        assert!(read("[1, 2").unwrap_err().starts_with("catalog.json is not a catalog.json: "));
        assert_eq!(read(r#"{"version": 1}"#).unwrap_err(), "catalog.json has no \"entries\" list");
    }
}
