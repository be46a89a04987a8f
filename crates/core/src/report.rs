//! The pipeline report and the CRM export, computed from cached records (pure: no I/O, time
//! passed in), so their numbers can be checked against independent computations.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::partner::types::*;

const DAY: Millis = 86_400_000;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StageLine {
    pub stage: String,
    pub count: usize,
    /// Expected monthly spend by currency.
    pub monthly_spend: BTreeMap<String, f64>,
    /// Benefit funding for the stage's opportunities, in USD.
    pub funding: Funding,
}

/// Benefit funding in USD: asked for by live applications (not rejected or canceled), asked
/// for by approved ones, and allocated.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Default)]
pub struct Funding {
    pub applications: usize,
    pub requested: f64,
    pub approved: f64,
    pub allocated: f64,
}

/// The benefit applications and allocations a report counts, as the cache keeps them.
#[derive(Debug, Clone, Copy, Default)]
pub struct FundingRecords<'a> {
    pub applications: &'a [BenefitApplication],
    pub allocations: &'a [BenefitAllocation],
}

/// The leading number of an amount as the API writes it ("5000", "5000 USD", "1,200.50").
fn amount(text: &str) -> f64 {
    let number: String = text
        .trim()
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',')
        .filter(|c| *c != ',')
        .collect();
    number.parse().unwrap_or(0.0)
}

