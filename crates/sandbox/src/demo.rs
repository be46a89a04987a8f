//! Deterministic demo data: a believable partner whose pipeline looks like a real one (every
//! stage and review status, skewed the way pipelines are), with referrals racing their expiry,
//! and connections in every state. The same seed always yields the same data.

use serde_json::{Map, Value, json};

use super::clock::{DAY, HOUR, Millis, date_string, format_millis};
use super::model;
use super::state::{CATALOGS, State, strip_nulls};
use super::store::{
    InvitationRecord, LOWER_ALNUM, MIXED_ALNUM, OpportunityRecord, Rng, TaskKind, TaskRecord,
};

const COMPANY_HEADS: [&str; 40] = [
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Stark",
    "Wayne",
    "Hooli",
    "Vandelay",
    "Soylent",
    "Tyrell",
    "Cyberdyne",
    "Wonka",
    "Oceanic",
    "Aperture",
    "Massive Dynamic",
    "Pied Piper",
    "Dunder Mifflin",
    "Gekko",
    "Monarch",
    "Nakatomi",
    "Sterling Cooper",
    "Prestige",
    "Blue Sun",
    "Black Mesa",
    "Octan",
    "Virtucon",
    "Bluth",
    "Kramerica",
    "Duff",
    "Gringott",
    "Zorg",
    "Rekall",
    "Weyland",
    "Halcyon",
    "Stratton",
    "Ollivander",
    "Krusty",
    "Lacuna",
    "Abstergo",
    "Polaris",
];
const COMPANY_TAILS: [&str; 16] = [
    "Corp",
    "Industries",
    "Health",
    "Logistics",
    "Bank",
    "Foods",
    "Energy",
    "Media",
    "Labs",
    "Retail",
    "Group",
    "Systems",
    "Analytics",
    "Motors",
    "Pharma",
    "Insurance",
];
const WORKLOADS: [(&str, &str); 16] = [
    (
        "Data lake modernization",
        "Reporting runs on an overloaded on-premises warehouse and analysts wait days for data.",
    ),
    (
        "SAP migration to AWS",
        "The SAP estate sits on hardware that reaches end of support next year.",
    ),
    (
        "Contact center on Amazon Connect",
        "The legacy contact center cannot scale for seasonal peaks and lacks analytics.",
    ),
    (
        "Generative AI assistant on Bedrock",
        "Support agents spend hours searching manuals; the customer wants a grounded assistant.",
    ),
    (
        "Windows workloads to Linux",
        "Licensing costs for Windows servers keep rising and block new projects.",
    ),
    (
        "EKS platform build-out",
        "Teams deploy by hand to virtual machines; releases are slow and risky.",
    ),
    (
        "Disaster recovery on AWS",
        "A single data center holds every system; an outage would stop the business.",
    ),
    (
        "Mainframe modernization",
        "COBOL batch jobs on the mainframe are costly and the skills are retiring.",
    ),
    (
        "Real-time analytics pipeline",
        "Fraud is detected a day late because data arrives in nightly batches.",
    ),
    (
        "Security Hub rollout",
        "Auditors found no central view of security findings across accounts.",
    ),
    (
        "VMware migration",
        "The VMware renewal doubles in price; the customer wants to exit the data center.",
    ),
    (
        "IoT telemetry platform",
        "Factory sensors produce data that no system collects or analyzes.",
    ),
    (
        "Landing zone and governance",
        "Dozens of unmanaged accounts lack guardrails and cost visibility.",
    ),
    (
        "Media archive to S3",
        "Petabytes of footage sit on tape that takes weeks to restore.",
    ),
    (
        "ML demand forecasting",
        "Stock-outs and overstock come from spreadsheet-based forecasts.",
    ),
    (
        "Serverless e-commerce backend",
        "The monolithic shop crashes during every promotion.",
    ),
];
const SELLERS: [(&str, &str); 8] = [
    ("Alex", "Rivera"),
    ("Priya", "Natarajan"),
    ("Jonas", "Berg"),
    ("Chloe", "Martin"),
    ("Kenji", "Watanabe"),
    ("Fatima", "Haddad"),
    ("Sam", "O'Neill"),
    ("Grace", "Liu"),
];
const PARTNERS: [(&str, &str); 10] = [
    ("Contoso Data Partners", "210987654321"),
    ("Fabrikam Managed Services", "310987654322"),
    ("Tailspin Security", "410987654323"),
    ("Woodgrove Consulting", "510987654324"),
    ("Litware AI", "610987654325"),
    ("Proseware Cloud", "710987654326"),
    ("Adatum Systems", "810987654327"),
    ("Lucerne Analytics", "910987654328"),
    ("Trey Research", "120987654329"),
    ("Wingtip Networks", "130987654330"),
];
const US_STATES: [(&str, &str, &str); 8] = [
    ("WA", "Seattle", "98101"),
    ("CA", "San Francisco", "94105"),
    ("NY", "New York", "10001"),
    ("TX", "Austin", "78701"),
    ("IL", "Chicago", "60601"),
    ("MA", "Boston", "02110"),
    ("GA", "Atlanta", "30303"),
    ("CO", "Denver", "80202"),
];
const MAJOR_COUNTRIES: [(&str, &str, &str, &str); 10] = [
    ("GB", "London", "EC1A 1BB", "GBP"),
    ("DE", "Berlin", "10115", "EUR"),
    ("FR", "Paris", "75001", "EUR"),
    ("JP", "Tokyo", "100-0001", "JPY"),
    ("AU", "Sydney", "2000", "AUD"),
    ("IN", "Bengaluru", "560001", "INR"),
    ("BR", "Sao Paulo", "01000-000", "BRL"),
    ("CA", "Toronto", "M5H 2N2", "CAD"),
    ("SG", "Singapore", "049315", "SGD"),
    ("NL", "Amsterdam", "1012 JS", "EUR"),
];
const STAGES: [(&str, u64); 7] = [
    ("Prospect", 20),
    ("Qualified", 20),
    ("Technical Validation", 15),
    ("Business Validation", 12),
    ("Committed", 10),
    ("Launched", 13),
    ("Closed Lost", 10),
];

