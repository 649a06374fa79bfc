"""The email outbox: one row per message, written in the transaction of the change it reports.

A row is the promise to send one email. It is rendered when it is written (in the
recipient's language, with the data as it was at that moment), so the dispatcher only
transports bytes and never needs the objects that caused the email. `message_id` is derived
from `idempotency_key`, so a resend after a crash carries the same Message-ID and the
receiving side can drop the copy.
"""
from __future__ import annotations

import enum
import hashlib
from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from catalog_app.extensions import db
from catalog_app.models._types import str_enum, utcnow

MESSAGE_ID_DOMAIN = "scenario-catalog.local"


class OutboxStatus(enum.Enum):
    PENDING = "pending"  # waiting for next_attempt_at
    SENDING = "sending"  # leased by a dispatcher until lease_expires_at
    SENT = "sent"
    FAILED = "failed"  # permanent: refused by the server or out of attempts


def message_id_for(idempotency_key: str) -> str:
    """The Message-ID a key always gets, so that every resend carries the same one."""
    digest = hashlib.sha256(idempotency_key.encode("utf-8")).hexdigest()[:32]
    return f"<{digest}@{MESSAGE_ID_DOMAIN}>"


class OutboxMessage(db.Model):
    __tablename__ = "outbox_messages"
    # The dispatcher's only query: due rows by status, oldest first.
    __table_args__ = (sa.Index("ix_outbox_messages_status_next_attempt_at", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(sa.String(255), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(80), index=True)  # the template name
    recipient: Mapped[str] = mapped_column(sa.String(320))
    subject: Mapped[str] = mapped_column(sa.String(500))
    body_text: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text, default="")
    headers: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # extra headers, e.g. List-Unsubscribe
    message_id: Mapped[str] = mapped_column(sa.String(100), unique=True)
    status: Mapped[OutboxStatus] = mapped_column(str_enum(OutboxStatus), default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    lease_owner: Mapped[Optional[str]] = mapped_column(sa.String(100))
    lease_expires_at: Mapped[Optional[datetime]]
    last_error: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[Optional[datetime]]

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.kind} {self.status.value} to={self.recipient}>"
