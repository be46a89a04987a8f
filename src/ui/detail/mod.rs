//! The detail pane for the selected row: the full record, fetched lazily and cached by its
//! feature. One file per kind of record.

mod connection;
mod funding;
mod opportunity;
mod referral;
mod solution;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState, Wrap};

use super::Theme;
use crate::app::{ListId, Loadable, Model};
use cosell_core::partner::types::Contact;

/// Draws the selected record's detail, scrolled as the model says; answers how many lines the
/// content overflows the pane by. Arrows in the border say there is more above or below, and a
/// scroll bar shows where the view is.
pub fn draw(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) -> u16 {
    let mut lines: Vec<Line> = Vec::new();
    let title = match model.focused_list() {
        ListId::Opportunities => {
            if let Some(o) = model.opportunities.table.selected_row() {
                opportunity::lines(model, theme, o, &mut lines);
            }
            "Opportunity"
        }
        ListId::Referrals => {
            if let Some(r) = model.referrals.table.selected_row() {
                referral::lines(model, theme, r, &mut lines);
            }
            "Referral"
        }
        ListId::Solutions => {
            if let Some(s) = model.solutions.table.selected_row() {
                solution::lines(model, theme, s, &mut lines);
            }
            "Solution"
        }
        ListId::Connections => {
            if let Some(c) = model.connections.connections.selected_row() {
                connection::connection_lines(model, theme, c, &mut lines);
            }
            "Connection"
        }
        ListId::Invitations => {
            if let Some(i) = model.connections.invitations.selected_row() {
                connection::invitation_lines(model, theme, i, &mut lines);
            }
            "Connection invitation"
        }
        ListId::Benefits => {
            if let Some(b) = model.benefits.benefits.selected_row() {
                funding::benefit_lines(theme, b, &mut lines);
            }
            "Benefit"
        }
        ListId::Applications => {
            if let Some(a) = model.benefits.applications.selected_row() {
                funding::application_lines(model, theme, a, &mut lines);
            }
            "Benefit application"
        }
        ListId::Allocations => {
            if let Some(x) = model.benefits.allocations.selected_row() {
                funding::allocation_lines(model, theme, x, &mut lines);
            }
            "Benefit allocation"
        }
        ListId::ProgramAccounts => {
            if let Some(a) = model.channel.accounts.selected_row() {
                funding::account_lines(model, theme, a, &mut lines);
            }
            "Program management account"
        }
        ListId::Relationships => {
            if let Some(r) = model.channel.relationships.selected_row() {
                funding::relationship_lines(model, theme, r, &mut lines);
            }
            "Channel relationship"
        }
        ListId::Handshakes => {
            if let Some(h) = model.channel.handshakes.selected_row() {
                funding::handshake_lines(theme, h, &mut lines);
            }
            "Channel handshake"
        }
    };
    if lines.is_empty() {
        lines.push(Line::styled("Nothing selected.", theme.dim()));
    }
    let paragraph = Paragraph::new(lines).wrap(Wrap { trim: false });
    let inner = area.inner(ratatui::layout::Margin::new(1, 1));
    let total = paragraph.line_count(inner.width) as u16;
    let overflow = total.saturating_sub(inner.height);
    let scroll = model.detail_offset().min(overflow);
    let mut block = Block::bordered()
        .title(Span::styled(
            format!(" {title} (esc closes) "),
            theme.title(),
        ))
        .border_style(theme.focus_border());
    if scroll > 0 {
        block = block.title(
            Line::styled(" ↑ more · ctrl-u ", theme.key())
                .alignment(ratatui::layout::Alignment::Right),
        );
    }
    if scroll < overflow {
        block = block.title_bottom(
            Line::styled(
                format!(" ↓ {} more lines · ctrl-d ", overflow - scroll),
                theme.key(),
            )
            .alignment(ratatui::layout::Alignment::Right),
        );
    }
    frame.render_widget(paragraph.scroll((scroll, 0)).block(block), area);
    if overflow > 0 {
        let mut state = ScrollbarState::new(overflow as usize).position(scroll as usize);
        frame.render_stateful_widget(
            Scrollbar::new(ScrollbarOrientation::VerticalRight)
                .begin_symbol(None)
                .end_symbol(None),
            area.inner(ratatui::layout::Margin::new(0, 1)),
            &mut state,
        );
    }
    overflow
}

fn field<'a>(theme: &Theme, label: &'a str, value: impl Into<String>) -> Line<'a> {
    Line::from(vec![
        Span::styled(format!("{label}: "), theme.dim()),
        Span::raw(value.into()),
    ])
}

fn heading<'a>(theme: &Theme, text: &'a str) -> Line<'a> {
    Line::styled(format!("── {text} "), theme.title())
}

/// A line saying the record is still loading or could not be read; None once it is here.
fn loading_state<'a, T>(
    theme: &Theme,
    what: &str,
    state: Option<&Loadable<T>>,
) -> Option<Line<'a>> {
    match state {
        None | Some(Loadable::Loading(_)) => {
            Some(Line::styled(format!("Loading {what}…"), theme.dim()))
        }
        Some(Loadable::Failed(e)) => Some(Line::styled(
            format!("{what} unavailable: {e}"),
            theme.bad(),
        )),
        Some(Loadable::Ready(_)) => None,
    }
}

fn contact_text(c: &Contact) -> String {
    let mut s = c.name();
    if let Some(t) = &c.title {
        s.push_str(&format!(", {t}"));
    }
    if let Some(e) = &c.email
        && Some(e) != Some(&s)
    {
        s.push_str(&format!(" <{e}>"));
    }
    s
}
