//! `update(model, msg) -> effects`: the router. Every message goes through one exhaustive match
//! to the feature it concerns; keys go to the top popup, the open form, the help, the filter,
//! or the feature whose action they name. No I/O and no clock (time arrives as `Msg::Tick`), so
//! each rule is a unit test.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::core::keymap::{Action, Mode, Tab};
use super::core::popup::{Choice, Picker};
use super::core::shell::{Level, TOAST_MILLIS, settle};
use super::features::connections::state::Pane;
use super::features::referrals::types::BatchKind;
use super::features::{connections, opportunities, profile, referrals, solutions};
use super::model::{Model, OpenForm, PickFor, Popup};
use super::msg::{Detail, DetailKey, Effect, Intent, ListId, Msg, Page, TaskKind};
use super::shared;

/// The first effects of a session: who the partner is, and every list.
pub fn init(model: &mut Model) -> Vec<Effect> {
    let mut effects = vec![profile::start_load(model)];
    for list in ListId::ALL {
        effects.push(shared::start_load(model, list));
    }
    effects
}

pub fn update(model: &mut Model, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(key) if key.kind == KeyEventKind::Release => Vec::new(),
        Msg::Key(key) => on_key(model, key),
        Msg::Resize(width, height) => {
            (model.shell.width, model.shell.height) = (width, height);
            let rows = model.table_rows();
            for list in ListId::ALL {
                model.list_mut(list).scroll_into_view(rows);
            }
            Vec::new()
        }
        Msg::Terminate => {
            model.should_quit = true;
            Vec::new()
        }
        Msg::Tick(now) => {
            model.shell.now = now;
            model
                .shell
                .toasts
                .retain(|t| t.level == Level::Error || now - t.at < TOAST_MILLIS);
            Vec::new()
        }
        Msg::Page { request, page } => on_page(model, request, page),
        Msg::ListDone { request, list } => on_list_done(model, request, list),
        Msg::Cached { page, at } => {
            on_cached(model, page);
            model.shell.cached_at = Some(at);
            Vec::new()
        }
        Msg::ListFailed {
            request,
            list,
            error,
            unreachable,
        } => {
            on_list_failed(model, request, list, error, unreachable);
            Vec::new()
        }
        Msg::Detail {
            request,
            key,
            detail,
        } => {
            on_detail(model, request, key, Ok(*detail));
            Vec::new()
        }
        Msg::DetailFailed {
            request,
            key,
            error,
        } => {
            on_detail(model, request, key, Err(error));
            Vec::new()
        }
        Msg::Partner { request, partner } => {
            profile::on_loaded(model, request, Ok(*partner));
            Vec::new()
        }
        Msg::PartnerFailed { request, error } => {
            profile::on_loaded(model, request, Err(error));
            Vec::new()
        }
        Msg::Mutated { intent, result, .. } => match *intent {
            Intent::Opportunities(i) => opportunities::results::on_mutated(model, i, result),
            Intent::Referrals(i) => referrals::results::on_mutated(model, i, result),
            Intent::Connections(i) => connections::results::on_mutated(model, i, result),
        },
        Msg::Task {
            kind,
            target,
            result,
            ..
        } => on_task(model, kind, target, result),
    }
}

fn on_page(model: &mut Model, request: u64, page: Page) -> Vec<Effect> {
    let accepted = match page {
        Page::Opportunities(rows) => {
            let rows = model.opportunities.with_titles(rows);
            model.opportunities.table.add_page(request, rows)
        }
        Page::Referrals(rows) => model.referrals.table.add_page(request, rows),
        Page::Solutions(rows) => model.solutions.table.add_page(request, rows),
        Page::Connections(rows) => model.connections.connections.add_page(request, rows),
        Page::Invitations(rows) => model.connections.invitations.add_page(request, rows),
    };
    if !accepted {
        return Vec::new();
    }
    model.keep_selection_in_view();
    let mut effects = referrals::results::prefetch(model);
    effects.extend(shared::ensure_details(model));
    effects
}

