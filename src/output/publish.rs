//! Writing a site into a staging folder beside the output, then swapping it in whole, so a
//! failed build leaves the previous output as it was and no stale file survives. One build
//! at a time holds the output's lock, from making its staging folder to the swap, and puts
//! right whatever an earlier build killed part-way left (see `place`).

use super::memo::{self, Remembered};
use super::place::{self, Place};
use super::spread;
use super::{OutputFile, Sink, Tally};
use crate::error::Error;
use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{SyncSender, sync_channel};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;

/// How many threads write files. Writing many small files waits on the file system far
/// more than on the processor, so a few more writers than cores keep both busy.
const WRITERS: usize = 8;

pub use crate::walk::MARKER;

/// A folder being filled with a new site, by writer threads fed from a bounded queue (so
/// rendering never holds more than a few pages waiting to be written).
pub struct Staging {
    /// The folder the site is written into, inside `holder`.
    pub dir: PathBuf,
    /// This build's folder beside the output (`Place::staging`), holding `dir` alone (see
    /// `spread`): what the next build removes if this one is killed.
    holder: PathBuf,
    place: Place,
    queue: Option<SyncSender<OutputFile>>,
    writers: Vec<JoinHandle<()>>,
    state: Arc<WriterState>,
    /// Whether the folder became the output (otherwise dropping the staging removes it).
    published: bool,
    /// The output's lock, held until the staging is published or dropped. Declared last, so
    /// it is released after everything else is dropped.
    _lock: fs::File,
}

struct WriterState {
    dir: PathBuf,
    /// The site being replaced, if there is one: a file the new site would write with the
    /// same bytes is linked from it instead of written again (see `reuse`).
    previous: Option<PathBuf>,
    tally: Tally,
    /// Folders already made, so each costs one `mkdir` (metadata calls are what a build
    /// of many small pages spends its system time on).
    made: Mutex<HashSet<PathBuf>>,
    /// What the previous site's pages were rendered from (empty if unknown), and what this
    /// site's are, as they are written (see `memo`).
    remembered: HashMap<String, Remembered>,
    rendered: Mutex<Vec<(String, Remembered)>>,
    /// Set when a file written with a key could not be remembered: the list would then be
    /// missing one of a group, and none is kept.
    forgot: std::sync::atomic::AtomicBool,
    failure: Mutex<Option<Error>>,
    /// How many files are queued and not yet written (or failed), and a signal each time
    /// one is done, for `flush`.
    pending: Mutex<usize>,
    done: Condvar,
}

impl WriterState {
    /// Writes `file` (or links it, see `reuse`); `buffer` is the writer's own, for reading
    /// previous files into.
    fn write(&self, file: &OutputFile, buffer: &mut Vec<u8>) -> Result<(), Error> {
        let path = self.dir.join(&file.path);
        self.make_parent(&path)?;
        if self.reuse(file, &path, buffer) {
            self.tally.add_unchanged();
        } else {
            fs::write(&path, &file.bytes).map_err(|source| Error::io(&path, source))?;
        }
        self.tally.add(file.bytes.len());
        if let Some(key) = file.key {
            match fs::symlink_metadata(&path).ok().and_then(|metadata| Remembered::of(key, &metadata)) {
                Some(page) => self.remember(&file.path, page),
                None => self.forgot.store(true, std::sync::atomic::Ordering::Relaxed),
            }
        }
        Ok(())
    }

    /// Makes the folder `path` goes in, unless this build made it already.
    fn make_parent(&self, path: &Path) -> Result<(), Error> {
        let Some(parent) = path.parent() else { return Ok(()) };
        let known = self.made.lock().map(|made| made.contains(parent)).unwrap_or(false);
        if !known {
            fs::create_dir_all(parent).map_err(|source| Error::io(parent, source))?;
            if let Ok(mut made) = self.made.lock() {
                made.insert(parent.to_path_buf());
            }
        }
        Ok(())
    }

    fn remember(&self, path: &str, page: Remembered) {
        if let Ok(mut rendered) = self.rendered.lock() {
            rendered.push((path.to_string(), page));
        }
    }

