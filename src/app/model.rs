//! The whole state of the TUI: one owned value, changed only by `update`.

use std::cmp::Ordering;
use std::collections::HashMap;

use crossterm::event::KeyEvent;

use super::keymap::{Keymap, Mode};
use super::popup::{Form, Intent, Popup};
use super::table::{Row, Table};
use cosell_core::partner::types::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tab {
    Opportunities,
    Referrals,
    Solutions,
    Connections,
}

impl Tab {
    pub const ALL: [Tab; 4] = [
        Tab::Opportunities,
        Tab::Referrals,
        Tab::Solutions,
        Tab::Connections,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Tab::Opportunities => "Opportunities",
            Tab::Referrals => "Referrals",
            Tab::Solutions => "Solutions",
            Tab::Connections => "Connections",
        }
    }

    pub fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }
}

/// The Connections tab holds two lists; one has the focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectionsPane {
    Connections,
    Invitations,
}

/// Which list a load or page belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ListId {
    Opportunities,
    Referrals,
    Solutions,
    Connections,
    Invitations,
}

/// Where cosell is connected, for the header.
#[derive(Debug, Clone, Default)]
pub struct Context {
    pub profile: Option<String>,
    pub region: String,
    pub catalog: String,
    pub demo: bool,
    pub readonly: bool,
    pub endpoint: Option<String>,
}

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

#[derive(Debug, Clone, PartialEq)]
pub enum Loadable<T> {
    Loading(u64),
    Ready(T),
    Failed(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Error,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Toast {
    pub text: String,
    pub level: Level,
    pub at: Millis,
}

/// Info toasts fade after this long; errors stay until dismissed.
pub const TOAST_MILLIS: Millis = 5_000;

#[derive(Debug, Clone, PartialEq)]
pub enum Page {
    Opportunities(Vec<OpportunitySummary>),
    Referrals(Vec<Referral>),
    Solutions(Vec<Solution>),
    Connections(Vec<Connection>),
    Invitations(Vec<ConnectionInvitation>),
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

/// What a successful mutation produced.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Updated(Box<Opportunity>),
    Conflict(Box<Opportunity>),
    Created(String),
    Done,
    TaskStarted(TaskState),
}

/// A refused mutation: the actionable message and the fields the service named.
#[derive(Debug, Clone, PartialEq)]
pub struct MutationError {
    pub message: String,
    pub fields: Vec<(String, String)>,
}

/// Work for the effect runner; results come back as `Msg`s carrying the same request id.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Load {
        request: u64,
        list: ListId,
        /// Quick filters for Partner Central to apply, as (group, value) like `Table::quick`;
        /// empty reads the whole list.
        scope: Vec<(String, String)>,
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

pub struct Model {
    pub context: Context,
    pub keymap: Keymap,
    pub tab: Tab,
    pub opportunities: Table<OpportunitySummary>,
    pub referrals: Table<Referral>,
    pub solutions: Table<Solution>,
    pub connections: Table<Connection>,
    pub invitations: Table<ConnectionInvitation>,
    pub connections_pane: ConnectionsPane,
    pub partner: Option<Loadable<Partner>>,
    pub details: HashMap<DetailKey, Loadable<Detail>>,
    pub detail_open: bool,
    pub help_open: bool,
    /// First help line shown, when the help is taller than the screen.
    pub help_scroll: u16,
    pub filtering: bool,
    pub toasts: Vec<Toast>,
    pub now: Millis,
    pub width: u16,
    pub height: u16,
    pub next_request: u64,
    pub should_quit: bool,
    /// Set by ctrl-z; the event loop hands the terminal back to the shell, then clears it.
    pub suspend_requested: bool,
    pub popup: Option<Popup>,
    pub form: Option<Form>,
    /// Records with a change in flight: id to what is being changed (the row shows a spinner).
    pub pending: HashMap<String, String>,
    /// Tasks being followed: task id to the record it works on.
    pub following: HashMap<String, String>,
    /// Distinguishes this session's ClientTokens from every other session's.
    pub session: u64,
    /// Referrals marked with space for a batch answer.
    pub marked: std::collections::BTreeSet<String>,
    /// Referral id to the opportunity its acceptance created.
    pub accepted: HashMap<String, String>,
    /// The opportunity the latest acceptance created, for J right after its toast.
    pub last_accepted: Option<String>,
    /// Progress of a batch answer: (what, total, done, failed).
    pub batch: Option<Batch>,
    /// Normalized customer names of open opportunities, for the duplicate hint on referrals.
    pub pipeline_names: HashMap<String, String>,
    /// The last rejection reason typed, offered again after a failure.
    pub last_reject_reason: Option<(String, String)>,
    /// When the cached rows on screen were synced, until live data replaces them.
    pub cached_at: Option<Millis>,
    /// Partner Central is unreachable: the cache is shown and changes are off.
    pub offline: bool,
    /// Titles and owners known from full records, by id: ListOpportunities has neither, so
    /// they are merged into rows that reload without them.
    pub known_titles: HashMap<String, (Option<String>, Option<String>)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    pub what: &'static str,
    pub ids: Vec<String>,
    pub done: usize,
    pub failed: usize,
}

/// Which task list a task is followed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskKind {
    Submission,
    Acceptance,
}

/// The smallest terminal cosell draws in; below it a "too small" screen explains why.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 15;
/// From this width the detail pane sits beside the table instead of below it.
pub const SIDE_DETAIL_WIDTH: u16 = 120;

impl Model {
    pub fn new(context: Context, keymap: Keymap, now: Millis, width: u16, height: u16) -> Model {
        Model {
            context,
            keymap,
            tab: Tab::Opportunities,
            // Newest activity first, as a partner reads a pipeline in the morning.
            opportunities: Table::with_sort(OPP_MODIFIED, true),
            // Least time left first, pending only: the whole point of the referrals inbox.
            referrals: {
                let mut inbox = Table::with_sort(REF_TIME_LEFT, false);
                inbox.quick = vec![("status".into(), "PENDING".into())];
                inbox
            },
            solutions: Table::with_sort(0, false),
            connections: Table::with_sort(0, false),
            invitations: Table::with_sort(INV_CREATED, true),
            connections_pane: ConnectionsPane::Connections,
            partner: None,
            details: HashMap::new(),
            detail_open: false,
            help_open: false,
            help_scroll: 0,
            filtering: false,
            toasts: Vec::new(),
            now,
            width,
            height,
            next_request: 1,
            should_quit: false,
            suspend_requested: false,
            popup: None,
            form: None,
            pending: HashMap::new(),
            following: HashMap::new(),
            session: 0,
            marked: Default::default(),
            accepted: HashMap::new(),
            last_accepted: None,
            batch: None,
            pipeline_names: HashMap::new(),
            last_reject_reason: None,
            cached_at: None,
            offline: false,
            known_titles: HashMap::new(),
        }
    }

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

