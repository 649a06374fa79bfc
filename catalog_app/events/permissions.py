"""Who may do what with events, asked by the services first and by templates before a button.

Built on `events.access` (the floor the meetings and challenge features share): staff
organise every event; enterprise and supplier members register their organization; the
attendee list is for approved participants and staff only.
"""
from __future__ import annotations

from catalog_app.accounts.permissions import is_enterprise_member, is_staff, is_supplier_member
from catalog_app.events import access
from catalog_app.models import Event, EventRegistration


def can_manage_events(user) -> bool:
    """Moderators and administrators create, edit, publish and cancel events."""
    return is_staff(user)


def can_register(user) -> bool:
    """Members of an enterprise or a supplier organization (staff and experts do not register)."""
    return is_enterprise_member(user) or is_supplier_member(user)


def can_withdraw(user, registration: EventRegistration) -> bool:
    """Any member of the registered organization withdraws it (the attendee may be away)."""
    return (can_register(user) and user.organization_id == registration.organization_id)


def can_see_participants(user, event: Event) -> bool:
    return is_staff(user) or access.is_participant(user, event)


def can_decide_registrations(user) -> bool:
    return is_staff(user)
