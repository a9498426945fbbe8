//! The library's one error type, [`Error`], and its [`Result`] alias.
//!
//! Every variant that comes from a file names it first (and the line, for data files), so the
//! CLI can print a one-line message a user can act on, and say which argument gave the file.

use std::path::PathBuf;

/// Everything that can go wrong in thematic's library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or directory could not be read or written: `DIR: is a directory`.
    #[error("{}: {}", path.display(), describe(io))]
    Io {
        /// The path being read or written.
        path: PathBuf,
        /// The operating system's error. Its message is this error's message, so it is not
        /// also given as [`std::error::Error::source`]: a printed chain would say it twice.
        io: std::io::Error,
    },
    /// A label in training data cannot name a theme (see [`crate::corpus::theme_name_problem`]).
    #[error("{}: label {label:?} cannot be a theme: {reason} (theme names are 1 to 64 characters, without control or bidirectional characters or `;`, and not `null` or `None`)", location(path, *line))]
    ThemeName {
        /// The data file, or the label folder.
        path: PathBuf,
        /// 1-based line number (none for a label folder).
        line: Option<u64>,
        /// The label as found (trimmed).
        label: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A model or report cannot be written where it was asked to go.
    #[error("cannot write the {what} to {}: it {message}", path.display())]
    Destination {
        /// What was to be written: `model` or `report`.
        what: &'static str,
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
    pub fn io(path: impl Into<PathBuf>, io: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            io,
        }
    }

    /// Whether the message starts with the file it is about (`PATH: ...`, `PATH:LINE: ...`),
    /// so that a caller can say which argument named the file by writing its name first.
    pub fn starts_with_path(&self) -> bool {
        matches!(
            self,
            Error::Io { .. }
                | Error::Data { .. }
                | Error::ThemeName { .. }
                | Error::NoText { .. }
                | Error::Model { .. }
        )
    }
}

/// `PATH` or `PATH:LINE`.
fn location(path: &std::path::Path, line: Option<u64>) -> String {
    match line {
        Some(line) => format!("{}:{line}", path.display()),
        None => path.display().to_string(),
    }
}

/// An operating-system error as the rest of a sentence: `is a directory`, not
/// `Is a directory (os error 21)` (the code tells a user nothing the words do not).
fn describe(io: &std::io::Error) -> String {
    let text = io.to_string();
    let text = match text.rfind(" (os error ") {
        Some(at) if text.ends_with(')') => &text[..at],
        _ => &text,
    };
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        // `Is a directory` reads as part of a sentence; `UTF-8 ...` keeps its capitals.
        (Some(first), Some(second)) if first.is_uppercase() && second.is_lowercase() => first
            .to_lowercase()
            .chain(text[first.len_utf8()..].chars())
            .collect(),
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_errors_say_their_reason_once_in_words() {
        let error = Error::io(
            "models",
            std::io::Error::from_raw_os_error(21), // EISDIR on Linux
        );
        if cfg!(target_os = "linux") {
            assert_eq!(error.to_string(), "models: is a directory");
        }
        assert!(std::error::Error::source(&error).is_none());
        let custom = Error::io("x", std::io::Error::other("UTF-8 expected"));
        assert_eq!(custom.to_string(), "x: UTF-8 expected");
    }
}
