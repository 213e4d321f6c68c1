//! Finding the theme: its templates (compiled once into a Tera instance, with the
//! catalog's `templates/` overriding by name), its static files, and the interface strings
//! of the catalog's language (`i18n`), which its filters and every template use.

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Position};
use crate::error::Error;
use crate::walk::{self, Walker};
use std::collections::BTreeMap;
use std::path::Path;
use tera::Tera;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/default_theme.rs"));
}

/// The templates every theme must provide (docs/themes.md).
pub const REQUIRED: &[&str] = &[
    "card.html",
    "index.html",
    "stage.html",
    "taxonomy.html",
    "term.html",
    "kind.html",
    "entry.html",
    "page.html",
    "landscape.html",
    "sources.html",
    "search.html",
    "404.html",
];

/// The redirect page of an alias; optional in a theme (the built-in one is used without it).
pub const ALIAS: &str = "alias.html";

/// The print edition's pages; optional in a theme, as `ALIAS` is.
pub const PRINT: &str = "print.html";

pub struct Theme {
    pub tera: Tera,
    /// Where each template came from, relative to the catalog root (for diagnostics).
    pub origins: BTreeMap<String, String>,
    /// Static files, by output path.
    pub statics: BTreeMap<String, StaticFile>,
    /// The interface strings of the catalog's language (`t` in templates).
    pub strings: crate::i18n::Strings,
    /// Those of the other languages the site is published in, by code (see `localized`).
    pub others: BTreeMap<String, crate::i18n::Strings>,
    /// Each language's name in itself (its `language_name`), by code, for the switcher.
    pub language_names: BTreeMap<String, String>,
    /// The key of its templates (`keys::templates`), none if a page must always be rendered.
    pub templates_key: Option<u128>,
}

impl Theme {
    /// The theme as the pages in another language `code` use it: the same templates, with
    /// that language's strings (and the filters that format dates, counts and lists in
    /// it). Its static files are the site's, written once, so it has none of its own.
    pub fn localized(&self, code: &str) -> Option<Theme> {
        let strings = self.others.get(code)?.clone();
        let mut tera = self.tera.clone();
        crate::i18n::register_filters(&mut tera, &strings);
        let origins = self.origins.clone();
        let language_names = self.language_names.clone();
        Some(Theme {
            tera,
            origins,
            statics: BTreeMap::new(),
            strings,
            others: BTreeMap::new(),
            language_names,
            templates_key: self.templates_key,
        })
    }
}

/// A file copied into the site as it is.
pub struct StaticFile {
    pub bytes: Vec<u8>,
    /// Where it came from, relative to the catalog root (for diagnostics).
    pub origin: String,
}

/// A file of a theme: its path inside the theme folder and its bytes.
type ThemeFiles = Vec<(String, Vec<u8>)>;

/// The files under `dir` that a theme or the catalog publishes or reads (no hidden files or
/// folders but `.well-known/`, no backups), with links followed only inside the catalog.
fn read_tree(walker: &Walker, dir: &Path, diagnostics: &mut Vec<Diagnostic>) -> Result<ThemeFiles, Error> {
    let mut files = Vec::new();
    for file in walker.files(dir, walk::published_name, diagnostics)? {
        let bytes = std::fs::read(&file.path).map_err(|source| Error::io(&file.path, source))?;
        files.push((file.parts.join("/"), bytes));
    }
    Ok(files)
}

/// Gives a theme written before aliases or the print edition existed the built-in
/// `alias.html` and `print.html`, and reports each template the theme lacks.
fn complete_templates(
    templates: &mut BTreeMap<String, (String, String)>,
    theme_label: &str,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let missing: Vec<&str> =
        [ALIAS, PRINT].into_iter().filter(|name| !templates.contains_key(*name)).collect();
    for optional in missing {
        let built_in = embedded::FILES.iter().find(|(path, _)| *path == format!("templates/{optional}"));
        if let Some(text) = built_in.and_then(|(_, bytes)| std::str::from_utf8(bytes).ok()) {
            let origin = format!("(built-in) templates/{optional}");
            templates.insert(optional.to_string(), (text.to_string(), origin));
        }
    }
    for required in REQUIRED {
        if !templates.contains_key(*required) {
            diagnostics.push(
                Diagnostic::error(
                    theme_label,
                    Position::START,
                    format!("the theme has no template \"{required}\""),
                )
                .with_help(format!("add templates/{required} (see docs/themes.md)")),
            );
        }
    }
}