fn on_list_done(model: &mut Model, request: u64, list: ListId) -> Vec<Effect> {
    let now = model.shell.now;
    let finished = match list {
        ListId::Opportunities => model.opportunities.table.finish_load(request, now),
        ListId::Referrals => model.referrals.table.finish_load(request, now),
        ListId::Solutions => model.solutions.table.finish_load(request, now),
        ListId::Connections => model.connections.connections.finish_load(request, now),
        ListId::Invitations => model.connections.invitations.finish_load(request, now),
    };
    if !finished {
        return Vec::new();
    }
    model.shell.offline = false;
    if list == ListId::Opportunities {
        pipeline_changed(model);
    }
    shared::ensure_details(model)
}

/// The whole opportunity list changed: rebuild the customer index the referrals' duplicate hint
/// reads, and re-flag the referrals.
fn pipeline_changed(model: &mut Model) {
    opportunities::results::rebuild_pipeline(model);
    referrals::results::flag_duplicates(model);
}

fn on_cached(model: &mut Model, page: Page) {
    match page {
        Page::Opportunities(rows) => {
            for row in &rows {
                model.opportunities.learn_title(row);
            }
            model.opportunities.table.prefill(rows);
            pipeline_changed(model);
        }
        Page::Referrals(rows) => {
            model.referrals.table.prefill(rows);
            referrals::results::flag_duplicates(model);
        }
        Page::Solutions(rows) => model.solutions.table.prefill(rows),
        Page::Connections(rows) => model.connections.connections.prefill(rows),
        Page::Invitations(rows) => model.connections.invitations.prefill(rows),
    }
}

fn on_list_failed(model: &mut Model, request: u64, list: ListId, error: String, unreachable: bool) {
    let failed = match list {
        ListId::Opportunities => model.opportunities.table.fail_load(request, error.clone()),
        ListId::Referrals => model.referrals.table.fail_load(request, error.clone()),
        ListId::Solutions => model.solutions.table.fail_load(request, error.clone()),
        ListId::Connections => model
            .connections
            .connections
            .fail_load(request, error.clone()),
        ListId::Invitations => model
            .connections
            .invitations
            .fail_load(request, error.clone()),
    };
    if unreachable && model.shell.cached_at.is_some() {
        if !model.shell.offline {
            model.shell.offline = true;
            model.shell.toast(
                Level::Error,
                "Offline: Partner Central cannot be reached, so cosell shows the local cache and turns changes off. Press R to try again.",
            );
        }
    } else if failed {
        model.shell.toast(
            Level::Error,
            format!("Loading {} failed. {error}", list.noun()),
        );
    }
}

/// A record read on its own arrived (or failed): it lands in its feature's cache, and a full
/// opportunity or a referral payload also refreshes its row.
fn on_detail(model: &mut Model, request: u64, key: DetailKey, result: Result<Detail, String>) {
    let mismatch = |model: &mut Model| {
        model.shell.toast(
            Level::Error,
            "A record arrived in an unexpected shape; press R to read it again.",
        )
    };
    match (key, result) {
        (DetailKey::Opportunity(id), Ok(Detail::Opportunity(o))) => {
            if settle(
                &mut model.opportunities.details,
                id,
                request,
                Ok((*o).clone()),
            ) {
                opportunities::results::note_full_record(model, &o);
            }
        }
        (DetailKey::AwsView(id), Ok(Detail::AwsView(v))) => {
            settle(&mut model.opportunities.aws_views, id, request, Ok(v));
        }
        (DetailKey::Referral(id), Ok(Detail::Referral(r))) => {
            if settle(&mut model.referrals.details, id, request, Ok((*r).clone())) {
                referrals::results::on_detail(model, &r);
            }
        }
        (DetailKey::Connection(id), Ok(Detail::Connection(c))) => {
            settle(
                &mut model.connections.connection_details,
                id,
                request,
                Ok(c),
            );
        }
        (DetailKey::Invitation(id), Ok(Detail::Invitation(i))) => {
            settle(
                &mut model.connections.invitation_details,
                id,
                request,
                Ok(i),
            );
        }
        (DetailKey::Opportunity(id), Err(e)) => {
            settle(&mut model.opportunities.details, id, request, Err(e));
        }
        (DetailKey::AwsView(id), Err(e)) => {
            settle(&mut model.opportunities.aws_views, id, request, Err(e));
        }
        (DetailKey::Referral(id), Err(e)) => {
            settle(&mut model.referrals.details, id, request, Err(e));
        }
        (DetailKey::Connection(id), Err(e)) => {
            settle(
                &mut model.connections.connection_details,
                id,
                request,
                Err(e),
            );
        }
        (DetailKey::Invitation(id), Err(e)) => {
            settle(
                &mut model.connections.invitation_details,
                id,
                request,
                Err(e),
            );
        }
        (_, Ok(_)) => mismatch(model),
    }
}

