//! The real-news test set is what README's real-news scores stand on: its halves never mix,
//! its labels are the settled readings, and every reference keyphrase is in its article.

use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};

fn lines(path: &str) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn labels(value: &Value) -> HashSet<String> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn halves_are_fixed_by_id_and_labels_are_the_settled_readings() {
    let mut texts = HashMap::new();
    let mut gold = HashMap::new();
    for half in ["dev", "test"] {
        for record in lines(&format!("datasets/realnews/{half}.jsonl")) {
            let id = record["id"].as_str().unwrap().to_string();
            let digest = Sha256::digest(id.as_bytes());
            let bucket = u32::from_be_bytes(digest[..4].try_into().unwrap()) % 100;
            assert_eq!(bucket < 50, half == "dev", "{id} is in the wrong half");
            let themes = labels(&record["labels"]);
            assert!(themes
                .iter()
                .all(|t| ["governance", "security", "economy"].contains(&t.as_str())));
            assert!(record["url"]
                .as_str()
                .unwrap()
                .starts_with("https://en.wikinews.org/wiki/"));
            assert!(gold.insert(id.clone(), themes).is_none(), "{id} twice");
            texts.insert(id, record["text"].as_str().unwrap().to_string());
        }
    }
    assert!(gold.len() >= 400);
    let readings = lines("datasets/realnews/readings.jsonl");
    assert_eq!(readings.len(), gold.len());
    for reading in readings {
        let id = reading["id"].as_str().unwrap();
        let (first, second) = (labels(&reading["reader_1"]), labels(&reading["reader_2"]));
        let settled = if first == second {
            first
        } else {
            labels(&reading["third_reader"])
        };
        assert_eq!(gold[id], settled, "{id}");
    }
    for entry in lines("datasets/realnews/keyphrases.jsonl") {
        let text = &texts[entry["id"].as_str().unwrap()];
        for reader in ["reader_1", "reader_2"] {
            for phrase in entry[reader].as_array().unwrap() {
                let phrase = phrase.as_str().unwrap();
                assert!(text.contains(phrase), "{}: {phrase}", entry["id"]);
            }
        }
    }
}
