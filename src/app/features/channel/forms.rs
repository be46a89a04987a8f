//! The Channel tab's forms: a new relationship under a program management account, and a
//! handshake (start or revoke a relationship's service period, or a program management
//! account's handshake).

use cosell_core::partner::{NewHandshake, NewRelationship};

use super::columns::words;
use super::state::Pane;
use super::types::{HandshakeField, Intent, OpenForm, RelationshipField};
use crate::app::core::form::{Field, Form, plain_options};
use crate::app::model::{self, Model};
use crate::app::msg::{self, Effect};
use crate::app::shared;

pub const ASSOCIATION_TYPES: &[&str] = &["DOWNSTREAM_SELLER", "END_CUSTOMER", "INTERNAL"];
pub const SECTORS: &[&str] = &["COMMERCIAL", "GOVERNMENT", "GOVERNMENT_EXCEPTION"];
pub const HANDSHAKE_TYPES: &[&str] = &[
    "START_SERVICE_PERIOD",
    "REVOKE_SERVICE_PERIOD",
    "PROGRAM_MANAGEMENT_ACCOUNT",
];
pub const SERVICE_PERIODS: &[&str] = &["MINIMUM_NOTICE_PERIOD", "FIXED_COMMITMENT_PERIOD"];

pub fn relationship_form(model: &Model, account: Option<&str>) -> OpenForm {
    let accounts: Vec<(String, String)> = model
        .channel
        .accounts
        .rows
        .iter()
        .map(|a| (a.id.clone(), format!("{} · {}", a.name, words(&a.program))))
        .collect();
    let first = account
        .map(str::to_string)
        .or_else(|| accounts.first().map(|(id, _)| id.clone()))
        .unwrap_or_default();
    let field = |key| match key {
        RelationshipField::ProgramAccount => Field::choice(
            "Program account",
            accounts.clone(),
            &first,
            "←/→ or type: the program management account it belongs to",
        ),
        RelationshipField::Kind => Field::choice(
            "Type",
            plain_options(ASSOCIATION_TYPES),
            "DOWNSTREAM_SELLER",
            "←/→ or type to choose",
        ),
        RelationshipField::AccountId => Field::text(
            "AWS account id",
            "",
            Some(12),
            "the 12-digit account of the seller or customer",
        ),
        RelationshipField::Name => {
            Field::text("Name", "", Some(255), "how the relationship is listed")
        }
        RelationshipField::Sector => Field::choice(
            "Sector",
            plain_options(SECTORS),
            "COMMERCIAL",
            "←/→ or type to choose",
        ),
    };
    let fields = RelationshipField::ALL
        .into_iter()
        .map(|k| (k, field(k)))
        .collect();
    OpenForm::Relationship(Form::new("New channel relationship", fields))
}

/// The handshake form, aimed at the selection: a relationship's service period, or a program
/// account's handshake.
pub fn handshake_form(model: &Model) -> OpenForm {
    let mut resources: Vec<(String, String)> = model
        .channel
        .relationships
        .rows
        .iter()
        .map(|r| {
            (
                r.id.clone(),
                format!("relationship · {} ({})", r.name, r.account_id),
            )
        })
        .collect();
    resources.extend(
        model
            .channel
            .accounts
            .rows
            .iter()
            .map(|a| (a.id.clone(), format!("program account · {}", a.name))),
    );
    let (kind, resource) = match model.channel.pane {
        Pane::Accounts => (
            "PROGRAM_MANAGEMENT_ACCOUNT",
            model.channel.accounts.selected_row().map(|a| a.id.clone()),
        ),
        Pane::Relationships => (
            "START_SERVICE_PERIOD",
            model
                .channel
                .relationships
                .selected_row()
                .map(|r| r.id.clone()),
        ),
        Pane::Handshakes => (
            "START_SERVICE_PERIOD",
            model
                .channel
                .relationships
                .rows
                .first()
                .map(|r| r.id.clone()),
        ),
    };
    let field = |key| match key {
        HandshakeField::Kind => Field::choice(
            "Type",
            plain_options(HANDSHAKE_TYPES),
            kind,
            "←/→ or type to choose",
        ),
        HandshakeField::Resource => Field::choice(
            "For",
            resources.clone(),
            resource.as_deref().unwrap_or(""),
            "a relationship (service periods) or a program account",
        ),
        HandshakeField::Period => Field::choice(
            "Service period",
            plain_options(SERVICE_PERIODS),
            "MINIMUM_NOTICE_PERIOD",
            "start service period only",
        ),
        HandshakeField::NoticeDays => Field::text(
            "Notice days",
            "30",
            Some(4),
            "minimum notice period only: days of notice",
        ),
        HandshakeField::Note => {
            Field::multiline("Note", "", Some(255), "optional; the receiver sees it")
        }
    };
    let fields = HandshakeField::ALL
        .into_iter()
        .map(|k| (k, field(k)))
        .collect();
    OpenForm::Handshake(Form::new("Send a channel handshake", fields))
}

