//! `update` rules: navigation, loading, errors, stale results, details, filter, help, quit.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use cosell::app::core::table::Load;

use cosell::app::core::column::Row;
use cosell::app::features::opportunities::columns::OpportunityColumn;
use cosell::app::keymap::Keymap;
use cosell::app::{
    self, Detail, DetailKey, Effect, Level, ListId, Loadable, Model, Msg, Page, Tab,
};
use cosell_core::partner::types::*;

use crate::fixtures::{self, NOW, loaded, opportunity};
use crate::fixtures::{ch, key, typed};

#[test]
fn init_loads_the_partner_and_every_list() {
    let mut model = Model::new(fixtures::context(), Keymap::default(), NOW, 120, 40);
    let effects = app::init(&mut model);
    assert!(matches!(effects[0], Effect::LoadPartner { .. }));
    let lists: Vec<ListId> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Load { list, .. } => Some(*list),
            _ => None,
        })
        .collect();
    assert_eq!(lists, ListId::ALL.to_vec(), "every list, in ListId's order");
    assert!(model.opportunities.table.is_loading());
    assert!(model.benefits.applications.is_loading());
    assert!(model.channel.handshakes.is_loading());
    assert!(model.connections.invitations.is_loading());
}

#[test]
fn pages_stream_in_and_stale_pages_are_dropped() {
    let mut model = Model::new(fixtures::context(), Keymap::default(), NOW, 120, 40);
    let effects = app::init(&mut model);
    let request = fixtures::load_request(&effects, ListId::Opportunities);
    app::update(
        &mut model,
        Msg::Page {
            request,
            page: Page::Opportunities((0..100).map(opportunity).collect()),
        },
    );
    assert_eq!(model.opportunities.table.rows.len(), 100);
    assert!(
        model.opportunities.table.is_loading(),
        "still loading until ListDone"
    );
    // A refresh supersedes the first load: its late pages must not land.
    let refresh = ch(&mut model, 'R');
    let new_request = match refresh[0] {
        Effect::Load {
            request,
            list: ListId::Opportunities,
            ..
        } => request,
        ref other => panic!("{other:?}"),
    };
    app::update(
        &mut model,
        Msg::Page {
            request,
            page: Page::Opportunities(vec![opportunity(999)]),
        },
    );
    assert_eq!(model.opportunities.table.rows.len(), 100);
    app::update(
        &mut model,
        Msg::Page {
            request: new_request,
            page: Page::Opportunities((0..3).map(opportunity).collect()),
        },
    );
    assert_eq!(
        model.opportunities.table.rows.len(),
        3,
        "the reload replaces the rows"
    );
    app::update(
        &mut model,
        Msg::ListDone {
            request: new_request,
            list: ListId::Opportunities,
        },
    );
    assert_eq!(model.opportunities.table.load, Load::Loaded);
    assert_eq!(model.opportunities.table.loaded_at, Some(NOW));
}

#[test]
fn navigation_moves_and_scrolls_within_the_table() {
    let mut model = loaded(120, 40, 200);
    let rows = model.table_rows();
    assert_eq!(rows, 34);
    ch(&mut model, 'j');
    ch(&mut model, 'j');
    assert_eq!(model.opportunities.table.selected, 2);
    ch(&mut model, 'k');
    assert_eq!(model.opportunities.table.selected, 1);
    ch(&mut model, 'G');
    assert_eq!(model.opportunities.table.selected, 199);
    assert_eq!(model.opportunities.table.offset, 200 - rows);
    ch(&mut model, 'g');
    assert_eq!(
        (
            model.opportunities.table.selected,
            model.opportunities.table.offset
        ),
        (0, 0)
    );
    key(&mut model, KeyCode::PageDown);
    assert_eq!(model.opportunities.table.selected, rows);
    app::update(
        &mut model,
        Msg::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)),
    );
    assert_eq!(model.opportunities.table.selected, rows - rows / 2);
    // Default sort: most recently modified first.
    assert_eq!(
        model.opportunities.table.rows[model.opportunities.table.visible[0]].id,
        "O4100000"
    );
}

