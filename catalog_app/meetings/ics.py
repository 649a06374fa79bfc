"""A participant's accepted meetings as an iCalendar file (RFC 5545), for any calendar app.

Times go out in UTC ("Z"): the stored values are naive UTC, and every calendar shows UTC
times in its own zone, so nobody's phone shows a meeting an hour or eight off.
"""
from __future__ import annotations

from datetime import timezone

from flask_babel import gettext as _
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from catalog_app.models import EventRegistration, Meeting
from catalog_app.models._types import utcnow


def agenda_calendar(registration: EventRegistration, meetings: list[Meeting], host: str) -> bytes:
    """The .ics bytes; UIDs are stable per meeting, so a re-import updates instead of duplicating."""
    event = registration.event
    calendar = Calendar()
    calendar.add("prodid", "-//Scenario Catalog//Meetings//ZH")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{event.title}: {_('My meetings')}")
    stamp = utcnow().replace(tzinfo=timezone.utc)
    for meeting in meetings:
        other = meeting.invitee if meeting.requester_id == registration.id else meeting.requester
        entry = CalendarEvent()
        entry.add("uid", f"meeting-{meeting.id}@{host}")
        entry.add("dtstamp", stamp)
        entry.add("dtstart", meeting.slot.starts_at.replace(tzinfo=timezone.utc))
        entry.add("dtend", meeting.slot.ends_at.replace(tzinfo=timezone.utc))
        entry.add("summary", _("1:1 meeting with %(org)s", org=other.organization.name))
        place = _("Table %(table)s", table=meeting.table_number)
        entry.add("location", f"{event.venue} · {place}" if event.venue else place)
        entry.add("description", f"{event.title}\n{meeting.reason}".strip())
        calendar.add_component(entry)
    return calendar.to_ical()
