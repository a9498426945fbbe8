//! [`StemCache`]: the memo of lowercased word -> stem id around [`WordStemmer::stem`], and the
//! stems' names.

use std::sync::Arc;

use foldhash::HashMap;

use super::memo::Memo;
use super::normalize::Normalized;
use super::word::WordStemmer;

/// The memo value of a dropped token (a stop word, a number, a token too short or too long):
/// above every stem id, below only [`StemCache::UNKNOWN`].
pub(super) const STOP: u32 = u32::MAX - 1;

/// Memo of lowercased surface form -> stem id, and the stems' names.
///
/// A *growing* cache (training) gives every new stem a new id. A *frozen* cache (inference)
/// knows only the stems of a vocabulary: [`super::Analyzer::analyze`] drops the tokens of any
/// other stem, which can be part of no term of that vocabulary, as it drops stop words. Its
/// memo is bounded, so streaming any amount of text keeps memory flat. Clones of a cache share
/// its stems until one learns a new stem, so a frozen cache per thread costs no copy of them.
#[derive(Debug, Clone)]
pub struct StemCache {
    pub(super) memo: Memo,
    surfaces: Vec<Box<str>>,
    /// The stem id of each surface id (a growing cache's memo gives surface ids).
    surface_stems: Vec<u32>,
    stems: Arc<Stems>,
    pub(super) frozen: bool,
    /// The lowercased token being looked up, when it is not looked up by a packed key.
    pub(super) lower: String,
    /// The normalised copy of a text that needs one.
    pub(super) normalized: Normalized,
}

/// Stem names by id, and ids by name.
#[derive(Debug, Clone, Default)]
struct Stems {
    names: Vec<Box<str>>,
    ids: HashMap<Box<str>, u32>,
}

/// A frozen cache forgets its memo past this many surface forms.
const FROZEN_MEMO_LIMIT: usize = 1 << 20;

impl StemCache {
    /// Id of a stem or surface the cache does not know.
    pub const UNKNOWN: u32 = u32::MAX;

    /// A cache that learns every stem it meets (for training).
    pub fn growing() -> Self {
        StemCache {
            memo: Memo::default(),
            surfaces: Vec::new(),
            surface_stems: Vec::new(),
            stems: Arc::default(),
            frozen: false,
            lower: String::new(),
            normalized: Normalized::default(),
        }
    }

    /// A cache that knows exactly `stems` (ids are their positions) and nothing else.
    pub fn frozen<S: AsRef<str>>(stems: &[S]) -> Self {
        let names: Vec<Box<str>> = stems.iter().map(|s| s.as_ref().into()).collect();
        let ids = names
            .iter()
            .enumerate()
            .map(|(id, s)| (s.clone(), id as u32))
            .collect();
        StemCache {
            memo: Memo::default(),
            surfaces: Vec::new(),
            surface_stems: Vec::new(),
            stems: Arc::new(Stems { names, ids }),
            frozen: true,
            lower: String::new(),
            normalized: Normalized::default(),
        }
    }

    /// The stem with id `id`.
    pub fn stem(&self, id: u32) -> &str {
        self.stems.names.get(id as usize).map_or("", |s| s)
    }

    /// The lowercased surface form with id `id` (empty if forgotten).
    pub fn surface(&self, id: u32) -> &str {
        self.surfaces.get(id as usize).map_or("", |s| s)
    }

    /// Number of stems known.
    pub fn stem_count(&self) -> usize {
        self.stems.names.len()
    }

    /// Whether the cache knows the stem `stem`.
    pub(super) fn knows(&self, stem: &str) -> bool {
        self.stems.ids.contains_key(stem)
    }

    /// (stem id, surface id) of a memo value, in a cache that is frozen if `FROZEN` (which
    /// must say what `self.frozen` says).
    #[inline(always)]
    pub(super) fn ids<const FROZEN: bool>(&self, value: u32) -> (u32, u32) {
        if FROZEN {
            (value, Self::UNKNOWN)
        } else {
            (self.surface_stems[value as usize], value)
        }
    }

    /// Stems `self.lower` by `words`, records it in the memo and returns its memo value.
    pub(super) fn learn(&mut self, words: &WordStemmer) -> u32 {
        let lower = std::mem::take(&mut self.lower);
        let stem = match words.stem(&lower) {
            Some(stemmed) => self.intern_stem(&stemmed),
            None => STOP,
        };
        if self.frozen && self.memo.len() >= FROZEN_MEMO_LIMIT {
            self.memo.clear();
        }
        let value = if self.frozen {
            stem
        } else {
            self.surfaces.push(lower.as_str().into());
            self.surface_stems.push(stem);
            (self.surfaces.len() - 1) as u32
        };
        self.memo.insert(&lower, value);
        self.lower = lower;
        value
    }

    fn intern_stem(&mut self, stem: &str) -> u32 {
        if let Some(&id) = self.stems.ids.get(stem) {
            return id;
        }
        if self.frozen {
            return Self::UNKNOWN;
        }
        // Copied first if another cache shares them (a clone of this one).
        let stems = Arc::make_mut(&mut self.stems);
        let id = stems.names.len() as u32;
        stems.names.push(stem.into());
        stems.ids.insert(stem.into(), id);
        id
    }
}