#[test]
fn tabs_switch_by_number_and_cycle() {
    let mut model = loaded(120, 40, 10);
    ch(&mut model, '2');
    assert_eq!(model.tab, Tab::Referrals);
    key(&mut model, KeyCode::Tab);
    assert_eq!(model.tab, Tab::Solutions);
    key(&mut model, KeyCode::BackTab);
    key(&mut model, KeyCode::BackTab);
    assert_eq!(model.tab, Tab::Opportunities);
    // Back past the first tab is the last.
    key(&mut model, KeyCode::BackTab);
    assert_eq!(model.tab, Tab::Channel);
    key(&mut model, KeyCode::BackTab);
    key(&mut model, KeyCode::BackTab);
    assert_eq!(model.tab, Tab::Connections);
    ch(&mut model, 'w');
    assert_eq!(model.focused_list(), ListId::Invitations);
    ch(&mut model, '5');
    assert_eq!(model.focused_list(), ListId::Applications);
    ch(&mut model, 'w');
    assert_eq!(model.focused_list(), ListId::Allocations);
    ch(&mut model, 'w');
    assert_eq!(model.focused_list(), ListId::Benefits);
    ch(&mut model, '6');
    assert_eq!(model.focused_list(), ListId::Handshakes);
    ch(&mut model, 'w');
    assert_eq!(model.focused_list(), ListId::ProgramAccounts);
    ch(&mut model, '1');
    assert_eq!(model.tab, Tab::Opportunities);
}

#[test]
fn referrals_sort_by_time_left_and_count_urgency() {
    let mut model = loaded(120, 40, 10);
    let first = &model.referrals.table.rows[model.referrals.table.visible[0]];
    assert_eq!(
        first.id, "engi-0000000000001",
        "the one expiring in 5 hours leads"
    );
    assert_eq!(model.referrals.urgency(model.shell.now), (3, 1));
    assert_eq!(
        model.referrals.table.visible.len(),
        3,
        "the inbox shows pending referrals by default"
    );
    ch(&mut model, '2');
    key(&mut model, KeyCode::Esc);
    assert_eq!(
        model.referrals.table.visible.len(),
        5,
        "esc clears the default quick filter"
    );
    let last = &model.referrals.table.rows[*model.referrals.table.visible.last().unwrap()];
    assert_ne!(
        last.status,
        Some(InvitationStatus::Pending),
        "answered referrals sort after pending ones"
    );
}

#[test]
fn expiry_display_moves_with_time() {
    let mut model = loaded(120, 40, 10);
    assert_eq!(model.referrals.urgency(model.shell.now), (3, 1));
    // Eleven hours later the 60-hour referral is inside 48 hours too.
    app::update(&mut model, Msg::Tick(NOW + 13 * fixtures::HOUR));
    assert_eq!(model.referrals.urgency(model.shell.now), (3, 2));
}

