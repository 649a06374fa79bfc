"""What the events endpoints return and accept (beside `schemas.py`, which is long enough).

Public fields only: no registration notes, no attendee names or e-mails, no screening
scores; the participant count and the event's figures are the public part of who took part.
"""
from __future__ import annotations

import marshmallow as ma

from catalog_app.api.arguments import Text
from catalog_app.api.pagination import PageArgsSchema, PaginationSchema
from catalog_app.api.schemas import (
    DemandSummarySchema,
    IndustryRefSchema,
    RegionRefSchema,
    ScenarioRefSchema,
    UtcDateTime,
)
from catalog_app.models import EventKind, EventStatus, RoundEntryStatus
from catalog_app.public_urls import public_url

F = ma.fields
WHEN = ("upcoming", "past", "all")


class EventArgsSchema(PageArgsSchema):
    kind = F.Enum(EventKind, by_value=True, metadata={"description": "matchmaking, challenge or roadshow"})
    region = Text(12, metadata={"description": "A city code; includes its districts"})
    when = F.String(validate=ma.validate.OneOf(WHEN), load_default="all",
                    metadata={"description": "upcoming (not yet ended), past, or all (upcoming first)"})


class CriterionSchema(ma.Schema):
    name = F.String(required=True)
    weight = F.Integer(required=True, metadata={"description": "Percent of the screening score"})


class EventFiguresSchema(ma.Schema):
    demands = F.Integer(required=True, metadata={"description": "Round demands not withdrawn"})
    enterprises = F.Integer(required=True, metadata={"description": "Approved enterprise registrations"})
    suppliers = F.Integer(required=True, metadata={"description": "Approved supplier registrations"})
    meetings_held = F.Integer(required=True, metadata={"description": "Accepted 1:1 meetings whose slot has ended"})
    agreements = F.Integer(required=True, metadata={"description": "Intent agreements from meetings and proposals"})
    declared_value = F.Integer(required=True, metadata={"description": "Declared value of the agreements, in 10,000 yuan"})


class EventSummarySchema(ma.Schema):
    slug = F.String(required=True)
    title = F.String(required=True)
    kind = F.Enum(EventKind, by_value=True, required=True)
    status = F.Enum(EventStatus, by_value=True, required=True)
    summary = F.String(required=True)
    organiser_name = F.String(required=True)
    starts_at = UtcDateTime(required=True)
    ends_at = UtcDateTime(required=True)
    venue = F.String(required=True)
    online_url = F.String(required=True)
    region = F.Nested(RegionRefSchema, allow_none=True)
    registration_open = F.Boolean(required=True)
    figures = F.Nested(EventFiguresSchema, required=True)
    url = F.Function(lambda event: public_url("events.detail", slug=event.slug), required=True,
                     metadata={"description": "The event's page on the site"})
    ics_url = F.Function(lambda event: public_url("events.calendar_file", slug=event.slug), required=True,
                         metadata={"description": "The event as an iCalendar (.ics) file"})


class EventSchema(EventSummarySchema):
    agenda = F.String(required=True)
    criteria = F.List(F.Nested(CriterionSchema), required=True,
                      metadata={"description": "The published screening criteria of the round"})
    industries = F.List(F.Nested(IndustryRefSchema), required=True)
    scenarios = F.List(F.Nested(ScenarioRefSchema), required=True)
    registration_opens_at = UtcDateTime(allow_none=True)
    registration_closes_at = UtcDateTime(required=True, metadata={
        "description": "When registration closes (the start of the event unless set)"})
    capacity = F.Integer(required=True, metadata={"description": "Places for organizations; 0 = no limit"})
    meeting_minutes = F.Integer(required=True)
    shortlist_published = F.Boolean(required=True)


class EventPageSchema(ma.Schema):
    items = F.List(F.Nested(EventSummarySchema), required=True)
    pagination = F.Nested(PaginationSchema, required=True)


class EventDemandSchema(ma.Schema):
    status = F.Enum(RoundEntryStatus, by_value=True, required=True,
                    metadata={"description": "entered, or shortlisted once the shortlist is published"})
    position = F.Integer(allow_none=True, metadata={"description": "On-site pitch order"})
    demand = F.Nested(DemandSummarySchema, required=True)


class EventDemandListSchema(ma.Schema):
    items = F.List(F.Nested(EventDemandSchema), required=True)
