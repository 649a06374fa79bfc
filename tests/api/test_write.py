"""Writes with personal tokens: scopes, ownership, and field errors for bad input."""
from __future__ import annotations

import sqlalchemy as sa

from catalog_app.api import tokens
from catalog_app.extensions import db
from catalog_app.models import ApiToken, Demand, DemandStatus, Listing, ListingKind, ListingStatus, UserRole

DEMAND = {"title": "注塑件表面缺陷自动检测", "summary": "需要识别注塑件表面划痕、缩水，准确率≥99%",
          "requirements": "节拍≤2秒/件，支持产线在线部署", "confidential_details": "客户名单"}


def test_enterprise_posts_a_draft_then_a_submitted_demand(client, make_token):
    user, headers = make_token(UserRole.ENTERPRISE)
    draft = client.post("/api/v1/demands", json=DEMAND, headers=headers)
    assert draft.status_code == 201, draft.get_json()
    body = draft.get_json()
    assert body["outcome"] == "saved" and body["demand"]["status"] == "draft"
    assert "客户名单" not in draft.get_data(as_text=True)
    assert draft.headers["Location"].endswith(f"/api/v1/demands/{body['demand']['id']}")
    submitted = client.post("/api/v1/demands", json={**DEMAND, "submit": True, "accept_low_quality": True},
                            headers=headers).get_json()
    assert submitted["outcome"] == "submitted" and submitted["demand"]["status"] == "pending_review"
    stored = db.session.get(Demand, body["demand"]["id"])
    assert stored.organization_id == user.organization_id and stored.confidential_details == "客户名单"


def test_demand_taxonomy_by_code_and_unknown_codes(client, make_token, any_scenario):
    _, headers = make_token(UserRole.ENTERPRISE)
    ok = client.post("/api/v1/demands", json={**DEMAND, "scenarios": [any_scenario.slug], "region": "440100"},
                     headers=headers)
    assert ok.get_json()["demand"]["scenarios"][0]["slug"] == any_scenario.slug
    bad = client.post("/api/v1/demands", json={**DEMAND, "scenarios": ["nope"]}, headers=headers)
    assert bad.status_code == 422 and "scenarios" in bad.get_json()["error"]["fields"]
    # Industries are the clusters: a GB/T division code is refused, never a new facet value.
    division = client.post("/api/v1/demands", json={**DEMAND, "industries": ["C29"]}, headers=headers)
    assert division.status_code == 422 and "industries" in division.get_json()["error"]["fields"]
    cluster = client.post("/api/v1/demands", json={**DEMAND, "industries": ["plastics"]}, headers=headers)
    assert [i["code"] for i in cluster.get_json()["demand"]["industries"]] == ["plastics"]


def test_bad_input_gets_field_errors(client, make_token):
    _, headers = make_token(UserRole.ENTERPRISE)
    cases = {
        "wrong type": ({**DEMAND, "title": 5}, "title"),
        "unknown field": ({**DEMAND, "tittle": "x"}, "tittle"),
        "too long": ({**DEMAND, "title": "长" * 121}, "title"),
        "missing": ({"summary": "x"}, "title"),
        "nul": ({**DEMAND, "summary": "a\x00b"}, "summary"),
        "budget order": ({**DEMAND, "budget_min": 9, "budget_max": 1}, "budget_max"),
        "bad date": ({**DEMAND, "deadline": "tomorrow"}, "deadline"),
    }
    for name, (payload, field) in cases.items():
        response = client.post("/api/v1/demands", json=payload, headers=headers)
        assert response.status_code == 422, name
        assert field in response.get_json()["error"]["fields"], (name, response.get_json())
    invalid_json = client.post("/api/v1/demands", data="{", content_type="application/json", headers=headers)
    assert invalid_json.status_code == 400 and invalid_json.get_json()["error"]["code"] == 400
    form = client.post("/api/v1/demands", data={"title": "x"}, headers=headers)
    assert form.status_code == 415
    huge = client.post("/api/v1/demands", data=b'{"title": "' + b"x" * 300_000 + b'"}',
                       content_type="application/json", headers=headers)
    assert huge.status_code == 413 and huge.get_json()["error"]["code"] == 413
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Demand)) == 0


