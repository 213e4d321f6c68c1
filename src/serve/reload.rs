//! Live reload: server-sent events to open tabs, and the script that listens for them
//! (added to HTML responses by the server only, never to built files).

use crate::diagnostic::Diagnostic;
use serde::Serialize;
use std::sync::Mutex;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

/// The script's URL; a file served by the server, so a CSP of `script-src 'self'` holds.
pub const SCRIPT_PATH: &str = "/__copcat/reload.js";
/// The event stream's URL.
pub const EVENTS_PATH: &str = "/__copcat/events";
pub const SCRIPT: &str = include_str!("reload.js");

/// Past this many changed pages, tabs are told "everything" rather than a list.
const MAX_LISTED: usize = 2_000;

/// One server-sent event, ready to write.
pub type Event = String;

fn event(name: &str, data: &impl Serialize) -> Event {
    let data = serde_json::to_string(data).unwrap_or_else(|_| "{}".to_string());
    format!("event: {name}\ndata: {data}\n\n")
}

#[derive(Serialize)]
struct Reload<'a> {
    all: bool,
    paths: &'a [String],
}

#[derive(Serialize)]
struct Status<'a> {
    diagnostics: &'a [Diagnostic],
}

/// Sends events to every open event stream; a new stream first gets the current status.
#[derive(Default)]
pub struct Broadcaster {
    inner: Mutex<Subscribers>,
}

#[derive(Default)]
struct Subscribers {
    senders: Vec<UnboundedSender<Event>>,
    status: Option<Event>,
}

impl Broadcaster {
    pub fn subscribe(&self) -> UnboundedReceiver<Event> {
        let (sender, receiver) = unbounded_channel();
        if let Ok(mut inner) = self.inner.lock() {
            let status =
                inner.status.clone().unwrap_or_else(|| event("status", &Status { diagnostics: &[] }));
            let _ = sender.send(status);
            // Streams closed since the last event are forgotten now rather than at the next.
            inner.senders.retain(|sender| !sender.is_closed());
            inner.senders.push(sender);
        }
        receiver
    }

    fn send(&self, event: Event) {
        if let Ok(mut inner) = self.inner.lock() {
            inner.senders.retain(|sender| sender.send(event.clone()).is_ok());
        }
    }

    /// Tells tabs showing any of `paths` (site paths, e.g. `roles/a/index.html`) to reload.
    pub fn reload(&self, paths: &[String]) {
        if paths.is_empty() {
            return;
        }
        let all = paths.len() > MAX_LISTED;
        self.send(event("reload", &Reload { all, paths: if all { &[] } else { paths } }));
    }

    /// Shows `diagnostics`' errors as an overlay in every tab (none: removes it).
    pub fn status(&self, diagnostics: &[Diagnostic]) {
        let status = event("status", &Status { diagnostics });
        let changed = self.inner.lock().map(|mut inner| {
            let changed = inner.status.as_ref() != Some(&status);
            inner.status = Some(status.clone());
            changed
        });
        if changed.unwrap_or(false) {
            self.send(status);
        }
    }

    /// How many event streams are open.
    pub fn listeners(&self) -> usize {
        self.inner
            .lock()
            .map(|inner| inner.senders.iter().filter(|sender| !sender.is_closed()).count())
            .unwrap_or(0)
    }
}

/// Adds the reload script to an HTML page, before `</head>` (else before `</body>`, else at
/// the end).
pub fn inject(html: &[u8]) -> Vec<u8> {
    let tag = format!("<script src=\"{SCRIPT_PATH}\" defer></script>");
    let lower = String::from_utf8_lossy(html).to_ascii_lowercase();
    let at = lower.find("</head>").or_else(|| lower.rfind("</body>")).unwrap_or(html.len());
    // Lowercasing keeps byte offsets unless lossy decoding replaced invalid bytes.
    let at = if lower.len() == html.len() { at } else { html.len() };
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_before_the_head_closes() {
        let tag = format!("<script src=\"{SCRIPT_PATH}\" defer></script>");
        let cases = [
            (
                "<html><head><title>x</title></head><body></body></html>",
                format!("<html><head><title>x</title>{tag}</head><body></body></html>"),
            ),
            ("<p>no head</p></BODY>", format!("<p>no head</p>{tag}</BODY>")),
            ("bare", format!("bare{tag}")),
        ];
        for (html, expected) in cases {
            assert_eq!(String::from_utf8(inject(html.as_bytes())).unwrap(), expected);
        }
    }

    #[test]
    fn a_new_stream_gets_the_current_status_first() {
        let broadcaster = Broadcaster::default();
        broadcaster.status(&[Diagnostic::error("content/a.md", crate::diagnostic::Position::START, "bad")]);
        let mut receiver = broadcaster.subscribe();
        let first = receiver.try_recv().unwrap();
        assert!(first.starts_with("event: status\n") && first.contains("content/a.md"));
        broadcaster.reload(&["index.html".to_string()]);
        assert_eq!(
            receiver.try_recv().unwrap(),
            "event: reload\ndata: {\"all\":false,\"paths\":[\"index.html\"]}\n\n"
        );
    }

    #[test]
    fn closed_streams_are_not_counted() {
        let broadcaster = Broadcaster::default();
        let open = broadcaster.subscribe();
        let closed = broadcaster.subscribe();
        assert_eq!(broadcaster.listeners(), 2);
        drop(closed);
        assert_eq!(broadcaster.listeners(), 1);
        drop(open);
        assert_eq!(broadcaster.listeners(), 0);
    }
}
