//! The Benefits and Channel tabs as `update` rules: applying from an opportunity, the
//! application's changes and their confirmations, a stale edit, handshakes answered by the
//! side that may, and an API the account may not use.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use cosell::app::core::form::Form;
use cosell::app::features::benefits::types::{
    ApplyField, EditField, Intent as Ben, OpenForm as BenForm,
};
use cosell::app::features::channel::types::{
    Intent as Chan, OpenForm as ChanForm, RelationshipField,
};
use cosell::app::keymap::Keymap;
use cosell::app::{
    self, Detail, DetailKey, Effect, Intent, Level, ListId, Model, Msg, MutationError, OpenForm,
    Outcome, Popup, Tab,
};
use cosell_core::partner::HandshakeAnswer;

use crate::fixtures::{self, NOW, ch, key, loaded, mutate, picker_labels, typed};

fn ctrl_s(model: &mut Model) -> Vec<Effect> {
    app::update(
        model,
        Msg::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)),
    )
}

fn apply_form(model: &Model) -> &Form<ApplyField> {
    match &model.form {
        Some(OpenForm::Benefits(BenForm::Apply { form, .. })) => form,
        other => panic!("the apply form is not open: {other:?}"),
    }
}

fn confirm_lines(model: &Model) -> Vec<String> {
    match &model.popup {
        Some(Popup::Confirm(c)) => c.lines.clone(),
        other => panic!("no confirmation: {other:?}"),
    }
}

fn errors(model: &Model) -> Vec<String> {
    model
        .shell
        .toasts
        .iter()
        .filter(|t| t.level == Level::Error)
        .map(|t| t.text.clone())
        .collect()
}

/// The Applications list, sorted as the tab opens it (most recently updated first): the
/// draft, the one in review, the approved one.
fn on_applications(model: &mut Model) {
    ch(model, '5');
    assert_eq!(model.focused_list(), ListId::Applications);
}

#[test]
fn b_on_an_opportunity_applies_for_an_active_benefit_prefilled_with_it() {
    let mut model = loaded(120, 40, 10);
    let selected = model.opportunities.table.selected_row().unwrap().clone();
    ch(&mut model, 'B');
    let active: Vec<String> = {
        let mut names: Vec<String> = fixtures::benefits()
            .into_iter()
            .filter(|b| b.status == "ACTIVE")
            .map(|b| b.name)
            .collect();
        names.sort();
        names
    };
    assert_eq!(
        picker_labels(&model),
        active,
        "the active benefits, by name"
    );
    typed(&mut model, "POC");
    key(&mut model, KeyCode::Enter);
    let form = apply_form(&model);
    assert_eq!(form.value(ApplyField::Opportunity), selected.id);
    assert_eq!(
        form.value(ApplyField::Name),
        format!("POC credits for {}", selected.customer)
    );
    key(&mut model, KeyCode::Tab);
    key(&mut model, KeyCode::Tab);
    typed(&mut model, "25,000");
    let effects = ctrl_s(&mut model);
    let (request, intent) = mutate(&effects);
    let Intent::Benefits(Ben::Apply { application, .. }) = intent.clone() else {
        panic!("not an application: {intent:?}");
    };
    let poc = fixtures::benefits()
        .into_iter()
        .find(|b| b.name == "POC credits")
        .unwrap();
    assert_eq!(application.benefit, poc.id);
    assert_eq!(application.opportunity, selected.id);
    assert_eq!(application.amount.as_deref(), Some("25000"));
    assert_eq!(
        application.opportunity_arn, None,
        "listed rows keep no ARN: the runner reads it"
    );
    let effects = app::update(
        &mut model,
        Msg::Mutated {
            request,
            intent: Box::new(intent),
            result: Ok(Outcome::Created("benappl-new".into())),
        },
    );
    assert!(model.form.is_none(), "the form closes once applied");
    let reloaded: Vec<ListId> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Load { list, .. } => Some(*list),
            _ => None,
        })
        .collect();
    assert_eq!(reloaded, vec![ListId::Applications, ListId::Allocations]);
    assert!(
        model.shell.toasts.iter().any(|t| t
            .text
            .starts_with(&format!("benappl-new created for {}", selected.id))),
        "{:?}",
        model.shell.toasts
    );
}

#[test]
fn a_bad_amount_keeps_the_form_and_its_text() {
    let mut model = loaded(120, 40, 10);
    ch(&mut model, '5');
    ch(&mut model, 'w');
    ch(&mut model, 'w');
    assert_eq!(model.focused_list(), ListId::Benefits);
    ch(&mut model, 'n');
    key(&mut model, KeyCode::Tab);
    key(&mut model, KeyCode::Tab);
    typed(&mut model, "lots");
    let effects = ctrl_s(&mut model);
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::Mutate { .. })),
        "nothing is sent"
    );
    let form = apply_form(&model);
    assert_eq!(form.value(ApplyField::Amount), "lots");
    assert!(
        form.field(ApplyField::Amount)
            .error
            .as_deref()
            .is_some_and(|e| e.contains("USD")),
        "{:?}",
        form.field(ApplyField::Amount).error
    );
    assert!(
        form.field(ApplyField::Opportunity).error.is_some(),
        "started from a benefit, the opportunity is still to choose"
    );
}

