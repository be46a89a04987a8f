//! The Partner Central client: both SDK clients behind one type that speaks cosell's domain types.
//! It owns pagination (streamed page by page), retries with backoff (the SDK's standard retry
//! strategy with more attempts), client-side pacing under the documented quotas, and error mapping.

mod engagements;
mod funding;

pub use funding::{ApplicationChange, HandshakeAnswer, NewHandshake, NewRelationship};

use std::sync::Arc;
use std::time::Duration;

use aws_config::BehaviorVersion;
use aws_config::retry::RetryConfig;
use aws_sdk_partnercentralaccount as account;
use aws_sdk_partnercentralbenefits as benefits;
use aws_sdk_partnercentralchannel as channel;
use aws_sdk_partnercentralselling as selling;
use aws_smithy_types::DateTime;

use super::audit::{self, Audit};
use super::document;
use super::error::{FailureKind, FieldError, PartnerError};
use super::pacing::{self, Limiter, LimiterState};
use super::rules::OpportunityDraft;
use super::sdk_document;
use super::types::*;

/// How to reach Partner Central.
#[derive(Debug, Clone)]
pub struct Settings {
    pub profile: Option<String>,
    pub region: String,
    pub catalog: String,
    pub endpoint_url: Option<String>,
    /// Fixed dummy credentials (demo mode): the sandbox ignores signatures.
    pub dummy_credentials: bool,
    /// Attempts per call, the first included, before an error reaches the user.
    pub max_attempts: u32,
    /// Where mutations are recorded; None keeps no audit trail (tests).
    pub audit_log: Option<std::path::PathBuf>,
    /// The most one call may take, retries included (config `timeout_seconds`).
    pub timeout: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            profile: None,
            region: "us-east-1".into(),
            catalog: "AWS".into(),
            endpoint_url: None,
            dummy_credentials: false,
            timeout: Duration::from_secs(60),
            // More than the SDK's default 3: Partner Central's 1 write/s quota makes throttling
            // routine in batch work, and the backoff is exponential with jitter.
            max_attempts: 6,
            audit_log: None,
        }
    }
}

#[derive(Clone)]
pub struct PartnerClient {
    selling: selling::Client,
    account: account::Client,
    benefits: benefits::Client,
    channel: channel::Client,
    pub catalog: String,
    pub region: String,
    pub endpoint: Option<String>,
    /// The AWS profile and whether this is the demo's sandbox, for the audit trail.
    profile: Option<String>,
    demo: bool,
    limits: Arc<Limits>,
    audit: Arc<Audit>,
}

pub type Result<T> = std::result::Result<T, PartnerError>;

/// The limiters of every quota group, shared by all clones of a client (every task of the
/// process).
pub struct Limits {
    pub selling_reads: Limiter,
    pub selling_writes: Limiter,
    pub account: Limiter,
    pub benefits_reads: Limiter,
    pub benefits_writes: Limiter,
    pub channel_reads: Limiter,
    pub channel_writes: Limiter,
}

/// The Partner Central API an SDK client speaks: each has quotas of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Api {
    /// The selling and account clients: the account operations are told apart by name.
    SellingOrAccount,
    Benefits,
    Channel,
}

impl Limits {
    fn new(paced: bool) -> Limits {
        Limits {
            selling_reads: Limiter::new(pacing::SELLING_READS, paced),
            selling_writes: Limiter::new(pacing::SELLING_WRITES, paced),
            account: Limiter::new(pacing::ACCOUNT, paced),
            benefits_reads: Limiter::new(pacing::BENEFITS_READS, paced),
            benefits_writes: Limiter::new(pacing::BENEFITS_WRITES, paced),
            channel_reads: Limiter::new(pacing::CHANNEL_READS, paced),
            channel_writes: Limiter::new(pacing::CHANNEL_WRITES, paced),
        }
    }

    /// The group an operation's requests count against.
    fn for_operation(&self, api: Api, operation: &str) -> &Limiter {
        let read = operation.starts_with("Get") || operation.starts_with("List");
        match (api, read) {
            (Api::SellingOrAccount, _) if ACCOUNT_OPERATIONS.contains(&operation) => &self.account,
            (Api::SellingOrAccount, true) => &self.selling_reads,
            (Api::SellingOrAccount, false) => &self.selling_writes,
            (Api::Benefits, true) => &self.benefits_reads,
            (Api::Benefits, false) => &self.benefits_writes,
            (Api::Channel, true) => &self.channel_reads,
            (Api::Channel, false) => &self.channel_writes,
        }
    }
}

/// Tells the limiters about every throttled attempt, retried ones included: the SDK retries
/// a throttled request itself, and each of those tries is news about the quota.
#[derive(Clone)]
struct ThrottleWatch {
    limits: Arc<Limits>,
    api: Api,
}

impl std::fmt::Debug for ThrottleWatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ThrottleWatch")
    }
}

impl aws_smithy_runtime_api::client::interceptors::Intercept for ThrottleWatch {
    fn name(&self) -> &'static str {
        "ThrottleWatch"
    }

    fn read_before_transmit(
        &self,
        _context: &aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextRef<'_>,
        _components: &aws_smithy_runtime_api::client::runtime_components::RuntimeComponents,
        cfg: &mut aws_smithy_types::config_bag::ConfigBag,
    ) -> std::result::Result<(), aws_smithy_runtime_api::box_error::BoxError> {
        // The first attempt waited for the limiter; the SDK's retries do not, so they are
        // charged to it instead, and the quota they spend is not spent twice.
        let retry = cfg
            .load::<aws_smithy_runtime_api::client::retries::RequestAttempts>()
            .is_some_and(|a| a.attempts() > 1);
        if retry {
            let operation = cfg
                .load::<aws_smithy_runtime_api::client::orchestrator::Metadata>()
                .map(|m| m.name().to_string())
                .unwrap_or_default();
            self.limits.for_operation(self.api, &operation).charge();
        }
        Ok(())
    }

    fn read_after_attempt(
        &self,
        context: &aws_smithy_runtime_api::client::interceptors::context::FinalizerInterceptorContextRef<'_>,
        _components: &aws_smithy_runtime_api::client::runtime_components::RuntimeComponents,
        cfg: &mut aws_smithy_types::config_bag::ConfigBag,
    ) -> std::result::Result<(), aws_smithy_runtime_api::box_error::BoxError> {
        let Some(response) = context.response() else {
            return Ok(());
        };
        let code = response
            .headers()
            .get("x-amzn-ErrorType")
            .unwrap_or_default();
        if response.status().as_u16() == 429 || code.contains("Throttling") {
            let operation = cfg
                .load::<aws_smithy_runtime_api::client::orchestrator::Metadata>()
                .map(|m| m.name().to_string())
                .unwrap_or_default();
            let limiter = self.limits.for_operation(self.api, &operation);
            limiter.throttled();
            tracing::info!(operation, group = limiter.quota().name, state = ?limiter.state(), "throttled");
        }
        Ok(())
    }
}

