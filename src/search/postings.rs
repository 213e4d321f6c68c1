//! Postings parts, `search/postings/<n>.js`: per key its IDF and its postings, in one of
//! two forms, whichever is shorter (see `postings_entry`).

use super::encode::{self, push_digit, push_varint};
use super::rank::{Posting, Postings, idf};
use super::shards::{Shards, separator};
use crate::sink::OutputFile;

/// Target size of a postings part. A key whose postings are larger gets a part of its own.
/// A query fetches a part per key it looks up, most of it other keys' postings.
pub const POSTINGS_SHARD_BYTES: usize = 8 * 1024;

/// A key's postings, sparse: per document a varint (gap to the previous document, shifted
/// left, low bit set when the key is in the title), then, if in the title, a digit
/// (distinct keys in the title), then a digit (the impact).
pub fn encode_postings(out: &mut String, postings: &[Posting]) {
    let mut next = 0;
    for posting in postings {
        let gap = (posting.document - next) as usize;
        let in_title = posting.title_keys > 0;
        push_varint(out, gap << 1 | in_title as usize);
        if in_title {
            push_digit(out, posting.title_keys as usize);
        }
        push_digit(out, posting.impact as usize);
        next = posting.document + 1;
    }
}

/// A key's impacts, for the dense form: per document its impact digit, after `0` and a
/// digit (distinct keys in the title) when the key is in the title (impacts are 1–63, so
/// the digit 0 is free to say so).
pub fn encode_impacts(out: &mut String, postings: &[Posting]) {
    for posting in postings {
        if posting.title_keys > 0 {
            out.push(encode::ALPHABET[0] as char);
            push_digit(out, posting.title_keys as usize);
        }
        push_digit(out, posting.impact as usize);
    }
}

/// A key's entry in a postings part, `"key":[idf × 1000,…]`, in whichever form is shorter:
/// sparse, `[idf, postings]` (`encode_postings`), or, for a key in many documents, dense,
/// `[idf, documents as a bitmap, impacts]` (`encode::bitmap`, `encode_impacts`).
fn postings_entry(out: &mut String, key: &str, list: &[Posting], documents: usize) {
    let idf = (idf(documents, list.len()) * 1000.0).round() as u64;
    out.push_str(&encode::json_string(key));
    out.push_str(&format!(":[{idf},\""));
    let start = out.len();
    encode_postings(out, list);
    let sparse = out.len() - start;
    // The dense form costs a digit per six documents, then about one per posting.
    if documents.div_ceil(6) + list.len() < sparse {
        out.truncate(start);
        let members: Vec<usize> = list.iter().map(|posting| posting.document as usize).collect();
        out.push_str(&encode::bitmap(&members, documents));
        out.push_str("\",\"");
        encode_impacts(out, list);
    }
    out.push_str("\"]");
}

/// Postings parts `search/postings/<n>.js`, each an object from key to its postings (see
/// `postings_entry`). Keys are encoded one at a time and parts written as they fill, so no more
/// than a part's worth of encoded postings is held at once.
pub fn postings(keys: &[String], postings: &Postings, documents: usize) -> Shards {
    let mut shards = Shards { bounds: Vec::new(), files: Vec::new() };
    let mut close = |first: usize, part: &str| {
        let number = shards.files.len();
        let name = format!("postings/{number}");
        shards.bounds.push(if number == 0 {
            String::new()
        } else {
            separator(&keys[first - 1], &keys[first])
        });
        shards.files.push(OutputFile::new(
            format!("search/{name}.js"),
            encode::script(&name, &format!("{{{part}}}")),
        ));
    };
    // The open part: its first key, its entries joined by commas.
    let mut first = 0;
    let mut part = String::new();
    let mut entry = String::new();
    for (key, text) in keys.iter().enumerate() {
        entry.clear();
        postings_entry(&mut entry, text, postings.of(key), documents);
        // A part holds at least one key, and more while they fit (a comma each).
        if key > first && part.len() + 1 + entry.len() > POSTINGS_SHARD_BYTES {
            close(first, &part);
            part.clear();
            first = key;
        }
        if key > first {
            part.push(',');
        }
        part.push_str(&entry);
    }
    // The last part (an empty `{}` when there are no keys).
    close(first, &part);
    shards
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postings_flag_title_occurrences() {
        let list = [
            Posting { document: 0, impact: 10, title_keys: 0 },
            Posting { document: 3, impact: 63, title_keys: 2 },
            Posting { document: 40, impact: 1, title_keys: 0 },
        ];
        // 0: gap 0 → "0", impact "A"; 3: gap 2, title → 5, 2 keys, impact "_";
        // 40: gap 36 → 72 = 8 + 2 × 32 → "e2", impact "1".
        let mut text = String::new();
        encode_postings(&mut text, &list);
        assert_eq!(text, "0A52_e21");
    }

    #[test]
    fn a_key_in_most_documents_takes_the_dense_form() {
        let posting = |document, title_keys| Posting { document, impact: 5, title_keys };
        let many: Vec<Posting> =
            (0..12).map(|document| posting(document, (document == 3) as u8 * 2)).collect();
        let mut entry = String::new();
        postings_entry(&mut entry, "fund", &many, 12);
        // Twelve documents: bitmap "__"; impacts "5", and "025" for the one in the title.
        assert!(entry.starts_with("\"fund\":["), "{entry}");
        assert!(entry.ends_with(",\"__\",\"55502555555555\"]"), "{entry}");
        let few = [posting(0, 0), posting(40, 0)];
        entry.clear();
        postings_entry(&mut entry, "fund", &few, 12_000);
        assert!(entry.ends_with(",\"05k25\"]"), "{entry}");
    }

    #[test]
    fn a_large_key_gets_a_part_of_its_own() {
        let keys: Vec<String> = ["a", "big", "c"].map(String::from).to_vec();
        // Two bytes a posting: "big" alone is about twice a part's size.
        let documents = POSTINGS_SHARD_BYTES as u32;
        let many: Vec<Posting> =
            (0..documents).map(|document| Posting { document, impact: 5, title_keys: 0 }).collect();
        let one = vec![Posting { document: 0, impact: 5, title_keys: 0 }];
        let shards = postings(&keys, &Postings::from_lists(&[one.clone(), many, one]), documents as usize);
        assert_eq!(shards.bounds, ["", "b", "c"]);
    }
}
