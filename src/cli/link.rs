//! `cosell solutions`: list the partner's solutions, and link one to every opportunity that
//! matches rules (the guide's keyword-based association, made safe: a plan until `--yes`,
//! opportunities already linked or at the cap of 10 solutions held back).

use clap::{Args, Subcommand};
use color_eyre::eyre::{Result, bail};
use regex::Regex;

use super::headless::{Headless, Output, print_rows};
use super::plan::{self, ApplyArgs, Step, Verbs};
use cosell_core::partner::types::*;

/// The most solutions one opportunity may have (Partner Central's association cap).
const SOLUTIONS_PER_OPPORTUNITY: usize = 10;

#[derive(Debug, Subcommand)]
pub enum SolutionsCommand {
    /// List the partner's solutions.
    List {
        /// Only this status (any case): Active, Inactive or Draft.
        #[arg(long, value_parser = SolutionStatus::parse_or_list)]
        status: Option<SolutionStatus>,
        /// How to print the result.
        #[arg(long, value_enum, default_value = "table")]
        output: Output,
    },
    /// Link a solution to every opportunity that meets the rules (a plan until --yes).
    Link(LinkArgs),
}

#[derive(Debug, Args)]
pub struct LinkArgs {
    /// The solution to link (S-…), as `cosell solutions list` shows it.
    solution: String,
    /// Regular expression the project title must match (case-insensitive), e.g. "AI|ML|machine learning".
    #[arg(long, value_parser = super::values::pattern)]
    title_matches: Option<Regex>,
    /// Regular expression the customer's name must match (case-insensitive).
    #[arg(long, value_parser = super::values::pattern)]
    customer_matches: Option<Regex>,
    /// Only opportunities in this stage (any case); repeat for any of several.
    #[arg(long = "stage", value_parser = Stage::parse_or_list)]
    stages: Vec<Stage>,
    /// Include Launched and Closed Lost opportunities (left out by default).
    #[arg(long)]
    include_closed: bool,
    /// With no rule given, choose every opportunity (rules are required otherwise).
    #[arg(long)]
    all: bool,
    #[command(flatten)]
    apply: ApplyArgs,
}

const VERBS: Verbs = Verbs {
    planned: "would link",
    done: "linked",
};

pub fn run(h: &mut Headless, command: &SolutionsCommand) -> Result<i32> {
    match command {
        SolutionsCommand::List { status, output } => list(h, status.as_ref(), *output),
        SolutionsCommand::Link(args) => link(h, args),
    }
}

fn list(h: &Headless, status: Option<&SolutionStatus>, output: Output) -> Result<i32> {
    let solutions: Vec<Solution> = h
        .cache
        .solutions()?
        .into_iter()
        .filter(|s| status.is_none_or(|st| s.status == *st))
        .collect();
    let rows: Vec<Vec<String>> = solutions
        .iter()
        .map(|s| {
            vec![
                s.id.clone(),
                s.name.clone(),
                s.category.clone(),
                s.status.to_string(),
                s.created.map(cosell_core::times::date).unwrap_or_default(),
            ]
        })
        .collect();
    let json = serde_json::json!({
        "SolutionSummaries": solutions.iter().map(|s| serde_json::json!({
            "Id": s.id, "Arn": s.arn, "Name": s.name, "Category": s.category, "Status": s.status,
            "CreatedDate": s.created.map(cosell_core::times::date_time),
            "Catalog": h.catalog,
        })).collect::<Vec<_>>()
    });
    print_rows(
        output,
        &format!("{} solutions", solutions.len()),
        &["id", "name", "category", "status", "created"],
        &rows,
        json,
    )?;
    Ok(0)
}

fn link(h: &mut Headless, args: &LinkArgs) -> Result<i32> {
    let title = args.title_matches.clone();
    let customer = args.customer_matches.clone();
    if title.is_none() && customer.is_none() && args.stages.is_empty() && !args.all {
        super::usage!(
            "no rule given: name at least one (--title-matches, --customer-matches, --stage), or --all"
        );
    }
    plan::refuse_changes(h, &args.apply, "linked")?;
    require_active_solution(h, &args.solution)?;

    let rules = LinkRules {
        title,
        customer,
        args,
    };
    let (chosen, mut steps) = plan_links(h, &rules)?;
    let to_link = plan::cap(&mut steps, args.apply.max);
    eprintln!(
        "{} opportunities meet the rules and are not linked to {} yet",
        chosen.len(),
        args.solution
    );

    let mut failures = 0;
    if args.apply.yes && to_link > 0 {
        failures = apply_links(h, &args.solution, &chosen, &mut steps, to_link)?;
    } else if to_link > 0 {
        eprintln!("nothing sent: run again with --yes to link {to_link}");
    }
    print_links(args, &chosen, &steps)?;
    eprintln!("{}", plan::summary(&steps, &VERBS));
    if failures > 0 {
        eprintln!("{failures} of {to_link} could not be linked");
        return Ok(4);
    }
    Ok(0)
}