fn on_task(
    model: &mut Model,
    kind: TaskKind,
    target: String,
    result: Result<cosell_core::partner::types::TaskState, String>,
) -> Vec<Effect> {
    // Only tasks still followed count: a result for a task no longer followed is stale.
    let followed = match &result {
        Ok(task) => model.shell.following.contains_key(&task.id),
        Err(_) => model.shell.pending.contains_key(&target),
    };
    if !followed {
        return Vec::new();
    }
    match kind {
        TaskKind::Submission => opportunities::results::on_task(model, target, result),
        TaskKind::Acceptance => referrals::results::on_acceptance(model, target, result),
    }
}

fn on_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    let mode = model.mode();
    let action = model.keymap.lookup(mode, model.tab, &key);
    if let Some(Popup::Profile) = model.popup {
        profile::on_popup_key(model, action);
        return Vec::new();
    }
    match mode {
        Mode::Picker | Mode::Checklist if typed_into_picker(model, key) => Vec::new(),
        Mode::Picker | Mode::Checklist | Mode::Confirm | Mode::Conflict => match action {
            Some(action) => on_popup(model, action),
            None => Vec::new(),
        },
        Mode::Form => on_form(model, action, key),
        Mode::Help => {
            on_help(model, action);
            Vec::new()
        }
        Mode::Filter if action.is_none() => on_filter_typing(model, key),
        Mode::Filter | Mode::Normal => match action {
            Some(action) => act(model, action),
            None => Vec::new(),
        },
    }
}

/// Typing into a picker that narrows as you type; true when the key was taken.
fn typed_into_picker(model: &mut Model, key: KeyEvent) -> bool {
    let Some(Popup::Pick(pick)) = &mut model.popup else {
        return false;
    };
    let control = pick.control_mut();
    if !control.filterable() {
        return false;
    }
    match key.code {
        KeyCode::Char(c) if c != ' ' && !key.modifiers.contains(KeyModifiers::CONTROL) => {
            control.type_char(c);
            true
        }
        KeyCode::Backspace => {
            control.backspace();
            true
        }
        _ => false,
    }
}

fn on_filter_typing(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    let KeyCode::Char(c) = key.code else {
        return Vec::new();
    };
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        return Vec::new();
    }
    let rows = model.table_rows();
    let list = model.list_mut(model.focused_list());
    let mut filter = list.filter().to_string();
    filter.push(c);
    list.set_filter(filter);
    list.scroll_into_view(rows);
    shared::ensure_details(model)
}

fn on_help(model: &mut Model, action: Option<Action>) {
    match action {
        Some(Action::Down) => {
            let lines = model.keymap.help(Mode::Normal).len() as u16;
            model.help_scroll = (model.help_scroll + 1).min(lines);
        }
        Some(Action::Up) => model.help_scroll = model.help_scroll.saturating_sub(1),
        Some(Action::ForceQuit) => model.should_quit = true,
        Some(_) => {
            model.help_open = false;
            model.help_scroll = 0;
        }
        None => {}
    }
}

