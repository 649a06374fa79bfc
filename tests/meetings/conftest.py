"""Fixtures of the meetings tests: a published event tomorrow with slots and tables, an
enterprise with a demand and two suppliers with listings, all approved participants."""
from __future__ import annotations

import itertools
from datetime import timedelta

import pytest

from catalog_app.extensions import db
from catalog_app.models import (
    Event,
    EventKind,
    EventRegistration,
    EventSide,
    EventStatus,
    MeetingSlot,
    OrganizationKind,
    RegistrationStatus,
    UserRole,
)
from catalog_app.models._types import utcnow


_serial = itertools.count(1)


@pytest.fixture
def make_event(app):
    def factory(*, slots: int = 4, tables: int = 2, days_ahead: int = 1, **kwargs) -> Event:
        start = (utcnow() + timedelta(days=days_ahead)).replace(hour=1, minute=0, second=0, microsecond=0)
        event = Event(slug=kwargs.pop("slug", f"meet-{next(_serial)}"),
                      title=kwargs.pop("title", "佛山智能制造供需对接会"), kind=EventKind.MATCHMAKING,
                      status=EventStatus.PUBLISHED, starts_at=start, ends_at=start + timedelta(hours=8),
                      venue="佛山潭洲国际会展中心", meeting_minutes=20, meeting_tables=tables, **kwargs)
        for i in range(slots):
            begin = start + timedelta(minutes=20 * i)
            event.slots.append(MeetingSlot(starts_at=begin, ends_at=begin + timedelta(minutes=20)))
        db.session.add(event)
        db.session.flush()
        return event

    return factory


@pytest.fixture
def event(make_event):
    return make_event()


@pytest.fixture
def register(app):
    def factory(event: Event, user, side: EventSide, status=RegistrationStatus.APPROVED, listings=()):
        registration = EventRegistration(event=event, organization_id=user.organization_id, attendee=user,
                                         side=side, status=status, listings=list(listings))
        db.session.add(registration)
        db.session.flush()
        return registration

    return factory


@pytest.fixture
def enterprise(create_user, create_organization):
    org = create_organization(kind=OrganizationKind.ENTERPRISE, name="佛山皮具制造有限公司")
    return create_user(role=UserRole.ENTERPRISE, organization=org, display_name="王经理",
                       email="wang@leather.example.com")


@pytest.fixture
def supplier(create_user, create_organization):
    org = create_organization(kind=OrganizationKind.SUPPLIER, name="广州视觉智能科技有限公司")
    return create_user(role=UserRole.SUPPLIER, organization=org, display_name="李工", email="li@vision.example.com")


@pytest.fixture
def supplier2(create_user, create_organization):
    org = create_organization(kind=OrganizationKind.SUPPLIER, name="深圳仓储机器人有限公司")
    return create_user(role=UserRole.SUPPLIER, organization=org, display_name="张工", email="zhang@agv.example.com")


@pytest.fixture
def parties(event, register, enterprise, supplier, supplier2, create_listing, create_demand):
    """(enterprise registration, vision supplier registration, warehouse supplier registration)."""
    create_demand(organization=enterprise.organization, title="皮具表面缺陷视觉检测",
                  summary="需要自动识别皮面划痕、色差，替代人工目检")
    vision = create_listing(organization=supplier.organization, title="皮具表面缺陷机器视觉检测方案",
                            summary="深度学习识别皮面划痕、色差和褶皱")
    agv = create_listing(organization=supplier2.organization, title="仓储AGV搬运机器人",
                         summary="自动导引车，适用于仓库货架搬运", body="激光导航叉车式AGV")
    db.session.commit()
    return (register(event, enterprise, EventSide.ENTERPRISE),
            register(event, supplier, EventSide.SUPPLIER, listings=[vision]),
            register(event, supplier2, EventSide.SUPPLIER, listings=[agv]))
