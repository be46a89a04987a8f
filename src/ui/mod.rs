//! Drawing. Reads the model, never changes it, never calls the API.

mod detail;
mod forms;
mod popups;
mod tables;
pub mod theme;

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use crate::app::core::keymap::{Action, Mode};
use crate::app::core::shell::{Area, Measured};
use crate::app::core::table::ListView;
use crate::app::features::connections::state::Pane;
use crate::app::{Level, Loadable, Model, Tab};
use cosell_core::times as format;
pub use theme::Theme;

pub fn view(model: &Model, theme: &Theme, frame: &mut Frame) {
    draw(model, theme, frame);
}

/// Draws the frame and reports what its layout came to (pane areas, how far scrollable content
/// overflows), which the event loop hands back to `update` as `Msg::Measured`.
pub fn draw(model: &Model, theme: &Theme, frame: &mut Frame) -> Measured {
    let area = frame.area();
    let mut measured = Measured::default();
    if model.too_small() {
        too_small(model, theme, frame, area);
        return measured;
    }
    let [header, tabs, body, bar] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    draw_header(model, theme, frame, header);
    draw_tabs(model, theme, frame, tabs);
    draw_body(model, theme, frame, body, &mut measured);
    draw_bar(model, theme, frame, bar);
    popups::draw(model, theme, frame, area);
    draw_toasts(model, theme, frame, body);
    if model.help_open {
        measured.help_overflow = draw_help(model, theme, frame, area);
    }
    measured
}

fn area_of(rect: Rect) -> Area {
    Area {
        x: rect.x,
        y: rect.y,
        width: rect.width,
        height: rect.height,
    }
}

fn too_small(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    let text = vec![
        Line::styled("Terminal too small", theme.bad()),
        Line::raw(format!(
            "cosell needs {}x{}; this is {}x{}.",
            crate::app::MIN_WIDTH,
            crate::app::MIN_HEIGHT,
            model.shell.width,
            model.shell.height
        )),
        Line::raw("Enlarge the window, or press q to quit."),
    ];
    let top = area.height.saturating_sub(3) / 2;
    let [_, middle] = Layout::vertical([Constraint::Length(top), Constraint::Min(1)]).areas(area);
    frame.render_widget(
        Paragraph::new(text)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        middle,
    );
}

fn draw_header(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    let ctx = &model.shell.context;
    let partner = match (&model.profile.partner, model.profile.name()) {
        (_, Some(name)) => name.to_string(),
        (Some(Loadable::Loading(_)) | None, None) => "…".to_string(),
        (Some(Loadable::Failed(_) | Loadable::Ready(_)), None) => "partner unknown".to_string(),
    };
    let width = area.width as usize;
    let wide = width >= 100;
    let mut spans = vec![
        Span::styled(" cosell ", theme.header_bar().add_modifier(Modifier::BOLD)),
        Span::raw(" "),
        Span::styled(partner, Style::new().add_modifier(Modifier::BOLD)),
    ];
    let place = if wide {
        format!(
            "  profile {}  {}  catalog ",
            ctx.profile.as_deref().unwrap_or("default"),
            ctx.region
        )
    } else {
        "  ".to_string()
    };
    spans.push(Span::styled(place, theme.dim()));
    if ctx.catalog == "Sandbox" {
        spans.push(Span::styled(" Sandbox ", theme.loud()));
    } else {
        spans.push(Span::raw(ctx.catalog.clone()));
    }
    if ctx.demo {
        spans.push(Span::raw(" "));
        spans.push(Span::styled(" DEMO ", theme.loud()));
    }
    if ctx.readonly {
        spans.push(Span::raw(" "));
        spans.push(Span::styled(" READ-ONLY ", theme.readonly()));
    }
    if model.shell.offline {
        spans.push(Span::raw(" "));
        spans.push(Span::styled(" OFFLINE ", theme.readonly()));
    }
    let refreshed = match (model.last_refresh(), model.shell.cached_at, wide) {
        (Some(at), _, true) => format!("refreshed {} ", format::clock(at)),
        (Some(at), _, false) => format!("{} ", format::clock(at)),
        (None, Some(at), _) => format!("cache from {} ", format::age(model.shell.now, at)),
        (None, None, _) => "loading ".to_string(),
    };
    let used: usize = spans.iter().map(|s| s.content.chars().count()).sum();
    if used + refreshed.chars().count() <= width {
        spans.push(Span::raw(
            " ".repeat(width - used - refreshed.chars().count()),
        ));
        spans.push(Span::styled(refreshed, theme.dim()));
    }
    frame.render_widget(Line::from(spans), area);
}

