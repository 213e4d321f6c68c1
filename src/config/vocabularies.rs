//! The catalog's vocabularies: `[[stages]]`, `[kinds.*]` and `[taxonomies.*]`, each id
//! checked, and kinds' folders and taxonomies' ids kept from clashing.

use super::languages::{read_names, warn_untranslated_name};
use super::{Kind, Stage, Taxonomy, Term};
use crate::diagnostic::Diagnostic;
use crate::slug::is_valid_slug;
use crate::toml_fields::{self as fields, Table, TomlSource, Value};
use toml::Spanned;

/// Folder names a kind or taxonomy may not take, because the site uses them.
pub const RESERVED: &[&str] = &["pages", "stages", "landscape", "sources", "search", "static", "page"];

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
pub(super) fn named_tables<'t, 'i>(
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

/// `keys` followed by the language codes an item may give names in.
fn with_codes<'k>(keys: &[&'k str], codes: &'k [String]) -> Vec<&'k str> {
    keys.iter().copied().chain(codes.iter().map(String::as_str)).collect()
}

pub(super) fn load_stages(
    source: &TomlSource,
    table: &Table,
    codes: &[String],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Stage> {
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
            &with_codes(&["id", "name", "summary", "cross_cutting"], codes),
            "stage key",
            diagnostics,
        );
        let id = fields::required_string(source, item, "id", span, diagnostics);
        let name = fields::required_string(source, item, "name", span, diagnostics);
        let summary = fields::string(source, item, "summary", diagnostics);
        let cross_cutting = fields::boolean(source, item, "cross_cutting", diagnostics).unwrap_or(false);
        if let (Some(id), Some(name)) = (id, name) {
            check_id(source, &id, "stage", diagnostics);
            let what = format!("stage \"{}\"", id.get_ref());
            let translations = read_names(source, item, codes, &["name", "summary"], &what, diagnostics);
            warn_untranslated_name(source, &id.span(), &translations, codes, &what, diagnostics);
            stages.push(Stage {
                id: id.get_ref().clone(),
                name: name.into_inner(),
                summary: summary.map(Spanned::into_inner).unwrap_or_default(),
                cross_cutting,
                translations,
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

pub(super) fn load_kinds(
    source: &TomlSource,
    table: &Table,
    codes: &[String],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Kind> {
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
        fields::check_keys(
            source,
            item,
            &with_codes(&["name", "plural", "dir"], codes),
            "kind key",
            diagnostics,
        );
        let what = format!("kind \"{}\"", id.get_ref());
        let translations = read_names(source, item, codes, &["name", "plural"], &what, diagnostics);
        warn_untranslated_name(source, &id.span(), &translations, codes, &what, diagnostics);
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
                translations,
            });
        }
        dirs.push(dir);
    }
    kinds
}

pub(super) fn load_taxonomies(
    source: &TomlSource,
    table: &Table,
    codes: &[String],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Taxonomy> {
    let Some(value) = table.get("taxonomies") else {
        return Vec::new();
    };
    let mut taxonomies = Vec::new();
    for (id, item) in named_tables(source, "taxonomies", value, diagnostics) {
        check_id(source, &id, "taxonomy", diagnostics);
        fields::check_keys(source, item, &with_codes(&["name", "terms"], codes), "taxonomy key", diagnostics);
        let what = format!("taxonomy \"{}\"", id.get_ref());
        let translations = read_names(source, item, codes, &["name"], &what, diagnostics);
        warn_untranslated_name(source, &id.span(), &translations, codes, &what, diagnostics);
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
                    fields::check_keys(
                        source,
                        term,
                        &with_codes(&["id", "name"], codes),
                        "term key",
                        diagnostics,
                    );
                    let term_id = fields::required_string(source, term, "id", &span, diagnostics)?;
                    let term_name = fields::required_string(source, term, "name", &span, diagnostics)?;
                    check_id(source, &term_id, "term", diagnostics);
                    let what = format!("term \"{}\"", term_id.get_ref());
                    let translations = read_names(source, term, codes, &["name"], &what, diagnostics);
                    warn_untranslated_name(source, &term_id.span(), &translations, codes, &what, diagnostics);
                    let (id, name) = (term_id.get_ref().clone(), term_name.into_inner());
                    terms.push(Term { id, name, translations });
                    Some(term_id)
                })
                .collect(),
        };
        for term_id in &term_ids {
            check_unique(source, &mut seen, term_id, "term", diagnostics);
        }
        if let Some(name) = name {
            taxonomies.push(Taxonomy { id: id.into_inner(), name: name.into_inner(), terms, translations });
        }
    }
    taxonomies
}

/// Kinds' folders and taxonomies' ids become top-level URLs and front-matter fields, so they
/// must not clash with each other, with the site's own folders, or with entry fields.
pub(super) fn check_names_do_not_clash(
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
        if RESERVED.contains(&taxonomy.id.as_str()) || super::ENTRY_FIELDS.contains(&taxonomy.id.as_str()) {
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

/// Another language's pages live in a folder named by its code (`fr/`), so the code may not
/// be a kind's folder, a taxonomy's id or one of the site's own folders.
pub(super) fn check_languages_do_not_clash(
    source: &TomlSource,
    codes: &[&Spanned<String>],
    kinds: &[Kind],
    taxonomies: &[Taxonomy],
    diagnostics: &mut Vec<Diagnostic>,
) {
    for code in codes {
        let code_text = code.get_ref().as_str();
        let clash = if RESERVED.contains(&code_text) {
            Some("one of the site's own folders".to_string())
        } else if let Some(kind) = kinds.iter().find(|kind| kind.dir == code_text) {
            Some(format!("the folder of kind \"{}\"", kind.id))
        } else {
            taxonomies.iter().any(|taxonomy| taxonomy.id == code_text).then(|| "a taxonomy's id".to_string())
        };
        if let Some(clash) = clash {
            diagnostics.push(
                source
                    .error(&code.span(), format!("language \"{code_text}\" would publish into {clash}"))
                    .with_help(format!(
                        "its pages go under /{code_text}/; rename the kind's folder or the taxonomy"
                    )),
            );
        }
    }
}
