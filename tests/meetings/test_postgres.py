"""The meetings on PostgreSQL: the partial unique index on (slot, table) and the seat index
answer a lost race with SlotTaken, and the booking pages and the agenda API work."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from catalog_app.extensions import db
from catalog_app.meetings import scheduler, services
from catalog_app.meetings.scheduler import SlotTaken
from catalog_app.models import EventSide, Meeting, MeetingSeat, MeetingStatus, UserRole
from tests.conftest import login_as

pytestmark = pytest.mark.postgres


@pytest.fixture
def app(pg_app):
    """Every fixture of this module (users, events, client) on PostgreSQL."""
    return pg_app


def test_indexes_are_the_last_guard_on_postgres(event, parties, register, create_user, monkeypatch):
    enterprise, vision, agv = parties
    other = register(event, create_user(role=UserRole.ENTERPRISE), EventSide.ENTERPRISE)
    first = services.request_meeting(enterprise, vision.id, event.slots[0].id)
    services.accept_meeting(vision, first.id)
    monkeypatch.setattr(scheduler, "_check_free", lambda *args: None)
    # The same table in the same slot: refused by the partial unique index.
    monkeypatch.setattr(scheduler, "lowest_free_table", lambda event, used: 1)
    racing = Meeting(event=event, slot=event.slots[0], requester=other, invitee=agv)
    db.session.add(racing)
    db.session.flush()
    with pytest.raises(SlotTaken):
        scheduler.book(racing)
    db.session.rollback()
    # The same person in the same slot, at a free table: refused by the seat index.
    monkeypatch.undo()
    monkeypatch.setattr(scheduler, "_check_free", lambda *args: None)
    twice = Meeting(event=event, slot=event.slots[0], requester=agv, invitee=enterprise)
    db.session.add(twice)
    db.session.flush()
    with pytest.raises(SlotTaken):
        scheduler.book(twice)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MeetingSeat)) == 2
    # A cancelled meeting keeps no table: the slot's table 1 can be booked again.
    monkeypatch.undo()
    services.cancel_meeting(enterprise, first.id)
    again = services.request_meeting(other, vision.id, event.slots[0].id)
    assert services.accept_meeting(vision, again.id).table_number == 1


def test_pages_and_api_on_postgres(client, event, parties, create_user):
    enterprise, vision, agv = parties
    base = f"/events/{event.slug}/meetings"
    login_as(client, enterprise.attendee)
    page = client.get(base + "/").get_data(as_text=True)
    assert page.index("广州视觉智能科技有限公司") < page.index("深圳仓储机器人有限公司")
    client.post(f"{base}/request/{vision.id}", data={"slot_id": event.slots[0].id})
    meeting = db.session.scalar(sa.select(Meeting))
    login_as(client, vision.attendee)
    client.post(f"{base}/{meeting.id}/accept")
    db.session.refresh(meeting)
    assert meeting.status is MeetingStatus.ACCEPTED
    assert client.get(f"/api/v1/events/{event.slug}/agenda").get_json()["meetings"][0]["table"] == 1
    login_as(client, create_user(role=UserRole.MODERATOR, organization=None))
    assert "广州视觉智能科技有限公司" in client.get(f"{base}/grid").get_data(as_text=True)
