//! Review dates (spec §10): when an entry falls due for review, and the warnings for those
//! that are. "Today" is always passed in, never read here, so that tests (and a CI run
//! that wants a fixed date) choose it; what a build writes never depends on it.

use crate::catalog::Catalog;
use crate::content::Document;
use crate::diagnostic::Diagnostic;
use crate::toml_fields::Date;

/// Parses a `YYYY-MM-DD` date (for `--today`).
pub fn parse_date(text: &str) -> Result<Date, String> {
    let invalid = || format!("\"{text}\" is not a date: write YYYY-MM-DD, e.g. 2025-03-01");
    let datetime: toml::value::Datetime = text.trim().parse().map_err(|_| invalid())?;
    match (datetime.date, datetime.time) {
        (Some(date), None) => Ok(Date { year: date.year, month: date.month, day: date.day }),
        _ => Err(invalid()),
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `date` plus `months` calendar months; a day the month lacks becomes its last day
/// (2024-01-31 plus one month is 2024-02-29).
pub fn add_months(date: Date, months: u32) -> Date {
    let index = i64::from(date.year) * 12 + i64::from(date.month) - 1 + i64::from(months);
    let year = u16::try_from(index / 12).unwrap_or(u16::MAX);
    let month = (index % 12 + 1) as u8;
    Date { year, month, day: date.day.min(days_in_month(year, month)) }
}

/// The date reviews of `entry` count from: `reviewed`, else `updated`.
pub fn last_reviewed(entry: &Document) -> Option<Date> {
    entry.editorial.reviewed.or(entry.updated)
}

/// The date `entry` falls due for review under a policy of `months`, if it has a date to
/// count from. This is a fact of the catalog, the same whatever day it is: catalog.json and
/// catalog.csv carry it, and builds stay byte-identical from one day to the next.
pub fn due_date(entry: &Document, months: Option<u32>) -> Option<Date> {
    Some(add_months(last_reviewed(entry)?, months?))
}

/// Whether `entry` is due for review on `today`: from its due date on.
pub fn is_due(entry: &Document, months: Option<u32>, today: Date) -> bool {
    due_date(entry, months).is_some_and(|due| due <= today)
}

/// The published entries due for review on `today`, in id order.
pub fn due_entries(catalog: &Catalog, today: Date) -> Vec<usize> {
    let months = catalog.config.review_every_months;
    (0..catalog.entries.len()).filter(|&index| is_due(&catalog.entries[index], months, today)).collect()
}

/// A warning for each published entry due for review on `today`, at the line of the date it
/// counts from.
pub fn warnings(catalog: &Catalog, today: Date, diagnostics: &mut Vec<Diagnostic>) {
    let Some(months) = catalog.config.review_every_months else { return };
    for index in due_entries(catalog, today) {
        let entry = &catalog.entries[index];
        let (Some(due), Some(position)) = (due_date(entry, Some(months)), entry.editorial.review_position)
        else {
            continue;
        };
        let since = match (entry.editorial.reviewed, entry.updated) {
            (Some(reviewed), _) => format!("last reviewed {reviewed}"),
            (None, Some(updated)) => format!("never reviewed; updated {updated}"),
            (None, None) => continue,
        };
        diagnostics.push(
            Diagnostic::warning(
                &entry.file,
                position,
                format!("due for review since {due} ({since}; the catalog reviews every {months} months)"),
            )
            .with_help(format!(
                "check the entry against the evidence, then set reviewed = {today} (the date you checked it)"
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        parse_date(text).unwrap()
    }

    #[test]
    fn months_are_calendar_months() {
        let cases = [
            ("2023-03-01", 24, "2025-03-01"),
            ("2024-01-31", 1, "2024-02-29"),
            ("2023-01-31", 1, "2023-02-28"),
            ("2024-02-29", 12, "2025-02-28"),
            ("2024-11-15", 2, "2025-01-15"),
            ("2024-12-31", 12, "2025-12-31"),
            ("2000-08-31", 1, "2000-09-30"),
        ];
        for (start, months, expected) in cases {
            assert_eq!(add_months(date(start), months).to_string(), expected, "{start} + {months}");
        }
    }

    #[test]
    fn dates_for_today_must_be_plain_dates() {
        assert_eq!(date(" 2025-03-01 ").to_string(), "2025-03-01");
        for bad in ["2025-02-30", "2025-03-01T10:00:00", "tomorrow", "", "2025-3-1"] {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
    }
}
