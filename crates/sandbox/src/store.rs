//! The sandbox's data: one `CatalogState` per catalog (AWS and Sandbox never share records),
//! with opportunities kept in sorted indexes so that any list page is a range scan rather than
//! a sort of the whole table.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Bound;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::clock::Millis;
use super::error::ApiError;
use super::model::{FieldProblem, ProblemCode};

/// A sort key: numbers and instants compare as numbers, names and dates as text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Key {
    Num(i64),
    Text(String),
}

/// Deterministic generator for ids and demo data; its state is persisted with the sandbox so a
/// restarted sandbox does not reissue ids.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        // SplitMix64: tiny, fast and good enough for ids and believable demo data.
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next_u64() % n }
    }

    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// `len` characters from `alphabet`, for ids such as `engi-` + 13.
    pub fn token(&mut self, alphabet: &[u8], len: usize) -> String {
        (0..len)
            .map(|_| alphabet[self.below(alphabet.len() as u64) as usize] as char)
            .collect()
    }
}

pub const LOWER_ALNUM: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
pub const MIXED_ALNUM: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

pub const OPPORTUNITY_SORTS: [&str; 5] = [
    "LastModifiedDate",
    "Identifier",
    "CustomerCompanyName",
    "CreatedDate",
    "TargetCloseDate",
];

/// An opportunity being read or changed: the document parsed into a tree. The sandbox keeps
/// each one as a [`StoredOpportunity`] and opens it on demand.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OpportunityRecord {
    pub id: u64,
    /// Every GetOpportunity member except Catalog, Id, Arn, CreatedDate and LastModifiedDate,
    /// which are derived from the fields below.
    pub doc: Map<String, Value>,
    pub created: Millis,
    pub last_modified: Millis,
    /// What the last submission to AWS asked for; feeds GetAwsOpportunitySummary.
    pub involvement: Option<String>,
    pub visibility: Option<String>,
    pub submitted_at: Option<Millis>,
}

impl OpportunityRecord {
    pub fn identifier(&self) -> String {
        format!("O{}", self.id)
    }

    pub fn lifecycle_str(&self, member: &str) -> Option<&str> {
        self.doc.get("LifeCycle")?.get(member)?.as_str()
    }

    pub fn company(&self) -> &str {
        self.doc
            .get("Customer")
            .and_then(|c| c.get("Account"))
            .and_then(|a| a.get("CompanyName"))
            .and_then(Value::as_str)
            .unwrap_or("")
    }
}

/// An opportunity as the sandbox holds it: the document as compact JSON text, about a sixth of
/// the memory of a parsed tree (100,000 records must fit in a few hundred megabytes), with the
/// members that lists filter and sort on read out once per version. Serialized exactly as an
/// [`OpportunityRecord`], so state files do not care which one wrote them.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredOpportunity {
    pub id: u64,
    doc: Box<RawValue>,
    pub created: Millis,
    pub last_modified: Millis,
    pub involvement: Option<String>,
    pub visibility: Option<String>,
    pub submitted_at: Option<Millis>,
    #[serde(skip)]
    derived: Derived,
}

/// Values computed from a stored record on first use; a change stores a new record, so they
/// never go stale.
#[derive(Debug, Clone, Default)]
struct Derived {
    listed: std::cell::OnceCell<Listed>,
}

/// What ListOpportunities filters and sorts on.
#[derive(Debug, Clone, Default)]
struct Listed {
    stage: Option<Box<str>>,
    review_status: Option<Box<str>>,
    target_close: Option<Box<str>>,
    company_lower: Box<str>,
}

impl From<OpportunityRecord> for StoredOpportunity {
    fn from(record: OpportunityRecord) -> StoredOpportunity {
        let text = serde_json::to_string(&record.doc).expect("a JSON map always serializes");
        StoredOpportunity {
            id: record.id,
            doc: RawValue::from_string(text).expect("serde_json wrote valid JSON"),
            created: record.created,
            last_modified: record.last_modified,
            involvement: record.involvement,
            visibility: record.visibility,
            submitted_at: record.submitted_at,
            derived: Derived::default(),
        }
    }
}

