"""Counting requests against limits kept in Flask-Limiter's storage (the shared floor).

Each app gets its own `Limiter`, bound to RATELIMIT_STORAGE_URI: `memory://` counts in
one process, which is fine for development but not for gunicorn, where each worker would
keep its own counts and an attacker would get N times the budget. Production uses
`redis://`, shared by every worker and every host. (A module-level Limiter would also make
every app in one process share whichever storage was bound last.)

Features call `allow(setting, scope, key)` from their services, not route decorators:
the key is often a value in the form (an email address, a proposal), and a refusal must
show the form again with a message. Every limit is a Config setting in the `limits`
notation ("5 per minute; 20 per hour"), read from the environment.

Besides windows, `Backoff` keeps a failure count and a waiting time per key: the delay
doubles with each failure past a free allowance, up to a cap, so that repeated failures
slow a guesser down without ever locking the real owner out for long.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass

from flask import Flask, current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits import parse_many

EXTENSION_KEY = "accounts_limiter"


def init_app(app: Flask) -> None:
    limiter = Limiter(
        key_func=get_remote_address,
        storage_uri=app.config["RATELIMIT_STORAGE_URI"],
        strategy="moving-window",
        key_prefix="scenario-catalog",
    )
    limiter.init_app(app)
    app.extensions[EXTENSION_KEY] = limiter


def _limiter() -> Limiter:
    return current_app.extensions[EXTENSION_KEY]


def allow(setting: str, scope: str, key: str) -> bool:
    """Count one event against every limit in the Config `setting`; False when any is exceeded.

    An empty setting means no limit (a deployment may switch one off).
    """
    value = current_app.config[setting] or ""
    if not value.strip():
        return True
    strategy = _limiter().limiter
    allowed = True
    for item in parse_many(value):
        # Hit every window even after one refuses, so a burst cannot slip past a longer one.
        allowed = strategy.hit(item, scope, key) and allowed
    return allowed


def forget(setting: str, scope: str, key: str) -> None:
    """Clear the counts of `key` under every limit in `setting`."""
    value = current_app.config[setting] or ""
    if not value.strip():
        return
    strategy = _limiter().limiter
    for item in parse_many(value):
        strategy.clear(item, scope, key)


@dataclass(frozen=True)
class Backoff:
    """Exponential delay after repeated failures of one key (an account, say).

    The first `free` failures cost nothing; failure number `free + n` makes the key wait
    `base * 2**n` seconds, at most `cap`. The count is forgotten `reset` seconds after the
    first failure, or at once by `forget` (a success).

    :param prefix: names the counters in the storage ("login-backoff").
    :param setting_prefix: Config names: `<P>_FREE_FAILURES`, `<P>_BASE_SECONDS`,
        `<P>_MAX_SECONDS`, `<P>_RESET_SECONDS`.
    """

    prefix: str
    setting_prefix: str

    def _setting(self, name: str) -> float:
        return float(current_app.config[f"{self.setting_prefix}_{name}"])

    def _keys(self, key: str) -> tuple[str, str]:
        return (f"scenario-catalog/{self.prefix}/failures/{key}",
                f"scenario-catalog/{self.prefix}/wait/{key}")

    def seconds_to_wait(self, key: str) -> int:
        """Whole seconds until `key` may try again; 0 when it may now."""
        storage = _limiter().limiter.storage
        _failures, wait = self._keys(key)
        if not storage.get(wait):
            return 0
        return max(1, math.ceil(storage.get_expiry(wait) - time.time()))

    def record_failure(self, key: str) -> int:
        """Count a failure and start the waiting time it earns; returns that time in seconds."""
        storage = _limiter().limiter.storage
        failures_key, wait = self._keys(key)
        failures = storage.incr(failures_key, max(1, int(self._setting("RESET_SECONDS"))))
        free = int(self._setting("FREE_FAILURES"))
        if failures < free:
            return 0
        delay = min(self._setting("MAX_SECONDS"), self._setting("BASE_SECONDS") * 2 ** (failures - free))
        seconds = max(1, math.ceil(delay))
        storage.clear(wait)
        storage.incr(wait, seconds)
        return seconds

    def forget(self, key: str) -> None:
        storage = _limiter().limiter.storage
        for name in self._keys(key):
            storage.clear(name)
