"""The yearly typical-scenario lists: public reading, moderator-only changes with CSRF and audit."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from catalog_app import create_app
from catalog_app.config import TestConfig
from catalog_app.extensions import db
from catalog_app.models import AuditEntry, Scenario, ScenarioSelection, UserRole
from catalog_app.scenarios import selections
from tests.conftest import login_as


def _scenario(app) -> Scenario:
    return db.session.scalar(sa.select(Scenario).order_by(Scenario.id))


def test_moderator_adds_and_removes_entries_with_audit(client, create_user):
    moderator = create_user(UserRole.MODERATOR)
    scenario = _scenario(None)
    login_as(client, moderator)

    response = client.post("/scenarios/typical/2025/entries",
                           data={"scenario_id": scenario.id, "citation": "广州市典型场景清单第7项", "is_top": "y"})
    assert response.status_code == 302
    entry = db.session.scalar(sa.select(ScenarioSelection))
    assert (entry.year, entry.scenario_id, entry.is_top, entry.citation) == (2025, scenario.id, True, "广州市典型场景清单第7项")

    page = client.get("/scenarios/typical/2025").get_data(as_text=True)
    assert "广州市典型场景清单第7项" in page and scenario.name_zh in page
    assert "广州市典型场景清单第7项" not in client.get("/scenarios/typical/2024").get_data(as_text=True)
    assert "/scenarios/typical/2025" in client.get("/scenarios/typical").headers["Location"]
    assert "2025" in client.get(f"/scenarios/{scenario.slug}").get_data(as_text=True)

    # The same scenario twice in one year is refused, not duplicated.
    client.post("/scenarios/typical/2025/entries", data={"scenario_id": scenario.id, "citation": "again, twice"})
    assert db.session.scalar(sa.select(sa.func.count(ScenarioSelection.id))) == 1

    assert client.post(f"/scenarios/typical/2025/entries/{entry.id}/remove").status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(ScenarioSelection.id))) == 0
    actions = db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["scenario_selection.add", "scenario_selection.remove"]


def test_citation_is_required(client, create_user):
    login_as(client, create_user(UserRole.ADMIN))
    response = client.post("/scenarios/typical/2025/entries", data={"scenario_id": _scenario(None).id, "citation": ""})
    assert response.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(ScenarioSelection.id))) == 0


@pytest.mark.parametrize("role", [UserRole.SUPPLIER, UserRole.ENTERPRISE])
def test_others_may_not_change_lists(client, create_user, role):
    scenario = _scenario(None)
    moderator = create_user(UserRole.MODERATOR)
    entry = selections.add_selection(moderator, 2025, scenario.id, "典型场景")
    login_as(client, create_user(role))

    assert client.post("/scenarios/typical/2025/entries",
                       data={"scenario_id": scenario.id, "citation": "my own pick"}).status_code == 403
    assert client.post(f"/scenarios/typical/2025/entries/{entry.id}/remove").status_code == 403
    page = client.get("/scenarios/typical/2025").get_data(as_text=True)
    assert "典型场景" in page and "/remove" not in page  # no management forms for them
    assert db.session.scalar(sa.select(sa.func.count(ScenarioSelection.id))) == 1


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.post("/scenarios/typical/2025/entries", data={"scenario_id": 1, "citation": "x" * 10})
    assert response.status_code in (302, 401)
    assert db.session.scalar(sa.select(sa.func.count(ScenarioSelection.id))) == 0


def test_year_out_of_range_is_404(client):
    assert client.get("/scenarios/typical/1900").status_code == 404


@pytest.fixture
def csrf_app():
    settings = {name: getattr(TestConfig, name) for name in dir(TestConfig) if name.isupper()}
    app = create_app({**settings, "WTF_CSRF_ENABLED": True})
    with app.app_context():
        db.create_all()
        from catalog_app.taxonomy.services import load_taxonomy

        load_taxonomy()
        yield app
        db.session.remove()


def test_changes_need_a_csrf_token(csrf_app):
    from catalog_app.models import User

    moderator = User(email="mod@example.com", password_hash="x", role=UserRole.MODERATOR)
    db.session.add(moderator)
    db.session.flush()
    scenario = _scenario(None)
    entry = selections.add_selection(moderator, 2025, scenario.id, "典型场景")
    client = csrf_app.test_client()
    login_as(client, moderator)

    other = db.session.scalars(sa.select(Scenario).order_by(Scenario.id.desc())).first()
    assert client.post("/scenarios/typical/2025/entries",
                       data={"scenario_id": other.id, "citation": "no token here"}).status_code == 400
    assert client.post(f"/scenarios/typical/2025/entries/{entry.id}/remove").status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(ScenarioSelection.id))) == 1

    page = client.get("/scenarios/typical/2025").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/scenarios/typical/2025/entries",
                           data={"scenario_id": other.id, "citation": "with a token", "csrf_token": token})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(ScenarioSelection.id))) == 2
