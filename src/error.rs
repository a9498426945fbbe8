//! The library's one error type, [`Error`], and its [`Result`] alias.
//!
//! Every variant that comes from a file names it (and the line, for data files), so the CLI can
//! print a one-line message a user can act on.

use std::path::PathBuf;

/// Everything that can go wrong in thematic's library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or directory could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The path being read or written.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// A model cannot be written where it was asked to go.
    #[error("cannot write the model to {}: it {message}", path.display())]
    Destination {
        /// The destination given.
        path: PathBuf,
        /// Why it is refused.
        message: String,
    },
    /// A line of a labelled data file (JSONL or CSV) could not be parsed.
    #[error("{}:{line}: {message}", path.display())]
    Data {
        /// The data file.
        path: PathBuf,
        /// 1-based line number.
        line: u64,
        /// What is wrong with the line.
        message: String,
    },
    /// A path held no text to work on.
    #[error("{}: {message}", path.display())]
    NoText {
        /// The path given.
        path: PathBuf,
        /// Why nothing was found.
        message: String,
    },
    /// A model file is damaged, truncated, of another format or inconsistent.
    #[error("{}: not a usable thematic model: {message}", path.display())]
    Model {
        /// The model file (`<embedded>` for the built-in model).
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// A hyperparameter or option is out of range.
    #[error("invalid {name} `{value}`: {reason}")]
    InvalidParam {
        /// The option's name.
        name: &'static str,
        /// The value given.
        value: String,
        /// The accepted range.
        reason: String,
    },
    /// A `--label-map FROM=TO` rule matched no label in the data.
    #[error("label map `{from}={to}` maps nothing: no document is labelled `{from}`")]
    UnusedLabelMap {
        /// The label the rule maps from.
        from: String,
        /// The label it maps to.
        to: String,
    },
    /// Training data in which a theme cannot be learned.
    #[error("theme `{theme}` has {positives} positive and {negatives} negative documents: a theme needs at least {needed} of each to be trained and its threshold tuned")]
    DegenerateTheme {
        /// The theme.
        theme: String,
        /// Documents labelled with it.
        positives: usize,
        /// Documents not labelled with it.
        negatives: usize,
        /// The minimum of each.
        needed: usize,
    },
    /// Training data that cannot make a model at all.
    #[error("cannot train: {0}")]
    Training(String),
}

/// `Result` with thematic's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// An [`Error::Io`] for `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}
