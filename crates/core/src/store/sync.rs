//! Incremental sync, AWS's recommended pattern: remember the newest LastModifiedDate seen and ask
//! only for opportunities modified on or after it; read full records for what changed; refresh
//! the small lists (referrals, solutions, connections) whole.

use std::time::{Duration, Instant};

use super::{Cache, StoreError};
use crate::partner::types::*;
use crate::partner::{FailureKind, PartnerClient, PartnerError};

pub const SINCE_KEY: &str = "opportunities_modified_since";
pub const LAST_SYNC_KEY: &str = "last_sync_at";
const FULL_READS_IN_FLIGHT: usize = 8;

#[derive(Debug, Default, Clone, PartialEq)]
pub struct SyncReport {
    pub new: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub full_records: usize,
    /// GetAwsOpportunitySummary reads, for records shared with AWS that are new or changed.
    pub aws_views: usize,
    pub referrals: usize,
    pub referral_details: usize,
    pub solutions: usize,
    pub connections: usize,
    pub invitations: usize,
    /// Engagements this partner is a member of, and how many were read in full (new or changed).
    pub engagements: usize,
    pub engagement_details: usize,
    /// The benefits and channel lists kept, by what they hold.
    pub benefits: usize,
    pub benefit_applications: usize,
    pub benefit_allocations: usize,
    pub program_accounts: usize,
    pub relationships: usize,
    pub handshakes: usize,
    /// The APIs this account may not use (AccessDenied), each with the service's words: their
    /// lists are left as they were.
    pub unavailable: Vec<String>,
    pub took: Duration,
}

impl SyncReport {
    pub fn one_line(&self) -> String {
        format!(
            "synced: {} new, {} changed, {} unchanged opportunities ({} full records, {} AWS views read); {} referrals, {} solutions, {} connections, {} invitations, {} engagements ({} read); took {:.1}s",
            self.new,
            self.changed,
            self.unchanged,
            self.full_records,
            self.aws_views,
            self.referrals,
            self.solutions,
            self.connections,
            self.invitations,
            self.engagements,
            self.engagement_details,
            self.took.as_secs_f64()
        ) + &self.funding_line()
    }

    /// The benefits and channel part of the summary.
    fn funding_line(&self) -> String {
        let mut line = format!(
            "; {} benefits, {} applications, {} allocations; {} program accounts, {} relationships, {} handshakes",
            self.benefits,
            self.benefit_applications,
            self.benefit_allocations,
            self.program_accounts,
            self.relationships,
            self.handshakes
        );
        for why in &self.unavailable {
            line.push_str(&format!("; not available: {why}"));
        }
        line
    }
}

