"""Translated labels for enum values shown in the UI.

Enum values are stored as English identifiers; templates never print them raw but ask
`label(value)`, so that both languages read naturally ("链主企业", "Chain leader").
Labels are lazy: they are evaluated in the request's locale, not at import time.
"""
from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l

from catalog_app.models import (
    Confidentiality,
    DemandStatus,
    ListingKind,
    ListingStatus,
    MaturityStage,
    OrganizationKind,
    OrganizationTier,
)

LABELS: dict[enum.Enum, object] = {
    ListingKind.SOLUTION: _l("Solution"),
    ListingKind.PRODUCT: _l("Product"),
    ListingKind.CASE: _l("Application case"),
    ListingStatus.DRAFT: _l("Draft"),
    ListingStatus.PENDING_REVIEW: _l("Pending review"),
    ListingStatus.PUBLISHED: _l("Published"),
    ListingStatus.REJECTED: _l("Rejected"),
    ListingStatus.EXPIRED: _l("Expired"),
    ListingStatus.ARCHIVED: _l("Archived"),
    MaturityStage.PILOT: _l("Pilot"),
    MaturityStage.PRODUCTION: _l("In production"),
    MaturityStage.AT_SCALE: _l("At scale"),
    OrganizationKind.ENTERPRISE: _l("Enterprise"),
    OrganizationKind.SUPPLIER: _l("Supplier"),
    OrganizationKind.INSTITUTE: _l("Research institute"),
    OrganizationKind.SERVICE: _l("Service provider"),
    OrganizationTier.CHAIN_LEADER: _l("Chain leader"),
    OrganizationTier.ABOVE_SIZE: _l("Above designated size"),
    OrganizationTier.SME: _l("SME"),
    OrganizationTier.ONE_PERSON: _l("One-person company"),
    DemandStatus.DRAFT: _l("Draft"),
    DemandStatus.PENDING_REVIEW: _l("Pending review"),
    DemandStatus.PUBLISHED: _l("Open"),
    DemandStatus.IN_TALKS: _l("In talks"),
    DemandStatus.SOLVED: _l("Solved"),
    DemandStatus.CLOSED: _l("Closed"),
    DemandStatus.REJECTED: _l("Rejected"),
    Confidentiality.PUBLIC: _l("Public"),
    Confidentiality.SUMMARY_ONLY: _l("Summary only"),
}

# Plural section titles, keyed by kind: the list pages and the home counters use them.
KIND_PLURALS: dict[ListingKind, object] = {
    ListingKind.SOLUTION: _l("Solutions"),
    ListingKind.PRODUCT: _l("Products"),
    ListingKind.CASE: _l("Application cases"),
}

SORT_LABELS: dict[str, object] = {
    "relevance": _l("Relevance"),
    "newest": _l("Newest"),
    "title": _l("Title"),
}


def label(value: enum.Enum | None) -> str:
    """The translated label of an enum member; the raw value if none is defined."""
    if value is None:
        return ""
    return str(LABELS.get(value, value.value))
