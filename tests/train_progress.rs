//! `train_with_progress`: the library tells its observer each stage and the documents done,
//! and the model is the one `train` makes.

mod common;

use std::sync::Mutex;

use thematic::corpus::read_labelled_jsonl;
use thematic::{train, train_with_progress, Split, TrainOptions, TrainProgress};

#[test]
fn every_stage_is_reported_and_the_model_is_unchanged() {
    let documents =
        read_labelled_jsonl(common::small_jsonl().as_bytes(), "small.jsonl".as_ref()).unwrap();
    let options = TrainOptions::default();
    let events = Mutex::new(Vec::new());
    let (observed, _) = train_with_progress(&documents, &options, &|event| {
        events.lock().unwrap().push(event)
    })
    .unwrap();
    let (plain, _) = train(&documents, &options).unwrap();
    assert_eq!(observed.to_bytes(), plain.to_bytes());

    let events = events.into_inner().unwrap();
    assert_eq!(events[0], TrainProgress::Analysing { documents: 16 });
    // Each fitting stage announces its documents; the epochs' reports add up to them.
    for split in [Split::HeldOut, Split::Final] {
        let start = events
            .iter()
            .position(|e| matches!(e, TrainProgress::Fitting { split: s, .. } if *s == split))
            .unwrap_or_else(|| panic!("{split:?} fitting reported"));
        let TrainProgress::Fitting {
            fits, documents, ..
        } = events[start]
        else {
            unreachable!()
        };
        let stage = events[start + 1..]
            .iter()
            .take_while(|e| matches!(e, TrainProgress::Documents(_) | TrainProgress::FitDone));
        let (mut done, mut fits_done) = (0, 0);
        for event in stage {
            match event {
                TrainProgress::Documents(n) => done += n,
                _ => fits_done += 1,
            }
        }
        assert_eq!((done, fits_done), (documents, fits), "{split:?}");
    }
}
