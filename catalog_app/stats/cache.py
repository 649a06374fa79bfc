"""A small in-process cache of the platform statistics, keyed by a data version.

The version is one cheap statement (row counts and the latest `updated_at` of the
tables the figures read), checked on every request: any insert, update or delete of
a listing, demand, proposal, match, organization or user changes it, and the next
request rebuilds. `STATS_CACHE_SECONDS` bounds the age anyway, for changes the version
cannot see (an organization moving city, a listing passing its expiry date).

Each app (and so each test) has its own cache in `app.extensions`; each process of a
multi-process server builds its own copy, which is fine for figures that change slowly.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

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

DEFAULT_MAX_AGE = 900


def data_version() -> tuple:
    """Counts and latest changes of every table the statistics read, in one statement."""
    def scalar(column):
        return sa.select(column).scalar_subquery()

    row = db.session.execute(sa.select(
        scalar(sa.func.count(Listing.id)), scalar(sa.func.max(Listing.updated_at)),
        scalar(sa.func.count(Demand.id)), scalar(sa.func.max(Demand.updated_at)),
        scalar(sa.func.count(Proposal.id)), scalar(sa.func.max(Proposal.updated_at)),
        scalar(sa.func.count(IntentAgreement.id)), scalar(sa.func.max(IntentAgreement.id)),
        scalar(sa.func.count(Match.id)), scalar(sa.func.max(Match.updated_at)),
        scalar(sa.func.count(CaseOutcome.id)), scalar(sa.func.max(CaseOutcome.id)),
        scalar(sa.func.count(Organization.id)), scalar(sa.func.max(Organization.id)),
        scalar(sa.func.count(User.id)), scalar(sa.func.max(User.id)),
    )).one()
    return tuple(row)


@dataclass
class _Entry:
    version: tuple
    built_at: float
    value: object


class VersionedCache:
    """One value, rebuilt when the version changes or it is older than `max_age` seconds."""

    def __init__(self, max_age: float):
        self.max_age = max_age
        self._entry: _Entry | None = None
        self._lock = threading.Lock()
        self.builds = 0

    def get(self, version: tuple, build: Callable[[], object]) -> object:
        entry = self._entry
        if entry is not None and entry.version == version and time.monotonic() - entry.built_at < self.max_age:
            return entry.value
        with self._lock:  # one request builds; the others wait for its result
            entry = self._entry
            if entry is not None and entry.version == version and time.monotonic() - entry.built_at < self.max_age:
                return entry.value
            value = build()
            self._entry = _Entry(version, time.monotonic(), value)
            self.builds += 1
            return value

    def clear(self) -> None:
        self._entry = None


def stats_cache() -> VersionedCache:
    app = current_app._get_current_object()
    cache = app.extensions.get("stats_cache")
    if cache is None:
        cache = app.extensions.setdefault(
            "stats_cache", VersionedCache(float(app.config.get("STATS_CACHE_SECONDS", DEFAULT_MAX_AGE))))
    return cache


def cached_stats():
    """The platform statistics with the unmet-demand map, from the cache when current."""
    from catalog_app.stats.services import build_platform_stats
    from catalog_app.stats.unmet import unmet_demands

    def build():
        stats = build_platform_stats()
        unmet = unmet_demands()
        stats.tables.update(unmet.tables)
        stats.open_demands = unmet.open_demands
        stats.unmet_demands = len(unmet.unmet_ids)
        return stats

    return stats_cache().get(data_version(), build)
