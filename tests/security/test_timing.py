"""An unknown account and a wrong password answer alike, in about the same time."""
from __future__ import annotations

import statistics
import time

import pytest

from catalog_app.accounts import passwords
from catalog_app.config import Config
from catalog_app.extensions import db

COST_SETTINGS = ("PASSWORD_HASH_TIME_COST", "PASSWORD_HASH_MEMORY_KIB", "PASSWORD_HASH_PARALLELISM")


def _median_seconds(client, email: str, rounds: int = 5) -> float:
    durations = []
    for _ in range(rounds):
        started = time.perf_counter()
        response = client.post("/login", data={"email": email, "password": "wrong password 12"})
        durations.append(time.perf_counter() - started)
        assert response.status_code == 400
    return statistics.median(durations)


@pytest.fixture
def production_hash_cost(app):
    """The production Argon2 cost, not the tests' cheap one: the dummy check must cost what a
    real verification costs, and at the tests' cost both are lost in request noise. The
    process-wide hasher goes back to the tests' cost afterwards."""
    cheap = {name: app.config[name] for name in COST_SETTINGS}
    app.config.update({name: getattr(Config, name) for name in COST_SETTINGS})
    passwords.init_app(app)
    yield
    app.config.update(cheap)
    passwords.init_app(app)


def test_unknown_account_takes_as_long_as_a_wrong_password(app, client, create_user, production_hash_cost):
    app.config.update(LOGIN_BACKOFF_FREE_FAILURES=100, LOGIN_LIMIT_PER_IP="100 per minute")
    user = create_user()
    # Hashed here at the production cost (the fixture may reuse a precomputed cheap hash).
    user.password_hash = passwords.hash_password("a different password 2026")
    db.session.commit()
    _median_seconds(client, user.email, rounds=1)  # warm up (the dummy hash is made once)
    _median_seconds(client, "nobody@gdtech.cn", rounds=1)
    known = _median_seconds(client, user.email)
    unknown = _median_seconds(client, "nobody@gdtech.cn")
    # Argon2 dominates both (tens of ms); without the dummy check `unknown` is ~100x faster.
    assert known > 0.01
    assert 0.5 < unknown / known < 2.0, (known, unknown)
