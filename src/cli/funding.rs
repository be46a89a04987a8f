//! `cosell benefits` and `cosell channel`: the guide's other two Partner Central services from a
//! script. Benefits: the catalogue, your applications and allocations, applying for a benefit
//! for an opportunity and the application's changes (submit, update, amend, recall, cancel).
//! Channel: program management accounts, relationships, handshakes in and out, creating a
//! relationship, sending and answering a handshake. The lists answer `--offline` from the
//! last sync.

use clap::Subcommand;
use color_eyre::eyre::{Result, eyre};

use super::headless::{Headless, Output, print_rows};
use super::usage;
use cosell_core::partner::types::*;
use cosell_core::partner::{ApplicationChange, HandshakeAnswer, NewHandshake, NewRelationship};
use cosell_core::store::{Kept, sync};

#[derive(Debug, Subcommand)]
pub enum BenefitsCommand {
    /// The benefits you can apply for (ListBenefits), by program and fulfilment type.
    List {
        /// How to print the result.
        #[arg(long, value_enum, default_value = "table")]
        output: Output,
    },
    /// Your benefit applications, with status and stage.
    Applications {
        /// Only those for this opportunity (O…).
        #[arg(long)]
        opportunity: Option<String>,
        /// How to print the result.
        #[arg(long, value_enum, default_value = "table")]
        output: Output,
    },
    /// What approved applications were given, with expiry.
    Allocations {
        /// How to print the result.
        #[arg(long, value_enum, default_value = "table")]
        output: Output,
    },
    /// Apply for a benefit (ben-…) for an opportunity; the application waits for `submit`. The
    /// same command again answers with the same application.
    Apply {
        /// The benefit's id (ben-…), as `benefits list` shows it.
        benefit: String,
        /// The opportunity (O…) the benefit is for.
        #[arg(long)]
        opportunity: String,
        /// The amount asked for, in USD.
        #[arg(long)]
        amount: Option<String>,
        /// The application's name (default: the benefit and the opportunity).
        #[arg(long)]
        name: Option<String>,
    },
    /// Submit an application (benappl-…) to AWS for review.
    Submit {
        /// The application's id.
        id: String,
    },
    /// One application whole (GetBenefitApplication): revision, status reason, every detail.
    Get {
        /// The application's id.
        id: String,
        /// How to print the result.
        #[arg(long, value_enum, default_value = "table")]
        output: Output,
    },
    /// Change a draft or sent-back application: its name, description or amount. Exits 6, and
    /// changes nothing, when it changed since `--revision` (without one: the latest is used)
    /// or is in a state that does not take the change.
    Update {
        id: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        description: Option<String>,
        /// The amount asked for, in USD.
        #[arg(long)]
        amount: Option<String>,
        /// The revision you read (`benefits get`); a stale one is refused.
        #[arg(long)]
        revision: Option<String>,
    },
    /// Amend an application in review or approved: a new amount, and why. Exits 6 as update
    /// does.
    Amend {
        id: String,
        /// The amended amount, in USD.
        #[arg(long)]
        amount: String,
        #[arg(long)]
        reason: String,
        /// The revision you read (`benefits get`); a stale one is refused.
        #[arg(long)]
        revision: Option<String>,
    },
    /// Take an application out of review, back to a draft.
    Recall {
        id: String,
        #[arg(long)]
        reason: String,
    },
    /// Cancel an application for good (it cannot be submitted again).
    Cancel {
        id: String,
        #[arg(long)]
        reason: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ChannelCommand {
    /// Your program management accounts (ListProgramManagementAccounts).
    Accounts {
        /// How to print the result.
        #[arg(long, value_enum, default_value = "table")]
        output: Output,
    },
    /// Relationships under your program management accounts.
    Relationships {
        /// How to print the result.
        #[arg(long, value_enum, default_value = "table")]
        output: Output,
    },
    /// Handshakes you received (default) or sent (--sent), every type, newest first.
    Handshakes {
        #[arg(long)]
        sent: bool,
        /// How to print the result.
        #[arg(long, value_enum, default_value = "table")]
        output: Output,
    },
    /// Accept a handshake you received (ch-…).
    Accept { id: String },
    /// Reject a handshake you received (ch-…).
    Reject { id: String },
    /// Withdraw a handshake you sent (ch-…), while it is pending.
    Cancel { id: String },
    /// Create a relationship under one of your program management accounts.
    CreateRelationship {
        /// The program management account (pma-…), as `channel accounts` shows it.
        #[arg(long)]
        program_account: String,
        /// DOWNSTREAM_SELLER, END_CUSTOMER or INTERNAL.
        #[arg(long = "type", value_parser = ["DOWNSTREAM_SELLER", "END_CUSTOMER", "INTERNAL"])]
        kind: String,
        /// The 12-digit AWS account of the seller or customer.
        #[arg(long)]
        account_id: String,
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "COMMERCIAL", value_parser = ["COMMERCIAL", "GOVERNMENT", "GOVERNMENT_EXCEPTION"])]
        sector: String,
    },
    /// Send a handshake: start or revoke a relationship's service period (--for rs-…), or a
    /// program management account's (--for pma-…).
    SendHandshake {
        #[arg(long = "type", value_parser = ["START_SERVICE_PERIOD", "REVOKE_SERVICE_PERIOD", "PROGRAM_MANAGEMENT_ACCOUNT"])]
        kind: String,
        /// The relationship (rs-…) or program management account (pma-…) it is about.
        #[arg(long = "for")]
        resource: String,
        /// START_SERVICE_PERIOD only: MINIMUM_NOTICE_PERIOD or FIXED_COMMITMENT_PERIOD.
        #[arg(long, default_value = "MINIMUM_NOTICE_PERIOD", value_parser = ["MINIMUM_NOTICE_PERIOD", "FIXED_COMMITMENT_PERIOD"])]
        period: String,
        /// START_SERVICE_PERIOD with a minimum notice period: days of notice.
        #[arg(long, default_value = "30")]
        notice_days: String,
        /// A note the receiver sees.
        #[arg(long)]
        note: Option<String>,
    },
}

