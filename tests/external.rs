//! `copcat check --external` against a small HTTP server this test starts on 127.0.0.1
//! (never any other address): a good link, a 404, a page that answers only after 30 s, a
//! redirect loop, a HEAD-refusing server, a redirect to a good page, and a refused
//! connection; the run ends within its timeout plus a margin; a second run uses the cache.

mod common;

use common::{catalog, read_tree};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Requests seen per path ("HEAD /good").
type Seen = Arc<Mutex<HashMap<String, usize>>>;

/// Serves the test's pages on 127.0.0.1, a thread per connection; returns its port.
fn serve() -> (u16, Seen) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen: Seen = Arc::default();
    let counter = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let counter = counter.clone();
            std::thread::spawn(move || answer(stream, &counter));
        }
    });
    (port, seen)
}

fn answer(mut stream: TcpStream, seen: &Seen) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).unwrap_or(0) == 0 || header.trim().is_empty() {
            break;
        }
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let path = target.split('?').next().unwrap_or(target);
    *seen.lock().unwrap().entry(format!("{method} {target}")).or_insert(0) += 1;
    let (status, location) = match (method, path) {
        (_, "/good") => ("200 OK", None),
        (_, "/missing") => ("404 Not Found", None),
        (_, "/slow") => {
            std::thread::sleep(Duration::from_secs(30));
            ("200 OK", None)
        }
        (_, "/loop-a") => ("302 Found", Some("/loop-b")),
        (_, "/loop-b") => ("302 Found", Some("loop-a")),
        (_, "/moved") => ("301 Moved Permanently", Some("/good")),
        ("HEAD", "/no-head") => ("405 Method Not Allowed", None),
        ("GET", "/no-head") => ("200 OK", None),
        _ => ("404 Not Found", None),
    };
    let location = location.map(|to| format!("Location: {to}\r\n")).unwrap_or_default();
    let body = if method == "HEAD" { "" } else { "ok" };
    let _ =
        write!(stream, "HTTP/1.1 {status}\r\n{location}Content-Length: 2\r\nConnection: close\r\n\r\n{body}");
}

/// A port nothing listens on: bound, then let go.
fn refused_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// The base fixture with its sources pointing at the test server instead of DOIs (which
/// would reach the DOI resolver) and a page of links to it.
fn linked_catalog(port: u16, refused: u16) -> tempfile::TempDir {
    let dir = catalog("base", &[]);
    let base = format!("http://127.0.0.1:{port}");
    let sources = format!(
        "[brooks2024]\ntitle = \"Brooks\"\nurl = \"{base}/good\"\n\n[li2009]\ntitle = \"Li\"\nurl = \"{base}/missing\"\n"
    );
    std::fs::write(dir.path().join("sources.toml"), sources).unwrap();
    let page = format!(
        "+++\ntitle = \"Links\"\n+++\n\n\
         - [good]({base}/good) and [good again]({base}/good)\n\
         - [missing]({base}/missing)\n\
         - [slow]({base}/slow)\n\
         - [loop]({base}/loop-a)\n\
         - [no head]({base}/no-head) and <{base}/moved>\n\
         - [refused](http://127.0.0.1:{refused}/x)\n\
         - [internal](@/roles/knowledge-broker.md) and [mail](mailto:a@example.org)\n"
    );
    std::fs::write(dir.path().join("content/pages/links.md"), page).unwrap();
    dir
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
    took: Duration,
}

/// Runs copcat with no proxy settings, so that requests go straight to 127.0.0.1.
fn copcat(args: &[&str], dir: &Path) -> Run {
    copcat_with(args, dir, &[])
}

/// `copcat`, with these environment variables set too.
fn copcat_with(args: &[&str], dir: &Path, env: &[(&str, &Path)]) -> Run {
    let started = Instant::now();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_copcat"))
        .args(args)
        .current_dir(dir)
        .envs(env.iter().copied())
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .env_remove("HTTPS_PROXY")
        .env_remove("https_proxy")
        .env_remove("ALL_PROXY")
        .env_remove("all_proxy")
        .output()
        .unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        took: started.elapsed(),
    }
}

fn warnings(run: &Run) -> Vec<&str> {
    run.stderr.lines().filter(|line| line.contains(": warning: ")).collect()
}

