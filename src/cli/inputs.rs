//! Walking and reading the documents named on the command line, in bounded parallel batches,
//! with results handed back in input order. Shared by `classify` and `keywords`.

use std::collections::VecDeque;
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, TryRecvError};

use anyhow::Result;
use rayon::prelude::*;
use thematic::corpus::{read_entries, source_name, walk_files, Entry, EntryRead, FileText};

/// Documents handled per parallel batch: enough to keep every core busy and to make the
/// hand-over between batches rare (1,024 instead of 256 made both input modes about 3%
/// faster), few enough that memory stays flat and output starts at once.
pub const BATCH: usize = 1024;

/// JSONL lines stop joining a batch once it holds this many bytes: with long lines, memory
/// stays at a few batches of this size (plus one line of up to `--max-bytes`).
pub const BATCH_BYTES: usize = 4 << 20;

/// Default `--max-bytes`: the most read of one file or one JSONL line (as `--help` shows it;
/// [`super::parse_size`] reads it).
pub const MAX_BYTES: &str = "64MiB";

enum Outcome<T> {
    /// Worked on: the reading's notes and the result (the source is named from the entry).
    Done(Vec<String>, T),
    Skipped(String, String),
    Failed(String),
}

/// Entries read and worked on by one thread at a time: its small files are read together
/// (see [`read_entries`]).
const RUN: usize = 64;

/// Reads and works on a run of entries, in order (see [`read_entries`]). Returns each entry's
/// outcome and the bytes `work` appended for the run.
fn read_run<S, T>(
    entries: &[Entry],
    max_bytes: u64,
    new_scratch: &(impl Fn() -> S + Sync),
    work: &(impl Fn(&mut S, &str, &str, &mut Vec<u8>) -> T + Sync),
) -> (Vec<Outcome<T>>, Vec<u8>) {
    let mut bytes = Vec::new();
    let mut scratch = new_scratch();
    let outcomes = read_entries(entries, max_bytes)
        .map(|read| match read {
            EntryRead::Failed(error) => Outcome::Failed(error.to_string()),
            EntryRead::Skipped { path, reason } => {
                Outcome::Skipped(path.display().to_string(), reason.to_string())
            }
            EntryRead::File { path, text, .. } => match text {
                Err(error) => Outcome::Failed(error.to_string()),
                Ok(FileText::Skipped(reason)) => {
                    Outcome::Skipped(path.display().to_string(), reason)
                }
                Ok(FileText::Text(doc)) => {
                    let value = work(&mut scratch, &doc.source, &doc.text, &mut bytes);
                    Outcome::Done(doc.notes, value)
                }
            },
        })
        .collect();
    (outcomes, bytes)
}

/// Runs `work(scratch, source, text, out)` on every file under `paths` (files, directories,
/// `-`; at most `max_bytes` of each) and passes each result to `emit` with its source, in input
/// order; `flush` runs after each batch. `work` may instead append its result's output to
/// `out`, which collects that of several documents: those bytes go to `write`, in input order
/// too (a caller uses one way or the other, so the two never interleave). `scratch` is made
/// by `new_scratch` for each run of files, for `work` to reuse from one to the next. A thread
/// walks the paths while the files found so far are read and worked on in parallel, so a
/// large tree costs no wait before the first result. Notes, skips and failures go to stderr.
/// Returns whether any input failed (a missing or unreadable path, or a directory with no
/// text file).
pub fn for_each_document<S, T: Send>(
    paths: &[PathBuf],
    max_bytes: u64,
    new_scratch: impl Fn() -> S + Sync,
    work: impl Fn(&mut S, &str, &str, &mut Vec<u8>) -> T + Sync,
    mut emit: impl FnMut(&str, T) -> Result<()>,
    mut write: impl FnMut(&[u8]) -> Result<()>,
    mut flush: impl FnMut() -> Result<()>,
) -> Result<bool> {
    let mut failed = false;
    // Documents read and files found per input path: a directory that gave no document (all
    // its files binary, say) is an error.
    let mut documents = vec![0usize; paths.len()];
    let mut files = vec![0usize; paths.len()];
    // Two batches waiting at most: the walk stays just ahead of the reading.
    let (send, batches) = std::sync::mpsc::sync_channel::<Vec<Entry>>(2);
    std::thread::scope(|scope| -> Result<()> {
        scope.spawn(move || {
            let mut batch = Vec::with_capacity(BATCH);
            walk_files(paths, |entry| {
                batch.push(entry);
                if batch.len() < BATCH {
                    return ControlFlow::Continue(());
                }
                let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                // A closed channel means the consumer stopped (a write failed): stop walking.
                match send.send(full) {
                    Ok(()) => ControlFlow::Continue(()),
                    Err(_) => ControlFlow::Break(()),
                }
            });
            if !batch.is_empty() {
                let _ = send.send(batch);
            }
        });
        in_order(
            batches,
            |batch| {
                let runs: Vec<(Vec<Outcome<T>>, Vec<u8>)> = batch
                    .par_chunks(RUN)
                    .map(|run| read_run(run, max_bytes, &new_scratch, &work))
                    .collect();
                (batch, runs)
            },
            |(batch, runs)| {
                for (entries, (outcomes, bytes)) in batch.chunks(RUN).zip(runs) {
                    for (entry, outcome) in entries.iter().zip(outcomes) {
                        if let Entry::File { input, .. } = entry {
                            files[*input] += 1;
                        }
                        match (outcome, entry) {
                            (Outcome::Done(notes, value), Entry::File { path, input, .. }) => {
                                documents[*input] += 1;
                                let source = source_name(path);
                                for note in notes {
                                    super::report("note", format!("{source}: {note}"));
                                }
                                emit(&source, value)?;
                            }
                            (Outcome::Skipped(source, reason), _) => {
                                super::report("note", format!("{source}: {reason}"))
                            }
                            (Outcome::Failed(message), _) => {
                                failed = true;
                                super::report("error", message);
                            }
                            (Outcome::Done(..), _) => unreachable!("only files are read"),
                        }
                    }
                    write(&bytes)?;
                }
                flush()?;
                // The walk's entries are freed on a worker, not on this thread, which the
                // next batch may be waiting for.
                rayon::spawn(move || drop(batch));
                Ok(())
            },
        )
    })?;
    for ((path, read), found) in paths.iter().zip(documents).zip(files) {
        // A directory with no file at all was already reported by the walk.
        if read == 0 && found > 0 && path.is_dir() {
            failed = true;
            super::report(
                "error",
                format!(
                    "{}: directory holds no text files to classify",
                    path.display()
                ),
            );
        }
    }
    Ok(failed)
}

