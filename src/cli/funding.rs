//! `cosell benefits` and `cosell channel`: the guide's other two Partner Central services from a
//! script. Benefits: the catalogue, your applications and allocations, applying for a benefit
//! for an opportunity and submitting the application. Channel: program management accounts,
//! relationships, handshakes in and out, and answering one.

use clap::Subcommand;
use color_eyre::eyre::{Result, eyre};

use super::headless::{Headless, Output, print_rows};
use super::usage;
use cosell_core::partner::HandshakeAnswer;
use cosell_core::partner::types::*;

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
}

fn date(ms: Option<Millis>) -> String {
    ms.map(cosell_core::times::date).unwrap_or_default()
}

/// These read Partner Central directly: offline there is nothing to answer from.
fn online(h: &Headless, what: &str) -> Result<()> {
    if h.offline {
        return Err(super::UnknowableError(format!(
            "{what} are read from Partner Central and not kept in the cache; run without --offline"
        ))
        .into());
    }
    Ok(())
}

pub fn benefits(h: &mut Headless, command: &BenefitsCommand) -> Result<i32> {
    match command {
        BenefitsCommand::List { output } => {
            online(h, "benefits")?;
            let all = h
                .runtime
                .block_on(h.client.list_benefits())
                .map_err(|e| eyre!("{e}"))?;
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
            online(h, "benefit applications")?;
            let mut all = h
                .runtime
                .block_on(h.client.list_benefit_applications())
                .map_err(|e| eyre!("{e}"))?;
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
                "AssociatedResources": a.resources,
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
            online(h, "benefit allocations")?;
            let all = h
                .runtime
                .block_on(h.client.list_benefit_allocations())
                .map_err(|e| eyre!("{e}"))?;
            let table = all
                .iter()
                .map(|a| {
                    vec![
                        a.id.clone(),
                        a.name.clone().unwrap_or_default(),
                        a.status.clone(),
                        a.fulfillment.join(", "),
                        a.application_id.clone().unwrap_or_default(),
                        date(a.expires),
                    ]
                })
                .collect::<Vec<_>>();
            let json = serde_json::json!({"BenefitAllocationSummaries": all.iter().map(|a| serde_json::json!({
                "Id": a.id, "Name": a.name, "Status": a.status, "BenefitId": a.benefit_id,
                "BenefitApplicationId": a.application_id, "FulfillmentTypes": a.fulfillment,
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
            let token = format!("cosell-apply-{benefit}-{opportunity}");
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
    }
}

pub fn channel(h: &mut Headless, command: &ChannelCommand) -> Result<i32> {
    match command {
        ChannelCommand::Accounts { output } => {
            online(h, "program management accounts")?;
            let all = h
                .runtime
                .block_on(h.client.list_program_accounts())
                .map_err(|e| eyre!("{e}"))?;
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
            online(h, "relationships")?;
            let all = h
                .runtime
                .block_on(h.client.list_channel_relationships())
                .map_err(|e| eyre!("{e}"))?;
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
            online(h, "handshakes")?;
            let all = h
                .runtime
                .block_on(h.client.list_handshakes(!sent))
                .map_err(|e| eyre!("{e}"))?;
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
    }
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
