//! Every account operation through the real `aws-sdk-partnercentralaccount` client.

use aws_sdk_partnercentralaccount as sdk;
use sdk::types::{ConnectionType, InvitationStatus, ParticipantType};

use crate::common::{account_client, sandbox};

#[tokio::test]
async fn partner_profile_and_alliance_lead() {
    let sb = sandbox().await;
    let client = account_client(&sb.url());
    let partners = client.list_partners().catalog("AWS").send().await.unwrap();
    let summary = &partners.partner_summary_list()[0];
    let partner = client
        .get_partner()
        .catalog("AWS")
        .identifier(summary.id())
        .send()
        .await
        .unwrap();
    assert_eq!(partner.legal_name(), "Northwind Cloud Partners LLC");
    assert!(!partner.profile().unwrap().industry_segments().is_empty());
    let by_arn = client
        .get_partner()
        .catalog("AWS")
        .identifier(summary.arn())
        .send()
        .await
        .unwrap();
    assert_eq!(by_arn.id(), partner.id());
    let lead = client
        .get_alliance_lead_contact()
        .catalog("AWS")
        .identifier(summary.id())
        .send()
        .await
        .unwrap();
    assert_eq!(
        lead.alliance_lead_contact().unwrap().email(),
        "morgan.reyes@northwind.example.com"
    );
    let missing = client
        .get_partner()
        .catalog("AWS")
        .identifier("partner-AAAAAAAAAAAAA")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    match missing {
        sdk::operation::get_partner::GetPartnerError::ResourceNotFoundException(e) => {
            assert_eq!(e.reason().as_str(), "PARTNER_NOT_FOUND");
        }
        other => panic!("{other:?}"),
    }
    let sandbox_partner = client
        .list_partners()
        .catalog("Sandbox")
        .send()
        .await
        .unwrap();
    assert_ne!(sandbox_partner.partner_summary_list()[0].id(), summary.id());
}

#[tokio::test]
async fn connections_list_get_and_cancel() {
    let sb = sandbox().await;
    let client = account_client(&sb.url());
    let all = client
        .list_connections()
        .catalog("AWS")
        .send()
        .await
        .unwrap();
    assert_eq!(all.connection_summaries().len(), 5);
    let paged: Vec<_> = client
        .list_connections()
        .catalog("AWS")
        .max_results(2)
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap();
    assert_eq!(paged.len(), 5);
    let subsidiaries = client
        .list_connections()
        .catalog("AWS")
        .connection_type("SUBSIDIARY")
        .send()
        .await
        .unwrap();
    assert_eq!(subsidiaries.connection_summaries().len(), 1);
    let active = all
        .connection_summaries()
        .iter()
        .find(|c| {
            c.connection_types()
                .get(&ConnectionType::OpportunityCollaboration)
                .is_some_and(|t| t.status().as_str() == "ACTIVE")
        })
        .unwrap();
    let got = client
        .get_connection()
        .catalog("AWS")
        .identifier(active.id())
        .send()
        .await
        .unwrap();
    assert_eq!(
        got.other_participant_account_id(),
        active.other_participant_account_id()
    );
    let canceled = client
        .cancel_connection()
        .catalog("AWS")
        .identifier(active.id())
        .connection_type(ConnectionType::OpportunityCollaboration)
        .reason("Partnership ended")
        .client_token("cancel-1")
        .send()
        .await
        .unwrap();
    let detail = &canceled.connection_types()[&ConnectionType::OpportunityCollaboration];
    assert_eq!(detail.status().as_str(), "CANCELED");
    assert!(detail.canceled_at().is_some());
    let again = client
        .cancel_connection()
        .catalog("AWS")
        .identifier(active.id())
        .connection_type(ConnectionType::OpportunityCollaboration)
        .reason("again")
        .client_token("cancel-2")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(again.is_conflict_exception());
    let missing = client
        .get_connection()
        .catalog("AWS")
        .identifier("pac-AAAAAAAAAAAAA")
        .send()
        .await;
    assert!(
        missing
            .unwrap_err()
            .into_service_error()
            .is_resource_not_found_exception()
    );
}

