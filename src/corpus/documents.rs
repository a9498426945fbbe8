//! Reading documents to classify: [`collect_files`] walks paths, [`read_text_file`] reads one
//! file as text, skipping binaries and decoding invalid UTF-8 lossily, and
//! [`read_walked_files`] reads the files a walk found, many at a time.

use std::io::Read;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
#[cfg(target_os = "linux")]
use crate::open::open_to_read_at;
use crate::open::{open_to_read, Opened};

/// A text to classify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// Where it came from: a path, or `-` for standard input.
    pub source: String,
    /// Its text.
    pub text: String,
    /// Things worth telling the user (lossy decoding, empty file).
    pub notes: Vec<String>,
}

/// What reading a file gave.
#[derive(Debug)]
pub enum FileText {
    /// A text document.
    Text(Document),
    /// A file that is not text, skipped; the reason says why.
    Skipped(String),
}

/// Bytes inspected for NUL to call a file binary.
const SNIFF_BYTES: usize = 8 * 1024;

/// Decodes `bytes` read from `source`: binary (a NUL byte early on) is skipped, invalid UTF-8
/// is decoded lossily with a note.
pub fn decode(source: &str, bytes: Vec<u8>) -> FileText {
    if memchr::memchr(0, &bytes[..bytes.len().min(SNIFF_BYTES)]).is_some() {
        return FileText::Skipped("binary file (NUL bytes), skipped".into());
    }
    let mut notes = Vec::new();
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            notes.push("invalid UTF-8, decoded lossily".to_string());
            String::from_utf8_lossy(e.as_bytes()).into_owned()
        }
    };
    if text.trim().is_empty() {
        notes.push("empty file, no text to classify".to_string());
    }
    FileText::Text(Document {
        source: source.to_string(),
        text,
        notes,
    })
}

/// First buffer for a document: most files fit, so the common read is one `read` call that
/// fills part of it and one that returns 0 (reading into an empty `Vec` starts with a 32-byte
/// probe and grows by doubling: eight calls for a typical 1 KB news file).
pub(crate) const FIRST_READ: u64 = 16 * 1024;

/// Reads at most `max_bytes` of `reader`; says whether more was left unread. Memory is
/// bounded by `max_bytes` whatever the input's size (a multi-GB file, an endless pipe).
fn read_limited(mut reader: impl Read, max_bytes: u64) -> std::io::Result<(Vec<u8>, bool)> {
    let mut bytes = Vec::with_capacity(FIRST_READ.min(max_bytes) as usize);
    reader.by_ref().take(max_bytes).read_to_end(&mut bytes)?;
    // Only a read that stopped at the limit may have left something behind.
    let more = bytes.len() as u64 == max_bytes && reader.read(&mut [0u8; 1])? > 0;
    if more {
        // Do not leave half a UTF-8 character at the cut.
        if let Err(e) = std::str::from_utf8(&bytes) {
            if e.error_len().is_none() {
                bytes.truncate(e.valid_up_to());
            }
        }
    }
    Ok((bytes, more))
}

fn read_document(source: &str, reader: impl Read, max_bytes: u64) -> std::io::Result<FileText> {
    let (bytes, truncated) = read_limited(reader, max_bytes)?;
    let mut text = decode(source, bytes);
    if let (FileText::Text(doc), true) = (&mut text, truncated) {
        doc.notes.push(format!(
            "larger than the {max_bytes}-byte limit (--max-bytes): classified its first {max_bytes} bytes"
        ));
    }
    Ok(text)
}

/// Reads the file at `path` as text (see [`decode`]), at most `max_bytes` of it (a note says
/// when the rest was left unread). It is opened without waiting (see `open::open_to_read`): a
/// FIFO, device or directory found there is skipped, never waited on.
///
/// # Errors
/// [`Error::Io`] naming the file if it cannot be opened or read.
pub fn read_text_file(path: &Path, max_bytes: u64) -> Result<FileText> {
    read_opened(path, open_to_read(path), max_bytes)
}

