//! The benefits and channel APIs: benefits partners apply for and their applications and
//! allocations; channel program accounts, relationships and handshakes. Reads are paged
//! through whole (the lists are small), writes are paced and audited like the selling API's.

use aws_sdk_partnercentralchannel as channel;

use super::{PartnerClient, Result, millis, text};
use crate::partner::types::*;

/// Pages through a benefits or channel list: `$call` is the request builder for one page,
/// `$items` takes a page's items, `$next` its token.
macro_rules! all_pages {
    ($self:ident, $op:literal, |$token:ident| $call:expr, |$page:ident| $items:expr, $next:expr) => {{
        let mut out = Vec::new();
        let mut $token: Option<String> = None;
        loop {
            $self.limits.selling_reads.wait().await;
            let $page = $call.send().await.map_err(|e| $self.fail($op, e))?;
            out.extend($items);
            $token = $next.map(str::to_string);
            if $token.is_none() {
                break out;
            }
        }
    }};
}

impl PartnerClient {
    pub async fn list_benefits(&self) -> Result<Vec<Benefit>> {
        Ok(all_pages!(
            self,
            "ListBenefits",
            |token| self
                .benefits
                .list_benefits()
                .catalog(&self.catalog)
                .set_next_token(token.clone()),
            |page| page.benefit_summaries().iter().map(|b| Benefit {
                id: b.id().unwrap_or_default().to_string(),
                name: b.name().unwrap_or_default().to_string(),
                description: text(b.description()),
                programs: b.programs().to_vec(),
                fulfillment: b
                    .fulfillment_types()
                    .iter()
                    .map(|f| f.as_str().to_string())
                    .collect(),
                status: b
                    .status()
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_default(),
            }),
            page.next_token()
        ))
    }

    pub async fn list_benefit_applications(&self) -> Result<Vec<BenefitApplication>> {
        Ok(all_pages!(
            self,
            "ListBenefitApplications",
            |token| self
                .benefits
                .list_benefit_applications()
                .catalog(&self.catalog)
                .set_next_token(token.clone()),
            |page| page
                .benefit_application_summaries()
                .iter()
                .map(|a| BenefitApplication {
                    id: a.id().unwrap_or_default().to_string(),
                    arn: text(a.arn()),
                    benefit_id: text(a.benefit_id()),
                    name: text(a.name()),
                    programs: a.programs().to_vec(),
                    fulfillment: a
                        .fulfillment_types()
                        .iter()
                        .map(|f| f.as_str().to_string())
                        .collect(),
                    status: a
                        .status()
                        .map(|s| s.as_str().to_string())
                        .unwrap_or_default(),
                    stage: text(a.stage()),
                    updated: millis(a.updated_at()),
                    resources: a.associated_resources().to_vec(),
                    requested: a
                        .benefit_application_details()
                        .and_then(|d| d.get("RequestedAmount").cloned()),
                }),
            page.next_token()
        ))
    }

    pub async fn list_benefit_allocations(&self) -> Result<Vec<BenefitAllocation>> {
        Ok(all_pages!(
            self,
            "ListBenefitAllocations",
            |token| self
                .benefits
                .list_benefit_allocations()
                .catalog(&self.catalog)
                .set_next_token(token.clone()),
            |page| page
                .benefit_allocation_summaries()
                .iter()
                .map(|a| BenefitAllocation {
                    id: a.id().unwrap_or_default().to_string(),
                    name: text(a.name()),
                    status: a
                        .status()
                        .map(|s| s.as_str().to_string())
                        .unwrap_or_default(),
                    benefit_id: text(a.benefit_id()),
                    application_id: text(a.benefit_application_id()),
                    fulfillment: a
                        .fulfillment_types()
                        .iter()
                        .map(|f| f.as_str().to_string())
                        .collect(),
                    expires: millis(a.expires_at()),
                }),
            page.next_token()
        ))
    }

    /// Applies for `benefit` for the opportunity with ARN `opportunity`, asking for `amount`
    /// (USD) when given; the application is left PENDING_SUBMISSION. Answers its id.
    pub async fn apply_for_benefit(
        &self,
        benefit: &str,
        name: &str,
        opportunity: &str,
        amount: Option<&str>,
        client_token: &str,
    ) -> Result<String> {
        let mut details = std::collections::HashMap::new();
        if let Some(amount) = amount {
            details.insert(
                "RequestedAmount".to_string(),
                aws_smithy_types::Document::String(amount.to_string()),
            );
        }
        self.limits.selling_writes.wait().await;
        let result = self
            .benefits
            .create_benefit_application()
            .catalog(&self.catalog)
            .client_token(client_token)
            .benefit_identifier(benefit)
            .name(name)
            .associated_resources(opportunity)
            .benefit_application_details(aws_smithy_types::Document::Object(details))
            .send()
            .await
            .map(|out| out.id().unwrap_or_default().to_string())
            .map_err(|e| self.fail("CreateBenefitApplication", e));
        self.audited(
            "CreateBenefitApplication",
            benefit,
            Some(client_token),
            Some(format!("for {opportunity}")),
            result,
        )
    }

