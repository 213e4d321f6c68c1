//! `copcat serve`: the editor's loop. Builds the site into memory, serves it on
//! 127.0.0.1, watches the catalog's files, rebuilds what an edit touches, and reloads open
//! tabs; a broken edit keeps the last good site and shows its diagnostics in the browser.

mod dirty;
pub mod incremental;
pub mod site;

pub use incremental::{Change, Outcome, SiteUpdate, Workspace};
