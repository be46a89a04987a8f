//! A referral in full: its clock and sender at once, its payload as it arrives.

use ratatui::text::{Line, Span};

use super::{contact_text, field, loading_state};
use crate::app::{Loadable, Model};
use crate::ui::Theme;
use cosell_core::partner::types::*;
use cosell_core::times as format;

pub fn lines<'a>(model: &Model, theme: &Theme, r: &'a Referral, lines: &mut Vec<Line<'a>>) {
    lines.push(Line::from(vec![
        Span::styled(r.id.clone(), theme.key()),
        Span::raw("  "),
        Span::styled(r.title.clone().unwrap_or_default(), theme.title()),
    ]));
    let now = model.shell.now;
    let left = match (&r.status, r.expires) {
        (Some(InvitationStatus::Pending), Some(e)) => format!(
            "{} left (expires {})",
            format::time_left(now, e),
            format::date_time(e)
        ),
        (_, Some(e)) => format!("expires {}", format::date_time(e)),
        _ => "—".into(),
    };
    let status = r.status.as_ref().map_or("—", InvitationStatus::as_str);
    lines.push(field(theme, "Status", format!("{status}   {left}")));
    lines.push(field(
        theme,
        "From",
        format!(
            "{} ({})",
            r.sender_company.as_deref().unwrap_or("—"),
            r.sender_account.as_deref().unwrap_or("—")
        ),
    ));
    if let Some(existing) = &r.duplicate_of {
        lines.push(Line::styled(
            format!("⚠ This customer is already in your pipeline as {existing}: the usual reason to reject as \"Duplicate of partner referral\"."),
            theme.warn(),
        ));
    }
    if let Some(opportunity) = model.referrals.accepted.get(&r.id) {
        lines.push(Line::styled(
            format!("Accepted: now opportunity {opportunity} (press J to jump to it)"),
            theme.ok(),
        ));
    }
    let detail = model.referrals.details.get(&r.id);
    if let Some(line) = loading_state(theme, "the referral", detail) {
        lines.push(line);
    } else if let Some(Loadable::Ready(d)) = detail {
        payload(theme, d, lines);
    }
}

fn payload<'a>(theme: &Theme, d: &ReferralDetail, lines: &mut Vec<Line<'a>>) {
    let customer = [
        d.customer.clone(),
        d.industry.clone(),
        d.country.clone(),
        d.website.clone(),
    ];
    lines.push(field(
        theme,
        "Customer",
        customer
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", "),
    ));
    if let Some(t) = &d.project_title {
        lines.push(field(theme, "Project", t.clone()));
    }
    if let Some(p) = &d.business_problem {
        lines.push(field(theme, "Problem", p.clone()));
    }
    lines.push(field(
        theme,
        "Spend",
        format!(
            "{} per month   Target: {}",
            d.monthly_spend
                .as_ref()
                .map(Money::short)
                .unwrap_or_else(|| "—".into()),
            d.target_date.as_deref().unwrap_or("—")
        ),
    ));
    if !d.responsibilities.is_empty() {
        lines.push(field(theme, "Your role", d.responsibilities.join(", ")));
    }
    for c in &d.sender_contacts {
        lines.push(field(theme, "AWS contact", contact_text(c)));
    }
    if let Some(m) = &d.message {
        lines.push(field(theme, "Message", m.clone()));
    }
    if !d.existing_members.is_empty() {
        lines.push(field(theme, "Members", d.existing_members.join(", ")));
    }
    if let Some(reason) = &d.rejection_reason {
        lines.push(field(theme, "Rejected because", reason.clone()));
    }
}