/// Reads a path named on the command line: as [`read_text_file`], except that a FIFO or a
/// character device (`<(cmd)`, `/dev/stdin`) is read too, as standard input is: waiting for its
/// data, at most `max_bytes`. A person who names one means it to be read; a walk never reads one
/// (see [`walk_files`]).
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

/// Whether `path` is a FIFO or a character device: what [`read_named_file`] reads as a stream.
fn is_named_stream(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        std::fs::metadata(path).is_ok_and(|m| {
            let kind = m.file_type();
            kind.is_fifo() || kind.is_char_device()
        })
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        false
    }
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

/// How a document read from `path` names its source ([`Document::source`]): the path as
/// text (lossily, if it is not UTF-8). Borrowed where it can be.
pub fn source_name(path: &Path) -> std::borrow::Cow<'_, str> {
    path.to_str().map_or_else(
        || std::borrow::Cow::Owned(path.display().to_string()),
        std::borrow::Cow::Borrowed,
    )
}

/// Why a FIFO, socket or device is not read as a document.
pub(crate) const NOT_REGULAR: &str = "not a regular file (FIFO, socket or device), skipped";

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

/// A directory a walk found files in. On Linux it is held open (a path-only handle, which
/// needs no read permission on the directory, like a path lookup) so its files are opened
/// relative to it: the kernel resolves one name instead of the whole path again. Handles are
/// bounded (see `Handle`): past the bound, a directory has none and its files are opened by
/// path.
#[derive(Debug, Clone, Default)]
pub struct Directory {
    #[cfg(target_os = "linux")]
    handle: Option<std::sync::Arc<Handle>>,
    /// Whether the directory is on a filesystem where a read of one of its regular files that
    /// stops short of a page boundary stopped at the file's end (see [`short_read_is_end`]).
    #[cfg(target_os = "linux")]
    short_reads_end: bool,
}

/// Whether a filesystem (by its `statfs` type) reads regular files through the page cache, a
/// page at a time, and returns fewer bytes than asked only at the end of the file or where an
/// error stopped it, which is at a page boundary. The local disk and memory filesystems:
/// ext2/3/4, XFS, Btrfs, tmpfs. Network, FUSE and pseudo filesystems (`/proc`) may return
/// less at any point, and are not listed.
#[cfg(target_os = "linux")]
fn short_read_is_end(filesystem: u32) -> bool {
    const EXT4: u32 = 0xEF53;
    const XFS: u32 = 0x5846_5342;
    const BTRFS: u32 = 0x9123_683E;
    const TMPFS: u32 = 0x0102_1994;
    matches!(filesystem, EXT4 | XFS | BTRFS | TMPFS)
}

/// An open directory handle. At most [`handle_limit`] are open at once: a walk finds
/// directories faster than their files are read, and each directory's handle stays open
/// until its files are, so a tree of many small directories would otherwise hold a
/// descriptor for each of thousands of directories, and run out ("Too many open files").
#[cfg(target_os = "linux")]
#[derive(Debug)]
struct Handle(std::os::fd::OwnedFd);

/// Directory handles open now (see [`Handle`]).
#[cfg(target_os = "linux")]
static OPEN_HANDLES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

#[cfg(target_os = "linux")]
impl Handle {
    /// A handle on the directory `path`; `None` if it cannot be opened or [`handle_limit`]
    /// handles are open already.
    fn open(path: &Path) -> Option<Handle> {
        use rustix::fs::{Mode, OFlags};
        use std::sync::atomic::Ordering::Relaxed;
        if OPEN_HANDLES.fetch_add(1, Relaxed) >= handle_limit() {
            OPEN_HANDLES.fetch_sub(1, Relaxed);
            return None;
        }
        let flags = OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC;
        match rustix::fs::open(path, flags, Mode::empty()) {
            Ok(fd) => Some(Handle(fd)),
            Err(_) => {
                OPEN_HANDLES.fetch_sub(1, Relaxed);
                None
            }
        }
    }
}

