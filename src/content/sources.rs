//! `sources.toml`: the bibliography (spec §4).

use crate::diagnostic::{Diagnostic, Position};
use crate::error::Error;
use crate::toml_fields::{self as fields, TomlSource};
use crate::url_policy::{self, Allowed};
use std::collections::BTreeMap;
use std::path::Path;
use toml::Spanned;

pub const FILE: &str = "sources.toml";

const FIELDS: &[&str] = &[
    "authors",
    "title",
    "container",
    "year",
    "volume",
    "issue",
    "pages",
    "publisher",
    "doi",
    "url",
    "note",
    "language",
];

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Source {
    pub key: String,
    pub authors: String,
    pub title: String,
    pub container: String,
    pub year: Option<i64>,
    pub volume: String,
    pub issue: String,
    pub pages: String,
    pub publisher: String,
    pub doi: String,
    pub url: String,
    pub note: String,
    /// The language it is published in (its title's), when the catalog says; otherwise the
    /// catalog's own language is assumed. A page in another language marks its citation.
    pub language: String,
}

impl Source {
    /// The link a reader follows: the DOI's resolver address, else the URL.
    pub fn link(&self) -> Option<String> {
        if !self.doi.is_empty() {
            Some(format!("https://doi.org/{}", url_policy::encode_path(&self.doi)))
        } else if !self.url.is_empty() {
            Some(self.url.clone())
        } else {
            None
        }
    }
}

fn check_language(code: &str) -> Result<String, String> {
    if crate::config::is_language_tag(code) {
        Ok(code.to_string())
    } else {
        Err("write the language code of its title, e.g. language = \"fr\"".to_string())
    }
}

