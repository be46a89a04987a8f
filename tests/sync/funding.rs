//! `cosell benefits` and `cosell channel` with the real binary against a sandbox: a benefit
//! applied for from an opportunity, submitted and approved with its allocation; a handshake
//! answered.

use super::{run_async, temp_dir};

fn text(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn json(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(out)))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_benefit_is_applied_for_from_an_opportunity_submitted_and_approved() {
    let sb = cosell_sandbox::server::start(cosell_sandbox::SandboxConfig {
        opportunities: 30,
        task_delay_ms: 300,
        ..Default::default()
    })
    .await
    .unwrap();
    let url = sb.url();
    let dir = temp_dir("benefits");
    let listed = json(&run_async(&dir, &url, &["benefits", "list", "--output", "json"]).await);
    let benefit = listed["BenefitSummaries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["Programs"][0] == "POC")
        .unwrap()["Id"]
        .as_str()
        .unwrap()
        .to_string();
    let opportunities =
        json(&run_async(&dir, &url, &["opportunities", "list", "--output", "json"]).await);
    let opportunity = opportunities["OpportunitySummaries"][0]["Id"]
        .as_str()
        .unwrap()
        .to_string();

    let applied = run_async(
        &dir,
        &url,
        &[
            "benefits",
            "apply",
            &benefit,
            "--opportunity",
            &opportunity,
            "--amount",
            "15000",
        ],
    )
    .await;
    assert_eq!(applied.status.code(), Some(0), "{}", text(&applied));
    let id = json(&applied)["Id"].as_str().unwrap().to_string();
    let again = run_async(
        &dir,
        &url,
        &[
            "benefits",
            "apply",
            &benefit,
            "--opportunity",
            &opportunity,
            "--amount",
            "15000",
        ],
    )
    .await;
    assert_eq!(
        json(&again)["Id"],
        id.as_str(),
        "the same application, not a second"
    );

    let submitted = run_async(&dir, &url, &["benefits", "submit", &id]).await;
    assert_eq!(submitted.status.code(), Some(0), "{}", text(&submitted));
    let mut status = String::new();
    for _ in 0..50 {
        let mine = json(
            &run_async(
                &dir,
                &url,
                &[
                    "benefits",
                    "applications",
                    "--opportunity",
                    &opportunity,
                    "--output",
                    "json",
                ],
            )
            .await,
        );
        let row = mine["BenefitApplicationSummaries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["Id"] == id.as_str())
            .cloned()
            .expect("listed for its opportunity");
        status = row["Status"].as_str().unwrap().to_string();
        if status != "IN_REVIEW" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        status, "APPROVED",
        "an application with its opportunity is approved"
    );
    let allocations =
        json(&run_async(&dir, &url, &["benefits", "allocations", "--output", "json"]).await);
    assert!(
        allocations["BenefitAllocationSummaries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["BenefitApplicationId"] == id.as_str()),
        "{allocations}"
    );
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_received_handshake_is_accepted_and_a_sent_one_cannot_be() {
    let sb = cosell_sandbox::server::start(cosell_sandbox::SandboxConfig {
        opportunities: 10,
        ..Default::default()
    })
    .await
    .unwrap();
    let url = sb.url();
    let dir = temp_dir("channel");
    let received =
        json(&run_async(&dir, &url, &["channel", "handshakes", "--output", "json"]).await);
    let items = received["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{received}");
    let id = items[0]["id"].as_str().unwrap().to_string();
    let accepted = run_async(&dir, &url, &["channel", "accept", &id]).await;
    assert_eq!(accepted.status.code(), Some(0), "{}", text(&accepted));
    assert_eq!(json(&accepted)["status"], "ACCEPTED");

    let sent = json(
        &run_async(
            &dir,
            &url,
            &["channel", "handshakes", "--sent", "--output", "json"],
        )
        .await,
    );
    let mine = sent["items"][0]["id"].as_str().unwrap().to_string();
    let refused = run_async(&dir, &url, &["channel", "accept", &mine]).await;
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused));
    assert!(text(&refused).contains("receiver"), "{}", text(&refused));
    std::fs::remove_dir_all(dir).ok();
}

async fn sandbox(opportunities: usize) -> cosell_sandbox::server::RunningSandbox {
    cosell_sandbox::server::start(cosell_sandbox::SandboxConfig {
        opportunities,
        task_delay_ms: 200,
        ..Default::default()
    })
    .await
    .unwrap()
}

/// Applies for the first POC benefit for the first opportunity; answers the application's id.
async fn apply(dir: &std::path::Path, url: &str, amount: &str) -> String {
    let listed = json(&run_async(dir, url, &["benefits", "list", "--output", "json"]).await);
    let benefit = listed["BenefitSummaries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["Programs"][0] == "POC")
        .unwrap()["Id"]
        .as_str()
        .unwrap()
        .to_string();
    let opportunities =
        json(&run_async(dir, url, &["opportunities", "list", "--output", "json"]).await);
    let opportunity = opportunities["OpportunitySummaries"][0]["Id"]
        .as_str()
        .unwrap()
        .to_string();
    let applied = run_async(
        dir,
        url,
        &[
            "benefits",
            "apply",
            &benefit,
            "--opportunity",
            &opportunity,
            "--amount",
            amount,
        ],
    )
    .await;
    assert_eq!(applied.status.code(), Some(0), "{}", text(&applied));
    json(&applied)["Id"].as_str().unwrap().to_string()
}

async fn get(dir: &std::path::Path, url: &str, id: &str) -> serde_json::Value {
    json(&run_async(dir, url, &["benefits", "get", id, "--output", "json"]).await)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_application_is_edited_recalled_amended_and_canceled_from_a_script() {
    let sb = sandbox(10).await;
    let url = sb.url();
    let dir = temp_dir("benefit-changes");
    let id = apply(&dir, &url, "15000").await;
    let read = get(&dir, &url, &id).await;
    assert_eq!(read["Status"], "PENDING_SUBMISSION");
    let first = read["Revision"].as_str().unwrap().to_string();

    let updated = run_async(
        &dir,
        &url,
        &[
            "benefits",
            "update",
            &id,
            "--amount",
            "20000",
            "--revision",
            &first,
        ],
    )
    .await;
    assert_eq!(updated.status.code(), Some(0), "{}", text(&updated));
    let read = get(&dir, &url, &id).await;
    assert_eq!(
        read["BenefitApplicationDetails"]["RequestedAmount"],
        "20000"
    );
    assert_ne!(read["Revision"], first.as_str());
    // The revision read before that update is stale now: refused, exit 6, nothing changed.
    let stale = run_async(
        &dir,
        &url,
        &[
            "benefits",
            "update",
            &id,
            "--name",
            "Renamed",
            "--revision",
            &first,
        ],
    )
    .await;
    assert_eq!(stale.status.code(), Some(6), "{}", text(&stale));
    assert!(text(&stale).contains("revision"), "{}", text(&stale));
    assert_ne!(get(&dir, &url, &id).await["Name"], "Renamed");

    let submitted = run_async(&dir, &url, &["benefits", "submit", &id]).await;
    assert_eq!(submitted.status.code(), Some(0), "{}", text(&submitted));
    let recalled = run_async(
        &dir,
        &url,
        &["benefits", "recall", &id, "--reason", "wrong amount"],
    )
    .await;
    assert_eq!(recalled.status.code(), Some(0), "{}", text(&recalled));
    assert_eq!(get(&dir, &url, &id).await["Status"], "PENDING_SUBMISSION");

    run_async(&dir, &url, &["benefits", "submit", &id]).await;
    let mut status = String::new();
    for _ in 0..50 {
        status = get(&dir, &url, &id).await["Status"]
            .as_str()
            .unwrap()
            .to_string();
        if status != "IN_REVIEW" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(status, "APPROVED");
    let amended = run_async(
        &dir,
        &url,
        &[
            "benefits",
            "amend",
            &id,
            "--amount",
            "25000",
            "--reason",
            "scope grew",
        ],
    )
    .await;
    assert_eq!(amended.status.code(), Some(0), "{}", text(&amended));
    assert_eq!(
        get(&dir, &url, &id).await["BenefitApplicationDetails"]["RequestedAmount"],
        "25000"
    );
    // An approved application is not canceled: the service refuses, the script hears why.
    let refused = run_async(&dir, &url, &["benefits", "cancel", &id]).await;
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused));
    assert!(text(&refused).contains("APPROVED"), "{}", text(&refused));

    let bad = run_async(&dir, &url, &["benefits", "update", &id, "--amount", "lots"]).await;
    assert_eq!(bad.status.code(), Some(2), "{}", text(&bad));
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_draft_is_canceled_for_good() {
    let sb = sandbox(10).await;
    let url = sb.url();
    let dir = temp_dir("benefit-cancel");
    let id = apply(&dir, &url, "5000").await;
    let canceled = run_async(
        &dir,
        &url,
        &["benefits", "cancel", &id, "--reason", "duplicate"],
    )
    .await;
    assert_eq!(canceled.status.code(), Some(0), "{}", text(&canceled));
    assert_eq!(get(&dir, &url, &id).await["Status"], "CANCELED");
    let again = run_async(&dir, &url, &["benefits", "submit", &id]).await;
    assert_eq!(again.status.code(), Some(1), "{}", text(&again));
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relationship_is_created_and_its_service_period_handshake_sent() {
    let sb = sandbox(10).await;
    let url = sb.url();
    let dir = temp_dir("channel-writes");
    let accounts = json(&run_async(&dir, &url, &["channel", "accounts", "--output", "json"]).await);
    let account = accounts["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["status"] == "ACTIVE")
        .expect("an active program management account")["id"]
        .as_str()
        .unwrap()
        .to_string();
    let args = |account_id: &'static str| {
        vec![
            "channel".to_string(),
            "create-relationship".into(),
            "--program-account".into(),
            account.clone(),
            "--type".into(),
            "END_CUSTOMER".into(),
            "--account-id".into(),
            account_id.into(),
            "--name".into(),
            "Contoso Labs".into(),
        ]
    };
    let bad: Vec<String> = args("1234");
    let bad = run_async(
        &dir,
        &url,
        &bad.iter().map(String::as_str).collect::<Vec<_>>(),
    )
    .await;
    assert_eq!(bad.status.code(), Some(2), "{}", text(&bad));
    let good = args("555566667777");
    let created = run_async(
        &dir,
        &url,
        &good.iter().map(String::as_str).collect::<Vec<_>>(),
    )
    .await;
    assert_eq!(created.status.code(), Some(0), "{}", text(&created));
    let relationship = json(&created)["id"].as_str().unwrap().to_string();
    let listed = json(
        &run_async(
            &dir,
            &url,
            &["channel", "relationships", "--output", "json"],
        )
        .await,
    );
    let row = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == relationship.as_str())
        .cloned()
        .expect("the new relationship is listed");
    assert_eq!(row["displayName"], "Contoso Labs");
    assert_eq!(row["programManagementAccountId"], account.as_str());

    let sent = run_async(
        &dir,
        &url,
        &[
            "channel",
            "send-handshake",
            "--type",
            "START_SERVICE_PERIOD",
            "--for",
            &relationship,
            "--note",
            "from the script",
        ],
    )
    .await;
    assert_eq!(sent.status.code(), Some(0), "{}", text(&sent));
    let handshake = json(&sent)["id"].as_str().unwrap().to_string();
    let out = json(
        &run_async(
            &dir,
            &url,
            &["channel", "handshakes", "--sent", "--output", "json"],
        )
        .await,
    );
    let mine = out["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"] == handshake.as_str())
        .cloned()
        .expect("listed among those sent");
    assert_eq!(
        (mine["handshakeType"].as_str(), mine["status"].as_str()),
        (Some("START_SERVICE_PERIOD"), Some("PENDING"))
    );
    assert_eq!(mine["associatedResourceId"], relationship.as_str());
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_the_lists_are_the_last_syncs_and_the_report_counts_funding() {
    let sb = sandbox(20).await;
    let url = sb.url();
    let dir = temp_dir("funding-offline");
    let never = run_async(
        &dir,
        &url,
        &["--offline", "benefits", "applications", "--output", "json"],
    )
    .await;
    assert_eq!(never.status.code(), Some(5), "{}", text(&never));
    let synced = run_async(&dir, &url, &["sync"]).await;
    assert_eq!(synced.status.code(), Some(0), "{}", text(&synced));
    for (args, key) in [
        (
            vec!["benefits", "applications"],
            "BenefitApplicationSummaries",
        ),
        (
            vec!["benefits", "allocations"],
            "BenefitAllocationSummaries",
        ),
        (vec!["benefits", "list"], "BenefitSummaries"),
        (vec!["channel", "handshakes"], "items"),
        (vec!["channel", "handshakes", "--sent"], "items"),
        (vec!["channel", "relationships"], "items"),
        (vec!["channel", "accounts"], "items"),
    ] {
        let mut live_args = args.clone();
        live_args.extend(["--output", "json"]);
        let live = json(&run_async(&dir, &url, &live_args).await);
        let mut offline_args = vec!["--offline"];
        offline_args.extend(live_args.iter().copied());
        let offline = json(&run_async(&dir, &url, &offline_args).await);
        let ids = |v: &serde_json::Value| {
            let mut ids: Vec<String> = v[key]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x["Id"].as_str().or(x["id"].as_str()).unwrap().to_string())
                .collect();
            ids.sort();
            ids
        };
        assert!(!ids(&live).is_empty(), "{args:?}: the demo data has some");
        assert_eq!(ids(&offline), ids(&live), "{args:?}");
    }
    // The report's funding by stage, from the same cache: every approved application's amount
    // counted once, at its opportunity's stage.
    let report = json(
        &run_async(
            &dir,
            &url,
            &["--offline", "report", "pipeline", "--output", "json"],
        )
        .await,
    );
    let approved: f64 = report["by_stage"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["funding"]["approved"].as_f64().unwrap())
        .sum();
    let applications = json(
        &run_async(
            &dir,
            &url,
            &["--offline", "benefits", "applications", "--output", "json"],
        )
        .await,
    );
    let opportunities = json(
        &run_async(
            &dir,
            &url,
            &["--offline", "opportunities", "list", "--output", "json"],
        )
        .await,
    );
    let known: Vec<&str> = opportunities["OpportunitySummaries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["Id"].as_str().unwrap())
        .collect();
    let expected: f64 = applications["BenefitApplicationSummaries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["Status"] == "APPROVED")
        .filter(|a| {
            a["AssociatedResources"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| {
                    known
                        .iter()
                        .any(|k| r.as_str().unwrap().ends_with(&format!("/opportunity/{k}")))
                })
        })
        .map(|a| {
            a["RequestedAmount"]
                .as_str()
                .unwrap_or("0")
                .parse::<f64>()
                .unwrap()
        })
        .sum();
    assert!(expected > 0.0, "the demo has an approved application");
    assert_eq!(approved, expected);
    std::fs::remove_dir_all(dir).ok();
}
