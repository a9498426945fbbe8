//! Shared helpers for the integration tests: a temp dir and a small labelled corpus.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The `thematic` binary, as a command to add arguments to.
pub fn thematic() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("thematic").unwrap()
}

/// `thematic train --data DATA --out OUT`, ready for more arguments.
pub fn train(data: &Path, out: &Path) -> assert_cmd::Command {
    let mut command = thematic();
    command
        .args(["train", "--data"])
        .arg(data)
        .arg("--out")
        .arg(out);
    command
}

/// Small data needs small settings: 2 folds, every term.
pub const SMALL: [&str; 6] = ["--folds", "2", "--min-df", "1", "--max-df", "1.0"];

/// A fresh temporary directory, removed on drop.
pub fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

/// Writes `contents` to `dir/name`, creating parent folders.
pub fn write(dir: &Path, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, contents).unwrap();
    path
}

const SPORT: &[&str] = &[
    "The striker scored twice as the home side won the derby in front of a full stadium.",
    "A late penalty decided the cup final after extra time on a wet pitch.",
    "The sprinter broke the national record in the hundred metres final on Sunday.",
    "Rain delayed the cricket test match but the batsmen resumed after lunch.",
    "The marathon route passes the river, the old bridge and the city park this year.",
    "The tennis champion lost the opening set before recovering to win the title.",
    "The cyclist took the yellow jersey after a long mountain stage in the Alps.",
    "The basketball team signed a young guard from the college league.",
];

const FINANCE: &[&str] = &[
    "The central bank raised interest rates as inflation climbed to its highest level in a decade.",
    "Exports fell sharply and the trade deficit widened, the statistics office reported.",
    "Unemployment dropped as factories hired more workers and wages rose.",
    "The stock market slid after the bank warned of weaker profits and slower growth.",
    "Bond yields rose as investors worried about public debt and the budget deficit.",
    "Retail sales grew while consumer prices for food and fuel kept climbing.",
    "The currency weakened against the dollar and import costs pushed up inflation.",
    "Manufacturing output expanded for a third month as new orders and exports rose.",
];

/// A two-theme corpus in JSONL: `finance` (8 documents), none (8 sport documents).
pub fn small_jsonl() -> String {
    let mut out = String::new();
    for (i, text) in FINANCE.iter().enumerate() {
        out.push_str(&format!(
            "{{\"id\": \"f{i}\", \"text\": \"{text}\", \"labels\": [\"finance\"]}}\n"
        ));
    }
    for (i, text) in SPORT.iter().enumerate() {
        out.push_str(&format!(
            "{{\"id\": \"s{i}\", \"text\": \"{text}\", \"labels\": []}}\n"
        ));
    }
    out
}

/// The same corpus as a folder per label: `finance/` and `none/`.
pub fn small_folders(dir: &Path) {
    for (i, text) in FINANCE.iter().enumerate() {
        write(dir, &format!("finance/{i}.txt"), text);
    }
    for (i, text) in SPORT.iter().enumerate() {
        write(dir, &format!("none/{i}.txt"), text);
    }
}

/// The same corpus as CSV (`text,labels`).
pub fn small_csv() -> String {
    let mut out = String::from("id,text,labels\n");
    for (i, text) in FINANCE.iter().enumerate() {
        out.push_str(&format!("f{i},\"{text}\",finance\n"));
    }
    for (i, text) in SPORT.iter().enumerate() {
        out.push_str(&format!("s{i},\"{text}\",\n"));
    }
    out
}

/// The `thematic` binary run through `sh` with its standard output redirected by `redirect`
/// (`>&-` closes it, `>/dev/full` fails every write); add the arguments.
#[cfg(unix)]
pub fn thematic_with_stdout(redirect: &str) -> std::process::Command {
    let mut command = std::process::Command::new("sh");
    command
        .arg("-c")
        .arg(format!(r#"exec "$@" {redirect}"#))
        .arg("sh")
        .arg(env!("CARGO_BIN_EXE_thematic"));
    command
}

/// A theme name with markup, quotes and an ampersand: every page must show it, never obey it.
pub const HOSTILE_THEME: &str = "<b>\"sport\"</b> & 'games'";

/// Ids that would break out of HTML text or attributes, or reorder or clear what is shown.
pub const HOSTILE_IDS: &[&str] = &[
    "<script>alert(\"id\")</script>",
    "quote\"' onmouseover=\"alert(1)",
    "escape\u{1b}[2J\u{0}bell\u{7}",
    "bidi\u{202e}txt.exe\u{2066}",
    "new\nline",
];

/// Two themes, `finance` and [`HOSTILE_THEME`], 8 documents each, and 4 of neither, in JSONL.
pub fn two_theme_jsonl() -> String {
    let line = |id: &str, text: &str, labels: &[&str]| {
        serde_json::json!({"id": id, "text": text, "labels": labels}).to_string() + "\n"
    };
    let mut out = String::new();
    for (i, text) in FINANCE.iter().enumerate() {
        out.push_str(&line(&format!("f{i}"), text, &["finance"]));
    }
    for (i, text) in SPORT.iter().enumerate() {
        out.push_str(&line(&format!("s{i}"), text, &[HOSTILE_THEME]));
    }
    for (i, text) in [
        "The committee met on Tuesday to discuss the new library opening hours.",
        "A new museum of local history opened near the harbour this spring.",
        "The festival brought painters and poets to the old town square.",
        "Volunteers planted trees along the river to mark the anniversary.",
    ]
    .iter()
    .enumerate()
    {
        out.push_str(&line(&format!("n{i}"), text, &[]));
    }
    out
}

/// Evaluation data for [`two_theme_jsonl`]'s model: its documents again, and under each of
/// [`HOSTILE_IDS`] a document labelled with the wrong theme, so that the report lists it
/// among the worst errors.
pub fn hostile_evaluation_jsonl() -> String {
    let mut out = two_theme_jsonl();
    for (i, id) in HOSTILE_IDS.iter().enumerate() {
        let (text, label) = if i % 2 == 0 {
            (FINANCE[i], HOSTILE_THEME)
        } else {
            (SPORT[i], "finance")
        };
        out.push_str(
            &(serde_json::json!({"id": id, "text": text, "labels": [label]}).to_string() + "\n"),
        );
    }
    out
}
