//! What a build remembers of the pages it wrote, for the next one: for each page, the key of
//! what it was rendered from (`render::keys`), and the length and modification time of the
//! file it became. A rebuild then links a page whose key has not changed straight from the
//! previous site, without rendering it or reading the old file to compare (see
//! `Staging::reuse`).
//!
//! The list is kept beside the output, in `.<name>.pages`, so that nothing but the site is
//! published. It names the site it describes by the identity of that site's marker file
//! (`.copcat-output`, written afresh by every build: its inode, modification time and
//! length), and is only believed for that site: if a build stopped between putting its site
//! in place and writing the list, or another program replaced the output, the list names
//! another marker and is ignored. A page is only linked if its file still has the length
//! and modification time the list gives, so a file changed by hand since is rendered again.

use std::collections::HashMap;
use std::fs;
use std::io::Write;
use std::path::Path;

/// The first line of the list, with its format's version.
const HEADER: &str = "copcat pages 1";

/// What the list says of one page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Remembered {
    pub key: u128,
    pub len: u64,
    pub modified: u128,
}

impl Remembered {
    /// A page rendered from `key` whose file has `metadata`.
    pub fn of(key: u128, metadata: &fs::Metadata) -> Option<Remembered> {
        Some(Remembered { key, len: metadata.len(), modified: modified(metadata)? })
    }

    /// Whether `metadata` is still that of the file this was remembered of.
    pub fn matches(&self, metadata: &fs::Metadata) -> bool {
        metadata.is_file() && metadata.len() == self.len && modified(metadata) == Some(self.modified)
    }
}

/// A file's modification time, in nanoseconds since 1970.
fn modified(metadata: &fs::Metadata) -> Option<u128> {
    let time = metadata.modified().ok()?;
    Some(time.duration_since(std::time::UNIX_EPOCH).ok()?.as_nanos())
}

/// The identity of the marker file at `marker`: its inode, modification time and length.
#[cfg(unix)]
fn identity(marker: &Path) -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    let metadata = fs::symlink_metadata(marker).ok().filter(fs::Metadata::is_file)?;
    Some(format!("site {} {} {}", metadata.ino(), modified(&metadata)?, metadata.len()))
}

/// Elsewhere there is no inode to tell two sites apart by, and nothing is remembered.
#[cfg(not(unix))]
fn identity(_marker: &Path) -> Option<String> {
    None
}

/// The pages the list at `file` remembers, if it describes the site whose marker is at
/// `marker`; none otherwise (no list, another site's, or one this program cannot read).
pub fn load(file: &Path, marker: &Path) -> HashMap<String, Remembered> {
    let (Some(site), Ok(text)) = (identity(marker), fs::read_to_string(file)) else {
        return HashMap::new();
    };
    let mut lines = text.lines();
    if lines.next() != Some(HEADER) || lines.next() != Some(site.as_str()) {
        return HashMap::new();
    }
    let parse = |line: &str| {
        let mut fields = line.splitn(4, ' ');
        let key = u128::from_str_radix(fields.next()?, 16).ok()?;
        let len = fields.next()?.parse().ok()?;
        let modified = fields.next()?.parse().ok()?;
        Some((fields.next()?.to_string(), Remembered { key, len, modified }))
    };
    // A list with a line this program cannot read is not believed at all.
    lines.map(parse).collect::<Option<HashMap<_, _>>>().unwrap_or_default()
}

/// Writes the list of `pages` for the site whose marker is at `marker` to `file` (through a
/// file beside it, renamed over it, so that a list is never read half-written). Where that
/// fails, or there is nothing to remember, any list there is removed: a list is never left
/// describing pages it did not see.
pub fn save(file: &Path, marker: &Path, mut pages: Vec<(String, Remembered)>) {
    let written = !pages.is_empty()
        && identity(marker).is_some_and(|site| {
            pages.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            let mut text = format!("{HEADER}\n{site}\n");
            for (path, page) in &pages {
                text.push_str(&format!("{:032x} {} {} {path}\n", page.key, page.len, page.modified));
            }
            let partial = file.with_extension("pages-partial");
            let done = fs::File::create(&partial)
                .and_then(|mut out| out.write_all(text.as_bytes()))
                .and_then(|()| fs::rename(&partial, file));
            if done.is_err() {
                let _ = fs::remove_file(&partial);
            }
            done.is_ok()
        });
    if !written {
        let _ = fs::remove_file(file);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(dir: &Path, name: &str, bytes: &str, key: u128) -> (String, Remembered) {
        let path = dir.join(name);
        fs::write(&path, bytes).unwrap();
        (name.to_string(), Remembered::of(key, &fs::metadata(&path).unwrap()).unwrap())
    }

    #[test]
    fn a_list_is_believed_for_its_own_site_only() {
        let dir = tempfile::tempdir().unwrap();
        let (marker, list) = (dir.path().join("marker"), dir.path().join("list"));
        fs::write(&marker, "site").unwrap();
        let pages =
            vec![page(dir.path(), "a b.html", "<p>a", 1 << 100), page(dir.path(), "c.html", "<p>c", 7)];
        save(&list, &marker, pages.clone());
        let loaded = load(&list, &marker);
        assert_eq!(loaded.len(), 2);
        for (path, remembered) in &pages {
            assert_eq!(loaded[path], *remembered);
            assert!(remembered.matches(&fs::metadata(dir.path().join(path)).unwrap()));
        }
        // Another site in its place (another marker), or none, makes the list another site's.
        fs::write(&marker, "another site").unwrap();
        assert!(load(&list, &marker).is_empty());
        assert!(load(&list, &dir.path().join("missing")).is_empty());
    }

    #[test]
    fn a_list_with_a_line_it_cannot_read_is_not_believed() {
        let dir = tempfile::tempdir().unwrap();
        let (marker, list) = (dir.path().join("marker"), dir.path().join("list"));
        fs::write(&marker, "site").unwrap();
        save(&list, &marker, vec![page(dir.path(), "a.html", "a", 1)]);
        assert_eq!(load(&list, &marker).len(), 1);
        let text = fs::read_to_string(&list).unwrap();
        fs::write(&list, format!("{text}zz 1 2 b.html\n")).unwrap();
        assert!(load(&list, &marker).is_empty());
        fs::write(&list, text.replace(HEADER, "copcat pages 2")).unwrap();
        assert!(load(&list, &marker).is_empty());
    }

    #[test]
    fn a_file_changed_since_is_not_the_one_remembered() {
        let dir = tempfile::tempdir().unwrap();
        let (_, remembered) = page(dir.path(), "a.html", "<p>one", 1);
        let path = dir.path().join("a.html");
        assert!(remembered.matches(&fs::metadata(&path).unwrap()));
        fs::write(&path, "<p>three").unwrap();
        assert!(!remembered.matches(&fs::metadata(&path).unwrap()));
        // A folder where the file was is not it either.
        fs::remove_file(&path).unwrap();
        fs::create_dir(&path).unwrap();
        assert!(!remembered.matches(&fs::metadata(&path).unwrap()));
    }
}
