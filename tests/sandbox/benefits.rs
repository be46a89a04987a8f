//! Benefits through the real `aws-sdk-partnercentralbenefits` client: the catalogue, an
//! application's life (created, submitted, sent back, associated with its opportunity, approved
//! with an allocation), recall, cancel, amend, the Revision lock and the tag trio.

use aws_sdk_partnercentralbenefits as sdk;
use aws_smithy_types::Document;
use sdk::types::{BenefitApplicationStatus, FulfillmentType};

use crate::common::{benefits_client, sandbox, selling_client, wait_until};

fn details(amount: &str) -> Document {
    Document::Object(
        [
            (
                "RequestedAmount".to_string(),
                Document::String(amount.into()),
            ),
            (
                "Justification".to_string(),
                Document::String("A first workload".into()),
            ),
        ]
        .into_iter()
        .collect(),
    )
}

async fn status(client: &sdk::Client, id: &str) -> (BenefitApplicationStatus, String) {
    let got = client
        .get_benefit_application()
        .catalog("AWS")
        .identifier(id)
        .send()
        .await
        .unwrap();
    (
        got.status().unwrap().clone(),
        got.revision().unwrap().to_string(),
    )
}

#[tokio::test]
async fn the_catalogue_lists_by_program_and_fulfilment_and_an_unknown_benefit_is_not_found() {
    let sb = sandbox().await;
    let client = benefits_client(&sb.url());
    let all = client.list_benefits().catalog("AWS").send().await.unwrap();
    assert_eq!(all.benefit_summaries().len(), 8);
    let credits = client
        .list_benefits()
        .catalog("AWS")
        .fulfillment_types(FulfillmentType::Credits)
        .status(sdk::types::BenefitStatus::Active)
        .send()
        .await
        .unwrap();
    assert!(!credits.benefit_summaries().is_empty());
    for b in credits.benefit_summaries() {
        assert!(b.fulfillment_types().contains(&FulfillmentType::Credits));
        assert_eq!(b.status(), Some(&sdk::types::BenefitStatus::Active));
    }
    let one = client
        .get_benefit()
        .catalog("AWS")
        .identifier(credits.benefit_summaries()[0].id().unwrap())
        .send()
        .await
        .unwrap();
    assert!(one.benefit_request_schema().is_some());
    let missing = client
        .get_benefit()
        .catalog("AWS")
        .identifier("ben-00000000000000")
        .send()
        .await
        .unwrap_err();
    assert!(
        missing
            .as_service_error()
            .unwrap()
            .is_resource_not_found_exception()
    );
}

