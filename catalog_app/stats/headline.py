"""The platform's headline figures, defined once: the home page and /stats show these.

Each figure is what the page it links to lists, so a visitor who clicks "入驻机构 134"
finds 134 organizations:

* solutions, products, cases: visible listings per kind, counted by the facet index as
  the list pages count them (published and not expired);
* demands: public demands (published, in talks or solved), as /demands lists them;
* organizations: organizations with public content (a visible listing or a public
  demand), as /organizations lists them. Registered accounts are a different figure
  (/stats shows "registered users" separately).

Computed once per FIGURES_MAX_AGE_SECONDS (see `catalog_app.figures`), so both pages
read the same numbers.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import sqlalchemy as sa

from catalog_app.catalog.facet_index import listing_facet_index
from catalog_app.extensions import db
from catalog_app.figures import kept
from catalog_app.models import PUBLIC_DEMAND_STATUSES, Demand, ListingKind, Organization
from catalog_app.organizations.services import has_public_content


@dataclass(frozen=True)
class HeadlineFigures:
    solutions: int
    products: int
    cases: int
    demands: int
    organizations: int

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def headline_figures() -> HeadlineFigures:
    """The five headline numbers (one statement plus the facet index's kind counts)."""
    listings = listing_facet_index().kind_counts()
    demands, organizations = kept("headline-counts", lambda: tuple(db.session.execute(
        sa.select(
            sa.select(sa.func.count(Demand.id)).where(Demand.status.in_(PUBLIC_DEMAND_STATUSES)).scalar_subquery(),
            sa.select(sa.func.count(Organization.id)).where(has_public_content()).scalar_subquery(),
        )
    ).one()))
    return HeadlineFigures(solutions=listings[ListingKind.SOLUTION], products=listings[ListingKind.PRODUCT],
                           cases=listings[ListingKind.CASE], demands=int(demands), organizations=int(organizations))
