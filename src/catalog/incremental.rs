//! Updating the graph in place after one entry was edited (for `serve`): the result is the
//! catalog `build` would make from the edited content, at a fraction of the cost.

use super::{Catalog, EntryId, Lists, RELATED_LIMIT, backlinks, explicit_related, list_order, related};
use crate::content::Document;

/// What an in-place edit of one entry changed.
#[derive(Debug)]
pub struct EntryUpdate {
    /// The edited entry (its id is unchanged by the edit).
    pub index: EntryId,
    /// The entry as it was before the edit.
    pub previous: Document,
    /// Entries (the edited one included) whose explicit related, computed related or
    /// backlinks lists changed.
    pub lists_changed: Vec<EntryId>,
    /// Whether list order (and so kind, stage and term lists and citations) changed.
    pub order_changed: bool,
}

impl Catalog {
    /// Replaces the published entry with `document`'s id by `document`, updating lists,
    /// related entries, backlinks and computed related entries as `build` would.
    ///
    /// The document is given back when the edit cannot be made in place: no published entry
    /// has its id, it moved to another kind, it became a draft, or its redirect pages
    /// change (`redirects_change`). Rebuild then.
    pub fn update_entry(&mut self, document: Document) -> Result<EntryUpdate, Box<Document>> {
        let Some(index) = self.entry(&document.id) else {
            return Err(Box::new(document));
        };
        let previous = &self.entries[index];
        if document.section != previous.section
            || document.draft != previous.draft
            || redirects_change(previous, &document)
        {
            return Err(Box::new(document));
        }
        let previous = std::mem::replace(&mut self.entries[index], document);
        let entries = &self.entries;
        let current = &entries[index];

        let order_key_changed = current.weight != previous.weight
            || current.title.to_lowercase() != previous.title.to_lowercase();
        if order_key_changed {
            self.ordered.retain(|&other| other != index);
            // One insertion into a sorted list: find the place by the same order as `build`.
            let position = self.ordered.partition_point(|&other| {
                let mut pair = [other, index];
                list_order(entries, &mut pair);
                pair[0] == other
            });
            self.ordered.insert(position, index);
        }
        let membership_changed = current.stages != previous.stages
            || current.terms != previous.terms
            || current.sources != previous.sources;
        let order_changed = order_key_changed || membership_changed;
        if order_changed {
            let lists = Lists::new(&self.config, entries, &self.ordered);
            self.by_kind = lists.by_kind;
            self.by_stage = lists.by_stage;
            self.by_term = lists.by_term;
            self.citations = lists.citations;
        }

        let mut lists_changed = Vec::new();
        let related = explicit_related(entries, &self.entry_index, index);
        if related != self.related[index] {
            self.related[index] = related;
            lists_changed.push(index);
        }
        let backlinks = backlinks(entries, &self.related, &self.entry_index, &self.ordered);
        for (other, (old, new)) in self.backlinks.iter_mut().zip(backlinks).enumerate() {
            if *old != new {
                *old = new;
                lists_changed.push(EntryId::new(other));
            }
        }
        let features_changed = membership_changed || current.title != previous.title;
        if features_changed || lists_changed.contains(&index) {
            lists_changed.extend(related::update(
                entries,
                &self.related,
                &mut self.computed_related,
                index,
                RELATED_LIMIT,
            ));
        }
        lists_changed.sort_unstable();
        lists_changed.dedup();
        Ok(EntryUpdate { index, previous, lists_changed, order_changed })
    }
}

/// Whether an edit changes the redirect pages of a document's aliases (which show its
/// title): the in-place paths do not render them, so such an edit rebuilds everything.
pub fn redirects_change(previous: &Document, edited: &Document) -> bool {
    edited.aliases != previous.aliases || (!edited.aliases.is_empty() && edited.title != previous.title)
}
