"""Property test: whatever sequence of requests, accepts, declines, cancels and moves is
played over a few participants, slots and tables, nobody and no table is booked twice in a
slot, and every accepted meeting has exactly its two seats in its own slot."""
from __future__ import annotations

from collections import Counter

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog_app.extensions import db
from catalog_app.meetings import scheduler
from catalog_app.meetings.scheduler import SchedulingError
from catalog_app.models import EventSide, Meeting, MeetingSeat, MeetingStatus, UserRole

ENTERPRISES, SUPPLIERS, SLOTS, TABLES = 3, 3, 3, 2

operation = st.one_of(
    st.tuples(st.just("request"), st.integers(0, ENTERPRISES + SUPPLIERS - 1),
              st.integers(0, ENTERPRISES + SUPPLIERS - 1), st.integers(0, SLOTS - 1)),
    st.tuples(st.just("accept"), st.integers(0, 30)),
    st.tuples(st.just("decline"), st.integers(0, 30)),
    st.tuples(st.just("cancel"), st.integers(0, 30)),
    st.tuples(st.just("move"), st.integers(0, 30), st.integers(0, SLOTS - 1), st.integers(1, TABLES + 1)),
)


def _check_invariants(event) -> None:
    accepted = db.session.scalars(sa.select(Meeting).where(Meeting.event_id == event.id,
                                                           Meeting.status == MeetingStatus.ACCEPTED)).all()
    seats = db.session.scalars(sa.select(MeetingSeat)).all()
    people = Counter((seat.slot_id, seat.registration_id) for seat in seats)
    assert all(n == 1 for n in people.values()), "a person is booked twice in a slot"
    tables = Counter((m.slot_id, m.table_number) for m in accepted)
    assert all(n == 1 for n in tables.values()), "a table is booked twice in a slot"
    for meeting in accepted:
        assert 1 <= meeting.table_number <= event.meeting_tables
        assert sorted((s.slot_id, s.registration_id) for s in meeting.seats) == sorted(
            [(meeting.slot_id, meeting.requester_id), (meeting.slot_id, meeting.invitee_id)])
    assert len(seats) == 2 * len(accepted), "seats of meetings that are not accepted"


def test_no_double_booking(make_event, register, create_user):
    event = make_event(slots=SLOTS, tables=TABLES)
    registrations = (
        [register(event, create_user(role=UserRole.ENTERPRISE), EventSide.ENTERPRISE) for _ in range(ENTERPRISES)]
        + [register(event, create_user(role=UserRole.SUPPLIER), EventSide.SUPPLIER) for _ in range(SUPPLIERS)])
    slots = list(event.slots)
    db.session.commit()

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(operation, max_size=20))
    def run(operations):
        db.session.execute(sa.delete(MeetingSeat))
        db.session.execute(sa.delete(Meeting))
        db.session.commit()
        meetings: list[Meeting] = []
        for op in operations:
            try:
                if op[0] == "request":
                    _, a, b, s = op
                    if a == b:
                        continue
                    meeting = Meeting(event=event, slot=slots[s], requester=registrations[a], invitee=registrations[b])
                    db.session.add(meeting)
                    db.session.flush()
                    meetings.append(meeting)
                elif not meetings:
                    continue
                else:
                    meeting = meetings[op[1] % len(meetings)]
                    if op[0] == "accept":
                        scheduler.book(meeting)
                    elif op[0] == "decline":
                        scheduler.cancel(meeting, MeetingStatus.DECLINED)
                    elif op[0] == "cancel":
                        scheduler.cancel(meeting)
                    else:
                        scheduler.move(meeting, slots[op[2]], op[3])
                db.session.commit()
            except SchedulingError:
                db.session.rollback()
            _check_invariants(event)

    run()
