//! Machinery every feature uses and no feature owns: lists and their column descriptors,
//! pickers, confirmations and forms, the keymap, and the shell (clock, requests, ClientTokens,
//! toasts, in-flight marks, the rule that refuses changes). Nothing here knows a feature.

pub mod column;
pub mod form;
pub mod keymap;
pub mod popup;
pub mod shell;
pub mod table;
