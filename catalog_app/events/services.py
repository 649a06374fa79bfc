"""Events: staff create, edit, publish and cancel them; the public list and round demands.

Views pass plain values (`EventInput`, ids); every use-case checks its permission first,
refuses with an `EventError` naming the field it concerns, and commits once, so the audit
entry and the registrants' e-mails are part of the same transaction as the change.
Registration (the organizations taking part) is in `events.registration`.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.exceptions import Forbidden

from catalog_app import audit
from catalog_app.events import permissions
from catalog_app.events.emails import notify_cancelled
from catalog_app.extensions import db
from catalog_app.models import (
    PUBLIC_DEMAND_STATUSES,
    Demand,
    Event,
    EventDemand,
    EventKind,
    EventRegistration,
    EventStatus,
    Industry,
    Region,
    RegistrationStatus,
    RoundEntryStatus,
    Scenario,
    ScenarioStage,
    User,
)
from catalog_app.models._types import utcnow
from catalog_app.taxonomy.services import industry_choices

CRITERIA_MAX = 12
TAKING_PART = (RegistrationStatus.PENDING, RegistrationStatus.APPROVED)


class EventError(Exception):
    """A refusal the person can act on; `field` names the form field it concerns."""

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Criterion:
    name: str
    weight: int


@dataclass
class EventInput:
    title: str
    kind: EventKind
    starts_at: datetime  # naive UTC
    ends_at: datetime
    summary: str = ""
    agenda: str = ""
    criteria: str = ""
    organiser_name: str = ""
    venue: str = ""
    online_url: str = ""
    region_id: int | None = None
    industry_ids: tuple[int, ...] = ()
    scenario_ids: tuple[int, ...] = ()
    registration_opens_at: datetime | None = None
    registration_closes_at: datetime | None = None
    capacity: int = 0
    meeting_minutes: int = 20
    meeting_tables: int = 10


@dataclass
class EventLists:
    upcoming: list[Event] = field(default_factory=list)
    past: list[Event] = field(default_factory=list)


# --- reading -------------------------------------------------------------------------------------

def parse_criteria(text: str) -> list[Criterion]:
    """The published screening criteria, one "name | weight" per line.

    :raises EventError: on a line without a name or a whole-number weight from 1 to 100.
    """
    criteria = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        name, bar, weight = line.rpartition("|")
        name = name.strip()
        if not bar or not name or not weight.strip().isdigit() or not 1 <= int(weight.strip()) <= 100:
            raise EventError(_l('Line %(number)d: write "name | weight", the weight a whole number from 1 to 100.',
                                number=number), "criteria")
        criteria.append(Criterion(name, int(weight.strip())))
    if len(criteria) > CRITERIA_MAX:
        raise EventError(_l("At most %(max)d criteria.", max=CRITERIA_MAX), "criteria")
    return criteria


def published_criteria(event: Event) -> list[Criterion]:
    """The criteria as saved (they were checked on saving; a bad line is skipped, not fatal)."""
    try:
        return parse_criteria(event.criteria)
    except EventError:
        return []


def _with_terms(query):
    return query.options(joinedload(Event.region), selectinload(Event.industries), selectinload(Event.scenarios))


def list_events(kind: EventKind | None = None, region_id: int | None = None, now: datetime | None = None,
                include_unpublished: bool = False) -> EventLists:
    """Published events: upcoming (and running) ones soonest first, then past ones, newest first.
    A region filter includes the city's districts."""
    now = now or utcnow()
    query = _with_terms(sa.select(Event))
    if not include_unpublished:
        query = query.where(Event.status == EventStatus.PUBLISHED)
    if kind is not None:
        query = query.where(Event.kind == kind)
    if region_id is not None:
        districts = sa.select(Region.id).where(Region.parent_id == region_id)
        query = query.where(sa.or_(Event.region_id == region_id, Event.region_id.in_(districts)))
    lists = EventLists()
    for event in db.session.scalars(query.order_by(Event.starts_at)).unique():
        (lists.upcoming if event.ends_at >= now else lists.past).append(event)
    lists.past.reverse()
    return lists


def public_round_demands(event: Event) -> list[EventDemand]:
    """The round's demands as the public sees them: the shortlist once it is published,
    before that every entry still in the round; only demands that are themselves public."""
    if event.shortlist_published_at is not None:
        statuses = (RoundEntryStatus.SHORTLISTED,)
    else:
        statuses = (RoundEntryStatus.ENTERED, RoundEntryStatus.SHORTLISTED)
    return list(db.session.scalars(
        sa.select(EventDemand).join(EventDemand.demand)
        .where(EventDemand.event_id == event.id, EventDemand.status.in_(statuses),
               Demand.status.in_(PUBLIC_DEMAND_STATUSES))
        .options(joinedload(EventDemand.demand).joinedload(Demand.organization),
                 joinedload(EventDemand.demand).joinedload(Demand.region),
                 joinedload(EventDemand.demand).selectinload(Demand.scenarios),
                 joinedload(EventDemand.demand).selectinload(Demand.technologies))
        .order_by(EventDemand.position.is_(None), EventDemand.position, EventDemand.id)).unique())


