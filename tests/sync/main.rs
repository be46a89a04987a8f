//! The cache, incremental sync, the dated export, the pipeline report and the headless binary,
//! against sandboxes.

mod cli;
mod funding;
mod leads;
mod reliability;
mod update;

use std::process::Command;

use aws_sdk_partnercentralselling as sdk;
use cosell_core::partner::{PartnerClient, Settings};
use cosell_core::store::{Cache, sync};
use cosell_sandbox::{RunningSandbox, SandboxConfig, server};

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "cosell-sync-{name}-{}-{}",
        std::process::id(),
        fastrand::u32(..)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn sandbox_with(opportunities: usize) -> RunningSandbox {
    server::start(SandboxConfig {
        opportunities,
        ..Default::default()
    })
    .await
    .unwrap()
}

async fn client(sb: &RunningSandbox) -> PartnerClient {
    PartnerClient::connect(&Settings {
        endpoint_url: Some(sb.url()),
        dummy_credentials: true,
        max_attempts: 3,
        ..Settings::default()
    })
    .await
}

fn sdk_client(url: &str) -> sdk::Client {
    let config = sdk::Config::builder()
        .behavior_version(sdk::config::BehaviorVersion::latest())
        .region(sdk::config::Region::new("us-east-1"))
        .credentials_provider(sdk::config::Credentials::new("t", "t", None, None, "tests"))
        .endpoint_url(url)
        .build();
    sdk::Client::from_conf(config)
}

const NOW: i64 = 1_795_694_400_000;

