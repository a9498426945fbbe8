//! Reading documents: [`read_entries`] reads the files a walk found, in order, many small
//! ones at a time (with io_uring where the kernel allows, see [`use_uring`]);
//! [`read_text_file`], [`read_named_file`], [`read_walked_file`] and [`read_stdin`] read one.

use std::collections::VecDeque;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};

use super::decode::{read_document, source_name, FileText, FIRST_READ};
use super::walk::{is_named_stream, Directory, Entry, NOT_REGULAR};
use crate::error::{Error, Result};
use crate::open::{open_to_read, Opened};

/// Reads the file at `path` as text (see [`decode`](super::decode::decode)), at most
/// `max_bytes` of it (a note says when the rest was left unread). It is opened without
/// waiting (see `open::open_to_read`): a FIFO, device or directory found there is skipped,
/// never waited on.
///
/// # Errors
/// [`Error::Io`] naming the file if it cannot be opened or read.
pub fn read_text_file(path: &Path, max_bytes: u64) -> Result<FileText> {
    read_opened(path, open_to_read(path), max_bytes)
}

/// Reads a path named on the command line: as [`read_text_file`], except that a FIFO or a
/// character device (`<(cmd)`, `/dev/stdin`) is read too, as standard input is: waiting for its
/// data, at most `max_bytes`. A person who names one means it to be read; a walk never reads one
/// (see [`super::walk_files`]).
///
/// # Errors
/// [`Error::Io`] naming the path if it cannot be opened or read.
pub fn read_named_file(path: &Path, max_bytes: u64) -> Result<FileText> {
    if is_named_stream(path) {
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        return read_document(&source_name(path), file, max_bytes).map_err(|e| Error::io(path, e));
    }
    read_text_file(path, max_bytes)
}

/// Reads the file at `path`, found by a walk in `directory` (see [`Entry::File`]), as
/// [`read_text_file`] does, but opened relative to the directory where the system allows it.
///
/// # Errors
/// [`Error::Io`] naming the file if it cannot be opened or read.
pub fn read_walked_file(path: &Path, directory: &Directory, max_bytes: u64) -> Result<FileText> {
    let opened = directory.open(path).map_or_else(|| open_to_read(path), Ok);
    read_opened(path, opened, max_bytes)
}

/// The document in the file at `path`, just `opened`; errors name the file.
fn read_opened(path: &Path, opened: std::io::Result<Opened>, max_bytes: u64) -> Result<FileText> {
    match opened {
        Ok(Opened::File(file, _)) => read_document(&source_name(path), file, max_bytes),
        Ok(Opened::Directory) => Ok(FileText::Skipped("a directory, skipped".into())),
        Ok(Opened::Special) => Ok(FileText::Skipped(NOT_REGULAR.into())),
        Err(e) => Err(e),
    }
    .map_err(|e| Error::io(path, e))
}

/// Reads standard input as one document, at most `max_bytes` of it.
///
/// # Errors
/// [`Error::Io`] if standard input cannot be read.
pub fn read_stdin(max_bytes: u64) -> Result<FileText> {
    read_document("-", std::io::stdin().lock(), max_bytes).map_err(|e| Error::io("-", e))
}

/// Files read ahead together (see [`read_entries`]).
const READ_AHEAD_FILES: usize = 64;

/// Most bytes of file text that [`read_entries`] holds read ahead: only files that fit one
/// first read (16 KiB) are read ahead, a run of at most 64 at a time.
pub const READ_AHEAD_BYTES: u64 = READ_AHEAD_FILES as u64 * FIRST_READ;

/// Whether walked files may be read ahead with io_uring (see [`use_uring`]).
static URING: AtomicBool = AtomicBool::new(true);

/// Turns reading ahead with io_uring on or off for the whole process (it is on unless turned
/// off): off, every file is read on its own, by the path a file named on the command line is
/// read by. What is read is the same either way; only the system calls differ. Builds
/// without the `uring` feature, and systems other than Linux, never use io_uring.
pub fn use_uring(on: bool) {
    URING.store(on, Relaxed);
}

