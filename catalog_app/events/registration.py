"""Registration: an enterprise or a supplier registers its organization, the organiser
approves or declines (the registrant is told by e-mail through the outbox), a member withdraws.

The window, the capacity and the listings a supplier brings are checked here, as the last
line behind the form; refusals are `EventError`s naming the field they concern. Each
use-case commits once, with its audit entry and e-mail in the same transaction.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.exceptions import Forbidden

from catalog_app import audit
from catalog_app.accounts.permissions import is_staff
from catalog_app.events import access, permissions
from catalog_app.events.emails import notify_decision
from catalog_app.events.services import TAKING_PART, EventError
from catalog_app.extensions import db
from catalog_app.models import (
    Event,
    EventRegistration,
    EventSide,
    EventStatus,
    Listing,
    ListingStatus,
    RegistrationStatus,
    User,
)
from catalog_app.models._types import utcnow


def is_registration_open(event: Event, now: datetime | None = None) -> bool:
    return registration_closed_reason(event, now) is None


def registration_closed_reason(event: Event, now: datetime | None = None):
    """Why nobody can register now, or None when registration is open."""
    now = now or utcnow()
    if event.status is not EventStatus.PUBLISHED:
        return _l("This event is not open for registration.")
    if event.registration_opens_at is not None and now < event.registration_opens_at:
        return _l("Registration has not opened yet.")
    closes_at = event.registration_closes_at or event.starts_at
    if now > closes_at:
        return _l("Registration is closed.")
    return None


def taking_part_count(event: Event) -> int:
    """Registrations that hold a place: pending and approved ones (capacity counts both)."""
    return db.session.scalar(sa.select(sa.func.count(EventRegistration.id)).where(
        EventRegistration.event_id == event.id, EventRegistration.status.in_(TAKING_PART))) or 0


def is_full(event: Event) -> bool:
    return bool(event.capacity) and taking_part_count(event) >= event.capacity


def participants(event: Event) -> list[EventRegistration]:
    """Approved registrations, enterprises first, with their organization, attendee and listings."""
    return list(db.session.scalars(
        sa.select(EventRegistration)
        .where(EventRegistration.event_id == event.id, EventRegistration.status == RegistrationStatus.APPROVED)
        .options(joinedload(EventRegistration.organization), joinedload(EventRegistration.attendee),
                 selectinload(EventRegistration.listings))
        .order_by(EventRegistration.side, EventRegistration.id)).unique())


def registrations_for_review(event: Event) -> list[EventRegistration]:
    """Every registration of the event for the organiser, pending ones first."""
    order = sa.case((EventRegistration.status == RegistrationStatus.PENDING, 0), else_=1)
    return list(db.session.scalars(
        sa.select(EventRegistration).where(EventRegistration.event_id == event.id)
        .options(joinedload(EventRegistration.organization), joinedload(EventRegistration.attendee),
                 selectinload(EventRegistration.listings))
        .order_by(order, EventRegistration.created_at)).unique())


def own_listings(user: User) -> list[Listing]:
    """The published listings a supplier's organization can bring to an event."""
    if user.organization_id is None:
        return []
    return list(db.session.scalars(sa.select(Listing).where(
        Listing.organization_id == user.organization_id, Listing.status == ListingStatus.PUBLISHED)
        .order_by(Listing.title)))


def events_of(user: User, limit: int = 6) -> list[EventRegistration]:
    """The user's organization's registrations of upcoming and recent events ("my events")."""
    if not getattr(user, "is_authenticated", False) or user.organization_id is None:
        return []
    return list(db.session.scalars(
        sa.select(EventRegistration).join(EventRegistration.event)
        .where(EventRegistration.organization_id == user.organization_id,
               EventRegistration.status != RegistrationStatus.WITHDRAWN,
               Event.status == EventStatus.PUBLISHED)
        .options(joinedload(EventRegistration.event))
        .order_by(Event.starts_at.desc()).limit(limit)))


def register(event: Event, user: User, listing_ids=(), note: str = "", now: datetime | None = None
             ) -> EventRegistration:
    """Register the user's organization, the user as the person at the table.

    Suppliers bring at least one of their published listings (what the meetings are matched
    on); enterprises bring their demands through the challenge round, so only a note here.
    A withdrawn registration may register again; a declined one may not.
    """
    side = access.side_for(user)
    if not permissions.can_register(user) or side is None:
        raise Forbidden()
    reason = registration_closed_reason(event, now)
    if reason is not None:
        raise EventError(reason)
    existing = access.registration_of(user, event)
    if existing is not None and existing.status in TAKING_PART:
        raise EventError(_l("Your organization is already registered for this event."))
    if existing is not None and existing.status is RegistrationStatus.DECLINED:
        raise EventError(_l("The organiser declined your organization's registration for this event."))
    if is_full(event):
        raise EventError(_l("This event is full: all %(capacity)d places are taken.", capacity=event.capacity))
    listings: list[Listing] = []
    if side is EventSide.SUPPLIER:
        own = {listing.id: listing for listing in own_listings(user)}
        if not listing_ids:
            raise EventError(_l("Choose at least one listing to bring."), "listings")
        if not set(listing_ids) <= set(own):
            raise EventError(_l("Choose from your own published listings."), "listings")
        listings = [own[listing_id] for listing_id in sorted(set(listing_ids))]
    registration = existing or EventRegistration(event_id=event.id, organization_id=user.organization_id)
    registration.attendee_id = user.id
    registration.side = side
    registration.status = RegistrationStatus.PENDING
    registration.note = (note or "").strip()[:500]
    registration.listings = listings
    registration.decided_at = registration.decided_by_id = None
    db.session.add(registration)
    db.session.flush()
    audit.record(user, "event_registered", object_type="event_registration", object_id=registration.id,
                 event=event.slug, side=side.value)
    db.session.commit()
    return registration


def withdraw(registration: EventRegistration, user: User) -> None:
    if not permissions.can_withdraw(user, registration):
        raise Forbidden()
    if registration.status not in TAKING_PART:
        raise EventError(_l("This registration is no longer active."))
    registration.status = RegistrationStatus.WITHDRAWN
    audit.record(user, "event_withdrawn", object_type="event_registration", object_id=registration.id,
                 event=registration.event.slug)
    db.session.commit()


def decide(registration: EventRegistration, approve: bool, actor: User) -> None:
    """Approve or decline a registration and e-mail the registrant through the outbox.

    Approving counts the approved places against the capacity (pending ones may exceed it
    only if staff added places after they registered)."""
    if not is_staff(actor):
        raise Forbidden()
    target = RegistrationStatus.APPROVED if approve else RegistrationStatus.DECLINED
    if registration.status is target:
        raise EventError(_l("This registration is already decided."))
    if registration.status is RegistrationStatus.WITHDRAWN:
        raise EventError(_l("The organization withdrew this registration."))
    event = registration.event
    if approve and event.capacity:
        approved = db.session.scalar(sa.select(sa.func.count(EventRegistration.id)).where(
            EventRegistration.event_id == event.id, EventRegistration.status == RegistrationStatus.APPROVED)) or 0
        if approved >= event.capacity:
            raise EventError(_l("This event is full: all %(capacity)d places are taken.", capacity=event.capacity))
    registration.status = target
    registration.decided_at = utcnow()
    registration.decided_by_id = actor.id
    notify_decision(registration)
    audit.record(actor, "event_registration_approved" if approve else "event_registration_declined",
                 object_type="event_registration", object_id=registration.id, event=event.slug)
    db.session.commit()
