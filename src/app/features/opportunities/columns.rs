//! The Opportunities list: its columns (title, width, when dropped, how sorted, how drawn) and
//! how a row is searched and quick-filtered.

use cosell_core::partner::types::*;

use crate::app::core::column::{
    Cell, CellContext, Column, Facet, Row, Tone, Width, cmp_opt, haystack, id_number, spend_cell,
    spend_order,
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
}

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

static COLUMNS: [Column<OpportunitySummary>; 9] = [
    Column {
        id: OpportunityColumn::Id,
        title: "Id",
        width: Width::Fixed(9),
        drop_rank: None,
        compare: |a, b| id_number(&a.id).cmp(&id_number(&b.id)),
        cell: |o, _| Cell::new(o.id.clone()),
    },
    Column {
        id: OpportunityColumn::Customer,
        title: "Customer",
        width: Width::Fill { weight: 2, min: 16 },
        drop_rank: None,
        compare: |a, b| a.customer.to_lowercase().cmp(&b.customer.to_lowercase()),
        cell: |o, _| Cell::new(o.customer.clone()),
    },
    Column {
        id: OpportunityColumn::Title,
        title: "Title",
        width: Width::Fill { weight: 3, min: 16 },
        drop_rank: Some(1),
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
        compare: |a, b| spend_order(a.monthly_spend.as_ref(), b.monthly_spend.as_ref()),
        cell: |o, _| spend_cell(o.monthly_spend.as_ref()),
    },
    Column {
        id: OpportunityColumn::Close,
        title: "Close",
        width: Width::Fixed(11),
        drop_rank: Some(4),
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
        compare: |a, b| cmp_opt(&a.last_modified, &b.last_modified),
        cell: |o, cx| {
            Cell::new(
                o.last_modified
                    .map(|m| cosell_core::times::age(cx.now, m))
                    .unwrap_or_default(),
            )
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
            Facet::InvitationStatus | Facet::PayloadType | Facet::SolutionStatus => None,
        }
    }

    fn quick_groups() -> Vec<(Facet, &'static [&'static str])> {
        vec![
            (Facet::Stage, Stage::VALUES),
            (Facet::ReviewStatus, ReviewStatus::VALUES),
        ]
    }
}
