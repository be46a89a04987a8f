//! The partner profile: who cosell is working for (GetPartner and GetAllianceLeadContact), read
//! once at start and shown in the header and the `p` popup.

pub mod state;

use cosell_core::partner::types::Partner;

use crate::app::core::keymap::Action;
use crate::app::core::shell::{Level, Loadable};
use crate::app::model::{Model, Popup};
use crate::app::msg::Effect;

pub fn start_load(model: &mut Model) -> Effect {
    let request = model.shell.take_request();
    model.profile.partner = Some(Loadable::Loading(request));
    Effect::LoadPartner {
        request,
        cached_only: model.shell.offline,
    }
}

pub fn on_loaded(model: &mut Model, request: u64, result: Result<Partner, String>) {
    if model.profile.partner != Some(Loadable::Loading(request)) {
        return;
    }
    model.profile.partner = Some(match result {
        Ok(partner) => Loadable::Ready(partner),
        Err(error) => {
            model.shell.toast(
                Level::Error,
                format!("Loading the partner profile failed. {error}"),
            );
            Loadable::Failed(error)
        }
    });
}

/// The profile popup: `p` opens it, and any key closes it (ctrl-c still quits).
pub fn on_popup_key(model: &mut Model, action: Option<Action>) {
    model.popup = None;
    if action == Some(Action::ForceQuit) {
        crate::app::shared::request_quit(model);
    }
}

pub fn open(model: &mut Model) {
    model.popup = Some(Popup::Profile);
}
