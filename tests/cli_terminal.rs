//! What a person sees on a terminal: the binary run under a pseudo-terminal (util-linux
//! `script`) of a given size, as a shell would run it.

mod common;

use std::path::Path;
use std::process::Command;

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
    let binary = assert_cmd::cargo::cargo_bin("thematic");
    let output = Command::new("script")
        .args([
            "-qec",
            &format!("stty cols {columns} rows 24; {command}"),
            "/dev/null",
        ])
        .env_remove("COLUMNS")
        .env("THEMATIC", &binary)
        .output()
        .expect("util-linux `script` runs the binary on a pseudo-terminal");
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout).unwrap()
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
