//! AWSPartnerCentralSelling operations. Inputs arrive already checked against the service model,
//! so these handlers enforce only the business rules: locks, optimistic concurrency, caps,
//! workflow states.

use serde_json::{Map, Value, json};

use super::Reply;
use super::clock::{self, Millis, format_millis, instant_of};
use super::engagements;
use super::error::{ApiError, ApiResult};
use super::model::{FieldProblem, ProblemCode};
use super::snapshots;
use super::state::{State, set_lifecycle, strip_nulls};
use super::store::{
    self, InvitationRecord, Key, LOWER_ALNUM, OPPORTUNITY_SORTS, OpportunityFilter,
    OpportunityRecord, PageRequest, TaskKind, TaskRecord, page_small,
};

pub fn handle(state: &mut State, op: &str, input: &Value, now: Millis) -> Result<Reply, ApiError> {
    let catalog = input["Catalog"].as_str().unwrap_or("").to_string();
    if op == "ListOpportunities" {
        return list_opportunities(state, &catalog, input).map(Reply::Text);
    }
    let value = match op {
        "GetOpportunity" => get_opportunity(state, &catalog, input),
        "CreateOpportunity" => create_opportunity(state, &catalog, input, now),
        "UpdateOpportunity" => update_opportunity(state, &catalog, input, now),
        "SubmitOpportunity" => submit_opportunity(state, &catalog, input, now),
        "AssignOpportunity" => assign_opportunity(state, &catalog, input, now),
        "AssociateOpportunity" => associate(state, &catalog, input, now, true),
        "DisassociateOpportunity" => associate(state, &catalog, input, now, false),
        "GetAwsOpportunitySummary" => aws_summary(state, &catalog, input),
        "ListSolutions" => list_solutions(state, &catalog, input),
        "ListEngagementInvitations" => list_invitations(state, &catalog, input),
        "GetEngagementInvitation" => get_invitation(state, &catalog, input),
        "AcceptEngagementInvitation" => answer_invitation(state, &catalog, input, true),
        "RejectEngagementInvitation" => answer_invitation(state, &catalog, input, false),
        "StartEngagementByAcceptingInvitationTask" => {
            start_accept_task(state, &catalog, input, now)
        }
        "StartEngagementFromOpportunityTask" => start_submit_task(state, &catalog, input, now),
        "ListEngagementByAcceptingInvitationTasks" => {
            list_tasks(state, &catalog, input, TaskKind::AcceptInvitation)
        }
        "ListEngagementFromOpportunityTasks" => {
            list_tasks(state, &catalog, input, TaskKind::FromOpportunity)
        }
        "GetEngagement" => engagements::get_engagement(state, &catalog, input),
        "ListEngagements" => engagements::list_engagements(state, &catalog, input),
        "CreateEngagement" => engagements::create_engagement(state, &catalog, input, now),
        "CreateEngagementContext" => engagements::create_context(state, &catalog, input, now),
        "UpdateEngagementContext" => engagements::update_context(state, &catalog, input, now),
        "ListEngagementMembers" => engagements::list_members(state, &catalog, input),
        "ListEngagementResourceAssociations" => {
            engagements::list_resource_associations(state, &catalog, input)
        }
        "StartOpportunityFromEngagementTask" => {
            engagements::start_conversion(state, &catalog, input, now)
        }
        "ListOpportunityFromEngagementTasks" => {
            list_tasks(state, &catalog, input, TaskKind::OpportunityFromEngagement)
        }
        "CreateEngagementInvitation" => engagements::invite(state, &catalog, input, now),
        "GetSellingSystemSettings" => engagements::get_settings(state, &catalog),
        "CreateResourceSnapshot" => snapshots::create_snapshot(state, &catalog, input, now),
        "GetResourceSnapshot" => snapshots::get_snapshot(state, &catalog, input),
        "ListResourceSnapshots" => snapshots::list_snapshots(state, &catalog, input),
        "CreateResourceSnapshotJob" => snapshots::create_job(state, &catalog, input, now),
        "StartResourceSnapshotJob" => snapshots::start_job(state, &catalog, input, now),
        "StopResourceSnapshotJob" => snapshots::stop_job(state, &catalog, input),
        "DeleteResourceSnapshotJob" => snapshots::delete_job(state, &catalog, input),
        "GetResourceSnapshotJob" => snapshots::get_job(state, &catalog, input),
        "ListResourceSnapshotJobs" => snapshots::list_jobs(state, &catalog, input),
        "PutSellingSystemSettings" => engagements::put_settings(state, &catalog, input),
        "ListTagsForResource" => list_tags(state, input),
        "TagResource" => tag_resource(state, input),
        "UntagResource" => untag_resource(state, input),
        other => Err(ApiError::UnknownOperation(format!(
            "AWSPartnerCentralSelling.{other}"
        ))),
    };
    value.map(Reply::Value)
}

/// Operations in the documented read and write quota groups (reads 10/s, writes 1/s).
pub fn quota_group(op: &str) -> Option<bool> {
    match op {
        "GetOpportunity"
        | "GetAwsOpportunitySummary"
        | "ListOpportunities"
        | "ListSolutions"
        | "GetEngagementInvitation"
        | "ListEngagementInvitations" => Some(false),
        "CreateOpportunity"
        | "UpdateOpportunity"
        | "AssociateOpportunity"
        | "DisassociateOpportunity"
        | "RejectEngagementInvitation"
        | "AssignOpportunity"
        | "StartEngagementFromOpportunityTask"
        | "StartEngagementByAcceptingInvitationTask" => Some(true),
        _ => None,
    }
}

/// List calls return 20 items unless MaxResults says otherwise.
const DEFAULT_LIMIT: u64 = 20;

