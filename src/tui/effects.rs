//! Runs effects on tokio and turns their results into messages. Each effect is its own task, so
//! a slow or failing call never holds up a keypress or another load.

use tokio::sync::mpsc::UnboundedSender;

use crate::app::{Detail, DetailKey, Effect, ListId, Msg, Page};
use crate::partner::PartnerClient;

#[derive(Clone)]
pub struct Runner {
    client: PartnerClient,
    tx: UnboundedSender<Msg>,
}

impl Runner {
    pub fn new(client: PartnerClient, tx: UnboundedSender<Msg>) -> Runner {
        Runner { client, tx }
    }

    pub fn run(&self, effect: Effect) {
        tracing::debug!(?effect, "effect");
        let client = self.client.clone();
        let tx = self.tx.clone();
        tokio::spawn(async move {
            let msg = execute(&client, &tx, effect).await;
            let _ = tx.send(msg);
        });
    }
}

async fn execute(client: &PartnerClient, tx: &UnboundedSender<Msg>, effect: Effect) -> Msg {
    match effect {
        Effect::Load { request, list } => {
            // A page is sent as soon as it arrives; sending fails only when the UI has gone.
            let send = |page: Page| tx.send(Msg::Page { request, page }).is_ok();
            let result = match list {
                ListId::Opportunities => {
                    client
                        .list_opportunities(None, |rows| send(Page::Opportunities(rows)))
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
                    Msg::ListDone { request, list }
                }
                Err(error) => {
                    tracing::warn!(?list, %error, "list failed");
                    Msg::ListFailed {
                        request,
                        list,
                        error: error.user_message(),
                    }
                }
            }
        }
        Effect::Fetch { request, key } => {
            let result = match &key {
                DetailKey::Opportunity(id) => client
                    .get_opportunity(id)
                    .await
                    .map(|o| Detail::Opportunity(Box::new(o))),
                DetailKey::AwsView(id) => client.aws_view(id).await.map(Detail::AwsView),
                DetailKey::Referral(id) => client
                    .get_referral(id)
                    .await
                    .map(|r| Detail::Referral(Box::new(r))),
                DetailKey::Connection(id) => {
                    client.get_connection(id).await.map(Detail::Connection)
                }
                DetailKey::Invitation(id) => client
                    .get_connection_invitation(id)
                    .await
                    .map(Detail::Invitation),
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
