//! The whole sandbox: both catalogs, ClientToken replays, tags, and the clock-driven work the
//! real service does in the background (tasks finishing, reviews starting, invitations expiring).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::clock::{Millis, format_millis, instant_of};
use super::store::{CatalogState, Idempotency, OpportunityRecord, Rng, TaskKind};

pub const CATALOGS: [&str; 2] = ["AWS", "Sandbox"];

/// How the real service names AWS as the sender of a referral (recorded answers).
pub const AWS_SENDER_ACCOUNT: &str = "aws";
pub const AWS_SENDER_NAME: &str = "AWS";

#[derive(Debug, Serialize, Deserialize)]
pub struct State {
    pub account_id: String,
    /// Who sends the request being handled: another partner of the directory (its account id
    /// as the access key id), or None for the sandbox's own partner.
    #[serde(skip)]
    pub caller: Option<String>,
    pub region: String,
    pub catalogs: BTreeMap<String, CatalogState>,
    pub idempotency: Idempotency,
    pub tags: BTreeMap<String, BTreeMap<String, String>>,
    pub rng: Rng,
    /// How long asynchronous work (submission tasks, the start of a review) takes.
    pub task_delay_ms: Millis,
    /// How long a referral acceptance task takes; the real service was seen to finish it within
    /// the request, so the default is zero.
    #[serde(default)]
    pub accept_delay_ms: Millis,
    /// Submitted opportunities waiting to move to "In review": (due, catalog, id).
    pub review_queue: Vec<(Millis, String, u64)>,
    /// Daily count of connection invitations sent, for the account quota: (day, count).
    pub invitations_sent_today: (i64, u32),
    /// Nothing in the background falls due before this instant, so `advance` can skip its scan.
    #[serde(skip)]
    next_wakeup: Millis,
}

impl State {
    pub fn empty(seed: u64, account_id: &str) -> State {
        State {
            account_id: account_id.to_string(),
            caller: None,
            region: "us-east-1".into(),
            catalogs: CATALOGS
                .iter()
                .map(|c| (c.to_string(), CatalogState::new(c)))
                .collect(),
            idempotency: Idempotency::default(),
            tags: BTreeMap::new(),
            rng: Rng(seed ^ 0x5EED),
            task_delay_ms: 1500,
            accept_delay_ms: 0,
            review_queue: Vec::new(),
            invitations_sent_today: (0, 0),
            next_wakeup: 0,
        }
    }

    pub fn rebuild_indexes(&mut self) {
        for catalog in self.catalogs.values_mut() {
            catalog.rebuild_index();
        }
    }

    /// The account the request being handled acts as.
    pub fn me(&self) -> &str {
        self.caller.as_deref().unwrap_or(&self.account_id)
    }

    pub fn catalog(&mut self, name: &str) -> &mut CatalogState {
        self.catalogs
            .entry(name.to_string())
            .or_insert_with(|| CatalogState::new(name))
    }

    pub fn opportunity_arn(&self, catalog: &str, identifier: &str) -> String {
        format!(
            "arn:aws:partnercentral:{}:{}:catalog/{catalog}/opportunity/{identifier}",
            self.region, self.account_id
        )
    }

    pub fn invitation_arn(&self, catalog: &str, id: &str) -> String {
        // As the real service writes them: the region, no account, and the catalog path.
        format!(
            "arn:aws:partnercentral:{}::catalog/{catalog}/engagement-invitation/{id}",
            self.region
        )
    }

    /// Adds `tags` (`{"Key", "Value"}` objects) to the resource `arn`; how many it now carries.
    pub fn add_tags(&mut self, arn: String, tags: &[Value]) -> usize {
        let entry = self.tags.entry(arn).or_default();
        for tag in tags {
            if let (Some(k), Some(v)) = (tag["Key"].as_str(), tag["Value"].as_str()) {
                entry.insert(k.into(), v.into());
            }
        }
        entry.len()
    }

    pub fn new_id(&mut self, prefix: &str, alphabet: &[u8], len: usize) -> String {
        format!("{prefix}{}", self.rng.token(alphabet, len))
    }

