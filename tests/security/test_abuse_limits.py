"""Mail an outsider can make the platform send is bounded, and the answers do not reveal
accounts (issue #13, findings 3 and 9)."""
from __future__ import annotations

import sqlalchemy as sa

from catalog_app.extensions import db
from catalog_app.models import Invitation, OrganizationKind, OutboxMessage, ProposalMessage, UserRole
from tests.accounts.conftest import form_alerts, link_in, outbox, registration  # noqa: F401 (fixtures)
from tests.conftest import login_as


def _mails_to(address: str) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)
                             .where(OutboxMessage.recipient == address))


def _admin(create_user, create_organization):
    organization = create_organization(kind=OrganizationKind.ENTERPRISE)
    return create_user(role=UserRole.ENTERPRISE, organization=organization, is_org_admin=True)


# --- invitations ---------------------------------------------------------------------------

def test_fifteen_invitations_to_one_address_send_only_the_per_address_budget(app, client, create_user,
                                                                              create_organization):
    app.config["INVITATION_LIMIT_PER_ADDRESS"] = "2 per hour"
    login_as(client, _admin(create_user, create_organization))
    statuses = [client.post("/account/organization", data={"email": "victim@gdtech.cn"}).status_code
                for _ in range(15)]
    assert statuses[:2] == [302, 302] and set(statuses[2:]) == {429}
    assert _mails_to("victim@gdtech.cn") == 2
    refused = client.post("/account/organization", data={"email": "victim@gdtech.cn"})
    assert form_alerts(refused.get_data(as_text=True)) == ["短时间内发送的邀请过多，请稍后再试。"]


def test_the_per_address_limit_holds_across_organizations(app, create_user, create_organization):
    app.config["INVITATION_LIMIT_PER_ADDRESS"] = "3 per hour"
    statuses = []
    for _ in range(5):  # a new organization each time: the address's budget is shared
        client = app.test_client()
        login_as(client, _admin(create_user, create_organization))
        statuses.append(client.post("/account/organization", data={"email": "victim@gdtech.cn"}).status_code)
    assert statuses == [302, 302, 302, 429, 429]
    assert _mails_to("victim@gdtech.cn") == 3


def test_invitations_are_limited_per_sender_and_per_organization(app, client, create_user, create_organization):
    app.config.update(INVITATION_LIMIT_PER_SENDER="3 per hour", INVITATION_LIMIT_PER_ORGANIZATION="4 per hour")
    admin = _admin(create_user, create_organization)
    login_as(client, admin)
    by_sender = [client.post("/account/organization", data={"email": f"a{n}@gdtech.cn"}).status_code
                 for n in range(4)]
    assert by_sender == [302, 302, 302, 429]
    colleague = create_user(role=UserRole.ENTERPRISE, organization=admin.organization, is_org_admin=True)
    other = app.test_client()
    login_as(other, colleague)
    by_organization = [other.post("/account/organization", data={"email": f"b{n}@gdtech.cn"}).status_code
                       for n in range(2)]
    # The organization's fourth attempt (the first one refused for the sender counted too).
    assert by_organization == [429, 429]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 3


def test_the_invitation_form_answers_the_same_for_a_member_of_another_organization(
        app, client, create_user, create_organization, outbox):
    create_user(email="taken@gdtech.cn")  # a supplier with an organization of its own
    login_as(client, _admin(create_user, create_organization))
    taken = client.post("/account/organization", data={"email": "taken@gdtech.cn"})
    free = client.post("/account/organization", data={"email": "free@gdtech.cn"})
    assert taken.status_code == free.status_code == 302
    assert taken.headers["Location"] == free.headers["Location"]
    html = client.get("/account/organization").get_data(as_text=True)
    assert "taken@gdtech.cn" in html and "free@gdtech.cn" in html  # both listed as open invitations
    assert len(outbox("taken@gdtech.cn")) == len(outbox("free@gdtech.cn")) == 1


def test_a_member_of_another_organization_cannot_join_with_the_invitation(app, client, create_user,
                                                                           create_organization, outbox):
    taken = create_user(email="taken@gdtech.cn")
    home = taken.organization_id
    login_as(client, _admin(create_user, create_organization))
    client.post("/account/organization", data={"email": "taken@gdtech.cn"})
    guest = app.test_client()
    login_as(guest, taken)
    response = guest.post(link_in(outbox("taken@gdtech.cn")[0]))
    assert response.status_code == 400
    db.session.refresh(taken)
    assert taken.organization_id == home


