//! The landscape page's view: every kind × stage, each cell linking its entries (the first
//! of them, and the stage's list, when there are many), and for a kind small enough an "at a
//! glance" table of its entries against the stages.

use super::cards::Cards;
use super::plan;
use super::templates::{LandscapeCell, LandscapeKind, LandscapeRow, LandscapeView, PlainLink};
use super::views::CatalogViews;
use crate::catalog::EntryId;
use crate::urls;
use std::collections::HashSet;

/// The most entries a kind can have for the landscape to show its "at a glance" table: a
/// table of thousands of rows is no glance, and it would double a large catalog's
/// landscape page (the matrix above it still links every entry).
pub const GLANCE_LIMIT: usize = 250;

/// The most entries a cell of the landscape lists. A cell with more lists its first
/// `CELL_SHOWN` (in list order) and links the stage's list where that kind's entries begin:
/// a cell of thousands of links is no glance either, and at 50,000 entries it made the
/// landscape one page of 16 MB.
pub const CELL_LIMIT: usize = 50;
pub const CELL_SHOWN: usize = 25;

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
                .map(|(stage, stage_view)| {
                    let in_stage = &catalog.by_stage[stage];
                    let count = in_stage.iter().filter(|index| member_set.contains(index)).count();
                    let shown = if count > CELL_LIMIT { CELL_SHOWN } else { count };
                    LandscapeCell {
                        stage: stage_view,
                        entries: in_stage
                            .iter()
                            .filter(|index| member_set.contains(index))
                            .take(shown)
                            .map(|&index| link(index))
                            .collect(),
                        count,
                        all_url: (shown < count).then(|| group_url(views, stage, kind)),
                    }
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

/// The page of stage `stage`'s list where the entries of kind `kind` begin, at their
/// heading.
fn group_url(views: &CatalogViews, stage: usize, kind: usize) -> String {
    let page = plan::kind_page(views.catalog, &views.catalog.by_stage[stage], kind);
    format!("{}#group-{}", urls::paginated(&views.stages[stage].url, page), views.kinds[kind].id)
}
