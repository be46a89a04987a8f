//! The Solutions and Connections tabs' actions and the partner profile popup.

use super::keymap::Action;
use super::model::*;
use super::popup::*;
use cosell_core::partner::types::*;

const CONNECTION_TYPES: [&str; 2] = ["OPPORTUNITY_COLLABORATION", "SUBSIDIARY"];

fn refuse_readonly(model: &mut Model) -> bool {
    if model.offline {
        model.toast(Level::Error, "Offline: changes are off while Partner Central cannot be reached. Press R to try again.");
        return true;
    }
    if model.context.readonly {
        model.toast(Level::Error, "Read-only mode: changes are turned off (started with --readonly or readonly = true in the config).");
        return true;
    }
    false
}

pub fn start(model: &mut Model, action: Action) -> Vec<Effect> {
    if action == Action::Profile {
        model.popup = Some(Popup::Profile);
        return Vec::new();
    }
    if refuse_readonly(model) {
        return Vec::new();
    }
    match action {
        Action::LinkToOpportunity => return link_to_opportunity(model),
        Action::InvitePartner => {
            let fields = vec![
                Field::text(
                    "Partner's AWS account id",
                    "",
                    Some(100),
                    "the 12-digit account of the partner you invite",
                ),
                Field::choice(
                    "Connection type",
                    &CONNECTION_TYPES,
                    "OPPORTUNITY_COLLABORATION",
                    false,
                    "←/→ choose",
                ),
                Field::text("Your name", "", Some(80), "shown to the partner"),
                Field::text("Your email", "", Some(320), "where they can reach you"),
                Field::multiline(
                    "Message",
                    "",
                    Some(256),
                    "what you propose, 1-256 characters",
                ),
            ];
            model.form = Some(Form::new(
                "Invite a partner to connect",
                FormFor::Invite,
                fields,
            ));
        }
        Action::AcceptConnection | Action::RejectConnection | Action::CancelInvitation => {
            if model.connections_pane != ConnectionsPane::Invitations {
                model.toast(
                    Level::Error,
                    "Invitations are in the lower list: press w to move there first.",
                );
                return Vec::new();
            }
            let Some(invitation) = model.invitations.selected_row().cloned() else {
                return Vec::new();
            };
            let received = invitation.direction == "RECEIVER";
            let refusal = if invitation.status != "PENDING" {
                Some(format!(
                    "{} is {} and no longer pending.",
                    invitation.id,
                    invitation.status.to_lowercase()
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
            };
            if let Some(why) = refusal {
                model.toast(Level::Error, why);
                return Vec::new();
            }
            match action {
                Action::AcceptConnection => {
                    let client_token = model.client_token();
                    model.popup = Some(Popup::Confirm(Confirm {
                        title: "Accept this invitation?".into(),
                        lines: vec![
                            format!(
                                "{} from {}: {}.",
                                invitation.id,
                                invitation.other,
                                invitation.connection_type.to_lowercase().replace('_', " ")
                            ),
                            "You become connected partners and can share opportunities.".into(),
                        ],
                        intents: vec![Intent::AnswerConnection {
                            id: invitation.id,
                            answer: ConnectionAnswer::Accept,
                            client_token,
                        }],
                    }));
                }
                Action::RejectConnection => {
                    let fields = vec![Field::multiline(
                        "Reason",
                        "",
                        Some(256),
                        "optional; the inviter sees it",
                    )];
                    model.form = Some(Form::new(
                        format!("Reject {}", invitation.id),
                        FormFor::RejectConnection { id: invitation.id },
                        fields,
                    ));
                }
                _ => {
                    let client_token = model.client_token();
                    model.popup = Some(Popup::Confirm(Confirm {
                        title: "Cancel this invitation?".into(),
                        lines: vec![format!(
                            "{} to {} will be withdrawn.",
                            invitation.id, invitation.other
                        )],
                        intents: vec![Intent::AnswerConnection {
                            id: invitation.id,
                            answer: ConnectionAnswer::Cancel,
                            client_token,
                        }],
                    }));
                }
            }
        }
        Action::CancelConnection => {
            if model.connections_pane != ConnectionsPane::Connections {
                model.toast(
                    Level::Error,
                    "Connections are in the upper list: press w to move there first.",
                );
                return Vec::new();
            }
            let Some(connection) = model.connections.selected_row().cloned() else {
                return Vec::new();
            };
            let active: Vec<&str> = connection
                .types
                .iter()
                .filter(|t| t.status == "ACTIVE")
                .filter_map(|t| {
                    CONNECTION_TYPES
                        .iter()
                        .copied()
                        .find(|c| *c == t.connection_type)
                })
                .collect();
            let Some(first) = active.first() else {
                model.toast(
                    Level::Error,
                    format!("{} has no active connection type to end.", connection.id),
                );
                return Vec::new();
            };
            let fields = vec![
                Field::choice(
                    "Connection type",
                    &CONNECTION_TYPES,
                    first,
                    false,
                    "←/→ choose the type to end",
                ),
                Field::multiline("Reason", "", Some(256), "required; the partner sees it"),
            ];
            let title = format!(
                "End the connection with {}",
                connection
                    .other_name
                    .as_deref()
                    .unwrap_or(&connection.other_account)
            );
            model.form = Some(Form::new(
                title,
                FormFor::CancelConnection { id: connection.id },
                fields,
            ));
        }
        _ => {}
    }
    Vec::new()
}

fn link_to_opportunity(model: &mut Model) -> Vec<Effect> {
    let Some(solution) = model.solutions.selected_row().cloned() else {
        return Vec::new();
    };
    if solution.status != "Active" {
        model.toast(
            Level::Error,
            format!(
                "{} is {}: only Active solutions can be linked.",
                solution.id, solution.status
            ),
        );
        return Vec::new();
    }
    // Open opportunities, most recently touched first: the likely targets.
    let mut candidates: Vec<&OpportunitySummary> = model
        .opportunities
        .rows
        .iter()
        .filter(|o| !matches!(o.stage.as_deref(), Some("Launched") | Some("Closed Lost")))
        .collect();
    candidates.sort_by_key(|o| std::cmp::Reverse(o.last_modified));
    if candidates.is_empty() {
        model.toast(Level::Error, "No open opportunities are loaded to link to.");
        return Vec::new();
    }
    let mut picker = Picker::single(
        format!("Link {} {} to…", solution.id, solution.name),
        candidates
            .iter()
            .map(|o| format!("{} {}", o.id, o.customer))
            .collect(),
        PickFor::LinkOpportunity {
            solution: solution.id.clone(),
        },
    );
    picker.notes = candidates
        .iter()
        .map(|o| o.stage.clone().unwrap_or_default())
        .collect();
    picker.filterable = true;
    picker.footer = "type to narrow, ↑/↓ move, enter links".into();
    model.popup = Some(Popup::Picker(picker));
    Vec::new()
}

/// Ctrl-s on a connections form.
pub fn submit(model: &mut Model, purpose: FormFor) -> Vec<Effect> {
    let Some(form) = model.form.as_mut() else {
        return Vec::new();
    };
    let v = |i: usize| form.fields[i].value().trim().to_string();
    match purpose {
        FormFor::Invite => {
            let invite = ConnectionInvite {
                receiver: v(0),
                connection_type: v(1),
                name: v(2),
                email: v(3),
                message: v(4),
            };
            let mut bad: Vec<(usize, String)> = Vec::new();
            if invite.receiver.is_empty()
                || !invite
                    .receiver
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-')
            {
                bad.push((0, "an AWS account id (digits) or partner id".into()));
            }
            if invite.name.is_empty() {
                bad.push((2, "required".into()));
            }
            if !(invite.email.contains('@') && invite.email.contains('.')) {
                bad.push((3, "an email address".into()));
            }
            let length = invite.message.chars().count();
            if !(1..=256).contains(&length) {
                bad.push((4, format!("1 to 256 characters ({length} now)")));
            }
            if !bad.is_empty() {
                for (i, m) in bad {
                    form.fields[i].error = Some(m);
                }
                return Vec::new();
            }
            let client_token = super::flows::token_for_content(
                model,
                serde_json::to_string(&invite).unwrap_or_default(),
            );
            model.form.as_mut().expect("form is open").submitting = true;
            vec![Effect::Mutate {
                request: model.take_request(),
                intent: Box::new(Intent::Invite {
                    invite,
                    client_token,
                }),
            }]
        }
        FormFor::RejectConnection { id } => {
            let reason = v(0);
            model.form = None;
            let client_token = model.client_token();
            model.popup = Some(Popup::Confirm(Confirm {
                title: "Reject this invitation?".into(),
                lines: vec![
                    format!("{id} will be rejected."),
                    if reason.is_empty() {
                        "No reason given.".into()
                    } else {
                        format!("Reason: {reason}")
                    },
                ],
                intents: vec![Intent::AnswerConnection {
                    id,
                    answer: ConnectionAnswer::Reject {
                        reason: (!reason.is_empty()).then_some(reason),
                    },
                    client_token,
                }],
            }));
            Vec::new()
        }
        FormFor::CancelConnection { id } => {
            let (connection_type, reason) = (v(0), v(1));
            let length = reason.chars().count();
            if !(1..=256).contains(&length) {
                form.fields[1].error =
                    Some(format!("a reason of 1 to 256 characters ({length} now)"));
                return Vec::new();
            }
            model.form = None;
            let client_token = model.client_token();
            model.popup = Some(Popup::Confirm(Confirm {
                title: "End this connection?".into(),
                lines: vec![
                    format!(
                        "The {} connection {id} ends.",
                        connection_type.to_lowercase().replace('_', " ")
                    ),
                    format!("Reason: {reason}"),
                    "Reconnecting needs a new invitation.".into(),
                ],
                intents: vec![Intent::CancelConnection {
                    id,
                    connection_type,
                    reason,
                    client_token,
                }],
            }));
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// A connections mutation finished: report it and reload both lists.
pub fn on_mutated(
    model: &mut Model,
    intent: Intent,
    result: Result<Outcome, MutationError>,
) -> Vec<Effect> {
    let target = intent.target().to_string();
    model.pending.remove(&target);
    match result {
        Ok(_) => {
            let text = match &intent {
                Intent::Invite { invite, .. } => format!("Invitation sent to {}", invite.receiver),
                Intent::AnswerConnection {
                    id,
                    answer: ConnectionAnswer::Accept,
                    ..
                } => format!("Accepted {id}: you are connected"),
                Intent::AnswerConnection {
                    id,
                    answer: ConnectionAnswer::Reject { .. },
                    ..
                } => format!("Rejected {id}"),
                Intent::AnswerConnection {
                    id,
                    answer: ConnectionAnswer::Cancel,
                    ..
                } => format!("Canceled {id}"),
                Intent::CancelConnection {
                    id,
                    connection_type,
                    ..
                } => format!(
                    "Ended the {} connection {id}",
                    connection_type.to_lowercase().replace('_', " ")
                ),
                _ => "Done".into(),
            };
            if matches!(intent, Intent::Invite { .. }) {
                model.form = None;
            }
            model.toast(Level::Info, text);
            let mut effects = Vec::new();
            for list in [ListId::Connections, ListId::Invitations] {
                effects.push(super::update::start_load(model, list));
            }
            model
                .details
                .retain(|k, _| !matches!(k, DetailKey::Connection(_) | DetailKey::Invitation(_)));
            effects
        }
        Err(error) => {
            if let (Intent::Invite { .. }, Some(form)) = (&intent, model.form.as_mut()) {
                form.submitting = false;
                form.banner = Some(error.message.clone());
                for (field, message) in &error.fields {
                    let index = match field.as_str() {
                        "ReceiverIdentifier" => Some(0),
                        "ConnectionType" => Some(1),
                        "Name" => Some(2),
                        "Email" => Some(3),
                        "Message" => Some(4),
                        _ => None,
                    };
                    if let Some(f) = index.and_then(|i| form.fields.get_mut(i)) {
                        f.error = Some(message.clone());
                    }
                }
            }
            model.toast(Level::Error, error.message);
            Vec::new()
        }
    }
}