#[test]
fn dead_links_are_warnings_where_they_are_written_and_a_slow_host_costs_one_timeout() {
    let (port, seen) = serve();
    let refused = refused_port();
    let dir = linked_catalog(port, refused);
    let run = copcat(&["check", "--external", "--timeout", "1"], dir.path());
    assert_eq!(run.code, 0, "dead links are warnings: {}", run.stderr);
    assert!(run.took < Duration::from_secs(8), "the 30 s page held the run for {:?}", run.took);
    eprintln!("check --external --timeout 1 took {:?}", run.took);
    let base = format!("http://127.0.0.1:{port}");
    assert_eq!(
        warnings(&run),
        [
            format!("content/pages/links.md:6:13: warning: dead link \"{base}/missing\": 404 Not Found"),
            format!("content/pages/links.md:7:10: warning: dead link \"{base}/slow\": no answer within 1 s"),
            format!(
                "content/pages/links.md:8:10: warning: dead link \"{base}/loop-a\": redirect loop: {base}/loop-a \
                 → {base}/loop-b → {base}/loop-a"
            ),
            format!(
                "content/pages/links.md:10:13: warning: dead link \"http://127.0.0.1:{refused}/x\": connection refused"
            ),
            format!("sources.toml:7:7: warning: dead link \"{base}/missing\": 404 Not Found"),
        ],
        "{}",
        run.stderr
    );
    assert!(
        run.stdout.contains("external links: 7 addresses checked (0 from the last day's results), 4 dead")
    );
    let seen = seen.lock().unwrap();
    // Once for its own link (written twice) and once at the end of /moved's redirect.
    assert_eq!(seen.get("HEAD /good"), Some(&2), "each address is asked once: {seen:?}");
    assert_eq!(seen.get("GET /no-head"), Some(&1), "HEAD refused, GET asked: {seen:?}");
    assert_eq!(seen.get("GET /missing"), Some(&1), "a 404 to HEAD is asked again with GET: {seen:?}");
}

#[test]
fn a_second_run_uses_the_cache_and_builds_never_publish_it() {
    let (port, seen) = serve();
    let dir = linked_catalog(port, refused_port());
    let first = copcat(&["check", "--external", "--timeout", "1"], dir.path());
    assert_eq!(first.code, 0, "{}", first.stderr);
    let asked = |path: &str| {
        seen.lock().unwrap().iter().filter(|(k, _)| k.ends_with(path)).map(|(_, n)| n).sum::<usize>()
    };
    let before = (asked(" /good"), asked(" /missing"), asked(" /loop-a"));
    assert!(dir.path().join(".copcat-cache/external-links.json").is_file());

    let second = copcat(&["check", "--external", "--timeout", "1"], dir.path());
    assert_eq!(
        (asked(" /good"), asked(" /missing"), asked(" /loop-a")),
        before,
        "answers came from the cache"
    );
    assert!(second.stdout.contains("(5 from the last day's results)"), "{}", second.stdout);
    assert!(second.stderr.contains("404 Not Found\n  = help: find where the page moved and link there, or remove the link (found in the last day; --no-cache checks again)"), "{}", second.stderr);
    assert_eq!(warnings(&second).len(), warnings(&first).len(), "the same dead links: {}", second.stderr);
    assert!(second.stderr.contains("no answer within 1 s"), "a timeout is not kept: it is checked again");

    let fresh = copcat(&["check", "--external", "--timeout", "1", "--no-cache"], dir.path());
    assert_eq!(fresh.code, 0);
    assert_eq!(asked(" /good"), before.0 + 2, "--no-cache asks again (/good, and /moved leads there)");

    let build = copcat(&["build", "--quiet"], dir.path());
    assert_eq!(build.code, 0, "{}", build.stderr);
    let published = read_tree(&dir.path().join("public"));
    let cached = std::fs::read(dir.path().join(".copcat-cache/external-links.json")).unwrap();
    assert!(published.iter().all(|(path, bytes)| !path.contains("copcat-cache") && *bytes != cached));
}

#[test]
fn strict_makes_a_dead_link_fail_and_builds_never_check_links() {
    let (port, seen) = serve();
    let dir = linked_catalog(port, refused_port());
    let build = copcat(&["build", "--quiet"], dir.path());
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(seen.lock().unwrap().is_empty(), "build asked the server: {:?}", seen.lock().unwrap());
    let strict = copcat(&["check", "--external", "--strict", "--timeout", "1"], dir.path());
    assert_eq!(strict.code, 1, "{}", strict.stderr);
    assert!(strict.stderr.contains("error: dead link"), "{}", strict.stderr);
}

#[test]
fn sources_dois_are_checked_through_the_resolver_at_their_line() {
    let dir = catalog("base", &[]);
    let mut diagnostics = Vec::new();
    let catalog =
        copcat::load_catalog(dir.path(), &copcat::LoadOptions::default(), &mut diagnostics).unwrap().unwrap();
    let links = copcat::editorial::external::collect(dir.path(), &catalog);
    let place = &links["https://doi.org/10.1002/lrh2.10412"][0];
    assert_eq!(
        (place.file.as_str(), place.position.line, place.doi.as_deref()),
        ("sources.toml", 6, Some("10.1002/lrh2.10412"))
    );
    assert_eq!(links.len(), 2, "the two DOIs and nothing else: {:?}", links.keys().collect::<Vec<_>>());
}

