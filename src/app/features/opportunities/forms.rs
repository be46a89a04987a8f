//! The Opportunities tab's forms: a new opportunity (its fields from `DraftField`), next steps,
//! the target close date, and assign; what each checks before anything is sent.

use cosell_core::partner::rules::{self, DraftField, EditField, OpportunityDraft};
use cosell_core::partner::types::*;
use cosell_core::partner::vocab;

use super::full_edit::{self, FullField};
use super::types::{AssignField, CreateField, Intent, MarketplaceField, OpenForm, ReadFirst};
use crate::app::Level;
use crate::app::core::form::{Field, Form, labelled_options, plain_options};
use crate::app::core::popup::Confirm;
use crate::app::model::{Model, Popup};
use crate::app::msg::{self, Effect};
use crate::app::shared;

const DAY: Millis = 86_400_000;

/// The field of the create form for `key`, as the form first shows it.
fn draft_field(key: DraftField, close: &str) -> Field {
    let label = key.label();
    match key {
        DraftField::Company => Field::text(label, "", Some(120), "as the customer calls itself"),
        DraftField::Country => Field::choice(
            label,
            labelled_options(vocab::COUNTRIES),
            "US",
            "type a code or a name (de, germ…), or ←/→",
        ),
        DraftField::Industry => Field::choice(
            label,
            plain_options(Industry::VALUES),
            "",
            "type to find (soft…), or ←/→",
        ),
        DraftField::Website => Field::text(
            label,
            "",
            Some(255),
            "the customer's website, e.g. https://example.com",
        ),
        DraftField::PostalCode => Field::text(label, "", Some(20), ""),
        DraftField::StateOrRegion => Field::text(label, "", Some(50), "required for US customers"),
        DraftField::Title => Field::text(label, "", Some(255), ""),
        DraftField::BusinessProblem => Field::multiline(
            label,
            "",
            Some(2000),
            "20-2000 characters: what the customer needs solved",
        ),
        DraftField::MonthlySpend => Field::text(
            label,
            "",
            Some(34),
            "expected AWS spend per month, e.g. 12000",
        ),
        DraftField::Currency => Field::choice(
            label,
            labelled_options(vocab::CURRENCIES),
            "USD",
            "type a code or a name (eur, yen…), or ←/→",
        ),
        DraftField::PrimaryNeeds => {
            Field::multi(label, PrimaryNeed::VALUES, "↑/↓ move, space ticks")
        }
        DraftField::OpportunityType => Field::choice(
            label,
            plain_options(OpportunityType::VALUES),
            OpportunityType::NetNewBusiness.as_str(),
            "←/→ or type to choose",
        ),
        DraftField::TargetClose => Field::text(label, close, Some(10), "YYYY-MM-DD"),
        DraftField::PartnerReference => Field::text(label, "", Some(64), "your CRM's id, optional"),
    }
}

pub fn create_form(now: Millis) -> OpenForm {
    let close = cosell_core::times::date(now + 90 * DAY);
    let empty = serde_json::Value::Object(Default::default());
    let fields = DraftField::ALL
        .into_iter()
        .map(|key| (CreateField::Draft(key), draft_field(key, &close)))
        .chain(FullField::CREATE_MORE.into_iter().map(|key| {
            let mut field = full_edit::field_for(key, &empty);
            if key == FullField::Spend {
                field.label = "Further monthly spend";
            }
            (CreateField::More(key), field)
        }))
        .collect();
    let mut form = Form::new("New opportunity", fields);
    form.body.note = Some(
        "The fields after Partner reference are optional (contacts, team, marketing, …).".into(),
    );
    OpenForm::Create(form)
}

pub fn next_steps_form(row: &OpportunitySummary, based_on: Millis) -> OpenForm {
    let field = Field::multiline(
        "Next steps",
        row.next_steps.as_deref().unwrap_or(""),
        Some(255),
        "What happens next; the history keeps earlier steps",
    );
    OpenForm::Edit {
        id: row.id.clone(),
        based_on,
        form: Form::new(
            format!("Next steps of {} {}", row.id, row.customer),
            vec![(EditField::NextSteps, field)],
        ),
    }
}

