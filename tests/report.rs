//! The HTML reports of `evaluate --report` and `inspect --report`, read without a browser: the
//! page parses strictly, holds the curves, marks and bars the model and data call for, shows
//! hostile ids and theme names as text, and is written (or refused) as a model is.

mod common;

use std::path::{Path, PathBuf};

use common::{temp_dir, thematic, write, HOSTILE_IDS, HOSTILE_THEME};
use thematic::Model;

/// A model of [`common::two_theme_jsonl`] in `dir`, and the hostile evaluation data beside it.
fn model_and_data(dir: &Path) -> (PathBuf, PathBuf) {
    let train = write(dir, "train.jsonl", common::two_theme_jsonl());
    let model = dir.join("m.thematic");
    thematic()
        .args(["train", "--data"])
        .arg(&train)
        .arg("--out")
        .arg(&model)
        .args(["--holdout", "0", "--quiet"])
        .assert()
        .success();
    let data = write(dir, "eval.jsonl", common::hostile_evaluation_jsonl());
    (model, data)
}

/// The page parsed as XML: the report is written well-formed, so any markup an id or theme
/// smuggled in unescaped would break this, or show up as an element.
fn parse(page: &str) -> roxmltree::Document<'_> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    roxmltree::Document::parse_with_options(page, options)
        .unwrap_or_else(|e| panic!("the report is not well-formed: {e}"))
}

fn has_class(node: &roxmltree::Node, class: &str) -> bool {
    node.attribute("class")
        .is_some_and(|c| c.split_whitespace().any(|c| c == class))
}

/// Elements under `node` named `tag` with every class in `classes`.
fn count(node: roxmltree::Node, tag: &str, classes: &[&str]) -> usize {
    node.descendants()
        .filter(|n| n.has_tag_name(tag) && classes.iter().all(|c| has_class(n, c)))
        .count()
}

fn no_active_content(document: &roxmltree::Document) {
    for node in document.descendants().filter(|n| n.is_element()) {
        let name = node.tag_name().name();
        assert!(
            !matches!(
                name,
                "script" | "img" | "iframe" | "object" | "embed" | "link" | "b" | "a"
            ),
            "element <{name}> in the report"
        );
        for attribute in node.attributes() {
            assert!(
                !attribute.name().starts_with("on"),
                "event handler {} in the report",
                attribute.name()
            );
        }
    }
}

fn evaluate_report(dir: &Path, model: &Path, data: &Path) -> String {
    let report = dir.join("report.html");
    thematic()
        .args(["evaluate", "--model"])
        .arg(model)
        .arg("--data")
        .arg(data)
        .arg("--report")
        .arg(&report)
        .assert()
        .success();
    std::fs::read_to_string(&report).unwrap()
}

