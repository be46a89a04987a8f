//! `cosell opportunities update ID --set Path=Value …`: one change to one opportunity, from a
//! script. UpdateOpportunity replaces the whole record, so the change is built on the record
//! read just before (never a partial document sent raw, which would erase every field it does
//! not carry), with the record's LastModifiedDate as the lock, and refused before anything is
//! sent when its review status locks the field.

use color_eyre::eyre::{Result, bail};

use super::headless::Headless;
use super::usage;
use cosell_core::partner::rules::{self, EditField};
use cosell_core::partner::types::*;
use cosell_core::store::api_json;

/// The field paths `--set` takes, in the API's own spelling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SetPath {
    Stage,
    ClosedLostReason,
    NextSteps,
    TargetCloseDate,
    WebsiteUrl,
    CustomerBusinessProblem,
}

impl SetPath {
    pub(super) const ALL: [SetPath; 6] = [
        SetPath::Stage,
        SetPath::ClosedLostReason,
        SetPath::NextSteps,
        SetPath::TargetCloseDate,
        SetPath::WebsiteUrl,
        SetPath::CustomerBusinessProblem,
    ];

    pub(super) fn path(self) -> &'static str {
        match self {
            SetPath::Stage => "LifeCycle.Stage",
            SetPath::ClosedLostReason => "LifeCycle.ClosedLostReason",
            SetPath::NextSteps => "LifeCycle.NextSteps",
            SetPath::TargetCloseDate => "LifeCycle.TargetCloseDate",
            SetPath::WebsiteUrl => "Customer.Account.WebsiteUrl",
            SetPath::CustomerBusinessProblem => "Project.CustomerBusinessProblem",
        }
    }

    pub(super) fn field(self) -> EditField {
        match self {
            SetPath::Stage | SetPath::ClosedLostReason => EditField::Stage,
            SetPath::NextSteps => EditField::NextSteps,
            SetPath::TargetCloseDate => EditField::TargetCloseDate,
            SetPath::WebsiteUrl => EditField::Website,
            SetPath::CustomerBusinessProblem => EditField::BusinessProblem,
        }
    }

    pub(super) fn parse(text: &str) -> Option<SetPath> {
        SetPath::ALL
            .into_iter()
            .find(|p| p.path().eq_ignore_ascii_case(text))
    }
}

/// The record changed since the LastModifiedDate the script named (or between the read and the
/// write): nothing was sent. Exit status 6.
#[derive(Debug)]
pub struct ConflictError(pub String);

impl std::fmt::Display for ConflictError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConflictError {}

/// The `--set` pairs, checked: known paths, each once.
fn parse_sets(sets: &[String]) -> Result<Vec<(SetPath, String)>> {
    let mut out: Vec<(SetPath, String)> = Vec::new();
    for set in sets {
        let Some((path, value)) = set.split_once('=') else {
            usage!("--set takes Path=Value, got '{set}'");
        };
        let Some(path) = SetPath::parse(path.trim()) else {
            usage!(
                "--set cannot change '{path}'; it takes: {}",
                SetPath::ALL.map(SetPath::path).join(", ")
            );
        };
        if out.iter().any(|(p, _)| *p == path) {
            usage!("--set names {} twice", path.path());
        }
        out.push((path, value.to_string()));
    }
    Ok(out)
}

