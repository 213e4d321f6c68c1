//! What `check --external` found, kept for a day in `<root>/.copcat-cache/`, so that
//! checking again soon after does not ask every server again. Only servers' answers are
//! kept (a timeout or a refused connection may pass, and is checked again). Builds never
//! read or publish this folder: they read only `content/`, `static/`, `templates/` and
//! `themes/`, and the folder's name is hidden.

use super::probe::Outcome;
use crate::error::Error;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The cache's folder, in the catalog's folder.
pub const DIR: &str = ".copcat-cache";
/// The file in it.
pub const FILE: &str = "external-links.json";
/// How long a result is used: a day.
pub const LIFETIME_SECONDS: u64 = 86_400;
/// Bumped when the file's shape changes; a file of another version is ignored.
const VERSION: u32 = 1;

#[derive(serde::Serialize, serde::Deserialize)]
struct CacheFile {
    version: u32,
    /// By URL.
    links: BTreeMap<String, Cached>,
}

#[derive(Clone, serde::Serialize, serde::Deserialize)]
struct Cached {
    /// When it was checked, in seconds since 1970 (UTC).
    checked: u64,
    outcome: Outcome,
}

/// The results kept from less than a day before `now`. A missing, unreadable or outdated
/// cache is an empty one: the links are simply checked again.
pub struct Cache {
    links: BTreeMap<String, Cached>,
    now: u64,
}

fn path(root: &Path) -> PathBuf {
    root.join(DIR).join(FILE)
}

impl Cache {
    pub fn load(root: &Path, now: u64) -> Cache {
        let links = std::fs::read(path(root))
            .ok()
            .and_then(|bytes| serde_json::from_slice::<CacheFile>(&bytes).ok())
            .filter(|file| file.version == VERSION)
            .map(|file| file.links)
            .unwrap_or_default()
            .into_iter()
            .filter(|(_, cached)| cached.checked <= now && now - cached.checked < LIFETIME_SECONDS)
            .collect();
        Cache { links, now }
    }

    /// An empty cache (for `--no-cache`).
    pub fn empty(now: u64) -> Cache {
        Cache { links: BTreeMap::new(), now }
    }

    pub fn get(&self, url: &str) -> Option<&Outcome> {
        self.links.get(url).map(|cached| &cached.outcome)
    }

    /// Keeps `outcome` for `url` if it is a server's answer.
    pub fn put(&mut self, url: &str, outcome: &Outcome) {
        if outcome.is_answer() {
            self.links.insert(url.to_string(), Cached { checked: self.now, outcome: outcome.clone() });
        }
    }

    /// Writes the cache (and a `.gitignore` that keeps the folder out of version control),
    /// replacing the file whole so that a run killed midway leaves the old one.
    pub fn save(&self, root: &Path) -> Result<(), Error> {
        let dir = root.join(DIR);
        std::fs::create_dir_all(&dir).map_err(|source| Error::io(&dir, source))?;
        let ignore = dir.join(".gitignore");
        if !ignore.exists() {
            std::fs::write(&ignore, "*\n").map_err(|source| Error::io(&ignore, source))?;
        }
        let file = CacheFile { version: VERSION, links: self.links.clone() };
        let bytes = serde_json::to_vec_pretty(&file).unwrap_or_default();
        let target = path(root);
        let temporary = dir.join(format!(".{FILE}.{}", std::process::id()));
        std::fs::write(&temporary, bytes).map_err(|source| Error::io(&temporary, source))?;
        std::fs::rename(&temporary, &target).map_err(|source| Error::io(&target, source))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_kept_for_a_day_and_failures_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let mut cache = Cache::empty(1_000_000);
        cache.put("https://a.org/", &Outcome::Alive);
        cache.put("https://a.org/gone", &Outcome::Status(404));
        cache.put("https://slow.org/", &Outcome::TimedOut);
        cache.put("https://off.org/", &Outcome::Failed("connection refused".into()));
        cache.save(dir.path()).unwrap();
        let later = Cache::load(dir.path(), 1_000_000 + LIFETIME_SECONDS - 1);
        assert_eq!(later.get("https://a.org/"), Some(&Outcome::Alive));
        assert_eq!(later.get("https://a.org/gone"), Some(&Outcome::Status(404)));
        assert_eq!(later.get("https://slow.org/"), None);
        assert_eq!(later.get("https://off.org/"), None);
        let next_day = Cache::load(dir.path(), 1_000_000 + LIFETIME_SECONDS);
        assert_eq!(next_day.get("https://a.org/"), None);
        std::fs::write(dir.path().join(DIR).join(FILE), "not json").unwrap();
        assert_eq!(Cache::load(dir.path(), 1_000_000).get("https://a.org/"), None);
    }
}
