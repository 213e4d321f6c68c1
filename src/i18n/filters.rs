//! The Tera filters that put a language's strings into pages: `long_date`, `fill` (a
//! string's `{name}`s, and a count's form), `join_list` and `json_script` (docs/themes.md).

use super::Strings;
use std::collections::HashMap;
use std::sync::Arc;
use tera::{Tera, Value};

type Arguments = HashMap<String, Value>;

/// Registers the filters for `strings`'s language.
pub fn register_filters(tera: &mut Tera, strings: &Strings) {
    let strings = Arc::new(strings.clone());
    let dates = Arc::clone(&strings);
    tera.register_filter("long_date", move |value: &Value, _: &Arguments| {
        Ok(Value::String(dates.dates.long(value.as_str().unwrap_or_default())))
    });
    let counts = Arc::clone(&strings);
    tera.register_filter("fill", move |value: &Value, arguments: &Arguments| fill(&counts, value, arguments));
    tera.register_filter("join_list", move |value: &Value, _: &Arguments| {
        let items: Vec<String> = value.as_array().into_iter().flatten().map(plain).collect();
        Ok(Value::String(strings.join_list(&items)))
    });
    tera.register_filter("json_script", |value: &Value, _: &Arguments| Ok(Value::String(json_script(value))));
}

/// A value as text: a string as it is, anything else as JSON.
fn plain(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// `{{ t.x | fill(name=value) }}`: the string with each `{name}` replaced; for a count
/// (`{ one, other }`), the form for `n` first.
fn fill(strings: &Strings, value: &Value, arguments: &Arguments) -> tera::Result<Value> {
    let template = match value {
        Value::String(text) => text.as_str(),
        Value::Object(forms) => {
            let Some(n) = arguments.get("n").and_then(Value::as_u64) else {
                return Err(tera::Error::msg("`fill` on a count needs the number: fill(n=…)"));
            };
            let form = if strings.plural.is_one(n) { "one" } else { "other" };
            forms.get(form).and_then(Value::as_str).unwrap_or_default()
        }
        other => return Err(tera::Error::msg(format!("`fill` needs a string or a count, not {other}"))),
    };
    let values: Vec<(String, String)> =
        arguments.iter().map(|(name, value)| (name.clone(), plain(value))).collect();
    let pairs: Vec<(&str, &str)> =
        values.iter().map(|(name, value)| (name.as_str(), value.as_str())).collect();
    Ok(Value::String(super::fill(template, &pairs)))
}

/// JSON that can sit inside `<script type="application/json">` (written with `| safe`):
/// `<`, `>` and `&` escaped, so no string in it can close the element.
pub fn json_script(value: &Value) -> String {
    value.to_string().replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_chooses_forms_and_fills_names() {
        let french = Strings::shipped("fr").unwrap();
        let entries = french.value.get("entries").unwrap().clone();
        let arguments = |n: u64| HashMap::from([("n".to_string(), Value::from(n))]);
        assert_eq!(fill(&french, &entries, &arguments(0)).unwrap(), Value::from("0\u{A0}fiche"));
        assert_eq!(fill(&french, &entries, &arguments(2)).unwrap(), Value::from("2\u{A0}fiches"));
        let page_of = Value::from("Page {number} of {count}");
        let arguments =
            HashMap::from([("number".to_string(), Value::from(2)), ("count".to_string(), Value::from("3"))]);
        assert_eq!(fill(&french, &page_of, &arguments).unwrap(), Value::from("Page 2 of 3"));
    }

    #[test]
    fn json_in_a_script_element_cannot_close_it() {
        let value = serde_json::json!({ "x": "</script><script>alert(1)</script>&" });
        let text = json_script(&value);
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'), "{text}");
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), value);
    }
}