    pub async fn submit_benefit_application(&self, id: &str) -> Result<()> {
        self.limits.selling_writes.wait().await;
        let result = self
            .benefits
            .submit_benefit_application()
            .catalog(&self.catalog)
            .identifier(id)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| self.fail("SubmitBenefitApplication", e));
        self.audited("SubmitBenefitApplication", id, None, None, result)
    }

    pub async fn list_program_accounts(&self) -> Result<Vec<ProgramAccount>> {
        Ok(all_pages!(
            self,
            "ListProgramManagementAccounts",
            |token| self
                .channel
                .list_program_management_accounts()
                .catalog(&self.catalog)
                .set_next_token(token.clone()),
            |page| page.items().iter().map(|a| ProgramAccount {
                id: a.id().unwrap_or_default().to_string(),
                program: a
                    .program()
                    .map(|p| p.as_str().to_string())
                    .unwrap_or_default(),
                name: a.display_name().unwrap_or_default().to_string(),
                account_id: a.account_id().unwrap_or_default().to_string(),
                status: a
                    .status()
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_default(),
                revision: text(a.revision()),
            }),
            page.next_token()
        ))
    }

    pub async fn list_channel_relationships(&self) -> Result<Vec<ChannelRelationship>> {
        Ok(all_pages!(
            self,
            "ListRelationships",
            |token| self
                .channel
                .list_relationships()
                .catalog(&self.catalog)
                .set_next_token(token.clone()),
            |page| page.items().iter().map(|r| ChannelRelationship {
                id: r.id().unwrap_or_default().to_string(),
                program_account: r
                    .program_management_account_id()
                    .unwrap_or_default()
                    .to_string(),
                name: r.display_name().unwrap_or_default().to_string(),
                kind: r
                    .association_type()
                    .map(|t| t.as_str().to_string())
                    .unwrap_or_default(),
                account_id: r.associated_account_id().unwrap_or_default().to_string(),
                sector: r.sector().map(|s| s.as_str().to_string()),
                start: millis(r.start_date()),
            }),
            page.next_token()
        ))
    }

    /// The handshakes of every type this partner received (`received`) or sent.
    pub async fn list_handshakes(&self, received: bool) -> Result<Vec<Handshake>> {
        let side = if received {
            channel::types::ParticipantType::Receiver
        } else {
            channel::types::ParticipantType::Sender
        };
        let mut all = Vec::new();
        for kind in [
            channel::types::HandshakeType::StartServicePeriod,
            channel::types::HandshakeType::RevokeServicePeriod,
            channel::types::HandshakeType::ProgramManagementAccount,
        ] {
            all.extend(all_pages!(
                self,
                "ListChannelHandshakes",
                |token| self
                    .channel
                    .list_channel_handshakes()
                    .catalog(&self.catalog)
                    .handshake_type(kind.clone())
                    .participant_type(side.clone())
                    .set_next_token(token.clone()),
                |page| page.items().iter().map(|h| Handshake {
                    id: h.id().unwrap_or_default().to_string(),
                    arn: text(h.arn()),
                    kind: h
                        .handshake_type()
                        .map(|t| t.as_str().to_string())
                        .unwrap_or_default(),
                    status: h
                        .status()
                        .map(|s| s.as_str().to_string())
                        .unwrap_or_default(),
                    sender: text(h.sender_account_id()),
                    sender_name: text(h.sender_display_name()),
                    receiver: text(h.receiver_account_id()),
                    resource: text(h.associated_resource_id()),
                    updated: millis(h.updated_at()),
                }),
                page.next_token()
            ));
        }
        all.sort_by_key(|h| std::cmp::Reverse(h.updated));
        Ok(all)
    }

    /// Accepts, rejects (as its receiver) or cancels (as its sender) a handshake; answers its
    /// new status.
    pub async fn answer_handshake(&self, id: &str, answer: HandshakeAnswer) -> Result<String> {
        self.limits.selling_writes.wait().await;
        let (op, result) = match answer {
            HandshakeAnswer::Accept => (
                "AcceptChannelHandshake",
                self.channel
                    .accept_channel_handshake()
                    .catalog(&self.catalog)
                    .identifier(id)
                    .send()
                    .await
                    .map(|o| status_of(o.channel_handshake_detail().and_then(|d| d.status())))
                    .map_err(|e| self.fail("AcceptChannelHandshake", e)),
            ),
            HandshakeAnswer::Reject => (
                "RejectChannelHandshake",
                self.channel
                    .reject_channel_handshake()
                    .catalog(&self.catalog)
                    .identifier(id)
                    .send()
                    .await
                    .map(|o| status_of(o.channel_handshake_detail().and_then(|d| d.status())))
                    .map_err(|e| self.fail("RejectChannelHandshake", e)),
            ),
            HandshakeAnswer::Cancel => (
                "CancelChannelHandshake",
                self.channel
                    .cancel_channel_handshake()
                    .catalog(&self.catalog)
                    .identifier(id)
                    .send()
                    .await
                    .map(|o| status_of(o.channel_handshake_detail().and_then(|d| d.status())))
                    .map_err(|e| self.fail("CancelChannelHandshake", e)),
            ),
        };
        self.audited(op, id, None, None, result)
    }
}

fn status_of(status: Option<&channel::types::HandshakeStatus>) -> String {
    status.map(|s| s.as_str().to_string()).unwrap_or_default()
}

/// How a handshake is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HandshakeAnswer {
    Accept,
    Reject,
    Cancel,
}
