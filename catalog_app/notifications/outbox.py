"""The dispatcher: claims due outbox rows, sends them over SMTP and records the outcome.

Exactly-once, and the one exception:

* A row is *claimed* before it is sent: status `sending`, `lease_owner` = this dispatcher,
  `lease_expires_at` = now + OUTBOX_LEASE_SECONDS, committed. Two dispatchers never claim
  the same row: PostgreSQL locks candidates with ``FOR UPDATE SKIP LOCKED``; SQLite (which
  has no row locks) runs the claim as one conditional UPDATE inside ``BEGIN IMMEDIATE``.
* A dispatcher that dies leaves its rows `sending`; once the lease has expired any
  dispatcher reclaims them. Nothing is lost.
* Each accepted message is marked `sent` in its own commit, guarded by the lease owner.
  The dispatcher stops sending when its lease is about to end, so a row is never sent by
  two live dispatchers.
* The one window: killed after the SMTP server accepted a message and before that commit.
  The row is sent again after the lease expires, with the same Message-ID (derived from
  the idempotency key), so receivers can drop the copy. No database can close this window
  without the SMTP server taking part in the transaction.
"""
from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from catalog_app.extensions import db
from catalog_app.models._types import utcnow
from catalog_app.models.outbox import OutboxMessage, OutboxStatus
from catalog_app.notifications.smtp import (
    PermanentFailure,
    SmtpTransport,
    SmtpUnavailable,
    TransientFailure,
    transport_for,
)

log = logging.getLogger(__name__)

M = OutboxMessage

# The steps of one message a dispatcher reports to its `on_step` observer: before the SMTP
# transaction, after the server accepted the message, after the `sent` commit.
STEPS = ("sending", "accepted", "committed")


