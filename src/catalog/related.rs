//! Computed related entries: those sharing the most stages and terms, ties by title.
//!
//! Entries with the same stages and terms score alike against everyone, so entries are
//! grouped by that feature set and each entry is scored against the groups, not against
//! every other entry: the cost is entries × distinct feature sets, not entries².

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

pub fn compute(entries: &[Document], explicit: &[Vec<usize>], limit: usize) -> Vec<Vec<usize>> {
    let title_key = |index: usize| (entries[index].title.to_lowercase(), entries[index].id.as_str());
    let mut groups: HashMap<Features, Vec<usize>> = HashMap::new();
    let entry_features: Vec<Features> = entries.iter().map(features).collect();
    for (index, set) in entry_features.iter().enumerate() {
        groups.entry(set.clone()).or_default().push(index);
    }
    let mut groups: Vec<(Features, Vec<usize>)> = groups.into_iter().collect();
    for (_, members) in &mut groups {
        members.sort_by_cached_key(|&index| title_key(index));
    }
    groups.sort();

    use rayon::prelude::*;
    (0..entries.len())
        .into_par_iter()
        .map(|index| {
            let mine = &entry_features[index];
            let mut scored: Vec<(usize, &[usize])> = groups
                .iter()
                .map(|(set, members)| (overlap(mine, set), members.as_slice()))
                .filter(|(score, _)| *score > 0)
                .collect();
            scored.sort_by_key(|scored| std::cmp::Reverse(scored.0));
            let mut chosen = Vec::with_capacity(limit);
            let mut start = 0;
            while start < scored.len() && chosen.len() < limit {
                let score = scored[start].0;
                let end =
                    scored[start..].iter().position(|(s, _)| *s != score).map_or(scored.len(), |n| start + n);
                // Within one score, candidates come by title across the tied groups.
                let mut tied: Vec<usize> = scored[start..end]
                    .iter()
                    .flat_map(|(_, members)| {
                        members
                            .iter()
                            .copied()
                            .filter(|&other| other != index && !explicit[index].contains(&other))
                            .take(limit)
                    })
                    .collect();
                tied.sort_by_cached_key(|&other| title_key(other));
                chosen.extend(tied.into_iter().take(limit - chosen.len()));
                start = end;
            }
            chosen
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::overlap;

    #[test]
    fn overlap_counts_shared_features() {
        assert_eq!(overlap(&[1, 2, 3], &[2, 3, 4]), 2);
        assert_eq!(overlap(&[], &[1]), 0);
        assert_eq!(overlap(&[5], &[5]), 1);
    }
}
