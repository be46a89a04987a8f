//! `cosell referrals accept`: the guide's auto-accept loop, made safe. Rules choose pending
//! referrals from a freshly synced cache (payloads included); customers already in the open
//! pipeline are held back; without `--yes` nothing is sent. Each accept goes through
//! StartEngagementByAcceptingInvitationTask with its own ClientToken (the SDK's retries reuse it),
//! within the write quota, and is followed until its task completes.

use std::time::{Duration, Instant};

use clap::{Args, ValueEnum};
use color_eyre::eyre::{Result, WrapErr, bail};

use super::headless::{Headless, Output, now_millis, parse_duration, print_rows};
use crate::partner::rules::{self, AcceptRules, Verdict};
use crate::partner::types::*;

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum PayloadKind {
    Opportunity,
    Lead,
}

#[derive(Debug, Args)]
pub struct AcceptArgs {
    /// Customer industry as AWS names it (e.g. "Software and Internet"); repeat for any of several.
    #[arg(long = "industry")]
    industries: Vec<String>,
    /// Customer country code (e.g. US); repeat for any of several.
    #[arg(long = "country")]
    countries: Vec<String>,
    /// Referral type; repeat for both.
    #[arg(long = "type", value_enum)]
    types: Vec<PayloadKind>,
    /// Expected monthly spend at least this (in the referral's currency).
    #[arg(long)]
    min_spend: Option<f64>,
    /// Regular expression the project title must match (case-insensitive).
    #[arg(long)]
    title_matches: Option<String>,
    /// Only referrals expiring within this time (e.g. 72h, 3d).
    #[arg(long)]
    expiring_within: Option<String>,
    /// Accept even referrals whose customer an open opportunity already names.
    #[arg(long)]
    include_duplicates: bool,
    /// With no rule given, choose every pending referral (rules are required otherwise).
    #[arg(long)]
    all: bool,
    /// Accept at most this many in one run; the rest wait for the next.
    #[arg(long, default_value_t = 25)]
    max: usize,
    /// Send the accepts. Without it, the command only shows what it would do.
    #[arg(long)]
    yes: bool,
    #[arg(long, value_enum, default_value = "table")]
    output: Output,
}

impl AcceptArgs {
    fn rules(&self) -> Result<AcceptRules> {
        let title = self
            .title_matches
            .as_deref()
            .map(|pattern| {
                regex::RegexBuilder::new(pattern)
                    .case_insensitive(true)
                    .build()
                    .wrap_err_with(|| {
                        format!("--title-matches '{pattern}' is not a valid regular expression")
                    })
            })
            .transpose()?;
        Ok(AcceptRules {
            industries: self.industries.clone(),
            countries: self.countries.clone(),
            payload_types: self
                .types
                .iter()
                .map(|t| match t {
                    PayloadKind::Opportunity => "OpportunityInvitation".to_string(),
                    PayloadKind::Lead => "LeadInvitation".to_string(),
                })
                .collect(),
            min_monthly_spend: self.min_spend,
            title,
            expiring_within: self
                .expiring_within
                .as_deref()
                .map(parse_duration)
                .transpose()?,
            include_duplicates: self.include_duplicates,
        })
    }
}

/// One chosen referral and what happened to it.
struct Line {
    referral: Referral,
    outcome: Outcome,
}

enum Outcome {
    WouldAccept,
    Held(String),
    Deferred,
    Accepted { opportunity: Option<String> },
    Failed(String),
}

impl Outcome {
    fn word(&self) -> &'static str {
        match self {
            Outcome::WouldAccept => "would accept",
            Outcome::Held(_) => "held",
            Outcome::Deferred => "next run",
            Outcome::Accepted { .. } => "accepted",
            Outcome::Failed(_) => "failed",
        }
    }

    fn detail(&self) -> String {
        match self {
            Outcome::Held(why) | Outcome::Failed(why) => why.clone(),
            Outcome::Accepted { opportunity } => opportunity
                .as_ref()
                .map(|o| format!("opportunity {o}"))
                .unwrap_or_default(),
            Outcome::Deferred => "over --max for this run".into(),
            Outcome::WouldAccept => String::new(),
        }
    }
}

