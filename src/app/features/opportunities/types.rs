//! The Opportunities feature's vocabulary: what it asks Partner Central to do, its pickers, its
//! forms and its conflict offer. A leaf module: the message layer wraps these types.

use cosell_core::partner::rules::{DraftField, EditField, OpportunityDraft};
use cosell_core::partner::types::*;

use crate::app::core::form::{Form, FormBody};
use crate::app::core::popup::{Picker, PickerControl};

/// What the user asked for, ready to be sent once confirmed.
#[derive(Debug, Clone, PartialEq)]
pub enum Intent {
    Update {
        id: String,
        /// The LastModifiedDate of the version the user edited.
        based_on: Millis,
        edit: OpportunityEdit,
    },
    Create {
        draft: Box<OpportunityDraft>,
        client_token: String,
    },
    Assign {
        id: String,
        assignee: Contact,
    },
    /// Link (or unlink) one entity of `kind`: a solution or an AWS product.
    Link {
        id: String,
        kind: LinkKind,
        entity: String,
        linked: bool,
    },
    Submit {
        id: String,
        involvement: InvolvementType,
        visibility: Visibility,
        client_token: String,
    },
    /// Invite the partner with AWS account `partner` to co-sell the opportunity.
    Share {
        id: String,
        partner: String,
        partner_name: String,
        client_token: String,
    },
}

impl Intent {
    /// The opportunity it changes; empty for a create (there is none yet).
    pub fn target(&self) -> &str {
        match self {
            Intent::Update { id, .. }
            | Intent::Assign { id, .. }
            | Intent::Link { id, .. }
            | Intent::Submit { id, .. }
            | Intent::Share { id, .. } => id,
            Intent::Create { .. } => "",
        }
    }

    /// What the row's spinner says while it is in flight.
    pub fn in_flight(&self) -> String {
        match self {
            Intent::Update { edit, .. } => edit.describe(),
            Intent::Assign { assignee, .. } => format!("assigning to {}", assignee.name()),
            Intent::Link { entity, linked, .. } => {
                format!("{} {entity}", if *linked { "linking" } else { "unlinking" })
            }
            Intent::Submit { .. } => "submitting to AWS".to_string(),
            Intent::Share { partner_name, .. } => format!("inviting {partner_name}"),
            Intent::Create { .. } => String::new(),
        }
    }
}

/// Edit forms that start from what only the full record holds (the list keeps neither next
/// steps nor the business problem): opened once the record has been read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadFirst {
    NextSteps,
    WebsiteAndProblem,
    /// Every field (the full edit form): needs the record's whole document.
    Full,
    /// Marketplace offers and offer sets: the form lists what is linked now.
    Marketplace,
}

/// The pickers of the Opportunities tab, each with the record it is for and typed choices.
#[derive(Debug, Clone, PartialEq)]
pub enum Pick {
    Stage {
        id: String,
        picker: Picker<Stage>,
    },
    ClosedLostReason {
        id: String,
        picker: Picker<ClosedLostReason>,
    },
    /// Ticks are the ids of entities of `kind` (solutions or AWS products); `picker.loading`
    /// until the record's current links are known.
    Links {
        id: String,
        kind: LinkKind,
        picker: Picker<String>,
    },
    Involvement {
        id: String,
        picker: Picker<InvolvementType>,
    },
    Visibility {
        id: String,
        involvement: InvolvementType,
        picker: Picker<Visibility>,
    },
    /// A connected partner to invite to co-sell; values are AWS account ids.
    Share {
        id: String,
        picker: Picker<String>,
    },
}

impl Pick {
    pub fn control(&self) -> &dyn PickerControl {
        match self {
            Pick::Stage { picker, .. } => picker,
            Pick::ClosedLostReason { picker, .. } => picker,
            Pick::Links { picker, .. } => picker,
            Pick::Involvement { picker, .. } => picker,
            Pick::Visibility { picker, .. } => picker,
            Pick::Share { picker, .. } => picker,
        }
    }

    pub fn control_mut(&mut self) -> &mut dyn PickerControl {
        match self {
            Pick::Stage { picker, .. } => picker,
            Pick::ClosedLostReason { picker, .. } => picker,
            Pick::Links { picker, .. } => picker,
            Pick::Involvement { picker, .. } => picker,
            Pick::Visibility { picker, .. } => picker,
            Pick::Share { picker, .. } => picker,
        }
    }
}

/// The fields of the assign form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssignField {
    /// Someone cosell has seen (opportunity teams, the alliance lead): choosing fills the rest.
    Person,
    Email,
    FirstName,
    LastName,
    BusinessTitle,
    Phone,
}

/// The fields of the Marketplace form: which kind of entity, its id, link or unlink.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarketplaceField {
    Kind,
    Entity,
    Action,
}

/// The fields of the create form: the ones every new opportunity needs, then every other
/// member CreateOpportunity takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreateField {
    Draft(DraftField),
    More(super::full_edit::FullField),
}

/// The forms of the Opportunities tab.
#[derive(Debug, Clone)]
pub enum OpenForm {
    Create(Form<CreateField>),
    /// One field (`EditField::NextSteps` or `EditField::TargetCloseDate`) of a record as the
    /// user saw it at `based_on`.
    Edit {
        id: String,
        based_on: Millis,
        form: Form<EditField>,
    },
    Assign {
        id: String,
        form: Form<AssignField>,
    },
    /// An AWS Marketplace offer or offer set to link or unlink; `linked` is what the record
    /// has linked now.
    Marketplace {
        id: String,
        linked: Vec<String>,
        form: Form<MarketplaceField>,
    },
    /// Every field of a record as the user saw it at `based_on`; `original` is its writable
    /// document, what the form's values are compared with.
    Full {
        id: String,
        based_on: Millis,
        original: serde_json::Value,
        form: Form<super::full_edit::FullField>,
    },
}

impl OpenForm {
    pub fn body(&self) -> &FormBody {
        match self {
            OpenForm::Create(form) => &form.body,
            OpenForm::Edit { form, .. } => &form.body,
            OpenForm::Assign { form, .. } => &form.body,
            OpenForm::Full { form, .. } => &form.body,
            OpenForm::Marketplace { form, .. } => &form.body,
        }
    }

    pub fn body_mut(&mut self) -> &mut FormBody {
        match self {
            OpenForm::Create(form) => &mut form.body,
            OpenForm::Edit { form, .. } => &mut form.body,
            OpenForm::Assign { form, .. } => &mut form.body,
            OpenForm::Full { form, .. } => &mut form.body,
            OpenForm::Marketplace { form, .. } => &mut form.body,
        }
    }

    /// Whether the result of `intent` is this form's answer.
    pub fn answers(&self, intent: &Intent) -> bool {
        match (self, intent) {
            (OpenForm::Create(_), Intent::Create { .. }) => true,
            (OpenForm::Edit { id, .. }, Intent::Update { id: target, .. })
            | (OpenForm::Full { id, .. }, Intent::Update { id: target, .. })
            | (OpenForm::Assign { id, .. }, Intent::Assign { id: target, .. })
            | (OpenForm::Marketplace { id, .. }, Intent::Link { id: target, .. }) => id == target,
            _ => false,
        }
    }
}

/// The record changed since the user read it; their edit can be re-applied to the latest.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    pub id: String,
    pub edit: OpportunityEdit,
    pub latest: Box<Opportunity>,
}
