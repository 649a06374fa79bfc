"""Links never follow the Host header (issue #13, finding 2); production accepts only its own hosts."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from catalog_app import create_app
from catalog_app.config import ProductionConfig, development_base_url
from catalog_app.extensions import db
from catalog_app.models import OrganizationKind, UserRole
from catalog_app.notifications.links import feedback_url, unsubscribe_url
from catalog_app.public_urls import public_url, trusted_hosts
from catalog_app.security import UnsafeConfiguration
from tests.accounts.conftest import outbox, registration  # noqa: F401  (fixtures)
from tests.conftest import login_as
from tests.security.conftest import PRODUCTION_BASE_URL, settings_of

EVIL = "http://evil.example"
URL = re.compile(r"https?://[^\s<>\"']+")
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def urls_in(message) -> list[str]:
    return URL.findall(message.body_text) + URL.findall(message.body_html or "")


def assert_links_on_public_base(message, base="http://localhost/"):
    links = urls_in(message)
    assert links, message.body_text
    assert not [link for link in links if "evil.example" in link]
    assert [link for link in links if link.startswith(base)]


def test_a_reset_link_requested_with_a_forged_host_points_at_the_public_site(client, create_user, outbox):
    user = create_user()
    db.session.commit()
    response = client.post("/password/forgot", data={"email": user.email}, base_url=EVIL)
    assert response.status_code == 200
    [message] = outbox(user.email)
    assert_links_on_public_base(message)
    assert re.search(r"http://localhost/password/reset/[\w.-]+", message.body_text)


def test_verification_and_invitation_links_ignore_the_host(app, client, registration, outbox, create_user,
                                                          create_organization):
    form = registration()
    assert client.post("/register", data=form, base_url=EVIL).status_code == 302
    assert_links_on_public_base(outbox(form["email"])[0])

    organization = create_organization(kind=OrganizationKind.ENTERPRISE)
    admin = create_user(role=UserRole.ENTERPRISE, organization=organization, is_org_admin=True)
    login_as(client, admin, base_url=EVIL)
    assert client.post("/account/organization", data={"email": "guest@gdtech.cn"}, base_url=EVIL).status_code == 302
    assert_links_on_public_base(outbox("guest@gdtech.cn")[0])


def test_public_url_uses_the_configured_base_inside_and_outside_a_request(app):
    app.config["PUBLIC_BASE_URL"] = "https://catalog.example.cn/platform/"
    expected = "https://catalog.example.cn/platform/password/forgot"
    assert public_url("accounts.forgot_password") == expected
    with app.test_request_context("/", base_url="http://evil.example:8080"):
        assert public_url("accounts.forgot_password") == expected
        assert feedback_url(1, 2, "interested").startswith("https://catalog.example.cn/platform/notifications/")
        assert unsubscribe_url(2, "digest").startswith("https://catalog.example.cn/platform/notifications/")
        assert public_url("demands.detail", demand_id=7, _anchor="attachments").endswith("/demands/7#attachments")


def test_no_code_builds_an_absolute_url_from_the_request():
    """`url_for(_external=True)` copies the client's Host header: every absolute URL goes through public_url."""
    offenders = [str(path.relative_to(PROJECT_ROOT)) for path in (PROJECT_ROOT / "catalog_app").rglob("*.py")
                 if "_external=True" in path.read_text(encoding="utf-8") and path.name != "public_urls.py"]
    offenders += [str(path.relative_to(PROJECT_ROOT)) for path in (PROJECT_ROOT / "templates").rglob("*.html")
                  if "_external" in path.read_text(encoding="utf-8")]
    assert offenders == []


def test_api_urls_follow_the_public_base(client, create_listing):
    listing = create_listing()
    db.session.commit()
    body = client.get(f"/api/v1/solutions/{listing.id}", base_url=EVIL).get_json()
    assert body["url"] == f"http://localhost/solutions/{listing.id}"


def test_development_base_url_follows_make_run(monkeypatch):
    for name in ("HOST", "PORT", "FLASK_RUN_HOST", "FLASK_RUN_PORT"):
        monkeypatch.delenv(name, raising=False)
    assert development_base_url() == "http://127.0.0.1:5000"
    monkeypatch.setenv("PORT", "8000")
    assert development_base_url() == "http://127.0.0.1:8000"
    monkeypatch.setenv("HOST", "0.0.0.0")  # listening everywhere: the link names loopback
    assert development_base_url() == "http://127.0.0.1:8000"
    monkeypatch.setenv("HOST", "192.168.1.20")
    assert development_base_url() == "http://192.168.1.20:8000"


