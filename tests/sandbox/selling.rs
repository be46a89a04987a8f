//! Every selling operation through the real `aws-sdk-partnercentralselling` client.

use std::collections::HashSet;

use aws_sdk_partnercentralselling as sdk;
use sdk::operation::get_opportunity::GetOpportunityOutput;
use sdk::types::{
    Account, Address, AssigneeContact, AwsSubmission, CountryCode, CurrencyCode, Customer,
    ExpectedCustomerSpend, Industry, InvitationStatus, LifeCycle, OpportunityOrigin,
    OpportunitySort, OpportunitySortName, ParticipantType, PaymentFrequency, PrimaryNeedFromAws,
    Project, RelatedEntityType, ReviewStatus, SalesInvolvementType, SortOrder, Stage, Tag,
    TaskStatus,
};

use crate::common::{sandbox, selling_client, wait_until};

/// UpdateOpportunity replaces the whole record: start from what GetOpportunity returned.
fn update_from(
    client: &sdk::Client,
    catalog: &str,
    got: &GetOpportunityOutput,
) -> sdk::operation::update_opportunity::builders::UpdateOpportunityFluentBuilder {
    client
        .update_opportunity()
        .catalog(catalog)
        .identifier(got.id())
        .last_modified_date(*got.last_modified_date())
        .set_primary_needs_from_aws(got.primary_needs_from_aws.clone())
        .set_national_security(got.national_security.clone())
        .set_partner_opportunity_identifier(got.partner_opportunity_identifier.clone())
        .set_customer(got.customer.clone())
        .set_project(got.project.clone())
        .set_opportunity_type(got.opportunity_type.clone())
        .set_marketing(got.marketing.clone())
        .set_software_revenue(got.software_revenue.clone())
        .set_life_cycle(got.life_cycle.clone())
}

fn ready_customer(company: &str) -> Customer {
    Customer::builder()
        .account(
            Account::builder()
                .company_name(company)
                .industry(Industry::Retail)
                .website_url("https://www.example-retail.com")
                .address(
                    Address::builder()
                        .country_code(CountryCode::Us)
                        .postal_code("98101")
                        .state_or_region("WA")
                        .city("Seattle")
                        .build(),
                )
                .build()
                .unwrap(),
        )
        .build()
}

fn ready_project(title: &str) -> Project {
    Project::builder()
        .title(title)
        .customer_business_problem(
            "The customer needs to migrate 40 servers before the lease ends.",
        )
        .expected_customer_spend(
            ExpectedCustomerSpend::builder()
                .amount("12000")
                .currency_code(CurrencyCode::Usd)
                .frequency(PaymentFrequency::Monthly)
                .target_company("AWS")
                .build()
                .unwrap(),
        )
        .build()
}

pub(crate) async fn create_ready(client: &sdk::Client, catalog: &str, stage: Stage) -> String {
    client
        .create_opportunity()
        .catalog(catalog)
        .client_token(format!("t-{}", fastrand::u64(..)))
        .customer(ready_customer("Testco Retail"))
        .project(ready_project("Testco migration"))
        .opportunity_type(sdk::types::OpportunityType::NetNewBusiness)
        .primary_needs_from_aws(PrimaryNeedFromAws::CoSellArchitecturalValidation)
        .life_cycle(
            LifeCycle::builder()
                .stage(stage)
                .target_close_date("2099-12-31")
                .build(),
        )
        .send()
        .await
        .expect("create succeeds")
        .id
}

