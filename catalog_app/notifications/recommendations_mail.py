"""Recommendation emails: a published demand to the suppliers whose listings answer it, and new
strong matches to the enterprise that posted a demand.

When is a match worth an email? The engine's confidence (`Match.confidence`, 0..1) is
absolute: the same listing gets the same confidence for a demand whatever its competitors
list, so a threshold on it separates good matches from noise (see
`catalog_app.recommendations.confidence`). A match qualifies only with both:

* `confidence` ≥ `RECOMMENDATION_EMAIL_MIN_CONFIDENCE`, which defaults to and is never below
  `STRONG_MATCH_CONFIDENCE` (default: the engine's `strong_match_confidence`): nothing weaker
  than a strong match is ever e-mailed, to suppliers or to enterprises; and
* a reason that is about content: a shared facet (industry, scenario, technology) or a
  matched term/synonym — not only boosts such as "verified supplier" or "has a case".

The e-mail's bar and percentage show the confidence (`round(confidence * 100)`).

Idempotency: one email per supplier member per demand, ever
(`demand-published:{demand_id}:{user_id}`), and one per enterprise member per strong match
(`strong-match:{match_id}:{user_id}`); digest items are unique per user and match. So a
second approval (an edited demand) or a rerun of the scan queues nothing new for old pairs.
"""
from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from catalog_app.extensions import db
from catalog_app.models import Demand, DigestEntry, Frequency, Listing, Match, MatchStatus, OutboxMessage, User
from catalog_app.notifications.digests import add_to_digest, match_item_key
from catalog_app.notifications.links import external_url, feedback_url, open_url, unsubscribe_headers, unsubscribe_url
from catalog_app.notifications.members import active_members
from catalog_app.notifications.preferences import DEMAND_MATCHES, STRONG_MATCHES, frequency_for
from catalog_app.notifications.services import send_email
from catalog_app.recommendations.confidence import email_min_confidence, percent_of

log = logging.getLogger(__name__)

CONTENT_REASONS = frozenset({"facet", "term", "synonym"})
LISTINGS_PER_EMAIL = 3


@dataclass(frozen=True)
class MatchItem:
    """One recommended pair as an email shows it: plain values, so previews need no database."""

    match_id: int
    demand_title: str
    listing_title: str
    organization_name: str   # the other side's organization
    percent: int
    explanation: str
    view_url: str
    interested_url: str
    not_relevant_url: str


@dataclass
class QueueReport:
    emails: int = 0
    digest_items: int = 0
    skipped_off: int = 0
    recipients: set[int] = field(default_factory=set)


def qualifies(match: Match) -> bool:
    """See the module docstring: the confidence floor plus a content reason."""
    if match.status is MatchStatus.DISMISSED or match.confidence < email_min_confidence():
        return False
    return bool({reason.get("kind") for reason in match.reasons or []} & CONTENT_REASONS)


def explanation_of(match: Match, locale: str) -> str:
    from catalog_app.recommendations.services import Reason, explain_reasons

    reasons = tuple(Reason(r.get("kind", ""), r.get("label", ""), float(r.get("weight") or 0), facet=r.get("facet"))
                    for r in match.reasons or [])
    return explain_reasons(reasons, locale)


def match_item(match: Match, user: User, locale: str, for_supplier: bool) -> MatchItem:
    """Links are signed for `user`; the view link is tracked and leads to the other side's page."""
    other = match.demand.organization if for_supplier else match.listing.organization
    return MatchItem(
        match_id=match.id, demand_title=match.demand.title, listing_title=match.listing.title,
        organization_name=other.name if other else "", percent=percent_of(match.confidence),
        explanation=explanation_of(match, locale),
        view_url=open_url(match.id, user.id, "demand" if for_supplier else "listing"),
        interested_url=feedback_url(match.id, user.id, "interested"),
        not_relevant_url=feedback_url(match.id, user.id, "not_relevant"),
    )


def footer_links(user: User, kind: str) -> dict[str, str]:
    return {"preferences_url": external_url("notifications.preferences"),
            "unsubscribe_url": unsubscribe_url(user.id, kind)}


# ---------------------------------------------------------------- demand published → suppliers

def queue_demand_recommendations(demand: Demand) -> QueueReport:
    """Store the demand's matches and queue one email per member of each matching supplier.

    Called by `moderation.services.approve_and_notify` in its transaction (never commits).
    Runs inside a SAVEPOINT: if ranking or rendering fails, the error is logged and the
    demand is still published, without recommendation emails — publishing must not depend
    on the matching engine.
    """
    report = QueueReport()
    try:
        with db.session.begin_nested():
            _queue_demand_recommendations(demand, report)
    except Exception:  # noqa: BLE001 - see docstring
        log.exception("recommendation emails for demand %s failed; demand published without them", demand.id)
        return QueueReport()
    return report