#[test]
fn details_are_fetched_lazily_once_and_stale_results_ignored() {
    let mut model = loaded(120, 40, 10);
    assert!(
        ch(&mut model, 'j').is_empty(),
        "no fetch while the pane is closed"
    );
    let effects = key(&mut model, KeyCode::Enter);
    let row = model.opportunities.table.selected_row().unwrap().clone();
    let id = row.id.clone();
    assert!(
        cosell_core::partner::rules::shared_with_aws(&row),
        "the premise: a record shared with AWS, which belongs to an engagement"
    );
    assert_eq!(
        effects
            .iter()
            .map(|e| match e {
                Effect::Fetch { key, .. } => key.clone(),
                other => panic!("{other:?}"),
            })
            .collect::<Vec<_>>(),
        vec![
            DetailKey::Opportunity(id.clone()),
            DetailKey::AwsView(id.clone()),
            DetailKey::Funding(id.clone()),
            DetailKey::Engagement(id.clone()),
        ]
    );
    let Effect::Fetch { request, .. } = effects[0] else {
        unreachable!()
    };
    // A result for another request id (superseded) is ignored.
    let detail = Opportunity {
        summary: opportunity(1),
        title: Some("Data lake".into()),
        ..Default::default()
    };
    app::update(
        &mut model,
        Msg::Detail {
            request: request + 100,
            key: DetailKey::Opportunity(id.clone()),
            detail: Box::new(Detail::Opportunity(Box::new(detail.clone()))),
        },
    );
    assert_eq!(
        model.opportunities.details.get(&id),
        Some(&Loadable::Loading(request))
    );
    app::update(
        &mut model,
        Msg::Detail {
            request,
            key: DetailKey::Opportunity(id.clone()),
            detail: Box::new(Detail::Opportunity(Box::new(detail))),
        },
    );
    assert!(matches!(
        model.opportunities.details.get(&id),
        Some(Loadable::Ready(_))
    ));
    // Moving away and back does not fetch the cached one again.
    let away = ch(&mut model, 'j');
    let next = model.opportunities.table.selected_row().unwrap().clone();
    let engagement = usize::from(cosell_core::partner::rules::shared_with_aws(&next));
    assert_eq!(
        away.len(),
        3 + engagement,
        "the full record, AWS's view, its benefit applications, and the engagement of a shared one"
    );
    let back = ch(&mut model, 'k');
    assert!(back.iter().all(|e| !matches!(
        e,
        Effect::Fetch {
            key: DetailKey::Opportunity(_),
            ..
        }
    )));
    key(&mut model, KeyCode::Esc);
    assert!(!model.detail_open);
}

#[test]
fn failures_become_sticky_error_toasts_and_info_toasts_fade() {
    let mut model = Model::new(fixtures::context(), Keymap::default(), NOW, 120, 40);
    let effects = app::init(&mut model);
    let request = fixtures::load_request(&effects, ListId::Solutions);
    app::update(
        &mut model,
        Msg::ListFailed {
            request,
            list: ListId::Solutions,
            error: "ListSolutions was throttled".into(),
            unreachable: false,
            denied: false,
        },
    );
    assert!(matches!(model.solutions.table.load, Load::Failed(_)));
    assert_eq!(model.shell.toasts.len(), 1);
    assert_eq!(model.shell.toasts[0].level, Level::Error);
    // The same failure reported for a stale request changes nothing.
    app::update(
        &mut model,
        Msg::ListFailed {
            request: request + 50,
            list: ListId::Solutions,
            error: "old".into(),
            unreachable: false,
            denied: false,
        },
    );
    assert_eq!(model.shell.toasts.len(), 1);
    model.shell.toast(Level::Info, "Saved");
    app::update(&mut model, Msg::Tick(NOW + 60_000));
    assert_eq!(
        model.shell.toasts.len(),
        1,
        "the info toast faded, the error stays"
    );
    key(&mut model, KeyCode::Esc);
    assert!(model.shell.toasts.is_empty(), "esc dismisses errors");
}

#[test]
fn filter_narrows_live_and_esc_clears() {
    let mut model = loaded(120, 40, 50);
    ch(&mut model, '/');
    for c in "acme".chars() {
        ch(&mut model, c);
    }
    assert_eq!(model.opportunities.table.visible.len(), 10);
    assert!(model.opportunities.table.visible.iter().all(|&i| {
        model.opportunities.table.rows[i]
            .customer
            .starts_with("Acme")
    }));
    ch(&mut model, 'q');
    assert!(!model.should_quit, "q types into the filter");
    assert_eq!(model.opportunities.table.filter, "acmeq");
    key(&mut model, KeyCode::Backspace);
    key(&mut model, KeyCode::Enter);
    assert_eq!(
        model.opportunities.table.visible.len(),
        10,
        "enter keeps the filter"
    );
    key(&mut model, KeyCode::Esc);
    assert_eq!(model.opportunities.table.visible.len(), 50);
}

