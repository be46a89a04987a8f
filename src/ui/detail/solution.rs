//! A solution, and the opportunities known to link it.

use ratatui::text::{Line, Span};

use super::field;
use crate::app::{Loadable, Model};
use crate::ui::Theme;
use cosell_core::partner::types::*;
use cosell_core::times as format;

pub fn lines<'a>(model: &Model, theme: &Theme, s: &'a Solution, lines: &mut Vec<Line<'a>>) {
    lines.push(Line::from(vec![
        Span::styled(s.id.clone(), theme.key()),
        Span::raw("  "),
        Span::styled(s.name.clone(), theme.title()),
    ]));
    lines.push(field(theme, "Category", s.category.clone()));
    lines.push(field(theme, "Status", s.status.to_string()));
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
    // Which opportunities link it, among the full records read this session.
    let linked: Vec<String> = model
        .opportunities
        .details
        .values()
        .filter_map(|d| match d {
            Loadable::Ready(o) if o.solutions.contains(&s.id) => {
                Some(format!("{} {}", o.summary.id, o.summary.customer))
            }
            _ => None,
        })
        .collect();
    if !linked.is_empty() {
        lines.push(field(theme, "Linked from", linked.join(", ")));
    }
}
