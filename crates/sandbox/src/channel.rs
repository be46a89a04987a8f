//! PartnerCentralChannel: program management accounts (a partner's account in a channel
//! program), the relationships under them (downstream sellers, end customers) and the handshakes
//! that make them official. A handshake is answered by its receiver only (accept or reject) and
//! withdrawn by its sender only (cancel), while it is PENDING. Accepting a program management
//! account's handshake activates the account; a start-service-period handshake starts the
//! relationship's service period; a revoke-service-period handshake ends it, and the sandbox then
//! ends the relationship (the documentation says a revoked period ends the service; the sandbox
//! removes the relationship so its listing shows it, and docs/sandbox.md says so). Every update
//! is guarded by the record's `revision`.

use serde_json::{Value, json};

use super::clock::{Millis, format_millis};
use super::error::{ApiError, ApiResult};
use super::model::{FieldProblem, ProblemCode};
use super::state::{State, strip_nulls};
use super::store::{Key, LOWER_ALNUM, PageRequest, page_small};

const DEFAULT_LIMIT: u64 = 20;

pub fn handle(state: &mut State, op: &str, input: &Value, now: Millis) -> ApiResult {
    let catalog = input["catalog"].as_str().unwrap_or("AWS").to_string();
    if !super::state::CATALOGS.contains(&catalog.as_str())
        && !matches!(op, "ListTagsForResource" | "TagResource" | "UntagResource")
    {
        return Err(ApiError::business(
            format!(
                "Catalog {catalog} not found. Use AWS for production data or Sandbox for testing."
            ),
            vec![problem(
                "catalog",
                ProblemCode::InvalidValue,
                "catalog must be AWS or Sandbox",
            )],
        ));
    }
    match op {
        "CreateProgramManagementAccount" => create_account(state, &catalog, input, now),
        "UpdateProgramManagementAccount" => update_account(state, &catalog, input, now),
        "DeleteProgramManagementAccount" => delete_account(state, &catalog, input),
        "ListProgramManagementAccounts" => list_accounts(state, &catalog, input),
        "CreateRelationship" => create_relationship(state, &catalog, input, now),
        "GetRelationship" => get_relationship(state, &catalog, input),
        "UpdateRelationship" => update_relationship(state, &catalog, input, now),
        "DeleteRelationship" => delete_relationship(state, &catalog, input),
        "ListRelationships" => list_relationships(state, &catalog, input),
        "CreateChannelHandshake" => create_handshake(state, &catalog, input, now),
        "AcceptChannelHandshake" => answer_handshake(state, &catalog, input, now, "ACCEPTED"),
        "RejectChannelHandshake" => answer_handshake(state, &catalog, input, now, "REJECTED"),
        "CancelChannelHandshake" => answer_handshake(state, &catalog, input, now, "CANCELED"),
        "ListChannelHandshakes" => list_handshakes(state, &catalog, input),
        "ListTagsForResource" => list_tags(state, input),
        "TagResource" => tag_resource(state, input),
        "UntagResource" => untag_resource(state, input),
        other => Err(ApiError::UnknownOperation(format!(
            "PartnerCentralChannel.{other}"
        ))),
    }
}

fn problem(field: &str, code: ProblemCode, message: impl Into<String>) -> FieldProblem {
    FieldProblem {
        field: field.into(),
        code,
        message: message.into(),
    }
}

fn base_arn(state: &State, catalog: &str) -> String {
    format!(
        "arn:aws:partnercentral:{}:{}:catalog/{catalog}",
        state.region, state.account_id
    )
}

/// The id at the end of an id or an ARN.
fn id_of(identifier: &str) -> &str {
    identifier.rsplit('/').next().unwrap_or(identifier)
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

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or("")
}

fn not_found(kind: &str, identifier: &str, catalog: &str) -> ApiError {
    ApiError::not_found(format!(
        "{kind} {identifier} was not found in the {catalog} catalog"
    ))
}

