"""The admin page of failed emails: what failed, why, and putting them back in the queue."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from catalog_app.audit import record
from catalog_app.extensions import db
from catalog_app.models import OutboxMessage, OutboxStatus, User
from catalog_app.notifications.outbox import requeue, status_counts

PAGE_SIZE = 50
STATUS_LABELS = {"pending": _l("Waiting"), "sending": _l("Sending"), "sent": _l("Sent"), "failed": _l("Failed")}


@dataclass
class FailedPage:
    messages: list[OutboxMessage]
    total: int
    page: int
    pages: int
    counts: dict[str, int]


def failed_messages(page: int = 1) -> FailedPage:
    """Failed rows, newest first, with the counts of every status."""
    total = db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)
                              .where(OutboxMessage.status == OutboxStatus.FAILED)) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(page, pages)
    rows = db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.FAILED)
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
        .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
    return FailedPage(list(rows), total, page, pages, status_counts())


def requeue_failed(ids: list[int], all_failed: bool, actor: User) -> int:
    """Give failed rows a new attempt budget (the outbox's `requeue`, which commits) and audit it."""
    count = requeue(ids, all_failed=all_failed)
    if count:
        record(actor, "emails_requeued", None, object_type="outbox", count=count,
               ids=[] if all_failed else sorted(ids))
        db.session.commit()
    return count
