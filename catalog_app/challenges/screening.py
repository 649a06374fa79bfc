"""Expert screening of round demands, the averaged ranking, and the published shortlist.

Each assigned expert scores each screenable demand once per criterion (0-10) with a comment;
scoring again replaces the expert's earlier marks (one row per entry and expert). The
weighted total is stored with the marks, computed from the criteria as they read when the
expert scored, so a later edit of the criteria does not silently rewrite given totals.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from catalog_app.challenges import entries, permissions
from catalog_app.challenges.criteria import clean_scores, parse_criteria, weighted_total
from catalog_app.challenges.errors import Forbidden, RoundError
from catalog_app.extensions import db
from catalog_app.models import Event, EventDemand, RoundEntryStatus, ScreeningScore, User
from catalog_app.models._types import utcnow

COMMENT_MAX = 1000
DECISIONS = (RoundEntryStatus.SHORTLISTED, RoundEntryStatus.NOT_SELECTED, RoundEntryStatus.ENTERED)


@dataclass
class RankedEntry:
    entry: EventDemand
    average: float | None
    count: int
    scores: list[ScreeningScore] = field(default_factory=list)


def criteria_or_refuse(event: Event):
    criteria = parse_criteria(event.criteria)
    if not criteria:
        raise RoundError(_("The organiser has not published the scoring criteria yet."))
    return criteria


def average(totals: list[float]) -> float | None:
    return round(sum(totals) / len(totals), 2) if totals else None


def rank_key(average_total: float | None, count: int, position: int | None, row_id: int):
    """Highest average first; unscored last; a tie goes to more scores, then to the order."""
    return (average_total is None, -(average_total or 0.0), -count,
            position if position is not None else 10**9, row_id)


def own_score(expert: User, entry: EventDemand) -> ScreeningScore | None:
    return db.session.scalar(sa.select(ScreeningScore).where(ScreeningScore.entry_id == entry.id,
                                                             ScreeningScore.expert_id == expert.id))


def score_entry(expert: User, event: Event, entry_id: int, raw_scores: dict, comment: str) -> ScreeningScore:
    if not permissions.can_score(expert, event):
        raise Forbidden()
    entry = entries.entry_of(event, entry_id)
    if entry is None or entry not in entries.screenable_entries(event):
        raise Forbidden()
    if permissions.shortlist_is_public(event):
        raise RoundError(_("The shortlist is published: screening is closed."))
    score = own_score(expert, entry)
    if score is None:
        score = ScreeningScore(entry_id=entry.id, expert_id=expert.id)
    return record_score(score, event, raw_scores, comment)


def record_score(score, event: Event, raw_scores: dict, comment: str):
    """Fill one expert's score sheet (screening or pitch) against the event's published
    criteria and commit it; a score outside 0-10 is refused before anything is stored."""
    criteria = criteria_or_refuse(event)
    try:
        scores = clean_scores(criteria, raw_scores)
    except ValueError as error:
        raise RoundError(_("Give %(criterion)s a score from 0 to 10.", criterion=str(error)))
    score.scores = scores
    score.total = weighted_total(criteria, scores)
    score.comment = (comment or "").strip()[:COMMENT_MAX]
    score.submitted_at = utcnow()
    db.session.add(score)
    db.session.commit()
    return score


def screening_ranking(event: Event) -> list[RankedEntry]:
    """Every screenable entry with its experts' average total, best first (two queries)."""
    rows = entries.screenable_entries(event)
    if rows:
        db.session.scalars(sa.select(EventDemand).where(EventDemand.id.in_([row.id for row in rows]))
                           .options(selectinload(EventDemand.scores).joinedload(ScreeningScore.expert))).all()
    ranked = [RankedEntry(entry=row, average=average([score.total for score in row.scores]),
                          count=len(row.scores), scores=sorted(row.scores, key=lambda s: s.submitted_at))
              for row in rows]
    return sorted(ranked, key=lambda item: rank_key(item.average, item.count, None, item.entry.id))


def expert_screening(expert: User, event: Event) -> list[tuple[EventDemand, ScreeningScore | None]]:
    """The expert's list: each screenable entry with the expert's own score, if any."""
    rows = entries.screenable_entries(event)
    mine = {score.entry_id: score for score in db.session.scalars(
        sa.select(ScreeningScore).where(ScreeningScore.expert_id == expert.id,
                                        ScreeningScore.entry_id.in_([row.id for row in rows])))} if rows else {}
    return [(row, mine.get(row.id)) for row in rows]


def decide_entry(actor: User, event: Event, entry_id: int, status: RoundEntryStatus) -> EventDemand:
    if not permissions.can_manage_round(actor, event):
        raise Forbidden()
    entry = entries.entry_of(event, entry_id)
    if entry is None or entry.status is RoundEntryStatus.WITHDRAWN or status not in DECISIONS:
        raise Forbidden()
    if permissions.shortlist_is_public(event) and status is not RoundEntryStatus.SHORTLISTED \
            and entry.status is RoundEntryStatus.SHORTLISTED and entry.pitches:
        raise RoundError(_("This demand already has pitches: remove them before taking it off the shortlist."))
    entry.status = status
    db.session.commit()
    return entry


def publish_shortlist(actor: User, event: Event) -> int:
    """Publish: shortlisted demands become public by name; those still undecided are marked
    not selected, so the page never shows a round half decided. Returns the shortlist size."""
    if not permissions.can_manage_round(actor, event):
        raise Forbidden()
    if permissions.shortlist_is_public(event):
        raise RoundError(_("The shortlist is already published."))
    rows = entries.screenable_entries(event)
    shortlisted = [row for row in rows if row.status is RoundEntryStatus.SHORTLISTED]
    if not shortlisted:
        raise RoundError(_("Shortlist at least one demand before publishing."))
    for row in rows:
        if row.status is RoundEntryStatus.ENTERED:
            row.status = RoundEntryStatus.NOT_SELECTED
    last = max((row.position for row in shortlisted if row.position is not None), default=0)
    for row in sorted(shortlisted, key=lambda r: r.id):
        if row.position is None:
            last += 1
            row.position = last
    event.shortlist_published_at = utcnow()
    db.session.commit()
    return len(shortlisted)
