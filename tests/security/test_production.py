"""Production settings: the session cookie's flags, and start-up refusals."""
from __future__ import annotations

import re

import pytest

from catalog_app import create_app
from catalog_app.accounts.passwords import hash_password
from catalog_app.extensions import db
from catalog_app.models import User, UserRole
from catalog_app.security import UnsafeConfiguration
from tests.conftest import DEFAULT_PASSWORD
from tests.security.conftest import settings_of


def test_the_session_cookie_is_secure_httponly_lax_and_host_only(production_app):
    db.session.add(User(email="ops@gdtech.cn", password_hash=hash_password(DEFAULT_PASSWORD), role=UserRole.ADMIN))
    db.session.commit()
    client = production_app.test_client()
    base = "https://catalog.example.cn"
    page = client.get("/login", base_url=base).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"email": "ops@gdtech.cn", "password": DEFAULT_PASSWORD,
                                           "csrf_token": token},
                           base_url=base, headers={"Referer": f"{base}/login"})
    assert response.status_code == 302
    cookie = next(value for value in response.headers.getlist("Set-Cookie") if value.startswith("__Host-session="))
    flags = {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}
    assert {"secure", "httponly", "samesite", "path"} <= flags and "domain" not in flags
    assert "SameSite=Lax" in cookie and "Path=/" in cookie


def test_production_uses_shared_rate_limit_storage_by_default():
    from catalog_app.config import ProductionConfig

    assert ProductionConfig.RATELIMIT_STORAGE_URI.startswith("redis://")


@pytest.mark.parametrize("overrides, message", [
    ({"SECRET_KEY": "dev-only-not-secret"}, "SECRET_KEY"),
    ({"SECRET_KEY": "too-short"}, "SECRET_KEY"),
    ({"SECRET_KEY": "s" * 48, "DEBUG": True}, "debug"),
])
def test_production_refuses_to_start_unsafely(overrides, message):
    from catalog_app.config import ProductionConfig

    config = type("Unsafe", (), settings_of(ProductionConfig, SQLALCHEMY_DATABASE_URI="sqlite://",
                                            RATELIMIT_STORAGE_URI="memory://", **overrides))
    with pytest.raises(UnsafeConfiguration, match=message):
        create_app(config)
