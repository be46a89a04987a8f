//! What comes back for the Channel tab: a finished change closes its form and is reported,
//! and the three lists are read again (an accepted handshake changes an account or a
//! relationship). A refused one keeps the form and its text.

use cosell_core::partner::HandshakeAnswer;

use super::types::{HandshakeField, Intent, OpenForm, RelationshipField};
use crate::app::core::shell::Level;
use crate::app::model::{self, Model};
use crate::app::msg::{Effect, ListId, MutationError, Outcome};
use crate::app::shared;

fn done_text(intent: &Intent, outcome: &Outcome) -> String {
    let created = match outcome {
        Outcome::Created(id) => id.as_str(),
        Outcome::Updated(_) | Outcome::Conflict(_) | Outcome::Done | Outcome::TaskStarted(_) => "",
    };
    match intent {
        Intent::CreateRelationship { relationship, .. } => {
            format!("Created relationship {created} with {}", relationship.name)
        }
        Intent::SendHandshake { .. } => format!("Sent handshake {created}"),
        Intent::Answer {
            id,
            answer: HandshakeAnswer::Accept,
        } => format!("Accepted {id}"),
        Intent::Answer {
            id,
            answer: HandshakeAnswer::Reject,
        } => format!("Rejected {id}"),
        Intent::Answer {
            id,
            answer: HandshakeAnswer::Cancel,
        } => format!("Canceled {id}"),
    }
}

pub fn on_mutated(
    model: &mut Model,
    intent: Intent,
    result: Result<Outcome, MutationError>,
) -> Vec<Effect> {
    model.shell.pending.remove(intent.target());
    let from_form = matches!(
        intent,
        Intent::CreateRelationship { .. } | Intent::SendHandshake { .. }
    );
    match result {
        Ok(outcome) => {
            if from_form && matches!(model.form, Some(model::OpenForm::Channel(_))) {
                model.form = None;
            }
            model.shell.toast(Level::Info, done_text(&intent, &outcome));
            vec![
                shared::start_load(model, ListId::ProgramAccounts),
                shared::start_load(model, ListId::Relationships),
                shared::start_load(model, ListId::Handshakes),
            ]
        }
        Err(error) => {
            if from_form && let Some(model::OpenForm::Channel(form)) = &mut model.form {
                form.body_mut().submitting = false;
                form.body_mut().banner = Some(error.message.clone());
                for (member, message) in &error.fields {
                    match form {
                        OpenForm::Relationship(form) => {
                            if let Some(key) = RelationshipField::ALL
                                .into_iter()
                                .find(|f| f.api_member() == member)
                            {
                                form.set_error(key, message.clone());
                            }
                        }
                        OpenForm::Handshake(form) => {
                            if let Some(key) = HandshakeField::ALL
                                .into_iter()
                                .find(|f| member.starts_with(f.api_member()))
                            {
                                form.set_error(key, message.clone());
                            }
                        }
                    }
                }
            }
            model.shell.toast(Level::Error, error.message);
            Vec::new()
        }
    }
}
