"""The moderator's queue in a real browser: counts equal the pending rows, an edit is reviewed.

A supplier edits a published listing; the public page keeps the approved text. The
moderator signs in, finds the queue's counts equal to the rows pending in the database,
opens the edit, sees the new text marked as an insertion, approves it, and the public
page shows the new text.

This module serves its own app (own SQLite file): it changes what is pending, and the
session-wide `live_server` of the other browser tests must not see that.
"""
from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

from catalog_app import create_app
from catalog_app.config import TestConfig
from catalog_app.extensions import db
from catalog_app.models import Listing, ListingStatus, User
from catalog_app.moderation import services

pytestmark = pytest.mark.browser

PASSWORD = "demo12345"
NEW_SUMMARY = "二期改造：按机台实时监测注塑能耗，异常自动告警。"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """(app, base URL) of the demo catalog on a file SQLite database."""
    database = tmp_path_factory.mktemp("moderation-live") / "live.db"
    settings = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    app = create_app({**settings, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
                      "WTF_CSRF_ENABLED": True, "TESTING": False})
    with app.app_context():
        db.create_all()
        from catalog_app.demo.services import load_demo_data
        from catalog_app.taxonomy.services import load_taxonomy

        load_taxonomy()
        load_demo_data()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


def _person(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    return context, context.new_page()


def _log_in(page, base: str, email: str) -> None:
    page.goto(base + "/login")
    form = page.locator("form[action$='/login']")
    form.locator("[name=email]").fill(email)
    form.locator("[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        form.locator("button[type=submit]").first.click()
    assert page.locator("nav.user-menu").get_by_role("button", name="退出登录").is_visible()


def _supplier_listing(app) -> tuple[str, int, str, str]:
    """(supplier email, id, title, summary) of a published solution whose organization has a member."""
    with app.app_context():
        for email in ("supplier1@demo.example.com", "supplier2@demo.example.com", "supplier3@demo.example.com"):
            user = db.session.scalar(sa.select(User).where(User.email == email))
            listing = db.session.scalar(
                sa.select(Listing).where(Listing.organization_id == user.organization_id,
                                         Listing.status == ListingStatus.PUBLISHED, Listing.kind == "solution")
                .order_by(Listing.id))
            if listing is not None:
                return email, listing.id, listing.title, listing.summary
    raise AssertionError("the demo has no published solution of a supplier with an account")


def _counts(app) -> dict[str, int]:
    with app.app_context():
        return services.queue_counts()


def test_moderator_reviews_an_edit_of_a_published_listing(browser, served, tmp_path):
    app, base = served
    email, listing_id, title, old_summary = _supplier_listing(app)
    public_url = f"{base}/solutions/{listing_id}"

    # The supplier edits the summary of the published listing.
    supplier_context, supplier = _person(browser)
    _log_in(supplier, base, email)
    supplier.goto(f"{base}/my/listings/{listing_id}/edit")
    form = supplier.locator("form.lm-form")
    form.locator("[name=summary]").fill(NEW_SUMMARY)
    with supplier.expect_navigation():
        form.locator("button[type=submit]").first.click()
    supplier.screenshot(path=str(tmp_path / "01-supplier-saved.png"), full_page=True)
    supplier_context.close()

    # The public page still shows the approved text.
    visitor_context, visitor = _person(browser)
    visitor.goto(public_url)
    assert old_summary[:20] in visitor.content() and NEW_SUMMARY not in visitor.content()

    # The moderator's queue: each count equals the rows pending in the database.
    moderator_context, moderator = _person(browser)
    _log_in(moderator, base, "moderator@demo.example.com")
    moderator.goto(f"{base}/moderation")
    counts = _counts(app)
    assert counts["listing"] >= 1
    for key in ("all", "listing", "demand", "organization", "listing_image", "demand_file"):
        shown = moderator.locator(f"a.mod-filter[data-queue-type={key}] .mod-filter__count").inner_text()
        assert int(shown) == counts[key], key
    assert moderator.locator("tbody tr[data-queue-item]").count() == counts["all"]
    moderator.screenshot(path=str(tmp_path / "02-queue.png"), full_page=True)

    # The edit is marked as such; its review page shows the new summary as an insertion.
    row = moderator.locator(f"tr[data-queue-item=listing-{listing_id}]")
    assert "通过后已修改" in row.inner_text()
    with moderator.expect_navigation():
        row.locator("a.mod-table__title").click()
    assert moderator.locator("ins", has_text="实时监测").count() >= 1
    assert NEW_SUMMARY in moderator.content()
    moderator.screenshot(path=str(tmp_path / "03-review.png"), full_page=True)
    with moderator.expect_navigation():
        moderator.locator("button.mod-approve").click()
    assert moderator.url.rstrip("/").endswith("/moderation")
    assert moderator.locator(f"tr[data-queue-item=listing-{listing_id}]").count() == 0
    assert int(moderator.locator("a.mod-filter[data-queue-type=all] .mod-filter__count").inner_text()) \
        == counts["all"] - 1

    # The public page now shows the new text.
    visitor.goto(public_url)
    assert NEW_SUMMARY in visitor.content()
    moderator_context.close()
    visitor_context.close()
