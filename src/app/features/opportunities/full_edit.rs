//! The full edit form (`F`): every member UpdateOpportunity takes, opened from the full record.
//! Each field is bound to a document path; submitting sends only what changed, as a patch laid
//! on the record (`OpportunityEdit::Fields`), so the update is the full replacement built from
//! the record held, guarded by its LastModifiedDate. Fields the review status locks are shown
//! read-only and passed over by tab; on an Action Required record the focus starts on the
//! website, the member AWS's review asks about most.

use serde_json::{Map, Value, json};

use cosell_core::partner::document::{self, Kind, Request};
use cosell_core::partner::rules;
use cosell_core::partner::types::*;
use cosell_core::partner::vocab::{
    self, DeliveryModel, MarketingChannel, PrimaryNeed, SalesActivity,
};

use super::types::OpenForm;
use crate::app::core::form::{Field, Form, Opt, labelled_options};

/// The fields of the full edit form, in the order it shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FullField {
    CompanyName,
    Industry,
    OtherIndustry,
    Website,
    AwsAccountId,
    Duns,
    Street,
    City,
    StateOrRegion,
    PostalCode,
    Country,
    Contacts,
    Title,
    BusinessProblem,
    UseCase,
    DeliveryModels,
    Spend,
    ContractMonths,
    SalesActivities,
    Competitor,
    OtherCompetitors,
    OtherSolution,
    AdditionalComments,
    ApnPrograms,
    RelatedOpportunity,
    OpportunityType,
    NationalSecurity,
    PartnerReference,
    PrimaryNeeds,
    Stage,
    ClosedLostReason,
    NextSteps,
    TargetClose,
    MarketingSource,
    Campaign,
    Channels,
    MarketingUseCases,
    AwsFunding,
    RevenueModel,
    RevenueAmount,
    RevenueCurrency,
    RevenueFrom,
    RevenueTo,
    /// Create only: who brought the opportunity.
    Origin,
    /// Create only: the partner's people on it.
    Team,
}

/// How a field's text stands for its member's JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Line(usize),
    Lines(usize),
    /// One value of the model's enum at the path, or none.
    OneOf,
    Country,
    Currency,
    Multi(&'static [&'static str]),
    /// Free-text values separated by `;`.
    List,
    /// One spend line per text line: `AMOUNT CURRENCY [TARGET COMPANY] [ESTIMATE URL]`.
    Spend,
    /// One contact per text line: `First Last | email | title | phone`.
    Contacts,
    /// Months as a number: ExpectedContractDuration's Value, its Term always Months.
    Months,
}

impl FullField {
    pub const ALL: [FullField; 43] = [
        FullField::CompanyName,
        FullField::Industry,
        FullField::OtherIndustry,
        FullField::Website,
        FullField::AwsAccountId,
        FullField::Duns,
        FullField::Street,
        FullField::City,
        FullField::StateOrRegion,
        FullField::PostalCode,
        FullField::Country,
        FullField::Contacts,
        FullField::Title,
        FullField::BusinessProblem,
        FullField::UseCase,
        FullField::DeliveryModels,
        FullField::Spend,
        FullField::ContractMonths,
        FullField::SalesActivities,
        FullField::Competitor,
        FullField::OtherCompetitors,
        FullField::OtherSolution,
        FullField::AdditionalComments,
        FullField::ApnPrograms,
        FullField::RelatedOpportunity,
        FullField::OpportunityType,
        FullField::NationalSecurity,
        FullField::PartnerReference,
        FullField::PrimaryNeeds,
        FullField::Stage,
        FullField::ClosedLostReason,
        FullField::NextSteps,
        FullField::TargetClose,
        FullField::MarketingSource,
        FullField::Campaign,
        FullField::Channels,
        FullField::MarketingUseCases,
        FullField::AwsFunding,
        FullField::RevenueModel,
        FullField::RevenueAmount,
        FullField::RevenueCurrency,
        FullField::RevenueFrom,
        FullField::RevenueTo,
    ];

