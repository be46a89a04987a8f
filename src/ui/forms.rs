//! Forms: every field of the open form, scrolled so the focused one is on screen.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::Theme;
use super::popups::centered;
use crate::app::core::form::{Field, FieldKind, FormBody};

fn field_height(field: &Field) -> u16 {
    match &field.kind {
        FieldKind::Text {
            multiline: true, ..
        } => 6,
        // Every option of a multi-select is on screen at once.
        FieldKind::Multi { options, .. } => options.len() as u16 + 2,
        FieldKind::Text { .. } | FieldKind::Choice { .. } => 3,
    }
}

pub fn draw(form: &FormBody, theme: &Theme, frame: &mut Frame, area: Rect) {
    let rect = centered(area, 84, area.height);
    frame.render_widget(Clear, rect);
    let block = Block::bordered()
        .title(Span::styled(format!(" {} ", form.title), theme.title()))
        .title_bottom(Line::styled(
            " tab next field · ctrl-s submit · esc cancel ",
            theme.dim(),
        ))
        .border_style(theme.focus_border());
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let note_height = form.note.as_deref().map_or(0, |note| {
        super::textwrap_len(note, inner.width.max(1) as usize).min(4) as u16
    });
    let [note_area, banner_area, fields_area] = Layout::vertical([
        Constraint::Length(note_height),
        Constraint::Length(if form.banner.is_some() || form.submitting {
            2
        } else {
            0
        }),
        Constraint::Min(1),
    ])
    .areas(inner);
    if let Some(note) = &form.note {
        frame.render_widget(
            Paragraph::new(note.clone())
                .style(theme.warn())
                .wrap(Wrap { trim: true }),
            note_area,
        );
    }
    if form.submitting {
        frame.render_widget(Line::styled("Sending…", theme.warn()), banner_area);
    } else if let Some(banner) = &form.banner {
        frame.render_widget(
            Paragraph::new(banner.clone())
                .style(theme.bad())
                .wrap(Wrap { trim: true }),
            banner_area,
        );
    }
    // Scroll so the focused field is on screen.
    let heights: Vec<u16> = form.fields.iter().map(field_height).collect();
    let mut first = 0;
    while first < form.focus && heights[first..=form.focus].iter().sum::<u16>() > fields_area.height
    {
        first += 1;
    }
    let mut y = fields_area.y;
    for (i, field) in form.fields.iter().enumerate().skip(first) {
        let h = heights[i];
        if y + h > fields_area.bottom() {
            break;
        }
        draw_field(
            field,
            i == form.focus,
            theme,
            frame,
            Rect::new(fields_area.x, y, fields_area.width, h),
        );
        y += h;
    }
}

fn draw_field(field: &Field, focused: bool, theme: &Theme, frame: &mut Frame, area: Rect) {
    let mut title = vec![Span::styled(
        format!(" {} ", field.label),
        if focused {
            theme.title()
        } else {
            theme.base().add_modifier(Modifier::BOLD)
        },
    )];
    if let Some(max) = field.max_chars() {
        let count = field.char_count();
        let style = if count > max {
            theme.bad()
        } else {
            theme.dim()
        };
        title.push(Span::styled(format!("{count}/{max} "), style));
    }
    if field.locked.is_some() {
        title.push(Span::styled("locked ", theme.dim()));
    }
    if let Some(error) = &field.error {
        title.push(Span::styled(format!("✗ {error} "), theme.bad()));
    } else if focused && !field.hint.is_empty() {
        title.push(Span::styled(format!("{} ", field.hint), theme.dim()));
    }
    let border = if field.error.is_some() {
        theme.bad()
    } else if field.locked.is_some() {
        theme.dim()
    } else if focused {
        theme.focus_border()
    } else {
        theme.dim()
    };
    let block = Block::bordered()
        .title(Line::from(title))
        .border_style(border);
    match &field.kind {
        FieldKind::Multi {
            options,
            checked,
            cursor,
        } => {
            let lines = checklist_lines(options, checked, *cursor, focused, theme);
            frame.render_widget(Paragraph::new(lines).block(block), area);
        }
        FieldKind::Choice { .. } => {
            frame.render_widget(Paragraph::new(choice_line(field, theme)).block(block), area);
        }
        FieldKind::Text { .. } => {
            let mut text = field.text.clone();
            text.set_block(block);
            text.set_cursor_line_style(theme.base());
            if !focused {
                text.set_cursor_style(theme.base());
            }
            frame.render_widget(&text, area);
        }
    }
}

/// Every option of a multi-select, ticked or not, the cursor's marked while the field has focus.
fn checklist_lines<'a>(
    options: &'a [&'a str],
    checked: &[bool],
    cursor: usize,
    focused: bool,
    theme: &Theme,
) -> Vec<Line<'a>> {
    options
        .iter()
        .zip(checked)
        .enumerate()
        .map(|(i, (option, ticked))| {
            let here = focused && i == cursor;
            let style = if here { theme.selected() } else { theme.base() };
            Line::from(vec![
                Span::styled(if here { "›" } else { " " }, theme.key()),
                Span::styled(if *ticked { "[x] " } else { "[ ] " }, theme.key()),
                Span::styled(*option, style),
            ])
        })
        .collect()
}

/// A choice: its value, the label beside it, and the search being typed.
fn choice_line<'a>(field: &'a Field, theme: &Theme) -> Line<'a> {
    let value = field.value();
    let mut spans = vec![
        Span::styled("‹ ", theme.key()),
        Span::raw(if value.is_empty() {
            "choose…".to_string()
        } else {
            value
        }),
    ];
    if let Some(label) = field.chosen_label() {
        spans.push(Span::styled(format!("  {label}"), theme.dim()));
    }
    spans.push(Span::styled(" ›", theme.key()));
    if let Some(query) = field.query() {
        spans.push(Span::styled(format!("   search: {query}▏"), theme.warn()));
    }
    Line::from(spans)
}
