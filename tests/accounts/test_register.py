"""/register: a person with their organization; refusals beside the field, nothing half-stored."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from catalog_app.extensions import db
from catalog_app.models import Organization, OrganizationKind, User, UserRole, UserSession
from tests.accounts.conftest import field_errors, link_in


def _counts():
    return (db.session.scalar(sa.select(sa.func.count()).select_from(User)),
            db.session.scalar(sa.select(sa.func.count()).select_from(Organization)))


@pytest.mark.parametrize("kind, role", [("enterprise", UserRole.ENTERPRISE), ("supplier", UserRole.SUPPLIER),
                                        ("institute", UserRole.SUPPLIER), ("service", UserRole.SUPPLIER)])
def test_register_creates_the_organization_and_its_admin(client, registration, outbox, kind, role):
    form = registration(kind=kind, email="Founder@GDTech.cn", credit_code=registration()["credit_code"].lower())
    response = client.post("/register", data=form)
    assert response.status_code == 302 and response.headers["Location"] == "/login"

    user = db.session.scalar(sa.select(User).where(User.email == "founder@gdtech.cn"))
    assert user.role is role and user.is_org_admin and user.email_verified_at is None
    assert user.organization.kind is OrganizationKind(kind)
    assert user.organization.credit_code == form["credit_code"].upper()
    assert user.organization.contact_email == "founder@gdtech.cn"
    assert user.password_hash.startswith("$argon2id$")
    # Nobody is logged in: a taken address must get the very same answer (see below).
    assert db.session.scalar(sa.select(sa.func.count()).select_from(UserSession)) == 0
    assert client.get("/account").status_code == 302
    assert client.post("/login", data={"email": form["email"], "password": form["password"]}).status_code == 302

    [message] = outbox("founder@gdtech.cn")
    assert message.subject == "请确认您的邮箱地址"
    assert link_in(message).startswith("/account/verify/")


def test_an_already_registered_credit_code_is_refused_with_advice(client, registration, create_organization):
    existing = create_organization()
    db.session.commit()
    before = _counts()
    response = client.post("/register", data=registration(credit_code=existing.credit_code))
    assert response.status_code == 400
    assert field_errors(response.get_data(as_text=True))["credit_code"] == "该机构已注册，请联系机构管理员邀请您加入。"
    assert _counts() == before


def test_an_existing_email_gets_the_same_answer_and_its_owner_a_mail(app, registration, create_user, outbox):
    owner = create_user(email="taken@gdtech.cn")
    db.session.commit()
    before = _counts()
    clients = [app.test_client(), app.test_client()]
    taken = clients[0].post("/register", data=registration(email="TAKEN@gdtech.cn"))
    free = clients[1].post("/register", data=registration(email="free@gdtech.cn"))
    assert taken.status_code == free.status_code == 302
    assert taken.headers["Location"] == free.headers["Location"] == "/login"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(UserSession)) == 0
    flashes = [_flashed(c, response) for c, response in zip(clients, (taken, free))]
    assert flashes[0].replace("taken@gdtech.cn", "X") == flashes[1].replace("free@gdtech.cn", "X")
    assert _counts() == (before[0] + 1, before[1] + 1)  # only the free address registered
    [message] = outbox("taken@gdtech.cn")
    assert message.subject == "您已有账号"
    assert "/password/forgot" in message.body_text
    db.session.refresh(owner)
    assert owner.organization is not None and owner.email_verified_at is not None  # untouched


def _flashed(client, response) -> str:
    """The flash message the redirect leads to, as the login page shows it."""
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    match = re.search(r'class="flash[^"]*"[^>]*>(.*?)</', html, re.S)
    assert match, html[:2000]
    return match.group(1).strip()


def test_a_credit_code_with_a_wrong_check_character_is_refused(client, registration):
    code = registration()["credit_code"]
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    response = client.post("/register", data=registration(credit_code=wrong))
    assert response.status_code == 400
    assert field_errors(response.get_data(as_text=True))["credit_code"].startswith("这不是有效的统一社会信用代码")


def test_errors_are_in_english_with_lang_en(client, registration):
    response = client.post("/register?lang=en", data=registration(email="not-an-email", password="short"))
    errors = field_errors(response.get_data(as_text=True))
    assert errors["email"] == "Enter a valid email address."
    assert errors["password"] == "Use 10 to 128 characters."


@pytest.mark.parametrize("field, value, message", [
    ("display_name", "名" * 61, "最多"),
    ("organization_name", "公" * 121, "最多"),
    ("email", "a" * 250 + "@x.cn", "最多"),
    ("password", "p" * 129, "10"),
    ("contact_name", "n" * 61, "最多"),
    ("contact_phone", "1" * 41, "最多"),
    ("credit_code", "9" * 19, "18"),
])
def test_over_long_fields_are_refused_beside_the_field(client, registration, field, value, message):
    before = _counts()
    response = client.post("/register", data=registration(**{field: value}))
    assert response.status_code == 400
    assert message in field_errors(response.get_data(as_text=True))[field]
    assert _counts() == before


@pytest.mark.parametrize("overrides, field", [
    ({"password": "founder9@gdtech.cn", "email": "founder9@gdtech.cn"}, "password"),
    ({"password_confirm": "something else 12"}, "password_confirm"),
    ({"region_id": "999999"}, "region_id"),
    ({"region_id": "abc"}, "region_id"),
    ({"kind": "government"}, "kind"),
    ({"tier": ""}, "tier"),
    ({"contact_phone": "<script>"}, "contact_phone"),
    ({"organization_name": "\u200b\u200b\u3000"}, "organization_name"),
    ({"confirm_authority": ""}, "confirm_authority"),
])
def test_bad_input_is_shown_beside_its_field_without_a_500(client, registration, overrides, field):
    before = _counts()
    response = client.post("/register", data=registration(**overrides))
    assert response.status_code == 400
    assert field in field_errors(response.get_data(as_text=True))
    assert _counts() == before


def test_a_password_equal_to_the_email_is_refused_by_the_service(client, registration):
    response = client.post("/register", data=registration(email="same-as-pass@gdtech.cn",
                                                          password="Same-As-Pass@gdtech.cn"))
    assert field_errors(response.get_data(as_text=True))["password"] == "密码不能与邮箱地址相同。"


def test_the_registration_page_offers_the_regions_of_guangdong(client):
    html = client.get("/register").get_data(as_text=True)
    assert '<optgroup label="广州市">' in html and "天河区" in html and "佛山市（全市）" in html


def test_registration_is_rate_limited_per_ip(app, registration):
    app.config["REGISTRATION_LIMIT_PER_IP"] = "2 per hour"
    for _ in range(2):
        assert app.test_client().post("/register", data=registration()).status_code == 302
    response = app.test_client().post("/register", data=registration())
    assert response.status_code == 429
    assert "注册次数过多" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organization)) == 2