/// The form a `ReadFirst` edit opens with, from the full record.
pub fn read_first_form(which: ReadFirst, full: &Opportunity, based_on: Millis) -> OpenForm {
    match which {
        ReadFirst::NextSteps => next_steps_form(&full.summary, based_on),
        ReadFirst::WebsiteAndProblem => website_and_problem_form(full, based_on),
        ReadFirst::Full => full_edit::full_form(full, based_on),
        ReadFirst::Marketplace => marketplace_form(full),
    }
}

/// The customer's website and business problem: what AWS's review asks about most (the demo's
/// Action Required comment asks for both), saved in one update. AWS's comment heads the form.
pub fn website_and_problem_form(full: &Opportunity, based_on: Millis) -> OpenForm {
    let row = &full.summary;
    let website = Field::text(
        "Website",
        row.website.as_deref().unwrap_or(""),
        Some(255),
        "https://… (Customer.Account.WebsiteUrl)",
    );
    let problem = Field::multiline(
        "Business problem",
        full.business_problem.as_deref().unwrap_or(""),
        Some(2000),
        "20 to 2000 characters: the customer's problem, specific (Project.CustomerBusinessProblem)",
    );
    let mut form = Form::new(
        format!(
            "Website and business problem of {} {}",
            row.id, row.customer
        ),
        vec![
            (EditField::Website, website),
            (EditField::BusinessProblem, problem),
        ],
    );
    if let Some(comments) = &row.review_comments {
        form.body.note = Some(format!("AWS asks: {comments}"));
    }
    OpenForm::Edit {
        id: row.id.clone(),
        based_on,
        form,
    }
}

pub fn close_date_form(row: &OpportunitySummary, based_on: Millis) -> OpenForm {
    let field = Field::text(
        "Target close date",
        row.target_close.as_deref().unwrap_or(""),
        Some(10),
        "YYYY-MM-DD",
    );
    OpenForm::Edit {
        id: row.id.clone(),
        based_on,
        form: Form::new(
            format!("Target close date of {} {}", row.id, row.customer),
            vec![(EditField::TargetCloseDate, field)],
        ),
    }
}

const BUSINESS_TITLES: [&str; 2] = ["OpportunityOwner", "PartnerAccountManager"];

/// Everyone cosell has seen on this partner's side: the owners and team members of the
/// records read this session and the partner's alliance lead, by email, once each.
pub fn known_people(model: &Model) -> Vec<Contact> {
    let mut people: Vec<Contact> = Vec::new();
    let teams = model
        .opportunities
        .details
        .values()
        .filter_map(|d| match d {
            crate::app::core::shell::Loadable::Ready(o) => Some(o.team.iter()),
            _ => None,
        });
    let lead = model.profile.partner.as_ref().and_then(|p| match p {
        crate::app::core::shell::Loadable::Ready(p) => p.alliance_lead.clone(),
        _ => None,
    });
    for person in teams.flatten().cloned().chain(lead) {
        if person.email.is_some() && !people.iter().any(|p| p.email == person.email) {
            people.push(person);
        }
    }
    people.sort_by_key(|p| p.name().to_lowercase());
    people
}

pub fn assign_form(row: &OpportunitySummary, people: &[Contact]) -> OpenForm {
    let mut options = vec![(String::new(), "someone new: type below".to_string())];
    options.extend(people.iter().map(|p| {
        let email = p.email.clone().unwrap_or_default();
        let label = match &p.title {
            Some(t) => format!("{} ({t})", p.name()),
            None => p.name(),
        };
        (email, label)
    }));
    let fields = vec![
        (
            AssignField::Person,
            Field::choice(
                "Someone cosell knows",
                options,
                "",
                "type a name or email, or ←/→; fills the fields below",
            ),
        ),
        (
            AssignField::Email,
            Field::text("Email", "", Some(80), "the new owner's email"),
        ),
        (
            AssignField::FirstName,
            Field::text("First name", "", Some(80), ""),
        ),
        (
            AssignField::LastName,
            Field::text("Last name", "", Some(80), ""),
        ),
        (
            AssignField::BusinessTitle,
            Field::text(
                "Business title",
                BUSINESS_TITLES[0],
                Some(80),
                "OpportunityOwner, or PartnerAccountManager to update the owner's details",
            ),
        ),
        (
            AssignField::Phone,
            Field::text("Phone", "", Some(16), "optional, +15555550100"),
        ),
    ];
    OpenForm::Assign {
        id: row.id.clone(),
        form: Form::new(format!("Assign {} {}", row.id, row.customer), fields),
    }
}

