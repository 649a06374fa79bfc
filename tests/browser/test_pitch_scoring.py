"""On-site pitch scoring in a real browser: an assigned expert scores a pitch on a phone-sized
screen (375×740) and the organiser's live ranking, open on a laptop, shows the score without
a reload (static/js/challenges.js polls the JSON every few seconds).

The round is built directly in the live app's database (an event, an expert, a shortlisted
demo demand with two pitches), so the test measures the scoring pages, not the setup pages.
The organiser's browser gets a session cookie made from a session row instead of typing a
password: Argon2 costs seconds on a loaded machine, and only the expert's sign-in is the
subject here. Screenshots go to pytest's tmp_path.
"""
from __future__ import annotations

import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from catalog_app.accounts.passwords import hash_password
from catalog_app.accounts.sessions import LAST_SEEN_KEY, create_session_row
from catalog_app.extensions import db
from catalog_app.models import (
    Demand,
    DemandStatus,
    Event,
    EventDemand,
    EventExpert,
    EventKind,
    EventStatus,
    Organization,
    OrganizationKind,
    Pitch,
    RoundEntryStatus,
    User,
    UserRole,
)
from catalog_app.models._types import utcnow

pytestmark = pytest.mark.browser

MODERATOR = "moderator@demo.example.com"
EXPERT = ("pitch-expert@flow.example.com", "expert-pass-2026")
SLUG = "browser-pitch-round"


@pytest.fixture
def pitch_round(live_app):
    """A published round with its shortlist out, one assigned expert and two pitches."""
    with live_app.app_context():
        event = db.session.scalar(sa.select(Event).where(Event.slug == SLUG))
        if event is None:
            now = utcnow()
            event = Event(slug=SLUG, title="浏览器测试揭榜比拼", kind=EventKind.CHALLENGE, status=EventStatus.PUBLISHED,
                          criteria="技术可行性 | 40\n应用价值 | 30\n团队能力 | 30", starts_at=now - timedelta(hours=1),
                          ends_at=now + timedelta(hours=6), shortlist_published_at=now - timedelta(days=3))
            expert = User(email=EXPERT[0], password_hash=hash_password(EXPERT[1]), display_name="陈教授",
                          role=UserRole.EXPERT, email_verified_at=now)
            db.session.add_all([event, expert])
            db.session.flush()
            demand = db.session.scalars(sa.select(Demand).where(Demand.status == DemandStatus.PUBLISHED)
                                        .order_by(Demand.id)).first()
            entry = EventDemand(event_id=event.id, demand_id=demand.id, status=RoundEntryStatus.SHORTLISTED, position=1)
            db.session.add_all([EventExpert(event_id=event.id, user_id=expert.id), entry])
            db.session.flush()
            suppliers = db.session.scalars(sa.select(Organization).where(Organization.kind == OrganizationKind.SUPPLIER)
                                           .order_by(Organization.id).limit(2)).all()
            db.session.add_all([Pitch(entry_id=entry.id, organization_id=org.id, position=n)
                                for n, org in enumerate(suppliers, 1)])
            db.session.commit()
        pitches = db.session.scalars(sa.select(Pitch).join(Pitch.entry).where(EventDemand.event_id == event.id)
                                     .order_by(Pitch.position)).all()
        return {"first": pitches[0].id, "second": pitches[1].id, "first_name": pitches[0].organization.name}


def _organiser_cookie(live_app, base: str) -> dict:
    """A signed session cookie for the demo moderator, as the login view would set it."""
    with live_app.app_context():
        moderator = db.session.scalar(sa.select(User).where(User.email == MODERATOR))
        token = create_session_row(moderator)
        db.session.commit()
        value = live_app.session_interface.get_signing_serializer(live_app).dumps(
            {"_user_id": token, "_fresh": True, LAST_SEEN_KEY: int(time.time())})
    return {"name": live_app.config.get("SESSION_COOKIE_NAME") or "session", "value": value, "url": base}


def _log_in(page, base: str, email: str, password: str, next_path: str) -> None:
    page.goto(f"{base}/login?next={next_path}")
    form = page.locator("form[action$='/login']")
    form.locator("[name=email]").fill(email)
    form.locator("[name=password]").fill(password)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def test_expert_scores_on_a_phone_and_the_live_ranking_shows_it(people, pitch_round, live_app):
    organiser = people.person()
    organiser.context.add_cookies([_organiser_cookie(live_app, people.base)])
    organiser.goto(f"{people.base}/events/{SLUG}/round/live")
    first_row = organiser.locator(f"#pitch-{pitch_round['first']}")
    assert first_row.locator("[data-cell=average]").inner_text() == "尚未评分"

    phone_context = people.browser.new_context(locale="zh-CN", viewport={"width": 375, "height": 740},
                                               has_touch=True, is_mobile=True)
    phone_context.set_default_timeout(10_000)
    people.contexts.append(phone_context)
    phone = phone_context.new_page()
    # Signing in leads straight to the sheet (the workbench's event list has its own tests).
    sheet_path = f"/events/{SLUG}/round/score/{pitch_round['first']}"
    _log_in(phone, people.base, *EXPERT, next_path=sheet_path)
    assert phone.url.endswith(sheet_path)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scrolling

    rows = phone.locator("fieldset.ch-criterion")
    assert rows.count() == 3
    for index, score in enumerate(("9", "8", "7")):  # 0.4×9 + 0.3×8 + 0.3×7 = 8.1 -> 81
        option = rows.nth(index).get_by_role("radio", name=score, exact=True)
        box = rows.nth(index).locator("label", has=phone.locator(f"input[value='{score}']")).bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44  # a thumb-sized target
        option.tap()
    assert "81" in phone.locator("[data-score-total]").inner_text()
    phone.locator("textarea[name=comment]").fill("方案成熟，现场演示流畅")
    people.shot(phone, "phone-scoring-sheet")
    with phone.expect_navigation():
        phone.get_by_role("button", name="提交评分").tap()
    assert "您的评分：81 / 100" in phone.locator(".ch-sheet__own").inner_text()
    assert phone.get_by_role("link", name="下一场").count() == 1

    # The organiser's page refreshes itself: no reload here.
    average = first_row.locator("[data-cell=average]")
    organiser.wait_for_function(
        "cell => cell.textContent.trim() === '81'", arg=average.element_handle(), timeout=10_000)
    assert first_row.locator("[data-cell=count]").inner_text().startswith("1 /")
    assert first_row.locator("[data-cell=rank]").inner_text() == "1"
    people.shot(organiser, "live-ranking")
