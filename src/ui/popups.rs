//! Pickers, confirmations, the conflict offer and the profile, drawn above the open form.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::Theme;
use crate::app::core::popup::PickerControl;
use crate::app::{Loadable, Model, Popup};
use cosell_core::partner::types::*;
use cosell_core::times as format;

pub(super) fn centered(area: Rect, width: u16, height: u16) -> Rect {
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
        super::forms::draw(form.body(), theme, frame, area);
    }
    match &model.popup {
        Some(Popup::Pick(p)) => draw_picker(p.control(), theme, frame, area),
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
        Some(Popup::Conflict(conflict)) => {
            let (id, edit, s) = (&conflict.id, &conflict.edit, &conflict.latest.summary);
            let lines = vec![
                Line::raw(format!(
                    "{id} changed after you loaded it, so your change was not sent."
                )),
                Line::raw(format!(
                    "Now: stage {}, review {}, modified {}.",
                    s.stage.as_ref().map_or("—", Stage::as_str),
                    s.review_status.as_ref().map_or("—", ReviewStatus::as_str),
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

fn profile_lines<'a>(theme: &Theme, p: &Partner, lines: &mut Vec<Line<'a>>) {
    let field = |label: &str, value: String| {
        Line::from(vec![
            Span::styled(format!("{label}: "), theme.dim()),
            Span::raw(value),
        ])
    };
    let words = |s: &str| s.to_lowercase().replace('_', " ");
    lines.push(Line::styled(p.legal_name.clone(), theme.title()));
    if let Some(d) = &p.display_name {
        lines.push(field("Display name", d.clone()));
    }
    lines.push(field("Partner id", p.id.clone()));
    if let Some(w) = &p.website {
        lines.push(field("Website", w.clone()));
    }
    if let Some(t) = &p.primary_solution_type {
        lines.push(field("Primary solution type", words(t)));
    }
    if !p.industry_segments.is_empty() {
        let segments: Vec<String> = p.industry_segments.iter().map(|s| words(s)).collect();
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
    let lead = match &p.alliance_lead {
        Some(lead) => format!(
            "{}, {} <{}>",
            lead.name(),
            lead.title.as_deref().unwrap_or(""),
            lead.email.as_deref().unwrap_or("")
        ),
        None => "not available".into(),
    };
    lines.push(field("Alliance lead", lead));
}

fn draw_profile(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    let mut lines: Vec<Line> = Vec::new();
    match &model.profile.partner {
        Some(Loadable::Ready(p)) => profile_lines(theme, p, &mut lines),
        Some(Loadable::Failed(e)) => lines.push(Line::styled(
            format!("The partner profile could not be read: {e}"),
            theme.bad(),
        )),
        Some(Loadable::Loading(_)) | None => {
            lines.push(Line::styled("Loading the partner profile…", theme.dim()))
        }
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        format!(
            "catalog {} · region {} · esc closes",
            model.shell.context.catalog, model.shell.context.region
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

fn draw_picker(p: &dyn PickerControl, theme: &Theme, frame: &mut Frame, area: Rect) {
    let shown = p.visible_choices();
    let rows = shown.len() as u16 + 3 + u16::from(p.filterable());
    let width = (0..p.choice_count())
        .map(|i| {
            let (label, note, _) = p.choice(i);
            label.chars().count() + note.chars().count() + 10
        })
        .max()
        .unwrap_or(20)
        .max(p.title().chars().count() + 4)
        .max(p.footer().chars().count() + 4) as u16;
    let rect = centered(area, width.min(80), rows.min(area.height));
    let visible = rect.height.saturating_sub(3 + u16::from(p.filterable())) as usize;
    let first = p.cursor().saturating_sub(visible.saturating_sub(1));
    let mut lines = Vec::new();
    if p.filterable() {
        lines.push(Line::from(vec![
            Span::styled("/ ", theme.key()),
            Span::raw(p.query().to_string()),
            Span::styled(
                format!("█  {} of {}", shown.len(), p.choice_count()),
                theme.dim(),
            ),
        ]));
    }
    for (position, &i) in shown.iter().enumerate().skip(first).take(visible) {
        let (label, note, tick) = p.choice(i);
        let mut spans = Vec::new();
        let marker = if position == p.cursor() { "› " } else { "  " };
        spans.push(Span::styled(marker, theme.key()));
        if let Some(ticked) = tick {
            spans.push(Span::raw(if ticked { "[x] " } else { "[ ] " }));
        }
        let style = if position == p.cursor() {
            theme.selected()
        } else {
            theme.base()
        };
        spans.push(Span::styled(label.to_string(), style));
        if !note.is_empty() {
            spans.push(Span::styled(format!("  {note}"), theme.dim()));
        }
        lines.push(Line::from(spans));
    }
    lines.push(Line::styled(p.footer().to_string(), theme.dim()));
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::bordered()
                .title(Span::styled(format!(" {} ", p.title()), theme.title()))
                .border_style(theme.focus_border()),
        ),
        rect,
    );
}