/// The optional members the create form's further fields hold, or each bad one with why.
fn more_of(form: &Form<CreateField>) -> Result<serde_json::Value, Vec<(CreateField, String)>> {
    let mut more = serde_json::Value::Object(Default::default());
    let mut bad = Vec::new();
    for key in FullField::CREATE_MORE {
        match full_edit::value_of(key, form.field(CreateField::More(key))) {
            Ok(serde_json::Value::Null) => {}
            Ok(value) => cosell_core::partner::document::set(&mut more, key.path(), value),
            Err(problem) => bad.push((CreateField::More(key), problem)),
        }
    }
    if bad.is_empty() { Ok(more) } else { Err(bad) }
}

pub fn draft_of(form: &Form<CreateField>) -> OpportunityDraft {
    let v = |key| form.value(CreateField::Draft(key));
    OpportunityDraft {
        more: more_of(form).unwrap_or_default(),
        company: v(DraftField::Company),
        country: v(DraftField::Country).to_uppercase(),
        industry: v(DraftField::Industry),
        website: v(DraftField::Website),
        postal_code: v(DraftField::PostalCode),
        state_or_region: v(DraftField::StateOrRegion),
        title: v(DraftField::Title),
        business_problem: v(DraftField::BusinessProblem),
        monthly_spend: Money {
            amount: v(DraftField::MonthlySpend),
            currency: v(DraftField::Currency).to_uppercase(),
        },
        primary_needs: form
            .field(CreateField::Draft(DraftField::PrimaryNeeds))
            .chosen(),
        opportunity_type: v(DraftField::OpportunityType),
        target_close: v(DraftField::TargetClose),
        partner_reference: v(DraftField::PartnerReference),
    }
}

/// After an edit in the create form, the field being typed shows its problem at once (other
/// fields wait until they are edited or submitted).
pub fn check_as_typed(form: &mut Form<CreateField>, today: &str) {
    let focus = form.focused();
    let problem = match focus {
        CreateField::Draft(draft_field) => draft_of(form)
            .problems(today)
            .into_iter()
            .find(|(field, _)| *field == draft_field)
            .map(|(_, message)| message),
        CreateField::More(key) => full_edit::value_of(key, form.field(focus)).err(),
    };
    form.field_mut(focus).error = problem;
}

/// After a change to an Opportunities form: the assign form fills in the person chosen.
pub fn after_input(form: &mut OpenForm, people: &[Contact]) {
    let OpenForm::Assign { form, .. } = form else {
        return;
    };
    if form.focused() != AssignField::Person {
        return;
    }
    let email = form.value(AssignField::Person);
    let Some(person) = people
        .iter()
        .find(|p| p.email.as_deref() == Some(email.as_str()))
    else {
        return;
    };
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    form.field_mut(AssignField::Email).set_value(&email);
    form.field_mut(AssignField::FirstName)
        .set_value(&text(&person.first_name));
    form.field_mut(AssignField::LastName)
        .set_value(&text(&person.last_name));
    if let Some(title) = &person.title {
        form.field_mut(AssignField::BusinessTitle).set_value(title);
    }
    form.field_mut(AssignField::Phone)
        .set_value(&text(&person.phone));
}

/// Open opportunities that look like the same customer: same name (loosely) or same website.
pub fn duplicates_of<'a>(
    rows: &'a [OpportunitySummary],
    company: &str,
    website: Option<&str>,
) -> Vec<&'a OpportunitySummary> {
    let name = rules::normalize_company(company);
    let domain = website.and_then(rules::domain_of);
    rows.iter()
        .filter(|o| o.is_open())
        .filter(|o| {
            (!name.is_empty() && rules::normalize_company(&o.customer) == name)
                || (domain.is_some() && o.website.as_deref().and_then(rules::domain_of) == domain)
        })
        .collect()
}

fn send(model: &mut Model, intent: Intent) -> Vec<Effect> {
    shared::send(model, msg::Intent::Opportunities(intent))
}

