//! `update(model, msg) -> effects`: the router. Every message goes through one exhaustive match
//! to the feature it concerns; keys go to the top popup, the open form, the help, the filter,
//! or the feature whose action they name. No I/O and no clock (time arrives as `Msg::Tick`), so
//! each rule is a unit test.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::command;
use super::core::keymap::{Action, Mode, Tab};
use super::core::popup::{Choice, Picker};
use super::core::shell::{Level, TOAST_MILLIS, settle};
use super::features::connections::state::Pane;
use super::features::referrals::types::BatchKind;
use super::features::{
    benefits, channel, connections, opportunities, profile, referrals, solutions,
};
use super::model::{Model, OpenForm, PickFor, Popup};
use super::msg::{
    Detail, DetailKey, Effect, Intent, ListId, Msg, Page, Pointer, Service, TaskKind,
};
use super::shared;

/// The first effects of a session: who the partner is, and every list. Started `--offline`,
/// the lists are the cache's and nothing is read until R.
pub fn init(model: &mut Model) -> Vec<Effect> {
    let mut effects = vec![profile::start_load(model)];
    if model.shell.offline {
        return effects;
    }
    for list in ListId::ALL {
        effects.push(shared::start_load(model, list));
    }
    effects
}

pub fn update(model: &mut Model, msg: Msg) -> Vec<Effect> {
    // Whatever moved the list (keys, the mouse, pages arriving) may have brought rows without
    // titles into view.
    let may_show_new_rows = matches!(
        msg,
        Msg::Key(_) | Msg::Mouse(_) | Msg::Page { .. } | Msg::Cached { .. } | Msg::Resize(..)
    );
    let form_was_open = model.form.is_some();
    let mut effects = route(model, msg);
    if !form_was_open {
        offer_draft(model);
    }
    if may_show_new_rows && (model.tab == Tab::Opportunities || model.shell.context.is_local()) {
        effects.extend(opportunities::results::request_titles(model));
    }
    // Whatever changed the selection or dropped a stale record, the open detail reads what
    // it now lacks (idempotent: a record already read or in flight is not read again).
    effects.extend(shared::ensure_details(model));
    effects
}

fn route(model: &mut Model, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(key) if key.kind == KeyEventKind::Release => Vec::new(),
        Msg::Key(key) => on_key(model, key),
        Msg::Mouse(pointer) => on_pointer(model, pointer),
        Msg::Drafts(drafts) => {
            model.drafts = drafts.into_iter().map(|d| (d.title.clone(), d)).collect();
            Vec::new()
        }
        Msg::Notice { error, text } => {
            let level = if error { Level::Error } else { Level::Info };
            model.shell.toast(level, text);
            Vec::new()
        }
        Msg::Reconnected {
            profile,
            catalog,
            endpoint,
            error,
        } => reconnected(model, profile, catalog, endpoint, error),
        Msg::Titles(titles) => {
            opportunities::results::on_titles(model, titles);
            Vec::new()
        }
        Msg::Measured(measured) => {
            model.measured = measured;
            model.help_scroll = model.help_scroll.min(measured.help_overflow);
            Vec::new()
        }
        Msg::Resize(..) | Msg::Terminate | Msg::Tick(_) => {
            on_terminal(model, msg);
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
            denied,
        } => {
            on_list_failed(model, request, list, error, unreachable, denied);
            Vec::new()
        }
        Msg::Detail {
            request,
            key,
            detail,
        } => on_detail(model, request, key, Ok(*detail)),
        Msg::DetailFailed {
            request,
            key,
            error,
        } => on_detail(model, request, key, Err(error)),
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
            Intent::Benefits(i) => benefits::results::on_mutated(model, i, result),
            Intent::Channel(i) => channel::results::on_mutated(model, i, result),
        },
        Msg::Task {
            kind,
            target,
            result,
            ..
        } => on_task(model, kind, target, result),
    }
}