fn weighted<'a>(rng: &mut Rng, items: &'a [(&'a str, u64)]) -> &'a str {
    let total: u64 = items.iter().map(|(_, w)| w).sum();
    let mut roll = rng.below(total);
    for (item, weight) in items {
        if roll < *weight {
            return item;
        }
        roll -= weight;
    }
    items[0].0
}

fn slug(name: &str) -> String {
    name.to_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect()
}

struct Lists {
    industries: Vec<String>,
    countries: Vec<String>,
    closed_lost: Vec<String>,
    needs: Vec<String>,
}

/// Builds a whole sandbox: `opportunities` in the AWS catalog and a quarter as many (different
/// ones) in the Sandbox catalog, as of `now`.
pub fn generate(seed: u64, opportunities: usize, now: Millis) -> State {
    let mut rng = Rng(seed);
    let account_id = format!("{:012}", 100_000_000_000 + rng.below(800_000_000_000));
    let mut state = State::empty(seed, &account_id);
    let lists = Lists {
        industries: model::selling().enum_values("Industry"),
        countries: model::selling().enum_values("CountryCode"),
        closed_lost: model::selling().enum_values("ClosedLostReason"),
        needs: model::selling().enum_values("PrimaryNeedFromAws"),
    };
    for (i, catalog) in CATALOGS.iter().enumerate() {
        let mut rng = Rng(seed.wrapping_add(0x1000 * (i as u64 + 1)));
        let count = if i == 0 {
            opportunities
        } else {
            (opportunities / 4).max(opportunities.min(1))
        };
        fill_catalog(&mut state, catalog, &mut rng, count, now, &lists);
    }
    state
}

fn fill_catalog(
    state: &mut State,
    catalog: &str,
    rng: &mut Rng,
    count: usize,
    now: Millis,
    lists: &Lists,
) {
    let partner_id = format!("partner-{}", rng.token(MIXED_ALNUM, 13));
    let arn = format!(
        "arn:aws:partnercentral:us-east-1:{}:catalog/{catalog}/partner/{partner_id}",
        state.account_id
    );
    let legal = if catalog == "AWS" {
        "Northwind Cloud Partners LLC"
    } else {
        "Northwind Cloud Partners LLC (sandbox)"
    };
    state.catalog(catalog).partner = json!({
        "Arn": arn,
        "Id": partner_id,
        "LegalName": legal,
        "CreatedAt": format_millis(now - 900 * DAY),
        "Profile": {
            "DisplayName": "Northwind Cloud",
            "Description": "Northwind Cloud helps mid-market companies migrate, modernize and run on AWS, with managed services and data and AI practices.",
            "WebsiteUrl": "https://northwind.example.com",
            "LogoUrl": "https://northwind.example.com/logo.png",
            "PrimarySolutionType": "CONSULTING_SERVICES",
            "IndustrySegments": ["FINANCIAL_SERVICES", "HEALTHCARE", "COMPUTER_SOFTWARE"],
            "TranslationSourceLocale": "en-US",
            "Headquarters": {"CountryCode": "US", "SubdivisionCode": "WA"},
            "ProfileId": format!("pprofile-{}", rng.token(MIXED_ALNUM, 13)),
        },
        "AwsTrainingCertificationEmailDomains": [
            {"DomainName": "northwind.example.com", "RegisteredAt": format_millis(now - 800 * DAY)}
        ],
    });
    state.catalog(catalog).alliance_lead = json!({
        "FirstName": "Morgan", "LastName": "Reyes",
        "Email": "morgan.reyes@northwind.example.com", "BusinessTitle": "Alliance Lead"
    });
    let solutions = make_solutions(state, catalog, rng, now);
    let active: Vec<String> = solutions
        .iter()
        .filter(|s| s["Status"] == "Active")
        .filter_map(|s| s["Id"].as_str().map(str::to_string))
        .collect();
    state.catalog(catalog).solutions = solutions;

    let mut companies: Vec<String> = Vec::new();
    let base = if catalog == "AWS" {
        4_100_000
    } else {
        7_300_000
    };
    for n in 0..count {
        let record = make_opportunity(rng, base + n as u64, now, lists, &active);
        if companies.len() < 64 {
            companies.push(record.company().to_string());
        }
        // Demo records stay as generated until someone acts on them: a dataset that changed by
        // itself would move rows under a client paging through it.
        state.catalog(catalog).insert_unindexed(record);
    }
    state.catalog(catalog).rebuild_index();
    make_referrals(state, catalog, rng, count, now, lists, &companies);
    make_connections(state, catalog, rng, now);
    make_benefits(state, catalog, rng, base, count, now);
    make_channel(state, catalog, rng, now);
}

/// The partner's channel programs: its own solution-provider account (active, with its
/// relationships), a distribution-seller account still waiting for its handshake, and a
/// distributor's service-period handshake waiting for the partner's answer.
fn make_channel(state: &mut State, catalog: &str, rng: &mut Rng, now: Millis) {
    let base = format!(
        "arn:aws:partnercentral:{}:{}:catalog/{catalog}",
        state.region, state.account_id
    );
    let own = state.account_id.clone();
    let (distributor_name, distributor) = PARTNERS[1];
    let (seller_name, seller) = PARTNERS[0];
    let active = state.new_id("pma-", LOWER_ALNUM, 13);
    let pending = state.new_id("pma-", LOWER_ALNUM, 13);
    let since = now - 200 * DAY;
    let accounts = [
        (
            active.clone(),
            "SOLUTION_PROVIDER",
            "Northwind Solution Provider",
            own.as_str(),
            "ACTIVE",
        ),
        (
            pending.clone(),
            "DISTRIBUTION_SELLER",
            "Northwind via Fabrikam",
            distributor,
            "PENDING",
        ),
    ];
    for (id, program, name, account, status) in accounts {
        let mut record = json!({
            "id": id, "arn": format!("{base}/program-management-account/{id}"), "revision": "1",
            "catalog": catalog, "program": program, "displayName": name, "accountId": account,
            "createdAt": format_millis(since), "updatedAt": format_millis(since), "status": status,
        });
        if status == "ACTIVE" {
            record["startDate"] = json!(format_millis(since + DAY));
        }
        state.catalog(catalog).program_accounts.insert(id, record);
    }
    let customers = [
        ("Acme Retail", "END_CUSTOMER"),
        ("Globex Foods", "END_CUSTOMER"),
        (seller_name, "DOWNSTREAM_SELLER"),
    ];
    for (n, (name, kind)) in customers.into_iter().enumerate() {
        let id = state.new_id("rs-", LOWER_ALNUM, 13);
        let account = if kind == "DOWNSTREAM_SELLER" {
            seller.to_string()
        } else {
            format!("{:012}", 400_000_000_000u64 + rng.below(99_999_999_999))
        };
        let created = since + (10 + 30 * n as i64) * DAY;
        let record = json!({
            "arn": format!("{base}/program-management-account/{active}/relationship/{id}"),
            "id": id, "revision": "1", "catalog": catalog, "associationType": kind,
            "programManagementAccountId": active, "associatedAccountId": account,
            "displayName": name, "resaleAccountModel": if kind == "END_CUSTOMER" { "END_CUSTOMER" } else { "SOLUTION_PROVIDER" },
            "sector": "COMMERCIAL", "createdAt": format_millis(created), "updatedAt": format_millis(created),
            "startDate": format_millis(created + DAY),
        });
        state.catalog(catalog).relationships.insert(id, record);
    }
    // Out: the pending account's handshake, sent to the distributor. In: the distributor's
    // service period for its own relationship with the partner, waiting for an answer.
    let out = state.new_id("ch-", LOWER_ALNUM, 13);
    let incoming = state.new_id("ch-", LOWER_ALNUM, 13);
    let their_relationship = format!("rs-{}", rng.token(LOWER_ALNUM, 13));
    let handshakes = [
        (
            out,
            "PROGRAM_MANAGEMENT_ACCOUNT",
            own.clone(),
            "Northwind Cloud Partners LLC".to_string(),
            distributor.to_string(),
            pending.clone(),
            json!({"programManagementAccountHandshakeDetail": {"program": "DISTRIBUTION_SELLER"}}),
        ),
        (
            incoming,
            "START_SERVICE_PERIOD",
            distributor.to_string(),
            distributor_name.to_string(),
            own.clone(),
            their_relationship,
            json!({"startServicePeriodHandshakeDetail": {"note": "Fabrikam resells your solution to its customers from next month",
                "servicePeriodType": "MINIMUM_NOTICE_PERIOD", "minimumNoticeDays": "30", "startDate": format_millis(now)}}),
        ),
    ];
    for (id, kind, sender, sender_name, receiver, resource, detail) in handshakes {
        let record = json!({
            "id": id, "arn": format!("{base}/channel-handshake/{id}"), "catalog": catalog,
            "handshakeType": kind, "ownerAccountId": own, "senderAccountId": sender,
            "senderDisplayName": sender_name, "receiverAccountId": receiver,
            "associatedResourceId": resource, "detail": detail,
            "createdAt": format_millis(now - 2 * DAY), "updatedAt": format_millis(now - 2 * DAY),
            "status": "PENDING",
        });
        state.catalog(catalog).handshakes.insert(id, record);
    }
}

/// The benefits catalogue across programs and fulfilment types, and a few applications in
/// every state the review moves through, for the opportunities they fund.
fn make_benefits(
    state: &mut State,
    catalog: &str,
    rng: &mut Rng,
    base: u64,
    count: usize,
    now: Millis,
) {
    // Name, description, programs, fulfilment types, status.
    type Entry = (
        &'static str,
        &'static str,
        &'static [&'static str],
        &'static [&'static str],
        &'static str,
    );
    let catalogue: [Entry; 8] = [
        (
            "MAP Migrate funding",
            "Migration Acceleration Program funding for the migrate phase of a large move to AWS.",
            &["MAP"],
            &["CASH", "CREDITS"],
            "ACTIVE",
        ),
        (
            "Proof of concept credits",
            "AWS credits for a customer proof of concept that leads to a production workload.",
            &["POC"],
            &["CREDITS"],
            "ACTIVE",
        ),
        (
            "Marketing development funds",
            "Co-funding for demand generation: events, campaigns and content.",
            &["MDF"],
            &["CASH"],
            "ACTIVE",
        ),
        (
            "Innovation Sandbox credits",
            "Credits for building and testing a new solution on AWS.",
            &["InnovationSandbox"],
            &["CREDITS"],
            "ACTIVE",
        ),
        (
            "Well-Architected review funding",
            "Funding for Well-Architected reviews and the remediation they recommend.",
            &["WellArchitected"],
            &["CASH", "CREDITS"],
            "ACTIVE",
        ),
        (
            "Partner training access",
            "Access to AWS Skill Builder team subscriptions for the partner's engineers.",
            &["Training"],
            &["ACCESS"],
            "ACTIVE",
        ),
        (
            "ISV Accelerate co-marketing",
            "Joint marketing for ISV Accelerate members' listings.",
            &["ISVAccelerate"],
            &["CASH"],
            "ACTIVE",
        ),
        (
            "Legacy migration credits",
            "Retired: replaced by MAP Migrate funding.",
            &["MAP"],
            &["CREDITS"],
            "INACTIVE",
        ),
    ];
    let mut benefits = Vec::new();
    for (name, description, programs, types, status) in catalogue {
        let id = state.new_id("ben-", LOWER_ALNUM, 14);
        benefits.push(json!({
            "Id": id,
            "Catalog": catalog,
            "Arn": format!("arn:aws:partnercentral:{}:{}:catalog/{catalog}/benefit/{id}", state.region, state.account_id),
            "Name": name,
            "Description": description,
            "Programs": programs,
            "FulfillmentTypes": types,
            "Status": status,
            "BenefitRequestSchema": {"RequestedAmount": "the amount asked for, in USD", "Justification": "why the customer needs it"},
        }));
    }
    state.catalog(catalog).benefits = benefits.clone();
    if count == 0 {
        return;
    }
    // A few applications: pending submission, in review, sent back, approved (with its
    // allocation), each for an opportunity of the pipeline.
    for (n, status) in [
        "PENDING_SUBMISSION",
        "IN_REVIEW",
        "ACTION_REQUIRED",
        "APPROVED",
    ]
    .into_iter()
    .enumerate()
    {
        let benefit = &benefits[n % 5];
        let opportunity = format!("O{}", base + rng.below(count as u64));
        let id = state.new_id("benappl-", LOWER_ALNUM, 14);
        let created = now - (20 - 4 * n as i64) * DAY;
        let amount = (5 + rng.below(40)) * 1000;
        let mut doc = json!({
            "Id": id,
            "Arn": format!("arn:aws:partnercentral:{}:{}:catalog/{catalog}/benefit-application/{id}", state.region, state.account_id),
            "Catalog": catalog,
            "BenefitId": benefit["Id"],
            "Name": format!("{} for {opportunity}", benefit["Name"].as_str().unwrap_or("Benefit")),
            "Description": "Funding for the customer's first production workload.",
            "FulfillmentTypes": [benefit["FulfillmentTypes"][0]],
            "BenefitApplicationDetails": {"RequestedAmount": amount.to_string(), "Justification": "Unblocks the customer's budget for the migration."},
            "Programs": benefit["Programs"],
            "Status": status,
            "Stage": match status { "PENDING_SUBMISSION" => "Draft", "IN_REVIEW" => "Review", "ACTION_REQUIRED" => "Action required", _ => "Approved" },
            "CreatedAt": format_millis(created),
            "UpdatedAt": format_millis(created + DAY),
            "Revision": "2",
            "AssociatedResources": [state.opportunity_arn(catalog, &opportunity)],
            "PartnerContacts": [{"Email": "morgan.reyes@northwind.example.com", "FirstName": "Morgan", "LastName": "Reyes", "BusinessTitle": "Alliance Lead"}],
        });
        if status == "ACTION_REQUIRED" {
            doc["StatusReason"] =
                json!("Add the customer's signed statement of work to the files.");
            doc["StatusReasonCode"] = json!("MISSING_DOCUMENTS");
            doc["StatusReasonCodes"] = json!(["MISSING_DOCUMENTS"]);
        }
        if status == "IN_REVIEW" {
            // Demo reviews end when a session starts using them, not at generation time.
            state
                .catalog(catalog)
                .benefit_reviews
                .push((now + 10 * 60_000, id.clone()));
        }
        if status == "APPROVED" {
            super::benefits::allocate(state, catalog, &doc, created + 2 * DAY);
        }
        state.catalog(catalog).benefit_applications.insert(id, doc);
    }
}

