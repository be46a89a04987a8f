//! The Connections tab: partner connections and connection invitations, both directions:
//! invite, accept, reject, cancel, end a connection.

pub mod actions;
pub mod columns;
pub mod forms;
pub mod results;
pub mod state;
pub mod types;
