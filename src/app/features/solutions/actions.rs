//! The Solutions tab's key: link the selected solution to an opportunity chosen by typing.

use cosell_core::partner::types::*;

use super::types::Pick;
use crate::app::core::keymap::Action;
use crate::app::core::popup::{Choice, Picker};
use crate::app::core::shell::Level;
use crate::app::features::opportunities::types as opportunities;
use crate::app::model::{Model, PickFor, Popup};
use crate::app::msg::{Effect, Intent};
use crate::app::shared;

pub fn start(model: &mut Model, action: Action) -> Vec<Effect> {
    if action == Action::LinkToOpportunity && !model.shell.refuse_changes("linking solutions") {
        link_to_opportunity(model);
    }
    Vec::new()
}

fn link_to_opportunity(model: &mut Model) {
    let Some(solution) = model.solutions.table.selected_row().cloned() else {
        return;
    };
    if solution.status != SolutionStatus::Active {
        model.shell.toast(
            Level::Error,
            format!(
                "{} is {}: only Active solutions can be linked.",
                solution.id, solution.status
            ),
        );
        return;
    }
    // Open opportunities, most recently touched first: the likely targets.
    let mut candidates: Vec<&OpportunitySummary> = model
        .opportunities
        .table
        .rows
        .iter()
        .filter(|o| o.is_open())
        .collect();
    candidates.sort_by_key(|o| std::cmp::Reverse(o.last_modified));
    if candidates.is_empty() {
        model
            .shell
            .toast(Level::Error, "No open opportunities are loaded to link to.");
        return;
    }
    let choices = candidates
        .iter()
        .map(|o| {
            Choice::new(format!("{} {}", o.id, o.customer), o.id.clone())
                .noted(o.stage.as_ref().map(Stage::to_string).unwrap_or_default())
        })
        .collect();
    let mut picker = Picker::single(
        format!("Link {} {} to…", solution.id, solution.name),
        choices,
    );
    picker.filterable = true;
    picker.footer = "type to narrow, ↑/↓ move, enter links".into();
    model.popup = Some(Popup::Pick(PickFor::Solutions(Pick::LinkOpportunity {
        solution: solution.id,
        picker,
    })));
}

/// Enter in the tab's picker: link the solution to the chosen opportunity.
pub fn chose(model: &mut Model, pick: Pick) -> Vec<Effect> {
    let Pick::LinkOpportunity { solution, picker } = pick;
    let Some(id) = picker.current().map(|c| c.value.clone()) else {
        return Vec::new();
    };
    shared::send(
        model,
        Intent::Opportunities(opportunities::Intent::Link {
            id,
            kind: cosell_core::partner::types::LinkKind::Solution,
            entity: solution,
            linked: true,
        }),
    )
}