fn make_solutions(state: &State, catalog: &str, rng: &mut Rng, now: Millis) -> Vec<Value> {
    let names = [
        (
            "Northwind DataLake Accelerator",
            "Software Product",
            "Active",
        ),
        (
            "Northwind Migration Factory",
            "Consulting Service",
            "Active",
        ),
        ("Northwind Managed Kubernetes", "Managed Service", "Active"),
        ("Northwind GenAI Quickstart", "Consulting Service", "Active"),
        ("Northwind SecureOps", "Managed Service", "Active"),
        ("Northwind SAP on AWS", "Consulting Service", "Active"),
        ("Northwind Edge Appliance", "Hardware Product", "Active"),
        (
            "Northwind Connect Contact Center",
            "Communication Product",
            "Active",
        ),
        ("Northwind Training Academy", "Training Service", "Inactive"),
        ("Northwind Legacy Backup", "Managed Service", "Inactive"),
        ("Northwind FinOps Insights", "Software Product", "Draft"),
        ("Northwind IoT Hub", "Software Product", "Draft"),
    ];
    let offset = if catalog == "AWS" { 1000 } else { 5000 };
    names
        .iter()
        .enumerate()
        .map(|(i, (name, category, status))| {
            let id = format!("S-{:07}", offset + 17 * i + rng.below(7) as usize);
            let mut s = json!({
                "Id": id,
                "Arn": format!("arn:aws:partnercentral:us-east-1:{}:catalog/{catalog}/solution/{id}", state.account_id),
                "Name": name,
                "Status": status,
                "Category": category,
                "CreatedDate": format_millis(now - (700 - 40 * i as i64) * DAY),
            });
            if i % 3 == 0 {
                s["AwsMarketplaceSolutionArn"] = json!(format!(
                    "arn:aws:aws-marketplace:us-east-1:{}:AWSMarketplace/SaaSProduct/prod-{}",
                    state.account_id,
                    rng.token(LOWER_ALNUM, 13)
                ));
            }
            s
        })
        .collect()
}

