//! The Referrals feature's vocabulary: its intents, its form and its batches. A leaf module.

use crate::app::core::form::{Form, FormBody};

#[derive(Debug, Clone, PartialEq)]
pub enum Intent {
    Accept {
        id: String,
        client_token: String,
    },
    /// A lead is accepted with AcceptEngagementInvitation (AWS's lead workflow): it makes the
    /// partner a member of the lead's engagement; there is no opportunity until it is converted.
    AcceptLead {
        id: String,
    },
    Reject {
        id: String,
        reason: Option<String>,
    },
    /// Mark the lead of invitation `id` (in `engagement`) Qualified or Disqualified.
    Qualify {
        id: String,
        engagement: String,
        status: Qualification,
    },
    /// Convert the lead of invitation `id` into an opportunity.
    Convert {
        id: String,
        engagement: String,
        client_token: String,
    },
}

impl Intent {
    pub fn target(&self) -> &str {
        match self {
            Intent::Accept { id, .. }
            | Intent::AcceptLead { id }
            | Intent::Reject { id, .. }
            | Intent::Qualify { id, .. }
            | Intent::Convert { id, .. } => id,
        }
    }

    pub fn in_flight(&self) -> String {
        match self {
            Intent::Accept { .. } | Intent::AcceptLead { .. } => "accepting".into(),
            Intent::Reject { .. } => "rejecting".into(),
            Intent::Qualify { status, .. } => format!("marking {}", status.as_str()),
            Intent::Convert { .. } => "converting".into(),
        }
    }
}

/// What a partner says of a lead after talking to the customer (the API takes free text;
/// these are the two a partner writes, beside the Unqualified AWS starts with).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Qualification {
    Qualified,
    Disqualified,
}

impl Qualification {
    pub const ALL: [Qualification; 2] = [Qualification::Qualified, Qualification::Disqualified];

    pub fn as_str(self) -> &'static str {
        match self {
            Qualification::Qualified => "Qualified",
            Qualification::Disqualified => "Disqualified",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RejectField {
    Reason,
    Details,
}

/// The qualify form's one field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QualifyField {
    Status,
}

#[derive(Debug, Clone)]
pub enum OpenForm {
    Reject {
        ids: Vec<String>,
        form: Form<RejectField>,
    },
    Qualify {
        id: String,
        engagement: String,
        form: Form<QualifyField>,
    },
}

impl OpenForm {
    pub fn body(&self) -> &FormBody {
        match self {
            OpenForm::Reject { form, .. } => &form.body,
            OpenForm::Qualify { form, .. } => &form.body,
        }
    }

    pub fn body_mut(&mut self) -> &mut FormBody {
        match self {
            OpenForm::Reject { form, .. } => &mut form.body,
            OpenForm::Qualify { form, .. } => &mut form.body,
        }
    }
}

/// What a batch answer does to each marked referral.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchKind {
    Accepting,
    Rejecting,
}

impl BatchKind {
    pub fn doing(self) -> &'static str {
        match self {
            BatchKind::Accepting => "accepting",
            BatchKind::Rejecting => "rejecting",
        }
    }

    pub fn done(self) -> &'static str {
        match self {
            BatchKind::Accepting => "accepted",
            BatchKind::Rejecting => "rejected",
        }
    }
}

/// Progress of a batch answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    pub kind: BatchKind,
    pub ids: Vec<String>,
    pub done: usize,
    pub failed: usize,
}