    /// Links into this site every file under `prefix` the previous build wrote with the
    /// group key `key`, if all of them are unchanged since (see `memo`); their paths and
    /// lengths if so. All or none: a file linked before one that cannot be is unlinked again,
    /// so that the group can be written afresh without writing through a link into the
    /// previous site.
    fn reuse_group(&self, prefix: &str, key: u128) -> Option<Vec<(String, usize)>> {
        let previous = self.previous.as_ref()?;
        let group: Vec<(&String, &Remembered)> = self
            .remembered
            .iter()
            .filter(|(path, page)| page.key == key && path.starts_with(prefix))
            .collect();
        if group.is_empty() || !group.iter().all(|(path, page)| unchanged(previous, path, page)) {
            return None;
        }
        let mut linked: Vec<PathBuf> = Vec::with_capacity(group.len());
        for (path, _) in &group {
            match self.link_previous(previous, path) {
                Some(new) => linked.push(new),
                None => {
                    for done in &linked {
                        let _ = fs::remove_file(done);
                    }
                    return None;
                }
            }
        }
        Some(group.into_iter().map(|(path, page)| (path.clone(), self.count_linked(path, page))).collect())
    }

    /// Links the previous site's file at `path` into this one, if the previous build
    /// rendered it from `key` and it has not changed since (see `memo`); its length if so.
    fn reuse_rendered(&self, path: &str, key: u128) -> Option<usize> {
        let (previous, page) = (self.previous.as_ref()?, self.remembered.get(path)?);
        if page.key != key || !unchanged(previous, path, page) {
            return None;
        }
        self.link_previous(previous, path)?;
        Some(self.count_linked(path, page))
    }

    /// Puts at `path` in this site a hard link to the previous site's file there; the new
    /// path if it did.
    fn link_previous(&self, previous: &Path, path: &str) -> Option<PathBuf> {
        let new = self.dir.join(path);
        self.make_parent(&new).ok()?;
        fs::hard_link(previous.join(path), &new).ok()?;
        Some(new)
    }

    /// Counts the file at `path`, linked from the previous site, which remembered it as
    /// `page`, and remembers it for the next build; its length. Nothing here can fail: once
    /// linked, a file must not be written again (that would write into the previous site).
    fn count_linked(&self, path: &str, page: &Remembered) -> usize {
        let len = usize::try_from(page.len).unwrap_or(usize::MAX);
        self.tally.add(len);
        self.tally.add_unchanged();
        self.remember(path, *page);
        len
    }

    /// Puts at `path` a hard link to the previous site's file at the same place, if that
    /// file holds exactly `file`'s bytes; whether it did. Rebuilding a site mostly rewrites
    /// what it had: a link writes no data, so the file system allocates nothing now and
    /// frees nothing when the previous site is removed (which, on file systems that discard
    /// freed blocks, is what makes mass writes and deletes slow), and a file that did not
    /// change keeps its modification time, which deploy tools such as rsync rely on. The
    /// previous site is never changed: both names lead to the same unchanged bytes, and the
    /// previous one is removed once the new site is in place. Where the file system has no
    /// hard links, the file is written.
    fn reuse(&self, file: &OutputFile, path: &Path, buffer: &mut Vec<u8>) -> bool {
        let Some(previous) = &self.previous else { return false };
        let old = previous.join(&file.path);
        // Only a plain file (never a link someone put there) of the same length is read.
        let same_length = fs::symlink_metadata(&old).is_ok_and(|metadata| {
            metadata.file_type().is_file() && metadata.len() == file.bytes.len() as u64
        });
        same_length && holds(&old, &file.bytes, buffer) && fs::hard_link(&old, path).is_ok()
    }

    fn fail(&self, error: Error) {
        if let Ok(mut failure) = self.failure.lock() {
            failure.get_or_insert(error);
        }
    }

    fn take_failure(&self) -> Option<Error> {
        self.failure.lock().ok().and_then(|mut failure| failure.take())
    }

    /// One more file is queued (`true`), or one is written or failed (`false`).
    fn count_pending(&self, queued: bool) {
        if let Ok(mut pending) = self.pending.lock() {
            if queued {
                *pending += 1;
            } else {
                *pending = pending.saturating_sub(1);
                self.done.notify_all();
            }
        }
    }
}

/// Whether the previous site's file at `path` (a plain relative path) is still the one
/// `page` remembers.
fn unchanged(previous: &Path, path: &str, page: &Remembered) -> bool {
    is_safe_path(path)
        && fs::symlink_metadata(previous.join(path)).is_ok_and(|metadata| page.matches(&metadata))
}

