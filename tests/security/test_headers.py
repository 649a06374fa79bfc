"""Security headers on every response; templates keep to the policy (no inline script or style)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from catalog_app.security import CONTENT_SECURITY_POLICY

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
EXPECTED = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}


def test_the_policy_is_the_agreed_one():
    assert CONTENT_SECURITY_POLICY == (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
        "frame-ancestors 'none'; base-uri 'self'; form-action 'self'")


@pytest.mark.parametrize("method, url", [
    ("get", "/login"), ("get", "/register"), ("get", "/"), ("get", "/account"), ("get", "/no-such-page"),
    ("get", "/static/css/app.css"), ("post", "/login"), ("get", "/account/verify/garbage"),
])
def test_every_response_carries_the_security_headers(client, method, url):
    response = getattr(client, method)(url)
    response.close()  # the static file is streamed
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, (url, name)
    assert "Strict-Transport-Security" not in response.headers  # development serves plain HTTP


def test_production_adds_hsts(production_app):
    response = production_app.test_client().get("/login", base_url="https://catalog.example.cn")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_no_template_has_inline_script_style_or_event_handlers():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        if path.parts[-2] == "emails":
            continue  # mail clients, not our CSP
        text = path.read_text(encoding="utf-8")
        for pattern in (r"<script(?![^>]*\bsrc=)[^>]*>", r"<style\b", r"\sstyle\s*=", r"\son[a-z]+\s*=\s*[\"']",
                        r"javascript:"):
            if re.search(pattern, text, re.I):
                offenders.append(f"{path.relative_to(TEMPLATES)}: {pattern}")
    assert offenders == []
