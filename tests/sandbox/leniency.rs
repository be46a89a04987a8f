//! The sandbox accepts what the real service accepts (issue 10): members the input shape does
//! not have, explicit `null`s and the `POST /<Operation>` form that raw-HTTP clients send, Prospect
//! submissions, and answers shaped as the real service writes them. Each test names the request a
//! real client sends; raw HTTP where no SDK can express it.

use aws_sdk_partnercentralselling as sdk;
use cosell_sandbox::model;
use sdk::types::{
    AwsSubmission, InvitationStatus, ParticipantType, ReviewStatus, SalesInvolvementType, Stage,
    TaskStatus,
};
use serde_json::{Value, json};

use crate::common::{raw_request, sandbox, selling_client, wait_until};
use crate::selling::create_ready;

const JSON_1_0: &str = "application/x-amz-json-1.0";

async fn call(sb: &cosell_sandbox::RunningSandbox, operation: &str, body: Value) -> (u16, Value) {
    raw_request(
        sb.addr(),
        "/",
        JSON_1_0,
        Some(&format!("AWSPartnerCentralSelling.{operation}")),
        body.to_string().as_bytes(),
    )
    .await
}

/// Every path in `value` that holds a JSON null.
fn null_paths(value: &Value, path: &str, out: &mut Vec<String>) {
    match value {
        Value::Null => out.push(path.to_string()),
        Value::Object(map) => map
            .iter()
            .for_each(|(k, v)| null_paths(v, &format!("{path}.{k}"), out)),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .for_each(|(i, v)| null_paths(v, &format!("{path}[{i}]"), out)),
        _ => {}
    }
}

#[tokio::test]
async fn a_get_opportunity_answer_sent_back_as_an_update_is_accepted() {
    let sb = sandbox().await;
    let client = selling_client(&sb.url());
    let id = create_ready(&client, "Sandbox", Stage::Qualified).await;
    let (status, got) = call(
        &sb,
        "GetOpportunity",
        json!({"Catalog": "Sandbox", "Identifier": id}),
    )
    .await;
    assert_eq!(status, 200, "{got}");
    for member in ["Arn", "CreatedDate", "RelatedEntityIdentifiers", "Id"] {
        assert!(got.get(member).is_some(), "the answer carries {member}");
    }
    // AWS's own sample sends the read record back, changed, with Identifier beside Id.
    let mut update = got.clone();
    update["Identifier"] = json!(id);
    update["OpportunityTeam"] =
        json!([{"Email": "owner@example.com", "FirstName": "O", "LastName": "Wner"}]);
    update["Project"]["Title"] = json!("Retitled through an echoed record");
    let (status, answer) = call(&sb, "UpdateOpportunity", update).await;
    assert_eq!(status, 200, "{answer}");
    let (_, after) = call(
        &sb,
        "GetOpportunity",
        json!({"Catalog": "Sandbox", "Identifier": id}),
    )
    .await;
    assert_eq!(
        after["Project"]["Title"],
        "Retitled through an echoed record"
    );
    assert_eq!(
        after["Arn"], got["Arn"],
        "unknown members are ignored, not stored"
    );
    assert_eq!(after["CreatedDate"], got["CreatedDate"]);
}

