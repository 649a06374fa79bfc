"""Queueing e-mail: every feature calls `send_email`, which adds a row to the outbox.

`send_email` renders the message and adds an `OutboxMessage` to the caller's session. It
never commits and never talks to SMTP: the row is committed with the change it reports,
or rolled back with it, and `flask emails dispatch` (or the Celery worker) sends it later
(see notifications/outbox.py). So a crash after the business change and before its commit
leaves neither the change nor the email, and an SMTP outage delays mail instead of losing it.

It sits on the shared floor: accounts, moderation and notifications all queue through it
without importing one another.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import json
import uuid
from typing import Any

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale
from jinja2 import TemplateNotFound
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from catalog_app.extensions import db
from catalog_app.models.outbox import OutboxMessage, OutboxStatus, message_id_for
from catalog_app.models._types import utcnow
from catalog_app.i18n import locale_or_default

# session.info keys: ids to push to Celery after commit, and the nonce that scopes derived
# idempotency keys to one transaction.
NEW_IDS_KEY = "outbox_new_ids"
TXN_NONCE_KEY = "outbox_txn_nonce"
# app.extensions key: the callable that pushes committed ids to the Celery workers. The
# factory sets it (Celery is an optional dependency, imported only when a push happens), so
# this floor module never imports the notifications package that owns the tasks.
PUSHER_KEY = "outbox_pusher"


def render_email(template: str, locale: str, /, **context) -> tuple[str, str]:
    """Render `templates/emails/<template>.txt` (and .html when present) in `locale`."""
    with force_locale(locale_or_default(locale)):
        text = render_template(f"emails/{template}.txt", **context)
        try:
            html = render_template(f"emails/{template}.html", **context)
        except TemplateNotFound:  # a missing HTML variant is allowed
            html = ""
    return text, html


def send_email(recipient: str, subject: str, template: str, /, locale: str = "zh", *,
               idempotency_key: str | None = None, mail_headers: dict[str, str] | None = None,
               **context) -> OutboxMessage:
    """Queue one email in the caller's transaction; the caller's commit makes it real.

    :param recipient: the address.
    :param subject: already-translated subject line.
    :param template: name under templates/emails/ without extension; stored as the row's kind.
    :param locale: the recipient's language; the body is rendered now, in that language.
    :param idempotency_key: one email per key, ever (e.g. ``f"match-recommended:{match.id}"``).
        When None, a key is derived from template, recipient and a hash of `context`, scoped
        to the current transaction: an identical call twice in one transaction queues once,
        the same call in a later transaction queues again.
    :param mail_headers: extra headers, e.g. ``List-Unsubscribe`` (the hook for preferences).
    :param context: template variables. The first three parameters are positional-only, so
        a template may take its own `recipient` or `subject` variable.
    :returns: the queued row, or the row already queued under the same key.
    """
    session = db.session
    key = idempotency_key or _derived_key(session, template, recipient, context)
    existing = _find_by_key(session, key)
    if existing is not None:
        return existing

    text, html = render_email(template, locale, **context)
    message = OutboxMessage(
        idempotency_key=key, kind=template, recipient=recipient, subject=subject[:500],
        body_text=text, body_html=html, headers=dict(mail_headers or {}),
        message_id=message_id_for(key), status=OutboxStatus.PENDING,
        attempts=0, next_attempt_at=utcnow(), last_error="",
    )
    _begin_real_transaction(session)
    try:
        # A savepoint, so that losing a race on the UNIQUE key rolls back only this insert,
        # not the caller's business change.
        with session.begin_nested():
            session.add(message)
    except IntegrityError:
        winner = _find_by_key(session, key)
        if winner is None:
            raise
        return winner
    session.info.setdefault(NEW_IDS_KEY, []).append(message.id)
    return message


def _find_by_key(session, key: str) -> OutboxMessage | None:
    return session.scalar(sa.select(OutboxMessage).where(OutboxMessage.idempotency_key == key))


def _begin_real_transaction(session) -> None:
    """Make sure the database transaction is open before a SAVEPOINT.

    pysqlite opens its transaction lazily, before the first INSERT/UPDATE/DELETE. A SAVEPOINT
    sent first would start the transaction itself, and releasing it would COMMIT the email
    even if the caller later rolls back. A no-op UPDATE makes pysqlite send BEGIN first.
    """
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        connection.execute(sa.update(OutboxMessage).where(sa.false()).values(attempts=OutboxMessage.attempts))


def _derived_key(session, template: str, recipient: str, context: dict[str, Any]) -> str:
    nonce = session.info.get(TXN_NONCE_KEY)
    if nonce is None:
        nonce = session.info[TXN_NONCE_KEY] = uuid.uuid4().hex
    canonical = json.dumps(context, sort_keys=True, default=_canonical, ensure_ascii=False)
    context_hash = hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:24]
    return f"{template}:{recipient.lower()}:{context_hash}:{nonce}"


def _canonical(value: Any) -> Any:
    """JSON for context values: rows by identity, so two loads of one row hash the same."""
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, (set, frozenset)):
        return sorted(map(str, value))
    mapper_state = sa.inspect(value, raiseerr=False)
    if mapper_state is not None and getattr(mapper_state, "identity", None) is not None:
        return f"{type(value).__name__}:{mapper_state.identity}"
    return str(value)


# Transaction bookkeeping: the nonce lives for one root transaction; new ids are pushed
# to the broker only after that transaction commits (never before: the worker would not
# see the row yet) and forgotten when it rolls back.
@sa.event.listens_for(Session, "after_transaction_end")
def _forget_transaction_nonce(session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(TXN_NONCE_KEY, None)


@sa.event.listens_for(Session, "after_soft_rollback")
def _forget_new_ids(session, previous_transaction) -> None:
    if previous_transaction.parent is None:
        session.info.pop(NEW_IDS_KEY, None)


@sa.event.listens_for(Session, "after_commit")
def _push_new_ids(session) -> None:
    if session.in_nested_transaction():  # a SAVEPOINT released: the row is not committed yet
        return
    new_ids = session.info.pop(NEW_IDS_KEY, None)
    if not new_ids:
        return
    try:
        broker_url = current_app.config["CELERY_BROKER_URL"]
    except RuntimeError:  # no app context: nobody to push for
        return
    pusher = current_app.extensions.get(PUSHER_KEY)
    if broker_url and pusher is not None:
        pusher(new_ids)
