//! Headless commands for cron and CI: sync, overview, lists, the pipeline report, the CRM export.
//! Data goes to stdout, progress to stderr. Each refreshes the cache first (an incremental sync)
//! unless `--offline` says to use the cache as it is.
//!
//! Exit codes: 0 success; 1 failure (the message says why); 2 usage error; 3 `referrals list
//! --due-within` found referrals due; 4 `referrals accept --yes` could not accept some.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use color_eyre::eyre::{Result, WrapErr, bail};

use super::{GlobalArgs, Resolved};
use crate::config::Paths;
use cosell_core::partner::PartnerClient;
use cosell_core::partner::types::*;
use cosell_core::report::{self, CrmMapping, csv_field};
use cosell_core::store::sync::{self, SyncReport};
use cosell_core::store::{Cache, api_json, cache_path};

/// How a command prints its result; every command takes every value.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Output {
    /// Aligned columns for a person.
    Table,
    /// The API's JSON shapes (PascalCase members, ISO 8601 times), for jq.
    Json,
    /// Comma-separated values with a header row.
    Csv,
    /// A Markdown table.
    Markdown,
    /// A Slack message (`{"text": …}`) to post to an incoming webhook: `| curl -d @- $WEBHOOK`.
    Slack,
}

/// A Slack incoming-webhook payload: a headline, then the rows in a code block so the columns
/// line up. Slack reads `&`, `<` and `>` as markup, so they are escaped.
pub(super) fn slack_message(headline: &str, body: &str) -> String {
    let escape = |text: &str| {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let text = if body.trim().is_empty() {
        escape(headline)
    } else {
        format!(
            "{}\n```\n{}\n```",
            escape(headline),
            escape(body.trim_end())
        )
    };
    serde_json::json!({ "text": text }).to_string()
}

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// Re-read every opportunity instead of those changed since the last sync.
    #[arg(long)]
    pub full: bool,
    /// Also write DIR/YYYYMMDD/{opportunities,referrals,summary}.json in the API's JSON shapes.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum OpportunitiesCommand {
    /// List cached opportunities, filtered.
    List {
        /// Only this stage (any case): Prospect, Qualified, "Technical Validation", "Business
        /// Validation", Committed, Launched, "Closed Lost".
        #[arg(long, value_parser = Stage::parse_or_list)]
        stage: Option<Stage>,
        /// Only this review status (any case): "Pending Submission", Submitted, "In review",
        /// "Action Required", Approved, Rejected.
        #[arg(long, value_parser = ReviewStatus::parse_or_list)]
        review_status: Option<ReviewStatus>,
        /// Case-insensitive part of the customer's name.
        #[arg(long)]
        customer: Option<String>,
        /// YYYY-MM-DD: only opportunities modified on or after this day.
        #[arg(long, value_parser = super::values::date)]
        modified_since: Option<String>,
        /// How to print the result.
        #[arg(long, value_enum, default_value = "table")]
        output: Output,
    },
    /// Show one opportunity in full, as GetOpportunity's JSON with AWS's view
    /// (GetAwsOpportunitySummary) as `AwsOpportunitySummary` once it is shared.
    Get {
        /// The opportunity's id (O…).
        id: String,
    },
    /// Change one opportunity: the change is laid on the record as it is now (read first), so
    /// nothing else on it is lost; prints the record afterwards as GetOpportunity's JSON.
    Update {
        /// The opportunity's id (O…); may be left out when the file has `Identifier`.
        id: Option<String>,
        /// A member and its new value, by the API's path in any case
        /// (LifeCycle.Stage=qualified, Customer.Account.WebsiteUrl=https://…). Lists take
        /// `;`-separated values or JSON; an empty value clears the member. Repeatable; laid
        /// over --from-json.
        #[arg(long = "set", value_name = "PATH=VALUE")]
        set: Vec<String>,
        /// A partial UpdateOpportunity document (an `update-opportunity --cli-input-json`
        /// file): only the members it names change. Its LastModifiedDate, when present, is the
        /// lock.
        #[arg(long, value_name = "FILE")]
        from_json: Option<std::path::PathBuf>,
        /// The LastModifiedDate the change is based on (as `opportunities get` prints it):
        /// refused with exit status 6 if the record changed since. Without it (or one in the
        /// file), the record just read is the base.
        #[arg(long, value_name = "INSTANT")]
        last_modified: Option<String>,
    },
    /// Create an opportunity from a `create-opportunity --cli-input-json` document (Catalog and
    /// ClientToken optional); prints the new record as GetOpportunity's JSON. The same file
    /// run twice creates once.
    Create {
        /// The CreateOpportunity document. Members in the wrong place are named with the path
        /// they belong at, and nothing is sent.
        #[arg(long, value_name = "FILE", required_unless_present = "set")]
        from_json: Option<std::path::PathBuf>,
        /// A member and its value by the API's path, laid over the file (or the whole
        /// document without one). Repeatable.
        #[arg(long = "set", value_name = "PATH=VALUE")]
        set: Vec<String>,
        /// Rewrite FILE with the misplaced members moved where they belong (the original is
        /// kept as FILE.orig); sends nothing.
        #[arg(long, requires = "from_json")]
        fix: bool,
    },
    /// Submit to AWS for co-selling (StartEngagementFromOpportunityTask) and follow the task
    /// until it completes; prints the record afterwards as GetOpportunity's JSON.
    Submit {
        /// The opportunity's id (O…).
        id: String,
        /// "Co-Sell" (AWS sells with you) or "For Visibility Only", any case.
        #[arg(long, value_parser = InvolvementType::parse_or_list)]
        involvement: InvolvementType,
        /// Full or Limited, any case.
        #[arg(long, value_parser = Visibility::parse_or_list)]
        visibility: Visibility,
    },
    /// Bulk updates from a CSV or JSON Lines file of Id and API field paths: shows every
    /// change as old → new and acts only with --yes.
    Apply(super::apply::ApplyFileArgs),
    /// Link a solution, an AWS product, a Marketplace offer or an offer set to the opportunity
    /// (AssociateOpportunity); prints the record afterwards.
    Link(LinkArgs),
    /// Unlink one of them (DisassociateOpportunity); prints the record afterwards.
    Unlink(LinkArgs),
    /// Invite a connected partner to co-sell the opportunity (CreateEngagementInvitation on the
    /// engagement its submission made). The same command again sends nothing new.
    Share {
        /// The opportunity's id (O…).
        id: String,
        /// The partner's AWS account id (`cosell` lists connections in the TUI's Connections tab).
        #[arg(long)]
        partner: String,
        /// What the partner reads with the invitation.
        #[arg(
            long,
            default_value = "We would like to co-sell this opportunity with you."
        )]
        message: String,
        /// What you ask of them (the API's ReceiverResponsibility): Services Partner, Software
        /// Partner, Reseller, Distributor, Managed Service Provider, …
        #[arg(long, default_value = "Services Partner")]
        responsibility: String,
    },
    /// Assign the opportunity to a new owner (AssignOpportunity).
    Assign {
        /// The opportunity's id (O…).
        id: String,
        /// The new owner's email address.
        #[arg(long)]
        email: String,
        #[arg(long)]
        first_name: String,
        #[arg(long)]
        last_name: String,
        /// OpportunityOwner (the default) or PartnerAccountManager.
        #[arg(long, default_value = "OpportunityOwner")]
        business_title: String,
        #[arg(long)]
        phone: Option<String>,
    },
}

