"""Figures that cost a scan of a whole table, kept for a short while in the read cache.

Home page counts, the newest public demands, the demands related to a listing's
scenarios: each is a GROUP BY or a sort over every public row, tens to hundreds of
milliseconds at the platform's scale, and none has to be exact to the second. They are
kept ("figures" shelf of catalog_app.read_cache) until the data version changes (a
listing, organization or demand inserted, edited or deleted on any node) and for at most
FIGURES_MAX_AGE_SECONDS (0 turns keeping off, as the tests do). Values are plain numbers
and ids, never ORM rows, so nothing outlives its session; callers load the rows the ids
name, under the usual visibility conditions.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from catalog_app.read_cache import read_cache

T = TypeVar("T")


def kept(name: str, compute: Callable[[], T]) -> T:
    """`compute()`, or its value from less than FIGURES_MAX_AGE_SECONDS ago under the same
    data version."""
    cache = read_cache()
    if cache.max_age("figures") <= 0:
        return compute()
    return cache.fetch("figures", name, compute, cache.data_version())
