"""What the home page shows: headline numbers, recent and featured items, entry points."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from catalog_app.catalog.services import card_options as listing_card_options
from catalog_app.catalog.services import public_listings
from catalog_app.demands.services import card_options as demand_card_options
from catalog_app.demands.services import public_demands
from catalog_app.extensions import db
from catalog_app.models import (
    PUBLIC_DEMAND_STATUSES,
    Demand,
    Industry,
    Listing,
    ListingKind,
    ListingStatus,
    Organization,
    ScenarioStage,
)
from catalog_app.models.demands import demand_industries, demand_scenarios
from catalog_app.models.listings import listing_industries, listing_scenarios
from catalog_app.organizations.services import has_public_content
from catalog_app.proposals.services import DealCounts, deal_counts

RECENT_LIMIT = 6
FEATURED_LIMIT = 3
TOP_INDUSTRIES = 12
POPULAR_LIMIT = 5


@dataclass
class HeadlineCounts:
    solutions: int
    products: int
    cases: int
    demands: int
    organizations: int


@dataclass
class HomePage:
    counts: HeadlineCounts
    featured: list[Listing]
    recent: list[Listing]
    recent_demands: list[Demand]
    stages: list[ScenarioStage]
    count_by_scenario_id: dict[int, int]
    industries: list[tuple[Industry, int]]
    deals: DealCounts | None = None

    @property
    def popular_scenarios(self) -> list:
        """The scenarios with the most public items, for the hero's quick links."""
        scenarios = [scenario for stage in self.stages for scenario in stage.scenarios]
        ranked = sorted(
            (scenario for scenario in scenarios if self.count_by_scenario_id.get(scenario.id)),
            key=lambda scenario: -self.count_by_scenario_id[scenario.id],
        )
        return ranked[:POPULAR_LIMIT]


def headline_counts() -> HeadlineCounts:
    """Published listings per kind, public demands, organizations with public content: one query."""
    def published(kind: ListingKind):
        return (
            sa.select(sa.func.count(Listing.id))
            .where(Listing.kind == kind, Listing.status == ListingStatus.PUBLISHED)
            .scalar_subquery()
        )

    row = db.session.execute(
        sa.select(
            published(ListingKind.SOLUTION),
            published(ListingKind.PRODUCT),
            published(ListingKind.CASE),
            sa.select(sa.func.count(Demand.id)).where(Demand.status.in_(PUBLIC_DEMAND_STATUSES)).scalar_subquery(),
            sa.select(sa.func.count(Organization.id)).where(has_public_content()).scalar_subquery(),
        )
    ).one()
    return HeadlineCounts(*row)


def _items_by_scenario() -> dict[int, int]:
    """Public listings plus public demands per scenario (two GROUP BYs)."""
    counts: dict[int, int] = {}
    for link, column, ids in (
        (listing_scenarios, "listing_id", sa.select(Listing.id).where(Listing.status == ListingStatus.PUBLISHED)),
        (demand_scenarios, "demand_id", sa.select(Demand.id).where(Demand.status.in_(PUBLIC_DEMAND_STATUSES))),
    ):
        rows = db.session.execute(
            sa.select(link.c.scenario_id, sa.func.count())
            .where(link.c[column].in_(ids))
            .group_by(link.c.scenario_id)
        )
        for scenario_id, count in rows:
            counts[scenario_id] = counts.get(scenario_id, 0) + count
    return counts


def _top_industries() -> list[tuple[Industry, int]]:
    """Industries with the most public listings and demands."""
    listing_ids = sa.select(Listing.id).where(Listing.status == ListingStatus.PUBLISHED)
    demand_ids = sa.select(Demand.id).where(Demand.status.in_(PUBLIC_DEMAND_STATUSES))
    tagged = sa.union_all(
        sa.select(listing_industries.c.industry_id.label("industry_id")).where(
            listing_industries.c.listing_id.in_(listing_ids)
        ),
        sa.select(demand_industries.c.industry_id.label("industry_id")).where(
            demand_industries.c.demand_id.in_(demand_ids)
        ),
    ).subquery()
    hits = sa.func.count().label("hits")
    rows = db.session.execute(
        sa.select(Industry, hits)
        .join(tagged, tagged.c.industry_id == Industry.id)
        .group_by(Industry.id)
        .order_by(hits.desc(), Industry.id)
        .limit(TOP_INDUSTRIES)
    ).all()
    return [(industry, count) for industry, count in rows]


def home_page() -> HomePage:
    """Everything on the home page, in a constant number of statements."""
    listing_order = (Listing.published_at.desc(), Listing.id.desc())
    featured = db.session.scalars(
        public_listings().where(Listing.is_featured.is_(True)).options(*listing_card_options())
        .order_by(*listing_order).limit(FEATURED_LIMIT)
    ).unique()
    recent = db.session.scalars(
        public_listings().options(*listing_card_options()).order_by(*listing_order).limit(RECENT_LIMIT)
    ).unique()
    recent_demands = db.session.scalars(
        public_demands().options(*demand_card_options())
        .order_by(Demand.published_at.desc(), Demand.id.desc()).limit(4)
    ).unique()
    stages = db.session.scalars(
        sa.select(ScenarioStage).options(selectinload(ScenarioStage.scenarios)).order_by(ScenarioStage.position)
    )
    return HomePage(
        counts=headline_counts(),
        featured=list(featured),
        recent=list(recent),
        recent_demands=list(recent_demands),
        stages=list(stages),
        count_by_scenario_id=_items_by_scenario(),
        industries=_top_industries(),
        deals=deal_counts(),
    )
