//! Opportunity documents: the API's own JSON, as `aws partnercentral-selling create-opportunity
//! --cli-input-json` files hold it and as UpdateOpportunity replaces a record whole.
//!
//! A document is checked against the selling service model (the same botocore file the sandbox
//! validates with, read here on its own) before anything is sent: a member in the wrong place is
//! named with the path it belongs at, so a file written from a wrong template (the guide's puts
//! `CompanyName` directly under `Customer`) is corrected instead of half-ignored. Partial
//! documents are patches (RFC 7396: objects merge, `null` removes, anything else replaces) laid
//! on the record as it is, because UpdateOpportunity treats every member left out as erased.

use std::collections::VecDeque;
use std::sync::LazyLock;

use serde_json::{Map, Value};

const SELLING_MODEL: &str =
    include_str!("../../../../assets/models/partnercentral-selling/service-2.json");

static SHAPES: LazyLock<Map<String, Value>> = LazyLock::new(|| {
    let model: Value = serde_json::from_str(SELLING_MODEL).expect("the bundled model is JSON");
    match model.get("shapes") {
        Some(Value::Object(shapes)) => shapes.clone(),
        _ => Map::new(),
    }
});

/// Which request a document is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Request {
    Create,
    Update,
}

impl Request {
    fn shape(self) -> &'static str {
        match self {
            Request::Create => "CreateOpportunityRequest",
            Request::Update => "UpdateOpportunityRequest",
        }
    }

    /// Top-level members cosell supplies itself (from `--catalog`, the record it read, a token
    /// it makes), so a file may leave them out.
    fn supplied(self) -> &'static [&'static str] {
        match self {
            Request::Create => &["Catalog", "ClientToken"],
            Request::Update => &["Catalog", "Identifier", "LastModifiedDate"],
        }
    }
}

/// Members AWS sets: a document may carry them (a GetOpportunity answer edited and sent back),
/// and they are dropped rather than sent.
pub const AWS_OWNED: [&str; 4] = [
    "LifeCycle.ReviewStatus",
    "LifeCycle.ReviewComments",
    "LifeCycle.ReviewStatusReason",
    "LifeCycle.NextStepsHistory",
];

#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// The member exists in the API, at another path.
    Misplaced {
        belongs_at: String,
    },
    /// No member of that name anywhere in the request.
    Unknown {
        known: Vec<String>,
    },
    Missing,
    NotOneOf {
        allowed: Vec<String>,
    },
    WrongType {
        expected: &'static str,
    },
}

/// One thing wrong with a document, at a path in it (`Customer.CompanyName`,
/// `Project.ExpectedCustomerSpend[0].Frequency`).
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub path: String,
    pub problem: Problem,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let path = &self.path;
        match &self.problem {
            Problem::Misplaced { belongs_at } => {
                write!(f, "{path}: not a member here; it belongs at {belongs_at}")
            }
            Problem::Unknown { known } => write!(
                f,
                "{path}: the API has no such member; this level takes {}",
                known.join(", ")
            ),
            Problem::Missing => write!(f, "{path}: missing, and the API requires it"),
            Problem::NotOneOf { allowed } if allowed.len() > 12 => write!(
                f,
                "{path}: not one of the API's {} values (for example {}, …)",
                allowed.len(),
                allowed[..6].join(", ")
            ),
            Problem::NotOneOf { allowed } => {
                write!(f, "{path}: must be one of {}", allowed.join(", "))
            }
            Problem::WrongType { expected } => write!(f, "{path}: must be {expected}"),
        }
    }
}

fn shape(name: &str) -> Option<&'static Map<String, Value>> {
    SHAPES.get(name).and_then(Value::as_object)
}

fn members(shape: &Map<String, Value>) -> Vec<(&str, &str)> {
    shape
        .get("members")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| Some((k.as_str(), v.get("shape")?.as_str()?)))
                .collect()
        })
        .unwrap_or_default()
}

