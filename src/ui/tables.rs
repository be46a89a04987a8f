//! The lists. Only the rows inside the window are turned into widgets, so drawing a 100,000-row
//! table costs the same as drawing a 30-row one.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row as TableRow, Table as TableWidget, TableState};

use super::Theme;
use crate::app::table::{Load, Table};
use crate::app::{ListId, Model, column_names};
use cosell_core::partner::types::*;
use cosell_core::times as format;

struct Spec<'a> {
    title: &'a str,
    list: ListId,
    /// Width of each column: `Fill(n)` columns need at least `min` cells.
    widths: &'a [(Constraint, u16)],
    /// Columns to leave out, first to last, when the table is too narrow for all of them.
    drop_order: &'a [usize],
    focused: bool,
    empty: &'a str,
}

/// The columns that fit in `width`, dropping the least important ones first.
fn fitting_columns(spec: &Spec, width: u16) -> Vec<usize> {
    let mut kept: Vec<usize> = (0..spec.widths.len()).collect();
    let needed =
        |kept: &[usize]| -> u16 { kept.iter().map(|&i| spec.widths[i].1 + 1).sum::<u16>() };
    let mut drops = spec.drop_order.iter();
    while needed(&kept) > width {
        match drops.next() {
            Some(drop) => kept.retain(|i| i != drop),
            None => break,
        }
    }
    kept
}

