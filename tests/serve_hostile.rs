//! `copcat serve` against hostile or broken clients: heads sent a byte a second, floods of
//! connections, idle and closed event streams, requests for other hosts (DNS rebinding),
//! bodies that hide a request, absolute-form targets. Every connection is to 127.0.0.1,
//! and every loop is bounded in count and time.

mod common;

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::process::Child;
use std::time::{Duration, Instant};

/// The caps the README promises.
const EVENT_STREAMS_PER_ADDRESS: usize = 8;
/// More than the server keeps open at once (512), so that the flood also displaces some.
const SLOW_CLIENTS: usize = 600;
/// Far longer than anything here should take; only a hang reaches it.
const PATIENCE: Duration = Duration::from_secs(30);

/// `copcat serve` on a free port of 127.0.0.1, stopped when dropped.
struct Server {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Server {
    fn start(extra: &[&str]) -> Server {
        let dir = common::catalog("base", &[]);
        let (child, port) = common::spawn_serve(dir.path(), extra);
        Server { child, port, _dir: dir }
    }

    fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        stream
    }

    /// Sends `bytes` on a new connection and reads every response until the server closes it.
    fn exchange(&self, bytes: &[u8]) -> Vec<Response> {
        let mut stream = self.connect();
        stream.write_all(bytes).unwrap();
        let mut received = Vec::new();
        stream.read_to_end(&mut received).unwrap();
        Response::parse_all(&received)
    }

