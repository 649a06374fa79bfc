"""Pages of /my/listings: status codes, access, and that forms store everything or nothing."""
from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from catalog_app.extensions import db
from catalog_app.models import Listing, ListingKind, ListingStatus, Scenario


def _scenario_ids(n=2):
    return [s.id for s in db.session.scalars(sa.select(Scenario).order_by(Scenario.id).limit(n))]


def test_list_shows_own_listings_of_every_status_and_no_others(supplier_client, supplier, create_listing):
    own_draft = create_listing(ListingKind.CASE, organization=supplier.organization, status=ListingStatus.DRAFT,
                               title="自家草稿案例")
    create_listing(organization=supplier.organization, status=ListingStatus.PUBLISHED, title="自家已发布方案")
    create_listing(status=ListingStatus.DRAFT, title="别家草稿方案")
    db.session.commit()
    page = supplier_client.get("/my/listings/").get_data(as_text=True)
    assert "自家草稿案例" in page and "自家已发布方案" in page
    assert "别家草稿方案" not in page
    filtered = supplier_client.get("/my/listings/?kind=case").get_data(as_text=True)
    assert "自家草稿案例" in filtered and "自家已发布方案" not in filtered
    assert f"/my/listings/{own_draft.id}/edit" in filtered


def test_list_warns_about_expiry(supplier_client, supplier, create_listing):
    create_listing(organization=supplier.organization, title="快到期方案", expires_at=date.today() + timedelta(days=10))
    db.session.commit()
    page = supplier_client.get("/my/listings/").get_data(as_text=True)
    assert "lm-row--expiring" in page
    assert "/renew" in page


def test_create_form_renders_for_each_kind(supplier_client):
    assert supplier_client.get("/my/listings/new").status_code == 200
    for kind in ("solution", "product", "case"):
        response = supplier_client.get(f"/my/listings/new?kind={kind}")
        assert response.status_code == 200, kind


def test_create_solution_with_taxonomy(supplier_client, supplier):
    scenario_ids = _scenario_ids()
    response = supplier_client.post("/my/listings/new?kind=solution", data={
        "title": "注塑件视觉质检方案", "summary": "在线检测", "body": "", "keywords": "视觉",
        "scenarios": scenario_ids, "maturity_trl": "7", "maturity_stage": "production",
        "expires_at": (date.today() + timedelta(days=200)).isoformat(),
    })
    assert response.status_code == 302
    listing = db.session.scalar(sa.select(Listing).where(Listing.title == "注塑件视觉质检方案"))
    assert listing.status is ListingStatus.DRAFT
    assert listing.organization_id == supplier.organization_id
    assert sorted(s.id for s in listing.scenarios) == sorted(scenario_ids)
    assert listing.maturity_trl == 7
