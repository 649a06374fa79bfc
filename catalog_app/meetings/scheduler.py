"""The scheduler: who is free when, and booking a meeting into a slot and a table.

Plain functions over the session; they flush, never commit (the use case in `services`
commits once, with its notices). The rules:

- a registration sits in at most one accepted meeting per slot (a `MeetingSeat` per side,
  unique per (slot, registration));
- a table holds at most one accepted meeting per slot (partial unique index on
  (slot, table) for accepted meetings), tables are numbered 1..event.meeting_tables;
- only generated slots exist, so slot length and breaks are respected by construction.

The checks below answer the ordinary case with a clear message; the unique indexes are the
last guard under races: an IntegrityError at flush becomes `SlotTaken`, never a 500.
"""
from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from catalog_app.extensions import db
from catalog_app.models import Event, Meeting, MeetingSeat, MeetingSlot, MeetingStatus


class SchedulingError(Exception):
    """A booking the rules refuse; `message` is for the user, `field` the form field it concerns."""

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


class SlotTaken(SchedulingError):
    """The slot (or the table) was taken meanwhile, by this or another request."""

    def __init__(self, message=None, field: str | None = "slot_id"):
        super().__init__(message or _l("This slot was just taken. Please choose another one."), field)


def busy_slot_ids(registration_ids: Iterable[int]) -> dict[int, set[int]]:
    """registration id -> ids of the slots where it already sits in an accepted meeting."""
    ids = list(registration_ids)
    busy: dict[int, set[int]] = {i: set() for i in ids}
    if ids:
        rows = db.session.execute(sa.select(MeetingSeat.registration_id, MeetingSeat.slot_id)
                                  .where(MeetingSeat.registration_id.in_(ids)))
        for registration_id, slot_id in rows:
            busy[registration_id].add(slot_id)
    return busy


def tables_in_use(event: Event) -> dict[int, set[int]]:
    """slot id -> table numbers of the accepted meetings in it."""
    used: dict[int, set[int]] = {}
    rows = db.session.execute(sa.select(Meeting.slot_id, Meeting.table_number).where(
        Meeting.event_id == event.id, Meeting.status == MeetingStatus.ACCEPTED))
    for slot_id, table in rows:
        used.setdefault(slot_id, set()).add(table)
    return used


def lowest_free_table(event: Event, used: set[int]) -> int | None:
    return next((t for t in range(1, event.meeting_tables + 1) if t not in used), None)


def free_slots(event: Event, first_id: int, second_id: int, *, after=None,
               busy: dict[int, set[int]] | None = None,
               used: dict[int, set[int]] | None = None) -> list[MeetingSlot]:
    """The event's slots where both registrations are free and a table is left.

    :param after: only slots starting after this (naive UTC), e.g. now.
    :param busy: `busy_slot_ids` of both, when the caller already read it for many pairs.
    :param used: `tables_in_use(event)`, likewise.
    """
    busy = busy if busy is not None else busy_slot_ids((first_id, second_id))
    used = used if used is not None else tables_in_use(event)
    taken = busy.get(first_id, set()) | busy.get(second_id, set())
    return [slot for slot in event.slots
            if slot.id not in taken and (after is None or slot.starts_at > after)
            and len(used.get(slot.id, ())) < event.meeting_tables]


def _check_free(meeting: Meeting, slot: MeetingSlot, table: int) -> None:
    event = meeting.event
    if slot.event_id != event.id:
        raise SchedulingError(_l("Choose one of this event's slots."), "slot_id")
    if not 1 <= table <= event.meeting_tables:
        raise SchedulingError(_l("Choose a table between 1 and %(count)d.", count=event.meeting_tables), "table")
    busy = db.session.scalar(sa.select(sa.func.count()).select_from(MeetingSeat).where(
        MeetingSeat.slot_id == slot.id, MeetingSeat.meeting_id != meeting.id,
        MeetingSeat.registration_id.in_((meeting.requester_id, meeting.invitee_id))))
    if busy:
        raise SlotTaken(_l("One of the two participants already has a meeting in this slot."))
    clash = db.session.scalar(sa.select(sa.func.count()).select_from(Meeting).where(
        Meeting.slot_id == slot.id, Meeting.table_number == table, Meeting.id != meeting.id,
        Meeting.status == MeetingStatus.ACCEPTED))
    if clash:
        raise SlotTaken(_l("Table %(table)d is taken in this slot.", table=table), "table")


def book(meeting: Meeting) -> Meeting:
    """Accept a requested meeting into its slot: the lowest free table and both seats, in
    the caller's transaction.

    :raises SlotTaken: either side is busy in the slot, no table is left, or a concurrent
        booking won (the unique indexes).
    """
    if meeting.status is not MeetingStatus.REQUESTED:
        raise SchedulingError(_l("This meeting is no longer open."))
    used = tables_in_use(meeting.event).get(meeting.slot_id, set())
    table = lowest_free_table(meeting.event, used)
    if table is None:
        raise SlotTaken(_l("All tables are taken in this slot."))
    _check_free(meeting, meeting.slot, table)
    savepoint = db.session.begin_nested()
    try:
        meeting.status = MeetingStatus.ACCEPTED
        meeting.table_number = table
        meeting.seats = [MeetingSeat(slot_id=meeting.slot_id, registration_id=meeting.requester_id),
                         MeetingSeat(slot_id=meeting.slot_id, registration_id=meeting.invitee_id)]
        db.session.flush()
        savepoint.commit()
    except IntegrityError as error:
        savepoint.rollback()
        raise SlotTaken() from error
    return meeting


def move(meeting: Meeting, slot: MeetingSlot, table: int) -> Meeting:
    """The organiser moves an accepted meeting to another slot and/or table; seats follow.

    :raises SlotTaken: a participant or the table is busy there.
    """
    if meeting.status is not MeetingStatus.ACCEPTED:
        raise SchedulingError(_l("Only accepted meetings can be moved."))
    _check_free(meeting, slot, table)
    savepoint = db.session.begin_nested()
    try:
        meeting.slot_id, meeting.table_number = slot.id, table
        for seat in meeting.seats:
            seat.slot_id = slot.id
        db.session.flush()
        savepoint.commit()
    except IntegrityError as error:
        savepoint.rollback()
        raise SlotTaken() from error
    db.session.refresh(meeting)
    return meeting


def cancel(meeting: Meeting, status: MeetingStatus = MeetingStatus.CANCELLED) -> Meeting:
    """End a requested or accepted meeting (cancelled, or declined by the invitee): the
    seats go, so both participants and the table are free in the slot again."""
    if meeting.status not in (MeetingStatus.REQUESTED, MeetingStatus.ACCEPTED):
        raise SchedulingError(_l("This meeting is no longer open."))
    meeting.seats = []
    meeting.status = status
    meeting.table_number = None
    db.session.flush()
    return meeting
