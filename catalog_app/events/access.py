"""Who may do what at an event: the questions every event feature asks first.

The meetings and challenge-round blueprints build on these, so the rule "only approved
participants see the attendee list and book meetings" is written once.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort

from catalog_app.accounts.permissions import is_staff
from catalog_app.extensions import db
from catalog_app.models import (
    Event,
    EventExpert,
    EventRegistration,
    EventSide,
    EventStatus,
    OrganizationKind,
    RegistrationStatus,
    UserRole,
)


def event_by_slug(slug: str, viewer=None) -> Event:
    """The event, or 404: drafts and cancelled events are visible to staff only."""
    event = db.session.scalar(sa.select(Event).where(Event.slug == slug))
    if event is None:
        abort(404)
    if event.status is not EventStatus.PUBLISHED and not is_staff(viewer):
        abort(404)
    return event


def is_organiser(user, event: Event) -> bool:
    """Platform staff organise every event (the organiser named on the page is a label)."""
    return is_staff(user)


def registration_of(user, event: Event) -> EventRegistration | None:
    """The user's organization's registration for the event, whatever its status."""
    if not getattr(user, "is_authenticated", False) or user.organization_id is None:
        return None
    return db.session.scalar(
        sa.select(EventRegistration).where(
            EventRegistration.event_id == event.id,
            EventRegistration.organization_id == user.organization_id,
        )
    )


def approved_registration(user, event: Event) -> EventRegistration | None:
    """The registration through which the user takes part, once the organiser approved it."""
    registration = registration_of(user, event)
    if registration is None or registration.status is not RegistrationStatus.APPROVED:
        return None
    return registration


def is_participant(user, event: Event) -> bool:
    return approved_registration(user, event) is not None


def is_event_expert(user, event: Event) -> bool:
    """An expert reviewer assigned to this event (staff may score too, as chairs)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.role is not UserRole.EXPERT:
        return False
    return db.session.get(EventExpert, (event.id, user.id)) is not None


def side_for(user) -> EventSide | None:
    """Enterprises take part on the demand side, suppliers on the listing side."""
    if user.role is UserRole.ENTERPRISE:
        return EventSide.ENTERPRISE
    if user.role is UserRole.SUPPLIER:
        return EventSide.SUPPLIER
    return None


SIDE_BY_ORGANIZATION_KIND = {
    OrganizationKind.ENTERPRISE: EventSide.ENTERPRISE,
    OrganizationKind.SUPPLIER: EventSide.SUPPLIER,
    OrganizationKind.INSTITUTE: EventSide.SUPPLIER,
    OrganizationKind.SERVICE: EventSide.SUPPLIER,
}
