//! Computed related entries: those sharing the most stages and terms, ties by title.
//!
//! Entries with the same stages and terms score alike against everyone, so entries are
//! grouped by that feature set, and each group (not each entry) is scored against the
//! groups: the cost is distinct feature sets², not entries². A member's list is its group's
//! candidates less itself and its explicit related entries.

use super::EntryId;
use crate::content::Document;
use std::collections::{BTreeSet, HashMap};

type Features = Vec<u32>;

fn features(entry: &Document) -> Features {
    let mut features: BTreeSet<u32> = entry.stages.iter().map(|&stage| stage as u32).collect();
    for (taxonomy, terms) in entry.terms.iter().enumerate() {
        for &term in terms {
            features.insert(((taxonomy as u32 + 1) << 16) | term as u32);
        }
    }
    features.into_iter().collect()
}

fn overlap(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut shared) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    shared
}

/// Entries grouped by feature set, each group's members by title: what ranking needs.
pub(super) struct Ranking {
    features: Vec<Features>,
    groups: Vec<(Features, Vec<EntryId>)>,
    /// Each entry's place in title order (`title_key`), so that ties are broken without
    /// lowercasing titles again for every entry that meets them.
    title_order: Vec<u32>,
}

fn title_key(entries: &[Document], index: EntryId) -> (String, &str) {
    (entries[index].title.to_lowercase(), entries[index].id.as_str())
}

impl Ranking {
    pub(super) fn new(entries: &[Document]) -> Ranking {
        let features: Vec<Features> = entries.iter().map(self::features).collect();
        let mut groups: HashMap<Features, Vec<EntryId>> = HashMap::new();
        for (index, set) in features.iter().enumerate() {
            groups.entry(set.clone()).or_default().push(EntryId::new(index));
        }
        let mut by_title: Vec<EntryId> = (0..entries.len()).map(EntryId::new).collect();
        by_title.sort_by_cached_key(|&index| title_key(entries, index));
        let mut title_order = vec![0; entries.len()];
        for (place, &index) in by_title.iter().enumerate() {
            title_order[index] = place as u32;
        }
        let mut groups: Vec<(Features, Vec<EntryId>)> = groups.into_iter().collect();
        for (_, members) in &mut groups {
            members.sort_by_key(|&index| title_order[index]);
        }
        groups.sort();
        Ranking { features, groups, title_order }
    }

    /// The computed related entries of `index`: best overlap first, ties by title.
    pub(super) fn related_of(&self, index: EntryId, explicit: &[EntryId], limit: usize) -> Vec<EntryId> {
        self.candidates(&self.features[index], limit, |other| other != index && !explicit.contains(&other))
    }

    /// The first `count` entries, best overlap with `mine` first, ties by title, of those
    /// `keep` keeps.
    fn candidates(&self, mine: &[u32], count: usize, keep: impl Fn(EntryId) -> bool) -> Vec<EntryId> {
        let mut scored: Vec<(usize, &[EntryId])> = self
            .groups
            .iter()
            .map(|(set, members)| (overlap(mine, set), members.as_slice()))
            .filter(|(score, _)| *score > 0)
            .collect();
        scored.sort_by_key(|scored| std::cmp::Reverse(scored.0));
        let mut chosen = Vec::with_capacity(count);
        let mut start = 0;
        while start < scored.len() && chosen.len() < count {
            let score = scored[start].0;
            let end =
                scored[start..].iter().position(|(s, _)| *s != score).map_or(scored.len(), |n| start + n);
            // Within one score, candidates come by title across the tied groups.
            let mut tied: Vec<EntryId> = scored[start..end]
                .iter()
                .flat_map(|(_, members)| members.iter().copied().filter(|&other| keep(other)).take(count))
                .collect();
            tied.sort_by_key(|&other| self.title_order[other]);
            chosen.extend(tied.into_iter().take(count - chosen.len()));
            start = end;
        }
        chosen
    }

    /// Whether `candidate` would enter `index`'s list `current` (which does not hold it).
    fn would_enter(&self, index: EntryId, candidate: EntryId, current: &[EntryId], limit: usize) -> bool {
        let score = overlap(&self.features[index], &self.features[candidate]);
        if score == 0 {
            return false;
        }
        let Some(&worst) = current.last().filter(|_| current.len() >= limit) else {
            return true;
        };
        let worst_score = overlap(&self.features[index], &self.features[worst]);
        score > worst_score || (score == worst_score && self.title_order[candidate] < self.title_order[worst])
    }
}

