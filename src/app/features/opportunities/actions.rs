//! The Opportunities tab's keys: stage, next steps, close date, create, assign, link solutions,
//! submit. Each opens a picker or a form, or says why it cannot.

use cosell_core::partner::rules::{self, EditField};
use cosell_core::partner::types::*;

use super::forms;
use super::types::{OpenForm, Pick, ReadFirst};
use crate::app::core::keymap::Action;
use crate::app::core::popup::{Choice, Picker};
use crate::app::core::shell::Level;
use crate::app::model::{self, Model, PickFor, Popup};
use crate::app::msg::Effect;
use crate::app::shared;

/// The selected opportunity, unless a change to it is already in flight.
fn editable_selection(model: &mut Model) -> Option<OpportunitySummary> {
    let row = model.opportunities.table.selected_row()?.clone();
    if let Some(busy) = model.shell.busy(&row.id) {
        model.shell.toast(Level::Error, busy);
        return None;
    }
    Some(row)
}

fn locked(model: &mut Model, row: &OpportunitySummary, field: EditField) -> bool {
    if let Some(reason) = rules::lock_reason(row, field) {
        model.shell.toast(Level::Error, reason);
        return true;
    }
    false
}

/// The connected partners to invite to co-sell `row`: only a record shared with AWS belongs to
/// an engagement an invitation can name.
fn open_share_picker(model: &mut Model, row: &OpportunitySummary) {
    if !rules::shared_with_aws(row) {
        model.shell.toast(
            Level::Error,
            format!(
                "{} is not in an engagement yet: submit it to AWS first (S), which makes one, then invite partners.",
                row.id
            ),
        );
        return;
    }
    let mut seen = std::collections::BTreeSet::new();
    let choices: Vec<Choice<String>> = model
        .connections
        .connections
        .rows
        .iter()
        .filter(|c| {
            c.types
                .iter()
                .any(|t| t.status == ConnectionTypeStatus::Active)
        })
        .filter(|c| seen.insert(c.other_account.clone()))
        .map(|c| {
            Choice::new(
                c.other_name
                    .clone()
                    .unwrap_or_else(|| c.other_account.clone()),
                c.other_account.clone(),
            )
            .noted(c.other_account.clone())
        })
        .collect();
    if choices.is_empty() {
        model.shell.toast(
            Level::Error,
            "No active partner connections: connect with a partner first (Connections tab, n).",
        );
        return;
    }
    let picker = Picker::single(
        format!("Invite a partner to co-sell {} {}", row.id, row.customer),
        choices,
    );
    open_pick(
        model,
        Pick::Share {
            id: row.id.clone(),
            picker,
        },
    );
}

fn locked_quietly(row: &OpportunitySummary, field: EditField) -> bool {
    rules::lock_reason(row, field).is_some()
}

fn open_pick(model: &mut Model, pick: Pick) {
    model.popup = Some(Popup::Pick(PickFor::Opportunities(pick)));
}

fn open_form(model: &mut Model, form: OpenForm) {
    model.form = Some(model::OpenForm::Opportunities(form));
}

