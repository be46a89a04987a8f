//! Deterministic rows and a model at a fixed instant, so screens and rules never depend on the clock.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use cosell::app::keymap::Keymap;
use cosell::app::{self, Context, Model, Msg, Page};
use cosell_core::partner::types::*;

/// 2026-11-26T12:00:00Z.
pub const NOW: Millis = 1_795_694_400_000;
pub const HOUR: Millis = 3_600_000;
pub const DAY: Millis = 24 * HOUR;

pub fn context() -> Context {
    Context {
        profile: None,
        region: "us-east-1".into(),
        catalog: "AWS".into(),
        demo: true,
        readonly: false,
        endpoint: Some("http://127.0.0.1:4580".into()),
        console_url: String::new(),
        offline: false,
        me: None,
    }
}

pub fn opportunity(n: usize) -> OpportunitySummary {
    let stages = [
        "Prospect",
        "Qualified",
        "Technical Validation",
        "Committed",
        "Launched",
        "Closed Lost",
    ];
    let reviews = [
        "Pending Submission",
        "Approved",
        "In review",
        "Action Required",
        "Approved",
        "Approved",
    ];
    OpportunitySummary {
        id: format!("O{}", 4_100_000 + n),
        customer: format!(
            "{} {}",
            ["Acme", "Globex", "Initech", "Umbrella", "Hooli"][n % 5],
            ["Corp", "Labs", "Bank"][n % 3]
        ),
        stage: Some(stages[n % stages.len()].into()),
        review_status: Some(reviews[n % reviews.len()].into()),
        target_close: Some(if n.is_multiple_of(4) {
            "2026-10-01".into()
        } else {
            "2027-03-31".into()
        }),
        monthly_spend: Some(Money {
            amount: format!("{}", 1000 + 250 * n),
            currency: "USD".into(),
        }),
        last_modified: Some(NOW - (n as i64) * HOUR),
        created: Some(NOW - 90 * DAY),
        country: Some("US".into()),
        industry: Some("Retail".into()),
        ..Default::default()
    }
}

pub fn referral(n: usize, status: &str, expires_in: Millis) -> Referral {
    Referral {
        id: format!("engi-{:013}", n),
        title: Some(format!(
            "{} Retail: data lake",
            ["Acme", "Wonka", "Stark"][n % 3]
        )),
        status: Some(status.into()),
        payload_type: Some(
            if n % 4 == 3 {
                "LeadInvitation"
            } else {
                "OpportunityInvitation"
            }
            .into(),
        ),
        invited: Some(NOW + expires_in - 15 * DAY),
        expires: Some(NOW + expires_in),
        sender_company: Some("Amazon Web Services".into()),
        sender_account: Some("123412341234".into()),
        participant: Some("RECEIVER".into()),
        ..Default::default()
    }
}

pub fn solutions() -> Vec<Solution> {
    [
        ("Northwind DataLake Accelerator", "Active"),
        ("Northwind Migration Factory", "Active"),
        ("Northwind Legacy Backup", "Inactive"),
        ("Northwind IoT Hub", "Draft"),
    ]
    .iter()
    .enumerate()
    .map(|(i, (name, status))| Solution {
        id: format!("S-{:07}", 1000 + i),
        name: name.to_string(),
        status: (*status).into(),
        category: "Software Product".into(),
        created: Some(NOW - 200 * DAY),
        marketplace_arn: (i == 0).then(|| {
            "arn:aws:aws-marketplace:us-east-1:123456789012:AWSMarketplace/SaaSProduct/prod-1"
                .into()
        }),
        ..Default::default()
    })
    .collect()
}