#[test]
fn sort_picks_a_column_and_reverses() {
    let mut model = loaded(120, 40, 30);
    let ids = |model: &Model| -> Vec<String> {
        let t = &model.opportunities.table;
        t.visible.iter().map(|&i| t.rows[i].id.clone()).collect()
    };
    ch(&mut model, 'o');
    // The picker opens on the column the list is sorted by; typing finds another.
    let Some(app::Popup::Pick(pick)) = &model.popup else {
        panic!("a sort picker: {:?}", model.popup)
    };
    let columns = OpportunitySummary::columns();
    let sorted = model.opportunities.table.sort.unwrap().0;
    assert_eq!(pick.control().cursor(), sorted);
    assert_eq!(pick.control().choice_count(), columns.len());
    typed(&mut model, "id");
    key(&mut model, KeyCode::Enter);
    assert_eq!(model.opportunities.table.sort, Some((0, false)));
    assert_eq!(ids(&model)[0], "O4100000");
    // Choosing the sorted column again reverses it, as O does.
    ch(&mut model, 'o');
    key(&mut model, KeyCode::Enter);
    assert_eq!(model.opportunities.table.sort, Some((0, true)));
    assert_eq!(ids(&model)[0], "O4100029");
    ch(&mut model, 'O');
    assert_eq!(model.opportunities.table.sort, Some((0, false)));
}

#[test]
fn help_opens_and_closes_and_quit_keys_work() {
    let mut model = loaded(120, 40, 5);
    ch(&mut model, '?');
    assert!(model.help_open);
    ch(&mut model, 'j');
    assert_eq!(
        model.opportunities.table.selected, 0,
        "keys go to the help overlay"
    );
    key(&mut model, KeyCode::Esc);
    assert!(!model.help_open);
    ch(&mut model, 'q');
    assert!(model.should_quit);
    let mut model = loaded(120, 40, 5);
    ch(&mut model, '/');
    app::update(
        &mut model,
        Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)),
    );
    assert!(model.should_quit, "ctrl-c always quits");
}

#[test]
fn ctrl_z_asks_the_loop_to_suspend_and_a_signal_ends_the_session() {
    let mut model = loaded(120, 40, 5);
    let effects = app::update(
        &mut model,
        Msg::Key(KeyEvent::new(KeyCode::Char('z'), KeyModifiers::CONTROL)),
    );
    assert!(effects.is_empty());
    assert!(model.suspend_requested && !model.should_quit);
    assert!(
        model
            .keymap
            .help(cosell::app::keymap::Mode::Normal)
            .iter()
            .any(|(keys, help)| keys.contains("ctrl-z") && help.contains("suspend")),
        "help lists it"
    );
    let mut model = loaded(120, 40, 5);
    app::update(&mut model, Msg::Terminate);
    assert!(model.should_quit);
}

#[test]
fn resize_to_too_small_and_back() {
    let mut model = loaded(120, 40, 100);
    ch(&mut model, 'G');
    app::update(&mut model, Msg::Resize(50, 10));
    assert!(model.too_small());
    app::update(&mut model, Msg::Resize(80, 24));
    assert!(!model.too_small());
    let rows = model.table_rows();
    assert!(model.opportunities.table.selected - model.opportunities.table.offset < rows);
}

#[test]
fn partner_failure_is_reported() {
    let mut model = Model::new(fixtures::context(), Keymap::default(), NOW, 120, 40);
    let effects = app::init(&mut model);
    let Effect::LoadPartner { request, .. } = effects[0] else {
        unreachable!()
    };
    app::update(
        &mut model,
        Msg::PartnerFailed {
            request,
            error: "ListPartners was denied".into(),
        },
    );
    assert!(matches!(model.profile.partner, Some(Loadable::Failed(_))));
    assert!(model.shell.toasts[0].text.contains("denied"));
}

