//! Which pages the site has besides entry pages (the plan): each with its URL, what it
//! shows (so that `serve` can tell which pages an edit touches) and its last modification
//! date (for the sitemap).

use crate::catalog::{Catalog, EntryId};
use crate::urls;

/// A page other than an entry page.
#[derive(Debug, Clone)]
pub enum Job {
    Home,
    /// Stage index, page number (1-based), the entries on this page.
    Stage(usize, usize, Vec<EntryId>),
    Taxonomy(usize),
    /// Taxonomy index, term index, page number, the entries on this page.
    Term(usize, usize, usize, Vec<EntryId>),
    Kind(usize, usize, Vec<EntryId>),
    Page(usize),
    Landscape,
    Sources,
    /// A search page: its number (1-based) and the entries its A–Z list shows (the list
    /// readers without JavaScript browse, in pages of `list_page_size`).
    Search(usize, Vec<EntryId>),
    NotFound,
    /// A print document (spec §11): of one stage, or (`None`) of the whole catalog; with the
    /// entries it prints whole, in the order it prints them.
    Print(Option<usize>, Vec<EntryId>),
    /// The print edition of a catalog too large for one document: the stages' documents.
    PrintIndex,
    /// One part of a stage's document in a catalog too large for one document: the stage,
    /// the part's number (1-based), and the entries it prints whole (placed under the stage).
    PrintPart(usize, usize, Vec<EntryId>),
}

/// What a planned page shows, so that `serve` can tell which pages an edit touches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shows {
    /// The cards of these entries (one page of a stage, term or kind list).
    Entries(Vec<EntryId>),
    /// Something of every entry (home, landscape, sources, search).
    Everything,
    /// The free page at this index of `Catalog::pages`.
    Page(usize),
    /// Only what every page shows (a taxonomy's index, 404).
    Common,
    /// The whole of these entries, bodies too (a print document).
    Bodies(Vec<EntryId>),
}

impl Job {
    pub fn shows(&self) -> Shows {
        match self {
            Job::Stage(_, _, chunk) | Job::Term(_, _, _, chunk) | Job::Kind(_, _, chunk) => {
                Shows::Entries(chunk.clone())
            }
            Job::Home | Job::Landscape | Job::Sources | Job::Search(..) | Job::PrintIndex => {
                Shows::Everything
            }
            Job::Page(index) => Shows::Page(*index),
            Job::Taxonomy(_) | Job::NotFound => Shows::Common,
            Job::Print(_, entries) => Shows::Bodies(entries.clone()),
            // The first part also lists the stage's entries printed under other stages.
            Job::PrintPart(..) => Shows::Everything,
        }
    }

    /// Whether the page is left out of the sitemap: the 404 page, the print edition (the
    /// same words as the entry pages, which are the ones to find), and the search page's
    /// further pages (the same page, with more of the A–Z list).
    fn unlisted(&self) -> bool {
        matches!(self, Job::NotFound | Job::Print(..) | Job::PrintIndex | Job::PrintPart(..))
            || matches!(self, Job::Search(number, _) if *number > 1)
    }
}

pub struct Planned {
    pub job: Job,
    pub url: String,
    pub lastmod: Option<String>,
}

/// Splits `items` into pages of `size`, numbered from 1: (number, count, items).
pub fn paginate<T: Clone>(items: &[T], size: usize) -> Vec<(usize, usize, Vec<T>)> {
    let chunks: Vec<&[T]> =
        if items.is_empty() { vec![&[][..]] } else { items.chunks(size.max(1)).collect() };
    let count = chunks.len();
    chunks.into_iter().enumerate().map(|(i, chunk)| (i + 1, count, chunk.to_vec())).collect()
}

/// How many pages `paginate` makes of `len` items, `size` to a page (one, even empty).
pub fn page_count(len: usize, size: usize) -> usize {
    len.div_ceil(size.max(1)).max(1)
}

/// The published entries from A to Z (by title, whatever the case).
fn by_title(catalog: &Catalog) -> Vec<EntryId> {
    let mut sorted = catalog.ordered.clone();
    sorted.sort_by_cached_key(|&index| (catalog.entries[index].title.to_lowercase(), index));
    sorted
}

/// The newest `updated` date of these entries.
fn newest(catalog: &Catalog, indices: &[EntryId]) -> Option<String> {
    indices.iter().filter_map(|&index| catalog.entries[index].updated).max().map(|date| date.to_string())
}

