//! `catalog.toml`: raw TOML -> a validated `Config` (spec §2).

use crate::diagnostic::{Diagnostic, Position};
use crate::error::Error;
use crate::slug::is_valid_slug;
use crate::toml_fields::{self as fields, Table, TomlSource, Value};
use crate::url_policy::{self, BaseUrl};
use std::path::Path;
use toml::Spanned;

pub const FILE: &str = "catalog.toml";

/// Folder names a kind or taxonomy may not take, because the site uses them.
const RESERVED: &[&str] = &["pages", "stages", "landscape", "sources", "search", "static", "page"];

#[derive(Debug, Clone, serde::Serialize)]
pub struct Config {
    pub title: String,
    pub description: String,
    /// Always ends with `/`.
    pub base_url: String,
    pub language: String,
    pub theme: String,
    pub list_page_size: usize,
    /// Whether raw HTML in Markdown passes through (off: it is escaped).
    pub raw_html: bool,
    pub stages: Vec<Stage>,
    /// In the order catalog.toml declares them.
    pub kinds: Vec<Kind>,
    pub taxonomies: Vec<Taxonomy>,
    /// `[search]`: synonyms (see `config_search`).
    pub search: crate::config_search::SearchConfig,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Stage {
    pub id: String,
    pub name: String,
    pub summary: String,
    /// A stage that runs across the whole cycle (e.g. the infrastructure to share and
    /// coordinate) rather than taking a turn in it; the cycle figure draws it in the middle.
    pub cross_cutting: bool,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Kind {
    pub id: String,
    pub name: String,
    pub plural: String,
    pub dir: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Taxonomy {
    pub id: String,
    pub name: String,
    pub terms: Vec<Term>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Term {
    pub id: String,
    pub name: String,
}

impl Config {
    pub fn kind_by_dir(&self, dir: &str) -> Option<&Kind> {
        self.kinds.iter().find(|kind| kind.dir == dir)
    }

    pub fn kind(&self, id: &str) -> Option<&Kind> {
        self.kinds.iter().find(|kind| kind.id == id)
    }

    pub fn stage_index(&self, id: &str) -> Option<usize> {
        self.stages.iter().position(|stage| stage.id == id)
    }

    pub fn taxonomy(&self, id: &str) -> Option<&Taxonomy> {
        self.taxonomies.iter().find(|taxonomy| taxonomy.id == id)
    }

    /// The path part of `base_url` (`/` or `/sub/path/`), for pages served at any depth.
    pub fn base_path(&self) -> String {
        let after_scheme = self.base_url.split_once("://").map_or(self.base_url.as_str(), |(_, rest)| rest);
        match after_scheme.find('/') {
            Some(index) if self.base_url.contains("://") => after_scheme[index..].to_string(),
            None if self.base_url.contains("://") => "/".to_string(),
            _ => self.base_url.clone(),
        }
    }
}

/// Loads and validates `catalog.toml` under `root`; `base_url`, if given (`--base-url`, or
/// the preview server's own address), replaces the file's. `Ok(None)` means the file had
/// errors, which are in `diagnostics`.
pub fn load(
    root: &Path,
    base_url: Option<&str>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Option<Config>, Error> {
    let path = root.join(FILE);
    if !path.is_file() {
        return Err(Error::NoCatalog(root.to_path_buf()));
    }
    let bytes = std::fs::read(&path).map_err(|source| Error::io(&path, source))?;
    let Ok(text) = String::from_utf8(bytes) else {
        diagnostics.push(
            Diagnostic::error(FILE, Position::START, "the file is not valid UTF-8 text")
                .with_help("save the file with UTF-8 encoding"),
        );
        return Ok(None);
    };
    Ok(parse(&text, base_url, diagnostics))
}

/// Validates the text of a catalog.toml; reports every problem, not just the first.
/// `base_url` replaces the file's, as in `load`.
pub fn parse(text: &str, base_url: Option<&str>, diagnostics: &mut Vec<Diagnostic>) -> Option<Config> {
    let source = TomlSource::new(FILE, text, 0);
    let document = match source.parse(text) {
        Ok(document) => document,
        Err(diagnostic) => {
            diagnostics.push(diagnostic);
            return None;
        }
    };
    let before = diagnostics.iter().filter(|d| d.is_error()).count();
    let table = document.get_ref();
    fields::check_keys(
        &source,
        table,
        &[
            "title",
            "description",
            "base_url",
            "language",
            "theme",
            "list_page_size",
            "raw_html",
            "stages",
            "kinds",
            "taxonomies",
            "search",
        ],
        "key",
        diagnostics,
    );
    let start = 0..0;
    let title = fields::required_string(&source, table, "title", &start, diagnostics);
    let description = fields::string(&source, table, "description", diagnostics);
    let base_url = match base_url {
        Some(replacement) => check_replaced_base_url(replacement, diagnostics),
        None => check_base_url(&source, table, diagnostics),
    };
    let language = fields::string(&source, table, "language", diagnostics);
    if let Some(language) = &language {
        check_language(&source, language, diagnostics);
    }
    let theme = fields::string(&source, table, "theme", diagnostics);
    let raw_html = fields::boolean(&source, table, "raw_html", diagnostics).unwrap_or(false);
    let list_page_size = match fields::integer(&source, table, "list_page_size", diagnostics) {
        Some(size) if *size.get_ref() < 1 => {
            diagnostics.push(
                source
                    .error(&size.span(), "\"list_page_size\" must be at least 1")
                    .with_help("use e.g. list_page_size = 100"),
            );
            100
        }
        Some(size) => *size.get_ref() as usize,
        None => 100,
    };
    let stages = load_stages(&source, table, diagnostics);
    let kinds = load_kinds(&source, table, diagnostics);
    let taxonomies = load_taxonomies(&source, table, diagnostics);
    check_names_do_not_clash(&source, table, &kinds, &taxonomies, diagnostics);
    let search = crate::config_search::load(&source, table, diagnostics);

    let after = diagnostics.iter().filter(|d| d.is_error()).count();
    if after > before {
        return None;
    }
    Some(Config {
        title: title?.into_inner(),
        description: description.map(Spanned::into_inner).unwrap_or_default(),
        base_url: base_url?,
        language: language.map(Spanned::into_inner).unwrap_or_else(|| "en".to_string()),
        theme: theme.map(Spanned::into_inner).unwrap_or_else(|| "default".to_string()),
        list_page_size,
        raw_html,
        stages,
        kinds,
        taxonomies,
        search,
    })
}

/// The catalog's `base_url`: an absolute http(s) address, or a path (a warning: the feed,
/// sitemap and canonical links need an absolute one).
fn check_base_url(source: &TomlSource, table: &Table, diagnostics: &mut Vec<Diagnostic>) -> Option<String> {
    let Some(written) = fields::string(source, table, "base_url", diagnostics) else {
        return (!table.contains_key("base_url")).then(|| "/".to_string());
    };
    match url_policy::check_base_url(written.get_ref()) {
        Ok(BaseUrl::Absolute(url)) => Some(url),
        Ok(BaseUrl::Path(path)) => {
            diagnostics.push(
                source
                    .warning(
                        &written.span(),
                        format!(
                            "base_url \"{path}\" is only a path: feed.xml, sitemap.xml and canonical links \
                             need the site's absolute address"
                        ),
                    )
                    .with_help(
                        "set base_url = \"https://your-host/path/\", or build with \
                         --base-url https://your-host/path/ when you deploy",
                    ),
            );
            Some(path)
        }
        Err(problem) => {
            diagnostics.push(
                source
                    .error(&written.span(), format!("invalid base_url \"{}\": {problem}", written.get_ref()))
                    .with_help("write the site's address, e.g. base_url = \"https://example.org/catalog/\""),
            );
            None
        }
    }
}

/// A base URL given on the command line (already checked there) or by the preview server.
fn check_replaced_base_url(url: &str, diagnostics: &mut Vec<Diagnostic>) -> Option<String> {
    match url_policy::check_base_url(url) {
        Ok(checked) => Some(checked.as_str().to_string()),
        Err(problem) => {
            diagnostics.push(Diagnostic::error(
                "--base-url",
                Position::START,
                format!("invalid base URL: {problem}"),
            ));
            None
        }
    }
}

/// `language` becomes the pages' `lang`: a language code (ISO 639-1, or a BCP 47 tag such
/// as `fr-CA`).
fn check_language(source: &TomlSource, language: &Spanned<String>, diagnostics: &mut Vec<Diagnostic>) {
    if !is_language_tag(language.get_ref()) {
        diagnostics.push(
            source
                .error(&language.span(), format!("invalid language \"{}\"", language.get_ref()))
                .with_help("use a language code such as \"en\" or \"fr\" (or a tag such as \"fr-CA\")"),
        );
    }
}

/// A BCP 47 language tag in the simple shape pages use: `ll`, `lll`, `ll-CA`, `zh-Hant-TW`.
pub fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or_default();
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|part| (2..=8).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// The tables of an array of tables (`[[stages]]` or `stages = [{…}]`).
fn table_items<'t, 'i>(
    source: &TomlSource,
    key: &str,
    value: &'t Value<'i>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(std::ops::Range<usize>, &'t Table<'i>)> {
    let Some(array) = value.get_ref().as_array() else {
        diagnostics.push(
            source
                .error(&value.span(), format!("\"{key}\" must be a list of tables"))
                .with_help(format!("write each item as a [[{key}]] section")),
        );
        return Vec::new();
    };
    let mut items = Vec::new();
    for item in array.iter() {
        match item.get_ref().as_table() {
            Some(table) => items.push((item.span(), table)),
            None => diagnostics
                .push(source.error(&item.span(), format!("each item of \"{key}\" must be a table"))),
        }
    }
    items
}

/// The named sub-tables of `[key.*]`, in the order the file declares them.
fn named_tables<'t, 'i>(
    source: &TomlSource,
    key: &str,
    value: &'t Value<'i>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(Spanned<String>, &'t Table<'i>)> {
    let Some(table) = value.get_ref().as_table() else {
        diagnostics
            .push(source.error(&value.span(), format!("\"{key}\" must be a table of [{key}.<id>] sections")));
        return Vec::new();
    };
    let mut items = Vec::new();
    for (name, item) in table.iter() {
        match item.get_ref().as_table() {
            Some(inner) => items.push((Spanned::new(name.span(), name.get_ref().to_string()), inner)),
            None => diagnostics.push(
                source
                    .error(&name.span(), format!("\"{key}.{}\" must be a table", name.get_ref()))
                    .with_help(format!("write it as a [{key}.{}] section", name.get_ref())),
            ),
        }
    }
    items.sort_by_key(|(name, _)| name.span().start);
    items
}

fn check_id(source: &TomlSource, id: &Spanned<String>, what: &str, diagnostics: &mut Vec<Diagnostic>) {
    if !is_valid_slug(id.get_ref()) {
        diagnostics.push(
            source.error(&id.span(), format!("invalid {what} id \"{}\"", id.get_ref())).with_help(
                "ids use lowercase letters, digits and single hyphens, e.g. \"generate-knowledge\"",
            ),
        );
    }
}

fn check_unique<'a>(
    source: &TomlSource,
    seen: &mut Vec<&'a str>,
    id: &'a Spanned<String>,
    what: &str,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if seen.contains(&id.get_ref().as_str()) {
        diagnostics.push(source.error(&id.span(), format!("duplicate {what} id \"{}\"", id.get_ref())));
    }
    seen.push(id.get_ref());
}

fn load_stages(source: &TomlSource, table: &Table, diagnostics: &mut Vec<Diagnostic>) -> Vec<Stage> {
    let Some(value) = table.get("stages") else {
        diagnostics.push(
            source
                .error(&(0..0), "catalog.toml declares no [[stages]]")
                .with_help("add at least one [[stages]] section with id and name"),
        );
        return Vec::new();
    };
    let items = table_items(source, "stages", value, diagnostics);
    let mut stages = Vec::new();
    let mut ids = Vec::new();
    let mut seen = Vec::new();
    for (span, item) in &items {
        fields::check_keys(
            source,
            item,
            &["id", "name", "summary", "cross_cutting"],
            "stage key",
            diagnostics,
        );
        let id = fields::required_string(source, item, "id", span, diagnostics);
        let name = fields::required_string(source, item, "name", span, diagnostics);
        let summary = fields::string(source, item, "summary", diagnostics);
        let cross_cutting = fields::boolean(source, item, "cross_cutting", diagnostics).unwrap_or(false);
        if let (Some(id), Some(name)) = (id, name) {
            check_id(source, &id, "stage", diagnostics);
            stages.push(Stage {
                id: id.get_ref().clone(),
                name: name.into_inner(),
                summary: summary.map(Spanned::into_inner).unwrap_or_default(),
                cross_cutting,
            });
            ids.push(id);
        }
    }
    for id in &ids {
        check_unique(source, &mut seen, id, "stage", diagnostics);
    }
    if items.is_empty() && diagnostics.is_empty() {
        diagnostics
            .push(source.error(&value.span(), "\"stages\" is empty").with_help("declare at least one stage"));
    }
    stages
}

fn load_kinds(source: &TomlSource, table: &Table, diagnostics: &mut Vec<Diagnostic>) -> Vec<Kind> {
    let Some(value) = table.get("kinds") else {
        diagnostics.push(
            source
                .error(&(0..0), "catalog.toml declares no [kinds.<id>]")
                .with_help("add e.g. [kinds.role] with name = \"Role\", plural = \"Roles\", dir = \"roles\""),
        );
        return Vec::new();
    };
    let mut kinds = Vec::new();
    let mut dirs: Vec<Spanned<String>> = Vec::new();
    for (id, item) in named_tables(source, "kinds", value, diagnostics) {
        check_id(source, &id, "kind", diagnostics);
        fields::check_keys(source, item, &["name", "plural", "dir"], "kind key", diagnostics);
        let name = fields::required_string(source, item, "name", &id.span(), diagnostics);
        let plural = fields::string(source, item, "plural", diagnostics);
        let dir = fields::string(source, item, "dir", diagnostics)
            .unwrap_or_else(|| Spanned::new(id.span(), id.get_ref().clone()));
        if !is_valid_slug(dir.get_ref()) {
            diagnostics.push(
                source
                    .error(&dir.span(), format!("invalid folder name \"{}\"", dir.get_ref()))
                    .with_help("use lowercase letters, digits and single hyphens, e.g. dir = \"roles\""),
            );
        }
        if let Some(other) = dirs.iter().find(|other| other.get_ref() == dir.get_ref()) {
            let line = source.position(&other.span()).line;
            diagnostics.push(source.error(
                &dir.span(),
                format!("folder \"{}\" is already used by another kind (line {line})", dir.get_ref()),
            ));
        }
        if let Some(name) = name {
            kinds.push(Kind {
                id: id.into_inner(),
                plural: plural.map(Spanned::into_inner).unwrap_or_else(|| name.get_ref().clone()),
                name: name.into_inner(),
                dir: dir.get_ref().clone(),
            });
        }
        dirs.push(dir);
    }
    kinds
}

fn load_taxonomies(source: &TomlSource, table: &Table, diagnostics: &mut Vec<Diagnostic>) -> Vec<Taxonomy> {
    let Some(value) = table.get("taxonomies") else {
        return Vec::new();
    };
    let mut taxonomies = Vec::new();
    for (id, item) in named_tables(source, "taxonomies", value, diagnostics) {
        check_id(source, &id, "taxonomy", diagnostics);
        fields::check_keys(source, item, &["name", "terms"], "taxonomy key", diagnostics);
        let name = fields::required_string(source, item, "name", &id.span(), diagnostics);
        let mut terms = Vec::new();
        let mut seen = Vec::new();
        let term_ids: Vec<Spanned<String>> = match item.get("terms") {
            None => {
                diagnostics.push(
                    source
                        .error(&id.span(), format!("taxonomy \"{}\" has no terms", id.get_ref()))
                        .with_help("add terms = [{ id = \"…\", name = \"…\" }]"),
                );
                Vec::new()
            }
            Some(value) => table_items(source, "terms", value, diagnostics)
                .into_iter()
                .filter_map(|(span, term)| {
                    fields::check_keys(source, term, &["id", "name"], "term key", diagnostics);
                    let term_id = fields::required_string(source, term, "id", &span, diagnostics)?;
                    let term_name = fields::required_string(source, term, "name", &span, diagnostics)?;
                    check_id(source, &term_id, "term", diagnostics);
                    terms.push(Term { id: term_id.get_ref().clone(), name: term_name.into_inner() });
                    Some(term_id)
                })
                .collect(),
        };
        for term_id in &term_ids {
            check_unique(source, &mut seen, term_id, "term", diagnostics);
        }
        if let Some(name) = name {
            taxonomies.push(Taxonomy { id: id.into_inner(), name: name.into_inner(), terms });
        }
    }
    taxonomies
}

/// Kinds' folders and taxonomies' ids become top-level URLs and front-matter fields, so they
/// must not clash with each other, with the site's own folders, or with entry fields.
fn check_names_do_not_clash(
    source: &TomlSource,
    table: &Table,
    kinds: &[Kind],
    taxonomies: &[Taxonomy],
    diagnostics: &mut Vec<Diagnostic>,
) {
    let span_of = |section: &str, id: &str| {
        table
            .get(section)
            .and_then(|value| value.get_ref().as_table())
            .and_then(|inner| fields::key_span(inner, id))
            .unwrap_or(0..0)
    };
    for kind in kinds {
        if RESERVED.contains(&kind.dir.as_str()) {
            diagnostics.push(
                source
                    .error(&span_of("kinds", &kind.id), format!("kind folder \"{}\" is reserved", kind.dir))
                    .with_help(format!("the site uses these folders itself: {}", RESERVED.join(", "))),
            );
        }
    }
    for taxonomy in taxonomies {
        let span = span_of("taxonomies", &taxonomy.id);
        if RESERVED.contains(&taxonomy.id.as_str())
            || crate::content::ENTRY_FIELDS.contains(&taxonomy.id.as_str())
        {
            diagnostics.push(
                source
                    .error(&span, format!("taxonomy id \"{}\" is reserved", taxonomy.id))
                    .with_help("choose another id; it becomes both a front-matter field and a folder"),
            );
        }
        if kinds.iter().any(|kind| kind.dir == taxonomy.id) {
            diagnostics.push(
                source.error(&span, format!("taxonomy id \"{}\" is also a kind's folder", taxonomy.id)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALID: &str = r#"
title = "T"
base_url = "https://example.org/sub"
[[stages]]
id = "one"
name = "One"
[[stages]]
id = "two"
name = "Two"
[kinds.role]
name = "Role"
plural = "Roles"
dir = "roles"
[kinds.guidance]
name = "Guidance"
dir = "guidance"
[taxonomies.audience]
name = "Audience"
terms = [{ id = "executive", name = "Executives" }]
"#;

    #[test]
    fn a_valid_config_keeps_declaration_order() {
        let mut diagnostics = Vec::new();
        let config = parse(VALID, None, &mut diagnostics).expect("valid");
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let kinds: Vec<&str> = config.kinds.iter().map(|k| k.id.as_str()).collect();
        assert_eq!(kinds, ["role", "guidance"]);
        assert_eq!(config.base_url, "https://example.org/sub/");
        assert_eq!(config.base_path(), "/sub/");
        assert_eq!(config.kinds[1].plural, "Guidance");
        assert_eq!(config.list_page_size, 100);
    }

    #[test]
    fn unknown_keys_get_a_did_you_mean() {
        let text = VALID.replace("title = \"T\"", "title = \"T\"\ndescripton = \"x\"");
        let mut diagnostics = Vec::new();
        assert!(parse(&text, None, &mut diagnostics).is_none());
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert_eq!(diagnostics[0].message, "unknown key \"descripton\"");
        assert!(diagnostics[0].help.as_deref().unwrap().starts_with("did you mean \"description\"?"));
        assert_eq!((diagnostics[0].line, diagnostics[0].column), (3, 1));
    }

    #[test]
    fn base_paths() {
        let cases =
            [("/", "/"), ("https://a.org/", "/"), ("https://a.org/x/y/", "/x/y/"), ("https://a.org", "/")];
        for (url, expected) in cases {
            let mut diagnostics = Vec::new();
            let config = parse(VALID, Some(url), &mut diagnostics).unwrap();
            assert_eq!(config.base_path(), expected, "{url}");
        }
    }

    #[test]
    fn base_url_must_be_a_web_address_or_a_path() {
        let cases = [
            ("javascript:alert(1)//", Some("error: invalid base_url \"javascript:alert(1)//\"")),
            ("example.org", Some("error: invalid base_url")),
            ("/", Some("warning: base_url \"/\" is only a path")),
            ("https://example.org", None),
        ];
        for (url, expected) in cases {
            let text = VALID.replace("https://example.org/sub", url);
            let mut diagnostics = Vec::new();
            let config = parse(&text, None, &mut diagnostics);
            let shown: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
            match expected {
                Some(start) => {
                    assert_eq!(shown.len(), 1, "{url}: {shown:?}");
                    assert!(shown[0].starts_with(&format!("catalog.toml:3:12: {start}")), "{url}: {shown:?}");
                }
                None => assert!(shown.is_empty(), "{url}: {shown:?}"),
            }
            assert_eq!(config.is_some(), !shown.iter().any(|d| d.contains("error")));
        }
        let mut diagnostics = Vec::new();
        parse(&VALID.replace("https://example.org/sub", "/"), Some("https://a.org/x"), &mut diagnostics)
            .unwrap();
        assert!(diagnostics.is_empty(), "a --base-url replaces the path, so there is nothing to warn of");
    }

    #[test]
    fn languages_are_language_codes() {
        for good in ["en", "fr", "fr-CA", "zh-Hant-TW", "haw"] {
            assert!(is_language_tag(good), "{good}");
        }
        for bad in ["", "EN", "e", "en_CA", "en-", "\"><script>", "english", "fr-C"] {
            assert!(!is_language_tag(bad), "{bad}");
        }
        let mut diagnostics = Vec::new();
        let text = VALID.replace("title = \"T\"", "title = \"T\"\nlanguage = \"en\\\" onload=\\\"x\"");
        assert!(parse(&text, None, &mut diagnostics).is_none());
        assert!(diagnostics[0].message.starts_with("invalid language"), "{diagnostics:?}");
    }
}
