//! What keeps slow, stuck or hostile clients from starving the server: a cap on open
//! connections where a newcomer displaces the oldest ordinary connection, caps on event
//! streams (per client address and in all), and a deadline on writes that stall.
//!
//! Reading a request head has its own deadline, kept by hyper (`header_read_timeout`), so
//! an ordinary connection lives only while it sends requests promptly or takes responses.

use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::io;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::task::AbortHandle;
use tokio::time::Sleep;

/// Connections open at once. Past this, a new connection closes the oldest one that is not
/// an event stream: under a flood of slow clients the oldest is the slowest, and a
/// browser's request, which arrives whole at once, is answered before it could be oldest.
pub const MAX_CONNECTIONS: usize = 512;
/// Event streams (live-reload tabs) from one client address; one browser opens at most
/// six connections to a host, so more than this is not a person's tabs.
pub const MAX_EVENT_STREAMS_PER_ADDRESS: usize = 8;
/// Event streams in all, so that most connection slots stay free for ordinary requests
/// however many addresses a client has.
pub const MAX_EVENT_STREAMS: usize = 64;

// An event stream is never displaced, so the streams must leave room for others.
const _: () = assert!(MAX_EVENT_STREAMS < MAX_CONNECTIONS);

/// The open connections, oldest first, and the event streams per client address.
#[derive(Default)]
pub struct Connections {
    inner: Mutex<Registry>,
}

#[derive(Default)]
struct Registry {
    next: u64,
    open: BTreeMap<u64, Open>,
    streams: HashMap<IpAddr, usize>,
    stream_total: usize,
}

#[derive(Default)]
struct Open {
    /// Closes the connection; set once its task is spawned.
    abort: Option<AbortHandle>,
    event_stream: bool,
}

impl Connections {
    fn lock(&self) -> MutexGuard<'_, Registry> {
        // A panic while holding the lock leaves counts that are still consistent.
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Makes room for a new connection (closing the oldest ordinary one if the server is
    /// full) and registers it; it is forgotten when the returned slot is dropped.
    pub fn admit(self: &Arc<Self>) -> Slot {
        let mut registry = self.lock();
        let mut displaced = None;
        if registry.open.len() >= MAX_CONNECTIONS {
            let oldest = registry.open.iter().find(|(_, open)| !open.event_stream).map(|(id, _)| *id);
            displaced = oldest.and_then(|id| registry.open.remove(&id)).and_then(|open| open.abort);
        }
        let id = registry.next;
        registry.next += 1;
        registry.open.insert(id, Open::default());
        drop(registry);
        // Outside the lock: the closed connection's slot takes it to unregister.
        if let Some(abort) = displaced {
            abort.abort();
        }
        Slot { connections: Arc::clone(self), id }
    }

    /// How many connections are open.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.lock().open.len()
    }

    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many event streams are open.
    #[cfg(test)]
    pub fn event_streams(&self) -> usize {
        self.lock().stream_total
    }
}

/// A registered connection; dropping it (the connection ended or was closed) frees its
/// place.
pub struct Slot {
    connections: Arc<Connections>,
    id: u64,
}

impl Slot {
    /// Lets the registry close this connection's task to make room.
    pub fn attach(&self, abort: AbortHandle) {
        if let Some(open) = self.connections.lock().open.get_mut(&self.id) {
            open.abort = Some(abort);
        }
    }

    /// Counts an event stream from `address` on this connection, or `None` when that
    /// address, or the server, has as many as allowed. The stream is counted until the
    /// returned guard is dropped.
    pub fn open_event_stream(&self, address: IpAddr) -> Option<StreamGuard> {
        let mut registry = self.connections.lock();
        let from_address = registry.streams.get(&address).copied().unwrap_or(0);
        if from_address >= MAX_EVENT_STREAMS_PER_ADDRESS || registry.stream_total >= MAX_EVENT_STREAMS {
            return None;
        }
        registry.streams.insert(address, from_address + 1);
        registry.stream_total += 1;
        if let Some(open) = registry.open.get_mut(&self.id) {
            open.event_stream = true;
        }
        Some(StreamGuard { connections: Arc::clone(&self.connections), address })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.connections.lock().open.remove(&self.id);
    }
}

/// One counted event stream.
pub struct StreamGuard {
    connections: Arc<Connections>,
    address: IpAddr,
}

impl Drop for StreamGuard {
    fn drop(&mut self) {
        let mut registry = self.connections.lock();
        registry.stream_total = registry.stream_total.saturating_sub(1);
        if let Some(count) = registry.streams.get_mut(&self.address) {
            *count -= 1;
            if *count == 0 {
                registry.streams.remove(&self.address);
            }
        }
    }
}