fn draw<T>(
    model: &Model,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
    table: &Table<T>,
    spec: Spec,
    cells: impl Fn(&T) -> Vec<Cell<'static>>,
) where
    T: crate::app::table::Row,
{
    let mut title = vec![Span::styled(format!(" {} ", spec.title), theme.title())];
    let shown = table.visible.len();
    let total = table.rows.len();
    // Rows Partner Central already narrowed to the quick filters are all of them that match.
    let narrowed_by_api = !table.scope.is_empty() && table.scope == table.quick;
    title.push(Span::raw(
        if table.filter.is_empty() && (table.quick.is_empty() || narrowed_by_api) {
            format!("{total} rows ")
        } else if table.filter.is_empty() {
            format!("{shown} of {total} ")
        } else {
            format!("{shown} of {total} match /{} ", table.filter)
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
            let frame_no = (model.now / 100).rem_euclid(spinner.len() as i64) as usize;
            title.push(Span::styled(
                format!("{} loading, {received} received ", spinner[frame_no]),
                theme.warn(),
            ));
        }
        Load::Failed(_) => title.push(Span::styled("load failed (R retries) ", theme.bad())),
        _ => {}
    }
    let border = if spec.focused {
        theme.focus_border()
    } else {
        theme.dim()
    };
    let block = Block::bordered()
        .title(Line::from(title))
        .border_style(border);
    let inner_height = area.height.saturating_sub(3) as usize;

    if table.visible.is_empty() {
        let text = match &table.load {
            Load::Loading { .. } | Load::Idle => "Loading…".to_string(),
            Load::Failed(e) => e.clone(),
            Load::Loaded if !table.filter.is_empty() => {
                format!("Nothing matches /{} (esc clears the filter)", table.filter)
            }
            Load::Loaded => spec.empty.to_string(),
        };
        frame.render_widget(
            Paragraph::new(text)
                .style(theme.dim())
                .block(block)
                .wrap(ratatui::widgets::Wrap { trim: true }),
            area,
        );
        return;
    }

    let names = column_names(spec.list);
    let kept = fitting_columns(&spec, area.width.saturating_sub(2));
    let header = TableRow::new(kept.iter().map(|&i| (i, names[i])).map(|(i, name)| {
        let marker = match table.sort {
            Some((c, false)) if c == i => " ▲",
            Some((c, true)) if c == i => " ▼",
            _ => "",
        };
        Cell::from(format!("{name}{marker}"))
    }))
    .style(theme.column_header());
    let start = table.offset.min(table.visible.len());
    let end = (start + inner_height).min(table.visible.len());
    let rows: Vec<TableRow> = table.visible[start..end]
        .iter()
        .map(|&i| {
            let mut all: Vec<Option<Cell>> = cells(&table.rows[i]).into_iter().map(Some).collect();
            TableRow::new(
                kept.iter()
                    .filter_map(|&c| all.get_mut(c).and_then(Option::take)),
            )
        })
        .collect();
    let mut state = TableState::default();
    if spec.focused || table.selected >= start {
        state.select(Some(table.selected.saturating_sub(start)));
    }
    let widths: Vec<Constraint> = kept.iter().map(|&i| spec.widths[i].0).collect();
    let widget = TableWidget::new(rows, widths)
        .header(header)
        .block(block)
        .column_spacing(1)
        .row_highlight_style(if spec.focused {
            theme.selected()
        } else {
            Style::new()
        });
    frame.render_stateful_widget(widget, area, &mut state);
}

fn opt(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

fn short_review(status: Option<&str>) -> &str {
    match status {
        Some("Pending Submission") => "Pending",
        Some(other) => other,
        None => "",
    }
}

pub fn opportunities(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    let today = format::today(model.now);
    let widths = [
        (Constraint::Length(9), 9),
        (Constraint::Fill(2), 16),
        (Constraint::Fill(3), 16),
        (Constraint::Length(20), 20),
        (Constraint::Length(15), 15),
        (Constraint::Length(13), 13),
        (Constraint::Length(11), 11),
        (Constraint::Length(10), 10),
    ];
    let spec = Spec {
        title: "Opportunities",
        list: ListId::Opportunities,
        widths: &widths,
        drop_order: &[7, 2, 5, 4, 6],
        focused: true,
        empty: "No opportunities in this catalog yet.",
    };
    draw(
        model,
        theme,
        frame,
        area,
        &model.opportunities,
        spec,
        |o: &OpportunitySummary| {
            let open = !matches!(o.stage.as_deref(), Some("Launched") | Some("Closed Lost"));
            let past_due = open
                && o.target_close
                    .as_deref()
                    .is_some_and(|d| d < today.as_str());
            let review_style = match o.review_status.as_deref() {
                Some("Action Required") | Some("Rejected") => theme.bad(),
                Some("Approved") => theme.ok(),
                Some("Submitted") | Some("In review") => theme.warn(),
                _ => theme.base(),
            };
            let stage = match model.pending.get(&o.id) {
                Some(what) => Cell::from(format!("⟳ {what}")).style(theme.warn()),
                None => Cell::from(opt(&o.stage)),
            };
            let title = match &o.title {
                Some(title) => Cell::from(title.clone()),
                None => Cell::from("·").style(theme.dim()),
            };
            vec![
                Cell::from(o.id.clone()),
                Cell::from(o.customer.clone()),
                title,
                stage,
                Cell::from(short_review(o.review_status.as_deref()).to_string())
                    .style(review_style),
                Cell::from(
                    o.monthly_spend
                        .as_ref()
                        .map(Money::short)
                        .unwrap_or_default(),
                ),
                Cell::from(format!(
                    "{}{}",
                    opt(&o.target_close),
                    if past_due { "!" } else { "" }
                ))
                .style(if past_due { theme.bad() } else { theme.base() }),
                Cell::from(
                    o.last_modified
                        .map(|m| format::age(model.now, m))
                        .unwrap_or_default(),
                ),
            ]
        },
    );
}

pub fn referrals(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    let widths = [
        (Constraint::Length(11), 11),
        (Constraint::Fill(2), 18),
        (Constraint::Length(16), 16),
        (Constraint::Length(7), 7),
        (Constraint::Fill(3), 20),
        (Constraint::Length(12), 12),
        (Constraint::Length(12), 12),
        (Constraint::Length(10), 10),
    ];
    let title = match &model.batch {
        Some(b) => format!(
            "Referrals — {} {}/{}{}",
            b.what,
            b.done + b.failed,
            b.ids.len(),
            if b.failed > 0 {
                format!(", {} failed", b.failed)
            } else {
                String::new()
            }
        ),
        None if !model.marked.is_empty() => format!("Referrals — {} marked", model.marked.len()),
        None => "Referrals".to_string(),
    };
    let spec = Spec {
        title: &title,
        list: ListId::Referrals,
        widths: &widths,
        drop_order: &[6, 2, 3, 5],
        focused: true,
        empty: "No AWS referrals received.",
    };
    draw(
        model,
        theme,
        frame,
        area,
        &model.referrals,
        spec,
        |r: &Referral| {
            let pending = r.status.as_deref() == Some("PENDING");
            let mark = if model.marked.contains(&r.id) {
                "● "
            } else {
                ""
            };
            let (left, style) = match (pending, r.expires) {
                (true, Some(e)) => {
                    let remaining = e - model.now;
                    let style = if remaining < 24 * 3_600_000 {
                        theme.bad()
                    } else if remaining < 72 * 3_600_000 {
                        theme.warn()
                    } else {
                        theme.base()
                    };
                    (format::time_left(model.now, e), style)
                }
                _ => ("—".to_string(), theme.dim()),
            };
            let customer = match (&r.customer, &r.duplicate_of) {
                (Some(c), Some(_)) => Cell::from(format!("⚠ {c}")).style(theme.warn()),
                (Some(c), None) => Cell::from(c.clone()),
                (None, _) if pending => Cell::from("…").style(theme.dim()),
                (None, _) => Cell::from(String::new()),
            };
            let status = match model.pending.get(&r.id) {
                Some(what) => Cell::from(format!("⟳ {what}")).style(theme.warn()),
                None => Cell::from(opt(&r.status)).style(match r.status.as_deref() {
                    Some("ACCEPTED") => theme.ok(),
                    Some("PENDING") => theme.base(),
                    _ => theme.dim(),
                }),
            };
            let kind = if r.payload_type.as_deref() == Some("LeadInvitation") {
                "lead: "
            } else {
                ""
            };
            vec![
                Cell::from(format!("{mark}{left}")).style(style),
                customer,
                Cell::from(opt(&r.industry)),
                Cell::from(opt(&r.country)),
                Cell::from(format!(
                    "{kind}{}",
                    r.project.clone().or(r.title.clone()).unwrap_or_default()
                )),
                Cell::from(
                    r.monthly_spend
                        .as_ref()
                        .map(Money::short)
                        .unwrap_or_default(),
                ),
                Cell::from(opt(&r.sender_company)),
                status,
            ]
        },
    );
}

pub fn solutions(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    let widths = [
        (Constraint::Length(10), 10),
        (Constraint::Fill(3), 20),
        (Constraint::Length(22), 22),
        (Constraint::Length(9), 9),
        (Constraint::Length(10), 10),
        (Constraint::Length(11), 11),
    ];
    let spec = Spec {
        title: "Solutions",
        list: ListId::Solutions,
        widths: &widths,
        drop_order: &[5, 4, 2],
        focused: true,
        empty: "No solutions registered in this catalog.",
    };
    draw(
        model,
        theme,
        frame,
        area,
        &model.solutions,
        spec,
        |s: &Solution| {
            let status_style = match s.status.as_str() {
                "Active" => theme.ok(),
                "Draft" => theme.warn(),
                _ => theme.dim(),
            };
            vec![
                Cell::from(s.id.clone()),
                Cell::from(s.name.clone()),
                Cell::from(s.category.clone()),
                Cell::from(s.status.clone()).style(status_style),
                Cell::from(s.created.map(format::date).unwrap_or_default()),
                Cell::from(if s.marketplace_arn.is_some() {
                    "listed"
                } else {
                    "—"
                }),
            ]
        },
    );
}

pub fn connections(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect, focused: bool) {
    let widths = [
        (Constraint::Fill(2), 18),
        (Constraint::Length(13), 13),
        (Constraint::Fill(3), 20),
        (Constraint::Length(10), 10),
    ];
    let spec = Spec {
        title: "Connections",
        list: ListId::Connections,
        widths: &widths,
        drop_order: &[3, 1],
        focused,
        empty: "No partner connections yet.",
    };
    draw(
        model,
        theme,
        frame,
        area,
        &model.connections,
        spec,
        |c: &Connection| {
            let types = c
                .types
                .iter()
                .map(|t| {
                    format!(
                        "{} {}",
                        t.connection_type.to_lowercase().replace('_', " "),
                        t.status.to_lowercase()
                    )
                })
                .collect::<Vec<_>>()
                .join(", ");
            vec![
                Cell::from(opt(&c.other_name)),
                Cell::from(c.other_account.clone()),
                Cell::from(types),
                Cell::from(c.updated.map(format::date).unwrap_or_default()),
            ]
        },
    );
}

pub fn invitations(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect, focused: bool) {
    let widths = [
        (Constraint::Length(9), 9),
        (Constraint::Length(14), 14),
        (Constraint::Fill(2), 12),
        (Constraint::Length(9), 9),
        (Constraint::Length(10), 10),
        (Constraint::Length(10), 10),
    ];
    let spec = Spec {
        title: "Connection invitations (w switches)",
        list: ListId::Invitations,
        widths: &widths,
        drop_order: &[5, 2, 4],
        focused,
        empty: "No connection invitations.",
    };
    draw(
        model,
        theme,
        frame,
        area,
        &model.invitations,
        spec,
        |i: &ConnectionInvitation| {
            let status_style = match i.status.as_str() {
                "PENDING" => theme.warn(),
                "ACCEPTED" => theme.ok(),
                _ => theme.dim(),
            };
            vec![
                Cell::from(if i.direction == "SENDER" {
                    "sent"
                } else {
                    "received"
                }),
                Cell::from(i.other.clone()),
                Cell::from(i.connection_type.to_lowercase().replace('_', " ")),
                Cell::from(i.status.clone()).style(status_style),
                Cell::from(i.expires.map(format::date).unwrap_or_default()),
                Cell::from(i.created.map(format::date).unwrap_or_default()),
            ]
        },
    );
}
