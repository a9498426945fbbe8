//! The model file: round trips, and every kind of damage is an error, never a panic.

use std::path::Path;

use thematic::{ClassifyOptions, Model};

fn bytes() -> Vec<u8> {
    thematic::model::DEFAULT_MODEL.to_vec()
}

fn load(bytes: &[u8]) -> thematic::Result<Model> {
    Model::from_bytes(bytes, Path::new("test.thematic"))
}

#[test]
fn the_embedded_model_round_trips_byte_for_byte() {
    let model = Model::embedded().unwrap();
    assert_eq!(model.to_bytes(), bytes());
    assert_eq!(model.themes(), ["economy", "governance", "security"]);
}

#[test]
fn save_then_load_predicts_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("copy.thematic");
    let model = Model::embedded().unwrap();
    model.save(&path).unwrap();
    let copy = Model::load(&path).unwrap();
    let text = "Parliament voted on the budget while police arrested smugglers at the border.";
    let (mut a, mut b) = (model.workspace(), copy.workspace());
    let options = ClassifyOptions::default();
    assert_eq!(
        model.classify(text, &mut a, &options),
        copy.classify(text, &mut b, &options)
    );
}

#[test]
fn every_truncation_is_an_error() {
    let bytes = bytes();
    // Every offset of the header and the first payload bytes, then a stride over the rest.
    let offsets = (0..200.min(bytes.len())).chain((200..bytes.len()).step_by(997));
    for len in offsets {
        let error = load(&bytes[..len]).unwrap_err().to_string();
        assert!(
            error.contains("test.thematic: not a usable thematic model"),
            "{len}: {error}"
        );
    }
}

#[test]
fn flipped_bits_are_caught_by_the_checksum_or_the_header() {
    let original = bytes();
    for position in (0..original.len()).step_by(original.len() / 97 + 1) {
        let mut damaged = original.clone();
        damaged[position] ^= 0x10;
        assert!(load(&damaged).is_err(), "flip at {position} went unnoticed");
    }
}

#[test]
fn another_format_version_is_named() {
    let mut other = bytes();
    other[8..12].copy_from_slice(&2u32.to_le_bytes());
    let error = load(&other).unwrap_err().to_string();
    assert!(
        error.contains("format version 2 is not supported"),
        "{error}"
    );
}

#[test]
fn a_length_claiming_terabytes_allocates_nothing() {
    let mut huge = bytes();
    huge[12..20].copy_from_slice(&(1u64 << 42).to_le_bytes());
    let error = load(&huge).unwrap_err().to_string();
    assert!(
        error.contains("declares 4398046511104 payload bytes"),
        "{error}"
    );
}
