//! Problems found in a catalog, with their position in the user's own file.

use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Path relative to the catalog root, with `/` separators.
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(file: &str, pos: Position, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, file, pos, message)
    }

    pub fn warning(file: &str, pos: Position, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, file, pos, message)
    }

    fn new(severity: Severity, file: &str, pos: Position, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.to_string(),
            line: pos.line,
            column: pos.column,
            severity,
            message: message.into(),
            help: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn maybe_help(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        // Messages quote what the editor wrote, which may hold terminal escape sequences:
        // they are shown, never obeyed.
        let (file, message) = (escape_controls(&self.file), escape_controls(&self.message));
        write!(f, "{file}:{}:{}: {severity}: {message}", self.line, self.column)?;
        if let Some(help) = &self.help {
            write!(f, "\n  = help: {}", escape_controls(help))?;
        }
        Ok(())
    }
}

/// A 1-based line and column (columns count characters, not bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl Position {
    pub const START: Position = Position { line: 1, column: 1 };

    /// The position of byte `offset` in `text` (clamped to the text and to a char boundary).
    pub fn at(text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Position { line: before.matches('\n').count() + 1, column: before[line_start..].chars().count() + 1 }
    }
}

/// Finds the line and column of byte offsets in one text, in time proportional to the text
/// plus the number of look-ups (a file with many diagnostics or links must not be rescanned
/// from its start for each).
pub struct LineIndex<'a> {
    text: &'a str,
    /// The byte offset where each line starts.
    starts: Vec<usize>,
    /// The last look-up (offset, column): look-ups mostly come in file order, so a column on
    /// a long line is counted on from the previous one instead of from the line's start.
    last: std::cell::Cell<(usize, usize)>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { text, starts, last: std::cell::Cell::new((0, 1)) }
    }

    pub fn text(&self) -> &'a str {
        self.text
    }

    /// The position of byte `offset` (clamped to the text and to a char boundary).
    pub fn position(&self, offset: usize) -> Position {
        let text = self.text;
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&start| start <= offset);
        let line_start = self.starts[line - 1];
        let (last_offset, last_column) = self.last.get();
        let column = if last_offset >= line_start && last_offset <= offset {
            last_column + text[last_offset..offset].chars().count()
        } else {
            text[line_start..offset].chars().count() + 1
        };
        self.last.set((offset, column));
        Position { line, column }
    }
}

/// `text` with control characters (C0, DEL, C1) and Unicode noncharacters shown as `\u{…}`,
/// so that a value quoted in a diagnostic cannot move the cursor or recolour the terminal.
pub fn escape_controls(text: &str) -> std::borrow::Cow<'_, str> {
    let shown = |c: char| c == '\t' || c == '\n' || !(c.is_control() || is_noncharacter(c));
    if text.chars().all(shown) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if shown(c) {
            escaped.push(c);
        } else {
            escaped.push_str(&format!("\\u{{{:04X}}}", u32::from(c)));
        }
    }
    std::borrow::Cow::Owned(escaped)
}

/// U+FDD0–U+FDEF and the last two code points of every plane (U+FFFE, U+FFFF, …).
pub fn is_noncharacter(c: char) -> bool {
    let code = u32::from(c);
    (0xFDD0..=0xFDEF).contains(&code) || code & 0xFFFE == 0xFFFE
}

/// The first character of `text` that XML 1.0 forbids (and HTML reports as a parse error):
/// control characters other than tab, line feed and carriage return, and noncharacters.
/// Returns its byte offset and the character.
pub fn forbidden_character(text: &str) -> Option<(usize, char)> {
    text.char_indices()
        .find(|&(_, c)| (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || is_noncharacter(c))
}

/// Sorts diagnostics by file, line and column, as spec §8 asks, dropping exact repeats.
pub fn sort(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| {
        (&a.file, a.line, a.column, &a.message).cmp(&(&b.file, b.line, b.column, &b.message))
    });
    diagnostics.dedup();
}

pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(Diagnostic::is_error)
}

/// Whether `diagnostics` fail a run: any error, or with `strict` any warning too.
pub fn fails(diagnostics: &[Diagnostic], strict: bool) -> bool {
    has_errors(diagnostics) || (strict && !diagnostics.is_empty())
}

/// `--strict`: every warning becomes an error (for CI, where a warning must fail the run).
pub fn make_warnings_errors(diagnostics: &mut [Diagnostic]) {
    for diagnostic in diagnostics.iter_mut().filter(|diagnostic| !diagnostic.is_error()) {
        diagnostic.severity = Severity::Error;
        let help = diagnostic.help.take().map_or_else(String::new, |help| format!("{help}; "));
        diagnostic.help = Some(format!("{help}an error because of --strict"));
    }
}

