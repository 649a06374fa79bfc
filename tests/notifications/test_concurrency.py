"""Two dispatcher processes draining one outbox deliver every row exactly once."""
from __future__ import annotations

import subprocess
import sys

import sqlalchemy as sa

from catalog_app.extensions import db
from catalog_app.models import OutboxMessage, OutboxStatus
from catalog_app.email_queue import send_email

from .conftest import DISPATCH_SCRIPT, PROJECT_ROOT, database_env

ROWS = 1000


def test_two_dispatchers_deliver_each_of_1000_rows_once(outbox_app, wire):
    sink = wire(outbox_app)
    message_ids = [send_email(f"user{i}@example.com", f"S{i}", "outbox_test", "zh", idempotency_key=f"c:{i}",
                              queued_at="2025-01-01", note="").message_id for i in range(ROWS)]
    db.session.commit()

    env = database_env(outbox_app, OUTBOX_BATCH_SIZE=10)
    dispatchers = [subprocess.Popen([sys.executable, "-c", DISPATCH_SCRIPT], cwd=PROJECT_ROOT, env=env,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [process.communicate(timeout=120) for process in dispatchers]
    assert [process.returncode for process in dispatchers] == [0, 0], outputs

    sent_by_process = [int(out.strip().rsplit("sent=", 1)[1]) for out, _err in outputs]
    assert sum(sent_by_process) == ROWS
    assert sink.counts() == {message_id: 1 for message_id in message_ids}
    statuses = dict(db.session.execute(
        sa.select(OutboxMessage.status, sa.func.count()).group_by(OutboxMessage.status)).all())
    assert statuses == {OutboxStatus.SENT: ROWS}
