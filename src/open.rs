//! Opening a file to read it without ever waiting on it: [`open_to_read`] opens without
//! blocking and says, from the opened file itself, whether it is a regular file ([`Opened`]).
//! Documents and model files are opened this way: a path checked as a regular file can be
//! replaced by a FIFO before it is opened, and opening a FIFO for reading waits for a writer.

use std::fs::File;
use std::path::Path;

/// What opening a path to read it found.
#[derive(Debug)]
pub(crate) enum Opened {
    /// A regular file, open for reading, with its metadata.
    File(File, std::fs::Metadata),
    /// A directory.
    Directory,
    /// A FIFO, socket or device: not read (a read could wait for ever, or never end).
    Special,
}

/// Opens `path` to read it without waiting: opening a FIFO does not wait for a writer (on
/// Linux the descriptor is non-blocking, which reads of a regular file ignore), and the opened
/// file's own type is checked, so what was checked is what will be read. On Linux the access
/// time is left alone where the kernel allows it (see [`open_to_read_at`]).
///
/// # Errors
/// The system's error if the path cannot be opened or the opened file described.
pub(crate) fn open_to_read(path: &Path) -> std::io::Result<Opened> {
    #[cfg(target_os = "linux")]
    return open_to_read_at(rustix::fs::CWD, path);
    #[cfg(not(target_os = "linux"))]
    describe(File::open(path)?)
}

/// [`open_to_read`] for `path` relative to `directory`. Non-blocking, and without updating
/// the file's access time: the access-time check and update are a part of each `open`, and
/// reading a directory of small files is mostly system calls. The kernel refuses that (EPERM)
/// for files of other users: those are opened plainly.
///
/// # Errors
/// As for [`open_to_read`].
#[cfg(target_os = "linux")]
pub(crate) fn open_to_read_at(
    directory: std::os::fd::BorrowedFd<'_>,
    path: &Path,
) -> std::io::Result<Opened> {
    use rustix::fs::{Mode, OFlags};
    let flags = OFlags::RDONLY | OFlags::CLOEXEC | OFlags::NONBLOCK;
    let opened = rustix::fs::openat(directory, path, flags | OFlags::NOATIME, Mode::empty())
        .or_else(|_| rustix::fs::openat(directory, path, flags, Mode::empty()))?;
    describe(File::from(opened))
}

/// What `file` is, asked of the open file (not of a path that may have changed since).
fn describe(file: File) -> std::io::Result<Opened> {
    let metadata = file.metadata()?;
    Ok(if metadata.is_file() {
        Opened::File(file, metadata)
    } else if metadata.is_dir() {
        Opened::Directory
    } else {
        Opened::Special
    })
}

#[cfg(all(test, target_os = "linux"))]
pub(crate) mod tests {
    use super::*;

    /// Makes a FIFO at `path`.
    pub(crate) fn mkfifo(path: &Path) {
        use rustix::fs::{FileType, Mode};
        rustix::fs::mknodat(
            rustix::fs::CWD,
            path,
            FileType::Fifo,
            Mode::from_raw_mode(0o600),
            0,
        )
        .unwrap();
    }

    #[test]
    fn fifos_and_directories_are_opened_without_waiting_and_told_apart() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        mkfifo(&fifo);
        let file = dir.path().join("file");
        std::fs::write(&file, "text").unwrap();
        let open = |path: &Path| open_to_read(path).unwrap();
        // No writer: a blocking open would wait here for ever.
        assert!(matches!(open(&fifo), Opened::Special));
        assert!(matches!(open(dir.path()), Opened::Directory));
        assert!(matches!(open(Path::new("/dev/null")), Opened::Special));
        let Opened::File(mut opened, metadata) = open(&file) else {
            panic!("a regular file");
        };
        assert_eq!(metadata.len(), 4);
        let mut text = String::new();
        std::io::Read::read_to_string(&mut opened, &mut text).unwrap();
        assert_eq!(text, "text");
        assert!(open_to_read(&dir.path().join("missing")).is_err());
    }
}
