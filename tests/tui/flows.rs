//! Opportunity actions as `update` rules: stage, closed-lost reason, locks, read-only, conflict
//! and re-apply, forms that keep their text, ClientToken reuse, duplicates, links, submission.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use cosell::app::popup::{FormFor, Intent, PickFor, Popup};
use cosell::app::{
    self, Detail, DetailKey, Effect, Level, Loadable, Model, Msg, MutationError, Outcome,
};
use cosell_core::partner::types::*;

use crate::fixtures::{HOUR, NOW, loaded, opportunity};

fn key(model: &mut Model, code: KeyCode) -> Vec<Effect> {
    app::update(model, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}
fn ch(model: &mut Model, c: char) -> Vec<Effect> {
    key(model, KeyCode::Char(c))
}
fn typed(model: &mut Model, text: &str) {
    for c in text.chars() {
        ch(model, c);
    }
}
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
        let row = model.opportunities.selected_row().unwrap().clone();
        if row.review_status.as_deref() == Some(review) {
            return (model, row);
        }
        ch(&mut model, 'j');
    }
}

use crate::fixtures::mutate;

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
        matches!(&model.popup, Some(Popup::Picker(p)) if p.purpose == PickFor::Stage { id: row.id.clone() })
    );
    ch(&mut model, 'j');
    let effects = key(&mut model, KeyCode::Enter);
    let (request, intent) = mutate(&effects);
    let Intent::Update { id, based_on, edit } = intent.clone() else {
        panic!("{intent:?}")
    };
    assert_eq!(
        (id.as_str(), Some(based_on)),
        (row.id.as_str(), row.last_modified)
    );
    assert!(
        matches!(edit, OpportunityEdit::Stage { ref stage, closed_lost_reason: None } if stage == "Qualified")
    );
    assert!(
        model.pending.contains_key(&row.id),
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
    assert!(!model.pending.contains_key(&row.id));
    let shown = model
        .opportunities
        .rows
        .iter()
        .find(|o| o.id == row.id)
        .unwrap();
    assert_eq!(shown.stage.as_deref(), Some("Qualified"));
    assert_eq!(model.toasts.last().unwrap().level, Level::Info);
}

#[test]
fn closed_lost_asks_for_a_reason() {
    let (mut model, row) = on("Approved");
    ch(&mut model, 's');
    if let Some(Popup::Picker(p)) = &mut model.popup {
        p.cursor = p.options.iter().position(|o| o == "Closed Lost").unwrap();
    }
    key(&mut model, KeyCode::Enter);
    assert!(
        matches!(&model.popup, Some(Popup::Picker(p)) if p.purpose == PickFor::ClosedLostReason { id: row.id.clone() })
    );
    ch(&mut model, 'j');
    let (_, intent) = mutate(&key(&mut model, KeyCode::Enter));
    assert!(
        matches!(intent, Intent::Update { edit: OpportunityEdit::Stage { closed_lost_reason: Some(ref r), .. }, .. } if r == "Delay / Cancellation of Project")
    );
}