pub fn connections() -> Vec<Connection> {
    vec![
        Connection {
            id: "pac-AAAAAAAAAAAA1".into(),
            other_account: "210987654321".into(),
            other_name: Some("Contoso Data Partners".into()),
            types: vec![ConnectionTypeState {
                connection_type: "OPPORTUNITY_COLLABORATION".into(),
                status: "ACTIVE".into(),
                ..Default::default()
            }],
            updated: Some(NOW - 10 * DAY),
            ..Default::default()
        },
        Connection {
            id: "pac-AAAAAAAAAAAA2".into(),
            other_account: "310987654322".into(),
            other_name: Some("Fabrikam Managed Services".into()),
            types: vec![ConnectionTypeState {
                connection_type: "OPPORTUNITY_COLLABORATION".into(),
                status: "CANCELED".into(),
                ..Default::default()
            }],
            updated: Some(NOW - 20 * DAY),
            ..Default::default()
        },
    ]
}

pub fn invitations() -> Vec<ConnectionInvitation> {
    ["PENDING", "ACCEPTED", "REJECTED"]
        .iter()
        .enumerate()
        .map(|(i, status)| ConnectionInvitation {
            id: format!("pacinv-AAAAAAAAAAAA{i}"),
            connection_type: "OPPORTUNITY_COLLABORATION".into(),
            direction: if i % 2 == 0 { "RECEIVER" } else { "SENDER" }.into(),
            other: format!("71098765432{i}"),
            status: (*status).into(),
            created: Some(NOW - (i as i64 + 1) * DAY),
            expires: Some(NOW + (29 - i as i64) * DAY),
            ..Default::default()
        })
        .collect()
}

/// Four benefits: three active across programs and fulfilment types, one retired.
pub fn benefits() -> Vec<Benefit> {
    [
        ("MAP Migrate", "MAP", "CREDITS", "ACTIVE"),
        ("POC credits", "POC", "CREDITS", "ACTIVE"),
        ("Marketing development funds", "MDF", "CASH", "ACTIVE"),
        ("Legacy workshop", "MDF", "ACCESS", "INACTIVE"),
    ]
    .iter()
    .enumerate()
    .map(|(i, (name, program, fulfillment, status))| Benefit {
        id: format!("ben-{i:012}"),
        name: (*name).into(),
        description: Some(format!("{name}: funding for qualified opportunities.")),
        programs: vec![(*program).into()],
        fulfillment: vec![(*fulfillment).into()],
        status: (*status).into(),
    })
    .collect()
}

/// The opportunity ARN a fixture application is for.
pub fn opportunity_arn(i: usize) -> String {
    format!(
        "arn:aws:partnercentral:us-east-1:123456789012:catalog/Sandbox/opportunity/{}",
        opportunity(i).id
    )
}

/// Three applications: a draft, one in review, one approved.
pub fn applications() -> Vec<BenefitApplication> {
    ["PENDING_SUBMISSION", "IN_REVIEW", "APPROVED"]
        .iter()
        .enumerate()
        .map(|(i, status)| BenefitApplication {
            id: format!("benappl-{i:014}"),
            arn: None,
            benefit_id: Some(format!("ben-{i:012}")),
            name: Some(format!("Application {i}")),
            programs: vec!["MAP".into()],
            fulfillment: vec!["CREDITS".into()],
            status: (*status).into(),
            stage: Some(["Draft", "Review", "Approved"][i].into()),
            updated: Some(NOW - (i as i64 + 1) * DAY),
            resources: vec![opportunity_arn(i)],
            requested: Some(format!("{}", (i + 1) * 10_000)),
            ..Default::default()
        })
        .collect()
}

/// The approved application's allocation, expiring within the month.
pub fn allocations() -> Vec<BenefitAllocation> {
    vec![BenefitAllocation {
        id: "benalloc-00000000000002".into(),
        name: Some("Application 2".into()),
        status: "ACTIVE".into(),
        benefit_id: Some("ben-000000000002".into()),
        application_id: Some("benappl-00000000000002".into()),
        fulfillment: vec!["CREDITS".into()],
        expires: Some(NOW + 20 * DAY),
        amount: Some("30000 USD".into()),
        starts: Some(NOW - DAY),
    }]
}

