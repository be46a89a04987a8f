//! The Referrals tab's keys: mark, accept, reject (with its form), and J to the opportunity an
//! accepted referral became.

use cosell_core::partner::rules::{REJECTION_LIMIT, rejection_text};
use cosell_core::partner::types::*;

use super::types::{Intent, OpenForm, Qualification, QualifyField, RejectField};
use crate::app::core::form::{Field, Form, plain_options};
use crate::app::core::keymap::Action;
use crate::app::core::popup::Confirm;
use crate::app::core::shell::Level;
use crate::app::features::opportunities::results::reveal;
use crate::app::model::{self, Model, Popup};
use crate::app::msg::{self, Effect};

/// The referrals an action applies to: the marked ones, or else the selected one.
fn targets(model: &Model) -> Vec<Referral> {
    let referrals = &model.referrals;
    if referrals.marked.is_empty() {
        referrals
            .table
            .selected_row()
            .cloned()
            .into_iter()
            .collect()
    } else {
        referrals
            .table
            .rows
            .iter()
            .filter(|r| referrals.marked.contains(&r.id))
            .cloned()
            .collect()
    }
}

/// Why a referral cannot be answered now, if it cannot.
fn unanswerable(model: &Model, r: &Referral) -> Option<String> {
    if let Some(what) = model.shell.pending.get(&r.id) {
        return Some(format!("{} is still {what}", r.id));
    }
    match &r.status {
        Some(InvitationStatus::Pending) if r.expires.is_some_and(|e| e <= model.shell.now) => {
            Some(format!("{} has expired", r.id))
        }
        Some(InvitationStatus::Pending) => None,
        Some(other) => Some(format!(
            "{} is already {}",
            r.id,
            other.as_str().to_lowercase()
        )),
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
            .map(|e| format!(
                " ({} left)",
                cosell_core::times::time_left(model.shell.now, e)
            ))
            .unwrap_or_default()
    )
}

pub fn start(model: &mut Model, action: Action) -> Vec<Effect> {
    match action {
        Action::Mark => toggle_mark(model),
        Action::OpenOpportunity => open_created_opportunity(model),
        Action::AcceptReferral | Action::RejectReferral => answer(model, action),
        Action::QualifyLead => open_qualify_form(model),
        Action::ConvertLead => confirm_convert(model),
        _ => {}
    }
    Vec::new()
}

/// The selected row when it is an accepted lead with an engagement, or a toast saying what
/// to do first.
fn accepted_lead(model: &mut Model, what: &str) -> Option<(String, String, String)> {
    if model.shell.refuse_changes(what) {
        return None;
    }
    let row = model.referrals.table.selected_row().cloned()?;
    let problem = if row.payload_type != Some(PayloadType::LeadInvitation) {
        Some(format!(
            "{} is an opportunity referral, not a lead: accepting it (a) creates its opportunity",
            row.id
        ))
    } else if let Some(doing) = model.shell.pending.get(&row.id) {
        Some(format!("{} is still {doing}", row.id))
    } else if row.status != Some(InvitationStatus::Accepted) {
        Some(format!(
            "{} is not accepted yet: accept the lead first (a) to join its engagement",
            row.id
        ))
    } else if row.engagement_id.is_none() {
        Some(format!("{} names no engagement", row.id))
    } else {
        None
    };
    if let Some(problem) = problem {
        model.shell.toast(Level::Error, problem);
        return None;
    }
    let customer = row.customer.clone().unwrap_or_else(|| row.id.clone());
    Some((row.id, row.engagement_id.unwrap_or_default(), customer))
}

fn open_qualify_form(model: &mut Model) {
    let Some((id, engagement, customer)) = accepted_lead(model, "qualifying leads") else {
        return;
    };
    let current = model
        .referrals
        .qualified
        .get(&id)
        .copied()
        .unwrap_or(Qualification::Qualified);
    let options = Qualification::ALL
        .iter()
        .map(|q| (q.as_str().to_string(), q.as_str().to_string()))
        .collect();
    let mut form = Form::new(
        format!("Qualify the lead {customer}"),
        vec![(
            QualifyField::Status,
            Field::choice(
                "Qualification",
                options,
                current.as_str(),
                "←/→: what you learned from the customer",
            ),
        )],
    );
    form.body.note = Some(
        "Written to the lead's context in its engagement (UpdateEngagementContext); AWS sees it."
            .into(),
    );
    model.form = Some(model::OpenForm::Referrals(OpenForm::Qualify {
        id,
        engagement,
        form,
    }));
}

