//! Arbitrary bytes as a model file (seeded with the real one): a clear error, or a model that
//! classifies without panicking.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use thematic::{ClassifyOptions, Model};

fuzz_target!(|data: &[u8]| {
    if let Ok(model) = Model::from_bytes(data, Path::new("fuzz.thematic")) {
        let mut workspace = model.workspace();
        model.classify(
            "Parliament, police and prices.",
            &mut workspace,
            &ClassifyOptions::default(),
        );
    }
});
