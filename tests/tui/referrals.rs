//! Referral answers as `update` rules: accept and follow, reject with a reason, batches with
//! partial failure, the duplicate hint, read-only.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use cosell::app::core::form::Form;
use cosell::app::features::referrals::types::{Intent as Ref, OpenForm as RefForm, RejectField};
use cosell::app::{
    self, Detail, DetailKey, Effect, Intent, Level, Model, Msg, MutationError, OpenForm, Outcome,
    Popup, Tab, TaskKind,
};
use cosell_core::partner::types::*;

use crate::fixtures::{ch, key};
use crate::fixtures::{loaded, opportunity};

fn inbox() -> Model {
    let mut model = loaded(120, 40, 10);
    ch(&mut model, '2');
    model
}

/// The open reject form.
fn reject_form(model: &Model) -> (&Vec<String>, &Form<RejectField>) {
    match &model.form {
        Some(OpenForm::Referrals(RefForm::Reject { ids, form })) => (ids, form),
        other => panic!("the reject form is not open: {other:?}"),
    }
}

fn intents(effects: &[Effect]) -> Vec<(u64, Intent)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Mutate { request, intent } => Some((*request, (**intent).clone())),
            _ => None,
        })
        .collect()
}

#[test]
fn pending_referrals_are_read_in_full_and_flag_duplicates() {
    let mut model = Model::new(
        crate::fixtures::context(),
        Default::default(),
        crate::fixtures::NOW,
        120,
        40,
    );
    let effects = app::init(&mut model);
    let load = |list| crate::fixtures::load_request(&effects, list);
    let opportunities = load(app::ListId::Opportunities);
    app::update(
        &mut model,
        Msg::Page {
            request: opportunities,
            page: app::Page::Opportunities((0..5).map(opportunity).collect()),
        },
    );
    app::update(
        &mut model,
        Msg::ListDone {
            request: opportunities,
            list: app::ListId::Opportunities,
        },
    );
    let referrals = load(app::ListId::Referrals);
    let fetched = app::update(
        &mut model,
        Msg::Page {
            request: referrals,
            page: app::Page::Referrals(vec![
                crate::fixtures::referral(1, "PENDING", 3_600_000),
                crate::fixtures::referral(2, "ACCEPTED", -1),
            ]),
        },
    );
    let fetches: Vec<&DetailKey> = fetched
        .iter()
        .filter_map(|e| match e {
            Effect::Fetch { key, .. } => Some(key),
            _ => None,
        })
        .collect();
    assert_eq!(
        fetches,
        vec![&DetailKey::Referral("engi-0000000000001".into())],
        "only the pending one"
    );
    let Effect::Fetch { request, key, .. } = fetched[0].clone() else {
        unreachable!()
    };
    let mut referral = crate::fixtures::referral(1, "PENDING", 3_600_000);
    referral.customer = Some(opportunity(2).customer.to_uppercase());
    let detail = ReferralDetail {
        referral,
        customer: Some(opportunity(2).customer),
        ..Default::default()
    };
    app::update(
        &mut model,
        Msg::Detail {
            request,
            key,
            detail: Box::new(Detail::Referral(Box::new(detail))),
        },
    );
    let row = model
        .referrals
        .table
        .rows
        .iter()
        .find(|r| r.id == "engi-0000000000001")
        .unwrap();
    assert_eq!(row.duplicate_of.as_deref(), Some("O4100002"));
}

