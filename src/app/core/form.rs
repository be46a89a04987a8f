//! Forms. A form's fields are keyed by the form's own field enum (`DraftField`, …), so the
//! code that reads a value, sets an error or moves the focus names the field, never a position.
//! A form keeps every field's text until it is submitted successfully or deliberately
//! discarded, so a refused submit loses nothing.
//!
//! Text fields are `ratatui_textarea::TextArea`s: the one ratatui type the app layer holds, used
//! as the editing model (cursor, selection, undo) that `ui` draws.

use cosell_core::partner::types::Millis;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_textarea::{CursorMove, TextArea, WrapMode};

/// The text of a form kept outside the process, so it survives a crash or an accidental quit.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Draft {
    /// The form's title: which form (and which record) the text belongs to.
    pub title: String,
    /// When it was last typed into.
    pub at: Millis,
    /// Each field's text, in the form's order.
    pub values: Vec<String>,
}

/// One option of a choice: the value sent to the API and what the user reads beside it
/// (the same text for most; a country's name beside its code).
pub type Opt = (String, String);

/// Options that read as they are sent.
pub fn plain_options(values: &[&str]) -> Vec<Opt> {
    values
        .iter()
        .map(|v| (v.to_string(), v.to_string()))
        .collect()
}

/// Options with a label beside each value, as the vocabulary's (code, name) tables hold them.
pub fn labelled_options(pairs: &[(&str, &str)]) -> Vec<Opt> {
    pairs
        .iter()
        .map(|(v, l)| (v.to_string(), l.to_string()))
        .collect()
}

#[derive(Debug, Clone)]
pub enum FieldKind {
    Text {
        multiline: bool,
        max_chars: Option<usize>,
    },
    /// One value from a list. Typing searches it (by value or label: `de`, `germ` or `Germany`
    /// find DE); ←/→ step through it; backspace shortens the search.
    Choice { options: Vec<Opt>, query: String },
    /// Several values from a list, all shown: ↑/↓ (or ←/→) move, space toggles.
    Multi {
        options: &'static [&'static str],
        checked: Vec<bool>,
        cursor: usize,
    },
}

/// The option a search finds: the first whose value or label starts with it, else the first
/// that contains it (ignoring case).
fn search(options: &[Opt], query: &str) -> Option<usize> {
    let query = query.to_lowercase();
    let starts =
        |(v, l): &Opt| v.to_lowercase().starts_with(&query) || l.to_lowercase().starts_with(&query);
    let contains =
        |(v, l): &Opt| v.to_lowercase().contains(&query) || l.to_lowercase().contains(&query);
    options
        .iter()
        .position(starts)
        .or_else(|| options.iter().position(contains))
}

/// A text area holding `lines`, with the cursor after the last character: typing into a
/// prefilled field continues it rather than prefixing it.
fn editing_at_end(lines: Vec<String>) -> TextArea<'static> {
    let mut text = TextArea::new(lines);
    text.move_cursor(CursorMove::Bottom);
    text.move_cursor(CursorMove::End);
    text
}

