//! The morning-of-triage rules as `update` keeps them: what Esc steps back through, how the
//! detail scrolls, what quitting asks, pickers and choices that narrow as you type, the derived
//! quick filters, the command line, and the small promises forms make.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use cosell::app::core::column::Facet;
use cosell::app::core::shell::{Area, Measured};
use cosell::app::features::opportunities::columns::{self as opp_columns, OpportunityColumn};
use cosell::app::features::opportunities::types::{AssignField, OpenForm as OppForm};
use cosell::app::features::referrals::types::{OpenForm as RefForm, RejectField};
use cosell::app::{self, Effect, Level, Model, Msg, OpenForm, Popup, Tab};
use cosell_core::partner::types::*;

use crate::fixtures::{self, DAY, NOW, ch, key, loaded, typed};

fn ctrl(model: &mut Model, c: char) -> Vec<Effect> {
    app::update(
        model,
        Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)),
    )
}

#[test]
fn esc_dismisses_errors_first_then_the_detail_the_filter_and_the_quick_filters() {
    let mut model = loaded(120, 40, 20);
    key(&mut model, KeyCode::Enter);
    ch(&mut model, '/');
    typed(&mut model, "acme");
    key(&mut model, KeyCode::Enter);
    model
        .opportunities
        .table
        .set_quick(vec![(Facet::Stage, "Prospect".into())]);
    model
        .shell
        .toast(Level::Error, "Something failed. esc dismisses");
    model.shell.toast(Level::Info, "Done");

    key(&mut model, KeyCode::Esc);
    let levels: Vec<Level> = model.shell.toasts.iter().map(|t| t.level).collect();
    assert_eq!(
        levels,
        [Level::Info],
        "the error goes first; the rest stays"
    );
    assert!(model.detail_open);
    key(&mut model, KeyCode::Esc);
    assert!(!model.detail_open);
    assert_eq!(model.opportunities.table.filter, "acme");
    key(&mut model, KeyCode::Esc);
    assert_eq!(model.opportunities.table.filter, "");
    assert_eq!(model.opportunities.table.quick.len(), 1);
    key(&mut model, KeyCode::Esc);
    assert_eq!(model.opportunities.table.quick.len(), 0);
    assert_eq!(model.shell.toasts.len(), 1);
    key(&mut model, KeyCode::Esc);
    assert_eq!(model.shell.toasts.len(), 0);
}

#[test]
fn the_open_detail_scrolls_within_its_content_and_each_record_opens_at_the_top() {
    let mut model = loaded(80, 24, 20);
    key(&mut model, KeyCode::Enter);
    let overflow = 7;
    let detail = Area {
        x: 0,
        y: 13,
        width: 80,
        height: 10,
    };
    app::update(
        &mut model,
        Msg::Measured(Measured {
            detail: Some(detail),
            detail_overflow: overflow,
            ..Default::default()
        }),
    );
    // ctrl-d scrolls half the pane's inner height (8 / 2), not the list.
    ctrl(&mut model, 'd');
    assert_eq!(model.detail_offset(), 4);
    assert_eq!(model.opportunities.table.selected, 0);
    ctrl(&mut model, 'd');
    assert_eq!(model.detail_offset(), overflow, "it stops at the end");
    ctrl(&mut model, 'u');
    assert_eq!(model.detail_offset(), overflow - 4);
    // The wheel over the detail scrolls it; over the list it moves the selection.
    app::update(
        &mut model,
        Msg::Mouse(app::Pointer::WheelUp {
            column: 5,
            row: detail.y + 2,
        }),
    );
    assert_eq!(model.detail_offset(), 0);
    // Another record opens at its top.
    ctrl(&mut model, 'd');
    key(&mut model, KeyCode::Char('j'));
    assert_eq!(model.opportunities.table.selected, 1);
    assert_eq!(model.detail_offset(), 0);
    // Closed, ctrl-d moves the list again.
    key(&mut model, KeyCode::Esc);
    ctrl(&mut model, 'd');
    assert_eq!(
        model.opportunities.table.selected,
        1 + model.table_rows() / 2
    );
}