/// The one edit the `--set` pairs describe, checked as the TUI's forms check it; `current` fills
/// in what an edit needs but the script did not set (the website's partner, the problem).
pub(super) fn edit_from(
    sets: &[(SetPath, String)],
    current: &Opportunity,
    today: &str,
) -> Result<OpportunityEdit> {
    let value = |path: SetPath| {
        sets.iter()
            .find(|(p, _)| *p == path)
            .map(|(_, v)| v.clone())
    };
    let named: Vec<SetPath> = sets.iter().map(|(p, _)| *p).collect();
    let only = |allowed: &[SetPath]| named.iter().all(|p| allowed.contains(p));
    if only(&[SetPath::Stage, SetPath::ClosedLostReason]) {
        let Some(stage) = value(SetPath::Stage) else {
            usage!("LifeCycle.ClosedLostReason goes with LifeCycle.Stage=\"Closed Lost\"");
        };
        let stage = Stage::parse_or_list(&stage).map_err(super::UsageError)?;
        let closed_lost_reason = value(SetPath::ClosedLostReason)
            .map(|r| ClosedLostReason::parse_or_list(&r).map_err(super::UsageError))
            .transpose()?;
        if stage == Stage::ClosedLost && closed_lost_reason.is_none() {
            usage!("LifeCycle.Stage=\"Closed Lost\" needs LifeCycle.ClosedLostReason too");
        }
        return Ok(OpportunityEdit::Stage {
            stage,
            closed_lost_reason,
        });
    }
    if only(&[SetPath::NextSteps]) {
        let text = value(SetPath::NextSteps).unwrap_or_default();
        let count = text.chars().count();
        if count == 0 || count > 255 {
            usage!("LifeCycle.NextSteps takes 1 to 255 characters ({count} given)");
        }
        return Ok(OpportunityEdit::NextSteps(text));
    }
    if only(&[SetPath::TargetCloseDate]) {
        let date = value(SetPath::TargetCloseDate).unwrap_or_default();
        if let Some(problem) = rules::close_date_problem(&date, today) {
            usage!("LifeCycle.TargetCloseDate: {problem}");
        }
        return Ok(OpportunityEdit::TargetCloseDate(date));
    }
    if only(&[SetPath::WebsiteUrl, SetPath::CustomerBusinessProblem]) {
        let website = value(SetPath::WebsiteUrl)
            .or_else(|| current.summary.website.as_deref().map(str::to_string))
            .unwrap_or_default();
        let business_problem = value(SetPath::CustomerBusinessProblem)
            .or_else(|| current.business_problem.clone())
            .unwrap_or_default();
        if let Some(problem) = rules::website_problem(&website) {
            usage!("Customer.Account.WebsiteUrl: {problem}");
        }
        if let Some(problem) = rules::business_problem_problem(&business_problem) {
            usage!("Project.CustomerBusinessProblem: {problem}");
        }
        return Ok(OpportunityEdit::WebsiteAndProblem {
            website,
            business_problem,
        });
    }
    usage!(
        "these fields are changed by separate updates: the stage (with its closed-lost reason), \
         the next steps, the target close date, or the website and business problem together"
    )
}

/// Runs `opportunities update`. Prints the record as it is afterwards, in GetOpportunity's
/// JSON shape.
pub fn run(
    h: &mut Headless,
    id: &str,
    sets: &[String],
    last_modified: Option<&str>,
) -> Result<i32> {
    let sets = parse_sets(sets)?;
    let based_on = last_modified
        .map(|text| {
            cosell_core::times::parse_instant(text).ok_or_else(|| {
                super::UsageError(format!(
                    "--last-modified takes the record's LastModifiedDate (ISO 8601, as \
                     `opportunities get` prints it), got '{text}'"
                ))
            })
        })
        .transpose()?;
    super::plan::refuse_writes(h, "changed")?;
    let current = read(h, id)?;
    let seen = current.summary.last_modified.unwrap_or_default();
    if based_on.is_some_and(|b| b != seen) {
        return Err(ConflictError(format!(
            "{id} changed since {}: it was last modified {}; nothing was sent. Read it again \
             (`cosell opportunities get {id}`) and apply the change to what it is now",
            last_modified.unwrap_or_default(),
            cosell_core::times::instant(seen)
        ))
        .into());
    }
    for (path, _) in &sets {
        if let Some(reason) = rules::lock_reason(&current.summary, path.field()) {
            bail!("{} cannot change: {reason}", path.path());
        }
    }
    let today = cosell_core::times::today(cosell_core::times::now_millis());
    let edit = edit_from(&sets, &current, &today)?;
    let outcome = h
        .runtime
        .block_on(h.client.update_opportunity(id, seen, &edit))
        .map_err(|e| color_eyre::eyre::eyre!("{e}"))?;
    let after = match outcome {
        UpdateOutcome::Applied(after) => after,
        UpdateOutcome::Conflict { latest } => {
            return Err(ConflictError(format!(
                "{id} changed while the update was being made (now {}; {}): nothing was sent. Run \
                 the command again to apply {} to what it is now",
                latest
                    .summary
                    .last_modified
                    .map(cosell_core::times::instant)
                    .unwrap_or_default(),
                edit.current_in(&latest),
                edit.describe()
            ))
            .into());
        }
    };
    if current.summary.review_status == Some(ReviewStatus::ActionRequired) {
        eprintln!(
            "{id}: {} saved; it went back to AWS review",
            edit.describe()
        );
    }
    show(h, &after)
}

