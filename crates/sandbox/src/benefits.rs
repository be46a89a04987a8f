//! PartnerCentralBenefitsService: the catalogue of benefits (funding, credits, access) and the
//! partner's applications for them. An application is written while PENDING_SUBMISSION (or
//! ACTION_REQUIRED), every write guarded by its Revision; submitted, it is IN_REVIEW until AWS's
//! review (simulated after `--task-delay-ms`) approves it, which produces an allocation, or asks
//! for more (ACTION_REQUIRED). Recall takes it back out of review; cancel ends it.

use serde_json::{Map, Value, json};

use super::clock::{DAY, Millis, format_millis};
use super::error::{ApiError, ApiResult};
use super::model::{FieldProblem, ProblemCode};
use super::state::{State, strip_nulls};
use super::store::{Key, LOWER_ALNUM, PageRequest, page_small};

const DEFAULT_LIMIT: u64 = 20;

pub fn handle(state: &mut State, op: &str, input: &Value, now: Millis) -> ApiResult {
    let catalog = input["Catalog"].as_str().unwrap_or("AWS").to_string();
    match op {
        "ListBenefits" => list_benefits(state, &catalog, input),
        "GetBenefit" => get_benefit(state, &catalog, input),
        "CreateBenefitApplication" => create_application(state, &catalog, input, now),
        "GetBenefitApplication" => get_application(state, &catalog, input),
        "ListBenefitApplications" => list_applications(state, &catalog, input),
        "UpdateBenefitApplication" => update_application(state, &catalog, input, now),
        "SubmitBenefitApplication" => submit_application(state, &catalog, input, now),
        "AmendBenefitApplication" => amend_application(state, &catalog, input, now),
        "RecallBenefitApplication" => recall_application(state, &catalog, input, now),
        "CancelBenefitApplication" => cancel_application(state, &catalog, input, now),
        "AssociateBenefitApplicationResource" => {
            associate_resource(state, &catalog, input, now, true)
        }
        "DisassociateBenefitApplicationResource" => {
            associate_resource(state, &catalog, input, now, false)
        }
        "ListBenefitAllocations" => list_allocations(state, &catalog, input),
        "GetBenefitAllocation" => get_allocation(state, &catalog, input),
        "ListTagsForResource" => list_tags(state, input),
        "TagResource" => tag_resource(state, input),
        "UntagResource" => untag_resource(state, input),
        other => Err(ApiError::UnknownOperation(format!(
            "PartnerCentralBenefitsService.{other}"
        ))),
    }
}

fn arn(state: &State, catalog: &str, kind: &str, id: &str) -> String {
    format!(
        "arn:aws:partnercentral:{}:{}:catalog/{catalog}/{kind}/{id}",
        state.region, state.account_id
    )
}

/// An id from an id or an ARN.
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

fn any_in(wanted: &[String], have: &Value) -> bool {
    wanted.is_empty() || strings(have).iter().any(|h| wanted.contains(h))
}

fn page(
    operation: &str,
    input: &Value,
    items: Vec<(Key, Key, &Value)>,
    list_member: &str,
    summary: impl Fn(&Value) -> Value,
) -> ApiResult {
    let request = PageRequest::from_input(operation, input, DEFAULT_LIMIT)?;
    let (rows, next) = page_small(items, true, request.after.as_ref(), request.limit);
    let mut out = json!({ list_member: rows.iter().map(|v| summary(v)).collect::<Vec<_>>() });
    if let Some(token) = request.next_token(next) {
        out["NextToken"] = json!(token);
    }
    Ok(out)
}

fn business(message: String, field: &str, code: ProblemCode) -> ApiError {
    ApiError::business(
        message.clone(),
        vec![FieldProblem {
            field: field.into(),
            code,
            message,
        }],
    )
}

