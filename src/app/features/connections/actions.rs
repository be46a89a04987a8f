//! The Connections tab's keys: invite, accept, reject, cancel an invitation, end a connection.
//! Each is checked against the invitation's direction and state before anything opens.

use cosell_core::partner::types::*;

use super::forms;
use super::state::Pane;
use super::types::Intent;
use crate::app::core::keymap::Action;
use crate::app::core::popup::Confirm;
use crate::app::core::shell::Level;
use crate::app::model::{self, Model, Popup};
use crate::app::msg::{self, Effect};

pub fn start(model: &mut Model, action: Action) -> Vec<Effect> {
    if model.shell.refuse_changes("changing connections") {
        return Vec::new();
    }
    match action {
        Action::InvitePartner => {
            let partner = match &model.profile.partner {
                Some(crate::app::core::shell::Loadable::Ready(p)) => Some(p.clone()),
                _ => None,
            };
            model.form = Some(model::OpenForm::Connections(forms::invite_form(
                partner.as_ref(),
            )));
        }
        Action::AcceptConnection | Action::RejectConnection | Action::CancelInvitation => {
            answer_invitation(model, action)
        }
        Action::CancelConnection => end_connection(model),
        _ => {}
    }
    Vec::new()
}

/// Why `action` does not apply to this invitation, if it does not.
fn refusal(invitation: &ConnectionInvitation, action: Action) -> Option<String> {
    let received = invitation.direction == ParticipantType::Receiver;
    if invitation.status != ConnectionInvitationStatus::Pending {
        Some(format!(
            "{} is {} and no longer pending.",
            invitation.id,
            invitation.status.as_str().to_lowercase()
        ))
    } else if action == Action::CancelInvitation && received {
        Some(format!(
            "{} was sent to you: accept (a) or reject (x) it instead.",
            invitation.id
        ))
    } else if action != Action::CancelInvitation && !received {
        Some(format!(
            "{} is one you sent: only its receiver can answer it; c cancels it.",
            invitation.id
        ))
    } else {
        None
    }
}

fn answer_invitation(model: &mut Model, action: Action) {
    if model.connections.pane != Pane::Invitations {
        model.shell.toast(
            Level::Error,
            "Invitations are in the lower list: press w to move there first.",
        );
        return;
    }
    let Some(invitation) = model.connections.invitations.selected_row().cloned() else {
        return;
    };
    if let Some(why) = refusal(&invitation, action) {
        model.shell.toast(Level::Error, why);
        return;
    }
    if action == Action::RejectConnection {
        model.form = Some(model::OpenForm::Connections(forms::reject_form(
            &invitation.id,
        )));
        return;
    }
    let client_token = model.shell.client_token();
    let (title, lines, answer) = if action == Action::AcceptConnection {
        (
            "Accept this invitation?",
            vec![
                format!(
                    "{} from {}: {}.",
                    invitation.id,
                    invitation.other,
                    invitation.connection_type.words()
                ),
                "You become connected partners and can share opportunities.".to_string(),
            ],
            ConnectionAnswer::Accept,
        )
    } else {
        (
            "Cancel this invitation?",
            vec![format!(
                "{} to {} will be withdrawn.",
                invitation.id, invitation.other
            )],
            ConnectionAnswer::Cancel,
        )
    };
    model.popup = Some(Popup::Confirm(Confirm {
        title: title.into(),
        lines,
        intents: vec![msg::Intent::Connections(Intent::Answer {
            id: invitation.id,
            answer,
            client_token,
        })],
    }));
}

fn end_connection(model: &mut Model) {
    if model.connections.pane != Pane::Connections {
        model.shell.toast(
            Level::Error,
            "Connections are in the upper list: press w to move there first.",
        );
        return;
    }
    let Some(connection) = model.connections.connections.selected_row().cloned() else {
        return;
    };
    let Some(first) = connection
        .types
        .iter()
        .find(|t| t.status == ConnectionTypeStatus::Active)
        .map(|t| t.connection_type.clone())
    else {
        model.shell.toast(
            Level::Error,
            format!("{} has no active connection type to end.", connection.id),
        );
        return;
    };
    model.form = Some(model::OpenForm::Connections(forms::end_form(
        &connection,
        &first,
    )));
}
