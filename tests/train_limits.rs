//! Bounds on what training takes in (hostile-input issue, item 5): records over `--max-bytes`
//! and fits that need more memory than there is are refused with a one-line error, before the
//! work, never by an abort.

mod common;

use assert_cmd::Command;
use common::{small_csv, small_folders, small_jsonl, temp_dir, thematic, write, SMALL};
use predicates::prelude::*;

/// `thematic train --data DATA --out OUT SMALL...`, ready for more arguments.
fn train(data: &std::path::Path, out: &std::path::Path) -> Command {
    let mut command = common::train(data, out);
    command.args(SMALL);
    command
}

/// The longest line of `text`, in bytes.
fn longest_line(text: &str) -> usize {
    text.lines().map(str::len).max().unwrap()
}

/// Fails naming `file:line` and the limit; no model is written.
fn assert_refused(mut command: Command, model: &std::path::Path, says: &str) {
    command
        .assert()
        .code(2)
        .stderr(predicate::str::contains(says))
        .stderr(predicate::function(|e: &str| {
            e.trim_end().lines().count() == 1
        }));
    assert!(!model.exists(), "a model was written");
}

#[test]
fn a_jsonl_line_over_max_bytes_is_refused_with_its_file_and_line() {
    let dir = temp_dir();
    let model = dir.path().join("m.thematic");
    let good = small_jsonl();
    let limit = longest_line(&good);
    let data = write(dir.path(), "data.jsonl", &good);
    // Every line within the limit (at it, exactly): trains.
    train(&data, &model)
        .args(["--max-bytes", &limit.to_string(), "--quiet"])
        .assert()
        .success();
    std::fs::remove_file(&model).unwrap();
    let long = format!(
        "{{\"text\": \"{}\", \"labels\": []}}\n",
        "word ".repeat(limit / 5)
    );
    assert!(long.len() > limit + 1);
    let data = write(dir.path(), "data.jsonl", format!("{good}{long}{good}"));
    let line = good.lines().count() + 1;
    let mut command = train(&data, &model);
    command.args(["--max-bytes", &limit.to_string()]);
    assert_refused(
        command,
        &model,
        &format!("data.jsonl:{line}: line longer than the {limit}-byte limit (--max-bytes)"),
    );
    // Standard input is read with the same limit.
    let mut command = thematic();
    command
        .args(["train", "--data", "-", "--out"])
        .arg(&model)
        .args(["--max-bytes", &limit.to_string()])
        .write_stdin(format!("{good}{long}"));
    assert_refused(
        command,
        &model,
        &format!("-:{line}: line longer than the {limit}-byte limit (--max-bytes)"),
    );
}

#[test]
fn a_csv_record_over_max_bytes_is_refused_with_its_file_and_line() {
    let dir = temp_dir();
    let model = dir.path().join("m.thematic");
    let good = small_csv();
    let limit = longest_line(&good);
    let data = write(dir.path(), "data.csv", &good);
    train(&data, &model)
        .args(["--max-bytes", &limit.to_string(), "--quiet"])
        .assert()
        .success();
    std::fs::remove_file(&model).unwrap();

    // A header line far longer than the limit (a 3 GB one was held whole, and aborted).
    let header = format!("id,text,labels,{}\n", "x".repeat(200_000));
    let data = write(dir.path(), "data.csv", format!("{header}{good}"));
    let mut command = train(&data, &model);
    command.args(["--max-bytes", &limit.to_string()]);
    assert_refused(
        command,
        &model,
        &format!("data.csv:1: record longer than the {limit}-byte limit (--max-bytes)"),
    );

    // A record after the header, spread over several lines by a quoted field, and far longer
    // than the csv reader's buffer: the line it starts on is named.
    let body: Vec<&str> = good.lines().collect();
    let long = format!("z,\"{}\",finance", "many words\n".repeat(20_000));
    let data = write(
        dir.path(),
        "data.csv",
        format!(
            "{}\n{long}\n{}\n",
            body[..4].join("\n"),
            body[4..].join("\n")
        ),
    );
    let mut command = train(&data, &model);
    command.args(["--max-bytes", &limit.to_string()]);
    assert_refused(
        command,
        &model,
        &format!("data.csv:5: record longer than the {limit}-byte limit (--max-bytes)"),
    );
}

#[test]
fn a_label_folder_file_over_max_bytes_is_refused_naming_it() {
    let dir = temp_dir();
    let model = dir.path().join("m.thematic");
    let folders = dir.path().join("folders");
    small_folders(&folders);
    write(&folders, "none/long.txt", "many words ".repeat(100));
    let mut command = train(&folders, &model);
    command.args(["--max-bytes", "1000"]);
    assert_refused(
        command,
        &model,
        "long.txt: 1100 bytes, more than the 1000-byte limit of one document (--max-bytes)",
    );
}

#[test]
fn training_that_needs_more_memory_than_allowed_stops_before_fitting() {
    let dir = temp_dir();
    let model = dir.path().join("m.thematic");
    let data = write(dir.path(), "data.jsonl", small_jsonl());
    train(&data, &model)
        .args(["--learner", "logistic", "--max-memory", "4KiB"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot train: fitting needs about",
        ))
        .stderr(predicate::str::contains(
            "more than 4.0 KiB (the --max-memory limit)",
        ))
        .stderr(predicate::str::contains(
            "lower --features-per-theme (now 5000)",
        ));
    assert!(!model.exists(), "a model was written");
    let mut command = train(&data, &model);
    command.args(["--max-memory", "1KiB"]);
    assert_refused(command, &model, "lower --max-terms or --features-per-theme");
    // Enough memory: trains.
    train(&data, &model)
        .args(["--learner", "logistic", "--max-memory", "64MiB", "--quiet"])
        .assert()
        .success();
}

/// Under `ulimit -v`, a logistic fit whose dense matrix cannot be had is refused with a message
/// before fitting; it was an abort ("memory allocation of ... bytes failed").
#[cfg(target_os = "linux")]
#[test]
fn logistic_training_under_an_address_space_limit_is_refused_not_aborted() {
    let dir = temp_dir();
    let model = dir.path().join("m.thematic");
    // 30,000 short documents over a few thousand words: each logistic fit is a dense
    // 24,000-or-more x 5,000 matrix of 8-byte numbers, about 1 GB, and two run at once.
    let mut text = String::new();
    let mut state = 7u64;
    let mut next = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as usize
    };
    for i in 0..30_000 {
        let words: Vec<String> = (0..10).map(|_| format!("w{}", next() % 6000)).collect();
        let labels = if i % 3 == 0 { "[\"a\"]" } else { "[]" };
        text.push_str(&format!(
            "{{\"text\": \"{} themea{}\", \"labels\": {labels}}}\n",
            words.join(" "),
            i % 3
        ));
    }
    let data = write(dir.path(), "data.jsonl", text);
    let binary = assert_cmd::cargo::cargo_bin("thematic");
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v 1000000 && exec '{}' train --data '{}' --out '{}' --learner logistic \
             --quiet",
            binary.display(),
            data.display(),
            model.display()
        ))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("fitting needs about"), "{stderr}");
    assert!(stderr.contains("(the memory available)"), "{stderr}");
    assert!(stderr.contains("lower --features-per-theme"), "{stderr}");
    assert!(!model.exists());
}
