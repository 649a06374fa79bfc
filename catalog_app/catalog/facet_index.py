"""Facet counts and newest-first pages of listings from an in-memory index, one per process.

Counting facets in SQL costs one GROUP BY per facet over every matching row: at 100,000
listings that is 35-185 ms a facet on PostgreSQL, far too slow for a list page. Here the
visible listings' kind, city, tier and taxonomy links are held as NumPy arrays and sparse
matrices; a count is a boolean mask and a sparse column sum, well under a millisecond.

The same masks give a newest-first page's ids (`page_ids`): PostgreSQL would otherwise
sort every matching row of a facet to return twenty, about 9 ms a page at 100,000 listings.

The index is kept in the app's read cache (catalog_app.read_cache) and rebuilt from a few
plain queries when the listing side of its data version changes, checked at most once
every `FACET_INDEX_MIN_SECONDS` (and rebuilt at least every FACET_INDEX_MAX_AGE_SECONDS),
so counts and page membership may lag a change by that long. The rows a page shows are
always loaded from SQL under the visibility condition, so a listing withdrawn a moment ago is
never shown, only missing from a page until the rebuild.
"""
from __future__ import annotations

import itertools
import threading
import time
from dataclasses import dataclass
from datetime import date

import numpy as np
import scipy.sparse as sp
import sqlalchemy as sa
from flask import current_app

from catalog_app.browsing.facets import FacetOption, resolve_facets
from catalog_app.extensions import db
from catalog_app.read_cache import FACET_INDEX_MAX_AGE_SECONDS, read_cache
from catalog_app.taxonomy.services import is_cluster
from catalog_app.models import (
    CaseOutcome,
    Industry,
    Listing,
    ListingKind,
    Organization,
    OrganizationTier,
    Region,
    Scenario,
    Technology,
)
from catalog_app.models.listings import listing_industries, listing_scenarios, listing_technologies
from catalog_app.visibility import visible_listing_condition

LINKS = {
    "industry": (listing_industries, "industry_id", Industry, "code"),
    "scenario": (listing_scenarios, "scenario_id", Scenario, "slug"),
    "technology": (listing_technologies, "technology_id", Technology, "slug"),
}
KIND_CODES = {kind: code for code, kind in enumerate(ListingKind)}
TIER_CODES = {tier: code for code, tier in enumerate(OrganizationTier)}


@dataclass
class FacetData:
    ids: np.ndarray                     # listing ids, ascending
    kinds: np.ndarray                   # KIND_CODES per listing
    cities: np.ndarray                  # city region id per listing (-1: none)
    tiers: np.ndarray                   # TIER_CODES per listing
    newest: np.ndarray                  # positions by published_at desc, id desc (the list order)
    featured: np.ndarray                # is_featured per listing
    with_outcomes: np.ndarray           # the listing (a case) has measured outcomes
    links: dict[str, sp.csr_matrix]     # facet -> listings x term ids
    columns: dict[str, sp.csc_matrix]   # the same, by column (filtering on one term)
    terms: dict[str, dict[int, object]]  # facet -> term id -> taxonomy row (detached), cities too


def _version():
    """Counts and newest `updated_at` of listings and organizations, read from the database
    (so a change on any node moves it), through the read cache's polled data version."""
    return read_cache().data_version().listing_side


