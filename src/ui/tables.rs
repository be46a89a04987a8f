//! The lists. Only the rows inside the window are turned into widgets, so drawing a 100,000-row
//! table costs the same as drawing a 30-row one. Columns, widths, drop order and cells come from
//! each list's descriptor table (`app::features::*::columns`).

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, Cell, Paragraph, Row as TableRow, Scrollbar, ScrollbarOrientation, ScrollbarState,
    Table as TableWidget, TableState,
};

use cosell_core::text::fit;

use super::Theme;
use crate::app::Model;
use crate::app::core::column::{CellContext, Row, Tone, fitting, widths};
use crate::app::core::table::{Load, Table};

/// What a list's frame says and whether it has the focus.
struct Spec<'a> {
    title: &'a str,
    focused: bool,
    empty: &'a str,
    /// Why a `/` filter may miss something (fields not read yet), said when it matches nothing.
    filter_note: Option<String>,
}

fn tone(theme: &Theme, tone: Tone) -> Style {
    match tone {
        Tone::Normal => theme.base(),
        Tone::Dim => theme.dim(),
        Tone::Good => theme.ok(),
        Tone::Warn => theme.warn(),
        Tone::Bad => theme.bad(),
    }
}

fn title_spans<'a, R: Row>(
    model: &Model,
    theme: &Theme,
    table: &Table<R>,
    spec: &Spec,
) -> Vec<Span<'a>> {
    let mut title = vec![Span::styled(format!(" {} ", spec.title), theme.title())];
    let shown = table.visible.len();
    let total = table.rows.len();
    // The selected row's place among those shown, like a pager's "line 37 of 500".
    let place = if shown == 0 {
        String::new()
    } else {
        format!("{}/", table.selected + 1)
    };
    // Rows Partner Central already narrowed to the quick filters are all of them that match.
    let narrowed_by_api = !table.scope.is_empty() && table.scope == table.quick;
    title.push(Span::raw(
        if table.filter.is_empty() && (table.quick.is_empty() || narrowed_by_api) {
            format!("{place}{total} ")
        } else if table.filter.is_empty() {
            format!("{place}{shown} of {total} ")
        } else {
            format!("{place}{shown} of {total} match /{} ", table.filter)
        },
    ));
    if !table.quick.is_empty() {
        let values: Vec<&str> = table.quick.iter().map(|(_, v)| v.as_str()).collect();
        title.push(Span::styled(
            format!("[{}] ", values.join(", ")),
            theme.warn(),
        ));
    }
    if !table.scope.is_empty() {
        title.push(Span::styled("filtered by Partner Central ", theme.dim()));
    }
    match &table.load {
        Load::Loading { received, .. } => {
            let spinner = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
            let frame_no = (model.shell.now / 100).rem_euclid(spinner.len() as i64) as usize;
            title.push(Span::styled(
                format!("{} loading, {received} received ", spinner[frame_no]),
                theme.warn(),
            ));
        }
        Load::Failed(_) => title.push(Span::styled("load failed (R retries) ", theme.bad())),
        Load::Idle | Load::Loaded => {}
    }
    title
}

/// What an empty list says instead of rows: still loading, why it failed, or that nothing is
/// there (or nothing matches the filter).
fn draw_empty<R: Row>(
    model: &Model,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
    table: &Table<R>,
    spec: &Spec,
    block: Block,
) {
    let text = match &table.load {
        Load::Idle if model.shell.offline => {
            "Nothing cached for this list. R reads Partner Central.".to_string()
        }
        Load::Loading { .. } | Load::Idle => "Loading…".to_string(),
        Load::Failed(e) => e.clone(),
        Load::Loaded if !table.filter.is_empty() => format!(
            "Nothing matches /{} (esc clears the filter){}",
            table.filter,
            spec.filter_note
                .as_deref()
                .map(|n| format!(". {n}"))
                .unwrap_or_default()
        ),
        Load::Loaded => spec.empty.to_string(),
    };
    frame.render_widget(
        Paragraph::new(text)
            .style(theme.dim())
            .block(block)
            .wrap(ratatui::widgets::Wrap { trim: true }),
        area,
    );
}

/// The column titles, the sorted one marked ▲ or ▼.
fn header_row<'a, R: Row>(table: &Table<R>, kept: &[usize], sizes: &[u16]) -> TableRow<'a> {
    let columns = R::columns();
    TableRow::new(kept.iter().zip(sizes).map(|(&i, &size)| {
        let marker = match table.sort {
            Some((c, false)) if c == i => " ▲",
            Some((c, true)) if c == i => " ▼",
            _ => "",
        };
        Cell::from(fit(&format!("{}{marker}", columns[i].title), size.into()))
    }))
}

