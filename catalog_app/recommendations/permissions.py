"""Who may act on a recommendation."""
from __future__ import annotations

from catalog_app.accounts.permissions import is_member_of, is_supplier_member
from catalog_app.models import Demand, Listing


def can_dismiss_match(user, demand: Demand, listing: Listing) -> bool:
    """The demand's enterprise or the listing's supplier may dismiss the pair for good."""
    return is_member_of(user, demand.organization) or is_member_of(user, listing.organization)


def can_see_demand_recommendations(user) -> bool:
    return is_supplier_member(user)
