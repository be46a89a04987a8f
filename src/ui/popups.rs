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
            let lines: Vec<Line> = c.lines.iter().map(|l| Line::raw(l.clone())).collect();
            let keys = keys_line(theme, &[("y", "yes"), ("n", "no")]);
            message_box(frame, area, theme, &c.title, lines, keys);
        }
        Some(Popup::DiscardForm) => {
            let lines = vec![Line::raw("The form has text you have not submitted.")];
            let keys = keys_line(theme, &[("y", "discard it"), ("n", "keep editing")]);
            message_box(frame, area, theme, "Discard the form?", lines, keys);
        }
        Some(Popup::RestoreDraft { draft }) => {
            let filled = draft.values.iter().filter(|v| !v.is_empty()).count();
            let lines = vec![
                Line::raw(format!(
                    "Text typed into this form on {} was kept ({filled} fields), but never sent.",
                    format::date_time(draft.at)
                )),
                Line::raw("Put it back?"),
            ];
            let keys = keys_line(theme, &[("y", "restore it"), ("n", "start empty")]);
            message_box(frame, area, theme, "A draft was kept", lines, keys);
        }
        Some(Popup::Quit { losses, .. }) => {
            let mut lines = vec![Line::raw("Quitting now would lose:")];
            lines.extend(losses.iter().map(|l| Line::raw(format!("• {l}"))));
            let keys = keys_line(theme, &[("y/ctrl-c", "quit anyway"), ("n/esc", "stay")]);
            message_box(frame, area, theme, "Quit cosell?", lines, keys);
        }
        Some(Popup::Conflict(conflict)) => {
            let (id, edit, latest) = (&conflict.id, &conflict.edit, &conflict.latest);
            let s = &latest.summary;
            let lines = vec![
                Line::raw(format!(
                    "{id} changed after you loaded it (now modified {}), so your change was not sent.",
                    s.last_modified.map(format::date_time).unwrap_or_default()
                )),
                Line::raw(""),
                Line::from(vec![
                    Span::styled("Theirs: ", theme.dim()),
                    Span::raw(edit.current_in(latest)),
                ]),
                Line::from(vec![
                    Span::styled("Yours:  ", theme.dim()),
                    Span::raw(edit.proposed()),
                ]),
                Line::raw(format!(
                    "Now also: stage {}, review {}.",
                    s.stage.as_ref().map_or("—", Stage::as_str),
                    s.review_status.as_ref().map_or("—", ReviewStatus::as_str),
                )),
            ];
            let keys = keys_line(
                theme,
                &[("r", "re-apply mine to the latest"), ("esc", "keep theirs")],
            );
            message_box(frame, area, theme, "Someone else changed it", lines, keys);
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
            "catalog {} · region {} · any key closes",
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

/// The keys of a question, `key label` pairs, for the bottom border of its box.
fn keys_line<'a>(theme: &Theme, keys: &[(&'a str, &'a str)]) -> Line<'a> {
    let mut spans = vec![Span::raw(" ")];
    for (key, label) in keys {
        spans.push(Span::styled(*key, theme.key()));
        spans.push(Span::raw(format!(" {label}   ")));
    }
    Line::from(spans)
}

/// A question or a message in a box sized to its wrapped text; the keys that answer it sit in
/// its bottom border, so however long the text, they are never cut off.
fn message_box(
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
    title: &str,
    lines: Vec<Line>,
    keys: Line,
) {
    let width = lines
        .iter()
        .map(|l| l.width() as u16)
        .max()
        .unwrap_or(20)
        .max(title.chars().count() as u16 + 4)
        .max(keys.width() as u16 + 2)
        + 4;
    let width = width.min(76).min(area.width.saturating_sub(2));
    let paragraph = Paragraph::new(lines).wrap(Wrap { trim: false });
    let height = paragraph.line_count(width.saturating_sub(2)) as u16 + 2;
    let rect = centered(area, width, height);
    frame.render_widget(Clear, rect);
    frame.render_widget(
        paragraph.block(
            Block::bordered()
                .title(Span::styled(format!(" {title} "), theme.title()))
                .title_bottom(keys)
                .border_style(theme.focus_border()),
        ),
        rect,
    );
}

fn draw_picker(p: &dyn PickerControl, theme: &Theme, frame: &mut Frame, area: Rect) {
    let shown = p.visible_choices();
    let search_line = p.searching();
    let rows = shown.len() as u16 + 3 + u16::from(search_line);
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
    let visible = rect.height.saturating_sub(3 + u16::from(search_line)) as usize;
    let inner = rect.width.saturating_sub(2) as usize;
    let first = p.cursor().saturating_sub(visible.saturating_sub(1));
    let mut lines = Vec::new();
    if search_line {
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
        // What does not fit ends in an ellipsis: the label first, the note in what is left.
        let room = inner.saturating_sub(2 + if tick.is_some() { 4 } else { 0 });
        let label = cosell_core::text::fit(label, room);
        let left = room.saturating_sub(label.chars().count() + 2);
        spans.push(Span::styled(label, style));
        if !note.is_empty() && left > 1 {
            spans.push(Span::styled(
                format!("  {}", cosell_core::text::fit(note, left)),
                theme.dim(),
            ));
        }
        lines.push(Line::from(spans));
    }
    lines.push(Line::styled(
        cosell_core::text::fit(p.footer(), inner),
        theme.dim(),
    ));
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
