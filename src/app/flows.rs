//! The opportunity actions: stage, next steps, target close date, create, assign, link
//! solutions, submit. Each starts from a key, may pass through pickers, forms and a
//! confirmation, and ends in an `Effect::Mutate` whose result comes back as `Msg::Mutated`.

use crossterm::event::{KeyCode, KeyEvent};

use super::keymap::Action;
use super::model::*;
use super::popup::*;
use cosell_core::partner::rules::{self, EditField, OpportunityDraft};
use cosell_core::partner::types::*;

const DAY: Millis = 86_400_000;

fn refuse_readonly(model: &mut Model) -> bool {
    if model.offline {
        model.toast(Level::Error, "Offline: changes are off while Partner Central cannot be reached. Press R to try again.");
        return true;
    }
    if model.context.readonly {
        model.toast(
            Level::Error,
            "Read-only mode: changes are turned off (started with --readonly or readonly = true in the config). Restart without it to make changes.",
        );
        return true;
    }
    false
}

/// The selected opportunity, unless a change to it is already in flight.
fn editable_selection(model: &mut Model) -> Option<OpportunitySummary> {
    let row = model.opportunities.selected_row()?.clone();
    if let Some(what) = model.pending.get(&row.id) {
        let text = format!(
            "{} is still saving ({what}); wait for it to finish.",
            row.id
        );
        model.toast(Level::Error, text);
        return None;
    }
    Some(row)
}

fn locked(model: &mut Model, row: &OpportunitySummary, field: EditField) -> bool {
    if let Some(reason) = rules::lock_reason(row, field) {
        model.toast(Level::Error, reason);
        return true;
    }
    false
}

pub fn refetch_opportunity(model: &mut Model, id: &str) -> Effect {
    let request = model.take_request();
    let key = DetailKey::Opportunity(id.to_string());
    model
        .details
        .insert(key.clone(), Loadable::Loading(request));
    Effect::Fetch { request, key }
}

fn send(model: &mut Model, intent: Intent) -> Vec<Effect> {
    let request = model.take_request();
    let label = match &intent {
        Intent::Update { edit, .. } => edit.describe(),
        Intent::Assign { assignee, .. } => format!("assigning to {}", assignee.name()),
        Intent::Link {
            solution, linked, ..
        } => format!(
            "{} {solution}",
            if *linked { "linking" } else { "unlinking" }
        ),
        Intent::Submit { .. } => "submitting to AWS".to_string(),
        Intent::Accept { .. } => "accepting".to_string(),
        Intent::Reject { .. } => "rejecting".to_string(),
        Intent::AnswerConnection { .. } | Intent::CancelConnection { .. } => "updating".to_string(),
        Intent::Invite { .. } => String::new(),
        Intent::Create { .. } => String::new(),
    };
    if !intent.target().is_empty() {
        model.pending.insert(intent.target().to_string(), label);
    }
    vec![Effect::Mutate {
        request,
        intent: Box::new(intent),
    }]
}

/// Quick-filter groups of a list: (group, label, values).
fn quick_groups(list: ListId) -> Vec<(&'static str, &'static str, &'static [&'static str])> {
    match list {
        ListId::Opportunities => vec![
            ("stage", "Stage", &rules::STAGES[..]),
            (
                "review",
                "Review",
                &[
                    "Pending Submission",
                    "Submitted",
                    "In review",
                    "Approved",
                    "Action Required",
                    "Rejected",
                ][..],
            ),
        ],
        ListId::Referrals => vec![
            ("status", "Status", &rules::REFERRAL_STATUSES[..]),
            (
                "type",
                "Type",
                &["OpportunityInvitation", "LeadInvitation"][..],
            ),
        ],
        ListId::Solutions => vec![("status", "Status", &["Active", "Inactive", "Draft"][..])],
        _ => Vec::new(),
    }
}

/// The quick-filter picker of the focused list, ticked as the filter stands.
pub fn open_quick_filter(model: &mut Model) {
    let list = model.focused_list();
    let current = match list {
        ListId::Opportunities => &model.opportunities.quick,
        ListId::Referrals => &model.referrals.quick,
        ListId::Solutions => &model.solutions.quick,
        _ => return,
    };
    let mut options = Vec::new();
    let mut checked = Vec::new();
    for (group, label, values) in quick_groups(list) {
        for value in values {
            options.push(format!("{label}: {value}"));
            checked.push(current.iter().any(|(g, v)| g == group && v == value));
        }
    }
    let mut picker = Picker::single("Quick filters", options, PickFor::QuickFilter);
    picker.checked = Some(checked);
    picker.footer = if list == ListId::Opportunities {
        "space ticks, enter applies; R then reads only these".into()
    } else {
        "space ticks, enter applies; within a group any ticked value matches".into()
    };
    model.popup = Some(Popup::Picker(picker));
}

