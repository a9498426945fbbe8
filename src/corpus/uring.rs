//! Reading many small walked files with few system calls: each file's open, read and close
//! go to the kernel as io_uring requests, two calls for a run of up to 64 files (open and
//! read; then close, with one more read where it takes one to be sure a file has ended)
//! instead of four calls a file. Only the common case is taken this way (a file that is the
//! directory's own entry, not a symbolic link or a mount point, opened relative to the
//! directory's handle and read whole in one buffer, not empty); anything else, an error
//! included, is left to the one-file path, which then reads it (or reports it) exactly as it
//! would have anyway.
//!
//! A file replaced by a FIFO (or a device) after the walk is never waited on: it is opened
//! non-blocking, an empty read is left to the one-file path (which checks the type of what it
//! opens and skips anything but a regular file), and a run's requests are waited for at most
//! [`PATIENCE`] before those still in flight are cancelled and left to the one-file path too.
//! The ring cannot ask a direct descriptor its type without a request the kernel always runs
//! on a worker thread, so bytes a FIFO's writer has already written are read as the file's.

use std::path::Path;

use io_uring::{opcode, squeue, types, IoUring};
use rustix::fs::ResolveFlags;

use super::documents::{decode, source_name, Directory, FileText, FIRST_READ};

/// The smallest page size. Files are read from their start, and a read that an error cuts
/// short stops at a page boundary: one that stops elsewhere stopped at the file's end.
const PAGE: i32 = 4096;

/// Longest wait for a run's requests: reads of a regular file take far less; a FIFO put in a
/// walked file's place may never answer. What is still in flight after it is cancelled (and
/// left to the one-file path, which reads it however long that takes).
const PATIENCE: std::time::Duration = std::time::Duration::from_secs(1);

/// User data of the request that cancels a run's requests (the others are `2 * slot + k`).
const CANCEL: u64 = u64::MAX;

/// Files read per submission: the ring's registered descriptor slots.
const SLOTS: usize = super::documents::READ_AHEAD_FILES;

/// Distance between two files' places in the read buffer: room for one first read, plus one
/// cache line so that the files' starts do not all fall in the same cache sets.
const STRIDE: usize = FIRST_READ as usize + 64;

/// A thread's ring, if the kernel gives one (it may be disabled, or refused by a sandbox).
pub(crate) struct Ring {
    ring: IoUring,
    /// Where the kernel reads a run's files to (`STRIDE` bytes each, then one byte for the
    /// reads that find their ends); reused for every run.
    buffer: Box<[u8]>,
    /// The run's file names, each ending in NUL, for the kernel to read.
    names: Vec<u8>,
    /// Whether a submission failed (see [`Ring::abandon`]).
    broken: bool,
    /// Whether opens ask not to update access times; dropped after the first refusal (files
    /// of other users), as the one-file path does file by file.
    noatime: bool,
    /// Reads made only to find a file's end (for the tests).
    end_reads: usize,
}

/// What the ring did for one file.
pub(crate) enum Read {
    /// The file's whole contents.
    Whole(FileText),
    /// Not read this way: use the one-file path.
    Elsewhere,
}

impl Ring {
    pub(crate) fn new() -> Option<Ring> {
        let ring = IoUring::new(4 * SLOTS as u32).ok()?;
        // Waiting with a timeout (see `PATIENCE`) needs the extended arguments of Linux 5.11.
        if !ring.params().is_feature_ext_arg() {
            return None;
        }
        ring.submitter().register_files_sparse(SLOTS as u32).ok()?;
        Some(Ring {
            ring,
            buffer: vec![0; SLOTS * STRIDE + 1].into_boxed_slice(),
            names: Vec::new(),
            broken: false,
            noatime: true,
            end_reads: 0,
        })
    }

    /// Reads each of `files` (path, directory handle) found by a walk, or leaves it to the
    /// one-file path.
    pub(crate) fn read(&mut self, files: &[(&Path, &Directory)]) -> Vec<Read> {
        let mut out = Vec::with_capacity(files.len());
        for run in files.chunks(SLOTS) {
            if self.broken || !self.read_run(run, &mut out) {
                out.extend(run.iter().map(|_| Read::Elsewhere));
            }
        }
        out
    }

