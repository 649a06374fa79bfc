"""Listing page views: the beacon POST counts a session once per listing and day, never the
owner's organization nor staff; the daily upsert; the figures on the supplier's pages."""
from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from catalog_app import listing_views
from catalog_app.extensions import db
from catalog_app.listing_views import ViewCounts, record_view, view_counts
from catalog_app.models import ListingKind, ListingStatus, ListingViewDay, UserRole
from tests.conftest import login_as


def beacon(client, listing, section: str = "solutions"):
    return client.post(f"/{section}/{listing.id}/view")


def views_of(listing) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(ListingViewDay.views), 0))
                             .where(ListingViewDay.listing_id == listing.id))


def test_the_detail_page_carries_the_beacon_and_writes_nothing(client, create_listing):
    listing = create_listing()
    db.session.commit()
    html = client.get(f"/solutions/{listing.id}").get_data(as_text=True)
    assert f'action="/solutions/{listing.id}/view"' in html and "js/listing-views.js" in html
    assert 'name="csrf_token"' in html
    assert views_of(listing) == 0                      # only the beacon counts


def test_a_session_counts_once_per_listing_and_day(app, client, create_listing, monkeypatch):
    listing, other = create_listing(), create_listing(ListingKind.PRODUCT)
    db.session.commit()
    assert beacon(client, listing).status_code == 204
    assert beacon(client, listing).status_code == 204
    assert views_of(listing) == 1
    assert beacon(client, other, "products").status_code == 204
    assert views_of(other) == 1
    assert beacon(app.test_client(), listing).status_code == 204     # another visitor
    assert views_of(listing) == 2

    tomorrow = listing_views.today() + timedelta(days=1)
    monkeypatch.setattr(listing_views, "today", lambda: tomorrow)
    assert beacon(client, listing).status_code == 204
    assert views_of(listing) == 3
    rows = db.session.execute(sa.select(ListingViewDay.day, ListingViewDay.views)
                              .where(ListingViewDay.listing_id == listing.id).order_by(ListingViewDay.day)).all()
    assert [views for _day, views in rows] == [2, 1] and rows[1].day == tomorrow


def test_owner_members_and_staff_are_not_counted(app, create_user, create_listing):
    owner = create_user(UserRole.SUPPLIER)
    colleague = create_user(UserRole.SUPPLIER, organization=owner.organization)
    listing = create_listing(organization=owner.organization)
    visitors = [create_user(UserRole.ENTERPRISE), create_user(UserRole.SUPPLIER)]
    staff = [create_user(UserRole.MODERATOR, organization=None), create_user(UserRole.ADMIN, organization=None)]
    db.session.commit()
    for user in (owner, colleague, *staff):
        client = app.test_client()
        login_as(client, user)
        assert beacon(client, listing).status_code == 204
    assert views_of(listing) == 0
    for user in visitors:
        client = app.test_client()
        login_as(client, user)
        assert beacon(client, listing).status_code == 204
    assert views_of(listing) == 2


@pytest.mark.parametrize("case", ["draft", "unknown", "wrong_kind"])
def test_a_listing_that_is_not_public_answers_404_json(client, create_listing, case):
    draft = create_listing(status=ListingStatus.DRAFT)
    published = create_listing()
    db.session.commit()
    path = {"draft": f"/solutions/{draft.id}/view", "unknown": "/solutions/999999/view",
            "wrong_kind": f"/products/{published.id}/view"}[case]
    response = client.post(path)
    assert response.status_code == 404
    assert response.get_json() == {"error": "not_found"}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ListingViewDay)) == 0


def test_bad_ids_never_reach_the_database(client):
    """The app's bounded <int:...> converter answers 404 before the view runs."""
    for path in ("/solutions/99999999999999999999/view", "/solutions/-1/view", "/solutions/abc/view",
                 "/elsewhere/1/view"):
        assert client.post(path).status_code == 404
    assert client.get("/solutions/1/view").status_code == 405


def test_a_script_cannot_inflate_the_count(app, create_listing):
    """Fresh sessions from one address: the per-listing limit caps what they add."""
    app.config["LISTING_VIEW_LIMIT_PER_LISTING"] = "2 per day"
    listing = create_listing()
    db.session.commit()
    statuses = [beacon(app.test_client(), listing).status_code for _ in range(4)]
    assert statuses == [204, 204, 429, 429]
    assert views_of(listing) == 2


def test_the_address_limit_covers_every_listing(app, client, create_listing):
    app.config["LISTING_VIEW_LIMIT_PER_IP"] = "3 per minute"
    listings = [create_listing() for _ in range(4)]
    db.session.commit()
    statuses = [beacon(client, listing).status_code for listing in listings]
    assert statuses == [204, 204, 204, 429]
    refused = client.post("/solutions/999999/view")           # probing ids costs the same budget
    assert refused.status_code == 429 and refused.get_json() == {"error": "too_many_requests"}
    assert [views_of(listing) for listing in listings] == [1, 1, 1, 0]


