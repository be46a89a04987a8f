//! Leads and engagements through the real SDK: AWS's lead-to-opportunity workflow, with the
//! call sequence its samples use (get the invitation, accept it, read the engagement, qualify
//! the lead, convert it, submit the opportunity), and the refusals around it.

use aws_sdk_partnercentralselling as sdk;
use sdk::types::{
    AwsSubmission, EngagementContextPayload, EngagementContextType, InvitationStatus, LeadContact,
    LeadInteraction, ParticipantType, SalesInvolvementType, TaskStatus,
    UpdateEngagementContextPayload, UpdateLeadContext,
};

use crate::common::{sandbox, selling_client, wait_until};

/// The first pending lead invitation of the AWS catalog.
async fn a_pending_lead(client: &sdk::Client) -> String {
    let pending = client
        .list_engagement_invitations()
        .catalog("AWS")
        .participant_type(ParticipantType::Receiver)
        .status(InvitationStatus::Pending)
        .payload_type(sdk::types::EngagementInvitationPayloadType::LeadInvitation)
        .max_results(100)
        .send()
        .await
        .unwrap();
    pending.engagement_invitation_summaries()[0]
        .id()
        .to_string()
}

#[tokio::test]
async fn a_lead_is_accepted_qualified_converted_and_its_opportunity_submitted() {
    let sb = sandbox().await;
    let client = selling_client(&sb.url());
    let invitation_id = a_pending_lead(&client).await;

    // 1. The invitation names the engagement and the lead's customer.
    let invitation = client
        .get_engagement_invitation()
        .catalog("AWS")
        .identifier(&invitation_id)
        .send()
        .await
        .unwrap();
    let engagement_id = invitation.engagement_id().unwrap().to_string();
    let Some(sdk::types::Payload::LeadInvitation(lead)) = invitation.payload() else {
        panic!("a lead invitation: {:?}", invitation.payload())
    };
    let company = lead.customer().unwrap().company_name().to_string();

    // Only members see an engagement.
    let refused = client
        .get_engagement()
        .catalog("AWS")
        .identifier(&engagement_id)
        .send()
        .await
        .unwrap_err();
    assert!(
        refused
            .as_service_error()
            .unwrap()
            .is_access_denied_exception(),
        "{refused:?}"
    );

    // 2. Accept: the partner joins the engagement and sees the lead's context.
    client
        .accept_engagement_invitation()
        .catalog("AWS")
        .identifier(&invitation_id)
        .send()
        .await
        .unwrap();
    let engagement = client
        .get_engagement()
        .catalog("AWS")
        .identifier(&engagement_id)
        .send()
        .await
        .unwrap();
    assert_eq!(engagement.member_count(), Some(2), "AWS and the partner");
    let context = engagement
        .contexts()
        .iter()
        .find(|c| c.r#type() == &EngagementContextType::Lead)
        .expect("the lead's context");
    let context_id = context.id().unwrap().to_string();
    let Some(EngagementContextPayload::Lead(lead_context)) = context.payload() else {
        panic!("{:?}", context.payload())
    };
    assert_eq!(lead_context.customer().unwrap().company_name(), company);
    let members = client
        .list_engagement_members()
        .catalog("AWS")
        .identifier(&engagement_id)
        .send()
        .await
        .unwrap();
    assert_eq!(members.engagement_member_list().len(), 2);

    // 3. Qualify, guarded by EngagementLastModifiedAt: a stale one is a conflict.
    let qualify = |at: sdk::primitives::DateTime| {
        client
            .update_engagement_context()
            .catalog("AWS")
            .engagement_identifier(&engagement_id)
            .context_identifier(&context_id)
            .engagement_last_modified_at(at)
            .r#type(EngagementContextType::Lead)
            .payload(UpdateEngagementContextPayload::Lead(
                UpdateLeadContext::builder()
                    .qualification_status("Qualified")
                    .customer(lead_context.customer().unwrap().clone())
                    .interaction(
                        LeadInteraction::builder()
                            .source_type("Partner")
                            .source_id("call-1")
                            .source_name("Discovery call")
                            .customer_action("Confirmed budget")
                            .business_problem(
                                "Their order system falls over every sale; they need it to scale.",
                            )
                            .contact(
                                LeadContact::builder()
                                    .business_title("CTO")
                                    .email("cto@lead.example.com")
                                    .first_name("Rae")
                                    .last_name("Quinn")
                                    .build()
                                    .unwrap(),
                            )
                            .build(),
                    )
                    .build(),
            ))
            .send()
    };
    let stale = qualify(sdk::primitives::DateTime::from_secs(1_000_000))
        .await
        .unwrap_err();
    assert!(
        stale.as_service_error().unwrap().is_conflict_exception(),
        "{stale:?}"
    );
    let qualified = qualify(*engagement.modified_at().unwrap()).await.unwrap();
    assert!(qualified.engagement_last_modified_at() > engagement.modified_at().unwrap());

    // 4. Convert, asynchronously; the same ClientToken replays the same task.
    let start = || {
        client
            .start_opportunity_from_engagement_task()
            .catalog("AWS")
            .client_token("convert-lead-1")
            .identifier(&engagement_id)
            .context_identifier(&context_id)
            .send()
    };
    let started = start().await.unwrap();
    let task_id = started.task_id().unwrap().to_string();
    assert_eq!(start().await.unwrap().task_id(), Some(task_id.as_str()));
    wait_until(|| {
        let client = client.clone();
        let task_id = task_id.clone();
        async move {
            client
                .list_opportunity_from_engagement_tasks()
                .catalog("AWS")
                .task_identifier(&task_id)
                .send()
                .await
                .unwrap()
                .task_summaries()
                .first()
                .and_then(|t| t.task_status())
                == Some(&TaskStatus::Complete)
        }
    })
    .await;
    let tasks = client
        .list_opportunity_from_engagement_tasks()
        .catalog("AWS")
        .engagement_identifier(&engagement_id)
        .send()
        .await
        .unwrap();
    assert_eq!(tasks.task_summaries().len(), 1);
    let opportunity_id = tasks.task_summaries()[0]
        .opportunity_id()
        .unwrap()
        .to_string();

    // The opportunity carries the lead's customer and the qualified interaction.
    let opportunity = client
        .get_opportunity()
        .catalog("AWS")
        .identifier(&opportunity_id)
        .send()
        .await
        .unwrap();
    let account = opportunity.customer().unwrap().account().unwrap();
    assert_eq!(account.company_name(), company);
    assert_eq!(
        opportunity.project().unwrap().customer_business_problem(),
        Some("Their order system falls over every sale; they need it to scale.")
    );
    assert_eq!(
        opportunity.customer().unwrap().contacts()[0].email(),
        Some("cto@lead.example.com")
    );
    let associations = client
        .list_engagement_resource_associations()
        .catalog("AWS")
        .engagement_identifier(&engagement_id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        associations
            .engagement_resource_association_summaries()
            .iter()
            .map(|a| a.resource_id().unwrap_or_default())
            .collect::<Vec<_>>(),
        vec![opportunity_id.as_str()]
    );

    // 5. Submit it, as the sample's last step does.
    let submitted = client
        .start_engagement_from_opportunity_task()
        .catalog("AWS")
        .client_token("submit-lead-1")
        .identifier(&opportunity_id)
        .aws_submission(
            AwsSubmission::builder()
                .involvement_type(SalesInvolvementType::CoSell)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    assert!(submitted.task_id().is_some());
}

#[tokio::test]
async fn engagements_list_only_what_the_partner_is_a_member_of_and_one_it_creates() {
    let sb = sandbox().await;
    let client = selling_client(&sb.url());
    let before = client
        .list_engagements()
        .catalog("AWS")
        .max_results(100)
        .send()
        .await
        .unwrap();
    for summary in before.engagement_summary_list() {
        let members = client
            .list_engagement_members()
            .catalog("AWS")
            .identifier(summary.id().unwrap())
            .send()
            .await
            .unwrap();
        assert!(
            members
                .engagement_member_list()
                .iter()
                .any(|m| m.account_id() == Some(sb.account_id().as_str())),
            "listed only as a member"
        );
    }
    let created = client
        .create_engagement()
        .catalog("AWS")
        .client_token("new-engagement-1")
        .title("Joint pitch")
        .description("A migration we pitch together")
        .send()
        .await
        .unwrap();
    let after = client
        .list_engagements()
        .catalog("AWS")
        .created_by(sb.account_id())
        .send()
        .await
        .unwrap();
    assert_eq!(
        after
            .engagement_summary_list()
            .iter()
            .map(|e| e.id().unwrap_or_default())
            .collect::<Vec<_>>(),
        vec![created.id().unwrap()]
    );
    let settings = client
        .put_selling_system_settings()
        .catalog("AWS")
        .resource_snapshot_job_role_identifier("PartnerCentralSnapshots")
        .send()
        .await
        .unwrap();
    assert_eq!(
        settings.resource_snapshot_job_role_arn(),
        Some(
            format!(
                "arn:aws:iam::{}:role/PartnerCentralSnapshots",
                sb.account_id()
            )
            .as_str()
        )
    );
}

#[tokio::test]
async fn a_connected_partner_is_invited_sees_it_as_receiver_accepts_and_becomes_a_member() {
    let sb = sandbox().await;
    let me = selling_client(&sb.url());
    let connections = crate::common::account_client(&sb.url())
        .list_connections()
        .catalog("AWS")
        .send()
        .await
        .unwrap();
    let mut others: Vec<String> = connections
        .connection_summaries()
        .iter()
        .map(|c| c.other_participant_account_id().to_string())
        .collect();
    others.dedup();
    assert!(others.len() >= 2, "the premise: two partners to work with");
    let (partner, outsider) = (others[0].clone(), others[1].clone());
    let them = crate::common::selling_client_as(&sb.url(), &partner);
    let stranger = crate::common::selling_client_as(&sb.url(), &outsider);

    let engagement = me
        .create_engagement()
        .catalog("AWS")
        .client_token("co-sell-1")
        .title("Acme data platform")
        .description("Acme needs a data platform; we bring the migration, they the analytics")
        .send()
        .await
        .unwrap();
    let engagement_id = engagement.id().unwrap().to_string();
    let payload = sdk::types::OpportunityInvitationPayload::builder()
        .receiver_responsibilities(sdk::types::ReceiverResponsibility::ServicesPartner)
        .customer(
            sdk::types::EngagementCustomer::builder()
                .industry(sdk::types::Industry::Retail)
                .company_name("Acme")
                .website_url("https://acme.example.com")
                .country_code(sdk::types::CountryCode::Us)
                .build()
                .unwrap(),
        )
        .project(
            sdk::types::ProjectDetails::builder()
                .business_problem("Twenty years of sales data in silos nobody can query.")
                .title("Acme data platform")
                .target_completion_date("2027-06-30")
                .expected_customer_spend(
                    sdk::types::ExpectedCustomerSpend::builder()
                        .amount("10000")
                        .currency_code(sdk::types::CurrencyCode::Usd)
                        .frequency(sdk::types::PaymentFrequency::Monthly)
                        .target_company("AWS")
                        .build()
                        .unwrap(),
                )
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    let invited = me
        .create_engagement_invitation()
        .catalog("AWS")
        .client_token("co-sell-invite-1")
        .engagement_identifier(&engagement_id)
        .invitation(
            sdk::types::Invitation::builder()
                .message("Join us on Acme?")
                .receiver(sdk::types::Receiver::Account(
                    sdk::types::AccountReceiver::builder()
                        .aws_account_id(&partner)
                        .build()
                        .unwrap(),
                ))
                .payload(sdk::types::Payload::OpportunityInvitation(payload))
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let invitation_id = invited.id().to_string();

    let listed = |client: sdk::Client, side: ParticipantType| async move {
        client
            .list_engagement_invitations()
            .catalog("AWS")
            .participant_type(side)
            .max_results(100)
            .send()
            .await
            .unwrap()
            .engagement_invitation_summaries()
            .iter()
            .map(|i| i.id().to_string())
            .collect::<Vec<_>>()
    };
    assert!(
        listed(me.clone(), ParticipantType::Sender)
            .await
            .contains(&invitation_id)
    );
    assert!(
        !listed(me.clone(), ParticipantType::Receiver)
            .await
            .contains(&invitation_id)
    );
    assert!(
        listed(them.clone(), ParticipantType::Receiver)
            .await
            .contains(&invitation_id)
    );
    assert!(
        !listed(stranger.clone(), ParticipantType::Receiver)
            .await
            .contains(&invitation_id)
    );

    // Before accepting, the invited partner is not a member and cannot read the engagement.
    let early = them
        .get_engagement()
        .catalog("AWS")
        .identifier(&engagement_id)
        .send()
        .await
        .unwrap_err();
    assert!(
        early
            .as_service_error()
            .unwrap()
            .is_access_denied_exception()
    );
    // Only the receiver answers it.
    let wrong = me
        .accept_engagement_invitation()
        .catalog("AWS")
        .identifier(&invitation_id)
        .send()
        .await
        .unwrap_err();
    assert!(
        wrong.as_service_error().unwrap().is_validation_exception(),
        "{wrong:?}"
    );
    them.accept_engagement_invitation()
        .catalog("AWS")
        .identifier(&invitation_id)
        .send()
        .await
        .unwrap();

    let members = me
        .list_engagement_members()
        .catalog("AWS")
        .identifier(&engagement_id)
        .send()
        .await
        .unwrap();
    let accounts: Vec<&str> = members
        .engagement_member_list()
        .iter()
        .filter_map(|m| m.account_id())
        .collect();
    assert_eq!(accounts, vec![sb.account_id().as_str(), partner.as_str()]);
    let seen_by_them = them
        .get_engagement()
        .catalog("AWS")
        .identifier(&engagement_id)
        .send()
        .await
        .unwrap();
    assert_eq!(seen_by_them.member_count(), Some(2));
    // Someone never invited still sees nothing of it.
    let denied = stranger
        .list_engagement_members()
        .catalog("AWS")
        .identifier(&engagement_id)
        .send()
        .await
        .unwrap_err();
    assert!(
        denied
            .as_service_error()
            .unwrap()
            .is_access_denied_exception()
    );
}

#[tokio::test]
async fn a_submitted_opportunity_is_snapshotted_by_hand_and_by_a_job_once_the_role_is_set() {
    use sdk::types::ResourceType;
    let sb = sandbox().await;
    let client = selling_client(&sb.url());
    let id = crate::selling::create_ready(&client, "AWS", sdk::types::Stage::Qualified).await;
    let submitted = client
        .start_engagement_from_opportunity_task()
        .catalog("AWS")
        .client_token("snap-submit-1")
        .identifier(&id)
        .aws_submission(
            AwsSubmission::builder()
                .involvement_type(SalesInvolvementType::CoSell)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let task_id = submitted.task_id().unwrap().to_string();
    wait_until(|| {
        let client = client.clone();
        let task_id = task_id.clone();
        async move {
            client
                .list_engagement_from_opportunity_tasks()
                .catalog("AWS")
                .task_identifier(&task_id)
                .send()
                .await
                .unwrap()
                .task_summaries()
                .first()
                .and_then(|t| t.task_status())
                == Some(&TaskStatus::Complete)
        }
    })
    .await;
    let engagement = client
        .list_engagement_from_opportunity_tasks()
        .catalog("AWS")
        .task_identifier(&task_id)
        .send()
        .await
        .unwrap()
        .task_summaries()[0]
        .engagement_id()
        .unwrap()
        .to_string();

    // A snapshot by hand: revision 1, then 2, each the opportunity as it was.
    for expected in [1, 2] {
        let taken = client
            .create_resource_snapshot()
            .catalog("AWS")
            .client_token(format!("snap-{expected}"))
            .engagement_identifier(&engagement)
            .resource_type(ResourceType::Opportunity)
            .resource_identifier(&id)
            .resource_snapshot_template_identifier("OpportunitySummary")
            .send()
            .await
            .unwrap();
        assert_eq!(taken.revision(), Some(expected));
    }
    let got = client
        .get_resource_snapshot()
        .catalog("AWS")
        .engagement_identifier(&engagement)
        .resource_type(ResourceType::Opportunity)
        .resource_identifier(&id)
        .resource_snapshot_template_identifier("OpportunitySummary")
        .send()
        .await
        .unwrap();
    assert_eq!(got.revision(), Some(2), "the latest without a revision");
    let Some(sdk::types::ResourceSnapshotPayload::OpportunitySummary(view)) = got.payload() else {
        panic!("{:?}", got.payload())
    };
    assert_eq!(
        view.lifecycle().and_then(|l| l.stage()),
        Some(&sdk::types::Stage::Qualified)
    );
    let listed = client
        .list_resource_snapshots()
        .catalog("AWS")
        .engagement_identifier(&engagement)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.resource_snapshot_summaries().len(), 2);

    // A job needs the selling-system role.
    let job = || {
        client
            .create_resource_snapshot_job()
            .catalog("AWS")
            .client_token("snap-job-1")
            .engagement_identifier(&engagement)
            .resource_type(ResourceType::Opportunity)
            .resource_identifier(&id)
            .resource_snapshot_template_identifier("OpportunitySummary")
            .send()
    };
    let refused = job().await.unwrap_err();
    assert!(
        refused
            .as_service_error()
            .unwrap()
            .is_validation_exception(),
        "{refused:?}"
    );
    client
        .put_selling_system_settings()
        .catalog("AWS")
        .resource_snapshot_job_role_identifier("PartnerCentralSnapshots")
        .send()
        .await
        .unwrap();
    let job_id = job().await.unwrap().id().unwrap().to_string();
    let job_ref = |op: &str| format!("{op} {job_id}");
    client
        .start_resource_snapshot_job()
        .catalog("AWS")
        .resource_snapshot_job_identifier(&job_id)
        .send()
        .await
        .unwrap();
    let running = client
        .get_resource_snapshot_job()
        .catalog("AWS")
        .resource_snapshot_job_identifier(&job_id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        running.status().map(|s| s.as_str()),
        Some("Running"),
        "{}",
        job_ref("get")
    );
    assert!(running.last_successful_execution_date().is_some());
    let deleting_running = client
        .delete_resource_snapshot_job()
        .catalog("AWS")
        .resource_snapshot_job_identifier(&job_id)
        .send()
        .await
        .unwrap_err();
    assert!(
        deleting_running
            .as_service_error()
            .unwrap()
            .is_conflict_exception()
    );
    client
        .stop_resource_snapshot_job()
        .catalog("AWS")
        .resource_snapshot_job_identifier(&job_id)
        .send()
        .await
        .unwrap();
    let jobs = client
        .list_resource_snapshot_jobs()
        .catalog("AWS")
        .engagement_identifier(&engagement)
        .send()
        .await
        .unwrap();
    assert_eq!(jobs.resource_snapshot_job_summaries().len(), 1);
    client
        .delete_resource_snapshot_job()
        .catalog("AWS")
        .resource_snapshot_job_identifier(&job_id)
        .send()
        .await
        .unwrap();
    let after = client
        .list_resource_snapshots()
        .catalog("AWS")
        .engagement_identifier(&engagement)
        .send()
        .await
        .unwrap();
    assert_eq!(
        after.resource_snapshot_summaries().len(),
        3,
        "the job's start took one"
    );
}
