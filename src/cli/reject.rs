//! `cosell referrals reject`: one referral by id, or by rule the ones `referrals accept` holds
//! back because the customer is already in the open pipeline (`--duplicates`: a plan until
//! `--yes`). The reason and details are checked against AWS's 80 characters before anything is
//! sent.

use clap::Args;
use color_eyre::eyre::{Result, bail};

use super::headless::{Headless, now_millis, print_rows};
use super::plan::{self, ApplyArgs, Step, Verbs};
use super::usage;
use cosell_core::partner::rules::{self, REJECTION_LIMIT, rejection_text};
use cosell_core::partner::types::*;
use cosell_core::store::api_json;

#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("which").required(true).multiple(false).args(["id", "duplicates"]))]
pub struct RejectArgs {
    /// The referral's id (engi-…).
    id: Option<String>,
    /// Instead of one id: every pending referral whose customer an open opportunity already
    /// names (the ones `referrals accept` holds back). A plan until --yes.
    #[arg(long)]
    duplicates: bool,
    /// The reason AWS sees: one of AWS's ("Customer problem unclear", "Next steps unclear",
    /// "Unable to support", "Duplicate of partner referral", "Other"; any case) or your own
    /// words. Required with an id; with --duplicates, "Duplicate of partner referral".
    #[arg(long)]
    reason: Option<String>,
    /// More words after the reason; AWS takes 80 characters for both together.
    #[arg(long)]
    details: Option<String>,
    #[command(flatten)]
    apply: ApplyArgs,
}

const VERBS: Verbs = Verbs {
    planned: "would reject",
    done: "rejected",
};

/// The text AWS receives: a known reason in AWS's own spelling, else the words given.
fn reason_text(reason: &str, details: Option<&str>) -> Result<String> {
    let reason = RejectionReason::parse_loose(reason)
        .map(|r| r.to_string())
        .unwrap_or_else(|| reason.trim().to_string());
    if reason.is_empty() {
        usage!("--reason is empty");
    }
    let text = rejection_text(&reason, details.unwrap_or(""));
    let length = text.chars().count();
    if length > REJECTION_LIMIT {
        usage!("the reason and details make {length} characters; AWS takes {REJECTION_LIMIT}");
    }
    Ok(text)
}

pub fn run(h: &mut Headless, args: &RejectArgs) -> Result<i32> {
    match (&args.id, args.duplicates) {
        (Some(id), false) => {
            let Some(reason) = &args.reason else {
                usage!("--reason is required: the reason AWS sees");
            };
            let text = reason_text(reason, args.details.as_deref())?;
            one(h, id, &text)
        }
        (None, true) => {
            let reason = args
                .reason
                .clone()
                .unwrap_or_else(|| RejectionReason::DuplicateOfPartnerReferral.to_string());
            let text = reason_text(&reason, args.details.as_deref())?;
            duplicates(h, args, &text)
        }
        (Some(_), true) | (None, false) => {
            usage!("name one referral id, or --duplicates")
        }
    }
}

/// One referral by id: pending only; prints it afterwards as ListEngagementInvitations' JSON.
fn one(h: &mut Headless, id: &str, text: &str) -> Result<i32> {
    plan::refuse_writes(h, "rejected")?;
    let Some(referral) = h.cache.referrals()?.into_iter().find(|r| r.id == id) else {
        bail!(
            "{id} is not among this partner's referrals in the {} catalog (`cosell referrals list` shows them)",
            h.catalog
        );
    };
    if referral.status != Some(InvitationStatus::Pending) {
        let status = referral
            .status
            .as_ref()
            .map(InvitationStatus::to_string)
            .unwrap_or_default();
        bail!("{id} is {status}: only pending referrals can be rejected");
    }
    h.runtime
        .block_on(h.client.reject_referral(id, Some(text)))
        .map_err(|e| color_eyre::eyre::eyre!("{e}"))?;
    // The cache learns the answer the way every command does: from Partner Central.
    h.refresh(false)?;
    let after = h
        .cache
        .referrals()?
        .into_iter()
        .find(|r| r.id == id)
        .unwrap_or(referral);
    eprintln!("rejected {id}: {text}");
    println!(
        "{}",
        serde_json::to_string_pretty(&api_json::referral_summary(&after, &h.catalog))?
    );
    Ok(0)
}