/// Renders diagnostics for a terminal, with a closing count.
pub fn format_human(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for diagnostic in diagnostics {
        out.push_str(&diagnostic.to_string());
        out.push('\n');
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    if !diagnostics.is_empty() {
        out.push_str(&format!(
            "{} error{}, {} warning{}\n",
            errors,
            plural(errors),
            warnings,
            plural(warnings)
        ));
    }
    out
}

pub fn format_json(diagnostics: &[Diagnostic]) -> String {
    serde_json::to_string_pretty(diagnostics).unwrap_or_else(|_| "[]".to_string())
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The candidate nearest to `word` by edit distance, if it is near enough to be a likely typo.
pub fn did_you_mean<'a, I>(word: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|candidate| (edit_distance(word, candidate), candidate))
        .filter(|(distance, _)| *distance <= limit)
        .min()
        .map(|(_, candidate)| candidate)
}

/// A help line: "did you mean "x"? valid <what>: a, b, c", either half optional.
pub fn suggestion_help(word: &str, what: &str, candidates: &[&str]) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(near) = did_you_mean(word, candidates.iter().copied()) {
        parts.push(format!("did you mean \"{near}\"?"));
    }
    if !candidates.is_empty() {
        let mut listed: Vec<&str> = candidates.iter().take(12).copied().collect();
        if candidates.len() > 12 {
            listed.push("…");
        }
        parts.push(format!("valid {what}: {}", listed.join(", ")));
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// Levenshtein distance, counting a swap of two neighbours as one edit.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1).min(rows[i][j - 1] + 1).min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distances() {
        let cases = [
            ("", "", 0),
            ("abc", "abc", 0),
            ("generate-knowlege", "generate-knowledge", 1),
            ("tilte", "title", 1),
            ("kitten", "sitting", 3),
            ("", "abc", 3),
        ];
        for (a, b, expected) in cases {
            assert_eq!(edit_distance(a, b), expected, "{a} vs {b}");
        }
    }

    #[test]
    fn did_you_mean_picks_the_nearest_plausible_word() {
        let stages = ["identify-priorities", "generate-knowledge", "implement-evaluate"];
        let cases = [
            ("generate-knowlege", Some("generate-knowledge")),
            ("implement-evalute", Some("implement-evaluate")),
            ("identify", None),
            ("zzz", None),
        ];
        for (word, expected) in cases {
            assert_eq!(did_you_mean(word, stages.iter().copied()), expected, "{word}");
        }
    }

    #[test]
    fn positions_count_lines_and_characters() {
        let text = "ab\nçd\nef";
        assert_eq!(Position::at(text, 0), Position { line: 1, column: 1 });
        assert_eq!(Position::at(text, 3), Position { line: 2, column: 1 });
        assert_eq!(Position::at(text, 5), Position { line: 2, column: 2 });
        assert_eq!(Position::at(text, 4), Position { line: 2, column: 1 });
        assert_eq!(Position::at(text, 99), Position { line: 3, column: 3 });
    }

    #[test]
    fn a_line_index_agrees_with_scanning_from_the_start() {
        let text = "ab\nçd\n\nef ghij";
        let index = LineIndex::new(text);
        let offsets = [0, 1, 2, 3, 5, 6, 7, 8, 10, 99, 4, 0, 12, 9];
        for offset in offsets {
            assert_eq!(index.position(offset), Position::at(text, offset), "offset {offset}");
        }
    }

    #[test]
    fn control_characters_are_shown_escaped() {
        let diagnostic = Diagnostic::error("a\u{1b}.md", Position::START, "unknown field \"\u{1b}[31mred\"")
            .with_help("\u{9b}2J\u{fffe}");
        let shown = diagnostic.to_string();
        assert!(!shown.chars().any(|c| c.is_control() && c != '\n'), "{shown:?}");
        assert!(shown.contains("\\u{001B}[31mred") && shown.contains("\\u{009B}2J\\u{FFFE}"), "{shown}");
        assert_eq!(escape_controls("plain\ttext, é"), "plain\ttext, é");
    }

    #[test]
    fn forbidden_characters_are_found_but_tabs_and_newlines_are_not() {
        assert_eq!(forbidden_character("a\tb\r\nc"), None);
        assert_eq!(forbidden_character("ab\u{1}"), Some((2, '\u{1}')));
        assert_eq!(forbidden_character("é\u{b}"), Some((2, '\u{b}')));
        assert_eq!(forbidden_character("x\u{fffe}"), Some((1, '\u{fffe}')));
        assert_eq!(forbidden_character("\u{1fffF}"), Some((0, '\u{1ffff}')));
    }

    #[test]
    fn human_format_matches_the_spec() {
        let diagnostic =
            Diagnostic::error("content/roles/a.md", Position { line: 4, column: 10 }, "unknown stage \"x\"")
                .with_help("did you mean \"y\"?");
        assert_eq!(
            diagnostic.to_string(),
            "content/roles/a.md:4:10: error: unknown stage \"x\"\n  = help: did you mean \"y\"?"
        );
    }
}
