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

use super::decode::{decode, source_name, FileText, FIRST_READ};
use super::walk::{file_name, Directory};

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
pub(super) const SLOTS: usize = 64;

/// Distance between two files' places in the read buffer: room for one first read, plus one
/// cache line so that the files' starts do not all fall in the same cache sets.
const STRIDE: usize = FIRST_READ as usize + 64;

/// A thread's ring, if the kernel gives one (it may be disabled, or refused by a sandbox).
pub(super) struct Ring {
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
    pub(super) end_reads: usize,
}

/// What the ring did for one file.
pub(super) enum Read {
    /// The file's whole contents.
    Whole(FileText),
    /// Not read this way: use the one-file path.
    Elsewhere,
}

impl Ring {
    pub(super) fn new() -> Option<Ring> {
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
    pub(super) fn read(&mut self, files: &[(&Path, &Directory)]) -> Vec<Read> {
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
            self.names.extend_from_slice(file_name(path));
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
        // (see [`short_reads_end`]).
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
        // only at the end of a file or at an error (see [`short_reads_end`]).
        requests.clear();
        // SAFETY: the last byte of the buffer, after every slot's place.
        let end_byte = unsafe { buffer.add(SLOTS * STRIDE) };
        let mut end_results = vec![[i32::MIN; 2]; files.len()];
        let mut ended = vec![false; files.len()];
        for (slot, &[opened, read]) in results.iter().enumerate() {
            if opened < 0 {
                continue;
            }
            ended[slot] = read == 0 || (read % PAGE != 0 && short_reads_end(files[slot].1));
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

/// Whether a read from the start of a regular file in `directory`, on the directory's own
/// filesystem (not one reached through a symbolic link or a mount point), that returns fewer
/// bytes than asked, and not a multiple of 4 KiB (the smallest page size), read the whole file.
pub(super) fn short_reads_end(directory: &Directory) -> bool {
    short_read_is_end(directory.filesystem())
}

/// Whether a filesystem (by its `statfs` type) reads regular files through the page cache, a
/// page at a time, and returns fewer bytes than asked only at the end of the file or where an
/// error stopped it, which is at a page boundary. The local disk and memory filesystems:
/// ext2/3/4, XFS, Btrfs, tmpfs. Network, FUSE and pseudo filesystems (`/proc`) may return
/// less at any point, and are not listed.
fn short_read_is_end(filesystem: u32) -> bool {
    const EXT4: u32 = 0xEF53;
    const XFS: u32 = 0x5846_5342;
    const BTRFS: u32 = 0x9123_683E;
    const TMPFS: u32 = 0x0102_1994;
    matches!(filesystem, EXT4 | XFS | BTRFS | TMPFS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_page_cache_filesystems_end_reads_short() {
        for (name, magic) in [
            ("ext4", 0xEF53),
            ("xfs", 0x5846_5342),
            ("tmpfs", 0x0102_1994),
        ] {
            assert!(short_read_is_end(magic), "{name}");
        }
        for (name, magic) in [
            ("proc", 0x9FA0),
            ("nfs", 0x6969),
            ("fuse", 0x6573_5546),
            ("overlay", 0x794C_7630),
        ] {
            assert!(!short_read_is_end(magic), "{name}");
        }
        if Path::new("/proc/self").is_dir() {
            assert!(!short_reads_end(&Directory::new(Path::new("/proc/self"))));
        }
    }
}
