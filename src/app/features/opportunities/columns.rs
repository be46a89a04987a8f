//! The Opportunities list: its columns (title, width, when dropped, how sorted, how drawn) and
//! how a row is searched and quick-filtered.

use cosell_core::partner::types::*;

use crate::app::core::column::{
    Cell, CellContext, Column, Facet, QuickContext, Row, Tone, Width, cmp_opt, haystack, id_number,
    spend_cell, spend_order,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpportunityColumn {
    Id,
    Customer,
    Title,
    Stage,
    Owner,
    Review,
    Spend,
    Close,
    Modified,
    /// AWS's review comments, shown under the "Action Required" attention filter.
    Comments,
}

/// The attention quick filters of the Opportunities list, as the picker names them.
pub const PAST_CLOSE: &str = "Past target close";
pub const STALE: &str = "No update in 30 days";
pub const ACTION_REQUIRED: &str = "Action Required: AWS's comments, oldest first";
pub const MINE: &str = "Mine (config `me`)";
pub const ATTENTION: &[&str] = &[ACTION_REQUIRED, PAST_CLOSE, STALE, MINE];

const STALE_MILLIS: Millis = 30 * 86_400_000;

fn short_review(status: Option<&ReviewStatus>) -> &str {
    match status {
        Some(ReviewStatus::PendingSubmission) => "Pending",
        Some(other) => other.as_str(),
        None => "",
    }
}

fn review_tone(status: Option<&ReviewStatus>) -> Tone {
    match status {
        Some(ReviewStatus::ActionRequired | ReviewStatus::Rejected) => Tone::Bad,
        Some(ReviewStatus::Approved) => Tone::Good,
        Some(ReviewStatus::Submitted | ReviewStatus::InReview) => Tone::Warn,
        _ => Tone::Normal,
    }
}

fn past_due(o: &OpportunitySummary, today: &str) -> bool {
    o.is_open() && o.target_close.as_deref().is_some_and(|d| d < today)
}

static COLUMNS: [Column<OpportunitySummary>; 10] = [
    Column {
        id: OpportunityColumn::Id,
        title: "Id",
        width: Width::Fixed(9),
        drop_rank: None,
        facet: None,
        only_with: None,
        compare: |a, b| id_number(&a.id).cmp(&id_number(&b.id)),
        cell: |o, _| Cell::new(o.id.clone()),
    },
    Column {
        id: OpportunityColumn::Customer,
        title: "Customer",
        width: Width::Fill { weight: 2, min: 16 },
        drop_rank: None,
        facet: None,
        only_with: None,
        compare: |a, b| a.customer.to_lowercase().cmp(&b.customer.to_lowercase()),
        cell: |o, _| Cell::new(o.customer.clone()),
    },
    Column {
        id: OpportunityColumn::Title,
        title: "Title",
        width: Width::Fill { weight: 3, min: 16 },
        drop_rank: Some(1),
        facet: None,
        only_with: None,
        compare: |a, b| cmp_opt(&a.title, &b.title),
        cell: |o, _| match &o.title {
            Some(title) => Cell::new(title.clone()),
            None => Cell::toned("·", Tone::Dim),
        },
    },
    Column {
        id: OpportunityColumn::Stage,
        title: "Stage",
        width: Width::Fixed(20),
        drop_rank: None,
        facet: Some(Facet::Stage),
        only_with: None,
        // Stages compare in funnel order, as the vocabulary declares them.
        compare: |a, b| cmp_opt(&a.stage, &b.stage),
        cell: |o, cx| match cx.pending {
            Some(what) => Cell::toned(format!("⟳ {what}"), Tone::Warn),
            None => Cell::opt(o.stage.as_ref().map(Stage::as_str)),
        },
    },
    Column {
        id: OpportunityColumn::Owner,
        title: "Owner",
        width: Width::Fill { weight: 1, min: 12 },
        drop_rank: Some(0),
        facet: None,
        only_with: None,
        compare: |a, b| cmp_opt(&a.owner, &b.owner),
        cell: |o, _| match &o.owner {
            Some(owner) => Cell::new(owner.clone()),
            None => Cell::toned("·", Tone::Dim),
        },
    },
    Column {
        id: OpportunityColumn::Review,
        title: "Review",
        width: Width::Fixed(15),
        drop_rank: Some(3),
        facet: Some(Facet::ReviewStatus),
        only_with: None,
        compare: |a, b| {
            cmp_opt(
                &a.review_status.as_ref().map(ReviewStatus::as_str),
                &b.review_status.as_ref().map(ReviewStatus::as_str),
            )
        },
        cell: |o, _| {
            let status = o.review_status.as_ref();
            Cell::toned(short_review(status), review_tone(status))
        },
    },
    Column {
        id: OpportunityColumn::Spend,
        title: "Spend/mo",
        width: Width::Fixed(13),
        drop_rank: Some(2),
        facet: None,
        only_with: None,
        compare: |a, b| spend_order(a.monthly_spend.as_ref(), b.monthly_spend.as_ref()),
        cell: |o, _| spend_cell(o.monthly_spend.as_ref()),
    },
    Column {
        id: OpportunityColumn::Close,
        title: "Close",
        width: Width::Fixed(11),
        drop_rank: Some(4),
        facet: None,
        only_with: None,
        compare: |a, b| cmp_opt(&a.target_close, &b.target_close),
        cell: |o, cx: &CellContext| {
            let late = past_due(o, cx.today);
            let text = format!(
                "{}{}",
                o.target_close.as_deref().unwrap_or_default(),
                if late { "!" } else { "" }
            );
            Cell::toned(text, if late { Tone::Bad } else { Tone::Normal })
        },
    },
    Column {
        id: OpportunityColumn::Modified,
        title: "Modified",
        width: Width::Fixed(10),
        drop_rank: Some(0),
        facet: None,
        only_with: None,
        compare: |a, b| cmp_opt(&a.last_modified, &b.last_modified),
        cell: |o, cx| {
            Cell::new(
                o.last_modified
                    .map(|m| cosell_core::times::age(cx.now, m))
                    .unwrap_or_default(),
            )
        },
    },
    Column {
        id: OpportunityColumn::Comments,
        title: "AWS comments",
        width: Width::Fill { weight: 4, min: 20 },
        drop_rank: Some(5),
        facet: None,
        only_with: Some((Facet::Attention, ACTION_REQUIRED)),
        compare: |a, b| cmp_opt(&a.review_comments, &b.review_comments),
        cell: |o, _| {
            let said = [o.review_reason.as_deref(), o.review_comments.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(": ");
            Cell::new(said)
        },
    },
];

impl Row for OpportunitySummary {
    type Column = OpportunityColumn;

    fn columns() -> &'static [Column<Self>] {
        &COLUMNS
    }

    fn key(&self) -> &str {
        &self.id
    }

    fn haystack(&self) -> String {
        haystack([
            Some(self.id.as_str()),
            Some(self.customer.as_str()),
            self.title.as_deref(),
            self.owner.as_deref(),
            self.partner_reference.as_deref(),
            self.stage.as_ref().map(Stage::as_str),
            self.review_status.as_ref().map(ReviewStatus::as_str),
        ])
    }

    fn facet(&self, facet: Facet) -> Option<&str> {
        match facet {
            Facet::Stage => self.stage.as_ref().map(Stage::as_str),
            Facet::ReviewStatus => self.review_status.as_ref().map(ReviewStatus::as_str),
            Facet::InvitationStatus
            | Facet::PayloadType
            | Facet::SolutionStatus
            | Facet::ApplicationStatus
            | Facet::HandshakeStatus
            | Facet::Attention => None,
        }
    }

    fn quick_groups() -> Vec<(Facet, &'static [&'static str])> {
        vec![
            (Facet::Attention, ATTENTION),
            (Facet::Stage, Stage::VALUES),
            (Facet::ReviewStatus, ReviewStatus::VALUES),
        ]
    }

    fn passes(&self, facet: Facet, value: &str, cx: &QuickContext) -> bool {
        match (facet, value) {
            (Facet::Attention, PAST_CLOSE) => past_due(self, &cx.today),
            (Facet::Attention, STALE) => {
                self.is_open()
                    && self
                        .last_modified
                        .is_some_and(|m| cx.now - m > STALE_MILLIS)
            }
            (Facet::Attention, ACTION_REQUIRED) => {
                self.review_status == Some(ReviewStatus::ActionRequired)
            }
            (Facet::Attention, MINE) => cx.me.as_ref().is_some_and(|me| {
                self.owner
                    .as_deref()
                    .is_some_and(|owner| owner.to_lowercase().contains(me.as_str()))
            }),
            _ => self.facet(facet) == Some(value),
        }
    }
}