    /// The fields the create form offers after its own (`DraftField`): every other member
    /// CreateOpportunity takes. `Spend` there holds further lines, after the form's first.
    pub const CREATE_MORE: [FullField; 32] = [
        FullField::Contacts,
        FullField::Team,
        FullField::OtherIndustry,
        FullField::AwsAccountId,
        FullField::Duns,
        FullField::Street,
        FullField::City,
        FullField::UseCase,
        FullField::DeliveryModels,
        FullField::Spend,
        FullField::ContractMonths,
        FullField::SalesActivities,
        FullField::Competitor,
        FullField::OtherCompetitors,
        FullField::OtherSolution,
        FullField::AdditionalComments,
        FullField::ApnPrograms,
        FullField::RelatedOpportunity,
        FullField::NationalSecurity,
        FullField::Stage,
        FullField::NextSteps,
        FullField::MarketingSource,
        FullField::Campaign,
        FullField::Channels,
        FullField::MarketingUseCases,
        FullField::AwsFunding,
        FullField::RevenueModel,
        FullField::RevenueAmount,
        FullField::RevenueCurrency,
        FullField::RevenueFrom,
        FullField::RevenueTo,
        FullField::Origin,
    ];

    /// The member the field writes, by the API's path.
    pub fn path(self) -> &'static str {
        match self {
            FullField::CompanyName => "Customer.Account.CompanyName",
            FullField::Industry => "Customer.Account.Industry",
            FullField::OtherIndustry => "Customer.Account.OtherIndustry",
            FullField::Website => "Customer.Account.WebsiteUrl",
            FullField::AwsAccountId => "Customer.Account.AwsAccountId",
            FullField::Duns => "Customer.Account.Duns",
            FullField::Street => "Customer.Account.Address.StreetAddress",
            FullField::City => "Customer.Account.Address.City",
            FullField::StateOrRegion => "Customer.Account.Address.StateOrRegion",
            FullField::PostalCode => "Customer.Account.Address.PostalCode",
            FullField::Country => "Customer.Account.Address.CountryCode",
            FullField::Contacts => "Customer.Contacts",
            FullField::Title => "Project.Title",
            FullField::BusinessProblem => "Project.CustomerBusinessProblem",
            FullField::UseCase => "Project.CustomerUseCase",
            FullField::DeliveryModels => "Project.DeliveryModels",
            FullField::Spend => "Project.ExpectedCustomerSpend",
            FullField::ContractMonths => "Project.ExpectedContractDuration",
            FullField::SalesActivities => "Project.SalesActivities",
            FullField::Competitor => "Project.CompetitorName",
            FullField::OtherCompetitors => "Project.OtherCompetitorNames",
            FullField::OtherSolution => "Project.OtherSolutionDescription",
            FullField::AdditionalComments => "Project.AdditionalComments",
            FullField::ApnPrograms => "Project.ApnPrograms",
            FullField::RelatedOpportunity => "Project.RelatedOpportunityIdentifier",
            FullField::OpportunityType => "OpportunityType",
            FullField::NationalSecurity => "NationalSecurity",
            FullField::PartnerReference => "PartnerOpportunityIdentifier",
            FullField::PrimaryNeeds => "PrimaryNeedsFromAws",
            FullField::Stage => "LifeCycle.Stage",
            FullField::ClosedLostReason => "LifeCycle.ClosedLostReason",
            FullField::NextSteps => "LifeCycle.NextSteps",
            FullField::TargetClose => "LifeCycle.TargetCloseDate",
            FullField::MarketingSource => "Marketing.Source",
            FullField::Campaign => "Marketing.CampaignName",
            FullField::Channels => "Marketing.Channels",
            FullField::MarketingUseCases => "Marketing.UseCases",
            FullField::AwsFunding => "Marketing.AwsFundingUsed",
            FullField::RevenueModel => "SoftwareRevenue.DeliveryModel",
            FullField::RevenueAmount => "SoftwareRevenue.Value.Amount",
            FullField::RevenueCurrency => "SoftwareRevenue.Value.CurrencyCode",
            FullField::RevenueFrom => "SoftwareRevenue.EffectiveDate",
            FullField::RevenueTo => "SoftwareRevenue.ExpirationDate",
            FullField::Origin => "Origin",
            FullField::Team => "OpportunityTeam",
        }
    }

    fn label(self) -> &'static str {
        match self {
            FullField::CompanyName => "Customer",
            FullField::Industry => "Industry",
            FullField::OtherIndustry => "Other industry",
            FullField::Website => "Website",
            FullField::AwsAccountId => "Customer's AWS account",
            FullField::Duns => "DUNS",
            FullField::Street => "Street address",
            FullField::City => "City",
            FullField::StateOrRegion => "State or region",
            FullField::PostalCode => "Postal code",
            FullField::Country => "Country",
            FullField::Contacts => "Customer contacts",
            FullField::Title => "Project title",
            FullField::BusinessProblem => "Business problem",
            FullField::UseCase => "Use case",
            FullField::DeliveryModels => "Delivery models",
            FullField::Spend => "Expected monthly spend",
            FullField::ContractMonths => "Contract length (months)",
            FullField::SalesActivities => "Sales activities",
            FullField::Competitor => "Competitor",
            FullField::OtherCompetitors => "Other competitors",
            FullField::OtherSolution => "Other solution",
            FullField::AdditionalComments => "Additional comments",
            FullField::ApnPrograms => "APN programs",
            FullField::RelatedOpportunity => "Related opportunity",
            FullField::OpportunityType => "Opportunity type",
            FullField::NationalSecurity => "National security",
            FullField::PartnerReference => "Partner reference",
            FullField::PrimaryNeeds => "Primary needs from AWS",
            FullField::Stage => "Stage",
            FullField::ClosedLostReason => "Closed lost reason",
            FullField::NextSteps => "Next steps",
            FullField::TargetClose => "Target close date",
            FullField::MarketingSource => "Marketing source",
            FullField::Campaign => "Campaign",
            FullField::Channels => "Marketing channels",
            FullField::MarketingUseCases => "Marketing use cases",
            FullField::AwsFunding => "AWS marketing funds used",
            FullField::RevenueModel => "Software revenue model",
            FullField::RevenueAmount => "Software revenue amount",
            FullField::RevenueCurrency => "Software revenue currency",
            FullField::RevenueFrom => "Software revenue from",
            FullField::RevenueTo => "Software revenue to",
            FullField::Origin => "Origin",
            FullField::Team => "Your team on it",
        }
    }

    fn hint(self) -> &'static str {
        match self {
            FullField::Website => "https://… (what AWS's review asks about most)",
            FullField::BusinessProblem => "20 to 2000 characters, specific",
            FullField::Contacts => "one per line: First Last | email | title | +phone",
            FullField::Team => {
                "one per line: First Last | email | OpportunityOwner or PartnerAccountManager"
            }
            FullField::Origin => "Partner Referral; AWS Referral only in the Sandbox catalog",
            FullField::Spend => {
                "one per line: AMOUNT CURRENCY [target company] [calculator.aws estimate URL]"
            }
            FullField::ApnPrograms | FullField::MarketingUseCases => "separate values with ;",
            FullField::TargetClose | FullField::RevenueFrom | FullField::RevenueTo => "YYYY-MM-DD",
            FullField::DeliveryModels
            | FullField::SalesActivities
            | FullField::PrimaryNeeds
            | FullField::Channels => "↑/↓ move, space ticks",
            FullField::Duns => "9 digits",
            FullField::AwsAccountId => "12 digits",
            _ => "",
        }
    }

    fn shape(self) -> Shape {
        match self {
            FullField::CompanyName => Shape::Line(120),
            FullField::Website => Shape::Line(255),
            FullField::AwsAccountId => Shape::Line(12),
            FullField::Duns => Shape::Line(9),
            FullField::PostalCode => Shape::Line(20),
            FullField::Title => Shape::Line(255),
            FullField::PartnerReference => Shape::Line(64),
            FullField::TargetClose | FullField::RevenueFrom | FullField::RevenueTo => {
                Shape::Line(10)
            }
            FullField::OtherIndustry
            | FullField::Street
            | FullField::City
            | FullField::StateOrRegion
            | FullField::UseCase
            | FullField::OtherCompetitors
            | FullField::OtherSolution
            | FullField::RelatedOpportunity
            | FullField::Campaign
            | FullField::RevenueAmount => Shape::Line(255),
            FullField::BusinessProblem => Shape::Lines(2000),
            FullField::AdditionalComments => Shape::Lines(255),
            FullField::NextSteps => Shape::Lines(255),
            FullField::Industry
            | FullField::Competitor
            | FullField::OpportunityType
            | FullField::NationalSecurity
            | FullField::Stage
            | FullField::ClosedLostReason
            | FullField::MarketingSource
            | FullField::AwsFunding
            | FullField::RevenueModel
            | FullField::Origin => Shape::OneOf,
            FullField::Country => Shape::Country,
            FullField::RevenueCurrency => Shape::Currency,
            FullField::DeliveryModels => Shape::Multi(DeliveryModel::VALUES),
            FullField::SalesActivities => Shape::Multi(SalesActivity::VALUES),
            FullField::PrimaryNeeds => Shape::Multi(PrimaryNeed::VALUES),
            FullField::Channels => Shape::Multi(MarketingChannel::VALUES),
            FullField::ApnPrograms | FullField::MarketingUseCases => Shape::List,
            FullField::Spend => Shape::Spend,
            FullField::Contacts | FullField::Team => Shape::Contacts,
            FullField::ContractMonths => Shape::Months,
        }
    }

    /// The field that shows the member at `path` (a problem's path, perhaps deeper).
    pub fn for_path(path: &str) -> Option<FullField> {
        FullField::ALL
            .into_iter()
            .chain(FullField::CREATE_MORE)
            .find(|f| {
                let own = f.path();
                path == own
                    || path
                        .strip_prefix(own)
                        .is_some_and(|r| r.starts_with(['.', '[']))
            })
    }
}

