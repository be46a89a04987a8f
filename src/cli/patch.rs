//! Documents from the command line: `--set Path=Value` pairs, `--from-json` files and bulk-file
//! cells become the API's JSON (see `cosell_core::partner::document`), checked against the
//! service model before anything is sent.

use std::path::Path;

use color_eyre::eyre::{Result, WrapErr};
use serde_json::Value;

use super::usage;
use cosell_core::partner::document::{self, Finding, Problem, Request};

/// One `Path=Value` laid into `doc`, typed by the model; a path the request does not take is a
/// usage error that lists the ones it does.
pub fn set_one(doc: &mut Value, request: Request, path: &str, text: &str) -> Result<()> {
    let Some((spelled, kind)) = document::member(request, path)
        .filter(|(p, _)| !p.starts_with("LifeCycle.Review") && p != "LifeCycle.NextStepsHistory")
    else {
        usage!(
            "'{path}' is not a member {} takes; it takes: {}",
            verb(request),
            document::writable_paths(request).join(", ")
        );
    };
    let value = document::value_for(&spelled, &kind, text).map_err(super::UsageError)?;
    document::set(doc, &spelled, value);
    Ok(())
}

fn verb(request: Request) -> &'static str {
    match request {
        Request::Create => "CreateOpportunity",
        Request::Update => "UpdateOpportunity",
    }
}

/// The `--set` pairs as one partial document.
pub fn from_sets(sets: &[String], request: Request) -> Result<Value> {
    let mut doc = Value::Object(Default::default());
    let mut named: Vec<String> = Vec::new();
    for pair in sets {
        let Some((path, value)) = pair.split_once('=') else {
            usage!("--set takes Path=Value, got '{pair}'");
        };
        let lower = path.trim().to_lowercase();
        if named.contains(&lower) {
            usage!("--set names {} twice", path.trim());
        }
        named.push(lower);
        set_one(&mut doc, request, path, value)?;
    }
    Ok(doc)
}

/// A JSON document file, as an object.
pub fn read_json(path: &Path) -> Result<Value> {
    let text = std::fs::read_to_string(path)
        .wrap_err_with(|| format!("cannot read {}", path.display()))?;
    let doc: Value = serde_json::from_str(&text)
        .map_err(|e| super::UsageError(format!("{} is not JSON: {e}", path.display())))?;
    if !doc.is_object() {
        usage!(
            "{} must hold one JSON object, as --cli-input-json takes",
            path.display()
        );
    }
    Ok(doc)
}

/// Refuses a document with findings: each on its own line, with what to do. `fixable` says
/// whether `--fix` would move some of them.
pub fn refuse(source: &str, findings: &[Finding], fix_hint: bool) -> Result<()> {
    if findings.is_empty() {
        return Ok(());
    }
    let mut lines: Vec<String> = findings.iter().map(|f| format!("  {f}")).collect();
    let movable = findings
        .iter()
        .any(|f| matches!(f.problem, Problem::Misplaced { .. }));
    if fix_hint && movable {
        lines.push(
            "  --fix rewrites the file with the misplaced members moved (the original kept \
             beside it as .orig)"
                .into(),
        );
    }
    usage!(
        "{source} is not valid for the API; nothing was sent:\n{}",
        lines.join("\n")
    )
}

/// The findings that make a patch unusable on its own: members in the wrong place, unknown
/// members, values the API does not take. Missing members are judged on the document the patch
/// leaves, not on the patch.
pub fn patch_findings(patch: &Value) -> Vec<Finding> {
    document::check(patch, Request::Update)
        .into_iter()
        .filter(|f| !matches!(f.problem, Problem::Missing))
        .collect()
}