/// One association: the opportunity and exactly one entity.
#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("entity").required(true).multiple(false))]
pub struct LinkArgs {
    /// The opportunity's id (O…).
    pub id: String,
    /// A partner solution (S-…).
    #[arg(long, group = "entity")]
    pub solution: Option<String>,
    /// An AWS product code (e.g. AmazonEC2; at most 20 per opportunity).
    #[arg(long, group = "entity")]
    pub product: Option<String>,
    /// An AWS Marketplace offer ARN (one per opportunity).
    #[arg(long, group = "entity")]
    pub offer: Option<String>,
    /// An AWS Marketplace offer set ARN (one per opportunity).
    #[arg(long, group = "entity")]
    pub offer_set: Option<String>,
}

impl LinkArgs {
    fn entity(&self) -> Option<(LinkKind, &str)> {
        let named = [
            (LinkKind::Solution, &self.solution),
            (LinkKind::AwsProduct, &self.product),
            (LinkKind::MarketplaceOffer, &self.offer),
            (LinkKind::MarketplaceOfferSet, &self.offer_set),
        ];
        named
            .into_iter()
            .find_map(|(kind, value)| value.as_deref().map(|v| (kind, v)))
    }
}

#[derive(Debug, Subcommand)]
pub enum ReferralsCommand {
    /// List received referrals.
    List {
        /// Only this status (any case): PENDING, ACCEPTED, REJECTED or EXPIRED.
        #[arg(long, value_parser = InvitationStatus::parse_or_list)]
        status: Option<InvitationStatus>,
        /// Only pending referrals expiring within this time (e.g. 48h, 3d); exit status 3 when any are.
        #[arg(long, value_parser = super::values::span)]
        due_within: Option<super::values::Span>,
        /// How to print the result.
        #[arg(long, value_enum, default_value = "table")]
        output: Output,
    },
    /// Accept the pending referrals that meet every rule given. Without --yes, only shows which
    /// would be accepted. Referrals whose customer is already in the open pipeline are held.
    Accept(super::accept::AcceptArgs),
    /// Reject one pending referral (prints it afterwards as ListEngagementInvitations' JSON),
    /// or with --duplicates the ones whose customer the open pipeline already has (a plan
    /// until --yes).
    Reject(super::reject::RejectArgs),
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Counts and expected monthly spend by stage, plus pipeline hygiene.
    Pipeline {
        /// table and markdown print the same Markdown report.
        #[arg(long, value_enum, default_value = "markdown")]
        output: Output,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Mapping {
    Generic,
    Salesforce,
    Hubspot,
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Opportunities as CRM records.
    Crm {
        /// How to print the result.
        #[arg(long, value_enum, default_value = "csv")]
        output: Output,
        /// Field names and stage values in a CRM's own terms.
        #[arg(long, value_enum, default_value = "generic")]
        mapping: Mapping,
    },
}

const PARTNER_READ_AT: &str = "partner_read_at";
const PARTNER_MAX_AGE: Millis = 24 * 3_600_000;

pub struct Headless {
    /// The embedded sandbox of a `--demo` run and the scratch folder of its cache, removed when
    /// the command ends: demo data is new every run, so it is never mixed into a real cache.
    /// Declared first so it is dropped before the runtime it runs on.
    _demo: Option<DemoRun>,
    pub runtime: tokio::runtime::Runtime,
    pub client: PartnerClient,
    pub cache: Cache,
    pub catalog: String,
    /// `--readonly` or the config's `readonly`: commands that change anything refuse.
    pub readonly: bool,
    pub offline: bool,
}

pub(super) fn now_millis() -> Millis {
    cosell_core::times::now_millis()
}

impl Headless {
    /// Opens the cache and connects. `rebuild` (for `sync --full`) replaces a damaged cache.
    pub fn open(
        global: &GlobalArgs,
        paths: &Paths,
        resolved: &Resolved,
        rebuild: bool,
    ) -> Result<Headless> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()?;
        let mut settings = resolved.settings.clone();
        settings.audit_log = Some(paths.audit_log());
        let demo = if global.demo {
            if global.offline {
                bail!(
                    "--demo starts a new sandbox for this run, so it has no cache to read --offline; drop --offline"
                );
            }
            let run = DemoRun::start(&runtime, global.demo_opportunities)?;
            settings.endpoint_url = Some(run.sandbox.url());
            Some(run)
        } else {
            None
        };
        let client = runtime.block_on(PartnerClient::connect(&settings));
        let cache_dir = demo
            .as_ref()
            .map_or(paths.cache.as_path(), |d| d.dir.as_path());
        let path = cache_path(
            cache_dir,
            settings.profile.as_deref(),
            &settings.catalog,
            client.endpoint.as_deref(),
        );
        let cache = if global.offline {
            Cache::open_existing(&path)?.ok_or_else(|| {
                super::UnknowableError(format!(
                    "--offline reads the local cache, and there is none at {} for this profile, catalog and endpoint; run `cosell sync` first, or drop --offline",
                    path.display()
                ))
            })?
        } else if rebuild {
            // `sync --full` is the documented cure for a damaged cache: the file is moved aside
            // (kept for inspection) and everything is read again into a new one.
            let (cache, aside) = Cache::open_or_rebuild(&path)?;
            if let Some(aside) = aside {
                eprintln!(
                    "the cache was damaged; it is kept as {} and a new one is being built",
                    aside.display()
                );
            }
            cache
        } else {
            Cache::open(&path)?
        };
        Ok(Headless {
            _demo: demo,
            runtime,
            client,
            cache,
            catalog: settings.catalog,
            readonly: resolved.readonly,
            offline: global.offline,
        })
    }

    /// `--offline` answers from the cache as it is; a cache that was never synced cannot answer
    /// (an empty list from it would read as "nothing due"), so that is an error of its own.
    pub fn require_synced(&self) -> Result<()> {
        match self.cache.meta_millis(sync::LAST_SYNC_KEY)? {
            Some(at) => {
                let age = now_millis() - at;
                if age > PARTNER_MAX_AGE {
                    eprintln!(
                        "warning: the cache was last synced {} ({}); answers may be out of date",
                        cosell_core::times::date_time(at),
                        cosell_core::times::age(now_millis(), at)
                    );
                }
                Ok(())
            }
            None => Err(super::UnknowableError(format!(
                "--offline reads the local cache, and {} has never been synced, so cosell cannot know the answer; run `cosell sync` first, or drop --offline",
                self.cache.path().display()
            ))
            .into()),
        }
    }

    /// An incremental sync, with a progress line on stderr when it is a terminal.
    pub fn refresh(&mut self, full: bool) -> Result<SyncReport> {
        let interactive = std::io::stderr().is_terminal();
        let Headless {
            runtime,
            client,
            cache,
            ..
        } = self;
        let width = crossterm::terminal::size()
            .map(|(columns, _)| columns as usize)
            .unwrap_or(80)
            .saturating_sub(1);
        let report = runtime.block_on(sync::sync(client, cache, full, now_millis(), |step| {
            if interactive {
                eprint!("\r\x1b[2K{}", step.line(width));
                let _ = std::io::stderr().flush();
            }
        }));
        if interactive {
            eprint!("\r\x1b[2K");
        }
        let report = report.map_err(|e| color_eyre::eyre::eyre!("{e}"))?;
        // The profile changes rarely: a full sync reads it, other runs only once a day.
        let read_at = self.cache.meta_millis(PARTNER_READ_AT)?;
        let now = now_millis();
        if (full || read_at.is_none_or(|at| now - at > PARTNER_MAX_AGE))
            && let Ok(partner) = self.runtime.block_on(self.client.partner())
        {
            self.cache
                .set_meta("partner", &serde_json::to_string(&partner)?)?;
            self.cache.set_meta(PARTNER_READ_AT, &now.to_string())?;
        }
        Ok(report)
    }
}

struct DemoRun {
    sandbox: cosell_sandbox::RunningSandbox,
    dir: PathBuf,
}

impl DemoRun {
    fn start(runtime: &tokio::runtime::Runtime, opportunities: usize) -> Result<DemoRun> {
        let sandbox = runtime
            .block_on(cosell_sandbox::server::start(
                cosell_sandbox::SandboxConfig {
                    opportunities,
                    ..Default::default()
                },
            ))
            .wrap_err("could not start the demo sandbox")?;
        let dir = std::env::temp_dir().join(format!(
            "cosell-demo-{}-{}",
            std::process::id(),
            fastrand::u32(..)
        ));
        cosell_core::files::private_dir(&dir)?;
        Ok(DemoRun { sandbox, dir })
    }
}

impl Drop for DemoRun {
    fn drop(&mut self) {
        std::fs::remove_dir_all(&self.dir).ok();
    }
}

fn print_table(headers: &[&str], rows: &[Vec<String>]) {
    print!("{}", table_text(headers, rows));
}

fn table_text(headers: &[&str], rows: &[Vec<String>]) -> String {
    let widths: Vec<usize> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| {
            rows.iter()
                .map(|r| r[i].chars().count())
                .max()
                .unwrap_or(0)
                .max(h.len())
                .min(48)
        })
        .collect();
    let line = |cells: Vec<String>| {
        cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{:<w$}", cosell_core::text::fit(c, *w)))
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_string()
    };
    let mut text = line(headers.iter().map(|h| h.to_string()).collect()) + "\n";
    for row in rows {
        text += &line(row.clone());
        text.push('\n');
    }
    text
}

