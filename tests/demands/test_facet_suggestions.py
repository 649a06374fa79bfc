"""The demand editor's facet suggestions: industries and scenarios inferred from the typed text.

Runs on the demo catalog (scale 1, loaded once per module): the engine's classifier needs
enough tagged listings to learn from.
"""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from catalog_app.extensions import db
from catalog_app.models import Industry, Scenario, User
from catalog_app.recommendations import services as recommendations
from tests.conftest import login_as

INSPECTION = {"title": "注塑件外观缺陷视觉检测",
              "summary": "目前靠人工目检划痕、缩痕、飞边等外观缺陷，漏检率高，希望引入机器视觉在线检测。"}



@pytest.fixture
def enterprise_client(demo_app):
    client = demo_app.test_client()
    login_as(client, db.session.scalar(sa.select(User).where(User.email == "enterprise1@demo.example.com")))
    return client


def test_the_text_suggests_existing_scenarios_and_industries(enterprise_client):
    response = enterprise_client.post("/demands/facet-suggestions", data=INSPECTION)
    assert response.status_code == 200
    suggestions = response.get_json()["suggestions"]
    scenarios = [s for s in suggestions if s["field"] == "scenarios"]
    assert scenarios and scenarios[0]["label"].startswith("场景：")
    inspection = db.session.get(Scenario, scenarios[0]["id"])
    assert inspection.slug == "online-intelligent-inspection"
    for suggestion in suggestions:
        model = Scenario if suggestion["field"] == "scenarios" else Industry
        assert suggestion["field"] in ("scenarios", "industries")
        assert db.session.get(model, suggestion["id"]) is not None


def test_a_facet_already_chosen_is_not_suggested_again(enterprise_client):
    first = enterprise_client.post("/demands/facet-suggestions", data=INSPECTION).get_json()["suggestions"]
    chosen = next(s["id"] for s in first if s["field"] == "scenarios")
    again = enterprise_client.post("/demands/facet-suggestions",
                                   data={**INSPECTION, "scenarios": [str(chosen)]}).get_json()["suggestions"]
    assert chosen not in [s["id"] for s in again if s["field"] == "scenarios"]


def test_empty_text_suggests_nothing_and_suppliers_may_not_ask(demo_app, enterprise_client):
    assert enterprise_client.post("/demands/facet-suggestions", data={}).get_json() == {"suggestions": []}
    supplier = demo_app.test_client()
    login_as(supplier, db.session.scalar(sa.select(User).where(User.email == "supplier1@demo.example.com")))
    assert supplier.post("/demands/facet-suggestions", data=INSPECTION).status_code == 403


def test_names_outside_the_taxonomy_are_never_suggested(demo_app, monkeypatch):
    existing = db.session.scalars(sa.select(Scenario).order_by(Scenario.id)).first()
    monkeypatch.setattr(recommendations, "infer_facets", lambda index, text, top: {
        "scenario": [("<b>新场景</b>", 0.9), (existing.name_zh, 0.8), ("另一个", 0.1)], "industry": []})
    suggested = recommendations.suggest_facets("任意文字")
    assert suggested == {"scenario": [(existing, 0.8)], "industry": []}


def test_the_editor_page_carries_the_suggestion_panel_without_inline_script(enterprise_client):
    html = enterprise_client.get("/demands/new").get_data(as_text=True)
    assert 'data-suggest-url="/demands/facet-suggestions"' in html and "data-facet-suggestions" in html
    assert "根据您的描述推荐" in html
    assert "<script>" not in html
