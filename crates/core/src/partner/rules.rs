//! Partner Central's rules, known to the client so the UI can explain a refusal before sending:
//! review-status locks, the fields of a new opportunity and their limits, the enums' values.

use serde::{Deserialize, Serialize};

use super::types::{Millis, Money, OpportunityEdit, OpportunitySummary, Referral};
use super::vocab::{Industry, InvitationStatus, OpportunityType, PayloadType, ReviewStatus};

/// Common country codes first; any ISO code the API accepts can be typed.
pub const COUNTRIES: [&str; 20] = [
    "US", "CA", "GB", "DE", "FR", "JP", "AU", "IN", "BR", "SG", "NL", "SE", "ES", "IT", "MX", "KR",
    "IE", "CH", "NZ", "ZA",
];

pub const CURRENCIES: [&str; 10] = [
    "USD", "EUR", "GBP", "JPY", "AUD", "CAD", "INR", "BRL", "SGD", "CHF",
];

/// The editable things the TUI changes on an existing opportunity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditField {
    Stage,
    NextSteps,
    TargetCloseDate,
    /// Customer.Account.WebsiteUrl: with the business problem, what AWS's review asks about most.
    Website,
    /// Project.CustomerBusinessProblem.
    BusinessProblem,
}

impl EditField {
    /// The document paths the field writes.
    pub fn paths(self) -> &'static [&'static str] {
        match self {
            EditField::Stage => &["LifeCycle.Stage", "LifeCycle.ClosedLostReason"],
            EditField::NextSteps => &["LifeCycle.NextSteps"],
            EditField::TargetCloseDate => &["LifeCycle.TargetCloseDate"],
            EditField::Website => &["Customer.Account.WebsiteUrl"],
            EditField::BusinessProblem => &["Project.CustomerBusinessProblem"],
        }
    }
}

/// What an Action Required record still takes (api.md §6.1), as document paths: a path is
/// editable when it is one of these or lies below one.
pub const ANSWERS_REVIEW: [&str; 10] = [
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

/// What AWS freezes once it approves a record (api.md §6.1).
pub const FROZEN_WHEN_APPROVED: [&str; 7] = [
    "Customer.Account.Address.CountryCode",
    "Customer.Account.Address.PostalCode",
    "Customer.Account.Industry",
    "Customer.Account.WebsiteUrl",
    "Project.CustomerBusinessProblem",
    "Project.Title",
    "PartnerOpportunityIdentifier",
];

fn within(path: &str, listed: &[&str]) -> bool {
    listed.iter().any(|l| {
        path == *l
            || path
                .strip_prefix(l)
                .is_some_and(|rest| rest.starts_with(['.', '[']))
    })
}

/// Why the member at `path` cannot change in the opportunity's review status, or None when it
/// can.
pub fn path_lock(opportunity: &OpportunitySummary, path: &str) -> Option<String> {
    let review = opportunity
        .review_status
        .clone()
        .unwrap_or(ReviewStatus::PendingSubmission);
    let id = &opportunity.id;
    match review {
        ReviewStatus::Submitted | ReviewStatus::InReview => Some(format!(
            "{id} is {review}: AWS is reviewing it, and Partner Central refuses every change until the review ends."
        )),
        ReviewStatus::Rejected => Some(format!(
            "{id} was rejected by AWS and is read-only. Create a new opportunity if the need remains."
        )),
        ReviewStatus::ActionRequired if !within(path, &ANSWERS_REVIEW) => Some(format!(
            "{id} is Action Required: only the address, website, target close date, expected spend, business problem and partner reference can change until AWS reviews it again."
        )),
        ReviewStatus::Approved if within(path, &FROZEN_WHEN_APPROVED) => Some(format!(
            "{id} is Approved: AWS froze its website, industry, address, title, business problem and partner reference when it approved it."
        )),
        _ => None,
    }
}

/// Why `edit` cannot be made in the opportunity's review status, or None when it can.
pub fn edit_lock(opportunity: &OpportunitySummary, edit: &OpportunityEdit) -> Option<String> {
    edit.paths()
        .iter()
        .find_map(|path| path_lock(opportunity, path))
}

/// Why `field` cannot be edited in the opportunity's review status, or None when it can.
pub fn lock_reason(opportunity: &OpportunitySummary, field: EditField) -> Option<String> {
    field
        .paths()
        .iter()
        .find_map(|path| path_lock(opportunity, path))
}

/// The fields of a new opportunity: one descriptor shared by the create form (its fields and
/// their order), the draft, the validation below and the API member each maps to, so a server
/// error lands on the field that caused it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DraftField {
    Company,
    Country,
    Industry,
    Website,
    PostalCode,
    StateOrRegion,
    Title,
    BusinessProblem,
    MonthlySpend,
    Currency,
    PrimaryNeeds,
    OpportunityType,
    TargetClose,
    PartnerReference,
}

