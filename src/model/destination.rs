//! Where a model or a report may be written: [`destination`] (and [`model_destination`]),
//! [`check_not_inputs`] (and [`check_not_training_data`]).
//!
//! A model (or an HTML report) replaces its file by an atomic rename, and a rename replaces
//! whatever sits at the path: a device node, a symbolic link, one name of a hard-linked file, a
//! read-only file, or the data or model it was made from. These checks run before any training
//! or evaluation work and again just before the write, so none of those is ever replaced.
//!
//! A symbolic link as the destination is followed: its final target is written (atomically)
//! and the link stays, pointing at the new model. A link to a missing file is refused.

use std::path::{Path, PathBuf};

use crate::{Error, Result};

/// How many symbolic links are followed before giving up (Linux's own limit).
const MAX_LINK_HOPS: usize = 40;

/// What is written: named in the messages of a refused destination.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// A model file (`train --out`).
    Model,
    /// An HTML report (`evaluate --report`, `inspect --report`).
    Report,
}

impl Output {
    /// `model` or `report`.
    pub fn noun(self) -> &'static str {
        match self {
            Output::Model => "model",
            Output::Report => "report",
        }
    }

    /// What the `--data` inputs are to it: `training data` or `data`.
    fn data(self) -> &'static str {
        match self {
            Output::Model => "training data",
            Output::Report => "data",
        }
    }
}

fn refuse(path: &Path, output: Output, message: impl Into<String>) -> Error {
    Error::Destination {
        what: output.noun(),
        path: path.to_path_buf(),
        message: message.into(),
    }
}

/// [`destination`] of a model.
///
/// # Errors
/// As [`destination`].
pub fn model_destination(path: &Path) -> Result<PathBuf> {
    destination(path, Output::Model)
}

/// The file an `output` asked to go to `path` will really be written to: `path` itself, or
/// the final target of the symbolic links it names.
///
/// # Errors
/// [`Error::Destination`] when the file there is not a regular file (a directory, device,
/// FIFO or socket), is read-only, has other hard links (replacing it would split them), is a
/// symbolic link to nothing, or when its directory does not exist.
pub fn destination(path: &Path, output: Output) -> Result<PathBuf> {
    let mut current = path.to_path_buf();
    for _ in 0..MAX_LINK_HOPS {
        let metadata = match std::fs::symlink_metadata(&current) {
            Ok(metadata) => metadata,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if current != path {
                    return Err(refuse(
                        path,
                        output,
                        format!(
                            "is a symbolic link to {}, which does not exist",
                            current.display()
                        ),
                    ));
                }
                let dir = match current.parent() {
                    Some(p) if !p.as_os_str().is_empty() => p,
                    _ => Path::new("."),
                };
                return match std::fs::metadata(dir) {
                    Ok(m) if m.is_dir() => Ok(current),
                    Ok(_) => Err(refuse(
                        path,
                        output,
                        format!("is in {}, which is not a directory", dir.display()),
                    )),
                    Err(_) => Err(refuse(
                        path,
                        output,
                        format!("is in {}, which does not exist", dir.display()),
                    )),
                };
            }
            Err(e) => return Err(Error::io(path, e)),
        };
        let kind = metadata.file_type();
        if kind.is_symlink() {
            let target = std::fs::read_link(&current).map_err(|e| Error::io(&current, e))?;
            current = match current.parent() {
                Some(dir) if target.is_relative() => dir.join(target),
                _ => target,
            };
            continue;
        }
        if kind.is_dir() {
            return Err(refuse(path, output, "is a directory"));
        }
        if !kind.is_file() {
            return Err(refuse(
                path,
                output,
                "is not a regular file (a device, FIFO or socket): refusing to replace it",
            ));
        }
        if metadata.permissions().readonly() {
            return Err(refuse(path, output, "is read-only: refusing to replace it"));
        }
        let links = hard_links(&metadata);
        if links > 1 {
            return Err(refuse(
                path,
                output,
                format!("has {links} hard links: replacing it would split them"),
            ));
        }
        return Ok(current);
    }
    Err(refuse(
        path,
        output,
        "goes through too many levels of symbolic links",
    ))
}

#[cfg(unix)]
fn hard_links(metadata: &std::fs::Metadata) -> u64 {
    use std::os::unix::fs::MetadataExt;
    metadata.nlink()
}

#[cfg(not(unix))]
fn hard_links(_: &std::fs::Metadata) -> u64 {
    1
}

/// Where `path` would be if it existed: its directory canonicalised, its name kept.
fn absolute(path: &Path) -> Option<PathBuf> {
    if let Ok(found) = std::fs::canonicalize(path) {
        return Some(found);
    }
    let name = path.file_name()?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    Some(std::fs::canonicalize(dir).ok()?.join(name))
}

/// [`check_not_inputs`] for a model trained on `data`.
///
/// # Errors
/// As [`check_not_inputs`].
pub fn check_not_training_data(destination: &Path, data: &[PathBuf]) -> Result<()> {
    check_not_inputs(destination, Output::Model, data, None)
}

