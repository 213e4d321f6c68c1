//! Writing a planned rename, each file atomically: its new text goes to a hidden temporary
//! file beside it (which the loader and `serve` ignore), then is renamed into place. Moved
//! files are written at their new name first, the files that refer to them next, and the
//! old names removed last, so that an interrupted `mv` leaves every file whole, old or new.

use super::Plan;
use crate::error::Error;
use std::fs;
use std::io::Write;
use std::path::Path;

pub fn apply(root: &Path, plan: &Plan) -> Result<(), Error> {
    let (moved, edited): (Vec<_>, Vec<_>) = plan.files.iter().partition(|file| file.from != file.to);
    for file in &moved {
        let target = root.join(&file.to);
        if target.exists() {
            return Err(Error::Usage(format!("{} exists; copcat never overwrites a file", file.to)));
        }
        replace(&root.join(&file.from), &target, &file.text)?;
    }
    for file in &edited {
        let path = root.join(&file.from);
        replace(&path, &path, &file.text)?;
    }
    for file in &moved {
        let old = root.join(&file.from);
        fs::remove_file(&old).map_err(|source| Error::io(&old, source))?;
    }
    Ok(())
}

/// Writes `text` to `target` through a temporary file renamed over it, with the
/// permissions of `original`.
fn replace(original: &Path, target: &Path, text: &str) -> Result<(), Error> {
    let folder = target.parent().unwrap_or(Path::new("."));
    let name = target.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
    let temporary = folder.join(format!(".{name}.copcat-mv-{}", std::process::id()));
    let written = (|| {
        let mut file = fs::File::create(&temporary)?;
        file.write_all(text.as_bytes())?;
        if let Ok(metadata) = fs::metadata(original) {
            file.set_permissions(metadata.permissions())?;
        }
        file.sync_all()
    })();
    if let Err(source) = written {
        let _ = fs::remove_file(&temporary);
        return Err(Error::io(&temporary, source));
    }
    fs::rename(&temporary, target).map_err(|source| {
        let _ = fs::remove_file(&temporary);
        Error::io(target, source)
    })
}
