//! Pickers and confirmations, the popups every feature uses. A picker's choices carry their
//! value beside their label, so what is chosen is never read back out of display text, and a
//! picker that waits for data says so in its own state.

/// One option: what it shows, a note beside it, and the value choosing it means.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice<V> {
    pub label: String,
    pub note: String,
    pub value: V,
    /// The label and the note, lower-cased once: a search over hundreds of choices runs on
    /// every keystroke and every frame, and must not lower-case them each time.
    search: String,
}

impl<V> Choice<V> {
    pub fn new(label: impl Into<String>, value: V) -> Choice<V> {
        let label = label.into();
        Choice {
            search: label.to_lowercase(),
            label,
            note: String::new(),
            value,
        }
    }

    pub fn noted(mut self, note: impl Into<String>) -> Choice<V> {
        self.note = note.into();
        // The note is searched too: it is on screen beside the label (a product's family, a
        // solution's status), so typing what one sees finds it. A newline keeps a query from
        // matching across the two.
        self.search = format!("{}\n{}", self.label, self.note).to_lowercase();
        self
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Picker<V> {
    pub title: String,
    pub choices: Vec<Choice<V>>,
    /// Position of the cursor among the choices the query leaves visible.
    pub cursor: usize,
    /// Multi-select pickers keep a tick per choice.
    pub checked: Option<Vec<bool>>,
    pub max_checked: Option<usize>,
    /// Shown under the choices (a limit, what Enter does, why a tick was refused).
    pub footer: String,
    /// Typing narrows the choices. While no search is under way, j/k/g/G/space move and tick as
    /// they do in lists; any other character (or `/`) starts one, and from then on every
    /// character, those included, is part of it.
    pub filterable: bool,
    pub query: String,
    /// A search was started (by `/`, or by typing), even if it is still empty.
    pub searching: bool,
    /// The choices' state is still being read (e.g. which solutions are linked); choosing waits.
    pub loading: bool,
}

impl<V> Picker<V> {
    pub fn single(title: impl Into<String>, choices: Vec<Choice<V>>) -> Picker<V> {
        Picker {
            title: title.into(),
            choices,
            cursor: 0,
            checked: None,
            max_checked: None,
            footer: "type to narrow · enter chooses · esc cancels".into(),
            filterable: true,
            query: String::new(),
            searching: false,
            loading: false,
        }
    }

    /// A multi-select picker, ticked as `ticked` says.
    pub fn multi(
        title: impl Into<String>,
        choices: Vec<Choice<V>>,
        ticked: impl Fn(&V) -> bool,
    ) -> Picker<V> {
        let checked = choices.iter().map(|c| ticked(&c.value)).collect();
        Picker {
            checked: Some(checked),
            footer: "type to narrow · space ticks · enter applies".into(),
            ..Picker::single(title, choices)
        }
    }

    /// Indices of the choices matching the typed query, in order.
    pub fn visible(&self) -> Vec<usize> {
        let query = self.query.to_lowercase();
        (0..self.choices.len())
            .filter(|&i| query.is_empty() || self.choices[i].search.contains(&query))
            .collect()
    }

    /// The choice under the cursor.
    pub fn current(&self) -> Option<&Choice<V>> {
        self.visible().get(self.cursor).map(|&i| &self.choices[i])
    }

    /// Puts the cursor on the first choice with `value`.
    pub fn select(&mut self, value: &V)
    where
        V: PartialEq,
    {
        if let Some(i) = self
            .visible()
            .iter()
            .position(|&i| self.choices[i].value == *value)
        {
            self.cursor = i;
        }
    }

    /// The values of the ticked choices, in order.
    pub fn ticked(&self) -> Vec<&V> {
        match &self.checked {
            Some(checked) => self
                .choices
                .iter()
                .zip(checked)
                .filter(|(_, c)| **c)
                .map(|(choice, _)| &choice.value)
                .collect(),
            None => Vec::new(),
        }
    }
}

/// What the shell does to any picker, whatever its values: move, tick, type, and what the UI
/// draws.
pub trait PickerControl {
    fn title(&self) -> &str;
    fn footer(&self) -> &str;
    fn query(&self) -> &str;
    fn filterable(&self) -> bool;
    fn is_multi(&self) -> bool;
    fn cursor(&self) -> usize;
    fn choice_count(&self) -> usize;
    /// Label, note and tick (None in single-choice pickers) of choice `i`.
    fn choice(&self, i: usize) -> (&str, &str, Option<bool>);
    fn visible_choices(&self) -> Vec<usize>;
    fn move_cursor(&mut self, delta: isize);
    fn toggle(&mut self);
    fn type_char(&mut self, c: char);
    fn backspace(&mut self);
    /// Whether a search is under way (characters then go to it, whatever they are).
    fn searching(&self) -> bool;
    /// Starts an empty search (`/`), so it may begin with a letter that otherwise moves.
    fn start_search(&mut self);
    /// Moves to the first or the last visible choice.
    fn jump(&mut self, to_end: bool);
}

impl<V> PickerControl for Picker<V> {
    fn title(&self) -> &str {
        &self.title
    }
    fn footer(&self) -> &str {
        &self.footer
    }
    fn query(&self) -> &str {
        &self.query
    }
    fn filterable(&self) -> bool {
        self.filterable
    }
    fn is_multi(&self) -> bool {
        self.checked.is_some()
    }
    fn cursor(&self) -> usize {
        self.cursor
    }
    fn choice_count(&self) -> usize {
        self.choices.len()
    }
    fn choice(&self, i: usize) -> (&str, &str, Option<bool>) {
        let choice = &self.choices[i];
        let tick = self.checked.as_ref().map(|c| c[i]);
        (&choice.label, &choice.note, tick)
    }
    fn visible_choices(&self) -> Vec<usize> {
        self.visible()
    }
    fn move_cursor(&mut self, delta: isize) {
        let n = self.visible().len().max(1) as isize;
        self.cursor = (self.cursor as isize + delta).rem_euclid(n) as usize;
    }
    fn toggle(&mut self) {
        let Some(at) = self.visible().get(self.cursor).copied() else {
            return;
        };
        let Some(checked) = &mut self.checked else {
            return;
        };
        let ticked = checked.iter().filter(|c| **c).count();
        if !checked[at] && self.max_checked.is_some_and(|m| ticked >= m) {
            self.footer = format!(
                "at most {} can be ticked; untick one first",
                self.max_checked.unwrap_or(0)
            );
        } else {
            checked[at] = !checked[at];
        }
    }
    fn type_char(&mut self, c: char) {
        self.searching = true;
        self.query.push(c);
        self.cursor = 0;
    }
    fn backspace(&mut self) {
        self.query.pop();
        self.searching = !self.query.is_empty();
        self.cursor = 0;
    }
    fn searching(&self) -> bool {
        self.searching
    }
    fn start_search(&mut self) {
        self.searching = true;
    }
    fn jump(&mut self, to_end: bool) {
        self.cursor = if to_end {
            self.visible().len().saturating_sub(1)
        } else {
            0
        };
    }
}

/// A question before an action that cannot be taken back; `yes` sends the intents.
#[derive(Debug, Clone, PartialEq)]
pub struct Confirm<I> {
    pub title: String,
    pub lines: Vec<String>,
    /// Sent together on yes (several for a batch).
    pub intents: Vec<I>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn picker() -> Picker<u32> {
        Picker::multi(
            "numbers",
            vec![
                Choice::new("one", 1),
                Choice::new("two", 2),
                Choice::new("twelve", 12),
            ],
            |v| *v == 2,
        )
    }

    #[test]
    fn typing_narrows_and_the_cursor_follows_the_visible_choices() {
        let mut p = picker();
        p.filterable = true;
        for c in "tw".chars() {
            p.type_char(c);
        }
        assert_eq!(p.visible(), vec![1, 2]);
        p.move_cursor(1);
        assert_eq!(p.current().map(|c| c.value), Some(12));
        p.move_cursor(1);
        assert_eq!(p.current().map(|c| c.value), Some(2), "wraps around");
    }

    #[test]
    fn ticks_respect_the_limit() {
        let mut p = picker();
        p.max_checked = Some(1);
        p.toggle();
        assert_eq!(
            p.ticked(),
            vec![&2],
            "a second tick over the limit is refused"
        );
        assert!(p.footer.contains("at most 1"), "{}", p.footer);
        p.move_cursor(1);
        p.toggle();
        assert_eq!(p.ticked(), Vec::<&u32>::new());
        p.move_cursor(-1);
        p.toggle();
        assert_eq!(p.ticked(), vec![&1]);
    }
}
