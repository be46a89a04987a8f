//! `cosell referrals accept`: the guide's auto-accept loop, made safe. Rules choose pending
//! referrals from a freshly synced cache (payloads included); customers already in the open
//! pipeline are held back; without `--yes` nothing is sent. Each accept goes through
//! StartEngagementByAcceptingInvitationTask with its own ClientToken (the SDK's retries reuse it),
//! within the write quota, and is followed until its task completes.

use std::time::{Duration, Instant};

use clap::{Args, ValueEnum};
use color_eyre::eyre::Result;

use super::headless::{Headless, now_millis, print_rows};
use super::plan::{self, ApplyArgs, Step, Verbs};
use cosell_core::partner::rules::{self, AcceptRules, Verdict};
use cosell_core::partner::types::*;

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum PayloadKind {
    Opportunity,
    Lead,
}

#[derive(Debug, Args)]
pub struct AcceptArgs {
    /// Customer industry as AWS names it, any case (e.g. "Software and Internet"); repeat for any
    /// of several.
    #[arg(long = "industry", value_parser = Industry::parse_or_list)]
    industries: Vec<Industry>,
    /// Customer country, as its code or name (e.g. US, Germany); repeat for any of several.
    #[arg(long = "country", value_parser = parse_country)]
    countries: Vec<String>,
    /// Referral type; repeat for both.
    #[arg(long = "type", value_enum)]
    types: Vec<PayloadKind>,
    /// Expected monthly spend at least this (in the referral's currency).
    #[arg(long)]
    min_spend: Option<f64>,
    /// Regular expression the project title must match (case-insensitive).
    #[arg(long, value_parser = super::values::pattern)]
    title_matches: Option<regex::Regex>,
    /// Only referrals expiring within this time (e.g. 72h, 3d).
    #[arg(long, value_parser = super::values::span)]
    expiring_within: Option<super::values::Span>,
    /// Accept even referrals whose customer an open opportunity already names.
    #[arg(long)]
    include_duplicates: bool,
    /// With no rule given, choose every pending referral (rules are required otherwise).
    #[arg(long)]
    all: bool,
    #[command(flatten)]
    apply: ApplyArgs,
}

const VERBS: Verbs = Verbs {
    planned: "would accept",
    done: "accepted",
};

fn parse_country(text: &str) -> Result<String, String> {
    cosell_core::partner::vocab::country_code(text)
        .map(str::to_string)
        .ok_or_else(|| {
            format!("'{text}' is not a country Partner Central knows; use a two-letter ISO code such as US, DE or JP")
        })
}

impl AcceptArgs {
    /// Whether any rule (or --all) was given.
    pub fn chooses(&self) -> bool {
        self.all || self.rules().is_ok_and(|r| !r.is_empty())
    }

    fn rules(&self) -> Result<AcceptRules> {
        let title = self.title_matches.clone();
        Ok(AcceptRules {
            industries: self.industries.iter().map(|i| i.to_string()).collect(),
            countries: self.countries.clone(),
            payload_types: self
                .types
                .iter()
                .map(|t| match t {
                    PayloadKind::Opportunity => PayloadType::OpportunityInvitation,
                    PayloadKind::Lead => PayloadType::LeadInvitation,
                })
                .collect(),
            min_monthly_spend: self.min_spend,
            title,
            expiring_within: self.expiring_within.as_ref().map(|w| w.millis),
            include_duplicates: self.include_duplicates,
        })
    }
}

pub fn run(h: &mut Headless, args: &AcceptArgs) -> Result<i32> {
    run_for(h, args, None)
}

