//! Scale benchmarks with the real binaries, per pipeline size:
//! - memory of `cosell sandbox` holding the records, and of the TUI (in tmux) with every
//!   opportunity loaded from it;
//! - a full and then an incremental `cosell sync` against `cosell sandbox --throttle real` (the
//!   documented 10 reads/s), set against the least time that quota allows for the reads the
//!   sync made (counted from the sandbox's request log);
//! - the same records read the guide's way: the `aws` CLI looping over pages of 50 and calling
//!   get-opportunity for each record, against the same throttled sandbox.
//!
//! - `cosell opportunities apply` of COSELL_BENCH_APPLY updates (default 100) against the
//!   real quota, against the least time the write quota (1/s) allows, beside the guide's loop
//!   (`aws partnercentral-selling update-opportunity` then `sleep 0.5`, per record).
//!
//! Run: `cargo bench --bench scale`. Sizes: COSELL_BENCH_SIZES (default 1000,10000,100000).
//! Quota-bound runs take calls/10 seconds, so they run up to COSELL_BENCH_QUOTA_MAX
//! opportunities (default 1000); the CLI loop up to COSELL_BENCH_CLI_MAX (default 1000), with
//! the `aws` found on PATH or in .venv-conformance.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_cosell");
/// The sandbox's read bucket: 10 per second, a burst of one second's worth.
const READS_PER_SECOND: f64 = 10.0;

fn sizes(var: &str, default: &str) -> Vec<usize> {
    std::env::var(var)
        .unwrap_or_else(|_| default.into())
        .split(',')
        .map(|s| s.trim().parse().expect("sizes are numbers"))
        .collect()
}

