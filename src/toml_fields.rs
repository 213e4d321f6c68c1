//! Reading TOML with positions: every key and value keeps its span, so a problem can be
//! reported at the line and column of the user's own file, and all problems in a table are
//! reported together rather than stopping at the first (as `deny_unknown_fields` would).

use crate::diagnostic::{
    Diagnostic, LineIndex, Position, did_you_mean, escape_controls, forbidden_character, suggestion_help,
};
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

pub type Table<'i> = DeTable<'i>;
pub type Value<'i> = Spanned<DeValue<'i>>;

/// One TOML text inside a file: the file's path and whole text (indexed by line once), and
/// where the TOML starts.
pub struct TomlSource<'a> {
    pub file: &'a str,
    pub lines: LineIndex<'a>,
    pub base: usize,
}

impl<'a> TomlSource<'a> {
    pub fn new(file: &'a str, text: &'a str, base: usize) -> Self {
        TomlSource { file, lines: LineIndex::new(text), base }
    }

    pub fn position(&self, span: &Range<usize>) -> Position {
        self.lines.position(self.base + span.start)
    }

    pub fn error(&self, span: &Range<usize>, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(self.file, self.position(span), message)
    }

    pub fn warning(&self, span: &Range<usize>, message: impl Into<String>) -> Diagnostic {
        Diagnostic::warning(self.file, self.position(span), message)
    }

    /// Parses `toml` (a slice of the file starting at `base`) into a spanned table.
    pub fn parse<'i>(&self, toml: &'i str) -> Result<Spanned<Table<'i>>, Diagnostic> {
        DeTable::parse(toml).map_err(|error| {
            let span = error.span().unwrap_or(0..0);
            let message = error.message().trim().trim_end_matches('.').to_string();
            self.error(&span, format!("invalid TOML: {message}")).maybe_help(toml_syntax_help(&message))
        })
    }
}

fn toml_syntax_help(message: &str) -> Option<String> {
    let help = if message.contains("duplicate") {
        "each key may appear only once in a table: delete one of the two, or merge their values"
    } else if message.contains("date") || message.contains("day") || message.contains("month") {
        "dates are written YYYY-MM-DD without quotes, and must exist, e.g. updated = 2024-03-05"
    } else if message.contains("string") || message.contains("key") {
        "text values need double quotes, e.g. title = \"Knowledge broker\"; lists look like [\"a\", \"b\"]"
    } else {
        return None;
    };
    Some(help.to_string())
}

/// Reports each key of `table` not in `allowed`, with a did-you-mean; returns the allowed
/// keys that unknown ones look like misspellings of (so that a caller need not also report
/// them missing).
pub fn check_keys<'k>(
    source: &TomlSource,
    table: &Table,
    allowed: &[&'k str],
    what: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<&'k str> {
    let mut misspelled = Vec::new();
    for (key, _) in table.iter() {
        if !allowed.contains(&key.get_ref().as_ref()) {
            diagnostics.push(
                source
                    .error(&key.span(), format!("unknown {what} \"{}\"", key.get_ref()))
                    .maybe_help(suggestion_help(key.get_ref(), &format!("{what}s"), allowed)),
            );
            misspelled.extend(did_you_mean(key.get_ref(), allowed.iter().copied()));
        }
    }
    misspelled
}

pub fn key_span(table: &Table, key: &str) -> Option<Range<usize>> {
    table.get_key_value(key).map(|(k, _)| k.span())
}

fn type_error(source: &TomlSource, key: &str, value: &Value, expected: &str) -> Diagnostic {
    source.error(&value.span(), format!("\"{key}\" must be {expected}, found {}", value.get_ref().type_str()))
}

