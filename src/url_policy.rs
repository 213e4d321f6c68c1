//! The one URL policy: which addresses written by editors may reach a page, the feed or the
//! sitemap. Links may go to `http`, `https` and `mailto` addresses, relative paths and
//! `#fragments`; anything else (`javascript:`, `vbscript:`, `data:`, `file:`, …) could run
//! a script or open something a reader did not choose, and is refused. Images may only be
//! relative: an image from another host would be loaded from it by every reader.
//!
//! The scheme is read the way browsers read it (WHATWG URL): leading and trailing spaces and
//! control characters are ignored and tabs and newlines removed anywhere, so
//! `" JaVa\tScRiPt:alert(1)"` is a `javascript:` URL. Markdown has already decoded entities
//! (`&#106;avascript:`) by the time a URL gets here.

/// What an allowed URL is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Allowed {
    /// `http://…` or `https://…`.
    Web,
    /// `//host/…`: another host, with the page's scheme.
    NetworkPath,
    Mail,
    /// A path on this site (`../a/`, `img/x.png`, `/about/`).
    Relative,
    /// `#section`.
    Fragment,
}

impl Allowed {
    /// Whether following (or loading) the URL leaves this site.
    pub fn is_external(self) -> bool {
        matches!(self, Allowed::Web | Allowed::NetworkPath | Allowed::Mail)
    }
}

/// A refused URL: its scheme, lowercased (`javascript`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub scheme: String,
}

/// What the policy allows, in words for diagnostics.
pub const ALLOWED_HELP: &str =
    "links may go to http://, https:// and mailto: addresses, relative paths and #anchors";

/// Checks a link's destination.
pub fn check(url: &str) -> Result<Allowed, Refused> {
    let cleaned = browser_view(url);
    match scheme(&cleaned) {
        Some(scheme) => match scheme.as_str() {
            "http" | "https" => Ok(Allowed::Web),
            "mailto" => Ok(Allowed::Mail),
            _ => Err(Refused { scheme }),
        },
        None if cleaned.starts_with("//") || cleaned.starts_with("\\\\") => Ok(Allowed::NetworkPath),
        None if cleaned.starts_with('#') => Ok(Allowed::Fragment),
        None => Ok(Allowed::Relative),
    }
}

/// The URL as a browser parses it: leading and trailing C0 controls and spaces stripped,
/// tabs and newlines removed.
fn browser_view(url: &str) -> String {
    url.trim_matches(|c: char| c <= ' ').chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect()
}

/// The scheme of `url`, lowercased, if it has one (`[A-Za-z][A-Za-z0-9+.-]*:`).
fn scheme(url: &str) -> Option<String> {
    let (head, _) = url.split_once(':')?;
    let mut chars = head.chars();
    let first = chars.next()?;
    let valid = first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then(|| head.to_ascii_lowercase())
}

/// A checked `base_url`: where the site will be served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BaseUrl {
    /// `https://host/path/`: the feed, sitemap and canonical links can use it.
    Absolute(String),
    /// `/path/`: pages work, but the feed and sitemap need an absolute address.
    Path(String),
}

impl BaseUrl {
    pub fn as_str(&self) -> &str {
        match self {
            BaseUrl::Absolute(url) | BaseUrl::Path(url) => url,
        }
    }
}

