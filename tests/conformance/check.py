"""Conformance checks: real `aws partnercentral-selling` / `partnercentral-account` commands
against a running cosell sandbox (AWS_ENDPOINT_URL). Prints 'N passed, N failed' and exits
non-zero on any failure."""

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

passed = 0
failed = 0


def aws(*args, expect_error=None, as_account=None):
    env = None
    if as_account:
        # The sandbox reads which partner calls from the access key id.
        env = dict(os.environ, AWS_ACCESS_KEY_ID=as_account)
    result = subprocess.run(["aws", *args, "--output", "json"], capture_output=True, text=True, env=env)
    if expect_error:
        if result.returncode == 0 or expect_error not in result.stderr:
            raise AssertionError(f"expected {expect_error}, got rc={result.returncode} {result.stderr or result.stdout}")
        return result.stderr
    if result.returncode != 0:
        raise AssertionError(f"aws {' '.join(args)} failed: {result.stderr}")
    return json.loads(result.stdout) if result.stdout.strip() else {}


def check(name, fn):
    global passed, failed
    try:
        fn()
        passed += 1
        print(f"ok   {name}")
    except Exception as exc:  # noqa: BLE001 - report every failure and keep going
        failed += 1
        print(f"FAIL {name}: {exc}")


S = "partnercentral-selling"
A = "partnercentral-account"
B = "partnercentral-benefits"
C = "partnercentral-channel"
state = {}


def list_all():
    out = aws(S, "list-opportunities", "--catalog", "AWS", "--page-size", "37")
    items = out["OpportunitySummaries"]
    assert len(items) == 200, len(items)
    assert len({o["Id"] for o in items}) == 200
    state["first"] = items[0]["Id"]


def list_one_page():
    out = aws(S, "list-opportunities", "--catalog", "AWS", "--max-results", "50", "--no-paginate")
    assert len(out["OpportunitySummaries"]) == 50
    assert out.get("NextToken")
    follow = aws(S, "list-opportunities", "--catalog", "AWS", "--max-results", "50", "--no-paginate",
                 "--next-token", out["NextToken"])
    # The second page is the next 50 of the 200, none of them on the first.
    assert len(follow["OpportunitySummaries"]) == 50, len(follow["OpportunitySummaries"])
    assert not {o["Id"] for o in follow["OpportunitySummaries"]} & {o["Id"] for o in out["OpportunitySummaries"]}


def list_filtered_sorted():
    out = aws(S, "list-opportunities", "--catalog", "AWS", "--life-cycle-stage", "Qualified",
              "--sort", "SortBy=CustomerCompanyName,SortOrder=ASCENDING")
    items = out["OpportunitySummaries"]
    assert items and all(o["LifeCycle"]["Stage"] == "Qualified" for o in items)
    names = [o["Customer"]["Account"]["CompanyName"].lower() for o in items]
    assert names == sorted(names)
    recent = aws(S, "list-opportunities", "--catalog", "AWS",
                 "--last-modified-date", "AfterLastModifiedDate=2000-01-01T00:00:00Z")
    assert len(recent["OpportunitySummaries"]) == 200


def invalid_enum():
    aws(S, "list-opportunities", "--catalog", "AWS", "--life-cycle-stage", "Closed Won",
        expect_error="ValidationException")
    aws(S, "list-opportunities", "--catalog", "Production", expect_error="ValidationException")


def get_missing():
    aws(S, "get-opportunity", "--catalog", "AWS", "--identifier", "O1", expect_error="ResourceNotFoundException")