/// Whether the file at `path` holds exactly `bytes`. It is read into `buffer`, which each
/// writer keeps from file to file: unlike `fs::read`, no allocation and no second `stat` to
/// size one, for each of the tens of thousands of files a rebuild compares.
fn holds(path: &Path, bytes: &[u8], buffer: &mut Vec<u8>) -> bool {
    use std::io::Read;
    let Ok(file) = fs::File::open(path) else { return false };
    buffer.clear();
    buffer.reserve(bytes.len() + 1);
    // One byte more than expected: a file that grew since its length was read differs.
    let same = file.take(bytes.len() as u64 + 1).read_to_end(buffer).is_ok() && buffer.as_slice() == bytes;
    // Pages are small; a large file's buffer (catalog.json) is not kept by eight writers.
    if buffer.capacity() > KEPT_BUFFER {
        *buffer = Vec::new();
    }
    same
}

/// The largest buffer a writer keeps for the next file: more than nearly every page.
const KEPT_BUFFER: usize = 256 * 1024;

/// Makes a build wait here, in debug builds only, until it is killed: when the environment
/// variable `COPCAT_TEST_PAUSE_AT` names `point`, it prints `paused at <point>` on stderr and
/// sleeps. This is a test hook (tests/publish.rs kills builds at each point to check that the
/// next build recovers); release builds do not read the variable.
#[cfg(debug_assertions)]
fn pause_at(point: &str) {
    if std::env::var_os("COPCAT_TEST_PAUSE_AT").is_some_and(|value| value == point) {
        eprintln!("paused at {point}");
        loop {
            std::thread::sleep(std::time::Duration::from_secs(3600));
        }
    }
}

#[cfg(not(debug_assertions))]
fn pause_at(_point: &str) {}

/// Makes sure `output` can be published to, before a build spends time on loading: it must
/// not be inside a folder of the catalog that builds read, nor a link, nor a folder copcat
/// did not make. If builds were killed part-way, it takes the output's lock, puts back a
/// previous site one left aside, and removes the folders they left beside the output, so
/// that a build which then fails leaves the previous site in place. (It makes nothing on
/// disk otherwise, not even the lock file: the build may yet find no catalog.)
pub fn prepare(root: &Path, output: &Path) -> Result<(), Error> {
    place::check_outside_sources(root, output)?;
    place::check_replaceable(output)?;
    let place = Place::new(output)?;
    let (staging, old) = place.leftovers()?;
    if staging.is_empty() && old.is_empty() {
        return Ok(());
    }
    let _lock = place.lock()?;
    place.recover()?;
    place::check_replaceable(&place.output)
}

