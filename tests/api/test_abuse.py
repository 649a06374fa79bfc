"""The API's part of issue #13: blank titles, anonymous writes, tokens after a password change."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from catalog_app.extensions import db
from catalog_app.models import ApiToken, Demand, Listing, UserRole
from tests.accounts.conftest import link_in, outbox  # noqa: F401 (fixture)
from tests.conftest import DEFAULT_PASSWORD, login_as

BLANK_TITLES = ["   ", "\u3000\u3000", "\u200b\u200b\u200b", "\u200d\ufeff\u2060", " \u00a0\u200e\t"]
NEW_PASSWORD = "a brand new passphrase 7"


@pytest.mark.parametrize("title", BLANK_TITLES)
def test_a_blank_or_invisible_title_is_refused(client, make_token, title):
    _, supplier = make_token(UserRole.SUPPLIER)
    _, enterprise = make_token(UserRole.ENTERPRISE)
    solution = client.post("/api/v1/solutions", json={"title": title}, headers=supplier)
    demand = client.post("/api/v1/demands", json={"title": title}, headers=enterprise)
    for response in (solution, demand):
        assert response.status_code == 422, response.get_json()
        assert "title" in response.get_json()["error"]["fields"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Listing)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Demand)) == 0


def test_a_patch_cannot_blank_a_title(client, make_token):
    _, headers = make_token(UserRole.SUPPLIER)
    created = client.post("/api/v1/solutions", json={"title": "视觉检测方案"}, headers=headers)
    assert created.status_code == 201
    listing_id = created.get_json()["id"]
    response = client.patch(f"/api/v1/solutions/{listing_id}", json={"title": "\u200b \u200b"}, headers=headers)
    assert response.status_code == 422
    assert db.session.get(Listing, listing_id).title == "视觉检测方案"


def test_a_title_with_visible_text_among_invisible_characters_is_kept(client, make_token):
    _, headers = make_token(UserRole.SUPPLIER)
    response = client.post("/api/v1/solutions", json={"title": "\u200b视觉\u200b"}, headers=headers)
    assert response.status_code == 201


def test_anonymous_writes_get_401_before_their_body_is_validated(client):
    for path in ("/api/v1/solutions", "/api/v1/products", "/api/v1/cases", "/api/v1/demands"):
        for body in ({"title": "   "}, {}, {"tittle": 5}):
            response = client.post(path, json=body)
            assert response.status_code == 401, (path, body, response.get_json())
            assert response.get_json()["error"]["fields"] == {}
            assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert client.post(path, data="not json", content_type="text/plain").status_code == 401
    assert client.patch("/api/v1/solutions/1", json={"title": ""}).status_code == 401


def test_the_public_match_endpoint_still_takes_anonymous_posts(client):
    assert client.post("/api/v1/match", json={"text": "视觉检测"}).status_code == 200
    assert client.post("/api/v1/match", json={}).status_code == 422


def _active_tokens(user) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(ApiToken)
                             .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)))


def test_a_password_change_revokes_the_api_tokens(client, make_token):
    user, headers = make_token(UserRole.SUPPLIER)
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    login_as(client, user)
    response = client.post("/account/password", data={"current_password": DEFAULT_PASSWORD,
                                                      "new_password": NEW_PASSWORD,
                                                      "new_password_confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert _active_tokens(user) == 0
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_a_password_reset_revokes_the_api_tokens(app, make_token, outbox):  # noqa: F811
    user, headers = make_token(UserRole.ENTERPRISE)
    client = app.test_client()
    client.post("/password/forgot", data={"email": user.email})
    link = link_in(outbox(user.email)[0])
    assert client.post(link, data={"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}).status_code == 302
    assert _active_tokens(user) == 0
    assert client.get("/api/v1/me", headers=headers).status_code == 401
