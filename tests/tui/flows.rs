//! Opportunity actions as `update` rules: stage, closed-lost reason, locks, read-only, conflict
//! and re-apply, forms that keep their text, ClientToken reuse, duplicates, links, submission.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use cosell::app::core::column::Facet;
use cosell::app::core::form::Form;
use cosell::app::features::opportunities::full_edit::FullField;
use cosell::app::features::opportunities::types::CreateField::{self, Draft};
use cosell::app::features::opportunities::types::{
    Intent as Opp, MarketplaceField, OpenForm as OppForm, Pick,
};
use cosell::app::{
    self, Detail, DetailKey, Effect, Intent, Level, Loadable, Model, Msg, MutationError, OpenForm,
    Outcome, PickFor, Popup,
};
use cosell_core::partner::rules::{DraftField, EditField};
use cosell_core::partner::types::*;

use crate::fixtures::{HOUR, NOW, loaded, opportunity, picker, picker_labels};
use crate::fixtures::{ch, key, typed};

fn ctrl(model: &mut Model, c: char) -> Vec<Effect> {
    app::update(
        model,
        Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)),
    )
}

/// The model with the selection on the first row whose review status is `review`.
fn on(review: &str) -> (Model, OpportunitySummary) {
    let mut model = loaded(120, 40, 30);
    loop {
        let row = model.opportunities.table.selected_row().unwrap().clone();
        if row.review_status.as_ref().map(ReviewStatus::as_str) == Some(review) {
            return (model, row);
        }
        ch(&mut model, 'j');
    }
}

use crate::fixtures::mutate;

/// Moves the picker's cursor down to the choice labelled `label`, as a user would.
fn move_to(model: &mut Model, label: &str) {
    for _ in 0..picker(model).choice_count() {
        let p = picker(model);
        if p.choice(p.visible_choices()[p.cursor()]).0 == label {
            return;
        }
        ch(model, 'j');
    }
    panic!("no choice {label}: {:?}", picker_labels(model));
}

/// The open create form.
fn create_form(model: &Model) -> &Form<CreateField> {
    match &model.form {
        Some(OpenForm::Opportunities(OppForm::Create(form))) => form,
        other => panic!("the create form is not open: {other:?}"),
    }
}

/// The open one-field edit form (next steps or close date).
fn edit_form(model: &mut Model) -> &mut Form<EditField> {
    match &mut model.form {
        Some(OpenForm::Opportunities(OppForm::Edit { form, .. })) => form,
        other => panic!("an edit form is not open: {other:?}"),
    }
}

fn full(summary: OpportunitySummary) -> Opportunity {
    Opportunity {
        summary,
        title: Some("Data lake".into()),
        ..Default::default()
    }
}

#[test]
fn stage_change_sends_an_update_based_on_what_the_user_saw() {
    let (mut model, row) = on("Pending Submission");
    ch(&mut model, 's');
    assert!(
        matches!(&model.popup, Some(Popup::Pick(PickFor::Opportunities(Pick::Stage { id, .. }))) if *id == row.id)
    );
    ch(&mut model, 'j');
    let effects = key(&mut model, KeyCode::Enter);
    let (request, intent) = mutate(&effects);
    let Intent::Opportunities(Opp::Update { id, based_on, edit }) = intent.clone() else {
        panic!("{intent:?}")
    };
    assert_eq!(
        (id.as_str(), Some(based_on)),
        (row.id.as_str(), row.last_modified)
    );
    assert!(
        matches!(edit, OpportunityEdit::Stage { ref stage, closed_lost_reason: None } if *stage == Stage::Qualified)
    );
    assert!(
        model.shell.pending.contains_key(&row.id),
        "the row shows a spinner"
    );
    // The result updates the row and clears the spinner.
    let mut updated = row.clone();
    updated.stage = Some("Qualified".into());
    updated.last_modified = Some(NOW);
    app::update(
        &mut model,
        Msg::Mutated {
            request,
            intent: Box::new(intent),
            result: Ok(Outcome::Updated(Box::new(full(updated)))),
        },
    );
    assert!(!model.shell.pending.contains_key(&row.id));
    let shown = model
        .opportunities
        .table
        .rows
        .iter()
        .find(|o| o.id == row.id)
        .unwrap();
    assert_eq!(shown.stage, Some(Stage::Qualified));
    assert_eq!(model.shell.toasts.last().unwrap().level, Level::Info);
}

#[test]
fn closed_lost_asks_for_a_reason_then_confirms() {
    let (mut model, row) = on("Approved");
    ch(&mut model, 's');
    move_to(&mut model, "Closed Lost");
    key(&mut model, KeyCode::Enter);
    assert!(
        matches!(&model.popup, Some(Popup::Pick(PickFor::Opportunities(Pick::ClosedLostReason { id, .. }))) if *id == row.id)
    );
    ch(&mut model, 'j');
    assert!(
        key(&mut model, KeyCode::Enter).is_empty(),
        "nothing is sent before the confirmation"
    );
    let Some(Popup::Confirm(confirm)) = &model.popup else {
        panic!("a confirmation: {:?}", model.popup);
    };
    assert!(confirm.title.contains(&row.id) && confirm.lines[0].contains("Delay / Cancellation"));
    let (_, intent) = mutate(&ch(&mut model, 'y'));
    assert!(
        matches!(intent, Intent::Opportunities(Opp::Update { edit: OpportunityEdit::Stage { closed_lost_reason: Some(ref r), .. }, .. }) if *r == ClosedLostReason::DelayCancellationOfProject)
    );
}

