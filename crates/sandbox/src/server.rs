//! HTTP for the sandbox: one loopback port for both services, routed on `X-Amz-Target`, plus the
//! things a real endpoint does that the pure core should not know about: quotas, injected faults
//! and latency, request logging, and persistence.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::watch;

use super::clock::now_millis;
use super::error::{ApiError, Service, capped};
use super::persist::{LoadError, Persister};
use super::state::State;
use super::store::Rng;
use super::{Target, is_read_only, parse_input, resolve_target};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ThrottleMode {
    #[default]
    Off,
    /// The documented per-account selling rates: reads 10/s, writes 1/s.
    Real,
}

#[derive(Debug, Clone)]
pub struct SandboxConfig {
    pub bind: SocketAddr,
    pub seed: u64,
    pub opportunities: usize,
    pub state_file: Option<PathBuf>,
    pub throttle: ThrottleMode,
    pub fault_rate: f64,
    pub latency_ms: u64,
    pub task_delay_ms: i64,
    /// How long a referral acceptance task takes (the real service finishes it in the request).
    pub accept_delay_ms: i64,
    pub max_body_bytes: usize,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            seed: 42,
            opportunities: 500,
            state_file: None,
            throttle: ThrottleMode::Off,
            fault_rate: 0.0,
            latency_ms: 0,
            task_delay_ms: 1500,
            accept_delay_ms: 0,
            max_body_bytes: 1 << 20,
        }
    }
}

struct Bucket {
    tokens: f64,
    rate: f64,
    last: Instant,
}

impl Bucket {
    fn new(rate: f64) -> Bucket {
        Bucket {
            tokens: rate,
            rate,
            last: Instant::now(),
        }
    }

