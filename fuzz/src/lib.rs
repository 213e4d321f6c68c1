//! The properties the fuzz targets check, one function per target. Each takes the raw
//! input and panics, with a message naming the property, if copcat breaks one.
//!
//! `tests/fuzz_corpus.rs` includes this file too (`#[path]`), and replays every file of
//! `fuzz/corpus/<target>/` through the same functions in `cargo test`.
//!
//! Two tiers of properties:
//! - core: always checked (no panic, positions inside the file, heading ids as the
//!   outline says, tokens non-empty and folded, no raw tag gets through the Markdown
//!   renderer, …);
//! - policy: what the URL policy and heading-attribute allow-list of issue 18 are to
//!   guarantee (no `javascript:`/`vbscript:`/`data:` link, no `on…=` attribute, only the
//!   attributes pulldown-cmark writes itself). Checked unless `COPCAT_FUZZ_POLICY=off`,
//!   so that a fuzz run can go on exploring while those known gaps are open.

use copcat::config::Config;
use copcat::content::{Section, frontmatter};
use copcat::diagnostic::Diagnostic;
use copcat::fuzzing::{self, DocumentText, FIELD_COUNT, Language, MAX_WORD_CHARS};
use copcat::markdown;
use copcat::render::PageLinks;
use copcat::toml_fields::{self as fields, TomlSource};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

// ---------------------------------------------------------------------------------------
// Shared helpers

/// Whether the policy-tier properties are checked (see the module doc).
pub fn policy_enforced() -> bool {
    static ENFORCED: OnceLock<bool> = OnceLock::new();
    *ENFORCED.get_or_init(|| std::env::var("COPCAT_FUZZ_POLICY").map_or(true, |value| value != "off"))
}

/// The repository's root (where `catalog.toml` is), whether this file is compiled into
/// the fuzz crate (`fuzz/`) or into copcat's tests.
pub fn repo_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    if manifest.join("catalog.toml").is_file() { manifest.to_path_buf() } else { manifest.join("..") }
}

/// The repository's own `catalog.toml`, parsed once.
pub fn config() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(|| {
        let mut diagnostics = Vec::new();
        copcat::config::parse(include_str!("../../catalog.toml"), None, &mut diagnostics)
            .unwrap_or_else(|| panic!("catalog.toml does not parse: {diagnostics:?}"))
    })
}

/// The repository's own catalog, loaded once, for the real `@/` link resolver.
pub fn catalog() -> &'static copcat::catalog::Catalog {
    static CATALOG: OnceLock<copcat::catalog::Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let mut diagnostics = Vec::new();
        let options = copcat::LoadOptions::default();
        copcat::load_catalog(&repo_root(), &options, &mut diagnostics)
            .expect("the repository's catalog loads")
            .unwrap_or_else(|| panic!("the repository's catalog has errors: {diagnostics:?}"))
    })
}

/// The repository's own `sources.toml`, parsed once.
pub fn sources() -> &'static BTreeMap<String, copcat::content::Source> {
    static SOURCES: OnceLock<BTreeMap<String, copcat::content::Source>> = OnceLock::new();
    SOURCES
        .get_or_init(|| copcat::content::sources::parse(include_str!("../../sources.toml"), &mut Vec::new()))
}

/// Core: a diagnostic names the file it was asked about and a line and column inside `text`
/// (columns count characters; one past the end of a line is where a missing thing goes).
fn assert_inside(text: &str, file: &str, diagnostic: &Diagnostic) {
    assert_eq!(diagnostic.file, file, "diagnostic names another file: {diagnostic}");
    assert!(diagnostic.line >= 1 && diagnostic.column >= 1, "position below 1:1: {diagnostic}");
    let line = text.split('\n').nth(diagnostic.line - 1);
    let Some(line) = line else {
        panic!("diagnostic line past the end of the file ({} lines): {diagnostic}", text.split('\n').count());
    };
    assert!(
        diagnostic.column <= line.chars().count() + 1,
        "diagnostic column past the end of its line ({:?}): {diagnostic}",
        line
    );
    assert!(!diagnostic.message.is_empty(), "empty diagnostic message");
}

/// Core: a byte offset is inside `text` and on a character boundary.
fn assert_offset(text: &str, offset: usize, what: &str) {
    assert!(offset <= text.len(), "{what} offset {offset} past the end ({})", text.len());
    assert!(text.is_char_boundary(offset), "{what} offset {offset} splits a character");
}

// ---------------------------------------------------------------------------------------
// (a) Front matter and entry parsing