    /// Reads a run of at most `SLOTS` files onto `out`; false (nothing added) if the ring
    /// failed.
    fn read_run(&mut self, files: &[(&Path, &Directory)], out: &mut Vec<Read>) -> bool {
        use std::os::fd::AsRawFd;
        // NUL-terminated names, then their addresses (`names` no longer grows).
        let mut starts = Vec::with_capacity(files.len());
        self.names.clear();
        for (path, _) in files {
            starts.push(self.names.len());
            self.names
                .extend_from_slice(super::documents::file_name(path));
            self.names.push(0);
        }
        let mut results = vec![[i32::MIN; 2]; files.len()];
        // Direct descriptors have no close-on-exec flag (the kernel refuses it: they are not
        // in the process's table).
        let flags = rustix::fs::OFlags::RDONLY
            | rustix::fs::OFlags::NONBLOCK
            | if self.noatime {
                rustix::fs::OFlags::NOATIME
            } else {
                rustix::fs::OFlags::empty()
            };
        // Only the directory's own entries: no symbolic link, no other filesystem mounted on
        // the way (the one-file path opens those), so the directory's filesystem is the file's
        // (see `Directory::short_reads_end`).
        let how = types::OpenHow::new()
            .flags(u64::from(flags.bits()))
            .resolve((ResolveFlags::NO_SYMLINKS | ResolveFlags::NO_XDEV).bits());
        // First: open each file into its slot, then read its first buffer.
        let mut requests = Vec::with_capacity(2 * files.len());
        let buffer = self.buffer.as_mut_ptr();
        for (slot, (_, directory)) in files.iter().enumerate() {
            let Some(dir) = directory.raw() else {
                continue;
            };
            let name = self.names[starts[slot]..].as_ptr().cast();
            let target = types::DestinationSlot::try_from_slot_target(slot as u32)
                .expect("slot within the registered table");
            requests.push(
                opcode::OpenAt2::new(types::Fd(dir.as_raw_fd()), name, &how)
                    .file_index(Some(target))
                    .build()
                    .flags(squeue::Flags::IO_LINK)
                    .user_data((slot * 2) as u64),
            );
            requests.push(
                opcode::Read::new(
                    types::Fixed(slot as u32),
                    // SAFETY: slot < SLOTS: its place is within the buffer.
                    unsafe { buffer.add(slot * STRIDE) },
                    FIRST_READ as u32,
                )
                .offset(0)
                .build()
                .user_data((slot * 2 + 1) as u64),
            );
        }
        if !self.submit(&requests, &mut results) {
            return false;
        }
        // Then: read once more where the first read ended short (nothing more means the end,
        // as for any reader), and close every file opened. That read is not needed where the
        // first one stopped short of a page boundary, on a filesystem whose reads stop short
        // only at the end of a file or at an error (see `Directory::short_reads_end`).
        requests.clear();
        // SAFETY: the last byte of the buffer, after every slot's place.
        let end_byte = unsafe { buffer.add(SLOTS * STRIDE) };
        let mut end_results = vec![[i32::MIN; 2]; files.len()];
        let mut ended = vec![false; files.len()];
        for (slot, &[opened, read]) in results.iter().enumerate() {
            if opened < 0 {
                continue;
            }
            ended[slot] = read == 0 || (read % PAGE != 0 && files[slot].1.short_reads_end());
            if !ended[slot] && read > 0 && (read as u64) < FIRST_READ {
                self.end_reads += 1;
                requests.push(
                    opcode::Read::new(types::Fixed(slot as u32), end_byte, 1)
                        .offset(read as u64)
                        .build()
                        .flags(squeue::Flags::IO_HARDLINK)
                        .user_data((slot * 2) as u64),
                );
            }
            requests.push(
                opcode::Close::new(types::Fixed(slot as u32))
                    .build()
                    .user_data((slot * 2 + 1) as u64),
            );
        }
        if !self.submit(&requests, &mut end_results) {
            return false;
        }
        for (slot, ((path, _), ([opened, read], [end, _]))) in files
            .iter()
            .zip(results.into_iter().zip(end_results))
            .enumerate()
        {
            if opened == -(rustix::io::Errno::PERM.raw_os_error()) {
                self.noatime = false;
            }
            let whole = opened >= 0 && read > 0 && (ended[slot] || end == 0);
            if whole && (read as u64) < FIRST_READ {
                let at = slot * STRIDE;
                let bytes = self.buffer[at..at + read as usize].to_vec();
                out.push(Read::Whole(decode(&source_name(path), bytes)));
            } else {
                out.push(Read::Elsewhere);
            }
        }
        true
    }