def test_tokens_are_refused_without_the_right_scope_or_role(client, make_token, create_user):
    assert client.post("/api/v1/demands", json=DEMAND).status_code == 401
    _, supplier = make_token(UserRole.SUPPLIER)
    assert client.post("/api/v1/demands", json=DEMAND, headers=supplier).status_code == 403
    _, read_only = make_token(UserRole.ENTERPRISE, scopes=())
    assert client.post("/api/v1/demands", json=DEMAND, headers=read_only).status_code == 403
    wrong = client.post("/api/v1/demands", json=DEMAND, headers={"Authorization": "Bearer sc_wrong"})
    assert wrong.status_code == 401 and wrong.headers["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/api/v1/solutions", headers={"Authorization": "Basic abc"}).status_code == 401


def test_revoked_token_is_refused(client, make_token):
    user, headers = make_token(UserRole.ENTERPRISE)
    assert client.get("/api/v1/me", headers=headers).get_json()["scopes"] == ["demands:write"]
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.user_id == user.id))
    tokens.revoke_token(user, token.id)
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    assert client.post("/api/v1/demands", json=DEMAND, headers=headers).status_code == 401


def test_tokens_are_stored_hashed(make_token):
    _, headers = make_token(UserRole.SUPPLIER)
    secret = headers["Authorization"].split()[1]
    token = db.session.scalar(sa.select(ApiToken))
    assert token.token_hash == tokens.hash_token(secret) and secret not in (token.token_hash, token.prefix)


def test_supplier_creates_and_updates_own_listing(client, make_token, any_scenario):
    _, headers = make_token(UserRole.SUPPLIER)
    created = client.post("/api/v1/cases", headers=headers, json={
        "title": "汽车焊装视觉检测案例", "summary": "焊点缺陷检测", "customer_name": "某车企",
        "scenarios": [any_scenario.slug],
        "outcomes": [{"metric": "defect_rate", "label": "漏检率", "before_value": 5, "after_value": 1, "unit": "%"}]})
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["status"] == "draft" and body["outcomes"][0]["change_percent"] == -80.0
    patched = client.patch(f"/api/v1/cases/{body['id']}", headers=headers, json={"title": "改过的标题", "submit": True})
    assert patched.status_code == 200 and patched.get_json()["status"] == "pending_review"
    assert patched.get_json()["customer_name"] == "某车企"  # untouched fields stay
    foreign = client.post("/api/v1/solutions", headers=headers, json={"title": "方案", "customer_name": "x"})
    assert foreign.status_code == 422 and "customer_name" in foreign.get_json()["error"]["fields"]


def test_a_token_never_reaches_another_organizations_listing(client, make_token, create_listing):
    _, headers = make_token(UserRole.SUPPLIER)
    published = create_listing(ListingKind.SOLUTION)
    draft = create_listing(ListingKind.SOLUTION, status=ListingStatus.DRAFT)
    db.session.commit()
    assert client.patch(f"/api/v1/solutions/{published.id}", json={"title": "抢占"}, headers=headers).status_code == 403
    assert client.patch(f"/api/v1/solutions/{draft.id}", json={"title": "抢占"}, headers=headers).status_code == 404
    assert client.patch(f"/api/v1/products/{published.id}", json={"title": "抢占"}, headers=headers).status_code == 404
    db.session.expire_all()
    assert db.session.get(Listing, published.id).title != "抢占"


def test_archived_listing_conflicts(client, make_token, create_listing):
    user, headers = make_token(UserRole.SUPPLIER)
    archived = create_listing(ListingKind.PRODUCT, organization=user.organization, status=ListingStatus.ARCHIVED)
    db.session.commit()
    assert client.patch(f"/api/v1/products/{archived.id}", json={"title": "新标题"}, headers=headers).status_code == 409


def test_recommendations_for_own_demand_only(client, make_token, create_demand, create_listing):
    user, headers = make_token(UserRole.ENTERPRISE)
    own = create_demand(organization=user.organization, status=DemandStatus.DRAFT, title="皮具表面缺陷视觉检测")
    other = create_demand(title="皮具表面缺陷视觉检测")
    create_listing(title="皮具表面缺陷视觉检测方案")
    db.session.commit()
    response = client.get(f"/api/v1/demands/{own.id}/recommendations", headers=headers)
    assert response.status_code == 200 and response.get_json()["items"][0]["reasons"]
    assert client.get(f"/api/v1/demands/{own.id}/recommendations").status_code == 404
    assert client.get(f"/api/v1/demands/{other.id}/recommendations", headers=headers).status_code == 403