#[test]
fn locked_records_say_why_and_readonly_refuses_everything() {
    let (mut model, row) = on("In review");
    assert!(ch(&mut model, 's').is_empty());
    assert!(model.popup.is_none());
    let toast = model.shell.toasts.last().unwrap();
    assert!(
        toast.level == Level::Error
            && toast.text.contains("reviewing")
            && toast.text.contains(&row.id)
    );

    let (mut model, _) = on("Action Required");
    ch(&mut model, 's');
    assert!(
        model
            .shell
            .toasts
            .last()
            .unwrap()
            .text
            .contains("Action Required")
    );
    ch(&mut model, 't');
    assert!(
        edit_form(&mut model).has(EditField::TargetCloseDate),
        "close date stays editable"
    );

    // Submitted and Rejected records refuse every change, each with its own reason.
    for (review, reason) in [("Submitted", "reviewing"), ("Rejected", "rejected by AWS")] {
        let (mut model, row) = pending_submission_at("Qualified");
        let mut locked = row.clone();
        locked.review_status = Some(ReviewStatus::from_api(review));
        model.opportunities.table.upsert(locked);
        for c in ['s', 'e', 't'] {
            model.shell.toasts.clear();
            assert!(ch(&mut model, c).is_empty(), "{review} {c}");
            assert!(
                model.popup.is_none() && model.form.is_none(),
                "{review} {c}"
            );
            assert_eq!(model.shell.toasts.len(), 1, "{review} {c}");
            assert!(
                model.shell.toasts[0].text.contains(reason)
                    && model.shell.toasts[0].text.contains(&row.id),
                "{review} {c}: {}",
                model.shell.toasts[0].text
            );
        }
    }

    let mut model = loaded(120, 40, 5);
    model.shell.context.readonly = true;
    for c in ['s', 'e', 't', 'n', 'A', 'l', 'S'] {
        model.shell.toasts.clear();
        assert!(ch(&mut model, c).is_empty(), "{c}");
        assert!(model.popup.is_none() && model.form.is_none(), "{c}");
        assert_eq!(model.shell.toasts.len(), 1, "{c}");
        assert!(model.shell.toasts[0].text.contains("Read-only"), "{c}");
    }
}

#[test]
fn a_conflict_keeps_the_edit_and_offers_to_reapply_it() {
    let (mut model, row) = on("Pending Submission");
    ch(&mut model, 's');
    ch(&mut model, 'j');
    let (request, intent) = mutate(&key(&mut model, KeyCode::Enter));
    let mut latest = row.clone();
    latest.next_steps = Some("Changed by a colleague".into());
    latest.last_modified = Some(NOW + HOUR);
    app::update(
        &mut model,
        Msg::Mutated {
            request,
            intent: Box::new(intent),
            result: Ok(Outcome::Conflict(Box::new(full(latest)))),
        },
    );
    assert!(matches!(&model.popup, Some(Popup::Conflict(_))));
    assert!(!model.shell.pending.contains_key(&row.id));
    let (_, again) = mutate(&ch(&mut model, 'r'));
    let Intent::Opportunities(Opp::Update { based_on, edit, .. }) = again else {
        panic!()
    };
    assert_eq!(
        based_on,
        NOW + HOUR,
        "re-applied on top of the latest version"
    );
    assert!(matches!(edit, OpportunityEdit::Stage { ref stage, .. } if *stage == Stage::Qualified));
}

#[test]
fn next_steps_are_counted_and_a_failed_submit_keeps_the_text() {
    let (mut model, row) = on("Pending Submission");
    open_next_steps(&mut model, &row, "Call the CTO");
    ctrl(&mut model, 'u');
    // Select all and replace: type a fresh text over the current one.
    edit_form(&mut model).field_mut(EditField::NextSteps).text =
        ratatui_textarea::TextArea::default();
    typed(&mut model, &"x".repeat(256));
    assert!(
        ctrl(&mut model, 's').is_empty(),
        "256 characters are refused locally"
    );
    assert!(
        edit_form(&mut model)
            .field(EditField::NextSteps)
            .error
            .as_ref()
            .unwrap()
            .contains("256")
    );
    key(&mut model, KeyCode::Backspace);
    let (request, intent) = mutate(&ctrl(&mut model, 's'));
    app::update(
        &mut model,
        Msg::Mutated {
            request,
            intent: Box::new(intent),
            result: Err(MutationError {
                conflict: false,
                message: "UpdateOpportunity was throttled".into(),
                fields: vec![],
            }),
        },
    );
    let form = edit_form(&mut model);
    assert_eq!(
        form.value(EditField::NextSteps).len(),
        255,
        "every character is still there"
    );
    assert!(form.body.banner.as_ref().unwrap().contains("throttled"));
    assert!(!model.shell.pending.contains_key(&row.id));
}

/// Presses `e` on `row`, which reads the full record first (the list does not keep next
/// steps), answers that read with `steps` as the record's next steps, and checks the form opens
/// on them.
fn open_next_steps(model: &mut Model, row: &OpportunitySummary, steps: &str) {
    let effects = ch(model, 'e');
    assert_eq!(effects.len(), 1, "{effects:?}");
    let Effect::Fetch {
        request,
        key: DetailKey::Opportunity(id),
        ..
    } = effects[0].clone()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(id, row.id);
    assert!(model.form.is_none(), "no form before the record is read");
    let mut current = full(row.clone());
    current.summary.next_steps = Some(steps.into());
    app::update(
        model,
        Msg::Detail {
            request,
            key: DetailKey::Opportunity(id),
            detail: Box::new(Detail::Opportunity(Box::new(current))),
        },
    );
    assert_eq!(edit_form(model).value(EditField::NextSteps), steps);
}

