//! Engagements and leads: reading an engagement with its members and opportunities, qualifying
//! a lead (UpdateEngagementContext, locked to the engagement's ModifiedAt) and converting it to
//! an opportunity (StartOpportunityFromEngagementTask, followed by its task list).

use aws_sdk_partnercentralselling as selling;
use selling::types::{
    EngagementContextPayload, EngagementContextType, LeadAddress, LeadCustomer,
    UpdateEngagementContextPayload, UpdateLeadContext,
};

use super::{PartnerClient, Result, millis, text};
use crate::partner::error::{FailureKind, PartnerError};
use crate::partner::types::*;

fn lead_of(context: &selling::types::LeadContext) -> Lead {
    let customer = context.customer();
    let address = customer.and_then(|c| c.address());
    Lead {
        company: customer
            .map(|c| c.company_name().to_string())
            .unwrap_or_default(),
        industry: text(customer.and_then(|c| c.industry())),
        website: text(customer.and_then(|c| c.website_url())),
        country: text(address.and_then(|a| a.country_code())),
        city: text(address.and_then(|a| a.city())),
        state_or_region: text(address.and_then(|a| a.state_or_region())),
        postal_code: text(address.and_then(|a| a.postal_code())),
        maturity: text(customer.and_then(|c| c.aws_maturity())),
        segment: text(customer.and_then(|c| c.market_segment())),
        qualification: Some(context.qualification_status())
            .filter(|q| !q.is_empty())
            .map(str::to_string),
        readiness: text(context.insights().and_then(|i| i.lead_readiness_score())),
        interactions: context
            .interactions()
            .iter()
            .map(|i| LeadInteraction {
                source_type: i.source_type().to_string(),
                source_id: i.source_id().to_string(),
                source_name: i.source_name().to_string(),
                usecase: text(i.usecase()),
                date: millis(i.interaction_date()),
                action: i.customer_action().to_string(),
                business_problem: text(i.business_problem()),
                contact: i
                    .contact()
                    .map(|c| Contact {
                        email: Some(c.email().to_string()),
                        first_name: Some(c.first_name().to_string()),
                        last_name: Some(c.last_name().to_string()),
                        title: Some(c.business_title().to_string()),
                        phone: text(c.phone()),
                    })
                    .unwrap_or_default(),
            })
            .collect(),
    }
}

/// The lead's customer as UpdateLeadContext takes it (it is required there).
fn lead_customer(lead: &Lead) -> LeadCustomer {
    LeadCustomer::builder()
        .company_name(&lead.company)
        .set_industry(lead.industry.clone())
        .set_website_url(lead.website.clone())
        .address(
            LeadAddress::builder()
                .set_city(lead.city.clone())
                .set_postal_code(lead.postal_code.clone())
                .set_state_or_region(lead.state_or_region.clone())
                .set_country_code(lead.country.clone())
                .build(),
        )
        .set_aws_maturity(lead.maturity.clone())
        .set_market_segment(lead.segment.clone())
        .build()
        .expect("company name and address are set")
}

/// A conversion task's state, from the start answer or a task list's summary (two SDK types
/// with the same accessors).
macro_rules! conversion_state {
    ($t:expr) => {
        TaskState {
            id: $t.task_id().unwrap_or_default().to_string(),
            status: $t
                .task_status()
                .map(|s| TaskStatus::from(s.as_str()))
                .unwrap_or_default(),
            message: text($t.message()),
            reason: text($t.reason_code().map(|r| r.as_str())),
            opportunity_id: text($t.opportunity_id()),
            engagement_id: text($t.engagement_id()),
            invitation_id: None,
        }
    };
}

