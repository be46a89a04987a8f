//! The Benefits feature's vocabulary: intents, the benefit picker and the forms. A leaf module.

use cosell_core::partner::ApplicationChange;

use crate::app::core::form::{Form, FormBody};
use crate::app::core::popup::{Picker, PickerControl};

/// An application to create: the benefit, what it is called, the opportunity it is for.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NewApplication {
    pub benefit: String,
    pub name: String,
    pub opportunity: String,
    /// The opportunity's ARN when its full record has been read; else the runner reads it.
    /// Not part of the content the ClientToken is made from: a retry after the record was
    /// read is still the same application.
    #[serde(skip)]
    pub opportunity_arn: Option<String>,
    pub amount: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Intent {
    Apply {
        application: NewApplication,
        client_token: String,
    },
    Submit {
        id: String,
    },
    Update {
        id: String,
        change: ApplicationChange,
        client_token: String,
    },
    Amend {
        id: String,
        revision: String,
        amount: String,
        reason: String,
        client_token: String,
    },
    Recall {
        id: String,
        reason: String,
        client_token: String,
    },
    Cancel {
        id: String,
        reason: Option<String>,
        client_token: String,
    },
}

impl Intent {
    /// The application it changes; empty for a new one.
    pub fn target(&self) -> &str {
        match self {
            Intent::Apply { .. } => "",
            Intent::Submit { id }
            | Intent::Update { id, .. }
            | Intent::Amend { id, .. }
            | Intent::Recall { id, .. }
            | Intent::Cancel { id, .. } => id,
        }
    }

    pub fn in_flight(&self) -> String {
        match self {
            Intent::Apply { .. } => "applying",
            Intent::Submit { .. } => "submitting",
            Intent::Update { .. } => "saving",
            Intent::Amend { .. } => "amending",
            Intent::Recall { .. } => "recalling",
            Intent::Cancel { .. } => "canceling",
        }
        .into()
    }
}

/// The benefit picker `B` opens on an opportunity: the benefit (by id) to apply for.
#[derive(Debug, Clone, PartialEq)]
pub enum Pick {
    Benefit {
        opportunity: String,
        picker: Picker<String>,
    },
}

impl Pick {
    pub fn control(&self) -> &dyn PickerControl {
        match self {
            Pick::Benefit { picker, .. } => picker,
        }
    }

    pub fn control_mut(&mut self) -> &mut dyn PickerControl {
        match self {
            Pick::Benefit { picker, .. } => picker,
        }
    }
}

/// The apply form's fields, with the CreateBenefitApplication member each fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplyField {
    Name,
    Opportunity,
    Amount,
}

impl ApplyField {
    pub const ALL: [ApplyField; 3] = [
        ApplyField::Name,
        ApplyField::Opportunity,
        ApplyField::Amount,
    ];

    pub fn api_member(self) -> &'static str {
        match self {
            ApplyField::Name => "Name",
            ApplyField::Opportunity => "AssociatedResources",
            ApplyField::Amount => "BenefitApplicationDetails",
        }
    }
}

/// The edit form's fields (UpdateBenefitApplication).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditField {
    Name,
    Description,
    Amount,
}

impl EditField {
    pub const ALL: [EditField; 3] = [EditField::Name, EditField::Description, EditField::Amount];

    pub fn api_member(self) -> &'static str {
        match self {
            EditField::Name => "Name",
            EditField::Description => "Description",
            EditField::Amount => "BenefitApplicationDetails",
        }
    }
}

/// The amend form's fields (AmendBenefitApplication).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmendField {
    Amount,
    Reason,
}

/// The one field of the recall and cancel forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReasonField;

/// What a reason form does when sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    Recall,
    Cancel,
}

#[derive(Debug, Clone)]
pub enum OpenForm {
    Apply {
        benefit: String,
        form: Form<ApplyField>,
    },
    Edit {
        id: String,
        revision: String,
        form: Form<EditField>,
    },
    Amend {
        id: String,
        revision: String,
        form: Form<AmendField>,
    },
    Reason {
        id: String,
        ending: Ending,
        form: Form<ReasonField>,
    },
}

impl OpenForm {
    pub fn body(&self) -> &FormBody {
        match self {
            OpenForm::Apply { form, .. } => &form.body,
            OpenForm::Edit { form, .. } => &form.body,
            OpenForm::Amend { form, .. } => &form.body,
            OpenForm::Reason { form, .. } => &form.body,
        }
    }

    pub fn body_mut(&mut self) -> &mut FormBody {
        match self {
            OpenForm::Apply { form, .. } => &mut form.body,
            OpenForm::Edit { form, .. } => &mut form.body,
            OpenForm::Amend { form, .. } => &mut form.body,
            OpenForm::Reason { form, .. } => &mut form.body,
        }
    }
}
