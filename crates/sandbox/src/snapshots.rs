//! Resource snapshots: an opportunity as it stood, shared with an engagement's members, one
//! revision per snapshot; and snapshot jobs, which take one whenever they start. A job runs as
//! the selling-system role (PutSellingSystemSettings), so creating one needs it set, as AWS
//! documents; a one-off snapshot does not (the documentation does not say it does).

use serde_json::{Value, json};

use super::clock::{Millis, format_millis};
use super::engagements::member_engagement;
use super::error::{ApiError, ApiResult};
use super::model::{FieldProblem, ProblemCode};
use super::state::{State, strip_nulls};
use super::store::{Key, LOWER_ALNUM, PageRequest, SnapshotJobRecord, SnapshotRecord, page_small};

const DEFAULT_LIMIT: u64 = 20;

fn snapshot_arn(state: &State, catalog: &str, s: &SnapshotRecord) -> String {
    format!(
        "arn:aws:partnercentral:{}::catalog/{catalog}/engagement/{}/resource-snapshot/{}/{}/{}",
        state.region, s.engagement, s.resource, s.template, s.revision
    )
}

fn job_arn(state: &State, catalog: &str, id: &str) -> String {
    format!(
        "arn:aws:partnercentral:{}:{}:catalog/{catalog}/resource-snapshot-job/{id}",
        state.region, state.account_id
    )
}

/// The opportunity as a snapshot carries it (OpportunitySummaryView).
fn view_of(state: &State, catalog: &str, resource: &str) -> Result<Value, ApiError> {
    let record = state.catalogs[catalog]
        .opportunity_by_identifier(resource)
        .map(|r| r.open())
        .ok_or_else(|| {
            ApiError::not_found(format!(
                "Opportunity {resource} was not found in the {catalog} catalog"
            ))
        })?;
    let doc = Value::Object(record.doc.clone());
    let project = &doc["Project"];
    let mut view = json!({
        "OpportunityType": doc["OpportunityType"],
        "Lifecycle": {
            "TargetCloseDate": doc["LifeCycle"]["TargetCloseDate"],
            "ReviewStatus": doc["LifeCycle"]["ReviewStatus"],
            "Stage": doc["LifeCycle"]["Stage"],
            "NextSteps": doc["LifeCycle"]["NextSteps"],
        },
        "OpportunityTeam": doc["OpportunityTeam"],
        "PrimaryNeedsFromAws": doc["PrimaryNeedsFromAws"],
        "Customer": doc["Customer"],
        "Project": {
            "DeliveryModels": project["DeliveryModels"],
            "ExpectedCustomerSpend": project["ExpectedCustomerSpend"],
            "ExpectedContractDuration": project["ExpectedContractDuration"],
            "CustomerUseCase": project["CustomerUseCase"],
            "SalesActivities": project["SalesActivities"],
            "OtherSolutionDescription": project["OtherSolutionDescription"],
        },
        "RelatedEntityIdentifiers": doc["RelatedEntityIdentifiers"],
    });
    strip_nulls(&mut view);
    Ok(view)
}

/// The engagement must hold the resource (its submission or a conversion associated it).
fn require_associated(
    state: &State,
    catalog: &str,
    engagement: &str,
    resource: &str,
) -> Result<String, ApiError> {
    let e = member_engagement(state, catalog, engagement)?;
    if !e.opportunities.iter().any(|(o, _)| o == resource) {
        return Err(ApiError::business(
            format!(
                "Opportunity {resource} is not associated with engagement {}",
                e.id
            ),
            vec![FieldProblem {
                field: "ResourceIdentifier".into(),
                code: ProblemCode::InvalidValue,
                message: "The resource must belong to the engagement".into(),
            }],
        ));
    }
    Ok(e.id.clone())
}

fn take_snapshot(
    state: &mut State,
    catalog: &str,
    engagement: &str,
    resource: &str,
    template: &str,
    now: Millis,
) -> Result<SnapshotRecord, ApiError> {
    let payload = view_of(state, catalog, resource)?;
    let revision = state.catalogs[catalog]
        .snapshots
        .iter()
        .filter(|s| s.engagement == engagement && s.resource == resource && s.template == template)
        .map(|s| s.revision)
        .max()
        .unwrap_or(0)
        + 1;
    let snapshot = SnapshotRecord {
        engagement: engagement.to_string(),
        resource: resource.to_string(),
        template: template.to_string(),
        revision,
        created_at: now,
        created_by: state.me().to_string(),
        payload,
    };
    state.catalog(catalog).snapshots.push(snapshot.clone());
    Ok(snapshot)
}