impl StoredOpportunity {
    /// The record as a tree, to read members from or to change and store again.
    pub fn open(&self) -> OpportunityRecord {
        OpportunityRecord {
            id: self.id,
            // Only this module writes the text, from a map; a state file that holds something
            // else for a document is read as an empty one rather than stopping the sandbox.
            doc: serde_json::from_str(self.doc.get()).unwrap_or_default(),
            created: self.created,
            last_modified: self.last_modified,
            involvement: self.involvement.clone(),
            visibility: self.visibility.clone(),
            submitted_at: self.submitted_at,
        }
    }

    pub fn identifier(&self) -> String {
        format!("O{}", self.id)
    }

    /// The document as stored: compact JSON of an object.
    pub fn doc_text(&self) -> &str {
        self.doc.get()
    }

    fn listed(&self) -> &Listed {
        self.derived.listed.get_or_init(|| {
            let record = self.open();
            let text = |member: &str| record.lifecycle_str(member).map(Box::from);
            Listed {
                stage: text("Stage"),
                review_status: text("ReviewStatus"),
                target_close: text("TargetCloseDate"),
                company_lower: record.company().to_lowercase().into(),
            }
        })
    }

    pub fn stage(&self) -> Option<&str> {
        self.listed().stage.as_deref()
    }

    pub fn review_status(&self) -> Option<&str> {
        self.listed().review_status.as_deref()
    }

    pub fn target_close(&self) -> Option<&str> {
        self.listed().target_close.as_deref()
    }

    pub fn company_lower(&self) -> &str {
        &self.listed().company_lower
    }

    fn sort_key(&self, sort: usize) -> Key {
        match sort {
            0 => Key::Num(self.last_modified),
            1 => Key::Num(self.id as i64),
            2 => Key::Text(self.company_lower().to_string()),
            3 => Key::Num(self.created),
            _ => Key::Text(self.target_close().unwrap_or("").to_string()),
        }
    }
}

#[derive(Debug, Default)]
pub struct OpportunityIndex {
    by: [BTreeSet<(Key, u64)>; 5],
}

impl OpportunityIndex {
    fn insert(&mut self, record: &StoredOpportunity) {
        for (sort, set) in self.by.iter_mut().enumerate() {
            set.insert((record.sort_key(sort), record.id));
        }
    }

    fn remove(&mut self, record: &StoredOpportunity) {
        for (sort, set) in self.by.iter_mut().enumerate() {
            set.remove(&(record.sort_key(sort), record.id));
        }
    }
}

/// The ListOpportunities filters, already parsed.
#[derive(Debug, Default)]
pub struct OpportunityFilter {
    pub identifiers: Vec<u64>,
    pub stages: Vec<String>,
    pub review_statuses: Vec<String>,
    pub companies: Vec<String>,
    pub modified_after: Option<Millis>,
    pub modified_before: Option<Millis>,
    pub created_after: Option<Millis>,
    pub created_before: Option<Millis>,
    pub close_after: Option<String>,
    pub close_before: Option<String>,
}