fn problem(field: &str, code: ProblemCode, message: impl Into<String>) -> FieldProblem {
    FieldProblem {
        field: field.into(),
        code,
        message: message.into(),
    }
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn sort_of(
    input: &Value,
    names: &[&str],
    default: &str,
    default_descending: bool,
) -> (usize, bool) {
    let sort = &input["Sort"];
    let by = sort["SortBy"].as_str().unwrap_or(default);
    let index = names.iter().position(|n| *n == by).unwrap_or(0);
    let descending = match sort["SortOrder"].as_str() {
        Some(order) => order == "DESCENDING",
        None => default_descending,
    };
    (index, descending)
}

fn not_found_opportunity(identifier: &str, catalog: &str) -> ApiError {
    ApiError::not_found(format!(
        "Opportunity {identifier} was not found in the {catalog} catalog"
    ))
}

fn opportunity_id(catalog: &str, state: &State, identifier: &str) -> Result<u64, ApiError> {
    store::parse_opportunity_id(identifier)
        .filter(|id| state.catalogs[catalog].opportunities.contains_key(id))
        .ok_or_else(|| not_found_opportunity(identifier, catalog))
}

fn full(state: &State, catalog: &str, record: &OpportunityRecord) -> Value {
    let mut out = Value::Object(record.doc.clone());
    // Origin is stored (AWS knows where a deal came from) but GetOpportunity does not return it;
    // GetAwsOpportunitySummary does.
    if let Some(map) = out.as_object_mut() {
        map.remove("Origin");
    }
    let identifier = record.identifier();
    out["Catalog"] = json!(catalog);
    out["Id"] = json!(identifier);
    out["Arn"] = json!(state.opportunity_arn(catalog, &identifier));
    out["CreatedDate"] = json!(format_millis(record.created));
    out["LastModifiedDate"] = json!(format_millis(record.last_modified));
    // The real service lists every kind of association, empty ones as `[]`, so clients may index
    // `RelatedEntityIdentifiers["Solutions"]` without checking.
    let related = out["RelatedEntityIdentifiers"].take();
    let mut complete = serde_json::Map::new();
    for kind in RELATED_ENTITY_KINDS {
        complete.insert(kind.into(), related.get(kind).cloned().unwrap_or(json!([])));
    }
    out["RelatedEntityIdentifiers"] = Value::Object(complete);
    out
}

/// The members of `RelatedEntityIdentifiers` in this model version.
pub const RELATED_ENTITY_KINDS: [&str; 4] = [
    "AwsMarketplaceOffers",
    "AwsMarketplaceOfferSets",
    "Solutions",
    "AwsProducts",
];

fn list_opportunities(state: &State, catalog: &str, input: &Value) -> Result<String, ApiError> {
    let page_request = PageRequest::from_input("ListOpportunities", input, DEFAULT_LIMIT)?;
    let (sort, descending) = sort_of(input, &OPPORTUNITY_SORTS, "LastModifiedDate", true);
    let modified = &input["LastModifiedDate"];
    let created = &input["CreatedDate"];
    let close = &input["TargetCloseDate"];
    let filter = OpportunityFilter {
        identifiers: strings(&input["Identifier"])
            .iter()
            .filter_map(|i| store::parse_opportunity_id(i))
            .collect(),
        stages: strings(&input["LifeCycleStage"]),
        review_statuses: strings(&input["LifeCycleReviewStatus"]),
        companies: strings(&input["CustomerCompanyName"])
            .iter()
            .map(|c| c.to_lowercase())
            .collect(),
        modified_after: instant_of(&modified["AfterLastModifiedDate"]),
        modified_before: instant_of(&modified["BeforeLastModifiedDate"]),
        created_after: instant_of(&created["AfterCreatedDate"]),
        created_before: instant_of(&created["BeforeCreatedDate"]),
        close_after: close["AfterTargetCloseDate"].as_str().map(str::to_string),
        close_before: close["BeforeTargetCloseDate"].as_str().map(str::to_string),
    };
    let cat = &state.catalogs[catalog];
    let (page, next) = cat.page_opportunities(
        sort,
        descending,
        &filter,
        page_request.after.as_ref(),
        page_request.limit,
    );
    let mut out = String::with_capacity(64 + page.len() * 900);
    out.push_str("{\"OpportunitySummaries\":[");
    for (i, record) in page.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        super::summary::write(&mut out, state, catalog, record);
    }
    out.push(']');
    if let Some(token) = page_request.next_token(next) {
        out.push_str(",\"NextToken\":");
        out.push_str(&Value::String(token).to_string());
    }
    out.push('}');
    Ok(out)
}

fn get_opportunity(state: &State, catalog: &str, input: &Value) -> ApiResult {
    let identifier = input["Identifier"].as_str().unwrap_or("");
    let record = state.catalogs[catalog]
        .opportunity_by_identifier(identifier)
        .ok_or_else(|| not_found_opportunity(identifier, catalog))?;
    Ok(full(state, catalog, &record.open()))
}

