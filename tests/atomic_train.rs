//! `train --out M` killed with SIGKILL or interrupted with SIGINT (Ctrl-C) at any moment leaves
//! M either as it was or as a whole new model, never a partial one; leftovers do not stop later
//! runs.

mod common;

use std::process::Command;
use std::time::Duration;

use common::{small_jsonl, temp_dir, write};
use thematic::Model;

#[cfg(unix)]
#[test]
fn signals_during_train_never_leave_a_partial_model() {
    let dir = temp_dir();
    // Enough data that training takes a moment, so kills land before, during and after it.
    let data: String = (0..60).map(|_| small_jsonl()).collect();
    let data = write(dir.path(), "data.jsonl", data);
    let old = thematic::model::DEFAULT_MODEL;
    let model = write(dir.path(), "m.thematic", old);
    let train = || {
        Command::new(env!("CARGO_BIN_EXE_thematic"))
            .args(["train", "--data"])
            .arg(&data)
            .arg("--out")
            .arg(&model)
            .args(["--min-df", "1", "--max-df", "1.0"])
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    let mut replaced = 0;
    let delays = [0u64, 5, 20, 50, 100, 200, 400, 800, 1500, 3000];
    for (signal, delay_ms) in ["KILL", "INT"]
        .iter()
        .flat_map(|s| delays.iter().map(move |d| (*s, *d)))
    {
        let mut child = train();
        std::thread::sleep(Duration::from_millis(delay_ms));
        // An error means the run had already finished.
        Command::new("kill")
            .args([&format!("-{signal}"), &child.id().to_string()])
            .stderr(std::process::Stdio::null())
            .status()
            .ok();
        child.wait().unwrap();
        let bytes = std::fs::read(&model).unwrap();
        if bytes != old {
            // Only a whole, loadable model may have replaced the old one.
            let loaded = Model::from_bytes(&bytes, &model).unwrap();
            assert_eq!(loaded.themes(), ["finance"]);
            replaced += 1;
            std::fs::write(&model, old).unwrap();
        }
    }
    // Whatever temporary files the kills left behind, a later run completes and replaces M.
    let status = train().wait().unwrap();
    assert!(status.success());
    let loaded = Model::load(&model).unwrap();
    assert_eq!(loaded.themes(), ["finance"]);
    eprintln!("{replaced} of 20 signalled runs had already finished");
}

/// Hostile-input issue, item 20: each run killed while writing left a full-size hidden temp
/// file. Before writing, train removes the temp files beside `--out` that are over an hour old
/// and that no process holds locked; a locked one (a run still writing) and a recent one stay.
#[cfg(target_os = "linux")]
#[test]
fn stale_unlocked_temp_files_are_removed_and_locked_or_recent_ones_kept() {
    use rustix::fs::{flock, FlockOperation};
    use std::time::{Duration, SystemTime};
    let dir = temp_dir();
    let data = write(dir.path(), "data.jsonl", small_jsonl());
    let out_dir = dir.path().join("models");
    let two_hours_ago = SystemTime::now() - Duration::from_secs(2 * 3600);
    let plant = |name: &str, old: bool| {
        let path = write(&out_dir, name, vec![0u8; 4096]);
        if old {
            let file = std::fs::File::options().write(true).open(&path).unwrap();
            file.set_modified(two_hours_ago).unwrap();
        }
        path
    };
    let stale = plant(".thematic-model-AAAAAA.tmp", true);
    let locked = plant(".thematic-model-BBBBBB.tmp", true);
    let recent = plant(".thematic-model-CCCCCC.tmp", false);
    let other = plant(".thematic-other-DDDDDD.tmp", true);
    let holder = std::fs::File::open(&locked).unwrap();
    flock(&holder, FlockOperation::NonBlockingLockExclusive).unwrap();

    let status = Command::new(env!("CARGO_BIN_EXE_thematic"))
        .args(["train", "--data"])
        .arg(&data)
        .arg("--out")
        .arg(out_dir.join("m.thematic"))
        .args(["--min-df", "1", "--max-df", "1.0"])
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    assert!(!stale.exists(), "the stale unlocked temp file is left");
    assert!(
        locked.exists(),
        "a locked temp file (a run writing) was removed"
    );
    assert!(recent.exists(), "a recent temp file was removed");
    assert!(
        other.exists(),
        "a file not named like a model temp file was removed"
    );
    assert!(Model::load(&out_dir.join("m.thematic")).is_ok());
    let left: Vec<_> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left.len(), 4, "{left:?}");
    drop(holder);
}
