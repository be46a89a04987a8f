//! Runs effects on tokio and turns their results into messages. Each effect is its own task, so
//! a slow or failing call never holds up a keypress or another load.

use std::sync::{Arc, Mutex};

use tokio::sync::mpsc::UnboundedSender;

use cosell_core::store::Cache;

use crate::app::core::column::{Facet, Quick};
use crate::app::features::{connections, opportunities, referrals};
use crate::app::{
    Detail, DetailKey, Effect, Intent, ListId, Msg, MutationError, Outcome, Page, TaskKind,
};
use cosell_core::partner::PartnerClient;
use cosell_core::partner::PartnerError;
use cosell_core::partner::types::UpdateOutcome;

#[derive(Clone)]
pub struct Runner {
    client: PartnerClient,
    tx: UnboundedSender<Msg>,
    cache: Option<Arc<Mutex<Cache>>>,
}

impl Runner {
    pub fn new(
        client: PartnerClient,
        tx: UnboundedSender<Msg>,
        cache: Option<Arc<Mutex<Cache>>>,
    ) -> Runner {
        Runner { client, tx, cache }
    }

    pub fn run(&self, effect: Effect) {
        tracing::debug!(?effect, "effect");
        let client = self.client.clone();
        let tx = self.tx.clone();
        let cache = self.cache.clone();
        tokio::spawn(async move {
            let msg = execute(&client, &tx, cache, effect).await;
            let _ = tx.send(msg);
        });
    }
}

/// Writes a finished live load to the cache, off the async threads. Only a `whole` list (not
/// one narrowed by Partner Central) counts as a refresh of the cache.
async fn remember(cache: Option<Arc<Mutex<Cache>>>, pages: Vec<Page>, whole: bool) {
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
            }
        }
        if !opportunities.is_empty() {
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
        DetailKey::Connection(_) | DetailKey::Invitation(_) => Ok(None),
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
        Effect::Fetch { request, key } => fetch(client, cache, request, key).await,
        Effect::Mutate { request, intent } => {
            let result = mutate(client, &intent).await.map_err(|e| {
                tracing::warn!(%e, "mutation failed");
                MutationError {
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
            }
            .map_err(|e| e.user_message());
            Msg::Task {
                request,
                kind,
                target,
                result,
            }
        }
        Effect::LoadPartner { request } => match client.partner().await {
            Ok(partner) => Msg::Partner {
                request,
                partner: Box::new(partner),
            },
            Err(error) => Msg::PartnerFailed {
                request,
                error: error.user_message(),
            },
        },
    }
}

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
    let mut kept: Vec<Page> = Vec::new();
    let keep = cache.is_some();
    let mut send = |page: Page| {
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
    };
    match result {
        Ok(total) => {
            tracing::info!(?list, total, "list loaded");
            remember(cache, kept, scope.is_empty()).await;
            Msg::ListDone { request, list }
        }
        Err(error) => {
            tracing::warn!(?list, %error, "list failed");
            Msg::ListFailed {
                request,
                list,
                unreachable: error.kind == cosell_core::partner::FailureKind::Network,
                error: error.user_message(),
            }
        }
    }
}

async fn read_detail(client: &PartnerClient, key: &DetailKey) -> Result<Detail, PartnerError> {
    match key {
        DetailKey::Opportunity(id) => client
            .get_opportunity(id)
            .await
            .map(|o| Detail::Opportunity(Box::new(o))),
        DetailKey::AwsView(id) => client.aws_view(id).await.map(Detail::AwsView),
        DetailKey::Referral(id) => client
            .get_referral(id)
            .await
            .map(|r| Detail::Referral(Box::new(r))),
        DetailKey::Connection(id) => client.get_connection(id).await.map(Detail::Connection),
        DetailKey::Invitation(id) => client
            .get_connection_invitation(id)
            .await
            .map(Detail::Invitation),
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
            Detail::Connection(_) | Detail::Invitation(_) => Ok(()),
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
) -> Msg {
    let result = read_detail(client, &key).await;
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
            solution,
            linked,
        } => {
            client.set_solution_link(id, solution, *linked).await?;
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
        Intent::Reject { id, reason } => {
            client.reject_referral(id, reason.as_deref()).await?;
            Outcome::Done
        }
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
