//! Engagements: the operations around a lead or a customer project that AWS and partners work
//! together. Only members see an engagement (AccessDeniedException otherwise, as the service
//! documents); a partner becomes a member by creating one or accepting an invitation to it.
//! Converting a lead (StartOpportunityFromEngagementTask) is asynchronous like the other tasks:
//! the opportunity appears when the task completes, made from the lead's context.

use serde_json::{Value, json};

use super::clock::{Millis, format_millis, instant_of};
use super::error::{ApiError, ApiResult};
use super::model::ProblemCode;
use super::state::{State, partner_member, strip_nulls};
use super::store::{
    EngagementRecord, Key, LOWER_ALNUM, OpportunityRecord, PageRequest, TaskKind, page_small,
};

const DEFAULT_LIMIT: u64 = 20;

pub fn engagement_arn(state: &State, catalog: &str, id: &str) -> String {
    format!(
        "arn:aws:partnercentral:{}::catalog/{catalog}/engagement/{id}",
        state.region
    )
}

/// An engagement id from an id or an ARN.
fn engagement_id(identifier: &str) -> &str {
    identifier.rsplit('/').next().unwrap_or(identifier)
}

/// The engagement `identifier` names, if the partner may see it.
pub fn member_engagement<'a>(
    state: &'a State,
    catalog: &str,
    identifier: &str,
) -> Result<&'a EngagementRecord, ApiError> {
    let id = engagement_id(identifier);
    let engagement = state.catalogs[catalog].engagements.get(id).ok_or_else(|| {
        ApiError::not_found(format!(
            "Engagement {identifier} was not found in the {catalog} catalog"
        ))
    })?;
    if !engagement.has_member(state.me()) {
        return Err(ApiError::AccessDenied(format!(
            "You are not a member of engagement {id}; accept an invitation to it first"
        )));
    }
    Ok(engagement)
}

fn context_types(engagement: &EngagementRecord) -> Vec<String> {
    let mut types: Vec<String> = engagement
        .contexts
        .iter()
        .filter_map(|c| c["Type"].as_str().map(String::from))
        .collect();
    types.sort();
    types.dedup();
    types
}

fn summary(state: &State, catalog: &str, e: &EngagementRecord) -> Value {
    json!({
        "Arn": engagement_arn(state, catalog, &e.id),
        "Id": e.id,
        "Title": e.title,
        "CreatedAt": format_millis(e.created_at),
        "CreatedBy": e.created_by,
        "MemberCount": e.members.len(),
        "ModifiedAt": format_millis(e.modified_at),
        "ModifiedBy": e.modified_by,
        "ContextTypes": context_types(e),
    })
}

