"""Recommendations: listings for a demand, demands for a supplier, and catalog keyword search.

This package is the only one that imports `matching`. The indexes live in
`app.extensions["matching"]` (see `init_app`); every function here re-reads the ranked ids
from the database with the visibility rules, so nothing unpublished is ever returned even
if the index has not caught up yet.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from flask import Flask, current_app, g
from sqlalchemy.orm import selectinload

from catalog_app.extensions import db
from catalog_app.read_cache import read_cache
from catalog_app.models import (
    Demand,
    Industry,
    Listing,
    ListingKind,
    Match,
    MatchStatus,
    Organization,
    Scenario,
    Technology,
)
from catalog_app.models._types import utcnow
from catalog_app.recommendations.confidence import is_strong, percent_of
from catalog_app.recommendations.documents import (
    demand_documents,
    demand_query,
    listing_documents,
    organization_documents,
)
from catalog_app.recommendations.live_index import LiveIndex
from catalog_app.recommendations.weights import configured_weights
from catalog_app.taxonomy.services import is_cluster
from catalog_app.visibility import open_demand_condition, public_demand_condition, visible_listing_condition
from matching import Query, Reason, infer_facets, rank
from matching.explain import render as render_reasons
from matching.tokenizer import normalize

SEARCH_CANDIDATES = 1000
# Bumped whenever `demand_documents` changes what it indexes, so that saved snapshots built
# by the old rule are rebuilt instead of loaded ("public-text": summary-only demands index
# their title and summary only).
DEMAND_DOCUMENTS_VERSION = "public-text-1"
# An inferred industry or scenario is suggested to the demand form from this probability on.
FACET_SUGGESTION_MIN_PROBABILITY = 0.3


@dataclass(frozen=True)
class Recommendation:
    item: object                 # a Listing or a Demand
    score: float                 # the engine's older relative score (not comparable across demands)
    reasons: tuple[Reason, ...]
    # For a demand recommended to a supplier: the supplier's listing that matched it best.
    via_listing_id: int | None = None
    # The engine's absolute confidence in [0, 1] (see recommendations.confidence).
    confidence: float = 0.0

    @property
    def percent(self) -> int:
        """The bar users see: the confidence in percent."""
        return percent_of(self.confidence)

    @property
    def is_strong(self) -> bool:
        """At or above STRONG_MATCH_CONFIDENCE (needs an app context)."""
        return is_strong(self.confidence)

    def explanation(self, locale: str = "zh") -> str:
        return explain_reasons(self.reasons, locale)


def explain_reasons(reasons: Sequence[Reason], locale: str = "zh") -> str:
    """The user-facing sentence ("匹配原因：同属…场景；共同关键词：…") for reasons in `locale`;
    in English the facet names are the taxonomy's English names."""
    if locale.startswith("en"):
        return render_reasons(tuple(reasons), "en", _english_facet_names())
    return render_reasons(tuple(reasons), "zh")


def _english_facet_names() -> dict[str, str]:
    """Chinese taxonomy name -> English name, read once per request (or app context)."""
    names = g.get("facet_names_en")
    if names is None:
        names = {}
        for model in (Industry, Scenario, Technology):
            names.update((zh, en) for zh, en in db.session.execute(sa.select(model.name_zh, model.name_en)))
        g.facet_names_en = names
    return names


def has_strong_match(recommendations: Sequence[Recommendation]) -> bool:
    """Whether the best of these recommendations is a strong match (lists are best first)."""
    return bool(recommendations) and is_strong(max(r.confidence for r in recommendations))