/// The record's `revision` must be the one given, when one is given.
fn require_revision(record: &Value, input: &Value, kind: &str) -> Result<(), ApiError> {
    match input["revision"].as_str() {
        Some(r) if r != text(record, "revision") => Err(ApiError::conflict(format!(
            "{kind} {} is at revision {}, not {r}: read it again",
            text(record, "id"),
            text(record, "revision")
        ))),
        _ => Ok(()),
    }
}

fn bump(record: &mut Value, now: Millis) {
    let next = text(record, "revision").parse::<u64>().unwrap_or(0) + 1;
    record["revision"] = json!(next.to_string());
    record["updatedAt"] = json!(format_millis(now));
}

fn page(operation: &str, input: &Value, mut items: Vec<(Key, Key, Value)>) -> ApiResult {
    let request = PageRequest::from_input(operation, input, DEFAULT_LIMIT)?;
    let ascending = input["sort"]["sortOrder"].as_str() == Some("Ascending")
        || input["handshakeTypeSort"]
            .as_object()
            .and_then(|o| o.values().next())
            .is_some_and(|s| s["sortOrder"].as_str() == Some("Ascending"));
    items.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    let (rows, next) = page_small(items, !ascending, request.after.as_ref(), request.limit);
    let mut out = json!({ "items": rows });
    if let Some(token) = request.next_token(next) {
        out["nextToken"] = json!(token);
    }
    Ok(out)
}

fn create_account(state: &mut State, catalog: &str, input: &Value, now: Millis) -> ApiResult {
    let account_id = text(input, "accountId").to_string();
    let program = text(input, "program").to_string();
    if state.catalogs[catalog].program_accounts.values().any(|a| {
        text(a, "accountId") == account_id
            && text(a, "program") == program
            && text(a, "status") != "INACTIVE"
    }) {
        return Err(ApiError::conflict(format!(
            "Account {account_id} already has a program management account for {program}"
        )));
    }
    let id = state.new_id("pma-", LOWER_ALNUM, 13);
    let arn = format!(
        "{}/program-management-account/{id}",
        base_arn(state, catalog)
    );
    let record = json!({
        "id": id, "arn": arn, "revision": "1", "catalog": catalog, "program": program,
        "displayName": input["displayName"], "accountId": account_id,
        "createdAt": format_millis(now), "updatedAt": format_millis(now), "status": "PENDING",
    });
    if let Some(tags) = input["tags"].as_array() {
        add_tags(state, &arn, tags);
    }
    state
        .catalog(catalog)
        .program_accounts
        .insert(id.clone(), record);
    // The account's owner confirms it with a handshake; it is ACTIVE once accepted.
    let receiver = account_id.clone();
    new_handshake(
        state,
        catalog,
        "PROGRAM_MANAGEMENT_ACCOUNT",
        &id,
        &receiver,
        json!({"programManagementAccountHandshakeDetail": {"program": program}}),
        now,
    );
    Ok(json!({"programManagementAccountDetail": {"id": id, "arn": arn}}))
}

fn find_account(state: &State, catalog: &str, identifier: &str) -> Result<String, ApiError> {
    let id = id_of(identifier);
    if state.catalogs[catalog].program_accounts.contains_key(id) {
        Ok(id.to_string())
    } else {
        Err(not_found("Program management account", identifier, catalog))
    }
}

fn update_account(state: &mut State, catalog: &str, input: &Value, now: Millis) -> ApiResult {
    let id = find_account(state, catalog, text(input, "identifier"))?;
    require_revision(
        &state.catalogs[catalog].program_accounts[&id],
        input,
        "Program management account",
    )?;
    let record = state
        .catalog(catalog)
        .program_accounts
        .get_mut(&id)
        .expect("found above");
    if let Some(name) = input["displayName"].as_str() {
        record["displayName"] = json!(name);
    }
    bump(record, now);
    Ok(
        json!({"programManagementAccountDetail": {"id": record["id"], "arn": record["arn"],
        "revision": record["revision"], "displayName": record["displayName"]}}),
    )
}

