"""What an event brought about, read straight from the models (the shared plan's definitions).

- demands: round demands (`EventDemand`) not withdrawn;
- participants: approved registrations, per side;
- meetings held: accepted meetings whose slot has ended (`Meeting.held_condition`);
- agreements: meetings where at least one side recorded an intent agreement, plus the
  proposal-based `IntentAgreement` rows linked to the event;
- declared value (万元): per such meeting the larger amount the two sides declared, plus the
  amounts of those intent agreements.

`figures_for(events)` answers for a whole list with one fixed set of grouped statements
(five, whatever the number of events), so the events list, the event page and /stats
never query per event.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from catalog_app.extensions import db
from catalog_app.models import (
    Event,
    EventDemand,
    EventRegistration,
    EventSide,
    EventStatus,
    IntentAgreement,
    Meeting,
    MeetingOutcome,
    MeetingSlot,
    OutcomeKind,
    RegistrationStatus,
    RoundEntryStatus,
)
from catalog_app.models._types import utcnow

PAST_EVENTS_ON_STATS = 20


@dataclass
class EventFigures:
    demands: int = 0
    enterprises: int = 0
    suppliers: int = 0
    meetings_held: int = 0
    agreements: int = 0
    declared_value: int = 0  # 万元

    @property
    def participants(self) -> int:
        return self.enterprises + self.suppliers

    @property
    def is_empty(self) -> bool:
        return not (self.demands or self.participants or self.meetings_held or self.agreements)


def figures_for(event_ids, now: datetime | None = None) -> dict[int, EventFigures]:
    """{event id: figures} for every id given (events without activity get zeros)."""
    ids = sorted(set(event_ids))
    figures = {event_id: EventFigures() for event_id in ids}
    if not ids:
        return figures
    now = now or utcnow()

    for event_id, count in db.session.execute(
            sa.select(EventDemand.event_id, sa.func.count(EventDemand.id))
            .where(EventDemand.event_id.in_(ids), EventDemand.status != RoundEntryStatus.WITHDRAWN)
            .group_by(EventDemand.event_id)):
        figures[event_id].demands = count

    for event_id, side, count in db.session.execute(
            sa.select(EventRegistration.event_id, EventRegistration.side, sa.func.count(EventRegistration.id))
            .where(EventRegistration.event_id.in_(ids), EventRegistration.status == RegistrationStatus.APPROVED)
            .group_by(EventRegistration.event_id, EventRegistration.side)):
        if side is EventSide.ENTERPRISE:
            figures[event_id].enterprises = count
        else:
            figures[event_id].suppliers = count

    for event_id, count in db.session.execute(
            sa.select(Meeting.event_id, sa.func.count(Meeting.id)).join(MeetingSlot, Meeting.slot_id == MeetingSlot.id)
            .where(Meeting.event_id.in_(ids), Meeting.held_condition(now))
            .group_by(Meeting.event_id)):
        figures[event_id].meetings_held = count

    # One row per meeting with an intent outcome: the larger amount either side declared.
    per_meeting = (
        sa.select(Meeting.event_id.label("event_id"),
                  sa.func.coalesce(sa.func.max(MeetingOutcome.amount), 0).label("amount"))
        .join(MeetingOutcome, MeetingOutcome.meeting_id == Meeting.id)
        .where(Meeting.event_id.in_(ids), MeetingOutcome.outcome == OutcomeKind.INTENT)
        .group_by(Meeting.event_id, Meeting.id)
    ).subquery()
    for event_id, count, amount in db.session.execute(
            sa.select(per_meeting.c.event_id, sa.func.count(), sa.func.sum(per_meeting.c.amount))
            .group_by(per_meeting.c.event_id)):
        figures[event_id].agreements += count
        figures[event_id].declared_value += int(amount or 0)

    for event_id, count, amount in db.session.execute(
            sa.select(IntentAgreement.event_id, sa.func.count(IntentAgreement.id),
                      sa.func.coalesce(sa.func.sum(IntentAgreement.amount), 0))
            .where(IntentAgreement.event_id.in_(ids)).group_by(IntentAgreement.event_id)):
        figures[event_id].agreements += count
        figures[event_id].declared_value += int(amount or 0)
    return figures


def event_figures(event: Event) -> EventFigures:
    return figures_for([event.id])[event.id]


def past_event_figures(limit: int = PAST_EVENTS_ON_STATS, now: datetime | None = None
                       ) -> list[tuple[Event, EventFigures]]:
    """Published events that have ended, newest first, each with its figures (for /stats)."""
    now = now or utcnow()
    events = list(db.session.scalars(
        sa.select(Event).where(Event.status == EventStatus.PUBLISHED, Event.ends_at < now)
        .order_by(Event.starts_at.desc()).limit(limit)))
    figures = figures_for([event.id for event in events], now)
    return [(event, figures[event.id]) for event in events]