def init_app(app: Flask) -> None:
    snapshot_dir = app.config["MATCHING_INDEX_DIR"]
    refresh = float(app.config["MATCHING_REFRESH_SECONDS"])
    weights = lambda: configured_weights(app.config)  # noqa: E731 - read at every build and load
    app.extensions["matching"] = {
        "listings": LiveIndex(
            "listings", table=Listing.__table__,
            visible_ids=lambda: sa.select(Listing.id).where(visible_listing_condition()),
            documents=listing_documents, snapshot_dir=snapshot_dir, refresh_seconds=refresh, weights=weights),
        "demands": LiveIndex(
            "demands", table=Demand.__table__,
            visible_ids=lambda: sa.select(Demand.id).where(public_demand_condition()),
            documents=demand_documents, snapshot_dir=snapshot_dir, refresh_seconds=refresh,
            documents_version=DEMAND_DOCUMENTS_VERSION, weights=weights),
        "organizations": LiveIndex(
            "organizations", table=Organization.__table__,
            visible_ids=lambda: sa.select(Organization.id),
            documents=organization_documents, snapshot_dir=snapshot_dir, refresh_seconds=refresh, weights=weights),
    }


def live_index(name: str) -> LiveIndex:
    return current_app.extensions["matching"][name]


def _load_visible_listings(ids: Sequence[int]) -> dict[int, Listing]:
    if not ids:
        return {}
    rows = db.session.scalars(
        sa.select(Listing)
        .where(Listing.id.in_(ids), visible_listing_condition())
        .options(selectinload(Listing.organization).selectinload(Organization.region),
                 selectinload(Listing.scenarios), selectinload(Listing.technologies))
    )
    return {listing.id: listing for listing in rows}


def _ranked(name: str, text: str, limit: int) -> list[tuple[int, str | None]]:
    """(id, kind) pairs for `text` from one live index, cached per index generation
    ("keyword-rankings" shelf of the read cache)."""
    live = live_index(name)
    with live.reading() as index:
        # The generation moves whenever the index took changes from the database (made on
        # any node); it is the version of the cached ranking.
        return read_cache().fetch(
            "keyword-rankings", (name, text, limit),
            lambda: [(int(m.doc_id), index.kinds[index.row_of[m.doc_id]])
                     for m in rank(index, Query(text=text, strict=True), top=limit, explain=False)],
            (live.generation, id(index)))


def search_demand_ids(text: str, limit: int = SEARCH_CANDIDATES) -> list[int]:
    """Ids of public demands matching `text`, best first (public fields only are indexed)."""
    return [doc_id for doc_id, _kind in _ranked("demands", text, limit)]


def search_organization_ids(text: str, limit: int = SEARCH_CANDIDATES) -> list[int]:
    """Ids of organizations matching `text` by name, description or industry, best first."""
    return [doc_id for doc_id, _kind in _ranked("organizations", text, limit)]


def search_listing_ids(text: str, kinds: Iterable[ListingKind] | None = None,
                       limit: int = SEARCH_CANDIDATES) -> list[int]:
    """Ids of visible listings matching `text`, best first (the catalog's keyword search).

    Results are cached per index generation: popular queries and the several sections of
    one search page (one per kind) cost one ranking, and any index change invalidates them.

    :param text: the user's query, any mix of Chinese and English.
    :param kinds: restrict to these kinds, or None for all.
    :param limit: how many candidates at most.
    :returns: listing ids in rank order; an empty list when nothing shares a term.
    """
    ranked = _ranked("listings", text, limit)
    if not kinds:
        return [doc_id for doc_id, _kind in ranked]
    wanted = {k.value for k in kinds}
    return [doc_id for doc_id, kind in ranked if kind in wanted]


def recommend_listings(demand: Demand, top: int = 10, reader=None) -> list[Recommendation]:
    """Listings that answer a demand, with reasons; matches someone dismissed stay hidden.

    :param demand: the demand (its text and taxonomy form the query).
    :param top: how many recommendations.
    :param reader: who will read the reasons, which quote the query: the demand's text as
        this user may see it is the query (`catalog_app.visibility`). None (the default)
        means the public text, right for anything shown to the public or to suppliers.
    :returns: recommendations, best first.
    """
    dismissed = {str(i) for i in db.session.scalars(
        sa.select(Match.listing_id).where(Match.demand_id == demand.id,
                                          Match.status == MatchStatus.DISMISSED))}
    return _rank_listings(demand_query(demand, exclude=dismissed, reader=reader), top)


