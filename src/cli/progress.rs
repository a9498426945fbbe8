//! Progress on standard error, [`Progress`]: an `indicatif` bar shown only when standard error
//! is a terminal and `--quiet` is not given. The library reports what it does (see
//! [`thematic::TrainProgress`]); drawing it is the command line's.

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use thematic::{Split, TrainProgress};

/// The bar being drawn, if any: notes and errors printed meanwhile go above it
/// (see [`suspend`]), not through it.
static ACTIVE: Mutex<Option<ProgressBar>> = Mutex::new(None);

/// Runs `print` (a line on standard error) with the bar, if one is drawn, out of its way.
pub fn suspend(print: impl FnOnce()) {
    let active = ACTIVE.lock().ok().and_then(|bar| bar.clone());
    match active {
        Some(bar) => bar.suspend(print),
        None => print(),
    }
}

/// Whether progress may be drawn: standard error is a terminal and `--quiet` was not given.
pub fn wanted(quiet: bool) -> bool {
    use std::io::IsTerminal;
    !quiet && std::io::stderr().is_terminal()
}

/// A progress bar, or nothing (`None` inside) when progress is not wanted.
pub struct Progress {
    bar: Option<ProgressBar>,
    /// Fits ended in the current fitting stage, and how many it has.
    fits: AtomicU32,
    fits_total: AtomicU32,
    /// Whether the current fitting stage is the final model's.
    final_fit: std::sync::atomic::AtomicBool,
    /// For classify: drawn only once the run has lasted this long (a quick run shows nothing).
    delay: Option<(Instant, Duration)>,
    shown: std::sync::atomic::AtomicBool,
    /// For classify: inputs done, and what they are ("files", "lines").
    inputs: AtomicU64,
    unit: &'static str,
}

/// How long a `classify` run goes before its progress is shown.
const CLASSIFY_DELAY: Duration = Duration::from_secs(1);

impl Progress {
    /// A bar, drawn once [`Progress::show`] is called (`delay`: the run's length after which
    /// [`Progress::classified`] calls it).
    fn new(enabled: bool, delay: Option<Duration>) -> Progress {
        let bar = enabled.then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden())
                .with_style(style("{spinner} {msg}"));
            if let Ok(mut active) = ACTIVE.lock() {
                *active = Some(bar.clone());
            }
            bar
        });
        Progress {
            bar,
            fits: AtomicU32::new(0),
            fits_total: AtomicU32::new(0),
            final_fit: false.into(),
            delay: delay.map(|delay| (Instant::now(), delay)),
            shown: false.into(),
            inputs: AtomicU64::new(0),
            unit: "",
        }
    }

    /// Progress of `train`: shown at once.
    pub fn train(quiet: bool) -> Progress {
        let progress = Progress::new(wanted(quiet), None);
        progress.spinner("reading data");
        progress.show();
        progress
    }

    /// Progress of `classify`: files (or lines) and bytes done, shown once the run has lasted
    /// a second; never while the results themselves go to the terminal (the bar would be
    /// drawn through them).
    /// `unit` names the inputs counted: "files" or "lines".
    pub fn classify(quiet: bool, unit: &'static str) -> Progress {
        use std::io::IsTerminal;
        let enabled = wanted(quiet) && !std::io::stdout().is_terminal();
        let mut progress = Progress::new(enabled, Some(CLASSIFY_DELAY));
        progress.unit = unit;
        if let Some(bar) = &progress.bar {
            bar.set_style(style(
                "{spinner} {msg}, {binary_bytes} · {binary_bytes_per_sec}",
            ));
        }
        progress
    }

    fn show(&self) {
        if let Some(bar) = &self.bar {
            if !self.shown.swap(true, Ordering::Relaxed) {
                bar.set_draw_target(ProgressDrawTarget::stderr());
                // Drawn now: `tick` does nothing once the steady ticker runs.
                bar.tick();
                bar.enable_steady_tick(Duration::from_millis(120));
            }
        }
    }

    fn spinner(&self, message: &'static str) {
        if let Some(bar) = &self.bar {
            bar.set_style(style("{spinner} {msg} ({elapsed})"));
            bar.set_message(message);
        }
    }

    fn counter(&self, message: String, total: u64) {
        if let Some(bar) = &self.bar {
            bar.reset();
            bar.set_length(total);
            bar.set_message(message);
            bar.set_style(style(
                "{spinner} {msg} [{wide_bar}] {human_pos}/{human_len} docs · {rate} · ETA {eta}",
            ));
        }
    }

    /// Takes one report of the library's training.
    pub fn training(&self, event: TrainProgress) {
        let Some(bar) = &self.bar else { return };
        match event {
            TrainProgress::Analysing { documents } => {
                self.counter("analysing".into(), documents);
            }
            TrainProgress::Vectorizing { split, .. } => {
                self.spinner(match split {
                    Split::HeldOut => "held-out scores: vocabulary and TF-IDF",
                    _ => "final model: vocabulary and TF-IDF",
                });
            }
            TrainProgress::Fitting {
                split,
                fits,
                documents,
            } => {
                self.fits.store(0, Ordering::Relaxed);
                self.final_fit
                    .store(split == Split::Final, Ordering::Relaxed);
                self.fits_total.store(fits, Ordering::Relaxed);
                self.counter(fitting_message(split, 0, fits), documents);
            }
            TrainProgress::Documents(documents) => bar.inc(documents),
            TrainProgress::FitDone => {
                let done = self.fits.fetch_add(1, Ordering::Relaxed) + 1;
                let total = self.fits_total.load(Ordering::Relaxed);
                let split = if self.final_fit.load(Ordering::Relaxed) {
                    Split::Final
                } else {
                    Split::HeldOut
                };
                bar.set_message(fitting_message(split, done, total));
            }
            _ => {}
        }
    }

    /// `inputs` more inputs (files or lines) and `bytes` more bytes classified: called once a
    /// batch, never per document.
    pub fn classified(&self, inputs: u64, bytes: u64) {
        let Some(bar) = &self.bar else { return };
        let done = self.inputs.fetch_add(inputs, Ordering::Relaxed) + inputs;
        bar.set_message(format!("{done} {}", self.unit));
        bar.inc(bytes);
        if let Some((start, delay)) = self.delay {
            if start.elapsed() >= delay {
                self.show();
            }
        }
    }

    /// Clears the bar (before a report is printed, or at the end).
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
            if let Ok(mut active) = ACTIVE.lock() {
                *active = None;
            }
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

fn fitting_message(split: Split, done: u32, total: u32) -> String {
    let split = match split {
        Split::HeldOut => "held-out scores",
        _ => "final model",
    };
    format!("{split}: fits {done}/{total}")
}

fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template)
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .with_key(
            "rate",
            |state: &indicatif::ProgressState, out: &mut dyn std::fmt::Write| {
                let rate = indicatif::HumanCount(state.per_sec() as u64);
                let _ = write!(out, "{rate}/s");
            },
        )
        .progress_chars("=> ")
}