/// The pages of one list, `list` sorted by kind (lists are grouped by kind on every page,
/// keeping list order within a kind), split by `list_page_size`.
fn list_pages(
    catalog: &Catalog,
    list: &[EntryId],
    first_url: &str,
    job: impl Fn(usize, Vec<EntryId>) -> Job,
) -> impl Iterator<Item = Planned> {
    let mut sorted = list.to_vec();
    sorted.sort_by_key(|&index| catalog.entries[index].kind());
    paginate(&sorted, catalog.config.list_page_size).into_iter().map(move |(number, _, chunk)| Planned {
        lastmod: newest(catalog, &chunk),
        url: urls::paginated(first_url, number),
        job: job(number, chunk),
    })
}

/// The number of the page of `list_pages(list)` on which the entries of kind `kind` begin
/// (under their heading, `#group-<kind>`): the kinds sorted before it fill the pages ahead.
pub fn kind_page(catalog: &Catalog, list: &[EntryId], kind: usize) -> usize {
    let before = list.iter().filter(|&&index| catalog.entries[index].kind() < Some(kind)).count();
    before / catalog.config.list_page_size.max(1) + 1
}

/// Every page but the entry pages, in a fixed order.
pub fn plan(catalog: &Catalog) -> Vec<Planned> {
    let everything = newest(catalog, &catalog.ordered);
    let mut plan = vec![Planned { job: Job::Home, url: urls::HOME.to_string(), lastmod: everything.clone() }];
    for (stage, list) in catalog.by_stage.iter().enumerate() {
        let first = urls::stage(catalog, stage);
        plan.extend(list_pages(catalog, list, &first, |number, chunk| Job::Stage(stage, number, chunk)));
    }
    for (taxonomy, terms) in catalog.by_term.iter().enumerate() {
        let url = urls::taxonomy(catalog, taxonomy);
        plan.push(Planned { job: Job::Taxonomy(taxonomy), url, lastmod: None });
        for (term, list) in terms.iter().enumerate() {
            let first = urls::term(catalog, taxonomy, term);
            let job = |number, chunk| Job::Term(taxonomy, term, number, chunk);
            plan.extend(list_pages(catalog, list, &first, job));
        }
    }
    for (kind, list) in catalog.by_kind.iter().enumerate() {
        // A kind's list is one kind already, in list order.
        for (number, _, chunk) in paginate(list, catalog.config.list_page_size) {
            let url = urls::paginated(&urls::kind(catalog, kind), number);
            plan.push(Planned { lastmod: newest(catalog, &chunk), job: Job::Kind(kind, number, chunk), url });
        }
    }
    for (index, page) in catalog.pages.iter().enumerate() {
        let lastmod = page.updated.map(|date| date.to_string());
        plan.push(Planned { job: Job::Page(index), url: urls::page(catalog, index), lastmod });
    }
    plan.push(Planned { job: Job::Landscape, url: urls::LANDSCAPE.to_string(), lastmod: everything.clone() });
    plan.push(Planned { job: Job::Sources, url: urls::SOURCES.to_string(), lastmod: everything.clone() });
    for (number, _, chunk) in paginate(&by_title(catalog), catalog.config.list_page_size) {
        let url = urls::paginated(urls::SEARCH, number);
        plan.push(Planned { job: Job::Search(number, chunk), url, lastmod: everything.clone() });
    }
    plan.push(Planned { job: Job::NotFound, url: urls::NOT_FOUND.to_string(), lastmod: None });
    if catalog.config.print {
        plan.extend(super::print::plan(catalog));
    }
    plan
}

/// Every page for the sitemap (all but 404 and the print edition), with its last
/// modification date.
pub fn sitemap_pages(catalog: &Catalog, plan: &[Planned]) -> Vec<(String, Option<String>)> {
    let mut pages: Vec<(String, Option<String>)> = plan
        .iter()
        .filter(|planned| !planned.job.unlisted())
        .map(|planned| (planned.url.clone(), planned.lastmod.clone()))
        .collect();
    for &index in &catalog.ordered {
        let lastmod = catalog.entries[index].updated.map(|date| date.to_string());
        pages.push((urls::entry(catalog, index), lastmod));
    }
    pages
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_count_is_that_of_paginate() {
        for len in 0..12 {
            for size in [0, 1, 2, 5, 11, 12, 100] {
                let items: Vec<usize> = (0..len).collect();
                assert_eq!(page_count(len, size), paginate(&items, size).len(), "{len} items, {size} a page");
            }
        }
    }

    #[test]
    fn pagination_splits_and_numbers() {
        let pages = paginate(&[1, 2, 3, 4, 5], 2);
        assert_eq!(pages.len(), 3);
        assert_eq!(pages[2], (3, 3, vec![5]));
        assert_eq!(paginate::<u8>(&[], 2), vec![(1, 1, vec![])]);
    }
}
