"""Scenario pages: every scenario by value-chain stage, one scenario with what serves it,
and what its application cases achieved.

Every figure counts public rows only: visible listings (`visible_listing_condition`) and
public demands. Outcome medians are signed changes in percent; whether a drop is good
depends on the metric (`LOWER_IS_BETTER`), which `OutcomeSummary.is_improvement` applies.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import NotFound

from catalog_app.browsing.browse import rows_in_order
from catalog_app.catalog.facet_index import listing_facet_index
from catalog_app.catalog.services import card_items, public_listings
from catalog_app.catalog.services import card_options as listing_card_options
from catalog_app.demands.services import card_options as demand_card_options
from catalog_app.demands.services import public_demands
from catalog_app.extensions import db
from catalog_app.models import (
    PUBLIC_DEMAND_STATUSES,
    CaseOutcome,
    Demand,
    Industry,
    Listing,
    ListingKind,
    OutcomeMetric,
    Scenario,
    ScenarioSelection,
    ScenarioStage,
)
from catalog_app.models.demands import demand_industries, demand_scenarios
from catalog_app.models.listings import listing_scenarios
from catalog_app.visibility import open_demand_condition, visible_listing_condition
from catalog_app.portable_sql import medians
from catalog_app.templating import LOWER_IS_BETTER

SECTION_LIMIT = 6
DEMAND_LIMIT = 6
INDUSTRY_LIMIT = 12


@dataclass
class ScenarioCounts:
    """Public items in one scenario."""

    by_kind: dict[ListingKind, int] = field(default_factory=dict)
    demands: int = 0

    @property
    def listings(self) -> int:
        return sum(self.by_kind.values())

    @property
    def total(self) -> int:
        return self.listings + self.demands


@dataclass
class StageGroup:
    stage: ScenarioStage
    scenarios: list[tuple[Scenario, ScenarioCounts]]

    @property
    def total(self) -> int:
        return sum(counts.total for _scenario, counts in self.scenarios)


def _public_demand_ids() -> sa.Select:
    return sa.select(Demand.id).where(Demand.status.in_(PUBLIC_DEMAND_STATUSES))


def counts_by_scenario() -> dict[int, ScenarioCounts]:
    """Visible listings per kind (facet index) and public demands (one GROUP BY) per scenario."""
    counts: dict[int, ScenarioCounts] = defaultdict(ScenarioCounts)
    index = listing_facet_index()
    for kind in ListingKind:
        for scenario_id, count in index.term_counts("scenario", kind=kind).items():
            counts[scenario_id].by_kind[kind] = count
    demand_rows = db.session.execute(
        sa.select(demand_scenarios.c.scenario_id, sa.func.count())
        .where(demand_scenarios.c.demand_id.in_(_public_demand_ids()))
        .group_by(demand_scenarios.c.scenario_id)
    )
    for scenario_id, count in demand_rows:
        counts[scenario_id].demands = count
    return counts


def stages_with_scenarios() -> list[ScenarioStage]:
    """All stages in order with their scenarios loaded (two statements)."""
    return list(db.session.scalars(
        sa.select(ScenarioStage).options(selectinload(ScenarioStage.scenarios)).order_by(ScenarioStage.position)
    ))


def scenario_index() -> list[StageGroup]:
    """All stages in order, each with its scenarios and their counts (four statements)."""
    stages = stages_with_scenarios()
    counts = counts_by_scenario()
    return [
        StageGroup(stage, [(scenario, counts.get(scenario.id, ScenarioCounts())) for scenario in stage.scenarios])
        for stage in stages
    ]


@dataclass(frozen=True)
class OutcomeSummary:
    """The median change of one metric over a scenario's published cases."""

    metric: OutcomeMetric
    median_change: float  # percent, signed: -60.0 means the value dropped by 60 %
    measurements: int

    @property
    def is_improvement(self) -> bool | None:
        if self.median_change == 0:
            return None
        return (self.median_change < 0) if self.metric in LOWER_IS_BETTER else (self.median_change > 0)


def outcome_summaries(scenario_id: int) -> list[OutcomeSummary]:
    """Median change per metric over the outcomes of the scenario's visible cases.

    Outcomes with a zero baseline are left out: a percentage of zero means nothing.
    One statement (the median is computed by the database).
    """
    change = (CaseOutcome.after_value - CaseOutcome.before_value) * 100.0 / CaseOutcome.before_value
    values = (
        sa.select(CaseOutcome.metric.label("group_key"), change.label("value"))
        .join(Listing, Listing.id == CaseOutcome.listing_id)
        .join(listing_scenarios, listing_scenarios.c.listing_id == Listing.id)
        .where(listing_scenarios.c.scenario_id == scenario_id, Listing.kind == ListingKind.CASE,
               visible_listing_condition(), CaseOutcome.before_value != 0)
    )
    found = medians(values)
    summaries = [OutcomeSummary(OutcomeMetric(metric) if not isinstance(metric, OutcomeMetric) else metric,
                                round(median, 1), total) for metric, (median, total) in found.items()]
    return sorted(summaries, key=lambda summary: (-summary.measurements, list(OutcomeMetric).index(summary.metric)))


