//! The whole state of the TUI: one owned value, changed only by `update`. Each feature owns a
//! slice; what they share is the shell; popups and the open form sit above the tabs.

use cosell_core::partner::types::*;

use super::core::column::Quick;
use super::core::form::{Draft, FormBody};
use super::core::keymap::{Action, Keymap, Mode, Tab};
use super::core::popup::{Confirm, Picker, PickerControl};
use super::core::shell::{Context, Measured, Shell};
use super::core::table::ListView;
use super::features::benefits::state::{Benefits, Pane as BenefitsPane};
use super::features::benefits::types as benefits;
use super::features::channel::state::{Channel, Pane as ChannelPane};
use super::features::channel::types as channel;
use super::features::connections::state::{Connections, Pane};
use super::features::connections::types as connections;
use super::features::opportunities::state::Opportunities;
use super::features::opportunities::types as opportunities;
use super::features::profile::state::Profile;
use super::features::referrals::state::Referrals;
use super::features::referrals::types as referrals;
use super::features::solutions::state::Solutions;
use super::features::solutions::types as solutions;
use super::msg::{DetailKey, Intent, ListId, Service};

/// An open picker, by the feature it belongs to.
#[derive(Debug, Clone, PartialEq)]
pub enum PickFor {
    Opportunities(opportunities::Pick),
    Solutions(solutions::Pick),
    Benefits(benefits::Pick),
    /// The quick filters of a list, ticked as they stand.
    Quick {
        list: ListId,
        picker: Picker<Quick>,
    },
    /// The column to sort a list by (its position in the list's descriptor table).
    Sort {
        list: ListId,
        picker: Picker<usize>,
    },
}

impl PickFor {
    pub fn control(&self) -> &dyn PickerControl {
        match self {
            PickFor::Opportunities(p) => p.control(),
            PickFor::Solutions(p) => p.control(),
            PickFor::Benefits(p) => p.control(),
            PickFor::Quick { picker, .. } => picker,
            PickFor::Sort { picker, .. } => picker,
        }
    }