#[tokio::test]
async fn connection_invitations_full_lifecycle() {
    let sb = sandbox().await;
    let client = account_client(&sb.url());
    let received = client
        .list_connection_invitations()
        .catalog("AWS")
        .participant_type(ParticipantType::Receiver)
        .status(InvitationStatus::Pending)
        .send()
        .await
        .unwrap();
    assert_eq!(received.connection_invitation_summaries().len(), 3);
    let to_accept = received.connection_invitation_summaries()[0].clone();
    let accepted = client
        .accept_connection_invitation()
        .catalog("AWS")
        .identifier(to_accept.id())
        .client_token("accept-1")
        .send()
        .await
        .unwrap();
    let connection = accepted.connection().unwrap();
    assert_eq!(
        connection.other_participant_account_id(),
        to_accept.other_participant_identifier()
    );
    let got = client
        .get_connection_invitation()
        .catalog("AWS")
        .identifier(to_accept.id())
        .send()
        .await
        .unwrap();
    assert_eq!(got.status(), &InvitationStatus::Accepted);
    assert_eq!(got.connection_id(), Some(connection.id()));
    let after = client
        .list_connections()
        .catalog("AWS")
        .send()
        .await
        .unwrap();
    assert_eq!(after.connection_summaries().len(), 6);

    let to_reject = &received.connection_invitation_summaries()[1];
    let rejected = client
        .reject_connection_invitation()
        .catalog("AWS")
        .identifier(to_reject.id())
        .client_token("reject-1")
        .reason("Not a fit")
        .send()
        .await
        .unwrap();
    assert_eq!(rejected.status(), &InvitationStatus::Rejected);

    let sent = client
        .list_connection_invitations()
        .catalog("AWS")
        .participant_type(ParticipantType::Sender)
        .status(InvitationStatus::Pending)
        .send()
        .await
        .unwrap();
    let to_cancel = &sent.connection_invitation_summaries()[0];
    let canceled = client
        .cancel_connection_invitation()
        .catalog("AWS")
        .identifier(to_cancel.id())
        .client_token("cancel-inv")
        .send()
        .await
        .unwrap();
    assert_eq!(canceled.status(), &InvitationStatus::Canceled);
    let wrong_side = client
        .accept_connection_invitation()
        .catalog("AWS")
        .identifier(sent.connection_invitation_summaries()[1].id())
        .client_token("accept-own")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(wrong_side.is_conflict_exception());

    let create = || {
        client
            .create_connection_invitation()
            .catalog("AWS")
            .connection_type(ConnectionType::OpportunityCollaboration)
            .email("morgan.reyes@northwind.example.com")
            .name("Morgan Reyes")
            .message("Let's collaborate on AWS opportunities")
    };
    let created = create()
        .receiver_identifier("999988887777")
        .client_token("new-1")
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), &InvitationStatus::Pending);
    assert_eq!(created.participant_type(), &ParticipantType::Sender);
    assert!(created.id().starts_with("pacinv-"));
    let duplicate = create()
        .receiver_identifier("999988887777")
        .client_token("new-2")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    match duplicate {
        sdk::operation::create_connection_invitation::CreateConnectionInvitationError::ConflictException(e) => {
            assert_eq!(e.reason().as_str(), "DUPLICATE_CONNECTION_INVITATION");
        }
        other => panic!("{other:?}"),
    }
    let replay = create()
        .receiver_identifier("999988887777")
        .client_token("new-1")
        .send()
        .await
        .unwrap();
    assert_eq!(
        replay.id(),
        created.id(),
        "same ClientToken and body replays the first result"
    );

    let long = "x".repeat(257);
    let invalid = create()
        .receiver_identifier("111")
        .message(long)
        .client_token("new-3")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    match invalid {
        sdk::operation::create_connection_invitation::CreateConnectionInvitationError::ValidationException(e) => {
            let detail = e.error_details()[0].as_field_validation_error().unwrap();
            assert_eq!(detail.name(), "Message");
        }
        other => panic!("{other:?}"),
    }
}