    /// A ClientToken unique to this session and request.
    pub fn client_token(&mut self) -> String {
        let n = self.take_request();
        format!("cosell-{:016x}-{n}", self.session)
    }

    pub fn mode(&self) -> Mode {
        match &self.popup {
            Some(Popup::Picker(_)) => return Mode::Picker,
            Some(Popup::Confirm(_)) | Some(Popup::DiscardForm) => return Mode::Confirm,
            Some(Popup::Profile) => return Mode::Help,
            Some(Popup::Conflict { .. }) => return Mode::Conflict,
            None => {}
        }
        if self.form.is_some() {
            return Mode::Form;
        }
        if self.help_open {
            Mode::Help
        } else if self.filtering {
            Mode::Filter
        } else {
            Mode::Normal
        }
    }

    pub fn too_small(&self) -> bool {
        self.width < MIN_WIDTH || self.height < MIN_HEIGHT
    }

    pub fn side_detail(&self) -> bool {
        self.width >= SIDE_DETAIL_WIDTH
    }

    /// Rows of table body visible for the focused list, from the same layout the UI draws:
    /// header, tabs and bottom bar take a line each, a table block two borders and a title row.
    pub fn table_rows(&self) -> usize {
        let mut body = self.height.saturating_sub(3);
        if self.detail_open && !self.side_detail() {
            body /= 2;
        }
        if self.tab == Tab::Connections {
            body /= 2;
        }
        body.saturating_sub(3).max(1) as usize
    }

    pub fn take_request(&mut self) -> u64 {
        let id = self.next_request;
        self.next_request += 1;
        id
    }

    pub fn focused_list(&self) -> ListId {
        match self.tab {
            Tab::Opportunities => ListId::Opportunities,
            Tab::Referrals => ListId::Referrals,
            Tab::Solutions => ListId::Solutions,
            Tab::Connections => match self.connections_pane {
                ConnectionsPane::Connections => ListId::Connections,
                ConnectionsPane::Invitations => ListId::Invitations,
            },
        }
    }

    /// The detail records the selected row of the focused list needs.
    pub fn selected_detail_keys(&self) -> Vec<DetailKey> {
        match self.focused_list() {
            ListId::Opportunities => self
                .opportunities
                .selected_row()
                .map(|o| {
                    vec![
                        DetailKey::Opportunity(o.id.clone()),
                        DetailKey::AwsView(o.id.clone()),
                    ]
                })
                .unwrap_or_default(),
            ListId::Referrals => self
                .referrals
                .selected_row()
                .map(|r| vec![DetailKey::Referral(r.id.clone())])
                .unwrap_or_default(),
            ListId::Solutions => Vec::new(),
            ListId::Connections => self
                .connections
                .selected_row()
                .map(|c| vec![DetailKey::Connection(c.id.clone())])
                .unwrap_or_default(),
            ListId::Invitations => self
                .invitations
                .selected_row()
                .map(|i| vec![DetailKey::Invitation(i.id.clone())])
                .unwrap_or_default(),
        }
    }

