//! PartnerCentralAccount operations: the partner profile, the alliance lead, connections and
//! connection invitations.

use serde_json::{Value, json};

use super::clock::{DAY, Millis, format_millis};
use super::error::{ApiError, ApiResult};
use super::state::State;
use super::store::{Key, MIXED_ALNUM, PageRequest, page_small};

pub fn handle(state: &mut State, op: &str, input: &Value, now: Millis) -> ApiResult {
    let catalog = input["Catalog"].as_str().unwrap_or("").to_string();
    match op {
        "GetPartner" => get_partner(state, &catalog, input),
        "ListPartners" => list_partners(state, &catalog),
        "GetAllianceLeadContact" => alliance_lead(state, &catalog, input),
        "ListConnections" => list_connections(state, &catalog, input),
        "GetConnection" => get_connection(state, &catalog, input),
        "CancelConnection" => cancel_connection(state, &catalog, input, now),
        "ListConnectionInvitations" => list_invitations(state, &catalog, input),
        "GetConnectionInvitation" => get_invitation(state, &catalog, input),
        "CreateConnectionInvitation" => create_invitation(state, &catalog, input, now),
        "AcceptConnectionInvitation" => accept_invitation(state, &catalog, input, now),
        "RejectConnectionInvitation" => {
            close_invitation(state, &catalog, input, now, "RECEIVER", "REJECTED")
        }
        "CancelConnectionInvitation" => {
            close_invitation(state, &catalog, input, now, "SENDER", "CANCELED")
        }
        other => Err(ApiError::UnknownOperation(format!(
            "PartnerCentralAccount.{other}"
        ))),
    }
}

fn not_found(message: String, reason: &'static str) -> ApiError {
    ApiError::NotFound { message, reason }
}

fn conflict(message: String, reason: &'static str) -> ApiError {
    ApiError::Conflict { message, reason }
}

fn with_catalog(doc: &Value, catalog: &str) -> Value {
    let mut out = doc.clone();
    out["Catalog"] = json!(catalog);
    out
}

fn partner_matches(partner: &Value, identifier: &str) -> bool {
    partner["Id"] == identifier || partner["Arn"] == identifier
}

fn get_partner(state: &State, catalog: &str, input: &Value) -> ApiResult {
    let identifier = input["Identifier"].as_str().unwrap_or("");
    let partner = &state.catalogs[catalog].partner;
    if !partner_matches(partner, identifier) {
        return Err(not_found(
            format!(
                "Partner {identifier} was not found in the {catalog} catalog. ListPartners shows the partner this account belongs to."
            ),
            "PARTNER_NOT_FOUND",
        ));
    }
    Ok(with_catalog(partner, catalog))
}

fn list_partners(state: &State, catalog: &str) -> ApiResult {
    let partner = &state.catalogs[catalog].partner;
    let summaries: Vec<Value> = if partner.is_object() {
        vec![json!({
            "Catalog": catalog,
            "Arn": partner["Arn"],
            "Id": partner["Id"],
            "LegalName": partner["LegalName"],
            "CreatedAt": partner["CreatedAt"],
        })]
    } else {
        Vec::new()
    };
    Ok(json!({"PartnerSummaryList": summaries}))
}

fn alliance_lead(state: &State, catalog: &str, input: &Value) -> ApiResult {
    let identifier = input["Identifier"].as_str().unwrap_or("");
    let partner = &state.catalogs[catalog].partner;
    if !partner_matches(partner, identifier) {
        return Err(not_found(
            format!("Partner {identifier} was not found in the {catalog} catalog"),
            "PARTNER_NOT_FOUND",
        ));
    }
    Ok(json!({
        "Catalog": catalog,
        "Arn": partner["Arn"],
        "Id": partner["Id"],
        "AllianceLeadContact": state.catalogs[catalog].alliance_lead,
    }))
}

fn participant_ids(participant: &Value) -> Vec<String> {
    participant
        .as_object()
        .into_iter()
        .flat_map(|m| m.values())
        .filter_map(|v| v["Id"].as_str().map(str::to_string))
        .collect()
}

