//! The Connections feature's vocabulary: intents and forms. A leaf module.

use cosell_core::partner::types::*;

use crate::app::core::form::{Form, FormBody};

#[derive(Debug, Clone, PartialEq)]
pub enum Intent {
    Invite {
        invite: ConnectionInvite,
        client_token: String,
    },
    Answer {
        id: String,
        answer: ConnectionAnswer,
        client_token: String,
    },
    /// Ends one type of an active connection.
    End {
        id: String,
        connection_type: ConnectionType,
        reason: String,
        client_token: String,
    },
}

impl Intent {
    /// The connection or invitation it changes; empty for a new invitation.
    pub fn target(&self) -> &str {
        match self {
            Intent::Answer { id, .. } | Intent::End { id, .. } => id,
            Intent::Invite { .. } => "",
        }
    }
}

/// The fields of the invite form, with the CreateConnectionInvitation member each fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InviteField {
    Receiver,
    ConnectionType,
    Name,
    Email,
    Message,
}

impl InviteField {
    pub const ALL: [InviteField; 5] = [
        InviteField::Receiver,
        InviteField::ConnectionType,
        InviteField::Name,
        InviteField::Email,
        InviteField::Message,
    ];

    pub fn api_member(self) -> &'static str {
        match self {
            InviteField::Receiver => "ReceiverIdentifier",
            InviteField::ConnectionType => "ConnectionType",
            InviteField::Name => "Name",
            InviteField::Email => "Email",
            InviteField::Message => "Message",
        }
    }
}

/// The fields of the form that ends a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndField {
    ConnectionType,
    Reason,
}

/// The one field of the form that rejects an invitation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReasonField;

#[derive(Debug, Clone)]
pub enum OpenForm {
    Invite(Form<InviteField>),
    Reject { id: String, form: Form<ReasonField> },
    End { id: String, form: Form<EndField> },
}

impl OpenForm {
    pub fn body(&self) -> &FormBody {
        match self {
            OpenForm::Invite(form) => &form.body,
            OpenForm::Reject { form, .. } => &form.body,
            OpenForm::End { form, .. } => &form.body,
        }
    }

    pub fn body_mut(&mut self) -> &mut FormBody {
        match self {
            OpenForm::Invite(form) => &mut form.body,
            OpenForm::Reject { form, .. } => &mut form.body,
            OpenForm::End { form, .. } => &mut form.body,
        }
    }
}