/// Checks and normalizes a base URL (ending it with one `/`): an absolute http(s) URL with a
/// host, or a path starting with `/`. `Err` says what is wrong.
pub fn check_base_url(url: &str) -> Result<BaseUrl, String> {
    let trimmed = url.trim();
    if trimmed.is_empty() {
        return Ok(BaseUrl::Path("/".to_string()));
    }
    if trimmed.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '`')) {
        return Err("it contains spaces, quotes or control characters".to_string());
    }
    let normalized = format!("{}/", trimmed.trim_end_matches('/'));
    if trimmed.starts_with('/') && !trimmed.starts_with("//") {
        return Ok(BaseUrl::Path(normalized));
    }
    match scheme(trimmed).as_deref() {
        Some("http" | "https") => {
            let rest = trimmed.split_once("://").map(|(_, rest)| rest).unwrap_or_default();
            let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
            if host.is_empty() {
                Err("it has no host name after the scheme".to_string())
            } else if trimmed.contains(['?', '#']) {
                Err("it has a query or fragment (? or #)".to_string())
            } else {
                Ok(BaseUrl::Absolute(normalized))
            }
        }
        Some(other) => Err(format!("\"{other}:\" is not a web address")),
        None => Err("it is neither an absolute http(s) address nor a path starting with /".to_string()),
    }
}

/// Percent-encodes what may not stand in a URL path as it is (spaces, quotes, `#`, `?`, `%`,
/// non-ASCII…), for identifiers such as DOIs that are pasted into a URL.
pub fn encode_path(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        let keep = byte.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/".contains(&byte);
        if keep {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_in_every_disguise_are_refused() {
        let refused = [
            ("javascript:alert(1)", "javascript"),
            ("JaVaScRiPt:alert(1)", "javascript"),
            (" javascript:alert(1)", "javascript"),
            ("\u{1}\u{8}javascript:alert(1)", "javascript"),
            ("java\tscript:alert(1)", "javascript"),
            ("java\nscript:alert(1)", "javascript"),
            ("vbscript:msgbox(1)", "vbscript"),
            ("data:text/html,<script>alert(1)</script>", "data"),
            ("DATA:image/svg+xml;base64,xx", "data"),
            ("file:///etc/passwd", "file"),
            ("livescript:x", "livescript"),
        ];
        for (url, scheme) in refused {
            assert_eq!(check(url), Err(Refused { scheme: scheme.to_string() }), "{url:?}");
        }
    }

    #[test]
    fn web_mail_relative_and_fragment_urls_pass() {
        let allowed = [
            ("https://doi.org/10.1/x", Allowed::Web),
            ("HTTP://example.org", Allowed::Web),
            ("mailto:editor@example.org", Allowed::Mail),
            ("//cdn.example.org/x.png", Allowed::NetworkPath),
            ("../roles/a/index.html", Allowed::Relative),
            ("img/figure.png", Allowed::Relative),
            ("./a:b", Allowed::Relative),
            ("/about/", Allowed::Relative),
            ("%6Aavascript:alert(1)", Allowed::Relative),
            ("#what-it-takes", Allowed::Fragment),
            ("", Allowed::Relative),
        ];
        for (url, expected) in allowed {
            assert_eq!(check(url), Ok(expected), "{url:?}");
        }
        assert!(Allowed::NetworkPath.is_external() && !Allowed::Relative.is_external());
    }

    #[test]
    fn base_urls_are_absolute_web_addresses_or_paths() {
        let cases = [
            ("https://example.org/cop", Ok(BaseUrl::Absolute("https://example.org/cop/".into()))),
            ("http://localhost:8080/", Ok(BaseUrl::Absolute("http://localhost:8080/".into()))),
            ("/", Ok(BaseUrl::Path("/".into()))),
            ("", Ok(BaseUrl::Path("/".into()))),
            ("/sub/path", Ok(BaseUrl::Path("/sub/path/".into()))),
        ];
        for (url, expected) in cases {
            assert_eq!(check_base_url(url), expected, "{url:?}");
        }
        for bad in [
            "javascript:alert(1)//",
            "https:///x",
            "example.org",
            "//example.org/",
            "https://a.org/\"x",
            "https://a.org/?q=1",
            "ftp://a.org/",
        ] {
            assert!(check_base_url(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn identifiers_are_encoded_for_paths() {
        assert_eq!(encode_path("10.1002/lrh2.10412"), "10.1002/lrh2.10412");
        assert_eq!(encode_path("10.1/a b#c?d\"<é"), "10.1/a%20b%23c%3Fd%22%3C%C3%A9");
    }
}