/// A connection whose writes fail once one has made no progress for `limit`: a client
/// that stops reading (a page it asked for, or its event stream) is closed rather than
/// holding its connection for ever.
pub struct StallDeadline<T> {
    inner: T,
    limit: Duration,
    stalled: Option<Pin<Box<Sleep>>>,
}

impl<T> StallDeadline<T> {
    pub fn new(inner: T, limit: Duration) -> StallDeadline<T> {
        StallDeadline { inner, limit, stalled: None }
    }

    /// Passes on a write's progress, or fails it once it has waited too long.
    fn watch<R>(&mut self, cx: &mut Context<'_>, poll: Poll<io::Result<R>>) -> Poll<io::Result<R>> {
        if poll.is_ready() {
            self.stalled = None;
            return poll;
        }
        let limit = self.limit;
        let deadline = self.stalled.get_or_insert_with(|| Box::pin(tokio::time::sleep(limit)));
        match deadline.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(io::ErrorKind::TimedOut, "write stalled"))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for StallDeadline<T> {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for StallDeadline<T> {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.inner).poll_write(cx, buf);
        this.watch(cx, poll)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buffers: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.inner).poll_write_vectored(cx, buffers);
        this.watch(cx, poll)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.inner).poll_flush(cx);
        this.watch(cx, poll)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.inner).poll_shutdown(cx);
        this.watch(cx, poll)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap()
    }

    #[test]
    fn a_full_server_closes_its_oldest_ordinary_connection() {
        runtime().block_on(async {
            let connections = Arc::new(Connections::default());
            let stream = connections.admit();
            let _guard = stream.open_event_stream(IpAddr::from([127, 0, 0, 1])).unwrap();
            let mut slots = Vec::new();
            let mut tasks = Vec::new();
            for _ in 1..MAX_CONNECTIONS {
                let slot = connections.admit();
                let task = tokio::spawn(std::future::pending::<()>());
                slot.attach(task.abort_handle());
                slots.push(slot);
                tasks.push(task);
            }
            assert_eq!(connections.len(), MAX_CONNECTIONS);
            let newcomer = connections.admit();
            assert_eq!(connections.len(), MAX_CONNECTIONS);
            // Not the event stream (the very oldest), but the oldest ordinary connection.
            let first = tasks.remove(0);
            assert!(first.await.unwrap_err().is_cancelled());
            assert!(tasks.iter().all(|task| !task.is_finished()));
            drop(newcomer);
            drop(slots);
            drop(stream);
            assert!(connections.is_empty());
        });
    }

    #[test]
    fn event_streams_are_capped_per_address_and_freed_when_dropped() {
        let connections = Arc::new(Connections::default());
        let slot = connections.admit();
        let here = IpAddr::from([127, 0, 0, 1]);
        let there = IpAddr::from([127, 0, 0, 2]);
        let mut guards: Vec<StreamGuard> =
            (0..MAX_EVENT_STREAMS_PER_ADDRESS).map(|_| slot.open_event_stream(here).unwrap()).collect();
        assert!(slot.open_event_stream(here).is_none());
        let other = slot.open_event_stream(there).unwrap();
        guards.pop();
        guards.push(slot.open_event_stream(here).unwrap());
        assert_eq!(connections.event_streams(), MAX_EVENT_STREAMS_PER_ADDRESS + 1);
        drop(guards);
        drop(other);
        assert_eq!(connections.event_streams(), 0);
    }

    #[test]
    fn event_streams_are_capped_in_all() {
        let connections = Arc::new(Connections::default());
        let slot = connections.admit();
        let guards: Vec<StreamGuard> = (0..MAX_EVENT_STREAMS)
            .map(|n| {
                slot.open_event_stream(IpAddr::from([127, 1, (n / 250) as u8, (n % 250) as u8])).unwrap()
            })
            .collect();
        assert!(slot.open_event_stream(IpAddr::from([127, 2, 0, 0])).is_none());
        drop(guards);
        assert!(slot.open_event_stream(IpAddr::from([127, 2, 0, 0])).is_some());
    }

    #[test]
    fn a_stalled_write_fails_after_its_deadline() {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let near = tokio::net::TcpStream::connect(listener.local_addr().unwrap()).await.unwrap();
            let _far = listener.accept().await.unwrap(); // Never reads.
            let mut stalled = StallDeadline::new(near, Duration::from_millis(100));
            let chunk = vec![0u8; 64 * 1024];
            let mut written = 0;
            let error = loop {
                match std::future::poll_fn(|cx| Pin::new(&mut stalled).poll_write(cx, &chunk)).await {
                    Ok(count) => written += count,
                    Err(error) => break error,
                }
            };
            assert_eq!(error.kind(), io::ErrorKind::TimedOut);
            assert!(written > 0);
        });
    }
}
