//! The Partner Central client layer: domain types, the client over both SDKs, pacing and errors.
//! It knows nothing about the UI.

pub mod audit;
pub mod client;
pub mod document;
pub mod error;
pub mod pacing;
pub mod rules;
mod sdk_document;
pub mod types;
pub mod vocab;

pub use client::{
    ApplicationChange, HandshakeAnswer, NewHandshake, NewRelationship, PartnerClient, Settings,
};
pub use error::{FailureKind, PartnerError, Surface};