#[test]
fn locked_records_say_why_and_readonly_refuses_everything() {
    let (mut model, row) = on("In review");
    assert!(ch(&mut model, 's').is_empty());
    assert!(model.popup.is_none());
    let toast = model.toasts.last().unwrap();
    assert!(
        toast.level == Level::Error
            && toast.text.contains("reviewing")
            && toast.text.contains(&row.id)
    );

    let (mut model, _) = on("Action Required");
    ch(&mut model, 's');
    assert!(
        model
            .toasts
            .last()
            .unwrap()
            .text
            .contains("Action Required")
    );
    ch(&mut model, 't');
    assert!(
        matches!(
            model.form.as_ref().map(|f| &f.purpose),
            Some(FormFor::TargetCloseDate { .. })
        ),
        "close date stays editable"
    );

    // Submitted and Rejected records refuse every change, each with its own reason.
    for (review, reason) in [("Submitted", "reviewing"), ("Rejected", "rejected by AWS")] {
        let (mut model, row) = pending_submission_at("Qualified");
        let mut locked = row.clone();
        locked.review_status = Some(review.into());
        model.opportunities.upsert(locked);
        for c in ['s', 'e', 't'] {
            model.toasts.clear();
            assert!(ch(&mut model, c).is_empty(), "{review} {c}");
            assert!(
                model.popup.is_none() && model.form.is_none(),
                "{review} {c}"
            );
            assert_eq!(model.toasts.len(), 1, "{review} {c}");
            assert!(
                model.toasts[0].text.contains(reason) && model.toasts[0].text.contains(&row.id),
                "{review} {c}: {}",
                model.toasts[0].text
            );
        }
    }

    let mut model = loaded(120, 40, 5);
    model.context.readonly = true;
    for c in ['s', 'e', 't', 'n', 'A', 'l', 'S'] {
        model.toasts.clear();
        assert!(ch(&mut model, c).is_empty(), "{c}");
        assert!(model.popup.is_none() && model.form.is_none(), "{c}");
        assert_eq!(model.toasts.len(), 1, "{c}");
        assert!(model.toasts[0].text.contains("Read-only"), "{c}");
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
    assert!(matches!(&model.popup, Some(Popup::Conflict { .. })));
    assert!(!model.pending.contains_key(&row.id));
    let (_, again) = mutate(&ch(&mut model, 'r'));
    let Intent::Update { based_on, edit, .. } = again else {
        panic!()
    };
    assert_eq!(
        based_on,
        NOW + HOUR,
        "re-applied on top of the latest version"
    );
    assert!(matches!(edit, OpportunityEdit::Stage { ref stage, .. } if stage == "Qualified"));
}

#[test]
fn next_steps_are_counted_and_a_failed_submit_keeps_the_text() {
    let (mut model, row) = on("Pending Submission");
    ch(&mut model, 'e');
    ctrl(&mut model, 'u');
    // Select all and replace: type a fresh text over the current one.
    let form = model.form.as_mut().unwrap();
    form.fields[0].text = ratatui_textarea::TextArea::default();
    typed(&mut model, &"x".repeat(256));
    assert!(
        ctrl(&mut model, 's').is_empty(),
        "256 characters are refused locally"
    );
    assert!(
        model.form.as_ref().unwrap().fields[0]
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
                message: "UpdateOpportunity was throttled".into(),
                fields: vec![],
            }),
        },
    );
    let form = model.form.as_ref().expect("the form stays open");
    assert_eq!(
        form.fields[0].value().len(),
        255,
        "every character is still there"
    );
    assert!(form.banner.as_ref().unwrap().contains("throttled"));
    assert!(!model.pending.contains_key(&row.id));
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
    let form = model.form.as_ref().unwrap();
    assert!(
        form.fields[0].error.is_some()
            && form.fields[3].error.is_some()
            && form.fields[7].error.is_some()
    );
    assert!(form.banner.as_ref().unwrap().contains("nothing was sent"));
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
        let form = model.form.as_ref().unwrap();
        panic!(
            "{:?} {:?}",
            form.banner,
            form.fields
                .iter()
                .map(|f| (f.label, f.value(), f.error.clone()))
                .collect::<Vec<_>>()
        );
    }
    let (request, first) = mutate(&effects);
    let Intent::Create {
        ref client_token,
        ref draft,
    } = first
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
                message: "CreateOpportunity was refused".into(),
                fields: vec![(
                    "Customer.Account.WebsiteUrl".into(),
                    "not a valid URL".into(),
                )],
            }),
        },
    );
    let form = model.form.as_ref().unwrap();
    assert_eq!(
        form.fields[3].error.as_deref(),
        Some("not a valid URL"),
        "server errors land on their field"
    );
    assert_eq!(form.fields[0].value(), "Brand New Stores");
    // Retrying the same draft reuses the token: one opportunity however often it is sent.
    let (_, retry) = mutate(&ctrl(&mut model, 's'));
    assert!(matches!(retry, Intent::Create { ref client_token, .. } if *client_token == token));
    // A changed draft gets a new token.
    app::update(
        &mut model,
        Msg::Mutated {
            request: 0,
            intent: Box::new(retry),
            result: Err(MutationError {
                message: "x".into(),
                fields: vec![],
            }),
        },
    );
    typed(&mut model, "0");
    let (_, changed) = mutate(&ctrl(&mut model, 's'));
    assert!(matches!(changed, Intent::Create { ref client_token, .. } if *client_token != token));
    app::update(
        &mut model,
        Msg::Mutated {
            request: 1,
            intent: Box::new(changed),
            result: Ok(Outcome::Created("O4200000".into())),
        },
    );
    assert!(model.form.is_none());
    assert!(model.toasts.last().unwrap().text.contains("O4200000"));
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
    assert!(matches!(mutate(&effects).1, Intent::Create { .. }));
}