/// Ctrl-s on one of the tab's forms.
pub fn submit(model: &mut Model, form: OpenForm) -> Vec<Effect> {
    match form {
        OpenForm::Create(form) => submit_create(model, form),
        OpenForm::Edit { id, based_on, form } => submit_edit(model, id, based_on, form),
        OpenForm::Assign { id, form } => submit_assign(model, id, form),
        OpenForm::Full {
            id,
            based_on,
            original,
            form,
        } => submit_full(model, id, based_on, original, form),
        OpenForm::Marketplace { id, linked, form } => submit_marketplace(model, id, linked, form),
    }
}

/// Puts `form` back as the open form, marked as sending or not.
fn reopen(model: &mut Model, form: OpenForm, sending: bool) {
    let mut form = crate::app::model::OpenForm::Opportunities(form);
    form.body_mut().submitting = sending;
    model.form = Some(form);
}

fn submit_create(model: &mut Model, mut form: Form<CreateField>) -> Vec<Effect> {
    let draft = draft_of(&form);
    let mut problems: Vec<(CreateField, String)> = draft
        .problems(&model.shell.today())
        .into_iter()
        .map(|(field, message)| (CreateField::Draft(field), message))
        .collect();
    problems.extend(more_of(&form).err().unwrap_or_default());
    let document = draft.document();
    let empty = serde_json::Value::Object(Default::default());
    for (path, message) in rules::document_problems(&empty, &document, &model.shell.today())
        .into_iter()
        .chain(
            cosell_core::partner::document::check(
                &document,
                cosell_core::partner::document::Request::Create,
            )
            .into_iter()
            .map(|f| (f.path.clone(), f.to_string())),
        )
    {
        let field = FullField::for_path(&path)
            .filter(|f| FullField::CREATE_MORE.contains(f))
            .map(CreateField::More)
            .or_else(|| DraftField::for_path(&path).map(CreateField::Draft));
        if let Some(field) = field
            && !problems.iter().any(|(f, _)| *f == field)
        {
            problems.push((field, message));
        }
    }
    if let Some((first, _)) = problems.first() {
        let first = *first;
        for (field, message) in &problems {
            form.set_error(*field, message.clone());
        }
        form.body.banner = Some(format!(
            "{} fields need attention; nothing was sent.",
            problems.len()
        ));
        form.focus_on(first);
        reopen(model, OpenForm::Create(form), false);
        return Vec::new();
    }
    reopen(model, OpenForm::Create(form), false);
    let client_token =
        shared::token_for_content(model, serde_json::to_string(&draft).unwrap_or_default());
    let duplicates: Vec<String> = duplicates_of(
        &model.opportunities.table.rows,
        &draft.company,
        Some(&draft.website),
    )
    .iter()
    .take(3)
    .map(|o| {
        format!(
            "{} {} ({}, {})",
            o.id,
            o.customer,
            o.stage.as_ref().map_or("?", Stage::as_str),
            o.review_status.as_ref().map_or("?", ReviewStatus::as_str)
        )
    })
    .collect();
    let intent = Intent::Create {
        draft: Box::new(draft),
        client_token,
    };
    if !duplicates.is_empty() {
        let mut lines = vec!["An open opportunity already names this customer:".to_string()];
        lines.extend(duplicates);
        lines.push("AWS rejects duplicates. Create it anyway?".into());
        model.popup = Some(Popup::Confirm(Confirm {
            title: "Possible duplicate".into(),
            lines,
            intents: vec![msg::Intent::Opportunities(intent)],
        }));
        return Vec::new();
    }
    if let Some(form) = model.form.as_mut() {
        form.body_mut().submitting = true;
    }
    send(model, intent)
}