#[tokio::test]
async fn list_opportunities_streams_every_page_with_filters_and_sort() {
    let sb = sandbox().await;
    let client = selling_client(&sb.url());
    let all: Vec<_> = client
        .list_opportunities()
        .catalog("AWS")
        .max_results(100)
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap();
    assert_eq!(all.len(), 300);
    let ids: HashSet<_> = all.iter().map(|o| o.id().unwrap().to_string()).collect();
    assert_eq!(ids.len(), 300, "no duplicates across pages");
    // Default order: most recently modified first.
    let dates: Vec<_> = all
        .iter()
        .map(|o| o.last_modified_date().unwrap().secs())
        .collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]));

    let qualified: Vec<_> = client
        .list_opportunities()
        .catalog("AWS")
        .life_cycle_stage(Stage::Qualified)
        .sort(
            OpportunitySort::builder()
                .sort_by(OpportunitySortName::CustomerCompanyName)
                .sort_order(SortOrder::Ascending)
                .build()
                .unwrap(),
        )
        .max_results(7)
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap();
    assert!(!qualified.is_empty());
    assert!(
        qualified
            .iter()
            .all(|o| o.life_cycle().unwrap().stage() == Some(&Stage::Qualified))
    );
    let names: Vec<String> = qualified
        .iter()
        .map(|o| {
            o.customer()
                .unwrap()
                .account()
                .unwrap()
                .company_name()
                .to_lowercase()
        })
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    let expected = all
        .iter()
        .filter(|o| o.life_cycle().unwrap().stage() == Some(&Stage::Qualified))
        .count();
    assert_eq!(qualified.len(), expected);

    // Sandbox and AWS hold different records.
    let sandbox_page = client
        .list_opportunities()
        .catalog("Sandbox")
        .send()
        .await
        .unwrap();
    // A default page (MaxResults 20 in the model) of the Sandbox catalog's 75 records.
    assert_eq!(sandbox_page.opportunity_summaries().len(), 20);
    assert!(
        sandbox_page
            .opportunity_summaries()
            .iter()
            .all(|o| !ids.contains(o.id().unwrap()))
    );
}

#[tokio::test]
async fn list_bounds_and_catalog_are_validated() {
    let sb = sandbox().await;
    let client = selling_client(&sb.url());
    for bad in [0, 101] {
        let err = client
            .list_opportunities()
            .catalog("AWS")
            .max_results(bad)
            .send()
            .await
            .unwrap_err()
            .into_service_error();
        let v = match err {
            sdk::operation::list_opportunities::ListOpportunitiesError::ValidationException(v) => v,
            other => panic!("expected validation, got {other:?}"),
        };
        assert_eq!(v.error_list()[0].field_name(), Some("MaxResults"));
    }
    let err = client
        .list_opportunities()
        .catalog("Production")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_validation_exception(), "{err:?}");
    assert!(
        err.meta()
            .message()
            .unwrap()
            .contains("Catalog Production not found")
    );

    let err = client
        .list_opportunities()
        .catalog("AWS")
        .next_token("not-a-token")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_validation_exception());

    let err = client
        .get_opportunity()
        .catalog("AWS")
        .identifier("O999")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_resource_not_found_exception());
}

#[tokio::test]
async fn create_is_idempotent_per_client_token() {
    let sb = sandbox().await;
    let client = selling_client(&sb.url());
    let create = || {
        client
            .create_opportunity()
            .catalog("AWS")
            .client_token("same-token")
            .customer(ready_customer("Idem Corp"))
            .partner_opportunity_identifier("IDEM-1")
    };
    let first = create().send().await.unwrap();
    let again = create().send().await.unwrap();
    assert_eq!(first.id(), again.id());
    assert_eq!(first.partner_opportunity_identifier(), Some("IDEM-1"));
    let conflict = create()
        .partner_opportunity_identifier("IDEM-2")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(conflict.is_conflict_exception(), "{conflict:?}");
    let listed = client
        .list_opportunities()
        .catalog("AWS")
        .customer_company_name("Idem Corp")
        .send()
        .await
        .unwrap();
    assert_eq!(listed.opportunity_summaries().len(), 1);
    let got = client
        .get_opportunity()
        .catalog("AWS")
        .identifier(first.id())
        .send()
        .await
        .unwrap();
    assert_eq!(
        got.life_cycle().unwrap().review_status(),
        Some(&ReviewStatus::PendingSubmission)
    );
    assert_eq!(got.life_cycle().unwrap().stage(), Some(&Stage::Prospect));
    assert_eq!(
        got.last_modified_date(),
        first.last_modified_date().unwrap()
    );

    let err = client
        .create_opportunity()
        .catalog("AWS")
        .client_token("origin")
        .origin(OpportunityOrigin::AwsReferral)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(
        err.is_validation_exception(),
        "AWS Referral is Sandbox-only"
    );
}

