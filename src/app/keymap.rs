//! The one table of key bindings. Dispatch, the bottom hint bar and the `?` help overlay are all
//! generated from it, so they cannot disagree. Users can rebind actions in the config file.

use std::collections::BTreeMap;
use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::model::Tab;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    Quit,
    ForceQuit,
    Suspend,
    NextTab,
    PrevTab,
    TabOpportunities,
    TabReferrals,
    TabSolutions,
    TabConnections,
    Down,
    Up,
    Top,
    Bottom,
    PageDown,
    PageUp,
    HalfPageDown,
    HalfPageUp,
    Open,
    Back,
    Help,
    Refresh,
    Filter,
    SortNext,
    SortReverse,
    SwitchPane,
    // Filter mode.
    FilterAccept,
    FilterCancel,
    FilterBackspace,
    QuickFilter,
    Profile,
    // Solutions and connections.
    LinkToOpportunity,
    InvitePartner,
    AcceptConnection,
    RejectConnection,
    CancelInvitation,
    CancelConnection,
    // Referrals.
    AcceptReferral,
    RejectReferral,
    Mark,
    OpenOpportunity,
    // Opportunities.
    EditStage,
    EditNextSteps,
    EditCloseDate,
    NewOpportunity,
    Assign,
    LinkSolutions,
    Submit,
    // Pickers, confirmations, forms.
    Choose,
    Toggle,
    Yes,
    No,
    Reapply,
    NextField,
    PrevField,
    SubmitForm,
}

impl Action {
    /// The name used in the config file's `[keys]` table.
    pub fn name(self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::ForceQuit => "force_quit",
            Action::Suspend => "suspend",
            Action::NextTab => "next_tab",
            Action::PrevTab => "prev_tab",
            Action::TabOpportunities => "tab_opportunities",
            Action::TabReferrals => "tab_referrals",
            Action::TabSolutions => "tab_solutions",
            Action::TabConnections => "tab_connections",
            Action::Down => "down",
            Action::Up => "up",
            Action::Top => "top",
            Action::Bottom => "bottom",
            Action::PageDown => "page_down",
            Action::PageUp => "page_up",
            Action::HalfPageDown => "half_page_down",
            Action::HalfPageUp => "half_page_up",
            Action::Open => "open",
            Action::Back => "back",
            Action::Help => "help",
            Action::Refresh => "refresh",
            Action::Filter => "filter",
            Action::SortNext => "sort_next",
            Action::SortReverse => "sort_reverse",
            Action::SwitchPane => "switch_pane",
            Action::FilterAccept => "filter_accept",
            Action::FilterCancel => "filter_cancel",
            Action::FilterBackspace => "filter_backspace",
            Action::QuickFilter => "quick_filter",
            Action::Profile => "profile",
            Action::LinkToOpportunity => "link_to_opportunity",
            Action::InvitePartner => "invite_partner",
            Action::AcceptConnection => "accept_connection",
            Action::RejectConnection => "reject_connection",
            Action::CancelInvitation => "cancel_invitation",
            Action::CancelConnection => "cancel_connection",
            Action::AcceptReferral => "accept_referral",
            Action::RejectReferral => "reject_referral",
            Action::Mark => "mark",
            Action::OpenOpportunity => "open_opportunity",
            Action::EditStage => "edit_stage",
            Action::EditNextSteps => "edit_next_steps",
            Action::EditCloseDate => "edit_close_date",
            Action::NewOpportunity => "new_opportunity",
            Action::Assign => "assign",
            Action::LinkSolutions => "link_solutions",
            Action::Submit => "submit",
            Action::Choose => "choose",
            Action::Toggle => "toggle",
            Action::Yes => "yes",
            Action::No => "no",
            Action::Reapply => "reapply",
            Action::NextField => "next_field",
            Action::PrevField => "prev_field",
            Action::SubmitForm => "submit_form",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    Normal,
    Filter,
    Help,
    Picker,
    Confirm,
    Conflict,
    Form,
}

/// A key as written in the config and shown in help: `j`, `G`, `ctrl-d`, `enter`, `f5`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
}

impl Key {
    pub const fn plain(c: char) -> Key {
        Key {
            code: KeyCode::Char(c),
            ctrl: false,
        }
    }
    pub const fn ctrl(c: char) -> Key {
        Key {
            code: KeyCode::Char(c),
            ctrl: true,
        }
    }
    pub const fn code(code: KeyCode) -> Key {
        Key { code, ctrl: false }
    }

