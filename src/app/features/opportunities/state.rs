//! The Opportunities feature's slice of the model.

use std::collections::HashMap;

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
