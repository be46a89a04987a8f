//! The Benefits feature's slice of the model: three lists, one shown at a time.

use cosell_core::partner::types::*;

use super::columns::{AllocationColumn, ApplicationColumn, BenefitColumn};
use crate::app::core::shell::Details;
use crate::app::core::table::Table;

/// The Benefits tab's lists; `w` moves between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Benefits,
    Applications,
    Allocations,
}

impl Pane {
    pub const ALL: [Pane; 3] = [Pane::Benefits, Pane::Applications, Pane::Allocations];

    pub fn title(self) -> &'static str {
        match self {
            Pane::Benefits => "Benefits",
            Pane::Applications => "Applications",
            Pane::Allocations => "Allocations",
        }
    }

    pub fn next(self) -> Pane {
        match self {
            Pane::Benefits => Pane::Applications,
            Pane::Applications => Pane::Allocations,
            Pane::Allocations => Pane::Benefits,
        }
    }
}

pub struct Benefits {
    pub benefits: Table<Benefit>,
    pub applications: Table<BenefitApplication>,
    pub allocations: Table<BenefitAllocation>,
    pub pane: Pane,
    /// Applications read whole (GetBenefitApplication): revision, reason, details.
    pub application_details: Details<BenefitApplication>,
    /// Why this account cannot use the benefits API (AccessDenied), once it said so: the tab
    /// shows it instead of lists, and nothing reads the API again until R on this tab.
    pub unavailable: Option<String>,
}

impl Default for Benefits {
    fn default() -> Self {
        Benefits {
            benefits: Table::with_sort(BenefitColumn::Name, false),
            applications: Table::with_sort(ApplicationColumn::Updated, true),
            allocations: Table::with_sort(AllocationColumn::Expires, false),
            pane: Pane::Applications,
            application_details: Details::new(),
            unavailable: None,
        }
    }
}

impl Benefits {
    /// An application as last read whole, else as the list has it.
    pub fn application(&self, id: &str) -> Option<&BenefitApplication> {
        match self.application_details.get(id) {
            Some(crate::app::core::shell::Loadable::Ready(a)) => Some(a),
            _ => self.applications.get(id),
        }
    }

    /// The name of a benefit, by id, when the catalogue has been read.
    pub fn benefit_name(&self, id: &str) -> Option<&str> {
        self.benefits.get(id).map(|b| b.name.as_str())
    }
}
