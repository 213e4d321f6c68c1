//! The build's progress bar: on a terminal only, and only once a build takes more than a
//! moment.

use crate::catalog::Catalog;

/// A progress bar on stderr, for builds that take more than a moment, on a terminal only.
pub(super) struct Progress {
    bar: Option<indicatif::ProgressBar>,
    started: std::time::Instant,
    shown: std::sync::Once,
}

impl crate::Progress for Progress {
    fn start(&self, catalog: &Catalog) {
        if let Some(bar) = &self.bar {
            bar.set_length(expected_files(catalog) as u64);
        }
    }

    fn rendered(&self, count: usize) {
        self.update(count);
    }
}

impl Progress {
    /// Builds shorter than this show no bar.
    const DELAY: std::time::Duration = std::time::Duration::from_millis(400);

    pub(super) fn new(quiet: bool, started: std::time::Instant) -> Progress {
        use std::io::IsTerminal;
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::hidden());
            if let Ok(style) = indicatif::ProgressStyle::with_template("rendering {bar:40} {pos}/{len} files")
            {
                bar.set_style(style);
            }
            bar
        });
        Progress { bar, started, shown: std::sync::Once::new() }
    }

    fn update(&self, count: usize) {
        let Some(bar) = &self.bar else { return };
        if self.started.elapsed() > Self::DELAY {
            self.shown.call_once(|| bar.set_draw_target(indicatif::ProgressDrawTarget::stderr()));
        }
        bar.set_position(count as u64);
    }

    pub(super) fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// About how many files a build writes (pages, list pages, feeds, in every language), for
/// the progress bar.
fn expected_files(catalog: &crate::catalog::Catalog) -> usize {
    let size = catalog.config.list_page_size.max(1);
    let list_pages = |lists: &[Vec<crate::catalog::EntryId>]| {
        lists.iter().map(|list| list.len().div_ceil(size).max(1)).sum::<usize>()
    };
    let terms: usize = catalog.by_term.iter().map(|terms| list_pages(terms) + 1).sum();
    let per_language = catalog.entries.len()
        + catalog.pages.len()
        + list_pages(&catalog.by_stage)
        + list_pages(&catalog.by_kind)
        + terms
        + 12;
    // Every language the site is published in has the same pages.
    per_language * catalog.config.languages.len()
}
