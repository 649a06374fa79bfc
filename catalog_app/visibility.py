"""Which text of a demand a reader may see: the one confidentiality rule.

An enterprise that publishes a demand as summary-only (仅公开摘要) shows the public its
title and summary (plus tags, budget and dates) and nothing of its background,
requirements, expected outcomes or data; `confidential_details` is never public, whatever
the setting. Every path that shows, indexes, searches, explains, mails or exports demand
text asks this module instead of reading those columns: the keyword index and its SQL
fallback, the matching query behind the reasons (匹配原因), recommendation emails, the API.
A hidden word that reaches a search index can be found again by guessing two characters
at a time, so "public" here means public everywhere, not only on the detail page.

Who reads the hidden text:

* the owner organization's enterprise members and the platform's moderators and
  administrators, anywhere (`demand_text(demand, reader)` gives them the full text);
* suppliers the enterprise approved and whose organization accepted the terms
  (`is_approved_supplier`), only through the logged confidential page
  (`proposals.confidentiality.read_confidential_details`), which records every view. They
  get the public text everywhere else, so no page shows them hidden text without a log row.

This module sits on the shared floor: it imports models only, and every feature (demands,
recommendations, notifications, api, catalog, proposals) imports it downward.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from catalog_app.extensions import db
from catalog_app.models import (
    PUBLIC_DEMAND_STATUSES,
    ConfidentialAccess,
    Confidentiality,
    Demand,
    DemandStatus,
    Listing,
    UserRole,
)

PUBLIC_FIELDS = ("title", "summary")
# Shown to the public only when the demand is not summary-only.
SUMMARY_ONLY_HIDDEN_FIELDS = ("background", "requirements", "expected_outcomes", "data_available")
# Never shown to the public.
NEVER_PUBLIC_FIELDS = ("confidential_details",)
TEXT_FIELDS = PUBLIC_FIELDS + SUMMARY_ONLY_HIDDEN_FIELDS + NEVER_PUBLIC_FIELDS


def is_summary_only(demand) -> bool:
    """True when the enterprise published the summary only (rows and ORM objects alike)."""
    return demand.confidentiality in (Confidentiality.SUMMARY_ONLY, Confidentiality.SUMMARY_ONLY.value)


def withheld_fields(demand) -> tuple[str, ...]:
    """The text fields of `demand` that the public does not see."""
    return SUMMARY_ONLY_HIDDEN_FIELDS + NEVER_PUBLIC_FIELDS if is_summary_only(demand) else NEVER_PUBLIC_FIELDS


# ---------------------------------------------------------------- readers

def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(getattr(user, "is_active", False))


def is_owner_reader(user, demand) -> bool:
    """An enterprise member of the organization that posted the demand."""
    return (_signed_in(user) and user.role is UserRole.ENTERPRISE and user.organization_id is not None
            and user.organization_id == demand.organization_id)


def reads_full_text(user, demand) -> bool:
    """Owner organization and staff: the readers who get the hidden text on every page."""
    return is_owner_reader(user, demand) or (_signed_in(user) and bool(getattr(user, "is_staff", False)))


def access_unlocks(user, demand, access: ConfidentialAccess | None) -> bool:
    """Whether `access` lets `user` in: the enterprise approved the user's supplier
    organization for this demand and a member of it accepted the confidentiality terms."""
    return (access is not None and _signed_in(user) and user.role is UserRole.SUPPLIER
            and user.organization_id is not None and access.demand_id == demand.id
            and access.organization_id == user.organization_id and access.is_unlocked)


def is_approved_supplier(user, demand) -> bool:
    """A supplier whose organization the enterprise let into this summary-only demand."""
    if not is_summary_only(demand) or not _signed_in(user) or user.organization_id is None:
        return False
    access = db.session.scalar(sa.select(ConfidentialAccess).where(
        ConfidentialAccess.demand_id == demand.id, ConfidentialAccess.organization_id == user.organization_id))
    return access_unlocks(user, demand, access)


# ---------------------------------------------------------------- the text itself

@dataclass(frozen=True)
class DemandText:
    """A demand's text as one reader may see it; a withheld field is the empty string."""

    title: str
    summary: str
    background: str
    requirements: str
    expected_outcomes: str
    data_available: str
    confidential_details: str
    withheld: tuple[str, ...]

    @property
    def is_locked(self) -> bool:
        """True when the reader does not see the summary-only part."""
        return "background" in self.withheld

    def shown(self, name: str) -> str | None:
        """The field, or None when it is withheld from this reader (the API's null)."""
        return None if name in self.withheld else getattr(self, name)

    def matching_text(self) -> str:
        """The text the matching engine reads for a demand (title weighed twice)."""
        return "\n".join(part for part in (self.title, self.title, self.summary, self.background,
                                           self.requirements, self.expected_outcomes) if part)


def demand_text(demand, reader=None) -> DemandText:
    """The text of `demand` that `reader` may see; no reader means the public.

    :param demand: a Demand, or any row with its text columns, `confidentiality` and
        `organization_id` (columns a Core query did not select read as empty).
    :param reader: the user who will see the text, or None for the public and for
        anything shared (search indexes, stored matches, emails to suppliers).
    """
    withheld = () if reader is not None and reads_full_text(reader, demand) else withheld_fields(demand)
    values = {name: "" if name in withheld else (getattr(demand, name, "") or "") for name in TEXT_FIELDS}
    return DemandText(**values, withheld=withheld)


def public_demand_text(demand) -> DemandText:
    """What anyone may see of `demand`."""
    return demand_text(demand, None)


def public_text_column(column) -> ColumnElement:
    """A demand text column in SQL as the public sees it, for keyword search (LIKE).

    :param column: one of Demand's text columns.
    :returns: the column for public demands, '' for a hidden one.
    """
    name = column.key
    if name in PUBLIC_FIELDS:
        return column
    if name in NEVER_PUBLIC_FIELDS:
        return sa.literal("")
    return sa.case((Demand.confidentiality == Confidentiality.SUMMARY_ONLY, sa.literal("")), else_=column)


# ---------------------------------------------------------------- which rows are public

# Demands suppliers can still answer: recommendations never point at solved or closed ones.
OPEN_DEMAND_STATUSES = (DemandStatus.PUBLISHED, DemandStatus.IN_TALKS)


def visible_listing_condition(today: date | None = None):
    """The rule for a listing to appear anywhere: published and not past its expiry date."""
    return _visible_on(today or date.today())


@functools.lru_cache(maxsize=4)
def _visible_on(today: date):
    # Built once a day: SQL expressions are immutable, and every list page asks for it. The
    # rule itself is the model's (Listing.visible_on beside Listing.is_public).
    return Listing.visible_on(today)


def open_demand_condition():
    return Demand.status.in_(OPEN_DEMAND_STATUSES)


def public_demand_condition():
    """Demands anyone may see (published, in talks, solved): what keyword search covers."""
    return Demand.status.in_(PUBLIC_DEMAND_STATUSES)
