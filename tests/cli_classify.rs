//! The `classify` command, run as a real binary on files in a temp dir.

mod common;

use common::{temp_dir, thematic, write};
use predicates::prelude::*;
use serde_json::Value;

const SECURITY_TEXT: &str = "Hackers linked to a foreign intelligence service breached the \
    ministry's networks. Police arrested members of a cybercrime gang, and the defence minister \
    said the army would protect critical infrastructure from terrorist attacks.";
const ECONOMY_TEXT: &str = "Inflation eased to 3 percent as the central bank held interest \
    rates, while exports and factory output grew and unemployment fell.";
const SPORT_TEXT: &str = "The striker scored twice in the second half as the home side won \
    the cup final in front of a sell-out crowd.";

/// The output of `classify --input jsonl --format jsonl FILE`, which must succeed with nothing
/// on standard error.
fn classify_jsonl_file(file: &std::path::Path) -> Vec<u8> {
    thematic()
        .args(["classify", "--input", "jsonl", "--format", "jsonl"])
        .arg(file)
        .assert()
        .success()
        .stderr("")
        .get_output()
        .stdout
        .clone()
}

fn jsonl(output: &[u8]) -> Vec<Value> {
    String::from_utf8(output.to_vec())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn classifies_files_with_the_contract_fields() {
    let dir = temp_dir();
    let file = write(dir.path(), "a.txt", SECURITY_TEXT);
    let out = thematic()
        .args(["classify", "--format", "jsonl"])
        .arg(&file)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let records = jsonl(&out);
    assert_eq!(records.len(), 1);
    let record = &records[0];
    assert_eq!(record["path"], file.display().to_string());
    assert_eq!(record["themes"], serde_json::json!(["security"]));
    let scores = record["scores"].as_object().unwrap();
    assert_eq!(
        scores.keys().collect::<Vec<_>>(),
        ["economy", "governance", "security"]
    );
    assert!(scores
        .values()
        .all(|s| (0.0..=1.0).contains(&s.as_f64().unwrap())));
    assert!(!record["keywords"].as_array().unwrap().is_empty());
}

#[test]
fn directory_is_walked_recursively_in_name_order() {
    let dir = temp_dir();
    write(dir.path(), "b/2.txt", ECONOMY_TEXT);
    write(dir.path(), "a.txt", SPORT_TEXT);
    write(dir.path(), "b/1.txt", SECURITY_TEXT);
    write(dir.path(), ".hidden.txt", SECURITY_TEXT);
    let out = thematic()
        .args(["classify", "--format", "jsonl"])
        .arg(dir.path())
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let records = jsonl(&out);
    let names: Vec<String> = records
        .iter()
        .map(|r| {
            let path = r["path"].as_str().unwrap();
            path.strip_prefix(&dir.path().display().to_string())
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(names, ["/a.txt", "/b/1.txt", "/b/2.txt"]);
    assert_eq!(records[0]["themes"], serde_json::json!([]));
    assert_eq!(records[2]["themes"], serde_json::json!(["economy"]));
}

#[test]
fn stdin_is_read_with_a_dash() {
    let out = thematic()
        .args(["classify", "--format", "jsonl", "-"])
        .write_stdin(ECONOMY_TEXT)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let records = jsonl(&out);
    assert_eq!(records[0]["path"], "-");
    assert_eq!(records[0]["themes"], serde_json::json!(["economy"]));
}

#[test]
fn a_missing_path_fails_alone_with_exit_1() {
    let dir = temp_dir();
    let good = write(dir.path(), "good.txt", ECONOMY_TEXT);
    let missing = dir.path().join("missing.txt");
    let assert = thematic()
        .args(["classify", "--format", "jsonl"])
        .arg(&missing)
        .arg(&good)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("missing.txt"));
    let records = jsonl(&assert.get_output().stdout);
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["path"], good.display().to_string());
}

#[test]
fn binary_files_are_skipped_and_bad_utf8_is_decoded_with_a_note() {
    let dir = temp_dir();
    write(
        dir.path(),
        "image.bin",
        [0x89u8, b'P', b'N', b'G', 0, 0, 1, 2],
    );
    let mut latin1 = ECONOMY_TEXT.as_bytes().to_vec();
    latin1.extend_from_slice(b" caf\xe9");
    write(dir.path(), "latin1.txt", latin1);
    let assert = thematic()
        .args(["classify", "--format", "jsonl"])
        .arg(dir.path())
        .assert()
        .success()
        .stderr(predicate::str::contains("image.bin: binary file"))
        .stderr(predicate::str::contains(
            "latin1.txt: invalid UTF-8, decoded lossily",
        ));
    let records = jsonl(&assert.get_output().stdout);
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["themes"], serde_json::json!(["economy"]));
}

