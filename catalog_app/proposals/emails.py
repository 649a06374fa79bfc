"""Emails of the proposal workflow, queued in the caller's transaction through the outbox.

Recipients are the active members of the other side's organization, each in their own
language. No email ever carries a demand's confidential details: templates get the
demand's title and links only.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import force_locale

from catalog_app.extensions import db
from catalog_app.models import User
from catalog_app.notifications.services import send_email
from catalog_app.public_urls import public_url


def organization_members(organization_id: int) -> list[User]:
    return list(db.session.scalars(
        sa.select(User).where(User.organization_id == organization_id, User.is_active.is_(True))
        .order_by(User.id)))


def link(endpoint: str, **values) -> str:
    """An absolute link for the email, on PUBLIC_BASE_URL (catalog_app.public_urls)."""
    return public_url(endpoint, **values)


def notify_organization(organization_id: int, template: str, subject, key: str, *,
                        exclude: User | None = None, **context) -> int:
    """Queue `template` to every active member; `subject` is a lazy string rendered per recipient.

    :param key: the event's identity (e.g. ``f"message:{message.id}"``); with the
        recipient it makes the idempotency key, so a retried request queues nothing twice.
    """
    from catalog_app.notifications.preferences import PROPOSALS, wants_email_now

    count = 0
    for user in organization_members(organization_id):
        if exclude is not None and user.id == exclude.id:
            continue
        if not wants_email_now(user, PROPOSALS):
            continue
        locale = user.locale or "zh"
        with force_locale(locale):
            subject_text = str(subject)
        send_email(user.email, subject_text, template, locale, idempotency_key=f"{template}:{key}:{user.id}",
                   recipient_name=user.display_name or user.email, **context)
        count += 1
    return count