impl PartnerClient {
    /// The engagement with its members and associated opportunities (three reads).
    pub async fn get_engagement(&self, id: &str) -> Result<Engagement> {
        self.limits.selling_reads.wait().await;
        let out = self
            .selling
            .get_engagement()
            .catalog(&self.catalog)
            .identifier(id)
            .send()
            .await
            .map_err(|e| self.fail("GetEngagement", e))?;
        let contexts = out
            .contexts()
            .iter()
            .map(|c| EngagementContext {
                id: c.id().unwrap_or_default().to_string(),
                kind: c.r#type().as_str().to_string(),
                lead: match c.payload() {
                    Some(EngagementContextPayload::Lead(lead)) => Some(lead_of(lead)),
                    _ => None,
                },
                project_title: match c.payload() {
                    Some(EngagementContextPayload::CustomerProject(p)) => {
                        text(p.project().map(|p| p.title()))
                    }
                    _ => None,
                },
            })
            .collect();
        self.limits.selling_reads.wait().await;
        let members = self
            .selling
            .list_engagement_members()
            .catalog(&self.catalog)
            .identifier(id)
            .send()
            .await
            .map_err(|e| self.fail("ListEngagementMembers", e))?;
        self.limits.selling_reads.wait().await;
        let associations = self
            .selling
            .list_engagement_resource_associations()
            .catalog(&self.catalog)
            .engagement_identifier(id)
            .send()
            .await
            .map_err(|e| self.fail("ListEngagementResourceAssociations", e))?;
        Ok(Engagement {
            id: out.id().unwrap_or(id).to_string(),
            arn: text(out.arn()),
            title: text(out.title()),
            description: text(out.description()),
            created_at: millis(out.created_at()),
            created_by: text(out.created_by()),
            modified_at: millis(out.modified_at()),
            member_count: out.member_count(),
            contexts,
            members: members
                .engagement_member_list()
                .iter()
                .map(|m| EngagementMember {
                    account_id: text(m.account_id()),
                    company: text(m.company_name()),
                    website: text(m.website_url()),
                })
                .collect(),
            opportunities: associations
                .engagement_resource_association_summaries()
                .iter()
                .filter_map(|a| a.resource_id().map(str::to_string))
                .collect(),
            sent: Vec::new(),
            snapshots: Vec::new(),
        })
    }

    /// Every engagement the partner is a member of, newest first.
    pub async fn list_engagements(&self) -> Result<Vec<Engagement>> {
        let mut out = Vec::new();
        let mut token: Option<String> = None;
        loop {
            self.limits.selling_reads.wait().await;
            let page = self
                .selling
                .list_engagements()
                .catalog(&self.catalog)
                .max_results(100)
                .sort(
                    selling::types::EngagementSort::builder()
                        .sort_by(selling::types::EngagementSortName::CreatedDate)
                        .sort_order(selling::types::SortOrder::Descending)
                        .build()
                        .expect("both members set"),
                )
                .set_next_token(token.clone())
                .send()
                .await
                .map_err(|e| self.fail("ListEngagements", e))?;
            out.extend(page.engagement_summary_list().iter().map(|e| {
                Engagement {
                    id: e.id().unwrap_or_default().to_string(),
                    arn: text(e.arn()),
                    title: text(e.title()),
                    created_at: millis(e.created_at()),
                    created_by: text(e.created_by()),
                    modified_at: millis(e.modified_at()),
                    member_count: e.member_count(),
                    contexts: e
                        .context_types()
                        .iter()
                        .map(|t| EngagementContext {
                            kind: t.as_str().to_string(),
                            ..Default::default()
                        })
                        .collect(),
                    ..Default::default()
                }
            }));
            token = page.next_token().map(str::to_string);
            if token.is_none() {
                return Ok(out);
            }
        }
    }

    /// Marks the lead Qualified or Disqualified (any text the API takes), based on the
    /// engagement as read at `based_on` (its ModifiedAt): a newer one is a Conflict.
    pub async fn qualify_lead(
        &self,
        engagement: &str,
        context: &str,
        based_on: Millis,
        lead: &Lead,
        status: &str,
    ) -> Result<Millis> {
        let at = aws_smithy_types::DateTime::from_millis(based_on);
        self.limits.selling_writes.wait().await;
        let sent = self
            .selling
            .update_engagement_context()
            .catalog(&self.catalog)
            .engagement_identifier(engagement)
            .context_identifier(context)
            .engagement_last_modified_at(at)
            .r#type(EngagementContextType::Lead)
            .payload(UpdateEngagementContextPayload::Lead(
                UpdateLeadContext::builder()
                    .qualification_status(status)
                    .customer(lead_customer(lead))
                    .build(),
            ))
            .send()
            .await
            .map_err(|e| self.fail("UpdateEngagementContext", e))
            .and_then(|out| {
                millis(Some(out.engagement_last_modified_at())).ok_or_else(|| {
                    PartnerError::new(
                        "UpdateEngagementContext",
                        FailureKind::Other,
                        "the answer had no EngagementLastModifiedAt",
                    )
                })
            });
        self.audited(
            "UpdateEngagementContext",
            engagement,
            None,
            Some(format!("lead {status}")),
            sent,
        )
    }

    /// Starts converting the lead in `context` to an opportunity; `client_token` makes a rerun
    /// the same task. Follow it with `conversion_task`.
    pub async fn start_conversion(
        &self,
        engagement: &str,
        context: &str,
        client_token: &str,
    ) -> Result<TaskState> {
        self.limits.selling_writes.wait().await;
        let result = self
            .selling
            .start_opportunity_from_engagement_task()
            .catalog(&self.catalog)
            .client_token(client_token)
            .identifier(engagement)
            .context_identifier(context)
            .send()
            .await
            .map_err(|e| self.fail("StartOpportunityFromEngagementTask", e))
            .map(|t| conversion_state!(t));
        self.audited(
            "StartOpportunityFromEngagementTask",
            engagement,
            Some(client_token),
            Some(format!("convert context {context}")),
            result,
        )
    }