fn list_benefits(state: &State, catalog: &str, input: &Value) -> ApiResult {
    let programs = strings(&input["Programs"]);
    let types = strings(&input["FulfillmentTypes"]);
    let statuses = strings(&input["Status"]);
    let items = state.catalogs[catalog]
        .benefits
        .iter()
        .filter(|b| {
            any_in(&programs, &b["Programs"])
                && any_in(&types, &b["FulfillmentTypes"])
                && (statuses.is_empty() || statuses.iter().any(|s| b["Status"].as_str() == Some(s)))
        })
        .map(|b| {
            (
                Key::Text(b["Name"].as_str().unwrap_or("").to_string()),
                Key::Text(b["Id"].as_str().unwrap_or("").to_string()),
                b,
            )
        })
        .collect();
    page("ListBenefits", input, items, "BenefitSummaries", |b| {
        let mut s = json!({"Id": b["Id"], "Catalog": b["Catalog"], "Arn": b["Arn"], "Name": b["Name"],
                           "Description": b["Description"], "Programs": b["Programs"],
                           "FulfillmentTypes": b["FulfillmentTypes"], "Status": b["Status"]});
        strip_nulls(&mut s);
        s
    })
}

fn find_benefit<'a>(
    state: &'a State,
    catalog: &str,
    identifier: &str,
) -> Result<&'a Value, ApiError> {
    let id = id_of(identifier);
    state.catalogs[catalog]
        .benefits
        .iter()
        .find(|b| b["Id"].as_str() == Some(id))
        .ok_or_else(|| {
            ApiError::not_found(format!(
                "Benefit {identifier} was not found in the {catalog} catalog"
            ))
        })
}

fn get_benefit(state: &State, catalog: &str, input: &Value) -> ApiResult {
    find_benefit(state, catalog, input["Identifier"].as_str().unwrap_or("")).cloned()
}

fn application_id(state: &State, catalog: &str, identifier: &str) -> Result<String, ApiError> {
    let id = id_of(identifier);
    if state.catalogs[catalog]
        .benefit_applications
        .contains_key(id)
    {
        Ok(id.to_string())
    } else {
        Err(ApiError::not_found(format!(
            "Benefit application {identifier} was not found in the {catalog} catalog"
        )))
    }
}

fn status_of(application: &Value) -> &str {
    application["Status"].as_str().unwrap_or("")
}

/// The application's Revision must be the one the caller read; a stale one is a conflict.
fn require_revision(application: &Value, input: &Value) -> Result<(), ApiError> {
    let current = application["Revision"].as_str().unwrap_or("");
    match input["Revision"].as_str() {
        Some(r) if r != current => Err(ApiError::conflict(format!(
            "Benefit application {} is at revision {current}, not {r}: read it again and apply the change to that revision",
            application["Id"].as_str().unwrap_or("")
        ))),
        _ => Ok(()),
    }
}

fn require_status(application: &Value, allowed: &[&str], what: &str) -> Result<(), ApiError> {
    let status = status_of(application);
    if allowed.contains(&status) {
        return Ok(());
    }
    Err(ApiError::conflict(format!(
        "Benefit application {} is {status}; it can be {what} only when {}",
        application["Id"].as_str().unwrap_or(""),
        allowed.join(" or ")
    )))
}

/// Applies a change to an application: a new Revision and UpdatedAt.
fn change(
    state: &mut State,
    catalog: &str,
    id: &str,
    now: Millis,
    edit: impl FnOnce(&mut Map<String, Value>),
) -> Value {
    let application = state
        .catalog(catalog)
        .benefit_applications
        .get_mut(id)
        .expect("looked up before");
    if let Value::Object(map) = application {
        edit(map);
        let next = map
            .get("Revision")
            .and_then(Value::as_str)
            .and_then(|r| r.parse::<u64>().ok())
            .unwrap_or(0)
            + 1;
        map.insert("Revision".into(), json!(next.to_string()));
        map.insert("UpdatedAt".into(), json!(format_millis(now)));
    }
    application.clone()
}

fn written(application: &Value) -> Value {
    json!({"Id": application["Id"], "Arn": application["Arn"], "Revision": application["Revision"]})
}