/// Normal-mode actions of the Opportunities tab.
pub fn start(model: &mut Model, action: Action) -> Vec<Effect> {
    if action == Action::QuickFilter {
        open_quick_filter(model);
        return Vec::new();
    }
    if refuse_readonly(model) {
        return Vec::new();
    }
    if action == Action::NewOpportunity {
        model.form = Some(create_form(model.now));
        return Vec::new();
    }
    let Some(row) = editable_selection(model) else {
        return Vec::new();
    };
    let Some(based_on) = row.last_modified else {
        return Vec::new();
    };
    match action {
        Action::EditStage => {
            if locked(model, &row, EditField::Stage) {
                return Vec::new();
            }
            let options: Vec<String> = rules::STAGES.iter().map(|s| s.to_string()).collect();
            let mut picker = Picker::single(
                format!("Stage of {} {}", row.id, row.customer),
                options,
                PickFor::Stage { id: row.id.clone() },
            );
            let current = row.stage.as_deref().unwrap_or("");
            picker.cursor = rules::STAGES
                .iter()
                .position(|s| *s == current)
                .unwrap_or(0);
            picker.notes = rules::STAGES
                .iter()
                .map(|s| {
                    if *s == current {
                        "current".to_string()
                    } else {
                        String::new()
                    }
                })
                .collect();
            model.popup = Some(Popup::Picker(picker));
        }
        Action::EditNextSteps => {
            if locked(model, &row, EditField::NextSteps) {
                return Vec::new();
            }
            let field = Field::multiline(
                "Next steps",
                row.next_steps.as_deref().unwrap_or(""),
                Some(255),
                "What happens next; the history keeps earlier steps",
            );
            model.form = Some(Form::new(
                format!("Next steps of {} {}", row.id, row.customer),
                FormFor::NextSteps {
                    id: row.id.clone(),
                    based_on,
                },
                vec![field],
            ));
        }
        Action::EditCloseDate => {
            if locked(model, &row, EditField::TargetCloseDate) {
                return Vec::new();
            }
            let field = Field::text(
                "Target close date",
                row.target_close.as_deref().unwrap_or(""),
                Some(10),
                "YYYY-MM-DD",
            );
            model.form = Some(Form::new(
                format!("Target close date of {} {}", row.id, row.customer),
                FormFor::TargetCloseDate {
                    id: row.id.clone(),
                    based_on,
                },
                vec![field],
            ));
        }
        Action::Assign => {
            let fields = vec![
                Field::text("Email", "", Some(80), "the new owner's email"),
                Field::text("First name", "", Some(80), ""),
                Field::text("Last name", "", Some(80), ""),
                Field::choice(
                    "Business title",
                    &["OpportunityOwner", "PartnerAccountManager"],
                    "OpportunityOwner",
                    true,
                    "←/→ choose, or type",
                ),
                Field::text("Phone", "", Some(16), "optional, +15555550100"),
            ];
            model.form = Some(Form::new(
                format!("Assign {} {}", row.id, row.customer),
                FormFor::Assign { id: row.id.clone() },
                fields,
            ));
        }
        Action::LinkSolutions => return open_link_picker(model, &row),
        Action::Submit => {
            let review = row.review_status.as_deref().unwrap_or("Pending Submission");
            if review != "Pending Submission" {
                let text = format!(
                    "{} is {review}: only opportunities pending submission can be submitted to AWS.",
                    row.id
                );
                model.toast(Level::Error, text);
                return Vec::new();
            }
            let options = rules::INVOLVEMENT_TYPES
                .iter()
                .map(|s| s.to_string())
                .collect();
            let mut picker = Picker::single(
                format!("Submit {} to AWS: involvement", row.id),
                options,
                PickFor::Involvement { id: row.id.clone() },
            );
            picker.notes = vec!["AWS sells with you".into(), "AWS is informed only".into()];
            model.popup = Some(Popup::Picker(picker));
        }
        _ => {}
    }
    Vec::new()
}

