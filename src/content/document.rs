//! One file of `content/`: its fields validated against the catalog's vocabularies.

use super::aliases::Alias;
use super::vocabulary::{read_aliases, read_sources, read_stages, read_terms};
use super::{Source, frontmatter};
use crate::config::Config;
use crate::config::ENTRY_FIELDS;
use crate::diagnostic::{Diagnostic, Position, escape_controls, forbidden_character};
use crate::markdown::{self, Heading, Unpublished, UnpublishedKind};
use crate::toml_fields::{self as fields, Date, Table, TomlSource};
use crate::url_policy;
use std::collections::BTreeMap;
use std::ops::Range;
use toml::Spanned;

/// Where a document belongs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Section {
    /// An entry of the kind at this index of `Config::kinds`.
    Kind(usize),
    /// A free page under `content/pages/`.
    Page,
    /// `content/_index.md`.
    Home,
}

/// An http(s) link found in a body, with its position in the file (for `check --external`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalLink {
    pub url: String,
    pub position: Position,
}

/// What only the editorial checks read (spec §10, `check --external`), kept apart so that
/// the fields lists and pages use stay as they were.
#[derive(Debug, Clone, Default)]
pub struct Editorial {
    /// When the content was last checked against the evidence (`reviewed`).
    pub reviewed: Option<Date>,
    /// Where the date reviews count from is written: `reviewed`, else `updated`.
    pub review_position: Option<Position>,
    pub external_links: Vec<ExternalLink>,
}

/// A link found in a body, with its position in the file.
#[derive(Debug, Clone)]
pub struct Link {
    pub path: String,
    pub anchor: Option<String>,
    pub position: Position,
    /// The byte offset of its destination (`@/…`) in the file.
    pub offset: usize,
}

/// Where an item can be added to a written `aliases` list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AliasesEnd {
    /// Just after the list's last item.
    After(usize),
    /// Just after the `[` of an empty list.
    Empty(usize),
}

impl AliasesEnd {
    fn shifted(self, by: usize) -> AliasesEnd {
        match self {
            AliasesEnd::After(at) => AliasesEnd::After(at + by),
            AliasesEnd::Empty(at) => AliasesEnd::Empty(at + by),
        }
    }
}

/// Where in its file each reference is written, byte for byte, so that `copcat mv` can
/// rewrite exactly those bytes and nothing else of an editor's file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Spans {
    /// Each `related` value's literal, quotes included, in the order of `related`.
    pub related: Vec<Range<usize>>,
    /// Where another alias goes in the `aliases` list, if the field is written as a list.
    pub aliases: Option<AliasesEnd>,
    /// Where a new field can be inserted: the start of the closing `+++` line, or of a TOML
    /// entry's `body` key (the end of the file if it has none).
    pub new_field: usize,
}

#[derive(Debug, Clone)]
pub struct Document {
    /// `<dir>/<slug>` (e.g. `roles/knowledge-broker`); `_index` for the home page.
    pub id: String,
    pub section: Section,
    pub dir: String,
    pub slug: String,
    /// Path relative to the catalog root, e.g. `content/roles/knowledge-broker.md`.
    pub file: String,
    pub title: String,
    pub summary: String,
    /// Indices into `Config::stages`, in the order written, without repeats.
    pub stages: Vec<usize>,
    /// Per taxonomy (same order as `Config::taxonomies`): indices of its terms.
    pub terms: Vec<Vec<usize>>,
    /// Target ids as written, with where they were written.
    pub related: Vec<(String, Position)>,
    pub sources: Vec<String>,
    pub updated: Option<Date>,
    pub draft: bool,
    pub weight: i64,
    pub body: String,
    pub headings: Vec<Heading>,
    pub links: Vec<Link>,
    /// Old addresses, each published as a redirect to this document.
    pub aliases: Vec<Alias>,
    pub spans: Spans,
    pub editorial: Editorial,
    /// For a translation (`<slug>.<code>.md`): its language and what else it sets.
    pub translation: Option<Translation>,
    /// When the text shown is not in the page's language (an entry not translated yet, in
    /// another language's edition): the language it is in.
    pub text_language: Option<String>,
}

/// What a translation is besides its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translation {
    /// The code of its language (`fr`).
    pub language: String,
    /// The fields it sets besides `title`, `summary` and `body`, each with where its value
    /// is written: they must say what the original says (spec §9).
    pub written: Vec<(String, Position)>,
}

impl Document {
    pub fn kind(&self) -> Option<usize> {
        match self.section {
            Section::Kind(index) => Some(index),
            _ => None,
        }
    }
}

