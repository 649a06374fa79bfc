"""Who sees and does what: drafts are 404 for the public, the attendee list is for approved
participants and staff, only staff create events and decide registrations."""
from __future__ import annotations

import pytest

from catalog_app.extensions import db
from catalog_app.models import EventStatus, RegistrationStatus
from tests.conftest import login_as


@pytest.mark.parametrize("status", [EventStatus.DRAFT, EventStatus.CANCELLED])
def test_drafts_and_cancelled_events_are_404_for_the_public(client, create_event, supplier, moderator, status):
    event = create_event(status=status)
    db.session.commit()
    for path in (f"/events/{event.slug}", f"/events/{event.slug}.ics", f"/api/v1/events/{event.slug}"):
        assert client.get(path).status_code == 404, path
    assert event.title not in client.get("/events").get_data(as_text=True)
    login_as(client, supplier)
    assert client.get(f"/events/{event.slug}").status_code == 404
    assert client.get(f"/events/{event.slug}/register").status_code == 404
    login_as(client, moderator)
    assert client.get(f"/events/{event.slug}").status_code == 200
    assert event.title in client.get("/events").get_data(as_text=True)


def test_attendee_list_for_approved_participants_and_staff_only(client, create_event, approve, enterprise,
                                                                supplier, outsider, moderator):
    event = create_event()
    approve(event, enterprise)
    approve(event, supplier, status=RegistrationStatus.PENDING)
    db.session.commit()
    path = f"/events/{event.slug}/participants"
    assert client.get(path).status_code == 302  # anonymous: sign in first
    login_as(client, outsider)
    assert client.get(path).status_code == 403
    login_as(client, supplier)  # registered, not approved yet
    assert client.get(path).status_code == 403
    login_as(client, enterprise)
    page = client.get(path)
    assert page.status_code == 200 and enterprise.organization.name in page.get_data(as_text=True)
    assert supplier.organization.name not in page.get_data(as_text=True)  # pending: not a participant
    login_as(client, moderator)
    assert client.get(path).status_code == 200


def test_public_page_shows_the_count_not_the_names(client, create_event, approve, enterprise):
    event = create_event()
    approve(event, enterprise)
    db.session.commit()
    page = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert enterprise.organization.name not in page
    assert f"/events/{event.slug}/participants" not in page


def test_members_cannot_organise(client, create_event, approve, supplier, enterprise):
    event = create_event()
    registration = approve(event, enterprise, status=RegistrationStatus.PENDING)
    db.session.commit()
    login_as(client, supplier)
    assert client.get("/events/new").status_code == 403
    assert client.post("/events/new", data={"title": "x"}).status_code == 403
    assert client.get(f"/events/{event.slug}/edit").status_code == 403
    assert client.get(f"/events/{event.slug}/registrations").status_code == 403
    assert client.post(f"/events/{event.slug}/registrations/{registration.id}/approve").status_code == 403
    assert client.post(f"/events/{event.slug}/cancel").status_code == 403
    db.session.refresh(registration)
    assert registration.status is RegistrationStatus.PENDING


def test_staff_cannot_register_and_members_cannot_withdraw_others(client, create_event, approve, moderator,
                                                                  enterprise, outsider):
    event = create_event()
    approve(event, enterprise)
    db.session.commit()
    login_as(client, moderator)
    assert client.get(f"/events/{event.slug}/register").status_code == 403
    login_as(client, outsider)
    assert client.post(f"/events/{event.slug}/withdraw").status_code == 403


def test_a_registration_of_another_event_cannot_be_decided_here(client, create_event, approve, moderator, enterprise):
    event, other = create_event(), create_event()
    registration = approve(other, enterprise, status=RegistrationStatus.PENDING)
    db.session.commit()
    login_as(client, moderator)
    assert client.post(f"/events/{event.slug}/registrations/{registration.id}/approve").status_code == 404
