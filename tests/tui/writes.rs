//! The client's writes against a live sandbox, the paths no other test reaches: both ways an
//! update meets a colleague's change, conflict then re-apply, and the runner's assign, connection
//! end and submission effects.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use aws_sdk_partnercentralselling as sdk;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::{Request, Response};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use cosell_core::partner::types::*;
use cosell_core::partner::{PartnerClient, Settings};
use cosell_sandbox::{RunningSandbox, SandboxConfig, server};

async fn sandbox() -> RunningSandbox {
    server::start(SandboxConfig {
        opportunities: 40,
        task_delay_ms: 150,
        ..Default::default()
    })
    .await
    .unwrap()
}

async fn client_for(url: &str) -> PartnerClient {
    PartnerClient::connect(&Settings {
        endpoint_url: Some(url.to_string()),
        dummy_credentials: true,
        max_attempts: 1,
        ..Settings::default()
    })
    .await
}

/// A pending-submission record to edit: the review status lets every field change.
async fn editable(client: &PartnerClient) -> OpportunitySummary {
    let mut found = None;
    client
        .list_opportunities(&Default::default(), |rows| {
            found = rows
                .into_iter()
                .find(|o| o.review_status == Some(ReviewStatus::PendingSubmission));
            found.is_none()
        })
        .await
        .unwrap();
    found.expect("the demo data has a record pending submission")
}

/// What a colleague does in the web console meanwhile: changes the next steps.
async fn colleague_edits(url: &str, id: &str, steps: &str) {
    let api = crate::client::selling(url);
    let got = api
        .get_opportunity()
        .catalog("AWS")
        .identifier(id)
        .send()
        .await
        .unwrap();
    let mut lifecycle = got.life_cycle().cloned().unwrap();
    lifecycle.review_status = None;
    lifecycle.next_steps_history = None;
    lifecycle.next_steps = Some(steps.into());
    api.update_opportunity()
        .catalog("AWS")
        .identifier(id)
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
}

#[tokio::test]
async fn an_edit_based_on_an_old_read_comes_back_as_a_conflict_before_anything_is_sent() {
    let sb = sandbox().await;
    let client = client_for(&sb.url()).await;
    let row = editable(&client).await;
    colleague_edits(&sb.url(), &row.id, "Colleague: call the CFO").await;
    sb.reset_calls();
    let edit = OpportunityEdit::Stage {
        stage: "Committed".into(),
        closed_lost_reason: None,
    };
    let outcome = client
        .update_opportunity(&row.id, row.last_modified.unwrap(), &edit)
        .await
        .unwrap();
    let UpdateOutcome::Conflict { latest } = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(
        latest.summary.next_steps.as_deref(),
        Some("Colleague: call the CFO")
    );
    assert!(
        !sb.calls()
            .contains_key("AWSPartnerCentralSelling.UpdateOpportunity"),
        "nothing was sent"
    );

    // Re-applied on the latest version, both changes stand.
    let outcome = client
        .update_opportunity(&row.id, latest.summary.last_modified.unwrap(), &edit)
        .await
        .unwrap();
    let UpdateOutcome::Applied(after) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(after.summary.stage, Some(Stage::Committed));
    assert_eq!(
        after.summary.next_steps.as_deref(),
        Some("Colleague: call the CFO")
    );
}