fn confirm_convert(model: &mut Model) {
    let Some((id, engagement, customer)) = accepted_lead(model, "converting leads") else {
        return;
    };
    let mut lines = vec![format!(
        "{customer} ({engagement}) becomes an opportunity with the lead's customer, contact and business problem, at Prospect and pending submission."
    )];
    if model.referrals.qualified.get(&id) == Some(&Qualification::Disqualified) {
        lines.push(
            "⚠ You marked this lead Disqualified; Partner Central converts it anyway.".into(),
        );
    }
    lines.push("cosell follows the task and then shows the new opportunity.".into());
    // One token per lead: converting the same lead again answers with the same opportunity.
    let client_token = format!("cosell-convert-{engagement}");
    model.popup = Some(Popup::Confirm(Confirm {
        title: format!("Convert the lead {customer}?"),
        lines,
        intents: vec![msg::Intent::Referrals(Intent::Convert {
            id,
            engagement,
            client_token,
        })],
    }));
}

fn toggle_mark(model: &mut Model) {
    if let Some(r) = model.referrals.table.selected_row() {
        let id = r.id.clone();
        if !model.referrals.marked.remove(&id) {
            model.referrals.marked.insert(id);
        }
        let rows = model.table_rows();
        model.referrals.table.move_by(1, rows);
    }
}

fn answer(model: &mut Model, action: Action) {
    if model.shell.refuse_changes("answering referrals") {
        return;
    }
    let (ready, refused): (Vec<Referral>, Vec<Referral>) = targets(model)
        .into_iter()
        .partition(|r| unanswerable(model, r).is_none());
    if let Some(first) = refused.first()
        && ready.is_empty()
    {
        let why = unanswerable(model, first).unwrap_or_default();
        model
            .shell
            .toast(Level::Error, format!("Nothing to answer: {why}."));
        return;
    }
    let skipped = (!refused.is_empty()).then(|| {
        format!(
            "{} marked referral(s) skipped: already answered, expired or in progress.",
            refused.len()
        )
    });
    if action == Action::AcceptReferral {
        confirm_accept(model, &ready, skipped);
    } else {
        open_reject_form(model, &ready, skipped);
    }
}

fn confirm_accept(model: &mut Model, ready: &[Referral], skipped: Option<String>) {
    let mut lines: Vec<String> = ready.iter().take(6).map(|r| describe(model, r)).collect();
    if ready.len() > 6 {
        lines.push(format!("… and {} more", ready.len() - 6));
    }
    for r in ready {
        if let Some(existing) = &r.duplicate_of {
            lines.push(format!(
                "⚠ {} is already in your pipeline as {existing}: AWS may treat this as a duplicate (reject it as \"Duplicate of partner referral\" instead?)",
                r.customer.as_deref().unwrap_or("this customer")
            ));
        }
    }
    if ready.len() > 1 {
        lines.push("They are sent one by one within the write quota (1 per second).".into());
    }
    let is_lead = |r: &Referral| r.payload_type == Some(PayloadType::LeadInvitation);
    if ready.iter().any(|r| !is_lead(r)) {
        lines.push(
            "Accepting a referral creates its opportunity in your pipeline; it cannot be undone."
                .into(),
        );
    }
    if ready.iter().any(is_lead) {
        lines.push(
            "Accepting a lead makes you a member of its engagement; qualify it (Q) and convert it (c) when it is ready."
                .into(),
        );
    }
    lines.extend(skipped);
    let intents = ready
        .iter()
        .map(|r| {
            msg::Intent::Referrals(if is_lead(r) {
                Intent::AcceptLead { id: r.id.clone() }
            } else {
                Intent::Accept {
                    id: r.id.clone(),
                    client_token: model.shell.client_token(),
                }
            })
        })
        .collect();
    let title = match (ready.len(), ready.iter().all(is_lead)) {
        (1, true) => "Accept this lead?".to_string(),
        (1, false) => "Accept this referral?".to_string(),
        (n, true) => format!("Accept {n} leads?"),
        (n, false) => format!("Accept {n} referrals?"),
    };
    model.popup = Some(Popup::Confirm(Confirm {
        title,
        lines,
        intents,
    }));
}

