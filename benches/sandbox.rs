//! Sandbox benchmarks: start-up with 100,000 opportunities, server time of GetOpportunity and
//! ListOpportunities (page of 100, with filters) measured at the dispatcher, and loopback
//! throughput through the real SDK client.
//!
//! Run: `cargo bench --bench sandbox` (set COSELL_BENCH_OPPORTUNITIES to change the size).

use std::time::{Duration, Instant};

use aws_sdk_partnercentralselling as sdk;
use cosell_sandbox::{self as sandbox, SandboxConfig, clock::now_millis, demo, server};
use serde_json::json;

fn stats(label: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let n = samples.len();
    let total: Duration = samples.iter().sum();
    let pick = |q: f64| samples[((n as f64 - 1.0) * q) as usize];
    println!(
        "{label:<58} n={n:<6} mean={:>9.1}µs p50={:>9.1}µs p99={:>9.1}µs",
        total.as_secs_f64() * 1e6 / n as f64,
        pick(0.5).as_secs_f64() * 1e6,
        pick(0.99).as_secs_f64() * 1e6,
    );
}

/// Times `n` list calls that walk the list page by page (following each NextToken, starting over
/// at the end), so every call reads a different page. Summaries are written from the stored
/// text on every read (nothing is cached), so both passes should cost the same. Returns (first
/// pass, later passes).
fn time_pages(
    state: &mut sandbox::State,
    input: serde_json::Value,
    n: usize,
) -> (Vec<Duration>, Vec<Duration>) {
    let target = sandbox::resolve_target("AWSPartnerCentralSelling.ListOpportunities").unwrap();
    let mut token: Option<String> = None;
    let mut first_pass = true;
    let (mut cold, mut warm) = (Vec::new(), Vec::new());
    let mut previous_first_id = String::new();
    for _ in 0..n {
        let mut request = input.clone();
        if let Some(t) = &token {
            request["NextToken"] = json!(t);
        }
        let body = request.to_string();
        let start = Instant::now();
        let parsed = sandbox::parse_input(&target, body.as_bytes()).unwrap();
        let out = sandbox::dispatch(state, &target, &parsed, now_millis()).unwrap();
        let text = out.into_text();
        let elapsed = start.elapsed();
        if first_pass {
            cold.push(elapsed)
        } else {
            warm.push(elapsed)
        }
        let page: serde_json::Value = serde_json::from_str(&text).unwrap();
        let first_id = page["OpportunitySummaries"][0]["Id"]
            .as_str()
            .unwrap()
            .to_string();
        assert_ne!(
            first_id, previous_first_id,
            "the premise: every call reads another page"
        );
        previous_first_id = first_id;
        token = page["NextToken"].as_str().map(str::to_string);
        if token.is_none() {
            first_pass = false;
        }
    }
    (cold, warm)
}

fn time_dispatch(
    state: &mut sandbox::State,
    target: &str,
    input: serde_json::Value,
    n: usize,
) -> Vec<Duration> {
    let target = sandbox::resolve_target(target).unwrap();
    let body = input.to_string();
    (0..n)
        .map(|_| {
            let start = Instant::now();
            let parsed = sandbox::parse_input(&target, body.as_bytes()).unwrap();
            let out = sandbox::dispatch(state, &target, &parsed, now_millis()).unwrap();
            let _ = out.into_text();
            start.elapsed()
        })
        .collect()
}