@dataclass
class IndustryUse:
    industry: Industry
    listings: int
    demands: int

    @property
    def total(self) -> int:
        return self.listings + self.demands


def industries_using(scenario: Scenario, limit: int = INDUSTRY_LIMIT) -> list[IndustryUse]:
    """Industries tagged on the scenario's public listings (facet index) and demands, most
    used first."""
    scenario_id = scenario.id
    listing_counts = listing_facet_index().term_counts("industry", {"scenario": scenario})
    demand_counts = dict(db.session.execute(
        sa.select(demand_industries.c.industry_id, sa.func.count())
        .join(demand_scenarios, demand_scenarios.c.demand_id == demand_industries.c.demand_id)
        .where(demand_scenarios.c.scenario_id == scenario_id,
               demand_industries.c.demand_id.in_(_public_demand_ids()))
        .group_by(demand_industries.c.industry_id)
    ).all())
    ids = set(listing_counts) | set(demand_counts)
    if not ids:
        return []
    industries = db.session.scalars(sa.select(Industry).where(Industry.id.in_(ids))).all()
    uses = [IndustryUse(industry, listing_counts.get(industry.id, 0), demand_counts.get(industry.id, 0))
            for industry in industries]
    return sorted(uses, key=lambda use: (-use.total, use.industry.id))[:limit]


@dataclass
class ScenarioPage:
    scenario: Scenario
    counts: ScenarioCounts
    open_demand_count: int
    industries: list[IndustryUse]
    outcomes: list[OutcomeSummary]
    cases: list[Listing]
    solutions: list[Listing]
    products: list[Listing]
    demands: list[Demand]
    selections: list[ScenarioSelection]


def _listings_of(kind: ListingKind, scenario: Scenario, limit: int = SECTION_LIMIT) -> list:
    """The scenario's showcase of `kind`: cases with measured results first (they are what the
    page is about), then featured listings, newest first; chosen by the facet index.

    Solutions and products come back as cards (`card_items`); cases as rows with their
    outcomes, which the case tiles show.
    """
    ids = listing_facet_index().showcase_ids(kind, {"scenario": scenario}, limit)
    if kind is not ListingKind.CASE:
        return card_items(ids)
    return rows_in_order(public_listings(kind).options(*listing_card_options(), selectinload(Listing.outcomes)),
                         Listing, ids)


def _open_demands(scenario_id: int, limit: int = DEMAND_LIMIT) -> list[Demand]:
    statement = (
        public_demands()
        .where(open_demand_condition(),
               Demand.id.in_(sa.select(demand_scenarios.c.demand_id).where(demand_scenarios.c.scenario_id == scenario_id)))
        .options(*demand_card_options())
        .order_by(Demand.published_at.desc(), Demand.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(statement).unique())


def _open_demand_count(scenario_id: int) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(Demand.id))
        .join(demand_scenarios, demand_scenarios.c.demand_id == Demand.id)
        .where(demand_scenarios.c.scenario_id == scenario_id, open_demand_condition())
    ) or 0


def _counts_for(scenario: Scenario) -> ScenarioCounts:
    """Visible listings per kind (facet index) and public demands in the scenario."""
    counts = ScenarioCounts()
    counts.by_kind = {kind: count for kind, count in
                      listing_facet_index().kind_counts({"scenario": scenario}).items() if count}
    counts.demands = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(demand_scenarios)
        .where(demand_scenarios.c.scenario_id == scenario.id, demand_scenarios.c.demand_id.in_(_public_demand_ids()))
    ) or 0
    return counts


def get_scenario_page(slug: str) -> ScenarioPage:
    """Everything a scenario's page shows, in a constant number of statements.

    :raises NotFound: for an unknown slug.
    """
    scenario = db.session.scalar(
        sa.select(Scenario).where(Scenario.slug == slug).options(selectinload(Scenario.stage)))
    if scenario is None:
        raise NotFound()
    selections = db.session.scalars(
        sa.select(ScenarioSelection).where(ScenarioSelection.scenario_id == scenario.id)
        .order_by(ScenarioSelection.year.desc())
    ).all()
    return ScenarioPage(
        scenario=scenario,
        counts=_counts_for(scenario),
        open_demand_count=_open_demand_count(scenario.id),
        industries=industries_using(scenario),
        outcomes=outcome_summaries(scenario.id),
        cases=_listings_of(ListingKind.CASE, scenario),
        solutions=_listings_of(ListingKind.SOLUTION, scenario),
        products=_listings_of(ListingKind.PRODUCT, scenario),
        demands=_open_demands(scenario.id),
        selections=list(selections),
    )