fn open_reject_form(model: &mut Model, ready: &[Referral], skipped: Option<String>) {
    let ids: Vec<String> = ready.iter().map(|r| r.id.clone()).collect();
    let duplicate = ready.iter().any(|r| r.duplicate_of.is_some());
    let (reason, details) = model
        .referrals
        .last_reject_reason
        .clone()
        .unwrap_or_else(|| {
            let reason = if duplicate {
                RejectionReason::DuplicateOfPartnerReferral
            } else {
                RejectionReason::CustomerProblemUnclear
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
        vec![
            (
                RejectField::Reason,
                Field::choice(
                    "Reason",
                    plain_options(RejectionReason::VALUES),
                    &reason,
                    "type to find, or ←/→: the reason AWS sees",
                ),
            ),
            (
                RejectField::Details,
                Field::text(
                    "Details",
                    &details,
                    Some(details_budget(&reason)),
                    "optional; the counter is what the reason leaves of AWS's 80 characters",
                ),
            ),
        ],
    );
    form.body.banner = skipped;
    model.form = Some(model::OpenForm::Referrals(OpenForm::Reject { ids, form }));
}

/// What the details may still take once the chosen reason and its ": " are counted: AWS takes
/// 80 characters for both together.
fn details_budget(reason: &str) -> usize {
    REJECTION_LIMIT.saturating_sub(reason.chars().count() + 2)
}

/// After each change to the reject form, the details' counter shows the room the chosen reason
/// leaves, so it turns red exactly when AWS would refuse.
pub fn after_input(form: &mut OpenForm) {
    let OpenForm::Reject { form, .. } = form else {
        return;
    };
    let budget = details_budget(&form.value(RejectField::Reason));
    form.field_mut(RejectField::Details).set_max_chars(budget);
}

/// Ctrl-s on the reject form: check the length, then confirm.
pub fn submit(model: &mut Model, form: OpenForm) -> Vec<Effect> {
    let (ids, mut form) = match form {
        OpenForm::Reject { ids, form } => (ids, form),
        OpenForm::Qualify {
            id,
            engagement,
            form,
        } => {
            let status = Qualification::ALL
                .into_iter()
                .find(|q| q.as_str() == form.value(QualifyField::Status))
                .unwrap_or(Qualification::Qualified);
            model.form = None;
            return crate::app::shared::send(
                model,
                msg::Intent::Referrals(Intent::Qualify {
                    id,
                    engagement,
                    status,
                }),
            );
        }
    };
    let reason = form.value(RejectField::Reason);
    let details = form.value(RejectField::Details);
    let text = rejection_text(&reason, &details);
    let length = text.chars().count();
    if length > REJECTION_LIMIT {
        form.set_error(
            RejectField::Details,
            format!("reason and details make {length} characters; AWS takes {REJECTION_LIMIT}"),
        );
        model.form = Some(model::OpenForm::Referrals(OpenForm::Reject { ids, form }));
        return Vec::new();
    }
    model.referrals.last_reject_reason = Some((reason, details));
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
        .map(|id| {
            msg::Intent::Referrals(Intent::Reject {
                id: id.clone(),
                reason: Some(text.clone()),
            })
        })
        .collect();
    model.popup = Some(Popup::Confirm(Confirm {
        title: "Reject?".into(),
        lines,
        intents,
    }));
    Vec::new()
}

fn open_created_opportunity(model: &mut Model) {
    // The selected referral's opportunity, or else the one the latest acceptance created (it may
    // have left a pending-only view along with its referral).
    let selected = model.referrals.table.selected_row();
    let target = selected
        .and_then(|r| model.referrals.accepted.get(&r.id).cloned())
        .or_else(|| model.referrals.last_accepted.clone());
    let Some(opportunity) = target else {
        let text = match selected {
            Some(r) => format!(
                "{} has no opportunity from cosell yet: accept it first (a).",
                r.id
            ),
            None => "No referral has been accepted in this session yet.".to_string(),
        };
        model.shell.toast(Level::Error, text);
        return;
    };
    if !reveal(model, &opportunity) {
        model.shell.toast(
            Level::Info,
            format!("{opportunity} is still loading; it is selected as soon as it arrives."),
        );
        model.opportunities.reveal_when_listed = Some(opportunity);
        model.opportunities.reveal_moves_tab = true;
    }
}
