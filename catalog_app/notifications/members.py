"""Mail to an organization's members: each active member, in their own language, once per event.

Proposals and enquiries both e-mail "the other side's organization"; the rule for who gets
such a mail (active members who want this category now) and how the outbox key is built
lives here once, so a retried request never queues a member's copy twice in either workflow.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import force_locale

from catalog_app.extensions import db
from catalog_app.models import User
from catalog_app.notifications.preferences import wants_email_now
from catalog_app.email_queue import send_email
from catalog_app.i18n import locale_of


def active_members(organization_id: int) -> list[User]:
    """The organization's active accounts, oldest first."""
    return list(db.session.scalars(sa.select(User).where(User.active_member_of(organization_id)).order_by(User.id)))


def has_active_members(organization_id: int) -> bool:
    """Whether anyone at the organization could read a mail sent to it."""
    return bool(db.session.scalar(sa.select(sa.exists().where(User.active_member_of(organization_id)))))


def notify_members(organization_id: int, category: str, template: str, subject, key: str, *,
                   exclude: User | None = None, **context) -> int:
    """Queue `template` to every active member who wants `category` mail now; returns how many.

    :param subject: a lazy string, rendered in each recipient's language.
    :param key: the event's identity, e.g. ``f"message:{message.id}"``; with the template
        and the member it is the outbox idempotency key.
    :param exclude: the member who caused the event (they get no copy).
    """
    count = 0
    for user in active_members(organization_id):
        if exclude is not None and user.id == exclude.id:
            continue
        if not wants_email_now(user, category):
            continue
        locale = locale_of(user)
        with force_locale(locale):
            subject_text = str(subject)
        send_email(user.email, subject_text, template, locale, idempotency_key=f"{template}:{key}:{user.id}",
                   recipient_name=user.display_name or user.email, **context)
        count += 1
    return count