/// Funding by opportunity id: each application counts for the opportunities it names.
fn funding_by_opportunity(records: FundingRecords) -> BTreeMap<String, Funding> {
    let mut by: BTreeMap<String, Funding> = BTreeMap::new();
    for a in records.applications {
        let live = !matches!(a.status.as_str(), "REJECTED" | "CANCELED");
        let asked = a.requested.as_deref().map(amount).unwrap_or(0.0);
        let allocated: f64 = records
            .allocations
            .iter()
            .filter(|x| x.application_id.as_deref() == Some(a.id.as_str()))
            .filter_map(|x| x.amount.as_deref())
            .map(amount)
            .sum();
        for resource in &a.resources {
            let Some((_, id)) = resource.rsplit_once("/opportunity/") else {
                continue;
            };
            let f = by.entry(id.to_string()).or_default();
            f.applications += 1;
            if live {
                f.requested += asked;
            }
            if a.status == "APPROVED" {
                f.approved += asked;
            }
            f.allocated += allocated;
        }
    }
    by
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Flagged {
    pub id: String,
    pub customer: String,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PipelineReport {
    pub generated: String,
    pub opportunities: usize,
    pub by_stage: Vec<StageLine>,
    pub past_due: Vec<Flagged>,
    pub stale: Vec<Flagged>,
    pub action_required: Vec<Flagged>,
    pub referrals_expiring_72h: Vec<Flagged>,
    /// Accepted over answered-or-expired referrals received, when there are any.
    pub referral_acceptance_rate: Option<f64>,
}

pub fn pipeline(
    opportunities: &[OpportunitySummary],
    referrals: &[Referral],
    funding: FundingRecords,
    now: Millis,
) -> PipelineReport {
    PipelineReport {
        generated: crate::times::date_time(now),
        opportunities: opportunities.len(),
        by_stage: by_stage(opportunities, &funding_by_opportunity(funding)),
        past_due: past_due(opportunities, &crate::times::today(now)),
        stale: stale(opportunities, now),
        action_required: action_required(opportunities),
        referrals_expiring_72h: expiring(referrals, now),
        referral_acceptance_rate: acceptance_rate(referrals),
    }
}

fn flag(o: &OpportunitySummary, detail: String) -> Flagged {
    Flagged {
        id: o.id.clone(),
        customer: o.customer.clone(),
        detail,
    }
}

/// Every stage the API has, in funnel order, then any other stage the records carry.
fn by_stage(
    opportunities: &[OpportunitySummary],
    funding: &BTreeMap<String, Funding>,
) -> Vec<StageLine> {
    let mut by_stage: Vec<StageLine> = Stage::VALUES
        .iter()
        .map(|s| StageLine {
            stage: s.to_string(),
            count: 0,
            monthly_spend: BTreeMap::new(),
            funding: Funding::default(),
        })
        .collect();
    for o in opportunities {
        let stage = o
            .stage
            .as_ref()
            .map_or_else(|| "(none)".to_string(), Stage::to_string);
        let line = match by_stage.iter_mut().position(|l| l.stage == stage) {
            Some(i) => &mut by_stage[i],
            None => {
                by_stage.push(StageLine {
                    stage,
                    count: 0,
                    monthly_spend: BTreeMap::new(),
                    funding: Funding::default(),
                });
                by_stage.last_mut().expect("just pushed")
            }
        };
        line.count += 1;
        if let Some(f) = funding.get(&o.id) {
            line.funding.applications += f.applications;
            line.funding.requested += f.requested;
            line.funding.approved += f.approved;
            line.funding.allocated += f.allocated;
        }
        if let Some(m) = &o.monthly_spend {
            *line.monthly_spend.entry(m.currency.clone()).or_default() += m.value();
        }
    }
    by_stage
}

fn past_due(opportunities: &[OpportunitySummary], today: &str) -> Vec<Flagged> {
    let mut past_due: Vec<Flagged> = opportunities
        .iter()
        .filter(|o| o.is_open() && o.target_close.as_deref().is_some_and(|d| d < today))
        .map(|o| {
            let close = o.target_close.as_deref().unwrap_or("");
            flag(o, format!("target close {close}"))
        })
        .collect();
    past_due.sort_by(|a, b| a.detail.cmp(&b.detail));
    past_due
}

fn stale(opportunities: &[OpportunitySummary], now: Millis) -> Vec<Flagged> {
    opportunities
        .iter()
        .filter(|o| o.is_open() && o.last_modified.is_some_and(|m| now - m > 30 * DAY))
        .map(|o| {
            let days = (now - o.last_modified.unwrap_or(now)) / DAY;
            flag(o, format!("no update for {days} days"))
        })
        .collect()
}

fn action_required(opportunities: &[OpportunitySummary]) -> Vec<Flagged> {
    opportunities
        .iter()
        .filter(|o| o.review_status == Some(ReviewStatus::ActionRequired))
        .map(|o| {
            let why = o.review_comments.clone().or(o.review_reason.clone());
            flag(o, why.unwrap_or_default().into())
        })
        .collect()
}

/// Pending referrals expiring within three days, soonest first (as every list of deadlines is).
fn expiring(referrals: &[Referral], now: Millis) -> Vec<Flagged> {
    let mut due: Vec<&Referral> = referrals
        .iter()
        .filter(|r| {
            r.status == Some(InvitationStatus::Pending)
                && r.expires.is_some_and(|e| e > now && e - now <= 3 * DAY)
        })
        .collect();
    due.sort_by_key(|r| r.expires);
    due.into_iter()
        .map(|r| Flagged {
            id: r.id.clone(),
            customer: r.customer.clone().or(r.title.clone()).unwrap_or_default(),
            detail: format!(
                "{} left",
                crate::times::time_left(now, r.expires.unwrap_or(now))
            ),
        })
        .collect()
}

/// Accepted over answered-or-expired referrals, when there are any.
fn acceptance_rate(referrals: &[Referral]) -> Option<f64> {
    let decided = |s: InvitationStatus| {
        referrals
            .iter()
            .filter(|r| r.status.as_ref() == Some(&s))
            .count()
    };
    let accepted = decided(InvitationStatus::Accepted);
    let answered =
        accepted + decided(InvitationStatus::Rejected) + decided(InvitationStatus::Expired);
    (answered > 0).then(|| accepted as f64 / answered as f64)
}

fn money(spend: &BTreeMap<String, f64>) -> String {
    if spend.is_empty() {
        return "—".into();
    }
    spend
        .iter()
        .map(|(c, v)| {
            Money {
                amount: format!("{v:.0}"),
                currency: c.clone(),
            }
            .short()
        })
        .collect::<Vec<_>>()
        .join(" + ")
}

impl PipelineReport {
    pub fn markdown(&self) -> String {
        let mut out = format!(
            "# Pipeline report — {}\n\n{} opportunities.\n\n## By stage\n\n| Stage | Count | Expected monthly spend | Funding requested | Approved | Allocated |\n|---|---:|---|---:|---:|---:|\n",
            self.generated, self.opportunities
        );
        for line in &self.by_stage {
            let usd = |v: f64| {
                let spend = (v > 0.0).then(|| ("USD".to_string(), v));
                money(&spend.into_iter().collect())
            };
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} |\n",
                line.stage,
                line.count,
                money(&line.monthly_spend),
                usd(line.funding.requested),
                usd(line.funding.approved),
                usd(line.funding.allocated)
            ));
        }
        let section = |out: &mut String, title: &str, items: &[Flagged]| {
            out.push_str(&format!("\n## {title} ({})\n\n", items.len()));
            if items.is_empty() {
                out.push_str("None.\n");
            }
            for f in items.iter().take(50) {
                out.push_str(&format!("- {} {}: {}\n", f.id, f.customer, f.detail));
            }
            if items.len() > 50 {
                out.push_str(&format!("- … and {} more\n", items.len() - 50));
            }
        };
        section(&mut out, "Past their target close date", &self.past_due);
        section(&mut out, "No update in 30 days", &self.stale);
        section(&mut out, "Action Required by AWS", &self.action_required);
        section(
            &mut out,
            "Referrals expiring within 72 hours",
            &self.referrals_expiring_72h,
        );
        out.push_str(&format!(
            "\n## Referrals\n\nAcceptance rate: {}\n",
            self.referral_acceptance_rate
                .map(|r| format!("{:.0}%", r * 100.0))
                .unwrap_or_else(|| "no answered referrals yet".into())
        ));
        out
    }

    pub fn csv(&self) -> String {
        // Funding is per stage, so it stands on the stage's first row only: summing a column
        // counts it once.
        let mut out = String::from(
            "stage,count,currency,expected_monthly_spend,funding_requested_usd,funding_approved_usd,funding_allocated_usd\n",
        );
        for line in &self.by_stage {
            let f = line.funding;
            let funding = format!("{:.2},{:.2},{:.2}", f.requested, f.approved, f.allocated);
            if line.monthly_spend.is_empty() {
                out.push_str(&format!(
                    "{},{},,0,{funding}\n",
                    csv_field(&line.stage),
                    line.count
                ));
            }
            for (i, (currency, total)) in line.monthly_spend.iter().enumerate() {
                let funding = if i == 0 { funding.as_str() } else { ",," };
                out.push_str(&format!(
                    "{},{},{currency},{total:.2},{funding}\n",
                    csv_field(&line.stage),
                    line.count
                ));
            }
        }
        out
    }
}