def create_and_get():
    body = {
        "Catalog": "AWS",
        "ClientToken": "conformance-create-1",
        "Customer": {"Account": {"CompanyName": "Acme Corporation", "Industry": "Retail",
                                 "WebsiteUrl": "https://www.acme.example.com",
                                 "Address": {"CountryCode": "US", "PostalCode": "98101", "StateOrRegion": "WA"}}},
        "LifeCycle": {"Stage": "Qualified", "TargetCloseDate": "2099-06-30"},
        "OpportunityType": "Net New Business",
        "PartnerOpportunityIdentifier": "ACME-2026-Q2-001",
        "PrimaryNeedsFromAws": ["Co-Sell - Architectural Validation", "Co-Sell - Business Presentation"],
        "Project": {"Title": "Cloud Migration Initiative",
                    "CustomerBusinessProblem": "Acme's data center lease ends and 120 servers must move.",
                    "ExpectedCustomerSpend": [{"Amount": "100000", "CurrencyCode": "USD",
                                               "Frequency": "Monthly", "TargetCompany": "AWS"}]},
    }
    created = aws(S, "create-opportunity", "--cli-input-json", json.dumps(body))
    again = aws(S, "create-opportunity", "--cli-input-json", json.dumps(body))
    assert created["Id"] == again["Id"], "same ClientToken replays"
    got = aws(S, "get-opportunity", "--catalog", "AWS", "--identifier", created["Id"])
    assert got["Customer"]["Account"]["CompanyName"] == "Acme Corporation"
    assert got["LifeCycle"]["ReviewStatus"] == "Pending Submission"
    state["created"] = got


def update_stale_then_fresh():
    got = state["created"]
    body = {k: got[k] for k in ("Customer", "Project", "OpportunityType", "PrimaryNeedsFromAws",
                                "PartnerOpportunityIdentifier", "LifeCycle") if k in got}
    body["LifeCycle"] = {k: v for k, v in body["LifeCycle"].items()
                         if k not in ("ReviewStatus", "NextStepsHistory")}
    body["LifeCycle"]["Stage"] = "Technical Validation"
    body.update({"Catalog": "AWS", "Identifier": got["Id"]})
    stale = dict(body, LastModifiedDate="2020-01-01T00:00:00Z")
    aws(S, "update-opportunity", "--cli-input-json", json.dumps(stale), expect_error="ConflictException")
    fresh = dict(body, LastModifiedDate=got["LastModifiedDate"])
    aws(S, "update-opportunity", "--cli-input-json", json.dumps(fresh))
    after = aws(S, "get-opportunity", "--catalog", "AWS", "--identifier", got["Id"])
    assert after["LifeCycle"]["Stage"] == "Technical Validation"


def accept_by_task():
    pending = aws(S, "list-engagement-invitations", "--catalog", "AWS", "--participant-type", "RECEIVER",
                  "--status", "PENDING")["EngagementInvitationSummaries"]
    opportunity_invites = [i for i in pending if i["PayloadType"] == "OpportunityInvitation"]
    invitation = opportunity_invites[0]["Id"]
    state["reject"] = opportunity_invites[1]["Id"]
    detail = aws(S, "get-engagement-invitation", "--catalog", "AWS", "--identifier", invitation)
    assert detail["Payload"]["OpportunityInvitation"]["Customer"]["CompanyName"]
    task = aws(S, "start-engagement-by-accepting-invitation-task", "--catalog", "AWS", "--identifier", invitation)
    # As the real service answers: already COMPLETE, naming the opportunity it created.
    assert task["TaskStatus"] == "COMPLETE" and task["OpportunityId"].startswith("O"), task
    tasks = aws(S, "list-engagement-by-accepting-invitation-tasks", "--catalog", "AWS",
                "--task-identifier", task["TaskId"])["TaskSummaries"]
    assert tasks[0]["TaskStatus"] == "COMPLETE" and tasks[0]["OpportunityId"] == task["OpportunityId"], tasks
    opportunity = aws(S, "get-opportunity", "--catalog", "AWS", "--identifier", tasks[0]["OpportunityId"])
    assert opportunity["LifeCycle"]["ReviewStatus"] == "Approved"
    summary = aws(S, "get-aws-opportunity-summary", "--catalog", "AWS",
                  "--related-opportunity-identifier", tasks[0]["OpportunityId"])
    assert summary["Origin"] == "AWS Referral"
    status = aws(S, "get-engagement-invitation", "--catalog", "AWS", "--identifier", invitation)["Status"]
    assert status == "ACCEPTED"
    state["accepted_opportunity"] = tasks[0]["OpportunityId"]
    state["accepted_engagement"] = detail["EngagementId"]