#[test]
fn accept_confirms_then_follows_the_task_and_jumps_to_the_opportunity() {
    let mut model = inbox();
    let id = model.referrals.table.selected_row().unwrap().id.clone();
    assert!(ch(&mut model, 'a').is_empty());
    let Some(Popup::Confirm(confirm)) = &model.popup else {
        panic!("{:?}", model.popup)
    };
    assert!(confirm.lines.iter().any(|l| l.contains("cannot be undone")));
    let sent = intents(&ch(&mut model, 'y'));
    let (request, intent) = sent[0].clone();
    assert!(
        matches!(&intent, Intent::Referrals(Ref::Accept { id: i, client_token }) if *i == id && client_token.starts_with("cosell-"))
    );
    let task = TaskState {
        id: "task-0000000000009".into(),
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
    assert!(matches!(
        &effects[0],
        Effect::PollTask {
            kind: TaskKind::Acceptance,
            ..
        }
    ));
    assert_eq!(
        model.shell.pending.get(&id).map(String::as_str),
        Some("accepting")
    );
    let still = app::update(
        &mut model,
        Msg::Task {
            request: 1,
            kind: TaskKind::Acceptance,
            target: id.clone(),
            result: Ok(task.clone()),
        },
    );
    assert!(
        matches!(&still[0], Effect::PollTask { .. }),
        "keeps polling while in progress"
    );
    let done = TaskState {
        status: TaskStatus::Complete,
        opportunity_id: Some("O4199999".into()),
        ..task
    };
    let effects = app::update(
        &mut model,
        Msg::Task {
            request: 2,
            kind: TaskKind::Acceptance,
            target: id.clone(),
            result: Ok(done),
        },
    );
    assert!(
        matches!(&effects[0], Effect::Fetch { key: DetailKey::Opportunity(o), .. } if o == "O4199999")
    );
    assert_eq!(
        model
            .referrals
            .table
            .rows
            .iter()
            .find(|r| r.id == id)
            .unwrap()
            .status,
        Some(InvitationStatus::Accepted)
    );
    assert!(model.shell.toasts.last().unwrap().text.contains("O4199999"));
    // The new opportunity arrives; o on the referral jumps to it.
    let Effect::Fetch {
        request,
        key: detail_key,
        ..
    } = effects[0].clone()
    else {
        unreachable!()
    };
    let mut created = opportunity(99);
    created.id = "O4199999".into();
    app::update(
        &mut model,
        Msg::Detail {
            request,
            key: detail_key,
            detail: Box::new(Detail::Opportunity(Box::new(Opportunity {
                summary: created,
                ..Default::default()
            }))),
        },
    );
    // Right after the toast, J jumps even though the accepted referral left the pending view.
    ch(&mut model, 'J');
    assert_eq!(model.tab, Tab::Opportunities);
    assert_eq!(
        model.opportunities.table.selected_row().unwrap().id,
        "O4199999"
    );
}

#[test]
fn reject_needs_a_reason_of_at_most_80_characters_and_keeps_it_on_failure() {
    let mut model = inbox();
    let id = model.referrals.table.selected_row().unwrap().id.clone();
    ch(&mut model, 'x');
    assert_eq!(reject_form(&model).0, &vec![id.clone()]);
    key(&mut model, KeyCode::Right);
    key(&mut model, KeyCode::Tab);
    for c in "x".repeat(70).chars() {
        ch(&mut model, c);
    }
    app::update(
        &mut model,
        Msg::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)),
    );
    assert!(
        reject_form(&model)
            .1
            .field(RejectField::Details)
            .error
            .as_ref()
            .unwrap()
            .contains("80")
    );
    for _ in 0..50 {
        key(&mut model, KeyCode::Backspace);
    }
    for c in "two weeks".chars() {
        ch(&mut model, c);
    }
    app::update(
        &mut model,
        Msg::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)),
    );
    let Some(Popup::Confirm(confirm)) = &model.popup else {
        panic!("{:?}", model.popup)
    };
    let expected = format!("Next steps unclear: {}two weeks", "x".repeat(20));
    assert!(
        confirm.lines.iter().any(|l| l.contains(&expected)),
        "{:?}",
        confirm.lines
    );
    let sent = intents(&ch(&mut model, 'y'));
    let (request, intent) = sent[0].clone();
    assert_eq!(
        intent,
        Intent::Referrals(Ref::Reject {
            id: id.clone(),
            reason: Some(expected.clone())
        })
    );
    app::update(
        &mut model,
        Msg::Mutated {
            request,
            intent: Box::new(intent),
            result: Err(MutationError {
                conflict: false,
                message: "RejectEngagementInvitation was throttled".into(),
                fields: vec![],
            }),
        },
    );
    assert!(
        model
            .shell
            .toasts
            .last()
            .unwrap()
            .text
            .contains("reason is kept")
    );
    assert_eq!(
        model
            .referrals
            .table
            .rows
            .iter()
            .find(|r| r.id == id)
            .unwrap()
            .status,
        Some(InvitationStatus::Pending),
        "the row is unchanged"
    );
    ch(&mut model, 'x');
    let form = reject_form(&model).1;
    assert_eq!(form.value(RejectField::Reason), "Next steps unclear");
    assert_eq!(
        form.value(RejectField::Details),
        format!("{}two weeks", "x".repeat(20))
    );
}

