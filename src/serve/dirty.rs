//! Which pages an in-place edit touches: a page is rendered again when something it shows
//! changed, judged from the graph before and after the edit.

use crate::catalog::{Catalog, EntryId, EntryUpdate};
use crate::content::Document;
use crate::render::plan::Shows;
use crate::render::views::CatalogViews;
use crate::urls;
use std::collections::{BTreeSet, HashMap, HashSet};

/// What a series of in-place edits changed.
#[derive(Debug, Default)]
pub struct Dirty {
    /// The edited entries.
    pub edited: BTreeSet<EntryId>,
    /// Entries whose card (title, summary, date, stages) changed: every list showing them.
    cards: HashSet<EntryId>,
    /// Entries whose related, computed related or backlinks lists changed.
    lists: BTreeSet<EntryId>,
    /// Whether anything but an entry's body changed (pages listing every entry).
    records: bool,
    pages: BTreeSet<usize>,
    pub home: bool,
    /// catalog.json, catalog.csv, feed.xml and sitemap.xml.
    pub feeds: bool,
    pub search: bool,
}

fn card_differs(old: &Document, new: &Document) -> bool {
    old.title != new.title
        || old.summary != new.summary
        || old.updated != new.updated
        || old.stages != new.stages
        || old.section != new.section
}

fn record_differs(old: &Document, new: &Document) -> bool {
    card_differs(old, new)
        || old.terms != new.terms
        || old.related.iter().map(|(id, _)| id).ne(new.related.iter().map(|(id, _)| id))
        || old.sources != new.sources
        || old.weight != new.weight
}

impl Dirty {
    pub fn note_entry(&mut self, catalog: &Catalog, update: EntryUpdate) {
        let current = &catalog.entries[update.index];
        self.edited.insert(update.index);
        self.search = true;
        if card_differs(&update.previous, current) {
            self.cards.insert(update.index);
        }
        if record_differs(&update.previous, current) || update.order_changed {
            self.records = true;
            self.feeds = true;
        }
        self.lists.extend(update.lists_changed);
    }

    /// The entries whose cards must be rendered again.
    pub fn changed_cards(&self) -> Vec<EntryId> {
        self.cards.iter().copied().collect()
    }

    pub fn note_page(&mut self, index: usize, old: &Document, new: &Document) {
        self.pages.insert(index);
        self.search = true;
        self.feeds |= old.updated != new.updated;
    }

    /// The entry pages and other pages (by URL) to render again, given the pages planned
    /// before and after.
    pub fn pages(
        &self,
        catalog: &Catalog,
        before: &[(String, Shows)],
        after: &[(String, Shows)],
    ) -> (Vec<EntryId>, HashSet<String>) {
        let mut entries: BTreeSet<EntryId> = self.edited.iter().chain(&self.lists).copied().collect();
        if !self.cards.is_empty() {
            for index in catalog.entry_ids() {
                let shows_changed = [&catalog.related, &catalog.computed_related, &catalog.backlinks]
                    .iter()
                    .any(|lists| lists[index].iter().any(|other| self.cards.contains(other)));
                if shows_changed {
                    entries.insert(index);
                }
            }
        }
        let before: HashMap<&str, &Shows> = before.iter().map(|(url, shows)| (url.as_str(), shows)).collect();
        let pages = after
            .iter()
            .filter(|(url, shows)| match before.get(url.as_str()) {
                Some(old) if *old == shows => match shows {
                    Shows::Entries(chunk) => chunk.iter().any(|index| self.cards.contains(index)),
                    Shows::Everything => self.records || (self.home && url == urls::HOME),
                    Shows::Page(index) => self.pages.contains(index),
                    Shows::Common => false,
                    Shows::Bodies(printed) => {
                        self.records || printed.iter().any(|index| self.edited.contains(index))
                    }
                },
                _ => true,
            })
            .map(|(url, _)| url.clone())
            .collect();
        (entries.into_iter().collect(), pages)
    }
}

/// Everything every page shows, as text: when it changes, every page is rendered again.
pub fn common_views(views: &CatalogViews) -> String {
    serde_json::to_string(&(&views.site, views.nav(), &views.sources)).unwrap_or_default()
}
