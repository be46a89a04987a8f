//! `cosell opportunities update` and `create`: one change to one opportunity, or one new
//! opportunity, from a script. UpdateOpportunity replaces the whole record, so a change (given
//! as `--set Path=Value` pairs or a partial `--from-json` document) is laid on the record read
//! just before, never sent raw (which would erase every member it does not carry), with the
//! record's LastModifiedDate as the lock, and refused before anything is sent when a member is
//! misplaced, unknown or locked by the review status.

use std::path::Path;

use color_eyre::eyre::{Result, bail};
use serde_json::Value;

use super::headless::Headless;
use super::patch;
use super::usage;
use cosell_core::partner::document::{self, Request};
use cosell_core::partner::rules;
use cosell_core::partner::types::*;
use cosell_core::store::api_json;

/// The record changed since the LastModifiedDate the script named (or between the read and the
/// write): nothing was sent. Exit status 6.
#[derive(Debug)]
pub struct ConflictError(pub String);

impl std::fmt::Display for ConflictError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConflictError {}

/// What `opportunities update` was asked to do.
pub struct UpdateArgs<'a> {
    pub id: Option<&'a str>,
    pub sets: &'a [String],
    pub from_json: Option<&'a Path>,
    pub last_modified: Option<&'a str>,
}

fn instant_arg(text: &str, source: &str) -> Result<Millis> {
    cosell_core::times::parse_instant(text).ok_or_else(|| {
        super::UsageError(format!(
            "{source} takes the record's LastModifiedDate (ISO 8601, as `opportunities get` \
             prints it), got '{text}'"
        ))
        .into()
    })
}

/// The LastModifiedDate an update is based on, as an instant and as the user wrote it.
type BasedOn = Option<(Millis, String)>;

/// The patch an update asks for, the record it names and the LastModifiedDate it is based on
/// (None: the record as just read).
fn update_request(args: &UpdateArgs, catalog: &str) -> Result<(Value, String, BasedOn)> {
    let mut patch = Value::Object(Default::default());
    let mut file_id = None;
    let mut file_date = None;
    if let Some(path) = args.from_json {
        let mut doc = patch::read_json(path)?;
        let source = path.display().to_string();
        patch::refuse(&source, &patch::patch_findings(&doc), false)?;
        if let Some(c) = document::remove(&mut doc, "Catalog")
            && c.as_str() != Some(catalog)
        {
            usage!(
                "{source} is for the {} catalog, and cosell is using {catalog} (--catalog)",
                document::display(Some(&c))
            );
        }
        file_id =
            document::remove(&mut doc, "Identifier").and_then(|v| v.as_str().map(String::from));
        file_date = document::remove(&mut doc, "LastModifiedDate")
            .and_then(|v| v.as_str().map(String::from));
        patch = doc;
    }
    document::merge(&mut patch, &patch::from_sets(args.sets, Request::Update)?);
    if patch.as_object().is_none_or(|m| m.is_empty()) {
        usage!("name the change: --set Path=Value (repeatable) or --from-json FILE");
    }
    let id = match (args.id, file_id) {
        (Some(a), Some(f)) if a != f => {
            usage!("the command names {a} and the file's Identifier is {f}: which one?")
        }
        (Some(a), _) => a.to_string(),
        (None, Some(f)) => f,
        (None, None) => usage!("name the opportunity: its id, or Identifier in the file"),
    };
    let based_on = match (args.last_modified, file_date) {
        (Some(flag), Some(file)) => {
            let (a, b) = (
                instant_arg(flag, "--last-modified")?,
                instant_arg(&file, "LastModifiedDate")?,
            );
            if a != b {
                usage!("--last-modified {flag} and the file's LastModifiedDate {file} differ");
            }
            Some((a, flag.to_string()))
        }
        (Some(flag), None) => Some((instant_arg(flag, "--last-modified")?, flag.to_string())),
        (None, Some(file)) => Some((instant_arg(&file, "LastModifiedDate")?, file)),
        (None, None) => None,
    };
    Ok((patch, id, based_on))
}

