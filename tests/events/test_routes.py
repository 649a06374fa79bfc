"""The pages: staff create an event through the form (times typed in UTC+8, stored in UTC),
edit and publish it; the nav link, the list filters and the workbench panel."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from catalog_app.extensions import db
from catalog_app.models import AuditEntry, Event, EventKind, EventStatus, Region, RegistrationStatus
from tests.conftest import login_as


def _form(**overrides) -> dict:
    data = {"title": "2027 南沙人工智能对接会", "kind": "matchmaking", "organiser_name": "南沙区科工信局",
            "starts_at": "2027-04-20T09:00", "ends_at": "2027-04-20T17:30", "venue": "南沙国际会议中心",
            "online_url": "", "region": "", "registration_opens_at": "", "registration_closes_at": "2027-04-13T18:00",
            "capacity": "80", "meeting_minutes": "20", "meeting_tables": "12", "criteria": "技术可行性 | 50\n价值 | 50",
            "summary": "", "agenda": "09:00 签到"}
    data.update(overrides)
    return data


def test_staff_create_edit_and_publish_through_the_pages(client, moderator):
    login_as(client, moderator)
    response = client.post("/events/new", data=_form())
    assert response.status_code == 302
    event = db.session.scalar(sa.select(Event))
    assert response.headers["Location"].endswith(f"/events/{event.slug}")
    assert event.status is EventStatus.DRAFT and event.slug == f"2027-matchmaking-{event.id}"
    assert event.starts_at == datetime(2027, 4, 20, 1, 0)  # 09:00 Beijing time is 01:00 UTC
    assert event.registration_closes_at == datetime(2027, 4, 13, 10, 0)
    edit_page = client.get(f"/events/{event.slug}/edit").get_data(as_text=True)
    assert 'value="2027-04-20T09:00"' in edit_page  # shown back in Beijing time

    assert client.post(f"/events/{event.slug}/edit", data=_form(title="改名", kind="roadshow")).status_code == 302
    db.session.refresh(event)
    assert (event.title, event.kind) == ("改名", EventKind.ROADSHOW)
    assert client.get(f"/events/{event.slug}").status_code == 200  # staff see the draft
    assert client.post(f"/events/{event.slug}/publish").status_code == 302
    db.session.refresh(event)
    assert event.status is EventStatus.PUBLISHED
    actions = set(db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.object_type == "event")))
    assert actions == {"event_created", "event_updated", "event_published"}


def test_bad_input_is_a_form_message_not_a_500(client, moderator):
    login_as(client, moderator)
    for overrides, message in (({"ends_at": "2027-04-19T09:00"}, "结束时间须晚于开始时间"),
                               ({"criteria": "只有名称"}, "名称 | 权重"),
                               ({"online_url": "javascript:alert(1)"}, "完整网址"),
                               ({"starts_at": "明天"}, ""),
                               ({"kind": "party"}, ""),
                               ({"registration_closes_at": "2027-05-01T09:00"}, "报名须在活动结束前截止")):
        response = client.post("/events/new", data=_form(**overrides))
        assert response.status_code == 422, overrides
        assert message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Event.id))) == 0


def test_nav_link_and_list_filters(client, create_event):
    foshan = db.session.scalar(sa.select(Region).where(Region.code == "440600"))
    create_event(title="佛山揭榜", region_id=foshan.id, kind=EventKind.CHALLENGE)
    create_event(title="广州路演", kind=EventKind.ROADSHOW)
    db.session.commit()
    home = client.get("/").get_data(as_text=True)
    assert 'href="/events"' in home and "活动对接" in home
    assert "广州路演" not in client.get("/events?region=440600").get_data(as_text=True)
    page = client.get("/events?kind=roadshow").get_data(as_text=True)
    assert "广州路演" in page and "佛山揭榜" not in page
    assert client.get("/events?kind=nonsense&region=%00").status_code == 200


def test_workbench_lists_my_events(client, create_event, approve, enterprise):
    event = create_event(title="黄埔对接会")
    approve(event, enterprise, status=RegistrationStatus.PENDING)
    db.session.commit()
    login_as(client, enterprise)
    page = client.get("/workbench").get_data(as_text=True)
    assert "我的活动" in page and "黄埔对接会" in page and "待审核" in page


def test_staff_workbench_links_to_the_events(client, moderator):
    login_as(client, moderator)
    page = client.get("/workbench").get_data(as_text=True)
    assert "活动管理" in page and 'href="/events"' in page


def test_registration_mails_have_previews(app):
    from catalog_app.notifications.previews import render_preview

    with app.test_request_context():
        text, html = render_preview("events_registration_approved", "zh")
    assert "2027 黄埔区人工智能供需对接会" in text and "09:30" in text and "<html" in html


def test_the_list_page_costs_the_same_for_2_or_10_events(client, create_event, count_queries):
    foshan = db.session.scalar(sa.select(Region.id).where(Region.code == "440600"))

    def events(n):
        for day in range(n):
            create_event(days=day - n // 2 + 0.5, region_id=foshan)
        db.session.commit()

    events(2)
    client.get("/events")
    with count_queries() as few:
        client.get("/events")
    events(8)
    with count_queries() as many:
        page = client.get("/events")
    assert page.status_code == 200
    assert many.count == few.count, many.statements[few.count:]