/// Loads the theme named in `config`; template problems become diagnostics.
pub fn load(root: &Path, config: &Config, diagnostics: &mut Vec<Diagnostic>) -> Result<Option<Theme>, Error> {
    let walker = Walker::new(root)?;
    let theme_dir = root.join("themes").join(&config.theme);
    let theme_label = format!("themes/{}", config.theme);
    let files: ThemeFiles = if walker.kind(&theme_dir, diagnostics) == Some(walk::Kind::Folder) {
        read_tree(&walker, &theme_dir, diagnostics)?
    } else if config.theme == "default" {
        embedded::FILES.iter().map(|(path, bytes)| (path.to_string(), bytes.to_vec())).collect()
    } else {
        diagnostics.push(
            Diagnostic::error(
                crate::config::FILE,
                Position::START,
                format!("theme \"{}\" not found", config.theme),
            )
            .with_help(format!("create {theme_label}/templates/, or use theme = \"default\"")),
        );
        return Ok(None);
    };

    let mut templates: BTreeMap<String, (String, String)> = BTreeMap::new();
    let mut statics = BTreeMap::new();
    let mut add_template = |name: &str, bytes: Vec<u8>, origin: String, diagnostics: &mut Vec<Diagnostic>| {
        match String::from_utf8(bytes) {
            Ok(text) => {
                templates.insert(name.to_string(), (text, origin));
            }
            Err(_) => diagnostics.push(Diagnostic::error(
                &origin,
                Position::START,
                "the template is not valid UTF-8 text",
            )),
        }
    };
    for (path, bytes) in files {
        if let Some(name) = path.strip_prefix("templates/") {
            add_template(name, bytes, format!("{theme_label}/{path}"), diagnostics);
        } else if let Some(name) = path.strip_prefix("static/") {
            statics.insert(name.to_string(), StaticFile { bytes, origin: format!("{theme_label}/{path}") });
        }
    }
    for (name, bytes) in read_tree(&walker, &root.join("templates"), diagnostics)? {
        add_template(&name, bytes, format!("templates/{name}"), diagnostics);
    }
    for (name, bytes) in read_tree(&walker, &root.join("static"), diagnostics)? {
        statics.insert(name.clone(), StaticFile { bytes, origin: format!("static/{name}") });
    }

    complete_templates(&mut templates, &theme_label, diagnostics);
    let mut loaded = BTreeMap::new();
    for language in &config.languages {
        if let Some(strings) = crate::i18n::load(root, &language.code, diagnostics)? {
            loaded.insert(language.code.clone(), strings);
        }
    }
    let Some(strings) = loaded.remove(&config.language) else {
        return Ok(None);
    };
    if loaded.len() + 1 < config.languages.len() {
        return Ok(None);
    }
    let others = loaded;
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".xml", ".svg"]);
    // Tera's default also escapes `/`, which bloats every URL; these five are enough.
    tera.set_escape_fn(super::views::escape);
    crate::i18n::register_filters(&mut tera, &strings);
    let origins: BTreeMap<String, String> =
        templates.iter().map(|(name, (_, origin))| (name.clone(), origin.clone())).collect();
    let sources: Vec<(String, String)> =
        templates.into_iter().map(|(name, (text, _))| (name, text)).collect();
    let templates_key = super::keys::templates(&sources);
    if let Err(error) = tera.add_raw_templates(sources) {
        diagnostics.push(template_diagnostic(&error, &origins));
        return Ok(None);
    }
    let language_names = std::iter::once(&strings)
        .chain(others.values())
        .map(|strings| (strings.language.clone(), strings.text("language_name").to_string()))
        .collect();
    Ok(Some(Theme { tera, origins, statics, strings, others, language_names, templates_key }))
}

/// Turns a Tera error (and its causes) into a diagnostic on the template's file.
pub fn template_diagnostic(error: &tera::Error, origins: &BTreeMap<String, String>) -> Diagnostic {
    let mut message = error.to_string();
    let mut cause = std::error::Error::source(error);
    while let Some(inner) = cause {
        message.push_str(": ");
        message.push_str(&inner.to_string());
        cause = inner.source();
    }
    let template = origins.keys().find(|name| message.contains(&format!("'{name}'")));
    let file =
        template.and_then(|name| origins.get(name)).cloned().unwrap_or_else(|| "templates".to_string());
    let position = line_in_message(&message).unwrap_or(Position::START);
    let message = message.split_whitespace().collect::<Vec<_>>().join(" ");
    Diagnostic::error(&file, position, format!("template error: {message}"))
        .with_help("see docs/themes.md for the variables each template receives")
}

/// Tera's parse errors point at `--> line:column`.
fn line_in_message(message: &str) -> Option<Position> {
    let after = message.split("--> ").nth(1)?;
    let mut numbers = after.split(|c: char| !c.is_ascii_digit()).filter(|part| !part.is_empty());
    let line = numbers.next()?.parse().ok()?;
    let column = numbers.next()?.parse().ok()?;
    Some(Position { line, column })
}
