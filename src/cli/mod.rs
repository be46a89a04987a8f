//! Command-line surface: argument parsing, the TUI launch, and the headless commands.

mod accept;
pub mod apply;
mod check;
mod funding;
pub mod headless;
pub mod info;
mod leads;
mod link;
mod patch;
mod plan;
mod reject;
pub mod sandbox;
mod update;
pub mod values;

use clap::{Args, Parser, Subcommand};
use color_eyre::eyre::{Result, WrapErr, bail};

use crate::app::Context;
use crate::app::keymap::Keymap;
use crate::config::{Config, Paths};
use crate::ui::Theme;
use cosell_core::partner::{PartnerClient, Settings};

#[derive(Debug, Parser)]
#[command(
    name = "cosell",
    version,
    about = "Keyboard-first terminal UI and CLI for AWS Partner Central co-selling",
    long_about = "Keyboard-first terminal UI and CLI for AWS Partner Central co-selling.\n\n\
        Without a command, opens the terminal UI on Partner Central (real AWS through the standard \
        credential chain), or on an embedded sandbox with --demo."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The heading global flags are listed under, apart from each command's own.
const GLOBAL: &str = "Global options";

// `cosell sandbox` parsed on its own, so its help lists only its own flags: the global ones
// configure a client, and the sandbox is a server.
#[derive(Debug, Parser)]
#[command(
    name = "sandbox",
    bin_name = "cosell sandbox",
    version,
    about = "Run a local Partner Central (selling, account, benefits and channel APIs) for demos, tests and scripts"
)]
struct SandboxCli {
    #[command(flatten)]
    args: sandbox::SandboxArgs,
}

/// Parses the command line.
pub fn parse() -> Cli {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if args.get(1).is_some_and(|a| a == "sandbox") {
        let sandbox = SandboxCli::parse_from(&args[1..]);
        return Cli {
            global: GlobalArgs::default(),
            command: Some(Command::Sandbox(sandbox.args)),
        };
    }
    Cli::parse()
}

#[derive(Debug, Clone, Default, Args)]
pub struct GlobalArgs {
    /// Run on an embedded Partner Central sandbox with demo data, new every run (no AWS account
    /// needed).
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub demo: bool,
    /// AWS profile from ~/.aws/config.
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub profile: Option<String>,
    /// AWS region; Partner Central's API lives in us-east-1.
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub region: Option<String>,
    /// Partner Central catalog: AWS (production) or Sandbox (testing).
    #[arg(long, global = true, help_heading = GLOBAL, value_parser = ["AWS", "Sandbox"])]
    pub catalog: Option<String>,
    /// Send API calls here instead of AWS (e.g. a running `cosell sandbox`).
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub endpoint_url: Option<String>,
    /// Turn every mutation off.
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub readonly: bool,
    /// Headless commands: answer from the local cache without refreshing it (exit status 5 when
    /// it was never synced).
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub offline: bool,
    /// Opportunities in the --demo sandbox.
    #[arg(long, global = true, default_value_t = 500, hide = true)]
    pub demo_opportunities: usize,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a local Partner Central (selling, account, benefits and channel APIs) for demos, tests and scripts.
    Sandbox(sandbox::SandboxArgs),
    /// Print where cosell keeps its config, logs and cache, and the settings in effect.
    Info,
    /// Check the setup: credentials, region, catalog, and each read permission cosell needs.
    Check,
    /// Bring the local cache up to date (incremental; --full re-reads everything).
    Sync(headless::SyncArgs),
    /// Partner, counts by stage and review status, pending referrals and the soonest expiry.
    Overview,
    /// List, show, create and change opportunities: one by one, from JSON documents, or in bulk
    /// from a file.
    #[command(subcommand)]
    Opportunities(headless::OpportunitiesCommand),
    /// List referrals (engagement invitations received), or accept them by rule.
    #[command(subcommand)]
    Referrals(headless::ReferralsCommand),
    /// AWS leads: list, accept, qualify, and convert them to opportunities.
    #[command(subcommand)]
    Leads(leads::LeadsCommand),
    /// Engagements you are a member of: list, or show one with its lead, members and
    /// opportunities.
    #[command(subcommand)]
    Engagements(leads::EngagementsCommand),
    /// Benefits (funding, credits, access): the catalogue, your applications and allocations;
    /// apply for one for an opportunity, then submit, update, amend, recall or cancel it.
    #[command(subcommand)]
    Benefits(funding::BenefitsCommand),
    /// Channel programs: program management accounts, relationships, handshakes in and out;
    /// create a relationship, send a handshake, accept, reject or cancel one.
    #[command(subcommand)]
    Channel(funding::ChannelCommand),
    /// List solutions, or link one to the opportunities that match rules.
    #[command(subcommand)]
    Solutions(link::SolutionsCommand),
    /// Reports built from the cache (the pipeline report).
    #[command(subcommand)]
    Report(headless::ReportCommand),
    /// Export opportunities as CRM records (generic, Salesforce or HubSpot field names).
    #[command(subcommand)]
    Export(headless::ExportCommand),
}

