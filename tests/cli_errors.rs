//! Error messages as a person reads them: one line, naming the argument or file, each reason
//! said once.

mod common;

use assert_cmd::Command;
use common::temp_dir;

fn thematic() -> Command {
    Command::cargo_bin("thematic").unwrap()
}

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
