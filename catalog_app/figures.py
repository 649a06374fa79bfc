"""Figures that cost a scan of a whole table, kept for a short while per process.

Home page counts, the newest public demands, the demands related to a listing's
scenarios: each is a GROUP BY or a sort over every public row, tens to hundreds of
milliseconds at the platform's scale, and none has to be exact to the second. They are
kept for FIGURES_MAX_AGE_SECONDS (0 turns keeping off, as the tests do). Values are plain
numbers and ids, never ORM rows, so nothing outlives its session; callers load the rows
the ids name, under the usual visibility conditions.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

from cachetools import LRUCache
from flask import current_app

T = TypeVar("T")

# (app id, name) -> (computed at, value)
_kept: LRUCache = LRUCache(maxsize=4096)
_lock = threading.Lock()


def kept(name: str, compute: Callable[[], T]) -> T:
    """`compute()`, or its value from less than FIGURES_MAX_AGE_SECONDS ago."""
    seconds = current_app.config["FIGURES_MAX_AGE_SECONDS"]
    key = (id(current_app._get_current_object()), name)
    now = time.monotonic()
    with _lock:
        cached = _kept.get(key)
    if seconds > 0 and cached is not None and now - cached[0] < seconds:
        return cached[1]
    value = compute()
    with _lock:
        _kept[key] = (now, value)
    return value