fn require_active_solution(h: &Headless, solution_id: &str) -> Result<()> {
    let solution = h
        .cache
        .solutions()?
        .into_iter()
        .find(|s| s.id == solution_id);
    match solution {
        Some(s) if s.status == SolutionStatus::Active => Ok(()),
        Some(s) => bail!(
            "{} ({}) is {}: only Active solutions can be linked",
            s.id,
            s.name,
            s.status
        ),
        None => bail!(
            "{} is not one of this partner's solutions in the {} catalog; `cosell solutions list` shows them",
            solution_id,
            h.catalog
        ),
    }
}

struct LinkRules<'a> {
    title: Option<Regex>,
    customer: Option<Regex>,
    args: &'a LinkArgs,
}

impl LinkRules<'_> {
    fn fit(&self, o: &Opportunity) -> bool {
        (self.args.include_closed || o.summary.is_open())
            && (self.args.stages.is_empty()
                || o.summary
                    .stage
                    .as_ref()
                    .is_some_and(|s| self.args.stages.contains(s)))
            && self
                .title
                .as_ref()
                .is_none_or(|re| o.title.as_deref().is_some_and(|t| re.is_match(t)))
            && self
                .customer
                .as_ref()
                .is_none_or(|re| re.is_match(&o.summary.customer))
    }
}

/// The opportunities the rules choose that are not linked yet, each with what would happen to it.
fn plan_links(h: &Headless, rules: &LinkRules) -> Result<(Vec<Opportunity>, Vec<Step>)> {
    let mut chosen: Vec<Opportunity> = Vec::new();
    let mut steps: Vec<Step> = Vec::new();
    for o in h.cache.full_opportunities()? {
        if !rules.fit(&o) || o.solutions.contains(&rules.args.solution) {
            continue;
        }
        steps.push(if o.solutions.len() >= SOLUTIONS_PER_OPPORTUNITY {
            Step::Held(format!(
                "already has {SOLUTIONS_PER_OPPORTUNITY} solutions, the most Partner Central allows"
            ))
        } else {
            Step::Planned
        });
        chosen.push(o);
    }
    Ok((chosen, steps))
}

/// Links every planned opportunity, recording each outcome in its step; answers the failures.
fn apply_links(
    h: &mut Headless,
    solution: &str,
    chosen: &[Opportunity],
    steps: &mut [Step],
    to_link: usize,
) -> Result<usize> {
    let mut failures = 0;
    let mut done = 0;
    for (o, step) in chosen.iter().zip(steps.iter_mut()) {
        if !matches!(step, Step::Planned) {
            continue;
        }
        done += 1;
        eprintln!("linking {} ({done}/{to_link})", o.summary.id);
        let result = h.runtime.block_on(async {
            h.client
                .set_solution_link(&o.summary.id, solution, true)
                .await?;
            // The record as it is now, so the cache shows the link and a rerun skips it.
            h.client.get_opportunity(&o.summary.id).await
        });
        *step = match result {
            Ok(fresh) => {
                h.cache.store_full(&fresh)?;
                Step::Done(None)
            }
            // Another run may have linked it meanwhile: not this run's failure.
            Err(e) => match h.runtime.block_on(h.client.get_opportunity(&o.summary.id)) {
                Ok(now) if now.solutions.iter().any(|s| s == solution) => {
                    h.cache.store_full(&now)?;
                    Step::Held("linked meanwhile by another run or person".into())
                }
                _ => {
                    failures += 1;
                    Step::Failed(e.to_string())
                }
            },
        };
    }
    Ok(failures)
}

fn print_links(args: &LinkArgs, chosen: &[Opportunity], steps: &[Step]) -> Result<()> {
    let stage = |o: &Opportunity| {
        o.summary
            .stage
            .as_ref()
            .map(Stage::to_string)
            .unwrap_or_default()
    };
    let rows: Vec<Vec<String>> = chosen
        .iter()
        .zip(steps)
        .map(|(o, step)| {
            vec![
                o.summary.id.clone(),
                o.summary.customer.clone(),
                o.title.clone().unwrap_or_default(),
                stage(o),
                step.word(&VERBS).to_string(),
                step.detail(),
            ]
        })
        .collect();
    let json = serde_json::Value::Array(
        chosen
            .iter()
            .zip(steps)
            .map(|(o, step)| {
                serde_json::json!({
                    "id": o.summary.id,
                    "customer": o.summary.customer,
                    "title": o.title,
                    "stage": o.summary.stage,
                    "result": step.word(&VERBS),
                    "detail": step.detail(),
                })
            })
            .collect(),
    );
    print_rows(
        args.apply.output,
        &format!(
            "{} opportunities chosen for {}",
            chosen.len(),
            args.solution
        ),
        &["id", "customer", "title", "stage", "result", "detail"],
        &rows,
        json,
    )
}
