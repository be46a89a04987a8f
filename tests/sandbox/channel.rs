//! Channel through the real `aws-sdk-partnercentralchannel` client: program management
//! accounts, relationships under revision control, and handshakes answered only by their
//! receiver (accept, reject) or sender (cancel), with what each accepted one does.

use aws_sdk_partnercentralchannel as sdk;
use sdk::types::{
    AssociationType, HandshakeStatus, HandshakeType, ParticipantType, Program, Sector,
    ServicePeriodType,
};

use crate::common::{channel_client, sandbox};

/// A partner of the sandbox's directory, acting on its own account.
const DISTRIBUTOR: &str = "310987654322";

async fn handshakes(
    client: &sdk::Client,
    kind: HandshakeType,
    side: ParticipantType,
) -> Vec<sdk::types::ChannelHandshakeSummary> {
    client
        .list_channel_handshakes()
        .catalog("AWS")
        .handshake_type(kind)
        .participant_type(side)
        .send()
        .await
        .unwrap()
        .items()
        .to_vec()
}

#[tokio::test]
async fn a_program_account_is_active_once_its_receiver_accepts_and_never_by_its_sender() {
    let sb = sandbox().await;
    let me = channel_client(&sb.url(), "test");
    let them = channel_client(&sb.url(), DISTRIBUTOR);
    let accounts = me
        .list_program_management_accounts()
        .catalog("AWS")
        .send()
        .await
        .unwrap();
    assert_eq!(accounts.items().len(), 2, "the demo's two program accounts");

    let created = me
        .create_program_management_account()
        .catalog("AWS")
        .program(Program::Distribution)
        .display_name("Northwind distribution")
        .account_id(DISTRIBUTOR)
        .send()
        .await
        .unwrap();
    let pma = created
        .program_management_account_detail()
        .unwrap()
        .id()
        .unwrap()
        .to_string();
    let sent = handshakes(
        &me,
        HandshakeType::ProgramManagementAccount,
        ParticipantType::Sender,
    )
    .await;
    let handshake = sent
        .iter()
        .find(|h| h.associated_resource_id() == Some(pma.as_str()))
        .expect("the account's handshake, sent")
        .id()
        .unwrap()
        .to_string();
    let own = me
        .accept_channel_handshake()
        .catalog("AWS")
        .identifier(&handshake)
        .send()
        .await
        .unwrap_err();
    assert!(
        own.as_service_error().unwrap().is_access_denied_exception(),
        "{own:?}"
    );
    let received = handshakes(
        &them,
        HandshakeType::ProgramManagementAccount,
        ParticipantType::Receiver,
    )
    .await;
    assert!(received.iter().any(|h| h.id() == Some(handshake.as_str())));
    let accepted = them
        .accept_channel_handshake()
        .catalog("AWS")
        .identifier(&handshake)
        .send()
        .await
        .unwrap();
    assert_eq!(
        accepted.channel_handshake_detail().unwrap().status(),
        Some(&HandshakeStatus::Accepted)
    );
    let active = me
        .list_program_management_accounts()
        .catalog("AWS")
        .statuses(sdk::types::ProgramManagementAccountStatus::Active)
        .send()
        .await
        .unwrap();
    assert!(active.items().iter().any(|a| a.id() == Some(pma.as_str())));
    let again = them
        .reject_channel_handshake()
        .catalog("AWS")
        .identifier(&handshake)
        .send()
        .await
        .unwrap_err();
    assert!(
        again.as_service_error().unwrap().is_validation_exception(),
        "answered once"
    );
}

