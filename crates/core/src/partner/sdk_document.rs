//! Between the selling SDK's opportunity types and documents (the API's JSON, see `document`):
//! a record read becomes a document a patch can be laid on, and a document becomes the members
//! of CreateOpportunity or UpdateOpportunity. Every writable member goes both ways, so an
//! update built from a record read carries everything the record had.

use aws_sdk_partnercentralselling as selling;
use selling::operation::get_opportunity::GetOpportunityOutput;
use selling::types::*;
use serde_json::{Map, Value, json};

fn put(map: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    if let Some(v) = value.filter(|v| !v.is_null()) {
        map.insert(key.to_string(), v);
    }
}

fn text(s: &Option<String>) -> Option<Value> {
    s.as_ref().map(|s| json!(s))
}

fn strs<T: AsRef<str>>(items: &Option<Vec<T>>) -> Option<Value> {
    items
        .as_ref()
        .map(|v| json!(v.iter().map(|i| i.as_ref().to_string()).collect::<Vec<_>>()))
}

fn contact(c: &Contact) -> Value {
    let mut m = Map::new();
    put(&mut m, "Email", text(&c.email));
    put(&mut m, "FirstName", text(&c.first_name));
    put(&mut m, "LastName", text(&c.last_name));
    put(&mut m, "BusinessTitle", text(&c.business_title));
    put(&mut m, "Phone", text(&c.phone));
    Value::Object(m)
}

fn object(m: Map<String, Value>) -> Option<Value> {
    (!m.is_empty()).then_some(Value::Object(m))
}

fn customer(c: &Customer) -> Option<Value> {
    let mut m = Map::new();
    if let Some(a) = &c.account {
        let mut acc = Map::new();
        put(&mut acc, "CompanyName", Some(json!(a.company_name)));
        put(
            &mut acc,
            "Industry",
            a.industry.as_ref().map(|i| json!(i.as_str())),
        );
        put(&mut acc, "OtherIndustry", text(&a.other_industry));
        put(&mut acc, "WebsiteUrl", text(&a.website_url));
        put(&mut acc, "AwsAccountId", text(&a.aws_account_id));
        put(&mut acc, "Duns", text(&a.duns));
        if let Some(ad) = &a.address {
            let mut addr = Map::new();
            put(&mut addr, "City", text(&ad.city));
            put(&mut addr, "PostalCode", text(&ad.postal_code));
            put(&mut addr, "StateOrRegion", text(&ad.state_or_region));
            put(
                &mut addr,
                "CountryCode",
                ad.country_code.as_ref().map(|c| json!(c.as_str())),
            );
            put(&mut addr, "StreetAddress", text(&ad.street_address));
            put(&mut acc, "Address", object(addr));
        }
        put(&mut m, "Account", object(acc));
    }
    put(
        &mut m,
        "Contacts",
        c.contacts
            .as_ref()
            .map(|cs| Value::Array(cs.iter().map(contact).collect())),
    );
    object(m)
}

fn project(p: &Project) -> Option<Value> {
    let mut m = Map::new();
    put(&mut m, "DeliveryModels", strs(&p.delivery_models));
    put(
        &mut m,
        "ExpectedCustomerSpend",
        p.expected_customer_spend.as_ref().map(|lines| {
            Value::Array(
                lines
                    .iter()
                    .map(|s| {
                        let mut l = Map::new();
                        put(&mut l, "Amount", Some(json!(s.amount)));
                        put(
                            &mut l,
                            "CurrencyCode",
                            Some(json!(s.currency_code.as_str())),
                        );
                        put(&mut l, "Frequency", Some(json!(s.frequency.as_str())));
                        put(&mut l, "TargetCompany", Some(json!(s.target_company)));
                        put(&mut l, "EstimationUrl", text(&s.estimation_url));
                        Value::Object(l)
                    })
                    .collect(),
            )
        }),
    );
    put(
        &mut m,
        "ExpectedContractDuration",
        p.expected_contract_duration
            .as_ref()
            .map(|d| json!({"Term": d.term.as_str(), "Value": d.value})),
    );
    put(&mut m, "Title", text(&p.title));
    put(&mut m, "ApnPrograms", strs(&p.apn_programs));
    put(
        &mut m,
        "CustomerBusinessProblem",
        text(&p.customer_business_problem),
    );
    put(&mut m, "CustomerUseCase", text(&p.customer_use_case));
    put(
        &mut m,
        "RelatedOpportunityIdentifier",
        text(&p.related_opportunity_identifier),
    );
    put(&mut m, "SalesActivities", strs(&p.sales_activities));
    put(
        &mut m,
        "CompetitorName",
        p.competitor_name.as_ref().map(|c| json!(c.as_str())),
    );
    put(
        &mut m,
        "OtherCompetitorNames",
        text(&p.other_competitor_names),
    );
    put(
        &mut m,
        "OtherSolutionDescription",
        text(&p.other_solution_description),
    );
    put(&mut m, "AdditionalComments", text(&p.additional_comments));
    put(
        &mut m,
        "AwsPartition",
        p.aws_partition.as_ref().map(|a| json!(a.as_str())),
    );
    object(m)
}

