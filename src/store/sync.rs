//! Incremental sync, AWS's recommended pattern: remember the newest LastModifiedDate seen and ask
//! only for opportunities modified on or after it; read full records for what changed; refresh
//! the small lists (referrals, solutions, connections) whole.

use std::time::{Duration, Instant};

use super::{Cache, StoreError};
use crate::partner::types::*;
use crate::partner::{PartnerClient, PartnerError};

pub const SINCE_KEY: &str = "opportunities_modified_since";
pub const LAST_SYNC_KEY: &str = "last_sync_at";
const FULL_READS_IN_FLIGHT: usize = 8;

#[derive(Debug, Default, Clone, PartialEq)]
pub struct SyncReport {
    pub new: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub full_records: usize,
    pub referrals: usize,
    pub referral_details: usize,
    pub solutions: usize,
    pub connections: usize,
    pub invitations: usize,
    pub took: Duration,
}

impl SyncReport {
    pub fn one_line(&self) -> String {
        format!(
            "synced: {} new, {} changed, {} unchanged opportunities ({} full records read); {} referrals, {} solutions, {} connections, {} invitations; took {:.1}s",
            self.new,
            self.changed,
            self.unchanged,
            self.full_records,
            self.referrals,
            self.solutions,
            self.connections,
            self.invitations,
            self.took.as_secs_f64()
        )
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Api(#[from] PartnerError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Runs one sync. `full` re-reads every opportunity instead of those changed since the last
/// sync. `progress` hears a short line per step (for a progress display on stderr).
pub async fn sync(
    client: &PartnerClient,
    cache: &mut Cache,
    full: bool,
    now: Millis,
    mut progress: impl FnMut(&str),
) -> Result<SyncReport, SyncError> {
    let started = Instant::now();
    let mut report = SyncReport::default();
    let since = if full {
        None
    } else {
        cache.meta_millis(SINCE_KEY)?
    };
    let mut newest = since.unwrap_or(0);
    let mut store_error = None;
    progress(match since {
        Some(_) => "opportunities changed since the last sync",
        None => "every opportunity",
    });
    client
        .list_opportunities(since, |page| {
            let ids: Vec<&str> = page.iter().map(|o| o.id.as_str()).collect();
            let known = match cache.known_modified(&ids) {
                Ok(k) => k,
                Err(e) => {
                    store_error = Some(e);
                    return false;
                }
            };
            for (row, old) in page.iter().zip(known) {
                match old {
                    None => report.new += 1,
                    Some(t) if Some(t) != row.last_modified => report.changed += 1,
                    Some(_) => report.unchanged += 1,
                }
                newest = newest.max(row.last_modified.unwrap_or(0));
            }
            if let Err(e) = cache.upsert_summaries(&page) {
                store_error = Some(e);
                return false;
            }
            progress(&format!(
                "{} opportunities read",
                report.new + report.changed + report.unchanged
            ));
            true
        })
        .await?;
    if let Some(e) = store_error {
        return Err(e.into());
    }
    // Full records for everything new or changed, including what an interrupted sync left.
    // Several reads are in flight at once; against AWS the client's pacer still spaces them
    // under the read quota, so this only helps where latency, not quota, is the limit.
    let stale = cache.stale_full_records()?;
    let total = stale.len();
    for chunk in stale.chunks(FULL_READS_IN_FLIGHT) {
        let mut reads = tokio::task::JoinSet::new();
        for id in chunk {
            let client = client.clone();
            let id = id.clone();
            reads.spawn(async move { client.get_opportunity(&id).await });
        }
        while let Some(read) = reads.join_next().await {
            let opportunity = read.map_err(|e| {
                PartnerError::new(
                    "GetOpportunity",
                    crate::partner::FailureKind::Other,
                    e.to_string(),
                )
            })??;
            cache.store_full(&opportunity)?;
            report.full_records += 1;
        }
        progress(&format!("full records {}/{total}", report.full_records));
    }
    // Only now is everything up to `newest` in the cache: record it so the next sync starts there.
    cache.set_meta(SINCE_KEY, &newest.to_string())?;

    progress("referrals");
    let mut referrals = Vec::new();
    client
        .list_referrals(|page| {
            referrals.extend(page);
            true
        })
        .await?;
    report.referrals = referrals.len();
    cache.replace_referrals(&referrals)?;
    for id in cache.referrals_missing_detail()? {
        let detail = client.get_referral(&id).await?;
        cache.store_referral_detail(&detail)?;
        report.referral_details += 1;
    }

    progress("solutions and connections");
    let mut solutions = Vec::new();
    client
        .list_solutions(|page| {
            solutions.extend(page);
            true
        })
        .await?;
    report.solutions = solutions.len();
    cache.replace_solutions(&solutions)?;
    let mut connections = Vec::new();
    client
        .list_connections(|page| {
            connections.extend(page);
            true
        })
        .await?;
    report.connections = connections.len();
    cache.replace_connections(&connections)?;
    let mut invitations = Vec::new();
    client
        .list_connection_invitations(|page| {
            invitations.extend(page);
            true
        })
        .await?;
    report.invitations = invitations.len();
    cache.replace_invitations(&invitations)?;

    cache.record_snapshot(now)?;
    cache.set_meta(LAST_SYNC_KEY, &now.to_string())?;
    report.took = started.elapsed();
    Ok(report)
}