/// Input: the first byte picks the section and file name; the rest is the file's bytes.
pub fn frontmatter(data: &[u8]) {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let config = config();
    let (section, file, slug) = match selector % 6 {
        0 => (Section::Kind(0), "content/roles/fuzz.md", "fuzz"),
        1 => (Section::Kind(1), "content/guidance/fuzz.md", "fuzz"),
        2 => (Section::Page, "content/pages/fuzz.md", "fuzz"),
        3 => (Section::Home, "content/_index.md", "_index"),
        4 => (Section::Kind(0), "content/roles/fuzz.toml", "fuzz"),
        _ => (Section::Page, "content/pages/fuzz.toml", "fuzz"),
    };
    let lossy = String::from_utf8_lossy(bytes);

    // The split alone: every part is the slice of the file its offset says.
    if let Ok(text) = std::str::from_utf8(bytes) {
        check_split(text);
    }

    let sources = sources();
    let with_sources = selector & 0x80 == 0;
    let mut diagnostics = Vec::new();
    let document = fuzzing::parse_document(
        bytes.to_vec(),
        file,
        section.clone(),
        slug,
        config,
        with_sources.then_some(sources),
        &mut diagnostics,
    );
    for diagnostic in &diagnostics {
        assert_inside(&lossy, file, diagnostic);
    }
    let Some(document) = document else {
        assert!(
            diagnostics.iter().any(Diagnostic::is_error),
            "a file was rejected without an error saying why"
        );
        return;
    };
    let text = std::str::from_utf8(bytes).expect("a document came from invalid UTF-8");
    assert_eq!(document.section, section);
    assert_eq!(document.file, file);
    for link in &document.links {
        assert!(link.position.line >= 1 && link.position.column >= 1);
        let line = text.split('\n').nth(link.position.line - 1).expect("link line inside the file");
        assert!(link.position.column <= line.chars().count() + 1, "link column past its line");
    }
    for (_, position) in &document.related {
        assert!(text.split('\n').nth(position.line - 1).is_some(), "related position past the end");
    }
    // Indices into the configuration are valid and not repeated.
    assert!(document.stages.iter().all(|&stage| stage < config.stages.len()));
    assert_eq!(document.stages.iter().collect::<HashSet<_>>().len(), document.stages.len(), "repeated stage");
    if let Section::Kind(_) = section {
        assert_eq!(document.terms.len(), config.taxonomies.len());
        for (taxonomy, terms) in config.taxonomies.iter().zip(&document.terms) {
            assert!(terms.iter().all(|&term| term < taxonomy.terms.len()));
            assert_eq!(terms.iter().collect::<HashSet<_>>().len(), terms.len(), "repeated term");
        }
    }
    if let Some(sources_cited) = with_sources.then_some(&document.sources) {
        assert!(sources_cited.iter().all(|key| sources.contains_key(key)), "unknown source kept");
    } else {
        assert!(document.sources.is_empty());
    }
    // Without an error, the required fields are there.
    if !diagnostics.iter().any(Diagnostic::is_error) && section != Section::Home {
        assert!(!document.title.trim().is_empty(), "an error-free document without a title");
        if let Section::Kind(_) = section {
            assert!(!document.summary.trim().is_empty(), "an error-free entry without a summary");
            assert!(!document.stages.is_empty(), "an error-free entry without a stage");
        }
    }
    // The body and headings are what the split and the outline say.
    if file.ends_with(".md") {
        match frontmatter::split(text) {
            frontmatter::Split::Toml { body, .. } | frontmatter::Split::Body { body, .. } => {
                assert_eq!(document.body, body, "the document's body is not the file's")
            }
            other => panic!("a document from a file that splits as {other:?}"),
        }
    }
    assert_eq!(document.headings, markdown::outline(&document.body).headings);
}

fn check_split(text: &str) {
    match frontmatter::split(text) {
        frontmatter::Split::Body { body, body_offset } => {
            assert_offset(text, body_offset, "body");
            assert_eq!(&text[body_offset..], body);
        }
        frontmatter::Split::Toml { toml, toml_offset, body, body_offset } => {
            assert_offset(text, toml_offset, "toml");
            assert_offset(text, body_offset, "body");
            assert!(toml_offset + toml.len() <= body_offset, "front matter overlaps the body");
            assert_eq!(&text[toml_offset..toml_offset + toml.len()], toml);
            assert_eq!(&text[body_offset..], body);
            let closing = text[toml_offset + toml.len()..body_offset].trim_end();
            assert_eq!(closing, "+++", "the closing line is not +++");
        }
        frontmatter::Split::Unclosed => {
            assert!(text.trim_start_matches('\u{feff}').lines().next().is_some_and(|l| l.trim_end() == "+++"))
        }
        frontmatter::Split::Yaml => {
            assert!(text.trim_start_matches('\u{feff}').lines().next().is_some_and(|l| l.trim_end() == "---"))
        }
    }
}