/// Members a partner writes with Create/UpdateOpportunity (the rest are the service's).
const WRITABLE: [&str; 9] = [
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
const AWS_OWNED_LIFECYCLE: [&str; 4] = [
    "ReviewStatus",
    "ReviewComments",
    "ReviewStatusReason",
    "NextStepsHistory",
];

fn closed_lost_problems(doc: &Map<String, Value>) -> Vec<FieldProblem> {
    let lifecycle = doc.get("LifeCycle");
    let stage = lifecycle
        .and_then(|l| l.get("Stage"))
        .and_then(Value::as_str);
    let reason = lifecycle.and_then(|l| l.get("ClosedLostReason"));
    if stage == Some("Closed Lost") && reason.is_none_or(Value::is_null) {
        vec![problem(
            "LifeCycle.ClosedLostReason",
            ProblemCode::RequiredFieldMissing,
            "LifeCycle.ClosedLostReason is required when LifeCycle.Stage is Closed Lost",
        )]
    } else {
        Vec::new()
    }
}

fn create_opportunity(state: &mut State, catalog: &str, input: &Value, now: Millis) -> ApiResult {
    let origin = input["Origin"].as_str().unwrap_or("Partner Referral");
    if origin == "AWS Referral" && catalog != "Sandbox" {
        return Err(ApiError::business(
            "Only the Sandbox catalog can create an opportunity with Origin AWS Referral",
            vec![problem(
                "Origin",
                ProblemCode::InvalidValue,
                "Origin must be Partner Referral in the AWS catalog",
            )],
        ));
    }
    let doc = new_opportunity_doc(input, origin, now)?;
    let id = state.catalog(catalog).next_opportunity;
    let identifier = format!("O{id}");
    if let Some(tags) = input["Tags"].as_array() {
        let arn = state.opportunity_arn(catalog, &identifier);
        state.add_tags(arn, tags);
    }
    if origin == "AWS Referral" {
        // AWS's documented sandbox simulation: the opportunity appears on the AWS side first and
        // reaches the partner as a referral; accepting it creates this id in the partner's list.
        state.catalog(catalog).next_opportunity = id + 1;
        let mut invitation = referral_invitation(state, catalog, &doc, now);
        invitation.referral_opportunity = Some((id, doc.clone()));
        let id_text = invitation.id().to_string();
        state
            .catalog(catalog)
            .invitations
            .insert(id_text, invitation);
    } else {
        state
            .catalog(catalog)
            .insert_opportunity(OpportunityRecord {
                id,
                doc: doc.clone(),
                created: now,
                last_modified: now,
                involvement: None,
                visibility: None,
                submitted_at: None,
            });
    }
    let mut out = json!({"Id": identifier, "LastModifiedDate": format_millis(now)});
    if let Some(p) = doc.get("PartnerOpportunityIdentifier") {
        out["PartnerOpportunityIdentifier"] = p.clone();
    }
    Ok(out)
}

/// The record a create asks for: the members a partner writes, a Prospect pending submission
/// unless it says otherwise, with its first next step in the history.
fn new_opportunity_doc(
    input: &Value,
    origin: &str,
    now: Millis,
) -> Result<Map<String, Value>, ApiError> {
    let mut doc = Map::new();
    for member in WRITABLE.iter().chain(["OpportunityTeam"].iter()) {
        if let Some(v) = input.get(*member) {
            doc.insert(member.to_string(), v.clone());
        }
    }
    let problems = closed_lost_problems(&doc);
    if !problems.is_empty() {
        return Err(ApiError::business("The opportunity is not valid", problems));
    }
    doc.insert("Origin".into(), json!(origin));
    doc.insert("RelatedEntityIdentifiers".into(), json!({}));
    let lifecycle = doc.entry("LifeCycle").or_insert_with(|| json!({}));
    if let Some(l) = lifecycle.as_object_mut() {
        for member in AWS_OWNED_LIFECYCLE {
            l.remove(member);
        }
        l.entry("Stage").or_insert(json!("Prospect"));
        l.insert("ReviewStatus".into(), json!("Pending Submission"));
        if let Some(steps) = l.get("NextSteps").cloned() {
            l.insert(
                "NextStepsHistory".into(),
                json!([{"Value": steps, "Time": format_millis(now)}]),
            );
        }
    }
    Ok(doc)
}

fn referral_invitation(
    state: &mut State,
    catalog: &str,
    doc: &Map<String, Value>,
    now: Millis,
) -> InvitationRecord {
    let id = state.new_id("engi-", LOWER_ALNUM, 13);
    let engagement = state.new_id("eng-", LOWER_ALNUM, 14);
    let account = doc
        .get("Customer")
        .and_then(|c| c.get("Account"))
        .cloned()
        .unwrap_or(json!({}));
    let project = doc.get("Project").cloned().unwrap_or(json!({}));
    let title = project["Title"]
        .as_str()
        .unwrap_or("AWS referral")
        .to_string();
    let close = doc
        .get("LifeCycle")
        .and_then(|l| l.get("TargetCloseDate"))
        .cloned()
        .unwrap_or(json!(clock::date_string(now, 90)));
    let mut body = json!({
        "Arn": state.invitation_arn(catalog, &id),
        "PayloadType": "OpportunityInvitation",
        "Id": id,
        "EngagementId": engagement,
        "EngagementTitle": title.chars().take(40).collect::<String>(),
        "Status": "PENDING",
        "InvitationDate": format_millis(now),
        "ExpirationDate": format_millis(now + 15 * clock::DAY),
        "SenderAwsAccountId": super::state::AWS_SENDER_ACCOUNT,
        "SenderCompanyName": super::state::AWS_SENDER_NAME,
        "Receiver": {"Account": {"AwsAccountId": state.account_id, "Alias": "Partner"}},
        "InvitationMessage": "AWS would like to co-sell this opportunity with you.",
        "Payload": {"OpportunityInvitation": {
            "ReceiverResponsibilities": ["Services Partner"],
            "SenderContacts": [{"Email": "aws-sales@example.com", "FirstName": "AWS", "LastName": "Sales", "BusinessTitle": "AWSSalesRep"}],
            "Customer": {
                "CompanyName": account.get("CompanyName").cloned().unwrap_or(json!("Unnamed customer")),
                "Industry": account.get("Industry").cloned().unwrap_or(json!("Other")),
                "WebsiteUrl": account.get("WebsiteUrl").cloned().unwrap_or(json!("https://example.com")),
                "CountryCode": account.get("Address").and_then(|a| a.get("CountryCode")).cloned().unwrap_or(json!("US")),
            },
            "Project": {
                "Title": title,
                "BusinessProblem": project.get("CustomerBusinessProblem").cloned().unwrap_or(json!("The customer wants help from an AWS partner.")),
                "TargetCompletionDate": close,
                "ExpectedCustomerSpend": project.get("ExpectedCustomerSpend").cloned().unwrap_or(json!([])),
            }
        }},
    });
    strip_nulls(&mut body);
    InvitationRecord {
        doc: body.as_object().cloned().unwrap_or_default(),
        participant: "RECEIVER".into(),
        referral_opportunity: None,
        receiver_account: None,
    }
}

/// Paths of members that differ between two opportunity bodies, down to leaf members (lists are
/// compared whole: ExpectedCustomerSpend changes as one field).
fn changed_paths(old: &Value, new: &Value, prefix: &str, out: &mut Vec<String>) {
    match (old, new) {
        (Value::Object(a), Value::Object(b)) => {
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                let path = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                changed_paths(
                    a.get(k).unwrap_or(&Value::Null),
                    b.get(k).unwrap_or(&Value::Null),
                    &path,
                    out,
                );
            }
        }
        (Value::Object(a), Value::Null) | (Value::Null, Value::Object(a)) => {
            for (k, v) in a {
                if !v.is_null() {
                    changed_paths(v, &Value::Null, &format!("{prefix}.{k}"), out);
                }
            }
        }
        (a, b) if a != b => out.push(prefix.to_string()),
        _ => {}
    }
}

const ACTION_REQUIRED_EDITABLE: [&str; 10] = [
    "Customer.Account.Address.City",
    "Customer.Account.Address.CountryCode",
    "Customer.Account.Address.PostalCode",
    "Customer.Account.Address.StateOrRegion",
    "Customer.Account.Address.StreetAddress",
    "Customer.Account.WebsiteUrl",
    "LifeCycle.TargetCloseDate",
    "Project.ExpectedCustomerSpend",
    "Project.CustomerBusinessProblem",
    "PartnerOpportunityIdentifier",
];
const APPROVED_FROZEN: [&str; 7] = [
    "Customer.Account.Address.CountryCode",
    "Customer.Account.Address.PostalCode",
    "Customer.Account.Industry",
    "Customer.Account.WebsiteUrl",
    "Project.CustomerBusinessProblem",
    "Project.Title",
    "PartnerOpportunityIdentifier",
];

/// The review-status lock as the service documents it: the paths an update may not change.
pub fn locked_changes(review_status: &str, changed: &[String]) -> Result<(), Vec<FieldProblem>> {
    let under = |path: &str, roots: &[&str]| {
        roots.iter().any(|r| {
            path == *r || path.starts_with(&format!("{r}.")) || path.starts_with(&format!("{r}["))
        })
    };
    let refused: Vec<FieldProblem> = match review_status {
        "Submitted" | "In review" | "Rejected" => {
            return Err(vec![problem(
                "LifeCycle.ReviewStatus",
                ProblemCode::ActionNotPermitted,
                format!(
                    "The opportunity is {review_status}: it cannot be updated until AWS finishes its review"
                ),
            )]);
        }
        "Action Required" => changed
            .iter()
            .filter(|p| !under(p, &ACTION_REQUIRED_EDITABLE))
            .map(|p| {
                problem(
                    p,
                    ProblemCode::ActionNotPermitted,
                    format!("{p} cannot be changed while the opportunity is Action Required"),
                )
            })
            .collect(),
        "Approved" => changed
            .iter()
            .filter(|p| under(p, &APPROVED_FROZEN))
            .map(|p| {
                problem(
                    p,
                    ProblemCode::ActionNotPermitted,
                    format!("{p} is locked once AWS has approved the opportunity"),
                )
            })
            .collect(),
        _ => Vec::new(),
    };
    if refused.is_empty() {
        Ok(())
    } else {
        Err(refused)
    }
}

