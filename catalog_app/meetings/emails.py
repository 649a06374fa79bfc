"""Mail of the meetings: change notices, the agenda on request, the follow-up question.

Every mail goes to the registration's attendee (the person at the table), through the
outbox in the caller's transaction: a refused or rolled-back change takes its mail with
it. Keys name the change (meeting, kind, slot and table for a move), so a retried request
never queues a notice twice and the follow-up is asked once per meeting and side, ever.
"""
from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace as NS

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from catalog_app.models import EventRegistration, Meeting
from catalog_app.extensions import db
from catalog_app.notifications.previews import register_preview
from catalog_app.email_queue import NEW_IDS_KEY, send_email
from catalog_app.i18n import locale_of
from catalog_app.public_urls import public_url

NOTICE_SUBJECTS = {
    "requested": _l("Meeting request from %(org)s"),
    "accepted": _l("%(org)s accepted your meeting"),
    "declined": _l("%(org)s declined your meeting request"),
    "cancelled": _l("Meeting with %(org)s cancelled"),
    "moved": _l("Your meeting with %(org)s was moved"),
}


def _send(registration: EventRegistration, template: str, subject, key: str, **context) -> bool:
    """Queue one mail to the attendee; True when it is new (not already queued under the key)."""
    user = registration.attendee
    if user is None or not user.is_active:
        return False
    locale = locale_of(user)
    with force_locale(locale):
        subject_text = str(subject)
    message = send_email(user.email, subject_text, template, locale, idempotency_key=f"{template}:{key}:{user.id}",
               recipient_name=user.display_name or user.email, **context)
    return message.id in db.session.info.get(NEW_IDS_KEY, ())


def notify_change(meeting: Meeting, kind: str, to: EventRegistration, stamp: str = "") -> None:
    """Tell `to` about a change of `meeting` (requested, accepted, declined, cancelled, moved)."""
    other = meeting.invitee if to.id == meeting.requester_id else meeting.requester
    event = meeting.event
    _send(to, "meetings_notice", _ShownLater(NOTICE_SUBJECTS[kind], org=other.organization.name),
          f"{kind}:{meeting.id}:{to.id}:{stamp}",
          kind=kind, event_title=event.title, other_org=other.organization.name, slot=meeting.slot,
          table=meeting.table_number, message=meeting.message if kind == "requested" else "",
          url=public_url("meetings.agenda", slug=event.slug))


def send_agenda(registration: EventRegistration, meetings: list[Meeting], stamp: str) -> None:
    """The attendee's accepted meetings in one mail, with the calendar link."""
    event = registration.event
    _send(registration, "meetings_agenda", _ShownLater(_l("Your meetings at %(title)s"), title=event.title),
          f"{registration.id}:{stamp}", event_title=event.title, event_venue=event.venue,
          rows=[(m.slot, m.table_number, _other(m, registration).organization.name) for m in meetings],
          url=public_url("meetings.agenda", slug=event.slug),
          ics_url=public_url("meetings.agenda_ics", slug=event.slug))


def send_follow_up(meeting: Meeting, registration: EventRegistration) -> bool:
    """Ask one side of a held meeting for its outcome; the key makes it once ever."""
    event = meeting.event
    other = _other(meeting, registration)
    return _send(registration, "meetings_follow_up", _ShownLater(_l("How did your meeting with %(org)s go?"),
                                                          org=other.organization.name),
          f"{meeting.id}:{registration.id}", event_title=event.title, other_org=other.organization.name,
          slot=meeting.slot, url=public_url("meetings.outcome", slug=event.slug, meeting_id=meeting.id))


def _other(meeting: Meeting, registration: EventRegistration) -> EventRegistration:
    return meeting.invitee if registration.id == meeting.requester_id else meeting.requester


class _ShownLater:
    """A lazy subject with arguments, rendered in the recipient's language by `_send`."""

    def __init__(self, template, **values):
        self.template, self.values = template, values

    def __str__(self) -> str:
        return str(self.template) % self.values



def _preview_samples() -> None:
    """Samples for `flask emails preview meetings_*` (plain namespaces stand in for rows)."""
    base = "https://scenario-catalog.local/events/huangpu-2027-matchmaking/meetings"
    slot = NS(starts_at=datetime(2027, 1, 12, 2, 0), ends_at=datetime(2027, 1, 12, 2, 20))
    common = {"recipient_name": "王晓明", "event_title": "黄埔智能制造供需对接会", "other_org": "广州视觉智能科技有限公司",
              "slot": slot}
    register_preview("meetings_notice", lambda: {**common, "kind": "requested", "table": 3,
                                                 "message": "想了解皮具检测的试点周期", "url": f"{base}/agenda"})
    register_preview("meetings_agenda", lambda: {
        **common, "event_venue": "广州黄埔会展中心", "rows": [(slot, 3, "广州视觉智能科技有限公司")],
        "url": f"{base}/agenda", "ics_url": f"{base}/agenda.ics"})
    register_preview("meetings_follow_up", lambda: {**common, "url": f"{base}/1/outcome"})


_preview_samples()
