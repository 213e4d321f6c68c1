//! The HTTP server: serves the in-memory site, the reload script and the event stream.
//!
//! hyper speaks HTTP/1.1 here, on a single-threaded tokio runtime of the server's own, so
//! a connection costs a little memory rather than a thread and hundreds of slow clients
//! leave a browser's requests unaffected. hyper rather than the hand-written parser this
//! module once had: it keeps a deadline for a whole request head (and for an idle
//! keep-alive connection), frames request bodies by Content-Length or chunked encoding and
//! refuses ambiguous framing (so a body is never read as a request), parses absolute-form
//! targets, notices a client that closes while its event stream is idle, and answers
//! malformed or oversized heads itself; these are the parts a hand-written server gets
//! subtly wrong, and hyper's are widely used and fuzzed. What stays here is policy: which
//! hosts are this server (`http::destination`), how many connections and event streams a
//! client may hold (`limits`), what to do with a body, and the files.

use super::body::{Body, EventStream};
use super::http::{self, Destination};
use super::limits::{Connections, MAX_EVENT_STREAMS_PER_ADDRESS, Slot, StallDeadline};
use super::reload::{self, Broadcaster};
use super::response::{closing, not_found, redirect, send, text, with_headers, with_status};
use super::site::{SharedSite, SiteFile};
use hyper::body::{Body as _, Bytes, Incoming};
use hyper::header::{self, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode, Version};
use hyper_util::rt::{TokioIo, TokioTimer};
use std::convert::Infallible;
use std::io;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

/// How long a client has to send a whole request head, counted from when the connection
/// opens or its previous response was sent; a client that has not by then is closed.
const HEAD_DEADLINE: Duration = Duration::from_secs(5);
/// How long a write may make no progress before the client is closed.
const WRITE_STALL: Duration = Duration::from_secs(10);
/// The most a request head may take; more is answered 431.
const MAX_HEAD: usize = 16 * 1024;
/// The largest request body read and dropped so that the connection can serve another
/// request; a larger one, or one of unknown length, closes the connection instead.
const MAX_DISCARDED_BODY: u64 = 64 * 1024;
/// How long that reading may take.
const BODY_DEADLINE: Duration = Duration::from_secs(5);

/// What the server needs to answer requests.
pub struct Server {
    pub site: SharedSite,
    pub broadcaster: Arc<Broadcaster>,
    connections: Arc<Connections>,
}

/// What an answer depends on about the connection it came on.
struct Connection {
    /// The address the client reached, which a `Host` header may name.
    local: SocketAddr,
    /// The client's address, for the event stream caps.
    remote: IpAddr,
    slot: Arc<Slot>,
}

impl Server {
    pub fn new(site: SharedSite, broadcaster: Arc<Broadcaster>) -> Server {
        Server { site, broadcaster, connections: Arc::new(Connections::default()) }
    }

    /// Accepts connections on `listener` in a thread of its own.
    pub fn spawn(self, listener: TcpListener) -> io::Result<SocketAddr> {
        let address = listener.local_addr()?;
        listener.set_nonblocking(true)?;
        let runtime = tokio::runtime::Builder::new_current_thread().enable_io().enable_time().build()?;
        let listener = {
            let _context = runtime.enter();
            tokio::net::TcpListener::from_std(listener)?
        };
        let server = Arc::new(self);
        std::thread::Builder::new()
            .name("copcat-http".into())
            .spawn(move || runtime.block_on(server.accept(listener)))?;
        Ok(address)
    }

