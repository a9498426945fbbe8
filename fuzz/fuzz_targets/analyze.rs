//! Arbitrary bytes through the whole inference path: decode, tokenize, stem, vectorize,
//! score, keywords. Must never panic; scores must be probabilities; analysis deterministic.
#![no_main]

use std::cell::RefCell;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use thematic::corpus::{decode, FileText};
use thematic::{ClassifyOptions, Model};

fn model() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(|| Model::embedded().expect("embedded model"))
}

thread_local! {
    // Reused across runs, like a CLI worker's: the memo grows with what the fuzzer tries.
    static WORKSPACE: RefCell<thematic::Workspace> = RefCell::new(model().workspace());
}

fuzz_target!(|data: &[u8]| {
    let FileText::Text(doc) = decode("fuzz", data.to_vec()) else {
        return;
    };
    let model = model();
    WORKSPACE.with_borrow_mut(|workspace| {
        let first = model.classify(&doc.text, workspace, &ClassifyOptions::default());
        for (_, score) in &first.scores {
            assert!((0.0..=1.0).contains(score), "score {score}");
        }
        // A fresh workspace (cold memo) must give exactly what the warm one gave.
        let cold = model.classify(
            &doc.text,
            &mut model.workspace(),
            &ClassifyOptions::default(),
        );
        assert_eq!(first, cold);
    });
});