/// The account API's operations cosell calls; every other operation is the selling API's.
const ACCOUNT_OPERATIONS: [&str; 12] = [
    "ListPartners",
    "GetPartner",
    "GetAllianceLeadContact",
    "ListConnections",
    "GetConnection",
    "CancelConnection",
    "ListConnectionInvitations",
    "GetConnectionInvitation",
    "CreateConnectionInvitation",
    "AcceptConnectionInvitation",
    "RejectConnectionInvitation",
    "CancelConnectionInvitation",
];

/// The members a ValidationException names, from its JSON body: the selling API's
/// `ErrorList[{FieldName, Message}]` and the account API's
/// `ErrorDetails[{FieldValidationError: {Name, Message}}]`.
fn field_errors(body: &[u8]) -> Vec<FieldError> {
    let Ok(body) = serde_json::from_slice::<serde_json::Value>(body) else {
        return Vec::new();
    };
    let selling = body["ErrorList"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| FieldError {
            field: f["FieldName"].as_str().unwrap_or_default().to_string(),
            message: f["Message"].as_str().unwrap_or_default().to_string(),
        });
    let account = body["ErrorDetails"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d.get("FieldValidationError"))
        .map(|f| FieldError {
            field: f["Name"].as_str().unwrap_or_default().to_string(),
            message: f["Message"].as_str().unwrap_or_default().to_string(),
        });
    selling.chain(account).collect()
}

/// The SDK's four task shapes (start and list, for accepting and for submitting) share accessor
/// names but no type; this maps any of them.
macro_rules! task_state {
    ($t:expr, $engagement:expr) => {
        TaskState {
            id: $t.task_id().unwrap_or_default().to_string(),
            status: $t
                .task_status()
                .map(|s| TaskStatus::from(s.as_str()))
                .unwrap_or_default(),
            message: text($t.message()),
            reason: text($t.reason_code().map(|r| r.as_str())),
            opportunity_id: text($t.opportunity_id()),
            engagement_id: $engagement,
            invitation_id: text($t.engagement_invitation_id()),
        }
    };
}

/// The one task a `List…Tasks` call filtered by `task_id` returns.
fn listed_task<'a, T>(tasks: &'a [T], operation: &'static str, task_id: &str) -> Result<&'a T> {
    tasks.first().ok_or_else(|| {
        PartnerError::new(
            operation,
            FailureKind::NotFound,
            format!("task {task_id} is not listed"),
        )
    })
}

/// Streams a paginated list: each page is mapped and handed to `on_page` as it arrives (reads
/// paced by the quota group's limiter), until the last page or until `on_page` returns false.
/// Evaluates to the number of rows handed over.
macro_rules! stream_pages {
    ($self:ident, $pages:expr, $op:literal, $limit:expr, $on_page:ident, |$page:ident| -> $ty:ty $rows:block) => {{
        let mut pages = $pages;
        let mut total = 0;
        loop {
            $limit.wait().await;
            let Some(page) = pages.next().await else {
                break;
            };
            let $page = page.map_err(|e| $self.fail($op, e))?;
            let rows: $ty = $rows;
            total += rows.len();
            if !$on_page(rows) {
                break;
            }
        }
        Ok(total)
    }};
}

fn millis(dt: Option<&DateTime>) -> Option<Millis> {
    dt.and_then(|d| d.to_millis().ok())
}

/// An SDK string as cosell keeps it (a `String`, or a `Box<str>` where a field is compact).
fn text<T: AsRef<str>, O: From<String>>(value: Option<T>) -> Option<O> {
    value.map(|v| O::from(v.as_ref().to_string()))
}

/// An SDK enum's text as cosell's vocabulary (unknown values survive as `Unknown`).
fn vocab<V: for<'a> From<&'a str>>(value: Option<&str>) -> Option<V> {
    value.map(V::from)
}