fn marketing(mk: &Marketing) -> Option<Value> {
    let mut m = Map::new();
    put(&mut m, "CampaignName", text(&mk.campaign_name));
    put(
        &mut m,
        "Source",
        mk.source.as_ref().map(|s| json!(s.as_str())),
    );
    put(&mut m, "UseCases", strs(&mk.use_cases));
    put(&mut m, "Channels", strs(&mk.channels));
    put(
        &mut m,
        "AwsFundingUsed",
        mk.aws_funding_used.as_ref().map(|f| json!(f.as_str())),
    );
    object(m)
}

fn software_revenue(s: &SoftwareRevenue) -> Option<Value> {
    let mut m = Map::new();
    put(
        &mut m,
        "DeliveryModel",
        s.delivery_model.as_ref().map(|d| json!(d.as_str())),
    );
    put(
        &mut m,
        "Value",
        s.value
            .as_ref()
            .map(|v| json!({"Amount": v.amount, "CurrencyCode": v.currency_code.as_str()})),
    );
    put(&mut m, "EffectiveDate", text(&s.effective_date));
    put(&mut m, "ExpirationDate", text(&s.expiration_date));
    object(m)
}

fn life_cycle(l: &LifeCycle) -> Option<Value> {
    let mut m = Map::new();
    put(&mut m, "Stage", l.stage.as_ref().map(|s| json!(s.as_str())));
    put(
        &mut m,
        "ClosedLostReason",
        l.closed_lost_reason.as_ref().map(|r| json!(r.as_str())),
    );
    put(&mut m, "NextSteps", text(&l.next_steps));
    put(&mut m, "TargetCloseDate", text(&l.target_close_date));
    put(
        &mut m,
        "ReviewStatus",
        l.review_status.as_ref().map(|r| json!(r.as_str())),
    );
    put(&mut m, "ReviewComments", text(&l.review_comments));
    put(&mut m, "ReviewStatusReason", text(&l.review_status_reason));
    object(m)
}

/// The record as a document: every member UpdateOpportunity takes, plus the review members
/// AWS sets (read-only; `document::writable_part` leaves them out of what is sent).
pub fn document_of(out: &GetOpportunityOutput) -> Value {
    let mut m = Map::new();
    put(
        &mut m,
        "PrimaryNeedsFromAws",
        strs(&out.primary_needs_from_aws),
    );
    put(
        &mut m,
        "NationalSecurity",
        out.national_security.as_ref().map(|n| json!(n.as_str())),
    );
    put(
        &mut m,
        "PartnerOpportunityIdentifier",
        text(&out.partner_opportunity_identifier),
    );
    put(&mut m, "Customer", out.customer.as_ref().and_then(customer));
    put(&mut m, "Project", out.project.as_ref().and_then(project));
    put(
        &mut m,
        "OpportunityType",
        out.opportunity_type.as_ref().map(|t| json!(t.as_str())),
    );
    put(
        &mut m,
        "Marketing",
        out.marketing.as_ref().and_then(marketing),
    );
    put(
        &mut m,
        "SoftwareRevenue",
        out.software_revenue.as_ref().and_then(software_revenue),
    );
    put(
        &mut m,
        "LifeCycle",
        out.life_cycle.as_ref().and_then(life_cycle),
    );
    put(
        &mut m,
        "OpportunityTeam",
        Some(Value::Array(
            out.opportunity_team().iter().map(contact).collect(),
        ))
        .filter(|v| v.as_array().is_some_and(|a| !a.is_empty())),
    );
    Value::Object(m)
}

