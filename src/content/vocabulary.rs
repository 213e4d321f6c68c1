//! Reading an entry's vocabulary fields: its stages, its terms in each taxonomy and its
//! sources, each checked against catalog.toml or sources.toml at the line it is written.

use super::Source;
use super::aliases::{self, Alias};
use crate::config::Config;
use crate::diagnostic::{Diagnostic, suggestion_help};
use crate::toml_fields::{self as fields, Table, TomlSource};
use std::collections::BTreeMap;
use toml::Spanned;

pub(super) fn read_stages(
    source: &TomlSource,
    table: &Table,
    config: &Config,
    misspelled: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<usize> {
    let ids: Vec<&str> = config.stages.iter().map(|stage| stage.id.as_str()).collect();
    let Some(values) = fields::string_list(source, table, "stages", diagnostics) else {
        if !table.contains_key("stages") && !misspelled {
            diagnostics.push(source.error(&(0..0), "missing required field \"stages\"").with_help(format!(
                "add e.g. stages = [\"{}\"]; valid stages: {}",
                ids[0],
                ids.join(", ")
            )));
        }
        return Vec::new();
    };
    if values.is_empty() {
        let span = table.get("stages").map_or(0..0, |value| value.span());
        diagnostics.push(
            source
                .error(&span, "\"stages\" must name at least one stage")
                .with_help(format!("valid stages: {}", ids.join(", "))),
        );
    }
    resolve_ids(source, &values, &ids, "stage", diagnostics)
}

pub(super) fn read_terms(
    source: &TomlSource,
    table: &Table,
    config: &Config,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Vec<usize>> {
    config
        .taxonomies
        .iter()
        .map(|taxonomy| {
            let values = fields::string_list(source, table, &taxonomy.id, diagnostics).unwrap_or_default();
            let ids: Vec<&str> = taxonomy.terms.iter().map(|term| term.id.as_str()).collect();
            let what = format!("{} term", taxonomy.name.to_lowercase());
            resolve_ids(source, &values, &ids, &what, diagnostics)
        })
        .collect()
}

/// Maps written ids to indices into `valid`, reporting unknown ids and repeats.
fn resolve_ids(
    source: &TomlSource,
    values: &[Spanned<String>],
    valid: &[&str],
    what: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<usize> {
    let mut indices = Vec::with_capacity(values.len());
    for value in values {
        match valid.iter().position(|id| id == value.get_ref()) {
            Some(index) if indices.contains(&index) => {
                diagnostics.push(
                    source.warning(&value.span(), format!("{what} \"{}\" is listed twice", value.get_ref())),
                );
            }
            Some(index) => indices.push(index),
            None => diagnostics.push(
                source
                    .error(&value.span(), format!("unknown {what} \"{}\"", value.get_ref()))
                    .maybe_help(suggestion_help(value.get_ref(), &format!("{what}s"), valid)),
            ),
        }
    }
    indices
}

/// Reads `aliases`, each checked to be a plain path inside the site (`aliases`).
pub(super) fn read_aliases(
    source: &TomlSource,
    table: &Table,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Alias> {
    let values = fields::string_list(source, table, "aliases", diagnostics).unwrap_or_default();
    let mut found = Vec::with_capacity(values.len());
    for value in values {
        match aliases::normalize(value.get_ref()) {
            Ok(path) => found.push(Alias { path, position: source.position(&value.span()) }),
            Err(why) => diagnostics.push(
                source
                    .error(&value.span(), format!("alias \"{}\" cannot be used: {why}", value.get_ref()))
                    .with_help("write an old address of this entry as \"<kind-dir>/<old-slug>\" or a path such as \"/old/place/\""),
            ),
        }
    }
    found
}

pub(super) fn read_sources(
    source: &TomlSource,
    table: &Table,
    sources: Option<&BTreeMap<String, Source>>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let values = fields::string_list(source, table, "sources", diagnostics).unwrap_or_default();
    let mut keys = Vec::with_capacity(values.len());
    for value in values {
        let key = value.get_ref();
        match sources {
            None => diagnostics.push(
                source
                    .error(&value.span(), format!("unknown source \"{key}\": there is no sources.toml"))
                    .with_help(format!(
                        "create sources.toml with a [{key}] section (title, authors, year, doi)"
                    )),
            ),
            Some(sources) if !sources.contains_key(key) => {
                let keys: Vec<&str> = sources.keys().map(String::as_str).collect();
                diagnostics.push(
                    source
                        .error(&value.span(), format!("unknown source \"{key}\""))
                        .maybe_help(suggestion_help(key, "sources", &keys)),
                );
            }
            Some(_) if keys.contains(key) => {}
            Some(_) => keys.push(key.clone()),
        }
    }
    keys
}
