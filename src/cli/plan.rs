//! What the rule-driven commands (`referrals accept`, `solutions link`) share: they show a plan
//! until `--yes`, cap one run, refuse in read-only or offline mode, and report per record.

use clap::Args;
use color_eyre::eyre::{Result, bail};

use super::headless::{Headless, Output};

#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// Act on at most this many in one run; the rest show as "next run".
    #[arg(long, default_value_t = 25)]
    pub max: usize,
    /// Send the changes. Without it, the command only shows what it would do.
    #[arg(long)]
    pub yes: bool,
    /// How to print the result.
    #[arg(long, value_enum, default_value = "table")]
    pub output: Output,
}

/// Refuses `--yes` where no change may or can be made.
pub fn refuse_changes(h: &Headless, apply: &ApplyArgs, what: &str) -> Result<()> {
    if apply.yes {
        refuse_writes(h, what)?;
    }
    Ok(())
}

/// Refuses a change in read-only mode (exit 1) or offline (exit 2: drop the flag).
pub fn refuse_writes(h: &Headless, what: &str) -> Result<()> {
    if h.readonly {
        bail!(
            "read-only mode is on (--readonly or `readonly = true` in the config): nothing was {what}"
        );
    }
    if h.offline {
        super::usage!("this changes Partner Central: drop --offline");
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

/// The run in one line for stderr: how many of each outcome, and what the finished ones produced.
pub fn summary(steps: &[Step], verbs: &Verbs) -> String {
    let count = |f: fn(&Step) -> bool| steps.iter().filter(|s| f(s)).count();
    let produced: Vec<&str> = steps
        .iter()
        .filter_map(|s| match s {
            Step::Done(Some(p)) => Some(p.as_str()),
            Step::Done(None) | Step::Planned | Step::Held(_) | Step::Deferred | Step::Failed(_) => {
                None
            }
        })
        .collect();
    let mut parts = vec![
        format!("{} {}", verbs.done, count(|s| matches!(s, Step::Done(_)))),
        format!("failed {}", count(|s| matches!(s, Step::Failed(_)))),
        format!("held {}", count(|s| matches!(s, Step::Held(_)))),
        format!(
            "left for the next run {}",
            count(|s| matches!(s, Step::Deferred))
        ),
    ];
    let planned = count(|s| matches!(s, Step::Planned));
    if planned > 0 {
        parts.insert(0, format!("{} {planned}", verbs.planned));
    }
    let mut line = parts.join(", ");
    if !produced.is_empty() {
        line.push_str(&format!(" ({})", produced.join(", ")));
    }
    line
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

/// Follows an asynchronous task from the state `task` it started in until it finishes, asking
/// `poll` for its state every half second; after two minutes it gives up with `still_running`
/// (what to look at instead), since the task may yet finish on its own.
pub fn follow_task<F>(
    h: &Headless,
    mut task: cosell_core::partner::types::TaskState,
    poll: impl Fn(String) -> F,
    still_running: impl FnOnce(&str) -> String,
) -> Result<cosell_core::partner::types::TaskState>
where
    F: std::future::Future<
            Output = std::result::Result<
                cosell_core::partner::types::TaskState,
                cosell_core::partner::PartnerError,
            >,
        >,
{
    let started = std::time::Instant::now();
    while !task.finished() {
        if started.elapsed() > std::time::Duration::from_secs(120) {
            color_eyre::eyre::bail!("{}", still_running(&task.id));
        }
        std::thread::sleep(std::time::Duration::from_millis(500));
        task = h
            .runtime
            .block_on(poll(task.id.clone()))
            .map_err(|e| color_eyre::eyre::eyre!("{e}"))?;
    }
    Ok(task)
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
        assert_eq!(
            summary(&steps, &verbs),
            "would do 2, done 0, failed 0, held 1, left for the next run 1"
        );
        let finished = [
            Step::Done(Some("O7".into())),
            Step::Failed("denied".into()),
            Step::Done(Some("O9".into())),
        ];
        assert_eq!(
            summary(&finished, &verbs),
            "done 2, failed 1, held 0, left for the next run 0 (O7, O9)"
        );
    }
}
