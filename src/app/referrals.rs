//! The Referrals tab's actions: accept (followed until AWS has created the opportunity), reject
//! with a reason, marks for batch answers, the duplicate hint, and jumping to the opportunity an
//! accepted referral became.

use super::flows::{follow, refetch_opportunity};
use super::keymap::Action;
use super::model::*;
use super::popup::*;
use cosell_core::partner::rules;
use cosell_core::partner::types::*;

/// Records an open opportunity's customer for the duplicate hint.
pub fn note_pipeline_name(model: &mut Model, o: &OpportunitySummary) {
    rules::note_pipeline_customer(&mut model.pipeline_names, o);
}

/// Rebuilds the customer index after a full load of opportunities and re-flags the referrals.
pub fn rebuild_pipeline_names(model: &mut Model) {
    model.pipeline_names = rules::pipeline_customers(&model.opportunities.rows);
    flag_duplicates(model);
}

/// Sets each referral's duplicate hint from the current customer index (cheap: referrals are few).
pub fn flag_duplicates(model: &mut Model) {
    let changed: Vec<Referral> = model
        .referrals
        .rows
        .iter()
        .filter(|r| r.customer.is_some())
        .map(|r| with_duplicate(model, r.clone()))
        .filter(|r| {
            model
                .referrals
                .rows
                .iter()
                .any(|old| old.id == r.id && old.duplicate_of != r.duplicate_of)
        })
        .collect();
    for r in changed {
        model.referrals.upsert(r);
    }
}

fn with_duplicate(model: &Model, mut referral: Referral) -> Referral {
    referral.duplicate_of =
        rules::pipeline_match(&model.pipeline_names, referral.customer.as_deref()).cloned();
    referral
}

/// The payload of a referral arrived: its row gains customer, industry, country, project, spend.
pub fn on_referral_detail(model: &mut Model, detail: &ReferralDetail) {
    let mut row = with_duplicate(model, detail.referral.clone());
    row.participant = row.participant.or(Some("RECEIVER".into()));
    model.referrals.upsert(row);
}

/// Pending referrals are few and time-critical, so their payloads are read up front: the inbox
/// can then show and sort by customer, spend and the duplicate hint.
pub fn prefetch(model: &mut Model) -> Vec<Effect> {
    let wanted: Vec<String> = model
        .referrals
        .rows
        .iter()
        .filter(|r| r.status.as_deref() == Some("PENDING"))
        .filter(|r| {
            !model
                .details
                .contains_key(&DetailKey::Referral(r.id.clone()))
        })
        .map(|r| r.id.clone())
        .collect();
    wanted
        .into_iter()
        .map(|id| {
            let request = model.take_request();
            let key = DetailKey::Referral(id);
            model
                .details
                .insert(key.clone(), Loadable::Loading(request));
            Effect::Fetch { request, key }
        })
        .collect()
}

/// The referrals an action applies to: the marked ones, or else the selected one.
fn targets(model: &Model) -> Vec<Referral> {
    if model.marked.is_empty() {
        model
            .referrals
            .selected_row()
            .cloned()
            .into_iter()
            .collect()
    } else {
        model
            .referrals
            .rows
            .iter()
            .filter(|r| model.marked.contains(&r.id))
            .cloned()
            .collect()
    }
}

/// Why a referral cannot be answered now, if it cannot.
fn unanswerable(model: &Model, r: &Referral) -> Option<String> {
    if let Some(what) = model.pending.get(&r.id) {
        return Some(format!("{} is still {what}", r.id));
    }
    match r.status.as_deref() {
        Some("PENDING") if r.expires.is_some_and(|e| e <= model.now) => {
            Some(format!("{} has expired", r.id))
        }
        Some("PENDING") => None,
        Some(other) => Some(format!("{} is already {}", r.id, other.to_lowercase())),
        None => Some(format!("{} has no status", r.id)),
    }
}

fn describe(model: &Model, r: &Referral) -> String {
    format!(
        "{} {} — {}{}",
        r.id,
        r.customer.as_deref().unwrap_or("(customer loading)"),
        r.project.as_deref().or(r.title.as_deref()).unwrap_or(""),
        r.expires
            .map(|e| format!(" ({} left)", cosell_core::times::time_left(model.now, e)))
            .unwrap_or_default()
    )
}

