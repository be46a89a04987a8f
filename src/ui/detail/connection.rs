//! A partner connection or a connection invitation.

use ratatui::text::{Line, Span};

use super::{field, loading_state};
use crate::app::{Loadable, Model};
use crate::ui::Theme;
use cosell_core::partner::types::*;
use cosell_core::times as format;

pub fn connection_lines<'a>(
    model: &Model,
    theme: &Theme,
    c: &'a Connection,
    lines: &mut Vec<Line<'a>>,
) {
    lines.push(Line::from(vec![
        Span::styled(c.id.clone(), theme.key()),
        Span::raw("  "),
        Span::styled(c.other_name.clone().unwrap_or_default(), theme.title()),
    ]));
    lines.push(field(theme, "Account", c.other_account.clone()));
    let full = model.connections.connection_details.get(&c.id);
    if let Some(line) = loading_state(theme, "the connection", full) {
        lines.push(line);
    }
    let types = match full {
        Some(Loadable::Ready(full)) => &full.types,
        _ => &c.types,
    };
    for t in types {
        let mut text = format!("{}: {}", t.connection_type, t.status);
        if let Some(at) = t.created {
            text.push_str(&format!(" since {}", format::date(at)));
        }
        if let Some(at) = t.canceled {
            text.push_str(&format!(", canceled {}", format::date(at)));
        }
        if let Some(by) = &t.inviter {
            text.push_str(&format!(", invited by {by}"));
        }
        lines.push(Line::raw(text));
    }
}

pub fn invitation_lines<'a>(
    model: &Model,
    theme: &Theme,
    i: &'a ConnectionInvitation,
    lines: &mut Vec<Line<'a>>,
) {
    let direction = if i.direction == ParticipantType::Sender {
        "sent to"
    } else {
        "received from"
    };
    lines.push(Line::from(vec![
        Span::styled(i.id.clone(), theme.key()),
        Span::raw("  "),
        Span::styled(format!("{direction} {}", i.other), theme.title()),
    ]));
    lines.push(field(theme, "Type", i.connection_type.to_string()));
    lines.push(field(theme, "Status", i.status.to_string()));
    if let Some(e) = i.expires {
        lines.push(field(theme, "Expires", format::date_time(e)));
    }
    let full = model.connections.invitation_details.get(&i.id);
    if let Some(line) = loading_state(theme, "the invitation", full) {
        lines.push(line);
    } else if let Some(Loadable::Ready(full)) = full {
        lines.push(field(
            theme,
            "From",
            format!(
                "{} <{}>",
                full.inviter_name.as_deref().unwrap_or("—"),
                full.inviter_email.as_deref().unwrap_or("—")
            ),
        ));
        if let Some(m) = &full.message {
            lines.push(field(theme, "Message", m.clone()));
        }
    }
}
