//! Corpus input: documents to classify ([`collect_files`], [`read_text_file`],
//! [`read_walked_files`], [`read_stdin`]) and labelled training data ([`read_labelled`],
//! [`read_labelled_jsonl`], [`LabelMap`]).

mod documents;
mod labelled;
mod lines;
#[cfg(target_os = "linux")]
mod uring;

pub use documents::{
    collect_files, decode, read_named_file, read_stdin, read_text_file, read_walked_file,
    read_walked_files, source_name, walk_files, Directory, Document, Entry, FileText, WalkedReads,
    READ_AHEAD_BYTES,
};
pub(crate) use labelled::is_data_file;
pub use labelled::{
    read_labelled, read_labelled_jsonl, read_labelled_jsonl_within, read_labelled_within, LabelMap,
    MAX_RECORD_BYTES,
};
pub use lines::read_line_limited;