#[test]
fn an_empty_file_gets_no_theme_and_a_note() {
    let dir = temp_dir();
    let empty = write(dir.path(), "empty.txt", "");
    let assert = thematic()
        .args(["classify", "--format", "jsonl"])
        .arg(&empty)
        .assert()
        .success()
        .stderr(predicate::str::contains("empty file"));
    let records = jsonl(&assert.get_output().stdout);
    assert_eq!(records[0]["themes"], serde_json::json!([]));
    assert_eq!(records[0]["keywords"], serde_json::json!([]));
}

#[test]
fn a_directory_without_files_is_an_error() {
    let dir = temp_dir();
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    thematic()
        .args(["classify", "--format", "jsonl"])
        .arg(dir.path().join("empty"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("holds no files"));
}

#[test]
fn jsonl_input_keeps_order_and_reports_bad_lines_in_place() {
    let input = format!(
        "{}\n{{not json\n\n{}\n{{\"id\": 7}}\n{}\n",
        serde_json::json!({"id": "sec", "text": SECURITY_TEXT}),
        serde_json::json!({"id": "eco", "text": ECONOMY_TEXT}),
        serde_json::json!({"text": SPORT_TEXT}),
    );
    let assert = thematic()
        .args(["classify", "--input", "jsonl", "--format", "jsonl", "-"])
        .write_stdin(input)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("-:2: not JSON"));
    let records = jsonl(&assert.get_output().stdout);
    assert_eq!(records.len(), 5);
    assert_eq!(records[0]["id"], "sec");
    assert_eq!(records[1]["line"], 2);
    assert!(records[1]["error"].as_str().unwrap().contains("not JSON"));
    assert_eq!(records[2]["id"], "eco");
    assert_eq!(records[3]["line"], 5);
    assert!(records[3]["error"].as_str().unwrap().contains("text"));
    assert_eq!(records[4]["line"], 6);
    assert_eq!(records[4]["themes"], serde_json::json!([]));
}

/// Issue 16, item 6: `classify --input jsonl DIR` failed with "Is a directory"; it reads every
/// .jsonl file under DIR, in name order, hidden ones and other files left alone.
#[test]
fn jsonl_input_reads_every_jsonl_file_under_a_directory_in_name_order() {
    let dir = temp_dir();
    let line = |id: &str| format!("{}\n", serde_json::json!({"id": id, "text": ECONOMY_TEXT}));
    write(dir.path(), "feed/b.jsonl", line("b"));
    write(dir.path(), "feed/a.jsonl", line("a1") + &line("a2"));
    write(dir.path(), "feed/sub/c.ndjson", line("c"));
    write(dir.path(), "feed/.hidden.jsonl", line("hidden"));
    write(dir.path(), "feed/notes.txt", "not JSON");
    let assert = thematic()
        .args(["classify", "--input", "jsonl", "--format", "jsonl"])
        .arg(dir.path().join("feed"))
        .assert()
        .success()
        .stderr("");
    let ids: Vec<Value> = jsonl(&assert.get_output().stdout)
        .into_iter()
        .map(|record| record["id"].clone())
        .collect();
    assert_eq!(ids, ["a1", "a2", "b", "c"]);
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    thematic()
        .args(["classify", "--input", "jsonl", "--format", "jsonl"])
        .arg(dir.path().join("empty"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "empty: directory holds no .jsonl files",
        ));
}

/// Issue 16, item 6: a .jsonl file classified without `--input jsonl` was silently read as
/// prose; a note says so and suggests the flag.
#[test]
fn a_jsonl_file_read_as_prose_gets_a_note() {
    let dir = temp_dir();
    let line = serde_json::json!({"id": "a", "text": ECONOMY_TEXT}).to_string();
    let feed = write(dir.path(), "feed.jsonl", &line);
    let assert = thematic()
        .args(["classify", "--format", "jsonl"])
        .arg(&feed)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "thematic: note: ".to_string() + &feed.display().to_string(),
        ))
        .stderr(predicate::str::contains("--input jsonl"));
    assert_eq!(jsonl(&assert.get_output().stdout).len(), 1);
    thematic()
        .args(["classify", "--input", "jsonl", "--format", "jsonl"])
        .arg(&feed)
        .assert()
        .success()
        .stderr("");
    // A directory so named is walked for text files, as any directory: no note.
    write(dir.path(), "texts.jsonl/a.txt", ECONOMY_TEXT);
    thematic()
        .args(["classify", "--format", "jsonl"])
        .arg(dir.path().join("texts.jsonl"))
        .assert()
        .success()
        .stderr("");
}