fn open_link_picker(model: &mut Model, row: &OpportunitySummary) -> Vec<Effect> {
    let linked: Option<Vec<String>> =
        match model.details.get(&DetailKey::Opportunity(row.id.clone())) {
            Some(Loadable::Ready(Detail::Opportunity(o))) => Some(o.solutions.clone()),
            _ => None,
        };
    let mut options: Vec<&Solution> = model
        .solutions
        .rows
        .iter()
        .filter(|s| s.status == "Active")
        .collect();
    if let Some(linked) = &linked {
        // Keep linked solutions visible even if they are no longer active, so they can be unlinked.
        for s in model
            .solutions
            .rows
            .iter()
            .filter(|s| s.status != "Active" && linked.contains(&s.id))
        {
            options.push(s);
        }
    }
    if options.is_empty() {
        model.toast(Level::Error, "No active solutions to link. Solutions are registered in Partner Central; press 3 to see them.");
        return Vec::new();
    }
    let mut picker = Picker::single(
        format!("Solutions linked to {} {}", row.id, row.customer),
        options
            .iter()
            .map(|s| format!("{} {}", s.id, s.name))
            .collect(),
        PickFor::LinkSolutions { id: row.id.clone() },
    );
    picker.notes = options
        .iter()
        .map(|s| {
            if s.status == "Active" {
                String::new()
            } else {
                s.status.clone()
            }
        })
        .collect();
    picker.checked = Some(
        options
            .iter()
            .map(|s| linked.as_ref().is_some_and(|l| l.contains(&s.id)))
            .collect(),
    );
    picker.max_checked = Some(10);
    picker.footer = "space ticks, enter applies (at most 10 solutions per opportunity)".into();
    let mut effects = Vec::new();
    if linked.is_none() {
        picker.footer = "loading the current links…".into();
        effects.push(refetch_opportunity(model, &row.id));
    }
    model.popup = Some(Popup::Picker(picker));
    effects
}

/// When the full record arrives while the link picker waits for it, tick what is linked.
pub fn on_opportunity_detail(model: &mut Model, opportunity: &Opportunity) {
    if let Some(Popup::Picker(picker)) = &mut model.popup
        && picker.purpose
            == (PickFor::LinkSolutions {
                id: opportunity.summary.id.clone(),
            })
        && picker.footer.starts_with("loading")
    {
        picker.checked = Some(
            picker
                .options
                .iter()
                .map(|o| {
                    opportunity
                        .solutions
                        .iter()
                        .any(|s| o.starts_with(&format!("{s} ")))
                })
                .collect(),
        );
        picker.footer = "space ticks, enter applies (at most 10 solutions per opportunity)".into();
    }
}

pub fn create_form(now: Millis) -> Form {
    let close = cosell_core::times::date(now + 90 * DAY);
    let fields = vec![
        Field::text(
            "Customer company",
            "",
            Some(120),
            "as the customer calls itself",
        ),
        Field::choice(
            "Country",
            &rules::COUNTRIES,
            "US",
            true,
            "←/→ common ones, or type an ISO code",
        ),
        Field::choice("Industry", &rules::INDUSTRIES, "", false, "←/→ to choose"),
        Field::text(
            "Website",
            "",
            Some(255),
            "the customer's website, e.g. https://example.com",
        ),
        Field::text("Postal code", "", Some(20), ""),
        Field::text("State / region", "", Some(50), "required for US customers"),
        Field::text("Project title", "", Some(255), ""),
        Field::multiline(
            "Business problem",
            "",
            Some(2000),
            "20-2000 characters: what the customer needs solved",
        ),
        Field::text(
            "Monthly spend",
            "",
            Some(34),
            "expected AWS spend per month, e.g. 12000",
        ),
        Field::choice("Currency", &rules::CURRENCIES, "USD", true, "←/→ or type"),
        Field::multi(
            "Primary needs from AWS",
            &rules::PRIMARY_NEEDS,
            "←/→ move, space ticks",
        ),
        Field::choice(
            "Opportunity type",
            &rules::OPPORTUNITY_TYPES,
            "Net New Business",
            false,
            "←/→ to choose",
        ),
        Field::text("Target close date", &close, Some(10), "YYYY-MM-DD"),
        Field::text("Partner reference", "", Some(64), "your CRM's id, optional"),
    ];
    Form::new("New opportunity", FormFor::CreateOpportunity, fields)
}

fn draft_of(form: &Form) -> OpportunityDraft {
    let v = |i: usize| form.fields[i].value().trim().to_string();
    OpportunityDraft {
        company: v(0),
        country: v(1).to_uppercase(),
        industry: v(2),
        website: v(3),
        postal_code: v(4),
        state_or_region: v(5),
        title: v(6),
        business_problem: v(7),
        monthly_spend: Money {
            amount: v(8),
            currency: v(9).to_uppercase(),
        },
        primary_needs: form.fields[10].chosen(),
        opportunity_type: v(11),
        target_close: v(12),
        partner_reference: v(13),
    }
}