fn date(ms: Option<Millis>) -> String {
    ms.map(cosell_core::times::date).unwrap_or_default()
}

/// A list read live, or `--offline` as the last sync kept it. A cache whose sync never read
/// the service (an older cosell, or an account refused by it) cannot answer, and says why.
fn read<T: Kept>(
    h: &Headless,
    service: &str,
    live: impl std::future::Future<Output = Result<Vec<T>, cosell_core::partner::PartnerError>>,
) -> Result<Vec<T>> {
    if !h.offline {
        return h.runtime.block_on(live).map_err(|e| eyre!("{e}"));
    }
    h.require_synced()?;
    match h.cache.meta(&sync::kept_key(service))?.as_deref() {
        Some(sync::KEPT) => Ok(h.cache.kept()?),
        Some(refused) => Err(super::UnknowableError(format!(
            "the last sync could not read the {service} API ({refused}), so the cache has nothing to answer from; run without --offline"
        ))
        .into()),
        None => Err(super::UnknowableError(format!(
            "the cache holds no {service} records yet (synced before cosell kept them); run `cosell sync`, or drop --offline"
        ))
        .into()),
    }
}

/// A write's ClientToken: the same command with the same arguments is the same request.
fn token(op: &str, parts: &[&str]) -> String {
    let fingerprint = super::update::fingerprint(&serde_json::json!(parts));
    format!("cosell-{op}-{fingerprint:016x}")
}

