//! Compact encodings shared with `search.js`: numbers as characters of a 64-letter
//! alphabet that needs no escaping inside a JSON string, and index parts as script files.
//!
//! - A *digit* is one character worth 0–63.
//! - A *varint* is little-endian groups of 5 bits: digits 32–63 carry 5 bits and say that
//!   more follow, a digit 0–31 carries the last 5 bits.
//! - A *bitmap* is 6 bits per digit, bit `j` of digit `i` standing for item `6i + j`.
//! - A *list* is sorted numbers as varint gaps (`n - previous - 1`, the first from -1).

pub const ALPHABET: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

pub fn push_digit(out: &mut String, value: usize) {
    out.push(ALPHABET[value.min(63)] as char);
}

pub fn push_varint(out: &mut String, mut value: usize) {
    while value >= 32 {
        out.push(ALPHABET[32 + (value & 31)] as char);
        value >>= 5;
    }
    out.push(ALPHABET[value] as char);
}

/// Sorted, distinct numbers as a list of gaps.
pub fn list(sorted: &[usize]) -> String {
    let mut out = String::with_capacity(sorted.len() * 2);
    let mut next = 0;
    for &value in sorted {
        push_varint(&mut out, value - next);
        next = value + 1;
    }
    out
}

/// The set of `sorted` among `0..len` as a bitmap.
pub fn bitmap(sorted: &[usize], len: usize) -> String {
    let mut digits = vec![0u8; len.div_ceil(6)];
    for &value in sorted {
        digits[value / 6] |= 1 << (value % 6);
    }
    digits.into_iter().map(|digit| ALPHABET[digit as usize] as char).collect()
}

/// A set of items among `0..len` in whichever form is shorter: `b` + bitmap or `l` + list.
pub fn set(sorted: &[usize], len: usize) -> String {
    let as_list = list(sorted);
    if as_list.len() < len.div_ceil(6) { format!("l{as_list}") } else { format!("b{}", bitmap(sorted, len)) }
}

/// A script that hands `data` (JSON) to the search page: `copcatSearch.load("key", data);`.
/// Loading parts as scripts, not with fetch, is what makes search work from `file://`.
///
/// JSON is not quite JavaScript: it lets a string hold U+2028 and U+2029 as they are, which
/// JavaScript before ES2019 reads as line breaks, ending the script with a syntax error (and
/// search with it, in the older browsers search.js is written for). So they are escaped; the
/// string's value is the same. (They can only be inside strings: JSON has no other place for
/// them.)
pub fn script(key: &str, data: &str) -> Vec<u8> {
    let data: std::borrow::Cow<str> = if data.contains(['\u{2028}', '\u{2029}']) {
        data.replace('\u{2028}', "\\u2028").replace('\u{2029}', "\\u2029").into()
    } else {
        data.into()
    };
    format!("copcatSearch.load({},{data});\n", json_string(key)).into_bytes()
}

pub fn json_string(text: &str) -> String {
    // Serializing a &str cannot fail.
    serde_json::to_string(text).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_varints(text: &str) -> Vec<usize> {
        let mut values = Vec::new();
        let (mut value, mut shift) = (0usize, 0);
        for c in text.bytes() {
            let digit = ALPHABET.iter().position(|&a| a == c).unwrap();
            value |= (digit & 31) << shift;
            if digit >= 32 {
                shift += 5;
            } else {
                values.push(value);
                value = 0;
                shift = 0;
            }
        }
        values
    }

    #[test]
    fn varints_round_trip() {
        let values = [0, 1, 31, 32, 33, 1023, 1024, 99_999, 1 << 30];
        let mut text = String::new();
        for value in values {
            push_varint(&mut text, value);
        }
        assert_eq!(decode_varints(&text), values);
        let mut small = String::new();
        push_varint(&mut small, 31);
        assert_eq!(small, "V");
    }

    #[test]
    fn sets_take_the_shorter_form() {
        assert_eq!(list(&[0, 1, 5]), "003");
        assert_eq!(set(&[0, 1, 5], 600), "l003");
        let all: Vec<usize> = (0..12).collect();
        assert_eq!(set(&all, 12), "b__");
        assert_eq!(bitmap(&[0, 7], 12), "12");
    }

    #[test]
    fn scripts_escape_their_key() {
        let bytes = script("doc/1", "[\"a\"]");
        assert_eq!(String::from_utf8(bytes).unwrap(), "copcatSearch.load(\"doc/1\",[\"a\"]);\n");
    }

    #[test]
    fn scripts_escape_the_separators_older_javascript_reads_as_line_breaks() {
        let data = serde_json::to_string(&["a\u{2028}b\u{2029}c"]).unwrap();
        let text = String::from_utf8(script("k", &data)).unwrap();
        assert_eq!(text, "copcatSearch.load(\"k\",[\"a\\u2028b\\u2029c\"]);\n");
        let escaped = &text["copcatSearch.load(\"k\",".len()..text.len() - ");\n".len()];
        assert_eq!(serde_json::from_str::<Vec<String>>(escaped).unwrap(), ["a\u{2028}b\u{2029}c"]);
    }

    #[test]
    fn alphabet_needs_no_escaping() {
        for &c in ALPHABET {
            assert!(c.is_ascii_alphanumeric() || c == b'-' || c == b'_');
        }
    }
}