#[derive(Debug, Clone)]
pub struct Field {
    pub label: &'static str,
    pub kind: FieldKind,
    pub text: TextArea<'static>,
    pub error: Option<String>,
    pub hint: &'static str,
    /// Why the field cannot change (the record's review status locks it): shown, never edited,
    /// and passed over by tab.
    pub locked: Option<String>,
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
            locked: None,
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
            text: {
                let mut text = editing_at_end(value.lines().map(str::to_string).collect());
                // Long text wraps inside the field instead of scrolling sideways.
                text.set_wrap_mode(WrapMode::WordOrGlyph);
                text
            },
            error: None,
            hint,
            locked: None,
        }
    }

    /// A choice of `options` starting at `value` (empty: nothing chosen yet).
    pub fn choice(
        label: &'static str,
        options: Vec<Opt>,
        value: &str,
        hint: &'static str,
    ) -> Field {
        Field {
            label,
            kind: FieldKind::Choice {
                options,
                query: String::new(),
            },
            text: editing_at_end(vec![value.to_string()]),
            error: None,
            hint,
            locked: None,
        }
    }

    /// The field, read-only for `reason` when there is one.
    pub fn locked_by(mut self, reason: Option<String>) -> Field {
        self.locked = reason;
        self
    }

    /// A multi-select with `values` ticked (those that are options).
    pub fn ticked(mut self, values: &[String]) -> Field {
        if let FieldKind::Multi {
            options, checked, ..
        } = &mut self.kind
        {
            for (option, tick) in options.iter().zip(checked.iter_mut()) {
                *tick = values.iter().any(|v| v == option);
            }
        }
        self
    }

    /// The label of the chosen option of a choice, when it differs from its value.
    pub fn chosen_label(&self) -> Option<&str> {
        let FieldKind::Choice { options, .. } = &self.kind else {
            return None;
        };
        let value = self.text.lines().join("");
        options
            .iter()
            .find(|(v, l)| *v == value && v != l)
            .map(|(_, l)| l.as_str())
    }

    /// Sets a text field's most characters (a budget that depends on another field).
    pub fn set_max_chars(&mut self, max: usize) {
        if let FieldKind::Text { max_chars, .. } = &mut self.kind {
            *max_chars = Some(max);
        }
    }

    /// Replaces the field's text (a value cosell fills in for the user).
    pub fn set_value(&mut self, value: &str) {
        self.text = editing_at_end(value.lines().map(str::to_string).collect());
        if let FieldKind::Text {
            multiline: true, ..
        } = self.kind
        {
            self.text.set_wrap_mode(WrapMode::WordOrGlyph);
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
            locked: None,
        }
    }

    /// The field's value as text (multi-select: the chosen options joined with ", ").
    pub fn value(&self) -> String {
        match &self.kind {
            FieldKind::Multi { .. } => self.chosen().join(", "),
            _ => self.text.lines().join("\n"),
        }
    }

    /// The ticked options of a multi-select field.
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

    /// Applies a key to the field; true when its value changed. Enter in a one-line field is the
    /// caller's (it moves on).
    fn input(&mut self, key: KeyEvent) -> bool {
        match &mut self.kind {
            FieldKind::Choice { options, query } => {
                let current = self.text.lines().join("");
                let at = options.iter().position(|(v, _)| *v == current);
                let n = options.len();
                let next = match key.code {
                    KeyCode::Left | KeyCode::Right if n > 0 => {
                        query.clear();
                        Some(match (at, key.code) {
                            (Some(i), KeyCode::Right) => (i + 1) % n,
                            (Some(i), _) => (i + n - 1) % n,
                            (None, KeyCode::Right) => 0,
                            (None, _) => n - 1,
                        })
                    }
                    KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                        query.push(c);
                        search(options, query)
                    }
                    KeyCode::Backspace => {
                        query.pop();
                        (!query.is_empty())
                            .then(|| search(options, query))
                            .flatten()
                    }
                    _ => None,
                };
                match next {
                    Some(i) if Some(i) != at => {
                        self.text = editing_at_end(vec![options[i].0.clone()]);
                        true
                    }
                    Some(_) | None => false,
                }
            }
            FieldKind::Multi {
                options,
                checked,
                cursor,
            } => match key.code {
                KeyCode::Left | KeyCode::Up => {
                    *cursor = (*cursor + options.len() - 1) % options.len();
                    false
                }
                KeyCode::Right | KeyCode::Down => {
                    *cursor = (*cursor + 1) % options.len();
                    false
                }
                KeyCode::Char(' ') => {
                    checked[*cursor] = !checked[*cursor];
                    true
                }
                _ => false,
            },
            FieldKind::Text { .. } => self.text.input(key),
        }
    }

    /// The search typed into a choice, while there is one.
    pub fn query(&self) -> Option<&str> {
        match &self.kind {
            FieldKind::Choice { query, .. } if !query.is_empty() => Some(query),
            _ => None,
        }
    }

    fn is_one_line(&self) -> bool {
        !matches!(
            self.kind,
            FieldKind::Text {
                multiline: true,
                ..
            }
        )
    }
}

/// Everything about a form but which field is which: what the shell and the UI work with.
#[derive(Debug, Clone)]
pub struct FormBody {
    pub title: String,
    pub fields: Vec<Field>,
    pub focus: usize,
    pub dirty: bool,
    /// What the form answers (AWS's review comment), shown above the fields while it is open.
    pub note: Option<String>,
    /// The error of the last submit, shown above the fields until the next one.
    pub banner: Option<String>,
    /// What the last submit sent (as JSON) and its ClientToken: resubmitting the same content
    /// reuses the token (one record however often it is retried); changed content gets a new one.
    pub last_attempt: Option<(String, String)>,
    pub submitting: bool,
}