    /// Gives up the buffers after a failed submission (requests may still use them): they are
    /// leaked, never freed, and this thread reads file by file from now on.
    fn abandon(&mut self) {
        std::mem::forget(std::mem::take(&mut self.buffer));
        std::mem::forget(std::mem::take(&mut self.names));
        self.broken = true;
    }

    /// Submits `requests` and waits for all of them; each result lands in `results` by its
    /// user data (file `n`'s two requests are `2n` and `2n + 1`). False if the ring failed:
    /// requests may still be in flight, so the ring is abandoned.
    fn submit(&mut self, requests: &[squeue::Entry], results: &mut [[i32; 2]]) -> bool {
        if requests.is_empty() {
            return true;
        }
        // SAFETY: every address in the requests is in `self.buffer` or `self.names`, which
        // outlive the requests: this waits for all of them, and the caller leaks both if it
        // cannot. The opens also point to the caller's `OpenHow`, which the kernel copies when
        // it takes each open in: within the calls below, while the caller still holds it (and
        // after a failure, nothing is submitted again).
        if unsafe { self.ring.submission().push_multiple(requests) }.is_err() {
            self.abandon();
            return false;
        }
        let mut pending = requests.len();
        let patience = types::Timespec::from(PATIENCE);
        let mut cancelled = false;
        while pending > 0 {
            let waited = if cancelled {
                self.ring.submit_and_wait(pending)
            } else {
                let args = types::SubmitArgs::new().timespec(&patience);
                self.ring.submitter().submit_with_args(pending, &args)
            };
            match waited {
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) if e.raw_os_error() == Some(rustix::io::Errno::TIME.raw_os_error()) => {
                    // Something waits (a FIFO, most likely): cancel what is still in flight.
                    let cancel = opcode::AsyncCancel2::new(types::CancelBuilder::any())
                        .build()
                        .user_data(CANCEL);
                    // SAFETY: a cancel request holds no address.
                    if unsafe { self.ring.submission().push(&cancel) }.is_err() {
                        self.abandon();
                        return false;
                    }
                    cancelled = true;
                    pending += 1;
                    continue;
                }
                Err(_) => {
                    self.abandon();
                    return false;
                }
            }
            let mut cancel_failed = false;
            for done in self.ring.completion() {
                pending -= 1;
                let id = done.user_data();
                if id == CANCEL {
                    // Nothing left to cancel is fine; a kernel that cannot cancel (before
                    // 5.19) would leave this waiting.
                    cancel_failed = done.result() < 0
                        && done.result() != -rustix::io::Errno::NOENT.raw_os_error();
                } else {
                    results[id as usize / 2][id as usize % 2] = done.result();
                }
            }
            if cancel_failed {
                self.abandon();
                return false;
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::documents::tests::walked;
    use crate::corpus::{collect_files, read_walked_file};

    /// Files of every size around the one-read buffer, and more of them than a run holds.
    fn tree() -> tempfile::TempDir {
        let root = tempfile::tempdir().unwrap();
        let first = FIRST_READ as usize;
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
        for i in 0..2 * SLOTS + 5 {
            std::fs::write(root.path().join(format!("n{i:03}")), format!("note {i}")).unwrap();
        }
        root
    }

    fn text(read: &FileText) -> (&str, &[String]) {
        match read {
            FileText::Text(doc) => (&doc.text, &doc.notes),
            FileText::Skipped(reason) => (reason, &[]),
        }
    }

    #[test]
    fn the_ring_reads_small_files_as_the_one_file_path_does_and_leaves_the_rest() {
        let Some(mut ring) = Ring::new() else {
            eprintln!("io_uring is not available here: nothing to compare");
            return;
        };
        let root = tree();
        let entries = collect_files(&[root.path().to_path_buf()]);
        let files = walked(&entries);
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
        let expected = if files[0].1.short_reads_end() {
            2
        } else {
            7 + 2 * SLOTS + 4
        };
        assert_eq!(ring.end_reads, expected);
    }
}
