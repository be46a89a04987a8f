//! The sandbox under hostile or careless clients: slow or silent sockets are cut off, an
//! impossible Content-Length is refused before a byte is read, error replies stay small, a
//! NextToken belongs to the operation that issued it, and the state file is written safely.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use cosell_sandbox::SandboxConfig;

use crate::common::{raw_post, sandbox_with, selling_client};

/// How long the tests wait before calling a socket held open: well past the sandbox's 10 s
/// header and body limits, so a pass is not a race.
const HELD_FOR_TOO_LONG: Duration = Duration::from_secs(40);

async fn small() -> cosell_sandbox::RunningSandbox {
    sandbox_with(SandboxConfig {
        opportunities: 20,
        ..SandboxConfig::default()
    })
    .await
}

/// Reads until the server closes the socket; true when it did before the guard ran out.
async fn closed_by_server(stream: &mut tokio::net::TcpStream) -> bool {
    let mut buf = Vec::new();
    tokio::time::timeout(HELD_FOR_TOO_LONG, stream.read_to_end(&mut buf))
        .await
        .is_ok()
}

#[tokio::test]
async fn silent_and_slow_clients_are_cut_off() {
    let sb = small().await;
    // A client that connects and says nothing, one that sends half its headers, and one that
    // promises a body and sends part of it.
    let mut silent = tokio::net::TcpStream::connect(sb.addr()).await.unwrap();
    let mut half_headers = tokio::net::TcpStream::connect(sb.addr()).await.unwrap();
    half_headers
        .write_all(b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: AWSPartnerCentralSelling.ListSolutions\r\n")
        .await
        .unwrap();
    let mut half_body = tokio::net::TcpStream::connect(sb.addr()).await.unwrap();
    half_body
        .write_all(
            b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: AWSPartnerCentralSelling.ListSolutions\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: 100\r\n\r\n{\"Cat",
        )
        .await
        .unwrap();
    let (a, b, c) = tokio::join!(
        closed_by_server(&mut silent),
        closed_by_server(&mut half_headers),
        closed_by_server(&mut half_body),
    );
    assert!(a, "an idle socket is closed");
    assert!(b, "half a request's headers are not waited for forever");
    assert!(c, "half a body is not waited for forever");
    // The sandbox still serves.
    let solutions = selling_client(&sb.url())
        .list_solutions()
        .catalog("AWS")
        .send()
        .await
        .unwrap();
    assert!(!solutions.solution_summaries().is_empty());
}

#[tokio::test]
async fn an_impossible_content_length_is_refused_before_the_body_is_read() {
    let sb = small().await;
    let mut stream = tokio::net::TcpStream::connect(sb.addr()).await.unwrap();
    stream
        .write_all(
            b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: AWSPartnerCentralSelling.ListSolutions\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: 1000000000000\r\n\r\n0123456789",
        )
        .await
        .unwrap();
    let mut reply = vec![0u8; 512];
    let n = tokio::time::timeout(HELD_FOR_TOO_LONG, stream.read(&mut reply))
        .await
        .expect("answered without waiting for the terabyte")
        .unwrap();
    let head = String::from_utf8_lossy(&reply[..n]);
    assert!(head.starts_with("HTTP/1.1 413"), "{head}");
}

#[tokio::test]
async fn an_error_about_a_huge_request_stays_small() {
    let sb = small().await;
    // Five thousand values that are no primary need: each is a problem, but the reply names
    // a few rather than growing with the request.
    let needs: Vec<String> = (0..5_000)
        .map(|i| format!("\"Not a need from AWS, number {i}\""))
        .collect();
    let body = format!(
        "{{\"Catalog\": \"AWS\", \"PrimaryNeedsFromAws\": [{}]}}",
        needs.join(",")
    );
    assert!(body.len() > 100_000);
    let (status, reply) = raw_post(
        sb.addr(),
        Some("AWSPartnerCentralSelling.CreateOpportunity"),
        body.as_bytes(),
    )
    .await;
    assert_eq!(status, 400);
    let text = reply.to_string();
    assert!(text.len() < 32_000, "a {} byte reply", text.len());
    assert_eq!(reply["ErrorList"].as_array().map(Vec::len), Some(20));
}

#[tokio::test]
async fn a_next_token_belongs_to_the_list_that_issued_it() {
    let sb = small().await;
    let client = selling_client(&sb.url());
    let page = client
        .list_opportunities()
        .catalog("AWS")
        .max_results(5)
        .send()
        .await
        .unwrap();
    let token = page.next_token().expect("more than one page").to_string();
    let err = client
        .list_solutions()
        .catalog("AWS")
        .next_token(&token)
        .send()
        .await
        .unwrap_err();
    let text = format!("{:?}", err.into_service_error());
    assert!(text.contains("NextToken"), "{text}");
    // The list that issued it still takes it.
    let next = client
        .list_opportunities()
        .catalog("AWS")
        .max_results(5)
        .next_token(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(next.opportunity_summaries().len(), 5);
}

#[tokio::test]
async fn an_unwritable_state_file_is_refused_at_start() {
    let err = cosell_sandbox::server::start(SandboxConfig {
        opportunities: 5,
        state_file: Some("/proc/cosell-cannot-write-here/state.json".into()),
        ..SandboxConfig::default()
    })
    .await
    .err()
    .expect("refused");
    assert!(
        err.to_string().contains("every change would be lost"),
        "{err}"
    );
}

#[cfg(unix)]
#[tokio::test]
async fn the_state_file_is_replaced_without_following_a_planted_link() {
    let dir = std::env::temp_dir().join(format!("cosell-state-link-{}", fastrand::u32(..)));
    std::fs::create_dir_all(&dir).unwrap();
    let victim = dir.join("victim.txt");
    std::fs::write(&victim, "untouched").unwrap();
    // The old fixed temporary name, planted as a link to another file.
    std::os::unix::fs::symlink(&victim, dir.join("state.tmp")).unwrap();
    let state = dir.join("state.json");
    let sb = cosell_sandbox::server::start(SandboxConfig {
        opportunities: 5,
        state_file: Some(state.clone()),
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    sb.shutdown().await.unwrap();
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "untouched");
    let saved = std::fs::read_to_string(&state).unwrap();
    let first: serde_json::Value = serde_json::from_str(saved.lines().next().unwrap()).unwrap();
    assert!(first["State"].get("catalogs").is_some(), "{first}");
    let leftovers = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .filter(|e| {
            e.file_name().to_string_lossy().ends_with(".tmp") && e.path() != dir.join("state.tmp")
        })
        .count();
    assert_eq!(leftovers, 0);
    std::fs::remove_dir_all(&dir).unwrap();
}