impl Staging {
    /// Prepares a fresh staging folder beside `output`, holding the output's lock (waiting
    /// for another build to finish with it) and putting right what killed builds left.
    pub fn new(output: &Path) -> Result<Staging, Error> {
        // Refused before the lock is taken, so a refused output gets no lock file beside it.
        place::check_replaceable(output)?;
        let place = Place::new(output)?;
        let lock = place.lock()?;
        place.recover()?;
        place::check_replaceable(&place.output)?;
        let holder = place.staging();
        fs::create_dir(&holder).map_err(|source| Error::io(&holder, source))?;
        spread::mark_top(&holder);
        let dir = holder.join(spread::site_name());
        fs::create_dir(&dir).map_err(|source| Error::io(&dir, source))?;
        // A previous site copcat made (`check_replaceable` has refused anything else).
        let previous = place.output.join(MARKER).is_file().then(|| place.output.clone());
        let remembered = match &previous {
            Some(previous) => memo::load(&place.memo(), &previous.join(MARKER)),
            None => HashMap::new(),
        };
        let state = Arc::new(WriterState {
            dir: dir.clone(),
            previous,
            tally: Tally::default(),
            made: Mutex::new(HashSet::new()),
            remembered,
            rendered: Mutex::new(Vec::new()),
            forgot: Default::default(),
            failure: Mutex::new(None),
            pending: Mutex::new(0),
            done: Condvar::new(),
        });
        let (queue, receiver) = sync_channel::<OutputFile>(64);
        let receiver = Arc::new(Mutex::new(receiver));
        let writers = (0..WRITERS)
            .map(|_| {
                let (state, receiver) = (Arc::clone(&state), Arc::clone(&receiver));
                std::thread::spawn(move || {
                    let mut buffer = Vec::new();
                    loop {
                        let next = match receiver.lock() {
                            Ok(receiver) => receiver.recv(),
                            Err(_) => return,
                        };
                        let Ok(file) = next else { return };
                        if let Err(error) = state.write(&file, &mut buffer) {
                            state.fail(error);
                        }
                        state.count_pending(false);
                    }
                })
            })
            .collect();
        let staging =
            Staging { dir, holder, place, queue: Some(queue), writers, state, published: false, _lock: lock };
        fs::write(
            staging.dir.join(MARKER),
            "This folder is written by copcat build and replaced whole by it.\n",
        )
        .map_err(|source| Error::io(&staging.dir, source))?;
        pause_at("rendering");
        Ok(staging)
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
    pub fn discard(self) {
        drop(self);
    }
}

impl Drop for Staging {
    /// A staging folder never outlives its build, however the build stops short of
    /// publishing (an error, a panic); one whose process was killed is removed by the next
    /// build.
    fn drop(&mut self) {
        let _ = self.finish();
        // Once published, the holder is empty.
        let _ = place::remove(&self.holder);
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
            return Err(Error::Internal(format!("refusing to write outside the output: {}", file.path)));
        }
        if let Some(error) = self.state.take_failure() {
            return Err(error);
        }
        self.state.count_pending(true);
        let sent = self.queue.as_ref().map(|queue| queue.send(file));
        match sent {
            Some(Ok(())) => Ok(()),
            _ => {
                self.state.count_pending(false);
                Err(Error::Internal("the file writers stopped".to_string()))
            }
        }
    }

    fn reuse(&self, path: &str, key: u128) -> Option<usize> {
        self.state.reuse_rendered(path, key)
    }

    fn reuse_group(&self, prefix: &str, key: u128) -> Option<Vec<(String, usize)>> {
        self.state.reuse_group(prefix, key)
    }

    fn flush(&self) -> Result<(), Error> {
        let state = &self.state;
        if let Ok(mut pending) = state.pending.lock() {
            while *pending > 0 {
                pending = match state.done.wait(pending) {
                    Ok(pending) => pending,
                    Err(_) => break,
                };
            }
        }
        state.take_failure().map_or(Ok(()), Err)
    }
}

/// Replaces `output` with the staged folder: the previous output is renamed aside, the
/// staging folder renamed into its place, and the previous output renamed again, to
/// `.<name>.removing-<pid>`, for `sweep` to remove (removing ten thousand folders takes
/// longer than building them on some file systems, and nobody needs to wait for it). A
/// build killed between the two renames leaves the previous site aside, and the next build
/// puts it back before anything else (`Place::recover`).
pub fn publish(mut staging: Staging, output: &Path) -> Result<Tally, Error> {
    staging.finish()?;
    let place = &staging.place;
    if Place::new(output)? != *place {
        return Err(Error::Internal(format!(
            "the site was staged for {}, not {}",
            place.output.display(),
            output.display()
        )));
    }
    place::check_replaceable(&place.output)?;
    pause_at("before-swap");
    let old = place.old();
    let had_output = fs::symlink_metadata(&place.output).is_ok();
    if had_output {
        fs::rename(&place.output, &old).map_err(|source| Error::io(&place.output, source))?;
    }
    pause_at("between-renames");
    if let Err(source) = fs::rename(&staging.dir, &place.output) {
        let error = Error::io(&place.output, source);
        if had_output && let Err(restore) = fs::rename(&old, &place.output) {
            return Err(Error::Publish(format!(
                "{error}; and putting the previous site back failed ({restore}): it is in {}, and the \
                 next build puts it back",
                old.display()
            )));
        }
        return Err(error);
    }
    staging.published = true;
    let forgot = staging.state.forgot.load(std::sync::atomic::Ordering::Relaxed);
    let rendered = staging.state.rendered.lock().map(|mut pages| std::mem::take(&mut *pages));
    let rendered = if forgot { Vec::new() } else { rendered.unwrap_or_default() };
    memo::save(&place.memo(), &place.output.join(MARKER), rendered);
    pause_at("before-cleanup");
    // The new site is in place whatever happens now: an old folder this fails to put aside
    // is removed by the next build.
    if had_output && fs::rename(&old, place.removing()).is_err() {
        let _ = place::remove(&old);
    }
    Ok(staging.state.tally.snapshot())
}

