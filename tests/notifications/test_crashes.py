"""Killed dispatchers (real processes, `os._exit` at a step, injected by the test) lose nothing.

The only repeat allowed is the documented window: the server accepted the message and the
dispatcher died before committing `sent`; the resend carries the same Message-ID.
"""
from __future__ import annotations

import time

import sqlalchemy as sa

from catalog_app.extensions import db
from catalog_app.models import OutboxMessage, OutboxStatus
from catalog_app.email_queue import send_email
from catalog_app.notifications.outbox import Dispatcher

from .conftest import CRASH_EXIT_CODE, run_dispatcher_process

LEASE_SECONDS = 1.0


def queue(n: int) -> list[str]:
    rows = [send_email(f"user{i}@example.com", f"S{i}", "outbox_test", "en", idempotency_key=f"crash:{i}",
                       queued_at="2025-01-01", note="") for i in range(n)]
    db.session.commit()
    return [row.message_id for row in rows]


def statuses() -> dict:
    db.session.expire_all()
    return dict(db.session.execute(sa.select(OutboxMessage.status, sa.func.count()).group_by(OutboxMessage.status)).all())


def drain_after_lease(app) -> None:
    time.sleep(LEASE_SECONDS + 0.2)
    Dispatcher().dispatch_due()


def test_killed_before_sending_loses_nothing(outbox_app, wire):
    sink = wire(outbox_app)
    outbox_app.config["OUTBOX_LEASE_SECONDS"] = LEASE_SECONDS
    message_ids = queue(5)

    crashed = run_dispatcher_process(outbox_app, crash_at="sending", crash_after=3,
                                     OUTBOX_LEASE_SECONDS=LEASE_SECONDS, OUTBOX_BATCH_SIZE=10)
    assert crashed.returncode == CRASH_EXIT_CODE, crashed.stderr
    assert len(sink.messages) == 2 and statuses()[OutboxStatus.SENDING] == 3  # leased by the dead process

    drain_after_lease(outbox_app)
    assert sink.counts() == {message_id: 1 for message_id in message_ids}
    assert statuses() == {OutboxStatus.SENT: 5}


def test_killed_after_smtp_accept_resends_once_with_the_same_message_id(outbox_app, wire):
    sink = wire(outbox_app)
    outbox_app.config["OUTBOX_LEASE_SECONDS"] = LEASE_SECONDS
    message_ids = queue(5)

    crashed = run_dispatcher_process(outbox_app, crash_at="accepted", crash_after=2,
                                     OUTBOX_LEASE_SECONDS=LEASE_SECONDS, OUTBOX_BATCH_SIZE=10)
    assert crashed.returncode == CRASH_EXIT_CODE, crashed.stderr
    assert len(sink.messages) == 2 and statuses()[OutboxStatus.SENT] == 1

    drain_after_lease(outbox_app)
    counts = sink.counts()
    assert set(counts) == set(message_ids)
    assert counts[message_ids[1]] == 2  # the message accepted just before the crash, same Message-ID
    assert [m for m, n in counts.items() if n > 1] == [message_ids[1]]  # the only repeat
    assert statuses() == {OutboxStatus.SENT: 5}