#[cfg(target_os = "linux")]
impl Drop for Handle {
    fn drop(&mut self) {
        OPEN_HANDLES.fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
    }
}

/// Most directory handles open at once: a quarter of the descriptors the process may have
/// (its soft `RLIMIT_NOFILE`; 1,024 is a common default), the rest left for the files being
/// read, the walk's own directories (walkdir holds at most 10) and each thread's ring; never
/// more than 4,096, more than the walk's batches in flight ever hold.
#[cfg(target_os = "linux")]
fn handle_limit() -> usize {
    const MOST: u64 = 4096;
    static LIMIT: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *LIMIT.get_or_init(|| {
        let soft = rustix::process::getrlimit(rustix::process::Resource::Nofile).current;
        soft.map_or(MOST, |soft| (soft / 4).min(MOST)) as usize
    })
}

impl Directory {
    fn new(path: &Path) -> Directory {
        #[cfg(target_os = "linux")]
        {
            let handle = Handle::open(path);
            let short_reads_end = handle.as_ref().is_some_and(|handle| {
                // `f_type`'s integer type differs between architectures; every type fits in
                // 32 bits.
                rustix::fs::fstatfs(&handle.0).is_ok_and(|fs| short_read_is_end(fs.f_type as u32))
            });
            Directory {
                handle: handle.map(std::sync::Arc::new),
                short_reads_end,
            }
        }
        #[cfg(not(target_os = "linux"))]
        {
            let _ = path;
            Directory {}
        }
    }

    /// The directory's handle, if it has one.
    #[cfg(target_os = "linux")]
    pub(crate) fn raw(&self) -> Option<std::os::fd::BorrowedFd<'_>> {
        use std::os::fd::AsFd;
        self.handle.as_deref().map(|handle| handle.0.as_fd())
    }

    /// Whether a read from the start of a regular file on this directory's own filesystem
    /// (not one reached through a symbolic link or a mount point) that returns fewer bytes
    /// than asked, and not a multiple of 4 KiB (the smallest page size), read the whole file.
    #[cfg(target_os = "linux")]
    pub(crate) fn short_reads_end(&self) -> bool {
        self.short_reads_end
    }

    /// The file `path` (in this directory) opened relative to it (see [`open_to_read_at`]), or
    /// `None` where that is not possible (no handle, an error): the caller opens the path
    /// itself and reports any error.
    fn open(&self, path: &Path) -> Option<Opened> {
        #[cfg(target_os = "linux")]
        {
            use std::os::fd::AsFd;
            use std::os::unix::ffi::OsStrExt;
            let handle = self.handle.as_deref()?;
            let name = std::ffi::OsStr::from_bytes(file_name(path));
            open_to_read_at(handle.0.as_fd(), Path::new(name)).ok()
        }
        #[cfg(not(target_os = "linux"))]
        {
            let _ = path;
            None
        }
    }
}

/// Files read ahead together (see [`read_walked_files`]).
pub(crate) const READ_AHEAD_FILES: usize = 64;

/// Most bytes of file text that [`read_walked_files`] holds read ahead: only files that fit
/// one first read (16 KiB) are read ahead, a run of at most 64 at a time.
pub const READ_AHEAD_BYTES: u64 = READ_AHEAD_FILES as u64 * FIRST_READ;

/// Reads walked files (paths with the directories they were found in), as
/// [`read_walked_file`] reads each, with `max_bytes` the same limit, in order, each as the
/// returned [`WalkedReads`] is asked for it. On Linux, a run of small files is read ahead with
/// a few system calls for the whole run where the kernel allows it; every other file is read
/// only when its turn comes. So the bytes held at once are at most [`READ_AHEAD_BYTES`] of
/// small files and the one file being handed out (at most `max_bytes`), however many large
/// files there are: reading them all before handing any out held 4 GB for 64 files of 64 MB.
pub fn read_walked_files<'a>(
    files: &'a [(&'a Path, &'a Directory)],
    max_bytes: u64,
) -> WalkedReads<'a> {
    WalkedReads {
        files,
        next: 0,
        ahead: Vec::new().into_iter(),
        max_bytes,
    }
}