/// Refuses a destination of `output` (followed as [`destination`] follows it, and refused as
/// it refuses) that is one of the inputs in `data`, or the `model` it was made from, or that
/// lies inside a `data` directory where the next run would read it as data (a `.jsonl`,
/// `.ndjson` or `.csv` file, or any file inside a label folder).
///
/// # Errors
/// [`Error::Destination`] naming the input it would overwrite or poison, or as
/// [`destination`].
pub fn check_not_inputs(
    destination_path: &Path,
    output: Output,
    data: &[PathBuf],
    model: Option<&Path>,
) -> Result<()> {
    let Some(out) = absolute(&destination(destination_path, output)?) else {
        return Ok(());
    };
    let noun = output.noun();
    if let Some(model) = model {
        if std::fs::canonicalize(model).is_ok_and(|model_path| model_path == out) {
            return Err(refuse(
                destination_path,
                output,
                format!(
                    "is the model {}: the {noun} would overwrite it",
                    model.display()
                ),
            ));
        }
    }
    for input in data {
        let Ok(input_path) = std::fs::canonicalize(input) else {
            continue; // reading it will report the problem
        };
        if input_path == out {
            return Err(refuse(
                destination_path,
                output,
                format!(
                    "is the {} {}: the {noun} would overwrite it",
                    output.data(),
                    input.display()
                ),
            ));
        }
        let Ok(inside) = out.strip_prefix(&input_path) else {
            continue;
        };
        let depth = inside.components().count();
        if crate::corpus::is_data_file(&out) || depth > 1 {
            return Err(refuse(
                destination_path,
                output,
                format!(
                    "is inside the {} directory {}: the next run would read the {noun} as data",
                    output.data(),
                    input.display()
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn new_and_plain_files_are_fine() {
        let dir = tempfile::tempdir().unwrap();
        let new = dir.path().join("m.thematic");
        assert_eq!(model_destination(&new).unwrap(), new);
        std::fs::write(&new, b"old").unwrap();
        assert_eq!(model_destination(&new).unwrap(), new);
    }

    #[test]
    fn devices_directories_and_missing_directories_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let message = |p: &Path| model_destination(p).unwrap_err().to_string();
        assert!(message(Path::new("/dev/null")).contains("not a regular file"));
        assert!(message(dir.path()).contains("is a directory"));
        assert!(message(&dir.path().join("nodir/m.thematic")).contains("does not exist"));
    }

    #[test]
    fn read_only_and_hard_linked_files_are_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("ro.thematic");
        std::fs::write(&file, b"old").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o444)).unwrap();
        assert!(model_destination(&file)
            .unwrap_err()
            .to_string()
            .contains("read-only"));
        let linked = dir.path().join("a.thematic");
        std::fs::write(&linked, b"old").unwrap();
        std::fs::hard_link(&linked, dir.path().join("b.thematic")).unwrap();
        assert!(model_destination(&linked)
            .unwrap_err()
            .to_string()
            .contains("2 hard links"));
    }

    #[test]
    fn symlinks_lead_to_their_target_and_dangling_ones_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("real.thematic");
        std::fs::write(&target, b"old").unwrap();
        let link = dir.path().join("link.thematic");
        symlink("real.thematic", &link).unwrap();
        assert_eq!(model_destination(&link).unwrap(), target);
        let dangling = dir.path().join("dangling.thematic");
        symlink("missing.thematic", &dangling).unwrap();
        assert!(model_destination(&dangling)
            .unwrap_err()
            .to_string()
            .contains("does not exist"));
        let looped = dir.path().join("loop");
        symlink("loop", &looped).unwrap();
        assert!(model_destination(&looped)
            .unwrap_err()
            .to_string()
            .contains("too many levels"));
    }

    #[test]
    fn training_inputs_and_data_directories_are_protected() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data.jsonl");
        std::fs::write(&data, b"{}\n").unwrap();
        let inputs = [data.clone(), dir.path().to_path_buf()];
        let link = dir.path().join("link");
        symlink(&data, &link).unwrap();
        for out in [data.clone(), link] {
            let err = check_not_training_data(&out, &inputs[..1]).unwrap_err();
            assert!(err.to_string().contains("is the training data"), "{err}");
        }
        let err = check_not_training_data(&dir.path().join("model.csv"), &inputs[1..]).unwrap_err();
        assert!(
            err.to_string().contains("inside the training data"),
            "{err}"
        );
        std::fs::create_dir(dir.path().join("none")).unwrap();
        let err =
            check_not_training_data(&dir.path().join("none/m.thematic"), &inputs[1..]).unwrap_err();
        assert!(
            err.to_string().contains("inside the training data"),
            "{err}"
        );
        check_not_training_data(&dir.path().join("m.thematic"), &inputs).unwrap();
    }

    #[test]
    fn a_report_is_refused_as_a_report_and_never_over_its_model() {
        let dir = tempfile::tempdir().unwrap();
        let model = dir.path().join("m.thematic");
        std::fs::write(&model, b"model").unwrap();
        let data = dir.path().join("data.jsonl");
        std::fs::write(&data, b"{}\n").unwrap();
        let message = |out: &Path| {
            check_not_inputs(
                out,
                Output::Report,
                std::slice::from_ref(&data),
                Some(&model),
            )
            .unwrap_err()
            .to_string()
        };
        assert_eq!(
            message(&model),
            format!(
                "cannot write the report to {}: it is the model {}: the report would overwrite it",
                model.display(),
                model.display()
            )
        );
        assert!(message(&data).contains("is the data"));
        assert!(message(dir.path()).starts_with("cannot write the report to"));
        check_not_inputs(
            &dir.path().join("r.html"),
            Output::Report,
            &[data],
            Some(&model),
        )
        .unwrap();
    }
}