def preview_listings(text: str, *, industry: Iterable[str] = (), scenario: Iterable[str] = (),
                     technology: Iterable[str] = (), top: int = 5) -> list[Recommendation]:
    """Listings matching a demand that is still being written (the form's live preview).

    :param text: the draft's title and description so far.
    :param industry: Chinese names of the chosen industries (likewise scenario, technology).
    :param top: how many listings.
    :returns: recommendations, best first; empty for empty text.
    """
    if not text.strip():
        return []
    query = Query(text=text, attributes={"industry": list(industry), "scenario": list(scenario),
                                         "technology": list(technology)})
    return _rank_listings(query, top)


def _rank_listings(query: Query, top: int) -> list[Recommendation]:
    """Rank the listing index for `query` and keep the hits that are still visible, in order."""
    with live_index("listings").reading() as index:
        matches = rank(index, query, top=top)
    listings = _load_visible_listings([int(m.doc_id) for m in matches])
    return [Recommendation(listings[int(m.doc_id)], m.score, m.reasons, confidence=m.confidence)
            for m in matches if int(m.doc_id) in listings]


def suggest_facets(text: str, top: int = 2,
                   min_probability: float = FACET_SUGGESTION_MIN_PROBABILITY) -> dict[str, list[tuple[object, float]]]:
    """Industries and scenarios the matching engine infers from a demand's text (the form's suggestions).

    Only existing taxonomy rows come back: the engine names values the listings carry, and a
    name that is not (or no longer) in the taxonomy is dropped, so a suggestion can never
    create a facet value.

    :param text: the draft's title and description so far.
    :param top: values per facet at most.
    :param min_probability: weaker guesses are not suggested.
    :returns: {"industry": [(Industry, probability)], "scenario": [(Scenario, probability)]}, likeliest first.
    """
    if not text.strip():
        return {"industry": [], "scenario": []}
    with live_index("listings").reading() as index:
        inferred = infer_facets(index, text, top=top)
    out: dict[str, list[tuple[object, float]]] = {}
    for facet, model in (("industry", Industry), ("scenario", Scenario)):
        guesses = [(name, p) for name, p in inferred.get(facet, ()) if p >= min_probability]
        query = sa.select(model).where(is_cluster()) if model is Industry else sa.select(model)
        rows = {normalize(row.name_zh): row for row in db.session.scalars(query)} if guesses else {}
        out[facet] = [(rows[name], p) for name, p in guesses if name in rows]
    return out


def recommend_demands(organization: Organization, top: int = 10,
                      listings_considered: int = 20) -> list[Recommendation]:
    """Open demands that a supplier's published listings answer.

    Each listing is a query against the demand index; a demand's confidence is its best
    confidence over the listings, so one strong listing is enough to surface it.
    """
    own = db.session.scalars(
        sa.select(Listing).where(Listing.organization_id == organization.id, visible_listing_condition())
        .order_by(Listing.published_at.desc()).limit(listings_considered)
        .options(selectinload(Listing.scenarios), selectinload(Listing.industries),
                 selectinload(Listing.technologies))
    ).all()
    live = live_index("demands")
    open_kinds = OPEN_DEMAND_KINDS
    dismissed = {str(i) for i in db.session.scalars(
        sa.select(Match.demand_id).join(Listing, Listing.id == Match.listing_id)
        .where(Listing.organization_id == organization.id, Match.status == MatchStatus.DISMISSED))}
    best: dict[str, tuple[float, float, tuple[Reason, ...], int]] = {}
    for listing in own:
        query = _listing_query(listing, exclude=dismissed, kinds=open_kinds)
        with live.reading() as index:
            ranked = rank(index, query, top=top)
        for match in ranked:
            if match.doc_id not in best or match.confidence > best[match.doc_id][0]:
                best[match.doc_id] = (match.confidence, match.score, match.reasons, listing.id)
    ordered = sorted(best.items(), key=lambda item: (-item[1][0], int(item[0])))[:top]
    demands = {d.id: d for d in db.session.scalars(
        sa.select(Demand).where(Demand.id.in_([int(i) for i, _ in ordered]), open_demand_condition())
        .options(selectinload(Demand.organization), selectinload(Demand.scenarios)))}
    return [Recommendation(demands[int(i)], score, reasons, via_listing_id=listing_id, confidence=confidence)
            for i, (confidence, score, reasons, listing_id) in ordered if int(i) in demands]


