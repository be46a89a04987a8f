//! Solutions, connections and the profile as `update` rules.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use cosell::app::core::form::Form;
use cosell::app::features::connections::state::Pane;
use cosell::app::features::connections::types::{
    EndField, Intent as Conn, InviteField, OpenForm as ConnForm,
};
use cosell::app::features::opportunities::types::Intent as Opp;
use cosell::app::features::solutions::types::Pick;
use cosell::app::{
    self, Effect, Intent, ListId, Model, Msg, OpenForm, Outcome, PickFor, Popup, Tab,
};
use cosell_core::partner::types::*;

use crate::fixtures::loaded;
use crate::fixtures::{ch, key, typed};

use crate::fixtures::{mutate, picker_labels};

fn invite_form(model: &Model) -> &Form<InviteField> {
    match &model.form {
        Some(OpenForm::Connections(ConnForm::Invite(form))) => form,
        other => panic!("the invite form is not open: {other:?}"),
    }
}

fn end_form(model: &Model) -> &Form<EndField> {
    match &model.form {
        Some(OpenForm::Connections(ConnForm::End { form, .. })) => form,
        other => panic!("the end-connection form is not open: {other:?}"),
    }
}

#[test]
fn a_solution_links_to_an_opportunity_chosen_by_typing() {
    let mut model = loaded(120, 40, 20);
    ch(&mut model, '3');
    assert_eq!(
        model.solutions.table.selected_row().unwrap().status,
        SolutionStatus::Active
    );
    ch(&mut model, 'l');
    typed(&mut model, "hooli");
    let labels = picker_labels(&model);
    let hooli_open = (0..20)
        .map(crate::fixtures::opportunity)
        .filter(|o| o.customer.starts_with("Hooli") && o.is_open())
        .count();
    assert_eq!(
        labels.len(),
        hooli_open,
        "the open opportunities of Hooli: {labels:?}"
    );
    assert!(labels.iter().all(|l| l.to_lowercase().contains("hooli")));
    let Some(Popup::Pick(PickFor::Solutions(Pick::LinkOpportunity { picker, .. }))) = &model.popup
    else {
        panic!("{:?}", model.popup)
    };
    let chosen = picker.current().unwrap().value.clone();
    let (_, intent) = mutate(&key(&mut model, KeyCode::Enter));
    assert_eq!(
        intent,
        Intent::Opportunities(Opp::Link {
            id: chosen,
            kind: LinkKind::Solution,
            entity: model.solutions.table.selected_row().unwrap().id.clone(),
            linked: true
        })
    );
    // Inactive solutions cannot be linked: the last by id is a draft.
    ch(&mut model, 'G');
    let last = model.solutions.table.selected_row().unwrap().clone();
    assert_eq!(last.status, SolutionStatus::Draft);
    ch(&mut model, 'l');
    assert!(model.popup.is_none());
    assert!(
        model
            .shell
            .toasts
            .last()
            .unwrap()
            .text
            .contains("only Active")
    );
}

