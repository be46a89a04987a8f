//! What comes back for the Referrals tab: payloads (which fill the inbox's columns and its
//! duplicate hint), finished answers, followed acceptances, batch progress.

use cosell_core::partner::rules;
use cosell_core::partner::types::*;

use super::types::{BatchKind, Intent};
use crate::app::core::shell::Level;
use crate::app::model::Model;
use crate::app::msg::{DetailKey, Effect, MutationError, Outcome, TaskKind};
use crate::app::shared;

/// The duplicate hint answers "should I accept this?", so only a pending referral carries one:
/// an accepted referral's customer is in the pipeline because of that very acceptance.
fn with_duplicate(model: &Model, mut referral: Referral) -> Referral {
    referral.duplicate_of = if referral.status == Some(InvitationStatus::Pending) {
        rules::pipeline_match(&model.opportunities.pipeline, referral.customer.as_deref()).cloned()
    } else {
        None
    };
    referral
}

/// Sets each referral's duplicate hint from the pipeline index (cheap: referrals are few).
pub fn flag_duplicates(model: &mut Model) {
    let changed: Vec<Referral> = model
        .referrals
        .table
        .rows
        .iter()
        .filter(|r| r.customer.is_some())
        .map(|r| with_duplicate(model, r.clone()))
        .filter(|r| {
            model
                .referrals
                .table
                .rows
                .iter()
                .any(|old| old.id == r.id && old.duplicate_of != r.duplicate_of)
        })
        .collect();
    for r in changed {
        model.referrals.table.upsert(r);
    }
}

/// The payload of a referral arrived: its row gains customer, industry, country, project, spend.
pub fn on_detail(model: &mut Model, detail: &ReferralDetail) {
    let mut row = with_duplicate(model, detail.referral.clone());
    row.participant = row.participant.or(Some(ParticipantType::Receiver));
    model.referrals.table.upsert(row);
}

/// Pending referrals are few and time-critical, so their payloads are read up front: the inbox
/// can then show and sort by customer, spend and the duplicate hint.
pub fn prefetch(model: &mut Model) -> Vec<Effect> {
    let wanted: Vec<String> = model
        .referrals
        .table
        .rows
        .iter()
        .filter(|r| r.status == Some(InvitationStatus::Pending))
        .filter(|r| !model.referrals.details.contains_key(&r.id))
        .map(|r| r.id.clone())
        .collect();
    wanted
        .into_iter()
        .map(|id| shared::fetch(model, DetailKey::Referral(id)))
        .collect()
}

/// Counts one answer of a batch; true when `id` was part of one. The last one reports.
fn batch_step(model: &mut Model, id: &str, ok: bool) -> bool {
    if ok {
        model.referrals.marked.remove(id);
    }
    let Some(batch) = &mut model.referrals.batch else {
        return false;
    };
    if !batch.ids.iter().any(|b| b == id) {
        return false;
    }
    if ok {
        batch.done += 1;
    } else {
        batch.failed += 1;
    }
    if batch.done + batch.failed == batch.ids.len() {
        // What each answer produced: the opportunity an accepted referral became.
        let produced: Vec<String> = batch
            .ids
            .iter()
            .filter_map(|r| {
                model
                    .referrals
                    .accepted
                    .get(r)
                    .map(|o| format!("{r} → {o}"))
            })
            .collect();
        let text = format!(
            "Batch finished: {} {}, {} failed{}{}",
            batch.done,
            batch.kind.done(),
            batch.failed,
            if produced.is_empty() {
                String::new()
            } else {
                format!(" ({})", produced.join(", "))
            },
            if batch.failed > 0 {
                "; the failed ones are still marked: fix and try again"
            } else {
                ""
            }
        );
        let level = if batch.failed > 0 {
            Level::Error
        } else {
            Level::Info
        };
        model.referrals.batch = None;
        model.shell.toast(level, text);
    }
    true
}

fn set_status(model: &mut Model, id: &str, status: InvitationStatus) {
    if let Some(r) = model
        .referrals
        .table
        .rows
        .iter()
        .find(|r| r.id == id)
        .cloned()
    {
        model.referrals.table.upsert(Referral {
            status: Some(status),
            ..r
        });
    }
}

