//! Where a site is published, and the names a build uses beside it: `.<name>.lock` (one
//! build at a time), `.<name>.staging-<pid>` (the new site being written) and
//! `.<name>.old-<pid>` (the previous site, for the moment of the swap) and
//! `.<name>.removing-<pid>` (the previous site once the new one is in place, being removed
//! in the background), and `.<name>.pages` (what the site's pages were rendered from, see
//! `memo`). Also: refusing an output copcat must not replace, and putting right
//! what a build killed part-way left.

use super::MARKER;
use crate::error::Error;
use std::fs;
use std::path::{Component, Path, PathBuf};

/// The catalog's folders a build reads: an output inside one would be read back into the
/// next build (a site inside the site, growing each time).
const READ_FOLDERS: &[&str] = &["content", "static", "templates", "themes"];

/// An output folder, with its parent's links resolved (so every spelling of one output
/// names the same lock and the same folders beside it) and its own name as it is (an output
/// that is a link is refused, never followed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub output: PathBuf,
    parent: PathBuf,
    name: String,
}

impl Place {
    pub fn new(output: &Path) -> Result<Place, Error> {
        let output = resolve(output)?;
        let (Some(parent), Some(name)) = (output.parent(), output.file_name()) else {
            return Err(Error::Usage(format!("{} cannot be an output folder", output.display())));
        };
        let name = name.to_string_lossy().into_owned();
        Ok(Place { parent: parent.to_path_buf(), name, output })
    }

    fn beside(&self, label: &str) -> PathBuf {
        self.parent.join(format!(".{}.{label}", self.name))
    }

    /// This process's staging folder.
    pub fn staging(&self) -> PathBuf {
        self.beside(&format!("staging-{}", std::process::id()))
    }

    /// The list of the pages the site in the output was rendered from (see `memo`).
    pub fn memo(&self) -> PathBuf {
        self.beside("pages")
    }

    /// Where this process puts the previous site while it swaps the new one in.
    pub fn old(&self) -> PathBuf {
        self.beside(&format!("old-{}", std::process::id()))
    }

    /// Where this process puts the previous site once the new one is in place, to be removed
    /// (by `sweep`, in the background, so a build does not wait for it).
    pub fn removing(&self) -> PathBuf {
        self.beside(&format!("removing-{}", std::process::id()))
    }

    /// The previous sites waiting beside the output to be removed (by this build or by
    /// earlier ones whose removal was stopped).
    pub fn removing_folders(&self) -> Vec<PathBuf> {
        let Ok(items) = fs::read_dir(&self.parent) else { return Vec::new() };
        let names =
            items.flatten().map(|item| (self.leftover(&item.file_name().to_string_lossy()), item.path()));
        names.filter_map(|(kind, path)| matches!(kind, Some(Leftover::Removing)).then_some(path)).collect()
    }

    /// Takes the lock that lets one build at a time use this output and the folders beside
    /// it, waiting (and saying so on stderr) while another build holds it. The lock is the
    /// operating system's advisory lock on `.<name>.lock`, released when the returned file is
    /// closed, however the process ends. The file itself stays: removing it while another
    /// build waits on it would let a third take a fresh lock beside the second.
    pub fn lock(&self) -> Result<fs::File, Error> {
        fs::create_dir_all(&self.parent).map_err(|source| Error::io(&self.parent, source))?;
        let path = self.beside("lock");
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|source| Error::io(&path, source))?;
        match file.try_lock() {
            Ok(()) => return Ok(file),
            Err(fs::TryLockError::WouldBlock) => eprintln!(
                "waiting for another copcat build into {} to finish (it holds {})",
                self.output.display(),
                path.display()
            ),
            Err(fs::TryLockError::Error(source)) => return Err(Error::io(&path, source)),
        }
        file.lock().map_err(|source| Error::io(&path, source))?;
        Ok(file)
    }

    /// Puts right what builds killed part-way left: if the output is missing but a previous
    /// site waits in an `.old-` folder (a build was killed between its two renames), it is
    /// put back; then every staging and old folder is removed (previous sites already
    /// `removing` are left to their sweeper, which may be at work). Call it holding the lock:
    /// then no other build is using them, whatever their process ids say (a process id may
    /// since belong to another program, or to this one).
    pub fn recover(&self) -> Result<(), Error> {
        let (staging, mut old) = self.leftovers()?;
        if fs::symlink_metadata(&self.output).is_err() {
            // The newest, should builds of an older copcat have left several.
            old.sort_by_key(|path| fs::symlink_metadata(path).and_then(|m| m.modified()).ok());
            if let Some(previous) = old.pop() {
                fs::rename(&previous, &self.output).map_err(|source| Error::io(&previous, source))?;
            }
        }
        for path in staging.iter().chain(&old) {
            remove(path)?;
        }
        Ok(())
    }

    /// The staging folders and the old folders beside the output (none if its parent does
    /// not exist yet).
    pub fn leftovers(&self) -> Result<(Vec<PathBuf>, Vec<PathBuf>), Error> {
        let (mut staging, mut old) = (Vec::new(), Vec::new());
        let read_error = |source| Error::io(&self.parent, source);
        let items = match fs::read_dir(&self.parent) {
            Ok(items) => items,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok((staging, old)),
            Err(error) => return Err(read_error(error)),
        };
        for item in items {
            let item = item.map_err(read_error)?;
            match self.leftover(&item.file_name().to_string_lossy()) {
                Some(Leftover::Staging) => staging.push(item.path()),
                Some(Leftover::Old) => old.push(item.path()),
                Some(Leftover::Removing) | None => {}
            }
        }
        Ok((staging, old))
    }

    /// Whether `name` is one of the folders a build leaves beside this output.
    fn leftover(&self, name: &str) -> Option<Leftover> {
        leftover_of(&self.name, name)
    }
}

