//! thematic tags news and policy text with themes, with a score per theme and the keywords
//! that carried the decision.
//!
//! The pipeline, one module per stage:
//! [`corpus`] (walk paths, read files, decode text) ->
//! [`analysis`] (normalize, tokenize, lowercase, stop words, Snowball stem, memoised) ->
//! [`features`] (vocabulary, sublinear TF-IDF, L2-normalised sparse vectors) ->
//! [`model`] (one linfa-trained linear scorer per theme, tuned thresholds, the model file) and
//! [`keywords`] (the document's index terms) ->
//! [`Classification`] (themes, scores, keywords, evidence).
//! [`training`] fits a [`Model`] from labelled [`corpus`] data; [`metrics`] scores it;
//! [`report`] shows it as an HTML page.
//!
//! ```
//! use thematic::{ClassifyOptions, Model};
//!
//! let model = Model::embedded()?;
//! let mut workspace = model.workspace();
//! let text = "Parliament passed the budget after a long debate over tax rises and public debt.";
//! let result = model.classify(text, &mut workspace, &ClassifyOptions::default());
//! assert!(result.themes.contains(&"economy"));
//! assert_eq!(result.scores.len(), model.themes().len());
//! # Ok::<(), thematic::Error>(())
//! ```
#![deny(missing_docs)]

pub mod analysis;
pub mod corpus;
mod error;
pub mod features;
pub mod keywords;
pub mod memory;
pub mod metrics;
pub mod model;
mod open;
pub mod report;
pub mod training;

pub use corpus::LabelledDocument;
pub use error::{Error, Result};
pub use metrics::Metrics;
pub use model::{Classification, ClassifyOptions, Model, Workspace, WorkspacePool};
pub use training::{train, train_with_progress, Split, TrainOptions, TrainProgress, TrainReport};
