//! Corpus input: documents to classify and labelled training data.
//!
//! Documents flow through three files: `walk.rs` expands the paths given into files
//! ([`collect_files`], [`walk_files`], each [`Entry`] with named fields), `read.rs` reads them
//! ([`read_entries`] for a walk's entries, many small files at a time; [`read_text_file`],
//! [`read_named_file`], [`read_stdin`] for one) and `decode.rs` makes text of the bytes
//! ([`decode`]: binaries skipped, invalid UTF-8 decoded lossily). `uring.rs`, private, is the
//! io_uring path that reads a run of small files with a few system calls (the `uring` feature,
//! on by default; [`use_uring`] turns it off at run time). Labelled training data is read by
//! `labelled.rs` ([`read_labelled`], [`read_labelled_jsonl`], [`LabelMap`]) into
//! [`LabelledDocument`]s (`label.rs`: a document and its themes, and what a theme label may
//! be); `lines.rs` reads one line of a stream within a byte limit.

mod decode;
mod label;
mod labelled;
mod lines;
mod read;
#[cfg(all(target_os = "linux", feature = "uring"))]
mod uring;
mod walk;

pub use decode::{decode, source_name, Document, FileText};
pub use label::{theme_name_problem, LabelledDocument, MAX_THEME_NAME_CHARS, NONE_LABEL};
pub(crate) use labelled::is_data_file;
pub use labelled::{
    read_labelled, read_labelled_jsonl, read_labelled_jsonl_within, read_labelled_within, LabelMap,
    MAX_RECORD_BYTES,
};
pub use lines::read_line_limited;
pub use read::{
    read_entries, read_named_file, read_stdin, read_text_file, read_walked_file, use_uring,
    EntryRead, EntryReads, READ_AHEAD_BYTES,
};
pub use walk::{collect_files, walk_files, Directory, Entry};