pub fn create_snapshot(state: &mut State, catalog: &str, input: &Value, now: Millis) -> ApiResult {
    let resource = input["ResourceIdentifier"].as_str().unwrap_or("");
    let engagement = require_associated(
        state,
        catalog,
        input["EngagementIdentifier"].as_str().unwrap_or(""),
        resource,
    )?;
    let template = input["ResourceSnapshotTemplateIdentifier"]
        .as_str()
        .unwrap_or("");
    let s = take_snapshot(state, catalog, &engagement, resource, template, now)?;
    Ok(json!({"Arn": snapshot_arn(state, catalog, &s), "Revision": s.revision}))
}

pub fn get_snapshot(state: &State, catalog: &str, input: &Value) -> ApiResult {
    let engagement = member_engagement(
        state,
        catalog,
        input["EngagementIdentifier"].as_str().unwrap_or(""),
    )?
    .id
    .clone();
    let resource = input["ResourceIdentifier"].as_str().unwrap_or("");
    let template = input["ResourceSnapshotTemplateIdentifier"]
        .as_str()
        .unwrap_or("");
    let wanted = input["Revision"].as_i64();
    let s = state.catalogs[catalog]
        .snapshots
        .iter()
        .filter(|s| s.engagement == engagement && s.resource == resource && s.template == template)
        .filter(|s| wanted.is_none_or(|r| r == s.revision))
        .max_by_key(|s| s.revision)
        .ok_or_else(|| {
            ApiError::not_found(format!(
                "No snapshot of {resource} with template {template} in engagement {engagement}{}",
                wanted
                    .map(|r| format!(" at revision {r}"))
                    .unwrap_or_default()
            ))
        })?;
    let members: Vec<Value> = state.catalogs[catalog].engagements[&engagement]
        .members
        .iter()
        .filter_map(|m| m["AccountId"].as_str().map(|a| json!(a)))
        .collect();
    Ok(json!({
        "Catalog": catalog,
        "Arn": snapshot_arn(state, catalog, s),
        "CreatedBy": s.created_by,
        "CreatedAt": format_millis(s.created_at),
        "EngagementId": s.engagement,
        "ResourceType": "Opportunity",
        "ResourceId": s.resource,
        "ResourceSnapshotTemplateName": s.template,
        "Revision": s.revision,
        "Payload": {"OpportunitySummary": s.payload},
        "TargetMemberAccounts": members,
    }))
}

pub fn list_snapshots(state: &State, catalog: &str, input: &Value) -> ApiResult {
    let page_request = PageRequest::from_input("ListResourceSnapshots", input, DEFAULT_LIMIT)?;
    let engagement = member_engagement(
        state,
        catalog,
        input["EngagementIdentifier"].as_str().unwrap_or(""),
    )?
    .id
    .clone();
    let resource = input["ResourceIdentifier"].as_str();
    let template = input["ResourceSnapshotTemplateIdentifier"].as_str();
    let creator = input["CreatedBy"].as_str();
    let items: Vec<(Key, Key, &SnapshotRecord)> = state.catalogs[catalog]
        .snapshots
        .iter()
        .filter(|s| s.engagement == engagement)
        .filter(|s| resource.is_none_or(|r| r == s.resource))
        .filter(|s| template.is_none_or(|t| t == s.template))
        .filter(|s| creator.is_none_or(|c| c == s.created_by))
        .map(|s| {
            (
                Key::Text(format!("{}/{}", s.resource, s.template)),
                Key::Num(s.revision),
                s,
            )
        })
        .collect();
    let (page, next) = page_small(
        items,
        false,
        page_request.after.as_ref(),
        page_request.limit,
    );
    let mut out = json!({"ResourceSnapshotSummaries": page.iter().map(|s| json!({
        "Arn": snapshot_arn(state, catalog, s),
        "Revision": s.revision,
        "ResourceType": "Opportunity",
        "ResourceId": s.resource,
        "ResourceSnapshotTemplateName": s.template,
        "CreatedBy": s.created_by,
    })).collect::<Vec<_>>()});
    if let Some(token) = page_request.next_token(next) {
        out["NextToken"] = json!(token);
    }
    Ok(out)
}

pub fn create_job(state: &mut State, catalog: &str, input: &Value, now: Millis) -> ApiResult {
    if state.catalogs[catalog].snapshot_job_role.is_none() {
        return Err(ApiError::business(
            "A snapshot job runs as the selling-system role, and none is set: set it with PutSellingSystemSettings first",
            vec![FieldProblem {
                field: "Catalog".into(),
                code: ProblemCode::ActionNotPermitted,
                message: "ResourceSnapshotJobRoleArn is not set".into(),
            }],
        ));
    }
    let resource = input["ResourceIdentifier"]
        .as_str()
        .unwrap_or("")
        .to_string();
    let engagement = require_associated(
        state,
        catalog,
        input["EngagementIdentifier"].as_str().unwrap_or(""),
        &resource,
    )?;
    let id = state.new_id("job-", LOWER_ALNUM, 13);
    let job = SnapshotJobRecord {
        id: id.clone(),
        engagement,
        resource,
        template: input["ResourceSnapshotTemplateIdentifier"]
            .as_str()
            .unwrap_or("")
            .to_string(),
        created_at: now,
        status: "Stopped".into(),
        last_success: None,
    };
    let arn = job_arn(state, catalog, &id);
    if let Some(tags) = input["Tags"].as_array() {
        state.add_tags(arn.clone(), tags);
    }
    state.catalog(catalog).snapshot_jobs.insert(id.clone(), job);
    Ok(json!({"Id": id, "Arn": arn}))
}

