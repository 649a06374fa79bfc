"""Who may reach /my/listings, and that nobody reaches another organization's listings."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from catalog_app import create_app
from catalog_app.config import TestConfig
from catalog_app.extensions import db
from catalog_app.models import ListingStatus, UserRole
from tests.conftest import login_as


@pytest.mark.parametrize("role", [UserRole.ENTERPRISE, UserRole.MODERATOR])
def test_non_suppliers_get_403(client, create_user, role):
    login_as(client, create_user(role=role))
    assert client.get("/my/listings/").status_code == 403
    assert client.get("/my/listings/new?kind=case").status_code == 403
    assert client.get("/my/listings/export.csv").status_code == 403


def test_supplier_without_organization_gets_403(client, create_user):
    login_as(client, create_user(role=UserRole.SUPPLIER, organization=None))
    assert client.get("/my/listings/").status_code == 403


def test_anonymous_is_sent_to_login_or_refused(client):
    response = client.get("/my/listings/")
    assert response.status_code in (302, 401, 403)
    if response.status_code == 302:
        assert "login" in response.headers["Location"]
    assert client.post("/my/listings/new?kind=solution", data={"title": "x"}).status_code in (302, 401, 403)


@pytest.mark.parametrize("path", ["edit", "submit", "withdraw", "renew", "archive", "duplicate"])
def test_another_organizations_listing_is_not_found(supplier_client, create_listing, path):
    foreign = create_listing(status=ListingStatus.PUBLISHED, expires_at=date.today() + timedelta(days=5),
                             title="别家方案")
    db.session.commit()
    method = supplier_client.get if path == "edit" else supplier_client.post
    response = method(f"/my/listings/{foreign.id}/{path}", data={"title": "被改"})
    assert response.status_code in (403, 404)
    db.session.refresh(foreign)
    assert foreign.title == "别家方案" and foreign.status is ListingStatus.PUBLISHED
    assert foreign.expires_at == date.today() + timedelta(days=5)


def test_another_organizations_draft_is_invisible_everywhere(supplier_client, create_listing):
    foreign = create_listing(status=ListingStatus.DRAFT, title="别家保密草稿")
    db.session.commit()
    for path in ("/my/listings/", "/my/listings/?status=draft", "/my/listings/export.csv"):
        body = supplier_client.get(path).get_data()
        assert "别家保密草稿".encode() not in body, path
    assert supplier_client.get(f"/my/listings/{foreign.id}/edit").status_code == 404


def test_archived_listing_cannot_be_edited(supplier_client, supplier, create_listing):
    listing = create_listing(organization=supplier.organization, status=ListingStatus.ARCHIVED)
    db.session.commit()
    assert supplier_client.get(f"/my/listings/{listing.id}/edit").status_code == 403


def test_post_without_csrf_token_is_rejected():
    app = create_app({**{k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()},
                      "WTF_CSRF_ENABLED": True})
    with app.app_context():
        db.create_all()
        from catalog_app.models import Organization, OrganizationKind, OrganizationTier, User
        from catalog_app.models._types import utcnow

        organization = Organization(name="某科技", credit_code="91440101MA5CSRF001", kind=OrganizationKind.SUPPLIER,
                                    tier=OrganizationTier.SME)
        user = User(email="csrf@example.com", password_hash="x", role=UserRole.SUPPLIER,
                    organization=organization, email_verified_at=utcnow())
        db.session.add(user)
        db.session.commit()
        client = app.test_client()
        login_as(client, user)
        assert client.get("/my/listings/").status_code == 200
        response = client.post("/my/listings/new?kind=solution", data={"title": "无令牌"})
        assert response.status_code == 400
        db.session.remove()