#[tokio::test]
async fn update_is_a_full_replacement_guarded_by_last_modified_date() {
    let sb = sandbox().await;
    let client = selling_client(&sb.url());
    let id = create_ready(&client, "AWS", Stage::Qualified).await;
    let got = client
        .get_opportunity()
        .catalog("AWS")
        .identifier(&id)
        .send()
        .await
        .unwrap();
    let updated = update_from(&client, "AWS", &got)
        .life_cycle(
            LifeCycle::builder()
                .stage(Stage::TechnicalValidation)
                .target_close_date("2099-12-31")
                .next_steps("Run the proof of concept")
                .build(),
        )
        .project(Project::builder().title("Only a title now").build())
        .send()
        .await
        .unwrap();
    assert!(updated.last_modified_date() > got.last_modified_date());
    let after = client
        .get_opportunity()
        .catalog("AWS")
        .identifier(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        after.life_cycle().unwrap().stage(),
        Some(&Stage::TechnicalValidation)
    );
    assert_eq!(
        after.project().unwrap().customer_business_problem(),
        None,
        "omitted members are cleared"
    );
    assert_eq!(after.life_cycle().unwrap().next_steps_history().len(), 1);

    // The first read is now stale.
    let stale = update_from(&client, "AWS", &got)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(stale.is_conflict_exception(), "{stale:?}");

    // Closed Lost needs a reason.
    let err = update_from(&client, "AWS", &after)
        .life_cycle(LifeCycle::builder().stage(Stage::ClosedLost).build())
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    match err {
        sdk::operation::update_opportunity::UpdateOpportunityError::ValidationException(v) => {
            assert_eq!(
                v.error_list()[0].field_name(),
                Some("LifeCycle.ClosedLostReason")
            );
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn review_status_locks_are_enforced() {
    let sb = sandbox().await;
    let client = selling_client(&sb.url());
    let id = create_ready(&client, "Sandbox", Stage::Qualified).await;
    let simulate = |status: ReviewStatus| {
        let client = client.clone();
        let id = id.clone();
        async move {
            let got = client
                .get_opportunity()
                .catalog("Sandbox")
                .identifier(&id)
                .send()
                .await
                .unwrap();
            let mut lifecycle = got.life_cycle().cloned().unwrap();
            lifecycle.review_status = Some(status);
            lifecycle.review_comments = Some("Fix the website".into());
            update_from(&client, "Sandbox", &got)
                .life_cycle(lifecycle)
                .send()
                .await
                .unwrap();
        }
    };
    // Approved: frozen fields refused, the rest editable.
    simulate(ReviewStatus::Approved).await;
    let got = client
        .get_opportunity()
        .catalog("Sandbox")
        .identifier(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        got.life_cycle().unwrap().review_status(),
        Some(&ReviewStatus::Approved)
    );
    let mut project = got.project().cloned().unwrap();
    project.title = Some("A new title".into());
    let err = update_from(&client, "Sandbox", &got)
        .project(project)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    match err {
        sdk::operation::update_opportunity::UpdateOpportunityError::ValidationException(v) => {
            assert_eq!(v.reason().as_str(), "BUSINESS_VALIDATION_FAILED");
            assert_eq!(v.error_list()[0].field_name(), Some("Project.Title"));
        }
        other => panic!("{other:?}"),
    }
    let mut lifecycle = got.life_cycle().cloned().unwrap();
    lifecycle.stage = Some(Stage::Committed);
    update_from(&client, "Sandbox", &got)
        .life_cycle(lifecycle)
        .send()
        .await
        .unwrap();

    // Action Required: only the whitelist, and an update sends it back to review.
    simulate(ReviewStatus::ActionRequired).await;
    let got = client
        .get_opportunity()
        .catalog("Sandbox")
        .identifier(&id)
        .send()
        .await
        .unwrap();
    let mut lifecycle = got.life_cycle().cloned().unwrap();
    lifecycle.stage = Some(Stage::Launched);
    let err = update_from(&client, "Sandbox", &got)
        .life_cycle(lifecycle)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_validation_exception());
    let mut lifecycle = got.life_cycle().cloned().unwrap();
    lifecycle.target_close_date = Some("2099-11-30".into());
    update_from(&client, "Sandbox", &got)
        .life_cycle(lifecycle)
        .send()
        .await
        .unwrap();
    let got = client
        .get_opportunity()
        .catalog("Sandbox")
        .identifier(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        got.life_cycle().unwrap().review_status(),
        Some(&ReviewStatus::InReview)
    );

    // In review: read-only.
    let err = update_from(&client, "Sandbox", &got)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_validation_exception());
}

#[tokio::test]
async fn submit_requires_a_ready_opportunity_then_moves_into_review() {
    let sb = sandbox().await;
    let client = selling_client(&sb.url());
    // Missing what AWS needs before a review: the business problem, spend and close date, and
    // for Co-Sell the primary needs.
    let incomplete = client
        .create_opportunity()
        .catalog("AWS")
        .client_token("incomplete")
        .customer(ready_customer("Incomplete Co"))
        .project(Project::builder().title("Not ready").build())
        .opportunity_type(sdk::types::OpportunityType::NetNewBusiness)
        .send()
        .await
        .unwrap()
        .id;
    let err = client
        .submit_opportunity()
        .catalog("AWS")
        .identifier(&incomplete)
        .involvement_type(SalesInvolvementType::CoSell)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    let sdk::operation::submit_opportunity::SubmitOpportunityError::ValidationException(refusal) =
        &err
    else {
        panic!("{err:?}")
    };
    let fields: Vec<&str> = refusal
        .error_list()
        .iter()
        .filter_map(|e| e.field_name())
        .collect();
    assert_eq!(
        fields,
        [
            "Project.CustomerBusinessProblem",
            "Project.ExpectedCustomerSpend",
            "LifeCycle.TargetCloseDate",
            "PrimaryNeedsFromAws"
        ]
    );

    let ready = create_ready(&client, "AWS", Stage::Qualified).await;
    client
        .submit_opportunity()
        .catalog("AWS")
        .identifier(&ready)
        .involvement_type(SalesInvolvementType::CoSell)
        .send()
        .await
        .unwrap();
    let got = client
        .get_opportunity()
        .catalog("AWS")
        .identifier(&ready)
        .send()
        .await
        .unwrap();
    assert_eq!(
        got.life_cycle().unwrap().review_status(),
        Some(&ReviewStatus::Submitted)
    );
    wait_until(|| {
        let client = client.clone();
        let ready = ready.clone();
        async move {
            let got = client
                .get_opportunity()
                .catalog("AWS")
                .identifier(&ready)
                .send()
                .await
                .unwrap();
            got.life_cycle().unwrap().review_status() == Some(&ReviewStatus::InReview)
        }
    })
    .await;
    let summary = client
        .get_aws_opportunity_summary()
        .catalog("AWS")
        .related_opportunity_identifier(&ready)
        .send()
        .await
        .unwrap();
    assert_eq!(
        summary.involvement_type(),
        Some(&SalesInvolvementType::CoSell)
    );
    assert_eq!(
        summary.life_cycle().unwrap().stage().unwrap().as_str(),
        "In Progress"
    );
    assert!(!summary.opportunity_team().is_empty());
}

#[tokio::test]
async fn engagement_from_opportunity_task_completes_and_is_listed() {
    let sb = sandbox().await;
    let client = selling_client(&sb.url());
    let id = create_ready(&client, "AWS", Stage::Qualified).await;
    let started = client
        .start_engagement_from_opportunity_task()
        .catalog("AWS")
        .client_token("submit-1")
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
    assert_eq!(started.task_status(), Some(&TaskStatus::InProgress));
    let task_id = started.task_id().unwrap().to_string();
    // A retried start with the same ClientToken is the same task, not a second submission.
    let retried = client
        .start_engagement_from_opportunity_task()
        .catalog("AWS")
        .client_token("submit-1")
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
    assert_eq!(retried.task_id(), Some(task_id.as_str()));
    wait_until(|| {
        let client = client.clone();
        let task_id = task_id.clone();
        async move {
            let listed = client
                .list_engagement_from_opportunity_tasks()
                .catalog("AWS")
                .task_identifier(&task_id)
                .send()
                .await
                .unwrap();
            listed
                .task_summaries()
                .first()
                .and_then(|t| t.task_status())
                == Some(&TaskStatus::Complete)
        }
    })
    .await;
    let listed = client
        .list_engagement_from_opportunity_tasks()
        .catalog("AWS")
        .opportunity_identifier(&id)
        .send()
        .await
        .unwrap();
    let task = &listed.task_summaries()[0];
    assert!(task.engagement_id().unwrap().starts_with("eng-"));
    assert!(
        task.engagement_invitation_id()
            .unwrap()
            .starts_with("engi-")
    );
    let got = client
        .get_opportunity()
        .catalog("AWS")
        .identifier(&id)
        .send()
        .await
        .unwrap();
    // Submitted by the task, then into review once the task delay has passed again.
    assert!(
        matches!(
            got.life_cycle().unwrap().review_status(),
            Some(ReviewStatus::Submitted | ReviewStatus::InReview)
        ),
        "{:?}",
        got.life_cycle().unwrap().review_status()
    );
    assert_eq!(task.opportunity_id(), Some(id.as_str()));
}

#[tokio::test]
async fn sandbox_referral_simulation_accepts_into_the_same_opportunity_id() {
    let sb = sandbox().await;
    // The task is given time to run, so a second accept can meet it in progress.
    sb.set_accept_delay(std::time::Duration::from_millis(200));
    let client = selling_client(&sb.url());
    let created = client
        .create_opportunity()
        .catalog("Sandbox")
        .client_token("fake-referral")
        .origin(OpportunityOrigin::AwsReferral)
        .customer(ready_customer("Referral Corp"))
        .project(ready_project("Referral Corp data platform"))
        .send()
        .await
        .unwrap();
    let hidden = client
        .get_opportunity()
        .catalog("Sandbox")
        .identifier(created.id())
        .send()
        .await;
    assert!(
        hidden
            .unwrap_err()
            .into_service_error()
            .is_resource_not_found_exception()
    );

    let pending = client
        .list_engagement_invitations()
        .catalog("Sandbox")
        .participant_type(ParticipantType::Receiver)
        .status(InvitationStatus::Pending)
        .max_results(100)
        .send()
        .await
        .unwrap();
    let invitation = pending
        .engagement_invitation_summaries()
        .iter()
        .find(|i| i.engagement_title() == Some("Referral Corp data platform"))
        .expect("the fake referral arrives as an invitation")
        .clone();
    let detail = client
        .get_engagement_invitation()
        .catalog("Sandbox")
        .identifier(invitation.arn().unwrap())
        .send()
        .await
        .unwrap();
    assert!(detail.payload().unwrap().is_opportunity_invitation());

    let task = client
        .start_engagement_by_accepting_invitation_task()
        .catalog("Sandbox")
        .client_token("accept-1")
        .identifier(invitation.id())
        .tags(
            Tag::builder()
                .key("source")
                .value("referral")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(task.task_status(), Some(&TaskStatus::InProgress));
    let again = client
        .start_engagement_by_accepting_invitation_task()
        .catalog("Sandbox")
        .client_token("accept-2")
        .identifier(invitation.id())
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(
        again.is_conflict_exception(),
        "a second accept while the first runs conflicts"
    );
    let task_id = task.task_id().unwrap().to_string();
    let replayed = client
        .start_engagement_by_accepting_invitation_task()
        .catalog("Sandbox")
        .client_token("accept-1")
        .identifier(invitation.id())
        .tags(
            Tag::builder()
                .key("source")
                .value("referral")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        replayed.task_id(),
        Some(task_id.as_str()),
        "the same ClientToken is the same task"
    );
    wait_until(|| {
        let client = client.clone();
        let task_id = task_id.clone();
        async move {
            let l = client
                .list_engagement_by_accepting_invitation_tasks()
                .catalog("Sandbox")
                .task_identifier(&task_id)
                .send()
                .await
                .unwrap();
            l.task_summaries()[0].task_status() == Some(&TaskStatus::Complete)
        }
    })
    .await;
    let done = client
        .list_engagement_by_accepting_invitation_tasks()
        .catalog("Sandbox")
        .engagement_invitation_identifier(invitation.id())
        .send()
        .await
        .unwrap();
    assert_eq!(
        done.task_summaries().len(),
        1,
        "one task for the invitation"
    );
    assert_eq!(
        done.task_summaries()[0].opportunity_id(),
        Some(created.id())
    );
    let opportunity = client
        .get_opportunity()
        .catalog("Sandbox")
        .identifier(created.id())
        .send()
        .await
        .unwrap();
    assert_eq!(
        opportunity
            .customer()
            .unwrap()
            .account()
            .unwrap()
            .company_name(),
        "Referral Corp"
    );
    let tags = client
        .list_tags_for_resource()
        .resource_arn(opportunity.arn().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(tags.tags()[0].key(), "source");
    let status = client
        .get_engagement_invitation()
        .catalog("Sandbox")
        .identifier(invitation.id())
        .send()
        .await
        .unwrap();
    assert_eq!(status.status(), Some(&InvitationStatus::Accepted));
}

#[tokio::test]
async fn invitations_can_be_rejected_once_and_expired_ones_not_at_all() {
    let sb = sandbox().await;
    let client = selling_client(&sb.url());
    let list = |status: InvitationStatus| {
        client
            .list_engagement_invitations()
            .catalog("AWS")
            .participant_type(ParticipantType::Receiver)
            .status(status)
            .send()
    };
    let pending = list(InvitationStatus::Pending).await.unwrap();
    let first = pending.engagement_invitation_summaries()[0]
        .id()
        .to_string();
    client
        .reject_engagement_invitation()
        .catalog("AWS")
        .identifier(&first)
        .rejection_reason("Duplicate of partner referral")
        .send()
        .await
        .unwrap();
    let got = client
        .get_engagement_invitation()
        .catalog("AWS")
        .identifier(&first)
        .send()
        .await
        .unwrap();
    assert_eq!(got.status(), Some(&InvitationStatus::Rejected));
    assert_eq!(
        got.rejection_reason(),
        Some("Duplicate of partner referral")
    );
    let twice = client
        .reject_engagement_invitation()
        .catalog("AWS")
        .identifier(&first)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(twice.is_validation_exception());

    let expired = list(InvitationStatus::Expired).await.unwrap();
    let old = expired.engagement_invitation_summaries()[0]
        .id()
        .to_string();
    let err = client
        .accept_engagement_invitation()
        .catalog("AWS")
        .identifier(&old)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.meta().message().unwrap().contains("expired"), "{err:?}");

    let second = pending.engagement_invitation_summaries()[1]
        .id()
        .to_string();
    client
        .accept_engagement_invitation()
        .catalog("AWS")
        .identifier(&second)
        .send()
        .await
        .unwrap();
    let got = client
        .get_engagement_invitation()
        .catalog("AWS")
        .identifier(&second)
        .send()
        .await
        .unwrap();
    assert_eq!(got.status(), Some(&InvitationStatus::Accepted));
    // Sorted by time left: soonest expiry last when sorting by invitation date descending.
    let dates: Vec<_> = pending
        .engagement_invitation_summaries()
        .iter()
        .map(|i| i.invitation_date().unwrap().secs())
        .collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]));
}

