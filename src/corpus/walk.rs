//! Walking input paths: [`collect_files`] and [`walk_files`] expand files, directories and
//! `-` into [`Entry`]s, in order, each file with the [`Directory`] it was found in.

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use crate::error::Error;
#[cfg(target_os = "linux")]
use crate::open::open_to_read_at;
use crate::open::Opened;

/// One input path after walking: a file to read, or a problem with a path.
#[derive(Debug)]
pub enum Entry {
    /// A regular file (or `-`).
    File {
        /// Its path (`-` for standard input).
        path: PathBuf,
        /// The index of the input path it came from.
        input: usize,
        /// For a file found in a directory, that directory (see `read_walked_file`).
        directory: Option<Directory>,
    },
    /// Something that stops this path, but not the others.
    Failed(Error),
    /// Something skipped (special files, symlink loops).
    Skipped {
        /// Its path.
        path: PathBuf,
        /// Why it is skipped.
        reason: String,
    },
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
            if emit(Entry::File {
                path: path.clone(),
                input,
                directory: None,
            })
            .is_break()
            {
                return;
            }
            continue;
        }
        let entry = match std::fs::metadata(path) {
            Err(e) => Some(Entry::Failed(Error::io(path, e))),
            Ok(m) if m.is_dir() => None,
            Ok(m) if m.is_file() => Some(Entry::File {
                path: path.clone(),
                input,
                directory: None,
            }),
            // Named, a FIFO or character device is read as a stream (see `read_named_file`).
            Ok(_) if is_named_stream(path) => Some(Entry::File {
                path: path.clone(),
                input,
                directory: None,
            }),
            Ok(_) => Some(Entry::Skipped {
                path: path.clone(),
                reason: NOT_REGULAR.into(),
            }),
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
            let is_file = matches!(entry, Entry::File { .. });
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
                    Entry::File {
                        path,
                        input,
                        directory: found_in,
                    }
                }
                Ok(e) if e.file_type().is_dir() => continue,
                Ok(e) => Entry::Skipped {
                    path: e.into_path(),
                    reason: NOT_REGULAR.into(),
                },
                Err(e) => {
                    let at = e.path().unwrap_or(path).to_path_buf();
                    if e.loop_ancestor().is_some() {
                        Entry::Skipped {
                            path: at,
                            reason: "symbolic link loop, skipped".into(),
                        }
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
pub(super) fn file_name(path: &Path) -> &[u8] {
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

/// Why a FIFO, socket or device is not read as a document.
pub(super) const NOT_REGULAR: &str = "not a regular file (FIFO, socket or device), skipped";

/// Whether `path` is a FIFO or a character device: what a named path is read as a stream.
pub(super) fn is_named_stream(path: &Path) -> bool {
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

/// A directory a walk found files in. On Linux it is held open (a path-only handle, which
/// needs no read permission on the directory, like a path lookup) so its files are opened
/// relative to it: the kernel resolves one name instead of the whole path again. Handles are
/// bounded (see `Handle`): past the bound, a directory has none and its files are opened by
/// path.
#[derive(Debug, Clone, Default)]
pub struct Directory {
    #[cfg(target_os = "linux")]
    handle: Option<std::sync::Arc<Handle>>,
    /// The `statfs` type of the directory's filesystem (0 if unknown), for the ring.
    #[cfg(all(target_os = "linux", feature = "uring"))]
    filesystem: u32,
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
    pub(super) fn new(path: &Path) -> Directory {
        #[cfg(target_os = "linux")]
        {
            let handle = Handle::open(path);
            #[cfg(feature = "uring")]
            let filesystem = handle.as_ref().map_or(0, |handle| {
                // `f_type`'s integer type differs between architectures; every type fits in
                // 32 bits.
                rustix::fs::fstatfs(&handle.0).map_or(0, |fs| fs.f_type as u32)
            });
            Directory {
                handle: handle.map(std::sync::Arc::new),
                #[cfg(feature = "uring")]
                filesystem,
            }
        }
        #[cfg(not(target_os = "linux"))]
        {
            let _ = path;
            Directory {}
        }
    }

    /// The directory's handle, if it has one.
    #[cfg(all(target_os = "linux", feature = "uring"))]
    pub(super) fn raw(&self) -> Option<std::os::fd::BorrowedFd<'_>> {
        use std::os::fd::AsFd;
        self.handle.as_deref().map(|handle| handle.0.as_fd())
    }

    /// The `statfs` type of the directory's own filesystem (0 if unknown): a file opened
    /// relative to the handle, not through a symbolic link or a mount point, is on it.
    #[cfg(all(target_os = "linux", feature = "uring"))]
    pub(super) fn filesystem(&self) -> u32 {
        self.filesystem
    }

    /// The file `path` (in this directory) opened relative to it (see [`open_to_read_at`]), or
    /// `None` where that is not possible (no handle, an error): the caller opens the path
    /// itself and reports any error.
    pub(super) fn open(&self, path: &Path) -> Option<Opened> {
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