/// Whether `name` is one of the folders a build leaves beside the output named `output`
/// (`.<output>.<label>-<pid>`), and which.
fn leftover_of(output: &str, name: &str) -> Option<Leftover> {
    let rest = name.strip_prefix('.')?.strip_prefix(output)?.strip_prefix('.')?;
    let (label, pid) = rest.split_once('-')?;
    if pid.is_empty() || !pid.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    match label {
        "staging" => Some(Leftover::Staging),
        "old" => Some(Leftover::Old),
        "removing" => Some(Leftover::Removing),
        _ => None,
    }
}

enum Leftover {
    Staging,
    Old,
    Removing,
}

/// Whether `path` names a previous site put aside for removal (`.<name>.removing-<pid>`):
/// the only folders `sweep` removes, so that it can never be turned on anything else.
pub fn is_removing_folder(path: &Path) -> bool {
    let Some(name) = path.file_name().map(|name| name.to_string_lossy()) else { return false };
    // The output this folder would belong to is named between the first dot and the label.
    let output = name.strip_prefix('.').and_then(|rest| rest.rsplit_once(".removing-"));
    output.is_some_and(|(output, _)| matches!(leftover_of(output, &name), Some(Leftover::Removing)))
}

/// Removes a folder (or a link) left beside the output.
pub fn remove(path: &Path) -> Result<(), Error> {
    let removed = match fs::symlink_metadata(path) {
        Ok(metadata) if metadata.is_dir() => fs::remove_dir_all(path),
        Ok(_) => fs::remove_file(path),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(error) => Err(error),
    };
    removed.map_err(|source| Error::io(path, source))
}

/// Refuses an output that copcat must not replace: a link (copcat replaces the folder
/// whole, which would replace the link by a folder, so it asks for the folder the link
/// points to instead), anything but a folder, and a folder that has files but is not
/// marked as copcat's.
pub fn check_replaceable(output: &Path) -> Result<(), Error> {
    let metadata = match fs::symlink_metadata(output) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(error) => return Err(Error::io(output, error)),
    };
    if metadata.file_type().is_symlink() {
        // Where it points, from the link's own folder (a relative link means that).
        let target = fs::canonicalize(output)
            .or_else(|_| {
                fs::read_link(output).map(|target| output.parent().unwrap_or(Path::new("")).join(target))
            })
            .map_or_else(|_| "nothing".to_string(), |target| target.display().to_string());
        return Err(Error::Usage(format!(
            "{} is a symbolic link (to {target}); copcat replaces its output folder whole and does not \
             replace links: pass --output {target} to build into the folder it points to",
            output.display()
        )));
    }
    if !metadata.is_dir() {
        return Err(Error::Usage(format!(
            "{} exists and is not a folder; choose another --output",
            output.display()
        )));
    }
    let is_empty = fs::read_dir(output).map_err(|source| Error::io(output, source))?.next().is_none();
    if is_empty || fs::symlink_metadata(output.join(MARKER)).is_ok_and(|metadata| metadata.is_file()) {
        Ok(())
    } else {
        Err(Error::Usage(format!(
            "{} is not empty and was not made by copcat; refusing to replace it (choose another --output, or empty it)",
            output.display()
        )))
    }
}