pub fn benefits(h: &mut Headless, command: &BenefitsCommand) -> Result<i32> {
    match command {
        BenefitsCommand::List { output } => {
            let all: Vec<Benefit> = read(h, "benefits", h.client.list_benefits())?;
            let table = all
                .iter()
                .map(|b| {
                    vec![
                        b.id.clone(),
                        b.name.clone(),
                        b.programs.join(", "),
                        b.fulfillment.join(", "),
                        b.status.clone(),
                    ]
                })
                .collect::<Vec<_>>();
            let json = serde_json::json!({"BenefitSummaries": all.iter().map(|b| serde_json::json!({
                "Id": b.id, "Name": b.name, "Description": b.description, "Programs": b.programs,
                "FulfillmentTypes": b.fulfillment, "Status": b.status,
            })).collect::<Vec<_>>()});
            print_rows(
                *output,
                &format!("{} benefits", all.len()),
                &["id", "name", "programs", "fulfilment", "status"],
                &table,
                json,
            )?;
            Ok(0)
        }
        BenefitsCommand::Applications {
            opportunity,
            output,
        } => {
            let mut all: Vec<BenefitApplication> =
                read(h, "benefits", h.client.list_benefit_applications())?;
            if let Some(o) = opportunity {
                let suffix = format!("/opportunity/{o}");
                all.retain(|a| a.resources.iter().any(|r| r.ends_with(&suffix)));
            }
            let table = all
                .iter()
                .map(|a| {
                    vec![
                        a.id.clone(),
                        a.name.clone().unwrap_or_default(),
                        a.status.clone(),
                        a.stage.clone().unwrap_or_default(),
                        a.requested.clone().unwrap_or_default(),
                        a.resources
                            .iter()
                            .map(|r| r.rsplit('/').next().unwrap_or(r).to_string())
                            .collect::<Vec<_>>()
                            .join(", "),
                        date(a.updated),
                    ]
                })
                .collect::<Vec<_>>();
            let json = serde_json::json!({"BenefitApplicationSummaries": all.iter().map(|a| serde_json::json!({
                "Id": a.id, "Arn": a.arn, "BenefitId": a.benefit_id, "Name": a.name, "Programs": a.programs,
                "FulfillmentTypes": a.fulfillment, "Status": a.status, "Stage": a.stage,
                "AssociatedResources": a.resources, "RequestedAmount": a.requested,
                "UpdatedAt": a.updated.map(cosell_core::times::instant),
            })).collect::<Vec<_>>()});
            print_rows(
                *output,
                &format!("{} benefit applications", all.len()),
                &[
                    "id",
                    "name",
                    "status",
                    "stage",
                    "requested_usd",
                    "for",
                    "updated",
                ],
                &table,
                json,
            )?;
            Ok(0)
        }
        BenefitsCommand::Allocations { output } => {
            let all: Vec<BenefitAllocation> = read(
                h,
                "benefits",
                h.client.list_benefit_allocations_with_amounts(),
            )?;
            let table = all
                .iter()
                .map(|a| {
                    vec![
                        a.id.clone(),
                        a.name.clone().unwrap_or_default(),
                        a.status.clone(),
                        a.fulfillment.join(", "),
                        a.amount.clone().unwrap_or_default(),
                        a.application_id.clone().unwrap_or_default(),
                        date(a.expires),
                    ]
                })
                .collect::<Vec<_>>();
            let json = serde_json::json!({"BenefitAllocationSummaries": all.iter().map(|a| serde_json::json!({
                "Id": a.id, "Name": a.name, "Status": a.status, "BenefitId": a.benefit_id,
                "BenefitApplicationId": a.application_id, "FulfillmentTypes": a.fulfillment,
                "Amount": a.amount,
                "ExpiresAt": a.expires.map(cosell_core::times::instant),
            })).collect::<Vec<_>>()});
            print_rows(
                *output,
                &format!("{} allocations", all.len()),
                &[
                    "id",
                    "name",
                    "status",
                    "fulfilment",
                    "amount",
                    "application",
                    "expires",
                ],
                &table,
                json,
            )?;
            Ok(0)
        }
        BenefitsCommand::Apply {
            benefit,
            opportunity,
            amount,
            name,
        } => {
            super::plan::refuse_writes(h, "applied for")?;
            if let Some(a) = amount
                && !cosell_core::partner::rules::valid_amount(a)
            {
                usage!("--amount takes an amount in USD, e.g. 12000, got '{a}'");
            }
            let record = h
                .runtime
                .block_on(h.client.get_opportunity(opportunity))
                .map_err(|e| eyre!("{e}"))?;
            let arn = record
                .summary
                .arn
                .clone()
                .ok_or_else(|| eyre!("{opportunity} has no ARN to associate"))?;
            let name = name.clone().unwrap_or_else(|| {
                format!("{benefit} for {opportunity} {}", record.summary.customer)
            });
            let token = token("apply", &[benefit, opportunity]);
            let id = h
                .runtime
                .block_on(h.client.apply_for_benefit(
                    benefit,
                    &name,
                    &arn,
                    amount.as_deref(),
                    &token,
                ))
                .map_err(|e| eyre!("{e}"))?;
            eprintln!(
                "application {id} created for {opportunity}; submit it with `cosell benefits submit {id}`"
            );
            println!(
                "{}",
                serde_json::json!({"Id": id, "BenefitId": benefit, "Opportunity": opportunity})
            );
            Ok(0)
        }
        BenefitsCommand::Submit { id } => {
            super::plan::refuse_writes(h, "submitted")?;
            h.runtime
                .block_on(h.client.submit_benefit_application(id))
                .map_err(|e| eyre!("{e}"))?;
            eprintln!(
                "{id} submitted: it is IN_REVIEW until AWS answers (`cosell benefits applications`)"
            );
            println!("{}", serde_json::json!({"Id": id, "Status": "IN_REVIEW"}));
            Ok(0)
        }
        BenefitsCommand::Get { id, output } => {
            if h.offline {
                return Err(super::UnknowableError(format!(
                    "an application's revision and details are read from Partner Central; `benefits applications --offline` lists what the last sync kept, or drop --offline to read {id}"
                ))
                .into());
            }
            let a = h
                .runtime
                .block_on(h.client.get_benefit_application(id))
                .map_err(|e| eyre!("{e}"))?;
            let json = serde_json::json!({
                "Id": a.id, "Arn": a.arn, "BenefitId": a.benefit_id, "Name": a.name,
                "Description": a.description, "Programs": a.programs,
                "FulfillmentTypes": a.fulfillment, "Status": a.status, "Stage": a.stage,
                "StatusReason": a.status_reason, "Revision": a.revision,
                "AssociatedResources": a.resources,
                "BenefitApplicationDetails": a.details.iter().map(|(k, v)| (k.clone(), serde_json::json!(v))).collect::<serde_json::Map<_, _>>(),
                "UpdatedAt": a.updated.map(cosell_core::times::instant),
            });
            let table: Vec<Vec<String>> = [
                ("id", Some(a.id.clone())),
                ("name", a.name.clone()),
                ("status", Some(a.status.clone())),
                ("stage", a.stage.clone()),
                ("reason", a.status_reason.clone()),
                ("requested_usd", a.requested.clone()),
                ("for", Some(a.resources.join(", "))),
                ("revision", a.revision.clone()),
            ]
            .into_iter()
            .map(|(k, v)| vec![k.to_string(), v.unwrap_or_default()])
            .collect();
            print_rows(*output, &a.id, &["field", "value"], &table, json)?;
            Ok(0)
        }
        BenefitsCommand::Update {
            id,
            name,
            description,
            amount,
            revision,
        } => {
            super::plan::refuse_writes(h, "updated")?;
            check_amount(amount.as_deref())?;
            let change = ApplicationChange {
                revision: revision.clone().unwrap_or_default(),
                name: name.clone(),
                description: description.clone(),
                amount: amount.clone(),
            };
            if change.name.is_none() && change.description.is_none() && change.amount.is_none() {
                usage!("nothing to change: give --name, --description or --amount");
            }
            let token = token("benefit-update", &[id, &change.describe()]);
            h.runtime
                .block_on(h.client.update_benefit_application(id, &change, &token))
                .map_err(stale)?;
            eprintln!("{id} updated: {}", change.describe());
            println!("{}", serde_json::json!({"Id": id}));
            Ok(0)
        }
        BenefitsCommand::Amend {
            id,
            amount,
            reason,
            revision,
        } => {
            super::plan::refuse_writes(h, "amended")?;
            check_amount(Some(amount))?;
            let token = token("benefit-amend", &[id, amount, reason]);
            h.runtime
                .block_on(h.client.amend_benefit_application(
                    id,
                    revision.as_deref().unwrap_or(""),
                    amount,
                    reason,
                    &token,
                ))
                .map_err(stale)?;
            eprintln!("{id} amended: {amount} USD asked");
            println!(
                "{}",
                serde_json::json!({"Id": id, "RequestedAmount": amount})
            );
            Ok(0)
        }
        BenefitsCommand::Recall { id, reason } => {
            super::plan::refuse_writes(h, "recalled")?;
            let token = token("benefit-recall", &[id, reason]);
            h.runtime
                .block_on(h.client.recall_benefit_application(id, reason, &token))
                .map_err(|e| eyre!("{e}"))?;
            eprintln!("{id} recalled: a draft again (`cosell benefits submit {id}` sends it back)");
            println!(
                "{}",
                serde_json::json!({"Id": id, "Status": "PENDING_SUBMISSION"})
            );
            Ok(0)
        }
        BenefitsCommand::Cancel { id, reason } => {
            super::plan::refuse_writes(h, "canceled")?;
            let token = token("benefit-cancel", &[id, reason.as_deref().unwrap_or("")]);
            h.runtime
                .block_on(
                    h.client
                        .cancel_benefit_application(id, reason.as_deref(), &token),
                )
                .map_err(|e| eyre!("{e}"))?;
            eprintln!("{id} canceled");
            println!("{}", serde_json::json!({"Id": id, "Status": "CANCELED"}));
            Ok(0)
        }
    }
}

