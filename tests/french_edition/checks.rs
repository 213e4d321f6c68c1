//! The checks of tests/french_edition.rs as plain functions from text to problems, so that
//! each can be run on the shipped files and on a small text made to fail it.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;

/// One thing wrong with the French edition, at a line of a file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{}:{}: {}", self.file, self.line, self.message)
    }
}

/// docs/glossary-fr.toml (its header says what each field means).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Glossary {
    #[serde(default)]
    pub english_titles: Vec<String>,
    pub term: Vec<Term>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    pub en: String,
    #[serde(default)]
    pub en_forms: Vec<String>,
    pub fr: String,
    pub forms: Vec<String>,
    #[serde(default)]
    pub avoid: Vec<String>,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub note: Option<String>,
}

impl Term {
    /// `en` and its other forms: what a French file must not say.
    pub fn english(&self) -> impl Iterator<Item = &String> {
        std::iter::once(&self.en).chain(&self.en_forms)
    }
}

/// What the French checks need besides the text: the glossary, and the titles of
/// English-language works that may stand in italics as published.
pub struct Rules {
    pub glossary: Glossary,
    pub english_titles: Vec<String>,
}

/// Text as the matcher reads it: lowercase, ’ for ', and one space for any run of white
/// space (no-break spaces included).
pub fn fold(text: &str) -> Vec<char> {
    let mut folded = Vec::with_capacity(text.len());
    let mut in_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            if !in_space {
                folded.push(' ');
            }
            in_space = true;
            continue;
        }
        in_space = false;
        folded.extend(if c == '\'' { '’' } else { c }.to_lowercase());
    }
    folded
}

/// Whether `phrase` (folded) occurs in `text` (folded) as whole words: not preceded or
/// followed by a letter or digit.
pub fn contains_words(text: &[char], phrase: &[char]) -> bool {
    if phrase.is_empty() || phrase.len() > text.len() {
        return false;
    }
    (0..=text.len() - phrase.len()).any(|start| {
        let end = start + phrase.len();
        text[start..end] == *phrase
            && (start == 0 || !text[start - 1].is_alphanumeric())
            && text.get(end).is_none_or(|c| !c.is_alphanumeric())
    })
}

/// A citation line: a blockquote that carries a DOI, where a source is quoted as it was
/// published (English title and journal included). Nothing else is exempt as a whole line.
pub fn is_citation(line: &str) -> bool {
    let line = line.trim_start();
    let lower = line.to_lowercase();
    line.starts_with('>') && (lower.contains("doi:") || lower.contains("doi.org/"))
}

/// The words of a line that a reader reads as French prose: without link destinations
/// (`](@/roles/a.md)`, where slugs are English), autolinks, bare URLs and code spans, and
/// without the italic titles of English-language works (`*Learning Health Systems*`),
/// which are cited as published. A title is exempt only when it is exactly one of
/// `english_titles` between one pair of `*` or `_`: English words in any other italics are
/// reported like any others.
pub fn prose(line: &str, english_titles: &[String]) -> String {
    let mut text = String::with_capacity(line.len());
    let mut rest = line;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("](") {
            text.push(']');
            rest = skip_destination(after);
        } else if rest.starts_with('`') {
            rest = rest[1..].find('`').map_or("", |end| &rest[end + 2..]);
            text.push(' ');
        } else if rest.starts_with("<http") || rest.starts_with("http://") || rest.starts_with("https://") {
            let end = rest.find(|c: char| c.is_whitespace() || c == '>').map_or(rest.len(), |end| end + 1);
            rest = &rest[end.min(rest.len())..];
            text.push(' ');
        } else {
            let c = rest.chars().next().unwrap_or(' ');
            text.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    for title in english_titles {
        for mark in ["*", "_"] {
            text = text.replace(&format!("{mark}{title}{mark}"), " ");
        }
    }
    text
}

/// What follows a link's `](`: the rest of the line after its destination's closing `)`.
fn skip_destination(after: &str) -> &str {
    let mut depth = 1;
    for (at, c) in after.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return &after[at + 1..];
                }
            }
            _ => {}
        }
    }
    ""
}

/// The problems of one French text (a file, or a name from catalog.toml) whose first line
/// is line `first_line` of `file`: glossary terms in English and avoided renderings
/// outside citations, and French typography.
pub fn check_french_text(rules: &Rules, file: &str, text: &str, first_line: usize) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if is_citation(line) {
            continue;
        }
        let prose = prose(line, &rules.english_titles);
        let folded = fold(&prose);
        let mut report = |message: String| {
            problems.push(Problem { file: file.to_string(), line: first_line + index, message });
        };
        for term in &rules.glossary.term {
            for english in term.english().filter(|english| contains_words(&folded, &fold(english))) {
                report(format!("English term \"{english}\": the edition writes \"{}\"", term.fr));
            }
            for avoided in term.avoid.iter().filter(|avoided| contains_words(&folded, &fold(avoided))) {
                report(format!("\"{avoided}\" is a rendering the glossary avoids: write \"{}\"", term.fr));
            }
        }
        for message in typography(&prose) {
            report(message);
        }
    }
    problems
}