pub fn start(model: &mut Model, action: Action) -> Vec<Effect> {
    match action {
        Action::Mark => {
            if let Some(r) = model.referrals.selected_row() {
                let id = r.id.clone();
                if !model.marked.remove(&id) {
                    model.marked.insert(id);
                }
                let rows = model.table_rows();
                model.referrals.move_by(1, rows);
            }
            return Vec::new();
        }
        Action::OpenOpportunity => {
            open_created_opportunity(model);
            return Vec::new();
        }
        _ => {}
    }
    if model.offline {
        model.toast(Level::Error, "Offline: referrals cannot be answered while Partner Central cannot be reached. Press R to try again.");
        return Vec::new();
    }
    if model.context.readonly {
        model.toast(Level::Error, "Read-only mode: referrals cannot be answered (started with --readonly or readonly = true in the config).");
        return Vec::new();
    }
    let all = targets(model);
    let (ready, refused): (Vec<Referral>, Vec<Referral>) = all
        .into_iter()
        .partition(|r| unanswerable(model, r).is_none());
    if let Some(first) = refused.first()
        && ready.is_empty()
    {
        let why = unanswerable(model, first).unwrap_or_default();
        model.toast(Level::Error, format!("Nothing to answer: {why}."));
        return Vec::new();
    }
    let skipped = if refused.is_empty() {
        None
    } else {
        Some(format!(
            "{} marked referral(s) skipped: already answered, expired or in progress.",
            refused.len()
        ))
    };
    match action {
        Action::AcceptReferral => {
            let mut lines: Vec<String> = ready.iter().take(6).map(|r| describe(model, r)).collect();
            if ready.len() > 6 {
                lines.push(format!("… and {} more", ready.len() - 6));
            }
            for r in &ready {
                if let Some(existing) = &r.duplicate_of {
                    lines.push(format!(
                        "⚠ {} is already in your pipeline as {existing}: AWS may treat this as a duplicate (reject it as \"Duplicate of partner referral\" instead?)",
                        r.customer.as_deref().unwrap_or("this customer")
                    ));
                }
            }
            if ready.len() > 1 {
                lines
                    .push("They are sent one by one within the write quota (1 per second).".into());
            }
            lines.push(
                "Accepting creates the opportunity in your pipeline; it cannot be undone.".into(),
            );
            lines.extend(skipped);
            let intents = ready
                .iter()
                .map(|r| Intent::Accept {
                    id: r.id.clone(),
                    client_token: model.client_token(),
                })
                .collect();
            let title = if ready.len() == 1 {
                "Accept this referral?".to_string()
            } else {
                format!("Accept {} referrals?", ready.len())
            };
            model.popup = Some(Popup::Confirm(Confirm {
                title,
                lines,
                intents,
            }));
        }
        Action::RejectReferral => {
            let ids: Vec<String> = ready.iter().map(|r| r.id.clone()).collect();
            let duplicate = ready.iter().any(|r| r.duplicate_of.is_some());
            let (reason, details) = model.last_reject_reason.clone().unwrap_or_else(|| {
                let reason = if duplicate {
                    "Duplicate of partner referral"
                } else {
                    "Customer problem unclear"
                };
                (reason.to_string(), String::new())
            });
            let title = if ids.len() == 1 {
                format!("Reject {}", ids[0])
            } else {
                format!("Reject {} referrals", ids.len())
            };
            let mut form = Form::new(
                title,
                FormFor::Reject { ids },
                vec![
                    Field::choice(
                        "Reason",
                        &rules::REJECTION_REASONS,
                        &reason,
                        false,
                        "←/→ choose the reason AWS sees",
                    ),
                    Field::text(
                        "Details",
                        &details,
                        Some(80),
                        "optional; reason and details together are at most 80 characters",
                    ),
                ],
            );
            form.banner = skipped;
            model.form = Some(form);
        }
        _ => {}
    }
    Vec::new()
}

/// The reason sent to AWS: the chosen reason, and the details after a colon.
pub fn rejection_text(reason: &str, details: &str) -> String {
    let details = details.trim();
    if details.is_empty() {
        reason.to_string()
    } else {
        format!("{reason}: {details}")
    }
}

/// Ctrl-s on the reject form: check the length, then confirm.
pub fn submit_reject_form(model: &mut Model, ids: Vec<String>) -> Vec<Effect> {
    let Some(form) = model.form.as_mut() else {
        return Vec::new();
    };
    let reason = form.fields[0].value();
    let details = form.fields[1].value();
    let text = rejection_text(&reason, &details);
    let length = text.chars().count();
    if length > 80 {
        form.fields[1].error = Some(format!(
            "reason and details make {length} characters; AWS takes 80"
        ));
        return Vec::new();
    }
    model.last_reject_reason = Some((reason.clone(), details.trim().to_string()));
    let lines = vec![
        format!(
            "{} referral(s): {}",
            ids.len(),
            ids.iter().take(4).cloned().collect::<Vec<_>>().join(", ")
        ),
        format!("Reason sent to AWS: \"{text}\""),
        "A rejected referral cannot be accepted later.".into(),
    ];
    let intents = ids
        .iter()
        .map(|id| Intent::Reject {
            id: id.clone(),
            reason: Some(text.clone()),
        })
        .collect();
    model.form = None;
    model.popup = Some(Popup::Confirm(Confirm {
        title: "Reject?".into(),
        lines,
        intents,
    }));
    Vec::new()
}