fn count_label(total: usize, loading: bool) -> String {
    if loading {
        format!("{total}…")
    } else {
        total.to_string()
    }
}

/// How much room the tab line has: labels in full, compact, or down to a word and a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Room {
    Full,
    Compact,
    Tiny,
}

/// The tab's label: its name and what it holds (the referrals tab: how many are urgent).
fn tab_label(model: &Model, tab: Tab, room: Room, urgency: (usize, usize)) -> String {
    let count = |list: &dyn ListView| {
        count_label(
            list.row_count(),
            matches!(list.load(), crate::app::core::table::Load::Loading { .. }),
        )
    };
    let (pending, soon) = urgency;
    let applications = || count(&model.benefits.applications);
    match (tab, room) {
        (Tab::Opportunities, Room::Full) => {
            format!("Opportunities ({})", count(&model.opportunities.table))
        }
        (Tab::Opportunities, Room::Compact | Room::Tiny) => {
            format!("Opps {}", count(&model.opportunities.table))
        }
        (Tab::Referrals, Room::Full) => format!("Referrals ({pending} pending, {soon} <48h)"),
        (Tab::Referrals, Room::Compact) => format!("Referrals {pending}/{soon}<48h"),
        (Tab::Referrals, Room::Tiny) => format!("Ref {pending}/{soon}"),
        (Tab::Solutions, Room::Full) => format!("Solutions ({})", count(&model.solutions.table)),
        (Tab::Solutions, Room::Compact) => format!("Solutions {}", count(&model.solutions.table)),
        (Tab::Solutions, Room::Tiny) => format!("Sol {}", count(&model.solutions.table)),
        (Tab::Connections, Room::Full) => {
            format!("Connections ({})", count(&model.connections.connections))
        }
        (Tab::Connections, Room::Compact) => {
            format!("Connections {}", count(&model.connections.connections))
        }
        (Tab::Connections, Room::Tiny) => {
            format!("Conn {}", count(&model.connections.connections))
        }
        (Tab::Benefits, Room::Full | Room::Compact) if model.benefits.unavailable.is_some() => {
            "Benefits —".into()
        }
        (Tab::Benefits, Room::Tiny) if model.benefits.unavailable.is_some() => "Ben —".into(),
        (Tab::Benefits, Room::Full) => format!("Benefits ({})", applications()),
        (Tab::Benefits, Room::Compact) => format!("Benefits {}", applications()),
        (Tab::Benefits, Room::Tiny) => format!("Ben {}", applications()),
        (Tab::Channel, Room::Full | Room::Compact)
            if model.channel.unavailable.is_some() || model.channel.no_program() =>
        {
            "Channel —".into()
        }
        (Tab::Channel, Room::Tiny)
            if model.channel.unavailable.is_some() || model.channel.no_program() =>
        {
            "Chan —".into()
        }
        (Tab::Channel, Room::Full) => format!("Channel ({})", channel_waiting(model)),
        (Tab::Channel, Room::Compact) => format!("Channel {}", channel_waiting(model)),
        (Tab::Channel, Room::Tiny) => format!("Chan {}", channel_waiting(model)),
    }
}

/// Handshakes received and still pending: the channel work waiting for this partner.
fn channel_waiting(model: &Model) -> usize {
    model
        .channel
        .handshakes
        .rows
        .iter()
        .filter(|h| h.received && h.status == "PENDING")
        .count()
}