#[test]
fn cached_rows_show_first_then_live_pages_replace_them_or_offline_keeps_them() {
    let mut model = Model::new(fixtures::context(), Keymap::default(), NOW, 120, 40);
    let effects = app::init(&mut model);
    let request = fixtures::load_request(&effects, ListId::Opportunities);
    app::update(
        &mut model,
        Msg::Cached {
            page: Page::Opportunities((0..40).map(opportunity).collect()),
            at: NOW - 3_600_000,
        },
    );
    assert_eq!(
        model.opportunities.table.rows.len(),
        40,
        "the cache is on screen before any call returns"
    );
    assert_eq!(model.shell.cached_at, Some(NOW - 3_600_000));
    // Offline: the live load cannot reach Partner Central; the cache stays, changes are off.
    app::update(
        &mut model,
        Msg::ListFailed {
            request,
            list: ListId::Opportunities,
            error: "Could not reach Partner Central".into(),
            unreachable: true,
            denied: false,
        },
    );
    assert!(model.shell.offline);
    assert_eq!(model.opportunities.table.rows.len(), 40);
    ch(&mut model, 's');
    assert!(model.popup.is_none());
    assert!(model.shell.toasts.last().unwrap().text.contains("Offline"));
    // Back online: a refresh's first page replaces the cached rows.
    let refresh = ch(&mut model, 'R');
    let Effect::Load { request, .. } = refresh[0] else {
        panic!()
    };
    app::update(
        &mut model,
        Msg::Page {
            request,
            page: Page::Opportunities((0..3).map(opportunity).collect()),
        },
    );
    app::update(
        &mut model,
        Msg::ListDone {
            request,
            list: ListId::Opportunities,
        },
    );
    assert_eq!(model.opportunities.table.rows.len(), 3);
    assert!(!model.shell.offline);
}

#[test]
fn titles_and_owners_from_full_records_are_searchable_and_survive_a_reload() {
    let mut model = loaded(120, 40, 20);
    key(&mut model, KeyCode::Enter);
    let id = model.opportunities.table.selected_row().unwrap().id.clone();
    let request = match model.opportunities.details.get(&id) {
        Some(Loadable::Loading(r)) => *r,
        other => panic!("{other:?}"),
    };
    let full = Opportunity {
        summary: opportunity(0),
        title: Some("Quantum ledger migration".into()),
        team: vec![Contact {
            first_name: Some("Priya".into()),
            last_name: Some("Natarajan".into()),
            title: Some("OpportunityOwner".into()),
            ..Default::default()
        }],
        ..Default::default()
    };
    app::update(
        &mut model,
        Msg::Detail {
            request,
            key: DetailKey::Opportunity(id.clone()),
            detail: Box::new(Detail::Opportunity(Box::new(full))),
        },
    );
    key(&mut model, KeyCode::Esc);
    let find = |model: &mut Model, text: &str| {
        ch(model, '/');
        for c in text.chars() {
            ch(model, c);
        }
        let found: Vec<String> = model
            .opportunities
            .table
            .visible
            .iter()
            .map(|&i| model.opportunities.table.rows[i].id.clone())
            .collect();
        key(model, KeyCode::Esc);
        found
    };
    assert_eq!(find(&mut model, "quantum"), vec![id.clone()]);
    assert_eq!(find(&mut model, "natarajan"), vec![id.clone()]);
    // A live reload brings rows without titles; the known title is put back.
    let refresh = ch(&mut model, 'R');
    let Effect::Load { request, .. } = refresh[0] else {
        panic!()
    };
    app::update(
        &mut model,
        Msg::Page {
            request,
            page: Page::Opportunities((0..20).map(opportunity).collect()),
        },
    );
    assert_eq!(find(&mut model, "quantum"), vec![id]);
}