#[test]
fn received_invitations_are_accepted_and_sent_ones_canceled() {
    let mut model = loaded(120, 40, 5);
    ch(&mut model, '4');
    ch(&mut model, 'a');
    assert!(
        model.shell.toasts.last().unwrap().text.contains("press w"),
        "the focus starts on connections"
    );
    ch(&mut model, 'w');
    assert_eq!(model.connections.pane, Pane::Invitations);
    let row = model
        .connections
        .invitations
        .selected_row()
        .unwrap()
        .clone();
    assert_eq!(
        (row.direction.as_str(), row.status.as_str()),
        ("RECEIVER", "PENDING")
    );
    ch(&mut model, 'c');
    assert!(
        model
            .shell
            .toasts
            .last()
            .unwrap()
            .text
            .contains("was sent to you")
    );
    ch(&mut model, 'a');
    let (request, intent) = mutate(&ch(&mut model, 'y'));
    assert!(
        matches!(&intent, Intent::Connections(Conn::Answer { id, answer: ConnectionAnswer::Accept, .. }) if *id == row.id)
    );
    let effects = app::update(
        &mut model,
        Msg::Mutated {
            request,
            intent: Box::new(intent),
            result: Ok(Outcome::Done),
        },
    );
    let reloads: Vec<ListId> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Load { list, .. } => Some(*list),
            _ => None,
        })
        .collect();
    assert_eq!(
        reloads,
        vec![ListId::Connections, ListId::Invitations],
        "both lists are refreshed"
    );
    ch(&mut model, 'j');
    let sent = model
        .connections
        .invitations
        .selected_row()
        .unwrap()
        .clone();
    assert_eq!(
        (sent.direction.as_str(), sent.status.as_str()),
        ("SENDER", "ACCEPTED")
    );
    ch(&mut model, 'a');
    assert!(
        model
            .shell
            .toasts
            .last()
            .unwrap()
            .text
            .contains("no longer pending")
    );
}

#[test]
fn inviting_validates_and_ending_a_connection_needs_a_reason() {
    let mut model = loaded(120, 40, 5);
    ch(&mut model, '4');
    ch(&mut model, 'n');
    // The inviter is the partner's alliance lead, as the profile says; the message is drafted.
    let form = invite_form(&model);
    let lead = crate::fixtures::partner().alliance_lead.unwrap();
    assert_eq!(form.value(InviteField::Name), lead.name());
    assert_eq!(form.value(InviteField::Email), lead.email.unwrap());
    assert!(form.value(InviteField::Message).contains("Northwind Cloud"));
    typed(&mut model, "not an id!");
    let submit = |model: &mut Model| {
        app::update(
            model,
            Msg::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)),
        )
    };
    submit(&mut model);
    let form = invite_form(&model);
    let errors: Vec<InviteField> = InviteField::ALL
        .into_iter()
        .filter(|f| form.field(*f).error.is_some())
        .collect();
    assert_eq!(errors, [InviteField::Receiver]);
    for _ in 0..10 {
        key(&mut model, KeyCode::Backspace);
    }
    // An AWS account id has twelve digits.
    typed(&mut model, "1234");
    submit(&mut model);
    let error = invite_form(&model)
        .field(InviteField::Receiver)
        .error
        .clone()
        .unwrap();
    assert!(
        error.contains("12 digits") && error.contains("4 now"),
        "{error}"
    );
    typed(&mut model, "56789012");
    let (_, intent) = mutate(&submit(&mut model));
    let Intent::Connections(Conn::Invite { invite, .. }) = intent else {
        panic!()
    };
    assert_eq!(
        (invite.receiver.as_str(), invite.connection_type.as_str()),
        ("123456789012", "OPPORTUNITY_COLLABORATION")
    );
    assert_eq!(
        (invite.name.as_str(), invite.email.as_str()),
        ("Morgan Reyes", "morgan@northwind.example.com")
    );

    let mut model = loaded(120, 40, 5);
    ch(&mut model, '4');
    ch(&mut model, 'C');
    end_form(&model);
    app::update(
        &mut model,
        Msg::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)),
    );
    assert!(
        end_form(&model)
            .field(EndField::Reason)
            .error
            .as_ref()
            .unwrap()
            .contains("reason")
    );
    // The refused submit put the cursor on the field to fix.
    assert_eq!(end_form(&model).focused(), EndField::Reason);
    typed(&mut model, "Partnership ended");
    app::update(
        &mut model,
        Msg::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)),
    );
    let (_, intent) = mutate(&ch(&mut model, 'y'));
    assert!(
        matches!(intent, Intent::Connections(Conn::End { ref reason, ref connection_type, .. }) if reason == "Partnership ended" && *connection_type == ConnectionType::OpportunityCollaboration)
    );
}

