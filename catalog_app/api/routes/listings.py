"""Solutions, products and cases: public list, search and detail; a supplier's own writes."""
from __future__ import annotations

from dataclasses import fields as dataclass_fields
from dataclasses import replace

from flask import url_for
from werkzeug.exceptions import BadRequest, Conflict, Forbidden, NotFound

from catalog_app.api.arguments import ListingArgsSchema, ListingBodySchema, ListingPatchSchema
from catalog_app.api.errors import validation_error
from catalog_app.api.pagination import envelope
from catalog_app.api.routes import api_blueprint
from catalog_app.api.schemas import ListingPageSchema, ListingSchema, OwnListingSchema
from catalog_app.api.terms import browse_params, term_ids
from catalog_app.api.tokens import SCOPE_LISTINGS_WRITE, require_scope
from catalog_app.catalog import services as catalog
from catalog_app.browsing.params import LISTING_FACETS, InvalidQuery
from catalog_app.extensions import db
from catalog_app.listings import permissions
from catalog_app.listings import services as listings
from catalog_app.listings.services import KIND_FIELDS, ListingActionError, ListingInput, OutcomeInput
from catalog_app.models import Listing, ListingKind

bp = api_blueprint("api_listings", __name__, url_prefix="/api/v1",
               description="Published solutions, products and application cases; suppliers' own listings")
WRITE_SECURITY = [{"bearerAuth": []}]
INPUT_FIELDS = {f.name for f in dataclass_fields(ListingInput)}
TERM_FIELDS = {"industries": "industry_ids", "scenarios": "scenario_ids", "technologies": "technology_ids"}


def _search(kind: ListingKind):
    params = browse_params(LISTING_FACETS)
    try:
        return envelope(catalog.search_listings(kind, params, with_facets=False))
    except InvalidQuery as error:
        raise BadRequest(error.message) from error


def _input_of(listing: Listing) -> ListingInput:
    """The saved listing as input values, so a PATCH changes only the fields it sends."""
    plain = {name: getattr(listing, name) for name in listings.PLAIN_FIELDS}
    return ListingInput(
        **plain,
        industry_ids=tuple(t.id for t in listing.industries),
        scenario_ids=tuple(t.id for t in listing.scenarios),
        technology_ids=tuple(t.id for t in listing.technologies),
        outcomes=tuple(OutcomeInput(o.metric, o.label, o.before_value, o.after_value, o.unit)
                       for o in listing.outcomes),
        linked_ids=tuple(other.id for other in listing.linked),
    )


def _merge(kind: ListingKind, base: ListingInput, body: dict) -> ListingInput:
    """Apply a request body to input values; kind-specific fields of another kind are refused."""
    foreign = sorted(name for name in body if name in listings.ALL_KIND_FIELDS and name not in KIND_FIELDS[kind])
    if foreign:
        raise validation_error({name: [f"Not a field of a {kind.value}."] for name in foreign})
    if kind is not ListingKind.CASE and ("outcomes" in body or "linked_ids" in body):
        raise validation_error({name: [f"Not a field of a {kind.value}."]
                                for name in ("outcomes", "linked_ids") if name in body})
    changes = {name: value for name, value in body.items() if name in INPUT_FIELDS}
    for name, target in TERM_FIELDS.items():
        if name in body:
            changes[target] = term_ids(name, body[name])
    if "outcomes" in body:
        changes["outcomes"] = tuple(OutcomeInput(**outcome) for outcome in body["outcomes"])
    if "linked_ids" in body:
        changes["linked_ids"] = tuple(dict.fromkeys(body["linked_ids"]))
    for name in ("summary", "body", "keywords"):  # text columns that are NOT NULL
        if name in changes and changes[name] is None:
            changes[name] = ""
    return replace(base, **changes)


def _refused(error: ListingActionError):
    return validation_error({"_schema": [error.message]}, error.message)


def _own_listing(kind: ListingKind, listing_id: int, user) -> Listing:
    """The user's listing: 404 when it does not exist or is another's unpublished one, 403
    when it is another organization's published listing, 409 when it is archived."""
    listing = db.session.get(Listing, listing_id)
    if listing is None or listing.kind is not kind:
        raise NotFound()
    if not permissions.owns_listing(user, listing):
        if listing.is_public:
            raise Forbidden("This listing belongs to another organization.")
        raise NotFound()
    if not permissions.can_edit_listing(user, listing):
        raise Conflict("Archived listings are read-only.")
    return listing


def _register(section: str, kind: ListingKind) -> None:
    noun = section[:-1]

    @bp.route(f"/{section}", endpoint=f"list_{section}", methods=["GET"])
    @bp.arguments(ListingArgsSchema, location="query", as_kwargs=True)
    @bp.response(200, ListingPageSchema)
    @bp.doc(operationId=f"list_{section}", summary=f"Published {section}, filtered and searched")
    def list_view(**_args):
        """Filters are the catalog's facets; with `q` the matching engine ranks the results."""
        return _search(kind)

    @bp.route(f"/{section}/<int(max=2147483647):listing_id>", endpoint=f"get_{noun}", methods=["GET"])
    @bp.response(200, ListingSchema)
    @bp.doc(operationId=f"get_{noun}", summary=f"One published {noun}")
    def detail_view(listing_id: int):
        return catalog.load_listing(kind, listing_id)

    @bp.route(f"/{section}", endpoint=f"create_{noun}", methods=["POST"])
    @bp.arguments(ListingBodySchema)
    @bp.response(201, OwnListingSchema)
    @bp.doc(operationId=f"create_{noun}", summary=f"Create a {noun} (draft, or submitted for review)",
            security=WRITE_SECURITY)
    def create_view(body: dict):
        """Needs a token with `listings:write` of a supplier member."""
        user = require_scope(SCOPE_LISTINGS_WRITE)
        if not permissions.can_manage_listings(user):
            raise Forbidden("Only supplier members of an organization can create listings.")
        values = _merge(kind, ListingInput(title=body["title"], expires_at=listings.default_expiry()), body)
        try:
            listing = listings.create_listing(kind, values, user)
            if body.get("submit"):
                listings.submit_listing(listing, user)
        except ListingActionError as error:
            raise _refused(error) from error
        return listing, 201, {"Location": url_for(f"api_listings.get_{noun}", listing_id=listing.id)}

    @bp.route(f"/{section}/<int(max=2147483647):listing_id>", endpoint=f"update_{noun}", methods=["PATCH"])
    @bp.arguments(ListingPatchSchema)
    @bp.response(200, OwnListingSchema)
    @bp.doc(operationId=f"update_{noun}", summary=f"Change your own {noun}", security=WRITE_SECURITY)
    def update_view(body: dict, listing_id: int):
        """A change to a published listing waits for a moderator; the approved version stays public.

        The fields not sent keep their values from the edit already waiting, if any, else the listing's.
        """
        user = require_scope(SCOPE_LISTINGS_WRITE)
        listing = _own_listing(kind, listing_id, user)
        values = _merge(kind, _input_of(listings.editable_version(listing)), body)
        try:
            listings.update_listing(listing, values, user)
            if body.get("submit") and listing.status in permissions.SUBMITTABLE:
                listings.submit_listing(listing, user)
        except ListingActionError as error:
            raise _refused(error) from error
        return listing


for _section, _kind in catalog.KIND_BY_SECTION.items():
    _register(_section, _kind)