/// `--duplicates`: the pending referrals an open opportunity already names, soonest to expire
/// first, rejected with `text` once `--yes` is given.
fn duplicates(h: &mut Headless, args: &RejectArgs, text: &str) -> Result<i32> {
    plan::refuse_changes(h, &args.apply, "rejected")?;
    let now = now_millis();
    let pipeline = rules::pipeline_customers(&h.cache.opportunities()?);
    let mut chosen: Vec<(Referral, String)> = h
        .cache
        .referrals()?
        .into_iter()
        .filter(|r| r.status == Some(InvitationStatus::Pending))
        .filter(|r| r.expires.is_none_or(|e| e > now))
        .filter_map(|r| {
            let existing = rules::pipeline_match(&pipeline, r.customer.as_deref())?.clone();
            Some((r, existing))
        })
        .collect();
    chosen.sort_by_key(|(r, _)| r.expires.unwrap_or(i64::MAX));
    eprintln!(
        "{} pending referral(s) name a customer already in the open pipeline",
        chosen.len()
    );
    let mut steps: Vec<Step> = chosen.iter().map(|_| Step::Planned).collect();
    let to_reject = plan::cap(&mut steps, args.apply.max);
    let mut failures = 0;
    if args.apply.yes && to_reject > 0 {
        let mut done = 0;
        for ((referral, _), step) in chosen.iter().zip(steps.iter_mut()) {
            if !matches!(step, Step::Planned) {
                continue;
            }
            done += 1;
            eprintln!("rejecting {} ({done}/{to_reject})", referral.id);
            *step = match h
                .runtime
                .block_on(h.client.reject_referral(&referral.id, Some(text)))
            {
                Ok(()) => Step::Done(None),
                // Another run (or a colleague) answered it meanwhile: not a failure of this one.
                Err(e) if e.kind == cosell_core::partner::FailureKind::Conflict => {
                    Step::Held(format!("already answered elsewhere: {e}"))
                }
                Err(e) => {
                    failures += 1;
                    Step::Failed(e.to_string())
                }
            };
        }
        h.refresh(false)?;
    } else if to_reject > 0 {
        eprintln!("nothing sent: run again with --yes to reject {to_reject}");
    }
    print_plan(&chosen, &steps, args, text)?;
    eprintln!("{}", plan::summary(&steps, &VERBS));
    if failures > 0 {
        eprintln!(
            "{failures} of {to_reject} could not be rejected; they stay pending for the next run"
        );
        return Ok(super::exit::PARTIAL);
    }
    Ok(0)
}

fn print_plan(
    chosen: &[(Referral, String)],
    steps: &[Step],
    args: &RejectArgs,
    text: &str,
) -> Result<()> {
    let headers = ["id", "customer", "already_in", "result", "detail"];
    let rows: Vec<Vec<String>> = chosen
        .iter()
        .zip(steps)
        .map(|((r, existing), step)| {
            vec![
                r.id.clone(),
                r.customer.clone().unwrap_or_default(),
                existing.clone(),
                step.word(&VERBS).to_string(),
                step.detail(),
            ]
        })
        .collect();
    let json = serde_json::Value::Array(
        chosen
            .iter()
            .zip(steps)
            .map(|((r, existing), step)| {
                serde_json::json!({
                    "id": r.id,
                    "customer": r.customer,
                    "already_in": existing,
                    "reason": text,
                    "result": step.word(&VERBS),
                    "detail": step.detail(),
                })
            })
            .collect(),
    );
    let headline = format!("Referrals naming a customer already in the pipeline ({text})");
    print_rows(args.apply.output, &headline, &headers, &rows, json)
}
