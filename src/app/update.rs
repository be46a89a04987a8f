//! `update(model, msg) -> effects`: every rule of the TUI, with no I/O and no clock (time arrives
//! as `Msg::Tick`), so each rule is a unit test.

use crossterm::event::{KeyCode, KeyEventKind, KeyModifiers};

use super::flows;
use super::keymap::{Action, Mode};
use super::model::*;
use super::referrals;

/// Runs `$body` with `$t` bound to the table of list `$list`.
macro_rules! with_table {
    ($model:expr, $list:expr, |$t:ident| $body:expr) => {
        match $list {
            ListId::Opportunities => {
                let $t = &mut $model.opportunities;
                $body
            }
            ListId::Referrals => {
                let $t = &mut $model.referrals;
                $body
            }
            ListId::Solutions => {
                let $t = &mut $model.solutions;
                $body
            }
            ListId::Connections => {
                let $t = &mut $model.connections;
                $body
            }
            ListId::Invitations => {
                let $t = &mut $model.invitations;
                $body
            }
        }
    };
}

const ALL_LISTS: [ListId; 5] = [
    ListId::Opportunities,
    ListId::Referrals,
    ListId::Solutions,
    ListId::Connections,
    ListId::Invitations,
];

/// The first effects of a session: who the partner is, and every list.
pub fn init(model: &mut Model) -> Vec<Effect> {
    let request = model.take_request();
    model.partner = Some(Loadable::Loading(request));
    let mut effects = vec![Effect::LoadPartner { request }];
    for list in ALL_LISTS {
        effects.push(start_load(model, list));
    }
    effects
}

/// Starts reading a list. The opportunities are read under their quick filters, by the API's
/// own LifeCycle filters, so a reload with a stage or review status chosen reads only those.
pub(crate) fn start_load(model: &mut Model, list: ListId) -> Effect {
    let request = model.take_request();
    let scope = match list {
        ListId::Opportunities => model.opportunities.quick.clone(),
        _ => Vec::new(),
    };
    with_table!(model, list, |t| t.begin_scoped_load(request, scope.clone()));
    Effect::Load {
        request,
        list,
        scope,
    }
}

/// Sets a list's quick filters. Rows read whole are narrowed locally, at once; rows Partner
/// Central read under other filters are not the rows the new ones need, so they are read again
/// (with no filters, the whole list).
pub(crate) fn set_quick_filters(
    model: &mut Model,
    list: ListId,
    quick: Vec<(String, String)>,
) -> Vec<Effect> {
    let rows = model.table_rows();
    let read_again = with_table!(model, list, |t| {
        t.set_quick(quick);
        t.scroll_into_view(rows);
        !t.scope.is_empty() && t.scope != t.quick
    });
    if read_again {
        vec![start_load(model, list)]
    } else {
        Vec::new()
    }
}

fn list_title(list: ListId) -> &'static str {
    match list {
        ListId::Opportunities => "opportunities",
        ListId::Referrals => "referrals",
        ListId::Solutions => "solutions",
        ListId::Connections => "connections",
        ListId::Invitations => "connection invitations",
    }
}