impl DraftField {
    /// In the order the form shows them.
    pub const ALL: [DraftField; 14] = [
        DraftField::Company,
        DraftField::Country,
        DraftField::Industry,
        DraftField::Website,
        DraftField::PostalCode,
        DraftField::StateOrRegion,
        DraftField::Title,
        DraftField::BusinessProblem,
        DraftField::MonthlySpend,
        DraftField::Currency,
        DraftField::PrimaryNeeds,
        DraftField::OpportunityType,
        DraftField::TargetClose,
        DraftField::PartnerReference,
    ];

    pub fn label(self) -> &'static str {
        match self {
            DraftField::Company => "Customer company",
            DraftField::Country => "Country",
            DraftField::Industry => "Industry",
            DraftField::Website => "Website",
            DraftField::PostalCode => "Postal code",
            DraftField::StateOrRegion => "State / region",
            DraftField::Title => "Project title",
            DraftField::BusinessProblem => "Business problem",
            DraftField::MonthlySpend => "Monthly spend",
            DraftField::Currency => "Currency",
            DraftField::PrimaryNeeds => "Primary needs from AWS",
            DraftField::OpportunityType => "Opportunity type",
            DraftField::TargetClose => "Target close date",
            DraftField::PartnerReference => "Partner reference",
        }
    }

    /// The CreateOpportunity member the field fills.
    pub fn api_path(self) -> &'static str {
        match self {
            DraftField::Company => "Customer.Account.CompanyName",
            DraftField::Country => "Customer.Account.Address.CountryCode",
            DraftField::Industry => "Customer.Account.Industry",
            DraftField::Website => "Customer.Account.WebsiteUrl",
            DraftField::PostalCode => "Customer.Account.Address.PostalCode",
            DraftField::StateOrRegion => "Customer.Account.Address.StateOrRegion",
            DraftField::Title => "Project.Title",
            DraftField::BusinessProblem => "Project.CustomerBusinessProblem",
            DraftField::MonthlySpend => "Project.ExpectedCustomerSpend[0].Amount",
            DraftField::Currency => "Project.ExpectedCustomerSpend[0].CurrencyCode",
            DraftField::PrimaryNeeds => "PrimaryNeedsFromAws",
            DraftField::OpportunityType => "OpportunityType",
            DraftField::TargetClose => "LifeCycle.TargetCloseDate",
            DraftField::PartnerReference => "PartnerOpportunityIdentifier",
        }
    }

    /// The field an API member path (as a ValidationException names it) belongs to: the field
    /// whose member it is or lies under; the rest of an expected-spend line is the amount's.
    pub fn for_path(path: &str) -> Option<DraftField> {
        let under = |member: &str| {
            path == member
                || path.starts_with(&format!("{member}."))
                || path.starts_with(&format!("{member}["))
        };
        DraftField::ALL
            .into_iter()
            .find(|f| under(f.api_path()))
            .or_else(|| under("Project.ExpectedCustomerSpend").then_some(DraftField::MonthlySpend))
    }
}