#[tokio::test]
async fn an_incremental_sync_reads_exactly_what_changed() {
    let sb = sandbox_with(250).await;
    let dir = temp_dir("incremental");
    let mut cache = Cache::open(&dir.join("c.sqlite")).unwrap();
    let client = client(&sb).await;
    let first = sync::sync(&client, &mut cache, false, NOW, |_| {})
        .await
        .unwrap();
    assert_eq!((first.new, first.full_records), (250, 250));
    assert_eq!(cache.opportunities().unwrap().len(), 250);
    let is_shared = |o: &cosell_core::partner::types::OpportunitySummary| {
        o.review_status
            .as_ref()
            .map(|r| r.as_str())
            .unwrap_or("Pending Submission")
            != "Pending Submission"
    };
    let shared = cache
        .opportunities()
        .unwrap()
        .iter()
        .filter(|o| is_shared(o))
        .count();
    assert!(shared > 0 && shared < 250);
    assert_eq!(
        first.aws_views, shared,
        "AWS's view of every record shared with AWS"
    );
    let some_shared = cache
        .opportunities()
        .unwrap()
        .into_iter()
        .find(|o| is_shared(o))
        .unwrap();
    assert!(cache.aws_view(&some_shared.id).unwrap().is_some());

    // Change two opportunities and create one through the SDK, as another tool would. The two
    // are records whose review status lets them change (not Submitted, In review or Rejected).
    let api = sdk_client(&sb.url());
    let page = api
        .list_opportunities()
        .catalog("AWS")
        .max_results(100)
        .send()
        .await
        .unwrap();
    let editable: Vec<String> = page
        .opportunity_summaries()
        .iter()
        .skip(1)
        .filter(|o| {
            !matches!(
                o.life_cycle()
                    .and_then(|l| l.review_status())
                    .map(|r| r.as_str()),
                Some("Submitted" | "In review" | "Rejected")
            )
        })
        .take(2)
        .map(|o| o.id().unwrap().to_string())
        .collect();
    assert_eq!(editable.len(), 2, "the demo data has editable records");
    let mut updated = Vec::new();
    for id in &editable {
        let got = api
            .get_opportunity()
            .catalog("AWS")
            .identifier(id)
            .send()
            .await
            .unwrap();
        let mut lifecycle = got.life_cycle().cloned().unwrap();
        lifecycle.review_status = None;
        lifecycle.next_steps = Some("Changed elsewhere".into());
        api.update_opportunity()
            .catalog("AWS")
            .identifier(got.id())
            .last_modified_date(*got.last_modified_date())
            .set_customer(got.customer.clone())
            .set_project(got.project.clone())
            .set_opportunity_type(got.opportunity_type.clone())
            .set_primary_needs_from_aws(got.primary_needs_from_aws.clone())
            .set_partner_opportunity_identifier(got.partner_opportunity_identifier.clone())
            .set_national_security(got.national_security.clone())
            .set_marketing(got.marketing.clone())
            .set_software_revenue(got.software_revenue.clone())
            .life_cycle(lifecycle)
            .send()
            .await
            .unwrap();
        updated.push(got.id().to_string());
    }
    let changed_count = updated.len();
    api.create_opportunity()
        .catalog("AWS")
        .client_token("sync-new")
        .customer(
            sdk::types::Customer::builder()
                .account(
                    sdk::types::Account::builder()
                        .company_name("Fresh Co")
                        .build()
                        .unwrap(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap();

    sb.reset_calls();
    let second = sync::sync(&client, &mut cache, false, NOW, |_| {})
        .await
        .unwrap();
    assert_eq!((second.new, second.changed), (1, 2), "{second:?}");
    assert_eq!(
        second.unchanged, 1,
        "only the boundary record (modified at the stored mark) comes back: {second:?}"
    );
    let calls = sb.calls();
    assert_eq!(
        calls["AWSPartnerCentralSelling.ListOpportunities"], 1,
        "one page holds all changes"
    );
    assert_eq!(
        calls["AWSPartnerCentralSelling.GetOpportunity"] as usize,
        1 + changed_count,
        "full records only for what changed"
    );
    let updated_and_shared = cache
        .opportunities()
        .unwrap()
        .iter()
        .filter(|o| updated.contains(&o.id) && is_shared(o))
        .count();
    assert_eq!(
        calls
            .get("AWSPartnerCentralSelling.GetAwsOpportunitySummary")
            .copied()
            .unwrap_or(0) as usize,
        updated_and_shared,
        "AWS views only for changed records shared with AWS"
    );
    assert_eq!(second.aws_views, updated_and_shared);
    assert_eq!(cache.opportunities().unwrap().len(), 251);
    assert!(cache.stale_full_records().unwrap().is_empty());
    assert!(cache.stale_aws_views().unwrap().is_empty());
    assert_eq!(cache.snapshot_count().unwrap(), 2);

    sb.reset_calls();
    let full = sync::sync(&client, &mut cache, true, NOW, |_| {})
        .await
        .unwrap();
    assert_eq!((full.new, full.changed, full.unchanged), (0, 0, 251));
    let shared_now = cache
        .opportunities()
        .unwrap()
        .iter()
        .filter(|o| is_shared(o))
        .count();
    assert_eq!(
        (full.full_records, full.aws_views),
        (251, shared_now),
        "--full re-reads every record and every shared record's AWS view"
    );
    assert_eq!(
        sb.calls()["AWSPartnerCentralSelling.ListOpportunities"],
        3,
        "--full pages through all 251"
    );
    std::fs::remove_dir_all(dir).ok();
}

/// A bare HTTP/1.1 POST, for reading the sandbox's own JSON without an SDK in between.
fn post(url: &str, target: &str, body: &str) -> serde_json::Value {
    use std::io::{Read, Write};
    let addr = url.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "POST / HTTP/1.1\r\nHost: {addr}\r\nX-Amz-Target: {target}\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    serde_json::from_str(response.split("\r\n\r\n").nth(1).unwrap()).unwrap()
}

fn raw_list(url: &str) -> serde_json::Value {
    // The sandbox's own JSON, fetched page by page with the CLI's wire format.
    let mut all = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut body = serde_json::json!({"Catalog": "AWS", "MaxResults": 100});
        if let Some(t) = &token {
            body["NextToken"] = serde_json::json!(t);
        }
        let page = post(
            url,
            "AWSPartnerCentralSelling.ListOpportunities",
            &body.to_string(),
        );
        all.extend(
            page["OpportunitySummaries"]
                .as_array()
                .unwrap()
                .iter()
                .cloned(),
        );
        match page["NextToken"].as_str() {
            Some(t) => token = Some(t.to_string()),
            None => break,
        }
    }
    serde_json::json!({"OpportunitySummaries": all})
}

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_cosell")
}

/// The binary with its folders under `dir`, test credentials and no endpoint.
fn command_without_endpoint(dir: &std::path::Path) -> Command {
    let mut command = Command::new(bin());
    command
        .env("XDG_CACHE_HOME", dir.join("cache"))
        .env("XDG_STATE_HOME", dir.join("state"))
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("COSELL_CONFIG", "")
        .env("AWS_ACCESS_KEY_ID", "t")
        .env("AWS_SECRET_ACCESS_KEY", "t")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env_remove("RUST_BACKTRACE");
    command
}

/// The same, pointed at `url`.
fn command(dir: &std::path::Path, url: &str) -> Command {
    let mut command = command_without_endpoint(dir);
    command.args(["--endpoint-url", url]);
    command
}

fn run(dir: &std::path::Path, url: &str, args: &[&str]) -> std::process::Output {
    command(dir, url).args(args).output().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dated_export_has_the_apis_field_paths_and_the_report_its_numbers() {
    let sb = sandbox_with(230).await;
    let url = sb.url();
    let dir = temp_dir("export");
    let out = run(
        &dir,
        &url,
        &["sync", "--out", dir.join("export").to_str().unwrap()],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("230 new"));
    let day = std::fs::read_dir(dir.join("export"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let exported: serde_json::Value =
        serde_json::from_slice(&std::fs::read(day.join("opportunities.json")).unwrap()).unwrap();
    let api = tokio::task::spawn_blocking({
        let url = url.clone();
        move || raw_list(&url)
    })
    .await
    .unwrap();
    let by_id = |v: &serde_json::Value| -> std::collections::BTreeMap<String, serde_json::Value> {
        v["OpportunitySummaries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| (o["Id"].as_str().unwrap().to_string(), o.clone()))
            .collect()
    };
    let (ours, theirs) = (by_id(&exported), by_id(&api));
    assert_eq!(ours.len(), theirs.len());
    for (id, api_row) in &theirs {
        let row = &ours[id];
        for path in [
            "/LifeCycle/Stage",
            "/LifeCycle/ReviewStatus",
            "/LifeCycle/TargetCloseDate",
            "/Customer/Account/CompanyName",
            "/Customer/Account/Address/CountryCode",
            "/Project/ExpectedCustomerSpend/0/Amount",
            "/Project/ExpectedCustomerSpend/0/CurrencyCode",
            "/LastModifiedDate",
            "/Catalog",
        ] {
            assert_eq!(row.pointer(path), api_row.pointer(path), "{id} {path}");
        }
    }
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(day.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["opportunity_count"], 230);
    let referrals: serde_json::Value =
        serde_json::from_slice(&std::fs::read(day.join("referrals.json")).unwrap()).unwrap();
    assert!(referrals["EngagementInvitationSummaries"][0]["Status"].is_string());

    // The pipeline report, checked against a computation straight from the API's JSON.
    let out = run(
        &dir,
        &url,
        &["--offline", "report", "pipeline", "--output", "json"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = api["OpportunitySummaries"].as_array().unwrap();
    assert_eq!(rows.len(), 230);
    // The report lists exactly the stages the records are in, and counts every record once.
    let mut expected_stages: Vec<&str> = rows
        .iter()
        .map(|o| o["LifeCycle"]["Stage"].as_str().unwrap())
        .collect();
    expected_stages.sort();
    expected_stages.dedup();
    let by_stage = report["by_stage"].as_array().unwrap();
    let mut reported_stages: Vec<&str> = by_stage
        .iter()
        .map(|l| l["stage"].as_str().unwrap())
        .collect();
    reported_stages.sort();
    assert_eq!(reported_stages, expected_stages);
    assert_eq!(
        by_stage
            .iter()
            .map(|l| l["count"].as_u64().unwrap())
            .sum::<u64>(),
        230
    );
    for line in by_stage {
        let stage = line["stage"].as_str().unwrap();
        let mine: Vec<&serde_json::Value> = rows
            .iter()
            .filter(|o| o["LifeCycle"]["Stage"] == stage)
            .collect();
        assert_eq!(
            line["count"].as_u64().unwrap() as usize,
            mine.len(),
            "{stage}"
        );
        let usd: f64 = mine
            .iter()
            .filter(|o| o["Project"]["ExpectedCustomerSpend"][0]["CurrencyCode"] == "USD")
            .map(|o| {
                o["Project"]["ExpectedCustomerSpend"][0]["Amount"]
                    .as_str()
                    .unwrap()
                    .parse::<f64>()
                    .unwrap()
            })
            .sum();
        let reported = line["monthly_spend"]["USD"].as_f64().unwrap_or(0.0);
        assert!(
            (reported - usd).abs() < 0.01,
            "{stage}: {reported} vs {usd}"
        );
    }
    let action_required = rows
        .iter()
        .filter(|o| o["LifeCycle"]["ReviewStatus"] == "Action Required")
        .count();
    assert_eq!(
        report["action_required"].as_array().unwrap().len(),
        action_required
    );

    // `opportunities get` carries AWS's side of a shared record, read by the sync.
    let shared = rows
        .iter()
        .find(|o| {
            o["LifeCycle"]["ReviewStatus"] != "Pending Submission"
                && o["LifeCycle"]["ReviewStatus"].is_string()
        })
        .unwrap()["Id"]
        .as_str()
        .unwrap()
        .to_string();
    let unshared = rows
        .iter()
        .find(|o| o["LifeCycle"]["ReviewStatus"] == "Pending Submission")
        .unwrap()["Id"]
        .as_str()
        .unwrap()
        .to_string();
    let aws = tokio::task::spawn_blocking({
        let (url, shared) = (url.clone(), shared.clone());
        move || {
            post(
                &url,
                "AWSPartnerCentralSelling.GetAwsOpportunitySummary",
                &format!(r#"{{"Catalog":"AWS","RelatedOpportunityIdentifier":"{shared}"}}"#),
            )
        }
    })
    .await
    .unwrap();
    let out = run(&dir, &url, &["--offline", "opportunities", "get", &shared]);
    let got: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(got["Id"], shared.as_str());
    let view = &got["AwsOpportunitySummary"];
    for path in [
        "/LifeCycle/Stage",
        "/InvolvementType",
        "/Visibility",
        "/Origin",
        "/RelatedOpportunityId",
    ] {
        assert_eq!(view.pointer(path), aws.pointer(path), "{path}");
    }
    let out = run(
        &dir,
        &url,
        &["--offline", "opportunities", "get", &unshared],
    );
    let got: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(got["Id"], unshared.as_str());
    assert!(got.get("AwsOpportunitySummary").is_none(), "{got}");

    // CSV exports carry the CRM's own field names.
    let out = run(
        &dir,
        &url,
        &["--offline", "export", "crm", "--mapping", "hubspot"],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("aws_opportunity_id,dealname,dealstage,amount"));
    assert_eq!(text.lines().count(), 231);
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn referrals_due_soon_exit_3_for_cron_alerts() {
    let sb = sandbox_with(20).await;
    let dir = temp_dir("due");
    let url = sb.url();
    let due = run_async(&dir, &url, &["referrals", "list", "--due-within", "48h"]).await;
    assert_eq!(
        due.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&due.stderr)
    );
    assert!(String::from_utf8_lossy(&due.stdout).contains("PENDING"));
    // The same as a Slack message, for `| curl -d @- $SLACK_WEBHOOK`.
    let slack = run_async(
        &dir,
        &url,
        &[
            "--offline",
            "referrals",
            "list",
            "--due-within",
            "48h",
            "--output",
            "slack",
        ],
    )
    .await;
    assert_eq!(slack.status.code(), Some(3));
    let message: serde_json::Value = serde_json::from_slice(&slack.stdout).unwrap();
    let text = message["text"].as_str().unwrap();
    assert!(
        text.contains("AWS referral(s) expire within 48h") && text.contains("```\nid "),
        "{text}"
    );
    assert_eq!(
        text.matches("PENDING").count(),
        String::from_utf8_lossy(&due.stdout)
            .matches("PENDING")
            .count()
    );
    // The partner profile was read with that first refresh; the next run the same day skips it.
    assert!(
        sb.calls()
            .contains_key("PartnerCentralAccount.ListPartners")
    );
    sb.reset_calls();
    let again = run_async(&dir, &url, &["referrals", "list"]).await;
    assert!(again.status.success());
    let calls = sb.calls();
    assert!(
        calls.contains_key("AWSPartnerCentralSelling.ListOpportunities")
            && !calls
                .keys()
                .any(|op| op.ends_with(".ListPartners") || op.ends_with(".GetPartner")),
        "{calls:?}"
    );
    let later = run_async(
        &dir,
        &url,
        &["--offline", "referrals", "list", "--due-within", "1m"],
    )
    .await;
    assert_eq!(later.status.code(), Some(0));
    std::fs::remove_dir_all(dir).ok();
}

/// Runs the binary off the async threads (the sandbox serves on them).
async fn run_async(dir: &std::path::Path, url: &str, args: &[&str]) -> std::process::Output {
    let (dir, url) = (dir.to_path_buf(), url.to_string());
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        run(&dir, &url, &args)
    })
    .await
    .unwrap()
}

fn json_rows(out: &std::process::Output) -> Vec<serde_json::Value> {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice::<serde_json::Value>(&out.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rule_based_accepts_plan_first_hold_duplicates_and_accept_with_yes() {
    let sb = server::start(SandboxConfig {
        opportunities: 20,
        task_delay_ms: 200,
        ..Default::default()
    })
    .await
    .unwrap();
    let dir = temp_dir("accept");
    let url = sb.url();

    // Rules are required, and nothing is sent without --yes.
    let bare = run_async(&dir, &url, &["referrals", "accept"]).await;
    assert_eq!(
        bare.status.code(),
        Some(2),
        "a missing rule is a usage error"
    );
    assert!(String::from_utf8_lossy(&bare.stderr).contains("no rule given"));
    sb.reset_calls();
    let plan = json_rows(
        &run_async(
            &dir,
            &url,
            &["referrals", "accept", "--all", "--output", "json"],
        )
        .await,
    );
    assert!(
        !sb.calls()
            .contains_key("AWSPartnerCentralSelling.StartEngagementByAcceptingInvitationTask")
    );
    let first = plan
        .iter()
        .find(|r| r["result"] == "would accept")
        .expect("some pending referral can be accepted")
        .clone();
    let industry = first["industry"].as_str().unwrap().to_string();

    // Another tool records the first referral's customer as an opportunity: it is now held.
    let api = sdk_client(&url);
    api.create_opportunity()
        .catalog("AWS")
        .client_token("accept-dup")
        .customer(
            sdk::types::Customer::builder()
                .account(
                    sdk::types::Account::builder()
                        .company_name(first["customer"].as_str().unwrap())
                        .build()
                        .unwrap(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap();
    let same_industry = |rows: &[serde_json::Value]| -> Vec<serde_json::Value> {
        rows.iter()
            .filter(|r| r["industry"] == industry.as_str())
            .cloned()
            .collect()
    };
    let plan = json_rows(
        &run_async(
            &dir,
            &url,
            &[
                "referrals",
                "accept",
                "--industry",
                &industry.to_uppercase(),
                "--output",
                "json",
            ],
        )
        .await,
    );
    assert_eq!(plan, same_industry(&plan), "only that industry is chosen");
    let held = plan.iter().find(|r| r["id"] == first["id"]).unwrap();
    assert_eq!(held["result"], "held", "{held}");
    let expected: Vec<String> = plan
        .iter()
        .filter(|r| r["result"] == "would accept")
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    assert!(
        !expected.is_empty(),
        "the demo data has another in {industry}"
    );

    // Read-only refuses before anything is sent.
    let refused = run_async(
        &dir,
        &url,
        &["--readonly", "referrals", "accept", "--all", "--yes"],
    )
    .await;
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("read-only"));

    sb.reset_calls();
    let done = json_rows(
        &run_async(
            &dir,
            &url,
            &[
                "referrals",
                "accept",
                "--industry",
                &industry,
                "--yes",
                "--output",
                "json",
            ],
        )
        .await,
    );
    let accepted: Vec<&serde_json::Value> =
        done.iter().filter(|r| r["result"] == "accepted").collect();
    assert_eq!(
        accepted
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_string())
            .collect::<Vec<_>>(),
        expected
    );
    assert_eq!(
        sb.calls()["AWSPartnerCentralSelling.StartEngagementByAcceptingInvitationTask"] as usize,
        expected.len(),
        "one accept per chosen referral"
    );
    for row in &accepted {
        let invitation = api
            .get_engagement_invitation()
            .catalog("AWS")
            .identifier(row["id"].as_str().unwrap())
            .send()
            .await
            .unwrap();
        assert_eq!(invitation.status().unwrap().as_str(), "ACCEPTED");
        if row["type"] == "OpportunityInvitation" {
            let opportunity = row["opportunity"].as_str().expect("an opportunity");
            api.get_opportunity()
                .catalog("AWS")
                .identifier(opportunity)
                .send()
                .await
                .unwrap();
        }
    }
    let still = api
        .get_engagement_invitation()
        .catalog("AWS")
        .identifier(first["id"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(still.status().unwrap().as_str(), "PENDING", "held back");

    // The cache saw the answers: a second run finds nothing left to accept in that industry.
    let again = json_rows(
        &run_async(
            &dir,
            &url,
            &[
                "--offline",
                "referrals",
                "accept",
                "--industry",
                &industry,
                "--output",
                "json",
            ],
        )
        .await,
    );
    // What was held is still pending and held; everything accepted is gone from the inbox.
    let held_before: Vec<&str> = plan
        .iter()
        .filter(|r| r["result"] == "held")
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    let again_rows: Vec<(&str, &str)> = again
        .iter()
        .map(|r| (r["id"].as_str().unwrap(), r["result"].as_str().unwrap()))
        .collect();
    assert_eq!(
        again_rows,
        held_before
            .iter()
            .map(|id| (*id, "held"))
            .collect::<Vec<_>>()
    );
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn a_killed_sync_leaves_a_consistent_cache_and_the_next_one_completes() {
    let dir = temp_dir("killed");
    let mut sandbox = Command::new(bin())
        .args([
            "sandbox",
            "--bind",
            "127.0.0.1:0",
            "--opportunities",
            "400",
            "--latency-ms",
            "40",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::fs::File::create(dir.join("sandbox.log")).unwrap())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(sandbox.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    let url = line
        .trim()
        .strip_prefix("cosell sandbox listening on ")
        .unwrap()
        .to_string();
    // The sandbox logs one line per request; this counts the full-record reads so far.
    let full_reads = || {
        std::fs::read_to_string(dir.join("sandbox.log"))
            .unwrap()
            .lines()
            .filter(|l| l.contains("200 AWSPartnerCentralSelling.GetOpportunity "))
            .count()
    };

    let mut first = Command::new(bin())
        .env("XDG_CACHE_HOME", dir.join("cache"))
        .env("XDG_STATE_HOME", dir.join("state"))
        .env("COSELL_CONFIG", "")
        .env("AWS_ACCESS_KEY_ID", "t")
        .env("AWS_SECRET_ACCESS_KEY", "t")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .args(["--endpoint-url", &url, "sync"])
        .spawn()
        .unwrap();
    // Kill it once the summaries are stored and full records are being read (400 reads of 40 ms,
    // 8 at a time: about 2 s of that phase), whatever the machine's speed.
    let cache_dir = dir.join("cache").join("cosell");
    let started = std::time::Instant::now();
    loop {
        let stored = std::fs::read_dir(&cache_dir)
            .ok()
            .and_then(|entries| {
                entries
                    .filter_map(|e| e.ok())
                    .map(|e| e.path())
                    .find(|p| p.extension().is_some_and(|x| x == "sqlite"))
            })
            .and_then(|path| Cache::open(&path).ok())
            .and_then(|cache| cache.opportunities().ok())
            .is_some_and(|rows| !rows.is_empty());
        if stored || started.elapsed() > std::time::Duration::from_secs(20) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    first.kill().unwrap();
    first.wait().unwrap();

    let cache_file = std::fs::read_dir(dir.join("cache").join("cosell"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "sqlite"))
        .expect("the cache file exists");
    let partial = Cache::open(&cache_file).unwrap();
    let stored = partial.opportunities().unwrap();
    let stale = partial.stale_full_records().unwrap();
    assert!(!stored.is_empty(), "the summaries were committed");
    assert!(
        !stale.is_empty() || stored.len() < 400,
        "the kill came mid-way"
    );
    assert!(
        partial.meta(sync::SINCE_KEY).unwrap().is_none(),
        "the resume mark is only written when a sync step completes"
    );
    drop(partial);

    // Requests the killed sync left in flight finish on the sandbox after the kill; a probe
    // sent now is logged after them (the same latency applies to each), so once it shows,
    // the count below holds only the first sync's reads.
    post(
        &url,
        "AWSPartnerCentralSelling.ListSolutions",
        r#"{"Catalog":"AWS"}"#,
    );
    while !std::fs::read_to_string(dir.join("sandbox.log"))
        .unwrap()
        .contains("200 AWSPartnerCentralSelling.ListSolutions ")
    {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let reads_before = full_reads();
    let second = run(&dir, &url, &["sync"]);
    assert!(
        second.status.success(),
        "{}",
        String::from_utf8_lossy(&second.stderr)
    );
    let cache = Cache::open(&cache_file).unwrap();
    assert_eq!(cache.opportunities().unwrap().len(), 400);
    assert!(
        cache.stale_full_records().unwrap().is_empty(),
        "the next sync read every missing full record"
    );
    // The resumed sync read only the full records the killed one had not stored.
    let missing_after_kill = stale.len() + (400 - stored.len());
    assert_eq!(full_reads() - reads_before, missing_after_kill);
    let _ = sandbox.kill();
    let _ = sandbox.wait();
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_solution_is_linked_to_the_opportunities_its_rules_choose() {
    let sb = sandbox_with(120).await;
    let dir = temp_dir("link");
    let url = sb.url();
    let listed = run_async(&dir, &url, &["solutions", "list", "--output", "json"]).await;
    assert!(listed.status.success());
    let solutions: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    let id_with = |status: &str| {
        solutions["SolutionSummaries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["Status"] == status)
            .unwrap()["Id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (active, inactive) = (id_with("Active"), id_with("Inactive"));

    let bare = run_async(&dir, &url, &["--offline", "solutions", "link", &active]).await;
    assert_eq!(
        bare.status.code(),
        Some(2),
        "a missing rule is a usage error"
    );
    assert!(String::from_utf8_lossy(&bare.stderr).contains("no rule given"));
    let refused = run_async(
        &dir,
        &url,
        &["--offline", "solutions", "link", &inactive, "--all"],
    )
    .await;
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("only Active solutions"));

    let rules = ["--title-matches", "data|analytics", "--output", "json"];
    sb.reset_calls();
    let mut args = vec!["--readonly", "solutions", "link", active.as_str(), "--yes"];
    args.extend(rules);
    let readonly = run_async(&dir, &url, &args).await;
    assert_eq!(readonly.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&readonly.stderr).contains("read-only"));
    assert!(
        !sb.calls()
            .contains_key("AWSPartnerCentralSelling.AssociateOpportunity"),
        "read-only sends no link"
    );
    let mut args = vec!["--offline", "solutions", "link", active.as_str()];
    args.extend(rules);
    sb.reset_calls();
    let plan = json_rows(&run_async(&dir, &url, &args).await);
    assert!(!plan.is_empty());
    assert!(plan.iter().all(|r| {
        let title = r["title"].as_str().unwrap().to_lowercase();
        title.contains("data") || title.contains("analytics")
    }));
    assert!(sb.calls().is_empty(), "a plan sends nothing");
    let expected: Vec<String> = plan
        .iter()
        .filter(|r| r["result"] == "would link")
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    assert!(!expected.is_empty());

    let mut args = vec![
        "solutions",
        "link",
        active.as_str(),
        "--yes",
        "--max",
        "100",
    ];
    args.extend(rules);
    sb.reset_calls();
    let done = json_rows(&run_async(&dir, &url, &args).await);
    let linked: Vec<String> = done
        .iter()
        .filter(|r| r["result"] == "linked")
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(linked, expected);
    assert_eq!(
        sb.calls()["AWSPartnerCentralSelling.AssociateOpportunity"] as usize,
        expected.len()
    );
    let api = sdk_client(&url);
    for id in &linked {
        let got = api
            .get_opportunity()
            .catalog("AWS")
            .identifier(id)
            .send()
            .await
            .unwrap();
        assert!(
            got.related_entity_identifiers()
                .unwrap()
                .solutions()
                .contains(&active),
            "{id}"
        );
    }
    // The cache holds the links: a second run has nothing to do.
    let mut args = vec!["--offline", "solutions", "link", active.as_str()];
    args.extend(rules);
    let again = json_rows(&run_async(&dir, &url, &args).await);
    let held: Vec<&str> = plan
        .iter()
        .filter(|r| r["result"] == "held")
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        again
            .iter()
            .map(|r| r["id"].as_str().unwrap())
            .collect::<Vec<_>>(),
        held,
        "linked records leave the plan; only those held at the cap remain: {again:?}"
    );
    assert!(again.iter().all(|r| r["result"] == "held"), "{again:?}");
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_tries_each_read_and_names_what_failed() {
    let sb = sandbox_with(12).await;
    let dir = temp_dir("check");
    sb.reset_calls();
    let out = run_async(&dir, &sb.url(), &["check"]).await;
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert_eq!(out.status.code(), Some(0), "{text}");
    for action in [
        "ListPartners, GetPartner",
        "ListOpportunities",
        "ListEngagementInvitations",
        "ListSolutions",
        "ListConnections",
        "ListEngagements",
        "ListBenefits",
        "ListProgramManagementAccounts",
        "GetSellingSystemSettings",
    ] {
        assert!(
            text.lines()
                .any(|l| l.starts_with("ok ") && l.contains(action)),
            "{action}: {text}"
        );
    }
    assert!(text.contains("Northwind Cloud") && text.contains("12 opportunities"));
    assert!(
        text.contains("no snapshot job role") && text.contains("put-selling-system-settings"),
        "the settings' fix is named: {text}"
    );
    let calls = sb.calls();
    assert!(
        calls
            .keys()
            .all(|op| op.contains(".List") || op.contains(".Get")),
        "reads only: {calls:?}"
    );

    // Nothing listening: one failure, explained, and the rest skipped.
    let out = run_async(&dir, "http://127.0.0.1:9", &["check"]).await;
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert_eq!(text.lines().filter(|l| l.starts_with("FAIL")).count(), 1);
    assert!(text.contains("Could not reach Partner Central") && text.contains("the same fix"));
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn info_prints_every_path_and_the_settings_in_effect() {
    let dir = temp_dir("info");
    std::fs::create_dir_all(dir.join("config")).unwrap();
    std::fs::write(
        dir.join("config").join("cosell.toml"),
        "catalog = \"Sandbox\"\n[profiles.prod]\nreadonly = true\n",
    )
    .unwrap();
    let out = Command::new(bin())
        .env("XDG_CACHE_HOME", dir.join("cache"))
        .env("XDG_STATE_HOME", dir.join("state"))
        .env("COSELL_CONFIG", dir.join("config").join("cosell.toml"))
        .args(["--profile", "prod", "info"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for line in [
        "config file",
        "state dir",
        "log file",
        "audit log",
        "cache dir",
        "catalog      Sandbox",
        "readonly     true",
        "region       us-east-1",
    ] {
        assert!(text.contains(line), "missing {line:?} in:\n{text}");
    }
    std::fs::remove_dir_all(dir).ok();
}