fn list_connections(state: &State, catalog: &str, input: &Value) -> ApiResult {
    let page_request = PageRequest::from_input("ListConnections", input, 20)?;
    let kind = input["ConnectionType"].as_str();
    let others: Vec<&str> = input["OtherParticipantIdentifiers"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let items: Vec<(Key, Key, Value)> = state.catalogs[catalog]
        .connections
        .values()
        .filter(|c| kind.is_none_or(|k| c["ConnectionTypes"].get(k).is_some()))
        .filter(|c| {
            others.is_empty()
                || others.iter().any(|o| {
                    c["OtherParticipantAccountId"] == *o
                        || c["ConnectionTypes"].as_object().is_some_and(|types| {
                            types.values().any(|t| {
                                participant_ids(&t["OtherParticipant"])
                                    .iter()
                                    .any(|i| i == o)
                            })
                        })
                })
        })
        .map(|c| {
            let types: serde_json::Map<String, Value> = c["ConnectionTypes"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(k, t)| {
                    (
                        k.clone(),
                        json!({"Status": t["Status"], "OtherParticipant": t["OtherParticipant"]}),
                    )
                })
                .collect();
            let summary = json!({
                "Catalog": catalog,
                "Id": c["Id"],
                "Arn": c["Arn"],
                "OtherParticipantAccountId": c["OtherParticipantAccountId"],
                "UpdatedAt": c["UpdatedAt"],
                "ConnectionTypes": types,
            });
            (
                Key::Text(c["Id"].as_str().unwrap_or("").into()),
                Key::Num(0),
                summary,
            )
        })
        .collect();
    let (page, next) = page_small(
        items,
        false,
        page_request.after.as_ref(),
        page_request.limit,
    );
    let mut out = json!({"ConnectionSummaries": page});
    if let Some(token) = page_request.next_token(next) {
        out["NextToken"] = json!(token);
    }
    Ok(out)
}

fn find_connection<'a>(
    state: &'a State,
    catalog: &str,
    input: &Value,
) -> Result<&'a Value, ApiError> {
    let identifier = input["Identifier"].as_str().unwrap_or("");
    let id = identifier.rsplit('/').next().unwrap_or(identifier);
    state.catalogs[catalog].connections.get(id).ok_or_else(|| {
        not_found(
            format!("Connection {identifier} was not found in the {catalog} catalog"),
            "CONNECTION_NOT_FOUND",
        )
    })
}

fn get_connection(state: &State, catalog: &str, input: &Value) -> ApiResult {
    Ok(with_catalog(
        find_connection(state, catalog, input)?,
        catalog,
    ))
}

fn cancel_connection(state: &mut State, catalog: &str, input: &Value, now: Millis) -> ApiResult {
    let connection = find_connection(state, catalog, input)?;
    let id = connection["Id"].as_str().unwrap_or("").to_string();
    let kind = input["ConnectionType"].as_str().unwrap_or("");
    match connection["ConnectionTypes"][kind]["Status"].as_str() {
        Some("ACTIVE") => {}
        Some(status) => {
            return Err(conflict(
                format!("The {kind} connection {id} is already {status}"),
                "INCOMPATIBLE_CONNECTION_STATE",
            ));
        }
        None => {
            return Err(conflict(
                format!("Connection {id} has no {kind} connection type to cancel"),
                "INCOMPATIBLE_CONNECTION_STATE",
            ));
        }
    }
    let account_id = state.account_id.clone();
    let connection = state
        .catalog(catalog)
        .connections
        .get_mut(&id)
        .expect("found above");
    let stamp = format_millis(now);
    let detail = &mut connection["ConnectionTypes"][kind];
    detail["Status"] = json!("CANCELED");
    detail["CanceledAt"] = json!(stamp);
    detail["CanceledBy"] = json!(account_id);
    connection["UpdatedAt"] = json!(stamp);
    Ok(with_catalog(connection, catalog))
}

fn invitation_summary(doc: &Value, catalog: &str) -> Value {
    let mut out = json!({"Catalog": catalog});
    for member in [
        "Id",
        "Arn",
        "ConnectionId",
        "ConnectionType",
        "CreatedAt",
        "UpdatedAt",
        "ExpiresAt",
        "OtherParticipantIdentifier",
        "ParticipantType",
        "Status",
    ] {
        if let Some(v) = doc.get(member) {
            out[member] = v.clone();
        }
    }
    out
}

