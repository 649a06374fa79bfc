"""The demo data set: counts, coverage, validity, determinism, variety and the CLI.

Scale 1 is loaded once per module (about a second) into its own in-memory app; the
tests only read from it.
"""
from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
import sqlalchemy as sa

from catalog_app.accounts.passwords import verify_password
from catalog_app.demo.services import load_demo_data
from catalog_app.extensions import db
from catalog_app.models import (Case, CaseOutcome, Confidentiality, Demand, DemandStatus, Listing, ListingKind,
                                ListingStatus, Organization, OrganizationKind, OrganizationTier, Product, Region,
                                Scenario, Solution, User)
from catalog_app.models._types import utcnow
from catalog_app.models.demands import demand_scenarios
from catalog_app.models.listings import (listing_industries, listing_links, listing_scenarios,
                                         listing_technologies)
from catalog_app.credit_code import is_valid_credit_code
from tests.conftest import fresh_app


@pytest.fixture(scope="module")
def loaded():
    """An app with scale-1 demo data loaded through the CLI; yields (app, cli output)."""
    app = fresh_app()
    result = app.test_cli_runner().invoke(args=["demo", "load", "--seed", "7"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        yield app, result.output
        db.session.remove()


def count(model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def test_scale_one_counts(loaded):
    assert count(Organization) >= 150
    assert count(Solution) >= 300
    assert count(Product) >= 500
    assert count(Case) >= 120
    assert count(Demand) >= 100


def test_organizations_cover_kinds_tiers_and_cities(loaded):
    orgs = db.session.scalars(sa.select(Organization)).all()
    assert {o.kind for o in orgs} == set(OrganizationKind)
    assert {o.tier for o in orgs} == set(OrganizationTier)
    cities = {o.region.city.code for o in orgs}
    assert len(cities) >= 12
    per_city = Counter(o.region.city.name_zh for o in orgs)
    assert {name for name, _ in per_city.most_common(4)} <= {"广州市", "深圳市", "佛山市", "东莞市", "中山市"}
    suppliers = [o for o in orgs if o.kind is OrganizationKind.SUPPLIER]
    assert sum(o.is_verified for o in suppliers) > len(suppliers) * 0.7
    assert all(o.description and o.contact_phone and o.contact_email.endswith("example.com") for o in orgs)
    assert any(o.region.name_zh == "花都区" for o in orgs)


def test_credit_codes_valid_unique_and_regional(loaded):
    rows = db.session.execute(sa.select(Organization.credit_code, Region.code).join(Region)).all()
    assert all(is_valid_credit_code(code) for code, _ in rows)
    assert all(code[2:8] == region_code for code, region_code in rows)
    assert len({code for code, _ in rows}) == len(rows)


def test_every_scenario_has_listings_and_a_demand(loaded):
    listings_per = Counter(db.session.scalars(sa.select(listing_scenarios.c.scenario_id)))
    demands_per = Counter(db.session.scalars(sa.select(demand_scenarios.c.scenario_id)))
    for scenario_id in db.session.scalars(sa.select(Scenario.id)):
        assert listings_per[scenario_id] >= 2
        assert demands_per[scenario_id] >= 1


def test_listing_links_within_bounds(loaded):
    for table, low, high in ((listing_scenarios, 1, 2), (listing_technologies, 1, 3), (listing_industries, 1, 3)):
        per_listing = Counter(db.session.scalars(sa.select(table.c.listing_id)))
        assert len(per_listing) == count(Listing), table.name
        assert low <= min(per_listing.values()) and max(per_listing.values()) <= high, table.name


def test_statuses_dates_and_featured(loaded):
    listings = db.session.scalars(sa.select(Listing)).all()
    statuses = Counter(listing.status for listing in listings)
    assert set(statuses) == set(ListingStatus)
    assert statuses[ListingStatus.PUBLISHED] > len(listings) * 0.7
    now, today = utcnow(), utcnow().date()
    published = [x for x in listings if x.status is ListingStatus.PUBLISHED]
    assert all(now - timedelta(days=560) < x.published_at <= now + timedelta(days=1) for x in published)
    assert all(x.expires_at > today for x in published)
    oldest = min(x.published_at for x in published)
    assert oldest < now - timedelta(days=360), "published dates should span well over a year"
    assert any(x.is_featured for x in published)
    products = [x for x in listings if x.kind is ListingKind.PRODUCT]
    assert all(x.model_number and x.price_text for x in products)


def test_cases_have_consistent_outcomes_and_links(loaded):
    cases = db.session.scalars(sa.select(Case)).all()
    links = dict(db.session.execute(sa.select(listing_links.c.from_listing_id, listing_links.c.to_listing_id)).all())
    owners = dict(db.session.execute(sa.select(Listing.id, Listing.organization_id)).all())
    for case in cases:
        assert 2 <= len(case.outcomes) <= 4
        assert case.customer_name and case.problem and case.deployment
        for outcome in case.outcomes:
            assert outcome.before_value != outcome.after_value and outcome.unit
            assert f"{outcome.before_value:g}" in case.body
        assert owners[links[case.id]] == case.organization_id
        assert {x.kind for x in case.linked} <= {ListingKind.SOLUTION, ListingKind.PRODUCT}
    units = set(db.session.scalars(sa.select(CaseOutcome.unit)))
    assert {"天", "%", "万元/年", "ppm", "件/小时"} <= units


def test_demands_budgets_deadlines_challenges_confidentiality(loaded):
    demands = db.session.scalars(sa.select(Demand)).all()
    today = utcnow().date()
    assert all(d.deadline > today for d in demands)
    assert all(d.budget_min <= d.budget_max for d in demands if d.budget_min is not None)
    challenges = [d for d in demands if d.is_challenge]
    assert 0.1 < len(challenges) / len(demands) < 0.3
    assert all(d.prize_amount and today < d.challenge_deadline <= d.deadline for d in challenges)
    secret = [d for d in demands if d.confidentiality is Confidentiality.SUMMARY_ONLY]
    assert secret and all(d.confidential_details and d.summary for d in secret)
    assert all(not d.confidential_details for d in demands if d.confidentiality is Confidentiality.PUBLIC)
    assert {DemandStatus.PUBLISHED, DemandStatus.DRAFT, DemandStatus.PENDING_REVIEW} <= {d.status for d in demands}


def test_demo_users_share_the_documented_password(loaded):
    users = {u.email: u for u in db.session.scalars(sa.select(User))}
    for email in ("admin@demo.example.com", "moderator@demo.example.com",
                  "enterprise1@demo.example.com", "supplier1@demo.example.com"):
        assert email in users
    assert verify_password(users["admin@demo.example.com"].password_hash, "demo12345")
    assert len({u.password_hash for u in users.values()}) == 1, "hash once, reuse"
    assert users["supplier1@demo.example.com"].organization.kind is OrganizationKind.SUPPLIER


def test_texts_vary(loaded):
    titles = list(db.session.scalars(sa.select(Listing.title)))
    duplicates = len(titles) - len(set(titles))
    assert duplicates < len(titles) * 0.05
    summaries = list(db.session.scalars(sa.select(Listing.summary)))
    assert len({s[:8] for s in summaries}) > len(summaries) * 0.6
    inspection = db.session.scalar(sa.select(Scenario).where(Scenario.slug == "online-intelligent-inspection"))
    inspection_titles = db.session.scalars(
        sa.select(Listing.title).join(listing_scenarios).where(listing_scenarios.c.scenario_id == inspection.id)
    ).all()
    synonyms = ("视觉检测", "机器视觉", "外观缺陷", "AOI", "瑕疵", "AI质检")
    assert len({s for s in synonyms for t in inspection_titles if s in t}) >= 4
    demand_titles = list(db.session.scalars(sa.select(Demand.title)))
    assert len(set(demand_titles)) > len(demand_titles) * 0.9


def test_if_empty_leaves_a_loaded_database_alone(loaded):
    app, _ = loaded
    before = count(Listing), count(Organization)
    result = app.test_cli_runner().invoke(args=["demo", "load", "--if-empty"])
    assert result.exit_code == 0
    assert "already" in result.output
    assert (count(Listing), count(Organization)) == before


def test_same_seed_same_titles_other_seed_other_titles(loaded):
    def titles_for(seed: int) -> list[str]:
        app = fresh_app()
        with app.app_context():
            load_demo_data(scale=1, seed=seed)
            titles = list(db.session.scalars(sa.select(Listing.title).order_by(Listing.id)))
            db.session.remove()
        return titles

    first = list(db.session.scalars(sa.select(Listing.title).order_by(Listing.id)))
    assert titles_for(7) == first
    assert titles_for(8) != first


def test_if_empty_loads_an_empty_database(runner):
    result = runner.invoke(args=["demo", "load", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert count(Organization) >= 150


@pytest.mark.parametrize("scale", ["0", "-3"])
def test_bad_scale_exits_nonzero_with_message(runner, scale):
    result = runner.invoke(args=["demo", "load", "--scale", scale])
    assert result.exit_code != 0
    assert "--scale" in result.output and "at least 1" in result.output


def test_scale_two_doubles_and_appends(app):
    load_demo_data(scale=2, seed=3)
    assert count(Listing) == 2 * 920
    assert count(Organization) == 2 * 160
    load_demo_data(scale=1, seed=4)  # a second load appends with fresh ids and codes
    assert count(Organization) == 3 * 160
    codes = list(db.session.scalars(sa.select(Organization.credit_code)))
    assert len(set(codes)) == len(codes)


@pytest.mark.postgres
def test_postgres_load_moves_sequences_past_bulk_ids(pg_app):
    assert db.engine.dialect.name == "postgresql"
    counts = load_demo_data(scale=1, seed=5)
    assert counts["listings"] == 920
    # Ids were assigned in Python; ordinary ORM inserts afterwards must not collide with them.
    org = db.session.scalars(sa.select(Organization).limit(1)).one()
    solution = Solution(organization=org, title="序列检查方案", status=ListingStatus.DRAFT)
    db.session.add(solution)
    db.session.commit()
    assert solution.id > 920
