"""Fixtures of the events tests: staff, an enterprise and a supplier (with a published
listing), outsiders, and `create_event` for events at any time relative to now."""
from __future__ import annotations

from datetime import timedelta

import pytest

from catalog_app.extensions import db
from catalog_app.models import (
    Event,
    EventKind,
    EventRegistration,
    EventSide,
    EventStatus,
    ListingStatus,
    OrganizationKind,
    RegistrationStatus,
    UserRole,
)
from catalog_app.models._types import utcnow


@pytest.fixture
def moderator(create_user):
    return create_user(role=UserRole.MODERATOR, display_name="平台运营", email="ops@example.com")


@pytest.fixture
def enterprise(create_user, create_organization):
    organization = create_organization(kind=OrganizationKind.ENTERPRISE, name="佛山皮具制造有限公司")
    return create_user(role=UserRole.ENTERPRISE, organization=organization, display_name="王经理",
                       email="buyer@leather.example.com")


@pytest.fixture
def supplier(create_user, create_organization):
    organization = create_organization(kind=OrganizationKind.SUPPLIER, name="广州视觉智能科技有限公司")
    return create_user(role=UserRole.SUPPLIER, organization=organization, display_name="李工",
                       email="li@vision.example.com")


@pytest.fixture
def listing(create_listing, supplier):
    return create_listing(organization=supplier.organization, status=ListingStatus.PUBLISHED,
                          title="皮具表面瑕疵AI视觉检测系统")


@pytest.fixture
def outsider(create_user):
    return create_user(role=UserRole.SUPPLIER, display_name="别家供应商")


_serial = iter(range(1, 10_000))


@pytest.fixture
def create_event(app, moderator):
    """An event starting `days` from now (negative: in the past), published unless told."""

    def factory(days: float = 20, hours: float = 8, **kwargs) -> Event:
        starts_at = (utcnow() + timedelta(days=days)).replace(microsecond=0)
        event = Event(
            slug=kwargs.pop("slug", f"test-event-{next(_serial)}"),
            title=kwargs.pop("title", "2027 黄埔区人工智能供需对接会"),
            kind=kwargs.pop("kind", EventKind.MATCHMAKING),
            status=kwargs.pop("status", EventStatus.PUBLISHED),
            starts_at=starts_at, ends_at=starts_at + timedelta(hours=hours),
            organiser_name=kwargs.pop("organiser_name", "黄埔区工业和信息化局"),
            venue=kwargs.pop("venue", "广州科学城会展中心"),
            created_by_id=moderator.id,
            **kwargs,
        )
        db.session.add(event)
        db.session.flush()
        return event

    return factory


@pytest.fixture
def approve(app):
    """A registration straight in the database (the service paths are tested on their own)."""

    def factory(event: Event, user, side: EventSide | None = None,
                status: RegistrationStatus = RegistrationStatus.APPROVED) -> EventRegistration:
        side = side or (EventSide.ENTERPRISE if user.role is UserRole.ENTERPRISE else EventSide.SUPPLIER)
        registration = EventRegistration(event_id=event.id, organization_id=user.organization_id,
                                         attendee_id=user.id, side=side, status=status)
        db.session.add(registration)
        db.session.flush()
        return registration

    return factory
