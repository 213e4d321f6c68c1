//! Walking the catalog's folders (content/, static/, templates/, a theme) with one policy
//! for symbolic links: a link is followed only when it resolves inside the catalog root;
//! any other (pointing outside, pointing nowhere, or looping back on a folder that holds
//! it) is skipped with a warning. A folder holding a site copcat built is skipped too, so a
//! site is never published inside the next one.

use crate::diagnostic::{Diagnostic, Position};
use crate::error::Error;
use std::fs;
use std::path::{Path, PathBuf};

/// The file that marks a folder as copcat's output, so copcat only ever replaces folders
/// it made.
pub const MARKER: &str = ".copcat-output";

/// Which names a walk takes; the others are passed over silently (a function of the name and
/// whether it is a folder).
pub type Names = fn(&str, bool) -> bool;

/// Names published from static/ and read from templates/ and themes: not hidden (`.git`,
/// `.hg`, `.svn`, `.DS_Store`, `.htaccess`), not an editor's backup (`~`), except the
/// `.well-known` folder, which hosts serve as it is.
pub fn published_name(name: &str, is_folder: bool) -> bool {
    !name.ends_with('~') && (!name.starts_with('.') || (is_folder && name == ".well-known"))
}

/// Names read from content/: anything not hidden.
pub fn content_name(name: &str, _is_folder: bool) -> bool {
    !name.starts_with('.')
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    File,
    Folder,
}

/// One file found: its path (through any links, for reading) and its path's parts below the
/// folder walked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkedFile {
    pub parts: Vec<String>,
    pub path: PathBuf,
}

/// Walks folders of one catalog.
pub struct Walker {
    /// The root as given, to name files relative to it in diagnostics.
    root: PathBuf,
    /// The root with every link resolved, to tell whether a link stays inside it.
    real_root: PathBuf,
}

impl Walker {
    pub fn new(root: &Path) -> Result<Walker, Error> {
        let real_root = fs::canonicalize(root).map_err(|source| Error::io(root, source))?;
        Ok(Walker { root: root.to_path_buf(), real_root })
    }

    /// `path` relative to the root, with `/`, for diagnostics.
    fn label(&self, path: &Path) -> String {
        let relative = path.strip_prefix(&self.root).unwrap_or(path);
        let parts: Vec<String> =
            relative.components().map(|part| part.as_os_str().to_string_lossy().into_owned()).collect();
        parts.join("/")
    }

