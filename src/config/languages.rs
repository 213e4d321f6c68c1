//! Publishing in more than one language (spec §9): `[languages.<code>]`, the names each
//! stage, kind, taxonomy and term has in those languages (`fr = { name = "…" }`), and the
//! configuration as one language's edition sees it (`Config::localized`).

use super::{Config, site::is_language_tag};
use crate::diagnostic::{Diagnostic, Position};
use crate::toml_fields::{self as fields, Table, TomlSource};
use std::collections::BTreeMap;
use toml::Spanned;

/// A language the site is published in.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Language {
    pub code: String,
    /// Where its pages live below the site root: `""` for the catalog's own language,
    /// `"fr/"` for another.
    pub prefix: String,
    pub title: String,
    pub description: String,
    /// Words its search page suggests; when empty, its most frequent title words.
    pub search_examples: Vec<String>,
    /// Where catalog.toml declares it (its `[languages.<code>]` header; the start of the
    /// file for the catalog's own language), for diagnostics about it.
    #[serde(skip)]
    pub declared_at: Position,
}

/// The names a stage, kind, taxonomy or term has in one other language; each `None` when
/// the catalog gives none (the original's is shown, with a warning).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Names {
    pub name: Option<String>,
    pub plural: Option<String>,
    pub summary: Option<String>,
}

/// An item's names by language code.
pub type Translations = BTreeMap<String, Names>;

/// The keys of a `[languages.<code>]` table.
const LANGUAGE_KEYS: &[&str] = &["title", "description", "search_examples"];

/// Reads `[languages.<code>]`: the other languages the catalog is published in, in the
/// order the file declares them. A code must be a language tag other than `main` (the
/// catalog's own language, published at the root).
pub(super) fn load_languages(
    source: &TomlSource,
    table: &Table,
    main: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(Spanned<String>, Language)> {
    let Some(value) = table.get("languages") else {
        return Vec::new();
    };
    let mut languages = Vec::new();
    for (code, item) in super::vocabularies::named_tables(source, "languages", value, diagnostics) {
        if !is_language_tag(code.get_ref()) {
            diagnostics.push(
                source
                    .error(&code.span(), format!("invalid language \"{}\"", code.get_ref()))
                    .with_help("name the table with a language code, e.g. [languages.fr]"),
            );
            continue;
        }
        if code.get_ref() == main {
            diagnostics.push(
                source.error(&code.span(), format!("\"{main}\" is the catalog's own language")).with_help(
                    format!(
                        "the catalog is published in \"{main}\" at the site's root already; \
                         [languages.<code>] declares the other languages"
                    ),
                ),
            );
            continue;
        }
        fields::check_keys(source, item, LANGUAGE_KEYS, "language key", diagnostics);
        let text = |key: &str, diagnostics: &mut Vec<Diagnostic>| {
            fields::string(source, item, key, diagnostics).map(Spanned::into_inner)
        };
        let title = text("title", diagnostics).unwrap_or_default();
        let description = text("description", diagnostics).unwrap_or_default();
        let search_examples = fields::string_list(source, item, "search_examples", diagnostics)
            .into_iter()
            .flatten()
            .map(Spanned::into_inner)
            .collect();
        let language = Language {
            prefix: format!("{}/", code.get_ref()),
            code: code.get_ref().clone(),
            title,
            description,
            search_examples,
            declared_at: source.position(&code.span()),
        };
        languages.push((code, language));
    }
    languages
}

/// Reads an item's names in each of `codes` (`fr = { name = "…" }`), each table holding only
/// `keys`; `what` names the item in diagnostics (`stage "x"`).
pub(super) fn read_names(
    source: &TomlSource,
    item: &Table,
    codes: &[String],
    keys: &[&str],
    what: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Translations {
    let mut translations = Translations::new();
    for code in codes {
        let Some(value) = item.get(code.as_str()) else {
            continue;
        };
        let Some(table) = value.get_ref().as_table() else {
            let example = keys.iter().map(|key| format!("{key} = \"…\"")).collect::<Vec<_>>().join(", ");
            diagnostics.push(
                source
                    .error(&value.span(), format!("the {code} names of {what} must be a table"))
                    .with_help(format!("write {code} = {{ {example} }}")),
            );
            continue;
        };
        fields::check_keys(source, table, keys, &format!("{code} name key"), diagnostics);
        let text = |key: &str, diagnostics: &mut Vec<Diagnostic>| {
            fields::string(source, table, key, diagnostics).map(Spanned::into_inner)
        };
        let names = Names {
            name: text("name", diagnostics),
            plural: text("plural", diagnostics),
            summary: text("summary", diagnostics),
        };
        translations.insert(code.clone(), names);
    }
    translations
}

/// A warning for each language of `codes` in which an item has no name: its pages in that
/// language show the original's. `span` is where the item is written.
pub(super) fn warn_untranslated_name(
    source: &TomlSource,
    span: &std::ops::Range<usize>,
    translations: &Translations,
    codes: &[String],
    what: &str,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for code in codes {
        if translations.get(code).and_then(|names| names.name.as_ref()).is_none() {
            diagnostics.push(source.warning(span, format!("{what} has no name in \"{code}\"")).with_help(
                format!(
                    "add {code} = {{ name = \"…\" }} to it; until then its \"{code}\" pages show \
                         the original name"
                ),
            ));
        }
    }
}

impl Config {
    /// The catalog's own language, published at the site's root.
    pub fn main_language(&self) -> &Language {
        &self.languages[0]
    }

    /// Whether the site is published in more than one language.
    pub fn is_multilingual(&self) -> bool {
        self.languages.len() > 1
    }

    /// The language the pages made from this configuration are in.
    pub fn current_language(&self) -> &Language {
        self.languages.iter().find(|language| language.code == self.language).unwrap_or(self.main_language())
    }

    /// The configuration as the edition in `code` sees it: its title, description, search
    /// examples and address (`<base_url><code>/`), and each name in that language where the
    /// catalog gives one. `None` if the catalog is not published in `code`.
    pub fn localized(&self, code: &str) -> Option<Config> {
        let language = self.languages.iter().skip(1).find(|language| language.code == code)?;
        let mut config = self.clone();
        config.language = code.to_string();
        config.base_url = format!("{}{}", self.base_url, language.prefix);
        if !language.title.is_empty() {
            config.title = language.title.clone();
        }
        if !language.description.is_empty() {
            config.description = language.description.clone();
        }
        config.search_examples = language.search_examples.clone();
        for stage in &mut config.stages {
            if let Some(names) = stage.translations.get(code) {
                replace(&mut stage.name, &names.name);
                replace(&mut stage.summary, &names.summary);
            }
        }
        for kind in &mut config.kinds {
            if let Some(names) = kind.translations.get(code) {
                replace(&mut kind.name, &names.name);
                match (&names.plural, &names.name) {
                    (Some(plural), _) | (None, Some(plural)) => kind.plural = plural.clone(),
                    (None, None) => {}
                }
            }
        }
        for taxonomy in &mut config.taxonomies {
            if let Some(names) = taxonomy.translations.get(code) {
                replace(&mut taxonomy.name, &names.name);
            }
            for term in &mut taxonomy.terms {
                if let Some(names) = term.translations.get(code) {
                    replace(&mut term.name, &names.name);
                }
            }
        }
        Some(config)
    }
}

fn replace(name: &mut String, translated: &Option<String>) {
    if let Some(translated) = translated {
        name.clone_from(translated);
    }
}