    /// Does the work the real service would have done by `now`: finishes due tasks, moves
    /// submitted opportunities into review, expires invitations.
    pub fn advance(&mut self, now: Millis) {
        super::benefits::advance(self, now);
        if now < self.next_wakeup {
            return;
        }
        self.advance_due(now);
        self.next_wakeup = self.earliest_due().unwrap_or(Millis::MAX);
    }

    /// Forces the next `advance` to look at everything (after a write scheduled new work).
    pub fn wake_now(&mut self) {
        self.next_wakeup = 0;
    }

    fn earliest_due(&self) -> Option<Millis> {
        let reviews = self.review_queue.iter().map(|(t, _, _)| *t);
        let work = self.catalogs.values().flat_map(|c| {
            let tasks = c
                .tasks
                .iter()
                .filter(|t| t.status == "IN_PROGRESS")
                .map(|t| t.due);
            let invitations = c
                .invitations
                .values()
                .filter(|i| i.status() == "PENDING")
                .filter_map(|i| i.doc.get("ExpirationDate").and_then(instant_of));
            let connection_invitations = c
                .connection_invitations
                .values()
                .filter(|i| i["Status"] == "PENDING")
                .filter_map(|i| i.get("ExpiresAt").and_then(instant_of));
            tasks.chain(invitations).chain(connection_invitations)
        });
        reviews.chain(work).min()
    }

    fn advance_due(&mut self, now: Millis) {
        self.advance_reviews(now);
        self.advance_tasks(now);
        for catalog in self.catalogs.values_mut() {
            for invitation in catalog.invitations.values_mut() {
                if invitation.status() == "PENDING"
                    && invitation
                        .doc
                        .get("ExpirationDate")
                        .and_then(instant_of)
                        .is_some_and(|t| t <= now)
                {
                    invitation.set_status("EXPIRED");
                }
            }
            for invitation in catalog.connection_invitations.values_mut() {
                if invitation["Status"] == "PENDING"
                    && invitation
                        .get("ExpiresAt")
                        .and_then(instant_of)
                        .is_some_and(|t| t <= now)
                {
                    invitation["Status"] = json!("EXPIRED");
                    invitation["UpdatedAt"] = json!(format_millis(now));
                }
            }
        }
    }

    fn advance_reviews(&mut self, now: Millis) {
        if self.review_queue.iter().all(|(due, _, _)| *due > now) {
            return;
        }
        let (due, waiting): (Vec<_>, Vec<_>) =
            self.review_queue.drain(..).partition(|(t, _, _)| *t <= now);
        self.review_queue = waiting;
        for (_, catalog, id) in due {
            self.catalog(&catalog).modify_opportunity(id, |record| {
                if record.lifecycle_str("ReviewStatus") == Some("Submitted") {
                    set_lifecycle(record, "ReviewStatus", json!("In review"));
                    record.last_modified = now.max(record.last_modified + 1);
                }
            });
        }
    }

    fn advance_tasks(&mut self, now: Millis) {
        let mut due = Vec::new();
        for (name, catalog) in &self.catalogs {
            for (i, task) in catalog.tasks.iter().enumerate() {
                if task.status == "IN_PROGRESS" && task.due <= now {
                    due.push((name.clone(), i));
                }
            }
        }
        for (catalog, index) in due {
            let kind = self.catalogs[&catalog].tasks[index].kind;
            match kind {
                TaskKind::AcceptInvitation => self.finish_accept_task(&catalog, index, now),
                TaskKind::FromOpportunity => self.finish_submit_task(&catalog, index, now),
                TaskKind::OpportunityFromEngagement => {
                    super::engagements::finish_conversion(self, &catalog, index, now)
                }
            }
        }
    }

