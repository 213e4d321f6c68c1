//! Interface strings (spec §9): every word the theme shows that is not the catalog's own,
//! from a table for the page's language. copcat ships complete tables for `en` and `fr`
//! (`en.toml`, `fr.toml` beside this file, built into the binary); a catalog adds a
//! language, or overrides any string, with `i18n/<lang>.toml`. The English table is also
//! the schema: the keys every table has, and the shape of each (text, a count with `one`
//! and `other`, or a list).

mod dates;
mod examples;
mod filters;
mod plural;

pub use dates::DateWords;
pub use examples::search_examples;
pub use filters::register_filters;
pub use plural::PluralRule;

use crate::diagnostic::{Diagnostic, Position};
use crate::error::Error;
use crate::toml_fields::{self as fields, Table as TomlTable, TomlSource};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// The tables copcat ships, by language.
const SHIPPED: &[(&str, &str)] = &[("en", include_str!("en.toml")), ("fr", include_str!("fr.toml"))];
/// The catalog's folder of strings tables.
pub const FOLDER: &str = "i18n";
/// The sub-table of what the search page's script says.
const CLIENT: &str = "client";

/// One string of a table.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Text {
    Plain(String),
    /// A count: `one` or `other` by the language's plural rule, `{n}` the number.
    Count {
        one: String,
        other: String,
    },
    List(Vec<String>),
}

impl Text {
    fn shape(&self) -> &'static str {
        match self {
            Text::Plain(_) => "text",
            Text::Count { .. } => "a table of two texts, { one = \"…\", other = \"…\" }",
            Text::List(_) => "a list of texts",
        }
    }
}

/// Strings by key: those of the pages, and (`client`) those of the search page's script.
#[derive(Debug, Clone, Default, PartialEq)]
struct Tables {
    page: BTreeMap<String, Text>,
    client: BTreeMap<String, Text>,
}

/// The interface strings of one language, complete.
#[derive(Debug, Clone)]
pub struct Strings {
    pub language: String,
    pub plural: PluralRule,
    pub dates: DateWords,
    tables: Tables,
    /// The strings as templates get them (`t`), made once.
    pub value: tera::Value,
    /// A template context holding only `t`, to start a context from: cloning a value is
    /// cheaper than serializing it again for each of 10,000 cards.
    pub context: tera::Context,
}

impl Strings {
    /// The table copcat ships for `language` (`en`, `fr`; `fr-CA` takes `fr`), if any.
    pub fn shipped(language: &str) -> Option<Strings> {
        shipped_tables(language).map(|tables| Strings::new(language, tables))
    }

    fn new(language: &str, tables: Tables) -> Strings {
        let plain = |key: &str| match tables.page.get(key) {
            Some(Text::Plain(text)) => text.clone(),
            _ => String::new(),
        };
        let months = match tables.page.get("months") {
            Some(Text::List(months)) => months.clone(),
            _ => Vec::new(),
        };
        let dates = DateWords { pattern: plain("date"), first_day: plain("date_first_day"), months };
        let plural = PluralRule::of(language);
        let mut map = serde_json::Map::new();
        for (key, text) in &tables.page {
            map.insert(key.clone(), serde_json::to_value(text).unwrap_or_default());
        }
        map.insert(CLIENT.to_string(), serde_json::to_value(&tables.client).unwrap_or_default());
        map.insert("plural_rule".to_string(), plural.id().into());
        let value = tera::Value::Object(map);
        let mut context = tera::Context::new();
        context.insert("t", &value);
        Strings { language: language.to_string(), plural, dates, tables, value, context }
    }

    /// The text of `key` (empty if `key` is not a text: a mistake in copcat, caught by tests).
    pub fn text(&self, key: &str) -> &str {
        match self.tables.page.get(key) {
            Some(Text::Plain(text)) => text,
            _ => "",
        }
    }

    /// The count `key` for `n`: "1 entry", "3 entries".
    pub fn count(&self, key: &str, n: usize) -> String {
        let form = match self.tables.page.get(key) {
            Some(Text::Count { one, other }) => {
                if self.plural.is_one(n as u64) {
                    one
                } else {
                    other
                }
            }
            _ => return String::new(),
        };
        form.replace("{n}", &n.to_string())
    }