/// Where a customer is: country, city, postal code, state (US only) and its currency.
struct Place {
    country: String,
    city: String,
    postal: String,
    state: Option<&'static str>,
    currency: &'static str,
}

fn review_for(rng: &mut Rng, stage: &str) -> &'static str {
    match stage {
        "Prospect" if rng.chance(0.85) => "Pending Submission",
        "Prospect" => "Rejected",
        "Launched" => "Approved",
        _ => weighted(
            rng,
            &[
                ("Approved", 55),
                ("Pending Submission", 15),
                ("Submitted", 5),
                ("In review", 10),
                ("Action Required", 8),
                ("Rejected", 7),
            ],
        ),
    }
}

fn place(rng: &mut Rng, lists: &Lists) -> Place {
    if rng.chance(0.55) {
        let (st, city, zip) = *rng.pick(&US_STATES);
        Place {
            country: "US".into(),
            city: city.into(),
            postal: zip.into(),
            state: Some(st),
            currency: "USD",
        }
    } else if rng.chance(0.6) {
        let (c, city, zip, currency) = *rng.pick(&MAJOR_COUNTRIES);
        Place {
            country: c.into(),
            city: city.into(),
            postal: zip.into(),
            state: None,
            currency,
        }
    } else {
        // The long tail: every country code the API accepts can turn up.
        Place {
            country: rng.pick(&lists.countries).clone(),
            city: "Capital City".into(),
            postal: format!("{:05}", rng.below(99_999)),
            state: None,
            currency: "USD",
        }
    }
}

