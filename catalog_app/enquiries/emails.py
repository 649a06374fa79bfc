"""Emails of the enquiry workflow, queued through the outbox in the caller's transaction.

Each member of the other organization gets one row under an idempotency key built from
the event (the enquiry, the message, the acceptance) and the member: a retried request or
a second dispatcher never queues or sends it twice, and a rolled-back change takes its
email with it. No email carries a contact: contacts are shown on the site, to members only.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import force_locale

from catalog_app.extensions import db
from catalog_app.models import User
from catalog_app.notifications.preferences import ENQUIRIES, wants_email_now
from catalog_app.notifications.services import send_email
from catalog_app.public_urls import public_url


def organization_members(organization_id: int) -> list[User]:
    return list(db.session.scalars(
        sa.select(User).where(User.organization_id == organization_id, User.is_active.is_(True))
        .order_by(User.id)))


def thread_url(enquiry_id: int) -> str:
    """The thread's absolute link, on PUBLIC_BASE_URL."""
    return public_url("enquiries.detail", enquiry_id=enquiry_id)


def notify_members(organization_id: int, template: str, subject, key: str, *,
                   exclude: User | None = None, **context) -> int:
    """Queue `template` to every active member who wants enquiry mail; returns how many.

    :param subject: a lazy string, rendered in each recipient's language.
    :param key: the event's identity, e.g. ``f"message:{message.id}"``; with the template
        and the member it is the outbox idempotency key.
    """
    count = 0
    for user in organization_members(organization_id):
        if exclude is not None and user.id == exclude.id:
            continue
        if not wants_email_now(user, ENQUIRIES):
            continue
        locale = user.locale or "zh"
        with force_locale(locale):
            subject_text = str(subject)
        send_email(user.email, subject_text, template, locale, idempotency_key=f"{template}:{key}:{user.id}",
                   recipient_name=user.display_name or user.email, **context)
        count += 1
    return count