# --- staff: create, edit, publish, cancel -------------------------------------------------------

def editor_choices(locale: str) -> dict:
    """(id, name, group) triples for the event form: clusters under their family, scenarios
    under their value-chain stage, districts under their city (the demand editor's grouping)."""
    scenarios = [(scenario.id, scenario.localized_name(locale), scenario.stage.localized_name(locale))
                 for scenario in db.session.scalars(sa.select(Scenario).join(Scenario.stage)
                                                    .options(joinedload(Scenario.stage))
                                                    .order_by(ScenarioStage.position, Scenario.position))]
    regions = list(db.session.scalars(sa.select(Region).order_by(Region.code)))
    districts: dict[int, list[Region]] = {}
    for region in regions:
        if region.parent_id is not None:
            districts.setdefault(region.parent_id, []).append(region)
    region_choices = [(region.id, region.localized_name(locale), city.localized_name(locale))
                      for city in regions if city.parent_id is None
                      for region in [city, *districts.get(city.id, [])]]
    return {"industries": industry_choices(locale), "scenarios": scenarios, "regions": region_choices}


def cities() -> list[Region]:
    """The cities an events list can be filtered by."""
    return list(db.session.scalars(sa.select(Region).where(Region.parent_id.is_(None)).order_by(Region.code)))


def _terms(model, ids) -> list:
    if not ids:
        return []
    found = list(db.session.scalars(sa.select(model).where(model.id.in_(set(ids))).order_by(model.id)))
    if len(found) != len(set(ids)):
        raise EventError(_l("Choose from the list."), "industries" if model is Industry else "scenarios")
    return found


def _check(values: EventInput) -> None:
    if values.ends_at < values.starts_at:
        raise EventError(_l("The event must end after it starts."), "ends_at")
    opens, closes = values.registration_opens_at, values.registration_closes_at
    if opens is not None and closes is not None and closes < opens:
        raise EventError(_l("Registration must close after it opens."), "registration_closes_at")
    if closes is not None and closes > values.ends_at:
        raise EventError(_l("Registration must close before the event ends."), "registration_closes_at")
    if values.online_url and not values.online_url.startswith(("https://", "http://")):
        raise EventError(_l("Enter a full web address (https://...)."), "online_url")
    if values.region_id is not None and db.session.get(Region, values.region_id) is None:
        raise EventError(_l("Choose from the list."), "region")
    parse_criteria(values.criteria)


def _apply(event: Event, values: EventInput) -> None:
    _check(values)
    for name in ("title", "kind", "starts_at", "ends_at", "summary", "agenda", "organiser_name", "venue",
                 "online_url", "region_id", "registration_opens_at", "registration_closes_at", "capacity",
                 "meeting_minutes", "meeting_tables"):
        setattr(event, name, getattr(values, name))
    event.criteria = "\n".join(f"{c.name} | {c.weight}" for c in parse_criteria(values.criteria))
    event.industries = _terms(Industry, values.industry_ids)
    event.scenarios = _terms(Scenario, values.scenario_ids)


def _require_staff(user) -> None:
    if not permissions.can_manage_events(user):
        raise Forbidden()


def create_event(values: EventInput, actor: User) -> Event:
    """A draft event; its slug is ASCII ("2027-matchmaking-12"): year, kind and id, so unique."""
    _require_staff(actor)
    event = Event(slug=f"new-{secrets.token_hex(8)}", created_by_id=actor.id, status=EventStatus.DRAFT)
    _apply(event, values)
    db.session.add(event)
    db.session.flush()
    event.slug = f"{values.starts_at.year}-{values.kind.value}-{event.id}"
    audit.record(actor, "event_created", object_type="event", object_id=event.id, slug=event.slug)
    db.session.commit()
    return event


def update_event(event: Event, values: EventInput, actor: User) -> Event:
    """Edit the event; the slug stays, so links and calendar entries keep working."""
    _require_staff(actor)
    _apply(event, values)
    audit.record(actor, "event_updated", object_type="event", object_id=event.id, slug=event.slug)
    db.session.commit()
    return event


def publish_event(event: Event, actor: User) -> None:
    _require_staff(actor)
    if event.status is not EventStatus.DRAFT:
        raise EventError(_l("Only a draft can be published."))
    event.status = EventStatus.PUBLISHED
    audit.record(actor, "event_published", object_type="event", object_id=event.id, slug=event.slug)
    db.session.commit()


def cancel_event(event: Event, actor: User) -> int:
    """Cancel the event and tell every pending or approved registrant; returns how many."""
    _require_staff(actor)
    if event.status is EventStatus.CANCELLED:
        raise EventError(_l("This event is already cancelled."))
    was_public = event.status is EventStatus.PUBLISHED
    event.status = EventStatus.CANCELLED
    told = 0
    if was_public:
        for registration in db.session.scalars(sa.select(EventRegistration).where(
                EventRegistration.event_id == event.id, EventRegistration.status.in_(TAKING_PART))):
            notify_cancelled(registration)
            told += 1
    audit.record(actor, "event_cancelled", object_type="event", object_id=event.id, slug=event.slug, told=told)
    db.session.commit()
    return told