fn next_steps_for(stage: &str) -> &'static str {
    match stage {
        "Prospect" => "Book a discovery call with the customer's IT lead",
        "Qualified" => "Run an architecture workshop with the customer",
        "Technical Validation" => "Finish the proof of concept and share results",
        "Business Validation" => "Present the business case and pricing to the CFO",
        "Committed" => "Agree the statement of work and start date",
        "Launched" => "Hand over to managed services and track consumption",
        _ => "Record lessons learned",
    }
}

/// The record's LifeCycle: stage, review, close date, next steps and their history, and the
/// review comments AWS leaves on Action Required and Rejected records.
fn lifecycle(
    rng: &mut Rng,
    lists: &Lists,
    stage: &str,
    review: &str,
    close: String,
    (created, modified): (Millis, Millis),
) -> Value {
    let next_steps = next_steps_for(stage);
    let mut lifecycle = json!({
        "Stage": stage,
        "TargetCloseDate": close,
        "ReviewStatus": review,
        "NextSteps": next_steps,
        "NextStepsHistory": [
            {"Value": "Initial contact made", "Time": format_millis(created)},
            {"Value": next_steps, "Time": format_millis(modified)}
        ],
    });
    if stage == "Closed Lost" {
        lifecycle["ClosedLostReason"] = json!(rng.pick(&lists.closed_lost));
    }
    let comments = match review {
        "Action Required" => Some((
            "Please add the customer's website and a more specific business problem.",
            "Missing or invalid customer information",
        )),
        "Rejected" => Some((
            "This opportunity duplicates an existing AWS opportunity.",
            "Duplicate opportunity",
        )),
        _ => None,
    };
    if let Some((comments, reason)) = comments {
        lifecycle["ReviewComments"] = json!(comments);
        lifecycle["ReviewStatusReason"] = json!(reason);
    }
    lifecycle
}

fn related(rng: &mut Rng, active: &[String]) -> Value {
    let mut related = json!({});
    if !active.is_empty() && rng.chance(0.4) {
        related["Solutions"] = json!([rng.pick(active)]);
    }
    if rng.chance(0.3) {
        related["AwsProducts"] = json!(["AmazonS3", "AmazonEC2"][..1 + rng.below(2) as usize]);
    }
    related
}

fn customer(rng: &mut Rng, lists: &Lists, company: &str, place: &Place) -> Value {
    json!({
        "Account": {
            "CompanyName": company,
            "Industry": rng.pick(&lists.industries),
            "WebsiteUrl": format!("https://www.{}.example.com", slug(company)),
            "Address": {
                "City": place.city,
                "PostalCode": place.postal,
                "StateOrRegion": place.state,
                "CountryCode": place.country,
            }
        },
        "Contacts": [{
            "Email": format!("cto@{}.example.com", slug(company)),
            "FirstName": "Jordan", "LastName": "Lee", "BusinessTitle": "CTO"
        }]
    })
}

fn project(rng: &mut Rng, title: String, problem: &str, amount: f64, currency: &str) -> Value {
    json!({
        "Title": title,
        "CustomerBusinessProblem": problem,
        "ExpectedCustomerSpend": [{
            "Amount": format!("{amount:.0}"),
            "CurrencyCode": currency,
            "Frequency": "Monthly",
            "TargetCompany": "AWS"
        }],
        "DeliveryModels": [if rng.chance(0.5) { "Professional Services" } else { "Managed Services" }],
        "ExpectedContractDuration": {"Term": "Months", "Value": format!("{}", [12, 24, 36][rng.below(3) as usize])},
    })
}

