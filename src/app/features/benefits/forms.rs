//! The Benefits tab's forms: apply for a benefit, edit a draft, amend one in review or
//! approved, and the reason asked before a recall or a cancel.

use cosell_core::partner::ApplicationChange;
use cosell_core::partner::rules::valid_amount;
use cosell_core::partner::types::*;

use super::types::{
    AmendField, ApplyField, EditField, Ending, Intent, NewApplication, OpenForm, ReasonField,
};
use crate::app::core::form::{Field, Form};
use crate::app::core::popup::Confirm;
use crate::app::model::{self, Model, Popup};
use crate::app::msg::{self, Effect};
use crate::app::shared;

/// The apply form: a name made of the benefit and the customer, the opportunity to apply for
/// (any loaded one, by id or customer), and the amount to ask for.
pub fn apply_form(model: &Model, benefit: &Benefit, opportunity: Option<&str>) -> OpenForm {
    let mut candidates: Vec<&OpportunitySummary> = model
        .opportunities
        .table
        .rows
        .iter()
        .filter(|o| o.is_open() || Some(o.id.as_str()) == opportunity)
        .collect();
    candidates.sort_by_key(|o| std::cmp::Reverse(o.last_modified));
    let options = candidates
        .iter()
        .map(|o| {
            let title = o
                .title
                .as_deref()
                .map(|t| format!(" · {t}"))
                .unwrap_or_default();
            (o.id.clone(), format!("{}{title}", o.customer))
        })
        .collect();
    let customer = opportunity
        .and_then(|id| model.opportunities.row(id))
        .map(|o| o.customer.clone());
    let name = match &customer {
        Some(c) => format!("{} for {c}", benefit.name),
        None => benefit.name.clone(),
    };
    let field = |key| match key {
        ApplyField::Name => Field::text("Name", &name, Some(255), "how the application is listed"),
        ApplyField::Opportunity => Field::choice(
            "Opportunity",
            Vec::clone(&options),
            opportunity.unwrap_or(""),
            "type an id or a customer; ←/→ step through open opportunities",
        ),
        ApplyField::Amount => Field::text(
            "Amount (USD)",
            "",
            Some(20),
            "what you ask for, e.g. 25000; empty: the benefit's usual amount",
        ),
    };
    let fields = ApplyField::ALL.into_iter().map(|k| (k, field(k))).collect();
    let mut form = Form::new(format!("Apply for {}", benefit.name), fields);
    form.body.note = benefit.description.clone();
    OpenForm::Apply {
        benefit: benefit.id.clone(),
        form,
    }
}

pub fn edit_form(application: &BenefitApplication, warning: Option<String>) -> OpenForm {
    let field = |key| match key {
        EditField::Name => Field::text(
            "Name",
            application.name.as_deref().unwrap_or(""),
            Some(255),
            "how the application is listed",
        ),
        EditField::Description => Field::multiline(
            "Description",
            application.description.as_deref().unwrap_or(""),
            Some(1000),
            "what the funding is for",
        ),
        EditField::Amount => Field::text(
            "Amount (USD)",
            application.requested.as_deref().unwrap_or(""),
            Some(20),
            "the amount asked for",
        ),
    };
    let fields = EditField::ALL.into_iter().map(|k| (k, field(k))).collect();
    let mut form = Form::new(format!("Edit {}", application.id), fields);
    form.body.banner = warning;
    OpenForm::Edit {
        id: application.id.clone(),
        revision: application.revision.clone().unwrap_or_default(),
        form,
    }
}

pub fn amend_form(application: &BenefitApplication, warning: Option<String>) -> OpenForm {
    let fields = vec![
        (
            AmendField::Amount,
            Field::text(
                "New amount (USD)",
                application.requested.as_deref().unwrap_or(""),
                Some(20),
                "the amount asked for, amended",
            ),
        ),
        (
            AmendField::Reason,
            Field::multiline(
                "Reason",
                "",
                Some(1000),
                "required; AWS's reviewers read it",
            ),
        ),
    ];
    let mut form = Form::new(format!("Amend {}", application.id), fields);
    form.body.banner = warning;
    OpenForm::Amend {
        id: application.id.clone(),
        revision: application.revision.clone().unwrap_or_default(),
        form,
    }
}

