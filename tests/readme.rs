//! README's examples are real: each documented command, run now, prints what README shows.

use assert_cmd::Command;

fn readme() -> String {
    std::fs::read_to_string("README.md").unwrap()
}

/// The lines of README right after the line `$ {command}`, up to the next `$ ` line or fence.
fn documented_output(command: &str) -> String {
    let readme = readme();
    let mut lines = readme.lines().skip_while(|l| *l != format!("$ {command}"));
    assert!(lines.next().is_some(), "README shows `$ {command}`");
    lines
        .take_while(|l| !l.starts_with("$ ") && !l.starts_with("```"))
        .map(|l| format!("{l}\n"))
        .collect()
}

fn run(args: &[&str], stdin: Option<&str>) -> String {
    let mut command = Command::cargo_bin("thematic").unwrap();
    command.args(args);
    if let Some(input) = stdin {
        command.write_stdin(input);
    }
    String::from_utf8(command.assert().success().get_output().stdout.clone()).unwrap()
}

#[test]
fn classify_table_example() {
    assert_eq!(
        run(
            &["classify", "examples/cyber-forum.txt", "--format", "table"],
            None
        ),
        documented_output("thematic classify examples/cyber-forum.txt")
    );
}

#[test]
fn classify_stdin_example() {
    let text = "Parliament approved the budget, raising taxes to cut the deficit.";
    assert_eq!(
        run(
            &["classify", "-", "--format", "jsonl"],
            Some(&format!("{text}\n"))
        ),
        documented_output(&format!(
            "echo \"{text}\" | thematic classify - --format jsonl"
        ))
    );
}

#[test]
fn keywords_example() {
    assert_eq!(
        run(
            &["keywords", "examples/cyber-forum.txt", "--top", "6"],
            None
        ),
        documented_output("thematic keywords examples/cyber-forum.txt --top 6")
    );
}

#[test]
fn held_out_scores_are_the_documented_ones() {
    let readme = readme();
    let printed = run(&["evaluate", "--data", "datasets/heldout"], None);
    assert!(
        readme.contains(&printed),
        "README's held-out scores are stale; `thematic evaluate --data datasets/heldout` prints:\n{printed}"
    );
}
