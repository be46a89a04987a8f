//! The Benefits tab's keys, and `B` on an opportunity: apply for a benefit, then edit, submit,
//! amend, recall or cancel the application. What the service is seen to refuse (submitting an
//! approved application, recalling one not in review) is said in the confirmation as a
//! warning; the service has the last word.

use cosell_core::partner::types::*;

use super::forms;
use super::state::Pane;
use super::types::{Ending, Intent, Pick};
use crate::app::core::keymap::Action;
use crate::app::core::popup::{Choice, Confirm, Picker};
use crate::app::core::shell::Level;
use crate::app::model::{self, Model, PickFor, Popup};
use crate::app::msg::{self, DetailKey, Effect};
use crate::app::shared;

pub fn start(model: &mut Model, action: Action) -> Vec<Effect> {
    if model.shell.refuse_changes("changing benefit applications") {
        return Vec::new();
    }
    match action {
        Action::ApplyForBenefit => apply(model),
        Action::SubmitApplication
        | Action::EditApplication
        | Action::AmendApplication
        | Action::RecallApplication
        | Action::CancelApplication => change(model, action),
        _ => Vec::new(),
    }
}

/// The statuses in which the service is seen to take each change.
fn expected_statuses(action: Action) -> &'static [&'static str] {
    match action {
        Action::SubmitApplication | Action::EditApplication => {
            &["PENDING_SUBMISSION", "ACTION_REQUIRED"]
        }
        Action::AmendApplication => &["IN_REVIEW", "ACTION_REQUIRED", "APPROVED"],
        Action::RecallApplication => &["IN_REVIEW"],
        Action::CancelApplication => &["PENDING_SUBMISSION", "IN_REVIEW", "ACTION_REQUIRED"],
        _ => &[],
    }
}

/// A warning when the application's status is not one the service is seen to take `action`
/// in; None when it is.
pub fn doubt(application: &BenefitApplication, action: Action) -> Option<String> {
    let expected = expected_statuses(action);
    (!expected.contains(&application.status.as_str())).then(|| {
        format!(
            "Warning: {} is {}; Partner Central is seen to take this only when {}, so it may refuse.",
            application.id,
            application.status,
            expected.join(" or ")
        )
    })
}

/// `n` on the Benefits tab or `B` on an opportunity.
fn apply(model: &mut Model) -> Vec<Effect> {
    let opportunity = if model.tab == crate::app::core::keymap::Tab::Opportunities {
        let Some(o) = model.opportunities.table.selected_row() else {
            model
                .shell
                .toast(Level::Error, "Select the opportunity the benefit is for.");
            return Vec::new();
        };
        Some(o.id.clone())
    } else {
        None
    };
    if opportunity.is_none()
        && model.benefits.pane == Pane::Benefits
        && let Some(benefit) = model.benefits.benefits.selected_row().cloned()
    {
        open_apply_form(model, &benefit, None);
        return Vec::new();
    }
    let mut active: Vec<&Benefit> = model
        .benefits
        .benefits
        .rows
        .iter()
        .filter(|b| b.status == "ACTIVE")
        .collect();
    active.sort_by(|a, b| a.name.cmp(&b.name));
    if active.is_empty() {
        let why = match (
            &model.benefits.unavailable,
            model.benefits.benefits.is_loading(),
        ) {
            (Some(why), _) => format!("Benefits are not available to this account: {why}"),
            (None, true) => "The benefits are still loading; try again in a moment.".into(),
            (None, false) => {
                "No active benefits to apply for (R on the Benefits tab reads them again).".into()
            }
        };
        model.shell.toast(Level::Error, why);
        return Vec::new();
    }
    let choices = active
        .iter()
        .map(|b| {
            Choice::new(b.name.clone(), b.id.clone()).noted(format!(
                "{} · {}",
                b.programs.join(", "),
                b.fulfillment.join(", ").to_lowercase()
            ))
        })
        .collect();
    let title = match &opportunity {
        Some(id) => format!("Apply for a benefit for {id}"),
        None => "Apply for a benefit".to_string(),
    };
    let mut picker = Picker::single(title, choices);
    picker.footer = "type to narrow (name, program) · enter opens the application".into();
    model.popup = Some(Popup::Pick(PickFor::Benefits(Pick::Benefit {
        opportunity: opportunity.unwrap_or_default(),
        picker,
    })));
    Vec::new()
}

fn open_apply_form(model: &mut Model, benefit: &Benefit, opportunity: Option<&str>) {
    let form = forms::apply_form(model, benefit, opportunity);
    model.form = Some(model::OpenForm::Benefits(form));
}

/// Enter in the benefit picker: the application form, prefilled.
pub fn chose(model: &mut Model, pick: Pick) -> Vec<Effect> {
    let Pick::Benefit {
        opportunity,
        picker,
    } = pick;
    let Some(id) = picker.current().map(|c| c.value.clone()) else {
        return Vec::new();
    };
    let Some(benefit) = model.benefits.benefits.get(&id).cloned() else {
        return Vec::new();
    };
    let opportunity = (!opportunity.is_empty()).then_some(opportunity);
    open_apply_form(model, &benefit, opportunity.as_deref());
    Vec::new()
}

/// The keys that change the selected application.
fn change(model: &mut Model, action: Action) -> Vec<Effect> {
    if model.benefits.pane != Pane::Applications {
        model.shell.toast(
            Level::Error,
            "Applications are their own list: press w until it shows Applications.",
        );
        return Vec::new();
    }
    let Some(selected) = model.benefits.applications.selected_row() else {
        model.shell.toast(Level::Error, "No application selected.");
        return Vec::new();
    };
    let id = selected.id.clone();
    if let Some(busy) = model.shell.busy(&id) {
        model.shell.toast(Level::Error, busy);
        return Vec::new();
    }
    let application = model
        .benefits
        .application(&id)
        .cloned()
        .unwrap_or_else(|| selected.clone());
    let warning = doubt(&application, action);
    let mut effects = Vec::new();
    // Edits and amendments name the revision the user read: read the record whole first if
    // the list row is all cosell has (the form takes the revision when it arrives).
    if matches!(action, Action::EditApplication | Action::AmendApplication)
        && application.revision.is_none()
    {
        effects.push(shared::fetch(model, DetailKey::Application(id.clone())));
    }
    match action {
        Action::SubmitApplication => {
            let mut lines = vec![
                format!(
                    "{} ({}) goes to AWS for review.",
                    application.name.as_deref().unwrap_or(&id),
                    id
                ),
                "While in review it cannot be edited; r recalls it to a draft.".to_string(),
            ];
            lines.extend(warning);
            model.popup = Some(Popup::Confirm(Confirm {
                title: "Submit this application?".into(),
                lines,
                intents: vec![msg::Intent::Benefits(Intent::Submit { id })],
            }));
        }
        Action::EditApplication => {
            let form = forms::edit_form(&application, warning);
            model.form = Some(model::OpenForm::Benefits(form));
        }
        Action::AmendApplication => {
            let form = forms::amend_form(&application, warning);
            model.form = Some(model::OpenForm::Benefits(form));
        }
        Action::RecallApplication => {
            let form = forms::reason_form(&application, Ending::Recall, warning);
            model.form = Some(model::OpenForm::Benefits(form));
        }
        Action::CancelApplication => {
            let form = forms::reason_form(&application, Ending::Cancel, warning);
            model.form = Some(model::OpenForm::Benefits(form));
        }
        _ => {}
    }
    effects
}