fn delete_account(state: &mut State, catalog: &str, input: &Value) -> ApiResult {
    let id = find_account(state, catalog, text(input, "identifier"))?;
    let held = state.catalogs[catalog]
        .relationships
        .values()
        .filter(|r| text(r, "programManagementAccountId") == id)
        .count();
    if held > 0 {
        return Err(ApiError::conflict(format!(
            "Program management account {id} still has {held} relationship(s); delete them first"
        )));
    }
    state.catalog(catalog).program_accounts.remove(&id);
    Ok(json!({}))
}

fn list_accounts(state: &State, catalog: &str, input: &Value) -> ApiResult {
    let names = strings(&input["displayNames"]);
    let programs = strings(&input["programs"]);
    let accounts = strings(&input["accountIds"]);
    let statuses = strings(&input["statuses"]);
    let keep =
        |wanted: &[String], value: &str| wanted.is_empty() || wanted.iter().any(|w| w == value);
    let items = state.catalogs[catalog]
        .program_accounts
        .values()
        .filter(|a| {
            keep(&names, text(a, "displayName"))
                && keep(&programs, text(a, "program"))
                && keep(&accounts, text(a, "accountId"))
                && keep(&statuses, text(a, "status"))
        })
        .map(|a| {
            (
                Key::Text(text(a, "updatedAt").to_string()),
                Key::Text(text(a, "id").to_string()),
                a.clone(),
            )
        })
        .collect();
    page("ListProgramManagementAccounts", input, items)
}

fn create_relationship(state: &mut State, catalog: &str, input: &Value, now: Millis) -> ApiResult {
    let account = find_account(
        state,
        catalog,
        text(input, "programManagementAccountIdentifier"),
    )?;
    let associated = text(input, "associatedAccountId").to_string();
    if state.catalogs[catalog].relationships.values().any(|r| {
        text(r, "programManagementAccountId") == account
            && text(r, "associatedAccountId") == associated
    }) {
        return Err(ApiError::conflict(format!(
            "{associated} already has a relationship under {account}"
        )));
    }
    let id = state.new_id("rs-", LOWER_ALNUM, 13);
    let arn = format!(
        "{}/program-management-account/{account}/relationship/{id}",
        base_arn(state, catalog)
    );
    let mut record = json!({
        "arn": arn, "id": id, "revision": "1", "catalog": catalog,
        "associationType": input["associationType"], "programManagementAccountId": account,
        "associatedAccountId": associated, "displayName": input["displayName"],
        "resaleAccountModel": input["resaleAccountModel"], "sector": input["sector"],
        "createdAt": format_millis(now), "updatedAt": format_millis(now),
        "requestedSupportPlan": input["requestedSupportPlan"],
    });
    strip_nulls(&mut record);
    if let Some(tags) = input["tags"].as_array() {
        add_tags(state, &arn, tags);
    }
    state
        .catalog(catalog)
        .relationships
        .insert(id.clone(), record);
    Ok(json!({"relationshipDetail": {"arn": arn, "id": id}}))
}

fn find_relationship(state: &State, catalog: &str, input: &Value) -> Result<String, ApiError> {
    let account = find_account(
        state,
        catalog,
        text(input, "programManagementAccountIdentifier"),
    )?;
    let identifier = text(input, "identifier");
    let id = id_of(identifier);
    match state.catalogs[catalog].relationships.get(id) {
        Some(r) if text(r, "programManagementAccountId") == account => Ok(id.to_string()),
        _ => Err(not_found("Relationship", identifier, catalog)),
    }
}

/// A relationship as GetRelationship and ListRelationships show it.
fn relationship_view(r: &Value) -> Value {
    let mut v = r.clone();
    if let Some(o) = v.as_object_mut() {
        o.remove("requestedSupportPlan");
        o.remove("servicePeriodEnd");
    }
    v
}

fn get_relationship(state: &State, catalog: &str, input: &Value) -> ApiResult {
    let id = find_relationship(state, catalog, input)?;
    Ok(
        json!({"relationshipDetail": relationship_view(&state.catalogs[catalog].relationships[&id])}),
    )
}

