//! The cosell sandbox: a local Partner Central that speaks the real wire protocol (AWS JSON 1.0)
//! so the real AWS SDKs and the real `aws` CLI work against it unchanged.
//!
//! Layering: `dispatch` is pure request-in, response-out over `State` (no I/O, time passed in);
//! `server` adds HTTP, quotas, fault injection and persistence. It shares no code with the
//! client side of cosell.

pub mod account;
pub mod benefits;
pub mod channel;
pub mod clock;
pub mod demo;
pub mod engagements;
pub mod error;
pub mod model;
pub mod persist;
pub mod selling;
pub mod server;
pub mod snapshots;
pub mod state;
pub mod store;
pub mod summary;

use serde_json::Value;

pub use error::{ApiError, Service};
pub use server::{RunningSandbox, SandboxConfig, ThrottleMode};
pub use state::State;

use clock::Millis;
use model::ProblemCode;

pub const SELLING_PREFIX: &str = "AWSPartnerCentralSelling";
pub const ACCOUNT_PREFIX: &str = "PartnerCentralAccount";
pub const BENEFITS_PREFIX: &str = "PartnerCentralBenefitsService";
pub const CHANNEL_PREFIX: &str = "PartnerCentralChannel";

/// The operations this sandbox emulates; every other target is an UnknownOperationException.
pub const SELLING_OPERATIONS: [&str; 42] = [
    "ListOpportunities",
    "GetOpportunity",
    "CreateOpportunity",
    "UpdateOpportunity",
    "SubmitOpportunity",
    "AssignOpportunity",
    "AssociateOpportunity",
    "DisassociateOpportunity",
    "GetAwsOpportunitySummary",
    "ListSolutions",
    "ListEngagementInvitations",
    "GetEngagementInvitation",
    "AcceptEngagementInvitation",
    "RejectEngagementInvitation",
    "StartEngagementByAcceptingInvitationTask",
    "ListEngagementByAcceptingInvitationTasks",
    "StartEngagementFromOpportunityTask",
    "ListEngagementFromOpportunityTasks",
    "GetEngagement",
    "ListEngagements",
    "CreateEngagement",
    "CreateEngagementContext",
    "UpdateEngagementContext",
    "ListEngagementMembers",
    "ListEngagementResourceAssociations",
    "CreateEngagementInvitation",
    "StartOpportunityFromEngagementTask",
    "ListOpportunityFromEngagementTasks",
    "GetSellingSystemSettings",
    "PutSellingSystemSettings",
    "CreateResourceSnapshot",
    "GetResourceSnapshot",
    "ListResourceSnapshots",
    "CreateResourceSnapshotJob",
    "StartResourceSnapshotJob",
    "StopResourceSnapshotJob",
    "DeleteResourceSnapshotJob",
    "GetResourceSnapshotJob",
    "ListResourceSnapshotJobs",
    "ListTagsForResource",
    "TagResource",
    "UntagResource",
];

pub const ACCOUNT_OPERATIONS: [&str; 12] = [
    "GetPartner",
    "ListPartners",
    "GetAllianceLeadContact",
    "ListConnections",
    "GetConnection",
    "CancelConnection",
    "ListConnectionInvitations",
    "GetConnectionInvitation",
    "CreateConnectionInvitation",
    "AcceptConnectionInvitation",
    "RejectConnectionInvitation",
    "CancelConnectionInvitation",
];

pub const BENEFITS_OPERATIONS: [&str; 17] = [
    "ListBenefits",
    "GetBenefit",
    "CreateBenefitApplication",
    "GetBenefitApplication",
    "ListBenefitApplications",
    "UpdateBenefitApplication",
    "SubmitBenefitApplication",
    "AmendBenefitApplication",
    "RecallBenefitApplication",
    "CancelBenefitApplication",
    "AssociateBenefitApplicationResource",
    "DisassociateBenefitApplicationResource",
    "ListBenefitAllocations",
    "GetBenefitAllocation",
    "ListTagsForResource",
    "TagResource",
    "UntagResource",
];