impl PartnerClient {
    /// How each quota group's limiter stands (for progress lines: "throttled, slowing down").
    pub fn limits(&self) -> [(&'static str, LimiterState); 3] {
        let l = &self.limits;
        [
            (l.selling_reads.quota().name, l.selling_reads.state()),
            (l.selling_writes.quota().name, l.selling_writes.state()),
            (l.account.quota().name, l.account.state()),
        ]
    }

    pub async fn connect(settings: &Settings) -> PartnerClient {
        // A stalled endpoint (a hung proxy, a stopped sandbox) fails each attempt after the
        // attempt timeout and the whole call after the operation timeout, retried like any
        // transient failure in between, instead of waiting forever.
        let whole = settings.timeout;
        let timeouts = aws_config::timeout::TimeoutConfig::builder()
            .connect_timeout(Duration::from_secs(5).min(whole))
            .read_timeout((whole / 3).max(Duration::from_millis(500)))
            .operation_attempt_timeout((whole / 3).max(Duration::from_millis(500)))
            .operation_timeout(whole)
            .build();
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .region(aws_config::Region::new(settings.region.clone()))
            .timeout_config(timeouts)
            .retry_config(
                RetryConfig::standard()
                    .with_max_attempts(settings.max_attempts.max(1))
                    .with_initial_backoff(Duration::from_millis(200))
                    .with_max_backoff(Duration::from_secs(8)),
            );
        if let Some(profile) = &settings.profile {
            loader = loader.profile_name(profile);
        }
        if let Some(url) = &settings.endpoint_url {
            loader = loader.endpoint_url(url);
        }
        if settings.dummy_credentials {
            loader = loader.credentials_provider(selling::config::Credentials::new(
                "cosell-demo",
                "cosell-demo",
                None,
                None,
                "cosell-demo",
            ));
        }
        let config = loader.load().await;
        let endpoint = settings
            .endpoint_url
            .clone()
            .or_else(|| std::env::var("AWS_ENDPOINT_URL_PARTNERCENTRAL_SELLING").ok())
            .or_else(|| std::env::var("AWS_ENDPOINT_URL").ok());
        // Against real AWS, pace requests under the documented per-account rates from the
        // start, so a refresh never burns the quota other tools share; another endpoint is paced
        // from its first throttle on (a local sandbox mostly never throttles).
        let limits = Arc::new(Limits::new(endpoint.is_none()));
        let watch = |api| ThrottleWatch {
            limits: limits.clone(),
            api,
        };
        let selling_config = selling::config::Builder::from(&config)
            .interceptor(watch(Api::SellingOrAccount))
            .build();
        let account_config = account::config::Builder::from(&config)
            .interceptor(watch(Api::SellingOrAccount))
            .build();
        let benefits_config = benefits::config::Builder::from(&config)
            .interceptor(watch(Api::Benefits))
            .build();
        let channel_config = channel::config::Builder::from(&config)
            .interceptor(watch(Api::Channel))
            .build();
        PartnerClient {
            selling: selling::Client::from_conf(selling_config),
            account: account::Client::from_conf(account_config),
            benefits: benefits::Client::from_conf(benefits_config),
            channel: channel::Client::from_conf(channel_config),
            catalog: settings.catalog.clone(),
            region: settings.region.clone(),
            endpoint,
            profile: settings.profile.clone(),
            demo: settings.dummy_credentials,
            limits,
            audit: Arc::new(match &settings.audit_log {
                Some(path) => Audit::to_file(path.clone()),
                None => Audit::default(),
            }),
        }
    }

    /// Classifies a failed call once: its kind, the fields a ValidationException named (read
    /// from the reply's body, the same way for every operation), and the endpoint it went to.
    fn fail<E>(
        &self,
        op: &'static str,
        err: aws_smithy_runtime_api::client::result::SdkError<
            E,
            aws_smithy_runtime_api::client::orchestrator::HttpResponse,
        >,
    ) -> PartnerError
    where
        E: aws_smithy_types::error::metadata::ProvideErrorMetadata
            + std::error::Error
            + Send
            + Sync
            + 'static,
    {
        let fields = err
            .raw_response()
            .and_then(|r| r.body().bytes())
            .map(field_errors)
            .unwrap_or_default();
        let mut e = PartnerError::from_sdk(op, err);
        e.fields = fields;
        let service = if ACCOUNT_OPERATIONS.contains(&op) {
            "partnercentral-account"
        } else {
            "partnercentral-selling"
        };
        e.origin = Some(Box::new(super::error::Origin {
            region: self.region.clone(),
            endpoint: Some(
                self.endpoint
                    .clone()
                    .unwrap_or_else(|| format!("https://{service}.{}.api.aws", self.region)),
            ),
        }));
        e
    }

    /// Streams every opportunity, page by page, to `on_page`; stops early if it returns false.
    pub async fn list_opportunities(
        &self,
        query: &OpportunityQuery,
        mut on_page: impl FnMut(Vec<OpportunitySummary>) -> bool,
    ) -> Result<usize> {
        let mut request = self
            .selling
            .list_opportunities()
            .catalog(&self.catalog)
            .max_results(100);
        for stage in &query.stages {
            request = request.life_cycle_stage(selling::types::Stage::from(stage.as_str()));
        }
        for review in &query.review_statuses {
            request = request
                .life_cycle_review_status(selling::types::ReviewStatus::from(review.as_str()));
        }
        if let Some(since) = query.modified_since {
            request = request.last_modified_date(
                selling::types::LastModifiedDate::builder()
                    .after_last_modified_date(DateTime::from_millis(since))
                    .build(),
            );
        }
        stream_pages!(
            self,
            request.into_paginator().send(),
            "ListOpportunities",
            self.limits.selling_reads,
            on_page,
            |page| -> Vec<OpportunitySummary> {
                page.opportunity_summaries()
                    .iter()
                    .map(map_summary)
                    .collect()
            }
        )
    }

    pub async fn get_opportunity(&self, id: &str) -> Result<Opportunity> {
        self.limits.selling_reads.wait().await;
        let out = self
            .selling
            .get_opportunity()
            .catalog(&self.catalog)
            .identifier(id)
            .send()
            .await
            .map_err(|e| self.fail("GetOpportunity", e))?;
        Ok(map_opportunity(&out))
    }

    pub async fn aws_view(&self, id: &str) -> Result<AwsView> {
        self.limits.selling_reads.wait().await;
        let out = self
            .selling
            .get_aws_opportunity_summary()
            .catalog(&self.catalog)
            .related_opportunity_identifier(id)
            .send()
            .await
            .map_err(|e| self.fail("GetAwsOpportunitySummary", e))?;
        Ok(AwsView {
            opportunity_id: id.to_string(),
            origin: text(out.origin().map(|o| o.as_str())),
            involvement: text(out.involvement_type().map(|o| o.as_str())),
            visibility: text(out.visibility().map(|o| o.as_str())),
            stage: text(out.life_cycle().and_then(|l| l.stage()).map(|s| s.as_str())),
            next_steps: text(out.life_cycle().and_then(|l| l.next_steps())),
            engagement_score: text(
                out.insights()
                    .and_then(|i| i.engagement_score())
                    .map(|s| s.as_str()),
            ),
            next_best_actions: text(out.insights().and_then(|i| i.next_best_actions())),
            team: out
                .opportunity_team()
                .iter()
                .map(|m| Contact {
                    email: text(m.email()),
                    first_name: text(m.first_name()),
                    last_name: text(m.last_name()),
                    title: text(m.business_title().map(|t| t.as_str())),
                    phone: None,
                })
                .collect(),
        })
    }

    /// Streams the received engagement invitations (AWS referrals).
    pub async fn list_referrals(
        &self,
        mut on_page: impl FnMut(Vec<Referral>) -> bool,
    ) -> Result<usize> {
        stream_pages!(
            self,
            self.selling
                .list_engagement_invitations()
                .catalog(&self.catalog)
                .participant_type(selling::types::ParticipantType::Receiver)
                .max_results(100)
                .into_paginator()
                .send(),
            "ListEngagementInvitations",
            self.limits.selling_reads,
            on_page,
            |page| -> Vec<Referral> {
                page.engagement_invitation_summaries()
                    .iter()
                    .map(|i| Referral {
                        id: i.id().to_string(),
                        arn: text(i.arn()),
                        payload_type: vocab(i.payload_type().map(|p| p.as_str())),
                        engagement_id: text(i.engagement_id()),
                        title: text(i.engagement_title()),
                        status: vocab(i.status().map(|s| s.as_str())),
                        invited: millis(i.invitation_date()),
                        expires: millis(i.expiration_date()),
                        sender_company: text(i.sender_company_name()),
                        sender_account: text(i.sender_aws_account_id()),
                        participant: vocab(i.participant_type().map(|p| p.as_str())),
                        ..Default::default()
                    })
                    .collect()
            }
        )
    }

    pub async fn get_referral(&self, id: &str) -> Result<ReferralDetail> {
        self.limits.selling_reads.wait().await;
        let out = self
            .selling
            .get_engagement_invitation()
            .catalog(&self.catalog)
            .identifier(id)
            .send()
            .await
            .map_err(|e| self.fail("GetEngagementInvitation", e))?;
        let mut detail = ReferralDetail {
            referral: Referral {
                id: out.id().to_string(),
                arn: text(out.arn()),
                payload_type: vocab(out.payload_type().map(|p| p.as_str())),
                engagement_id: text(out.engagement_id()),
                title: text(out.engagement_title()),
                status: vocab(out.status().map(|s| s.as_str())),
                invited: millis(out.invitation_date()),
                expires: millis(out.expiration_date()),
                sender_company: text(out.sender_company_name()),
                sender_account: text(out.sender_aws_account_id()),
                participant: Some("RECEIVER".into()),
                ..Default::default()
            },
            message: text(out.invitation_message()),
            description: text(out.engagement_description()),
            rejection_reason: text(out.rejection_reason()),
            existing_members: out
                .existing_members()
                .iter()
                .filter_map(|m| m.company_name().map(str::to_string))
                .collect(),
            ..Default::default()
        };
        if let Some(payload) = out.payload() {
            fill_from_payload(&mut detail, payload);
        }
        detail.referral.customer = detail.customer.clone();
        detail.referral.industry = detail.industry.clone();
        detail.referral.country = detail.country.clone();
        detail.referral.project = detail.project_title.clone();
        detail.referral.monthly_spend = detail.monthly_spend.clone();
        Ok(detail)
    }

    pub async fn list_solutions(
        &self,
        mut on_page: impl FnMut(Vec<Solution>) -> bool,
    ) -> Result<usize> {
        stream_pages!(
            self,
            self.selling
                .list_solutions()
                .catalog(&self.catalog)
                .max_results(100)
                .into_paginator()
                .send(),
            "ListSolutions",
            self.limits.selling_reads,
            on_page,
            |page| -> Vec<Solution> {
                page.solution_summaries()
                    .iter()
                    .map(|s| Solution {
                        id: s.id().to_string(),
                        arn: text(s.arn()),
                        name: s.name().to_string(),
                        status: s.status().as_str().into(),
                        category: s.category().to_string(),
                        created: millis(Some(s.created_date())),
                        marketplace_arn: text(s.aws_marketplace_solution_arn()),
                    })
                    .collect()
            }
        )
    }

    pub async fn list_connections(
        &self,
        mut on_page: impl FnMut(Vec<Connection>) -> bool,
    ) -> Result<usize> {
        stream_pages!(
            self,
            self.account
                .list_connections()
                .catalog(&self.catalog)
                .max_results(100)
                .into_paginator()
                .send(),
            "ListConnections",
            self.limits.account,
            on_page,
            |page| -> Vec<Connection> {
                page.connection_summaries()
                    .iter()
                    .map(|c| {
                        let mut types: Vec<ConnectionTypeState> = c
                            .connection_types()
                            .iter()
                            .map(|(kind, t)| ConnectionTypeState {
                                connection_type: kind.as_str().into(),
                                status: t.status().as_str().into(),
                                other_name: t.other_participant().and_then(participant_name),
                                ..Default::default()
                            })
                            .collect();
                        types.sort_by(|a, b| a.connection_type.cmp(&b.connection_type));
                        Connection {
                            id: c.id().to_string(),
                            arn: Some(c.arn().to_string()),
                            other_account: c.other_participant_account_id().to_string(),
                            other_name: types.iter().find_map(|t| t.other_name.clone()),
                            types,
                            updated: millis(Some(c.updated_at())),
                        }
                    })
                    .collect()
            }
        )
    }

    pub async fn list_connection_invitations(
        &self,
        mut on_page: impl FnMut(Vec<ConnectionInvitation>) -> bool,
    ) -> Result<usize> {
        stream_pages!(
            self,
            self.account
                .list_connection_invitations()
                .catalog(&self.catalog)
                .max_results(100)
                .into_paginator()
                .send(),
            "ListConnectionInvitations",
            self.limits.account,
            on_page,
            |page| -> Vec<ConnectionInvitation> {
                page.connection_invitation_summaries()
                    .iter()
                    .map(|i| ConnectionInvitation {
                        id: i.id().to_string(),
                        arn: Some(i.arn().to_string()),
                        connection_type: i.connection_type().as_str().into(),
                        direction: i.participant_type().as_str().into(),
                        other: i.other_participant_identifier().to_string(),
                        status: i.status().as_str().into(),
                        created: millis(Some(i.created_at())),
                        updated: millis(Some(i.updated_at())),
                        expires: millis(i.expires_at()),
                        connection_id: text(i.connection_id()),
                        ..Default::default()
                    })
                    .collect()
            }
        )
    }

    pub async fn get_connection_invitation(&self, id: &str) -> Result<ConnectionInvitation> {
        let i = self
            .account
            .get_connection_invitation()
            .catalog(&self.catalog)
            .identifier(id)
            .send()
            .await
            .map_err(|e| self.fail("GetConnectionInvitation", e))?;
        Ok(ConnectionInvitation {
            id: i.id().to_string(),
            arn: Some(i.arn().to_string()),
            connection_type: i.connection_type().as_str().into(),
            direction: i.participant_type().as_str().into(),
            other: i.other_participant_identifier().to_string(),
            status: i.status().as_str().into(),
            created: millis(Some(i.created_at())),
            updated: millis(Some(i.updated_at())),
            expires: millis(i.expires_at()),
            connection_id: text(i.connection_id()),
            message: Some(i.invitation_message().to_string()),
            inviter_name: Some(i.inviter_name().to_string()),
            inviter_email: Some(i.inviter_email().to_string()),
        })
    }

    pub async fn get_connection(&self, id: &str) -> Result<Connection> {
        let c = self
            .account
            .get_connection()
            .catalog(&self.catalog)
            .identifier(id)
            .send()
            .await
            .map_err(|e| self.fail("GetConnection", e))?;
        let mut types: Vec<ConnectionTypeState> = c
            .connection_types()
            .iter()
            .map(|(kind, t)| ConnectionTypeState {
                connection_type: kind.as_str().into(),
                status: t.status().as_str().into(),
                other_name: t.other_participant().and_then(participant_name),
                created: millis(Some(t.created_at())),
                canceled: millis(t.canceled_at()),
                inviter: Some(format!("{} <{}>", t.inviter_name(), t.inviter_email())),
            })
            .collect();
        types.sort_by(|a, b| a.connection_type.cmp(&b.connection_type));
        Ok(Connection {
            id: c.id().to_string(),
            arn: Some(c.arn().to_string()),
            other_account: c.other_participant_account_id().to_string(),
            other_name: types.iter().find_map(|t| t.other_name.clone()),
            types,
            updated: millis(Some(c.updated_at())),
        })
    }

    /// The partner this account belongs to, with its alliance lead.
    pub async fn partner(&self) -> Result<Partner> {
        let listed = self
            .account
            .list_partners()
            .catalog(&self.catalog)
            .send()
            .await
            .map_err(|e| self.fail("ListPartners", e))?;
        let Some(summary) = listed.partner_summary_list().first() else {
            return Err(PartnerError::new(
                "ListPartners",
                FailureKind::NotFound,
                format!(
                    "this AWS account has no Partner Central partner in the {} catalog; link the account to Partner Central first",
                    self.catalog
                ),
            ));
        };
        let got = self
            .account
            .get_partner()
            .catalog(&self.catalog)
            .identifier(summary.id())
            .send()
            .await
            .map_err(|e| self.fail("GetPartner", e))?;
        let lead = self
            .account
            .get_alliance_lead_contact()
            .catalog(&self.catalog)
            .identifier(summary.id())
            .send()
            .await
            .ok()
            .and_then(|l| {
                l.alliance_lead_contact().map(|c| Contact {
                    email: Some(c.email().to_string()),
                    first_name: Some(c.first_name().to_string()),
                    last_name: Some(c.last_name().to_string()),
                    title: Some(c.business_title().to_string()),
                    phone: None,
                })
            });
        let profile = got.profile();
        Ok(Partner {
            id: got.id().to_string(),
            arn: got.arn().to_string(),
            legal_name: got.legal_name().to_string(),
            display_name: profile.map(|p| p.display_name().to_string()),
            description: profile.map(|p| p.description().to_string()),
            website: profile.map(|p| p.website_url().to_string()),
            primary_solution_type: profile.map(|p| p.primary_solution_type().as_str().to_string()),
            industry_segments: profile
                .map(|p| {
                    p.industry_segments()
                        .iter()
                        .map(|s| s.as_str().to_string())
                        .collect()
                })
                .unwrap_or_default(),
            training_domains: got
                .aws_training_certification_email_domains()
                .iter()
                .map(|d| d.domain_name().to_string())
                .collect(),
            alliance_lead: lead,
        })
    }
}

/// Mutations. Each goes through the write pacer and the SDK's retries, and leaves an audit entry.
impl PartnerClient {
    fn audit(
        &self,
        operation: &str,
        target: &str,
        token: Option<&str>,
        change: Option<String>,
        outcome: &std::result::Result<(), &PartnerError>,
    ) {
        self.audit.record(&audit::Entry {
            at: now_rfc3339(),
            operation,
            catalog: &self.catalog,
            // Where the change went: real AWS, or which sandbox (the demo's, or an endpoint).
            endpoint: self.endpoint.as_deref().unwrap_or("aws"),
            demo: self.demo,
            profile: self.profile.as_deref(),
            target,
            client_token: token.map(audit::token_fingerprint),
            change,
            outcome: match outcome {
                Ok(()) => "ok".to_string(),
                Err(e) => e.code.clone().unwrap_or_else(|| format!("{:?}", e.kind)),
            },
        });
    }