/// Exit statuses every headless command shares (docs/automation.md lists them).
pub mod exit {
    /// Something failed; the message says why.
    pub const FAILURE: i32 = 1;
    /// The command line was wrong: a flag, a value, or a missing rule.
    pub const USAGE: i32 = 2;
    /// `referrals list --due-within` found referrals due.
    pub const DUE: i32 = 3;
    /// A batch (`--yes`) could not act on some of what it chose.
    pub const PARTIAL: i32 = 4;
    /// `--offline` with a cache that was never synced: the answer cannot be known.
    pub const UNKNOWN: i32 = 5;
    /// `opportunities update`: the record changed since the change was based on it.
    pub const CONFLICT: i32 = 6;
}

/// A mistake in how the command was called: exit status 2, like clap's own.
#[derive(Debug)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// The cache cannot answer and `--offline` forbids asking Partner Central: exit status 5.
#[derive(Debug)]
pub struct UnknowableError(pub String);

impl std::fmt::Display for UnknowableError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UnknowableError {}

/// Returns early with a usage error (exit status 2).
macro_rules! usage {
    ($($arg:tt)*) => {
        return Err($crate::cli::UsageError(format!($($arg)*)).into())
    };
}
pub(crate) use usage;

/// The exit status for an error `run` returned.
pub fn exit_code(err: &color_eyre::Report) -> i32 {
    if err.downcast_ref::<UsageError>().is_some() {
        exit::USAGE
    } else if err.downcast_ref::<UnknowableError>().is_some() {
        exit::UNKNOWN
    } else if err.downcast_ref::<update::ConflictError>().is_some() {
        exit::CONFLICT
    } else {
        exit::FAILURE
    }
}

/// An error and its causes on one line, without backtraces.
pub fn describe(err: &color_eyre::Report) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
    }
    parts.join(": ")
}

/// What the flags and the config file resolve to.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub settings: Settings,
    pub readonly: bool,
    pub theme: Option<String>,
    pub keys: toml::Table,
    pub console_url: Option<String>,
    pub me: Option<String>,
}

pub fn resolve(global: &GlobalArgs, config: &Config) -> Result<Resolved> {
    let profile = global.profile.clone().or_else(|| config.profile.clone());
    let section = config.for_profile(profile.as_deref());
    let catalog = global
        .catalog
        .clone()
        .or(section.catalog)
        .unwrap_or_else(|| "AWS".into());
    if catalog != "AWS" && catalog != "Sandbox" {
        bail!("catalog {catalog} in the config file is not valid: use AWS or Sandbox");
    }
    let endpoint_url = global.endpoint_url.clone().or(section.endpoint_url);
    check_endpoints(endpoint_url.as_deref())?;
    let timeout = config.timeout_seconds.unwrap_or(60);
    if timeout == 0 {
        usage!("timeout_seconds in the config file must be at least 1");
    }
    Ok(Resolved {
        settings: Settings {
            profile,
            region: global
                .region
                .clone()
                .or(section.region)
                .unwrap_or_else(|| "us-east-1".into()),
            catalog,
            endpoint_url,
            dummy_credentials: global.demo,
            timeout: std::time::Duration::from_secs(timeout),
            ..Settings::default()
        },
        readonly: global.readonly || section.readonly.unwrap_or(false),
        theme: config.theme.clone(),
        keys: config.keys.clone(),
        console_url: config.console_url.clone(),
        me: config.me.clone(),
    })
}