    /// The text of `key` with each `{name}` replaced by its value.
    pub fn fill(&self, key: &str, values: &[(&str, &str)]) -> String {
        fill(self.text(key), values)
    }

    /// `a`, `a and b`, `a, b and c`, in this language.
    pub fn join_list<S: AsRef<str>>(&self, items: &[S]) -> String {
        join_list(items, self.text("list_separator"), self.text("list_and"))
    }

    /// Every plain text and count form of the pages and the search client (for tests that
    /// look for one language's words on another's pages).
    pub fn all_texts(&self) -> Vec<(String, String)> {
        let mut texts = Vec::new();
        for (prefix, table) in [("", &self.tables.page), ("client.", &self.tables.client)] {
            for (key, text) in table {
                match text {
                    Text::Plain(plain) => texts.push((format!("{prefix}{key}"), plain.clone())),
                    Text::Count { one, other } => {
                        texts.push((format!("{prefix}{key}.one"), one.clone()));
                        texts.push((format!("{prefix}{key}.other"), other.clone()));
                    }
                    Text::List(items) => {
                        texts.extend(items.iter().map(|item| (format!("{prefix}{key}"), item.clone())))
                    }
                }
            }
        }
        texts
    }
}

/// `template` with each `{name}` replaced by its value, in one pass (so that a value
/// holding `{…}`, say a title, is left as it is); unknown names stay as written.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut text = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        text.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            values.iter().find(|(known, _)| *known == name).map(|(_, value)| (*value, close))
        });
        match value {
            Some((value, close)) => {
                text.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                text.push('{');
                rest = after;
            }
        }
    }
    text.push_str(rest);
    text
}

fn join_list<S: AsRef<str>>(items: &[S], separator: &str, and: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [first @ .., last] => {
            let first: Vec<&str> = first.iter().map(AsRef::as_ref).collect();
            format!("{}{and}{}", first.join(separator), last.as_ref())
        }
    }
}

/// The primary language of a tag: `fr` of `fr-CA`.
pub fn primary(language: &str) -> &str {
    language.split('-').next().unwrap_or(language)
}

/// The table copcat ships for `language` (`fr` for `fr-CA`), as its name and its text.
pub fn shipped_source(language: &str) -> Option<(&'static str, &'static str)> {
    SHIPPED.iter().copied().find(|(name, _)| *name == language || *name == primary(language))
}

/// The English table's text: the table every other one matches key for key.
pub fn english_source() -> &'static str {
    SHIPPED[0].1
}

fn shipped_tables(language: &str) -> Option<Tables> {
    let (name, text) = shipped_source(language)?;
    let schema = schema();
    let mut ignored = Vec::new();
    read_file(&format!("{FOLDER}/{name}.toml"), text, &schema, &mut ignored)
}

/// The English table, which every other must match key for key.
fn schema() -> Tables {
    let file = "i18n/en.toml";
    let text = SHIPPED[0].1;
    let source = TomlSource::new(file, text, 0);
    let Ok(document) = source.parse(text) else {
        return Tables::default();
    };
    let shapes = |table: &TomlTable| -> BTreeMap<String, Text> {
        table.iter().filter_map(|(key, value)| Some((key.get_ref().to_string(), shape_of(value)?))).collect()
    };
    let client = document.get_ref().get(CLIENT).and_then(|value| value.get_ref().as_table());
    Tables { page: shapes(document.get_ref()), client: client.map(shapes).unwrap_or_default() }
}

/// A value of the English table as it is (it is the schema, so any shape it has is right).
fn shape_of(value: &fields::Value) -> Option<Text> {
    let value = value.get_ref();
    if let Some(text) = value.as_str() {
        return Some(Text::Plain(text.to_string()));
    }
    if let Some(items) = value.as_array() {
        return Some(Text::List(
            items.iter().filter_map(|item| item.get_ref().as_str().map(String::from)).collect(),
        ));
    }
    let table = value.as_table()?;
    if table.contains_key("one") {
        let form = |key| table.get(key).and_then(|v| v.get_ref().as_str()).unwrap_or_default().to_string();
        return Some(Text::Count { one: form("one"), other: form("other") });
    }
    None
}

