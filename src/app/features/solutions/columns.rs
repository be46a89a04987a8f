//! The Solutions list: its columns and how a row is searched and quick-filtered.

use cosell_core::partner::types::*;

use crate::app::core::column::{Cell, Column, Facet, Row, Tone, Width, cmp_opt, id_number};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SolutionColumn {
    Id,
    Name,
    Category,
    Status,
    Created,
    Marketplace,
}

static COLUMNS: [Column<Solution>; 6] = [
    Column {
        id: SolutionColumn::Id,
        title: "Id",
        width: Width::Fixed(10),
        drop_rank: None,
        facet: None,
        only_with: None,
        compare: |a, b| id_number(&a.id).cmp(&id_number(&b.id)),
        cell: |s, _| Cell::new(s.id.clone()),
    },
    Column {
        id: SolutionColumn::Name,
        title: "Name",
        width: Width::Fill { weight: 3, min: 20 },
        drop_rank: None,
        facet: None,
        only_with: None,
        compare: |a, b| a.name.cmp(&b.name),
        cell: |s, _| Cell::new(s.name.clone()),
    },
    Column {
        id: SolutionColumn::Category,
        title: "Category",
        width: Width::Fixed(22),
        drop_rank: Some(2),
        facet: None,
        only_with: None,
        compare: |a, b| a.category.cmp(&b.category),
        cell: |s, _| Cell::new(s.category.clone()),
    },
    Column {
        id: SolutionColumn::Status,
        title: "Status",
        width: Width::Fixed(9),
        drop_rank: None,
        facet: Some(Facet::SolutionStatus),
        only_with: None,
        compare: |a, b| a.status.as_str().cmp(b.status.as_str()),
        cell: |s, _| {
            let tone = match s.status {
                SolutionStatus::Active => Tone::Good,
                SolutionStatus::Draft => Tone::Warn,
                _ => Tone::Dim,
            };
            Cell::toned(s.status.as_str(), tone)
        },
    },
    Column {
        id: SolutionColumn::Created,
        title: "Created",
        width: Width::Fixed(10),
        drop_rank: Some(1),
        facet: None,
        only_with: None,
        compare: |a, b| cmp_opt(&a.created, &b.created),
        cell: |s, _| Cell::new(s.created.map(cosell_core::times::date).unwrap_or_default()),
    },
    Column {
        id: SolutionColumn::Marketplace,
        title: "Marketplace",
        width: Width::Fixed(11),
        drop_rank: Some(0),
        facet: None,
        only_with: None,
        compare: |a, b| cmp_opt(&a.marketplace_arn, &b.marketplace_arn),
        cell: |s, _| {
            Cell::new(if s.marketplace_arn.is_some() {
                "listed"
            } else {
                "—"
            })
        },
    },
];

impl Row for Solution {
    type Column = SolutionColumn;

    fn columns() -> &'static [Column<Self>] {
        &COLUMNS
    }

    fn key(&self) -> &str {
        &self.id
    }

    fn haystack(&self) -> String {
        format!(
            "{} {} {} {}",
            self.id, self.name, self.category, self.status
        )
        .to_lowercase()
    }

    fn facet(&self, facet: Facet) -> Option<&str> {
        match facet {
            Facet::SolutionStatus => Some(self.status.as_str()),
            Facet::Stage
            | Facet::ReviewStatus
            | Facet::InvitationStatus
            | Facet::PayloadType
            | Facet::ApplicationStatus
            | Facet::HandshakeStatus
            | Facet::Attention => None,
        }
    }

    fn quick_groups() -> Vec<(Facet, &'static [&'static str])> {
        vec![(Facet::SolutionStatus, SolutionStatus::VALUES)]
    }
}
