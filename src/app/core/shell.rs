//! What every feature shares and no feature owns: where cosell is connected, the clock and the
//! screen, request ids and ClientTokens, toasts, the records with a change in flight, the tasks
//! being followed, and whether changes are allowed at all.

use std::collections::HashMap;

use cosell_core::partner::types::Millis;

/// Where cosell is connected, for the header.
#[derive(Debug, Clone, Default)]
pub struct Context {
    pub profile: Option<String>,
    pub region: String,
    pub catalog: String,
    pub demo: bool,
    pub readonly: bool,
    pub endpoint: Option<String>,
    /// Where `b` opens a record: `{region}`, `{catalog}`, `{kind}` and `{id}` are filled in
    /// (config `console_url`; empty: the default).
    pub console_url: String,
    /// Started with `--offline`: the cache only, until R reaches Partner Central.
    pub offline: bool,
    /// Who "Mine" means (config `me`: a name or email as opportunity teams show it).
    pub me: Option<String>,
}

/// The Partner Central console's address for a record, unless the config says otherwise.
pub const CONSOLE_URL: &str = "https://console.aws.amazon.com/partnercentral/home?region={region}#/{kind}/{id}?catalog={catalog}";

impl Context {
    /// The console address of record `id` of `kind`.
    pub fn console_url(&self, kind: &str, id: &str) -> String {
        let template = if self.console_url.is_empty() {
            CONSOLE_URL
        } else {
            &self.console_url
        };
        template
            .replace("{region}", &self.region)
            .replace("{catalog}", &self.catalog)
            .replace("{kind}", kind)
            .replace("{id}", id)
    }

    /// A Partner Central on this machine (the demo, a `cosell sandbox`): reads cost nothing
    /// against a quota, so what the lists lack is read eagerly.
    pub fn is_local(&self) -> bool {
        self.demo
            || self.endpoint.as_deref().is_some_and(|url| {
                let host = url
                    .split("://")
                    .nth(1)
                    .unwrap_or(url)
                    .split(['/', '?'])
                    .next()
                    .unwrap_or("");
                let host = host.rsplit_once(':').map_or(host, |(h, _)| h);
                matches!(host, "127.0.0.1" | "localhost" | "[::1]" | "::1")
            })
    }
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

/// A record read on demand: in flight (under a request id), here, or refused.
#[derive(Debug, Clone, PartialEq)]
pub enum Loadable<T> {
    Loading(u64),
    Ready(T),
    Failed(String),
}

/// Records read one by one (full opportunities, referral payloads, …), keyed by id.
pub type Details<T> = HashMap<String, Loadable<T>>;

/// Stores a detail that arrived, when it answers the request still awaited for `id`.
pub fn settle<T>(
    details: &mut Details<T>,
    id: String,
    request: u64,
    result: Result<T, String>,
) -> bool {
    if !matches!(details.get(&id), Some(Loadable::Loading(r)) if *r == request) {
        return false;
    }
    details.insert(
        id,
        match result {
            Ok(value) => Loadable::Ready(value),
            Err(error) => Loadable::Failed(error),
        },
    );
    true
}

/// A rectangle of the screen, in cells (the app's own type: no ratatui below `ui`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Area {
    pub x: u16,
    pub y: u16,
    pub width: u16,
    pub height: u16,
}

impl Area {
    pub fn contains(&self, column: u16, row: u16) -> bool {
        column >= self.x
            && column < self.x + self.width
            && row >= self.y
            && row < self.y + self.height
    }
}

/// What the last frame's layout came to, reported by the renderer after drawing: where the
/// panes are (for the mouse) and how far each scrollable pane's content overflows it, so
/// scrolling stops at the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Measured {
    pub table: Option<Area>,
    pub detail: Option<Area>,
    /// Lines of detail beyond what its pane shows.
    pub detail_overflow: u16,
    /// Lines of help beyond what its box shows.
    pub help_overflow: u16,
}

pub struct Shell {
    pub context: Context,
    pub now: Millis,
    pub width: u16,
    pub height: u16,
    next_request: u64,
    /// Distinguishes this session's ClientTokens from every other session's.
    pub session: u64,
    pub toasts: Vec<Toast>,
    /// Records with a change in flight: id to what is being changed (the row shows a spinner).
    pub pending: HashMap<String, String>,
    /// Tasks being followed: task id to the record it works on.
    pub following: HashMap<String, String>,
    /// Partner Central is unreachable: the cache is shown and changes are off.
    pub offline: bool,
    /// When the cached rows on screen were synced, until live data replaces them.
    pub cached_at: Option<Millis>,
}

impl Shell {
    pub fn new(context: Context, now: Millis, width: u16, height: u16) -> Shell {
        let offline = context.offline;
        Shell {
            context,
            now,
            width,
            height,
            next_request: 1,
            session: 0,
            toasts: Vec::new(),
            pending: HashMap::new(),
            following: HashMap::new(),
            offline,
            cached_at: None,
        }
    }

    pub fn take_request(&mut self) -> u64 {
        let id = self.next_request;
        self.next_request += 1;
        id
    }

    /// A ClientToken unique to this session and request.
    pub fn client_token(&mut self) -> String {
        let n = self.take_request();
        format!("cosell-{:016x}-{n}", self.session)
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

    /// Takes a message down once what it announced has happened ("Reading … first" when the
    /// form it waited for opens).
    pub fn withdraw_toast(&mut self, text: &str) {
        self.toasts.retain(|t| t.text != text);
    }

    /// Today as `YYYY-MM-DD`, for date-only fields.
    pub fn today(&self) -> String {
        cosell_core::times::today(self.now)
    }

    /// Refuses a change when changes are off (read-only mode, or offline), saying why and what
    /// to do; true when refused. Every feature asks here, so the rule and its words are one.
    pub fn refuse_changes(&mut self, what: &str) -> bool {
        let why = if self.offline {
            format!(
                "Offline: changes are off while Partner Central cannot be reached, so {what} must wait. Press R to try again."
            )
        } else if self.context.readonly {
            format!(
                "Read-only mode: changes are turned off, {what} included (started with --readonly or readonly = true in the config). Restart without it to make changes."
            )
        } else {
            return false;
        };
        self.toast(Level::Error, why);
        true
    }

    /// Marks `id` as having `what` in flight; the refusal when something already is.
    pub fn busy(&self, id: &str) -> Option<String> {
        self.pending
            .get(id)
            .map(|what| format!("{id} is still saving ({what}); wait for it to finish."))
    }
}