#[test]
fn every_format_reports_every_document() {
    let dir = temp_dir();
    write(dir.path(), "1.txt", SECURITY_TEXT);
    write(dir.path(), "2.txt", ECONOMY_TEXT);

    let json = thematic()
        .args(["classify", "--format", "json"])
        .arg(dir.path())
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let array: Vec<Value> = serde_json::from_slice(&json).unwrap();
    assert_eq!(array.len(), 2);
    assert_eq!(array[1]["themes"], serde_json::json!(["economy"]));

    let csv = thematic()
        .args(["classify", "--format", "csv"])
        .arg(dir.path())
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let csv = String::from_utf8(csv).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "document,themes,score_economy,score_governance,score_security,keywords"
    );
    assert_eq!(lines.len(), 3);
    assert!(lines[1].contains(",security,"), "{}", lines[1]);

    thematic()
        .args(["classify", "--format", "table"])
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("themes"))
        .stdout(predicate::str::contains("2.txt"))
        .stdout(predicate::str::contains("economy"));
}

#[test]
fn one_thread_and_many_give_identical_output() {
    let dir = temp_dir();
    for i in 0..40 {
        let text = [SECURITY_TEXT, ECONOMY_TEXT, SPORT_TEXT][i % 3];
        write(dir.path(), &format!("doc{i:03}.txt"), format!("{text} {i}"));
    }
    let run = |threads: &str| {
        thematic()
            .args(["classify", "--format", "jsonl", "--threads", threads])
            .arg(dir.path())
            .assert()
            .success()
            .get_output()
            .stdout
            .clone()
    };
    assert_eq!(run("1"), run("4"));
}

