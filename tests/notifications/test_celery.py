"""Real Celery workers (separate processes, Redis broker, PostgreSQL) drain the outbox exactly once.

Needs Redis at TEST_REDIS_URL (default redis://127.0.0.1:6379/13 — a database of its own,
because the test flushes it); skipped when absent, a failure under CI=true.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
import sqlalchemy as sa

from catalog_app import create_app
from catalog_app.extensions import db
from catalog_app.models import OutboxMessage, OutboxStatus
from catalog_app.notifications import tasks
from catalog_app.email_queue import send_email

from .conftest import PROJECT_ROOT, database_env, outbox_config, outbox_postgres_url, require

pytestmark = pytest.mark.redis

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
ROWS = 1000
LOST_ROWS = 100


def redis_client():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        require(f"Redis not reachable at {REDIS_URL}: {type(exc).__name__}")
    return client


def test_tasks_are_acked_late_and_rejected_when_the_worker_dies():
    for task in (tasks.deliver_outbox_messages, tasks.sweep_outbox):
        assert task.acks_late is True and task.reject_on_worker_lost is True
    from catalog_app.celery_app import celery

    assert celery.conf.task_acks_late and celery.conf.task_reject_on_worker_lost
    assert celery.conf.worker_prefetch_multiplier == 1
    assert celery.conf.beat_schedule["outbox-sweep"]["task"] == "outbox.sweep"


def test_every_beat_entry_names_a_registered_task():
    from catalog_app.celery_app import celery

    celery.loader.import_default_modules()
    scheduled = {entry["task"] for entry in celery.conf.beat_schedule.values()}
    assert "meetings.follow_ups" in scheduled
    assert scheduled <= set(celery.tasks)


@pytest.fixture
def celery_pg_app(tmp_path):
    redis = redis_client()
    app = create_app(outbox_config(outbox_postgres_url(), CELERY_BROKER_URL=REDIS_URL))
    with app.app_context():
        db.create_all()
        redis.flushdb()
        yield app, redis
        redis.flushdb()
        db.session.remove()
        db.engine.dispose()


def start_worker(app, name: str, tmp_path, beat: bool = False) -> subprocess.Popen:
    command = [sys.executable, "-m", "celery", "-A", "catalog_app.celery_app", "worker", "--pool=solo",
               "-n", f"{name}@%h", "--without-gossip", "--without-mingle", "-l", "warning"]
    if beat:
        command += ["-B", "-s", str(tmp_path / "beat-schedule")]
    env = database_env(app, CELERY_BROKER_URL=REDIS_URL, OUTBOX_SWEEP_SECONDS=1, OUTBOX_BATCH_SIZE=20)
    with open(tmp_path / f"{name}.log", "w") as log:  # the child keeps its own descriptor
        return subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log)


def queue(count: int, prefix: str) -> list[str]:
    rows = [send_email(f"{prefix}{i}@example.com", "S", "outbox_test", "zh", idempotency_key=f"{prefix}:{i}",
                       queued_at="2025-01-01", note="") for i in range(count)]
    db.session.commit()  # after_commit pushes the ids to Redis
    return [row.message_id for row in rows]


def test_two_workers_drain_1000_rows_once_and_the_sweep_sends_what_redis_lost(celery_pg_app, wire, tmp_path):
    app, redis = celery_pg_app
    sink = wire(app)

    lost = queue(LOST_ROWS, "lost")
    assert redis.llen("celery") == LOST_ROWS // tasks.PUSH_CHUNK  # ids only, 20 per task
    redis.flushdb()  # the broker forgets those tasks; only the sweep can send these rows
    pushed = queue(ROWS, "pushed")
    assert redis.llen("celery") == ROWS // tasks.PUSH_CHUNK

    workers = [start_worker(app, "w1", tmp_path, beat=True), start_worker(app, "w2", tmp_path)]
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            db.session.expire_all()
            sent = db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)
                                     .where(OutboxMessage.status == OutboxStatus.SENT))
            if sent == ROWS + LOST_ROWS:
                break
            assert all(worker.poll() is None for worker in workers), (tmp_path / "w1.log").read_text()
            time.sleep(0.5)
        time.sleep(1.5)  # a late duplicate, if any, would arrive now
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=20)

    counts = sink.counts()
    assert counts == {message_id: 1 for message_id in lost + pushed}, (
        f"missing={len(set(lost + pushed) - set(counts))} repeats={sum(n - 1 for n in counts.values())}")