def _build() -> FacetData:
    parent = sa.orm.aliased(Region)
    rows = db.session.execute(
        sa.select(Listing.id, Listing.kind, sa.func.coalesce(parent.id, Region.id), Organization.tier,
                  Listing.published_at, Listing.is_featured)
        .join(Organization, Organization.id == Listing.organization_id)
        .outerjoin(Region, Region.id == Organization.region_id)
        .outerjoin(parent, parent.id == Region.parent_id)
        .where(visible_listing_condition(date.today()))
        .order_by(Listing.id)
    ).all()
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    kinds = np.fromiter((KIND_CODES[r[1]] for r in rows), dtype=np.int8, count=len(rows))
    cities = np.fromiter((r[2] if r[2] is not None else -1 for r in rows), dtype=np.int64, count=len(rows))
    tiers = np.fromiter((TIER_CODES[r[3]] for r in rows), dtype=np.int8, count=len(rows))
    # Same order as SQL's `published_at DESC, id DESC`; a listing without a date sorts last.
    published = np.fromiter((r[4].timestamp() if r[4] is not None else -np.inf for r in rows),
                            dtype=np.float64, count=len(rows))
    newest = np.lexsort((-ids, -published))
    featured = np.fromiter((bool(r[5]) for r in rows), dtype=bool, count=len(rows))
    measured = np.fromiter(db.session.scalars(sa.select(CaseOutcome.listing_id).distinct()), dtype=np.int64)
    with_outcomes = np.isin(ids, measured)
    links, columns, terms = {}, {}, {}
    for name, (table, column, model, _key) in LINKS.items():
        # Only clusters are industry filter values, even if an old tag names a GB/T division.
        terms[name] = _detached(sa.select(model).where(is_cluster()) if model is Industry else sa.select(model))
        # fromiter over the flattened rows: np.array() on a list of Row objects takes the slow
        # sequence path (seconds at 500,000 links).
        pairs = np.fromiter(itertools.chain.from_iterable(
            db.session.execute(sa.select(table.c.listing_id, table.c[column]))), dtype=np.int64).reshape(-1, 2)
        position, inside = _rows_of(ids, pairs[:, 0])
        width = int(db.session.scalar(sa.select(sa.func.max(model.id))) or 0) + 1
        matrix = sp.csr_matrix((np.ones(int(inside.sum()), dtype=np.int32),
                                (position[inside], pairs[inside, 1])), shape=(len(ids), width))
        links[name], columns[name] = matrix, matrix.tocsc()
    terms["region"] = _detached(sa.select(Region).where(Region.level == "city"))
    return FacetData(ids, kinds, cities, tiers, newest, featured, with_outcomes, links, columns, terms)


