//! Writing a site into a staging folder beside the output, then swapping it in whole, so a
//! failed build leaves the previous output as it was and no stale file survives.

use super::{OutputFile, Sink, Tally};
use crate::error::Error;
use std::collections::HashSet;
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{SyncSender, sync_channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

/// How many threads write files. Writing many small files waits on the file system far
/// more than on the processor, so a few more writers than cores keep both busy.
const WRITERS: usize = 8;

/// The file that marks a folder as copcat's output, so copcat only ever replaces folders
/// it made.
pub const MARKER: &str = ".copcat-output";

/// A folder being filled with a new site, by writer threads fed from a bounded queue (so
/// rendering never holds more than a few pages waiting to be written).
pub struct Staging {
    pub dir: PathBuf,
    queue: Option<SyncSender<OutputFile>>,
    writers: Vec<JoinHandle<()>>,
    state: Arc<WriterState>,
}

struct WriterState {
    dir: PathBuf,
    tally: Tally,
    /// Folders already made, so each costs one `mkdir` (metadata calls are what a build
    /// of many small pages spends its system time on).
    made: Mutex<HashSet<PathBuf>>,
    failure: Mutex<Option<Error>>,
}

impl WriterState {
    fn write(&self, file: &OutputFile) -> Result<(), Error> {
        let path = self.dir.join(&file.path);
        if let Some(parent) = path.parent() {
            let known = self.made.lock().map(|made| made.contains(parent)).unwrap_or(false);
            if !known {
                fs::create_dir_all(parent).map_err(|source| Error::io(parent, source))?;
                if let Ok(mut made) = self.made.lock() {
                    made.insert(parent.to_path_buf());
                }
            }
        }
        fs::write(&path, &file.bytes).map_err(|source| Error::io(&path, source))?;
        self.tally.add(file.bytes.len());
        Ok(())
    }

    fn fail(&self, error: Error) {
        if let Ok(mut failure) = self.failure.lock() {
            failure.get_or_insert(error);
        }
    }

    fn take_failure(&self) -> Option<Error> {
        self.failure.lock().ok().and_then(|mut failure| failure.take())
    }
}

fn sibling(output: &Path, label: &str) -> PathBuf {
    let name = output.file_name().map_or_else(|| "public".into(), |name| name.to_string_lossy().into_owned());
    output.with_file_name(format!(".{name}.{label}-{}", std::process::id()))
}

/// Refuses to go on if `output` exists but is not a folder copcat made (or empty).
fn check_replaceable(output: &Path) -> Result<(), Error> {
    if !output.exists() {
        return Ok(());
    }
    if !output.is_dir() {
        return Err(Error::Usage(format!(
            "{} exists and is not a folder; choose another --output",
            output.display()
        )));
    }
    let is_empty = fs::read_dir(output).map_err(|source| Error::io(output, source))?.next().is_none();
    if is_empty || output.join(MARKER).is_file() {
        Ok(())
    } else {
        Err(Error::Usage(format!(
            "{} is not empty and was not made by copcat; refusing to replace it (choose another --output, or empty it)",
            output.display()
        )))
    }
}

impl Staging {
    /// Prepares a fresh staging folder beside `output`.
    pub fn new(output: &Path) -> Result<Staging, Error> {
        check_replaceable(output)?;
        let output = absolute(output)?;
        if let Some(parent) = output.parent() {
            fs::create_dir_all(parent).map_err(|source| Error::io(parent, source))?;
        }
        let dir = sibling(&output, "staging");
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(|source| Error::io(&dir, source))?;
        }
        fs::create_dir(&dir).map_err(|source| Error::io(&dir, source))?;
        fs::write(dir.join(MARKER), "This folder is written by copcat build and replaced whole by it.\n")
            .map_err(|source| Error::io(&dir, source))?;
        let state = Arc::new(WriterState {
            dir: dir.clone(),
            tally: Tally::default(),
            made: Mutex::new(HashSet::new()),
            failure: Mutex::new(None),
        });
        let (queue, receiver) = sync_channel::<OutputFile>(64);
        let receiver = Arc::new(Mutex::new(receiver));
        let writers = (0..WRITERS)
            .map(|_| {
                let (state, receiver) = (Arc::clone(&state), Arc::clone(&receiver));
                std::thread::spawn(move || {
                    loop {
                        let next = match receiver.lock() {
                            Ok(receiver) => receiver.recv(),
                            Err(_) => return,
                        };
                        let Ok(file) = next else { return };
                        if let Err(error) = state.write(&file) {
                            state.fail(error);
                        }
                    }
                })
            })
            .collect();
        Ok(Staging { dir, queue: Some(queue), writers, state })
    }

    /// Waits for every queued file to be written; the first write error, if any.
    fn finish(&mut self) -> Result<(), Error> {
        self.queue = None;
        for writer in self.writers.drain(..) {
            let _ = writer.join();
        }
        self.state.take_failure().map_or(Ok(()), Err)
    }

    /// Removes the staging folder (after a failed build).
    pub fn discard(mut self) {
        let _ = self.finish();
        let _ = fs::remove_dir_all(&self.dir);
    }
}