    /// `GET target` with the given Host header, on a connection of its own.
    fn get(&self, host: &str, target: &str) -> Response {
        let request = format!("GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
        let mut responses = self.exchange(request.as_bytes());
        assert_eq!(responses.len(), 1, "GET {target} (Host: {host})");
        responses.remove(0)
    }

    fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// Opens an event stream; its status, and the connection (open while it is held).
    /// Opens as many event streams as one client may hold, each answered 200.
    fn open_all_event_streams(&self) -> Vec<TcpStream> {
        (0..EVENT_STREAMS_PER_ADDRESS)
            .map(|_| {
                let (status, stream) = self.open_events();
                assert_eq!(status, 200);
                stream
            })
            .collect()
    }

    fn open_events(&self) -> (u16, TcpStream) {
        let mut stream = self.connect();
        stream.write_all(b"GET /__copcat/events HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
        let mut line = Vec::new();
        let mut byte = [0u8];
        while !line.ends_with(b"\r\n") {
            assert_eq!(stream.read(&mut byte).unwrap(), 1, "the event stream closed before its status");
            line.push(byte[0]);
        }
        let status = String::from_utf8_lossy(&line).split_whitespace().nth(1).unwrap().parse().unwrap();
        (status, stream)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug)]
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    /// Every response in `bytes`, one after another, each framed by its Content-Length.
    fn parse_all(mut bytes: &[u8]) -> Vec<Response> {
        let mut responses = Vec::new();
        while !bytes.is_empty() {
            let end = bytes.windows(4).position(|window| window == b"\r\n\r\n").expect("no response head");
            let head = String::from_utf8_lossy(&bytes[..end]).into_owned();
            let mut lines = head.lines();
            let status = lines.next().unwrap().split_whitespace().nth(1).unwrap().parse().unwrap();
            let headers: Vec<(String, String)> = lines
                .filter_map(|line| line.split_once(':'))
                .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_string()))
                .collect();
            let length = headers
                .iter()
                .find(|(name, _)| name == "content-length")
                .map_or(0, |(_, value)| value.parse().unwrap());
            let body = bytes[end + 4..end + 4 + length].to_vec();
            bytes = &bytes[end + 4 + length..];
            responses.push(Response { status, headers, body });
        }
        responses
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Whether the server has closed a non-blocking connection (or, wrongly, answered on it).
fn closed_by_server(stream: &mut TcpStream) -> bool {
    let mut buffer = [0u8; 256];
    match stream.read(&mut buffer) {
        Ok(0) => true,
        Ok(count) => panic!("a slow client was answered: {:?}", String::from_utf8_lossy(&buffer[..count])),
        Err(error) => error.kind() != ErrorKind::WouldBlock,
    }
}

#[test]
fn a_flood_of_slow_clients_and_idle_streams_leaves_pages_served() {
    let server = Server::start(&[]);
    let page = server.get("localhost", "/").body;
    let streams = server.open_all_event_streams();
    let head = b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
    let mut slow: Vec<Option<TcpStream>> = (0..SLOW_CLIENTS)
        .map(|_| {
            let stream = server.connect();
            stream.set_nonblocking(true).unwrap();
            Some(stream)
        })
        .collect();
    // Each sends one byte of its head a second, never the whole of it, until the server has
    // closed it: the deadline is for the whole head, so sending keeps no client alive.
    let started = Instant::now();
    let mut sent = 0;
    while slow.iter().any(Option::is_some) {
        let open = slow.iter().flatten().count();
        assert!(started.elapsed() < PATIENCE, "{open} slow clients are still open");
        for client in &mut slow {
            if let Some(stream) = client
                && (closed_by_server(stream) || stream.write(&head[sent..sent + 1]).is_err())
            {
                *client = None;
            }
        }
        sent = (sent + 1).min(head.len() - 2);
        let response = server.get("localhost", "/");
        assert_eq!(response.status, 200, "with {open} slow clients");
        assert!(response.body == page, "with {open} slow clients");
        std::thread::sleep(Duration::from_secs(1));
    }
    drop(streams);
}

#[test]
fn event_streams_are_capped_per_client_and_freed_when_closed() {
    let server = Server::start(&[]);
    let streams = server.open_all_event_streams();
    let (status, _) = server.open_events();
    assert_eq!(status, 429, "an event stream past the cap");
    assert_eq!(server.get("localhost", "/").status, 200);

    // Closed tabs free their places at once: the server notices the closed connection
    // (the heartbeat, every 15 seconds, would notice only much later).
    drop(streams);
    let started = Instant::now();
    let mut reopened = Vec::new();
    while reopened.len() < EVENT_STREAMS_PER_ADDRESS {
        assert!(started.elapsed() < Duration::from_secs(10), "closed event streams still count");
        match server.open_events() {
            (200, stream) => reopened.push(stream),
            (429, _) => std::thread::sleep(Duration::from_millis(20)),
            (status, _) => panic!("event stream answered {status}"),
        }
    }
    assert_eq!(server.open_events().0, 429);
}

#[test]
fn requests_for_other_hosts_are_refused() {
    let server = Server::start(&["--drafts"]);
    let port = server.port;
    let draft = "/roles/secret-plan/";
    for host in [
        "localhost".to_string(),
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        "127.0.0.1".to_string(),
        format!("[::1]:{port}"),
    ] {
        let response = server.get(&host, draft);
        assert_eq!(response.status, 200, "Host: {host}");
        assert!(response.text().contains("zanzibarword"), "Host: {host}");
    }
    // A page on another site whose name was pointed at 127.0.0.1 (DNS rebinding).
    for host in ["evil.example", &format!("evil.example:{port}"), "localhost.evil.example", "192.0.2.1"] {
        for target in [draft, "/", "/__copcat/events", "/catalog.json"] {
            let response = server.get(host, target);
            assert_eq!(response.status, 421, "Host: {host}, {target}");
            assert!(!response.text().contains("zanzibarword"), "Host: {host}, {target}");
            assert_eq!(response.header("connection"), Some("close"));
        }
    }
    let without_host = server.exchange(b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
    assert_eq!(without_host[0].status, 400);
    let two_hosts = "GET / HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\nConnection: close\r\n\r\n";
    assert_eq!(server.exchange(two_hosts.as_bytes())[0].status, 400);
    assert_eq!(server.exchange(b"GET / HTTP/1.1\r\nHost: user@localhost\r\n\r\n")[0].status, 400);
    // HTTP/1.0 did not require Host.
    assert_eq!(server.exchange(b"GET / HTTP/1.0\r\n\r\n")[0].status, 200);
}

#[test]
fn a_body_is_never_read_as_a_request() {
    let server = Server::start(&[]);
    let host = server.host();
    // The hidden request asks for a folder without its slash, the only way to get a 301.
    let hidden = format!("GET /roles/knowledge-broker HTTP/1.1\r\nHost: {host}\r\n\r\n");
    let last = format!("GET /robots.txt HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    let statuses =
        |responses: &[Response]| responses.iter().map(|response| response.status).collect::<Vec<_>>();

    // A small body is read and dropped; the connection goes on to the next real request.
    for method in ["POST", "GET"] {
        let request = format!(
            "{method} / HTTP/1.1\r\nHost: {host}\r\nContent-Length: {}\r\n\r\n{hidden}{last}",
            hidden.len()
        );
        let responses = server.exchange(request.as_bytes());
        let expected = if method == "POST" { [405, 200] } else { [200, 200] };
        assert_eq!(statuses(&responses), expected, "{method} with a body");
        assert_eq!(responses[1].header("content-type"), Some("text/plain; charset=utf-8"));
    }
    // A chunked body, or one too large to read, closes the connection after the answer.
    let chunked = format!(
        "POST / HTTP/1.1\r\nHost: {host}\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n{hidden}\r\n0\r\n\r\n{last}",
        hidden.len()
    );
    let large = format!("POST / HTTP/1.1\r\nHost: {host}\r\nContent-Length: 10000000\r\n\r\n{hidden}{last}");
    for request in [chunked, large] {
        let responses = server.exchange(request.as_bytes());
        assert_eq!(statuses(&responses), [405], "{request}");
        assert_eq!(responses[0].header("connection"), Some("close"));
    }
    // Ambiguous framing is refused outright.
    let ambiguous = format!(
        "POST / HTTP/1.1\r\nHost: {host}\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n{hidden}{last}"
    );
    let responses = server.exchange(ambiguous.as_bytes());
    assert!(responses.iter().all(|response| response.status != 301), "{:?}", statuses(&responses));
}

#[test]
fn absolute_form_targets_are_served() {
    let server = Server::start(&[]);
    let port = server.port;
    let page = server.get("localhost", "/roles/knowledge-broker/");
    assert_eq!(page.status, 200);
    for authority in [format!("127.0.0.1:{port}"), format!("localhost:{port}"), "localhost".to_string()] {
        let absolute = server.get("localhost", &format!("http://{authority}/roles/knowledge-broker/"));
        assert_eq!(absolute.status, 200, "{authority}");
        assert!(absolute.body == page.body, "{authority}");
        let style = server.get("localhost", &format!("http://{authority}/style.css"));
        assert_eq!(style.header("content-type"), Some("text/css; charset=utf-8"));
    }
    let redirect = server.get("localhost", &format!("http://127.0.0.1:{port}/roles/knowledge-broker?x=1"));
    assert_eq!((redirect.status, redirect.header("location")), (301, Some("/roles/knowledge-broker/?x=1")));
    assert_eq!(server.get("localhost", &format!("http://127.0.0.1:{port}")).status, 200);
    // The target's authority is checked as Host is, and stands in for it.
    assert_eq!(server.get("localhost", "http://evil.example/roles/knowledge-broker/").status, 421);
    assert_eq!(server.get("evil.example", &format!("http://127.0.0.1:{port}/")).status, 200);
}