def _queue_demand_recommendations(demand: Demand, report: QueueReport) -> None:
    from catalog_app.recommendations.services import store_matches

    top = int(current_app.config["RECOMMENDATION_EMAIL_CANDIDATES"])
    matches = [m for m in store_matches(demand, top=top) if qualifies(m)]
    by_organization: dict[int, list[Match]] = defaultdict(list)
    for match in sorted(matches, key=lambda m: -m.confidence):
        if match.listing.organization_id != demand.organization_id:
            by_organization[match.listing.organization_id].append(match)
    for organization_id, org_matches in by_organization.items():
        for user in active_members(organization_id):
            _route_to_supplier(demand, org_matches[:LISTINGS_PER_EMAIL], user, report)


def _route_to_supplier(demand: Demand, matches: list[Match], user: User, report: QueueReport) -> None:
    frequency = frequency_for(user, DEMAND_MATCHES)
    if frequency is Frequency.OFF:
        report.skipped_off += 1
        return
    email_key = f"demand-published:{demand.id}:{user.id}"
    if _already_emailed(email_key):  # announced before (an edit approved again): never twice
        return
    if frequency is not Frequency.IMMEDIATE:
        for match in matches:
            report.digest_items += add_to_digest(user, DEMAND_MATCHES, match_item_key(match.id), match_id=match.id)
        return
    locale = user.locale or "zh"
    with force_locale(locale):
        subject = str(_l("New demand matching your listings: %(title)s", title=demand.title))
    send_email(user.email, subject, "recommendations_demand", locale,
               idempotency_key=email_key,
               mail_headers=unsubscribe_headers(user.id, DEMAND_MATCHES),
               name=user.display_name or user.email, demand_title=demand.title,
               demand_summary=demand.summary, enterprise_name=demand.organization.name,
               deadline=demand.deadline.isoformat() if demand.deadline else "",
               budget_min=demand.budget_min, budget_max=demand.budget_max,
               demand_url=open_url(matches[0].id, user.id, "demand"),
               items=[match_item(m, user, locale, for_supplier=True) for m in matches],
               **footer_links(user, DEMAND_MATCHES))
    report.emails += 1
    report.recipients.add(user.id)


# ---------------------------------------------------------------- new listings → enterprises

def queue_strong_matches() -> QueueReport:
    """Refresh the matches of every open demand and tell its enterprise about new strong ones.

    "New" means the listing was published after the demand (the demand page already showed
    the older ones when it was published). Immediate users get one email per match; digest
    users get digest items. Commits once. The full rescan: run by the Celery beat task
    `notifications.strong_matches` and `flask emails strong-matches`; the embedded worker
    runs the incremental `queue_listing_leads` instead.
    """
    from catalog_app.recommendations.documents import open_demand_condition

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
    from catalog_app.recommendations.documents import open_demand_condition, visible_listing_condition
    from catalog_app.recommendations.services import demand_ids_answered_by

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
    """Store the demand's matches and announce the qualifying ones published after it (among `listing_ids`)."""
    from catalog_app.recommendations.services import store_matches

    top = int(current_app.config["RECOMMENDATION_EMAIL_CANDIDATES"])
    fresh = [m for m in store_matches(demand, top=top)
             if (listing_ids is None or m.listing_id in listing_ids)
             and demand.published_at and m.listing.published_at and m.listing.published_at >= demand.published_at
             and m.listing.organization_id != demand.organization_id and qualifies(m)]
    if not fresh:
        return
    for user in active_members(demand.organization_id):
        for match in fresh:
            _route_strong_match(match, user, report)


def _route_strong_match(match: Match, user: User, report: QueueReport) -> None:
    frequency = frequency_for(user, STRONG_MATCHES)
    if frequency is Frequency.OFF:
        report.skipped_off += 1
        return
    item_key, email_key = match_item_key(match.id), f"strong-match:{match.id}:{user.id}"
    # One announcement per match and user, whichever way it went first (email or digest).
    if _already_emailed(email_key) or db.session.scalar(sa.select(DigestEntry.id).where(
            DigestEntry.user_id == user.id, DigestEntry.item_key == item_key)):
        return
    if frequency is not Frequency.IMMEDIATE:
        report.digest_items += add_to_digest(user, STRONG_MATCHES, item_key, match_id=match.id)
        return
    locale = user.locale or "zh"
    with force_locale(locale):
        subject = str(_l("A new listing matches your demand: %(title)s", title=match.demand.title))
    send_email(user.email, subject, "recommendations_strong", locale, idempotency_key=email_key,
               mail_headers=unsubscribe_headers(user.id, STRONG_MATCHES), name=user.display_name or user.email,
               item=match_item(match, user, locale, for_supplier=False), **footer_links(user, STRONG_MATCHES))
    report.emails += 1
    report.recipients.add(user.id)


def _already_emailed(idempotency_key: str) -> bool:
    return db.session.scalar(sa.select(OutboxMessage.id).where(OutboxMessage.idempotency_key == idempotency_key)) is not None