/// Prints a list in the chosen format; `headline` says what the list is (a Slack message leads
/// with it).
pub(super) fn print_rows(
    output: Output,
    headline: &str,
    headers: &[&str],
    rows: &[Vec<String>],
    json: serde_json::Value,
) -> Result<()> {
    match output {
        Output::Slack => {
            let body = if rows.is_empty() {
                String::new()
            } else {
                table_text(headers, rows)
            };
            println!("{}", slack_message(headline, &body));
        }
        Output::Json => println!("{}", serde_json::to_string_pretty(&json)?),
        Output::Csv => {
            println!("{}", headers.join(","));
            for row in rows {
                println!(
                    "{}",
                    row.iter()
                        .map(|c| csv_field(c))
                        .collect::<Vec<_>>()
                        .join(",")
                );
            }
        }
        Output::Markdown => {
            println!("| {} |", headers.join(" | "));
            println!(
                "|{}|",
                headers.iter().map(|_| "---").collect::<Vec<_>>().join("|")
            );
            for row in rows {
                println!("| {} |", row.join(" | "));
            }
        }
        Output::Table => print_table(headers, rows),
    }
    Ok(())
}

pub fn sync_command(h: &mut Headless, args: &SyncArgs) -> Result<i32> {
    let report = match h.refresh(args.full) {
        // Damage found while reading (not when opening): start over in a new file.
        Err(e) if args.full && damaged(&e) => {
            let (cache, aside) = Cache::rebuild(h.cache.path())?;
            eprintln!(
                "the cache was damaged; it is kept as {} and a new one is being built",
                aside.display()
            );
            h.cache = cache;
            h.refresh(true)?
        }
        report => report?,
    };
    if let Some(dir) = &args.out {
        let written = write_export(h, dir, now_millis())?;
        eprintln!("wrote {}", written.display());
    }
    eprintln!("{}", report.one_line());
    Ok(0)
}

