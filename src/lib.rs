//! cosell: a keyboard-first terminal UI and CLI for AWS Partner Central co-selling, and the
//! local Partner Central sandbox it is tested against.

pub mod app;
pub mod cli;
pub mod config;
pub mod partner;
pub mod report;
pub mod sandbox;
pub mod store;
pub mod tui;
pub mod ui;
