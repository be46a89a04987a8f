//! The sandbox driven through the real AWS SDK clients (and raw HTTP for what no SDK sends).

mod account;
mod benefits;
mod channel;
mod common;
mod engagements;
mod hardening;
mod leniency;
mod protocol;
mod selling;