#[tokio::test]
async fn an_application_is_sent_back_without_its_opportunity_and_approved_with_it() {
    let sb = sandbox().await;
    let client = benefits_client(&sb.url());
    let selling = selling_client(&sb.url());
    let benefit = client
        .list_benefits()
        .catalog("AWS")
        .programs("POC")
        .send()
        .await
        .unwrap()
        .benefit_summaries()[0]
        .id()
        .unwrap()
        .to_string();
    let created = client
        .create_benefit_application()
        .catalog("AWS")
        .client_token("apply-1")
        .benefit_identifier(&benefit)
        .name("POC credits for Acme")
        .fulfillment_types(FulfillmentType::Credits)
        .benefit_application_details(details("12000"))
        .send()
        .await
        .unwrap();
    let id = created.id().unwrap().to_string();
    assert_eq!(created.revision(), Some("1"));

    // A stale Revision is a conflict; the current one applies and moves it on.
    let stale = client
        .update_benefit_application()
        .catalog("AWS")
        .client_token("update-1")
        .identifier(&id)
        .revision("0")
        .description("stale")
        .send()
        .await
        .unwrap_err();
    assert!(stale.as_service_error().unwrap().is_conflict_exception());
    let updated = client
        .update_benefit_application()
        .catalog("AWS")
        .client_token("update-2")
        .identifier(&id)
        .revision("1")
        .description("For the customer's proof of concept")
        .send()
        .await
        .unwrap();
    assert_eq!(updated.revision(), Some("2"));

    // Submitted without the opportunity it is for: AWS sends it back, saying so.
    client
        .submit_benefit_application()
        .catalog("AWS")
        .identifier(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        status(&client, &id).await.0,
        BenefitApplicationStatus::InReview
    );
    let not_now = client
        .update_benefit_application()
        .catalog("AWS")
        .client_token("update-3")
        .identifier(&id)
        .revision(status(&client, &id).await.1)
        .description("while in review")
        .send()
        .await
        .unwrap_err();
    assert!(
        not_now.as_service_error().unwrap().is_conflict_exception(),
        "no edits in review"
    );
    wait_until(|| {
        let client = client.clone();
        let id = id.clone();
        async move { status(&client, &id).await.0 == BenefitApplicationStatus::ActionRequired }
    })
    .await;
    let sent_back = client
        .get_benefit_application()
        .catalog("AWS")
        .identifier(&id)
        .send()
        .await
        .unwrap();
    assert!(
        sent_back
            .status_reason()
            .unwrap()
            .contains("Associate the opportunity")
    );

    let opportunity = selling
        .list_opportunities()
        .catalog("AWS")
        .max_results(1)
        .send()
        .await
        .unwrap()
        .opportunity_summaries()[0]
        .arn()
        .unwrap()
        .to_string();
    client
        .associate_benefit_application_resource()
        .catalog("AWS")
        .benefit_application_identifier(&id)
        .resource_arn(&opportunity)
        .send()
        .await
        .unwrap();
    client
        .submit_benefit_application()
        .catalog("AWS")
        .identifier(&id)
        .send()
        .await
        .unwrap();
    wait_until(|| {
        let client = client.clone();
        let id = id.clone();
        async move { status(&client, &id).await.0 == BenefitApplicationStatus::Approved }
    })
    .await;
    let for_it = client
        .list_benefit_applications()
        .catalog("AWS")
        .associated_resource_arns(&opportunity)
        .status(BenefitApplicationStatus::Approved)
        .send()
        .await
        .unwrap();
    assert!(
        for_it
            .benefit_application_summaries()
            .iter()
            .any(|a| a.id() == Some(id.as_str()))
    );
    let allocations = client
        .list_benefit_allocations()
        .catalog("AWS")
        .benefit_application_identifiers(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(allocations.benefit_allocation_summaries().len(), 1);
    let allocation = client
        .get_benefit_allocation()
        .catalog("AWS")
        .identifier(allocations.benefit_allocation_summaries()[0].id().unwrap())
        .send()
        .await
        .unwrap();
    let credit = allocation
        .fulfillment_detail()
        .and_then(|d| d.as_credit_details().ok())
        .expect("credits, as applied for");
    assert_eq!(credit.allocated_amount().map(|m| m.amount()), Some("12000"));

    // Approved: amended (revision control), but no longer canceled.
    let revision = status(&client, &id).await.1;
    client
        .amend_benefit_application()
        .catalog("AWS")
        .client_token("amend-1")
        .identifier(&id)
        .revision(&revision)
        .amendment_reason("The customer doubled the scope")
        .amendments(
            sdk::types::Amendment::builder()
                .field_path("BenefitApplicationDetails.RequestedAmount")
                .new_value("24000")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    assert_ne!(status(&client, &id).await.1, revision);
    let final_state = client
        .cancel_benefit_application()
        .catalog("AWS")
        .client_token("cancel-1")
        .identifier(&id)
        .send()
        .await
        .unwrap_err();
    assert!(
        final_state
            .as_service_error()
            .unwrap()
            .is_conflict_exception()
    );
}

#[tokio::test]
async fn an_application_is_recalled_from_review_canceled_and_tagged() {
    let sb = sandbox().await;
    let client = benefits_client(&sb.url());
    let benefit = client
        .list_benefits()
        .catalog("AWS")
        .programs("MDF")
        .send()
        .await
        .unwrap()
        .benefit_summaries()[0]
        .id()
        .unwrap()
        .to_string();
    let created = client
        .create_benefit_application()
        .catalog("AWS")
        .client_token("apply-2")
        .benefit_identifier(&benefit)
        .name("Summit booth")
        .send()
        .await
        .unwrap();
    let id = created.id().unwrap().to_string();
    let arn = created.arn().unwrap().to_string();
    client
        .submit_benefit_application()
        .catalog("AWS")
        .identifier(&id)
        .send()
        .await
        .unwrap();
    client
        .recall_benefit_application()
        .catalog("AWS")
        .identifier(&id)
        .reason("Budget moved to next quarter")
        .send()
        .await
        .unwrap();
    assert_eq!(
        status(&client, &id).await.0,
        BenefitApplicationStatus::PendingSubmission
    );
    client
        .tag_resource()
        .resource_arn(&arn)
        .tags(
            sdk::types::Tag::builder()
                .key("team")
                .value("east")
                .build()
                .unwrap(),
        )
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
    client
        .untag_resource()
        .resource_arn(&arn)
        .tag_keys("team")
        .send()
        .await
        .unwrap();
    assert!(
        client
            .list_tags_for_resource()
            .resource_arn(&arn)
            .send()
            .await
            .unwrap()
            .tags()
            .is_empty()
    );
    client
        .cancel_benefit_application()
        .catalog("AWS")
        .client_token("cancel-2")
        .identifier(&id)
        .reason("Not needed")
        .send()
        .await
        .unwrap();
    assert_eq!(
        status(&client, &id).await.0,
        BenefitApplicationStatus::Canceled
    );
    let again = client
        .submit_benefit_application()
        .catalog("AWS")
        .identifier(&id)
        .send()
        .await
        .unwrap_err();
    assert!(again.as_service_error().unwrap().is_conflict_exception());
}
