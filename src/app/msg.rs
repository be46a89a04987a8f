//! Messages into `update` and effects out of it. Payloads that belong to a feature are nested
//! by feature (`Intent::Opportunities(…)`), so the router's one exhaustive match names every
//! place a new feature must be handled.

use crossterm::event::KeyEvent;

use cosell_core::partner::types::*;

use super::core::column::Quick;
use super::core::shell::Measured;
use super::features::benefits::types as benefits;
use super::features::channel::types as channel;
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
    Benefits,
    Applications,
    Allocations,
    ProgramAccounts,
    Relationships,
    Handshakes,
}

impl ListId {
    pub const ALL: [ListId; 11] = [
        ListId::Opportunities,
        ListId::Referrals,
        ListId::Solutions,
        ListId::Connections,
        ListId::Invitations,
        ListId::Benefits,
        ListId::Applications,
        ListId::Allocations,
        ListId::ProgramAccounts,
        ListId::Relationships,
        ListId::Handshakes,
    ];

    /// The Partner Central service a list is read from.
    pub fn service(self) -> Service {
        match self {
            ListId::Opportunities
            | ListId::Referrals
            | ListId::Solutions
            | ListId::Connections
            | ListId::Invitations => Service::Selling,
            ListId::Benefits | ListId::Applications | ListId::Allocations => Service::Benefits,
            ListId::ProgramAccounts | ListId::Relationships | ListId::Handshakes => {
                Service::Channel
            }
        }
    }

    /// The kind of record in console URLs (`{kind}` in the `console_url` template).
    pub fn console_kind(self) -> &'static str {
        match self {
            ListId::Opportunities => "opportunities",
            ListId::Referrals => "engagement-invitations",
            ListId::Solutions => "solutions",
            ListId::Connections => "connections",
            ListId::Invitations => "connection-invitations",
            ListId::Benefits => "benefits",
            ListId::Applications => "benefit-applications",
            ListId::Allocations => "benefit-allocations",
            ListId::ProgramAccounts => "program-management-accounts",
            ListId::Relationships => "relationships",
            ListId::Handshakes => "channel-handshakes",
        }
    }

    /// How messages name the list.
    pub fn noun(self) -> &'static str {
        match self {
            ListId::Opportunities => "opportunities",
            ListId::Referrals => "referrals",
            ListId::Solutions => "solutions",
            ListId::Connections => "connections",
            ListId::Invitations => "connection invitations",
            ListId::Benefits => "benefits",
            ListId::Applications => "benefit applications",
            ListId::Allocations => "benefit allocations",
            ListId::ProgramAccounts => "program management accounts",
            ListId::Relationships => "channel relationships",
            ListId::Handshakes => "channel handshakes",
        }
    }
}

/// The Partner Central APIs the lists are read from (account's profile aside).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Service {
    Selling,
    Benefits,
    Channel,
}

impl Service {
    /// How messages name it.
    pub fn title(self) -> &'static str {
        match self {
            Service::Selling => "Partner Central selling",
            Service::Benefits => "Partner Central benefits",
            Service::Channel => "Partner Central channel",
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
    Benefits(Vec<Benefit>),
    Applications(Vec<BenefitApplication>),
    Allocations(Vec<BenefitAllocation>),
    ProgramAccounts(Vec<ProgramAccount>),
    Relationships(Vec<ChannelRelationship>),
    Handshakes(Vec<Handshake>),
}

/// A record read on its own, for the detail pane.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum DetailKey {
    Opportunity(String),
    AwsView(String),
    /// The engagement an opportunity (by id) belongs to.
    Engagement(String),
    /// The benefit applications for an opportunity (by id).
    Funding(String),
    Referral(String),
    Connection(String),
    Invitation(String),
    /// A benefit application read whole (GetBenefitApplication).
    Application(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Detail {
    Opportunity(Box<Opportunity>),
    AwsView(AwsView),
    /// None: the opportunity belongs to no engagement yet.
    Engagement(Option<Box<Engagement>>),
    Funding(Vec<BenefitApplication>),
    Referral(Box<ReferralDetail>),
    Connection(Connection),
    Invitation(ConnectionInvitation),
    Application(Box<BenefitApplication>),
}

/// A change the user asked for, by the feature that asked.
#[derive(Debug, Clone, PartialEq)]
pub enum Intent {
    Opportunities(opportunities::Intent),
    Referrals(referrals::Intent),
    Connections(connections::Intent),
    Benefits(benefits::Intent),
    Channel(channel::Intent),
}

impl Intent {
    /// The record it changes ("" when it creates one).
    pub fn target(&self) -> &str {
        match self {
            Intent::Opportunities(i) => i.target(),
            Intent::Referrals(i) => i.target(),
            Intent::Connections(i) => i.target(),
            Intent::Benefits(i) => i.target(),
            Intent::Channel(i) => i.target(),
        }
    }

    /// What the record's row says while the change is in flight.
    pub fn in_flight(&self) -> String {
        match self {
            Intent::Opportunities(i) => i.in_flight(),
            Intent::Referrals(i) => i.in_flight(),
            Intent::Connections(_) => "updating".into(),
            Intent::Benefits(i) => i.in_flight(),
            Intent::Channel(i) => i.in_flight(),
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
    /// Partner Central refused it for the record's current state (ConflictException): what
    /// the user saw is no longer what it holds.
    pub conflict: bool,
    pub fields: Vec<(String, String)>,
}

/// Which task list a task is followed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskKind {
    Submission,
    Acceptance,
    /// A lead being converted into an opportunity (StartOpportunityFromEngagementTask).
    Conversion,
}

/// What the mouse did, and where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pointer {
    WheelDown { column: u16, row: u16 },
    WheelUp { column: u16, row: u16 },
    Click { column: u16, row: u16 },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    Key(KeyEvent),
    /// The mouse wheel (or a click) at a cell of the screen.
    Mouse(Pointer),
    Resize(u16, u16),
    /// The renderer's measure of the frame it just drew.
    Measured(Measured),
    /// Something the runner has to tell the user (a browser that could not open, …).
    Notice {
        error: bool,
        text: String,
    },
    /// The runner now talks to this profile and catalog (or could not: `error`).
    Reconnected {
        profile: Option<String>,
        catalog: String,
        endpoint: Option<String>,
        error: Option<String>,
    },
    /// Drafts kept by earlier sessions, read at start.
    Drafts(Vec<super::core::form::Draft>),
    /// Titles and owners read from full records: (id, title, owner).
    Titles(Vec<(String, Option<String>, Option<String>)>),
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
        /// The account may not use this API (AccessDenied): the tab says so once.
        denied: bool,
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
        /// Offline: answer from the cache only, without trying the network first.
        cached_only: bool,
    },
    LoadPartner {
        request: u64,
        /// Offline: the profile the cache kept, without trying the network.
        cached_only: bool,
    },
    Mutate {
        request: u64,
        intent: Box<Intent>,
    },
    /// Puts `text` on the clipboard (OSC 52, so it works over SSH and in tmux).
    Copy {
        text: String,
    },
    /// Opens `url` in a browser where there is one.
    OpenUrl {
        url: String,
    },
    /// Connects again with another AWS profile or catalog; answered by `Msg::Reconnected`.
    Reconnect {
        profile: Option<String>,
        catalog: String,
    },
    /// Reads the full records of `ids` for their titles and owners (ListOpportunities has
    /// neither); answered by `Msg::Titles` in batches as they arrive.
    ReadTitles {
        ids: Vec<String>,
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