#[test]
fn a_global_threshold_overrides_the_tuned_ones() {
    let run = |threshold: &str| {
        let out = thematic()
            .args([
                "classify",
                "--format",
                "jsonl",
                "--threshold",
                threshold,
                "-",
            ])
            .write_stdin(SPORT_TEXT)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        jsonl(&out)[0]["themes"].as_array().unwrap().len()
    };
    assert_eq!(run("0"), 3);
    assert_eq!(run("1"), 0);
    thematic()
        .args(["classify", "--threshold", "1.5", "-"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not between 0 and 1"));
}

#[test]
fn help_shows_examples() {
    thematic()
        .args(["classify", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Examples:"));
}

#[test]
fn a_directory_of_binaries_only_is_an_error() {
    let dir = temp_dir();
    write(dir.path(), "bin/a.bin", [0u8, 1, 2, 3]);
    write(dir.path(), "bin/b.bin", [7u8, 0, 0]);
    let good = write(dir.path(), "good.txt", ECONOMY_TEXT);
    let assert = thematic()
        .args(["classify", "--format", "jsonl"])
        .arg(dir.path().join("bin"))
        .arg(&good)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("holds no text files"));
    assert_eq!(jsonl(&assert.get_output().stdout).len(), 1);
}

#[cfg(target_os = "linux")]
#[test]
fn an_unreadable_file_fails_alone() {
    // Reading /proc/self/mem from offset 0 fails (EIO) even for root, unlike chmod 000.
    let dir = temp_dir();
    let good = write(dir.path(), "good.txt", ECONOMY_TEXT);
    let assert = thematic()
        .args(["classify", "--format", "jsonl", "/proc/self/mem"])
        .arg(&good)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("/proc/self/mem"));
    assert_eq!(jsonl(&assert.get_output().stdout).len(), 1);
}

#[test]
fn a_closed_pipe_ends_the_run_quietly() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let dir = temp_dir();
    for i in 0..3000 {
        write(dir.path(), &format!("{i:05}.txt"), ECONOMY_TEXT);
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_thematic"))
        .args(["classify", "--format", "jsonl"])
        .arg(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // The reader is gone (like `| head -1`): the rest of the output has nowhere to go.
    let output = child.wait_with_output().unwrap();
    assert!(first.contains("00000.txt"));
    assert!(
        output.status.success(),
        "{:?} {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}

/// Issue 16, item 9: `--max-bytes` showed and took only a count of bytes (`67108864`).
#[test]
fn max_bytes_reads_and_shows_binary_units() {
    for command in ["classify", "keywords"] {
        thematic()
            .args([command, "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains("[default: 64MiB]"));
    }
    thematic()
        .args(["classify", "--format", "jsonl", "--max-bytes", "1KiB", "-"])
        .write_stdin(ECONOMY_TEXT.repeat(200))
        .assert()
        .success()
        .stderr(predicate::str::contains("1024-byte limit"));
    thematic()
        .args(["classify", "--max-bytes", "64MB", "-"])
        .write_stdin(ECONOMY_TEXT)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("KiB, MiB, GiB"));
}

#[test]
fn max_bytes_bounds_files_and_jsonl_lines() {
    let dir = temp_dir();
    let big = write(dir.path(), "big.txt", ECONOMY_TEXT.repeat(200));
    let assert = thematic()
        .args(["classify", "--format", "jsonl", "--max-bytes", "1000"])
        .arg(&big)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "big.txt: larger than the 1000-byte limit (--max-bytes): classified its first 1000 bytes",
        ));
    assert_eq!(
        jsonl(&assert.get_output().stdout)[0]["themes"],
        serde_json::json!(["economy"])
    );

    let long_text = "word ".repeat(1000);
    let input = format!(
        "{}\n{}\n{}\n",
        serde_json::json!({"id": "a", "text": ECONOMY_TEXT}),
        serde_json::json!({"id": "long", "text": long_text}),
        serde_json::json!({"id": "c", "text": SECURITY_TEXT}),
    );
    let assert = thematic()
        .args([
            "classify",
            "--input",
            "jsonl",
            "--format",
            "jsonl",
            "--max-bytes",
            "1000",
            "-",
        ])
        .write_stdin(input)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "-:2: line longer than the 1000-byte limit",
        ));
    let records = jsonl(&assert.get_output().stdout);
    assert_eq!(records.len(), 3);
    assert_eq!(records[0]["id"], "a");
    assert_eq!(records[1]["line"], 2);
    assert_eq!(records[2]["id"], "c");
    assert_eq!(records[2]["themes"], serde_json::json!(["security"]));
}

#[cfg(unix)]
#[test]
fn symlink_loops_fifos_and_devices_are_skipped_without_hanging() {
    let dir = temp_dir();
    let tree = dir.path().join("tree");
    write(&tree, "a/doc.txt", ECONOMY_TEXT);
    std::os::unix::fs::symlink(&tree, tree.join("a/loop")).unwrap();
    let fifo = tree.join("pipe");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let assert = thematic()
        .args(["classify", "--format", "jsonl"])
        .arg(&tree)
        .arg("/dev/null")
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .success()
        .stderr(predicate::str::contains("symbolic link loop, skipped"))
        .stderr(predicate::str::contains("pipe: not a regular file"))
        // Named, a device is read as a stream (see the next test): /dev/null is empty.
        .stderr(predicate::str::contains("/dev/null: empty file"));
    let records = jsonl(&assert.get_output().stdout);
    assert_eq!(records.len(), 2);
    assert_eq!(records[0]["themes"], serde_json::json!(["economy"]));
    assert_eq!(records[1]["path"], "/dev/null");
}

/// Hostile-input issue, item 13: inputs named on the command line that are not regular files
/// (`<(cmd)`, `/dev/stdin`, a FIFO) were skipped with exit 0 and no output. They are read as
/// standard input is, bounded by `--max-bytes`; a FIFO found by walking a directory still is not.
#[cfg(target_os = "linux")]
#[test]
fn named_fifos_and_dev_stdin_are_read_bounded() {
    let dir = temp_dir();
    let fifo = dir.path().join("feed");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    // The writer waits for a reader without blocking (an open for writing with no reader
    // fails at once), and gives up after a while: a thematic that never reads fails the test
    // below instead of hanging it.
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            use std::io::Write;
            use std::os::unix::fs::OpenOptionsExt;
            let started = std::time::Instant::now();
            while started.elapsed() < std::time::Duration::from_secs(30) {
                let opened = std::fs::OpenOptions::new()
                    .write(true)
                    .custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32)
                    .open(&fifo);
                if let Ok(mut pipe) = opened {
                    pipe.write_all(SECURITY_TEXT.as_bytes()).unwrap();
                    return;
                }
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
        })
    };
    let assert = thematic()
        .args(["classify", "--format", "jsonl", "--max-bytes", "1MiB"])
        .arg(&fifo)
        .arg("/dev/stdin")
        .write_stdin(ECONOMY_TEXT)
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .success();
    writer.join().unwrap();
    let records = jsonl(&assert.get_output().stdout);
    assert_eq!(records.len(), 2, "{records:?}");
    assert_eq!(records[0]["path"], fifo.display().to_string());
    assert_eq!(records[0]["themes"], serde_json::json!(["security"]));
    assert_eq!(records[1]["path"], "/dev/stdin");
    assert_eq!(records[1]["themes"], serde_json::json!(["economy"]));
    // Bounded as standard input is: a stream longer than --max-bytes is cut, with a note.
    let long = format!("{ECONOMY_TEXT} ").repeat(200);
    thematic()
        .args([
            "classify",
            "--format",
            "jsonl",
            "--max-bytes",
            "1KiB",
            "/dev/stdin",
        ])
        .write_stdin(long)
        .assert()
        .success()
        .stderr(predicate::str::contains("1024-byte limit"));
}

