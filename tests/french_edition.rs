//! The French edition of the shipped catalog (spec §9) against docs/glossary-fr.toml.
//!
//! Every original in `content/` has a `.fr.md` translation beside it and every translation
//! an original; a translation's front matter holds only `title` and `summary`; its headings
//! and links follow the original's, and an anchor it links to names a heading of the
//! target's French translation. The French words, in the files and in catalog.toml's
//! `fr = { … }` names, keep to the glossary: no glossary term in English outside a citation
//! (a blockquote line with a DOI, or the italic title of an English-language work), no
//! rendering the glossary avoids, the glossary's rendering wherever the original uses a
//! required term, and French typography. A failure names the file, the line and the words.
//!
//! The checks themselves are in `french_edition/checks.rs`; the tests at the end of this
//! file run each of them on a small text made to fail it, so that a check that has stopped
//! finding anything fails too.

#[path = "french_edition/checks.rs"]
mod checks;

use checks::{Glossary, Problem, Rules};
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

fn catalog_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(relative: &str) -> String {
    let path = catalog_root().join(relative);
    fs::read_to_string(&path).unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()))
}

fn toml_table(relative: &str) -> toml::Table {
    read(relative).parse().unwrap_or_else(|error| panic!("{relative} is not valid TOML: {error}"))
}

/// The glossary, with the titles that may stand in English: its own list, and every
/// title and container of sources.toml.
fn rules() -> Rules {
    let glossary: Glossary = toml::from_str(&read("docs/glossary-fr.toml"))
        .unwrap_or_else(|error| panic!("docs/glossary-fr.toml: {error}"));
    let mut english_titles = glossary.english_titles.clone();
    for source in toml_table("sources.toml").values().filter_map(toml::Value::as_table) {
        for field in ["title", "container"] {
            english_titles.extend(source.get(field).and_then(toml::Value::as_str).map(str::to_string));
        }
    }
    Rules { glossary, english_titles }
}

/// The files under `content/`, relative to it, with `/` between folders.
fn content_paths() -> Vec<String> {
    let content = catalog_root().join("content");
    let mut paths: Vec<String> = walkdir::WalkDir::new(&content)
        .into_iter()
        .map(|entry| entry.unwrap_or_else(|error| panic!("cannot walk content/: {error}")))
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| entry.path().strip_prefix(&content).unwrap().to_string_lossy().replace('\\', "/"))
        .collect();
    paths.sort();
    paths
}

/// One French text and the English it translates: a translation file and its original, or
/// a `fr = { … }` name of catalog.toml and the English beside it.
struct Pair {
    file: String,
    first_line: usize,
    french: String,
    english: String,
}

/// Every translation under `content/` (`x.fr.md`) with its original (`x.md`), as whole files.
fn translation_files() -> Vec<Pair> {
    content_paths()
        .into_iter()
        .filter_map(|path| {
            let original = format!("{}.md", path.strip_suffix(".fr.md")?);
            let english = fs::read_to_string(catalog_root().join("content").join(&original)).ok()?;
            let file = format!("content/{path}");
            Some(Pair { french: read(&file), file, first_line: 1, english: english_words(&english) })
        })
        .collect()
}

/// What of an original is translated: its title, summary and body, not the front matter's
/// other fields (stage ids and slugs are English words no translation changes).
fn english_words(original: &str) -> String {
    let Some((front, _, body, _)) = checks::split_front_matter(original) else { return original.to_string() };
    let front: toml::Table = front.parse().unwrap_or_default();
    let field = |key: &str| front.get(key).and_then(toml::Value::as_str).unwrap_or("").to_string();
    format!("{}\n{}\n{body}", field("title"), field("summary"))
}