// ---------------------------------------------------------------------------------------
// (b) TOML field readers, through the configuration and bibliography readers too

const ALLOWED: &[&str] = &["title", "summary", "stages", "related", "weight", "draft", "updated", "body"];

pub fn toml_fields(data: &[u8]) {
    toml_fields_with(data, policy_enforced());
}

/// `toml_fields`, checking the policy tier only if `policy`.
pub fn toml_fields_with(data: &[u8], policy: bool) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let file = "fuzz.toml";

    // catalog.toml and sources.toml readers: every problem is inside the file.
    let mut diagnostics = Vec::new();
    let config = copcat::config::parse(text, None, &mut diagnostics);
    for diagnostic in &diagnostics {
        assert_inside(text, "catalog.toml", diagnostic);
    }
    if let Some(config) = config {
        assert!(!diagnostic_errors(&diagnostics), "a configuration accepted with errors");
        assert!(!config.stages.is_empty(), "a configuration without stages");
    }
    let mut diagnostics = Vec::new();
    let sources = copcat::content::sources::parse(text, &mut diagnostics);
    for diagnostic in &diagnostics {
        assert_inside(text, "sources.toml", diagnostic);
    }
    if policy {
        for source in sources.values() {
            if let Some(link) = source.link() {
                assert_safe_url(&link, "source link");
            }
        }
    }

    // The readers themselves, on every key, against toml's own typed reading.
    let source = TomlSource::new(file, text, 0);
    let mut diagnostics = Vec::new();
    let table = match source.parse(text) {
        Ok(table) => table,
        Err(diagnostic) => {
            assert_inside(text, file, &diagnostic);
            return;
        }
    };
    let table = table.get_ref();
    fields::check_keys(&source, table, ALLOWED, "field", &mut diagnostics);
    let unknown = table.iter().filter(|(key, _)| !ALLOWED.contains(&key.get_ref().as_ref())).count();
    assert_eq!(diagnostics.len(), unknown, "check_keys reports each unknown key once");
    for (key, _) in table.iter() {
        assert_eq!(fields::key_span(table, key.get_ref()), Some(key.span()));
    }
    let typed: Option<toml::Table> = toml::from_str(text).ok();
    for (key, _) in table.iter() {
        let key: &str = key.get_ref();
        let expected = typed.as_ref().and_then(|typed| typed.get(key));
        let string = fields::string(&source, table, key, &mut diagnostics).map(|s| s.into_inner());
        let required = fields::required_string(&source, table, key, &(0..0), &mut diagnostics);
        let list = fields::string_list(&source, table, key, &mut diagnostics);
        let integer = fields::integer(&source, table, key, &mut diagnostics).map(|i| i.into_inner());
        let boolean = fields::boolean(&source, table, key, &mut diagnostics);
        let date = fields::date(&source, table, key, &mut diagnostics).map(|d| d.into_inner());
        if let Some(required) = &required {
            assert!(!required.get_ref().trim().is_empty(), "a blank required string");
            assert_eq!(Some(required.get_ref()), string.as_ref());
        }
        let Some(expected) = expected else {
            continue;
        };
        match expected {
            // Text holding a character XML forbids is refused (an error naming the field).
            toml::Value::String(expected) if copcat::diagnostic::forbidden_character(expected).is_some() => {
                assert!(string.is_none(), "string {key} with an invisible character was accepted")
            }
            toml::Value::String(expected) => assert_eq!(string.as_ref(), Some(expected), "string {key}"),
            _ => assert!(string.is_none(), "{key} read as a string but is {}", expected.type_str()),
        }
        match expected {
            toml::Value::Integer(expected) => assert_eq!(integer, Some(*expected), "integer {key}"),
            _ => assert!(integer.is_none(), "{key} read as an integer but is {}", expected.type_str()),
        }
        match expected {
            toml::Value::Boolean(expected) => assert_eq!(boolean, Some(*expected), "boolean {key}"),
            _ => assert!(boolean.is_none()),
        }
        match expected {
            toml::Value::Datetime(datetime) if datetime.time.is_none() && datetime.offset.is_none() => {
                let day = datetime.date.expect("a datetime has a date or a time");
                let date = date.unwrap_or_else(|| panic!("date {key} not read"));
                assert_eq!((date.year, date.month, date.day), (day.year, day.month, day.day));
            }
            _ => assert!(date.is_none(), "{key} read as a date but is {expected:?}"),
        }
        match expected {
            toml::Value::Array(items) => {
                let list = list.unwrap_or_else(|| panic!("list {key} not read"));
                // Items holding a character XML forbids are refused (an error each).
                let strings: Vec<&String> = items
                    .iter()
                    .filter_map(toml::Value::as_str_ref)
                    .filter(|item| copcat::diagnostic::forbidden_character(item).is_none())
                    .collect();
                let read: Vec<&String> = list.iter().map(|item| item.get_ref()).collect();
                assert_eq!(read, strings, "list {key}");
            }
            _ => assert!(list.is_none()),
        }
    }
    for diagnostic in &diagnostics {
        assert_inside(text, file, diagnostic);
    }

    // The same TOML as front matter, after a line and a byte-order mark: positions move.
    let framed = format!("\u{feff}+++\n{text}");
    let source = TomlSource::new(file, &framed, framed.len() - text.len());
    let table = source.parse(text).expect("parsed above");
    let mut diagnostics = Vec::new();
    fields::check_keys(&source, table.get_ref(), &[], "field", &mut diagnostics);
    for diagnostic in &diagnostics {
        assert_inside(&framed, file, diagnostic);
        assert!(diagnostic.line >= 2, "a key's position ignores the front matter's offset");
    }
}