    fn audited<T>(
        &self,
        operation: &str,
        target: &str,
        token: Option<&str>,
        change: Option<String>,
        result: Result<T>,
    ) -> Result<T> {
        self.audit(
            operation,
            target,
            token,
            change,
            &result.as_ref().map(|_| ()),
        );
        result
    }

    async fn get_raw(
        &self,
        id: &str,
    ) -> Result<selling::operation::get_opportunity::GetOpportunityOutput> {
        self.limits.selling_reads.wait().await;
        self.selling
            .get_opportunity()
            .catalog(&self.catalog)
            .identifier(id)
            .send()
            .await
            .map_err(|e| self.fail("GetOpportunity", e))
    }

    /// The record as a document (the API's JSON, see `document`) beside its domain form, which
    /// carries the LastModifiedDate an update built on it is locked to.
    pub async fn read_document(&self, id: &str) -> Result<(serde_json::Value, Opportunity)> {
        let raw = self.get_raw(id).await?;
        Ok((sdk_document::document_of(&raw), map_opportunity(&raw)))
    }

    /// Applies `edit` to opportunity `id` as the user saw it at `based_on` (its LastModifiedDate).
    pub async fn update_opportunity(
        &self,
        id: &str,
        based_on: Millis,
        edit: &OpportunityEdit,
    ) -> Result<UpdateOutcome> {
        self.patch_opportunity(id, based_on, &edit.patch(), &edit.describe())
            .await
    }

