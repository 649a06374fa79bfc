"""Labelled demand/listing pairs: what users did with recommendations, read from existing rows.

No table of its own: every signal is already stored where the action happened, so this is a
view over those rows (issue #11, "learning from feedback"):

====================================  =====  =================================================
signal                                label  row
====================================  =====  =================================================
proposal shortlisted or agreed        1      `Proposal` + `proposal_listings` (the listings it named)
proposal declined as "not a fit"      0      same (other decline reasons say nothing of the fit)
"interested" / "not relevant" click   1 / 0  `MatchFeedback` (majority of the users; a tie is 1)
dismissed on a recommendation list    0      `Match.status == dismissed`
contacted (interest shown)            1      `Match.status == contacted`
====================================  =====  =================================================

When signals of one pair disagree, the first row of the table wins: the enterprise's decision
on a proposal outweighs a click, a click outweighs a dismissal by either side, and a plain
"contacted" counts only when nothing else is known.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa

from catalog_app.extensions import db
from catalog_app.models import (DeclineReason, Match, MatchFeedback, MatchStatus, Proposal, ProposalStatus,
                                Verdict)
from catalog_app.models.proposals import proposal_listings

# Signal -> (priority, label); lower priority wins.
SIGNALS = {"shortlisted": (0, 1), "agreed": (0, 1), "declined_not_a_fit": (1, 0), "interested": (2, 1),
           "not_relevant": (2, 0), "dismissed": (3, 0), "contacted": (4, 1)}


@dataclass(frozen=True)
class LabelledPair:
    demand_id: int
    listing_id: int
    label: int    # 1: the pair was a fit for the people involved, 0: it was not
    source: str   # the deciding signal (a key of SIGNALS)


def _proposal_signals():
    rows = db.session.execute(
        sa.select(Proposal.demand_id, proposal_listings.c.listing_id, Proposal.status, Proposal.decline_reason)
        .join(proposal_listings, proposal_listings.c.proposal_id == Proposal.id)
        .where(sa.or_(Proposal.status.in_((ProposalStatus.SHORTLISTED, ProposalStatus.AGREED)),
                      sa.and_(Proposal.status == ProposalStatus.DECLINED,
                              Proposal.decline_reason == DeclineReason.NOT_A_FIT))))
    for demand_id, listing_id, status, _reason in rows:
        yield demand_id, listing_id, "declined_not_a_fit" if status is ProposalStatus.DECLINED else status.value


def _feedback_signals():
    votes: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
    for demand_id, listing_id, verdict in db.session.execute(
            sa.select(MatchFeedback.demand_id, MatchFeedback.listing_id, MatchFeedback.verdict)):
        votes[(demand_id, listing_id)][verdict is Verdict.INTERESTED] += 1
    for (demand_id, listing_id), (against, for_) in votes.items():
        yield demand_id, listing_id, "interested" if for_ >= against else "not_relevant"


def _match_signals():
    rows = db.session.execute(sa.select(Match.demand_id, Match.listing_id, Match.status)
                              .where(Match.status.in_((MatchStatus.DISMISSED, MatchStatus.CONTACTED))))
    for demand_id, listing_id, status in rows:
        yield demand_id, listing_id, status.value


def labelled_pairs() -> list[LabelledPair]:
    """Every demand/listing pair someone judged, one label each, ordered by demand and listing."""
    best: dict[tuple[int, int], str] = {}
    for source in (_proposal_signals(), _feedback_signals(), _match_signals()):
        for demand_id, listing_id, signal in source:
            key = (demand_id, listing_id)
            if key not in best or SIGNALS[signal][0] < SIGNALS[best[key]][0]:
                best[key] = signal
    return [LabelledPair(demand_id, listing_id, SIGNALS[signal][1], signal)
            for (demand_id, listing_id), signal in sorted(best.items())]