fn list_invitations(state: &State, catalog: &str, input: &Value) -> ApiResult {
    let page_request = PageRequest::from_input("ListConnectionInvitations", input, 20)?;
    let want = |member: &str, doc: &Value| match input[member].as_str() {
        Some(v) => doc[member] == v,
        None => true,
    };
    let others: Vec<&str> = input["OtherParticipantIdentifiers"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let items: Vec<(Key, Key, Value)> = state.catalogs[catalog]
        .connection_invitations
        .values()
        .filter(|d| want("ConnectionType", d) && want("ParticipantType", d) && want("Status", d))
        .filter(|d| {
            others.is_empty() || others.iter().any(|o| d["OtherParticipantIdentifier"] == *o)
        })
        .map(|d| {
            (
                Key::Text(d["CreatedAt"].as_str().unwrap_or("").into()),
                Key::Text(d["Id"].as_str().unwrap_or("").into()),
                invitation_summary(d, catalog),
            )
        })
        .collect();
    // Newest first, as a partner reads an inbox.
    let (page, next) = page_small(items, true, page_request.after.as_ref(), page_request.limit);
    let mut out = json!({"ConnectionInvitationSummaries": page});
    if let Some(token) = page_request.next_token(next) {
        out["NextToken"] = json!(token);
    }
    Ok(out)
}

fn find_invitation(state: &State, catalog: &str, input: &Value) -> Result<String, ApiError> {
    let identifier = input["Identifier"].as_str().unwrap_or("");
    let id = identifier.rsplit('/').next().unwrap_or(identifier);
    if state.catalogs[catalog]
        .connection_invitations
        .contains_key(id)
    {
        Ok(id.to_string())
    } else {
        Err(not_found(
            format!("Connection invitation {identifier} was not found in the {catalog} catalog"),
            "CONNECTION_INVITATION_NOT_FOUND",
        ))
    }
}

fn get_invitation(state: &State, catalog: &str, input: &Value) -> ApiResult {
    let id = find_invitation(state, catalog, input)?;
    Ok(with_catalog(
        &state.catalogs[catalog].connection_invitations[&id],
        catalog,
    ))
}

fn create_invitation(state: &mut State, catalog: &str, input: &Value, now: Millis) -> ApiResult {
    let receiver = input["ReceiverIdentifier"]
        .as_str()
        .unwrap_or("")
        .to_string();
    let kind = input["ConnectionType"].as_str().unwrap_or("").to_string();
    if receiver == state.account_id {
        return Err(ApiError::business(
            "A partner cannot invite itself",
            vec![super::model::FieldProblem {
                field: "ReceiverIdentifier".into(),
                code: super::model::ProblemCode::InvalidValue,
                message: "ReceiverIdentifier is this account".into(),
            }],
        ));
    }
    let cat = &state.catalogs[catalog];
    if cat.connection_invitations.values().any(|d| {
        d["OtherParticipantIdentifier"] == receiver.as_str()
            && d["ConnectionType"] == kind.as_str()
            && d["Status"] == "PENDING"
    }) {
        return Err(conflict(
            format!("A pending {kind} invitation to {receiver} already exists"),
            "DUPLICATE_CONNECTION_INVITATION",
        ));
    }
    if cat.connections.values().any(|c| {
        c["OtherParticipantAccountId"] == receiver.as_str()
            && c["ConnectionTypes"][kind.as_str()]["Status"] == "ACTIVE"
    }) {
        return Err(conflict(
            format!("You already have an active {kind} connection with {receiver}"),
            "DUPLICATE_CONNECTION",
        ));
    }
    let day = now / DAY;
    if state.invitations_sent_today.0 != day {
        state.invitations_sent_today = (day, 0);
    }
    if state.invitations_sent_today.1 >= 50 {
        return Err(ApiError::QuotaExceeded {
            message: "You have sent 50 connection invitations today, the daily quota. Try again tomorrow or request an increase in Service Quotas.".into(),
            reason: "LIMIT_EXCEEDED_NUMBER_OF_CONNECTION_INVITATION_PER_DAY",
        });
    }
    state.invitations_sent_today.1 += 1;
    let id = state.new_id("pacinv-", MIXED_ALNUM, 13);
    let doc = json!({
        "Id": id,
        "Arn": format!("arn:aws:partnercentral:{}::catalog/{catalog}/connection-invitation/{id}", state.region),
        "ConnectionType": kind,
        "CreatedAt": format_millis(now),
        "UpdatedAt": format_millis(now),
        "ExpiresAt": format_millis(now + 30 * DAY),
        "OtherParticipantIdentifier": receiver,
        "ParticipantType": "SENDER",
        "Status": "PENDING",
        "InvitationMessage": input["Message"],
        "InviterEmail": input["Email"],
        "InviterName": input["Name"],
    });
    state
        .catalog(catalog)
        .connection_invitations
        .insert(id, doc.clone());
    Ok(with_catalog(&doc, catalog))
}

fn require_state(doc: &Value, role: &str) -> Result<(), ApiError> {
    let id = doc["Id"].as_str().unwrap_or("");
    if doc["ParticipantType"] != role {
        let who = if role == "RECEIVER" {
            "received"
        } else {
            "sent"
        };
        return Err(conflict(
            format!("Invitation {id} was not {who} by you, so you cannot do that to it"),
            "INCOMPATIBLE_CONNECTION_INVITATION_RECEIVER",
        ));
    }
    if doc["Status"] != "PENDING" {
        return Err(conflict(
            format!(
                "Invitation {id} is {} and no longer pending",
                doc["Status"].as_str().unwrap_or("")
            ),
            "INCOMPATIBLE_CONNECTION_INVITATION_STATE",
        ));
    }
    Ok(())
}

fn accept_invitation(state: &mut State, catalog: &str, input: &Value, now: Millis) -> ApiResult {
    let id = find_invitation(state, catalog, input)?;
    let doc = state.catalogs[catalog].connection_invitations[&id].clone();
    require_state(&doc, "RECEIVER")?;
    let other = doc["OtherParticipantIdentifier"]
        .as_str()
        .unwrap_or("")
        .to_string();
    let kind = doc["ConnectionType"].as_str().unwrap_or("").to_string();
    let participant = state.catalogs[catalog]
        .directory
        .get(&other)
        .cloned()
        .unwrap_or_else(|| json!({"Account": {"Name": format!("AWS account {other}")}}));
    let existing = state.catalogs[catalog]
        .connections
        .values()
        .find(|c| c["OtherParticipantAccountId"] == other.as_str())
        .and_then(|c| c["Id"].as_str().map(str::to_string));
    let connection_id = match existing {
        Some(id) => id,
        None => state.new_id("pac-", MIXED_ALNUM, 13),
    };
    let stamp = format_millis(now);
    let region = state.region.clone();
    let cat = state.catalog(catalog);
    let connection = cat.connections.entry(connection_id.clone()).or_insert_with(|| {
        json!({
            "Id": connection_id,
            "Arn": format!("arn:aws:partnercentral:{region}::catalog/{catalog}/connection/{connection_id}"),
            "OtherParticipantAccountId": other,
            "ConnectionTypes": {},
        })
    });
    connection["ConnectionTypes"][kind.as_str()] = json!({
        "CreatedAt": stamp,
        "InviterEmail": doc["InviterEmail"],
        "InviterName": doc["InviterName"],
        "Status": "ACTIVE",
        "OtherParticipant": participant,
    });
    connection["UpdatedAt"] = json!(stamp);
    let connection = with_catalog(connection, catalog);
    let invitation = cat
        .connection_invitations
        .get_mut(&id)
        .expect("found above");
    invitation["Status"] = json!("ACCEPTED");
    invitation["UpdatedAt"] = json!(stamp);
    invitation["ConnectionId"] = json!(connection_id);
    Ok(json!({"Connection": connection}))
}

fn close_invitation(
    state: &mut State,
    catalog: &str,
    input: &Value,
    now: Millis,
    role: &str,
    status: &str,
) -> ApiResult {
    let id = find_invitation(state, catalog, input)?;
    require_state(&state.catalogs[catalog].connection_invitations[&id], role)?;
    let invitation = state
        .catalog(catalog)
        .connection_invitations
        .get_mut(&id)
        .expect("found above");
    invitation["Status"] = json!(status);
    invitation["UpdatedAt"] = json!(format_millis(now));
    Ok(with_catalog(invitation, catalog))
}
