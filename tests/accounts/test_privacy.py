"""Consent at registration, a copy of one's data, and deleting one's account (PIPL)."""
from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from flask import g

from catalog_app.accounts.privacy import DELETED_EMAIL_DOMAIN, delete_account
from catalog_app.accounts.errors import AccountError, NotAllowed
from catalog_app.extensions import db
from catalog_app.models import (
    ApiToken,
    DemandStatus,
    ListingKind,
    ListingStatus,
    OutboxMessage,
    SavedSearch,
    User,
    UserRole,
    UserSession,
)
from catalog_app.models._types import utcnow
from tests.accounts.conftest import field_errors
from tests.conftest import DEFAULT_PASSWORD, login_as


def _user(email: str) -> User | None:
    db.session.expire_all()
    return db.session.scalar(sa.select(User).where(User.email == email))


# ---------------------------------------------------------------- consent

def test_registration_records_consent_time_and_version(app, client, registration):
    data = registration()
    before = utcnow()
    assert client.post("/register", data=data).status_code == 302
    user = _user(data["email"])
    assert user.terms_version == app.config["LEGAL_DOCUMENTS_VERSION"]
    assert user.terms_accepted_at is not None and user.terms_accepted_at >= before.replace(microsecond=0)


def test_registration_without_consent_is_refused_beside_the_checkbox(client, registration):
    data = registration(accept_terms="")
    response = client.post("/register", data=data)
    assert response.status_code == 400
    assert "accept_terms" in field_errors(response.get_data(as_text=True))
    assert _user(data["email"]) is None


def test_the_registration_form_links_the_documents_and_leaves_the_box_unticked(client):
    html = client.get("/register").get_data(as_text=True)
    assert 'href="/terms"' in html and 'href="/privacy"' in html
    checkbox = html[html.index('name="accept_terms"') - 200:html.index('name="accept_terms"') + 80]
    assert "checked" not in checkbox


@pytest.mark.parametrize("path, zh, en", [
    ("/terms", "用户协议", "Terms of Use"),
    ("/privacy", "隐私政策", "Privacy Policy"),
])
def test_legal_pages_exist_in_both_languages(client, path, zh, en):
    chinese = client.get(path).get_data(as_text=True)
    assert zh in chinese and "个人信息" in chinese
    english = client.get(path + "?lang=en").get_data(as_text=True)
    assert en in english and "personal information" in english and "个人信息" not in english


def test_footer_names_site_operator_and_icp_number_from_config(app, client):
    app.config.update(SITE_OPERATOR="示例科技有限公司", ICP_NUMBER="粤ICP备00000000号-1", SITE_NAME="示例对接平台")
    html = client.get("/").get_data(as_text=True)
    assert "示例对接平台" in html and "运营方：示例科技有限公司" in html
    assert 'href="https://beian.miit.gov.cn/"' in html and "粤ICP备00000000号-1" in html


def test_without_an_icp_number_the_footer_shows_none(client):
    html = client.get("/").get_data(as_text=True)
    assert "beian.miit.gov.cn" not in html and 'href="/privacy"' in html


# ---------------------------------------------------------------- export

def test_a_signed_in_user_downloads_their_data_as_json(client, create_user, create_demand):
    user = create_user(role=UserRole.ENTERPRISE, display_name="王经理")
    user.terms_version, user.terms_accepted_at = "2026-12-03", utcnow()
    create_demand(organization=user.organization, created_by_id=user.id, title="我写的需求")
    login_as(client, user)
    response = client.get("/account/data/export")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == user.email and data["account"]["display_name"] == "王经理"
    assert data["account"]["terms_version"] == "2026-12-03"
    assert data["organization"]["name"] == user.organization.name
    assert [d["title"] for d in data["demands_created"]] == ["我写的需求"]
    assert len(data["sessions"]) == 1


def test_export_needs_a_login(client):
    assert client.get("/account/data/export").status_code == 302


# ---------------------------------------------------------------- deletion

def _forget_login():
    g.pop("_login_user", None)


def test_deleting_needs_the_password(client, create_user):
    user = create_user(role=UserRole.SUPPLIER)
    login_as(client, user)
    response = client.post("/account/delete", data={"password": "wrong password 1", "confirm": "y"})
    assert response.status_code == 400
    assert "密码不正确" in response.get_data(as_text=True)
    assert _user(user.email) is not None


def test_deleting_erases_personal_data_and_signs_out(client, create_user, create_organization):
    organization = create_organization()
    user = create_user(role=UserRole.SUPPLIER, organization=organization, is_org_admin=True, display_name="赵工")
    email = user.email
    organization.contact_email, organization.contact_name = email, "赵工"
    db.session.add_all([ApiToken(user_id=user.id, name="t", token_hash="h" * 64, prefix="p"),
                        SavedSearch(user_id=user.id, section="solutions", query_string="q=x"),
                        OutboxMessage(idempotency_key="k1", kind="test", recipient=email, subject="s",
                                      body_text="b", message_id="<m1@x>")])
    login_as(client, user)
    response = client.post("/account/delete", data={"password": DEFAULT_PASSWORD, "confirm": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    erased = db.session.get(User, user.id)
    assert erased.email.endswith("@" + DELETED_EMAIL_DOMAIN) and erased.display_name == ""
    assert erased.deleted_at is not None and not erased.is_active and erased.organization_id is None
    for model in (UserSession, ApiToken, SavedSearch):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(model).where(model.user_id == user.id)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)
                             .where(OutboxMessage.recipient == email)) == 0
    assert organization.contact_email == "" and organization.contact_name == ""
    _forget_login()
    assert client.get("/account").status_code == 302  # the session is gone


def test_content_stays_with_the_remaining_members_and_one_becomes_admin(
        create_user, create_organization, create_listing):
    organization = create_organization()
    leaving = create_user(role=UserRole.SUPPLIER, organization=organization, is_org_admin=True)
    staying = create_user(role=UserRole.SUPPLIER, organization=organization)
    listing = create_listing(organization=organization)
    delete_account(leaving, DEFAULT_PASSWORD)
    db.session.expire_all()
    assert listing.status is ListingStatus.PUBLISHED and listing.organization_id == organization.id
    assert staying.is_org_admin


def test_the_last_member_leaving_takes_the_organization_offline(create_user, create_listing, create_demand):
    user = create_user(role=UserRole.ENTERPRISE)
    demand = create_demand(organization=user.organization)
    draft = create_demand(organization=user.organization, status=DemandStatus.DRAFT)
    listing = create_listing(ListingKind.SOLUTION, organization=user.organization)
    delete_account(user, DEFAULT_PASSWORD)
    db.session.expire_all()
    assert demand.status is DemandStatus.CLOSED and draft.status is DemandStatus.DRAFT
    assert listing.status is ListingStatus.ARCHIVED


def test_staff_accounts_cannot_delete_themselves(create_user):
    with pytest.raises(NotAllowed):
        delete_account(create_user(role=UserRole.MODERATOR), DEFAULT_PASSWORD)


def test_a_wrong_password_changes_nothing(create_user):
    user = create_user(role=UserRole.SUPPLIER)
    with pytest.raises(AccountError):
        delete_account(user, "not the password")
    assert user.deleted_at is None and "@example.com" in user.email


def test_the_account_page_links_to_my_data(client, create_user):
    login_as(client, create_user(role=UserRole.SUPPLIER))
    assert 'href="/account/data"' in client.get("/account").get_data(as_text=True)
    html = client.get("/account/data").get_data(as_text=True)
    assert "注销我的账户" in html and 'href="/account/data/export"' in html