/// A refusal for the record's current state (a stale revision, a status that does not take
/// the change) exits 6, as a stale opportunity update does; the rest exit 1.
fn stale(e: cosell_core::partner::PartnerError) -> color_eyre::Report {
    if e.kind == cosell_core::partner::FailureKind::Conflict {
        super::update::ConflictError(e.to_string()).into()
    } else {
        eyre!("{e}")
    }
}

fn check_amount(amount: Option<&str>) -> Result<()> {
    if let Some(a) = amount
        && !cosell_core::partner::rules::valid_amount(a)
    {
        usage!("--amount takes an amount in USD, e.g. 12000, got '{a}'");
    }
    Ok(())
}

pub fn channel(h: &mut Headless, command: &ChannelCommand) -> Result<i32> {
    match command {
        ChannelCommand::Accounts { output } => {
            let all: Vec<ProgramAccount> = read(h, "channel", h.client.list_program_accounts())?;
            let table = all
                .iter()
                .map(|a| {
                    vec![
                        a.id.clone(),
                        a.name.clone(),
                        a.program.clone(),
                        a.account_id.clone(),
                        a.status.clone(),
                    ]
                })
                .collect::<Vec<_>>();
            let json = serde_json::json!({"items": all.iter().map(|a| serde_json::json!({
                "id": a.id, "displayName": a.name, "program": a.program, "accountId": a.account_id,
                "status": a.status, "revision": a.revision,
            })).collect::<Vec<_>>()});
            print_rows(
                *output,
                &format!("{} program management accounts", all.len()),
                &["id", "name", "program", "account", "status"],
                &table,
                json,
            )?;
            Ok(0)
        }
        ChannelCommand::Relationships { output } => {
            let all: Vec<ChannelRelationship> =
                read(h, "channel", h.client.list_channel_relationships())?;
            let table = all
                .iter()
                .map(|r| {
                    vec![
                        r.id.clone(),
                        r.name.clone(),
                        r.kind.clone(),
                        r.account_id.clone(),
                        r.program_account.clone(),
                        date(r.start),
                    ]
                })
                .collect::<Vec<_>>();
            let json = serde_json::json!({"items": all.iter().map(|r| serde_json::json!({
                "id": r.id, "displayName": r.name, "associationType": r.kind, "associatedAccountId": r.account_id,
                "programManagementAccountId": r.program_account, "sector": r.sector,
                "startDate": r.start.map(cosell_core::times::instant),
            })).collect::<Vec<_>>()});
            print_rows(
                *output,
                &format!("{} relationships", all.len()),
                &["id", "name", "type", "account", "program_account", "since"],
                &table,
                json,
            )?;
            Ok(0)
        }
        ChannelCommand::Handshakes { sent, output } => {
            let mut all: Vec<Handshake> = read(h, "channel", h.client.list_handshakes(!sent))?;
            // The cache keeps both directions.
            all.retain(|x| x.received != *sent);
            let table = all
                .iter()
                .map(|x| {
                    vec![
                        x.id.clone(),
                        x.kind.clone(),
                        x.status.clone(),
                        if *sent {
                            x.receiver.clone().unwrap_or_default()
                        } else {
                            x.sender_name
                                .clone()
                                .or(x.sender.clone())
                                .unwrap_or_default()
                        },
                        x.resource.clone().unwrap_or_default(),
                        date(x.updated),
                    ]
                })
                .collect::<Vec<_>>();
            let json = serde_json::json!({"items": all.iter().map(|x| serde_json::json!({
                "id": x.id, "arn": x.arn, "handshakeType": x.kind, "status": x.status,
                "senderAccountId": x.sender, "senderDisplayName": x.sender_name,
                "receiverAccountId": x.receiver, "associatedResourceId": x.resource,
                "updatedAt": x.updated.map(cosell_core::times::instant),
            })).collect::<Vec<_>>()});
            let (headline, who) = if *sent {
                (format!("{} handshakes you sent", all.len()), "to")
            } else {
                (format!("{} handshakes you received", all.len()), "from")
            };
            print_rows(
                *output,
                &headline,
                &["id", "type", "status", who, "resource", "updated"],
                &table,
                json,
            )?;
            Ok(0)
        }
        ChannelCommand::Accept { id } => answer(h, id, HandshakeAnswer::Accept),
        ChannelCommand::Reject { id } => answer(h, id, HandshakeAnswer::Reject),
        ChannelCommand::Cancel { id } => answer(h, id, HandshakeAnswer::Cancel),
        ChannelCommand::CreateRelationship {
            program_account,
            kind,
            account_id,
            name,
            sector,
        } => {
            super::plan::refuse_writes(h, "created")?;
            if account_id.len() != 12 || !account_id.chars().all(|c| c.is_ascii_digit()) {
                usage!("--account-id takes a 12-digit AWS account id, got '{account_id}'");
            }
            let new = NewRelationship {
                program_account: program_account.clone(),
                kind: kind.clone(),
                account_id: account_id.clone(),
                name: name.clone(),
                sector: sector.clone(),
            };
            let token = token(
                "relationship",
                &[program_account, kind, account_id, name, sector],
            );
            let id = h
                .runtime
                .block_on(h.client.create_relationship(&new, &token))
                .map_err(|e| eyre!("{e}"))?;
            eprintln!("relationship {id} created under {program_account}");
            println!(
                "{}",
                serde_json::json!({"id": id, "programManagementAccountId": program_account})
            );
            Ok(0)
        }
        ChannelCommand::SendHandshake {
            kind,
            resource,
            period,
            notice_days,
            note,
        } => send_handshake(h, kind, resource, period, notice_days, note.as_deref()),
    }
}

