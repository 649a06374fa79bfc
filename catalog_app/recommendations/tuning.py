"""`flask matching tune`: fit the ranking weights on users' feedback, keep them only if better.

The engine's confidence is ``logistic(slope * (final - midpoint))`` where ``final`` is the
lexical score plus additive boosts (a shared facet, a verified supplier, a delivered case).
A logistic regression of the labels (see `labels.py`) on

    x = [logit(confidence under the current weights), shared industry, shared scenario,
         shared technology, shared region, verified supplier, related case]

is therefore the same model with those knobs free: for coefficients ``a`` (on the logit),
``b_k`` (on the indicators) and intercept ``c``,

    a * slope * (final - midpoint) + sum(b_k * x_k) + c
        = slope' * (final + sum(delta_k * x_k) - midpoint')

with ``slope' = a * slope``, ``delta_k = b_k / slope'`` added to the boost of feature k and
``midpoint' = midpoint - c / slope'``. The tuned weights are those; everything else (field
weights, BM25, PRF...) stays as it is.

The fit is checked end to end rather than trusted: the labelled pairs of held-out demands
(every `holdout_every`-th demand by id, never seen by the fit) are ranked again with the
current and with the tuned weights, and the tuned weights are kept only when their log loss
on those pairs is lower. A pair the engine does not rank within `depth` results cannot be
scored and is left out (and counted).
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from catalog_app.extensions import db
from catalog_app.models import Demand
from catalog_app.recommendations.documents import demand_query, listing_documents
from catalog_app.recommendations.labels import LabelledPair, labelled_pairs
from matching import Index, Match, RankingWeights, build_index, rank

FACETS = ("industry", "scenario", "technology", "region")
FEATURES = ("confidence_logit", *(f"facet_{f}" for f in FACETS), "verified", "case")
EPSILON = 1e-6
MIN_PER_CLASS = 5


class TuningError(Exception):
    """Tuning cannot run or its result is not better: the message says why."""


@dataclass
class TuningReport:
    labelled: int                    # pairs with a label
    scored_train: int                # of which ranked within `depth` (fit)
    scored_holdout: int              # of which ranked within `depth` under both weights (check)
    current_loss: float
    tuned_loss: float
    current: RankingWeights
    tuned: RankingWeights
    coefficients: dict[str, float] = field(default_factory=dict)

    @property
    def improved(self) -> bool:
        return self.tuned_loss < self.current_loss


def features_of(match: Match) -> list[float]:
    """The per-pair features (see FEATURES) the engine reports for one ranked match."""
    conf = min(max(match.confidence, EPSILON), 1 - EPSILON)
    facets = {r.facet for r in match.reasons if r.kind == "facet"}
    kinds = {r.kind for r in match.reasons}
    return [math.log(conf / (1 - conf)), *(float(f in facets) for f in FACETS),
            float("verified" in kinds), float("case" in kinds)]


def _demands(ids: set[int]) -> list[Demand]:
    return list(db.session.scalars(
        sa.select(Demand).where(Demand.id.in_(sorted(ids))).order_by(Demand.id)
        .options(selectinload(Demand.industries), selectinload(Demand.scenarios),
                 selectinload(Demand.technologies), selectinload(Demand.region))))


def ranked_pairs(index: Index, demands: Sequence[Demand], pairs: Sequence[LabelledPair],
                 depth: int) -> dict[tuple[int, int], Match]:
    """The engine's match for each labelled pair found within the first `depth` results of its demand."""
    wanted: dict[int, set[str]] = {}
    for pair in pairs:
        wanted.setdefault(pair.demand_id, set()).add(str(pair.listing_id))
    found: dict[tuple[int, int], Match] = {}
    for demand in demands:
        if demand.id not in wanted:
            continue
        query = demand_query(demand)
        # Reasons cost a few milliseconds per result: find the positions without them first.
        ids = [m.doc_id for m in rank(index, query, top=depth, explain=False)]
        last = max((i for i, doc_id in enumerate(ids) if doc_id in wanted[demand.id]), default=-1)
        if last < 0:
            continue
        for match in rank(index, query, top=last + 1):
            if match.doc_id in wanted[demand.id]:
                found[(demand.id, int(match.doc_id))] = match
    return found


