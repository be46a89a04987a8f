//! `cosell opportunities apply FILE`: bulk updates from a CSV (a header of `Id` and API field
//! paths) or JSON Lines (one object per line with the same keys). Each row is compared with the
//! record as it is: the plan shows every change as `path: old → new`, refuses what the review
//! status locks, and leaves out what is already so; nothing is sent without `--yes`. Sending is
//! paced to the write quota by the client. UpdateOpportunity takes no ClientToken, so a rerun
//! after an interruption is made safe by the comparison itself: rows already applied show as
//! "already so" and are not sent again.

use std::path::{Path, PathBuf};

use clap::Args;
use color_eyre::eyre::{Result, WrapErr};

use super::headless::{Headless, print_rows};
use super::plan::{self, ApplyArgs, Step, Verbs};
use super::update::{SetPath, edit_from};
use super::usage;
use cosell_core::partner::rules;
use cosell_core::partner::types::*;

#[derive(Debug, Args)]
pub struct ApplyFileArgs {
    /// CSV with a header of `Id` and API field paths (LifeCycle.Stage, LifeCycle.ClosedLostReason,
    /// LifeCycle.NextSteps, LifeCycle.TargetCloseDate, Customer.Account.WebsiteUrl,
    /// Project.CustomerBusinessProblem), or JSON Lines (`.jsonl`) with the same keys. An empty
    /// cell leaves the field as it is.
    file: PathBuf,
    /// Where the rows that failed go, with their errors (CSV). Default: beside FILE, as
    /// FILE.failures.csv.
    #[arg(long)]
    failures: Option<PathBuf>,
    #[command(flatten)]
    apply: ApplyArgs,
}

const VERBS: Verbs = Verbs {
    planned: "would update",
    done: "updated",
};

/// One row of the file: the record and the values it asks for, by path.
pub struct FileRow {
    /// The row as read, for the failures file.
    raw: Vec<String>,
    id: String,
    sets: Vec<(SetPath, String)>,
}

/// What the plan holds for a row: the changes as text, and the edits that make them (one per
/// group UpdateOpportunity changes at once).
struct Planned {
    changes: Vec<String>,
    edits: Vec<OpportunityEdit>,
}

/// Splits one CSV line into fields (RFC 4180: quotes, doubled quotes inside them).
fn csv_fields(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', true) => quoted = false,
            ('"', false) if field.is_empty() => quoted = true,
            (',', false) => fields.push(std::mem::take(&mut field)),
            (c, _) => field.push(c),
        }
    }
    fields.push(field);
    fields
}

/// The columns of a header: `Id` first or anywhere, every other one a path `--set` takes.
fn columns(header: &[String]) -> Result<(usize, Vec<Option<SetPath>>)> {
    let mut id = None;
    let mut paths = Vec::new();
    for (i, name) in header.iter().enumerate() {
        let name = name.trim();
        if name.eq_ignore_ascii_case("Id") {
            id = Some(i);
            paths.push(None);
            continue;
        }
        let Some(path) = SetPath::parse(name) else {
            usage!(
                "column '{name}' is not a field apply changes; it takes Id and: {}",
                SetPath::ALL.map(SetPath::path).join(", ")
            );
        };
        paths.push(Some(path));
    }
    let Some(id) = id else {
        usage!("the file needs an Id column: apply updates existing opportunities");
    };
    Ok((id, paths))
}

fn read_rows(path: &Path) -> Result<(Vec<String>, Vec<FileRow>)> {
    let text = std::fs::read_to_string(path)
        .wrap_err_with(|| format!("cannot read {}", path.display()))?;
    let jsonl = path
        .extension()
        .is_some_and(|e| e == "jsonl" || e == "json");
    parse_rows(&text, jsonl).map_err(|e| {
        super::UsageError(format!("{}: {}", path.display(), super::describe(&e))).into()
    })
}