fn fill_create_form(model: &mut Model, company: &str, website: &str) {
    ch(model, 'n');
    typed(model, company);
    key(model, KeyCode::Tab); // country: US
    key(model, KeyCode::Tab);
    key(model, KeyCode::Right); // industry
    key(model, KeyCode::Tab);
    typed(model, website);
    key(model, KeyCode::Tab);
    typed(model, "98101");
    key(model, KeyCode::Tab);
    typed(model, "WA");
    key(model, KeyCode::Tab);
    typed(model, "Data platform");
    key(model, KeyCode::Tab);
    typed(model, "Forty stores need one view of their stock.");
    key(model, KeyCode::Tab);
    typed(model, "25000");
}

#[test]
fn create_validates_inline_and_reuses_the_token_for_the_same_draft() {
    let mut model = loaded(120, 40, 10);
    ch(&mut model, 'n');
    key(&mut model, KeyCode::Esc);
    assert!(
        model.form.is_none(),
        "an untouched form closes without asking"
    );
    ch(&mut model, 'n');
    key(&mut model, KeyCode::Tab);
    key(&mut model, KeyCode::Tab);
    key(&mut model, KeyCode::Tab);
    typed(&mut model, "x");
    assert!(ctrl(&mut model, 's').is_empty());
    let form = create_form(&model);
    assert!(
        form.field(Draft(DraftField::Company)).error.is_some()
            && form.field(Draft(DraftField::Website)).error.is_some()
            && form
                .field(Draft(DraftField::BusinessProblem))
                .error
                .is_some()
    );
    assert!(
        form.body
            .banner
            .as_ref()
            .unwrap()
            .contains("nothing was sent")
    );
    key(&mut model, KeyCode::Esc);
    assert!(
        matches!(model.popup, Some(Popup::DiscardForm)),
        "unsaved text asks first"
    );
    ch(&mut model, 'y');
    assert!(model.form.is_none());

    fill_create_form(
        &mut model,
        "Brand New Stores",
        "https://brandnew.example.com",
    );
    let effects = ctrl(&mut model, 's');
    if effects.is_empty() {
        let form = create_form(&model);
        panic!(
            "{:?} {:?}",
            form.body.banner,
            form.body
                .fields
                .iter()
                .map(|f| (f.label, f.value(), f.error.clone()))
                .collect::<Vec<_>>()
        );
    }
    let (request, first) = mutate(&effects);
    let Intent::Opportunities(Opp::Create {
        ref client_token,
        ref draft,
    }) = first
    else {
        panic!()
    };
    assert_eq!(draft.company, "Brand New Stores");
    assert_eq!(draft.industry, "Aerospace");
    let token = client_token.clone();
    app::update(
        &mut model,
        Msg::Mutated {
            request,
            intent: Box::new(first.clone()),
            result: Err(MutationError {
                conflict: false,
                message: "CreateOpportunity was refused".into(),
                fields: vec![(
                    "Customer.Account.WebsiteUrl".into(),
                    "not a valid URL".into(),
                )],
            }),
        },
    );
    let form = create_form(&model);
    assert_eq!(
        form.field(Draft(DraftField::Website)).error.as_deref(),
        Some("not a valid URL"),
        "server errors land on their field"
    );
    assert_eq!(form.value(Draft(DraftField::Company)), "Brand New Stores");
    // Retrying the same draft reuses the token: one opportunity however often it is sent.
    let (_, retry) = mutate(&ctrl(&mut model, 's'));
    assert!(
        matches!(retry, Intent::Opportunities(Opp::Create { ref client_token, .. }) if *client_token == token)
    );
    // A changed draft gets a new token.
    app::update(
        &mut model,
        Msg::Mutated {
            request: 0,
            intent: Box::new(retry),
            result: Err(MutationError {
                conflict: false,
                message: "x".into(),
                fields: vec![],
            }),
        },
    );
    typed(&mut model, "0");
    let (_, changed) = mutate(&ctrl(&mut model, 's'));
    assert!(
        matches!(changed, Intent::Opportunities(Opp::Create { ref client_token, .. }) if *client_token != token)
    );
    app::update(
        &mut model,
        Msg::Mutated {
            request: 1,
            intent: Box::new(changed),
            result: Ok(Outcome::Created("O4200000".into())),
        },
    );
    assert!(model.form.is_none());
    assert!(model.shell.toasts.last().unwrap().text.contains("O4200000"));
}

#[test]
fn a_customer_already_in_the_pipeline_is_flagged_before_sending() {
    let mut model = loaded(120, 40, 10);
    let existing = opportunity(1).customer;
    fill_create_form(
        &mut model,
        &format!("{existing}, Inc."),
        "https://new.example.com",
    );
    assert!(ctrl(&mut model, 's').is_empty());
    let Some(Popup::Confirm(confirm)) = &model.popup else {
        panic!("{:?}", model.popup)
    };
    assert!(confirm.lines.iter().any(|l| l.contains("O4100001")));
    let effects = ch(&mut model, 'y');
    assert!(matches!(
        mutate(&effects).1,
        Intent::Opportunities(Opp::Create { .. })
    ));
}