#[test]
fn submit_asks_first_and_warns_where_the_service_is_seen_to_refuse() {
    let mut model = loaded(120, 40, 10);
    on_applications(&mut model);
    let draft = model.benefits.applications.selected_row().unwrap().clone();
    assert_eq!(draft.status, "PENDING_SUBMISSION");
    ch(&mut model, 'S');
    let lines = confirm_lines(&model);
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(!lines.iter().any(|l| l.starts_with("Warning")));
    let effects = ch(&mut model, 'y');
    let (_, intent) = mutate(&effects);
    assert_eq!(intent, Intent::Benefits(Ben::Submit { id: draft.id }));
    // The approved one: the service is seen to refuse, so the confirmation says so and still
    // lets the user try.
    ch(&mut model, 'j');
    ch(&mut model, 'j');
    let approved = model.benefits.applications.selected_row().unwrap().clone();
    assert_eq!(approved.status, "APPROVED");
    ch(&mut model, 'S');
    let lines = confirm_lines(&model);
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(
        lines[2].starts_with(&format!("Warning: {} is APPROVED", approved.id)),
        "{lines:?}"
    );
}

#[test]
fn cancel_says_it_cannot_be_undone_and_no_returns_to_the_reason() {
    let mut model = loaded(120, 40, 10);
    on_applications(&mut model);
    let draft = model
        .benefits
        .applications
        .selected_row()
        .unwrap()
        .id
        .clone();
    ch(&mut model, 'X');
    typed(&mut model, "duplicate of another");
    ctrl_s(&mut model);
    let lines = confirm_lines(&model);
    assert!(
        lines.iter().any(|l| l.contains("cannot be undone")),
        "{lines:?}"
    );
    ch(&mut model, 'n');
    assert!(model.popup.is_none());
    assert_eq!(
        model.form.as_ref().unwrap().body().fields[0].value(),
        "duplicate of another",
        "the reason is kept under a no"
    );
    ctrl_s(&mut model);
    let effects = ch(&mut model, 'y');
    let (request, intent) = mutate(&effects);
    let Intent::Benefits(Ben::Cancel { id, reason, .. }) = &intent else {
        panic!("not a cancel: {intent:?}");
    };
    assert_eq!(
        (id, reason.as_deref()),
        (&draft, Some("duplicate of another"))
    );
    assert!(model.form.as_ref().unwrap().body().submitting);
    app::update(
        &mut model,
        Msg::Mutated {
            request,
            intent: Box::new(intent.clone()),
            result: Ok(Outcome::Done),
        },
    );
    assert!(model.form.is_none());
}

fn edit_revision(model: &Model) -> String {
    match &model.form {
        Some(OpenForm::Benefits(BenForm::Edit { revision, .. })) => revision.clone(),
        other => panic!("the edit form is not open: {other:?}"),
    }
}

fn answer_read(model: &mut Model, effects: &[Effect], revision: &str) {
    let (request, id) = effects
        .iter()
        .find_map(|e| match e {
            Effect::Fetch {
                request,
                key: DetailKey::Application(id),
                ..
            } => Some((*request, id.clone())),
            _ => None,
        })
        .expect("the application is read whole");
    let mut whole = fixtures::applications()
        .into_iter()
        .find(|a| a.id == id)
        .unwrap();
    whole.revision = Some(revision.into());
    app::update(
        model,
        Msg::Detail {
            request,
            key: DetailKey::Application(id),
            detail: Box::new(Detail::Application(Box::new(whole))),
        },
    );
}

