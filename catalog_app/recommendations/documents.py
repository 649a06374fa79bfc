"""Mapping catalog rows onto the matching engine's documents.

Rows are read with a few Core queries (columns and link tables) rather than ORM objects:
building the index for 100,000 listings must not instantiate 100,000 objects with their
relationships.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import sqlalchemy as sa

from catalog_app.extensions import db
from catalog_app.models import (
    Demand,
    Industry,
    Listing,
    Organization,
    Region,
    Scenario,
    Technology,
)
from catalog_app.models.demands import demand_industries, demand_scenarios, demand_technologies
from catalog_app.models.listings import listing_industries, listing_scenarios, listing_technologies
from catalog_app.models.organizations import organization_industries
from catalog_app.visibility import (
    OPEN_DEMAND_STATUSES,
    demand_text,
    public_demand_condition,
    public_demand_text,
    visible_listing_condition,
)
from matching import Document, Query

def _city_names() -> dict[int, str]:
    """Region id -> its city's Chinese name (districts roll up to their city)."""
    parent = sa.orm.aliased(Region)
    rows = db.session.execute(
        sa.select(Region.id, sa.func.coalesce(parent.name_zh, Region.name_zh))
        .outerjoin(parent, Region.parent_id == parent.id)
    )
    return dict(rows.all())


def _names_by_owner(link: sa.Table, owner_column: str, term_model, term_column: str,
                    owner_ids: list[int]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = defaultdict(list)
    owner_col = link.c[owner_column]
    for chunk_start in range(0, len(owner_ids), 5000):
        chunk = owner_ids[chunk_start:chunk_start + 5000]
        rows = db.session.execute(
            sa.select(owner_col, term_model.name_zh)
            .join(term_model, term_model.id == link.c[term_column])
            .where(owner_col.in_(chunk))
        )
        for owner_id, name in rows:
            names[owner_id].append(name)
    return names


def _taxonomy(kind: str, ids: list[int]) -> dict[str, dict[int, list[str]]]:
    if kind == "listing":
        links = (("industry", listing_industries, "industry_id", Industry),
                 ("scenario", listing_scenarios, "scenario_id", Scenario),
                 ("technology", listing_technologies, "technology_id", Technology))
        owner = "listing_id"
    else:
        links = (("industry", demand_industries, "industry_id", Industry),
                 ("scenario", demand_scenarios, "scenario_id", Scenario),
                 ("technology", demand_technologies, "technology_id", Technology))
        owner = "demand_id"
    return {facet: _names_by_owner(table, owner, model, column, ids) for facet, table, column, model in links}


def _document(doc_id: int, *, title: str, summary: str, text: str, keywords: str,
              facets: dict[str, dict[int, list[str]]], city: str | None, owner: int,
              verified: bool, kind: str) -> Document:
    attributes = {facet: names.get(doc_id, ()) for facet, names in facets.items()}
    if city:
        attributes["region"] = (city,)
    tags = tuple(t for t in keywords.replace("，", ",").replace("、", ",").split(",") if t.strip())
    return Document(id=str(doc_id), title=title, summary=summary, text=text, tags=tags,
                    attributes=attributes, owner=str(owner), verified=verified, kind=kind)


def listing_documents(listing_ids: Iterable[int] | None = None) -> list[Document]:
    """Documents for visible listings (all of them, or only those among `listing_ids`)."""
    statement = (
        sa.select(Listing.id, Listing.kind, Listing.title, Listing.summary, Listing.body,
                  Listing.keywords, Listing.problem, Listing.deployment, Listing.organization_id,
                  Organization.is_verified, Organization.region_id)
        .join(Organization, Organization.id == Listing.organization_id)
        .where(visible_listing_condition())
    )
    if listing_ids is not None:
        statement = statement.where(Listing.id.in_(list(listing_ids)))
    rows = db.session.execute(statement).all()
    facets = _taxonomy("listing", [row.id for row in rows])
    cities = _city_names()
    return [
        _document(
            row.id, title=row.title, summary=row.summary or "",
            text="\n".join(part for part in (row.body, row.problem, row.deployment) if part),
            keywords=row.keywords or "", facets=facets, city=cities.get(row.region_id),
            owner=row.organization_id, verified=bool(row.is_verified), kind=row.kind.value,
        )
        for row in rows
    ]


def demand_documents(demand_ids: Iterable[int] | None = None) -> list[Document]:
    """Documents for public demands, built from their public text only (`visibility`).

    The index answers keyword search and supplier recommendations for anyone, so a
    summary-only demand contributes its title and summary and nothing it withholds; the
    confidential details are never read.

    Solved demands stay searchable; recommendations keep only the open ones, with
    `kind` telling them apart ("demand" open, "demand-closed" otherwise).
    """
    statement = (
        sa.select(Demand.id, Demand.title, Demand.summary, Demand.background, Demand.requirements,
                  Demand.expected_outcomes, Demand.confidentiality, Demand.organization_id, Demand.region_id,
                  Demand.status)
        .where(public_demand_condition())
    )
    if demand_ids is not None:
        statement = statement.where(Demand.id.in_(list(demand_ids)))
    rows = db.session.execute(statement).all()
    facets = _taxonomy("demand", [row.id for row in rows])
    cities = _city_names()
    documents = []
    for row in rows:
        text = public_demand_text(row)
        documents.append(_document(
            row.id, title=text.title, summary=text.summary,
            text="\n".join(p for p in (text.background, text.requirements, text.expected_outcomes) if p),
            keywords="", facets=facets, city=cities.get(row.region_id),
            owner=row.organization_id, verified=False,
            kind="demand" if row.status in OPEN_DEMAND_STATUSES else "demand-closed",
        ))
    return documents


def organization_documents(organization_ids: Iterable[int] | None = None) -> list[Document]:
    """Documents for every organization: name, description and industries, for keyword search."""
    statement = sa.select(Organization.id, Organization.name, Organization.description,
                          Organization.region_id, Organization.kind, Organization.is_verified)
    if organization_ids is not None:
        statement = statement.where(Organization.id.in_(list(organization_ids)))
    rows = db.session.execute(statement).all()
    industries = _names_by_owner(organization_industries, "organization_id", Industry, "industry_id",
                                 [row.id for row in rows])
    cities = _city_names()
    return [
        Document(id=str(row.id), title=row.name, text=row.description or "",
                 attributes={"industry": industries.get(row.id, ()),
                             "region": (cities[row.region_id],) if row.region_id in cities else ()},
                 verified=bool(row.is_verified), kind=row.kind.value)
        for row in rows
    ]


def demand_query(demand: Demand, exclude: Iterable[str] = (), reader=None) -> Query:
    """A demand as a query against the listing index: its text as `reader` may see it, and
    its taxonomy.

    The reasons of the matches quote the query's words, so the query holds only what the
    people who will read those reasons may see: the public text unless `reader` is given
    and may read more (the owner organization on its own demand).
    """
    region = demand.region.city.name_zh if demand.region is not None else None
    text = demand_text(demand, reader).matching_text()
    attributes = {
        "industry": [i.name_zh for i in demand.industries],
        "scenario": [s.name_zh for s in demand.scenarios],
        "technology": [t.name_zh for t in demand.technologies],
    }
    if region:
        attributes["region"] = [region]
    return Query(text=text, attributes=attributes, exclude=frozenset(exclude))
