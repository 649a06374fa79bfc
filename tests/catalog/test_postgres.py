"""The public pages on PostgreSQL: GROUP BYs, ILIKE scoring and EXISTS filters must be valid there too."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from catalog_app.models import CaseOutcome, Listing, ListingKind, OrganizationKind, OutcomeMetric
from tests.catalog.helpers import industry, region, scenario, technology

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_client(pg_app):
    return pg_app.test_client()


def test_public_pages_on_postgres(pg_app, pg_client):
    from catalog_app.extensions import db
    from catalog_app.models import Demand, LISTING_CLASS_BY_KIND, Organization, OrganizationTier
    from catalog_app.credit_code import make_credit_code

    supplier = Organization(name="深圳视觉科技", credit_code=make_credit_code("91440300MA0000001"),
                            kind=OrganizationKind.SUPPLIER, tier=OrganizationTier.SME, region=region("440305"))
    enterprise = Organization(name="佛山家具集团", credit_code=make_credit_code("91440600MA0000002"),
                              kind=OrganizationKind.ENTERPRISE, tier=OrganizationTier.CHAIN_LEADER,
                              region=region("440606"))
    from catalog_app.models import DemandStatus, ListingStatus
    from catalog_app.models._types import utcnow

    for kind in ListingKind:
        db.session.add(LISTING_CLASS_BY_KIND[kind](
            organization=supplier, title=f"机器视觉缺陷检测 {kind.value}", summary="AI 质检", body="",
            status=ListingStatus.PUBLISHED, published_at=utcnow(), scenarios=[scenario()],
            industries=[industry()], technologies=[technology()],
            outcomes=[CaseOutcome(metric=OutcomeMetric.DEFECT_RATE, label="漏检率", before_value=5,
                                  after_value=1, unit="%")] if kind is ListingKind.CASE else [],
        ))
    db.session.add(Demand(organization=enterprise, title="板材视觉检测需求", status=DemandStatus.PUBLISHED,
                          published_at=utcnow(), scenarios=[scenario()]))
    db.session.commit()

    urls = [
        "/", "/solutions", "/products?q=视觉检测&sort=relevance", "/cases?region=440300&tier=sme",
        "/demands?scenario=online-intelligent-inspection", "/organizations?kind=enterprise",
        "/search?q=视觉检测", "/search?industry=hardware",
    ]
    for url in urls:
        assert pg_client.get(url).status_code == 200, url
    html = pg_client.get("/products?q=视觉检测").get_data(as_text=True)
    assert "机器视觉缺陷检测 product" in html
    assert pg_client.get("/solutions?industry=nope").status_code == 400
    case = db.session.scalar(sa.select(Listing).where(Listing.kind == ListingKind.CASE))
    demand = db.session.scalar(sa.select(Demand))
    for url in (f"/cases/{case.id}", f"/demands/{demand.id}", f"/organizations/{supplier.id}"):
        assert pg_client.get(url).status_code == 200, url


def test_ids_beyond_the_integer_range_are_not_found_on_postgres(pg_client):
    for path in ("/solutions/99999999999", "/demands/99999999999", "/organizations/99999999999"):
        response = pg_client.get(path)
        assert response.status_code == 404, path


def test_facet_index_rebuilds_in_the_background_while_the_old_data_serves(pg_app):
    """After a change, the request that notices it is answered from the previous data and a
    background thread builds the new one (FACET_INDEX_MIN_SECONDS > 0, as in production)."""
    import time

    from catalog_app.catalog.facet_index import listing_facet_index
    from catalog_app.extensions import db
    from catalog_app.models import LISTING_CLASS_BY_KIND, ListingStatus, Organization, OrganizationTier
    from catalog_app.models._types import utcnow
    from catalog_app.credit_code import make_credit_code

    supplier = Organization(name="东莞智造科技", credit_code=make_credit_code("91441900MA0000003"),
                            kind=OrganizationKind.SUPPLIER, tier=OrganizationTier.SME, region=region("440300"))

    def publish(title):
        db.session.add(LISTING_CLASS_BY_KIND[ListingKind.SOLUTION](
            organization=supplier, title=title, summary="", body="", status=ListingStatus.PUBLISHED,
            published_at=utcnow()))
        db.session.commit()

    publish("第一个方案")
    pg_app.config["FACET_INDEX_MIN_SECONDS"] = 0.01
    index = listing_facet_index()
    first = index.data()
    assert len(first.ids) == 1
    publish("第二个方案")
    time.sleep(0.02)
    assert index.data() is first  # answered at once from the old data
    deadline = time.monotonic() + 10
    while index.data() is first and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(index.data().ids) == 2
