//! The shipped default model: rebuilt from `datasets/` by README's command, byte for byte, and
//! good enough on the held-out part that training never sees.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use thematic::corpus::read_labelled;
use thematic::{ClassifyOptions, Metrics, Model};

#[test]
fn readme_command_rebuilds_the_committed_model_byte_for_byte() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let command = readme
        .lines()
        .find(|l| l.contains("train --data datasets/train --out models/default.thematic"))
        .expect("README documents the rebuild command");
    let args: Vec<&str> = command
        .split_whitespace()
        .skip_while(|w| *w != "train")
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("default.thematic");
    let args: Vec<String> = args
        .iter()
        .map(|a| {
            if *a == "models/default.thematic" {
                out.display().to_string()
            } else {
                a.to_string()
            }
        })
        .collect();
    Command::cargo_bin("thematic")
        .unwrap()
        .args(&args)
        .assert()
        .success()
        // No theme of the shipped model is flat (issue 15, item 21).
        .stderr(predicates::str::contains("warning").not());
    let rebuilt = std::fs::read(&out).unwrap();
    let committed = std::fs::read("models/default.thematic").unwrap();
    assert!(
        rebuilt == committed,
        "models/default.thematic is stale: rebuild it with `{}`",
        command.trim()
    );
}

#[test]
fn held_out_scores_stay_above_a_floor() {
    let model = Model::embedded().unwrap();
    let documents = read_labelled(Path::new("datasets/heldout")).unwrap();
    let themes = model.themes();
    let gold: Vec<Vec<bool>> = documents.iter().map(|d| d.flags(themes)).collect();
    let mut workspace = model.workspace();
    let options = ClassifyOptions::default();
    let predicted: Vec<Vec<bool>> = documents
        .iter()
        .map(|d| {
            let result = model.classify(&d.text, &mut workspace, &options);
            themes
                .iter()
                .map(|t| result.themes.contains(&t.as_str()))
                .collect()
        })
        .collect();
    let metrics = Metrics::compute(themes, &gold, &predicted);
    assert!(metrics.documents >= 300);
    for theme in &metrics.themes {
        assert!(theme.f1 >= 0.8, "{}: F1 {:.3}", theme.theme, theme.f1);
    }
    assert!(metrics.none_false_positive_rate <= 0.25);
}

#[test]
fn a_cyber_governance_speech_is_governance_and_security() {
    // Written for this test, in the style of the conference reports thematic is for.
    let text = "Opening the regional forum on the digital future, the foreign minister called on \
        governments to build a fair international order for cyberspace. Every country has the \
        right to choose its own model of internet governance and regulation, she said, and no \
        state should interfere in the internal affairs of others. She urged parliaments to pass \
        laws against cybercrime, and asked police and intelligence services to cooperate against \
        hacker attacks on power grids and banks, cyber terrorism and online fraud. Delegates \
        from forty nations signed a declaration on cyber security and the rule of law online.";
    let model = Model::embedded().unwrap();
    let result = model.classify(text, &mut model.workspace(), &ClassifyOptions::default());
    assert!(result.themes.contains(&"governance"), "{result:?}");
    assert!(result.themes.contains(&"security"), "{result:?}");
    assert!(
        result.keywords.iter().any(|k| k.contains("cyber")),
        "{:?}",
        result.keywords
    );
}
