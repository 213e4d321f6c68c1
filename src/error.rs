//! Failures that stop a command outright (as opposed to diagnostics about the catalog).

use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error(
        "no catalog.toml in {} (point --root at a catalog, or start one with `copcat init <DIR>`)",
        .0.display()
    )]
    NoCatalog(PathBuf),
    /// The command was asked for something it cannot do (a bad option, a file that exists).
    #[error("{0}")]
    Usage(String),
    /// Publishing the site failed part-way, in a way the next build repairs.
    #[error("{0}")]
    Publish(String),
    /// The browser could not print the PDF (`build --pdf`); nothing was published.
    #[error("{0}")]
    Print(String),
    /// A bug in copcat: something it checks cannot happen did.
    #[error("internal error: {0} (please report this)")]
    Internal(String),
    #[error("the catalog has errors")]
    Invalid,
}

impl Error {
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        Error::Io { path: path.to_path_buf(), source }
    }
}
