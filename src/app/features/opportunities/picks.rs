//! What choosing in one of the Opportunities tab's pickers does, and the conflict offer.

use cosell_core::partner::rules::{self, EditField};
use cosell_core::partner::types::*;

use super::actions::link_footer;
use super::types::{Conflict, Intent, Pick};
use crate::app::core::popup::{Choice, Confirm, Picker};
use crate::app::core::shell::Level;
use crate::app::model::{Model, PickFor, Popup};
use crate::app::msg::{self, Effect};
use crate::app::shared;

fn send(model: &mut Model, intent: Intent) -> Vec<Effect> {
    shared::send(model, msg::Intent::Opportunities(intent))
}

fn reopen(model: &mut Model, pick: Pick) {
    model.popup = Some(Popup::Pick(PickFor::Opportunities(pick)));
}

fn based_on(model: &Model, id: &str) -> Option<Millis> {
    model.opportunities.row(id).and_then(|o| o.last_modified)
}

/// Enter in one of the tab's pickers.
pub fn chose(model: &mut Model, pick: Pick) -> Vec<Effect> {
    match pick {
        Pick::Stage { id, picker } => {
            let Some(stage) = picker.current().map(|c| c.value.clone()) else {
                return Vec::new();
            };
            chose_stage(model, id, stage)
        }
        Pick::ClosedLostReason { id, picker } => {
            let (Some(reason), Some(based_on)) = (
                picker.current().map(|c| c.value.clone()),
                based_on(model, &id),
            ) else {
                return Vec::new();
            };
            let customer = model
                .opportunities
                .row(&id)
                .map(|o| o.customer.clone())
                .unwrap_or_default();
            let edit = OpportunityEdit::Stage {
                stage: Stage::ClosedLost,
                closed_lost_reason: Some(reason.clone()),
            };
            // Closing a deal as lost ends its co-selling: asked once more, with the reason.
            model.popup = Some(Popup::Confirm(Confirm {
                title: format!("Close {id} as lost?"),
                lines: vec![
                    format!("{id} {customer} moves to Closed Lost: \"{reason}\"."),
                    "It leaves the open pipeline, and AWS stops co-selling it.".into(),
                ],
                intents: vec![msg::Intent::Opportunities(Intent::Update {
                    id,
                    based_on,
                    edit,
                })],
            }));
            Vec::new()
        }
        Pick::Links { id, kind, picker } => apply_links(model, id, kind, picker),
        Pick::Involvement { id, picker } => {
            let Some(involvement) = picker.current().map(|c| c.value.clone()) else {
                return Vec::new();
            };
            let choices = vec![
                Choice::new(Visibility::Full.as_str(), Visibility::Full)
                    .noted("AWS sees every detail"),
                Choice::new(Visibility::Limited.as_str(), Visibility::Limited)
                    .noted("AWS sees a summary"),
            ];
            let picker = Picker::single(format!("Submit {id} to AWS: visibility"), choices);
            reopen(
                model,
                Pick::Visibility {
                    id,
                    involvement,
                    picker,
                },
            );
            Vec::new()
        }
        Pick::Visibility {
            id,
            involvement,
            picker,
        } => {
            if let Some(visibility) = picker.current().map(|c| c.value.clone()) {
                confirm_submission(model, id, involvement, visibility);
            }
            Vec::new()
        }
        Pick::Share { id, picker } => {
            let Some(choice) = picker.current() else {
                return Vec::new();
            };
            let (partner, partner_name) = (choice.value.clone(), choice.label.clone());
            let customer = model
                .opportunities
                .row(&id)
                .map(|o| o.customer.clone())
                .unwrap_or_default();
            model.popup = Some(Popup::Confirm(Confirm {
                title: format!("Invite {partner_name} to co-sell {id}?"),
                lines: vec![
                    format!(
                        "{partner_name} receives an invitation to {id} {customer}'s engagement, with its customer and project."
                    ),
                    "Once they accept, they are a member of the engagement and see it in full."
                        .into(),
                ],
                intents: vec![msg::Intent::Opportunities(Intent::Share {
                    client_token: format!("cosell-share-{id}-{partner}"),
                    id,
                    partner,
                    partner_name,
                })],
            }));
            Vec::new()
        }
    }
}

/// `:stage NAME` on the selected opportunity: the same path as choosing in the picker, locks
/// and the Closed Lost reason included.
pub fn stage_of_selection(model: &mut Model, stage: Stage) -> Vec<Effect> {
    if model.shell.refuse_changes("changing opportunities") {
        return Vec::new();
    }
    let Some(row) = model.opportunities.table.selected_row().cloned() else {
        model.shell.toast(Level::Error, "No opportunity selected.");
        return Vec::new();
    };
    if let Some(busy) = model.shell.busy(&row.id) {
        model.shell.toast(Level::Error, busy);
        return Vec::new();
    }
    if let Some(reason) = rules::lock_reason(&row, EditField::Stage) {
        model.shell.toast(Level::Error, reason);
        return Vec::new();
    }
    chose_stage(model, row.id, stage)
}