/// The JSONL streams `paths` name: a file or `-` as it is, a directory as every `.jsonl` (or
/// `.ndjson`) file under it, recursively, in name order, hidden entries skipped. A directory
/// holding none, or one that cannot be walked, is reported on stderr; the flag says whether any
/// was.
pub fn jsonl_files(paths: &[PathBuf]) -> (Vec<PathBuf>, bool) {
    let mut files = Vec::new();
    let mut failed = false;
    for path in paths {
        if path.as_os_str() == "-" || !path.is_dir() {
            files.push(path.clone());
            continue;
        }
        let before = files.len();
        let walk = walkdir::WalkDir::new(path)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|entry| {
                entry.depth() == 0 || !entry.file_name().to_string_lossy().starts_with('.')
            });
        for entry in walk {
            match entry {
                Ok(entry) if entry.file_type().is_file() && is_jsonl(entry.path()) => {
                    files.push(entry.into_path())
                }
                Ok(_) => {}
                Err(error) => {
                    failed = true;
                    let at = error.path().unwrap_or(path).to_path_buf();
                    let message = match error.into_io_error() {
                        Some(io) => thematic::Error::io(at, io).to_string(),
                        None => format!("{}: symbolic link loop", at.display()),
                    };
                    super::report("error", message);
                }
            }
        }
        if files.len() == before {
            failed = true;
            super::report(
                "error",
                format!("{}: directory holds no .jsonl files", path.display()),
            );
        }
    }
    (files, failed)
}

/// Whether `path` is named as JSONL (`.jsonl`, `.ndjson`).
pub fn is_jsonl(path: &std::path::Path) -> bool {
    path.extension().is_some_and(|extension| {
        extension.eq_ignore_ascii_case("jsonl") || extension.eq_ignore_ascii_case("ndjson")
    })
}

/// Batches being worked on at once by [`in_order`].
const IN_FLIGHT: usize = 2;

/// Works on each batch from `batches` on rayon's threads (`work` may itself be parallel)
/// and passes the results to `emit` on this thread, in the batches' order. Up to
/// `IN_FLIGHT` batches are worked on at once, so a thread done with its share of one batch
/// goes on to the next instead of waiting for the batch's slowest part and for `emit`.
/// Batches already received are started without waiting; this thread waits for a new one
/// only when none is being worked on, so a producer that waits for each answer gets it at
/// once. Stops at the first error of `emit` (dropping `batches`, which tells the producer);
/// a panic in `work` is passed on.
pub fn in_order<B: Send, R: Send>(
    batches: Receiver<B>,
    work: impl Fn(B) -> R + Sync,
    mut emit: impl FnMut(R) -> Result<()>,
) -> Result<()> {
    rayon::in_place_scope(|tasks| {
        let work = &work;
        let mut in_flight = VecDeque::with_capacity(IN_FLIGHT);
        let mut open = true;
        loop {
            while open && in_flight.len() < IN_FLIGHT {
                let batch = if in_flight.is_empty() {
                    batches.recv().ok()
                } else {
                    match batches.try_recv() {
                        Ok(batch) => Some(batch),
                        Err(TryRecvError::Empty) => break,
                        Err(TryRecvError::Disconnected) => None,
                    }
                };
                let Some(batch) = batch else {
                    open = false;
                    break;
                };
                let (done, worked) = std::sync::mpsc::sync_channel(1);
                tasks.spawn(move |_| {
                    let _ = done.send(work(batch));
                });
                in_flight.push_back(worked);
            }
            // None left, or a task that panicked (the scope passes the panic on).
            let Some(Ok(result)) = in_flight.pop_front().map(|worked| worked.recv()) else {
                return Ok(());
            };
            emit(result)?;
        }
    })
}
