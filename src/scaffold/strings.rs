//! `copcat new --strings <code>`: a start for a catalog's `i18n/<code>.toml` (spec §9).
//! For a language copcat does not ship, the English table whole, to translate: every key is
//! there, so the file passes `copcat check` as written and is translated line by line. For
//! one it ships, that language's table with every string commented out, to uncomment those
//! the catalog words its own way; the others stay copcat's.

use super::create_new;
use crate::config::{self, is_language_tag};
use crate::error::Error;
use crate::i18n::{self, PluralRule};
use std::path::{Path, PathBuf};

/// Creates `i18n/<language>.toml` in the catalog at `root`, and returns its path.
pub fn new_strings(root: &Path, language: &str) -> Result<PathBuf, Error> {
    if !root.join(config::FILE).is_file() {
        return Err(Error::NoCatalog(root.to_path_buf()));
    }
    if !is_language_tag(language) {
        return Err(Error::Usage(format!(
            "{language:?} is not a language code; use one such as es, pt-BR or zh-Hant (ISO 639-1, or a BCP 47 tag)"
        )));
    }
    let folder = root.join(i18n::FOLDER);
    let primary = i18n::primary(language);
    let primary_table = folder.join(format!("{primary}.toml"));
    if primary != language && primary_table.is_file() {
        return Err(Error::Usage(format!(
            "{} already holds the strings of \"{primary}\", which \"{language}\" uses; change that \
             file instead (a {language}.toml beside it would take its place for \"{language}\")",
            primary_table.display()
        )));
    }
    let text = match i18n::shipped_source(language) {
        Some((name, table)) => overrides(language, name, table),
        None => to_translate(language, i18n::english_source()),
    };
    let path = folder.join(format!("{language}.toml"));
    create_new(&path, &text)?;
    Ok(path)
}

/// The English table under a heading that says how to translate it.
fn to_translate(language: &str, english: &str) -> String {
    let counts = match PluralRule::of(language) {
        PluralRule::OneIsSingular => "a count's `one` is for 1, `other` for any other number".to_string(),
        PluralRule::ZeroAndOneAreSingular => {
            "in this language a count's `one` is for 0 and 1, `other` for any other number".to_string()
        }
        PluralRule::NoPlural => {
            "this language has no plural, so every number takes a count's `other`\n# (give `one` the same text)"
                .to_string()
        }
    };
    format!(
        "# Interface strings in \"{language}\", started by `copcat new --strings {language}` from\n\
         # copcat's English table. Translate every value, keeping the keys and each {{name}} as\n\
         # they are (copcat fills those in); `language_name` is the language's name in itself.\n\
         # Counts: {counts}.\n\
         # `copcat check` names any string missing or of the wrong shape.\n\n{}",
        body(english)
    )
}

/// Language `name`'s table with every string commented out, under a heading that says how
/// to override one.
fn overrides(language: &str, name: &str, table: &str) -> String {
    let mut text = format!(
        "# copcat's \"{name}\" interface strings, which this catalog may word its own way, started by\n\
         # `copcat new --strings {language}`. Each is here as copcat has it, commented out: uncomment\n\
         # those to change (the whole of a list), keep each {{name}} as it is, and write your own\n\
         # text. The others stay copcat's, and change with copcat's.\n\n"
    );
    for line in body(table).lines() {
        let keep = line.trim().is_empty() || line.starts_with('#') || line.starts_with('[');
        if !keep {
            text.push_str("# ");
        }
        text.push_str(line);
        text.push('\n');
    }
    text
}

/// A shipped table without its opening comment (which speaks of copcat's own file).
fn body(table: &str) -> &str {
    let mut rest = table;
    while rest.starts_with('#') {
        rest = rest.split_once('\n').map_or("", |(_, after)| after);
    }
    rest.trim_start_matches('\n')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_language_gets_the_english_table_whole_under_its_own_heading() {
        let text = to_translate("es", i18n::english_source());
        assert!(text.starts_with("# Interface strings in \"es\""), "{text}");
        assert!(text.contains("`one` is for 1"), "{text}");
        assert!(!text.contains("copcat's interface strings in English"), "{text}");
        assert!(text.contains("\nlanguage_name = \"English\"\n"), "{text}");
        assert!(text.contains("\n[client]\n"), "{text}");
        assert!(to_translate("ja", i18n::english_source()).contains("has no plural"));
        assert!(to_translate("pt-BR", i18n::english_source()).contains("for 0 and 1"));
    }

    #[test]
    fn a_shipped_language_gets_its_own_table_commented_out() {
        let (name, table) = i18n::shipped_source("fr-CA").unwrap();
        assert_eq!(name, "fr");
        let text = overrides("fr-CA", name, table);
        assert!(text.contains("\n# language_name = \"Français\"\n"), "{text}");
        assert!(text.contains("\n[client]\n"), "{text}");
        let strings: Vec<&str> =
            text.lines().filter(|line| !line.trim().is_empty() && !line.starts_with('#')).collect();
        assert_eq!(strings, ["[client]"]);
        let parsed: toml::Table = text.parse().unwrap();
        assert_eq!(parsed.len(), 1);
    }
}
