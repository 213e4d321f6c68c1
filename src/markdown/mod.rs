//! Markdown with pulldown-cmark: the options every stage shares, heading ids, the outline
//! (headings and `@/` links) read at load time, and HTML rendering with links rewritten.

use crate::url_policy::{self, Refused};
use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
use std::collections::{BTreeSet, HashSet};

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_TASKLISTS
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    pub id: String,
}

/// A link in a body whose destination starts with `@/`; `offset` is the destination's byte
/// offset in the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InternalLink {
    pub path: String,
    pub anchor: Option<String>,
    pub offset: usize,
}

/// A link or image in a body to an `http(s)` address; `offset` is the destination's byte
/// offset in the body (for `check --external`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalLink {
    pub url: String,
    pub offset: usize,
}

/// Something in a body that is not published as written; `offset` is where, in the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unpublished {
    pub offset: usize,
    pub what: UnpublishedKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnpublishedKind {
    /// A link or image whose URL the URL policy refuses: its text is kept, the link dropped.
    RefusedUrl { url: String, refused: Refused },
    /// An image from another host: shown as a link to it instead.
    ExternalImage { url: String },
    /// Heading attributes other than `{#id}` (classes, `key=value`): dropped.
    HeadingAttributes { names: Vec<String> },
    /// An explicit heading id that cannot be an HTML id (empty, or with spaces): the
    /// heading gets an id made from its text instead.
    InvalidHeadingId { id: String },
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outline {
    pub headings: Vec<Heading>,
    pub links: Vec<InternalLink>,
    pub external: Vec<ExternalLink>,
    pub unpublished: Vec<Unpublished>,
}

/// The id a heading gets: its text lowercased, runs of other characters turned into one `-`.
pub fn heading_id(text: &str) -> String {
    let mut id = String::with_capacity(text.len());
    let mut pending_dash = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            if pending_dash && !id.is_empty() {
                id.push('-');
            }
            pending_dash = false;
            id.push(c);
        } else if c != '\'' && c != '’' {
            pending_dash = true;
        }
    }
    if id.is_empty() { "section".to_string() } else { id }
}

/// The ids the default theme gives the parts of the pages that carry a body (its header's
/// search box, `<main>`, an entry's title and sections, a free page's title, the home page's
/// sections), which a heading must not take too: a body's "Main" is `main-1`, so that the
/// page keeps one element of each id and its contents lead to the heading. Another theme
/// uses ids a heading cannot get (with `_` or `--`, which `heading_id` never writes), or
/// these (docs/themes.md).
const THEME_IDS: &[&str] = &[
    "main",
    "site-search-q",
    "entry-title",
    "related-heading",
    "also-heading",
    "backlinks-heading",
    "references-heading",
    "page-title",
    "stages-heading",
    "browse-heading",
    "recent-heading",
    "legend-title",
];

/// Gives each heading a unique id: an explicit `{#id}` wins, repeats (and the theme's own
/// ids) get `-1`, `-2`, ….
struct HeadingIds {
    used: HashSet<String>,
}

impl HeadingIds {
    fn new() -> Self {
        HeadingIds { used: HashSet::new() }
    }