OPEN_DEMAND_KINDS = frozenset({"demand"})


def _all_but(index, wanted: Iterable[int]) -> frozenset[str]:
    """The indexed ids outside `wanted`: the engine's `exclude` restricts a ranking to a
    small set of documents (an event's counterparts) without a second index."""
    keep = {str(i) for i in wanted}
    return frozenset(doc_id for doc_id in index.row_of if doc_id not in keep)


def score_listings_among(demand: Demand, listing_ids: Iterable[int], reader=None) -> dict[int, float]:
    """Confidence of each given listing for a demand, unexplained (a cheap first pass over
    an event's counterparts: `rank_listings_among` then explains the few best pairs).

    :param listing_ids: the only listings to rank; the caller has checked they are visible.
    :returns: listing id -> confidence, for the listings the demand matches at all.
    """
    wanted = list(listing_ids)
    if not wanted:
        return {}
    query = demand_query(demand, reader=reader)
    with live_index("listings").reading() as index:
        restricted = Query(text=query.text, attributes=query.attributes, exclude=_all_but(index, wanted))
        return {int(m.doc_id): m.confidence for m in rank(index, restricted, top=len(wanted), explain=False)}


def rank_listings_among(demand: Demand, listing_ids: Iterable[int], reader=None) -> list[Recommendation]:
    """The given listings ranked for a demand, with reasons (an event's 1:1 counterparts).

    Uses the shared listing index like `recommend_listings`, restricted to `listing_ids`;
    listings the demand does not match at all are left out, hidden ones too.

    :param demand: the demand as the query (its text as `reader` may see it).
    :param listing_ids: the only listings to rank.
    :returns: recommendations, best first.
    """
    wanted = list(listing_ids)
    if not wanted:
        return []
    query = demand_query(demand, reader=reader)
    with live_index("listings").reading() as index:
        restricted = Query(text=query.text, attributes=query.attributes, exclude=_all_but(index, wanted))
        matches = rank(index, restricted, top=len(wanted))
    listings = _load_visible_listings([int(m.doc_id) for m in matches])
    return [Recommendation(listings[int(m.doc_id)], m.score, m.reasons, confidence=m.confidence)
            for m in matches if int(m.doc_id) in listings]


def score_demands_among(listing: Listing, demand_ids: Iterable[int]) -> dict[int, float]:
    """Confidence of each given demand for a supplier's listing, unexplained (see
    `score_listings_among`); closed demands are not scored.

    :returns: demand id -> confidence, for the demands the listing matches at all.
    """
    wanted = list(demand_ids)
    if not wanted:
        return {}
    with live_index("demands").reading() as index:
        query = _listing_query(listing, exclude=_all_but(index, wanted))
        return {int(m.doc_id): m.confidence for m in rank(index, query, top=len(wanted), explain=False)}


def rank_demands_among(listing: Listing, demand_ids: Iterable[int]) -> list[Recommendation]:
    """The given demands ranked for a supplier's listing, with reasons (`recommend_demands`'
    direction, restricted to `demand_ids`; closed and hidden demands are left out).

    :returns: recommendations, best first, each `via_listing_id` = the listing.
    """
    wanted = list(demand_ids)
    if not wanted:
        return []
    with live_index("demands").reading() as index:
        query = _listing_query(listing, exclude=_all_but(index, wanted))
        matches = rank(index, query, top=len(wanted))
    demands = {d.id: d for d in db.session.scalars(
        sa.select(Demand).where(Demand.id.in_([int(m.doc_id) for m in matches]), open_demand_condition()))}
    return [Recommendation(demands[int(m.doc_id)], m.score, m.reasons, via_listing_id=listing.id,
                           confidence=m.confidence)
            for m in matches if int(m.doc_id) in demands]


