//! The Channel tab: the partner's program management accounts, the relationships under them
//! and the handshakes in and out: create a relationship, send a handshake, accept, reject or
//! cancel one.

pub mod actions;
pub mod columns;
pub mod forms;
pub mod results;
pub mod state;
pub mod types;