pub fn reason_form(
    application: &BenefitApplication,
    ending: Ending,
    warning: Option<String>,
) -> OpenForm {
    let (title, hint) = match ending {
        Ending::Recall => (
            format!("Recall {} from review", application.id),
            "required: why it comes back to a draft",
        ),
        Ending::Cancel => (
            format!("Cancel {}", application.id),
            "optional: why it is canceled",
        ),
    };
    let field = Field::multiline("Reason", "", Some(1000), hint);
    let mut form = Form::new(title, vec![(ReasonField, field)]);
    form.body.banner = warning;
    OpenForm::Reason {
        id: application.id.clone(),
        ending,
        form,
    }
}

/// Ctrl-s on one of the tab's forms.
pub fn submit(model: &mut Model, form: OpenForm) -> Vec<Effect> {
    match form {
        OpenForm::Apply { benefit, form } => submit_apply(model, benefit, form),
        OpenForm::Edit { id, revision, form } => submit_edit(model, id, revision, form),
        OpenForm::Amend { id, revision, form } => submit_amend(model, id, revision, form),
        OpenForm::Reason { id, ending, form } => submit_reason(model, id, ending, form),
    }
}

/// The amount typed, checked: None when empty, an error when it is not a USD amount.
fn amount(text: &str) -> Result<Option<String>, String> {
    let plain: String = text.chars().filter(|c| *c != ',' && *c != ' ').collect();
    let plain = plain.trim_start_matches('$').to_string();
    if plain.is_empty() {
        Ok(None)
    } else if valid_amount(&plain) {
        Ok(Some(plain))
    } else {
        Err(format!(
            "an amount in USD such as 25000 or 25000.50, not '{text}'"
        ))
    }
}

fn keep(model: &mut Model, form: OpenForm) {
    model.form = Some(model::OpenForm::Benefits(form));
}

fn sending(model: &mut Model, intent: Intent) -> Vec<Effect> {
    if let Some(form) = model.form.as_mut() {
        form.body_mut().submitting = true;
    }
    shared::send(model, msg::Intent::Benefits(intent))
}

fn submit_apply(model: &mut Model, benefit: String, mut form: Form<ApplyField>) -> Vec<Effect> {
    let name = form.value(ApplyField::Name);
    let opportunity = form.value(ApplyField::Opportunity);
    let asked = amount(&form.value(ApplyField::Amount));
    let listed = model.opportunities.row(&opportunity).is_some();
    // Listed rows are kept without their ARN (memory); a full record read has it.
    let arn = model
        .opportunities
        .full(&opportunity)
        .and_then(|o| o.summary.arn.as_deref().map(str::to_string));
    let mut ok = true;
    if name.is_empty() {
        form.set_error(ApplyField::Name, "required");
        ok = false;
    }
    if opportunity.is_empty() {
        form.set_error(ApplyField::Opportunity, "choose the opportunity it is for");
        ok = false;
    } else if !listed {
        form.set_error(
            ApplyField::Opportunity,
            format!("{opportunity} is not among the loaded opportunities (R on Opportunities reads them)"),
        );
        ok = false;
    }
    if let Err(why) = &asked {
        form.set_error(ApplyField::Amount, why.clone());
        ok = false;
    }
    let (Ok(amount), true) = (asked, ok) else {
        keep(model, OpenForm::Apply { benefit, form });
        return Vec::new();
    };
    let application = NewApplication {
        benefit: benefit.clone(),
        name,
        opportunity,
        opportunity_arn: arn,
        amount,
    };
    keep(model, OpenForm::Apply { benefit, form });
    let client_token = shared::token_for_content(
        model,
        serde_json::to_string(&application).unwrap_or_default(),
    );
    sending(
        model,
        Intent::Apply {
            application,
            client_token,
        },
    )
}

