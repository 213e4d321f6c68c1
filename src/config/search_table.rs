//! `[search]` in catalog.toml: what the catalog tells its search (spec §2). Kept apart from
//! `config/mod.rs`, which calls `load` once and keeps the result as `Config::search`.
//!
//! ```toml
//! [search]
//! synonyms = [["funding", "budget", "resourcing"], ["CoP", "community of practice"]]
//! ```
//!
//! Each group lists words or phrases that mean the same to a reader: a query for any of
//! them also finds the others (`search.js` expands them at query time).

use crate::diagnostic::Diagnostic;
use crate::toml_fields::{self as fields, Table, TomlSource};

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct SearchConfig {
    /// Groups of two or more words or phrases, as written.
    pub synonyms: Vec<Vec<String>>,
}

/// Reads `[search]` from the top-level table, reporting every problem.
pub fn load(source: &TomlSource, table: &Table, diagnostics: &mut Vec<Diagnostic>) -> SearchConfig {
    let mut search = SearchConfig::default();
    let Some(value) = table.get("search") else {
        return search;
    };
    let Some(section) = value.get_ref().as_table() else {
        diagnostics.push(
            source
                .error(&value.span(), "\"search\" must be a table")
                .with_help("write it as a [search] section"),
        );
        return search;
    };
    fields::check_keys(source, section, &["synonyms"], "search key", diagnostics);
    let Some(groups) = section.get("synonyms") else {
        return search;
    };
    let Some(array) = groups.get_ref().as_array() else {
        diagnostics.push(
            source.error(&groups.span(), "\"synonyms\" must be a list of lists").with_help(
                "write synonyms = [[\"funding\", \"budget\"], [\"CoP\", \"community of practice\"]]",
            ),
        );
        return search;
    };
    for group in array.iter() {
        let Some(items) = group.get_ref().as_array() else {
            diagnostics.push(
                source
                    .error(&group.span(), "each group of \"synonyms\" must be a list")
                    .with_help("write the group as [\"funding\", \"budget\"]"),
            );
            continue;
        };
        let mut words = Vec::new();
        for item in items.iter() {
            match item.get_ref().as_str() {
                Some(text) if text.trim().is_empty() => {
                    diagnostics.push(source.error(&item.span(), "a synonym is empty"));
                }
                Some(text) => words.push(text.trim().to_string()),
                None => diagnostics.push(
                    source
                        .error(
                            &item.span(),
                            format!("synonyms must be text, found {}", item.get_ref().type_str()),
                        )
                        .with_help("put each word or phrase in double quotes"),
                ),
            }
        }
        match words.len() {
            0 if items.is_empty() => diagnostics.push(
                source
                    .error(&group.span(), "an empty group of synonyms")
                    .with_help("list two or more words that mean the same, or delete the group"),
            ),
            0 => {}
            1 => diagnostics.push(
                source
                    .warning(&group.span(), format!("a group of synonyms with one word (\"{}\")", words[0]))
                    .with_help("add the words that mean the same, or delete the group"),
            ),
            _ => search.synonyms.push(words),
        }
    }
    search
}