#[tokio::test]
async fn create_and_submit_accept_members_their_shapes_lack() {
    let sb = sandbox().await;
    let (status, created) = call(
        &sb,
        "CreateOpportunity",
        json!({
            "Catalog": "Sandbox",
            "ClientToken": "extra-members-1",
            "Colour": "blue",
            "Customer": {"Account": {"CompanyName": "Extra Members Ltd", "Nickname": "EML",
                "Industry": "Retail", "WebsiteUrl": "https://eml.example.com",
                "Address": {"CountryCode": "GB", "PostalCode": "SW1A 1AA"}}},
            "Project": {"Title": "Extra members", "CustomerBusinessProblem": "The customer needs one stock view for forty shops.",
                "ExpectedCustomerSpend": [{"Amount": "1000", "CurrencyCode": "GBP", "Frequency": "Monthly", "TargetCompany": "AWS"}]},
            "OpportunityType": "Net New Business",
            "LifeCycle": {"Stage": "Qualified", "TargetCloseDate": "2099-01-31"}
        }),
    )
    .await;
    assert_eq!(status, 200, "{created}");
    let id = created["Id"].as_str().unwrap().to_string();
    let (status, submitted) = call(
        &sb,
        "SubmitOpportunity",
        json!({"Catalog": "Sandbox", "Identifier": id, "InvolvementType": "For Visibility Only",
               "ClientToken": "not-a-member-of-submit"}),
    )
    .await;
    assert_eq!(status, 200, "{submitted}");
    let (_, got) = call(
        &sb,
        "GetOpportunity",
        json!({"Catalog": "Sandbox", "Identifier": id}),
    )
    .await;
    assert_eq!(got["LifeCycle"]["ReviewStatus"], "Submitted");
    assert!(got["Customer"]["Account"].get("Nickname").is_none());
    // The stray ClientToken is not a ClientToken of SubmitOpportunity: it replays nothing and
    // conflicts with nothing; a second submit is refused for the record's state, as AWS does.
    let (status, again) = call(
        &sb,
        "SubmitOpportunity",
        json!({"Catalog": "Sandbox", "Identifier": id, "InvolvementType": "For Visibility Only",
               "ClientToken": "not-a-member-of-submit"}),
    )
    .await;
    assert_eq!(status, 400, "{again}");
    assert_eq!(again["ErrorList"][0]["Code"], "INVALID_RESOURCE_STATE");
}

#[tokio::test]
async fn an_explicit_null_is_an_absent_member() {
    let sb = sandbox().await;
    let client = selling_client(&sb.url());
    let id = create_ready(&client, "AWS", Stage::Qualified).await;
    let (_, got) = call(
        &sb,
        "GetOpportunity",
        json!({"Catalog": "AWS", "Identifier": id}),
    )
    .await;
    let history_before = got["LifeCycle"]["NextStepsHistory"]
        .as_array()
        .map_or(0, Vec::len);
    let mut update = json!({
        "Catalog": "AWS",
        "Identifier": id,
        "LastModifiedDate": got["LastModifiedDate"],
        "Customer": got["Customer"],
        "Project": got["Project"],
        "OpportunityType": got["OpportunityType"],
        "PrimaryNeedsFromAws": got["PrimaryNeedsFromAws"],
        "PartnerOpportunityIdentifier": null,
        "Marketing": null,
        "LifeCycle": {"Stage": "Technical Validation", "TargetCloseDate": got["LifeCycle"]["TargetCloseDate"],
                      "NextSteps": null, "ClosedLostReason": null}
    });
    update["Customer"]["Account"]["Duns"] = Value::Null;
    let (status, answer) = call(&sb, "UpdateOpportunity", update).await;
    assert_eq!(status, 200, "{answer}");
    let (_, after) = call(
        &sb,
        "GetOpportunity",
        json!({"Catalog": "AWS", "Identifier": id}),
    )
    .await;
    assert_eq!(after["LifeCycle"]["Stage"], "Technical Validation");
    assert_eq!(
        after["LifeCycle"]["NextStepsHistory"]
            .as_array()
            .map_or(0, Vec::len),
        history_before,
        "a null NextSteps is no next step"
    );
    let mut nulls = Vec::new();
    null_paths(&after, "", &mut nulls);
    assert_eq!(nulls, Vec::<String>::new(), "no null is stored or echoed");
}

