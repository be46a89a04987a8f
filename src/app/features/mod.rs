//! One room per feature: each owns its slice of the model (`state`), its vocabulary (`types`:
//! intents, pickers, forms), its list descriptors (`columns`), and its keys and results.
//! Features use the shared machinery below them; a feature may call a lower feature's public
//! functions (referrals and solutions use opportunities), never the other way round.

pub mod benefits;
pub mod channel;
pub mod connections;
pub mod opportunities;
pub mod profile;
pub mod referrals;
pub mod solutions;