/// Where a sync is, for a progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// A step whose size is not known in advance (paging through a list).
    Step { what: &'static str, done: usize },
    /// A step of known size (reading records one by one).
    Counted {
        what: &'static str,
        done: usize,
        total: usize,
    },
    /// Partner Central throttled a read of this step: cosell slows down and tries it again.
    Throttled { what: &'static str },
}

impl Progress {
    /// One line of at most `width` columns: a bar where the size is known, a count where not.
    pub fn line(&self, width: usize) -> String {
        let line = match *self {
            Progress::Step { what, done: 0 } => format!("syncing {what}…"),
            Progress::Step { what, done } => format!("syncing {what}: {done} read"),
            Progress::Throttled { what } => {
                format!(
                    "throttled by Partner Central while reading {what}: slowing down and retrying…"
                )
            }
            Progress::Counted { what, done, total } => {
                let label = format!(" {done}/{total} {what}");
                let room = width.saturating_sub(label.chars().count() + 2).min(40);
                let filled = (room * done).checked_div(total).unwrap_or(room);
                format!(
                    "[{}{}]{label}",
                    "#".repeat(filled),
                    "-".repeat(room - filled)
                )
            }
        };
        line.chars().take(width).collect()
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
/// sync. `progress` hears where the sync is after every page and batch of reads.
pub async fn sync(
    client: &PartnerClient,
    cache: &mut Cache,
    full: bool,
    now: Millis,
    mut progress: impl FnMut(Progress),
) -> Result<SyncReport, SyncError> {
    let started = Instant::now();
    let mut report = SyncReport::default();
    let since = if full {
        cache.mark_all_details_stale()?;
        None
    } else {
        cache.meta_millis(SINCE_KEY)?
    };
    let newest = list_summaries(client, cache, since, &mut report, &mut progress).await?;
    read_details(client, cache, now, &mut report, &mut progress).await?;
    // Only now is everything up to `newest` in the cache: record it so the next sync starts there.
    cache.set_meta(SINCE_KEY, &newest.to_string())?;
    sync_referrals(client, cache, &mut report, &mut progress).await?;
    sync_small_lists(client, cache, &mut report, &mut progress).await?;
    sync_engagements(client, cache, &mut report, &mut progress).await?;
    sync_funding(client, cache, &mut report, &mut progress).await?;
    cache.record_snapshot(now)?;
    cache.set_meta(LAST_SYNC_KEY, &now.to_string())?;
    report.took = started.elapsed();
    Ok(report)
}

/// Lists the opportunities modified since `since` (all of them without it), stores their
/// summaries page by page, and counts them as new, changed or unchanged. Returns the newest
/// modification seen.
async fn list_summaries(
    client: &PartnerClient,
    cache: &mut Cache,
    since: Option<Millis>,
    report: &mut SyncReport,
    progress: &mut impl FnMut(Progress),
) -> Result<Millis, SyncError> {
    let mut newest = since.unwrap_or(0);
    let mut store_error = None;
    let listing = match since {
        Some(_) => "opportunities changed since the last sync",
        None => "opportunities",
    };
    progress(Progress::Step {
        what: listing,
        done: 0,
    });
    // A throttled listing starts over (pages are stored as they come, so that is cheap);
    // each record is counted once however many times it is listed.
    let mut counted = std::collections::HashSet::new();
    for attempt in 0.. {
        let listed = client
            .list_opportunities(&OpportunityQuery::modified_since(since), |page| {
                let ids: Vec<&str> = page.iter().map(|o| o.id.as_str()).collect();
                let known = match cache.known_modified(&ids) {
                    Ok(k) => k,
                    Err(e) => {
                        store_error = Some(e);
                        return false;
                    }
                };
                for (row, old) in page.iter().zip(known) {
                    if counted.insert(row.id.clone()) {
                        match old {
                            None => report.new += 1,
                            Some(t) if Some(t) != row.last_modified => report.changed += 1,
                            Some(_) => report.unchanged += 1,
                        }
                    }
                    newest = newest.max(row.last_modified.unwrap_or(0));
                }
                if let Err(e) = cache.upsert_summaries(&page) {
                    store_error = Some(e);
                    return false;
                }
                progress(Progress::Step {
                    what: listing,
                    done: counted.len(),
                });
                true
            })
            .await;
        match listed {
            Err(e) if e.kind == FailureKind::Throttled && attempt < THROTTLED_RETRIES => {
                progress(Progress::Throttled { what: listing });
                tokio::time::sleep(throttle_pause(attempt + 1)).await;
            }
            listed => {
                listed?;
                break;
            }
        }
    }
    match store_error {
        Some(e) => Err(e.into()),
        None => Ok(newest),
    }
}

/// Full records for everything new or changed (including what an interrupted sync left), then
/// AWS's view of what changed and is shared with AWS.
async fn read_details(
    client: &PartnerClient,
    cache: &mut Cache,
    now: Millis,
    report: &mut SyncReport,
    progress: &mut impl FnMut(Progress),
) -> Result<(), SyncError> {
    let stale = cache.stale_full_records()?;
    report.full_records = read_each(
        &stale,
        ("GetOpportunity", "full records"),
        |id| {
            let client = client.clone();
            async move { client.get_opportunity(&id).await }
        },
        |_, read| Ok(cache.store_full(&read?)?),
        progress,
    )
    .await?;
    // AWS's view is read again when the record changed since it was read (the same rule as the
    // TUI's); re-reading every shared record on every run would spend the read quota on a large
    // pipeline. `sync --full` reads them all.
    let due = cache.stale_aws_views()?;
    report.aws_views = read_each(
        &due,
        ("GetAwsOpportunitySummary", "AWS views"),
        |id| {
            let client = client.clone();
            async move { client.aws_view(&id).await }
        },
        |id, read| match read {
            Ok(view) => Ok(cache.store_aws_view(&view, now)?),
            // Never shared with AWS after all: remember that, until the record changes.
            Err(e) if e.kind == crate::partner::FailureKind::NotFound => {
                Ok(cache.store_no_aws_view(&id, now)?)
            }
            Err(e) => Err(e.into()),
        },
        progress,
    )
    .await?;
    Ok(())
}

/// Every page of one of the client's lists, gathered into one Vec; a throttled listing starts
/// over after a pause.
macro_rules! whole_list {
    ($client:ident . $list:ident, $progress:ident) => {{
        let mut attempt = 0;
        loop {
            let mut rows = Vec::new();
            let listed = $client
                .$list(|page| {
                    rows.extend(page);
                    true
                })
                .await;
            match listed {
                Err(e) if e.kind == FailureKind::Throttled && attempt < THROTTLED_RETRIES => {
                    attempt += 1;
                    $progress(Progress::Throttled {
                        what: stringify!($list),
                    });
                    tokio::time::sleep(throttle_pause(attempt)).await;
                }
                listed => {
                    listed?;
                    break rows;
                }
            }
        }
    }};
}

/// Referrals are few: listed whole, and the payload of each pending one read once.
async fn sync_referrals(
    client: &PartnerClient,
    cache: &mut Cache,
    report: &mut SyncReport,
    progress: &mut impl FnMut(Progress),
) -> Result<(), SyncError> {
    progress(Progress::Step {
        what: "referrals",
        done: 0,
    });
    let referrals = whole_list!(client.list_referrals, progress);
    report.referrals = referrals.len();
    cache.replace_referrals(&referrals)?;
    let missing = cache.referrals_missing_detail()?;
    report.referral_details = read_each(
        &missing,
        ("GetEngagementInvitation", "referral details"),
        |id| {
            let client = client.clone();
            async move { client.get_referral(&id).await }
        },
        |_, read| Ok(cache.store_referral_detail(&read?)?),
        progress,
    )
    .await?;
    Ok(())
}

/// Solutions, connections and connection invitations: small, refreshed whole.
async fn sync_small_lists(
    client: &PartnerClient,
    cache: &mut Cache,
    report: &mut SyncReport,
    progress: &mut impl FnMut(Progress),
) -> Result<(), SyncError> {
    progress(Progress::Step {
        what: "solutions and connections",
        done: 0,
    });
    let solutions = whole_list!(client.list_solutions, progress);
    report.solutions = solutions.len();
    cache.replace_solutions(&solutions)?;
    let connections = whole_list!(client.list_connections, progress);
    report.connections = connections.len();
    cache.replace_connections(&connections)?;
    let invitations = whole_list!(client.list_connection_invitations, progress);
    report.invitations = invitations.len();
    cache.replace_invitations(&invitations)?;
    Ok(())
}

/// What `kept.<service>` holds once a sync read that service's lists; anything else there is
/// why it could not.
pub const KEPT: &str = "synced";

/// The meta key saying whether the last sync kept a service's lists (`benefits`, `channel`).
pub fn kept_key(service: &str) -> String {
    format!("kept.{service}")
}

/// The benefits and channel lists, whole. An API the account may not use (AccessDenied) is
/// noted in the report and its lists left as they were; any other failure fails the sync.
async fn sync_funding(
    client: &PartnerClient,
    cache: &mut Cache,
    report: &mut SyncReport,
    progress: &mut impl FnMut(Progress),
) -> Result<(), SyncError> {
    progress(Progress::Step {
        what: "benefits and channel",
        done: 0,
    });
    let benefits = async {
        Ok::<_, PartnerError>((
            client.list_benefits().await?,
            client.list_benefit_applications().await?,
            client.list_benefit_allocations_with_amounts().await?,
        ))
    };
    match benefits.await {
        Ok((benefits, applications, allocations)) => {
            report.benefits = benefits.len();
            report.benefit_applications = applications.len();
            report.benefit_allocations = allocations.len();
            cache.replace_kept(&benefits)?;
            cache.replace_kept(&applications)?;
            cache.replace_kept(&allocations)?;
            cache.set_meta(&kept_key("benefits"), KEPT)?;
        }
        Err(e) if e.kind == FailureKind::AccessDenied => {
            report.unavailable.push(format!("benefits ({})", e.detail));
            cache.set_meta(
                &kept_key("benefits"),
                &format!("AccessDenied: {}", e.detail),
            )?;
        }
        Err(e) => return Err(e.into()),
    }
    let channel = async {
        let mut handshakes = client.list_handshakes(true).await?;
        handshakes.extend(client.list_handshakes(false).await?);
        Ok::<_, PartnerError>((
            client.list_program_accounts().await?,
            client.list_channel_relationships().await?,
            handshakes,
        ))
    };
    match channel.await {
        Ok((accounts, relationships, handshakes)) => {
            report.program_accounts = accounts.len();
            report.relationships = relationships.len();
            report.handshakes = handshakes.len();
            cache.replace_kept(&accounts)?;
            cache.replace_kept(&relationships)?;
            cache.replace_kept(&handshakes)?;
            cache.set_meta(&kept_key("channel"), KEPT)?;
        }
        Err(e) if e.kind == FailureKind::AccessDenied => {
            report.unavailable.push(format!("channel ({})", e.detail));
            cache.set_meta(&kept_key("channel"), &format!("AccessDenied: {}", e.detail))?;
        }
        Err(e) => return Err(e.into()),
    }
    Ok(())
}

/// Engagements, incrementally: ListEngagements gives each one's ModifiedAt, and only the new or
/// changed ones are read in full (with their members and opportunities).
async fn sync_engagements(
    client: &PartnerClient,
    cache: &mut Cache,
    report: &mut SyncReport,
    progress: &mut impl FnMut(Progress),
) -> Result<(), SyncError> {
    progress(Progress::Step {
        what: "engagements",
        done: 0,
    });
    let listed = client.list_engagements().await?;
    report.engagements = listed.len();
    let known = cache.engagement_versions()?;
    let changed: Vec<String> = listed
        .iter()
        .filter(|e| known.get(&e.id).copied() != e.modified_at || e.modified_at.is_none())
        .map(|e| e.id.clone())
        .collect();
    report.engagement_details = read_each(
        &changed,
        ("GetEngagement", "engagements"),
        |id| {
            let client = client.clone();
            async move { client.get_engagement(&id).await }
        },
        |_, read| Ok(cache.store_engagement(&read?)?),
        progress,
    )
    .await?;
    let ids: Vec<&str> = listed.iter().map(|e| e.id.as_str()).collect();
    cache.keep_engagements(&ids)?;
    Ok(())
}

/// Throttles a sync rides out: the limiter has slowed down by then, and the quota refills, so a
/// throttled read is tried again after a pause; only a throttle that outlasts all of these is
/// an error.
const THROTTLED_RETRIES: u32 = 12;

/// How long to wait before retrying a read throttled `attempt` times: doubling from half a
/// second, at most half a minute, with jitter so concurrent readers do not retry together.
fn throttle_pause(attempt: u32) -> Duration {
    let base = Duration::from_millis(500) * 2u32.saturating_pow(attempt.min(6));
    base.min(Duration::from_secs(30)) + Duration::from_millis(fastrand::u64(0..250))
}

/// Reads `ids` with `read`, a few in flight at once, and hands each result to `store` in the
/// order they finish. A throttled read is queued again after a pause (and the progress line
/// says so); every other result, failures included, goes to `store`.
async fn read_each<T, Read>(
    ids: &[String],
    (operation, what): (&'static str, &'static str),
    read: impl Fn(String) -> Read,
    mut store: impl FnMut(String, Result<T, PartnerError>) -> Result<(), SyncError>,
    progress: &mut impl FnMut(Progress),
) -> Result<usize, SyncError>
where
    T: Send + 'static,
    Read: std::future::Future<Output = Result<T, PartnerError>> + Send + 'static,
{
    let mut queue: std::collections::VecDeque<(String, u32)> =
        ids.iter().map(|id| (id.clone(), 0)).collect();
    let mut reads = tokio::task::JoinSet::new();
    let mut done = 0;
    loop {
        while reads.len() < FULL_READS_IN_FLIGHT {
            let Some((id, attempt)) = queue.pop_front() else {
                break;
            };
            let pending = read(id.clone());
            reads.spawn(async move {
                if attempt > 0 {
                    tokio::time::sleep(throttle_pause(attempt)).await;
                }
                (id, attempt, pending.await)
            });
        }
        let Some(joined) = reads.join_next().await else {
            break;
        };
        let (id, attempt, result) = joined.map_err(|e| {
            PartnerError::new(operation, crate::partner::FailureKind::Other, e.to_string())
        })?;
        match result {
            Err(e) if e.kind == FailureKind::Throttled && attempt < THROTTLED_RETRIES => {
                progress(Progress::Throttled { what });
                queue.push_back((id, attempt + 1));
                continue;
            }
            result => store(id, result)?,
        }
        done += 1;
        if done % FULL_READS_IN_FLIGHT == 0 || done == ids.len() {
            progress(Progress::Counted {
                what,
                done,
                total: ids.len(),
            });
        }
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::Progress;

    #[test]
    fn progress_is_a_bar_when_the_size_is_known_and_a_count_when_not() {
        let half = Progress::Counted {
            what: "full records",
            done: 5,
            total: 10,
        };
        assert_eq!(
            half.line(80),
            format!("[{}{}] 5/10 full records", "#".repeat(20), "-".repeat(20))
        );
        let narrow = half.line(30);
        assert_eq!(narrow, "[#####-----] 5/10 full records");
        assert!(narrow.chars().count() <= 30);
        assert_eq!(
            Progress::Counted {
                what: "x",
                done: 0,
                total: 0
            }
            .line(12),
            "[####] 0/0 x"
        );
        assert_eq!(
            Progress::Step {
                what: "referrals",
                done: 0
            }
            .line(80),
            "syncing referrals…"
        );
        assert_eq!(
            Progress::Step {
                what: "opportunities",
                done: 300
            }
            .line(80),
            "syncing opportunities: 300 read"
        );
        assert!(
            Progress::Step {
                what: "opportunities",
                done: 300
            }
            .line(10)
            .chars()
            .count()
                == 10
        );
    }
}
