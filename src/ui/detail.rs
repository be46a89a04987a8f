//! The detail pane for the selected row: the full record, fetched lazily and cached.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::Theme;
use crate::app::{Detail, DetailKey, ListId, Loadable, Model};
use cosell_core::partner::types::*;
use cosell_core::times as format;

pub fn draw(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    let mut lines: Vec<Line> = Vec::new();
    let title = match model.focused_list() {
        ListId::Opportunities => {
            if let Some(o) = model.opportunities.selected_row() {
                opportunity(model, theme, o, &mut lines);
            }
            "Opportunity"
        }
        ListId::Referrals => {
            if let Some(r) = model.referrals.selected_row() {
                referral(model, theme, r, &mut lines);
            }
            "Referral"
        }
        ListId::Solutions => {
            if let Some(s) = model.solutions.selected_row() {
                solution(model, theme, s, &mut lines);
            }
            "Solution"
        }
        ListId::Connections => {
            if let Some(c) = model.connections.selected_row() {
                connection(model, theme, c, &mut lines);
            }
            "Connection"
        }
        ListId::Invitations => {
            if let Some(i) = model.invitations.selected_row() {
                invitation(model, theme, i, &mut lines);
            }
            "Connection invitation"
        }
    };
    if lines.is_empty() {
        lines.push(Line::styled("Nothing selected.", theme.dim()));
    }
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::bordered()
                .title(Span::styled(
                    format!(" {title} (esc closes) "),
                    theme.title(),
                ))
                .border_style(theme.focus_border()),
        ),
        area,
    );
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

fn opportunity<'a>(
    model: &Model,
    theme: &Theme,
    o: &'a OpportunitySummary,
    lines: &mut Vec<Line<'a>>,
) {
    lines.push(Line::from(vec![
        Span::styled(o.id.clone(), theme.key()),
        Span::raw("  "),
        Span::styled(o.customer.clone(), theme.title()),
    ]));
    lines.push(field(
        theme,
        "Stage",
        format!(
            "{}   Review: {}",
            o.stage.as_deref().unwrap_or("—"),
            o.review_status.as_deref().unwrap_or("—")
        ),
    ));
    if let Some(reason) = &o.closed_lost_reason {
        lines.push(field(theme, "Closed lost because", reason.clone()));
    }
    if o.review_comments.is_some() || o.review_reason.is_some() {
        lines.push(Line::styled(
            format!(
                "AWS review: {} {}",
                o.review_reason.as_deref().unwrap_or(""),
                o.review_comments.as_deref().unwrap_or("")
            ),
            theme.warn(),
        ));
    }
    lines.push(field(
        theme,
        "Spend",
        format!(
            "{} per month   Close: {}",
            o.monthly_spend
                .as_ref()
                .map(Money::short)
                .unwrap_or_else(|| "—".into()),
            o.target_close.as_deref().unwrap_or("—")
        ),
    ));
    let full = model.detail(&DetailKey::Opportunity(o.id.clone()));
    if let Some(line) = loading_state(theme, "the full opportunity", full) {
        lines.push(line);
    } else if let Some(Loadable::Ready(Detail::Opportunity(full))) = full {
        if let Some(t) = &full.title {
            lines.push(field(theme, "Title", t.clone()));
        }
        lines.push(field(
            theme,
            "Customer",
            [
                full.summary.industry.clone(),
                full.city.clone(),
                full.state_or_region.clone(),
                full.summary.country.clone(),
                full.summary.website.clone(),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", "),
        ));
        if let Some(p) = &full.business_problem {
            lines.push(field(theme, "Problem", p.clone()));
        }
        if !full.primary_needs.is_empty() {
            lines.push(field(
                theme,
                "Needs from AWS",
                full.primary_needs.join(", "),
            ));
        }
        if let Some(owner) = full.owner() {
            lines.push(field(theme, "Owner", contact_text(owner)));
        }
        for c in &full.customer_contacts {
            lines.push(field(theme, "Customer contact", contact_text(c)));
        }
        let linked: Vec<String> = full
            .solutions
            .iter()
            .chain(full.aws_products.iter())
            .chain(full.marketplace_entities.iter())
            .cloned()
            .collect();
        lines.push(field(
            theme,
            "Linked",
            if linked.is_empty() {
                "nothing yet".to_string()
            } else {
                linked.join(", ")
            },
        ));
        if let Some(steps) = &full.summary.next_steps {
            lines.push(field(theme, "Next steps", steps.clone()));
        }
        for step in full.next_steps_history.iter().rev().take(5) {
            lines.push(Line::styled(
                format!(
                    "  {}  {}",
                    step.time.map(format::date).unwrap_or_default(),
                    step.value
                ),
                theme.dim(),
            ));
        }
    }
    lines.push(heading(theme, "AWS view"));
    let aws = model.detail(&DetailKey::AwsView(o.id.clone()));
    if let Some(line) = loading_state(theme, "AWS's view", aws) {
        lines.push(line);
    } else if let Some(Loadable::Ready(Detail::AwsView(v))) = aws {
        lines.push(field(
            theme,
            "AWS stage",
            format!(
                "{}   Engagement score: {}",
                v.stage.as_deref().unwrap_or("—"),
                v.engagement_score.as_deref().unwrap_or("—")
            ),
        ));
        lines.push(field(
            theme,
            "Origin",
            format!(
                "{}   Involvement: {} ({})",
                v.origin.as_deref().unwrap_or("—"),
                v.involvement.as_deref().unwrap_or("not submitted"),
                v.visibility.as_deref().unwrap_or("—")
            ),
        ));
        if let Some(n) = &v.next_best_actions {
            lines.push(field(theme, "Next best action", n.clone()));
        }
        for member in &v.team {
            lines.push(field(theme, "AWS team", contact_text(member)));
        }
    }
}