fn none_first(values: Vec<String>) -> Vec<Opt> {
    std::iter::once((String::new(), "(none)".to_string()))
        .chain(values.into_iter().map(|v| (v.clone(), v)))
        .collect()
}

fn text_of(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

fn strings(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|items| items.iter().map(|v| text_of(Some(v))).collect())
        .unwrap_or_default()
}

fn spend_text(value: Option<&Value>) -> String {
    value
        .and_then(Value::as_array)
        .map(|lines| {
            lines
                .iter()
                .map(|l| {
                    let mut parts = vec![text_of(l.get("Amount")), text_of(l.get("CurrencyCode"))];
                    let target = text_of(l.get("TargetCompany"));
                    if target != "AWS" && !target.is_empty() {
                        parts.push(target);
                    }
                    let url = text_of(l.get("EstimationUrl"));
                    if !url.is_empty() {
                        parts.push(url);
                    }
                    parts.join(" ")
                })
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default()
}

fn contacts_text(value: Option<&Value>) -> String {
    value
        .and_then(Value::as_array)
        .map(|contacts| {
            contacts
                .iter()
                .map(|c| {
                    let name = [text_of(c.get("FirstName")), text_of(c.get("LastName"))]
                        .join(" ")
                        .trim()
                        .to_string();
                    [
                        name,
                        text_of(c.get("Email")),
                        text_of(c.get("BusinessTitle")),
                        text_of(c.get("Phone")),
                    ]
                    .join(" | ")
                    .trim_end_matches(" | ")
                    .to_string()
                })
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default()
}

/// The field for `key`, showing what `doc` has at its path.
pub fn field_for(key: FullField, doc: &Value) -> Field {
    let value = document::get(doc, key.path());
    let (label, hint) = (key.label(), key.hint());
    match key.shape() {
        Shape::Line(max) => Field::text(label, &text_of(value), Some(max), hint),
        Shape::Lines(max) => Field::multiline(label, &text_of(value), Some(max), hint),
        Shape::OneOf => {
            let values = match document::member(Request::Create, key.path()) {
                Some((_, Kind::OneOf(values))) => values,
                _ => Vec::new(),
            };
            Field::choice(
                label,
                none_first(values),
                &text_of(value),
                "←/→ or type to choose",
            )
        }
        Shape::Country => Field::choice(
            label,
            labelled_options(vocab::COUNTRIES),
            &text_of(value),
            "type a code or a name (de, germ…), or ←/→",
        ),
        Shape::Currency => Field::choice(
            label,
            labelled_options(vocab::CURRENCIES),
            &text_of(value),
            "type a code or a name (eur, yen…), or ←/→",
        ),
        Shape::Multi(options) => Field::multi(label, options, hint).ticked(&strings(value)),
        Shape::List => Field::text(label, &strings(value).join("; "), None, hint),
        Shape::Spend => Field::multiline(label, &spend_text(value), None, hint),
        Shape::Contacts => Field::multiline(label, &contacts_text(value), None, hint),
        Shape::Months => Field::text(
            label,
            &text_of(value.and_then(|d| d.get("Value"))),
            Some(3),
            "1 to 144",
        ),
    }
}

/// The full edit form of `full`, as the user saw it at `based_on`.
pub fn full_form(full: &Opportunity, based_on: Millis) -> OpenForm {
    let original = document::writable_part(&full.document);
    let fields: Vec<(FullField, Field)> = FullField::ALL
        .into_iter()
        .map(|key| {
            let lock = rules::path_lock(&full.summary, key.path());
            (key, field_for(key, &original).locked_by(lock))
        })
        .collect();
    let row = &full.summary;
    let mut form = Form::new(format!("Edit {} {}", row.id, row.customer), fields);
    let mut notes = Vec::new();
    if let Some(comments) = &row.review_comments {
        notes.push(format!("AWS asks: {comments}"));
    }
    if FullField::ALL
        .into_iter()
        .any(|f| form.field(f).locked.is_some())
    {
        notes.push(match row.review_status {
            Some(vocab::ReviewStatus::ActionRequired) => "Locked while Action Required: all but the address, website, close date, spend, business problem and partner reference.".into(),
            Some(vocab::ReviewStatus::Approved) => "Locked since AWS approved it: website, industry, postal code, country, title, business problem, partner reference.".into(),
            _ => FullField::ALL
                .into_iter()
                .find_map(|f| form.field(f).locked.clone())
                .unwrap_or_default(),
        });
    }
    form.body.note = (!notes.is_empty()).then(|| notes.join("\n"));
    let first_open = [FullField::Website, FullField::CompanyName]
        .into_iter()
        .chain(FullField::ALL)
        .find(|f| form.field(*f).locked.is_none());
    let start = match row.review_status {
        Some(vocab::ReviewStatus::ActionRequired) => first_open,
        _ => FullField::ALL
            .into_iter()
            .find(|f| form.field(*f).locked.is_none()),
    };
    if let Some(start) = start {
        form.focus_on(start);
    }
    OpenForm::Full {
        id: row.id.clone(),
        based_on,
        original,
        form,
    }
}

fn parse_spend(text: &str) -> Result<Value, String> {
    let mut lines = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let mut words = line.split_whitespace();
        let amount = words.next().unwrap_or_default();
        let Some(currency) = words.next() else {
            return Err(format!(
                "'{line}': an amount and a currency, e.g. 12000 USD"
            ));
        };
        if !rules::valid_amount(amount) {
            return Err(format!(
                "'{amount}' is not an amount, e.g. 12000 or 12000.50"
            ));
        }
        let (urls, target): (Vec<&str>, Vec<&str>) = words.partition(|w| w.starts_with("http"));
        let mut entry = json!({
            "Amount": amount,
            "CurrencyCode": currency.to_uppercase(),
            "Frequency": "Monthly",
            "TargetCompany": if target.is_empty() { "AWS".to_string() } else { target.join(" ") },
        });
        if let Some(url) = urls.first() {
            entry["EstimationUrl"] = json!(url);
        }
        lines.push(entry);
    }
    Ok(if lines.is_empty() {
        Value::Null
    } else {
        Value::Array(lines)
    })
}

fn parse_contacts(text: &str) -> Result<Value, String> {
    let mut contacts = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let parts: Vec<&str> = line.split('|').map(str::trim).collect();
        let (first, last) = parts[0].split_once(' ').unwrap_or((parts[0], ""));
        let mut contact = Map::new();
        let mut put = |key: &str, value: &str| {
            if !value.is_empty() {
                contact.insert(key.to_string(), json!(value));
            }
        };
        put("FirstName", first);
        put("LastName", last.trim());
        put("Email", parts.get(1).copied().unwrap_or_default());
        put("BusinessTitle", parts.get(2).copied().unwrap_or_default());
        put("Phone", parts.get(3).copied().unwrap_or_default());
        if contact
            .get("Email")
            .is_some_and(|e| !e.to_string().contains('@'))
        {
            return Err(format!("'{line}': the second part is an email address"));
        }
        contacts.push(Value::Object(contact));
    }
    Ok(if contacts.is_empty() {
        Value::Null
    } else {
        Value::Array(contacts)
    })
}

/// The member's new value as the field holds it (null: absent).
pub fn value_of(key: FullField, field: &Field) -> Result<Value, String> {
    let text = field.value().trim().to_string();
    let text_or_null = |t: String| if t.is_empty() { Value::Null } else { json!(t) };
    match key.shape() {
        Shape::Line(_) | Shape::Lines(_) | Shape::OneOf | Shape::Country | Shape::Currency => {
            Ok(text_or_null(text))
        }
        Shape::Multi(_) => {
            let chosen = field.chosen();
            Ok(if chosen.is_empty() {
                Value::Null
            } else {
                json!(chosen)
            })
        }
        Shape::List => document::value_for(key.path(), &Kind::List, &text),
        Shape::Spend => parse_spend(&text),
        Shape::Contacts => parse_contacts(&text),
        Shape::Months => match text.parse::<u32>() {
            _ if text.is_empty() => Ok(Value::Null),
            Ok(months) if (1..=144).contains(&months) => {
                Ok(json!({"Term": "Months", "Value": months.to_string()}))
            }
            _ => Err("a number of months from 1 to 144".into()),
        },
    }
}

/// Lists compare as sets where their order carries no meaning (ticked options).
fn same(key: FullField, old: &Value, new: &Value) -> bool {
    match (key.shape(), old, new) {
        (Shape::Multi(_), Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().all(|v| b.contains(v))
        }
        _ => old == new,
    }
}

/// The change the form asks for, as a patch and the paths it changes; or each bad field marked.
pub fn patch_from(
    form: &mut Form<FullField>,
    original: &Value,
    today: &str,
) -> Option<(Value, Vec<String>)> {
    let mut patch = Value::Object(Map::new());
    let mut paths = Vec::new();
    let mut bad = false;
    for key in FullField::ALL {
        let field = form.field(key);
        if field.locked.is_some() {
            continue;
        }
        match value_of(key, field) {
            Ok(new) => {
                let old = document::get(original, key.path())
                    .cloned()
                    .unwrap_or(Value::Null);
                if !same(key, &old, &new) {
                    document::set(&mut patch, key.path(), new);
                    paths.push(key.path().to_string());
                }
            }
            Err(problem) => {
                form.set_error(key, problem);
                bad = true;
            }
        }
    }
    if bad {
        return None;
    }
    let mut after = original.clone();
    document::merge(&mut after, &patch);
    let mut problems: Vec<(String, String)> = rules::document_problems(original, &after, today);
    problems.extend(
        document::check(&after, Request::Update)
            .into_iter()
            .map(|f| (f.path.clone(), f.to_string())),
    );
    for (path, problem) in &problems {
        if let Some(key) = FullField::for_path(path) {
            form.set_error(key, problem.clone());
        }
    }
    if problems.is_empty() {
        Some((patch, paths))
    } else {
        None
    }
}

/// Whether any field of the form is not locked: a record AWS is reviewing has none.
pub fn any_open(form: &Form<FullField>) -> bool {
    FullField::ALL
        .into_iter()
        .any(|f| form.field(f).locked.is_none())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_path_is_a_member_its_request_takes() {
        for key in FullField::ALL {
            assert!(
                document::member(Request::Update, key.path()).is_some(),
                "{key:?}"
            );
        }
        for key in FullField::CREATE_MORE {
            assert!(
                document::member(Request::Create, key.path()).is_some(),
                "{key:?}"
            );
        }
    }

    #[test]
    fn spend_and_contact_lines_read_back_as_they_were_written() {
        let spend = json!([
            {"Amount": "12000", "CurrencyCode": "USD", "Frequency": "Monthly", "TargetCompany": "AWS"},
            {"Amount": "300", "CurrencyCode": "EUR", "Frequency": "Monthly", "TargetCompany": "Acme Resale",
             "EstimationUrl": "https://calculator.aws/#/estimate?id=0123456789abcdef0123456789abcdef"},
        ]);
        assert_eq!(parse_spend(&spend_text(Some(&spend))), Ok(spend));
        let contacts = json!([
            {"FirstName": "Ada", "LastName": "Byron", "Email": "ada@example.com", "BusinessTitle": "CTO", "Phone": "+15125550100"},
            {"FirstName": "Bo", "Email": "bo@example.com"},
        ]);
        assert_eq!(
            parse_contacts(&contacts_text(Some(&contacts))),
            Ok(contacts)
        );
        assert!(parse_spend("12k USD").is_err());
        assert!(parse_contacts("Ada | not-an-email").is_err());
    }
}
