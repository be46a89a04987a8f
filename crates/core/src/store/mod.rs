//! The local cache: one SQLite file per profile and catalog under the cache directory. Rows hold
//! cosell's domain types as JSON, so `sqlite3` with `json_extract` reads them directly; the
//! columns sync needs (ids, modification times) are real columns. Every sync step writes in a
//! transaction, so an interrupted sync leaves a consistent cache and the next one resumes.

pub mod api_json;
pub mod sync;

use std::path::{Path, PathBuf};

use rusqlite::{Connection as Db, OptionalExtension, params};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::partner::types::*;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cache database {path}: {source}")]
    Sql {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("cannot create the cache directory {path}: {source}")]
    Dir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("a cached record is not readable ({0}); run `cosell sync --full` to rebuild the cache")]
    Corrupt(String),
    #[error(
        "the cache {path} is damaged ({why}); `cosell sync --full` moves it aside and builds a new one"
    )]
    Damaged { path: PathBuf, why: String },
}

impl StoreError {
    /// The file itself is damaged (not an error of one record or of the disk).
    pub fn is_damage(&self) -> bool {
        match self {
            StoreError::Damaged { .. } => true,
            StoreError::Sql { source, .. } => {
                let text = source.to_string();
                text.contains("not a database") || text.contains("malformed")
            }
            StoreError::Dir { .. } | StoreError::Corrupt(_) => false,
        }
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

pub struct Cache {
    conn: Db,
    path: PathBuf,
}

fn e_is_damage(source: &rusqlite::Error) -> bool {
    let text = source.to_string();
    text.contains("not a database") || text.contains("malformed")
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS opportunities (
    id TEXT PRIMARY KEY,
    last_modified INTEGER NOT NULL,
    summary TEXT NOT NULL,
    full TEXT,
    full_modified INTEGER,
    shared INTEGER NOT NULL DEFAULT 0,
    aws_modified INTEGER
);
CREATE INDEX IF NOT EXISTS opportunities_modified ON opportunities (last_modified);
CREATE INDEX IF NOT EXISTS opportunities_full_due ON opportunities (last_modified)
    WHERE full_modified IS NULL OR full_modified < last_modified;
CREATE INDEX IF NOT EXISTS opportunities_aws_due ON opportunities (last_modified)
    WHERE shared AND (aws_modified IS NULL OR aws_modified < last_modified);
CREATE TABLE IF NOT EXISTS aws_summaries (id TEXT PRIMARY KEY, json TEXT NOT NULL, fetched_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS referrals (id TEXT PRIMARY KEY, json TEXT NOT NULL, detail TEXT);
CREATE TABLE IF NOT EXISTS solutions (id TEXT PRIMARY KEY, json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS connections (id TEXT PRIMARY KEY, json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS connection_invitations (id TEXT PRIMARY KEY, json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS engagements (id TEXT PRIMARY KEY, json TEXT NOT NULL, modified INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS benefits (id TEXT PRIMARY KEY, json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS benefit_applications (id TEXT PRIMARY KEY, json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS benefit_allocations (id TEXT PRIMARY KEY, json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS program_accounts (id TEXT PRIMARY KEY, json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS channel_relationships (id TEXT PRIMARY KEY, json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS channel_handshakes (id TEXT PRIMARY KEY, json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS snapshots (
    taken_at INTEGER NOT NULL,
    opportunities INTEGER NOT NULL,
    by_stage TEXT NOT NULL,
    pending_referrals INTEGER NOT NULL
);
";

/// A benefits or channel record, kept whole in its own table.
pub trait Kept: Serialize + DeserializeOwned {
    const TABLE: &'static str;
    fn id(&self) -> &str;
}

macro_rules! kept {
    ($($t:ty => $table:literal),* $(,)?) => {$(
        impl Kept for $t {
            const TABLE: &'static str = $table;
            fn id(&self) -> &str {
                &self.id
            }
        }
    )*};
}

kept! {
    Benefit => "benefits",
    BenefitApplication => "benefit_applications",
    BenefitAllocation => "benefit_allocations",
    ProgramAccount => "program_accounts",
    ChannelRelationship => "channel_relationships",
    Handshake => "channel_handshakes",
}

/// Raised when a table changes shape; `open` brings older files up to it.
const SCHEMA_VERSION: i64 = 2;

/// The cache file for a profile, catalog and endpoint: data from different accounts, catalogs
/// or sandboxes never mix.
pub fn cache_path(
    cache_dir: &Path,
    profile: Option<&str>,
    catalog: &str,
    endpoint: Option<&str>,
) -> PathBuf {
    let mut name = profile.unwrap_or("default").to_string();
    if let Some(endpoint) = endpoint {
        let mut hash: u32 = 2_166_136_261;
        for b in endpoint.bytes() {
            hash = (hash ^ b as u32).wrapping_mul(16_777_619);
        }
        name = format!("endpoint-{hash:08x}");
    }
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    cache_dir.join(format!("{safe}-{catalog}.sqlite"))
}

fn to_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".into())
}

fn from_json<T: DeserializeOwned>(text: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(e.to_string()))
}

impl Cache {
    /// Opens the cache only if its file exists: for readers that must not leave an empty cache
    /// behind (`cosell check`, `--offline`).
    pub fn open_existing(path: &Path) -> Result<Option<Cache>> {
        if path.exists() {
            Cache::open(path).map(Some)
        } else {
            Ok(None)
        }
    }

    /// Moves a damaged cache file aside and starts an empty one; answers where it went.
    pub fn rebuild(path: &Path) -> Result<(Cache, PathBuf)> {
        let mut aside = path.as_os_str().to_owned();
        aside.push(format!(".damaged-{}", crate::times::now_millis()));
        let aside = PathBuf::from(aside);
        std::fs::rename(path, &aside).map_err(|source| StoreError::Dir {
            path: path.to_path_buf(),
            source,
        })?;
        for suffix in ["-wal", "-shm"] {
            let mut side = path.as_os_str().to_owned();
            side.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(side));
        }
        Ok((Cache::open(path)?, aside))
    }

    /// Opens the cache, or, when its file is damaged, moves the file aside (to
    /// `<name>.damaged-<time>`, kept for inspection) and starts an empty one: what
    /// `cosell sync --full` does before reading everything again. Answers where the damaged
    /// file went, if it did.
    pub fn open_or_rebuild(path: &Path) -> Result<(Cache, Option<PathBuf>)> {
        match Cache::open(path) {
            Err(e) if e.is_damage() => {
                let (cache, aside) = Cache::rebuild(path)?;
                Ok((cache, Some(aside)))
            }
            opened => opened.map(|c| (c, None)),
        }
    }

    pub fn open(path: &Path) -> Result<Cache> {
        Cache::open_checked(path).map_err(|e| match e {
            StoreError::Sql { path, source } if e_is_damage(&source) => StoreError::Damaged {
                path,
                why: source.to_string(),
            },
            other => other,
        })
    }

    fn open_checked(path: &Path) -> Result<Cache> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            crate::files::private_dir(dir).map_err(|source| StoreError::Dir {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        // Created owner-only before SQLite opens it: SQLite gives its WAL and shared-memory
        // files the database file's permissions.
        crate::files::append_private(path)
            .map(drop)
            .map_err(|source| StoreError::Dir {
                path: path.to_path_buf(),
                source,
            })?;
        let conn = Db::open(path).map_err(|source| StoreError::Sql {
            path: path.to_path_buf(),
            source,
        })?;
        let cache = Cache {
            conn,
            path: path.to_path_buf(),
        };
        // A cron `cosell sync` and an open TUI may write the same file: wait for the other
        // writer rather than failing with SQLITE_BUSY.
        cache.sql(cache.conn.busy_timeout(std::time::Duration::from_secs(30)))?;
        // Switching a new file to WAL needs it to itself for a moment; two processes creating
        // the same cache at once take turns here rather than failing.
        let mut tries = 0;
        loop {
            match cache
                .conn
                .execute_batch("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
            {
                Err(e) if tries < 50 && e.to_string().contains("locked") => {
                    tries += 1;
                    std::thread::sleep(std::time::Duration::from_millis(100));
                }
                done => {
                    cache.sql(done)?;
                    break;
                }
            }
        }
        let version: i64 = cache.sql(
            cache
                .conn
                .query_row("PRAGMA user_version", [], |r| r.get(0)),
        )?;
        if version < SCHEMA_VERSION {
            cache.upgrade()?;
        }

        cache.sql(
            cache
                .conn
                .execute_batch(&format!("{SCHEMA} PRAGMA user_version = {SCHEMA_VERSION};")),
        )?;
        Ok(cache)
    }

    /// Brings a file written by an older cosell to the current shape, keeping what it holds.
    fn upgrade(&self) -> Result<()> {
        // AWS views were tied to their record in their own table; they are cheap to read
        // again, so they are dropped rather than moved.
        self.sql(
            self.conn
                .execute_batch("DROP TABLE IF EXISTS aws_summaries;"),
        )?;
        let columns: Vec<String> = {
            let mut stmt = self.sql(
                self.conn
                    .prepare("SELECT name FROM pragma_table_info('opportunities')"),
            )?;
            let names = self.sql(stmt.query_map([], |r| r.get(0)))?;
            names.map(|n| self.sql(n)).collect::<Result<_>>()?
        };
        if !columns.is_empty() && !columns.iter().any(|c| c == "shared") {
            self.sql(self.conn.execute_batch(
                "ALTER TABLE opportunities ADD COLUMN shared INTEGER NOT NULL DEFAULT 0;
                 ALTER TABLE opportunities ADD COLUMN aws_modified INTEGER;
                 UPDATE opportunities SET shared =
                     COALESCE(json_extract(summary, '$.review_status'), 'Pending Submission')
                         != 'Pending Submission';",
            ))?;
        }
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn sql<T>(&self, result: rusqlite::Result<T>) -> Result<T> {
        result.map_err(|source| StoreError::Sql {
            path: self.path.clone(),
            source,
        })
    }

    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        self.sql(
            self.conn
                .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
                .optional(),
        )
    }

    pub fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        self.sql(self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, value],
        ))
        .map(|_| ())
    }

    pub fn meta_millis(&self, key: &str) -> Result<Option<Millis>> {
        Ok(self.meta(key)?.and_then(|v| v.parse().ok()))
    }

    /// The stored modification time of each of `ids` (None for unknown ones).
    pub fn known_modified(&self, ids: &[&str]) -> Result<Vec<Option<Millis>>> {
        let mut stmt = self.sql(
            self.conn
                .prepare_cached("SELECT last_modified FROM opportunities WHERE id = ?1"),
        )?;
        ids.iter()
            .map(|id| self.sql(stmt.query_row([id], |r| r.get(0)).optional()))
            .collect()
    }

    /// Writes only the summaries whose modification time differs from the stored one: a live
    /// list written back page by page after a TUI load is mostly unchanged, and reading a
    /// page's stored times is far cheaper than rewriting every row. Returns how many were
    /// written.
    pub fn upsert_changed_summaries(&mut self, rows: &[OpportunitySummary]) -> Result<usize> {
        let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
        let known: std::collections::HashMap<&str, Millis> = ids
            .iter()
            .copied()
            .zip(self.known_modified(&ids)?)
            .filter_map(|(id, m)| m.map(|m| (id, m)))
            .collect();
        let changed: Vec<OpportunitySummary> = rows
            .iter()
            .filter(|r| known.get(r.id.as_str()) != Some(&r.last_modified.unwrap_or(0)))
            .cloned()
            .collect();
        self.upsert_summaries(&changed)?;
        Ok(changed.len())
    }

    /// Writes a page of summaries in one transaction.
    pub fn upsert_summaries(&mut self, rows: &[OpportunitySummary]) -> Result<()> {
        let path = self.path.clone();
        let wrap = |source| StoreError::Sql {
            path: path.clone(),
            source,
        };
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(wrap)?;
        {
            let mut stmt = tx
                .prepare_cached(
                    // A listed summary carries no title or owner (only a full record does), so
                    // it never overwrites the ones already stored: they stay until the full
                    // record is read again.
                    "INSERT INTO opportunities (id, last_modified, summary, shared) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT(id) DO UPDATE SET last_modified = excluded.last_modified,
                         summary = json_set(excluded.summary,
                             '$.title', coalesce(json_extract(excluded.summary, '$.title'),
                                                 json_extract(opportunities.summary, '$.title')),
                             '$.owner', coalesce(json_extract(excluded.summary, '$.owner'),
                                                 json_extract(opportunities.summary, '$.owner'))),
                         shared = excluded.shared",
                )
                .map_err(wrap)?;
            for row in rows {
                stmt.execute(params![
                    row.id,
                    row.last_modified.unwrap_or(0),
                    to_json(row),
                    crate::partner::rules::shared_with_aws(row)
                ])
                .map_err(wrap)?;
            }
        }
        tx.commit().map_err(wrap)
    }

    pub fn store_full(&self, opportunity: &Opportunity) -> Result<()> {
        let modified = opportunity.summary.last_modified.unwrap_or(0);
        self.sql(self.conn.execute(
            "INSERT INTO opportunities (id, last_modified, summary, full, full_modified, shared)
             VALUES (?1, ?2, ?3, ?4, ?2, ?5)
             ON CONFLICT(id) DO UPDATE SET last_modified = excluded.last_modified, summary = excluded.summary,
                 full = excluded.full, full_modified = excluded.full_modified, shared = excluded.shared",
            params![
                opportunity.summary.id,
                modified,
                // The summary as the lists show it, with the title and owner only this record has.
                to_json(&opportunity.enriched_summary()),
                to_json(opportunity),
                crate::partner::rules::shared_with_aws(&opportunity.summary)
            ],
        ))
        .map(|_| ())
    }

    /// Stores AWS's view of an opportunity, tied to the version of the record it was read
    /// against so that a change to the record makes the view due again.
    pub fn store_aws_view(&self, view: &AwsView, now: Millis) -> Result<()> {
        self.put_aws_view(&view.opportunity_id, &to_json(view), now)
    }

    /// Records that AWS has no view of this opportunity (it was never shared), so that sync
    /// does not ask again until the record changes.
    pub fn store_no_aws_view(&self, id: &str, now: Millis) -> Result<()> {
        self.put_aws_view(id, "null", now)
    }

    fn put_aws_view(&self, id: &str, json: &str, now: Millis) -> Result<()> {
        // One transaction: the view and the mark that it is current land together.
        // Immediate: the write lock is taken up front, so a reader never has to be upgraded
        // while another process writes (SQLite answers that with SQLITE_BUSY, not a wait).
        let tx = self.sql(rusqlite::Transaction::new_unchecked(
            &self.conn,
            rusqlite::TransactionBehavior::Immediate,
        ))?;
        self.sql(tx.execute(
            "INSERT INTO aws_summaries (id, json, fetched_at) VALUES (?1, ?2, ?3)
             ON CONFLICT(id) DO UPDATE SET json = excluded.json, fetched_at = excluded.fetched_at",
            params![id, json, now],
        ))?;
        self.sql(tx.execute(
            "UPDATE opportunities SET aws_modified = last_modified WHERE id = ?1",
            [id],
        ))?;
        self.sql(tx.commit())
    }

    pub fn aws_view(&self, id: &str) -> Result<Option<AwsView>> {
        let json: Option<String> = self.sql(
            self.conn
                .query_row("SELECT json FROM aws_summaries WHERE id = ?1", [id], |r| {
                    r.get(0)
                })
                .optional(),
        )?;
        match json {
            Some(json) => from_json(&json),
            None => Ok(None),
        }
    }

    /// Opportunities shared with AWS (anything past Pending Submission) whose AWS view is
    /// missing or was read against an older version of the record. The condition is the one of
    /// the partial index `opportunities_aws_due`, so this reads only the due rows, not the table.
    pub fn stale_aws_views(&self) -> Result<Vec<String>> {
        let mut stmt = self.sql(self.conn.prepare(
            "SELECT id FROM opportunities
             WHERE shared AND (aws_modified IS NULL OR aws_modified < last_modified)
             ORDER BY last_modified DESC",
        ))?;
        let rows = self.sql(stmt.query_map([], |r| r.get::<_, String>(0)))?;
        rows.map(|r| self.sql(r)).collect()
    }

    /// Makes every full record and AWS view due for a re-read, keeping them until it happens so
    /// that an interrupted `sync --full` still leaves everything readable.
    pub fn mark_all_details_stale(&self) -> Result<()> {
        self.sql(self.conn.execute_batch(
            "BEGIN;
             UPDATE opportunities SET full_modified = NULL, aws_modified = NULL;
             COMMIT;",
        ))
    }

    /// Opportunities whose full record is missing or older than their summary (a missing one
    /// has no `full_modified`). The condition is the one of the partial index
    /// `opportunities_full_due`, so this reads only the due rows.
    pub fn stale_full_records(&self) -> Result<Vec<String>> {
        let mut stmt = self.sql(self.conn.prepare(
            "SELECT id FROM opportunities
             WHERE full_modified IS NULL OR full_modified < last_modified
             ORDER BY last_modified DESC",
        ))?;
        let rows = self.sql(stmt.query_map([], |r| r.get::<_, String>(0)))?;
        rows.map(|r| self.sql(r)).collect()
    }

    pub fn opportunities(&self) -> Result<Vec<OpportunitySummary>> {
        let mut stmt = self.sql(
            self.conn
                .prepare("SELECT summary FROM opportunities ORDER BY last_modified DESC"),
        )?;
        let rows = self.sql(stmt.query_map([], |r| r.get::<_, String>(0)))?;
        rows.map(|r| from_json(&self.sql(r)?)).collect()
    }

    /// The `limit` most recently modified opportunities: enough for a first screen.
    pub fn recent_opportunities(&self, limit: usize) -> Result<Vec<OpportunitySummary>> {
        let mut stmt = self
            .sql(self.conn.prepare(
                "SELECT summary FROM opportunities ORDER BY last_modified DESC LIMIT ?1",
            ))?;
        let rows = self.sql(stmt.query_map([limit as i64], |r| r.get::<_, String>(0)))?;
        rows.map(|r| from_json(&self.sql(r)?)).collect()
    }

    pub fn opportunity(&self, id: &str) -> Result<Option<Opportunity>> {
        let full: Option<Option<String>> = self.sql(
            self.conn
                .query_row("SELECT full FROM opportunities WHERE id = ?1", [id], |r| {
                    r.get(0)
                })
                .optional(),
        )?;
        full.flatten().map(|f| from_json(&f)).transpose()
    }

    pub fn full_opportunities(&self) -> Result<Vec<Opportunity>> {
        let mut stmt = self.sql(
            self.conn
                .prepare("SELECT full FROM opportunities WHERE full IS NOT NULL"),
        )?;
        let rows = self.sql(stmt.query_map([], |r| r.get::<_, String>(0)))?;
        rows.map(|r| from_json(&self.sql(r)?)).collect()
    }

    fn replace_all<T: Serialize>(&mut self, table: &str, rows: &[(String, &T)]) -> Result<()> {
        let path = self.path.clone();
        let wrap = |source| StoreError::Sql {
            path: path.clone(),
            source,
        };
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(wrap)?;
        tx.execute(&format!("DELETE FROM {table}"), [])
            .map_err(wrap)?;
        {
            let mut stmt = tx
                .prepare(&format!("INSERT INTO {table} (id, json) VALUES (?1, ?2)"))
                .map_err(wrap)?;
            for (id, row) in rows {
                stmt.execute(params![id, to_json(row)]).map_err(wrap)?;
            }
        }
        tx.commit().map_err(wrap)
    }

    fn all<T: DeserializeOwned>(&self, table: &str) -> Result<Vec<T>> {
        let mut stmt = self.sql(self.conn.prepare(&format!("SELECT json FROM {table}")))?;
        let rows = self.sql(stmt.query_map([], |r| r.get::<_, String>(0)))?;
        rows.map(|r| from_json(&self.sql(r)?)).collect()
    }

    /// Replaces the referrals, keeping payloads already read for those still listed.
    pub fn replace_referrals(&mut self, rows: &[Referral]) -> Result<()> {
        let path = self.path.clone();
        let wrap = |source| StoreError::Sql {
            path: path.clone(),
            source,
        };
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(wrap)?;
        let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
        {
            let mut keep = tx.prepare("SELECT id FROM referrals").map_err(wrap)?;
            let existing: Vec<String> = keep
                .query_map([], |r| r.get(0))
                .map_err(wrap)?
                .filter_map(|r| r.ok())
                .collect();
            for id in existing.iter().filter(|id| !ids.contains(&id.as_str())) {
                tx.execute("DELETE FROM referrals WHERE id = ?1", [id])
                    .map_err(wrap)?;
            }
            let mut stmt = tx
                .prepare("INSERT INTO referrals (id, json) VALUES (?1, ?2) ON CONFLICT(id) DO UPDATE SET json = excluded.json")
                .map_err(wrap)?;
            for row in rows {
                stmt.execute(params![row.id, to_json(row)]).map_err(wrap)?;
            }
        }
        tx.commit().map_err(wrap)
    }

    pub fn store_referral_detail(&self, detail: &ReferralDetail) -> Result<()> {
        self.sql(self.conn.execute(
            "INSERT INTO referrals (id, json, detail) VALUES (?1, ?2, ?3)
             ON CONFLICT(id) DO UPDATE SET json = excluded.json, detail = excluded.detail",
            params![
                detail.referral.id,
                to_json(&detail.referral),
                to_json(detail)
            ],
        ))
        .map(|_| ())
    }

    pub fn referral_detail(&self, id: &str) -> Result<Option<ReferralDetail>> {
        let detail: Option<Option<String>> = self.sql(
            self.conn
                .query_row("SELECT detail FROM referrals WHERE id = ?1", [id], |r| {
                    r.get(0)
                })
                .optional(),
        )?;
        detail.flatten().map(|d| from_json(&d)).transpose()
    }

    pub fn referrals_missing_detail(&self) -> Result<Vec<String>> {
        let mut stmt = self.sql(self.conn.prepare(
            "SELECT id FROM referrals WHERE detail IS NULL AND json_extract(json, '$.status') = 'PENDING'",
        ))?;
        let rows = self.sql(stmt.query_map([], |r| r.get::<_, String>(0)))?;
        rows.map(|r| self.sql(r)).collect()
    }

    /// The referrals as last listed, with what their payload adds (customer, spend…) where it
    /// has been read.
    pub fn referrals(&self) -> Result<Vec<Referral>> {
        let mut stmt = self.sql(self.conn.prepare("SELECT json, detail FROM referrals"))?;
        let rows = self.sql(stmt.query_map([], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?))
        }))?;
        rows.map(|row| {
            let (json, detail) = self.sql(row)?;
            let mut referral: Referral = from_json(&json)?;
            if let Some(detail) = detail {
                let detail: ReferralDetail = from_json(&detail)?;
                referral.customer = referral.customer.or(detail.customer);
                referral.industry = referral.industry.or(detail.industry);
                referral.country = referral.country.or(detail.country);
                referral.project = referral.project.or(detail.project_title);
                referral.monthly_spend = referral.monthly_spend.or(detail.monthly_spend);
            }
            Ok(referral)
        })
        .collect()
    }

    pub fn replace_solutions(&mut self, rows: &[Solution]) -> Result<()> {
        let pairs: Vec<(String, &Solution)> = rows.iter().map(|r| (r.id.clone(), r)).collect();
        self.replace_all("solutions", &pairs)
    }

    pub fn solutions(&self) -> Result<Vec<Solution>> {
        self.all("solutions")
    }

    pub fn replace_connections(&mut self, rows: &[Connection]) -> Result<()> {
        let pairs: Vec<(String, &Connection)> = rows.iter().map(|r| (r.id.clone(), r)).collect();
        self.replace_all("connections", &pairs)
    }

    pub fn connections(&self) -> Result<Vec<Connection>> {
        self.all("connections")
    }

    pub fn replace_invitations(&mut self, rows: &[ConnectionInvitation]) -> Result<()> {
        let pairs: Vec<(String, &ConnectionInvitation)> =
            rows.iter().map(|r| (r.id.clone(), r)).collect();
        self.replace_all("connection_invitations", &pairs)
    }

    pub fn invitations(&self) -> Result<Vec<ConnectionInvitation>> {
        self.all("connection_invitations")
    }

    /// Replaces one of the benefits or channel lists, which are always read whole.
    pub fn replace_kept<T: Kept>(&mut self, rows: &[T]) -> Result<()> {
        let pairs: Vec<(String, &T)> = rows.iter().map(|r| (r.id().to_string(), r)).collect();
        self.replace_all(T::TABLE, &pairs)
    }

    pub fn kept<T: Kept>(&self) -> Result<Vec<T>> {
        self.all(T::TABLE)
    }

    /// Each cached engagement's ModifiedAt, by id: what an incremental sync compares with.
    pub fn engagement_versions(&self) -> Result<std::collections::HashMap<String, Millis>> {
        let mut stmt = self.sql(self.conn.prepare("SELECT id, modified FROM engagements"))?;
        let rows =
            self.sql(stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))))?;
        rows.map(|r| self.sql(r)).collect()
    }

    pub fn store_engagement(&self, engagement: &Engagement) -> Result<()> {
        self.sql(self.conn.execute(
            "INSERT INTO engagements (id, json, modified) VALUES (?1, ?2, ?3)
             ON CONFLICT(id) DO UPDATE SET json = excluded.json, modified = excluded.modified",
            params![
                engagement.id,
                to_json(engagement),
                engagement.modified_at.unwrap_or_default()
            ],
        ))?;
        Ok(())
    }

    /// Drops the cached engagements not in `listed` (no longer a member, or gone).
    pub fn keep_engagements(&self, listed: &[&str]) -> Result<()> {
        for (id, _) in self.engagement_versions()? {
            if !listed.contains(&id.as_str()) {
                self.sql(
                    self.conn
                        .execute("DELETE FROM engagements WHERE id = ?1", params![id]),
                )?;
            }
        }
        Ok(())
    }

    pub fn engagements(&self) -> Result<Vec<Engagement>> {
        let mut all: Vec<Engagement> = self.all("engagements")?;
        all.sort_by_key(|e| std::cmp::Reverse(e.created_at));
        Ok(all)
    }

    pub fn engagement(&self, id: &str) -> Result<Option<Engagement>> {
        Ok(self.engagements()?.into_iter().find(|e| e.id == id))
    }

    pub fn record_snapshot(&self, now: Millis) -> Result<()> {
        let by_stage: String = self.sql(self.conn.query_row(
            "SELECT COALESCE(json_group_object(stage, n), '{}') FROM
               (SELECT COALESCE(json_extract(summary, '$.stage'), '(none)') AS stage, COUNT(*) AS n FROM opportunities GROUP BY stage)",
            [],
            |r| r.get(0),
        ))?;
        let total: i64 = self.sql(self.conn.query_row(
            "SELECT COUNT(*) FROM opportunities",
            [],
            |r| r.get(0),
        ))?;
        let pending: i64 = self.sql(self.conn.query_row(
            "SELECT COUNT(*) FROM referrals WHERE json_extract(json, '$.status') = 'PENDING'",
            [],
            |r| r.get(0),
        ))?;
        self.sql(self.conn.execute(
            "INSERT INTO snapshots (taken_at, opportunities, by_stage, pending_referrals) VALUES (?1, ?2, ?3, ?4)",
            params![now, total, by_stage, pending],
        ))
        .map(|_| ())
    }

    pub fn snapshot_count(&self) -> Result<i64> {
        self.sql(
            self.conn
                .query_row("SELECT COUNT(*) FROM snapshots", [], |r| r.get(0)),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A cache file that is removed with its WAL and shared-memory files when the test ends,
    /// passed or not.
    struct TempDb(PathBuf);

    impl TempDb {
        fn new() -> TempDb {
            TempDb(std::env::temp_dir().join(format!(
                "cosell-cache-test-{}-{}.sqlite",
                std::process::id(),
                fastrand::u32(..)
            )))
        }
    }

    impl Drop for TempDb {
        fn drop(&mut self) {
            for suffix in ["", "-wal", "-shm"] {
                let mut name = self.0.clone().into_os_string();
                name.push(suffix);
                std::fs::remove_file(name).ok();
            }
        }
    }

    fn summary(id: &str, modified: Millis, stage: &str) -> OpportunitySummary {
        OpportunitySummary {
            id: id.into(),
            customer: format!("C {id}"),
            stage: Some(stage.into()),
            last_modified: Some(modified),
            ..Default::default()
        }
    }

    #[test]
    fn summaries_full_records_and_staleness() {
        let db = TempDb::new();
        let path = db.0.clone();
        let mut cache = Cache::open(&path).unwrap();
        cache
            .upsert_summaries(&[
                summary("O1", 10, "Prospect"),
                summary("O2", 20, "Qualified"),
            ])
            .unwrap();
        assert_eq!(cache.stale_full_records().unwrap(), vec!["O2", "O1"]);
        cache
            .store_full(&Opportunity {
                summary: summary("O1", 10, "Prospect"),
                title: Some("T".into()),
                team: vec![Contact {
                    first_name: Some("Pat".into()),
                    last_name: Some("Lee".into()),
                    title: Some("OpportunityOwner".into()),
                    ..Default::default()
                }],
                ..Default::default()
            })
            .unwrap();
        assert_eq!(cache.stale_full_records().unwrap(), vec!["O2"]);
        // A newer summary makes the full record stale again, without losing it.
        cache
            .upsert_summaries(&[summary("O1", 30, "Qualified")])
            .unwrap();
        assert_eq!(cache.stale_full_records().unwrap(), vec!["O1", "O2"]);
        assert_eq!(
            cache.opportunity("O1").unwrap().unwrap().title.as_deref(),
            Some("T")
        );
        // A listed summary has no title or owner: the ones the full record gave stay.
        let listed = |cache: &Cache, id: &str| {
            cache
                .opportunities()
                .unwrap()
                .into_iter()
                .find(|o| o.id == id)
                .unwrap()
        };
        assert_eq!(listed(&cache, "O1").title.as_deref(), Some("T"));
        assert_eq!(listed(&cache, "O1").owner.as_deref(), Some("Pat Lee"));
        assert_eq!(listed(&cache, "O1").stage, Some(Stage::Qualified));
        assert_eq!(listed(&cache, "O2").title, None);
        assert_eq!(
            cache.known_modified(&["O1", "O9"]).unwrap(),
            vec![Some(30), None]
        );
        assert_eq!(cache.recent_opportunities(1).unwrap()[0].id, "O1");
        // Writing back a whole list touches only what changed.
        let written = cache
            .upsert_changed_summaries(&[
                summary("O1", 30, "Qualified"),
                summary("O2", 25, "Committed"),
                summary("O3", 5, "Prospect"),
            ])
            .unwrap();
        assert_eq!(written, 2, "O2 changed and O3 is new; O1 is as stored");
        assert_eq!(
            cache.known_modified(&["O2", "O3"]).unwrap(),
            vec![Some(25), Some(5)]
        );
        cache.record_snapshot(100).unwrap();
        assert_eq!(cache.snapshot_count().unwrap(), 1);
    }

    #[test]
    fn aws_views_are_due_for_shared_records_until_read_against_their_version() {
        let db = TempDb::new();
        let path = db.0.clone();
        let mut cache = Cache::open(&path).unwrap();
        let shared = |id: &str, modified: Millis, review: &str| OpportunitySummary {
            review_status: Some(review.into()),
            ..summary(id, modified, "Qualified")
        };
        cache
            .upsert_summaries(&[
                shared("O1", 10, "Approved"),
                shared("O2", 20, "Pending Submission"),
                summary("O3", 30, "Prospect"),
                shared("O4", 40, "Submitted"),
            ])
            .unwrap();
        assert_eq!(cache.stale_aws_views().unwrap(), vec!["O4", "O1"]);
        let view = AwsView {
            opportunity_id: "O1".into(),
            stage: Some("Engaged".into()),
            ..Default::default()
        };
        cache.store_aws_view(&view, 5).unwrap();
        cache.store_no_aws_view("O4", 5).unwrap();
        assert!(cache.stale_aws_views().unwrap().is_empty());
        assert_eq!(cache.aws_view("O1").unwrap(), Some(view));
        assert_eq!(cache.aws_view("O4").unwrap(), None, "AWS has no view of it");
        assert_eq!(cache.aws_view("O9").unwrap(), None);
        // A change to the record makes its view due again.
        cache
            .upsert_summaries(&[shared("O1", 50, "Approved")])
            .unwrap();
        assert_eq!(cache.stale_aws_views().unwrap(), vec!["O1"]);
        drop(cache);
        // Reopening keeps the views: the schema is already current.
        let cache = Cache::open(&path).unwrap();
        assert!(cache.aws_view("O4").unwrap().is_none());
        assert_eq!(cache.stale_aws_views().unwrap(), vec!["O1"]);
        // `sync --full` makes everything due again but keeps what it has until then.
        cache.mark_all_details_stale().unwrap();
        assert_eq!(cache.stale_aws_views().unwrap(), vec!["O1", "O4"]);
        assert_eq!(cache.stale_full_records().unwrap().len(), 4);
        assert!(cache.aws_view("O1").unwrap().is_some());
    }

    #[test]
    fn a_cache_from_before_views_were_versioned_is_brought_up_to_date() {
        let db = TempDb::new();
        let path = db.0.clone();
        {
            let db = Db::open(&path).unwrap();
            db.execute_batch(
                "CREATE TABLE aws_summaries (id TEXT PRIMARY KEY, json TEXT NOT NULL, fetched_at INTEGER NOT NULL);
                 INSERT INTO aws_summaries VALUES ('O1', '{}', 1);
                 CREATE TABLE opportunities (id TEXT PRIMARY KEY, last_modified INTEGER NOT NULL,
                     summary TEXT NOT NULL, full TEXT, full_modified INTEGER);
                 INSERT INTO opportunities VALUES ('O2', 5, '{\"id\":\"O2\",\"customer\":\"B\",\"review_status\":\"Submitted\"}', NULL, NULL);",
            )
            .unwrap();
        }
        let mut cache = Cache::open(&path).unwrap();
        // The record already cached keeps its place and is known to be shared.
        assert_eq!(cache.stale_aws_views().unwrap(), vec!["O2"]);
        assert_eq!(cache.stale_full_records().unwrap(), vec!["O2"]);
        cache.store_no_aws_view("O2", 2).unwrap();
        cache
            .upsert_summaries(&[OpportunitySummary {
                review_status: Some("Approved".into()),
                ..summary("O1", 10, "Qualified")
            }])
            .unwrap();
        assert_eq!(cache.stale_aws_views().unwrap(), vec!["O1"]);
        cache.store_no_aws_view("O1", 2).unwrap();
        assert!(cache.stale_aws_views().unwrap().is_empty());
    }

    #[test]
    fn referrals_keep_their_payload_across_a_relisting() {
        let db = TempDb::new();
        let path = db.0.clone();
        let mut cache = Cache::open(&path).unwrap();
        let listed = Referral {
            id: "engi-1".into(),
            status: Some("PENDING".into()),
            ..Default::default()
        };
        cache
            .replace_referrals(std::slice::from_ref(&listed))
            .unwrap();
        assert_eq!(cache.referrals_missing_detail().unwrap(), vec!["engi-1"]);
        let detail = ReferralDetail {
            referral: listed.clone(),
            customer: Some("Acme".into()),
            ..Default::default()
        };
        cache.store_referral_detail(&detail).unwrap();
        assert!(cache.referrals_missing_detail().unwrap().is_empty());
        cache
            .replace_referrals(&[
                listed,
                Referral {
                    id: "engi-2".into(),
                    status: Some("ACCEPTED".into()),
                    ..Default::default()
                },
            ])
            .unwrap();
        let rows = cache.referrals().unwrap();
        assert_eq!(
            rows.iter()
                .find(|r| r.id == "engi-1")
                .unwrap()
                .customer
                .as_deref(),
            Some("Acme")
        );
        assert_eq!(rows.len(), 2);
        cache.replace_referrals(&[]).unwrap();
        assert!(cache.referrals().unwrap().is_empty());
    }

    #[test]
    fn cache_files_are_separate_per_profile_catalog_and_endpoint() {
        let dir = Path::new("/c");
        assert_eq!(
            cache_path(dir, None, "AWS", None),
            Path::new("/c/default-AWS.sqlite")
        );
        assert_eq!(
            cache_path(dir, Some("prod"), "Sandbox", None),
            Path::new("/c/prod-Sandbox.sqlite")
        );
        assert_ne!(
            cache_path(dir, None, "AWS", Some("http://127.0.0.1:1")),
            cache_path(dir, None, "AWS", Some("http://127.0.0.1:2"))
        );
    }
}
