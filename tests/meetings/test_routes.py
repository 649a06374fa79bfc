"""The meetings pages: who may see what, the booking round trip through the views, the
notices in the outbox, the .ics, the agenda e-mail, outcomes, follow-ups and the API."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import render_template_string
from icalendar import Calendar

from catalog_app.api import tokens
from catalog_app.extensions import db
from catalog_app.meetings import scheduler, services
from catalog_app.publishing.worker import Worker
from catalog_app.models import (
    Meeting,
    MeetingOutcome,
    MeetingStatus,
    OutboxMessage,
    OutcomeKind,
    UserRole,
)
from tests.conftest import login_as


def _outbox(kind: str) -> list[OutboxMessage]:
    return list(db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == kind)
                                   .order_by(OutboxMessage.id)))


def test_only_participants_and_staff_get_in(client, event, parties, create_user):
    base = f"/events/{event.slug}/meetings"
    assert client.get(base + "/").status_code == 302  # to the login page
    login_as(client, create_user(role=UserRole.SUPPLIER))  # not registered
    assert client.get(base + "/").status_code == 403
    assert client.get(base + "/agenda").status_code == 403
    assert client.get(base + "/grid").status_code == 403
    assert client.get(base + "/slots").status_code == 403
    login_as(client, parties[0].attendee)
    assert client.get(base + "/grid").status_code == 403
    assert client.get(base + "/agenda").status_code == 200
    login_as(client, create_user(role=UserRole.MODERATOR, organization=None))
    assert client.get(base + "/grid").status_code == 200
    assert client.get("/events/no-such-event/meetings/").status_code == 404


def test_enterprise_sees_the_matching_supplier_first_with_reasons(client, event, parties):
    enterprise, vision, agv = parties
    login_as(client, enterprise.attendee)
    page = client.get(f"/events/{event.slug}/meetings/").get_data(as_text=True)
    assert page.index("广州视觉智能科技有限公司") < page.index("深圳仓储机器人有限公司")
    assert "匹配原因" in page or "match-reasons" in page
    assert page.count('name="slot_id"') == 2


def test_supplier_sees_the_enterprise_with_reasons(client, event, parties):
    enterprise, vision, agv = parties
    login_as(client, vision.attendee)
    page = client.get(f"/events/{event.slug}/meetings/").get_data(as_text=True)
    assert "佛山皮具制造有限公司" in page and "match-reasons" in page
    assert "深圳仓储机器人有限公司" not in page  # same side


def test_booking_round_trip_with_notices(client, event, parties):
    enterprise, vision, agv = parties
    base = f"/events/{event.slug}/meetings"
    slot = event.slots[1]
    login_as(client, enterprise.attendee)
    response = client.post(f"{base}/request/{vision.id}", data={"slot_id": slot.id, "message": "想看演示"})
    assert response.status_code == 302 and response.location.endswith("/agenda")
    meeting = db.session.scalar(sa.select(Meeting))
    assert meeting.status is MeetingStatus.REQUESTED and meeting.reason and meeting.demand_id
    assert [m.recipient for m in _outbox("meetings_notice")] == [vision.attendee.email]
    # The enterprise cannot accept its own request.
    client.post(f"{base}/{meeting.id}/accept")
    db.session.refresh(meeting)
    assert meeting.status is MeetingStatus.REQUESTED

    login_as(client, vision.attendee)
    assert "想看演示" in client.get(f"{base}/agenda").get_data(as_text=True)
    client.post(f"{base}/{meeting.id}/accept")
    db.session.refresh(meeting)
    assert meeting.status is MeetingStatus.ACCEPTED and meeting.table_number == 1 and len(meeting.seats) == 2
    assert [m.recipient for m in _outbox("meetings_notice")][-1] == enterprise.attendee.email

    # Both agendas show it; the .ics has it in UTC.
    for person in (enterprise, vision):
        login_as(client, person.attendee)
        assert f'data-meeting="{meeting.id}"' in client.get(f"{base}/agenda").get_data(as_text=True)
    ics = client.get(f"{base}/agenda.ics")
    assert ics.mimetype == "text/calendar"
    entry = Calendar.from_ical(ics.data).walk("VEVENT")[0]
    assert entry.decoded("dtstart").replace(tzinfo=None) == slot.starts_at
    assert "佛山皮具制造有限公司" in str(entry.get("summary"))

    # The slot is no longer offered to the enterprise for the other supplier.
    login_as(client, enterprise.attendee)
    response = client.post(f"{base}/request/{agv.id}", data={"slot_id": slot.id})
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Meeting)) == 1

    # The organiser moves it; both hear. Then the supplier cancels; the enterprise hears.
    notices = len(_outbox("meetings_notice"))
    services.move_meeting(meeting, event.slots[2].id, 2)
    assert len(_outbox("meetings_notice")) == notices + 2
    login_as(client, vision.attendee)
    client.post(f"{base}/{meeting.id}/cancel")
    db.session.refresh(meeting)
    assert meeting.status is MeetingStatus.CANCELLED and meeting.seats == []
    assert _outbox("meetings_notice")[-1].recipient == enterprise.attendee.email


def test_a_taken_slot_answers_with_a_message_not_a_500(client, event, parties):
    enterprise, vision, agv = parties
    base = f"/events/{event.slug}/meetings"
    slot = event.slots[0]
    first = services.request_meeting(enterprise, vision.id, slot.id)
    second = services.request_meeting(agv, enterprise.id, slot.id)
    services.accept_meeting(vision, first.id)
    login_as(client, enterprise.attendee)
    response = client.post(f"{base}/{second.id}/accept", follow_redirects=True)
    assert response.status_code == 200
    db.session.refresh(second)
    assert second.status is MeetingStatus.REQUESTED


def test_agenda_email_and_staff_pages(client, event, parties, create_user):
    enterprise, vision, agv = parties
    meeting = services.request_meeting(enterprise, vision.id, event.slots[0].id)
    services.accept_meeting(vision, meeting.id)
    login_as(client, enterprise.attendee)
    client.post(f"/events/{event.slug}/meetings/agenda/email")
    mail = _outbox("meetings_agenda")
    assert len(mail) == 1 and "广州视觉智能科技有限公司" in mail[0].body_text and "UTC+8" in mail[0].body_text

    login_as(client, create_user(role=UserRole.MODERATOR, organization=None))
    grid = client.get(f"/events/{event.slug}/meetings/grid").get_data(as_text=True)
    assert "广州视觉智能科技有限公司" in grid and f"/meetings/{meeting.id}/move" in grid
    response = client.post(f"/events/{event.slug}/meetings/{meeting.id}/move",
                           data={"slot_id": event.slots[3].id, "table": 2})
    assert response.status_code == 302
    db.session.refresh(meeting)
    assert meeting.slot_id == event.slots[3].id and meeting.table_number == 2

    response = client.post(f"/events/{event.slug}/meetings/slots",
                           data={"day": "2030-05-06", "start": "09:00", "end": "10:00", "breaks": "9:20-9:40"})
    assert response.status_code == 302
    assert len(event.slots) == 4 + 2
    bad = client.post(f"/events/{event.slug}/meetings/slots",
                      data={"day": "2030-05-06", "start": "09:00", "end": "10:00", "breaks": "lunch"})
    assert bad.status_code == 422


def test_outcomes_and_follow_up_once(client, runner, make_event, register, enterprise, supplier):
    from catalog_app.models import EventSide

    event = make_event(days_ahead=-3)
    event.ends_at = event.starts_at + timedelta(hours=8)
    e = register(event, enterprise, EventSide.ENTERPRISE)
    s = register(event, supplier, EventSide.SUPPLIER)
    meeting = Meeting(event=event, slot=event.slots[0], requester=e, invitee=s)
    db.session.add(meeting)
    db.session.flush()
    scheduler.book(meeting)
    db.session.commit()

    assert "2 follow-up" in runner.invoke(args=["meetings", "follow-up"]).output
    assert "0 follow-up" in runner.invoke(args=["meetings", "follow-up"]).output
    mails = _outbox("meetings_follow_up")
    assert sorted(m.recipient for m in mails) == sorted([enterprise.email, supplier.email])
    assert f"/meetings/{meeting.id}/outcome" in mails[0].body_text

    login_as(client, enterprise)
    url = f"/events/{event.slug}/meetings/{meeting.id}/outcome"
    assert client.get(url).status_code == 200
    assert client.post(url, data={"outcome": "intent", "amount": "120", "note": "三个月内试点"}).status_code == 302
    assert client.post(url, data={"outcome": "bogus"}).status_code == 422
    outcome = db.session.scalar(sa.select(MeetingOutcome))
    assert outcome.outcome is OutcomeKind.INTENT and outcome.amount == 120 and outcome.registration_id == e.id
    login_as(client, supplier)
    client.post(url, data={"outcome": "follow_up", "amount": "50"})
    answers = {o.registration_id: o for o in db.session.scalars(sa.select(MeetingOutcome))}
    assert answers[s.id].outcome is OutcomeKind.FOLLOW_UP and answers[s.id].amount is None


def test_outcome_waits_for_the_meeting(client, event, parties):
    enterprise, vision, agv = parties
    meeting = services.request_meeting(enterprise, vision.id, event.slots[0].id)
    services.accept_meeting(vision, meeting.id)
    login_as(client, enterprise.attendee)
    url = f"/events/{event.slug}/meetings/{meeting.id}/outcome"
    assert client.post(url, data={"outcome": "no_fit"}).status_code == 422
    login_as(client, agv.attendee)  # not a party
    assert client.get(url).status_code == 404


def test_event_panel_for_participant_and_staff(app, client, event, parties, create_user):
    enterprise, vision, agv = parties
    services.request_meeting(enterprise, vision.id, event.slots[0].id)
    login_as(client, vision.attendee)
    with app.test_request_context():
        from flask_login import login_user

        login_user(vision.attendee)
        html = render_template_string("{{ meetings_panel(event) }}", event=event)
        assert f"/events/{event.slug}/meetings/agenda" in html and "meetings-panel" in html
        login_user(create_user(role=UserRole.ADMIN, organization=None))
        html = render_template_string("{{ meetings_panel(event) }}", event=event)
        assert f"/events/{event.slug}/meetings/grid" in html


def test_api_agenda(client, event, parties, create_user):
    enterprise, vision, agv = parties
    meeting = services.request_meeting(enterprise, vision.id, event.slots[0].id)
    services.accept_meeting(vision, meeting.id)
    url = f"/api/v1/events/{event.slug}/agenda"
    assert client.get(url).status_code == 401
    secret = tokens.create_token(vision.attendee, "test", tokens.scopes_for(vision.attendee)).secret
    body = client.get(url, headers={"Authorization": f"Bearer {secret}"}).get_json()
    assert body["meetings"][0]["counterpart"] == "佛山皮具制造有限公司"
    assert body["meetings"][0]["starts_at"].endswith(("Z", "+00:00"))
    outsider = create_user(role=UserRole.SUPPLIER)
    db.session.commit()
    secret = tokens.create_token(outsider, "test", tokens.scopes_for(outsider)).secret
    assert client.get(url, headers={"Authorization": f"Bearer {secret}"}).status_code == 403
    login_as(client, enterprise.attendee)  # the session works too
    assert client.get(url).get_json()["meetings"][0]["table"] == 1
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "/api/v1/events/{slug}/agenda" in spec["paths"]


def test_the_email_worker_asks_for_outcomes_once(make_event, register, enterprise, supplier):
    from catalog_app.models import EventSide
    from catalog_app.notifications.outbox import DispatchReport

    class NoDispatch:
        def dispatch_due(self):
            return DispatchReport()

        def close(self):
            pass

    event = make_event(days_ahead=-2)
    meeting = Meeting(event=event, slot=event.slots[0], requester=register(event, enterprise, EventSide.ENTERPRISE),
                      invitee=register(event, supplier, EventSide.SUPPLIER))
    db.session.add(meeting)
    db.session.flush()
    scheduler.book(meeting)
    db.session.commit()
    clock = {"seconds": 0.0}
    worker = Worker(monotonic=lambda: clock["seconds"], dispatcher=NoDispatch())
    assert worker.tick().errors == []
    clock["seconds"] += 3600
    worker.tick()
    assert len(_outbox("meetings_follow_up")) == 2


def test_follow_ups_only_ask_about_recently_ended_events(app, make_event, register, enterprise, supplier):
    """The job runs with every worker scan: events older than the window are not re-read."""
    from catalog_app.models import EventSide

    event = make_event(days_ahead=-30)
    event.ends_at = event.starts_at + timedelta(hours=8)
    meeting = Meeting(event=event, slot=event.slots[0], requester=register(event, enterprise, EventSide.ENTERPRISE),
                      invitee=register(event, supplier, EventSide.SUPPLIER))
    db.session.add(meeting)
    db.session.flush()
    scheduler.book(meeting)
    db.session.commit()

    assert services.queue_follow_ups() == 0
    app.config["MEETING_FOLLOW_UP_WINDOW_DAYS"] = 45
    assert services.queue_follow_ups() == 2