#[tokio::test]
async fn associations_respect_existence_status_and_caps() {
    let sb = sandbox().await;
    let client = selling_client(&sb.url());
    let id = create_ready(&client, "AWS", Stage::Qualified).await;
    let solutions = client
        .list_solutions()
        .catalog("AWS")
        .max_results(100)
        .send()
        .await
        .unwrap();
    let active = solutions
        .solution_summaries()
        .iter()
        .find(|s| s.status().as_str() == "Active")
        .unwrap()
        .id()
        .to_string();
    let inactive = solutions
        .solution_summaries()
        .iter()
        .find(|s| s.status().as_str() != "Active")
        .unwrap()
        .id()
        .to_string();
    let associate = |kind: RelatedEntityType, entity: &str| {
        client
            .associate_opportunity()
            .catalog("AWS")
            .opportunity_identifier(&id)
            .related_entity_type(kind)
            .related_entity_identifier(entity)
            .send()
    };
    associate(RelatedEntityType::Solutions, &active)
        .await
        .unwrap();
    let got = client
        .get_opportunity()
        .catalog("AWS")
        .identifier(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        got.related_entity_identifiers().unwrap().solutions(),
        std::slice::from_ref(&active)
    );
    assert!(
        associate(RelatedEntityType::Solutions, &inactive)
            .await
            .unwrap_err()
            .into_service_error()
            .is_validation_exception()
    );
    assert!(
        associate(RelatedEntityType::Solutions, "S-9999999")
            .await
            .unwrap_err()
            .into_service_error()
            .is_resource_not_found_exception()
    );
    associate(
        RelatedEntityType::AwsMarketplaceOffers,
        "arn:aws:aws-marketplace:us-east-1:123456789012:AWSMarketplace/Offer/offer-1",
    )
    .await
    .unwrap();
    let capped = associate(
        RelatedEntityType::AwsMarketplaceOffers,
        "arn:aws:aws-marketplace:us-east-1:123456789012:AWSMarketplace/Offer/offer-2",
    )
    .await;
    assert!(
        capped
            .unwrap_err()
            .into_service_error()
            .is_validation_exception()
    );
    client
        .disassociate_opportunity()
        .catalog("AWS")
        .opportunity_identifier(&id)
        .related_entity_type(RelatedEntityType::Solutions)
        .related_entity_identifier(&active)
        .send()
        .await
        .unwrap();
    let got = client
        .get_opportunity()
        .catalog("AWS")
        .identifier(&id)
        .send()
        .await
        .unwrap();
    assert!(
        got.related_entity_identifiers()
            .unwrap()
            .solutions()
            .is_empty()
    );

    let all_solutions = client
        .list_solutions()
        .catalog("AWS")
        .max_results(100)
        .send()
        .await
        .unwrap();
    let active_count = all_solutions
        .solution_summaries()
        .iter()
        .filter(|s| s.status().as_str() == "Active")
        .count();
    assert!(active_count > 0 && active_count < all_solutions.solution_summaries().len());
    let filtered = client
        .list_solutions()
        .catalog("AWS")
        .status(sdk::types::SolutionStatus::Active)
        .max_results(100)
        .send()
        .await
        .unwrap();
    assert_eq!(filtered.solution_summaries().len(), active_count);
    assert!(
        filtered
            .solution_summaries()
            .iter()
            .all(|s| s.status().as_str() == "Active")
    );
}

