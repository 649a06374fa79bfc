"""Behind a reverse proxy the client address comes from X-Forwarded-For, and only then."""
from __future__ import annotations

from flask import request

from catalog_app import create_app
from catalog_app.config import TestConfig


def _remote_addr(app) -> str:
    @app.get("/_probe/addr")
    def probe():
        return request.remote_addr or ""

    return app.test_client().get(
        "/_probe/addr", headers={"X-Forwarded-For": "203.0.113.7"}, environ_base={"REMOTE_ADDR": "10.0.0.2"}
    ).get_data(as_text=True)


def test_forwarded_address_is_ignored_without_trusted_proxies():
    assert _remote_addr(create_app(TestConfig)) == "10.0.0.2"


def test_forwarded_address_is_used_behind_one_trusted_proxy():
    app = create_app({**{k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}, "TRUSTED_PROXIES": 1})
    assert _remote_addr(app) == "203.0.113.7"
