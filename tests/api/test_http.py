"""HTTP behaviour shared by every endpoint: errors, ETags, rate limits, CSRF, the docs page."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from catalog_app.config import PROJECT_ROOT
from catalog_app.extensions import db
from catalog_app.models import ApiToken, UserRole
from tests.conftest import login_as


def test_errors_are_json_never_html(client):
    for response in (client.get("/api/v1/nothing-here"), client.delete("/api/v1/solutions"),
                     client.get("/api/v1/solutions/0"), client.get("/api/v1/solutions/99999999999999")):
        assert response.is_json, response.status_code
        error = response.get_json()["error"]
        assert set(error) == {"code", "message", "fields"} and error["code"] == response.status_code
    assert client.delete("/api/v1/solutions").status_code == 405


def test_weak_etag_and_not_modified(client, seeded):
    first = client.get("/api/v1/solutions")
    etag = first.headers["ETag"]
    assert etag.startswith('W/"')
    again = client.get("/api/v1/solutions", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert client.get("/api/v1/solutions?per_page=1", headers={"If-None-Match": etag}).status_code == 200


def test_rate_limit_answers_429_with_retry_after(app, client, make_token):
    app.config.update(API_RATE_LIMIT_ANONYMOUS="3 per minute", API_RATE_LIMIT_TOKEN="5 per minute")
    statuses = [client.get("/api/v1/taxonomy/technologies").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get("/api/v1/taxonomy/technologies")
    assert refused.get_json()["error"]["code"] == 429 and 1 <= int(refused.headers["Retry-After"]) <= 60
    _, headers = make_token(UserRole.SUPPLIER)  # a token has its own budget
    assert client.get("/api/v1/taxonomy/technologies", headers=headers).status_code == 200
    wrong = {"Authorization": "Bearer sc_guess"}  # wrong tokens count against the address
    assert client.get("/api/v1/taxonomy/technologies", headers=wrong).status_code == 429


@pytest.fixture
def csrf_client(app):
    app.config["WTF_CSRF_ENABLED"] = True
    return app.test_client()


def test_csrf_exempt_only_for_token_requests(csrf_client, create_user, make_token):
    user = create_user(role=UserRole.ENTERPRISE)
    login_as(csrf_client, user)  # the browser's session cookie: not a credential for the API
    with_cookie = csrf_client.post("/api/v1/match", json={"text": "视觉检测"})
    assert with_cookie.status_code == 400 and with_cookie.is_json
    _, headers = make_token(user=user)
    assert csrf_client.post("/api/v1/match", json={"text": "视觉检测"}, headers=headers).status_code == 200
    assert csrf_client.post("/api/v1/demands", json={"title": "需求"}, headers=headers).status_code == 201


def test_cookieless_public_post_needs_no_csrf_token(app):
    app.config["WTF_CSRF_ENABLED"] = True
    assert app.test_client().post("/api/v1/match", json={"text": "视觉检测"}).status_code == 200


def test_docs_page_is_local_and_fits_the_csp(client):
    page = client.get("/api/v1/docs")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "unsafe-eval" not in csp
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert scripts and all('src="/' in attributes and not body.strip() for attributes, body in scripts)
    assert "//cdn" not in html and "unpkg" not in html and "jsdelivr" not in html
    for src in re.findall(r'src="(/static/[^"]+)"', html):
        with client.get(src) as response:
            assert response.status_code == 200
    init = client.get("/api/v1/docs/init.js")
    assert init.mimetype == "text/javascript" and "SwaggerUIBundle" in init.get_data(as_text=True)
    vendor = Path(PROJECT_ROOT / "static/vendor/swagger-ui-5.35.0")
    assert (vendor / "LICENSE").is_file() and (vendor / "swagger-ui-bundle.js").is_file()


def test_token_page_creates_shows_once_and_revokes(client, create_user):
    user = create_user(role=UserRole.SUPPLIER)
    login_as(client, user)
    assert "/account/api-tokens" in client.get("/account").get_data(as_text=True)
    created = client.post("/account/api-tokens", data={"name": "脚本", "scopes": ["listings:write"]})
    assert created.status_code == 201 and created.headers["Cache-Control"] == "no-store"
    secret = re.search(r'id="new-api-token">(sc_[^<]+)<', created.get_data(as_text=True)).group(1)
    listed = client.get("/account/api-tokens").get_data(as_text=True)
    assert secret not in listed and secret[:10] in listed
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/me", headers=headers).get_json()["scopes"] == ["listings:write"]
    refused = client.post("/account/api-tokens", data={"name": "越权", "scopes": ["demands:write"]})
    assert refused.status_code == 400
    token_id = re.search(r'/account/api-tokens/(\d+)/revoke', listed).group(1)
    assert client.post(f"/account/api-tokens/{token_id}/revoke").status_code == 303
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_another_users_token_cannot_be_revoked(client, create_user, make_token):
    owner, _ = make_token(UserRole.SUPPLIER)
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.user_id == owner.id))
    login_as(client, create_user(role=UserRole.SUPPLIER))
    client.post(f"/account/api-tokens/{token.id}/revoke")
    db.session.refresh(token)
    assert token.revoked_at is None


def test_token_page_needs_login(client):
    assert client.get("/account/api-tokens").status_code in (302, 401)
