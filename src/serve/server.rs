//! The HTTP server: a thread per connection (up to a limit), with timeouts so that a slow
//! or stuck client holds only its own thread. It serves the in-memory site, the reload
//! script and the event stream.
//!
//! A small HTTP/1.1 server on `std::net` rather than a crate: the server-sent event stream
//! wants a connection held open and written to from a channel, which a request/response
//! library makes awkward, and the rest (GET and HEAD of files in memory) is a few lines.

use super::http::{self, Request};
use super::reload::{self, Broadcaster};
use super::site::SharedSite;
use std::io::{self, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::RecvTimeoutError;
use std::time::Duration;

/// How long a client may take to send a request or receive a response.
const TIMEOUT: Duration = Duration::from_secs(10);
/// How often an idle event stream gets a comment, to notice closed tabs.
const KEEPALIVE: Duration = Duration::from_secs(15);
/// Connections served at once; more get 503.
const MAX_CONNECTIONS: usize = 256;

/// What the server needs to answer requests.
#[derive(Clone)]
pub struct Server {
    pub site: SharedSite,
    pub broadcaster: Arc<Broadcaster>,
    active: Arc<AtomicUsize>,
}

impl Server {
    pub fn new(site: SharedSite, broadcaster: Arc<Broadcaster>) -> Server {
        Server { site, broadcaster, active: Arc::new(AtomicUsize::new(0)) }
    }

    /// Accepts connections on `listener` in a thread of its own.
    pub fn spawn(self, listener: TcpListener) -> io::Result<SocketAddr> {
        let address = listener.local_addr()?;
        std::thread::Builder::new().name("copcat-accept".into()).spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                self.accept(stream);
            }
        })?;
        Ok(address)
    }

    fn accept(&self, mut stream: TcpStream) {
        let _ = stream.set_read_timeout(Some(TIMEOUT));
        let _ = stream.set_write_timeout(Some(TIMEOUT));
        if self.active.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            self.active.fetch_sub(1, Ordering::SeqCst);
            let _ =
                write_head(&mut stream, 503, "Service Unavailable", &[("Content-Length", "0".into())], false);
            return;
        }
        let server = self.clone();
        let spawned = std::thread::Builder::new().name("copcat-conn".into()).spawn(move || {
            let _ = server.serve_connection(stream);
            server.active.fetch_sub(1, Ordering::SeqCst);
        });
        if spawned.is_err() {
            self.active.fetch_sub(1, Ordering::SeqCst);
        }
    }

    fn serve_connection(&self, stream: TcpStream) -> io::Result<()> {
        let mut reader = BufReader::new(stream.try_clone()?);
        let mut writer = stream;
        loop {
            let request = match http::read_request(&mut reader) {
                Ok(Some(request)) => request,
                Ok(None) => return Ok(()),
                Err(error) if error.kind() == io::ErrorKind::InvalidData => {
                    let headers = [("Content-Length", "0".to_string())];
                    return write_head(&mut writer, 400, "Bad Request", &headers, false);
                }
                Err(error) => return Err(error),
            };
            if !self.respond(&request, &mut writer)? || !request.keep_alive() {
                return Ok(());
            }
        }
    }

    /// Answers one request; returns whether the connection may serve another.
    fn respond(&self, request: &Request, writer: &mut TcpStream) -> io::Result<bool> {
        let keep_alive = request.keep_alive();
        let head = request.method == "HEAD";
        if request.method != "GET" && !head {
            let headers = [("Allow", "GET, HEAD".to_string()), ("Content-Length", "0".to_string())];
            write_head(writer, 405, "Method Not Allowed", &headers, keep_alive)?;
            return Ok(keep_alive);
        }
        let target_path = request.target.split(['?', '#']).next().unwrap_or_default();
        if target_path == reload::EVENTS_PATH {
            self.stream_events(writer)?;
            return Ok(false);
        }
        if target_path == reload::SCRIPT_PATH {
            let body = reload::SCRIPT.as_bytes();
            let etag = format!("\"copcat-{}\"", env!("CARGO_PKG_VERSION"));
            send(writer, request, 200, http::content_type("reload.js"), &etag, body, head)?;
            return Ok(keep_alive);
        }
        let site = self.site.current();
        let Some(path) = http::site_path(&request.target) else {
            self.not_found(writer, request, &site, head)?;
            return Ok(keep_alive);
        };
        let Some(file) = site.get(&path) else {
            // A folder without its slash: send the browser to it, as static hosts do.
            if !path.ends_with("index.html") && site.get(&format!("{path}/index.html")).is_some() {
                let query = request.target.find('?').map(|at| &request.target[at..]).unwrap_or_default();
                let headers = [
                    ("Location", format!("/{path}/{query}")),
                    ("Content-Length", "0".to_string()),
                    ("Cache-Control", "no-cache".to_string()),
                ];
                write_head(writer, 301, "Moved Permanently", &headers, keep_alive)?;
            } else {
                self.not_found(writer, request, &site, head)?;
            }
            return Ok(keep_alive);
        };
        let content_type = http::content_type(&path);
        if content_type.starts_with("text/html") {
            let etag = format!("{}-r\"", file.etag().trim_end_matches('"'));
            send(writer, request, 200, content_type, &etag, &reload::inject(&file.bytes), head)?;
        } else {
            send(writer, request, 200, content_type, file.etag(), &file.bytes, head)?;
        }
        Ok(keep_alive)
    }

    fn not_found(
        &self,
        writer: &mut TcpStream,
        request: &Request,
        site: &super::site::Site,
        head: bool,
    ) -> io::Result<()> {
        let body = match site.get("404.html") {
            Some(page) => reload::inject(&page.bytes),
            None => reload::inject(b"<!doctype html><title>Not found</title><h1>Not found</h1>"),
        };
        let headers = [
            ("Content-Type", "text/html; charset=utf-8".to_string()),
            ("Content-Length", body.len().to_string()),
            ("Cache-Control", "no-store".to_string()),
            ("X-Content-Type-Options", "nosniff".to_string()),
        ];
        write_head(writer, 404, "Not Found", &headers, request.keep_alive())?;
        if !head {
            writer.write_all(&body)?;
        }
        writer.flush()
    }

    /// Holds the connection open, writing each event as it comes.
    fn stream_events(&self, writer: &mut TcpStream) -> io::Result<()> {
        let headers =
            [("Content-Type", "text/event-stream".to_string()), ("Cache-Control", "no-store".to_string())];
        write_head(writer, 200, "OK", &headers, false)?;
        writer.write_all(b"retry: 500\n\n")?;
        writer.flush()?;
        let events = self.broadcaster.subscribe();
        loop {
            match events.recv_timeout(KEEPALIVE) {
                Ok(event) => writer.write_all(event.as_bytes())?,
                Err(RecvTimeoutError::Timeout) => writer.write_all(b": keep-alive\n\n")?,
                Err(RecvTimeoutError::Disconnected) => return Ok(()),
            }
            writer.flush()?;
        }
    }
}

