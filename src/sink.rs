//! Where rendered files go, as they are made: one file (`OutputFile`), the `Sink` every
//! stage that makes files writes into, and the sinks that keep, count or drop them. The
//! render and search stages write here without knowing whether the files end up in a
//! staged folder (`output`), in memory (`serve`) or nowhere (`check`).

use crate::error::Error;
use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

/// One file of the site: its path relative to the output root (with `/`), its bytes, and
/// for a rendered page the key of what it was rendered from (`render::keys`), which a
/// folder remembers for the next build (`Sink::reuse`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
    pub key: Option<u128>,
}

impl OutputFile {
    pub fn new(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        OutputFile { path: path.into(), bytes: bytes.into(), key: None }
    }

    pub fn with_key(self, key: Option<u128>) -> Self {
        OutputFile { key, ..self }
    }
}

/// Receives rendered files as they are made, from many threads, so a build never needs to
/// hold the whole site in memory.
pub trait Sink: Sync {
    fn put(&self, file: OutputFile) -> Result<(), Error>;

    /// Puts the previous build's file at `path` in place of one it would render from inputs
    /// whose key is `key`, if that file was rendered from the same key and has not changed
    /// since; its length if it did. Only a folder that remembers its previous build can.
    fn reuse(&self, _path: &str, _key: u128) -> Option<usize> {
        None
    }

    /// Puts every file under `prefix` the previous build wrote with the group key `key`
    /// (files made together from one set of inputs, such as the search index) in place of
    /// making them again, if all of them are still as that build left them; their paths and
    /// lengths if it did (all or none).
    fn reuse_group(&self, _prefix: &str, _key: u128) -> Option<Vec<(String, usize)>> {
        None
    }

    /// Waits until every file put so far is where it goes (on disk, for a folder), so that
    /// something can read the site before it is published (`build --pdf`).
    fn flush(&self) -> Result<(), Error> {
        Ok(())
    }
}

/// Counts files and bytes as they pass.
#[derive(Default)]
pub struct Tally {
    pub files: AtomicUsize,
    pub bytes: AtomicU64,
    /// Of `files`, those the previous site already had, byte for byte (linked, not
    /// written: `output::Staging`).
    pub unchanged: AtomicUsize,
}

impl Tally {
    pub fn add(&self, bytes: usize) {
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(bytes as u64, Ordering::Relaxed);
    }

    pub fn files(&self) -> usize {
        self.files.load(Ordering::Relaxed)
    }

    pub fn bytes(&self) -> u64 {
        self.bytes.load(Ordering::Relaxed)
    }

    /// One of the files added was the previous site's, unchanged.
    pub fn add_unchanged(&self) {
        self.unchanged.fetch_add(1, Ordering::Relaxed);
    }

    pub fn unchanged(&self) -> usize {
        self.unchanged.load(Ordering::Relaxed)
    }

    /// The counts as they stand now.
    pub fn snapshot(&self) -> Tally {
        Tally {
            files: AtomicUsize::new(self.files()),
            bytes: AtomicU64::new(self.bytes()),
            unchanged: AtomicUsize::new(self.unchanged()),
        }
    }
}

/// Hands each file on to another sink with `prefix` before its path: the pages of another
/// language's edition go under its folder (`fr/`).
pub struct Prefixed<'a> {
    pub inner: &'a dyn Sink,
    pub prefix: &'a str,
}

impl Sink for Prefixed<'_> {
    fn put(&self, file: OutputFile) -> Result<(), Error> {
        self.inner.put(OutputFile { path: format!("{}{}", self.prefix, file.path), ..file })
    }

    fn reuse(&self, path: &str, key: u128) -> Option<usize> {
        self.inner.reuse(&format!("{}{path}", self.prefix), key)
    }

    fn reuse_group(&self, prefix: &str, key: u128) -> Option<Vec<(String, usize)>> {
        let files = self.inner.reuse_group(&format!("{}{prefix}", self.prefix), key)?;
        // Every path starts with the prefix asked for.
        let own = |(path, len): (String, usize)| (path[self.prefix.len()..].to_string(), len);
        Some(files.into_iter().map(own).collect())
    }
}

/// Discards files (for `check`), counting them.
#[derive(Default)]
pub struct NullSink {
    pub tally: Tally,
}

impl Sink for NullSink {
    fn put(&self, file: OutputFile) -> Result<(), Error> {
        self.tally.add(file.bytes.len());
        Ok(())
    }
}

/// Passes files on to another sink, counting them and telling `progress` how many have
/// passed.
pub struct Observed<'a> {
    inner: &'a dyn Sink,
    progress: &'a (dyn Fn(usize) + Sync),
    pub tally: Tally,
}

impl<'a> Observed<'a> {
    pub fn new(inner: &'a dyn Sink, progress: &'a (dyn Fn(usize) + Sync)) -> Self {
        Observed { inner, progress, tally: Tally::default() }
    }
}

impl Sink for Observed<'_> {
    fn put(&self, file: OutputFile) -> Result<(), Error> {
        let bytes = file.bytes.len();
        self.inner.put(file)?;
        self.tally.add(bytes);
        (self.progress)(self.tally.files());
        Ok(())
    }

    fn reuse(&self, path: &str, key: u128) -> Option<usize> {
        let bytes = self.inner.reuse(path, key)?;
        self.tally.add(bytes);
        (self.progress)(self.tally.files());
        Some(bytes)
    }

    fn reuse_group(&self, prefix: &str, key: u128) -> Option<Vec<(String, usize)>> {
        let files = self.inner.reuse_group(prefix, key)?;
        for (_, bytes) in &files {
            self.tally.add(*bytes);
        }
        (self.progress)(self.tally.files());
        Some(files)
    }

    fn flush(&self) -> Result<(), Error> {
        self.inner.flush()
    }
}

/// Keeps files in memory, by path (for `serve` and tests).
#[derive(Default)]
pub struct MemorySink {
    pub files: Mutex<BTreeMap<String, Vec<u8>>>,
}

impl Sink for MemorySink {
    fn put(&self, file: OutputFile) -> Result<(), Error> {
        if let Ok(mut files) = self.files.lock() {
            files.insert(file.path, file.bytes);
        }
        Ok(())
    }
}

impl MemorySink {
    pub fn into_files(self) -> BTreeMap<String, Vec<u8>> {
        self.files.into_inner().unwrap_or_default()
    }
}