/// Rule-based accepts, of leads only when `only` says so (`cosell leads accept` without an id).
pub fn run_for(h: &mut Headless, args: &AcceptArgs, only: Option<PayloadType>) -> Result<i32> {
    let mut rules = args.rules()?;
    if let Some(kind) = only {
        if rules.payload_types.iter().any(|t| *t != kind) {
            super::usage!(
                "leads accept chooses leads only; --type opportunity belongs to referrals accept"
            );
        }
        rules.payload_types = vec![kind];
    }
    if rules.is_empty() && !args.all {
        super::usage!(
            "no rule given: name at least one (--industry, --country, --type, --min-spend, \
             --title-matches, --expiring-within), or --all to choose every pending referral"
        );
    }
    plan::refuse_changes(h, &args.apply, "accepted")?;
    let now = now_millis();
    let pipeline = rules::pipeline_customers(&h.cache.opportunities()?);
    let referrals = h.cache.referrals()?;
    let pending = referrals
        .iter()
        .filter(|r| r.status == Some(InvitationStatus::Pending))
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

    let (referrals, mut steps): (Vec<Referral>, Vec<Step>) = chosen
        .into_iter()
        .map(|(referral, verdict)| {
            let step = match verdict {
                Verdict::Hold(why) => Step::Held(why),
                Verdict::Accept => Step::Planned,
            };
            (referral, step)
        })
        .unzip();
    let to_accept = plan::cap(&mut steps, args.apply.max);

    let mut failures = 0;
    if args.apply.yes && to_accept > 0 {
        let run = now_millis();
        let mut done = 0;
        for (referral, step) in referrals.iter().zip(steps.iter_mut()) {
            if !matches!(step, Step::Planned) {
                continue;
            }
            done += 1;
            eprintln!("accepting {} ({done}/{to_accept})", referral.id);
            *step = if referral.payload_type == Some(PayloadType::LeadInvitation) {
                accept_lead(h, referral)
            } else {
                accept_one(h, &referral.id, run)
            };
            if let Step::Failed(why) = step {
                failures += 1;
                tracing::warn!(id = %referral.id, %why, "rule-based accept failed");
            }
        }
        // The new opportunities and the answered referrals, into the cache.
        let report = h.refresh(false)?;
        tracing::info!("{}", report.one_line());
    } else if to_accept > 0 {
        eprintln!("nothing sent: run again with --yes to accept {to_accept}");
    }

    print_steps(&referrals, &steps, args.apply.output, now)?;
    eprintln!("{}", plan::summary(&steps, &VERBS));
    if failures > 0 {
        eprintln!(
            "{failures} of {to_accept} could not be accepted; they stay pending for the next run"
        );
        return Ok(4);
    }
    Ok(0)
}

/// A lead is accepted as AWS's lead workflow does (AcceptEngagementInvitation): it joins its
/// engagement; its opportunity comes later, from `leads convert`.
fn accept_lead(h: &Headless, lead: &Referral) -> Step {
    match h.runtime.block_on(h.client.accept_invitation(&lead.id)) {
        // No opportunity yet: `leads convert` makes it.
        Ok(()) => Step::Done(None),
        Err(e) => Step::Failed(e.to_string()),
    }
}

fn accept_one(h: &Headless, id: &str, run: Millis) -> Step {
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
        Ok::<_, cosell_core::partner::PartnerError>(task)
    });
    match result {
        Ok(task) if task.status == TaskStatus::Complete => Step::Done(task.opportunity_id),
        Ok(task) => Step::Failed(
            task.message
                .or(task.reason)
                .unwrap_or_else(|| format!("task ended {}", task.status)),
        ),
        // Another run (a second cron job, a colleague) may have answered it meanwhile: that is
        // not this run's failure, and says so.
        Err(e) => match h.runtime.block_on(h.client.get_referral(id)) {
            Ok(now) if now.referral.status == Some(InvitationStatus::Accepted) => {
                Step::Held("accepted meanwhile by another run or person; nothing left to do".into())
            }
            _ => Step::Failed(e.to_string()),
        },
    }
}

fn print_steps(
    referrals: &[Referral],
    steps: &[Step],
    output: super::headless::Output,
    now: Millis,
) -> Result<()> {
    let headers = [
        "id",
        "customer",
        "industry",
        "country",
        "spend",
        "time_left",
        "result",
        "opportunity_or_reason",
    ];
    let rows: Vec<Vec<String>> = referrals
        .iter()
        .zip(steps)
        .map(|(r, step)| {
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
                    .map(|e| cosell_core::times::time_left(now, e))
                    .unwrap_or_default(),
                step.word(&VERBS).to_string(),
                step.detail(),
            ]
        })
        .collect();
    let json = serde_json::Value::Array(
        referrals
            .iter()
            .zip(steps)
            .map(|(r, step)| {
                serde_json::json!({
                    "id": r.id,
                    "type": r.payload_type,
                    "customer": r.customer,
                    "industry": r.industry,
                    "country": r.country,
                    "expires": r.expires.map(cosell_core::times::date_time),
                    "result": step.word(&VERBS),
                    "detail": step.detail(),
                    "opportunity": match step {
                        Step::Done(opportunity) => opportunity.clone(),
                        _ => None,
                    },
                })
            })
            .collect(),
    );
    let accepted = steps.iter().filter(|s| matches!(s, Step::Done(_))).count();
    let headline = if accepted > 0 {
        format!("cosell accepted {accepted} AWS referral(s) by rule")
    } else {
        format!("{} AWS referral(s) meet the accept rules", referrals.len())
    };
    print_rows(output, &headline, &headers, &rows, json)
}
