//! `cosell sandbox`: the sandbox as a standalone server.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use color_eyre::eyre::WrapErr;

use cosell_sandbox::{SandboxConfig, ThrottleMode, server};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Throttle {
    /// No quotas.
    Off,
    /// The documented selling rates: reads 10/s, writes 1/s.
    Real,
}

#[derive(Debug, Args)]
pub struct SandboxArgs {
    /// Address to listen on; port 0 picks a free one. Loopback unless you say otherwise.
    #[arg(long, default_value = "127.0.0.1:4580")]
    pub bind: SocketAddr,
    /// Seed of the demo data and the fault injector.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Opportunities in the AWS catalog (the Sandbox catalog gets a quarter as many).
    #[arg(long, default_value_t = 500)]
    pub opportunities: usize,
    /// Persist everything to this file (changes appended, full writes atomic); a restart continues where it stopped.
    #[arg(long)]
    pub state: Option<PathBuf>,
    /// Enforce the documented per-account request rates.
    #[arg(long, value_enum, default_value = "off")]
    pub throttle: Throttle,
    /// Fraction of requests answered with an injected InternalServerException or ThrottlingException.
    #[arg(long, default_value_t = 0.0)]
    pub fault_rate: f64,
    /// Delay added to every request, in milliseconds.
    #[arg(long, default_value_t = 0)]
    pub latency_ms: u64,
    /// How long a submission task and the start of AWS's review take, in milliseconds.
    #[arg(long, default_value_t = 1500)]
    pub task_delay_ms: i64,
    /// How long a referral acceptance task takes, in milliseconds. The real service answers
    /// StartEngagementByAcceptingInvitationTask already COMPLETE, so the default is 0; raise it
    /// to test code that polls the task.
    #[arg(long, default_value_t = 0)]
    pub accept_delay_ms: i64,
}

pub fn run(args: SandboxArgs) -> color_eyre::Result<i32> {
    if !(0.0..=1.0).contains(&args.fault_rate) {
        color_eyre::eyre::bail!(
            "--fault-rate must be between 0 and 1, got {}",
            args.fault_rate
        );
    }
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_max_level(tracing::Level::INFO)
        .init();
    let config = SandboxConfig {
        bind: args.bind,
        seed: args.seed,
        opportunities: args.opportunities,
        state_file: args.state,
        throttle: match args.throttle {
            Throttle::Off => ThrottleMode::Off,
            Throttle::Real => ThrottleMode::Real,
        },
        fault_rate: args.fault_rate,
        latency_ms: args.latency_ms,
        task_delay_ms: args.task_delay_ms,
        accept_delay_ms: args.accept_delay_ms,
        ..SandboxConfig::default()
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .wrap_err("could not start the async runtime")?;
    runtime.block_on(async move {
        let running = server::start(config).await?;
        println!("cosell sandbox listening on {}", running.url());
        use std::io::Write;
        std::io::stdout().flush()?;
        tokio::signal::ctrl_c()
            .await
            .wrap_err("could not listen for Ctrl-C")?;
        eprintln!("stopping: saving state and closing");
        running
            .shutdown()
            .await
            .wrap_err("could not save the sandbox state")?;
        Ok::<_, color_eyre::Report>(0)
    })
}