fn damaged(e: &color_eyre::Report) -> bool {
    e.chain().any(|c| {
        let text = c.to_string();
        text.contains("malformed") || text.contains("not a database") || text.contains("damaged")
    })
}

/// The guide's daily export, in the API's JSON shapes: `DIR/YYYYMMDD/…`.
pub fn write_export(h: &Headless, dir: &std::path::Path, now: Millis) -> Result<PathBuf> {
    let day = cosell_core::times::date(now).replace('-', "");
    let out = dir.join(day);
    cosell_core::files::private_dir(&out)
        .wrap_err_with(|| format!("cannot create {}", out.display()))?;
    let opportunities = h.cache.opportunities()?;
    let referrals = h.cache.referrals()?;
    let opp_json = serde_json::json!({
        "OpportunitySummaries": opportunities.iter().map(|o| api_json::opportunity_summary(o, &h.catalog)).collect::<Vec<_>>()
    });
    let ref_json = serde_json::json!({
        "EngagementInvitationSummaries": referrals.iter().map(|r| api_json::referral_summary(r, &h.catalog)).collect::<Vec<_>>()
    });
    let mut by_stage: std::collections::BTreeMap<String, usize> = Default::default();
    for o in &opportunities {
        *by_stage
            .entry(
                o.stage
                    .as_ref()
                    .map_or_else(|| "(none)".into(), Stage::to_string),
            )
            .or_default() += 1;
    }
    let summary = serde_json::json!({
        "opportunity_count": opportunities.len(),
        "by_stage": by_stage.iter().map(|(stage, count)| serde_json::json!({"stage": stage, "count": count})).collect::<Vec<_>>(),
    });
    for (name, value) in [
        ("opportunities.json", opp_json),
        ("referrals.json", ref_json),
        ("summary.json", summary),
    ] {
        // Replaced atomically: a job reading the export while sync writes it sees a whole file.
        cosell_core::files::write_private_atomic(
            &out.join(name),
            &serde_json::to_vec_pretty(&value)?,
        )
        .wrap_err_with(|| format!("cannot write {name}"))?;
    }
    Ok(out)
}

