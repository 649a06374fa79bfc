"""Use cases of the meetings: request, accept, decline, cancel, move, agendas, outcomes.

Each checks who acts (an approved participant who is a party, or staff for a move), calls
the scheduler, queues the notice and commits once. A refusal is a `SchedulingError` with
a message for the form; the caller rolls back.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from catalog_app.extensions import db
from catalog_app.meetings import emails, scheduler
from catalog_app.meetings.scheduler import SchedulingError
from catalog_app.models import (
    Event,
    EventRegistration,
    Meeting,
    MeetingOutcome,
    MeetingSlot,
    MeetingStatus,
    OutcomeKind,
    RegistrationStatus,
)
from catalog_app.models._types import utcnow

# Open requests (not yet answered) one participant may have sent: enough for a busy day of
# 20-minute slots, few enough that nobody can spam every participant.
MAX_OPEN_REQUESTS = 30
MESSAGE_MAX = 500
OPEN_STATUSES = (MeetingStatus.REQUESTED, MeetingStatus.ACCEPTED)


def _meeting_options():
    return (selectinload(Meeting.slot),
            selectinload(Meeting.requester).selectinload(EventRegistration.organization),
            selectinload(Meeting.invitee).selectinload(EventRegistration.organization),
            selectinload(Meeting.requester).selectinload(EventRegistration.attendee),
            selectinload(Meeting.invitee).selectinload(EventRegistration.attendee),
            selectinload(Meeting.outcomes))


def meetings_of(registration: EventRegistration, statuses=OPEN_STATUSES) -> list[Meeting]:
    """The registration's meetings with these statuses, by slot time."""
    return list(db.session.scalars(
        sa.select(Meeting).join(MeetingSlot, MeetingSlot.id == Meeting.slot_id)
        .where(sa.or_(Meeting.requester_id == registration.id, Meeting.invitee_id == registration.id),
               Meeting.status.in_(statuses))
        .order_by(MeetingSlot.starts_at, Meeting.id).options(*_meeting_options())))


def accepted_meetings(registration: EventRegistration) -> list[Meeting]:
    return meetings_of(registration, (MeetingStatus.ACCEPTED,))


def event_meetings(event: Event) -> list[Meeting]:
    """Every accepted meeting of the event (the organiser's grid)."""
    return list(db.session.scalars(
        sa.select(Meeting).where(Meeting.event_id == event.id, Meeting.status == MeetingStatus.ACCEPTED)
        .options(*_meeting_options())))


def open_request_count(registration: EventRegistration) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Meeting).where(
        Meeting.requester_id == registration.id, Meeting.status == MeetingStatus.REQUESTED)) or 0


def open_meeting_between(first_id: int, second_id: int) -> Meeting | None:
    return db.session.scalar(sa.select(Meeting).where(
        Meeting.status.in_(OPEN_STATUSES),
        sa.or_(sa.and_(Meeting.requester_id == first_id, Meeting.invitee_id == second_id),
               sa.and_(Meeting.requester_id == second_id, Meeting.invitee_id == first_id))))


def booking_options(registration: EventRegistration, other_ids: list[int], now=None):
    """What the counterpart page offers for each other participant, in four queries:
    (other id -> future slots free for both, other id -> the open meeting with it)."""
    event = registration.event
    busy, used = scheduler.busy_slot_ids([*other_ids, registration.id]), scheduler.tables_in_use(event)
    free = {other_id: scheduler.free_slots(event, registration.id, other_id, after=now or utcnow(),
                                           busy=busy, used=used) for other_id in other_ids}
    open_with = {}
    for meeting in meetings_of(registration):
        open_with[meeting.invitee_id if meeting.requester_id == registration.id else meeting.requester_id] = meeting
    return free, open_with


def request_meeting(requester: EventRegistration, invitee_id: int, slot_id: int, message: str = "",
                    *, reason: str = "", demand_id: int | None = None, listing_id: int | None = None,
                    now=None) -> Meeting:
    """Ask another participant of the event for a meeting in a slot where both are free.

    :raises SchedulingError: not a counterpart, the pair already has an open meeting, too
        many open requests, or the slot is not free for both (or past).
    """
    now = now or utcnow()
    event = requester.event
    invitee = db.session.get(EventRegistration, invitee_id)
    if (invitee is None or invitee.event_id != event.id or invitee.status is not RegistrationStatus.APPROVED
            or invitee.id == requester.id or invitee.side is requester.side):
        raise SchedulingError(_l("This participant cannot be invited."))
    if open_meeting_between(requester.id, invitee.id) is not None:
        raise SchedulingError(_l("You already have a meeting or an open request with this participant."))
    if open_request_count(requester) >= MAX_OPEN_REQUESTS:
        raise SchedulingError(_l("You have %(count)d unanswered requests; wait for answers before sending more.",
                                 count=MAX_OPEN_REQUESTS))
    slot = db.session.get(MeetingSlot, slot_id)
    if slot is None or slot.event_id != event.id:
        raise SchedulingError(_l("Choose one of this event's slots."), "slot_id")
    if slot not in scheduler.free_slots(event, requester.id, invitee.id, after=now):
        raise scheduler.SlotTaken(_l("This slot is no longer free for both of you. Please choose another one."))
    meeting = Meeting(event=event, slot=slot, requester=requester, invitee=invitee,
                      message=(message or "").strip()[:MESSAGE_MAX], reason=reason[:500],
                      demand_id=demand_id, listing_id=listing_id)
    db.session.add(meeting)
    db.session.flush()
    emails.notify_change(meeting, "requested", to=invitee)
    db.session.commit()
    return meeting