#[tokio::test]
async fn a_relationship_gets_its_service_period_and_a_revoked_one_ends_it() {
    let sb = sandbox().await;
    let me = channel_client(&sb.url(), "test");
    let them = channel_client(&sb.url(), DISTRIBUTOR);
    let pma = me
        .list_program_management_accounts()
        .catalog("AWS")
        .statuses(sdk::types::ProgramManagementAccountStatus::Active)
        .send()
        .await
        .unwrap()
        .items()[0]
        .id()
        .unwrap()
        .to_string();
    let created = me
        .create_relationship()
        .catalog("AWS")
        .association_type(AssociationType::DownstreamSeller)
        .program_management_account_identifier(&pma)
        .associated_account_id(DISTRIBUTOR)
        .display_name("Fabrikam resale")
        .sector(Sector::Commercial)
        .send()
        .await
        .unwrap();
    let rs = created
        .relationship_detail()
        .unwrap()
        .id()
        .unwrap()
        .to_string();
    let got = |client: sdk::Client, rs: String, pma: String| async move {
        client
            .get_relationship()
            .catalog("AWS")
            .program_management_account_identifier(pma)
            .identifier(rs)
            .send()
            .await
    };
    let before = got(me.clone(), rs.clone(), pma.clone()).await.unwrap();
    assert_eq!(before.relationship_detail().unwrap().revision(), Some("1"));
    let stale = me
        .update_relationship()
        .catalog("AWS")
        .identifier(&rs)
        .program_management_account_identifier(&pma)
        .revision("7")
        .display_name("stale")
        .send()
        .await
        .unwrap_err();
    assert!(stale.as_service_error().unwrap().is_conflict_exception());

    let start = me
        .create_channel_handshake()
        .catalog("AWS")
        .handshake_type(HandshakeType::StartServicePeriod)
        .associated_resource_identifier(&rs)
        .payload(
            sdk::types::ChannelHandshakePayload::StartServicePeriodPayload(
                sdk::types::StartServicePeriodPayload::builder()
                    .program_management_account_identifier(&pma)
                    .service_period_type(ServicePeriodType::MinimumNoticePeriod)
                    .minimum_notice_days("30")
                    .build()
                    .unwrap(),
            ),
        )
        .send()
        .await
        .unwrap();
    let start_id = start
        .channel_handshake_detail()
        .unwrap()
        .id()
        .unwrap()
        .to_string();
    them.accept_channel_handshake()
        .catalog("AWS")
        .identifier(&start_id)
        .send()
        .await
        .unwrap();
    let started = got(me.clone(), rs.clone(), pma.clone()).await.unwrap();
    assert!(
        started
            .relationship_detail()
            .unwrap()
            .start_date()
            .is_some()
    );

    let revoke = me
        .create_channel_handshake()
        .catalog("AWS")
        .handshake_type(HandshakeType::RevokeServicePeriod)
        .associated_resource_identifier(&rs)
        .payload(
            sdk::types::ChannelHandshakePayload::RevokeServicePeriodPayload(
                sdk::types::RevokeServicePeriodPayload::builder()
                    .program_management_account_identifier(&pma)
                    .note("Ending the resale agreement")
                    .build()
                    .unwrap(),
            ),
        )
        .send()
        .await
        .unwrap();
    let revoke_id = revoke
        .channel_handshake_detail()
        .unwrap()
        .id()
        .unwrap()
        .to_string();
    // A second revoke while one is pending is a conflict; the sender can cancel, not accept.
    let twice = me
        .create_channel_handshake()
        .catalog("AWS")
        .handshake_type(HandshakeType::RevokeServicePeriod)
        .associated_resource_identifier(&rs)
        .payload(
            sdk::types::ChannelHandshakePayload::RevokeServicePeriodPayload(
                sdk::types::RevokeServicePeriodPayload::builder()
                    .program_management_account_identifier(&pma)
                    .build()
                    .unwrap(),
            ),
        )
        .send()
        .await
        .unwrap_err();
    assert!(twice.as_service_error().unwrap().is_conflict_exception());
    them.accept_channel_handshake()
        .catalog("AWS")
        .identifier(&revoke_id)
        .send()
        .await
        .unwrap();
    let gone = got(me.clone(), rs.clone(), pma.clone()).await.unwrap_err();
    assert!(
        gone.as_service_error()
            .unwrap()
            .is_resource_not_found_exception()
    );
    // A program account with relationships left is not deleted.
    let busy = me
        .delete_program_management_account()
        .catalog("AWS")
        .identifier(&pma)
        .send()
        .await
        .unwrap_err();
    assert!(busy.as_service_error().unwrap().is_conflict_exception());
}

#[tokio::test]
async fn a_received_handshake_is_answered_by_the_receiver_and_a_sent_one_canceled_by_the_sender() {
    let sb = sandbox().await;
    let me = channel_client(&sb.url(), "test");
    let incoming = handshakes(
        &me,
        HandshakeType::StartServicePeriod,
        ParticipantType::Receiver,
    )
    .await;
    assert_eq!(
        incoming.len(),
        1,
        "the distributor's pending service period"
    );
    let id = incoming[0].id().unwrap().to_string();
    let cancel_theirs = me
        .cancel_channel_handshake()
        .catalog("AWS")
        .identifier(&id)
        .send()
        .await
        .unwrap_err();
    assert!(
        cancel_theirs
            .as_service_error()
            .unwrap()
            .is_access_denied_exception()
    );
    let rejected = me
        .reject_channel_handshake()
        .catalog("AWS")
        .identifier(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        rejected.channel_handshake_detail().unwrap().status(),
        Some(&HandshakeStatus::Rejected)
    );
    let outgoing = handshakes(
        &me,
        HandshakeType::ProgramManagementAccount,
        ParticipantType::Sender,
    )
    .await;
    let mine = outgoing[0].id().unwrap().to_string();
    me.cancel_channel_handshake()
        .catalog("AWS")
        .identifier(&mine)
        .send()
        .await
        .unwrap();
    let arn = outgoing[0].arn().unwrap().to_string();
    me.tag_resource()
        .resource_arn(&arn)
        .tags(
            sdk::types::Tag::builder()
                .key("team")
                .value("east")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let tags = me
        .list_tags_for_resource()
        .resource_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(tags.tags().len(), 1);
    me.untag_resource()
        .resource_arn(&arn)
        .tag_keys("team")
        .send()
        .await
        .unwrap();
    assert!(
        me.list_tags_for_resource()
            .resource_arn(&arn)
            .send()
            .await
            .unwrap()
            .tags()
            .is_empty()
    );
}