/// A key of the Opportunities tab.
pub fn start(model: &mut Model, action: Action) -> Vec<Effect> {
    if model.shell.refuse_changes("changing opportunities") {
        return Vec::new();
    }
    if action == Action::NewOpportunity {
        open_form(model, forms::create_form(model.shell.now));
        return Vec::new();
    }
    let Some(row) = editable_selection(model) else {
        return Vec::new();
    };
    let Some(based_on) = row.last_modified else {
        return Vec::new();
    };
    match action {
        Action::EditStage if !locked(model, &row, EditField::Stage) => {
            open_pick(model, stage_picker(&row));
        }
        Action::EditNextSteps if !locked(model, &row, EditField::NextSteps) => {
            return open_after_read(model, &row, based_on, ReadFirst::NextSteps);
        }
        Action::EditWebsiteAndProblem
            if !locked(model, &row, EditField::Website)
                && !locked(model, &row, EditField::BusinessProblem) =>
        {
            return open_after_read(model, &row, based_on, ReadFirst::WebsiteAndProblem);
        }
        // A record AWS is reviewing (or rejected) has no field to edit: say why at once. The
        // Action Required and Approved locks are per field, shown in the form.
        Action::EditAll => {
            if locked_quietly(&row, EditField::Website) && locked(model, &row, EditField::Stage) {
                return Vec::new();
            }
            return open_after_read(model, &row, based_on, ReadFirst::Full);
        }
        Action::EditCloseDate if !locked(model, &row, EditField::TargetCloseDate) => {
            open_form(model, forms::close_date_form(&row, based_on));
        }
        Action::Assign => {
            let people = forms::known_people(model);
            open_form(model, forms::assign_form(&row, &people));
        }
        Action::LinkSolutions => return open_link_picker(model, &row, LinkKind::Solution),
        Action::LinkProducts => return open_link_picker(model, &row, LinkKind::AwsProduct),
        Action::LinkMarketplace => {
            return open_link_picker(model, &row, LinkKind::MarketplaceOffer);
        }
        Action::Submit => submit(model, &row),
        Action::SharePartner => open_share_picker(model, &row),
        _ => {}
    }
    Vec::new()
}

/// The message shown while a form waits for its record.
pub fn reading_first(id: &str) -> String {
    format!("Reading {id} first…")
}

/// Opens a form that starts from the full record: at once when it has been read, otherwise once
/// the read this asks for arrives.
fn open_after_read(
    model: &mut Model,
    row: &OpportunitySummary,
    based_on: Millis,
    which: ReadFirst,
) -> Vec<Effect> {
    // The full edit needs the record's whole document, which a record cached before cosell
    // kept documents lacks.
    let usable = |full: &&Opportunity| which != ReadFirst::Full || !full.document.is_null();
    if let Some(full) = model.opportunities.full(&row.id).filter(usable) {
        let form = forms::read_first_form(which, full, based_on);
        open_form(model, form);
        return Vec::new();
    }
    model.opportunities.form_when_read = Some((row.id.clone(), which));
    model.shell.toast(Level::Info, reading_first(&row.id));
    vec![shared::refetch_opportunity(model, &row.id)]
}

fn stage_picker(row: &OpportunitySummary) -> Pick {
    let current = row.stage.clone();
    let choices = Stage::ALL
        .iter()
        .map(|s| {
            let note = if Some(s) == current.as_ref() {
                "current"
            } else {
                ""
            };
            Choice::new(s.as_str(), s.clone()).noted(note)
        })
        .collect();
    let mut picker = Picker::single(format!("Stage of {} {}", row.id, row.customer), choices);
    if let Some(current) = &current {
        picker.select(current);
    }
    Pick::Stage {
        id: row.id.clone(),
        picker,
    }
}

fn submit(model: &mut Model, row: &OpportunitySummary) {
    let review = row
        .review_status
        .clone()
        .unwrap_or(ReviewStatus::PendingSubmission);
    if review != ReviewStatus::PendingSubmission {
        let text = format!(
            "{} is {review}: only opportunities pending submission can be submitted to AWS.",
            row.id
        );
        model.shell.toast(Level::Error, text);
        return;
    }
    let choices = vec![
        Choice::new(InvolvementType::CoSell.as_str(), InvolvementType::CoSell)
            .noted("AWS sells with you"),
        Choice::new(
            InvolvementType::ForVisibilityOnly.as_str(),
            InvolvementType::ForVisibilityOnly,
        )
        .noted("AWS is informed only"),
    ];
    let picker = Picker::single(format!("Submit {} to AWS: involvement", row.id), choices);
    open_pick(
        model,
        Pick::Involvement {
            id: row.id.clone(),
            picker,
        },
    );
}

