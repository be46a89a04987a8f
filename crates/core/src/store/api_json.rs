//! The API's own JSON shapes, rebuilt from cosell's domain types, so exports keep working with
//! the jq pipelines written against `aws partnercentral-selling list-*` output.

use serde_json::{Map, Value, json};

use crate::partner::types::*;

fn rfc3339(ms: Option<Millis>) -> Value {
    ms.map_or(Value::Null, |ms| json!(crate::times::instant(ms)))
}

/// Drops nulls so absent members are omitted, as the API does.
fn compact(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let kept: Map<String, Value> = map
                .into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, compact(v)))
                .filter(|(_, v)| !matches!(v, Value::Object(m) if m.is_empty()))
                .collect();
            Value::Object(kept)
        }
        Value::Array(items) => Value::Array(items.into_iter().map(compact).collect()),
        other => other,
    }
}

pub fn opportunity_summary(o: &OpportunitySummary, catalog: &str) -> Value {
    compact(json!({
        "Catalog": catalog,
        "Id": o.id,
        "Arn": o.arn,
        "PartnerOpportunityIdentifier": o.partner_reference,
        "OpportunityType": o.opportunity_type,
        "LastModifiedDate": rfc3339(o.last_modified),
        "CreatedDate": rfc3339(o.created),
        "LifeCycle": {
            "Stage": o.stage,
            "ClosedLostReason": o.closed_lost_reason,
            "NextSteps": o.next_steps,
            "TargetCloseDate": o.target_close,
            "ReviewStatus": o.review_status,
            "ReviewComments": o.review_comments,
            "ReviewStatusReason": o.review_reason,
        },
        "Customer": {"Account": {
            "CompanyName": o.customer,
            "Industry": o.industry,
            "WebsiteUrl": o.website,
            "Address": {"CountryCode": o.country},
        }},
        "Project": {
            "ExpectedCustomerSpend": o.monthly_spend.as_ref().map(|m| json!([{
                "Amount": m.amount, "CurrencyCode": m.currency, "Frequency": "Monthly", "TargetCompany": "AWS"
            }])),
        },
    }))
}

pub fn referral_summary(r: &Referral, catalog: &str) -> Value {
    compact(json!({
        "Catalog": catalog,
        "Id": r.id,
        "Arn": r.arn,
        "PayloadType": r.payload_type,
        "EngagementId": r.engagement_id,
        "EngagementTitle": r.title,
        "Status": r.status,
        "InvitationDate": rfc3339(r.invited),
        "ExpirationDate": rfc3339(r.expires),
        "SenderAwsAccountId": r.sender_account,
        "SenderCompanyName": r.sender_company,
        "ParticipantType": r.participant,
    }))
}

fn contact(c: &Contact) -> Value {
    json!({
        "Email": c.email,
        "FirstName": c.first_name,
        "LastName": c.last_name,
        "BusinessTitle": c.title,
        "Phone": c.phone,
    })
}

/// GetOpportunity's reply, rebuilt from the record cosell holds.
pub fn opportunity(o: &Opportunity, catalog: &str) -> Value {
    let s = &o.summary;
    let mut out = opportunity_summary(s, catalog);
    let extra = compact(json!({
        "PrimaryNeedsFromAws": o.primary_needs,
        "OpportunityTeam": o.team.iter().map(contact).collect::<Vec<_>>(),
        "Customer": {
            "Account": {
                "Address": {
                    "City": o.city,
                    "PostalCode": o.postal_code,
                    "StateOrRegion": o.state_or_region,
                },
            },
            "Contacts": o.customer_contacts.iter().map(contact).collect::<Vec<_>>(),
        },
        "Project": {
            "Title": o.title,
            "CustomerBusinessProblem": o.business_problem,
            "CustomerUseCase": o.use_case,
            "DeliveryModels": o.delivery_models,
            "SalesActivities": o.sales_activities,
            "CompetitorName": o.competitor,
        },
        "LifeCycle": {
            "NextStepsHistory": o.next_steps_history.iter().map(|n| json!({
                "Value": n.value, "Time": rfc3339(n.time),
            })).collect::<Vec<_>>(),
        },
        "RelatedEntityIdentifiers": {
            "Solutions": o.solutions,
            "AwsProducts": o.aws_products,
            "AwsMarketplaceOffers": o.marketplace_entities,
        },
    }));
    merge(&mut out, extra);
    out
}