/// The `fr = { … }` strings of catalog.toml (and `[languages.fr]`), each with the English it
/// names and its line, and a problem for each French name that is missing.
fn catalog_names() -> (Vec<Pair>, Vec<Problem>) {
    let raw = read("catalog.toml");
    let config = toml_table("catalog.toml");
    let mut pairs = Vec::new();
    let mut missing = Vec::new();
    let mut name = |english: &toml::Table, french: Option<&toml::Value>, key: &str, what: &str| {
        let english_text = english.get(key).and_then(toml::Value::as_str).unwrap_or_default();
        match french.and_then(|french| french.get(key)).and_then(toml::Value::as_str) {
            Some(text) => {
                let line = raw.lines().position(|line| line.contains(text)).map_or(1, |at| at + 1);
                let file = "catalog.toml".to_string();
                pairs.push(Pair {
                    file,
                    first_line: line,
                    french: text.to_string(),
                    english: english_text.to_string(),
                });
            }
            None => missing.push(Problem {
                file: "catalog.toml".to_string(),
                line: raw.lines().position(|line| line.contains(english_text)).map_or(1, |at| at + 1),
                message: format!("{what} \"{english_text}\" has no French {key} (fr = {{ {key} = \"…\" }})"),
            }),
        }
    };
    let languages = config.get("languages").and_then(|languages| languages.get("fr"));
    for key in ["title", "description"] {
        name(&config, languages, key, "the catalog");
    }
    for stage in config.get("stages").and_then(toml::Value::as_array).into_iter().flatten() {
        let stage = stage.as_table().expect("a [[stages]] table");
        for key in ["name", "summary"] {
            name(stage, stage.get("fr"), key, "stage");
        }
    }
    for kind in
        config.get("kinds").and_then(toml::Value::as_table).into_iter().flat_map(|kinds| kinds.values())
    {
        let kind = kind.as_table().expect("a [kinds.*] table");
        for key in ["name", "plural"] {
            name(kind, kind.get("fr"), key, "kind");
        }
    }
    let taxonomies = config.get("taxonomies").and_then(toml::Value::as_table);
    for taxonomy in taxonomies.into_iter().flat_map(|taxonomies| taxonomies.values()) {
        let taxonomy = taxonomy.as_table().expect("a [taxonomies.*] table");
        name(taxonomy, taxonomy.get("fr"), "name", "taxonomy");
        for term in taxonomy.get("terms").and_then(toml::Value::as_array).into_iter().flatten() {
            let term = term.as_table().expect("a term table");
            name(term, term.get("fr"), "name", "term");
        }
    }
    (pairs, missing)
}

/// Every French text of the edition: the translation files, then catalog.toml's names.
fn french_texts() -> Vec<Pair> {
    let mut pairs = translation_files();
    pairs.extend(catalog_names().0);
    pairs
}

fn assert_none(problems: Vec<Problem>, what: &str) {
    let listed: Vec<String> = problems.iter().map(Problem::to_string).collect();
    assert!(listed.is_empty(), "{what} ({}):\n{}", listed.len(), listed.join("\n"));
}

#[test]
fn every_original_has_a_french_translation_and_every_translation_an_original() {
    let paths = content_paths();
    assert!(paths.iter().any(|path| path.ends_with(".fr.md")), "content/ holds no French translation");
    assert_none(checks::pairing_problems(&paths), "originals and translations that do not pair");
}

#[test]
fn french_front_matter_holds_only_title_and_summary() {
    let mut problems = Vec::new();
    for pair in translation_files() {
        let Some((front, first_line, _, _)) = checks::split_front_matter(&pair.french) else {
            problems.push(Problem { file: pair.file, line: 1, message: "no +++ front matter".to_string() });
            continue;
        };
        let original = pair.file.replace(".fr.md", ".md");
        let original_front =
            checks::split_front_matter(&read(&original)).map(|(front, ..)| front).unwrap_or_default();
        let has_summary =
            original_front.parse::<toml::Table>().is_ok_and(|table| table.contains_key("summary"));
        problems.extend(checks::front_matter_problems(&pair.file, &front, first_line, has_summary));
    }
    assert_none(problems, "translations whose front matter sets what comes from the original");
}

