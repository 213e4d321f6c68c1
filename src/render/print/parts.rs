//! The print edition of a catalog too long for one document (more than `BOUND` entries):
//! each entry printed once, in the document of its first stage in the cycle (listed, with a
//! link, in the documents of its other stages), and each stage's document split into parts
//! of at most `BOUND` entries, each part leading to the next.

use super::{BOUND, by_kind};
use crate::catalog::{Catalog, EntryId};
use std::collections::HashMap;

/// Where an entry is printed: its first stage, or the first stage of the cycle for an
/// entry that serves none.
pub fn home(catalog: &Catalog, index: EntryId) -> usize {
    catalog.entries[index].stages.iter().copied().min().unwrap_or(0)
}

/// One part of a stage's document.
pub struct Part {
    pub stage: usize,
    /// 1-based.
    pub number: usize,
    /// How many parts the stage's document has.
    pub count: usize,
    pub entries: Vec<EntryId>,
}

/// Every stage's parts, in stage order: the entries placed under the stage, grouped by
/// kind, `BOUND` at a time. A stage under which no entry is placed has one empty part (it
/// still lists the entries printed elsewhere).
pub fn parts(catalog: &Catalog) -> Vec<Part> {
    let mut placed: Vec<Vec<EntryId>> = vec![Vec::new(); catalog.config.stages.len()];
    for &index in &catalog.ordered {
        if let Some(list) = placed.get_mut(home(catalog, index)) {
            list.push(index);
        }
    }
    let mut parts = Vec::new();
    for (stage, list) in placed.iter().enumerate() {
        let sorted = by_kind(catalog, list);
        let chunks: Vec<&[EntryId]> =
            if sorted.is_empty() { vec![&[]] } else { sorted.chunks(BOUND).collect() };
        let count = chunks.len();
        for (n, chunk) in chunks.into_iter().enumerate() {
            parts.push(Part { stage, number: n + 1, count, entries: chunk.to_vec() });
        }
    }
    parts
}

/// The URL of a part: `print/<stage>/` for the first, `print/<stage>/<n>/` for the others.
pub fn url(catalog: &Catalog, stage: usize, number: usize) -> String {
    let id = &catalog.config.stages[stage].id;
    if number <= 1 { format!("print/{id}/index.html") } else { format!("print/{id}/{number}/index.html") }
}

/// The URL of the part each published entry is printed in.
pub fn placements(catalog: &Catalog) -> HashMap<EntryId, String> {
    let mut placed = HashMap::with_capacity(catalog.ordered.len());
    for part in parts(catalog) {
        let url = url(catalog, part.stage, part.number);
        for index in part.entries {
            placed.insert(index, url.clone());
        }
    }
    placed
}