pub fn program_accounts() -> Vec<ProgramAccount> {
    vec![
        ProgramAccount {
            id: "pma-0000000000001".into(),
            program: "SOLUTION_PROVIDER".into(),
            name: "Northwind resale".into(),
            account_id: "123456789012".into(),
            status: "ACTIVE".into(),
            revision: Some("1".into()),
        },
        ProgramAccount {
            id: "pma-0000000000002".into(),
            program: "DISTRIBUTION_SELLER".into(),
            name: "Northwind via distributor".into(),
            account_id: "123456789013".into(),
            status: "PENDING".into(),
            revision: Some("1".into()),
        },
    ]
}

pub fn relationships() -> Vec<ChannelRelationship> {
    vec![ChannelRelationship {
        id: "rs-0000000000001".into(),
        program_account: "pma-0000000000001".into(),
        name: "Contoso Retail".into(),
        kind: "END_CUSTOMER".into(),
        account_id: "555566667777".into(),
        sector: Some("COMMERCIAL".into()),
        start: Some(NOW - 40 * DAY),
    }]
}

/// One handshake received and pending, one sent and pending.
pub fn handshakes() -> Vec<Handshake> {
    vec![
        Handshake {
            id: "ch-0000000000001".into(),
            kind: "START_SERVICE_PERIOD".into(),
            status: "PENDING".into(),
            sender: Some("444455556666".into()),
            sender_name: Some("Fabrikam Distribution".into()),
            receiver: Some("123456789012".into()),
            resource: Some("rs-9999999999999".into()),
            updated: Some(NOW - HOUR),
            received: true,
            ..Default::default()
        },
        Handshake {
            id: "ch-0000000000002".into(),
            kind: "PROGRAM_MANAGEMENT_ACCOUNT".into(),
            status: "PENDING".into(),
            sender: Some("123456789012".into()),
            receiver: Some("444455556666".into()),
            resource: Some("pma-0000000000002".into()),
            updated: Some(NOW - 2 * HOUR),
            received: false,
            ..Default::default()
        },
    ]
}

pub fn partner() -> Partner {
    Partner {
        id: "partner-AAAAAAAAAAAAA".into(),
        arn: "arn:aws:partnercentral:us-east-1:123456789012:catalog/AWS/partner/partner-AAAAAAAAAAAAA".into(),
        legal_name: "Northwind Cloud Partners LLC".into(),
        display_name: Some("Northwind Cloud".into()),
        alliance_lead: Some(Contact {
            email: Some("morgan@northwind.example.com".into()),
            first_name: Some("Morgan".into()),
            last_name: Some("Reyes".into()),
            title: Some("Alliance Lead".into()),
            phone: None,
        }),
        ..Default::default()
    }
}

/// A model after init, with every list loaded from the fixtures and `opportunities` rows.
pub fn loaded(width: u16, height: u16, opportunities: usize) -> Model {
    let mut model = Model::new(context(), Keymap::default(), NOW, width, height);
    let effects = app::init(&mut model);
    for effect in effects {
        match effect {
            app::Effect::LoadPartner { request, .. } => {
                app::update(
                    &mut model,
                    Msg::Partner {
                        request,
                        partner: Box::new(partner()),
                    },
                );
            }
            app::Effect::Load { request, list, .. } => {
                let page = match list {
                    app::ListId::Opportunities => {
                        Page::Opportunities((0..opportunities).map(opportunity).collect())
                    }
                    app::ListId::Referrals => Page::Referrals(vec![
                        referral(1, "PENDING", 5 * HOUR),
                        referral(2, "PENDING", 60 * HOUR),
                        referral(3, "PENDING", 9 * DAY),
                        referral(4, "ACCEPTED", -20 * DAY),
                        referral(5, "EXPIRED", -2 * DAY),
                    ]),
                    app::ListId::Solutions => Page::Solutions(solutions()),
                    app::ListId::Connections => Page::Connections(connections()),
                    app::ListId::Invitations => Page::Invitations(invitations()),
                    app::ListId::Benefits => Page::Benefits(benefits()),
                    app::ListId::Applications => Page::Applications(applications()),
                    app::ListId::Allocations => Page::Allocations(allocations()),
                    app::ListId::ProgramAccounts => Page::ProgramAccounts(program_accounts()),
                    app::ListId::Relationships => Page::Relationships(relationships()),
                    app::ListId::Handshakes => Page::Handshakes(handshakes()),
                };
                let mut follow_ups = app::update(&mut model, Msg::Page { request, page });
                follow_ups.extend(app::update(&mut model, Msg::ListDone { request, list }));
                // Answer the inbox's reads of pending referrals, as a sandbox would.
                for effect in follow_ups {
                    if let app::Effect::Fetch {
                        request,
                        key: app::DetailKey::Referral(id),
                        ..
                    } = effect
                    {
                        let row = model
                            .referrals
                            .table
                            .rows
                            .iter()
                            .find(|r| r.id == id)
                            .cloned()
                            .unwrap();
                        let detail = referral_detail(row);
                        app::update(
                            &mut model,
                            Msg::Detail {
                                request,
                                key: app::DetailKey::Referral(id),
                                detail: Box::new(app::Detail::Referral(Box::new(detail))),
                            },
                        );
                    }
                }
            }
            _ => {}
        }
    }
    model
}