    pub fn from_event(event: &KeyEvent) -> Key {
        // Terminals report Shift-Tab as BackTab and deliver letters already upper-cased, so the
        // code alone identifies the key; only Ctrl matters as a modifier.
        Key {
            code: event.code,
            ctrl: event.modifiers.contains(KeyModifiers::CONTROL),
        }
    }

    pub fn parse(text: &str) -> Option<Key> {
        let (ctrl, rest) = if text.to_ascii_lowercase().starts_with("ctrl-") {
            (true, &text[5..])
        } else {
            (false, text)
        };
        let code = match rest.to_ascii_lowercase().as_str() {
            "enter" => KeyCode::Enter,
            "esc" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "backtab" | "shift-tab" => KeyCode::BackTab,
            "backspace" => KeyCode::Backspace,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pageup" => KeyCode::PageUp,
            "pagedown" => KeyCode::PageDown,
            "space" => KeyCode::Char(' '),
            f if f.starts_with('f') && f.len() > 1 => KeyCode::F(f[1..].parse().ok()?),
            _ => {
                let mut chars = rest.chars();
                let c = chars.next()?;
                if chars.next().is_some() {
                    return None;
                }
                KeyCode::Char(c)
            }
        };
        Some(Key { code, ctrl })
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("ctrl-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("enter"),
            KeyCode::Esc => f.write_str("esc"),
            KeyCode::Tab => f.write_str("tab"),
            KeyCode::BackTab => f.write_str("shift-tab"),
            KeyCode::Backspace => f.write_str("backspace"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::Home => f.write_str("home"),
            KeyCode::End => f.write_str("end"),
            KeyCode::PageUp => f.write_str("pgup"),
            KeyCode::PageDown => f.write_str("pgdn"),
            KeyCode::F(n) => write!(f, "f{n}"),
            _ => f.write_str("?"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Binding {
    pub mode: Mode,
    /// Only on this tab (None: everywhere).
    pub tab: Option<Tab>,
    pub key: Key,
    pub action: Action,
    pub help: &'static str,
    /// Shown in the bottom bar (the first binding of an action only).
    pub hint: Option<&'static str>,
}

#[derive(Debug, Clone)]
pub struct Keymap {
    pub bindings: Vec<Binding>,
}

fn b(
    mode: Mode,
    key: Key,
    action: Action,
    help: &'static str,
    hint: Option<&'static str>,
) -> Binding {
    Binding {
        mode,
        tab: None,
        key,
        action,
        help,
        hint,
    }
}

fn on(
    tab: Tab,
    key: Key,
    action: Action,
    help: &'static str,
    hint: Option<&'static str>,
) -> Binding {
    Binding {
        tab: Some(tab),
        ..b(Mode::Normal, key, action, help, hint)
    }
}

impl Default for Keymap {
    fn default() -> Self {
        use Action::*;
        let k = Key::plain;
        let c = Key::code;
        Keymap {
            bindings: vec![
                b(Mode::Normal, k('j'), Down, "move down", None),
                b(Mode::Normal, c(KeyCode::Down), Down, "move down", None),
                b(Mode::Normal, k('k'), Up, "move up", None),
                b(Mode::Normal, c(KeyCode::Up), Up, "move up", None),
                b(Mode::Normal, k('g'), Top, "first row", None),
                b(Mode::Normal, c(KeyCode::Home), Top, "first row", None),
                b(Mode::Normal, k('G'), Bottom, "last row", None),
                b(Mode::Normal, c(KeyCode::End), Bottom, "last row", None),
                b(
                    Mode::Normal,
                    c(KeyCode::PageDown),
                    PageDown,
                    "page down",
                    None,
                ),
                b(Mode::Normal, c(KeyCode::PageUp), PageUp, "page up", None),
                b(
                    Mode::Normal,
                    Key::ctrl('d'),
                    HalfPageDown,
                    "half page down",
                    None,
                ),
                b(
                    Mode::Normal,
                    Key::ctrl('u'),
                    HalfPageUp,
                    "half page up",
                    None,
                ),
                b(
                    Mode::Normal,
                    c(KeyCode::Enter),
                    Open,
                    "open / close the detail pane",
                    Some("detail"),
                ),
                b(
                    Mode::Normal,
                    k('/'),
                    Filter,
                    "filter this list",
                    Some("filter"),
                ),
                b(
                    Mode::Normal,
                    k('o'),
                    SortNext,
                    "sort by the next column",
                    Some("sort"),
                ),
                b(
                    Mode::Normal,
                    k('O'),
                    SortReverse,
                    "reverse the sort order",
                    None,
                ),
                b(
                    Mode::Normal,
                    k('R'),
                    Refresh,
                    "reload from Partner Central",
                    Some("refresh"),
                ),
                b(
                    Mode::Normal,
                    k('w'),
                    SwitchPane,
                    "switch between connections and invitations",
                    None,
                ),
                b(
                    Mode::Normal,
                    k('1'),
                    TabOpportunities,
                    "Opportunities tab",
                    None,
                ),
                b(Mode::Normal, k('2'), TabReferrals, "Referrals tab", None),
                b(Mode::Normal, k('3'), TabSolutions, "Solutions tab", None),
                b(
                    Mode::Normal,
                    k('4'),
                    TabConnections,
                    "Connections tab",
                    None,
                ),
                b(
                    Mode::Normal,
                    c(KeyCode::Tab),
                    NextTab,
                    "next tab",
                    Some("tabs"),
                ),
                b(
                    Mode::Normal,
                    c(KeyCode::BackTab),
                    PrevTab,
                    "previous tab",
                    None,
                ),
                b(
                    Mode::Normal,
                    c(KeyCode::Esc),
                    Back,
                    "close the detail, clear the filter, dismiss messages",
                    None,
                ),
                b(Mode::Normal, k('?'), Help, "help", Some("help")),
                b(Mode::Normal, k('q'), Quit, "quit", Some("quit")),
                b(
                    Mode::Normal,
                    Key::ctrl('c'),
                    ForceQuit,
                    "quit at once",
                    None,
                ),
                b(
                    Mode::Normal,
                    Key::ctrl('z'),
                    Suspend,
                    "suspend to the shell (fg returns)",
                    None,
                ),
                b(
                    Mode::Filter,
                    c(KeyCode::Enter),
                    FilterAccept,
                    "keep the filter",
                    Some("keep"),
                ),
                b(
                    Mode::Filter,
                    c(KeyCode::Esc),
                    FilterCancel,
                    "clear the filter",
                    Some("clear"),
                ),
                b(
                    Mode::Filter,
                    c(KeyCode::Backspace),
                    FilterBackspace,
                    "delete a character",
                    None,
                ),
                b(
                    Mode::Filter,
                    Key::ctrl('c'),
                    ForceQuit,
                    "quit at once",
                    None,
                ),
                b(
                    Mode::Help,
                    c(KeyCode::Esc),
                    Back,
                    "close help",
                    Some("close"),
                ),
                b(Mode::Help, k('?'), Back, "close help", None),
                b(Mode::Help, k('q'), Back, "close help", None),
                b(Mode::Help, Key::ctrl('c'), ForceQuit, "quit at once", None),
                b(Mode::Help, k('j'), Down, "scroll down", Some("scroll")),
                b(Mode::Help, c(KeyCode::Down), Down, "scroll down", None),
                b(Mode::Help, k('k'), Up, "scroll up", None),
                b(Mode::Help, c(KeyCode::Up), Up, "scroll up", None),
                on(
                    Tab::Opportunities,
                    k('s'),
                    EditStage,
                    "change the stage",
                    Some("stage"),
                ),
                on(
                    Tab::Opportunities,
                    k('e'),
                    EditNextSteps,
                    "edit next steps",
                    Some("steps"),
                ),
                on(
                    Tab::Opportunities,
                    k('t'),
                    EditCloseDate,
                    "edit the target close date",
                    None,
                ),
                on(
                    Tab::Opportunities,
                    k('n'),
                    NewOpportunity,
                    "new opportunity",
                    Some("new"),
                ),
                on(
                    Tab::Opportunities,
                    k('A'),
                    Assign,
                    "assign to someone",
                    None,
                ),
                on(
                    Tab::Opportunities,
                    k('l'),
                    LinkSolutions,
                    "link or unlink solutions",
                    Some("link"),
                ),
                on(
                    Tab::Opportunities,
                    k('S'),
                    Submit,
                    "submit to AWS for co-sell",
                    None,
                ),
                on(
                    Tab::Opportunities,
                    k('f'),
                    QuickFilter,
                    "quick filters; R then reads only those",
                    Some("quick"),
                ),
                on(
                    Tab::Referrals,
                    k('a'),
                    AcceptReferral,
                    "accept the referral (or the marked ones)",
                    Some("accept"),
                ),
                on(
                    Tab::Referrals,
                    k('x'),
                    RejectReferral,
                    "reject the referral (or the marked ones)",
                    Some("reject"),
                ),
                on(
                    Tab::Referrals,
                    c(KeyCode::Char(' ')),
                    Mark,
                    "mark for a batch answer",
                    Some("mark"),
                ),
                on(
                    Tab::Referrals,
                    k('J'),
                    OpenOpportunity,
                    "open the opportunity an accepted referral became",
                    None,
                ),
                on(
                    Tab::Referrals,
                    k('f'),
                    QuickFilter,
                    "quick filters: status and type",
                    Some("quick"),
                ),
                b(
                    Mode::Normal,
                    k('p'),
                    Profile,
                    "partner profile and alliance lead",
                    None,
                ),
                on(
                    Tab::Solutions,
                    k('l'),
                    LinkToOpportunity,
                    "link the solution to an opportunity",
                    Some("link"),
                ),
                on(
                    Tab::Solutions,
                    k('f'),
                    QuickFilter,
                    "quick filters: status",
                    Some("quick"),
                ),
                on(
                    Tab::Connections,
                    k('n'),
                    InvitePartner,
                    "invite a partner to connect",
                    Some("invite"),
                ),
                on(
                    Tab::Connections,
                    k('a'),
                    AcceptConnection,
                    "accept the received invitation",
                    Some("accept"),
                ),
                on(
                    Tab::Connections,
                    k('x'),
                    RejectConnection,
                    "reject the received invitation",
                    Some("reject"),
                ),
                on(
                    Tab::Connections,
                    k('c'),
                    CancelInvitation,
                    "cancel the invitation you sent",
                    Some("cancel"),
                ),
                on(
                    Tab::Connections,
                    k('C'),
                    CancelConnection,
                    "end a connection (asks for a reason)",
                    None,
                ),
                b(Mode::Picker, k('j'), Down, "next option", None),
                b(Mode::Picker, c(KeyCode::Down), Down, "next option", None),
                b(Mode::Picker, k('k'), Up, "previous option", None),
                b(Mode::Picker, c(KeyCode::Up), Up, "previous option", None),
                b(
                    Mode::Picker,
                    c(KeyCode::Char(' ')),
                    Toggle,
                    "tick or untick",
                    Some("tick"),
                ),
                b(
                    Mode::Picker,
                    c(KeyCode::Enter),
                    Choose,
                    "choose",
                    Some("choose"),
                ),
                b(
                    Mode::Picker,
                    c(KeyCode::Esc),
                    Back,
                    "cancel",
                    Some("cancel"),
                ),
                b(
                    Mode::Picker,
                    Key::ctrl('c'),
                    ForceQuit,
                    "quit at once",
                    None,
                ),
                b(Mode::Confirm, k('y'), Yes, "yes, do it", Some("yes")),
                b(Mode::Confirm, c(KeyCode::Enter), Yes, "yes, do it", None),
                b(Mode::Confirm, k('n'), No, "no", Some("no")),
                b(Mode::Confirm, c(KeyCode::Esc), No, "no", None),
                b(
                    Mode::Confirm,
                    Key::ctrl('c'),
                    ForceQuit,
                    "quit at once",
                    None,
                ),
                b(
                    Mode::Conflict,
                    k('r'),
                    Reapply,
                    "re-apply my change to the latest version",
                    Some("re-apply"),
                ),
                b(
                    Mode::Conflict,
                    c(KeyCode::Esc),
                    Back,
                    "keep the latest version",
                    Some("keep theirs"),
                ),
                b(
                    Mode::Conflict,
                    Key::ctrl('c'),
                    ForceQuit,
                    "quit at once",
                    None,
                ),
                b(
                    Mode::Form,
                    c(KeyCode::Tab),
                    NextField,
                    "next field",
                    Some("next field"),
                ),
                b(
                    Mode::Form,
                    c(KeyCode::BackTab),
                    PrevField,
                    "previous field",
                    None,
                ),
                b(
                    Mode::Form,
                    Key::ctrl('s'),
                    SubmitForm,
                    "submit",
                    Some("submit"),
                ),
                b(
                    Mode::Form,
                    c(KeyCode::Esc),
                    Back,
                    "cancel (asks when there is unsaved text)",
                    Some("cancel"),
                ),
                b(Mode::Form, Key::ctrl('c'), ForceQuit, "quit at once", None),
            ],
        }
    }
}

impl Keymap {
    /// The default keymap with the user's `[keys]` overrides (`action = "key"`) applied: the
    /// named action's Normal-mode keys are replaced. Unknown names or keys are reported back.
    pub fn with_overrides(overrides: &BTreeMap<String, String>) -> (Keymap, Vec<String>) {
        let mut keymap = Keymap::default();
        let mut problems = Vec::new();
        for (name, key_text) in overrides {
            let Some(action) = keymap
                .bindings
                .iter()
                .map(|b| b.action)
                .find(|a| a.name() == name)
            else {
                problems.push(format!("unknown action '{name}' in [keys]"));
                continue;
            };
            let Some(key) = Key::parse(key_text) else {
                problems.push(format!(
                    "cannot read key '{key_text}' for '{name}' in [keys]"
                ));
                continue;
            };
            let template = keymap
                .bindings
                .iter()
                .find(|b| b.action == action && b.mode == Mode::Normal)
                .cloned();
            keymap
                .bindings
                .retain(|b| !(b.mode == Mode::Normal && (b.action == action || b.key == key)));
            if let Some(mut binding) = template {
                binding.key = key;
                keymap.bindings.insert(0, binding);
            }
        }
        (keymap, problems)
    }

    pub fn lookup(&self, mode: Mode, tab: Tab, event: &KeyEvent) -> Option<Action> {
        let key = Key::from_event(event);
        let matching = |scoped: bool| {
            self.bindings
                .iter()
                .find(|b| {
                    b.mode == mode
                        && b.key == key
                        && b.tab.is_some() == scoped
                        && b.tab.is_none_or(|t| t == tab)
                })
                .map(|b| b.action)
        };
        // A tab's own binding wins over a global one on the same key.
        matching(true).or_else(|| matching(false))
    }

    /// The first key bound to `action` in `mode`, for hints and messages.
    pub fn key_for(&self, mode: Mode, action: Action) -> Option<Key> {
        self.bindings
            .iter()
            .find(|b| b.mode == mode && b.action == action)
            .map(|b| b.key)
    }

    /// `(keys, hint)` pairs for the bottom bar in `mode` on `tab`: the tab's own keys first,
    /// since a narrow bar cuts from the right.
    pub fn hints(&self, mode: Mode, tab: Tab) -> Vec<(String, &'static str)> {
        let hinted = |scoped: bool| {
            self.bindings
                .iter()
                .filter(move |b| {
                    b.mode == mode && b.tab.is_some() == scoped && b.tab.is_none_or(|t| t == tab)
                })
                .filter_map(|b| b.hint.map(|h| (b.key.to_string(), h)))
        };
        hinted(true).chain(hinted(false)).collect()
    }

    /// Help lines for `mode`: every action once, with all its keys, and the tab it works on.
    pub fn help(&self, mode: Mode) -> Vec<(String, String)> {
        // One line per action and tab: (which, its keys, its help).
        type HelpLine = ((Action, Option<Tab>), Vec<String>, String);
        let mut lines: Vec<HelpLine> = Vec::new();
        for binding in self.bindings.iter().filter(|b| b.mode == mode) {
            let id = (binding.action, binding.tab);
            match lines.iter_mut().find(|(a, _, _)| *a == id) {
                Some((_, keys, _)) => keys.push(binding.key.to_string()),
                None => {
                    let help = match binding.tab {
                        Some(tab) => format!("{} ({})", binding.help, tab.title()),
                        None => binding.help.to_string(),
                    };
                    lines.push((id, vec![binding.key.to_string()], help))
                }
            }
        }
        lines
            .into_iter()
            .map(|(_, keys, help)| (keys.join(" "), help))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_replace_the_action_keys() {
        let mut o = BTreeMap::new();
        o.insert("refresh".to_string(), "f5".to_string());
        o.insert("nonsense".to_string(), "x".to_string());
        let (keymap, problems) = Keymap::with_overrides(&o);
        assert_eq!(problems.len(), 1);
        let f5 = KeyEvent::new(KeyCode::F(5), KeyModifiers::NONE);
        assert_eq!(
            keymap.lookup(Mode::Normal, Tab::Referrals, &f5),
            Some(Action::Refresh)
        );
        let r = KeyEvent::new(KeyCode::Char('R'), KeyModifiers::SHIFT);
        assert_eq!(keymap.lookup(Mode::Normal, Tab::Referrals, &r), None);
        let s = KeyEvent::new(KeyCode::Char('s'), KeyModifiers::NONE);
        assert_eq!(
            keymap.lookup(Mode::Normal, Tab::Opportunities, &s),
            Some(Action::EditStage)
        );
        assert_eq!(
            keymap.lookup(Mode::Normal, Tab::Solutions, &s),
            None,
            "scoped to its tab"
        );
    }

    #[test]
    fn help_lists_every_action_once_with_all_its_keys() {
        let help = Keymap::default().help(Mode::Normal);
        let down = help.iter().find(|(_, h)| *h == "move down").unwrap();
        assert_eq!(down.0, "j ↓");
        assert_eq!(help.iter().filter(|(_, h)| *h == "move down").count(), 1);
    }
}
