//! Arbitrary bytes as a labelled JSONL file and as a CSV file: an error or documents, never a
//! panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use thematic::corpus::read_labelled;

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().expect("temp dir");
    for name in ["data.jsonl", "data.csv"] {
        let path = dir.path().join(name);
        std::fs::write(&path, data).expect("write");
        if let Ok(documents) = read_labelled(&path) {
            assert!(!documents.is_empty());
            assert!(documents.iter().all(|d| !d.text.trim().is_empty()));
        }
    }
});