#[tokio::test]
async fn post_to_the_operation_path_routes_like_the_target_header() {
    let sb = sandbox().await;
    let client = selling_client(&sb.url());
    let id = create_ready(&client, "AWS", Stage::Qualified).await;
    let body = json!({"Catalog": "AWS", "Identifier": id}).to_string();
    let (status, by_path) = raw_request(
        sb.addr(),
        "/GetOpportunity",
        "application/json",
        None,
        body.as_bytes(),
    )
    .await;
    assert_eq!(status, 200, "{by_path}");
    let (_, by_header) = call(
        &sb,
        "GetOpportunity",
        json!({"Catalog": "AWS", "Identifier": id}),
    )
    .await;
    assert_eq!(by_path, by_header);

    let (status, connections) = raw_request(
        sb.addr(),
        "/ListConnections",
        "application/json",
        None,
        br#"{"Catalog": "AWS"}"#,
    )
    .await;
    assert_eq!(status, 200, "{connections}");
    assert!(
        connections["ConnectionSummaries"].is_array(),
        "answered by the account API"
    );

    let (status, unknown) = raw_request(
        sb.addr(),
        "/DeleteEverything",
        "application/json",
        None,
        b"{}",
    )
    .await;
    assert_eq!(
        (status, unknown["__type"].as_str()),
        (400, Some("UnknownOperationException"))
    );
    let calls = sb.calls();
    assert_eq!(
        calls.get("AWSPartnerCentralSelling.GetOpportunity"),
        Some(&2)
    );
    assert_eq!(calls.get("PartnerCentralAccount.ListConnections"), Some(&1));
}

async fn pending_referral(client: &sdk::Client) -> String {
    client
        .list_engagement_invitations()
        .catalog("AWS")
        .participant_type(ParticipantType::Receiver)
        .status(InvitationStatus::Pending)
        .payload_type(sdk::types::EngagementInvitationPayloadType::OpportunityInvitation)
        .send()
        .await
        .unwrap()
        .engagement_invitation_summaries()[0]
        .id()
        .to_string()
}

#[tokio::test]
async fn accepting_a_referral_answers_complete_with_the_opportunity() {
    let sb = sandbox().await;
    let client = selling_client(&sb.url());
    let invitation = pending_referral(&client).await;
    let task = client
        .start_engagement_by_accepting_invitation_task()
        .catalog("AWS")
        .identifier(&invitation)
        .client_token("accept-at-once")
        .send()
        .await
        .unwrap();
    assert_eq!(task.task_status(), Some(&TaskStatus::Complete));
    let opportunity = task
        .opportunity_id()
        .expect("the answer names the opportunity");
    let got = client
        .get_opportunity()
        .catalog("AWS")
        .identifier(opportunity)
        .send()
        .await
        .unwrap();
    assert_eq!(got.id(), opportunity);

    // With a delay configured the answer is the task as of the request: in progress, no id yet;
    // the list call later shows it finished with the id.
    sb.set_accept_delay(std::time::Duration::from_millis(150));
    let invitation = pending_referral(&client).await;
    let task = client
        .start_engagement_by_accepting_invitation_task()
        .catalog("AWS")
        .identifier(&invitation)
        .client_token("accept-later")
        .send()
        .await
        .unwrap();
    assert_eq!(task.task_status(), Some(&TaskStatus::InProgress));
    assert_eq!(task.opportunity_id(), None);
    let task_id = task.task_id().unwrap().to_string();
    wait_until(|| {
        let client = client.clone();
        let task_id = task_id.clone();
        async move {
            let listed = client
                .list_engagement_by_accepting_invitation_tasks()
                .catalog("AWS")
                .task_identifier(task_id)
                .send()
                .await
                .unwrap();
            let task = &listed.task_summaries()[0];
            task.task_status() == Some(&TaskStatus::Complete) && task.opportunity_id().is_some()
        }
    })
    .await;
}