fn create_application(state: &mut State, catalog: &str, input: &Value, now: Millis) -> ApiResult {
    let benefit = find_benefit(
        state,
        catalog,
        input["BenefitIdentifier"].as_str().unwrap_or(""),
    )?
    .clone();
    if benefit["Status"].as_str() != Some("ACTIVE") {
        return Err(business(
            format!(
                "Benefit {} is not active and takes no applications",
                benefit["Id"].as_str().unwrap_or("")
            ),
            "BenefitIdentifier",
            ProblemCode::InvalidResourceState,
        ));
    }
    let offered = strings(&benefit["FulfillmentTypes"]);
    let asked = strings(&input["FulfillmentTypes"]);
    if let Some(other) = asked.iter().find(|t| !offered.contains(t)) {
        return Err(business(
            format!(
                "Benefit {} is not fulfilled as {other}; it offers {}",
                benefit["Id"].as_str().unwrap_or(""),
                offered.join(", ")
            ),
            "FulfillmentTypes",
            ProblemCode::InvalidValue,
        ));
    }
    let id = state.new_id("benappl-", LOWER_ALNUM, 14);
    let application_arn = arn(state, catalog, "benefit-application", &id);
    let mut doc = json!({
        "Id": id,
        "Arn": application_arn,
        "Catalog": catalog,
        "BenefitId": benefit["Id"],
        "Name": input["Name"],
        "Description": input["Description"],
        "FulfillmentTypes": if asked.is_empty() { benefit["FulfillmentTypes"].clone() } else { json!(asked) },
        "BenefitApplicationDetails": input.get("BenefitApplicationDetails").cloned().unwrap_or(json!({})),
        "Programs": benefit["Programs"],
        "Status": "PENDING_SUBMISSION",
        "Stage": "Draft",
        "CreatedAt": format_millis(now),
        "UpdatedAt": format_millis(now),
        "Revision": "1",
        "AssociatedResources": input.get("AssociatedResources").cloned().unwrap_or(json!([])),
        "PartnerContacts": input["PartnerContacts"],
        "FileDetails": input["FileDetails"],
    });
    strip_nulls(&mut doc);
    if let Some(tags) = input["Tags"].as_array() {
        state.add_tags(application_arn, tags);
    }
    let out = written(&doc);
    state.catalog(catalog).benefit_applications.insert(id, doc);
    Ok(out)
}

fn get_application(state: &State, catalog: &str, input: &Value) -> ApiResult {
    let id = application_id(state, catalog, input["Identifier"].as_str().unwrap_or(""))?;
    Ok(state.catalogs[catalog].benefit_applications[&id].clone())
}

/// ListBenefitApplications' summary: the details as a map of strings (the model's Attributes).
fn application_summary(a: &Value) -> Value {
    let details: Map<String, Value> = a["BenefitApplicationDetails"]
        .as_object()
        .map(|d| {
            d.iter()
                .map(|(k, v)| {
                    let text = v
                        .as_str()
                        .map(String::from)
                        .unwrap_or_else(|| v.to_string());
                    (k.clone(), json!(text))
                })
                .collect()
        })
        .unwrap_or_default();
    let mut s = json!({"Catalog": a["Catalog"], "Name": a["Name"], "Id": a["Id"], "Arn": a["Arn"],
                       "BenefitId": a["BenefitId"], "Programs": a["Programs"],
                       "FulfillmentTypes": a["FulfillmentTypes"], "Status": a["Status"], "Stage": a["Stage"],
                       "CreatedAt": a["CreatedAt"], "UpdatedAt": a["UpdatedAt"],
                       "BenefitApplicationDetails": details, "AssociatedResources": a["AssociatedResources"]});
    strip_nulls(&mut s);
    s
}