#[test]
fn linking_diffs_the_ticks_against_the_current_links() {
    let mut model = loaded(120, 40, 5);
    let row = model.opportunities.table.selected_row().unwrap().clone();
    let effects = ch(&mut model, 'l');
    let Some(Effect::Fetch {
        request,
        key: DetailKey::Opportunity(id),
        ..
    }) = effects.first().cloned()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(id, row.id);
    let mut current = full(row.clone());
    current.solutions = vec!["S-0001000".into()];
    app::update(
        &mut model,
        Msg::Detail {
            request,
            key: DetailKey::Opportunity(id),
            detail: Box::new(Detail::Opportunity(Box::new(current))),
        },
    );
    let p = picker(&model);
    assert_eq!(
        (0..p.choice_count())
            .map(|i| p.choice(i).2)
            .collect::<Vec<_>>(),
        vec![Some(true), Some(false)],
        "only active solutions, the linked one ticked"
    );
    ch(&mut model, ' ');
    ch(&mut model, 'j');
    ch(&mut model, ' ');
    let effects = key(&mut model, KeyCode::Enter);
    let intents: Vec<Intent> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Mutate { intent, .. } => Some((**intent).clone()),
            _ => None,
        })
        .collect();
    assert_eq!(
        intents,
        vec![
            Intent::Opportunities(Opp::Link {
                id: row.id.clone(),
                kind: LinkKind::Solution,
                entity: "S-0001000".into(),
                linked: false
            }),
            Intent::Opportunities(Opp::Link {
                id: row.id.clone(),
                kind: LinkKind::Solution,
                entity: "S-0001001".into(),
                linked: true
            }),
        ]
    );
}

/// A model whose selected row is a Pending Submission opportunity at `stage`.
fn pending_submission_at(stage: &str) -> (Model, OpportunitySummary) {
    let mut model = loaded(120, 40, 30);
    let mut row = opportunity(900);
    row.stage = Some(stage.into());
    row.review_status = Some("Pending Submission".into());
    model.opportunities.table.upsert(row.clone());
    while model.opportunities.table.selected_row().unwrap().id != row.id {
        ch(&mut model, 'j');
    }
    (model, row)
}

#[test]
fn a_prospect_submission_warns_in_the_confirmation_and_still_sends() {
    for stage in ["Prospect", "Closed Lost"] {
        let (mut model, row) = pending_submission_at(stage);
        ch(&mut model, 'S');
        key(&mut model, KeyCode::Enter); // Co-Sell
        key(&mut model, KeyCode::Enter); // Full
        let Some(Popup::Confirm(confirm)) = &model.popup else {
            panic!("{stage}: {:?} {:?}", model.popup, model.shell.toasts)
        };
        let warnings: Vec<&String> = confirm
            .lines
            .iter()
            .filter(|l| l.starts_with('⚠'))
            .collect();
        assert_eq!(warnings.len(), 1, "{stage}: {:?}", confirm.lines);
        assert!(warnings[0].contains(stage), "{}", warnings[0]);
        let (_, intent) = mutate(&ch(&mut model, 'y'));
        assert!(
            matches!(&intent, Intent::Opportunities(Opp::Submit { id, .. }) if *id == row.id),
            "{intent:?}"
        );
    }
    let (mut model, _) = pending_submission_at("Qualified");
    ch(&mut model, 'S');
    key(&mut model, KeyCode::Enter);
    key(&mut model, KeyCode::Enter);
    let Some(Popup::Confirm(confirm)) = &model.popup else {
        panic!("{:?}", model.popup)
    };
    assert!(
        !confirm.lines.iter().any(|l| l.starts_with('⚠')),
        "{:?}",
        confirm.lines
    );
}

#[test]
fn submission_is_confirmed_then_followed_until_complete() {
    let (mut model, row) = pending_submission_at("Qualified");
    ch(&mut model, 'S');
    key(&mut model, KeyCode::Enter); // Co-Sell
    key(&mut model, KeyCode::Enter); // Full
    let Some(Popup::Confirm(confirm)) = &model.popup else {
        panic!("{:?}", model.popup)
    };
    assert!(
        confirm
            .lines
            .iter()
            .any(|l| l.contains("cannot be withdrawn"))
    );
    let (request, intent) = mutate(&ch(&mut model, 'y'));
    assert!(
        matches!(&intent, Intent::Opportunities(Opp::Submit { involvement, visibility, .. }) if *involvement == InvolvementType::CoSell && *visibility == Visibility::Full)
    );
    let task = TaskState {
        id: "task-0000000000001".into(),
        status: TaskStatus::InProgress,
        ..Default::default()
    };
    let effects = app::update(
        &mut model,
        Msg::Mutated {
            request,
            intent: Box::new(intent),
            result: Ok(Outcome::TaskStarted(task.clone())),
        },
    );
    assert!(
        matches!(&effects[0], Effect::PollTask { task_id, .. } if task_id == "task-0000000000001")
    );
    assert!(model.shell.pending.contains_key(&row.id));
    let done = TaskState {
        status: TaskStatus::Complete,
        engagement_id: Some("eng-00000000000001".into()),
        ..task
    };
    let effects = app::update(
        &mut model,
        Msg::Task {
            request: 99,
            kind: app::TaskKind::Submission,
            target: row.id.clone(),
            result: Ok(done),
        },
    );
    assert!(
        matches!(&effects[0], Effect::Fetch { key: DetailKey::Opportunity(id), .. } if *id == row.id)
    );
    assert!(!model.shell.pending.contains_key(&row.id));
    assert!(
        model
            .shell
            .toasts
            .last()
            .unwrap()
            .text
            .contains("eng-00000000000001")
    );
    assert!(matches!(
        model.opportunities.details.get(&row.id),
        Some(Loadable::Loading(_))
    ));
}

