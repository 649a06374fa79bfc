"""Recommended counterparts: the other side's participants, ranked by the matching engine.

An enterprise's demands (its round demands first, then its organization's open demands)
are ranked against the listings each supplier brings (the registration's listings, or its
organization's published listings when it named none); a supplier's listings are ranked
against the enterprises' demands. Both go through the shared, live indexes of
`recommendations.services` (never rebuilt per request); a pair's score is its best
demand-listing match, and its reasons are the engine's reasons for that match.
Participants the engine does not connect are still listed, after the matched ones: anyone
approved may be met.
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from catalog_app.extensions import db
from catalog_app.models import (
    Demand,
    EventDemand,
    EventRegistration,
    EventSide,
    Listing,
    RegistrationStatus,
    RoundEntryStatus,
)
from catalog_app.visibility import open_demand_condition, visible_listing_condition
from catalog_app.recommendations.services import (
    Recommendation,
    rank_demands_among,
    rank_listings_among,
    score_demands_among,
    score_listings_among,
)

DEMANDS_CONSIDERED = 10
LISTINGS_PER_SUPPLIER = 10


@dataclass
class Counterpart:
    registration: EventRegistration
    recommendation: Recommendation | None = None
    demand: Demand | None = None      # the enterprise's demand of the best match
    listing: Listing | None = None    # the supplier's listing of the best match

    @property
    def percent(self) -> int:
        return self.recommendation.percent if self.recommendation else 0

    def explanation(self, locale: str = "zh") -> str:
        return self.recommendation.explanation(locale) if self.recommendation else ""


def approved_others(registration: EventRegistration) -> list[EventRegistration]:
    """The event's approved registrations on the other side, with what the page shows."""
    return list(db.session.scalars(
        sa.select(EventRegistration)
        .where(EventRegistration.event_id == registration.event_id,
               EventRegistration.status == RegistrationStatus.APPROVED,
               EventRegistration.side != registration.side,
               EventRegistration.organization_id != registration.organization_id)
        .order_by(EventRegistration.id)
        .options(selectinload(EventRegistration.organization), selectinload(EventRegistration.listings),
                 selectinload(EventRegistration.attendee))))


def demands_of(registrations: list[EventRegistration], limit: int = DEMANDS_CONSIDERED) -> dict[int, list[Demand]]:
    """registration id -> its enterprise's demands: round demands of the event first, then
    the organization's other open demands, newest first, `limit` at most."""
    if not registrations:
        return {}
    event_id = registrations[0].event_id
    org_ids = {r.organization_id for r in registrations}
    round_ids = set(db.session.scalars(sa.select(EventDemand.demand_id).where(
        EventDemand.event_id == event_id, EventDemand.status != RoundEntryStatus.WITHDRAWN)))
    rows = db.session.scalars(
        sa.select(Demand).where(Demand.organization_id.in_(org_ids),
                                sa.or_(open_demand_condition(), Demand.id.in_(round_ids)))
        .order_by(Demand.published_at.desc().nulls_last(), Demand.id.desc())
        .options(selectinload(Demand.industries), selectinload(Demand.scenarios),
                 selectinload(Demand.technologies), selectinload(Demand.region)))
    by_org: dict[int, list[Demand]] = {}
    for demand in rows:
        by_org.setdefault(demand.organization_id, []).append(demand)
    return {r.id: sorted(by_org.get(r.organization_id, []), key=lambda d: d.id not in round_ids)[:limit]
            for r in registrations}


def listings_of(registrations: list[EventRegistration], limit: int = LISTINGS_PER_SUPPLIER) -> dict[int, list[Listing]]:
    """registration id -> the listings it brings, or its organization's published ones."""
    visible = {listing.id for r in registrations for listing in r.listings}
    if visible:
        visible = set(db.session.scalars(sa.select(Listing.id).where(
            Listing.id.in_(visible), visible_listing_condition())))
    fallback_orgs = {r.organization_id for r in registrations if not any(listing.id in visible for listing in r.listings)}
    by_org: dict[int, list[Listing]] = {}
    if fallback_orgs:
        for listing in db.session.scalars(
                sa.select(Listing).where(Listing.organization_id.in_(fallback_orgs), visible_listing_condition())
                .order_by(Listing.published_at.desc().nulls_last(), Listing.id.desc())):
            by_org.setdefault(listing.organization_id, []).append(listing)
    out = {}
    for r in registrations:
        brought = [listing for listing in r.listings if listing.id in visible]
        out[r.id] = (brought or by_org.get(r.organization_id, []))[:limit]
    return out


def recommended_counterparts(registration: EventRegistration, reader=None,
                             only: int | None = None) -> list[Counterpart]:
    """The other side's participants, best match first, each with the engine's reasons.

    :param registration: the viewer's approved registration.
    :param reader: the viewing user (an enterprise's own demand text may be quoted to it).
    :param only: one counterpart's registration id (a request stores what the engine said
        about that pair), instead of ranking them all.
    """
    others = [r for r in approved_others(registration) if only is None or r.id == only]
    if not others:
        return []
    best: dict[int, Counterpart] = {r.id: Counterpart(r) for r in others}
    # First pass, unexplained: every (demand, listing) pair's confidence; the best pair per
    # counterpart is kept. Second pass: the engine explains only those pairs.
    pairs: dict[int, tuple[float, Demand, Listing]] = {}
    if registration.side is EventSide.ENTERPRISE:
        listings = listings_of(others)
        owner = {listing.id: reg_id for reg_id, found in listings.items() for listing in found}
        by_id = {listing.id: listing for found in listings.values() for listing in found}
        for demand in demands_of([registration])[registration.id]:
            for listing_id, confidence in score_listings_among(demand, owner, reader=reader).items():
                _keep(pairs, owner[listing_id], confidence, demand, by_id[listing_id])
        for reg_id, (_confidence, demand, listing) in pairs.items():
            found = rank_listings_among(demand, [listing.id], reader=reader)
            if found:
                best[reg_id].recommendation, best[reg_id].demand, best[reg_id].listing = found[0], demand, listing
    else:
        demands = demands_of(others)
        owner = {demand.id: reg_id for reg_id, found in demands.items() for demand in found}
        by_id = {demand.id: demand for found in demands.values() for demand in found}
        for listing in listings_of([registration])[registration.id]:
            for demand_id, confidence in score_demands_among(listing, owner).items():
                _keep(pairs, owner[demand_id], confidence, by_id[demand_id], listing)
        for reg_id, (_confidence, demand, listing) in pairs.items():
            found = rank_demands_among(listing, [demand.id])
            if found:
                best[reg_id].recommendation, best[reg_id].demand, best[reg_id].listing = found[0], demand, listing
    return sorted(best.values(), key=lambda c: (-(c.recommendation.confidence if c.recommendation else -1),
                                                c.registration.organization.name))


def _keep(pairs: dict, reg_id: int, confidence: float, demand: Demand, listing: Listing) -> None:
    if reg_id not in pairs or confidence > pairs[reg_id][0]:
        pairs[reg_id] = (confidence, demand, listing)


def reason_text(counterpart: Counterpart, locale: str = "zh") -> str:
    """The sentence stored with a request (what the engine said when it was made)."""
    return counterpart.explanation(locale)[:500] if counterpart.recommendation else ""

