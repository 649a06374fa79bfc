"""Confidential details: request, approval, terms, every view logged, never shown to anyone else."""
from __future__ import annotations

import sqlalchemy as sa
from flask import g

from catalog_app.extensions import db
from catalog_app.models import AccessStatus, ConfidentialAccess, ConfidentialView, OutboxMessage, UserRole
from catalog_app.proposals import confidentiality
from tests.proposals.conftest import SECRET, as_user

SECRET_WORD = "新能源车企"


def access_of(organization) -> ConfidentialAccess | None:
    db.session.expire_all()
    return db.session.scalar(sa.select(ConfidentialAccess).where(ConfidentialAccess.organization_id == organization.id))


def views() -> list[ConfidentialView]:
    return list(db.session.scalars(sa.select(ConfidentialView).order_by(ConfidentialView.id)))


def assert_secret_hidden(client, secret_demand):
    for path in (f"/demands/{secret_demand.id}", "/demands", "/", "/proposals/mine",
                 f"/organizations/{secret_demand.organization_id}"):
        response = client.get(path)
        assert response.status_code in (200, 302, 403), path
        assert SECRET_WORD not in response.get_data(as_text=True), path
    for path in (f"/demands?q={SECRET_WORD}", f"/search?q={SECRET_WORD}"):  # the query echoes, the demand is not found
        assert secret_demand.title not in client.get(path).get_data(as_text=True), path
    response = client.get(f"/proposals/demand/{secret_demand.id}/confidential")
    assert response.status_code in (302, 403)
    assert SECRET_WORD not in response.get_data(as_text=True)


def test_full_flow_request_approve_accept_read_and_log(client, secret_demand, supplier, enterprise, create_user):
    as_user(client, supplier)
    page = client.get(f"/demands/{secret_demand.id}").get_data(as_text=True)
    assert SECRET_WORD not in page and f"/proposals/demand/{secret_demand.id}/access/request" in page
    assert_secret_hidden(client, secret_demand)

    response = client.post(f"/proposals/demand/{secret_demand.id}/access/request", data={"note": "准备方案需要"})
    assert response.status_code == 302
    assert access_of(supplier.organization).status is AccessStatus.REQUESTED
    assert client.get(f"/proposals/demand/{secret_demand.id}/terms").status_code == 403
    assert_secret_hidden(client, secret_demand)

    as_user(client, enterprise)
    access = access_of(supplier.organization)
    assert client.post(f"/proposals/access/{access.id}/approve").status_code == 302
    assert access_of(supplier.organization).status is AccessStatus.APPROVED

    as_user(client, supplier)
    assert_secret_hidden(client, secret_demand)  # approved, but the terms are not accepted yet
    refused = client.post(f"/proposals/demand/{secret_demand.id}/terms", data={})
    assert refused.status_code == 422 and access_of(supplier.organization).terms_accepted_at is None
    assert client.post(f"/proposals/demand/{secret_demand.id}/terms", data={"accept": "y"}).status_code == 302
    assert access_of(supplier.organization).terms_accepted_by_id == supplier.id

    assert views() == []
    response = client.get(f"/proposals/demand/{secret_demand.id}/confidential")
    assert response.status_code == 200 and SECRET in response.get_data(as_text=True)
    assert "no-store" in response.headers["Cache-Control"]
    colleague = create_user(role=UserRole.SUPPLIER, organization=supplier.organization, display_name="同事王工")
    as_user(client, colleague)
    assert client.get(f"/proposals/demand/{secret_demand.id}/confidential").status_code == 200
    assert [(view.user_id, view.organization_id) for view in views()] == [
        (supplier.id, supplier.organization_id), (colleague.id, supplier.organization_id)]
    assert all(view.viewed_at is not None for view in views())

    as_user(client, enterprise)
    log = client.get(f"/proposals/demand/{secret_demand.id}/access").get_data(as_text=True)
    assert "同事王工" in log and supplier.display_name in log and supplier.organization.name in log

    emails = db.session.scalars(sa.select(OutboxMessage)).all()
    assert {email.kind for email in emails} == {"proposals_access_requested", "proposals_access_decided"}
    assert all(SECRET_WORD not in email.body_text + email.body_html + email.subject for email in emails)


def test_wrong_accounts_never_read_the_details(client, secret_demand, supplier, enterprise, other_supplier,
                                               other_enterprise, create_user):
    confidentiality.request_access(secret_demand, "", supplier)
    confidentiality.decide_access(access_of(supplier.organization), True, enterprise)
    confidentiality.accept_terms(secret_demand, supplier)
    declined = create_user(role=UserRole.SUPPLIER)
    confidentiality.request_access(secret_demand, "", declined)
    confidentiality.decide_access(access_of(declined.organization), False, enterprise)
    moderator = create_user(role=UserRole.MODERATOR)
    db.session.commit()
    for user in (other_supplier, other_enterprise, declined, moderator):
        as_user(client, user)
        assert_secret_hidden(client, secret_demand)
        assert client.get(f"/proposals/demand/{secret_demand.id}/access").status_code == 403
    g.pop("_login_user", None)
    anonymous = client.application.test_client()
    assert_secret_hidden(anonymous, secret_demand)
    assert views() == []


def test_another_enterprise_cannot_decide_access(client, secret_demand, supplier, other_enterprise):
    access = confidentiality.request_access(secret_demand, "", supplier)
    as_user(client, other_enterprise)
    assert client.post(f"/proposals/access/{access.id}/approve").status_code == 404
    assert access_of(supplier.organization).status is AccessStatus.REQUESTED


def test_a_supplier_cannot_approve_itself(client, secret_demand, supplier):
    access = confidentiality.request_access(secret_demand, "", supplier)
    as_user(client, supplier)
    assert client.post(f"/proposals/access/{access.id}/approve").status_code == 404
    assert client.post(f"/proposals/demand/{secret_demand.id}/terms", data={"accept": "y"}).status_code == 403
    assert access_of(supplier.organization).status is AccessStatus.REQUESTED


def test_one_request_per_organization(client, secret_demand, supplier):
    confidentiality.request_access(secret_demand, "", supplier)
    as_user(client, supplier)
    assert client.post(f"/proposals/demand/{secret_demand.id}/access/request", data={}).status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(ConfidentialAccess.id))) == 1


def test_public_demands_have_no_confidential_page(client, demand, supplier, enterprise):
    for user in (supplier, enterprise):
        as_user(client, user)
        assert client.get(f"/proposals/demand/{demand.id}/confidential").status_code == 403
        assert client.get(f"/proposals/demand/{demand.id}/access/request").status_code == 403


def test_the_enterprise_reads_its_own_details_and_the_view_is_logged(client, secret_demand, enterprise):
    as_user(client, enterprise)
    response = client.get(f"/proposals/demand/{secret_demand.id}/confidential")
    assert response.status_code == 200 and SECRET in response.get_data(as_text=True)
    assert [view.user_id for view in views()] == [enterprise.id]