#[test]
fn quitting_names_what_would_be_lost_and_a_second_ctrl_c_forces_it() {
    let mut model = loaded(120, 40, 5);
    ch(&mut model, 'q');
    assert!(model.should_quit, "nothing to lose: q quits");

    let mut model = loaded(120, 40, 5);
    ch(&mut model, 'n');
    typed(&mut model, "Keep Me");
    ctrl(&mut model, 'c');
    let Some(Popup::Quit { losses, .. }) = &model.popup else {
        panic!("a question: {:?}", model.popup)
    };
    assert_eq!(losses.len(), 1);
    assert!(losses[0].contains("New opportunity"), "{losses:?}");
    assert!(!model.should_quit);
    ch(&mut model, 'n');
    assert!(model.popup.is_none() && model.form.is_some());
    ctrl(&mut model, 'c');
    ctrl(&mut model, 'c');
    assert!(model.should_quit);

    // A change still being sent is a loss too.
    let mut model = loaded(120, 40, 5);
    model
        .shell
        .pending
        .insert("engi-1".into(), "accepting".into());
    ch(&mut model, 'q');
    let Some(Popup::Quit { losses, .. }) = &model.popup else {
        panic!("a question: {:?}", model.popup)
    };
    assert!(losses[0].contains("engi-1: accepting"), "{losses:?}");
    ch(&mut model, 'y');
    assert!(model.should_quit);
}

#[test]
fn pickers_narrow_as_you_type_and_keep_list_keys_until_a_search_starts() {
    let mut model = loaded(120, 40, 5);
    ch(&mut model, 's');
    // j and G move before any search.
    ch(&mut model, 'G');
    assert_eq!(fixtures::picker(&model).cursor(), Stage::ALL.len() - 1);
    ch(&mut model, 'g');
    assert_eq!(fixtures::picker(&model).cursor(), 0);
    ch(&mut model, 'j');
    assert_eq!(fixtures::picker(&model).cursor(), 1);
    // Any other character starts a search; from then on j, g and space are typed.
    typed(&mut model, "al v");
    assert_eq!(fixtures::picker_labels(&model), ["Technical Validation"]);
    // Esc ends the search first, then a second one closes the picker.
    key(&mut model, KeyCode::Esc);
    assert_eq!(fixtures::picker_labels(&model).len(), Stage::ALL.len());
    key(&mut model, KeyCode::Esc);
    assert!(model.popup.is_none());
    // `/` starts a search that may begin with a letter that otherwise moves.
    ch(&mut model, 's');
    ch(&mut model, '/');
    ch(&mut model, 'c');
    let with_c: Vec<&str> = Stage::VALUES
        .iter()
        .copied()
        .filter(|s| s.to_lowercase().contains('c'))
        .collect();
    assert_eq!(fixtures::picker_labels(&model), with_c);
}

#[test]
fn the_attention_filters_answer_from_the_record_and_the_clock() {
    let mut model = loaded(160, 40, 0);
    let row =
        |id: &str, modified: Millis, close: &str, review: &str, owner: &str| OpportunitySummary {
            id: id.into(),
            customer: format!("C {id}"),
            stage: Some(Stage::Qualified),
            review_status: Some(review.into()),
            target_close: Some(close.into()),
            last_modified: Some(modified),
            owner: Some(owner.into()),
            review_comments: Some(format!("fix {id}").into()),
            ..Default::default()
        };
    for r in [
        row(
            "O1",
            NOW - 40 * DAY,
            "2020-01-01",
            "Action Required",
            "Alex Rivera",
        ),
        row("O2", NOW - DAY, "2099-01-01", "Approved", "Sam Okafor"),
        row(
            "O3",
            NOW - 60 * DAY,
            "2099-01-01",
            "Action Required",
            "Alex Rivera",
        ),
        row("O4", NOW - 2 * DAY, "2020-02-02", "Approved", "Jo Tanaka"),
    ] {
        model.opportunities.table.upsert(r);
    }
    model.shell.context.me = Some("alex".into());
    let shown_with = |model: &mut Model, value: &str| -> Vec<String> {
        let effects = cosell::app::shared::set_quick_filters(
            model,
            app::ListId::Opportunities,
            vec![(Facet::Attention, value.into())],
        );
        assert_eq!(
            effects.len(),
            0,
            "filtered here, never read again by filter"
        );
        let t = &model.opportunities.table;
        let mut ids: Vec<String> = t.visible.iter().map(|&i| t.rows[i].id.clone()).collect();
        ids.sort();
        ids
    };
    assert_eq!(
        shown_with(&mut model, opp_columns::PAST_CLOSE),
        ["O1", "O4"]
    );
    assert_eq!(shown_with(&mut model, opp_columns::STALE), ["O1", "O3"]);
    assert_eq!(shown_with(&mut model, opp_columns::MINE), ["O1", "O3"]);
    assert_eq!(
        shown_with(&mut model, opp_columns::ACTION_REQUIRED),
        ["O1", "O3"]
    );
    // Chosen in the picker, Action Required lists AWS's oldest requests first.
    model.opportunities.table.set_quick(Vec::new());
    ch(&mut model, 'f');
    ch(&mut model, ' ');
    key(&mut model, KeyCode::Enter);
    let t = &model.opportunities.table;
    let order: Vec<&str> = t.visible.iter().map(|&i| t.rows[i].id.as_str()).collect();
    assert_eq!(order, ["O3", "O1"]);
    assert_eq!(t.sorted_by(), Some((OpportunityColumn::Modified, false)));
}