    pub async fn conversion_task(&self, task_id: &str) -> Result<TaskState> {
        self.limits.selling_reads.wait().await;
        let out = self
            .selling
            .list_opportunity_from_engagement_tasks()
            .catalog(&self.catalog)
            .task_identifier(task_id)
            .send()
            .await
            .map_err(|e| self.fail("ListOpportunityFromEngagementTasks", e))?;
        let t = super::listed_task(
            out.task_summaries(),
            "ListOpportunityFromEngagementTasks",
            task_id,
        )?;
        Ok(conversion_state!(t))
    }

    /// Accepts an invitation with AcceptEngagementInvitation: for a lead, the step that makes the
    /// partner a member of its engagement (AWS's lead workflow; a referral is better accepted
    /// by task, which also creates its opportunity).
    pub async fn accept_invitation(&self, id: &str) -> Result<()> {
        self.limits.selling_writes.wait().await;
        let result = self
            .selling
            .accept_engagement_invitation()
            .catalog(&self.catalog)
            .identifier(id)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| self.fail("AcceptEngagementInvitation", e));
        self.audited("AcceptEngagementInvitation", id, None, None, result)
    }

    /// The invitations this partner sent (ListEngagementInvitations as SENDER), newest first.
    pub async fn list_sent_invitations(&self) -> Result<Vec<Referral>> {
        let mut out = Vec::new();
        let mut token: Option<String> = None;
        loop {
            self.limits.selling_reads.wait().await;
            let page = self
                .selling
                .list_engagement_invitations()
                .catalog(&self.catalog)
                .participant_type(selling::types::ParticipantType::Sender)
                .max_results(100)
                .set_next_token(token.clone())
                .send()
                .await
                .map_err(|e| self.fail("ListEngagementInvitations", e))?;
            out.extend(
                page.engagement_invitation_summaries()
                    .iter()
                    .map(|i| Referral {
                        id: i.id().to_string(),
                        arn: text(i.arn()),
                        payload_type: super::vocab(i.payload_type().map(|p| p.as_str())),
                        engagement_id: text(i.engagement_id()),
                        title: text(i.engagement_title()),
                        status: super::vocab(i.status().map(|s| s.as_str())),
                        invited: millis(i.invitation_date()),
                        expires: millis(i.expiration_date()),
                        sender_company: text(i.sender_company_name()),
                        sender_account: text(i.sender_aws_account_id()),
                        participant: Some(ParticipantType::Sender),
                        receiver: match i.receiver() {
                            Some(selling::types::Receiver::Account(a)) => {
                                Some(a.aws_account_id().to_string())
                            }
                            _ => None,
                        },
                        ..Default::default()
                    }),
            );
            token = page.next_token().map(str::to_string);
            if token.is_none() {
                return Ok(out);
            }
        }
    }

    /// The engagement opportunity `id` belongs to, read in full with the invitations this
    /// partner sent to it; None when the opportunity belongs to none yet.
    pub async fn opportunity_engagement(&self, id: &str) -> Result<Option<Engagement>> {
        let Some(engagement) = self.engagement_of_opportunity(id).await? else {
            return Ok(None);
        };
        let mut e = self.get_engagement(&engagement).await?;
        e.sent = self
            .list_sent_invitations()
            .await?
            .into_iter()
            .filter(|r| r.engagement_id.as_deref() == Some(engagement.as_str()))
            .collect();
        self.limits.selling_reads.wait().await;
        let snapshots = self
            .selling
            .list_resource_snapshots()
            .catalog(&self.catalog)
            .engagement_identifier(&engagement)
            .resource_identifier(id)
            .send()
            .await
            .map_err(|e| self.fail("ListResourceSnapshots", e))?;
        for s in snapshots.resource_snapshot_summaries() {
            let template = s
                .resource_snapshot_template_name()
                .unwrap_or("?")
                .to_string();
            let revision = s.revision().unwrap_or(0);
            match e.snapshots.iter_mut().find(|(t, _)| *t == template) {
                Some((_, latest)) => *latest = (*latest).max(revision),
                None => e.snapshots.push((template, revision)),
            }
        }
        Ok(Some(e))
    }

    /// The engagement opportunity `id` belongs to (its submission made one), if any.
    pub async fn engagement_of_opportunity(&self, id: &str) -> Result<Option<String>> {
        self.limits.selling_reads.wait().await;
        let out = self
            .selling
            .list_engagement_resource_associations()
            .catalog(&self.catalog)
            .resource_type(selling::types::ResourceType::Opportunity)
            .resource_identifier(id)
            .send()
            .await
            .map_err(|e| self.fail("ListEngagementResourceAssociations", e))?;
        Ok(out
            .engagement_resource_association_summaries()
            .first()
            .and_then(|a| a.engagement_id())
            .map(str::to_string))
    }

    /// Invites the partner with AWS account `receiver` to co-sell opportunity `id` (an
    /// engagement invitation carrying the opportunity's customer and project). The opportunity
    /// must belong to an engagement; its submission to AWS gives it one.
    pub async fn share_opportunity(
        &self,
        id: &str,
        receiver: &str,
        message: &str,
        responsibility: &str,
        client_token: &str,
    ) -> Result<String> {
        use selling::types::*;
        const OP: &str = "CreateEngagementInvitation";
        let engagement = self.engagement_of_opportunity(id).await?.ok_or_else(|| {
            PartnerError::new(
                OP,
                FailureKind::Validation,
                format!("{id} belongs to no engagement yet: submit it to AWS first (its submission creates one), then share it"),
            )
        })?;
        let record = self.get_raw(id).await?;
        let account = record.customer().and_then(|c| c.account());
        let project = record.project();
        let mut missing = Vec::new();
        let mut need = |path: &str, value: Option<String>| {
            if value.is_none() {
                missing.push(path.to_string());
            }
            value.unwrap_or_default()
        };
        let industry = need(
            "Customer.Account.Industry",
            account
                .and_then(|a| a.industry())
                .map(|i| i.as_str().to_string()),
        );
        let website = need(
            "Customer.Account.WebsiteUrl",
            account.and_then(|a| a.website_url()).map(str::to_string),
        );
        let country = need(
            "Customer.Account.Address.CountryCode",
            account
                .and_then(|a| a.address())
                .and_then(|a| a.country_code())
                .map(|c| c.as_str().to_string()),
        );
        let title = need(
            "Project.Title",
            project.and_then(|p| p.title()).map(str::to_string),
        );
        let problem = need(
            "Project.CustomerBusinessProblem",
            project
                .and_then(|p| p.customer_business_problem())
                .map(str::to_string),
        );
        let close = need(
            "LifeCycle.TargetCloseDate",
            record
                .life_cycle()
                .and_then(|l| l.target_close_date())
                .map(str::to_string),
        );
        if !missing.is_empty() {
            return Err(PartnerError::new(
                OP,
                FailureKind::Validation,
                format!(
                    "{id} lacks what an invitation carries: {}; fill them in (cosell opportunities update {id} --set …) and share it again",
                    missing.join(", ")
                ),
            ));
        }
        let invalid = |e: aws_smithy_types::error::operation::BuildError| {
            PartnerError::new(OP, FailureKind::Validation, e.to_string())
        };
        let payload = OpportunityInvitationPayload::builder()
            .receiver_responsibilities(ReceiverResponsibility::from(responsibility))
            .customer(
                EngagementCustomer::builder()
                    .industry(Industry::from(industry.as_str()))
                    .company_name(account.map(|a| a.company_name()).unwrap_or_default())
                    .website_url(website)
                    .country_code(CountryCode::from(country.as_str()))
                    .build()
                    .map_err(invalid)?,
            )
            .project(
                ProjectDetails::builder()
                    .business_problem(problem)
                    .title(title)
                    .target_completion_date(close)
                    .set_expected_customer_spend(
                        project.map(|p| p.expected_customer_spend().to_vec()),
                    )
                    .build()
                    .map_err(invalid)?,
            )
            .build()
            .map_err(invalid)?;
        let invitation = Invitation::builder()
            .message(message)
            .receiver(Receiver::Account(
                AccountReceiver::builder()
                    .aws_account_id(receiver)
                    .build()
                    .map_err(invalid)?,
            ))
            .payload(Payload::OpportunityInvitation(payload))
            .build()
            .map_err(invalid)?;
        self.limits.selling_writes.wait().await;
        let result = self
            .selling
            .create_engagement_invitation()
            .catalog(&self.catalog)
            .client_token(client_token)
            .engagement_identifier(&engagement)
            .invitation(invitation)
            .send()
            .await
            .map(|out| out.id().to_string())
            .map_err(|e| self.fail(OP, e));
        self.audited(
            OP,
            id,
            Some(client_token),
            Some(format!("shared with {receiver}")),
            result,
        )
    }

    /// The role snapshot jobs run as (GetSellingSystemSettings), if one is set.
    pub async fn snapshot_job_role(&self) -> Result<Option<String>> {
        self.limits.selling_reads.wait().await;
        let out = self
            .selling
            .get_selling_system_settings()
            .catalog(&self.catalog)
            .send()
            .await
            .map_err(|e| self.fail("GetSellingSystemSettings", e))?;
        Ok(text(out.resource_snapshot_job_role_arn()))
    }
}