    /// Lays `patch` (a partial document: objects merge, null removes) on opportunity `id` as the
    /// user saw it at `based_on`. UpdateOpportunity replaces the whole record, so the update is
    /// built from a fresh read of the full record; if that read is newer than what the user
    /// saw, nothing is sent and the latest version comes back as a conflict, so the user's edit
    /// can be re-applied to it.
    pub async fn patch_opportunity(
        &self,
        id: &str,
        based_on: Millis,
        patch: &serde_json::Value,
        describe: &str,
    ) -> Result<UpdateOutcome> {
        let current = self.get_raw(id).await?;
        if millis(Some(current.last_modified_date())) != Some(based_on) {
            return Ok(UpdateOutcome::Conflict {
                latest: Box::new(map_opportunity(&current)),
            });
        }
        let mut doc = sdk_document::document_of(&current);
        document::merge(&mut doc, patch);
        let parts = sdk_document::parts_of(&document::writable_part(&doc))
            .map_err(|e| PartnerError::new("UpdateOpportunity", FailureKind::Validation, e))?;
        self.limits.selling_writes.wait().await;
        let sent = self
            .selling
            .update_opportunity()
            .catalog(&self.catalog)
            .identifier(id)
            .last_modified_date(*current.last_modified_date())
            .set_primary_needs_from_aws(parts.primary_needs)
            .set_national_security(parts.national_security)
            .set_partner_opportunity_identifier(parts.partner_reference)
            .set_customer(parts.customer)
            .set_project(parts.project)
            .set_opportunity_type(parts.opportunity_type)
            .set_marketing(parts.marketing)
            .set_software_revenue(parts.software_revenue)
            .set_life_cycle(parts.life_cycle)
            .send()
            .await;
        let result = sent
            .map(|_| ())
            .map_err(|e| self.fail("UpdateOpportunity", e));
        let result = self.audited(
            "UpdateOpportunity",
            id,
            None,
            Some(describe.to_string()),
            result,
        );
        match result {
            Ok(()) => Ok(UpdateOutcome::Applied(Box::new(map_opportunity(
                &self.get_raw(id).await?,
            )))),
            Err(e) if e.kind == FailureKind::Conflict => Ok(UpdateOutcome::Conflict {
                latest: Box::new(map_opportunity(&self.get_raw(id).await?)),
            }),
            Err(e) => Err(e),
        }
    }

    /// Creates an opportunity; `client_token` makes a retried submit create it once.
    pub async fn create_opportunity(
        &self,
        draft: &OpportunityDraft,
        client_token: &str,
    ) -> Result<String> {
        self.create_document(&draft.document(), client_token, &draft.title)
            .await
    }

