//! What a page is rendered from, as one number: the key under which the previous build
//! remembers each page it wrote (`output::memo`), so that a rebuild links a page whose key
//! has not changed instead of rendering it again and comparing the result with the old
//! file. A page is a pure function of its template, the theme's templates and interface
//! strings (which the filters read), the variables every page shares (`base`), its own
//! variables, its address, and the program: all of them go into its key. A theme whose
//! templates read the environment (Tera's `get_env`) gets no keys, and each of its pages is
//! rendered every time.

use serde::Serialize;
use std::hash::{DefaultHasher, Hasher};

/// Two 64-bit SipHash states with different starting bytes, fed the same data: a 128-bit
/// key, so that two different pages' inputs never meet on one key in practice. (Nothing here
/// is secret or chosen by an adversary: the inputs are the catalog's own.)
struct Key([DefaultHasher; 2]);

impl Key {
    fn new() -> Key {
        let mut hashers = [DefaultHasher::new(), DefaultHasher::new()];
        hashers[0].write_u8(0);
        hashers[1].write_u8(1);
        Key(hashers)
    }

    fn text(&mut self, text: &str) -> &mut Self {
        // The length first, so that ("ab", "c") and ("a", "bc") differ.
        for hasher in &mut self.0 {
            hasher.write_usize(text.len());
            hasher.write(text.as_bytes());
        }
        self
    }

    fn number(&mut self, number: u128) -> &mut Self {
        for hasher in &mut self.0 {
            hasher.write_u128(number);
        }
        self
    }

    /// `value` as JSON, streamed into the hashers (no string of it is made).
    fn json(&mut self, value: &impl Serialize) -> Option<&mut Self> {
        serde_json::to_writer(&mut *self, value).ok()?;
        Some(self)
    }

    fn finish(&self) -> u128 {
        (u128::from(self.0[0].finish()) << 64) | u128::from(self.0[1].finish())
    }
}

impl std::io::Write for Key {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        for hasher in &mut self.0 {
            hasher.write(bytes);
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The key of a theme's templates (`sources`, by name); none when one reads the
/// environment.
pub fn templates(sources: &[(String, String)]) -> Option<u128> {
    if sources.iter().any(|(_, text)| text.contains("get_env")) {
        return None;
    }
    let mut key = Key::new();
    for (name, text) in sources {
        key.text(name).text(text);
    }
    Some(key.finish())
}

/// The key of what every page of a build shares: the theme's templates (`templates`), its
/// interface strings (`strings`, as `Debug` shows them: their tables are ordered maps), the
/// variables every page gets (`base`), and this program (its version, and the size and time
/// of its executable, so that a rebuilt copcat renders everything again). None when the
/// program cannot be told apart.
pub fn shared(templates: u128, strings: &str, base: &impl Serialize) -> Option<u128> {
    let program = std::env::current_exe().and_then(std::fs::metadata).ok()?;
    let built = program.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?;
    let mut key = Key::new();
    key.text(env!("CARGO_PKG_VERSION")).number(u128::from(program.len())).number(built.as_nanos());
    key.number(templates).text(strings).json(base)?;
    Some(key.finish())
}

/// The key of one page: `shared`, its template, its address and root, and its own variables.
pub fn page(shared: u128, template: &str, url: &str, root: &str, vars: &impl Serialize) -> Option<u128> {
    let mut key = Key::new();
    key.number(shared).text(template).text(url).text(root);
    Some(key.json(vars)?.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_page_key_changes_with_each_thing_the_page_is_made_from() {
        let key =
            |shared, template, url, root, vars: &serde_json::Value| page(shared, template, url, root, vars);
        let vars = json!({"title": "Knowledge broker", "stages": [1, 2]});
        let first = key(7, "entry.html", "roles/a/index.html", "../../", &vars).unwrap();
        assert_eq!(Some(first), key(7, "entry.html", "roles/a/index.html", "../../", &vars));
        for other in [
            key(8, "entry.html", "roles/a/index.html", "../../", &vars),
            key(7, "page.html", "roles/a/index.html", "../../", &vars),
            key(7, "entry.html", "roles/b/index.html", "../../", &vars),
            key(7, "entry.html", "roles/a/index.html", "../", &vars),
            key(
                7,
                "entry.html",
                "roles/a/index.html",
                "../../",
                &json!({"title": "Knowledge broker", "stages": [1, 3]}),
            ),
        ] {
            assert_ne!(other, Some(first));
        }
    }

    #[test]
    fn texts_are_told_apart_where_they_meet() {
        let mut a = Key::new();
        a.text("ab").text("c");
        let mut b = Key::new();
        b.text("a").text("bc");
        assert_ne!(a.finish(), b.finish());
    }

    #[test]
    fn the_shared_key_follows_templates_strings_and_shared_variables() {
        let sources = vec![("entry.html".to_string(), "{{ entry.title }}".to_string())];
        let edited = vec![("entry.html".to_string(), "<b>{{ entry.title }}</b>".to_string())];
        let (theme, other_theme) = (templates(&sources).unwrap(), templates(&edited).unwrap());
        assert_ne!(theme, other_theme);
        let base = json!({"site": {"title": "Catalog"}});
        let first = shared(theme, "strings", &base).unwrap();
        assert_eq!(Some(first), shared(theme, "strings", &base));
        assert_ne!(Some(first), shared(other_theme, "strings", &base));
        assert_ne!(Some(first), shared(theme, "other strings", &base));
        assert_ne!(Some(first), shared(theme, "strings", &json!({"site": {"title": "Other"}})));
        // A theme that reads the environment is rendered every time.
        let reads = vec![("base.html".to_string(), "{{ get_env(name=\"BUILD\") }}".to_string())];
        assert_eq!(templates(&reads), None);
    }
}