#[test]
fn the_evaluation_report_has_each_themes_curves_marks_bars_and_errors() {
    let dir = temp_dir();
    let (model_path, data) = model_and_data(dir.path());
    let page = evaluate_report(dir.path(), &model_path, &data);
    let document = parse(&page);
    no_active_content(&document);

    // What the page should hold, from the model and the data, counted here.
    let model = Model::load(&model_path).unwrap();
    let documents = thematic::corpus::read_labelled(&data).unwrap();
    let mut workspace = model.workspace();
    let scores: Vec<Vec<f64>> = documents
        .iter()
        .map(|d| model.probabilities(&d.text, &mut workspace).to_vec())
        .collect();
    let sections: Vec<_> = document
        .descendants()
        .filter(|n| n.has_tag_name("section") && has_class(n, "theme"))
        .collect();
    assert_eq!(sections.len(), model.themes().len());
    for (t, (section, theme)) in sections.iter().zip(model.themes()).enumerate() {
        assert_eq!(section.attribute("data-theme"), Some(theme.as_str()));
        let threshold = f64::from(model.scorer().thresholds()[t]);
        let gold: Vec<bool> = documents.iter().map(|d| d.labels.contains(theme)).collect();
        let mut bins: Vec<usize> = scores
            .iter()
            .map(|s| ((s[t] * 10.0) as usize).min(9))
            .collect();
        bins.sort_unstable();
        bins.dedup();
        let false_positives = (0..documents.len())
            .filter(|&d| !gold[d] && scores[d][t] >= threshold)
            .count();
        let false_negatives = (0..documents.len())
            .filter(|&d| gold[d] && scores[d][t] < threshold)
            .count();
        let charts: Vec<_> = section
            .descendants()
            .filter(|n| n.has_tag_name("svg"))
            .collect();
        let kinds: Vec<_> = charts
            .iter()
            .filter_map(|c| c.attribute("data-chart"))
            .collect();
        assert_eq!(
            kinds,
            [
                "precision-recall",
                "f1-threshold",
                "calibration",
                "top-terms"
            ]
        );
        // One curve each: PR, F1 against threshold, calibration; its diagonal.
        for chart in &charts[..3] {
            assert_eq!(count(*chart, "path", &["curve"]), 1, "{theme}");
        }
        assert_eq!(count(charts[2], "path", &["reference"]), 1);
        assert_eq!(count(charts[0], "circle", &["mark", "threshold"]), 1);
        assert_eq!(count(charts[1], "circle", &["mark", "threshold"]), 1);
        assert_eq!(count(charts[1], "circle", &["mark", "best"]), 1);
        assert_eq!(count(charts[1], "line", &["rule"]), 1);
        assert_eq!(count(charts[2], "circle", &["mark", "bin"]), bins.len());
        assert_eq!(
            count(charts[3], "rect", &["bar"]),
            model.top_terms(t, thematic::report::TOP_TERMS).len()
        );
        assert!(count(charts[3], "rect", &["bar"]) > 0);
        let error_rows = count(*section, "tr", &[]).saturating_sub(1);
        assert_eq!(
            error_rows,
            false_positives.min(5) + false_negatives.min(5),
            "{theme}"
        );
    }
    // Gold (themes and none) by tagged (themes and none).
    let co = document
        .descendants()
        .find(|n| n.has_tag_name("table") && has_class(n, "co-occurrence"))
        .expect("co-occurrence table");
    assert_eq!(count(co, "tr", &[]), model.themes().len() + 2);
    assert!(page.contains(&format!("{} documents", documents.len())));
}

#[test]
fn ids_and_theme_names_are_shown_as_text_never_as_markup() {
    let dir = temp_dir();
    let (model, data) = model_and_data(dir.path());
    let page = evaluate_report(dir.path(), &model, &data);
    let document = parse(&page);
    no_active_content(&document);
    let text: String = document
        .descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect();
    // Each mislabelled document is an error of both themes: its id is listed, as written,
    // with control and bidirectional characters made visible.
    for id in HOSTILE_IDS {
        let shown = id
            .replace('\n', "\\n")
            .replace('\u{1b}', "\\u{1b}")
            .replace('\u{0}', "\\u{0}")
            .replace('\u{7}', "\\u{7}")
            .replace('\u{202e}', "\\u{202e}")
            .replace('\u{2066}', "\\u{2066}");
        assert!(text.contains(&shown), "{id:?} is not shown as {shown:?}");
    }
    assert!(text.contains(HOSTILE_THEME));
    for raw in ['\u{1b}', '\u{0}', '\u{7}', '\u{202e}', '\u{2066}'] {
        assert!(!page.contains(raw), "{raw:?} written raw");
    }
}

#[test]
fn a_report_leaves_the_text_and_json_output_as_they_were() {
    let dir = temp_dir();
    let (model, data) = model_and_data(dir.path());
    for format in ["table", "json"] {
        let plain = thematic()
            .args(["evaluate", "--format", format, "--model"])
            .arg(&model)
            .arg("--data")
            .arg(&data)
            .output()
            .unwrap();
        let with_report = thematic()
            .args(["evaluate", "--format", format, "--model"])
            .arg(&model)
            .arg("--data")
            .arg(&data)
            .arg("--report")
            .arg(dir.path().join(format!("{format}.html")))
            .output()
            .unwrap();
        assert!(plain.status.success() && with_report.status.success());
        assert_eq!(plain.stdout, with_report.stdout, "{format}");
    }
}