/// Reads a strings table (`file`'s `text`) against `schema`: unknown keys and wrong shapes
/// are errors at their position. `None` if the TOML itself is broken.
fn read_file(file: &str, text: &str, schema: &Tables, diagnostics: &mut Vec<Diagnostic>) -> Option<Tables> {
    let source = TomlSource::new(file, text, 0);
    let document = match source.parse(text) {
        Ok(document) => document,
        Err(diagnostic) => {
            diagnostics.push(diagnostic);
            return None;
        }
    };
    let table = document.get_ref();
    let mut allowed: Vec<&str> = schema.page.keys().map(String::as_str).collect();
    allowed.push(CLIENT);
    fields::check_keys(&source, table, &allowed, "string", diagnostics);
    let mut tables =
        Tables { page: read_table(&source, table, &schema.page, "", diagnostics), ..Tables::default() };
    if let Some(client) = table.get(CLIENT) {
        match client.get_ref().as_table() {
            Some(client) => {
                let allowed: Vec<&str> = schema.client.keys().map(String::as_str).collect();
                fields::check_keys(&source, client, &allowed, "client string", diagnostics);
                tables.client = read_table(&source, client, &schema.client, "client.", diagnostics);
            }
            None => diagnostics.push(source.error(&client.span(), "\"client\" must be a table of texts")),
        }
    }
    Some(tables)
}

