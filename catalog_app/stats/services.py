"""Platform statistics: totals, growth, breakdowns, the demand-to-deal funnel, match quality.

Every figure is a SQL aggregate (GROUP BY, COUNT, window functions): the statements
issued do not depend on the number of rows. Only public rows count (visible listings,
public demands, live proposals), and no text of a demand or proposal is ever read, so
confidential details cannot reach a chart. The results are plain values (`Term`,
enum members, numbers) rather than ORM rows so that `stats.cache` can keep them across
requests and render them in any language.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from catalog_app.extensions import db
from catalog_app.models import (
    PUBLIC_DEMAND_STATUSES,
    Demand,
    Industry,
    Listing,
    ListingKind,
    Match,
    MatchStatus,
    Organization,
    OrganizationTier,
    Proposal,
    ProposalStatus,
    Region,
    Scenario,
    User,
)
from catalog_app.models.demands import demand_industries, demand_scenarios
from catalog_app.models.listings import listing_industries
from catalog_app.proposals.services import deal_counts
from catalog_app.visibility import visible_listing_condition
from catalog_app.scenarios.services import counts_by_scenario
from catalog_app.taxonomy.services import gbt_codes, is_cluster
from catalog_app.stats.headline import headline_figures
from catalog_app.portable_sql import days_between, medians, month_of
from catalog_app.i18n import is_english

GROWTH_MONTHS = 24
LISTING_SERIES = {ListingKind.SOLUTION: "solutions", ListingKind.PRODUCT: "products", ListingKind.CASE: "cases"}


@dataclass(frozen=True)
class Term:
    """A taxonomy term (city, industry, scenario) detached from the session."""

    key: str
    name_zh: str
    name_en: str
    reference: str = ""  # an industry cluster's GB/T 4754 codes ("C36 C38"), for the CSV export

    def localized_name(self, locale: str | None) -> str:
        return self.name_en if is_english(locale) else self.name_zh


@dataclass
class Table:
    """Rows (terms, enum members, months or stage keys) and one column of numbers per series."""

    rows: list = field(default_factory=list)
    columns: dict[str, list] = field(default_factory=dict)

    @classmethod
    def from_counts(cls, counts_by_series: dict[str, dict], order: list | None = None) -> "Table":
        """Merge {series: {row: count}} into aligned columns; rows by total, descending."""
        rows = order if order is not None else sorted(
            {row for counts in counts_by_series.values() for row in counts},
            key=lambda row: (-sum(counts.get(row, 0) for counts in counts_by_series.values()), str(row)))
        return cls(rows=list(rows), columns={series: [counts.get(row, 0) for row in rows]
                                             for series, counts in counts_by_series.items()})


@dataclass
class Funnel:
    published: int
    answered: int
    proposals: int
    shortlisted: int
    agreements: int
    agreed_amount: int  # 万元
    median_days_to_first_proposal: float | None


@dataclass
class PlatformStats:
    totals: dict[str, int]
    tables: dict[str, Table]
    funnel: Funnel
    open_demands: int = 0
    unmet_demands: int = 0


def _term(_row_id, code, name_zh, name_en) -> Term:
    """A Term from a (id, code or slug, name_zh, name_en) row; the id only keeps rows apart in GROUP BY."""
    return Term(str(code), name_zh, name_en)


def public_listing_ids() -> sa.Select:
    return sa.select(Listing.id).where(visible_listing_condition())


def public_demand_ids() -> sa.Select:
    return sa.select(Demand.id).where(Demand.status.in_(PUBLIC_DEMAND_STATUSES))


def totals() -> dict[str, int]:
    """The headline figures (`stats.headline`, the same as the home page's) and registered users."""
    users = db.session.scalar(sa.select(sa.func.count(User.id)).where(User.is_active.is_(True)))
    return {**headline_figures().as_dict(), "users": int(users)}


def _months_back(last: str, count: int) -> list[str]:
    year, month = (int(part) for part in last.split("-"))
    months = []
    for _ in range(count):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def growth(today: date | None = None) -> Table:
    """Cumulative totals at the end of each of the last GROWTH_MONTHS months (four GROUP BYs)."""
    today = today or date.today()
    new_by_series: dict[str, dict[str, int]] = {series: {} for series in
                                                [*LISTING_SERIES.values(), "demands", "organizations", "users"]}
    listing_month = month_of(Listing.published_at)
    for kind, month, count in db.session.execute(
        sa.select(Listing.kind, listing_month, sa.func.count())
        .where(visible_listing_condition(), Listing.published_at.is_not(None))
        .group_by(Listing.kind, listing_month)
    ):
        new_by_series[LISTING_SERIES[kind]][month] = count
    for series, column, conditions in (
        ("demands", Demand.published_at, (Demand.status.in_(PUBLIC_DEMAND_STATUSES), Demand.published_at.is_not(None))),
        ("organizations", Organization.created_at, ()),
        ("users", User.created_at, (User.is_active.is_(True),)),
    ):
        month = month_of(column)
        new_by_series[series] = dict(db.session.execute(
            sa.select(month, sa.func.count()).select_from(column.class_).where(*conditions).group_by(month)).all())
    months = _months_back(f"{today.year:04d}-{today.month:02d}", GROWTH_MONTHS)
    first_shown = months[0]
    columns = {}
    for series, by_month in new_by_series.items():
        running = sum(count for month, count in by_month.items() if month and month < first_shown)
        values = []
        for month in months:  # a loop over months, not rows
            running += by_month.get(month, 0)
            values.append(running)
        columns[series] = values
    return Table(rows=months, columns=columns)


def _count_by_city(entity, id_column, region_column, *conditions) -> dict[Term, int]:
    """Rows of `entity` per city; a row located in a district counts for its city."""
    location, city = aliased(Region), aliased(Region)
    city_columns = (city.id, city.code, city.name_zh, city.name_en)
    statement = (
        sa.select(*city_columns, sa.func.count(sa.distinct(id_column)))
        .select_from(entity)
    )
    if entity is not Organization:
        statement = statement.join(Organization, Organization.id == entity.organization_id)
    rows = db.session.execute(
        statement.join(location, location.id == region_column)
        .join(city, city.id == sa.func.coalesce(location.parent_id, location.id))
        .where(*conditions)
        .group_by(*city_columns)
    )
    return {_term(*row[:4]): row[4] for row in rows}


def by_city() -> Table:
    """Public listings (where the supplier is), public demands and organizations per city."""
    return Table.from_counts({
        "listings": _count_by_city(Listing, Listing.id, Organization.region_id, visible_listing_condition()),
        "demands": _count_by_city(Demand, Demand.id, sa.func.coalesce(Demand.region_id, Organization.region_id),
                                  Demand.status.in_(PUBLIC_DEMAND_STATUSES)),
        "organizations": _count_by_city(Organization, Organization.id, Organization.region_id),
    })


def _industry_counts(link, owner_column: str, owner_ids: sa.Select) -> dict[Term, int]:
    rows = db.session.execute(
        sa.select(Industry.id, Industry.code, Industry.name_zh, Industry.name_en, sa.func.count())
        .join(link, link.c.industry_id == Industry.id)
        .where(link.c[owner_column].in_(owner_ids), is_cluster())
        .group_by(Industry.id, Industry.code, Industry.name_zh, Industry.name_en)
    )
    return {Term(row.code, row.name_zh, row.name_en, " ".join(gbt_codes(row.code))): row[4] for row in rows}


def by_industry() -> Table:
    return Table.from_counts({
        "listings": _industry_counts(listing_industries, "listing_id", public_listing_ids()),
        "demands": _industry_counts(demand_industries, "demand_id", public_demand_ids()),
    })


def scenario_terms() -> dict[int, Term]:
    """Every scenario as a Term, by id, in the reference list's order."""
    rows = db.session.execute(sa.select(Scenario.id, Scenario.slug, Scenario.name_zh, Scenario.name_en)
                              .order_by(Scenario.stage_id, Scenario.position, Scenario.id))
    return {row[0]: _term(*row) for row in rows}


def by_scenario(terms: dict[int, Term]) -> Table:
    """Public solutions, products, cases and demands per scenario (reuses the scenario pages' counts)."""
    counts = counts_by_scenario()
    series: dict[str, dict[Term, int]] = {name: {} for name in [*LISTING_SERIES.values(), "demands"]}
    for scenario_id, scenario_counts in counts.items():
        term = terms[scenario_id]
        for kind, name in LISTING_SERIES.items():
            series[name][term] = scenario_counts.by_kind.get(kind, 0)
        series["demands"][term] = scenario_counts.demands
    return Table.from_counts(series)


def by_tier() -> Table:
    """Organizations, public listings and public demands by the organization's size tier."""
    def grouped(statement) -> dict:
        return dict(db.session.execute(statement.group_by(Organization.tier)).all())

    return Table.from_counts({
        "organizations": grouped(sa.select(Organization.tier, sa.func.count(Organization.id))),
        "listings": grouped(sa.select(Organization.tier, sa.func.count(Listing.id))
                            .join(Listing, Listing.organization_id == Organization.id)
                            .where(visible_listing_condition())),
        "demands": grouped(sa.select(Organization.tier, sa.func.count(Demand.id))
                           .join(Demand, Demand.organization_id == Organization.id)
                           .where(Demand.status.in_(PUBLIC_DEMAND_STATUSES))),
    }, order=list(OrganizationTier))


def funnel() -> Funnel:
    """From published demands to intent agreements (three statements).

    Answered, proposals, agreements and the amount are the home page's `deal_counts`, so
    the two pages never disagree; withdrawn proposals never count. "Published" counts every
    demand that was ever published, closed ones included, as "answered" does: otherwise a
    closed demand's proposals would count against a base that left it out.
    """
    deals = deal_counts()
    live = Proposal.status != ProposalStatus.WITHDRAWN
    published, shortlisted = db.session.execute(sa.select(
        sa.select(sa.func.count(Demand.id)).where(Demand.published_at.is_not(None)).scalar_subquery(),
        # An agreed proposal was shortlisted first.
        sa.select(sa.func.count(Proposal.id)).where(
            Proposal.status.in_((ProposalStatus.SHORTLISTED, ProposalStatus.AGREED))).scalar_subquery(),
    )).one()
    first_proposal = (
        sa.select(Proposal.demand_id, sa.func.min(Proposal.submitted_at).label("first_at"))
        .where(live).group_by(Proposal.demand_id).subquery()
    )
    values = (
        sa.select(sa.literal(1).label("group_key"),
                  days_between(Demand.published_at, first_proposal.c.first_at).label("value"))
        .join(first_proposal, first_proposal.c.demand_id == Demand.id)
        .where(Demand.published_at.is_not(None), Demand.status.in_(PUBLIC_DEMAND_STATUSES))
    )
    median = medians(values).get(1)
    return Funnel(published=int(published), answered=deals.demands_answered, proposals=deals.proposals,
                  shortlisted=int(shortlisted), agreements=deals.agreements, agreed_amount=deals.agreement_amount,
                  median_days_to_first_proposal=round(max(median[0], 0.0), 1) if median else None)


def funnel_table(numbers: Funnel) -> Table:
    return Table(rows=["published", "answered", "proposals", "shortlisted", "agreements"],
                 columns={"count": [numbers.published, numbers.answered, numbers.proposals,
                                    numbers.shortlisted, numbers.agreements]})


def match_quality(terms: dict[int, Term]) -> Table:
    """Shares (percent) of the stored matches of public demands per scenario by status,
    and their number (column "matches"); one GROUP BY, busiest scenarios first."""
    rows = db.session.execute(
        sa.select(demand_scenarios.c.scenario_id, Match.status, sa.func.count(Match.id))
        .join(demand_scenarios, demand_scenarios.c.demand_id == Match.demand_id)
        .where(Match.demand_id.in_(public_demand_ids()))
        .group_by(demand_scenarios.c.scenario_id, Match.status)
    )
    statuses = (MatchStatus.CONTACTED, MatchStatus.VIEWED, MatchStatus.SUGGESTED, MatchStatus.DISMISSED)
    counts: dict[MatchStatus, dict[Term, int]] = {status: {} for status in statuses}
    totals: dict[Term, int] = {}
    for scenario_id, status, count in rows:
        term = terms[scenario_id]
        counts[status][term] = count
        totals[term] = totals.get(term, 0) + count
    order = sorted(totals, key=lambda term: (-totals[term], term.key))
    columns = {status.value: [round(counts[status].get(term, 0) * 100.0 / totals[term], 1) for term in order]
               for status in statuses}
    columns["matches"] = [totals[term] for term in order]
    return Table(rows=order, columns=columns)


def build_platform_stats() -> PlatformStats:
    """Every aggregate of the statistics page except the unmet-demand map (`stats.unmet`)."""
    terms = scenario_terms()
    numbers = funnel()
    return PlatformStats(
        totals=totals(),
        tables={
            "growth": growth(),
            "cities": by_city(),
            "industries": by_industry(),
            "scenarios": by_scenario(terms),
            "tiers": by_tier(),
            "funnel": funnel_table(numbers),
            "match-quality": match_quality(terms),
        },
        funnel=numbers,
    )