def _listing_query(listing: Listing, exclude: Iterable[str] = (),
                   kinds: frozenset[str] = OPEN_DEMAND_KINDS) -> Query:
    """A listing as a query against the demand index: its title (twice), summary, keywords and tags."""
    return Query(
        exclude=frozenset(exclude), kinds=kinds,
        text="\n".join((listing.title, listing.title, listing.summary, listing.keywords)),
        attributes={"industry": [i.name_zh for i in listing.industries],
                    "scenario": [s.name_zh for s in listing.scenarios],
                    "technology": [t.name_zh for t in listing.technologies]},
    )


def demand_ids_answered_by(listings: Sequence[Listing], top: int = 50) -> list[int]:
    """Ids of the demands each listing answers best (up to `top` per listing), in id order.

    The new-listing scan uses it to pick the few demands worth re-ranking: re-ranking every
    open demand for every published listing would not scale with the catalog. Closed
    demands may be among them; the caller keeps the open ones.
    """
    found: set[int] = set()
    live = live_index("demands")
    for listing in listings:
        with live.reading() as index:
            found.update(int(match.doc_id) for match in rank(index, _listing_query(listing), top=top, explain=False))
    return sorted(found)


def recommendation_of(match: Match) -> Recommendation:
    """A stored match as the pages show a live one (bar, strong flag, reasons in words)."""
    reasons = tuple(Reason(r.get("kind", ""), r.get("label", ""), float(r.get("weight") or 0), facet=r.get("facet"))
                    for r in match.reasons or [])
    return Recommendation(match.listing, match.score, reasons, confidence=match.confidence)


def recommended_suppliers(organization_id: int, limit: int = 6, candidates: int = 60) -> list[tuple[Recommendation, Demand]]:
    """The best stored match per supplier organization over an enterprise's open demands.

    Reads the stored matches (refreshed whenever a demand is approved and by the lead scans)
    in one statement instead of ranking every demand on each page view.

    :param organization_id: the enterprise's organization.
    :param limit: how many suppliers at most.
    :param candidates: how many best matches are read to find `limit` distinct suppliers.
    :returns: (the supplier's best recommendation, the demand it answers), best first.
    """
    matches = db.session.scalars(
        sa.select(Match)
        .join(Demand, Demand.id == Match.demand_id).join(Listing, Listing.id == Match.listing_id)
        .where(Demand.organization_id == organization_id, open_demand_condition(), visible_listing_condition(),
               Match.status != MatchStatus.DISMISSED, Listing.organization_id != organization_id)
        .order_by(Match.confidence.desc(), Match.id)
        .limit(candidates)
        .options(selectinload(Match.listing).selectinload(Listing.organization), selectinload(Match.demand))
    ).all()
    best: dict[int, tuple[Recommendation, Demand]] = {}
    for match in matches:
        supplier_id = match.listing.organization_id
        if supplier_id not in best:
            best[supplier_id] = (recommendation_of(match), match.demand)
    return list(best.values())[:limit]


def store_matches(demand: Demand, top: int = 10) -> list[Match]:
    """Record the current recommendations of a demand as Match rows (idempotent).

    Re-running never duplicates a row (one per demand and listing, unique in the schema)
    and never revives a dismissed match. The reasons come from the demand's public text
    only: stored matches are mailed to suppliers. The caller commits.
    """
    recommendations = recommend_listings(demand, top=top)
    existing = {m.listing_id: m for m in db.session.scalars(
        sa.select(Match).where(Match.demand_id == demand.id))}
    stored = []
    for recommendation in recommendations:
        match = existing.get(recommendation.item.id)
        reasons = [{"kind": r.kind, "label": r.label, "weight": round(r.weight, 4), "facet": r.facet}
                   for r in recommendation.reasons]
        if match is None:
            match = Match(demand_id=demand.id, listing_id=recommendation.item.id, score=recommendation.score,
                          confidence=recommendation.confidence, reasons=reasons)
            db.session.add(match)
        elif match.status is not MatchStatus.DISMISSED:
            match.score, match.confidence = recommendation.score, recommendation.confidence
            match.reasons, match.updated_at = reasons, utcnow()
        stored.append(match)
    db.session.flush()
    return stored