pub fn update(model: &mut Model, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(key) => {
            if key.kind == KeyEventKind::Release {
                return Vec::new();
            }
            on_key(model, key)
        }
        Msg::Resize(width, height) => {
            model.width = width;
            model.height = height;
            let rows = model.table_rows();
            for list in ALL_LISTS {
                with_table!(model, list, |t| t.scroll_into_view(rows));
            }
            Vec::new()
        }
        Msg::Terminate => {
            model.should_quit = true;
            Vec::new()
        }
        Msg::Tick(now) => {
            model.now = now;
            model
                .toasts
                .retain(|t| t.level == Level::Error || now - t.at < TOAST_MILLIS);
            Vec::new()
        }
        Msg::Page { request, page } => {
            let accepted = match page {
                Page::Opportunities(rows) => {
                    let rows = model.with_titles(rows);
                    model.opportunities.add_page(request, rows)
                }
                Page::Referrals(rows) => model.referrals.add_page(request, rows),
                Page::Solutions(rows) => model.solutions.add_page(request, rows),
                Page::Connections(rows) => model.connections.add_page(request, rows),
                Page::Invitations(rows) => model.invitations.add_page(request, rows),
            };
            if accepted {
                let rows = model.table_rows();
                let list = model.focused_list();
                with_table!(model, list, |t| t.scroll_into_view(rows));
                let mut effects = referrals::prefetch(model);
                effects.extend(ensure_details(model));
                return effects;
            }
            Vec::new()
        }
        Msg::ListDone { request, list } => {
            let now = model.now;
            if with_table!(model, list, |t| t.finish_load(request, now)) {
                model.offline = false;
                if list == ListId::Opportunities {
                    referrals::rebuild_pipeline_names(model);
                }
                return ensure_details(model);
            }
            Vec::new()
        }
        Msg::Cached { page, at } => {
            match page {
                Page::Opportunities(rows) => {
                    for row in &rows {
                        model.learn_title(row);
                    }
                    model.opportunities.prefill(rows);
                    // Only opportunities feed the duplicate hint on referrals.
                    referrals::rebuild_pipeline_names(model);
                }
                Page::Referrals(rows) => {
                    model.referrals.prefill(rows);
                    referrals::flag_duplicates(model);
                }
                Page::Solutions(rows) => model.solutions.prefill(rows),
                Page::Connections(rows) => model.connections.prefill(rows),
                Page::Invitations(rows) => model.invitations.prefill(rows),
            }
            model.cached_at = Some(at);
            Vec::new()
        }
        Msg::ListFailed {
            request,
            list,
            error,
            unreachable,
        } => {
            if unreachable && model.cached_at.is_some() {
                if !model.offline {
                    model.offline = true;
                    model.toast(
                        Level::Error,
                        "Offline: Partner Central cannot be reached, so cosell shows the local cache and turns changes off. Press R to try again.",
                    );
                }
                with_table!(model, list, |t| t.fail_load(request, error.clone()));
                return Vec::new();
            }
            if with_table!(model, list, |t| t.fail_load(request, error.clone())) {
                model.toast(
                    Level::Error,
                    format!("Loading {} failed. {error}", list_title(list)),
                );
            }
            Vec::new()
        }
        Msg::Detail {
            request,
            key,
            detail,
        } => {
            if model.details.get(&key) == Some(&Loadable::Loading(request)) {
                match detail.as_ref() {
                    Detail::Opportunity(opportunity) => {
                        // A full read is the freshest view of the row too.
                        referrals::note_pipeline_name(model, &opportunity.summary);
                        let row = opportunity.enriched_summary();
                        model.learn_title(&row);
                        model.opportunities.upsert(row);
                        flows::on_opportunity_detail(model, opportunity);
                    }
                    Detail::Referral(referral) => referrals::on_referral_detail(model, referral),
                    _ => {}
                }
                model.details.insert(key, Loadable::Ready(*detail));
            }
            Vec::new()
        }
        Msg::DetailFailed {
            request,
            key,
            error,
        } => {
            if model.details.get(&key) == Some(&Loadable::Loading(request)) {
                model.details.insert(key, Loadable::Failed(error));
            }
            Vec::new()
        }
        Msg::Partner { request, partner } => {
            if model.partner == Some(Loadable::Loading(request)) {
                model.partner = Some(Loadable::Ready(*partner));
            }
            Vec::new()
        }
        Msg::Mutated { intent, result, .. } => flows::on_mutated(model, *intent, result),
        Msg::Task {
            kind,
            target,
            result,
            ..
        } => {
            let followed = match &result {
                Ok(task) => model.following.contains_key(&task.id),
                Err(_) => model.pending.contains_key(&target),
            };
            if followed {
                flows::on_task(model, kind, target, result)
            } else {
                Vec::new()
            }
        }
        Msg::PartnerFailed { request, error } => {
            if model.partner == Some(Loadable::Loading(request)) {
                model.toast(
                    Level::Error,
                    format!("Loading the partner profile failed. {error}"),
                );
                model.partner = Some(Loadable::Failed(error));
            }
            Vec::new()
        }
    }
}

