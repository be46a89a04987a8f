//! The Benefits tab: the benefits a partner can apply for, its applications (with their review
//! status and stage) and the allocations approvals produced. Apply (from a benefit, or from an
//! opportunity with `B`), edit, submit, amend, recall and cancel applications.

pub mod actions;
pub mod columns;
pub mod forms;
pub mod results;
pub mod state;
pub mod types;
