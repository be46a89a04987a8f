//! ListOpportunities' summaries, written straight from each record's stored JSON text: the
//! members a summary carries are copied as they are and nothing else is built into a tree. A
//! page of 100 costs a fraction of a millisecond, so summaries need no cache (which would cost
//! about a third as much memory again as the records themselves).

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::clock::format_millis;
use super::state::State;
use super::store::StoredOpportunity;

type Raw<'a> = Option<&'a RawValue>;

/// The parts of a stored document a summary copies. The same shapes serialize the summary:
/// members the document lacks are left out, as AWS leaves them out.
#[derive(Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Doc<'a> {
    #[serde(borrow)]
    partner_opportunity_identifier: Raw<'a>,
    #[serde(borrow)]
    opportunity_type: Raw<'a>,
    #[serde(borrow)]
    life_cycle: Option<LifeCycle<'a>>,
    #[serde(borrow)]
    customer: Option<Customer<'a>>,
    #[serde(borrow)]
    project: Option<Project<'a>>,
}

#[derive(Default, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
struct LifeCycle<'a> {
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    stage: Raw<'a>,
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    closed_lost_reason: Raw<'a>,
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    next_steps: Raw<'a>,
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    target_close_date: Raw<'a>,
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    review_status: Raw<'a>,
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    review_comments: Raw<'a>,
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    review_status_reason: Raw<'a>,
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
struct Customer<'a> {
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    account: Option<Account<'a>>,
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
struct Account<'a> {
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    industry: Raw<'a>,
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    other_industry: Raw<'a>,
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    company_name: Raw<'a>,
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    website_url: Raw<'a>,
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    address: Option<Address<'a>>,
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
struct Address<'a> {
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    city: Raw<'a>,
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    postal_code: Raw<'a>,
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    state_or_region: Raw<'a>,
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    country_code: Raw<'a>,
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
struct Project<'a> {
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    delivery_models: Raw<'a>,
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    expected_customer_spend: Raw<'a>,
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    expected_contract_duration: Raw<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Summary<'a> {
    catalog: &'a str,
    id: &'a str,
    arn: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    partner_opportunity_identifier: Raw<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    opportunity_type: Raw<'a>,
    last_modified_date: &'a str,
    created_date: &'a str,
    life_cycle: LifeCycle<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    customer: Option<Customer<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    project: Option<Project<'a>>,
}

/// Appends the OpportunitySummary of `record` to `out` as JSON.
pub fn write(out: &mut String, state: &State, catalog: &str, record: &StoredOpportunity) {
    // The stored text was written by the sandbox from a validated document; one that does not
    // have the expected shapes still gets a summary of its identity rather than an error.
    let doc: Doc = serde_json::from_str(record.doc_text()).unwrap_or_default();
    let id = record.identifier();
    let summary = Summary {
        catalog,
        id: &id,
        arn: &state.opportunity_arn(catalog, &id),
        partner_opportunity_identifier: doc.partner_opportunity_identifier,
        opportunity_type: doc.opportunity_type,
        last_modified_date: &format_millis(record.last_modified),
        created_date: &format_millis(record.created),
        life_cycle: doc.life_cycle.unwrap_or_default(),
        customer: doc
            .customer
            .and_then(|c| c.account)
            .map(|account| Customer {
                account: Some(account),
            }),
        project: doc.project,
    };
    out.push_str(&serde_json::to_string(&summary).expect("a summary always serializes"));
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::state::strip_nulls;
    use crate::store::OpportunityRecord;

    /// The summary as the sandbox built it before, from the parsed tree: the reference the
    /// streamed one must equal.
    fn tree_summary(state: &State, catalog: &str, record: &OpportunityRecord) -> Value {
        let doc = &record.doc;
        let lifecycle = doc.get("LifeCycle").cloned().unwrap_or(json!({}));
        let account = doc
            .get("Customer")
            .and_then(|c| c.get("Account"))
            .cloned()
            .unwrap_or(Value::Null);
        let project = doc.get("Project").cloned().unwrap_or(Value::Null);
        let identifier = record.identifier();
        let mut out = json!({
            "Catalog": catalog,
            "Id": identifier,
            "Arn": state.opportunity_arn(catalog, &identifier),
            "PartnerOpportunityIdentifier": doc.get("PartnerOpportunityIdentifier"),
            "OpportunityType": doc.get("OpportunityType"),
            "LastModifiedDate": format_millis(record.last_modified),
            "CreatedDate": format_millis(record.created),
            "LifeCycle": {
                "Stage": lifecycle["Stage"],
                "ClosedLostReason": lifecycle["ClosedLostReason"],
                "NextSteps": lifecycle["NextSteps"],
                "TargetCloseDate": lifecycle["TargetCloseDate"],
                "ReviewStatus": lifecycle["ReviewStatus"],
                "ReviewComments": lifecycle["ReviewComments"],
                "ReviewStatusReason": lifecycle["ReviewStatusReason"],
            },
        });
        if account.is_object() {
            out["Customer"] = json!({"Account": {
                "Industry": account["Industry"],
                "OtherIndustry": account["OtherIndustry"],
                "CompanyName": account["CompanyName"],
                "WebsiteUrl": account["WebsiteUrl"],
                "Address": account.get("Address").map(|a| json!({
                    "City": a["City"], "PostalCode": a["PostalCode"],
                    "StateOrRegion": a["StateOrRegion"], "CountryCode": a["CountryCode"]
                })),
            }});
        }
        if project.is_object() {
            out["Project"] = json!({
                "DeliveryModels": project["DeliveryModels"],
                "ExpectedCustomerSpend": project["ExpectedCustomerSpend"],
                "ExpectedContractDuration": project["ExpectedContractDuration"],
            });
        }
        strip_nulls(&mut out);
        out
    }

    fn streamed(state: &State, catalog: &str, record: &StoredOpportunity) -> Value {
        let mut out = String::new();
        write(&mut out, state, catalog, record);
        serde_json::from_str(&out).unwrap()
    }

    #[test]
    fn every_demo_record_is_summarized_as_the_tree_built_summary() {
        let state = crate::demo::generate(11, 1_200, 1_800_000_000_000);
        let mut compared = 0;
        for (name, catalog) in &state.catalogs {
            for record in catalog.opportunities.values() {
                assert_eq!(
                    streamed(&state, name, record),
                    tree_summary(&state, name, &record.open()),
                    "{}",
                    record.identifier()
                );
                compared += 1;
            }
        }
        assert_eq!(compared, 1_200 + 300);
    }

    #[test]
    fn records_missing_parts_are_summarized_as_before() {
        let state = crate::demo::generate(11, 1, 1_800_000_000_000);
        let docs = [
            json!({}),
            json!({"Customer": {}}),
            json!({"Customer": {"Account": {"CompanyName": "Only Name"}}, "Project": {}}),
            json!({"LifeCycle": {"Stage": "Prospect"}, "Project": {"DeliveryModels": ["SaaS or PaaS"], "Title": "not in a summary"}}),
        ];
        for doc in docs {
            let record = OpportunityRecord {
                id: 1_000_001,
                doc: serde_json::from_value(doc.clone()).unwrap(),
                created: 5,
                last_modified: 9,
                involvement: None,
                visibility: None,
                submitted_at: None,
            };
            let stored = StoredOpportunity::from(record.clone());
            assert_eq!(
                streamed(&state, "AWS", &stored),
                tree_summary(&state, "AWS", &record),
                "{doc}"
            );
        }
    }
}