/// An answer sent from this tab finished (an accept that started its task is followed).
pub fn on_mutated(
    model: &mut Model,
    intent: Intent,
    result: Result<Outcome, MutationError>,
) -> Vec<Effect> {
    let id = intent.target().to_string();
    match (intent, result) {
        (Intent::Accept { .. }, Ok(Outcome::TaskStarted(task))) => {
            on_acceptance(model, id, Ok(task))
        }
        (Intent::Reject { .. }, Ok(_)) => {
            model.shell.pending.remove(&id);
            set_status(model, &id, InvitationStatus::Rejected);
            if !batch_step(model, &id, true) {
                model.shell.toast(Level::Info, format!("Rejected {id}"));
            }
            Vec::new()
        }
        (Intent::AcceptLead { .. }, Ok(_)) => {
            model.shell.pending.remove(&id);
            set_status(model, &id, InvitationStatus::Accepted);
            if !batch_step(model, &id, true) {
                model.shell.toast(
                    Level::Info,
                    format!(
                        "Accepted lead {id}: qualify it (Q) and convert it (c) into an opportunity"
                    ),
                );
            }
            Vec::new()
        }
        (Intent::Qualify { status, .. }, Ok(_)) => {
            model.shell.pending.remove(&id);
            model.referrals.qualified.insert(id.clone(), status);
            model
                .shell
                .toast(Level::Info, format!("Lead {id} marked {}", status.as_str()));
            Vec::new()
        }
        (Intent::Convert { .. }, Ok(Outcome::TaskStarted(task))) => {
            on_conversion(model, id, Ok(task))
        }
        (Intent::Convert { .. }, Ok(_)) => {
            model.shell.pending.remove(&id);
            model.shell.toast(
                Level::Error,
                format!("{id}: Partner Central answered without a task; press R to see whether the lead was converted."),
            );
            Vec::new()
        }
        (Intent::Accept { .. }, Ok(_)) => {
            // An accept answers with its task; without one, whether it happened is unknown.
            model.shell.pending.remove(&id);
            batch_step(model, &id, false);
            model.shell.toast(
                Level::Error,
                format!("{id}: Partner Central answered without a task; press R to see whether it was accepted."),
            );
            Vec::new()
        }
        (intent, Err(error)) => {
            model.shell.pending.remove(&id);
            let in_batch = batch_step(model, &id, false);
            let advice = match intent {
                Intent::Accept { .. } | Intent::AcceptLead { .. } => "",
                Intent::Reject { .. } => " Your reason is kept: press x to try again.",
                Intent::Qualify { .. } => " Press Q to try again.",
                Intent::Convert { .. } => {
                    " Press c to try again; the same lead is never converted twice."
                }
            };
            let prefix = if in_batch {
                format!("{id}: ")
            } else {
                String::new()
            };
            model
                .shell
                .toast(Level::Error, format!("{prefix}{}{advice}", error.message));
            Vec::new()
        }
    }
}

/// News about an acceptance task.
pub fn on_acceptance(
    model: &mut Model,
    id: String,
    result: Result<TaskState, String>,
) -> Vec<Effect> {
    let task = match result {
        Ok(task) => task,
        Err(error) => {
            model.shell.pending.remove(&id);
            batch_step(model, &id, false);
            model.shell.toast(
                Level::Error,
                format!(
                    "Could not follow the acceptance of {id}: {error}. Press R to see its state."
                ),
            );
            return Vec::new();
        }
    };
    model.shell.pending.insert(id.clone(), "accepting".into());
    if let Some(poll) = shared::follow(model, TaskKind::Acceptance, &id, &task) {
        return vec![poll];
    }
    model.shell.pending.remove(&id);
    if task.status != TaskStatus::Complete {
        batch_step(model, &id, false);
        let why = [task.message.clone(), task.reason.clone()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" — ");
        model.shell.toast(
            Level::Error,
            format!("Accepting {id} failed: {why}. The referral is unchanged; check it with R."),
        );
        return Vec::new();
    }
    set_status(model, &id, InvitationStatus::Accepted);
    let in_batch = batch_step(model, &id, true);
    let Some(opportunity) = task.opportunity_id else {
        if !in_batch {
            model.shell.toast(Level::Info, format!("Accepted {id}"));
        }
        return Vec::new();
    };
    model
        .referrals
        .accepted
        .insert(id.clone(), opportunity.clone());
    model.referrals.last_accepted = Some(opportunity.clone());
    if !in_batch {
        model.shell.toast(
            Level::Info,
            format!("Accepted {id} → {opportunity} (J jumps to it)"),
        );
    }
    vec![shared::refetch_opportunity(model, &opportunity)]
}

/// News about a lead's conversion: followed to the end, then the new opportunity is shown.
pub fn on_conversion(
    model: &mut Model,
    id: String,
    result: Result<TaskState, String>,
) -> Vec<Effect> {
    let task = match result {
        Ok(task) => task,
        Err(error) => {
            model.shell.pending.remove(&id);
            model.shell.toast(
                Level::Error,
                format!("Could not follow the conversion of {id}: {error}. Press c to look again; it is not converted twice."),
            );
            return Vec::new();
        }
    };
    model.shell.pending.insert(id.clone(), "converting".into());
    if let Some(poll) = shared::follow(model, TaskKind::Conversion, &id, &task) {
        return vec![poll];
    }
    model.shell.pending.remove(&id);
    let Some(opportunity) = task
        .opportunity_id
        .clone()
        .filter(|_| task.status == TaskStatus::Complete)
    else {
        let why = [task.message.clone(), task.reason.clone()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" — ");
        model
            .shell
            .toast(Level::Error, format!("Converting lead {id} failed: {why}"));
        return Vec::new();
    };
    model
        .referrals
        .accepted
        .insert(id.clone(), opportunity.clone());
    model.referrals.last_accepted = Some(opportunity.clone());
    model.shell.toast(
        Level::Info,
        format!("Lead {id} converted into {opportunity}; it is pending submission (S submits it)"),
    );
    // Go to it: selected on the Opportunities tab as soon as the list has it.
    model.opportunities.reveal_when_listed = Some(opportunity.clone());
    model.opportunities.reveal_moves_tab = true;
    crate::app::features::opportunities::results::reveal_if_awaited(model);
    vec![shared::refetch_opportunity(model, &opportunity)]
}

/// A batch's progress begins when its confirmation is answered yes.
pub fn begin_batch(model: &mut Model, kind: BatchKind, ids: Vec<String>) {
    model.referrals.batch = Some(super::types::Batch {
        kind,
        ids,
        done: 0,
        failed: 0,
    });
}
