//! The site as served: files in memory by path. Each rebuild makes a new version that
//! shares unchanged files with the previous one, so requests never wait for a rebuild.

use super::incremental::SiteUpdate;
use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};
use std::sync::{Arc, OnceLock, RwLock};

/// One file of the site, with its entity tag made on first use.
#[derive(Debug)]
pub struct SiteFile {
    pub bytes: Vec<u8>,
    etag: OnceLock<String>,
}

impl SiteFile {
    pub fn new(bytes: Vec<u8>) -> SiteFile {
        SiteFile { bytes, etag: OnceLock::new() }
    }

    /// A strong entity tag: a hash of the bytes, quoted.
    pub fn etag(&self) -> &str {
        self.etag.get_or_init(|| {
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            self.bytes.hash(&mut hasher);
            format!("\"{:016x}-{:x}\"", hasher.finish(), self.bytes.len())
        })
    }
}

#[derive(Debug, Default, Clone)]
pub struct Site {
    files: HashMap<String, Arc<SiteFile>>,
}

impl Site {
    pub fn get(&self, path: &str) -> Option<&Arc<SiteFile>> {
        self.files.get(path)
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// A new version of the site with `update` applied.
    pub fn apply(&self, update: SiteUpdate) -> Site {
        self.apply_and_compare(update).0
    }

    /// A new version of the site with `update` applied, and the paths whose bytes it
    /// changed (added, altered or removed), sorted.
    pub fn apply_and_compare(&self, update: SiteUpdate) -> (Site, Vec<String>) {
        let mut changed = Vec::new();
        let mut files = if update.replace_all { HashMap::new() } else { self.files.clone() };
        for path in update.removed {
            if files.remove(&path).is_some() {
                changed.push(path);
            }
        }
        for file in update.files {
            if self.files.get(&file.path).is_none_or(|old| old.bytes != file.bytes) {
                changed.push(file.path.clone());
            }
            files.insert(file.path, Arc::new(SiteFile::new(file.bytes)));
        }
        if update.replace_all {
            changed.extend(self.files.keys().filter(|path| !files.contains_key(*path)).cloned());
        }
        changed.sort();
        (Site { files }, changed)
    }

    /// Every file's bytes by path (for tests and comparisons).
    pub fn to_map(&self) -> BTreeMap<String, Vec<u8>> {
        self.files.iter().map(|(path, file)| (path.clone(), file.bytes.clone())).collect()
    }
}

/// The current version of the site, shared between the rebuilding thread and requests.
#[derive(Debug, Default, Clone)]
pub struct SharedSite {
    current: Arc<RwLock<Arc<Site>>>,
}

impl SharedSite {
    pub fn current(&self) -> Arc<Site> {
        match self.current.read() {
            Ok(site) => Arc::clone(&site),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Makes `update` current; returns the paths whose bytes changed.
    pub fn publish(&self, update: SiteUpdate) -> Vec<String> {
        let (next, changed) = self.current().apply_and_compare(update);
        let next = Arc::new(next);
        match self.current.write() {
            Ok(mut site) => *site = next,
            Err(poisoned) => *poisoned.into_inner() = next,
        }
        changed
    }
}