/// GetAwsOpportunitySummary's reply, rebuilt from the view cosell holds.
pub fn aws_view(v: &AwsView, catalog: &str) -> Value {
    compact(json!({
        "Catalog": catalog,
        "RelatedOpportunityId": v.opportunity_id,
        "Origin": v.origin,
        "InvolvementType": v.involvement,
        "Visibility": v.visibility,
        "LifeCycle": {"Stage": v.stage, "NextSteps": v.next_steps},
        "Insights": {"EngagementScore": v.engagement_score, "NextBestActions": v.next_best_actions},
        "OpportunityTeam": v.team.iter().map(contact).collect::<Vec<_>>(),
    }))
}

/// Adds `extra`'s members into `base`, object by object.
fn merge(base: &mut Value, extra: Value) {
    match (base, extra) {
        (Value::Object(base), Value::Object(extra)) => {
            for (key, value) in extra {
                match base.get_mut(&key) {
                    Some(existing) => merge(existing, value),
                    None => {
                        base.insert(key, value);
                    }
                }
            }
        }
        (base, extra) => *base = extra,
    }
}

fn lead(l: &Lead) -> Value {
    compact(json!({
        "QualificationStatus": l.qualification,
        "Customer": {
            "CompanyName": l.company,
            "Industry": l.industry,
            "WebsiteUrl": l.website,
            "Address": {"City": l.city, "PostalCode": l.postal_code,
                        "StateOrRegion": l.state_or_region, "CountryCode": l.country},
            "AwsMaturity": l.maturity,
            "MarketSegment": l.segment,
        },
        "Interactions": l.interactions.iter().map(|i| json!({
            "SourceType": i.source_type, "SourceId": i.source_id, "SourceName": i.source_name,
            "Usecase": i.usecase, "InteractionDate": rfc3339(i.date),
            "CustomerAction": i.action, "BusinessProblem": i.business_problem,
            "Contact": {"FirstName": i.contact.first_name, "LastName": i.contact.last_name,
                        "Email": i.contact.email, "BusinessTitle": i.contact.title,
                        "Phone": i.contact.phone},
        })).collect::<Vec<_>>(),
        "Insights": {"LeadReadinessScore": l.readiness},
    }))
}

/// GetEngagement's shape, with the members (ListEngagementMembers) and the associated
/// opportunities (ListEngagementResourceAssociations) beside it.
pub fn engagement(e: &Engagement, catalog: &str) -> Value {
    compact(json!({
        "Catalog": catalog,
        "Id": e.id,
        "Arn": e.arn,
        "Title": e.title,
        "Description": e.description,
        "CreatedAt": rfc3339(e.created_at),
        "CreatedBy": e.created_by,
        "ModifiedAt": rfc3339(e.modified_at),
        "MemberCount": e.member_count,
        "Contexts": e.contexts.iter().map(|c| {
            let payload = match (&c.lead, &c.project_title) {
                (Some(l), _) => json!({"Lead": lead(l)}),
                (None, Some(title)) => json!({"CustomerProject": {"Project": {"Title": title}}}),
                (None, None) => Value::Null,
            };
            json!({"Id": c.id, "Type": c.kind, "Payload": payload})
        }).collect::<Vec<_>>(),
        "Members": e.members.iter().map(|m| json!({
            "AccountId": m.account_id, "CompanyName": m.company, "WebsiteUrl": m.website,
        })).collect::<Vec<_>>(),
        "Opportunities": e.opportunities,
    }))
}

/// ListEngagements' summary shape.
pub fn engagement_summary(e: &Engagement, catalog: &str) -> Value {
    compact(json!({
        "Catalog": catalog,
        "Id": e.id,
        "Arn": e.arn,
        "Title": e.title,
        "CreatedAt": rfc3339(e.created_at),
        "CreatedBy": e.created_by,
        "ModifiedAt": rfc3339(e.modified_at),
        "MemberCount": e.member_count,
        "ContextTypes": e.contexts.iter().map(|c| c.kind.clone()).collect::<Vec<_>>(),
    }))
}