/// Runs thematic as `nobody` when the tests run as root (where permissions do not bind), so
/// permission-denied files and directories can be tested for real. None when that is not
/// possible (no setpriv, or not root: then the plain binary is already unprivileged).
#[cfg(target_os = "linux")]
fn unprivileged() -> std::process::Command {
    let is_root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false);
    if is_root {
        let mut command = std::process::Command::new("setpriv");
        command
            .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
            .arg(env!("CARGO_BIN_EXE_thematic"));
        command
    } else {
        std::process::Command::new(env!("CARGO_BIN_EXE_thematic"))
    }
}

#[cfg(target_os = "linux")]
#[test]
fn permission_denied_files_and_directories_fail_alone() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir();
    let mode = |path: &std::path::Path, mode: u32| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap()
    };
    mode(dir.path(), 0o755);
    let tree = dir.path().join("tree");
    let good = write(&tree, "good.txt", ECONOMY_TEXT);
    let secret = write(&tree, "secret.txt", SECURITY_TEXT);
    write(&tree, "locked/inside.txt", SECURITY_TEXT);
    mode(&tree, 0o755);
    mode(&good, 0o644);
    mode(&secret, 0o000);
    mode(&tree.join("locked"), 0o000);
    let output = unprivileged()
        .args(["classify", "--format", "jsonl"])
        .arg(&tree)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("secret.txt: permission denied"), "{stderr}");
    assert!(stderr.contains("locked: permission denied"), "{stderr}");
    let records = jsonl(&output.stdout);
    assert_eq!(records.len(), 1);
    assert!(records[0]["path"].as_str().unwrap().ends_with("good.txt"));
}

/// Hostile-input issue, item 3: an absurd thread count is refused at once, naming the flag.
#[test]
fn an_absurd_thread_count_is_refused_at_once() {
    thematic()
        .args(["classify", "--threads", "1000000", "-"])
        .write_stdin("Parliament passed the budget.")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--threads"))
        .stderr(predicate::str::contains("more than 256"));
    thematic()
        .args(["classify", "--threads", "256", "--format", "jsonl", "-"])
        .write_stdin("Parliament passed the budget.")
        .assert()
        .success();
}

/// Hostile-input issue, items 15 and 16: names cannot drive the terminal, forge lines, or
/// run as spreadsheet formulas.
#[cfg(unix)]
#[test]
fn hostile_names_are_escaped_for_terminals_and_spreadsheets() {
    let dir = temp_dir();
    let name = "=HYPERLINK(x)\u{1b}]0;owned\u{7}\u{202e}txt.\nthematic: error: forged";
    write(
        dir.path(),
        name,
        "Parliament passed the budget after a long debate.",
    );
    write(dir.path(), &format!("{name}.bin"), b"\x00\x01\x02binary");
    let run = |format: &str| {
        let output = thematic()
            .args(["classify", "--format", format])
            .arg(dir.path())
            .output()
            .unwrap();
        (
            String::from_utf8(output.stdout).unwrap(),
            String::from_utf8(output.stderr).unwrap(),
        )
    };
    let (table, notes) = run("table");
    assert!(
        !table.contains('\u{1b}') && !table.contains('\u{202e}'),
        "{table}"
    );
    assert_eq!(table.lines().count(), 2, "one header and one row: {table}");
    assert!(table.contains("\\u{"), "{table}");
    assert!(!notes.contains('\u{1b}'), "{notes}");
    assert!(
        notes.lines().all(|l| l.starts_with("thematic: ")),
        "every stderr line is thematic's own: {notes}"
    );
    // Named relative to the working directory, the document cell starts with `=`.
    let output = thematic()
        .current_dir(dir.path())
        .args(["classify", "--format", "csv", name])
        .output()
        .unwrap();
    let csv = String::from_utf8(output.stdout).unwrap();
    let row = csv.lines().nth(1).unwrap();
    assert!(row.starts_with("\"'=") || row.starts_with("'="), "{row}");
}

