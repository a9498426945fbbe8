//! `train`, `evaluate`, `keywords` and `inspect`, run as a real binary on temp files.

mod common;

use common::{small_csv, small_folders, small_jsonl, temp_dir, thematic, train, write, SMALL};
use predicates::prelude::*;
use serde_json::Value;

#[test]
fn jsonl_csv_and_folders_train_the_same_themes() {
    let dir = temp_dir();
    let jsonl = write(dir.path(), "data.jsonl", small_jsonl());
    let csv = write(dir.path(), "data.csv", small_csv());
    small_folders(&dir.path().join("folders"));
    for data in [jsonl, csv, dir.path().join("folders")] {
        let model = dir.path().join("m.thematic");
        train(&data, &model)
            .args(SMALL)
            .assert()
            .success()
            .stdout(predicate::str::contains("finance"))
            .stdout(predicate::str::contains("model written to"));
        let out = thematic()
            .args(["classify", "--format", "jsonl", "--model"])
            .arg(&model)
            .arg("-")
            .write_stdin("Inflation rose and the central bank raised interest rates again.")
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let record: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(record["themes"], serde_json::json!(["finance"]), "{data:?}");
    }
}

#[test]
fn training_twice_gives_the_same_bytes() {
    let dir = temp_dir();
    let data = write(dir.path(), "data.jsonl", small_jsonl());
    let model_bytes = |out: &str| {
        train(&data, &dir.path().join(out))
            .args(SMALL)
            .args(["--seed", "9"])
            .assert()
            .success();
        std::fs::read(dir.path().join(out)).unwrap()
    };
    assert_eq!(model_bytes("a.thematic"), model_bytes("b.thematic"));
}

#[test]
fn malformed_data_names_file_and_line_and_keeps_the_old_model() {
    let dir = temp_dir();
    let model = write(dir.path(), "m.thematic", b"previous model bytes");
    let mut data = small_jsonl();
    data.push_str("{\"text\": \"no labels field\"}\n");
    let bad = write(dir.path(), "bad.jsonl", data);
    train(&bad, &model)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.jsonl:17:"))
        .stderr(predicate::str::contains("labels"));
    assert_eq!(std::fs::read(&model).unwrap(), b"previous model bytes");
    let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(leftovers, 2, "no temporary file is left behind");

    let csv = write(
        dir.path(),
        "bad.csv",
        "text,labels\n\"fine text\",finance\n\"two\",fields,too many\n",
    );
    train(&csv, &model)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.csv:3:"));
}

#[test]
fn a_theme_without_negatives_is_a_clear_error() {
    let dir = temp_dir();
    let only_positive: String = small_jsonl()
        .lines()
        .filter(|l| l.contains("finance"))
        .map(|l| format!("{l}\n"))
        .collect();
    let data = write(dir.path(), "pos.jsonl", only_positive);
    let model = dir.path().join("m.thematic");
    train(&data, &model)
        .args(SMALL)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "theme `finance` has 8 positive and 0 negative documents",
        ));
    assert!(!model.exists());
}

#[test]
fn a_theme_with_too_few_positives_is_a_clear_error() {
    let dir = temp_dir();
    let mut data = small_jsonl();
    data.push_str(
        "{\"text\": \"The border patrol arrested smugglers.\", \"labels\": [\"security\"]}\n",
    );
    let data = write(dir.path(), "one.jsonl", data);
    train(&data, &dir.path().join("m.thematic"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "theme `security` has 1 positive and 16 negative documents: a theme needs at least 5 of each",
        ));
}

#[cfg(unix)]
#[test]
fn a_new_model_is_readable_by_others() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir();
    let data = write(dir.path(), "data.jsonl", small_jsonl());
    let model = dir.path().join("m.thematic");
    train(&data, &model).args(SMALL).assert().success();
    let mode = std::fs::metadata(&model).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o644);
}

#[test]
fn label_maps_rename_and_unused_rules_fail() {
    let dir = temp_dir();
    let data = write(
        dir.path(),
        "data.jsonl",
        small_jsonl().replace("finance", "Business"),
    );
    let model = dir.path().join("m.thematic");
    train(&data, &model)
        .args(SMALL)
        .args(["--label-map", "Business=economy"])
        .assert()
        .success()
        .stdout(predicate::str::contains("economy"));
    train(&data, &dir.path().join("other.thematic"))
        .args(SMALL)
        .args(["--label-map", "Busines=economy"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "label map `Busines=economy` maps nothing",
        ));
}

