"""Screenshots of the events pages in Chinese (and the event page in English).

    .venv/bin/python tests/events/screenshots.py [output-dir]

Builds a throw-away SQLite database with the scale-1 demo catalog, adds one upcoming
event (criteria, programme, round demands, a participant) and one past event with
meetings, outcomes and an agreement, serves the app on loopback and saves full-page PNGs
with Debian's /usr/bin/chromium: the list, the event page (visitor and participant),
the organiser's registrations page, the /stats table and the workbench panel.
"""
from __future__ import annotations

import os
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import sqlalchemy as sa  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from catalog_app import create_app  # noqa: E402
from catalog_app.accounts.sessions import LAST_SEEN_KEY, create_session_row  # noqa: E402
from catalog_app.config import TestConfig  # noqa: E402
from catalog_app.demo.services import load_demo_data  # noqa: E402
from catalog_app.extensions import db  # noqa: E402
from catalog_app.models import (  # noqa: E402
    Demand, DemandStatus, Event, EventDemand, EventKind, EventRegistration, EventSide, EventStatus, Listing,
    ListingStatus, Meeting, MeetingOutcome, MeetingSlot, MeetingStatus, OutcomeKind, Region, RegistrationStatus,
    RoundEntryStatus, Scenario, User, UserRole,
)
from catalog_app.models._types import utcnow  # noqa: E402
from catalog_app.taxonomy.services import load_taxonomy  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def _user(role: UserRole, offset: int = 0) -> User:
    return db.session.scalars(sa.select(User).where(User.role == role, User.organization_id.is_not(None))
                              .order_by(User.id).offset(offset)).first()


def _register(event: Event, user: User, status=RegistrationStatus.APPROVED) -> EventRegistration:
    side = EventSide.ENTERPRISE if user.role is UserRole.ENTERPRISE else EventSide.SUPPLIER
    registration = EventRegistration(event_id=event.id, organization_id=user.organization_id, attendee_id=user.id,
                                     side=side, status=status, note="两人参会，希望对接视觉质检方向")
    if side is EventSide.SUPPLIER:
        registration.listings = list(db.session.scalars(sa.select(Listing).where(
            Listing.organization_id == user.organization_id, Listing.status == ListingStatus.PUBLISHED).limit(2)))
    db.session.add(registration)
    db.session.flush()
    return registration


def build() -> dict[str, User]:
    db.create_all()
    load_taxonomy()
    load_demo_data(scale=1, seed=7)
    now = utcnow().replace(second=0, microsecond=0)
    moderator = db.session.scalars(sa.select(User).where(User.role == UserRole.MODERATOR)).first()
    huangpu = db.session.scalar(sa.select(Region).where(Region.code == "440112"))
    foshan = db.session.scalar(sa.select(Region).where(Region.code == "440600"))
    scenarios = list(db.session.scalars(sa.select(Scenario).order_by(Scenario.id).limit(3)))
    upcoming = Event(
        slug="screenshot-upcoming", title="2027 黄埔区人工智能供需对接会暨揭榜比拼", kind=EventKind.CHALLENGE,
        status=EventStatus.PUBLISHED, organiser_name="广州市黄埔区工业和信息化局",
        summary="聚焦汽车零部件、电子信息和生物医药三大产业链，企业现场发布AI应用需求，供给方一对一洽谈并现场揭榜。",
        agenda="09:00 签到\n09:30 开幕致辞\n10:00 需求发布与揭榜路演\n13:30 一对一预约洽谈（每场20分钟）\n16:30 意向签约",
        criteria="技术可行性 | 30\n应用价值 | 30\n实施成本 | 20\n团队能力 | 20",
        starts_at=now + timedelta(days=21, hours=1), ends_at=now + timedelta(days=21, hours=9),
        venue="广州科学城会展中心 A 馆", region=huangpu, capacity=120,
        registration_opens_at=now - timedelta(days=7), registration_closes_at=now + timedelta(days=14),
        scenarios=scenarios, created_by_id=moderator.id)
    past = Event(
        slug="screenshot-past", title="2026 佛山制造业AI揭榜比拼", kind=EventKind.CHALLENGE,
        status=EventStatus.PUBLISHED, organiser_name="佛山市工业和信息化局", summary="陶瓷、家电、五金行业AI需求揭榜。",
        starts_at=now - timedelta(days=75), ends_at=now - timedelta(days=75) + timedelta(hours=8),
        venue="佛山潭州国际会展中心", region=foshan, created_by_id=moderator.id)
    db.session.add_all([upcoming, past])
    db.session.flush()
    demands = list(db.session.scalars(sa.select(Demand).where(Demand.status == DemandStatus.PUBLISHED)
                                      .order_by(Demand.id).limit(8)))
    for index, demand in enumerate(demands[:5]):
        db.session.add(EventDemand(event_id=upcoming.id, demand_id=demand.id, status=RoundEntryStatus.ENTERED))
    for index, demand in enumerate(demands):
        db.session.add(EventDemand(event_id=past.id, demand_id=demand.id, status=RoundEntryStatus.SHORTLISTED,
                                   position=index + 1))
    past.shortlist_published_at = past.starts_at - timedelta(days=7)
    enterprise, supplier = _user(UserRole.ENTERPRISE), _user(UserRole.SUPPLIER)
    _register(upcoming, enterprise)
    _register(upcoming, supplier, RegistrationStatus.PENDING)
    _register(upcoming, _user(UserRole.SUPPLIER, 1))
    enterprises = [_register(past, _user(UserRole.ENTERPRISE, n)) for n in range(3)]
    suppliers = [_register(past, _user(UserRole.SUPPLIER, n)) for n in range(3)]
    slot = MeetingSlot(event_id=past.id, starts_at=past.starts_at + timedelta(hours=4),
                       ends_at=past.starts_at + timedelta(hours=4, minutes=20))
    db.session.add(slot)
    db.session.flush()
    for table, (left, right) in enumerate(zip(enterprises, suppliers), start=1):
        meeting = Meeting(event_id=past.id, slot_id=slot.id, requester_id=right.id, invitee_id=left.id,
                          status=MeetingStatus.ACCEPTED, table_number=table)
        db.session.add(meeting)
        db.session.flush()
        db.session.add(MeetingOutcome(meeting_id=meeting.id, registration_id=left.id,
                                      outcome=OutcomeKind.INTENT if table < 3 else OutcomeKind.FOLLOW_UP,
                                      amount=150 * table if table < 3 else None))
    db.session.commit()
    return {"moderator": moderator, "enterprise": enterprise, "supplier": supplier,
            "newcomer": _user(UserRole.SUPPLIER, 3)}