#[test]
fn french_text_keeps_to_the_glossary_and_french_typography() {
    let rules = rules();
    let mut problems = Vec::new();
    for pair in french_texts() {
        problems.extend(checks::check_french_text(&rules, &pair.file, &pair.french, pair.first_line));
    }
    assert_none(problems, "English terms, avoided renderings or typography in the French edition");
}

#[test]
fn french_text_renders_every_glossary_term_its_original_uses() {
    let rules = rules();
    let mut problems = Vec::new();
    for pair in french_texts() {
        for missing in checks::missing_renderings(&rules, &pair.english, &pair.french) {
            let message = format!("the original uses \"{missing}\", which this translation never writes");
            problems.push(Problem { file: pair.file.clone(), line: pair.first_line, message });
        }
    }
    assert_none(problems, "glossary terms a translation renders some other way");
}

#[test]
fn catalog_toml_names_everything_in_french() {
    let (_, mut problems) = catalog_names();
    let config = toml_table("catalog.toml");
    let examples = |table: Option<&toml::Value>| -> Vec<String> {
        let list = table.and_then(|table| table.get("search_examples")).and_then(toml::Value::as_array);
        list.into_iter().flatten().filter_map(toml::Value::as_str).map(str::to_string).collect()
    };
    let english = examples(Some(&toml::Value::Table(config.clone())));
    let french = examples(config.get("languages").and_then(|languages| languages.get("fr")));
    if french.len() != english.len() {
        let message =
            format!("[languages.fr] has {} search_examples, the English {}", french.len(), english.len());
        problems.push(Problem { file: "catalog.toml".to_string(), line: 1, message });
    }
    let all_french: String = translation_files().into_iter().map(|pair| pair.french + "\n").collect();
    let all_french = checks::fold(&all_french);
    for example in
        french.iter().filter(|example| !checks::contains_words(&all_french, &checks::fold(example)))
    {
        let message = format!("search example \"{example}\" is not a word of the French edition");
        problems.push(Problem { file: "catalog.toml".to_string(), line: 1, message });
    }
    assert_none(problems, "catalog.toml's French names");
}

/// The internal link targets (without anchors) and external URLs of a body, sorted.
fn link_targets(body: &str) -> Vec<String> {
    let outline = copcat::markdown::outline(body);
    let mut targets: Vec<String> = outline.links.iter().map(|link| link.path.clone()).collect();
    targets.extend(outline.external.iter().map(|link| link.url.clone()));
    targets.sort();
    targets
}

/// The heading that pages/about.fr.md adds after the original's sections.
const TRANSLATION_NOTE: &str = "À propos de cette traduction";

#[test]
fn french_headings_and_links_follow_the_originals() {
    let mut problems = Vec::new();
    for pair in translation_files() {
        let original = read(&pair.file.replace(".fr.md", ".md"));
        let (Some((.., english, _)), Some((.., french, body_line))) =
            (checks::split_front_matter(&original), checks::split_front_matter(&pair.french))
        else {
            continue;
        };
        let mut problem =
            |message: String| problems.push(Problem { file: pair.file.clone(), line: body_line, message });
        let levels = |body: &str| -> Vec<(u8, String)> {
            let headings = copcat::markdown::outline(body).headings;
            headings.into_iter().map(|heading| (heading.level, heading.text)).collect()
        };
        let (english_headings, mut french_headings) = (levels(&english), levels(&french));
        let note =
            french_headings.last().is_some_and(|(level, text)| *level == 2 && text == TRANSLATION_NOTE);
        if pair.file == "content/pages/about.fr.md" {
            if note {
                french_headings.pop();
            } else {
                problem(format!("the about page ends with no \"## {TRANSLATION_NOTE}\" section"));
            }
        }
        let english_levels: Vec<u8> = english_headings.iter().map(|(level, _)| *level).collect();
        let french_levels: Vec<u8> = french_headings.iter().map(|(level, _)| *level).collect();
        if english_levels != french_levels {
            problem(format!(
                "heading levels {french_levels:?}, the original's {english_levels:?}: {french_headings:?}"
            ));
        }
        if link_targets(&english) != link_targets(&french) {
            problem(format!(
                "links to {:?}, the original to {:?}",
                link_targets(&french),
                link_targets(&english)
            ));
        }
    }
    assert_none(problems, "translations whose headings or links differ from the original's");
}