trait AsStrRef {
    fn as_str_ref(&self) -> Option<&String>;
}

impl AsStrRef for toml::Value {
    fn as_str_ref(&self) -> Option<&String> {
        match self {
            toml::Value::String(text) => Some(text),
            _ => None,
        }
    }
}

fn diagnostic_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(Diagnostic::is_error)
}

// ---------------------------------------------------------------------------------------
// (c) Markdown: outline and render with the real `@/` link resolver

pub fn markdown(data: &[u8]) {
    markdown_with(data, policy_enforced());
}

/// `markdown`, checking the policy tier only if `policy`.
pub fn markdown_with(data: &[u8], policy: bool) {
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    let outline = markdown::outline(body);
    for link in &outline.links {
        assert_offset(body, link.offset, "link");
    }
    let ids: Vec<&str> = outline.headings.iter().map(|heading| heading.id.as_str()).collect();
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), ids.len(), "repeated heading id: {ids:?}");
    for heading in &outline.headings {
        assert!((1..=6).contains(&heading.level));
        assert!(!heading.id.is_empty(), "empty heading id");
        assert_eq!(heading.text, heading.text.trim());
    }

    let catalog = catalog();
    let resolver = PageLinks { catalog, root: "../../" };
    let rendered = markdown::render(body, &resolver, false);
    let tags = scan_html(&rendered.html);
    let rendered_ids: Vec<String> = tags
        .iter()
        .filter(|tag| !tag.closing && is_heading(&tag.name))
        .map(|tag| tag.attribute("id").unwrap_or_else(|| panic!("a heading without an id: <{}>", tag.name)))
        .collect();
    assert_eq!(rendered_ids, ids, "rendered heading ids differ from the outline's");
    for tag in &tags {
        check_tag(tag, policy);
    }
}

fn is_heading(name: &str) -> bool {
    matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

/// Tags pulldown-cmark writes for the enabled extensions; with raw HTML off nothing else
/// may appear (a raw `<script>` must come out as text).
const TAGS: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "a",
    "img",
    "em",
    "strong",
    "del",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
    "br",
    "sup",
    "div",
    "section",
];

fn check_tag(tag: &Tag, policy: bool) {
    assert!(TAGS.contains(&tag.name.as_str()), "a tag the renderer never writes: <{}>", tag.name);
    for (name, value) in &tag.attributes {
        let allowed = match name.as_str() {
            "id" | "class" | "title" => true,
            "href" => tag.name == "a",
            "src" | "alt" => tag.name == "img",
            "start" => tag.name == "ol",
            "style" => {
                matches!(tag.name.as_str(), "th" | "td")
                    && matches!(
                        value.as_str(),
                        "text-align: left" | "text-align: center" | "text-align: right"
                    )
            }
            _ => false,
        };
        if !policy {
            continue;
        }
        let lower = name.to_ascii_lowercase();
        assert!(!name.is_empty(), "an attribute without a name: <{} =\"{value}\">", tag.name);
        assert!(!lower.starts_with("on"), "an event-handler attribute: <{} {name}=\"{value}\">", tag.name);
        assert!(allowed, "an attribute the renderer never writes: <{} {name}=\"{value}\">", tag.name);
        if name == "href" || name == "src" {
            assert_safe_url(value, &format!("<{} {name}>", tag.name));
        }
    }
}