/// Hostile-input issue, item 9: a tree of more directories than the process may hold open
/// (an archive laid out year/day, a file in each day) is read whole under a low `ulimit -n`.
#[cfg(unix)]
#[test]
fn more_directories_than_open_descriptors_are_all_read() {
    let dir = temp_dir();
    for year in 0..11 {
        for day in 0..100 {
            write(
                dir.path(),
                &format!("{year:02}/{day:03}/doc.txt"),
                ECONOMY_TEXT,
            );
        }
    }
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg(r#"ulimit -n 256 && exec "$0" classify --format jsonl "$1""#)
        .arg(env!("CARGO_BIN_EXE_thematic"))
        .arg(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{:?} {stderr}", output.status);
    assert_eq!(stderr, "");
    let records = jsonl(&output.stdout);
    assert_eq!(records.len(), 1100);
    assert!(records
        .iter()
        .all(|r| r["themes"] == serde_json::json!(["economy"])));
}

/// Hostile-input issue, item 12: a JSONL input that cannot be read (here a directory) is
/// reported and the next one still read; error records name the file their line is in.
#[test]
fn one_bad_jsonl_input_stops_only_itself_and_error_records_name_their_file() {
    let dir = temp_dir();
    let first = write(
        dir.path(),
        "a.jsonl",
        format!(
            "{}\n{{broken\n",
            serde_json::json!({"id": "a1", "text": ECONOMY_TEXT})
        ),
    );
    let empty = dir.path().join("emptydir");
    std::fs::create_dir(&empty).unwrap();
    let second = write(
        dir.path(),
        "b.jsonl",
        format!(
            "{{\"text\": 3}}\n{}\n",
            serde_json::json!({"id": "b2", "text": SECURITY_TEXT})
        ),
    );
    let assert = thematic()
        .args(["classify", "--input", "jsonl", "--format", "jsonl"])
        .args([&first, &empty, &second])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "emptydir: directory holds no .jsonl files",
        ))
        .stderr(predicate::str::contains("a.jsonl:2: not JSON"))
        .stderr(predicate::str::contains("b.jsonl:1: not a {"));
    let records = jsonl(&assert.get_output().stdout);
    assert_eq!(records.len(), 4, "{records:?}");
    assert_eq!(records[0]["id"], "a1");
    assert_eq!(records[1]["path"], first.display().to_string());
    assert_eq!(records[1]["line"], 2);
    assert!(records[1]["error"].as_str().unwrap().contains("not JSON"));
    assert_eq!(records[2]["path"], second.display().to_string());
    assert_eq!(records[2]["line"], 1);
    assert_eq!(records[3]["id"], "b2");
    assert_eq!(records[3]["themes"], serde_json::json!(["security"]));
}

/// Hostile-input issue, item 14: results that cannot be written to standard output (closed,
/// or a full device) are an error naming it, not a silent success.
#[cfg(unix)]
#[test]
fn results_lost_on_standard_output_are_an_error_naming_it() {
    let dir = temp_dir();
    let file = write(dir.path(), "a.txt", ECONOMY_TEXT);
    for redirect in [">&-", ">/dev/full"] {
        for format in ["jsonl", "table"] {
            let output = common::thematic_with_stdout(redirect)
                .args(["classify", "--format", format])
                .arg(&file)
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(
                output.status.code(),
                Some(2),
                "{redirect} {format}: {stderr}"
            );
            assert!(
                stderr.contains("cannot write to standard output"),
                "{redirect} {format}: {stderr}"
            );
            assert_eq!(stderr.lines().count(), 1, "{stderr}");
        }
    }
    // /dev/null is a place to write to.
    let output = common::thematic_with_stdout(">/dev/null")
        .arg("classify")
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        output.status.success() && output.stderr.is_empty(),
        "{output:?}"
    );
}

