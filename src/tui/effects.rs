//! Runs effects on tokio and turns their results into messages. Each effect is its own task, so
//! a slow or failing call never holds up a keypress or another load.

use std::sync::{Arc, Mutex};

use tokio::sync::mpsc::UnboundedSender;

use cosell_core::store::Cache;

use crate::app::core::column::{Facet, Quick};
use crate::app::features::{benefits, channel, connections, opportunities, referrals};
use crate::app::{
    Detail, DetailKey, Effect, Intent, ListId, Msg, MutationError, Outcome, Page, TaskKind,
};
use cosell_core::partner::PartnerClient;
use cosell_core::partner::PartnerError;
use cosell_core::partner::types::{BenefitApplication, UpdateOutcome};

/// What the runner needs to connect again with another profile or catalog (`:catalog`,
/// `:profile NAME`): the settings it started with, and where caches live (none in the demo).
#[derive(Clone)]
pub struct Connector {
    pub settings: cosell_core::partner::Settings,
    pub cache_root: Option<std::path::PathBuf>,
    /// Where form drafts are kept between sessions (none for the demo).
    pub drafts: Option<std::path::PathBuf>,
}

/// The client and cache effects use; replaced whole on a reconnect.
#[derive(Clone)]
struct Connection {
    client: PartnerClient,
    cache: Option<Arc<Mutex<Cache>>>,
}

#[derive(Clone)]
pub struct Runner {
    connection: Arc<std::sync::RwLock<Connection>>,
    connector: Option<Connector>,
    tx: UnboundedSender<Msg>,
}

impl Runner {
    pub fn new(
        client: PartnerClient,
        tx: UnboundedSender<Msg>,
        cache: Option<Arc<Mutex<Cache>>>,
        connector: Option<Connector>,
    ) -> Runner {
        Runner {
            connection: Arc::new(std::sync::RwLock::new(Connection { client, cache })),
            connector,
            tx,
        }
    }

    pub fn run(&self, effect: Effect) {
        tracing::debug!(?effect, "effect");
        let tx = self.tx.clone();
        if let Effect::Reconnect { profile, catalog } = effect {
            let (connection, connector) = (self.connection.clone(), self.connector.clone());
            tokio::spawn(async move {
                let msg = reconnect(connection, connector, profile, catalog).await;
                let _ = tx.send(msg);
            });
            return;
        }
        let Connection { client, cache } = self.connection.read().expect("connection lock").clone();
        tokio::spawn(async move {
            let msg = execute(&client, &tx, cache, effect).await;
            let _ = tx.send(msg);
        });
    }
}

/// Connects with `profile` and `catalog` and opens that pair's cache, then swaps them in:
/// effects started before keep the old connection, every later one uses the new.
async fn reconnect(
    connection: Arc<std::sync::RwLock<Connection>>,
    connector: Option<Connector>,
    profile: Option<String>,
    catalog: String,
) -> Msg {
    let Some(connector) = connector else {
        return Msg::Reconnected {
            profile,
            catalog,
            endpoint: None,
            error: Some("this session cannot connect again".into()),
        };
    };
    let mut settings = connector.settings.clone();
    settings.profile = profile.clone();
    settings.catalog = catalog.clone();
    let client = PartnerClient::connect(&settings).await;
    let endpoint = client.endpoint.clone();
    let cache = connector.cache_root.as_ref().and_then(|root| {
        let path = cosell_core::store::cache_path(
            root,
            settings.profile.as_deref(),
            &settings.catalog,
            endpoint.as_deref(),
        );
        Cache::open(&path)
            .map_err(|err| tracing::warn!(%err, "running without the local cache"))
            .ok()
            .map(|c| Arc::new(Mutex::new(c)))
    });
    *connection.write().expect("connection lock") = Connection { client, cache };
    Msg::Reconnected {
        profile,
        catalog,
        endpoint,
        error: None,
    }
}