fn main() {
    let size: usize = std::env::var("COSELL_BENCH_OPPORTUNITIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    println!("cosell sandbox benchmarks, {size} opportunities in the AWS catalog");

    let start = Instant::now();
    let mut state = demo::generate(42, size, now_millis());
    println!(
        "{:<58} {:>9.1}ms",
        "generate demo data",
        start.elapsed().as_secs_f64() * 1e3
    );

    let some_id = state.catalogs["AWS"]
        .opportunities
        .keys()
        .nth(size / 2)
        .copied()
        .unwrap();
    stats(
        "dispatch GetOpportunity",
        time_dispatch(
            &mut state,
            "AWSPartnerCentralSelling.GetOpportunity",
            json!({"Catalog": "AWS", "Identifier": format!("O{some_id}")}),
            5000,
        ),
    );
    let (cold, warm) = time_pages(
        &mut state,
        json!({"Catalog": "AWS", "MaxResults": 100}),
        2000,
    );
    stats(
        "dispatch ListOpportunities page 100, no filter, 1st read",
        cold,
    );
    if !warm.is_empty() {
        stats(
            "dispatch ListOpportunities page 100, no filter, re-read",
            warm,
        );
    }
    let (cold, warm) = time_pages(
        &mut state,
        json!({"Catalog": "AWS", "MaxResults": 100, "LifeCycleStage": ["Qualified", "Committed"], "LifeCycleReviewStatus": ["Approved"]}),
        2000,
    );
    stats(
        "dispatch ListOpportunities page 100, stage+review filter, 1st read",
        cold,
    );
    if !warm.is_empty() {
        stats(
            "dispatch ListOpportunities page 100, stage+review filter, re-read",
            warm,
        );
    }
    let (cold, warm) = time_pages(
        &mut state,
        json!({"Catalog": "AWS", "MaxResults": 100, "Sort": {"SortBy": "CustomerCompanyName", "SortOrder": "ASCENDING"}}),
        2000,
    );
    stats(
        "dispatch ListOpportunities page 100, sort by company asc, 1st read",
        cold,
    );
    if !warm.is_empty() {
        stats(
            "dispatch ListOpportunities page 100, sort by company asc, re-read",
            warm,
        );
    }
    stats(
        "dispatch ListOpportunities page 100, company filter (scan)",
        time_dispatch(
            &mut state,
            "AWSPartnerCentralSelling.ListOpportunities",
            json!({"Catalog": "AWS", "MaxResults": 100, "CustomerCompanyName": ["Acme Corp"]}),
            200,
        ),
    );
    drop(state);

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let start = Instant::now();
        let running = server::start(SandboxConfig {
            opportunities: size,
            ..SandboxConfig::default()
        })
        .await
        .unwrap();
        println!(
            "{:<58} {:>9.1}ms",
            "start sandbox server (generate + bind)",
            start.elapsed().as_secs_f64() * 1e3
        );
        let config = sdk::Config::builder()
            .behavior_version(sdk::config::BehaviorVersion::latest())
            .region(sdk::config::Region::new("us-east-1"))
            .credentials_provider(sdk::config::Credentials::new("t", "t", None, None, "bench"))
            .endpoint_url(running.url())
            .build();
        let client = sdk::Client::from_conf(config);
        let ids: Vec<String> = client
            .list_opportunities()
            .catalog("AWS")
            .max_results(100)
            .send()
            .await
            .unwrap()
            .opportunity_summaries()
            .iter()
            .map(|o| o.id().unwrap().to_string())
            .collect();
        let mut samples = Vec::new();
        let begin = Instant::now();
        for i in 0..2000 {
            let t = Instant::now();
            client
                .get_opportunity()
                .catalog("AWS")
                .identifier(&ids[i % ids.len()])
                .send()
                .await
                .unwrap();
            samples.push(t.elapsed());
        }
        let rate = 2000.0 / begin.elapsed().as_secs_f64();
        stats(
            &format!("SDK GetOpportunity over loopback ({rate:.0} req/s)"),
            samples,
        );
        let mut samples = Vec::new();
        let begin = Instant::now();
        for _ in 0..500 {
            let t = Instant::now();
            client
                .list_opportunities()
                .catalog("AWS")
                .max_results(100)
                .life_cycle_stage(sdk::types::Stage::Qualified)
                .send()
                .await
                .unwrap();
            samples.push(t.elapsed());
        }
        let rate = 500.0 / begin.elapsed().as_secs_f64();
        stats(
            &format!("SDK ListOpportunities page 100 + filter ({rate:.0} req/s)"),
            samples,
        );
        let begin = Instant::now();
        let all = client
            .list_opportunities()
            .catalog("AWS")
            .max_results(100)
            .into_paginator()
            .items()
            .send()
            .collect::<Vec<_>>()
            .await;
        println!(
            "{:<58} {:>9.1}ms ({} rows)",
            "SDK paginate every opportunity (pages of 100)",
            begin.elapsed().as_secs_f64() * 1e3,
            all.len()
        );
        running.shutdown().await.unwrap();
    });
}
