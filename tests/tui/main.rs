//! The TUI at every layer: update rules, rendered screens, the client against the sandbox, and
//! the real binary in a terminal.

mod client;
mod connections;
mod e2e;
mod fixtures;
mod flows;
mod funding;
mod referrals;
mod snapshots;
mod triage;
mod update;
mod writes;
