//! Holding up: a stalled endpoint, a throttling one (alone and shared with another client),
//! faults, interrupted syncs that must not lose titles, two processes on one cache, a damaged
//! cache, owner-only files, and secrets that must never reach a file or a terminal.

use std::time::Duration;

use cosell_core::partner::{FailureKind, PartnerClient, Settings};
use cosell_core::store::{Cache, sync};
use cosell_sandbox::{SandboxConfig, ThrottleMode, server};

use super::{NOW, command, run_async, temp_dir};

/// A listener that takes connections and never answers: a hung proxy, a stopped server.
async fn stalled_endpoint() -> (String, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            held.push(stream);
        }
    });
    (url, task)
}

/// Guards a test against a hang: far longer than any timeout under test, so it only fires when
/// something waits forever.
const HANG: Duration = Duration::from_secs(120);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_endpoint_fails_with_a_clear_error_instead_of_hanging() {
    let (url, _server) = stalled_endpoint().await;
    let dir = temp_dir("stalled");
    std::fs::create_dir_all(dir.join("config")).unwrap();
    let config = dir.join("config").join("cosell.toml");
    std::fs::write(&config, "timeout_seconds = 3\n").unwrap();
    let out = tokio::time::timeout(
        HANG,
        tokio::task::spawn_blocking({
            let (dir, url, config) = (dir.clone(), url.clone(), config.clone());
            move || {
                command(&dir, &url)
                    .env("COSELL_CONFIG", &config)
                    .args(["sync"])
                    .output()
                    .unwrap()
            }
        }),
    )
    .await
    .expect("sync gave up on the stalled endpoint")
    .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("timed out") && stderr.contains(&url),
        "says what happened and where: {stderr}"
    );
    std::fs::remove_dir_all(dir).ok();
}

async fn client_of(url: &str) -> PartnerClient {
    PartnerClient::connect(&Settings {
        endpoint_url: Some(url.to_string()),
        dummy_credentials: true,
        ..Settings::default()
    })
    .await
}