pub const CHANNEL_OPERATIONS: [&str; 17] = [
    "CreateProgramManagementAccount",
    "UpdateProgramManagementAccount",
    "DeleteProgramManagementAccount",
    "ListProgramManagementAccounts",
    "CreateRelationship",
    "GetRelationship",
    "UpdateRelationship",
    "DeleteRelationship",
    "ListRelationships",
    "CreateChannelHandshake",
    "AcceptChannelHandshake",
    "RejectChannelHandshake",
    "CancelChannelHandshake",
    "ListChannelHandshakes",
    "ListTagsForResource",
    "TagResource",
    "UntagResource",
];

/// A successful response: a JSON value, or JSON text assembled from cached pieces (list pages,
/// where rebuilding a value tree per row would dominate the server time).
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    Value(Value),
    Text(String),
}

impl Reply {
    pub fn into_text(self) -> String {
        match self {
            Reply::Value(v) => v.to_string(),
            Reply::Text(t) => t,
        }
    }

    pub fn into_value(self) -> Value {
        match self {
            Reply::Value(v) => v,
            Reply::Text(t) => serde_json::from_str(&t).unwrap_or(Value::Null),
        }
    }
}

/// A request resolved to its service and operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub service: Service,
    pub operation: String,
}

pub fn resolve_target(target: &str) -> Result<Target, ApiError> {
    let unknown = || ApiError::UnknownOperation(target.to_string());
    let (prefix, operation) = target.split_once('.').ok_or_else(unknown)?;
    let (service, known): (Service, &[&str]) = match prefix {
        SELLING_PREFIX => (Service::Selling, &SELLING_OPERATIONS),
        ACCOUNT_PREFIX => (Service::Account, &ACCOUNT_OPERATIONS),
        BENEFITS_PREFIX => (Service::Benefits, &BENEFITS_OPERATIONS),
        CHANNEL_PREFIX => (Service::Channel, &CHANNEL_OPERATIONS),
        _ => return Err(unknown()),
    };
    if !known.contains(&operation) {
        return Err(unknown());
    }
    Ok(Target {
        service,
        operation: operation.to_string(),
    })
}

/// The form raw-HTTP clients use: `POST /<Operation>` with no `X-Amz-Target` (the real endpoints
/// answer it). Both services share this port; no operation name is in both of them.
pub fn resolve_path(path: &str) -> Result<Target, ApiError> {
    let operation = path.trim_matches('/');
    let service = if SELLING_OPERATIONS.contains(&operation) {
        Service::Selling
    } else if ACCOUNT_OPERATIONS.contains(&operation) {
        Service::Account
    } else if CHANNEL_OPERATIONS.contains(&operation) {
        Service::Channel
    } else if BENEFITS_OPERATIONS.contains(&operation) {
        // Names the selling API shares (the tag trio) resolve to it above; the benefits API is
        // reached by the header form, as its SDKs send it.
        Service::Benefits
    } else {
        return Err(ApiError::UnknownOperation(format!("POST {path}")));
    };
    Ok(Target {
        service,
        operation: operation.to_string(),
    })
}

impl Target {
    /// `Prefix.Operation`, as the header form names it.
    pub fn header_form(&self) -> String {
        let prefix = match self.service {
            Service::Selling => SELLING_PREFIX,
            Service::Account => ACCOUNT_PREFIX,
            Service::Benefits => BENEFITS_PREFIX,
            Service::Channel => CHANNEL_PREFIX,
        };
        format!("{prefix}.{}", self.operation)
    }
}

pub fn is_read_only(operation: &str) -> bool {
    operation.starts_with("Get") || operation.starts_with("List")
}

