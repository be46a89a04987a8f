//! The two Connections lists: their columns and how rows are searched.

use cosell_core::partner::types::*;

use crate::app::core::column::{Cell, Column, Row, Tone, Width, cmp_opt};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectionColumn {
    Partner,
    Account,
    Types,
    Updated,
}

fn types_text(c: &Connection) -> String {
    c.types
        .iter()
        .map(|t| {
            format!(
                "{} {}",
                t.connection_type.words(),
                t.status.as_str().to_lowercase()
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

static CONNECTION_COLUMNS: [Column<Connection>; 4] = [
    Column {
        id: ConnectionColumn::Partner,
        title: "Partner",
        width: Width::Fill { weight: 2, min: 18 },
        drop_rank: None,
        facet: None,
        only_with: None,
        compare: |a, b| cmp_opt(&a.other_name, &b.other_name),
        cell: |c, _| Cell::opt(c.other_name.as_deref()),
    },
    Column {
        id: ConnectionColumn::Account,
        title: "Account",
        width: Width::Fixed(13),
        drop_rank: Some(1),
        facet: None,
        only_with: None,
        compare: |a, b| a.other_account.cmp(&b.other_account),
        cell: |c, _| Cell::new(c.other_account.clone()),
    },
    Column {
        id: ConnectionColumn::Types,
        title: "Connection types",
        width: Width::Fill { weight: 3, min: 20 },
        drop_rank: None,
        facet: None,
        only_with: None,
        compare: |a, b| a.types.len().cmp(&b.types.len()),
        cell: |c, _| Cell::new(types_text(c)),
    },
    Column {
        id: ConnectionColumn::Updated,
        title: "Updated",
        width: Width::Fixed(10),
        drop_rank: Some(0),
        facet: None,
        only_with: None,
        compare: |a, b| cmp_opt(&a.updated, &b.updated),
        cell: |c, _| Cell::new(c.updated.map(cosell_core::times::date).unwrap_or_default()),
    },
];

impl Row for Connection {
    type Column = ConnectionColumn;

    fn columns() -> &'static [Column<Self>] {
        &CONNECTION_COLUMNS
    }

    fn key(&self) -> &str {
        &self.id
    }

    fn haystack(&self) -> String {
        format!(
            "{} {} {} {}",
            self.id,
            self.other_name.as_deref().unwrap_or(""),
            self.other_account,
            self.types
                .iter()
                .map(|t| format!("{} {}", t.connection_type, t.status))
                .collect::<Vec<_>>()
                .join(" ")
        )
        .to_lowercase()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvitationColumn {
    Direction,
    Other,
    Type,
    Status,
    Expires,
    Created,
}

static INVITATION_COLUMNS: [Column<ConnectionInvitation>; 6] = [
    Column {
        id: InvitationColumn::Direction,
        title: "Direction",
        width: Width::Fixed(9),
        drop_rank: None,
        facet: None,
        only_with: None,
        compare: |a, b| a.direction.as_str().cmp(b.direction.as_str()),
        cell: |i, _| {
            Cell::new(if i.direction == ParticipantType::Sender {
                "sent"
            } else {
                "received"
            })
        },
    },
    Column {
        id: InvitationColumn::Other,
        title: "Other party",
        width: Width::Fixed(14),
        drop_rank: None,
        facet: None,
        only_with: None,
        compare: |a, b| a.other.cmp(&b.other),
        cell: |i, _| Cell::new(i.other.clone()),
    },
    Column {
        id: InvitationColumn::Type,
        title: "Type",
        width: Width::Fill { weight: 2, min: 12 },
        drop_rank: Some(1),
        facet: None,
        only_with: None,
        compare: |a, b| a.connection_type.cmp(&b.connection_type),
        cell: |i, _| Cell::new(i.connection_type.words()),
    },
    Column {
        id: InvitationColumn::Status,
        title: "Status",
        width: Width::Fixed(9),
        drop_rank: None,
        facet: None,
        only_with: None,
        compare: |a, b| a.status.as_str().cmp(b.status.as_str()),
        cell: |i, _| {
            let tone = match i.status {
                ConnectionInvitationStatus::Pending => Tone::Warn,
                ConnectionInvitationStatus::Accepted => Tone::Good,
                _ => Tone::Dim,
            };
            Cell::toned(i.status.as_str(), tone)
        },
    },
    Column {
        id: InvitationColumn::Expires,
        title: "Expires",
        width: Width::Fixed(10),
        drop_rank: Some(2),
        facet: None,
        only_with: None,
        compare: |a, b| cmp_opt(&a.expires, &b.expires),
        cell: |i, _| Cell::new(i.expires.map(cosell_core::times::date).unwrap_or_default()),
    },
    Column {
        id: InvitationColumn::Created,
        title: "Created",
        width: Width::Fixed(10),
        drop_rank: Some(0),
        facet: None,
        only_with: None,
        compare: |a, b| cmp_opt(&a.created, &b.created),
        cell: |i, _| Cell::new(i.created.map(cosell_core::times::date).unwrap_or_default()),
    },
];

impl Row for ConnectionInvitation {
    type Column = InvitationColumn;

    fn columns() -> &'static [Column<Self>] {
        &INVITATION_COLUMNS
    }

    fn key(&self) -> &str {
        &self.id
    }

    fn haystack(&self) -> String {
        format!(
            "{} {} {} {} {}",
            self.id, self.direction, self.other, self.connection_type, self.status
        )
        .to_lowercase()
    }
}