#[test]
fn quick_filters_narrow_by_stage_and_review_and_esc_clears_them() {
    let mut model = loaded(120, 40, 60);
    tick_quick(
        &mut model,
        &["Stage: Qualified", "Stage: Committed", "Review: Approved"],
    );
    let shown: Vec<&OpportunitySummary> = model
        .opportunities
        .table
        .visible
        .iter()
        .map(|&i| &model.opportunities.table.rows[i])
        .collect();
    assert!(!shown.is_empty());
    assert!(shown.iter().all(
        |o| matches!(o.stage, Some(Stage::Qualified | Stage::Committed))
            && o.review_status == Some(ReviewStatus::Approved)
    ));
    let expected = model
        .opportunities
        .table
        .rows
        .iter()
        .filter(|o| {
            matches!(o.stage, Some(Stage::Qualified | Stage::Committed))
                && o.review_status == Some(ReviewStatus::Approved)
        })
        .count();
    assert_eq!(shown.len(), expected);
    key(&mut model, KeyCode::Esc);
    assert_eq!(model.opportunities.table.visible.len(), 60);
}

fn tick_quick(model: &mut Model, options: &[&str]) -> Vec<Effect> {
    ch(model, 'f');
    for option in options {
        move_to(model, option);
        ch(model, ' ');
    }
    key(model, KeyCode::Enter)
}

fn scoped_load(effects: &[Effect]) -> (u64, Vec<(Facet, String)>) {
    match effects {
        [
            Effect::Load {
                request,
                list: app::ListId::Opportunities,
                scope,
            },
            ..,
        ] => (*request, scope.clone()),
        other => panic!("expected a reload of the opportunities, got {other:?}"),
    }
}

fn pair(facet: Facet, value: &str) -> (Facet, String) {
    (facet, value.to_string())
}

#[test]
fn a_reload_under_quick_filters_asks_the_api_for_only_those_and_clearing_reads_everything() {
    let mut model = loaded(120, 40, 60);
    // The whole list is loaded: quick filters narrow it locally, with no call.
    assert!(tick_quick(&mut model, &["Stage: Qualified"]).is_empty());
    let (request, scope) = scoped_load(&ch(&mut model, 'R'));
    assert_eq!(scope, vec![pair(Facet::Stage, "Qualified")]);
    // Partner Central answers with the matching rows only; they replace the table.
    let qualified: Vec<OpportunitySummary> = (0..200)
        .map(opportunity)
        .filter(|o| o.stage == Some(Stage::Qualified))
        .take(7)
        .collect();
    app::update(
        &mut model,
        Msg::Page {
            request,
            page: app::Page::Opportunities(qualified.clone()),
        },
    );
    app::update(
        &mut model,
        Msg::ListDone {
            request,
            list: app::ListId::Opportunities,
        },
    );
    // The table keeps the list's columns of each row (compacted), in the API's order.
    let ids = |rows: &[OpportunitySummary]| rows.iter().map(|r| r.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&model.opportunities.table.rows), ids(&qualified));
    assert_eq!(
        model.opportunities.table.scope,
        vec![pair(Facet::Stage, "Qualified")]
    );

    // Another filter cannot be served from rows read under this one: read again.
    let (request, scope) = scoped_load(&tick_quick(&mut model, &["Review: Approved"]));
    assert_eq!(
        scope,
        vec![
            pair(Facet::Stage, "Qualified"),
            pair(Facet::ReviewStatus, "Approved")
        ]
    );
    assert_eq!(model.opportunities.table.request, Some(request));

    // Clearing the quick filters reads the whole list again.
    let (request, scope) = scoped_load(&key(&mut model, KeyCode::Esc));
    assert!(scope.is_empty());
    app::update(
        &mut model,
        Msg::Page {
            request,
            page: app::Page::Opportunities((0..60).map(opportunity).collect()),
        },
    );
    assert!(model.opportunities.table.scope.is_empty());
    assert_eq!(model.opportunities.table.rows.len(), 60);
    // With the whole list in hand, filters are local again.
    assert!(tick_quick(&mut model, &["Stage: Committed"]).is_empty());
}

#[test]
fn the_create_form_checks_the_field_being_typed() {
    let mut model = loaded(120, 40, 5);
    ch(&mut model, 'n');
    for _ in 0..7 {
        key(&mut model, KeyCode::Tab);
    }
    typed(&mut model, "too short");
    let form = create_form(&model);
    let problem = &form.field(Draft(DraftField::BusinessProblem)).error;
    assert!(
        problem.as_ref().unwrap().contains("20 to 2000"),
        "{problem:?}"
    );
    assert!(
        form.field(Draft(DraftField::Company)).error.is_none(),
        "untouched fields wait"
    );
    typed(&mut model, " to be a real business problem");
    assert!(
        create_form(&model)
            .field(Draft(DraftField::BusinessProblem))
            .error
            .is_none()
    );
}

/// Replaces the text of `field` in the open edit form with `text`, as select-all and type would.
fn retype(model: &mut Model, field: EditField, text: &str) {
    let form = edit_form(model);
    form.focus_on(field);
    form.field_mut(field).text = ratatui_textarea::TextArea::default();
    typed(model, text);
}