def _rows_of(ids: np.ndarray, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each wanted id's row in `ids` (sorted ascending), and whether `ids` holds it at all."""
    if not len(ids):
        return np.zeros(len(wanted), dtype=np.int64), np.zeros(len(wanted), dtype=bool)
    position = np.minimum(np.searchsorted(ids, wanted), len(ids) - 1)
    return position, ids[position] == wanted


def _tagged(data: FacetData, name: str, term_ids) -> np.ndarray:
    """Which indexed listings carry any of `term_ids` in facet `name`."""
    column = data.columns[name]
    hit = np.zeros(len(data.ids), dtype=bool)
    for term_id in term_ids:
        if term_id < column.shape[1]:
            hit[column.indices[column.indptr[term_id]:column.indptr[term_id + 1]]] = True
    return hit


def _detached(statement: sa.Select) -> dict[int, object]:
    """Copies of taxonomy rows keyed by id, never attached to a session: they outlive the
    request that built the index, and no commit or rollback can expire them."""
    copies = {}
    for row in db.session.scalars(statement):
        columns = sa.inspect(type(row)).column_attrs
        copies[row.id] = type(row)(**{column.key: getattr(row, column.key) for column in columns})
    return copies


class ListingFacetIndex:
    """The facet data of one process, rebuilt when the listings change.

    The first build happens in the request that needs it. Later rebuilds (about a second
    of database time at 100,000 listings) run in a background thread with its own app
    context while requests keep using the previous data; with FACET_INDEX_MIN_SECONDS = 0
    (tests) they run in the calling request, so a change is visible at once.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._data: FacetData | None = None
        self._version = None
        self._checked_at = 0.0
        self._built_at = 0.0
        self._rebuilding = False
        # Bumped at every rebuild: identifies the counts in cache keys without a SQL round trip.
        self.generation = 0

    def data(self) -> FacetData:
        min_seconds = current_app.config["FACET_INDEX_MIN_SECONDS"]
        with self._lock:
            due = self._data is None or time.monotonic() - self._checked_at >= min_seconds
            if not due or self._rebuilding:
                return self._data
            self._checked_at = time.monotonic()
            version = _version()
            # The version (newest updated_at) misses a change stamped earlier than the newest
            # row, e.g. imported data; a periodic rebuild bounds how long such a change hides.
            fresh = time.monotonic() - self._built_at < FACET_INDEX_MAX_AGE_SECONDS
            if self._data is not None and version == self._version and fresh:
                return self._data
            if self._data is None or min_seconds <= 0:
                self._install(_build(), version)
                return self._data
            self._rebuilding = True
        app = current_app._get_current_object()
        threading.Thread(target=self._rebuild, args=(app, version), name="facet-index", daemon=True).start()
        return self._data

    def _install(self, data: FacetData, version) -> None:
        self._data, self._version = data, version
        self._built_at = time.monotonic()
        self.generation += 1

    def _rebuild(self, app, version) -> None:
        try:
            with app.app_context():
                try:
                    data = _build()
                finally:
                    db.session.remove()
            with self._lock:
                self._install(data, version)
        except Exception:  # the old data keeps serving; the next check tries again
            app.logger.exception("facet index rebuild failed")
            with self._lock:
                self._checked_at = 0.0
        finally:
            with self._lock:
                self._rebuilding = False

    def _mask(self, data: FacetData, kind: ListingKind | None, selected: dict,
              ranked_ids: list[int] | None) -> np.ndarray:
        """Which indexed listings pass the kind, the facet filters and the keyword's ids."""
        mask = np.ones(len(data.ids), dtype=bool)
        if kind is not None:
            mask &= data.kinds == KIND_CODES[kind]
        if ranked_ids is not None:
            mask &= np.isin(data.ids, np.asarray(ranked_ids, dtype=np.int64))
        for name, value in (selected or {}).items():
            if name in data.columns:
                mask &= _tagged(data, name, [value.id])
            elif name == "region":
                mask &= data.cities == value.id
            elif name == "tier":
                mask &= data.tiers == TIER_CODES[value]
        return mask

    def resolve(self, facets: dict[str, str]) -> dict[str, object]:
        """`facets.resolve_facets` from the index's copies of the taxonomy, without SQL; a value
        the copies lack (a term added since the build) is looked up in the database."""
        data = self.data()
        resolved, unknown = {}, {}
        for name, value in facets.items():
            key = LINKS[name][3] if name in LINKS else "code" if name == "region" else None
            found = None
            if key is not None:
                found = next((term for term in data.terms[name].values() if getattr(term, key) == value), None)
            elif name == "tier":
                found = next((tier for tier in TIER_CODES if tier.value == value), None)
            if found is None:
                unknown[name] = value
            else:
                resolved[name] = found
        if unknown:
            resolved.update(resolve_facets(unknown))
        return {name: resolved[name] for name in facets}

    def page_ids(self, kind: ListingKind | None, selected: dict, offset: int, limit: int,
                 featured_only: bool = False) -> list[int]:
        """Ids of one newest-first page of visible listings of `kind` under `selected` filters."""
        data = self.data()
        mask = self._mask(data, kind, selected, None)
        if featured_only:
            mask &= data.featured
        order = data.newest[mask[data.newest]]
        return data.ids[order[offset:offset + limit]].tolist()

    def ranked_page_ids(self, kind: ListingKind | None, selected: dict, ranked_ids: list[int],
                        offset: int, limit: int) -> list[int]:
        """One page of the engine's `ranked_ids`, in their order, keeping the visible listings
        of `kind` under `selected` filters (the database would need an IN list of every hit).

        Without filters, ids the index does not know yet (listed since its last build) are
        kept: the engine, refreshed every couple of seconds, already applied the kind, and
        the rows are loaded under the visibility condition.
        """
        data = self.data()
        ranked = np.asarray(ranked_ids, dtype=np.int64)
        position, known = _rows_of(data.ids, ranked)
        keep = known & self._mask(data, kind, selected, None)[position] if len(data.ids) else known
        if not selected:
            keep |= ~known
        return ranked[keep][offset:offset + limit].tolist()

    def sharing_ids(self, name: str, term_ids: list[int], exclude_ids: list[int], limit: int) -> list[int]:
        """The newest visible listings tagged with any of `term_ids` in facet `name`."""
        data = self.data()
        hit = _tagged(data, name, term_ids) & ~np.isin(data.ids, np.asarray(exclude_ids, dtype=np.int64))
        return data.ids[data.newest[hit[data.newest]][:limit]].tolist()

    def showcase_ids(self, kind: ListingKind, selected: dict, limit: int) -> list[int]:
        """The first `limit` visible listings of `kind` under `selected` filters for a showcase:
        cases with measured outcomes first, then featured listings, each group newest first."""
        data = self.data()
        order = data.newest[self._mask(data, kind, selected, None)[data.newest]]
        preference = data.with_outcomes[order].astype(np.int8) * 2 + data.featured[order]
        return data.ids[order[np.argsort(-preference, kind="stable")][:limit]].tolist()

    def kind_counts(self, selected: dict | None = None) -> dict[ListingKind, int]:
        """Visible listings per kind, under `selected` filters if given."""
        data = self.data()
        kinds = data.kinds[self._mask(data, None, selected, None)] if selected else data.kinds
        counts = np.bincount(kinds, minlength=len(KIND_CODES))
        return {kind: int(counts[code]) for kind, code in KIND_CODES.items()}

    def term_counts(self, name: str, selected: dict | None = None, kind: ListingKind | None = None) -> dict[int, int]:
        """Visible listings (of `kind`, if given) per term of facet `name` ("industry",
        "scenario", "technology"), under `selected` filters if given."""
        data = self.data()
        links = data.links[name][self._mask(data, kind, selected, None)] if selected or kind else data.links[name]
        counts = np.asarray(links.sum(axis=0)).ravel()
        return {int(term_id): int(counts[term_id]) for term_id in np.flatnonzero(counts)}

    def summary(self, kind: ListingKind | None, selected: dict, ranked_ids: list[int] | None,
                facet_names: tuple[str, ...]) -> tuple[int, dict[str, list[FacetOption]]]:
        """Total and facet options for visible listings of `kind` under `selected` filters."""
        data = self.data()
        mask = self._mask(data, kind, selected, ranked_ids)
        options = {}
        for name in facet_names:
            if name in data.links:
                counts = np.asarray(data.links[name][mask].sum(axis=0)).ravel()
                options[name] = _options(counts, data.terms[name], LINKS[name][3], selected.get(name))
            elif name == "region":
                cities = data.cities[mask]
                cities = cities[cities >= 0]
                counts = np.bincount(cities) if len(cities) else np.zeros(0, dtype=np.int64)
                options[name] = _options(counts, data.terms["region"], "code", selected.get(name))
            elif name == "tier":
                counts = np.bincount(data.tiers[mask], minlength=len(TIER_CODES))
                options[name] = [FacetOption(tier.value, tier, int(counts[code]), tier is selected.get(name))
                                 for tier, code in TIER_CODES.items() if counts[code]]
        total = int(mask.sum())
        if ranked_ids is not None and not selected:
            # Hits listed since the last build count too (see `ranked_page_ids`).
            _position, known = _rows_of(data.ids, np.asarray(ranked_ids, dtype=np.int64))
            total += int((~known).sum())
        return total, options


def _ordered(counts: np.ndarray) -> list[int]:
    present = np.flatnonzero(counts)
    return sorted(present.tolist(), key=lambda term_id: (-counts[term_id], term_id))


def _options(counts: np.ndarray, terms: dict[int, object], key: str, selected) -> list[FacetOption]:
    """Options for the terms with results, most results first; `key` is the URL value's column."""
    selected_id = getattr(selected, "id", None)
    return [FacetOption(getattr(terms[i], key), terms[i], int(counts[i]), i == selected_id)
            for i in _ordered(counts) if i in terms]


@dataclass(frozen=True)
class KindView:
    """The process's facet index seen as one listing kind's `browse.MemoryIndex`."""

    kind: ListingKind | None

    def version(self) -> object:
        index = listing_facet_index()
        index.data()  # a due check or rebuild first, so the generation is current
        return index.generation

    def resolve(self, facets: dict[str, str]) -> dict[str, object]:
        return listing_facet_index().resolve(facets)

    def summary(self, selected: dict, ranked_ids: list[int] | None,
                facet_names: tuple[str, ...]) -> tuple[int, dict[str, list[FacetOption]]]:
        return listing_facet_index().summary(self.kind, selected, ranked_ids, facet_names)

    def page_ids(self, selected: dict, offset: int, limit: int) -> list[int]:
        return listing_facet_index().page_ids(self.kind, selected, offset, limit)

    def ranked_page_ids(self, selected: dict, ranked_ids: list[int], offset: int, limit: int) -> list[int]:
        return listing_facet_index().ranked_page_ids(self.kind, selected, ranked_ids, offset, limit)


def listing_facet_index() -> ListingFacetIndex:
    """The current app's facet index, kept in its read cache."""
    return read_cache().keep("listing-facet-index", ListingFacetIndex)