/// The solutions to tick for a record: the active ones, and those already linked whatever
/// their status (so they can be unlinked). None, with a toast, when there are none.
fn solution_choices(model: &mut Model, linked: Option<&[String]>) -> Option<Vec<Choice<String>>> {
    let options: Vec<&Solution> = model
        .solutions
        .table
        .rows
        .iter()
        .filter(|s| s.status == SolutionStatus::Active || linked.is_some_and(|l| l.contains(&s.id)))
        .collect();
    if options.is_empty() {
        model.shell.toast(
            Level::Error,
            "No active solutions to link. Solutions are registered in Partner Central; press 3 to see them.",
        );
        return None;
    }
    Some(
        options
            .iter()
            .map(|s| {
                let note = if s.status == SolutionStatus::Active {
                    String::new()
                } else {
                    s.status.to_string()
                };
                Choice::new(format!("{} {}", s.id, s.name), s.id.clone()).noted(note)
            })
            .collect(),
    )
}

/// AWS's products, searchable by name, family or identifier; a linked identifier the list
/// lacks (a product newer than it) is offered too, so it can be unlinked.
fn product_choices(linked: Option<&[String]>) -> Vec<Choice<String>> {
    let known = super::products::all();
    let unknown = linked
        .unwrap_or_default()
        .iter()
        .filter(|id| !known.iter().any(|p| &p.identifier == *id))
        .map(|id| Choice::new(id.clone(), id.clone()).noted("not in cosell's product list"));
    known
        .iter()
        .map(|p| {
            Choice::new(
                format!("{} ({})", p.name, p.identifier),
                p.identifier.clone(),
            )
            .noted(p.family.clone())
        })
        .chain(unknown)
        .collect()
}

/// The picker of what a record links, of one kind, ticked as the full record has it (read
/// first when it has not been).
fn open_link_picker(model: &mut Model, row: &OpportunitySummary, kind: LinkKind) -> Vec<Effect> {
    let linked: Option<Vec<String>> = model
        .opportunities
        .full(&row.id)
        .map(|o| super::picks::linked_of(o, kind).to_vec());
    let (choices, what) = match kind {
        LinkKind::Solution => match solution_choices(model, linked.as_deref()) {
            Some(choices) => (choices, "Solutions"),
            None => return Vec::new(),
        },
        LinkKind::AwsProduct => (product_choices(linked.as_deref()), "AWS products"),
        // Marketplace entities have no list to pick from: their form takes an id.
        LinkKind::MarketplaceOffer | LinkKind::MarketplaceOfferSet => {
            let based_on = row.last_modified.unwrap_or_default();
            return open_after_read(model, row, based_on, ReadFirst::Marketplace);
        }
    };
    let linked_now = linked.clone().unwrap_or_default();
    let mut picker = Picker::multi(
        format!("{what} linked to {} {}", row.id, row.customer),
        choices,
        |id| linked_now.contains(id),
    );
    picker.max_checked = Some(kind.cap());
    picker.footer = link_footer(kind);
    let mut effects = Vec::new();
    if linked.is_none() {
        picker.loading = true;
        picker.footer = "loading the current links…".into();
        effects.push(shared::refetch_opportunity(model, &row.id));
    }
    open_pick(
        model,
        Pick::Links {
            id: row.id.clone(),
            kind,
            picker,
        },
    );
    effects
}

/// The link picker's footer: how to tick, and the cap AWS sets for the kind.
pub fn link_footer(kind: LinkKind) -> String {
    let what = match kind {
        LinkKind::Solution => "solutions",
        LinkKind::AwsProduct => "AWS products",
        LinkKind::MarketplaceOffer => "Marketplace offers",
        LinkKind::MarketplaceOfferSet => "Marketplace offer sets",
    };
    format!(
        "space ticks (tab while searching), enter applies; at most {} {what} per opportunity",
        kind.cap()
    )
}