#[test]
fn a_batch_reports_progress_and_keeps_failures_marked() {
    let mut model = inbox();
    let ids: Vec<String> = model
        .referrals
        .table
        .visible
        .iter()
        .map(|&i| model.referrals.table.rows[i].id.clone())
        .collect();
    assert_eq!(ids.len(), 3);
    for _ in 0..3 {
        ch(&mut model, ' ');
    }
    assert_eq!(model.referrals.marked.len(), 3);
    ch(&mut model, 'a');
    let sent = intents(&ch(&mut model, 'y'));
    assert_eq!(sent.len(), 3);
    assert_eq!(model.referrals.batch.as_ref().unwrap().ids.len(), 3);
    let task = |n: usize, status: TaskStatus| TaskState {
        id: format!("task-{n:013}"),
        status,
        opportunity_id: Some(format!("O42{n:05}")),
        ..Default::default()
    };
    for (n, (request, intent)) in sent.into_iter().enumerate() {
        let id = intent.target().to_string();
        if n == 1 {
            app::update(
                &mut model,
                Msg::Mutated {
                    request,
                    intent: Box::new(intent),
                    result: Err(MutationError {
                        conflict: false,
                        message: "ConflictException: already being accepted".into(),
                        fields: vec![],
                    }),
                },
            );
        } else {
            app::update(
                &mut model,
                Msg::Mutated {
                    request,
                    intent: Box::new(intent),
                    result: Ok(Outcome::TaskStarted(task(n, TaskStatus::InProgress))),
                },
            );
            app::update(
                &mut model,
                Msg::Task {
                    request: 0,
                    kind: TaskKind::Acceptance,
                    target: id,
                    result: Ok(task(n, TaskStatus::Complete)),
                },
            );
        }
    }
    assert!(model.referrals.batch.is_none());
    assert_eq!(
        model.referrals.marked.iter().cloned().collect::<Vec<_>>(),
        vec![ids[1].clone()],
        "the failure stays marked for a retry"
    );
    let summary = model
        .shell
        .toasts
        .iter()
        .find(|t| t.text.starts_with("Batch finished"))
        .unwrap();
    assert!(summary.text.contains("2 accepted, 1 failed") && summary.level == Level::Error);
}

#[test]
fn answered_expired_and_readonly_are_refused() {
    let mut model = inbox();
    key(&mut model, KeyCode::Esc);
    while model.referrals.table.selected_row().unwrap().status != Some(InvitationStatus::Expired) {
        ch(&mut model, 'j');
    }
    assert!(ch(&mut model, 'a').is_empty());
    assert!(model.popup.is_none());
    assert!(
        model
            .shell
            .toasts
            .last()
            .unwrap()
            .text
            .contains("already expired")
    );
    let mut model = inbox();
    model.shell.context.readonly = true;
    ch(&mut model, 'a');
    ch(&mut model, 'x');
    assert!(model.popup.is_none() && model.form.is_none());
    assert!(
        model
            .shell
            .toasts
            .last()
            .unwrap()
            .text
            .contains("Read-only")
    );
}

/// Selects the first row that is a lead, with every quick filter off so any status shows.
fn select_lead(model: &mut Model) -> Referral {
    model.referrals.table.set_quick(Vec::new());
    let table = &mut model.referrals.table;
    let position = table
        .visible
        .iter()
        .position(|&i| table.rows[i].payload_type == Some(PayloadType::LeadInvitation))
        .expect("the fixtures have a lead");
    table.selected = position;
    table.selected_row().unwrap().clone()
}

