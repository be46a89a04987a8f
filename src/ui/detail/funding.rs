//! Benefits, benefit applications and allocations; channel program accounts, relationships
//! and handshakes.

use ratatui::text::{Line, Span};

use super::{field, heading, loading_state};
use crate::app::features::benefits::columns::opportunity_of;
use crate::app::features::channel::columns::words;
use crate::app::{Loadable, Model};
use crate::ui::Theme;
use cosell_core::partner::types::*;
use cosell_core::times as format;

fn title_line<'a>(theme: &Theme, id: &str, title: &str) -> Line<'a> {
    Line::from(vec![
        Span::styled(id.to_string(), theme.key()),
        Span::raw("  "),
        Span::styled(title.to_string(), theme.title()),
    ])
}

pub fn benefit_lines<'a>(theme: &Theme, b: &'a Benefit, lines: &mut Vec<Line<'a>>) {
    lines.push(title_line(theme, &b.id, &b.name));
    lines.push(field(theme, "Status", b.status.clone()));
    lines.push(field(theme, "Programs", b.programs.join(", ")));
    lines.push(field(theme, "Fulfilled as", b.fulfillment.join(", ")));
    if let Some(d) = &b.description {
        lines.push(Line::raw(""));
        lines.push(Line::raw(d.clone()));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        "n applies for it (B on an opportunity applies for it there).",
        theme.dim(),
    ));
}

pub fn application_lines<'a>(
    model: &Model,
    theme: &Theme,
    listed: &'a BenefitApplication,
    lines: &mut Vec<Line<'a>>,
) {
    let state = model.benefits.application_details.get(&listed.id);
    let a = match state {
        Some(Loadable::Ready(full)) => full,
        _ => listed,
    };
    lines.push(title_line(
        theme,
        &a.id,
        a.name.as_deref().unwrap_or("(unnamed)"),
    ));
    let status = match &a.stage {
        Some(stage) => format!("{} · {stage}", a.status),
        None => a.status.clone(),
    };
    lines.push(field(theme, "Status", status));
    if let Some(reason) = &a.status_reason {
        lines.push(Line::styled(reason.clone(), theme.warn()));
    }
    if let Some(benefit) = &a.benefit_id {
        let name = model.benefits.benefit_name(benefit).unwrap_or("");
        lines.push(field(theme, "Benefit", format!("{benefit} {name}")));
    }
    lines.push(field(theme, "Programs", a.programs.join(", ")));
    if let Some(r) = &a.requested {
        lines.push(field(theme, "Requested", format!("USD {r}")));
    }
    for resource in &a.resources {
        let id = opportunity_of(resource);
        let customer = model
            .opportunities
            .row(id)
            .map(|o| format!(" {}", o.customer))
            .unwrap_or_default();
        lines.push(field(theme, "For", format!("{id}{customer}")));
    }
    if let Some(at) = a.updated {
        lines.push(field(theme, "Updated", format::date(at)));
    }
    if let Some(line) = loading_state(theme, "the whole application", state) {
        lines.push(line);
    }
    if let Some(d) = &a.description {
        lines.push(Line::raw(""));
        lines.push(Line::raw(d.clone()));
    }
    let other: Vec<&(String, String)> = a
        .details
        .iter()
        .filter(|(k, _)| k != "RequestedAmount")
        .collect();
    if !other.is_empty() {
        lines.push(heading(theme, "Details"));
        for (k, v) in other {
            lines.push(Line::from(vec![
                Span::styled(format!("{k}: "), theme.dim()),
                Span::raw(v.clone()),
            ]));
        }
    }
    let allocations: Vec<&BenefitAllocation> = model
        .benefits
        .allocations
        .rows
        .iter()
        .filter(|x| x.application_id.as_deref() == Some(a.id.as_str()))
        .collect();
    if !allocations.is_empty() {
        lines.push(heading(theme, "Allocations"));
        for x in allocations {
            lines.push(Line::raw(allocation_text(x)));
        }
    }
    if let Some(revision) = &a.revision {
        lines.push(field(theme, "Revision", revision.clone()));
    }
}

fn allocation_text(x: &BenefitAllocation) -> String {
    format!(
        "{} {}: {}{}",
        x.id,
        x.status.to_lowercase(),
        x.amount.as_deref().unwrap_or("no amount stated"),
        x.expires
            .map(|at| format!(", expires {}", format::date(at)))
            .unwrap_or_default()
    )
}