/// What reading one [`Entry`] of a walk gave, as [`read_entries`] hands it out.
#[derive(Debug)]
pub enum EntryRead<'a> {
    /// A file: its text, or why it could not be read.
    File {
        /// The file's path (`-` for standard input).
        path: &'a Path,
        /// The index of the input path it was found under.
        input: usize,
        /// What reading it gave.
        text: Result<FileText>,
    },
    /// A path that failed in the walk.
    Failed(&'a Error),
    /// Something the walk skipped, and why.
    Skipped {
        /// Its path.
        path: &'a Path,
        /// Why it is skipped.
        reason: &'a str,
    },
}

/// Reads the files of walk `entries`, in order, each as the returned [`EntryReads`] is asked
/// for it, at most `max_bytes` of each: `-` as standard input ([`read_stdin`]), a named file
/// as [`read_named_file`] reads it, a file found in a directory as [`read_walked_file`] does.
/// On Linux, a run of small walked files is read ahead with a few system calls for the whole
/// run where the kernel allows it (see [`use_uring`]); every other file is read only when its
/// turn comes. So the bytes held at once are at most [`READ_AHEAD_BYTES`] of small files and
/// the one file being handed out (at most `max_bytes`), however many large files there are:
/// reading them all before handing any out held 4 GB for 64 files of 64 MB.
pub fn read_entries(entries: &[Entry], max_bytes: u64) -> EntryReads<'_> {
    EntryReads {
        entries,
        next: 0,
        ahead: VecDeque::new(),
        max_bytes,
    }
}

/// The entries given to [`read_entries`], each read (or taken from what was read ahead) as it
/// is asked for, in order.
#[derive(Debug)]
pub struct EntryReads<'a> {
    entries: &'a [Entry],
    /// The index in `entries` of the next entry to hand out.
    next: usize,
    /// What was read ahead for the walked files from `next` on, one item a walked file
    /// (`None`: read the file when asked); empty when the next run is still to be read ahead.
    ahead: VecDeque<Option<FileText>>,
    max_bytes: u64,
}

impl EntryReads<'_> {
    /// Bytes of file text read ahead and not handed out yet (at most [`READ_AHEAD_BYTES`]).
    pub fn bytes_ahead(&self) -> u64 {
        self.ahead
            .iter()
            .map(|read| match read {
                Some(FileText::Text(doc)) => doc.text.len() as u64,
                _ => 0,
            })
            .sum()
    }
}

impl<'a> Iterator for EntryReads<'a> {
    type Item = EntryRead<'a>;

