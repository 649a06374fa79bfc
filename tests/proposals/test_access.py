"""Who reaches which proposal page: the two parties only, state never changed by anyone else."""
from __future__ import annotations

import pytest

from catalog_app import create_app
from catalog_app.config import TestConfig
from catalog_app.extensions import db
from catalog_app.models import DemandStatus, Proposal, ProposalStatus, UserRole
from catalog_app.proposals import services
from tests.proposals.conftest import as_user


def status_of(proposal) -> ProposalStatus:
    db.session.expire_all()
    return db.session.get(Proposal, proposal.id).status


def test_anonymous_is_sent_to_login(client, submit, demand):
    proposal = submit()
    for path in (f"/proposals/demand/{demand.id}", f"/proposals/{proposal.id}", f"/proposals/demand/{demand.id}/new",
                 "/proposals/mine"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"], path
    assert client.post(f"/proposals/{proposal.id}/shortlist").status_code == 302
    assert status_of(proposal) is ProposalStatus.SUBMITTED


def test_another_enterprise_never_sees_the_proposals(client, submit, demand, other_enterprise):
    proposal = submit(approach="别家看不到的技术路线")
    as_user(client, other_enterprise)
    assert client.get(f"/proposals/demand/{demand.id}").status_code == 403
    response = client.get(f"/proposals/{proposal.id}")
    assert response.status_code == 404
    assert "别家看不到的技术路线".encode() not in response.get_data()


def test_a_supplier_never_sees_another_suppliers_proposal(client, submit, demand, other_supplier):
    proposal = submit(approach="保密的技术路线")
    as_user(client, other_supplier)
    for path in (f"/proposals/{proposal.id}", f"/proposals/{proposal.id}/edit", f"/proposals/demand/{demand.id}"):
        response = client.get(path)
        assert response.status_code in (403, 404), path
        assert "保密的技术路线".encode() not in response.get_data()
    assert "保密的技术路线".encode() not in client.get("/proposals/mine").get_data()
    assert "保密的技术路线".encode() not in client.get(f"/demands/{demand.id}").get_data()


def test_suppliers_list_page_shows_only_their_own(client, submit, supplier, other_supplier, demand):
    submit(approach="我方方案")
    submit(actor=other_supplier, approach="他方方案")
    as_user(client, supplier)
    body = client.get(f"/proposals/demand/{demand.id}")
    assert body.status_code == 403


@pytest.mark.parametrize("actor_fixture", ["supplier", "other_supplier", "other_enterprise"])
def test_only_the_demands_enterprise_can_shortlist_decline_agree(client, submit, request, actor_fixture):
    proposal = submit()
    as_user(client, request.getfixturevalue(actor_fixture))
    assert client.post(f"/proposals/{proposal.id}/shortlist").status_code in (403, 404)
    assert client.post(f"/proposals/{proposal.id}/decline", data={"reason": "cost"}).status_code in (403, 404)
    assert client.get(f"/proposals/{proposal.id}/decline").status_code in (403, 404)
    assert status_of(proposal) is ProposalStatus.SUBMITTED


def test_supplier_cannot_record_an_agreement_on_its_own_shortlisted_proposal(client, submit, supplier, enterprise,
                                                                             demand):
    proposal = submit()
    services.shortlist_proposal(proposal, enterprise)
    as_user(client, supplier)
    assert client.post(f"/proposals/{proposal.id}/agreement", data={"amount": "99"}).status_code == 403
    assert status_of(proposal) is ProposalStatus.SHORTLISTED
    assert db.session.get(type(demand), demand.id).status is DemandStatus.IN_TALKS


def test_enterprise_workflow_through_the_pages(client, submit, demand, enterprise):
    proposal = submit()
    as_user(client, enterprise)
    page = client.get(f"/proposals/demand/{demand.id}")
    assert page.status_code == 200 and proposal.organization.name.encode() in page.get_data()
    assert client.post(f"/proposals/{proposal.id}/shortlist").status_code == 302
    assert status_of(proposal) is ProposalStatus.SHORTLISTED
    response = client.post(f"/proposals/{proposal.id}/agreement", data={"amount": "88", "note": "一期"})
    assert response.status_code == 302
    assert status_of(proposal) is ProposalStatus.AGREED
    assert db.session.get(type(demand), demand.id).status is DemandStatus.SOLVED


def test_supplier_withdraws_and_the_enterprise_no_longer_sees_it(client, submit, supplier, enterprise):
    proposal = submit()
    as_user(client, supplier)
    assert client.post(f"/proposals/{proposal.id}/withdraw").status_code == 302
    assert status_of(proposal) is ProposalStatus.WITHDRAWN
    as_user(client, enterprise)
    assert client.get(f"/proposals/{proposal.id}").status_code == 404


def test_an_enterprise_member_cannot_answer(client, demand, enterprise):
    as_user(client, enterprise)
    assert client.get(f"/proposals/demand/{demand.id}/new").status_code == 403


def test_a_draft_demand_is_not_found_for_suppliers(client, create_demand, supplier):
    draft = create_demand(status=DemandStatus.DRAFT)
    as_user(client, supplier)
    assert client.get(f"/proposals/demand/{draft.id}/new").status_code == 404


@pytest.fixture
def csrf_app():
    app = create_app({**{k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()},
                      "SQLALCHEMY_DATABASE_URI": "sqlite://", "WTF_CSRF_ENABLED": True})
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()


def test_posts_without_a_csrf_token_are_refused(csrf_app):
    from catalog_app.models import Demand, Organization, OrganizationKind, OrganizationTier, User
    from catalog_app.accounts.passwords import hash_password
    from tests.conftest import login_as

    org = Organization(name="CSRF 测试企业", credit_code="91440114MA0CSRF001", kind=OrganizationKind.ENTERPRISE,
                       tier=OrganizationTier.SME)
    supplier_org = Organization(name="CSRF 测试供应商", credit_code="91440114MA0CSRF002",
                                kind=OrganizationKind.SUPPLIER, tier=OrganizationTier.SME)
    demand = Demand(organization=org, title="CSRF 需求", status=DemandStatus.PUBLISHED)
    enterprise = User(email="e@csrf.test", password_hash=hash_password("x" * 12), role=UserRole.ENTERPRISE,
                      organization=org)
    supplier = User(email="s@csrf.test", password_hash=hash_password("x" * 12), role=UserRole.SUPPLIER,
                    organization=supplier_org)
    db.session.add_all([demand, enterprise, supplier])
    db.session.commit()
    client = csrf_app.test_client()
    login_as(client, supplier)
    response = client.post(f"/proposals/demand/{demand.id}/new", data={"approach": "无令牌提交"})
    assert response.status_code == 400
    assert db.session.query(Proposal).count() == 0
    proposal = services.submit_proposal(demand, services.ProposalInput("正常方案", "", None, None, []), [], supplier)
    for path in ("withdraw", "messages", "shortlist", "decline", "agreement"):
        assert client.post(f"/proposals/{proposal.id}/{path}", data={"body": "x", "reason": "cost",
                                                                    "amount": "1"}).status_code == 400, path
    assert status_of(proposal) is ProposalStatus.SUBMITTED and not proposal.messages
