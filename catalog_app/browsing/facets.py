"""Facets: turning `?industry=...` values into filters, and counting results per value.

Counting is one GROUP BY per facet over the already-filtered result set, so a page
costs the same number of statements whatever the number of results or terms.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import aliased

from catalog_app.labels import label
from catalog_app.browsing.params import InvalidQuery
from catalog_app.extensions import db
from catalog_app.models import Industry, OrganizationKind, OrganizationTier, Region, Scenario, Technology
from catalog_app.taxonomy.services import is_cluster
from catalog_app.templating import localized

# Facets backed by a taxonomy table, with the column users see in URLs.
TERM_FACETS = {
    "industry": (Industry, Industry.code),
    "scenario": (Scenario, Scenario.slug),
    "technology": (Technology, Technology.slug),
}
ENUM_FACETS: dict[str, type[enum.Enum]] = {"tier": OrganizationTier, "kind": OrganizationKind}

@dataclass(frozen=True)
class FacetOption:
    """One value of a facet with the number of results carrying it."""

    value: str
    term: object  # a taxonomy row or an enum member
    count: int
    selected: bool = False

    @property
    def label(self) -> str:
        if isinstance(self.term, enum.Enum):
            return label(self.term)
        return localized(self.term)


def resolve_facets(facets: dict[str, str]) -> dict[str, object]:
    """Look the facet values up: taxonomy rows for terms, cities for regions, enum members.

    :param facets: parameter name -> raw value, as validated by `parse_browse_params`.
    :returns: parameter name -> the row or enum member it names.
    :raises InvalidQuery: for a value that names nothing ("未知的筛选条件").
    """
    resolved: dict[str, object] = {}
    for name, value in facets.items():
        if name in TERM_FACETS:
            model, key = TERM_FACETS[name]
            query = sa.select(model).where(key == value)
            if model is Industry:  # a GB/T division is no filter value: the clusters are
                query = query.where(is_cluster())
            found = db.session.scalar(query)
        elif name == "region":
            found = db.session.scalar(sa.select(Region).where(Region.code == value, Region.level == "city"))
        else:
            found = next((member for member in ENUM_FACETS[name] if member.value == value), None)
        if found is None:
            raise InvalidQuery(_("Unknown filter: %(name)s=%(value)s", name=name, value=value[:40]))
        resolved[name] = found
    return resolved


def city_and_district_ids(city: Region):
    """A subquery of the city's id and its districts' ids."""
    return sa.select(Region.id).where(sa.or_(Region.id == city.id, Region.parent_id == city.id))


def count_terms(name: str, link_table, entity_column: str, term_column: str, base, selected):
    """Options of a taxonomy facet: one GROUP BY over the link table."""
    model, key = TERM_FACETS[name]
    link = link_table.c
    hits = sa.func.count(sa.distinct(link[entity_column])).label("hits")
    rows = db.session.execute(
        sa.select(model, hits)
        .join(link_table, link[term_column] == model.id)
        .where(link[entity_column].in_(sa.select(base.c.id)))
        .where(is_cluster() if model is Industry else sa.true())
        .group_by(model.id)
        .order_by(hits.desc(), model.id)
    ).all()
    return [FacetOption(getattr(term, key.key), term, count, term.id == getattr(selected, "id", None))
            for term, count in rows]


def count_cities(base, selected):
    """Options of the city facet; a district's results count for its city."""
    location = aliased(Region)
    city = aliased(Region)
    hits = sa.func.count(sa.distinct(base.c.id)).label("hits")
    rows = db.session.execute(
        sa.select(city, hits)
        .select_from(base)
        .join(location, location.id == base.c.region_id)
        .join(city, city.id == sa.func.coalesce(location.parent_id, location.id))
        .group_by(city.id)
        .order_by(hits.desc(), city.id)
    ).all()
    return [FacetOption(term.code, term, count, term.id == getattr(selected, "id", None)) for term, count in rows]


def count_enum(name: str, base, selected):
    """Options of an enum facet (organization tier or kind), in the enum's own order."""
    column = base.c[name]
    counts = dict(db.session.execute(sa.select(column, sa.func.count()).group_by(column)).all())
    return [
        FacetOption(member.value, member, counts[member], member is selected)
        for member in ENUM_FACETS[name]
        if counts.get(member)
    ]
