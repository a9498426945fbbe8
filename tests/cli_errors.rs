//! Error messages as a person reads them: one line, naming the argument or file, each reason
//! said once.

mod common;

use assert_cmd::Command;
use common::{temp_dir, thematic};

/// The standard error of a run that must fail with exit 2.
fn refusal(command: &mut Command) -> String {
    let output = command.assert().code(2).get_output().stderr.clone();
    String::from_utf8(output).unwrap()
}

/// Issue 16, item 4: `classify --model DIR` said the OS error twice and not which argument.
#[test]
fn a_bad_file_argument_is_named_with_its_reason_said_once() {
    let dir = temp_dir();
    let folder = dir.path().display().to_string();
    let missing = dir.path().join("absent.thematic").display().to_string();
    let cases: [(&[&str], String, &str); 4] = [
        (
            &["classify", "-", "--model", &folder],
            format!("model {folder}: "),
            "is a directory",
        ),
        (
            &["classify", "-", "--model", &missing],
            format!("model {missing}: "),
            "no such file or directory",
        ),
        (
            &["inspect", &missing],
            format!("model {missing}: "),
            "no such file or directory",
        ),
        (
            &["evaluate", "--data", &missing],
            format!("data {missing}: "),
            "no such file or directory",
        ),
    ];
    for (args, named, reason) in cases {
        let stderr = refusal(thematic().args(args).write_stdin("text"));
        assert!(
            stderr.starts_with(&format!("thematic: error: {named}")),
            "{args:?}: {stderr}"
        );
        assert_eq!(stderr.matches(reason).count(), 1, "{args:?}: {stderr}");
        assert!(!stderr.contains("os error"), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
    }
}

/// Issue 16, item 5: data whose labels are none of the model's themes scored a table of zeros
/// with exit 0; `--label-map` maps them, as in `train`.
#[test]
fn evaluate_refuses_data_labelled_with_foreign_themes_unless_mapped() {
    let dir = temp_dir();
    let data = common::write(
        dir.path(),
        "news.jsonl",
        "{\"text\": \"The central bank raised interest rates to slow inflation.\", \"labels\": [\"Business\"]}\n\
         {\"text\": \"The striker scored twice in the derby.\", \"labels\": [\"Sports\"]}\n",
    );
    let stderr = refusal(thematic().args(["evaluate", "--data"]).arg(&data));
    assert!(stderr.contains("`Business`, `Sports`"), "{stderr}");
    assert!(stderr.contains("--label-map"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    thematic()
        .args(["evaluate", "--format", "json", "--data"])
        .arg(&data)
        .args([
            "--label-map",
            "Business=economy",
            "--label-map",
            "Sports=none",
        ])
        .assert()
        .success();
    // A rule that maps nothing fails as it does in `train`.
    let stderr = refusal(
        thematic()
            .args(["evaluate", "--data"])
            .arg(&data)
            .args(["--label-map", "Busines=economy"]),
    );
    assert!(
        stderr.contains("`Busines=economy` maps nothing"),
        "{stderr}"
    );
    // Data of no theme at all still tests false positives.
    let none = common::write(
        dir.path(),
        "none.jsonl",
        "{\"text\": \"The striker scored twice in the derby.\", \"labels\": []}\n",
    );
    thematic()
        .args(["evaluate", "--data"])
        .arg(&none)
        .assert()
        .success();
}

/// Issue 16, item 7: in a CRLF CSV (Python's `csv` module writes them) a bad row on line 4 was
/// reported as line 3.
#[test]
fn crlf_csv_errors_name_the_line_a_person_sees() {
    let dir = temp_dir();
    for (name, terminator) in [("lf.csv", "\n"), ("crlf.csv", "\r\n")] {
        let rows = [
            "id,text,labels",
            "a,The central bank raised interest rates.,economy",
            "b,\"Two lines:\nthe striker scored twice.\",",
            "c,The budget passed,economy,extra",
        ];
        let data = common::write(dir.path(), name, rows.join(terminator) + terminator);
        let stderr = refusal(thematic().args(["evaluate", "--data"]).arg(&data));
        assert!(
            stderr.contains(&format!("{name}:5: 4 fields where the header has 3")),
            "{stderr}"
        );
    }
}