def log_loss(labels: Sequence[int], confidences: Sequence[float]) -> float:
    p = np.clip(np.asarray(confidences, dtype=float), EPSILON, 1 - EPSILON)
    y = np.asarray(labels, dtype=float)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def fitted_weights(current: RankingWeights, x: np.ndarray, y: np.ndarray) -> tuple[RankingWeights, dict]:
    """Logistic regression of y on x, mapped onto the weights (see the module docstring).

    :raises TuningError: when the confidence does not rise with the labels (a >= 0 required).
    """
    from sklearn.linear_model import LogisticRegression  # ~1 s to import; only this command needs it

    model = LogisticRegression(C=1.0, max_iter=1000).fit(x, y)
    coefficients = dict(zip(FEATURES, (float(v) for v in model.coef_[0])))
    coefficients["intercept"] = float(model.intercept_[0])
    a = coefficients["confidence_logit"]
    if a <= 0:
        raise TuningError(f"the engine's confidence does not rise with the labels (coefficient {a:.3f}); "
                          "nothing to tune from")
    slope = a * current.confidence_slope
    boosts = dict(current.facet_boosts)
    facet_boosts = tuple((f, round(max(0.0, boosts.get(f, 0.0) + coefficients[f"facet_{f}"] / slope), 4))
                         for f in dict.fromkeys((*boosts, *FACETS)))
    tuned = replace(
        current, confidence_slope=round(slope, 4),
        confidence_midpoint=round(current.confidence_midpoint - coefficients["intercept"] / slope, 4),
        facet_boosts=facet_boosts,
        verified_boost=round(max(0.0, current.verified_boost + coefficients["verified"] / slope), 4),
        case_evidence_boost=round(max(0.0, current.case_evidence_boost + coefficients["case"] / slope), 4))
    return tuned, coefficients


def tune_weights(current: RankingWeights, *, holdout_every: int = 4, depth: int = 200,
                 min_labels: int = 30) -> TuningReport:
    """Fit weights on the labelled pairs of most demands and check them on the others.

    :param current: the weights the app ranks with now (the starting point and the baseline).
    :param holdout_every: every n-th labelled demand (by id) is held out for the check.
    :param depth: how many results per demand are searched for the labelled listings.
    :param min_labels: fewer usable labelled pairs than this is too few to fit.
    :returns: the report; the caller decides whether to save (see TuningReport.improved).
    :raises TuningError: too few labels, or no usable fit.
    """
    pairs = labelled_pairs()
    if len(pairs) < min_labels:
        raise TuningError(f"too few labelled pairs: {len(pairs)} (at least {min_labels} needed)")
    demand_ids = sorted({p.demand_id for p in pairs})
    held_out = {d for i, d in enumerate(demand_ids) if holdout_every > 1 and i % holdout_every == holdout_every - 1}
    documents = listing_documents(None)
    index = build_index(documents, weights=current)
    demands = _demands(set(demand_ids))
    train_pairs = [p for p in pairs if p.demand_id not in held_out]
    found = ranked_pairs(index, [d for d in demands if d.id not in held_out], train_pairs, depth)
    train = [(features_of(found[(p.demand_id, p.listing_id)]), p.label) for p in train_pairs
             if (p.demand_id, p.listing_id) in found]
    labels = [label for _, label in train]
    if len(train) < min_labels or min(labels.count(0), labels.count(1)) < MIN_PER_CLASS:
        raise TuningError(f"too few labelled pairs the engine ranks within {depth} results: {len(train)} "
                          f"({labels.count(1)} positive, {labels.count(0)} negative; at least {min_labels} "
                          f"and {MIN_PER_CLASS} of each needed)")
    tuned, coefficients = fitted_weights(current, np.array([x for x, _ in train]), np.array(labels))

    check_pairs = [p for p in pairs if p.demand_id in held_out]
    check_demands = [d for d in demands if d.id in held_out]
    before = ranked_pairs(index, check_demands, check_pairs, depth)
    after = ranked_pairs(build_index(documents, weights=tuned), check_demands, check_pairs, depth)
    both = [p for p in check_pairs if (p.demand_id, p.listing_id) in before and (p.demand_id, p.listing_id) in after]
    if not both:
        raise TuningError("no labelled pair of the held-out demands is ranked within "
                          f"{depth} results: nothing to check the fit on")
    y = [p.label for p in both]
    return TuningReport(
        labelled=len(pairs), scored_train=len(train), scored_holdout=len(both),
        current_loss=log_loss(y, [before[(p.demand_id, p.listing_id)].confidence for p in both]),
        tuned_loss=log_loss(y, [after[(p.demand_id, p.listing_id)].confidence for p in both]),
        current=current, tuned=tuned, coefficients=coefficients)
