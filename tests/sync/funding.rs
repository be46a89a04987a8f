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
