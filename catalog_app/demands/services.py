"""The public side of demands: listing and reading the ones suppliers may see.

Public means a status in PUBLIC_DEMAND_STATUSES. `confidential_details` is never
searched (a keyword hit would leak it) and never handed to templates: the detail
page gets a `DemandDetail` whose `demand` is the row, and templates must not read
that column (tests check the text never appears in the page).
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.exceptions import NotFound

from catalog_app.catalog.browse import BrowsePage, BrowseSource, LinkFacet, browse
from catalog_app.catalog.params import BrowseParams
from catalog_app.extensions import db
from catalog_app.models import PUBLIC_DEMAND_STATUSES, Confidentiality, Demand, Organization, Region, Scenario
from catalog_app.models.demands import demand_industries, demand_scenarios, demand_technologies


def public_demands() -> sa.Select:
    return sa.select(Demand).join(Demand.organization).where(Demand.status.in_(PUBLIC_DEMAND_STATUSES))


def card_options():
    """Eager loads for a demand card: organization, region (own or the organization's), tags."""
    return (
        joinedload(Demand.organization).joinedload(Organization.region).joinedload(Region.parent),
        joinedload(Demand.region).joinedload(Region.parent),
        selectinload(Demand.scenarios),
        selectinload(Demand.technologies),
    )


DEMAND_SOURCE = BrowseSource(
    model=Demand,
    statement=public_demands,
    text_columns=(Demand.title, Demand.summary, Demand.background, Demand.requirements, Demand.expected_outcomes),
    title_column=Demand.title,
    newest_columns=(Demand.published_at,),
    # A demand without its own region is located where its organization is.
    region_column=sa.func.coalesce(Demand.region_id, Organization.region_id),
    link_facets={
        "industry": LinkFacet(demand_industries, "demand_id", "industry_id"),
        "scenario": LinkFacet(demand_scenarios, "demand_id", "scenario_id"),
        "technology": LinkFacet(demand_technologies, "demand_id", "technology_id"),
    },
    enum_columns={"tier": Organization.tier},
    facet_names=("industry", "scenario", "technology", "region", "tier"),
)


def search_demands(params: BrowseParams, with_facets: bool = True) -> BrowsePage:
    """A page of public demands matching `params`, with facet counts.

    :raises InvalidQuery: for an unknown facet value.
    :raises NotFound: for a page past the last one.
    """
    return browse(DEMAND_SOURCE, params, card_options(), with_facets=with_facets)


@dataclass
class DemandDetail:
    demand: Demand
    is_locked: bool
    related: list


def get_demand(demand_id: int) -> DemandDetail:
    """A public demand and the published listings that address its scenarios.

    :raises NotFound: when no public demand has this id.
    """
    from catalog_app.catalog.services import related_listings

    demand = db.session.scalar(
        public_demands()
        .where(Demand.id == demand_id)
        .options(
            *card_options(),
            selectinload(Demand.industries),
            selectinload(Demand.scenarios).joinedload(Scenario.stage),
        )
    )
    if demand is None:
        raise NotFound()
    return DemandDetail(
        demand=demand,
        is_locked=demand.confidentiality is Confidentiality.SUMMARY_ONLY,
        related=related_listings([scenario.id for scenario in demand.scenarios], exclude_ids=[]),
    )


def demands_for_scenarios(scenario_ids: list[int], limit: int = 4) -> list[Demand]:
    """Public demands in any of the scenarios, newest first."""
    if not scenario_ids:
        return []
    statement = (
        public_demands()
        .where(Demand.id.in_(sa.select(demand_scenarios.c.demand_id).where(demand_scenarios.c.scenario_id.in_(scenario_ids))))
        .options(*card_options())
        .order_by(Demand.published_at.desc(), Demand.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(statement).unique())
