//! `classify --input jsonl -` is a streaming filter: each line is answered before the next is
//! sent (the contract Spark's RDD.pipe, Hadoop Streaming and GNU parallel rely on), and a
//! stream cut into partitions classifies exactly as it does whole.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

const TEXTS: [&str; 4] = [
    "Parliament passed the electoral reform bill after a long debate.",
    "Police arrested members of a cybercrime gang behind ransomware attacks.",
    "Inflation eased as the central bank held interest rates.",
    "The home side won the cup final with a late goal.",
];

fn line(i: usize) -> String {
    format!(
        "{}\n",
        serde_json::json!({"id": i, "text": TEXTS[i % TEXTS.len()]})
    )
}

#[test]
fn each_line_is_answered_before_the_next_is_sent() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_thematic"))
        .args(["classify", "--input", "jsonl", "--format", "jsonl", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (send, answers) = mpsc::channel();
    std::thread::spawn(move || {
        for answer in BufReader::new(stdout).lines() {
            if send.send(answer.unwrap()).is_err() {
                break;
            }
        }
    });
    for i in 0..5 {
        stdin.write_all(line(i).as_bytes()).unwrap();
        stdin.flush().unwrap();
        // The input stays open: an answer can only come if the filter does not wait for more.
        let answer = answers
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|_| panic!("no answer to line {i} while the stream was open"));
        let record: serde_json::Value = serde_json::from_str(&answer).unwrap();
        assert_eq!(record["id"], i);
    }
    drop(stdin);
    assert!(child.wait().unwrap().success());
}

#[test]
fn partitions_classify_exactly_as_the_whole_stream() {
    let input: String = (0..200).map(line).collect();
    let run = |text: &str| {
        let output = assert_cmd::Command::cargo_bin("thematic")
            .unwrap()
            .args(["classify", "--input", "jsonl", "--format", "jsonl", "-"])
            .write_stdin(text.to_string())
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(output).unwrap()
    };
    let whole = run(&input);
    assert_eq!(whole.lines().count(), 200);
    let lines: Vec<&str> = input.split_inclusive('\n').collect();
    let parts: String = lines.chunks(37).map(|chunk| run(&chunk.concat())).collect();
    assert_eq!(parts, whole);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(16))]

    #[test]
    fn output_order_is_input_order(
        picks in proptest::collection::vec(0usize..4, 1..400),
        threads in 1usize..5,
    ) {
        let input: String = picks
            .iter()
            .enumerate()
            .map(|(id, &pick)| {
                format!("{}\n", serde_json::json!({"id": id, "text": TEXTS[pick]}))
            })
            .collect();
        let output = assert_cmd::Command::cargo_bin("thematic")
            .unwrap()
            .args(["classify", "--input", "jsonl", "--format", "jsonl", "--threads"])
            .arg(threads.to_string())
            .arg("-")
            .write_stdin(input)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let ids: Vec<u64> = String::from_utf8(output)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].as_u64().unwrap())
            .collect();
        proptest::prop_assert_eq!(ids, (0..picks.len() as u64).collect::<Vec<_>>());
    }
}