fn update_relationship(state: &mut State, catalog: &str, input: &Value, now: Millis) -> ApiResult {
    let id = find_relationship(state, catalog, input)?;
    require_revision(
        &state.catalogs[catalog].relationships[&id],
        input,
        "Relationship",
    )?;
    let record = state
        .catalog(catalog)
        .relationships
        .get_mut(&id)
        .expect("found above");
    if let Some(name) = input["displayName"].as_str() {
        record["displayName"] = json!(name);
    }
    if !input["requestedSupportPlan"].is_null() {
        record["requestedSupportPlan"] = input["requestedSupportPlan"].clone();
    }
    bump(record, now);
    Ok(
        json!({"relationshipDetail": {"arn": record["arn"], "id": record["id"],
        "revision": record["revision"], "displayName": record["displayName"]}}),
    )
}

fn delete_relationship(state: &mut State, catalog: &str, input: &Value) -> ApiResult {
    let id = find_relationship(state, catalog, input)?;
    state.catalog(catalog).relationships.remove(&id);
    Ok(json!({}))
}

fn list_relationships(state: &State, catalog: &str, input: &Value) -> ApiResult {
    let accounts = strings(&input["associatedAccountIds"]);
    let types = strings(&input["associationTypes"]);
    let names = strings(&input["displayNames"]);
    let pmas: Vec<String> = strings(&input["programManagementAccountIdentifiers"])
        .iter()
        .map(|p| id_of(p).to_string())
        .collect();
    let keep =
        |wanted: &[String], value: &str| wanted.is_empty() || wanted.iter().any(|w| w == value);
    let items = state.catalogs[catalog]
        .relationships
        .values()
        .filter(|r| {
            keep(&accounts, text(r, "associatedAccountId"))
                && keep(&types, text(r, "associationType"))
                && keep(&names, text(r, "displayName"))
                && keep(&pmas, text(r, "programManagementAccountId"))
        })
        .map(|r| {
            let mut v = relationship_view(r);
            if let Some(o) = v.as_object_mut() {
                o.remove("resaleAccountModel");
            }
            (
                Key::Text(text(r, "updatedAt").to_string()),
                Key::Text(text(r, "id").to_string()),
                v,
            )
        })
        .collect();
    page("ListRelationships", input, items)
}

fn new_handshake(
    state: &mut State,
    catalog: &str,
    kind: &str,
    resource: &str,
    receiver: &str,
    detail: Value,
    now: Millis,
) -> (String, String) {
    let id = state.new_id("ch-", LOWER_ALNUM, 13);
    let arn = format!("{}/channel-handshake/{id}", base_arn(state, catalog));
    let sender = state.me().to_string();
    let sender_name = super::state::member_for(state, catalog, &sender)["CompanyName"].clone();
    let record = json!({
        "id": id, "arn": arn, "catalog": catalog, "handshakeType": kind,
        "ownerAccountId": state.account_id, "senderAccountId": sender,
        "senderDisplayName": sender_name, "receiverAccountId": receiver,
        "associatedResourceId": resource, "detail": detail,
        "createdAt": format_millis(now), "updatedAt": format_millis(now), "status": "PENDING",
    });
    state.catalog(catalog).handshakes.insert(id.clone(), record);
    (id, arn)
}