fn required(shape: &Map<String, Value>) -> Vec<&str> {
    shape
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

fn kind(shape: &Map<String, Value>) -> &str {
    shape.get("type").and_then(Value::as_str).unwrap_or("")
}

/// Where a member called `name` sits below the structure `from` (breadth first, so the nearest
/// wins), as a dotted path relative to it.
fn find_member(from: &str, name: &str) -> Option<String> {
    let mut queue: VecDeque<(String, &str)> = VecDeque::from([(String::new(), from)]);
    let mut seen: Vec<&str> = Vec::new();
    while let Some((prefix, shape_name)) = queue.pop_front() {
        let Some(shape) = shape(shape_name) else {
            continue;
        };
        if kind(shape) != "structure" || seen.contains(&shape_name) {
            continue;
        }
        seen.push(shape_name);
        let members = members(shape);
        let join = |k: &str| {
            if prefix.is_empty() {
                k.to_string()
            } else {
                format!("{prefix}.{k}")
            }
        };
        if let Some((k, _)) = members.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)) {
            return Some(join(k));
        }
        for (k, s) in members {
            queue.push_back((join(k), s));
        }
    }
    None
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}.{name}")
    }
}

/// Everything wrong with `doc` as the `request`'s input, in document order.
pub fn check(doc: &Value, request: Request) -> Vec<Finding> {
    let mut findings = Vec::new();
    let root = request.shape();
    let Some(Value::Object(_)) = Some(doc) else {
        findings.push(Finding {
            path: "(document)".into(),
            problem: Problem::WrongType {
                expected: "a JSON object",
            },
        });
        return findings;
    };
    check_value(doc, root, "", root, request, &mut findings);
    findings
}

fn check_value(
    value: &Value,
    shape_name: &str,
    path: &str,
    root: &str,
    request: Request,
    findings: &mut Vec<Finding>,
) {
    let Some(shape) = shape(shape_name) else {
        return;
    };
    let mut wrong = |expected: &'static str| {
        findings.push(Finding {
            path: path.to_string(),
            problem: Problem::WrongType { expected },
        })
    };
    match (kind(shape), value) {
        // An explicit null is how the API's JSON says "absent".
        (_, Value::Null) => {}
        ("structure", Value::Object(map)) => {
            let known = members(shape);
            for (name, member_value) in map {
                let here = join(path, name);
                match known.iter().find(|(k, _)| k == name) {
                    Some((_, member_shape)) => {
                        check_value(member_value, member_shape, &here, root, request, findings)
                    }
                    None => {
                        let below = find_member(shape_name, name)
                            .map(|p| join(path, &p))
                            .or_else(|| find_member(root, name));
                        findings.push(Finding {
                            path: here,
                            problem: match below {
                                Some(belongs_at) => Problem::Misplaced { belongs_at },
                                None => Problem::Unknown {
                                    known: known.iter().map(|(k, _)| k.to_string()).collect(),
                                },
                            },
                        });
                    }
                }
            }
            let supplied = if path.is_empty() {
                request.supplied()
            } else {
                &[]
            };
            for name in required(shape) {
                let absent = map.get(name).is_none_or(Value::is_null);
                if absent && !supplied.contains(&name) {
                    findings.push(Finding {
                        path: join(path, name),
                        problem: Problem::Missing,
                    });
                }
            }
        }
        ("structure", _) => wrong("an object"),
        ("list", Value::Array(items)) => {
            let member = shape
                .get("member")
                .and_then(|m| m.get("shape"))
                .and_then(Value::as_str)
                .unwrap_or("");
            for (i, item) in items.iter().enumerate() {
                check_value(
                    item,
                    member,
                    &format!("{path}[{i}]"),
                    root,
                    request,
                    findings,
                );
            }
        }
        ("list", _) => wrong("a list"),
        ("string", Value::String(text)) => {
            if let Some(Value::Array(allowed)) = shape.get("enum")
                && !allowed.iter().any(|a| a.as_str() == Some(text))
            {
                findings.push(Finding {
                    path: path.to_string(),
                    problem: Problem::NotOneOf {
                        allowed: allowed
                            .iter()
                            .filter_map(|a| a.as_str().map(String::from))
                            .collect(),
                    },
                });
            }
        }
        ("string", _) => wrong("a string"),
        ("timestamp", Value::String(_) | Value::Number(_)) => {}
        ("timestamp", _) => wrong("a date and time (2026-01-12T20:00:00Z)"),
        ("boolean", Value::Bool(_)) => {}
        ("boolean", _) => wrong("true or false"),
        ("integer" | "long" | "double" | "float", Value::Number(_)) => {}
        ("integer" | "long" | "double" | "float", _) => wrong("a number"),
        _ => {}
    }
}