/// A new opportunity as the create form collects it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct OpportunityDraft {
    pub company: String,
    pub country: String,
    pub industry: String,
    pub website: String,
    pub postal_code: String,
    pub state_or_region: String,
    pub title: String,
    pub business_problem: String,
    pub monthly_spend: Money,
    pub primary_needs: Vec<String>,
    pub opportunity_type: String,
    pub target_close: String,
    pub partner_reference: String,
    /// Every other member the opportunity is created with, as a partial document (contacts,
    /// team, marketing, software revenue, further spend lines, …).
    #[serde(default)]
    pub more: serde_json::Value,
}

pub fn valid_date(text: &str) -> bool {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| text[r].parse::<u32>().ok();
    match (num(0..4), num(5..7), num(8..10)) {
        (Some(y), Some(m), Some(d)) => {
            let days = match m {
                1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
                4 | 6 | 9 | 11 => 30,
                2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
                2 => 28,
                _ => return false,
            };
            y >= 1000 && d >= 1 && d <= days
        }
        _ => false,
    }
}

/// The API's amount format: digits, optionally two decimals.
pub fn valid_amount(text: &str) -> bool {
    let (whole, cents) = text.split_once('.').unwrap_or((text, ""));
    !whole.is_empty()
        && whole.len() <= 31
        && whole.chars().all(|c| c.is_ascii_digit())
        && (whole == "0" || !whole.starts_with('0'))
        && cents.len() <= 2
        && cents.chars().all(|c| c.is_ascii_digit())
}

impl OpportunityDraft {
    /// The draft as CreateOpportunity's document: a Prospect, with one monthly spend line to AWS.
    pub fn document(&self) -> serde_json::Value {
        let mut doc = self.base_document();
        let mut more = self.more.clone();
        // Further spend lines follow the form's first instead of replacing it.
        let further = super::document::remove(&mut more, "Project.ExpectedCustomerSpend");
        if more.is_object() {
            super::document::merge(&mut doc, &more);
        }
        if let (Some(serde_json::Value::Array(lines)), Some(serde_json::Value::Array(spend))) =
            (further, doc.pointer_mut("/Project/ExpectedCustomerSpend"))
        {
            spend.extend(lines);
        }
        doc
    }

    fn base_document(&self) -> serde_json::Value {
        let trimmed = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
        serde_json::json!({
            "Customer": {"Account": {
                "CompanyName": self.company.trim(),
                "Industry": self.industry,
                "WebsiteUrl": self.website.trim(),
                "Address": {
                    "CountryCode": self.country,
                    "PostalCode": self.postal_code.trim(),
                    "StateOrRegion": trimmed(&self.state_or_region),
                },
            }},
            "Project": {
                "Title": self.title.trim(),
                "CustomerBusinessProblem": self.business_problem.trim(),
                "ExpectedCustomerSpend": [{
                    "Amount": self.monthly_spend.amount.trim(),
                    "CurrencyCode": self.monthly_spend.currency,
                    "Frequency": "Monthly",
                    "TargetCompany": "AWS",
                }],
            },
            "PrimaryNeedsFromAws": self.primary_needs,
            "OpportunityType": self.opportunity_type,
            "LifeCycle": {"Stage": "Prospect", "TargetCloseDate": self.target_close},
            "PartnerOpportunityIdentifier": trimmed(&self.partner_reference),
        })
    }

