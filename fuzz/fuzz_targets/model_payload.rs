//! Arbitrary bytes as a model *payload* wrapped in a valid header and checksum, so the fuzzer
//! reaches the decoder and the consistency checks behind the SHA-256 gate. Any payload that
//! loads must classify without panicking.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use sha2::{Digest, Sha256};
use thematic::keywords::MIN_RELEVANCE;
use thematic::model::{FORMAT_VERSION, MAGIC};
use thematic::{ClassifyOptions, Model};

fuzz_target!(|payload: &[u8]| {
    let mut bytes = Vec::with_capacity(52 + payload.len());
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    bytes.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    bytes.extend_from_slice(&Sha256::digest(payload));
    bytes.extend_from_slice(payload);
    if let Ok(model) = Model::from_bytes(&bytes, Path::new("fuzz.thematic")) {
        let mut workspace = model.workspace();
        let text = "Parliament passed the budget; police arrested smugglers; prices rose.";
        model.classify(text, &mut workspace, &ClassifyOptions::default());
        model.keywords(text, &mut workspace, 5, MIN_RELEVANCE);
    }
});