impl OpportunityFilter {
    fn matches(&self, r: &StoredOpportunity) -> bool {
        if !self.stages.is_empty() && !self.stages.iter().any(|s| Some(s.as_str()) == r.stage()) {
            return false;
        }
        if !self.review_statuses.is_empty()
            && !self
                .review_statuses
                .iter()
                .any(|s| Some(s.as_str()) == r.review_status())
        {
            return false;
        }
        if !self.companies.is_empty() {
            let company = r.company_lower();
            if !self.companies.iter().any(|c| company.contains(c.as_str())) {
                return false;
            }
        }
        // "After" includes the instant itself (AWS: items created or updated on or after it).
        if self.modified_after.is_some_and(|t| r.last_modified < t)
            || self.modified_before.is_some_and(|t| r.last_modified >= t)
            || self.created_after.is_some_and(|t| r.created < t)
            || self.created_before.is_some_and(|t| r.created >= t)
        {
            return false;
        }
        if self.close_after.is_some() || self.close_before.is_some() {
            let Some(close) = r.target_close() else {
                return false;
            };
            if self.close_after.as_deref().is_some_and(|a| close < a)
                || self.close_before.as_deref().is_some_and(|b| close >= b)
            {
                return false;
            }
        }
        true
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InvitationRecord {
    /// GetEngagementInvitation members except Catalog.
    pub doc: Map<String, Value>,
    pub participant: String,
    /// A Sandbox-catalog fake AWS referral made by CreateOpportunity(Origin = AWS Referral):
    /// accepting it creates the opportunity under this reserved id with this body.
    pub referral_opportunity: Option<(u64, Map<String, Value>)>,
    /// An invitation between partners (CreateEngagementInvitation): the account it was sent to.
    /// None for AWS's invitations to the sandbox's own partner, whose side `participant` names.
    #[serde(default)]
    pub receiver_account: Option<String>,
}

impl InvitationRecord {
    pub fn id(&self) -> &str {
        self.doc.get("Id").and_then(Value::as_str).unwrap_or("")
    }
    pub fn status(&self) -> &str {
        self.doc.get("Status").and_then(Value::as_str).unwrap_or("")
    }
    pub fn set_status(&mut self, status: &str) {
        self.doc
            .insert("Status".into(), Value::String(status.into()));
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TaskKind {
    AcceptInvitation,
    FromOpportunity,
    /// StartOpportunityFromEngagementTask: a lead's context made into an opportunity.
    OpportunityFromEngagement,
}

impl TaskKind {
    /// The list operation that pages through tasks of this kind.
    pub fn list_operation(self) -> &'static str {
        match self {
            TaskKind::AcceptInvitation => "ListEngagementByAcceptingInvitationTasks",
            TaskKind::FromOpportunity => "ListEngagementFromOpportunityTasks",
            TaskKind::OpportunityFromEngagement => "ListOpportunityFromEngagementTasks",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TaskRecord {
    pub kind: TaskKind,
    pub id: String,
    pub arn: String,
    pub start: Millis,
    pub due: Millis,
    pub status: String,
    pub message: Option<String>,
    pub reason_code: Option<String>,
    pub opportunity_id: Option<String>,
    pub invitation_id: Option<String>,
    pub engagement_id: Option<String>,
    pub snapshot_job_id: Option<String>,
    pub tags: Vec<Value>,
    pub involvement: Option<String>,
    pub visibility: Option<String>,
    /// The engagement context a conversion task reads.
    #[serde(default)]
    pub context_id: Option<String>,
}

/// One revision of a resource snapshot: an opportunity as it was, shared in its engagement.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SnapshotRecord {
    pub engagement: String,
    pub resource: String,
    pub template: String,
    pub revision: i64,
    pub created_at: Millis,
    pub created_by: String,
    pub payload: Value,
}

/// A job that snapshots a resource while it runs.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SnapshotJobRecord {
    pub id: String,
    pub engagement: String,
    pub resource: String,
    pub template: String,
    pub created_at: Millis,
    /// Running or Stopped.
    pub status: String,
    pub last_success: Option<Millis>,
}

/// An engagement: AWS and the partners working one customer need together, with its contexts
/// (a customer project, a lead) and the opportunities associated with it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EngagementRecord {
    pub id: String,
    pub title: String,
    pub description: String,
    pub created_at: Millis,
    pub created_by: String,
    pub modified_at: Millis,
    pub modified_by: String,
    /// EngagementMember objects: AccountId, CompanyName, WebsiteUrl.
    pub members: Vec<Value>,
    /// EngagementContextDetails objects: Id, Type, Payload.
    pub contexts: Vec<Value>,
    /// Associated opportunities: (identifier, the account that associated it).
    pub opportunities: Vec<(String, String)>,
}

impl EngagementRecord {
    pub fn has_member(&self, account: &str) -> bool {
        self.members
            .iter()
            .any(|m| m["AccountId"].as_str() == Some(account))
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct CatalogState {
    pub name: String,
    /// Persisted on lines of their own (see `persist`), so a change need not rewrite them all;
    /// read here too from state files written before that.
    #[serde(skip_serializing, default)]
    pub opportunities: BTreeMap<u64, StoredOpportunity>,
    #[serde(skip)]
    pub index: OpportunityIndex,
    pub next_opportunity: u64,
    pub solutions: Vec<Value>,
    pub invitations: BTreeMap<String, InvitationRecord>,
    pub tasks: Vec<TaskRecord>,
    pub partner: Value,
    pub alliance_lead: Value,
    pub connections: BTreeMap<String, Value>,
    pub connection_invitations: BTreeMap<String, Value>,
    /// Other partners this account can connect with, by AWS account id: the `Participant`
    /// union the account API reports for them.
    pub directory: BTreeMap<String, Value>,
    #[serde(default)]
    pub engagements: BTreeMap<String, EngagementRecord>,
    /// GetSellingSystemSettings' ResourceSnapshotJobRoleArn, once put.
    #[serde(default)]
    pub snapshot_job_role: Option<String>,
    /// Resource snapshots, every revision kept.
    #[serde(default)]
    pub snapshots: Vec<SnapshotRecord>,
    #[serde(default)]
    pub snapshot_jobs: BTreeMap<String, SnapshotJobRecord>,
    /// The benefits catalogue (GetBenefit's shape), the partner's applications and the
    /// allocations approvals produced, by id.
    #[serde(default)]
    pub benefits: Vec<Value>,
    #[serde(default)]
    pub benefit_applications: BTreeMap<String, Value>,
    #[serde(default)]
    pub benefit_allocations: BTreeMap<String, Value>,
    /// Submitted applications and when AWS's review of each is due.
    #[serde(default)]
    pub benefit_reviews: Vec<(Millis, String)>,
    /// Channel: program management accounts, relationships (each under its account) and
    /// handshakes, as the channel API shows them (camelCase), by id.
    #[serde(default)]
    pub program_accounts: BTreeMap<String, Value>,
    #[serde(default)]
    pub relationships: BTreeMap<String, Value>,
    #[serde(default)]
    pub handshakes: BTreeMap<String, Value>,
    /// Opportunities stored since the state was last persisted.
    #[serde(skip)]
    changed: BTreeSet<u64>,
}

impl CatalogState {
    pub fn new(name: &str) -> CatalogState {
        CatalogState {
            name: name.to_string(),
            next_opportunity: 1_000_000,
            ..Default::default()
        }
    }

    /// Builds every index from scratch: sorted once and bulk-loaded, which is several times
    /// faster than inserting 100,000 records one by one.
    pub fn rebuild_index(&mut self) {
        let records = &self.opportunities;
        self.index.by = std::array::from_fn(|sort| {
            let mut keys: Vec<(Key, u64)> =
                records.values().map(|r| (r.sort_key(sort), r.id)).collect();
            keys.sort_unstable();
            keys.into_iter().collect()
        });
    }

    /// Adds a record without touching the indexes; call `rebuild_index` after a batch.
    pub fn insert_unindexed(&mut self, record: OpportunityRecord) {
        self.next_opportunity = self.next_opportunity.max(record.id + 1);
        self.opportunities.insert(record.id, record.into());
    }

    pub fn insert_opportunity(&mut self, record: OpportunityRecord) {
        self.next_opportunity = self.next_opportunity.max(record.id + 1);
        let stored = StoredOpportunity::from(record);
        if let Some(old) = self.opportunities.remove(&stored.id) {
            self.index.remove(&old);
        }
        self.index.insert(&stored);
        self.changed.insert(stored.id);
        self.opportunities.insert(stored.id, stored);
    }

    /// Applies `change` to an opportunity and keeps the indexes in step.
    pub fn modify_opportunity<R>(
        &mut self,
        id: u64,
        change: impl FnOnce(&mut OpportunityRecord) -> R,
    ) -> Option<R> {
        let mut record = self.opportunities.get(&id)?.open();
        let result = change(&mut record);
        self.insert_opportunity(record);
        Some(result)
    }

    /// The ids of opportunities stored since the last call, for incremental persistence.
    pub fn take_changed(&mut self) -> BTreeSet<u64> {
        std::mem::take(&mut self.changed)
    }

    pub fn opportunity_by_identifier(&self, identifier: &str) -> Option<&StoredOpportunity> {
        parse_opportunity_id(identifier).and_then(|id| self.opportunities.get(&id))
    }

    /// One page of opportunities in `sort` order, strictly after `after`.
    pub fn page_opportunities(
        &self,
        sort: usize,
        descending: bool,
        filter: &OpportunityFilter,
        after: Option<&(Key, Key)>,
        limit: usize,
    ) -> (Vec<&StoredOpportunity>, Option<(Key, Key)>) {
        let cursor = after.map(|(k, id)| {
            let id = match id {
                Key::Num(n) => *n as u64,
                Key::Text(_) => 0,
            };
            (k.clone(), id)
        });
        let page = Page {
            records: Vec::with_capacity(limit.min(128)),
            limit,
            more: false,
        };
        let page = match self.candidates(filter) {
            Some(candidates) => {
                self.page_of_candidates(candidates, sort, descending, filter, cursor, page)
            }
            None => self.page_of_index(sort, descending, filter, cursor, page),
        };
        let next = if page.more {
            page.records
                .last()
                .map(|r| (r.sort_key(sort), Key::Num(r.id as i64)))
        } else {
            None
        };
        (page.records, next)
    }

    /// Few candidates (at most 20 ids, or the customers whose name contains a filter text) are
    /// cheaper to sort than an index is to walk. Company names are matched in the compact
    /// company index rather than by visiting 100,000 full records. None: walk the index.
    fn candidates(&self, filter: &OpportunityFilter) -> Option<Vec<u64>> {
        if !filter.identifiers.is_empty() {
            return Some(filter.identifiers.clone());
        }
        if filter.companies.is_empty() {
            return None;
        }
        Some(
            self.index.by[2]
                .iter()
                .filter(|(name, _)| match name {
                    Key::Text(name) => filter.companies.iter().any(|c| name.contains(c.as_str())),
                    Key::Num(_) => false,
                })
                .map(|(_, id)| *id)
                .collect(),
        )
    }

    fn page_of_candidates<'a>(
        &'a self,
        candidates: Vec<u64>,
        sort: usize,
        descending: bool,
        filter: &OpportunityFilter,
        cursor: Option<(Key, u64)>,
        mut page: Page<'a>,
    ) -> Page<'a> {
        let mut chosen: Vec<(Key, u64)> = candidates
            .iter()
            .filter_map(|id| self.opportunities.get(id))
            .filter(|r| filter.matches(r))
            .map(|r| (r.sort_key(sort), r.id))
            .collect();
        chosen.sort();
        chosen.dedup();
        if descending {
            chosen.reverse();
        }
        for entry in chosen {
            let already_sent = cursor
                .as_ref()
                .is_some_and(|c| if descending { entry >= *c } else { entry <= *c });
            if !already_sent && !page.offer(&self.opportunities[&entry.1]) {
                break;
            }
        }
        page
    }

    fn page_of_index<'a>(
        &'a self,
        sort: usize,
        descending: bool,
        filter: &OpportunityFilter,
        cursor: Option<(Key, u64)>,
        mut page: Page<'a>,
    ) -> Page<'a> {
        let set = &self.index.by[sort];
        let entries: Box<dyn Iterator<Item = &(Key, u64)>> = match (cursor, descending) {
            (None, false) => Box::new(set.iter()),
            (None, true) => Box::new(set.iter().rev()),
            (Some(c), false) => Box::new(set.range((Bound::Excluded(c), Bound::Unbounded))),
            (Some(c), true) => Box::new(set.range((Bound::Unbounded, Bound::Excluded(c))).rev()),
        };
        for entry in entries {
            let record = &self.opportunities[&entry.1];
            if filter.matches(record) && !page.offer(record) {
                break;
            }
        }
        page
    }
}

/// A page being filled: up to `limit` records, and whether more remain.
struct Page<'a> {
    records: Vec<&'a StoredOpportunity>,
    limit: usize,
    more: bool,
}