fn find_job<'a>(
    state: &'a State,
    catalog: &str,
    input: &Value,
) -> Result<&'a SnapshotJobRecord, ApiError> {
    let id = input["ResourceSnapshotJobIdentifier"]
        .as_str()
        .unwrap_or("");
    let job = state.catalogs[catalog]
        .snapshot_jobs
        .get(id)
        .ok_or_else(|| {
            ApiError::not_found(format!(
                "Snapshot job {id} was not found in the {catalog} catalog"
            ))
        })?;
    member_engagement(state, catalog, &job.engagement)?;
    Ok(job)
}

/// Starting a job takes a snapshot at once (the service takes one whenever the resource
/// changes while it runs; the sandbox, at each start).
pub fn start_job(state: &mut State, catalog: &str, input: &Value, now: Millis) -> ApiResult {
    let job = find_job(state, catalog, input)?.clone();
    let taken = take_snapshot(
        state,
        catalog,
        &job.engagement,
        &job.resource,
        &job.template,
        now,
    );
    let entry = state
        .catalog(catalog)
        .snapshot_jobs
        .get_mut(&job.id)
        .expect("found above");
    entry.status = "Running".into();
    if taken.is_ok() {
        entry.last_success = Some(now);
    }
    Ok(json!({}))
}

pub fn stop_job(state: &mut State, catalog: &str, input: &Value) -> ApiResult {
    let id = find_job(state, catalog, input)?.id.clone();
    if let Some(job) = state.catalog(catalog).snapshot_jobs.get_mut(&id) {
        job.status = "Stopped".into();
    }
    Ok(json!({}))
}

/// A running job is stopped before it is deleted, as the service asks.
pub fn delete_job(state: &mut State, catalog: &str, input: &Value) -> ApiResult {
    let job = find_job(state, catalog, input)?;
    if job.status == "Running" {
        return Err(ApiError::conflict(format!(
            "Snapshot job {} is running; stop it (StopResourceSnapshotJob) before deleting it",
            job.id
        )));
    }
    let id = job.id.clone();
    state.catalog(catalog).snapshot_jobs.remove(&id);
    Ok(json!({}))
}

fn job_json(state: &State, catalog: &str, job: &SnapshotJobRecord) -> Value {
    let mut out = json!({
        "Catalog": catalog,
        "Id": job.id,
        "Arn": job_arn(state, catalog, &job.id),
        "EngagementId": job.engagement,
        "ResourceType": "Opportunity",
        "ResourceId": job.resource,
        "ResourceArn": state.opportunity_arn(catalog, &job.resource),
        "ResourceSnapshotTemplateName": job.template,
        "CreatedAt": format_millis(job.created_at),
        "Status": job.status,
        "LastSuccessfulExecutionDate": job.last_success.map(format_millis),
    });
    strip_nulls(&mut out);
    out
}

pub fn get_job(state: &State, catalog: &str, input: &Value) -> ApiResult {
    let job = find_job(state, catalog, input)?;
    Ok(job_json(state, catalog, job))
}

pub fn list_jobs(state: &State, catalog: &str, input: &Value) -> ApiResult {
    let page_request = PageRequest::from_input("ListResourceSnapshotJobs", input, DEFAULT_LIMIT)?;
    let descending = input["Sort"]["SortOrder"].as_str() == Some("DESCENDING");
    let engagement = input["EngagementIdentifier"].as_str();
    let status = input["Status"].as_str();
    let items: Vec<(Key, Key, &SnapshotJobRecord)> = state.catalogs[catalog]
        .snapshot_jobs
        .values()
        .filter(|j| {
            state.catalogs[catalog]
                .engagements
                .get(&j.engagement)
                .is_some_and(|e| e.has_member(state.me()))
        })
        .filter(|j| engagement.is_none_or(|e| e == j.engagement))
        .filter(|j| status.is_none_or(|s| s == j.status))
        .map(|j| (Key::Num(j.created_at), Key::Text(j.id.clone()), j))
        .collect();
    let (page, next) = page_small(
        items,
        descending,
        page_request.after.as_ref(),
        page_request.limit,
    );
    let mut out = json!({"ResourceSnapshotJobSummaries": page.iter().map(|j| json!({
        "Id": j.id,
        "Arn": job_arn(state, catalog, &j.id),
        "EngagementId": j.engagement,
        "Status": j.status,
    })).collect::<Vec<_>>()});
    if let Some(token) = page_request.next_token(next) {
        out["NextToken"] = json!(token);
    }
    Ok(out)
}
