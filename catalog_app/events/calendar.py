"""The event as an iCalendar file (RFC 5545), built with the `icalendar` library.

The library folds long lines at 75 octets, escapes commas, semicolons and line breaks in
text, and writes CRLF line ends: the three things hand-written .ics files get wrong and that
Outlook and phone calendars refuse. Times are written in UTC ("...Z"), as they are stored, so
every calendar shows them in its own zone. The UID is stable per event, so importing the file
again after a change updates the entry instead of adding a second one.
"""
from __future__ import annotations

from datetime import timezone

from icalendar import Calendar
from icalendar import Event as CalendarEvent

from catalog_app.models import Event
from catalog_app.models._types import utcnow

PRODID = "-//Scenario Catalog//Events//ZH"


def _utc(value):
    return value.replace(tzinfo=timezone.utc)


def event_calendar(event: Event, url: str, domain: str) -> bytes:
    """The .ics body for one event; `url` is its public page, `domain` names the UID's host."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    entry = CalendarEvent()
    entry.add("uid", f"event-{event.id}@{domain}")
    entry.add("dtstamp", _utc(utcnow()))
    entry.add("dtstart", _utc(event.starts_at))
    entry.add("dtend", _utc(event.ends_at))
    entry.add("summary", event.title)
    description = "\n\n".join(part for part in (event.summary, event.agenda, url) if part)
    entry.add("description", description)
    location = event.venue or event.online_url
    if location:
        entry.add("location", location)
    entry.add("url", url)
    if event.organiser_name:
        entry.add("organizer", f"mailto:noreply@{domain}", parameters={"cn": event.organiser_name})
    entry.add("status", "CANCELLED" if event.status.value == "cancelled" else "CONFIRMED")
    entry.add("sequence", int(event.updated_at.timestamp()) // 60 % 2_000_000_000 if event.updated_at else 0)
    calendar.add_component(entry)
    return calendar.to_ical()
