//! `cosell opportunities apply FILE`: bulk updates and creates from a CSV (a header of `Id`
//! and API field paths) or JSON Lines (one object per line with the same keys). A row with an
//! Id is compared with the record as it is: the plan shows every change as `path: old → new`,
//! refuses what the review status locks, and leaves out what is already so; a row without one
//! is a new opportunity. Nothing is sent without `--yes`; sending is paced to the write quota by
//! the client. A rerun after an interruption sends nothing twice: updated rows compare as
//! "already so", and each create carries a ClientToken made from the row's content, so the
//! service answers a repeated one with the opportunity it already made.

use std::path::{Path, PathBuf};

use clap::Args;
use color_eyre::eyre::{Result, WrapErr};

use super::headless::{Headless, print_rows};
use super::patch;
use super::plan::{self, ApplyArgs, Step, Verbs};
use super::update::fingerprint;
use super::usage;
use cosell_core::partner::document::{self, Request};
use cosell_core::partner::rules;
use cosell_core::partner::types::*;
use serde_json::Value;

#[derive(Debug, Args)]
pub struct ApplyFileArgs {
    /// CSV with a header of `Id` and API field paths in any case (LifeCycle.Stage,
    /// Customer.Account.WebsiteUrl, Project.DeliveryModels, …), or JSON Lines (`.jsonl`) with
    /// the same keys. A row with an Id updates that opportunity; a row without one creates
    /// one. An empty cell leaves the field as it is; lists take `;`-separated values.
    file: PathBuf,
    /// Where the rows that failed go, with their errors (CSV). Default: beside FILE, as
    /// FILE.failures.csv.
    #[arg(long)]
    failures: Option<PathBuf>,
    #[command(flatten)]
    apply: ApplyArgs,
}

const VERBS: Verbs = Verbs {
    planned: "would apply",
    done: "applied",
};

/// One row of the file: the record (empty for a new one) and the values it asks for, by path
/// as the API spells it.
pub struct FileRow {
    /// The row as read, for the failures file.
    raw: Vec<String>,
    id: String,
    cells: Vec<(String, String)>,
}

/// What a row sends.
enum Action {
    Update { patch: Value, paths: Vec<String> },
    Create { doc: Value, token: String },
}

/// What the plan holds for a row: the changes as text, and the write that makes them.
struct Planned {
    changes: Vec<String>,
    action: Action,
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

/// The columns of a header: `Id` (optional: without it every row creates) and API paths,
/// spelled as the API spells them.
fn columns(header: &[String]) -> Result<(Option<usize>, Vec<Option<String>>)> {
    let mut id = None;
    let mut paths = Vec::new();
    for (i, name) in header.iter().enumerate() {
        let name = name.trim();
        if name.eq_ignore_ascii_case("Id") {
            id = Some(i);
            paths.push(None);
            continue;
        }
        let Some((spelled, _)) = document::member(Request::Create, name)
            .filter(|(p, _)| !matches!(p.as_str(), "Catalog" | "ClientToken"))
            .filter(|(p, _)| {
                !p.starts_with("LifeCycle.Review") && p != "LifeCycle.NextStepsHistory"
            })
        else {
            usage!(
                "column '{name}' is not a field of an opportunity; apply takes Id and: {}",
                document::writable_paths(Request::Create).join(", ")
            );
        };
        paths.push(Some(spelled));
    }
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
            let id = id_column
                .and_then(|c| raw.get(c))
                .cloned()
                .unwrap_or_default()
                .trim()
                .to_string();
            let cells = paths
                .iter()
                .zip(&raw)
                .filter_map(|(path, value)| Some((path.clone()?, value.clone())))
                .filter(|(_, value)| !value.trim().is_empty())
                .collect();
            FileRow { raw, id, cells }
        })
        .collect();
    Ok((header, rows))
}

/// The row's cells as a document for `request`.
fn row_document(row: &FileRow, request: Request) -> std::result::Result<Value, String> {
    let mut doc = Value::Object(Default::default());
    for (path, text) in &row.cells {
        patch::set_one(&mut doc, request, path, text).map_err(|e| super::describe(&e))?;
    }
    Ok(doc)
}

fn fit(value: Option<&Value>) -> String {
    cosell_core::text::fit(&document::display(value), 40)
}

/// The plan for an update row against the record as it is: its changes and patch, or the step
/// that ends it here (already so, or refused and why).
fn plan_update(
    row: &FileRow,
    record: &Opportunity,
    today: &str,
) -> std::result::Result<Planned, Step> {
    let patch = row_document(row, Request::Update).map_err(Step::Failed)?;
    let before = document::writable_part(&record.document);
    let mut after = record.document.clone();
    document::merge(&mut after, &patch);
    let after = document::writable_part(&after);
    let changes = document::changes(&before, &after);
    if changes.is_empty() {
        return Err(Step::Held("already so".into()));
    }
    for change in &changes {
        if let Some(reason) = rules::path_lock(&record.summary, &change.path) {
            return Err(Step::Failed(format!(
                "{} cannot change: {reason}",
                change.path
            )));
        }
    }
    if let Some((path, why)) = rules::document_problems(&before, &after, today)
        .into_iter()
        .next()
    {
        return Err(Step::Failed(format!("{path}: {why}")));
    }
    if let Some(finding) = document::check(&after, Request::Update).into_iter().next() {
        return Err(Step::Failed(finding.to_string()));
    }
    Ok(Planned {
        changes: changes
            .iter()
            .map(|c| {
                format!(
                    "{}: {} → {}",
                    c.path,
                    fit(c.old.as_ref()),
                    fit(c.new.as_ref())
                )
            })
            .collect(),
        action: Action::Update {
            paths: changes.into_iter().map(|c| c.path).collect(),
            patch,
        },
    })
}

