//! Dates in words, in the page's language: `2025-03-14` is "14 March 2025" in English and
//! "14 mars 2025" in French, whose first day of a month is "1er".

/// How a language writes a date: its pattern (`{day} {month} {year}`), the first day of a
/// month, and the months' names.
#[derive(Debug, Clone)]
pub struct DateWords {
    pub pattern: String,
    pub first_day: String,
    pub months: Vec<String>,
}

impl DateWords {
    /// `YYYY-MM-DD` in words; any other text is returned as it is.
    pub fn long(&self, text: &str) -> String {
        let parts: Vec<&str> = text.split('-').collect();
        let [year, month, day] = parts.as_slice() else {
            return text.to_string();
        };
        let (Ok(month @ 1..=12), Ok(day @ 1..=31)) = (month.parse::<usize>(), day.parse::<u8>()) else {
            return text.to_string();
        };
        let Some(month) = self.months.get(month - 1) else {
            return text.to_string();
        };
        let day = if day == 1 { self.first_day.clone() } else { day.to_string() };
        self.pattern.replace("{day}", &day).replace("{month}", month).replace("{year}", year)
    }
}

#[cfg(test)]
mod tests {
    use crate::i18n::Strings;

    #[test]
    fn long_dates_in_english_and_french() {
        let english = Strings::shipped("en").unwrap();
        let french = Strings::shipped("fr").unwrap();
        let cases = [
            ("2025-03-14", "14 March 2025", "14 mars 2025"),
            ("2024-03-05", "5 March 2024", "5 mars 2024"),
            ("2026-11-26", "26 November 2026", "26 novembre 2026"),
            ("2025-08-01", "1 August 2025", "1er août 2025"),
            ("soon", "soon", "soon"),
            ("2025-13-01", "2025-13-01", "2025-13-01"),
            ("", "", ""),
        ];
        for (input, en, fr) in cases {
            assert_eq!(english.dates.long(input), en);
            assert_eq!(french.dates.long(input), fr);
        }
    }
}