#[test]
fn choices_are_found_by_code_or_name_and_reject_details_count_what_the_reason_leaves() {
    let mut model = loaded(120, 40, 5);
    ch(&mut model, 'n');
    key(&mut model, KeyCode::Tab);
    typed(&mut model, "germ");
    let Some(OpenForm::Opportunities(OppForm::Create(form))) = &model.form else {
        panic!()
    };
    assert_eq!(
        form.value(
            cosell::app::features::opportunities::types::CreateField::Draft(
                cosell_core::partner::rules::DraftField::Country
            )
        ),
        "DE"
    );
    key(&mut model, KeyCode::Tab);
    typed(&mut model, "soft");
    let Some(OpenForm::Opportunities(OppForm::Create(form))) = &model.form else {
        panic!()
    };
    assert_eq!(
        form.value(
            cosell::app::features::opportunities::types::CreateField::Draft(
                cosell_core::partner::rules::DraftField::Industry
            )
        ),
        "Software and Internet"
    );

    let mut model = loaded(120, 40, 5);
    ch(&mut model, '2');
    ch(&mut model, 'x');
    let budget = |model: &Model| {
        let Some(OpenForm::Referrals(RefForm::Reject { form, .. })) = &model.form else {
            panic!()
        };
        let reason = form.value(RejectField::Reason);
        (
            reason.chars().count(),
            form.field(RejectField::Details).max_chars(),
        )
    };
    let (reason, max) = budget(&model);
    assert_eq!(max, Some(80 - reason - 2));
    key(&mut model, KeyCode::Right);
    let (reason, max) = budget(&model);
    assert_eq!(max, Some(80 - reason - 2), "the budget follows the reason");
}

#[test]
fn the_command_line_switches_tabs_jumps_to_ids_and_says_what_it_cannot_do() {
    let mut model = loaded(120, 40, 30);
    ch(&mut model, ':');
    typed(&mut model, "2");
    key(&mut model, KeyCode::Enter);
    assert_eq!(model.tab, Tab::Referrals);
    assert!(model.command_line.is_none());
    ch(&mut model, ':');
    typed(&mut model, "O4100017");
    key(&mut model, KeyCode::Enter);
    assert_eq!(model.tab, Tab::Opportunities);
    assert_eq!(
        model
            .opportunities
            .table
            .selected_row()
            .map(|r| r.id.as_str()),
        Some("O4100017")
    );
    ch(&mut model, ':');
    typed(&mut model, "catalog sandbox");
    let effects = key(&mut model, KeyCode::Enter);
    assert!(
        matches!(&effects[..], [Effect::Reconnect { catalog, .. }] if catalog == "Sandbox"),
        "{effects:?}"
    );
    ch(&mut model, ':');
    typed(&mut model, "frobnicate now");
    key(&mut model, KeyCode::Enter);
    let toast = model.shell.toasts.last().unwrap();
    assert!(toast.level == Level::Error && toast.text.contains("frobnicate"));
}