/// The plan for a row without an Id: the opportunity it creates, checked as `create` checks a
/// document, with a ClientToken from its content.
fn plan_create(row: &FileRow, today: &str) -> std::result::Result<Planned, Step> {
    let doc = row_document(row, Request::Create).map_err(Step::Failed)?;
    if let Some(finding) = document::check(&doc, Request::Create).into_iter().next() {
        return Err(Step::Failed(finding.to_string()));
    }
    let empty = Value::Object(Default::default());
    if let Some((path, why)) = rules::document_problems(&empty, &doc, today)
        .into_iter()
        .next()
    {
        return Err(Step::Failed(format!("{path}: {why}")));
    }
    let changes = document::changes(&empty, &doc)
        .iter()
        .map(|c| format!("{}: {}", c.path, fit(c.new.as_ref())))
        .collect();
    Ok(Planned {
        changes,
        action: Action::Create {
            token: format!("cosell-apply-{:016x}", fingerprint(&doc)),
            doc,
        },
    })
}

pub fn run(h: &mut Headless, args: &ApplyFileArgs) -> Result<i32> {
    let (header, rows) = read_rows(&args.file)?;
    plan::refuse_changes(h, &args.apply, "changed")?;
    let today = cosell_core::times::today(cosell_core::times::now_millis());
    let mut steps: Vec<Step> = Vec::with_capacity(rows.len());
    let mut plans: Vec<Option<Planned>> = Vec::with_capacity(rows.len());
    let mut records: Vec<Option<Opportunity>> = Vec::with_capacity(rows.len());
    for row in &rows {
        // A cached record read before documents were kept has none to compare with.
        let cached = h
            .cache
            .opportunity(&row.id)?
            .filter(|r| !r.document.is_null());
        let record = match cached {
            Some(record) => Some(record),
            None if row.id.is_empty() => None,
            None => h.runtime.block_on(h.client.get_opportunity(&row.id)).ok(),
        };
        let planned = match &record {
            None if row.id.is_empty() => Some(plan_create(row, &today)),
            None => None,
            Some(record) => Some(plan_update(row, record, &today)),
        };
        let (step, planned) = match planned {
            None => (
                Step::Failed(format!(
                    "{} was not found in the {} catalog",
                    row.id, h.catalog
                )),
                None,
            ),
            Some(Ok(planned)) => (Step::Planned, Some(planned)),
            Some(Err(step)) => (step, None),
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
            let (Step::Planned, Some(planned)) = (&*step, planned) else {
                continue;
            };
            done += 1;
            *step = match (&planned.action, record) {
                (Action::Update { patch, paths }, Some(record)) => {
                    eprintln!("updating {} ({done}/{to_update})", row.id);
                    send(h, &row.id, record, patch, paths)
                }
                (Action::Create { doc, token }, _) => {
                    eprintln!("creating ({done}/{to_update})");
                    create(h, doc, token)
                }
                (Action::Update { .. }, None) => Step::Failed("the record was not read".into()),
            };
        }
        h.refresh(false)?;
    } else if to_update > 0 {
        eprintln!("nothing sent: run again with --yes to apply {to_update}");
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

/// Sends a row's change as one update on the version the plan compared with.
fn send(h: &mut Headless, id: &str, record: &Opportunity, patch: &Value, paths: &[String]) -> Step {
    let based_on = record.summary.last_modified.unwrap_or_default();
    let edit = OpportunityEdit::Fields {
        patch: patch.clone(),
        paths: paths.to_vec(),
    };
    match h
        .runtime
        .block_on(h.client.update_opportunity(id, based_on, &edit))
    {
        Ok(UpdateOutcome::Applied(after)) => {
            if let Err(e) = h.cache.store_full(&after) {
                tracing::warn!(%e, "could not update the cache");
            }
            Step::Done(None)
        }
        Ok(UpdateOutcome::Conflict { latest }) => Step::Failed(format!(
            "changed meanwhile ({}); run apply again to compare with what it is now",
            edit.current_in(&latest)
        )),
        Err(e) => Step::Failed(e.to_string()),
    }
}

/// Creates a row's opportunity; the id goes into the result's detail.
fn create(h: &mut Headless, doc: &Value, token: &str) -> Step {
    let title = document::display(document::get(doc, "Project.Title"));
    match h
        .runtime
        .block_on(h.client.create_document(doc, token, &title))
    {
        Ok(id) => Step::Done(Some(format!("created {id}"))),
        Err(e) => Step::Failed(e.to_string()),
    }
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
    fn a_header_takes_known_paths_and_an_optional_id() {
        let header = |h: &[&str]| columns(&h.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        let (id, paths) = header(&["lifecycle.stage", "Id"]).unwrap();
        assert_eq!(id, Some(1));
        assert_eq!(paths, vec![Some("LifeCycle.Stage".to_string()), None]);
        let (id, _) = header(&["Customer.Account.CompanyName"]).unwrap();
        assert_eq!(id, None, "without Id every row creates");
        assert!(
            header(&["Id", "Project.Nonsense"]).is_err(),
            "not a path of an opportunity"
        );
        assert!(
            header(&["Id", "LifeCycle.ReviewStatus"]).is_err(),
            "AWS sets the review status"
        );
    }
}
