//! Numbering words as they are read: the innermost loop of indexing (millions of words at
//! 10,000 entries, a few thousand distinct per chunk); and a fast hash map for the table of
//! every chunk's words.
//!
//! Most words fit in 16 bytes, so they are kept inline as one `u128` (zero-padded: a
//! folded word has no NUL byte, so padding cannot make two words equal) in an
//! open-addressing table: finding one is a multiply, a load and a compare, with no string
//! to follow and no `memcmp` to call. Longer words go to an ordinary map.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A fast, deterministic hasher for short strings and integers (FxHash): the standard
/// SipHash is built to resist attackers, which an index of one's own catalog need not.
#[derive(Default, Clone, Copy)]
pub struct FxHasher(u64);

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(byte as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// Words up to this many bytes are kept inline.
const INLINE: usize = 16;

#[derive(Clone, Copy, Default)]
struct Slot {
    /// The word's bytes, zero-padded; 0 for an empty slot.
    key: u128,
    number: u32,
}

/// From words to numbers.
pub struct WordNumbers {
    /// A power of two in length, at most half full.
    slots: Vec<Slot>,
    len: usize,
    long: HashMap<String, u32>,
}

impl Default for WordNumbers {
    fn default() -> Self {
        WordNumbers { slots: vec![Slot::default(); 1024], len: 0, long: HashMap::new() }
    }
}

fn inline_key(word: &str) -> Option<u128> {
    let bytes = word.as_bytes();
    if bytes.is_empty() || bytes.len() > INLINE {
        return None;
    }
    let mut key = [0u8; INLINE];
    key[..bytes.len()].copy_from_slice(bytes);
    Some(u128::from_le_bytes(key))
}

fn home(key: u128, mask: usize) -> usize {
    let mixed = (key as u64 ^ ((key >> 64) as u64).rotate_left(29)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    (mixed >> 32) as usize & mask
}

impl WordNumbers {
    /// `word`'s number, giving it `new()` if it has none yet.
    pub fn number(&mut self, word: &str, new: impl FnOnce() -> u32) -> u32 {
        let Some(key) = inline_key(word) else {
            if let Some(&number) = self.long.get(word) {
                return number;
            }
            let number = new();
            self.long.insert(word.to_string(), number);
            return number;
        };
        let mask = self.slots.len() - 1;
        let mut index = home(key, mask);
        loop {
            let slot = self.slots[index];
            if slot.key == key {
                return slot.number;
            }
            if slot.key == 0 {
                break;
            }
            index = (index + 1) & mask;
        }
        let number = new();
        self.slots[index] = Slot { key, number };
        self.len += 1;
        if self.len * 2 > self.slots.len() {
            self.grow();
        }
        number
    }

    fn grow(&mut self) {
        let doubled = vec![Slot::default(); self.slots.len() * 2];
        let old = std::mem::replace(&mut self.slots, doubled);
        let mask = self.slots.len() - 1;
        for slot in old.into_iter().filter(|slot| slot.key != 0) {
            let mut index = home(slot.key, mask);
            while self.slots[index].key != 0 {
                index = (index + 1) & mask;
            }
            self.slots[index] = slot;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_their_first_number_across_growth() {
        let mut numbers = WordNumbers::default();
        let words: Vec<String> = (0..5000)
            .map(|n| match n % 3 {
                0 => format!("w{n}"),
                1 => format!("a-much-longer-word-than-sixteen-{n}"),
                _ => format!("{n:0>16}"),
            })
            .collect();
        let mut next = 0;
        for word in &words {
            let number = numbers.number(word, || {
                next += 1;
                next - 1
            });
            assert_eq!(number, next - 1, "{word} is new");
        }
        for (expected, word) in words.iter().enumerate() {
            assert_eq!(numbers.number(word, || unreachable!("{word} was numbered")), expected as u32);
        }
    }

    #[test]
    fn a_word_and_its_prefix_differ() {
        let mut numbers = WordNumbers::default();
        assert_eq!(numbers.number("fund", || 0), 0);
        assert_eq!(numbers.number("funding", || 1), 1);
        assert_eq!(numbers.number("fun", || 2), 2);
        assert_eq!(numbers.number("fund", || 9), 0);
        // Exactly 16 bytes is inline; 17 is not.
        assert_eq!(numbers.number("abcdefghijklmnop", || 3), 3);
        assert_eq!(numbers.number("abcdefghijklmnopq", || 4), 4);
        assert_eq!(numbers.number("abcdefghijklmnop", || 9), 3);
        assert_eq!(numbers.number("abcdefghijklmnopq", || 9), 4);
    }
}