fn update_opportunity(state: &mut State, catalog: &str, input: &Value, now: Millis) -> ApiResult {
    let identifier = input["Identifier"].as_str().unwrap_or("").to_string();
    let id = opportunity_id(catalog, state, &identifier)?;
    let record = state.catalogs[catalog].opportunities[&id].open();
    let sent = instant_of(&input["LastModifiedDate"]).unwrap_or(i64::MIN);
    if sent != record.last_modified {
        return Err(ApiError::conflict(format!(
            "Opportunity {identifier} was modified at {} but the request is based on {}. Get the opportunity again and re-apply your change.",
            format_millis(record.last_modified),
            input["LastModifiedDate"]
                .as_str()
                .unwrap_or("an older version"),
        )));
    }
    let current_review = record
        .lifecycle_str("ReviewStatus")
        .unwrap_or("Pending Submission")
        .to_string();
    let stamp = now.max(record.last_modified + 1);
    // AWS's sample app fakes AWS's review in the Sandbox catalog by writing the review status.
    let simulated_review = input["LifeCycle"]["ReviewStatus"].as_str().filter(|r| {
        catalog == "Sandbox"
            && *r != current_review
            && ["Approved", "Action Required", "Rejected", "In review"].contains(r)
    });
    if let Some(review) = simulated_review {
        play_review(state, catalog, id, review, &input["LifeCycle"], stamp);
        return Ok(json!({"Id": identifier, "LastModifiedDate": format_millis(stamp)}));
    }
    let mut new_doc = replacement_doc(input, &record, now);
    let mut problems = closed_lost_problems(&new_doc);
    let comparable = |doc: &Map<String, Value>| {
        let mut v = json!({});
        for member in WRITABLE {
            if let Some(x) = doc.get(member) {
                v[member] = x.clone();
            }
        }
        v
    };
    let mut changed = Vec::new();
    changed_paths(
        &comparable(&record.doc),
        &comparable(&new_doc),
        "",
        &mut changed,
    );
    if let Err(locked) = locked_changes(&current_review, &changed) {
        problems.extend(locked);
    }
    if !problems.is_empty() {
        return Err(ApiError::business(
            format!("Opportunity {identifier} cannot be updated as requested"),
            problems,
        ));
    }
    let back_to_review = current_review == "Action Required";
    state.catalog(catalog).modify_opportunity(id, |r| {
        for member in WRITABLE {
            match new_doc.remove(member) {
                Some(v) => r.doc.insert(member.to_string(), v),
                None => r.doc.remove(member),
            };
        }
        if back_to_review {
            set_lifecycle(r, "ReviewStatus", json!("In review"));
        }
        r.last_modified = stamp;
    });
    Ok(json!({"Id": identifier, "LastModifiedDate": format_millis(stamp)}))
}

/// The Sandbox catalog's review simulation: only the review fields change.
fn play_review(
    state: &mut State,
    catalog: &str,
    id: u64,
    review: &str,
    lifecycle: &Value,
    stamp: Millis,
) {
    state.catalog(catalog).modify_opportunity(id, |r| {
        set_lifecycle(r, "ReviewStatus", json!(review));
        for member in ["ReviewComments", "ReviewStatusReason"] {
            match lifecycle.get(member) {
                Some(v) if !v.is_null() => set_lifecycle(r, member, v.clone()),
                _ => {
                    if let Some(l) = r.doc.get_mut("LifeCycle").and_then(Value::as_object_mut) {
                        l.remove(member);
                    }
                }
            }
        }
        r.last_modified = stamp;
    });
}

/// The record an update asks for: the writable members it carries (a full replacement), with
/// the review fields and the history kept as the service holds them, and a changed NextSteps
/// appended to the history.
fn replacement_doc(input: &Value, record: &OpportunityRecord, now: Millis) -> Map<String, Value> {
    let mut new_doc = Map::new();
    for member in WRITABLE {
        if let Some(v) = input.get(member) {
            new_doc.insert(member.to_string(), v.clone());
        }
    }
    // The service owns review fields and the history; whatever the client echoes back is ignored.
    let old_lifecycle = record.doc.get("LifeCycle").cloned().unwrap_or(json!({}));
    let lifecycle = new_doc.entry("LifeCycle").or_insert_with(|| json!({}));
    if let Some(l) = lifecycle.as_object_mut() {
        for member in AWS_OWNED_LIFECYCLE {
            match old_lifecycle.get(member) {
                Some(v) => l.insert(member.into(), v.clone()),
                None => l.remove(member),
            };
        }
    }
    let new_steps = new_doc["LifeCycle"].get("NextSteps").cloned();
    if new_steps.is_some() && new_steps != old_lifecycle.get("NextSteps").cloned() {
        let mut history = old_lifecycle
            .get("NextStepsHistory")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        history.push(json!({"Value": new_steps, "Time": format_millis(now)}));
        // The model caps the history at 50 entries; the oldest go first.
        let excess = history.len().saturating_sub(50);
        history.drain(..excess);
        new_doc["LifeCycle"]["NextStepsHistory"] = json!(history);
    }
    new_doc
}

/// What AWS requires of an opportunity before it can be submitted for co-sell.
pub fn submission_problems(record: &OpportunityRecord) -> Vec<FieldProblem> {
    let doc = Value::Object(record.doc.clone());
    let mut problems = Vec::new();
    let mut require = |path: &str| {
        let mut at = &doc;
        for part in path.split('.') {
            at = &at[part];
        }
        let missing = match at {
            Value::Null => true,
            Value::String(s) => s.trim().is_empty(),
            Value::Array(a) => a.is_empty(),
            _ => false,
        };
        if missing {
            problems.push(problem(
                path,
                ProblemCode::RequiredFieldMissing,
                format!("{path} is required before submission"),
            ));
        }
    };
    for path in [
        "Customer.Account.CompanyName",
        "Customer.Account.Industry",
        "Customer.Account.WebsiteUrl",
        "Customer.Account.Address.CountryCode",
        "Customer.Account.Address.PostalCode",
        "Project.Title",
        "Project.CustomerBusinessProblem",
        "Project.ExpectedCustomerSpend",
        "LifeCycle.TargetCloseDate",
        "OpportunityType",
    ] {
        require(path);
    }
    if doc["Customer"]["Account"]["Address"]["CountryCode"] == "US" {
        require("Customer.Account.Address.StateOrRegion");
    }
    // AWS advises maturing prospects to Qualified and not submitting Closed Lost deals, but the
    // real service submits both (answers recorded from it show Stage: Prospect, ReviewStatus:
    // Submitted), so the stage is no reason to refuse here; clients warn.
    problems
}

/// Submission (by SubmitOpportunity or the task) is for opportunities AWS has not seen yet.
fn require_unsubmitted(record: &OpportunityRecord, identifier: &str) -> Result<(), ApiError> {
    let review = record
        .lifecycle_str("ReviewStatus")
        .unwrap_or("Pending Submission");
    if review == "Pending Submission" {
        return Ok(());
    }
    Err(ApiError::business(
        format!("Opportunity {identifier} is {review} and cannot be submitted again"),
        vec![problem(
            "Identifier",
            ProblemCode::InvalidResourceState,
            format!("Only Pending Submission opportunities can be submitted; this one is {review}"),
        )],
    ))
}