    fn next(&mut self) -> Option<EntryRead<'a>> {
        let entry = self.entries.get(self.next)?;
        self.next += 1;
        Some(match entry {
            Entry::Failed(error) => EntryRead::Failed(error),
            Entry::Skipped { path, reason } => EntryRead::Skipped { path, reason },
            Entry::File {
                path,
                input,
                directory,
            } => {
                let text = match directory {
                    Some(directory) => {
                        if self.ahead.is_empty() {
                            let run: Vec<(&Path, &Directory)> =
                                walked(&self.entries[self.next - 1..])
                                    .take(READ_AHEAD_FILES)
                                    .collect();
                            self.ahead = read_ahead(&run, self.max_bytes).into();
                        }
                        match self.ahead.pop_front().flatten() {
                            Some(text) => Ok(text),
                            None => read_walked_file(path, directory, self.max_bytes),
                        }
                    }
                    None if path.as_os_str() == "-" => read_stdin(self.max_bytes),
                    None => read_named_file(path, self.max_bytes),
                };
                EntryRead::File {
                    path,
                    input: *input,
                    text,
                }
            }
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.entries.len() - self.next;
        (left, Some(left))
    }
}

impl ExactSizeIterator for EntryReads<'_> {}

/// The files of `entries` found in directories, with their directories.
fn walked(entries: &[Entry]) -> impl Iterator<Item = (&Path, &Directory)> {
    entries.iter().filter_map(|entry| match entry {
        Entry::File {
            path,
            directory: Some(directory),
            ..
        } => Some((path.as_path(), directory)),
        _ => None,
    })
}

/// Reads ahead what it can of `files` (at most [`READ_AHEAD_FILES`]): one item a file, `None`
/// for a file to be read on its own.
fn read_ahead(files: &[(&Path, &Directory)], max_bytes: u64) -> Vec<Option<FileText>> {
    #[cfg(all(target_os = "linux", feature = "uring"))]
    if max_bytes >= FIRST_READ && URING.load(Relaxed) {
        use super::uring::{Read, Ring};
        thread_local! {
            // Each thread's own ring (if the kernel gives one), set up at its first files.
            static RING: std::cell::RefCell<Option<Ring>> = std::cell::RefCell::new(Ring::new());
        }
        let reads = RING.with_borrow_mut(|ring| ring.as_mut().map(|ring| ring.read(files)));
        if let Some(reads) = reads {
            return reads
                .into_iter()
                .map(|read| match read {
                    Read::Whole(text) => Some(text),
                    Read::Elsewhere => None,
                })
                .collect();
        }
    }
    let _ = max_bytes;
    files.iter().map(|_| None).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::walk::collect_files;

    /// What [`read_entries`] gives for each file of `entries` (every entry must be one).
    fn read_files(entries: &[Entry], max_bytes: u64) -> Vec<Result<FileText>> {
        read_entries(entries, max_bytes)
            .map(|read| match read {
                EntryRead::File { text, .. } => text,
                other => panic!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn walked_files_read_through_their_directories_as_by_path() {
        let root = tempfile::tempdir().unwrap();
        let nested = root.path().join("a").join("b");
        std::fs::create_dir_all(&nested).unwrap();
        std::fs::write(root.path().join("top.txt"), "top level").unwrap();
        std::fs::write(root.path().join("a").join("z.txt"), "after b in name order").unwrap();
        std::fs::write(nested.join("deep.txt"), "two levels down").unwrap();
        let named = root.path().join("top.txt");
        let entries = collect_files(&[root.path().to_path_buf(), named.clone()]);
        let mut read = Vec::new();
        for entry in &entries {
            let Entry::File {
                path, directory, ..
            } = entry
            else {
                panic!("{entry:?}");
            };
            let text = match directory {
                Some(directory) => read_walked_file(path, directory, u64::MAX),
                None => {
                    assert_eq!(path, &named, "only a named file has no directory");
                    read_text_file(path, u64::MAX)
                }
            };
            match text.unwrap() {
                FileText::Text(doc) => {
                    assert_eq!(doc.text, std::fs::read_to_string(path).unwrap());
                    read.push(doc.text);
                }
                FileText::Skipped(reason) => panic!("{reason}"),
            }
        }
        assert_eq!(
            read,
            [
                "two levels down",
                "after b in name order",
                "top level",
                "top level"
            ]
        );
        // A file that went away after the walk is an error naming it, as when named.
        let gone = nested.join("deep.txt");
        std::fs::remove_file(&gone).unwrap();
        let Entry::File {
            directory: Some(directory),
            ..
        } = &entries[0]
        else {
            panic!("{:?}", entries[0]);
        };
        let error = read_walked_file(&gone, directory, u64::MAX).unwrap_err();
        assert!(error.to_string().contains("deep.txt"), "{error}");
    }

    /// The files of walk `entries`, each with its directory (every entry must be one).
    fn walked_files(entries: &[Entry]) -> Vec<(&Path, &Directory)> {
        entries
            .iter()
            .map(|entry| match entry {
                Entry::File {
                    path,
                    directory: Some(directory),
                    ..
                } => (path.as_path(), directory),
                other => panic!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn walked_files_read_together_as_one_by_one() {
        let root = tempfile::tempdir().unwrap();
        let sizes = [0, 1, 700, 9_000, FIRST_READ as usize, 40_000];
        for (i, size) in sizes.iter().enumerate() {
            let text: String = "word ".repeat(size / 5 + 1)[..*size].to_string();
            std::fs::write(root.path().join(format!("{i}.txt")), text).unwrap();
        }
        std::fs::write(root.path().join("x.bin"), b"\0\0").unwrap();
        let entries = collect_files(&[root.path().to_path_buf()]);
        let files = walked_files(&entries);
        std::fs::remove_file(root.path().join("2.txt")).unwrap();
        // Limits below, at and above the ring's buffer, and one that cuts every file.
        for max_bytes in [100, 8_000, FIRST_READ, u64::MAX] {
            let together = read_files(&entries, max_bytes);
            for ((path, directory), ours) in files.iter().zip(together) {
                let alone = read_walked_file(path, directory, max_bytes);
                assert_eq!(
                    format!("{ours:?}"),
                    format!("{alone:?}"),
                    "{path:?} {max_bytes}"
                );
            }
        }
    }

    /// Hostile-input issue, item 4: only files that fit one first read are read ahead; every
    /// larger file is read when its turn comes, one at a time, so what a run of walked files
    /// holds is the read-ahead budget and one file, not every file of the run.
    #[test]
    fn large_walked_files_are_read_one_at_a_time_when_their_turn_comes() {
        let root = tempfile::tempdir().unwrap();
        let large = 3 * FIRST_READ as usize;
        // Large and small files in turn, over more than one run of read-ahead.
        let count = 2 * READ_AHEAD_FILES + 5;
        let is_large = |i: usize| i % 3 == 0;
        for i in 0..count {
            let text = if is_large(i) {
                "old ".repeat(large / 4)
            } else {
                format!("small file {i}")
            };
            std::fs::write(root.path().join(format!("{i:03}.txt")), text).unwrap();
        }
        let entries = collect_files(&[root.path().to_path_buf()]);
        let files = walked_files(&entries);
        assert_eq!(files.len(), count);
        let mut reads = read_entries(&entries, u64::MAX);
        let mut most_ahead = 0;
        for (i, (path, _)) in files.iter().enumerate() {
            // Rewritten after the reading started, before its turn: read at its turn, a large
            // file has the new text (read ahead, it would have the old).
            if is_large(i) {
                std::fs::write(path, "new ".repeat(large / 4)).unwrap();
            }
            let EntryRead::File { text, .. } = reads.next().unwrap() else {
                panic!("{path:?} is a file");
            };
            let text = match text.unwrap() {
                FileText::Text(doc) => doc.text,
                FileText::Skipped(reason) => panic!("{path:?}: {reason}"),
            };
            if is_large(i) {
                assert!(text.starts_with("new ") && text.len() == large, "{path:?}");
            } else {
                assert_eq!(text, format!("small file {i}"));
            }
            most_ahead = most_ahead.max(reads.bytes_ahead());
        }
        assert!(reads.next().is_none());
        assert!(
            most_ahead <= READ_AHEAD_BYTES,
            "{most_ahead} bytes read ahead"
        );
        // The small files are still read ahead together, where the kernel gives a ring.
        #[cfg(all(target_os = "linux", feature = "uring"))]
        if super::super::uring::Ring::new().is_some() {
            assert!(most_ahead > 0);
        }
    }

    /// Hostile-input issue, item 7: a walked file replaced by a FIFO (or a directory) before
    /// it is read is skipped with a note, never waited on, whether or not a writer holds the
    /// FIFO open; the files around it are read, by the ring and one by one alike.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_walked_file_replaced_by_a_fifo_is_skipped_not_waited_on() {
        for writer in [false, true] {
            let root = tempfile::tempdir().unwrap();
            for name in ["a.txt", "fifo.txt", "dir.txt", "z.txt"] {
                std::fs::write(root.path().join(name), format!("text of {name}")).unwrap();
            }
            let entries = collect_files(&[root.path().to_path_buf()]);
            let fifo = root.path().join("fifo.txt");
            std::fs::remove_file(&fifo).unwrap();
            crate::open::tests::mkfifo(&fifo);
            std::fs::remove_file(root.path().join("dir.txt")).unwrap();
            std::fs::create_dir(root.path().join("dir.txt")).unwrap();
            // A writer that never writes: a blocking read would wait for its data.
            let held = writer.then(|| {
                use std::os::unix::fs::OpenOptionsExt;
                std::fs::OpenOptions::new()
                    .read(true)
                    .write(true)
                    .custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32)
                    .open(&fifo)
                    .unwrap()
            });
            // On a thread of its own, so that a read that waits fails the test, not hangs it.
            let (done, reads) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                let files = walked_files(&entries);
                let together = read_files(&entries, u64::MAX);
                let alone = files
                    .iter()
                    .map(|(path, directory)| read_walked_file(path, directory, u64::MAX));
                let named = files.iter().map(|(path, _)| read_text_file(path, u64::MAX));
                let _ = done.send([together, alone.collect(), named.collect()]);
            });
            let reads = reads
                .recv_timeout(std::time::Duration::from_secs(60))
                .unwrap_or_else(|_| panic!("reading waited on the FIFO (writer: {writer})"));
            for read in reads {
                let read: Vec<String> = read
                    .into_iter()
                    .map(|read| match read.unwrap() {
                        FileText::Text(doc) => doc.text,
                        FileText::Skipped(reason) => reason,
                    })
                    .collect();
                assert_eq!(
                    read,
                    [
                        "text of a.txt",
                        "a directory, skipped",
                        NOT_REGULAR,
                        "text of z.txt"
                    ],
                    "writer: {writer}"
                );
            }
            drop(held);
        }
    }

    #[cfg(all(target_os = "linux", feature = "uring"))]
    /// Files of every size around the one-read buffer, and more of them than a run holds.
    fn ring_tree() -> tempfile::TempDir {
        let root = tempfile::tempdir().unwrap();
        let first = FIRST_READ as usize;
        let slots = super::super::uring::SLOTS;
        for (name, size) in [
            ("empty", 0),
            ("one", 1),
            ("page", 4096),
            ("page-and-a-bit", 5000),
            ("two-pages", 8192),
            ("short", first - 1),
            ("exact", first),
            ("long", first + 1),
            ("longer", 3 * first + 17),
        ] {
            let text: String = (0..size).map(|i| (b'a' + (i % 26) as u8) as char).collect();
            std::fs::write(root.path().join(name), text).unwrap();
        }
        std::fs::write(root.path().join("binary"), b"ab\0cd").unwrap();
        // Followed by the walk, but not opened by the ring (the one-file path reads it).
        std::os::unix::fs::symlink(root.path().join("one"), root.path().join("link")).unwrap();
        std::fs::write(root.path().join("latin1"), b"caf\xe9").unwrap();
        for i in 0..2 * slots + 5 {
            std::fs::write(root.path().join(format!("n{i:03}")), format!("note {i}")).unwrap();
        }
        root
    }

    #[cfg(all(target_os = "linux", feature = "uring"))]
    fn text(read: &FileText) -> (&str, &[String]) {
        match read {
            FileText::Text(doc) => (&doc.text, &doc.notes),
            FileText::Skipped(reason) => (reason, &[]),
        }
    }

    #[cfg(all(target_os = "linux", feature = "uring"))]
    #[test]
    fn the_ring_reads_small_files_as_the_one_file_path_does_and_leaves_the_rest() {
        use super::super::uring::{short_reads_end, Read, Ring, SLOTS};
        let Some(mut ring) = Ring::new() else {
            eprintln!("io_uring is not available here: nothing to compare");
            return;
        };
        let root = ring_tree();
        let entries = collect_files(&[root.path().to_path_buf()]);
        let files = walked_files(&entries);
        // A file removed after the walk: the ring leaves it to the one-file path.
        std::fs::remove_file(root.path().join("n007")).unwrap();
        let reads = ring.read(&files);
        assert_eq!(reads.len(), files.len());
        for ((path, directory), read) in files.iter().zip(&reads) {
            let name = path.file_name().unwrap().to_str().unwrap();
            let expected = read_walked_file(path, directory, u64::MAX);
            match read {
                Read::Whole(ours) => {
                    let expected = expected.unwrap();
                    assert_eq!(text(ours), text(&expected), "{name}");
                    if let (FileText::Text(ours), FileText::Text(expected)) = (ours, &expected) {
                        assert_eq!(ours.source, expected.source);
                    }
                }
                Read::Elsewhere => assert!(
                    ["empty", "exact", "link", "long", "longer", "n007"].contains(&name),
                    "{name} should have been read by the ring"
                ),
            }
        }
        let elsewhere = reads.iter().filter(|r| matches!(r, Read::Elsewhere));
        assert_eq!(elsewhere.count(), 6);
        // Reads made only to find a file's end: where the filesystem's short reads end files,
        // for the short reads that stop at a page boundary ("page", "two-pages"); elsewhere,
        // for every non-empty file the ring read short ("one", "page", "page-and-a-bit",
        // "two-pages", "short", "binary", "latin1" and the notes but the one removed).
        let expected = if short_reads_end(files[0].1) {
            2
        } else {
            7 + 2 * SLOTS + 4
        };
        assert_eq!(ring.end_reads, expected);
    }
}
