//! The headless surface as a script sees it: exit statuses, values refused before anything is
//! read, `--offline` that cannot know, one output flag, the API's JSON, `--demo`.

use super::{run_async, sandbox_with, temp_dir};

fn text(out: &std::process::Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enum_flags_take_any_case_and_refuse_unknown_values_with_the_list() {
    let sb = sandbox_with(40).await;
    let dir = temp_dir("enum-flags");
    let url = sb.url();
    let synced = run_async(&dir, &url, &["sync"]).await;
    assert!(synced.status.success(), "{:?}", text(&synced));

    let canonical = run_async(
        &dir,
        &url,
        &[
            "--offline",
            "opportunities",
            "list",
            "--stage",
            "Qualified",
            "--output",
            "csv",
        ],
    )
    .await;
    let loose = run_async(
        &dir,
        &url,
        &[
            "--offline",
            "opportunities",
            "list",
            "--stage",
            "qualified",
            "--output",
            "csv",
        ],
    )
    .await;
    assert!(canonical.status.success(), "{:?}", text(&canonical));
    assert_eq!(canonical.stdout, loose.stdout);
    let rows = String::from_utf8_lossy(&canonical.stdout).lines().count() - 1;
    assert!(rows > 0, "the demo data has Qualified opportunities");
    let spaced = run_async(
        &dir,
        &url,
        &[
            "--offline",
            "opportunities",
            "list",
            "--review-status",
            "action required",
            "--output",
            "json",
        ],
    )
    .await;
    assert!(spaced.status.success(), "{:?}", text(&spaced));

    let refusals: [(&[&str], &str); 5] = [
        (&["opportunities", "list", "--stage", "Foo"], "Closed Lost"),
        (
            &["opportunities", "list", "--review-status", "Pending"],
            "Pending Submission",
        ),
        (&["solutions", "list", "--status", "Foo"], "Inactive"),
        (&["referrals", "list", "--status", "Foo"], "EXPIRED"),
        (&["referrals", "list", "--due-within", "48x"], "48h"),
    ];
    for (args, allowed) in refusals {
        let mut with_offline = vec!["--offline"];
        with_offline.extend(args);
        let out = run_async(&dir, &url, &with_offline).await;
        let (stdout, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stdout.is_empty(), "{args:?} printed {stdout}");
        assert!(stderr.contains(allowed), "{args:?}: {stderr}");
    }
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_without_a_synced_cache_cannot_know_and_says_so() {
    let sb = sandbox_with(10).await;
    let dir = temp_dir("offline-unknown");
    let url = sb.url();
    for args in [
        &["--offline", "referrals", "list", "--due-within", "48h"][..],
        &["--offline", "overview"][..],
    ] {
        let out = run_async(&dir, &url, args).await;
        let (stdout, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(5), "{args:?}: {stderr}");
        assert!(stdout.is_empty(), "{args:?} printed {stdout}");
        assert!(stderr.contains("cosell sync"), "{stderr}");
    }
    let caches: Vec<_> = std::fs::read_dir(dir.join("cache"))
        .map(|d| d.flatten().collect())
        .unwrap_or_default();
    assert_eq!(caches.len(), 0, "--offline created no cache");

    // A cache that exists but was never synced cannot answer either.
    let path = cosell_core::store::cache_path(
        &dir.join("cache").join("cosell"),
        None,
        "AWS",
        Some(url.as_str()),
    );
    drop(cosell_core::store::Cache::open(&path).unwrap());
    for args in [
        &["--offline", "referrals", "list", "--due-within", "48h"][..],
        &["--offline", "overview"][..],
    ] {
        let out = run_async(&dir, &url, args).await;
        let (stdout, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(5), "{args:?}: {stderr}");
        assert!(stdout.is_empty(), "{args:?} printed {stdout}");
        assert!(stderr.contains("never been synced"), "{stderr}");
    }
    std::fs::remove_file(&path).unwrap();

    // `check` against nothing listening leaves no cache behind either.
    let out = run_async(&dir, "http://127.0.0.1:9", &["check"]).await;
    assert_eq!(out.status.code(), Some(1));
    let caches: Vec<_> = std::fs::read_dir(dir.join("cache").join("cosell"))
        .map(|d| d.flatten().collect())
        .unwrap_or_default();
    assert_eq!(caches.len(), 0, "check created no cache");
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_errors_print_one_line_without_a_backtrace() {
    let sb = sandbox_with(5).await;
    let dir = temp_dir("backtrace");
    let out = tokio::task::spawn_blocking({
        let (dir, url) = (dir.clone(), sb.url());
        move || {
            super::command(&dir, &url)
                .env("RUST_BACKTRACE", "1")
                .args(["referrals", "accept"])
                .output()
                .unwrap()
        }
    })
    .await
    .unwrap();
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("error: no rule given"), "{stderr}");
    assert!(!stderr.contains("Backtrace") && !stderr.contains("press R"));
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_prints_the_apis_json_and_outputs_share_one_flag() {
    let sb = sandbox_with(12).await;
    let dir = temp_dir("get-json");
    let url = sb.url();
    let list = run_async(&dir, &url, &["opportunities", "list", "--output", "json"]).await;
    let listed: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    let first = &listed["OpportunitySummaries"][0];
    let id = first["Id"].as_str().unwrap();
    let got = run_async(&dir, &url, &["--offline", "opportunities", "get", id]).await;
    assert!(got.status.success(), "{:?}", text(&got));
    let record: serde_json::Value = serde_json::from_slice(&got.stdout).unwrap();
    for path in [
        "/Id",
        "/Catalog",
        "/LifeCycle/Stage",
        "/Customer/Account/CompanyName",
    ] {
        assert_eq!(record.pointer(path), first.pointer(path), "{path}");
    }
    assert!(record["LastModifiedDate"].as_str().unwrap().ends_with('Z'));
    assert!(record["Project"]["Title"].is_string(), "{record}");
    assert!(record.get("summary").is_none() && record.get("last_modified").is_none());

    for (command, output) in [
        (&["report", "pipeline"][..], "table"),
        (&["report", "pipeline"][..], "slack"),
        (&["export", "crm"][..], "markdown"),
        (&["export", "crm"][..], "slack"),
        (&["export", "crm"][..], "json"),
    ] {
        let mut args = vec!["--offline"];
        args.extend(command);
        args.extend(["--output", output]);
        let out = run_async(&dir, &url, &args).await;
        assert!(out.status.success(), "{args:?}: {:?}", text(&out));
        assert!(!out.stdout.is_empty(), "{args:?}");
    }
    let crm = run_async(
        &dir,
        &url,
        &["--offline", "export", "crm", "--output", "json"],
    )
    .await;
    let records: serde_json::Value = serde_json::from_slice(&crm.stdout).unwrap();
    let records = records.as_array().unwrap();
    assert_eq!(records.len(), 12);
    assert!(
        records
            .iter()
            .all(|r| r["source"] == "AWS Referral" || r["source"] == "Partner Referral"),
        "sources come from AWS's Origin: {records:?}"
    );
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn headless_demo_runs_on_its_own_sandbox_and_leaves_nothing_behind() {
    let dir = temp_dir("headless-demo");
    let out = tokio::task::spawn_blocking({
        let dir = dir.clone();
        move || {
            super::command_without_endpoint(&dir)
                .args(["overview", "--demo"])
                .output()
                .unwrap()
        }
    })
    .await
    .unwrap();
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.contains("Northwind Cloud"), "{stdout}");
    assert!(stdout.contains("Opportunities 500"), "{stdout}");
    let caches: Vec<_> = std::fs::read_dir(dir.join("cache"))
        .map(|d| d.flatten().collect())
        .unwrap_or_default();
    assert_eq!(caches.len(), 0, "the demo's cache is not the user's");
    std::fs::remove_dir_all(dir).ok();
}