#[test]
fn answering_aws_review_reads_the_record_checks_both_fields_and_confirms_the_return_to_review() {
    let (mut model, row) = on("Action Required");
    let effects = ch(&mut model, 'E');
    assert_eq!(effects.len(), 1, "{effects:?}");
    let Effect::Fetch {
        request,
        key: DetailKey::Opportunity(id),
        ..
    } = effects[0].clone()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(id, row.id);
    assert!(model.form.is_none(), "no form before the record is read");
    let comment = "Please add the customer's website and a more specific business problem";
    let mut current = full(row.clone());
    current.summary.review_comments = Some(comment.into());
    current.summary.website = Some("acme".into());
    current.business_problem = Some("Needs cloud".into());
    app::update(
        &mut model,
        Msg::Detail {
            request,
            key: DetailKey::Opportunity(id),
            detail: Box::new(Detail::Opportunity(Box::new(current))),
        },
    );
    let form = edit_form(&mut model);
    assert_eq!(form.value(EditField::Website), "acme");
    assert_eq!(form.value(EditField::BusinessProblem), "Needs cloud");
    assert_eq!(
        form.body.note.as_deref(),
        Some(format!("AWS asks: {comment}").as_str())
    );

    // Both values as the record had them are refused, each on its field, and nothing is sent.
    assert!(ctrl(&mut model, 's').is_empty());
    let form = edit_form(&mut model);
    assert!(
        form.body.note.as_deref().unwrap().contains(comment),
        "AWS's ask stays in view"
    );
    assert!(form.field(EditField::Website).error.is_some());
    assert!(
        form.field(EditField::BusinessProblem)
            .error
            .as_ref()
            .unwrap()
            .contains("(11 now)")
    );

    let website = "https://www.acme-retail.example.com";
    let problem = "Checkout fails at peak; the customer needs autoscaling before Black Friday.";
    retype(&mut model, EditField::Website, website);
    retype(&mut model, EditField::BusinessProblem, problem);
    assert!(
        ctrl(&mut model, 's').is_empty(),
        "nothing is sent before the confirmation"
    );
    let Some(Popup::Confirm(confirm)) = &model.popup else {
        panic!("a confirmation: {:?}", model.popup);
    };
    assert_eq!(
        confirm.title,
        format!("Send {} back to AWS review?", row.id)
    );
    let (_, intent) = mutate(&ch(&mut model, 'y'));
    let Intent::Opportunities(Opp::Update { id, edit, based_on }) = intent else {
        panic!("{intent:?}")
    };
    assert_eq!((id, based_on), (row.id.clone(), row.last_modified.unwrap()));
    assert_eq!(
        edit,
        OpportunityEdit::WebsiteAndProblem {
            website: website.into(),
            business_problem: problem.into(),
        }
    );
}

fn full_edit_form(model: &mut Model) -> &mut Form<FullField> {
    match &mut model.form {
        Some(OpenForm::Opportunities(OppForm::Full { form, .. })) => form,
        other => panic!("the full edit form is not open: {other:?}"),
    }
}

/// Opens the full edit form (F) on `row`, answering the read it asks for with `document`.
fn open_full_edit(model: &mut Model, row: &OpportunitySummary, document: serde_json::Value) {
    let effects = ch(model, 'F');
    let [
        Effect::Fetch {
            request,
            key: DetailKey::Opportunity(id),
            ..
        },
    ] = effects.as_slice()
    else {
        panic!("one read first: {effects:?}")
    };
    assert!(model.form.is_none(), "no form before the record is read");
    let mut current = full(row.clone());
    current.document = document;
    app::update(
        model,
        Msg::Detail {
            request: *request,
            key: DetailKey::Opportunity(id.clone()),
            detail: Box::new(Detail::Opportunity(Box::new(current))),
        },
    );
}

#[test]
fn the_full_edit_of_an_action_required_record_opens_on_the_website_and_sends_only_what_changed() {
    let (mut model, row) = on("Action Required");
    let document = serde_json::json!({
        "Customer": {"Account": {
            "CompanyName": row.customer.to_string(),
            "Industry": "Retail",
            "WebsiteUrl": "acme",
            "Address": {"CountryCode": "US", "PostalCode": "98101"},
        }},
        "Project": {"Title": "Data lake", "CustomerBusinessProblem": "Needs cloud",
                    "DeliveryModels": ["Resell", "SaaS or PaaS"]},
        "LifeCycle": {"Stage": "Qualified", "TargetCloseDate": "2099-01-31",
                      "ReviewStatus": "Action Required"},
    });
    open_full_edit(&mut model, &row, document);
    let form = full_edit_form(&mut model);
    assert_eq!(form.focused(), FullField::Website, "where AWS's ask starts");
    assert_eq!(form.value(FullField::Website), "acme");
    assert_eq!(
        form.value(FullField::DeliveryModels),
        "SaaS or PaaS, Resell",
        "ticked in the options' order"
    );
    for (field, locked) in [
        (FullField::Industry, true),
        (FullField::Stage, true),
        (FullField::Title, true),
        (FullField::Website, false),
        (FullField::BusinessProblem, false),
        (FullField::PostalCode, false),
        (FullField::Spend, false),
    ] {
        assert_eq!(form.field(field).locked.is_some(), locked, "{field:?}");
    }
    assert!(
        form.body
            .note
            .as_deref()
            .unwrap()
            .contains("Action Required"),
        "{:?}",
        form.body.note
    );
    // A locked field takes no typing, and tab passes over locked fields.
    form.focus_on(FullField::Industry);
    typed(&mut model, "x");
    assert_eq!(
        full_edit_form(&mut model).value(FullField::Industry),
        "Retail"
    );
    full_edit_form(&mut model).focus_on(FullField::Website);
    key(&mut model, KeyCode::Tab);
    assert_eq!(
        full_edit_form(&mut model).focused(),
        FullField::Street,
        "the customer's AWS account and DUNS are locked while Action Required"
    );

    // A website that is not one is refused on its field; nothing is sent.
    full_edit_form(&mut model).focus_on(FullField::Website);
    typed(&mut model, " corp");
    assert!(ctrl(&mut model, 's').is_empty());
    assert!(
        full_edit_form(&mut model)
            .field(FullField::Website)
            .error
            .is_some()
    );
    let website = "https://www.acme-retail.example.com";
    full_edit_form(&mut model)
        .field_mut(FullField::Website)
        .text = ratatui_textarea::TextArea::default();
    typed(&mut model, website);
    assert!(ctrl(&mut model, 's').is_empty(), "a confirmation first");
    let Some(Popup::Confirm(confirm)) = &model.popup else {
        panic!("a confirmation: {:?}", model.popup);
    };
    assert!(
        confirm.lines[0].contains("Customer.Account.WebsiteUrl"),
        "{:?}",
        confirm.lines
    );
    let (_, intent) = mutate(&ch(&mut model, 'y'));
    let Intent::Opportunities(Opp::Update { id, edit, based_on }) = intent else {
        panic!("{intent:?}")
    };
    assert_eq!((id, based_on), (row.id.clone(), row.last_modified.unwrap()));
    assert_eq!(
        edit,
        OpportunityEdit::Fields {
            patch: serde_json::json!({"Customer": {"Account": {"WebsiteUrl": website}}}),
            paths: vec!["Customer.Account.WebsiteUrl".into()],
        },
        "only the website: the delivery models, ticked in another order, did not change"
    );
}