    fn take(&mut self) -> bool {
        let now = Instant::now();
        let elapsed = now.duration_since(self.last).as_secs_f64();
        self.last = now;
        // Burst equals one second of quota, as a per-second rate implies.
        self.tokens = (self.tokens + elapsed * self.rate).min(self.rate);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

struct Shared {
    state: Mutex<State>,
    config: SandboxConfig,
    reads: Mutex<Bucket>,
    writes: Mutex<Bucket>,
    faults: Mutex<Rng>,
    dirty: AtomicBool,
    persister: Option<Mutex<Persister>>,
    calls: Mutex<BTreeMap<String, u64>>,
    request_counter: AtomicU64,
}

/// A sandbox serving on a socket. Dropping it stops the server (after a final save).
pub struct RunningSandbox {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: watch::Sender<bool>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl RunningSandbox {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The partner's AWS account: what CreatedBy and engagement members name.
    pub fn account_id(&self) -> String {
        self.shared
            .state
            .lock()
            .expect("state lock")
            .account_id
            .clone()
    }

    /// How many requests each operation has received (keyed `Prefix.Operation`), so tests can
    /// assert how many calls a client needed.
    pub fn calls(&self) -> BTreeMap<String, u64> {
        self.shared.calls.lock().expect("calls lock").clone()
    }

    pub fn reset_calls(&self) {
        self.shared.calls.lock().expect("calls lock").clear();
    }

    /// Changes how long submission tasks and the start of a review take from now on.
    pub fn set_task_delay(&self, delay: Duration) {
        self.shared.state.lock().expect("state lock").task_delay_ms = delay.as_millis() as i64;
    }

    /// Changes how long referral acceptance tasks take from now on (zero: within the request).
    pub fn set_accept_delay(&self, delay: Duration) {
        self.shared
            .state
            .lock()
            .expect("state lock")
            .accept_delay_ms = delay.as_millis() as i64;
    }

    /// Stops accepting, waits for the accept loop, and saves state if a file was given.
    pub async fn shutdown(mut self) -> std::io::Result<()> {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
        save_if_needed(&self.shared, Save::Changes)
    }
}

impl Drop for RunningSandbox {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot bind {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot read sandbox state {path}: {source}")]
    Load {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("sandbox state {path} is not a cosell sandbox state file: {source}")]
    Parse {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error(
        "cannot write sandbox state {path}: {source}; every change would be lost on exit, so the sandbox does not start"
    )]
    Save {
        path: PathBuf,
        source: std::io::Error,
    },
}

fn load_or_generate(config: &SandboxConfig) -> Result<State, StartError> {
    if let Some(path) = &config.state_file
        && path.exists()
    {
        let mut state = super::persist::load(path).map_err(|err| match err {
            LoadError::Read(source) => StartError::Load {
                path: path.clone(),
                source,
            },
            LoadError::Parse(source) => StartError::Parse {
                path: path.clone(),
                source,
            },
        })?;
        state.rebuild_indexes();
        state.task_delay_ms = config.task_delay_ms;
        state.accept_delay_ms = config.accept_delay_ms;
        return Ok(state);
    }
    let mut state = super::demo::generate(config.seed, config.opportunities, now_millis());
    state.task_delay_ms = config.task_delay_ms;
    state.accept_delay_ms = config.accept_delay_ms;
    Ok(state)
}

/// When a save happens and how much it writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Save {
    /// The periodic flush: the changes, if a request changed something.
    IfChanged,
    /// On exit: the changes, including the background work (reviews starting, tasks
    /// finishing) that no request marked.
    Changes,
    /// At start: everything, which also proves the file can be written.
    Everything,
}

/// Saves the state if there is a file. The persister's lock is taken first so that saves never
/// interleave; the state's lock is held only while the changes are gathered and written.
fn save_if_needed(shared: &Shared, save: Save) -> std::io::Result<()> {
    let Some(persister) = &shared.persister else {
        return Ok(());
    };
    let mut persister = persister.lock().expect("persister lock");
    let changed = shared.dirty.swap(false, Ordering::AcqRel);
    if save == Save::IfChanged && !changed {
        return Ok(());
    }
    let mut state = shared
        .state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    persister
        .save(&mut state, save == Save::Everything)
        .map(|_| ())
}

/// A client gets this long to send a request's headers (and an idle keep-alive connection this
/// long before it is closed), and this long again for its body.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
const BODY_TIMEOUT: Duration = Duration::from_secs(10);
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// One connection: slow or silent clients are cut off, so they cannot hold the sandbox's sockets.
async fn serve_connection(stream: tokio::net::TcpStream, shared: Arc<Shared>) {
    let service = service_fn(move |req| {
        let shared = shared.clone();
        async move { Ok::<_, Infallible>(serve(shared, req).await) }
    });
    let _ = http1::Builder::new()
        .timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT)
        .serve_connection(TokioIo::new(stream), service)
        .await;
}

pub async fn start(config: SandboxConfig) -> Result<RunningSandbox, StartError> {
    let state = load_or_generate(&config)?;
    let listener = TcpListener::bind(config.bind)
        .await
        .map_err(|source| StartError::Bind {
            addr: config.bind,
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| StartError::Bind {
        addr: config.bind,
        source,
    })?;
    let shared = Arc::new(Shared {
        state: Mutex::new(state),
        reads: Mutex::new(Bucket::new(10.0)),
        writes: Mutex::new(Bucket::new(1.0)),
        faults: Mutex::new(Rng(config.seed.wrapping_mul(31).wrapping_add(7))),
        dirty: AtomicBool::new(config.state_file.is_some()),
        persister: config
            .state_file
            .clone()
            .map(|path| Mutex::new(Persister::new(path))),
        calls: Mutex::new(BTreeMap::new()),
        request_counter: AtomicU64::new(0),
        config,
    });
    if let Some(path) = &shared.config.state_file
        && let Err(source) = save_if_needed(&shared, Save::Everything)
    {
        return Err(StartError::Save {
            path: path.clone(),
            source,
        });
    }
    let (stop, mut stopped) = watch::channel(false);
    let loop_shared = shared.clone();
    let task = tokio::spawn(async move {
        let mut flush = tokio::time::interval(Duration::from_secs(1));
        loop {
            tokio::select! {
                _ = stopped.changed() => break,
                _ = flush.tick() => {
                    if let Err(err) = save_if_needed(&loop_shared, Save::IfChanged) {
                        tracing::warn!(%err, "could not save sandbox state");
                    }
                }
                accepted = listener.accept() => {
                    let stream = match accepted {
                        Ok((stream, _)) => stream,
                        Err(err) => {
                            // Out of file descriptors (or another transient refusal): wait for
                            // connections to close instead of spinning on accept.
                            tracing::warn!(%err, "accept failed; backing off");
                            tokio::time::sleep(ACCEPT_BACKOFF).await;
                            continue;
                        }
                    };
                    let _ = stream.set_nodelay(true);
                    let conn_shared = loop_shared.clone();
                    tokio::spawn(serve_connection(stream, conn_shared));
                }
            }
        }
    });
    Ok(RunningSandbox {
        addr,
        shared,
        stop,
        task: Some(task),
    })
}

fn respond(
    status: u16,
    body: String,
    error: Option<&str>,
    request_id: &str,
) -> Response<Full<Bytes>> {
    let mut builder = Response::builder()
        .status(status)
        .header("content-type", "application/x-amz-json-1.0")
        .header("x-amzn-RequestId", request_id);
    if let Some(code) = error {
        builder = builder.header("x-amzn-ErrorType", code);
    }
    builder
        .body(Full::new(Bytes::from(body)))
        .expect("static response parts are valid")
}

fn error_response(err: &ApiError, service: Service, request_id: &str) -> Response<Full<Bytes>> {
    respond(
        err.status(),
        err.body(service).to_string(),
        Some(err.code()),
        request_id,
    )
}

/// The request's body, within the size and time limits: a declared length over the limit is
/// refused before a byte of it is read.
async fn read_body(
    shared: &Shared,
    request: Request<Incoming>,
    declared: Option<u64>,
) -> Result<Bytes, ApiError> {
    let limit = shared.config.max_body_bytes;
    if declared.is_some_and(|l| l > limit as u64) {
        return Err(ApiError::TooLarge(limit));
    }
    let collected = tokio::time::timeout(
        BODY_TIMEOUT,
        Limited::new(request.into_body(), limit).collect(),
    )
    .await;
    match collected {
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
        Ok(Err(_)) => Err(ApiError::TooLarge(limit)),
        Err(_) => Err(ApiError::Validation {
            business: false,
            message: format!(
                "The request body did not arrive within {}s",
                BODY_TIMEOUT.as_secs()
            ),
            fields: Vec::new(),
        }),
    }
}

async fn serve(shared: Arc<Shared>, request: Request<Incoming>) -> Response<Full<Bytes>> {
    let started = Instant::now();
    let n = shared.request_counter.fetch_add(1, Ordering::Relaxed);
    let request_id = format!(
        "{:08x}-cose-11sa-ndbx-{:012x}",
        shared.config.seed as u32, n
    );
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let target_header = header("x-amz-target").unwrap_or_default();
    // SigV4's `Credential=AKID/date/region/service/aws4_request`: only the key id is read.
    let access_key = header("authorization").and_then(|auth| {
        let credential = auth.split("Credential=").nth(1)?;
        Some(credential.split('/').next()?.to_string())
    });
    let path = request.uri().path().to_string();
    let service_guess = if target_header.starts_with(super::ACCOUNT_PREFIX) {
        Service::Account
    } else if target_header.starts_with(super::BENEFITS_PREFIX) {
        Service::Benefits
    } else if target_header.starts_with(super::CHANNEL_PREFIX) {
        Service::Channel
    } else {
        Service::Selling
    };
    if request.method() != hyper::Method::POST {
        let err = ApiError::UnknownOperation(format!("{} {}", request.method(), request.uri()));
        return error_response(&err, service_guess, &request_id);
    }
    let declared = header("content-length").and_then(|l| l.parse::<u64>().ok());
    let body = match read_body(&shared, request, declared).await {
        Ok(body) => body,
        Err(err) => return error_response(&err, service_guess, &request_id),
    };
    let routed = if target_header.is_empty() && path != "/" {
        super::resolve_path(&path)
    } else {
        resolve_target(&target_header)
    };
    let target = match routed {
        Ok(t) => t,
        Err(err) => {
            tracing::info!(
                target: "cosell::sandbox",
                "400 {:?} {} unknown operation",
                capped(&target_header, 200),
                capped(&path, 200)
            );
            return error_response(&err, service_guess, &request_id);
        }
    };
    let target_header = target.header_form();
    if shared.config.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(shared.config.latency_ms)).await;
    }
    *shared
        .calls
        .lock()
        .expect("calls lock")
        .entry(target_header.clone())
        .or_default() += 1;
    let outcome = handle(&shared, &target, &body, access_key.as_deref());
    let elapsed = started.elapsed();
    match outcome {
        Ok(reply) => {
            tracing::info!(target: "cosell::sandbox", "200 {target_header} {:.3}ms", elapsed.as_secs_f64() * 1000.0);
            respond(200, reply.into_text(), None, &request_id)
        }
        Err(err) => {
            tracing::info!(
                target: "cosell::sandbox",
                "{} {target_header} {:.3}ms {}: {}",
                err.status(),
                elapsed.as_secs_f64() * 1000.0,
                err.code(),
                // A log line stays a line, whatever the request held.
                capped(&err.message(), 300)
            );
            error_response(&err, target.service, &request_id)
        }
    }
}

fn handle(
    shared: &Shared,
    target: &Target,
    body: &[u8],
    access_key: Option<&str>,
) -> Result<super::Reply, ApiError> {
    if shared.config.throttle == ThrottleMode::Real
        && target.service == Service::Selling
        && let Some(write) = super::selling::quota_group(&target.operation)
    {
        let bucket = if write { &shared.writes } else { &shared.reads };
        if !bucket.lock().expect("bucket lock").take() {
            return Err(ApiError::Throttling(format!(
                "Rate exceeded: {} allows {} per second for this account",
                target.operation,
                if write { "1 write" } else { "10 reads" }
            )));
        }
    }
    if shared.config.fault_rate > 0.0 {
        let mut rng = shared.faults.lock().expect("fault lock");
        if rng.chance(shared.config.fault_rate) {
            return Err(if rng.chance(0.5) {
                ApiError::Internal(
                    "An internal error occurred (injected fault). Retry the request.".into(),
                )
            } else {
                ApiError::Throttling("Rate exceeded (injected fault)".into())
            });
        }
    }
    let input = parse_input(target, body)?;
    let result = {
        // A request that panicked in an earlier handler must not take every later one down
        // with it: the lock is taken back, and this request's own panic becomes an error reply.
        let mut state = shared
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            super::dispatch_as(&mut state, target, &input, now_millis(), access_key)
        }));
        outcome.unwrap_or_else(|_| {
            state.caller = None;
            Err(ApiError::Internal(format!(
                "The sandbox failed while handling {} (a bug in the sandbox; its log has the details). Other requests are unaffected.",
                target.operation
            )))
        })
    };
    if result.is_ok() && !is_read_only(&target.operation) {
        shared.dirty.store(true, Ordering::Release);
    }
    result
}