    fn finish_accept_task(&mut self, catalog_name: &str, index: usize, now: Millis) {
        let task = self.catalogs[catalog_name].tasks[index].clone();
        let invitation_id = task.invitation_id.clone().unwrap_or_default();
        let invitation = self.catalogs[catalog_name]
            .invitations
            .get(&invitation_id)
            .cloned();
        let fail = |state: &mut State, code: &str, message: String| {
            let t = &mut state.catalog(catalog_name).tasks[index];
            t.status = "FAILED".into();
            t.reason_code = Some(code.into());
            t.message = Some(message);
        };
        let Some(mut invitation) = invitation else {
            return fail(
                self,
                "InvitationValidationFailed",
                format!("Invitation {invitation_id} no longer exists"),
            );
        };
        if invitation.status() != "PENDING" {
            let status = invitation.status().to_string();
            return fail(
                self,
                "InvitationValidationFailed",
                format!("Invitation {invitation_id} is {status} and can no longer be accepted"),
            );
        }
        invitation.set_status("ACCEPTED");
        let opportunity_id =
            self.opportunity_from_referral(catalog_name, &mut invitation, &task, now);
        let snapshot = self.new_id("job-", super::store::LOWER_ALNUM, 13);
        let engagement = invitation
            .doc
            .get("EngagementId")
            .and_then(Value::as_str)
            .map(String::from);
        if let Some(engagement) = &engagement {
            let account = self.account_id.clone();
            super::engagements::join(
                self,
                catalog_name,
                engagement,
                &account,
                opportunity_id.as_deref(),
            );
        }
        let catalog = self.catalog(catalog_name);
        catalog.invitations.insert(invitation_id, invitation);
        let t = &mut catalog.tasks[index];
        t.status = "COMPLETE".into();
        t.opportunity_id = opportunity_id;
        t.snapshot_job_id = Some(snapshot);
        t.engagement_id = engagement;
    }

    /// The opportunity AWS creates in the partner's account when a referral is accepted (none
    /// for a lead): the Sandbox simulation's reserved record, or one made from the payload.
    fn opportunity_from_referral(
        &mut self,
        catalog_name: &str,
        invitation: &mut super::store::InvitationRecord,
        task: &super::store::TaskRecord,
        now: Millis,
    ) -> Option<String> {
        let payload = invitation
            .doc
            .get("Payload")
            .and_then(|p| p.get("OpportunityInvitation"))
            .cloned()?;
        let (id, body) = match invitation.referral_opportunity.take() {
            Some((id, body)) => (id, body),
            None => {
                let id = self.catalog(catalog_name).next_opportunity;
                (id, opportunity_from_invitation(&payload))
            }
        };
        let mut record = OpportunityRecord {
            id,
            doc: body,
            created: now,
            last_modified: now,
            involvement: Some("Co-Sell".into()),
            visibility: Some("Full".into()),
            submitted_at: Some(now),
        };
        record
            .doc
            .entry("RelatedEntityIdentifiers")
            .or_insert_with(|| json!({}));
        record.doc.insert("Origin".into(), json!("AWS Referral"));
        set_lifecycle(&mut record, "ReviewStatus", json!("Approved"));
        let identifier = record.identifier();
        if !task.tags.is_empty() {
            let arn = self.opportunity_arn(catalog_name, &identifier);
            self.add_tags(arn, &task.tags);
        }
        self.catalog(catalog_name).insert_opportunity(record);
        Some(identifier)
    }

