//! What a page is rendered from, as one number: the key under which the previous build
//! remembers each page it wrote (`output::memo`), so that a rebuild links a page whose key
//! has not changed instead of rendering it again and comparing the result with the old
//! file. A page is a pure function of its template, the theme's templates and interface
//! strings (which the filters read), the variables every page shares (`base`), its own
//! variables, its address, and the program: all of them go into its key. A theme whose
//! templates read the environment (Tera's `get_env`) gets no keys, and each of its pages is
//! rendered every time.

use serde_json::{Map, Value};
use xxhash_rust::xxh3::Xxh3;

/// XXH3's 128-bit hash of what is fed in, each piece tagged with its kind and length, so
/// that two different inputs are never the same stream (two pages' inputs then meet on one
/// key only by a 2^-128 chance; nothing here is secret or chosen by an adversary).
pub struct Key(Xxh3);

impl Default for Key {
    fn default() -> Key {
        Key::new()
    }
}

impl Key {
    pub fn new() -> Key {
        Key(Xxh3::new())
    }

    fn tag(&mut self, tag: u8, len: usize) -> &mut Self {
        self.0.update(&[tag]);
        self.0.update(&(len as u64).to_le_bytes());
        self
    }

    pub fn text(&mut self, text: &str) -> &mut Self {
        self.tag(b's', text.len());
        self.0.update(text.as_bytes());
        self
    }

    pub fn number(&mut self, number: u128) -> &mut Self {
        self.tag(b'n', 16);
        self.0.update(&number.to_le_bytes());
        self
    }

    /// A template variable, walked as it is (no JSON text of it is made).
    pub fn value(&mut self, value: &Value) -> &mut Self {
        match value {
            Value::Null => self.tag(b'0', 0),
            Value::Bool(true) => self.tag(b't', 0),
            Value::Bool(false) => self.tag(b'f', 0),
            Value::Number(number) => self.tag(b'#', 0).text(&number.to_string()),
            Value::String(text) => self.text(text),
            Value::Array(items) => {
                self.tag(b'[', items.len());
                items.iter().fold(self, |key, item| key.value(item))
            }
            Value::Object(fields) => self.fields(fields),
        }
    }

    fn fields(&mut self, fields: &Map<String, Value>) -> &mut Self {
        self.tag(b'{', fields.len());
        fields.iter().fold(self, |key, (name, value)| key.text(name).value(value))
    }

    pub fn finish(&self) -> u128 {
        self.0.digest128()
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
pub fn shared(templates: u128, strings: &str, base: &Value) -> Option<u128> {
    let mut key = Key::new();
    key.number(program()?).number(templates).text(strings).value(base);
    Some(key.finish())
}

/// The key of this program: its version, and the size and time of its executable (none if
/// they cannot be read). Every key that stands for files this program writes includes it.
pub fn program() -> Option<u128> {
    let program = std::env::current_exe().and_then(std::fs::metadata).ok()?;
    let built = program.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?;
    let mut key = Key::new();
    key.text(env!("CARGO_PKG_VERSION")).number(u128::from(program.len())).number(built.as_nanos());
    Some(key.finish())
}

/// The key of one page: `shared`, its template, its address and root, and its own variables.
pub fn page(shared: u128, template: &str, url: &str, root: &str, vars: &Map<String, Value>) -> u128 {
    let mut key = Key::new();
    key.number(shared).text(template).text(url).text(root).fields(vars).finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_page_key_changes_with_each_thing_the_page_is_made_from() {
        let key = |shared, template, url, root, vars: &Value| {
            page(shared, template, url, root, vars.as_object().unwrap())
        };
        let vars = json!({"title": "Knowledge broker", "stages": [1, 2]});
        let first = key(7, "entry.html", "roles/a/index.html", "../../", &vars);
        assert_eq!(first, key(7, "entry.html", "roles/a/index.html", "../../", &vars));
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
            assert_ne!(other, first);
        }
    }

    #[test]
    fn values_are_told_apart_where_they_meet() {
        let key = |value: Value| Key::new().value(&value).finish();
        assert_ne!(key(json!(["ab", "c"])), key(json!(["a", "bc"])));
        assert_ne!(key(json!([["a"], "b"])), key(json!([["a", "b"]])));
        assert_ne!(key(json!({"a": "b"})), key(json!(["a", "b"])));
        assert_ne!(key(json!("1")), key(json!(1)));
        assert_ne!(key(json!(null)), key(json!(false)));
        assert_eq!(key(json!({"a": [1, true]})), key(json!({"a": [1, true]})));
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