    /// Problems by field, against the API's rules and what AWS needs before submission (so a
    /// created opportunity can be submitted without another round).
    pub fn problems(&self, today: &str) -> Vec<(DraftField, String)> {
        let mut out = Vec::new();
        let chars = |s: &str| s.chars().count();
        let company = self.company.trim();
        if company.is_empty() {
            out.push((DraftField::Company, "required".to_string()));
        } else if chars(company) > 120 {
            out.push((
                DraftField::Company,
                format!("at most 120 characters ({})", chars(company)),
            ));
        }
        if self.country.len() != 2 || !self.country.chars().all(|c| c.is_ascii_uppercase()) {
            out.push((
                DraftField::Country,
                "a two-letter ISO country code, e.g. US".to_string(),
            ));
        }
        if !Industry::VALUES.contains(&self.industry.as_str()) {
            out.push((DraftField::Industry, "pick an industry".to_string()));
        }
        if let Some(problem) = website_problem(&self.website) {
            out.push((DraftField::Website, problem));
        }
        if self.postal_code.trim().is_empty() {
            out.push((
                DraftField::PostalCode,
                "required before AWS accepts a submission".to_string(),
            ));
        } else if chars(&self.postal_code) > 20 {
            out.push((DraftField::PostalCode, "at most 20 characters".to_string()));
        }
        if self.country == "US" && self.state_or_region.trim().is_empty() {
            out.push((
                DraftField::StateOrRegion,
                "required for US customers".to_string(),
            ));
        }
        out.extend(self.project_problems());
        if !valid_amount(self.monthly_spend.amount.trim()) {
            out.push((
                DraftField::MonthlySpend,
                "a whole amount, optionally with two decimals, e.g. 12000".to_string(),
            ));
        }
        if self.monthly_spend.currency.len() != 3 {
            out.push((
                DraftField::Currency,
                "a three-letter currency code, e.g. USD".to_string(),
            ));
        }
        if !OpportunityType::VALUES.contains(&self.opportunity_type.as_str()) {
            out.push((
                DraftField::OpportunityType,
                "pick an opportunity type".to_string(),
            ));
        }
        if let Some(problem) = close_date_problem(&self.target_close, today) {
            out.push((DraftField::TargetClose, problem));
        }
        if chars(&self.partner_reference) > 64 {
            out.push((
                DraftField::PartnerReference,
                "at most 64 characters".to_string(),
            ));
        }
        out.sort_by_key(|(field, _)| DraftField::ALL.iter().position(|f| f == field));
        out
    }

    fn project_problems(&self) -> Vec<(DraftField, String)> {
        let mut out = Vec::new();
        let title = self.title.trim();
        if title.is_empty() {
            out.push((DraftField::Title, "required".to_string()));
        } else if title.chars().count() > 255 {
            out.push((
                DraftField::Title,
                format!("at most 255 characters ({})", title.chars().count()),
            ));
        }
        if let Some(problem) = business_problem_problem(&self.business_problem) {
            out.push((DraftField::BusinessProblem, problem));
        }
        out
    }

    /// The website's host, lower-cased and without `www.`, for duplicate detection.
    pub fn domain(&self) -> Option<String> {
        domain_of(&self.website)
    }
}

/// AWS takes at most this many characters of rejection reason (the reason and any details).
pub const REJECTION_LIMIT: usize = 80;

/// The rejection reason sent to AWS: the chosen reason, and the details after a colon.
pub fn rejection_text(reason: &str, details: &str) -> String {
    let details = details.trim();
    if details.is_empty() {
        reason.to_string()
    } else {
        format!("{reason}: {details}")
    }
}

/// What is wrong with a customer website, if anything (the create form and the edit share it).
pub fn website_problem(website: &str) -> Option<String> {
    let website = website.trim();
    let length = website.chars().count();
    if !(4..=255).contains(&length) || !website.contains('.') || website.contains(' ') {
        Some("a website such as https://example.com (4-255 characters)".to_string())
    } else {
        None
    }
}

/// What is wrong with a customer business problem, if anything: 20 to 2000 characters.
pub fn business_problem_problem(text: &str) -> Option<String> {
    let length = text.trim().chars().count();
    (!(20..=2000).contains(&length)).then(|| format!("20 to 2000 characters ({length} now)"))
}

