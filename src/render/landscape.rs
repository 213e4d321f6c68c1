//! The landscape page's view: every kind × stage, each cell linking its entries, and for
//! a kind small enough an "at a glance" table of its entries against the stages.

use super::cards::Cards;
use super::templates::{LandscapeCell, LandscapeKind, LandscapeRow, LandscapeView, PlainLink};
use super::views::CatalogViews;
use crate::catalog::EntryId;
use std::collections::HashSet;

/// The most entries a kind can have for the landscape to show its "at a glance" table: a
/// table of thousands of rows is no glance, and it would double a large catalog's
/// landscape page (the matrix above it still links every entry).
pub const GLANCE_LIMIT: usize = 250;

pub fn view<'a>(views: &'a CatalogViews<'a>, cards: &'a Cards) -> LandscapeView<'a> {
    let catalog = views.catalog;
    let kinds = views
        .kinds
        .iter()
        .enumerate()
        .map(|(kind, kind_view)| {
            let members = &catalog.by_kind[kind];
            let member_set: HashSet<EntryId> = members.iter().copied().collect();
            let link =
                |index: EntryId| PlainLink { title: &catalog.entries[index].title, url: cards.url(index) };
            let cells = views
                .stages
                .iter()
                .enumerate()
                .map(|(stage, stage_view)| LandscapeCell {
                    stage: stage_view,
                    entries: catalog.by_stage[stage]
                        .iter()
                        .filter(|index| member_set.contains(index))
                        .map(|&index| link(index))
                        .collect(),
                })
                .collect();
            let glance = members.len() <= GLANCE_LIMIT;
            let rows = members
                .iter()
                .filter(|_| glance)
                .map(|&index| LandscapeRow {
                    title: &catalog.entries[index].title,
                    url: cards.url(index),
                    in_stage: (0..views.stages.len())
                        .map(|stage| catalog.entries[index].stages.contains(&stage))
                        .collect(),
                })
                .collect();
            LandscapeKind { kind: kind_view, cells, rows }
        })
        .collect();
    LandscapeView { stages: &views.stages, kinds }
}
