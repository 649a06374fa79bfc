"""The taxonomy (industries, scenarios, technologies, regions) and the scenario pages' data."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload
from werkzeug.exceptions import NotFound

from catalog_app.api.routes.organizations import WithCounts
from catalog_app.api.routes import api_blueprint
from catalog_app.api.schemas import (
    IndustrySchema,
    RegionSchema,
    ScenarioDetailSchema,
    ScenarioSchema,
    TechnologyRefSchema,
)
from catalog_app.catalog.services import public_listings
from catalog_app.demands.services import public_demands
from catalog_app.extensions import db
from catalog_app.models import Demand, Industry, Listing, Region, Scenario, ScenarioStage, Technology
from catalog_app.models.demands import demand_scenarios
from catalog_app.models.listings import listing_scenarios
from catalog_app.taxonomy.services import is_cluster

bp = api_blueprint("api_taxonomy", __name__, url_prefix="/api/v1",
               description="Reference terms used by the filters and the request bodies")


def _scenarios():
    return db.session.scalars(sa.select(Scenario).join(Scenario.stage).options(joinedload(Scenario.stage))
                              .order_by(ScenarioStage.position, Scenario.position))


@bp.route("/taxonomy/industries", endpoint="industries", methods=["GET"])
@bp.response(200, IndustrySchema(many=True))
@bp.doc(operationId="list_industries", summary="Industry clusters (codes for `industry`), with their GB/T 4754 codes")
def industries():
    return db.session.scalars(sa.select(Industry).where(is_cluster()).options(joinedload(Industry.parent))
                              .order_by(Industry.id))


@bp.route("/taxonomy/scenarios", endpoint="taxonomy_scenarios", methods=["GET"])
@bp.response(200, ScenarioSchema(many=True))
@bp.doc(operationId="list_taxonomy_scenarios", summary="Scenarios by value-chain stage (slugs for `scenario`)")
def taxonomy_scenarios():
    return _scenarios()


@bp.route("/taxonomy/technologies", endpoint="technologies", methods=["GET"])
@bp.response(200, TechnologyRefSchema(many=True))
@bp.doc(operationId="list_technologies", summary="Technologies (slugs for `technology`)")
def technologies():
    return db.session.scalars(sa.select(Technology).order_by(Technology.id))


@bp.route("/taxonomy/regions", endpoint="regions", methods=["GET"])
@bp.response(200, RegionSchema(many=True))
@bp.doc(operationId="list_regions", summary="Cities and districts of Guangdong (codes for `region`)")
def regions():
    return db.session.scalars(sa.select(Region).options(joinedload(Region.parent)).order_by(Region.code))


@bp.route("/scenarios", endpoint="scenarios", methods=["GET"])
@bp.response(200, ScenarioSchema(many=True))
@bp.doc(operationId="list_scenarios", summary="The scenario reference list")
def scenarios():
    return _scenarios()


@bp.route("/scenarios/<string:slug>", endpoint="scenario", methods=["GET"])
@bp.response(200, ScenarioDetailSchema)
@bp.doc(operationId="get_scenario", summary="One scenario with its pain points and counts")
def scenario(slug: str):
    found = db.session.scalar(sa.select(Scenario).where(Scenario.slug == slug[:80])
                              .options(joinedload(Scenario.stage)))
    if found is None:
        raise NotFound()
    listing_count = db.session.scalar(
        public_listings().with_only_columns(sa.func.count(sa.distinct(Listing.id)))
        .where(Listing.id.in_(sa.select(listing_scenarios.c.listing_id)
                              .where(listing_scenarios.c.scenario_id == found.id)))) or 0
    demand_count = db.session.scalar(
        public_demands().with_only_columns(sa.func.count(sa.distinct(Demand.id)))
        .where(Demand.id.in_(sa.select(demand_scenarios.c.demand_id)
                             .where(demand_scenarios.c.scenario_id == found.id)))) or 0
    return WithCounts(found, listing_count=listing_count, demand_count=demand_count)