    /// Creates the opportunity a document describes (CreateOpportunity's members, `Origin`,
    /// `OpportunityTeam` and `Tags` included); `client_token` makes a rerun create it once.
    pub async fn create_document(
        &self,
        doc: &serde_json::Value,
        client_token: &str,
        describe: &str,
    ) -> Result<String> {
        let parts = sdk_document::parts_of(doc)
            .map_err(|e| PartnerError::new("CreateOpportunity", FailureKind::Validation, e))?;
        self.limits.selling_writes.wait().await;
        let sent = self
            .selling
            .create_opportunity()
            .catalog(&self.catalog)
            .client_token(client_token)
            .set_primary_needs_from_aws(parts.primary_needs)
            .set_national_security(parts.national_security)
            .set_partner_opportunity_identifier(parts.partner_reference)
            .set_customer(parts.customer)
            .set_project(parts.project)
            .set_opportunity_type(parts.opportunity_type)
            .set_marketing(parts.marketing)
            .set_software_revenue(parts.software_revenue)
            .set_life_cycle(parts.life_cycle)
            .set_origin(parts.origin)
            .set_opportunity_team(parts.team)
            .set_tags(parts.tags)
            .send()
            .await;
        let result = sent
            .map(|out| out.id().to_string())
            .map_err(|e| self.fail("CreateOpportunity", e));
        let company = document::get(doc, "Customer.Account.CompanyName")
            .and_then(serde_json::Value::as_str)
            .unwrap_or("(no company)");
        let target = result.as_deref().unwrap_or(company).to_string();
        self.audited(
            "CreateOpportunity",
            &target,
            Some(client_token),
            Some(describe.to_string()),
            result,
        )
    }

    pub async fn assign_opportunity(&self, id: &str, assignee: &Contact) -> Result<()> {
        let contact = selling::types::AssigneeContact::builder()
            .email(assignee.email.clone().unwrap_or_default())
            .first_name(assignee.first_name.clone().unwrap_or_default())
            .last_name(assignee.last_name.clone().unwrap_or_default())
            .business_title(
                assignee
                    .title
                    .clone()
                    .unwrap_or_else(|| "OpportunityOwner".into()),
            )
            .set_phone(assignee.phone.clone().filter(|p| !p.is_empty()))
            .build()
            .map_err(|e| {
                PartnerError::new("AssignOpportunity", FailureKind::Validation, e.to_string())
            })?;
        self.limits.selling_writes.wait().await;
        let result = self
            .selling
            .assign_opportunity()
            .catalog(&self.catalog)
            .identifier(id)
            .assignee(contact)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| self.fail("AssignOpportunity", e));
        self.audited(
            "AssignOpportunity",
            id,
            None,
            assignee.email.clone(),
            result,
        )
    }

    /// Links (or unlinks) a partner solution and an opportunity.
    pub async fn set_solution_link(&self, id: &str, solution: &str, linked: bool) -> Result<()> {
        self.set_link(id, LinkKind::Solution, solution, linked)
            .await
    }

    /// Associates (`linked`) or disassociates an entity of `kind` with opportunity `id`.
    pub async fn set_link(
        &self,
        id: &str,
        kind: LinkKind,
        entity: &str,
        linked: bool,
    ) -> Result<()> {
        self.limits.selling_writes.wait().await;
        let sdk_kind = selling::types::RelatedEntityType::from(kind.api_name());
        let (operation, result) = if linked {
            let r = self
                .selling
                .associate_opportunity()
                .catalog(&self.catalog)
                .opportunity_identifier(id)
                .related_entity_type(sdk_kind)
                .related_entity_identifier(entity)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| self.fail("AssociateOpportunity", e));
            ("AssociateOpportunity", r)
        } else {
            let r = self
                .selling
                .disassociate_opportunity()
                .catalog(&self.catalog)
                .opportunity_identifier(id)
                .related_entity_type(sdk_kind)
                .related_entity_identifier(entity)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| self.fail("DisassociateOpportunity", e));
            ("DisassociateOpportunity", r)
        };
        let what = format!("{} {entity}", kind.api_name());
        self.audited(operation, id, None, Some(what), result)
    }

    /// Submits an opportunity to AWS (StartEngagementFromOpportunityTask); follow the task with
    /// `submission_task`.
    pub async fn start_submission(
        &self,
        id: &str,
        involvement: &str,
        visibility: &str,
        client_token: &str,
    ) -> Result<TaskState> {
        self.limits.selling_writes.wait().await;
        let submission = selling::types::AwsSubmission::builder()
            .involvement_type(selling::types::SalesInvolvementType::from(involvement))
            .visibility(selling::types::Visibility::from(visibility))
            .build()
            .map_err(|e| {
                PartnerError::new(
                    "StartEngagementFromOpportunityTask",
                    FailureKind::Validation,
                    e.to_string(),
                )
            })?;
        let result = self
            .selling
            .start_engagement_from_opportunity_task()
            .catalog(&self.catalog)
            .client_token(client_token)
            .identifier(id)
            .aws_submission(submission)
            .send()
            .await
            .map(|t| task_state!(t, text(t.engagement_id())))
            .map_err(|e| self.fail("StartEngagementFromOpportunityTask", e));
        self.audited(
            "StartEngagementFromOpportunityTask",
            id,
            Some(client_token),
            Some(format!("{involvement}, {visibility}")),
            result,
        )
    }

    pub async fn submission_task(&self, task_id: &str) -> Result<TaskState> {
        self.limits.selling_reads.wait().await;
        let out = self
            .selling
            .list_engagement_from_opportunity_tasks()
            .catalog(&self.catalog)
            .task_identifier(task_id)
            .send()
            .await
            .map_err(|e| self.fail("ListEngagementFromOpportunityTasks", e))?;
        let t = listed_task(
            out.task_summaries(),
            "ListEngagementFromOpportunityTasks",
            task_id,
        )?;
        Ok(task_state!(t, text(t.engagement_id())))
    }
}

/// Referral answers.
impl PartnerClient {
    /// Accepts a referral the way AWS recommends (StartEngagementByAcceptingInvitationTask), which
    /// also creates the opportunity; follow it with `acceptance_task`.
    pub async fn accept_referral(&self, id: &str, client_token: &str) -> Result<TaskState> {
        self.limits.selling_writes.wait().await;
        let result = self
            .selling
            .start_engagement_by_accepting_invitation_task()
            .catalog(&self.catalog)
            .client_token(client_token)
            .identifier(id)
            .send()
            .await
            .map(|t| task_state!(t, None))
            .map_err(|e| self.fail("StartEngagementByAcceptingInvitationTask", e));
        self.audited(
            "StartEngagementByAcceptingInvitationTask",
            id,
            Some(client_token),
            None,
            result,
        )
    }

