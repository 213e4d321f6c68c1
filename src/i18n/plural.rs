//! Plural rules: which form of a count a language uses for a number (CLDR's cardinal
//! categories, only those copcat's tables use: `one` and `other`).

/// How a language chooses between `one` and `other`. The search client has the same three
/// rules (themes/default/static/search.js), named by `id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PluralRule {
    /// `one` for 1 only (English, German, Spanish, Italian, Dutch, …).
    OneIsSingular,
    /// `one` for 0 and 1 (French, Portuguese as spoken in Brazil, …).
    ZeroAndOneAreSingular,
    /// No plural forms (Chinese, Japanese, Korean, …): always `other`.
    NoPlural,
}

impl PluralRule {
    /// The rule of a language tag (`fr`, `fr-CA`); `OneIsSingular` for a language not
    /// listed, as for most European languages.
    pub fn of(language: &str) -> PluralRule {
        let primary = language.split('-').next().unwrap_or_default();
        match primary {
            "fr" | "ff" | "kab" | "hy" | "ln" | "wa" => PluralRule::ZeroAndOneAreSingular,
            "pt" if language == "pt-BR" || language == "pt" => PluralRule::ZeroAndOneAreSingular,
            "zh" | "ja" | "ko" | "vi" | "th" | "id" | "ms" | "lo" | "my" | "km" | "yo" => {
                PluralRule::NoPlural
            }
            _ => PluralRule::OneIsSingular,
        }
    }

    /// Whether `n` takes the `one` form.
    pub fn is_one(self, n: u64) -> bool {
        match self {
            PluralRule::OneIsSingular => n == 1,
            PluralRule::ZeroAndOneAreSingular => n <= 1,
            PluralRule::NoPlural => false,
        }
    }

    /// The rule's name for the search client.
    pub fn id(self) -> &'static str {
        match self {
            PluralRule::OneIsSingular => "one",
            PluralRule::ZeroAndOneAreSingular => "zero-one",
            PluralRule::NoPlural => "other",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_and_french_counts() {
        let cases = [
            ("en", [false, true, false, false]),
            ("en-CA", [false, true, false, false]),
            ("fr", [true, true, false, false]),
            ("fr-CA", [true, true, false, false]),
            ("ja", [false, false, false, false]),
        ];
        for (language, expected) in cases {
            let rule = PluralRule::of(language);
            let got = [0, 1, 2, 21].map(|n| rule.is_one(n));
            assert_eq!(got, expected, "{language}");
        }
    }
}
