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

/// The longest slug `copcat new` makes from a title: a file name and an address stay
/// readable (and within file systems' 255 bytes a name) however long the title.
pub const LONGEST_MADE: usize = 60;

/// `slug` cut to at most `longest` bytes, at a hyphen when there is one to cut at (so no
/// word is cut in two), and never ending in one.
pub fn shorten(slug: &str, longest: usize) -> &str {
    if slug.len() <= longest {
        return slug;
    }
    // A slug is ASCII, so any byte is a char boundary.
    let cut = &slug[..longest];
    match slug.as_bytes()[longest] {
        b'-' => cut,
        _ => cut.rfind('-').map_or(cut, |hyphen| &cut[..hyphen]),
    }
    .trim_end_matches('-')
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
    fn long_slugs_are_cut_between_words() {
        assert_eq!(shorten("knowledge-broker", 60), "knowledge-broker");
        assert_eq!(shorten("knowledge-broker", 9), "knowledge");
        assert_eq!(shorten("knowledge-broker", 10), "knowledge");
        assert_eq!(shorten("knowledge-broker", 12), "knowledge");
        assert_eq!(shorten("knowledgebroker", 9), "knowledge");
        let long = "very-long-title-".repeat(30);
        let short = shorten(long.trim_end_matches('-'), LONGEST_MADE);
        assert!(short.len() <= LONGEST_MADE && is_valid_slug(short), "{short}");
        assert!(long.starts_with(&format!("{short}-")), "{short} ends between two words");
    }

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
