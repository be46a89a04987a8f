//! The Channel feature's vocabulary: intents and forms. A leaf module.

use cosell_core::partner::{HandshakeAnswer, NewHandshake, NewRelationship};

use crate::app::core::form::{Form, FormBody};

#[derive(Debug, Clone, PartialEq)]
pub enum Intent {
    CreateRelationship {
        relationship: NewRelationship,
        client_token: String,
    },
    SendHandshake {
        handshake: NewHandshake,
        client_token: String,
    },
    Answer {
        id: String,
        answer: HandshakeAnswer,
    },
}

impl Intent {
    /// The handshake it answers; empty for a new record.
    pub fn target(&self) -> &str {
        match self {
            Intent::Answer { id, .. } => id,
            Intent::CreateRelationship { .. } | Intent::SendHandshake { .. } => "",
        }
    }

    pub fn in_flight(&self) -> String {
        match self {
            Intent::Answer {
                answer: HandshakeAnswer::Accept,
                ..
            } => "accepting",
            Intent::Answer {
                answer: HandshakeAnswer::Reject,
                ..
            } => "rejecting",
            Intent::Answer {
                answer: HandshakeAnswer::Cancel,
                ..
            } => "canceling",
            Intent::CreateRelationship { .. } | Intent::SendHandshake { .. } => "creating",
        }
        .into()
    }
}

/// The relationship form's fields, with the CreateRelationship member each fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelationshipField {
    ProgramAccount,
    Kind,
    AccountId,
    Name,
    Sector,
}

impl RelationshipField {
    pub const ALL: [RelationshipField; 5] = [
        RelationshipField::ProgramAccount,
        RelationshipField::Kind,
        RelationshipField::AccountId,
        RelationshipField::Name,
        RelationshipField::Sector,
    ];

    pub fn api_member(self) -> &'static str {
        match self {
            RelationshipField::ProgramAccount => "programManagementAccountIdentifier",
            RelationshipField::Kind => "associationType",
            RelationshipField::AccountId => "associatedAccountId",
            RelationshipField::Name => "displayName",
            RelationshipField::Sector => "sector",
        }
    }
}

/// The handshake form's fields, with the CreateChannelHandshake member each fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HandshakeField {
    Kind,
    Resource,
    Period,
    NoticeDays,
    Note,
}

impl HandshakeField {
    pub const ALL: [HandshakeField; 5] = [
        HandshakeField::Kind,
        HandshakeField::Resource,
        HandshakeField::Period,
        HandshakeField::NoticeDays,
        HandshakeField::Note,
    ];

    pub fn api_member(self) -> &'static str {
        match self {
            HandshakeField::Kind => "handshakeType",
            HandshakeField::Resource => "associatedResourceIdentifier",
            HandshakeField::Period => "payload.startServicePeriodPayload.servicePeriodType",
            HandshakeField::NoticeDays => "payload.startServicePeriodPayload.minimumNoticeDays",
            HandshakeField::Note => "payload",
        }
    }
}

#[derive(Debug, Clone)]
pub enum OpenForm {
    Relationship(Form<RelationshipField>),
    Handshake(Form<HandshakeField>),
}

impl OpenForm {
    pub fn body(&self) -> &FormBody {
        match self {
            OpenForm::Relationship(form) => &form.body,
            OpenForm::Handshake(form) => &form.body,
        }
    }

    pub fn body_mut(&mut self) -> &mut FormBody {
        match self {
            OpenForm::Relationship(form) => &mut form.body,
            OpenForm::Handshake(form) => &mut form.body,
        }
    }
}