impl<'a> Page<'a> {
    /// Takes `record` if there is room; false (and `more`) once the page is full.
    fn offer(&mut self, record: &'a StoredOpportunity) -> bool {
        if self.records.len() == self.limit {
            self.more = true;
            return false;
        }
        self.records.push(record);
        true
    }
}

pub fn parse_opportunity_id(identifier: &str) -> Option<u64> {
    identifier.strip_prefix('O')?.parse().ok()
}

/// Keyset pagination over a small collection, ordered by (key, id).
pub fn page_small<T>(
    mut items: Vec<(Key, Key, T)>,
    descending: bool,
    after: Option<&(Key, Key)>,
    limit: usize,
) -> (Vec<T>, Option<(Key, Key)>) {
    items.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    if descending {
        items.reverse();
    }
    let mut page = Vec::new();
    let mut last = None;
    let mut more = false;
    for (key, id, item) in items {
        if let Some((ck, cid)) = after {
            let position = (&key, &id).cmp(&(ck, cid));
            let already_sent = if descending {
                position.is_ge()
            } else {
                position.is_le()
            };
            if already_sent {
                continue;
            }
        }
        if page.len() == limit {
            more = true;
            break;
        }
        last = Some((key, id));
        page.push(item);
    }
    (page, if more { last } else { None })
}