def test_the_beacon_needs_the_csrf_token(app, client, create_listing):
    app.config["WTF_CSRF_ENABLED"] = True   # as in production (read on each request)
    listing = create_listing()
    db.session.commit()
    assert client.post(f"/solutions/{listing.id}/view").status_code == 400
    assert views_of(listing) == 0
    html = client.get(f"/solutions/{listing.id}").get_data(as_text=True)
    token = re.search(r'id="listing-view"[^>]*>.*?name="csrf_token" value="([^"]+)"', html, re.S).group(1)
    assert client.post(f"/solutions/{listing.id}/view", data={"csrf_token": token}).status_code == 204
    assert views_of(listing) == 1


def test_the_upsert_adds_to_one_row_per_day(app, create_listing):
    listing = create_listing()
    db.session.commit()
    day = listing_views.today()
    for _ in range(3):
        record_view(listing.id, day)
    record_view(listing.id, day - timedelta(days=1))
    db.session.commit()
    rows = db.session.execute(sa.select(ListingViewDay.day, ListingViewDay.views)
                              .where(ListingViewDay.listing_id == listing.id).order_by(ListingViewDay.day)).all()
    assert [tuple(row) for row in rows] == [(day - timedelta(days=1), 1), (day, 3)]


def _pg_listing():
    from catalog_app.models import LISTING_CLASS_BY_KIND, Organization, OrganizationKind, OrganizationTier
    from catalog_app.models._types import utcnow
    from catalog_app.credit_code import make_credit_code

    organization = Organization(name="深圳视觉科技", credit_code=make_credit_code("91440300MA0000001"),
                                kind=OrganizationKind.SUPPLIER, tier=OrganizationTier.SME)
    listing = LISTING_CLASS_BY_KIND[ListingKind.SOLUTION](
        organization=organization, title="机器视觉缺陷检测方案", summary="AI 质检", body="",
        status=ListingStatus.PUBLISHED, published_at=utcnow())
    db.session.add(listing)
    db.session.commit()
    return listing


@pytest.mark.postgres
def test_concurrent_views_on_postgresql_lose_no_count(pg_app):
    """Many sessions at once on one (listing, day): the conflict clause adds, never overwrites."""
    listing = _pg_listing()
    listing_id, day = listing.id, listing_views.today()
    start = threading.Barrier(8)
    errors = []

    def visit():
        try:
            with pg_app.app_context():
                start.wait()
                for _ in range(5):
                    record_view(listing_id, day)
                    db.session.commit()
                db.session.remove()
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=visit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert views_of(listing) == 40
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ListingViewDay)) == 1
    record_view(listing_id, day - timedelta(days=1))
    db.session.commit()
    assert view_counts([listing_id], day) == {listing_id: ViewCounts(recent=41, total=41)}
    assert view_counts([listing_id], day + timedelta(days=30)) == {listing_id: ViewCounts(recent=0, total=41)}


@pytest.mark.postgres
def test_the_beacon_on_postgresql(pg_app):
    listing = _pg_listing()
    client = pg_app.test_client()
    assert client.post(f"/solutions/{listing.id}/view").status_code == 204
    assert client.post(f"/solutions/{listing.id}/view").status_code == 204
    assert pg_app.test_client().post(f"/solutions/{listing.id}/view").status_code == 204
    assert views_of(listing) == 2
    assert client.post("/solutions/999999/view").status_code == 404


def test_view_counts_split_the_last_30_days_from_the_total(app, create_listing):
    listing, quiet, never = create_listing(), create_listing(), create_listing()
    day = listing_views.today()
    db.session.add_all([
        ListingViewDay(listing_id=listing.id, day=day, views=3),
        ListingViewDay(listing_id=listing.id, day=day - timedelta(days=29), views=4),   # still in the window
        ListingViewDay(listing_id=listing.id, day=day - timedelta(days=30), views=5),   # just out of it
        ListingViewDay(listing_id=quiet.id, day=day - timedelta(days=90), views=2),
    ])
    db.session.commit()
    counts = view_counts([listing.id, quiet.id, never.id], day)
    assert counts == {listing.id: ViewCounts(recent=7, total=12), quiet.id: ViewCounts(recent=0, total=2)}
    assert view_counts([]) == {}


def test_my_listings_shows_the_views(client, create_user, create_listing):
    supplier = create_user(UserRole.SUPPLIER)
    listing = create_listing(organization=supplier.organization)
    create_listing(organization=supplier.organization, status=ListingStatus.DRAFT)
    day = listing_views.today()
    db.session.add_all([ListingViewDay(listing_id=listing.id, day=day, views=3),
                        ListingViewDay(listing_id=listing.id, day=day - timedelta(days=45), views=5)])
    db.session.commit()
    login_as(client, supplier)
    response = client.get("/my/listings/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "浏览 (30 天 / 累计)" in html
    assert '<td class="lm-nowrap">3 / 8</td>' in html
    assert '<td class="lm-nowrap">0 / 0</td>' in html                  # the draft, never viewed
