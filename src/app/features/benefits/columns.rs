//! The three Benefits lists: their columns and how rows are searched.

use cosell_core::partner::types::*;

use crate::app::core::column::{Cell, Column, Facet, Row, Tone, Width, cmp_opt, haystack};

/// Every status an application can have, in the order review moves through them.
pub const APPLICATION_STATUSES: &[&str] = &[
    "PENDING_SUBMISSION",
    "IN_REVIEW",
    "ACTION_REQUIRED",
    "APPROVED",
    "REJECTED",
    "CANCELED",
];

fn application_tone(status: &str) -> Tone {
    match status {
        "ACTION_REQUIRED" => Tone::Bad,
        "PENDING_SUBMISSION" | "IN_REVIEW" => Tone::Warn,
        "APPROVED" => Tone::Good,
        _ => Tone::Dim,
    }
}

/// The opportunity id at the end of an associated resource's ARN.
pub fn opportunity_of(resource: &str) -> &str {
    resource
        .rsplit_once("/opportunity/")
        .map_or(resource, |(_, id)| id)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BenefitColumn {
    Name,
    Programs,
    Fulfillment,
    Status,
}

static BENEFIT_COLUMNS: [Column<Benefit>; 4] = [
    Column {
        id: BenefitColumn::Name,
        title: "Benefit",
        width: Width::Fill { weight: 3, min: 20 },
        drop_rank: None,
        facet: None,
        only_with: None,
        compare: |a, b| a.name.cmp(&b.name),
        cell: |b, _| Cell::new(b.name.clone()),
    },
    Column {
        id: BenefitColumn::Programs,
        title: "Programs",
        width: Width::Fill { weight: 2, min: 12 },
        drop_rank: Some(1),
        facet: None,
        only_with: None,
        compare: |a, b| a.programs.cmp(&b.programs),
        cell: |b, _| Cell::new(b.programs.join(", ")),
    },
    Column {
        id: BenefitColumn::Fulfillment,
        title: "Fulfilled as",
        width: Width::Fixed(14),
        drop_rank: Some(0),
        facet: None,
        only_with: None,
        compare: |a, b| a.fulfillment.cmp(&b.fulfillment),
        cell: |b, _| Cell::new(b.fulfillment.join(", ").to_lowercase()),
    },
    Column {
        id: BenefitColumn::Status,
        title: "Status",
        width: Width::Fixed(8),
        drop_rank: Some(2),
        facet: None,
        only_with: None,
        compare: |a, b| a.status.cmp(&b.status),
        cell: |b, _| {
            let tone = if b.status == "ACTIVE" {
                Tone::Good
            } else {
                Tone::Dim
            };
            Cell::toned(b.status.to_lowercase(), tone)
        },
    },
];

impl Row for Benefit {
    type Column = BenefitColumn;

    fn columns() -> &'static [Column<Self>] {
        &BENEFIT_COLUMNS
    }

    fn key(&self) -> &str {
        &self.id
    }

    fn haystack(&self) -> String {
        let programs = self.programs.join(" ");
        let fulfillment = self.fulfillment.join(" ");
        haystack([
            Some(self.id.as_str()),
            Some(self.name.as_str()),
            self.description.as_deref(),
            Some(programs.as_str()),
            Some(fulfillment.as_str()),
            Some(self.status.as_str()),
        ])
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplicationColumn {
    Name,
    Status,
    Stage,
    Requested,
    Opportunity,
    Programs,
    Updated,
}

static APPLICATION_COLUMNS: [Column<BenefitApplication>; 7] = [
    Column {
        id: ApplicationColumn::Name,
        title: "Application",
        width: Width::Fill { weight: 3, min: 18 },
        drop_rank: None,
        facet: None,
        only_with: None,
        compare: |a, b| cmp_opt(&a.name, &b.name),
        cell: |a, cx| match cx.pending {
            Some(doing) => Cell::toned(
                format!("{doing}… {}", a.name.as_deref().unwrap_or(&a.id)),
                Tone::Warn,
            ),
            None => Cell::new(a.name.clone().unwrap_or_else(|| a.id.clone())),
        },
    },
    Column {
        id: ApplicationColumn::Status,
        title: "Status",
        width: Width::Fixed(18),
        drop_rank: None,
        facet: Some(Facet::ApplicationStatus),
        only_with: None,
        compare: |a, b| a.status.cmp(&b.status),
        cell: |a, _| Cell::toned(a.status.clone(), application_tone(&a.status)),
    },
    Column {
        id: ApplicationColumn::Stage,
        title: "Stage",
        width: Width::Fixed(15),
        drop_rank: Some(2),
        facet: None,
        only_with: None,
        compare: |a, b| cmp_opt(&a.stage, &b.stage),
        cell: |a, _| Cell::opt(a.stage.as_deref()),
    },
    Column {
        id: ApplicationColumn::Requested,
        title: "Requested",
        width: Width::Fixed(10),
        drop_rank: Some(3),
        facet: None,
        only_with: None,
        compare: |a, b| {
            let amount = |x: &BenefitApplication| {
                x.requested
                    .as_deref()
                    .and_then(|r| r.trim().parse::<f64>().ok())
            };
            cmp_opt(&amount(a), &amount(b))
        },
        cell: |a, _| Cell::opt(a.requested.as_deref()),
    },
    Column {
        id: ApplicationColumn::Opportunity,
        title: "Opportunity",
        width: Width::Fixed(15),
        drop_rank: Some(4),
        facet: None,
        only_with: None,
        compare: |a, b| a.resources.cmp(&b.resources),
        cell: |a, _| {
            Cell::new(
                a.resources
                    .iter()
                    .map(|r| opportunity_of(r))
                    .collect::<Vec<_>>()
                    .join(", "),
            )
        },
    },
    Column {
        id: ApplicationColumn::Programs,
        title: "Programs",
        width: Width::Fixed(12),
        drop_rank: Some(0),
        facet: None,
        only_with: None,
        compare: |a, b| a.programs.cmp(&b.programs),
        cell: |a, _| Cell::new(a.programs.join(", ")),
    },
    Column {
        id: ApplicationColumn::Updated,
        title: "Updated",
        width: Width::Fixed(10),
        drop_rank: Some(1),
        facet: None,
        only_with: None,
        compare: |a, b| cmp_opt(&a.updated, &b.updated),
        cell: |a, _| Cell::new(a.updated.map(cosell_core::times::date).unwrap_or_default()),
    },
];

impl Row for BenefitApplication {
    type Column = ApplicationColumn;

    fn columns() -> &'static [Column<Self>] {
        &APPLICATION_COLUMNS
    }

    fn key(&self) -> &str {
        &self.id
    }

    fn haystack(&self) -> String {
        let programs = self.programs.join(" ");
        let resources = self.resources.join(" ");
        haystack([
            Some(self.id.as_str()),
            self.name.as_deref(),
            self.benefit_id.as_deref(),
            Some(self.status.as_str()),
            self.stage.as_deref(),
            Some(programs.as_str()),
            Some(resources.as_str()),
        ])
    }

    fn facet(&self, facet: Facet) -> Option<&str> {
        match facet {
            Facet::ApplicationStatus => Some(self.status.as_str()),
            Facet::Stage
            | Facet::ReviewStatus
            | Facet::InvitationStatus
            | Facet::PayloadType
            | Facet::SolutionStatus
            | Facet::HandshakeStatus
            | Facet::Attention => None,
        }
    }

    fn quick_groups() -> Vec<(Facet, &'static [&'static str])> {
        vec![(Facet::ApplicationStatus, APPLICATION_STATUSES)]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AllocationColumn {
    Name,
    Status,
    Fulfillment,
    Amount,
    Expires,
}

/// Thirty days, in milliseconds: an allocation expiring within it is flagged.
const EXPIRY_WARNING: Millis = 30 * 24 * 3600 * 1000;

static ALLOCATION_COLUMNS: [Column<BenefitAllocation>; 5] = [
    Column {
        id: AllocationColumn::Name,
        title: "Allocation",
        width: Width::Fill { weight: 3, min: 18 },
        drop_rank: None,
        facet: None,
        only_with: None,
        compare: |a, b| cmp_opt(&a.name, &b.name),
        cell: |a, _| Cell::new(a.name.clone().unwrap_or_else(|| a.id.clone())),
    },
    Column {
        id: AllocationColumn::Status,
        title: "Status",
        width: Width::Fixed(9),
        drop_rank: Some(1),
        facet: None,
        only_with: None,
        compare: |a, b| a.status.cmp(&b.status),
        cell: |a, _| {
            let tone = if a.status == "ACTIVE" {
                Tone::Good
            } else {
                Tone::Dim
            };
            Cell::toned(a.status.to_lowercase(), tone)
        },
    },
    Column {
        id: AllocationColumn::Fulfillment,
        title: "Type",
        width: Width::Fixed(8),
        drop_rank: Some(0),
        facet: None,
        only_with: None,
        compare: |a, b| a.fulfillment.cmp(&b.fulfillment),
        cell: |a, _| Cell::new(a.fulfillment.join(", ").to_lowercase()),
    },
    Column {
        id: AllocationColumn::Amount,
        title: "Amount",
        width: Width::Fill { weight: 2, min: 12 },
        drop_rank: None,
        facet: None,
        only_with: None,
        compare: |a, b| cmp_opt(&a.amount, &b.amount),
        cell: |a, _| Cell::opt(a.amount.as_deref()),
    },
    Column {
        id: AllocationColumn::Expires,
        title: "Expires",
        width: Width::Fixed(10),
        drop_rank: None,
        facet: None,
        only_with: None,
        compare: |a, b| cmp_opt(&a.expires, &b.expires),
        cell: |a, cx| match a.expires {
            Some(at) if at < cx.now => Cell::toned(cosell_core::times::date(at), Tone::Dim),
            Some(at) if at - cx.now < EXPIRY_WARNING => {
                Cell::toned(cosell_core::times::date(at), Tone::Warn)
            }
            Some(at) => Cell::new(cosell_core::times::date(at)),
            None => Cell::new(""),
        },
    },
];

impl Row for BenefitAllocation {
    type Column = AllocationColumn;

    fn columns() -> &'static [Column<Self>] {
        &ALLOCATION_COLUMNS
    }

    fn key(&self) -> &str {
        &self.id
    }

    fn haystack(&self) -> String {
        let fulfillment = self.fulfillment.join(" ");
        haystack([
            Some(self.id.as_str()),
            self.name.as_deref(),
            Some(self.status.as_str()),
            self.benefit_id.as_deref(),
            self.application_id.as_deref(),
            Some(fulfillment.as_str()),
            self.amount.as_deref(),
        ])
    }
}