/// The edit an edit form asks for, or None with each bad field marked: the same rules as the
/// new-opportunity form (lengths, a website, a close date not in the past).
fn edit_from_form(form: &mut Form<EditField>, today: &str) -> Option<OpportunityEdit> {
    if form.has(EditField::NextSteps) {
        let text = form.value(EditField::NextSteps);
        let count = text.chars().count();
        if count == 0 || count > 255 {
            form.set_error(
                EditField::NextSteps,
                format!("1 to 255 characters ({count} now)"),
            );
            return None;
        }
        return Some(OpportunityEdit::NextSteps(text));
    }
    if form.has(EditField::Website) {
        let website = form.value(EditField::Website);
        let business_problem = form.value(EditField::BusinessProblem);
        let website_problem = rules::website_problem(&website);
        let text_problem = rules::business_problem_problem(&business_problem);
        if let Some(problem) = &website_problem {
            form.set_error(EditField::Website, problem.clone());
        }
        if let Some(problem) = &text_problem {
            form.set_error(EditField::BusinessProblem, problem.clone());
        }
        if website_problem.is_some() || text_problem.is_some() {
            return None;
        }
        return Some(OpportunityEdit::WebsiteAndProblem {
            website,
            business_problem,
        });
    }
    let date = form.value(EditField::TargetCloseDate);
    // The same rule as the new-opportunity form: a date, and not in the past.
    if let Some(problem) = rules::close_date_problem(&date, today) {
        form.set_error(EditField::TargetCloseDate, problem);
        return None;
    }
    Some(OpportunityEdit::TargetCloseDate(date))
}

fn submit_edit(
    model: &mut Model,
    id: String,
    based_on: Millis,
    mut form: Form<EditField>,
) -> Vec<Effect> {
    let Some(edit) = edit_from_form(&mut form, &model.shell.today()) else {
        reopen(model, OpenForm::Edit { id, based_on, form }, false);
        return Vec::new();
    };
    let open = OpenForm::Edit {
        id: id.clone(),
        based_on,
        form,
    };
    send_edit(model, open, id, based_on, edit)
}

fn submit_full(
    model: &mut Model,
    id: String,
    based_on: Millis,
    original: serde_json::Value,
    mut form: Form<FullField>,
) -> Vec<Effect> {
    let Some((patch, paths)) = full_edit::patch_from(&mut form, &original, &model.shell.today())
    else {
        form.body.focus_first_error();
        let open = OpenForm::Full {
            id,
            based_on,
            original,
            form,
        };
        reopen(model, open, false);
        return Vec::new();
    };
    if paths.is_empty() {
        model
            .shell
            .toast(Level::Info, format!("{id}: nothing changed, nothing sent"));
        return Vec::new();
    }
    let open = OpenForm::Full {
        id: id.clone(),
        based_on,
        original,
        form,
    };
    send_edit(
        model,
        open,
        id,
        based_on,
        OpportunityEdit::Fields { patch, paths },
    )
}

/// Sends an edit form's change; on an Action Required record, only after saying that saving
/// answers AWS's review. The form stays open (marked as sending) until the result arrives.
fn send_edit(
    model: &mut Model,
    open: OpenForm,
    id: String,
    based_on: Millis,
    edit: OpportunityEdit,
) -> Vec<Effect> {
    let review = model
        .opportunities
        .row(&id)
        .and_then(|r| r.review_status.clone());
    if review == Some(ReviewStatus::ActionRequired) {
        // Saving answers AWS's review: the record goes back to In review, locked, so a typo
        // could not be fixed until AWS answers. Say so before anything is sent.
        let what = edit.describe();
        reopen(model, open, false);
        model.popup = Some(Popup::Confirm(Confirm {
            title: format!("Send {id} back to AWS review?"),
            lines: vec![
                format!("{id} is Action Required. Saving {what} answers AWS's review:"),
                "the record goes back to In review and is locked until AWS answers,".into(),
                "so nothing on it can be corrected meanwhile.".into(),
            ],
            intents: vec![msg::Intent::Opportunities(Intent::Update {
                id,
                based_on,
                edit,
            })],
        }));
        return Vec::new();
    }
    reopen(model, open, true);
    send(model, Intent::Update { id, based_on, edit })
}

const MARKETPLACE_KINDS: [(LinkKind, &str); 2] = [
    (LinkKind::MarketplaceOffer, "AWS Marketplace offer"),
    (LinkKind::MarketplaceOfferSet, "AWS Marketplace offer set"),
];
const LINK: &str = "link";
const UNLINK: &str = "unlink";