/// Hostile-input issue, item 22: JSONL input that starts with a UTF-8 byte-order mark is read
/// (as CSV training data with one is), from a file and from standard input.
#[test]
fn jsonl_input_may_start_with_a_byte_order_mark() {
    let dir = temp_dir();
    let input = format!(
        "\u{feff}{}\n{}\n",
        serde_json::json!({"id": "first", "text": ECONOMY_TEXT}),
        serde_json::json!({"id": "second", "text": SECURITY_TEXT}),
    );
    let file = write(dir.path(), "bom.jsonl", &input);
    let from_file = classify_jsonl_file(&file);
    let records = jsonl(&from_file);
    assert_eq!(records.len(), 2);
    assert_eq!(records[0]["id"], "first");
    assert_eq!(records[0]["themes"], serde_json::json!(["economy"]));
    thematic()
        .args(["classify", "--input", "jsonl", "--format", "jsonl", "-"])
        .write_stdin(input)
        .assert()
        .success()
        .stdout(String::from_utf8(from_file).unwrap());
}

/// Hostile-input issue, item 17: an id is echoed only if it is a string or a number of at most
/// 1,024 bytes; a deeply nested, huge or non-scalar id makes its line an error record and the
/// stream goes on.
#[test]
fn only_short_string_or_number_ids_are_echoed() {
    let text = "\"text\": \"Inflation eased and exports grew.\"";
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let long = format!("\"{}\"", "x".repeat(1025));
    let longest = format!("\"{}\"", "x".repeat(1022));
    let input: String = [
        "\"a\"",
        &deep,
        &long,
        "{\"k\": 1}",
        "true",
        "-12.5e3",
        &longest,
        "null",
    ]
    .iter()
    .map(|id| format!("{{\"id\": {id}, {text}}}\n"))
    .collect();
    let output = thematic()
        .args(["classify", "--input", "jsonl", "--format", "jsonl", "-"])
        .write_stdin(input)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("-:2: `id` is an array"))
        .get_output()
        .stdout
        .clone();
    let records = jsonl(&output);
    assert_eq!(records.len(), 8);
    assert_eq!(records[0]["id"], "a");
    for (record, says) in records[1..5].iter().zip([
        "is an array",
        "is 1027 bytes long",
        "is an object",
        "is a boolean",
    ]) {
        assert!(record.get("id").is_none(), "{record}");
        assert!(record["error"].as_str().unwrap().contains(says), "{record}");
    }
    assert_eq!(records[2]["line"], 3);
    assert_eq!(records[5]["id"], -12500.0);
    assert_eq!(records[6]["id"].as_str().unwrap().len(), 1022);
    assert_eq!(records[7]["line"], 8);
    assert!(records[7].get("themes").is_some());
}

/// Soft hyphens, zero-width characters and fullwidth letters change no word: the document is
/// classified as its plain form is, and its keywords are its own text, not fragments.
#[test]
fn invisible_and_fullwidth_characters_split_no_word() {
    let hostile = SECURITY_TEXT
        .replace("Hackers", "Hack\u{ad}ers")
        .replace("intelligence", "intel\u{ad}li\u{200b}gence")
        .replace("cybercrime", "cyber\u{200d}crime")
        .replace("terrorist", "ｔｅｒｒｏｒｉｓｔ")
        .replace("infrastructure", "in\u{ad}fra\u{2060}structure\u{feff}");
    let dir = temp_dir();
    let lines = [SECURITY_TEXT, hostile.as_str()]
        .map(|text| serde_json::json!({ "text": text }).to_string())
        .join("\n");
    let feed = write(dir.path(), "feed.jsonl", lines);
    let out = classify_jsonl_file(&feed);
    let records = jsonl(&out);
    assert_eq!(records[0]["themes"], records[1]["themes"]);
    assert_eq!(records[0]["scores"], records[1]["scores"]);
    let keywords = records[1]["keywords"].as_array().unwrap();
    assert!(
        keywords.iter().any(|k| k == "Hack\u{ad}ers"),
        "{keywords:?}"
    );
    for keyword in keywords {
        let keyword = keyword.as_str().unwrap();
        assert!(hostile.contains(keyword), "{keyword:?}");
        assert!(
            !["Hack", "ers", "intel", "gence", "crime", "fra"].contains(&keyword),
            "{keyword:?}"
        );
    }
}