#[test]
fn a_stale_edit_keeps_the_text_and_goes_again_on_the_latest_revision() {
    let mut model = loaded(120, 40, 10);
    on_applications(&mut model);
    let effects = ch(&mut model, 'e');
    assert_eq!(edit_revision(&model), "", "not read whole yet");
    answer_read(&mut model, &effects, "7");
    assert_eq!(edit_revision(&model), "7");
    // The amount field: select its text away and type the new one.
    key(&mut model, KeyCode::BackTab);
    for _ in 0..10 {
        key(&mut model, KeyCode::Backspace);
    }
    typed(&mut model, "12000");
    let effects = ctrl_s(&mut model);
    let (request, intent) = mutate(&effects);
    let Intent::Benefits(Ben::Update { change, .. }) = &intent else {
        panic!("not an update: {intent:?}");
    };
    assert_eq!(change.revision, "7");
    assert_eq!(change.amount.as_deref(), Some("12000"));
    assert_eq!(change.name, None, "only what changed is sent");
    let effects = app::update(
        &mut model,
        Msg::Mutated {
            request,
            intent: Box::new(intent.clone()),
            result: Err(MutationError {
                message: "Benefit application is at revision 8, not 7".into(),
                conflict: true,
                fields: vec![],
            }),
        },
    );
    let Some(OpenForm::Benefits(BenForm::Edit { form, .. })) = &model.form else {
        panic!("the form stays open: {:?}", model.form);
    };
    assert_eq!(form.value(EditField::Amount), "12000", "the edit is kept");
    assert!(
        form.body
            .banner
            .as_deref()
            .unwrap()
            .contains("latest revision")
    );
    answer_read(&mut model, &effects, "8");
    assert_eq!(edit_revision(&model), "8");
    let effects = ctrl_s(&mut model);
    let (_, again) = mutate(&effects);
    let Intent::Benefits(Ben::Update { change, .. }) = &again else {
        panic!("not an update: {again:?}");
    };
    assert_eq!(
        (change.revision.as_str(), change.amount.as_deref()),
        ("8", Some("12000"))
    );
}

#[test]
fn handshakes_are_answered_by_the_side_that_may() {
    let mut model = loaded(120, 40, 10);
    ch(&mut model, '6');
    assert_eq!(model.focused_list(), ListId::Handshakes);
    let received = model.channel.handshakes.selected_row().unwrap().clone();
    assert!(received.received);
    ch(&mut model, 'c');
    assert!(model.popup.is_none());
    assert!(
        errors(&model).iter().any(|e| e.contains("was sent to you")),
        "{:?}",
        errors(&model)
    );
    ch(&mut model, 'a');
    let effects = ch(&mut model, 'y');
    assert_eq!(
        mutate(&effects).1,
        Intent::Channel(Chan::Answer {
            id: received.id,
            answer: HandshakeAnswer::Accept
        })
    );
    ch(&mut model, 'j');
    let sent = model.channel.handshakes.selected_row().unwrap().clone();
    assert!(!sent.received);
    model.shell.toasts.clear();
    ch(&mut model, 'a');
    assert!(model.popup.is_none());
    assert!(
        errors(&model).iter().any(|e| e.contains("one you sent")),
        "{:?}",
        errors(&model)
    );
    ch(&mut model, 'c');
    assert!(
        confirm_lines(&model)
            .iter()
            .any(|l| l.contains("cannot be undone"))
    );
    let effects = ch(&mut model, 'y');
    assert_eq!(
        mutate(&effects).1,
        Intent::Channel(Chan::Answer {
            id: sent.id,
            answer: HandshakeAnswer::Cancel
        })
    );
}

#[test]
fn a_relationship_needs_a_twelve_digit_account_and_keeps_the_text_until_it_has_one() {
    let mut model = loaded(120, 40, 10);
    ch(&mut model, '6');
    ch(&mut model, 'n');
    assert!(matches!(
        model.form,
        Some(OpenForm::Channel(ChanForm::Relationship(_)))
    ));
    key(&mut model, KeyCode::Tab);
    key(&mut model, KeyCode::Tab);
    typed(&mut model, "1234");
    key(&mut model, KeyCode::Tab);
    typed(&mut model, "Contoso Labs");
    let effects = ctrl_s(&mut model);
    assert!(!effects.iter().any(|e| matches!(e, Effect::Mutate { .. })));
    let Some(OpenForm::Channel(ChanForm::Relationship(form))) = &model.form else {
        panic!("the form stays open");
    };
    assert_eq!(form.body.fields[3].value(), "Contoso Labs");
    assert!(
        form.body.fields[2]
            .error
            .as_deref()
            .unwrap()
            .contains("12 digits")
    );
    assert_eq!(
        form.focused(),
        RelationshipField::AccountId,
        "the cursor waits where the problem is"
    );
    typed(&mut model, "56789012");
    let effects = ctrl_s(&mut model);
    let (_, intent) = mutate(&effects);
    let Intent::Channel(Chan::CreateRelationship { relationship, .. }) = intent else {
        panic!("not a relationship: {intent:?}");
    };
    assert_eq!(
        relationship.program_account,
        fixtures::program_accounts()[0].id,
        "the first account, as the form offered it"
    );
    assert_eq!(relationship.account_id, "123456789012");
    assert_eq!(relationship.name, "Contoso Labs");
    assert_eq!(
        (relationship.kind.as_str(), relationship.sector.as_str()),
        ("DOWNSTREAM_SELLER", "COMMERCIAL")
    );
}

