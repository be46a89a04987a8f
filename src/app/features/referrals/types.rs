//! The Referrals feature's vocabulary: its intents, its form and its batches. A leaf module.

use crate::app::core::form::{Form, FormBody};

#[derive(Debug, Clone, PartialEq)]
pub enum Intent {
    Accept { id: String, client_token: String },
    Reject { id: String, reason: Option<String> },
}

impl Intent {
    pub fn target(&self) -> &str {
        match self {
            Intent::Accept { id, .. } | Intent::Reject { id, .. } => id,
        }
    }

    pub fn in_flight(&self) -> String {
        match self {
            Intent::Accept { .. } => "accepting".into(),
            Intent::Reject { .. } => "rejecting".into(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RejectField {
    Reason,
    Details,
}

#[derive(Debug, Clone)]
pub enum OpenForm {
    Reject {
        ids: Vec<String>,
        form: Form<RejectField>,
    },
}

impl OpenForm {
    pub fn body(&self) -> &FormBody {
        match self {
            OpenForm::Reject { form, .. } => &form.body,
        }
    }

    pub fn body_mut(&mut self) -> &mut FormBody {
        match self {
            OpenForm::Reject { form, .. } => &mut form.body,
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