pub fn get_engagement(state: &State, catalog: &str, input: &Value) -> ApiResult {
    let e = member_engagement(state, catalog, input["Identifier"].as_str().unwrap_or(""))?;
    let mut out = summary(state, catalog, e);
    out["Description"] = json!(e.description);
    out["Contexts"] = json!(e.contexts);
    out.as_object_mut().map(|o| o.remove("ContextTypes"));
    Ok(out)
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

pub fn list_engagements(state: &State, catalog: &str, input: &Value) -> ApiResult {
    let page_request = PageRequest::from_input("ListEngagements", input, DEFAULT_LIMIT)?;
    let descending = input["Sort"]["SortOrder"].as_str() == Some("DESCENDING");
    let created_by = strings(&input["CreatedBy"]);
    let exclude_created_by = strings(&input["ExcludeCreatedBy"]);
    let types = strings(&input["ContextTypes"]);
    let exclude_types = strings(&input["ExcludeContextTypes"]);
    let ids: Vec<String> = strings(&input["EngagementIdentifier"])
        .iter()
        .map(|i| engagement_id(i).to_string())
        .collect();
    let items: Vec<(Key, Key, &EngagementRecord)> = state.catalogs[catalog]
        .engagements
        .values()
        .filter(|e| e.has_member(state.me()))
        .filter(|e| {
            let own = context_types(e);
            (created_by.is_empty() || created_by.contains(&e.created_by))
                && !exclude_created_by.contains(&e.created_by)
                && (types.is_empty() || own.iter().any(|t| types.contains(t)))
                && !own.iter().any(|t| exclude_types.contains(t))
                && (ids.is_empty() || ids.contains(&e.id))
        })
        .map(|e| (Key::Num(e.created_at), Key::Text(e.id.clone()), e))
        .collect();
    let (page, next) = page_small(
        items,
        descending,
        page_request.after.as_ref(),
        page_request.limit,
    );
    let mut out = json!({
        "EngagementSummaryList": page.iter().map(|e| summary(state, catalog, e)).collect::<Vec<_>>()
    });
    if let Some(token) = page_request.next_token(next) {
        out["NextToken"] = json!(token);
    }
    Ok(out)
}

pub fn list_members(state: &State, catalog: &str, input: &Value) -> ApiResult {
    let e = member_engagement(state, catalog, input["Identifier"].as_str().unwrap_or(""))?;
    let page_request = PageRequest::from_input("ListEngagementMembers", input, DEFAULT_LIMIT)?;
    let items: Vec<(Key, Key, &Value)> = e
        .members
        .iter()
        .enumerate()
        .map(|(i, m)| (Key::Num(i as i64), Key::Text(String::new()), m))
        .collect();
    let (page, next) = page_small(
        items,
        false,
        page_request.after.as_ref(),
        page_request.limit,
    );
    let mut out = json!({ "EngagementMemberList": page });
    if let Some(token) = page_request.next_token(next) {
        out["NextToken"] = json!(token);
    }
    Ok(out)
}

/// A shared opportunity of the demo data predates the sandbox's engagements: the engagement its
/// submission made is put in place the first time it is asked for, as a submission makes one
/// now (the partner and AWS as members, its customer project, the opportunity associated). Its
/// id is derived from the opportunity's, so it is the same whenever it is made.
fn ensure_submission_engagement(state: &mut State, catalog: &str, identifier: &str) {
    if state.caller.is_some()
        || state.catalogs[catalog]
            .engagements
            .values()
            .any(|e| e.opportunities.iter().any(|(o, _)| o == identifier))
    {
        return;
    }
    let Some(record) = state.catalogs[catalog]
        .opportunity_by_identifier(identifier)
        .map(|r| r.open())
    else {
        return;
    };
    let review = record
        .lifecycle_str("ReviewStatus")
        .unwrap_or("Pending Submission");
    if review == "Pending Submission" {
        return;
    }
    let doc = Value::Object(record.doc.clone());
    let account = &doc["Customer"]["Account"];
    let title = doc["Project"]["Title"]
        .as_str()
        .unwrap_or(record.company())
        .to_string();
    let id = format!("eng-o{:013}", record.id % 10_000_000_000_000);
    let me = state.account_id.clone();
    let members = vec![
        super::state::member_for(state, catalog, &me),
        json!({"AccountId": super::state::AWS_SENDER_ACCOUNT, "CompanyName": "Amazon Web Services",
               "WebsiteUrl": "https://aws.amazon.com"}),
    ];
    let submitted = record.submitted_at.unwrap_or(record.created);
    let mut context = json!({"Id": "1", "Type": "CustomerProject", "Payload": {"CustomerProject": {
        "Customer": {"Industry": account["Industry"], "CompanyName": account["CompanyName"],
                     "WebsiteUrl": account["WebsiteUrl"], "CountryCode": account["Address"]["CountryCode"]},
        "Project": {"Title": title, "BusinessProblem": doc["Project"]["CustomerBusinessProblem"],
                    "TargetCompletionDate": doc["LifeCycle"]["TargetCloseDate"]},
    }}});
    strip_nulls(&mut context);
    let engagement = EngagementRecord {
        id: id.clone(),
        title: title.chars().take(40).collect(),
        description: doc["Project"]["CustomerBusinessProblem"]
            .as_str()
            .unwrap_or(&title)
            .to_string(),
        created_at: submitted,
        created_by: me.clone(),
        modified_at: submitted,
        modified_by: me.clone(),
        members,
        contexts: vec![context],
        opportunities: vec![(identifier.to_string(), me)],
    };
    state.catalog(catalog).engagements.insert(id, engagement);
}

pub fn list_resource_associations(state: &mut State, catalog: &str, input: &Value) -> ApiResult {
    if let Some(resource) = input["ResourceIdentifier"].as_str() {
        ensure_submission_engagement(state, catalog, resource);
    }
    let state = &*state;
    let page_request =
        PageRequest::from_input("ListEngagementResourceAssociations", input, DEFAULT_LIMIT)?;
    if let Some(identifier) = input["EngagementIdentifier"].as_str() {
        member_engagement(state, catalog, identifier)?;
    }
    let wanted_engagement = input["EngagementIdentifier"].as_str().map(engagement_id);
    let wanted_resource = input["ResourceIdentifier"].as_str();
    let wanted_creator = input["CreatedBy"].as_str();
    let items: Vec<(Key, Key, Value)> = state.catalogs[catalog]
        .engagements
        .values()
        .filter(|e| e.has_member(state.me()))
        .filter(|e| wanted_engagement.is_none_or(|w| w == e.id))
        .flat_map(|e| {
            e.opportunities.iter().map(move |(opportunity, by)| {
                (
                    Key::Text(e.id.clone()),
                    Key::Text(opportunity.clone()),
                    json!({"Catalog": catalog, "EngagementId": e.id, "ResourceType": "Opportunity",
                           "ResourceId": opportunity, "CreatedBy": by}),
                )
            })
        })
        .filter(|(_, _, v)| {
            wanted_resource.is_none_or(|r| v["ResourceId"].as_str() == Some(r))
                && wanted_creator.is_none_or(|c| v["CreatedBy"].as_str() == Some(c))
        })
        .collect();
    let (page, next) = page_small(
        items,
        false,
        page_request.after.as_ref(),
        page_request.limit,
    );
    let mut out = json!({ "EngagementResourceAssociationSummaries": page });
    if let Some(token) = page_request.next_token(next) {
        out["NextToken"] = json!(token);
    }
    Ok(out)
}

/// A context as stored: its id, type and payload. The service numbers an engagement's
/// contexts (the model's ContextIdentifier is digits), so the `n`th is `n`.
fn new_context(n: usize, kind: &str, payload: &Value) -> Value {
    let mut context = json!({
        "Id": n.to_string(),
        "Type": kind,
        "Payload": payload,
    });
    strip_nulls(&mut context);
    context
}

pub fn create_engagement(
    state: &mut State,
    catalog: &str,
    input: &Value,
    now: Millis,
) -> ApiResult {
    let id = state.new_id("eng-", LOWER_ALNUM, 14);
    let contexts: Vec<Value> = input["Contexts"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .enumerate()
        .map(|(i, c)| new_context(i + 1, c["Type"].as_str().unwrap_or(""), &c["Payload"]))
        .collect();
    let record = EngagementRecord {
        id: id.clone(),
        title: input["Title"].as_str().unwrap_or_default().to_string(),
        description: input["Description"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
        created_at: now,
        created_by: state.me().to_string(),
        modified_at: now,
        modified_by: state.me().to_string(),
        members: vec![partner_member(state, catalog)],
        contexts,
        opportunities: Vec::new(),
    };
    state
        .catalog(catalog)
        .engagements
        .insert(id.clone(), record);
    Ok(json!({
        "Id": id,
        "Arn": engagement_arn(state, catalog, &id),
        "ModifiedAt": format_millis(now),
    }))
}

fn changed_reply(state: &State, catalog: &str, e: &EngagementRecord, context: &str) -> Value {
    json!({
        "EngagementId": e.id,
        "EngagementArn": engagement_arn(state, catalog, &e.id),
        "EngagementLastModifiedAt": format_millis(e.modified_at),
        "ContextId": context,
    })
}

pub fn create_context(state: &mut State, catalog: &str, input: &Value, now: Millis) -> ApiResult {
    let identifier = input["EngagementIdentifier"].as_str().unwrap_or("");
    let engagement = member_engagement(state, catalog, identifier)?;
    let id = engagement.id.clone();
    let context = new_context(
        engagement.contexts.len() + 1,
        input["Type"].as_str().unwrap_or(""),
        &input["Payload"],
    );
    let context_id = context["Id"].as_str().unwrap_or_default().to_string();
    let account = state.me().to_string();
    let e = state
        .catalog(catalog)
        .engagements
        .get_mut(&id)
        .expect("found above");
    e.contexts.push(context);
    e.modified_at = now.max(e.modified_at + 1);
    e.modified_by = account;
    let e = &state.catalogs[catalog].engagements[&id];
    Ok(changed_reply(state, catalog, e, &context_id))
}

/// UpdateEngagementContext: guarded by EngagementLastModifiedAt as UpdateOpportunity is by
/// LastModifiedDate. A lead update replaces the members it carries and adds its interaction to
/// the lead's list; a customer project is replaced.
pub fn update_context(state: &mut State, catalog: &str, input: &Value, now: Millis) -> ApiResult {
    let identifier = input["EngagementIdentifier"].as_str().unwrap_or("");
    let e = member_engagement(state, catalog, identifier)?;
    let seen = instant_of(&input["EngagementLastModifiedAt"]);
    if seen != Some(e.modified_at) {
        return Err(ApiError::conflict(format!(
            "Engagement {} was modified at {}; read it again and apply the change to that version",
            e.id,
            format_millis(e.modified_at)
        )));
    }
    let context_id = input["ContextIdentifier"]
        .as_str()
        .unwrap_or("")
        .to_string();
    let kind = input["Type"].as_str().unwrap_or("");
    let Some(index) = e
        .contexts
        .iter()
        .position(|c| c["Id"].as_str() == Some(context_id.as_str()))
    else {
        return Err(ApiError::not_found(format!(
            "Context {context_id} was not found in engagement {}",
            e.id
        )));
    };
    if e.contexts[index]["Type"].as_str() != Some(kind) {
        return Err(ApiError::business(
            format!("Context {context_id} is not of type {kind}"),
            vec![super::model::FieldProblem {
                field: "Type".into(),
                code: ProblemCode::InvalidValue,
                message: format!(
                    "Context {context_id} is a {}",
                    e.contexts[index]["Type"].as_str().unwrap_or("context")
                ),
            }],
        ));
    }
    let id = e.id.clone();
    let account = state.me().to_string();
    let e = state
        .catalog(catalog)
        .engagements
        .get_mut(&id)
        .expect("found above");
    let context = &mut e.contexts[index];
    match kind {
        "Lead" => {
            let update = &input["Payload"]["Lead"];
            let lead = &mut context["Payload"]["Lead"];
            for member in ["QualificationStatus", "Customer", "Insights"] {
                if !update[member].is_null() {
                    lead[member] = update[member].clone();
                }
            }
            if !update["Interaction"].is_null() {
                match lead["Interactions"].as_array_mut() {
                    Some(list) => list.push(update["Interaction"].clone()),
                    None => lead["Interactions"] = json!([update["Interaction"].clone()]),
                }
            }
        }
        _ => context["Payload"] = input["Payload"].clone(),
    }
    strip_nulls(context);
    e.modified_at = now.max(e.modified_at + 1);
    e.modified_by = account;
    let e = &state.catalogs[catalog].engagements[&id];
    Ok(changed_reply(state, catalog, e, &context_id))
}

pub fn start_conversion(state: &mut State, catalog: &str, input: &Value, now: Millis) -> ApiResult {
    let identifier = input["Identifier"].as_str().unwrap_or("");
    let e = member_engagement(state, catalog, identifier)?;
    let context_id = input["ContextIdentifier"]
        .as_str()
        .unwrap_or("")
        .to_string();
    if !e
        .contexts
        .iter()
        .any(|c| c["Id"].as_str() == Some(context_id.as_str()))
    {
        return Err(ApiError::not_found(format!(
            "Context {context_id} was not found in engagement {}",
            e.id
        )));
    }
    let engagement = e.id.clone();
    let mut task =
        super::selling::new_task(state, catalog, TaskKind::OpportunityFromEngagement, now);
    task.engagement_id = Some(engagement);
    task.context_id = Some(context_id);
    task.tags = input["Tags"].as_array().cloned().unwrap_or_default();
    state.catalog(catalog).tasks.push(task);
    state.wake_now();
    state.advance(now);
    let task = state.catalogs[catalog].tasks.last().expect("just pushed");
    Ok(super::selling::task_json(task, true))
}

/// The opportunity a lead's context becomes: its customer, contact, use case and problem, at
/// Prospect and pending submission, associated with the engagement. A context converted
/// before gives the same opportunity again.
pub fn finish_conversion(state: &mut State, catalog_name: &str, index: usize, now: Millis) {
    let task = state.catalogs[catalog_name].tasks[index].clone();
    let engagement_id = task.engagement_id.clone().unwrap_or_default();
    let context_id = task.context_id.clone().unwrap_or_default();
    let fail = |state: &mut State, code: &str, message: String| {
        let t = &mut state.catalog(catalog_name).tasks[index];
        t.status = "FAILED".into();
        t.reason_code = Some(code.into());
        t.message = Some(message);
    };
    let Some(engagement) = state.catalogs[catalog_name]
        .engagements
        .get(&engagement_id)
        .cloned()
    else {
        return fail(
            state,
            "EngagementValidationFailed",
            format!("Engagement {engagement_id} no longer exists"),
        );
    };
    let Some(context) = engagement
        .contexts
        .iter()
        .find(|c| c["Id"].as_str() == Some(context_id.as_str()))
    else {
        return fail(
            state,
            "EngagementValidationFailed",
            format!("Context {context_id} no longer exists"),
        );
    };
    let already = state.catalogs[catalog_name].tasks.iter().find(|t| {
        t.kind == TaskKind::OpportunityFromEngagement
            && t.status == "COMPLETE"
            && t.context_id.as_deref() == Some(context_id.as_str())
    });
    let identifier = match already.and_then(|t| t.opportunity_id.clone()) {
        Some(existing) => existing,
        None => {
            let id = state.catalog(catalog_name).next_opportunity;
            let record = OpportunityRecord {
                id,
                doc: opportunity_from_context(&engagement, context, now),
                created: now,
                last_modified: now,
                involvement: None,
                visibility: None,
                submitted_at: None,
            };
            let identifier = record.identifier();
            if !task.tags.is_empty() {
                let arn = state.opportunity_arn(catalog_name, &identifier);
                state.add_tags(arn, &task.tags);
            }
            state.catalog(catalog_name).insert_opportunity(record);
            // Opportunities are the sandbox's own partner's: conversions land there.
            let account = state.account_id.clone();
            if let Some(e) = state
                .catalog(catalog_name)
                .engagements
                .get_mut(&engagement_id)
            {
                e.opportunities.push((identifier.clone(), account));
            }
            identifier
        }
    };
    let t = &mut state.catalog(catalog_name).tasks[index];
    t.status = "COMPLETE".into();
    t.opportunity_id = Some(identifier);
}

fn opportunity_from_context(
    engagement: &EngagementRecord,
    context: &Value,
    now: Millis,
) -> serde_json::Map<String, Value> {
    let payload = &context["Payload"];
    let (customer, project, contacts) = match context["Type"].as_str() {
        Some("Lead") => {
            let lead = &payload["Lead"];
            let c = &lead["Customer"];
            let last = lead["Interactions"]
                .as_array()
                .and_then(|i| i.last())
                .cloned()
                .unwrap_or(Value::Null);
            let contact = &last["Contact"];
            (
                json!({"Account": {
                    "CompanyName": c["CompanyName"], "Industry": c["Industry"], "WebsiteUrl": c["WebsiteUrl"],
                    "Address": c["Address"],
                }}),
                json!({
                    "Title": engagement.title,
                    "CustomerBusinessProblem": if last["BusinessProblem"].is_null() { json!(engagement.description) } else { last["BusinessProblem"].clone() },
                    "CustomerUseCase": last["Usecase"],
                }),
                if contact.is_null() {
                    Value::Null
                } else {
                    json!([{"Email": contact["Email"], "FirstName": contact["FirstName"],
                            "LastName": contact["LastName"], "BusinessTitle": contact["BusinessTitle"],
                            "Phone": contact["Phone"]}])
                },
            )
        }
        _ => {
            let p = &payload["CustomerProject"];
            let c = &p["Customer"];
            (
                json!({"Account": {
                    "CompanyName": c["CompanyName"], "Industry": c["Industry"], "WebsiteUrl": c["WebsiteUrl"],
                    "Address": {"CountryCode": c["CountryCode"]},
                }}),
                json!({"Title": p["Project"]["Title"], "CustomerBusinessProblem": p["Project"]["BusinessProblem"]}),
                Value::Null,
            )
        }
    };
    let mut doc = json!({
        "Customer": {"Account": customer["Account"], "Contacts": contacts},
        "Project": project,
        "OpportunityType": "Net New Business",
        "Origin": "Partner Referral",
        "LifeCycle": {"Stage": "Prospect", "ReviewStatus": "Pending Submission"},
        "RelatedEntityIdentifiers": {},
    });
    strip_nulls(&mut doc);
    let _ = now;
    doc.as_object().cloned().unwrap_or_default()
}

/// Accepting an invitation makes `account` a member of its engagement (and a referral's
/// opportunity, once made, is associated with it).
pub fn join(
    state: &mut State,
    catalog: &str,
    engagement_id: &str,
    account: &str,
    opportunity: Option<&str>,
) {
    let member = super::state::member_for(state, catalog, account);
    let account = account.to_string();
    if let Some(e) = state.catalog(catalog).engagements.get_mut(engagement_id) {
        if !e.has_member(&account) {
            e.members.push(member);
        }
        if let Some(opportunity) = opportunity
            && !e.opportunities.iter().any(|(o, _)| o == opportunity)
        {
            e.opportunities.push((opportunity.to_string(), account));
        }
    }
}

pub fn get_settings(state: &State, catalog: &str) -> ApiResult {
    let mut out = json!({
        "Catalog": catalog,
        "ResourceSnapshotJobRoleArn": state.catalogs[catalog].snapshot_job_role,
    });
    strip_nulls(&mut out);
    Ok(out)
}

/// PutSellingSystemSettings takes a role name or ARN; the service answers with the ARN.
pub fn put_settings(state: &mut State, catalog: &str, input: &Value) -> ApiResult {
    let role = input["ResourceSnapshotJobRoleIdentifier"]
        .as_str()
        .map(|r| {
            if r.starts_with("arn:") {
                r.to_string()
            } else {
                format!("arn:aws:iam::{}:role/{r}", state.account_id)
            }
        });
    state.catalog(catalog).snapshot_job_role = role;
    get_settings(state, catalog)
}

/// CreateEngagementInvitation: a member invites another partner (or the sandbox's own, when
/// another partner calls) to the engagement, with an opportunity or a lead payload. The receiver
/// sees it as RECEIVER and, accepting it, becomes a member.
pub fn invite(state: &mut State, catalog: &str, input: &Value, now: Millis) -> ApiResult {
    let identifier = input["EngagementIdentifier"].as_str().unwrap_or("");
    let e = member_engagement(state, catalog, identifier)?;
    let invitation = &input["Invitation"];
    let receiver = invitation["Receiver"]["Account"]["AwsAccountId"]
        .as_str()
        .unwrap_or("")
        .to_string();
    let known =
        receiver == state.account_id || state.catalogs[catalog].directory.contains_key(&receiver);
    if !known {
        return Err(ApiError::not_found(format!(
            "No partner with AWS account {receiver} was found in the {catalog} catalog"
        )));
    }
    if receiver == state.me() {
        return Err(ApiError::business(
            "You cannot invite yourself to an engagement",
            vec![super::model::FieldProblem {
                field: "Invitation.Receiver".into(),
                code: ProblemCode::InvalidValue,
                message: "The receiver is the sender".into(),
            }],
        ));
    }
    if e.has_member(&receiver) {
        return Err(ApiError::conflict(format!(
            "{receiver} is already a member of engagement {}",
            e.id
        )));
    }
    let engagement_id = e.id.clone();
    let title = e.title.clone();
    let description = e.description.clone();
    let id = state.new_id("engi-", LOWER_ALNUM, 13);
    let arn = state.invitation_arn(catalog, &id);
    let sender = partner_member(state, catalog);
    let payload_type = if invitation["Payload"]["LeadInvitation"].is_null() {
        "OpportunityInvitation"
    } else {
        "LeadInvitation"
    };
    let mut doc = json!({
        "Arn": arn,
        "PayloadType": payload_type,
        "Id": id,
        "EngagementId": engagement_id,
        "EngagementTitle": title,
        "Status": "PENDING",
        "InvitationDate": format_millis(now),
        "ExpirationDate": format_millis(now + 15 * super::clock::DAY),
        "SenderAwsAccountId": state.me(),
        "SenderCompanyName": sender["CompanyName"],
        "Receiver": invitation["Receiver"],
        "InvitationMessage": invitation["Message"],
        "EngagementDescription": description,
        "ExistingMembers": state.catalogs[catalog].engagements[&engagement_id]
            .members
            .iter()
            .map(|m| json!({"CompanyName": m["CompanyName"], "WebsiteUrl": m["WebsiteUrl"]}))
            .collect::<Vec<_>>(),
        "Payload": invitation["Payload"],
    });
    strip_nulls(&mut doc);
    state.catalog(catalog).invitations.insert(
        id.clone(),
        super::store::InvitationRecord {
            doc: doc.as_object().cloned().unwrap_or_default(),
            participant: String::new(),
            referral_opportunity: None,
            receiver_account: Some(receiver),
        },
    );
    Ok(json!({"Id": id, "Arn": arn}))
}
