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
            offline: false,
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