/// The header and rows of a bulk file's text (CSV, or JSON Lines when `jsonl`): a file that
/// cannot be read this way is a usage error that says where, never a panic (fuzzed).
pub fn parse_rows(text: &str, jsonl: bool) -> Result<(Vec<String>, Vec<FileRow>)> {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let (header, records): (Vec<String>, Vec<Vec<String>>) = if jsonl {
        let mut header: Vec<String> = Vec::new();
        let mut objects = Vec::new();
        for (n, line) in lines.iter().enumerate() {
            let object: serde_json::Map<String, serde_json::Value> = serde_json::from_str(line)
                .map_err(|e| super::UsageError(format!("line {}: {e}", n + 1)))?;
            for key in object.keys() {
                if !header.contains(key) {
                    header.push(key.clone());
                }
            }
            objects.push(object);
        }
        let records = objects
            .iter()
            .map(|o| {
                header
                    .iter()
                    .map(|k| match o.get(k) {
                        Some(serde_json::Value::String(s)) => s.clone(),
                        Some(serde_json::Value::Null) | None => String::new(),
                        Some(other) => other.to_string(),
                    })
                    .collect()
            })
            .collect();
        (header, records)
    } else {
        let Some((first, rest)) = lines.split_first() else {
            usage!("the file is empty");
        };
        (
            csv_fields(first),
            rest.iter().map(|l| csv_fields(l)).collect(),
        )
    };
    let (id_column, paths) = columns(&header)?;
    let rows = records
        .into_iter()
        .map(|raw| {
            let id = raw
                .get(id_column)
                .cloned()
                .unwrap_or_default()
                .trim()
                .to_string();
            let sets = paths
                .iter()
                .zip(&raw)
                .filter_map(|(path, value)| Some(((*path)?, value.clone())))
                .filter(|(_, value)| !value.trim().is_empty())
                .collect();
            FileRow { raw, id, sets }
        })
        .collect();
    Ok((header, rows))
}

/// The record's current value at `path`, as text to compare and show.
fn current_value(record: &Opportunity, path: SetPath) -> String {
    let s = &record.summary;
    match path {
        SetPath::Stage => s.stage.as_ref().map(Stage::to_string),
        SetPath::ClosedLostReason => s.closed_lost_reason.as_deref().map(str::to_string),
        SetPath::NextSteps => s.next_steps.as_deref().map(str::to_string),
        SetPath::TargetCloseDate => s.target_close.as_deref().map(str::to_string),
        SetPath::WebsiteUrl => s.website.as_deref().map(str::to_string),
        SetPath::CustomerBusinessProblem => record.business_problem.clone(),
    }
    .unwrap_or_default()
}

/// The value as the API spells it (stages and reasons in any case in the file).
fn canonical(path: SetPath, value: &str) -> String {
    match path {
        SetPath::Stage => Stage::parse_loose(value).map(|s| s.to_string()),
        SetPath::ClosedLostReason => ClosedLostReason::parse_loose(value).map(|r| r.to_string()),
        _ => None,
    }
    .unwrap_or_else(|| value.trim().to_string())
}

/// Which UpdateOpportunity a path's change goes into: the stage with its reason, the website
/// with the business problem, the others alone.
fn group(path: SetPath) -> u8 {
    match path {
        SetPath::Stage | SetPath::ClosedLostReason => 0,
        SetPath::NextSteps => 1,
        SetPath::TargetCloseDate => 2,
        SetPath::WebsiteUrl | SetPath::CustomerBusinessProblem => 3,
    }
}