/// Keys while a picker, confirmation or conflict popup is open.
fn on_popup(model: &mut Model, action: Action) -> Vec<Effect> {
    let Some(popup) = model.popup.take() else {
        return Vec::new();
    };
    match (popup, action) {
        (_, Action::ForceQuit) => {
            model.should_quit = true;
            Vec::new()
        }
        (Popup::Pick(mut pick), Action::Down | Action::Up | Action::Toggle) => {
            let control = pick.control_mut();
            match action {
                Action::Toggle => control.toggle(),
                Action::Down => control.move_cursor(1),
                _ => control.move_cursor(-1),
            }
            model.popup = Some(Popup::Pick(pick));
            Vec::new()
        }
        (Popup::Pick(pick), Action::Choose) => chose(model, pick),
        (Popup::Confirm(confirm), Action::Yes) => confirmed(model, confirm.intents),
        (Popup::DiscardForm, Action::Yes) => {
            model.form = None;
            Vec::new()
        }
        (Popup::Conflict(conflict), Action::Reapply) => {
            opportunities::picks::reapply(model, conflict)
        }
        (Popup::Confirm(_) | Popup::DiscardForm, Action::No) | (_, Action::Back) => Vec::new(),
        (popup, _) => {
            model.popup = Some(popup);
            Vec::new()
        }
    }
}

fn chose(model: &mut Model, pick: PickFor) -> Vec<Effect> {
    match pick {
        PickFor::Opportunities(pick) => opportunities::picks::chose(model, pick),
        PickFor::Solutions(pick) => solutions::actions::chose(model, pick),
        PickFor::Quick { list, picker } => {
            let quick = picker.ticked().into_iter().cloned().collect();
            shared::set_quick_filters(model, list, quick)
        }
    }
}

/// Yes on a confirmation: its intents are sent; several make a batch.
fn confirmed(model: &mut Model, intents: Vec<Intent>) -> Vec<Effect> {
    if let Some(Intent::Opportunities(opportunities::types::Intent::Create { .. })) =
        intents.first()
        && let Some(form) = &mut model.form
    {
        form.body_mut().submitting = true;
    }
    if intents.len() > 1
        && let Some(Intent::Referrals(first)) = intents.first()
    {
        let kind = match first {
            referrals::types::Intent::Accept { .. } => BatchKind::Accepting,
            referrals::types::Intent::Reject { .. } => BatchKind::Rejecting,
        };
        let ids = intents.iter().map(|i| i.target().to_string()).collect();
        referrals::results::begin_batch(model, kind, ids);
    }
    intents
        .into_iter()
        .flat_map(|intent| shared::send(model, intent))
        .collect()
}

/// Keys while a form is open (no popup above it).
fn on_form(model: &mut Model, action: Option<Action>, key: KeyEvent) -> Vec<Effect> {
    let Some(form) = &mut model.form else {
        return Vec::new();
    };
    match action {
        Some(Action::ForceQuit) => model.should_quit = true,
        Some(Action::NextField) => form.body_mut().next_field(),
        Some(Action::PrevField) => form.body_mut().prev_field(),
        Some(Action::Back) if form.body().dirty => model.popup = Some(Popup::DiscardForm),
        Some(Action::Back) => model.form = None,
        Some(Action::SubmitForm) => return submit_form(model),
        _ => {
            let today = model.shell.today();
            if form.body_mut().input(key)
                && let OpenForm::Opportunities(opportunities::types::OpenForm::Create(create)) =
                    form
            {
                opportunities::forms::check_as_typed(create, &today);
            }
        }
    }
    Vec::new()
}

fn submit_form(model: &mut Model) -> Vec<Effect> {
    let Some(form) = model.form.take() else {
        return Vec::new();
    };
    if form.body().submitting {
        model.form = Some(form);
        return Vec::new();
    }
    let mut form = form;
    form.body_mut().clear_errors();
    match form {
        OpenForm::Opportunities(form) => opportunities::forms::submit(model, form),
        OpenForm::Referrals(form) => referrals::actions::submit(model, form),
        OpenForm::Connections(form) => connections::forms::submit(model, form),
    }
}

