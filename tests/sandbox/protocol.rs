//! Wire-level behaviour: bad requests, faults, quotas, timestamps and persistence.

use std::time::Duration;

use cosell_sandbox::{SandboxConfig, ThrottleMode};
use serde_json::json;

use crate::common::{raw_post, sandbox, sandbox_with, selling_client};

const LIST: &str = "AWSPartnerCentralSelling.ListOpportunities";

#[tokio::test]
async fn bad_requests_get_aws_errors_and_leave_state_intact() {
    let sb = sandbox().await;
    let addr = sb.addr();
    let (status, body) = raw_post(
        addr,
        Some("AWSPartnerCentralSelling.DeleteEverything"),
        b"{}",
    )
    .await;
    assert_eq!(
        (status, body["__type"].as_str()),
        (400, Some("UnknownOperationException"))
    );
    let (status, body) = raw_post(addr, None, b"{}").await;
    assert_eq!(
        (status, body["__type"].as_str()),
        (400, Some("UnknownOperationException"))
    );
    let (status, body) = raw_post(
        addr,
        Some("AWSPartnerCentralSelling.StartProspectingFromEngagementTask"),
        b"{}",
    )
    .await;
    assert_eq!(
        (status, body["__type"].as_str()),
        (400, Some("UnknownOperationException")),
        "model op not emulated"
    );
    let (status, body) = raw_post(addr, Some(LIST), b"{\"Catalog\": ").await;
    assert_eq!(
        (status, body["__type"].as_str()),
        (400, Some("SerializationException"))
    );
    let (status, body) = raw_post(addr, Some(LIST), b"[1,2]").await;
    assert_eq!(
        (status, body["__type"].as_str()),
        (400, Some("SerializationException"))
    );
    let (status, body) = raw_post(
        addr,
        Some(LIST),
        br#"{"Catalog": "AWS", "MaxResults": "ten"}"#,
    )
    .await;
    assert_eq!(
        (status, body["__type"].as_str()),
        (400, Some("SerializationException"))
    );
    // A member the shape lacks is ignored, as by the real service (the listing is the plain one).
    let (status, body) =
        raw_post(addr, Some(LIST), br#"{"Catalog": "AWS", "Colour": "blue"}"#).await;
    assert_eq!(status, 200, "{body}");
    let (_, plain) = raw_post(addr, Some(LIST), br#"{"Catalog": "AWS"}"#).await;
    assert_eq!(body, plain);
    let (status, body) =
        raw_post(addr, Some(LIST), br#"{"Catalog": "AWS", "MaxResults": 0}"#).await;
    assert_eq!(status, 400);
    assert_eq!(body["__type"], "ValidationException");
    assert_eq!(body["Reason"], "REQUEST_VALIDATION_FAILED");
    assert_eq!(body["ErrorList"][0]["FieldName"], "MaxResults");
    let (status, body) = raw_post(
        addr,
        Some(LIST),
        br#"{"Catalog": "AWS", "LifeCycleStage": ["Closed Won"]}"#,
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["ErrorList"][0]["Code"], "INVALID_ENUM_VALUE");
    let huge = format!(r#"{{"Catalog": "AWS", "Pad": "{}"}}"#, "x".repeat(2 << 20));
    let (status, body) = raw_post(addr, Some(LIST), huge.as_bytes()).await;
    assert_eq!(status, 413);
    assert_eq!(body["__type"], "RequestEntityTooLargeException");
    let (status, body) = raw_post(
        addr,
        Some("PartnerCentralAccount.CreateConnectionInvitation"),
        br#"{"Catalog": "AWS"}"#,
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(
        body["ErrorDetails"][0]["FieldValidationError"]["Code"],
        "REQUIRED_FIELD_MISSING"
    );

    // Still serving, same data.
    let (status, body) = raw_post(
        addr,
        Some(LIST),
        br#"{"Catalog": "AWS", "MaxResults": 100}"#,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["OpportunitySummaries"].as_array().unwrap().len(), 100);
    let stamp = body["OpportunitySummaries"][0]["LastModifiedDate"]
        .as_str()
        .unwrap();
    assert!(
        stamp.len() == 24 && stamp.ends_with('Z') && stamp.as_bytes()[19] == b'.',
        "RFC 3339 with milliseconds: {stamp}"
    );
}

#[tokio::test]
async fn tokens_are_stable_and_cli_style_timestamps_are_accepted() {
    let sb = sandbox().await;
    let addr = sb.addr();
    let request = json!({"Catalog": "AWS", "MaxResults": 10});
    let (_, a) = raw_post(addr, Some(LIST), request.to_string().as_bytes()).await;
    let (_, b) = raw_post(addr, Some(LIST), request.to_string().as_bytes()).await;
    assert_eq!(a["NextToken"], b["NextToken"]);
    let mismatched =
        json!({"Catalog": "AWS", "LifeCycleStage": ["Qualified"], "NextToken": a["NextToken"]});
    let (status, _) = raw_post(addr, Some(LIST), mismatched.to_string().as_bytes()).await;
    assert_eq!(status, 400, "a token is bound to the query that issued it");
    // The CLI sends microseconds; the instant, not the text, decides.
    let cli = json!({"Catalog": "AWS", "LastModifiedDate": {"AfterLastModifiedDate": "2000-01-01T00:00:00.000000Z"}});
    let (status, body) = raw_post(addr, Some(LIST), cli.to_string().as_bytes()).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn injected_faults_surface_as_retryable_errors() {
    let sb = sandbox_with(SandboxConfig {
        opportunities: 20,
        fault_rate: 1.0,
        ..SandboxConfig::default()
    })
    .await;
    let client = selling_client(&sb.url());
    let err = client
        .list_opportunities()
        .catalog("AWS")
        .send()
        .await
        .unwrap_err();
    let code = err
        .as_service_error()
        .and_then(|e| aws_sdk_partnercentralselling::error::ProvideErrorMetadata::code(e))
        .map(str::to_string);
    assert!(
        matches!(
            code.as_deref(),
            Some("InternalServerException") | Some("ThrottlingException")
        ),
        "{code:?}"
    );
}

#[tokio::test]
async fn real_throttling_enforces_ten_reads_per_second() {
    let sb = sandbox_with(SandboxConfig {
        opportunities: 20,
        throttle: ThrottleMode::Real,
        ..SandboxConfig::default()
    })
    .await;
    let client = selling_client(&sb.url());
    let mut throttled = 0;
    let started = std::time::Instant::now();
    for _ in 0..15 {
        if let Err(e) = client.list_opportunities().catalog("AWS").send().await {
            assert!(e.into_service_error().is_throttling_exception());
            throttled += 1;
        }
    }
    // A burst of one second's quota (10), plus what 10/s refills while the loop runs.
    let allowed = 15 - throttled;
    let refilled = (started.elapsed().as_secs_f64() * 10.0).floor() as usize;
    assert!(
        (10..=10 + refilled).contains(&allowed),
        "15 quick reads against 10/s over {:?}: {allowed} allowed",
        started.elapsed()
    );
    tokio::time::sleep(Duration::from_millis(1100)).await;
    client
        .list_opportunities()
        .catalog("AWS")
        .send()
        .await
        .expect("quota refills");
}

#[tokio::test]
async fn state_file_survives_a_restart() {
    let dir = std::env::temp_dir().join(format!("cosell-state-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("sandbox.json");
    let _ = std::fs::remove_file(&path);
    let config = SandboxConfig {
        opportunities: 50,
        state_file: Some(path.clone()),
        ..SandboxConfig::default()
    };
    let first = sandbox_with(config.clone()).await;
    let client = selling_client(&first.url());
    let created = client
        .create_opportunity()
        .catalog("AWS")
        .client_token("persist")
        .partner_opportunity_identifier("PERSIST-1")
        .send()
        .await
        .unwrap();
    first.shutdown().await.unwrap();
    let second = sandbox_with(config).await;
    let client = selling_client(&second.url());
    let got = client
        .get_opportunity()
        .catalog("AWS")
        .identifier(created.id())
        .send()
        .await
        .unwrap();
    assert_eq!(got.partner_opportunity_identifier(), Some("PERSIST-1"));
    let listed = client
        .list_opportunities()
        .catalog("AWS")
        .max_results(100)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.opportunity_summaries().len(), 51);
    // The restarted sandbox still knows the ClientToken: a retried create replays the first
    // answer instead of creating a second record.
    let again = client
        .create_opportunity()
        .catalog("AWS")
        .client_token("persist")
        .partner_opportunity_identifier("PERSIST-1")
        .send()
        .await
        .unwrap();
    assert_eq!(again.id(), created.id());
    let listed = client
        .list_opportunities()
        .catalog("AWS")
        .max_results(100)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.opportunity_summaries().len(), 51);
    second.shutdown().await.unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
}