#[test]
fn linking_diffs_the_ticks_against_the_current_links() {
    let mut model = loaded(120, 40, 5);
    let row = model.opportunities.selected_row().unwrap().clone();
    let effects = ch(&mut model, 'l');
    let Some(Effect::Fetch {
        request,
        key: DetailKey::Opportunity(id),
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
    let Some(Popup::Picker(picker)) = &model.popup else {
        panic!()
    };
    assert_eq!(
        picker.checked.as_ref().unwrap(),
        &vec![true, false],
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
            Intent::Link {
                id: row.id.clone(),
                solution: "S-0001000".into(),
                linked: false
            },
            Intent::Link {
                id: row.id.clone(),
                solution: "S-0001001".into(),
                linked: true
            },
        ]
    );
}

/// A model whose selected row is a Pending Submission opportunity at `stage`.
fn pending_submission_at(stage: &str) -> (Model, OpportunitySummary) {
    let mut model = loaded(120, 40, 30);
    let mut row = opportunity(900);
    row.stage = Some(stage.into());
    row.review_status = Some("Pending Submission".into());
    model.opportunities.upsert(row.clone());
    while model.opportunities.selected_row().unwrap().id != row.id {
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
            panic!("{stage}: {:?} {:?}", model.popup, model.toasts)
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
            matches!(&intent, Intent::Submit { id, .. } if *id == row.id),
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
        matches!(&intent, Intent::Submit { involvement, visibility, .. } if involvement == "Co-Sell" && visibility == "Full")
    );
    let task = TaskState {
        id: "task-0000000000001".into(),
        status: "IN_PROGRESS".into(),
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
    assert!(model.pending.contains_key(&row.id));
    let done = TaskState {
        status: "COMPLETE".into(),
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
    assert!(!model.pending.contains_key(&row.id));
    assert!(
        model
            .toasts
            .last()
            .unwrap()
            .text
            .contains("eng-00000000000001")
    );
    assert!(matches!(
        model.details.get(&DetailKey::Opportunity(row.id)),
        Some(Loadable::Loading(_))
    ));
}

#[test]
fn quick_filters_narrow_by_stage_and_review_and_esc_clears_them() {
    let mut model = loaded(120, 40, 60);
    ch(&mut model, 'f');
    let Some(Popup::Picker(picker)) = &model.popup else {
        panic!()
    };
    let qualified = picker
        .options
        .iter()
        .position(|o| o == "Stage: Qualified")
        .unwrap();
    let committed = picker
        .options
        .iter()
        .position(|o| o == "Stage: Committed")
        .unwrap();
    let approved = picker
        .options
        .iter()
        .position(|o| o == "Review: Approved")
        .unwrap();
    for target in [qualified, committed, approved] {
        if let Some(Popup::Picker(p)) = &mut model.popup {
            p.cursor = target;
        }
        ch(&mut model, ' ');
    }
    key(&mut model, KeyCode::Enter);
    let shown: Vec<&OpportunitySummary> = model
        .opportunities
        .visible
        .iter()
        .map(|&i| &model.opportunities.rows[i])
        .collect();
    assert!(!shown.is_empty());
    assert!(shown.iter().all(
        |o| matches!(o.stage.as_deref(), Some("Qualified" | "Committed"))
            && o.review_status.as_deref() == Some("Approved")
    ));
    let expected = model
        .opportunities
        .rows
        .iter()
        .filter(|o| {
            matches!(o.stage.as_deref(), Some("Qualified" | "Committed"))
                && o.review_status.as_deref() == Some("Approved")
        })
        .count();
    assert_eq!(shown.len(), expected);
    key(&mut model, KeyCode::Esc);
    assert_eq!(model.opportunities.visible.len(), 60);
}

fn tick_quick(model: &mut Model, options: &[&str]) -> Vec<Effect> {
    ch(model, 'f');
    for option in options {
        let Some(Popup::Picker(p)) = &mut model.popup else {
            panic!("the quick-filter picker is open")
        };
        p.cursor = p.options.iter().position(|o| o == option).unwrap();
        ch(model, ' ');
    }
    key(model, KeyCode::Enter)
}

fn scoped_load(effects: &[Effect]) -> (u64, Vec<(String, String)>) {
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

fn pair(group: &str, value: &str) -> (String, String) {
    (group.to_string(), value.to_string())
}

#[test]
fn a_reload_under_quick_filters_asks_the_api_for_only_those_and_clearing_reads_everything() {
    let mut model = loaded(120, 40, 60);
    // The whole list is loaded: quick filters narrow it locally, with no call.
    assert!(tick_quick(&mut model, &["Stage: Qualified"]).is_empty());
    let (request, scope) = scoped_load(&ch(&mut model, 'R'));
    assert_eq!(scope, vec![pair("stage", "Qualified")]);
    // Partner Central answers with the matching rows only; they replace the table.
    let qualified: Vec<OpportunitySummary> = (0..200)
        .map(opportunity)
        .filter(|o| o.stage.as_deref() == Some("Qualified"))
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
    assert_eq!(model.opportunities.rows, qualified);
    assert_eq!(model.opportunities.scope, vec![pair("stage", "Qualified")]);

    // Another filter cannot be served from rows read under this one: read again.
    let (request, scope) = scoped_load(&tick_quick(&mut model, &["Review: Approved"]));
    assert_eq!(
        scope,
        vec![pair("stage", "Qualified"), pair("review", "Approved")]
    );
    assert_eq!(model.opportunities.request, Some(request));

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
    assert!(model.opportunities.scope.is_empty());
    assert_eq!(model.opportunities.rows.len(), 60);
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
    let form = model.form.as_ref().unwrap();
    assert!(
        form.fields[7]
            .error
            .as_ref()
            .unwrap()
            .contains("20 to 2000"),
        "{:?}",
        form.fields[7].error
    );
    assert!(form.fields[0].error.is_none(), "untouched fields wait");
    typed(&mut model, " to be a real business problem");
    assert!(model.form.as_ref().unwrap().fields[7].error.is_none());
}