fn on_key(model: &mut Model, key: crossterm::event::KeyEvent) -> Vec<Effect> {
    let mode = model.mode();
    let action = model.keymap.lookup(mode, model.tab, &key);
    if let Some(super::popup::Popup::Profile) = model.popup {
        // Any key closes the profile; ctrl-c still quits.
        if action == Some(Action::ForceQuit) {
            model.should_quit = true;
        }
        model.popup = None;
        return Vec::new();
    }
    if mode == Mode::Picker
        && let Some(super::popup::Popup::Picker(picker)) = &mut model.popup
        && picker.filterable
    {
        match key.code {
            KeyCode::Char(c) if c != ' ' && !key.modifiers.contains(KeyModifiers::CONTROL) => {
                picker.query.push(c);
                picker.cursor = 0;
                return Vec::new();
            }
            KeyCode::Backspace => {
                picker.query.pop();
                picker.cursor = 0;
                return Vec::new();
            }
            _ => {}
        }
    }
    match mode {
        Mode::Picker | Mode::Confirm | Mode::Conflict => {
            return match action {
                Some(action) => flows::on_popup(model, action),
                None => Vec::new(),
            };
        }
        Mode::Form => return flows::on_form(model, action, key),
        _ => {}
    }
    if mode == Mode::Filter && action.is_none() {
        if let KeyCode::Char(c) = key.code
            && !key.modifiers.contains(KeyModifiers::CONTROL)
        {
            let list = model.focused_list();
            let rows = model.table_rows();
            with_table!(model, list, |t| {
                let mut filter = t.filter.clone();
                filter.push(c);
                t.set_filter(filter);
                t.scroll_into_view(rows);
            });
            return ensure_details(model);
        }
        return Vec::new();
    }
    match action {
        Some(action) => act(model, action),
        None => Vec::new(),
    }
}

