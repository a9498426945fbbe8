//! [`Memo`]: the map from a lowercased word to one `u32`, built for the analyzer's hot loop
//! (and the keyword scan's). Short words are keyed by their bytes packed into an integer,
//! looked up in an open-addressing table of packed slots; longer ones by the string.

use foldhash::HashMap;

/// Surface form -> one id: its stem id in a frozen cache, its surface id in a growing one
/// (which knows each surface's stem). One `u32` keeps the entries small: lookups of this
/// memo are classification's most frequent memory access, and it runs faster the more of it
/// stays in cache. Most words fit in 8 or 16 bytes: those are keyed by their bytes packed
/// into an integer (hashing and comparing an integer, no pointer to follow); longer ones by
/// the string. Tokens never contain NUL, so zero padding is unambiguous.
#[derive(Debug, Clone, Default)]
pub(crate) struct Memo {
    short: PackedMap<u64>,
    medium: PackedMap<u128>,
    long: HashMap<Box<str>, u32>,
}

#[derive(Clone, Copy)]
pub(crate) enum Key<'a> {
    Short(u64),
    Medium(u128),
    Long(&'a str),
}

pub(crate) fn key(word: &str) -> Key<'_> {
    let bytes = word.as_bytes();
    if bytes.len() > 16 {
        return Key::Long(word);
    }
    let (low, high) = pack(bytes, 0, bytes.len());
    packed(bytes.len(), low, high)
}

/// The memo key of the ASCII token `text[start..start + len]` if it has at most 16 bytes,
/// lowercased in registers: the same key [`key`] gives its lowercased copy, with no copy made.
#[inline(always)]
pub(crate) fn packed_key(text: &[u8], start: usize, len: usize) -> Option<Key<'static>> {
    if len > 16 {
        return None;
    }
    let (low, high) = pack(text, start, len);
    if (low | high) & HIGH != 0 {
        return None; // not ASCII
    }
    Some(packed(len, ascii_lowercase(low), ascii_lowercase(high)))
}

/// `text[at..at + len]` (len <= 16) as two little-endian halves, zero-padded. Both halves
/// are always loaded (and masked to the bytes of the word): whether a word is longer than 8
/// bytes is a coin toss to the CPU.
#[inline(always)]
fn pack(text: &[u8], at: usize, len: usize) -> (u64, u64) {
    let low = load8(text, at) & LOW_BYTES[len.min(8)];
    let high = load8(text, at + 8) & LOW_BYTES[len.saturating_sub(8).min(8)];
    (low, high)
}

/// The key of a word of `len` <= 16 bytes packed as [`pack`] does.
#[inline(always)]
fn packed(len: usize, low: u64, high: u64) -> Key<'static> {
    if len <= 8 {
        Key::Short(low)
    } else {
        Key::Medium(u128::from(low) | (u128::from(high) << 64))
    }
}

/// ASCII lowercase of 8 packed ASCII bytes: adds 0x20 to each byte in `A..=Z`.
#[inline(always)]
fn ascii_lowercase(word: u64) -> u64 {
    word | (bytes_between(word, b'A', b'Z') >> 2)
}

/// `bytes[at..at + 8]` as a little-endian integer, zero past the end of `bytes`.
#[inline(always)]
fn load8(bytes: &[u8], at: usize) -> u64 {
    match bytes.get(at..at + 8) {
        Some(eight) => u64::from_le_bytes(eight.try_into().unwrap_or_default()),
        None => {
            let mut padded = [0u8; 8];
            let rest = bytes.get(at..).unwrap_or_default();
            padded[..rest.len()].copy_from_slice(rest);
            u64::from_le_bytes(padded)
        }
    }
}