fn draw_tabs(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    let urgency = model.referrals.urgency(model.shell.now);
    let soon = urgency.1;
    let labels = |room: Room| -> Vec<(Tab, String)> {
        Tab::ALL
            .iter()
            .map(|&tab| (tab, tab_label(model, tab, room, urgency)))
            .collect()
    };
    // Each tab also takes its number and separators (5 cells), the referrals their urgency
    // mark (2).
    let fits = |labels: &[(Tab, String)]| {
        labels
            .iter()
            .map(|(_, l)| l.chars().count() + 5)
            .sum::<usize>()
            + 2
            <= area.width as usize
    };
    let chosen = [Room::Full, Room::Compact]
        .into_iter()
        .map(labels)
        .find(|l| fits(l))
        .unwrap_or_else(|| labels(Room::Tiny));
    let mut spans = Vec::new();
    for (tab, label) in chosen {
        let style = if tab == model.tab {
            theme.active_tab()
        } else {
            theme.base()
        };
        spans.push(Span::styled(format!(" {} ", tab.index() + 1), theme.key()));
        spans.push(Span::styled(label, style));
        if tab == Tab::Referrals && soon > 0 {
            spans.push(Span::styled(" !", theme.bad()));
        }
        spans.push(Span::styled(" │", theme.dim()));
    }
    frame.render_widget(Line::from(spans), area);
}

fn draw_body(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect, measured: &mut Measured) {
    let (table_area, detail_area) = if model.detail_open {
        if model.side_detail() {
            let [t, d] =
                Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)])
                    .areas(area);
            (t, Some(d))
        } else {
            let [t, d] = Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)])
                .areas(area);
            (t, Some(d))
        }
    } else {
        (area, None)
    };
    measured.table = Some(area_of(table_area));
    match model.tab {
        Tab::Opportunities => tables::opportunities(model, theme, frame, table_area),
        Tab::Referrals => tables::referrals(model, theme, frame, table_area),
        Tab::Solutions => tables::solutions(model, theme, frame, table_area),
        Tab::Benefits => tables::benefits(model, theme, frame, table_area),
        Tab::Channel => tables::channel(model, theme, frame, table_area),
        Tab::Connections => {
            let [top, bottom] =
                Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)])
                    .areas(table_area);
            let pane = model.connections.pane;
            tables::connections(model, theme, frame, top, pane == Pane::Connections);
            tables::invitations(model, theme, frame, bottom, pane == Pane::Invitations);
            measured.table = Some(area_of(match pane {
                Pane::Connections => top,
                Pane::Invitations => bottom,
            }));
        }
    }
    if let Some(d) = detail_area {
        measured.detail = Some(area_of(d));
        measured.detail_overflow = detail::draw(model, theme, frame, d);
    }
}

/// The keys that work now, from the keymap. Help and quit always show, at the right end; the
/// other hints fill the space before them in keymap order, and in read-only mode the keys that
/// would change records are left out.
fn draw_bar(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    let mode = model.mode();
    let mut spans = Vec::new();
    if mode == Mode::Filter {
        let filter = model.list(model.focused_list()).filter().to_string();
        spans.push(Span::styled("/", theme.key()));
        spans.push(Span::raw(filter));
        spans.push(Span::styled("█", theme.dim()));
        spans.push(Span::raw("   "));
    }
    if let Some(line) = &model.command_line {
        spans.push(Span::styled(":", theme.key()));
        spans.push(Span::raw(line.clone()));
        spans.push(Span::styled("█", theme.dim()));
        spans.push(Span::raw("   "));
    }
    let readonly = model.shell.context.readonly || model.shell.offline;
    let hints: Vec<(String, &str, Action)> = model
        .keymap
        .hints(mode, model.tab)
        .into_iter()
        .filter(|(_, _, action)| !(readonly && action.changes_records()))
        .filter(|(_, _, action)| mode != Mode::Normal || model.action_applies(*action))
        .collect();
    let always = |a: Action| matches!(a, Action::Help | Action::Quit);
    let width = |key: &str, hint: &str| key.chars().count() + hint.chars().count() + 3;
    let used: usize = spans.iter().map(|s| s.content.chars().count()).sum();
    let reserved: usize = hints
        .iter()
        .filter(|(_, _, a)| always(*a))
        .map(|(k, h, _)| width(k, h))
        .sum();
    let mut room = (area.width as usize).saturating_sub(used + reserved);
    let mut shown: Vec<&(String, &str, Action)> = Vec::new();
    for hint in hints.iter().filter(|(_, _, a)| !always(*a)) {
        let needed = width(&hint.0, hint.1);
        if needed > room {
            break;
        }
        room -= needed;
        shown.push(hint);
    }
    shown.extend(hints.iter().filter(|(_, _, a)| always(*a)));
    for (key, hint, _) in shown {
        spans.push(Span::styled(key.clone(), theme.key()));
        spans.push(Span::styled(format!(" {hint}  "), theme.dim()));
    }
    frame.render_widget(Line::from(spans), area);
}