#[test]
fn the_model_page_shows_every_themes_thresholds_and_top_terms() {
    let dir = temp_dir();
    let (model_path, _) = model_and_data(dir.path());
    let report = dir.path().join("model.html");
    thematic()
        .arg("inspect")
        .arg(&model_path)
        .arg("--report")
        .arg(&report)
        .assert()
        .success();
    let page = std::fs::read_to_string(&report).unwrap();
    let document = parse(&page);
    no_active_content(&document);
    let model = Model::load(&model_path).unwrap();
    let charts: Vec<_> = document
        .descendants()
        .filter(|n| n.attribute("data-chart") == Some("top-terms"))
        .collect();
    assert_eq!(charts.len(), model.themes().len());
    for (t, chart) in charts.iter().enumerate() {
        assert_eq!(
            count(*chart, "rect", &["bar"]),
            model.top_terms(t, thematic::report::TOP_TERMS).len()
        );
    }
    let metrics = document
        .descendants()
        .find(|n| n.has_tag_name("table") && has_class(n, "metrics"))
        .unwrap();
    assert_eq!(count(metrics, "tr", &[]), model.themes().len() + 1);
    for threshold in model.scorer().thresholds() {
        assert!(page.contains(&format!("<td>{:.3}</td>", f64::from(*threshold))));
    }
}

/// Each refusal is said before any work: the data named here does not even exist.
#[cfg(unix)]
#[test]
fn a_report_is_refused_where_a_model_would_be_before_any_work() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir();
    let (model, data) = model_and_data(dir.path());
    let read_only = write(dir.path(), "ro.html", "old");
    std::fs::set_permissions(&read_only, std::fs::Permissions::from_mode(0o444)).unwrap();
    let folders = dir.path().join("folders");
    common::small_folders(&folders);
    let cases: Vec<(Vec<PathBuf>, PathBuf, &str)> = vec![
        (vec![data.clone()], data.clone(), "is the data"),
        (vec![data.clone()], model.clone(), "is the model"),
        (
            vec![folders.clone()],
            folders.join("finance/r.html"),
            "inside the data directory",
        ),
        (
            vec![data.clone()],
            dir.path().to_path_buf(),
            "is a directory",
        ),
        (
            vec![data.clone()],
            PathBuf::from("/dev/null"),
            "not a regular file",
        ),
        (vec![data.clone()], read_only.clone(), "read-only"),
        (
            vec![data.clone()],
            dir.path().join("no/r.html"),
            "does not exist",
        ),
    ];
    for (inputs, report, reason) in &cases {
        let before = std::fs::read(report).ok();
        let output = thematic()
            .args(["evaluate", "--model"])
            .arg(&model)
            .arg("--data")
            .args(inputs)
            .arg("--report")
            .arg(report)
            .assert()
            .code(2)
            .get_output()
            .stderr
            .clone();
        let stderr = String::from_utf8(output).unwrap();
        assert!(
            stderr.starts_with("thematic: error: cannot write the report to")
                && stderr.contains(reason)
                && stderr.lines().count() == 1,
            "{report:?}: {stderr}"
        );
        assert_eq!(std::fs::read(report).ok(), before, "{report:?} changed");
    }
    // Before any work: with data that does not exist, the report is still what is refused.
    let stderr = thematic()
        .args(["evaluate", "--data"])
        .arg(dir.path().join("absent.jsonl"))
        .arg("--report")
        .arg(dir.path())
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    assert!(String::from_utf8(stderr)
        .unwrap()
        .contains("cannot write the report to"));
    let stderr = thematic()
        .arg("inspect")
        .arg(&model)
        .arg("--report")
        .arg(&model)
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    assert!(String::from_utf8(stderr).unwrap().contains("is the model"));
}

/// Like a model, the report replaces its file by a rename: a symbolic link is followed and
/// kept, the file's permissions are kept, and no temporary file is left behind.
#[cfg(unix)]
#[test]
fn a_report_replaces_its_file_atomically_through_a_symlink() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir();
    let (model, data) = model_and_data(dir.path());
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let target = write(&out, "real.html", "old report");
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o640)).unwrap();
    let link = out.join("link.html");
    std::os::unix::fs::symlink("real.html", &link).unwrap();
    thematic()
        .args(["evaluate", "--model"])
        .arg(&model)
        .arg("--data")
        .arg(&data)
        .arg("--report")
        .arg(&link)
        .assert()
        .success()
        .stderr(predicates::str::contains("report written to"));
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    let written = std::fs::read_to_string(&target).unwrap();
    assert!(written.starts_with("<!DOCTYPE html>") && written.ends_with("</html>\n"));
    let mode = std::fs::metadata(&target).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
    let names: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}
