//! The Opportunities tab: triage the pipeline, change stage, next steps and close date, create,
//! assign, link solutions, submit to AWS. `types` and `state` are its vocabulary and its slice
//! of the model; `actions`, `forms`, `picks` and `results` its behaviour.

pub mod actions;
pub mod columns;
pub mod forms;
pub mod full_edit;
pub mod picks;
pub mod products;
pub mod results;
pub mod state;
pub mod types;
