//! The Partner Central client (real SDK) against an in-process sandbox: paging, mapping, and
//! every error class mapped to its actionable message.

use cosell_core::partner::types::*;
use cosell_core::partner::{FailureKind, PartnerClient, Settings};
use cosell_sandbox::{SandboxConfig, ThrottleMode, server};

async fn client_for(url: &str, catalog: &str, attempts: u32) -> PartnerClient {
    PartnerClient::connect(&Settings {
        catalog: catalog.into(),
        endpoint_url: Some(url.to_string()),
        dummy_credentials: true,
        max_attempts: attempts,
        ..Settings::default()
    })
    .await
}

#[tokio::test]
async fn every_page_arrives_in_order() {
    let sb = server::start(SandboxConfig {
        opportunities: 250,
        ..Default::default()
    })
    .await
    .unwrap();
    let client = client_for(&sb.url(), "AWS", 3).await;
    let mut pages = Vec::new();
    let total = client
        .list_opportunities(&Default::default(), |rows| {
            pages.push(rows);
            true
        })
        .await
        .unwrap();
    assert_eq!(total, 250);
    assert_eq!(
        pages.iter().map(Vec::len).collect::<Vec<_>>(),
        vec![100, 100, 50]
    );
    let first = &pages[0][0];
    assert!(first.id.starts_with('O') && !first.customer.is_empty() && first.stage.is_some());
    assert!(
        first
            .monthly_spend
            .as_ref()
            .is_some_and(|m| m.value() > 0.0)
    );
    assert_eq!(sb.calls()["AWSPartnerCentralSelling.ListOpportunities"], 3);

    // Stopping early stops paging.
    sb.reset_calls();
    client
        .list_opportunities(&Default::default(), |_| false)
        .await
        .unwrap();
    assert_eq!(sb.calls()["AWSPartnerCentralSelling.ListOpportunities"], 1);
}

#[tokio::test]
async fn stage_and_review_filters_are_applied_by_the_api() {
    let sb = server::start(SandboxConfig {
        opportunities: 400,
        ..Default::default()
    })
    .await
    .unwrap();
    let client = client_for(&sb.url(), "AWS", 3).await;
    let mut everything = Vec::new();
    client
        .list_opportunities(&Default::default(), |rows| {
            everything.extend(rows);
            true
        })
        .await
        .unwrap();
    let query = cosell_core::partner::types::OpportunityQuery {
        stages: vec!["Qualified".into(), "Committed".into()],
        review_statuses: vec!["Approved".into()],
        ..Default::default()
    };
    let mut narrowed = Vec::new();
    sb.reset_calls();
    client
        .list_opportunities(&query, |rows| {
            narrowed.extend(rows);
            true
        })
        .await
        .unwrap();
    let expected: Vec<String> = everything
        .iter()
        .filter(|o| {
            matches!(o.stage, Some(Stage::Qualified | Stage::Committed))
                && o.review_status == Some(ReviewStatus::Approved)
        })
        .map(|o| o.id.clone())
        .collect();
    assert!(!expected.is_empty());
    let mut got: Vec<String> = narrowed.iter().map(|o| o.id.clone()).collect();
    got.sort();
    let mut expected = expected;
    expected.sort();
    assert_eq!(got, expected);
    assert_eq!(
        sb.calls()["AWSPartnerCentralSelling.ListOpportunities"],
        expected.len().div_ceil(100).max(1) as u64,
        "only the matching rows cross the wire"
    );
}

#[tokio::test]
async fn details_map_into_domain_types() {
    let sb = server::start(SandboxConfig {
        opportunities: 50,
        ..Default::default()
    })
    .await
    .unwrap();
    let client = client_for(&sb.url(), "AWS", 3).await;
    let mut first = None;
    client
        .list_opportunities(&Default::default(), |rows| {
            first = rows.into_iter().next();
            false
        })
        .await
        .unwrap();
    let summary = first.unwrap();
    let full = client.get_opportunity(&summary.id).await.unwrap();
    assert_eq!(full.summary.id, summary.id);
    assert!(full.title.is_some() && full.business_problem.is_some());
    assert!(full.owner().is_some());
    let aws = client.aws_view(&summary.id).await.unwrap();
    assert!(aws.stage.is_some());

    let mut referrals = Vec::new();
    client
        .list_referrals(|rows| {
            referrals.extend(rows);
            true
        })
        .await
        .unwrap();
    let pending = referrals
        .iter()
        .find(|r| {
            r.status == Some(InvitationStatus::Pending)
                && r.payload_type == Some(PayloadType::OpportunityInvitation)
        })
        .unwrap();
    let detail = client.get_referral(&pending.id).await.unwrap();
    assert!(
        detail.customer.is_some()
            && detail.monthly_spend.is_some()
            && !detail.sender_contacts.is_empty()
    );

    let partner = client.partner().await.unwrap();
    assert_eq!(partner.legal_name, "Northwind Cloud Partners LLC");
    assert!(partner.alliance_lead.is_some());

    let mut connections = Vec::new();
    client
        .list_connections(|rows| {
            connections.extend(rows);
            true
        })
        .await
        .unwrap();
    assert_eq!(connections.len(), 5);
    assert!(connections.iter().all(|c| c.other_name.is_some()));
    let full = client.get_connection(&connections[0].id).await.unwrap();
    assert!(full.types[0].inviter.is_some());
    let mut invitations = Vec::new();
    client
        .list_connection_invitations(|rows| {
            invitations.extend(rows);
            true
        })
        .await
        .unwrap();
    assert_eq!(invitations.len(), 9);
    let got = client
        .get_connection_invitation(&invitations[0].id)
        .await
        .unwrap();
    assert!(got.message.is_some());
    let mut solutions = Vec::new();
    client
        .list_solutions(|rows| {
            solutions.extend(rows);
            true
        })
        .await
        .unwrap();
    assert_eq!(solutions.len(), 12);
}

