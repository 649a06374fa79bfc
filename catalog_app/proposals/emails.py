"""Emails of the proposal workflow, queued in the caller's transaction through the outbox.

Recipients are the active members of the other side's organization, each in their own
language. No email ever carries a demand's confidential details: templates get the
demand's title and links only.
"""
from __future__ import annotations

from catalog_app.models import User
from catalog_app.notifications import members
from catalog_app.notifications.preferences import PROPOSALS
from catalog_app.public_urls import public_url


def link(endpoint: str, **values) -> str:
    """An absolute link for the email, on PUBLIC_BASE_URL (catalog_app.public_urls)."""
    return public_url(endpoint, **values)


def notify_organization(organization_id: int, template: str, subject, key: str, *,
                        exclude: User | None = None, **context) -> int:
    """Queue `template` to every active member who wants proposal mail; `subject` is a lazy
    string rendered per recipient (notifications.members.notify_members, PROPOSALS category).

    :param key: the event's identity (e.g. ``f"message:{message.id}"``); with the
        recipient it makes the idempotency key, so a retried request queues nothing twice.
    """
    return members.notify_members(organization_id, PROPOSALS, template, subject, key, exclude=exclude, **context)