    fn assign(&mut self, explicit: Option<&str>, text: &str) -> String {
        let base = explicit.filter(|id| is_valid_id(id)).map_or_else(|| heading_id(text), str::to_string);
        let mut id = base.clone();
        let mut n = 1;
        while self.used.contains(&id) || THEME_IDS.contains(&id.as_str()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        self.used.insert(id.clone());
        id
    }
}

/// An explicit id (`{#id}`) that HTML accepts: not empty, no spaces, and no characters that
/// would need escaping in a URL fragment or an attribute.
fn is_valid_id(id: &str) -> bool {
    !id.is_empty() && !id.chars().any(|c| c.is_whitespace() || c.is_control() || "\"'<>&`#%".contains(c))
}

/// What the URL policy says of a link's or image's destination, as something unpublished.
fn url_problem(url: &str, is_image: bool) -> Option<UnpublishedKind> {
    match url_policy::check(url) {
        Err(refused) => Some(UnpublishedKind::RefusedUrl { url: url.to_string(), refused }),
        Ok(allowed) if is_image && allowed.is_external() => {
            Some(UnpublishedKind::ExternalImage { url: url.to_string() })
        }
        Ok(_) => None,
    }
}

fn level_number(level: HeadingLevel) -> u8 {
    level as u8
}

/// Reads the headings and `@/` links of a body, without rendering it.
pub fn outline(body: &str) -> Outline {
    let mut outline = Outline::default();
    let mut ids = HeadingIds::new();
    let mut heading: Option<(u8, Option<String>, String)> = None;
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, id, classes, attrs }) => {
                let mut names: Vec<String> = classes.iter().map(|class| format!(".{class}")).collect();
                names.extend(attrs.iter().map(|(name, _)| name.to_string()));
                if !names.is_empty() {
                    let what = UnpublishedKind::HeadingAttributes { names };
                    outline.unpublished.push(Unpublished { offset: range.start, what });
                }
                if let Some(id) = id.as_deref().filter(|id| !is_valid_id(id)) {
                    let what = UnpublishedKind::InvalidHeadingId { id: id.to_string() };
                    outline.unpublished.push(Unpublished { offset: range.start, what });
                }
                heading = Some((level_number(level), id.map(|id| id.to_string()), String::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, explicit, text)) = heading.take() {
                    let id = ids.assign(explicit.as_deref(), &text);
                    outline.headings.push(Heading { level, text: text.trim().to_string(), id });
                }
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some((_, _, heading_text)) = heading.as_mut() {
                    heading_text.push_str(&text);
                }
            }
            Event::Start(Tag::Link { ref dest_url, .. }) | Event::Start(Tag::Image { ref dest_url, .. }) => {
                let is_image = matches!(event, Event::Start(Tag::Image { .. }));
                let source = &body[range.clone()];
                let offset = source.find(dest_url.as_ref()).map_or(range.start, |i| range.start + i);
                if let Some((path, anchor)) = internal_target(dest_url) {
                    outline.links.push(InternalLink {
                        path: path.to_string(),
                        anchor: anchor.map(str::to_string),
                        offset,
                    });
                } else if let Some(what) = url_problem(dest_url, is_image) {
                    outline.unpublished.push(Unpublished { offset, what });
                }
                if url_policy::check(dest_url) == Ok(url_policy::Allowed::Web) {
                    outline.external.push(ExternalLink { url: dest_url.trim().to_string(), offset });
                }
            }
            _ => {}
        }
    }
    outline
}

/// The path and anchor of an `@/` destination (`@/roles/a.md#why`), or `None` for any
/// other destination.
fn internal_target(destination: &str) -> Option<(&str, Option<&str>)> {
    let target = destination.strip_prefix("@/")?;
    Some(match target.split_once('#') {
        Some((path, anchor)) => (path, Some(anchor)),
        None => (target, None),
    })
}

/// Resolves an `@/` link path (`roles/a.md`) and anchor to a URL relative to the page.
pub trait LinkResolver {
    fn resolve(&self, path: &str, anchor: Option<&str>) -> Option<String>;
}

/// A rendered body: its HTML and its plain text (for search and summaries).
pub struct Rendered {
    pub html: String,
    pub text: String,
}

/// Where a body is placed when one page holds many (the print edition): every id it makes
/// (headings, footnotes, and so its own `#fragment` links) starts with `id_prefix`, so that
/// ids stay unique in the page, and its headings go `heading_shift` levels down (at most to
/// `h6`), below the heading the page gives the body. The default places a body on a page of
/// its own.
#[derive(Debug, Clone, Copy, Default)]
pub struct Placement<'a> {
    pub id_prefix: &'a str,
    pub heading_shift: u8,
    /// When only some headings need an id: those whose id (unprefixed) links from elsewhere
    /// lead to, and those the body's own `#fragment` links lead to. A page holding thousands
    /// of bodies (the print edition) then names no heading nothing links to. `None` gives
    /// every heading its id (a page of its own links them all from its contents).
    pub linked_ids: Option<&'a BTreeSet<String>>,
}