/// A form that just opened, for which an earlier session kept a draft: offer it back.
fn offer_draft(model: &mut Model) {
    let Some(form) = &model.form else {
        return;
    };
    if model.popup.is_some() {
        return;
    }
    if let Some(draft) = model.drafts.remove(&form.body().title) {
        model.popup = Some(Popup::RestoreDraft { draft });
    }
}

/// What the terminal and the clock say: a new size, the end of the session, the time.
fn on_terminal(model: &mut Model, msg: Msg) {
    match msg {
        Msg::Resize(width, height) => {
            (model.shell.width, model.shell.height) = (width, height);
            let rows = model.table_rows();
            for list in ListId::ALL {
                model.list_mut(list).scroll_into_view(rows);
            }
        }
        Msg::Terminate => model.should_quit = true,
        Msg::Tick(now) => {
            model.shell.now = now;
            model
                .shell
                .toasts
                .retain(|t| t.level == Level::Error || now - t.at < TOAST_MILLIS);
        }
        _ => {}
    }
}

/// The wheel scrolls what is under the pointer: the detail pane by lines, a list by rows; a
/// click on a list row selects it. Popups, forms and help take no mouse input.
fn on_pointer(model: &mut Model, pointer: Pointer) -> Vec<Effect> {
    if model.mode() != Mode::Normal {
        return Vec::new();
    }
    const WHEEL_LINES: i32 = 3;
    let (column, row) = match pointer {
        Pointer::WheelDown { column, row }
        | Pointer::WheelUp { column, row }
        | Pointer::Click { column, row } => (column, row),
    };
    let in_detail = model.detail_open
        && model
            .measured
            .detail
            .is_some_and(|a| a.contains(column, row));
    let in_table = model.measured.table.filter(|a| a.contains(column, row));
    let rows = model.table_rows();
    let list = model.focused_list();
    match (pointer, in_detail, in_table) {
        (Pointer::WheelDown { .. }, true, _) => model.scroll_detail(WHEEL_LINES),
        (Pointer::WheelUp { .. }, true, _) => model.scroll_detail(-WHEEL_LINES),
        (Pointer::WheelDown { .. }, false, Some(_)) => {
            model.list_mut(list).move_by(WHEEL_LINES as isize, rows)
        }
        (Pointer::WheelUp { .. }, false, Some(_)) => {
            model.list_mut(list).move_by(-WHEEL_LINES as isize, rows)
        }
        (Pointer::Click { .. }, false, Some(area)) => {
            // The table's first row is below its border and header.
            let first_row = area.y + 2;
            if row >= first_row {
                let view = model.list(list);
                let target = view.offset() + (row - first_row) as usize;
                if target < view.shown() {
                    let delta = target as isize - view.selected() as isize;
                    model.list_mut(list).move_by(delta, rows);
                }
            }
        }
        (Pointer::Click { .. }, true, _)
        | (Pointer::WheelDown { .. } | Pointer::WheelUp { .. }, false, None)
        | (Pointer::Click { .. }, false, None) => return Vec::new(),
    }
    shared::ensure_details(model)
}

