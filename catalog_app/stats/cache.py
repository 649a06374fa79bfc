"""A small in-process cache of the platform statistics, keyed by a data version.

The version is one cheap statement (row counts and the latest `updated_at` of the
tables the figures read), checked on every request: any insert, update or delete of
a listing, demand, proposal, match, organization or user changes it, and the next
request rebuilds. `STATS_CACHE_SECONDS` bounds the age anyway, for changes the version
cannot see (an organization moving city, a listing passing its expiry date).

The unmet-demand map is cached apart: it ranks every open demand (tens of milliseconds
each), so it is rebuilt only when listings, demands or matches changed AND the last build
is older than `STATS_UNMET_MIN_SECONDS`; a busy afternoon of edits costs one ranking pass
every few minutes, not one per edit.

Each app (and so each test) has its own caches in `app.extensions`; each process of a
multi-process server builds its own copy, which is fine for figures that change slowly.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import NamedTuple
from dataclasses import dataclass, replace

import sqlalchemy as sa
from flask import current_app

from catalog_app.extensions import db
from catalog_app.models import (
    CaseOutcome,
    Demand,
    IntentAgreement,
    Listing,
    Match,
    Organization,
    Proposal,
    User,
)
from catalog_app.stats.services import build_platform_stats
from catalog_app.stats.unmet import unmet_demands


class DataVersion(NamedTuple):
    listings: tuple
    demands: tuple
    proposals: tuple
    agreements: tuple
    matches: tuple
    outcomes: tuple
    organizations: tuple
    users: tuple

    @property
    def recommendation_inputs(self) -> tuple:
        """What the unmet-demand map depends on: listings, demands and (dismissed) matches."""
        return self.listings, self.demands, self.matches


def data_version() -> DataVersion:
    """Row count and latest change of every table the statistics read, in one statement."""
    def scalar(column):
        return sa.select(column).scalar_subquery()

    pairs = (
        (Listing.id, Listing.updated_at), (Demand.id, Demand.updated_at), (Proposal.id, Proposal.updated_at),
        (IntentAgreement.id, IntentAgreement.id), (Match.id, Match.updated_at), (CaseOutcome.id, CaseOutcome.id),
        (Organization.id, Organization.id), (User.id, User.id),
    )
    row = db.session.execute(sa.select(
        *(expression for id_column, latest in pairs
          for expression in (scalar(sa.func.count(id_column)), scalar(sa.func.max(latest)))))).one()
    return DataVersion(*(tuple(row[index:index + 2]) for index in range(0, len(row), 2)))


@dataclass
class _Entry:
    version: object
    built_at: float
    value: object


class VersionedCache:
    """One value, rebuilt when the version changes or it is older than `max_age` seconds,
    but never twice within `min_interval` seconds."""

    def __init__(self, max_age: float, min_interval: float = 0.0):
        self.max_age = max_age
        self.min_interval = min_interval
        self._entry: _Entry | None = None
        self._lock = threading.Lock()
        self.builds = 0

    def _current(self, version) -> _Entry | None:
        entry = self._entry
        if entry is None:
            return None
        age = time.monotonic() - entry.built_at
        if age < self.min_interval or (entry.version == version and age < self.max_age):
            return entry
        return None

    def get(self, version, build: Callable[[], object]) -> object:
        entry = self._current(version)
        if entry is not None:
            return entry.value
        with self._lock:  # one request builds; the others wait for its result
            entry = self._current(version)
            if entry is not None:
                return entry.value
            value = build()
            self._entry = _Entry(version, time.monotonic(), value)
            self.builds += 1
            return value

    def clear(self) -> None:
        self._entry = None


def _app_cache(name: str, min_interval: float = 0.0) -> VersionedCache:
    app = current_app._get_current_object()
    cache = app.extensions.get(name)
    if cache is None:
        max_age = float(app.config["STATS_CACHE_SECONDS"])
        cache = app.extensions.setdefault(name, VersionedCache(max_age, min_interval))
    return cache


def stats_cache() -> VersionedCache:
    return _app_cache("stats_cache")


def unmet_cache() -> VersionedCache:
    interval = float(current_app.config["STATS_UNMET_MIN_SECONDS"])
    return _app_cache("stats_unmet_cache", interval)


def cached_stats():
    """The platform statistics with the unmet-demand map, each from its cache when current."""
    version = data_version()
    stats = stats_cache().get(version, build_platform_stats)
    unmet = unmet_cache().get(version.recommendation_inputs, unmet_demands)
    return replace(stats, tables={**stats.tables, **unmet.tables}, open_demands=unmet.open_demands,
                   unmet_demands=len(unmet.unmet_ids))