    fn finish_submit_task(&mut self, catalog_name: &str, index: usize, now: Millis) {
        let task = self.catalogs[catalog_name].tasks[index].clone();
        let identifier = task.opportunity_id.clone().unwrap_or_default();
        let problems = self.catalogs[catalog_name]
            .opportunity_by_identifier(&identifier)
            .map(|record| super::selling::submission_problems(&record.open()));
        match problems {
            None => {
                let t = &mut self.catalog(catalog_name).tasks[index];
                t.status = "FAILED".into();
                t.reason_code = Some("OpportunityValidationFailed".into());
                t.message = Some(format!("Opportunity {identifier} no longer exists"));
            }
            Some(problems) if !problems.is_empty() => {
                let t = &mut self.catalog(catalog_name).tasks[index];
                t.status = "FAILED".into();
                t.reason_code = Some("OpportunitySubmissionFailed".into());
                t.message = Some(
                    problems
                        .iter()
                        .map(|p| p.message.clone())
                        .collect::<Vec<_>>()
                        .join("; "),
                );
            }
            Some(_) => {
                let engagement = self.new_id("eng-", super::store::LOWER_ALNUM, 14);
                let invitation = self.new_id("engi-", super::store::LOWER_ALNUM, 13);
                let snapshot = self.new_id("job-", super::store::LOWER_ALNUM, 13);
                let id = super::store::parse_opportunity_id(&identifier).unwrap_or_default();
                let catalog_arn = self.invitation_arn(catalog_name, &invitation);
                let account_id = self.account_id.clone();
                let delay = self.task_delay_ms;
                let own = member_for(self, catalog_name, &account_id);
                let catalog = self.catalog(catalog_name);
                let mut sent = None;
                catalog.modify_opportunity(id, |record| {
                    set_lifecycle(record, "ReviewStatus", json!("Submitted"));
                    record.involvement = task.involvement.clone();
                    record.visibility = task.visibility.clone().or(Some("Full".into()));
                    record.submitted_at = Some(now);
                    record.last_modified = now.max(record.last_modified + 1);
                    sent = Some(sent_invitation(
                        record,
                        &invitation,
                        &engagement,
                        &catalog_arn,
                        &account_id,
                        now,
                    ));
                });
                if let Some(doc) = sent {
                    // The submission's engagement: the partner and AWS, the opportunity's
                    // customer project, and the opportunity associated with it.
                    let sent_doc = Value::Object(doc.clone());
                    let project = &sent_doc["Payload"]["OpportunityInvitation"];
                    let title = sent_doc["EngagementTitle"]
                        .as_str()
                        .unwrap_or_default()
                        .to_string();
                    let record = super::store::EngagementRecord {
                        id: engagement.clone(),
                        title: title.clone(),
                        description: sent_doc["EngagementDescription"]
                            .as_str()
                            .unwrap_or(&title)
                            .to_string(),
                        created_at: now,
                        created_by: account_id.clone(),
                        modified_at: now,
                        modified_by: account_id.clone(),
                        members: vec![
                            own,
                            json!({"AccountId": AWS_SENDER_ACCOUNT, "CompanyName": "Amazon Web Services",
                                   "WebsiteUrl": "https://aws.amazon.com"}),
                        ],
                        contexts: vec![
                            json!({"Id": "1", "Type": "CustomerProject", "Payload": {"CustomerProject": {
                                "Customer": project["Customer"].clone(),
                                "Project": {"Title": project["Project"]["Title"].clone(),
                                            "BusinessProblem": project["Project"]["BusinessProblem"].clone(),
                                            "TargetCompletionDate": project["Project"]["TargetCompletionDate"].clone()},
                            }}}),
                        ],
                        opportunities: vec![(identifier.clone(), account_id.clone())],
                    };
                    catalog.engagements.insert(engagement.clone(), record);
                    catalog.invitations.insert(
                        invitation.clone(),
                        super::store::InvitationRecord {
                            doc,
                            participant: "SENDER".into(),
                            referral_opportunity: None,
                            receiver_account: None,
                        },
                    );
                }
                let t = &mut catalog.tasks[index];
                t.status = "COMPLETE".into();
                t.engagement_id = Some(engagement);
                t.invitation_id = Some(invitation);
                t.snapshot_job_id = Some(snapshot);
                self.review_queue
                    .push((now + delay, catalog_name.to_string(), id));
            }
        }
    }
}

/// `account` as an engagement member: its account, and the name and website of its profile
/// (the sandbox's own partner, or one of the directory's).
pub fn member_for(state: &State, catalog: &str, account: &str) -> Value {
    let directory = state.catalogs.get(catalog).map(|c| &c.directory);
    if account != state.account_id {
        let name = directory
            .and_then(|d| d.get(account))
            .and_then(|p| p["PartnerProfile"]["Name"].as_str())
            .unwrap_or("Partner");
        return json!({"AccountId": account, "CompanyName": name,
                      "WebsiteUrl": format!("https://{account}.example.com")});
    }
    let partner = state
        .catalogs
        .get(catalog)
        .map(|c| c.partner.clone())
        .unwrap_or_default();
    json!({
        "AccountId": state.account_id,
        "CompanyName": partner["LegalName"].as_str().unwrap_or("Northwind Cloud"),
        "WebsiteUrl": partner["Profile"]["WebsiteUrl"].as_str().unwrap_or("https://northwind.example.com"),
    })
}