fn list_applications(state: &State, catalog: &str, input: &Value) -> ApiResult {
    let programs = strings(&input["Programs"]);
    let types = strings(&input["FulfillmentTypes"]);
    let benefits: Vec<String> = strings(&input["BenefitIdentifiers"])
        .iter()
        .map(|b| id_of(b).to_string())
        .collect();
    let statuses = strings(&input["Status"]);
    let stages = strings(&input["Stages"]);
    let mut resources = strings(&input["AssociatedResourceArns"]);
    for r in input["AssociatedResources"]
        .as_array()
        .into_iter()
        .flatten()
    {
        if let Some(a) = r["ResourceArn"].as_str() {
            resources.push(a.to_string());
        }
        if let Some(id) = r["ResourceIdentifier"].as_str() {
            resources.push(format!("/{id}"));
        }
    }
    let holds = |a: &Value| {
        resources.is_empty()
            || strings(&a["AssociatedResources"]).iter().any(|r| {
                resources
                    .iter()
                    .any(|w| r == w || (w.starts_with('/') && r.ends_with(w.as_str())))
            })
    };
    let items = state.catalogs[catalog]
        .benefit_applications
        .values()
        .filter(|a| {
            any_in(&programs, &a["Programs"])
                && any_in(&types, &a["FulfillmentTypes"])
                && (benefits.is_empty()
                    || benefits.iter().any(|b| a["BenefitId"].as_str() == Some(b)))
                && (statuses.is_empty() || statuses.iter().any(|s| a["Status"].as_str() == Some(s)))
                && (stages.is_empty() || stages.iter().any(|s| a["Stage"].as_str() == Some(s)))
                && holds(a)
        })
        .map(|a| {
            (
                Key::Text(a["UpdatedAt"].as_str().unwrap_or("").to_string()),
                Key::Text(a["Id"].as_str().unwrap_or("").to_string()),
                a,
            )
        })
        .collect();
    page(
        "ListBenefitApplications",
        input,
        items,
        "BenefitApplicationSummaries",
        application_summary,
    )
}

fn update_application(state: &mut State, catalog: &str, input: &Value, now: Millis) -> ApiResult {
    let id = application_id(state, catalog, input["Identifier"].as_str().unwrap_or(""))?;
    let current = &state.catalogs[catalog].benefit_applications[&id];
    require_revision(current, input)?;
    require_status(
        current,
        &["PENDING_SUBMISSION", "ACTION_REQUIRED"],
        "updated",
    )?;
    let updated = change(state, catalog, &id, now, |a| {
        for member in [
            "Name",
            "Description",
            "BenefitApplicationDetails",
            "PartnerContacts",
            "FileDetails",
        ] {
            if let Some(v) = input.get(member).filter(|v| !v.is_null()) {
                a.insert(member.into(), v.clone());
            }
        }
    });
    Ok(written(&updated))
}

fn submit_application(state: &mut State, catalog: &str, input: &Value, now: Millis) -> ApiResult {
    let id = application_id(state, catalog, input["Identifier"].as_str().unwrap_or(""))?;
    let current = &state.catalogs[catalog].benefit_applications[&id];
    require_status(
        current,
        &["PENDING_SUBMISSION", "ACTION_REQUIRED"],
        "submitted",
    )?;
    let due = now + state.task_delay_ms;
    change(state, catalog, &id, now, |a| {
        a.insert("Status".into(), json!("IN_REVIEW"));
        a.insert("Stage".into(), json!("Review"));
        a.remove("StatusReason");
        a.remove("StatusReasonCode");
        a.remove("StatusReasonCodes");
    });
    state.catalog(catalog).benefit_reviews.push((due, id));
    Ok(json!({}))
}

fn amend_application(state: &mut State, catalog: &str, input: &Value, now: Millis) -> ApiResult {
    let id = application_id(state, catalog, input["Identifier"].as_str().unwrap_or(""))?;
    let current = &state.catalogs[catalog].benefit_applications[&id];
    require_revision(current, input)?;
    require_status(
        current,
        &["IN_REVIEW", "ACTION_REQUIRED", "APPROVED"],
        "amended",
    )?;
    change(state, catalog, &id, now, |a| {
        let details = a
            .entry("BenefitApplicationDetails")
            .or_insert_with(|| json!({}));
        for amendment in input["Amendments"].as_array().into_iter().flatten() {
            let path = amendment["FieldPath"].as_str().unwrap_or("");
            let key = path
                .strip_prefix("BenefitApplicationDetails.")
                .unwrap_or(path);
            if !key.is_empty() {
                details[key] = amendment["NewValue"].clone();
            }
        }
        a.insert(
            "StatusReason".into(),
            json!(format!(
                "Amended: {}",
                input["AmendmentReason"].as_str().unwrap_or("")
            )),
        );
    });
    Ok(json!({}))
}