/// A document's members as the SDK's types. An error names the path and what it lacks (a
/// required member the SDK's builder refuses to go without).
#[derive(Debug, Default)]
pub struct Parts {
    pub primary_needs: Option<Vec<PrimaryNeedFromAws>>,
    pub national_security: Option<NationalSecurity>,
    pub partner_reference: Option<String>,
    pub customer: Option<Customer>,
    pub project: Option<Project>,
    pub opportunity_type: Option<OpportunityType>,
    pub marketing: Option<Marketing>,
    pub software_revenue: Option<SoftwareRevenue>,
    pub life_cycle: Option<LifeCycle>,
    pub origin: Option<OpportunityOrigin>,
    pub team: Option<Vec<Contact>>,
    pub tags: Option<Vec<Tag>>,
}

fn s(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(String::from)
}

fn list<T: for<'a> From<&'a str>>(v: &Value, key: &str) -> Option<Vec<T>> {
    v.get(key).and_then(Value::as_array).map(|items| {
        items
            .iter()
            .filter_map(Value::as_str)
            .map(T::from)
            .collect()
    })
}

fn missing(path: &str, e: impl std::fmt::Display) -> String {
    format!("{path}: {e}")
}

fn contact_in(v: &Value) -> Contact {
    Contact::builder()
        .set_email(s(v, "Email"))
        .set_first_name(s(v, "FirstName"))
        .set_last_name(s(v, "LastName"))
        .set_business_title(s(v, "BusinessTitle"))
        .set_phone(s(v, "Phone"))
        .build()
}

fn contacts_in(v: Option<&Value>) -> Option<Vec<Contact>> {
    v.and_then(Value::as_array)
        .map(|cs| cs.iter().map(contact_in).collect())
}

fn customer_in(c: &Value) -> Result<Customer, String> {
    let account = match c.get("Account").filter(|a| a.is_object()) {
        None => None,
        Some(a) => Some(
            Account::builder()
                .set_company_name(s(a, "CompanyName"))
                .set_industry(s(a, "Industry").map(|i| Industry::from(i.as_str())))
                .set_other_industry(s(a, "OtherIndustry"))
                .set_website_url(s(a, "WebsiteUrl"))
                .set_aws_account_id(s(a, "AwsAccountId"))
                .set_duns(s(a, "Duns"))
                .set_address(a.get("Address").filter(|x| x.is_object()).map(|ad| {
                    Address::builder()
                        .set_city(s(ad, "City"))
                        .set_postal_code(s(ad, "PostalCode"))
                        .set_state_or_region(s(ad, "StateOrRegion"))
                        .set_country_code(
                            s(ad, "CountryCode").map(|c| CountryCode::from(c.as_str())),
                        )
                        .set_street_address(s(ad, "StreetAddress"))
                        .build()
                }))
                .build()
                .map_err(|e| missing("Customer.Account", e))?,
        ),
    };
    Ok(Customer::builder()
        .set_account(account)
        .set_contacts(contacts_in(c.get("Contacts")))
        .build())
}

fn project_in(p: &Value) -> Result<Project, String> {
    let spend = match p.get("ExpectedCustomerSpend").and_then(Value::as_array) {
        None => None,
        Some(lines) => Some(
            lines
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    ExpectedCustomerSpend::builder()
                        .set_amount(s(l, "Amount"))
                        .set_currency_code(
                            s(l, "CurrencyCode").map(|c| CurrencyCode::from(c.as_str())),
                        )
                        .set_frequency(
                            s(l, "Frequency").map(|f| PaymentFrequency::from(f.as_str())),
                        )
                        .set_target_company(s(l, "TargetCompany"))
                        .set_estimation_url(s(l, "EstimationUrl"))
                        .build()
                        .map_err(|e| missing(&format!("Project.ExpectedCustomerSpend[{i}]"), e))
                })
                .collect::<Result<Vec<_>, String>>()?,
        ),
    };
    let duration = match p.get("ExpectedContractDuration").filter(|d| d.is_object()) {
        None => None,
        Some(d) => Some(
            ExpectedContractDuration::builder()
                .set_term(s(d, "Term").map(|t| ExpectedContractDurationTerm::from(t.as_str())))
                .set_value(s(d, "Value"))
                .build()
                .map_err(|e| missing("Project.ExpectedContractDuration", e))?,
        ),
    };
    Ok(Project::builder()
        .set_delivery_models(list(p, "DeliveryModels"))
        .set_expected_customer_spend(spend)
        .set_expected_contract_duration(duration)
        .set_title(s(p, "Title"))
        .set_apn_programs(list(p, "ApnPrograms"))
        .set_customer_business_problem(s(p, "CustomerBusinessProblem"))
        .set_customer_use_case(s(p, "CustomerUseCase"))
        .set_related_opportunity_identifier(s(p, "RelatedOpportunityIdentifier"))
        .set_sales_activities(list(p, "SalesActivities"))
        .set_competitor_name(s(p, "CompetitorName").map(|c| CompetitorName::from(c.as_str())))
        .set_other_competitor_names(s(p, "OtherCompetitorNames"))
        .set_other_solution_description(s(p, "OtherSolutionDescription"))
        .set_additional_comments(s(p, "AdditionalComments"))
        .set_aws_partition(s(p, "AwsPartition").map(|a| AwsPartition::from(a.as_str())))
        .build())
}