    pub fn detail(&self, key: &DetailKey) -> Option<&Loadable<Detail>> {
        self.details.get(key)
    }

    pub fn toast(&mut self, level: Level, text: impl Into<String>) {
        let text = text.into();
        // The same error arriving again (five lists failing on one outage) is shown once.
        self.toasts.retain(|t| t.text != text);
        self.toasts.push(Toast {
            text,
            level,
            at: self.now,
        });
    }

    pub fn last_refresh(&self) -> Option<Millis> {
        [
            self.opportunities.loaded_at,
            self.referrals.loaded_at,
            self.solutions.loaded_at,
            self.connections.loaded_at,
            self.invitations.loaded_at,
        ]
        .into_iter()
        .flatten()
        .max()
    }

    /// Pending referrals, and how many of them expire within 48 hours.
    pub fn referral_urgency(&self) -> (usize, usize) {
        let pending: Vec<&Referral> = self
            .referrals
            .rows
            .iter()
            .filter(|r| r.status.as_deref() == Some("PENDING"))
            .collect();
        let soon = pending
            .iter()
            .filter(|r| r.expires.is_some_and(|e| e - self.now <= 48 * 3_600_000))
            .count();
        (pending.len(), soon)
    }
}

// Column numbers, shared by sorting here and drawing in the UI.
pub const OPP_COLUMNS: [&str; 8] = [
    "Id", "Customer", "Title", "Stage", "Review", "Spend/mo", "Close", "Modified",
];
pub const OPP_MODIFIED: usize = 7;
pub const REF_COLUMNS: [&str; 8] = [
    "Time left",
    "Customer",
    "Industry",
    "Country",
    "Project",
    "Spend/mo",
    "Sender",
    "Status",
];
pub const REF_TIME_LEFT: usize = 0;
pub const SOL_COLUMNS: [&str; 6] = ["Id", "Name", "Category", "Status", "Created", "Marketplace"];
pub const CONN_COLUMNS: [&str; 4] = ["Partner", "Account", "Connection types", "Updated"];
pub const INV_COLUMNS: [&str; 6] = [
    "Direction",
    "Other party",
    "Type",
    "Status",
    "Expires",
    "Created",
];
pub const INV_CREATED: usize = 5;

pub fn column_names(list: ListId) -> &'static [&'static str] {
    match list {
        ListId::Opportunities => &OPP_COLUMNS,
        ListId::Referrals => &REF_COLUMNS,
        ListId::Solutions => &SOL_COLUMNS,
        ListId::Connections => &CONN_COLUMNS,
        ListId::Invitations => &INV_COLUMNS,
    }
}

