//! The three Channel lists: their columns and how rows are searched.

use cosell_core::partner::types::*;

use crate::app::core::column::{Cell, Column, Facet, Row, Tone, Width, cmp_opt, haystack};

/// Every status a handshake can have.
pub const HANDSHAKE_STATUSES: &[&str] = &["PENDING", "ACCEPTED", "REJECTED", "CANCELED", "EXPIRED"];

/// An API word as people read it: START_SERVICE_PERIOD → start service period.
pub fn words(api: &str) -> String {
    api.replace('_', " ").to_lowercase()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountColumn {
    Name,
    Program,
    Account,
    Status,
}

static ACCOUNT_COLUMNS: [Column<ProgramAccount>; 4] = [
    Column {
        id: AccountColumn::Name,
        title: "Program account",
        width: Width::Fill { weight: 3, min: 18 },
        drop_rank: None,
        facet: None,
        only_with: None,
        compare: |a, b| a.name.cmp(&b.name),
        cell: |a, _| Cell::new(a.name.clone()),
    },
    Column {
        id: AccountColumn::Program,
        title: "Program",
        width: Width::Fill { weight: 2, min: 14 },
        drop_rank: Some(1),
        facet: None,
        only_with: None,
        compare: |a, b| a.program.cmp(&b.program),
        cell: |a, _| Cell::new(words(&a.program)),
    },
    Column {
        id: AccountColumn::Account,
        title: "AWS account",
        width: Width::Fixed(13),
        drop_rank: Some(0),
        facet: None,
        only_with: None,
        compare: |a, b| a.account_id.cmp(&b.account_id),
        cell: |a, _| Cell::new(a.account_id.clone()),
    },
    Column {
        id: AccountColumn::Status,
        title: "Status",
        width: Width::Fixed(9),
        drop_rank: None,
        facet: None,
        only_with: None,
        compare: |a, b| a.status.cmp(&b.status),
        cell: |a, _| {
            let tone = match a.status.as_str() {
                "ACTIVE" => Tone::Good,
                "PENDING" => Tone::Warn,
                _ => Tone::Dim,
            };
            Cell::toned(a.status.to_lowercase(), tone)
        },
    },
];

impl Row for ProgramAccount {
    type Column = AccountColumn;

    fn columns() -> &'static [Column<Self>] {
        &ACCOUNT_COLUMNS
    }

    fn key(&self) -> &str {
        &self.id
    }

    fn haystack(&self) -> String {
        haystack([
            Some(self.id.as_str()),
            Some(self.name.as_str()),
            Some(self.program.as_str()),
            Some(self.account_id.as_str()),
            Some(self.status.as_str()),
        ])
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelationshipColumn {
    Name,
    Kind,
    Account,
    Sector,
    Start,
}

static RELATIONSHIP_COLUMNS: [Column<ChannelRelationship>; 5] = [
    Column {
        id: RelationshipColumn::Name,
        title: "Relationship",
        width: Width::Fill { weight: 3, min: 18 },
        drop_rank: None,
        facet: None,
        only_with: None,
        compare: |a, b| a.name.cmp(&b.name),
        cell: |r, _| Cell::new(r.name.clone()),
    },
    Column {
        id: RelationshipColumn::Kind,
        title: "Type",
        width: Width::Fixed(17),
        drop_rank: Some(2),
        facet: None,
        only_with: None,
        compare: |a, b| a.kind.cmp(&b.kind),
        cell: |r, _| Cell::new(words(&r.kind)),
    },
    Column {
        id: RelationshipColumn::Account,
        title: "AWS account",
        width: Width::Fixed(13),
        drop_rank: None,
        facet: None,
        only_with: None,
        compare: |a, b| a.account_id.cmp(&b.account_id),
        cell: |r, _| Cell::new(r.account_id.clone()),
    },
    Column {
        id: RelationshipColumn::Sector,
        title: "Sector",
        width: Width::Fixed(11),
        drop_rank: Some(0),
        facet: None,
        only_with: None,
        compare: |a, b| cmp_opt(&a.sector, &b.sector),
        cell: |r, _| Cell::new(r.sector.as_deref().map(words).unwrap_or_default()),
    },
    Column {
        id: RelationshipColumn::Start,
        title: "Service from",
        width: Width::Fixed(12),
        drop_rank: Some(1),
        facet: None,
        only_with: None,
        compare: |a, b| cmp_opt(&a.start, &b.start),
        cell: |r, _| match r.start {
            Some(at) => Cell::new(cosell_core::times::date(at)),
            None => Cell::toned("not started", Tone::Dim),
        },
    },
];

impl Row for ChannelRelationship {
    type Column = RelationshipColumn;

    fn columns() -> &'static [Column<Self>] {
        &RELATIONSHIP_COLUMNS
    }

    fn key(&self) -> &str {
        &self.id
    }

    fn haystack(&self) -> String {
        haystack([
            Some(self.id.as_str()),
            Some(self.name.as_str()),
            Some(self.kind.as_str()),
            Some(self.account_id.as_str()),
            Some(self.program_account.as_str()),
            self.sector.as_deref(),
        ])
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HandshakeColumn {
    Direction,
    Kind,
    Other,
    Status,
    Resource,
    Updated,
}

static HANDSHAKE_COLUMNS: [Column<Handshake>; 6] = [
    Column {
        id: HandshakeColumn::Direction,
        title: "Direction",
        width: Width::Fixed(9),
        drop_rank: None,
        facet: None,
        only_with: None,
        compare: |a, b| a.received.cmp(&b.received),
        cell: |h, _| Cell::new(if h.received { "received" } else { "sent" }),
    },
    Column {
        id: HandshakeColumn::Kind,
        title: "Type",
        width: Width::Fill { weight: 2, min: 20 },
        drop_rank: None,
        facet: None,
        only_with: None,
        compare: |a, b| a.kind.cmp(&b.kind),
        cell: |h, cx| match cx.pending {
            Some(doing) => Cell::toned(format!("{doing}… {}", words(&h.kind)), Tone::Warn),
            None => Cell::new(words(&h.kind)),
        },
    },
    Column {
        id: HandshakeColumn::Other,
        title: "Other party",
        width: Width::Fill { weight: 2, min: 14 },
        drop_rank: Some(2),
        facet: None,
        only_with: None,
        compare: |a, b| cmp_opt(&a.sender_name, &b.sender_name),
        cell: |h, _| {
            let other = if h.received {
                h.sender_name.as_deref().or(h.sender.as_deref())
            } else {
                h.receiver.as_deref()
            };
            Cell::opt(other)
        },
    },
    Column {
        id: HandshakeColumn::Status,
        title: "Status",
        width: Width::Fixed(9),
        drop_rank: None,
        facet: Some(Facet::HandshakeStatus),
        only_with: None,
        compare: |a, b| a.status.cmp(&b.status),
        cell: |h, _| {
            let tone = match h.status.as_str() {
                "PENDING" => Tone::Warn,
                "ACCEPTED" => Tone::Good,
                _ => Tone::Dim,
            };
            Cell::toned(h.status.to_lowercase(), tone)
        },
    },
    Column {
        id: HandshakeColumn::Resource,
        title: "For",
        width: Width::Fixed(16),
        drop_rank: Some(1),
        facet: None,
        only_with: None,
        compare: |a, b| cmp_opt(&a.resource, &b.resource),
        cell: |h, _| Cell::opt(h.resource.as_deref()),
    },
    Column {
        id: HandshakeColumn::Updated,
        title: "Updated",
        width: Width::Fixed(10),
        drop_rank: Some(0),
        facet: None,
        only_with: None,
        compare: |a, b| cmp_opt(&a.updated, &b.updated),
        cell: |h, _| Cell::new(h.updated.map(cosell_core::times::date).unwrap_or_default()),
    },
];

impl Row for Handshake {
    type Column = HandshakeColumn;

    fn columns() -> &'static [Column<Self>] {
        &HANDSHAKE_COLUMNS
    }

    fn key(&self) -> &str {
        &self.id
    }

    fn haystack(&self) -> String {
        haystack([
            Some(self.id.as_str()),
            Some(self.kind.as_str()),
            Some(self.status.as_str()),
            Some(if self.received { "received" } else { "sent" }),
            self.sender.as_deref(),
            self.sender_name.as_deref(),
            self.receiver.as_deref(),
            self.resource.as_deref(),
        ])
    }

    fn facet(&self, facet: Facet) -> Option<&str> {
        match facet {
            Facet::HandshakeStatus => Some(self.status.as_str()),
            Facet::Stage
            | Facet::ReviewStatus
            | Facet::InvitationStatus
            | Facet::PayloadType
            | Facet::SolutionStatus
            | Facet::ApplicationStatus
            | Facet::Attention => None,
        }
    }

    fn quick_groups() -> Vec<(Facet, &'static [&'static str])> {
        vec![(Facet::HandshakeStatus, HANDSHAKE_STATUSES)]
    }
}