fn submit_opportunity(state: &mut State, catalog: &str, input: &Value, now: Millis) -> ApiResult {
    let identifier = input["Identifier"].as_str().unwrap_or("").to_string();
    let id = opportunity_id(catalog, state, &identifier)?;
    let record = &state.catalogs[catalog].opportunities[&id].open();
    require_unsubmitted(record, &identifier)?;
    let mut problems = submission_problems(record);
    if input["InvolvementType"] == "Co-Sell"
        && record
            .doc
            .get("PrimaryNeedsFromAws")
            .and_then(Value::as_array)
            .is_none_or(|a| a.is_empty())
    {
        problems.push(problem(
            "PrimaryNeedsFromAws",
            ProblemCode::RequiredFieldMissing,
            "PrimaryNeedsFromAws is required for a Co-Sell submission",
        ));
    }
    if !problems.is_empty() {
        return Err(ApiError::business(
            format!("Opportunity {identifier} is not ready for submission"),
            problems,
        ));
    }
    let involvement = input["InvolvementType"].as_str().map(str::to_string);
    let visibility = input["Visibility"].as_str().unwrap_or("Full").to_string();
    let delay = state.task_delay_ms;
    state.catalog(catalog).modify_opportunity(id, |r| {
        set_lifecycle(r, "ReviewStatus", json!("Submitted"));
        r.involvement = involvement;
        r.visibility = Some(visibility);
        r.submitted_at = Some(now);
        r.last_modified = now.max(r.last_modified + 1);
    });
    state
        .review_queue
        .push((now + delay, catalog.to_string(), id));
    Ok(json!({}))
}

fn assign_opportunity(state: &mut State, catalog: &str, input: &Value, now: Millis) -> ApiResult {
    let identifier = input["Identifier"].as_str().unwrap_or("").to_string();
    let id = opportunity_id(catalog, state, &identifier)?;
    let assignee = input["Assignee"].clone();
    state.catalog(catalog).modify_opportunity(id, |r| {
        let mut team: Vec<Value> = r
            .doc
            .get("OpportunityTeam")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        // The assignee becomes the opportunity owner; any previous owner entry is replaced.
        team.retain(|m| {
            m["BusinessTitle"] != "OpportunityOwner" && m["Email"] != assignee["Email"]
        });
        team.insert(0, assignee.clone());
        r.doc.insert("OpportunityTeam".into(), json!(team));
        r.last_modified = now.max(r.last_modified + 1);
    });
    Ok(json!({}))
}

fn association_cap(kind: &str) -> usize {
    match kind {
        "AwsProducts" => 20,
        "AwsMarketplaceOffers" | "AwsMarketplaceOfferSets" => 1,
        _ => 10,
    }
}

fn associate(state: &mut State, catalog: &str, input: &Value, now: Millis, add: bool) -> ApiResult {
    let field = |name: &str| input[name].as_str().unwrap_or("").to_string();
    let (identifier, kind, entity) = (
        field("OpportunityIdentifier"),
        field("RelatedEntityType"),
        field("RelatedEntityIdentifier"),
    );
    let id = opportunity_id(catalog, state, &identifier)?;
    check_entity_format(&kind, &entity)?;
    if add && kind == "Solutions" {
        require_active_solution(state, catalog, &entity)?;
    }
    let record = &state.catalogs[catalog].opportunities[&id].open();
    let mut current: Vec<String> = record
        .doc
        .get("RelatedEntityIdentifiers")
        .map(|r| strings(&r[kind.as_str()]))
        .unwrap_or_default();
    let present = current.contains(&entity);
    match (add, present) {
        (true, true) => return Ok(json!({})),
        (true, false) => {
            let cap = association_cap(&kind);
            if current.len() >= cap {
                return Err(ApiError::business(
                    format!(
                        "Opportunity {identifier} already has {cap} {kind}, the most it may have"
                    ),
                    vec![problem(
                        "RelatedEntityIdentifier",
                        ProblemCode::TooManyValues,
                        format!("At most {cap} {kind} can be associated with one opportunity"),
                    )],
                ));
            }
            current.push(entity);
        }
        (false, false) => {
            return Err(ApiError::not_found(format!(
                "{entity} is not associated with opportunity {identifier}"
            )));
        }
        (false, true) => current.retain(|e| *e != entity),
    }
    state.catalog(catalog).modify_opportunity(id, |r| {
        let related = r
            .doc
            .entry("RelatedEntityIdentifiers")
            .or_insert_with(|| json!({}));
        if current.is_empty() {
            if let Some(m) = related.as_object_mut() {
                m.remove(&kind);
            }
        } else {
            related[kind.as_str()] = json!(current);
        }
        r.last_modified = now.max(r.last_modified + 1);
    });
    Ok(json!({}))
}

/// Identifiers as each kind of related entity is written: `S-<digits>` for solutions, a
/// product code, or a Marketplace ARN.
fn check_entity_format(kind: &str, entity: &str) -> Result<(), ApiError> {
    let format_ok = match kind {
        "Solutions" => entity.starts_with("S-") && entity[2..].chars().all(|c| c.is_ascii_digit()),
        "AwsProducts" => !entity.is_empty(),
        _ => entity.starts_with("arn:aws:aws-marketplace:"),
    };
    if format_ok {
        return Ok(());
    }
    Err(ApiError::Validation {
        business: false,
        message: format!("{entity} is not a valid identifier for {kind}"),
        fields: vec![problem(
            "RelatedEntityIdentifier",
            ProblemCode::InvalidStringFormat,
            match kind {
                "Solutions" => "Solutions are identified as S-<digits>",
                "AwsProducts" => "Give an AWS product code",
                _ => "Marketplace entities are identified by their ARN",
            },
        )],
    })
}

fn require_active_solution(state: &State, catalog: &str, entity: &str) -> Result<(), ApiError> {
    let solution = state.catalogs[catalog]
        .solutions
        .iter()
        .find(|s| s["Id"] == entity)
        .ok_or_else(|| {
            ApiError::not_found(format!(
                "Solution {entity} was not found in the {catalog} catalog"
            ))
        })?;
    if solution["Status"] == "Active" {
        return Ok(());
    }
    Err(ApiError::business(
        format!(
            "Solution {entity} is {}: only Active solutions can be linked",
            solution["Status"].as_str().unwrap_or("")
        ),
        vec![problem(
            "RelatedEntityIdentifier",
            ProblemCode::InvalidResourceState,
            "Only Active solutions can be associated",
        )],
    ))
}

fn aws_stage(record: &OpportunityRecord) -> &'static str {
    match record.lifecycle_str("ReviewStatus") {
        Some("Submitted") | Some("In review") => "In Progress",
        Some("Action Required") => "On-hold",
        Some("Rejected") => "Closed Incomplete",
        Some("Approved") => match record.lifecycle_str("Stage") {
            Some("Prospect") => "Prospect",
            Some("Qualified") => "Qualified",
            Some("Technical Validation") => "Technical Validation",
            Some("Business Validation") => "Business Validation",
            Some("Committed") => "Committed",
            Some("Launched") => "Launched",
            Some("Closed Lost") => "Closed Lost",
            _ => "Engaged",
        },
        _ => "Not Started",
    }
}