pub fn overview(h: &Headless) -> Result<i32> {
    let now = now_millis();
    let partner: Option<Partner> = h
        .cache
        .meta("partner")?
        .and_then(|p| serde_json::from_str(&p).ok());
    let opportunities = h.cache.opportunities()?;
    let referrals = h.cache.referrals()?;
    println!(
        "Partner      {}",
        partner
            .map(|p| p.legal_name)
            .unwrap_or_else(|| "(unknown: run cosell sync)".into())
    );
    println!("Catalog      {}", h.catalog);
    if let Some(at) = h.cache.meta_millis(sync::LAST_SYNC_KEY)? {
        println!(
            "Synced       {} ({})",
            cosell_core::times::date_time(at),
            cosell_core::times::age(now, at)
        );
    }
    println!("Opportunities {}", opportunities.len());
    let count = |key: &dyn Fn(&OpportunitySummary) -> Option<String>| {
        let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
        for o in &opportunities {
            *counts
                .entry(key(o).unwrap_or_else(|| "(none)".into()))
                .or_default() += 1;
        }
        counts
    };
    println!("  by stage");
    let stages = count(&|o| o.stage.as_ref().map(Stage::to_string));
    for stage in Stage::VALUES {
        if let Some(n) = stages.get(*stage) {
            println!("    {stage:<22}{n:>7}");
        }
    }
    println!("  by review status");
    for (status, n) in count(&|o| o.review_status.as_ref().map(ReviewStatus::to_string)) {
        println!("    {status:<22}{n:>7}");
    }
    let pending: Vec<&Referral> = referrals
        .iter()
        .filter(|r| r.status == Some(InvitationStatus::Pending))
        .collect();
    let soonest = pending
        .iter()
        .filter_map(|r| r.expires.map(|e| (e, r)))
        .min_by_key(|(e, _)| *e);
    println!("Referrals    {} pending", pending.len());
    if let Some((expires, r)) = soonest {
        println!(
            "  soonest    {} {} expires in {}",
            r.id,
            r.customer.as_deref().or(r.title.as_deref()).unwrap_or(""),
            cosell_core::times::time_left(now, expires)
        );
    }
    Ok(0)
}