fn draw_toasts(model: &Model, theme: &Theme, frame: &mut Frame, body: Rect) {
    let width = (body.width.saturating_sub(4)).min(72);
    let mut bottom = body.bottom();
    for toast in model.shell.toasts.iter().rev().take(3) {
        let style = if toast.level == Level::Error {
            theme.bad()
        } else {
            theme.ok()
        };
        // Info toasts say that something finished and that something is under way ("Reading
        // O41… first"): "done" would be wrong for half of them.
        let label = if toast.level == Level::Error {
            "error (esc dismisses)"
        } else {
            "note"
        };
        let inner_width = width.saturating_sub(2).max(1) as usize;
        let lines = textwrap_len(&toast.text, inner_width).min(6) as u16;
        let height = lines + 2;
        if bottom < body.y + height {
            break;
        }
        let rect = Rect::new(
            body.right().saturating_sub(width + 1),
            bottom - height,
            width,
            height,
        );
        frame.render_widget(Clear, rect);
        frame.render_widget(
            Paragraph::new(toast.text.clone())
                .wrap(Wrap { trim: true })
                .block(
                    Block::bordered()
                        .title(Span::styled(format!(" {label} "), style))
                        .border_style(style),
                ),
            rect,
        );
        bottom -= height;
    }
}

/// Lines `text` takes when wrapped at `width` (word wrap, approximated by character count).
fn textwrap_len(text: &str, width: usize) -> usize {
    // A line break starts a new line wherever the last one ended.
    text.split('\n').map(|line| wrapped_len(line, width)).sum()
}

fn wrapped_len(text: &str, width: usize) -> usize {
    let mut lines = 1;
    let mut column = 0;
    for word in text.split_whitespace() {
        let len = word.chars().count();
        if column > 0 && column + 1 + len > width {
            lines += 1;
            column = len;
        } else {
            column += if column > 0 { 1 } else { 0 } + len;
        }
        while column > width {
            lines += 1;
            column -= width;
        }
    }
    lines
}

/// Draws the help box; answers how many lines it overflows by.
fn draw_help(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) -> u16 {
    let entries = model.keymap.help(Mode::Normal);
    let key_width = entries
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(8);
    let mut lines: Vec<Line> = vec![
        Line::styled("Keys (the same table drives the bottom bar)", theme.title()),
        Line::raw(""),
    ];
    for (keys, help) in &entries {
        lines.push(Line::from(vec![
            Span::styled(format!("{keys:>key_width$}"), theme.key()),
            Span::raw("  "),
            Span::raw(help.clone()),
        ]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        "In a filter: type to narrow, enter keeps it, esc clears it.",
        theme.dim(),
    ));
    let width = (key_width as u16 + 60).min(area.width.saturating_sub(4));
    // Long help lines wrap, so every word is reachable at 80 columns; scrolling covers the rest.
    let paragraph = Paragraph::new(lines).wrap(Wrap { trim: false });
    let total = paragraph.line_count(width.saturating_sub(2)) as u16 + 2;
    let height = total.min(area.height.saturating_sub(2));
    let overflow = total.saturating_sub(height);
    let scroll = model.help_scroll.min(overflow);
    let title = if overflow > 0 {
        " Help — j/k scroll, esc closes "
    } else {
        " Help — esc closes "
    };
    let rect = Rect::new(
        area.x + (area.width.saturating_sub(width)) / 2,
        area.y + (area.height.saturating_sub(height)) / 2,
        width,
        height,
    );
    frame.render_widget(Clear, rect);
    frame.render_widget(
        paragraph.scroll((scroll, 0)).block(
            Block::bordered()
                .title(Span::styled(title, theme.title()))
                .border_style(theme.focus_border()),
        ),
        rect,
    );
    overflow
}