pub fn compute(entries: &[Document], explicit: &[Vec<EntryId>], limit: usize) -> Vec<Vec<EntryId>> {
    use rayon::prelude::*;
    let ranking = Ranking::new(entries);
    // Per group, enough candidates for each member to skip itself and its explicit ones.
    let candidates: Vec<Vec<EntryId>> = ranking
        .groups
        .par_iter()
        .map(|(set, members)| {
            let skipped = 1 + members.iter().map(|&member| explicit[member].len()).max().unwrap_or(0);
            ranking.candidates(set, limit + skipped, |_| true)
        })
        .collect();
    let mut group_of = vec![0; entries.len()];
    for (group, (_, members)) in ranking.groups.iter().enumerate() {
        for &member in members {
            group_of[member] = group;
        }
    }
    (0..entries.len())
        .into_par_iter()
        .map(EntryId::new)
        .map(|index| {
            candidates[group_of[index]]
                .iter()
                .copied()
                .filter(|&other| other != index && !explicit[index].contains(&other))
                .take(limit)
                .collect()
        })
        .collect()
}

/// Brings `lists` (as `compute` made them) up to date after entry `changed` was edited in
/// place, recomputing only the lists it was in or would now enter; returns those that changed.
///
/// A list is the top `limit` of a fixed order (overlap, then title), so an edit to one entry
/// changes it only if that entry was in it, or now ranks above its last member.
pub(super) fn update(
    entries: &[Document],
    explicit: &[Vec<EntryId>],
    lists: &mut [Vec<EntryId>],
    changed: EntryId,
    limit: usize,
) -> Vec<EntryId> {
    use rayon::prelude::*;
    let ranking = Ranking::new(entries);
    let affected: Vec<EntryId> = (0..entries.len())
        .into_par_iter()
        .map(EntryId::new)
        .filter(|&index| {
            index == changed
                || lists[index].contains(&changed)
                || (!explicit[index].contains(&changed)
                    && ranking.would_enter(index, changed, &lists[index], limit))
        })
        .collect();
    let mut updated = Vec::new();
    for index in affected {
        let list = ranking.related_of(index, &explicit[index], limit);
        if list != lists[index] {
            lists[index] = list;
            updated.push(index);
        }
    }
    updated
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Section;

    fn entry(number: usize, stages: &[usize], terms: &[usize]) -> Document {
        Document {
            id: format!("roles/r{number}"),
            section: Section::Kind(0),
            dir: "roles".to_string(),
            slug: format!("r{number}"),
            file: format!("content/roles/r{number}.md"),
            title: format!("Role {}", (number * 7919) % 101),
            summary: String::new(),
            stages: stages.to_vec(),
            terms: vec![terms.to_vec()],
            related: Vec::new(),
            sources: Vec::new(),
            updated: None,
            draft: false,
            weight: 0,
            body: String::new(),
            headings: Vec::new(),
            links: Vec::new(),
            aliases: Vec::new(),
            spans: Default::default(),
            editorial: Default::default(),
            translation: None,
            text_language: None,
        }
    }

    #[test]
    fn lists_by_group_equal_lists_by_entry() {
        // Few feature sets, many members each, titles that tie across groups, and explicit
        // related entries to skip: what grouping must get right.
        let entries: Vec<Document> = (0..300)
            .map(|number| {
                let stages: Vec<usize> = (0..4).filter(|stage| (number >> stage) % 3 == 0).collect();
                let terms: Vec<usize> = (0..3).filter(|term| (number / 7 + term) % 4 == 0).collect();
                entry(number, &stages, &terms)
            })
            .collect();
        let explicit: Vec<Vec<EntryId>> = (0..entries.len())
            .map(|number| (1..=number % 4).map(|k| EntryId::new((number * k * 13) % 300)).collect())
            .collect();
        let ranking = Ranking::new(&entries);
        let grouped = compute(&entries, &explicit, 5);
        for index in (0..entries.len()).map(EntryId::new) {
            assert_eq!(grouped[index], ranking.related_of(index, &explicit[index], 5), "entry {index:?}");
        }
        assert!(grouped.iter().any(|list| list.len() == 5));
    }

    #[test]
    fn overlap_counts_shared_features() {
        assert_eq!(overlap(&[1, 2, 3], &[2, 3, 4]), 2);
        assert_eq!(overlap(&[], &[1]), 0);
        assert_eq!(overlap(&[5], &[5]), 1);
    }
}
