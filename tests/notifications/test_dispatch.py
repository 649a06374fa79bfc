"""The dispatcher against a real SMTP server (aiosmtpd): delivery, refusals, retries, leases."""
from __future__ import annotations

from datetime import timedelta
from email import message_from_bytes, policy

import sqlalchemy as sa

from catalog_app.extensions import db
from catalog_app.models import OutboxMessage, OutboxStatus
from catalog_app.models._types import utcnow
from catalog_app.notifications.outbox import Dispatcher, DispatchReport, retry_delay
from catalog_app.email_queue import send_email


class Clock:
    """Real time plus an offset that tests move forward."""

    def __init__(self):
        self.offset = timedelta()

    @property
    def now(self):
        return utcnow() + self.offset

    def __call__(self):
        return self.now

    def advance(self, seconds: float) -> None:
        self.offset += timedelta(seconds=seconds)


def queue(n: int = 1, recipient: str = "user{i}@example.com", locale: str = "zh") -> list[OutboxMessage]:
    rows = [send_email(recipient.format(i=i), f"Subject {i}", "outbox_test", locale, idempotency_key=f"test:{i}",
                       queued_at="2025-01-01", note=f"n{i}") for i in range(n)]
    db.session.commit()
    return rows


def reload(row: OutboxMessage) -> OutboxMessage:
    db.session.expire_all()
    return db.session.get(OutboxMessage, row.id)


def test_dispatch_delivers_with_the_stable_message_id(app, wire):
    sink = wire(app)
    [row] = queue(locale="en")
    report = Dispatcher().dispatch_due()

    assert (report.claimed, report.sent) == (1, 1)
    [received] = sink.messages
    parsed = message_from_bytes(received["raw"], policy=policy.default)
    assert parsed["Message-ID"] == row.message_id
    assert parsed["To"] == "user0@example.com" and parsed["Subject"] == "Subject 0"
    assert "This is a test message" in parsed.get_body(("plain",)).get_content()
    assert parsed.get_body(("html",)) is not None
    row = reload(row)
    assert row.status is OutboxStatus.SENT and row.attempts == 1 and row.sent_at is not None
    assert row.lease_owner is None
    assert Dispatcher().dispatch_due().claimed == 0  # nothing sent twice


def test_smtp_down_keeps_rows_pending_then_sends_them(app, wire):
    clock = Clock()
    rows = queue(3)
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=1)  # nothing listens on port 1
    report = Dispatcher(clock=clock).dispatch_due()

    assert report.sent == 0 and report.deferred == 3
    for row in map(reload, rows):
        assert row.status is OutboxStatus.PENDING and row.attempts == 0  # an outage spends no attempt
        assert "127.0.0.1:1" in row.last_error and row.next_attempt_at > clock.now

    sink = wire(app)
    assert Dispatcher(clock=clock).dispatch_due().claimed == 0  # not due yet
    clock.advance(app.config["MAIL_RETRY_BASE_SECONDS"] + 1)
    assert Dispatcher(clock=clock).dispatch_due().sent == 3
    assert sorted(sink.message_ids()) == sorted(r.message_id for r in rows)


def test_a_refused_recipient_fails_with_the_reason_and_others_go_out(app, wire):
    sink = wire(app)
    sink.refuse["user1@example.com"] = "550 5.1.1 mailbox unavailable"
    rows = queue(3)
    report = Dispatcher().dispatch_due()

    assert (report.sent, report.failed) == (2, 1)
    refused = reload(rows[1])
    assert refused.status is OutboxStatus.FAILED and "550" in refused.last_error
    assert "mailbox unavailable" in refused.last_error
    assert {reload(rows[0]).status, reload(rows[2]).status} == {OutboxStatus.SENT}
    assert len(sink.messages) == 2