#[test]
fn evaluate_prints_the_contract_json() {
    let dir = temp_dir();
    let data = write(dir.path(), "data.jsonl", small_jsonl());
    let model = dir.path().join("m.thematic");
    train(&data, &model).args(SMALL).assert().success();
    let out = thematic()
        .args(["evaluate", "--format", "json", "--data"])
        .arg(&data)
        .arg("--model")
        .arg(&model)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let report: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(report["documents"], 16);
    let finance = &report["themes"]["finance"];
    for key in ["precision", "recall", "f1", "support"] {
        assert!(finance[key].is_number(), "{key}");
    }
    assert_eq!(finance["support"], 8);
    // Trained on these very documents: it must get them right.
    assert_eq!(report["macro_f1"], 1.0);
    assert!(report["micro_f1"].is_number());
    assert_eq!(report["none_false_positive_rate"], 0.0);
    assert_eq!(report["exact_match"], 1.0);
}

#[test]
fn damaged_and_foreign_models_are_clear_errors() {
    let dir = temp_dir();
    let foreign = write(dir.path(), "foreign.bin", b"PK\x03\x04 this is a zip file");
    thematic()
        .args(["classify", "--model"])
        .arg(&foreign)
        .arg("-")
        .write_stdin("text")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "foreign.bin: not a usable thematic model",
        ));
    let bytes = thematic::model::DEFAULT_MODEL;
    let truncated = write(dir.path(), "truncated.thematic", &bytes[..bytes.len() / 2]);
    thematic()
        .args(["inspect"])
        .arg(&truncated)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("truncated"));
    thematic()
        .args(["inspect"])
        .arg(dir.path().join("absent.thematic"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("absent.thematic"));
}

#[test]
fn keywords_and_inspect_describe_documents_and_models() {
    let dir = temp_dir();
    let file = write(
        dir.path(),
        "cyber.txt",
        "Cyber security officials said the cyber attack on the power grid was the worst \
         cyber attack this year; cyber security teams restored power.",
    );
    thematic()
        .args(["keywords", "--top", "3"])
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains("cyber attack"));
    thematic()
        .args(["inspect"])
        .assert()
        .success()
        .stdout(predicate::str::contains("governance"))
        .stdout(predicate::str::contains("security"))
        .stdout(predicate::str::contains("economy"))
        .stdout(predicate::str::contains("threshold"));
}

#[test]
fn epochs_apply_to_ftrl_and_are_refused_for_logistic() {
    let dir = temp_dir();
    let data = write(dir.path(), "data.jsonl", small_jsonl());
    let (one, three) = (dir.path().join("1.thematic"), dir.path().join("3.thematic"));
    train(&data, &one)
        .args(SMALL)
        .args(["--epochs", "1"])
        .assert()
        .success();
    train(&data, &three)
        .args(SMALL)
        .args(["--epochs", "3"])
        .assert()
        .success();
    // More passes move the weights: the files differ.
    assert_ne!(std::fs::read(&one).unwrap(), std::fs::read(&three).unwrap());
    let refused = dir.path().join("l.thematic");
    train(&data, &refused)
        .args(SMALL)
        .args(["--learner", "logistic", "--epochs", "3"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("epochs").and(predicate::str::contains("ftrl only")));
    assert!(!refused.exists());
}

/// Hostile-input issue, items 1 and 2: a model never replaces the training data, a device, a
/// directory, a read-only or hard-linked file; the checks run before any training.
#[cfg(unix)]
#[test]
fn the_model_never_replaces_data_devices_or_protected_files() {
    use std::os::unix::fs::{symlink, PermissionsExt};
    let dir = temp_dir();
    let data = write(dir.path(), "data.jsonl", small_jsonl());
    let data_dir = dir.path().join("data_dir");
    std::fs::create_dir(&data_dir).unwrap();
    let inner = write(&data_dir, "a.jsonl", small_jsonl());
    let read_only = write(dir.path(), "ro.thematic", "old");
    std::fs::set_permissions(&read_only, std::fs::Permissions::from_mode(0o444)).unwrap();
    let linked = write(dir.path(), "linked.thematic", "old");
    std::fs::hard_link(&linked, dir.path().join("other-name.thematic")).unwrap();
    let link_to_data = dir.path().join("link-to-data");
    symlink(&data, &link_to_data).unwrap();

    let cases: [(&std::path::Path, &std::path::Path, &str); 7] = [
        (&data, &data, "is the training data"),
        (&data, &link_to_data, "is the training data"),
        (
            &data_dir,
            &data_dir.join("model.jsonl"),
            "inside the training data directory",
        ),
        (
            &data,
            std::path::Path::new("/dev/null"),
            "not a regular file",
        ),
        (&data, &read_only, "read-only"),
        (&data, &linked, "2 hard links"),
        (
            &data,
            &dir.path().join("missing/m.thematic"),
            "does not exist",
        ),
    ];
    for (input, out, message) in cases {
        train(input, out)
            .args(SMALL)
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains(message))
            .stderr(predicate::str::contains("cannot write the model to"));
    }
    assert_eq!(std::fs::read_to_string(&data).unwrap(), small_jsonl());
    assert_eq!(std::fs::read_to_string(&inner).unwrap(), small_jsonl());
    assert!(!data_dir.join("model.jsonl").exists());
    assert_eq!(std::fs::read_to_string(&read_only).unwrap(), "old");
    assert_eq!(std::fs::read_to_string(&linked).unwrap(), "old");
    let dev_null = std::fs::metadata("/dev/null").unwrap();
    assert!(!dev_null.is_file());
}

