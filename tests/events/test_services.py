"""Event services: creating and editing (slug, times, criteria, audit), publishing and
cancelling (with e-mails), the list order and filters, the public round demands."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from werkzeug.exceptions import Forbidden

from catalog_app.events import services
from catalog_app.events.services import EventError, EventInput
from catalog_app.extensions import db
from catalog_app.models import (
    AuditEntry,
    DemandStatus,
    EventDemand,
    EventKind,
    EventStatus,
    OutboxMessage,
    Region,
    RegistrationStatus,
    RoundEntryStatus,
)


def _input(**kwargs) -> EventInput:
    values = dict(title="2027 黄埔区人工智能供需对接会", kind=EventKind.MATCHMAKING,
                  starts_at=datetime(2027, 3, 18, 1, 30), ends_at=datetime(2027, 3, 18, 9, 0),
                  criteria="技术可行性 | 40\n应用价值 | 60")
    values.update(kwargs)
    return EventInput(**values)


def test_staff_create_a_draft_with_an_ascii_slug_from_year_kind_and_id(app, moderator, any_scenario):
    event = services.create_event(_input(scenario_ids=(any_scenario.id,)), moderator)
    assert event.status is EventStatus.DRAFT
    assert event.slug == f"2027-matchmaking-{event.id}"
    assert event.slug.isascii()
    assert [s.id for s in event.scenarios] == [any_scenario.id]
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "event_created"))
    assert (entry.actor_id, entry.object_type, entry.object_id) == (moderator.id, "event", event.id)


def test_editing_keeps_the_slug_and_normalises_the_criteria(app, moderator):
    event = services.create_event(_input(), moderator)
    slug = event.slug
    services.update_event(event, _input(title="改名后的对接会", criteria=" 技术可行性|30 \n\n 成本 | 70"), moderator)
    assert event.slug == slug and event.title == "改名后的对接会"
    assert event.criteria == "技术可行性 | 30\n成本 | 70"
    assert [(c.name, c.weight) for c in services.published_criteria(event)] == [("技术可行性", 30), ("成本", 70)]


@pytest.mark.parametrize("text", ["技术可行性", "技术可行性 | 0", "| 30", "技术 | 三十", "技术 | 101"])
def test_bad_criteria_lines_are_refused_on_the_criteria_field(text):
    with pytest.raises(EventError) as refused:
        services.parse_criteria(text)
    assert refused.value.field == "criteria"


def test_dates_are_checked(app, moderator):
    with pytest.raises(EventError) as refused:
        services.create_event(_input(ends_at=datetime(2027, 3, 17)), moderator)
    assert refused.value.field == "ends_at"
    with pytest.raises(EventError) as refused:
        services.create_event(_input(registration_opens_at=datetime(2027, 3, 10),
                                     registration_closes_at=datetime(2027, 3, 1)), moderator)
    assert refused.value.field == "registration_closes_at"


def test_members_cannot_create_events(app, supplier):
    with pytest.raises(Forbidden):
        services.create_event(_input(), supplier)


def test_publish_only_a_draft(app, moderator):
    event = services.create_event(_input(), moderator)
    services.publish_event(event, moderator)
    assert event.status is EventStatus.PUBLISHED
    with pytest.raises(EventError):
        services.publish_event(event, moderator)


def test_cancelling_tells_pending_and_approved_registrants(app, moderator, create_event, approve, enterprise,
                                                           supplier, outsider):
    event = create_event()
    approve(event, enterprise)
    approve(event, supplier, status=RegistrationStatus.PENDING)
    approve(event, outsider, status=RegistrationStatus.WITHDRAWN)
    assert services.cancel_event(event, moderator) == 2
    assert event.status is EventStatus.CANCELLED
    recipients = set(db.session.scalars(sa.select(OutboxMessage.recipient).where(
        OutboxMessage.kind == "events_cancelled")))
    assert recipients == {enterprise.email, supplier.email}


def test_list_upcoming_soonest_first_then_past_newest_first(app, create_event):
    later, sooner = create_event(days=30, title="later"), create_event(days=3, title="sooner")
    old, recent = create_event(days=-90, title="old"), create_event(days=-5, title="recent")
    running = create_event(days=-0.1, hours=8, title="running")
    create_event(days=10, status=EventStatus.DRAFT, title="draft")
    create_event(days=10, status=EventStatus.CANCELLED, title="cancelled")
    lists = services.list_events()
    assert [e.title for e in lists.upcoming] == ["running", "sooner", "later"]
    assert [e.title for e in lists.past] == ["recent", "old"]
    assert {e.title for e in services.list_events(include_unpublished=True).upcoming} >= {"draft", "cancelled"}
    del later, sooner, old, recent, running


def test_filters_by_kind_and_by_city_with_its_districts(app, create_event):
    foshan = db.session.scalar(sa.select(Region).where(Region.code == "440600"))
    shunde = db.session.scalar(sa.select(Region).where(Region.parent_id == foshan.id).order_by(Region.code))
    create_event(title="顺德", region_id=shunde.id, kind=EventKind.CHALLENGE)
    create_event(title="佛山", region_id=foshan.id)
    create_event(title="广州", region_id=db.session.scalar(sa.select(Region.id).where(Region.code == "440100")))
    assert {e.title for e in services.list_events(region_id=foshan.id).upcoming} == {"顺德", "佛山"}
    assert [e.title for e in services.list_events(kind=EventKind.CHALLENGE).upcoming] == ["顺德"]


def test_public_round_demands_become_the_shortlist_once_it_is_published(app, create_event, create_demand):
    event = create_event(kind=EventKind.CHALLENGE)
    entered, shortlisted, dropped, withdrawn, draft = (create_demand() for _ in range(5))
    draft.status = DemandStatus.DRAFT
    for demand, status, position in ((entered, RoundEntryStatus.ENTERED, None),
                                     (shortlisted, RoundEntryStatus.SHORTLISTED, 1),
                                     (dropped, RoundEntryStatus.NOT_SELECTED, None),
                                     (withdrawn, RoundEntryStatus.WITHDRAWN, None),
                                     (draft, RoundEntryStatus.ENTERED, None)):
        db.session.add(EventDemand(event_id=event.id, demand_id=demand.id, status=status, position=position))
    db.session.flush()
    assert [e.demand_id for e in services.public_round_demands(event)] == [shortlisted.id, entered.id]
    event.shortlist_published_at = datetime.now() - timedelta(days=1)
    assert [e.demand_id for e in services.public_round_demands(event)] == [shortlisted.id]