fn send_handshake(
    h: &mut Headless,
    kind: &str,
    resource: &str,
    period: &str,
    notice_days: &str,
    note: Option<&str>,
) -> Result<i32> {
    super::plan::refuse_writes(h, "sent")?;
    // A service period's payload names the relationship's program management account.
    let program_account = || -> Result<String> {
        let all = h
            .runtime
            .block_on(h.client.list_channel_relationships())
            .map_err(|e| eyre!("{e}"))?;
        all.into_iter()
            .find(|r| r.id == resource)
            .map(|r| r.program_account)
            .ok_or_else(|| {
                eyre!(
                    "{resource} is not one of your relationships (`cosell channel relationships`)"
                )
            })
    };
    let new = match kind {
        "PROGRAM_MANAGEMENT_ACCOUNT" => NewHandshake::ProgramAccount {
            program_account: resource.to_string(),
        },
        "REVOKE_SERVICE_PERIOD" => NewHandshake::RevokeServicePeriod {
            relationship: resource.to_string(),
            program_account: program_account()?,
            note: note.map(str::to_string),
        },
        _ => {
            let minimum = period == "MINIMUM_NOTICE_PERIOD";
            if minimum && !notice_days.chars().all(|c| c.is_ascii_digit()) {
                usage!("--notice-days takes a number of days, got '{notice_days}'");
            }
            NewHandshake::StartServicePeriod {
                relationship: resource.to_string(),
                program_account: program_account()?,
                period: period.to_string(),
                notice_days: minimum.then(|| notice_days.to_string()),
                note: note.map(str::to_string),
            }
        }
    };
    let token = token(
        "handshake",
        &[kind, resource, period, notice_days, note.unwrap_or("")],
    );
    let id = h
        .runtime
        .block_on(h.client.create_handshake(&new, &token))
        .map_err(|e| eyre!("{e}"))?;
    eprintln!("handshake {id} sent ({kind} for {resource}); the receiver answers it");
    println!(
        "{}",
        serde_json::json!({"id": id, "handshakeType": kind, "associatedResourceId": resource})
    );
    Ok(0)
}

fn answer(h: &mut Headless, id: &str, answer: HandshakeAnswer) -> Result<i32> {
    super::plan::refuse_writes(h, "answered")?;
    let status = h
        .runtime
        .block_on(h.client.answer_handshake(id, answer))
        .map_err(|e| eyre!("{e}"))?;
    eprintln!("{id}: {status}");
    println!("{}", serde_json::json!({"id": id, "status": status}));
    Ok(0)
}