fn marketing_in(m: &Value) -> Marketing {
    Marketing::builder()
        .set_campaign_name(s(m, "CampaignName"))
        .set_source(s(m, "Source").map(|x| MarketingSource::from(x.as_str())))
        .set_use_cases(list(m, "UseCases"))
        .set_channels(list(m, "Channels"))
        .set_aws_funding_used(s(m, "AwsFundingUsed").map(|x| AwsFundingUsed::from(x.as_str())))
        .build()
}

fn software_revenue_in(r: &Value) -> Result<SoftwareRevenue, String> {
    let value = match r.get("Value").filter(|v| v.is_object()) {
        None => None,
        Some(v) => Some(
            MonetaryValue::builder()
                .set_amount(s(v, "Amount"))
                .set_currency_code(s(v, "CurrencyCode").map(|c| CurrencyCode::from(c.as_str())))
                .build()
                .map_err(|e| missing("SoftwareRevenue.Value", e))?,
        ),
    };
    Ok(SoftwareRevenue::builder()
        .set_delivery_model(s(r, "DeliveryModel").map(|d| RevenueModel::from(d.as_str())))
        .set_value(value)
        .set_effective_date(s(r, "EffectiveDate"))
        .set_expiration_date(s(r, "ExpirationDate"))
        .build())
}

/// What a client sends of the life cycle: the partner's members only. AWS sets the review
/// members and the history; echoing them back gains nothing and risks a refusal.
fn life_cycle_in(l: &Value) -> LifeCycle {
    LifeCycle::builder()
        .set_stage(s(l, "Stage").map(|x| Stage::from(x.as_str())))
        .set_closed_lost_reason(
            s(l, "ClosedLostReason").map(|x| ClosedLostReason::from(x.as_str())),
        )
        .set_next_steps(s(l, "NextSteps"))
        .set_target_close_date(s(l, "TargetCloseDate"))
        .build()
}

pub fn parts_of(doc: &Value) -> Result<Parts, String> {
    let obj = |key: &str| doc.get(key).filter(|v| v.is_object());
    Ok(Parts {
        primary_needs: list(doc, "PrimaryNeedsFromAws"),
        national_security: s(doc, "NationalSecurity").map(|n| NationalSecurity::from(n.as_str())),
        partner_reference: s(doc, "PartnerOpportunityIdentifier"),
        customer: obj("Customer").map(customer_in).transpose()?,
        project: obj("Project").map(project_in).transpose()?,
        opportunity_type: s(doc, "OpportunityType").map(|t| OpportunityType::from(t.as_str())),
        marketing: obj("Marketing").map(marketing_in),
        software_revenue: obj("SoftwareRevenue")
            .map(software_revenue_in)
            .transpose()?,
        life_cycle: obj("LifeCycle").map(life_cycle_in),
        origin: s(doc, "Origin").map(|o| OpportunityOrigin::from(o.as_str())),
        team: contacts_in(doc.get("OpportunityTeam")),
        tags: doc.get("Tags").and_then(Value::as_array).map(|tags| {
            tags.iter()
                .filter_map(|t| {
                    Tag::builder()
                        .set_key(s(t, "Key"))
                        .set_value(s(t, "Value"))
                        .build()
                        .ok()
                })
                .collect()
        }),
    })
}