/// Parses one file; `None` if it is too broken to use (the reasons are in `diagnostics`).
pub fn parse(
    bytes: Vec<u8>,
    file: &str,
    section: Section,
    slug: &str,
    config: &Config,
    sources: Option<&BTreeMap<String, Source>>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Document> {
    parse_as(bytes, file, (section, slug, None), config, sources, diagnostics)
}

/// Parses one file of `section` named `slug`, a translation into the language given, if
/// any: its fields are checked as an original's are, but it needs no `stages`.
pub fn parse_as(
    bytes: Vec<u8>,
    file: &str,
    (section, slug, translation): (Section, &str, Option<&str>),
    config: &Config,
    sources: Option<&BTreeMap<String, Source>>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Document> {
    let text = decode(bytes, file, diagnostics)?;
    let is_toml = file.ends_with(".toml");
    let parts = if is_toml {
        Parts { toml: &text, toml_offset: 0, body: "", body_offset: 0 }
    } else {
        split(&text, file, &section, diagnostics)?
    };
    let source = TomlSource::new(file, &text, parts.toml_offset);
    let table = source.parse(parts.toml).map_err(|diagnostic| diagnostics.push(diagnostic)).ok()?;
    let table = table.get_ref();
    let misspelled =
        fields::check_keys(&source, table, &allowed_fields(&section, config, is_toml), "field", diagnostics);
    let (body, body_offset) = if is_toml {
        match fields::string(&source, table, "body", diagnostics) {
            Some(value) => (value.get_ref().clone(), body_start(&text, value.span().start)),
            None if !table.contains_key("body") => (String::new(), 0),
            None => return None,
        }
    } else {
        (parts.body.to_string(), parts.body_offset)
    };
    let context = FieldContext { section: &section, config, sources, translation: translation.is_some() };
    let fields = Fields::read(&source, table, &context, &misspelled, diagnostics);
    let translation = translation.map(|language| Translation {
        language: language.to_string(),
        written: table
            .iter()
            .filter(|(key, _)| !matches!(key.get_ref().as_ref(), "title" | "summary" | "body"))
            .map(|(key, value)| (key.get_ref().to_string(), source.position(&value.span())))
            .collect(),
    });
    let at = |offset: usize| source.lines.position(body_offset + offset);
    let outline = read_body(file, &body, &at, matches!(section, Section::Kind(_)), diagnostics);
    let links = outline
        .links
        .into_iter()
        .map(|link| Link {
            path: link.path,
            anchor: link.anchor,
            position: at(link.offset),
            offset: body_offset + link.offset,
        })
        .collect();
    let external_links = outline
        .external
        .into_iter()
        .map(|link| ExternalLink { url: link.url, position: at(link.offset) })
        .collect();
    let dir = file.trim_start_matches("content/").split('/').next().unwrap_or_default().to_string();
    let spans = written_spans(&text, table, &parts, is_toml, &fields);
    Some(Document {
        id: if section == Section::Home { "_index".to_string() } else { format!("{dir}/{slug}") },
        section,
        dir,
        slug: slug.to_string(),
        file: file.to_string(),
        title: fields.title,
        summary: fields.summary,
        stages: fields.stages,
        terms: fields.terms,
        related: fields.related,
        sources: fields.sources,
        updated: fields.updated,
        draft: fields.draft,
        weight: fields.weight,
        body,
        headings: outline.headings,
        links,
        aliases: fields.aliases,
        spans,
        editorial: Editorial {
            reviewed: fields.reviewed,
            review_position: fields.review_position,
            external_links,
        },
        translation,
        text_language: None,
    })
}

/// Where `copcat mv` finds the references of a document in its file, and where a new
/// field would go (before a TOML entry's `body`, or before the closing `+++`).
fn written_spans(text: &str, table: &Table, parts: &Parts, is_toml: bool, read: &Fields) -> Spans {
    let new_field = if is_toml {
        fields::key_span(table, "body").map_or(text.len(), |span| parts.toml_offset + span.start)
    } else {
        parts.body_offset.saturating_sub(closing_line_length(&text[..parts.body_offset]))
    };
    Spans {
        related: read.related_spans.iter().map(|span| shift(span, parts.toml_offset)).collect(),
        aliases: read.aliases_span.map(|end| end.shifted(parts.toml_offset)),
        new_field,
    }
}

fn shift(span: &Range<usize>, by: usize) -> Range<usize> {
    span.start + by..span.end + by
}

/// The length of the last line of `head` (the closing `+++` line, with its line break).
fn closing_line_length(head: &str) -> usize {
    let without_break = head.strip_suffix('\n').unwrap_or(head);
    head.len() - without_break.rfind('\n').map_or(0, |at| at + 1)
}

/// The file as text, or an error at its first byte that is not UTF-8.
fn decode(bytes: Vec<u8>, file: &str, diagnostics: &mut Vec<Diagnostic>) -> Option<String> {
    String::from_utf8(bytes)
        .map_err(|error| {
            let offset = error.utf8_error().valid_up_to();
            let valid = String::from_utf8_lossy(&error.as_bytes()[..offset]).into_owned();
            diagnostics.push(
                Diagnostic::error(file, Position::at(&valid, offset), "the file is not valid UTF-8 text")
                    .with_help("save the file with UTF-8 encoding (this byte is not UTF-8)"),
            );
        })
        .ok()
}

/// A Markdown file's front matter and body, each with its byte offset in the file.
struct Parts<'a> {
    toml: &'a str,
    toml_offset: usize,
    body: &'a str,
    body_offset: usize,
}

/// Splits a Markdown file at its front matter (which `_index.md` alone may leave out).
fn split<'a>(
    text: &'a str,
    file: &str,
    section: &Section,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Parts<'a>> {
    let (message, help) = match frontmatter::split(text) {
        frontmatter::Split::Toml { toml, toml_offset, body, body_offset } => {
            return Some(Parts { toml, toml_offset, body, body_offset });
        }
        frontmatter::Split::Body { body, body_offset } if *section == Section::Home => {
            return Some(Parts { toml: "", toml_offset: 0, body, body_offset });
        }
        frontmatter::Split::Body { .. } => (
            "missing front matter",
            "start the file with a line +++, the fields (title = \"…\", …), and another line +++",
        ),
        frontmatter::Split::Unclosed => {
            ("front matter is never closed", "add a line containing only +++ after the last field")
        }
        frontmatter::Split::Yaml => (
            "front matter must be TOML between +++ lines, not YAML",
            "replace the --- lines with +++ and write fields as key = \"value\"",
        ),
    };
    diagnostics.push(Diagnostic::error(file, Position::START, message).with_help(help));
    None
}

