"""The development mailbox: every e-mail the app queued, newest first, read from the outbox.

In development `make run` delivers with MAIL_TRANSPORT=mailbox, which only marks rows sent;
the outbox row already holds the rendered subject, text and HTML, so the mailbox is a view
of that table and needs no storage of its own.
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from werkzeug.exceptions import NotFound

from catalog_app.extensions import db
from catalog_app.models import OutboxMessage

PAGE_SIZE = 50


@dataclass
class MailboxPage:
    """One page of messages; `page` and `pages` are what the pagination macro reads."""

    items: list[OutboxMessage]
    total: int
    page: int
    per_page: int
    recipient: str

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def mailbox_page(page: int = 1, recipient: str = "") -> MailboxPage:
    """Messages (to `recipient` when given, case-insensitive), newest first."""
    recipient = recipient.strip().lower()[:320]
    condition = sa.func.lower(OutboxMessage.recipient) == recipient if recipient else sa.true()
    total = db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage).where(condition)) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    rows = db.session.scalars(
        sa.select(OutboxMessage).where(condition)
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
        .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
    return MailboxPage(list(rows), total, page, PAGE_SIZE, recipient)


def get_message(message_id: int) -> OutboxMessage:
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        raise NotFound()
    return message


def framed_html(message: OutboxMessage) -> str:
    """The HTML part for the preview frame; links open in the whole window (a verification
    link clicked here logs the newcomer's browser in, as it would from a mail client)."""
    return '<base target="_top">' + (message.body_html or "")
