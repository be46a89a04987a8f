//! Popups (pickers, confirmations, conflicts) and forms. A form keeps every field's text until
//! it is submitted successfully or deliberately discarded, so a refused submit loses nothing.
//!
//! Text fields are `ratatui_textarea::TextArea`s: the one ratatui type the app layer holds, used
//! as the editing model (cursor, selection, undo) that `ui` draws.

use ratatui_textarea::TextArea;

use cosell_core::partner::rules::OpportunityDraft;
use cosell_core::partner::types::{
    ConnectionAnswer, ConnectionInvite, Contact, Opportunity, OpportunityEdit,
};

/// What the user asked for, ready to be sent once confirmed.
#[derive(Debug, Clone, PartialEq)]
pub enum Intent {
    Update {
        id: String,
        based_on: i64,
        edit: OpportunityEdit,
    },
    Create {
        draft: Box<OpportunityDraft>,
        client_token: String,
    },
    Assign {
        id: String,
        assignee: Contact,
    },
    Link {
        id: String,
        solution: String,
        linked: bool,
    },
    Submit {
        id: String,
        involvement: String,
        visibility: String,
        client_token: String,
    },
    Accept {
        id: String,
        client_token: String,
    },
    Invite {
        invite: ConnectionInvite,
        client_token: String,
    },
    AnswerConnection {
        id: String,
        answer: ConnectionAnswer,
        client_token: String,
    },
    CancelConnection {
        id: String,
        connection_type: String,
        reason: String,
        client_token: String,
    },
    Reject {
        id: String,
        reason: Option<String>,
    },
}

impl Intent {
    pub fn target(&self) -> &str {
        match self {
            Intent::Update { id, .. }
            | Intent::Assign { id, .. }
            | Intent::Link { id, .. }
            | Intent::Submit { id, .. }
            | Intent::Accept { id, .. }
            | Intent::AnswerConnection { id, .. }
            | Intent::CancelConnection { id, .. }
            | Intent::Reject { id, .. } => id,
            Intent::Create { .. } | Intent::Invite { .. } => "",
        }
    }
}

/// Why a picker is open: what choosing an option does.
#[derive(Debug, Clone, PartialEq)]
pub enum PickFor {
    Stage {
        id: String,
    },
    ClosedLostReason {
        id: String,
    },
    LinkSolutions {
        id: String,
    },
    Involvement {
        id: String,
    },
    Visibility {
        id: String,
        involvement: String,
    },
    /// Quick filters of the focused list: options are `group: value`.
    QuickFilter,
    /// The opportunity to link solution `solution` to.
    LinkOpportunity {
        solution: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Picker {
    pub title: String,
    pub options: Vec<String>,
    /// Text shown beside each option (why it is there, its state).
    pub notes: Vec<String>,
    pub cursor: usize,
    /// Multi-select pickers keep the choice per option.
    pub checked: Option<Vec<bool>>,
    pub max_checked: Option<usize>,
    pub purpose: PickFor,
    /// Shown under the options (a limit, what Enter does).
    pub footer: String,
    /// Typing narrows the options (for long lists such as every opportunity).
    pub filterable: bool,
    pub query: String,
}

impl Picker {
    pub fn single(title: impl Into<String>, options: Vec<String>, purpose: PickFor) -> Picker {
        Picker {
            title: title.into(),
            notes: vec![String::new(); options.len()],
            options,
            cursor: 0,
            checked: None,
            max_checked: None,
            purpose,
            footer: "enter chooses, esc cancels".into(),
            filterable: false,
            query: String::new(),
        }
    }

    /// Indices of the options matching the typed query, in order.
    pub fn visible(&self) -> Vec<usize> {
        let query = self.query.to_lowercase();
        (0..self.options.len())
            .filter(|&i| query.is_empty() || self.options[i].to_lowercase().contains(&query))
            .collect()
    }

    /// The option under the cursor, as an index into `options`.
    pub fn current(&self) -> Option<usize> {
        self.visible().get(self.cursor).copied()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Confirm {
    pub title: String,
    pub lines: Vec<String>,
    /// Sent together on yes (several for a batch).
    pub intents: Vec<Intent>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Popup {
    Picker(Picker),
    Confirm(Confirm),
    /// The record changed since the user read it; their edit can be re-applied to the latest.
    Conflict {
        id: String,
        edit: OpportunityEdit,
        latest: Box<Opportunity>,
    },
    /// Esc on a form with unsaved text.
    DiscardForm,
    /// The partner profile and alliance lead.
    Profile,
}

#[derive(Debug, Clone)]
pub enum FieldKind {
    Text {
        multiline: bool,
        max_chars: Option<usize>,
    },
    /// A value from a list: ←/→ cycle through `options`; typing is allowed when `open`.
    Choice {
        options: &'static [&'static str],
        open: bool,
    },
    /// Several values from a list: ←/→ move, space toggles.
    Multi {
        options: &'static [&'static str],
        checked: Vec<bool>,
        cursor: usize,
    },
}

/// A text area holding `lines`, with the cursor after the last character: typing into a
/// prefilled field continues it rather than prefixing it.
fn editing_at_end(lines: Vec<String>) -> TextArea<'static> {
    let mut text = TextArea::new(lines);
    text.move_cursor(ratatui_textarea::CursorMove::Bottom);
    text.move_cursor(ratatui_textarea::CursorMove::End);
    text
}

#[derive(Debug, Clone)]
pub struct Field {
    pub label: &'static str,
    pub kind: FieldKind,
    pub text: TextArea<'static>,
    pub error: Option<String>,
    pub hint: &'static str,
}

impl Field {
    pub fn text(
        label: &'static str,
        value: &str,
        max_chars: Option<usize>,
        hint: &'static str,
    ) -> Field {
        Field {
            label,
            kind: FieldKind::Text {
                multiline: false,
                max_chars,
            },
            text: editing_at_end(vec![value.to_string()]),
            error: None,
            hint,
        }
    }

    pub fn multiline(
        label: &'static str,
        value: &str,
        max_chars: Option<usize>,
        hint: &'static str,
    ) -> Field {
        Field {
            label,
            kind: FieldKind::Text {
                multiline: true,
                max_chars,
            },
            text: editing_at_end(value.lines().map(str::to_string).collect()),
            error: None,
            hint,
        }
    }

    pub fn choice(
        label: &'static str,
        options: &'static [&'static str],
        value: &str,
        open: bool,
        hint: &'static str,
    ) -> Field {
        Field {
            label,
            kind: FieldKind::Choice { options, open },
            text: editing_at_end(vec![value.to_string()]),
            error: None,
            hint,
        }
    }

    pub fn multi(
        label: &'static str,
        options: &'static [&'static str],
        hint: &'static str,
    ) -> Field {
        Field {
            label,
            kind: FieldKind::Multi {
                options,
                checked: vec![false; options.len()],
                cursor: 0,
            },
            text: TextArea::default(),
            error: None,
            hint,
        }
    }

