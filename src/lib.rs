//! cosell: a keyboard-first terminal UI and CLI for AWS Partner Central co-selling. This crate
//! is the top layer: the pure app model (`app`), drawing (`ui`), the terminal and effect runner
//! (`tui`) and the command line (`cli`). The client, domain types and cache are in
//! `cosell-core`; the local Partner Central is `cosell-sandbox`.

pub mod app;
pub mod cli;
pub mod config;
pub mod tui;
pub mod ui;
