//! Facets: stage, kind and each taxonomy, with the documents under every value as a
//! compact set, so the browser counts exactly, for any query and filters, without loading
//! any document.

use super::DocId;
use super::encode;
use crate::catalog::{Catalog, EntryId};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct Facet {
    /// The URL parameter: `stage`, `kind` or the taxonomy id.
    pub id: String,
    pub name: String,
    /// `[value id, name, encoded set of document numbers]`.
    pub values: Vec<[String; 3]>,
}

/// `position[entry]` is the entry's document.
pub fn build(catalog: &Catalog, position: &[DocId]) -> Vec<Facet> {
    let count = position.len();
    let set = |entries: &[EntryId]| {
        let mut documents: Vec<usize> = entries.iter().map(|&entry| position[entry].index()).collect();
        documents.sort_unstable();
        encode::set(&documents, count)
    };
    let config = &catalog.config;
    let mut facets = vec![
        Facet {
            id: "stage".to_string(),
            name: "Stage".to_string(),
            values: config
                .stages
                .iter()
                .zip(&catalog.by_stage)
                .map(|(stage, entries)| [stage.id.clone(), stage.name.clone(), set(entries)])
                .collect(),
        },
        Facet {
            id: "kind".to_string(),
            name: "Kind".to_string(),
            values: config
                .kinds
                .iter()
                .zip(&catalog.by_kind)
                .map(|(kind, entries)| [kind.id.clone(), kind.name.clone(), set(entries)])
                .collect(),
        },
    ];
    for (taxonomy, by_term) in config.taxonomies.iter().zip(&catalog.by_term) {
        facets.push(Facet {
            id: taxonomy.id.clone(),
            name: taxonomy.name.clone(),
            values: taxonomy
                .terms
                .iter()
                .zip(by_term)
                .map(|(term, entries)| [term.id.clone(), term.name.clone(), set(entries)])
                .collect(),
        });
    }
    facets
}