fn recall_application(state: &mut State, catalog: &str, input: &Value, now: Millis) -> ApiResult {
    let id = application_id(state, catalog, input["Identifier"].as_str().unwrap_or(""))?;
    require_status(
        &state.catalogs[catalog].benefit_applications[&id],
        &["IN_REVIEW"],
        "recalled",
    )?;
    state
        .catalog(catalog)
        .benefit_reviews
        .retain(|(_, r)| *r != id);
    change(state, catalog, &id, now, |a| {
        a.insert("Status".into(), json!("PENDING_SUBMISSION"));
        a.insert("Stage".into(), json!("Draft"));
        a.insert(
            "StatusReason".into(),
            json!(format!(
                "Recalled: {}",
                input["Reason"].as_str().unwrap_or("")
            )),
        );
    });
    Ok(json!({}))
}

fn cancel_application(state: &mut State, catalog: &str, input: &Value, now: Millis) -> ApiResult {
    let id = application_id(state, catalog, input["Identifier"].as_str().unwrap_or(""))?;
    require_status(
        &state.catalogs[catalog].benefit_applications[&id],
        &["PENDING_SUBMISSION", "IN_REVIEW", "ACTION_REQUIRED"],
        "canceled",
    )?;
    state
        .catalog(catalog)
        .benefit_reviews
        .retain(|(_, r)| *r != id);
    change(state, catalog, &id, now, |a| {
        a.insert("Status".into(), json!("CANCELED"));
        a.insert("Stage".into(), json!("Canceled"));
        if let Some(reason) = input["Reason"].as_str() {
            a.insert("StatusReason".into(), json!(reason));
        }
    });
    Ok(json!({}))
}

fn associate_resource(
    state: &mut State,
    catalog: &str,
    input: &Value,
    now: Millis,
    associate: bool,
) -> ApiResult {
    let id = application_id(
        state,
        catalog,
        input["BenefitApplicationIdentifier"].as_str().unwrap_or(""),
    )?;
    let resource = input["ResourceArn"].as_str().unwrap_or("").to_string();
    let current = &state.catalogs[catalog].benefit_applications[&id];
    let held = strings(&current["AssociatedResources"]);
    if associate && held.contains(&resource) {
        return Err(ApiError::conflict(format!(
            "{resource} is already associated with {id}"
        )));
    }
    if !associate && !held.contains(&resource) {
        return Err(ApiError::not_found(format!(
            "{resource} is not associated with {id}"
        )));
    }
    if associate && held.len() >= 10 {
        return Err(business(
            format!("{id} already has 10 associated resources, the most it takes"),
            "ResourceArn",
            ProblemCode::TooManyValues,
        ));
    }
    let updated = change(state, catalog, &id, now, |a| {
        let mut list = held.clone();
        if associate {
            list.push(resource.clone());
        } else {
            list.retain(|r| *r != resource);
        }
        a.insert("AssociatedResources".into(), json!(list));
    });
    Ok(written(&updated))
}

