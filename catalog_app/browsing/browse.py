"""The machinery behind every list page: filter, count, facet, sort, paginate.

A `BrowseSource` describes one kind of public record (listings of a kind, demands,
organizations): which rows are public, which columns the keyword search reads, and
how each facet joins. `browse()` then runs the same constant set of statements for
all of them: facet lookups, one count, one page of ids-and-rows, one GROUP BY per
facet, plus the eager loads the caller asks for.
"""
from __future__ import annotations

import math
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

import sqlalchemy as sa
from cachetools import TTLCache
from sqlalchemy.sql.elements import ColumnElement
from werkzeug.exceptions import NotFound

from catalog_app.browsing import facets as facet_counts
from catalog_app.browsing.keywords import keyword_filter
from catalog_app.browsing.params import BrowseParams
from catalog_app.extensions import db


# Upper bound on how stale a cached facet count may be: changes the version statement cannot
# see (an organization moving city) show within this many seconds.
SUMMARY_MAX_AGE_SECONDS = 60


@dataclass(frozen=True)
class LinkFacet:
    table: sa.Table
    entity_column: str
    term_column: str


class MemoryIndex(Protocol):
    """What `browse` asks of an in-memory index of one source (one listing kind)."""

    def version(self) -> object:
        """Changes whenever the index was rebuilt; keys cached summaries without SQL."""

    def resolve(self, facets: dict[str, str]) -> dict[str, object]:
        """Like `facets.resolve_facets`."""

    def summary(self, selected: dict, ranked_ids: list[int] | None,
                facet_names: tuple[str, ...]) -> tuple[int, dict]:
        """(total, facet options) under the filters and, given, the engine's ids."""

    def page_ids(self, selected: dict, offset: int, limit: int) -> list[int]:
        """Ids of one newest-first page under the filters."""

    def ranked_page_ids(self, selected: dict, ranked_ids: list[int], offset: int, limit: int) -> list[int]:
        """One page of the engine's ids, in rank order, kept where the filters hold."""


@dataclass(frozen=True)
class BrowseSource:
    """How to browse one kind of record.

    `statement()` selects the public rows (with the organization joined where the
    record has one); `region_column` and `enum_columns` are expressions valid in it.
    """

    model: type
    statement: Callable[[], sa.Select]
    text_columns: tuple
    title_column: object
    newest_columns: tuple
    region_column: object
    link_facets: dict[str, LinkFacet]
    enum_columns: dict[str, object]
    facet_names: tuple[str, ...]
    # Relevance-ranked ids for a keyword query from the matching engine; None means the
    # source is searched with the database keyword filter instead.
    ranked_search: Callable[[str], list[int]] | None = None
    # Whether the engine's index holds only public records, so that its hit count is the
    # total. False when it also indexes records the statement leaves out (organizations
    # without public content): the total is then counted in SQL, or it would count, and so
    # reveal, records a page never shows.
    ranked_search_public_only: bool = True
    # A cheap statement whose value changes whenever the browsed rows may have changed
    # (e.g. max(updated_at)); with it, totals and facet counts are cached per value.
    version: Callable[[], sa.Select] | None = None
    name: str = ""
    # An in-memory index of the browsed rows (listings: catalog.facet_index) that answers
    # facet lookups, counts and newest-first or keyword pages without SQL, so that the
    # database only loads a page's rows by key; None does all of it in SQL.
    memory: MemoryIndex | None = None
    # Loads a page's items from their ids, in order, leaving out ids no longer public; None
    # loads the rows with the caller's eager loads (listing pages: cached cards, see
    # catalog.services.card_items).
    load_items: Callable[[list[int]], list] | None = None


