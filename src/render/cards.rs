//! Entry cards: each entry's card is rendered once per build by `card.html` (with
//! `ROOT_MARK` for `root`) and pasted into every list that shows the entry, which is what
//! keeps a 10,000-entry build fast: a list never renders its cards again.

use super::chrome::ROOT_MARK;
use super::theme::{Theme, template_diagnostic};
use super::views::{CatalogViews, EntryCard, EntryLink, KindName};
use crate::catalog::EntryId;
use crate::diagnostic::Diagnostic;
use rayon::prelude::*;
use tera::Context;

/// An entry's rendered card and the strings lists borrow.
struct RenderedCard {
    url: String,
    updated: String,
    html: String,
}

/// Every entry's rendered card, by entry index; handed from one build to the next by
/// `serve`, which renders again only the cards an edit changed.
pub struct Cards(Vec<RenderedCard>);

impl Cards {
    /// Renders every entry's card.
    pub fn render(theme: &Theme, views: &CatalogViews) -> (Cards, Vec<Diagnostic>) {
        let count = views.catalog.entries.len();
        let rendered: Vec<(RenderedCard, Option<Diagnostic>)> = (0..count)
            .into_par_iter()
            .map_init(
                || card_context(theme),
                |context, index| render_card(theme, views, context, EntryId::new(index)),
            )
            .collect();
        let (cards, problems): (Vec<RenderedCard>, Vec<Option<Diagnostic>>) = rendered.into_iter().unzip();
        (Cards(cards), problems.into_iter().flatten().collect())
    }

    /// Renders again the cards of `changed` (the views they show changed).
    pub fn update(&mut self, theme: &Theme, views: &CatalogViews, changed: &[EntryId]) -> Vec<Diagnostic> {
        let mut diagnostics = Vec::new();
        let mut context = card_context(theme);
        for &index in changed {
            let (card, problem) = render_card(theme, views, &mut context, index);
            self.0[index] = card;
            diagnostics.extend(problem);
        }
        diagnostics
    }

    /// Entry `index` in a list of cards.
    pub fn card<'a>(&'a self, views: &'a CatalogViews, index: EntryId) -> EntryCard<'a> {
        let entry = &views.catalog.entries[index];
        let kind = &views.kinds[entry.kind().unwrap_or(0)];
        let card = &self.0[index];
        EntryCard {
            id: &entry.id,
            kind: KindName { id: kind.id, name: kind.name },
            title: &entry.title,
            url: &card.url,
            updated: &card.updated,
            html: &card.html,
        }
    }

    pub fn cards<'a>(&'a self, views: &'a CatalogViews, indices: &[EntryId]) -> Vec<EntryCard<'a>> {
        indices.iter().map(|&index| self.card(views, index)).collect()
    }

    /// Entry `index` in a list of plain links.
    pub fn link<'a>(&'a self, views: &'a CatalogViews, index: EntryId) -> EntryLink<'a> {
        let card = self.card(views, index);
        let lang = views.catalog.entries[index].text_language.as_deref();
        EntryLink {
            id: card.id,
            kind: card.kind,
            title: card.title,
            url: card.url,
            updated: card.updated,
            lang,
        }
    }

    pub fn links<'a>(&'a self, views: &'a CatalogViews, indices: &[EntryId]) -> Vec<EntryLink<'a>> {
        indices.iter().map(|&index| self.link(views, index)).collect()
    }

    /// The URL of entry `index`'s page.
    pub fn url(&self, index: EntryId) -> &str {
        &self.0[index].url
    }
}

/// What every card gets (`t` and `root`), made once per worker: each card only sets `card`.
fn card_context(theme: &Theme) -> Context {
    let mut context = theme.strings.context.clone();
    context.insert("root", ROOT_MARK);
    context
}

fn render_card(
    theme: &Theme,
    views: &CatalogViews,
    context: &mut Context,
    index: EntryId,
) -> (RenderedCard, Option<Diagnostic>) {
    let content = views.card_content(index);
    context.insert("card", &content);
    let (html, problem) = match theme.tera.render("card.html", context) {
        Ok(html) => (html, None),
        Err(error) => (String::new(), Some(template_diagnostic(&error, &theme.origins))),
    };
    (RenderedCard { url: content.url, updated: content.updated, html }, problem)
}