/// AWS's review of the applications due by `now`: one with an associated opportunity is
/// approved and gets its allocation; one without is sent back asking for it.
pub fn advance(state: &mut State, now: Millis) {
    let catalogs: Vec<String> = state.catalogs.keys().cloned().collect();
    for catalog in catalogs {
        let due: Vec<String> = {
            let reviews = &mut state.catalog(&catalog).benefit_reviews;
            let (due, later): (Vec<_>, Vec<_>) = reviews.drain(..).partition(|(at, _)| *at <= now);
            *reviews = later;
            due.into_iter().map(|(_, id)| id).collect()
        };
        for id in due {
            let Some(application) = state.catalogs[&catalog]
                .benefit_applications
                .get(&id)
                .cloned()
            else {
                continue;
            };
            if status_of(&application) != "IN_REVIEW" {
                continue;
            }
            if strings(&application["AssociatedResources"]).is_empty() {
                change(state, &catalog, &id, now, |a| {
                    a.insert("Status".into(), json!("ACTION_REQUIRED"));
                    a.insert("Stage".into(), json!("Action required"));
                    a.insert("StatusReason".into(), json!("Associate the opportunity this benefit is for (AssociateBenefitApplicationResource), then submit again"));
                    a.insert("StatusReasonCode".into(), json!("MISSING_OPPORTUNITY"));
                    a.insert("StatusReasonCodes".into(), json!(["MISSING_OPPORTUNITY"]));
                });
                continue;
            }
            change(state, &catalog, &id, now, |a| {
                a.insert("Status".into(), json!("APPROVED"));
                a.insert("Stage".into(), json!("Approved"));
            });
            allocate(state, &catalog, &application, now);
        }
    }
}

/// The allocation an approval produces: the amount asked for (BenefitApplicationDetails'
/// RequestedAmount, in USD) or the benefit's usual one, fulfilled as the application asked.
pub fn allocate(state: &mut State, catalog: &str, application: &Value, now: Millis) {
    let id = state.new_id("benalloc-", LOWER_ALNUM, 14);
    let amount = application["BenefitApplicationDetails"]["RequestedAmount"]
        .as_str()
        .map(String::from)
        .or_else(|| {
            application["BenefitApplicationDetails"]["RequestedAmount"]
                .as_f64()
                .map(|a| a.to_string())
        })
        .unwrap_or_else(|| "5000".into());
    let money = json!({"Amount": amount, "CurrencyCode": "USD"});
    let kind = strings(&application["FulfillmentTypes"])
        .first()
        .cloned()
        .unwrap_or_else(|| "CREDITS".into());
    let expires = now + 365 * DAY;
    let detail = match kind.as_str() {
        "CASH" => json!({"DisbursementDetails": {"DisbursedAmount": money,
            "IssuanceDetails": {"IssuanceId": format!("iss-{}", state.new_id("", LOWER_ALNUM, 10)), "IssuanceAmount": money, "IssuedAt": format_millis(now)}}}),
        "ACCESS" => {
            json!({"AccessDetails": {"Description": "Access granted for the program's term"}})
        }
        _ => json!({"CreditDetails": {"AllocatedAmount": money, "IssuedAmount": money, "Codes": [{
            "AwsAccountId": state.account_id, "Value": money,
            "AwsCreditCode": format!("PC{}", state.new_id("", LOWER_ALNUM, 10).to_uppercase()),
            "Status": "ACTIVE", "IssuedAt": format_millis(now), "ExpiresAt": format_millis(expires)}]}}),
    };
    let allocation_arn = arn(state, catalog, "benefit-allocation", &id);
    let mut doc = json!({
        "Id": id,
        "Catalog": catalog,
        "Arn": allocation_arn,
        "Name": application["Name"],
        "Description": application["Description"],
        "Status": "ACTIVE",
        "BenefitApplicationId": application["Id"],
        "BenefitId": application["BenefitId"],
        "FulfillmentType": kind,
        "ApplicableBenefitIds": [application["BenefitId"]],
        "FulfillmentDetail": detail,
        "CreatedAt": format_millis(now),
        "UpdatedAt": format_millis(now),
        "StartsAt": format_millis(now),
        "ExpiresAt": format_millis(expires),
    });
    strip_nulls(&mut doc);
    state.catalog(catalog).benefit_allocations.insert(id, doc);
}