/// Parses a request body, normalizes it as the real service reads it (unknown members and
/// `null`s dropped) and checks it against the service model.
pub fn parse_input(target: &Target, body: &[u8]) -> Result<Value, ApiError> {
    let mut input: Value = if body.iter().all(u8::is_ascii_whitespace) {
        Value::Object(Default::default())
    } else {
        serde_json::from_slice(body).map_err(|e| {
            ApiError::Serialization(format!("The request body is not valid JSON: {e}"))
        })?
    };
    if !input.is_object() {
        return Err(ApiError::Serialization(
            "The request body must be a JSON object".into(),
        ));
    }
    let model = match target.service {
        Service::Selling => model::selling(),
        Service::Account => model::account(),
        Service::Benefits => model::benefits(),
        Service::Channel => model::channel(),
    };
    model.normalize(&target.operation, &mut input);
    let problems = model.validate(&target.operation, &input);
    if let Some(wrong) = problems.iter().find(|p| p.code == ProblemCode::WrongType) {
        return Err(ApiError::Serialization(wrong.message.clone()));
    }
    if !problems.is_empty() {
        let message = if problems.len() == 1 {
            problems[0].message.clone()
        } else {
            format!(
                "{} problems with the request: {}",
                problems.len(),
                problems
                    .iter()
                    .map(|p| p.message.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            )
        };
        return Err(ApiError::Validation {
            business: false,
            message,
            fields: problems,
        });
    }
    if let Some(catalog) = input.get("Catalog").and_then(Value::as_str)
        && !state::CATALOGS.contains(&catalog)
    {
        return Err(ApiError::Validation {
            business: false,
            message: format!(
                "Catalog {catalog} not found. Use AWS for production data or Sandbox for testing."
            ),
            fields: vec![model::FieldProblem {
                field: "Catalog".into(),
                code: ProblemCode::InvalidValue,
                message: "Catalog must be AWS or Sandbox".into(),
            }],
        });
    }
    Ok(input)
}

/// Handles one checked request at `now` as the sandbox's own partner.
pub fn dispatch(
    state: &mut State,
    target: &Target,
    input: &Value,
    now: Millis,
) -> Result<Reply, ApiError> {
    dispatch_as(state, target, input, now, None)
}

/// Handles one checked request at `now`: the pure core of the sandbox. `access_key` is the
/// request's access key id; another partner of the directory is named by its account id there
/// (the sandbox checks no signatures), and acts as that partner on engagements and invitations.
pub fn dispatch_as(
    state: &mut State,
    target: &Target,
    input: &Value,
    now: Millis,
    access_key: Option<&str>,
) -> Result<Reply, ApiError> {
    state.caller = access_key
        .filter(|key| *key != state.account_id)
        .filter(|key| {
            state
                .catalogs
                .values()
                .any(|c| c.directory.contains_key(*key))
        })
        .map(str::to_string);
    let result = dispatch_checked(state, target, input, now);
    state.caller = None;
    result
}

fn dispatch_checked(
    state: &mut State,
    target: &Target,
    input: &Value,
    now: Millis,
) -> Result<Reply, ApiError> {
    state.advance(now);
    // The channel API spells its members in camelCase.
    let member = |name: &str| {
        input
            .get(name)
            .or_else(|| input.get(name[..1].to_lowercase() + &name[1..]))
            .and_then(Value::as_str)
    };
    let replay_key = member("ClientToken").map(|token| {
        format!(
            "{:?}|{}|{}|{}|{token}",
            target.service,
            target.operation,
            member("Catalog").unwrap_or(""),
            state.me()
        )
    });
    let body_hash = store::fnv1a(input.to_string().as_bytes());
    if let Some(key) = &replay_key
        && let Some((hash, response)) = state.idempotency.entries.get(key)
    {
        if *hash == body_hash {
            return Ok(Reply::Value(response.clone()));
        }
        return Err(ApiError::Conflict {
            message: "Conflicting client token submitted for a new request body. Use a new ClientToken for a different request.".into(),
            reason: "CONFLICT_CLIENT_TOKEN",
        });
    }
    let result = match target.service {
        Service::Selling => selling::handle(state, &target.operation, input, now),
        Service::Account => account::handle(state, &target.operation, input, now).map(Reply::Value),
        Service::Benefits => {
            benefits::handle(state, &target.operation, input, now).map(Reply::Value)
        }
        Service::Channel => channel::handle(state, &target.operation, input, now).map(Reply::Value),
    };
    if !is_read_only(&target.operation) {
        // A write may have scheduled background work (a task, a review); look again next time.
        state.wake_now();
    }
    if let (Some(key), Ok(Reply::Value(response))) = (replay_key, &result) {
        state
            .idempotency
            .entries
            .insert(key, (body_hash, response.clone()));
    }
    result
}
