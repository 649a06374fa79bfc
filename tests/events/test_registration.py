"""Registration rules: sides, listings, the window, capacity, duplicates, withdrawal, and the
organiser's decision e-mailed through the outbox; and the same through the pages."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from catalog_app.events import registration as signup
from catalog_app.events.services import EventError
from catalog_app.extensions import db
from catalog_app.models import EventSide, ListingStatus, OutboxMessage, RegistrationStatus, UserRole
from catalog_app.models._types import utcnow
from tests.conftest import login_as


def test_supplier_registers_with_the_listings_it_brings(app, create_event, supplier, listing):
    event = create_event()
    registration = signup.register(event, supplier, [listing.id], "两人参会")
    assert (registration.status, registration.side) == (RegistrationStatus.PENDING, EventSide.SUPPLIER)
    assert registration.attendee_id == supplier.id
    assert [item.id for item in registration.listings] == [listing.id]
    assert registration.note == "两人参会"


def test_enterprise_registers_on_the_demand_side_with_a_note_only(app, create_event, enterprise):
    registration = signup.register(create_event(), enterprise, note="想找视觉检测供应商")
    assert registration.side is EventSide.ENTERPRISE
    assert registration.listings == []


def test_supplier_must_bring_its_own_published_listing(app, create_event, supplier, listing, create_listing):
    event = create_event()
    with pytest.raises(EventError) as refused:
        signup.register(event, supplier, [])
    assert refused.value.field == "listings"
    others = create_listing()
    draft = create_listing(organization=supplier.organization, status=ListingStatus.DRAFT)
    for ids in ([others.id], [draft.id], [listing.id, others.id]):
        with pytest.raises(EventError, match="本机构已发布"):
            signup.register(event, supplier, ids)


def test_registration_window_is_enforced(app, create_event, enterprise):
    now = utcnow()
    not_yet = create_event(registration_opens_at=now + timedelta(days=1))
    with pytest.raises(EventError, match="尚未开始"):
        signup.register(not_yet, enterprise)
    closed = create_event(registration_closes_at=now - timedelta(minutes=1))
    with pytest.raises(EventError, match="已截止"):
        signup.register(closed, enterprise)
    started = create_event(days=-0.01)
    with pytest.raises(EventError, match="已截止"):
        signup.register(started, enterprise)


def test_capacity_counts_pending_and_approved_places(app, create_event, approve, enterprise, supplier, listing,
                                                     create_user):
    event = create_event(capacity=2)
    approve(event, create_user(role=UserRole.ENTERPRISE))
    signup.register(event, enterprise)
    with pytest.raises(EventError, match="名额已满"):
        signup.register(event, supplier, [listing.id])


def test_approving_beyond_the_capacity_is_refused(app, create_event, approve, moderator, enterprise, supplier):
    event = create_event(capacity=1)
    approve(event, enterprise)
    pending = approve(event, supplier, status=RegistrationStatus.PENDING)
    with pytest.raises(EventError, match="名额已满"):
        signup.decide(pending, True, moderator)


def test_no_second_registration_but_withdrawn_ones_may_come_back(app, create_event, enterprise, moderator):
    event = create_event()
    registration = signup.register(event, enterprise)
    with pytest.raises(EventError, match="已报名"):
        signup.register(event, enterprise)
    signup.withdraw(registration, enterprise)
    assert registration.status is RegistrationStatus.WITHDRAWN
    again = signup.register(event, enterprise)
    assert again.id == registration.id and again.status is RegistrationStatus.PENDING
    signup.decide(again, False, moderator)
    with pytest.raises(EventError, match="未通过"):
        signup.register(event, enterprise)


def test_decisions_are_mailed_to_the_attendee_in_their_language(app, create_event, enterprise, moderator):
    enterprise.locale = "en"
    event = create_event(title="Huangpu AI matchmaking day")
    registration = signup.register(event, enterprise)
    signup.decide(registration, True, moderator)
    assert registration.status is RegistrationStatus.APPROVED
    assert registration.decided_by_id == moderator.id
    mail = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.kind == "events_registration_approved"))
    assert mail.recipient == enterprise.email
    assert mail.subject == "Registration approved: Huangpu AI matchmaking day"
    assert "/events/" + event.slug in mail.body_text
    signup.decide(registration, False, moderator)
    declined = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.kind == "events_registration_declined"))
    assert declined.recipient == enterprise.email


def test_chinese_mail_by_default(app, create_event, enterprise, moderator):
    registration = signup.register(create_event(title="黄埔对接会"), enterprise)
    signup.decide(registration, True, moderator)
    mail = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.kind == "events_registration_approved"))
    assert mail.subject == "报名已通过：黄埔对接会"
    assert "主办方已通过" in mail.body_text


# --- through the pages --------------------------------------------------------------------------

def test_supplier_registers_through_the_form(client, create_event, supplier, listing):
    event = create_event()
    db.session.commit()
    login_as(client, supplier)
    page = client.get(f"/events/{event.slug}/register")
    assert page.status_code == 200 and listing.title in page.get_data(as_text=True)
    response = client.post(f"/events/{event.slug}/register", data={"listings": [str(listing.id)], "note": "李工"})
    assert response.status_code == 302
    assert signup.participants(event) == []  # pending until the organiser approves
    assert "待审核" in client.get(f"/events/{event.slug}").get_data(as_text=True)


def test_a_refusal_is_shown_on_the_form(client, create_event, supplier, listing):
    event = create_event(capacity=1)
    db.session.commit()
    login_as(client, supplier)
    response = client.post(f"/events/{event.slug}/register", data={"note": ""})
    assert response.status_code == 422
    assert "请至少选择一项" in response.get_data(as_text=True)


def test_a_closed_registration_says_so(client, create_event, enterprise):
    event = create_event(registration_closes_at=utcnow() - timedelta(hours=1))
    db.session.commit()
    login_as(client, enterprise)
    assert "报名已截止" in client.get(f"/events/{event.slug}").get_data(as_text=True)
    response = client.post(f"/events/{event.slug}/register", data={"note": "x"})
    assert response.status_code == 422 and "报名已截止" in response.get_data(as_text=True)


def test_staff_approve_through_the_registrations_page(client, create_event, moderator, enterprise):
    event = create_event()
    registration = signup.register(event, enterprise)
    login_as(client, moderator)
    page = client.get(f"/events/{event.slug}/registrations").get_data(as_text=True)
    assert enterprise.organization.name in page
    response = client.post(f"/events/{event.slug}/registrations/{registration.id}/approve")
    assert response.status_code == 302
    db.session.refresh(registration)
    assert registration.status is RegistrationStatus.APPROVED


def test_withdraw_through_the_page(client, create_event, enterprise):
    event = create_event()
    registration = signup.register(event, enterprise)
    login_as(client, enterprise)
    assert client.post(f"/events/{event.slug}/withdraw").status_code == 302
    db.session.refresh(registration)
    assert registration.status is RegistrationStatus.WITHDRAWN
