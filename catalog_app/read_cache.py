"""The public pages' read cache: what list, search, detail, scenario and home pages reuse
between requests (shared floor).

One `ReadCache` per app, in `app.extensions["read_cache"]`: two apps in one process (tests,
the CLI beside a server) never see each other's entries. It holds named shelves, each an
LRU of bounded size with a maximum age per entry:

- "listing-cards": rendered listing cards (catalog.fragments);
- "listing-details": the viewer-independent parts of listing pages (catalog.fragments);
- "demand-cards": rendered demand cards of listing pages (catalog.fragments);
- "facet-panels": rendered facet panels (catalog.fragments);
- "browse-summaries": a list page's total and facet options (browsing.browse);
- "keyword-rankings": the matching engine's ids for a query (recommendations.services);
- "figures": counts and id lists that scan a whole table (catalog_app.figures);
- "pages": whole list, listing and search pages as anonymous visitors see them
  (catalog_app.page_cache);

plus the listing facet index (catalog.facet_index), kept as one object (`keep`) because it
rebuilds itself in the background.

Every entry is stored with the version it was computed under and is served only while the
caller's version is still the same AND the entry is younger than its shelf's maximum age.
The version is the caller's: a value read from the database (cards: the listing's and
organization's `updated_at`; rankings: the engine's generation, itself refreshed from the
database), or `data_version()` below.

A shelf marked `shared` (whole pages) is kept in READ_CACHE_DIR, a diskcache directory
(SQLite and files) that the gunicorn workers of one machine share: a page one worker rendered
is served by all of them, and the machine keeps one copy instead of one per worker. The same
versions and maximum ages apply; each machine has its own directory.

Several gunicorn nodes share one PostgreSQL, each with its own memory, so a version is
never a process-local counter (a write on node A would not move node B's counter): it is
always read from the database. `data_version()` is one statement, the row count and newest
`updated_at` of listings, organizations and demands (inserts, edits and deletes move it,
whichever node made them), read at most every READ_CACHE_VERSION_SECONDS per process; a
node therefore sees another node's change within that interval. The maximum age bounds
what no version sees (a taxonomy term renamed, a listing passing its expiry date, a row
written with an old `updated_at`). docs/catalog.md has the table of what each shelf holds,
its maximum age and what invalidates it.

Values are plain data (numbers, ids, tuples, rendered Markup), never ORM rows, so nothing
outlives its session.
"""
from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple, TypeVar

import diskcache
import sqlalchemy as sa
from cachetools import LRUCache
from flask import Flask, current_app

from catalog_app.extensions import db
from catalog_app.models import Demand, Listing, Organization

T = TypeVar("T")

log = logging.getLogger(__name__)
# What the shared directory may raise: no permission or no space (OSError), a damaged or
# locked SQLite file (sqlite3.Error), a lock held too long (diskcache.Timeout).
DISK_ERRORS = (OSError, sqlite3.Error, diskcache.Timeout)

EXTENSION_KEY = "read_cache"


@dataclass(frozen=True)
class Shelf:
    """One kind of entry: how many are kept, and how old one may be served. `max_age` is
    seconds, or the name of a config setting holding them (read at each lookup). A `shared`
    shelf lives in READ_CACHE_DIR when it is set, where every worker process of the machine
    reads what one of them stored (then READ_CACHE_SIZE_MB bounds it, not `max_entries`)."""

    max_entries: int
    max_age: float | str
    shared: bool = False


SHELVES: dict[str, Shelf] = {
    # About 1.5 KB a card; the key holds the listing's and organization's updated_at, so an
    # edit shows at once; the age bounds a renamed taxonomy term.
    "listing-cards": Shelf(10_000, 600),
    # A listing page's viewer-independent parts (about 6 KB), keyed and aged like the cards.
    "listing-details": Shelf(4096, 600),
    # Demand cards on listing pages (related demands), keyed and aged like listing cards.
    "demand-cards": Shelf(2048, 600),
    "facet-panels": Shelf(4096, 300),
    "browse-summaries": Shelf(2048, 60),
    "keyword-rankings": Shelf(512, 60),
    "figures": Shelf(4096, "FIGURES_MAX_AGE_SECONDS"),
    # Whole pages for anonymous visitors (catalog_app.page_cache), 20-60 KB each, keyed by
    # address and locale under the data version.
    "pages": Shelf(2048, "PAGE_CACHE_MAX_AGE_SECONDS", shared=True),
}
# The facet index is rebuilt at least this often, whatever the version says.
FACET_INDEX_MAX_AGE_SECONDS = 300


class DataVersion(NamedTuple):
    """(row count, newest updated_at) of the tables public pages read, from the database."""

    listings: tuple
    organizations: tuple
    demands: tuple

    @property
    def listing_side(self) -> tuple:
        """What listing pages depend on: listings and their organizations."""
        return self.listings, self.organizations


def read_data_version() -> DataVersion:
    """One statement: count and max(updated_at) of listings, organizations and demands."""
    def scalar(expression):
        return sa.select(expression).scalar_subquery()

    row = db.session.execute(sa.select(*(
        expression for model in (Listing, Organization, Demand)
        for expression in (scalar(sa.func.count(model.id)), scalar(sa.func.max(model.updated_at)))
    ))).one()
    return DataVersion((row[0], row[1]), (row[2], row[3]), (row[4], row[5]))


_MISSING = object()