/// What is wrong with a target close date typed on `today`, if anything: every date entry
/// (create, the close-date edit, a bulk file) applies the same rule.
pub fn close_date_problem(date: &str, today: &str) -> Option<String> {
    if !valid_date(date) {
        Some("a date as YYYY-MM-DD".to_string())
    } else if date < today {
        Some(format!("must not be in the past (today is {today})"))
    } else {
        None
    }
}

pub fn domain_of(url: &str) -> Option<String> {
    let rest = url.trim().to_lowercase();
    let rest = rest
        .strip_prefix("https://")
        .or_else(|| rest.strip_prefix("http://"))
        .unwrap_or(&rest)
        .to_string();
    let host = rest
        .split(['/', '?', '#'])
        .next()?
        .trim_start_matches("www.")
        .to_string();
    (!host.is_empty()).then_some(host)
}

/// Company names compared loosely: case, punctuation and legal suffixes do not matter.
pub fn normalize_company(name: &str) -> String {
    let lower: String = name
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    lower
        .split_whitespace()
        .filter(|w| {
            !matches!(
                *w,
                "inc"
                    | "llc"
                    | "ltd"
                    | "corp"
                    | "corporation"
                    | "co"
                    | "gmbh"
                    | "sa"
                    | "plc"
                    | "the"
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether AWS has seen the opportunity (submitted at some point, so anything past Pending
/// Submission): only then does GetAwsOpportunitySummary have something to say.
pub fn shared_with_aws(o: &OpportunitySummary) -> bool {
    ReviewStatus::is_shared_with_aws(o.review_status.as_ref())
}

/// Live pipeline customers, normalized, each with one opportunity naming it.
pub type PipelineCustomers = std::collections::HashMap<String, String>;

pub fn pipeline_customers<'a>(
    opportunities: impl IntoIterator<Item = &'a OpportunitySummary>,
) -> PipelineCustomers {
    let mut names = PipelineCustomers::new();
    for o in opportunities {
        note_pipeline_customer(&mut names, o);
    }
    names
}

/// Adds an opportunity's customer to the index when it is live pipeline.
pub fn note_pipeline_customer(names: &mut PipelineCustomers, o: &OpportunitySummary) {
    if !o.is_open() {
        return;
    }
    let name = normalize_company(&o.customer);
    if !name.is_empty() {
        names.entry(name).or_insert_with(|| o.id.clone());
    }
}

/// The live opportunity that already names `customer`, if any: the duplicate hint.
pub fn pipeline_match<'a>(
    names: &'a PipelineCustomers,
    customer: Option<&str>,
) -> Option<&'a String> {
    names.get(&normalize_company(customer?))
}

/// The rules of a headless accept (`cosell referrals accept`): a pending referral is chosen when
/// it meets every rule given; within one rule, any listed value will do.
#[derive(Debug, Clone, Default)]
pub struct AcceptRules {
    /// Customer industry as the payload names it, compared without regard to case.
    pub industries: Vec<String>,
    /// Customer country code.
    pub countries: Vec<String>,
    pub payload_types: Vec<PayloadType>,
    /// Expected monthly spend at least this, in the referral's own currency.
    pub min_monthly_spend: Option<f64>,
    /// Matched against the project title, case-insensitively.
    pub title: Option<regex::Regex>,
    /// Expiring within this many milliseconds.
    pub expiring_within: Option<Millis>,
    /// Accept even when an open opportunity names the same customer.
    pub include_duplicates: bool,
}

/// What `AcceptRules` decides about a referral that meets them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Accept,
    /// Matches, but is not accepted: why, in words for the report.
    Hold(String),
}

impl AcceptRules {
    /// No rule at all: every pending referral would match.
    pub fn is_empty(&self) -> bool {
        self.industries.is_empty()
            && self.countries.is_empty()
            && self.payload_types.is_empty()
            && self.min_monthly_spend.is_none()
            && self.title.is_none()
            && self.expiring_within.is_none()
    }

    /// None when the referral is not a pending one these rules choose.
    pub fn judge(
        &self,
        referral: &Referral,
        pipeline: &PipelineCustomers,
        now: Millis,
    ) -> Option<Verdict> {
        if referral.status != Some(InvitationStatus::Pending) {
            return None;
        }
        let any = |wanted: &[String], value: Option<&str>| {
            wanted.is_empty()
                || value.is_some_and(|v| wanted.iter().any(|w| w.eq_ignore_ascii_case(v)))
        };
        let spend_ok = self.min_monthly_spend.is_none_or(|min| {
            referral
                .monthly_spend
                .as_ref()
                .is_some_and(|m| m.value() >= min)
        });
        let title_ok = self.title.as_ref().is_none_or(|re| {
            referral
                .project
                .as_deref()
                .or(referral.title.as_deref())
                .is_some_and(|t| re.is_match(t))
        });
        let window_ok = self
            .expiring_within
            .is_none_or(|w| referral.expires.is_some_and(|e| e - now <= w));
        let chosen = any(&self.industries, referral.industry.as_deref())
            && any(&self.countries, referral.country.as_deref())
            && (self.payload_types.is_empty()
                || referral
                    .payload_type
                    .as_ref()
                    .is_some_and(|p| self.payload_types.contains(p)))
            && spend_ok
            && title_ok
            && window_ok;
        if !chosen {
            return None;
        }
        if referral.expires.is_some_and(|e| e <= now) {
            return Some(Verdict::Hold("expired".into()));
        }
        if !self.include_duplicates
            && let Some(existing) = pipeline_match(pipeline, referral.customer.as_deref())
        {
            return Some(Verdict::Hold(format!(
                "{existing} already names this customer (--include-duplicates accepts anyway)"
            )));
        }
        Some(Verdict::Accept)
    }
}

/// What is wrong with the members a change touches, judged on the document it leaves: the
/// limits the API documents and the checks the TUI's forms make, by path. Members the change
/// does not touch are not judged, so a record that was already imperfect can still be edited.
pub fn document_problems(
    before: &serde_json::Value,
    after: &serde_json::Value,
    today: &str,
) -> Vec<(String, String)> {
    use super::document::{changes, get};
    let text = |path: &str| get(after, path).and_then(serde_json::Value::as_str);
    let mut out = Vec::new();
    let limit = |path: &str, max: usize, out: &mut Vec<(String, String)>| {
        if let Some(t) = text(path)
            && t.chars().count() > max
        {
            out.push((
                path.to_string(),
                format!("at most {max} characters ({} now)", t.chars().count()),
            ));
        }
    };
    for change in changes(before, after) {
        let path = change.path.as_str();
        match path {
            "Customer.Account.WebsiteUrl" => {
                if let Some(problem) = text(path).and_then(website_problem) {
                    out.push((path.to_string(), problem));
                }
            }
            "Project.CustomerBusinessProblem" => {
                if let Some(problem) = text(path).and_then(business_problem_problem) {
                    out.push((path.to_string(), problem));
                }
            }
            "LifeCycle.TargetCloseDate" => {
                if let Some(problem) = text(path).and_then(|d| close_date_problem(d, today)) {
                    out.push((path.to_string(), problem));
                }
            }
            "LifeCycle.Stage" | "LifeCycle.ClosedLostReason"
                if text("LifeCycle.Stage") == Some("Closed Lost")
                    && text("LifeCycle.ClosedLostReason").is_none()
                    && !out.iter().any(|(p, _)| p == "LifeCycle.ClosedLostReason") =>
            {
                out.push((
                    "LifeCycle.ClosedLostReason".to_string(),
                    "required when the stage is Closed Lost".to_string(),
                ));
            }
            "Customer.Account.CompanyName" => limit(path, 120, &mut out),
            "Project.Title" => limit(path, 255, &mut out),
            "LifeCycle.NextSteps" => limit(path, 255, &mut out),
            "PartnerOpportunityIdentifier" => limit(path, 64, &mut out),
            "Customer.Account.Address.PostalCode" => limit(path, 20, &mut out),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> OpportunityDraft {
        OpportunityDraft {
            company: "Acme".into(),
            country: "US".into(),
            industry: "Retail".into(),
            website: "https://acme.example.com".into(),
            postal_code: "98101".into(),
            state_or_region: "WA".into(),
            title: "Migration".into(),
            business_problem: "Forty servers must leave the data center.".into(),
            monthly_spend: Money {
                amount: "12000".into(),
                currency: "USD".into(),
            },
            primary_needs: vec![],
            opportunity_type: "Net New Business".into(),
            target_close: "2027-01-31".into(),
            partner_reference: String::new(),
            more: serde_json::Value::Null,
        }
    }

    #[test]
    fn further_members_join_the_draft_and_further_spend_lines_follow_its_first() {
        let mut d = draft();
        d.more = serde_json::json!({
            "Marketing": {"Source": "None"},
            "Project": {"ExpectedCustomerSpend": [
                {"Amount": "50", "CurrencyCode": "EUR", "Frequency": "Monthly", "TargetCompany": "AWS"}
            ], "DeliveryModels": ["Resell"]},
        });
        let doc = d.document();
        assert_eq!(doc["Marketing"]["Source"], "None");
        assert_eq!(
            doc["Project"]["DeliveryModels"],
            serde_json::json!(["Resell"])
        );
        assert_eq!(
            doc["Project"]["Title"], "Migration",
            "the draft's own members stay"
        );
        let amounts: Vec<&str> = doc["Project"]["ExpectedCustomerSpend"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["Amount"].as_str().unwrap())
            .collect();
        assert_eq!(amounts, ["12000", "50"]);
    }

    #[test]
    fn a_complete_draft_has_no_problems_and_each_rule_bites() {
        assert!(draft().problems("2026-11-26").is_empty());
        let mut d = draft();
        d.business_problem = "too short".into();
        d.state_or_region.clear();
        d.target_close = "2026-02-30".into();
        d.monthly_spend.amount = "12,000".into();
        let fields: Vec<DraftField> = d
            .problems("2026-11-26")
            .into_iter()
            .map(|(f, _)| f)
            .collect();
        assert_eq!(
            fields,
            vec![
                DraftField::StateOrRegion,
                DraftField::BusinessProblem,
                DraftField::MonthlySpend,
                DraftField::TargetClose
            ]
        );
        d.target_close = "2026-11-25".into();
        assert!(
            d.problems("2026-11-26")
                .iter()
                .any(|(f, m)| *f == DraftField::TargetClose && m.contains("past"))
        );
    }

    #[test]
    fn locks_follow_the_review_status() {
        let mut o = OpportunitySummary {
            id: "O1".into(),
            ..Default::default()
        };
        o.review_status = Some(ReviewStatus::InReview);
        assert!(
            lock_reason(&o, EditField::Stage)
                .unwrap()
                .contains("reviewing")
        );
        o.review_status = Some(ReviewStatus::ActionRequired);
        assert!(lock_reason(&o, EditField::Stage).is_some());
        assert!(lock_reason(&o, EditField::TargetCloseDate).is_none());
        o.review_status = Some(ReviewStatus::Approved);
        assert!(lock_reason(&o, EditField::Stage).is_none());
    }

    #[test]
    fn duplicates_compare_loosely() {
        assert_eq!(normalize_company("ACME, Inc."), normalize_company("Acme"));
        assert_eq!(
            domain_of("https://www.Acme.example.com/about").as_deref(),
            Some("acme.example.com")
        );
        assert_eq!(
            DraftField::for_path("Customer.Account.CompanyName"),
            Some(DraftField::Company)
        );
        assert_eq!(
            DraftField::for_path("Project.ExpectedCustomerSpend[0].Amount"),
            Some(DraftField::MonthlySpend)
        );
        assert_eq!(
            DraftField::for_path("Project.ExpectedCustomerSpend[0].TargetCompany"),
            Some(DraftField::MonthlySpend)
        );
        assert_eq!(
            DraftField::for_path("PartnerOpportunityIdentifier"),
            Some(DraftField::PartnerReference)
        );
    }

    fn pending(id: &str, industry: &str, country: &str, spend: &str, customer: &str) -> Referral {
        Referral {
            id: id.into(),
            status: Some(InvitationStatus::Pending),
            payload_type: Some(PayloadType::OpportunityInvitation),
            industry: Some(industry.into()),
            country: Some(country.into()),
            customer: Some(customer.into()),
            project: Some(format!("{customer} data platform")),
            monthly_spend: Some(Money {
                amount: spend.into(),
                currency: "USD".into(),
            }),
            expires: Some(10_000),
            ..Default::default()
        }
    }

    #[test]
    fn accept_rules_choose_by_every_rule_and_hold_duplicates_and_expired() {
        let pipeline = pipeline_customers(&[
            OpportunitySummary {
                id: "O1".into(),
                customer: "Contoso Ltd.".into(),
                stage: Some(super::super::vocab::Stage::Qualified),
                ..Default::default()
            },
            OpportunitySummary {
                id: "O2".into(),
                customer: "Fabrikam".into(),
                stage: Some(super::super::vocab::Stage::ClosedLost),
                ..Default::default()
            },
        ]);
        let rules = AcceptRules {
            industries: vec!["software and internet".into(), "Healthcare".into()],
            countries: vec!["US".into()],
            min_monthly_spend: Some(1000.0),
            ..Default::default()
        };
        let judge = |r: &Referral| rules.judge(r, &pipeline, 0);
        let fits = pending("a", "Software and Internet", "US", "5000", "Tailspin");
        assert_eq!(judge(&fits), Some(Verdict::Accept));
        assert_eq!(judge(&pending("b", "Retail", "US", "5000", "T")), None);
        assert_eq!(judge(&pending("c", "Healthcare", "DE", "5000", "T")), None);
        assert_eq!(judge(&pending("d", "Healthcare", "US", "999", "T")), None);
        let answered = Referral {
            status: Some(InvitationStatus::Accepted),
            ..fits.clone()
        };
        assert_eq!(judge(&answered), None);
        // A live opportunity for the same customer holds it; a lost one does not.
        let duplicate = pending("e", "Healthcare", "US", "5000", "CONTOSO");
        assert!(matches!(judge(&duplicate), Some(Verdict::Hold(why)) if why.starts_with("O1")));
        assert_eq!(
            judge(&pending("f", "Healthcare", "US", "5000", "Fabrikam Inc")),
            Some(Verdict::Accept)
        );
        let anyway = AcceptRules {
            include_duplicates: true,
            ..rules.clone()
        };
        assert_eq!(
            anyway.judge(&duplicate, &pipeline, 0),
            Some(Verdict::Accept)
        );
        assert_eq!(
            rules.judge(&fits, &pipeline, 20_000),
            Some(Verdict::Hold("expired".into()))
        );
        // Title and expiry windows.
        let titled = AcceptRules {
            title: Some(regex::Regex::new("(?i)\\bdata\\b").unwrap()),
            expiring_within: Some(5_000),
            ..Default::default()
        };
        assert!(!titled.is_empty() && AcceptRules::default().is_empty());
        assert_eq!(titled.judge(&fits, &pipeline, 6_000), Some(Verdict::Accept));
        assert_eq!(titled.judge(&fits, &pipeline, 1_000), None, "not due yet");
    }
}