fn submit_edit(
    model: &mut Model,
    id: String,
    revision: String,
    mut form: Form<EditField>,
) -> Vec<Effect> {
    let before = model.benefits.application(&id).cloned().unwrap_or_default();
    let name = form.value(EditField::Name);
    let description = form.value(EditField::Description);
    let asked = amount(&form.value(EditField::Amount));
    if name.is_empty() {
        form.set_error(EditField::Name, "required");
    }
    let amount = match asked {
        Ok(a) => a,
        Err(why) => {
            form.set_error(EditField::Amount, why);
            None
        }
    };
    if form.body.fields.iter().any(|f| f.error.is_some()) {
        keep(model, OpenForm::Edit { id, revision, form });
        return Vec::new();
    }
    // Only what changed is sent, so an edit does not undo someone else's change elsewhere.
    let change = ApplicationChange {
        revision: revision.clone(),
        name: (Some(&name) != before.name.as_ref()).then_some(name),
        description: (Some(&description) != before.description.as_ref()
            && !(description.is_empty() && before.description.is_none()))
        .then_some(description),
        amount: (amount != before.requested).then_some(amount).flatten(),
    };
    if change.name.is_none() && change.description.is_none() && change.amount.is_none() {
        form.body.banner = Some("Nothing changed: edit a field, or esc to leave.".into());
        keep(model, OpenForm::Edit { id, revision, form });
        return Vec::new();
    }
    keep(
        model,
        OpenForm::Edit {
            id: id.clone(),
            revision,
            form,
        },
    );
    let client_token = shared::token_for_content(model, format!("{id} {}", change.describe()));
    sending(
        model,
        Intent::Update {
            id,
            change,
            client_token,
        },
    )
}

fn submit_amend(
    model: &mut Model,
    id: String,
    revision: String,
    mut form: Form<AmendField>,
) -> Vec<Effect> {
    let reason = form.value(AmendField::Reason);
    let asked = amount(&form.value(AmendField::Amount));
    if reason.is_empty() {
        form.set_error(AmendField::Reason, "required: say why the amount changes");
    }
    let amount = match asked {
        Ok(Some(a)) => Some(a),
        Ok(None) => {
            form.set_error(AmendField::Amount, "the amended amount");
            None
        }
        Err(why) => {
            form.set_error(AmendField::Amount, why);
            None
        }
    };
    let (Some(amount), false) = (amount, reason.is_empty()) else {
        keep(model, OpenForm::Amend { id, revision, form });
        return Vec::new();
    };
    keep(
        model,
        OpenForm::Amend {
            id: id.clone(),
            revision: revision.clone(),
            form,
        },
    );
    let client_token = shared::token_for_content(model, format!("{id} {amount} {reason}"));
    sending(
        model,
        Intent::Amend {
            id,
            revision,
            amount,
            reason,
            client_token,
        },
    )
}

fn submit_reason(
    model: &mut Model,
    id: String,
    ending: Ending,
    mut form: Form<ReasonField>,
) -> Vec<Effect> {
    let reason = form.value(ReasonField);
    if ending == Ending::Recall && reason.is_empty() {
        form.set_error(ReasonField, "required: AWS records why it was recalled");
        keep(model, OpenForm::Reason { id, ending, form });
        return Vec::new();
    }
    let client_token = model.shell.client_token();
    let said = if reason.is_empty() {
        "No reason given.".to_string()
    } else {
        format!("Reason: {reason}")
    };
    let (title, lines, intent) = match ending {
        Ending::Recall => (
            "Recall this application?",
            vec![
                format!("{id} leaves review and becomes a draft again."),
                said,
                "It has to be submitted again to be reviewed.".into(),
            ],
            Intent::Recall {
                id: id.clone(),
                reason,
                client_token,
            },
        ),
        Ending::Cancel => (
            "Cancel this application?",
            vec![
                format!("{id} is canceled."),
                said,
                "This cannot be undone: a canceled application cannot be submitted again; apply anew instead.".into(),
            ],
            Intent::Cancel {
                id: id.clone(),
                reason: (!reason.is_empty()).then_some(reason),
                client_token,
            },
        ),
    };
    // The form stays under the confirmation: "no" returns to it with the text kept.
    keep(model, OpenForm::Reason { id, ending, form });
    model.popup = Some(Popup::Confirm(Confirm {
        title: title.into(),
        lines: {
            let mut all = lines;
            if let Some(banner) = model.form.as_ref().and_then(|f| f.body().banner.clone()) {
                all.push(banner);
            }
            all
        },
        intents: vec![msg::Intent::Benefits(intent)],
    }));
    Vec::new()
}