/// Links or unlinks an AWS Marketplace offer or offer set by its id (AWS Marketplace has no
/// list cosell could offer; the record's own links are shown, to unlink by copying one).
pub fn marketplace_form(full: &Opportunity) -> OpenForm {
    let row = &full.summary;
    let kinds = MARKETPLACE_KINDS
        .iter()
        .map(|(kind, label)| (kind.api_name().to_string(), label.to_string()))
        .collect();
    let fields = vec![
        (
            MarketplaceField::Kind,
            Field::choice(
                "Kind",
                kinds,
                LinkKind::MarketplaceOffer.api_name(),
                "←/→: an offer or an offer set",
            ),
        ),
        (
            MarketplaceField::Entity,
            Field::text(
                "Offer or offer set",
                "",
                Some(255),
                "its ARN or id, as AWS Marketplace shows it",
            ),
        ),
        (
            MarketplaceField::Action,
            Field::choice(
                "Link or unlink",
                vec![
                    (LINK.to_string(), "link it to the opportunity".to_string()),
                    (UNLINK.to_string(), "unlink it".to_string()),
                ],
                LINK,
                "←/→",
            ),
        ),
    ];
    let mut form = Form::new(
        format!("AWS Marketplace links of {} {}", row.id, row.customer),
        fields,
    );
    form.body.note = Some(if full.marketplace_entities.is_empty() {
        "Nothing from AWS Marketplace is linked yet (one offer and one offer set at most).".into()
    } else {
        format!("Linked now: {}", full.marketplace_entities.join(", "))
    });
    form.focus_on(MarketplaceField::Entity);
    OpenForm::Marketplace {
        id: row.id.clone(),
        linked: full.marketplace_entities.clone(),
        form,
    }
}

fn submit_marketplace(
    model: &mut Model,
    id: String,
    linked_now: Vec<String>,
    mut form: Form<MarketplaceField>,
) -> Vec<Effect> {
    let entity = form.value(MarketplaceField::Entity);
    let kind = MARKETPLACE_KINDS
        .iter()
        .map(|(k, _)| *k)
        .find(|k| k.api_name() == form.value(MarketplaceField::Kind))
        .unwrap_or(LinkKind::MarketplaceOffer);
    let linked = form.value(MarketplaceField::Action) != UNLINK;
    let present = linked_now.contains(&entity);
    let problem = if entity.is_empty() {
        Some("required: the ARN or id".to_string())
    } else if linked && present {
        Some(format!("already linked to {id}"))
    } else if !linked && !present {
        Some(format!("not linked to {id}"))
    } else {
        None
    };
    let sending = problem.is_none();
    if let Some(problem) = problem {
        form.set_error(MarketplaceField::Entity, problem);
    }
    let open = OpenForm::Marketplace {
        id: id.clone(),
        linked: linked_now,
        form,
    };
    reopen(model, open, sending);
    if !sending {
        return Vec::new();
    }
    send(
        model,
        Intent::Link {
            id,
            kind,
            entity,
            linked,
        },
    )
}

/// E.164 as the API wants it: `+` and up to 15 digits.
fn valid_phone(phone: &str) -> bool {
    phone.strip_prefix('+').is_some_and(|digits| {
        (2..=15).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit())
    })
}

fn submit_assign(model: &mut Model, id: String, mut form: Form<AssignField>) -> Vec<Effect> {
    let v = |key| form.value(key);
    let (email, first, last, title, phone) = (
        v(AssignField::Email),
        v(AssignField::FirstName),
        v(AssignField::LastName),
        v(AssignField::BusinessTitle),
        v(AssignField::Phone),
    );
    let mut bad = Vec::new();
    if !(email.contains('@') && email.contains('.')) {
        bad.push((AssignField::Email, "an email address"));
    }
    for (key, value) in [
        (AssignField::FirstName, &first),
        (AssignField::LastName, &last),
        (AssignField::BusinessTitle, &title),
    ] {
        if value.is_empty() {
            bad.push((key, "required"));
        }
    }
    if !phone.is_empty() && !valid_phone(&phone) {
        bad.push((AssignField::Phone, "international format: + and digits"));
    }
    let sending = bad.is_empty();
    for (key, message) in bad {
        form.set_error(key, message);
    }
    reopen(
        model,
        OpenForm::Assign {
            id: id.clone(),
            form,
        },
        sending,
    );
    if !sending {
        return Vec::new();
    }
    let assignee = Contact {
        email: Some(email),
        first_name: Some(first),
        last_name: Some(last),
        title: Some(title),
        phone: (!phone.is_empty()).then_some(phone),
    };
    send(model, Intent::Assign { id, assignee })
}