pub fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CrmMapping {
    Generic,
    Salesforce,
    Hubspot,
}

/// The guide's CRM record: name, stage, value, close date, owner, source (plus the id, so a CRM
/// can match records on the next export).
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct CrmRecord {
    pub id: String,
    pub name: String,
    pub stage: String,
    pub value: String,
    pub currency: String,
    pub close_date: String,
    pub owner: String,
    pub source: String,
}

/// One CRM record per opportunity. `origins` holds AWS's Origin (GetAwsOpportunitySummary) where
/// it was read; an opportunity AWS has no view of was entered by the partner.
pub fn crm_records(
    opportunities: &[OpportunitySummary],
    full: &[Opportunity],
    origins: &BTreeMap<String, String>,
) -> Vec<CrmRecord> {
    let owners: BTreeMap<&str, String> = full
        .iter()
        .filter_map(|o| {
            o.owner()
                .and_then(|c| c.email.clone())
                .map(|e| (o.summary.id.as_str(), e))
        })
        .collect();
    opportunities
        .iter()
        .map(|o| CrmRecord {
            id: o.id.clone(),
            name: o.customer.clone(),
            stage: o.stage.as_ref().map(Stage::to_string).unwrap_or_default(),
            value: o
                .monthly_spend
                .as_ref()
                .map(|m| m.amount.clone())
                .unwrap_or_default(),
            currency: o
                .monthly_spend
                .as_ref()
                .map(|m| m.currency.clone())
                .unwrap_or_default(),
            close_date: o.target_close.as_deref().unwrap_or_default().to_string(),
            owner: owners.get(o.id.as_str()).cloned().unwrap_or_default(),
            source: origins
                .get(&o.id)
                .cloned()
                .unwrap_or_else(|| "Partner Referral".into()),
        })
        .collect()
}