/// Policy: a URL a reader can follow or load runs no script.
pub fn assert_safe_url(url: &str, what: &str) {
    // Browsers drop surrounding C0 controls and spaces and every tab and newline before
    // reading the scheme.
    let cleaned: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .to_ascii_lowercase();
    for scheme in ["javascript:", "vbscript:", "data:"] {
        assert!(!cleaned.starts_with(scheme), "{what}: a {scheme} URL: {url:?}");
    }
}

/// A start or end tag of rendered HTML, attributes decoded.
#[derive(Debug)]
pub struct Tag {
    pub name: String,
    pub closing: bool,
    pub attributes: Vec<(String, String)>,
}

impl Tag {
    fn attribute(&self, name: &str) -> Option<String> {
        self.attributes.iter().find(|(key, _)| key == name).map(|(_, value)| value.clone())
    }
}

/// Reads the tags of HTML written by pulldown-cmark with raw HTML off: every `<` starts a
/// tag (text has `&lt;`), attributes are double-quoted. Anything else is a broken page.
pub fn scan_html(html: &str) -> Vec<Tag> {
    let mut tags = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find(['<', '>']) {
        assert!(rest.as_bytes()[start] == b'<', "a bare > in text: {:?}", context(rest, start));
        rest = &rest[start + 1..];
        let closing = rest.starts_with('/');
        if closing {
            rest = &rest[1..];
        }
        let name_end = rest.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(rest.len());
        let name = rest[..name_end].to_string();
        assert!(!name.is_empty(), "a < that starts no tag: {:?}", context(rest, 0));
        rest = &rest[name_end..];
        let mut attributes = Vec::new();
        loop {
            let trimmed = rest.trim_start_matches([' ', '\n']);
            if let Some(after) = trimmed.strip_prefix("/>").or_else(|| trimmed.strip_prefix('>')) {
                rest = after;
                break;
            }
            assert!(
                trimmed.len() < rest.len(),
                "attributes not separated by a space: {:?}",
                context(rest, 0)
            );
            // Heading attributes ({key=value}) may have any name without spaces, even an
            // empty one ({=value}): names are checked by the policy tier, not here.
            let key_end = trimmed.find(['=', '>', ' ', '\n', '"', '<']).unwrap_or(trimmed.len());
            let key = &trimmed[..key_end];
            let after_key = &trimmed[key_end..];
            let Some(value) = after_key.strip_prefix("=\"") else {
                panic!("attribute {key} not written as key=\"value\": {:?}", context(after_key, 0));
            };
            let value_end = value.find('"').expect("an attribute value is never closed");
            let raw = &value[..value_end];
            assert!(!raw.contains(['<', '>']), "a raw < or > inside attribute {key}: {raw:?}");
            attributes.push((decode_entities(key), decode_entities(raw)));
            rest = &value[value_end + 1..];
        }
        tags.push(Tag { name, closing, attributes });
    }
    tags
}

fn context(text: &str, at: usize) -> &str {
    let mut end = (at + 60).min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[at.min(end)..end]
}

