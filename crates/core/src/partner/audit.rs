//! The audit trail: one JSON line per mutation attempt, appended to `audit.log` in the state
//! directory. It records what was asked and how it ended. ClientTokens appear only as a short
//! fingerprint (enough to correlate retries), and credentials never pass through here.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Mutex;

use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct Entry<'a> {
    pub at: String,
    pub operation: &'a str,
    pub catalog: &'a str,
    /// `aws`, or the endpoint URL the change was sent to (a sandbox, a proxy).
    pub endpoint: &'a str,
    /// The change went to the embedded demo sandbox.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub demo: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<&'a str>,
    pub target: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<String>,
    pub outcome: String,
}

#[derive(Debug, Default)]
pub struct Audit {
    path: Option<PathBuf>,
    lock: Mutex<()>,
}

pub fn token_fingerprint(token: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in token.bytes() {
        hash ^= b as u64;
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("ct-{:08x}", hash as u32)
}

impl Audit {
    pub fn to_file(path: PathBuf) -> Audit {
        Audit {
            path: Some(path),
            lock: Mutex::new(()),
        }
    }

    pub fn record(&self, entry: &Entry) {
        let Some(path) = &self.path else { return };
        let Ok(line) = serde_json::to_string(entry) else {
            return;
        };
        let _guard = self.lock.lock();
        let written = crate::files::append_private(path).and_then(|mut f| writeln!(f, "{line}"));
        if let Err(err) = written {
            tracing::warn!(%err, path = %path.display(), "could not write the audit log");
        }
    }
}