/// The payload a pending referral carries.
pub fn referral_detail(mut referral: Referral) -> ReferralDetail {
    let company = referral
        .title
        .as_deref()
        .unwrap_or("Acme Retail")
        .split(':')
        .next()
        .unwrap_or("")
        .to_string();
    referral.customer = Some(company.clone());
    referral.industry = Some("Retail".into());
    referral.country = Some("US".into());
    referral.project = referral.title.clone();
    referral.monthly_spend = Some(Money {
        amount: "14500".into(),
        currency: "USD".into(),
    });
    ReferralDetail {
        customer: Some(company),
        industry: Some("Retail".into()),
        country: Some("US".into()),
        website: Some("https://retail.example.com".into()),
        project_title: referral.title.clone(),
        business_problem: Some("Store data is scattered across 40 systems.".into()),
        monthly_spend: referral.monthly_spend.clone(),
        responsibilities: vec!["Services Partner".into()],
        sender_contacts: vec![Contact {
            first_name: Some("Dana".into()),
            last_name: Some("Whitfield".into()),
            email: Some("dana@amazon.example".into()),
            title: Some("AWS Account Manager".into()),
            phone: None,
        }],
        message: Some("Can you help with their data lake?".into()),
        referral,
        ..Default::default()
    }
}

/// The request id of the first load of `list` among `effects`.
pub fn load_request(effects: &[app::Effect], list: app::ListId) -> u64 {
    effects
        .iter()
        .find_map(|e| match e {
            app::Effect::Load {
                request, list: l, ..
            } if *l == list => Some(*request),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no load of {list:?} in {effects:?}"))
}

/// The picker on top, whatever its values.
pub fn picker(model: &Model) -> &dyn cosell::app::core::popup::PickerControl {
    match &model.popup {
        Some(app::Popup::Pick(pick)) => pick.control(),
        other => panic!("no picker is open: {other:?}"),
    }
}

/// The labels of the picker's choices the query leaves visible.
pub fn picker_labels(model: &Model) -> Vec<String> {
    let p = picker(model);
    p.visible_choices()
        .into_iter()
        .map(|i| p.choice(i).0.to_string())
        .collect()
}

/// The first mutation among `effects`.
pub fn mutate(effects: &[app::Effect]) -> (u64, app::Intent) {
    effects
        .iter()
        .find_map(|e| match e {
            app::Effect::Mutate { request, intent } => Some((*request, (**intent).clone())),
            _ => None,
        })
        .expect("a mutation")
}

/// A key press, as the terminal sends it.
pub fn key(model: &mut Model, code: KeyCode) -> Vec<app::Effect> {
    app::update(model, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

pub fn ch(model: &mut Model, c: char) -> Vec<app::Effect> {
    key(model, KeyCode::Char(c))
}

pub fn typed(model: &mut Model, text: &str) {
    for c in text.chars() {
        ch(model, c);
    }
}
