//! What a page is rendered from, as one number: the key under which the previous build
//! remembers each page it wrote (`output::memo`), so that a rebuild links a page whose key
//! has not changed instead of rendering it again and comparing the result with the old
//! file. A page is a pure function of its template, the theme's templates and interface
//! strings (which the filters read), the variables every page shares (`base`), its own
//! variables, its address, and the program: all of them go into its key. A theme whose
//! templates read the environment (Tera's `get_env`) gets no keys, and each of its pages is
//! rendered every time.

use serde::Serialize;
use serde::ser::{self, Serializer};
use serde_json::Value;
use std::fmt;
use xxhash_rust::xxh3::Xxh3;

/// XXH3's 128-bit hash of what is fed in, each piece tagged with its kind and length, so
/// that two different inputs are never the same stream (two pages' inputs then meet on one
/// key only by a 2^-128 chance; nothing here is secret or chosen by an adversary).
pub struct Key {
    hash: Xxh3,
    /// Pieces not yet hashed: a page's key is made of thousands of pieces of a few bytes,
    /// which are hashed a few kilobytes at a time (one call per piece cost more than the
    /// hashing itself). The hash of a stream does not depend on how it is cut.
    pending: Vec<u8>,
}

/// How many bytes of pieces wait before they are hashed.
const PENDING: usize = 4096;

impl Default for Key {
    fn default() -> Key {
        Key::new()
    }
}

impl Key {
    pub fn new() -> Key {
        Key { hash: Xxh3::new(), pending: Vec::with_capacity(PENDING) }
    }

    fn feed(&mut self, bytes: &[u8]) {
        if self.pending.len() + bytes.len() > PENDING {
            self.hash.update(&self.pending);
            self.pending.clear();
        }
        if bytes.len() > PENDING {
            self.hash.update(bytes);
        } else {
            self.pending.extend_from_slice(bytes);
        }
    }

    fn tag(&mut self, tag: u8, len: usize) -> &mut Self {
        self.feed(&[tag]);
        self.feed(&(len as u64).to_le_bytes());
        self
    }

    pub fn text(&mut self, text: &str) -> &mut Self {
        self.tag(b's', text.len());
        self.feed(text.as_bytes());
        self
    }

    pub fn number(&mut self, number: u128) -> &mut Self {
        self.tag(b'n', 16);
        self.feed(&number.to_le_bytes());
        self
    }

    /// A template variable or view, fed in as serde walks it: no copy of it (no JSON value,
    /// no JSON text) is made. None if its `Serialize` fails, which `serde_json` would refuse
    /// as well.
    pub fn serialized(&mut self, value: &impl Serialize) -> Option<&mut Self> {
        value.serialize(&mut *self).ok()?;
        Some(self)
    }