/// The document with every misplaced member moved to where it belongs (unless something is
/// already there), for `--fix`. Other findings are left for the user: a value cannot be guessed.
pub fn corrected(doc: &Value, findings: &[Finding]) -> Value {
    let mut out = doc.clone();
    for finding in findings {
        if let Problem::Misplaced { belongs_at } = &finding.problem
            && !finding.path.contains('[')
            && get(&out, belongs_at).is_none()
            && let Some(value) = remove(&mut out, &finding.path)
        {
            set(&mut out, belongs_at, value);
        }
    }
    out
}

/// The value at a dotted path, if there is one that is not null.
pub fn get<'a>(doc: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.')
        .try_fold(doc, |v, k| v.get(k))
        .filter(|v| !v.is_null())
}

/// Sets the value at a dotted path, making the objects on the way.
pub fn set(doc: &mut Value, path: &str, value: Value) {
    let mut here = doc;
    let mut parts = path.split('.').peekable();
    while let Some(part) = parts.next() {
        if !here.is_object() {
            *here = Value::Object(Map::new());
        }
        let Value::Object(map) = here else {
            return;
        };
        if parts.peek().is_none() {
            map.insert(part.to_string(), value);
            return;
        }
        here = map
            .entry(part.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
    }
}

/// Takes the value at a dotted path out, dropping objects it leaves empty.
pub fn remove(doc: &mut Value, path: &str) -> Option<Value> {
    match path.split_once('.') {
        None => doc.as_object_mut()?.remove(path),
        Some((head, rest)) => {
            let child = doc.get_mut(head)?;
            let taken = remove(child, rest);
            if child.as_object().is_some_and(Map::is_empty) {
                doc.as_object_mut()?.remove(head);
            }
            taken
        }
    }
}

/// Lays `patch` on `base` (RFC 7396 JSON Merge Patch): objects merge member by member, `null`
/// removes, anything else (lists included) replaces.
pub fn merge(base: &mut Value, patch: &Value) {
    let Value::Object(patch) = patch else {
        *base = patch.clone();
        return;
    };
    if !base.is_object() {
        *base = Value::Object(Map::new());
    }
    let Value::Object(target) = base else {
        return;
    };
    for (key, value) in patch {
        if value.is_null() {
            target.remove(key);
        } else {
            merge(target.entry(key.clone()).or_insert(Value::Null), value);
        }
    }
}

/// One member that differs between two documents; lists and scalars are compared whole.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub path: String,
    pub old: Option<Value>,
    pub new: Option<Value>,
}

impl Change {
    /// `path: old → new`, values as their text (strings unquoted), `(none)` for absent.
    pub fn describe(&self) -> String {
        format!(
            "{}: {} → {}",
            self.path,
            display(self.old.as_ref()),
            display(self.new.as_ref())
        )
    }
}

