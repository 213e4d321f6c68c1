//! `aliases`: the old addresses of an entry or page, each published as a redirect to it.
//! An alias is written `"<kind-dir>/<old-slug>"` or as a path (`"/old/place/"`,
//! `"old/place/index.html"`); it is kept as the folder the redirect page goes in
//! (`old/place`), which must be a plain path inside the site.

use crate::diagnostic::Position;
use crate::url_policy;

/// One old address of a document, as written and as the folder its redirect lives in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    /// The folder of the redirect page, without slashes at either end (`roles/old-name`).
    pub path: String,
    pub position: Position,
}

impl Alias {
    /// Where the redirect page is written, relative to the site root.
    pub fn page(&self) -> String {
        format!("{}/index.html", self.path)
    }
}

/// The folder an alias names, or why it cannot be one.
pub fn normalize(written: &str) -> Result<String, String> {
    if url_policy::check(written) != Ok(url_policy::Allowed::Relative) {
        return Err("an alias is a path on this site, without a scheme or host".to_string());
    }
    let trimmed = written.trim_start_matches('/');
    let trimmed = trimmed.strip_suffix("index.html").unwrap_or(trimmed).trim_end_matches('/');
    if trimmed.is_empty() {
        return Err("an alias cannot be the site's home page".to_string());
    }
    for segment in trimmed.split('/') {
        if segment.is_empty() || segment == "." || segment == ".." {
            return Err("an alias's path has no empty, \".\" or \"..\" parts".to_string());
        }
        if !segment.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~')) {
            return Err(format!(
                "\"{segment}\" has characters an address cannot keep as they are: use letters, digits, \
                 '-', '_', '.' and '~'"
            ));
        }
    }
    Ok(trimmed.to_string())
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn aliases_are_folders_inside_the_site() {
        let cases = [
            ("roles/old-name", "roles/old-name"),
            ("/roles/old-name/", "roles/old-name"),
            ("old/place/index.html", "old/place"),
        ];
        for (written, expected) in cases {
            assert_eq!(normalize(written).as_deref(), Ok(expected), "{written}");
        }
        for refused in [
            "javascript:alert(1)",
            "https://x.org/a",
            "//x.org/a",
            "../up",
            "a/../b",
            "/",
            "",
            "a b",
            "a\\b",
            "a?b",
            "a#b",
        ] {
            assert!(normalize(refused).is_err(), "{refused} should be refused");
        }
    }
}