/// Open opportunities that look like the same customer: same name (loosely) or same website.
pub fn duplicates_of<'a>(
    model: &'a Model,
    company: &str,
    website: Option<&str>,
) -> Vec<&'a OpportunitySummary> {
    let name = rules::normalize_company(company);
    let domain = website.and_then(rules::domain_of);
    model
        .opportunities
        .rows
        .iter()
        .filter(|o| !matches!(o.stage.as_deref(), Some("Launched") | Some("Closed Lost")))
        .filter(|o| {
            (!name.is_empty() && rules::normalize_company(&o.customer) == name)
                || (domain.is_some() && o.website.as_deref().and_then(rules::domain_of) == domain)
        })
        .collect()
}

/// Keys while a picker, confirmation or conflict popup is open.
pub fn on_popup(model: &mut Model, action: Action) -> Vec<Effect> {
    let Some(popup) = model.popup.take() else {
        return Vec::new();
    };
    match (popup, action) {
        (_, Action::ForceQuit) => {
            model.should_quit = true;
            Vec::new()
        }
        (Popup::Picker(mut picker), Action::Down | Action::Up) => {
            let n = picker.visible().len().max(1);
            picker.cursor = if action == Action::Down {
                (picker.cursor + 1) % n
            } else {
                (picker.cursor + n - 1) % n
            };
            model.popup = Some(Popup::Picker(picker));
            Vec::new()
        }
        (Popup::Picker(mut picker), Action::Toggle) => {
            let at = picker.current().unwrap_or(0);
            if let Some(checked) = &mut picker.checked {
                let ticked = checked.iter().filter(|c| **c).count();
                let c = &mut checked[at];
                if !*c && picker.max_checked.is_some_and(|m| ticked >= m) {
                    picker.footer = format!(
                        "at most {} can be linked; untick one first",
                        picker.max_checked.unwrap_or(0)
                    );
                } else {
                    *c = !*c;
                }
            }
            model.popup = Some(Popup::Picker(picker));
            Vec::new()
        }
        (Popup::Picker(picker), Action::Choose) => chose(model, picker),
        (Popup::Confirm(confirm), Action::Yes) => {
            if let Some(Intent::Create { .. }) = confirm.intents.first()
                && let Some(form) = &mut model.form
            {
                form.submitting = true;
            }
            if confirm.intents.len() > 1 {
                let what = match confirm.intents[0] {
                    Intent::Accept { .. } => "accepting",
                    Intent::Reject { .. } => "rejecting",
                    _ => "sending",
                };
                model.batch = Some(Batch {
                    what,
                    ids: confirm
                        .intents
                        .iter()
                        .map(|i| i.target().to_string())
                        .collect(),
                    done: 0,
                    failed: 0,
                });
            }
            confirm
                .intents
                .into_iter()
                .flat_map(|intent| send(model, intent))
                .collect()
        }
        (Popup::DiscardForm, Action::Yes) => {
            model.form = None;
            Vec::new()
        }
        (Popup::Conflict { id, edit, latest }, Action::Reapply) => {
            if let Some(reason) = rules::lock_reason(&latest.summary, edit_field(&edit)) {
                model.toast(Level::Error, format!("Cannot re-apply: {reason}"));
                return Vec::new();
            }
            let based_on = latest.summary.last_modified.unwrap_or_default();
            send(model, Intent::Update { id, based_on, edit })
        }
        (Popup::Confirm(_) | Popup::DiscardForm, Action::No) | (_, Action::Back) => Vec::new(),
        (popup, _) => {
            model.popup = Some(popup);
            Vec::new()
        }
    }
}

fn edit_field(edit: &OpportunityEdit) -> EditField {
    match edit {
        OpportunityEdit::Stage { .. } => EditField::Stage,
        OpportunityEdit::NextSteps(_) => EditField::NextSteps,
        OpportunityEdit::TargetCloseDate(_) => EditField::TargetCloseDate,
    }
}

fn based_on(model: &Model, id: &str) -> Option<Millis> {
    model
        .opportunities
        .rows
        .iter()
        .find(|o| o.id == id)
        .and_then(|o| o.last_modified)
}