/// Reads an optional string field.
pub fn string(
    source: &TomlSource,
    table: &Table,
    key: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Spanned<String>> {
    let value = table.get(key)?;
    match value.get_ref().as_str() {
        Some(text) => {
            if let Some(problem) = forbidden_in(source, key, value, text) {
                diagnostics.push(problem);
                return None;
            }
            Some(Spanned::new(value.span(), text.to_string()))
        }
        None => {
            diagnostics.push(
                type_error(source, key, value, "text")
                    .with_help(format!("put the text in double quotes: {key} = \"…\"")),
            );
            None
        }
    }
}

/// A text value holding a character that XML forbids and HTML reports as an error (an
/// invisible control character, or a noncharacter such as U+FFFE), reported by field: it
/// would make the feed malformed and cannot be seen to be deleted.
fn forbidden_in(source: &TomlSource, key: &str, value: &Value, text: &str) -> Option<Diagnostic> {
    let (_, character) = forbidden_character(text)?;
    let code = escape_controls(&character.to_string()).into_owned();
    Some(source.error(&value.span(), format!("\"{key}\" contains the invisible character {code}")).with_help(
        "delete it (it is often pasted from another program along with text); write line breaks as \\n",
    ))
}

/// Reads a string field that must be present and not blank; `anchor` is where to report
/// a missing field.
pub fn required_string(
    source: &TomlSource,
    table: &Table,
    key: &str,
    anchor: &Range<usize>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Spanned<String>> {
    if !table.contains_key(key) {
        diagnostics.push(
            source
                .error(anchor, format!("missing required field \"{key}\""))
                .with_help(format!("add a line such as {key} = \"…\"")),
        );
        return None;
    }
    let value = string(source, table, key, diagnostics)?;
    if value.get_ref().trim().is_empty() {
        diagnostics.push(source.error(&value.span(), format!("\"{key}\" is empty")));
        return None;
    }
    Some(value)
}

/// Reads an optional list of strings; a lone string is reported with a fix.
pub fn string_list(
    source: &TomlSource,
    table: &Table,
    key: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Vec<Spanned<String>>> {
    let value = table.get(key)?;
    let Some(array) = value.get_ref().as_array() else {
        let help = match value.get_ref().as_str() {
            Some(text) => format!("write a list: {key} = [\"{text}\"]"),
            None => format!("write a list of quoted ids: {key} = [\"…\", \"…\"]"),
        };
        diagnostics.push(type_error(source, key, value, "a list").with_help(help));
        return None;
    };
    let mut items = Vec::with_capacity(array.len());
    for item in array.iter() {
        match item.get_ref().as_str() {
            Some(text) => match forbidden_in(source, key, item, text) {
                Some(problem) => diagnostics.push(problem),
                None => items.push(Spanned::new(item.span(), text.to_string())),
            },
            None => diagnostics.push(
                source
                    .error(
                        &item.span(),
                        format!("items of \"{key}\" must be text, found {}", item.get_ref().type_str()),
                    )
                    .with_help("put each item in double quotes"),
            ),
        }
    }
    Some(items)
}

pub fn integer(
    source: &TomlSource,
    table: &Table,
    key: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Spanned<i64>> {
    let value = table.get(key)?;
    let Some(integer) = value.get_ref().as_integer() else {
        diagnostics.push(type_error(source, key, value, "a whole number"));
        return None;
    };
    match i64::from_str_radix(integer.as_str(), integer.radix()) {
        Ok(number) => Some(Spanned::new(value.span(), number)),
        Err(_) => {
            diagnostics.push(
                source.error(&value.span(), format!("\"{key}\" is too large a number")).with_help(format!(
                    "whole numbers go from {} to {}",
                    i64::MIN,
                    i64::MAX
                )),
            );
            None
        }
    }
}

pub fn boolean(
    source: &TomlSource,
    table: &Table,
    key: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<bool> {
    let value = table.get(key)?;
    match value.get_ref().as_bool() {
        Some(flag) => Some(flag),
        None => {
            diagnostics.push(
                type_error(source, key, value, "true or false")
                    .with_help(format!("write {key} = true or {key} = false, without quotes")),
            );
            None
        }
    }
}

/// A calendar date, as TOML writes it (`2024-03-05`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Date {
    /// Today's date in UTC, from the system clock.
    pub fn today() -> Date {
        let seconds = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs());
        Date::from_days((seconds / 86_400) as i64)
    }

    /// The date `days` after 1970-01-01 (Howard Hinnant's civil-from-days algorithm).
    pub fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let day_of_era = z.rem_euclid(146_097);
        let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let mp = (5 * day_of_year + 2) / 153;
        let day = (day_of_year - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (year_of_era + era * 400 + i64::from(month <= 2)) as u16;
        Date { year, month, day }
    }
}

pub fn date(
    source: &TomlSource,
    table: &Table,
    key: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Spanned<Date>> {
    let value = table.get(key)?;
    let help = format!("write a date without quotes, e.g. {key} = 2024-03-05");
    match value.get_ref().as_datetime() {
        Some(datetime) => match (datetime.date, datetime.time) {
            (Some(date), None) => {
                Some(Spanned::new(value.span(), Date { year: date.year, month: date.month, day: date.day }))
            }
            _ => {
                diagnostics.push(
                    source
                        .error(&value.span(), format!("\"{key}\" must be a date without a time"))
                        .with_help(help),
                );
                None
            }
        },
        None => {
            diagnostics.push(type_error(source, key, value, "a date").with_help(help));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_become_dates() {
        let cases = [(0, "1970-01-01"), (59, "1970-03-01"), (19_787, "2024-03-05"), (11_016, "2000-02-29")];
        for (days, expected) in cases {
            assert_eq!(Date::from_days(days).to_string(), expected);
        }
    }

    #[test]
    fn all_unknown_keys_are_reported_with_positions() {
        let text = "+++\ntitel = \"x\"\nstage = []\n";
        let source = TomlSource::new("a.md", text, 4);
        let table = source.parse(&text[4..]).unwrap();
        let mut diagnostics = Vec::new();
        check_keys(&source, table.get_ref(), &["title", "stages"], "field", &mut diagnostics);
        let found: Vec<String> = diagnostics.iter().map(|d| d.to_string()).collect();
        assert_eq!(found.len(), 2);
        assert!(found[0].starts_with("a.md:3:1: error: unknown field \"stage\""), "{found:?}");
        assert!(found[1].starts_with("a.md:2:1: error: unknown field \"titel\""));
        assert!(found[1].contains("did you mean \"title\"?"));
    }

    #[test]
    fn numbers_too_large_and_duplicate_keys_get_words_that_fit() {
        let text = "weight = 9223372036854775808\n";
        let source = TomlSource::new("a.toml", text, 0);
        let table = source.parse(text).unwrap();
        let mut diagnostics = Vec::new();
        assert_eq!(integer(&source, table.get_ref(), "weight", &mut diagnostics), None);
        assert_eq!(diagnostics[0].message, "\"weight\" is too large a number");

        let text = "title = \"a\"\ntitle = \"b\"\n";
        let error = TomlSource::new("a.toml", text, 0).parse(text).unwrap_err();
        assert_eq!(error.line, 2, "{error}");
        assert!(error.help.as_deref().is_some_and(|help| help.contains("only once")), "{error}");
    }

    #[test]
    fn control_characters_in_text_are_errors_naming_the_field() {
        let text = "title = \"a\\u0001b\"\nstages = [\"x\\uFFFE\"]\nsummary = \"tab\\tok\"\n";
        let source = TomlSource::new("a.toml", text, 0);
        let table = source.parse(text).unwrap();
        let mut diagnostics = Vec::new();
        assert_eq!(string(&source, table.get_ref(), "title", &mut diagnostics), None);
        assert_eq!(string_list(&source, table.get_ref(), "stages", &mut diagnostics), Some(Vec::new()));
        assert!(string(&source, table.get_ref(), "summary", &mut diagnostics).is_some());
        let messages: Vec<&str> = diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "\"title\" contains the invisible character \\u{0001}",
                "\"stages\" contains the invisible character \\u{FFFE}"
            ]
        );
    }

    #[test]
    fn impossible_dates_are_syntax_errors_at_their_position() {
        let text = "updated = 2024-02-30\n";
        let source = TomlSource::new("a.toml", text, 0);
        let error = source.parse(text).unwrap_err();
        assert_eq!((error.line, error.column), (1, 11), "{error}");
    }
}
