//! One link, probed over HTTP: HEAD first, GET when HEAD is refused, redirects followed by
//! hand so that a loop is named, and one deadline for the whole link.

use std::sync::Arc;
use std::time::{Duration, Instant};
use ureq::tls::{Certificate, RootCerts, TlsConfig};

/// At most this many redirects are followed from one link.
pub const MAX_REDIRECTS: usize = 10;

/// What probing a link found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// A 2xx answer (after any redirects).
    Alive,
    /// An answer of 400 or more, to GET as well as HEAD.
    Status(u16),
    /// The addresses visited, ending with the first one visited again.
    RedirectLoop(Vec<String>),
    TooManyRedirects,
    /// A redirect to an address that is not http(s), or that cannot be read.
    BadRedirect(String),
    /// No complete answer within the timeout.
    TimedOut,
    /// No answer at all: refused, no such host, TLS failure…
    Failed(String),
    /// The server's certificate does not lead to an authority this system trusts (the
    /// reason TLS gave): a site's broken certificate, or a network's TLS inspection whose
    /// authority is not installed.
    Untrusted(String),
    /// Not probed: an earlier link to the same host timed out.
    HostTimedOut,
}

impl Outcome {
    pub fn is_alive(&self) -> bool {
        *self == Outcome::Alive
    }

    /// Whether the outcome is the server's own answer, worth keeping for a day; a timeout or
    /// a failure to connect may be the network's passing trouble, and is checked again.
    pub fn is_answer(&self) -> bool {
        matches!(
            self,
            Outcome::Alive | Outcome::Status(_) | Outcome::RedirectLoop(_) | Outcome::TooManyRedirects
        )
    }

    /// What went wrong, in words (`timeout` is the one the run used).
    pub fn describe(&self, timeout: Duration) -> String {
        match self {
            Outcome::Alive => "alive".to_string(),
            Outcome::Status(code) => {
                let reason = ureq::http::StatusCode::from_u16(*code).ok().and_then(|s| s.canonical_reason());
                match reason {
                    Some(reason) => format!("{code} {reason}"),
                    None => format!("status {code}"),
                }
            }
            Outcome::RedirectLoop(chain) => format!("redirect loop: {}", chain.join(" → ")),
            Outcome::TooManyRedirects => format!("more than {MAX_REDIRECTS} redirects"),
            Outcome::BadRedirect(location) => format!("redirects to \"{location}\", not a web address"),
            Outcome::TimedOut => format!("no answer within {}", seconds(timeout)),
            Outcome::Failed(reason) => reason.clone(),
            Outcome::Untrusted(reason) => {
                format!("its certificate is not from an authority this system trusts ({reason})")
            }
            Outcome::HostTimedOut => {
                format!("not checked: its host gave no answer to another link within {}", seconds(timeout))
            }
        }
    }
}

fn seconds(duration: Duration) -> String {
    let seconds = duration.as_secs_f64();
    if seconds.fract() == 0.0 { format!("{seconds:.0} s") } else { format!("{seconds} s") }
}

/// The client every probe shares: no automatic redirects (they are followed here), statuses
/// as answers rather than errors, and servers' certificates checked against the system's
/// authorities (see `root_certs`).
pub fn agent(timeout: Duration) -> ureq::Agent {
    let config = ureq::Agent::config_builder()
        .max_redirects(0)
        .http_status_as_error(false)
        .timeout_global(Some(timeout))
        .user_agent(concat!("copcat-link-check/", env!("CARGO_PKG_VERSION")))
        .tls_config(TlsConfig::builder().root_certs(system_root_certs()).build())
        .build();
    ureq::Agent::new_with_config(config)
}

/// The certificate authorities a server's certificate must lead to: the system's, as a
/// browser on the same machine trusts them (`SSL_CERT_FILE` or `SSL_CERT_DIR` may name
/// others), or Mozilla's, built in, on a system that has none. The system's matter where an
/// organization inspects its network's TLS, as hospital networks often do: its IT installs
/// the proxy's authority there, and against Mozilla's alone every https link would fail.
fn system_root_certs() -> RootCerts {
    let found = rustls_native_certs::load_native_certs();
    root_certs(found.certs.iter().map(|der| der.as_ref()))
}

/// `system`'s certificates (DER), or Mozilla's if there are none.
fn root_certs<'a>(system: impl IntoIterator<Item = &'a [u8]>) -> RootCerts {
    let certs: Vec<Certificate<'static>> =
        system.into_iter().map(|der| Certificate::from_der(der).to_owned()).collect();
    if certs.is_empty() { RootCerts::WebPki } else { RootCerts::Specific(Arc::new(certs)) }
}

/// One request's answer: its status and where it redirects, if it does.
enum Answer {
    Status(u16, Option<String>),
    TimedOut,
    Failed(String),
    Untrusted(String),
}

/// Probes `url`, giving the whole link (HEAD, GET, every redirect) `timeout`.
pub fn probe(agent: &ureq::Agent, url: &str, timeout: Duration) -> Outcome {
    let deadline = Instant::now() + timeout;
    let mut visited = vec![url.to_string()];
    let mut current = url.to_string();
    loop {
        let answer = match request(agent, "HEAD", &current, deadline) {
            // Some servers refuse or mishandle HEAD: GET is the answer that counts.
            Answer::Status(status, _) if status >= 400 => request(agent, "GET", &current, deadline),
            Answer::Failed(_) => request(agent, "GET", &current, deadline),
            answer => answer,
        };
        let (status, location) = match answer {
            Answer::TimedOut => return Outcome::TimedOut,
            Answer::Failed(reason) => return Outcome::Failed(reason),
            Answer::Untrusted(reason) => return Outcome::Untrusted(reason),
            Answer::Status(status, location) => (status, location),
        };
        let location = match (status, location) {
            (300..=399, Some(location)) => location,
            (200..=399, _) => return Outcome::Alive,
            (status, _) => return Outcome::Status(status),
        };
        let Some(next) = resolve(&current, &location) else {
            return Outcome::BadRedirect(location);
        };
        if visited.contains(&next) {
            visited.push(next);
            return Outcome::RedirectLoop(visited);
        }
        if visited.len() > MAX_REDIRECTS {
            return Outcome::TooManyRedirects;
        }
        visited.push(next.clone());
        current = next;
    }
}