/// The rows inside the window, as table rows: each kept column's cell, cut to its width.
fn window_rows<'a, R: Row>(
    model: &Model,
    theme: &Theme,
    table: &Table<R>,
    (kept, sizes): (&[usize], &[u16]),
    start: usize,
    height: usize,
    marked: &impl Fn(&R) -> bool,
) -> Vec<TableRow<'a>> {
    let columns = R::columns();
    let end = (start + height).min(table.visible.len());
    let today = model.shell.today();
    table.visible[start..end]
        .iter()
        .map(|&i| {
            let row = &table.rows[i];
            let cx = CellContext {
                now: model.shell.now,
                today: &today,
                pending: model.shell.pending.get(row.key()).map(String::as_str),
                marked: marked(row),
            };
            TableRow::new(kept.iter().zip(sizes).map(|(&c, &size)| {
                let cell = (columns[c].cell)(row, &cx);
                Cell::from(fit(&cell.text, size.into())).style(tone(theme, cell.tone))
            }))
        })
        .collect()
}

/// Draws `table` in `area`; `marked` says which rows carry a batch mark.
fn draw<R: Row>(
    model: &Model,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
    table: &Table<R>,
    spec: Spec,
    marked: impl Fn(&R) -> bool,
) {
    let border = if spec.focused {
        theme.focus_border()
    } else {
        theme.dim()
    };
    let block = Block::bordered()
        .title(Line::from(title_spans(model, theme, table, &spec)))
        .border_style(border);
    if table.visible.is_empty() {
        draw_empty(model, theme, frame, area, table, &spec, block);
        return;
    }
    let columns = R::columns();
    // The scroll bar is drawn over the right border, so the columns keep the full width.
    let inner_width = area.width.saturating_sub(2);
    let kept = fitting(
        columns,
        &table.quick,
        table.sort.map(|(c, _)| c),
        inner_width,
    );
    let sizes = widths(columns, &kept, inner_width);
    let header = header_row(table, &kept, &sizes).style(theme.column_header());
    let inner_height = area.height.saturating_sub(3) as usize;
    let start = table.offset.min(table.visible.len());
    let rows = window_rows(
        model,
        theme,
        table,
        (&kept, &sizes),
        start,
        inner_height,
        &marked,
    );
    let mut state = TableState::default();
    if spec.focused || table.selected >= start {
        state.select(Some(table.selected.saturating_sub(start)));
    }
    let constraints: Vec<Constraint> = sizes.iter().map(|&w| Constraint::Length(w)).collect();
    let widget = TableWidget::new(rows, constraints)
        .header(header)
        .block(block)
        .column_spacing(1)
        .row_highlight_style(if spec.focused {
            theme.selected()
        } else {
            Style::new()
        });
    frame.render_stateful_widget(widget, area, &mut state);
    draw_scrollbar(frame, area, table.visible.len(), inner_height, start);
}

/// Where the window is in the whole list, so a re-sorted list never looks as if it starts
/// mid-way: a bar over the right border, beside the rows only.
fn draw_scrollbar(frame: &mut Frame, area: Rect, shown: usize, height: usize, start: usize) {
    if shown <= height {
        return;
    }
    let mut position = ScrollbarState::new(shown.saturating_sub(height)).position(start);
    frame.render_stateful_widget(
        Scrollbar::new(ScrollbarOrientation::VerticalRight)
            .begin_symbol(None)
            .end_symbol(None),
        Rect {
            y: area.y + 2,
            height: area.height.saturating_sub(3),
            ..area
        },
        &mut position,
    );
}

pub fn opportunities(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    let table = &model.opportunities.table;
    // Counted only when a filter matches nothing (the note's one use): a frame never walks
    // every row.
    let nothing_matches = table.visible.is_empty() && !table.filter.is_empty();
    let titled = nothing_matches.then(|| table.rows.iter().filter(|o| o.title.is_some()).count());
    let spec = Spec {
        title: "Opportunities",
        focused: true,
        empty: "No opportunities in this catalog yet.",
        filter_note: titled.filter(|t| *t < table.rows.len()).map(|titled| {
            format!(
                "Titles and owners are searched once read: {titled} of {} so far (they are read as rows come into view; `cosell sync` reads them all)",
                table.rows.len()
            )
        }),
    };
    draw(
        model,
        theme,
        frame,
        area,
        &model.opportunities.table,
        spec,
        |_| false,
    );
}

pub fn referrals(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    let state = &model.referrals;
    let title = match &state.batch {
        Some(b) => format!(
            "Referrals — {} {}/{}{}",
            b.kind.doing(),
            b.done + b.failed,
            b.ids.len(),
            if b.failed > 0 {
                format!(", {} failed", b.failed)
            } else {
                String::new()
            }
        ),
        None if !state.marked.is_empty() => format!("Referrals — {} marked", state.marked.len()),
        None => "Referrals".to_string(),
    };
    let spec = Spec {
        title: &title,
        focused: true,
        empty: "No AWS referrals received.",
        filter_note: None,
    };
    draw(model, theme, frame, area, &state.table, spec, |r| {
        state.marked.contains(&r.id)
    });
}

