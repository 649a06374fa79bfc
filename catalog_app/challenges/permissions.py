"""Who may do what in a challenge round. Services check these first; templates ask them too.

- Enterprise members enter their organization's demands while registration is open and the
  shortlist is not out yet, and withdraw them under the same conditions.
- Only experts assigned to the event score (screening and pitches); staff organise: assign
  experts, decide the shortlist, set pitch order, mark winners, publish.
- Screening scores and pitch scores are for the organiser and the event's experts only: a
  supplier or an enterprise never sees another party's marks.
"""
from __future__ import annotations

from catalog_app.accounts.permissions import is_enterprise_member
from catalog_app.events.access import is_event_expert, is_organiser
from catalog_app.models import Demand, DemandStatus, Event, EventStatus
from catalog_app.models._types import utcnow

# A demand may enter while it is public, or waiting for a moderator (an enterprise that just
# wrote one for the round); only public ones show on the round page and to the experts.
ENTERABLE_DEMAND_STATUSES = (DemandStatus.PUBLISHED, DemandStatus.IN_TALKS, DemandStatus.PENDING_REVIEW)


def registration_is_open(event: Event, now=None) -> bool:
    """Published, the window open (no close date: until the event starts), shortlist not out."""
    now = now or utcnow()
    if event.status is not EventStatus.PUBLISHED or event.shortlist_published_at is not None:
        return False
    if event.registration_opens_at is not None and now < event.registration_opens_at:
        return False
    closes_at = event.registration_closes_at or event.starts_at
    return now < closes_at


def can_enter_round(user, event: Event) -> bool:
    return is_enterprise_member(user) and registration_is_open(event)


def can_enter_demand(user, event: Event, demand: Demand) -> bool:
    return (can_enter_round(user, event) and demand.organization_id == user.organization_id
            and demand.status in ENTERABLE_DEMAND_STATUSES)


def can_score(user, event: Event) -> bool:
    """Assigned experts only; staff chair the round but do not score."""
    return event.status is EventStatus.PUBLISHED and is_event_expert(user, event)


def can_manage_round(user, event: Event) -> bool:
    return is_organiser(user, event)


def can_see_scores(user, event: Event) -> bool:
    return is_organiser(user, event) or is_event_expert(user, event)


def shortlist_is_public(event: Event) -> bool:
    return event.shortlist_published_at is not None


def results_are_public(event: Event) -> bool:
    return event.results_published_at is not None
