"""A floor under the response time of requests whose work depends on whether an account
exists (registration, password reset).

Both paths already do similar work (an Argon2 hash, a queued mail), but "similar" still
leaks a few milliseconds to a patient attacker; padding every answer to
ACCOUNT_RESPONSE_FLOOR_SECONDS makes the two indistinguishable as long as the slow path
stays under the floor.
"""
from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app


@contextmanager
def response_floor() -> Iterator[None]:
    """Sleep at the end of the block until it has lasted at least the configured floor,
    however it ends (an exception is padded too)."""
    started = time.perf_counter()
    try:
        yield
    finally:
        floor = float(current_app.config["ACCOUNT_RESPONSE_FLOOR_SECONDS"] or 0)
        remaining = floor - (time.perf_counter() - started)
        if remaining > 0:
            time.sleep(remaining)
