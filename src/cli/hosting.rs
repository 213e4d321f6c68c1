//! What `build` says when a site is too large for the static hosts most catalogs use: GitHub
//! Pages publishes at most 1 GB a site. The print edition holds every entry's text a second
//! time, so it is what a large catalog can leave out (`print = false`).
//!
//! The site's bytes are its files' own: what GitHub's deploy action checks against the same
//! limit is the zipped tar of them, several times smaller. So a site under the limit deploys
//! without a warning, and one over it is told before it is uploaded.

use std::path::Path;

/// The most bytes GitHub Pages publishes for one site: its documented 1 GB, which GitHub's own
/// deploy action counts as 2^30 bytes (`ONE_GIGABYTE = 1073741824` in actions/deploy-pages).
pub const SITE_LIMIT: u64 = 1 << 30;

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
    let limit = super::human_bytes(SITE_LIMIT);
    Some(format!(
        "note: the site is {size}, over the 1 GB GitHub Pages publishes ({limit}, as GitHub counts a GB){advice}"
    ))
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
        assert!(note(SITE_LIMIT + 1, || None).is_some());
        assert_eq!(note(1_013_900_000, || unreachable!("a 1 GB of 10^9 bytes is not the limit")), None);
        assert_eq!(
            note(1_100_000_000, || Some(248_400_000)).as_deref(),
            Some(
                "note: the site is 1100.0 MB, over the 1 GB GitHub Pages publishes (1073.7 MB, as \
                 GitHub counts a GB); its print edition is 248.4 MB, and `print = false` in \
                 catalog.toml leaves it out"
            )
        );
        assert_eq!(
            note(1_200_000_000, || None).as_deref(),
            Some(
                "note: the site is 1200.0 MB, over the 1 GB GitHub Pages publishes (1073.7 MB, as \
                 GitHub counts a GB)"
            )
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
