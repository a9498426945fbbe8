//! Standard output for results and reports, [`StandardOutput`]: a write that fails is an error
//! that names it.

use std::io::{self, Write};

/// Standard output, locked. A failed write or flush is an error saying "cannot write to
/// standard output" and why, of the same kind (so a broken pipe, `thematic ... | head`, is
/// still one, and ends the run quietly). On Linux, a standard output that was closed when
/// thematic started (`>&-`) fails every write too: Rust's runtime opens `/dev/null` in its
/// place before `main`, which would swallow every result and report success.
pub struct StandardOutput(io::StdoutLock<'static>);

impl StandardOutput {
    /// Standard output, locked for this thread.
    pub fn lock() -> Self {
        StandardOutput(io::stdout().lock())
    }
}

impl Write for StandardOutput {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        if !bytes.is_empty() && closed_at_start() {
            return Err(cannot_write(io::Error::other(
                "it was closed when thematic started",
            )));
        }
        self.0.write(bytes).map_err(cannot_write)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush().map_err(cannot_write)
    }
}

fn cannot_write(error: io::Error) -> io::Error {
    io::Error::new(
        error.kind(),
        format!("cannot write to standard output: {error}"),
    )
}

/// Whether standard output was closed when the process started (see [`StandardOutput`]).
fn closed_at_start() -> bool {
    #[cfg(target_os = "linux")]
    return closed::AT_START.load(std::sync::atomic::Ordering::Relaxed);
    #[cfg(not(target_os = "linux"))]
    false
}

/// Recording whether standard output is closed before Rust's runtime replaces it: the loader
/// runs the functions listed in `.init_array` before `main` and the runtime's own set-up.
#[cfg(target_os = "linux")]
mod closed {
    use std::sync::atomic::{AtomicBool, Ordering};

    /// Whether descriptor 1 was closed when the process started.
    pub(super) static AT_START: AtomicBool = AtomicBool::new(false);

    #[used]
    #[link_section = ".init_array"]
    static RECORD: extern "C" fn() = record;

    extern "C" fn record() {
        // SAFETY: asks the kernel for descriptor 1's flags; a closed descriptor answers EBADF
        // (the only way F_GETFD fails). No memory is involved.
        if unsafe { libc::fcntl(1, libc::F_GETFD) } == -1 {
            AT_START.store(true, Ordering::Relaxed);
        }
    }
}