def _party_meeting(registration: EventRegistration, meeting_id: int) -> Meeting:
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None or registration.id not in (meeting.requester_id, meeting.invitee_id):
        raise LookupError(meeting_id)
    return meeting


def accept_meeting(invitee: EventRegistration, meeting_id: int) -> Meeting:
    """The invitee accepts: the scheduler books a table and both seats, the requester hears."""
    meeting = _party_meeting(invitee, meeting_id)
    if meeting.invitee_id != invitee.id:
        raise SchedulingError(_l("Only the invited participant can accept."))
    if meeting.slot.starts_at <= utcnow():
        raise SchedulingError(_l("This time slot has already begun."))
    scheduler.book(meeting)
    meeting.decided_at = utcnow()
    emails.notify_change(meeting, "accepted", to=meeting.requester)
    db.session.commit()
    return meeting


def decline_meeting(invitee: EventRegistration, meeting_id: int) -> Meeting:
    meeting = _party_meeting(invitee, meeting_id)
    if meeting.invitee_id != invitee.id or meeting.status is not MeetingStatus.REQUESTED:
        raise SchedulingError(_l("This request can no longer be declined."))
    scheduler.cancel(meeting, MeetingStatus.DECLINED)
    meeting.decided_at = utcnow()
    emails.notify_change(meeting, "declined", to=meeting.requester)
    db.session.commit()
    return meeting


def cancel_meeting(party: EventRegistration, meeting_id: int) -> Meeting:
    """Either side withdraws a request or cancels an accepted meeting; the other side hears."""
    meeting = _party_meeting(party, meeting_id)
    scheduler.cancel(meeting)
    other = meeting.invitee if party.id == meeting.requester_id else meeting.requester
    emails.notify_change(meeting, "cancelled", to=other)
    db.session.commit()
    return meeting


def move_meeting(meeting: Meeting, slot_id: int, table: int) -> Meeting:
    """The organiser moves an accepted meeting; both attendees hear."""
    slot = db.session.get(MeetingSlot, slot_id)
    if slot is None or slot.event_id != meeting.event_id:
        raise SchedulingError(_l("Choose one of this event's slots."), "slot_id")
    scheduler.move(meeting, slot, table)
    stamp = f"{slot.id}-{table}-{utcnow().isoformat()}"
    for party in (meeting.requester, meeting.invitee):
        emails.notify_change(meeting, "moved", to=party, stamp=stamp)
    db.session.commit()
    return meeting


def email_agenda(registration: EventRegistration) -> int:
    """Queue the attendee's agenda by e-mail (one per minute at most); returns the meetings."""
    meetings = accepted_meetings(registration)
    emails.send_agenda(registration, meetings, stamp=utcnow().strftime("%Y%m%d%H%M"))
    db.session.commit()
    return len(meetings)


def is_held(meeting: Meeting, now=None) -> bool:
    """Accepted, and its slot ended: the meeting took place (as far as the platform knows)."""
    return meeting.is_held(now or utcnow())


@dataclass(frozen=True)
class OutcomeInput:
    outcome: OutcomeKind
    amount: int | None = None
    note: str = ""


def outcome_of(meeting: Meeting, registration: EventRegistration) -> MeetingOutcome | None:
    return next((o for o in meeting.outcomes if o.registration_id == registration.id), None)


def record_outcome(meeting: Meeting, registration: EventRegistration, answer: OutcomeInput, user) -> MeetingOutcome:
    """One side's outcome of a held meeting; answering again replaces it.

    :raises SchedulingError: the meeting has not taken place, or an amount without intent.
    """
    if registration.id not in (meeting.requester_id, meeting.invitee_id):
        raise LookupError(meeting.id)
    if not is_held(meeting):
        raise SchedulingError(_l("The outcome can be recorded once the meeting has taken place."))
    amount = answer.amount if answer.outcome is OutcomeKind.INTENT else None
    outcome = outcome_of(meeting, registration)
    if outcome is None:
        outcome = MeetingOutcome(meeting=meeting, registration_id=registration.id, outcome=answer.outcome)
        db.session.add(outcome)
    outcome.outcome, outcome.amount, outcome.note = answer.outcome, amount, answer.note.strip()[:1000]
    outcome.recorded_by_id = user.id
    outcome.recorded_at = utcnow()
    db.session.commit()
    return outcome


def queue_follow_ups(now=None) -> int:
    """Ask both sides of every held meeting of ended events for the outcome; returns how
    many mails were queued. The outbox keys make a second run queue nothing for the same
    meeting and side, and a side that already answered is not asked.

    Only events that ended within MEETING_FOLLOW_UP_WINDOW_DAYS are asked about: the job runs
    with every worker scan, so it must not re-read every meeting the platform ever held."""
    now = now or utcnow()
    since = now - timedelta(days=float(current_app.config["MEETING_FOLLOW_UP_WINDOW_DAYS"]))
    meetings = db.session.scalars(
        sa.select(Meeting).join(MeetingSlot, MeetingSlot.id == Meeting.slot_id).join(Event, Event.id == Meeting.event_id)
        .where(Meeting.held_condition(now), Event.ends_at <= now, Event.ends_at >= since)
        .order_by(Meeting.id).options(*_meeting_options(), selectinload(Meeting.event))).all()
    queued = 0
    for meeting in meetings:
        answered = {o.registration_id for o in meeting.outcomes}
        for registration in (meeting.requester, meeting.invitee):
            if registration.id not in answered and emails.send_follow_up(meeting, registration):
                queued += 1
    db.session.commit()
    return queued