fn referral<'a>(model: &Model, theme: &Theme, r: &'a Referral, lines: &mut Vec<Line<'a>>) {
    lines.push(Line::from(vec![
        Span::styled(r.id.clone(), theme.key()),
        Span::raw("  "),
        Span::styled(r.title.clone().unwrap_or_default(), theme.title()),
    ]));
    let left = match (r.status.as_deref(), r.expires) {
        (Some("PENDING"), Some(e)) => format!(
            "{} left (expires {})",
            format::time_left(model.now, e),
            format::date_time(e)
        ),
        (_, Some(e)) => format!("expires {}", format::date_time(e)),
        _ => "—".into(),
    };
    lines.push(field(
        theme,
        "Status",
        format!("{}   {left}", r.status.as_deref().unwrap_or("—")),
    ));
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
    if let Some(opportunity) = model.accepted.get(&r.id) {
        lines.push(Line::styled(
            format!("Accepted: now opportunity {opportunity} (press J to jump to it)"),
            theme.ok(),
        ));
    }
    let detail = model.detail(&DetailKey::Referral(r.id.clone()));
    if let Some(line) = loading_state(theme, "the referral", detail) {
        lines.push(line);
        return;
    }
    if let Some(Loadable::Ready(Detail::Referral(d))) = detail {
        lines.push(field(
            theme,
            "Customer",
            [
                d.customer.clone(),
                d.industry.clone(),
                d.country.clone(),
                d.website.clone(),
            ]
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
}

fn solution<'a>(model: &Model, theme: &Theme, s: &'a Solution, lines: &mut Vec<Line<'a>>) {
    lines.push(Line::from(vec![
        Span::styled(s.id.clone(), theme.key()),
        Span::raw("  "),
        Span::styled(s.name.clone(), theme.title()),
    ]));
    lines.push(field(theme, "Category", s.category.clone()));
    lines.push(field(theme, "Status", s.status.clone()));
    lines.push(field(
        theme,
        "Created",
        s.created.map(format::date).unwrap_or_default(),
    ));
    if let Some(arn) = &s.marketplace_arn {
        lines.push(field(theme, "Marketplace", arn.clone()));
    }
    if let Some(arn) = &s.arn {
        lines.push(field(theme, "ARN", arn.clone()));
    }
    // Which opportunities link it, among the full records fetched this session.
    let linked: Vec<String> = model
        .details
        .values()
        .filter_map(|d| match d {
            Loadable::Ready(Detail::Opportunity(o)) if o.solutions.contains(&s.id) => {
                Some(format!("{} {}", o.summary.id, o.summary.customer))
            }
            _ => None,
        })
        .collect();
    if !linked.is_empty() {
        lines.push(field(theme, "Linked from", linked.join(", ")));
    }
}

fn connection<'a>(model: &Model, theme: &Theme, c: &'a Connection, lines: &mut Vec<Line<'a>>) {
    lines.push(Line::from(vec![
        Span::styled(c.id.clone(), theme.key()),
        Span::raw("  "),
        Span::styled(c.other_name.clone().unwrap_or_default(), theme.title()),
    ]));
    lines.push(field(theme, "Account", c.other_account.clone()));
    let full = model.detail(&DetailKey::Connection(c.id.clone()));
    if let Some(line) = loading_state(theme, "the connection", full) {
        lines.push(line);
    }
    let types = match full {
        Some(Loadable::Ready(Detail::Connection(full))) => &full.types,
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

fn invitation<'a>(
    model: &Model,
    theme: &Theme,
    i: &'a ConnectionInvitation,
    lines: &mut Vec<Line<'a>>,
) {
    lines.push(Line::from(vec![
        Span::styled(i.id.clone(), theme.key()),
        Span::raw("  "),
        Span::styled(
            format!(
                "{} {}",
                if i.direction == "SENDER" {
                    "sent to"
                } else {
                    "received from"
                },
                i.other
            ),
            theme.title(),
        ),
    ]));
    lines.push(field(theme, "Type", i.connection_type.clone()));
    lines.push(field(theme, "Status", i.status.clone()));
    if let Some(e) = i.expires {
        lines.push(field(theme, "Expires", format::date_time(e)));
    }
    let full = model.detail(&DetailKey::Invitation(i.id.clone()));
    if let Some(line) = loading_state(theme, "the invitation", full) {
        lines.push(line);
    } else if let Some(Loadable::Ready(Detail::Invitation(full))) = full {
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
