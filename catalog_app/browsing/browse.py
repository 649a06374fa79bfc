"""The machinery behind every list page: filter, count, facet, sort, paginate.

A `BrowseSource` describes one kind of public record (listings of a kind, demands,
organizations): which rows are public, which columns the keyword search reads, and
how each facet joins. `browse()` then runs the same constant set of statements for
all of them: facet lookups, one count, one page of ids-and-rows, one GROUP BY per
facet, plus the eager loads the caller asks for.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement
from werkzeug.exceptions import NotFound

from catalog_app.browsing import facets as facet_counts
from catalog_app.browsing.keywords import keyword_filter
from catalog_app.browsing.params import BrowseParams
from catalog_app.extensions import db
from catalog_app.read_cache import read_cache


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
    # A value read from the database that changes whenever the browsed rows may have changed
    # on any node (the read cache's `data_version()`); with it, totals and facet counts are
    # cached per value.
    version: Callable[[], object] | None = None
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


def _ranked_ids_passing_filters(query: BrowseQuery) -> list[int]:
    """The engine's ids, in its order, that the filtered statement returns."""
    statement = query.statement.with_only_columns(query.source.model.id).order_by(None)
    allowed = set(db.session.scalars(statement))
    return [i for i in query.ranked_ids if i in allowed]


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
# every matching row); they change only when the data does, so they are cached per version
# in the "browse-summaries" shelf of the read cache (catalog_app.read_cache).
SUMMARIES = "browse-summaries"


def clear_summary_cache() -> None:
    read_cache().clear(SUMMARIES)


@dataclass
class BrowseQuery:
    """What one `browse` call resolved before counting: the filters, the engine's ids for
    the keyword (None: no keyword, or a source searched in SQL) and, when some path needs
    SQL, the filtered statement and its relevance score."""

    source: BrowseSource
    params: BrowseParams
    selected: dict[str, object]
    ranked_ids: list[int] | None
    statement: sa.Select | None = None
    score: ColumnElement | None = None
    # The summary's cache key (version included), set by `_summary`; None: not cacheable.
    summary_key: tuple | None = None

    @property
    def memory(self) -> MemoryIndex | None:
        return self.source.memory

    @property
    def newest_from_memory(self) -> bool:
        """A newest-first page without keyword, answered by the memory index alone."""
        return self.memory is not None and self.ranked_ids is None and self.params.sort == "newest"

    @property
    def engine_hits_are_the_results(self) -> bool:
        """The engine's hits are exactly the result set: no filter, and its index holds only
        public records (a record withdrawn in the last seconds is left out when the page loads)."""
        return self.ranked_ids is not None and not self.selected and self.source.ranked_search_public_only


def _resolve(source: BrowseSource, params: BrowseParams) -> BrowseQuery:
    resolve = source.memory.resolve if source.memory is not None else facet_counts.resolve_facets
    selected = resolve(params.facets) if params.facets else {}
    ranked_ids = source.ranked_search(params.q) if params.q and source.ranked_search else None
    query = BrowseQuery(source, params, selected, ranked_ids)
    if not query.newest_from_memory:
        query.statement, query.score = filtered_statement(source, params.q, selected, ranked_ids)
    return query


def _summary_key(query: BrowseQuery, with_facets: bool) -> tuple | None:
    """The cache key of a summary, its version included; None when the source has none."""
    source = query.source
    if (source.version is None and source.memory is None) or not source.name:
        return None
    version = source.memory.version() if source.memory is not None else source.version()
    facets = tuple(sorted(query.params.facets.items()))
    return (source.name, query.params.q, facets, with_facets, str(version))


# Summary strategies: (total, facet options) of a whole result set.

def _summary_from_memory(query: BrowseQuery, with_facets: bool) -> tuple[int, dict]:
    return query.memory.summary(query.selected, query.ranked_ids, query.source.facet_names if with_facets else ())


def _summary_from_engine_hits(query: BrowseQuery, with_facets: bool) -> tuple[int, dict]:
    return len(query.ranked_ids), {}