@dataclass
class DispatchReport:
    """What one dispatch run did; `deferred` rows went back to pending because SMTP was down."""

    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    deferred: int = 0
    lost_leases: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: "DispatchReport") -> None:
        for name in ("claimed", "sent", "retried", "failed", "deferred", "lost_leases"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.errors.extend(other.errors)


@dataclass(frozen=True)
class _Outgoing:
    """A plain copy of a claimed row, so commits between sends do not reload it."""

    id: int
    recipient: str
    subject: str
    body_text: str
    body_html: str
    headers: dict
    message_id: str
    attempts: int
    created_at: datetime


def retry_delay(attempts: int, base_seconds: float, max_seconds: float) -> float:
    """Exponential backoff after the `attempts`-th failed attempt: base, 2·base, 4·base... capped."""
    return min(base_seconds * 2 ** max(attempts - 1, 0), max_seconds)


def due_condition(now: datetime):
    """Pending rows whose time has come, and rows whose dispatcher's lease has run out."""
    return sa.or_(
        sa.and_(M.status == OutboxStatus.PENDING, M.next_attempt_at <= now),
        sa.and_(M.status == OutboxStatus.SENDING, M.lease_expires_at < now),
    )


class Dispatcher:
    """Sends due outbox rows; one instance per process/thread, used inside an app context.

    :param config: defaults to ``current_app.config``.
    :param owner: the lease owner id; unique per instance by default.
    :param clock: returns naive UTC; tests pass a fake one to step through backoff.
    :param transport: defaults to the one MAIL_TRANSPORT names (SMTP, or the development mailbox).
    :param on_step: called as ``on_step(step, message_id)`` at each of STEPS; the crash tests
        and bench/email_faults.py pass one that journals the steps or kills the process
        between two of them. Production dispatchers have none.
    """

    def __init__(self, config: Mapping | None = None, owner: str | None = None,
                 clock: Callable[[], datetime] = utcnow, transport: SmtpTransport | None = None,
                 on_step: Callable[[str, str], None] | None = None):
        self.config = config if config is not None else current_app.config
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.clock = clock
        self.transport = transport or transport_for(self.config)
        self.on_step = on_step
        self.batch_size = int(self.config["OUTBOX_BATCH_SIZE"])
        self.lease = timedelta(seconds=float(self.config["OUTBOX_LEASE_SECONDS"]))
        # Stop starting sends this long before the lease ends: one SMTP send may take a few
        # socket timeouts, and the row must not become reclaimable while it is in flight.
        self.lease_margin = timedelta(seconds=min(3 * float(self.config["MAIL_TIMEOUT"]),
                                                  self.lease.total_seconds() / 2))
        self.max_attempts = int(self.config["MAIL_MAX_ATTEMPTS"])
        self.retry_base = float(self.config["MAIL_RETRY_BASE_SECONDS"])
        self.retry_max = float(self.config["MAIL_RETRY_MAX_SECONDS"])
        self._connection: sa.Connection | None = None

    # -- public -------------------------------------------------------------------------

    def dispatch_due(self, max_messages: int | None = None) -> DispatchReport:
        """Send batches until nothing is due (or SMTP is down, or `max_messages` were claimed)."""
        report = DispatchReport()
        try:
            while max_messages is None or report.claimed < max_messages:
                limit = self.batch_size if max_messages is None else min(self.batch_size, max_messages - report.claimed)
                batch = self.dispatch_batch(limit=limit)
                report.add(batch)
                if batch.claimed == 0 or batch.deferred:
                    break
        finally:
            self.close()
        return report

    def dispatch_ids(self, ids: Iterable[int]) -> DispatchReport:
        """Send these rows if they are due (the Celery task); others are left to the sweep."""
        report = DispatchReport()
        ids = list(ids)
        try:
            for start in range(0, len(ids), self.batch_size):
                batch = self.dispatch_batch(ids=ids[start:start + self.batch_size])
                report.add(batch)
                if batch.deferred:
                    break
        finally:
            self.close()
        return report

    def close(self) -> None:
        """Close the SMTP and database connections `dispatch_batch` keeps for the next batch."""
        self.transport.close()
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.close()

    def _db(self) -> sa.Connection:
        """The dispatcher's own connection, outside the app's session: it commits after every
        message, and must never commit (or roll back) a caller's unit of work."""
        if self._connection is None:
            self._connection = db.engine.connect()
        return self._connection

    def dispatch_batch(self, limit: int | None = None, ids: list[int] | None = None) -> DispatchReport:
        """Claim up to `limit` due rows (optionally among `ids`) and send them; `close()` after."""
        claimed, lease_expires_at = self.claim(limit or self.batch_size, ids)
        report = DispatchReport(claimed=len(claimed))
        for position, outgoing in enumerate(claimed):
            if self.clock() >= lease_expires_at - self.lease_margin:
                self._release([o.id for o in claimed[position:]])
                break
            outcome = self._send_one(outgoing, report)
            if outcome == "unavailable":
                remaining = [o.id for o in claimed[position:]]
                self._defer(remaining, report.errors[-1])
                report.deferred = len(remaining)
                break
        return report

    def claim(self, limit: int, ids: list[int] | None = None) -> tuple[list[_Outgoing], datetime]:
        """Lease up to `limit` due rows to this dispatcher and commit; returns them and the lease end."""
        connection = self._db()
        now = self.clock()
        expires = now + self.lease
        candidates = sa.select(M.id).where(due_condition(now)).order_by(M.next_attempt_at, M.id).limit(limit)
        if ids is not None:
            candidates = candidates.where(M.id.in_(ids))
        lease = {"status": OutboxStatus.SENDING, "lease_owner": self.owner, "lease_expires_at": expires}
        try:
            if connection.dialect.name == "sqlite":
                # No row locks: take the database write lock first, so selecting candidates
                # and leasing them is one step; the conditional WHERE re-checks each row.
                connection.exec_driver_sql("BEGIN IMMEDIATE")
                candidate_ids = list(connection.scalars(candidates))
                claimed_ids = list(connection.scalars(
                    sa.update(M).where(M.id.in_(candidate_ids), due_condition(now)).values(**lease)
                    .returning(M.id))) if candidate_ids else []
            else:
                claimed_ids = list(connection.scalars(candidates.with_for_update(skip_locked=True)))
                if claimed_ids:
                    connection.execute(sa.update(M).where(M.id.in_(claimed_ids)).values(**lease))
            rows = connection.execute(
                sa.select(M.id, M.recipient, M.subject, M.body_text, M.body_html, M.headers,
                          M.message_id, M.attempts, M.created_at)
                .where(M.id.in_(claimed_ids)).order_by(M.id)).all() if claimed_ids else []
            connection.commit()
        except Exception:
            connection.rollback()
            raise
        return [_Outgoing(*row) for row in rows], expires

    # -- one message --------------------------------------------------------------------

    def _send_one(self, outgoing: _Outgoing, report: DispatchReport) -> str:
        self._step("sending", outgoing.message_id)
        try:
            self.transport.send(outgoing)
        except SmtpUnavailable as exc:
            report.errors.append(str(exc))
            log.warning("SMTP unavailable, outbox rows stay pending: %s", exc)
            return "unavailable"
        except PermanentFailure as exc:
            report.errors.append(str(exc))
            self._finish(outgoing, status=OutboxStatus.FAILED, error=str(exc), report=report)
            report.failed += 1
            log.warning("email %s to %s refused: %s", outgoing.id, outgoing.recipient, exc)
            return "failed"
        except TransientFailure as exc:
            report.errors.append(str(exc))
            attempts = outgoing.attempts + 1
            if attempts >= self.max_attempts:
                self._finish(outgoing, status=OutboxStatus.FAILED, error=f"gave up after {attempts} attempts: {exc}",
                             report=report)
                report.failed += 1
            else:
                delay = retry_delay(attempts, self.retry_base, self.retry_max)
                self._finish(outgoing, status=OutboxStatus.PENDING, error=str(exc), report=report,
                             next_attempt_at=self.clock() + timedelta(seconds=delay))
                report.retried += 1
            return "retry"
        self._step("accepted", outgoing.message_id)
        if self._finish(outgoing, status=OutboxStatus.SENT, error="", report=report, sent_at=self.clock()):
            self._step("committed", outgoing.message_id)
        report.sent += 1
        return "sent"

    def _finish(self, outgoing: _Outgoing, *, status: OutboxStatus, error: str, report: DispatchReport,
                **values) -> bool:
        """Record an attempt's outcome, only if this dispatcher still holds the lease."""
        connection = self._db()
        result = connection.execute(
            sa.update(M)
            .where(M.id == outgoing.id, M.lease_owner == self.owner, M.status == OutboxStatus.SENDING)
            .values(status=status, attempts=M.attempts + 1, last_error=error[:2000],
                    lease_owner=None, lease_expires_at=None, **values))
        connection.commit()
        if result.rowcount != 1:
            report.lost_leases += 1
            log.error("outbox row %s: lease lost before recording %s", outgoing.id, status.value)
            return False
        return True

    def _defer(self, ids: list[int], error: str) -> None:
        """SMTP unreachable: back to pending without spending an attempt; try again after the base delay."""
        self._return_to_pending(ids, next_attempt_at=self.clock() + timedelta(seconds=self.retry_base),
                                last_error=error[:2000])

    def _release(self, ids: list[int]) -> None:
        self._return_to_pending(ids)

    def _return_to_pending(self, ids: list[int], **values) -> None:
        if not ids:
            return
        connection = self._db()
        connection.execute(
            sa.update(M).where(M.id.in_(ids), M.lease_owner == self.owner, M.status == OutboxStatus.SENDING)
            .values(status=OutboxStatus.PENDING, lease_owner=None, lease_expires_at=None, **values))
        connection.commit()

    def _step(self, step: str, message_id: str) -> None:
        if self.on_step is not None:
            self.on_step(step, message_id)


def watch(dispatcher: Dispatcher, interval: float, on_report: Callable[[DispatchReport], None],
          should_stop: Callable[[], bool] = lambda: False) -> None:
    """Drain, sleep `interval` seconds, repeat, until `should_stop()`; errors are logged, not fatal."""
    while not should_stop():
        try:
            on_report(dispatcher.dispatch_due())
        except sa.exc.OperationalError as exc:  # database restarting: try again next round
            dispatcher.close()
            log.error("outbox dispatch failed: %s", exc)
        time.sleep(interval)


def status_counts() -> dict[str, int]:
    """Rows per status, every status present (zeros included)."""
    counts = dict(db.session.execute(sa.select(M.status, sa.func.count()).group_by(M.status)).all())
    return {status.value: counts.get(status, 0) for status in OutboxStatus}


def requeue(ids: Iterable[int] | None = None, all_failed: bool = False) -> int:
    """Put failed rows back to pending with a fresh attempt budget; returns how many. Commits."""
    statement = sa.update(M).where(M.status == OutboxStatus.FAILED)
    if not all_failed:
        statement = statement.where(M.id.in_(list(ids or [])))
    result = db.session.execute(statement.values(
        status=OutboxStatus.PENDING, attempts=0, next_attempt_at=utcnow(), lease_owner=None, lease_expires_at=None))
    db.session.commit()
    return result.rowcount
