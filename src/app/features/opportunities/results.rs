//! What comes back for the Opportunities tab: finished changes, followed submissions, full
//! records, pages. Also what other features may ask of it (show a record, read it again).

use cosell_core::partner::rules::{self, DraftField, EditField};
use cosell_core::partner::types::*;

use super::types::{AssignField, Conflict, Intent, OpenForm};
use super::{columns, picks};
use crate::app::core::column::Facet;
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
///
/// AWS's view of a record is read again whenever the record itself changed (its
/// LastModifiedDate moved: a submission, an edit, AWS's review), so the detail never shows the
/// view of an older version; otherwise the view read once is kept until R.
pub fn note_full_record(model: &mut Model, opportunity: &Opportunity) {
    rules::note_pipeline_customer(&mut model.opportunities.pipeline, &opportunity.summary);
    let id = &opportunity.summary.id;
    let before = model.opportunities.row(id).and_then(|r| r.last_modified);
    if before.is_some_and(|b| Some(b) != opportunity.summary.last_modified) {
        model.opportunities.aws_views.remove(id);
    }
    let mut row = opportunity.enriched_summary();
    model.opportunities.learn_title(&row);
    super::state::compact(&mut row);
    model.opportunities.table.upsert(row);
    reveal_if_awaited(model);
    picks::on_full_record(model, opportunity);
    let waiting = match &model.opportunities.form_when_read {
        Some((waiting_id, which)) if waiting_id == id && model.form.is_none() => Some(*which),
        Some(_) | None => None,
    };
    if let Some(which) = waiting {
        model.opportunities.form_when_read = None;
        model
            .shell
            .withdraw_toast(&super::actions::reading_first(id));
        if let Some(based_on) = opportunity.summary.last_modified {
            let form = super::forms::read_first_form(which, opportunity, based_on);
            model.form = Some(model::OpenForm::Opportunities(form));
        }
    }
}

/// Against a local Partner Central, how many rows from the top of the list get their titles at
/// once (beyond the ones on screen): every row of an ordinary pipeline, without reading a
/// hundred thousand full records into a huge sandbox's session.
pub const EAGER_TITLES: usize = 5_000;

/// Asks for the titles the Opportunities list lacks (ListOpportunities has none): the rows on
/// screen, and against a local Partner Central the first `EAGER_TITLES` rows too; against AWS
/// only the rows on screen, so the reads stay within the quota and go where the user looks.
pub fn request_titles(model: &mut Model) -> Vec<Effect> {
    let ahead = if model.shell.context.is_local() {
        EAGER_TITLES
    } else {
        0
    };
    let ids = model.opportunities.titles_wanted(ahead, model.table_rows());
    if ids.is_empty() || model.shell.offline {
        return Vec::new();
    }
    model.opportunities.titles_asked.extend(ids.iter().cloned());
    vec![Effect::ReadTitles { ids }]
}

/// Titles and owners arrived from full records.
pub fn on_titles(model: &mut Model, titles: Vec<(String, Option<String>, Option<String>)>) {
    for (id, title, owner) in titles {
        model.opportunities.note_title(&id, title, owner);
    }
}

/// The "Action Required" attention filter answers AWS's oldest requests first.
pub fn after_quick_filters(model: &mut Model) {
    let table = &mut model.opportunities.table;
    let answering = table
        .quick
        .iter()
        .any(|(f, v)| *f == Facet::Attention && v == columns::ACTION_REQUIRED);
    if answering {
        table.sort_by(columns::OpportunityColumn::Modified, false);
        let rows = model.table_rows();
        model.opportunities.table.scroll_into_view(rows);
    }
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
            let was = model
                .opportunities
                .row(&target)
                .and_then(|r| r.review_status.clone());
            let now = opportunity.summary.review_status.clone();
            let mut text = match &intent {
                Intent::Update { edit, .. } => format!("{target}: {}", edit.describe()),
                _ => format!("{target} updated"),
            };
            if was == Some(ReviewStatus::ActionRequired) && now != was {
                text.push_str(&format!(
                    "; it went back to AWS review ({}) and is locked until AWS answers",
                    now.as_ref().map_or("In review", ReviewStatus::as_str)
                ));
            }
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
            model
                .shell
                .toast(Level::Info, format!("Created {id} and selected it."));
            model.opportunities.reveal_when_listed = Some(id.clone());
            model.opportunities.reveal_moves_tab = model.tab == Tab::Opportunities;
            vec![shared::refetch_opportunity(model, &id)]
        }
        Ok(Outcome::Done) => {
            model.shell.toast(Level::Info, done_text(&intent));
            let mut effects = vec![shared::refetch_opportunity(model, &target)];
            if matches!(intent, Intent::Share { .. }) {
                // The engagement now lists the invitation.
                effects.push(shared::fetch(
                    model,
                    crate::app::msg::DetailKey::Engagement(target.clone()),
                ));
            }
            effects
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
            entity,
            linked: true,
            ..
        } => format!("{entity} linked to {id}"),
        Intent::Link {
            id,
            entity,
            linked: false,
            ..
        } => format!("{entity} unlinked from {id}"),
        Intent::Update { id, .. } | Intent::Submit { id, .. } => format!("{id} done"),
        Intent::Share {
            id, partner_name, ..
        } => format!("{id} shared with {partner_name}: the invitation waits for their answer"),
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
                let field = DraftField::for_path(path)
                    .map(super::types::CreateField::Draft)
                    .or_else(|| {
                        super::full_edit::FullField::for_path(path)
                            .filter(|f| super::full_edit::FullField::CREATE_MORE.contains(f))
                            .map(super::types::CreateField::More)
                    });
                if let Some(field) = field {
                    form.set_error(field, message.clone());
                }
            }
            OpenForm::Edit { form, .. } => {
                let key = match path.as_str() {
                    "Customer.Account.WebsiteUrl" => EditField::Website,
                    "Project.CustomerBusinessProblem" => EditField::BusinessProblem,
                    _ => form.focused(),
                };
                if form.has(key) {
                    form.set_error(key, message.clone());
                }
            }
            OpenForm::Assign { form, .. } => form.set_error(AssignField::Email, message.clone()),
            OpenForm::Marketplace { form, .. } => {
                form.set_error(super::types::MarketplaceField::Entity, message.clone())
            }
            OpenForm::Full { form, .. } => {
                if let Some(key) = super::full_edit::FullField::for_path(path) {
                    form.set_error(key, message.clone());
                }
            }
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
/// Selects a record cosell is waiting to show (one just created, or the opportunity an accepted
/// referral became) once it is in the list.
pub fn reveal_if_awaited(model: &mut Model) {
    if let Some(id) = model.opportunities.reveal_when_listed.clone()
        && model.opportunities.row(&id).is_some()
    {
        let tab = model.tab;
        if reveal(model, &id) {
            model.opportunities.reveal_when_listed = None;
        }
        // Only a record the user asked to see moves them to its tab.
        if model.opportunities.reveal_moves_tab {
            model.opportunities.reveal_moves_tab = false;
        } else {
            model.tab = tab;
        }
    }
}

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