/// Reads ahead what it can of `files` (at most [`READ_AHEAD_FILES`]): one entry a file, `None`
/// for a file to be read on its own.
fn read_ahead(files: &[(&Path, &Directory)], max_bytes: u64) -> Vec<Option<FileText>> {
    #[cfg(target_os = "linux")]
    if max_bytes >= FIRST_READ {
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
    #[cfg(not(target_os = "linux"))]
    let _ = max_bytes;
    files.iter().map(|_| None).collect()
}

/// The files given to [`read_walked_files`], each read (or taken from what was read ahead) as
/// it is asked for, in order.
#[derive(Debug)]
pub struct WalkedReads<'a> {
    files: &'a [(&'a Path, &'a Directory)],
    /// The index in `files` of the next file to hand out.
    next: usize,
    /// What was read ahead for the files from `next` on, one entry a file (`None`: read the
    /// file when asked); empty when the next run is still to be read ahead.
    ahead: std::vec::IntoIter<Option<FileText>>,
    max_bytes: u64,
}

impl WalkedReads<'_> {
    /// Bytes of file text read ahead and not handed out yet (at most [`READ_AHEAD_BYTES`]).
    pub fn bytes_ahead(&self) -> u64 {
        self.ahead
            .as_slice()
            .iter()
            .map(|read| match read {
                Some(FileText::Text(doc)) => doc.text.len() as u64,
                _ => 0,
            })
            .sum()
    }
}

