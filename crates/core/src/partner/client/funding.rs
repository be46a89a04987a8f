//! The benefits and channel APIs: benefits partners apply for and their applications and
//! allocations; channel program accounts, relationships and handshakes. Reads are paged
//! through whole (the lists are small), writes are paced and audited like the selling API's.

use aws_sdk_partnercentralbenefits as benefits;
use aws_sdk_partnercentralchannel as channel;

use super::{PartnerClient, Result, millis, text};
use crate::partner::error::{FailureKind, PartnerError};
use crate::partner::types::*;

/// Pages through a benefits or channel list: `$call` is the request builder for one page,
/// `$items` takes a page's items, `$next` its token.
macro_rules! all_pages {
    ($self:ident, $limiter:ident, $op:literal, |$token:ident| $call:expr, |$page:ident| $items:expr, $next:expr) => {{
        let mut out = Vec::new();
        let mut $token: Option<String> = None;
        loop {
            $self.limits.$limiter.wait().await;
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
            benefits_reads,
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
            benefits_reads,
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
                    ..Default::default()
                }),
            page.next_token()
        ))
    }

    pub async fn list_benefit_allocations(&self) -> Result<Vec<BenefitAllocation>> {
        Ok(all_pages!(
            self,
            benefits_reads,
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
                    ..Default::default()
                }),
            page.next_token()
        ))
    }

    /// The allocations with what each gave: the list has no amounts, so every allocation is
    /// read on its own (there are few, one per approved application).
    pub async fn list_benefit_allocations_with_amounts(&self) -> Result<Vec<BenefitAllocation>> {
        let mut all = self.list_benefit_allocations().await?;
        for allocation in &mut all {
            let read = self.get_benefit_allocation(&allocation.id).await?;
            allocation.amount = read.amount;
            allocation.starts = read.starts;
        }
        Ok(all)
    }

    pub async fn get_benefit_allocation(&self, id: &str) -> Result<BenefitAllocation> {
        self.limits.benefits_reads.wait().await;
        let a = self
            .benefits
            .get_benefit_allocation()
            .catalog(&self.catalog)
            .identifier(id)
            .send()
            .await
            .map_err(|e| self.fail("GetBenefitAllocation", e))?;
        Ok(BenefitAllocation {
            id: a.id().unwrap_or(id).to_string(),
            name: text(a.name()),
            status: a
                .status()
                .map(|s| s.as_str().to_string())
                .unwrap_or_default(),
            benefit_id: text(a.benefit_id()),
            application_id: text(a.benefit_application_id()),
            fulfillment: a
                .fulfillment_type()
                .map(|f| vec![f.as_str().to_string()])
                .unwrap_or_default(),
            expires: millis(a.expires_at()),
            amount: a.fulfillment_detail().and_then(amount_of),
            starts: millis(a.starts_at()),
        })
    }

    /// One application whole: its revision, status reason and every detail.
    pub async fn get_benefit_application(&self, id: &str) -> Result<BenefitApplication> {
        self.limits.benefits_reads.wait().await;
        let a = self
            .benefits
            .get_benefit_application()
            .catalog(&self.catalog)
            .identifier(id)
            .send()
            .await
            .map_err(|e| self.fail("GetBenefitApplication", e))?;
        let details: Vec<(String, String)> = match a.benefit_application_details() {
            Some(aws_smithy_types::Document::Object(map)) => {
                let mut pairs: Vec<(String, String)> = map
                    .iter()
                    .map(|(k, v)| (k.clone(), document_text(v)))
                    .collect();
                pairs.sort();
                pairs
            }
            _ => Vec::new(),
        };
        let requested = details
            .iter()
            .find(|(k, _)| k == "RequestedAmount")
            .map(|(_, v)| v.clone());
        Ok(BenefitApplication {
            id: a.id().unwrap_or(id).to_string(),
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
            requested,
            revision: text(a.revision()),
            status_reason: text(a.status_reason()),
            description: text(a.description()),
            details,
        })
    }

    /// Changes a draft or sent-back application at `revision`: its name, description and
    /// requested amount (laid over the details it has).
    pub async fn update_benefit_application(
        &self,
        id: &str,
        change: &ApplicationChange,
        client_token: &str,
    ) -> Result<()> {
        let current = self.get_benefit_application(id).await?;
        let mut details: std::collections::HashMap<String, aws_smithy_types::Document> = current
            .details
            .iter()
            .map(|(k, v)| (k.clone(), aws_smithy_types::Document::String(v.clone())))
            .collect();
        if let Some(amount) = &change.amount {
            details.insert(
                "RequestedAmount".into(),
                aws_smithy_types::Document::String(amount.clone()),
            );
        }
        // No revision: the user saw none (the record was not read whole), so the latest is it.
        let revision = if change.revision.is_empty() {
            current.revision.clone().unwrap_or_default()
        } else {
            change.revision.clone()
        };
        self.limits.benefits_writes.wait().await;
        let result = self
            .benefits
            .update_benefit_application()
            .catalog(&self.catalog)
            .client_token(client_token)
            .identifier(id)
            .revision(revision)
            .set_name(change.name.clone())
            .set_description(change.description.clone())
            .benefit_application_details(aws_smithy_types::Document::Object(details))
            .send()
            .await
            .map(|_| ())
            .map_err(|e| self.fail("UpdateBenefitApplication", e));
        self.audited(
            "UpdateBenefitApplication",
            id,
            Some(client_token),
            Some(change.describe()),
            result,
        )
    }

    /// Amends an application in review or approved: the new requested amount, and why. An
    /// empty `revision` means the latest.
    pub async fn amend_benefit_application(
        &self,
        id: &str,
        revision: &str,
        amount: &str,
        reason: &str,
        client_token: &str,
    ) -> Result<()> {
        let revision = if revision.is_empty() {
            self.get_benefit_application(id)
                .await?
                .revision
                .unwrap_or_default()
        } else {
            revision.to_string()
        };
        let amendment = benefits::types::Amendment::builder()
            .field_path("BenefitApplicationDetails.RequestedAmount")
            .new_value(amount)
            .build()
            .map_err(|e| {
                PartnerError::new(
                    "AmendBenefitApplication",
                    FailureKind::Validation,
                    e.to_string(),
                )
            })?;
        self.limits.benefits_writes.wait().await;
        let result = self
            .benefits
            .amend_benefit_application()
            .catalog(&self.catalog)
            .client_token(client_token)
            .identifier(id)
            .revision(&revision)
            .amendment_reason(reason)
            .amendments(amendment)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| self.fail("AmendBenefitApplication", e));
        self.audited(
            "AmendBenefitApplication",
            id,
            Some(client_token),
            Some(format!("RequestedAmount {amount}: {reason}")),
            result,
        )
    }

    /// Takes an application out of review, back to a draft.
    pub async fn recall_benefit_application(
        &self,
        id: &str,
        reason: &str,
        client_token: &str,
    ) -> Result<()> {
        self.limits.benefits_writes.wait().await;
        let result = self
            .benefits
            .recall_benefit_application()
            .catalog(&self.catalog)
            .client_token(client_token)
            .identifier(id)
            .reason(reason)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| self.fail("RecallBenefitApplication", e));
        self.audited(
            "RecallBenefitApplication",
            id,
            Some(client_token),
            Some(reason.to_string()),
            result,
        )
    }

    /// Cancels an application for good.
    pub async fn cancel_benefit_application(
        &self,
        id: &str,
        reason: Option<&str>,
        client_token: &str,
    ) -> Result<()> {
        self.limits.benefits_writes.wait().await;
        let result = self
            .benefits
            .cancel_benefit_application()
            .catalog(&self.catalog)
            .client_token(client_token)
            .identifier(id)
            .set_reason(reason.map(str::to_string))
            .send()
            .await
            .map(|_| ())
            .map_err(|e| self.fail("CancelBenefitApplication", e));
        self.audited(
            "CancelBenefitApplication",
            id,
            Some(client_token),
            reason.map(str::to_string),
            result,
        )
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
        self.limits.benefits_writes.wait().await;
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
        self.limits.benefits_writes.wait().await;
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
            channel_reads,
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
            channel_reads,
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
                channel_reads,
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
                    received,
                }),
                page.next_token()
            ));
        }
        all.sort_by_key(|h| std::cmp::Reverse(h.updated));
        Ok(all)
    }

    /// Creates a relationship under a program management account; answers its id.
    pub async fn create_relationship(
        &self,
        new: &NewRelationship,
        client_token: &str,
    ) -> Result<String> {
        self.limits.channel_writes.wait().await;
        let result = self
            .channel
            .create_relationship()
            .catalog(&self.catalog)
            .client_token(client_token)
            .program_management_account_identifier(&new.program_account)
            .association_type(channel::types::AssociationType::from(new.kind.as_str()))
            .associated_account_id(&new.account_id)
            .display_name(&new.name)
            .sector(channel::types::Sector::from(new.sector.as_str()))
            .send()
            .await
            .map(|o| {
                o.relationship_detail()
                    .and_then(|d| d.id())
                    .unwrap_or_default()
                    .to_string()
            })
            .map_err(|e| self.fail("CreateRelationship", e));
        self.audited(
            "CreateRelationship",
            &new.program_account,
            Some(client_token),
            Some(format!("{} {} ({})", new.kind, new.account_id, new.name)),
            result,
        )
    }

    /// Sends a handshake; answers its id.
    pub async fn create_handshake(&self, new: &NewHandshake, client_token: &str) -> Result<String> {
        use channel::types::{
            ChannelHandshakePayload, HandshakeType, RevokeServicePeriodPayload, ServicePeriodType,
            StartServicePeriodPayload,
        };
        let invalid = |e: aws_smithy_types::error::operation::BuildError| {
            PartnerError::new(
                "CreateChannelHandshake",
                FailureKind::Validation,
                e.to_string(),
            )
        };
        let (kind, resource, payload) = match new {
            NewHandshake::StartServicePeriod {
                relationship,
                program_account,
                period,
                notice_days,
                note,
            } => (
                HandshakeType::StartServicePeriod,
                relationship,
                Some(ChannelHandshakePayload::StartServicePeriodPayload(
                    StartServicePeriodPayload::builder()
                        .program_management_account_identifier(program_account)
                        .service_period_type(ServicePeriodType::from(period.as_str()))
                        .set_minimum_notice_days(notice_days.clone())
                        .set_note(note.clone())
                        .build()
                        .map_err(invalid)?,
                )),
            ),
            NewHandshake::RevokeServicePeriod {
                relationship,
                program_account,
                note,
            } => (
                HandshakeType::RevokeServicePeriod,
                relationship,
                Some(ChannelHandshakePayload::RevokeServicePeriodPayload(
                    RevokeServicePeriodPayload::builder()
                        .program_management_account_identifier(program_account)
                        .set_note(note.clone())
                        .build()
                        .map_err(invalid)?,
                )),
            ),
            NewHandshake::ProgramAccount { program_account } => (
                HandshakeType::ProgramManagementAccount,
                program_account,
                None,
            ),
        };
        self.limits.channel_writes.wait().await;
        let result = self
            .channel
            .create_channel_handshake()
            .catalog(&self.catalog)
            .client_token(client_token)
            .handshake_type(kind.clone())
            .associated_resource_identifier(resource)
            .set_payload(payload)
            .send()
            .await
            .map(|o| {
                o.channel_handshake_detail()
                    .and_then(|d| d.id())
                    .unwrap_or_default()
                    .to_string()
            })
            .map_err(|e| self.fail("CreateChannelHandshake", e));
        self.audited(
            "CreateChannelHandshake",
            resource,
            Some(client_token),
            Some(kind.as_str().to_string()),
            result,
        )
    }

    /// Accepts, rejects (as its receiver) or cancels (as its sender) a handshake; answers its
    /// new status.
    pub async fn answer_handshake(&self, id: &str, answer: HandshakeAnswer) -> Result<String> {
        self.limits.channel_writes.wait().await;
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

/// An allocation's amount in words, from whichever fulfilment it has.
fn amount_of(detail: &benefits::types::FulfillmentDetails) -> Option<String> {
    use benefits::types::FulfillmentDetails as F;
    let money = |m: Option<&benefits::types::MonetaryValue>| {
        m.map(|m| format!("{} {}", m.amount(), m.currency_code().as_str()))
    };
    match detail {
        F::CreditDetails(c) => money(c.allocated_amount()),
        F::DisbursementDetails(d) => money(d.disbursed_amount()),
        F::ConsumableDetails(c) => match (c.remaining_amount(), c.allocated_amount()) {
            (Some(left), Some(all)) => Some(format!(
                "{} of {}",
                left.amount(),
                money(Some(all)).unwrap_or_default()
            )),
            (_, all) => money(all),
        },
        F::AccessDetails(a) => a.description().map(str::to_string),
        _ => None,
    }
}

/// A detail value as text: strings as they are, anything else as JSON-like text.
fn document_text(value: &aws_smithy_types::Document) -> String {
    use aws_smithy_types::Document as D;
    match value {
        D::String(s) => s.clone(),
        D::Number(n) => match n {
            aws_smithy_types::Number::PosInt(i) => i.to_string(),
            aws_smithy_types::Number::NegInt(i) => i.to_string(),
            aws_smithy_types::Number::Float(f) => f.to_string(),
        },
        D::Bool(b) => b.to_string(),
        D::Null => String::new(),
        D::Array(items) => items
            .iter()
            .map(document_text)
            .collect::<Vec<_>>()
            .join(", "),
        D::Object(map) => {
            let mut pairs: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{k}: {}", document_text(v)))
                .collect();
            pairs.sort();
            pairs.join(", ")
        }
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

/// What an update changes on a benefit application; `revision` is the one the user read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ApplicationChange {
    pub revision: String,
    pub name: Option<String>,
    pub description: Option<String>,
    pub amount: Option<String>,
}

impl ApplicationChange {
    /// The change in words, for the audit log and messages.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(name) = &self.name {
            parts.push(format!("Name {name:?}"));
        }
        if let Some(description) = &self.description {
            parts.push(format!("Description {description:?}"));
        }
        if let Some(amount) = &self.amount {
            parts.push(format!("RequestedAmount {amount}"));
        }
        parts.join(", ")
    }
}

/// A relationship to create: who, under which program management account, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRelationship {
    pub program_account: String,
    /// DOWNSTREAM_SELLER, END_CUSTOMER or INTERNAL.
    pub kind: String,
    pub account_id: String,
    pub name: String,
    /// COMMERCIAL, GOVERNMENT or GOVERNMENT_EXCEPTION.
    pub sector: String,
}

/// A handshake to send, by type: what it names and what it carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewHandshake {
    StartServicePeriod {
        relationship: String,
        program_account: String,
        /// MINIMUM_NOTICE_PERIOD or FIXED_COMMITMENT_PERIOD.
        period: String,
        notice_days: Option<String>,
        note: Option<String>,
    },
    RevokeServicePeriod {
        relationship: String,
        program_account: String,
        note: Option<String>,
    },
    ProgramAccount {
        program_account: String,
    },
}
