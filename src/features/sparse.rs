//! [`SparseVector`]: a document's TF-IDF features, term ids sorted ascending.

/// Sparse vector of (term id, weight), ids strictly ascending.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SparseVector {
    /// Term ids, strictly ascending.
    pub indices: Vec<u32>,
    /// Weights, one per id.
    pub values: Vec<f32>,
}

impl SparseVector {
    /// Empties the vector, keeping its buffers.
    pub fn clear(&mut self) {
        self.indices.clear();
        self.values.clear();
    }

    /// Number of non-zero entries.
    pub fn len(&self) -> usize {
        self.indices.len()
    }

    /// Whether the vector has no non-zero entry.
    pub fn is_empty(&self) -> bool {
        self.indices.is_empty()
    }

    /// (term id, weight) pairs in id order.
    pub fn iter(&self) -> impl Iterator<Item = (u32, f32)> + '_ {
        self.indices
            .iter()
            .copied()
            .zip(self.values.iter().copied())
    }
}