/// Renders a body to HTML. Heading ids match `outline` and headings carry no other
/// attribute; `@/` links go through `resolver` (a link it cannot resolve keeps its text and
/// loses the link); other URLs go through the URL policy (a refused link keeps its text, a
/// refused image its description, an image from another host becomes a link to it); raw
/// HTML is escaped unless `raw_html`.
pub fn render(body: &str, resolver: &dyn LinkResolver, raw_html: bool) -> Rendered {
    render_placed(body, resolver, raw_html, Placement::default())
}

/// Renders a body as `render` does, placed in a page that holds other bodies too.
pub fn render_placed(
    body: &str,
    resolver: &dyn LinkResolver,
    raw_html: bool,
    placement: Placement,
) -> Rendered {
    let mut rewrite = Rewrite {
        resolver,
        raw_html,
        placement,
        ids: HeadingIds::new(),
        events: Vec::new(),
        text: String::with_capacity(body.len()),
        open_heading: None,
        heading_text: String::new(),
        link_kept: Vec::new(),
        image_ends: Vec::new(),
        html_block: None,
        headings: Vec::new(),
        fragments: BTreeSet::new(),
        items: Vec::new(),
        task_label: false,
    };
    for event in Parser::new_ext(body, options()) {
        rewrite.event(event);
    }
    rewrite.unname_unlinked();
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, rewrite.events.into_iter());
    Rendered { html, text: rewrite.text }
}

/// The events of a body as they are rewritten for the page, and its plain text.
struct Rewrite<'r, 'e> {
    resolver: &'r dyn LinkResolver,
    raw_html: bool,
    placement: Placement<'r>,
    ids: HeadingIds,
    events: Vec<Event<'e>>,
    text: String,
    /// Where the open heading's start event is, and its text so far.
    open_heading: Option<usize>,
    heading_text: String,
    /// Per open link: whether it is kept (a link refused or not resolved keeps only its text).
    link_kept: Vec<bool>,
    /// Per open image: what its end becomes (an image, a link, or nothing).
    image_ends: Vec<Option<TagEnd>>,
    /// The open HTML block: where its events and its text start, and its source so far.
    html_block: Option<(usize, usize, String)>,
    /// Where each heading's start event is, and its id (unprefixed), when only linked
    /// headings keep their id (`Placement::linked_ids`).
    headings: Vec<(usize, String)>,
    /// The ids (unprefixed) the body's own `#fragment` links lead to.
    fragments: BTreeSet<String>,
    /// Where each open list item's start event is.
    items: Vec<usize>,
    /// Whether a task's label is open: its checkbox and the words after it, up to the end of
    /// the item's first line or paragraph (see `task`).
    task_label: bool,
}

/// Whether `event` ends an open task's label: the end of its paragraph or item, or the start
/// of anything that is not inline.
fn ends_task_label(event: &Event) -> bool {
    match event {
        Event::End(TagEnd::Paragraph | TagEnd::Item) => true,
        Event::Start(tag) => !matches!(
            tag,
            Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. } | Tag::Image { .. }
        ),
        Event::Html(_) | Event::Rule => true,
        _ => false,
    }
}

/// Whether raw HTML is only a comment (`<!-- … -->`): an editor's note, never published.
fn is_comment(html: &str) -> bool {
    let html = html.trim();
    html.starts_with("<!--") && html.ends_with("-->")
}

