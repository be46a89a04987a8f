//! The Connections feature's slice of the model: two lists, one focused.

use cosell_core::partner::types::*;

use super::columns::{ConnectionColumn, InvitationColumn};
use crate::app::core::shell::Details;
use crate::app::core::table::Table;

/// The Connections tab holds two lists; one has the focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Connections,
    Invitations,
}

pub struct Connections {
    pub connections: Table<Connection>,
    pub invitations: Table<ConnectionInvitation>,
    pub pane: Pane,
    pub connection_details: Details<Connection>,
    pub invitation_details: Details<ConnectionInvitation>,
}

impl Default for Connections {
    fn default() -> Self {
        Connections {
            connections: Table::with_sort(ConnectionColumn::Partner, false),
            invitations: Table::with_sort(InvitationColumn::Created, true),
            pane: Pane::Connections,
            connection_details: Details::new(),
            invitation_details: Details::new(),
        }
    }
}
