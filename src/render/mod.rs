//! Rendering the catalog into files.
pub mod markdown;
pub mod urls;
