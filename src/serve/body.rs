//! Response bodies: bytes in memory, or a live-reload event stream that stays open,
//! writing each event as it comes and a comment when idle, so that a tab that went away
//! without closing its connection is noticed by the failed write.

use super::limits::StreamGuard;
use super::reload::Event;
use hyper::body::{Bytes, Frame, SizeHint};
use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::sync::mpsc::UnboundedReceiver;
use tokio::time::Sleep;

/// How often an idle event stream gets a comment.
pub const HEARTBEAT: Duration = Duration::from_secs(15);

pub enum Body {
    Bytes(Option<Bytes>),
    Events(Box<EventStream>),
}

impl Body {
    pub fn empty() -> Body {
        Body::Bytes(None)
    }

    pub fn bytes(bytes: impl Into<Bytes>) -> Body {
        Body::Bytes(Some(bytes.into()))
    }
}

impl hyper::body::Body for Body {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        match self.get_mut() {
            Body::Bytes(bytes) => Poll::Ready(bytes.take().map(|bytes| Ok(Frame::data(bytes)))),
            Body::Events(events) => {
                events.poll_event(cx).map(|event| event.map(|bytes| Ok(Frame::data(bytes))))
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        matches!(self, Body::Bytes(None))
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            Body::Bytes(bytes) => SizeHint::with_exact(bytes.as_ref().map_or(0, |bytes| bytes.len() as u64)),
            Body::Events(_) => SizeHint::default(),
        }
    }
}

/// One tab's event stream, counted against the stream caps while it lives.
pub struct EventStream {
    /// The reconnection delay, sent first.
    preamble: Option<Bytes>,
    events: UnboundedReceiver<Event>,
    heartbeat: Pin<Box<Sleep>>,
    _counted: StreamGuard,
}

impl EventStream {
    pub fn new(events: UnboundedReceiver<Event>, counted: StreamGuard) -> EventStream {
        EventStream {
            preamble: Some(Bytes::from_static(b"retry: 500\n\n")),
            events,
            heartbeat: Box::pin(tokio::time::sleep(HEARTBEAT)),
            _counted: counted,
        }
    }

    /// The next bytes to write; `None` once the server stops broadcasting.
    fn poll_event(&mut self, cx: &mut Context<'_>) -> Poll<Option<Bytes>> {
        if let Some(preamble) = self.preamble.take() {
            return Poll::Ready(Some(preamble));
        }
        let bytes = match self.events.poll_recv(cx) {
            Poll::Ready(Some(event)) => Bytes::from(event),
            Poll::Ready(None) => return Poll::Ready(None),
            Poll::Pending => match self.heartbeat.as_mut().poll(cx) {
                Poll::Ready(()) => Bytes::from_static(b": keep-alive\n\n"),
                Poll::Pending => return Poll::Pending,
            },
        };
        let next = tokio::time::Instant::now() + HEARTBEAT;
        self.heartbeat.as_mut().reset(next);
        Poll::Ready(Some(bytes))
    }
}