pub fn allocation_lines<'a>(
    model: &Model,
    theme: &Theme,
    x: &'a BenefitAllocation,
    lines: &mut Vec<Line<'a>>,
) {
    lines.push(title_line(theme, &x.id, x.name.as_deref().unwrap_or("")));
    lines.push(field(theme, "Status", x.status.clone()));
    lines.push(field(theme, "Fulfilled as", x.fulfillment.join(", ")));
    if let Some(amount) = &x.amount {
        lines.push(field(theme, "Amount", amount.clone()));
    }
    if let Some(at) = x.starts {
        lines.push(field(theme, "Starts", format::date(at)));
    }
    if let Some(at) = x.expires {
        lines.push(field(theme, "Expires", format::date(at)));
    }
    if let Some(benefit) = &x.benefit_id {
        let name = model.benefits.benefit_name(benefit).unwrap_or("");
        lines.push(field(theme, "Benefit", format!("{benefit} {name}")));
    }
    if let Some(application) = &x.application_id {
        lines.push(field(theme, "Application", application.clone()));
    }
}

pub fn account_lines<'a>(
    model: &Model,
    theme: &Theme,
    a: &'a ProgramAccount,
    lines: &mut Vec<Line<'a>>,
) {
    lines.push(title_line(theme, &a.id, &a.name));
    lines.push(field(theme, "Program", words(&a.program)));
    lines.push(field(theme, "AWS account", a.account_id.clone()));
    lines.push(field(theme, "Status", a.status.clone()));
    let under: Vec<&ChannelRelationship> = model
        .channel
        .relationships
        .rows
        .iter()
        .filter(|r| r.program_account == a.id)
        .collect();
    lines.push(heading(theme, "Relationships"));
    if under.is_empty() {
        lines.push(Line::styled("None yet: n creates one.", theme.dim()));
    }
    for r in under {
        lines.push(Line::raw(format!(
            "{} {} ({}, {})",
            r.id,
            r.name,
            words(&r.kind),
            r.account_id
        )));
    }
}

pub fn relationship_lines<'a>(
    model: &Model,
    theme: &Theme,
    r: &'a ChannelRelationship,
    lines: &mut Vec<Line<'a>>,
) {
    lines.push(title_line(theme, &r.id, &r.name));
    lines.push(field(theme, "Type", words(&r.kind)));
    lines.push(field(theme, "AWS account", r.account_id.clone()));
    let account = model.channel.account_name(&r.program_account).unwrap_or("");
    lines.push(field(
        theme,
        "Program account",
        format!("{} {account}", r.program_account),
    ));
    if let Some(sector) = &r.sector {
        lines.push(field(theme, "Sector", words(sector)));
    }
    lines.push(field(
        theme,
        "Service period",
        r.start
            .map(|at| format!("since {}", format::date(at)))
            .unwrap_or_else(|| "not started (h sends a start service period handshake)".into()),
    ));
    let handshakes: Vec<&Handshake> = model
        .channel
        .handshakes
        .rows
        .iter()
        .filter(|h| h.resource.as_deref() == Some(r.id.as_str()))
        .collect();
    if !handshakes.is_empty() {
        lines.push(heading(theme, "Handshakes"));
        for h in handshakes {
            lines.push(Line::raw(format!(
                "{} {} {}",
                h.id,
                words(&h.kind),
                h.status.to_lowercase()
            )));
        }
    }
}

pub fn handshake_lines<'a>(theme: &Theme, h: &'a Handshake, lines: &mut Vec<Line<'a>>) {
    lines.push(title_line(theme, &h.id, &words(&h.kind)));
    lines.push(field(theme, "Status", h.status.clone()));
    if h.received {
        let from = match (&h.sender_name, &h.sender) {
            (Some(name), Some(id)) => format!("{name} ({id})"),
            (Some(name), None) => name.clone(),
            (None, Some(id)) => id.clone(),
            (None, None) => String::new(),
        };
        lines.push(field(theme, "From", from));
    } else {
        lines.push(field(theme, "To", h.receiver.clone().unwrap_or_default()));
    }
    if let Some(resource) = &h.resource {
        lines.push(field(theme, "For", resource.clone()));
    }
    if let Some(at) = h.updated {
        lines.push(field(theme, "Updated", format::date(at)));
    }
    if h.status == "PENDING" {
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            if h.received {
                "a accepts, x rejects."
            } else {
                "Waiting for the receiver; c cancels it."
            },
            theme.dim(),
        ));
    }
}