#[test]
fn a_marketplace_offer_is_linked_by_id_and_one_not_linked_cannot_be_unlinked() {
    let (mut model, row) = on("Pending Submission");
    let effects = ch(&mut model, 'M');
    let [
        Effect::Fetch {
            request,
            key: DetailKey::Opportunity(id),
            ..
        },
    ] = effects.as_slice()
    else {
        panic!("the record is read first: {effects:?}")
    };
    let linked_set =
        "arn:aws:aws-marketplace:us-east-1:999999999999:AWSMarketplace/OfferSet/os-linked";
    let mut current = full(row.clone());
    current.marketplace_entities = vec![linked_set.into()];
    app::update(
        &mut model,
        Msg::Detail {
            request: *request,
            key: DetailKey::Opportunity(id.clone()),
            detail: Box::new(Detail::Opportunity(Box::new(current))),
        },
    );
    let form = match &model.form {
        Some(OpenForm::Opportunities(OppForm::Marketplace { form, .. })) => form,
        other => panic!("the Marketplace form: {other:?}"),
    };
    assert!(form.body.note.as_deref().unwrap().contains(linked_set));
    assert_eq!(form.focused(), MarketplaceField::Entity);

    // Unlinking an offer the record does not have: refused on the field, nothing sent.
    let offer = "arn:aws:aws-marketplace:us-east-1:999999999999:AWSMarketplace/Offer/offer-abc";
    typed(&mut model, offer);
    key(&mut model, KeyCode::Tab);
    key(&mut model, KeyCode::Right);
    assert!(ctrl(&mut model, 's').is_empty());
    let Some(OpenForm::Opportunities(OppForm::Marketplace { form, .. })) = &mut model.form else {
        panic!("the form stays open");
    };
    assert!(
        form.field(MarketplaceField::Entity)
            .error
            .as_deref()
            .unwrap()
            .contains("not linked"),
        "{:?}",
        form.field(MarketplaceField::Entity).error
    );
    form.focus_on(MarketplaceField::Action);
    key(&mut model, KeyCode::Left);
    let (_, intent) = mutate(&ctrl(&mut model, 's'));
    assert_eq!(
        intent,
        Intent::Opportunities(Opp::Link {
            id: row.id.clone(),
            kind: LinkKind::MarketplaceOffer,
            entity: offer.into(),
            linked: true,
        })
    );
}

#[test]
fn a_record_aws_is_reviewing_has_nothing_to_edit_in_full() {
    let (mut model, row) = on("In review");
    assert!(ch(&mut model, 'F').is_empty(), "nothing is read");
    assert!(model.form.is_none());
    let toast = model.shell.toasts.last().unwrap();
    assert!(
        toast.level == Level::Error
            && toast.text.contains("reviewing")
            && toast.text.contains(&row.id),
        "{}",
        toast.text
    );
}

#[test]
fn the_website_and_problem_are_frozen_once_aws_approves_and_while_it_reviews() {
    for (review, reason) in [("Approved", "froze"), ("In review", "reviewing")] {
        let (mut model, row) = on(review);
        assert!(ch(&mut model, 'E').is_empty(), "{review}: nothing is read");
        assert!(model.form.is_none());
        let toast = model.shell.toasts.last().unwrap();
        assert!(
            toast.level == Level::Error
                && toast.text.contains(reason)
                && toast.text.contains(&row.id),
            "{review}: {}",
            toast.text
        );
    }
}