/// Forwards requests to `upstream`; before forwarding the first one for `operation`, runs
/// `meddle`, so another change lands between the client's read and its write.
async fn meddling_proxy<F, Fut>(upstream: SocketAddr, operation: &'static str, meddle: F) -> String
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let meddle = Arc::new(meddle);
    let done = Arc::new(AtomicBool::new(false));
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let (meddle, done) = (meddle.clone(), done.clone());
            tokio::spawn(async move {
                let service =
                    hyper::service::service_fn(move |request: Request<hyper::body::Incoming>| {
                        let (meddle, done) = (meddle.clone(), done.clone());
                        async move {
                            let target = request
                                .headers()
                                .get("x-amz-target")
                                .and_then(|v| v.to_str().ok())
                                .unwrap_or("")
                                .to_string();
                            let body = request.into_body().collect().await.unwrap().to_bytes();
                            if target.ends_with(operation) && !done.swap(true, Ordering::SeqCst) {
                                meddle().await;
                            }
                            Ok::<_, Infallible>(forward(upstream, &target, &body).await)
                        }
                    });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    format!("http://{addr}")
}

async fn forward(upstream: SocketAddr, target: &str, body: &[u8]) -> Response<Full<Bytes>> {
    let mut stream = tokio::net::TcpStream::connect(upstream).await.unwrap();
    let head = format!(
        "POST / HTTP/1.1\r\nHost: {upstream}\r\nContent-Type: application/x-amz-json-1.0\r\nX-Amz-Target: {target}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(body).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let text = String::from_utf8_lossy(&raw).to_string();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let status: u16 = head.split(' ').nth(1).unwrap().parse().unwrap();
    let mut response = Response::builder().status(status);
    for line in head.lines().skip(1) {
        if let Some((name, value)) = line.split_once(": ")
            && ["content-type", "x-amzn-errortype", "x-amzn-requestid"]
                .contains(&name.to_ascii_lowercase().as_str())
        {
            response = response.header(name, value);
        }
    }
    response
        .body(Full::new(Bytes::from(body.to_string())))
        .unwrap()
}

#[tokio::test]
async fn a_change_landing_between_the_read_and_the_write_is_a_conflict_too() {
    let sb = sandbox().await;
    let direct = client_for(&sb.url()).await;
    let row = editable(&direct).await;
    let url = sb.url();
    let id = row.id.clone();
    let proxy = meddling_proxy(sb.addr(), "UpdateOpportunity", move || {
        let (url, id) = (url.clone(), id.clone());
        async move { colleague_edits(&url, &id, "Colleague got there first").await }
    })
    .await;
    let client = client_for(&proxy).await;
    let outcome = client
        .update_opportunity(
            &row.id,
            row.last_modified.unwrap(),
            &OpportunityEdit::NextSteps("Mine".into()),
        )
        .await
        .unwrap();
    let UpdateOutcome::Conflict { latest } = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(
        latest.summary.next_steps.as_deref(),
        Some("Colleague got there first"),
        "the conflict carries the colleague's version"
    );
    assert_eq!(
        sb.calls()["AWSPartnerCentralSelling.UpdateOpportunity"],
        2,
        "the colleague's update and ours, which the service refused"
    );
}

fn runner(
    client: PartnerClient,
) -> (
    cosell::tui::Runner,
    tokio::sync::mpsc::UnboundedReceiver<cosell::app::Msg>,
) {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    (cosell::tui::Runner::new(client, tx, None, None), rx)
}

#[tokio::test]
async fn the_runner_assigns_ends_connections_and_follows_a_submission() {
    use cosell::app::features::connections::types::Intent as Conn;
    use cosell::app::features::opportunities::types::Intent as Opp;
    use cosell::app::{Effect, Intent, Msg, Outcome, TaskKind};
    let sb = sandbox().await;
    let client = client_for(&sb.url()).await;
    let row = editable(&client).await;
    let (runner, mut rx) = runner(client.clone());

    let assignee = Contact {
        email: Some("ravi.owner@northwind.example.com".into()),
        first_name: Some("Ravi".into()),
        last_name: Some("Owner".into()),
        title: Some("OpportunityOwner".into()),
        phone: None,
    };
    runner.run(Effect::Mutate {
        request: 1,
        intent: Box::new(Intent::Opportunities(Opp::Assign {
            id: row.id.clone(),
            assignee: assignee.clone(),
        })),
    });
    let Some(Msg::Mutated {
        request: 1, result, ..
    }) = rx.recv().await
    else {
        panic!()
    };
    assert_eq!(result, Ok(Outcome::Done));
    let full = client.get_opportunity(&row.id).await.unwrap();
    assert_eq!(full.owner().and_then(|o| o.email.clone()), assignee.email);

    let mut connections = Vec::new();
    client
        .list_connections(|rows| {
            connections.extend(rows);
            true
        })
        .await
        .unwrap();
    let active = connections
        .iter()
        .find(|c| {
            c.types
                .iter()
                .any(|t| t.status == ConnectionTypeStatus::Active)
        })
        .expect("an active connection in the demo data")
        .clone();
    let kind = active
        .types
        .iter()
        .find(|t| t.status == ConnectionTypeStatus::Active)
        .unwrap()
        .connection_type
        .clone();
    runner.run(Effect::Mutate {
        request: 2,
        intent: Box::new(Intent::Connections(Conn::End {
            id: active.id.clone(),
            connection_type: kind.clone(),
            reason: "The partnership ended".into(),
            client_token: "end-1".into(),
        })),
    });
    let Some(Msg::Mutated {
        request: 2, result, ..
    }) = rx.recv().await
    else {
        panic!()
    };
    assert_eq!(result, Ok(Outcome::Done));
    let after = client.get_connection(&active.id).await.unwrap();
    let ended = after
        .types
        .iter()
        .find(|t| t.connection_type == kind)
        .unwrap();
    assert_eq!(ended.status, ConnectionTypeStatus::Canceled);

    // Submission: the task starts, and polling it finds it complete.
    let ready = editable_ready(&sb.url()).await;
    runner.run(Effect::Mutate {
        request: 3,
        intent: Box::new(Intent::Opportunities(Opp::Submit {
            id: ready.clone(),
            involvement: InvolvementType::CoSell,
            visibility: Visibility::Full,
            client_token: "submit-runner".into(),
        })),
    });
    let Some(Msg::Mutated {
        request: 3,
        result: Ok(Outcome::TaskStarted(task)),
        ..
    }) = rx.recv().await
    else {
        panic!()
    };
    runner.run(Effect::PollTask {
        request: 4,
        kind: TaskKind::Submission,
        target: ready.clone(),
        task_id: task.id.clone(),
        after_ms: 400,
    });
    let Some(Msg::Task {
        request: 4,
        result: Ok(polled),
        ..
    }) = rx.recv().await
    else {
        panic!()
    };
    assert_eq!((polled.id, polled.status), (task.id, TaskStatus::Complete));
    let submitted = client.get_opportunity(&ready).await.unwrap();
    assert!(matches!(
        submitted.summary.review_status,
        Some(ReviewStatus::Submitted | ReviewStatus::InReview)
    ));
}

/// A record with everything AWS needs before a review, created through the SDK.
async fn editable_ready(url: &str) -> String {
    use sdk::types::*;
    crate::client::selling(url)
        .create_opportunity()
        .catalog("AWS")
        .client_token("runner-ready")
        .customer(
            Customer::builder()
                .account(
                    Account::builder()
                        .company_name("Runner Retail")
                        .industry(Industry::Retail)
                        .website_url("https://runner-retail.example.com")
                        .address(
                            Address::builder()
                                .country_code(CountryCode::Us)
                                .postal_code("98101")
                                .state_or_region("WA")
                                .build(),
                        )
                        .build()
                        .unwrap(),
                )
                .build(),
        )
        .project(
            Project::builder()
                .title("Runner Retail: stock view")
                .customer_business_problem("Forty stores need one view of their stock.")
                .expected_customer_spend(
                    ExpectedCustomerSpend::builder()
                        .amount("5000")
                        .currency_code(CurrencyCode::Usd)
                        .frequency(PaymentFrequency::Monthly)
                        .target_company("AWS")
                        .build()
                        .unwrap(),
                )
                .build(),
        )
        .opportunity_type(OpportunityType::NetNewBusiness)
        .primary_needs_from_aws(PrimaryNeedFromAws::CoSellDealSupport)
        .life_cycle(
            LifeCycle::builder()
                .stage(Stage::Qualified)
                .target_close_date("2099-01-31")
                .build(),
        )
        .send()
        .await
        .unwrap()
        .id
}

/// The record as GetOpportunity returns it through the real SDK, as text (the SDK's Debug hides
/// sensitive members, so each is read through its accessor), with the members an answer to
/// AWS's review is expected to change set apart under "Answer".
async fn raw_without_answer(url: &str, id: &str) -> serde_json::Value {
    let got = crate::client::selling(url)
        .get_opportunity()
        .catalog("AWS")
        .identifier(id)
        .send()
        .await
        .unwrap();
    let people = |list: &[sdk::types::Contact]| {
        list.iter()
            .map(|k| {
                format!(
                    "{:?}",
                    (
                        k.email(),
                        k.first_name(),
                        k.last_name(),
                        k.business_title(),
                        k.phone()
                    )
                )
            })
            .collect::<Vec<_>>()
    };
    let account = got.customer().and_then(|c| c.account());
    let project = got.project();
    let life = got.life_cycle();
    let mut doc = serde_json::json!({
        "Account": format!("{:?}", account.map(|a| (
            a.company_name(), a.industry(), a.other_industry(), a.duns(), a.aws_account_id(),
            a.address().map(|ad| (
                ad.city(), ad.postal_code(), ad.state_or_region(), ad.country_code(),
                ad.street_address(),
            )),
        ))),
        "Contacts": people(got.customer().map(|c| c.contacts()).unwrap_or_default()),
        "Team": people(got.opportunity_team()),
        "Project": format!("{:?}", project.map(|p| (
            p.title(), p.delivery_models(), p.customer_use_case(), p.sales_activities(),
            p.competitor_name(), p.other_solution_description(), p.additional_comments(),
            p.apn_programs(), p.related_opportunity_identifier(),
        ))),
        "Spend": format!("{:?}", project.map(|p| p.expected_customer_spend().iter().map(|e| (
            e.amount(), e.currency_code(), e.frequency(), e.target_company(),
        )).collect::<Vec<_>>())),
        "LifeCycle": format!("{:?}", life.map(|l| (
            l.stage(), l.next_steps(), l.target_close_date(), l.closed_lost_reason(),
        ))),
        "Other": format!("{:?}", (
            got.opportunity_type(), got.partner_opportunity_identifier(),
            got.primary_needs_from_aws(), got.national_security(),
            got.related_entity_identifiers(),
        )),
    });
    doc["Answer"] = serde_json::json!([
        account.and_then(|a| a.website_url()),
        project.and_then(|p| p.customer_business_problem()),
        life.and_then(|l| l.review_status())
            .map(|r| r.as_str().to_string()),
    ]);
    doc
}

#[tokio::test]
async fn answering_aws_review_changes_the_website_and_problem_only_and_sends_it_back_to_review() {
    let sb = sandbox().await;
    let client = client_for(&sb.url()).await;
    let mut found = None;
    client
        .list_opportunities(&Default::default(), |rows| {
            found = rows
                .into_iter()
                .find(|o| o.review_status == Some(ReviewStatus::ActionRequired));
            found.is_none()
        })
        .await
        .unwrap();
    let row = found.expect("the demo data has an Action Required record");
    let mut before = raw_without_answer(&sb.url(), &row.id).await;
    let answer_before = before["Answer"].take();
    assert_eq!(answer_before[2], "Action Required");

    let website = "https://www.answered-review.example.com";
    let problem = "Nightly batch jobs miss their window; the customer needs the data lake \
                   migrated before the Q3 peak.";
    let edit = OpportunityEdit::WebsiteAndProblem {
        website: website.into(),
        business_problem: problem.into(),
    };
    let outcome = client
        .update_opportunity(&row.id, row.last_modified.unwrap(), &edit)
        .await
        .unwrap();
    let UpdateOutcome::Applied(after) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(after.summary.website.as_deref(), Some(website));
    assert_eq!(after.business_problem.as_deref(), Some(problem));

    let mut now = raw_without_answer(&sb.url(), &row.id).await;
    assert_eq!(
        now["Answer"].take(),
        serde_json::json!([website, problem, "In review"]),
        "the two answers stand and the record went back to AWS review"
    );
    assert_eq!(now, before, "every other member is as it was");
}
