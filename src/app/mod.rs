//! The pure heart of the TUI: the model, messages, effects and `update`. No I/O, no ratatui
//! widgets (but the text-area editing model), no SDK.
//!
//! Layers, bottom up, each using only those below it: `core` (lists, columns, pickers, forms,
//! keymap, the shell) · each feature's `types` and `state` · `msg` and `model`, which wrap them
//! · `shared` (sending, following, loading) · the features' behaviour · `update`, the router.

pub mod command;
pub mod core;
pub mod features;
pub mod model;
pub mod msg;
pub mod shared;
pub mod update;

pub use self::core::keymap::{self, Tab};
pub use self::core::shell::{Context, Level, Loadable, Toast};
pub use model::*;
pub use msg::*;
pub use update::{init, update};
