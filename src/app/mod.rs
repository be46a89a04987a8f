//! The pure heart of the TUI: model, messages, effects, keymap and `update`. No I/O, no
//! ratatui widgets, no SDK.

pub mod connections;
pub mod flows;
pub mod keymap;
pub mod model;
pub mod popup;
pub mod referrals;
pub mod table;
pub mod update;

pub use model::*;
pub use update::{init, update};