/// The plan for one row against the record as it is: its changes and edits, or the step that
/// ends it here (already so, or refused and why).
fn plan_row(
    row: &FileRow,
    record: &Opportunity,
    today: &str,
) -> std::result::Result<Planned, Step> {
    let changed: Vec<(SetPath, String)> = row
        .sets
        .iter()
        .filter(|(path, value)| canonical(*path, value) != current_value(record, *path))
        .cloned()
        .collect();
    if changed.is_empty() {
        return Err(Step::Held("already so".into()));
    }
    for (path, _) in &changed {
        if let Some(reason) = rules::lock_reason(&record.summary, path.field()) {
            return Err(Step::Failed(format!(
                "{} cannot change: {reason}",
                path.path()
            )));
        }
    }
    let changes = changed
        .iter()
        .map(|(path, value)| {
            format!(
                "{}: {} → {}",
                path.path(),
                cosell_core::text::fit(&current_value(record, *path), 40),
                cosell_core::text::fit(&canonical(*path, value), 40)
            )
        })
        .collect();
    let mut edits = Vec::new();
    for g in 0..4 {
        let sets: Vec<(SetPath, String)> = changed
            .iter()
            .filter(|(p, _)| group(*p) == g)
            .cloned()
            .collect();
        if sets.is_empty() {
            continue;
        }
        match edit_from(&sets, record, today) {
            Ok(edit) => edits.push(edit),
            Err(e) => return Err(Step::Failed(super::describe(&e))),
        }
    }
    Ok(Planned { changes, edits })
}

pub fn run(h: &mut Headless, args: &ApplyFileArgs) -> Result<i32> {
    let (header, rows) = read_rows(&args.file)?;
    plan::refuse_changes(h, &args.apply, "updated")?;
    let today = cosell_core::times::today(cosell_core::times::now_millis());
    let mut steps: Vec<Step> = Vec::with_capacity(rows.len());
    let mut plans: Vec<Option<Planned>> = Vec::with_capacity(rows.len());
    let mut records: Vec<Option<Opportunity>> = Vec::with_capacity(rows.len());
    for row in &rows {
        let record = match h.cache.opportunity(&row.id)? {
            Some(record) => Some(record),
            None if row.id.is_empty() => None,
            None => h.runtime.block_on(h.client.get_opportunity(&row.id)).ok(),
        };
        let (step, planned) = match &record {
            None if row.id.is_empty() => (
                Step::Failed("no Id: apply changes existing opportunities".into()),
                None,
            ),
            None => (
                Step::Failed(format!(
                    "{} was not found in the {} catalog",
                    row.id, h.catalog
                )),
                None,
            ),
            Some(record) => match plan_row(row, record, &today) {
                Ok(planned) => (Step::Planned, Some(planned)),
                Err(step) => (step, None),
            },
        };
        steps.push(step);
        plans.push(planned);
        records.push(record);
    }
    let to_update = plan::cap(&mut steps, args.apply.max);
    eprintln!("{to_update} of {} rows change something", rows.len());
    if args.apply.yes && to_update > 0 {
        let mut done = 0;
        for ((row, step), (planned, record)) in rows
            .iter()
            .zip(steps.iter_mut())
            .zip(plans.iter().zip(&records))
        {
            let (Step::Planned, Some(planned), Some(record)) = (&*step, planned, record) else {
                continue;
            };
            done += 1;
            eprintln!("updating {} ({done}/{to_update})", row.id);
            *step = send(h, &row.id, record, &planned.edits);
        }
        h.refresh(false)?;
    } else if to_update > 0 {
        eprintln!("nothing sent: run again with --yes to update {to_update}");
    }
    print_plan(&rows, &plans, &steps, args)?;
    eprintln!("{}", plan::summary(&steps, &VERBS));
    let failed: Vec<(&FileRow, String)> = rows
        .iter()
        .zip(&steps)
        .filter_map(|(row, step)| match step {
            Step::Failed(why) => Some((row, why.clone())),
            Step::Planned | Step::Held(_) | Step::Deferred | Step::Done(_) => None,
        })
        .collect();
    if failed.is_empty() {
        return Ok(0);
    }
    let path = args.failures.clone().unwrap_or_else(|| {
        let mut name = args.file.as_os_str().to_owned();
        name.push(".failures.csv");
        PathBuf::from(name)
    });
    write_failures(&path, &header, &failed)?;
    eprintln!(
        "{} row(s) not applied; they and their errors are in {}",
        failed.len(),
        path.display()
    );
    Ok(super::exit::PARTIAL)
}

