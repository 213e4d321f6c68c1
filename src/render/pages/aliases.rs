//! The redirect pages of aliases: at each old address, a page that sends the reader on to
//! the document's page (a relative `<meta http-equiv="refresh">`, so that it works under any
//! sub-path and from `file://`), names it as canonical, and links to it.

use super::{Batch, Renderer, Scratch};
use crate::content::Document;
use crate::error::Error;
use crate::render::templates::{AliasTarget, AliasTemplate};
use crate::sink::Sink;
use crate::urls;

impl Renderer<'_> {
    /// Renders the redirect page of every alias of every published entry and page; returns
    /// the paths written.
    pub fn aliases(&self, sink: &dyn Sink) -> Result<Batch<String>, Error> {
        let mut scratch = Scratch::new(&self.base);
        let catalog = self.views.catalog;
        let entries = catalog.entry_ids().map(|index| (&catalog.entries[index], urls::entry(catalog, index)));
        let pages = (0..catalog.pages.len()).map(|index| (&catalog.pages[index], urls::page(catalog, index)));
        let (mut written, mut problems) = (Vec::new(), Vec::new());
        for (document, target) in entries.chain(pages).filter(|(document, _)| !document.aliases.is_empty()) {
            for alias in &document.aliases {
                let url = alias.page();
                problems.extend(self.alias(document, &url, &target, &mut scratch, sink)?);
                written.push(url);
            }
        }
        Ok((written, problems))
    }

    fn alias(
        &self,
        document: &Document,
        url: &str,
        target: &str,
        scratch: &mut Scratch,
        sink: &dyn Sink,
    ) -> Result<Option<crate::diagnostic::Diagnostic>, Error> {
        let root = urls::root_from(url);
        let view = AliasTemplate { target: AliasTarget { title: &document.title, url: target } };
        let mut vars = self.context(url, &root, &document.title, &document.summary, view);
        // The old address is not a page of its own: its canonical address is the new one.
        vars.common.canonical = urls::absolute(&self.views.catalog.config.base_url, target);
        self.render("alias.html", url, &root, &vars, scratch, sink)
    }
}