pub fn solutions(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    let spec = Spec {
        title: "Solutions",
        focused: true,
        empty: "No solutions registered in this catalog.",
        filter_note: None,
    };
    draw(
        model,
        theme,
        frame,
        area,
        &model.solutions.table,
        spec,
        |_| false,
    );
}

pub fn connections(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect, focused: bool) {
    let spec = Spec {
        title: "Connections",
        focused,
        empty: "No partner connections yet.",
        filter_note: None,
    };
    draw(
        model,
        theme,
        frame,
        area,
        &model.connections.connections,
        spec,
        |_| false,
    );
}

pub fn invitations(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect, focused: bool) {
    let spec = Spec {
        title: "Connection invitations (w switches)",
        focused,
        empty: "No connection invitations.",
        filter_note: None,
    };
    draw(
        model,
        theme,
        frame,
        area,
        &model.connections.invitations,
        spec,
        |_| false,
    );
}

/// The title of one list of a tab that shows one list at a time: its name, then the others
/// `w` moves to.
fn pane_title(current: &'static str, all: &[&'static str]) -> String {
    let others: Vec<&str> = all.iter().copied().filter(|t| *t != current).collect();
    format!("{current} (w: {})", others.join(", "))
}

/// An API this account may not use: said once, in place of its lists.
pub fn unavailable(theme: &Theme, frame: &mut Frame, area: Rect, service: &str, why: &str) {
    let text = vec![
        Line::styled(
            format!("{service} is not available to this account."),
            theme.bad(),
        ),
        Line::raw(""),
        Line::raw(why.to_string()),
        Line::raw(""),
        Line::styled(
            "cosell stops asking for it. R on this tab asks again (after the account is enrolled, or with another profile: :profile NAME).",
            theme.dim(),
        ),
    ];
    frame.render_widget(
        Paragraph::new(text)
            .block(Block::bordered().border_style(theme.dim()))
            .wrap(ratatui::widgets::Wrap { trim: true }),
        area,
    );
}

pub fn benefits(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    use crate::app::features::benefits::state::Pane;
    let state = &model.benefits;
    if let Some(why) = &state.unavailable {
        unavailable(theme, frame, area, "Partner Central benefits", why);
        return;
    }
    let titles = Pane::ALL.map(Pane::title);
    let title = pane_title(state.pane.title(), &titles);
    match state.pane {
        Pane::Benefits => {
            let spec = Spec {
                title: &title,
                focused: true,
                empty: "No benefits offered in this catalog.",
                filter_note: None,
            };
            draw(model, theme, frame, area, &state.benefits, spec, |_| false);
        }
        Pane::Applications => {
            let spec = Spec {
                title: &title,
                focused: true,
                empty: "No benefit applications yet: n applies for a benefit (B on an opportunity).",
                filter_note: None,
            };
            draw(model, theme, frame, area, &state.applications, spec, |_| {
                false
            });
        }
        Pane::Allocations => {
            let spec = Spec {
                title: &title,
                focused: true,
                empty: "No allocations: an approved application brings one.",
                filter_note: None,
            };
            draw(model, theme, frame, area, &state.allocations, spec, |_| {
                false
            });
        }
    }
}

pub fn channel(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    use crate::app::features::channel::state::Pane;
    let state = &model.channel;
    if let Some(why) = &state.unavailable {
        unavailable(theme, frame, area, "Partner Central channel", why);
        return;
    }
    if state.no_program() {
        let text = vec![
            Line::styled(
                "This account is in no AWS channel program: it has no program management account, relationship or handshake.",
                theme.dim(),
            ),
            Line::raw(""),
            Line::styled(
                "Resellers and distributors enrolled in a channel program (Solution Provider, Distribution) manage their relationships here. R reads again.",
                theme.dim(),
            ),
        ];
        frame.render_widget(
            Paragraph::new(text)
                .block(Block::bordered().border_style(theme.dim()))
                .wrap(ratatui::widgets::Wrap { trim: true }),
            area,
        );
        return;
    }
    let titles = Pane::ALL.map(Pane::title);
    let title = pane_title(state.pane.title(), &titles);
    match state.pane {
        Pane::Accounts => {
            let spec = Spec {
                title: &title,
                focused: true,
                empty: "No program management accounts: this account is in no channel program.",
                filter_note: None,
            };
            draw(model, theme, frame, area, &state.accounts, spec, |_| false);
        }
        Pane::Relationships => {
            let spec = Spec {
                title: &title,
                focused: true,
                empty: "No channel relationships: n creates one under a program account.",
                filter_note: None,
            };
            draw(
                model,
                theme,
                frame,
                area,
                &state.relationships,
                spec,
                |_| false,
            );
        }
        Pane::Handshakes => {
            let spec = Spec {
                title: &title,
                focused: true,
                empty: "No handshakes sent or received.",
                filter_note: None,
            };
            draw(model, theme, frame, area, &state.handshakes, spec, |_| {
                false
            });
        }
    }
}
