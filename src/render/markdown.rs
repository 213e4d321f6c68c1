//! Markdown with pulldown-cmark: the options every stage shares, heading ids, the outline
//! (headings and `@/` links) read at load time, and HTML rendering with links rewritten.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::collections::HashSet;

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
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

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outline {
    pub headings: Vec<Heading>,
    pub links: Vec<InternalLink>,
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

/// Gives each heading a unique id: an explicit `{#id}` wins, repeats get `-1`, `-2`, ….
struct HeadingIds {
    used: HashSet<String>,
}

impl HeadingIds {
    fn new() -> Self {
        HeadingIds { used: HashSet::new() }
    }

    fn assign(&mut self, explicit: Option<&str>, text: &str) -> String {
        let base = explicit.map_or_else(|| heading_id(text), str::to_string);
        let mut id = base.clone();
        let mut n = 1;
        while self.used.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        self.used.insert(id.clone());
        id
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
            Event::Start(Tag::Heading { level, id, .. }) => {
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
            Event::Start(Tag::Link { dest_url, .. }) | Event::Start(Tag::Image { dest_url, .. }) => {
                if let Some((path, anchor)) = internal_target(&dest_url) {
                    let source = &body[range.clone()];
                    let offset = source.find(dest_url.as_ref()).map_or(range.start, |i| range.start + i);
                    outline.links.push(InternalLink {
                        path: path.to_string(),
                        anchor: anchor.map(str::to_string),
                        offset,
                    });
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

/// Renders a body to HTML. Heading ids match `outline`; `@/` links go through `resolver`
/// (a link it cannot resolve keeps its text and loses the link); raw HTML is escaped unless
/// `raw_html`.
pub fn render(body: &str, resolver: &dyn LinkResolver, raw_html: bool) -> Rendered {
    let mut ids = HeadingIds::new();
    let mut events: Vec<Event> = Vec::new();
    let mut text = String::with_capacity(body.len());
    let mut open_heading: Option<usize> = None;
    let mut heading_text = String::new();
    let mut link_depth: Vec<bool> = Vec::new();
    for event in Parser::new_ext(body, options()) {
        match event {
            Event::Start(Tag::Heading { level, id, classes, attrs }) => {
                open_heading = Some(events.len());
                heading_text.clear();
                events.push(Event::Start(Tag::Heading { level, id, classes, attrs }));
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some(start) = open_heading.take()
                    && let Event::Start(Tag::Heading { id, .. }) = &mut events[start]
                {
                    let assigned = ids.assign(id.as_deref(), &heading_text);
                    *id = Some(CowStr::from(assigned));
                }
                text.push('\n');
                events.push(Event::End(TagEnd::Heading(level)));
            }
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                if let Some((path, anchor)) = internal_target(&dest_url) {
                    match resolver.resolve(path, anchor) {
                        Some(url) => {
                            link_depth.push(true);
                            events.push(Event::Start(Tag::Link {
                                link_type,
                                dest_url: CowStr::from(url),
                                title,
                                id,
                            }));
                        }
                        None => {
                            link_depth.push(false);
                        }
                    }
                } else {
                    link_depth.push(true);
                    events.push(Event::Start(Tag::Link { link_type, dest_url, title, id }));
                }
            }
            // `outline` checks `@/` images as it checks links, so they are rewritten alike.
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                let dest_url = internal_target(&dest_url)
                    .and_then(|(path, anchor)| resolver.resolve(path, anchor))
                    .map_or(dest_url, CowStr::from);
                events.push(Event::Start(Tag::Image { link_type, dest_url, title, id }));
            }
            Event::End(TagEnd::Link) => {
                if link_depth.pop().unwrap_or(true) {
                    events.push(Event::End(TagEnd::Link));
                }
            }
            Event::Html(html) | Event::InlineHtml(html) if !raw_html => {
                text.push_str(&html);
                events.push(Event::Text(html));
            }
            Event::Text(ref content) | Event::Code(ref content) => {
                if open_heading.is_some() {
                    heading_text.push_str(content);
                }
                text.push_str(content);
                events.push(event);
            }
            Event::SoftBreak | Event::HardBreak => {
                text.push(' ');
                events.push(event);
            }
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell | TagEnd::CodeBlock) => {
                text.push('\n');
                events.push(event);
            }
            other => events.push(other),
        }
    }
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    Rendered { html, text }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fixed;
    impl LinkResolver for Fixed {
        fn resolve(&self, path: &str, anchor: Option<&str>) -> Option<String> {
            (path == "roles/a.md")
                .then(|| format!("../a/index.html{}", anchor.map(|a| format!("#{a}")).unwrap_or_default()))
        }
    }

    #[test]
    fn heading_ids() {
        let cases = [
            ("Signs it is working", "signs-it-is-working"),
            ("What it takes?", "what-it-takes"),
            ("  Équipe & rôle ", "équipe-rôle"),
            ("Don't stop", "dont-stop"),
            ("1. First", "1-first"),
            ("!!!", "section"),
        ];
        for (text, expected) in cases {
            assert_eq!(heading_id(text), expected, "{text:?}");
        }
    }

    #[test]
    fn outline_finds_headings_and_internal_links() {
        let body =
            "## Why\n\n## Why\n\n## Custom {#mine}\n\nSee [a](@/roles/a.md#why) and [x](https://x.org).\n";
        let outline = outline(body);
        let ids: Vec<&str> = outline.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["why", "why-1", "mine"]);
        assert_eq!(outline.links.len(), 1);
        let link = &outline.links[0];
        assert_eq!((link.path.as_str(), link.anchor.as_deref()), ("roles/a.md", Some("why")));
        assert_eq!(&body[link.offset..link.offset + 2], "@/");
    }

    #[test]
    fn render_rewrites_links_escapes_html_and_keeps_ids() {
        let body = "## Why\n\n[a](@/roles/a.md#why) [gone](@/roles/b.md) <script>alert(1)</script>\n";
        let rendered = render(body, &Fixed, false);
        assert!(rendered.html.contains("<h2 id=\"why\">Why</h2>"), "{}", rendered.html);
        assert!(rendered.html.contains("<a href=\"../a/index.html#why\">a</a>"));
        assert!(rendered.html.contains(" gone "));
        assert!(!rendered.html.contains("<script>"));
        assert!(rendered.html.contains("&lt;script&gt;"));
        assert!(rendered.text.contains("Why"));
    }

    #[test]
    fn internal_images_are_rewritten_like_links() {
        let html = render("![a figure](@/roles/a.md#why)\n", &Fixed, false).html;
        assert!(html.contains("src=\"../a/index.html#why\""), "{html}");
    }

    #[test]
    fn tables_footnotes_and_strikethrough_render() {
        let body = "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ text[^1]\n\n[^1]: note\n";
        let html = render(body, &Fixed, false).html;
        assert!(html.contains("<table>"));
        assert!(html.contains("<del>old</del>"));
        assert!(html.contains("footnote"));
    }
}