fn chose(model: &mut Model, picker: Picker) -> Vec<Effect> {
    // The cursor counts the options the query leaves visible, not all of them.
    let Some(index) = picker.current() else {
        model.popup = Some(Popup::Picker(picker));
        return Vec::new();
    };
    let choice = picker.options[index].clone();
    match picker.purpose {
        PickFor::Stage { id } => {
            let current = model
                .opportunities
                .rows
                .iter()
                .find(|o| o.id == id)
                .and_then(|o| o.stage.clone());
            if current.as_deref() == Some(choice.as_str()) {
                return Vec::new();
            }
            if choice == "Closed Lost" {
                let options = rules::CLOSED_LOST_REASONS
                    .iter()
                    .map(|s| s.to_string())
                    .collect();
                let picker = Picker::single(
                    format!("Why was {id} lost?"),
                    options,
                    PickFor::ClosedLostReason { id },
                );
                model.popup = Some(Popup::Picker(picker));
                return Vec::new();
            }
            let Some(based_on) = based_on(model, &id) else {
                return Vec::new();
            };
            send(
                model,
                Intent::Update {
                    id,
                    based_on,
                    edit: OpportunityEdit::Stage {
                        stage: choice,
                        closed_lost_reason: None,
                    },
                },
            )
        }
        PickFor::ClosedLostReason { id } => {
            let Some(based_on) = based_on(model, &id) else {
                return Vec::new();
            };
            let edit = OpportunityEdit::Stage {
                stage: "Closed Lost".into(),
                closed_lost_reason: Some(choice),
            };
            send(model, Intent::Update { id, based_on, edit })
        }
        PickFor::LinkSolutions { id } => {
            let Some(checked) = picker.checked else {
                return Vec::new();
            };
            if picker.footer.starts_with("loading") {
                model.toast(
                    Level::Error,
                    "The current links are still loading; try again in a moment.",
                );
                model.popup = Some(Popup::Picker(Picker {
                    checked: Some(checked),
                    purpose: PickFor::LinkSolutions { id },
                    ..picker
                }));
                return Vec::new();
            }
            let linked: Vec<String> = match model.details.get(&DetailKey::Opportunity(id.clone())) {
                Some(Loadable::Ready(Detail::Opportunity(o))) => o.solutions.clone(),
                _ => Vec::new(),
            };
            let mut effects = Vec::new();
            for (option, tick) in picker.options.iter().zip(checked) {
                let solution = option.split(' ').next().unwrap_or_default().to_string();
                let was = linked.contains(&solution);
                if tick != was {
                    effects.extend(send(
                        model,
                        Intent::Link {
                            id: id.clone(),
                            solution,
                            linked: tick,
                        },
                    ));
                }
            }
            if effects.is_empty() {
                model.toast(Level::Info, format!("{id}: links unchanged"));
            }
            effects
        }
        PickFor::LinkOpportunity { solution } => {
            let id = choice.split(' ').next().unwrap_or_default().to_string();
            send(
                model,
                Intent::Link {
                    id,
                    solution,
                    linked: true,
                },
            )
        }
        PickFor::QuickFilter => {
            let checked = picker.checked.unwrap_or_default();
            let list = model.focused_list();
            let groups = quick_groups(list);
            let quick: Vec<(String, String)> = picker
                .options
                .iter()
                .zip(checked)
                .filter(|(_, c)| *c)
                .filter_map(|(o, _)| {
                    let (label, value) = o.split_once(": ")?;
                    let group = groups.iter().find(|(_, l, _)| *l == label)?.0;
                    Some((group.to_string(), value.to_string()))
                })
                .collect();
            super::update::set_quick_filters(model, list, quick)
        }
        PickFor::Involvement { id } => {
            let options = rules::VISIBILITIES.iter().map(|s| s.to_string()).collect();
            let mut next = Picker::single(
                format!("Submit {id} to AWS: visibility"),
                options,
                PickFor::Visibility {
                    id,
                    involvement: choice,
                },
            );
            next.notes = vec!["AWS sees every detail".into(), "AWS sees a summary".into()];
            model.popup = Some(Popup::Picker(next));
            Vec::new()
        }
        PickFor::Visibility { id, involvement } => {
            let client_token = model.client_token();
            let customer = model
                .opportunities
                .rows
                .iter()
                .find(|o| o.id == id)
                .map(|o| o.customer.clone())
                .unwrap_or_default();
            let stage = model
                .opportunities
                .rows
                .iter()
                .find(|o| o.id == id)
                .and_then(|o| o.stage.clone());
            let mut lines = vec![format!(
                "{id} {customer}: {involvement}, {choice} visibility."
            )];
            lines.extend(rules::submission_advice(stage.as_deref()));
            lines.push("AWS reviews it; it is read-only while Submitted and In review.".into());
            lines.push("A submission cannot be withdrawn.".into());
            model.popup = Some(Popup::Confirm(Confirm {
                title: format!("Submit {id} to AWS?"),
                lines,
                intents: vec![Intent::Submit {
                    id,
                    involvement,
                    visibility: choice,
                    client_token,
                }],
            }));
            Vec::new()
        }
    }
}