fn aws_summary(state: &State, catalog: &str, input: &Value) -> ApiResult {
    let identifier = input["RelatedOpportunityIdentifier"].as_str().unwrap_or("");
    let record = state.catalogs[catalog]
        .opportunity_by_identifier(identifier)
        .ok_or_else(|| not_found_opportunity(identifier, catalog))?
        .open();
    let record = &record;
    // AWS's side of the deal is derived from the record so that it is stable and believable.
    let hash = store::fnv1a(identifier.as_bytes());
    let stage = aws_stage(record);
    let score = ["High", "Medium", "Low"][(hash % 3) as usize];
    let reps = [
        ("Dana", "Whitfield"),
        ("Ravi", "Menon"),
        ("Lucia", "Ferreira"),
        ("Tom", "Okafor"),
        ("Mei", "Tanaka"),
    ];
    let (first, last) = reps[(hash as usize / 3) % reps.len()];
    let next_best = match stage {
        "Not Started" => "Submit the opportunity to AWS to start co-selling.",
        "In Progress" => "AWS is reviewing the opportunity; keep the target close date current.",
        "On-hold" => "Address the review comments and update the opportunity.",
        "Closed Incomplete" => {
            "Review the rejection reason; create a new opportunity if the need remains."
        }
        "Launched" | "Closed Lost" => "No action needed.",
        _ => "Schedule a joint account plan with your AWS account manager.",
    };
    let lifecycle = record.doc.get("LifeCycle").cloned().unwrap_or(json!({}));
    // Empty kinds are listed as `[]`, as in GetOpportunity.
    let related = |kind: &str| {
        record
            .doc
            .get("RelatedEntityIdentifiers")
            .and_then(|r| r.get(kind))
            .cloned()
            .unwrap_or(json!([]))
    };
    let mut out = json!({
        "Catalog": catalog,
        "RelatedOpportunityId": identifier,
        "Origin": record.doc.get("Origin").cloned().unwrap_or(json!("Partner Referral")),
        "InvolvementType": record.involvement,
        "Visibility": record.visibility,
        "LifeCycle": {
            "Stage": stage,
            "TargetCloseDate": lifecycle["TargetCloseDate"],
            "NextSteps": if record.submitted_at.is_some() { json!(next_best) } else { Value::Null },
        },
        "OpportunityTeam": if record.submitted_at.is_some() { json!([{
            "Email": format!("{}.{}@amazon.example", first.to_lowercase(), last.to_lowercase()),
            "FirstName": first, "LastName": last, "BusinessTitle": "AWSSalesRep"
        }]) } else { json!([]) },
        "Insights": {
            "NextBestActions": next_best,
            "EngagementScore": if record.submitted_at.is_some() { json!(score) } else { Value::Null },
        },
        "RelatedEntityIds": {
            "Solutions": related("Solutions"),
            "AwsProducts": related("AwsProducts"),
        },
        "Project": {
            "ExpectedCustomerSpend": record.doc.get("Project").map(|p| p["ExpectedCustomerSpend"].clone()),
        },
    });
    strip_nulls(&mut out);
    Ok(out)
}

fn list_solutions(state: &State, catalog: &str, input: &Value) -> ApiResult {
    let page_request = PageRequest::from_input("ListSolutions", input, DEFAULT_LIMIT)?;
    let names = ["Identifier", "Name", "Status", "Category", "CreatedDate"];
    let (sort, descending) = sort_of(input, &names, "Identifier", false);
    let statuses = strings(&input["Status"]);
    let ids = strings(&input["Identifier"]);
    let categories = strings(&input["Category"]);
    let arns = strings(&input["AwsMarketplaceSolutionArn"]);
    let keep = |field: &str, wanted: &[String], s: &Value| {
        wanted.is_empty() || wanted.iter().any(|w| s[field] == w.as_str())
    };
    let items: Vec<(Key, Key, &Value)> = state.catalogs[catalog]
        .solutions
        .iter()
        .filter(|s| {
            keep("Status", &statuses, s)
                && keep("Id", &ids, s)
                && keep("Category", &categories, s)
                && keep("AwsMarketplaceSolutionArn", &arns, s)
        })
        .map(|s| {
            let id_num = s["Id"]
                .as_str()
                .and_then(|i| i.strip_prefix("S-"))
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            let key = match sort {
                0 => Key::Num(id_num),
                4 => Key::Num(instant_of(&s["CreatedDate"]).unwrap_or(0)),
                _ => Key::Text(s[names[sort]].as_str().unwrap_or("").to_lowercase()),
            };
            (key, Key::Num(id_num), s)
        })
        .collect();
    let (page, next) = page_small(
        items,
        descending,
        page_request.after.as_ref(),
        page_request.limit,
    );
    let mut out = json!({"SolutionSummaries": page.into_iter().map(|s| {
        let mut s = s.clone();
        s["Catalog"] = json!(catalog);
        s
    }).collect::<Vec<_>>()});
    if let Some(token) = page_request.next_token(next) {
        out["NextToken"] = json!(token);
    }
    Ok(out)
}

fn invitation_summary(catalog: &str, invitation: &InvitationRecord) -> Value {
    let doc = &invitation.doc;
    let mut out = json!({"Catalog": catalog, "ParticipantType": invitation.participant});
    for member in [
        "Arn",
        "PayloadType",
        "Id",
        "EngagementId",
        "EngagementTitle",
        "Status",
        "InvitationDate",
        "ExpirationDate",
        "SenderAwsAccountId",
        "SenderCompanyName",
        "Receiver",
    ] {
        if let Some(v) = doc.get(member) {
            out[member] = v.clone();
        }
    }
    out
}

fn list_invitations(state: &State, catalog: &str, input: &Value) -> ApiResult {
    let page_request = PageRequest::from_input("ListEngagementInvitations", input, DEFAULT_LIMIT)?;
    let (_, descending) = sort_of(input, &["InvitationDate"], "InvitationDate", true);
    let participant = input["ParticipantType"].as_str().unwrap_or("RECEIVER");
    let payloads = strings(&input["PayloadType"]);
    let statuses = strings(&input["Status"]);
    let engagements = strings(&input["EngagementIdentifier"]);
    let senders = strings(&input["SenderAwsAccountId"]);
    let matches = |wanted: &[String], value: &Value| {
        wanted.is_empty() || wanted.iter().any(|w| value == w.as_str())
    };
    let items: Vec<(Key, Key, &InvitationRecord)> = state.catalogs[catalog]
        .invitations
        .values()
        .filter(|i| role_of(state, i) == Some(participant))
        .filter(|i| {
            matches(&payloads, &i.doc["PayloadType"])
                && matches(&statuses, &i.doc["Status"])
                && (engagements.is_empty()
                    || engagements.iter().any(|e| {
                        i.doc["EngagementId"] == e.as_str()
                            || e.ends_with(i.doc["EngagementId"].as_str().unwrap_or("\0"))
                    }))
                && matches(&senders, &i.doc["SenderAwsAccountId"])
        })
        .map(|i| {
            (
                Key::Num(instant_of(&i.doc["InvitationDate"]).unwrap_or(0)),
                Key::Text(i.id().to_string()),
                i,
            )
        })
        .collect();
    let (page, next) = page_small(
        items,
        descending,
        page_request.after.as_ref(),
        page_request.limit,
    );
    let mut out = json!({
        "EngagementInvitationSummaries": page.iter().map(|i| invitation_summary(catalog, i)).collect::<Vec<_>>()
    });
    if let Some(token) = page_request.next_token(next) {
        out["NextToken"] = json!(token);
    }
    Ok(out)
}

