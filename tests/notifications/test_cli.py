"""`flask emails ...` commands."""
from __future__ import annotations

from catalog_app.extensions import db
from catalog_app.models import OutboxMessage, OutboxStatus
from catalog_app.email_queue import send_email


def queue(n: int) -> list[int]:
    ids = [send_email(f"user{i}@example.com", f"S{i}", "outbox_test", "en", idempotency_key=f"cli:{i}",
                      queued_at="2025-01-01", note="").id for i in range(n)]
    db.session.commit()
    return ids


def test_dispatch_status_and_requeue(app, runner, wire):
    sink = wire(app)
    sink.refuse["user1@example.com"] = "550 no such user"
    ids = queue(3)

    result = runner.invoke(args=["emails", "dispatch"])
    assert result.exit_code == 0, result.output
    assert "claimed=3 sent=2 retried=0 failed=1" in result.output

    result = runner.invoke(args=["emails", "status"])
    assert result.exit_code == 0
    assert "pending  0" in result.output and "sent     2" in result.output and "failed   1" in result.output

    assert runner.invoke(args=["emails", "requeue"]).exit_code != 0  # needs --id or --all-failed
    del sink.refuse["user1@example.com"]
    result = runner.invoke(args=["emails", "requeue", "--id", str(ids[1]), "--id", str(ids[0])])
    assert "requeued 1 message(s)" in result.output  # only failed rows are requeued
    db.session.expire_all()
    row = db.session.get(OutboxMessage, ids[1])
    assert row.status is OutboxStatus.PENDING and row.attempts == 0

    assert "sent=1" in runner.invoke(args=["emails", "dispatch"]).output
    assert len(sink.messages) == 3


def test_requeue_all_failed(app, runner):
    ids = queue(2)
    db.session.query(OutboxMessage).update({"status": OutboxStatus.FAILED})
    db.session.commit()
    assert "requeued 2" in runner.invoke(args=["emails", "requeue", "--all-failed"]).output
    db.session.expire_all()
    assert {db.session.get(OutboxMessage, i).status for i in ids} == {OutboxStatus.PENDING}


def test_dispatch_reports_smtp_down(app, runner):
    queue(1)
    app.config.update(MAIL_PORT=1)
    result = runner.invoke(args=["emails", "dispatch"])
    assert result.exit_code == 0
    assert "deferred=1" in result.output and "127.0.0.1:1" in result.output


def test_preview_renders_to_terminal_and_file(app, runner, tmp_path):
    result = runner.invoke(args=["emails", "preview", "outbox_test", "--locale", "en"])
    assert result.exit_code == 0 and "This is a test message" in result.output
    out = tmp_path / "preview.html"
    result = runner.invoke(args=["emails", "preview", "outbox_test", "--out", str(out)])
    assert result.exit_code == 0 and out.read_text(encoding="utf-8").startswith("<!doctype html>")
    assert db.session.query(OutboxMessage).count() == 0  # a preview queues nothing

    result = runner.invoke(args=["emails", "preview", "no_such_kind"])
    assert result.exit_code != 0 and "available:" in result.output


def test_send_test_queues_one_message(app, runner):
    result = runner.invoke(args=["emails", "send-test", "ops@example.com"])
    assert result.exit_code == 0 and "queued message" in result.output
    assert db.session.query(OutboxMessage).one().recipient == "ops@example.com"
