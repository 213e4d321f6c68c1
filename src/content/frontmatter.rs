//! Splitting a Markdown file into its `+++` TOML front matter and its body.

/// The parts of a Markdown file; offsets are byte offsets into the whole file.
#[derive(Debug, PartialEq, Eq)]
pub enum Split<'a> {
    /// No front matter: the whole file is the body.
    Body {
        body: &'a str,
        body_offset: usize,
    },
    Toml {
        toml: &'a str,
        toml_offset: usize,
        body: &'a str,
        body_offset: usize,
    },
    /// `+++` opened the file but no line closes it.
    Unclosed,
    /// The file starts with `---` (YAML front matter, which copcat does not read).
    Yaml,
}

pub fn split(text: &str) -> Split<'_> {
    let start = if text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
    let rest = &text[start..];
    let first_line_end = rest.find('\n').map_or(rest.len(), |i| i + 1);
    let first_line = rest[..first_line_end].trim_end();
    if first_line == "---" {
        return Split::Yaml;
    }
    if first_line != "+++" {
        return Split::Body { body: rest, body_offset: start };
    }
    let toml_offset = start + first_line_end;
    let mut line_start = toml_offset;
    while line_start < text.len() {
        let line_end = text[line_start..].find('\n').map_or(text.len(), |i| line_start + i + 1);
        if text[line_start..line_end].trim_end() == "+++" {
            return Split::Toml {
                toml: &text[toml_offset..line_start],
                toml_offset,
                body: &text[line_end..],
                body_offset: line_end,
            };
        }
        line_start = line_end;
    }
    Split::Unclosed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits() {
        let cases: &[(&str, Split)] = &[
            ("", Split::Body { body: "", body_offset: 0 }),
            ("# Hi\n", Split::Body { body: "# Hi\n", body_offset: 0 }),
            (
                "+++\ntitle = \"a\"\n+++\nbody\n",
                Split::Toml { toml: "title = \"a\"\n", toml_offset: 4, body: "body\n", body_offset: 20 },
            ),
            (
                "+++\r\ntitle = 1\r\n+++\r\nbody",
                Split::Toml { toml: "title = 1\r\n", toml_offset: 5, body: "body", body_offset: 21 },
            ),
            ("+++\n+++", Split::Toml { toml: "", toml_offset: 4, body: "", body_offset: 7 }),
            (
                "+++  \nx = 1\n+++ \n",
                Split::Toml { toml: "x = 1\n", toml_offset: 6, body: "", body_offset: 17 },
            ),
            (
                "\u{feff}+++\nx = 1\n+++\nb",
                Split::Toml { toml: "x = 1\n", toml_offset: 7, body: "b", body_offset: 17 },
            ),
            ("+++\ntitle = \"a\"\n", Split::Unclosed),
            ("+++\ntitle = \"+++\"\n", Split::Unclosed),
            ("---\ntitle: a\n---\n", Split::Yaml),
            ("text\n+++\nx\n+++\n", Split::Body { body: "text\n+++\nx\n+++\n", body_offset: 0 }),
        ];
        for (text, expected) in cases {
            assert_eq!(&split(text), expected, "{text:?}");
        }
    }
}