#[test]
fn every_opportunity_column_sorts_by_its_own_values() {
    let mut model = loaded(120, 40, 30);
    // Titles and owners come from full records; give some rows them so those columns have
    // values to order.
    for n in (0..30).step_by(3) {
        let mut row = opportunity(n);
        row.title = Some(format!("Project {}", (n * 7) % 11).into());
        row.owner = Some(format!("Owner {}", (n * 5) % 7).into());
        row.review_comments = Some(format!("Comment {}", (n * 3) % 5).into());
        model.opportunities.table.upsert(row);
    }
    // The API model lists the stages in funnel order; sorting by stage follows it.
    let funnel = |s: &Option<Stage>| {
        let order = [
            "Prospect",
            "Qualified",
            "Technical Validation",
            "Business Validation",
            "Committed",
            "Launched",
            "Closed Lost",
        ];
        s.as_ref()
            .and_then(|s| order.iter().position(|o| *o == s.as_str()))
    };
    let number = |id: &str| id[1..].parse::<u64>().unwrap();
    let spend = |o: &OpportunitySummary| {
        o.monthly_spend
            .as_ref()
            .map(|m| m.amount.parse::<f64>().unwrap())
    };
    // Rows without a value sort last in either column.
    fn in_order<T: PartialOrd>(a: Option<T>, b: Option<T>) -> bool {
        match (a, b) {
            (Some(a), Some(b)) => a <= b,
            (Some(_), None) | (None, None) => true,
            (None, Some(_)) => false,
        }
    }
    let columns = OpportunitySummary::columns();
    assert_eq!(columns.len(), 10);
    for column in columns {
        model.opportunities.table.sort_by(column.id, false);
        let rows: Vec<&OpportunitySummary> = model
            .opportunities
            .table
            .visible
            .iter()
            .map(|&i| &model.opportunities.table.rows[i])
            .collect();
        assert_eq!(rows.len(), 30);
        let name = column.title;
        let ordered = rows.windows(2).all(|w| match column.id {
            OpportunityColumn::Id => number(&w[0].id) <= number(&w[1].id),
            OpportunityColumn::Customer => {
                w[0].customer.to_lowercase() <= w[1].customer.to_lowercase()
            }
            OpportunityColumn::Title => in_order(w[0].title.as_ref(), w[1].title.as_ref()),
            OpportunityColumn::Stage => in_order(funnel(&w[0].stage), funnel(&w[1].stage)),
            OpportunityColumn::Owner => in_order(w[0].owner.as_ref(), w[1].owner.as_ref()),
            OpportunityColumn::Review => in_order(
                w[0].review_status.as_ref().map(ReviewStatus::as_str),
                w[1].review_status.as_ref().map(ReviewStatus::as_str),
            ),
            OpportunityColumn::Spend => in_order(spend(w[0]), spend(w[1])),
            OpportunityColumn::Close => {
                in_order(w[0].target_close.as_ref(), w[1].target_close.as_ref())
            }
            OpportunityColumn::Modified => in_order(w[0].last_modified, w[1].last_modified),
            OpportunityColumn::Comments => {
                in_order(w[0].review_comments.as_ref(), w[1].review_comments.as_ref())
            }
        });
        assert!(ordered, "column {name} is not sorted by its own values");
    }
}

#[test]
fn cached_referrals_are_flagged_against_cached_opportunities() {
    let mut model = Model::new(fixtures::context(), Keymap::default(), NOW, 120, 40);
    let _ = app::init(&mut model);
    app::update(
        &mut model,
        Msg::Cached {
            page: Page::Opportunities((0..5).map(opportunity).collect()),
            at: NOW,
        },
    );
    let mut referral = fixtures::referral(1, "PENDING", 5 * fixtures::HOUR);
    referral.customer = Some(opportunity(3).customer);
    app::update(
        &mut model,
        Msg::Cached {
            page: Page::Referrals(vec![referral]),
            at: NOW,
        },
    );
    assert_eq!(
        model.referrals.table.rows[0].duplicate_of.as_deref(),
        Some("O4100003")
    );
}
