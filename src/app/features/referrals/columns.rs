//! The Referrals inbox: its columns and how a row is searched and quick-filtered.

use cosell_core::partner::types::*;

use crate::app::core::column::{
    Cell, CellContext, Column, Facet, Row, Tone, Width, cmp_opt, haystack, spend_cell, spend_order,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReferralColumn {
    TimeLeft,
    Customer,
    Industry,
    Country,
    Project,
    Spend,
    Sender,
    Status,
}

fn pending(r: &Referral) -> bool {
    r.status == Some(InvitationStatus::Pending)
}

fn time_left(r: &Referral, cx: &CellContext) -> Cell {
    let mark = if cx.marked { "● " } else { "" };
    match (pending(r), r.expires) {
        (true, Some(e)) => {
            let remaining = e - cx.now;
            let tone = if remaining < 24 * 3_600_000 {
                Tone::Bad
            } else if remaining < 72 * 3_600_000 {
                Tone::Warn
            } else {
                Tone::Normal
            };
            Cell::toned(
                format!("{mark}{}", cosell_core::times::time_left(cx.now, e)),
                tone,
            )
        }
        _ => Cell::toned(format!("{mark}—"), Tone::Dim),
    }
}

fn customer(r: &Referral) -> Cell {
    match (&r.customer, &r.duplicate_of) {
        (Some(c), Some(_)) => Cell::toned(format!("⚠ {c}"), Tone::Warn),
        (Some(c), None) => Cell::new(c.clone()),
        (None, _) if pending(r) => Cell::toned("…", Tone::Dim),
        (None, _) => Cell::new(""),
    }
}

fn status(r: &Referral, cx: &CellContext) -> Cell {
    match cx.pending {
        Some(what) => Cell::toned(format!("⟳ {what}"), Tone::Warn),
        None => Cell::toned(
            r.status
                .as_ref()
                .map(InvitationStatus::as_str)
                .unwrap_or_default(),
            match r.status {
                Some(InvitationStatus::Accepted) => Tone::Good,
                Some(InvitationStatus::Pending) => Tone::Normal,
                _ => Tone::Dim,
            },
        ),
    }
}

/// AWS as partners call it; another partner (a multi-partner engagement) by its name.
fn short_sender(company: &str) -> &str {
    if company == "Amazon Web Services" || company.eq_ignore_ascii_case("aws") {
        "AWS"
    } else {
        company
    }
}

fn project(r: &Referral) -> Option<&String> {
    r.project.as_ref().or(r.title.as_ref())
}

static COLUMNS: [Column<Referral>; 8] = [
    Column {
        id: ReferralColumn::TimeLeft,
        title: "Time left",
        width: Width::Fixed(11),
        drop_rank: None,
        facet: None,
        only_with: None,
        // Pending first, then by expiry: answered referrals have no clock.
        compare: |a, b| {
            (!pending(a))
                .cmp(&!pending(b))
                .then_with(|| cmp_opt(&a.expires, &b.expires))
        },
        cell: time_left,
    },
    Column {
        id: ReferralColumn::Customer,
        title: "Customer",
        width: Width::Fill { weight: 2, min: 16 },
        drop_rank: None,
        facet: None,
        only_with: None,
        compare: |a, b| cmp_opt(&a.customer, &b.customer),
        cell: |r, _| customer(r),
    },
    Column {
        id: ReferralColumn::Industry,
        title: "Industry",
        width: Width::Fill { weight: 1, min: 12 },
        drop_rank: Some(1),
        facet: None,
        only_with: None,
        compare: |a, b| cmp_opt(&a.industry, &b.industry),
        cell: |r, _| Cell::opt(r.industry.as_deref()),
    },
    Column {
        id: ReferralColumn::Country,
        title: "Country",
        width: Width::Fixed(7),
        drop_rank: Some(2),
        facet: None,
        only_with: None,
        compare: |a, b| cmp_opt(&a.country, &b.country),
        cell: |r, _| Cell::opt(r.country.as_deref()),
    },
    Column {
        id: ReferralColumn::Project,
        title: "Project",
        width: Width::Fill { weight: 3, min: 20 },
        drop_rank: None,
        facet: None,
        only_with: None,
        compare: |a, b| cmp_opt(&project(a), &project(b)),
        cell: |r, _| {
            let kind = if r.payload_type == Some(PayloadType::LeadInvitation) {
                "lead: "
            } else {
                ""
            };
            Cell::new(format!(
                "{kind}{}",
                project(r).map(String::as_str).unwrap_or_default()
            ))
        },
    },
    Column {
        id: ReferralColumn::Spend,
        title: "Spend/mo",
        width: Width::Fixed(12),
        drop_rank: Some(3),
        facet: None,
        only_with: None,
        compare: |a, b| spend_order(a.monthly_spend.as_ref(), b.monthly_spend.as_ref()),
        cell: |r, _| spend_cell(r.monthly_spend.as_ref()),
    },
    Column {
        id: ReferralColumn::Sender,
        title: "From",
        width: Width::Fill { weight: 1, min: 8 },
        drop_rank: Some(0),
        facet: None,
        only_with: None,
        compare: |a, b| cmp_opt(&a.sender_company, &b.sender_company),
        cell: |r, _| Cell::opt(r.sender_company.as_deref().map(short_sender)),
    },
    Column {
        id: ReferralColumn::Status,
        title: "Status",
        width: Width::Fixed(10),
        drop_rank: None,
        facet: Some(Facet::InvitationStatus),
        only_with: None,
        compare: |a, b| {
            cmp_opt(
                &a.status.as_ref().map(InvitationStatus::as_str),
                &b.status.as_ref().map(InvitationStatus::as_str),
            )
        },
        cell: status,
    },
];

impl Row for Referral {
    type Column = ReferralColumn;

    fn columns() -> &'static [Column<Self>] {
        &COLUMNS
    }

    fn key(&self) -> &str {
        &self.id
    }

    fn haystack(&self) -> String {
        haystack([
            Some(self.id.as_str()),
            self.title.as_deref(),
            self.customer.as_deref(),
            self.project.as_deref(),
            self.industry.as_deref(),
            self.country.as_deref(),
            self.status.as_ref().map(InvitationStatus::as_str),
            self.sender_company.as_deref(),
        ])
    }

    fn facet(&self, facet: Facet) -> Option<&str> {
        match facet {
            Facet::InvitationStatus => self.status.as_ref().map(InvitationStatus::as_str),
            Facet::PayloadType => self.payload_type.as_ref().map(PayloadType::as_str),
            Facet::Stage
            | Facet::ReviewStatus
            | Facet::SolutionStatus
            | Facet::ApplicationStatus
            | Facet::HandshakeStatus
            | Facet::Attention => None,
        }
    }

    fn quick_groups() -> Vec<(Facet, &'static [&'static str])> {
        vec![
            (Facet::InvitationStatus, InvitationStatus::VALUES),
            (Facet::PayloadType, PayloadType::VALUES),
        ]
    }
}