fn batch_step(model: &mut Model, id: &str, ok: bool) -> bool {
    if ok {
        model.marked.remove(id);
    }
    let Some(batch) = &mut model.batch else {
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
        let text = format!(
            "Batch finished: {} {}, {} failed{}",
            batch.done,
            if batch.what == "accepting" {
                "accepted"
            } else {
                "rejected"
            },
            batch.failed,
            if batch.failed > 0 {
                " (still marked: fix and try again)"
            } else {
                ""
            }
        );
        let level = if batch.failed > 0 {
            Level::Error
        } else {
            Level::Info
        };
        model.batch = None;
        model.toast(level, text);
    }
    true
}

fn set_status(model: &mut Model, id: &str, status: &str) {
    if let Some(r) = model.referrals.rows.iter().find(|r| r.id == id).cloned() {
        model.referrals.upsert(Referral {
            status: Some(status.into()),
            ..r
        });
    }
}

/// A reject finished, or an accept could not even start.
pub fn on_rejected(
    model: &mut Model,
    intent: Intent,
    result: Result<Outcome, MutationError>,
) -> Vec<Effect> {
    let id = intent.target().to_string();
    model.pending.remove(&id);
    let accepting = matches!(intent, Intent::Accept { .. });
    match result {
        Ok(_) => {
            set_status(model, &id, "REJECTED");
            if !batch_step(model, &id, true) {
                model.toast(Level::Info, format!("Rejected {id}"));
            }
        }
        Err(error) => {
            let in_batch = batch_step(model, &id, false);
            let advice = if accepting {
                ""
            } else {
                " Your reason is kept: press x to try again."
            };
            let prefix = if in_batch {
                format!("{id}: ")
            } else {
                String::new()
            };
            model.toast(Level::Error, format!("{prefix}{}{advice}", error.message));
        }
    }
    Vec::new()
}

/// News about an acceptance task.
pub fn on_acceptance(
    model: &mut Model,
    id: String,
    result: Result<TaskState, String>,
) -> Vec<Effect> {
    match result {
        Ok(task) if !task.finished() => follow(model, TaskKind::Acceptance, &id, task),
        Ok(task) => {
            model.following.remove(&task.id);
            model.pending.remove(&id);
            if task.status == "COMPLETE" {
                set_status(model, &id, "ACCEPTED");
                let in_batch = batch_step(model, &id, true);
                let mut effects = Vec::new();
                match &task.opportunity_id {
                    Some(opportunity) => {
                        model.accepted.insert(id.clone(), opportunity.clone());
                        model.last_accepted = Some(opportunity.clone());
                        if !in_batch {
                            model.toast(
                                Level::Info,
                                format!("Accepted {id} → {opportunity} (J jumps to it)"),
                            );
                        }
                        effects.push(refetch_opportunity(model, opportunity));
                    }
                    None => {
                        if !in_batch {
                            model.toast(Level::Info, format!("Accepted {id}"));
                        }
                    }
                }
                effects
            } else {
                batch_step(model, &id, false);
                let why = [task.message.clone(), task.reason.clone()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" — ");
                model.toast(
                    Level::Error,
                    format!(
                        "Accepting {id} failed: {why}. The referral is unchanged; check it with R."
                    ),
                );
                Vec::new()
            }
        }
        Err(error) => {
            model.pending.remove(&id);
            batch_step(model, &id, false);
            model.toast(
                Level::Error,
                format!(
                    "Could not follow the acceptance of {id}: {error}. Press R to see its state."
                ),
            );
            Vec::new()
        }
    }
}

fn open_created_opportunity(model: &mut Model) {
    // The selected referral's opportunity, or else the one the latest acceptance created (it may
    // have left a pending-only view along with its referral).
    let selected = model.referrals.selected_row();
    let target = selected
        .and_then(|r| model.accepted.get(&r.id).cloned())
        .or_else(|| model.last_accepted.clone());
    let Some(opportunity) = target else {
        let text = match selected {
            Some(r) => format!(
                "{} has no opportunity from cosell yet: accept it first (a).",
                r.id
            ),
            None => "No referral has been accepted in this session yet.".to_string(),
        };
        model.toast(Level::Error, text);
        return;
    };
    model.tab = Tab::Opportunities;
    let rows = model.table_rows();
    let table = &mut model.opportunities;
    let shown = |t: &crate::app::table::Table<OpportunitySummary>| {
        t.visible.iter().position(|&i| t.rows[i].id == opportunity)
    };
    if shown(table).is_none() {
        table.set_filter(String::new());
        table.set_quick(Vec::new());
    }
    match shown(table) {
        Some(position) => {
            table.selected = position;
            table.scroll_into_view(rows);
        }
        None => model.toast(
            Level::Info,
            format!("{opportunity} is still loading; it appears in a moment."),
        ),
    }
}