#[tokio::test]
async fn a_prospect_submits_by_task_and_by_submit_opportunity() {
    let sb = sandbox().await;
    let client = selling_client(&sb.url());
    let by_task = create_ready(&client, "AWS", Stage::Prospect).await;
    let started = client
        .start_engagement_from_opportunity_task()
        .catalog("AWS")
        .identifier(&by_task)
        .client_token("prospect-task")
        .aws_submission(
            AwsSubmission::builder()
                .involvement_type(SalesInvolvementType::CoSell)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let task_id = started.task_id().unwrap().to_string();
    wait_until(|| {
        let client = client.clone();
        let task_id = task_id.clone();
        async move {
            let listed = client
                .list_engagement_from_opportunity_tasks()
                .catalog("AWS")
                .task_identifier(task_id)
                .send()
                .await
                .unwrap();
            listed.task_summaries()[0].task_status() == Some(&TaskStatus::Complete)
        }
    })
    .await;
    let by_submit = create_ready(&client, "AWS", Stage::Prospect).await;
    client
        .submit_opportunity()
        .catalog("AWS")
        .identifier(&by_submit)
        .involvement_type(SalesInvolvementType::CoSell)
        .send()
        .await
        .unwrap();
    for id in [by_task, by_submit] {
        let got = client
            .get_opportunity()
            .catalog("AWS")
            .identifier(&id)
            .send()
            .await
            .unwrap();
        let lifecycle = got.life_cycle().unwrap();
        assert_eq!(lifecycle.stage(), Some(&Stage::Prospect));
        assert!(
            matches!(
                lifecycle.review_status(),
                Some(ReviewStatus::Submitted | ReviewStatus::InReview)
            ),
            "{id}: {:?}",
            lifecycle.review_status()
        );
    }
}

#[tokio::test]
async fn answers_have_the_shapes_the_real_service_writes() {
    let sb = sandbox().await;
    let client = selling_client(&sb.url());
    let id = create_ready(&client, "AWS", Stage::Qualified).await;
    let selling = model::selling();

    let (_, got) = call(
        &sb,
        "GetOpportunity",
        json!({"Catalog": "AWS", "Identifier": id}),
    )
    .await;
    let related = got["RelatedEntityIdentifiers"].as_object().unwrap();
    for kind in [
        "AwsMarketplaceOffers",
        "AwsMarketplaceOfferSets",
        "Solutions",
        "AwsProducts",
    ] {
        assert_eq!(
            related.get(kind),
            Some(&json!([])),
            "{kind} is listed, empty"
        );
    }
    assert_eq!(selling.validate_output("GetOpportunity", &got), vec![]);
    let (_, view) = call(
        &sb,
        "GetAwsOpportunitySummary",
        json!({"Catalog": "AWS", "RelatedOpportunityIdentifier": id}),
    )
    .await;
    assert_eq!(
        view["RelatedEntityIds"],
        json!({"Solutions": [], "AwsProducts": []})
    );
    assert_eq!(
        selling.validate_output("GetAwsOpportunitySummary", &view),
        vec![]
    );

    let arn = got["Arn"].as_str().unwrap();
    let (status, tags) = call(&sb, "ListTagsForResource", json!({"ResourceArn": arn})).await;
    assert_eq!(status, 200);
    // The model makes Tags required *and* at least one long, which no untagged resource can
    // meet; the member is left out rather than sent as `[]`.
    let problems = selling.validate_output("ListTagsForResource", &tags);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].field, "Tags");
    assert!(
        tags.get("Tags").is_none(),
        "no `Tags: []`, which breaks the list's minimum of one"
    );
    let listed = client
        .list_tags_for_resource()
        .resource_arn(arn)
        .send()
        .await
        .unwrap();
    assert!(
        listed.tags().is_empty(),
        "the SDK reads the absent member as no tags"
    );

    let invitation = pending_referral(&client).await;
    let (_, referral) = call(
        &sb,
        "GetEngagementInvitation",
        json!({"Catalog": "AWS", "Identifier": invitation}),
    )
    .await;
    assert_eq!(referral["SenderCompanyName"], "AWS");
    assert_eq!(referral["SenderAwsAccountId"], "aws");
    assert_eq!(
        referral["Arn"],
        format!("arn:aws:partnercentral:us-east-1::catalog/AWS/engagement-invitation/{invitation}")
    );
    assert_eq!(
        selling.validate_output("GetEngagementInvitation", &referral),
        vec![]
    );
}
