"""The scheduler's rules: lowest free table, no person or table twice in a slot, moves and
cancellations free what they held, and the unique indexes answer a lost race."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from catalog_app.extensions import db
from catalog_app.meetings import scheduler, services
from catalog_app.meetings.scheduler import SchedulingError, SlotTaken
from catalog_app.models import Meeting, MeetingSeat, MeetingStatus


def _request(event, requester, invitee, slot):
    meeting = Meeting(event=event, slot=slot, requester=requester, invitee=invitee)
    db.session.add(meeting)
    db.session.flush()
    return meeting


def test_book_takes_the_lowest_free_table_and_seats_both(event, parties):
    enterprise, vision, agv = parties
    first = scheduler.book(_request(event, enterprise, vision, event.slots[0]))
    assert first.status is MeetingStatus.ACCEPTED and first.table_number == 1
    assert sorted(s.registration_id for s in first.seats) == sorted([enterprise.id, vision.id])
    assert {s.slot_id for s in first.seats} == {event.slots[0].id}


def test_a_person_is_never_booked_twice_in_a_slot(event, parties):
    enterprise, vision, agv = parties
    scheduler.book(_request(event, enterprise, vision, event.slots[0]))
    with pytest.raises(SlotTaken):
        scheduler.book(_request(event, agv, enterprise, event.slots[0]))
    assert event.slots[0] not in scheduler.free_slots(event, enterprise.id, agv.id)
    assert event.slots[1] in scheduler.free_slots(event, enterprise.id, agv.id)


def test_no_table_left_means_slot_taken(make_event, register, enterprise, supplier, supplier2, create_user):
    from catalog_app.models import EventSide, UserRole

    event = make_event(tables=1)
    e1 = register(event, enterprise, EventSide.ENTERPRISE)
    e2 = register(event, create_user(role=UserRole.ENTERPRISE), EventSide.ENTERPRISE)
    s1, s2 = register(event, supplier, EventSide.SUPPLIER), register(event, supplier2, EventSide.SUPPLIER)
    scheduler.book(_request(event, e1, s1, event.slots[0]))
    assert event.slots[0] not in scheduler.free_slots(event, e2.id, s2.id)
    with pytest.raises(SlotTaken):
        scheduler.book(_request(event, e2, s2, event.slots[0]))


def test_the_unique_index_is_the_last_guard(event, parties, monkeypatch):
    """With the friendly checks bypassed (a race), the seat index refuses: SlotTaken, no 500."""
    enterprise, vision, agv = parties
    scheduler.book(_request(event, enterprise, vision, event.slots[0]))
    db.session.commit()
    monkeypatch.setattr(scheduler, "_check_free", lambda *args: None)
    second = _request(event, agv, enterprise, event.slots[0])
    with pytest.raises(SlotTaken):
        scheduler.book(second)
    db.session.rollback()
    seats = db.session.scalars(sa.select(MeetingSeat).where(MeetingSeat.registration_id == enterprise.id)).all()
    assert len(seats) == 1


def test_move_and_cancel_free_what_they_held(event, parties):
    enterprise, vision, agv = parties
    meeting = scheduler.book(_request(event, enterprise, vision, event.slots[0]))
    other = scheduler.book(_request(event, agv, enterprise, event.slots[1]))
    with pytest.raises(SlotTaken):  # the enterprise already sits at slot 1
        scheduler.move(meeting, event.slots[1], 2)
    with pytest.raises(SchedulingError):
        scheduler.move(meeting, event.slots[2], 3)  # only 2 tables
    scheduler.move(meeting, event.slots[2], 2)
    assert {s.slot_id for s in meeting.seats} == {event.slots[2].id} and meeting.table_number == 2
    assert event.slots[0] in scheduler.free_slots(event, enterprise.id, vision.id)
    scheduler.cancel(other)
    assert other.status is MeetingStatus.CANCELLED and other.seats == []
    assert event.slots[1] in scheduler.free_slots(event, enterprise.id, agv.id)


def test_request_limits_and_rules(event, parties, monkeypatch):
    enterprise, vision, agv = parties
    with pytest.raises(SchedulingError):  # same side
        services.request_meeting(vision, agv.id, event.slots[0].id)
    services.request_meeting(enterprise, vision.id, event.slots[0].id, "您好")
    with pytest.raises(SchedulingError):  # one open meeting per pair
        services.request_meeting(vision, enterprise.id, event.slots[1].id)
    monkeypatch.setattr(services, "MAX_OPEN_REQUESTS", 1)
    with pytest.raises(SchedulingError, match="unanswered|待答复"):
        services.request_meeting(enterprise, agv.id, event.slots[1].id)


def test_a_past_slot_cannot_be_requested(make_event, register, enterprise, supplier):
    from catalog_app.models import EventSide

    event = make_event(days_ahead=-2)
    e = register(event, enterprise, EventSide.ENTERPRISE)
    s = register(event, supplier, EventSide.SUPPLIER)
    with pytest.raises(SlotTaken):
        services.request_meeting(e, s.id, event.slots[0].id)