#[test]
fn many_links_to_one_slow_host_wait_for_one_timeout_not_one_each() {
    let (port, _) = serve();
    let dir = catalog("base", &[]);
    std::fs::write(dir.path().join("sources.toml"), "[brooks2024]\ntitle = \"B\"\n[li2009]\ntitle = \"L\"\n")
        .unwrap();
    let links: String =
        (1..=8).map(|n| format!("- [slow {n}](http://127.0.0.1:{port}/slow?n={n})\n")).collect();
    std::fs::write(
        dir.path().join("content/pages/slow.md"),
        format!("+++\ntitle = \"Slow\"\n+++\n\n{links}"),
    )
    .unwrap();
    let run = copcat(&["check", "--external", "--timeout", "1"], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Two at a time per host: eight links would take four timeouts if each were waited for.
    assert!(run.took < Duration::from_millis(2800), "took {:?}", run.took);
    let timed_out = run.stderr.matches(": no answer within 1 s").count();
    let skipped =
        run.stderr.matches("not checked: its host gave no answer to another link within 1 s").count();
    assert_eq!((timed_out, skipped), (2, 6), "{}", run.stderr);
}

/// Serves `/good` over HTTPS on 127.0.0.1, with a certificate signed by a certificate
/// authority made for the test (as an organization's TLS-inspecting proxy has one); returns
/// the port and the authority's certificate (PEM).
fn serve_https() -> (u16, String) {
    let authority_key = rcgen::KeyPair::generate().unwrap();
    let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    params.distinguished_name.push(rcgen::DnType::CommonName, "copcat test authority");
    let authority = params.self_signed(&authority_key).unwrap();
    let key = rcgen::KeyPair::generate().unwrap();
    let mut params = rcgen::CertificateParams::new(vec!["127.0.0.1".to_string()]).unwrap();
    params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ServerAuth];
    let certificate = params.signed_by(&key, &authority, &authority_key).unwrap();
    let private_key = rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into());
    let config =
        rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(vec![certificate.der().clone()], private_key)
            .unwrap();
    let config = Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let config = config.clone();
            std::thread::spawn(move || {
                let mut tls =
                    rustls::StreamOwned::new(rustls::ServerConnection::new(config).unwrap(), stream);
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    match std::io::Read::read(&mut tls, &mut byte) {
                        Ok(1) => head.push(byte[0]),
                        _ => return,
                    }
                }
                let good = head.windows(6).any(|w| w == b" /good");
                let status = if good { "200 OK" } else { "404 Not Found" };
                let _ = write!(tls, "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                tls.conn.send_close_notify();
                let _ = tls.flush();
            });
        }
    });
    (port, authority.pem())
}

/// An https link is checked against the authorities the system trusts (here the file
/// `SSL_CERT_FILE` names), as a browser on the same machine would check it: on a network
/// whose proxy inspects TLS, links stay alive once its authority is installed, where
/// Mozilla's authorities alone, which copcat falls back to on a system with none, refuse it.
#[test]
fn https_links_are_checked_against_the_system_s_certificate_authorities() {
    let (port, authority) = serve_https();
    let dir = catalog("base", &[]);
    let good = format!("https://127.0.0.1:{port}/good");
    let sources = format!(
        "[brooks2024]\ntitle = \"Brooks\"\nurl = \"{good}\"\n\n[li2009]\ntitle = \"Li\"\nurl = \"{good}\"\n"
    );
    std::fs::write(dir.path().join("sources.toml"), sources).unwrap();
    let page = format!(
        "+++\ntitle = \"Links\"\n+++\n\n[secure]({good}) and [missing](https://127.0.0.1:{port}/missing)\n"
    );
    std::fs::write(dir.path().join("content/pages/links.md"), page).unwrap();
    let (trusted, none) = (dir.path().join("authority.pem"), dir.path().join("none.pem"));
    std::fs::write(&trusted, authority).unwrap();
    std::fs::write(&none, "").unwrap();
    let args = ["check", "--external", "--timeout", "5", "--no-cache"];

    let run = copcat_with(&args, dir.path(), &[("SSL_CERT_FILE", &trusted)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        warnings(&run),
        [format!(
            "content/pages/links.md:5:{}: warning: dead link \"https://127.0.0.1:{port}/missing\": 404 Not Found",
            format!("[secure]({good}) and [missing](").len() + 1
        )],
        "{}",
        run.stderr
    );

    let run = copcat_with(&args, dir.path(), &[("SSL_CERT_FILE", &none)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let refused = warnings(&run);
    assert_eq!(refused.len(), 4, "{}", run.stderr);
    assert!(
        refused.iter().all(|line| line
            .ends_with("its certificate is not from an authority this system trusts (UnknownIssuer)")),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("name its file with SSL_CERT_FILE"), "{}", run.stderr);
}