fn cmp_opt<T: PartialOrd>(a: &Option<T>, b: &Option<T>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => a.partial_cmp(b).unwrap_or(Ordering::Equal),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

fn id_number(id: &str) -> u64 {
    id.trim_start_matches(|c: char| !c.is_ascii_digit())
        .parse()
        .unwrap_or(0)
}

impl Row for OpportunitySummary {
    fn key(&self) -> &str {
        &self.id
    }
    fn haystack(&self) -> String {
        format!(
            "{} {} {} {} {} {} {}",
            self.id,
            self.customer,
            self.title.as_deref().unwrap_or(""),
            self.owner.as_deref().unwrap_or(""),
            self.partner_reference.as_deref().unwrap_or(""),
            self.stage.as_deref().unwrap_or(""),
            self.review_status.as_deref().unwrap_or("")
        )
        .to_lowercase()
    }
    fn compare(&self, other: &Self, column: usize) -> Ordering {
        // Columns as in OPP_COLUMNS.
        match column {
            0 => id_number(&self.id).cmp(&id_number(&other.id)),
            1 => self
                .customer
                .to_lowercase()
                .cmp(&other.customer.to_lowercase()),
            2 => cmp_opt(&self.title, &other.title),
            3 => cmp_opt(
                &stage_rank(self.stage.as_deref()),
                &stage_rank(other.stage.as_deref()),
            ),
            4 => cmp_opt(&self.review_status, &other.review_status),
            5 => cmp_opt(
                &self.monthly_spend.as_ref().map(Money::value),
                &other.monthly_spend.as_ref().map(Money::value),
            ),
            6 => cmp_opt(&self.target_close, &other.target_close),
            _ => cmp_opt(&self.last_modified, &other.last_modified),
        }
        .then_with(|| self.id.cmp(&other.id))
    }
    fn facet(&self, group: &str) -> Option<&str> {
        match group {
            "stage" => self.stage.as_deref(),
            "review" => self.review_status.as_deref(),
            _ => None,
        }
    }
}

/// Pipeline order of the partner stages, so sorting by stage reads like a funnel.
pub fn stage_rank(stage: Option<&str>) -> Option<u8> {
    Some(match stage? {
        "Prospect" => 0,
        "Qualified" => 1,
        "Technical Validation" => 2,
        "Business Validation" => 3,
        "Committed" => 4,
        "Launched" => 5,
        "Closed Lost" => 6,
        _ => 7,
    })
}

impl Row for Referral {
    fn key(&self) -> &str {
        &self.id
    }
    fn haystack(&self) -> String {
        [
            Some(self.id.as_str()),
            self.title.as_deref(),
            self.customer.as_deref(),
            self.project.as_deref(),
            self.industry.as_deref(),
            self.country.as_deref(),
            self.status.as_deref(),
            self.sender_company.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
    }
    fn compare(&self, other: &Self, column: usize) -> Ordering {
        match column {
            // Pending first, then by expiry: answered referrals have no clock.
            0 => (self.status.as_deref() != Some("PENDING"))
                .cmp(&(other.status.as_deref() != Some("PENDING")))
                .then_with(|| cmp_opt(&self.expires, &other.expires)),
            1 => cmp_opt(&self.customer, &other.customer),
            2 => cmp_opt(&self.industry, &other.industry),
            3 => cmp_opt(&self.country, &other.country),
            4 => cmp_opt(
                &self.project.as_ref().or(self.title.as_ref()),
                &other.project.as_ref().or(other.title.as_ref()),
            ),
            5 => cmp_opt(
                &self.monthly_spend.as_ref().map(Money::value),
                &other.monthly_spend.as_ref().map(Money::value),
            ),
            6 => cmp_opt(&self.sender_company, &other.sender_company),
            _ => cmp_opt(&self.status, &other.status),
        }
        .then_with(|| self.id.cmp(&other.id))
    }
    fn facet(&self, group: &str) -> Option<&str> {
        match group {
            "status" => self.status.as_deref(),
            "type" => self.payload_type.as_deref(),
            _ => None,
        }
    }
}

impl Row for Solution {
    fn key(&self) -> &str {
        &self.id
    }
    fn haystack(&self) -> String {
        format!(
            "{} {} {} {}",
            self.id, self.name, self.category, self.status
        )
        .to_lowercase()
    }
    fn compare(&self, other: &Self, column: usize) -> Ordering {
        match column {
            0 => id_number(&self.id).cmp(&id_number(&other.id)),
            1 => self.name.cmp(&other.name),
            2 => self.category.cmp(&other.category),
            3 => self.status.cmp(&other.status),
            4 => cmp_opt(&self.created, &other.created),
            _ => cmp_opt(&self.marketplace_arn, &other.marketplace_arn),
        }
        .then_with(|| self.id.cmp(&other.id))
    }
    fn facet(&self, group: &str) -> Option<&str> {
        (group == "status").then_some(self.status.as_str())
    }
}

impl Row for Connection {
    fn key(&self) -> &str {
        &self.id
    }
    fn haystack(&self) -> String {
        format!(
            "{} {} {} {}",
            self.id,
            self.other_name.as_deref().unwrap_or(""),
            self.other_account,
            self.types
                .iter()
                .map(|t| format!("{} {}", t.connection_type, t.status))
                .collect::<Vec<_>>()
                .join(" ")
        )
        .to_lowercase()
    }
    fn compare(&self, other: &Self, column: usize) -> Ordering {
        match column {
            0 => cmp_opt(&self.other_name, &other.other_name),
            1 => self.other_account.cmp(&other.other_account),
            2 => self.types.len().cmp(&other.types.len()),
            _ => cmp_opt(&self.updated, &other.updated),
        }
        .then_with(|| self.id.cmp(&other.id))
    }
}

impl Row for ConnectionInvitation {
    fn key(&self) -> &str {
        &self.id
    }
    fn haystack(&self) -> String {
        format!(
            "{} {} {} {} {}",
            self.id, self.direction, self.other, self.connection_type, self.status
        )
        .to_lowercase()
    }
    fn compare(&self, other: &Self, column: usize) -> Ordering {
        match column {
            0 => self.direction.cmp(&other.direction),
            1 => self.other.cmp(&other.other),
            2 => self.connection_type.cmp(&other.connection_type),
            3 => self.status.cmp(&other.status),
            4 => cmp_opt(&self.expires, &other.expires),
            _ => cmp_opt(&self.created, &other.created),
        }
        .then_with(|| self.id.cmp(&other.id))
    }
}