#[test]
fn aws_products_are_found_by_name_ticked_while_searching_and_linked_by_difference() {
    let (mut model, row) = on("Pending Submission");
    let effects = ch(&mut model, 'P');
    let Some(Effect::Fetch {
        request,
        key: DetailKey::Opportunity(id),
        ..
    }) = effects.first().cloned()
    else {
        panic!("{effects:?}")
    };
    let mut current = full(row.clone());
    current.aws_products = vec!["AWSAIFactories".into()];
    app::update(
        &mut model,
        Msg::Detail {
            request,
            key: DetailKey::Opportunity(id),
            detail: Box::new(Detail::Opportunity(Box::new(current))),
        },
    );
    let products = cosell::app::features::opportunities::products::all();
    let p = picker(&model);
    assert_eq!(p.choice_count(), products.len(), "every product is offered");
    let ticked: Vec<String> = (0..p.choice_count())
        .filter(|&i| p.choice(i).2 == Some(true))
        .map(|i| p.choice(i).0.to_string())
        .collect();
    assert_eq!(
        ticked,
        vec!["AWS AI Factories (AWSAIFactories)".to_string()]
    );

    // Found by part of its name, with spaces typed into the search, and ticked with tab.
    typed(&mut model, "agent registry");
    let p = picker(&model);
    assert_eq!(
        p.visible_choices()
            .iter()
            .map(|&i| p.choice(i).0.to_string())
            .collect::<Vec<_>>(),
        vec!["AWS Agent Registry (AWSAgentRegistry)".to_string()]
    );
    key(&mut model, KeyCode::Tab);
    let effects = key(&mut model, KeyCode::Enter);
    let intents: Vec<Intent> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Mutate { intent, .. } => Some((**intent).clone()),
            _ => None,
        })
        .collect();
    assert_eq!(
        intents,
        vec![Intent::Opportunities(Opp::Link {
            id: row.id.clone(),
            kind: LinkKind::AwsProduct,
            entity: "AWSAgentRegistry".into(),
            linked: true,
        })],
        "only the new tick is sent; the linked one stays"
    );
}

#[test]
fn the_product_search_finds_what_is_on_screen_the_family_included() {
    let (mut model, row) = on("Pending Submission");
    let effects = ch(&mut model, 'P');
    let Some(Effect::Fetch { request, key, .. }) = effects.first().cloned() else {
        panic!("{effects:?}")
    };
    app::update(
        &mut model,
        Msg::Detail {
            request,
            key,
            detail: Box::new(Detail::Opportunity(Box::new(full(row)))),
        },
    );
    typed(&mut model, "analytics");
    let expected = cosell::app::features::opportunities::products::all()
        .iter()
        .filter(|p| {
            format!("{} ({}) {}", p.name, p.identifier, p.family)
                .to_lowercase()
                .contains("analytics")
        })
        .count();
    assert!(expected > 10, "the premise: a family, not one product");
    assert_eq!(picker(&model).visible_choices().len(), expected);
}

#[test]
fn a_shared_opportunity_is_offered_to_active_connections_only_and_the_invitation_sent_once() {
    let (mut model, row) = on("Approved");
    assert!(ch(&mut model, 'I').is_empty());
    let labels = crate::fixtures::picker_labels(&model);
    let active: Vec<String> = crate::fixtures::connections()
        .into_iter()
        .filter(|c| c.types.iter().any(|t| t.status.as_str() == "ACTIVE"))
        .map(|c| c.other_name.unwrap())
        .collect();
    assert_eq!(
        active.len(),
        1,
        "the premise: one active, one canceled connection"
    );
    assert!(
        labels
            .iter()
            .all(|l| active.iter().any(|a| l.contains(a.as_str())))
            && labels.len() == 1,
        "only active partners are offered: {labels:?}"
    );
    assert!(
        key(&mut model, KeyCode::Enter).is_empty(),
        "a confirmation first"
    );
    let Some(Popup::Confirm(confirm)) = &model.popup else {
        panic!("{:?}", model.popup)
    };
    assert!(
        confirm.title.contains("Contoso Data Partners"),
        "{}",
        confirm.title
    );
    let (_, intent) = mutate(&ch(&mut model, 'y'));
    assert_eq!(
        intent,
        Intent::Opportunities(Opp::Share {
            id: row.id.clone(),
            partner: "210987654321".into(),
            partner_name: "Contoso Data Partners".into(),
            client_token: format!("cosell-share-{}-210987654321", row.id),
        })
    );
}

#[test]
fn an_opportunity_not_yet_submitted_cannot_be_shared_and_says_why() {
    let (mut model, row) = on("Pending Submission");
    assert!(ch(&mut model, 'I').is_empty());
    assert!(model.popup.is_none());
    let toast = model.shell.toasts.last().unwrap();
    assert!(
        toast.text.contains(&row.id) && toast.text.contains("submit it to AWS first"),
        "{}",
        toast.text
    );
}

#[test]
fn a_product_ticked_while_the_links_load_stays_ticked_when_they_arrive() {
    let (mut model, row) = on("Pending Submission");
    let effects = ch(&mut model, 'P');
    let Some(Effect::Fetch {
        request,
        key: DetailKey::Opportunity(id),
        ..
    }) = effects.first().cloned()
    else {
        panic!("{effects:?}")
    };
    // Ticked before the record says what is linked.
    typed(&mut model, "agent registry");
    key(&mut model, KeyCode::Tab);
    let mut current = full(row.clone());
    current.aws_products = vec!["AWSAIFactories".into()];
    app::update(
        &mut model,
        Msg::Detail {
            request,
            key: DetailKey::Opportunity(id),
            detail: Box::new(Detail::Opportunity(Box::new(current))),
        },
    );
    let p = picker(&model);
    let ticked: Vec<String> = (0..p.choice_count())
        .filter(|&i| p.choice(i).2 == Some(true))
        .map(|i| p.choice(i).0.to_string())
        .collect();
    assert_eq!(
        ticked,
        vec![
            "AWS AI Factories (AWSAIFactories)".to_string(),
            "AWS Agent Registry (AWSAgentRegistry)".to_string(),
        ],
        "what the record has, and the tick typed while it loaded"
    );
}