/// Invitation identifiers may be given as the id or the ARN.
fn invitation_id(identifier: &str) -> &str {
    identifier.rsplit('/').next().unwrap_or(identifier)
}

fn find_invitation<'a>(
    state: &'a State,
    catalog: &str,
    identifier: &str,
) -> Result<&'a InvitationRecord, ApiError> {
    state.catalogs[catalog]
        .invitations
        .get(invitation_id(identifier))
        .filter(|i| role_of(state, i).is_some())
        .ok_or_else(|| {
            ApiError::not_found(format!(
                "Engagement invitation {identifier} was not found in the {catalog} catalog"
            ))
        })
}

fn get_invitation(state: &State, catalog: &str, input: &Value) -> ApiResult {
    let invitation = find_invitation(state, catalog, input["Identifier"].as_str().unwrap_or(""))?;
    let mut out = Value::Object(invitation.doc.clone());
    out["Catalog"] = json!(catalog);
    Ok(out)
}

/// The caller's side of an invitation: RECEIVER or SENDER, or None when it is not theirs.
pub(crate) fn role_of<'a>(state: &State, invitation: &'a InvitationRecord) -> Option<&'a str> {
    match &invitation.receiver_account {
        None => state
            .caller
            .is_none()
            .then_some(invitation.participant.as_str()),
        Some(receiver) if receiver == state.me() => Some("RECEIVER"),
        Some(_) if invitation.doc["SenderAwsAccountId"].as_str() == Some(state.me()) => {
            Some("SENDER")
        }
        Some(_) => None,
    }
}

fn require_pending_received(state: &State, invitation: &InvitationRecord) -> Result<(), ApiError> {
    let id = invitation.id();
    if role_of(state, invitation) != Some("RECEIVER") {
        return Err(ApiError::business(
            format!("Invitation {id} was sent by you; only its receiver can answer it"),
            vec![problem(
                "Identifier",
                ProblemCode::ActionNotPermitted,
                "Only received invitations can be accepted or rejected",
            )],
        ));
    }
    let status = invitation.status();
    if status != "PENDING" {
        let why = if status == "EXPIRED" {
            format!(
                "Invitation {id} expired at {} and can no longer be answered",
                invitation.doc["ExpirationDate"]
                    .as_str()
                    .unwrap_or("its expiry")
            )
        } else {
            format!("Invitation {id} is already {status}")
        };
        return Err(ApiError::business(
            why.clone(),
            vec![problem(
                "Identifier",
                ProblemCode::InvalidResourceState,
                why,
            )],
        ));
    }
    Ok(())
}

fn answer_invitation(state: &mut State, catalog: &str, input: &Value, accept: bool) -> ApiResult {
    let identifier = input["Identifier"].as_str().unwrap_or("");
    let invitation = find_invitation(state, catalog, identifier)?;
    require_pending_received(state, invitation)?;
    let id = invitation.id().to_string();
    let in_flight = state.catalogs[catalog]
        .tasks
        .iter()
        .any(|t| t.status == "IN_PROGRESS" && t.invitation_id.as_deref() == Some(id.as_str()));
    if in_flight {
        return Err(ApiError::conflict(format!(
            "Invitation {id} is being accepted by a task that has not finished"
        )));
    }
    let invitation = state
        .catalog(catalog)
        .invitations
        .get_mut(&id)
        .expect("found above");
    if accept {
        invitation.set_status("ACCEPTED");
        let engagement = invitation
            .doc
            .get("EngagementId")
            .and_then(Value::as_str)
            .map(String::from);
        if let Some(engagement) = engagement {
            let me = state.me().to_string();
            engagements::join(state, catalog, &engagement, &me, None);
        }
    } else {
        invitation.set_status("REJECTED");
        if let Some(reason) = input["RejectionReason"].as_str() {
            invitation
                .doc
                .insert("RejectionReason".into(), json!(reason));
        }
    }
    Ok(json!({}))
}

pub(crate) fn task_json(task: &TaskRecord, with_engagement: bool) -> Value {
    let mut out = json!({
        "TaskId": task.id,
        "TaskArn": task.arn,
        "StartTime": format_millis(task.start),
        "TaskStatus": task.status,
        "Message": task.message,
        "ReasonCode": task.reason_code,
        "OpportunityId": task.opportunity_id,
        "ResourceSnapshotJobId": task.snapshot_job_id,
        "EngagementInvitationId": task.invitation_id,
    });
    if with_engagement {
        out["EngagementId"] = json!(task.engagement_id);
    }
    if task.kind == TaskKind::OpportunityFromEngagement {
        out["ContextId"] = json!(task.context_id);
        out.as_object_mut()
            .map(|o| o.remove("EngagementInvitationId"));
    }
    strip_nulls(&mut out);
    out
}

pub(crate) fn new_task(
    state: &mut State,
    catalog: &str,
    kind: TaskKind,
    now: Millis,
) -> TaskRecord {
    let id = state.new_id("task-", LOWER_ALNUM, 13);
    let path = match kind {
        TaskKind::AcceptInvitation => "engagement-by-accepting-invitation-task",
        TaskKind::FromOpportunity => "engagement-from-opportunity-task",
        TaskKind::OpportunityFromEngagement => "opportunity-from-engagement-task",
    };
    TaskRecord {
        kind,
        arn: format!(
            "arn:aws:partnercentral:{}:{}:catalog/{catalog}/{path}/{id}",
            state.region, state.account_id
        ),
        id,
        start: now,
        due: now + state.task_delay_ms,
        status: "IN_PROGRESS".into(),
        message: None,
        reason_code: None,
        opportunity_id: None,
        invitation_id: None,
        engagement_id: None,
        snapshot_job_id: None,
        tags: Vec::new(),
        involvement: None,
        visibility: None,
        context_id: None,
    }
}

fn start_accept_task(state: &mut State, catalog: &str, input: &Value, now: Millis) -> ApiResult {
    let identifier = input["Identifier"].as_str().unwrap_or("");
    let invitation = find_invitation(state, catalog, identifier)?;
    require_pending_received(state, invitation)?;
    let id = invitation.id().to_string();
    if state.catalogs[catalog]
        .tasks
        .iter()
        .any(|t| t.status == "IN_PROGRESS" && t.invitation_id.as_deref() == Some(id.as_str()))
    {
        return Err(ApiError::conflict(format!(
            "A task accepting invitation {id} is already in progress"
        )));
    }
    let mut task = new_task(state, catalog, TaskKind::AcceptInvitation, now);
    task.due = now + state.accept_delay_ms;
    task.invitation_id = Some(id);
    task.tags = input["Tags"].as_array().cloned().unwrap_or_default();
    state.catalog(catalog).tasks.push(task);
    Ok(task_json(task_as_of(state, catalog, now), false))
}

