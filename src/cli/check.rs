//! `cosell check`: the guide's "verify access" steps in one command. Each read cosell depends on
//! is tried once, with the IAM action it needs named; nothing is changed.

use color_eyre::eyre::{Result, WrapErr};

use super::Resolved;
use crate::config::Paths;
use cosell_core::partner::{FailureKind, PartnerClient, PartnerError, Settings};
use cosell_core::store::{Cache, cache_path};

/// One probe: the permission it proves and what it found.
struct Probe {
    action: &'static str,
    result: std::result::Result<String, PartnerError>,
}

pub fn run(paths: &Paths, resolved: &Resolved) -> Result<i32> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .wrap_err("could not start the async runtime")?;
    let settings = &resolved.settings;
    println!(
        "profile {}  region {}  catalog {}",
        settings
            .profile
            .as_deref()
            .unwrap_or("(default credential chain)"),
        settings.region,
        settings.catalog
    );
    let client = runtime.block_on(PartnerClient::connect(settings));
    if let Some(endpoint) = &client.endpoint {
        println!("endpoint {endpoint}");
    } else if settings.region != "us-east-1" {
        println!(
            "warn  region {}: Partner Central's API is served from us-east-1; use --region us-east-1",
            settings.region
        );
    }

    let probes = runtime.block_on(probes(&client));
    let mut failures = 0;
    for probe in &probes {
        match &probe.result {
            Ok(found) => println!("ok    {:<41} {found}", probe.action),
            Err(e) => {
                failures += 1;
                println!("FAIL  {:<41} {}", probe.action, e);
            }
        }
    }
    if probes.len() < PROBES {
        println!("      (the other checks need the same fix first)");
    }

    if !report_cache(paths, settings, client.endpoint.as_deref()) {
        failures += 1;
    }
    println!("note  changes are not tried, so nothing is modified. The actions also need");
    println!(
        "      partnercentral:CreateOpportunity, UpdateOpportunity, AssignOpportunity, Associate-/DisassociateOpportunity,"
    );
    println!(
        "      StartEngagementFromOpportunityTask, StartEngagementByAcceptingInvitationTask, RejectEngagementInvitation,"
    );
    println!(
        "      AcceptEngagementInvitation, GetEngagement, UpdateEngagementContext, StartOpportunityFromEngagementTask"
    );
    println!(
        "      and the connection actions; the AWSPartnerCentralFullAccess managed policy has them all."
    );
    if failures > 0 {
        eprintln!("{failures} check(s) failed");
        return Ok(1);
    }
    Ok(0)
}

/// Prints whether the cache opens and when it was last synced; answers whether it opened.
fn report_cache(paths: &Paths, settings: &Settings, endpoint: Option<&str>) -> bool {
    let path = cache_path(
        &paths.cache,
        settings.profile.as_deref(),
        &settings.catalog,
        endpoint,
    );
    match Cache::open_existing(&path) {
        Ok(None) => {
            println!(
                "ok    cache {} (not created yet: run `cosell sync`)",
                path.display()
            );
            true
        }
        Ok(Some(cache)) => {
            let synced = cache
                .meta_millis(cosell_core::store::sync::LAST_SYNC_KEY)
                .ok()
                .flatten()
                .map(|at| {
                    format!(
                        "last synced {}",
                        cosell_core::times::age(cosell_core::times::now_millis(), at)
                    )
                })
                .unwrap_or_else(|| "never synced: run `cosell sync`".into());
            println!("ok    cache {} ({synced})", path.display());
            true
        }
        Err(e) => {
            println!("FAIL  cache {e}");
            false
        }
    }
}

const PROBES: usize = 9;

/// Tries each read once, in the order cosell needs them. Missing credentials or an unreachable
/// endpoint fail every call the same way, so the first such failure ends the run.
async fn probes(client: &PartnerClient) -> Vec<Probe> {
    let mut probes = Vec::with_capacity(PROBES);
    let first_page = |n: usize, what: &str| format!("{n} {what} on the first page");
    let stop = |probes: &Vec<Probe>| {
        probes.last().is_some_and(|p: &Probe| {
            p.result
                .as_ref()
                .is_err_and(|e| matches!(e.kind, FailureKind::Credentials | FailureKind::Network))
        })
    };

    probes.push(Probe {
        action: "partnercentral:ListPartners, GetPartner",
        result: client
            .partner()
            .await
            .map(|p| format!("{} ({})", p.display_name.unwrap_or(p.legal_name), p.id)),
    });
    if stop(&probes) {
        return probes;
    }
    // Each list is read one page deep: enough to prove the permission.
    macro_rules! first_page {
        ($action:literal, $what:literal, |$on_page:ident| $call:expr) => {{
            let mut n = 0;
            let $on_page = |page: Vec<_>| {
                n = page.len();
                false
            };
            let result = $call.await;
            probes.push(Probe {
                action: $action,
                result: result.map(|_| first_page(n, $what)),
            });
            if stop(&probes) {
                return probes;
            }
        }};
    }
    let everything = Default::default();
    first_page!(
        "partnercentral:ListOpportunities",
        "opportunities",
        |on_page| client.list_opportunities(&everything, on_page)
    );
    first_page!(
        "partnercentral:ListEngagementInvitations",
        "referrals received",
        |on_page| client.list_referrals(on_page)
    );
    first_page!("partnercentral:ListSolutions", "solutions", |on_page| {
        client.list_solutions(on_page)
    });
    first_page!("partnercentral:ListConnections", "connections", |on_page| {
        client.list_connections(on_page)
    });
    probes.push(Probe {
        action: "partnercentral:ListEngagements",
        result: client
            .list_engagements()
            .await
            .map(|all| format!("{} engagements you are a member of", all.len())),
    });
    if stop(&probes) {
        return probes;
    }
    probes.push(Probe {
        action: "partnercentral:ListBenefits (benefits)",
        result: client
            .list_benefits()
            .await
            .map(|all| format!("{} benefits in the catalogue", all.len())),
    });
    if stop(&probes) {
        return probes;
    }
    probes.push(Probe {
        action: "partnercentral:ListProgramManagementAccounts",
        result: client
            .list_program_accounts()
            .await
            .map(|all| format!("{} channel program accounts", all.len())),
    });
    if stop(&probes) {
        return probes;
    }
    probes.push(Probe {
        action: "partnercentral:GetSellingSystemSettings",
        result: client.snapshot_job_role().await.map(|role| match role {
            Some(arn) => format!("snapshot job role {arn}"),
            None => format!(
                "no snapshot job role: resource snapshots of opportunities need one. Set it with \
                 `aws partnercentral-selling put-selling-system-settings --catalog {} \
                 --resource-snapshot-job-role-identifier ROLE-NAME`",
                client.catalog
            ),
        }),
    });
    probes
}