/// Normal-mode actions.
fn act(model: &mut Model, action: Action) -> Vec<Effect> {
    let rows = model.table_rows();
    let list = model.focused_list();
    let moved = |model: &mut Model, delta: isize| {
        model.list_mut(list).move_by(delta, rows);
        shared::ensure_details(model)
    };
    match action {
        Action::Quit | Action::ForceQuit => model.should_quit = true,
        Action::Suspend => model.suspend_requested = true,
        Action::NextTab | Action::PrevTab => {
            let step = if action == Action::NextTab {
                1
            } else {
                Tab::ALL.len() - 1
            };
            return switch_tab(model, Tab::ALL[(model.tab.index() + step) % Tab::ALL.len()]);
        }
        Action::TabOpportunities => return switch_tab(model, Tab::Opportunities),
        Action::TabReferrals => return switch_tab(model, Tab::Referrals),
        Action::TabSolutions => return switch_tab(model, Tab::Solutions),
        Action::TabConnections => return switch_tab(model, Tab::Connections),
        Action::Down => return moved(model, 1),
        Action::Up => return moved(model, -1),
        Action::Top => return moved(model, isize::MIN / 2),
        Action::Bottom => return moved(model, isize::MAX / 2),
        Action::PageDown => return moved(model, rows as isize),
        Action::PageUp => return moved(model, -(rows as isize)),
        Action::HalfPageDown => return moved(model, (rows / 2).max(1) as isize),
        Action::HalfPageUp => return moved(model, -((rows / 2).max(1) as isize)),
        Action::Open => {
            model.detail_open = !model.detail_open;
            model.keep_selection_in_view();
            return shared::ensure_details(model);
        }
        Action::Back => return back(model, list),
        Action::Help => {
            model.help_open = true;
            model.help_scroll = 0;
        }
        Action::Refresh => return refresh(model),
        Action::Filter => model.filtering = true,
        Action::FilterAccept => model.filtering = false,
        Action::FilterCancel => {
            model.filtering = false;
            model.list_mut(list).set_filter(String::new());
            return shared::ensure_details(model);
        }
        Action::FilterBackspace => {
            let view = model.list_mut(list);
            let mut filter = view.filter().to_string();
            filter.pop();
            view.set_filter(filter);
            view.scroll_into_view(rows);
            return shared::ensure_details(model);
        }
        Action::SortNext | Action::SortReverse => {
            sort(model, list, action == Action::SortReverse);
            return shared::ensure_details(model);
        }
        Action::QuickFilter => open_quick_filter(model, list),
        Action::SwitchPane => return switch_pane(model),
        Action::Profile => profile::open(model),
        _ => return feature_action(model, action),
    }
    Vec::new()
}

/// The actions a feature owns, sent to it.
fn feature_action(model: &mut Model, action: Action) -> Vec<Effect> {
    match action {
        Action::EditStage
        | Action::EditNextSteps
        | Action::EditCloseDate
        | Action::NewOpportunity
        | Action::Assign
        | Action::LinkSolutions
        | Action::Submit => opportunities::actions::start(model, action),
        Action::AcceptReferral
        | Action::RejectReferral
        | Action::Mark
        | Action::OpenOpportunity => referrals::actions::start(model, action),
        Action::LinkToOpportunity => solutions::actions::start(model, action),
        Action::InvitePartner
        | Action::AcceptConnection
        | Action::RejectConnection
        | Action::CancelInvitation
        | Action::CancelConnection => connections::actions::start(model, action),
        // Popup and form keys, and the shell's own: handled before a feature is asked.
        Action::Quit
        | Action::ForceQuit
        | Action::Suspend
        | Action::NextTab
        | Action::PrevTab
        | Action::TabOpportunities
        | Action::TabReferrals
        | Action::TabSolutions
        | Action::TabConnections
        | Action::Down
        | Action::Up
        | Action::Top
        | Action::Bottom
        | Action::PageDown
        | Action::PageUp
        | Action::HalfPageDown
        | Action::HalfPageUp
        | Action::Open
        | Action::Back
        | Action::Help
        | Action::Refresh
        | Action::Filter
        | Action::SortNext
        | Action::SortReverse
        | Action::SwitchPane
        | Action::FilterAccept
        | Action::FilterCancel
        | Action::FilterBackspace
        | Action::QuickFilter
        | Action::Profile
        | Action::Choose
        | Action::Toggle
        | Action::Yes
        | Action::No
        | Action::Reapply
        | Action::NextField
        | Action::PrevField
        | Action::SubmitForm => Vec::new(),
    }
}

