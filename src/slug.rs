//! Slugs: the file-name ids of entries (`[a-z0-9]+(-[a-z0-9]+)*`), and making one from a title.

use unicode_normalization::UnicodeNormalization;

pub fn is_valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.split('-').all(|part| {
            !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// A valid slug for `title`: accents folded, lowercase ASCII words joined by hyphens.
pub fn slugify(title: &str) -> String {
    let folded: String = title.nfkd().filter(|c| c.is_ascii()).collect();
    let mut slug = String::with_capacity(folded.len());
    for word in folded
        .to_ascii_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
    {
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(word);
    }
    slug
}

/// The suggested fix for an invalid slug, if one can be made.
pub fn suggest_slug(slug: &str) -> Option<String> {
    let fixed = slugify(slug);
    (!fixed.is_empty() && fixed != slug).then_some(fixed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slug_rules() {
        let cases = [
            ("knowledge-broker", true),
            ("a", true),
            ("a1-b2", true),
            ("2024", true),
            ("", false),
            ("-a", false),
            ("a-", false),
            ("a--b", false),
            ("Knowledge-broker", false),
            ("knowledge_broker", false),
            ("knowledge broker", false),
            ("café", false),
        ];
        for (slug, valid) in cases {
            assert_eq!(is_valid_slug(slug), valid, "{slug:?}");
        }
    }

    #[test]
    fn slugs_from_titles() {
        let cases = [
            ("Knowledge broker", "knowledge-broker"),
            ("  Fund a facilitator! ", "fund-a-facilitator"),
            ("Équité & solidarité", "equite-solidarite"),
            ("CoP lead (2024)", "cop-lead-2024"),
            ("!!!", ""),
        ];
        for (title, expected) in cases {
            assert_eq!(slugify(title), expected, "{title:?}");
            assert!(expected.is_empty() || is_valid_slug(expected));
        }
    }
}
