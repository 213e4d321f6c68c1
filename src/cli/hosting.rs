//! What `build` says when a site is too large for the static hosts most catalogs use: GitHub
//! Pages publishes at most 1 GB a site. The print edition holds every entry's text a second
//! time, so it is what a large catalog can leave out (`print = false`).

use std::path::Path;

/// The most bytes GitHub Pages publishes for one site (its documented 1 GB, read as 10^9).
pub const SITE_LIMIT: u64 = 1_000_000_000;

/// The note for a site of `bytes`, or `None` when the site is within the limit;
/// `print_bytes` says how large its print edition is (`None`: it has none), asked only then.
pub fn note(bytes: u64, print_bytes: impl FnOnce() -> Option<u64>) -> Option<String> {
    if bytes <= SITE_LIMIT {
        return None;
    }
    let size = super::human_bytes(bytes);
    let advice = match print_bytes() {
        Some(print) if print > 0 => format!(
            "; its print edition is {}, and `print = false` in catalog.toml leaves it out",
            super::human_bytes(print)
        ),
        _ => String::new(),
    };
    Some(format!("note: the site is {size}, over the 1 GB GitHub Pages publishes{advice}"))
}

/// The bytes of the print editions in `output` (`print/`, and each language's `<code>/print/`).
pub fn print_bytes(output: &Path, prefixes: &[&str]) -> u64 {
    prefixes
        .iter()
        .flat_map(|prefix| walkdir::WalkDir::new(output.join(prefix).join("print")))
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
        .filter_map(|entry| entry.metadata().ok())
        .map(|metadata| metadata.len())
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_site_over_the_limit_gets_a_note_naming_its_print_edition() {
        assert_eq!(note(SITE_LIMIT, || unreachable!("not asked within the limit")), None);
        assert_eq!(
            note(1_047_000_000, || Some(248_400_000)).as_deref(),
            Some(
                "note: the site is 1047.0 MB, over the 1 GB GitHub Pages publishes; its print edition \
                 is 248.4 MB, and `print = false` in catalog.toml leaves it out"
            )
        );
        assert_eq!(
            note(1_200_000_000, || None).as_deref(),
            Some("note: the site is 1200.0 MB, over the 1 GB GitHub Pages publishes")
        );
    }

    #[test]
    fn print_bytes_counts_every_language_s_print_edition() {
        let dir = tempfile::tempdir().unwrap();
        for (path, size) in [("print/index.html", 10), ("print/a/index.html", 5), ("fr/print/index.html", 7)]
        {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, vec![b'x'; size]).unwrap();
        }
        std::fs::write(dir.path().join("index.html"), "not counted").unwrap();
        assert_eq!(print_bytes(dir.path(), &["", "fr/"]), 22);
        assert_eq!(print_bytes(dir.path(), &[""]), 15);
    }
}
