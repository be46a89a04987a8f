//! The Connections tab's forms: invite a partner, reject an invitation, end a connection.

use cosell_core::partner::types::*;

use super::types::{EndField, Intent, InviteField, OpenForm, ReasonField};
use crate::app::core::form::{Field, Form, plain_options};
use crate::app::core::popup::Confirm;
use crate::app::model::{self, Model, Popup};
use crate::app::msg::{self, Effect};
use crate::app::shared;

/// The invite form, with the inviter's name, email and a first message filled in from the
/// partner profile (its alliance lead) when cosell has read it.
pub fn invite_form(partner: Option<&Partner>) -> OpenForm {
    let lead = partner.and_then(|p| p.alliance_lead.as_ref());
    let name = lead.map(Contact::name).unwrap_or_default();
    let email = lead.and_then(|l| l.email.clone()).unwrap_or_default();
    let message = partner
        .map(|p| {
            format!(
                "{} would like to connect in AWS Partner Central to co-sell together.",
                p.display_name.as_deref().unwrap_or(&p.legal_name)
            )
        })
        .unwrap_or_default();
    let field = |key| match key {
        InviteField::Receiver => Field::text(
            "Partner's AWS account id",
            "",
            Some(100),
            "the 12-digit account of the partner you invite",
        ),
        InviteField::ConnectionType => Field::choice(
            "Connection type",
            plain_options(ConnectionType::VALUES),
            ConnectionType::OpportunityCollaboration.as_str(),
            "←/→ or type to choose",
        ),
        InviteField::Name => Field::text("Your name", &name, Some(80), "shown to the partner"),
        InviteField::Email => {
            Field::text("Your email", &email, Some(320), "where they can reach you")
        }
        InviteField::Message => Field::multiline(
            "Message",
            &message,
            Some(256),
            "what you propose, 1-256 characters",
        ),
    };
    let fields = InviteField::ALL
        .into_iter()
        .map(|k| (k, field(k)))
        .collect();
    OpenForm::Invite(Form::new("Invite a partner to connect", fields))
}

pub fn reject_form(id: &str) -> OpenForm {
    let field = Field::multiline("Reason", "", Some(256), "optional; the inviter sees it");
    OpenForm::Reject {
        id: id.to_string(),
        form: Form::new(format!("Reject {id}"), vec![(ReasonField, field)]),
    }
}

pub fn end_form(connection: &Connection, first: &ConnectionType) -> OpenForm {
    let fields = vec![
        (
            EndField::ConnectionType,
            Field::choice(
                "Connection type",
                plain_options(ConnectionType::VALUES),
                first.as_str(),
                "←/→ or type to choose the type to end",
            ),
        ),
        (
            EndField::Reason,
            Field::multiline("Reason", "", Some(256), "required; the partner sees it"),
        ),
    ];
    let title = format!(
        "End the connection with {}",
        connection
            .other_name
            .as_deref()
            .unwrap_or(&connection.other_account)
    );
    OpenForm::End {
        id: connection.id.clone(),
        form: Form::new(title, fields),
    }
}

fn confirm(model: &mut Model, title: &str, lines: Vec<String>, intent: Intent) {
    model.popup = Some(Popup::Confirm(Confirm {
        title: title.into(),
        lines,
        intents: vec![msg::Intent::Connections(intent)],
    }));
}

/// Ctrl-s on one of the tab's forms.
pub fn submit(model: &mut Model, form: OpenForm) -> Vec<Effect> {
    match form {
        OpenForm::Invite(form) => submit_invite(model, form),
        OpenForm::Reject { id, form } => {
            let reason = form.value(ReasonField);
            let client_token = model.shell.client_token();
            let said = if reason.is_empty() {
                "No reason given.".to_string()
            } else {
                format!("Reason: {reason}")
            };
            let answer = ConnectionAnswer::Reject {
                reason: (!reason.is_empty()).then_some(reason),
            };
            let lines = vec![format!("{id} will be rejected."), said];
            let intent = Intent::Answer {
                id,
                answer,
                client_token,
            };
            confirm(model, "Reject this invitation?", lines, intent);
            Vec::new()
        }
        OpenForm::End { id, form } => submit_end(model, id, form),
    }
}

fn submit_end(model: &mut Model, id: String, mut form: Form<EndField>) -> Vec<Effect> {
    let connection_type = ConnectionType::from_api(&form.value(EndField::ConnectionType));
    let reason = form.value(EndField::Reason);
    let length = reason.chars().count();
    if !(1..=256).contains(&length) {
        form.set_error(
            EndField::Reason,
            format!("a reason of 1 to 256 characters ({length} now)"),
        );
        model.form = Some(model::OpenForm::Connections(OpenForm::End { id, form }));
        return Vec::new();
    }
    let client_token = model.shell.client_token();
    let lines = vec![
        format!("The {} connection {id} ends.", connection_type.words()),
        format!("Reason: {reason}"),
        "Reconnecting needs a new invitation.".into(),
    ];
    let intent = Intent::End {
        id,
        connection_type,
        reason,
        client_token,
    };
    confirm(model, "End this connection?", lines, intent);
    Vec::new()
}

fn submit_invite(model: &mut Model, mut form: Form<InviteField>) -> Vec<Effect> {
    let invite = ConnectionInvite {
        receiver: form.value(InviteField::Receiver),
        connection_type: ConnectionType::from_api(&form.value(InviteField::ConnectionType)),
        name: form.value(InviteField::Name),
        email: form.value(InviteField::Email),
        message: form.value(InviteField::Message),
    };
    let mut bad: Vec<(InviteField, String)> = Vec::new();
    let receiver = &invite.receiver;
    let digits = receiver.chars().all(|c| c.is_ascii_digit());
    if receiver.is_empty() || (digits && receiver.len() != 12) {
        // AWS account ids are always twelve digits.
        bad.push((
            InviteField::Receiver,
            format!(
                "an AWS account id has 12 digits ({} now)",
                receiver.chars().count()
            ),
        ));
    } else if !receiver
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        bad.push((
            InviteField::Receiver,
            "a 12-digit AWS account id, or a partner id (letters, digits, -)".into(),
        ));
    }
    if invite.name.is_empty() {
        bad.push((InviteField::Name, "required".into()));
    }
    if !(invite.email.contains('@') && invite.email.contains('.')) {
        bad.push((InviteField::Email, "an email address".into()));
    }
    let length = invite.message.chars().count();
    if !(1..=256).contains(&length) {
        bad.push((
            InviteField::Message,
            format!("1 to 256 characters ({length} now)"),
        ));
    }
    let sending = bad.is_empty();
    for (key, message) in bad {
        form.set_error(key, message);
    }
    model.form = Some(model::OpenForm::Connections(OpenForm::Invite(form)));
    if !sending {
        return Vec::new();
    }
    let client_token =
        shared::token_for_content(model, serde_json::to_string(&invite).unwrap_or_default());
    if let Some(form) = model.form.as_mut() {
        form.body_mut().submitting = true;
    }
    shared::send(
        model,
        msg::Intent::Connections(Intent::Invite {
            invite,
            client_token,
        }),
    )
}