    /// What `path` is under the link policy, and its real path: `None` if it is missing, is
    /// neither a file nor a folder, or is a link that is not followed (with a warning).
    /// `inside` are the real paths of the folders it is in, innermost last.
    fn resolve(
        &self,
        path: &Path,
        inside: &[PathBuf],
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<(Kind, PathBuf)> {
        let file_type = fs::symlink_metadata(path).ok()?.file_type();
        self.classify(path, file_type, inside, diagnostics)
    }

    /// `resolve`, with the file type its directory entry gave (no further look at the file
    /// for a plain file, which most are).
    fn classify(
        &self,
        path: &Path,
        file_type: fs::FileType,
        inside: &[PathBuf],
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<(Kind, PathBuf)> {
        let (kind, real) = if file_type.is_symlink() {
            self.follow(path, inside, diagnostics)?
        } else if file_type.is_dir() {
            let real = match inside.last() {
                Some(parent) => parent.join(path.file_name()?),
                None => fs::canonicalize(path).ok()?,
            };
            (Kind::Folder, real)
        } else if file_type.is_file() {
            (Kind::File, PathBuf::new())
        } else {
            return None;
        };
        if kind == Kind::Folder && fs::symlink_metadata(real.join(MARKER)).is_ok() {
            diagnostics.push(
                Diagnostic::warning(
                    &self.label(path),
                    Position::START,
                    format!("this folder holds a site built by copcat (it has {MARKER}); skipped"),
                )
                .with_help(
                    "delete it or move it out of the catalog; build into a folder outside \
                     content/, static/, templates/ and themes/",
                ),
            );
            return None;
        }
        Some((kind, real))
    }

    /// Where the link at `path` leads, if it is to be followed; a warning if not.
    fn follow(
        &self,
        path: &Path,
        inside: &[PathBuf],
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<(Kind, PathBuf)> {
        let skipped = |message: String, help: &str| {
            Diagnostic::warning(&self.label(path), Position::START, message).with_help(help)
        };
        let Ok(real) = fs::canonicalize(path) else {
            let target =
                fs::read_link(path).map_or_else(|_| "nothing".to_string(), |t| t.display().to_string());
            diagnostics.push(skipped(
                format!("symbolic link to {target}, which does not exist; skipped"),
                "fix the link or delete it",
            ));
            return None;
        };
        if !real.starts_with(&self.real_root) {
            diagnostics.push(skipped(
                format!("symbolic link to {}, outside the catalog; skipped", real.display()),
                "copcat follows only links that stay inside the catalog's folder: copy the file \
                 into the catalog, or point the link at a copy inside it",
            ));
            return None;
        }
        let metadata = fs::metadata(&real).ok()?;
        if metadata.is_dir() {
            if inside.iter().any(|folder| folder.starts_with(&real)) {
                diagnostics.push(skipped(
                    format!("symbolic link to {}, a folder that holds it; skipped", real.display()),
                    "a link back up the tree would be walked forever; point it elsewhere or delete it",
                ));
                return None;
            }
            Some((Kind::Folder, real))
        } else if metadata.is_file() {
            Some((Kind::File, real))
        } else {
            None
        }
    }

    /// What `path` is under the link policy (see `resolve`), warnings included.
    pub fn kind(&self, path: &Path, diagnostics: &mut Vec<Diagnostic>) -> Option<Kind> {
        self.resolve(path, &[], diagnostics).map(|(kind, _)| kind)
    }

    /// The entries of folder `folder` that `names` takes, by name, each with what it is
    /// (links resolved; a link not followed is left out, with a warning).
    pub fn children(
        &self,
        folder: &Path,
        names: Names,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Result<Vec<(String, PathBuf, Kind)>, Error> {
        let Some((Kind::Folder, real)) = self.resolve(folder, &[], diagnostics) else {
            return Ok(Vec::new());
        };
        let mut children = Vec::new();
        for (name, path, file_type) in read_folder(folder)? {
            if !names(&name, is_folder(&path, file_type)) {
                continue;
            }
            if let Some((kind, _)) = self.classify(&path, file_type, std::slice::from_ref(&real), diagnostics)
            {
                children.push((name, path, kind));
            }
        }
        children.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        Ok(children)
    }

    /// Every file under `folder` (if it is one, under the link policy) that `names` takes, at
    /// any depth, by path.
    pub fn files(
        &self,
        folder: &Path,
        names: Names,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Result<Vec<WalkedFile>, Error> {
        let mut files = Vec::new();
        if let Some((Kind::Folder, real)) = self.resolve(folder, &[], diagnostics) {
            self.walk(folder, &mut vec![real], &mut Vec::new(), names, &mut files, diagnostics)?;
        }
        // By name, folder by folder (sorted once here, not while walking).
        files.sort_unstable_by(|a, b| a.parts.cmp(&b.parts));
        Ok(files)
    }

    /// Adds the files under `folder` to `files`; `inside` are the real paths of `folder` and
    /// the folders above it in this walk, `parts` its path below the folder walked.
    fn walk(
        &self,
        folder: &Path,
        inside: &mut Vec<PathBuf>,
        parts: &mut Vec<String>,
        names: Names,
        files: &mut Vec<WalkedFile>,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Result<(), Error> {
        for (name, path, file_type) in read_folder(folder)? {
            if !names(&name, is_folder(&path, file_type)) {
                continue;
            }
            match self.classify(&path, file_type, inside, diagnostics) {
                Some((Kind::File, _)) => {
                    let mut file_parts = parts.clone();
                    file_parts.push(name);
                    files.push(WalkedFile { parts: file_parts, path });
                }
                Some((Kind::Folder, real)) => {
                    inside.push(real);
                    parts.push(name);
                    self.walk(&path, inside, parts, names, files, diagnostics)?;
                    parts.pop();
                    inside.pop();
                }
                None => {}
            }
        }
        Ok(())
    }
}

/// Whether the entry at `path` is a folder, or a link to one.
fn is_folder(path: &Path, file_type: fs::FileType) -> bool {
    if file_type.is_symlink() {
        fs::metadata(path).is_ok_and(|metadata| metadata.is_dir())
    } else {
        file_type.is_dir()
    }
}

/// The names, paths and file types (links not followed) of the entries of `folder`.
fn read_folder(folder: &Path) -> Result<Vec<(String, PathBuf, fs::FileType)>, Error> {
    let read_error = |source| Error::io(folder, source);
    let mut entries = Vec::new();
    for item in fs::read_dir(folder).map_err(read_error)? {
        let item = item.map_err(read_error)?;
        let file_type = item.file_type().map_err(|source| Error::io(&item.path(), source))?;
        entries.push((item.file_name().to_string_lossy().into_owned(), item.path(), file_type));
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_taken() {
        // (name, is a folder, published from static/, read from content/)
        let cases = [
            ("logo.svg", false, true, true),
            ("img", true, true, true),
            (".git", true, false, false),
            (".git", false, false, false),
            (".hg", true, false, false),
            (".svn", true, false, false),
            (".DS_Store", false, false, false),
            (".htaccess", false, false, false),
            ("notes.md~", false, false, true),
            (".well-known", true, true, false),
            (".well-known", false, false, false),
        ];
        for (name, is_folder, published, content) in cases {
            assert_eq!(published_name(name, is_folder), published, "{name} in static/");
            assert_eq!(content_name(name, is_folder), content, "{name} in content/");
        }
    }
}
