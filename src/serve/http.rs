//! The little of HTTP/1.1 the dev server needs: reading a request head, mapping its target
//! to a file of the site (never outside it), and content types.

use std::io::{self, BufRead};

/// The most a request head may take; more is refused.
const MAX_HEAD: usize = 16 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    pub target: String,
    /// `HTTP/1.0` or `HTTP/1.1`.
    pub version: String,
    /// Header names in lowercase, with their values.
    pub headers: Vec<(String, String)>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }

    /// Whether the connection stays open after the response.
    pub fn keep_alive(&self) -> bool {
        let connection = self.header("connection").unwrap_or_default().to_ascii_lowercase();
        if self.version == "HTTP/1.0" { connection == "keep-alive" } else { connection != "close" }
    }
}

/// Reads one request head; `Ok(None)` when the client closed the connection first.
pub fn read_request<R: BufRead>(reader: &mut R) -> io::Result<Option<Request>> {
    let mut head = Vec::new();
    loop {
        let before = head.len();
        let read =
            io::Read::take(&mut *reader, (MAX_HEAD - head.len()) as u64 + 1).read_until(b'\n', &mut head)?;
        if read == 0 {
            return if head.is_empty() {
                Ok(None)
            } else {
                Err(io::Error::new(io::ErrorKind::UnexpectedEof, "incomplete request"))
            };
        }
        if head.len() > MAX_HEAD {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "request head too large"));
        }
        let line = &head[before..];
        if line == b"\r\n" || line == b"\n" {
            if before == 0 {
                head.clear(); // A stray empty line between requests is allowed.
                continue;
            }
            break;
        }
    }
    let text = String::from_utf8_lossy(&head);
    let mut lines = text.lines();
    let mut parts = lines.next().unwrap_or_default().split_whitespace();
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(io::Error::new(io::ErrorKind::InvalidData, "malformed request line"));
    };
    if !version.starts_with("HTTP/1.") {
        return Err(io::Error::new(io::ErrorKind::InvalidData, "unsupported HTTP version"));
    }
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_string()))
        .collect();
    Ok(Some(Request {
        method: method.to_string(),
        target: target.to_string(),
        version: version.to_string(),
        headers,
    }))
}

/// The site path a request target names (`roles/a/index.html`), or `None` if it is not a
/// path inside the site: `..` or `.` segments (also percent-encoded), backslashes, NUL,
/// bad encodings. A target ending in `/` names the folder's index.html.
pub fn site_path(target: &str) -> Option<String> {
    let path = target.split(['?', '#']).next().unwrap_or_default();
    let path = path.strip_prefix('/')?;
    let decoded = percent_decode(path)?;
    let mut segments = Vec::new();
    for segment in decoded.split('/') {
        if segment == ".." || segment == "." || segment.contains(['\\', '\0']) || segment.contains(':') {
            return None;
        }
        if !segment.is_empty() {
            segments.push(segment);
        }
    }
    let mut joined = segments.join("/");
    if decoded.is_empty() || decoded.ends_with('/') {
        if !joined.is_empty() {
            joined.push('/');
        }
        joined.push_str("index.html");
    }
    Some(joined)
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The Content-Type of a site file, by its extension.
pub fn content_type(path: &str) -> &'static str {
    let extension = path.rsplit_once('.').map(|(_, extension)| extension.to_ascii_lowercase());
    match extension.as_deref().unwrap_or_default() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "xml" => {
            if path == "feed.xml" {
                "application/atom+xml; charset=utf-8"
            } else {
                "application/xml; charset=utf-8"
            }
        }
        "csv" => "text/csv; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

/// Whether an If-None-Match header value matches `etag` (weak comparison, as RFC 9110 asks).
pub fn etag_matches(header: &str, etag: &str) -> bool {
    let bare = |tag: &str| tag.trim().trim_start_matches("W/").to_string();
    header.split(',').any(|tag| tag.trim() == "*" || bare(tag) == bare(etag))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_map_to_site_paths_or_nothing() {
        let cases = [
            ("/", Some("index.html")),
            ("/roles/a/", Some("roles/a/index.html")),
            ("/roles/a/index.html?x=1#top", Some("roles/a/index.html")),
            ("/style.css", Some("style.css")),
            ("/roles%2Fa/", Some("roles/a/index.html")),
            ("/caf%C3%A9.txt", Some("café.txt")),
            ("//style.css", Some("style.css")),
            ("/../etc/passwd", None),
            ("/roles/../../etc/passwd", None),
            ("/%2e%2e/etc/passwd", None),
            ("/%2E%2E%2Fetc%2Fpasswd", None),
            ("/roles/%2e/a", None),
            ("/..%5c..%5cwindows", None),
            ("/a%00b", None),
            ("/%zz", None),
            ("/%ff", None),
            ("etc/passwd", None),
            ("http://evil.example/etc/passwd", None),
            ("/C:/windows", None),
        ];
        for (target, expected) in cases {
            assert_eq!(site_path(target).as_deref(), expected, "{target}");
        }
    }

    #[test]
    fn requests_are_parsed() {
        let mut input: &[u8] = b"GET /a HTTP/1.1\r\nHost: x\r\nIf-None-Match: \"1\"\r\n\r\nrest";
        let request = read_request(&mut input).unwrap().unwrap();
        assert_eq!(request.method, "GET");
        assert_eq!(request.target, "/a");
        assert_eq!(request.header("if-none-match"), Some("\"1\""));
        assert!(request.keep_alive());
        let mut empty: &[u8] = b"";
        assert!(read_request(&mut empty).unwrap().is_none());
        let mut garbage: &[u8] = b"NONSENSE\r\n\r\n";
        assert!(read_request(&mut garbage).is_err());
    }

    #[test]
    fn etags_match_weakly_and_in_lists() {
        assert!(etag_matches("\"a\"", "\"a\""));
        assert!(etag_matches("W/\"a\", \"b\"", "\"a\""));
        assert!(etag_matches("*", "\"a\""));
        assert!(!etag_matches("\"b\"", "\"a\""));
    }
}
