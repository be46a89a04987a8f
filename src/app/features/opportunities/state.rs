//! The Opportunities feature's slice of the model.

use std::collections::{HashMap, HashSet};

use cosell_core::partner::rules::PipelineCustomers;
use cosell_core::partner::types::*;

use super::columns::OpportunityColumn;
use crate::app::core::shell::Details;
use crate::app::core::table::Table;

pub struct Opportunities {
    pub table: Table<OpportunitySummary>,
    /// Full records (GetOpportunity), read for the selected row and kept for the session.
    pub details: Details<Opportunity>,
    /// AWS's view of each record (GetAwsOpportunitySummary).
    pub aws_views: Details<AwsView>,
    /// Titles and owners known from full records, by id: ListOpportunities has neither, so
    /// they are merged into rows that reload without them.
    pub known_titles: HashMap<String, (Option<String>, Option<String>)>,
    /// Normalized customer names of open opportunities: the referrals' duplicate hint.
    pub pipeline: PipelineCustomers,
    /// Records whose title has been asked for, so each is read once.
    pub titles_asked: HashSet<String>,
    /// A record to select as soon as it is in the list (just created, or jumped to from a
    /// referral before the list had it), and whether to switch to this tab for it.
    pub reveal_when_listed: Option<String>,
    pub reveal_moves_tab: bool,
}

impl Default for Opportunities {
    fn default() -> Self {
        Opportunities {
            // Newest activity first, as a partner reads a pipeline in the morning.
            table: Table::with_sort(OpportunityColumn::Modified, true),
            details: Details::new(),
            aws_views: Details::new(),
            known_titles: HashMap::new(),
            pipeline: PipelineCustomers::new(),
            titles_asked: HashSet::new(),
            reveal_when_listed: None,
            reveal_moves_tab: false,
        }
    }
}

impl Opportunities {
    /// Remembers what a full record says of an opportunity's title and owner.
    pub fn learn_title(&mut self, o: &OpportunitySummary) {
        if o.title.is_some() || o.owner.is_some() {
            self.known_titles
                .insert(o.id.clone(), (o.title.clone(), o.owner.clone()));
        }
    }

    /// Fills in known titles and owners on rows that arrived without them.
    pub fn with_titles(&self, mut rows: Vec<OpportunitySummary>) -> Vec<OpportunitySummary> {
        if self.known_titles.is_empty() {
            return rows;
        }
        for row in &mut rows {
            if row.title.is_none()
                && let Some((title, owner)) = self.known_titles.get(&row.id)
            {
                row.title = title.clone();
                row.owner = row.owner.take().or(owner.clone());
            }
        }
        rows
    }

    /// Rows shown without a title, read yet: with `all`, every row; otherwise the window on
    /// screen (`offset`, `height`).
    pub fn titles_wanted(&self, all: bool, height: usize) -> Vec<String> {
        let t = &self.table;
        let window: Box<dyn Iterator<Item = &usize>> = if all {
            Box::new(t.visible.iter())
        } else {
            let start = t.offset.min(t.visible.len());
            let end = (start + height).min(t.visible.len());
            Box::new(t.visible[start..end].iter())
        };
        window
            .map(|&i| &t.rows[i])
            .filter(|r| r.title.is_none() && !self.titles_asked.contains(&r.id))
            .map(|r| r.id.clone())
            .collect()
    }

    /// Sets the title and owner a full record gave, keeping the row as listed otherwise.
    pub fn note_title(&mut self, id: &str, title: Option<String>, owner: Option<String>) {
        self.known_titles
            .insert(id.to_string(), (title.clone(), owner.clone()));
        if let Some(row) = self.row(id) {
            let mut row = row.clone();
            row.title = title;
            row.owner = owner.or(row.owner);
            self.table.upsert(row);
        }
    }

    pub fn row(&self, id: &str) -> Option<&OpportunitySummary> {
        self.table.rows.iter().find(|o| o.id == id)
    }

    /// The full record, when it has been read.
    pub fn full(&self, id: &str) -> Option<&Opportunity> {
        match self.details.get(id) {
            Some(crate::app::core::shell::Loadable::Ready(o)) => Some(o),
            _ => None,
        }
    }
}