/// A symbolic link as `--out` is followed: its target gets the model, the link stays.
#[cfg(unix)]
#[test]
fn a_symlinked_out_writes_its_target() {
    let dir = temp_dir();
    let data = write(dir.path(), "data.jsonl", small_jsonl());
    let target = write(dir.path(), "real.thematic", "old");
    let link = dir.path().join("link.thematic");
    std::os::unix::fs::symlink("real.thematic", &link).unwrap();
    train(&data, &link).args(SMALL).assert().success();
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(std::fs::read(&target).unwrap().starts_with(b"THEMATIC"));
}

/// Hostile-input issue, items 8 and 11: a FIFO or device as a model is refused at once, and a
/// huge file is judged by its header, not read whole.
#[cfg(unix)]
#[test]
fn fifo_device_and_huge_model_files_are_refused_without_reading_them() {
    let dir = temp_dir();
    let fifo = dir.path().join("model.fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    // Each refusal comes at once, with exit 2 and the reason; a hang fails the timeout.
    let refused = |args: &[&str], model: &std::path::Path, reason: &str| {
        thematic()
            .args(args)
            .arg(model)
            .write_stdin("text")
            .timeout(std::time::Duration::from_secs(20))
            .assert()
            .code(2)
            .stderr(predicate::str::contains(reason));
    };
    refused(&["inspect"], &fifo, "not a regular file");
    refused(&["classify", "-", "--model"], &fifo, "not a regular file");
    refused(
        &["inspect"],
        std::path::Path::new("/dev/zero"),
        "not a regular file",
    );
    // A sparse 5 GB file behind a real header: the length check refuses it before any read.
    let mut header = thematic::model::DEFAULT_MODEL[..52].to_vec();
    let huge = dir.path().join("huge.thematic");
    let sparse = |header: &[u8]| {
        use std::io::Write;
        let file = std::fs::File::create(&huge).unwrap();
        (&file).write_all(header).unwrap();
        file.set_len(5 << 30).unwrap();
    };
    sparse(&header);
    refused(&["inspect"], &huge, "header declares");
    // The same header claiming 5 GB of payload: beyond any model.
    header[12..20].copy_from_slice(&((5u64 << 30) - 52).to_le_bytes());
    sparse(&header);
    refused(&["inspect"], &huge, "more than a model can have");
}

/// Hostile-input issue, item 14: when the report cannot be printed (standard output closed or
/// full) after the model was written, train says exactly that and exits 1; the model is whole.
#[cfg(unix)]
#[test]
fn a_report_that_cannot_be_printed_leaves_a_whole_model_and_exit_1() {
    let dir = temp_dir();
    let data = write(dir.path(), "data.jsonl", small_jsonl());
    for (i, redirect) in [">&-", ">/dev/full"].into_iter().enumerate() {
        let model = dir.path().join(format!("model{i}.thematic"));
        let output = common::thematic_with_stdout(redirect)
            .args(["train", "--data"])
            .arg(&data)
            .arg("--out")
            .arg(&model)
            .args(SMALL)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{redirect}: {stderr}");
        assert!(
            stderr.contains("model written to")
                && stderr.contains("cannot write to standard output"),
            "{redirect}: {stderr}"
        );
        thematic()
            .arg("inspect")
            .arg(&model)
            .assert()
            .success()
            .stdout(predicate::str::contains("finance"));
    }
}

/// Issue 16, item 8: `inspect` printed the learner as raw JSON and a 64-character hash on one
/// 211-character line; `--format json` keeps the raw data.
#[test]
fn inspect_is_a_summary_under_80_columns_and_json_has_the_raw_data() {
    let table = thematic()
        .args(["inspect", "--top", "15"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let table = String::from_utf8(table).unwrap();
    for line in table.lines() {
        assert!(line.chars().count() < 80, "{line}");
    }
    assert!(table.contains("  learner ftrl: alpha "), "{table}");
    assert!(table.contains("epochs 10"), "{table}");
    assert!(!table.contains('{'), "{table}");
    let json = thematic()
        .args(["inspect", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let json: Value = serde_json::from_slice(&json).unwrap();
    let hash = json["data_sha256"].as_str().unwrap();
    assert_eq!(hash.len(), 64);
    assert!(
        table.contains(&format!("data sha256 {}\n", &hash[..12])),
        "{table}"
    );
    assert!(json["learner"]["Ftrl"]["alpha"].is_number(), "{json}");
    assert!(json["vocabulary"]["min_df"].is_number(), "{json}");
}

/// Issue 16, item 6: `inspect --model M` was refused (inspect took the model only by position);
/// both forms now read the same model, and giving both is refused.
#[test]
fn inspect_takes_the_model_as_an_option_or_by_position() {
    let dir = temp_dir();
    let model = write(dir.path(), "m.thematic", thematic::model::DEFAULT_MODEL);
    let inspect = |args: &[&str]| {
        let output = thematic()
            .arg("inspect")
            .args(args)
            .arg(&model)
            .args(["--format", "json"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        serde_json::from_slice::<Value>(&output).unwrap()
    };
    let by_option = inspect(&["--model"]);
    assert_eq!(by_option["model"], model.display().to_string());
    assert_eq!(by_option, inspect(&[]));
    assert_eq!(by_option, inspect(&["-m"]));
    thematic()
        .args(["inspect", "--model"])
        .arg(&model)
        .arg(&model)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot be used with"));
}

/// Issue 16, item 6: `keywords` took `--json` where every other command takes `--format`; it
/// now takes `--format` with classify's values, and `--json` still works, unlisted.
#[test]
fn keywords_take_format_like_classify_and_json_as_an_old_alias() {
    let dir = temp_dir();
    let text = "Cyber security officials said the cyber attack on the power grid was the worst.";
    let a = write(dir.path(), "a.txt", text);
    let b = write(dir.path(), "b.txt", text);
    let keywords = |args: &[&str]| {
        let output = thematic()
            .args(["keywords", "--top", "2"])
            .args(args)
            .arg(&a)
            .arg(&b)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(output).unwrap()
    };
    let lines = keywords(&["--format", "jsonl"]);
    assert_eq!(lines, keywords(&["--json"]));
    let records: Vec<Value> = lines
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let array: Value = serde_json::from_str(&keywords(&["--format", "json"])).unwrap();
    assert_eq!(array, Value::Array(records.clone()));
    let csv = keywords(&["--format", "csv"]);
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows.len(), 3, "{csv}");
    assert_eq!(rows[0], "path,keywords");
    let expected = records[0]["keywords"].as_array().unwrap();
    assert!(rows[1].ends_with(&format!(
        ",{};{}",
        expected[0].as_str().unwrap(),
        expected[1].as_str().unwrap()
    )));
    assert!(keywords(&["--format", "table"]).contains(".txt\t"));
    thematic()
        .args(["keywords", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("--format"))
        .stdout(predicate::str::contains("--json").not());
}

/// Issue 16, item 6: `train --data -` failed; it reads labelled JSONL from standard input, and
/// the model is the one the same lines in a file make.
#[test]
fn train_and_evaluate_read_labelled_jsonl_from_stdin() {
    let dir = temp_dir();
    let data = write(dir.path(), "data.jsonl", small_jsonl());
    let (from_file, from_stdin) = (dir.path().join("f.thematic"), dir.path().join("s.thematic"));
    train(&data, &from_file).args(SMALL).assert().success();
    train(std::path::Path::new("-"), &from_stdin)
        .args(SMALL)
        .write_stdin(small_jsonl())
        .assert()
        .success();
    assert_eq!(
        std::fs::read(&from_file).unwrap(),
        std::fs::read(&from_stdin).unwrap()
    );
    thematic()
        .args(["evaluate", "--format", "json", "--data", "-", "--model"])
        .arg(&from_stdin)
        .write_stdin(small_jsonl())
        .assert()
        .success()
        .stdout(predicate::str::contains("\"documents\":16"));
    train(
        std::path::Path::new("-"),
        &dir.path().join("empty.thematic"),
    )
    .args(SMALL)
    .write_stdin("")
    .assert()
    .code(2)
    .stderr("thematic: error: data -: no labelled documents\n");
}

/// Hostile-input issue, item 10: many themes, some of which a fold or the holdout leaves with
/// one class only, are refused before any fitting, naming the theme (this took 47 s for 1,000
/// themes); more themes than a model may have, and absurd counts, are refused at once.
#[test]
fn themes_that_folds_cannot_fit_and_absurd_counts_are_refused_before_training() {
    let dir = temp_dir();
    // 300 themes of 5 documents each: a seeded half held out leaves some theme with no
    // positive document, or all its positives in one of the 2 folds.
    let mut data = String::new();
    for theme in 0..300 {
        for i in 0..5 {
            data.push_str(&format!(
                "{{\"text\": \"report {i} on subject{theme} and subject{theme} matters\", \"labels\": [\"t{theme:03}\"]}}\n"
            ));
        }
    }
    let data = write(dir.path(), "many.jsonl", data);
    let model = dir.path().join("m.thematic");
    let started = std::time::Instant::now();
    train(&data, &model)
        .args(SMALL)
        .args(["--holdout", "0.5"])
        .timeout(std::time::Duration::from_secs(120))
        .assert()
        .code(2)
        .stderr(
            predicate::str::is_match(
                r"^thematic: error: cannot train: theme `t\d{3}` would be fitted without a single positive document: none is outside fold \d of 2 of the 750 documents left after the holdout \(seed 42\)",
            )
            .unwrap()
            .and(predicate::str::contains('\n').count(1)),
        );
    assert!(!model.exists());
    eprintln!("refused after {:?}", started.elapsed());

    let mut data = String::new();
    for theme in 0..1001 {
        data.push_str(&format!(
            "{{\"text\": \"about subject{theme}\", \"labels\": [\"t{theme}\"]}}\n"
        ));
    }
    let data = write(dir.path(), "too-many.jsonl", data);
    train(&data, &model)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "the data has 1001 themes, more than the 1000 a model may have",
        ));

    let small = write(dir.path(), "small.jsonl", small_jsonl());
    for (option, value) in [
        ("--epochs", "4294967295"),
        ("--epochs", "10001"),
        ("--features-per-theme", "1000001"),
        ("--max-terms", "4000000000"),
    ] {
        train(&small, &model)
            .args(SMALL)
            .args([option, value])
            .timeout(std::time::Duration::from_secs(60))
            .assert()
            .code(2)
            .stderr(predicate::str::contains(option).and(predicate::str::contains("1..=")));
        assert!(!model.exists(), "{option} {value}");
    }
    train(&small, &model)
        .args(SMALL)
        .args(["--epochs", "10000", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("at most 1000 themes"));
}

/// Hostile-input issue, item 21: out-of-range values are usage errors naming the option and
/// its range before any work (`--alpha 1e50` failed late as infinity, logistic `--alpha 1e300`
/// trained a model that tags everything, with exit 0; `--max-bytes 0` was accepted), and a
/// model that says the same of every document is written with a warning naming the theme.
#[test]
fn out_of_range_options_are_usage_errors_and_a_flat_model_is_warned_about() {
    let dir = temp_dir();
    let data = write(dir.path(), "data.jsonl", small_jsonl());
    let model = dir.path().join("m.thematic");
    for args in [
        &["--alpha", "1e50"][..],
        &["--learner", "logistic", "--alpha", "1e300"],
        &["--alpha", "0"],
        &["--alpha=-1"],
    ] {
        train(&data, &model)
            .args(SMALL)
            .args(args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("--alpha").and(predicate::str::contains("(0, 1e6]")));
        assert!(!model.exists(), "{args:?}");
    }
    for tool in ["classify", "keywords"] {
        thematic()
            .args([tool, "--max-bytes", "0", "-"])
            .write_stdin("Inflation eased.")
            .assert()
            .code(2)
            .stdout("")
            .stderr(
                predicate::str::contains("--max-bytes").and(predicate::str::contains("at least 1")),
            );
    }

    train(&data, &model)
        .args(SMALL)
        .args(["--learner", "logistic", "--alpha", "1000"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "thematic: warning: theme `finance` cannot tell documents apart: every training \
             document scores between 0.500 and 0.500",
        ));
    assert!(model.exists());
    train(&data, &model)
        .args(SMALL)
        .assert()
        .success()
        .stderr(predicate::str::contains("warning").not());
}
