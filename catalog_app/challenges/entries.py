"""Demands entered into a round: entry, withdrawal, and what the round page lists.

An entry is one `EventDemand` row per (event, demand); withdrawing keeps the row (its
screening scores stay with it) and entering again revives it, so the unique index holds.
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from catalog_app.challenges import permissions
from catalog_app.challenges.errors import Forbidden, RoundError
from catalog_app.extensions import db
from catalog_app.models import Demand, Event, EventDemand, Pitch, RoundEntryStatus, User
from catalog_app.models.demands import PUBLIC_DEMAND_STATUSES

LIVE_STATUSES = (RoundEntryStatus.ENTERED, RoundEntryStatus.SHORTLISTED, RoundEntryStatus.NOT_SELECTED)


@dataclass(frozen=True)
class RoundCounts:
    entered: int  # not withdrawn, public demands
    shortlisted: int
    pitches: int


def _entries_query(event: Event):
    return (sa.select(EventDemand).join(EventDemand.demand)
            .where(EventDemand.event_id == event.id)
            .options(joinedload(EventDemand.demand).joinedload(Demand.organization)))


def public_entries(event: Event) -> list[EventDemand]:
    """What anyone may see: after the shortlist is published, the shortlisted public demands
    in pitch order; before, nothing by name (the round page shows counts)."""
    if not permissions.shortlist_is_public(event):
        return []
    return list(db.session.scalars(
        _entries_query(event).where(EventDemand.status == RoundEntryStatus.SHORTLISTED,
                                    Demand.status.in_(PUBLIC_DEMAND_STATUSES))
        .order_by(EventDemand.position.is_(None), EventDemand.position, EventDemand.id)))


def screenable_entries(event: Event) -> list[EventDemand]:
    """Entries the experts screen: not withdrawn, demand public (moderation approved it)."""
    return list(db.session.scalars(
        _entries_query(event).where(EventDemand.status.in_(LIVE_STATUSES),
                                    Demand.status.in_(PUBLIC_DEMAND_STATUSES))
        .order_by(EventDemand.created_at, EventDemand.id)))


def organization_entries(user: User, event: Event) -> list[EventDemand]:
    """The viewer's organization's entries, withdrawn ones included (they can re-enter)."""
    if user.organization_id is None:
        return []
    return list(db.session.scalars(
        _entries_query(event).where(Demand.organization_id == user.organization_id)
        .order_by(EventDemand.created_at, EventDemand.id)))


def enterable_demands(user: User, event: Event) -> list[Demand]:
    """The organization's demands that may still enter (not entered, or withdrawn)."""
    if not permissions.can_enter_round(user, event):
        return []
    active = (sa.select(EventDemand.demand_id)
              .where(EventDemand.event_id == event.id, EventDemand.status != RoundEntryStatus.WITHDRAWN))
    return list(db.session.scalars(
        sa.select(Demand).where(Demand.organization_id == user.organization_id,
                                Demand.status.in_(permissions.ENTERABLE_DEMAND_STATUSES),
                                Demand.id.not_in(active))
        .order_by(Demand.updated_at.desc(), Demand.id.desc())))


def enter_demand(user: User, event: Event, demand_id: int) -> EventDemand:
    if not permissions.can_enter_round(user, event):
        raise Forbidden()
    demand = db.session.get(Demand, demand_id)
    if demand is None or not permissions.can_enter_demand(user, event, demand):
        raise RoundError(_("Choose one of your organization's published demands."), "demand_id")
    entry = db.session.scalar(sa.select(EventDemand).where(EventDemand.event_id == event.id,
                                                           EventDemand.demand_id == demand.id))
    if entry is not None and entry.status is not RoundEntryStatus.WITHDRAWN:
        raise RoundError(_("This demand is already in the round."), "demand_id")
    if entry is None:
        entry = EventDemand(event_id=event.id, demand_id=demand.id)
        db.session.add(entry)
    entry.status = RoundEntryStatus.ENTERED
    entry.entered_by_id = user.id
    db.session.commit()
    return entry


def withdraw_entry(user: User, event: Event, entry_id: int) -> EventDemand:
    entry = db.session.get(EventDemand, entry_id)
    if (entry is None or entry.event_id != event.id or not permissions.can_enter_round(user, event)
            or entry.demand.organization_id != user.organization_id):
        raise Forbidden()
    if entry.status is not RoundEntryStatus.ENTERED:
        raise RoundError(_("This entry can no longer be withdrawn."))
    entry.status = RoundEntryStatus.WITHDRAWN
    db.session.commit()
    return entry


def round_counts(event: Event) -> RoundCounts:
    """Two queries whatever the round's size: entries by status, then pitches."""
    rows = db.session.execute(
        sa.select(EventDemand.status, sa.func.count(EventDemand.id)).join(EventDemand.demand)
        .where(EventDemand.event_id == event.id, Demand.status.in_(PUBLIC_DEMAND_STATUSES))
        .group_by(EventDemand.status)).all()
    by_status = {status: count for status, count in rows}
    pitches = db.session.scalar(
        sa.select(sa.func.count(Pitch.id)).join(Pitch.entry)
        .where(EventDemand.event_id == event.id, EventDemand.status == RoundEntryStatus.SHORTLISTED)) or 0
    return RoundCounts(entered=sum(by_status.get(status, 0) for status in LIVE_STATUSES),
                       shortlisted=by_status.get(RoundEntryStatus.SHORTLISTED, 0), pitches=int(pitches))


def entry_of(event: Event, entry_id: int) -> EventDemand | None:
    entry = db.session.get(EventDemand, entry_id)
    return entry if entry is not None and entry.event_id == event.id else None