    pub fn control_mut(&mut self) -> &mut dyn PickerControl {
        match self {
            PickFor::Opportunities(p) => p.control_mut(),
            PickFor::Solutions(p) => p.control_mut(),
            PickFor::Benefits(p) => p.control_mut(),
            PickFor::Quick { picker, .. } => picker,
            PickFor::Sort { picker, .. } => picker,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Popup {
    Pick(PickFor),
    Confirm(Confirm<Intent>),
    Conflict(opportunities::Conflict),
    /// Esc on a form with unsaved text.
    DiscardForm,
    /// Quit asked while something would be lost: what, and the popup it covered (shown again
    /// if the user stays).
    Quit {
        losses: Vec<String>,
        covered: Option<Box<Popup>>,
    },
    /// The partner profile and alliance lead.
    Profile,
    /// A form just opened for which a draft was kept (a crash, an accidental quit): restore it?
    RestoreDraft {
        draft: Draft,
    },
}

/// The open form, by the feature it belongs to.
#[derive(Debug, Clone)]
pub enum OpenForm {
    Opportunities(opportunities::OpenForm),
    Referrals(referrals::OpenForm),
    Connections(connections::OpenForm),
    Benefits(benefits::OpenForm),
    Channel(channel::OpenForm),
}

impl OpenForm {
    pub fn body(&self) -> &FormBody {
        match self {
            OpenForm::Opportunities(f) => f.body(),
            OpenForm::Referrals(f) => f.body(),
            OpenForm::Connections(f) => f.body(),
            OpenForm::Benefits(f) => f.body(),
            OpenForm::Channel(f) => f.body(),
        }
    }

    pub fn body_mut(&mut self) -> &mut FormBody {
        match self {
            OpenForm::Opportunities(f) => f.body_mut(),
            OpenForm::Referrals(f) => f.body_mut(),
            OpenForm::Connections(f) => f.body_mut(),
            OpenForm::Benefits(f) => f.body_mut(),
            OpenForm::Channel(f) => f.body_mut(),
        }
    }
}

pub struct Model {
    pub shell: Shell,
    pub keymap: Keymap,
    pub tab: Tab,
    pub detail_open: bool,
    /// Lines the detail pane is scrolled down, and the record they belong to: another record
    /// opens at the top.
    pub detail_scroll: (Option<String>, u16),
    /// The last frame's layout, as the renderer measured it.
    pub measured: Measured,
    pub help_open: bool,
    /// First help line shown, when the help is taller than the screen.
    pub help_scroll: u16,
    pub filtering: bool,
    /// The `:` command line being typed.
    pub command_line: Option<String>,
    pub popup: Option<Popup>,
    pub form: Option<OpenForm>,
    pub should_quit: bool,
    /// Set by ctrl-z; the event loop hands the terminal back to the shell, then clears it.
    pub suspend_requested: bool,
    /// Drafts kept from earlier sessions, by form title.
    pub drafts: std::collections::HashMap<String, Draft>,
    pub opportunities: Opportunities,
    pub referrals: Referrals,
    pub solutions: Solutions,
    pub connections: Connections,
    pub benefits: Benefits,
    pub channel: Channel,
    pub profile: Profile,
}

/// The smallest terminal cosell draws in; below it a "too small" screen explains why.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 15;
/// From this width the detail pane sits beside the table instead of below it.
pub const SIDE_DETAIL_WIDTH: u16 = 120;

impl Model {
    pub fn new(context: Context, keymap: Keymap, now: Millis, width: u16, height: u16) -> Model {
        Model {
            shell: Shell::new(context, now, width, height),
            keymap,
            tab: Tab::Opportunities,
            detail_open: false,
            detail_scroll: (None, 0),
            measured: Measured::default(),
            help_open: false,
            help_scroll: 0,
            filtering: false,
            command_line: None,
            popup: None,
            form: None,
            should_quit: false,
            suspend_requested: false,
            drafts: Default::default(),
            opportunities: Opportunities::default(),
            referrals: Referrals::default(),
            solutions: Solutions::default(),
            connections: Connections::default(),
            benefits: Benefits::default(),
            channel: Channel::default(),
            profile: Profile::default(),
        }
    }

    pub fn mode(&self) -> Mode {
        match &self.popup {
            Some(Popup::Pick(p)) if p.control().is_multi() => return Mode::Checklist,
            Some(Popup::Pick(_)) => return Mode::Picker,
            Some(Popup::Confirm(_))
            | Some(Popup::DiscardForm)
            | Some(Popup::Quit { .. })
            | Some(Popup::RestoreDraft { .. }) => {
                return Mode::Confirm;
            }
            Some(Popup::Profile) => return Mode::Help,
            Some(Popup::Conflict(_)) => return Mode::Conflict,
            None => {}
        }
        if self.form.is_some() {
            Mode::Form
        } else if self.command_line.is_some() {
            Mode::Command
        } else if self.help_open {
            Mode::Help
        } else if self.filtering {
            Mode::Filter
        } else {
            Mode::Normal
        }
    }

    pub fn too_small(&self) -> bool {
        self.shell.width < MIN_WIDTH || self.shell.height < MIN_HEIGHT
    }

    pub fn side_detail(&self) -> bool {
        self.shell.width >= SIDE_DETAIL_WIDTH
    }

    /// Rows of table body visible for the focused list, from the same layout the UI draws:
    /// header, tabs and bottom bar take a line each, a table block two borders and a title row.
    pub fn table_rows(&self) -> usize {
        let mut body = self.shell.height.saturating_sub(3);
        if self.detail_open && !self.side_detail() {
            body /= 2;
        }
        if self.tab == Tab::Connections {
            body /= 2;
        }
        body.saturating_sub(3).max(1) as usize
    }

    pub fn focused_list(&self) -> ListId {
        match self.tab {
            Tab::Opportunities => ListId::Opportunities,
            Tab::Referrals => ListId::Referrals,
            Tab::Solutions => ListId::Solutions,
            Tab::Connections => match self.connections.pane {
                Pane::Connections => ListId::Connections,
                Pane::Invitations => ListId::Invitations,
            },
            Tab::Benefits => match self.benefits.pane {
                BenefitsPane::Benefits => ListId::Benefits,
                BenefitsPane::Applications => ListId::Applications,
                BenefitsPane::Allocations => ListId::Allocations,
            },
            Tab::Channel => match self.channel.pane {
                ChannelPane::Accounts => ListId::ProgramAccounts,
                ChannelPane::Relationships => ListId::Relationships,
                ChannelPane::Handshakes => ListId::Handshakes,
            },
        }
    }

    /// A list, whatever its rows: the one place a `ListId` becomes a table.
    pub fn list(&self, list: ListId) -> &dyn ListView {
        match list {
            ListId::Opportunities => &self.opportunities.table,
            ListId::Referrals => &self.referrals.table,
            ListId::Solutions => &self.solutions.table,
            ListId::Connections => &self.connections.connections,
            ListId::Invitations => &self.connections.invitations,
            ListId::Benefits => &self.benefits.benefits,
            ListId::Applications => &self.benefits.applications,
            ListId::Allocations => &self.benefits.allocations,
            ListId::ProgramAccounts => &self.channel.accounts,
            ListId::Relationships => &self.channel.relationships,
            ListId::Handshakes => &self.channel.handshakes,
        }
    }

    pub fn list_mut(&mut self, list: ListId) -> &mut dyn ListView {
        match list {
            ListId::Opportunities => &mut self.opportunities.table,
            ListId::Referrals => &mut self.referrals.table,
            ListId::Solutions => &mut self.solutions.table,
            ListId::Connections => &mut self.connections.connections,
            ListId::Invitations => &mut self.connections.invitations,
            ListId::Benefits => &mut self.benefits.benefits,
            ListId::Applications => &mut self.benefits.applications,
            ListId::Allocations => &mut self.benefits.allocations,
            ListId::ProgramAccounts => &mut self.channel.accounts,
            ListId::Relationships => &mut self.channel.relationships,
            ListId::Handshakes => &mut self.channel.handshakes,
        }
    }

    /// Keeps the focused list's selection inside its window (after a resize or a layout change).
    pub fn keep_selection_in_view(&mut self) {
        let rows = self.table_rows();
        let list = self.focused_list();
        self.list_mut(list).scroll_into_view(rows);
    }

    /// The records the detail pane needs for the selected row of the focused list.
    pub fn selected_detail_keys(&self) -> Vec<DetailKey> {
        let Some(id) = self.list(self.focused_list()).selected_key() else {
            return Vec::new();
        };
        let id = id.to_string();
        match self.focused_list() {
            ListId::Opportunities => {
                // Only a record shared with AWS belongs to an engagement: the others need not
                // spend reads asking.
                let shared = self
                    .opportunities
                    .row(&id)
                    .is_some_and(cosell_core::partner::rules::shared_with_aws);
                let mut keys = vec![
                    DetailKey::Opportunity(id.clone()),
                    DetailKey::AwsView(id.clone()),
                    DetailKey::Funding(id.clone()),
                ];
                if shared {
                    keys.push(DetailKey::Engagement(id));
                }
                keys
            }
            ListId::Referrals => vec![DetailKey::Referral(id)],
            ListId::Solutions => Vec::new(),
            ListId::Connections => vec![DetailKey::Connection(id)],
            ListId::Invitations => vec![DetailKey::Invitation(id)],
            ListId::Applications => vec![DetailKey::Application(id)],
            ListId::Benefits
            | ListId::Allocations
            | ListId::ProgramAccounts
            | ListId::Relationships
            | ListId::Handshakes => Vec::new(),
        }
    }

    /// What quitting now would lose, in the user's words; empty when nothing would be.
    pub fn quit_losses(&self) -> Vec<String> {
        let mut losses = Vec::new();
        if let Some(form) = &self.form
            && form.body().dirty
        {
            losses.push(format!(
                "the text typed into \"{}\", not submitted",
                form.body().title
            ));
        }
        let sending = self.shell.pending.len();
        if sending > 0 {
            let mut what: Vec<String> = self
                .shell
                .pending
                .iter()
                .map(|(id, what)| format!("{id}: {what}"))
                .collect();
            what.sort();
            let shown: Vec<String> = what.iter().take(3).cloned().collect();
            let more = if sending > 3 {
                format!(" and {} more", sending - 3)
            } else {
                String::new()
            };
            losses.push(format!(
                "{sending} change(s) still being sent or followed ({}{more}); those not yet sent are dropped",
                shown.join("; ")
            ));
        }
        losses
    }

    /// How far the detail pane of the selected record is scrolled.
    pub fn detail_offset(&self) -> u16 {
        let selected = self.list(self.focused_list()).selected_key();
        match &self.detail_scroll {
            (Some(key), lines) if Some(key.as_str()) == selected => {
                (*lines).min(self.measured.detail_overflow)
            }
            _ => 0,
        }
    }

    /// Scrolls the detail pane by `delta` lines, within its content.
    pub fn scroll_detail(&mut self, delta: i32) {
        let Some(key) = self.list(self.focused_list()).selected_key() else {
            return;
        };
        let key = key.to_string();
        let now = self.detail_offset() as i32;
        let next = (now + delta).clamp(0, self.measured.detail_overflow as i32) as u16;
        self.detail_scroll = (Some(key), next);
    }

    /// The open form as a draft worth keeping (typed into and not yet sent), if there is one.
    pub fn draft(&self) -> Option<Draft> {
        let body = self.form.as_ref()?.body();
        (body.dirty && !body.submitting).then(|| Draft {
            title: body.title.clone(),
            at: self.shell.now,
            values: body.fields.iter().map(|f| f.value()).collect(),
        })
    }

    /// The lists a tab shows (one at a time, or both of Connections').
    pub fn tab_lists(tab: Tab) -> &'static [ListId] {
        match tab {
            Tab::Opportunities => &[ListId::Opportunities],
            Tab::Referrals => &[ListId::Referrals],
            Tab::Solutions => &[ListId::Solutions],
            Tab::Connections => &[ListId::Connections, ListId::Invitations],
            Tab::Benefits => &[ListId::Benefits, ListId::Applications, ListId::Allocations],
            Tab::Channel => &[
                ListId::ProgramAccounts,
                ListId::Relationships,
                ListId::Handshakes,
            ],
        }
    }

    /// Shows `list`: its tab, and on a tab of several lists, that one.
    pub fn focus(&mut self, list: ListId) {
        self.tab = Tab::ALL
            .into_iter()
            .find(|t| Model::tab_lists(*t).contains(&list))
            .unwrap_or(Tab::Opportunities);
        match list {
            ListId::Connections => self.connections.pane = Pane::Connections,
            ListId::Invitations => self.connections.pane = Pane::Invitations,
            ListId::Benefits => self.benefits.pane = BenefitsPane::Benefits,
            ListId::Applications => self.benefits.pane = BenefitsPane::Applications,
            ListId::Allocations => self.benefits.pane = BenefitsPane::Allocations,
            ListId::ProgramAccounts => self.channel.pane = ChannelPane::Accounts,
            ListId::Relationships => self.channel.pane = ChannelPane::Relationships,
            ListId::Handshakes => self.channel.pane = ChannelPane::Handshakes,
            ListId::Opportunities | ListId::Referrals | ListId::Solutions => {}
        }
    }

    /// Whether `action` does something on the list shown now: on a tab of several lists, the
    /// keys of one list are left out of the bottom bar while another is shown (pressed anyway,
    /// they say where to go).
    pub fn action_applies(&self, action: Action) -> bool {
        let list = self.focused_list();
        let benefits = self.benefits.unavailable.is_none();
        let channel = self.channel.unavailable.is_none() && !self.channel.no_program();
        // A tab that says its API is out of reach has no list to move in, open or filter.
        let no_lists = match list.service() {
            Service::Benefits => !benefits,
            Service::Channel => !channel,
            Service::Selling => false,
        };
        if no_lists
            && matches!(
                action,
                Action::SwitchPane
                    | Action::QuickFilter
                    | Action::Open
                    | Action::Filter
                    | Action::SortNext
            )
        {
            return false;
        }
        match action {
            Action::SubmitApplication
            | Action::EditApplication
            | Action::AmendApplication
            | Action::RecallApplication
            | Action::CancelApplication => benefits && list == ListId::Applications,
            Action::ApplyForBenefit => benefits,
            Action::AcceptHandshake | Action::RejectHandshake | Action::CancelHandshake => {
                channel && list == ListId::Handshakes
            }
            Action::CreateRelationship | Action::SendHandshake => channel,
            Action::AcceptConnection | Action::RejectConnection | Action::CancelInvitation => {
                list == ListId::Invitations
            }
            Action::CancelConnection => list == ListId::Connections,
            Action::QuickFilter => !self.list(list).quick_groups().is_empty(),
            _ => true,
        }
    }

    /// Why the service behind `list` is not available to this account, once it said so.
    pub fn unavailable(&self, list: ListId) -> Option<&str> {
        match list.service() {
            Service::Benefits => self.benefits.unavailable.as_deref(),
            Service::Channel => self.channel.unavailable.as_deref(),
            Service::Selling => None,
        }
    }

    /// The newest time any list was read from Partner Central.
    pub fn last_refresh(&self) -> Option<Millis> {
        ListId::ALL
            .iter()
            .filter_map(|l| self.list(*l).loaded_at())
            .max()
    }
}