/// Runs `opportunities submit`: starts the engagement task (AWS's recommended way) and follows
/// it until it completes or fails. The ClientToken is derived from the record's id and version,
/// so running the same command again on the unchanged record replays the task instead of
/// starting a second one.
pub fn submit(
    h: &mut Headless,
    id: &str,
    involvement: &InvolvementType,
    visibility: &Visibility,
) -> Result<i32> {
    super::plan::refuse_writes(h, "submitted")?;
    let current = read(h, id)?;
    let review = current
        .summary
        .review_status
        .clone()
        .unwrap_or(ReviewStatus::PendingSubmission);
    if review != ReviewStatus::PendingSubmission {
        bail!("{id} is {review}: only opportunities pending submission can be submitted to AWS");
    }
    if let Some(advice) = current
        .summary
        .stage
        .as_ref()
        .and_then(Stage::submission_advice)
    {
        eprintln!("{advice}");
    }
    let token = format!(
        "cosell-submit-{id}-{}",
        current.summary.last_modified.unwrap_or_default()
    );
    let mut task = h
        .runtime
        .block_on(
            h.client
                .start_submission(id, involvement.as_str(), visibility.as_str(), &token),
        )
        .map_err(|e| color_eyre::eyre::eyre!("{e}"))?;
    let started = std::time::Instant::now();
    while !task.finished() {
        if started.elapsed() > std::time::Duration::from_secs(120) {
            bail!(
                "{id}: the submission task {} is still running after two minutes; `cosell opportunities get {id}` shows when it is Submitted",
                task.id
            );
        }
        std::thread::sleep(std::time::Duration::from_secs(1));
        task = h
            .runtime
            .block_on(h.client.submission_task(&task.id))
            .map_err(|e| color_eyre::eyre::eyre!("{e}"))?;
    }
    if task.status != TaskStatus::Complete {
        bail!(
            "{id} was not submitted: the task {} ended {}{}",
            task.id,
            task.status,
            task.message
                .as_deref()
                .map(|m| format!(": {m}"))
                .unwrap_or_default()
        );
    }
    let after = read(h, id)?;
    eprintln!("{id} submitted to AWS ({involvement}, {visibility})");
    show(h, &after)
}

/// Runs `opportunities assign`: the new owner, as AssignOpportunity takes them.
pub fn assign(h: &mut Headless, id: &str, assignee: &Contact) -> Result<i32> {
    super::plan::refuse_writes(h, "assigned")?;
    if assignee.email.as_deref().is_none_or(|e| !e.contains('@')) {
        usage!("--email takes the new owner's email address");
    }
    h.runtime
        .block_on(h.client.assign_opportunity(id, assignee))
        .map_err(|e| color_eyre::eyre::eyre!("{e}"))?;
    let after = read(h, id)?;
    eprintln!("{id} assigned to {}", assignee.name());
    show(h, &after)
}

/// Runs `opportunities link` / `unlink`: one association added or removed. A cap AWS documents
/// (10 solutions, 20 AWS products) is checked against the record before anything is sent.
pub fn link(h: &mut Headless, id: &str, kind: LinkKind, entity: &str, linked: bool) -> Result<i32> {
    super::plan::refuse_writes(h, if linked { "linked" } else { "unlinked" })?;
    let current = read(h, id)?;
    let held = match kind {
        LinkKind::Solution => Some(&current.solutions),
        LinkKind::AwsProduct => Some(&current.aws_products),
        // Offers and offer sets share one list in the record; the service counts them.
        LinkKind::MarketplaceOffer | LinkKind::MarketplaceOfferSet => None,
    };
    if let Some(held) = held {
        let present = held.iter().any(|e| e == entity);
        if linked && !present && held.len() >= kind.cap() {
            bail!(
                "{id} already has {} {}, the most AWS allows; unlink one first",
                held.len(),
                kind.api_name()
            );
        }
        if !linked && !present {
            bail!("{entity} is not linked to {id}");
        }
    }
    h.runtime
        .block_on(h.client.set_link(id, kind, entity, linked))
        .map_err(|e| color_eyre::eyre::eyre!("{e}"))?;
    let after = read(h, id)?;
    eprintln!(
        "{} {} {entity} {} {id}",
        if linked { "linked" } else { "unlinked" },
        kind.api_name(),
        if linked { "to" } else { "from" }
    );
    show(h, &after)
}

/// The record as Partner Central has it now.
fn read(h: &Headless, id: &str) -> Result<Opportunity> {
    h.runtime
        .block_on(h.client.get_opportunity(id))
        .map_err(|e| color_eyre::eyre::eyre!("{e}"))
}

/// Keeps the record a write left in the cache and prints it as GetOpportunity's JSON: what
/// every single-record write answers with.
fn show(h: &mut Headless, after: &Opportunity) -> Result<i32> {
    h.cache.store_full(after)?;
    println!(
        "{}",
        serde_json::to_string_pretty(&api_json::opportunity(after, &h.catalog))?
    );
    Ok(0)
}