    pub async fn acceptance_task(&self, task_id: &str) -> Result<TaskState> {
        self.limits.selling_reads.wait().await;
        let out = self
            .selling
            .list_engagement_by_accepting_invitation_tasks()
            .catalog(&self.catalog)
            .task_identifier(task_id)
            .send()
            .await
            .map_err(|e| self.fail("ListEngagementByAcceptingInvitationTasks", e))?;
        let t = listed_task(
            out.task_summaries(),
            "ListEngagementByAcceptingInvitationTasks",
            task_id,
        )?;
        Ok(task_state!(t, None))
    }

    /// Declines a referral; the reason (80 characters at most) reaches AWS.
    pub async fn reject_referral(&self, id: &str, reason: Option<&str>) -> Result<()> {
        self.limits.selling_writes.wait().await;
        let result = self
            .selling
            .reject_engagement_invitation()
            .catalog(&self.catalog)
            .identifier(id)
            .set_rejection_reason(reason.map(str::to_string))
            .send()
            .await
            .map(|_| ())
            .map_err(|e| self.fail("RejectEngagementInvitation", e));
        self.audited(
            "RejectEngagementInvitation",
            id,
            None,
            reason.map(str::to_string),
            result,
        )
    }
}

/// Connections (account API).
impl PartnerClient {
    pub async fn invite_partner(
        &self,
        invite: &ConnectionInvite,
        client_token: &str,
    ) -> Result<ConnectionInvitation> {
        self.limits.account.wait().await;
        let result = self
            .account
            .create_connection_invitation()
            .catalog(&self.catalog)
            .client_token(client_token)
            .connection_type(account::types::ConnectionType::from(
                invite.connection_type.as_str(),
            ))
            .receiver_identifier(invite.receiver.trim())
            .name(invite.name.trim())
            .email(invite.email.trim())
            .message(invite.message.trim())
            .send()
            .await
            .map(|i| ConnectionInvitation {
                id: i.id().to_string(),
                arn: Some(i.arn().to_string()),
                connection_type: i.connection_type().as_str().into(),
                direction: i.participant_type().as_str().into(),
                other: i.other_participant_identifier().to_string(),
                status: i.status().as_str().into(),
                created: millis(Some(i.created_at())),
                updated: millis(Some(i.updated_at())),
                expires: millis(i.expires_at()),
                connection_id: text(i.connection_id()),
                message: Some(i.invitation_message().to_string()),
                inviter_name: Some(i.inviter_name().to_string()),
                inviter_email: Some(i.inviter_email().to_string()),
            })
            .map_err(|e| self.fail("CreateConnectionInvitation", e));
        self.audited(
            "CreateConnectionInvitation",
            &invite.receiver,
            Some(client_token),
            Some(invite.connection_type.to_string()),
            result,
        )
    }

    pub async fn answer_connection_invitation(
        &self,
        id: &str,
        answer: &ConnectionAnswer,
        client_token: &str,
    ) -> Result<()> {
        self.limits.account.wait().await;
        let (operation, result) = match answer {
            ConnectionAnswer::Accept => (
                "AcceptConnectionInvitation",
                self.account
                    .accept_connection_invitation()
                    .catalog(&self.catalog)
                    .identifier(id)
                    .client_token(client_token)
                    .send()
                    .await
                    .map(|_| ())
                    .map_err(|e| self.fail("AcceptConnectionInvitation", e)),
            ),
            ConnectionAnswer::Reject { reason } => (
                "RejectConnectionInvitation",
                self.account
                    .reject_connection_invitation()
                    .catalog(&self.catalog)
                    .identifier(id)
                    .client_token(client_token)
                    .set_reason(reason.clone().filter(|r| !r.trim().is_empty()))
                    .send()
                    .await
                    .map(|_| ())
                    .map_err(|e| self.fail("RejectConnectionInvitation", e)),
            ),
            ConnectionAnswer::Cancel => (
                "CancelConnectionInvitation",
                self.account
                    .cancel_connection_invitation()
                    .catalog(&self.catalog)
                    .identifier(id)
                    .client_token(client_token)
                    .send()
                    .await
                    .map(|_| ())
                    .map_err(|e| self.fail("CancelConnectionInvitation", e)),
            ),
        };
        self.audited(operation, id, Some(client_token), None, result)
    }

    pub async fn cancel_connection(
        &self,
        id: &str,
        connection_type: &str,
        reason: &str,
        client_token: &str,
    ) -> Result<()> {
        self.limits.account.wait().await;
        let result = self
            .account
            .cancel_connection()
            .catalog(&self.catalog)
            .identifier(id)
            .connection_type(account::types::ConnectionType::from(connection_type))
            .reason(reason)
            .client_token(client_token)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| self.fail("CancelConnection", e));
        self.audited(
            "CancelConnection",
            id,
            Some(client_token),
            Some(format!("{connection_type}: {reason}")),
            result,
        )
    }
}