/// The task just started, in the state it has by `now`: work already due (a delay of zero, as
/// the real service answers referral acceptances) is done before the answer is written.
fn task_as_of<'a>(state: &'a mut State, catalog: &str, now: Millis) -> &'a TaskRecord {
    state.wake_now();
    state.advance(now);
    state.catalogs[catalog].tasks.last().expect("just pushed")
}

fn start_submit_task(state: &mut State, catalog: &str, input: &Value, now: Millis) -> ApiResult {
    let identifier = input["Identifier"].as_str().unwrap_or("").to_string();
    let id = opportunity_id(catalog, state, &identifier)?;
    let record = &state.catalogs[catalog].opportunities[&id].open();
    require_unsubmitted(record, &identifier)?;
    if state.catalogs[catalog].tasks.iter().any(|t| {
        t.status == "IN_PROGRESS" && t.opportunity_id.as_deref() == Some(identifier.as_str())
    }) {
        return Err(ApiError::conflict(format!(
            "A task submitting opportunity {identifier} is already in progress"
        )));
    }
    let mut task = new_task(state, catalog, TaskKind::FromOpportunity, now);
    task.opportunity_id = Some(identifier);
    task.involvement = input["AwsSubmission"]["InvolvementType"]
        .as_str()
        .map(str::to_string);
    task.visibility = input["AwsSubmission"]["Visibility"]
        .as_str()
        .map(str::to_string);
    state.catalog(catalog).tasks.push(task);
    Ok(task_json(task_as_of(state, catalog, now), true))
}

fn list_tasks(state: &State, catalog: &str, input: &Value, kind: TaskKind) -> ApiResult {
    let page_request = PageRequest::from_input(kind.list_operation(), input, DEFAULT_LIMIT)?;
    let (_, descending) = sort_of(input, &["StartTime"], "StartTime", true);
    let statuses = strings(&input["TaskStatus"]);
    let ids: Vec<String> = strings(&input["TaskIdentifier"])
        .iter()
        .map(|t| t.rsplit('/').next().unwrap_or(t).to_string())
        .collect();
    let opportunities = strings(&input["OpportunityIdentifier"]);
    let invitations: Vec<String> = strings(&input["EngagementInvitationIdentifier"])
        .iter()
        .map(|i| invitation_id(i).to_string())
        .collect();
    let engagements = strings(&input["EngagementIdentifier"]);
    let contexts = strings(&input["ContextIdentifier"]);
    let has = |wanted: &[String], value: &Option<String>| {
        wanted.is_empty() || value.as_ref().is_some_and(|v| wanted.contains(v))
    };
    let items: Vec<(Key, Key, &TaskRecord)> = state.catalogs[catalog]
        .tasks
        .iter()
        .filter(|t| t.kind == kind)
        .filter(|t| {
            (statuses.is_empty() || statuses.contains(&t.status))
                && (ids.is_empty() || ids.contains(&t.id))
                && has(&opportunities, &t.opportunity_id)
                && has(&invitations, &t.invitation_id)
                && has(&engagements, &t.engagement_id)
                && has(&contexts, &t.context_id)
        })
        .map(|t| (Key::Num(t.start), Key::Text(t.id.clone()), t))
        .collect();
    let (page, next) = page_small(
        items,
        descending,
        page_request.after.as_ref(),
        page_request.limit,
    );
    let with_engagement = kind != TaskKind::AcceptInvitation;
    let mut out = json!({
        "TaskSummaries": page.iter().map(|t| task_json(t, with_engagement)).collect::<Vec<_>>()
    });
    if let Some(token) = page_request.next_token(next) {
        out["NextToken"] = json!(token);
    }
    Ok(out)
}

/// Taggable resources are opportunities (and, in the real service, snapshot jobs); the catalog
/// comes from the ARN because the tag operations carry none.
fn taggable(state: &State, arn: &str) -> Result<(), ApiError> {
    let prefix = format!(
        "arn:aws:partnercentral:{}:{}:catalog/",
        state.region, state.account_id
    );
    let exists = arn
        .strip_prefix(&prefix)
        .and_then(|rest| rest.split_once("/opportunity/"))
        .is_some_and(|(catalog, identifier)| {
            state
                .catalogs
                .get(catalog)
                .is_some_and(|c| c.opportunity_by_identifier(identifier).is_some())
        });
    if exists {
        Ok(())
    } else {
        Err(ApiError::not_found(format!(
            "No taggable resource has the ARN {arn}"
        )))
    }
}

fn list_tags(state: &State, input: &Value) -> ApiResult {
    let arn = input["ResourceArn"].as_str().unwrap_or("");
    taggable(state, arn)?;
    let tags: Vec<Value> = state
        .tags
        .get(arn)
        .map(|t| {
            t.iter()
                .map(|(k, v)| json!({"Key": k, "Value": v}))
                .collect()
        })
        .unwrap_or_default();
    // The model makes Tags required with at least one element, so no answer fits a resource
    // without tags; leaving the member out is the one the SDKs read as "no tags" (the Rust SDK
    // fills an empty list, the CLI prints none), where `[]` breaks the list's minimum.
    if tags.is_empty() {
        return Ok(json!({}));
    }
    Ok(json!({"Tags": tags}))
}

fn tag_resource(state: &mut State, input: &Value) -> ApiResult {
    let arn = input["ResourceArn"].as_str().unwrap_or("").to_string();
    taggable(state, &arn)?;
    let tags = input["Tags"].as_array().cloned().unwrap_or_default();
    if state.add_tags(arn, &tags) > 200 {
        return Err(ApiError::business(
            "A resource can carry at most 200 tags",
            vec![problem(
                "Tags",
                ProblemCode::TooManyValues,
                "At most 200 tags per resource",
            )],
        ));
    }
    Ok(json!({}))
}

fn untag_resource(state: &mut State, input: &Value) -> ApiResult {
    let arn = input["ResourceArn"].as_str().unwrap_or("").to_string();
    taggable(state, &arn)?;
    if let Some(entry) = state.tags.get_mut(&arn) {
        for key in strings(&input["TagKeys"]) {
            entry.remove(&key);
        }
    }
    Ok(json!({}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn action_required_allows_only_the_whitelist() {
        let changed = vec![
            "LifeCycle.TargetCloseDate".to_string(),
            "Project.Title".to_string(),
        ];
        let refused = locked_changes("Action Required", &changed).unwrap_err();
        assert_eq!(refused.len(), 1);
        assert_eq!(refused[0].field, "Project.Title");
        assert!(locked_changes("Action Required", &changed[..1]).is_ok());
    }

    #[test]
    fn approved_freezes_listed_fields_only() {
        assert!(locked_changes("Approved", &["LifeCycle.Stage".to_string()]).is_ok());
        assert!(locked_changes("Approved", &["Customer.Account.Industry".to_string()]).is_err());
        assert!(locked_changes("In review", &[]).is_err());
    }

    #[test]
    fn changed_paths_reaches_leaves() {
        let mut out = Vec::new();
        changed_paths(
            &json!({"Customer": {"Account": {"CompanyName": "A", "Industry": "Retail"}}}),
            &json!({"Customer": {"Account": {"CompanyName": "A"}}}),
            "",
            &mut out,
        );
        assert_eq!(out, vec!["Customer.Account.Industry"]);
    }
}
