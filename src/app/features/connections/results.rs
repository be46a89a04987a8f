//! What comes back for the Connections tab: a finished change is reported, and both lists are
//! read again (a change to one side shows on the other).

use cosell_core::partner::types::*;

use super::types::{Intent, InviteField, OpenForm};
use crate::app::core::shell::Level;
use crate::app::model::{self, Model};
use crate::app::msg::{Effect, ListId, MutationError, Outcome};
use crate::app::shared;

fn done_text(intent: &Intent) -> String {
    match intent {
        Intent::Invite { invite, .. } => format!("Invitation sent to {}", invite.receiver),
        Intent::Answer {
            id,
            answer: ConnectionAnswer::Accept,
            ..
        } => format!("Accepted {id}: you are connected"),
        Intent::Answer {
            id,
            answer: ConnectionAnswer::Reject { .. },
            ..
        } => format!("Rejected {id}"),
        Intent::Answer {
            id,
            answer: ConnectionAnswer::Cancel,
            ..
        } => format!("Canceled {id}"),
        Intent::End {
            id,
            connection_type,
            ..
        } => format!("Ended the {} connection {id}", connection_type.words()),
    }
}

pub fn on_mutated(
    model: &mut Model,
    intent: Intent,
    result: Result<Outcome, MutationError>,
) -> Vec<Effect> {
    model.shell.pending.remove(intent.target());
    fn invite_form(model: &mut Model) -> Option<&mut crate::app::core::form::Form<InviteField>> {
        match &mut model.form {
            Some(model::OpenForm::Connections(OpenForm::Invite(form))) => Some(form),
            _ => None,
        }
    }
    match result {
        Ok(_) => {
            if matches!(intent, Intent::Invite { .. }) && invite_form(model).is_some() {
                model.form = None;
            }
            model.shell.toast(Level::Info, done_text(&intent));
            model.connections.connection_details.clear();
            model.connections.invitation_details.clear();
            vec![
                shared::start_load(model, ListId::Connections),
                shared::start_load(model, ListId::Invitations),
            ]
        }
        Err(error) => {
            if matches!(intent, Intent::Invite { .. })
                && let Some(form) = invite_form(model)
            {
                form.body.submitting = false;
                form.body.banner = Some(error.message.clone());
                for (member, message) in &error.fields {
                    if let Some(key) = InviteField::ALL
                        .into_iter()
                        .find(|f| f.api_member() == member)
                    {
                        form.set_error(key, message.clone());
                    }
                }
            }
            model.shell.toast(Level::Error, error.message);
            Vec::new()
        }
    }
}
