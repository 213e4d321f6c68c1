//! Watching the catalog's files (notify) and batching bursts of events: editors write a file
//! in several steps, and a `git checkout` touches many at once.

use super::incremental::Change;
use crate::error::Error;
use notify::{RecursiveMode, Watcher as _};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

/// The folders watched, recursively, when they exist.
const FOLDERS: &[&str] = &["content", "templates", "static", "themes", "i18n"];
/// A batch ends after this long without a new event…
const QUIET: Duration = Duration::from_millis(30);
/// …or this long after it began, whichever comes first.
const LONGEST: Duration = Duration::from_millis(500);

/// What waiting for changes gave.
pub enum Batch {
    Changes(Vec<Change>),
    /// Nothing changed for as long as asked.
    Quiet,
    /// Watching stopped.
    Closed,
}

pub struct Watcher {
    root: PathBuf,
    watcher: notify::RecommendedWatcher,
    events: Receiver<notify::Result<notify::Event>>,
    watched: BTreeSet<String>,
}

impl Watcher {
    /// Watches `root` (catalog.toml, sources.toml, and the folders as they appear).
    pub fn new(root: &Path) -> Result<Watcher, Error> {
        let (sender, events) = channel();
        let watcher = notify::recommended_watcher(move |event| {
            let _ = sender.send(event);
        })
        .map_err(|error| watch_error(root, error))?;
        let mut watcher = Watcher { root: root.to_path_buf(), watcher, events, watched: BTreeSet::new() };
        watcher.watcher.watch(root, RecursiveMode::NonRecursive).map_err(|error| watch_error(root, error))?;
        watcher.watch_folders();
        Ok(watcher)
    }

    fn watch_folders(&mut self) {
        for folder in FOLDERS {
            let path = self.root.join(folder);
            if !self.watched.contains(*folder)
                && path.is_dir()
                && self.watcher.watch(&path, RecursiveMode::Recursive).is_ok()
            {
                self.watched.insert(folder.to_string());
            }
        }
    }

    /// Waits for the next batch of changes, at most `wait` (`None`: as long as it takes).
    pub fn next_batch(&mut self, wait: Option<Duration>) -> Batch {
        loop {
            let first = match wait {
                None => self.events.recv().map_err(|_| RecvTimeoutError::Disconnected),
                Some(wait) => self.events.recv_timeout(wait),
            };
            let first = match first {
                Ok(first) => first,
                Err(RecvTimeoutError::Timeout) => return Batch::Quiet,
                Err(RecvTimeoutError::Disconnected) => return Batch::Closed,
            };
            let mut paths: BTreeSet<PathBuf> = BTreeSet::new();
            collect(first, &mut paths);
            let started = Instant::now();
            loop {
                let left = LONGEST.saturating_sub(started.elapsed());
                match self.events.recv_timeout(QUIET.min(left)) {
                    Ok(event) => collect(event, &mut paths),
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return Batch::Closed,
                }
                if started.elapsed() >= LONGEST {
                    break;
                }
            }
            // A folder made after the start (e.g. templates/) is watched from now on.
            if paths.iter().any(|path| path.parent() == Some(self.root.as_path())) {
                self.watch_folders();
            }
            let changes: BTreeSet<Change> =
                paths.iter().filter_map(|path| Change::of(&self.root, path)).collect();
            if !changes.is_empty() {
                return Batch::Changes(changes.into_iter().collect());
            }
        }
    }
}

fn collect(event: notify::Result<notify::Event>, paths: &mut BTreeSet<PathBuf>) {
    if let Ok(event) = event
        && !event.kind.is_access()
    {
        paths.extend(event.paths);
    }
}

fn watch_error(root: &Path, error: notify::Error) -> Error {
    Error::io(root, std::io::Error::other(error.to_string()))
}