/// The caller as an engagement member.
pub fn partner_member(state: &State, catalog: &str) -> Value {
    member_for(state, catalog, state.me())
}

pub fn set_lifecycle(record: &mut OpportunityRecord, member: &str, value: Value) {
    let lifecycle = record.doc.entry("LifeCycle").or_insert_with(|| json!({}));
    if let Some(map) = lifecycle.as_object_mut() {
        map.insert(member.into(), value);
    }
}

/// The opportunity AWS creates in the partner's account when a referral is accepted.
fn opportunity_from_invitation(payload: &Value) -> Map<String, Value> {
    let customer = &payload["Customer"];
    let project = &payload["Project"];
    let mut doc = json!({
        "Customer": {"Account": {
            "CompanyName": customer["CompanyName"],
            "Industry": customer["Industry"],
            "WebsiteUrl": customer["WebsiteUrl"],
            "Address": {"CountryCode": customer["CountryCode"]}
        }},
        "Project": {
            "Title": project["Title"],
            "CustomerBusinessProblem": project["BusinessProblem"],
            "ExpectedCustomerSpend": project["ExpectedCustomerSpend"]
        },
        "LifeCycle": {
            "Stage": "Qualified",
            "TargetCloseDate": project["TargetCompletionDate"]
        },
        "OpportunityType": "Net New Business",
        "RelatedEntityIdentifiers": {}
    });
    strip_nulls(&mut doc);
    doc.as_object().cloned().unwrap_or_default()
}

/// The invitation AWS records when a partner submits an opportunity for co-sell.
fn sent_invitation(
    record: &OpportunityRecord,
    id: &str,
    engagement: &str,
    arn: &str,
    account_id: &str,
    now: Millis,
) -> Map<String, Value> {
    let account = record
        .doc
        .get("Customer")
        .and_then(|c| c.get("Account"))
        .cloned()
        .unwrap_or(json!({}));
    let project = record.doc.get("Project").cloned().unwrap_or(json!({}));
    let title = project["Title"]
        .as_str()
        .unwrap_or("Opportunity")
        .to_string();
    let mut doc = json!({
        "Arn": arn,
        "PayloadType": "OpportunityInvitation",
        "Id": id,
        "EngagementId": engagement,
        "EngagementTitle": title.chars().take(40).collect::<String>(),
        "Status": "PENDING",
        "InvitationDate": format_millis(now),
        "ExpirationDate": format_millis(now + 15 * super::clock::DAY),
        "SenderAwsAccountId": account_id,
        "Receiver": {"Account": {"AwsAccountId": AWS_SENDER_ACCOUNT, "Alias": AWS_SENDER_NAME}},
        "InvitationMessage": format!("Co-sell submission of {}", record.identifier()),
        "Payload": {"OpportunityInvitation": {
            "ReceiverResponsibilities": ["Co-Sell Facilitator"],
            "Customer": {
                "CompanyName": account["CompanyName"],
                "Industry": account["Industry"],
                "WebsiteUrl": account["WebsiteUrl"],
                "CountryCode": account["Address"]["CountryCode"]
            },
            "Project": {
                "Title": title,
                "BusinessProblem": project["CustomerBusinessProblem"],
                "TargetCompletionDate": record.lifecycle_str("TargetCloseDate"),
                "ExpectedCustomerSpend": project["ExpectedCustomerSpend"]
            }
        }}
    });
    strip_nulls(&mut doc);
    doc.as_object().cloned().unwrap_or_default()
}

/// Members the service would leave out rather than send as null.
pub fn strip_nulls(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.retain(|_, v| !v.is_null());
            for v in map.values_mut() {
                strip_nulls(v);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(strip_nulls),
        _ => {}
    }
}