fn absolute(path: &Path) -> Result<PathBuf, Error> {
    if path.is_absolute() {
        Ok(path.to_path_buf())
    } else {
        let current = std::env::current_dir().map_err(|source| Error::io(Path::new("."), source))?;
        Ok(current.join(path))
    }
}

/// Whether a site path is a plain relative path that stays inside the output.
pub fn is_safe_path(path: &str) -> bool {
    !path.is_empty()
        && !path.contains('\\')
        && Path::new(path).components().all(|component| matches!(component, Component::Normal(_)))
}

impl Sink for Staging {
    fn put(&self, file: OutputFile) -> Result<(), Error> {
        if !is_safe_path(&file.path) {
            return Err(Error::Usage(format!("refusing to write outside the output: {}", file.path)));
        }
        if let Some(error) = self.state.take_failure() {
            return Err(error);
        }
        let sent = self.queue.as_ref().map(|queue| queue.send(file));
        match sent {
            Some(Ok(())) => Ok(()),
            _ => Err(Error::Usage("the file writers stopped".to_string())),
        }
    }
}

/// Replaces `output` with the staged folder.
pub fn publish(mut staging: Staging, output: &Path) -> Result<Tally, Error> {
    if let Err(error) = staging.finish() {
        staging.discard();
        return Err(error);
    }
    check_replaceable(output)?;
    let output = absolute(output)?;
    let old = sibling(&output, "old");
    if output.exists() {
        if old.exists() {
            fs::remove_dir_all(&old).map_err(|source| Error::io(&old, source))?;
        }
        fs::rename(&output, &old).map_err(|source| Error::io(&output, source))?;
    }
    if let Err(source) = fs::rename(&staging.dir, &output) {
        // Put the previous output back rather than leave nothing.
        let _ = fs::rename(&old, &output);
        return Err(Error::io(&output, source));
    }
    if old.exists() {
        fs::remove_dir_all(&old).map_err(|source| Error::io(&old, source))?;
    }
    Ok(staging.state.tally.snapshot())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_paths() {
        let cases = [
            ("index.html", true),
            ("roles/a/index.html", true),
            ("../x", false),
            ("/etc/passwd", false),
            ("a/../../x", false),
            ("", false),
            ("a\\..\\x", false),
        ];
        for (path, safe) in cases {
            assert_eq!(is_safe_path(path), safe, "{path}");
        }
    }

    #[test]
    fn refuses_to_replace_a_folder_copcat_did_not_make() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        fs::create_dir(&output).unwrap();
        fs::write(output.join("precious.txt"), "keep").unwrap();
        assert!(Staging::new(&output).is_err());
        assert!(output.join("precious.txt").exists());
    }

    #[test]
    fn publishing_replaces_the_whole_output() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        for (round, name) in ["first.html", "second.html"].iter().enumerate() {
            let staging = Staging::new(&output).unwrap();
            staging.put(OutputFile::new(*name, format!("round {round}"))).unwrap();
            publish(staging, &output).unwrap();
        }
        assert!(output.join("second.html").exists());
        assert!(!output.join("first.html").exists(), "stale files must not survive");
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no staging or old folders are left behind");
    }
}