/// Everything a sync stored, as comparable text: the summaries and full records.
fn contents(cache: &Cache) -> (Vec<String>, Vec<String>) {
    let mut summaries: Vec<String> = cache
        .opportunities()
        .unwrap()
        .iter()
        .map(|o| serde_json::to_string(o).unwrap())
        .collect();
    summaries.sort();
    let mut full: Vec<String> = cache
        .full_opportunities()
        .unwrap()
        .iter()
        .map(|o| serde_json::to_string(o).unwrap())
        .collect();
    full.sort();
    (summaries, full)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_sync_under_the_real_quota_completes_even_when_another_client_shares_it() {
    let dir = temp_dir("quota");
    let state = dir.join("state.json");
    let config = |throttle| SandboxConfig {
        opportunities: 40,
        throttle,
        state_file: Some(state.clone()),
        ..SandboxConfig::default()
    };
    // The reference: the same data, synced with no quota at all.
    let free = server::start(config(ThrottleMode::Off)).await.unwrap();
    let mut reference = Cache::open(&dir.join("free.sqlite")).unwrap();
    sync::sync(
        &client_of(&free.url()).await,
        &mut reference,
        true,
        NOW,
        |_| {},
    )
    .await
    .unwrap();
    free.shutdown().await.unwrap();

    let limited = server::start(config(ThrottleMode::Real)).await.unwrap();
    let url = limited.url();
    // Another client on the same account spends reads all along.
    let other = tokio::spawn({
        let url = url.clone();
        async move {
            let sdk = super::sdk_client(&url);
            loop {
                let _ = sdk.list_solutions().catalog("AWS").send().await;
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
    });
    let client = client_of(&url).await;
    let mut cache = Cache::open(&dir.join("limited.sqlite")).unwrap();
    let mut throttled = 0;
    let report = tokio::time::timeout(
        HANG * 3,
        sync::sync(&client, &mut cache, true, NOW, |p| {
            if matches!(p, sync::Progress::Throttled { .. }) {
                throttled += 1;
            }
        }),
    )
    .await
    .expect("the sync finishes")
    .expect("throttling alone never fails a sync");
    other.abort();
    assert_eq!(report.new + report.changed + report.unchanged, 40);
    let [(_, reads), _, _] = client.limits();
    assert!(
        reads.paced,
        "the endpoint throttled, so reads are paced from then on"
    );
    assert!(
        reads.throttles > 0,
        "{reads:?} (progress saw {throttled} throttled reads)"
    );
    assert_eq!(contents(&cache), contents(&reference));
    limited.shutdown().await.unwrap();
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_through_faults_equals_the_fault_free_one_from_the_same_state() {
    let dir = temp_dir("faults");
    let state = dir.join("state.json");
    let config = |fault_rate, latency_ms| SandboxConfig {
        opportunities: 60,
        fault_rate,
        latency_ms,
        state_file: Some(state.clone()),
        ..SandboxConfig::default()
    };
    let clean = server::start(config(0.0, 0)).await.unwrap();
    let mut reference = Cache::open(&dir.join("clean.sqlite")).unwrap();
    sync::sync(
        &client_of(&clean.url()).await,
        &mut reference,
        true,
        NOW,
        |_| {},
    )
    .await
    .unwrap();
    clean.shutdown().await.unwrap();

    let faulty = server::start(config(0.2, 30)).await.unwrap();
    let mut cache = Cache::open(&dir.join("faulty.sqlite")).unwrap();
    sync::sync(
        &client_of(&faulty.url()).await,
        &mut cache,
        true,
        NOW,
        |_| {},
    )
    .await
    .expect("a fifth of requests failing is retried through");
    assert_eq!(contents(&cache), contents(&reference));
    faulty.shutdown().await.unwrap();
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn titles_survive_incremental_and_interrupted_syncs() {
    let sb = super::sandbox_with(50).await;
    let dir = temp_dir("titles");
    let client = client_of(&sb.url()).await;
    let mut cache = Cache::open(&dir.join("c.sqlite")).unwrap();
    sync::sync(&client, &mut cache, false, NOW, |_| {})
        .await
        .unwrap();
    let titled = |cache: &Cache| {
        cache
            .opportunities()
            .unwrap()
            .iter()
            .filter(|o| o.title.is_some())
            .count()
    };
    assert_eq!(titled(&cache), 50);
    // The next incremental sync lists the newest record again (its date is inclusive).
    sync::sync(&client, &mut cache, false, NOW, |_| {})
        .await
        .unwrap();
    assert_eq!(titled(&cache), 50);
    // An interrupted sync leaves its "modified since" mark where it was, so the next one lists
    // every record again: listed summaries (which carry no title) must not wipe the titles
    // the full records gave.
    cache.set_meta(sync::SINCE_KEY, "0").unwrap();
    let again = sync::sync(&client, &mut cache, false, NOW, |_| {})
        .await
        .unwrap();
    assert_eq!((again.unchanged, again.full_records), (50, 0));
    assert_eq!(titled(&cache), 50);
    sb.shutdown().await.unwrap();
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_on_one_cache_take_turns() {
    let sb = super::sandbox_with(150).await;
    let dir = temp_dir("two");
    let url = sb.url();
    let (a, b) = tokio::join!(
        run_async(&dir, &url, &["sync", "--full"]),
        run_async(&dir, &url, &["sync", "--full"]),
    );
    for out in [&a, &b] {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let listed = run_async(
        &dir,
        &url,
        &["--offline", "opportunities", "list", "--output", "json"],
    )
    .await;
    let rows: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(rows["OpportunitySummaries"].as_array().unwrap().len(), 150);
    sb.shutdown().await.unwrap();
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_damaged_cache_is_moved_aside_and_rebuilt_by_a_full_sync() {
    let sb = super::sandbox_with(30).await;
    let dir = temp_dir("damaged");
    let url = sb.url();
    assert!(run_async(&dir, &url, &["sync"]).await.status.success());
    let caches = dir.join("cache").join("cosell");
    let file = std::fs::read_dir(&caches)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "sqlite"))
        .unwrap();
    std::fs::write(&file, b"this is not a database any more, just some bytes").unwrap();
    let broken = run_async(&dir, &url, &["--offline", "overview"]).await;
    assert_eq!(broken.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&broken.stderr).contains("sync --full"));
    let cured = run_async(&dir, &url, &["sync", "--full"]).await;
    let stderr = String::from_utf8_lossy(&cured.stderr);
    assert!(cured.status.success(), "{stderr}");
    assert!(stderr.contains("kept as"), "{stderr}");
    let overview = run_async(&dir, &url, &["--offline", "overview"]).await;
    assert!(String::from_utf8_lossy(&overview.stdout).contains("Opportunities 30"));
    let kept = std::fs::read_dir(&caches)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".damaged-"))
        .count();
    assert_eq!(kept, 1, "the damaged file is kept for inspection");
    sb.shutdown().await.unwrap();
    std::fs::remove_dir_all(dir).ok();
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn everything_written_is_owner_only_and_no_secret_reaches_a_file_or_the_screen() {
    use std::os::unix::fs::PermissionsExt;
    let sb = super::sandbox_with(20).await;
    let dir = temp_dir("private");
    let url = sb.url();
    // Recognisable fake secrets wherever a user might have them.
    let (key, secret, token) = (
        "AKIACANARY0000000001",
        "CanarySecretKey/0000000000000000000000001",
        "CanarySessionToken0000000000000000000001",
    );
    let canary = |args: &[&str]| {
        let (dir, url) = (dir.clone(), url.clone());
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        tokio::task::spawn_blocking(move || {
            super::command(&dir, &url)
                .env("AWS_ACCESS_KEY_ID", key)
                .env("AWS_SECRET_ACCESS_KEY", secret)
                .env("AWS_SESSION_TOKEN", token)
                // A umask that would leave files world-readable.
                .args(args)
                .output()
                .unwrap()
        })
    };
    let mut printed = Vec::new();
    for args in [
        &["sync", "--out", dir.join("export").to_str().unwrap()][..],
        &["referrals", "accept", "--all", "--yes", "--max", "1"][..],
        &["solutions", "list"][..],
    ] {
        let out = canary(args).await.unwrap();
        printed.extend(out.stdout);
        printed.extend(out.stderr);
    }
    let mut files = Vec::new();
    let mut stack = vec![dir.clone()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let path = entry.path();
            let mode = entry.metadata().unwrap().permissions().mode() & 0o777;
            if path.is_dir() {
                if path != dir && !path.ends_with("config") {
                    assert_eq!(mode, 0o700, "{}", path.display());
                }
                stack.push(path);
            } else {
                assert_eq!(mode, 0o600, "{}", path.display());
                files.push(path);
            }
        }
    }
    let names: Vec<String> = files
        .iter()
        .map(|f| f.file_name().unwrap().to_string_lossy().to_string())
        .collect();
    for expected in [
        "audit.log",
        "cosell.log",
        "opportunities.json",
        "summary.json",
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} in {names:?}"
        );
    }
    let everything: Vec<u8> = files
        .iter()
        .flat_map(|f| std::fs::read(f).unwrap())
        .chain(printed)
        .collect();
    let text = String::from_utf8_lossy(&everything);
    for secret in [key, secret, token] {
        assert!(!text.contains(secret), "{secret} leaked");
    }
    sb.shutdown().await.unwrap();
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_throttled_client_reports_it_and_unthrottled_endpoints_go_unpaced() {
    let sb = super::sandbox_with(10).await;
    let client = client_of(&sb.url()).await;
    let [(name, reads), (_, writes), (_, account)] = client.limits();
    assert_eq!(name, "selling reads");
    assert!(!reads.paced && !writes.paced && !account.paced);
    let aws = PartnerClient::connect(&Settings {
        dummy_credentials: true,
        ..Settings::default()
    })
    .await;
    assert!(
        aws.limits().iter().all(|(_, s)| s.paced),
        "AWS is paced from the start"
    );
    // An error that is not a throttle never turns pacing on.
    let missing = client.get_opportunity("O1").await.unwrap_err();
    assert_eq!(missing.kind, FailureKind::NotFound);
    assert!(!client.limits()[0].1.paced);
    sb.shutdown().await.unwrap();
}