/// Sends a file, or 304 when the client has it already.
fn send(
    writer: &mut TcpStream,
    request: &Request,
    status: u16,
    content_type: &str,
    etag: &str,
    body: &[u8],
    head: bool,
) -> io::Result<()> {
    let keep_alive = request.keep_alive();
    let fresh = request.header("if-none-match").is_some_and(|tags| http::etag_matches(tags, etag));
    let mut headers = vec![
        ("ETag", etag.to_string()),
        ("Cache-Control", "no-cache".to_string()),
        ("X-Content-Type-Options", "nosniff".to_string()),
    ];
    if fresh {
        return write_head(writer, 304, "Not Modified", &headers, keep_alive);
    }
    headers.push(("Content-Type", content_type.to_string()));
    headers.push(("Content-Length", body.len().to_string()));
    write_head(writer, status, "OK", &headers, keep_alive)?;
    if !head {
        writer.write_all(body)?;
    }
    writer.flush()
}

fn write_head(
    writer: &mut impl Write,
    status: u16,
    reason: &str,
    headers: &[(&str, String)],
    keep_alive: bool,
) -> io::Result<()> {
    let mut head = format!("HTTP/1.1 {status} {reason}\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(if keep_alive { "Connection: keep-alive\r\n\r\n" } else { "Connection: close\r\n\r\n" });
    writer.write_all(head.as_bytes())?;
    writer.flush()
}