pub fn opportunities(
    h: &mut Headless,
    command: &OpportunitiesCommand,
    offline: bool,
) -> Result<i32> {
    match command {
        OpportunitiesCommand::List {
            stage,
            review_status,
            customer,
            modified_since,
            output,
        } => {
            let since = modified_since.clone();
            let filter = OpportunityFilter {
                stage: stage.as_ref(),
                review_status: review_status.as_ref(),
                customer: customer.as_ref().map(|c| c.to_lowercase()),
                since,
            };
            let rows: Vec<OpportunitySummary> = h
                .cache
                .opportunities()?
                .into_iter()
                .filter(|o| filter.keeps(o))
                .collect();
            print_opportunities(h, &rows, *output)?;
            Ok(0)
        }
        OpportunitiesCommand::Get { id } => get_opportunity(h, id, offline),
        OpportunitiesCommand::Update {
            id,
            set,
            from_json,
            last_modified,
        } => super::update::run(
            h,
            &super::update::UpdateArgs {
                id: id.as_deref(),
                sets: set,
                from_json: from_json.as_deref(),
                last_modified: last_modified.as_deref(),
            },
        ),
        OpportunitiesCommand::Create {
            from_json,
            set,
            fix,
        } => super::update::create(
            h,
            &super::update::CreateArgs {
                from_json: from_json.as_deref(),
                sets: set,
                fix: *fix,
            },
        ),
        OpportunitiesCommand::Apply(args) => super::apply::run(h, args),
        OpportunitiesCommand::Link(args) | OpportunitiesCommand::Unlink(args) => {
            let linked = matches!(command, OpportunitiesCommand::Link(_));
            let Some((kind, entity)) = args.entity() else {
                super::usage!("name one of --solution, --product, --offer or --offer-set");
            };
            super::update::link(h, &args.id, kind, entity, linked)
        }
        OpportunitiesCommand::Submit {
            id,
            involvement,
            visibility,
        } => super::update::submit(h, id, involvement, visibility),
        OpportunitiesCommand::Share {
            id,
            partner,
            message,
            responsibility,
        } => super::leads::share(h, id, partner, message, responsibility),
        OpportunitiesCommand::Assign {
            id,
            email,
            first_name,
            last_name,
            business_title,
            phone,
        } => {
            let assignee = Contact {
                email: Some(email.clone()),
                first_name: Some(first_name.clone()),
                last_name: Some(last_name.clone()),
                title: Some(business_title.clone()),
                phone: phone.clone(),
            };
            super::update::assign(h, id, &assignee)
        }
    }
}

struct OpportunityFilter<'a> {
    stage: Option<&'a Stage>,
    review_status: Option<&'a ReviewStatus>,
    /// Lowercased, so the match ignores case.
    customer: Option<String>,
    since: Option<String>,
}

impl OpportunityFilter<'_> {
    fn keeps(&self, o: &OpportunitySummary) -> bool {
        self.stage.is_none_or(|s| o.stage.as_ref() == Some(s))
            && self
                .review_status
                .is_none_or(|s| o.review_status.as_ref() == Some(s))
            && self
                .customer
                .as_ref()
                .is_none_or(|c| o.customer.to_lowercase().contains(c))
            && self.since.as_ref().is_none_or(|d| {
                o.last_modified
                    .is_some_and(|m| cosell_core::times::date(m) >= *d)
            })
    }
}