impl Iterator for WalkedReads<'_> {
    type Item = Result<FileText>;

    fn next(&mut self) -> Option<Result<FileText>> {
        let (path, directory) = self.files.get(self.next)?;
        if self.ahead.len() == 0 {
            let run = &self.files[self.next..];
            let run = &run[..run.len().min(READ_AHEAD_FILES)];
            self.ahead = read_ahead(run, self.max_bytes).into_iter();
        }
        self.next += 1;
        Some(match self.ahead.next().flatten() {
            Some(text) => Ok(text),
            None => read_walked_file(path, directory, self.max_bytes),
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.files.len() - self.next;
        (left, Some(left))
    }
}

impl ExactSizeIterator for WalkedReads<'_> {}

/// Reads standard input as one document, at most `max_bytes` of it.
///
/// # Errors
/// [`Error::Io`] if standard input cannot be read.
pub fn read_stdin(max_bytes: u64) -> Result<FileText> {
    read_document("-", std::io::stdin().lock(), max_bytes).map_err(|e| Error::io("-", e))
}

/// One input path after walking: a file to read, or a problem with a path.
#[derive(Debug)]
pub enum Entry {
    /// A regular file (or `-`), with the index of the input path it came from and, for a file
    /// found in a directory, that directory (see [`read_walked_file`]).
    File(PathBuf, usize, Option<Directory>),
    /// Something that stops this path, but not the others.
    Failed(Error),
    /// Something skipped, with the reason (special files, symlink loops, hidden files).
    Skipped(PathBuf, String),
}

/// Expands `paths` into files, in order: a file stays itself, a directory gives its regular
/// files recursively in name order (hidden entries skipped, symlinks followed, loops
/// reported), `-` stays standard input. A missing path or a directory with no file is a
/// [`Entry::Failed`].
pub fn collect_files(paths: &[PathBuf]) -> Vec<Entry> {
    let mut entries = Vec::new();
    walk_files(paths, |entry| {
        entries.push(entry);
        ControlFlow::Continue(())
    });
    entries
}

/// [`collect_files`], handing each entry to `emit` as the walk finds it, so reading can start
/// before a large tree is walked. A directory's notes are held back until its first file is
/// found: a directory with no file gives one [`Entry::Failed`] instead. The walk stops early
/// when `emit` breaks.
pub fn walk_files(paths: &[PathBuf], mut emit: impl FnMut(Entry) -> ControlFlow<()>) {
    for (input, path) in paths.iter().enumerate() {
        if path.as_os_str() == "-" {
            if emit(Entry::File(path.clone(), input, None)).is_break() {
                return;
            }
            continue;
        }
        let entry = match std::fs::metadata(path) {
            Err(e) => Some(Entry::Failed(Error::io(path, e))),
            Ok(m) if m.is_dir() => None,
            Ok(m) if m.is_file() => Some(Entry::File(path.clone(), input, None)),
            // Named, a FIFO or character device is read as a stream (see `read_named_file`).
            Ok(_) if is_named_stream(path) => Some(Entry::File(path.clone(), input, None)),
            Ok(_) => Some(Entry::Skipped(path.clone(), NOT_REGULAR.into())),
        };
        if let Some(entry) = entry {
            if emit(entry).is_break() {
                return;
            }
            continue;
        }
        // Entries before the directory's first file, held back (see above).
        let mut pending = Some(Vec::new());
        let mut found = |entry: Entry, emit: &mut dyn FnMut(Entry) -> ControlFlow<()>| {
            let is_file = matches!(entry, Entry::File(..));
            match &mut pending {
                Some(held) if !is_file => {
                    held.push(entry);
                    ControlFlow::Continue(())
                }
                Some(held) => {
                    for entry in held.drain(..) {
                        emit(entry)?;
                    }
                    pending = None;
                    emit(entry)
                }
                None => emit(entry),
            }
        };
        let walker = walkdir::WalkDir::new(path)
            .follow_links(true)
            // In name order: the entries of one directory are its path joined with their
            // names, so comparing whole paths compares names, without finding them first (a
            // 1,000-file directory makes about 10,000 comparisons).
            .sort_by(|a, b| a.path().as_os_str().cmp(b.path().as_os_str()))
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || file_name(e.path()).first() != Some(&b'.'));
        // The directory of the files last found (its path as bytes, to the last separator),
        // held open for reading them.
        let mut directory: Option<(Vec<u8>, Directory)> = None;
        for item in walker {
            let entry = match item {
                Ok(e) if e.file_type().is_file() => {
                    let path = e.into_path();
                    // The file's directory is its path up to the name, compared as bytes:
                    // `Path::parent` and `Path`'s equality parse components.
                    let within = path.as_os_str().as_encoded_bytes();
                    let within = &within[..within.len() - file_name(&path).len()];
                    if directory.as_ref().map(|(p, _)| p.as_slice()) != Some(within) {
                        let parent = path.parent().unwrap_or(Path::new(""));
                        directory = Some((within.to_vec(), Directory::new(parent)));
                    }
                    let found_in = directory.as_ref().map(|(_, d)| d.clone());
                    Entry::File(path, input, found_in)
                }
                Ok(e) if e.file_type().is_dir() => continue,
                Ok(e) => Entry::Skipped(e.into_path(), NOT_REGULAR.into()),
                Err(e) => {
                    let at = e.path().unwrap_or(path).to_path_buf();
                    if e.loop_ancestor().is_some() {
                        Entry::Skipped(at, "symbolic link loop, skipped".into())
                    } else {
                        // An unreadable subdirectory is a failed input, like an unreadable file.
                        let message = e.to_string();
                        Entry::Failed(match e.into_io_error() {
                            Some(io) => Error::io(at, io),
                            None => Error::NoText { path: at, message },
                        })
                    }
                }
            };
            if found(entry, &mut emit).is_break() {
                return;
            }
        }
        if pending.is_some() {
            let failed = Entry::Failed(Error::NoText {
                path: path.clone(),
                message: "directory holds no files to classify".into(),
            });
            if emit(failed).is_break() {
                return;
            }
        }
    }
}