#[test]
fn y_copies_the_id_and_b_opens_the_console_address() {
    let mut model = loaded(120, 40, 5);
    let id = model.opportunities.table.selected_row().unwrap().id.clone();
    assert_eq!(ch(&mut model, 'y'), [Effect::Copy { text: id.clone() }]);
    let effects = ch(&mut model, 'b');
    let [Effect::OpenUrl { url }] = &effects[..] else {
        panic!("{effects:?}")
    };
    assert!(url.contains(&id) && url.contains("us-east-1"), "{url}");
    assert!(
        model
            .shell
            .toasts
            .last()
            .unwrap()
            .text
            .contains(url.as_str())
    );
}

#[test]
fn assign_fills_in_someone_cosell_has_seen() {
    let mut model = loaded(120, 40, 5);
    ch(&mut model, 'A');
    // The partner's alliance lead is someone cosell knows.
    typed(&mut model, "morgan");
    let Some(OpenForm::Opportunities(OppForm::Assign { form, .. })) = &model.form else {
        panic!("{:?}", model.form.is_some())
    };
    assert_eq!(
        form.value(AssignField::Email),
        "morgan@northwind.example.com"
    );
    assert_eq!(form.value(AssignField::FirstName), "Morgan");
    assert_eq!(form.value(AssignField::LastName), "Reyes");
}

#[test]
fn only_a_pending_referral_carries_the_duplicate_hint() {
    let mut model = loaded(120, 40, 5);
    let customer = fixtures::opportunity(2).customer;
    for (n, status) in [(7, "PENDING"), (8, "ACCEPTED")] {
        let mut r = fixtures::referral(n, status, 5 * fixtures::HOUR);
        r.customer = Some(customer.clone());
        app::update(
            &mut model,
            Msg::Detail {
                request: 0,
                key: app::DetailKey::Referral(r.id.clone()),
                detail: Box::new(app::Detail::Referral(Box::new(fixtures::referral_detail(
                    r.clone(),
                )))),
            },
        );
        model.referrals.table.upsert(r);
    }
    cosell::app::features::referrals::results::flag_duplicates(&mut model);
    let hint = |n: usize| {
        let id = fixtures::referral(n, "PENDING", 0).id;
        model
            .referrals
            .table
            .rows
            .iter()
            .find(|r| r.id == id)
            .unwrap()
            .duplicate_of
            .clone()
    };
    assert!(hint(7).is_some(), "pending: flagged");
    assert!(
        hint(8).is_none(),
        "accepted: it is the opportunity it became"
    );
}

/// docs/guide.md carries the keymap as `?` shows it, generated from the same table; this test
/// fails when the two differ. `COSELL_WRITE_DOCS=1 cargo test` writes the block.
#[test]
fn the_guide_lists_every_key_the_help_does() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/guide.md");
    let guide = std::fs::read_to_string(path).unwrap();
    let (begin, end) = ("<!-- keys:begin -->\n", "<!-- keys:end -->");
    let start = guide.find(begin).expect("the guide has a keys block") + begin.len();
    let stop = guide.find(end).expect("the keys block ends");
    let expected = cosell::app::keymap::Keymap::default().markdown();
    if guide[start..stop] != expected && std::env::var_os("COSELL_WRITE_DOCS").is_some() {
        let written = format!("{}{expected}{}", &guide[..start], &guide[stop..]);
        std::fs::write(path, written).unwrap();
        return;
    }
    assert_eq!(
        guide[start..stop],
        expected,
        "docs/guide.md's key block is not the keymap; regenerate it with COSELL_WRITE_DOCS=1"
    );
    // Every action of the normal mode's help is in it, with its keys.
    let keymap = cosell::app::keymap::Keymap::default();
    let help = keymap.help(cosell::app::core::keymap::Mode::Normal);
    assert!(help.len() > 40, "the help lists {} actions", help.len());
    for (_, text) in help {
        // Markdown tables escape `|`.
        let plain = text.split(" (").next().unwrap().replace('|', "\\|");
        assert!(
            guide[start..stop].contains(&plain),
            "{plain} is not in the guide"
        );
    }
}
