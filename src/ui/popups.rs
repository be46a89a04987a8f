//! Pickers, confirmations, the conflict offer, and forms.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::Theme;
use crate::app::Model;
use crate::app::popup::{Field, FieldKind, Form, Picker, Popup};
use cosell_core::times as format;

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width.saturating_sub(2));
    let height = height.min(area.height.saturating_sub(2));
    Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    )
}

pub fn draw(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    if let Some(form) = &model.form {
        draw_form(form, theme, frame, area);
    }
    match &model.popup {
        Some(Popup::Picker(p)) => draw_picker(p, theme, frame, area),
        Some(Popup::Confirm(c)) => {
            let mut lines: Vec<Line> = c.lines.iter().map(|l| Line::raw(l.clone())).collect();
            lines.push(Line::raw(""));
            lines.push(Line::from(vec![
                Span::styled("y", theme.key()),
                Span::raw(" yes   "),
                Span::styled("n", theme.key()),
                Span::raw(" no"),
            ]));
            message_box(frame, area, theme, &c.title, lines);
        }
        Some(Popup::DiscardForm) => {
            let lines = vec![
                Line::raw("The form has text you have not submitted."),
                Line::raw(""),
                Line::from(vec![
                    Span::styled("y", theme.key()),
                    Span::raw(" discard it   "),
                    Span::styled("n", theme.key()),
                    Span::raw(" keep editing"),
                ]),
            ];
            message_box(frame, area, theme, "Discard the form?", lines);
        }
        Some(Popup::Conflict { id, edit, latest }) => {
            let s = &latest.summary;
            let lines = vec![
                Line::raw(format!(
                    "{id} changed after you loaded it, so your change was not sent."
                )),
                Line::raw(format!(
                    "Now: stage {}, review {}, modified {}.",
                    s.stage.as_deref().unwrap_or("—"),
                    s.review_status.as_deref().unwrap_or("—"),
                    s.last_modified.map(format::date_time).unwrap_or_default()
                )),
                Line::raw(format!("Your change: {}.", edit.describe())),
                Line::raw(""),
                Line::from(vec![
                    Span::styled("r", theme.key()),
                    Span::raw(" re-apply my change to the latest version   "),
                    Span::styled("esc", theme.key()),
                    Span::raw(" keep theirs"),
                ]),
            ];
            message_box(frame, area, theme, "Someone else changed it", lines);
        }
        Some(Popup::Profile) => draw_profile(model, theme, frame, area),
        None => {}
    }
}

fn draw_profile(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    use crate::app::Loadable;
    let mut lines: Vec<Line> = Vec::new();
    let field = |label: &str, value: String| {
        Line::from(vec![
            Span::styled(format!("{label}: "), theme.dim()),
            Span::raw(value),
        ])
    };
    match &model.partner {
        Some(Loadable::Ready(p)) => {
            lines.push(Line::styled(p.legal_name.clone(), theme.title()));
            if let Some(d) = &p.display_name {
                lines.push(field("Display name", d.clone()));
            }
            lines.push(field("Partner id", p.id.clone()));
            if let Some(w) = &p.website {
                lines.push(field("Website", w.clone()));
            }
            if let Some(t) = &p.primary_solution_type {
                lines.push(field(
                    "Primary solution type",
                    t.to_lowercase().replace('_', " "),
                ));
            }
            if !p.industry_segments.is_empty() {
                let segments: Vec<String> = p
                    .industry_segments
                    .iter()
                    .map(|s| s.to_lowercase().replace('_', " "))
                    .collect();
                lines.push(field("Industry segments", segments.join(", ")));
            }
            if !p.training_domains.is_empty() {
                lines.push(field(
                    "Training email domains",
                    p.training_domains.join(", "),
                ));
            }
            if let Some(d) = &p.description {
                lines.push(Line::raw(""));
                lines.push(Line::raw(d.clone()));
            }
            lines.push(Line::raw(""));
            match &p.alliance_lead {
                Some(lead) => lines.push(field(
                    "Alliance lead",
                    format!(
                        "{}, {} <{}>",
                        lead.name(),
                        lead.title.as_deref().unwrap_or(""),
                        lead.email.as_deref().unwrap_or("")
                    ),
                )),
                None => lines.push(field("Alliance lead", "not available".into())),
            }
        }
        Some(Loadable::Failed(e)) => lines.push(Line::styled(
            format!("The partner profile could not be read: {e}"),
            theme.bad(),
        )),
        _ => lines.push(Line::styled("Loading the partner profile…", theme.dim())),
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        format!(
            "catalog {} · region {} · esc closes",
            model.context.catalog, model.context.region
        ),
        theme.dim(),
    ));
    let rect = centered(area, 80, lines.len() as u16 + 6);
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::bordered()
                .title(Span::styled(" Partner profile ", theme.title()))
                .border_style(theme.focus_border()),
        ),
        rect,
    );
}

