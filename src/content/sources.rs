//! `sources.toml`: the bibliography (spec §4).

use crate::diagnostic::{Diagnostic, Position};
use crate::error::Error;
use crate::toml_fields::{self as fields, TomlSource};
use std::collections::BTreeMap;
use std::path::Path;
use toml::Spanned;

pub const FILE: &str = "sources.toml";

const FIELDS: &[&str] =
    &["authors", "title", "container", "year", "volume", "issue", "pages", "publisher", "doi", "url", "note"];

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
}

impl Source {
    /// The link a reader follows: the DOI's resolver address, else the URL.
    pub fn link(&self) -> Option<String> {
        if !self.doi.is_empty() {
            Some(format!("https://doi.org/{}", self.doi))
        } else if !self.url.is_empty() {
            Some(self.url.clone())
        } else {
            None
        }
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
            doi: text("doi", diagnostics)
                .trim_start_matches("https://doi.org/")
                .trim_start_matches("doi:")
                .to_string(),
            url: text("url", diagnostics),
            note: text("note", diagnostics),
        };
        if entry.doi.is_empty() && entry.url.is_empty() {
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
