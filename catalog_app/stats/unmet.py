"""The unmet-demand map: open demands without a strong recommendation.

District AI centres use it to see which suppliers to recruit. A demand counts as unmet
when the matching engine finds nothing for it or when its best listing's confidence is
below `STRONG_MATCH_CONFIDENCE` (see `catalog_app.recommendations.confidence`): the
same rule that makes its page say "暂无高度匹配的方案". The confidence is absolute, so a
demand is not "met" merely because some listing happens to be its best hit.

Ranking is done once per open demand per cache refresh (`stats.cache`), never per
request; the counts by city, industry and scenario are then GROUP BYs over the ids.
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import aliased, selectinload

from catalog_app.extensions import db
from catalog_app.models import Demand, Industry, Organization, Region, Scenario
from catalog_app.models.demands import demand_industries, demand_scenarios
from catalog_app.visibility import open_demand_condition
from catalog_app.recommendations.confidence import strong_match_confidence
from catalog_app.recommendations.services import Recommendation, recommend_listings
from catalog_app.stats.services import Table, Term

TOP = 3


@dataclass
class UnmetDemands:
    open_demands: int
    unmet_ids: list[int]
    tables: dict[str, Table]


def is_weak(recommendations: list[Recommendation], threshold: float) -> bool:
    """True when no recommendation reaches the strong-match confidence."""
    return not recommendations or max(r.confidence for r in recommendations) < threshold


def weak_demand_ids() -> tuple[int, list[int]]:
    """(number of open demands, ids of those with only weak matches)."""
    threshold = strong_match_confidence()
    demands = db.session.scalars(
        sa.select(Demand).where(open_demand_condition()).order_by(Demand.id)
        .options(selectinload(Demand.industries), selectinload(Demand.scenarios),
                 selectinload(Demand.technologies), selectinload(Demand.region))
    ).all()
    weak = [demand.id for demand in demands if is_weak(recommend_listings(demand, top=TOP), threshold)]
    return len(demands), weak


def _by_term(link, column: str, model, key, ids: list[int]) -> dict[Term, int]:
    rows = db.session.execute(
        sa.select(model.id, key, model.name_zh, model.name_en, sa.func.count())
        .join(link, link.c[column] == model.id)
        .where(link.c.demand_id.in_(ids))
        .group_by(model.id, key, model.name_zh, model.name_en)
    )
    return {Term(str(code), zh, en): count for _id, code, zh, en, count in rows}


def _by_city(ids: list[int]) -> dict[Term, int]:
    location, city = aliased(Region), aliased(Region)
    columns = (city.id, city.code, city.name_zh, city.name_en)
    rows = db.session.execute(
        sa.select(*columns, sa.func.count(Demand.id))
        .select_from(Demand)
        .join(Organization, Organization.id == Demand.organization_id)
        .join(location, location.id == sa.func.coalesce(Demand.region_id, Organization.region_id))
        .join(city, city.id == sa.func.coalesce(location.parent_id, location.id))
        .where(Demand.id.in_(ids))
        .group_by(*columns)
    )
    return {Term(str(code), zh, en): count for _id, code, zh, en, count in rows}


def unmet_demands() -> UnmetDemands:
    open_count, ids = weak_demand_ids()
    return UnmetDemands(
        open_demands=open_count,
        unmet_ids=ids,
        tables={
            "unmet-cities": Table.from_counts({"unmet": _by_city(ids)}),
            "unmet-industries": Table.from_counts({"unmet": _by_term(demand_industries, "industry_id", Industry,
                                                                     Industry.code, ids)}),
            "unmet-scenarios": Table.from_counts({"unmet": _by_term(demand_scenarios, "scenario_id", Scenario,
                                                                    Scenario.slug, ids)}),
        },
    )