#[test]
fn the_profile_opens_from_any_tab_and_any_key_closes_it() {
    let mut model = loaded(120, 40, 5);
    ch(&mut model, '3');
    ch(&mut model, 'p');
    assert!(matches!(model.popup, Some(Popup::Profile)));
    key(&mut model, KeyCode::Esc);
    assert!(model.popup.is_none());
    assert_eq!(model.tab, Tab::Solutions);
    let mut model = loaded(120, 40, 5);
    model.shell.context.readonly = true;
    ch(&mut model, 'p');
    assert!(
        matches!(model.popup, Some(Popup::Profile)),
        "reading the profile works read-only"
    );
    ch(&mut model, 'x');
    ch(&mut model, '4');
    ch(&mut model, 'n');
    assert!(
        model.form.is_none()
            && model
                .shell
                .toasts
                .last()
                .unwrap()
                .text
                .contains("Read-only")
    );
}

#[test]
fn readonly_refuses_every_connection_and_solution_change() {
    let mut model = loaded(120, 40, 5);
    model.shell.context.readonly = true;
    let refuse = |model: &mut Model, c: char| {
        model.shell.toasts.clear();
        assert!(ch(model, c).is_empty(), "{c}");
        assert!(model.popup.is_none() && model.form.is_none(), "{c}");
        assert_eq!(model.shell.toasts.len(), 1, "{c}");
        assert!(
            model.shell.toasts[0].text.contains("Read-only"),
            "{c}: {}",
            model.shell.toasts[0].text
        );
    };
    ch(&mut model, '3');
    refuse(&mut model, 'l');
    ch(&mut model, '4');
    refuse(&mut model, 'C');
    refuse(&mut model, 'n');
    ch(&mut model, 'w');
    assert_eq!(model.connections.pane, Pane::Invitations);
    for c in ['a', 'x', 'c'] {
        refuse(&mut model, c);
    }
}

#[test]
fn solutions_filter_by_status() {
    let mut model = loaded(120, 40, 5);
    ch(&mut model, '3');
    ch(&mut model, 'f');
    assert_eq!(
        picker_labels(&model),
        vec!["Status: Active", "Status: Inactive", "Status: Draft"]
    );
    ch(&mut model, ' ');
    key(&mut model, KeyCode::Enter);
    assert_eq!(model.solutions.table.visible.len(), 2);
    assert!(
        model
            .solutions
            .table
            .visible
            .iter()
            .all(|&i| model.solutions.table.rows[i].status == SolutionStatus::Active)
    );
}

#[test]
fn an_invitation_retried_unchanged_keeps_its_token_and_a_changed_one_gets_a_new_one() {
    let mut model = loaded(120, 40, 5);
    ch(&mut model, '4');
    ch(&mut model, 'n');
    typed(&mut model, "123456789012");
    key(&mut model, KeyCode::Tab);
    key(&mut model, KeyCode::Tab);
    typed(&mut model, "Morgan Reyes");
    key(&mut model, KeyCode::Tab);
    typed(&mut model, "morgan@northwind.example.com");
    key(&mut model, KeyCode::Tab);
    typed(&mut model, "Let's co-sell.");
    let submit = |model: &mut Model| {
        let (request, intent) = mutate(&app::update(
            model,
            Msg::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)),
        ));
        let Intent::Connections(Conn::Invite {
            ref client_token, ..
        }) = intent
        else {
            panic!()
        };
        let token = client_token.clone();
        app::update(
            model,
            Msg::Mutated {
                request,
                intent: Box::new(intent),
                result: Err(cosell::app::MutationError {
                    conflict: false,
                    message: "timed out".into(),
                    fields: vec![],
                }),
            },
        );
        token
    };
    let first = submit(&mut model);
    assert_eq!(
        submit(&mut model),
        first,
        "a retry of the same invitation reuses its token"
    );
    typed(&mut model, " Soon!");
    assert_ne!(
        submit(&mut model),
        first,
        "a changed invitation is a new request"
    );
}
