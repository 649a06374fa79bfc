"""Fixtures of the challenge-round tests: a published event with criteria and open
registration, an enterprise with demands, assigned and unassigned experts, staff."""
from __future__ import annotations

from datetime import timedelta

import pytest

from catalog_app.extensions import db
from catalog_app.models import (
    Event,
    EventDemand,
    EventExpert,
    EventKind,
    EventStatus,
    OrganizationKind,
    Pitch,
    RoundEntryStatus,
    UserRole,
)
from catalog_app.models._types import utcnow

CRITERIA = "技术可行性 | 40\n应用价值 | 30\n团队能力 | 30"


@pytest.fixture
def create_event(app):
    serial = iter(range(1, 10_000))

    def factory(**kwargs) -> Event:
        now = utcnow()
        event = Event(
            slug=kwargs.pop("slug", f"round-{next(serial)}"), title=kwargs.pop("title", "佛山揭榜比拼"),
            kind=kwargs.pop("kind", EventKind.CHALLENGE), status=kwargs.pop("status", EventStatus.PUBLISHED),
            criteria=kwargs.pop("criteria", CRITERIA), starts_at=kwargs.pop("starts_at", now + timedelta(days=20)),
            ends_at=kwargs.pop("ends_at", now + timedelta(days=20, hours=8)),
            registration_opens_at=kwargs.pop("registration_opens_at", now - timedelta(days=5)),
            registration_closes_at=kwargs.pop("registration_closes_at", now + timedelta(days=10)), **kwargs)
        db.session.add(event)
        db.session.flush()
        return event

    return factory


@pytest.fixture
def event(create_event):
    return create_event()


@pytest.fixture
def staff(create_user):
    return create_user(role=UserRole.MODERATOR, display_name="平台运营")


@pytest.fixture
def enterprise(create_user):
    return create_user(role=UserRole.ENTERPRISE, display_name="需求方王经理")


@pytest.fixture
def supplier(create_user):
    return create_user(role=UserRole.SUPPLIER, display_name="供应商李工")


@pytest.fixture
def create_expert(create_user):
    def factory(event=None, **kwargs):
        expert = create_user(role=UserRole.EXPERT, organization=None, **kwargs)
        if event is not None:
            db.session.add(EventExpert(event_id=event.id, user_id=expert.id))
            db.session.flush()
        return expert

    return factory


@pytest.fixture
def expert(create_expert, event):
    return create_expert(event, display_name="陈教授")


@pytest.fixture
def outsider_expert(create_expert):
    return create_expert(None, display_name="未分配专家")


@pytest.fixture
def create_entry(create_demand, enterprise):
    def factory(event, status=RoundEntryStatus.ENTERED, position=None, **kwargs) -> EventDemand:
        demand = create_demand(organization=kwargs.pop("organization", enterprise.organization), **kwargs)
        entry = EventDemand(event_id=event.id, demand_id=demand.id, status=status, position=position)
        db.session.add(entry)
        db.session.flush()
        return entry

    return factory


@pytest.fixture
def create_pitch(create_organization):
    def factory(entry, position=1, **kwargs) -> Pitch:
        organization = kwargs.pop("organization", None) or create_organization(kind=OrganizationKind.SUPPLIER)
        pitch = Pitch(entry_id=entry.id, organization_id=organization.id, position=position, **kwargs)
        db.session.add(pitch)
        db.session.flush()
        return pitch

    return factory


def all_tens(count: int = 3) -> dict:
    return {f"score-{index}": "10" for index in range(count)}
