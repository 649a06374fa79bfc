"""The .ics download: a valid RFC 5545 calendar with the event in UTC, escaped and folded."""
from __future__ import annotations

from datetime import datetime, timezone

from icalendar import Calendar

from catalog_app.extensions import db


def test_ics_holds_the_event_in_utc(client, create_event):
    event = create_event(title="2027 黄埔区人工智能供需对接会, 暨揭榜比拼; 第一场",
                         summary="上午对接，下午路演。" * 12, agenda="09:30 签到\n10:00 开幕")
    db.session.commit()
    response = client.get(f"/events/{event.slug}.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert f'filename="{event.slug}.ics"' in response.headers["Content-Disposition"]
    body = response.get_data()
    assert b"\r\n" in body and all(len(line) <= 75 for line in body.split(b"\r\n"))  # folded
    assert b"SUMMARY:2027 \xe9\xbb\x84" in body and b"\\," in body and b"\\;" in body  # escaped

    calendar = Calendar.from_ical(body)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    [entry] = calendar.walk("VEVENT")
    assert str(entry["SUMMARY"]) == event.title
    assert entry.decoded("DTSTART") == event.starts_at.replace(tzinfo=timezone.utc)
    assert entry.decoded("DTEND") == event.ends_at.replace(tzinfo=timezone.utc)
    assert b"DTSTART:" in body and body.split(b"DTSTART:")[1][:16].endswith(b"Z")
    assert str(entry["LOCATION"]) == "广州科学城会展中心"
    assert "09:30 签到\n10:00 开幕" in str(entry["DESCRIPTION"])
    assert str(entry["URL"]).endswith(f"/events/{event.slug}")
    assert str(entry["STATUS"]) == "CONFIRMED"
    assert isinstance(entry.decoded("DTSTAMP"), datetime)


def test_uid_is_stable_so_a_new_download_updates_the_entry(client, create_event):
    event = create_event()
    db.session.commit()
    first = Calendar.from_ical(client.get(f"/events/{event.slug}.ics").get_data())
    event.title = "改期后的对接会"
    db.session.commit()
    second = Calendar.from_ical(client.get(f"/events/{event.slug}.ics").get_data())
    [a], [b] = first.walk("VEVENT"), second.walk("VEVENT")
    assert str(a["UID"]) == str(b["UID"]) == f"event-{event.id}@localhost"
    assert str(b["SUMMARY"]) == "改期后的对接会"


def test_online_event_uses_its_link_as_location(client, create_event):
    event = create_event(venue="", online_url="https://meeting.example.com/j/123")
    db.session.commit()
    [entry] = Calendar.from_ical(client.get(f"/events/{event.slug}.ics").get_data()).walk("VEVENT")
    assert str(entry["LOCATION"]) == "https://meeting.example.com/j/123"