fn list_allocations(state: &State, catalog: &str, input: &Value) -> ApiResult {
    let types = strings(&input["FulfillmentTypes"]);
    let benefits: Vec<String> = strings(&input["BenefitIdentifiers"])
        .iter()
        .map(|b| id_of(b).to_string())
        .collect();
    let applications: Vec<String> = strings(&input["BenefitApplicationIdentifiers"])
        .iter()
        .map(|a| id_of(a).to_string())
        .collect();
    let statuses = strings(&input["Status"]);
    let items = state.catalogs[catalog]
        .benefit_allocations
        .values()
        .filter(|a| {
            (types.is_empty()
                || types
                    .iter()
                    .any(|t| a["FulfillmentType"].as_str() == Some(t)))
                && (benefits.is_empty()
                    || benefits.iter().any(|b| a["BenefitId"].as_str() == Some(b)))
                && (applications.is_empty()
                    || applications
                        .iter()
                        .any(|x| a["BenefitApplicationId"].as_str() == Some(x)))
                && (statuses.is_empty() || statuses.iter().any(|s| a["Status"].as_str() == Some(s)))
        })
        .map(|a| {
            (
                Key::Text(a["CreatedAt"].as_str().unwrap_or("").to_string()),
                Key::Text(a["Id"].as_str().unwrap_or("").to_string()),
                a,
            )
        })
        .collect();
    page(
        "ListBenefitAllocations",
        input,
        items,
        "BenefitAllocationSummaries",
        |a| {
            let mut s = json!({"Id": a["Id"], "Catalog": a["Catalog"], "Arn": a["Arn"], "Status": a["Status"],
                           "StatusReason": a["StatusReason"], "Name": a["Name"], "BenefitId": a["BenefitId"],
                           "BenefitApplicationId": a["BenefitApplicationId"],
                           "FulfillmentTypes": [a["FulfillmentType"]], "CreatedAt": a["CreatedAt"],
                           "ExpiresAt": a["ExpiresAt"], "ApplicableBenefitIds": a["ApplicableBenefitIds"]});
            strip_nulls(&mut s);
            s
        },
    )
}

fn get_allocation(state: &State, catalog: &str, input: &Value) -> ApiResult {
    let identifier = input["Identifier"].as_str().unwrap_or("");
    state.catalogs[catalog]
        .benefit_allocations
        .get(id_of(identifier))
        .cloned()
        .ok_or_else(|| {
            ApiError::not_found(format!(
                "Benefit allocation {identifier} was not found in the {catalog} catalog"
            ))
        })
}

/// The benefits API's tag trio names its members in camelCase (`resourceArn`, `tags`).
fn taggable(state: &State, resource: &str) -> Result<(), ApiError> {
    let known = state.catalogs.values().any(|c| {
        c.benefit_applications
            .values()
            .any(|a| a["Arn"].as_str() == Some(resource))
            || c.benefit_allocations
                .values()
                .any(|a| a["Arn"].as_str() == Some(resource))
    });
    if known {
        Ok(())
    } else {
        Err(ApiError::not_found(format!(
            "No benefit application or allocation has the ARN {resource}"
        )))
    }
}

fn list_tags(state: &State, input: &Value) -> ApiResult {
    let resource = input["resourceArn"].as_str().unwrap_or("");
    taggable(state, resource)?;
    let tags: Vec<Value> = state
        .tags
        .get(resource)
        .map(|t| {
            t.iter()
                .map(|(k, v)| json!({"Key": k, "Value": v}))
                .collect()
        })
        .unwrap_or_default();
    Ok(json!({"tags": tags}))
}

fn tag_resource(state: &mut State, input: &Value) -> ApiResult {
    let resource = input["resourceArn"].as_str().unwrap_or("").to_string();
    taggable(state, &resource)?;
    state.add_tags(
        resource,
        input["tags"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default(),
    );
    Ok(json!({}))
}

fn untag_resource(state: &mut State, input: &Value) -> ApiResult {
    let resource = input["resourceArn"].as_str().unwrap_or("").to_string();
    taggable(state, &resource)?;
    let keys = strings(&input["tagKeys"]);
    if let Some(tags) = state.tags.get_mut(&resource) {
        tags.retain(|k, _| !keys.contains(k));
    }
    Ok(json!({}))
}