impl<'e> Rewrite<'_, 'e> {
    fn event(&mut self, event: Event<'e>) {
        if self.task_label && ends_task_label(&event) {
            self.task_label = false;
            self.events.push(Event::InlineHtml(CowStr::Borrowed("</label>")));
        }
        match event {
            Event::Start(Tag::Item) => {
                self.items.push(self.events.len());
                self.events.push(event);
            }
            Event::End(TagEnd::Item) => {
                self.items.pop();
                self.text.push('\n');
                self.events.push(event);
            }
            Event::TaskListMarker(done) => self.task(done),
            Event::Start(Tag::Heading { level, id, .. }) => {
                self.open_heading = Some(self.events.len());
                self.heading_text.clear();
                let (classes, attrs) = (Vec::new(), Vec::new());
                let level = self.shifted(level);
                self.events.push(Event::Start(Tag::Heading { level, id, classes, attrs }));
            }
            Event::End(TagEnd::Heading(level)) => self.end_heading(self.shifted(level)),
            Event::FootnoteReference(name) => {
                self.events.push(Event::FootnoteReference(self.prefixed_footnote(&name)));
            }
            Event::Start(Tag::FootnoteDefinition(name)) => {
                self.events.push(Event::Start(Tag::FootnoteDefinition(self.prefixed_footnote(&name))));
            }
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                self.start_link(link_type, dest_url, title, id)
            }
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                self.start_image(link_type, dest_url, title, id)
            }
            Event::End(TagEnd::Image) => {
                if let Some(end) = self.image_ends.pop().flatten() {
                    self.events.push(Event::End(end));
                }
            }
            Event::End(TagEnd::Link) => {
                if self.link_kept.pop().unwrap_or(true) {
                    self.events.push(Event::End(TagEnd::Link));
                }
            }
            Event::Start(Tag::HtmlBlock) => {
                self.html_block = Some((self.events.len(), self.text.len(), String::new()));
                self.events.push(event);
            }
            Event::End(TagEnd::HtmlBlock) => match self.html_block.take() {
                Some((events, text, source)) if is_comment(&source) => {
                    self.events.truncate(events);
                    self.text.truncate(text);
                }
                _ => self.events.push(event),
            },
            Event::InlineHtml(html) if is_comment(&html) => {}
            Event::Html(ref html) | Event::InlineHtml(ref html) => {
                let html = html.clone();
                if let Some((_, _, source)) = self.html_block.as_mut() {
                    source.push_str(&html);
                }
                if self.raw_html {
                    self.events.push(event);
                } else {
                    self.text.push_str(&html);
                    self.events.push(Event::Text(html));
                }
            }
            Event::Text(ref content) | Event::Code(ref content) => {
                if self.open_heading.is_some() {
                    self.heading_text.push_str(content);
                }
                self.text.push_str(content);
                self.events.push(event);
            }
            Event::SoftBreak | Event::HardBreak => {
                self.text.push(' ');
                self.events.push(event);
            }
            Event::End(TagEnd::Paragraph | TagEnd::TableCell | TagEnd::CodeBlock) => {
                self.text.push('\n');
                self.events.push(event);
            }
            other => self.events.push(other),
        }
    }

    /// A task list item (`- [ ] …`, `- [x] …`): its item gets the class `task`, and its box
    /// is a disabled checkbox inside a label holding the task's words, so that a screen
    /// reader says "checkbox, checked, <the task>" (a bare checkbox has no name). The words
    /// are the item's first line or paragraph, up to anything that is not inline (a
    /// nested list, say).
    fn task(&mut self, done: bool) {
        if let Some(&start) = self.items.last()
            && matches!(self.events[start], Event::Start(Tag::Item))
        {
            self.events[start] = Event::Html(CowStr::Borrowed("<li class=\"task\">"));
        }
        let input = if done {
            "<label><input type=\"checkbox\" disabled checked> "
        } else {
            "<label><input type=\"checkbox\" disabled> "
        };
        self.events.push(Event::InlineHtml(CowStr::Borrowed(input)));
        self.task_label = true;
    }

    /// A heading's level, `placement.heading_shift` levels down.
    fn shifted(&self, level: HeadingLevel) -> HeadingLevel {
        let shifted = level as usize + usize::from(self.placement.heading_shift);
        HeadingLevel::try_from(shifted.min(6)).unwrap_or(HeadingLevel::H6)
    }

    /// A footnote's id in the page: `fn:` and its name (as Hugo writes it), after the
    /// placement's prefix. No heading's id has a `:` unless an editor writes it so, nor has
    /// any of the theme's: a footnote `[^1]` and a heading "1" both took `1`.
    fn prefixed_footnote(&self, name: &str) -> CowStr<'e> {
        CowStr::from(format!("{}fn:{name}", self.placement.id_prefix))
    }

    /// Gives the heading just closed its id (as `outline` does, with the placement's prefix).
    fn end_heading(&mut self, level: HeadingLevel) {
        if let Some(start) = self.open_heading.take()
            && let Event::Start(Tag::Heading { id, .. }) = &mut self.events[start]
        {
            let assigned = self.ids.assign(id.as_deref(), &self.heading_text);
            *id = Some(CowStr::from(format!("{}{assigned}", self.placement.id_prefix)));
            if self.placement.linked_ids.is_some() {
                self.headings.push((start, assigned));
            }
        }
        self.text.push('\n');
        self.events.push(Event::End(TagEnd::Heading(level)));
    }

    /// Takes its id from each heading that nothing links to, when only linked headings keep
    /// theirs (`Placement::linked_ids`); the body is whole by then, so a link after its
    /// heading counts too.
    fn unname_unlinked(&mut self) {
        let Some(linked) = self.placement.linked_ids else { return };
        for (start, assigned) in &self.headings {
            if linked.contains(assigned) || self.fragments.contains(assigned) {
                continue;
            }
            if let Event::Start(Tag::Heading { id, .. }) = &mut self.events[*start] {
                *id = None;
            }
        }
    }

    /// Keeps a link whose `@/` target resolves or whose URL the policy allows.
    fn start_link(&mut self, link_type: LinkType, dest_url: CowStr<'e>, title: CowStr<'e>, id: CowStr<'e>) {
        let dest_url = match internal_target(&dest_url) {
            Some((path, anchor)) => self.resolver.resolve(path, anchor).map(CowStr::from),
            None => match url_policy::check(&dest_url) {
                // A link to a heading of the same body follows the heading's placed id.
                Ok(url_policy::Allowed::Fragment) if !self.placement.id_prefix.is_empty() => {
                    let fragment = dest_url.trim_start().trim_start_matches('#');
                    if self.placement.linked_ids.is_some() {
                        self.fragments.insert(fragment.to_string());
                    }
                    Some(CowStr::from(format!("#{}{fragment}", self.placement.id_prefix)))
                }
                Ok(_) => Some(dest_url),
                Err(_) => None,
            },
        };
        self.link_kept.push(dest_url.is_some());
        if let Some(dest_url) = dest_url {
            self.events.push(Event::Start(Tag::Link { link_type, dest_url, title, id }));
        }
    }

    /// Keeps a local image; an image from another host becomes a link to it; a refused one
    /// keeps only its description. (`outline` checks `@/` images as it checks links.)
    fn start_image(&mut self, link_type: LinkType, dest_url: CowStr<'e>, title: CowStr<'e>, id: CowStr<'e>) {
        let dest_url = match internal_target(&dest_url) {
            Some((path, anchor)) => self.resolver.resolve(path, anchor).map_or(dest_url, CowStr::from),
            None => dest_url,
        };
        match url_policy::check(&dest_url) {
            Ok(allowed) if allowed.is_external() => {
                self.image_ends.push(Some(TagEnd::Link));
                let link_type = LinkType::Inline;
                self.events.push(Event::Start(Tag::Link { link_type, dest_url, title, id }));
            }
            Ok(_) => {
                self.image_ends.push(Some(TagEnd::Image));
                self.events.push(Event::Start(Tag::Image { link_type, dest_url, title, id }));
            }
            Err(_) => self.image_ends.push(None),
        }
    }
}

#[cfg(test)]
mod tests;