pub fn submit(model: &mut Model, form: OpenForm) -> Vec<Effect> {
    match form {
        OpenForm::Relationship(form) => submit_relationship(model, form),
        OpenForm::Handshake(form) => submit_handshake(model, form),
    }
}

fn send(model: &mut Model, intent: Intent) -> Vec<Effect> {
    if let Some(form) = model.form.as_mut() {
        form.body_mut().submitting = true;
    }
    shared::send(model, msg::Intent::Channel(intent))
}

fn submit_relationship(model: &mut Model, mut form: Form<RelationshipField>) -> Vec<Effect> {
    let relationship = NewRelationship {
        program_account: form.value(RelationshipField::ProgramAccount),
        kind: form.value(RelationshipField::Kind),
        account_id: form.value(RelationshipField::AccountId),
        name: form.value(RelationshipField::Name),
        sector: form.value(RelationshipField::Sector),
    };
    if relationship.program_account.is_empty() {
        form.set_error(
            RelationshipField::ProgramAccount,
            "choose the program account",
        );
    }
    let account = &relationship.account_id;
    if account.len() != 12 || !account.chars().all(|c| c.is_ascii_digit()) {
        // AWS account ids are always twelve digits.
        form.set_error(
            RelationshipField::AccountId,
            format!(
                "an AWS account id has 12 digits ({} now)",
                account.chars().count()
            ),
        );
    }
    if relationship.name.is_empty() {
        form.set_error(RelationshipField::Name, "required");
    }
    let ok = form.body.fields.iter().all(|f| f.error.is_none());
    model.form = Some(model::OpenForm::Channel(OpenForm::Relationship(form)));
    if !ok {
        return Vec::new();
    }
    let client_token = shared::token_for_content(
        model,
        format!(
            "{} {} {} {} {}",
            relationship.program_account,
            relationship.kind,
            relationship.account_id,
            relationship.name,
            relationship.sector
        ),
    );
    send(
        model,
        Intent::CreateRelationship {
            relationship,
            client_token,
        },
    )
}

fn submit_handshake(model: &mut Model, mut form: Form<HandshakeField>) -> Vec<Effect> {
    let kind = form.value(HandshakeField::Kind);
    let resource = form.value(HandshakeField::Resource);
    let note = Some(form.value(HandshakeField::Note)).filter(|n| !n.is_empty());
    let relationship = model.channel.relationships.get(&resource).cloned();
    let handshake = match kind.as_str() {
        "PROGRAM_MANAGEMENT_ACCOUNT" => {
            if model.channel.accounts.get(&resource).is_none() {
                form.set_error(HandshakeField::Resource, "choose a program account");
            }
            NewHandshake::ProgramAccount {
                program_account: resource.clone(),
            }
        }
        "REVOKE_SERVICE_PERIOD" => NewHandshake::RevokeServicePeriod {
            relationship: resource.clone(),
            program_account: relationship
                .as_ref()
                .map(|r| r.program_account.clone())
                .unwrap_or_default(),
            note,
        },
        _ => {
            let period = form.value(HandshakeField::Period);
            let days = form.value(HandshakeField::NoticeDays);
            let notice_days = (period == "MINIMUM_NOTICE_PERIOD").then_some(days.clone());
            if notice_days.is_some()
                && (days.is_empty() || !days.chars().all(|c| c.is_ascii_digit()))
            {
                form.set_error(HandshakeField::NoticeDays, "a number of days, e.g. 30");
            }
            NewHandshake::StartServicePeriod {
                relationship: resource.clone(),
                program_account: relationship
                    .as_ref()
                    .map(|r| r.program_account.clone())
                    .unwrap_or_default(),
                period,
                notice_days,
                note,
            }
        }
    };
    if kind != "PROGRAM_MANAGEMENT_ACCOUNT" && relationship.is_none() {
        form.set_error(
            HandshakeField::Resource,
            "a service period is for a relationship: choose one",
        );
    }
    let ok = form.body.fields.iter().all(|f| f.error.is_none());
    model.form = Some(model::OpenForm::Channel(OpenForm::Handshake(form)));
    if !ok {
        return Vec::new();
    }
    let client_token = shared::token_for_content(model, format!("{handshake:?}"));
    send(
        model,
        Intent::SendHandshake {
            handshake,
            client_token,
        },
    )
}
