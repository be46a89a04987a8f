//! Shared set-up: an in-process sandbox and real SDK clients pointed at it.

use aws_sdk_partnercentralaccount as account;
use aws_sdk_partnercentralselling as selling;
use cosell_sandbox::{RunningSandbox, SandboxConfig, server};

pub async fn sandbox_with(config: SandboxConfig) -> RunningSandbox {
    server::start(config).await.expect("sandbox starts")
}

pub async fn sandbox() -> RunningSandbox {
    sandbox_with(SandboxConfig {
        opportunities: 300,
        task_delay_ms: 200,
        ..SandboxConfig::default()
    })
    .await
}

fn credentials() -> selling::config::Credentials {
    selling::config::Credentials::new("test", "test", None, None, "cosell-tests")
}

pub fn selling_client(url: &str) -> selling::Client {
    selling_client_with(url, credentials())
}

/// A client acting as another partner: the sandbox reads a directory partner's account id from
/// the access key id.
pub fn selling_client_as(url: &str, account: &str) -> selling::Client {
    selling_client_with(
        url,
        selling::config::Credentials::new(account, "test", None, None, "cosell-tests"),
    )
}

fn selling_client_with(url: &str, credentials: selling::config::Credentials) -> selling::Client {
    let config = selling::Config::builder()
        .behavior_version(selling::config::BehaviorVersion::latest())
        .region(selling::config::Region::new("us-east-1"))
        .credentials_provider(credentials)
        .endpoint_url(url)
        .retry_config(selling::config::retry::RetryConfig::disabled())
        .build();
    selling::Client::from_conf(config)
}

pub fn account_client(url: &str) -> account::Client {
    let config = account::Config::builder()
        .behavior_version(account::config::BehaviorVersion::latest())
        .region(account::config::Region::new("us-east-1"))
        .credentials_provider(account::config::Credentials::new(
            "test",
            "test",
            None,
            None,
            "cosell-tests",
        ))
        .endpoint_url(url)
        .retry_config(account::config::retry::RetryConfig::disabled())
        .build();
    account::Client::from_conf(config)
}

/// Sends a raw HTTP request, for the bad requests no SDK would send. Returns status and body.
pub async fn raw_post(
    addr: std::net::SocketAddr,
    target: Option<&str>,
    body: &[u8],
) -> (u16, serde_json::Value) {
    raw_request(addr, "/", "application/x-amz-json-1.0", target, body).await
}

/// A raw POST as Postman, curl or CRM middleware send it: any path, any content type, with or
/// without `X-Amz-Target`.
pub async fn raw_request(
    addr: std::net::SocketAddr,
    path: &str,
    content_type: &str,
    target: Option<&str>,
    body: &[u8],
) -> (u16, serde_json::Value) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let mut head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    if let Some(t) = target {
        head.push_str(&format!("X-Amz-Target: {t}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await.unwrap();
    // A server may answer an oversized body before reading it all; ignore the broken pipe.
    let _ = stream.write_all(body).await;
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response).await;
    let text = String::from_utf8_lossy(&response).to_string();
    let status: u16 = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = text.split("\r\n\r\n").nth(1).unwrap_or("");
    (
        status,
        serde_json::from_str(body).unwrap_or(serde_json::Value::Null),
    )
}

pub async fn wait_until<F, Fut>(mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..100 {
        if check().await {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("condition not reached within 5 s");
}

pub fn benefits_client(url: &str) -> aws_sdk_partnercentralbenefits::Client {
    use aws_sdk_partnercentralbenefits as benefits;
    let config = benefits::Config::builder()
        .behavior_version(benefits::config::BehaviorVersion::latest())
        .region(benefits::config::Region::new("us-east-1"))
        .credentials_provider(benefits::config::Credentials::new(
            "test",
            "test",
            None,
            None,
            "cosell-tests",
        ))
        .endpoint_url(url)
        .retry_config(benefits::config::retry::RetryConfig::disabled())
        .build();
    benefits::Client::from_conf(config)
}

/// The channel client acting as `account` (the sandbox's own partner with "test").
pub fn channel_client(url: &str, account: &str) -> aws_sdk_partnercentralchannel::Client {
    use aws_sdk_partnercentralchannel as channel;
    let config = channel::Config::builder()
        .behavior_version(channel::config::BehaviorVersion::latest())
        .region(channel::config::Region::new("us-east-1"))
        .credentials_provider(channel::config::Credentials::new(
            account,
            "test",
            None,
            None,
            "cosell-tests",
        ))
        .endpoint_url(url)
        .retry_config(channel::config::retry::RetryConfig::disabled())
        .build();
    channel::Client::from_conf(config)
}