/// An endpoint URL must be one: an empty one (from a flag, the config, or an environment variable
/// set to nothing) is refused here with what to do, instead of failing deep in the SDK.
fn check_endpoints(configured: Option<&str>) -> Result<()> {
    let valid = |url: &str| {
        let url = url.trim();
        (url.starts_with("http://") || url.starts_with("https://")) && url.len() > "https://".len()
    };
    if let Some(url) = configured
        && !valid(url)
    {
        usage!(
            "the endpoint URL '{url}' (--endpoint-url or endpoint_url in the config) is not a URL: give one such as http://127.0.0.1:4580, or leave it out for AWS"
        );
    }
    for var in [
        "AWS_ENDPOINT_URL",
        "AWS_ENDPOINT_URL_PARTNERCENTRAL_SELLING",
    ] {
        if let Some(value) = std::env::var_os(var)
            && !valid(&value.to_string_lossy())
            && configured.is_none()
        {
            usage!(
                "{var} is set to '{}', which is not a URL: unset it, or set it to one such as http://127.0.0.1:4580",
                value.to_string_lossy()
            );
        }
    }
    Ok(())
}

/// Logs go to a file under the state directory, never to the screen the TUI owns.
fn init_file_logging(paths: &Paths) -> Result<()> {
    cosell_core::files::private_dir(&paths.state).wrap_err_with(|| {
        format!(
            "cannot create the state directory {}",
            paths.state.display()
        )
    })?;
    let file = cosell_core::files::append_private(&paths.log_file())
        .wrap_err_with(|| format!("cannot open the log file {}", paths.log_file().display()))?;
    let _ = tracing_subscriber::fmt()
        .with_writer(std::sync::Mutex::new(file))
        .with_ansi(false)
        .with_max_level(tracing::Level::INFO)
        .try_init();
    Ok(())
}

/// color-eyre for every error and panic report, without the "run with RUST_BACKTRACE" footer
/// (the message says what to do) and without colors when stderr is a file or pipe, as in cron
/// mail and CI logs, or when NO_COLOR is set.
fn install_error_reports() -> Result<()> {
    use std::io::IsTerminal;
    let mut hook = color_eyre::config::HookBuilder::default().display_env_section(false);
    if !std::io::stderr().is_terminal() || std::env::var_os("NO_COLOR").is_some() {
        hook = hook.theme(color_eyre::config::Theme::new());
    }
    hook.install()
}