# --- password reset and verification ---------------------------------------------------------

def test_reset_requests_are_limited_per_client_address(app, client, create_user):
    app.config["PASSWORD_RESET_LIMIT_PER_IP"] = "3 per hour"
    user = create_user()
    db.session.commit()
    statuses = [client.post("/password/forgot", data={"email": f"guess{n}@gdtech.cn"}).status_code
                for n in range(3)]
    refused = client.post("/password/forgot", data={"email": user.email})
    assert statuses == [200, 200, 200] and refused.status_code == 429
    assert form_alerts(refused.get_data(as_text=True)) == ["来自您所在网络的密码重置请求过多，请稍后再试。"]
    assert _mails_to(user.email) == 0
    other = app.test_client().post("/password/forgot", data={"email": user.email},
                                   environ_base={"REMOTE_ADDR": "10.0.0.7"})
    assert other.status_code == 200 and _mails_to(user.email) == 1


def test_reset_mails_per_address_stop_silently(app, create_user):
    app.config["ACCOUNT_EMAIL_LIMIT"] = "2 per hour"
    user = create_user()
    db.session.commit()
    for n in range(5):
        client = app.test_client()
        response = client.post("/password/forgot", data={"email": user.email},
                               environ_base={"REMOTE_ADDR": f"10.0.1.{n}"})
        assert response.status_code == 200
    assert _mails_to(user.email) == 2


def test_verification_resends_are_limited(app, client, create_user):
    app.config["ACCOUNT_EMAIL_LIMIT"] = "2 per hour"
    user = create_user(email_verified_at=None)
    login_as(client, user)
    for _ in range(4):
        client.post("/account/verification")
    assert _mails_to(user.email) == 2


# --- registration ------------------------------------------------------------------------------

def test_a_taken_address_gets_at_most_the_mail_budget(app, create_user, registration):
    app.config["ACCOUNT_EMAIL_LIMIT"] = "2 per hour"
    create_user(email="taken@gdtech.cn")
    db.session.commit()
    for _ in range(4):
        assert app.test_client().post("/register", data=registration(email="taken@gdtech.cn")).status_code == 302
    assert _mails_to("taken@gdtech.cn") == 2


# --- proposal messages ---------------------------------------------------------------------

def _proposal(create_user, create_demand):
    from catalog_app.proposals import services

    enterprise = create_user(role=UserRole.ENTERPRISE)
    supplier = create_user(role=UserRole.SUPPLIER)
    demand = create_demand(organization=enterprise.organization)
    db.session.commit()
    proposal = services.submit_proposal(demand, services.ProposalInput(
        approach="采用多光谱成像与深度学习模型。", timeline="3 周", price_min=None, price_max=None,
        listing_ids=[]), [], supplier)
    return proposal, supplier, enterprise


def test_proposal_messages_cannot_flood_the_other_side(app, client, create_user, create_demand):
    app.config["PROPOSAL_MESSAGE_LIMIT_PER_THREAD"] = "3 per 10 minutes"
    proposal, supplier, enterprise = _proposal(create_user, create_demand)
    login_as(client, supplier)
    url = f"/proposals/{proposal.id}/messages"
    statuses = [client.post(url, data={"body": f"催一下 {n}"}).status_code for n in range(6)]
    assert statuses == [302, 302, 302, 429, 429, 429]
    refused = client.post(url, data={"body": "再催一下"})
    assert "您在短时间内发送的消息过多" in refused.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ProposalMessage)) == 3
    # The other side's budget is its own: the enterprise can still answer.
    answer = app.test_client()
    login_as(answer, enterprise)
    assert answer.post(url, data={"body": "收到"}).status_code == 302


def test_proposal_messages_are_limited_per_author(app, client, create_user, create_demand):
    app.config["PROPOSAL_MESSAGE_LIMIT_PER_AUTHOR"] = "2 per hour"
    proposal, supplier, _enterprise = _proposal(create_user, create_demand)
    login_as(client, supplier)
    url = f"/proposals/{proposal.id}/messages"
    assert [client.post(url, data={"body": "你好"}).status_code for _ in range(3)] == [302, 302, 429]


def test_an_invisible_message_is_refused(client, create_user, create_demand):
    proposal, supplier, _enterprise = _proposal(create_user, create_demand)
    login_as(client, supplier)
    response = client.post(f"/proposals/{proposal.id}/messages", data={"body": "\u200b\u200d\ufeff"})
    assert response.status_code == 422
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ProposalMessage)) == 0