fn now_rfc3339() -> String {
    let now = time::OffsetDateTime::now_utc();
    now.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

fn participant_name(p: &account::types::Participant) -> Option<String> {
    match p {
        account::types::Participant::PartnerProfile(x) => Some(x.name().to_string()),
        account::types::Participant::SellerProfile(x) => Some(x.name().to_string()),
        account::types::Participant::Account(x) => Some(x.name().to_string()),
        _ => None,
    }
}

/// Copies what the invitation's payload says about the customer and the work into the detail.
fn fill_from_payload(detail: &mut ReferralDetail, payload: &selling::types::Payload) {
    match payload {
        selling::types::Payload::OpportunityInvitation(p) => {
            if let Some(c) = p.customer() {
                detail.customer = Some(c.company_name().to_string());
                detail.industry = Some(c.industry().as_str().to_string());
                detail.country = Some(c.country_code().as_str().to_string());
                detail.website = Some(c.website_url().to_string());
            }
            if let Some(project) = p.project() {
                detail.project_title = Some(project.title().to_string());
                detail.business_problem = Some(project.business_problem().to_string());
                detail.target_date = Some(project.target_completion_date().to_string());
                detail.monthly_spend = project.expected_customer_spend().first().map(map_spend);
            }
            detail.responsibilities = p
                .receiver_responsibilities()
                .iter()
                .map(|r| r.as_str().to_string())
                .collect();
            detail.sender_contacts = p
                .sender_contacts()
                .iter()
                .map(|c| Contact {
                    email: Some(c.email().to_string()),
                    first_name: text(c.first_name()),
                    last_name: text(c.last_name()),
                    title: text(c.business_title()),
                    phone: text(c.phone()),
                })
                .collect();
        }
        selling::types::Payload::LeadInvitation(p) => {
            if let Some(c) = p.customer() {
                detail.customer = Some(c.company_name().to_string());
                detail.industry = text(c.industry());
                detail.country = Some(c.country_code().to_string());
                detail.website = text(c.website_url());
            }
            if let Some(i) = p.interaction() {
                detail.project_title = text(i.usecase());
                detail.business_problem = Some(format!(
                    "Lead from {} ({})",
                    i.source_name(),
                    i.source_type()
                ));
            }
        }
        _ => {}
    }
}

fn map_spend(s: &selling::types::ExpectedCustomerSpend) -> Money {
    Money {
        amount: s.amount().to_string(),
        currency: s.currency_code().as_str().to_string(),
    }
}

pub(crate) fn map_summary(o: &selling::types::OpportunitySummary) -> OpportunitySummary {
    let lifecycle = o.life_cycle();
    let account = o.customer().and_then(|c| c.account());
    OpportunitySummary {
        id: o.id().unwrap_or_default().to_string(),
        arn: text(o.arn()),
        partner_reference: text(o.partner_opportunity_identifier()),
        customer: account
            .map(|a| a.company_name().to_string())
            .unwrap_or_default(),
        industry: text(account.and_then(|a| a.industry()).map(|i| i.as_str())),
        country: text(
            account
                .and_then(|a| a.address())
                .and_then(|a| a.country_code())
                .map(|c| c.as_str()),
        ),
        website: text(account.and_then(|a| a.website_url())),
        opportunity_type: text(o.opportunity_type().map(|t| t.as_str())),
        stage: vocab(lifecycle.and_then(|l| l.stage()).map(|s| s.as_str())),
        review_status: vocab(
            lifecycle
                .and_then(|l| l.review_status())
                .map(|s| s.as_str()),
        ),
        review_comments: text(lifecycle.and_then(|l| l.review_comments())),
        review_reason: text(lifecycle.and_then(|l| l.review_status_reason())),
        closed_lost_reason: text(
            lifecycle
                .and_then(|l| l.closed_lost_reason())
                .map(|s| s.as_str()),
        ),
        next_steps: text(lifecycle.and_then(|l| l.next_steps())),
        target_close: text(lifecycle.and_then(|l| l.target_close_date())),
        monthly_spend: o
            .project()
            .and_then(|p| p.expected_customer_spend().first())
            .map(map_spend),
        created: millis(o.created_date()),
        last_modified: millis(o.last_modified_date()),
        title: None,
        owner: None,
    }
}

fn map_contact(c: &selling::types::Contact) -> Contact {
    Contact {
        email: text(c.email()),
        first_name: text(c.first_name()),
        last_name: text(c.last_name()),
        title: text(c.business_title()),
        phone: text(c.phone()),
    }
}

/// The summary part of a full record: what ListOpportunities would say of it, and its title.
fn full_summary(
    o: &selling::operation::get_opportunity::GetOpportunityOutput,
) -> OpportunitySummary {
    let account = o.customer().and_then(|c| c.account());
    let address = account.and_then(|a| a.address());
    let project = o.project();
    let lifecycle = o.life_cycle();
    OpportunitySummary {
        id: o.id().to_string(),
        arn: text(o.arn()),
        partner_reference: text(o.partner_opportunity_identifier()),
        customer: account
            .map(|a| a.company_name().to_string())
            .unwrap_or_default(),
        industry: text(account.and_then(|a| a.industry()).map(|i| i.as_str())),
        country: text(address.and_then(|a| a.country_code()).map(|c| c.as_str())),
        website: text(account.and_then(|a| a.website_url())),
        opportunity_type: text(o.opportunity_type().map(|t| t.as_str())),
        stage: vocab(lifecycle.and_then(|l| l.stage()).map(|s| s.as_str())),
        review_status: vocab(
            lifecycle
                .and_then(|l| l.review_status())
                .map(|s| s.as_str()),
        ),
        review_comments: text(lifecycle.and_then(|l| l.review_comments())),
        review_reason: text(lifecycle.and_then(|l| l.review_status_reason())),
        closed_lost_reason: text(
            lifecycle
                .and_then(|l| l.closed_lost_reason())
                .map(|s| s.as_str()),
        ),
        next_steps: text(lifecycle.and_then(|l| l.next_steps())),
        target_close: text(lifecycle.and_then(|l| l.target_close_date())),
        monthly_spend: project
            .and_then(|p| p.expected_customer_spend().first())
            .map(map_spend),
        created: millis(Some(o.created_date())),
        last_modified: millis(Some(o.last_modified_date())),
        title: text(project.and_then(|p| p.title())),
        owner: None,
    }
}

pub(crate) fn map_opportunity(
    o: &selling::operation::get_opportunity::GetOpportunityOutput,
) -> Opportunity {
    let account = o.customer().and_then(|c| c.account());
    let address = account.and_then(|a| a.address());
    let project = o.project();
    let lifecycle = o.life_cycle();
    let related = o.related_entity_identifiers();
    let strings = |items: &[String]| items.to_vec();
    Opportunity {
        document: sdk_document::document_of(o),
        summary: full_summary(o),
        title: text(project.and_then(|p| p.title())),
        business_problem: text(project.and_then(|p| p.customer_business_problem())),
        use_case: text(project.and_then(|p| p.customer_use_case())),
        city: text(address.and_then(|a| a.city())),
        postal_code: text(address.and_then(|a| a.postal_code())),
        state_or_region: text(address.and_then(|a| a.state_or_region())),
        primary_needs: o
            .primary_needs_from_aws()
            .iter()
            .map(|n| n.as_str().to_string())
            .collect(),
        delivery_models: project
            .map(|p| {
                p.delivery_models()
                    .iter()
                    .map(|d| d.as_str().to_string())
                    .collect()
            })
            .unwrap_or_default(),
        sales_activities: project
            .map(|p| {
                p.sales_activities()
                    .iter()
                    .map(|d| d.as_str().to_string())
                    .collect()
            })
            .unwrap_or_default(),
        competitor: text(
            project
                .and_then(|p| p.competitor_name())
                .map(|c| c.as_str()),
        ),
        customer_contacts: o
            .customer()
            .map(|c| c.contacts().iter().map(map_contact).collect())
            .unwrap_or_default(),
        team: o.opportunity_team().iter().map(map_contact).collect(),
        next_steps_history: lifecycle
            .map(|l| {
                l.next_steps_history()
                    .iter()
                    .map(|h| NextStep {
                        value: h.value().to_string(),
                        time: millis(Some(h.time())),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        solutions: related.map(|r| strings(r.solutions())).unwrap_or_default(),
        aws_products: related
            .map(|r| strings(r.aws_products()))
            .unwrap_or_default(),
        marketplace_entities: related
            .map(|r| {
                let mut all = strings(r.aws_marketplace_offers());
                all.extend(strings(r.aws_marketplace_offer_sets()));
                all.extend(strings(r.aws_marketplace_solutions()));
                all.extend(strings(r.aws_marketplace_products()));
                all
            })
            .unwrap_or_default(),
    }
}