fn limit(var: &str, default: usize) -> usize {
    std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

struct Sandbox {
    child: Child,
    url: String,
    log: PathBuf,
}

impl Sandbox {
    fn start(dir: &Path, opportunities: usize, throttle: bool) -> Sandbox {
        let log = dir.join(format!("sandbox-{opportunities}-{throttle}.log"));
        let mut command = Command::new(BIN);
        command.args([
            "sandbox",
            "--bind",
            "127.0.0.1:0",
            "--opportunities",
            &opportunities.to_string(),
        ]);
        if throttle {
            command.args(["--throttle", "real"]);
        }
        let mut child = command
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        let url = first
            .trim()
            .strip_prefix("cosell sandbox listening on ")
            .unwrap_or_else(|| panic!("the sandbox did not start: {first}"))
            .to_string();
        Sandbox { child, url, log }
    }

    /// Requests answered since the log was last cut, per operation: (answered, throttled).
    fn calls(&self) -> BTreeMap<String, (u64, u64)> {
        let text = std::fs::read_to_string(&self.log).unwrap();
        let mut calls: BTreeMap<String, (u64, u64)> = BTreeMap::new();
        for line in text.lines() {
            let words: Vec<&str> = line.split_whitespace().collect();
            let Some(at) = words
                .windows(2)
                .position(|w| w[0].len() == 3 && w[0].parse::<u16>().is_ok() && w[1].contains('.'))
            else {
                continue;
            };
            let operation = words[at + 1].rsplit('.').next().unwrap().to_string();
            let entry = calls.entry(operation).or_default();
            match words[at] {
                "429" => entry.1 += 1,
                _ => entry.0 += 1,
            }
        }
        calls
    }

    fn cut_log(&self) {
        std::fs::File::create(&self.log).unwrap();
    }

    fn memory_kb(&self) -> (u64, u64) {
        memory_kb(self.child.id())
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// (peak, current) resident memory of a process, in kB.
fn memory_kb(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmHWM:"), field("VmRSS:"))
}

fn cosell(dir: &Path, url: &str) -> Command {
    let mut command = Command::new(BIN);
    command
        .env("XDG_CACHE_HOME", dir.join("cache"))
        .env("XDG_STATE_HOME", dir.join("state"))
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("COSELL_CONFIG", "")
        .env("AWS_ACCESS_KEY_ID", "bench")
        .env("AWS_SECRET_ACCESS_KEY", "bench")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .args(["--endpoint-url", url]);
    command
}

/// Calls counted against the selling read quota (`write` false) or write quota, answered and
/// throttled: the sandbox's own grouping, so the bench counts what the sandbox throttles.
fn quota_calls(calls: &BTreeMap<String, (u64, u64)>, write: bool) -> (u64, u64) {
    calls
        .iter()
        .filter(|(op, _)| cosell_sandbox::selling::quota_group(op) == Some(write))
        .fold((0, 0), |(a, t), (_, (ok, thr))| (a + ok, t + thr))
}

/// The benefits and channel lists a sync keeps (and the reads of each allocation's amount).
const FUNDING_READS: [&str; 7] = [
    "ListBenefits",
    "ListBenefitApplications",
    "ListBenefitAllocations",
    "GetBenefitAllocation",
    "ListProgramManagementAccounts",
    "ListRelationships",
    "ListChannelHandshakes",
];

fn funding_reads(calls: &BTreeMap<String, (u64, u64)>) -> u64 {
    calls
        .iter()
        .filter(|(op, _)| FUNDING_READS.contains(&op.as_str()))
        .map(|(_, (ok, _))| ok)
        .sum()
}

fn quota_reads(calls: &BTreeMap<String, (u64, u64)>) -> (u64, u64) {
    quota_calls(calls, false)
}

fn quota_writes(calls: &BTreeMap<String, (u64, u64)>) -> (u64, u64) {
    quota_calls(calls, true)
}

/// A bare HTTP POST to the sandbox, done before timing; a throttled one waits and goes again
/// (the preparation reads faster than the quota allows).
fn post(url: &str, target: &str, body: &serde_json::Value) -> serde_json::Value {
    loop {
        let answer = post_once(url, target, body);
        let throttled = answer["__type"]
            .as_str()
            .is_some_and(|t| t.contains("Throttling"));
        if !throttled {
            return answer;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn post_once(url: &str, target: &str, body: &serde_json::Value) -> serde_json::Value {
    use std::io::{Read, Write};
    let addr = url.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    let body = body.to_string();
    write!(
        stream,
        "POST / HTTP/1.1\r\nHost: {addr}\r\nX-Amz-Target: AWSPartnerCentralSelling.{target}\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    serde_json::from_str(response.split("\r\n\r\n").nth(1).unwrap()).unwrap()
}

/// The first `n` Pending Submission records of a sandbox (read before any timing).
fn pending_ids(url: &str, n: usize) -> Vec<String> {
    let mut ids = Vec::new();
    let mut token: Option<String> = None;
    while ids.len() < n {
        let mut body = serde_json::json!({"Catalog": "AWS", "MaxResults": 100,
            "LifeCycleReviewStatus": ["Pending Submission"]});
        if let Some(t) = &token {
            body["NextToken"] = serde_json::json!(t);
        }
        let page = post(url, "ListOpportunities", &body);
        for o in page["OpportunitySummaries"].as_array().unwrap() {
            ids.push(o["Id"].as_str().unwrap().to_string());
        }
        match page["NextToken"].as_str() {
            Some(t) => token = Some(t.to_string()),
            None => break,
        }
    }
    ids.truncate(n);
    ids
}

/// `cosell opportunities apply` of `n` next-steps changes, then the guide's loop over the same
/// records, each against its own throttled sandbox.
fn bulk_apply(dir: &Path, n: usize) {
    let sandbox = Sandbox::start(dir, 4 * n.max(100), true);
    let home = dir.join("apply");
    // The cache first, as a morning's sync leaves it; not timed.
    synced(&home, &sandbox, true);
    let ids = pending_ids(&sandbox.url, n);
    assert_eq!(ids.len(), n, "the premise: {n} editable records");
    // Reads spent before timing refill within a second; start from a full bucket.
    std::thread::sleep(Duration::from_secs(2));
    let mut csv = String::from("Id,LifeCycle.NextSteps\n");
    for (i, id) in ids.iter().enumerate() {
        csv.push_str(&format!("{id},Bench step {i}\n"));
    }
    let file = dir.join("bench-apply.csv");
    std::fs::write(&file, csv).unwrap();
    sandbox.cut_log();
    let started = Instant::now();
    let out = cosell(&home, &sandbox.url)
        .args([
            "opportunities",
            "apply",
            file.to_str().unwrap(),
            "--yes",
            "--max",
        ])
        .arg(n.to_string())
        .output()
        .unwrap();
    let took = started.elapsed().as_secs_f64();
    assert!(
        out.status.success(),
        "apply failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let calls = sandbox.calls();
    let (writes, throttled_writes) = quota_writes(&calls);
    let (reads, _) = quota_reads(&calls);
    assert_eq!(writes as usize, n, "the premise: one update per row");
    // One write a second with a burst of one; the reads (10/s) overlap with the waits.
    let minimum = ((writes as f64 - 1.0).max(0.0)).max(quota_minimum(reads));
    println!(
        "{:<58} {:>8.2} s  ({writes} writes, {throttled_writes} throttled, {reads} reads; quota minimum {minimum:.2} s; {:.3}x)",
        format!("opportunities apply, {n} updates, --throttle real"),
        took,
        took / minimum
    );
    drop(sandbox);

    let Some(aws) = aws_cli() else {
        println!("the guide's update loop: skipped (no aws CLI)");
        return;
    };
    let sandbox = Sandbox::start(dir, 4 * n.max(100), true);
    let ids = pending_ids(&sandbox.url, n);
    // The guide's update-opp.json per record: the whole record sent back with one change
    // (sent with only the stage it would erase the rest).
    let documents: Vec<PathBuf> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let got = post(
                &sandbox.url,
                "GetOpportunity",
                &serde_json::json!({"Catalog": "AWS", "Identifier": id}),
            );
            let mut doc = serde_json::json!({"Catalog": "AWS", "Identifier": id,
                "LastModifiedDate": got["LastModifiedDate"]});
            for member in [
                "Customer",
                "Project",
                "OpportunityType",
                "PrimaryNeedsFromAws",
                "NationalSecurity",
                "PartnerOpportunityIdentifier",
                "Marketing",
                "SoftwareRevenue",
                "LifeCycle",
            ] {
                if !got[member].is_null() {
                    doc[member] = got[member].clone();
                }
            }
            let life = doc["LifeCycle"].as_object_mut().unwrap();
            for aws_owned in [
                "ReviewStatus",
                "ReviewComments",
                "ReviewStatusReason",
                "NextStepsHistory",
            ] {
                life.remove(aws_owned);
            }
            life.insert(
                "NextSteps".into(),
                serde_json::json!(format!("Bench step {i}")),
            );
            let path = dir.join(format!("update-opp-{i}.json"));
            std::fs::write(&path, doc.to_string()).unwrap();
            path
        })
        .collect();
    std::thread::sleep(Duration::from_secs(2));
    sandbox.cut_log();
    let started = Instant::now();
    for document in &documents {
        let out = Command::new(&aws)
            .args([
                "partnercentral-selling",
                "update-opportunity",
                "--region",
                "us-east-1",
            ])
            .arg("--cli-input-json")
            .arg(format!("file://{}", document.display()))
            .env("AWS_ACCESS_KEY_ID", "bench")
            .env("AWS_SECRET_ACCESS_KEY", "bench")
            .env("AWS_CONFIG_FILE", "/dev/null")
            .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
            .env("AWS_ENDPOINT_URL", &sandbox.url)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        std::thread::sleep(Duration::from_millis(500));
    }
    let took = started.elapsed().as_secs_f64();
    let (writes, throttled) = quota_writes(&sandbox.calls());
    println!(
        "{:<58} {:>8.2} s  ({writes} writes answered, {throttled} throttled and retried by the CLI)",
        "the guide's loop: update-opportunity + sleep 0.5, same rows", took
    );
}

/// The least time `reads` answered reads take at the quota, starting with a full burst.
fn quota_minimum(reads: u64) -> f64 {
    (reads as f64 - READS_PER_SECOND).max(0.0) / READS_PER_SECOND
}

fn tui_memory(dir: &Path, n: usize) -> Option<((u64, u64), (u64, u64))> {
    if Command::new("tmux").arg("-V").output().is_err() {
        return None;
    }
    let sandbox = Sandbox::start(dir, n, false);
    let session = format!("cosell-scale-{}-{n}", std::process::id());
    let home = dir.join(format!("tui-{n}"));
    let command = format!(
        "env XDG_CACHE_HOME={h} XDG_STATE_HOME={h} XDG_CONFIG_HOME={h} COSELL_CONFIG= \
         AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_CONFIG_FILE=/dev/null \
         {BIN} --endpoint-url {}",
        sandbox.url,
        h = home.display()
    );
    let status = Command::new("tmux")
        .args([
            "new-session",
            "-d",
            "-s",
            &session,
            "-x",
            "140",
            "-y",
            "40",
            &command,
        ])
        .status()
        .unwrap();
    assert!(status.success());
    let loaded = format!("Opportunities ({n})");
    let started = Instant::now();
    loop {
        let screen = Command::new("tmux")
            .args(["capture-pane", "-p", "-t", &session])
            .output()
            .unwrap();
        let screen = String::from_utf8_lossy(&screen.stdout);
        if screen.contains(&loaded) && !screen.contains("loading") {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(600),
            "the TUI never loaded {n} opportunities:\n{screen}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    // Titles and the cache write-back carry on after the list is in: let them settle.
    std::thread::sleep(Duration::from_secs(10));
    let pane = Command::new("tmux")
        .args(["list-panes", "-t", &session, "-F", "#{pane_pid}"])
        .output()
        .unwrap();
    let pid: u32 = String::from_utf8_lossy(&pane.stdout)
        .trim()
        .parse()
        .unwrap();
    // The pane runs `env`, which execs cosell: the pane's process is the TUI.
    let tui = memory_kb(pid);
    let server = sandbox.memory_kb();
    let _ = Command::new("tmux")
        .args(["kill-session", "-t", &session])
        .status();
    Some((tui, server))
}

fn synced(dir: &Path, sandbox: &Sandbox, full: bool) -> (f64, u64, u64, u64) {
    sandbox.cut_log();
    let started = Instant::now();
    let mut command = cosell(dir, &sandbox.url);
    command.arg("sync");
    if full {
        command.arg("--full");
    }
    let out = command.output().unwrap();
    let took = started.elapsed().as_secs_f64();
    assert!(
        out.status.success(),
        "sync failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let calls = sandbox.calls();
    let (reads, throttled) = quota_reads(&calls);
    (took, reads, throttled, funding_reads(&calls))
}

fn aws_cli() -> Option<PathBuf> {
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv-conformance/bin/aws");
    if venv.exists() {
        return Some(venv);
    }
    Command::new("aws")
        .arg("--version")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|_| PathBuf::from("aws"))
}

/// The guide's loop: list-opportunities in pages of 50 following NextToken, then get-opportunity
/// for every record, one CLI process per call. Returns (seconds, calls, records read).
fn guide_loop(aws: &Path, url: &str) -> (f64, u64, usize) {
    let run = |args: &[&str]| -> serde_json::Value {
        let out = Command::new(aws)
            .args(["partnercentral-selling"])
            .args(args)
            .args([
                "--catalog",
                "AWS",
                "--region",
                "us-east-1",
                "--output",
                "json",
            ])
            .env("AWS_ACCESS_KEY_ID", "bench")
            .env("AWS_SECRET_ACCESS_KEY", "bench")
            .env("AWS_CONFIG_FILE", "/dev/null")
            .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
            .env("AWS_ENDPOINT_URL", url)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "aws {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let started = Instant::now();
    let mut calls = 0;
    let mut ids = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut args = vec!["list-opportunities", "--max-results", "50"];
        if let Some(t) = &token {
            args.extend(["--next-token", t]);
        }
        let page = run(&args);
        calls += 1;
        for summary in page["OpportunitySummaries"].as_array().unwrap() {
            ids.push(summary["Id"].as_str().unwrap().to_string());
        }
        match page["NextToken"].as_str() {
            Some(t) => token = Some(t.to_string()),
            None => break,
        }
    }
    for id in &ids {
        let record = run(&["get-opportunity", "--identifier", id]);
        assert_eq!(record["Id"], id.as_str());
        calls += 1;
    }
    (started.elapsed().as_secs_f64(), calls, ids.len())
}

fn main() {
    let dir = std::env::temp_dir().join(format!("cosell-bench-scale-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let quota_max = limit("COSELL_BENCH_QUOTA_MAX", 1_000);
    let cli_max = limit("COSELL_BENCH_CLI_MAX", 1_000);
    for n in sizes("COSELL_BENCH_SIZES", "1000,10000,100000") {
        println!("== {n} opportunities");
        let idle = Sandbox::start(&dir, n, false);
        let (peak, now) = idle.memory_kb();
        println!(
            "{:<58} {:>8.1} MB (peak {:.1} MB)",
            "sandbox memory after start",
            now as f64 / 1024.0,
            peak as f64 / 1024.0
        );
        drop(idle);
        match tui_memory(&dir, n) {
            Some(((tui_peak, tui_now), (sb_peak, sb_now))) => {
                println!(
                    "{:<58} {:>8.1} MB (peak {:.1} MB)",
                    "TUI memory, every opportunity loaded",
                    tui_now as f64 / 1024.0,
                    tui_peak as f64 / 1024.0
                );
                println!(
                    "{:<58} {:>8.1} MB (peak {:.1} MB)",
                    "sandbox memory after serving the TUI",
                    sb_now as f64 / 1024.0,
                    sb_peak as f64 / 1024.0
                );
            }
            None => println!("TUI memory: skipped (tmux not installed)"),
        }
        if n <= quota_max {
            let sandbox = Sandbox::start(&dir, n, true);
            let home = dir.join(format!("sync-{n}"));
            for (label, full) in [("full sync", true), ("incremental sync right after", false)] {
                let (took, reads, throttled, funding) = synced(&home, &sandbox, full);
                let minimum = quota_minimum(reads);
                // The premise: a full sync reads at least every record once, and every sync
                // reads each benefits and channel list (handshakes: three types, two sides).
                if full {
                    assert!(reads as usize >= n, "{reads} reads for {n} records");
                }
                assert!(funding >= 11, "{funding} benefits and channel reads");
                let against = if minimum > 0.0 {
                    format!("quota minimum {minimum:.2} s; {:.3}x", took / minimum)
                } else {
                    "within the quota's one-second burst".to_string()
                };
                println!(
                    "{:<58} {:>8.2} s  ({reads} quota reads, {throttled} throttled; {against}; {funding} benefits and channel reads)",
                    format!("{label}, --throttle real"),
                    took,
                );
            }
            if n <= cli_max {
                match aws_cli() {
                    Some(aws) => {
                        let (took, calls, records) = guide_loop(&aws, &sandbox.url);
                        assert_eq!(records, n, "the loop read every record");
                        println!(
                            "{:<58} {:>8.2} s  ({calls} CLI calls, {records} records, {:.1} calls/s)",
                            "the guide's aws CLI loop, same sandbox",
                            took,
                            calls as f64 / took
                        );
                    }
                    None => println!("the guide's aws CLI loop: skipped (no aws CLI)"),
                }
            }
        }
    }
    let apply = limit("COSELL_BENCH_APPLY", 100);
    if apply > 0 {
        println!("== bulk apply");
        bulk_apply(&dir, apply);
    }
    std::fs::remove_dir_all(&dir).ok();
}