/// The last component of a walked path, as `Path::file_name` gives it, but found by looking
/// for the last separator rather than parsing components (this is done for every file of a
/// walk).
pub(crate) fn file_name(path: &Path) -> &[u8] {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let bytes = path.as_os_str().as_bytes();
        match memchr::memrchr(b'/', bytes) {
            Some(at) => &bytes[at + 1..],
            None => bytes,
        }
    }
    #[cfg(not(unix))]
    {
        path.file_name()
            .unwrap_or(path.as_os_str())
            .as_encoded_bytes()
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    #[test]
    fn reading_stops_at_the_limit_on_a_character_boundary() {
        let text = "ab\u{e9}cd".as_bytes(); // é is two bytes
        let (bytes, more) = read_limited(text, 3).unwrap();
        assert_eq!((bytes.as_slice(), more), (&b"ab"[..], true));
        let (bytes, more) = read_limited(text, 100).unwrap();
        assert_eq!((bytes.as_slice(), more), (text, false));
        match read_document("x", text, 4).unwrap() {
            FileText::Text(d) => {
                assert_eq!(d.text, "ab\u{e9}");
                assert!(d.notes[0].contains("4-byte limit"), "{:?}", d.notes);
            }
            FileText::Skipped(r) => panic!("skipped: {r}"),
        }
    }

    #[cfg(target_os = "linux")]
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
            assert!(!Directory::new(Path::new("/proc/self")).short_reads_end());
        }
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
            let Entry::File(path, _, directory) = entry else {
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
        let Entry::File(_, _, Some(directory)) = &entries[0] else {
            panic!("{:?}", entries[0]);
        };
        let error = read_walked_file(&gone, directory, u64::MAX).unwrap_err();
        assert!(error.to_string().contains("deep.txt"), "{error}");
    }

    /// The files of walk `entries`, each with its directory (every entry must be one).
    pub(in crate::corpus) fn walked(entries: &[Entry]) -> Vec<(&Path, &Directory)> {
        entries
            .iter()
            .map(|entry| match entry {
                Entry::File(path, _, Some(directory)) => (path.as_path(), directory),
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
        let files = walked(&entries);
        std::fs::remove_file(root.path().join("2.txt")).unwrap();
        // Limits below, at and above the ring's buffer, and one that cuts every file.
        for max_bytes in [100, 8_000, FIRST_READ, u64::MAX] {
            let together = read_walked_files(&files, max_bytes);
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
        let files = walked(&entries);
        assert_eq!(files.len(), count);
        let mut reads = read_walked_files(&files, u64::MAX);
        let mut most_ahead = 0;
        for (i, (path, _)) in files.iter().enumerate() {
            // Rewritten after the reading started, before its turn: read at its turn, a large
            // file has the new text (read ahead, it would have the old).
            if is_large(i) {
                std::fs::write(path, "new ".repeat(large / 4)).unwrap();
            }
            let text = match reads.next().unwrap().unwrap() {
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
        #[cfg(target_os = "linux")]
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
                let files = walked(&entries);
                let together: Vec<_> = read_walked_files(&files, u64::MAX).collect();
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

    #[test]
    fn binary_is_skipped_and_invalid_utf8_noted() {
        assert!(matches!(
            decode("a", b"ab\0cd".to_vec()),
            FileText::Skipped(_)
        ));
        match decode("b", b"caf\xe9 news".to_vec()) {
            FileText::Text(d) => {
                assert_eq!(d.text, "caf\u{fffd} news");
                assert_eq!(d.notes, ["invalid UTF-8, decoded lossily"]);
            }
            FileText::Skipped(r) => panic!("skipped: {r}"),
        }
        match decode("c", b"  \n".to_vec()) {
            FileText::Text(d) => assert_eq!(d.notes.len(), 1),
            FileText::Skipped(r) => panic!("skipped: {r}"),
        }
    }
}