/// Removes, in a process of its own that outlives this one, the previous sites `publish`
/// put aside beside `output`: `program` (this program) is run with `arguments` followed by
/// their paths, and is expected to call `remove_swept`. With no program, or where it cannot
/// be started, they are removed here and now.
pub fn sweep(output: &Path, program: Option<&Path>, arguments: &[&str]) {
    let Ok(place) = Place::new(output) else { return };
    let folders = place.removing_folders();
    if folders.is_empty() {
        return;
    }
    let started = program.is_some_and(|program| {
        let mut command = std::process::Command::new(program);
        command.args(arguments).args(&folders);
        command.stdin(std::process::Stdio::null()).stdout(std::process::Stdio::null());
        command.stderr(std::process::Stdio::null());
        // Its own process group, so that Ctrl-C in the terminal right after a build does
        // not stop it (a removal that is stopped anyway is finished by the next build's).
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        command.spawn().is_ok()
    });
    if !started {
        remove_swept(&folders);
    }
}

/// Removes previous sites put aside by `publish` (what the process `sweep` starts does),
/// and nothing else: any other path is left alone. Another sweeper may be removing the same
/// folder at the same time, so what vanishes meanwhile is no error.
pub fn remove_swept(folders: &[PathBuf]) {
    for folder in folders.iter().filter(|folder| place::is_removing_folder(folder)) {
        for _ in 0..3 {
            if place::remove(folder).is_ok() || fs::symlink_metadata(folder).is_err() {
                break;
            }
        }
    }
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

    /// The names in `dir`, sorted.
    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|item| item.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
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
        let removing = format!(".public.removing-{}", std::process::id());
        assert_eq!(
            names(dir.path()),
            [".public.lock", removing.as_str(), "public"],
            "the old site is put aside"
        );
        // A program that cannot be started: the sweep removes the old site itself.
        sweep(&output, Some(&dir.path().join("no-such-program")), &[]);
        assert_eq!(
            names(dir.path()),
            [".public.lock", "public"],
            "no staging or old folders are left behind"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_rebuild_links_the_files_that_did_not_change_and_writes_the_others() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        let site = |same: &str, changed: &str| {
            let staging = Staging::new(&output).unwrap();
            staging.put(OutputFile::new("same/index.html", same.to_string())).unwrap();
            staging.put(OutputFile::new("changed.html", changed.to_string())).unwrap();
            staging
        };
        publish(site("kept", "one"), &output).unwrap();
        let inode = |path: &str| fs::metadata(output.join(path)).unwrap().ino();
        let before = (inode("same/index.html"), inode("changed.html"));
        // The same length, other bytes: written, not linked.
        publish(site("kept", "two"), &output).unwrap();
        assert_eq!(inode("same/index.html"), before.0, "an unchanged file is the same file");
        assert_ne!(inode("changed.html"), before.1);
        assert_eq!(fs::read_to_string(output.join("changed.html")).unwrap(), "two");
        // A build that fails leaves the previous site's files as they were, links and all.
        let failed = site("kept", "six");
        drop(failed);
        assert_eq!(fs::read_to_string(output.join("same/index.html")).unwrap(), "kept");
        assert_eq!(fs::read_to_string(output.join("changed.html")).unwrap(), "two");
    }

    #[cfg(unix)]
    #[test]
    fn a_group_is_linked_whole_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        let group = ["search/meta.js", "search/postings/0.js", "search/postings/1.js"];
        let staging = Staging::new(&output).unwrap();
        for path in group {
            staging.put(OutputFile::new(path, format!("made for {path}")).with_key(Some(7))).unwrap();
        }
        staging.put(OutputFile::new("fr/search/meta.js", "another language's").with_key(Some(7))).unwrap();
        staging.put(OutputFile::new("search/stemmer.js", "not in the group")).unwrap();
        publish(staging, &output).unwrap();

        // Another key, or a prefix that holds none of the group, finds nothing.
        let staging = Staging::new(&output).unwrap();
        assert_eq!(staging.reuse_group("search/", 8), None);
        assert_eq!(staging.reuse_group("de/", 7), None);
        let mut linked = staging.reuse_group("search/", 7).unwrap();
        linked.sort();
        let expected: Vec<(String, usize)> =
            group.iter().map(|path| (path.to_string(), format!("made for {path}").len())).collect();
        assert_eq!(linked, expected);
        publish(staging, &output).unwrap();
        assert_eq!(
            fs::read_to_string(output.join("search/postings/1.js")).unwrap(),
            "made for search/postings/1.js"
        );

        // One file of the group changed since: none is linked, and the group can be written.
        fs::write(output.join("search/postings/0.js"), "changed by hand, and longer").unwrap();
        let staging = Staging::new(&output).unwrap();
        assert_eq!(staging.reuse_group("search/", 7), None);
        assert!(!staging.dir.join("search/meta.js").exists(), "nothing of the group is linked");
        staging.put(OutputFile::new("search/meta.js", "made again").with_key(Some(7))).unwrap();
        publish(staging, &output).unwrap();
        assert_eq!(fs::read_to_string(output.join("search/meta.js")).unwrap(), "made again");
    }

    #[cfg(unix)]
    #[test]
    fn a_link_in_the_previous_site_is_never_reused() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        let staging = Staging::new(&output).unwrap();
        staging.put(OutputFile::new("a.html", "same")).unwrap();
        publish(staging, &output).unwrap();
        fs::write(dir.path().join("elsewhere"), "same").unwrap();
        fs::remove_file(output.join("a.html")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("elsewhere"), output.join("a.html")).unwrap();
        let staging = Staging::new(&output).unwrap();
        staging.put(OutputFile::new("a.html", "same")).unwrap();
        publish(staging, &output).unwrap();
        assert!(fs::symlink_metadata(output.join("a.html")).unwrap().file_type().is_file());
    }

    #[test]
    fn a_sweep_removes_nothing_but_previous_sites() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["public", ".public.old-1", ".public.removing-2", ".public.removing-3"] {
            fs::create_dir(dir.path().join(name)).unwrap();
            fs::write(dir.path().join(name).join("index.html"), "x").unwrap();
        }
        let everything: Vec<PathBuf> = names(dir.path()).iter().map(|name| dir.path().join(name)).collect();
        remove_swept(&everything);
        assert_eq!(names(dir.path()), [".public.old-1", "public"]);
    }

    #[test]
    fn flushing_waits_until_every_file_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        let staging = Staging::new(&output).unwrap();
        for n in 0..200 {
            staging.put(OutputFile::new(format!("pages/{n}/index.html"), vec![b'x'; 4096])).unwrap();
        }
        staging.flush().unwrap();
        for n in 0..200 {
            assert_eq!(fs::read(staging.dir.join(format!("pages/{n}/index.html"))).unwrap().len(), 4096);
        }
        // Files put after a flush are written and published as ever.
        staging.put(OutputFile::new("late.pdf", "%PDF")).unwrap();
        let tally = publish(staging, &output).unwrap();
        assert_eq!(tally.files(), 201);
        assert_eq!(fs::read_to_string(output.join("late.pdf")).unwrap(), "%PDF");
    }

    #[test]
    fn a_dropped_staging_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        let staging = Staging::new(&output).unwrap();
        staging.put(OutputFile::new("a/b.html", "b")).unwrap();
        drop(staging);
        assert_eq!(names(dir.path()), [".public.lock"]);
    }

    #[test]
    fn a_new_staging_puts_back_a_site_left_aside_and_removes_leftovers() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        // What builds killed at various points leave: the previous site aside (killed
        // between the renames), a complete and a partial staging folder.
        let old = dir.path().join(".public.old-4000000");
        fs::create_dir(&old).unwrap();
        fs::write(old.join(MARKER), "").unwrap();
        fs::write(old.join("index.html"), "previous").unwrap();
        for leftover in [".public.staging-4000000", ".public.staging-4000001"] {
            fs::create_dir_all(dir.path().join(leftover).join("roles")).unwrap();
        }
        prepare(dir.path(), &output).unwrap();
        assert_eq!(fs::read_to_string(output.join("index.html")).unwrap(), "previous");
        assert_eq!(names(dir.path()), [".public.lock", "public"]);
    }
}