def _summary_in_sql(query: BrowseQuery, with_facets: bool) -> tuple[int, dict]:
    source, statement = query.source, query.statement
    total = db.session.scalar(
        statement.with_only_columns(sa.func.count(sa.distinct(source.model.id))).order_by(None)
    ) or 0
    return total, count_facets(source, statement, query.selected) if with_facets else {}


def _summary_strategy(query: BrowseQuery, with_facets: bool) -> Callable[[BrowseQuery, bool], tuple[int, dict]]:
    if query.memory is not None:
        return _summary_from_memory
    if query.engine_hits_are_the_results and not with_facets:
        return _summary_from_engine_hits
    return _summary_in_sql


def _summary(query: BrowseQuery, with_facets: bool) -> tuple[tuple[int, dict], tuple | None]:
    """(total, facets) and the summary key, from the read cache when current."""
    key = query.summary_key = _summary_key(query, with_facets)
    compute = lambda: _summary_strategy(query, with_facets)(query, with_facets)  # noqa: E731
    if key is None:
        return compute(), None
    # The key holds the version, so the shelf's entry needs no other.
    return read_cache().fetch(SUMMARIES, key, compute), key


# Page strategies: one page's items. Each takes the query, the offset and the eager loads.

def _page_ranked_by_memory(query: BrowseQuery, offset: int, load_options) -> list:
    """Keyword page: the engine's order, cut by the memory index's masks."""
    page_ids = query.memory.ranked_page_ids(query.selected, query.ranked_ids, offset, query.params.per_page)
    return _rows_in_order(query.source, page_ids, load_options)


def _page_of_engine_hits(query: BrowseQuery, offset: int, load_options) -> list:
    """Keyword page without filters: a slice of the engine's hits."""
    return _rows_in_order(query.source, query.ranked_ids[offset:offset + query.params.per_page], load_options)


def _page_ranked_in_sql(query: BrowseQuery, offset: int, load_options) -> list:
    """Keyword page with SQL filters: the engine's order, kept where SQL says the filters hold.

    Which of the engine's ids pass is one statement with an IN list of every hit (a quarter
    of a second for organizations at 100,000 listings), so it is kept beside the summary,
    under the same key and version; the page's rows are still loaded under the visibility
    condition.
    """
    if query.summary_key is None:
        ordered = _ranked_ids_passing_filters(query)
    else:
        ordered = read_cache().fetch(SUMMARIES, ("ranked-ids",) + query.summary_key,
                                     lambda: _ranked_ids_passing_filters(query))
    page_ids = ordered[offset:offset + query.params.per_page]
    return _rows_in_order(query.source, page_ids, load_options)


def _page_newest_from_memory(query: BrowseQuery, offset: int, load_options) -> list:
    page_ids = query.memory.page_ids(query.selected, offset, query.params.per_page)
    return _rows_in_order(query.source, page_ids, load_options)


def _page_in_sql(query: BrowseQuery, offset: int, load_options) -> list:
    """Any other order (title, newest without a memory index, SQL keyword relevance)."""
    rows = db.session.scalars(
        query.statement.options(*load_options)
        .order_by(*_order_by(query.source, query.params.sort, query.score))
        .limit(query.params.per_page)
        .offset(offset)
    )
    return list(rows.unique())


def _page_strategy(query: BrowseQuery) -> Callable[[BrowseQuery, int, tuple], list]:
    if query.ranked_ids is not None and query.params.sort == "relevance":
        if query.memory is not None:
            return _page_ranked_by_memory
        return _page_of_engine_hits if query.engine_hits_are_the_results else _page_ranked_in_sql
    if query.newest_from_memory:
        return _page_newest_from_memory
    return _page_in_sql


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
    query = _resolve(source, params)
    (total, facets), key = _summary(query, with_facets)
    page = BrowsePage(items=[], total=total, page=params.page, per_page=params.per_page, selected=query.selected,
                      facets=facets, summary_key=key)
    if params.page > page.pages:
        raise NotFound()
    if total:
        page.items = _page_strategy(query)(query, (params.page - 1) * params.per_page, load_options)
    return page