/// French typography: a no-break space (U+00A0 or U+202F) before `:` `;` `?` `!` and `»`
/// and after `«`, and ’ rather than a straight apostrophe.
pub fn typography(prose: &str) -> Vec<String> {
    let chars: Vec<char> = prose.chars().collect();
    let no_break = |c: Option<&char>| matches!(c, Some('\u{A0}' | '\u{202F}'));
    let mut problems = Vec::new();
    for (at, c) in chars.iter().enumerate() {
        let before = at.checked_sub(1).and_then(|before| chars.get(before));
        let after = chars.get(at + 1);
        let clock =
            *c == ':' && before.is_some_and(char::is_ascii_digit) && after.is_some_and(char::is_ascii_digit);
        let missing = match c {
            ':' | ';' | '?' | '!' | '»' => !no_break(before) && !clock,
            '«' => !no_break(after),
            _ => false,
        };
        let excerpt: String = chars[at.saturating_sub(20)..(at + 10).min(chars.len())].iter().collect();
        if missing {
            problems.push(format!("no no-break space beside \"{c}\" in \"{}\"", excerpt.trim()));
        } else if *c == '\'' {
            problems.push(format!("straight apostrophe in \"{}\": the edition writes ’", excerpt.trim()));
        }
    }
    problems
}

/// The French prose of a text, folded: every line but citations, as `prose` reads it.
pub fn folded_prose(text: &str, english_titles: &[String]) -> Vec<char> {
    let lines: Vec<String> =
        text.lines().filter(|line| !is_citation(line)).map(|line| prose(line, english_titles)).collect();
    fold(&lines.join("\n"))
}

/// The glossary's required terms that `original` (English) uses and `translation` (French)
/// renders with none of the glossary's forms, as "en → fr".
pub fn missing_renderings(rules: &Rules, original: &str, translation: &str) -> Vec<String> {
    let original = folded_prose(original, &rules.english_titles);
    let translation = folded_prose(translation, &rules.english_titles);
    rules
        .glossary
        .term
        .iter()
        .filter(|term| term.required)
        .filter(|term| term.english().any(|english| contains_words(&original, &fold(english))))
        .filter(|term| !term.forms.iter().any(|form| contains_words(&translation, &fold(form))))
        .map(|term| format!("{} → {}", term.en, term.fr))
        .collect()
}

/// A Markdown file's front matter (the TOML between the first two `+++` lines), the line of
/// the file its first line is on, and the body after it with the line the body starts on.
pub fn split_front_matter(text: &str) -> Option<(String, usize, String, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    if lines.first().map(|line| line.trim_end()) != Some("+++") {
        return None;
    }
    let end = lines.iter().skip(1).position(|line| line.trim_end() == "+++")? + 1;
    Some((lines[1..end].join("\n"), 2, lines[end + 1..].join("\n"), end + 2))
}

/// What a translation's front matter may hold (spec §9: stages, terms, related entries,
/// sources, dates, draft state and weight come from the original).
pub const TRANSLATED_FIELDS: [&str; 2] = ["title", "summary"];

/// The problems of a translation's front matter (`front`, whose first line is line
/// `first_line` of `file`): a field other than `title` and `summary`, no `title`, or a
/// `summary` where the original has none or none where it has one.
pub fn front_matter_problems(
    file: &str,
    front: &str,
    first_line: usize,
    original_has_summary: bool,
) -> Vec<Problem> {
    let problem = |line: usize, message: String| Problem { file: file.to_string(), line, message };
    let table = match front.parse::<toml::Table>() {
        Ok(table) => table,
        Err(error) => return vec![problem(first_line, format!("front matter is not valid TOML: {error}"))],
    };
    let mut problems = Vec::new();
    for key in table.keys().filter(|key| !TRANSLATED_FIELDS.contains(&key.as_str())) {
        let at = front.lines().position(|line| line.trim_start().starts_with(key.as_str())).unwrap_or(0);
        problems.push(problem(
            first_line + at,
            format!("\"{key}\" in a translation: only title and summary are translated, the rest comes from the original"),
        ));
    }
    if !table.contains_key("title") {
        problems.push(problem(first_line, "no \"title\"".to_string()));
    }
    match (table.contains_key("summary"), original_has_summary) {
        (false, true) => {
            problems.push(problem(first_line, "no \"summary\", which the original has".to_string()))
        }
        (true, false) => {
            problems.push(problem(first_line, "a \"summary\" the original does not have".to_string()))
        }
        _ => {}
    }
    problems
}

/// The originals of `content/` with no French translation beside them, and the translations
/// with no original, from the content files' paths relative to `content/`. An original is
/// `<path>.md` or `<path>.toml` whose name has no other dot; its translation is
/// `<path>.fr.md` or `<path>.fr.toml`.
pub fn pairing_problems(paths: &[String]) -> Vec<Problem> {
    let by_base = |suffixes: &[&str], originals: bool| -> BTreeMap<String, String> {
        paths
            .iter()
            .filter(|path| {
                !originals || path.rsplit('/').next().is_some_and(|name| name.matches('.').count() == 1)
            })
            .filter_map(|path| {
                Some((
                    suffixes.iter().find_map(|suffix| path.strip_suffix(suffix))?.to_string(),
                    path.clone(),
                ))
            })
            .collect()
    };
    let originals = by_base(&[".md", ".toml"], true);
    let translations = by_base(&[".fr.md", ".fr.toml"], false);
    let problem = |path: &String, message: &str| Problem {
        file: format!("content/{path}"),
        line: 1,
        message: message.to_string(),
    };
    let mut problems: Vec<Problem> = originals
        .iter()
        .filter(|(base, _)| !translations.contains_key(*base))
        .map(|(_, path)| problem(path, "no French translation beside it (<name>.fr.md)"))
        .collect();
    problems.extend(
        translations
            .iter()
            .filter(|(base, _)| !originals.contains_key(*base))
            .map(|(_, path)| problem(path, "a French translation with no original beside it")),
    );
    problems
}