#[test]
fn french_anchors_name_headings_of_the_french_targets() {
    let mut ids: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let pairs = translation_files();
    for pair in &pairs {
        let body = checks::split_front_matter(&pair.french).map(|(.., body, _)| body).unwrap_or_default();
        let headings = copcat::markdown::outline(&body).headings;
        ids.insert(pair.file.clone(), headings.into_iter().map(|heading| heading.id).collect());
    }
    let mut problems = Vec::new();
    for pair in &pairs {
        let Some((.., body, body_line)) = checks::split_front_matter(&pair.french) else { continue };
        for link in copcat::markdown::outline(&body).links {
            let Some(anchor) = link.anchor else { continue };
            let target = format!("content/{}", link.path.replace(".md", ".fr.md"));
            let line = body_line + body[..link.offset].matches('\n').count();
            let known = ids.get(&target);
            if !known.is_some_and(|known| known.contains(&anchor)) {
                let message = format!("#{anchor} names no heading of {target} (its ids: {known:?})");
                problems.push(Problem { file: pair.file.clone(), line, message });
            }
        }
    }
    assert_none(problems, "anchors that the French targets do not have");
}

#[test]
fn glossary_is_well_formed() {
    let rules = rules();
    let terms = &rules.glossary.term;
    assert!(terms.len() >= 30, "the glossary has {} terms, fewer than 30", terms.len());
    for term in terms {
        assert!(
            term.forms.contains(&term.fr),
            "{}: \"{}\" is not among its forms {:?}",
            term.en,
            term.fr,
            term.forms
        );
        for avoided in &term.avoid {
            let clash = terms
                .iter()
                .flat_map(|other| &other.forms)
                .find(|form| checks::fold(form) == checks::fold(avoided));
            assert!(clash.is_none(), "{}: \"{avoided}\" is both avoided and a form", term.en);
        }
        assert!(term.note.as_ref().is_none_or(|note| !note.trim().is_empty()), "{}: an empty note", term.en);
    }
}

// The checks can fail: each is run on a small French text made to fail it.

const SAMPLE_FILE: &str = "content/roles/sample.fr.md";

fn messages(problems: &[Problem]) -> Vec<String> {
    problems.iter().map(Problem::to_string).collect()
}

#[test]
fn checker_reports_an_english_term_with_its_file_and_line() {
    let text = "Une première ligne en français.\nLe knowledge broker relie les équipes.\n";
    let problems = checks::check_french_text(&rules(), SAMPLE_FILE, text, 5);
    assert!(!problems.is_empty(), "nothing reported");
    for problem in &problems {
        assert_eq!((problem.file.as_str(), problem.line), (SAMPLE_FILE, 6), "{problem}");
    }
    assert!(
        messages(&problems).iter().any(|message| message.contains("\"knowledge broker\"")),
        "{problems:?}"
    );
}

#[test]
fn checker_reports_an_avoided_rendering() {
    let problems = checks::check_french_text(&rules(), SAMPLE_FILE, "Une communauté de pratiques locale.", 1);
    assert!(
        messages(&problems).iter().any(|message| message.contains("communauté de pratiques")),
        "{problems:?}"
    );
}