pub fn run(h: &mut Headless, args: &AcceptArgs) -> Result<i32> {
    let rules = args.rules()?;
    if rules.is_empty() && !args.all {
        bail!(
            "no rule given: name at least one (--industry, --country, --type, --min-spend, \
             --title-matches, --expiring-within), or --all to choose every pending referral"
        );
    }
    if args.yes && h.readonly {
        bail!(
            "read-only mode is on (--readonly or `readonly = true` in the config): nothing was accepted"
        );
    }
    if args.yes && h.offline {
        bail!("accepting needs Partner Central: drop --offline");
    }
    let now = now_millis();
    let pipeline = rules::pipeline_customers(&h.cache.opportunities()?);
    let referrals = h.cache.referrals()?;
    let pending = referrals
        .iter()
        .filter(|r| r.status.as_deref() == Some("PENDING"))
        .count();
    let mut chosen: Vec<(Referral, Verdict)> = referrals
        .into_iter()
        .filter_map(|r| rules.judge(&r, &pipeline, now).map(|v| (r, v)))
        .collect();
    // The soonest to expire first: with a cap, those are the ones that cannot wait.
    chosen.sort_by_key(|(r, _)| r.expires.unwrap_or(i64::MAX));
    eprintln!(
        "{} of {pending} pending referrals meet the rules",
        chosen.len()
    );

    let mut lines = Vec::new();
    let mut to_accept = 0;
    for (referral, verdict) in chosen {
        let outcome = match verdict {
            Verdict::Hold(why) => Outcome::Held(why),
            Verdict::Accept if to_accept >= args.max => Outcome::Deferred,
            Verdict::Accept => {
                to_accept += 1;
                Outcome::WouldAccept
            }
        };
        lines.push(Line { referral, outcome });
    }

    let mut failures = 0;
    if args.yes && to_accept > 0 {
        let run = now_millis();
        let total = to_accept;
        let mut done = 0;
        for line in lines
            .iter_mut()
            .filter(|l| matches!(l.outcome, Outcome::WouldAccept))
        {
            done += 1;
            eprintln!("accepting {} ({done}/{total})", line.referral.id);
            line.outcome = accept_one(h, &line.referral.id, run);
            if let Outcome::Failed(why) = &line.outcome {
                failures += 1;
                tracing::warn!(id = %line.referral.id, %why, "rule-based accept failed");
            }
        }
        // The new opportunities and the answered referrals, into the cache.
        let report = h.refresh(false)?;
        tracing::info!("{}", report.one_line());
    } else if to_accept > 0 {
        eprintln!("nothing sent: run again with --yes to accept {to_accept}");
    }

    print_lines(&lines, args.output, now)?;
    if failures > 0 {
        eprintln!(
            "{failures} of {to_accept} could not be accepted; they stay pending for the next run"
        );
        return Ok(4);
    }
    Ok(0)
}

fn accept_one(h: &Headless, id: &str, run: Millis) -> Outcome {
    // One token per referral per run: the SDK's retries of this call reuse it, so a retried
    // request cannot start a second task; a later run (the referral still pending because this
    // one failed) gets a fresh one.
    let token: String = format!("cosell-rules-{run}-{id}")
        .chars()
        .take(64)
        .collect();
    let result = h.runtime.block_on(async {
        let mut task = h.client.accept_referral(id, &token).await?;
        let started = Instant::now();
        while !task.finished() {
            if started.elapsed() > Duration::from_secs(300) {
                return Ok(TaskState {
                    status: "IN_PROGRESS".into(),
                    message: Some(format!(
                        "task {} still running after 5 minutes; check it in the TUI or the console",
                        task.id
                    )),
                    ..task
                });
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
            task = h.client.acceptance_task(&task.id).await?;
        }
        Ok::<_, crate::partner::PartnerError>(task)
    });
    match result {
        Ok(task) if task.status == "COMPLETE" => Outcome::Accepted {
            opportunity: task.opportunity_id,
        },
        Ok(task) => Outcome::Failed(
            task.message
                .or(task.reason)
                .unwrap_or_else(|| format!("task ended {}", task.status)),
        ),
        Err(e) => Outcome::Failed(e.user_message()),
    }
}

fn print_lines(lines: &[Line], output: Output, now: Millis) -> Result<()> {
    let headers = [
        "id",
        "customer",
        "industry",
        "country",
        "spend",
        "time_left",
        "result",
        "detail",
    ];
    let rows: Vec<Vec<String>> = lines
        .iter()
        .map(|l| {
            let r = &l.referral;
            vec![
                r.id.clone(),
                r.customer.clone().unwrap_or_default(),
                r.industry.clone().unwrap_or_default(),
                r.country.clone().unwrap_or_default(),
                r.monthly_spend
                    .as_ref()
                    .map(Money::short)
                    .unwrap_or_default(),
                r.expires
                    .map(|e| crate::ui::format::time_left(now, e))
                    .unwrap_or_default(),
                l.outcome.word().to_string(),
                l.outcome.detail(),
            ]
        })
        .collect();
    let json = serde_json::Value::Array(
        lines
            .iter()
            .map(|l| {
                serde_json::json!({
                    "id": l.referral.id,
                    "type": l.referral.payload_type,
                    "customer": l.referral.customer,
                    "industry": l.referral.industry,
                    "country": l.referral.country,
                    "expires": l.referral.expires.map(crate::ui::format::date_time),
                    "result": l.outcome.word(),
                    "detail": l.outcome.detail(),
                    "opportunity": match &l.outcome {
                        Outcome::Accepted { opportunity } => opportunity.clone(),
                        _ => None,
                    },
                })
            })
            .collect(),
    );
    print_rows(output, &headers, &rows, json)
}
