"""The match lifecycle: refresh a demand's Match rows, decide which qualify for an e-mail,
and move a match through its states (suggested → viewed → contacted, or dismissed).

This package owns Match rows: notifications renders and queues the e-mails about them
and calls the state changes here when a recipient clicks a link; the publishing layer
calls `qualifying_matches` after an approval and on its scans. Nothing here commits except
`dismiss_match`, a use-case of its own.

When is a match worth an e-mail? The engine's confidence (`Match.confidence`, 0..1) is
absolute: the same listing gets the same confidence for a demand whatever its competitors
list, so a threshold on it separates good matches from noise (see `confidence`). A match
qualifies only with both:

* `confidence` ≥ `RECOMMENDATION_EMAIL_MIN_CONFIDENCE`, which defaults to and is never below
  `STRONG_MATCH_CONFIDENCE` (default: the engine's `strong_match_confidence`): nothing weaker
  than a strong match is ever e-mailed, to suppliers or to enterprises; and
* a reason that is about content: a shared facet (industry, scenario, technology) or a
  matched term/synonym — not only boosts such as "verified supplier" or "has a case".
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import current_app

from catalog_app.extensions import db
from catalog_app.models import Demand, Listing, Match, MatchFeedback, MatchStatus, User, Verdict
from catalog_app.models._types import utcnow
from catalog_app.recommendations import services
from catalog_app.recommendations.confidence import email_min_confidence
from catalog_app.recommendations.permissions import can_dismiss_match

CONTENT_REASONS = frozenset({"facet", "term", "synonym"})


# ---------------------------------------------------------------- refresh and qualify

def qualifies(match: Match) -> bool:
    """See the module docstring: the confidence floor plus a content reason."""
    if match.status is MatchStatus.DISMISSED or match.confidence < email_min_confidence():
        return False
    return bool({reason.get("kind") for reason in match.reasons or []} & CONTENT_REASONS)


def qualifying_matches(demand: Demand) -> list[Match]:
    """Refresh the demand's stored matches (flushes) and return those worth an e-mail.

    The candidates are the top RECOMMENDATION_EMAIL_CANDIDATES; `services.store_matches`
    is looked up on call, so a test can replace the engine.
    """
    top = int(current_app.config["RECOMMENDATION_EMAIL_CANDIDATES"])
    return [match for match in services.store_matches(demand, top=top) if qualifies(match)]


# ---------------------------------------------------------------- state changes

def _move(match: Match, status: MatchStatus) -> None:
    if match.status is not status:
        match.status, match.updated_at = status, utcnow()


def mark_viewed(match: Match) -> bool:
    """A recipient opened a suggested match; True when the state changed (caller commits)."""
    if match.status is not MatchStatus.SUGGESTED:
        return False
    _move(match, MatchStatus.VIEWED)
    return True


def record_verdict(match: Match, user: User, verdict: Verdict) -> None:
    """Store `user`'s verdict on the pair (one row per demand, listing and user) and act on it.

    Not relevant dismisses the match for good; interested marks it contacted. Flushes
    nothing and never commits: the caller commits with the e-mail it queues.
    """
    row = db.session.scalar(sa.select(MatchFeedback).where(
        MatchFeedback.demand_id == match.demand_id, MatchFeedback.listing_id == match.listing_id,
        MatchFeedback.user_id == user.id))
    if row is None:
        db.session.add(MatchFeedback(demand_id=match.demand_id, listing_id=match.listing_id, user_id=user.id,
                                     verdict=verdict))
    elif row.verdict is not verdict:
        row.verdict = verdict
    _move(match, MatchStatus.DISMISSED if verdict is Verdict.NOT_RELEVANT else MatchStatus.CONTACTED)


class MatchActionError(Exception):
    """The user may not act on this pair, or the pair does not exist publicly."""


def dismiss_match(user, demand_id: int, listing_id: int) -> Match:
    """Dismiss a demand/listing pair for good: it is never recommended again (commits).

    Either side may do it; the row is created if the pair was only ever shown live.
    """
    demand = db.session.get(Demand, demand_id)
    listing = db.session.get(Listing, listing_id)
    if demand is None or listing is None or not can_dismiss_match(user, demand, listing):
        raise MatchActionError()
    match = db.session.scalar(sa.select(Match).where(Match.demand_id == demand_id,
                                                     Match.listing_id == listing_id))
    if match is None:
        match = Match(demand_id=demand_id, listing_id=listing_id, score=0.0, reasons=[])
        db.session.add(match)
    _move(match, MatchStatus.DISMISSED)
    db.session.commit()
    return match