#[test]
fn a_lead_is_accepted_into_its_engagement_and_refused_conversion_before_that() {
    let mut model = inbox();
    let mut lead = select_lead(&mut model);
    lead.status = Some(InvitationStatus::Pending);
    lead.engagement_id = Some("eng-00000000000001".into());
    model.referrals.table.upsert(lead.clone());

    // Not accepted yet: converting says to accept first, and sends nothing.
    assert!(ch(&mut model, 'c').is_empty());
    assert!(model.popup.is_none());
    let toast = model.shell.toasts.last().unwrap();
    assert!(
        toast.level == Level::Error && toast.text.contains("accept the lead first"),
        "{}",
        toast.text
    );

    assert!(ch(&mut model, 'a').is_empty());
    let Some(Popup::Confirm(confirm)) = &model.popup else {
        panic!("{:?}", model.popup)
    };
    assert_eq!(confirm.title, "Accept this lead?");
    assert!(
        confirm
            .lines
            .iter()
            .any(|l| l.contains("member of its engagement"))
            && !confirm
                .lines
                .iter()
                .any(|l| l.contains("creates its opportunity")),
        "{:?}",
        confirm.lines
    );
    let sent = intents(&ch(&mut model, 'y'));
    assert_eq!(sent.len(), 1);
    let (request, intent) = sent[0].clone();
    assert_eq!(
        intent,
        Intent::Referrals(Ref::AcceptLead {
            id: lead.id.clone()
        })
    );
    app::update(
        &mut model,
        Msg::Mutated {
            request,
            intent: Box::new(intent),
            result: Ok(Outcome::Done),
        },
    );
    let row = model
        .referrals
        .table
        .rows
        .iter()
        .find(|r| r.id == lead.id)
        .unwrap();
    assert_eq!(row.status, Some(InvitationStatus::Accepted));
    assert!(
        model
            .shell
            .toasts
            .last()
            .unwrap()
            .text
            .contains("convert it (c)")
    );
}

#[test]
fn an_accepted_lead_is_converted_followed_and_its_opportunity_shown() {
    let mut model = inbox();
    let mut lead = select_lead(&mut model);
    lead.status = Some(InvitationStatus::Accepted);
    lead.engagement_id = Some("eng-00000000000002".into());
    model.referrals.table.upsert(lead.clone());

    assert!(ch(&mut model, 'c').is_empty());
    assert!(
        matches!(&model.popup, Some(Popup::Confirm(c)) if c.title.starts_with("Convert the lead"))
    );
    let sent = intents(&ch(&mut model, 'y'));
    let (request, intent) = sent[0].clone();
    assert_eq!(
        intent,
        Intent::Referrals(Ref::Convert {
            id: lead.id.clone(),
            engagement: "eng-00000000000002".into(),
            client_token: "cosell-convert-eng-00000000000002".into(),
        }),
        "one token per lead: converting it again answers with the same opportunity"
    );
    let task = TaskState {
        id: "task-0000000000042".into(),
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
    assert!(matches!(
        effects.as_slice(),
        [Effect::PollTask {
            kind: TaskKind::Conversion,
            ..
        }]
    ));
    assert_eq!(
        model.shell.pending.get(&lead.id).map(String::as_str),
        Some("converting")
    );
    let effects = app::update(
        &mut model,
        Msg::Task {
            request: 7,
            kind: TaskKind::Conversion,
            target: lead.id.clone(),
            result: Ok(TaskState {
                status: TaskStatus::Complete,
                opportunity_id: Some("O4188888".into()),
                ..task
            }),
        },
    );
    assert!(!model.shell.pending.contains_key(&lead.id));
    assert!(
        model
            .shell
            .toasts
            .last()
            .unwrap()
            .text
            .contains("converted into O4188888")
    );
    let [
        Effect::Fetch {
            request,
            key: DetailKey::Opportunity(id),
            ..
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(id, "O4188888");
    // When the record arrives, the Opportunities tab shows it selected.
    let mut created = opportunity(88);
    created.id = "O4188888".into();
    app::update(
        &mut model,
        Msg::Detail {
            request: *request,
            key: DetailKey::Opportunity(id.clone()),
            detail: Box::new(Detail::Opportunity(Box::new(Opportunity {
                summary: created,
                ..Default::default()
            }))),
        },
    );
    assert_eq!(model.tab, Tab::Opportunities);
    assert_eq!(
        model.opportunities.table.selected_row().unwrap().id,
        "O4188888"
    );
}