fn chose_stage(model: &mut Model, id: String, stage: Stage) -> Vec<Effect> {
    let current = model.opportunities.row(&id).and_then(|o| o.stage.clone());
    if current.as_ref() == Some(&stage) {
        return Vec::new();
    }
    if stage == Stage::ClosedLost {
        let choices = ClosedLostReason::ALL
            .iter()
            .map(|r| Choice::new(r.as_str(), r.clone()))
            .collect();
        let picker = Picker::single(format!("Why was {id} lost?"), choices);
        reopen(model, Pick::ClosedLostReason { id, picker });
        return Vec::new();
    }
    let Some(based_on) = based_on(model, &id) else {
        return Vec::new();
    };
    let edit = OpportunityEdit::Stage {
        stage,
        closed_lost_reason: None,
    };
    send(model, Intent::Update { id, based_on, edit })
}

fn apply_links(
    model: &mut Model,
    id: String,
    kind: LinkKind,
    picker: Picker<String>,
) -> Vec<Effect> {
    if picker.loading {
        model.shell.toast(
            Level::Error,
            "The current links are still loading; try again in a moment.",
        );
        reopen(model, Pick::Links { id, kind, picker });
        return Vec::new();
    }
    let linked: Vec<String> = model
        .opportunities
        .full(&id)
        .map(|o| linked_of(o, kind).to_vec())
        .unwrap_or_default();
    let ticks: Vec<(String, bool)> = match &picker.checked {
        Some(checked) => picker
            .choices
            .iter()
            .zip(checked)
            .map(|(c, tick)| (c.value.clone(), *tick))
            .collect(),
        None => Vec::new(),
    };
    let mut effects = Vec::new();
    for (entity, tick) in ticks {
        if tick != linked.contains(&entity) {
            effects.extend(send(
                model,
                Intent::Link {
                    id: id.clone(),
                    kind,
                    entity,
                    linked: tick,
                },
            ));
        }
    }
    if effects.is_empty() {
        model
            .shell
            .toast(Level::Info, format!("{id}: links unchanged"));
    }
    effects
}

fn confirm_submission(
    model: &mut Model,
    id: String,
    involvement: InvolvementType,
    visibility: Visibility,
) {
    let client_token = model.shell.client_token();
    let row = model.opportunities.row(&id);
    let customer = row.map(|o| o.customer.clone()).unwrap_or_default();
    let advice = row
        .and_then(|o| o.stage.as_ref())
        .and_then(Stage::submission_advice);
    let mut lines = vec![format!(
        "{id} {customer}: {involvement}, {visibility} visibility."
    )];
    lines.extend(advice.map(str::to_string));
    lines.push("AWS reviews it; it is read-only while Submitted and In review.".into());
    lines.push("A submission cannot be withdrawn.".into());
    model.popup = Some(Popup::Confirm(Confirm {
        title: format!("Submit {id} to AWS?"),
        lines,
        intents: vec![msg::Intent::Opportunities(Intent::Submit {
            id,
            involvement,
            visibility,
            client_token,
        })],
    }));
}

/// `r` on the conflict offer: the same edit, on the latest version, unless it is now locked.
pub fn reapply(model: &mut Model, conflict: Conflict) -> Vec<Effect> {
    let Conflict { id, edit, latest } = conflict;
    if let Some(reason) = rules::edit_lock(&latest.summary, &edit) {
        model
            .shell
            .toast(Level::Error, format!("Cannot re-apply: {reason}"));
        return Vec::new();
    }
    let based_on = latest.summary.last_modified.unwrap_or_default();
    send(model, Intent::Update { id, based_on, edit })
}

/// When the full record arrives while the link picker waits for it, tick what is linked.
/// The entities of `kind` a full record has linked.
pub fn linked_of(full: &Opportunity, kind: LinkKind) -> &[String] {
    match kind {
        LinkKind::Solution => &full.solutions,
        LinkKind::AwsProduct => &full.aws_products,
        LinkKind::MarketplaceOffer | LinkKind::MarketplaceOfferSet => &full.marketplace_entities,
    }
}

pub fn on_full_record(model: &mut Model, opportunity: &Opportunity) {
    let Some(Popup::Pick(PickFor::Opportunities(Pick::Links { id, kind, picker }))) =
        &mut model.popup
    else {
        return;
    };
    if *id != opportunity.summary.id || !picker.loading {
        return;
    }
    let linked = linked_of(opportunity, *kind);
    // Ticks made while the links were loading were toggles of "not linked": they stay toggles
    // of what the record turns out to have, so nothing typed meanwhile is lost.
    let toggled = picker.checked.clone().unwrap_or_default();
    picker.checked = Some(
        picker
            .choices
            .iter()
            .enumerate()
            .map(|(i, c)| linked.contains(&c.value) != toggled.get(i).copied().unwrap_or(false))
            .collect(),
    );
    picker.loading = false;
    picker.footer = link_footer(*kind);
}