def test_temporary_refusals_back_off_exponentially_then_fail(app, wire):
    sink = wire(app)
    sink.refuse["user0@example.com"] = "451 4.3.0 try again later"
    app.config.update(MAIL_MAX_ATTEMPTS=4, MAIL_RETRY_BASE_SECONDS=60, MAIL_RETRY_MAX_SECONDS=150)
    clock = Clock()
    [row] = queue(1)
    delays = []
    for attempt in range(1, 4):
        started = clock.now
        assert Dispatcher(clock=clock).dispatch_due().retried == 1
        row = reload(row)
        assert row.status is OutboxStatus.PENDING and row.attempts == attempt and "451" in row.last_error
        delays.append(round((row.next_attempt_at - started).total_seconds()))
        assert Dispatcher(clock=clock).dispatch_due().claimed == 0  # not before its time
        clock.advance(delays[-1])
    assert delays == [60, 120, 150]  # base, doubled, capped
    assert [retry_delay(n, 60, 10_000) for n in (1, 2, 3, 4)] == [60, 120, 240, 480]

    assert Dispatcher(clock=clock).dispatch_due().failed == 1
    row = reload(row)
    assert row.status is OutboxStatus.FAILED and row.attempts == 4 and "gave up after 4 attempts" in row.last_error
    assert sink.messages == []


def test_a_dispatcher_that_dies_holding_a_lease_loses_nothing(app, wire):
    sink = wire(app)
    clock = Clock()
    rows = queue(5)
    dead = Dispatcher(clock=clock, owner="dead")
    claimed, _expires = dead.claim(limit=3)  # claimed, then the process "died"
    assert len(claimed) == 3

    survivor = Dispatcher(clock=clock, owner="survivor")
    assert survivor.dispatch_due().sent == 2  # the leased rows are not touched
    clock.advance(app.config["OUTBOX_LEASE_SECONDS"] + 1)
    assert survivor.dispatch_due().sent == 3
    assert sink.counts() == {row.message_id: 1 for row in rows}
    assert {reload(r).status for r in rows} == {OutboxStatus.SENT}


def test_a_late_dispatcher_cannot_mark_a_reclaimed_row(app, wire):
    """The lease guard: once another dispatcher took the row over, the old owner's commit is refused."""
    wire(app)
    clock = Clock()
    [row] = queue(1)
    old = Dispatcher(clock=clock, owner="old")
    [outgoing], _ = old.claim(limit=1)
    clock.advance(app.config["OUTBOX_LEASE_SECONDS"] + 1)
    assert Dispatcher(clock=clock, owner="new").dispatch_due().sent == 1

    stale = DispatchReport()  # the old owner now records an outcome with its expired lease
    assert old._finish(outgoing, status=OutboxStatus.FAILED, error="late", report=stale) is False
    assert stale.lost_leases == 1
    assert reload(row).status is OutboxStatus.SENT


def test_a_dispatcher_stops_before_its_lease_runs_out(app, wire):
    sink = wire(app)
    clock = Clock()
    queue(3)
    dispatcher = Dispatcher(clock=clock)
    real_send = dispatcher.transport.send

    def slow_send(outgoing):
        real_send(outgoing)
        clock.advance(dispatcher.lease.total_seconds())  # the send took the whole lease

    dispatcher.transport.send = slow_send
    report = dispatcher.dispatch_batch()
    dispatcher.close()
    assert (report.claimed, report.sent) == (3, 1)
    counts = dict(db.session.execute(sa.select(OutboxMessage.status, sa.func.count()).group_by(OutboxMessage.status)).all())
    assert counts == {OutboxStatus.SENT: 1, OutboxStatus.PENDING: 2}  # released, not left leased
    assert len(sink.messages) == 1


def test_watch_keeps_draining_until_stopped(app, wire):
    from catalog_app.notifications.outbox import watch

    sink = wire(app)
    queue(2)
    reports = []

    def stop_after_two_rounds():
        if len(reports) == 1:  # new mail arrives between two polls
            send_email("late@example.com", "Late", "outbox_test", "zh", idempotency_key="late",
                       queued_at="2025-01-01", note="")
            db.session.commit()
        return len(reports) >= 2

    watch(Dispatcher(), interval=0, on_report=reports.append, should_stop=stop_after_two_rounds)
    assert [r.sent for r in reports] == [2, 1]
    assert len(sink.messages) == 3


def test_an_idle_connection_closed_by_the_server_costs_no_attempt(app, wire, monkeypatch):
    from catalog_app.notifications import smtp

    sink = wire(app)
    rows = queue(2)
    dispatcher = Dispatcher()
    assert dispatcher.dispatch_batch(limit=1).sent == 1
    dispatcher.transport._connection.sock.close()  # the server hung up while we were idle
    monkeypatch.setattr(smtp, "IDLE_CHECK_SECONDS", 0.0)
    assert dispatcher.dispatch_batch(limit=1).sent == 1
    dispatcher.close()
    assert reload(rows[1]).attempts == 1 and len(sink.messages) == 2