/// Decodes the character references an HTML attribute can hold.
pub fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let Some(semi) = rest.find(';').filter(|&semi| semi <= 12) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let name = &rest[1..semi];
        let decoded = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "colon" => Some(':'),
            _ => name
                .strip_prefix("#x")
                .or_else(|| name.strip_prefix("#X"))
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .or_else(|| name.strip_prefix('#').and_then(|dec| dec.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

// ---------------------------------------------------------------------------------------
// (d) Search: tokenizer and analysis

pub fn search_text(data: &[u8]) {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(bytes);
    let words = tokens(&text);
    for token in &words {
        assert_folded_token(token);
    }
    assert_eq!(words, reference_tokens(&text), "the fast tokenizer differs from the plain reading");

    // Analysis: up to 3 documents of 5 fields each, split on 0x1E and 0x1F.
    let language = if selector & 1 == 0 { Language::English } else { Language::French };
    let documents: Vec<Vec<&str>> = text
        .split('\u{1e}')
        .take(3)
        .map(|document| document.split('\u{1f}').take(FIELD_COUNT).collect())
        .collect();
    let document_text = |number: usize| {
        let mut document = DocumentText::default();
        for (field, text) in documents[number].iter().enumerate() {
            document.fields[field] = (*text).into();
        }
        document
    };
    let analysis = fuzzing::analyze(documents.len(), document_text, language);
    assert!(analysis.keys.windows(2).all(|pair| pair[0] < pair[1]), "keys not sorted and distinct");
    for key in &analysis.keys {
        assert!(!key.is_empty(), "an empty index key");
        assert!(!key.contains([' ', ':', '|']), "an index key with a separator: {key:?}");
    }
    assert!(analysis.vocabulary.windows(2).all(|pair| pair[0].text < pair[1].text), "vocabulary repeats");
    for word in &analysis.vocabulary {
        assert_folded_token(&word.text);
        assert!(!language.is_stop_word(&word.text), "a stop word indexed: {:?}", word.text);
        assert!((word.key as usize) < analysis.keys.len());
        assert!(word.documents >= 1 && word.documents as usize <= documents.len());
    }
    let mut expected_vocabulary: Vec<String> = documents
        .iter()
        .flatten()
        .flat_map(|field| tokens(field))
        .filter(|token| !language.is_stop_word(token))
        .collect();
    expected_vocabulary.sort();
    expected_vocabulary.dedup();
    let vocabulary: Vec<&String> = analysis.vocabulary.iter().map(|word| &word.text).collect();
    assert_eq!(vocabulary, expected_vocabulary.iter().collect::<Vec<_>>(), "vocabulary is not the tokens");
    assert_eq!(analysis.documents.len(), documents.len());
    let mut number = 0;
    let mut sums = vec![[0u32; FIELD_COUNT]; analysis.keys.len()];
    for chunk in &analysis.documents.chunks {
        chunk.for_each_document(&mut sums, |lengths, terms| {
            for (field, text) in documents[number].iter().enumerate() {
                let indexed = tokens(text).iter().filter(|token| !language.is_stop_word(token)).count();
                assert_eq!(lengths[field] as usize, indexed, "length of field {field}");
                let counted: u32 = terms.iter().map(|(_, counts)| counts[field]).sum();
                assert_eq!(counted, lengths[field], "counts of field {field} do not add up");
            }
            let mut keys: Vec<u32> = terms.iter().map(|(key, _)| *key).collect();
            keys.sort_unstable();
            assert!(keys.windows(2).all(|pair| pair[0] < pair[1]), "terms not grouped by key");
            assert!(terms.iter().all(|(key, _)| (*key as usize) < analysis.keys.len()));
            number += 1;
        });
    }
}

fn tokens(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    fuzzing::for_each_word(text, &mut String::new(), |word| tokens.push(word.to_string()));
    tokens
}

fn fold(word: &str) -> String {
    let mut folded = String::new();
    fuzzing::fold_into(word, &mut folded);
    folded
}

/// Core: a token is non-empty, short, lowercase, without marks or spaces, and folding it
/// again changes nothing (a word from the vocabulary, typed as a query, finds itself).
fn assert_folded_token(token: &str) {
    assert!(!token.is_empty(), "an empty token");
    assert!(token.chars().count() <= MAX_WORD_CHARS, "an overlong token {token:?}");
    assert!(fuzzing::is_indexable(token), "a token that is not indexable {token:?}");
    // The vocabulary's entries are separated by spaces, and a word from its key by `:`.
    assert!(!token.chars().any(char::is_whitespace), "a token with a space {token:?}");
    assert!(!token.contains(':'), "a token with a colon {token:?}");
    assert!(
        !token.chars().any(unicode_normalization::char::is_combining_mark),
        "a token with a combining mark {token:?}"
    );
    assert_eq!(token.to_lowercase(), token, "a token that is not lowercase {token:?}");
    assert_eq!(fold(token), token, "a token that folds again to something else {token:?}");
}

/// The tokenizer as its doc describes it, without the ASCII fast path: maximal runs of
/// letters, digits and marks, each folded, kept when indexable.
fn reference_tokens(text: &str) -> Vec<String> {
    let is_word_char = |c: char| {
        if c.is_ascii() {
            c.is_ascii_alphanumeric()
        } else {
            c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c)
        }
    };
    text.split(|c: char| !is_word_char(c))
        .filter(|run| !run.is_empty())
        .map(fold)
        .filter(|word| fuzzing::is_indexable(word))
        .collect()
}