#[test]
fn an_api_the_account_may_not_use_is_said_once_and_its_tab_gets_out_of_the_way() {
    let mut model = Model::new(fixtures::context(), Keymap::default(), NOW, 120, 40);
    let effects = app::init(&mut model);
    for list in [ListId::Benefits, ListId::Applications, ListId::Allocations] {
        app::update(
            &mut model,
            Msg::ListFailed {
                request: fixtures::load_request(&effects, list),
                list,
                error: format!("{list:?}: AccessDeniedException"),
                unreachable: false,
                denied: true,
            },
        );
    }
    assert_eq!(errors(&model).len(), 1, "said once: {:?}", errors(&model));
    assert!(model.benefits.unavailable.is_some());
    assert!(
        model.channel.unavailable.is_none(),
        "the other API is asked on its own"
    );
    ch(&mut model, '5');
    let effects = ch(&mut model, 'R');
    let reloaded: Vec<ListId> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Load { list, .. } => Some(*list),
            _ => None,
        })
        .collect();
    assert_eq!(
        reloaded,
        vec![ListId::Benefits, ListId::Applications, ListId::Allocations]
    );
    assert!(model.benefits.unavailable.is_none(), "R there asks again");
    assert_eq!(model.tab, Tab::Benefits);
}

#[test]
fn every_application_column_sorts_by_its_own_values() {
    use cosell::app::core::column::Row;
    use cosell::app::features::benefits::columns::ApplicationColumn;
    use cosell_core::partner::types::BenefitApplication;
    let mut model = loaded(120, 40, 10);
    // Amounts whose text order is not their numeric order.
    let extra = [
        ("9000", "ACTION_REQUIRED"),
        ("500.5", "CANCELED"),
        ("120000", "REJECTED"),
    ];
    for (i, (amount, status)) in extra.iter().enumerate() {
        let mut a = fixtures::applications()[i].clone();
        a.id = format!("benappl-extra{i}");
        a.name = Some(format!("Extra {}", 9 - i));
        a.requested = Some((*amount).into());
        a.status = (*status).into();
        a.stage = Some(format!("Stage {}", (i * 7) % 5));
        a.programs = vec![format!("P{}", (i * 3) % 4)];
        a.updated = Some(NOW - (i as i64 * 5 + 2) * 3_600_000);
        model.benefits.applications.upsert(a);
    }
    let amount = |a: &BenefitApplication| a.requested.as_deref().map(|r| r.parse::<f64>().unwrap());
    let columns = BenefitApplication::columns();
    assert_eq!(columns.len(), 7);
    for column in columns {
        model.benefits.applications.sort_by(column.id, false);
        let table = &model.benefits.applications;
        let rows: Vec<&BenefitApplication> =
            table.visible.iter().map(|&i| &table.rows[i]).collect();
        assert_eq!(rows.len(), 6);
        let ordered = rows.windows(2).all(|w| match column.id {
            ApplicationColumn::Name => w[0].name <= w[1].name,
            ApplicationColumn::Status => w[0].status <= w[1].status,
            ApplicationColumn::Stage => w[0].stage <= w[1].stage,
            ApplicationColumn::Requested => amount(w[0]) <= amount(w[1]),
            ApplicationColumn::Opportunity => w[0].resources <= w[1].resources,
            ApplicationColumn::Programs => w[0].programs <= w[1].programs,
            ApplicationColumn::Updated => w[0].updated <= w[1].updated,
        });
        assert!(
            ordered,
            "column {} is not sorted by its own values",
            column.title
        );
    }
}

#[test]
fn the_bottom_bar_offers_a_lists_keys_only_while_it_is_shown() {
    use cosell::app::keymap::Action;
    let mut model = loaded(120, 40, 10);
    ch(&mut model, '5');
    let application_keys = [
        Action::SubmitApplication,
        Action::EditApplication,
        Action::AmendApplication,
        Action::RecallApplication,
        Action::CancelApplication,
    ];
    assert_eq!(model.focused_list(), ListId::Applications);
    assert!(application_keys.iter().all(|a| model.action_applies(*a)));
    assert!(
        model.action_applies(Action::QuickFilter),
        "statuses to filter by"
    );
    ch(&mut model, 'w');
    assert_eq!(model.focused_list(), ListId::Allocations);
    assert!(!application_keys.iter().any(|a| model.action_applies(*a)));
    assert!(
        !model.action_applies(Action::QuickFilter),
        "allocations have no quick filters"
    );
    assert!(
        model.action_applies(Action::ApplyForBenefit),
        "applying works from any list"
    );
    ch(&mut model, '6');
    assert_eq!(model.focused_list(), ListId::Handshakes);
    assert!(model.action_applies(Action::AcceptHandshake));
    ch(&mut model, 'w');
    assert!(!model.action_applies(Action::AcceptHandshake));
}