fn make_opportunity(
    rng: &mut Rng,
    id: u64,
    now: Millis,
    lists: &Lists,
    active: &[String],
) -> OpportunityRecord {
    let company = format!("{} {}", rng.pick(&COMPANY_HEADS), rng.pick(&COMPANY_TAILS));
    let (workload, problem) = *rng.pick(&WORKLOADS);
    let stage = weighted(rng, &STAGES);
    let review = review_for(rng, stage);
    let place = place(rng, lists);
    let created = now - (rng.below(540) as i64) * DAY - (rng.below(86_400) as i64) * 1000;
    let age = now - created;
    let modified = created + (age as f64 * (0.3 + 0.7 * (rng.below(1000) as f64 / 1000.0))) as i64;
    let target_close = date_string(created, 30 + rng.below(240) as i64);
    let exponent = 2.7 + (rng.below(1000) as f64 / 1000.0) * 2.7;
    let amount = ((10f64.powf(exponent) / 100.0).round() * 100.0).max(500.0);
    let (first, last) = *rng.pick(&SELLERS);
    let needs: Vec<&String> = (0..1 + rng.below(2))
        .map(|_| rng.pick(&lists.needs))
        .collect();
    let lifecycle = lifecycle(rng, lists, stage, review, target_close, (created, modified));
    let related = related(rng, active);
    let origin = if rng.chance(0.15) {
        "AWS Referral"
    } else {
        "Partner Referral"
    };
    let customer = customer(rng, lists, &company, &place);
    let project = project(
        rng,
        format!("{company}: {workload}"),
        problem,
        amount,
        place.currency,
    );
    let opportunity_type = weighted(
        rng,
        &[
            ("Net New Business", 70),
            ("Expansion", 20),
            ("Flat Renewal", 10),
        ],
    );
    let mut doc = json!({
        "PrimaryNeedsFromAws": needs,
        "NationalSecurity": "No",
        "PartnerOpportunityIdentifier": format!("NW-{}-{:05}", 2025 + (created / (365 * DAY)) % 2, id % 100_000),
        "OpportunityType": opportunity_type,
        "Origin": origin,
        "OpportunityTeam": [{
            "Email": format!("{}.{}@northwind.example.com", first.to_lowercase(), slug(last)),
            "FirstName": first, "LastName": last, "BusinessTitle": "OpportunityOwner"
        }],
    });
    // Moved in rather than written inside json!, which would serialize these values again.
    doc["Customer"] = customer;
    doc["Project"] = project;
    doc["LifeCycle"] = lifecycle;
    doc["RelatedEntityIdentifiers"] = related;
    strip_nulls(&mut doc);
    record(rng, id, doc, (created, modified), review)
}

/// The stored record around `doc`; AWS's involvement is drawn last, and only for submitted
/// records, so every seed keeps yielding the same data.
fn record(
    rng: &mut Rng,
    id: u64,
    doc: Value,
    (created, modified): (Millis, Millis),
    review: &str,
) -> OpportunityRecord {
    let submitted = review != "Pending Submission";
    let involvement = submitted.then(|| {
        if rng.chance(0.7) {
            "Co-Sell"
        } else {
            "For Visibility Only"
        }
        .to_string()
    });
    OpportunityRecord {
        id,
        doc: match doc {
            Value::Object(map) => map,
            _ => Map::new(),
        },
        created,
        last_modified: modified,
        involvement,
        visibility: submitted.then(|| "Full".to_string()),
        submitted_at: submitted.then_some(modified),
    }
}