/// A one in each byte, and the high bit of each byte: for working on eight bytes at once.
const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `word` in `low..=high`, for words whose bytes are all below
/// 0x80 (so no byte carries into the next).
#[inline(always)]
fn bytes_between(word: u64, low: u8, high: u8) -> u64 {
    let at_least_low = word + ONES * (0x80 - u64::from(low));
    let above_high = word + ONES * (0x80 - u64::from(high) - 1);
    at_least_low & !above_high & HIGH
}

/// `LOW_BYTES[n]` is the mask of the low `n` bytes of a word (`n <= 8`).
const LOW_BYTES: [u64; 9] = {
    let mut masks = [u64::MAX; 9];
    let mut n = 0;
    while n < 8 {
        masks[n] = (1u64 << (8 * n)) - 1;
        n += 1;
    }
    masks
};

impl Memo {
    pub(crate) fn get(&self, word: &str) -> Option<u32> {
        self.get_key(key(word))
    }

    #[inline(always)]
    pub(crate) fn get_key(&self, key: Key<'_>) -> Option<u32> {
        match key {
            Key::Short(k) => self.short.get(k),
            Key::Medium(k) => self.medium.get(k),
            Key::Long(k) => self.long.get(k).copied(),
        }
    }

    pub(crate) fn insert(&mut self, word: &str, value: u32) {
        match key(word) {
            Key::Short(k) => self.short.insert(k, value),
            Key::Medium(k) => self.medium.insert(k, value),
            Key::Long(k) => {
                self.long.insert(k.into(), value);
            }
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.short.len() + self.medium.len() + self.long.len()
    }

    pub(crate) fn clear(&mut self) {
        self.short.clear();
        self.medium.clear();
        self.long.clear();
    }
}

/// A word packed into an integer (see [`pack`]): never 0, since tokens are not empty and hold
/// no NUL byte, so 0 marks an empty slot.
trait PackedWord: Copy + Eq + Default {
    /// Bits spread over all 64 from every byte of the word.
    fn mix(self) -> u64;
}

impl PackedWord for u64 {
    fn mix(self) -> u64 {
        // Fibonacci hashing: the top bits of the product depend on every byte.
        self.wrapping_mul(0x9E37_79B9_7F4A_7C15)
    }
}

impl PackedWord for u128 {
    fn mix(self) -> u64 {
        // Many long words share their first eight bytes ("government", "governments"): the
        // second half is spread over the top bits before the two are mixed together.
        let (low, high) = (self as u64, (self >> 64) as u64);
        (low ^ high.wrapping_mul(0xC2B2_AE3D_27D4_EB4F)).mix()
    }
}

/// Map from packed words to memo values: one array of slots, linear probing, at most three
/// quarters full, so a lookup usually touches one cache line (a `HashMap` reads its control
/// bytes, then the slot: two). Lookups of these maps are the most frequent memory access of
/// classification, and they miss the cache less the smaller the maps are: four times the
/// slots made directory classification 13% slower.
#[derive(Debug, Clone)]
struct PackedMap<K: Copy> {
    /// Never empty (a lookup needs no test for that), never full.
    slots: Vec<Slot<K>>,
    len: usize,
}

impl<K: PackedWord> Default for PackedMap<K> {
    fn default() -> Self {
        PackedMap {
            slots: vec![Slot::default()],
            len: 0,
        }
    }
}

/// A word and its memo value, with no padding between or after them: 12 bytes for words of
/// up to 8 bytes, 20 for up to 16 (aligned, they would take 16 and 32).
#[derive(Debug, Clone, Copy, Default)]
#[repr(C, packed(4))]
struct Slot<K: Copy> {
    key: K,
    value: u32,
}

impl<K: PackedWord> PackedMap<K> {
    /// The slot a key's probe starts at: the top bits of the mix scaled to the table's size
    /// (any size, not only powers of two).
    fn home(&self, key: K) -> usize {
        ((u128::from(key.mix()) * self.slots.len() as u128) >> 64) as usize
    }

