"""Login limits hold across app instances (gunicorn workers) when they share Redis.

Redis tests skip with a one-line reason when the server is absent, except under CI=true,
where a missing server is a failure (as tests/conftest.py does for PostgreSQL).
"""
from __future__ import annotations

import os
import uuid

import pytest

from catalog_app import create_app
from catalog_app.config import TestConfig
from catalog_app.extensions import db
from tests.conftest import IN_CI
from tests.security.conftest import settings_of

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379")


def require_redis() -> None:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception as exc:  # noqa: BLE001 - any failure means "not available"
        reason = f"Redis not reachable at {REDIS_URL}: {exc.__class__.__name__}"
        if IN_CI:
            pytest.fail(f"CI=true but {reason}")
        pytest.skip(reason)


def _worker(storage_uri: str):
    """One app instance, like one gunicorn worker: its own Limiter and storage connection."""
    app = create_app(settings_of(TestConfig, RATELIMIT_STORAGE_URI=storage_uri,
                                 LOGIN_BACKOFF_FREE_FAILURES=3, LOGIN_LIMIT_PER_IP="1000 per minute"))
    with app.app_context():
        db.create_all()
    return app


def _attempts(workers, email: str, count: int) -> list[int]:
    """Login attempts for one account, alternating between the workers. Unknown accounts
    count too, so no database is needed."""
    statuses = []
    for n in range(count):
        client = workers[n % len(workers)].test_client()
        statuses.append(client.post("/login", data={"email": email, "password": "wrong password 12"}).status_code)
    return statuses


@pytest.mark.redis
def test_two_workers_sharing_redis_enforce_one_limit():
    require_redis()
    workers = [_worker(REDIS_URL), _worker(REDIS_URL)]
    email = f"target-{uuid.uuid4().hex}@gdtech.cn"
    assert _attempts(workers, email, 5) == [400, 400, 400, 429, 429]


def test_memory_storage_is_per_worker():
    """Why production needs Redis: with memory:// each worker counts alone (3 + 3 attempts pass)."""
    workers = [_worker("memory://"), _worker("memory://")]
    assert _attempts(workers, "target@gdtech.cn", 6) == [400] * 6
    assert _attempts(workers, "target@gdtech.cn", 2) == [429, 429]
