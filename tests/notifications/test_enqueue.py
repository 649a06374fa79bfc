"""send_email writes an outbox row in the caller's transaction, once per idempotency key."""
from __future__ import annotations

import sqlalchemy as sa
import pytest

from catalog_app.extensions import db
from catalog_app.models import AuditEntry, OutboxMessage, OutboxStatus
from catalog_app.models.outbox import message_id_for
from catalog_app import email_queue as services
from catalog_app.email_queue import send_email


def outbox_rows() -> list[OutboxMessage]:
    return list(db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))


def queue(recipient="a@example.com", locale="zh", **kwargs):
    kwargs.setdefault("queued_at", "2025-01-01T09:00:00")
    kwargs.setdefault("note", "")
    return send_email(recipient, "Subject", "outbox_test", locale, **kwargs)


def test_row_is_rendered_in_the_recipients_locale_and_pending(app):
    english = queue("en@example.com", "en", idempotency_key="k-en")
    chinese = queue("zh@example.com", "zh", idempotency_key="k-zh")
    db.session.commit()

    assert english.status is OutboxStatus.PENDING and english.attempts == 0
    assert "This is a test message" in english.body_text and "<p>" in english.body_html
    assert '<html lang="en">' in english.body_html and '<html lang="zh-CN">' in chinese.body_html
    assert english.message_id == message_id_for("k-en")
    assert english.message_id.startswith("<") and english.message_id.endswith("@scenario-catalog.local>")
    assert english.kind == "outbox_test" and english.recipient == "en@example.com"


def business_change(action: str) -> AuditEntry:
    entry = AuditEntry(action=action, object_type="listing", object_id=1, detail={})
    db.session.add(entry)
    db.session.flush()
    return entry


def audit_count(action: str) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(AuditEntry.action == action))


def test_rollback_takes_the_email_with_the_change(outbox_app):
    business_change("rolled-back")
    queue(idempotency_key="rolled-back")
    db.session.rollback()

    assert outbox_rows() == []
    assert audit_count("rolled-back") == 0


def test_email_as_first_write_still_rolls_back(outbox_app):
    """On SQLite a SAVEPOINT sent first would commit on release; the outbox opens the transaction."""
    queue(idempotency_key="first-write")
    db.session.rollback()
    assert outbox_rows() == []


def test_error_between_change_and_commit_leaves_neither(outbox_app):
    def approve_and_notify():
        business_change("half-done")
        queue(idempotency_key="half-done")
        raise RuntimeError("crash before commit")

    with pytest.raises(RuntimeError):
        approve_and_notify()
    db.session.rollback()
    assert outbox_rows() == []
    assert audit_count("half-done") == 0


def test_same_key_twice_is_one_row(outbox_app):
    first = queue(idempotency_key="password-reset:42")
    second = queue(idempotency_key="password-reset:42")
    db.session.commit()
    third = queue(idempotency_key="password-reset:42")  # a later transaction too
    db.session.commit()

    assert first is second and third.id == first.id
    assert len(outbox_rows()) == 1


def test_derived_key_collapses_identical_calls_within_one_transaction(app):
    queue(note="same")
    queue(note="same")
    queue(note="different")
    queue("b@example.com", note="same")
    db.session.commit()
    assert len(outbox_rows()) == 3

    queue(note="same")  # the same call in a new transaction is a new email
    db.session.commit()
    assert len(outbox_rows()) == 4


def test_losing_the_unique_race_keeps_the_callers_transaction(outbox_app, monkeypatch):
    """Another transaction committed the key between our check and our insert."""
    with db.engine.begin() as other:
        other.execute(sa.insert(OutboxMessage).values(
            idempotency_key="race", kind="outbox_test", recipient="a@example.com", subject="S", body_text="t",
            body_html="", headers={}, message_id=message_id_for("race"), status="pending", attempts=0,
            next_attempt_at=sa.func.now(), last_error="", created_at=sa.func.now()))
    business_change("race")
    real_find = services._find_by_key
    calls = []

    def find_misses_once(session, key):
        calls.append(key)
        return None if len(calls) == 1 else real_find(session, key)

    monkeypatch.setattr(services, "_find_by_key", find_misses_once)
    row = queue(idempotency_key="race")
    db.session.commit()

    assert row.idempotency_key == "race" and len(calls) == 2
    assert len(outbox_rows()) == 1
    assert audit_count("race") == 1


def test_headers_are_kept_for_later_features(app):
    row = queue(idempotency_key="with-headers", mail_headers={"List-Unsubscribe": "<https://example.com/u/1>"})
    db.session.commit()
    assert row.headers == {"List-Unsubscribe": "<https://example.com/u/1>"}


def test_ids_are_pushed_after_commit_only_when_a_broker_is_configured(app, monkeypatch):
    from catalog_app.notifications import tasks

    pushed = []
    monkeypatch.setattr(tasks, "push_outbox_ids", lambda ids: pushed.append(list(ids)))

    queue(idempotency_key="no-broker")
    db.session.commit()
    assert pushed == []

    app.config["CELERY_BROKER_URL"] = "redis://127.0.0.1:1/0"
    row = queue(idempotency_key="rolled")
    db.session.rollback()
    assert pushed == []
    row = queue(idempotency_key="committed")
    other = queue(idempotency_key="committed-too")
    assert pushed == []  # not before the commit: a worker could not see the row yet
    db.session.commit()
    assert pushed == [[row.id, other.id]]  # once per commit, not per SAVEPOINT


def test_context_may_use_the_names_of_the_positional_parameters(app):
    row = send_email("a@example.com", "Subject", "outbox_test", "en", idempotency_key="ctx-names",
                     recipient="a template variable", subject="another", template="x", queued_at="", note="")
    db.session.commit()
    assert row.recipient == "a@example.com" and row.subject == "Subject"
