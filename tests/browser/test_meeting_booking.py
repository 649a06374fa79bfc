"""1:1 meeting booking in a real browser: an enterprise sees a supplier recommended with
the engine's reasons, requests a slot, the supplier accepts, and both agendas show the
meeting at the same time and table, with no clash. Screenshots go to tmp_path."""
from __future__ import annotations

import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from catalog_app.extensions import db
from catalog_app.models import (
    Demand,
    DemandStatus,
    Event,
    EventKind,
    EventRegistration,
    EventSide,
    EventStatus,
    Listing,
    ListingStatus,
    MeetingSlot,
    RegistrationStatus,
    User,
)
from catalog_app.models._types import utcnow
from tests.browser.conftest import People

pytestmark = pytest.mark.browser

DEMO_PASSWORD = "demo12345"
ENTERPRISE = "enterprise3@demo.example.com"
SUPPLIER = "supplier3@demo.example.com"
OTHER_SUPPLIER = "supplier2@demo.example.com"


@pytest.fixture
def booking_event(live_app):
    """A published event tomorrow with four slots; enterprise3 (with a demand written like
    supplier3's listing) and two suppliers are approved participants."""
    with live_app.app_context():
        users = {u.email: u for u in db.session.scalars(
            sa.select(User).where(User.email.in_([ENTERPRISE, SUPPLIER, OTHER_SUPPLIER])))}
        enterprise, supplier = users[ENTERPRISE], users[SUPPLIER]
        listing = db.session.scalars(sa.select(Listing).where(
            Listing.organization_id == supplier.organization_id, Listing.status == ListingStatus.PUBLISHED)
            .order_by(Listing.id)).first()
        db.session.add(Demand(organization_id=enterprise.organization_id, title=f"寻求{listing.title}",
                              summary=listing.summary, status=DemandStatus.PUBLISHED, published_at=utcnow()))
        start = (utcnow() + timedelta(days=1)).replace(hour=1, minute=0, second=0, microsecond=0)
        event = Event(slug=f"browser-booking-{int(time.time() * 1000)}", title="浏览器测试供需对接会",
                      kind=EventKind.MATCHMAKING, status=EventStatus.PUBLISHED, starts_at=start,
                      ends_at=start + timedelta(hours=4), venue="广州琶洲会展中心", meeting_minutes=20,
                      meeting_tables=3)
        event.slots = [MeetingSlot(starts_at=start + timedelta(minutes=20 * i),
                                   ends_at=start + timedelta(minutes=20 * (i + 1))) for i in range(4)]
        for user, side, brought in ((enterprise, EventSide.ENTERPRISE, []), (supplier, EventSide.SUPPLIER, [listing]),
                                    (users[OTHER_SUPPLIER], EventSide.SUPPLIER, [])):
            event.registrations.append(EventRegistration(organization_id=user.organization_id, attendee_id=user.id,
                                                         side=side, status=RegistrationStatus.APPROVED,
                                                         listings=brought))
        db.session.add(event)
        db.session.commit()
        yield {"slug": event.slug, "supplier_org": supplier.organization.name,
               "enterprise_org": enterprise.organization.name}


def _log_in(people: People, page, email: str) -> None:
    page.goto(people.base + "/login")
    form = page.locator("form[action$='/login']")
    form.locator("[name=email]").fill(email)
    form.locator("[name=password]").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        form.locator("button[type=submit]").first.click()


def _agenda_rows(page) -> list[tuple[str, str, str]]:
    rows = page.locator("tr.mt-agenda__row")
    return [tuple(rows.nth(i).locator("td").nth(j).inner_text().strip() for j in range(3))
            for i in range(rows.count())]


def test_enterprise_books_and_supplier_accepts(people, booking_event):
    base = f"{people.base}/events/{booking_event['slug']}/meetings"

    enterprise = people.person()
    _log_in(people, enterprise, ENTERPRISE)
    enterprise.goto(base + "/")
    card = enterprise.locator("li.mt-counterpart", has_text=booking_event["supplier_org"])
    assert card.locator(".match-reasons").inner_text().strip()  # the engine's reasons, in words
    assert card.locator(".match-score__value").is_visible()
    people.shot(enterprise, "counterparts")
    slot_choice = card.locator("select[name=slot_id] option").nth(1)
    slot_text = slot_choice.inner_text().strip()
    card.locator("select[name=slot_id]").select_option(slot_choice.get_attribute("value"))
    card.locator("[name=message]").fill("希望现场看一下检测演示")
    with enterprise.expect_navigation():
        card.get_by_role("button", name="发起会谈邀约").click()
    assert enterprise.locator(".mt-request-row", has_text=booking_event["supplier_org"]).is_visible()

    supplier = people.person()
    _log_in(people, supplier, SUPPLIER)
    supplier.goto(base + "/agenda")
    request = supplier.locator(".mt-request-row", has_text=booking_event["enterprise_org"])
    assert "希望现场看一下检测演示" in request.inner_text()
    with supplier.expect_navigation():
        request.get_by_role("button", name="接受").click()
    supplier_rows = _agenda_rows(supplier)
    people.shot(supplier, "supplier-agenda")
    supplier.goto(base + "/")
    assert supplier.locator("li.mt-counterpart", has_text=booking_event["enterprise_org"]).locator(
        ".mt-status--accepted").is_visible()
    people.shot(supplier, "supplier-counterparts")

    enterprise.goto(base + "/agenda")
    enterprise_rows = _agenda_rows(enterprise)
    people.shot(enterprise, "enterprise-agenda")
    assert len(enterprise_rows) == len(supplier_rows) == 1
    (e_time, e_table, e_with), (s_time, s_table, s_with) = enterprise_rows[0], supplier_rows[0]
    assert e_time == s_time and slot_text.startswith(e_time[:16]) and e_table == s_table == "1"
    assert booking_event["supplier_org"] in e_with and booking_event["enterprise_org"] in s_with
    # No clash: the booked slot is no longer offered to the enterprise for anyone else.
    enterprise.goto(base + "/")
    other = enterprise.locator("li.mt-counterpart").filter(has_not_text=booking_event["supplier_org"]).first
    offered = [o.inner_text().strip() for o in other.locator("select[name=slot_id] option").all()]
    assert slot_text not in offered and offered
