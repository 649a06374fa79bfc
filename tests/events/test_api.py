"""The events API: list, one event with figures, round demands; JSON errors on bad input;
documented in the generated OpenAPI document."""
from __future__ import annotations

from datetime import timedelta

from catalog_app.extensions import db
from catalog_app.models import EventDemand, EventKind, EventStatus, RoundEntryStatus
from catalog_app.models._types import utcnow


def test_list_upcoming_first_then_past(client, create_event):
    create_event(days=-30, title="往期")
    create_event(days=5, title="即将", kind=EventKind.CHALLENGE)
    create_event(days=6, status=EventStatus.DRAFT, title="草稿")
    db.session.commit()
    body = client.get("/api/v1/events").get_json()
    assert [item["title"] for item in body["items"]] == ["即将", "往期"]
    assert body["pagination"]["total"] == 2
    item = body["items"][0]
    assert item["kind"] == "challenge" and item["registration_open"] is True
    assert item["starts_at"].endswith("+00:00") or item["starts_at"].endswith("Z")
    assert item["ics_url"].endswith(".ics")
    assert set(item["figures"]) == {"demands", "enterprises", "suppliers", "meetings_held", "agreements",
                                    "declared_value"}
    assert [i["title"] for i in client.get("/api/v1/events?when=past").get_json()["items"]] == ["往期"]
    assert [i["title"] for i in client.get("/api/v1/events?kind=challenge").get_json()["items"]] == ["即将"]
    assert client.get("/api/v1/events?per_page=1&page=2").get_json()["items"][0]["title"] == "往期"


def test_bad_query_is_a_json_4xx(client):
    for query in ("kind=party", "when=tomorrow", "page=0", "region=999999"):
        response = client.get(f"/api/v1/events?{query}")
        assert response.status_code in (400, 422), query
        assert response.is_json and response.get_json()["error"]["code"] == response.status_code


def test_one_event_with_criteria_and_no_private_fields(client, create_event, approve, enterprise):
    event = create_event(criteria="技术可行性 | 40\n应用价值 | 60", capacity=50,
                         registration_closes_at=utcnow() + timedelta(days=2))
    registration = approve(event, enterprise)
    registration.note = "内部备注"
    db.session.commit()
    body = client.get(f"/api/v1/events/{event.slug}").get_json()
    assert body["slug"] == event.slug and body["capacity"] == 50
    assert body["criteria"] == [{"name": "技术可行性", "weight": 40}, {"name": "应用价值", "weight": 60}]
    assert body["figures"]["enterprises"] == 1
    text = client.get(f"/api/v1/events/{event.slug}").get_data(as_text=True)
    assert "内部备注" not in text and enterprise.email not in text


def test_unknown_event_is_a_json_404(client):
    response = client.get("/api/v1/events/no-such-event")
    assert response.status_code == 404 and response.get_json()["error"]["code"] == 404
    assert client.get("/api/v1/events/no-such-event/demands").status_code == 404


def test_round_demands_are_public_fields_of_the_shortlist(client, create_event, create_demand):
    event = create_event(kind=EventKind.CHALLENGE)
    shortlisted, entered = create_demand(confidential_details="机密工艺"), create_demand()
    db.session.add_all([EventDemand(event_id=event.id, demand_id=shortlisted.id, status=RoundEntryStatus.SHORTLISTED,
                                    position=1),
                        EventDemand(event_id=event.id, demand_id=entered.id, status=RoundEntryStatus.ENTERED)])
    db.session.commit()
    items = client.get(f"/api/v1/events/{event.slug}/demands").get_json()["items"]
    assert [i["demand"]["id"] for i in items] == [shortlisted.id, entered.id]
    event.shortlist_published_at = utcnow()
    db.session.commit()
    response = client.get(f"/api/v1/events/{event.slug}/demands")
    assert [i["demand"]["id"] for i in response.get_json()["items"]] == [shortlisted.id]
    assert "机密工艺" not in response.get_data(as_text=True)


def test_openapi_documents_the_event_endpoints(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    for path in ("/api/v1/events", "/api/v1/events/{slug}", "/api/v1/events/{slug}/demands"):
        assert path in spec["paths"], path
    assert "Event" in spec["components"]["schemas"]
    zh = client.get("/api/v1/docs/openapi.json?lang=zh").get_json()
    assert "活动对接" in [tag["name"] for tag in zh["tags"]]
