//! The search index, built at build time from what readers see.

use crate::catalog::Catalog;
use crate::output::OutputFile;

pub fn index(_catalog: &Catalog, _body_texts: &[String]) -> Vec<OutputFile> {
    Vec::new()
}