fn print_opportunities(h: &Headless, rows: &[OpportunitySummary], output: Output) -> Result<()> {
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|o| {
            vec![
                o.id.clone(),
                o.customer.clone(),
                o.stage.as_ref().map(Stage::to_string).unwrap_or_default(),
                o.review_status
                    .as_ref()
                    .map(ReviewStatus::to_string)
                    .unwrap_or_default(),
                o.monthly_spend
                    .as_ref()
                    .map(|m| format!("{} {}", m.amount, m.currency))
                    .unwrap_or_default(),
                o.target_close.as_deref().unwrap_or_default().to_string(),
                o.last_modified
                    .map(cosell_core::times::date)
                    .unwrap_or_default(),
            ]
        })
        .collect();
    let json = serde_json::json!({"OpportunitySummaries": rows.iter().map(|o| api_json::opportunity_summary(o, &h.catalog)).collect::<Vec<_>>()});
    print_rows(
        output,
        &format!("{} opportunities", rows.len()),
        &[
            "id",
            "customer",
            "stage",
            "review_status",
            "monthly_spend",
            "target_close",
            "last_modified",
        ],
        &table,
        json,
    )
}

fn get_opportunity(h: &mut Headless, id: &str, offline: bool) -> Result<i32> {
    let cached = h.cache.opportunity(id)?;
    let opportunity = match (cached, offline) {
        (Some(o), _) => o,
        (None, true) => {
            return Err(super::UnknowableError(format!(
                "{id} is not in the cache; run without --offline to read it from Partner Central"
            ))
            .into());
        }
        (None, false) => {
            let o = h
                .runtime
                .block_on(h.client.get_opportunity(id))
                .map_err(|e| color_eyre::eyre::eyre!("{e}"))?;
            h.cache.store_full(&o)?;
            o
        }
    };
    let shared = cosell_core::partner::rules::shared_with_aws(&opportunity.summary);
    let mut aws_view = h.cache.aws_view(id)?;
    if aws_view.is_none() && shared && !offline {
        match h.runtime.block_on(h.client.aws_view(id)) {
            Ok(view) => {
                h.cache.store_aws_view(&view, now_millis())?;
                aws_view = Some(view);
            }
            Err(e) if e.kind == cosell_core::partner::FailureKind::NotFound => {}
            Err(e) => bail!("{e}"),
        }
    }
    // GetOpportunity's shape, with AWS's side of it (GetAwsOpportunitySummary's shape) as
    // `AwsOpportunitySummary`: absent until the opportunity is shared with AWS.
    let mut out = api_json::opportunity(&opportunity, &h.catalog);
    if let Some(view) = &aws_view {
        out["AwsOpportunitySummary"] = api_json::aws_view(view, &h.catalog);
    }
    println!("{}", serde_json::to_string_pretty(&out)?);
    Ok(0)
}

pub fn referrals(h: &mut Headless, command: &ReferralsCommand) -> Result<i32> {
    let (status, due_within, output) = match command {
        ReferralsCommand::List {
            status,
            due_within,
            output,
        } => (status, due_within, output),
        ReferralsCommand::Accept(args) => return super::accept::run(h, args),
        ReferralsCommand::Reject(args) => return super::reject::run(h, args),
    };
    list_invitations(h, status.as_ref(), due_within.as_ref(), *output, None)
}

/// Received invitations from the cache, filtered; `kind` narrows them to leads or referrals.
pub fn list_invitations(
    h: &Headless,
    status: Option<&InvitationStatus>,
    due_within: Option<&super::values::Span>,
    output: Output,
    kind: Option<PayloadType>,
) -> Result<i32> {
    let now = now_millis();
    let window = due_within.map(|w| w.millis);
    let rows: Vec<Referral> = h
        .cache
        .referrals()?
        .into_iter()
        .filter(|r| status.is_none_or(|s| r.status.as_ref() == Some(s)))
        .filter(|r| kind.is_none() || r.payload_type == kind)
        .filter(|r| match window {
            Some(w) => {
                r.status == Some(InvitationStatus::Pending)
                    && r.expires.is_some_and(|e| e > now && e - now <= w)
            }
            None => true,
        })
        .collect();
    // Pending ones first, soonest deadline first; answered ones after, newest first.
    let mut sorted = rows;
    sorted.sort_by_key(|r| {
        let pending = r.status == Some(InvitationStatus::Pending);
        (
            !pending,
            if pending {
                r.expires.unwrap_or(i64::MAX)
            } else {
                -r.invited.unwrap_or(0)
            },
        )
    });
    let table: Vec<Vec<String>> = sorted.iter().map(|r| referral_row(r, now)).collect();
    let json = serde_json::json!({"EngagementInvitationSummaries": sorted.iter().map(|r| api_json::referral_summary(r, &h.catalog)).collect::<Vec<_>>()});
    let noun = match kind {
        Some(PayloadType::LeadInvitation) => "AWS lead(s)",
        _ => "AWS referral(s)",
    };
    let headline = match (due_within, status) {
        (Some(window), _) => format!(
            "{} {noun} expire within {}, soonest first",
            sorted.len(),
            window.text
        ),
        (None, Some(status)) => {
            format!("{} {noun} {status}", sorted.len())
        }
        (None, None) => format!("{} {noun}", sorted.len()),
    };
    print_rows(
        output,
        &headline,
        &[
            "id",
            "customer",
            "project",
            "status",
            "expires",
            "time_left",
        ],
        &table,
        json,
    )?;
    Ok(if window.is_some() && !sorted.is_empty() {
        3
    } else {
        0
    })
}

