//! An opportunity in full: the row's summary at once, the full record and AWS's view as they
//! arrive.

use ratatui::text::{Line, Span};

use super::{contact_text, field, heading, loading_state};
use crate::app::{Loadable, Model};
use crate::ui::Theme;
use cosell_core::partner::types::*;
use cosell_core::times as format;

pub fn lines<'a>(
    model: &Model,
    theme: &Theme,
    o: &'a OpportunitySummary,
    lines: &mut Vec<Line<'a>>,
) {
    summary(theme, o, lines);
    let full = model.opportunities.details.get(&o.id);
    if let Some(line) = loading_state(theme, "the full opportunity", full) {
        lines.push(line);
    } else if let Some(Loadable::Ready(full)) = full {
        full_record(model, theme, full, lines);
    }
    lines.push(heading(theme, "AWS view"));
    let aws = model.opportunities.aws_views.get(&o.id);
    if let Some(line) = loading_state(theme, "AWS's view", aws) {
        lines.push(line);
    } else if let Some(Loadable::Ready(v)) = aws {
        aws_view(theme, v, lines);
    }
    if let Some(state) = model.opportunities.funding.get(&o.id) {
        lines.push(heading(theme, "Benefits"));
        if let Some(line) = loading_state(theme, "its benefit applications", Some(state)) {
            lines.push(line);
        } else if let Loadable::Ready(applications) = state {
            if applications.is_empty() {
                lines.push(Line::styled(
                    "No benefit applied for yet: B applies for one.",
                    theme.dim(),
                ));
            }
            for a in applications {
                lines.push(field(
                    theme,
                    "Applied",
                    format!(
                        "{}: {}{} ({})",
                        a.name.as_deref().unwrap_or(&a.id),
                        a.status,
                        a.requested
                            .as_deref()
                            .map(|r| format!(", USD {r} asked"))
                            .unwrap_or_default(),
                        a.id
                    ),
                ));
            }
        }
    }
    if let Some(state) = model.opportunities.engagements.get(&o.id) {
        lines.push(heading(theme, "Engagement"));
        if let Some(line) = loading_state(theme, "its engagement", Some(state)) {
            lines.push(line);
        } else if let Loadable::Ready(e) = state {
            engagement(theme, e.as_deref(), lines);
        }
    }
}

/// The engagement the opportunity belongs to: its members, what it holds, the snapshots shared
/// in it, what was sent to it.
fn engagement<'a>(theme: &Theme, e: Option<&Engagement>, lines: &mut Vec<Line<'a>>) {
    let Some(e) = e else {
        lines.push(Line::styled(
            "Not in an engagement yet: submitting it to AWS (S) makes one.",
            theme.dim(),
        ));
        return;
    };
    lines.push(field(
        theme,
        "Id",
        format!("{}  {}", e.id, e.title.as_deref().unwrap_or("")),
    ));
    for m in &e.members {
        lines.push(field(
            theme,
            "Member",
            format!(
                "{} ({})",
                m.company.as_deref().unwrap_or("?"),
                m.account_id.as_deref().unwrap_or("?")
            ),
        ));
    }
    for c in &e.contexts {
        let what = match (&c.lead, &c.project_title) {
            (Some(l), _) => format!(
                "lead: {}{}{}",
                l.company,
                l.readiness
                    .as_deref()
                    .map(|r| format!(", readiness {r}"))
                    .unwrap_or_default(),
                l.qualification
                    .as_deref()
                    .map(|q| format!(", {q}"))
                    .unwrap_or_default()
            ),
            (None, Some(t)) => format!("customer project: {t}"),
            (None, None) => c.kind.clone(),
        };
        lines.push(field(theme, "Context", what));
    }
    if e.opportunities.len() > 1 {
        lines.push(field(theme, "Opportunities", e.opportunities.join(", ")));
    }
    for (template, revision) in &e.snapshots {
        lines.push(field(
            theme,
            "Snapshot",
            format!("{template}, revision {revision}"),
        ));
    }
    for r in &e.sent {
        let to = r.receiver.clone().unwrap_or_else(|| "AWS".into());
        lines.push(field(
            theme,
            "Invited",
            format!(
                "{to}: {} ({})",
                r.status.as_ref().map_or("?", InvitationStatus::as_str),
                r.id
            ),
        ));
    }
}

fn summary<'a>(theme: &Theme, o: &'a OpportunitySummary, lines: &mut Vec<Line<'a>>) {
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
            o.stage.as_ref().map_or("—", Stage::as_str),
            o.review_status.as_ref().map_or("—", ReviewStatus::as_str)
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
}

fn full_record<'a>(model: &Model, theme: &Theme, full: &Opportunity, lines: &mut Vec<Line<'a>>) {
    if let Some(t) = &full.title {
        lines.push(field(theme, "Title", t.clone()));
    }
    let place = [
        full.summary.industry.as_deref(),
        full.city.as_deref(),
        full.state_or_region.as_deref(),
        full.summary.country.as_deref(),
        full.summary.website.as_deref(),
    ];
    lines.push(field(
        theme,
        "Customer",
        place.into_iter().flatten().collect::<Vec<_>>().join(", "),
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
    // Linked solutions and AWS products by name (the Solutions list and the product list have
    // them), Marketplace entities by ARN.
    let solution_name = |id: &String| {
        model
            .solutions
            .table
            .rows
            .iter()
            .find(|s| &s.id == id)
            .map_or_else(|| id.clone(), |s| format!("{} {}", s.id, s.name))
    };
    let linked: Vec<String> = full
        .solutions
        .iter()
        .map(solution_name)
        .chain(full.aws_products.iter().map(|id| {
            let name = crate::app::features::opportunities::products::name_of(id);
            if name == *id {
                id.clone()
            } else {
                format!("{name} ({id})")
            }
        }))
        .chain(full.marketplace_entities.iter().cloned())
        .collect();
    if linked.is_empty() {
        lines.push(field(theme, "Linked", "nothing yet"));
    }
    for entity in linked {
        lines.push(field(theme, "Linked", entity));
    }
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

fn aws_view<'a>(theme: &Theme, v: &AwsView, lines: &mut Vec<Line<'a>>) {
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
