//! The Opportunities feature's slice of the model.

use std::collections::{HashMap, HashSet};

use cosell_core::partner::rules::PipelineCustomers;
use cosell_core::partner::types::*;

use super::columns::OpportunityColumn;
use crate::app::core::shell::Details;
use crate::app::core::table::Table;

/// What only a full record says of an opportunity: its title and its owner's name.
pub type TitleAndOwner = (Option<Box<str>>, Option<Box<str>>);

pub struct Opportunities {
    pub table: Table<OpportunitySummary>,
    /// Full records (GetOpportunity), read for the selected row and kept for the session.
    pub details: Details<Opportunity>,
    /// AWS's view of each record (GetAwsOpportunitySummary).
    pub aws_views: Details<AwsView>,
    /// Each opportunity's engagement (None: it has none yet), read when its detail is open.
    pub engagements: Details<Option<Box<Engagement>>>,
    /// Each opportunity's benefit applications, read when its detail is open.
    pub funding: Details<Vec<BenefitApplication>>,
    /// Titles and owners known from full records, by id: ListOpportunities has neither, so
    /// they are merged into rows that reload without them.
    pub known_titles: HashMap<String, TitleAndOwner>,
    /// Normalized customer names of open opportunities: the referrals' duplicate hint.
    pub pipeline: PipelineCustomers,
    /// Records whose title has been asked for, so each is read once.
    pub titles_asked: HashSet<String>,
    /// The record whose edit form opens once its full record arrives (`e` or `E` before it
    /// was read), and which form.
    pub form_when_read: Option<(String, super::types::ReadFirst)>,
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
            engagements: Details::new(),
            funding: Details::new(),
            known_titles: HashMap::new(),
            pipeline: PipelineCustomers::new(),
            titles_asked: HashSet::new(),
            form_when_read: None,
            reveal_when_listed: None,
            reveal_moves_tab: false,
        }
    }
}

/// A row as the list keeps it: the fields no column, filter or rule of the list reads (the
/// ARN, the opportunity type, the customer's industry and country, the creation time, the next
/// steps) are left out; the detail pane and the next-steps form read them from the full record.
/// At 100,000 opportunities this is the difference between the list fitting in memory
/// comfortably or not.
pub fn compact(row: &mut OpportunitySummary) {
    row.arn = None;
    row.next_steps = None;
    row.opportunity_type = None;
    row.industry = None;
    row.country = None;
    row.created = None;
}

impl Opportunities {
    /// Remembers what a full record says of an opportunity's title and owner.
    pub fn learn_title(&mut self, o: &OpportunitySummary) {
        if o.title.is_some() || o.owner.is_some() {
            self.known_titles
                .insert(o.id.clone(), (o.title.clone(), o.owner.clone()));
        }
    }

    /// Fills in known titles and owners on rows that arrived without them, and leaves out what
    /// the list never shows (see `compact`).
    pub fn with_titles(&self, mut rows: Vec<OpportunitySummary>) -> Vec<OpportunitySummary> {
        rows.iter_mut().for_each(compact);
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

    /// Rows shown without a title that nobody asked for yet: the window on screen (`height`
    /// rows from the offset), and with `ahead`, that many more from the top of the list.
    pub fn titles_wanted(&self, ahead: usize, height: usize) -> Vec<String> {
        let t = &self.table;
        let start = t.offset.min(t.visible.len());
        let end = (start + height).min(t.visible.len());
        let top = ahead.min(t.visible.len());
        let mut wanted: Vec<String> = Vec::new();
        let mut seen = HashSet::new();
        for &i in t.visible[start..end].iter().chain(&t.visible[..top]) {
            let r = &t.rows[i];
            if r.title.is_none() && !self.titles_asked.contains(&r.id) && seen.insert(i) {
                wanted.push(r.id.clone());
            }
        }
        wanted
    }

    /// Sets the title and owner a full record gave, keeping the row as listed otherwise.
    pub fn note_title(&mut self, id: &str, title: Option<String>, owner: Option<String>) {
        let (title, owner): (Option<Box<str>>, Option<Box<str>>) =
            (title.map(Into::into), owner.map(Into::into));
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
        self.table.get(id)
    }

    /// The full record, when it has been read.
    pub fn full(&self, id: &str) -> Option<&Opportunity> {
        match self.details.get(id) {
            Some(crate::app::core::shell::Loadable::Ready(o)) => Some(o),
            _ => None,
        }
    }
}