/// The fields a document of `section` may have.
fn allowed_fields<'c>(section: &Section, config: &'c Config, is_toml: bool) -> Vec<&'c str> {
    let mut allowed: Vec<&str> = match section {
        Section::Kind(_) => {
            let mut allowed = ENTRY_FIELDS.to_vec();
            allowed.extend(config.taxonomies.iter().map(|taxonomy| taxonomy.id.as_str()));
            allowed
        }
        Section::Page => vec!["title", "summary", "updated", "draft", "weight", "aliases"],
        Section::Home => vec!["title", "summary"],
    };
    if is_toml {
        allowed.push("body");
    }
    allowed
}

/// A document's fields, validated.
struct Fields {
    title: String,
    summary: String,
    stages: Vec<usize>,
    terms: Vec<Vec<usize>>,
    related: Vec<(String, Position)>,
    related_spans: Vec<Range<usize>>,
    aliases: Vec<Alias>,
    aliases_span: Option<AliasesEnd>,
    sources: Vec<String>,
    updated: Option<Date>,
    reviewed: Option<Date>,
    /// Where the date reviews count from is written: `reviewed`, else `updated`.
    review_position: Option<Position>,
    draft: bool,
    weight: i64,
}

/// What fields are read against: the document's section, the catalog's vocabularies and
/// sources, and whether it is a translation (which takes its stages from its original).
struct FieldContext<'a> {
    section: &'a Section,
    config: &'a Config,
    sources: Option<&'a BTreeMap<String, Source>>,
    translation: bool,
}

