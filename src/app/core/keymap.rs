//! The key bindings: one table, loaded from `assets/keymap.toml` (the same format as the
//! config file's `[keys]`, which overrides it). Dispatch, the bottom hint bar and the `?` help
//! overlay are all generated from it, so they cannot disagree. Action names are the enum's,
//! derived by serde, so a config line names an action exactly as the code does.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;
use std::fmt;

/// The tabs, for bindings that apply on one tab only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tab {
    Opportunities,
    Referrals,
    Solutions,
    Connections,
    Benefits,
    Channel,
}

impl Tab {
    pub const ALL: [Tab; 6] = [
        Tab::Opportunities,
        Tab::Referrals,
        Tab::Solutions,
        Tab::Connections,
        Tab::Benefits,
        Tab::Channel,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Tab::Opportunities => "Opportunities",
            Tab::Referrals => "Referrals",
            Tab::Solutions => "Solutions",
            Tab::Connections => "Connections",
            Tab::Benefits => "Benefits",
            Tab::Channel => "Channel",
        }
    }

    pub fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }

    /// The keymap table of this tab's own keys.
    fn table(self) -> &'static str {
        match self {
            Tab::Opportunities => "opportunities",
            Tab::Referrals => "referrals",
            Tab::Solutions => "solutions",
            Tab::Connections => "connections",
            Tab::Benefits => "benefits",
            Tab::Channel => "channel",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
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
    TabBenefits,
    TabChannel,
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
    FilterAccept,
    FilterCancel,
    FilterBackspace,
    QuickFilter,
    Profile,
    CopyId,
    OpenConsole,
    Command,
    RunCommand,
    CancelCommand,
    CommandBackspace,
    LinkToOpportunity,
    InvitePartner,
    AcceptConnection,
    RejectConnection,
    CancelInvitation,
    CancelConnection,
    AcceptReferral,
    QualifyLead,
    ConvertLead,
    RejectReferral,
    Mark,
    OpenOpportunity,
    EditStage,
    EditNextSteps,
    EditCloseDate,
    EditWebsiteAndProblem,
    EditAll,
    NewOpportunity,
    Assign,
    LinkSolutions,
    LinkProducts,
    LinkMarketplace,
    SharePartner,
    Submit,
    ApplyForBenefit,
    SubmitApplication,
    EditApplication,
    AmendApplication,
    RecallApplication,
    CancelApplication,
    CreateRelationship,
    SendHandshake,
    AcceptHandshake,
    RejectHandshake,
    CancelHandshake,
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
    /// Actions that change records in Partner Central (or start a batch that would): hidden
    /// from the bottom bar in read-only mode, where they are refused.
    pub fn changes_records(self) -> bool {
        matches!(
            self,
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
                | Action::Submit
                | Action::AcceptReferral
                | Action::QualifyLead
                | Action::ConvertLead
                | Action::RejectReferral
                | Action::Mark
                | Action::LinkToOpportunity
                | Action::InvitePartner
                | Action::AcceptConnection
                | Action::RejectConnection
                | Action::CancelInvitation
                | Action::CancelConnection
                | Action::ApplyForBenefit
                | Action::SubmitApplication
                | Action::EditApplication
                | Action::AmendApplication
                | Action::RecallApplication
                | Action::CancelApplication
                | Action::CreateRelationship
                | Action::SendHandshake
                | Action::AcceptHandshake
                | Action::RejectHandshake
                | Action::CancelHandshake
        )
    }

    /// The action's name as the keymap file writes it.
    fn parse(name: &str) -> Option<Action> {
        Action::deserialize(serde::de::value::StrDeserializer::<serde::de::value::Error>::new(name))
            .ok()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    Normal,
    Filter,
    /// The `:` command line.
    Command,
    Help,
    /// A single-choice picker.
    Picker,
    /// A multi-select picker.
    Checklist,
    Confirm,
    Conflict,
    Form,
}

impl Mode {
    const TABLES: [(Mode, &'static str); 8] = [
        (Mode::Filter, "filtering"),
        (Mode::Command, "command_line"),
        (Mode::Help, "help_screen"),
        (Mode::Picker, "picker"),
        (Mode::Checklist, "checklist"),
        (Mode::Confirm, "confirm"),
        (Mode::Conflict, "conflict"),
        (Mode::Form, "form"),
    ];
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
    pub help: String,
    /// The word shown in the bottom bar (the first binding of an action only).
    pub hint: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Keymap {
    pub bindings: Vec<Binding>,
}

const DEFAULTS: &str = include_str!("../../../assets/keymap.toml");

/// One line of a keymap table: `"key"`, `["key", …]`, or `{ keys = […], help, hint }`.
#[derive(Deserialize)]
#[serde(untagged)]
enum Entry {
    One(String),
    Many(Vec<String>),
    Described {
        keys: Vec<String>,
        #[serde(default)]
        help: Option<String>,
        #[serde(default)]
        hint: Option<String>,
    },
}

/// A table's lines as (action, keys, help, hint), in file order.
type Lines = Vec<(Action, Vec<Key>, Option<String>, Option<String>)>;

/// Reads one `[keys…]` table's action lines; problems are reported in `problems`.
fn read_table(table: &toml::Table, place: &str, problems: &mut Vec<String>) -> Lines {
    let mut lines = Lines::new();
    for (name, value) in table {
        if Tab::ALL.iter().any(|t| t.table() == name) || Mode::TABLES.iter().any(|(_, t)| t == name)
        {
            continue;
        }
        let Some(action) = Action::parse(name) else {
            problems.push(format!("unknown action '{name}' in {place}"));
            continue;
        };
        let (texts, help, hint) = match value.clone().try_into::<Entry>() {
            Ok(Entry::One(key)) => (vec![key], None, None),
            Ok(Entry::Many(keys)) => (keys, None, None),
            Ok(Entry::Described { keys, help, hint }) => (keys, help, hint),
            Err(_) => {
                problems.push(format!("cannot read the keys of '{name}' in {place}"));
                continue;
            }
        };
        let mut keys = Vec::new();
        for text in &texts {
            match Key::parse(text) {
                Some(key) => keys.push(key),
                None => problems.push(format!("cannot read key '{text}' for '{name}' in {place}")),
            }
        }
        lines.push((action, keys, help, hint));
    }
    lines
}

/// The scopes of a keys table and their own tables: `[keys]` itself, each tab, each mode.
fn scopes(keys: &toml::Table) -> Vec<(Mode, Option<Tab>, String, &toml::Table)> {
    let mut out = vec![(Mode::Normal, None, "[keys]".to_string(), keys)];
    for tab in Tab::ALL {
        if let Some(toml::Value::Table(t)) = keys.get(tab.table()) {
            out.push((
                Mode::Normal,
                Some(tab),
                format!("[keys.{}]", tab.table()),
                t,
            ));
        }
    }
    for (mode, name) in Mode::TABLES {
        if let Some(toml::Value::Table(t)) = keys.get(name) {
            out.push((mode, None, format!("[keys.{name}]"), t));
        }
    }
    out
}

impl Default for Keymap {
    fn default() -> Self {
        let file: toml::Table = DEFAULTS.parse().expect("the embedded keymap is valid TOML");
        let keys = file["keys"]
            .as_table()
            .expect("the keymap has a [keys] table");
        let mut problems = Vec::new();
        let mut bindings = Vec::new();
        for (mode, tab, place, table) in scopes(keys) {
            for (action, keys, help, hint) in read_table(table, &place, &mut problems) {
                for (i, key) in keys.into_iter().enumerate() {
                    bindings.push(Binding {
                        mode,
                        tab,
                        key,
                        action,
                        help: help.clone().unwrap_or_default(),
                        hint: if i == 0 { hint.clone() } else { None },
                    });
                }
            }
        }
        assert!(problems.is_empty(), "the embedded keymap: {problems:?}");
        Keymap { bindings }
    }
}

impl Keymap {
    /// The default keymap with the user's `[keys]` table applied: a line replaces the keys of
    /// that action in that table's scope, and takes its key from any other action there.
    /// Unknown names or keys are reported back.
    pub fn with_overrides(overrides: &toml::Table) -> (Keymap, Vec<String>) {
        let mut keymap = Keymap::default();
        let mut problems = Vec::new();
        for (mode, tab, place, table) in scopes(overrides) {
            for (action, keys, _, _) in
                read_table(table, &format!("{place} of the config"), &mut problems)
            {
                keymap.rebind(mode, tab, action, keys);
            }
        }
        (keymap, problems)
    }

    fn rebind(&mut self, mode: Mode, tab: Option<Tab>, action: Action, keys: Vec<Key>) {
        let in_scope = |b: &Binding| b.mode == mode && b.tab == tab;
        let Some(template) = self
            .bindings
            .iter()
            .find(|b| in_scope(b) && b.action == action)
            .or_else(|| {
                self.bindings
                    .iter()
                    .find(|b| b.mode == mode && b.action == action)
            })
            .cloned()
        else {
            return;
        };
        let at = self
            .bindings
            .iter()
            .position(|b| in_scope(b) && b.action == action)
            .unwrap_or(0);
        self.bindings
            .retain(|b| !(in_scope(b) && (b.action == action || keys.contains(&b.key))));
        let at = at.min(self.bindings.len());
        for (i, key) in keys.into_iter().enumerate() {
            let binding = Binding {
                mode,
                tab,
                key,
                hint: if i == 0 { template.hint.clone() } else { None },
                ..template.clone()
            };
            self.bindings.insert(at + i, binding);
        }
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

    /// `(keys, hint)` pairs for the bottom bar in `mode` on `tab`: the tab's own keys first,
    /// since a narrow bar cuts from the right.
    pub fn hints(&self, mode: Mode, tab: Tab) -> Vec<(String, &str, Action)> {
        let hinted = |scoped: bool| {
            self.bindings
                .iter()
                .filter(move |b| {
                    b.mode == mode && b.tab.is_some() == scoped && b.tab.is_none_or(|t| t == tab)
                })
                .filter_map(|b| b.hint.as_deref().map(|h| (b.key.to_string(), h, b.action)))
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
                        None => binding.help.clone(),
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

impl Keymap {
    /// Every binding as Markdown tables, one per scope in keymap order: what docs/guide.md
    /// carries between its `keys:begin` and `keys:end` markers (a test keeps them equal).
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        let mut scopes: Vec<(Mode, Option<Tab>)> = Vec::new();
        for b in &self.bindings {
            if !scopes.contains(&(b.mode, b.tab)) {
                scopes.push((b.mode, b.tab));
            }
        }
        for (mode, tab) in scopes {
            let heading = match (mode, tab) {
                (Mode::Normal, None) => "Everywhere".to_string(),
                (Mode::Normal, Some(tab)) => format!("{} tab", tab.title()),
                (Mode::Filter, _) => "While typing a `/` filter".into(),
                (Mode::Command, _) => "On the `:` command line".into(),
                (Mode::Help, _) => "In the help".into(),
                (Mode::Picker, _) => "In a picker".into(),
                (Mode::Checklist, _) => "In a multi-select picker".into(),
                (Mode::Confirm, _) => "When asked to confirm".into(),
                (Mode::Conflict, _) => "When someone else changed the record".into(),
                (Mode::Form, _) => "In a form".into(),
            };
            out.push_str(&format!("#### {heading}\n\n| keys | action |\n|---|---|\n"));
            let mut seen: Vec<Action> = Vec::new();
            for b in self
                .bindings
                .iter()
                .filter(|b| b.mode == mode && b.tab == tab)
            {
                if seen.contains(&b.action) {
                    continue;
                }
                seen.push(b.action);
                let keys: Vec<String> = self
                    .bindings
                    .iter()
                    .filter(|o| o.mode == mode && o.tab == tab && o.action == b.action)
                    .map(|o| format!("`{}`", o.key.to_string().replace('|', "\\|")))
                    .collect();
                out.push_str(&format!(
                    "| {} | {} |\n",
                    keys.join(" "),
                    b.help.replace('|', "\\|")
                ));
            }
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_a_default_key_and_help() {
        let keymap = Keymap::default();
        let all = [
            Action::Quit,
            Action::ForceQuit,
            Action::Suspend,
            Action::NextTab,
            Action::PrevTab,
            Action::TabOpportunities,
            Action::TabReferrals,
            Action::TabSolutions,
            Action::TabConnections,
            Action::Down,
            Action::Up,
            Action::Top,
            Action::Bottom,
            Action::PageDown,
            Action::PageUp,
            Action::HalfPageDown,
            Action::HalfPageUp,
            Action::Open,
            Action::Back,
            Action::Help,
            Action::Refresh,
            Action::Filter,
            Action::SortNext,
            Action::SortReverse,
            Action::SwitchPane,
            Action::FilterAccept,
            Action::FilterCancel,
            Action::FilterBackspace,
            Action::QuickFilter,
            Action::Profile,
            Action::LinkToOpportunity,
            Action::InvitePartner,
            Action::AcceptConnection,
            Action::RejectConnection,
            Action::CancelInvitation,
            Action::CancelConnection,
            Action::AcceptReferral,
            Action::QualifyLead,
            Action::ConvertLead,
            Action::RejectReferral,
            Action::Mark,
            Action::OpenOpportunity,
            Action::EditStage,
            Action::EditNextSteps,
            Action::EditCloseDate,
            Action::EditWebsiteAndProblem,
            Action::EditAll,
            Action::NewOpportunity,
            Action::Assign,
            Action::LinkSolutions,
            Action::LinkProducts,
            Action::LinkMarketplace,
            Action::SharePartner,
            Action::Submit,
            Action::Choose,
            Action::Toggle,
            Action::Yes,
            Action::No,
            Action::Reapply,
            Action::NextField,
            Action::PrevField,
            Action::SubmitForm,
        ];
        assert_eq!(all.len(), 62);
        for action in all {
            let bound: Vec<&Binding> = keymap
                .bindings
                .iter()
                .filter(|b| b.action == action)
                .collect();
            assert!(!bound.is_empty(), "{action:?} has no key");
            assert!(
                bound.iter().all(|b| !b.help.is_empty()),
                "{action:?} has no help"
            );
        }
    }

    #[test]
    fn overrides_replace_the_action_keys() {
        let o: toml::Table = r#"
            refresh = "f5"
            nonsense = "x"
            [opportunities]
            edit_stage = ["S", "ctrl-e"]
        "#
        .parse()
        .unwrap();
        let (keymap, problems) = Keymap::with_overrides(&o);
        assert_eq!(
            problems,
            vec!["unknown action 'nonsense' in [keys] of the config"]
        );
        let f5 = KeyEvent::new(KeyCode::F(5), KeyModifiers::NONE);
        assert_eq!(
            keymap.lookup(Mode::Normal, Tab::Referrals, &f5),
            Some(Action::Refresh)
        );
        let r = KeyEvent::new(KeyCode::Char('R'), KeyModifiers::SHIFT);
        assert_eq!(keymap.lookup(Mode::Normal, Tab::Referrals, &r), None);
        let capital_s = KeyEvent::new(KeyCode::Char('S'), KeyModifiers::SHIFT);
        assert_eq!(
            keymap.lookup(Mode::Normal, Tab::Opportunities, &capital_s),
            Some(Action::EditStage),
            "S now changes the stage; its old action (submit) lost the key"
        );
        let s = KeyEvent::new(KeyCode::Char('s'), KeyModifiers::NONE);
        assert_eq!(keymap.lookup(Mode::Normal, Tab::Opportunities, &s), None);
        assert_eq!(
            keymap.lookup(Mode::Normal, Tab::Solutions, &capital_s),
            None,
            "scoped to its tab"
        );
        let hints = keymap.hints(Mode::Normal, Tab::Opportunities);
        assert_eq!(
            hints[0],
            ("S".to_string(), "stage", Action::EditStage),
            "the hint follows the new key"
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