/// The ClientToken for submitting `content` from the open form: the previous attempt's token
/// when the content is unchanged (a retry creates nothing twice), a new one otherwise.
pub fn token_for_content(model: &mut Model, content: String) -> String {
    if let Some((last, token)) = model.form.as_ref().and_then(|f| f.last_attempt.as_ref())
        && *last == content
    {
        return token.clone();
    }
    let token = model.client_token();
    if let Some(form) = model.form.as_mut() {
        form.last_attempt = Some((content, token.clone()));
    }
    token
}

/// Keys while a form is open (no popup above it).
pub fn on_form(model: &mut Model, action: Option<Action>, key: KeyEvent) -> Vec<Effect> {
    let Some(form) = &mut model.form else {
        return Vec::new();
    };
    match action {
        Some(Action::ForceQuit) => {
            model.should_quit = true;
            Vec::new()
        }
        Some(Action::NextField) => {
            form.focus = (form.focus + 1) % form.fields.len();
            Vec::new()
        }
        Some(Action::PrevField) => {
            form.focus = (form.focus + form.fields.len() - 1) % form.fields.len();
            Vec::new()
        }
        Some(Action::Back) => {
            if form.dirty {
                model.popup = Some(Popup::DiscardForm);
            } else {
                model.form = None;
            }
            Vec::new()
        }
        Some(Action::SubmitForm) => submit_form(model),
        _ => {
            let field = &mut form.fields[form.focus];
            let changed = match &mut field.kind {
                FieldKind::Choice { options, open } => match key.code {
                    KeyCode::Left | KeyCode::Right => {
                        let current = field.text.lines().join("");
                        let n = options.len();
                        let at = options.iter().position(|o| *o == current);
                        let next = match (at, key.code) {
                            (Some(i), KeyCode::Right) => (i + 1) % n,
                            (Some(i), _) => (i + n - 1) % n,
                            (None, KeyCode::Right) => 0,
                            (None, _) => n - 1,
                        };
                        field.text =
                            ratatui_textarea::TextArea::new(vec![options[next].to_string()]);
                        field.text.move_cursor(ratatui_textarea::CursorMove::End);
                        true
                    }
                    KeyCode::Enter => false,
                    _ if *open => field.text.input(key),
                    _ => false,
                },
                FieldKind::Multi {
                    options,
                    checked,
                    cursor,
                } => match key.code {
                    KeyCode::Left => {
                        *cursor = (*cursor + options.len() - 1) % options.len();
                        false
                    }
                    KeyCode::Right => {
                        *cursor = (*cursor + 1) % options.len();
                        false
                    }
                    KeyCode::Char(' ') => {
                        checked[*cursor] = !checked[*cursor];
                        true
                    }
                    _ => false,
                },
                FieldKind::Text { multiline, .. } => {
                    if key.code == KeyCode::Enter && !*multiline {
                        form.focus = (form.focus + 1) % form.fields.len();
                        false
                    } else {
                        field.text.input(key)
                    }
                }
            };
            if changed {
                form.dirty = true;
                form.fields[form.focus].error = None;
                // New opportunities are checked as you type: the field being edited shows its
                // problem at once (other fields wait until they are edited or submitted).
                if form.purpose == FormFor::CreateOpportunity {
                    let focus = form.focus;
                    let today = cosell_core::times::today(model.now);
                    let draft = draft_of(form);
                    form.fields[focus].error = draft
                        .problems(&today)
                        .into_iter()
                        .find(|(field, _)| *field == focus)
                        .map(|(_, message)| message);
                }
            }
            Vec::new()
        }
    }
}