fn referral_row(r: &Referral, now: i64) -> Vec<String> {
    vec![
        r.id.clone(),
        r.customer.clone().unwrap_or_default(),
        r.project.clone().or(r.title.clone()).unwrap_or_default(),
        r.status
            .as_ref()
            .map(InvitationStatus::to_string)
            .unwrap_or_default(),
        r.expires
            .map(cosell_core::times::date_time)
            .unwrap_or_default(),
        match (&r.status, r.expires) {
            (Some(InvitationStatus::Pending), Some(e)) => cosell_core::times::time_left(now, e),
            _ => String::new(),
        },
    ]
}

pub fn report(h: &Headless, command: &ReportCommand) -> Result<i32> {
    let ReportCommand::Pipeline { output } = command;
    let applications = h.cache.kept::<BenefitApplication>()?;
    let allocations = h.cache.kept::<BenefitAllocation>()?;
    let report = report::pipeline(
        &h.cache.opportunities()?,
        &h.cache.referrals()?,
        report::FundingRecords {
            applications: &applications,
            allocations: &allocations,
        },
        now_millis(),
    );
    match output {
        Output::Json => println!("{}", serde_json::to_string_pretty(&report)?),
        Output::Csv => print!("{}", report.csv()),
        Output::Markdown | Output::Table => print!("{}", report.markdown()),
        Output::Slack => println!(
            "{}",
            slack_message("Partner Central pipeline report", &report.markdown())
        ),
    }
    Ok(0)
}

pub fn export(h: &Headless, command: &ExportCommand) -> Result<i32> {
    let ExportCommand::Crm { output, mapping } = command;
    let mapping = match mapping {
        Mapping::Generic => CrmMapping::Generic,
        Mapping::Salesforce => CrmMapping::Salesforce,
        Mapping::Hubspot => CrmMapping::Hubspot,
    };
    let opportunities = h.cache.opportunities()?;
    let mut origins = std::collections::BTreeMap::new();
    for o in &opportunities {
        if let Some(origin) = h.cache.aws_view(&o.id)?.and_then(|v| v.origin) {
            origins.insert(o.id.clone(), origin);
        }
    }
    let records = report::crm_records(&opportunities, &h.cache.full_opportunities()?, &origins);
    let headers = report::crm_field_names(mapping);
    let rows: Vec<Vec<String>> = records
        .iter()
        .map(|r| {
            report::crm_fields(r, mapping)
                .into_iter()
                .map(|(_, value)| value)
                .collect()
        })
        .collect();
    let json = serde_json::Value::Array(
        rows.iter()
            .map(|row| {
                serde_json::Value::Object(
                    headers
                        .iter()
                        .zip(row)
                        .map(|(k, v)| (k.to_string(), serde_json::Value::String(v.clone())))
                        .collect(),
                )
            })
            .collect(),
    );
    print_rows(
        *output,
        &format!("{} opportunities as CRM records", rows.len()),
        &headers,
        &rows,
        json,
    )?;
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::slack_message;

    #[test]
    fn slack_messages_escape_markup_and_keep_columns_in_a_code_block() {
        let message: serde_json::Value =
            serde_json::from_str(&slack_message("2 due <soon>", "id  customer\nA   B&C\n"))
                .unwrap();
        assert_eq!(
            message["text"],
            "2 due &lt;soon&gt;\n```\nid  customer\nA   B&amp;C\n```"
        );
        let empty: serde_json::Value =
            serde_json::from_str(&slack_message("0 AWS referral(s)", "")).unwrap();
        assert_eq!(empty["text"], "0 AWS referral(s)");
    }
}
