"""Every form POST needs the CSRF token: without it the answer is 400 and nothing changes."""
from __future__ import annotations

import re

import sqlalchemy as sa

from catalog_app.extensions import db
from catalog_app.models import User, UserRole, UserSession
from tests.conftest import DEFAULT_PASSWORD, login_as


def _token(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def test_login_without_the_token_is_refused(csrf_app):
    from catalog_app.accounts.passwords import hash_password

    db.session.add(User(email="a@gdtech.cn", password_hash=hash_password(DEFAULT_PASSWORD), role=UserRole.ADMIN))
    db.session.commit()
    client = csrf_app.test_client()
    refused = client.post("/login", data={"email": "a@gdtech.cn", "password": DEFAULT_PASSWORD})
    assert refused.status_code == 400
    assert "表单已过期" in refused.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(UserSession)) == 0

    token = _token(client.get("/login").get_data(as_text=True))
    accepted = client.post("/login", data={"email": "a@gdtech.cn", "password": DEFAULT_PASSWORD, "csrf_token": token})
    assert accepted.status_code == 302


def _sample_value(converter) -> str:
    if hasattr(converter, "items"):  # any(...)
        return sorted(converter.items)[0]
    return "x" if type(converter).__name__ in ("UnicodeConverter", "PathConverter") else "1"


def test_every_post_route_of_the_app_needs_the_token(csrf_app):
    """Walks the URL map, so a new POST route without protection fails here."""
    user = User(email="admin@gdtech.cn", password_hash="x", role=UserRole.ADMIN)
    db.session.add(user)
    db.session.commit()
    client = csrf_app.test_client()
    login_as(client, user)
    checked = []
    for rule in csrf_app.url_map.iter_rules():
        if "POST" not in rule.methods:
            continue
        values = {name: _sample_value(rule._converters[name]) for name in rule.arguments}
        url = rule.build(values, append_unknown=False)[1]
        response = client.post(url, data={"anything": "1"})
        assert response.status_code == 400, f"{rule.rule} answered {response.status_code} without a CSRF token"
        checked.append(rule.rule)
    assert {"/login", "/logout", "/register", "/account", "/account/password"} <= set(checked)
    # Still logged in: the refused logout did not log out.
    assert client.get("/account").status_code == 200


def test_logout_without_the_token_keeps_the_session(csrf_app):
    user = User(email="b@gdtech.cn", password_hash="x", role=UserRole.ADMIN)
    db.session.add(user)
    db.session.commit()
    client = csrf_app.test_client()
    login_as(client, user)
    assert client.post("/logout").status_code == 400
    assert client.get("/account").status_code == 200
    token = _token(client.get("/account").get_data(as_text=True))
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/account").status_code == 302
