//! What comes back for the Opportunities tab: finished changes, followed submissions, full
//! records, pages. Also what other features may ask of it (show a record, read it again).

use cosell_core::partner::rules::{self, DraftField, EditField};
use cosell_core::partner::types::*;

use super::picks;
use super::types::{AssignField, Conflict, Intent, OpenForm};
use crate::app::core::keymap::Tab;
use crate::app::core::shell::{Level, Loadable};
use crate::app::model::{self, Model, Popup};
use crate::app::msg::{Effect, MutationError, Outcome, TaskKind};
use crate::app::shared;

/// Puts a full opportunity in the detail cache and its summary in the table.
pub fn store_opportunity(model: &mut Model, opportunity: Opportunity) {
    note_full_record(model, &opportunity);
    model
        .opportunities
        .details
        .insert(opportunity.summary.id.clone(), Loadable::Ready(opportunity));
}

/// A full read is the freshest view of the row too: title and owner join the list, the
/// customer joins the pipeline index, and a link picker waiting for it is ticked.
pub fn note_full_record(model: &mut Model, opportunity: &Opportunity) {
    rules::note_pipeline_customer(&mut model.opportunities.pipeline, &opportunity.summary);
    let row = opportunity.enriched_summary();
    model.opportunities.learn_title(&row);
    model.opportunities.table.upsert(row);
    picks::on_full_record(model, opportunity);
}

/// Rebuilds the pipeline index from the whole list (after a full load).
pub fn rebuild_pipeline(model: &mut Model) {
    model.opportunities.pipeline = rules::pipeline_customers(&model.opportunities.table.rows);
}

/// Whether the open form is the one `intent` was sent from.
fn owns_form(model: &Model, intent: &Intent) -> bool {
    matches!(&model.form, Some(model::OpenForm::Opportunities(form)) if form.answers(intent))
}

/// A change sent from this tab finished.
pub fn on_mutated(
    model: &mut Model,
    intent: Intent,
    result: Result<Outcome, MutationError>,
) -> Vec<Effect> {
    let target = intent.target().to_string();
    let owns_form = owns_form(model, &intent);
    if !matches!(result, Ok(Outcome::TaskStarted(_))) {
        model.shell.pending.remove(&target);
    }
    if owns_form && result.is_ok() && !matches!(result, Ok(Outcome::TaskStarted(_))) {
        model.form = None;
    }
    match result {
        Ok(Outcome::Updated(opportunity)) => {
            let text = match &intent {
                Intent::Update { edit, .. } => format!("{target}: {}", edit.describe()),
                _ => format!("{target} updated"),
            };
            store_opportunity(model, *opportunity);
            model.shell.toast(Level::Info, text);
            Vec::new()
        }
        Ok(Outcome::Conflict(latest)) => {
            store_opportunity(model, (*latest).clone());
            if let Intent::Update { id, edit, .. } = intent {
                model.popup = Some(Popup::Conflict(Conflict { id, edit, latest }));
            }
            Vec::new()
        }
        Ok(Outcome::Created(id)) => {
            model.shell.toast(Level::Info, format!("Created {id}"));
            vec![shared::refetch_opportunity(model, &id)]
        }
        Ok(Outcome::Done) => {
            model.shell.toast(Level::Info, done_text(&intent));
            vec![shared::refetch_opportunity(model, &target)]
        }
        Ok(Outcome::TaskStarted(task)) => {
            model
                .shell
                .toast(Level::Info, format!("Submitting {target} to AWS…"));
            model
                .shell
                .pending
                .insert(target.clone(), "submitting to AWS".into());
            on_task(model, target, Ok(task))
        }
        Err(error) => {
            if owns_form {
                show_refusal(model, &error);
            }
            model.shell.toast(Level::Error, error.message);
            Vec::new()
        }
    }
}

fn done_text(intent: &Intent) -> String {
    match intent {
        Intent::Assign { id, assignee } => format!("{id} assigned to {}", assignee.name()),
        Intent::Link {
            id,
            solution,
            linked: true,
        } => format!("{solution} linked to {id}"),
        Intent::Link {
            id,
            solution,
            linked: false,
        } => format!("{solution} unlinked from {id}"),
        Intent::Update { id, .. } | Intent::Submit { id, .. } => format!("{id} done"),
        Intent::Create { .. } => "Created".into(),
    }
}

/// A refused submit: the form stays, with the service's message above it and each field it
/// named marked.
fn show_refusal(model: &mut Model, error: &MutationError) {
    let Some(model::OpenForm::Opportunities(form)) = &mut model.form else {
        return;
    };
    form.body_mut().submitting = false;
    form.body_mut().banner = Some(error.message.clone());
    for (path, message) in &error.fields {
        match form {
            OpenForm::Create(form) => {
                if let Some(field) = DraftField::for_path(path) {
                    form.set_error(field, message.clone());
                }
            }
            OpenForm::Edit { form, .. } => {
                let key = if form.has(EditField::NextSteps) {
                    EditField::NextSteps
                } else {
                    EditField::TargetCloseDate
                };
                form.set_error(key, message.clone());
            }
            OpenForm::Assign { form, .. } => form.set_error(AssignField::Email, message.clone()),
        }
    }
}

/// News about a submission task.
pub fn on_task(
    model: &mut Model,
    target: String,
    result: Result<TaskState, String>,
) -> Vec<Effect> {
    match result {
        Ok(task) => match shared::follow(model, TaskKind::Submission, &target, &task) {
            Some(poll) => vec![poll],
            None => {
                model.shell.pending.remove(&target);
                let (level, text) = if task.status == TaskStatus::Complete {
                    let text = match &task.engagement_id {
                        Some(engagement) => {
                            format!("{target} submitted to AWS (engagement {engagement})")
                        }
                        None => format!("{target}: task complete"),
                    };
                    (Level::Info, text)
                } else {
                    let why = task
                        .message
                        .clone()
                        .or(task.reason.clone())
                        .unwrap_or_else(|| "no reason given".into());
                    (Level::Error, format!("{target}: the task failed: {why}"))
                };
                model.shell.toast(level, text);
                vec![shared::refetch_opportunity(model, &target)]
            }
        },
        Err(error) => {
            model.shell.pending.remove(&target);
            model.shell.toast(
                Level::Error,
                format!(
                    "Could not follow the task for {target}: {error}. Press R to see its state."
                ),
            );
            Vec::new()
        }
    }
}

/// Shows opportunity `id` on its tab, clearing filters that hide it; false when it is not
/// loaded yet.
pub fn reveal(model: &mut Model, id: &str) -> bool {
    model.tab = Tab::Opportunities;
    let rows = model.table_rows();
    let table = &mut model.opportunities.table;
    let shown = |t: &crate::app::core::table::Table<OpportunitySummary>| {
        t.visible.iter().position(|&i| t.rows[i].id == id)
    };
    if shown(table).is_none() {
        table.set_filter(String::new());
        table.set_quick(Vec::new());
    }
    match shown(table) {
        Some(position) => {
            table.selected = position;
            table.scroll_into_view(rows);
            true
        }
        None => false,
    }
}
