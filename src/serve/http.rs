//! The dev server's rules about requests, apart from the wire protocol (which hyper
//! speaks): whether a request was sent to this server at all, mapping its target to a file
//! of the site (never outside it), content types and entity tags.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Where a request's `Host` header (or its absolute-form target's authority) says it was
/// sent, compared with the address it arrived on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Destination {
    /// `localhost`, a loopback address, or the address the connection arrived on.
    Served,
    /// Any other name: a page on another site that had its name point here (DNS
    /// rebinding) must not read the preview, so these are refused.
    Elsewhere,
    /// Not a host and optional port.
    Malformed,
}

/// Checks an authority (`host[:port]`) against `local`, the address the connection
/// arrived on. The port is not compared: only a name can be rebound, and a tunnel or a
/// forwarded port legitimately reaches the server under another port.
pub fn destination(authority: &str, local: IpAddr) -> Destination {
    let Some((host, port)) = split_authority(authority) else { return Destination::Malformed };
    if !port.bytes().all(|byte| byte.is_ascii_digit()) || (!port.is_empty() && port.parse::<u16>().is_err()) {
        return Destination::Malformed;
    }
    let address = match host {
        Host::V6(text) => match text.parse::<Ipv6Addr>() {
            Ok(address) => IpAddr::V6(address),
            Err(_) => return Destination::Malformed,
        },
        Host::Name(name) => match name.parse::<Ipv4Addr>() {
            Ok(address) => IpAddr::V4(address),
            Err(_) => return name_destination(name),
        },
    };
    let address = address.to_canonical();
    if address.is_loopback() || address == local.to_canonical() {
        Destination::Served
    } else {
        Destination::Elsewhere
    }
}

enum Host<'a> {
    /// The text between the brackets of `[::1]`.
    V6(&'a str),
    Name(&'a str),
}

/// Splits `host[:port]` into the host and the port's digits (empty when there is none).
fn split_authority(authority: &str) -> Option<(Host<'_>, &str)> {
    if let Some(rest) = authority.strip_prefix('[') {
        let (address, after) = rest.split_once(']')?;
        let port = if after.is_empty() { "" } else { after.strip_prefix(':')? };
        return Some((Host::V6(address), port));
    }
    let (name, port) = authority.split_once(':').unwrap_or((authority, ""));
    Some((Host::Name(name), port))
}

fn name_destination(name: &str) -> Destination {
    let allowed = |byte: u8| byte.is_ascii_alphanumeric() || b"-._~".contains(&byte);
    if name.is_empty() || !name.bytes().all(allowed) {
        return Destination::Malformed;
    }
    let name = name.strip_suffix('.').unwrap_or(name);
    if name.eq_ignore_ascii_case("localhost") { Destination::Served } else { Destination::Elsewhere }
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

/// A site path as it goes in a URL: bytes other than letters, digits, `/` and `-._~`
/// percent-encoded.
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
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
    fn paths_are_encoded_for_urls() {
        assert_eq!(encode_path("roles/a-b_c.d~e"), "roles/a-b_c.d~e");
        assert_eq!(encode_path("café/x y?#%\r\n"), "caf%C3%A9/x%20y%3F%23%25%0D%0A");
    }

    #[test]
    fn etags_match_weakly_and_in_lists() {
        assert!(etag_matches("\"a\"", "\"a\""));
        assert!(etag_matches("W/\"a\", \"b\"", "\"a\""));
        assert!(etag_matches("*", "\"a\""));
        assert!(!etag_matches("\"b\"", "\"a\""));
    }

    #[test]
    fn hosts_must_name_this_server() {
        use Destination::*;
        let loopback = IpAddr::V4(Ipv4Addr::LOCALHOST);
        let lan: IpAddr = "192.168.1.5".parse().unwrap();
        let cases = [
            ("localhost", loopback, Served),
            ("localhost:1111", loopback, Served),
            ("LocalHost.:1111", loopback, Served),
            ("127.0.0.1", loopback, Served),
            ("127.0.0.1:1111", loopback, Served),
            ("127.0.0.1:9999", loopback, Served),
            ("[::1]", loopback, Served),
            ("[::1]:1111", loopback, Served),
            ("[::ffff:127.0.0.1]:1111", loopback, Served),
            ("192.168.1.5:1111", lan, Served),
            ("[::ffff:192.168.1.5]", lan, Served),
            ("192.168.1.5:1111", loopback, Elsewhere),
            ("192.168.1.6", lan, Elsewhere),
            ("evil.example", loopback, Elsewhere),
            ("evil.example:1111", loopback, Elsewhere),
            ("localhost.evil.example", loopback, Elsewhere),
            ("127.0.0.1.nip.io", loopback, Elsewhere),
            ("", loopback, Malformed),
            (":1111", loopback, Malformed),
            ("localhost:http", loopback, Malformed),
            ("localhost:99999", loopback, Malformed),
            ("user@localhost", loopback, Malformed),
            ("localhost/x", loopback, Malformed),
            ("[::1", loopback, Malformed),
            ("[::1]x", loopback, Malformed),
            ("[evil]", loopback, Malformed),
            ("local host", loopback, Malformed),
        ];
        for (authority, local, expected) in cases {
            assert_eq!(destination(authority, local), expected, "{authority} on {local}");
        }
    }
}
