"""Who may act on a recommendation."""
from __future__ import annotations

from catalog_app.accounts.permissions import is_member_of, is_supplier_member
from catalog_app.models import Demand, Listing


def can_dismiss_match(user, demand: Demand, listing: Listing) -> bool:
    """The demand's enterprise or the listing's supplier may dismiss the pair for good.

    Each side must also be one the user may see: their own, or public. Otherwise a member
    could dismiss their listing against another organization's draft demand, and the
    different answer (done versus not found) would tell that the draft exists.
    """
    owns_demand = is_member_of(user, demand.organization)
    owns_listing = is_member_of(user, listing.organization)
    if not (owns_demand or owns_listing):
        return False
    return (owns_demand or demand.is_public) and (owns_listing or listing.is_public)


def can_see_demand_recommendations(user) -> bool:
    return is_supplier_member(user)
