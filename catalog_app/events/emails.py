"""E-mails of event registration, queued through the outbox in the caller's transaction.

They go to the registration's attendee (the person who registered and sits at the table),
in their own language. Registration mail is transactional, like an account e-mail: there is
no preference to turn it off. The key carries the decision time, so approving, declining
and approving again each send one mail, and a retried request never sends two.
"""
from __future__ import annotations

from datetime import datetime

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from catalog_app.models import EventRegistration, RegistrationStatus
from catalog_app.notifications.previews import register_preview
from catalog_app.email_queue import send_email
from catalog_app.i18n import locale_of
from catalog_app.public_urls import public_url


def _send(registration: EventRegistration, template: str, subject, key: str, url: str | None = None,
          **context) -> None:
    attendee = registration.attendee
    if attendee is None or not attendee.is_active:
        return
    locale = locale_of(attendee)
    with force_locale(locale):
        subject_text = str(subject)
    event = registration.event
    send_email(attendee.email, subject_text, template, locale,
               idempotency_key=f"{template}:{registration.id}:{key}",
               recipient_name=attendee.display_name or attendee.email, event_title=event.title,
               organization=registration.organization.name,
               url=url or public_url("events.detail", slug=event.slug), **context)


def notify_decision(registration: EventRegistration) -> None:
    approved = registration.status is RegistrationStatus.APPROVED
    template = "events_registration_approved" if approved else "events_registration_declined"
    subject = (_l("Registration approved: %(title)s", title=registration.event.title) if approved
               else _l("Registration declined: %(title)s", title=registration.event.title))
    _send(registration, template, subject, registration.decided_at.isoformat(),
          starts_at=registration.event.starts_at)


def notify_cancelled(registration: EventRegistration) -> None:
    _send(registration, "events_cancelled", _l("Event cancelled: %(title)s", title=registration.event.title),
          "cancelled", url=public_url("events.index"), starts_at=registration.event.starts_at)


def _sample() -> dict:
    return {"recipient_name": "王经理", "event_title": "2027 黄埔区人工智能供需对接会", "organization": "佛山皮具制造有限公司",
            "url": "https://scenario-catalog.local/events/2027-matchmaking-1", "starts_at": datetime(2027, 3, 18, 1, 30)}


for _kind in ("events_registration_approved", "events_registration_declined", "events_cancelled"):
    register_preview(_kind, _sample)  # `flask emails preview events_...`