class ReadCache:
    """The shelves of one app; thread-safe (gunicorn threads, the facet index rebuild)."""

    def __init__(self, config, clock: Callable[[], float] = time.monotonic):
        self._config = config
        self.clock = clock
        self._lock = threading.Lock()
        self._shelves = {name: LRUCache(maxsize=shelf.max_entries) for name, shelf in SHELVES.items()}
        self._kept: dict[str, object] = {}
        self._version: DataVersion | None = None
        self._version_read_at = float("-inf")
        # diskcache (SQLite and files) is safe across processes and threads; it is opened
        # lazily, in the process that uses it (gunicorn forks its workers after import).
        self._disk: diskcache.Cache | None = None
        self._disk_failed = False

    def _disk_key(self, shelf: str, key) -> tuple:
        # The database is part of the key: two apps of one machine on different databases
        # (a staging copy beside production, pointed at the same directory) may well have
        # the same data version, and must never serve each other's pages.
        return shelf, self._config.get("SQLALCHEMY_DATABASE_URI"), key

    def _shared_store(self, shelf: str) -> diskcache.Cache | None:
        """The shared directory, or None: the shelf is not shared, no directory is set, or it
        cannot be used (then the shelf falls back to this process's memory)."""
        if not SHELVES[shelf].shared or not self._config.get("READ_CACHE_DIR") or self._disk_failed:
            return None
        if self._disk is None:
            with self._lock:
                if self._disk is None and not self._disk_failed:
                    try:
                        self._disk = diskcache.Cache(
                            self._config["READ_CACHE_DIR"], size_limit=self._config["READ_CACHE_SIZE_MB"] * 2**20,
                            eviction_policy="least-recently-stored", tag_index=True)
                    except DISK_ERRORS as error:
                        self._disk_failed = True
                        log.warning("READ_CACHE_DIR %s cannot be used (%s): each process keeps its pages in memory",
                                    self._config["READ_CACHE_DIR"], error)
        return self._disk

    def _disk_trouble(self, action: str, error: Exception) -> None:
        # A full disk or a locked database costs the cache, never the page being served.
        log.warning("read cache directory: %s failed (%s)", action, error)

    def max_age(self, shelf: str) -> float:
        max_age = SHELVES[shelf].max_age
        return float(self._config[max_age] if isinstance(max_age, str) else max_age)

    def get(self, shelf: str, key, version=None, default=None):
        """The value stored under `key` for `version`, if younger than the shelf's max age."""
        disk = self._shared_store(shelf)
        if disk is not None:
            if self.max_age(shelf) <= 0:  # turned off: nothing to read from disk
                return default
            # The age is diskcache's own expiry (wall clock: shared between processes).
            try:
                entry = disk.get(self._disk_key(shelf, key))
            except DISK_ERRORS as error:
                self._disk_trouble("reading", error)
                return default
            if entry is None or entry[0] != version:
                return default
            return entry[1]
        with self._lock:
            entry = self._shelves[shelf].get(key)
        if entry is None:
            return default
        stored_version, stored_at, value = entry
        if stored_version != version or self.clock() - stored_at >= self.max_age(shelf):
            return default
        return value

    def put(self, shelf: str, key, value, version=None) -> None:
        max_age = self.max_age(shelf)
        if max_age <= 0:
            return
        disk = self._shared_store(shelf)
        if disk is not None:
            try:
                disk.set(self._disk_key(shelf, key), (version, value), expire=max_age, tag=shelf)
            except DISK_ERRORS as error:
                self._disk_trouble("storing", error)
            return
        with self._lock:
            self._shelves[shelf][key] = (version, self.clock(), value)

    def fetch(self, shelf: str, key, compute: Callable[[], T], version=None) -> T:
        """The stored value, or `compute()` stored under `version`."""
        value = self.get(shelf, key, version, _MISSING)
        if value is _MISSING:
            value = compute()
            self.put(shelf, key, value, version)
        return value

    def clear(self, shelf: str | None = None) -> None:
        with self._lock:
            for name in [shelf] if shelf else list(self._shelves):
                self._shelves[name].clear()
        for name in [shelf] if shelf else list(SHELVES):
            disk = self._shared_store(name)
            if disk is not None:
                try:
                    disk.evict(name)
                except DISK_ERRORS as error:
                    self._disk_trouble("clearing", error)

    def keep(self, name: str, build: Callable[[], T]) -> T:
        """A long-lived object of this app (the facet index), built on first use."""
        with self._lock:
            kept = self._kept.get(name)
            if kept is None:
                kept = self._kept[name] = build()
            return kept

    def data_version(self) -> DataVersion:
        """The database's `DataVersion`, read at most every READ_CACHE_VERSION_SECONDS."""
        now = self.clock()
        with self._lock:
            version, read_at = self._version, self._version_read_at
        if version is not None and now - read_at < float(self._config["READ_CACHE_VERSION_SECONDS"]):
            return version
        version = read_data_version()
        with self._lock:
            self._version, self._version_read_at = version, now
        return version


def init_app(app: Flask) -> ReadCache:
    return app.extensions.setdefault(EXTENSION_KEY, ReadCache(app.config))


def read_cache() -> ReadCache:
    """The current app's read cache (created on first use)."""
    app: Any = current_app._get_current_object()
    cache = app.extensions.get(EXTENSION_KEY)
    return cache if cache is not None else init_app(app)