pub fn display(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => "(none)".into(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// Every leaf member that differs from `old` to `new`, in path order.
pub fn changes(old: &Value, new: &Value) -> Vec<Change> {
    let mut out = Vec::new();
    diff("", Some(old), Some(new), &mut out);
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

fn diff(path: &str, old: Option<&Value>, new: Option<&Value>, out: &mut Vec<Change>) {
    let old = old.filter(|v| !v.is_null());
    let new = new.filter(|v| !v.is_null());
    match (old, new) {
        (Some(Value::Object(a)), Some(Value::Object(b))) => {
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                diff(&join(path, key), a.get(key), b.get(key), out);
            }
        }
        (Some(Value::Object(a)), None) => {
            for (key, v) in a {
                diff(&join(path, key), Some(v), None, out);
            }
        }
        (None, Some(Value::Object(b))) => {
            for (key, v) in b {
                diff(&join(path, key), None, Some(v), out);
            }
        }
        (a, b) if a == b => {}
        (a, b) => out.push(Change {
            path: path.to_string(),
            old: a.cloned(),
            new: b.cloned(),
        }),
    }
}

/// What the model says a member is, for turning `Path=Value` text into its JSON.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Text,
    OneOf(Vec<String>),
    List,
    Object,
}

/// The member at `path` (segments in any case) in the request's input: its path as the API
/// spells it and its kind. None when the request has no such member.
pub fn member(request: Request, path: &str) -> Option<(String, Kind)> {
    let mut shape_name = request.shape();
    let mut spelled = Vec::new();
    for segment in path.split('.') {
        let shape = shape(shape_name)?;
        let (name, next) = members(shape)
            .into_iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(segment.trim()))?;
        spelled.push(name);
        shape_name = next;
    }
    let shape = shape(shape_name)?;
    let kind = match (kind(shape), shape.get("enum")) {
        ("string", Some(Value::Array(values))) => Kind::OneOf(
            values
                .iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect(),
        ),
        ("list", _) => Kind::List,
        ("structure" | "map", _) => Kind::Object,
        _ => Kind::Text,
    };
    Some((spelled.join("."), kind))
}

/// Paths below the top-level members a request writes, for messages listing what a patch takes.
pub fn writable_paths(request: Request) -> Vec<String> {
    let mut out = Vec::new();
    let Some(root) = shape(request.shape()) else {
        return out;
    };
    let mut stack: Vec<(String, &str)> = members(root)
        .into_iter()
        .filter(|(k, _)| !request.supplied().contains(k))
        .map(|(k, s)| (k.to_string(), s))
        .rev()
        .collect();
    while let Some((path, shape_name)) = stack.pop() {
        if AWS_OWNED.contains(&path.as_str()) {
            continue;
        }
        match shape(shape_name) {
            Some(sh) if kind(sh) == "structure" => {
                for (k, s) in members(sh).into_iter().rev() {
                    stack.push((format!("{path}.{k}"), s));
                }
            }
            _ => out.push(path),
        }
    }
    out
}

/// A value typed for a member of `kind`: an enum value in any case becomes the API's spelling;
/// a list is `;`-separated (or JSON); an object is JSON; empty text is null, which clears the
/// member.
pub fn value_for(path: &str, kind: &Kind, text: &str) -> Result<Value, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(Value::Null);
    }
    match kind {
        Kind::Text => Ok(Value::String(text.to_string())),
        Kind::OneOf(values) => values
            .iter()
            .find(|v| v.eq_ignore_ascii_case(text))
            .map(|v| Value::String(v.clone()))
            .ok_or_else(|| {
                Finding {
                    path: path.to_string(),
                    problem: Problem::NotOneOf {
                        allowed: values.clone(),
                    },
                }
                .to_string()
            }),
        Kind::List if text.starts_with('[') => {
            serde_json::from_str(text).map_err(|e| format!("{path}: not a JSON list ({e})"))
        }
        Kind::List => Ok(Value::Array(
            text.split(';')
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(|t| Value::String(t.to_string()))
                .collect(),
        )),
        Kind::Object => {
            serde_json::from_str(text).map_err(|e| format!("{path}: not a JSON object ({e})"))
        }
    }
}

/// The members of a document that UpdateOpportunity replaces: what a patch may touch.
pub const WRITABLE: [&str; 9] = [
    "PrimaryNeedsFromAws",
    "NationalSecurity",
    "PartnerOpportunityIdentifier",
    "Customer",
    "Project",
    "OpportunityType",
    "Marketing",
    "SoftwareRevenue",
    "LifeCycle",
];

