"""Public reads: lists filter like the HTML facets, details show public fields only."""
from __future__ import annotations

import sqlalchemy as sa

from catalog_app.extensions import db
from catalog_app.models import Industry, ListingKind, ListingStatus, OrganizationTier, Scenario
from tests.api.conftest import SECRET_MARKER


def test_openapi_is_3_1_and_documents_every_resource(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"] == "3.1.0"
    for path in ("/api/v1/solutions", "/api/v1/products/{listing_id}", "/api/v1/cases", "/api/v1/demands",
                 "/api/v1/demands/{demand_id}/recommendations", "/api/v1/organizations/{organization_id}",
                 "/api/v1/taxonomy/industries", "/api/v1/taxonomy/scenarios", "/api/v1/taxonomy/technologies",
                 "/api/v1/taxonomy/regions", "/api/v1/scenarios/{slug}", "/api/v1/match", "/api/v1/me"):
        assert path in spec["paths"], path
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert "confidential_details" not in spec["components"]["schemas"]["Demand"]["properties"]


def test_lists_only_published_listings_of_the_kind(client, create_listing, seeded):
    create_listing(ListingKind.SOLUTION, status=ListingStatus.DRAFT, title="未发布方案")
    db.session.commit()
    body = client.get("/api/v1/solutions").get_json()
    assert [item["kind"] for item in body["items"]] == ["solution"]
    assert "未发布方案" not in str(body)
    assert body["pagination"] == {"page": 1, "per_page": 20, "total": 1, "pages": 1}


def test_facets_filter_like_the_html_pages(client, create_listing, create_organization, any_scenario):
    leader = create_organization(tier=OrganizationTier.CHAIN_LEADER)
    tagged = create_listing(title="带场景的方案", organization=leader)
    tagged.scenarios = [any_scenario]
    create_listing(title="无场景的方案")
    db.session.commit()
    assert [i["title"] for i in client.get(f"/api/v1/solutions?scenario={any_scenario.slug}").get_json()["items"]] \
        == ["带场景的方案"]
    assert [i["title"] for i in client.get("/api/v1/solutions?tier=chain_leader").get_json()["items"]] \
        == ["带场景的方案"]
    unknown = client.get("/api/v1/solutions?scenario=no-such-scenario")
    assert unknown.status_code == 400 and "error" in unknown.get_json()
    repeated = client.get(f"/api/v1/solutions?scenario={any_scenario.slug}&scenario=x")
    assert repeated.status_code == 400


def test_q_searches_through_the_matching_engine(client, create_listing):
    create_listing(title="焊缝视觉检测系统", keywords="焊缝 检测")
    create_listing(title="仓储物流调度平台", summary="仓库", body="物流")
    db.session.commit()
    titles = [i["title"] for i in client.get("/api/v1/solutions?q=焊缝检测").get_json()["items"]]
    assert titles and titles[0] == "焊缝视觉检测系统"
    assert "仓储物流调度平台" not in titles


def test_pagination_bounds(client, create_listing):
    for n in range(3):
        create_listing(title=f"方案 {n}")
    db.session.commit()
    body = client.get("/api/v1/solutions?per_page=2&page=2").get_json()
    assert len(body["items"]) == 1 and body["pagination"]["pages"] == 2
    for query in ("per_page=0", "per_page=101", "page=0", "page=x"):
        response = client.get(f"/api/v1/solutions?{query}")
        assert response.status_code == 422, query
        assert response.get_json()["error"]["fields"]
    assert client.get("/api/v1/solutions?page=9").status_code == 404


def test_demand_detail_has_public_fields_only(client, seeded):
    public = client.get(f"/api/v1/demands/{seeded['public'].id}")
    assert public.status_code == 200
    assert public.get_json()["background"] == "产线背景"
    locked = client.get(f"/api/v1/demands/{seeded['locked'].id}").get_json()
    assert locked["is_locked"] is True and locked["background"] is None
    assert client.get(f"/api/v1/demands/{seeded['draft'].id}").status_code == 404
    for response in (public, client.get("/api/v1/demands"), client.get(f"/api/v1/demands/{seeded['locked'].id}")):
        assert SECRET_MARKER not in response.get_data(as_text=True)
        assert "confidential_details" not in response.get_data(as_text=True)


def test_organizations_show_no_contact_details(client, create_organization, create_listing):
    organization = create_organization(contact_phone="13800000000", contact_email="boss@example.com")
    create_listing(organization=organization)
    db.session.commit()
    items = client.get("/api/v1/organizations").get_json()["items"]
    assert items[0]["listing_count"] == 1
    text = client.get(f"/api/v1/organizations/{organization.id}").get_data(as_text=True)
    assert "13800000000" not in text and "boss@example.com" not in text


def test_taxonomy_and_scenarios(client, any_scenario):
    industries = client.get("/api/v1/taxonomy/industries").get_json()
    assert len(industries) == db.session.scalar(sa.select(sa.func.count()).select_from(Industry)
                                                .where(Industry.is_pillar.is_(True)))
    assert all(item["is_pillar"] and item["gbt_codes"] for item in industries)
    assert client.get("/api/v1/taxonomy/regions").get_json()[0]["code"]
    assert client.get("/api/v1/taxonomy/technologies").get_json()
    assert len(client.get("/api/v1/scenarios").get_json()) == db.session.scalar(
        sa.select(sa.func.count()).select_from(Scenario))
    detail = client.get(f"/api/v1/scenarios/{any_scenario.slug}").get_json()
    assert detail["listing_count"] == 0 and detail["pain_points_zh"]
    assert client.get("/api/v1/scenarios/nope").status_code == 404


def test_match_returns_recommendations_with_reasons(client, create_listing, any_scenario):
    listing = create_listing(title="皮具表面缺陷视觉检测方案", keywords="视觉检测 缺陷检测")
    listing.scenarios = [any_scenario]
    db.session.commit()
    response = client.post("/api/v1/match", json={"text": "我们需要皮具表面缺陷视觉检测", "scenario": [any_scenario.slug]})
    items = response.get_json()["items"]
    assert response.status_code == 200 and items[0]["listing"]["id"] == listing.id
    assert items[0]["reasons"] and 0 <= items[0]["percent"] <= 100 and items[0]["explanation"]
    # percent is the calibrated confidence on a 0-100 bar; strong follows the app's one threshold.
    assert 0 < items[0]["confidence"] < 1 and items[0]["percent"] == round(items[0]["confidence"] * 100)
    assert items[0]["strong"] is (items[0]["confidence"] >= client.application.config["STRONG_MATCH_CONFIDENCE"])
    client.application.config["STRONG_MATCH_CONFIDENCE"] = items[0]["confidence"]
    again = client.post("/api/v1/match", json={"text": "我们需要皮具表面缺陷视觉检测", "scenario": [any_scenario.slug]})
    assert again.get_json()["items"][0]["strong"] is True
    assert client.post("/api/v1/match", json={"text": "x", "scenario": ["nope"]}).status_code == 422