@dataclass
class BrowsePage:
    """One page of results with the facet options of the whole result set."""

    items: list
    total: int
    page: int
    per_page: int
    facets: dict[str, list] = field(default_factory=dict)
    selected: dict[str, object] = field(default_factory=dict)
    # Per-item figures a source adds, keyed by item id (organizations: public item counts).
    counts: dict[int, dict[str, int]] = field(default_factory=dict)
    # Identifies the total and facet counts (None: not cacheable); the rendered facet panel
    # is cached under it, see catalog.fragments.
    summary_key: tuple | None = None

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def first_index(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.total else 0

    @property
    def last_index(self) -> int:
        return min(self.total, self.page * self.per_page)


def filtered_statement(source: BrowseSource, q: str, selected: dict[str, object],
                       ranked_ids: list[int] | None = None):
    """The public rows matching the keyword query and the facet filters.

    :param ranked_ids: the engine's ids for `q`; when given they replace the keyword filter.
    :returns: the statement and the relevance score expression (None without a query, or
        when the ranking comes from the engine's order instead).
    """
    statement = source.statement()
    score: ColumnElement | None = None
    if ranked_ids is not None:
        statement = statement.where(source.model.id.in_(ranked_ids))
        match = None
    else:
        match = keyword_filter(q, list(source.text_columns), source.title_column) if q else None
    if match is not None:
        statement = statement.where(match.where)
        score = match.score
    entity_id = source.model.id
    for name, value in selected.items():
        if name in source.link_facets:
            link = source.link_facets[name]
            table = link.table.c
            statement = statement.where(
                entity_id.in_(sa.select(table[link.entity_column]).where(table[link.term_column] == value.id))
            )
        elif name == "region":
            statement = statement.where(source.region_column.in_(facet_counts.city_and_district_ids(value)))
        else:
            statement = statement.where(source.enum_columns[name] == value)
    return statement, score


def _order_by(source: BrowseSource, sort: str, score):
    if sort == "title":
        return (source.title_column.asc(), source.model.id.asc())
    newest = tuple(column.desc() for column in source.newest_columns) + (source.model.id.desc(),)
    if sort == "relevance" and score is not None:
        return (score.desc(),) + newest
    return newest


def count_facets(source: BrowseSource, statement: sa.Select, selected: dict[str, object]) -> dict[str, list]:
    """Facet options over `statement`'s rows: one GROUP BY per facet."""
    columns = [source.model.id.label("id"), source.region_column.label("region_id")]
    columns += [column.label(name) for name, column in source.enum_columns.items()]
    base = statement.with_only_columns(*columns).order_by(None).subquery("results")
    options: dict[str, list] = {}
    for name in source.facet_names:
        if name in source.link_facets:
            link = source.link_facets[name]
            options[name] = facet_counts.count_terms(
                name, link.table, link.entity_column, link.term_column, base, selected.get(name)
            )
        elif name == "region":
            options[name] = facet_counts.count_cities(base, selected.get(name))
        else:
            options[name] = facet_counts.count_enum(name, base, selected.get(name))
    return options


def _page_in_engine_order(source: BrowseSource, statement: sa.Select, ranked_ids: list[int],
                          params: BrowseParams, load_options) -> list:
    """One page of rows in the engine's relevance order, restricted by the facet filters."""
    model = source.model
    allowed = set(db.session.scalars(statement.with_only_columns(model.id).order_by(None)))
    ordered = [i for i in ranked_ids if i in allowed]
    start = (params.page - 1) * params.per_page
    return _rows_in_order(source, ordered[start:start + params.per_page], load_options)


def _rows_in_order(source: BrowseSource, page_ids: list[int], load_options) -> list:
    """The public rows with these ids, in this order; an id no longer public is left out."""
    if not page_ids:
        return []
    if source.load_items is not None:
        return source.load_items(page_ids)
    return rows_in_order(source.statement().options(*load_options), source.model, page_ids)


def rows_in_order(statement: sa.Select, model: type, ids: list[int]) -> list:
    """The rows of `statement` that have these ids, in the order of `ids`; an id the
    statement does not return (no longer public, say) is left out."""
    if not ids:
        return []
    by_id = {row.id: row for row in db.session.scalars(statement.where(model.id.in_(ids))).unique()}
    return [by_id[i] for i in ids if i in by_id]


# Totals and facet counts are the expensive part of a list page (one GROUP BY per facet over
# every matching row); they change only when the data does, so they are cached per version.
_summary_cache: TTLCache = TTLCache(maxsize=2048, ttl=SUMMARY_MAX_AGE_SECONDS)
_summary_lock = threading.Lock()


def clear_summary_cache() -> None:
    with _summary_lock:
        _summary_cache.clear()


def _summary_key(source: BrowseSource, params: BrowseParams, with_facets: bool):
    if (source.version is None and source.memory is None) or not source.name:
        return None
    version = source.memory.version() if source.memory is not None else db.session.scalar(source.version())
    facets = tuple(sorted(params.facets.items()))
    # The engine identifies the database, so apps on different databases never share entries.
    return (id(db.engine), source.name, params.q, facets, with_facets, str(version))


def browse(source: BrowseSource, params: BrowseParams, load_options=(), with_facets: bool = True) -> BrowsePage:
    """Run a list page's queries.

    :param source: what is browsed.
    :param params: validated query-string parameters.
    :param load_options: eager-loading options for the page's rows (`selectinload(...)`).
    :param with_facets: False for previews (home, search) that show no facets.
    :returns: the page of rows, the total and the facet options.
    :raises InvalidQuery: for an unknown facet value.
    :raises NotFound: for a page past the last one.
    """
    memory = source.memory
    resolve = memory.resolve if memory is not None else facet_counts.resolve_facets
    selected = resolve(params.facets) if params.facets else {}
    ranked_ids = source.ranked_search(params.q) if params.q and source.ranked_search else None
    fast = memory is not None and ranked_ids is None and params.sort == "newest"
    statement, score = (None, None) if fast else filtered_statement(source, params.q, selected, ranked_ids)
    key = _summary_key(source, params, with_facets)
    with _summary_lock:
        summary = _summary_cache.get(key) if key is not None else None
    if summary is None and memory is not None:
        total, facets = memory.summary(selected, ranked_ids, source.facet_names if with_facets else ())
    elif (summary is None and ranked_ids is not None and not selected and not with_facets
          and source.ranked_search_public_only):
        # The engine's indexes hold only public records, so without filters its hits are the
        # result set (a record withdrawn in the last seconds is left out when the page loads).
        total, facets = len(ranked_ids), {}
    elif summary is None:
        total = db.session.scalar(
            statement.with_only_columns(sa.func.count(sa.distinct(source.model.id))).order_by(None)
        ) or 0
        facets = count_facets(source, statement, selected) if with_facets else {}
    if summary is None:
        if key is not None:
            with _summary_lock:
                _summary_cache[key] = (total, facets)
    else:
        total, facets = summary
    page = BrowsePage(items=[], total=total, page=params.page, per_page=params.per_page, selected=selected,
                      summary_key=key)
    if params.page > page.pages:
        raise NotFound()
    offset = (params.page - 1) * params.per_page
    if total and ranked_ids is not None and params.sort == "relevance":
        if memory is not None:
            page_ids = memory.ranked_page_ids(selected, ranked_ids, offset, params.per_page)
            page.items = _rows_in_order(source, page_ids, load_options)
        elif not selected and source.ranked_search_public_only:
            page.items = _rows_in_order(source, ranked_ids[offset:offset + params.per_page], load_options)
        else:
            page.items = _page_in_engine_order(source, statement, ranked_ids, params, load_options)
    elif total and fast:
        page.items = _rows_in_order(source, memory.page_ids(selected, offset, params.per_page), load_options)
    elif total:
        rows = db.session.scalars(
            statement.options(*load_options)
            .order_by(*_order_by(source, params.sort, score))
            .limit(params.per_page)
            .offset(offset)
        )
        page.items = list(rows.unique())
    page.facets = facets
    return page