fn create_handshake(state: &mut State, catalog: &str, input: &Value, now: Millis) -> ApiResult {
    let kind = text(input, "handshakeType").to_string();
    let resource = id_of(text(input, "associatedResourceIdentifier")).to_string();
    let (receiver, detail) = if kind == "PROGRAM_MANAGEMENT_ACCOUNT" {
        let account = state.catalogs[catalog]
            .program_accounts
            .get(&resource)
            .ok_or_else(|| not_found("Program management account", &resource, catalog))?;
        (
            text(account, "accountId").to_string(),
            json!({"programManagementAccountHandshakeDetail": {"program": account["program"]}}),
        )
    } else {
        let relationship = state.catalogs[catalog]
            .relationships
            .get(&resource)
            .ok_or_else(|| not_found("Relationship", &resource, catalog))?;
        let payload = if kind == "START_SERVICE_PERIOD" {
            &input["payload"]["startServicePeriodPayload"]
        } else {
            &input["payload"]["revokeServicePeriodPayload"]
        };
        if payload.is_null() {
            return Err(ApiError::business(
                format!("A {kind} handshake needs its payload"),
                vec![problem(
                    "payload",
                    ProblemCode::RequiredFieldMissing,
                    "payload is required for a service period",
                )],
            ));
        }
        let key = if kind == "START_SERVICE_PERIOD" {
            "startServicePeriodHandshakeDetail"
        } else {
            "revokeServicePeriodHandshakeDetail"
        };
        let mut detail = json!({key: {
            "note": payload["note"], "servicePeriodType": payload["servicePeriodType"],
            "minimumNoticeDays": payload["minimumNoticeDays"], "startDate": format_millis(now),
            "endDate": payload["endDate"],
        }});
        strip_nulls(&mut detail);
        (
            text(relationship, "associatedAccountId").to_string(),
            detail,
        )
    };
    if state.catalogs[catalog].handshakes.values().any(|h| {
        text(h, "status") == "PENDING"
            && text(h, "handshakeType") == kind
            && text(h, "associatedResourceId") == resource
    }) {
        return Err(ApiError::conflict(format!(
            "A {kind} handshake for {resource} is already pending; cancel it or wait for the answer"
        )));
    }
    let (id, arn) = new_handshake(state, catalog, &kind, &resource, &receiver, detail, now);
    if let Some(tags) = input["tags"].as_array() {
        add_tags(state, &arn, tags);
    }
    Ok(json!({"channelHandshakeDetail": {"id": id, "arn": arn}}))
}

/// Accept and reject are the receiver's, cancel the sender's; all only while PENDING.
fn answer_handshake(
    state: &mut State,
    catalog: &str,
    input: &Value,
    now: Millis,
    answer: &str,
) -> ApiResult {
    let identifier = text(input, "identifier");
    let id = id_of(identifier).to_string();
    let handshake = state.catalogs[catalog]
        .handshakes
        .get(&id)
        .ok_or_else(|| not_found("Channel handshake", identifier, catalog))?
        .clone();
    let me = state.me().to_string();
    let (who, side) = if answer == "CANCELED" {
        (text(&handshake, "senderAccountId"), "sender")
    } else {
        (text(&handshake, "receiverAccountId"), "receiver")
    };
    if who != me {
        return Err(ApiError::AccessDenied(format!(
            "Only the handshake's {side} ({who}) can {} it",
            match answer {
                "ACCEPTED" => "accept",
                "REJECTED" => "reject",
                _ => "cancel",
            }
        )));
    }
    if text(&handshake, "status") != "PENDING" {
        return Err(ApiError::business(
            format!(
                "Handshake {id} is {} and can no longer be answered",
                text(&handshake, "status")
            ),
            vec![problem(
                "identifier",
                ProblemCode::InvalidResourceState,
                "the handshake is not pending",
            )],
        ));
    }
    let record = state
        .catalog(catalog)
        .handshakes
        .get_mut(&id)
        .expect("found above");
    record["status"] = json!(answer);
    record["updatedAt"] = json!(format_millis(now));
    if answer == "ACCEPTED" {
        take_effect(state, catalog, &handshake, now);
    }
    Ok(json!({"channelHandshakeDetail": {"id": id, "arn": handshake["arn"], "status": answer}}))
}

/// What an accepted handshake does to the resource it names.
fn take_effect(state: &mut State, catalog: &str, handshake: &Value, now: Millis) {
    let resource = text(handshake, "associatedResourceId").to_string();
    let cat = state.catalog(catalog);
    match text(handshake, "handshakeType") {
        "PROGRAM_MANAGEMENT_ACCOUNT" => {
            if let Some(account) = cat.program_accounts.get_mut(&resource) {
                account["status"] = json!("ACTIVE");
                account["startDate"] = json!(format_millis(now));
                bump(account, now);
            }
        }
        "START_SERVICE_PERIOD" => {
            if let Some(relationship) = cat.relationships.get_mut(&resource) {
                relationship["startDate"] = json!(format_millis(now));
                bump(relationship, now);
            }
        }
        _ => {
            // A revoked service period ends the relationship.
            cat.relationships.remove(&resource);
        }
    }
}

