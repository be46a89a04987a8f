//! What comes back for the Benefits tab: a finished change closes its form and is reported,
//! and the lists are read again (an approval adds an allocation). A refused one keeps the
//! form and its text, puts the service's words on the fields it names, and, when the record
//! changed meanwhile, takes the latest revision so ctrl-s applies the same edit to it.

use super::types::{ApplyField, EditField, Intent, OpenForm};
use crate::app::core::shell::{Level, Loadable};
use crate::app::model::{self, Model};
use crate::app::msg::{DetailKey, Effect, ListId, MutationError, Outcome};
use crate::app::shared;
use cosell_core::partner::types::BenefitApplication;

fn done_text(intent: &Intent, outcome: &Outcome) -> String {
    match intent {
        Intent::Apply { application, .. } => {
            let id = match outcome {
                Outcome::Created(id) => id.as_str(),
                Outcome::Updated(_)
                | Outcome::Conflict(_)
                | Outcome::Done
                | Outcome::TaskStarted(_) => "",
            };
            format!(
                "{id} created for {} (a draft: S on the Benefits tab submits it)",
                application.opportunity
            )
        }
        Intent::Submit { id } => {
            format!("Submitted {id}: AWS reviews it now (R shows the outcome)")
        }
        Intent::Update { id, .. } => format!("Saved {id}"),
        Intent::Amend { id, amount, .. } => format!("Amended {id}: {amount} USD asked"),
        Intent::Recall { id, .. } => format!("Recalled {id}: a draft again"),
        Intent::Cancel { id, .. } => format!("Canceled {id}"),
    }
}

/// Whether the open form is the one `intent` came from.
fn is_its_form(model: &Model, intent: &Intent) -> bool {
    let Some(model::OpenForm::Benefits(form)) = &model.form else {
        return false;
    };
    match (form, intent) {
        (OpenForm::Apply { .. }, Intent::Apply { .. }) => true,
        (OpenForm::Edit { id, .. }, Intent::Update { id: i, .. })
        | (OpenForm::Amend { id, .. }, Intent::Amend { id: i, .. })
        | (OpenForm::Reason { id, .. }, Intent::Recall { id: i, .. })
        | (OpenForm::Reason { id, .. }, Intent::Cancel { id: i, .. }) => id == i,
        (
            OpenForm::Apply { .. }
            | OpenForm::Edit { .. }
            | OpenForm::Amend { .. }
            | OpenForm::Reason { .. },
            _,
        ) => false,
    }
}

pub fn on_mutated(
    model: &mut Model,
    intent: Intent,
    result: Result<Outcome, MutationError>,
) -> Vec<Effect> {
    model.shell.pending.remove(intent.target());
    let its_form = is_its_form(model, &intent);
    match result {
        Ok(outcome) => {
            if its_form {
                model.form = None;
            }
            model.shell.toast(Level::Info, done_text(&intent, &outcome));
            model.benefits.application_details.clear();
            model.opportunities.funding.clear();
            let mut effects = vec![
                shared::start_load(model, ListId::Applications),
                shared::start_load(model, ListId::Allocations),
            ];
            effects.extend(shared::ensure_details(model));
            effects
        }
        Err(error) => {
            let stale = error.conflict;
            let mut effects = Vec::new();
            if its_form && let Some(model::OpenForm::Benefits(form)) = &mut model.form {
                form.body_mut().submitting = false;
                let banner = if stale {
                    format!(
                        "{} — the latest revision is being read; ctrl-s then applies your edit to it.",
                        error.message
                    )
                } else {
                    error.message.clone()
                };
                form.body_mut().banner = Some(banner);
                mark_fields(form, &error.fields);
                if stale {
                    // The form's revision goes; the latest read fills it in (on_detail).
                    match form {
                        OpenForm::Edit { revision, .. } | OpenForm::Amend { revision, .. } => {
                            revision.clear()
                        }
                        OpenForm::Apply { .. } | OpenForm::Reason { .. } => {}
                    }
                }
            }
            if stale && !intent.target().is_empty() {
                effects.push(shared::fetch(
                    model,
                    DetailKey::Application(intent.target().to_string()),
                ));
            }
            model.shell.toast(Level::Error, error.message);
            effects
        }
    }
}

/// The service's words on the fields whose API members it named.
fn mark_fields(form: &mut OpenForm, fields: &[(String, String)]) {
    for (member, message) in fields {
        match form {
            OpenForm::Apply { form, .. } => {
                if let Some(key) = ApplyField::ALL
                    .into_iter()
                    .find(|f| member.starts_with(f.api_member()))
                {
                    form.set_error(key, message.clone());
                }
            }
            OpenForm::Edit { form, .. } => {
                if let Some(key) = EditField::ALL
                    .into_iter()
                    .find(|f| member.starts_with(f.api_member()))
                {
                    form.set_error(key, message.clone());
                }
            }
            OpenForm::Amend { .. } | OpenForm::Reason { .. } => {}
        }
    }
}

/// An application read whole arrived: an open edit or amend form of it with no revision yet
/// takes this one (the revision the user is now editing); an edit form not typed into yet is
/// filled again from it (the list row it opened with has no description).
pub fn on_detail(model: &mut Model, application: &BenefitApplication) {
    let Some(model::OpenForm::Benefits(form)) = &mut model.form else {
        return;
    };
    if let OpenForm::Edit { id, revision, .. } = form
        && *id == application.id
        && revision.is_empty()
        && !form.body().dirty
    {
        let banner = form.body().banner.clone();
        *form = super::forms::edit_form(application, banner);
        return;
    }
    match form {
        OpenForm::Edit { id, revision, .. } | OpenForm::Amend { id, revision, .. }
            if *id == application.id && revision.is_empty() =>
        {
            *revision = application.revision.clone().unwrap_or_default();
        }
        OpenForm::Edit { .. }
        | OpenForm::Amend { .. }
        | OpenForm::Apply { .. }
        | OpenForm::Reason { .. } => {}
    }
}

/// Whether the detail of this application has been read whole.
pub fn is_read(model: &Model, id: &str) -> bool {
    matches!(
        model.benefits.application_details.get(id),
        Some(Loadable::Ready(_))
    )
}