/// A document whose words the model has no terms for (another script) gets a note on standard
/// error naming it; the output keeps its fields. Past ten such documents, one note counts the
/// rest.
#[test]
fn documents_with_no_word_the_model_knows_get_a_note() {
    let dir = temp_dir();
    let cyrillic = write(dir.path(), "ru.txt", "Парламент принял закон о бюджете.");
    let english = write(dir.path(), "en.txt", ECONOMY_TEXT);
    let numbers = write(dir.path(), "numbers.txt", "2015 - 3.5, 42; the of and");
    let assert = thematic()
        .args(["classify", "--format", "jsonl"])
        .args([&cyrillic, &english, &numbers])
        .assert()
        .success();
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert_eq!(
        stderr,
        format!(
            "thematic: note: {}: no word of it is in the model's vocabulary (a language or \
             script the model has no terms for?): its scores are the model's defaults\n",
            cyrillic.display()
        )
    );
    let records = jsonl(&assert.get_output().stdout);
    assert_eq!(records.len(), 3);
    let mut keys: Vec<&String> = records[0].as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(keys, ["evidence", "keywords", "path", "scores", "themes"]);

    let mut lines: Vec<String> = (0..12)
        .map(|i| serde_json::json!({ "id": i, "text": "议会通过了预算法" }).to_string())
        .collect();
    lines.insert(
        3,
        serde_json::json!({ "id": "en", "text": ECONOMY_TEXT }).to_string(),
    );
    let feed = write(dir.path(), "feed.jsonl", lines.join("\n"));
    let assert = thematic()
        .args(["classify", "--input", "jsonl", "--format", "csv"])
        .arg(&feed)
        .assert()
        .success();
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    let notes: Vec<&str> = stderr.lines().collect();
    assert_eq!(notes.len(), 11, "{stderr}");
    assert!(notes[3].starts_with(&format!("thematic: note: {}:5: ", feed.display())));
    assert_eq!(
        notes[10],
        "thematic: note: 2 more documents with no word in the model's vocabulary"
    );
    let csv = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert_eq!(csv.lines().count(), 14);
}

/// Runs `command` to its end with standard output and error discarded; returns its exit code
/// and its own peak resident set size in KiB (the kernel's count for that one process, as
/// `wait4` gives it).
#[cfg(target_os = "linux")]
// The child is reaped by `wait4`, not `Child::wait`, which cannot give its resource use.
#[allow(clippy::zombie_processes)]
fn peak_rss_kib(command: &mut std::process::Command) -> (i32, i64) {
    use std::process::Stdio;
    let child = command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut status = 0;
    // SAFETY: `rusage` is plain integers, for which zero is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: both pointers are to live locals; the pid is our own child, not yet reaped.
    let waited = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(waited, child.id() as libc::pid_t, "wait4 failed");
    (libc::WEXITSTATUS(status), usage.ru_maxrss)
}

/// Hostile-input issue, item 4: large files found in a directory are read one at a time, as
/// when they are named, not a run of 64 at once before any is classified (64 files of 64 MB
/// took 4.3 GB). Here 32 files cut at 4 MiB each (sparse: little disk) would hold 128 MiB more
/// read together than named one by one.
#[cfg(target_os = "linux")]
#[test]
fn large_files_in_a_directory_take_the_memory_of_the_same_files_named() {
    const MAX_BYTES: u64 = 4 << 20;
    let dir = temp_dir();
    let mut named = Vec::new();
    for i in 0..32 {
        // Text first (so it is not taken for binary), then a hole read as zero bytes.
        let path = write(
            dir.path(),
            &format!("big/{i:02}.txt"),
            SECURITY_TEXT.repeat(40),
        );
        std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .unwrap()
            .set_len(2 * MAX_BYTES)
            .unwrap();
        named.push(path);
    }
    let classify = |paths: &[std::path::PathBuf]| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_thematic"));
        command
            .args([
                "classify",
                "--format",
                "jsonl",
                "--threads",
                "1",
                "--keywords",
                "0",
            ])
            .arg(format!("--max-bytes={MAX_BYTES}"))
            .args(paths);
        peak_rss_kib(&mut command)
    };
    let (named_code, named_kib) = classify(&named);
    let (walked_code, walked_kib) = classify(&[dir.path().join("big")]);
    assert_eq!((named_code, walked_code), (0, 0));
    // Far less than the 128 MiB that reading the files together would add.
    assert!(
        walked_kib < named_kib + 32 * 1024,
        "a directory of large files peaked at {walked_kib} KiB, the same files named at {named_kib} KiB"
    );
}