fn list_handshakes(state: &State, catalog: &str, input: &Value) -> ApiResult {
    let kind = text(input, "handshakeType");
    let me = state.me();
    let side = if text(input, "participantType") == "SENDER" {
        "senderAccountId"
    } else {
        "receiverAccountId"
    };
    let statuses = strings(&input["statuses"]);
    let resources: Vec<String> = strings(&input["associatedResourceIdentifiers"])
        .iter()
        .map(|r| id_of(r).to_string())
        .collect();
    let filters = &input["handshakeTypeFilters"];
    let period_types: Vec<String> =
        strings(&filters["startServicePeriodTypeFilters"]["servicePeriodTypes"])
            .into_iter()
            .chain(strings(
                &filters["revokeServicePeriodTypeFilters"]["servicePeriodTypes"],
            ))
            .collect();
    let programs = strings(&filters["programManagementAccountTypeFilters"]["programs"]);
    let items = state.catalogs[catalog]
        .handshakes
        .values()
        .filter(|h| text(h, "handshakeType") == kind && text(h, side) == me)
        .filter(|h| statuses.is_empty() || statuses.iter().any(|s| s == text(h, "status")))
        .filter(|h| {
            resources.is_empty()
                || resources
                    .iter()
                    .any(|r| r == text(h, "associatedResourceId"))
        })
        .filter(|h| {
            let detail = h["detail"]
                .as_object()
                .and_then(|d| d.values().next())
                .cloned()
                .unwrap_or(Value::Null);
            (period_types.is_empty()
                || period_types
                    .iter()
                    .any(|p| p == text(&detail, "servicePeriodType")))
                && (programs.is_empty() || programs.iter().any(|p| p == text(&detail, "program")))
        })
        .map(|h| {
            (
                Key::Text(text(h, "updatedAt").to_string()),
                Key::Text(text(h, "id").to_string()),
                h.clone(),
            )
        })
        .collect();
    page("ListChannelHandshakes", input, items)
}

fn taggable(state: &State, resource: &str) -> Result<(), ApiError> {
    let known = state.catalogs.values().any(|c| {
        c.program_accounts
            .values()
            .any(|a| text(a, "arn") == resource)
            || c.relationships.values().any(|r| text(r, "arn") == resource)
            || c.handshakes.values().any(|h| text(h, "arn") == resource)
    });
    if known {
        Ok(())
    } else {
        Err(ApiError::not_found(format!(
            "No channel resource has the ARN {resource}"
        )))
    }
}

/// The channel API's tags are `{key, value}`; the sandbox keeps every service's tags alike.
fn add_tags(state: &mut State, arn: &str, tags: &[Value]) {
    let pairs: Vec<Value> = tags
        .iter()
        .map(|t| json!({"Key": t["key"], "Value": t["value"]}))
        .collect();
    state.add_tags(arn.to_string(), &pairs);
}

fn list_tags(state: &State, input: &Value) -> ApiResult {
    let resource = text(input, "resourceArn");
    taggable(state, resource)?;
    let tags: Vec<Value> = state
        .tags
        .get(resource)
        .map(|t| {
            t.iter()
                .map(|(k, v)| json!({"key": k, "value": v}))
                .collect()
        })
        .unwrap_or_default();
    Ok(json!({"tags": tags}))
}

fn tag_resource(state: &mut State, input: &Value) -> ApiResult {
    let resource = text(input, "resourceArn").to_string();
    taggable(state, &resource)?;
    add_tags(
        state,
        &resource,
        input["tags"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default(),
    );
    Ok(json!({}))
}

fn untag_resource(state: &mut State, input: &Value) -> ApiResult {
    let resource = text(input, "resourceArn").to_string();
    taggable(state, &resource)?;
    let keys = strings(&input["tagKeys"]);
    if let Some(tags) = state.tags.get_mut(&resource) {
        tags.retain(|k, _| !keys.contains(k));
    }
    Ok(json!({}))
}