/// Sends a row's edits one after another, each on the version the one before left.
fn send(h: &mut Headless, id: &str, record: &Opportunity, edits: &[OpportunityEdit]) -> Step {
    let mut based_on = record.summary.last_modified.unwrap_or_default();
    for edit in edits {
        match h
            .runtime
            .block_on(h.client.update_opportunity(id, based_on, edit))
        {
            Ok(UpdateOutcome::Applied(after)) => {
                based_on = after.summary.last_modified.unwrap_or_default();
                if let Err(e) = h.cache.store_full(&after) {
                    tracing::warn!(%e, "could not update the cache");
                }
            }
            Ok(UpdateOutcome::Conflict { latest }) => {
                return Step::Failed(format!(
                    "changed meanwhile ({}); run apply again to compare with what it is now",
                    edit.current_in(&latest)
                ));
            }
            Err(e) => return Step::Failed(e.to_string()),
        }
    }
    Step::Done(None)
}

fn print_plan(
    rows: &[FileRow],
    plans: &[Option<Planned>],
    steps: &[Step],
    args: &ApplyFileArgs,
) -> Result<()> {
    let headers = ["id", "changes", "result", "detail"];
    let changes = |plan: &Option<Planned>| {
        plan.as_ref()
            .map(|p| p.changes.join("; "))
            .unwrap_or_default()
    };
    let table: Vec<Vec<String>> = rows
        .iter()
        .zip(plans)
        .zip(steps)
        .map(|((row, plan), step)| {
            vec![
                row.id.clone(),
                changes(plan),
                step.word(&VERBS).to_string(),
                step.detail(),
            ]
        })
        .collect();
    let json = serde_json::Value::Array(
        rows.iter()
            .zip(plans)
            .zip(steps)
            .map(|((row, plan), step)| {
                serde_json::json!({
                    "id": row.id,
                    "changes": plan.as_ref().map(|p| p.changes.clone()).unwrap_or_default(),
                    "result": step.word(&VERBS),
                    "detail": step.detail(),
                })
            })
            .collect(),
    );
    let headline = format!("Opportunities from {}", args.file.display());
    print_rows(args.apply.output, &headline, &headers, &table, json)
}

fn write_failures(path: &Path, header: &[String], failed: &[(&FileRow, String)]) -> Result<()> {
    use cosell_core::report::csv_field;
    let mut out = String::new();
    let mut line = |fields: Vec<String>| {
        out.push_str(
            &fields
                .iter()
                .map(|f| csv_field(f))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push('\n');
    };
    line(
        header
            .iter()
            .cloned()
            .chain(["error".to_string()])
            .collect(),
    );
    for (row, error) in failed {
        line(row.raw.iter().cloned().chain([error.clone()]).collect());
    }
    cosell_core::files::write_private_atomic(path, out.as_bytes())
        .wrap_err_with(|| format!("cannot write {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_follow_rfc_4180() {
        assert_eq!(csv_fields("a,b,c"), ["a", "b", "c"]);
        assert_eq!(
            csv_fields("O1,\"Call, then mail\",x"),
            ["O1", "Call, then mail", "x"]
        );
        assert_eq!(
            csv_fields("O1,\"She said \"\"yes\"\"\""),
            ["O1", "She said \"yes\""]
        );
        assert_eq!(csv_fields("O1,,"), ["O1", "", ""]);
    }

    #[test]
    fn a_header_needs_an_id_and_known_paths() {
        let header = |h: &[&str]| columns(&h.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        let (id, paths) = header(&["lifecycle.stage", "Id"]).unwrap();
        assert_eq!(id, 1);
        assert_eq!(paths, vec![Some(SetPath::Stage), None]);
        assert!(header(&["LifeCycle.Stage"]).is_err(), "no Id");
        assert!(
            header(&["Id", "Project.Title"]).is_err(),
            "not a path apply changes"
        );
    }
}