/// Esc steps back one thing at a time: the detail, the `/` filter, the quick filters, then the
/// messages.
fn back(model: &mut Model, list: ListId) -> Vec<Effect> {
    if model.detail_open {
        model.detail_open = false;
    } else if !model.list(list).filter().is_empty() {
        model.list_mut(list).set_filter(String::new());
    } else if !model.list(list).quick().is_empty() {
        return shared::set_quick_filters(model, list, Vec::new());
    } else {
        model.shell.toasts.clear();
    }
    Vec::new()
}

fn refresh(model: &mut Model) -> Vec<Effect> {
    let lists: Vec<ListId> = match model.tab {
        Tab::Connections => vec![ListId::Connections, ListId::Invitations],
        _ => vec![model.focused_list()],
    };
    // Details of this tab's records are read again when next shown.
    match model.tab {
        Tab::Opportunities => {
            model.opportunities.details.clear();
            model.opportunities.aws_views.clear();
        }
        Tab::Referrals => model.referrals.details.clear(),
        Tab::Solutions => {}
        Tab::Connections => {
            model.connections.connection_details.clear();
            model.connections.invitation_details.clear();
        }
    }
    let mut effects: Vec<Effect> = lists
        .into_iter()
        .map(|l| shared::start_load(model, l))
        .collect();
    effects.extend(shared::ensure_details(model));
    effects
}

fn sort(model: &mut Model, list: ListId, reverse: bool) {
    let rows = model.table_rows();
    let view = model.list_mut(list);
    let columns = view.column_titles().len();
    let next = match (view.sort(), reverse) {
        (Some((c, d)), true) => Some((c, !d)),
        (None, true) => Some((0, true)),
        (Some((c, _)), false) => Some(((c + 1) % columns, false)),
        (None, false) => Some((0, false)),
    };
    view.set_sort(next);
    view.scroll_into_view(rows);
}

/// The quick-filter picker of a list, ticked as its filters stand.
fn open_quick_filter(model: &mut Model, list: ListId) {
    let view = model.list(list);
    let groups = view.quick_groups();
    if groups.is_empty() {
        return;
    }
    let current = view.quick().to_vec();
    let choices = groups
        .iter()
        .flat_map(|(facet, values)| {
            values.iter().map(move |v| {
                Choice::new(format!("{}: {v}", facet.label()), (*facet, v.to_string()))
            })
        })
        .collect();
    let mut picker = Picker::multi("Quick filters", choices, |q| current.contains(q));
    picker.footer = if list == ListId::Opportunities {
        "space ticks, enter applies; R then reads only these".into()
    } else {
        "space ticks, enter applies; within a group any ticked value matches".into()
    };
    model.popup = Some(Popup::Pick(PickFor::Quick { list, picker }));
}

fn switch_pane(model: &mut Model) -> Vec<Effect> {
    if model.tab == Tab::Connections {
        model.connections.pane = match model.connections.pane {
            Pane::Connections => Pane::Invitations,
            Pane::Invitations => Pane::Connections,
        };
    }
    shared::ensure_details(model)
}

fn switch_tab(model: &mut Model, tab: Tab) -> Vec<Effect> {
    model.tab = tab;
    model.filtering = false;
    model.keep_selection_in_view();
    shared::ensure_details(model)
}
