"""What the home page shows: headline numbers, recent and featured items, entry points."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from catalog_app.browsing.browse import rows_in_order
from catalog_app.catalog.facet_index import listing_facet_index
from catalog_app.catalog.services import card_items
from catalog_app.demands.services import card_options as demand_card_options
from catalog_app.demands.services import public_demands
from catalog_app.extensions import db
from catalog_app.figures import kept
from catalog_app.models import (
    PUBLIC_DEMAND_STATUSES,
    Demand,
    Industry,
    ScenarioStage,
)
from catalog_app.models.demands import demand_industries, demand_scenarios
from catalog_app.proposals.services import DealCounts, deal_counts
from catalog_app.stats.headline import HeadlineFigures, headline_figures

RECENT_LIMIT = 6
FEATURED_LIMIT = 3
TOP_INDUSTRIES = 12
POPULAR_LIMIT = 5


@dataclass
class HomePage:
    counts: HeadlineFigures
    featured: list  # Listing or RenderedCard (see catalog.services.card_items)
    recent: list
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


def _demand_counts(link, term_column: str) -> dict[int, int]:
    """Public demands per term of a demand link table (one GROUP BY, see `catalog_app.figures`)."""
    demand_ids = sa.select(Demand.id).where(Demand.status.in_(PUBLIC_DEMAND_STATUSES))
    return kept(f"demands-by-{term_column}", lambda: dict(db.session.execute(
        sa.select(link.c[term_column], sa.func.count()).where(link.c.demand_id.in_(demand_ids))
        .group_by(link.c[term_column])
    ).all()))


def _recent_demands(limit: int) -> list[Demand]:
    """The newest public demands; which ones is kept (`catalog_app.figures`), the rows are loaded fresh."""
    ids = kept("recent-demands", lambda: list(db.session.scalars(
        sa.select(Demand.id).where(Demand.status.in_(PUBLIC_DEMAND_STATUSES))
        .order_by(Demand.published_at.desc(), Demand.id.desc()).limit(limit)
    )))
    return rows_in_order(public_demands().options(*demand_card_options()), Demand, ids)


def _items_by_scenario() -> dict[int, int]:
    """Visible listings (facet index) plus public demands per scenario."""
    return Counter(listing_facet_index().term_counts("scenario")) + Counter(
        _demand_counts(demand_scenarios, "scenario_id"))


def _top_industries() -> list[tuple[Industry, int]]:
    """Industries with the most visible listings and public demands."""
    counts = Counter(listing_facet_index().term_counts("industry")) + Counter(
        _demand_counts(demand_industries, "industry_id"))
    top = sorted(counts, key=lambda industry_id: (-counts[industry_id], industry_id))[:TOP_INDUSTRIES]
    industries = {row.id: row for row in db.session.scalars(sa.select(Industry).where(Industry.id.in_(top)))}
    return [(industries[i], counts[i]) for i in top if i in industries]


def home_page() -> HomePage:
    """Everything on the home page, in a constant number of statements.

    Listing figures and the newest and featured listings come from the in-memory facet
    index (a GROUP BY or a sort over every listing costs hundreds of milliseconds at
    100,000 listings); the cards come from `card_items`, cached per listing version.
    """
    index = listing_facet_index()
    featured = card_items(index.page_ids(None, {}, 0, FEATURED_LIMIT, featured_only=True))
    recent = card_items(index.page_ids(None, {}, 0, RECENT_LIMIT))
    recent_demands = _recent_demands(4)
    stages = db.session.scalars(
        sa.select(ScenarioStage).options(selectinload(ScenarioStage.scenarios)).order_by(ScenarioStage.position)
    )
    return HomePage(
        counts=headline_figures(),
        featured=list(featured),
        recent=list(recent),
        recent_demands=list(recent_demands),
        stages=list(stages),
        count_by_scenario_id=_items_by_scenario(),
        industries=_top_industries(),
        deals=kept("deals", deal_counts),
    )