fn request(agent: &ureq::Agent, method: &str, url: &str, deadline: Instant) -> Answer {
    let left = deadline.saturating_duration_since(Instant::now());
    if left.is_zero() {
        return Answer::TimedOut;
    }
    let builder = match method {
        "HEAD" => agent.head(url).config().timeout_global(Some(left)).build().call(),
        _ => agent.get(url).config().timeout_global(Some(left)).build().call(),
    };
    match builder {
        // The body is never read: dropping it closes the connection.
        Ok(response) => {
            let location = response
                .headers()
                .get("location")
                .and_then(|value| value.to_str().ok())
                .map(|value| value.trim().to_string());
            Answer::Status(response.status().as_u16(), location)
        }
        Err(error) => failure(error),
    }
}

fn failure(error: ureq::Error) -> Answer {
    use std::io::ErrorKind;
    let reason = match error {
        ureq::Error::Timeout(_) => return Answer::TimedOut,
        ureq::Error::Io(error) if error.kind() == ErrorKind::TimedOut => return Answer::TimedOut,
        ureq::Error::Io(error) => match error.kind() {
            ErrorKind::ConnectionRefused => "connection refused".to_string(),
            ErrorKind::ConnectionReset => "connection reset".to_string(),
            _ => error.to_string(),
        },
        ureq::Error::HostNotFound => "host not found".to_string(),
        ureq::Error::ConnectionFailed => "connection failed".to_string(),
        ureq::Error::Tls(reason) => format!("TLS: {reason}"),
        ureq::Error::BadUri(reason) => format!("not a valid address: {reason}"),
        other => other.to_string(),
    };
    // Rustls says so in these words, however ureq wraps its error (most often in an I/O
    // error of the handshake).
    match reason.split_once("invalid peer certificate: ") {
        Some((_, why)) => Answer::Untrusted(why.to_string()),
        None => Answer::Failed(reason),
    }
}

/// Where a redirect's `Location` leads from `base`, if it is an http(s) address (RFC 3986
/// reference resolution, without removing `.` and `..` segments: a loop still shows).
pub fn resolve(base: &str, location: &str) -> Option<String> {
    let lower = location.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return Some(location.to_string());
    }
    let (scheme, rest) = base.split_once("://")?;
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let origin = format!("{scheme}://{}", &rest[..authority_end]);
    let without_fragment = base.split('#').next().unwrap_or(base);
    let has_scheme = location.split_once(':').is_some_and(|(head, _)| {
        !head.is_empty() && head.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    if let Some(network_path) = location.strip_prefix("//") {
        Some(format!("{scheme}://{network_path}"))
    } else if has_scheme {
        None
    } else if location.starts_with('/') {
        Some(format!("{origin}{location}"))
    } else if location.starts_with('?') {
        Some(format!("{}{location}", without_fragment.split('?').next().unwrap_or(without_fragment)))
    } else if location.is_empty() || location.starts_with('#') {
        Some(without_fragment.to_string())
    } else {
        let path = &rest[authority_end..];
        let path = path.split(['?', '#']).next().unwrap_or_default();
        let folder = path.rfind('/').map_or("/", |index| &path[..=index]);
        Some(format!("{origin}{folder}{location}"))
    }
}

/// The host (and port) of an http(s) URL, lowercased: requests are limited per host.
pub fn host(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let host = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    host.to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirects_resolve_against_the_address_they_came_from() {
        let base = "https://a.org/x/y?q=1#f";
        let cases = [
            ("https://b.org/z", Some("https://b.org/z")),
            ("HTTP://b.org/", Some("HTTP://b.org/")),
            ("//c.org/p", Some("https://c.org/p")),
            ("/root", Some("https://a.org/root")),
            ("next", Some("https://a.org/x/next")),
            ("?q=2", Some("https://a.org/x/y?q=2")),
            ("ftp://a.org/file", None),
            ("javascript:alert(1)", None),
        ];
        for (location, expected) in cases {
            assert_eq!(resolve(base, location).as_deref(), expected, "{location}");
        }
        assert_eq!(resolve("http://a.org", "b").as_deref(), Some("http://a.org/b"));
    }

    #[test]
    fn hosts_are_compared_lowercased_with_their_port() {
        assert_eq!(host("https://User@Example.ORG:8443/x?y"), "example.org:8443");
        assert_eq!(host("http://a.org"), "a.org");
    }

    #[test]
    fn outcomes_in_words() {
        let timeout = Duration::from_secs(10);
        assert_eq!(Outcome::Status(404).describe(timeout), "404 Not Found");
        assert_eq!(Outcome::Status(599).describe(timeout), "status 599");
        assert_eq!(Outcome::TimedOut.describe(Duration::from_millis(1500)), "no answer within 1.5 s");
        let chain = vec!["http://a/1".to_string(), "http://a/2".to_string(), "http://a/1".to_string()];
        assert_eq!(
            Outcome::RedirectLoop(chain).describe(timeout),
            "redirect loop: http://a/1 → http://a/2 → http://a/1"
        );
    }
}
