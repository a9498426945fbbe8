//! `thematic completions SHELL` and `thematic man`, run as the real binary.

use assert_cmd::Command;

fn thematic() -> Command {
    Command::cargo_bin("thematic").unwrap()
}

fn stdout_of(args: &[&str]) -> String {
    let output = thematic()
        .args(args)
        .assert()
        .success()
        .get_output()
        .clone();
    assert!(output.stderr.is_empty(), "{args:?}: nothing on stderr");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn completions_are_printed_for_every_shell() {
    for (shell, marker) in [
        ("bash", "_thematic()"),
        ("zsh", "#compdef thematic"),
        ("fish", "complete -c thematic"),
        ("elvish", "edit:completion:arg-completer[thematic]"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let script = stdout_of(&["completions", shell]);
        assert!(script.contains(marker), "{shell}: {marker}");
        // Subcommands and their flags are in every script.
        for word in ["classify", "train", "max-bytes", "label-map"] {
            assert!(script.contains(word), "{shell}: {word}");
        }
    }
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    thematic()
        .args(["completions", "tcsh"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("bash"));
}

#[test]
fn man_prints_a_roff_page_with_every_command() {
    let page = stdout_of(&["man"]);
    assert!(page.contains(".TH thematic 1"));
    for section in [".SH NAME", ".SH SYNOPSIS", ".SH \"THEMATIC CLASSIFY\""] {
        assert!(page.contains(section), "{section}");
    }
    for flag in ["\\-\\-max\\-bytes", "\\-\\-label\\-map", "\\-\\-holdout"] {
        assert!(page.contains(flag), "{flag}");
    }
}

/// Issue 16, item 9: the examples in `--help` broke mid-command at 80 columns, so a copied
/// command failed. Every example line fits in 80 columns however wide the terminal, so the
/// help never wraps one.
#[test]
fn help_examples_fit_in_80_columns() {
    for command in [
        &[][..],
        &["classify"],
        &["train"],
        &["evaluate"],
        &["keywords"],
        &["inspect"],
        &["completions"],
        &["man"],
    ] {
        let mut args: Vec<&str> = command.to_vec();
        args.push("--help");
        let output = thematic()
            .args(&args)
            .env("COLUMNS", "500")
            .output()
            .unwrap();
        let help = String::from_utf8(output.stdout).unwrap();
        let examples: Vec<&str> = help
            .lines()
            .skip_while(|line| !line.starts_with("Examples:"))
            .take_while(|line| !line.is_empty())
            .collect();
        assert!(examples.len() > 1, "{command:?}: {help}");
        for line in examples {
            assert!(line.chars().count() <= 80, "{command:?}: {line}");
        }
    }
}
