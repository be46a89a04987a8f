//! Cache benchmarks: a full sync of 10,000 opportunities from a sandbox with no quota; the time
//! from opening a cache of 1,000, 10,000 and 100,000 opportunities (COSELL_BENCH_SIZES) to the
//! TUI's first drawn frame; the TUI's write-back of a live load into the largest.
//!
//! Run: `cargo bench --bench cache`.

use std::time::Instant;

use cosell::app::keymap::Keymap;
use cosell::app::{self, Context, Model};
use cosell::ui::{self, Theme};
use cosell_core::partner::{PartnerClient, Settings};
use cosell_core::store::{Cache, sync};
use cosell_sandbox::{SandboxConfig, server};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn main() {
    let dir = std::env::temp_dir().join(format!("cosell-bench-cache-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();

    // 1. Full sync of 10,000 opportunities (summaries, then every full record).
    runtime.block_on(async {
        let sandbox = server::start(SandboxConfig {
            opportunities: 10_000,
            ..Default::default()
        })
        .await
        .unwrap();
        let client = PartnerClient::connect(&Settings {
            endpoint_url: Some(sandbox.url()),
            dummy_credentials: true,
            ..Settings::default()
        })
        .await;
        let mut cache = Cache::open(&dir.join("sync.sqlite")).unwrap();
        let started = Instant::now();
        let report = sync::sync(&client, &mut cache, true, 0, |_| {})
            .await
            .unwrap();
        let took = started.elapsed();
        let calls: u64 = sandbox.calls().values().sum();
        println!(
            "{:<58} {:>8.2}s  ({} opportunities, {} full records, {} API calls, {:.0} records/s)",
            "full sync, 10,000 opportunities, no quota",
            took.as_secs_f64(),
            report.new,
            report.full_records,
            calls,
            report.new as f64 / took.as_secs_f64()
        );
        sandbox.reset_calls();
        let started = Instant::now();
        let again = sync::sync(&client, &mut cache, false, 0, |_| {})
            .await
            .unwrap();
        println!(
            "{:<58} {:>8.3}s  ({} unchanged, {} API calls)",
            "incremental sync right after, nothing changed",
            started.elapsed().as_secs_f64(),
            again.unchanged,
            sandbox.calls().values().sum::<u64>()
        );
    });

    // 2. First frame from a cache of each size.
    let sizes: Vec<usize> = std::env::var("COSELL_BENCH_SIZES")
        .unwrap_or_else(|_| "1000,10000,100000".into())
        .split(',')
        .map(|s| s.trim().parse().expect("sizes are numbers"))
        .collect();
    let mut largest = None;
    for n in sizes {
        let path = dir.join(format!("cache-{n}.sqlite"));
        first_frame(&path, n);
        largest = Some(path);
    }
    let path = largest.expect("at least one size");

    // 3. The TUI's write-back after a live load of the whole list.
    let mut cache = Cache::open(&path).unwrap();
    let mut rows = cache.opportunities().unwrap();
    for row in rows.iter_mut().take(100) {
        row.last_modified = row.last_modified.map(|t| t + 1);
    }
    let started = Instant::now();
    let written = cache.upsert_changed_summaries(&rows).unwrap();
    println!(
        "{:<58} {:>8.1}ms  ({written} of {} rows written)",
        format!("write back a live load of {} rows, 100 changed", rows.len()),
        started.elapsed().as_secs_f64() * 1e3,
        rows.len()
    );
    let started = Instant::now();
    cache.upsert_summaries(&rows).unwrap();
    println!(
        "{:<58} {:>8.1}ms  (every row rewritten, as before)",
        "the same, rewriting every row",
        started.elapsed().as_secs_f64() * 1e3
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// Builds a cache of `n` opportunities at `path` (the sandbox's demo records, mapped as the
/// client stores them) and times opening it to the TUI's first frame.
fn first_frame(path: &std::path::Path, n: usize) {
    {
        let state = cosell_sandbox::demo::generate(7, n, 1_795_694_400_000);
        let mut cache = Cache::open(path).unwrap();
        // The sandbox's own summaries, mapped as the client would have stored them.
        let rows: Vec<cosell_core::partner::types::OpportunitySummary> = state.catalogs["AWS"]
            .opportunities
            .values()
            .map(|stored| {
                let r = stored.open();
                let doc = serde_json::Value::Object(r.doc.clone());
                cosell_core::partner::types::OpportunitySummary {
                    id: r.identifier(),
                    customer: r.company().to_string(),
                    stage: doc["LifeCycle"]["Stage"].as_str().map(Into::into),
                    review_status: doc["LifeCycle"]["ReviewStatus"].as_str().map(Into::into),
                    target_close: doc["LifeCycle"]["TargetCloseDate"].as_str().map(Into::into),
                    industry: doc["Customer"]["Account"]["Industry"]
                        .as_str()
                        .map(Into::into),
                    country: doc["Customer"]["Account"]["Address"]["CountryCode"]
                        .as_str()
                        .map(Into::into),
                    website: doc["Customer"]["Account"]["WebsiteUrl"]
                        .as_str()
                        .map(Into::into),
                    monthly_spend: Some(cosell_core::partner::types::Money {
                        amount: doc["Project"]["ExpectedCustomerSpend"][0]["Amount"]
                            .as_str()
                            .unwrap_or("0")
                            .to_string(),
                        currency: doc["Project"]["ExpectedCustomerSpend"][0]["CurrencyCode"]
                            .as_str()
                            .unwrap_or("USD")
                            .to_string(),
                    }),
                    last_modified: Some(r.last_modified),
                    created: Some(r.created),
                    ..Default::default()
                }
            })
            .collect();
        cache.upsert_summaries(&rows).unwrap();
        cache
            .set_meta(sync::LAST_SYNC_KEY, "1795694400000")
            .unwrap();
    }
    let mut samples = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        let cache = Cache::open(path).unwrap();
        let messages = cosell::tui::cached_messages(&cache, true);
        let read = started.elapsed();
        let context = Context {
            region: "us-east-1".into(),
            catalog: "AWS".into(),
            ..Default::default()
        };
        let mut model = Model::new(context, Keymap::default(), 1_795_694_400_000, 120, 40);
        let _ = app::init(&mut model);
        for msg in messages {
            app::update(&mut model, msg);
        }
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
        terminal
            .draw(|f| ui::view(&model, &Theme { color: true }, f))
            .unwrap();
        samples.push((
            started.elapsed(),
            read,
            model.opportunities.table.rows.len(),
        ));
    }
    samples.sort();
    let (median, read, rows) = samples[samples.len() / 2];
    println!(
        "{:<58} {:>8.1}ms  (median of 5; reading the cache {:.1}ms; {rows} rows on the first frame)",
        format!("open a {n}-opportunity cache to the first frame"),
        median.as_secs_f64() * 1e3,
        read.as_secs_f64() * 1e3
    );
    let started = Instant::now();
    let cache = Cache::open(path).unwrap();
    let messages = cosell::tui::cached_messages(&cache, false);
    let context = Context {
        region: "us-east-1".into(),
        catalog: "AWS".into(),
        ..Default::default()
    };
    let mut model = Model::new(context, Keymap::default(), 1_795_694_400_000, 120, 40);
    let _ = app::init(&mut model);
    for msg in messages {
        app::update(&mut model, msg);
    }
    println!(
        "{:<58} {:>8.1}ms  ({} rows, in the background after the first frame)",
        format!("read and fold the whole {n}-opportunity cache"),
        started.elapsed().as_secs_f64() * 1e3,
        model.opportunities.table.rows.len()
    );

    assert_eq!(
        model.opportunities.table.rows.len(),
        n,
        "the premise: the whole cache is read"
    );
}
