//! The Channel tab's keys: create a relationship, send a handshake, and answer one (accept or
//! reject those received, cancel those sent). The receiver and sender rules are the
//! service's documented ones, checked before anything opens.

use cosell_core::partner::HandshakeAnswer;
use cosell_core::partner::types::*;

use super::columns::words;
use super::forms;
use super::state::Pane;
use super::types::Intent;
use crate::app::core::keymap::Action;
use crate::app::core::popup::Confirm;
use crate::app::core::shell::Level;
use crate::app::model::{self, Model, Popup};
use crate::app::msg::{self, Effect};

pub fn start(model: &mut Model, action: Action) -> Vec<Effect> {
    if model.shell.refuse_changes("changing channel records") {
        return Vec::new();
    }
    match action {
        Action::CreateRelationship => {
            if model.channel.accounts.rows.is_empty() {
                model.shell.toast(
                    Level::Error,
                    "A relationship belongs to a program management account, and none is loaded (R reads them).",
                );
                return Vec::new();
            }
            let selected = match model.channel.pane {
                Pane::Accounts => model.channel.accounts.selected_row().map(|a| a.id.clone()),
                Pane::Relationships | Pane::Handshakes => None,
            };
            let form = forms::relationship_form(model, selected.as_deref());
            model.form = Some(model::OpenForm::Channel(form));
        }
        Action::SendHandshake => {
            let form = forms::handshake_form(model);
            model.form = Some(model::OpenForm::Channel(form));
        }
        Action::AcceptHandshake | Action::RejectHandshake | Action::CancelHandshake => {
            answer(model, action)
        }
        _ => {}
    }
    Vec::new()
}

/// Why `action` does not apply to this handshake, if it does not.
pub fn refusal(handshake: &Handshake, action: Action) -> Option<String> {
    if handshake.status != "PENDING" {
        Some(format!(
            "{} is {} and can no longer be answered.",
            handshake.id,
            handshake.status.to_lowercase()
        ))
    } else if action == Action::CancelHandshake && handshake.received {
        Some(format!(
            "{} was sent to you: accept (a) or reject (x) it instead.",
            handshake.id
        ))
    } else if action != Action::CancelHandshake && !handshake.received {
        Some(format!(
            "{} is one you sent: only its receiver can answer it; c cancels it.",
            handshake.id
        ))
    } else {
        None
    }
}

fn answer(model: &mut Model, action: Action) {
    if model.channel.pane != Pane::Handshakes {
        model.shell.toast(
            Level::Error,
            "Handshakes are their own list: press w until it shows Handshakes.",
        );
        return;
    }
    let Some(handshake) = model.channel.handshakes.selected_row().cloned() else {
        return;
    };
    if let Some(why) = refusal(&handshake, action) {
        model.shell.toast(Level::Error, why);
        return;
    }
    let kind = words(&handshake.kind);
    let resource = handshake.resource.clone().unwrap_or_default();
    let from = handshake
        .sender_name
        .clone()
        .or(handshake.sender.clone())
        .unwrap_or_default();
    let (title, lines, answer) = match action {
        Action::AcceptHandshake => (
            "Accept this handshake?",
            vec![
                format!("{} from {from}: {kind} for {resource}.", handshake.id),
                match handshake.kind.as_str() {
                    "START_SERVICE_PERIOD" => "The service period starts now.".to_string(),
                    "REVOKE_SERVICE_PERIOD" => {
                        "The service period ends and the relationship is removed; this cannot be undone.".to_string()
                    }
                    _ => "The program management account becomes active.".to_string(),
                },
            ],
            HandshakeAnswer::Accept,
        ),
        Action::RejectHandshake => (
            "Reject this handshake?",
            vec![
                format!("{} from {from}: {kind} for {resource}.", handshake.id),
                "A rejected handshake cannot be answered again; the sender has to send a new one."
                    .to_string(),
            ],
            HandshakeAnswer::Reject,
        ),
        _ => (
            "Cancel this handshake?",
            vec![
                format!("{} ({kind} for {resource}) is withdrawn.", handshake.id),
                "This cannot be undone: send a new handshake to ask again.".to_string(),
            ],
            HandshakeAnswer::Cancel,
        ),
    };
    model.popup = Some(Popup::Confirm(Confirm {
        title: title.into(),
        lines,
        intents: vec![msg::Intent::Channel(Intent::Answer {
            id: handshake.id,
            answer,
        })],
    }));
}