fn salesforce_stage(stage: &str) -> &str {
    match stage {
        "Prospect" => "Prospecting",
        "Qualified" => "Qualification",
        "Technical Validation" => "Needs Analysis",
        "Business Validation" => "Value Proposition",
        "Committed" => "Negotiation/Review",
        "Launched" => "Closed Won",
        "Closed Lost" => "Closed Lost",
        other => other,
    }
}

fn hubspot_stage(stage: &str) -> &str {
    match stage {
        "Prospect" => "appointmentscheduled",
        "Qualified" => "qualifiedtobuy",
        "Technical Validation" => "presentationscheduled",
        "Business Validation" => "decisionmakerboughtin",
        "Committed" => "contractsent",
        "Launched" => "closedwon",
        "Closed Lost" => "closedlost",
        other => other,
    }
}

/// The field names of a mapping, in the order `crm_fields` gives them.
pub fn crm_field_names(mapping: CrmMapping) -> Vec<&'static str> {
    crm_fields(&CrmRecord::default(), mapping)
        .into_iter()
        .map(|(name, _)| name)
        .collect()
}

/// Field names and values in the CRM's own terms.
pub fn crm_fields(record: &CrmRecord, mapping: CrmMapping) -> Vec<(&'static str, String)> {
    match mapping {
        CrmMapping::Generic => vec![
            ("id", record.id.clone()),
            ("name", record.name.clone()),
            ("stage", record.stage.clone()),
            ("value", record.value.clone()),
            ("currency", record.currency.clone()),
            ("close_date", record.close_date.clone()),
            ("owner", record.owner.clone()),
            ("source", record.source.clone()),
        ],
        CrmMapping::Salesforce => vec![
            ("AWS_Opportunity_Id__c", record.id.clone()),
            ("Name", record.name.clone()),
            ("StageName", salesforce_stage(&record.stage).to_string()),
            ("Amount", record.value.clone()),
            ("CurrencyIsoCode", record.currency.clone()),
            ("CloseDate", record.close_date.clone()),
            ("Owner_Email__c", record.owner.clone()),
            ("LeadSource", record.source.clone()),
        ],
        CrmMapping::Hubspot => vec![
            ("aws_opportunity_id", record.id.clone()),
            ("dealname", record.name.clone()),
            ("dealstage", hubspot_stage(&record.stage).to_string()),
            ("amount", record.value.clone()),
            ("deal_currency_code", record.currency.clone()),
            ("closedate", record.close_date.clone()),
            ("owner_email", record.owner.clone()),
            ("lead_source", record.source.clone()),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opp(
        id: &str,
        stage: &str,
        amount: &str,
        close: &str,
        modified: Millis,
        review: &str,
    ) -> OpportunitySummary {
        OpportunitySummary {
            id: id.into(),
            customer: format!("Customer {id}"),
            stage: Some(stage.into()),
            review_status: Some(review.into()),
            monthly_spend: Some(Money {
                amount: amount.into(),
                currency: "USD".into(),
            }),
            target_close: Some(close.into()),
            last_modified: Some(modified),
            ..Default::default()
        }
    }

    #[test]
    fn counts_sums_and_hygiene() {
        let now = 1_795_694_400_000; // 2026-11-26
        let opportunities = vec![
            opp("O1", "Qualified", "1000", "2026-10-01", now, "Approved"),
            opp(
                "O2",
                "Qualified",
                "2500.50",
                "2027-01-01",
                now - 40 * DAY,
                "Action Required",
            ),
            opp(
                "O3",
                "Launched",
                "700",
                "2026-01-01",
                now - 90 * DAY,
                "Approved",
            ),
        ];
        let referrals = vec![
            Referral {
                id: "r1".into(),
                status: Some("PENDING".into()),
                expires: Some(now + 10 * 3_600_000),
                ..Default::default()
            },
            Referral {
                id: "r2".into(),
                status: Some("ACCEPTED".into()),
                ..Default::default()
            },
            Referral {
                id: "r3".into(),
                status: Some("REJECTED".into()),
                ..Default::default()
            },
            Referral {
                id: "r4".into(),
                status: Some("PENDING".into()),
                expires: Some(now + 2 * 3_600_000),
                ..Default::default()
            },
        ];
        let arn =
            |id: &str| format!("arn:aws:partnercentral:us-east-1:1:catalog/AWS/opportunity/{id}");
        let application = |id: &str, status: &str, amount: &str, for_: &str| BenefitApplication {
            id: id.into(),
            status: status.into(),
            requested: Some(amount.into()),
            resources: vec![arn(for_)],
            ..Default::default()
        };
        let qualified_ids: Vec<&str> = opportunities
            .iter()
            .filter(|o| o.stage == Some(Stage::Qualified))
            .map(|o| o.id.as_str())
            .collect();
        assert_eq!(qualified_ids.len(), 2);
        let applications = vec![
            application("a1", "APPROVED", "12000", qualified_ids[0]),
            application("a2", "IN_REVIEW", "3,000.50", qualified_ids[1]),
            application("a3", "REJECTED", "999", qualified_ids[1]),
        ];
        let allocations = vec![BenefitAllocation {
            id: "x1".into(),
            application_id: Some("a1".into()),
            amount: Some("12000 USD".into()),
            ..Default::default()
        }];
        let funding = FundingRecords {
            applications: &applications,
            allocations: &allocations,
        };
        let report = pipeline(&opportunities, &referrals, funding, now);
        let f = report
            .by_stage
            .iter()
            .find(|l| l.stage == "Qualified")
            .unwrap()
            .funding;
        assert_eq!(f.applications, 3);
        assert_eq!(
            f.requested,
            12000.0 + 3000.5,
            "the rejected one asks nothing"
        );
        assert_eq!(f.approved, 12000.0);
        assert_eq!(f.allocated, 12000.0);
        assert!(
            report
                .by_stage
                .iter()
                .filter(|l| l.stage != "Qualified")
                .all(|l| l.funding == Funding::default()),
            "other stages have none"
        );
        let qualified = report
            .by_stage
            .iter()
            .find(|l| l.stage == "Qualified")
            .unwrap();
        assert_eq!(qualified.count, 2);
        assert_eq!(qualified.monthly_spend["USD"], 3500.5);
        assert_eq!(
            report
                .past_due
                .iter()
                .map(|f| f.id.as_str())
                .collect::<Vec<_>>(),
            vec!["O1"],
            "launched ones are not past due"
        );
        assert_eq!(
            report
                .stale
                .iter()
                .map(|f| f.id.as_str())
                .collect::<Vec<_>>(),
            vec!["O2"]
        );
        assert_eq!(report.action_required.len(), 1);
        assert_eq!(
            report
                .referrals_expiring_72h
                .iter()
                .map(|f| f.id.as_str())
                .collect::<Vec<_>>(),
            vec!["r4", "r1"],
            "soonest first"
        );
        assert_eq!(report.referral_acceptance_rate, Some(0.5));
        assert!(
            report
                .markdown()
                .contains("| Qualified | 2 | USD 3,500 | USD 15,000 | USD 12,000 | USD 12,000 |")
                || report.markdown().contains(
                    "| Qualified | 2 | USD 3,501 | USD 15,001 | USD 12,000 | USD 12,000 |"
                ),
            "{}",
            report.markdown()
        );
        assert!(
            report
                .csv()
                .contains("Qualified,2,USD,3500.50,15000.50,12000.00,12000.00"),
            "{}",
            report.csv()
        );
    }

    #[test]
    fn crm_mappings_use_each_crms_names() {
        let record = CrmRecord {
            id: "O1".into(),
            name: "Acme".into(),
            stage: "Committed".into(),
            value: "100".into(),
            currency: "USD".into(),
            close_date: "2027-01-01".into(),
            owner: "a@b.c".into(),
            source: "AWS Referral".into(),
        };
        let sf = crm_fields(&record, CrmMapping::Salesforce);
        assert!(sf.contains(&("StageName", "Negotiation/Review".into())));
        let hs = crm_fields(&record, CrmMapping::Hubspot);
        assert!(hs.contains(&("dealstage", "contractsent".into())));
        assert_eq!(csv_field("a,b"), "\"a,b\"");
    }
}
