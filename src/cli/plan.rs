//! What the rule-driven commands (`referrals accept`, `solutions link`) share: they show a plan
//! until `--yes`, cap one run, refuse in read-only or offline mode, and report per record.

use clap::Args;
use color_eyre::eyre::{Result, WrapErr, bail};

use super::headless::{Headless, Output};

#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// Act on at most this many in one run; the rest show as "next run".
    #[arg(long, default_value_t = 25)]
    pub max: usize,
    /// Send the changes. Without it, the command only shows what it would do.
    #[arg(long)]
    pub yes: bool,
    #[arg(long, value_enum, default_value = "table")]
    pub output: Output,
}

/// A rule's regular expression (`--title-matches` and the like), matched case-insensitively.
pub fn pattern(flag: &str, text: Option<&str>) -> Result<Option<regex::Regex>> {
    text.map(|p| {
        regex::RegexBuilder::new(p)
            .case_insensitive(true)
            .build()
            .wrap_err_with(|| format!("{flag} '{p}' is not a valid regular expression"))
    })
    .transpose()
}

/// Refuses `--yes` where no change may or can be made.
pub fn refuse_changes(h: &Headless, apply: &ApplyArgs, what: &str) -> Result<()> {
    if apply.yes && h.readonly {
        bail!(
            "read-only mode is on (--readonly or `readonly = true` in the config): nothing was {what}"
        );
    }
    if apply.yes && h.offline {
        bail!("this needs Partner Central: drop --offline");
    }
    Ok(())
}

/// What became of one record a command chose.
pub enum Step {
    /// Would be acted on with --yes.
    Planned,
    /// Chosen, but left alone: why.
    Held(String),
    /// Over the run's cap.
    Deferred,
    /// Done; what it produced, if anything (the opportunity an accept created).
    Done(Option<String>),
    Failed(String),
}

/// How a command names its planned and finished steps ("would accept", "accepted").
pub struct Verbs {
    pub planned: &'static str,
    pub done: &'static str,
}

impl Step {
    pub fn word(&self, verbs: &Verbs) -> &'static str {
        match self {
            Step::Planned => verbs.planned,
            Step::Held(_) => "held",
            Step::Deferred => "next run",
            Step::Done(_) => verbs.done,
            Step::Failed(_) => "failed",
        }
    }

    pub fn detail(&self) -> String {
        match self {
            Step::Held(why) | Step::Failed(why) => why.clone(),
            Step::Deferred => "over --max for this run".into(),
            Step::Done(Some(produced)) => produced.clone(),
            Step::Done(None) | Step::Planned => String::new(),
        }
    }
}

/// Plans `chosen` records: the first `max` acceptable ones are planned, the rest deferred.
/// Returns how many are planned.
pub fn cap(steps: &mut [Step], max: usize) -> usize {
    let mut planned = 0;
    for step in steps.iter_mut().filter(|s| matches!(s, Step::Planned)) {
        if planned < max {
            planned += 1;
        } else {
            *step = Step::Deferred;
        }
    }
    planned
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_defers_planned_steps_beyond_it_and_leaves_held_ones() {
        let mut steps = vec![
            Step::Planned,
            Step::Held("duplicate".into()),
            Step::Planned,
            Step::Planned,
        ];
        assert_eq!(cap(&mut steps, 2), 2);
        let verbs = Verbs {
            planned: "would do",
            done: "done",
        };
        let words: Vec<&str> = steps.iter().map(|s| s.word(&verbs)).collect();
        assert_eq!(words, ["would do", "held", "would do", "next run"]);
        assert_eq!(steps[3].detail(), "over --max for this run");
        assert_eq!(Step::Done(Some("O1".into())).detail(), "O1");
    }
}
