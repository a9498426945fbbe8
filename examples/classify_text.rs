//! Classify a text with the built-in model from Rust code.
//!
//! Run: `cargo run --example classify_text -- "Parliament passed the budget."`

use thematic::{ClassifyOptions, Model};

fn main() -> thematic::Result<()> {
    let text = std::env::args().skip(1).collect::<Vec<_>>().join(" ");
    let model = Model::embedded()?;
    // One workspace per thread: reusable buffers and the stemming memo.
    let mut workspace = model.workspace();
    let result = model.classify(&text, &mut workspace, &ClassifyOptions::default());
    println!("themes:   {:?}", result.themes);
    for (theme, score) in &result.scores {
        println!("  {theme:<12} {score:.3}");
    }
    println!("keywords: {}", result.keywords.join(", "));
    Ok(())
}
