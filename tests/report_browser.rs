//! The HTML reports as a person sees them: rendered by headless Chromium at 1280x800 to a PNG,
//! with no console message (the page's Content-Security-Policy turns any script or fetch into
//! one), and the DOM Chromium built holding each theme's curves, marks and bars.
//!
//! Chromium is Debian's `chromium` (`scripts/install-chromium.sh`; `THEMATIC_CHROMIUM` names
//! another binary). Where there is none, each test says so and passes without looking.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{temp_dir, write};
use thematic::Model;

/// The browser, if one runs here.
fn chromium() -> Option<PathBuf> {
    let candidates: Vec<PathBuf> = match std::env::var_os("THEMATIC_CHROMIUM") {
        Some(named) => vec![PathBuf::from(named)],
        None => ["chromium", "chromium-browser"]
            .iter()
            .map(PathBuf::from)
            .collect(),
    };
    let found = candidates.into_iter().find(|binary| {
        Command::new(binary)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    if found.is_none() {
        eprintln!(
            "SKIPPED: no chromium to render the reports with; run scripts/install-chromium.sh \
             (as root on Debian) or set THEMATIC_CHROMIUM"
        );
    }
    found
}

/// What Chromium made of `page`: its standard output (the DOM with `--dump-dom`) and the
/// console messages it logged.
struct Rendered {
    stdout: String,
    console: Vec<String>,
}

fn render(browser: &Path, page: &Path, action: &[&str]) -> Rendered {
    let profile = temp_dir();
    let output = Command::new("timeout")
        .arg("120")
        .arg(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=1280,800",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(action)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    assert!(output.status.success(), "chromium failed: {output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    Rendered {
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        console: stderr
            .lines()
            .filter(|l| l.contains(":CONSOLE"))
            .map(str::to_string)
            .collect(),
    }
}

/// Width and height from a PNG's header.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    assert_eq!(&bytes[12..16], b"IHDR");
    let number = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    (number(16), number(20))
}

/// How many times `needle` occurs in each `<section class="theme"` part of `dom`.
fn per_theme(dom: &str, needle: &str) -> Vec<usize> {
    dom.split("<section class=\"theme\"")
        .skip(1)
        .map(|part| {
            part.split("</section>")
                .next()
                .unwrap()
                .matches(needle)
                .count()
        })
        .collect()
}

/// The check below can fail: a page that fetches something logs it on the console.
#[test]
fn a_page_that_fetches_is_caught_on_the_console() {
    let Some(browser) = chromium() else { return };
    let dir = temp_dir();
    let page = write(
        dir.path(),
        "fetches.html",
        "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\" \
         content=\"default-src 'none'\"/></head><body><img src=\"http://example.invalid/x.png\"/></body></html>",
    );
    let rendered = render(&browser, &page, &["--dump-dom"]);
    assert!(!rendered.console.is_empty(), "no console message logged");
}

#[test]
fn the_evaluation_report_renders_at_1280x800_with_its_curves_and_no_console_errors() {
    let Some(browser) = chromium() else { return };
    let dir = temp_dir();
    let train = write(dir.path(), "train.jsonl", common::two_theme_jsonl());
    let model_path = dir.path().join("m.thematic");
    let thematic = env!("CARGO_BIN_EXE_thematic");
    let trained = Command::new(thematic)
        .args(["train", "--holdout", "0", "--quiet", "--data"])
        .arg(&train)
        .arg("--out")
        .arg(&model_path)
        .output()
        .unwrap();
    assert!(trained.status.success(), "{trained:?}");
    let data = write(dir.path(), "eval.jsonl", common::hostile_evaluation_jsonl());
    let report = dir.path().join("report.html");
    let evaluated = Command::new(thematic)
        .args(["evaluate", "--model"])
        .arg(&model_path)
        .arg("--data")
        .arg(&data)
        .arg("--report")
        .arg(&report)
        .output()
        .unwrap();
    assert!(evaluated.status.success(), "{evaluated:?}");

    let png = dir.path().join("report.png");
    let shot = render(
        &browser,
        &report,
        &[&format!("--screenshot={}", png.display())],
    );
    assert!(shot.console.is_empty(), "console: {:?}", shot.console);
    let bytes = std::fs::read(&png).expect("chromium wrote the screenshot");
    assert_eq!(png_size(&bytes), (1280, 800));
    // An empty page's screenshot is a few kilobytes; plots and tables take many more.
    let blank = write(
        dir.path(),
        "blank.html",
        "<!DOCTYPE html><html><body></body></html>",
    );
    let blank_png = dir.path().join("blank.png");
    render(
        &browser,
        &blank,
        &[&format!("--screenshot={}", blank_png.display())],
    );
    let blank_size = std::fs::metadata(&blank_png).unwrap().len();
    assert!(
        bytes.len() as u64 > 4 * blank_size,
        "the screenshot ({} bytes) looks blank ({blank_size} bytes for an empty page)",
        bytes.len()
    );

    let dom = render(&browser, &report, &["--dump-dom"]);
    assert!(dom.console.is_empty(), "console: {:?}", dom.console);
    let model = Model::load(&model_path).unwrap();
    let themes = model.themes().len();
    assert_eq!(
        per_theme(&dom.stdout, "<path class=\"curve\"").len(),
        themes
    );
    assert_eq!(
        per_theme(&dom.stdout, "<path class=\"curve\""),
        vec![3; themes]
    );
    assert_eq!(
        per_theme(&dom.stdout, "<path class=\"reference\""),
        vec![1; themes]
    );
    assert_eq!(
        per_theme(&dom.stdout, "class=\"mark threshold\""),
        vec![2; themes]
    );
    assert_eq!(
        per_theme(&dom.stdout, "class=\"mark best\""),
        vec![1; themes]
    );
    let bars: Vec<usize> = (0..themes)
        .map(|t| model.top_terms(t, thematic::report::TOP_TERMS).len())
        .collect();
    assert_eq!(per_theme(&dom.stdout, "<rect class=\"bar\""), bars);
    assert!(bars.iter().all(|&n| n > 0));
    // The hostile ids stayed text in the browser's DOM too.
    assert!(
        !dom.stdout.contains("<script"),
        "a script element in the DOM"
    );
    assert!(dom
        .stdout
        .contains("&lt;script&gt;alert(\"id\")&lt;/script&gt;"));

    let model_page = dir.path().join("model.html");
    let inspected = Command::new(thematic)
        .arg("inspect")
        .arg(&model_path)
        .arg("--report")
        .arg(&model_page)
        .output()
        .unwrap();
    assert!(inspected.status.success(), "{inspected:?}");
    let dom = render(&browser, &model_page, &["--dump-dom"]);
    assert!(dom.console.is_empty(), "console: {:?}", dom.console);
    assert_eq!(
        dom.stdout.matches("<rect class=\"bar\"").count(),
        bars.iter().sum::<usize>()
    );
}
