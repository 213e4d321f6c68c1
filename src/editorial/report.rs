//! `copcat report`: where the catalog is thin, for editors planning their next entries.
//! Counts of published entries per stage and kind and per taxonomy term, entries without
//! sources, orphans, and entries due for review.

use crate::catalog::Catalog;
use crate::toml_fields::Date;
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

/// The report, as `--format json` prints it.
#[derive(Debug, Serialize)]
pub struct Report {
    pub stages: Vec<StageCounts>,
    /// Per taxonomy, per term, in catalog.toml's order.
    pub terms: Ordered<Ordered<usize>>,
    /// Entries citing no source (`<kind-dir>/<slug>`, by id).
    pub unsourced: Vec<String>,
    /// Entries with no `related` entries of their own that no entry links to.
    pub orphans: Vec<String>,
    pub due_for_review: Vec<String>,
    /// Per other language the site is published in (spec §9), in catalog.toml's order: the
    /// published entries with no translation into it yet.
    pub untranslated: Ordered<Vec<String>>,
}

#[derive(Debug, Serialize)]
pub struct StageCounts {
    pub id: String,
    /// Per kind id, in catalog.toml's order, zeros included: a zero is the news.
    pub kinds: Ordered<usize>,
}

/// A map that keeps the order it was built in (catalog.toml's), written as a JSON object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ordered<T>(pub Vec<(String, T)>);

impl<T: Serialize> Serialize for Ordered<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in &self.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

/// The report on the published entries of `catalog`, with review dates counted on `today`.
pub fn build_report(catalog: &Catalog, today: Date) -> Report {
    let config = &catalog.config;
    let stages = config
        .stages
        .iter()
        .zip(&catalog.by_stage)
        .map(|(stage, entries)| {
            let kinds = config
                .kinds
                .iter()
                .enumerate()
                .map(|(kind, info)| {
                    let count =
                        entries.iter().filter(|&&index| catalog.entries[index].kind() == Some(kind)).count();
                    (info.id.clone(), count)
                })
                .collect();
            StageCounts { id: stage.id.clone(), kinds: Ordered(kinds) }
        })
        .collect();
    let terms = config
        .taxonomies
        .iter()
        .zip(&catalog.by_term)
        .map(|(taxonomy, terms)| {
            let counts =
                taxonomy.terms.iter().zip(terms).map(|(term, entries)| (term.id.clone(), entries.len()));
            (taxonomy.id.clone(), Ordered(counts.collect()))
        })
        .collect();
    let ids = |keep: &dyn Fn(usize) -> bool| -> Vec<String> {
        (0..catalog.entries.len())
            .filter(|&index| keep(index))
            .map(|index| catalog.entries[index].id.clone())
            .collect()
    };
    let due = super::review::due_entries(catalog, today);
    let untranslated = config
        .languages
        .iter()
        .skip(1)
        .map(|language| {
            let translated = crate::content::translations::of_language(&catalog.translations, &language.code);
            (
                language.code.clone(),
                ids(&|index| !translated.contains_key(catalog.entries[index].id.as_str())),
            )
        })
        .collect();
    Report {
        untranslated: Ordered(untranslated),
        stages,
        terms: Ordered(terms),
        unsourced: ids(&|index| catalog.entries[index].sources.is_empty()),
        orphans: ids(&|index| catalog.related[index].is_empty() && catalog.backlinks[index].is_empty()),
        due_for_review: due.iter().map(|&index| catalog.entries[index].id.clone()).collect(),
    }
}

/// The report as JSON (the shape of `Report`).
pub fn format_json(report: &Report) -> String {
    serde_json::to_string_pretty(report).unwrap_or_default()
}

/// The report as tables for a terminal.
pub fn format_human(catalog: &Catalog, report: &Report, today: Date) -> String {
    let config = &catalog.config;
    let mut out = String::new();
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut header = vec!["Stage".to_string()];
    header.extend(config.kinds.iter().map(|kind| kind.plural.clone()));
    header.push("Total".to_string());
    rows.push(header);
    for (stage, counts) in config.stages.iter().zip(&report.stages) {
        let mut row = vec![stage.name.clone()];
        row.extend(counts.kinds.0.iter().map(|(_, count)| count.to_string()));
        row.push(counts.kinds.0.iter().map(|(_, count)| count).sum::<usize>().to_string());
        rows.push(row);
    }
    out.push_str(&format!("Published entries per stage ({} in all)\n\n", catalog.entries.len()));
    out.push_str(&table(&rows));
    for (taxonomy, (_, counts)) in config.taxonomies.iter().zip(&report.terms.0) {
        let mut rows = vec![vec![taxonomy.name.clone(), "Entries".to_string()]];
        for (term, (_, count)) in taxonomy.terms.iter().zip(&counts.0) {
            rows.push(vec![term.name.clone(), count.to_string()]);
        }
        out.push_str(&format!("\n{} terms\n\n", taxonomy.name));
        out.push_str(&table(&rows));
    }
    list(&mut out, "Entries without sources", &report.unsourced, "none");
    list(&mut out, "Orphans (no related entries, and no entry links to them)", &report.orphans, "none");
    for (code, ids) in &report.untranslated.0 {
        list(&mut out, &format!("Not translated into \"{code}\" yet"), ids, "none");
    }
    let due_heading = match config.review_every_months {
        Some(months) => format!("Due for review on {today} (reviewed every {months} months)"),
        None => "Due for review".to_string(),
    };
    let none = match config.review_every_months {
        Some(_) => "none",
        None => "none: catalog.toml sets no review_every_months",
    };
    let due: Vec<String> = report
        .due_for_review
        .iter()
        .map(|id| {
            match catalog.entry(id).and_then(|index| {
                super::review::due_date(&catalog.entries[index], config.review_every_months)
            }) {
                Some(due) => format!("{id} (due since {due})"),
                None => id.clone(),
            }
        })
        .collect();
    list(&mut out, &due_heading, &due, none);
    out
}

fn list(out: &mut String, heading: &str, items: &[String], none: &str) {
    out.push_str(&format!(
        "\n{heading}: {}\n",
        if items.is_empty() { none.to_string() } else { items.len().to_string() }
    ));
    for item in items {
        out.push_str(&format!("  {item}\n"));
    }
}

/// Rows as a table: the first column left-aligned, the others (numbers) right-aligned, the
/// header row underlined.
fn table(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|column| {
            rows.iter().filter_map(|row| row.get(column)).map(|cell| cell.chars().count()).max().unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for (number, row) in rows.iter().enumerate() {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(column, cell)| {
                if column == 0 {
                    format!("{cell:<width$}", width = widths[0])
                } else {
                    format!("{cell:>width$}", width = widths[column])
                }
            })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
        if number == 0 {
            let rule: Vec<String> = widths.iter().map(|&width| "-".repeat(width)).collect();
            out.push_str(&rule.join("  "));
            out.push('\n');
        }
    }
    out
}