fn submit_form(model: &mut Model) -> Vec<Effect> {
    let today = cosell_core::times::today(model.now);
    let Some(form) = model.form.as_mut() else {
        return Vec::new();
    };
    if form.submitting {
        return Vec::new();
    }
    for field in &mut form.fields {
        field.error = None;
    }
    form.banner = None;
    match form.purpose.clone() {
        FormFor::CreateOpportunity => {
            let draft = draft_of(form);
            let problems = draft.problems(&today);
            if !problems.is_empty() {
                for (i, message) in &problems {
                    if let Some(f) = form.fields.get_mut(*i) {
                        f.error = Some(message.clone());
                    }
                }
                form.banner = Some(format!(
                    "{} fields need attention; nothing was sent.",
                    problems.len()
                ));
                form.focus = problems[0].0.min(form.fields.len() - 1);
                return Vec::new();
            }
            let client_token =
                token_for_content(model, serde_json::to_string(&draft).unwrap_or_default());
            let duplicates: Vec<String> =
                duplicates_of(model, &draft.company, Some(&draft.website))
                    .iter()
                    .take(3)
                    .map(|o| {
                        format!(
                            "{} {} ({}, {})",
                            o.id,
                            o.customer,
                            o.stage.as_deref().unwrap_or("?"),
                            o.review_status.as_deref().unwrap_or("?")
                        )
                    })
                    .collect();
            let intent = Intent::Create {
                draft: Box::new(draft),
                client_token,
            };
            if !duplicates.is_empty() {
                let mut lines =
                    vec!["An open opportunity already names this customer:".to_string()];
                lines.extend(duplicates);
                lines.push("AWS rejects duplicates. Create it anyway?".into());
                model.popup = Some(Popup::Confirm(Confirm {
                    title: "Possible duplicate".into(),
                    lines,
                    intents: vec![intent],
                }));
                return Vec::new();
            }
            model.form.as_mut().expect("form is open").submitting = true;
            send(model, intent)
        }
        FormFor::NextSteps { id, based_on } => {
            let text = form.fields[0].value().trim().to_string();
            let count = text.chars().count();
            if count == 0 || count > 255 {
                form.fields[0].error = Some(format!("1 to 255 characters ({count} now)"));
                return Vec::new();
            }
            form.submitting = true;
            send(
                model,
                Intent::Update {
                    id,
                    based_on,
                    edit: OpportunityEdit::NextSteps(text),
                },
            )
        }
        FormFor::TargetCloseDate { id, based_on } => {
            let date = form.fields[0].value().trim().to_string();
            if !rules::valid_date(&date) {
                form.fields[0].error = Some("a date as YYYY-MM-DD".into());
                return Vec::new();
            }
            form.submitting = true;
            send(
                model,
                Intent::Update {
                    id,
                    based_on,
                    edit: OpportunityEdit::TargetCloseDate(date),
                },
            )
        }
        FormFor::Reject { ids } => super::referrals::submit_reject_form(model, ids),
        purpose @ (FormFor::Invite
        | FormFor::RejectConnection { .. }
        | FormFor::CancelConnection { .. }) => super::connections::submit(model, purpose),
        FormFor::Assign { id } => {
            let v = |i: usize| form.fields[i].value().trim().to_string();
            let (email, first, last, title, phone) = (v(0), v(1), v(2), v(3), v(4));
            let mut bad = Vec::new();
            if !(email.contains('@') && email.contains('.')) {
                bad.push((0, "an email address"));
            }
            if first.is_empty() {
                bad.push((1, "required"));
            }
            if last.is_empty() {
                bad.push((2, "required"));
            }
            if title.is_empty() {
                bad.push((3, "required"));
            }
            if !phone.is_empty() && !valid_phone(&phone) {
                bad.push((4, "international format: + and digits"));
            }
            if !bad.is_empty() {
                for (i, m) in bad {
                    form.fields[i].error = Some(m.to_string());
                }
                return Vec::new();
            }
            form.submitting = true;
            let assignee = Contact {
                email: Some(email),
                first_name: Some(first),
                last_name: Some(last),
                title: Some(title),
                phone: (!phone.is_empty()).then_some(phone),
            };
            send(model, Intent::Assign { id, assignee })
        }
    }
}

