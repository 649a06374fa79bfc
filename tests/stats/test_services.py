"""Statistics aggregates on small fixtures: cities with districts, tiers, funnel, match quality."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from catalog_app.extensions import db
from catalog_app.models import (
    DemandStatus,
    IntentAgreement,
    ListingKind,
    ListingStatus,
    Match,
    MatchStatus,
    OrganizationKind,
    OrganizationTier,
    ProposalStatus,
    Scenario,
)
from catalog_app.models._types import utcnow
from catalog_app.stats import services


def _by_key(table, series):
    return {row.key if hasattr(row, "key") else row: value
            for row, value in zip(table.rows, table.columns[series])}


def test_counts_by_city_include_districts(app, create_organization, create_listing, create_demand, region):
    huadu = create_organization(region=region("440114"))        # a district of Guangzhou
    guangzhou = create_organization(region=region("440100"))    # the city itself
    shenzhen = create_organization(region=region("440300"))
    create_listing(organization=huadu)
    create_listing(organization=guangzhou)
    create_listing(organization=shenzhen)
    create_listing(organization=shenzhen, status=ListingStatus.DRAFT)
    # A demand located in a district of Shenzhen, posted by a Guangzhou organization.
    create_demand(organization=guangzhou, region=region("440305"))
    create_demand(organization=huadu)
    create_demand(organization=huadu, status=DemandStatus.DRAFT)
    db.session.commit()

    table = services.by_city()
    assert _by_key(table, "listings") == {"440100": 2, "440300": 1}
    assert _by_key(table, "demands") == {"440100": 1, "440300": 1}
    assert _by_key(table, "organizations") == {"440100": 2, "440300": 1}


def test_totals_and_tiers_count_public_rows_only(app, create_organization, create_listing, create_demand):
    leader = create_organization(kind=OrganizationKind.ENTERPRISE, tier=OrganizationTier.CHAIN_LEADER)
    sme = create_organization(tier=OrganizationTier.SME)
    create_listing(ListingKind.CASE, organization=sme)
    create_listing(ListingKind.PRODUCT, organization=sme, status=ListingStatus.PENDING_REVIEW)
    create_demand(organization=leader)
    create_demand(organization=leader, status=DemandStatus.REJECTED)
    db.session.commit()

    totals = services.totals()
    assert (totals["solutions"], totals["products"], totals["cases"], totals["demands"]) == (0, 0, 1, 1)
    assert totals["organizations"] == 2
    tiers = services.by_tier()
    assert tiers.rows == list(OrganizationTier)
    assert _by_key(tiers, "listings")[OrganizationTier.SME] == 1
    assert _by_key(tiers, "demands")[OrganizationTier.CHAIN_LEADER] == 1
    assert _by_key(tiers, "organizations")[OrganizationTier.ONE_PERSON] == 0


def test_growth_is_cumulative_by_month(app, create_listing):
    now = utcnow()
    create_listing().published_at = now - timedelta(days=800)  # before the window: counts in the first month
    create_listing()
    db.session.commit()
    table = services.growth()
    assert len(table.rows) == services.GROWTH_MONTHS
    assert table.rows[-1] == now.strftime("%Y-%m")
    assert table.columns["solutions"][0] == 1
    assert table.columns["solutions"][-1] == 2


def test_funnel_and_median_time_to_first_proposal(app, create_demand, create_proposal):
    now = utcnow()
    fast, slow = create_demand(), create_demand()
    fast.published_at, slow.published_at = now - timedelta(days=10), now - timedelta(days=30)
    create_demand()  # never answered
    create_proposal(fast, submitted_at=fast.published_at + timedelta(days=2))
    create_proposal(fast, submitted_at=fast.published_at + timedelta(days=5), status=ProposalStatus.SHORTLISTED)
    agreed = create_proposal(slow, submitted_at=slow.published_at + timedelta(days=6), status=ProposalStatus.AGREED)
    create_proposal(slow, submitted_at=slow.published_at + timedelta(days=1), status=ProposalStatus.WITHDRAWN)
    db.session.add(IntentAgreement(proposal=agreed, demand_id=slow.id, amount=120))
    db.session.commit()

    funnel = services.funnel()
    assert (funnel.published, funnel.answered, funnel.proposals, funnel.shortlisted, funnel.agreements,
            funnel.agreed_amount) == (3, 2, 3, 2, 1, 120)
    # First live proposals after 2 and 6 days: the withdrawn one (1 day) does not count.
    assert funnel.median_days_to_first_proposal == 4.0


def test_funnel_counts_closed_demands_on_both_sides(app, create_demand, create_proposal):
    """A demand closed after it got proposals stays in the base the answered share is taken of."""
    closed = create_demand(status=DemandStatus.CLOSED)
    closed.published_at = utcnow() - timedelta(days=20)
    create_proposal(closed, submitted_at=closed.published_at + timedelta(days=1))
    create_demand()
    create_demand(status=DemandStatus.DRAFT)
    db.session.commit()
    funnel = services.funnel()
    assert (funnel.published, funnel.answered) == (2, 1)


def test_match_quality_by_scenario(app, create_demand, create_listing):
    scenario = db.session.scalar(sa.select(Scenario).order_by(Scenario.id))
    demand = create_demand(scenarios=[scenario])
    hidden = create_demand(scenarios=[scenario], status=DemandStatus.DRAFT)
    for status in (MatchStatus.CONTACTED, MatchStatus.CONTACTED, MatchStatus.DISMISSED, MatchStatus.SUGGESTED):
        db.session.add(Match(demand=demand, listing=create_listing(), score=1.0, reasons=[], status=status))
    db.session.add(Match(demand=hidden, listing=create_listing(), score=1.0, reasons=[], status=MatchStatus.DISMISSED))
    db.session.commit()

    table = services.match_quality(services.scenario_terms())
    assert _by_key(table, "contacted") == {scenario.slug: 50.0}
    assert _by_key(table, "dismissed") == {scenario.slug: 25.0}
    assert _by_key(table, "suggested") == {scenario.slug: 25.0}
    assert _by_key(table, "viewed") == {scenario.slug: 0.0}
    assert _by_key(table, "matches") == {scenario.slug: 4}  # the draft demand's match is not counted


def test_aggregate_statement_count_does_not_grow(app, create_listing, create_demand, create_proposal, count_queries):
    scenario = db.session.scalar(sa.select(Scenario).order_by(Scenario.id))

    def add(n):
        for _ in range(n):
            demand = create_demand(scenarios=[scenario])
            create_proposal(demand)
            create_listing(ListingKind.CASE, scenarios=[scenario])
        db.session.commit()

    add(1)
    with count_queries() as few:
        services.build_platform_stats()
    add(10)
    with count_queries() as many:
        services.build_platform_stats()
    assert many.count == few.count