/// Refuses an output inside a folder of the catalog that a build reads (content/,
/// static/, templates/, themes/), where each build would read the last site back in.
pub fn check_outside_sources(root: &Path, output: &Path) -> Result<(), Error> {
    let Ok(real_root) = fs::canonicalize(root) else {
        // No catalog there: loading says so.
        return Ok(());
    };
    let output = resolve(output)?;
    for folder in READ_FOLDERS {
        let mut candidates = vec![real_root.join(folder)];
        candidates.extend(fs::canonicalize(root.join(folder)));
        if candidates.iter().any(|candidate| output.starts_with(candidate)) {
            return Err(Error::Usage(format!(
                "{} is inside the catalog's {folder}/ folder, which every build reads: each build \
                 would read the last site back in; choose an output outside content/, static/, \
                 templates/ and themes/ (the default is {})",
                output.display(),
                root.join("public").display()
            )));
        }
    }
    Ok(())
}

/// `path` made absolute with the links of its parent resolved, its last part kept as it is
/// (unless it is `.` or `..`). Parts that do not exist yet are taken as written.
pub fn resolve(path: &Path) -> Result<PathBuf, Error> {
    let absolute = std::path::absolute(path).map_err(|source| Error::io(path, source))?;
    match (absolute.parent(), absolute.components().next_back()) {
        (Some(parent), Some(Component::Normal(name))) => Ok(real_path(parent).join(name)),
        _ => Ok(real_path(&absolute)),
    }
}

/// `path` with the links of its longest existing part resolved, and the rest (which does
/// not exist yet) appended as written, `.` and `..` taken lexically.
fn real_path(path: &Path) -> PathBuf {
    let parts: Vec<Component> = path.components().collect();
    for existing in (1..=parts.len()).rev() {
        let prefix: PathBuf = parts[..existing].iter().collect();
        if let Ok(mut real) = fs::canonicalize(&prefix) {
            for part in &parts[existing..] {
                match part {
                    Component::ParentDir => {
                        real.pop();
                    }
                    Component::Normal(name) => real.push(name),
                    _ => {}
                }
            }
            return real;
        }
    }
    path.to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leftovers_are_recognised_by_name() {
        let place = Place::new(Path::new("/tmp/some/public")).unwrap();
        let cases = [
            (".public.staging-123", Some("staging")),
            (".public.old-9", Some("old")),
            (".public.removing-77", Some("removing")),
            (".public.removing-", None),
            (".public.lock", None),
            (".public.old-", None),
            (".public.old-12x", None),
            (".publicity.old-12", None),
            (".other.staging-1", None),
            ("public", None),
        ];
        for (name, expected) in cases {
            let found = place.leftover(name).map(|kind| match kind {
                Leftover::Staging => "staging",
                Leftover::Old => "old",
                Leftover::Removing => "removing",
            });
            assert_eq!(found, expected, "{name}");
        }
    }

    #[test]
    fn only_previous_sites_put_aside_can_be_swept() {
        let dir = tempfile::tempdir().unwrap();
        for (name, sweepable) in [
            (".public.removing-12", true),
            (".site.v2.removing-3", true),
            (".public.old-12", false),
            (".public.staging-12", false),
            ("public", false),
            ("removing-12", false),
            (".public.removing-1x", false),
        ] {
            assert_eq!(is_removing_folder(&dir.path().join(name)), sweepable, "{name}");
        }
    }

    #[test]
    fn every_spelling_of_an_output_names_the_same_place() {
        let dir = tempfile::tempdir().unwrap();
        let real = fs::canonicalize(dir.path()).unwrap();
        fs::create_dir(real.join("a")).unwrap();
        let spellings = [real.join("public"), real.join("a/../public"), real.join("./a/.././public")];
        for spelling in spellings {
            assert_eq!(Place::new(&spelling).unwrap().output, real.join("public"), "{}", spelling.display());
        }
        assert_eq!(resolve(&real.join("new/deeper/../site")).unwrap(), real.join("new/site"));
    }
}
