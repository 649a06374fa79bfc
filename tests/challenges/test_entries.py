"""Enterprises enter their demands into a round while registration is open, and withdraw them."""
from __future__ import annotations

from datetime import timedelta

import pytest

from catalog_app.challenges import entries
from catalog_app.challenges.errors import Forbidden, RoundError
from catalog_app.extensions import db
from catalog_app.models import DemandStatus, EventDemand, EventStatus, RoundEntryStatus
from catalog_app.models._types import utcnow
from tests.conftest import login_as


def test_enterprise_enters_a_published_demand(event, enterprise, create_demand):
    demand = create_demand(organization=enterprise.organization)
    entry = entries.enter_demand(enterprise, event, demand.id)
    assert entry.status is RoundEntryStatus.ENTERED and entry.entered_by_id == enterprise.id
    assert entries.enterable_demands(enterprise, event) == []
    with pytest.raises(RoundError):
        entries.enter_demand(enterprise, event, demand.id)


def test_a_demand_waiting_for_review_may_enter_but_shows_only_once_published(event, enterprise, create_demand):
    demand = create_demand(organization=enterprise.organization, status=DemandStatus.PENDING_REVIEW)
    entries.enter_demand(enterprise, event, demand.id)
    assert entries.round_counts(event).entered == 0
    assert entries.screenable_entries(event) == []
    demand.status = DemandStatus.PUBLISHED
    db.session.commit()
    assert entries.round_counts(event).entered == 1


@pytest.mark.parametrize("status", [DemandStatus.DRAFT, DemandStatus.REJECTED, DemandStatus.CLOSED])
def test_drafts_and_ended_demands_cannot_enter(event, enterprise, create_demand, status):
    demand = create_demand(organization=enterprise.organization, status=status)
    with pytest.raises(RoundError):
        entries.enter_demand(enterprise, event, demand.id)


def test_another_organizations_demand_cannot_enter(event, enterprise, create_demand):
    foreign = create_demand()
    with pytest.raises(RoundError):
        entries.enter_demand(enterprise, event, foreign.id)
    assert db.session.query(EventDemand).count() == 0


def test_suppliers_and_experts_cannot_enter(event, supplier, expert, create_demand):
    demand = create_demand()
    for user in (supplier, expert):
        with pytest.raises(Forbidden):
            entries.enter_demand(user, event, demand.id)


@pytest.mark.parametrize("change", [
    {"registration_closes_at": utcnow() - timedelta(minutes=1)},
    {"registration_opens_at": utcnow() + timedelta(days=1)},
    {"status": EventStatus.DRAFT},
    {"shortlist_published_at": utcnow()},
])
def test_entries_only_while_registration_is_open(create_event, enterprise, create_demand, change):
    event = create_event(**change)
    demand = create_demand(organization=enterprise.organization)
    with pytest.raises(Forbidden):
        entries.enter_demand(enterprise, event, demand.id)


def test_withdraw_and_enter_again(event, enterprise, create_demand):
    demand = create_demand(organization=enterprise.organization)
    entry = entries.enter_demand(enterprise, event, demand.id)
    entries.withdraw_entry(enterprise, event, entry.id)
    assert entry.status is RoundEntryStatus.WITHDRAWN
    assert entries.round_counts(event).entered == 0
    assert entries.enterable_demands(enterprise, event) == [demand]
    again = entries.enter_demand(enterprise, event, demand.id)
    assert again.id == entry.id and again.status is RoundEntryStatus.ENTERED


def test_another_enterprise_cannot_withdraw(event, enterprise, create_user, create_demand):
    from catalog_app.models import UserRole

    entry = entries.enter_demand(enterprise, event, create_demand(organization=enterprise.organization).id)
    other = create_user(role=UserRole.ENTERPRISE)
    with pytest.raises(Forbidden):
        entries.withdraw_entry(other, event, entry.id)


def test_entry_through_the_round_page(client, event, enterprise, create_demand):
    demand = create_demand(organization=enterprise.organization, title="注塑件外观缺陷检测")
    login_as(client, enterprise)
    page = client.get(f"/events/{event.slug}/round").get_data(as_text=True)
    assert "注塑件外观缺陷检测" in page and "/demands/new" in page
    response = client.post(f"/events/{event.slug}/round/enter", data={"demand_id": demand.id})
    assert response.status_code == 302
    entry = db.session.query(EventDemand).one()
    assert entry.demand_id == demand.id
    assert client.post(f"/events/{event.slug}/round/entries/{entry.id}/withdraw").status_code == 302
    db.session.refresh(entry)
    assert entry.status is RoundEntryStatus.WITHDRAWN


def test_bad_demand_id_is_a_message_not_an_error(client, event, enterprise):
    login_as(client, enterprise)
    response = client.post(f"/events/{event.slug}/round/enter", data={"demand_id": "abc"}, follow_redirects=True)
    assert response.status_code == 200
    response = client.post(f"/events/{event.slug}/round/enter", data={"demand_id": "999999"}, follow_redirects=True)
    assert response.status_code == 200 and db.session.query(EventDemand).count() == 0


def test_draft_event_round_is_404_for_the_public(client, create_event):
    event = create_event(status=EventStatus.DRAFT)
    assert client.get(f"/events/{event.slug}/round").status_code == 404
