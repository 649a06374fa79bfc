"""New listings → the enterprises whose open demands they answer strongly.

Orchestration: `recommendations.matches` refreshes each demand's Match rows and says which
qualify; `notifications.recommendations_mail` routes the new qualifying ones to the
enterprise's members (e-mail or digest, by preference). Run by the Celery beat tasks
(publishing/tasks.py), the embedded worker (publishing/worker.py) and `flask emails
strong-matches`.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from catalog_app.extensions import db
from catalog_app.models import Demand, Listing
from catalog_app.notifications.recommendations_mail import QueueReport, queue_strong_match_mail
from catalog_app.recommendations import matches
from catalog_app.recommendations.services import demand_ids_answered_by
from catalog_app.visibility import open_demand_condition, visible_listing_condition


def queue_strong_matches() -> QueueReport:
    """Refresh the matches of every open demand and tell its enterprise about new strong ones.

    "New" means the listing was published after the demand (the demand page already showed
    the older ones when it was published). Immediate users get one email per match; digest
    users get digest items. Commits once. The full rescan: run by the Celery beat task
    `notifications.strong_matches` and `flask emails strong-matches`; the embedded worker
    runs the incremental `queue_listing_leads` instead.
    """
    report = QueueReport()
    demands = db.session.scalars(sa.select(Demand).where(open_demand_condition()).order_by(Demand.id)).all()
    for demand in demands:
        _announce_new_listings(demand, report)
    db.session.commit()
    return report


def queue_listing_leads(since: datetime) -> QueueReport:
    """Listings published since `since` → the enterprises whose open demands they answer strongly.

    The incremental form of `queue_strong_matches`, run every LISTING_LEADS_SCAN_SECONDS by
    the embedded worker (`flask emails work`), so that a published listing reaches matching
    enterprises within a minute without a broker. Only the demands the new listings rank
    best in the demand index (LISTING_LEADS_CANDIDATE_DEMANDS each) are re-ranked, and each
    goes through the same path as the full scan: stored matches, `qualifies` (the calibrated
    confidence floor), the enterprise's preference, and the idempotency key
    `strong-match:{match_id}:{user_id}`, so neither scan nor a rerun announces a match twice.
    Commits once, and only when a listing was published since `since`.
    """
    new_listings = db.session.scalars(
        sa.select(Listing).where(visible_listing_condition(), Listing.published_at >= since)
        .order_by(Listing.id)
        .options(selectinload(Listing.industries), selectinload(Listing.scenarios),
                 selectinload(Listing.technologies))).all()
    report = QueueReport()
    if not new_listings:
        return report
    candidates = int(current_app.config["LISTING_LEADS_CANDIDATE_DEMANDS"])
    demand_ids = demand_ids_answered_by(new_listings, top=candidates)
    demands = db.session.scalars(sa.select(Demand).where(Demand.id.in_(demand_ids), open_demand_condition())
                                 .order_by(Demand.id)).all() if demand_ids else []
    new_ids = {listing.id for listing in new_listings}
    for demand in demands:
        _announce_new_listings(demand, report, listing_ids=new_ids)
    db.session.commit()
    return report


def _announce_new_listings(demand: Demand, report: QueueReport, listing_ids: set[int] | None = None) -> None:
    """Refresh the demand's matches and announce the qualifying ones published after it (among `listing_ids`)."""
    fresh = [m for m in matches.qualifying_matches(demand)
             if (listing_ids is None or m.listing_id in listing_ids)
             and demand.published_at and m.listing.published_at and m.listing.published_at >= demand.published_at
             and m.listing.organization_id != demand.organization_id]
    if fresh:
        queue_strong_match_mail(demand, fresh, report)