/// Runs the parsed command and returns the process exit code.
pub fn run(cli: Cli) -> Result<i32> {
    install_error_reports()?;
    let paths = Paths::from_env();
    match cli.command {
        Some(Command::Sandbox(args)) => sandbox::run(args),
        Some(Command::Info) => {
            let config = Config::load(&paths.config)?;
            info::print(&paths, &resolve(&cli.global, &config)?, cli.global.demo);
            Ok(0)
        }
        Some(Command::Check) => {
            let config = Config::load(&paths.config)?;
            let resolved = resolve(&cli.global, &config)?;
            init_file_logging(&paths)?;
            check::run(&paths, &resolved)
        }
        None => run_tui(&cli.global, &paths),
        Some(command) => {
            let config = Config::load(&paths.config)?;
            let resolved = resolve(&cli.global, &config)?;
            init_file_logging(&paths)?;
            let rebuild = matches!(&command, Command::Sync(args) if args.full);
            let mut h = headless::Headless::open(&cli.global, &paths, &resolved, rebuild)?;
            if let Command::Sync(args) = &command {
                return headless::sync_command(&mut h, args);
            }
            if cli.global.offline {
                h.require_synced()?;
            } else {
                let report = h.refresh(false)?;
                tracing::info!("{}", report.one_line());
            }
            match &command {
                Command::Overview => headless::overview(&h),
                Command::Opportunities(c) => headless::opportunities(&mut h, c, cli.global.offline),
                Command::Referrals(c) => headless::referrals(&mut h, c),
                Command::Leads(c) => leads::leads(&mut h, c),
                Command::Benefits(c) => funding::benefits(&mut h, c),
                Command::Channel(c) => funding::channel(&mut h, c),
                Command::Engagements(c) => leads::engagements(&mut h, c),
                Command::Solutions(c) => link::run(&mut h, c),
                Command::Report(c) => headless::report(&h, c),
                Command::Export(c) => headless::export(&h, c),
                _ => unreachable!("handled above"),
            }
        }
    }
}

/// The TUI's cache: none for the demo (its sandbox is new every run, so its data is not worth
/// keeping); offline, only one that exists (it never leaves an empty one behind).
fn tui_cache(
    global: &GlobalArgs,
    paths: &Paths,
    resolved: &Resolved,
    endpoint: Option<&str>,
) -> Option<cosell_core::store::Cache> {
    if global.demo {
        return None;
    }
    let path = cosell_core::store::cache_path(
        &paths.cache,
        resolved.settings.profile.as_deref(),
        &resolved.settings.catalog,
        endpoint,
    );
    let opened = if global.offline {
        cosell_core::store::Cache::open_existing(&path)
    } else {
        cosell_core::store::Cache::open(&path).map(Some)
    };
    opened
        .map_err(|err| tracing::warn!(%err, "running without the local cache"))
        .ok()
        .flatten()
}

fn run_tui(global: &GlobalArgs, paths: &Paths) -> Result<i32> {
    let paths = paths.clone();
    let config = Config::load(&paths.config)?;
    let mut resolved = resolve(global, &config)?;
    init_file_logging(&paths)?;
    resolved.settings.audit_log = Some(paths.audit_log());
    let (keymap, key_problems) = Keymap::with_overrides(&resolved.keys);
    let theme = Theme::from_env(resolved.theme.as_deref());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .wrap_err("could not start the async runtime")?;
    runtime.block_on(async move {
        let sandbox = if global.demo {
            let running = cosell_sandbox::server::start(cosell_sandbox::SandboxConfig {
                opportunities: global.demo_opportunities,
                ..Default::default()
            })
            .await
            .wrap_err("could not start the demo sandbox")?;
            tracing::info!(url = %running.url(), "demo sandbox started");
            resolved.settings.endpoint_url = Some(running.url());
            Some(running)
        } else {
            None
        };
        let client = PartnerClient::connect(&resolved.settings).await;
        let context = Context {
            profile: resolved.settings.profile.clone(),
            region: resolved.settings.region.clone(),
            catalog: resolved.settings.catalog.clone(),
            demo: global.demo,
            readonly: resolved.readonly,
            endpoint: client.endpoint.clone(),
            console_url: resolved.console_url.clone().unwrap_or_default(),
            offline: global.offline,
            me: resolved.me.clone(),
        };
        tracing::info!(?context, "starting the TUI");
        let connector = crate::tui::Connector {
            settings: resolved.settings.clone(),
            cache_root: (!global.demo).then(|| paths.cache.clone()),
            drafts: (!global.demo).then(|| paths.state.join("drafts.json")),
        };
        let cache = tui_cache(global, &paths, &resolved, client.endpoint.as_deref());
        crate::tui::run(
            client,
            context,
            keymap,
            theme,
            key_problems,
            cache,
            Some(connector),
        )
        .await?;
        if let Some(running) = sandbox {
            running.shutdown().await.ok();
        }
        Ok::<_, color_eyre::Report>(0)
    })
}
