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
    #[error("{0}")]
    Usage(String),
    #[error("the catalog has errors")]
    Invalid,
}

impl Error {
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        Error::Io { path: path.to_path_buf(), source }
    }
}
