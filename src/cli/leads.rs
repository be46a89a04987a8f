//! `cosell leads` and `cosell engagements`: AWS's lead workflow from a script. A lead arrives as
//! an engagement invitation; accepting it (AcceptEngagementInvitation) makes the partner a member
//! of its engagement, where the lead's context lives; qualifying writes the context
//! (UpdateEngagementContext, locked to the engagement's ModifiedAt); converting starts
//! StartOpportunityFromEngagementTask and follows it until the opportunity exists.

use clap::Subcommand;
use color_eyre::eyre::{Result, bail, eyre};

use super::headless::{Headless, Output, print_rows};
use super::update::ConflictError;
use super::usage;
use cosell_core::partner::FailureKind;
use cosell_core::partner::types::*;
use cosell_core::partner::vocab::{InvitationStatus, PayloadType};
use cosell_core::store::api_json;

#[derive(Debug, Subcommand)]
pub enum LeadsCommand {
    /// List lead invitations (AWS's leads), pending ones first, soonest deadline first.
    List {
        /// Only this status (any case): PENDING, ACCEPTED, REJECTED or EXPIRED.
        #[arg(long, value_parser = InvitationStatus::parse_or_list)]
        status: Option<InvitationStatus>,
        /// Only pending leads expiring within this time (e.g. 48h, 3d); exit status 3 when any are.
        #[arg(long, value_parser = super::values::span)]
        due_within: Option<super::values::Span>,
        /// How to print the result.
        #[arg(long, value_enum, default_value = "table")]
        output: Output,
    },
    /// Accept a pending lead (AcceptEngagementInvitation): you join its engagement and see the
    /// lead's contact and interactions; prints the engagement. Without an id, accepts the
    /// pending leads that meet the rules given, as `referrals accept` does (a plan until --yes).
    Accept {
        /// The lead invitation's id (engi-…).
        id: Option<String>,
        #[command(flatten)]
        rules: super::accept::AcceptArgs,
    },
    /// Mark an accepted lead Qualified (or Disqualified with --disqualify). Prints the
    /// engagement.
    Qualify {
        /// The lead invitation (engi-…) or its engagement (eng-…).
        id: String,
        #[arg(long)]
        disqualify: bool,
    },
    /// Convert an accepted lead to an opportunity (StartOpportunityFromEngagementTask) and
    /// follow the task to the end; prints the new opportunity as GetOpportunity's JSON. Run
    /// again, it answers with the same opportunity.
    Convert {
        /// The lead invitation (engi-…) or its engagement (eng-…).
        id: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum EngagementsCommand {
    /// The engagements you are a member of, newest first.
    List {
        /// How to print the result.
        #[arg(long, value_enum, default_value = "table")]
        output: Output,
    },
    /// One engagement: its contexts (a lead, a customer project), members and opportunities.
    Get {
        /// The engagement (eng-…) or an invitation to it (engi-…).
        id: String,
    },
    /// The invitations you sent to other partners (and to AWS, by submitting), with their
    /// status.
    Sent {
        /// How to print the result.
        #[arg(long, value_enum, default_value = "table")]
        output: Output,
    },
}

/// Runs `opportunities share`: one invitation per opportunity and partner (the ClientToken is
/// made of both, so running it again sends nothing new).
pub fn share(
    h: &mut Headless,
    id: &str,
    partner: &str,
    message: &str,
    responsibility: &str,
) -> Result<i32> {
    super::plan::refuse_writes(h, "shared")?;
    if partner.len() != 12 || !partner.chars().all(|c| c.is_ascii_digit()) {
        usage!("--partner takes the partner's 12-digit AWS account id, got '{partner}'");
    }
    let token = format!("cosell-share-{id}-{partner}");
    let invitation = h
        .runtime
        .block_on(
            h.client
                .share_opportunity(id, partner, message, responsibility, &token),
        )
        .map_err(|e| eyre!("{e}"))?;
    eprintln!("{id} shared with {partner}: invitation {invitation} is pending their answer");
    println!(
        "{}",
        serde_json::to_string_pretty(
            &serde_json::json!({"Id": invitation, "Opportunity": id, "Receiver": partner})
        )?
    );
    Ok(0)
}

/// The engagement an id names: itself, or the one an invitation belongs to.
fn engagement_of(h: &Headless, id: &str) -> Result<String> {
    if id.starts_with("eng-") {
        return Ok(id.to_string());
    }
    if !id.contains("engi-") {
        usage!("'{id}' is neither an engagement (eng-…) nor an invitation (engi-…)");
    }
    let detail = h
        .runtime
        .block_on(h.client.get_referral(id))
        .map_err(|e| eyre!("{e}"))?;
    detail
        .referral
        .engagement_id
        .ok_or_else(|| eyre!("invitation {id} names no engagement"))
}

fn read_engagement(h: &Headless, id: &str) -> Result<Engagement> {
    h.runtime
        .block_on(h.client.get_engagement(id))
        .map_err(|e| match e.kind {
            FailureKind::AccessDenied => eyre!(
                "{id}: only members see an engagement, and this account is not one of its members \
                 yet: accept its invitation first (`cosell leads accept ENGI-ID`). Partner \
                 Central said: {}",
                e.detail
            ),
            _ => eyre!("{e}"),
        })
}

fn print_engagement(h: &Headless, e: &Engagement) -> Result<i32> {
    println!(
        "{}",
        serde_json::to_string_pretty(&api_json::engagement(e, &h.catalog))?
    );
    Ok(0)
}

/// The lead's context of an engagement, or a clear refusal.
fn lead_in(e: &Engagement) -> Result<(String, Lead)> {
    match e.lead() {
        Some((context, lead)) => Ok((context.to_string(), lead.clone())),
        None => bail!(
            "engagement {} has no lead context (it holds: {}); only a lead is qualified or converted here",
            e.id,
            e.contexts
                .iter()
                .map(|c| c.kind.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

pub fn leads(h: &mut Headless, command: &LeadsCommand) -> Result<i32> {
    match command {
        LeadsCommand::List {
            status,
            due_within,
            output,
        } => super::headless::list_invitations(
            h,
            status.as_ref(),
            due_within.as_ref(),
            *output,
            Some(PayloadType::LeadInvitation),
        ),
        LeadsCommand::Accept { id: None, rules } => {
            super::accept::run_for(h, rules, Some(PayloadType::LeadInvitation))
        }
        LeadsCommand::Accept {
            id: Some(id),
            rules,
        } => {
            if rules.chooses() {
                usage!("give a lead's id or rules to choose leads by, not both");
            }
            super::plan::refuse_writes(h, "accepted")?;
            let detail = h
                .runtime
                .block_on(h.client.get_referral(id))
                .map_err(|e| eyre!("{e}"))?;
            if detail.referral.payload_type != Some(PayloadType::LeadInvitation) {
                bail!(
                    "{id} is an opportunity referral, not a lead: accept it with `cosell referrals accept`, which also creates its opportunity"
                );
            }
            h.runtime
                .block_on(h.client.accept_invitation(id))
                .map_err(|e| eyre!("{e}"))?;
            let engagement = detail
                .referral
                .engagement_id
                .ok_or_else(|| eyre!("invitation {id} names no engagement"))?;
            eprintln!("{id} accepted: you are a member of {engagement}");
            h.refresh(false)?;
            let e = read_engagement(h, &engagement)?;
            print_engagement(h, &e)
        }
        LeadsCommand::Qualify { id, disqualify } => {
            super::plan::refuse_writes(h, "changed")?;
            let engagement = engagement_of(h, id)?;
            let e = read_engagement(h, &engagement)?;
            let (context, lead) = lead_in(&e)?;
            let status = if *disqualify {
                "Disqualified"
            } else {
                "Qualified"
            };
            let based_on = e
                .modified_at
                .ok_or_else(|| eyre!("engagement {engagement} has no ModifiedAt to lock on"))?;
            match h.runtime.block_on(h.client.qualify_lead(
                &engagement,
                &context,
                based_on,
                &lead,
                status,
            )) {
                Ok(_) => {}
                Err(err) if err.kind == FailureKind::Conflict => {
                    return Err(ConflictError(format!(
                        "{engagement} changed while the lead was being marked {status}: nothing \
                         was changed. Run the command again to mark what it is now"
                    ))
                    .into());
                }
                Err(err) => bail!("{err}"),
            }
            eprintln!("{} ({engagement}) marked {status}", lead.company);
            let e = read_engagement(h, &engagement)?;
            print_engagement(h, &e)
        }
        LeadsCommand::Convert { id } => convert(h, id),
    }
}

fn convert(h: &mut Headless, id: &str) -> Result<i32> {
    super::plan::refuse_writes(h, "converted")?;
    let engagement = engagement_of(h, id)?;
    let e = read_engagement(h, &engagement)?;
    let (context, lead) = lead_in(&e)?;
    if lead.qualification.as_deref() == Some("Disqualified") {
        eprintln!(
            "note: {} is marked Disqualified; converting it anyway, as Partner Central allows",
            lead.company
        );
    }
    // One token per lead context: a rerun replays the same task instead of starting another.
    let token = format!("cosell-convert-{engagement}-{context}");
    let started = h
        .runtime
        .block_on(h.client.start_conversion(&engagement, &context, &token))
        .map_err(|e| eyre!("{e}"))?;
    let task = super::plan::follow_task(
        h,
        started,
        |id| {
            let client = h.client.clone();
            async move { client.conversion_task(&id).await }
        },
        |task| {
            format!(
                "{engagement}: the conversion task {task} is still running after two minutes; `cosell engagements get {engagement}` lists the opportunity once it exists"
            )
        },
    )?;
    let Some(opportunity) = task
        .opportunity_id
        .clone()
        .filter(|_| task.status == TaskStatus::Complete)
    else {
        bail!(
            "{} was not converted: the task {} ended {}{}",
            lead.company,
            task.id,
            task.status,
            task.message
                .as_deref()
                .map(|m| format!(": {m}"))
                .unwrap_or_default()
        );
    };
    let record = h
        .runtime
        .block_on(h.client.get_opportunity(&opportunity))
        .map_err(|e| eyre!("{e}"))?;
    h.cache.store_full(&record)?;
    eprintln!(
        "{} converted into {opportunity}; submit it with `cosell opportunities submit {opportunity}`",
        lead.company
    );
    println!(
        "{}",
        serde_json::to_string_pretty(&api_json::opportunity(&record, &h.catalog))?
    );
    Ok(0)
}

pub fn engagements(h: &mut Headless, command: &EngagementsCommand) -> Result<i32> {
    match command {
        EngagementsCommand::List { output } => {
            // The sync before every command (or the last one, offline) keeps them.
            let all = h.cache.engagements()?;
            let table: Vec<Vec<String>> = all
                .iter()
                .map(|e| {
                    vec![
                        e.id.clone(),
                        e.title.clone().unwrap_or_default(),
                        e.contexts
                            .iter()
                            .map(|c| c.kind.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                        e.member_count.map(|n| n.to_string()).unwrap_or_default(),
                        e.created_by.clone().unwrap_or_default(),
                        e.modified_at
                            .map(cosell_core::times::date)
                            .unwrap_or_default(),
                    ]
                })
                .collect();
            let json = serde_json::json!({"EngagementSummaryList": all.iter().map(|e| api_json::engagement_summary(e, &h.catalog)).collect::<Vec<_>>()});
            print_rows(
                *output,
                &format!("{} engagements you are a member of", all.len()),
                &[
                    "id",
                    "title",
                    "contexts",
                    "members",
                    "created_by",
                    "modified",
                ],
                &table,
                json,
            )?;
            Ok(0)
        }
        EngagementsCommand::Sent { output } => {
            let sent = h
                .runtime
                .block_on(h.client.list_sent_invitations())
                .map_err(|e| eyre!("{e}"))?;
            let table: Vec<Vec<String>> = sent
                .iter()
                .map(|r| {
                    vec![
                        r.id.clone(),
                        r.receiver.clone().unwrap_or_default(),
                        r.title.clone().unwrap_or_default(),
                        r.status
                            .as_ref()
                            .map(InvitationStatus::to_string)
                            .unwrap_or_default(),
                        r.invited.map(cosell_core::times::date).unwrap_or_default(),
                    ]
                })
                .collect();
            let json = serde_json::json!({"EngagementInvitationSummaries": sent.iter().map(|r| {
                let mut v = api_json::referral_summary(r, &h.catalog);
                v["ParticipantType"] = "SENDER".into();
                if let Some(receiver) = &r.receiver {
                    v["Receiver"] = serde_json::json!({"Account": {"AwsAccountId": receiver}});
                }
                v
            }).collect::<Vec<_>>()});
            print_rows(
                *output,
                &format!("{} invitations you sent", sent.len()),
                &["id", "receiver", "engagement", "status", "sent"],
                &table,
                json,
            )?;
            Ok(0)
        }
        EngagementsCommand::Get { id } => {
            // Offline, the copy the last sync kept; online, the engagement as it is now (its
            // opportunities can change without its ModifiedAt moving).
            if h.offline {
                let Some(cached) = h.cache.engagement(id)? else {
                    return Err(super::UnknowableError(format!(
                        "{id} is not in the cache; run without --offline to read it from Partner Central"
                    ))
                    .into());
                };
                return print_engagement(h, &cached);
            }
            let engagement = engagement_of(h, id)?;
            let e = read_engagement(h, &engagement)?;
            h.cache.store_engagement(&e)?;
            print_engagement(h, &e)
        }
    }
}