/// Writes `text` to the terminal's clipboard with OSC 52. Inside tmux the sequence is sent both
/// as is (tmux takes it with `set-clipboard on`) and wrapped for passthrough (for the outer
/// terminal, with `allow-passthrough on`).
fn copy_to_clipboard(text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let encoded = base64(text.as_bytes());
    let osc = format!("\x1b]52;c;{encoded}\x07");
    let mut out = std::io::stdout().lock();
    out.write_all(osc.as_bytes())?;
    if std::env::var_os("TMUX").is_some() {
        let wrapped = format!("\x1bPtmux;\x1b{}\x1b\\", osc.replace('\x1b', "\x1b\x1b"));
        out.write_all(wrapped.as_bytes())?;
    }
    out.flush()
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Opens `url` with the desktop's opener when there is a desktop; where there is none (an SSH
/// session, a server) the URL stays in the toast for the user to copy.
fn open_url(url: &str) -> Msg {
    let opener = if cfg!(target_os = "macos") {
        Some("open")
    } else if std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some()
    {
        Some("xdg-open")
    } else {
        None
    };
    let opened = opener.is_some_and(|program| {
        std::process::Command::new(program)
            .arg(url)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .is_ok()
    });
    if opened {
        Msg::Notice {
            error: false,
            text: format!("Opened {url} in the browser."),
        }
    } else {
        Msg::Notice {
            error: false,
            text: format!("No browser on this machine; open it yourself: {url}"),
        }
    }
}

/// Writes a finished live load to the cache, off the async threads. Only a `whole` list (not
/// one narrowed by Partner Central) counts as a refresh of the cache.
async fn remember(
    cache: Option<Arc<Mutex<Cache>>>,
    pages: Vec<Page>,
    opportunities_written: bool,
    whole: bool,
) {
    let Some(cache) = cache else { return };
    let result = tokio::task::spawn_blocking(move || {
        let mut cache = cache.lock().expect("cache lock");
        let mut opportunities = Vec::new();
        let mut referrals = Vec::new();
        let mut solutions = Vec::new();
        let mut connections = Vec::new();
        let mut invitations = Vec::new();
        for page in pages {
            match page {
                Page::Opportunities(rows) => opportunities.extend(rows),
                Page::Referrals(rows) => referrals.extend(rows),
                Page::Solutions(rows) => solutions.extend(rows),
                Page::Connections(rows) => connections.extend(rows),
                Page::Invitations(rows) => invitations.extend(rows),
                Page::Benefits(rows) => cache.replace_kept(&rows)?,
                Page::Applications(rows) => cache.replace_kept(&rows)?,
                Page::Allocations(rows) => cache.replace_kept(&rows)?,
                Page::ProgramAccounts(rows) => cache.replace_kept(&rows)?,
                Page::Relationships(rows) => cache.replace_kept(&rows)?,
                Page::Handshakes(rows) => cache.replace_kept(&rows)?,
            }
        }
        if !opportunities.is_empty() && !opportunities_written {
            cache.upsert_changed_summaries(&opportunities)?;
        }
        if !referrals.is_empty() {
            cache.replace_referrals(&referrals)?;
        }
        if !solutions.is_empty() {
            cache.replace_solutions(&solutions)?;
        }
        if !connections.is_empty() {
            cache.replace_connections(&connections)?;
        }
        if !invitations.is_empty() {
            cache.replace_invitations(&invitations)?;
        }
        if whole {
            cache.set_meta(
                cosell_core::store::sync::LAST_SYNC_KEY,
                &cosell_core::times::now_millis().to_string(),
            )?;
        }
        Ok::<(), cosell_core::store::StoreError>(())
    })
    .await;
    if let Ok(Err(err)) = result {
        tracing::warn!(%err, "could not update the cache");
    }
}

/// The quick filters of the Opportunities tab as the API's filters.
fn opportunity_query(scope: &[Quick]) -> cosell_core::partner::types::OpportunityQuery {
    let values = |facet: Facet| -> Vec<String> {
        scope
            .iter()
            .filter(|(f, _)| *f == facet)
            .map(|(_, v)| v.clone())
            .collect()
    };
    cosell_core::partner::types::OpportunityQuery {
        modified_since: None,
        stages: values(Facet::Stage),
        review_statuses: values(Facet::ReviewStatus),
    }
}

fn cached_detail(cache: &Cache, key: &DetailKey) -> Option<Detail> {
    let found = match key {
        DetailKey::Opportunity(id) => cache
            .opportunity(id)
            .map(|o| o.map(|o| Detail::Opportunity(Box::new(o)))),
        DetailKey::AwsView(id) => cache.aws_view(id).map(|v| v.map(Detail::AwsView)),
        DetailKey::Referral(id) => cache
            .referral_detail(id)
            .map(|r| r.map(|r| Detail::Referral(Box::new(r)))),
        // The applications as the last list kept them: no revision, which an edit then reads.
        DetailKey::Funding(id) => cache.kept::<BenefitApplication>().map(|all| {
            Some(Detail::Funding(
                all.into_iter()
                    .filter(|a| {
                        a.resources
                            .iter()
                            .any(|r| r.ends_with(&format!("/opportunity/{id}")))
                    })
                    .collect(),
            ))
        }),
        DetailKey::Application(id) => cache.kept::<BenefitApplication>().map(|all| {
            all.into_iter()
                .find(|a| a.id == *id)
                .map(|a| Detail::Application(Box::new(a)))
        }),
        DetailKey::Connection(_) | DetailKey::Invitation(_) | DetailKey::Engagement(_) => Ok(None),
    };
    found.unwrap_or_else(|err| {
        tracing::warn!(%err, "could not read a cached record");
        None
    })
}

async fn execute(
    client: &PartnerClient,
    tx: &UnboundedSender<Msg>,
    cache: Option<Arc<Mutex<Cache>>>,
    effect: Effect,
) -> Msg {
    match effect {
        Effect::Load {
            request,
            list,
            scope,
        } => load(client, tx, cache, request, list, scope).await,
        Effect::Fetch {
            request,
            key,
            cached_only,
        } => fetch(client, cache, request, key, cached_only).await,
        Effect::Copy { text } => match copy_to_clipboard(&text) {
            Ok(()) => Msg::Notice {
                error: false,
                text: format!("Copied {text} to the clipboard."),
            },
            Err(err) => Msg::Notice {
                error: true,
                text: format!("Could not reach the terminal to copy {text}: {err}"),
            },
        },
        Effect::OpenUrl { url } => open_url(&url),
        // Handled by `Runner::run`, which owns the connection it replaces.
        Effect::Reconnect { profile, catalog } => Msg::Reconnected {
            profile,
            catalog,
            endpoint: None,
            error: Some("reconnects are the runner's".into()),
        },
        Effect::ReadTitles { ids } => read_titles(client, tx, cache, ids).await,
        Effect::Mutate { request, intent } => {
            let result = mutate(client, &intent).await.map_err(|e| {
                tracing::warn!(%e, "mutation failed");
                MutationError {
                    conflict: e.kind == cosell_core::partner::FailureKind::Conflict,
                    message: e.user_message(),
                    fields: e
                        .fields
                        .iter()
                        .map(|f| (f.field.clone(), f.message.clone()))
                        .collect(),
                }
            });
            Msg::Mutated {
                request,
                intent,
                result,
            }
        }
        Effect::PollTask {
            request,
            kind,
            target,
            task_id,
            after_ms,
        } => {
            tokio::time::sleep(std::time::Duration::from_millis(after_ms)).await;
            let result = match kind {
                TaskKind::Submission => client.submission_task(&task_id).await,
                TaskKind::Acceptance => client.acceptance_task(&task_id).await,
                TaskKind::Conversion => client.conversion_task(&task_id).await,
            }
            .map_err(|e| e.user_message());
            Msg::Task {
                request,
                kind,
                target,
                result,
            }
        }
        Effect::LoadPartner {
            request,
            cached_only,
        } => load_partner(client, cache, request, cached_only).await,
    }
}

/// Reads full records for their titles, a few at a time (the client paces them to the read
/// quota against AWS), and sends what it learns in batches; each record read is kept in the
/// cache, so the next start shows its title at once. A record that cannot be read keeps its
/// placeholder: the detail pane says why when it is opened.
async fn read_titles(
    client: &PartnerClient,
    tx: &UnboundedSender<Msg>,
    cache: Option<Arc<Mutex<Cache>>>,
    ids: Vec<String>,
) -> Msg {
    const IN_FLIGHT: usize = 8;
    const BATCH: usize = 25;
    let mut pending = ids.into_iter();
    let mut reads = tokio::task::JoinSet::new();
    let mut batch = Vec::new();
    let mut full = Vec::new();
    loop {
        while reads.len() < IN_FLIGHT {
            let Some(id) = pending.next() else { break };
            let client = client.clone();
            reads.spawn(async move { client.get_opportunity(&id).await });
        }
        let Some(done) = reads.join_next().await else {
            break;
        };
        match done {
            Ok(Ok(o)) => {
                let owner = o.owner().map(|c| c.name());
                batch.push((o.summary.id.clone(), o.title.clone(), owner));
                full.push(o);
            }
            Ok(Err(e)) => tracing::debug!(%e, "title read failed"),
            Err(e) => tracing::warn!(%e, "title read task failed"),
        }
        if batch.len() >= BATCH {
            if tx.send(Msg::Titles(std::mem::take(&mut batch))).is_err() {
                break;
            }
            keep_full(cache.clone(), std::mem::take(&mut full)).await;
        }
    }
    keep_full(cache, full).await;
    Msg::Titles(batch)
}

async fn keep_full(
    cache: Option<Arc<Mutex<Cache>>>,
    records: Vec<cosell_core::partner::types::Opportunity>,
) {
    let Some(cache) = cache else { return };
    if records.is_empty() {
        return;
    }
    let result = tokio::task::spawn_blocking(move || {
        let cache = cache.lock().expect("cache lock");
        records.iter().try_for_each(|o| cache.store_full(o))
    })
    .await;
    if let Ok(Err(err)) = result {
        tracing::warn!(%err, "could not keep full records in the cache");
    }
}

/// The partner profile from Partner Central, kept in the cache; offline (or when Partner
/// Central cannot be reached) the copy the cache kept.
async fn load_partner(
    client: &PartnerClient,
    cache: Option<Arc<Mutex<Cache>>>,
    request: u64,
    cached_only: bool,
) -> Msg {
    let live = if cached_only {
        None
    } else {
        Some(client.partner().await)
    };
    if let (Some(Ok(partner)), Some(cache)) = (&live, &cache) {
        let (cache, json) = (
            cache.clone(),
            serde_json::to_string(partner).unwrap_or_default(),
        );
        let _ = tokio::task::spawn_blocking(move || {
            cache.lock().expect("cache lock").set_meta("partner", &json)
        })
        .await;
    }
    let unreachable = match &live {
        None => true,
        Some(Err(e)) => e.kind == cosell_core::partner::FailureKind::Network,
        Some(Ok(_)) => false,
    };
    let kept = match (unreachable, cache) {
        (true, Some(cache)) => tokio::task::spawn_blocking(move || {
            cache
                .lock()
                .expect("cache lock")
                .meta("partner")
                .ok()
                .flatten()
                .and_then(|p| serde_json::from_str::<cosell_core::partner::types::Partner>(&p).ok())
        })
        .await
        .ok()
        .flatten(),
        _ => None,
    };
    match (live, kept) {
        (Some(Ok(partner)), _) | (_, Some(partner)) => Msg::Partner {
            request,
            partner: Box::new(partner),
        },
        (Some(Err(error)), None) => Msg::PartnerFailed {
            request,
            error: error.user_message(),
        },
        (None, None) => Msg::PartnerFailed {
            request,
            error: "offline, and the cache has no partner profile yet (run cosell sync)".into(),
        },
    }
}

/// Pages of opportunities that may wait for the cache writer before the list waits for it.
const CACHE_PAGES_AHEAD: usize = 4;

/// Reads a list page by page. Each page is sent as soon as it arrives (sending fails only when
/// the UI has gone); the pages are kept too, to refresh the cache once the whole list is in.
async fn load(
    client: &PartnerClient,
    tx: &UnboundedSender<Msg>,
    cache: Option<Arc<Mutex<Cache>>>,
    request: u64,
    list: ListId,
    scope: Vec<Quick>,
) -> Msg {
    // Opportunities go to the cache page by page as they arrive (a large list is never held
    // twice); the small lists are written whole at the end, since they replace what was kept.
    let (pages_to_cache, writer) = match (&cache, list) {
        (Some(cache), ListId::Opportunities) => {
            // Bounded: when the cache falls behind a fast endpoint, the list waits for it
            // rather than holding a backlog of pages in memory.
            let (tx, rx) = std::sync::mpsc::sync_channel::<
                Vec<cosell_core::partner::types::OpportunitySummary>,
            >(CACHE_PAGES_AHEAD);
            let cache = cache.clone();
            let writer = tokio::task::spawn_blocking(move || {
                for page in rx {
                    let written = cache
                        .lock()
                        .expect("cache lock")
                        .upsert_changed_summaries(&page);
                    if let Err(err) = written {
                        tracing::warn!(%err, "could not update the cache");
                    }
                }
            });
            (Some(tx), Some(writer))
        }
        _ => (None, None),
    };
    let mut kept: Vec<Page> = Vec::new();
    let keep = cache.is_some() && list != ListId::Opportunities;
    let mut send = |page: Page| {
        if let (Some(to_cache), Page::Opportunities(rows)) = (&pages_to_cache, &page) {
            let rows = rows.clone();
            // Waiting for the writer blocks this thread: tell a multi-threaded runtime, so it
            // moves its other tasks elsewhere meanwhile.
            let multi_threaded = tokio::runtime::Handle::current().runtime_flavor()
                == tokio::runtime::RuntimeFlavor::MultiThread;
            let _ = if multi_threaded {
                tokio::task::block_in_place(|| to_cache.send(rows))
            } else {
                to_cache.send(rows)
            };
        }
        if keep {
            kept.push(page.clone());
        }
        tx.send(Msg::Page { request, page }).is_ok()
    };
    let result = match list {
        ListId::Opportunities => {
            client
                .list_opportunities(&opportunity_query(&scope), |rows| {
                    send(Page::Opportunities(rows))
                })
                .await
        }
        ListId::Referrals => {
            client
                .list_referrals(|rows| send(Page::Referrals(rows)))
                .await
        }
        ListId::Solutions => {
            client
                .list_solutions(|rows| send(Page::Solutions(rows)))
                .await
        }
        ListId::Connections => {
            client
                .list_connections(|rows| send(Page::Connections(rows)))
                .await
        }
        ListId::Invitations => {
            client
                .list_connection_invitations(|rows| send(Page::Invitations(rows)))
                .await
        }
        // The benefits and channel lists are small and read whole, then handed on as one page.
        ListId::Benefits => client
            .list_benefits()
            .await
            .map(|rows| whole(rows, Page::Benefits, &mut send)),
        ListId::Applications => client
            .list_benefit_applications()
            .await
            .map(|rows| whole(rows, Page::Applications, &mut send)),
        ListId::Allocations => client
            .list_benefit_allocations_with_amounts()
            .await
            .map(|rows| whole(rows, Page::Allocations, &mut send)),
        ListId::ProgramAccounts => client
            .list_program_accounts()
            .await
            .map(|rows| whole(rows, Page::ProgramAccounts, &mut send)),
        ListId::Relationships => client
            .list_channel_relationships()
            .await
            .map(|rows| whole(rows, Page::Relationships, &mut send)),
        ListId::Handshakes => match client.list_handshakes(true).await {
            Ok(mut rows) => client.list_handshakes(false).await.map(|sent| {
                rows.extend(sent);
                whole(rows, Page::Handshakes, &mut send)
            }),
            Err(e) => Err(e),
        },
    };
    // The writer ends when its channel closes: with the last page sent, it is closed here.
    drop(pages_to_cache);
    if let Some(writer) = writer {
        let _ = writer.await;
    }
    match result {
        Ok(total) => {
            tracing::info!(?list, total, "list loaded");
            remember(cache, kept, list == ListId::Opportunities, scope.is_empty()).await;
            Msg::ListDone { request, list }
        }
        Err(error) => {
            tracing::warn!(?list, %error, "list failed");
            Msg::ListFailed {
                request,
                list,
                unreachable: error.kind == cosell_core::partner::FailureKind::Network,
                denied: error.kind == cosell_core::partner::FailureKind::AccessDenied,
                error: error.user_message(),
            }
        }
    }
}

/// A list read whole, sent as its one page; answers how many rows it had.
fn whole<R>(rows: Vec<R>, page: fn(Vec<R>) -> Page, send: &mut impl FnMut(Page) -> bool) -> usize {
    let total = rows.len();
    send(page(rows));
    total
}

async fn read_detail(client: &PartnerClient, key: &DetailKey) -> Result<Detail, PartnerError> {
    match key {
        DetailKey::Opportunity(id) => client
            .get_opportunity(id)
            .await
            .map(|o| Detail::Opportunity(Box::new(o))),
        DetailKey::AwsView(id) => client.aws_view(id).await.map(Detail::AwsView),
        DetailKey::Engagement(id) => client
            .opportunity_engagement(id)
            .await
            .map(|e| Detail::Engagement(e.map(Box::new))),
        DetailKey::Funding(id) => {
            let suffix = format!("/opportunity/{id}");
            client.list_benefit_applications().await.map(|all| {
                Detail::Funding(
                    all.into_iter()
                        .filter(|a| a.resources.iter().any(|r| r.ends_with(&suffix)))
                        .collect(),
                )
            })
        }
        DetailKey::Referral(id) => client
            .get_referral(id)
            .await
            .map(|r| Detail::Referral(Box::new(r))),
        DetailKey::Connection(id) => client.get_connection(id).await.map(Detail::Connection),
        DetailKey::Invitation(id) => client
            .get_connection_invitation(id)
            .await
            .map(Detail::Invitation),
        DetailKey::Application(id) => client
            .get_benefit_application(id)
            .await
            .map(|a| Detail::Application(Box::new(a))),
    }
}

/// Full records and AWS's view, once read, outlive the session.
async fn keep_detail(cache: Arc<Mutex<Cache>>, detail: Detail) {
    let _ = tokio::task::spawn_blocking(move || {
        let cache = cache.lock().expect("cache lock");
        let stored = match &detail {
            Detail::Opportunity(o) => cache.store_full(o),
            Detail::AwsView(v) => cache.store_aws_view(v, cosell_core::times::now_millis()),
            Detail::Referral(r) => cache.store_referral_detail(r),
            Detail::Connection(_)
            | Detail::Invitation(_)
            | Detail::Engagement(_)
            | Detail::Funding(_)
            | Detail::Application(_) => Ok(()),
        };
        if let Err(err) = stored {
            tracing::warn!(%err, "could not cache a record");
        }
    })
    .await;
}

async fn fetch(
    client: &PartnerClient,
    cache: Option<Arc<Mutex<Cache>>>,
    request: u64,
    key: DetailKey,
    cached_only: bool,
) -> Msg {
    // Offline, the cache answers at once instead of after the network's retries.
    let result = if cached_only {
        Err(PartnerError::new(
            "offline",
            cosell_core::partner::FailureKind::Network,
            "offline: this record was not kept in the cache",
        ))
    } else {
        read_detail(client, &key).await
    };
    if let (Ok(detail), Some(cache)) = (&result, cache.clone()) {
        keep_detail(cache, detail.clone()).await;
    }
    // Offline, the copy a sync or an earlier session kept is better than an error.
    let result = match (result, cache) {
        (Err(error), Some(cache)) if error.kind == cosell_core::partner::FailureKind::Network => {
            let wanted = key.clone();
            let cached = tokio::task::spawn_blocking(move || {
                cached_detail(&cache.lock().expect("cache lock"), &wanted)
            })
            .await
            .ok()
            .flatten();
            cached.ok_or(error)
        }
        (result, _) => result,
    };
    match result {
        Ok(detail) => Msg::Detail {
            request,
            key,
            detail: Box::new(detail),
        },
        Err(error) => {
            tracing::warn!(?key, %error, "detail failed");
            Msg::DetailFailed {
                request,
                key,
                error: error.user_message(),
            }
        }
    }
}

async fn mutate(client: &PartnerClient, intent: &Intent) -> Result<Outcome, PartnerError> {
    match intent {
        Intent::Opportunities(intent) => change_opportunity(client, intent).await,
        Intent::Referrals(intent) => answer_referral(client, intent).await,
        Intent::Connections(intent) => change_connection(client, intent).await,
        Intent::Benefits(intent) => change_application(client, intent).await,
        Intent::Channel(intent) => change_channel(client, intent).await,
    }
}

async fn change_opportunity(
    client: &PartnerClient,
    intent: &opportunities::types::Intent,
) -> Result<Outcome, PartnerError> {
    use opportunities::types::Intent;
    Ok(match intent {
        Intent::Update { id, based_on, edit } => {
            match client.update_opportunity(id, *based_on, edit).await? {
                UpdateOutcome::Applied(o) => Outcome::Updated(o),
                UpdateOutcome::Conflict { latest } => Outcome::Conflict(latest),
            }
        }
        Intent::Create {
            draft,
            client_token,
        } => Outcome::Created(client.create_opportunity(draft, client_token).await?),
        Intent::Assign { id, assignee } => {
            client.assign_opportunity(id, assignee).await?;
            Outcome::Done
        }
        Intent::Link {
            id,
            kind,
            entity,
            linked,
        } => {
            client.set_link(id, *kind, entity, *linked).await?;
            Outcome::Done
        }
        Intent::Share {
            id,
            partner,
            client_token,
            ..
        } => {
            client
                .share_opportunity(
                    id,
                    partner,
                    "We would like to co-sell this opportunity with you.",
                    "Services Partner",
                    client_token,
                )
                .await?;
            Outcome::Done
        }
        Intent::Submit {
            id,
            involvement,
            visibility,
            client_token,
        } => Outcome::TaskStarted(
            client
                .start_submission(id, involvement.as_str(), visibility.as_str(), client_token)
                .await?,
        ),
    })
}

async fn answer_referral(
    client: &PartnerClient,
    intent: &referrals::types::Intent,
) -> Result<Outcome, PartnerError> {
    use referrals::types::Intent;
    Ok(match intent {
        Intent::Accept { id, client_token } => {
            Outcome::TaskStarted(client.accept_referral(id, client_token).await?)
        }
        Intent::AcceptLead { id } => {
            client.accept_invitation(id).await?;
            Outcome::Done
        }
        Intent::Reject { id, reason } => {
            client.reject_referral(id, reason.as_deref()).await?;
            Outcome::Done
        }
        Intent::Qualify {
            engagement, status, ..
        } => {
            let e = client.get_engagement(engagement).await?;
            let (context, lead) = lead_of(&e)?;
            let based_on = e.modified_at.unwrap_or_default();
            client
                .qualify_lead(engagement, &context, based_on, &lead, status.as_str())
                .await?;
            Outcome::Done
        }
        Intent::Convert {
            engagement,
            client_token,
            ..
        } => {
            let e = client.get_engagement(engagement).await?;
            let (context, _) = lead_of(&e)?;
            Outcome::TaskStarted(
                client
                    .start_conversion(engagement, &context, client_token)
                    .await?,
            )
        }
    })
}

/// The lead context of an engagement, or the refusal a user can act on.
fn lead_of(
    e: &cosell_core::partner::types::Engagement,
) -> Result<(String, cosell_core::partner::types::Lead), PartnerError> {
    e.lead()
        .map(|(context, lead)| (context.to_string(), lead.clone()))
        .ok_or_else(|| {
            PartnerError::new(
                "GetEngagement",
                cosell_core::partner::FailureKind::Validation,
                format!(
                    "engagement {} has no lead context to qualify or convert",
                    e.id
                ),
            )
        })
}

async fn change_connection(
    client: &PartnerClient,
    intent: &connections::types::Intent,
) -> Result<Outcome, PartnerError> {
    use connections::types::Intent;
    match intent {
        Intent::Invite {
            invite,
            client_token,
        } => {
            client.invite_partner(invite, client_token).await?;
        }
        Intent::Answer {
            id,
            answer,
            client_token,
        } => {
            client
                .answer_connection_invitation(id, answer, client_token)
                .await?;
        }
        Intent::End {
            id,
            connection_type,
            reason,
            client_token,
        } => {
            client
                .cancel_connection(id, connection_type.as_str(), reason, client_token)
                .await?;
        }
    }
    Ok(Outcome::Done)
}

async fn change_application(
    client: &PartnerClient,
    intent: &benefits::types::Intent,
) -> Result<Outcome, PartnerError> {
    use benefits::types::Intent;
    Ok(match intent {
        Intent::Apply {
            application,
            client_token,
        } => {
            let arn = match &application.opportunity_arn {
                Some(arn) => arn.clone(),
                None => client
                    .get_opportunity(&application.opportunity)
                    .await?
                    .summary
                    .arn
                    .map(String::from)
                    .ok_or_else(|| {
                        PartnerError::new(
                            "GetOpportunity",
                            cosell_core::partner::FailureKind::NotFound,
                            format!("{} has no ARN to apply for", application.opportunity),
                        )
                    })?,
            };
            Outcome::Created(
                client
                    .apply_for_benefit(
                        &application.benefit,
                        &application.name,
                        &arn,
                        application.amount.as_deref(),
                        client_token,
                    )
                    .await?,
            )
        }
        Intent::Submit { id } => {
            client.submit_benefit_application(id).await?;
            Outcome::Done
        }
        Intent::Update {
            id,
            change,
            client_token,
        } => {
            client
                .update_benefit_application(id, change, client_token)
                .await?;
            Outcome::Done
        }
        Intent::Amend {
            id,
            revision,
            amount,
            reason,
            client_token,
        } => {
            client
                .amend_benefit_application(id, revision, amount, reason, client_token)
                .await?;
            Outcome::Done
        }
        Intent::Recall {
            id,
            reason,
            client_token,
        } => {
            client
                .recall_benefit_application(id, reason, client_token)
                .await?;
            Outcome::Done
        }
        Intent::Cancel {
            id,
            reason,
            client_token,
        } => {
            client
                .cancel_benefit_application(id, reason.as_deref(), client_token)
                .await?;
            Outcome::Done
        }
    })
}

async fn change_channel(
    client: &PartnerClient,
    intent: &channel::types::Intent,
) -> Result<Outcome, PartnerError> {
    use channel::types::Intent;
    Ok(match intent {
        Intent::CreateRelationship {
            relationship,
            client_token,
        } => Outcome::Created(
            client
                .create_relationship(relationship, client_token)
                .await?,
        ),
        Intent::SendHandshake {
            handshake,
            client_token,
        } => Outcome::Created(client.create_handshake(handshake, client_token).await?),
        Intent::Answer { id, answer } => {
            client.answer_handshake(id, *answer).await?;
            Outcome::Done
        }
    })
}