impl Fields {
    /// Reads and checks every field. A required field that is `misspelled` (an unknown key
    /// whose did-you-mean it is) was reported as such, so is not reported missing too.
    fn read(
        source: &TomlSource,
        table: &Table,
        context: &FieldContext,
        misspelled: &[&str],
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Fields {
        let FieldContext { section, config, sources, translation } = *context;
        let is_entry = matches!(section, Section::Kind(_));
        let text = |key: &str, required: bool, diagnostics: &mut Vec<Diagnostic>| {
            let value = if required && !misspelled.contains(&key) {
                fields::required_string(source, table, key, &(0..0), diagnostics)
            } else {
                fields::string(source, table, key, diagnostics)
            };
            value.map(Spanned::into_inner).unwrap_or_default()
        };
        let title = text("title", *section != Section::Home, diagnostics);
        let summary = text("summary", is_entry, diagnostics);
        let stages = if is_entry {
            let quiet_if_missing = misspelled.contains(&"stages") || translation;
            read_stages(source, table, config, quiet_if_missing, diagnostics)
        } else {
            Vec::new()
        };
        let terms = if is_entry { read_terms(source, table, config, diagnostics) } else { Vec::new() };
        let related_values = fields::string_list(source, table, "related", diagnostics).unwrap_or_default();
        let related_spans = related_values.iter().map(Spanned::span).collect();
        let related = related_values
            .into_iter()
            .map(|target| {
                (target.get_ref().trim_end_matches(".md").to_string(), source.position(&target.span()))
            })
            .collect();
        let aliases = read_aliases(source, table, diagnostics);
        let aliases_span = table.get("aliases").and_then(|value| {
            let items = value.get_ref().as_array()?;
            // After the last item (before a trailing comma or comment), or after `[`.
            Some(match items.iter().last() {
                Some(last) => AliasesEnd::After(last.span().end),
                None => AliasesEnd::Empty(value.span().start + 1),
            })
        });
        let updated = fields::date(source, table, "updated", diagnostics);
        let reviewed = fields::date(source, table, "reviewed", diagnostics);
        let review_position =
            reviewed.as_ref().or(updated.as_ref()).map(|date| source.position(&date.span()));
        Fields {
            title,
            summary,
            stages,
            terms,
            related,
            related_spans,
            aliases,
            aliases_span,
            sources: read_sources(source, table, sources, diagnostics),
            updated: updated.map(Spanned::into_inner),
            reviewed: reviewed.map(Spanned::into_inner),
            review_position,
            draft: fields::boolean(source, table, "draft", diagnostics).unwrap_or(false),
            weight: fields::integer(source, table, "weight", diagnostics).map_or(0, Spanned::into_inner),
        }
    }
}

/// Reads a body's outline (headings, `@/` links), reporting invisible characters, what is
/// not published as written, and an entry's empty body; `at` places a body offset in the file.
fn read_body(
    file: &str,
    body: &str,
    at: &dyn Fn(usize) -> Position,
    is_entry: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> markdown::Outline {
    if let Some((offset, character)) = forbidden_character(body) {
        let code = escape_controls(&character.to_string()).into_owned();
        diagnostics.push(
            Diagnostic::error(file, at(offset), format!("the body contains the invisible character {code}"))
                .with_help("delete it (it is often pasted from another program along with text)"),
        );
    }
    let mut outline = markdown::outline(body);
    let unpublished_found = std::mem::take(&mut outline.unpublished);
    diagnostics.extend(unpublished_found.into_iter().map(|found| unpublished(file, at(found.offset), found)));
    if is_entry && body.trim().is_empty() {
        diagnostics.push(
            Diagnostic::warning(file, at(0), "the entry has no body text")
                .with_help("write a few paragraphs below the closing +++"),
        );
    }
    outline
}

/// A warning for what a body holds that is not published as written.
fn unpublished(file: &str, position: Position, found: Unpublished) -> Diagnostic {
    let (message, help) = match found.what {
        UnpublishedKind::RefusedUrl { url, refused } => (
            format!("link to \"{url}\" is not published: \"{}:\" addresses are not allowed", refused.scheme),
            format!("{}; the link's text is kept without the link", url_policy::ALLOWED_HELP),
        ),
        UnpublishedKind::ExternalImage { url } => (
            format!("image \"{url}\" is on another site, so it is shown as a link to it"),
            "readers' browsers load nothing from other sites: copy the image into static/ and \
             point to it with a relative path"
                .to_string(),
        ),
        UnpublishedKind::HeadingAttributes { names } => (
            format!("heading attributes {} are not published", names.join(", ")),
            "a heading keeps only its {#id}; delete the other attributes".to_string(),
        ),
        UnpublishedKind::InvalidHeadingId { id } => (
            format!("heading id \"{id}\" cannot be used: ids have no spaces, quotes or <>&`#%"),
            "write e.g. {#what-it-takes}; until then the id is made from the heading's text".to_string(),
        ),
    };
    Diagnostic::warning(file, position, message).with_help(help)
}

/// Where the text of a TOML string value that starts at `start` begins (after its quotes
/// and the newline a multi-line string trims).
fn body_start(text: &str, start: usize) -> usize {
    let rest = &text[start..];
    let quotes = if rest.starts_with("\"\"\"") || rest.starts_with("'''") { 3 } else { 1 };
    let after = start + quotes;
    if quotes == 3 {
        if text[after..].starts_with("\r\n") {
            return after + 2;
        } else if text[after..].starts_with('\n') {
            return after + 1;
        }
    }
    after
}