#[allow(clippy::too_many_arguments)]
fn referral(
    state: &mut State,
    catalog: &str,
    rng: &mut Rng,
    company: &str,
    status: &str,
    invited: Millis,
    lists: &Lists,
    lead: bool,
) -> InvitationRecord {
    let id = state.new_id("engi-", LOWER_ALNUM, 13);
    let engagement = state.new_id("eng-", LOWER_ALNUM, 14);
    let (workload, problem) = *rng.pick(&WORKLOADS);
    let industry = rng.pick(&lists.industries).clone();
    let country = if rng.chance(0.6) {
        "US".to_string()
    } else {
        rng.pick(&MAJOR_COUNTRIES).0.to_string()
    };
    let website = format!("https://www.{}.example.com", slug(company));
    let amount = 1000 + 500 * rng.below(120);
    let payload = if lead {
        json!({"LeadInvitation": {
            "Customer": {"CompanyName": company, "Industry": industry, "WebsiteUrl": website,
                          "CountryCode": country, "AwsMaturity": "Early", "MarketSegment": "Medium"},
            "Interaction": {"SourceType": "Event", "SourceId": format!("evt-{}", rng.token(LOWER_ALNUM, 6)),
                            "SourceName": "AWS Summit", "Usecase": workload, "ContactBusinessTitle": "Head of IT"}
        }})
    } else {
        json!({"OpportunityInvitation": {
            "ReceiverResponsibilities": [if rng.chance(0.5) { "Services Partner" } else { "Managed Service Provider" }],
            "SenderContacts": [{"Email": "aws-rep@amazon.example", "FirstName": "Dana", "LastName": "Whitfield",
                                "BusinessTitle": "AWS Account Manager", "Phone": "+12065550100"}],
            "Customer": {"CompanyName": company, "Industry": industry, "WebsiteUrl": website, "CountryCode": country},
            "Project": {
                "Title": format!("{company}: {workload}"),
                "BusinessProblem": problem,
                "TargetCompletionDate": date_string(invited, 120),
                "ExpectedCustomerSpend": [{"Amount": amount.to_string(), "CurrencyCode": "USD",
                                           "Frequency": "Monthly", "TargetCompany": "AWS"}]
            }
        }})
    };
    let mut doc = json!({
        "Arn": state.invitation_arn(catalog, &id),
        "PayloadType": if lead { "LeadInvitation" } else { "OpportunityInvitation" },
        "Id": id,
        "EngagementId": engagement,
        "EngagementTitle": format!("{company}: {workload}").chars().take(40).collect::<String>(),
        "Status": status,
        "InvitationDate": format_millis(invited),
        "ExpirationDate": format_millis(invited + 15 * DAY),
        "SenderAwsAccountId": super::state::AWS_SENDER_ACCOUNT,
        "SenderCompanyName": super::state::AWS_SENDER_NAME,
        "Receiver": {"Account": {"AwsAccountId": state.account_id, "Alias": "Northwind"}},
        "InvitationMessage": format!("Hi Northwind team, {company} asked for a partner with {workload} experience. Can you help?"),
        "EngagementDescription": problem,
        "ExistingMembers": [{"CompanyName": "Amazon Web Services", "WebsiteUrl": "https://aws.amazon.com"}],
        "Payload": payload,
    });
    if status == "REJECTED" {
        doc["RejectionReason"] = json!("Unable to support");
    }
    let first = *rng.pick(&["Avery", "Jordan", "Sam", "Priya", "Kenji", "Lena"]);
    let last = *rng.pick(&["Okafor", "Lindqvist", "Moreau", "Tanaka", "Silva", "Novak"]);
    let context = if lead {
        json!({"Id": "1", "Type": "Lead", "Payload": {"Lead": {
            "Customer": {"CompanyName": company, "Industry": industry, "WebsiteUrl": website,
                         "Address": {"CountryCode": country, "City": rng.pick(&["Austin", "Berlin", "Leeds", "Lyon", "Osaka", "Denver"])},
                         "AwsMaturity": "Early", "MarketSegment": "Medium"},
            "Interactions": [{
                "SourceType": "Event", "SourceId": format!("evt-{}", rng.token(LOWER_ALNUM, 6)),
                "SourceName": "AWS Summit", "Usecase": workload,
                "InteractionDate": format_millis(invited), "CustomerAction": "Requested a partner",
                "BusinessProblem": problem,
                "Contact": {"BusinessTitle": "Head of IT", "FirstName": first, "LastName": last,
                            "Email": format!("{}.{}@{}.example.com", first.to_lowercase(), last.to_lowercase(), slug(company))},
            }],
            "Insights": {"LeadReadinessScore": *rng.pick(&["High", "Medium", "Low"])},
            "QualificationStatus": "Unqualified",
        }}})
    } else {
        json!({"Id": "1", "Type": "CustomerProject", "Payload": {"CustomerProject": {
            "Customer": {"CompanyName": company, "Industry": industry, "WebsiteUrl": website, "CountryCode": country},
            "Project": {"Title": format!("{company}: {workload}").chars().take(255).collect::<String>(),
                        "BusinessProblem": problem, "TargetCompletionDate": date_string(invited, 120)},
        }}})
    };
    let mut members = vec![json!({"AccountId": super::state::AWS_SENDER_ACCOUNT,
                                   "CompanyName": "Amazon Web Services", "WebsiteUrl": "https://aws.amazon.com"})];
    if status == "ACCEPTED" {
        members.push(super::state::partner_member(state, catalog));
        // Some accepted engagements are worked with another partner too.
        if rng.chance(0.4) {
            let (name, account) = *rng.pick(&PARTNERS[..5]);
            members.push(json!({"AccountId": account, "CompanyName": name,
                                "WebsiteUrl": format!("https://{account}.example.com")}));
        }
    }
    let engagement_record = super::store::EngagementRecord {
        id: engagement.clone(),
        title: doc["EngagementTitle"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
        description: problem.to_string(),
        created_at: invited,
        created_by: super::state::AWS_SENDER_ACCOUNT.into(),
        modified_at: invited,
        modified_by: super::state::AWS_SENDER_ACCOUNT.into(),
        members,
        contexts: vec![context],
        opportunities: Vec::new(),
    };
    state
        .catalog(catalog)
        .engagements
        .insert(engagement, engagement_record);
    InvitationRecord {
        doc: doc.as_object().cloned().unwrap_or_default(),
        participant: "RECEIVER".into(),
        referral_opportunity: None,
        receiver_account: None,
    }
}

fn make_referrals(
    state: &mut State,
    catalog: &str,
    rng: &mut Rng,
    count: usize,
    now: Millis,
    lists: &Lists,
    existing_companies: &[String],
) {
    let pending = (6 + count / 100).min(60);
    for i in 0..pending {
        // Expiry spread from a few hours to the full 15 days, so the inbox has real urgency.
        let expires = if i < 2 {
            now + (3 + 6 * i as i64) * HOUR
        } else {
            now + 2 * HOUR + (rng.below(15 * 24) as i64) * HOUR
        };
        let invited = expires - 15 * DAY;
        // A couple of referrals name customers already in the pipeline: the classic duplicate.
        let company = if i % 5 == 3 && !existing_companies.is_empty() {
            rng.pick(existing_companies).clone()
        } else {
            format!("{} {}", rng.pick(&COMPANY_HEADS), rng.pick(&COMPANY_TAILS))
        };
        let lead = i % 6 == 5;
        let r = referral(
            state, catalog, rng, &company, "PENDING", invited, lists, lead,
        );
        state
            .catalog(catalog)
            .invitations
            .insert(r.id().to_string(), r);
    }
    for (status, n) in [("ACCEPTED", 8), ("REJECTED", 5), ("EXPIRED", 4)] {
        for _ in 0..n {
            let invited = now - (16 + rng.below(120) as i64) * DAY;
            let company = format!("{} {}", rng.pick(&COMPANY_HEADS), rng.pick(&COMPANY_TAILS));
            let r = referral(state, catalog, rng, &company, status, invited, lists, false);
            let id = r.id().to_string();
            if status == "ACCEPTED" {
                let task_id = state.new_id("task-", LOWER_ALNUM, 13);
                let job = state.new_id("job-", LOWER_ALNUM, 13);
                let arn = format!(
                    "arn:aws:partnercentral:us-east-1:{}:catalog/{catalog}/engagement-by-accepting-invitation-task/{task_id}",
                    state.account_id
                );
                state.catalog(catalog).tasks.push(TaskRecord {
                    kind: TaskKind::AcceptInvitation,
                    id: task_id,
                    arn,
                    start: invited + DAY,
                    due: invited + DAY,
                    status: "COMPLETE".into(),
                    message: None,
                    reason_code: None,
                    opportunity_id: None,
                    invitation_id: Some(id.clone()),
                    engagement_id: None,
                    snapshot_job_id: Some(job),
                    tags: Vec::new(),
                    involvement: None,
                    visibility: None,
                    context_id: None,
                });
            }
            state.catalog(catalog).invitations.insert(id, r);
        }
    }
}

fn make_connections(state: &mut State, catalog: &str, rng: &mut Rng, now: Millis) {
    let region = state.region.clone();
    for (name, account) in PARTNERS {
        let profile = format!("pprofile-{}", rng.token(MIXED_ALNUM, 13));
        state.catalog(catalog).directory.insert(
            account.to_string(),
            json!({"PartnerProfile": {"Id": profile, "Name": name}}),
        );
    }
    let participant =
        |state: &State, account: &str| state.catalogs[catalog].directory[account].clone();
    // Established connections, one of them since canceled, one also a subsidiary.
    for (i, (_, account)) in PARTNERS.iter().take(5).enumerate() {
        let id = format!("pac-{}", rng.token(MIXED_ALNUM, 13));
        let created = now - (200 - 30 * i as i64) * DAY;
        let mut types = json!({"OPPORTUNITY_COLLABORATION": {
            "CreatedAt": format_millis(created),
            "InviterEmail": "morgan.reyes@northwind.example.com",
            "InviterName": "Morgan Reyes",
            "Status": if i == 3 { "CANCELED" } else { "ACTIVE" },
            "OtherParticipant": participant(state, account),
        }});
        if i == 3 {
            types["OPPORTUNITY_COLLABORATION"]["CanceledAt"] = json!(format_millis(now - 20 * DAY));
            types["OPPORTUNITY_COLLABORATION"]["CanceledBy"] = json!(state.account_id);
        }
        if i == 4 {
            types["SUBSIDIARY"] = json!({
                "CreatedAt": format_millis(created + DAY),
                "InviterEmail": "legal@northwind.example.com",
                "InviterName": "Northwind Legal",
                "Status": "ACTIVE",
                "OtherParticipant": participant(state, account),
            });
        }
        let doc = json!({
            "Id": id,
            "Arn": format!("arn:aws:partnercentral:{region}::catalog/{catalog}/connection/{id}"),
            "OtherParticipantAccountId": account,
            "UpdatedAt": format_millis(created + 10 * DAY),
            "ConnectionTypes": types,
        });
        state.catalog(catalog).connections.insert(id, doc);
    }
    make_connection_invitations(state, catalog, rng, now);
}

/// Connection invitations in every status and both directions.
fn make_connection_invitations(state: &mut State, catalog: &str, rng: &mut Rng, now: Millis) {
    let region = state.region.clone();
    let plan: [(&str, &str, usize, i64); 9] = [
        ("RECEIVER", "PENDING", 5, 2),
        ("RECEIVER", "PENDING", 6, 6),
        ("RECEIVER", "PENDING", 7, 12),
        ("SENDER", "PENDING", 8, 3),
        ("SENDER", "PENDING", 9, 9),
        ("SENDER", "ACCEPTED", 0, 60),
        ("RECEIVER", "REJECTED", 1, 40),
        ("SENDER", "CANCELED", 2, 35),
        ("RECEIVER", "EXPIRED", 3, 45),
    ];
    for (role, status, partner, age_days) in plan {
        let (name, account) = PARTNERS[partner];
        let id = format!("pacinv-{}", rng.token(MIXED_ALNUM, 13));
        let created = now - age_days * DAY;
        let (inviter, email) = if role == "SENDER" {
            (
                "Morgan Reyes".to_string(),
                "morgan.reyes@northwind.example.com".to_string(),
            )
        } else {
            (
                format!("{name} Alliances"),
                format!("alliances@{}.example.com", slug(name)),
            )
        };
        let mut doc = json!({
            "Id": id,
            "Arn": format!("arn:aws:partnercentral:{region}::catalog/{catalog}/connection-invitation/{id}"),
            "ConnectionType": "OPPORTUNITY_COLLABORATION",
            "CreatedAt": format_millis(created),
            "UpdatedAt": format_millis(created + if status == "PENDING" { 0 } else { 2 * DAY }),
            "ExpiresAt": format_millis(created + 30 * DAY),
            "OtherParticipantIdentifier": account,
            "ParticipantType": role,
            "Status": status,
            "InvitationMessage": format!("{inviter} would like to co-sell with you on AWS opportunities."),
            "InviterEmail": email,
            "InviterName": inviter,
        });
        if status == "ACCEPTED"
            && let Some(connection) = state.catalogs[catalog]
                .connections
                .values()
                .find(|c| c["OtherParticipantAccountId"] == account)
        {
            doc["ConnectionId"] = connection["Id"].clone();
        }
        state
            .catalog(catalog)
            .connection_invitations
            .insert(id, doc);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_data_and_catalogs_differ() {
        let a = generate(7, 300, 1_800_000_000_000);
        let b = generate(7, 300, 1_800_000_000_000);
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            serde_json::to_string(&b).unwrap()
        );
        assert_eq!(a.catalogs["AWS"].opportunities.len(), 300);
        assert_eq!(a.catalogs["Sandbox"].opportunities.len(), 75);
        let first_aws = a.catalogs["AWS"].opportunities.values().next().unwrap();
        let first_sandbox = a.catalogs["Sandbox"].opportunities.values().next().unwrap();
        assert_ne!(first_aws.id, first_sandbox.id);
    }

    #[test]
    fn covers_every_stage_and_review_status() {
        let state = generate(42, 2000, 1_800_000_000_000);
        let records = &state.catalogs["AWS"].opportunities;
        for stage in model::selling().enum_values("Stage") {
            assert!(
                records.values().any(|r| r.stage() == Some(&stage)),
                "{stage}"
            );
        }
        for review in model::selling().enum_values("ReviewStatus") {
            assert!(
                records.values().any(|r| r.review_status() == Some(&review)),
                "{review}"
            );
        }
    }
}
