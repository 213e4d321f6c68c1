//! `catalog.toml`: raw TOML -> a validated `Config` (spec §2). The site settings are checked
//! in `site`, the stages, kinds and taxonomies in `vocabularies`.

mod languages;
pub mod search_table;
mod site;
mod vocabularies;

pub use languages::{Language, Names, Translations};
pub use site::is_language_tag;
use site::{check_base_url, check_language, check_replaced_base_url, read_review_policy};
pub use vocabularies::RESERVED as RESERVED_FOLDERS;
use vocabularies::{
    check_languages_do_not_clash, check_names_do_not_clash, load_kinds, load_stages, load_taxonomies,
};

use crate::diagnostic::{Diagnostic, Position};
use crate::error::Error;
use crate::toml_fields::{self as fields, TomlSource};
use std::path::Path;
use toml::Spanned;

pub const FILE: &str = "catalog.toml";

/// Front-matter fields of a kind's entries besides the taxonomy ids (which therefore may
/// not take these names).
pub const ENTRY_FIELDS: &[&str] = &[
    "title", "summary", "stages", "related", "sources", "updated", "reviewed", "draft", "weight", "aliases",
];

#[derive(Debug, Clone, serde::Serialize)]
pub struct Config {
    pub title: String,
    pub description: String,
    /// Always ends with `/`.
    pub base_url: String,
    /// The language of the pages made from this configuration: the catalog's own, or,
    /// in a configuration made by `localized`, another it is published in.
    pub language: String,
    /// Every language the site is published in, the catalog's own first (spec §9).
    pub languages: Vec<Language>,
    pub theme: String,
    pub list_page_size: usize,
    /// Whether raw HTML in Markdown passes through (off: it is escaped).
    pub raw_html: bool,
    /// Whether the site has a print edition (`print/`, spec §11); on unless `print = false`.
    pub print: bool,
    /// Words the search page suggests; when empty, its most frequent title words.
    pub search_examples: Vec<String>,
    pub stages: Vec<Stage>,
    /// In the order catalog.toml declares them.
    pub kinds: Vec<Kind>,
    pub taxonomies: Vec<Taxonomy>,
    /// How often entries are due for review (spec §10), if the catalog has a policy.
    pub review_every_months: Option<u32>,
    /// `[search]`: synonyms (see `search_table`).
    pub search: search_table::SearchConfig,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Stage {
    pub id: String,
    pub name: String,
    pub summary: String,
    /// A stage that runs across the whole cycle (e.g. the infrastructure to share and
    /// coordinate) rather than taking a turn in it; the cycle figure draws it in the middle.
    pub cross_cutting: bool,
    #[serde(skip)]
    pub translations: Translations,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Kind {
    pub id: String,
    pub name: String,
    pub plural: String,
    pub dir: String,
    #[serde(skip)]
    pub translations: Translations,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Taxonomy {
    pub id: String,
    pub name: String,
    pub terms: Vec<Term>,
    #[serde(skip)]
    pub translations: Translations,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Term {
    pub id: String,
    pub name: String,
    #[serde(skip)]
    pub translations: Translations,
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

/// The keys catalog.toml may have, in the order the README presents them.
const KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "theme",
    "list_page_size",
    "raw_html",
    "print",
    "search_examples",
    "languages",
    "stages",
    "kinds",
    "taxonomies",
    "review_every_months",
    "search",
];

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
    fields::check_keys(&source, table, KEYS, "key", diagnostics);
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
    let print = fields::boolean(&source, table, "print", diagnostics).unwrap_or(true);
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
    let search_examples = fields::string_list(&source, table, "search_examples", diagnostics);
    let main = language.as_ref().map_or("en", |language| language.get_ref().as_str());
    let others = languages::load_languages(&source, table, main, diagnostics);
    let codes: Vec<String> = others.iter().map(|(code, _)| code.get_ref().clone()).collect();
    let stages = load_stages(&source, table, &codes, diagnostics);
    let kinds = load_kinds(&source, table, &codes, diagnostics);
    let taxonomies = load_taxonomies(&source, table, &codes, diagnostics);
    let review_every_months = read_review_policy(&source, table, diagnostics);
    check_names_do_not_clash(&source, table, &kinds, &taxonomies, diagnostics);
    let codes: Vec<&Spanned<String>> = others.iter().map(|(code, _)| code).collect();
    check_languages_do_not_clash(&source, &codes, &kinds, &taxonomies, diagnostics);
    let search = search_table::load(&source, table, diagnostics);

    let after = diagnostics.iter().filter(|d| d.is_error()).count();
    if after > before {
        return None;
    }
    let title = title?.into_inner();
    let description = description.map(Spanned::into_inner).unwrap_or_default();
    let language = language.map(Spanned::into_inner).unwrap_or_else(|| "en".to_string());
    let search_examples: Vec<String> =
        search_examples.into_iter().flatten().map(Spanned::into_inner).collect();
    let main = Language {
        code: language.clone(),
        prefix: String::new(),
        title: title.clone(),
        description: description.clone(),
        search_examples: search_examples.clone(),
        declared_at: Position::START,
    };
    Some(Config {
        title,
        description,
        base_url: base_url?,
        language,
        languages: std::iter::once(main).chain(others.into_iter().map(|(_, language)| language)).collect(),
        theme: theme.map(Spanned::into_inner).unwrap_or_else(|| "default".to_string()),
        list_page_size,
        raw_html,
        print,
        search_examples,
        stages,
        kinds,
        taxonomies,
        review_every_months,
        search,
    })
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
