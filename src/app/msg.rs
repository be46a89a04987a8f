//! Messages into `update` and effects out of it. Payloads that belong to a feature are nested
//! by feature (`Intent::Opportunities(…)`), so the router's one exhaustive match names every
//! place a new feature must be handled.

use crossterm::event::KeyEvent;

use cosell_core::partner::types::*;

use super::core::column::Quick;
use super::features::connections::types as connections;
use super::features::opportunities::types as opportunities;
use super::features::referrals::types as referrals;

/// Which list a load or page belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ListId {
    Opportunities,
    Referrals,
    Solutions,
    Connections,
    Invitations,
}

impl ListId {
    pub const ALL: [ListId; 5] = [
        ListId::Opportunities,
        ListId::Referrals,
        ListId::Solutions,
        ListId::Connections,
        ListId::Invitations,
    ];

    /// How messages name the list.
    pub fn noun(self) -> &'static str {
        match self {
            ListId::Opportunities => "opportunities",
            ListId::Referrals => "referrals",
            ListId::Solutions => "solutions",
            ListId::Connections => "connections",
            ListId::Invitations => "connection invitations",
        }
    }
}

/// Rows of one list, as a page of a load or from the cache.
#[derive(Debug, Clone, PartialEq)]
pub enum Page {
    Opportunities(Vec<OpportunitySummary>),
    Referrals(Vec<Referral>),
    Solutions(Vec<Solution>),
    Connections(Vec<Connection>),
    Invitations(Vec<ConnectionInvitation>),
}

/// A record read on its own, for the detail pane.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum DetailKey {
    Opportunity(String),
    AwsView(String),
    Referral(String),
    Connection(String),
    Invitation(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Detail {
    Opportunity(Box<Opportunity>),
    AwsView(AwsView),
    Referral(Box<ReferralDetail>),
    Connection(Connection),
    Invitation(ConnectionInvitation),
}

/// A change the user asked for, by the feature that asked.
#[derive(Debug, Clone, PartialEq)]
pub enum Intent {
    Opportunities(opportunities::Intent),
    Referrals(referrals::Intent),
    Connections(connections::Intent),
}

impl Intent {
    /// The record it changes ("" when it creates one).
    pub fn target(&self) -> &str {
        match self {
            Intent::Opportunities(i) => i.target(),
            Intent::Referrals(i) => i.target(),
            Intent::Connections(i) => i.target(),
        }
    }

    /// What the record's row says while the change is in flight.
    pub fn in_flight(&self) -> String {
        match self {
            Intent::Opportunities(i) => i.in_flight(),
            Intent::Referrals(i) => i.in_flight(),
            Intent::Connections(_) => "updating".into(),
        }
    }
}

/// What a successful change produced.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Updated(Box<Opportunity>),
    /// The record changed since the user read it; this is the latest version.
    Conflict(Box<Opportunity>),
    Created(String),
    Done,
    TaskStarted(TaskState),
}

/// A refused change: the actionable message and the fields the service named.
#[derive(Debug, Clone, PartialEq)]
pub struct MutationError {
    pub message: String,
    pub fields: Vec<(String, String)>,
}

/// Which task list a task is followed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskKind {
    Submission,
    Acceptance,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    Key(KeyEvent),
    Resize(u16, u16),
    Tick(Millis),
    /// The terminal went away or the process was asked to stop (SIGHUP, SIGTERM).
    Terminate,
    Page {
        request: u64,
        page: Page,
    },
    ListDone {
        request: u64,
        list: ListId,
    },
    ListFailed {
        request: u64,
        list: ListId,
        error: String,
        /// Partner Central could not be reached at all (as opposed to refusing the call).
        unreachable: bool,
    },
    /// Rows from the local cache, shown until the live load arrives.
    Cached {
        page: Page,
        at: Millis,
    },
    Detail {
        request: u64,
        key: DetailKey,
        detail: Box<Detail>,
    },
    DetailFailed {
        request: u64,
        key: DetailKey,
        error: String,
    },
    Partner {
        request: u64,
        partner: Box<Partner>,
    },
    PartnerFailed {
        request: u64,
        error: String,
    },
    Mutated {
        request: u64,
        intent: Box<Intent>,
        result: Result<Outcome, MutationError>,
    },
    Task {
        request: u64,
        kind: TaskKind,
        target: String,
        result: Result<TaskState, String>,
    },
}

/// Work for the effect runner; results come back as `Msg`s carrying the same request id.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Load {
        request: u64,
        list: ListId,
        /// Quick filters for Partner Central to apply; empty reads the whole list.
        scope: Vec<Quick>,
    },
    Fetch {
        request: u64,
        key: DetailKey,
    },
    LoadPartner {
        request: u64,
    },
    Mutate {
        request: u64,
        intent: Box<Intent>,
    },
    /// Asks for the state of task `task_id` after `after_ms`.
    PollTask {
        request: u64,
        kind: TaskKind,
        target: String,
        task_id: String,
        after_ms: u64,
    },
}