fn message_box(frame: &mut Frame, area: Rect, theme: &Theme, title: &str, lines: Vec<Line>) {
    let width = lines
        .iter()
        .map(|l| l.width() as u16)
        .max()
        .unwrap_or(20)
        .max(title.len() as u16 + 4)
        + 4;
    let rect = centered(area, width.min(76), lines.len() as u16 + 4);
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::bordered()
                .title(Span::styled(format!(" {title} "), theme.title()))
                .border_style(theme.focus_border()),
        ),
        rect,
    );
}

fn draw_picker(p: &Picker, theme: &Theme, frame: &mut Frame, area: Rect) {
    let shown = p.visible();
    let rows = shown.len() as u16 + 3 + u16::from(p.filterable);
    let width = p
        .options
        .iter()
        .zip(&p.notes)
        .map(|(o, n)| o.chars().count() + n.chars().count() + 10)
        .max()
        .unwrap_or(20)
        .max(p.title.chars().count() + 4)
        .max(p.footer.chars().count() + 4) as u16;
    let rect = centered(area, width.min(80), rows.min(area.height));
    let visible = rect.height.saturating_sub(3 + u16::from(p.filterable)) as usize;
    let first = p.cursor.saturating_sub(visible.saturating_sub(1));
    let mut lines = Vec::new();
    if p.filterable {
        lines.push(Line::from(vec![
            Span::styled("/ ", theme.key()),
            Span::raw(p.query.clone()),
            Span::styled(
                format!("█  {} of {}", shown.len(), p.options.len()),
                theme.dim(),
            ),
        ]));
    }
    for (position, &i) in shown.iter().enumerate().skip(first).take(visible) {
        let option = &p.options[i];
        let mut spans = Vec::new();
        let marker = if position == p.cursor { "› " } else { "  " };
        spans.push(Span::styled(marker, theme.key()));
        if let Some(checked) = &p.checked {
            spans.push(Span::raw(if checked[i] { "[x] " } else { "[ ] " }));
        }
        let style = if i == p.cursor {
            theme.selected()
        } else {
            theme.base()
        };
        spans.push(Span::styled(option.clone(), style));
        if let Some(note) = p.notes.get(i).filter(|n| !n.is_empty()) {
            spans.push(Span::styled(format!("  {note}"), theme.dim()));
        }
        lines.push(Line::from(spans));
    }
    lines.push(Line::styled(p.footer.clone(), theme.dim()));
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::bordered()
                .title(Span::styled(format!(" {} ", p.title), theme.title()))
                .border_style(theme.focus_border()),
        ),
        rect,
    );
}

fn field_height(field: &Field) -> u16 {
    match field.kind {
        FieldKind::Text {
            multiline: true, ..
        } => 6,
        _ => 3,
    }
}

fn draw_form(form: &Form, theme: &Theme, frame: &mut Frame, area: Rect) {
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
    let [banner_area, fields_area] = Layout::vertical([
        Constraint::Length(if form.banner.is_some() || form.submitting {
            2
        } else {
            0
        }),
        Constraint::Min(1),
    ])
    .areas(inner);
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
    if let Some(error) = &field.error {
        title.push(Span::styled(format!("✗ {error} "), theme.bad()));
    } else if focused && !field.hint.is_empty() {
        title.push(Span::styled(format!("{} ", field.hint), theme.dim()));
    }
    let border = if field.error.is_some() {
        theme.bad()
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
            let ticked: Vec<&str> = options
                .iter()
                .zip(checked)
                .filter(|(_, c)| **c)
                .map(|(o, _)| *o)
                .collect();
            let line = Line::from(vec![
                Span::styled(if checked[*cursor] { "[x] " } else { "[ ] " }, theme.key()),
                Span::raw(options[*cursor]),
                Span::styled(format!("   {} ticked", ticked.len()), theme.dim()),
            ]);
            frame.render_widget(Paragraph::new(line).block(block), area);
        }
        FieldKind::Choice { .. } => {
            let value = field.value();
            let line = Line::from(vec![
                Span::styled("‹ ", theme.key()),
                Span::raw(if value.is_empty() {
                    "choose…".to_string()
                } else {
                    value
                }),
                Span::styled(" ›", theme.key()),
            ]);
            frame.render_widget(Paragraph::new(line).block(block), area);
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