def test_development_base_url_reads_flask_run_settings():
    assert development_base_url({"FLASK_RUN_PORT": "5205"}) == "http://127.0.0.1:5205"
    assert development_base_url({"PORT": "5300", "FLASK_RUN_PORT": "5205"}) == "http://127.0.0.1:5300"
    assert development_base_url({"HOST": "::1", "PORT": "80"}) == "http://[::1]:80"


def test_public_base_url_follows_port_unless_set(tmp_path):
    """The Config class reads the environment at import: check it in fresh interpreters."""
    import os
    import subprocess
    import sys

    def base_url(**env) -> str:
        environ = {k: v for k, v in os.environ.items()
                   if k not in ("PUBLIC_BASE_URL", "HOST", "PORT", "FLASK_RUN_HOST", "FLASK_RUN_PORT", "APP_ENV")}
        result = subprocess.run([sys.executable, "-c", "from catalog_app.config import Config; print(Config.PUBLIC_BASE_URL)"],
                                env={**environ, **env}, capture_output=True, text=True, check=True, cwd=tmp_path)
        return result.stdout.strip()

    assert base_url(PORT="5205") == "http://127.0.0.1:5205"
    assert base_url(HOST="0.0.0.0", PORT="8080") == "http://127.0.0.1:8080"
    assert base_url(PORT="5205", PUBLIC_BASE_URL="https://catalog.example.cn") == "https://catalog.example.cn"


# --- production ---------------------------------------------------------------------------------

def _production(**overrides):
    return type("Production", (), settings_of(ProductionConfig, SECRET_KEY="s" * 48, SQLALCHEMY_DATABASE_URI="sqlite://",
                                              RATELIMIT_STORAGE_URI="memory://", MATCHING_INDEX_DIR=None,
                                              **overrides))


@pytest.mark.parametrize("base_url", [None, "", "catalog.example.cn", "ftp://catalog.example.cn",
                                      "https://", "https://catalog.example.cn/?next=x"])
def test_production_refuses_to_start_without_a_public_base_url(base_url):
    with pytest.raises(UnsafeConfiguration, match="PUBLIC_BASE_URL"):
        create_app(_production(PUBLIC_BASE_URL=base_url))


@pytest.mark.parametrize("unsafe", [{"DEV_MAILBOX": True}, {"MAIL_TRANSPORT": "mailbox"}])
def test_production_refuses_the_development_mailbox(unsafe):
    with pytest.raises(UnsafeConfiguration, match="mailbox"):
        create_app(_production(PUBLIC_BASE_URL=PRODUCTION_BASE_URL, **unsafe))


def test_trusted_hosts_come_from_the_public_base_and_the_extra_list():
    assert trusted_hosts("https://Catalog.Example.cn:8443/x", [" Admin.Internal ", "", "catalog.example.cn"]) == [
        "catalog.example.cn", "admin.internal"]
    app = create_app(_production(PUBLIC_BASE_URL=PRODUCTION_BASE_URL, EXTRA_TRUSTED_HOSTS=["health.internal"]))
    assert app.config["TRUSTED_HOSTS"] == ["catalog.example.cn", "health.internal"]


@pytest.mark.parametrize("host, status", [
    ("catalog.example.cn", 200), ("catalog.example.cn:443", 200), ("evil.example", 400),
    ("catalog.example.cn.evil.example", 400), ("bad host", 400), ("", 400),
])
def test_production_answers_only_its_own_hosts(production_app, host, status):
    client = production_app.test_client()
    for path in ("/login", "/api/v1/taxonomy/industries"):
        response = client.get(path, headers={"Host": host}, base_url="https://catalog.example.cn")
        assert response.status_code == status, (path, host)
    refused = client.post("/password/forgot", data={"email": "a@gdtech.cn"}, headers={"Host": "evil.example"})
    assert refused.status_code == 400
    assert "本站不响应该主机名的请求" in refused.get_data(as_text=True)
    api = client.get("/api/v1/solutions", headers={"Host": "evil.example"})
    assert api.status_code == 400 and api.get_json()["error"]["code"] == 400


@pytest.mark.parametrize("host", ["a..b", ".", "x" * 64 + ".cn"])
def test_a_malformed_host_is_a_400_in_every_environment(client, host):
    """Werkzeug refuses it before routing (BadHost); the HTML error page cannot be built then."""
    for path in ("/", "/api/v1/solutions"):
        assert client.get(path, headers={"Host": host}).status_code == 400, (path, host)