#[tokio::test]
async fn errors_map_to_actionable_messages() {
    let sb = server::start(SandboxConfig {
        opportunities: 10,
        ..Default::default()
    })
    .await
    .unwrap();
    let client = client_for(&sb.url(), "AWS", 1).await;
    let missing = client.get_opportunity("O1").await.unwrap_err();
    assert_eq!(missing.kind, FailureKind::NotFound);
    assert!(missing.user_message().contains("other catalog"));

    let wrong = client_for(&sb.url(), "Production", 1).await;
    let err = wrong.list_solutions(|_| true).await.unwrap_err();
    assert_eq!(err.kind, FailureKind::Validation);
    assert!(
        err.user_message().contains("--catalog AWS"),
        "{}",
        err.user_message()
    );

    let nowhere = client_for("http://127.0.0.1:9", "AWS", 1).await;
    let err = nowhere.list_solutions(|_| true).await.unwrap_err();
    assert_eq!(err.kind, FailureKind::Network);
    assert!(
        err.user_message().contains("127.0.0.1:9"),
        "{}",
        err.user_message()
    );
}

#[tokio::test]
async fn server_faults_and_throttling_are_retried_then_explained() {
    let always = server::start(SandboxConfig {
        opportunities: 10,
        fault_rate: 1.0,
        ..Default::default()
    })
    .await
    .unwrap();
    let client = client_for(&always.url(), "AWS", 2).await;
    let err = client.list_solutions(|_| true).await.unwrap_err();
    assert!(
        matches!(err.kind, FailureKind::ServerError | FailureKind::Throttled),
        "{err:?}"
    );
    assert!(err.user_message().contains("retried"));
    assert_eq!(
        always.calls()["AWSPartnerCentralSelling.ListSolutions"],
        2,
        "one retry with 2 attempts"
    );

    // With a 30% fault rate the retries carry a whole paginated load through.
    let flaky = server::start(SandboxConfig {
        opportunities: 300,
        fault_rate: 0.3,
        seed: 7,
        ..Default::default()
    })
    .await
    .unwrap();
    let client = client_for(&flaky.url(), "AWS", 6).await;
    let mut ids = std::collections::HashSet::new();
    let total = client
        .list_opportunities(&Default::default(), |rows| {
            ids.extend(rows.into_iter().map(|r| r.id));
            true
        })
        .await
        .unwrap();
    assert_eq!((total, ids.len()), (300, 300), "calls: {:?}", flaky.calls());
    assert!(
        flaky.calls()["AWSPartnerCentralSelling.ListOpportunities"] > 3,
        "some requests were retried"
    );

    let throttled = server::start(SandboxConfig {
        opportunities: 10,
        throttle: ThrottleMode::Real,
        ..Default::default()
    })
    .await
    .unwrap();
    let client = client_for(&throttled.url(), "AWS", 1).await;
    let mut kinds = Vec::new();
    for _ in 0..12 {
        if let Err(e) = client.aws_view("O4100000").await {
            kinds.push(e.kind);
        }
    }
    assert!(kinds.contains(&FailureKind::Throttled), "{kinds:?}");
}

/// A plain selling SDK client for reading a sandbox back in end-to-end tests.
pub fn selling(url: &str) -> aws_sdk_partnercentralselling::Client {
    use aws_sdk_partnercentralselling as sdk;
    let config = sdk::Config::builder()
        .behavior_version(sdk::config::BehaviorVersion::latest())
        .region(sdk::config::Region::new("us-east-1"))
        .credentials_provider(sdk::config::Credentials::new(
            "test", "test", None, None, "e2e",
        ))
        .endpoint_url(url)
        .build();
    sdk::Client::from_conf(config)
}

/// A ValidationException names its fields in the body, in each service's own shape; the client
/// reads them so a form can mark the field AWS refused.
#[tokio::test]
async fn validation_errors_name_their_fields_for_both_services() {
    let sb = server::start(SandboxConfig {
        opportunities: 10,
        ..Default::default()
    })
    .await
    .unwrap();
    let client = client_for(&sb.url(), "Sandbox", 1).await;
    let draft = cosell_core::partner::rules::OpportunityDraft {
        company: "Field Errors Inc".into(),
        country: "US".into(),
        industry: "Retail".into(),
        website: "https://fielderrors.example.com".into(),
        postal_code: "98101".into(),
        title: "Field errors".into(),
        business_problem: "A business problem long enough to pass the length rule for it.".into(),
        monthly_spend: Money {
            amount: "100".into(),
            currency: "USD".into(),
        },
        opportunity_type: "Net New Business".into(),
        target_close: "31/12/2027".into(),
        ..Default::default()
    };
    let err = client
        .create_opportunity(&draft, "field-errors-1")
        .await
        .unwrap_err();
    assert_eq!(err.kind, FailureKind::Validation);
    let fields: Vec<&str> = err.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["LifeCycle.TargetCloseDate"], "{err:?}");

    let invite = ConnectionInvite {
        receiver: "123456789012".into(),
        connection_type: ConnectionType::OpportunityCollaboration,
        name: "Pat".into(),
        email: "not an email".into(),
        message: "Hello".into(),
    };
    let err = client
        .invite_partner(&invite, "field-errors-2")
        .await
        .unwrap_err();
    assert_eq!(err.kind, FailureKind::Validation);
    let fields: Vec<&str> = err.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["Email"], "{err:?}");
}
