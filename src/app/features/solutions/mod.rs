//! The Solutions tab: the partner's solutions, and linking one to an opportunity.

pub mod actions;
pub mod columns;
pub mod state;
pub mod types;