#[test]
fn checker_spares_citations_and_italic_english_titles_but_nothing_else() {
    let rules = rules();
    let cited = "> Brooks SP. How to use communities of practice. *Learning Health Systems*. 2024;8(3). [doi:10.1002/lrh2.10412](https://doi.org/10.1002/lrh2.10412)\n\
                 Publiée dans *Learning Health Systems* en 2024.";
    assert_none(checks::check_french_text(&rules, SAMPLE_FILE, cited, 1), "a citation and a journal's title");
    let loose = "> Les communities of practice apprennent.\nUn *learning health system* apprend.";
    let problems = checks::check_french_text(&rules, SAMPLE_FILE, loose, 1);
    let lines: Vec<usize> = problems.iter().map(|problem| problem.line).collect();
    assert!(lines.contains(&1) && lines.contains(&2), "{:?}", messages(&problems));
}

#[test]
fn checker_ignores_link_destinations_but_not_link_text() {
    let rules = rules();
    let linked = "Voir [Bien clore une CdP](@/guidance/close-a-cop-well.md#ce-quil-faut).";
    assert_none(
        checks::check_french_text(&rules, SAMPLE_FILE, linked, 1),
        "an English slug in a link destination",
    );
    let problems =
        checks::check_french_text(&rules, SAMPLE_FILE, "Voir [Close a CoP well](@/guidance/x.md).", 1);
    assert!(messages(&problems).iter().any(|message| message.contains("\"CoP\"")), "{problems:?}");
}

#[test]
fn checker_reports_french_typography_mistakes() {
    let problems =
        checks::check_french_text(&rules(), SAMPLE_FILE, "Le domaine : la pratique ? « Oui » l'an", 1);
    let found = messages(&problems);
    for mark in ["\":\"", "\"?\"", "\"«\"", "\"»\"", "straight apostrophe"] {
        assert!(found.iter().any(|message| message.contains(mark)), "{mark} not reported: {found:?}");
    }
    let fine = "Le domaine\u{A0}: la pratique\u{A0}? «\u{A0}Oui\u{A0}» l’an, à 10:30.";
    assert_none(checks::check_french_text(&rules(), SAMPLE_FILE, fine, 1), "correct typography");
}

#[test]
fn checker_reports_a_required_term_the_translation_renders_otherwise() {
    let rules = rules();
    let original = "A knowledge broker connects people.";
    let missing = checks::missing_renderings(&rules, original, "Un intermédiaire relie les gens.");
    assert!(missing.iter().any(|term| term.starts_with("knowledge broker")), "{missing:?}");
    let kept = checks::missing_renderings(&rules, original, "Un courtier de connaissances relie les gens.");
    assert!(!kept.iter().any(|term| term.starts_with("knowledge broker")), "{kept:?}");
}

#[test]
fn front_matter_check_reports_fields_that_come_from_the_original() {
    let front =
        "title = \"Courtier\"\nsummary = \"…\"\nstages = [\"share-coordinate\"]\nupdated = 2026-11-26";
    let problems = checks::front_matter_problems(SAMPLE_FILE, front, 2, true);
    let found: Vec<(usize, bool)> = problems
        .iter()
        .map(|problem| (problem.line, problem.message.contains("only title and summary")))
        .collect();
    assert_eq!(found, [(4, true), (5, true)], "{:?}", messages(&problems));
    let no_summary = checks::front_matter_problems(SAMPLE_FILE, "title = \"Courtier\"", 2, true);
    assert_eq!(no_summary.len(), 1, "{:?}", messages(&no_summary));
    assert_none(checks::front_matter_problems(SAMPLE_FILE, "title = \"Accueil\"", 2, false), "a title alone");
}

#[test]
fn pairing_reports_a_missing_translation_and_an_orphan() {
    let paths: Vec<String> =
        ["_index.md", "_index.fr.md", "roles/a.md", "roles/b.fr.md", "roles/c.md", "roles/c.fr.toml"]
            .map(str::to_string)
            .into();
    let problems = checks::pairing_problems(&paths);
    let files: Vec<&str> = problems.iter().map(|problem| problem.file.as_str()).collect();
    assert_eq!(files, ["content/roles/a.md", "content/roles/b.fr.md"], "{:?}", messages(&problems));
}