    /// The slot after `at`, wrapping around.
    #[inline(always)]
    fn next(&self, at: usize) -> usize {
        if at + 1 == self.slots.len() {
            0
        } else {
            at + 1
        }
    }

    #[inline(always)]
    fn get(&self, key: K) -> Option<u32> {
        let mut at = self.home(key);
        loop {
            let Slot { key: k, value } = self.slots[at];
            if k == key {
                return Some(value);
            }
            if k == K::default() {
                return None;
            }
            at = self.next(at);
        }
    }

    fn insert(&mut self, key: K, value: u32) {
        let empty = K::default();
        debug_assert!(key != empty);
        // At most three quarters full; a table that must grow grows by half, so it is between
        // half and three quarters full.
        if (self.len + 1) * 4 > self.slots.len() * 3 {
            let size = (self.slots.len() * 3 / 2).max(1024);
            let old = std::mem::replace(&mut self.slots, vec![Slot::default(); size]);
            self.len = 0;
            for Slot { key, value } in old {
                if key != empty {
                    self.insert(key, value);
                }
            }
        }
        let mut at = self.home(key);
        while { self.slots[at].key } != empty && { self.slots[at].key } != key {
            at = self.next(at);
        }
        if { self.slots[at].key } == empty {
            self.len += 1;
        }
        self.slots[at] = Slot { key, value };
    }

    fn len(&self) -> usize {
        self.len
    }

    fn clear(&mut self) {
        *self = PackedMap::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Inserts 5,000 keys (through several growths) into a [`PackedMap`] and a `HashMap`,
    /// looking up a key that may be absent after each, then compares every entry.
    fn packed_map_agrees_with_a_hash_map<K: PackedWord + std::hash::Hash + std::fmt::Debug>(
        key_of: impl Fn(u64, u32) -> K,
    ) {
        let mut map = PackedMap::<K>::default();
        let mut reference = std::collections::HashMap::new();
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for i in 0..5000u32 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let key = key_of(state, i);
            map.insert(key, i);
            reference.insert(key, i);
            let probe = key_of(state ^ 0x100, i);
            assert_eq!(map.get(probe), reference.get(&probe).copied());
        }
        assert_eq!(map.len(), reference.len());
        for (&key, &value) in &reference {
            assert_eq!(map.get(key), Some(value));
        }
        map.clear();
        assert_eq!((map.len(), map.get(key_of(1, 0))), (0, None));
    }

    #[test]
    fn packed_maps_agree_with_a_hash_map() {
        // Keys like packed words: low bytes vary, high bytes are often zero; long words
        // often share their first half.
        packed_map_agrees_with_a_hash_map(|state, i| (state >> (8 * (i % 8))) | 1);
        packed_map_agrees_with_a_hash_map(|state, i| {
            let shared = u128::from(0x6e72_6576_6f67_u64 | u64::from(i % 3) << 56);
            shared | u128::from(state >> (8 * (i % 8)) | 1) << 64
        });
    }

    #[test]
    fn packed_keys_equal_the_keys_of_lowercased_copies() {
        let text = "Xi WIC cyber-Security, O'Neill's internationalization ABCDEFGHIJKLMNOP @[`{ Z";
        let mut at = 0;
        for word in text.split(' ') {
            for end in at + 1..=at + word.len() {
                let raw = &text[at..end];
                let lower = raw.to_ascii_lowercase();
                match (packed_key(text.as_bytes(), at, raw.len()), key(&lower)) {
                    (Some(Key::Short(a)), Key::Short(b)) => assert_eq!(a, b, "{raw}"),
                    (Some(Key::Medium(a)), Key::Medium(b)) => assert_eq!(a, b, "{raw}"),
                    (None, Key::Long(_)) => {}
                    _ => panic!("{raw}: key kinds differ"),
                }
            }
            at += word.len() + 1;
        }
        assert!(packed_key("caf\u{e9}".as_bytes(), 0, 5).is_none());
    }
}