/// The part of a document a patch may change: the writable members, without what AWS owns.
pub fn writable_part(doc: &Value) -> Value {
    let mut out = Value::Object(Map::new());
    for member in WRITABLE {
        if let Some(v) = doc.get(member).filter(|v| !v.is_null()) {
            set(&mut out, member, v.clone());
        }
    }
    for owned in AWS_OWNED {
        remove(&mut out, owned);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_member_one_level_too_high_is_named_with_its_path() {
        let doc = json!({"Customer": {"CompanyName": "Acme", "CountryCode": "US"}});
        let findings = check(&doc, Request::Create);
        assert_eq!(
            findings,
            vec![
                Finding {
                    path: "Customer.CompanyName".into(),
                    problem: Problem::Misplaced {
                        belongs_at: "Customer.Account.CompanyName".into()
                    }
                },
                Finding {
                    path: "Customer.CountryCode".into(),
                    problem: Problem::Misplaced {
                        belongs_at: "Customer.Account.Address.CountryCode".into()
                    }
                },
            ]
        );
        let fixed = corrected(&doc, &findings);
        assert_eq!(
            fixed,
            json!({"Customer": {"Account": {"CompanyName": "Acme", "Address": {"CountryCode": "US"}}}})
        );
        assert_eq!(check(&fixed, Request::Create), vec![]);
    }

    #[test]
    fn enums_required_members_and_types_are_checked_at_depth() {
        let doc = json!({
            "Customer": {"Account": {"Industry": "Technology"}},
            "Project": {"ExpectedCustomerSpend": [{"Amount": "1"}], "Title": 5},
            "Nonsense": 1,
        });
        let found: Vec<String> = check(&doc, Request::Create)
            .iter()
            .map(|f| f.path.clone())
            .collect();
        assert_eq!(
            found,
            [
                "Customer.Account.Industry",
                "Customer.Account.CompanyName",
                "Nonsense",
                "Project.ExpectedCustomerSpend[0].CurrencyCode",
                "Project.ExpectedCustomerSpend[0].Frequency",
                "Project.ExpectedCustomerSpend[0].TargetCompany",
                "Project.Title",
            ]
        );
    }

    #[test]
    fn set_paths_are_typed_by_the_model() {
        let (path, kind) = member(Request::Update, "lifecycle.stage").unwrap();
        assert_eq!(path, "LifeCycle.Stage");
        assert_eq!(
            value_for(&path, &kind, "closed lost"),
            Ok(json!("Closed Lost"))
        );
        assert!(value_for(&path, &kind, "Won").is_err());
        let (path, kind) = member(Request::Update, "Project.DeliveryModels").unwrap();
        assert_eq!(
            value_for(&path, &kind, "SaaS or PaaS; Resell"),
            Ok(json!(["SaaS or PaaS", "Resell"]))
        );
        assert_eq!(value_for(&path, &kind, " "), Ok(Value::Null));
        assert_eq!(member(Request::Update, "Project.Nonsense"), None);
        let paths = writable_paths(Request::Update);
        assert!(paths.contains(&"Customer.Account.Address.CountryCode".to_string()));
        assert!(!paths.iter().any(|p| p.starts_with("LifeCycle.Review")));
        assert!(!paths.contains(&"Identifier".to_string()));
    }

    #[test]
    fn a_merge_patch_keeps_what_it_does_not_name_and_null_removes() {
        let mut base = json!({"LifeCycle": {"Stage": "Prospect", "NextSteps": "call"}, "Project": {"Title": "T"}});
        merge(
            &mut base,
            &json!({"LifeCycle": {"Stage": "Qualified", "NextSteps": null}}),
        );
        assert_eq!(
            base,
            json!({"LifeCycle": {"Stage": "Qualified"}, "Project": {"Title": "T"}})
        );
    }

    #[test]
    fn changes_name_each_leaf_once() {
        let old = json!({"LifeCycle": {"Stage": "Prospect"}, "Project": {"DeliveryModels": ["SaaS or PaaS"]}});
        let new = json!({"LifeCycle": {"Stage": "Qualified"}, "Project": {"DeliveryModels": ["SaaS or PaaS"], "Title": "T"}});
        let described: Vec<String> = changes(&old, &new).iter().map(Change::describe).collect();
        assert_eq!(
            described,
            [
                "LifeCycle.Stage: Prospect → Qualified",
                "Project.Title: (none) → T"
            ]
        );
    }
}
