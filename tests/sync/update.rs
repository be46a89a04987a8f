//! Single-record writes from the command line: `opportunities update` (one change made on the
//! record as it is, every other field kept, locks and a stale LastModifiedDate refused before
//! anything is sent) and `referrals reject` (checked, sent once).

use super::{post, run_async, sandbox_with, temp_dir};

fn get(url: &str, id: &str) -> serde_json::Value {
    post(
        url,
        "AWSPartnerCentralSelling.GetOpportunity",
        &serde_json::json!({"Catalog": "AWS", "Identifier": id}).to_string(),
    )
}

/// The first opportunity the sandbox lists with this review status.
fn first_with(url: &str, review: &str) -> serde_json::Value {
    let list = super::raw_list(url);
    let id = list["OpportunitySummaries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["LifeCycle"]["ReviewStatus"] == review)
        .unwrap_or_else(|| panic!("the demo data has a {review} record"))["Id"]
        .as_str()
        .unwrap()
        .to_string();
    get(url, &id)
}

/// The record with the members an update or AWS's review may move taken out.
fn without(mut record: serde_json::Value, paths: &[&[&str]]) -> serde_json::Value {
    for path in paths {
        let (last, parents) = path.split_last().unwrap();
        let mut at = &mut record;
        for p in parents {
            at = &mut at[*p];
        }
        at.as_object_mut().unwrap().remove(*last);
    }
    record
}

async fn get_blocking(url: &str, id: &str) -> serde_json::Value {
    let (url, id) = (url.to_string(), id.to_string());
    tokio::task::spawn_blocking(move || get(&url, &id))
        .await
        .unwrap()
}

fn text(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_update_changes_the_named_field_and_keeps_every_other_one() {
    let sb = sandbox_with(60).await;
    let url = sb.url();
    let dir = temp_dir("update");
    let before = tokio::task::spawn_blocking({
        let url = url.clone();
        move || first_with(&url, "Pending Submission")
    })
    .await
    .unwrap();
    let id = before["Id"].as_str().unwrap().to_string();
    let stage = if before["LifeCycle"]["Stage"] == "Committed" {
        "Qualified"
    } else {
        "Committed"
    };
    sb.reset_calls();
    let out = run_async(
        &dir,
        &url,
        &[
            "opportunities",
            "update",
            &id,
            "--set",
            &format!("lifecycle.stage={}", stage.to_lowercase()),
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(printed["Id"], id.as_str());
    assert_eq!(printed["LifeCycle"]["Stage"], stage);
    assert_eq!(
        sb.calls()["AWSPartnerCentralSelling.UpdateOpportunity"],
        1,
        "one write"
    );

    let after = tokio::task::spawn_blocking({
        let (url, id) = (url.clone(), id.clone());
        move || get(&url, &id)
    })
    .await
    .unwrap();
    assert_eq!(after["LifeCycle"]["Stage"], stage);
    let moved: &[&[&str]] = &[
        &["LastModifiedDate"],
        &["LifeCycle", "Stage"],
        &["LifeCycle", "NextStepsHistory"],
    ];
    assert_eq!(
        without(after, moved),
        without(before, moved),
        "every other field as it was"
    );
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stale_last_modified_a_locked_field_and_an_unknown_path_send_nothing() {
    let sb = sandbox_with(60).await;
    let url = sb.url();
    let dir = temp_dir("update-refused");
    let (pending, approved) = tokio::task::spawn_blocking({
        let url = url.clone();
        move || {
            (
                first_with(&url, "Pending Submission"),
                first_with(&url, "Approved"),
            )
        }
    })
    .await
    .unwrap();
    let id = pending["Id"].as_str().unwrap();
    sb.reset_calls();

    // Based on a version that is not the record's: a conflict, exit 6, naming the real date.
    let out = run_async(
        &dir,
        &url,
        &[
            "opportunities",
            "update",
            id,
            "--set",
            "LifeCycle.NextSteps=Call the CFO",
            "--last-modified",
            "2020-01-01T00:00:00.000Z",
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(6), "{}", text(&out));
    let message = text(&out);
    assert!(
        message.contains(pending["LastModifiedDate"].as_str().unwrap())
            && message.contains("nothing was sent"),
        "{message}"
    );

    // The record's own date: applied.
    let out = run_async(
        &dir,
        &url,
        &[
            "opportunities",
            "update",
            id,
            "--set",
            "LifeCycle.NextSteps=Call the CFO",
            "--last-modified",
            pending["LastModifiedDate"].as_str().unwrap(),
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));

    // Approved: AWS froze the website.
    let out = run_async(
        &dir,
        &url,
        &[
            "opportunities",
            "update",
            approved["Id"].as_str().unwrap(),
            "--set",
            "Customer.Account.WebsiteUrl=https://changed.example.com",
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("is Approved"), "{}", text(&out));

    // A path the API does not have: usage, with the list of those it has.
    let out = run_async(
        &dir,
        &url,
        &["opportunities", "update", id, "--set", "Project.Tittle=New"],
    )
    .await;
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("Project.CustomerBusinessProblem"),
        "{}",
        text(&out)
    );

    assert_eq!(
        sb.calls()
            .get("AWSPartnerCentralSelling.UpdateOpportunity")
            .copied(),
        Some(1),
        "only the one based on the record's own date was sent"
    );
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_referral_is_rejected_once_with_its_reason_and_too_long_a_reason_sends_nothing() {
    let sb = sandbox_with(60).await;
    let url = sb.url();
    let dir = temp_dir("reject");
    let listed = run_async(
        &dir,
        &url,
        &[
            "referrals",
            "list",
            "--status",
            "pending",
            "--output",
            "json",
        ],
    )
    .await;
    assert_eq!(listed.status.code(), Some(0), "{}", text(&listed));
    let listed: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    let id = listed["EngagementInvitationSummaries"][0]["Id"]
        .as_str()
        .unwrap()
        .to_string();
    sb.reset_calls();

    // 80 characters for reason and details together: refused before anything is sent.
    let long = "x".repeat(80);
    let out = run_async(
        &dir,
        &url,
        &[
            "referrals",
            "reject",
            &id,
            "--reason",
            "customer problem unclear",
            "--details",
            &long,
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("AWS takes 80"), "{}", text(&out));

    let out = run_async(
        &dir,
        &url,
        &[
            "referrals",
            "reject",
            &id,
            "--reason",
            "customer problem unclear",
            "--details",
            "no budget this year",
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(printed["Id"], id.as_str());
    assert_eq!(printed["Status"], "REJECTED");
    let got = tokio::task::spawn_blocking({
        let (url, id) = (url.clone(), id.clone());
        move || {
            post(
                &url,
                "AWSPartnerCentralSelling.GetEngagementInvitation",
                &serde_json::json!({"Catalog": "AWS", "Identifier": id}).to_string(),
            )
        }
    })
    .await
    .unwrap();
    assert_eq!(got["Status"], "REJECTED");

    // Answered already: refused locally, with the status.
    let out = run_async(
        &dir,
        &url,
        &[
            "referrals",
            "reject",
            &id,
            "--reason",
            "customer problem unclear",
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("only pending referrals"),
        "{}",
        text(&out)
    );
    assert_eq!(
        sb.calls()
            .get("AWSPartnerCentralSelling.RejectEngagementInvitation")
            .copied(),
        Some(1),
        "one rejection sent"
    );
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn submit_follows_the_task_to_the_end_and_assign_names_the_new_owner() {
    let sb = cosell_sandbox::server::start(cosell_sandbox::SandboxConfig {
        opportunities: 60,
        task_delay_ms: 1_500,
        ..Default::default()
    })
    .await
    .unwrap();
    let url = sb.url();
    let dir = temp_dir("submit");
    let pending = tokio::task::spawn_blocking({
        let url = url.clone();
        move || first_with(&url, "Pending Submission")
    })
    .await
    .unwrap();
    let id = pending["Id"].as_str().unwrap().to_string();

    let out = run_async(
        &dir,
        &url,
        &[
            "opportunities",
            "assign",
            &id,
            "--email",
            "rosa.park@northwind.example.com",
            "--first-name",
            "Rosa",
            "--last-name",
            "Park",
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let team = printed["OpportunityTeam"].as_array().unwrap();
    assert!(
        team.iter()
            .any(|m| m["Email"] == "rosa.park@northwind.example.com"
                && m["BusinessTitle"] == "OpportunityOwner"),
        "{printed}"
    );

    sb.reset_calls();
    let out = run_async(
        &dir,
        &url,
        &[
            "opportunities",
            "submit",
            &id,
            "--involvement",
            "co-sell",
            "--visibility",
            "full",
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        printed["LifeCycle"]["ReviewStatus"], "Submitted",
        "{printed}"
    );
    let calls = sb.calls();
    assert_eq!(
        calls["AWSPartnerCentralSelling.StartEngagementFromOpportunityTask"],
        1
    );
    assert!(
        calls["AWSPartnerCentralSelling.ListEngagementFromOpportunityTasks"] >= 1,
        "the task was followed: {calls:?}"
    );

    // Submitted now: a second submit is refused before anything is sent.
    sb.reset_calls();
    let out = run_async(
        &dir,
        &url,
        &[
            "opportunities",
            "submit",
            &id,
            "--involvement",
            "co-sell",
            "--visibility",
            "full",
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("only opportunities pending submission"));
    assert!(
        !sb.calls()
            .contains_key("AWSPartnerCentralSelling.StartEngagementFromOpportunityTask")
    );
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn products_and_offers_link_and_unlink_within_their_caps() {
    let sb = sandbox_with(60).await;
    let url = sb.url();
    let dir = temp_dir("link");
    let pending = tokio::task::spawn_blocking({
        let url = url.clone();
        move || first_with(&url, "Pending Submission")
    })
    .await
    .unwrap();
    let id = pending["Id"].as_str().unwrap().to_string();
    let link = |kind: &'static str, value: String, verb: &'static str| {
        let (dir, url, id) = (dir.clone(), url.clone(), id.clone());
        async move { run_async(&dir, &url, &["opportunities", verb, &id, kind, &value]).await }
    };

    // Twenty AWS products fit; the twenty-first is refused before anything is sent.
    for n in 0..20 {
        let out = link("--product", format!("AmazonProduct{n:02}"), "link").await;
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    }
    sb.reset_calls();
    let out = link("--product", "AmazonProduct20".into(), "link").await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("the most AWS allows"), "{}", text(&out));
    assert!(
        !sb.calls()
            .contains_key("AWSPartnerCentralSelling.AssociateOpportunity")
    );

    let offer = "arn:aws:aws-marketplace:us-east-1:123456789012:AWSMarketplace/Offer/offer-abc";
    let out = link("--offer", offer.into(), "link").await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let related = &printed["RelatedEntityIdentifiers"];
    assert_eq!(
        related["AwsProducts"].as_array().unwrap().len(),
        20,
        "{printed}"
    );
    assert_eq!(
        related["AwsMarketplaceOffers"],
        serde_json::json!([offer]),
        "{printed}"
    );

    // One offer per opportunity: the service refuses a second, and says why.
    let second = "arn:aws:aws-marketplace:us-east-1:123456789012:AWSMarketplace/Offer/offer-xyz";
    let out = link("--offer", second.into(), "link").await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("AwsMarketplaceOffers"),
        "{}",
        text(&out)
    );

    let out = link("--product", "AmazonProduct07".into(), "unlink").await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let products = printed["RelatedEntityIdentifiers"]["AwsProducts"]
        .as_array()
        .unwrap();
    assert_eq!(products.len(), 19);
    assert!(!products.contains(&serde_json::json!("AmazonProduct07")));
    std::fs::remove_dir_all(dir).ok();
}

/// Pending referral ids whose customer (as the payload names it) is exactly the customer of an
/// open opportunity: the demo's duplicates are built that way.
fn duplicate_referrals(url: &str) -> std::collections::BTreeSet<String> {
    let open: std::collections::BTreeSet<String> = super::raw_list(url)["OpportunitySummaries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| {
            !["Launched", "Closed Lost"].contains(&o["LifeCycle"]["Stage"].as_str().unwrap_or(""))
        })
        .filter_map(|o| {
            o["Customer"]["Account"]["CompanyName"]
                .as_str()
                .map(str::to_string)
        })
        .collect();
    let listed = post(
        url,
        "AWSPartnerCentralSelling.ListEngagementInvitations",
        &serde_json::json!({"Catalog": "AWS", "ParticipantType": "RECEIVER", "MaxResults": 100})
            .to_string(),
    );
    listed["EngagementInvitationSummaries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["Status"] == "PENDING")
        .filter_map(|i| {
            let id = i["Id"].as_str().unwrap();
            let got = post(
                url,
                "AWSPartnerCentralSelling.GetEngagementInvitation",
                &serde_json::json!({"Catalog": "AWS", "Identifier": id}).to_string(),
            );
            let payload = &got["Payload"];
            let customer = payload["OpportunityInvitation"]["Customer"]["CompanyName"]
                .as_str()
                .or(payload["LeadInvitation"]["Customer"]["CompanyName"].as_str())?;
            open.contains(customer).then(|| id.to_string())
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duplicates_are_rejected_by_rule_after_a_plan_and_only_with_yes() {
    let sb = sandbox_with(300).await;
    let url = sb.url();
    let dir = temp_dir("reject-duplicates");
    let expected = tokio::task::spawn_blocking({
        let url = url.clone();
        move || duplicate_referrals(&url)
    })
    .await
    .unwrap();
    assert!(
        !expected.is_empty(),
        "the demo data has duplicate referrals"
    );
    let ids = |out: &std::process::Output| -> std::collections::BTreeSet<String> {
        let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        rows.as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_string())
            .collect()
    };

    let plan = run_async(
        &dir,
        &url,
        &["referrals", "reject", "--duplicates", "--output", "json"],
    )
    .await;
    assert_eq!(plan.status.code(), Some(0), "{}", text(&plan));
    assert_eq!(ids(&plan), expected);
    assert!(text(&plan).contains("would reject"));
    assert!(
        !sb.calls()
            .contains_key("AWSPartnerCentralSelling.RejectEngagementInvitation"),
        "a plan sends nothing"
    );

    let done = run_async(
        &dir,
        &url,
        &[
            "referrals",
            "reject",
            "--duplicates",
            "--yes",
            "--output",
            "json",
        ],
    )
    .await;
    assert_eq!(done.status.code(), Some(0), "{}", text(&done));
    assert_eq!(ids(&done), expected);
    assert_eq!(
        sb.calls()["AWSPartnerCentralSelling.RejectEngagementInvitation"],
        expected.len() as u64
    );
    let left = tokio::task::spawn_blocking({
        let url = url.clone();
        move || duplicate_referrals(&url)
    })
    .await
    .unwrap();
    assert!(left.is_empty(), "{left:?} are still pending");
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_file_is_planned_applied_within_a_cap_and_finished_by_a_rerun_without_repeats() {
    let sb = sandbox_with(400).await;
    let url = sb.url();
    let dir = temp_dir("apply");
    let listed = tokio::task::spawn_blocking({
        let url = url.clone();
        move || super::raw_list(&url)
    })
    .await
    .unwrap();
    let with = |review: &str| -> Vec<String> {
        listed["OpportunitySummaries"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|o| o["LifeCycle"]["ReviewStatus"] == review)
            .map(|o| o["Id"].as_str().unwrap().to_string())
            .collect()
    };
    let pending: Vec<String> = with("Pending Submission").into_iter().take(40).collect();
    assert_eq!(pending.len(), 40, "the premise: 40 editable records");
    let locked = with("In review")[0].clone();
    let listed_before = listed["OpportunitySummaries"].as_array().unwrap().len();
    // 50 rows: every fifth creates (no Id), the others update; then two that cannot apply.
    let mut csv = String::from(
        "Id,LifeCycle.NextSteps,Customer.Account.CompanyName,Customer.Account.Address.CountryCode,Project.Title\n",
    );
    let mut updates_in_order = pending.iter();
    let mut expected: Vec<String> = Vec::new();
    for n in 0..50 {
        if n % 5 == 4 {
            csv.push_str(&format!(
                ",\"Bulk step {n}, from the file\",Bulk Co {n},de,Bulk project {n}\n"
            ));
            expected.push(String::new());
        } else {
            let id = updates_in_order.next().unwrap();
            csv.push_str(&format!("{id},\"Bulk step {n}, from the file\",,,\n"));
            expected.push(id.clone());
        }
    }
    csv.push_str(&format!("{locked},Not while AWS reviews it,,,\n"));
    csv.push_str("O9999999,Nobody has this one,,,\n");
    let file = dir.join("bulk.csv");
    std::fs::write(&file, &csv).unwrap();
    let file = file.to_str().unwrap().to_string();
    let results = |out: &std::process::Output| -> Vec<(String, String, String)> {
        let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        rows.as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["id"].as_str().unwrap().to_string(),
                    r["result"].as_str().unwrap().to_string(),
                    r["detail"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect()
    };
    let count = |rows: &[(String, String, String)], result: &str| {
        rows.iter().filter(|(_, r, _)| r == result).count()
    };
    let calls = |sb: &cosell_sandbox::RunningSandbox, op: &str| {
        sb.calls()
            .get(&format!("AWSPartnerCentralSelling.{op}"))
            .copied()
            .unwrap_or(0)
    };

    // The plan: every change shown, the locked and the unknown row refused, nothing sent.
    let plan = run_async(
        &dir,
        &url,
        &[
            "opportunities",
            "apply",
            &file,
            "--max",
            "100",
            "--output",
            "json",
        ],
    )
    .await;
    assert_eq!(plan.status.code(), Some(4), "{}", text(&plan));
    let rows = results(&plan);
    assert_eq!(rows.len(), 52);
    assert_eq!(count(&rows, "would apply"), 50);
    assert_eq!(count(&rows, "failed"), 2);
    let printed: serde_json::Value = serde_json::from_slice(&plan.stdout).unwrap();
    assert_eq!(
        printed[0]["changes"],
        serde_json::json!(["LifeCycle.NextSteps: ".to_string()
            + &update_fit(&get_blocking(&url, &pending[0]).await["LifeCycle"]["NextSteps"])
            + " → Bulk step 0, from the file"]),
    );
    assert_eq!(
        printed[4]["changes"],
        serde_json::json!([
            "Customer.Account.Address.CountryCode: DE",
            "Customer.Account.CompanyName: Bulk Co 4",
            "LifeCycle.NextSteps: Bulk step 4, from the file",
            "Project.Title: Bulk project 4",
        ]),
        "a create shows every member it sets, the country in the API's spelling"
    );
    assert_eq!(calls(&sb, "UpdateOpportunity"), 0);
    assert_eq!(calls(&sb, "CreateOpportunity"), 0);

    // Interrupted after 20 rows (the cap stands in for a killed run), then run again.
    let first = run_async(
        &dir,
        &url,
        &[
            "opportunities",
            "apply",
            &file,
            "--yes",
            "--max",
            "20",
            "--output",
            "json",
        ],
    )
    .await;
    let first_rows = results(&first);
    assert_eq!(count(&first_rows, "applied"), 20, "{}", text(&first));
    assert_eq!(calls(&sb, "UpdateOpportunity"), 16);
    assert_eq!(calls(&sb, "CreateOpportunity"), 4);
    let second = run_async(
        &dir,
        &url,
        &[
            "opportunities",
            "apply",
            &file,
            "--yes",
            "--max",
            "100",
            "--output",
            "json",
        ],
    )
    .await;
    let rows = results(&second);
    assert_eq!(count(&rows, "applied"), 34, "{}", text(&second));
    assert_eq!(
        count(&rows, "held"),
        16,
        "the first 16 updates are already so"
    );
    assert_eq!(
        calls(&sb, "UpdateOpportunity"),
        40,
        "no record updated twice"
    );
    for n in [4, 9, 14, 19] {
        assert_eq!(
            rows[n].2, first_rows[n].2,
            "row {n} was created by the first run; the rerun's same ClientToken answers with the same id"
        );
    }
    let listed_after = tokio::task::spawn_blocking({
        let url = url.clone();
        move || super::raw_list(&url)
    })
    .await
    .unwrap();
    let created: Vec<&serde_json::Value> = listed_after["OpportunitySummaries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| {
            o["Customer"]["Account"]["CompanyName"]
                .as_str()
                .is_some_and(|c| c.starts_with("Bulk Co "))
        })
        .collect();
    assert_eq!(created.len(), 10, "ten creates, none twice");
    assert_eq!(
        listed_after["OpportunitySummaries"]
            .as_array()
            .unwrap()
            .len(),
        listed_before + 10
    );

    let failures = std::fs::read_to_string(format!("{file}.failures.csv")).unwrap();
    let lines: Vec<&str> = failures.lines().collect();
    assert_eq!(lines.len(), 3, "{failures}");
    assert_eq!(
        lines[0],
        "Id,LifeCycle.NextSteps,Customer.Account.CompanyName,Customer.Account.Address.CountryCode,Project.Title,error"
    );
    assert!(
        lines[1].starts_with(&locked) && lines[1].contains("reviewing"),
        "{failures}"
    );
    assert!(lines[2].starts_with("O9999999"), "{failures}");

    let after = tokio::task::spawn_blocking({
        let (url, pending) = (url.clone(), pending.clone());
        move || pending.iter().map(|id| get(&url, id)).collect::<Vec<_>>()
    })
    .await
    .unwrap();
    let updated_rows: Vec<usize> = (0..50).filter(|n| n % 5 != 4).collect();
    assert_eq!(updated_rows.len(), after.len());
    for (n, record) in updated_rows.iter().zip(&after) {
        assert_eq!(
            record["LifeCycle"]["NextSteps"],
            format!("Bulk step {n}, from the file"),
            "{}",
            record["Id"]
        );
    }
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_json_lines_file_applies_like_a_csv() {
    let sb = sandbox_with(60).await;
    let url = sb.url();
    let dir = temp_dir("apply-jsonl");
    let record = tokio::task::spawn_blocking({
        let url = url.clone();
        move || first_with(&url, "Pending Submission")
    })
    .await
    .unwrap();
    let id = record["Id"].as_str().unwrap();
    let stage = if record["LifeCycle"]["Stage"] == "Committed" {
        "qualified"
    } else {
        "committed"
    };
    let file = dir.join("bulk.jsonl");
    std::fs::write(
        &file,
        format!(
            "{}\n",
            serde_json::json!({"Id": id, "LifeCycle.Stage": stage, "LifeCycle.NextSteps": "From JSON Lines"})
        ),
    )
    .unwrap();
    let out = run_async(
        &dir,
        &url,
        &[
            "opportunities",
            "apply",
            file.to_str().unwrap(),
            "--yes",
            "--output",
            "json",
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let after = tokio::task::spawn_blocking({
        let (url, id) = (url.clone(), id.to_string());
        move || get(&url, &id)
    })
    .await
    .unwrap();
    assert_eq!(
        after["LifeCycle"]["Stage"].as_str().unwrap().to_lowercase(),
        stage
    );
    assert_eq!(after["LifeCycle"]["NextSteps"], "From JSON Lines");
    assert_eq!(
        sb.calls()["AWSPartnerCentralSelling.UpdateOpportunity"],
        1,
        "the stage and the next steps of one row go in one update"
    );
    std::fs::remove_dir_all(dir).ok();
}

/// A value as apply's plan shows it: its text, fitted to 40 characters.
fn update_fit(value: &serde_json::Value) -> String {
    cosell_core::text::fit(value.as_str().unwrap_or("(none)"), 40)
}

/// The guide's `opportunity.json`, as it prints it.
const GUIDE_OPPORTUNITY: &str = r#"{
  "ClientToken": "unique-idempotency-token",
  "Customer": {
    "CompanyName": "Acme Corporation",
    "CountryCode": "US",
    "Industry": "Technology"
  },
  "LifeCycle": {
    "Stage": "Prospect",
    "TargetCloseDate": "2026-06-30"
  },
  "OpportunityType": "Net New Business",
  "PartnerOpportunityIdentifier": "ACME-2026-Q2-001",
  "PrimaryNeedsFromAws": [
    "Co-Sell - Architectural Validation",
    "Co-Sell - Business Presentation"
  ],
  "Project": {
    "Title": "Cloud Migration Initiative",
    "ExpectedCustomerSpend": [
      {
        "Amount": "100000",
        "CurrencyCode": "USD",
        "Frequency": "Monthly",
        "TargetCompany": "AWS"
      }
    ]
  }
}"#;

/// Every leaf of `doc` (lists whole) with its path.
fn leaves(doc: &serde_json::Value, prefix: &str, out: &mut Vec<(String, serde_json::Value)>) {
    match doc {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                let path = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                leaves(v, &path, out);
            }
        }
        other => out.push((prefix.to_string(), other.clone())),
    }
}

fn at<'a>(doc: &'a serde_json::Value, path: &str) -> &'a serde_json::Value {
    path.split('.').fold(doc, |v, k| &v[k])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_guides_opportunity_json_is_corrected_path_by_path_and_its_fixed_form_creates_it() {
    let sb = sandbox_with(20).await;
    let url = sb.url();
    let dir = temp_dir("create-guide");
    let file = dir.join("opportunity.json");
    // The guide's close date is in the past by now; a future one keeps the file otherwise as
    // printed.
    let guide = GUIDE_OPPORTUNITY.replace("2026-06-30", "2099-06-30");
    std::fs::write(&file, &guide).unwrap();
    let path = file.to_str().unwrap();
    sb.reset_calls();

    let out = run_async(
        &dir,
        &url,
        &["opportunities", "create", "--from-json", path],
    )
    .await;
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let message = text(&out);
    for (wrong, right) in [
        ("Customer.CompanyName", "Customer.Account.CompanyName"),
        (
            "Customer.CountryCode",
            "Customer.Account.Address.CountryCode",
        ),
        ("Customer.Industry", "Customer.Account.Industry"),
    ] {
        assert!(
            message.contains(&format!(
                "{wrong}: not a member here; it belongs at {right}"
            )),
            "{wrong} → {right}: {message}"
        );
    }
    assert!(message.contains("nothing was sent"), "{message}");
    assert!(
        !sb.calls()
            .contains_key("AWSPartnerCentralSelling.CreateOpportunity")
    );

    // --fix moves them and keeps the original; what cannot be guessed (the guide's industry is
    // not one of the API's) is left, named.
    let out = run_async(
        &dir,
        &url,
        &["opportunities", "create", "--from-json", path, "--fix"],
    )
    .await;
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("Customer.Account.Industry: not one of the API's 28 values"),
        "{}",
        text(&out)
    );
    assert_eq!(
        std::fs::read_to_string(format!("{path}.orig")).unwrap(),
        guide
    );
    let fixed: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(
        fixed["Customer"],
        serde_json::json!({"Account": {
            "CompanyName": "Acme Corporation",
            "Industry": "Technology",
            "Address": {"CountryCode": "US"},
        }})
    );
    let mut fixed = fixed;
    fixed["Customer"]["Account"]["Industry"] = "Software and Internet".into();
    std::fs::write(&file, serde_json::to_string_pretty(&fixed).unwrap()).unwrap();
    assert!(
        !sb.calls()
            .contains_key("AWSPartnerCentralSelling.CreateOpportunity")
    );

    let out = run_async(
        &dir,
        &url,
        &["opportunities", "create", "--from-json", path],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let id = printed["Id"].as_str().unwrap().to_string();
    let record = get_blocking(&url, &id).await;
    let mut expected = Vec::new();
    leaves(&fixed, "", &mut expected);
    assert_eq!(expected.len(), 11, "the premise: the file's members");
    for (path, value) in expected {
        if path == "ClientToken" {
            continue;
        }
        assert_eq!(at(&record, &path), &value, "{path}");
    }

    // The same file again: its ClientToken makes it the same opportunity, not a second one.
    let again = run_async(
        &dir,
        &url,
        &["opportunities", "create", "--from-json", path],
    )
    .await;
    assert_eq!(again.status.code(), Some(0), "{}", text(&again));
    let again: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(again["Id"], id.as_str());
    std::fs::remove_dir_all(dir).ok();
}

/// A document with every member CreateOpportunity takes that a partner writes.
fn full_document(company: &str) -> serde_json::Value {
    serde_json::json!({
        "PrimaryNeedsFromAws": ["Co-Sell - Technical Consultation", "Co-Sell - Deal Support"],
        "NationalSecurity": "No",
        "PartnerOpportunityIdentifier": "CRM-FULL-1",
        "OpportunityType": "Expansion",
        "Origin": "Partner Referral",
        "Customer": {
            "Account": {
                "CompanyName": company,
                "Industry": "Healthcare",
                "OtherIndustry": "Clinics",
                "WebsiteUrl": "https://full.example.com",
                "AwsAccountId": "123456789012",
                "Duns": "123456789",
                "Address": {
                    "City": "Austin",
                    "PostalCode": "78701",
                    "StateOrRegion": "Texas",
                    "CountryCode": "US",
                    "StreetAddress": "1 Congress Ave",
                },
            },
            "Contacts": [{
                "Email": "cto@full.example.com",
                "FirstName": "Ada",
                "LastName": "Byron",
                "BusinessTitle": "CTO",
                "Phone": "+15125550100",
            }],
        },
        "Project": {
            "DeliveryModels": ["SaaS or PaaS", "Professional Services"],
            "ExpectedCustomerSpend": [
                {"Amount": "12000", "CurrencyCode": "USD", "Frequency": "Monthly", "TargetCompany": "AWS"},
                {"Amount": "3000", "CurrencyCode": "EUR", "Frequency": "Monthly", "TargetCompany": "AWS",
                 "EstimationUrl": "https://calculator.aws/#/estimate?id=0123456789abcdef0123456789abcdef"},
            ],
            "ExpectedContractDuration": {"Term": "Months", "Value": "24"},
            "Title": "Every field",
            "ApnPrograms": ["APN Immersion Days"],
            "CustomerBusinessProblem": "Clinic records are on servers at end of life and must move.",
            "CustomerUseCase": "Migration",
            "SalesActivities": ["Conducted POC / Demo", "SOW Signed"],
            "CompetitorName": "Microsoft Azure",
            "OtherCompetitorNames": "A local host",
            "OtherSolutionDescription": "Our own migration kit",
            "AdditionalComments": "Board approved the budget.",
        },
        "Marketing": {
            "CampaignName": "Spring summit",
            "Source": "Marketing Activity",
            "UseCases": ["Migration"],
            "Channels": ["Live Event", "Email"],
            "AwsFundingUsed": "Yes",
        },
        "SoftwareRevenue": {
            "DeliveryModel": "Pay-as-you-go",
            "Value": {"Amount": "5000", "CurrencyCode": "USD"},
            "EffectiveDate": "2099-01-01",
            "ExpirationDate": "2099-12-31",
        },
        "LifeCycle": {"Stage": "Qualified", "NextSteps": "Workshop", "TargetCloseDate": "2099-03-31"},
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_guides_update_opp_json_changes_the_stage_and_nothing_else_and_is_refused_when_stale() {
    let sb = sandbox_with(20).await;
    let url = sb.url();
    let dir = temp_dir("update-guide");
    let full = full_document("Every Field Clinics");
    let create_file = dir.join("full.json");
    std::fs::write(&create_file, full.to_string()).unwrap();
    let out = run_async(
        &dir,
        &url,
        &[
            "opportunities",
            "create",
            "--from-json",
            create_file.to_str().unwrap(),
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let id = serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()["Id"]
        .as_str()
        .unwrap()
        .to_string();
    let before = get_blocking(&url, &id).await;
    let mut members = Vec::new();
    leaves(&full, "", &mut members);
    assert_eq!(members.len(), 43, "the premise: every member the file sets");
    for (path, value) in &members {
        // GetOpportunity has no Origin; AWS's summary shows it.
        if path != "Origin" {
            assert_eq!(at(&before, path), value, "created with {path}");
        }
    }

    // The guide's update-opp.json with the record's current LastModifiedDate.
    let update = dir.join("update-opp.json");
    let write_update = |date: &str| {
        std::fs::write(
            &update,
            serde_json::json!({
                "Identifier": id,
                "LifeCycle": {"Stage": "Committed"},
                "LastModifiedDate": date,
            })
            .to_string(),
        )
        .unwrap()
    };
    write_update(before["LastModifiedDate"].as_str().unwrap());
    sb.reset_calls();
    let out = run_async(
        &dir,
        &url,
        &[
            "opportunities",
            "update",
            "--from-json",
            update.to_str().unwrap(),
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(sb.calls()["AWSPartnerCentralSelling.UpdateOpportunity"], 1);
    let after = get_blocking(&url, &id).await;
    assert_eq!(after["LifeCycle"]["Stage"], "Committed");
    let moved: &[&[&str]] = &[
        &["LastModifiedDate"],
        &["LifeCycle", "Stage"],
        &["LifeCycle", "NextStepsHistory"],
    ];
    assert_eq!(
        without(after.clone(), moved),
        without(before.clone(), moved),
        "every other member as it was"
    );

    // The same file again: its date is stale now. A conflict, nothing sent.
    let out = run_async(
        &dir,
        &url,
        &[
            "opportunities",
            "update",
            "--from-json",
            update.to_str().unwrap(),
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(6), "{}", text(&out));
    assert!(
        text(&out).contains(after["LastModifiedDate"].as_str().unwrap()),
        "names the current date: {}",
        text(&out)
    );
    assert_eq!(sb.calls()["AWSPartnerCentralSelling.UpdateOpportunity"], 1);
    std::fs::remove_dir_all(dir).ok();
}
