//! What a person sees on a terminal: the binary run under a pseudo-terminal (util-linux
//! `script`) of a given size, as a shell would run it.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};

use common::{temp_dir, write};

const LONG_TEXT: &str = "Hackers linked to a foreign intelligence service breached the \
    ministry's networks. Police arrested members of a cybercrime gang, and the defence minister \
    said the army would protect critical infrastructure from terrorist attacks. Inflation eased \
    as the central bank held interest rates, while parliament debated the budget, the new \
    election law and the constitutional court's ruling on surveillance powers.";

/// Runs the shell command `command` (`$THEMATIC` is the binary) on a pseudo-terminal `columns`
/// wide, `COLUMNS` unset unless `command` sets it; returns what the terminal showed, line
/// ends as written (`\r\n`).
fn on_terminal(columns: u16, command: &str) -> String {
    use std::io::Read;
    let binary = assert_cmd::cargo::cargo_bin("thematic");
    let mut script = Command::new("script")
        .args([
            "-qec",
            &format!("stty cols {columns} rows 24; {command}"),
            "/dev/null",
        ])
        .env_remove("COLUMNS")
        .env("THEMATIC", &binary)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("util-linux `script` runs the binary on a pseudo-terminal");
    // `script` stops when its own input ends: it is held open until the command is done.
    let _input = script.stdin.take();
    let mut shown = String::new();
    script
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut shown)
        .unwrap();
    assert!(script.wait().unwrap().success(), "{shown}");
    shown
}

/// The terminal's lines, without carriage returns, and their widths in characters.
fn lines(shown: &str) -> Vec<(usize, String)> {
    shown
        .lines()
        .map(|line| line.trim_end_matches('\r').to_string())
        .map(|line| (line.chars().count(), line))
        .collect()
}

fn archive(dir: &Path) {
    write(
        dir,
        "archive/2024/a-long-folder-name/another-level/report-on-the-ministry.txt",
        LONG_TEXT,
    );
    write(
        dir,
        "archive/short.txt",
        "The central bank raised interest rates.",
    );
}

#[test]
fn the_table_fits_an_80_column_terminal() {
    let dir = temp_dir();
    archive(dir.path());
    let shown = on_terminal(
        80,
        &format!("\"$THEMATIC\" classify '{}/archive'", dir.path().display()),
    );
    let lines = lines(&shown);
    assert_eq!(lines.len(), 3, "{shown}");
    for (width, line) in &lines {
        assert!(*width <= 80, "{width} columns: {line}");
    }
    assert!(lines[0].1.starts_with("document"), "{shown}");
    // Paths keep their file name; keywords are cut at a whole keyword.
    assert!(lines[1].1.contains("…"), "{shown}");
    assert!(lines[1].1.contains("ministry.txt"), "{shown}");
    assert!(lines[1].1.ends_with(", …"), "{shown}");
    // Scores stay whole and aligned under their themes.
    let header = &lines[0].1;
    for theme in ["economy", "governance", "security"] {
        let end = header.find(theme).unwrap() + theme.len();
        for (_, row) in &lines[1..] {
            let score: String = row.chars().skip(end - 4).take(4).collect();
            assert!(score.parse::<f64>().is_ok(), "{theme}: {score:?} in {row}");
        }
    }
}

#[test]
fn columns_overrides_the_terminal_and_the_minimum_is_60() {
    let dir = temp_dir();
    archive(dir.path());
    let classify = format!("\"$THEMATIC\" classify '{}/archive'", dir.path().display());
    let wide = lines(&on_terminal(80, &format!("COLUMNS=120 {classify}")));
    let widest = wide.iter().map(|(width, _)| *width).max().unwrap();
    assert!((81..=120).contains(&widest), "{wide:?}");
    let narrow = lines(&on_terminal(40, &classify));
    assert!(narrow.iter().all(|(width, _)| *width <= 60), "{narrow:?}");
}

#[test]
fn a_table_written_to_a_file_keeps_its_full_width() {
    let dir = temp_dir();
    archive(dir.path());
    let out = dir.path().join("table.txt");
    on_terminal(
        80,
        &format!(
            "\"$THEMATIC\" classify --format table '{}/archive' > '{}'",
            dir.path().display(),
            out.display()
        ),
    );
    let table = std::fs::read_to_string(out).unwrap();
    let header = table.lines().next().unwrap();
    assert_eq!(header.chars().count(), 119, "{header}");
    assert!(table.lines().nth(1).unwrap().chars().count() > 119);
}

/// A small labelled corpus in `dir/train.jsonl`.
fn training_data(dir: &Path) -> std::path::PathBuf {
    write(dir, "train.jsonl", common::small_jsonl())
}

#[test]
fn train_shows_its_stages_on_a_terminal_and_nothing_when_quiet() {
    let dir = temp_dir();
    let data = training_data(dir.path());
    let train = |flags: &str| {
        format!(
            "\"$THEMATIC\" train {flags} --holdout 0 --data '{}' --out '{}/m.thematic' > '{}/report.txt'",
            data.display(),
            dir.path().display(),
            dir.path().display()
        )
    };
    let shown = on_terminal(80, &train(""));
    for stage in ["analysing", "final model: fits", "docs"] {
        assert!(shown.contains(stage), "{stage}: {shown:?}");
    }
    let quiet = on_terminal(80, &train("--quiet"));
    assert!(!quiet.contains("analysing"), "{quiet:?}");
    // The report went to its file, whole, either way.
    let report = std::fs::read_to_string(dir.path().join("report.txt")).unwrap();
    assert!(report.starts_with("trained on 16 documents"), "{report}");
}

#[test]
fn train_draws_nothing_when_standard_error_is_not_a_terminal() {
    let dir = temp_dir();
    let data = training_data(dir.path());
    assert_cmd::Command::cargo_bin("thematic")
        .unwrap()
        .args(["train", "--holdout", "0", "--data"])
        .arg(&data)
        .arg("--out")
        .arg(dir.path().join("m.thematic"))
        .assert()
        .success()
        .stderr("");
}

#[test]
fn a_classify_run_over_a_second_shows_lines_done_unless_quiet() {
    // A producer that pauses: the run lasts over a second, its results go to a file.
    let classify = |flags: &str| {
        format!(
            "{{ echo '{{\"text\": \"Inflation rose.\"}}'; sleep 2; \
             echo '{{\"text\": \"Rates fell.\"}}'; }} | \"$THEMATIC\" classify {flags} --input jsonl - > /dev/null"
        )
    };
    let shown = on_terminal(80, &classify(""));
    assert!(shown.contains("2 lines"), "{shown:?}");
    assert!(shown.contains("B/s"), "{shown:?}");
    let quiet = on_terminal(80, &classify("-q"));
    assert!(!quiet.contains("lines"), "{quiet:?}");
}
