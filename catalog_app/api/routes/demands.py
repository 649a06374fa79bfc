"""Demands: the public list and detail (public fields only), posting one with a token, and
the recommendations for one's own demand."""
from __future__ import annotations

from flask import url_for
from werkzeug.exceptions import BadRequest, Forbidden, NotFound

from catalog_app.api.arguments import DemandArgsSchema, DemandBodySchema, RecommendationArgsSchema
from catalog_app.api.errors import validation_error
from catalog_app.api.pagination import envelope
from catalog_app.api.routes.match import dump_recommendations
from catalog_app.api.routes import api_blueprint
from catalog_app.api.schemas import DemandPageSchema, DemandSavedSchema, DemandSchema, RecommendationListSchema
from catalog_app.api.terms import browse_params, resolve_terms, term_ids
from catalog_app.api.tokens import SCOPE_DEMANDS_WRITE, require_scope, token_user
from catalog_app.accounts.permissions import is_member_of
from catalog_app.browsing.params import LISTING_FACETS, InvalidQuery
from catalog_app.demands import permissions
from catalog_app.demands import services as demands
from catalog_app.demands.services import DemandError, DemandInput
from catalog_app.extensions import db
from catalog_app.models import Demand
from catalog_app.recommendations.services import recommend_listings

bp = api_blueprint("api_demands", __name__, url_prefix="/api/v1/demands",
               description="Enterprises' demands (public fields only) and posting demands")
PLAIN_BODY_FIELDS = ("title", "summary", "background", "requirements", "expected_outcomes", "data_available",
                     "confidential_details", "confidentiality", "budget_min", "budget_max", "deadline",
                     "is_challenge", "prize_amount", "challenge_deadline")


@bp.route("", endpoint="list_demands", methods=["GET"])
@bp.arguments(DemandArgsSchema, location="query", as_kwargs=True)
@bp.response(200, DemandPageSchema)
@bp.doc(operationId="list_demands", summary="Public demands, filtered and searched")
def list_demands(**_args):
    params = browse_params(LISTING_FACETS)
    try:
        return envelope(demands.search_demands(params, with_facets=False))
    except InvalidQuery as error:
        raise BadRequest(error.message) from error


@bp.route("/<int(max=2147483647):demand_id>", endpoint="get_demand", methods=["GET"])
@bp.response(200, DemandSchema)
@bp.doc(operationId="get_demand", summary="One public demand")
def get_demand(demand_id: int):
    """A demand published with `summary_only` confidentiality shows its summary only."""
    return demands.get_demand(demand_id).demand


def _input(body: dict) -> DemandInput:
    region = resolve_terms("region", [body["region"]])[0] if body.get("region") else None
    return DemandInput(
        **{name: body[name] for name in PLAIN_BODY_FIELDS},
        industry_ids=term_ids("industries", body.get("industries")),
        scenario_ids=term_ids("scenarios", body.get("scenarios")),
        technology_ids=term_ids("technologies", body.get("technologies")),
        region_id=region.id if region is not None else None,
    )


@bp.route("", endpoint="create_demand", methods=["POST"])
@bp.arguments(DemandBodySchema)
@bp.response(201, DemandSavedSchema)
@bp.doc(operationId="create_demand", summary="Post a demand (draft, or submitted for review)",
        security=[{"bearerAuth": []}])
def create_demand(body: dict):
    """Needs a token with `demands:write` of an enterprise member."""
    user = require_scope(SCOPE_DEMANDS_WRITE)
    if not permissions.can_create_demand(user):
        raise Forbidden("Only enterprise members of an organization can post demands.")
    values = _input(body)
    try:
        result = demands.save_demand(None, values, user, submit=body["submit"],
                                     accept_low_quality=body["accept_low_quality"])
    except DemandError as error:
        raise validation_error({error.field or "_schema": [error.message]}, error.message) from error
    saved = {"outcome": result.outcome.value, "demand": result.demand, "quality": result.report.as_json()}
    return saved, 201, {"Location": url_for("api_demands.get_demand", demand_id=result.demand.id)}


@bp.route("/<int(max=2147483647):demand_id>/recommendations", endpoint="demand_recommendations", methods=["GET"])
@bp.arguments(RecommendationArgsSchema, location="query")
@bp.response(200, RecommendationListSchema)
@bp.doc(operationId="demand_recommendations", summary="Listings recommended for your demand",
        security=[{"bearerAuth": []}])
def demand_recommendations(args: dict, demand_id: int):
    """For members of the demand's organization (any token), in any status, drafts included:
    the reasons quote the demand's text as the caller may read it (`catalog_app.visibility`),
    which for its enterprise members is the full text, not all of it public."""
    user = token_user()
    demand = db.session.get(Demand, demand_id)
    if demand is None or not (user is not None and is_member_of(user, demand.organization)):
        if demand is not None and demand.is_public:
            raise Forbidden("Only the demand's organization sees its recommendations.")
        raise NotFound()
    return {"items": dump_recommendations(recommend_listings(demand, top=args["top"], reader=user))}
