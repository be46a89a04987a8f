//! The Referrals feature's slice of the model.

use std::collections::{BTreeSet, HashMap};

use cosell_core::partner::types::*;

use super::columns::ReferralColumn;
use super::types::Batch;
use crate::app::core::column::Facet;
use crate::app::core::shell::Details;
use crate::app::core::table::Table;

pub struct Referrals {
    pub table: Table<Referral>,
    /// Payloads (GetEngagementInvitation), read up front for pending referrals.
    pub details: Details<ReferralDetail>,
    /// Referrals marked with space for a batch answer.
    pub marked: BTreeSet<String>,
    /// Referral id to the opportunity its acceptance created.
    pub accepted: HashMap<String, String>,
    /// The opportunity the latest acceptance created, for J right after its toast.
    pub last_accepted: Option<String>,
    /// Leads marked Qualified or Disqualified this session.
    pub qualified: HashMap<String, super::types::Qualification>,
    pub batch: Option<Batch>,
    /// The last rejection reason and details typed, offered again after a failure.
    pub last_reject_reason: Option<(String, String)>,
}

impl Default for Referrals {
    fn default() -> Self {
        // Least time left first, pending only: the whole point of the referrals inbox.
        let mut table = Table::with_sort(ReferralColumn::TimeLeft, false);
        table.quick = vec![(
            Facet::InvitationStatus,
            InvitationStatus::Pending.to_string(),
        )];
        Referrals {
            table,
            details: Details::new(),
            marked: BTreeSet::new(),
            accepted: HashMap::new(),
            qualified: HashMap::new(),
            last_accepted: None,
            batch: None,
            last_reject_reason: None,
        }
    }
}

impl Referrals {
    /// Pending referrals, and how many of them expire within 48 hours of `now`.
    pub fn urgency(&self, now: Millis) -> (usize, usize) {
        let pending: Vec<&Referral> = self
            .table
            .rows
            .iter()
            .filter(|r| r.status == Some(InvitationStatus::Pending))
            .collect();
        let soon = pending
            .iter()
            .filter(|r| r.expires.is_some_and(|e| e - now <= 48 * 3_600_000))
            .count();
        (pending.len(), soon)
    }
}