#[tokio::test]
async fn assign_and_tags() {
    let sb = sandbox().await;
    let client = selling_client(&sb.url());
    let id = create_ready(&client, "AWS", Stage::Qualified).await;
    client
        .assign_opportunity()
        .catalog("AWS")
        .identifier(&id)
        .assignee(
            AssigneeContact::builder()
                .email("new.owner@northwind.example.com")
                .first_name("New")
                .last_name("Owner")
                .business_title("OpportunityOwner")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let got = client
        .get_opportunity()
        .catalog("AWS")
        .identifier(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        got.opportunity_team()[0].email(),
        Some("new.owner@northwind.example.com")
    );

    let arn = got.arn().unwrap().to_string();
    client
        .tag_resource()
        .resource_arn(&arn)
        .tags(Tag::builder().key("team").value("east").build().unwrap())
        .tags(Tag::builder().key("tier").value("gold").build().unwrap())
        .send()
        .await
        .unwrap();
    client
        .untag_resource()
        .resource_arn(&arn)
        .tag_keys("tier")
        .send()
        .await
        .unwrap();
    let tags = client
        .list_tags_for_resource()
        .resource_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(tags.tags().len(), 1);
    let missing = client
        .list_tags_for_resource()
        .resource_arn(arn.replace(&id, "O1"))
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(missing.is_resource_not_found_exception());
}
