//! Shared helpers for the integration tests: a temp dir and a small labelled corpus.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

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