/// `None` when there is no sources.toml (which is fine until an entry cites something).
pub fn load(
    root: &Path,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Option<BTreeMap<String, Source>>, Error> {
    let path = root.join(FILE);
    if !path.is_file() {
        return Ok(None);
    }
    let bytes = std::fs::read(&path).map_err(|source| Error::io(&path, source))?;
    let Ok(text) = String::from_utf8(bytes) else {
        diagnostics.push(
            Diagnostic::error(FILE, Position::START, "the file is not valid UTF-8 text")
                .with_help("save the file with UTF-8 encoding"),
        );
        return Ok(Some(BTreeMap::new()));
    };
    Ok(Some(parse(&text, diagnostics)))
}

pub fn parse(text: &str, diagnostics: &mut Vec<Diagnostic>) -> BTreeMap<String, Source> {
    let source = TomlSource::new(FILE, text, 0);
    let document = match source.parse(text) {
        Ok(document) => document,
        Err(diagnostic) => {
            diagnostics.push(diagnostic);
            return BTreeMap::new();
        }
    };
    let mut sources = BTreeMap::new();
    for (key, value) in document.get_ref().iter() {
        let Some(table) = value.get_ref().as_table() else {
            diagnostics.push(
                source.error(&key.span(), format!("source \"{}\" must be a table", key.get_ref())).with_help(
                    format!("write it as a [{}] section with title, authors, year and doi", key.get_ref()),
                ),
            );
            continue;
        };
        fields::check_keys(&source, table, FIELDS, "source field", diagnostics);
        let text = |name: &str, diagnostics: &mut Vec<Diagnostic>| {
            fields::string(&source, table, name, diagnostics).map(Spanned::into_inner).unwrap_or_default()
        };
        let checked = |name: &str, check: fn(&str) -> Result<String, String>, diagnostics: &mut Vec<_>| {
            let value = fields::string(&source, table, name, diagnostics)?;
            match check(value.get_ref()) {
                Ok(checked) => Some(checked),
                Err(help) => {
                    let message = format!("\"{name}\" is not a valid {name}: \"{}\"", value.get_ref());
                    diagnostics.push(source.error(&value.span(), message).with_help(help));
                    None
                }
            }
        };
        let title = fields::required_string(&source, table, "title", &key.span(), diagnostics);
        let entry = Source {
            key: key.get_ref().to_string(),
            authors: text("authors", diagnostics),
            title: title.map(Spanned::into_inner).unwrap_or_default(),
            container: text("container", diagnostics),
            year: fields::integer(&source, table, "year", diagnostics).map(Spanned::into_inner),
            volume: text("volume", diagnostics),
            issue: text("issue", diagnostics),
            pages: text("pages", diagnostics),
            publisher: text("publisher", diagnostics),
            doi: checked("doi", check_doi, diagnostics).unwrap_or_default(),
            url: checked("url", check_url, diagnostics).unwrap_or_default(),
            note: text("note", diagnostics),
            language: checked("language", check_language, diagnostics).unwrap_or_default(),
        };
        if !table.contains_key("doi") && !table.contains_key("url") {
            diagnostics.push(
                source
                    .warning(&key.span(), format!("source \"{}\" has neither doi nor url", entry.key))
                    .with_help("add doi = \"10.…\" or url = \"https://…\" so readers can find it"),
            );
        }
        sources.insert(entry.key.clone(), entry);
    }
    sources
}

/// A DOI as written (`10.1002/x`, `doi:10.1002/x` or its resolver address), reduced to the
/// DOI itself.
fn check_doi(written: &str) -> Result<String, String> {
    let trimmed = written.trim();
    let doi = ["https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "doi:"]
        .iter()
        .find_map(|prefix| trimmed.strip_prefix(prefix))
        .unwrap_or(trimmed);
    let valid = doi.starts_with("10.") && doi.contains('/') && !doi.chars().any(char::is_whitespace);
    if valid {
        Ok(doi.to_string())
    } else {
        Err("a DOI starts with 10. and has a / in it, without spaces, e.g. doi = \"10.1002/lrh2.10412\""
            .into())
    }
}

/// A source's address: an absolute http(s) URL, as readers follow it from another page.
fn check_url(written: &str) -> Result<String, String> {
    let trimmed = written.trim();
    match url_policy::check(trimmed) {
        Ok(Allowed::Web) if trimmed.contains("://") && !trimmed.chars().any(char::is_whitespace) => {
            Ok(trimmed.to_string())
        }
        _ => Err("write the full web address, starting with https:// or http://".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_addresses_must_be_web_addresses_and_dois_must_be_dois() {
        let text = "[a]\ntitle = \"A\"\nurl = \"javascript:alert(1)\"\n\n[b]\ntitle = \"B\"\nurl = \" JaVaScript:x\"\n\n\
                    [c]\ntitle = \"C\"\nurl = \"data:text/html,x\"\n\n[d]\ntitle = \"D\"\ndoi = \"javascript:alert(1)\"\n\n\
                    [e]\ntitle = \"E\"\ndoi = \"https://doi.org/10.1002/lrh2.10412\"\nurl = \"https://a.org/x\"\n";
        let mut diagnostics = Vec::new();
        let sources = parse(text, &mut diagnostics);
        let errors: Vec<(usize, &str)> =
            diagnostics.iter().filter(|d| d.is_error()).map(|d| (d.line, d.message.as_str())).collect();
        assert_eq!(
            errors,
            [
                (3, "\"url\" is not a valid url: \"javascript:alert(1)\""),
                (7, "\"url\" is not a valid url: \" JaVaScript:x\""),
                (11, "\"url\" is not a valid url: \"data:text/html,x\""),
                (15, "\"doi\" is not a valid doi: \"javascript:alert(1)\""),
            ]
        );
        assert!(sources.values().all(|source| source.link().is_none_or(|link| link.starts_with("https://"))));
        assert_eq!(sources["e"].doi, "10.1002/lrh2.10412");
        assert_eq!(sources["e"].link().as_deref(), Some("https://doi.org/10.1002/lrh2.10412"));
    }
}