/// NextTokens are opaque to clients: a hex-encoded cursor bound to a fingerprint of the request
/// it continues, so the same position of the same query always yields the same token, and a
/// token replayed against a different query is refused instead of silently skipping rows.
#[derive(Serialize, Deserialize)]
struct Cursor {
    f: u64,
    k: Key,
    i: Key,
}

/// The fingerprint of a list request: its operation and its parameters but the paging ones, so
/// a token issued by one list operation is refused by another.
pub fn request_fingerprint(operation: &str, request: &Value) -> u64 {
    let mut stripped = request.clone();
    if let Some(map) = stripped.as_object_mut() {
        map.remove("NextToken");
        map.remove("MaxResults");
    }
    // serde_json keeps object keys sorted, so this text is canonical for the request.
    fnv1a(format!("{operation} {stripped}").as_bytes())
}

pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        hash ^= *b as u64;
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

pub fn encode_token(fingerprint: u64, position: &(Key, Key)) -> String {
    let cursor = Cursor {
        f: fingerprint,
        k: position.0.clone(),
        i: position.1.clone(),
    };
    let text = serde_json::to_string(&cursor).unwrap_or_default();
    text.bytes().map(|b| format!("{b:02x}")).collect()
}

pub fn decode_token(token: &str, fingerprint: u64) -> Result<(Key, Key), ApiError> {
    let invalid = || ApiError::Validation {
        business: false,
        message: "The NextToken is not valid for this request. Start again without a NextToken."
            .into(),
        fields: vec![FieldProblem {
            field: "NextToken".into(),
            code: ProblemCode::InvalidValue,
            message: "NextToken was not issued for a request with these parameters".into(),
        }],
    };
    if !token.len().is_multiple_of(2) {
        return Err(invalid());
    }
    let bytes: Option<Vec<u8>> = (0..token.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(token.get(i..i + 2)?, 16).ok())
        .collect();
    let cursor: Cursor = bytes
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or_else(invalid)?;
    if cursor.f != fingerprint {
        return Err(invalid());
    }
    Ok((cursor.k, cursor.i))
}

