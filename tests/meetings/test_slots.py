"""Slot generation: local times to UTC, breaks jumped over, regeneration keeps booked slots."""
from __future__ import annotations

from datetime import date, datetime, time

import pytest

from catalog_app.extensions import db
from catalog_app.meetings import scheduler, slots
from catalog_app.meetings.scheduler import SchedulingError
from catalog_app.models import Meeting

DAY = date(2027, 3, 10)


def test_parse_breaks_accepts_ranges_and_refuses_the_rest(app):
    assert slots.parse_breaks("12:00-13:30，15:00 - 15:15") == ((time(12), time(13, 30)), (time(15), time(15, 15)))
    assert slots.parse_breaks("") == ()
    for bad in ("12:00", "13:00-12:00", "25:00-26:00", "noon"):
        with pytest.raises(SchedulingError) as refused:
            slots.parse_breaks(bad)
        assert refused.value.field == "breaks"


def test_slots_are_stored_in_utc_and_skip_breaks(app):
    with app.test_request_context():
        plan = slots.SlotPlan(DAY, time(9, 0), time(14, 0), ((time(12, 0), time(13, 30)),))
        planned = slots.planned_slots(plan, 30)
    starts = [s for s, _e in planned]
    # 09:00 Beijing time is 01:00 UTC; six slots before the break, one after (13:30-14:00).
    assert starts[0] == datetime(2027, 3, 10, 1, 0)
    assert len(planned) == 7
    assert datetime(2027, 3, 10, 4, 0) not in starts  # 12:00 local: the break
    assert starts[-1] == datetime(2027, 3, 10, 5, 30)  # 13:30 local
    assert all(e - s == (planned[0][1] - planned[0][0]) for s, e in planned)


def test_no_slot_fits(app):
    with app.test_request_context(), pytest.raises(SchedulingError):
        slots.planned_slots(slots.SlotPlan(DAY, time(9, 0), time(9, 10)), 20)


def test_regenerating_keeps_slots_with_meetings(make_event, register, enterprise, supplier):
    from catalog_app.models import EventSide

    event = make_event(slots=0)
    e = register(event, enterprise, EventSide.ENTERPRISE)
    s = register(event, supplier, EventSide.SUPPLIER)
    first = slots.generate_slots(event, slots.SlotPlan(DAY, time(9, 0), time(10, 0)))
    assert first.created == 3
    booked = event.slots[1]  # 09:20 local
    meeting = Meeting(event=event, slot=booked, requester=e, invitee=s)
    db.session.add(meeting)
    db.session.flush()
    scheduler.book(meeting)
    # Now 30-minute slots from 09:10: the 09:20 slot has a meeting, so it stays and the new
    # slots that overlap it are not created.
    event.meeting_minutes = 30
    second = slots.generate_slots(event, slots.SlotPlan(DAY, time(9, 10), time(11, 10)))
    assert booked in event.slots and meeting.slot is booked
    assert second.removed == 2 and second.kept == 1
    ordered = sorted(event.slots, key=lambda slot: slot.starts_at)
    for a, b in zip(ordered, ordered[1:]):
        assert a.ends_at <= b.starts_at
    assert second.created == 3  # 09:40, 10:10, 10:40 local; 09:10-09:40 overlaps 09:20-09:40