/// The strings of `table` that `schema` knows, each of the shape it has there.
fn read_table(
    source: &TomlSource,
    table: &TomlTable,
    schema: &BTreeMap<String, Text>,
    prefix: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> BTreeMap<String, Text> {
    let mut read = BTreeMap::new();
    for (key, expected) in schema {
        let Some(value) = table.get(key.as_str()) else { continue };
        let wrong = || {
            source.error(
                &value.span(),
                format!(
                    "\"{prefix}{key}\" must be {}, found {}",
                    expected.shape(),
                    value.get_ref().type_str()
                ),
            )
        };
        let text =
            match expected {
                Text::Plain(_) => {
                    fields::string(source, table, key, diagnostics).map(|text| Text::Plain(text.into_inner()))
                }
                Text::List(items) => match fields::string_list(source, table, key, diagnostics) {
                    Some(list) if list.len() == items.len() => {
                        Some(Text::List(list.into_iter().map(toml::Spanned::into_inner).collect()))
                    }
                    Some(_) => {
                        diagnostics.push(source.error(
                            &value.span(),
                            format!("\"{prefix}{key}\" must list {} texts", items.len()),
                        ));
                        None
                    }
                    None => None,
                },
                Text::Count { .. } => match value.get_ref().as_table() {
                    Some(forms) => {
                        fields::check_keys(source, forms, &["one", "other"], "count form", diagnostics);
                        let one = fields::string(source, forms, "one", diagnostics);
                        let other = fields::string(source, forms, "other", diagnostics);
                        match (one, other) {
                            (Some(one), Some(other)) => {
                                Some(Text::Count { one: one.into_inner(), other: other.into_inner() })
                            }
                            _ => {
                                diagnostics.push(
                                    source
                                        .error(
                                            &value.span(),
                                            format!("\"{prefix}{key}\" needs both forms, one and other"),
                                        )
                                        .with_help(format!(
                                            "{key} = {{ one = \"…\", other = \"…\" }} ({{n}} is the number)"
                                        )),
                                );
                                None
                            }
                        }
                    }
                    None => {
                        diagnostics.push(wrong().with_help(format!(
                        "a count has a form for one and for other: {key} = {{ one = \"…\", other = \"…\" }}"
                    )));
                        None
                    }
                },
            };
        if let Some(text) = text {
            read.insert(key.clone(), text);
        }
    }
    read
}

/// Loads the strings of `language` for the catalog at `root`: copcat's table for it, with
/// the catalog's `i18n/<language>.toml` over it. A language copcat ships no table for needs
/// a complete one from the catalog. `Ok(None)` means there were errors, in `diagnostics`.
pub fn load(
    root: &Path,
    language: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Option<Strings>, Error> {
    let shipped = shipped_tables(language);
    let schema = schema();
    let candidates = [format!("{FOLDER}/{language}.toml"), format!("{FOLDER}/{}.toml", primary(language))];
    let found = candidates.iter().find(|file| root.join(file).is_file());
    let before = diagnostics.iter().filter(|d| d.is_error()).count();
    let catalogs = match found {
        Some(file) => {
            let path = root.join(file);
            let bytes = std::fs::read(&path).map_err(|source| Error::io(&path, source))?;
            let Ok(text) = String::from_utf8(bytes) else {
                diagnostics.push(
                    Diagnostic::error(file, Position::START, "the file is not valid UTF-8 text")
                        .with_help("save the file with UTF-8 encoding"),
                );
                return Ok(None);
            };
            let tables = read_file(file, &text, &schema, diagnostics);
            if let (None, Some(tables)) = (&shipped, &tables) {
                report_missing(file, &text, tables, &schema, diagnostics);
            }
            tables
        }
        None if shipped.is_none() => {
            let (file, position, published) = language_position(root, language);
            let instead = if published {
                format!("remove [languages.{language}] from catalog.toml")
            } else {
                "set language to one of these".to_string()
            };
            diagnostics.push(
                Diagnostic::error(
                    &file,
                    position,
                    format!("no interface strings for language \"{language}\""),
                )
                .with_help(format!(
                    "copcat ships strings for {}; `copcat new --strings {language}` starts \
                         {FOLDER}/{language}.toml from the English table, to translate, or {}",
                    SHIPPED.iter().map(|(name, _)| format!("\"{name}\"")).collect::<Vec<_>>().join(" and "),
                    instead
                )),
            );
            return Ok(None);
        }
        None => Some(Tables::default()),
    };
    let after = diagnostics.iter().filter(|d| d.is_error()).count();
    let (Some(mut tables), true) = (shipped.or(Some(Tables::default())), after == before) else {
        return Ok(None);
    };
    if let Some(catalogs) = catalogs {
        tables.page.extend(catalogs.page);
        tables.client.extend(catalogs.client);
    }
    Ok(Some(Strings::new(language, tables)))
}

/// One error per key of the schema that `tables` (the catalog's own table for a language
/// copcat does not ship) lacks. A missing key has no position of its own: it is reported at
/// the `[client]` header for a client string, and at the file's start otherwise.
fn report_missing(
    file: &str,
    text: &str,
    tables: &Tables,
    schema: &Tables,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let client_at = text.find("[client]").map_or(Position::START, |offset| Position::at(text, offset));
    for (prefix, have, want, position) in [
        ("", &tables.page, &schema.page, Position::START),
        ("client.", &tables.client, &schema.client, client_at),
    ] {
        for (key, english) in want {
            if have.contains_key(key) {
                continue;
            }
            let example = match english {
                Text::Plain(text) => format!("{key} = {text:?}"),
                Text::Count { one, other } => format!("{key} = {{ one = {one:?}, other = {other:?} }}"),
                Text::List(items) => format!("{key} = [{} texts]", items.len()),
            };
            diagnostics.push(
                Diagnostic::error(file, position, format!("missing string \"{prefix}{key}\""))
                    .with_help(format!("add it in this language; in English it is {example}")),
            );
        }
    }
}

/// Where catalog.toml names `language`, and whether as another language it is published in
/// (`[languages.<code>]`) rather than as the catalog's own.
fn language_position(root: &Path, language: &str) -> (String, Position, bool) {
    let file = crate::config::FILE.to_string();
    let Ok(text) = std::fs::read_to_string(root.join(&file)) else {
        return (file, Position::START, false);
    };
    let source = TomlSource::new(&file, &text, 0);
    let position = source
        .parse(&text)
        .ok()
        .and_then(|document| {
            let table = document.get_ref();
            let declared = |table: &crate::toml_fields::Table| {
                table.get_key_value(language).map(|(key, _)| source.position(&key.span()))
            };
            let other =
                table.get("languages").and_then(|value| value.get_ref().as_table()).and_then(declared);
            let own = || table.get("language").map(|value| (source.position(&value.span()), false));
            other.map(|position| (position, true)).or_else(own)
        })
        .unwrap_or((Position::START, false));
    (file, position.0, position.1)
}

#[cfg(test)]
mod tests;