/// Where a list call resumes and how much it returns, parsed from NextToken and MaxResults.
pub struct PageRequest {
    pub after: Option<(Key, Key)>,
    pub fingerprint: u64,
    pub limit: usize,
}

impl PageRequest {
    pub fn from_input(
        operation: &str,
        input: &Value,
        default_limit: u64,
    ) -> Result<PageRequest, ApiError> {
        let fingerprint = request_fingerprint(operation, input);
        let after = match input["NextToken"].as_str() {
            Some(token) => Some(decode_token(token, fingerprint)?),
            None => None,
        };
        Ok(PageRequest {
            after,
            fingerprint,
            limit: input["MaxResults"].as_u64().unwrap_or(default_limit) as usize,
        })
    }

    /// The response's NextToken for a page that stopped at `next`.
    pub fn next_token(&self, next: Option<(Key, Key)>) -> Option<String> {
        next.map(|position| encode_token(self.fingerprint, &position))
    }
}

/// Replayable results of requests that carried a ClientToken.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Idempotency {
    pub entries: HashMap<String, (u64, Value)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: u64, modified: Millis, company: &str) -> OpportunityRecord {
        let doc = serde_json::json!({
            "Customer": {"Account": {"CompanyName": company}},
            "LifeCycle": {"Stage": "Prospect"}
        });
        OpportunityRecord {
            id,
            doc: doc.as_object().unwrap().clone(),
            created: modified,
            last_modified: modified,
            involvement: None,
            visibility: None,
            submitted_at: None,
        }
    }

    #[test]
    fn pages_cover_every_record_once_in_both_directions() {
        let mut catalog = CatalogState::new("AWS");
        for i in 0..250u64 {
            catalog.insert_opportunity(record(1000 + i, (i % 17) as i64, &format!("Co {i}")));
        }
        for descending in [false, true] {
            let mut seen = Vec::new();
            let mut after = None;
            loop {
                let (page, next) = catalog.page_opportunities(
                    0,
                    descending,
                    &OpportunityFilter::default(),
                    after.as_ref(),
                    40,
                );
                seen.extend(page.iter().map(|r| r.id));
                match next {
                    Some(n) => after = Some(n),
                    None => break,
                }
            }
            let mut sorted = seen.clone();
            sorted.sort();
            sorted.dedup();
            assert_eq!(sorted.len(), 250);
            assert_eq!(seen.len(), 250);
        }
    }

    #[test]
    fn tokens_round_trip_and_are_bound_to_their_request() {
        let position = (Key::Text("acme".into()), Key::Num(7));
        let token = encode_token(42, &position);
        assert_eq!(decode_token(&token, 42).unwrap(), position);
        assert!(decode_token(&token, 43).is_err());
        assert!(decode_token("zz", 42).is_err());
    }

    #[test]
    fn modifying_keeps_indexes_consistent() {
        let mut catalog = CatalogState::new("AWS");
        catalog.insert_opportunity(record(1, 5, "B"));
        catalog.insert_opportunity(record(2, 6, "A"));
        catalog.modify_opportunity(1, |r| r.last_modified = 10);
        let (page, _) =
            catalog.page_opportunities(0, true, &OpportunityFilter::default(), None, 10);
        assert_eq!(page.iter().map(|r| r.id).collect::<Vec<_>>(), vec![1, 2]);
    }
}
