//! cosell's own domain types. The client maps SDK types into these; the UI, the cache and the
//! headless commands only ever see these. Fields cosell reasons about are typed with the API's
//! vocabulary (`vocab`), whose `Unknown` variant keeps a value a newer service sends; fields only
//! shown (industry, country, the AWS-side stage) stay text.

use serde::{Deserialize, Serialize};

pub use super::vocab::*;

/// Milliseconds since the Unix epoch.
pub type Millis = i64;

/// What ListOpportunities is asked for: the API's own filters, so Partner Central does the
/// narrowing. The default asks for every opportunity.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct OpportunityQuery {
    /// Modified on or after this instant (AfterLastModifiedDate).
    pub modified_since: Option<Millis>,
    /// LifeCycle.Stage is one of these.
    pub stages: Vec<String>,
    /// LifeCycle.ReviewStatus is one of these.
    pub review_statuses: Vec<String>,
}

impl OpportunityQuery {
    pub fn modified_since(since: Option<Millis>) -> OpportunityQuery {
        OpportunityQuery {
            modified_since: since,
            ..OpportunityQuery::default()
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Money {
    pub amount: String,
    pub currency: String,
}

impl Money {
    pub fn value(&self) -> f64 {
        self.amount.parse().unwrap_or(0.0)
    }

    /// `USD 12,000` style, grouping the whole part; cents are dropped as noise for triage.
    pub fn short(&self) -> String {
        let whole = self.value().round() as i64;
        let digits = whole.abs().to_string();
        let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        let sign = if whole < 0 { "-" } else { "" };
        format!("{} {sign}{grouped}", self.currency)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct OpportunitySummary {
    pub id: String,
    pub arn: Option<Box<str>>,
    pub partner_reference: Option<Box<str>>,
    pub customer: String,
    pub industry: Option<Box<str>>,
    pub country: Option<Box<str>>,
    pub website: Option<Box<str>>,
    pub opportunity_type: Option<Box<str>>,
    pub stage: Option<Stage>,
    pub review_status: Option<ReviewStatus>,
    pub review_comments: Option<Box<str>>,
    pub review_reason: Option<Box<str>>,
    pub closed_lost_reason: Option<Box<str>>,
    pub next_steps: Option<Box<str>>,
    /// `YYYY-MM-DD`.
    pub target_close: Option<Box<str>>,
    pub monthly_spend: Option<Money>,
    pub created: Option<Millis>,
    pub last_modified: Option<Millis>,
    /// From the full record, once read (ListOpportunities returns neither).
    #[serde(default)]
    pub title: Option<Box<str>>,
    #[serde(default)]
    pub owner: Option<Box<str>>,
}

impl OpportunitySummary {
    /// Live pipeline: not Launched and not Closed Lost (a record without a stage counts as open).
    pub fn is_open(&self) -> bool {
        self.stage.as_ref().is_none_or(Stage::is_open)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Contact {
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub title: Option<String>,
    pub phone: Option<String>,
}

impl Contact {
    pub fn name(&self) -> String {
        let parts: Vec<&str> = [self.first_name.as_deref(), self.last_name.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        if parts.is_empty() {
            self.email.clone().unwrap_or_default()
        } else {
            parts.join(" ")
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct NextStep {
    pub value: String,
    pub time: Option<Millis>,
}

/// The full opportunity (GetOpportunity), as a read model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Opportunity {
    pub summary: OpportunitySummary,
    pub title: Option<String>,
    pub business_problem: Option<String>,
    pub use_case: Option<String>,
    pub city: Option<String>,
    pub postal_code: Option<String>,
    pub state_or_region: Option<String>,
    pub primary_needs: Vec<String>,
    pub delivery_models: Vec<String>,
    pub sales_activities: Vec<String>,
    pub competitor: Option<String>,
    pub customer_contacts: Vec<Contact>,
    pub team: Vec<Contact>,
    pub next_steps_history: Vec<NextStep>,
    pub solutions: Vec<String>,
    pub aws_products: Vec<String>,
    pub marketplace_entities: Vec<String>,
    /// The whole record as the API's JSON (see `partner::document`): what a full edit opens
    /// with and a patch is laid on. Null where only a summary was read.
    #[serde(default)]
    pub document: serde_json::Value,
}

impl Opportunity {
    /// The summary with what only the full record knows (title, owner) filled in.
    pub fn enriched_summary(&self) -> OpportunitySummary {
        OpportunitySummary {
            title: self.title.as_deref().map(Into::into),
            owner: self.owner().map(|c| c.name().into()),
            ..self.summary.clone()
        }
    }

    pub fn owner(&self) -> Option<&Contact> {
        self.team
            .iter()
            .find(|c| c.title.as_deref() == Some("OpportunityOwner"))
            .or(self.team.first())
    }
}

/// AWS's side of an opportunity (GetAwsOpportunitySummary).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct AwsView {
    pub opportunity_id: String,
    pub origin: Option<String>,
    pub involvement: Option<String>,
    pub visibility: Option<String>,
    pub stage: Option<String>,
    pub next_steps: Option<String>,
    pub engagement_score: Option<String>,
    pub next_best_actions: Option<String>,
    pub team: Vec<Contact>,
}

/// An engagement invitation: for a partner, usually an AWS referral.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Referral {
    pub id: String,
    pub arn: Option<String>,
    pub payload_type: Option<PayloadType>,
    pub engagement_id: Option<String>,
    pub title: Option<String>,
    pub status: Option<InvitationStatus>,
    pub invited: Option<Millis>,
    pub expires: Option<Millis>,
    pub sender_company: Option<String>,
    pub sender_account: Option<String>,
    pub participant: Option<ParticipantType>,
    /// From the invitation's payload, once its detail has been read (the list call has none).
    #[serde(default)]
    pub customer: Option<String>,
    #[serde(default)]
    pub industry: Option<String>,
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub project: Option<String>,
    #[serde(default)]
    pub monthly_spend: Option<Money>,
    /// An open opportunity that names the same customer, the usual reason to reject.
    #[serde(default)]
    pub duplicate_of: Option<String>,
    /// For an invitation this partner sent: the account it went to.
    #[serde(default)]
    pub receiver: Option<String>,
}

/// GetEngagementInvitation: the referral with its payload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ReferralDetail {
    pub referral: Referral,
    pub customer: Option<String>,
    pub industry: Option<String>,
    pub country: Option<String>,
    pub website: Option<String>,
    pub project_title: Option<String>,
    pub business_problem: Option<String>,
    pub target_date: Option<String>,
    pub monthly_spend: Option<Money>,
    pub responsibilities: Vec<String>,
    pub sender_contacts: Vec<Contact>,
    pub message: Option<String>,
    pub description: Option<String>,
    pub existing_members: Vec<String>,
    pub rejection_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Solution {
    pub id: String,
    pub arn: Option<String>,
    pub name: String,
    pub status: SolutionStatus,
    pub category: String,
    pub created: Option<Millis>,
    pub marketplace_arn: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ConnectionTypeState {
    pub connection_type: ConnectionType,
    pub status: ConnectionTypeStatus,
    pub other_name: Option<String>,
    pub created: Option<Millis>,
    pub canceled: Option<Millis>,
    pub inviter: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Connection {
    pub id: String,
    pub arn: Option<String>,
    pub other_account: String,
    pub other_name: Option<String>,
    pub types: Vec<ConnectionTypeState>,
    pub updated: Option<Millis>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ConnectionInvitation {
    pub id: String,
    pub arn: Option<String>,
    pub connection_type: ConnectionType,
    /// SENDER when this partner sent it, RECEIVER when it was received.
    pub direction: ParticipantType,
    pub other: String,
    pub status: ConnectionInvitationStatus,
    pub created: Option<Millis>,
    pub updated: Option<Millis>,
    pub expires: Option<Millis>,
    pub connection_id: Option<String>,
    pub message: Option<String>,
    pub inviter_name: Option<String>,
    pub inviter_email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Partner {
    pub id: String,
    pub arn: String,
    pub legal_name: String,
    pub display_name: Option<String>,
    pub description: Option<String>,
    pub website: Option<String>,
    pub primary_solution_type: Option<String>,
    pub industry_segments: Vec<String>,
    pub training_domains: Vec<String>,
    pub alliance_lead: Option<Contact>,
}

/// An asynchronous Partner Central task (accepting a referral, submitting an opportunity).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct TaskState {
    pub id: String,
    pub status: TaskStatus,
    pub message: Option<String>,
    pub reason: Option<String>,
    pub opportunity_id: Option<String>,
    pub engagement_id: Option<String>,
    pub invitation_id: Option<String>,
}

impl TaskState {
    pub fn finished(&self) -> bool {
        self.status != TaskStatus::InProgress
    }
}

/// What an opportunity can be associated with (RelatedEntityType).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkKind {
    Solution,
    AwsProduct,
    MarketplaceOffer,
    MarketplaceOfferSet,
}

impl LinkKind {
    /// The API's RelatedEntityType value.
    pub fn api_name(self) -> &'static str {
        match self {
            LinkKind::Solution => "Solutions",
            LinkKind::AwsProduct => "AwsProducts",
            LinkKind::MarketplaceOffer => "AwsMarketplaceOffers",
            LinkKind::MarketplaceOfferSet => "AwsMarketplaceOfferSets",
        }
    }

    /// How many of this kind one opportunity may have (api.md §9).
    pub fn cap(self) -> usize {
        match self {
            LinkKind::Solution => 10,
            LinkKind::AwsProduct => 20,
            LinkKind::MarketplaceOffer | LinkKind::MarketplaceOfferSet => 1,
        }
    }
}

/// A change to one field of an existing opportunity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum OpportunityEdit {
    Stage {
        stage: Stage,
        closed_lost_reason: Option<ClosedLostReason>,
    },
    NextSteps(String),
    TargetCloseDate(String),
    /// The two fields AWS's review asks about most, saved together (one update, one review).
    WebsiteAndProblem {
        website: String,
        business_problem: String,
    },
    /// Any writable members, as a partial document laid on the record (the full edit form,
    /// `update --from-json`); `paths` names the members it changes, for messages.
    Fields {
        patch: serde_json::Value,
        paths: Vec<String>,
    },
}

impl OpportunityEdit {
    pub fn describe(&self) -> String {
        match self {
            OpportunityEdit::Stage {
                stage,
                closed_lost_reason: Some(r),
            } => format!("stage → {stage} ({r})"),
            OpportunityEdit::Stage { stage, .. } => format!("stage → {stage}"),
            OpportunityEdit::NextSteps(_) => "next steps".to_string(),
            OpportunityEdit::TargetCloseDate(d) => format!("target close → {d}"),
            OpportunityEdit::WebsiteAndProblem { .. } => {
                "the website and business problem".to_string()
            }
            OpportunityEdit::Fields { paths, .. } => format!(
                "{} field{} ({})",
                paths.len(),
                if paths.len() == 1 { "" } else { "s" },
                paths.join(", ")
            ),
        }
    }

    /// The document paths the edit writes.
    pub fn paths(&self) -> Vec<String> {
        let empty = serde_json::Value::Object(serde_json::Map::new());
        crate::partner::document::changes(&empty, &self.patch())
            .into_iter()
            .map(|c| c.path)
            .collect()
    }

    /// The edit as a partial document (null clears a member).
    pub fn patch(&self) -> serde_json::Value {
        use serde_json::json;
        match self {
            OpportunityEdit::Stage {
                stage,
                closed_lost_reason,
            } => json!({"LifeCycle": {
                "Stage": stage.as_str(),
                "ClosedLostReason": closed_lost_reason.as_ref().map(ClosedLostReason::as_str),
            }}),
            OpportunityEdit::NextSteps(text) => json!({"LifeCycle": {"NextSteps": text}}),
            OpportunityEdit::TargetCloseDate(date) => {
                json!({"LifeCycle": {"TargetCloseDate": date}})
            }
            OpportunityEdit::WebsiteAndProblem {
                website,
                business_problem,
            } => json!({
                "Customer": {"Account": {"WebsiteUrl": website.trim()}},
                "Project": {"CustomerBusinessProblem": business_problem.trim()},
            }),
            OpportunityEdit::Fields { patch, .. } => patch.clone(),
        }
    }

    /// The values of the patch's paths in `doc`, as `path value` pairs.
    fn values_in(paths: &[String], doc: &serde_json::Value) -> String {
        paths
            .iter()
            .map(|p| {
                format!(
                    "{p} {}",
                    crate::partner::document::display(crate::partner::document::get(doc, p))
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The field this edit changes, as the record `latest` has it now: what a colleague wrote,
    /// shown beside the user's own value when the two collide.
    pub fn current_in(&self, latest: &Opportunity) -> String {
        let s = &latest.summary;
        let or_none = |v: Option<String>| v.unwrap_or_else(|| "(none)".into());
        match self {
            OpportunityEdit::Stage { .. } => format!(
                "stage {}{}",
                or_none(s.stage.as_ref().map(Stage::to_string)),
                s.closed_lost_reason
                    .as_ref()
                    .map(|r| format!(" ({r})"))
                    .unwrap_or_default()
            ),
            OpportunityEdit::NextSteps(_) => {
                format!(
                    "next steps \"{}\"",
                    or_none(s.next_steps.as_deref().map(str::to_string))
                )
            }
            OpportunityEdit::TargetCloseDate(_) => {
                format!(
                    "target close {}",
                    or_none(s.target_close.as_deref().map(str::to_string))
                )
            }
            OpportunityEdit::WebsiteAndProblem { .. } => format!(
                "website {}, business problem \"{}\"",
                or_none(s.website.as_deref().map(str::to_string)),
                or_none(latest.business_problem.clone())
            ),
            OpportunityEdit::Fields { paths, .. } => Self::values_in(paths, &latest.document),
        }
    }

    /// The user's value for the field, in the same words as `current_in`.
    pub fn proposed(&self) -> String {
        match self {
            OpportunityEdit::Stage {
                stage,
                closed_lost_reason: Some(r),
            } => format!("stage {stage} ({r})"),
            OpportunityEdit::Stage { stage, .. } => format!("stage {stage}"),
            OpportunityEdit::NextSteps(text) => format!("next steps \"{text}\""),
            OpportunityEdit::TargetCloseDate(d) => format!("target close {d}"),
            OpportunityEdit::WebsiteAndProblem {
                website,
                business_problem,
            } => format!("website {website}, business problem \"{business_problem}\""),
            OpportunityEdit::Fields { paths, patch } => {
                let mut doc = serde_json::Value::Null;
                crate::partner::document::merge(&mut doc, patch);
                Self::values_in(paths, &doc)
            }
        }
    }
}

/// How an update ended: applied, or refused because the record changed since it was read.
#[derive(Debug, Clone, PartialEq)]
pub enum UpdateOutcome {
    Applied(Box<Opportunity>),
    Conflict { latest: Box<Opportunity> },
}

/// A connection invitation to send.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ConnectionInvite {
    pub receiver: String,
    pub connection_type: ConnectionType,
    pub name: String,
    pub email: String,
    pub message: String,
}

/// What to do with a connection invitation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ConnectionAnswer {
    Accept,
    Reject { reason: Option<String> },
    Cancel,
}

/// An engagement: the work on one customer need that AWS and partners share, with its
/// contexts (a lead, a customer project), members and associated opportunities.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Engagement {
    pub id: String,
    pub arn: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub created_at: Option<Millis>,
    pub created_by: Option<String>,
    /// The lock UpdateEngagementContext takes.
    pub modified_at: Option<Millis>,
    pub member_count: Option<i32>,
    pub contexts: Vec<EngagementContext>,
    pub members: Vec<EngagementMember>,
    /// Opportunities associated with it, by id.
    pub opportunities: Vec<String>,
    /// Invitations to it this partner sent (to AWS by submitting, or to other partners).
    #[serde(default)]
    pub sent: Vec<Referral>,
    /// Snapshots of the opportunity shared in it: (template, latest revision).
    #[serde(default)]
    pub snapshots: Vec<(String, i32)>,
}

impl Engagement {
    /// The engagement's lead context, if it has one.
    pub fn lead(&self) -> Option<(&str, &Lead)> {
        self.contexts
            .iter()
            .find_map(|c| c.lead.as_ref().map(|l| (c.id.as_str(), l)))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct EngagementContext {
    pub id: String,
    /// CustomerProject, Lead or ProspectingResult.
    pub kind: String,
    pub lead: Option<Lead>,
    /// A customer project's title.
    pub project_title: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct EngagementMember {
    pub account_id: Option<String>,
    pub company: Option<String>,
    pub website: Option<String>,
}

/// A lead as its engagement context holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Lead {
    pub company: String,
    pub industry: Option<String>,
    pub website: Option<String>,
    pub country: Option<String>,
    pub city: Option<String>,
    pub state_or_region: Option<String>,
    pub postal_code: Option<String>,
    pub maturity: Option<String>,
    pub segment: Option<String>,
    /// Free text in the API; cosell writes `Qualified` or `Disqualified`.
    pub qualification: Option<String>,
    /// AWS's LeadReadinessScore.
    pub readiness: Option<String>,
    pub interactions: Vec<LeadInteraction>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct LeadInteraction {
    pub source_type: String,
    pub source_id: String,
    pub source_name: String,
    pub usecase: Option<String>,
    pub date: Option<Millis>,
    pub action: String,
    pub business_problem: Option<String>,
    pub contact: Contact,
}

/// A benefit partners apply for (ListBenefits): funding, credits or access, by program.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Benefit {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub programs: Vec<String>,
    /// CREDITS, CASH or ACCESS.
    pub fulfillment: Vec<String>,
    pub status: String,
}

/// An application for a benefit, with its review status and the resources (opportunity ARNs)
/// it is for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct BenefitApplication {
    pub id: String,
    pub arn: Option<String>,
    pub benefit_id: Option<String>,
    pub name: Option<String>,
    pub programs: Vec<String>,
    pub fulfillment: Vec<String>,
    /// PENDING_SUBMISSION, IN_REVIEW, ACTION_REQUIRED, APPROVED, REJECTED or CANCELED.
    pub status: String,
    pub stage: Option<String>,
    pub updated: Option<Millis>,
    pub resources: Vec<String>,
    /// The amount asked for, where the details name one.
    pub requested: Option<String>,
    /// What only GetBenefitApplication answers: the revision an update must name, why the
    /// status is what it is, the description and every detail.
    #[serde(default)]
    pub revision: Option<String>,
    #[serde(default)]
    pub status_reason: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub details: Vec<(String, String)>,
}

impl BenefitApplication {
    /// Still a draft or sent back: the partner can edit and submit it.
    pub fn is_editable(&self) -> bool {
        matches!(
            self.status.as_str(),
            "PENDING_SUBMISSION" | "ACTION_REQUIRED"
        )
    }

    /// Ended: approved, rejected or canceled (approved can still be amended).
    pub fn is_closed(&self) -> bool {
        matches!(self.status.as_str(), "APPROVED" | "REJECTED" | "CANCELED")
    }
}

/// What an approved application was given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct BenefitAllocation {
    pub id: String,
    pub name: Option<String>,
    pub status: String,
    pub benefit_id: Option<String>,
    pub application_id: Option<String>,
    pub fulfillment: Vec<String>,
    pub expires: Option<Millis>,
    /// What was given, as GetBenefitAllocation states it ("5000 USD"; "1200 of 5000 USD left").
    #[serde(default)]
    pub amount: Option<String>,
    #[serde(default)]
    pub starts: Option<Millis>,
}

/// A program management account: the partner's account in a channel program.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ProgramAccount {
    pub id: String,
    pub program: String,
    pub name: String,
    pub account_id: String,
    pub status: String,
    pub revision: Option<String>,
}

/// A relationship under a program management account (a downstream seller, an end customer).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ChannelRelationship {
    pub id: String,
    pub program_account: String,
    pub name: String,
    pub kind: String,
    pub account_id: String,
    pub sector: Option<String>,
    pub start: Option<Millis>,
}

/// A channel handshake, in or out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Handshake {
    pub id: String,
    pub arn: Option<String>,
    /// START_SERVICE_PERIOD, REVOKE_SERVICE_PERIOD or PROGRAM_MANAGEMENT_ACCOUNT.
    pub kind: String,
    pub status: String,
    pub sender: Option<String>,
    pub sender_name: Option<String>,
    pub receiver: Option<String>,
    pub resource: Option<String>,
    pub updated: Option<Millis>,
    /// This partner is the receiver (it may accept or reject); else the sender (it may cancel).
    #[serde(default)]
    pub received: bool,
}