def reject():
    aws(S, "reject-engagement-invitation", "--catalog", "AWS", "--identifier", state["reject"],
        "--rejection-reason", "Customer problem unclear")
    got = aws(S, "get-engagement-invitation", "--catalog", "AWS", "--identifier", state["reject"])
    assert got["Status"] == "REJECTED" and got["RejectionReason"] == "Customer problem unclear"


def associate():
    solutions = aws(S, "list-solutions", "--catalog", "AWS", "--status", "Active")["SolutionSummaries"]
    solution = solutions[0]["Id"]
    opportunity = state["created"]["Id"]
    args = ["--catalog", "AWS", "--opportunity-identifier", opportunity,
            "--related-entity-type", "Solutions", "--related-entity-identifier", solution]
    aws(S, "associate-opportunity", *args)
    got = aws(S, "get-opportunity", "--catalog", "AWS", "--identifier", opportunity)
    assert solution in got["RelatedEntityIdentifiers"]["Solutions"]
    aws(S, "disassociate-opportunity", *args)
    aws(S, "associate-opportunity", "--catalog", "AWS", "--opportunity-identifier", opportunity,
        "--related-entity-type", "Solutions", "--related-entity-identifier", "sol-456mno789pqr",
        expect_error="ValidationException")


def aws_summary():
    got = aws(S, "get-aws-opportunity-summary", "--catalog", "AWS",
              "--related-opportunity-identifier", state["first"])
    assert got["RelatedOpportunityId"] == state["first"]
    assert got["LifeCycle"]["Stage"]


def partner_profile():
    partners = aws(A, "list-partners", "--catalog", "AWS")["PartnerSummaryList"]
    partner = aws(A, "get-partner", "--catalog", "AWS", "--identifier", partners[0]["Id"])
    assert partner["LegalName"]
    lead = aws(A, "get-alliance-lead-contact", "--catalog", "AWS", "--identifier", partners[0]["Id"])
    assert lead["AllianceLeadContact"]["Email"]


def connections():
    listed = aws(A, "list-connections", "--catalog", "AWS", "--page-size", "2")["ConnectionSummaries"]
    assert len(listed) == 5, len(listed)
    got = aws(A, "get-connection", "--catalog", "AWS", "--identifier", listed[0]["Id"])
    assert got["OtherParticipantAccountId"] == listed[0]["OtherParticipantAccountId"]
    received = aws(A, "list-connection-invitations", "--catalog", "AWS", "--participant-type", "RECEIVER",
                   "--status", "PENDING")["ConnectionInvitationSummaries"]
    accepted = aws(A, "accept-connection-invitation", "--catalog", "AWS", "--identifier", received[0]["Id"])
    assert accepted["Connection"]["Id"].startswith("pac-")
    created = aws(A, "create-connection-invitation", "--catalog", "AWS", "--connection-type",
                  "OPPORTUNITY_COLLABORATION", "--email", "me@northwind.example.com", "--name", "Me",
                  "--message", "Let's collaborate on AWS opportunities", "--receiver-identifier", "123456789012")
    assert created["Status"] == "PENDING"
    aws(A, "cancel-connection-invitation", "--catalog", "AWS", "--identifier", created["Id"])
    aws(A, "cancel-connection-invitation", "--catalog", "AWS", "--identifier", created["Id"],
        expect_error="ConflictException")


