"""Organizations with public content: list, search and detail (no contact details)."""
from __future__ import annotations

from werkzeug.exceptions import BadRequest

from catalog_app.api.arguments import OrganizationArgsSchema
from catalog_app.api.pagination import envelope
from catalog_app.api.routes import api_blueprint
from catalog_app.api.schemas import OrganizationPageSchema, OrganizationSchema
from catalog_app.api.terms import browse_params
from catalog_app.browsing.params import ORGANIZATION_FACETS, InvalidQuery
from catalog_app.organizations import services as organizations

bp = api_blueprint("api_organizations", __name__, url_prefix="/api/v1/organizations",
               description="Enterprises and suppliers with published listings or public demands")


class WithCounts:
    """A row plus counts the schema reads as attributes (the row itself is not changed)."""

    def __init__(self, row, **counts: int):
        self._row = row
        self.__dict__.update(counts)

    def __getattr__(self, name):
        return getattr(self._row, name)


def _with_counts(organization, counts: dict) -> WithCounts:
    return WithCounts(organization, listing_count=counts.get("listings", 0),
                      demand_count=counts.get("demands", 0))


@bp.route("", endpoint="list_organizations", methods=["GET"])
@bp.arguments(OrganizationArgsSchema, location="query", as_kwargs=True)
@bp.response(200, OrganizationPageSchema)
@bp.doc(operationId="list_organizations", summary="Organizations, filtered and searched")
def list_organizations(**_args):
    params = browse_params(ORGANIZATION_FACETS)
    try:
        page = organizations.search_organizations(params, with_facets=False)
    except InvalidQuery as error:
        raise BadRequest(error.message) from error
    body = envelope(page)
    body["items"] = [_with_counts(o, page.counts.get(o.id, {})) for o in page.items]
    return body


@bp.route("/<int(max=2147483647):organization_id>", endpoint="get_organization", methods=["GET"])
@bp.response(200, OrganizationSchema)
@bp.doc(operationId="get_organization", summary="One organization")
def get_organization(organization_id: int):
    detail = organizations.get_organization(organization_id)
    counts = organizations.public_item_counts([organization_id])[organization_id]
    return _with_counts(detail.organization, counts)
