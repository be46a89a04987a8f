//! The Channel feature's slice of the model: three lists, one shown at a time.

use cosell_core::partner::types::*;

use super::columns::{AccountColumn, HandshakeColumn, RelationshipColumn};
use crate::app::core::table::Table;

/// The Channel tab's lists; `w` moves between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Accounts,
    Relationships,
    Handshakes,
}

impl Pane {
    pub const ALL: [Pane; 3] = [Pane::Accounts, Pane::Relationships, Pane::Handshakes];

    pub fn title(self) -> &'static str {
        match self {
            Pane::Accounts => "Program accounts",
            Pane::Relationships => "Relationships",
            Pane::Handshakes => "Handshakes",
        }
    }

    pub fn next(self) -> Pane {
        match self {
            Pane::Accounts => Pane::Relationships,
            Pane::Relationships => Pane::Handshakes,
            Pane::Handshakes => Pane::Accounts,
        }
    }
}

pub struct Channel {
    pub accounts: Table<ProgramAccount>,
    pub relationships: Table<ChannelRelationship>,
    pub handshakes: Table<Handshake>,
    pub pane: Pane,
    /// Why this account cannot use the channel API (AccessDenied), once it said so: the tab
    /// shows it instead of lists, and nothing reads the API again until R on this tab.
    pub unavailable: Option<String>,
}

impl Default for Channel {
    fn default() -> Self {
        Channel {
            accounts: Table::with_sort(AccountColumn::Name, false),
            relationships: Table::with_sort(RelationshipColumn::Name, false),
            handshakes: Table::with_sort(HandshakeColumn::Updated, true),
            pane: Pane::Handshakes,
            unavailable: None,
        }
    }
}

impl Channel {
    /// The account is in no channel program: every list read, and all of them empty. The tab
    /// says so once instead of three empty lists.
    pub fn no_program(&self) -> bool {
        use crate::app::core::table::Load;
        [
            (&self.accounts.load, self.accounts.rows.is_empty()),
            (&self.relationships.load, self.relationships.rows.is_empty()),
            (&self.handshakes.load, self.handshakes.rows.is_empty()),
        ]
        .iter()
        .all(|(load, empty)| matches!(load, Load::Loaded) && *empty)
    }

    /// A program management account's display name, by id, when it has been read.
    pub fn account_name(&self, id: &str) -> Option<&str> {
        self.accounts.get(id).map(|a| a.name.as_str())
    }
}
