"""The public directory of organizations.

An organization appears once it has something public: a published listing or a
public demand. A fresh registration with nothing reviewed yet stays out of the
directory, so the directory only vouches for what moderators have seen.
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.exceptions import NotFound

from catalog_app.browsing.browse import BrowsePage, BrowseSource, LinkFacet, browse
from catalog_app.browsing.params import ORGANIZATION_FACETS, BrowseParams
from catalog_app.catalog.services import card_options as listing_card_options
from catalog_app.catalog.services import public_listings
from catalog_app.demands.services import card_options as demand_card_options
from catalog_app.demands.services import public_demands
from catalog_app.extensions import db
from catalog_app.figures import kept
from catalog_app.models import PUBLIC_DEMAND_STATUSES, Demand, Listing, ListingStatus, Organization, Region
from catalog_app.models.organizations import organization_industries
from catalog_app.recommendations.services import search_organization_ids
from catalog_app.proposals.services import DealCounts, deal_counts
from catalog_app.read_cache import read_cache


def has_public_content():
    """SQL condition: the organization has a published listing or a public demand."""
    return sa.or_(
        sa.exists().where(Listing.organization_id == Organization.id, Listing.status == ListingStatus.PUBLISHED),
        sa.exists().where(Demand.organization_id == Organization.id, Demand.status.in_(PUBLIC_DEMAND_STATUSES)),
    )


def public_organizations() -> sa.Select:
    return sa.select(Organization).where(has_public_content())


def card_options():
    return (
        joinedload(Organization.region).joinedload(Region.parent),
        selectinload(Organization.industries),
    )


ORGANIZATION_SOURCE = BrowseSource(
    model=Organization,
    statement=public_organizations,
    text_columns=(Organization.name, Organization.description),
    title_column=Organization.name,
    newest_columns=(Organization.created_at,),
    region_column=Organization.region_id,
    link_facets={"industry": LinkFacet(organization_industries, "organization_id", "industry_id")},
    enum_columns={"tier": Organization.tier, "kind": Organization.kind},
    facet_names=ORGANIZATION_FACETS,
    ranked_search=lambda q: search_organization_ids(q),
    ranked_search_public_only=False,  # the engine indexes every organization
    # Read from the database (any node's change moves it), polled: see catalog_app.read_cache.
    version=lambda: read_cache().data_version(),
    name="organizations",
)


def search_organizations(params: BrowseParams, with_facets: bool = True) -> BrowsePage:
    """A page of organizations with public content, matching `params`, with facet counts.

    :raises InvalidQuery: for an unknown facet value.
    :raises NotFound: for a page past the last one.
    """
    page = browse(ORGANIZATION_SOURCE, params, card_options(), with_facets=with_facets)
    page.counts = public_item_counts([organization.id for organization in page.items])
    return page


def public_item_counts(organization_ids: list[int]) -> dict[int, dict[str, int]]:
    """Published listings and public demands per organization: two GROUP BYs, kept as a
    figure (`catalog_app.figures`: plain numbers, per data version, a few seconds at most)."""
    if not organization_ids:
        return {}
    key = f"public-item-counts:{sorted(organization_ids)}"
    return {organization_id: dict(counts)
            for organization_id, counts in kept(key, lambda: _public_item_counts(organization_ids)).items()}


def _public_item_counts(organization_ids: list[int]) -> dict[int, dict[str, int]]:
    counts = {organization_id: {"listings": 0, "demands": 0} for organization_id in organization_ids}
    if not organization_ids:
        return counts
    listing_rows = db.session.execute(
        sa.select(Listing.organization_id, sa.func.count())
        .where(Listing.organization_id.in_(organization_ids), Listing.status == ListingStatus.PUBLISHED)
        .group_by(Listing.organization_id)
    )
    for organization_id, count in listing_rows:
        counts[organization_id]["listings"] = count
    demand_rows = db.session.execute(
        sa.select(Demand.organization_id, sa.func.count())
        .where(Demand.organization_id.in_(organization_ids), Demand.status.in_(PUBLIC_DEMAND_STATUSES))
        .group_by(Demand.organization_id)
    )
    for organization_id, count in demand_rows:
        counts[organization_id]["demands"] = count
    return counts


@dataclass
class OrganizationDetail:
    organization: Organization
    listings: list[Listing]
    demands: list[Demand]
    deals: DealCounts | None = None


def get_organization(organization_id: int) -> OrganizationDetail:
    """An organization with its published listings and public demands.

    :raises NotFound: when the organization is unknown or has nothing public.
    """
    organization = db.session.scalar(
        public_organizations().where(Organization.id == organization_id).options(*card_options())
    )
    if organization is None:
        raise NotFound()
    listings = db.session.scalars(
        public_listings()
        .where(Listing.organization_id == organization.id)
        .options(*listing_card_options())
        .order_by(Listing.kind, Listing.published_at.desc(), Listing.id.desc())
    ).unique()
    demands = db.session.scalars(
        public_demands()
        .where(Demand.organization_id == organization.id)
        .options(*demand_card_options())
        .order_by(Demand.published_at.desc(), Demand.id.desc())
    ).unique()
    return OrganizationDetail(organization=organization, listings=list(listings), demands=list(demands),
                              deals=deal_counts(organization))