fn on_page(model: &mut Model, request: u64, page: Page) -> Vec<Effect> {
    let accepted = match page {
        Page::Opportunities(rows) => {
            let rows = model.opportunities.with_titles(rows);
            let added = model.opportunities.table.add_page(request, rows);
            opportunities::results::reveal_if_awaited(model);
            added
        }
        Page::Referrals(rows) => model.referrals.table.add_page(request, rows),
        Page::Solutions(rows) => model.solutions.table.add_page(request, rows),
        Page::Connections(rows) => model.connections.connections.add_page(request, rows),
        Page::Invitations(rows) => model.connections.invitations.add_page(request, rows),
        Page::Benefits(rows) => model.benefits.benefits.add_page(request, rows),
        Page::Applications(rows) => model.benefits.applications.add_page(request, rows),
        Page::Allocations(rows) => model.benefits.allocations.add_page(request, rows),
        Page::ProgramAccounts(rows) => model.channel.accounts.add_page(request, rows),
        Page::Relationships(rows) => model.channel.relationships.add_page(request, rows),
        Page::Handshakes(rows) => model.channel.handshakes.add_page(request, rows),
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
    let finished = model.list_mut(list).finish_load(request, now);
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
        Page::Opportunities(mut rows) => {
            for row in &mut rows {
                model.opportunities.learn_title(row);
                opportunities::state::compact(row);
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
        Page::Benefits(rows) => model.benefits.benefits.prefill(rows),
        Page::Applications(rows) => model.benefits.applications.prefill(rows),
        Page::Allocations(rows) => model.benefits.allocations.prefill(rows),
        Page::ProgramAccounts(rows) => model.channel.accounts.prefill(rows),
        Page::Relationships(rows) => model.channel.relationships.prefill(rows),
        Page::Handshakes(rows) => model.channel.handshakes.prefill(rows),
    }
}

fn on_list_failed(
    model: &mut Model,
    request: u64,
    list: ListId,
    error: String,
    unreachable: bool,
    denied: bool,
) {
    let failed = model.list_mut(list).fail_load(request, error.clone());
    // An API this account may not use is said once, in a toast and on its tab; its other
    // lists' refusals, and those of later reads, add nothing.
    if denied && failed {
        let unavailable = match list.service() {
            Service::Benefits => Some(&mut model.benefits.unavailable),
            Service::Channel => Some(&mut model.channel.unavailable),
            Service::Selling => None,
        };
        if let Some(slot) = unavailable {
            let first = slot.is_none();
            *slot = Some(error.clone());
            if first {
                model.shell.toast(
                    Level::Error,
                    format!(
                        "{} is not available to this account: {error} Its tab says so until R there tries again.",
                        list.service().title()
                    ),
                );
            }
            return;
        }
    }
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
fn on_detail(
    model: &mut Model,
    request: u64,
    key: DetailKey,
    result: Result<Detail, String>,
) -> Vec<Effect> {
    store_detail(model, request, key, result);
    Vec::new()
}

fn store_detail(model: &mut Model, request: u64, key: DetailKey, result: Result<Detail, String>) {
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
        (DetailKey::Engagement(id), Ok(Detail::Engagement(e))) => {
            settle(&mut model.opportunities.engagements, id, request, Ok(e));
        }
        (DetailKey::Funding(id), Ok(Detail::Funding(f))) => {
            settle(&mut model.opportunities.funding, id, request, Ok(f));
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
        (DetailKey::Application(id), Ok(Detail::Application(a))) => {
            if settle(
                &mut model.benefits.application_details,
                id,
                request,
                Ok((*a).clone()),
            ) {
                benefits::results::on_detail(model, &a);
            }
        }
        (DetailKey::Application(id), Err(e)) => {
            settle(&mut model.benefits.application_details, id, request, Err(e));
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
        (DetailKey::Engagement(id), Err(e)) => {
            settle(&mut model.opportunities.engagements, id, request, Err(e));
        }
        (DetailKey::Funding(id), Err(e)) => {
            settle(&mut model.opportunities.funding, id, request, Err(e));
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
        TaskKind::Conversion => referrals::results::on_conversion(model, target, result),
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
        Mode::Command => on_command_line(model, action, key),
        Mode::Filter if action.is_none() => on_filter_typing(model, key),
        Mode::Filter | Mode::Normal => match action {
            Some(action) => act(model, action),
            None => Vec::new(),
        },
    }
}

/// Keys a picker takes before the keymap: Home/End jump; `/` starts a search; while a search
/// is under way every character and backspace edit it; before one, j/k/g/G and space keep
/// their list meanings (the keymap's) and any other character starts the search. True when
/// the key was taken.
fn typed_into_picker(model: &mut Model, key: KeyEvent) -> bool {
    let Some(Popup::Pick(pick)) = &mut model.popup else {
        return false;
    };
    let control = pick.control_mut();
    let plain = !key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Home => control.jump(false),
        KeyCode::End => control.jump(true),
        _ if !control.filterable() => return false,
        KeyCode::Char('/') if plain && !control.searching() => control.start_search(),
        KeyCode::Char('g') if plain && !control.searching() => control.jump(false),
        KeyCode::Char('G') if plain && !control.searching() => control.jump(true),
        KeyCode::Char('j' | 'k' | ' ') if plain && !control.searching() => return false,
        KeyCode::Char(c) if plain => control.type_char(c),
        KeyCode::Backspace if control.searching() => control.backspace(),
        // Esc ends a search first; a second Esc cancels the picker.
        KeyCode::Esc if control.searching() => {
            while control.searching() {
                control.backspace();
            }
        }
        _ => return false,
    }
    true
}

/// Keys while the `:` command line is open.
fn on_command_line(model: &mut Model, action: Option<Action>, key: KeyEvent) -> Vec<Effect> {
    match action {
        Some(Action::RunCommand) => {
            let line = model.command_line.take().unwrap_or_default();
            return command::run(model, &line);
        }
        Some(Action::CancelCommand) => model.command_line = None,
        Some(Action::CommandBackspace) => {
            if let Some(line) = &mut model.command_line
                && line.pop().is_none()
            {
                model.command_line = None;
            }
        }
        Some(Action::ForceQuit) => shared::request_quit(model),
        _ => {
            if let (KeyCode::Char(c), Some(line)) = (key.code, &mut model.command_line)
                && !key.modifiers.contains(KeyModifiers::CONTROL)
            {
                line.push(c);
            }
        }
    }
    Vec::new()
}

/// The runner connected again (`:catalog`, `:profile NAME`): everything shown was the old
/// connection's, so every list and record is read afresh.
fn reconnected(
    model: &mut Model,
    profile: Option<String>,
    catalog: String,
    endpoint: Option<String>,
    error: Option<String>,
) -> Vec<Effect> {
    if let Some(error) = error {
        model.shell.toast(
            Level::Error,
            format!("Could not switch to catalog {catalog}: {error}"),
        );
        return Vec::new();
    }
    let context = &mut model.shell.context;
    context.profile = profile;
    context.catalog = catalog.clone();
    context.endpoint = endpoint;
    model.opportunities = Default::default();
    model.referrals = Default::default();
    model.solutions = Default::default();
    model.connections = Default::default();
    model.profile = Default::default();
    model.shell.cached_at = None;
    model.shell.offline = false;
    model.detail_scroll = (None, 0);
    model.shell.toast(
        Level::Info,
        format!(
            "Now on catalog {catalog}{}.",
            model
                .shell
                .context
                .profile
                .as_deref()
                .map(|p| format!(", profile {p}"))
                .unwrap_or_default()
        ),
    );
    init(model)
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
            // The drawn help says how far it overflows; before it has been drawn, long entries
            // wrap to at most two lines each.
            let bound = match model.measured.help_overflow {
                0 => 2 * model.keymap.help(Mode::Normal).len() as u16,
                measured => measured,
            };
            model.help_scroll = (model.help_scroll + 1).min(bound);
        }
        Some(Action::Up) => model.help_scroll = model.help_scroll.saturating_sub(1),
        Some(Action::ForceQuit) => shared::request_quit(model),
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
        // A second ctrl-c on the question forces the quit.
        (Popup::Quit { .. }, Action::ForceQuit | Action::Yes) => {
            model.should_quit = true;
            Vec::new()
        }
        (Popup::Quit { covered, .. }, Action::No | Action::Back) => {
            model.popup = covered.map(|p| *p);
            Vec::new()
        }
        (popup, Action::ForceQuit) => {
            model.popup = Some(popup);
            shared::request_quit(model);
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
        (Popup::RestoreDraft { draft }, Action::Yes) => {
            if let Some(form) = &mut model.form {
                form.body_mut().restore(&draft);
            }
            Vec::new()
        }
        (Popup::DiscardForm, Action::Yes) => {
            model.form = None;
            Vec::new()
        }
        (Popup::Conflict(conflict), Action::Reapply) => {
            opportunities::picks::reapply(model, conflict)
        }
        (Popup::Confirm(_) | Popup::DiscardForm | Popup::RestoreDraft { .. }, Action::No)
        | (_, Action::Back) => Vec::new(),
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
        PickFor::Benefits(pick) => benefits::actions::chose(model, pick),
        PickFor::Quick { list, picker } => {
            let quick = picker.ticked().into_iter().cloned().collect();
            let effects = shared::set_quick_filters(model, list, quick);
            if list == ListId::Opportunities {
                opportunities::results::after_quick_filters(model);
            }
            effects
        }
        PickFor::Sort { list, picker } => {
            let Some(column) = picker.current().map(|c| c.value) else {
                return Vec::new();
            };
            let rows = model.table_rows();
            let view = model.list_mut(list);
            let descending = match view.sort() {
                Some((c, d)) if c == column => !d,
                _ => false,
            };
            view.set_sort(Some((column, descending)));
            view.scroll_into_view(rows);
            Vec::new()
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
    // A reason form under the confirmation waits for the answer, its text kept.
    if let Some(Intent::Benefits(_)) = intents.first()
        && let Some(OpenForm::Benefits(form)) = &mut model.form
    {
        form.body_mut().submitting = true;
    }
    if intents.len() > 1
        && let Some(Intent::Referrals(first)) = intents.first()
    {
        let kind = match first {
            referrals::types::Intent::Accept { .. }
            | referrals::types::Intent::AcceptLead { .. } => BatchKind::Accepting,
            referrals::types::Intent::Reject { .. } => BatchKind::Rejecting,
            // One lead at a time: these never come as a batch.
            referrals::types::Intent::Qualify { .. } | referrals::types::Intent::Convert { .. } => {
                BatchKind::Accepting
            }
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
        Some(Action::ForceQuit) => shared::request_quit(model),
        Some(Action::NextField) => form.body_mut().next_field(),
        Some(Action::PrevField) => form.body_mut().prev_field(),
        Some(Action::Back) if form.body().dirty => model.popup = Some(Popup::DiscardForm),
        Some(Action::Back) => model.form = None,
        Some(Action::SubmitForm) => return submit_form(model),
        _ => {
            let today = model.shell.today();
            let people = match form {
                OpenForm::Opportunities(opportunities::types::OpenForm::Assign { .. }) => {
                    let Some(form) = model.form.take() else {
                        return Vec::new();
                    };
                    let people = opportunities::forms::known_people(model);
                    model.form = Some(form);
                    people
                }
                _ => Vec::new(),
            };
            let Some(form) = &mut model.form else {
                return Vec::new();
            };
            if form.body_mut().input(key) {
                match form {
                    OpenForm::Opportunities(opportunities::types::OpenForm::Create(create)) => {
                        opportunities::forms::check_as_typed(create, &today)
                    }
                    OpenForm::Opportunities(form) => {
                        opportunities::forms::after_input(form, &people)
                    }
                    OpenForm::Referrals(reject) => referrals::actions::after_input(reject),
                    OpenForm::Connections(_) | OpenForm::Benefits(_) | OpenForm::Channel(_) => {}
                }
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
    let effects = match form {
        OpenForm::Opportunities(form) => opportunities::forms::submit(model, form),
        OpenForm::Referrals(form) => referrals::actions::submit(model, form),
        OpenForm::Connections(form) => connections::forms::submit(model, form),
        OpenForm::Benefits(form) => benefits::forms::submit(model, form),
        OpenForm::Channel(form) => channel::forms::submit(model, form),
    };
    // A refused submit puts the cursor where the first problem is.
    if let Some(form) = &mut model.form
        && !form.body().submitting
    {
        form.body_mut().focus_first_error();
    }
    effects
}

/// Normal-mode actions.
fn act(model: &mut Model, action: Action) -> Vec<Effect> {
    let rows = model.table_rows();
    let list = model.focused_list();
    match action {
        Action::Quit | Action::ForceQuit => shared::request_quit(model),
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
        Action::TabBenefits => return switch_tab(model, Tab::Benefits),
        Action::TabChannel => return switch_tab(model, Tab::Channel),
        Action::Down
        | Action::Up
        | Action::Top
        | Action::Bottom
        | Action::PageDown
        | Action::PageUp
        | Action::HalfPageDown
        | Action::HalfPageUp => return navigate(model, action),
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
        Action::SortNext => open_sort_picker(model, list),
        Action::SortReverse => {
            sort(model, list, true);
            return shared::ensure_details(model);
        }
        Action::QuickFilter => open_quick_filter(model, list),
        Action::Command => model.command_line = Some(String::new()),
        Action::CopyId => return copy_id(model, list),
        Action::OpenConsole => return open_console(model, list),
        Action::SwitchPane => return switch_pane(model),
        Action::Profile => profile::open(model),
        _ => return feature_action(model, action),
    }
    Vec::new()
}

/// Moving in the focused list; with the detail open, ctrl-d and ctrl-u scroll the detail
/// instead (as lazygit's main panel scrolls).
fn navigate(model: &mut Model, action: Action) -> Vec<Effect> {
    let rows = model.table_rows() as isize;
    let delta = match action {
        Action::HalfPageDown | Action::HalfPageUp if model.detail_open => {
            let half = model
                .measured
                .detail
                .map_or(5, |a| (a.height.saturating_sub(2) / 2).max(1))
                as i32;
            let sign = if action == Action::HalfPageDown {
                1
            } else {
                -1
            };
            model.scroll_detail(sign * half);
            return Vec::new();
        }
        Action::Down => 1,
        Action::Up => -1,
        Action::Top => isize::MIN / 2,
        Action::Bottom => isize::MAX / 2,
        Action::PageDown => rows,
        Action::PageUp => -rows,
        Action::HalfPageDown => (rows / 2).max(1),
        Action::HalfPageUp => -(rows / 2).max(1),
        _ => 0,
    };
    let list = model.focused_list();
    model.list_mut(list).move_by(delta, rows as usize);
    shared::ensure_details(model)
}

/// The actions a feature owns, sent to it.
fn feature_action(model: &mut Model, action: Action) -> Vec<Effect> {
    match action {
        Action::EditStage
        | Action::EditNextSteps
        | Action::EditCloseDate
        | Action::EditWebsiteAndProblem
        | Action::EditAll
        | Action::NewOpportunity
        | Action::Assign
        | Action::LinkSolutions
        | Action::LinkProducts
        | Action::LinkMarketplace
        | Action::SharePartner
        | Action::Submit => opportunities::actions::start(model, action),
        Action::AcceptReferral
        | Action::RejectReferral
        | Action::QualifyLead
        | Action::ConvertLead
        | Action::Mark
        | Action::OpenOpportunity => referrals::actions::start(model, action),
        Action::LinkToOpportunity => solutions::actions::start(model, action),
        Action::InvitePartner
        | Action::AcceptConnection
        | Action::RejectConnection
        | Action::CancelInvitation
        | Action::CancelConnection => connections::actions::start(model, action),
        Action::ApplyForBenefit
        | Action::SubmitApplication
        | Action::EditApplication
        | Action::AmendApplication
        | Action::RecallApplication
        | Action::CancelApplication => benefits::actions::start(model, action),
        Action::CreateRelationship
        | Action::SendHandshake
        | Action::AcceptHandshake
        | Action::RejectHandshake
        | Action::CancelHandshake => channel::actions::start(model, action),
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
        | Action::TabBenefits
        | Action::TabChannel
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
        | Action::CopyId
        | Action::OpenConsole
        | Action::Command
        | Action::RunCommand
        | Action::CancelCommand
        | Action::CommandBackspace
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

/// Esc steps back one thing at a time: error messages first (they say "esc dismisses"), then
/// the detail, the `/` filter, the quick filters, and finally any other message.
fn back(model: &mut Model, list: ListId) -> Vec<Effect> {
    if model.shell.toasts.iter().any(|t| t.level == Level::Error) {
        model.shell.toasts.retain(|t| t.level != Level::Error);
    } else if model.detail_open {
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

/// `y`: the selected record's id to the clipboard.
fn copy_id(model: &mut Model, list: ListId) -> Vec<Effect> {
    let Some(id) = model.list(list).selected_key().map(str::to_string) else {
        model.shell.toast(Level::Error, "Nothing selected to copy.");
        return Vec::new();
    };
    model
        .shell
        .toast(Level::Info, format!("Copied {id} to the clipboard."));
    vec![Effect::Copy { text: id }]
}

/// `b`: the selected record in the Partner Central console. The URL is shown as well, for a
/// machine with no browser (over SSH).
fn open_console(model: &mut Model, list: ListId) -> Vec<Effect> {
    let Some(id) = model.list(list).selected_key().map(str::to_string) else {
        model.shell.toast(Level::Error, "Nothing selected to open.");
        return Vec::new();
    };
    let url = model.shell.context.console_url(list.console_kind(), &id);
    model.shell.toast(Level::Info, format!("Opening {url}"));
    vec![Effect::OpenUrl { url }]
}

fn refresh(model: &mut Model) -> Vec<Effect> {
    let lists: Vec<ListId> = match model.tab {
        Tab::Connections | Tab::Benefits | Tab::Channel => Model::tab_lists(model.tab).to_vec(),
        Tab::Opportunities | Tab::Referrals | Tab::Solutions => vec![model.focused_list()],
    };
    // Details of this tab's records are read again when next shown.
    match model.tab {
        Tab::Opportunities => {
            model.opportunities.details.clear();
            model.opportunities.aws_views.clear();
            model.opportunities.engagements.clear();
            model.opportunities.funding.clear();
        }
        Tab::Referrals => model.referrals.details.clear(),
        Tab::Solutions => {}
        Tab::Connections => {
            model.connections.connection_details.clear();
            model.connections.invitation_details.clear();
        }
        // R on the tab of an API the account could not use asks again.
        Tab::Benefits => {
            model.benefits.application_details.clear();
            model.benefits.unavailable = None;
        }
        Tab::Channel => model.channel.unavailable = None,
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

/// `o`: a picker of the list's columns, the current sort column first marked; choosing it
/// again reverses the order.
fn open_sort_picker(model: &mut Model, list: ListId) {
    let view = model.list(list);
    let current = view.sort();
    let choices = view
        .column_titles()
        .into_iter()
        .enumerate()
        .map(|(i, title)| {
            let note = match current {
                Some((c, false)) if c == i => "sorted ▲ (enter reverses)",
                Some((c, true)) if c == i => "sorted ▼ (enter reverses)",
                _ => "",
            };
            Choice::new(title, i).noted(note)
        })
        .collect();
    let mut picker = Picker::single(format!("Sort {} by", list.noun()), choices);
    if let Some((c, _)) = current {
        picker.select(&c);
    }
    model.popup = Some(Popup::Pick(PickFor::Sort { list, picker }));
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
        "space ticks (tab while searching), enter applies; R then reads only these".into()
    } else {
        "space ticks (tab while searching), enter applies; within a group any ticked value matches"
            .into()
    };
    model.popup = Some(Popup::Pick(PickFor::Quick { list, picker }));
}

fn switch_pane(model: &mut Model) -> Vec<Effect> {
    match model.tab {
        Tab::Connections => {
            model.connections.pane = match model.connections.pane {
                Pane::Connections => Pane::Invitations,
                Pane::Invitations => Pane::Connections,
            };
        }
        Tab::Benefits => model.benefits.pane = model.benefits.pane.next(),
        Tab::Channel => model.channel.pane = model.channel.pane.next(),
        Tab::Opportunities | Tab::Referrals | Tab::Solutions => {}
    }
    model.keep_selection_in_view();
    shared::ensure_details(model)
}

fn switch_tab(model: &mut Model, tab: Tab) -> Vec<Effect> {
    model.tab = tab;
    model.filtering = false;
    model.keep_selection_in_view();
    shared::ensure_details(model)
}