def raw(operation, body, path="/", content_type="application/x-amz-json-1.0", prefix="AWSPartnerCentralSelling"):
    """A request as Postman, curl or CRM middleware send it (what the CLI refuses to send)."""
    headers = {"Content-Type": content_type}
    if path == "/":
        headers["X-Amz-Target"] = f"{prefix}.{operation}"
    request = urllib.request.Request(os.environ["AWS_ENDPOINT_URL"].rstrip("/") + path,
                                     data=json.dumps(body).encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request) as answer:
            return answer.status, json.loads(answer.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def nulls_in(value):
    if value is None:
        return 1
    if isinstance(value, dict):
        return sum(nulls_in(v) for v in value.values())
    if isinstance(value, list):
        return sum(nulls_in(v) for v in value)
    return 0


def submit_prospect():
    body = json.loads(json.dumps(state["created"]))
    create = {k: body[k] for k in ("Customer", "Project", "OpportunityType", "PrimaryNeedsFromAws")}
    create.update({"Catalog": "AWS", "ClientToken": "conformance-prospect",
                   "LifeCycle": {"Stage": "Prospect", "TargetCloseDate": "2099-06-30"}})
    created = aws(S, "create-opportunity", "--cli-input-json", json.dumps(create))
    task = aws(S, "start-engagement-from-opportunity-task", "--catalog", "AWS", "--identifier", created["Id"],
               "--aws-submission", "InvolvementType=Co-Sell")
    for _ in range(50):
        tasks = aws(S, "list-engagement-from-opportunity-tasks", "--catalog", "AWS",
                    "--task-identifier", task["TaskId"])["TaskSummaries"]
        if tasks[0]["TaskStatus"] != "IN_PROGRESS":
            break
        time.sleep(0.1)
    assert tasks[0]["TaskStatus"] == "COMPLETE", tasks
    got = aws(S, "get-opportunity", "--catalog", "AWS", "--identifier", created["Id"])
    assert got["LifeCycle"]["Stage"] == "Prospect", got["LifeCycle"]
    assert got["LifeCycle"]["ReviewStatus"] in ("Submitted", "In review"), got["LifeCycle"]


def unknown_members_and_nulls():
    created = aws(S, "create-opportunity", "--cli-input-json", json.dumps({
        "Catalog": "Sandbox", "ClientToken": "conformance-echo",
        "Customer": state["created"]["Customer"], "Project": state["created"]["Project"],
        "OpportunityType": "Net New Business", "LifeCycle": {"Stage": "Qualified"}}))
    got = aws(S, "get-opportunity", "--catalog", "Sandbox", "--identifier", created["Id"])
    echoed = dict(got, Identifier=got["Id"])
    echoed["LifeCycle"] = dict(got["LifeCycle"], NextSteps=None, Stage="Committed")
    echoed["PartnerOpportunityIdentifier"] = None
    status, answer = raw("UpdateOpportunity", echoed)
    assert status == 200, (status, answer)
    after = aws(S, "get-opportunity", "--catalog", "Sandbox", "--identifier", created["Id"])
    assert after["LifeCycle"]["Stage"] == "Committed", after["LifeCycle"]
    assert nulls_in(after) == 0, after
    status, answer = raw("CreateOpportunity", {"Catalog": "Sandbox", "ClientToken": "conformance-extra",
                                               "Colour": "blue", "Customer": state["created"]["Customer"]})
    assert status == 200 and answer["Id"].startswith("O"), (status, answer)


def operation_path():
    status, by_path = raw("GetOpportunity", {"Catalog": "AWS", "Identifier": state["first"]},
                          path="/GetOpportunity", content_type="application/json")
    assert status == 200, (status, by_path)
    assert by_path == aws(S, "get-opportunity", "--catalog", "AWS", "--identifier", state["first"])
    status, listed = raw("ListConnections", {"Catalog": "AWS"}, path="/ListConnections",
                         content_type="application/json")
    assert status == 200 and "ConnectionSummaries" in listed, (status, listed)


def untagged_resource():
    arn = state["created"]["Arn"]
    listed = aws(S, "list-tags-for-resource", "--resource-arn", arn)
    assert listed.get("Tags", []) == [], listed
    aws(S, "tag-resource", "--resource-arn", arn, "--tags", "Key=team,Value=east")
    assert aws(S, "list-tags-for-resource", "--resource-arn", arn)["Tags"] == [{"Key": "team", "Value": "east"}]


def lead_workflow():
    pending = aws(S, "list-engagement-invitations", "--catalog", "AWS", "--participant-type", "RECEIVER",
                  "--status", "PENDING", "--payload-type", "LeadInvitation")
    invitation_id = pending["EngagementInvitationSummaries"][0]["Id"]
    invitation = aws(S, "get-engagement-invitation", "--catalog", "AWS", "--identifier", invitation_id)
    engagement_id = invitation["EngagementId"]
    company = invitation["Payload"]["LeadInvitation"]["Customer"]["CompanyName"]
    aws(S, "get-engagement", "--catalog", "AWS", "--identifier", engagement_id, expect_error="AccessDeniedException")
    aws(S, "accept-engagement-invitation", "--catalog", "AWS", "--identifier", invitation_id)
    engagement = aws(S, "get-engagement", "--catalog", "AWS", "--identifier", engagement_id)
    assert engagement["MemberCount"] == 2, engagement
    lead = next(c for c in engagement["Contexts"] if c["Type"] == "Lead")
    payload = json.dumps({"Lead": {"QualificationStatus": "Qualified",
                                   "Customer": lead["Payload"]["Lead"]["Customer"]}})
    update = ["update-engagement-context", "--catalog", "AWS", "--engagement-identifier", engagement_id,
              "--context-identifier", lead["Id"], "--type", "Lead", "--payload", payload]
    aws(S, *update, "--engagement-last-modified-at", "2020-01-01T00:00:00Z", expect_error="ConflictException")
    aws(S, *update, "--engagement-last-modified-at", engagement["ModifiedAt"])
    task = aws(S, "start-opportunity-from-engagement-task", "--catalog", "AWS", "--client-token", "cli-convert-1",
               "--identifier", engagement_id, "--context-identifier", lead["Id"])
    for _ in range(50):
        listed = aws(S, "list-opportunity-from-engagement-tasks", "--catalog", "AWS",
                     "--task-identifier", task["TaskId"])
        summary = listed["TaskSummaries"][0]
        if summary["TaskStatus"] != "IN_PROGRESS":
            break
        time.sleep(0.1)
    assert summary["TaskStatus"] == "COMPLETE", summary
    opportunity = aws(S, "get-opportunity", "--catalog", "AWS", "--identifier", summary["OpportunityId"])
    assert opportunity["Customer"]["Account"]["CompanyName"] == company, opportunity
    members = aws(S, "list-engagement-members", "--catalog", "AWS", "--identifier", engagement_id)
    assert len(members["EngagementMemberList"]) == 2, members
    links = aws(S, "list-engagement-resource-associations", "--catalog", "AWS",
                "--engagement-identifier", engagement_id)
    assert [a["ResourceId"] for a in links["EngagementResourceAssociationSummaries"]] == [summary["OpportunityId"]]


def engagements_and_settings():
    created = aws(S, "create-engagement", "--catalog", "AWS", "--client-token", "cli-engagement-1",
                  "--title", "Joint pitch", "--description", "A migration we pitch together")
    context = aws(S, "create-engagement-context", "--catalog", "AWS", "--engagement-identifier", created["Id"],
                  "--client-token", "cli-context-1", "--type", "CustomerProject", "--payload", json.dumps(
                      {"CustomerProject": {"Customer": {"Industry": "Retail", "CompanyName": "Acme",
                                                        "WebsiteUrl": "https://acme.example.com",
                                                        "CountryCode": "US"}}}))
    assert context["ContextId"] == "1", context
    mine = aws(S, "list-engagements", "--catalog", "AWS", "--engagement-identifier", created["Id"])
    assert any(e["Id"] == created["Id"] for e in mine["EngagementSummaryList"]), mine
    aws(S, "put-selling-system-settings", "--catalog", "AWS",
        "--resource-snapshot-job-role-identifier", "PartnerCentralSnapshots")
    settings = aws(S, "get-selling-system-settings", "--catalog", "AWS")
    assert settings["ResourceSnapshotJobRoleArn"].endswith(":role/PartnerCentralSnapshots"), settings


def invite_a_partner():
    partner = aws(A, "list-connections", "--catalog", "AWS")["ConnectionSummaries"][0]["OtherParticipantAccountId"]
    created = aws(S, "create-engagement", "--catalog", "AWS", "--client-token", "cli-engagement-2",
                  "--title", "Shared pitch", "--description", "A deal we work with a partner")
    payload = {"OpportunityInvitation": {
        "ReceiverResponsibilities": ["Services Partner"],
        "Customer": {"Industry": "Retail", "CompanyName": "Acme", "WebsiteUrl": "https://acme.example.com",
                     "CountryCode": "US"},
        "Project": {"BusinessProblem": "Twenty years of sales data sit in silos nobody can query.", "Title": "Acme data platform",
                    "TargetCompletionDate": "2027-06-30",
                    "ExpectedCustomerSpend": [{"Amount": "1000", "CurrencyCode": "USD", "Frequency": "Monthly",
                                               "TargetCompany": "AWS"}]}}}
    invitation = aws(S, "create-engagement-invitation", "--catalog", "AWS", "--client-token", "cli-invite-1",
                     "--engagement-identifier", created["Id"], "--invitation", json.dumps(
                         {"Message": "Join us?", "Receiver": {"Account": {"AwsAccountId": partner}},
                          "Payload": payload}))
    sent = aws(S, "list-engagement-invitations", "--catalog", "AWS", "--participant-type", "SENDER")
    assert invitation["Id"] in [i["Id"] for i in sent["EngagementInvitationSummaries"]], sent
    received = aws(S, "list-engagement-invitations", "--catalog", "AWS", "--participant-type", "RECEIVER",
                   as_account=partner)
    assert [i["Id"] for i in received["EngagementInvitationSummaries"]] == [invitation["Id"]], received
    aws(S, "accept-engagement-invitation", "--catalog", "AWS", "--identifier", invitation["Id"], as_account=partner)
    members = aws(S, "list-engagement-members", "--catalog", "AWS", "--identifier", created["Id"])
    assert partner in [m["AccountId"] for m in members["EngagementMemberList"]], members


def benefits():
    listed = aws(B, "list-benefits", "--catalog", "AWS", "--programs", "POC")
    benefit = listed["BenefitSummaries"][0]["Id"]
    assert aws(B, "get-benefit", "--catalog", "AWS", "--identifier", benefit)["Status"] == "ACTIVE"
    created = aws(B, "create-benefit-application", "--catalog", "AWS", "--client-token", "cli-benefit-1",
                  "--benefit-identifier", benefit, "--name", "POC credits",
                  "--benefit-application-details", json.dumps({"RequestedAmount": "9000"}))
    app = created["Id"]
    aws(B, "update-benefit-application", "--catalog", "AWS", "--client-token", "cli-benefit-2", "--identifier", app,
        "--revision", "0", "--description", "stale", expect_error="ConflictException")
    aws(B, "associate-benefit-application-resource", "--catalog", "AWS", "--benefit-application-identifier", app,
        "--resource-arn", state["created"]["Arn"])
    aws(B, "submit-benefit-application", "--catalog", "AWS", "--identifier", app)
    for _ in range(50):
        got = aws(B, "get-benefit-application", "--catalog", "AWS", "--identifier", app)
        if got["Status"] != "IN_REVIEW":
            break
        time.sleep(0.1)
    assert got["Status"] == "APPROVED", got
    allocations = aws(B, "list-benefit-allocations", "--catalog", "AWS", "--benefit-application-identifiers", app)
    assert len(allocations["BenefitAllocationSummaries"]) == 1, allocations


def channel():
    distributor = "310987654322"
    accounts = aws(C, "list-program-management-accounts", "--catalog", "AWS")["items"]
    active = next(a for a in accounts if a["status"] == "ACTIVE")["id"]
    created = aws(C, "create-relationship", "--catalog", "AWS", "--association-type", "DOWNSTREAM_SELLER",
                  "--program-management-account-identifier", active, "--associated-account-id", distributor,
                  "--display-name", "CLI resale", "--sector", "COMMERCIAL")["relationshipDetail"]
    handshake = aws(C, "create-channel-handshake", "--catalog", "AWS", "--handshake-type", "START_SERVICE_PERIOD",
                    "--associated-resource-identifier", created["id"], "--payload", json.dumps(
                        {"startServicePeriodPayload": {"programManagementAccountIdentifier": active,
                                                       "servicePeriodType": "MINIMUM_NOTICE_PERIOD",
                                                       "minimumNoticeDays": "30"}}))["channelHandshakeDetail"]
    aws(C, "accept-channel-handshake", "--catalog", "AWS", "--identifier", handshake["id"],
        expect_error="AccessDeniedException")
    received = aws(C, "list-channel-handshakes", "--catalog", "AWS", "--handshake-type", "START_SERVICE_PERIOD",
                   "--participant-type", "RECEIVER", as_account=distributor)["items"]
    assert handshake["id"] in [h["id"] for h in received], received
    accepted = aws(C, "accept-channel-handshake", "--catalog", "AWS", "--identifier", handshake["id"],
                   as_account=distributor)
    assert accepted["channelHandshakeDetail"]["status"] == "ACCEPTED", accepted
    got = aws(C, "get-relationship", "--catalog", "AWS", "--program-management-account-identifier", active,
              "--identifier", created["id"])["relationshipDetail"]
    assert got.get("startDate"), got
    aws(C, "update-relationship", "--catalog", "AWS", "--program-management-account-identifier", active,
        "--identifier", created["id"], "--revision", "99", "--display-name", "stale",
        expect_error="ConflictException")


def snapshots():
    engagement, opportunity = state["accepted_engagement"], state["accepted_opportunity"]
    target = ["--catalog", "AWS", "--engagement-identifier", engagement, "--resource-type", "Opportunity",
              "--resource-identifier", opportunity, "--resource-snapshot-template-identifier", "OpportunitySummary"]
    taken = aws(S, "create-resource-snapshot", *target, "--client-token", "cli-snap-1")
    assert taken["Revision"] == 1, taken
    got = aws(S, "get-resource-snapshot", *target)
    assert got["Payload"]["OpportunitySummary"]["Lifecycle"]["ReviewStatus"] == "Approved", got
    listed = aws(S, "list-resource-snapshots", "--catalog", "AWS", "--engagement-identifier", engagement)
    assert len(listed["ResourceSnapshotSummaries"]) == 1, listed
    job = aws(S, "create-resource-snapshot-job", *target, "--client-token", "cli-job-1")
    job_ref = ["--catalog", "AWS", "--resource-snapshot-job-identifier", job["Id"]]
    aws(S, "start-resource-snapshot-job", *job_ref)
    assert aws(S, "get-resource-snapshot-job", *job_ref)["Status"] == "Running"
    aws(S, "delete-resource-snapshot-job", *job_ref, expect_error="ConflictException")
    aws(S, "stop-resource-snapshot-job", *job_ref)
    jobs = aws(S, "list-resource-snapshot-jobs", "--catalog", "AWS", "--engagement-identifier", engagement)
    assert [j["Status"] for j in jobs["ResourceSnapshotJobSummaries"]] == ["Stopped"], jobs
    aws(S, "delete-resource-snapshot-job", *job_ref)


for name, fn in [
    ("list-opportunities follows every page", list_all),
    ("list-opportunities --no-paginate and --next-token", list_one_page),
    ("list-opportunities filters and sorts", list_filtered_sorted),
    ("invalid enum and catalog are ValidationException", invalid_enum),
    ("get-opportunity unknown id is ResourceNotFoundException", get_missing),
    ("create-opportunity (idempotent) and get-opportunity", create_and_get),
    ("update-opportunity stale date conflicts, fresh date applies", update_stale_then_fresh),
    ("accept referral by task until COMPLETE", accept_by_task),
    ("reject-engagement-invitation with a reason", reject),
    ("associate / disassociate a solution", associate),
    ("get-aws-opportunity-summary", aws_summary),
    ("partner profile and alliance lead", partner_profile),
    ("connections and connection invitations", connections),
    ("a Prospect submits by task", submit_prospect),
    ("raw HTTP: unknown members and nulls are ignored", unknown_members_and_nulls),
    ("raw HTTP: POST /<Operation> without X-Amz-Target", operation_path),
    ("list-tags-for-resource of an untagged resource", untagged_resource),
    ("a lead: accept, qualify (stale date conflicts), convert, read its opportunity", lead_workflow),
    ("create-engagement, a context, list-engagements, selling-system settings", engagements_and_settings),
    ("resource snapshots by hand and by a job", snapshots),
    ("benefits: an application created, refused when stale, associated, submitted, approved", benefits),
    ("channel: a relationship's service period accepted by its receiver only", channel),
    ("create-engagement-invitation: the partner receives it, accepts, and is a member", invite_a_partner),
]:
    check(name, fn)

print(f"conformance: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