fn act(model: &mut Model, action: Action) -> Vec<Effect> {
    if model.help_open {
        match action {
            Action::Down => {
                let lines = model.keymap.help(Mode::Normal).len() as u16;
                model.help_scroll = (model.help_scroll + 1).min(lines);
            }
            Action::Up => model.help_scroll = model.help_scroll.saturating_sub(1),
            Action::ForceQuit => model.should_quit = true,
            _ => {
                model.help_open = false;
                model.help_scroll = 0;
            }
        }
        return Vec::new();
    }
    let rows = model.table_rows();
    let list = model.focused_list();
    let moved = |model: &mut Model, delta: isize| {
        with_table!(model, list, |t| t.move_by(delta, rows));
        ensure_details(model)
    };
    match action {
        Action::Quit | Action::ForceQuit => {
            model.should_quit = true;
            Vec::new()
        }
        Action::Suspend => {
            model.suspend_requested = true;
            Vec::new()
        }
        Action::NextTab | Action::PrevTab => {
            let step = if action == Action::NextTab {
                1
            } else {
                Tab::ALL.len() - 1
            };
            let next = Tab::ALL[(model.tab.index() + step) % Tab::ALL.len()];
            switch_tab(model, next)
        }
        Action::TabOpportunities => switch_tab(model, Tab::Opportunities),
        Action::TabReferrals => switch_tab(model, Tab::Referrals),
        Action::TabSolutions => switch_tab(model, Tab::Solutions),
        Action::TabConnections => switch_tab(model, Tab::Connections),
        Action::Down => moved(model, 1),
        Action::Up => moved(model, -1),
        Action::Top => moved(model, isize::MIN / 2),
        Action::Bottom => moved(model, isize::MAX / 2),
        Action::PageDown => moved(model, rows as isize),
        Action::PageUp => moved(model, -(rows as isize)),
        Action::HalfPageDown => moved(model, (rows / 2).max(1) as isize),
        Action::HalfPageUp => moved(model, -((rows / 2).max(1) as isize)),
        Action::Open => {
            model.detail_open = !model.detail_open;
            let rows = model.table_rows();
            with_table!(model, list, |t| t.scroll_into_view(rows));
            ensure_details(model)
        }
        Action::Back => {
            if model.help_open {
                model.help_open = false;
            } else if model.detail_open {
                model.detail_open = false;
            } else if with_table!(model, list, |t| !t.filter.is_empty()) {
                with_table!(model, list, |t| t.set_filter(String::new()));
            } else if with_table!(model, list, |t| !t.quick.is_empty()) {
                return set_quick_filters(model, list, Vec::new());
            } else {
                model.toasts.clear();
            }
            Vec::new()
        }
        Action::Help => {
            model.help_open = true;
            model.help_scroll = 0;
            Vec::new()
        }
        Action::Refresh => {
            let lists: Vec<ListId> = match model.tab {
                Tab::Connections => vec![ListId::Connections, ListId::Invitations],
                _ => vec![list],
            };
            // Details of this tab's records are re-fetched when next shown.
            model.details.retain(|key, _| match key {
                DetailKey::Opportunity(_) | DetailKey::AwsView(_) => {
                    model.tab != Tab::Opportunities
                }
                DetailKey::Referral(_) => model.tab != Tab::Referrals,
                DetailKey::Connection(_) | DetailKey::Invitation(_) => {
                    model.tab != Tab::Connections
                }
            });
            let mut effects: Vec<Effect> =
                lists.into_iter().map(|l| start_load(model, l)).collect();
            effects.extend(ensure_details(model));
            effects
        }
        Action::Filter => {
            model.filtering = true;
            Vec::new()
        }
        Action::FilterAccept => {
            model.filtering = false;
            Vec::new()
        }
        Action::FilterCancel => {
            model.filtering = false;
            with_table!(model, list, |t| t.set_filter(String::new()));
            ensure_details(model)
        }
        Action::FilterBackspace => {
            with_table!(model, list, |t| {
                let mut filter = t.filter.clone();
                filter.pop();
                t.set_filter(filter);
                t.scroll_into_view(rows);
            });
            ensure_details(model)
        }
        Action::SortNext | Action::SortReverse => {
            let columns = column_names(list).len();
            with_table!(model, list, |t| {
                let next = match (t.sort, action) {
                    (Some((c, d)), Action::SortReverse) => Some((c, !d)),
                    (None, Action::SortReverse) => Some((0, true)),
                    (Some((c, _)), _) => Some(((c + 1) % columns, false)),
                    (None, _) => Some((0, false)),
                };
                t.set_sort(next);
                t.scroll_into_view(rows);
            });
            ensure_details(model)
        }
        Action::Profile
        | Action::LinkToOpportunity
        | Action::InvitePartner
        | Action::AcceptConnection
        | Action::RejectConnection
        | Action::CancelInvitation
        | Action::CancelConnection => super::connections::start(model, action),
        Action::AcceptReferral
        | Action::RejectReferral
        | Action::Mark
        | Action::OpenOpportunity => referrals::start(model, action),
        Action::QuickFilter
        | Action::EditStage
        | Action::EditNextSteps
        | Action::EditCloseDate
        | Action::NewOpportunity
        | Action::Assign
        | Action::LinkSolutions
        | Action::Submit => flows::start(model, action),
        Action::Choose
        | Action::Toggle
        | Action::Yes
        | Action::No
        | Action::Reapply
        | Action::NextField
        | Action::PrevField
        | Action::SubmitForm => Vec::new(),
        Action::SwitchPane => {
            if model.tab == Tab::Connections {
                model.connections_pane = match model.connections_pane {
                    ConnectionsPane::Connections => ConnectionsPane::Invitations,
                    ConnectionsPane::Invitations => ConnectionsPane::Connections,
                };
            }
            ensure_details(model)
        }
    }
}

fn switch_tab(model: &mut Model, tab: Tab) -> Vec<Effect> {
    model.tab = tab;
    model.filtering = false;
    let rows = model.table_rows();
    let list = model.focused_list();
    with_table!(model, list, |t| t.scroll_into_view(rows));
    ensure_details(model)
}

/// Detail records are fetched lazily: only for the selected row, only while the pane is open,
/// and only once per session (until a refresh).
fn ensure_details(model: &mut Model) -> Vec<Effect> {
    if !model.detail_open {
        return Vec::new();
    }
    let mut effects = Vec::new();
    for key in model.selected_detail_keys() {
        let needed = match model.details.get(&key) {
            None => true,
            Some(Loadable::Failed(_)) => false,
            Some(_) => false,
        };
        if needed {
            let request = model.take_request();
            model
                .details
                .insert(key.clone(), Loadable::Loading(request));
            effects.push(Effect::Fetch { request, key });
        }
    }
    effects
}