impl FormBody {
    /// Moves the focus by `step` (1 or len-1), over locked fields while any field is editable.
    fn step_focus(&mut self, step: usize) {
        let n = self.fields.len();
        let any_open = self.fields.iter().any(|f| f.locked.is_none());
        for _ in 0..n {
            self.focus = (self.focus + step) % n;
            if !any_open || self.fields[self.focus].locked.is_none() {
                break;
            }
        }
    }

    pub fn next_field(&mut self) {
        self.step_focus(1);
    }

    pub fn prev_field(&mut self) {
        self.step_focus(self.fields.len() - 1);
    }

    /// Applies a key to the focused field; true when a value changed (the form is then dirty
    /// and the field's old error no longer applies).
    pub fn input(&mut self, key: KeyEvent) -> bool {
        let field = &mut self.fields[self.focus];
        if key.code == KeyCode::Enter && field.is_one_line() {
            self.next_field();
            return false;
        }
        if field.locked.is_some() {
            return false;
        }
        let changed = field.input(key);
        if changed {
            self.dirty = true;
            field.error = None;
            // The last submit's complaint is about text that has now changed.
            self.banner = None;
        }
        changed
    }

    /// Moves the focus to the first field with an error, so a refused submit shows the user
    /// where to start.
    pub fn focus_first_error(&mut self) {
        if let Some(i) = self.fields.iter().position(|f| f.error.is_some()) {
            self.focus = i;
        }
    }

    pub fn clear_errors(&mut self) {
        for field in &mut self.fields {
            field.error = None;
        }
        self.banner = None;
    }
}

/// A form whose fields are named by `K`.
#[derive(Debug, Clone)]
pub struct Form<K> {
    keys: Vec<K>,
    pub body: FormBody,
}

impl FormBody {
    /// Puts a draft's text back into the fields, field by field; a choice takes the value only
    /// when it is still one of its options.
    pub fn restore(&mut self, draft: &Draft) {
        for (field, value) in self.fields.iter_mut().zip(&draft.values) {
            match &mut field.kind {
                FieldKind::Multi {
                    options, checked, ..
                } => {
                    let chosen: Vec<&str> = value.split(", ").collect();
                    for (option, tick) in options.iter().zip(checked.iter_mut()) {
                        *tick = chosen.contains(option);
                    }
                }
                FieldKind::Choice { options, .. } => {
                    if options.iter().any(|(v, _)| v == value) {
                        field.text = editing_at_end(vec![value.clone()]);
                    }
                }
                FieldKind::Text { .. } => field.set_value(value),
            }
        }
        self.dirty = true;
    }
}

impl<K: Copy + Eq + std::fmt::Debug> Form<K> {
    pub fn new(title: impl Into<String>, fields: Vec<(K, Field)>) -> Form<K> {
        let (keys, fields) = fields.into_iter().unzip();
        Form {
            keys,
            body: FormBody {
                title: title.into(),
                fields,
                focus: 0,
                dirty: false,
                note: None,
                banner: None,
                last_attempt: None,
                submitting: false,
            },
        }
    }

    fn index(&self, key: K) -> usize {
        self.keys
            .iter()
            .position(|k| *k == key)
            .unwrap_or_else(|| panic!("{key:?} is a field of this form"))
    }

    pub fn field(&self, key: K) -> &Field {
        &self.body.fields[self.index(key)]
    }

    pub fn field_mut(&mut self, key: K) -> &mut Field {
        let i = self.index(key);
        &mut self.body.fields[i]
    }

    /// The field's text, trimmed.
    pub fn value(&self, key: K) -> String {
        self.field(key).value().trim().to_string()
    }

    /// Whether the form has this field (some forms show a field only in some cases).
    pub fn has(&self, key: K) -> bool {
        self.keys.contains(&key)
    }

    pub fn set_error(&mut self, key: K, message: impl Into<String>) {
        self.field_mut(key).error = Some(message.into());
    }

    pub fn focused(&self) -> K {
        self.keys[self.body.focus]
    }

    pub fn focus_on(&mut self, key: K) {
        self.body.focus = self.index(key);
    }
}
