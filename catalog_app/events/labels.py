"""Translated labels of the event enums (`{{ event.kind|event_label }}`).

Kept beside the feature rather than in catalog.labels, which the listing and demand pages own.
"""
from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l

from catalog_app.models import EventKind, EventSide, EventStatus, RegistrationStatus, RoundEntryStatus

LABELS: dict[enum.Enum, object] = {
    EventKind.MATCHMAKING: _l("Matchmaking event"),
    EventKind.CHALLENGE: _l("Challenge round"),
    EventKind.ROADSHOW: _l("Roadshow"),
    EventStatus.DRAFT: _l("Draft"),
    EventStatus.PUBLISHED: _l("Published"),
    EventStatus.CANCELLED: _l("Cancelled"),
    EventSide.ENTERPRISE: _l("Enterprise (brings demands)"),
    EventSide.SUPPLIER: _l("Supplier (brings listings)"),
    RegistrationStatus.PENDING: _l("Waiting for approval"),
    RegistrationStatus.APPROVED: _l("Approved"),
    RegistrationStatus.DECLINED: _l("Declined"),
    RegistrationStatus.WITHDRAWN: _l("Withdrawn"),
    RoundEntryStatus.ENTERED: _l("Entered"),
    RoundEntryStatus.SHORTLISTED: _l("Shortlisted"),
    RoundEntryStatus.NOT_SELECTED: _l("Not selected"),
    RoundEntryStatus.WITHDRAWN: _l("Withdrawn"),
}


def event_label(value: enum.Enum | None) -> str:
    if value is None:
        return ""
    return str(LABELS.get(value, value.value))