/// A mutation finished.
pub fn on_mutated(
    model: &mut Model,
    intent: Intent,
    result: Result<Outcome, MutationError>,
) -> Vec<Effect> {
    if matches!(
        intent,
        Intent::Invite { .. } | Intent::AnswerConnection { .. } | Intent::CancelConnection { .. }
    ) {
        return super::connections::on_mutated(model, intent, result);
    }
    // Referral answers have their own bookkeeping (marks, batches, the inbox row).
    if matches!(intent, Intent::Reject { .. })
        || (matches!(intent, Intent::Accept { .. }) && result.is_err())
    {
        return super::referrals::on_rejected(model, intent, result);
    }
    let target = intent.target().to_string();
    let mut effects = Vec::new();
    let form_matches = |model: &Model| match (&model.form, &intent) {
        (Some(form), Intent::Update { id, .. }) => {
            matches!(&form.purpose, FormFor::NextSteps { id: f, .. } | FormFor::TargetCloseDate { id: f, .. } if f == id)
        }
        (Some(form), Intent::Assign { id, .. }) => {
            matches!(&form.purpose, FormFor::Assign { id: f } if f == id)
        }
        (Some(form), Intent::Create { .. }) => form.purpose == FormFor::CreateOpportunity,
        _ => false,
    };
    let owns_form = form_matches(model);
    if !matches!(result, Ok(Outcome::TaskStarted(_))) {
        model.pending.remove(&target);
    }
    match result {
        Ok(Outcome::Updated(opportunity)) => {
            if owns_form {
                model.form = None;
            }
            let text = match &intent {
                Intent::Update { edit, .. } => format!("{target}: {}", edit.describe()),
                _ => format!("{target} updated"),
            };
            store_opportunity(model, *opportunity);
            model.toast(Level::Info, text);
        }
        Ok(Outcome::Conflict(latest)) => {
            if owns_form {
                model.form = None;
            }
            store_opportunity(model, (*latest).clone());
            if let Intent::Update { id, edit, .. } = intent {
                model.popup = Some(Popup::Conflict { id, edit, latest });
            }
        }
        Ok(Outcome::Created(id)) => {
            if owns_form {
                model.form = None;
            }
            model.toast(Level::Info, format!("Created {id}"));
            effects.push(refetch_opportunity(model, &id));
        }
        Ok(Outcome::Done) => {
            if owns_form {
                model.form = None;
            }
            let text = match &intent {
                Intent::Assign { id, assignee, .. } => {
                    format!("{id} assigned to {}", assignee.name())
                }
                Intent::Link {
                    id,
                    solution,
                    linked: true,
                } => format!("{solution} linked to {id}"),
                Intent::Link {
                    id,
                    solution,
                    linked: false,
                } => format!("{solution} unlinked from {id}"),
                _ => format!("{target} done"),
            };
            model.toast(Level::Info, text);
            effects.push(refetch_opportunity(model, &target));
        }
        Ok(Outcome::TaskStarted(task)) => {
            if let Intent::Accept { .. } = intent {
                model.pending.insert(target.clone(), "accepting".into());
                effects.extend(follow(model, TaskKind::Acceptance, &target, task));
            } else {
                model.toast(Level::Info, format!("Submitting {target} to AWS…"));
                model
                    .pending
                    .insert(target.clone(), "submitting to AWS".into());
                effects.extend(follow(model, TaskKind::Submission, &target, task));
            }
        }
        Err(error) => {
            if owns_form && let Some(form) = &mut model.form {
                form.submitting = false;
                form.banner = Some(error.message.clone());
                for (path, message) in &error.fields {
                    let index = match form.purpose {
                        FormFor::CreateOpportunity => rules::draft_field_for(path),
                        _ => Some(0),
                    };
                    if let Some(field) = index.and_then(|i| form.fields.get_mut(i)) {
                        field.error = Some(message.clone());
                    }
                }
            }
            model.toast(Level::Error, error.message);
        }
    }
    effects
}

/// Follows an asynchronous task until it finishes.
pub fn follow(model: &mut Model, kind: TaskKind, target: &str, task: TaskState) -> Vec<Effect> {
    if task.finished() {
        return on_task(model, kind, target.to_string(), Ok(task));
    }
    model.following.insert(task.id.clone(), target.to_string());
    let request = model.take_request();
    vec![Effect::PollTask {
        request,
        kind,
        target: target.to_string(),
        task_id: task.id,
        after_ms: 1000,
    }]
}

pub fn on_task(
    model: &mut Model,
    kind: TaskKind,
    target: String,
    result: Result<TaskState, String>,
) -> Vec<Effect> {
    if kind == TaskKind::Acceptance {
        return super::referrals::on_acceptance(model, target, result);
    }
    match result {
        Ok(task) if !task.finished() => follow(model, kind, &target, task),
        Ok(task) => {
            model.following.remove(&task.id);
            model.pending.remove(&target);
            if task.status == "COMPLETE" {
                let text = match &task.engagement_id {
                    Some(engagement) => {
                        format!("{target} submitted to AWS (engagement {engagement})")
                    }
                    None => format!("{target}: task complete"),
                };
                model.toast(Level::Info, text);
            } else {
                let why = task
                    .message
                    .clone()
                    .or(task.reason.clone())
                    .unwrap_or_else(|| "no reason given".into());
                model.toast(Level::Error, format!("{target}: the task failed: {why}"));
            }
            vec![refetch_opportunity(model, &target)]
        }
        Err(error) => {
            model.pending.remove(&target);
            model.toast(
                Level::Error,
                format!(
                    "Could not follow the task for {target}: {error}. Press R to see its state."
                ),
            );
            Vec::new()
        }
    }
}

/// Puts a full opportunity in the detail cache and its summary in the table.
pub fn store_opportunity(model: &mut Model, opportunity: Opportunity) {
    super::referrals::note_pipeline_name(model, &opportunity.summary);
    let row = opportunity.enriched_summary();
    model.learn_title(&row);
    model.opportunities.upsert(row);
    model.details.insert(
        DetailKey::Opportunity(opportunity.summary.id.clone()),
        Loadable::Ready(Detail::Opportunity(Box::new(opportunity))),
    );
}

/// E.164 as the API wants it: `+` and up to 15 digits.
fn valid_phone(phone: &str) -> bool {
    phone.strip_prefix('+').is_some_and(|digits| {
        (2..=15).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit())
    })
}