    pub fn finish(&mut self) -> u128 {
        self.hash.update(&self.pending);
        self.pending.clear();
        self.hash.digest128()
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
    key.number(program()?).number(templates).text(strings).serialized(base)?;
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

/// The key of one page: `shared`, its template, its address and root, and its own variables
/// (`vars`, as the template gets them once serialized). None if they cannot be serialized.
pub fn page(shared: u128, template: &str, url: &str, root: &str, vars: &impl Serialize) -> Option<u128> {
    let mut key = Key::new();
    key.number(shared).text(template).text(url).text(root).serialized(vars).map(|key| key.finish())
}

/// Why a value could not be fed to a key: its own `Serialize` failed.
#[derive(Debug)]
pub struct Unkeyable(String);

impl fmt::Display for Unkeyable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Unkeyable {}

impl ser::Error for Unkeyable {
    fn custom<T: fmt::Display>(message: T) -> Unkeyable {
        Unkeyable(message.to_string())
    }
}

type Fed = Result<(), Unkeyable>;

/// The serializer's integer methods: a narrow integer is fed as the widest of its kind (as
/// the template gets it), and a wide one as its little-endian bytes after its tag and width.
macro_rules! numbers {
    ($($method:ident($number:ty) $how:ident $to:tt),* $(,)?) => {
        $(numbers!(@one $method($number) $how $to);)*
    };
    (@one $method:ident($number:ty) as $wide:ident) => {
        fn $method(self, value: $number) -> Fed {
            self.$wide(value.into())
        }
    };
    (@one $method:ident($number:ty) tagged $tag:literal) => {
        fn $method(self, value: $number) -> Fed {
            self.tag($tag, size_of::<$number>()).feed(&value.to_le_bytes());
            Ok(())
        }
    };
}

/// Each value serde hands over becomes a tagged piece of the key. Sequences, maps and
/// structs are bracketed (their length is not always known before their items), and every
/// scalar carries its kind and length, so that the stream of pieces tells any two values
/// apart. Maps are fed in their own order: the views hold ordered maps only (a `HashMap`
/// would give a page a new key each build, and it would be rendered each time).
impl Serializer for &mut Key {
    type Ok = ();
    type Error = Unkeyable;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn serialize_bool(self, value: bool) -> Fed {
        self.tag(if value { b't' } else { b'f' }, 0);
        Ok(())
    }
    numbers! {
        serialize_i8(i8) as serialize_i64,
        serialize_i16(i16) as serialize_i64,
        serialize_i32(i32) as serialize_i64,
        serialize_i64(i64) tagged b'i',
        serialize_i128(i128) tagged b'I',
        serialize_u8(u8) as serialize_u64,
        serialize_u16(u16) as serialize_u64,
        serialize_u32(u32) as serialize_u64,
        serialize_u64(u64) tagged b'u',
        serialize_u128(u128) tagged b'n',
    }
    fn serialize_f32(self, value: f32) -> Fed {
        self.serialize_f64(value.into())
    }
    fn serialize_f64(self, value: f64) -> Fed {
        self.tag(b'd', 8).feed(&value.to_bits().to_le_bytes());
        Ok(())
    }
    fn serialize_char(self, value: char) -> Fed {
        self.text(value.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, value: &str) -> Fed {
        self.text(value);
        Ok(())
    }
    fn serialize_bytes(self, value: &[u8]) -> Fed {
        self.tag(b'b', value.len()).feed(value);
        Ok(())
    }
    fn serialize_none(self) -> Fed {
        self.serialize_unit()
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Fed {
        // As for the template: `Some(x)` is `x`, and `None` is null.
        value.serialize(self)
    }
    fn serialize_unit(self) -> Fed {
        self.tag(b'0', 0);
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Fed {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &'static str) -> Fed {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(self, _name: &'static str, value: &T) -> Fed {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Fed {
        self.tag(b'v', 0).text(variant);
        value.serialize(self)
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self, Unkeyable> {
        self.tag(b'[', 0);
        Ok(self)
    }
    fn serialize_tuple(self, len: usize) -> Result<Self, Unkeyable> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Self, Unkeyable> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self, Unkeyable> {
        self.tag(b'v', 0).text(variant);
        self.serialize_seq(Some(len))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self, Unkeyable> {
        self.tag(b'{', 0);
        Ok(self)
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Self, Unkeyable> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self, Unkeyable> {
        self.tag(b'v', 0).text(variant);
        self.serialize_map(Some(len))
    }
}

impl Key {
    fn item(&mut self, value: &(impl ?Sized + Serialize)) -> Fed {
        value.serialize(self)
    }

    fn close(&mut self, tag: u8) -> Fed {
        self.tag(tag, 0);
        Ok(())
    }
}

/// Sequences' and tuples' items are fed in one after the other, and their end closes the
/// bracket their start opened; so are structs' fields, each after its name.
macro_rules! bracketed {
    ($trait:ident, named, $close:literal) => {
        impl ser::$trait for &mut Key {
            type Ok = ();
            type Error = Unkeyable;
            fn serialize_field<T: ?Sized + Serialize>(&mut self, name: &'static str, value: &T) -> Fed {
                self.text(name);
                self.item(value)
            }
            fn end(self) -> Fed {
                self.close($close)
            }
        }
    };
    ($trait:ident, $method:ident, $close:literal) => {
        impl ser::$trait for &mut Key {
            type Ok = ();
            type Error = Unkeyable;
            fn $method<T: ?Sized + Serialize>(&mut self, value: &T) -> Fed {
                self.item(value)
            }
            fn end(self) -> Fed {
                self.close($close)
            }
        }
    };
}

bracketed!(SerializeSeq, serialize_element, b']');
bracketed!(SerializeTuple, serialize_element, b']');
bracketed!(SerializeTupleStruct, serialize_field, b']');
bracketed!(SerializeTupleVariant, serialize_field, b']');
bracketed!(SerializeStruct, named, b'}');
bracketed!(SerializeStructVariant, named, b'}');

impl ser::SerializeMap for &mut Key {
    type Ok = ();
    type Error = Unkeyable;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Fed {
        self.item(key)
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Fed {
        self.item(value)
    }
    fn end(self) -> Fed {
        self.close(b'}')
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_page_key_changes_with_each_thing_the_page_is_made_from() {
        let key =
            |shared, template, url, root, vars: &Value| page(shared, template, url, root, vars).unwrap();
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
        let key = |value: Value| Key::new().serialized(&value).unwrap().finish();
        assert_ne!(key(json!(["ab", "c"])), key(json!(["a", "bc"])));
        assert_ne!(key(json!([["a"], "b"])), key(json!([["a"], ["b"]])));
        assert_ne!(key(json!({"a": "b", "c": "d"})), key(json!({"a": {"b": "c"}, "d": null})));
        assert_ne!(key(json!(1)), key(json!(1.0)));
        assert_ne!(key(json!(-1)), key(json!(1)));
        assert_ne!(key(json!([["a"], "b"])), key(json!([["a", "b"]])));
        assert_ne!(key(json!({"a": "b"})), key(json!(["a", "b"])));
        assert_ne!(key(json!("1")), key(json!(1)));
        assert_ne!(key(json!(null)), key(json!(false)));
        assert_eq!(key(json!({"a": [1, true]})), key(json!({"a": [1, true]})));
    }

    #[test]
    fn a_view_keys_as_the_template_gets_it_and_a_failing_one_has_no_key() {
        #[derive(Serialize)]
        struct View<'a> {
            title: &'a str,
            stages: Vec<u32>,
            #[serde(skip_serializing_if = "Option::is_none")]
            reviewed: Option<&'a str>,
        }
        let key = |view: &View| page(7, "entry.html", "a/index.html", "../", view).unwrap();
        let view = || View { title: "Broker", stages: vec![1, 2], reviewed: None };
        assert_eq!(key(&view()), key(&view()));
        assert_ne!(key(&view()), key(&View { reviewed: Some(""), ..view() }));
        assert_ne!(key(&view()), key(&View { stages: vec![1], ..view() }));

        struct Failing;
        impl Serialize for Failing {
            fn serialize<S: Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
                Err(ser::Error::custom("no"))
            }
        }
        assert_eq!(page(7, "entry.html", "a/index.html", "../", &[Failing]), None);
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