    async fn accept(self: Arc<Self>, listener: tokio::net::TcpListener) {
        loop {
            let (stream, remote) = match listener.accept().await {
                Ok(accepted) => accepted,
                // Out of file descriptors, say: wait for connections to close, not spin.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            };
            let slot = Arc::new(self.connections.admit());
            let task = tokio::spawn(Arc::clone(&self).serve_connection(stream, remote, Arc::clone(&slot)));
            slot.attach(task.abort_handle());
        }
    }

    async fn serve_connection(
        self: Arc<Self>,
        stream: tokio::net::TcpStream,
        remote: SocketAddr,
        slot: Arc<Slot>,
    ) {
        let Ok(local) = stream.local_addr() else { return };
        let _ = stream.set_nodelay(true);
        let connection = Arc::new(Connection { local, remote: remote.ip().to_canonical(), slot });
        let service = service_fn(move |request| {
            let server = Arc::clone(&self);
            let connection = Arc::clone(&connection);
            async move { Ok::<_, Infallible>(server.respond(request, &connection).await) }
        });
        let io = TokioIo::new(StallDeadline::new(stream, WRITE_STALL));
        let _ = http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(HEAD_DEADLINE)
            .max_buf_size(MAX_HEAD)
            .serve_connection(io, service)
            .await;
    }

    async fn respond(&self, mut request: Request<Incoming>, connection: &Connection) -> Response<Body> {
        if let Some(refusal) = refuse_destination(&request, connection.local) {
            return closing(refusal);
        }
        let reusable = discard_body(request.body_mut()).await;
        let response = self.answer(&request, connection);
        if reusable { response } else { closing(response) }
    }

    fn answer(&self, request: &Request<Incoming>, connection: &Connection) -> Response<Body> {
        let head = request.method() == Method::HEAD;
        if request.method() != Method::GET && !head {
            let mut response = with_status(StatusCode::METHOD_NOT_ALLOWED, Body::empty());
            response.headers_mut().insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
            response.headers_mut().insert(header::CONTENT_LENGTH, HeaderValue::from(0));
            return response;
        }
        let target = request.uri().path();
        if target == reload::EVENTS_PATH {
            return self.event_stream(connection, head);
        }
        if target == reload::SCRIPT_PATH {
            let etag = format!("\"copcat-{}\"", env!("CARGO_PKG_VERSION"));
            let script = Bytes::from_static(reload::SCRIPT.as_bytes());
            return send(request, http::content_type("reload.js"), &etag, script);
        }
        let site = self.site.current();
        let Some(path) = http::site_path(target) else { return not_found(&site, head) };
        let Some(file) = site.get(&path) else {
            // A folder without its slash: send the browser to it, as static hosts do.
            if !path.ends_with("index.html") && site.get(&format!("{path}/index.html")).is_some() {
                let query = request.uri().query().map(|query| format!("?{query}")).unwrap_or_default();
                return redirect(&format!("/{}/{query}", http::encode_path(&path)));
            }
            return not_found(&site, head);
        };
        let content_type = http::content_type(&path);
        if content_type.starts_with("text/html") {
            let etag = format!("{}-r\"", file.etag().trim_end_matches('"'));
            send(request, content_type, &etag, Bytes::from(reload::inject(&file.bytes)))
        } else {
            send(request, content_type, file.etag(), Bytes::from_owner(Shared(Arc::clone(file))))
        }
    }

    /// Opens a live-reload event stream, unless the client has as many as allowed: then
    /// 429, rather than closing an older one, since that tab would reconnect and close
    /// another in turn.
    fn event_stream(&self, connection: &Connection, head: bool) -> Response<Body> {
        let headers = [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/event-stream")),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ];
        if head {
            return with_headers(with_status(StatusCode::OK, Body::empty()), headers);
        }
        let Some(counted) = connection.slot.open_event_stream(connection.remote) else {
            return text(
                StatusCode::TOO_MANY_REQUESTS,
                &format!(
                    "copcat serve keeps at most {MAX_EVENT_STREAMS_PER_ADDRESS} live-reload streams \
                     per client address; close some tabs of this preview and reload.\n"
                ),
            );
        };
        let events = EventStream::new(self.broadcaster.subscribe(), counted);
        with_headers(with_status(StatusCode::OK, Body::Events(Box::new(events))), headers)
    }
}

/// A site file as a response body, shared rather than copied.
struct Shared(Arc<SiteFile>);

impl AsRef<[u8]> for Shared {
    fn as_ref(&self) -> &[u8] {
        &self.0.bytes
    }
}

/// A refusal for a request not sent to this server: one naming another host (421, which is
/// what a page on another site gets when it points its name here, DNS rebinding), or with
/// no usable `Host` at all (400). An absolute-form target's authority stands in for `Host`
/// (RFC 9112, section 3.2.2).
fn refuse_destination(request: &Request<Incoming>, local: SocketAddr) -> Option<Response<Body>> {
    let mut hosts = request.headers().get_all(header::HOST).iter();
    let host = hosts.next();
    if hosts.next().is_some() {
        return Some(text(StatusCode::BAD_REQUEST, "More than one Host header.\n"));
    }
    let authority = match (request.uri().authority(), host) {
        (Some(authority), _) => authority.as_str(),
        (None, Some(host)) => host.to_str().unwrap_or_default(),
        // HTTP/1.0 did not require Host, and a browser always sends it.
        (None, None) if request.version() <= Version::HTTP_10 => return None,
        (None, None) => {
            return Some(text(StatusCode::BAD_REQUEST, "An HTTP/1.1 request needs a Host header.\n"));
        }
    };
    match http::destination(authority.trim(), local.ip()) {
        Destination::Served => None,
        Destination::Malformed => Some(text(StatusCode::BAD_REQUEST, "The Host header is malformed.\n")),
        Destination::Elsewhere => Some(text(
            StatusCode::MISDIRECTED_REQUEST,
            &format!(
                "This is copcat serve's preview, which answers only requests for localhost or this \
                 machine's address, so that other sites cannot read it; open \
                 http://localhost:{}/ instead.\n",
                local.port()
            ),
        )),
    }
}

/// Reads and drops a request body so that its connection can serve another request;
/// `false` when the body is too large, of unknown length (chunked), or too slow, and the
/// connection must close instead. Either way the body is never read as a request.
async fn discard_body(body: &mut Incoming) -> bool {
    if body.is_end_stream() {
        return true;
    }
    if body.size_hint().exact().is_none_or(|length| length > MAX_DISCARDED_BODY) {
        return false;
    }
    let drain = async {
        loop {
            match std::future::poll_fn(|cx| Pin::new(&mut *body).poll_frame(cx)).await {
                None => return true,
                Some(Ok(_)) => continue,
                Some(Err(_)) => return false,
            }
        }
    };
    tokio::time::timeout(BODY_DEADLINE, drain).await.unwrap_or(false)
}
