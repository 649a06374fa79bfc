"""Emails of the enquiry workflow, queued through the outbox in the caller's transaction.

Each member of the other organization gets one row under an idempotency key built from
the event (the enquiry, the message, the acceptance) and the member: a retried request or
a second dispatcher never queues or sends it twice, and a rolled-back change takes its
email with it. No email carries a contact: contacts are shown on the site, to members only.
"""
from __future__ import annotations

from catalog_app.models import User
from catalog_app.notifications import members
from catalog_app.notifications.preferences import ENQUIRIES
from catalog_app.public_urls import public_url


def thread_url(enquiry_id: int) -> str:
    """The thread's absolute link, on PUBLIC_BASE_URL."""
    return public_url("enquiries.detail", enquiry_id=enquiry_id)


def notify_members(organization_id: int, template: str, subject, key: str, *,
                   exclude: User | None = None, **context) -> int:
    """Queue `template` to every active member who wants enquiry mail; returns how many
    (notifications.members.notify_members with the ENQUIRIES category)."""
    return members.notify_members(organization_id, ENQUIRIES, template, subject, key, exclude=exclude, **context)