/// Runs `opportunities update`. Prints the record as it is afterwards, in GetOpportunity's
/// JSON shape.
pub fn run(h: &mut Headless, args: &UpdateArgs) -> Result<i32> {
    let (patch, id, based_on) = update_request(args, &h.catalog)?;
    let id = id.as_str();
    super::plan::refuse_writes(h, "changed")?;
    let current = read(h, id)?;
    let seen = current.summary.last_modified.unwrap_or_default();
    let before = document::writable_part(&current.document);
    let mut after = current.document.clone();
    document::merge(&mut after, &patch);
    let after = document::writable_part(&after);
    let changes = document::changes(&before, &after);
    let paths: Vec<String> = changes.iter().map(|c| c.path.clone()).collect();
    if let Some((date, text)) = &based_on
        && *date != seen
    {
        let now: Vec<String> = paths
            .iter()
            .map(|p| {
                format!(
                    "{p} is now {}",
                    document::display(document::get(&before, p))
                )
            })
            .collect();
        return Err(ConflictError(format!(
            "{id} changed since {text}: it was last modified {}; nothing was sent. {}Read it \
             again (`cosell opportunities get {id}`) and apply the change to what it is now",
            cosell_core::times::instant(seen),
            if now.is_empty() {
                String::new()
            } else {
                format!("{}. ", now.join("; "))
            }
        ))
        .into());
    }
    patch::refuse(
        &format!("{id} with this change"),
        &document::check(&after, Request::Update),
        false,
    )?;
    for path in &paths {
        if let Some(reason) = rules::path_lock(&current.summary, path) {
            bail!("{path} cannot change: {reason}");
        }
    }
    let today = cosell_core::times::today(cosell_core::times::now_millis());
    let problems = rules::document_problems(&before, &after, &today);
    if !problems.is_empty() {
        usage!(
            "{id}: nothing was sent:\n{}",
            problems
                .iter()
                .map(|(p, why)| format!("  {p}: {why}"))
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
    if changes.is_empty() {
        eprintln!("{id}: already so; nothing was sent");
        return show(h, &current);
    }
    for change in &changes {
        eprintln!("{id}: {}", change.describe());
    }
    let edit = OpportunityEdit::Fields { patch, paths };
    let outcome = h
        .runtime
        .block_on(h.client.update_opportunity(id, seen, &edit))
        .map_err(|e| color_eyre::eyre::eyre!("{e}"))?;
    let after = match outcome {
        UpdateOutcome::Applied(after) => after,
        UpdateOutcome::Conflict { latest } => {
            return Err(ConflictError(format!(
                "{id} changed while the update was being made (now {}; {}): nothing was sent. Run \
                 the command again to apply {} to what it is now",
                latest
                    .summary
                    .last_modified
                    .map(cosell_core::times::instant)
                    .unwrap_or_default(),
                edit.current_in(&latest),
                edit.describe()
            ))
            .into());
        }
    };
    if current.summary.review_status == Some(ReviewStatus::ActionRequired) {
        eprintln!(
            "{id}: {} saved; it went back to AWS review",
            edit.describe()
        );
    }
    show(h, &after)
}

/// What `opportunities create` was asked to do.
pub struct CreateArgs<'a> {
    pub from_json: Option<&'a Path>,
    pub sets: &'a [String],
    pub fix: bool,
}

/// Runs `opportunities create`: the document (a `create-opportunity --cli-input-json` file,
/// `--set` pairs laid over it) checked against the model, then created once per ClientToken.
/// Prints the new record as GetOpportunity's JSON.
pub fn create(h: &mut Headless, args: &CreateArgs) -> Result<i32> {
    let mut doc = match args.from_json {
        Some(path) => patch::read_json(path)?,
        None => Value::Object(Default::default()),
    };
    let source = args
        .from_json
        .map_or("the document".to_string(), |p| p.display().to_string());
    let findings = document::check(&doc, Request::Create);
    if args.fix {
        let Some(path) = args.from_json else {
            usage!("--fix rewrites the --from-json file");
        };
        let fixed = document::corrected(&doc, &findings);
        if fixed == doc {
            eprintln!("{source}: nothing to move");
        } else {
            let mut orig = path.as_os_str().to_owned();
            orig.push(".orig");
            std::fs::copy(path, &orig)?;
            std::fs::write(path, serde_json::to_string_pretty(&fixed)? + "\n")?;
            eprintln!(
                "{source}: rewritten with the misplaced members moved; the original is {}",
                Path::new(&orig).display()
            );
        }
        let left = document::check(&fixed, Request::Create);
        patch::refuse(&source, &left, false)?;
        eprintln!("{source} is valid; run without --fix to create the opportunity");
        return Ok(0);
    }
    patch::refuse(&source, &findings, true)?;
    document::merge(&mut doc, &patch::from_sets(args.sets, Request::Create)?);
    if let Some(c) = document::remove(&mut doc, "Catalog")
        && c.as_str() != Some(h.catalog.as_str())
    {
        usage!(
            "{source} is for the {} catalog, and cosell is using {} (--catalog)",
            document::display(Some(&c)),
            h.catalog
        );
    }
    patch::refuse(&source, &document::check(&doc, Request::Create), true)?;
    let today = cosell_core::times::today(cosell_core::times::now_millis());
    let empty = Value::Object(Default::default());
    let problems = rules::document_problems(&empty, &doc, &today);
    if !problems.is_empty() {
        usage!(
            "{source}: nothing was sent:\n{}",
            problems
                .iter()
                .map(|(p, why)| format!("  {p}: {why}"))
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
    // The file's own token makes a rerun of the same file create once; without one, a token
    // from the document's content does the same for an unchanged file.
    let token = match document::remove(&mut doc, "ClientToken") {
        Some(Value::String(t)) => t,
        _ => format!("cosell-create-{:016x}", fingerprint(&doc)),
    };
    super::plan::refuse_writes(h, "created")?;
    let title = document::display(document::get(&doc, "Project.Title"));
    let id = h
        .runtime
        .block_on(h.client.create_document(&doc, &token, &title))
        .map_err(|e| color_eyre::eyre::eyre!("{e}"))?;
    let after = read(h, &id)?;
    eprintln!("created {id}");
    show(h, &after)
}

/// A stable fingerprint of a document (FNV-1a over its canonical JSON): the same content gives
/// the same ClientToken on every run and machine.
pub fn fingerprint(doc: &Value) -> u64 {
    doc.to_string().bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Runs `opportunities submit`: starts the engagement task (AWS's recommended way) and follows
/// it until it completes or fails. The ClientToken is derived from the record's id and version,
/// so running the same command again on the unchanged record replays the task instead of
/// starting a second one.
pub fn submit(
    h: &mut Headless,
    id: &str,
    involvement: &InvolvementType,
    visibility: &Visibility,
) -> Result<i32> {
    super::plan::refuse_writes(h, "submitted")?;
    let current = read(h, id)?;
    let review = current
        .summary
        .review_status
        .clone()
        .unwrap_or(ReviewStatus::PendingSubmission);
    if review != ReviewStatus::PendingSubmission {
        bail!("{id} is {review}: only opportunities pending submission can be submitted to AWS");
    }
    if let Some(advice) = current
        .summary
        .stage
        .as_ref()
        .and_then(Stage::submission_advice)
    {
        eprintln!("{advice}");
    }
    let token = format!(
        "cosell-submit-{id}-{}",
        current.summary.last_modified.unwrap_or_default()
    );
    let started = h
        .runtime
        .block_on(
            h.client
                .start_submission(id, involvement.as_str(), visibility.as_str(), &token),
        )
        .map_err(|e| color_eyre::eyre::eyre!("{e}"))?;
    let task = super::plan::follow_task(
        h,
        started,
        |task| {
            let client = h.client.clone();
            async move { client.submission_task(&task).await }
        },
        |task| {
            format!(
                "{id}: the submission task {task} is still running after two minutes; `cosell opportunities get {id}` shows when it is Submitted"
            )
        },
    )?;
    if task.status != TaskStatus::Complete {
        bail!(
            "{id} was not submitted: the task {} ended {}{}",
            task.id,
            task.status,
            task.message
                .as_deref()
                .map(|m| format!(": {m}"))
                .unwrap_or_default()
        );
    }
    let after = read(h, id)?;
    eprintln!("{id} submitted to AWS ({involvement}, {visibility})");
    show(h, &after)
}

/// Runs `opportunities assign`: the new owner, as AssignOpportunity takes them.
pub fn assign(h: &mut Headless, id: &str, assignee: &Contact) -> Result<i32> {
    super::plan::refuse_writes(h, "assigned")?;
    if assignee.email.as_deref().is_none_or(|e| !e.contains('@')) {
        usage!("--email takes the new owner's email address");
    }
    h.runtime
        .block_on(h.client.assign_opportunity(id, assignee))
        .map_err(|e| color_eyre::eyre::eyre!("{e}"))?;
    let after = read(h, id)?;
    eprintln!("{id} assigned to {}", assignee.name());
    show(h, &after)
}

/// Runs `opportunities link` / `unlink`: one association added or removed. A cap AWS documents
/// (10 solutions, 20 AWS products) is checked against the record before anything is sent.
pub fn link(h: &mut Headless, id: &str, kind: LinkKind, entity: &str, linked: bool) -> Result<i32> {
    super::plan::refuse_writes(h, if linked { "linked" } else { "unlinked" })?;
    let current = read(h, id)?;
    let held = match kind {
        LinkKind::Solution => Some(&current.solutions),
        LinkKind::AwsProduct => Some(&current.aws_products),
        // Offers and offer sets share one list in the record; the service counts them.
        LinkKind::MarketplaceOffer | LinkKind::MarketplaceOfferSet => None,
    };
    if let Some(held) = held {
        let present = held.iter().any(|e| e == entity);
        if linked && !present && held.len() >= kind.cap() {
            bail!(
                "{id} already has {} {}, the most AWS allows; unlink one first",
                held.len(),
                kind.api_name()
            );
        }
        if !linked && !present {
            bail!("{entity} is not linked to {id}");
        }
    }
    h.runtime
        .block_on(h.client.set_link(id, kind, entity, linked))
        .map_err(|e| color_eyre::eyre::eyre!("{e}"))?;
    let after = read(h, id)?;
    eprintln!(
        "{} {} {entity} {} {id}",
        if linked { "linked" } else { "unlinked" },
        kind.api_name(),
        if linked { "to" } else { "from" }
    );
    show(h, &after)
}

/// The record as Partner Central has it now.
fn read(h: &Headless, id: &str) -> Result<Opportunity> {
    h.runtime
        .block_on(h.client.get_opportunity(id))
        .map_err(|e| color_eyre::eyre::eyre!("{e}"))
}

/// Keeps the record a write left in the cache and prints it as GetOpportunity's JSON: what
/// every single-record write answers with.
fn show(h: &mut Headless, after: &Opportunity) -> Result<i32> {
    h.cache.store_full(after)?;
    println!(
        "{}",
        serde_json::to_string_pretty(&api_json::opportunity(after, &h.catalog))?
    );
    Ok(0)
}
