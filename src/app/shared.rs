//! Machinery over the model that every feature uses: sending a change, following a task,
//! reading a record again, starting a load, quick filters, ClientTokens for a form's content.
//! It sits below the features and never calls one; what a result means is the feature's.

use super::core::column::{Quick, QuickContext};
use super::core::shell::Loadable;
use super::model::{Model, Popup};
use super::msg::{DetailKey, Effect, Intent, ListId, TaskKind};
use cosell_core::partner::types::TaskState;

/// Sends a change, marking its record as in flight (its row shows a spinner).
pub fn send(model: &mut Model, intent: Intent) -> Vec<Effect> {
    let request = model.shell.take_request();
    if !intent.target().is_empty() {
        model
            .shell
            .pending
            .insert(intent.target().to_string(), intent.in_flight());
    }
    vec![Effect::Mutate {
        request,
        intent: Box::new(intent),
    }]
}

/// Follows an asynchronous task: a poll a second from now. None when the task has already
/// finished (the caller reports it at once).
pub fn follow(model: &mut Model, kind: TaskKind, target: &str, task: &TaskState) -> Option<Effect> {
    if task.finished() {
        model.shell.following.remove(&task.id);
        return None;
    }
    model
        .shell
        .following
        .insert(task.id.clone(), target.to_string());
    let request = model.shell.take_request();
    Some(Effect::PollTask {
        request,
        kind,
        target: target.to_string(),
        task_id: task.id.clone(),
        after_ms: 1000,
    })
}

fn mark_loading(model: &mut Model, key: &DetailKey, request: u64) {
    let id = match key {
        DetailKey::Opportunity(id)
        | DetailKey::AwsView(id)
        | DetailKey::Engagement(id)
        | DetailKey::Funding(id)
        | DetailKey::Referral(id)
        | DetailKey::Connection(id)
        | DetailKey::Invitation(id)
        | DetailKey::Application(id) => id.clone(),
    };
    match key {
        DetailKey::Opportunity(_) => {
            model
                .opportunities
                .details
                .insert(id, Loadable::Loading(request));
        }
        DetailKey::AwsView(_) => {
            model
                .opportunities
                .aws_views
                .insert(id, Loadable::Loading(request));
        }
        DetailKey::Engagement(_) => {
            model
                .opportunities
                .engagements
                .insert(id, Loadable::Loading(request));
        }
        DetailKey::Funding(_) => {
            model
                .opportunities
                .funding
                .insert(id, Loadable::Loading(request));
        }
        DetailKey::Referral(_) => {
            model
                .referrals
                .details
                .insert(id, Loadable::Loading(request));
        }
        DetailKey::Connection(_) => {
            model
                .connections
                .connection_details
                .insert(id, Loadable::Loading(request));
        }
        DetailKey::Invitation(_) => {
            model
                .connections
                .invitation_details
                .insert(id, Loadable::Loading(request));
        }
        DetailKey::Application(_) => {
            model
                .benefits
                .application_details
                .insert(id, Loadable::Loading(request));
        }
    }
}

fn is_known(model: &Model, key: &DetailKey) -> bool {
    match key {
        DetailKey::Opportunity(id) => model.opportunities.details.contains_key(id),
        DetailKey::AwsView(id) => model.opportunities.aws_views.contains_key(id),
        DetailKey::Engagement(id) => model.opportunities.engagements.contains_key(id),
        DetailKey::Funding(id) => model.opportunities.funding.contains_key(id),
        DetailKey::Referral(id) => model.referrals.details.contains_key(id),
        DetailKey::Connection(id) => model.connections.connection_details.contains_key(id),
        DetailKey::Invitation(id) => model.connections.invitation_details.contains_key(id),
        DetailKey::Application(id) => model.benefits.application_details.contains_key(id),
    }
}

/// Reads a record (again), whatever is known of it.
pub fn fetch(model: &mut Model, key: DetailKey) -> Effect {
    let request = model.shell.take_request();
    mark_loading(model, &key, request);
    Effect::Fetch {
        request,
        key,
        cached_only: model.shell.offline,
    }
}

/// Reads an opportunity again after a change, so the detail and the row show what AWS holds.
pub fn refetch_opportunity(model: &mut Model, id: &str) -> Effect {
    fetch(model, DetailKey::Opportunity(id.to_string()))
}

/// Detail records are fetched lazily: only for the selected row, only while the pane is open,
/// and only once per session (until a refresh).
pub fn ensure_details(model: &mut Model) -> Vec<Effect> {
    if !model.detail_open {
        return Vec::new();
    }
    let wanted: Vec<DetailKey> = model
        .selected_detail_keys()
        .into_iter()
        .filter(|key| !is_known(model, key))
        .collect();
    wanted.into_iter().map(|key| fetch(model, key)).collect()
}

/// The quick filters Partner Central can apply itself.
pub fn api_part(quick: &[Quick]) -> Vec<Quick> {
    quick
        .iter()
        .filter(|(f, _)| f.read_by_api())
        .cloned()
        .collect()
}

/// Starts reading a list. The opportunities are read under their quick filters, by the API's
/// own LifeCycle filters, so a reload with a stage or review status chosen reads only those.
pub fn start_load(model: &mut Model, list: ListId) -> Effect {
    let request = model.shell.take_request();
    // Only ListOpportunities takes filters (its LifeCycle ones).
    let scope = if list == ListId::Opportunities {
        api_part(&model.opportunities.table.quick)
    } else {
        Vec::new()
    };
    model
        .list_mut(list)
        .begin_scoped_load(request, scope.clone());
    Effect::Load {
        request,
        list,
        scope,
    }
}

/// Sets a list's quick filters. Rows read whole are narrowed locally, at once; rows Partner
/// Central read under other filters are not the rows the new ones need, so they are read again
/// (with no filters, the whole list).
pub fn set_quick_filters(model: &mut Model, list: ListId, quick: Vec<Quick>) -> Vec<Effect> {
    let rows = model.table_rows();
    let cx = QuickContext {
        now: model.shell.now,
        today: model.shell.today(),
        me: model.shell.context.me.as_ref().map(|m| m.to_lowercase()),
    };
    let view = model.list_mut(list);
    view.set_quick_with(quick, cx);
    view.scroll_into_view(rows);
    let read_again = !view.scope().is_empty() && view.scope() != api_part(view.quick()).as_slice();
    if read_again {
        vec![start_load(model, list)]
    } else {
        Vec::new()
    }
}

/// The ClientToken for submitting `content` from the open form: the previous attempt's token
/// when the content is unchanged (a retry creates nothing twice), a new one otherwise.
pub fn token_for_content(model: &mut Model, content: String) -> String {
    if let Some((last, token)) = model
        .form
        .as_ref()
        .and_then(|f| f.body().last_attempt.as_ref())
        && *last == content
    {
        return token.clone();
    }
    let token = model.shell.client_token();
    if let Some(form) = model.form.as_mut() {
        form.body_mut().last_attempt = Some((content, token.clone()));
    }
    token
}

/// Quits, unless that would drop typed text or changes in flight: then asks first, naming what
/// would be lost (a second ctrl-c, or y, quits anyway).
pub fn request_quit(model: &mut Model) {
    let losses = model.quit_losses();
    if losses.is_empty() {
        model.should_quit = true;
        return;
    }
    let covered = model.popup.take().map(Box::new);
    model.popup = Some(Popup::Quit { losses, covered });
}