def main(output_dir: Path) -> None:
    from playwright.sync_api import sync_playwright

    workdir = Path(tempfile.mkdtemp(prefix="events-shots-"))
    settings = {name: getattr(TestConfig, name) for name in dir(TestConfig) if name.isupper()}
    app = create_app({**settings, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'scratch.db'}",
                      "WTF_CSRF_ENABLED": True, "TESTING": False})
    cookies = {}
    with app.app_context():
        people = build()
        for name, user in people.items():
            token = create_session_row(user)
            db.session.commit()
            cookies[name] = app.session_interface.get_signing_serializer(app).dumps(
                {"_user_id": token, "_fresh": True, LAST_SEEN_KEY: int(time.time())})

    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    output_dir.mkdir(parents=True, exist_ok=True)
    pages = [("list-zh", "/events?lang=zh", None, 1366), ("event-zh", "/events/screenshot-upcoming?lang=zh", None, 1366),
             ("event-participant-zh", "/events/screenshot-upcoming?lang=zh", "enterprise", 1366),
             ("event-phone-zh", "/events/screenshot-upcoming?lang=zh", "supplier", 390),
             ("event-past-zh", "/events/screenshot-past?lang=zh", None, 1366),
             ("event-en", "/events/screenshot-upcoming?lang=en", None, 1366),
             ("register-zh", "/events/screenshot-upcoming/register?lang=zh", "newcomer", 1366),
             ("participants-zh", "/events/screenshot-upcoming/participants?lang=zh", "enterprise", 1366),
             ("registrations-zh", "/events/screenshot-upcoming/registrations?lang=zh", "moderator", 1366),
             ("edit-zh", "/events/screenshot-upcoming/edit?lang=zh", "moderator", 1366),
             ("stats-zh", "/stats/?lang=zh", None, 1366), ("workbench-zh", "/workbench?lang=zh", "enterprise", 1366)]
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            for name, path, person, width in pages:
                context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
                if person:
                    context.add_cookies([{"name": app.config["SESSION_COOKIE_NAME"], "value": cookies[person],
                                          "url": base}])
                page = context.new_page()
                errors = []
                page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
                response = page.goto(base + path, timeout=180_000)
                assert response is not None and response.status == 200, (path, response and response.status)
                assert not errors, errors
                target = output_dir / f"{name}.png"
                page.screenshot(path=str(target), full_page=True)
                print(target)
                context.close()
            browser.close()
    finally:
        server.shutdown()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("screenshots"))