    /// The field's value as text (multi-select: the chosen options joined with ", ").
    pub fn value(&self) -> String {
        match &self.kind {
            FieldKind::Multi {
                options, checked, ..
            } => options
                .iter()
                .zip(checked)
                .filter(|(_, c)| **c)
                .map(|(o, _)| *o)
                .collect::<Vec<_>>()
                .join(", "),
            _ => self.text.lines().join("\n"),
        }
    }

    pub fn chosen(&self) -> Vec<String> {
        match &self.kind {
            FieldKind::Multi {
                options, checked, ..
            } => options
                .iter()
                .zip(checked)
                .filter(|(_, c)| **c)
                .map(|(o, _)| o.to_string())
                .collect(),
            _ => Vec::new(),
        }
    }

    pub fn char_count(&self) -> usize {
        self.value().chars().count()
    }

    pub fn max_chars(&self) -> Option<usize> {
        match self.kind {
            FieldKind::Text { max_chars, .. } => max_chars,
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum FormFor {
    CreateOpportunity,
    NextSteps { id: String, based_on: i64 },
    TargetCloseDate { id: String, based_on: i64 },
    Assign { id: String },
    Reject { ids: Vec<String> },
    Invite,
    RejectConnection { id: String },
    CancelConnection { id: String },
}

#[derive(Debug, Clone)]
pub struct Form {
    pub title: String,
    pub purpose: FormFor,
    pub fields: Vec<Field>,
    pub focus: usize,
    pub dirty: bool,
    /// The error of the last submit, shown above the fields until the next one.
    pub banner: Option<String>,
    /// What the last submit sent (as JSON) and its ClientToken: resubmitting the same content
    /// reuses the token (one record however often it is retried); changed content gets a new one.
    pub last_attempt: Option<(String, String)>,
    pub submitting: bool,
}

impl Form {
    pub fn new(title: impl Into<String>, purpose: FormFor, fields: Vec<Field>) -> Form {
        Form {
            title: title.into(),
            purpose,
            fields,
            focus: 0,
            dirty: false,
            banner: None,
            last_attempt: None,
            submitting: false,
        }
    }
}
