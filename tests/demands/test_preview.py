"""The editor's live preview (POST /demands/preview) and CSRF on every demand POST."""
from __future__ import annotations

import pytest

from catalog_app import create_app
from catalog_app.config import TestConfig
from catalog_app.extensions import db
from catalog_app.models import Demand, ListingStatus, UserRole
from tests.conftest import login_as
from tests.demands.conftest import form_data


def test_the_preview_returns_the_quality_report_and_matching_listings(enterprise_client, create_listing):
    create_listing(title="皮具表面划痕视觉检测系统", summary="深度学习识别皮面划痕、色差，替代人工目检")
    create_listing(title="未发布的皮具划痕检测方案", status=ListingStatus.DRAFT)
    db.session.commit()
    response = enterprise_client.post("/demands/preview", data=form_data())
    assert response.status_code == 200 and response.is_json
    payload = response.get_json()
    assert payload["quality"]["score"] == 85  # everything but a scenario
    assert [c["key"] for c in payload["quality"]["checks"] if c["state"] != "ok"] == ["scenario"]
    [listing] = payload["listings"]
    assert listing["title"] == "皮具表面划痕视觉检测系统"
    assert listing["organization"].startswith("测试科技有限公司")
    assert 1 <= listing["percent"] <= 100 and listing["percent_label"] == f"匹配度 {listing['percent']}%"
    assert listing["reasons"] and listing["url"].startswith("/solutions/")
    assert db.session.query(Demand).count() == 0  # a preview stores nothing


def test_the_preview_takes_half_typed_input(enterprise_client):
    response = enterprise_client.post("/demands/preview", data={"title": "检", "budget_min": "abc",
                                                                 "deadline": "2026-13-40", "scenarios": "x"})
    assert response.status_code == 200
    assert response.get_json()["listings"] == []


def test_the_preview_is_for_enterprise_members(client, create_user):
    assert client.post("/demands/preview", data=form_data()).status_code == 302
    login_as(client, create_user(role=UserRole.SUPPLIER))
    assert client.post("/demands/preview", data=form_data()).status_code == 403


def test_the_editor_renders_the_matches_without_javascript(enterprise_client, create_listing):
    create_listing(title="皮具表面划痕视觉检测系统", summary="深度学习识别皮面划痕、色差，替代人工目检")
    db.session.commit()
    response = enterprise_client.post("/demands/new", data=form_data(title="划" * 121))  # an error re-renders
    assert response.status_code == 422
    assert "皮具表面划痕视觉检测系统" in response.get_data(as_text=True).split("data-preview-list", 1)[1]


@pytest.fixture
def csrf_app():
    app = create_app({**{k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()},
                      "SQLALCHEMY_DATABASE_URI": "sqlite://", "WTF_CSRF_ENABLED": True})
    with app.app_context():
        db.create_all()
        from catalog_app.models import Organization, OrganizationKind, OrganizationTier, User
        from catalog_app.models._types import utcnow
        from catalog_app.taxonomy.services import load_taxonomy

        load_taxonomy()
        organization = Organization(name="某制造企业", credit_code="91440101MA5CSRF002",
                                    kind=OrganizationKind.ENTERPRISE, tier=OrganizationTier.SME)
        user = User(email="csrf-demands@example.com", password_hash="x", role=UserRole.ENTERPRISE,
                    organization=organization, email_verified_at=utcnow())
        db.session.add(user)
        db.session.commit()
        client = app.test_client()
        login_as(client, user)
        yield app, client
        db.session.remove()


@pytest.mark.parametrize("path", ["/demands/new", "/demands/preview"])
def test_posts_without_the_csrf_token_are_rejected(csrf_app, path):
    _app, client = csrf_app
    assert client.get("/demands/new").status_code == 200
    assert client.post(path, data=form_data()).status_code == 400
    assert db.session.query(Demand).count() == 0


def test_the_preview_accepts_the_token_in_the_header(csrf_app):
    _app, client = csrf_app
    html = client.get("/demands/new").get_data(as_text=True)
    token = html.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
    data = {key: value for key, value in form_data().items()}
    assert client.post("/demands/preview", data=data, headers={"X-CSRFToken": token}).status_code == 200
    assert client.post("/demands/new", data={**data, "csrf_token": token}).status_code == 302
    assert db.session.query(Demand).count() == 1


def test_status_changes_need_the_token_too(csrf_app):
    _app, client = csrf_app
    demand = Demand(organization_id=1, title="需求", summary="摘要")
    db.session.add(demand)
    db.session.commit()
    for action in ("submit", "withdraw", "close", "solve"):
        assert client.post(f"/demands/{demand.id}/{action}").status_code == 400
