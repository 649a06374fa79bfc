"""The demo catalog must be something a buyer would believe: these checks fail on the
contradictions a reader notices (TRL 4 labelled 规模化推广, a PHM solution tagged 数字人直播,
a case in 佛山 for a customer in 东莞, 45 % in the summary and 65 % in the body, budgets
four times wide, the same sentence in a 皮具 and a 家电 listing)."""
from __future__ import annotations

import re
from collections import defaultdict

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from catalog_app.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from catalog_app.demo.services import BUDGET_SPREAD
from catalog_app.extensions import db
from catalog_app.models import (Demand, DemandStatus, Industry, Listing, ListingKind, ListingStatus, MatchFeedback,
                                MaturityStage, Organization, Region, Revision, ReviewDecision, User, Verdict)
from catalog_app.models.demands import demand_industries
from catalog_app.models.listings import listing_industries
from catalog_app.models.organizations import organization_industries
from catalog_app.taxonomy.services import is_cluster
from catalog_app.accounts.passwords import verify_password

# Phrases of the old shared templates; none may come back.
BANNED_TEMPLATES = ("降本增效", "借助")


@pytest.fixture(scope="module")
def loaded(demo_app):
    return demo_app


def _listings(**where):
    query = sa.select(Listing).options(selectinload(Listing.industries), selectinload(Listing.scenarios),
                                       selectinload(Listing.organization))
    return db.session.scalars(query).all()


def test_trl_and_stage_agree(loaded):
    rows = db.session.execute(sa.select(Listing.maturity_trl, Listing.maturity_stage, Listing.kind)).all()
    assert rows
    for trl, stage, kind in rows:
        assert trl is not None and 1 <= trl <= 9
        if trl <= 5:
            assert stage is MaturityStage.PILOT, (trl, stage)
        if stage is MaturityStage.AT_SCALE:
            assert trl >= 8, (trl, stage)
        if kind is ListingKind.CASE:
            assert trl >= 7
    assert {stage for _t, stage, _k in rows} == set(MaturityStage)


def test_pilot_listings_do_not_claim_wide_deployment(loaded):
    for listing in db.session.scalars(sa.select(Listing).where(Listing.maturity_stage == MaturityStage.PILOT)):
        count = re.search(r"已在(\d+)家", listing.summary or "")
        assert count is None or int(count.group(1)) <= 3, listing.summary


def test_budgets_have_a_realistic_spread(loaded):
    budgets = db.session.execute(sa.select(Demand.budget_min, Demand.budget_max)
                                 .where(Demand.budget_min.is_not(None))).all()
    assert len(budgets) > 50
    for low, high in budgets:
        assert high > low, (low, high)  # never "35-35 万元"
        assert high <= low * BUDGET_SPREAD[1] + 5, (low, high)  # never 75-375
    assert len({high / low for low, high in budgets}) > 10


def _text(row, fields) -> str:
    return "\n".join(getattr(row, name) or "" for name in fields)


LISTING_FIELDS = ("title", "summary", "body", "keywords", "problem", "deployment")
DEMAND_FIELDS = ("title", "summary", "background", "requirements", "expected_outcomes")


def test_each_listing_has_one_scenario_and_one_industry_that_its_text_is_about(loaded):
    from catalog_app.demo.services import SCENARIO_WORDS
    from catalog_app.demo.vocabulary.industries import INDUSTRY_PROFILES

    for listing in _listings():
        assert len(listing.scenarios) == 1 and len(listing.industries) == 1, listing.id
        text = _text(listing, LISTING_FIELDS)
        scenario, industry = listing.scenarios[0], listing.industries[0]
        terms = SCENARIO_WORDS.get(scenario.slug, {}).get("terms", [])
        assert scenario.name_zh in text or any(term and term in text for term in terms), (listing.id, scenario.slug)
        profile = INDUSTRY_PROFILES[industry.code]
        words = [profile["label"], profile["short"], *profile["products"].split("|")]
        assert any(word in text for word in words), (listing.id, industry.code)


def test_a_case_names_its_customers_city_only(loaded):
    cities = [name.removesuffix("市") for name in db.session.scalars(
        sa.select(Region.name_zh).where(Region.level == "city"))]
    by_name = {org.name: org for org in db.session.scalars(sa.select(Organization).options(
        selectinload(Organization.region)))}
    checked = 0
    for case in db.session.scalars(sa.select(Listing).where(Listing.kind == ListingKind.CASE)):
        customer = by_name.get(case.customer_name)
        if customer is None:
            continue
        region = customer.region
        home = db.session.get(Region, region.parent_id) if region.parent_id else region
        text = case.title + case.summary + (case.problem or "")
        named = {city for city in cities if city in text and city not in customer.name}
        assert named <= {home.name_zh.removesuffix("市")}, (case.title, customer.name, named)
        checked += 1
    assert checked > 20


CHANGE = re.compile(r"([\u4e00-\u9fffA-Za-z]{2,8}?)(降低|提升|缩短|减少)(\d+(?:\.\d+)?)(%|个百分点)")


def test_a_listing_quotes_each_figure_once(loaded):
    """The same KPI carries the same change everywhere in one listing (title, summary, body)."""
    for listing in db.session.scalars(sa.select(Listing)):
        seen: dict[str, set[str]] = defaultdict(set)
        for label, _verb, number, unit in CHANGE.findall(_text(listing, ("title", "summary", "body"))):
            seen[label].add(number + unit)
        assert all(len(values) == 1 for values in seen.values()), (listing.id, dict(seen))


def _units(text: str) -> list[str]:
    """Sentences (split at 。！？ and line ends); a numbered list counts as one block."""
    text = re.sub(r"\n(?=\d+\. )", " ", text)
    units = []
    for piece in re.split(r"[。！？\n]", text):
        piece = re.sub(r"^\s*(?:\d+\.|•|【[^】]*】)\s*", "", piece).strip()
        if len(piece) >= 8:
            units.append(piece)
    return units


def test_no_sentence_is_shared_across_industries(loaded):
    industries_by_sentence: dict[str, set[str]] = defaultdict(set)
    for model, fields in ((Listing, LISTING_FIELDS[:3] + LISTING_FIELDS[4:]), (Demand, DEMAND_FIELDS)):
        for row in db.session.scalars(sa.select(model).options(selectinload(model.industries))):
            text = _text(row, fields)
            assert not any(phrase in text for phrase in BANNED_TEMPLATES), (model.__name__, row.id)
            for sentence in _units(text):
                industries_by_sentence[sentence].add(row.industries[0].code)
    shared = {s: codes for s, codes in industries_by_sentence.items() if len(codes) > 1}
    assert not shared, list(shared.items())[:5]


def test_every_tag_is_a_cluster(loaded):
    for table in (listing_industries, demand_industries, organization_industries):
        outside = db.session.scalar(sa.select(sa.func.count()).select_from(table)
                                    .join(Industry, Industry.id == table.c.industry_id).where(~is_cluster()))
        assert outside == 0, table.name


def test_most_organizations_have_a_member_and_every_demo_account_signs_in(loaded):
    organizations = db.session.scalar(sa.select(sa.func.count()).select_from(Organization))
    with_member = db.session.scalar(sa.select(sa.func.count(sa.distinct(User.organization_id))))
    assert with_member >= 0.85 * organizations
    users = {u.email: u for u in db.session.scalars(sa.select(User))}
    roles = set()
    for account in DEMO_ACCOUNTS:
        user = users[account.email]
        assert user.role is account.role and verify_password(user.password_hash, DEMO_PASSWORD)
        assert (user.organization_id is None) == (account.organization is None)
        if account.organization is not None:
            assert user.organization.kind is account.organization[0]
        roles.add(account.role)
    assert len(DEMO_ACCOUNTS) == len({a.email for a in DEMO_ACCOUNTS})
    assert {role.value for role in roles} == {"admin", "moderator", "enterprise", "supplier", "expert"}


def test_every_pending_row_has_a_pending_revision(loaded):
    for model, status, type_name in ((Listing, ListingStatus.PENDING_REVIEW, "listing"),
                                     (Demand, DemandStatus.PENDING_REVIEW, "demand")):
        pending = set(db.session.scalars(sa.select(model.id).where(model.status == status)))
        assert pending, type_name
        revised = set(db.session.scalars(sa.select(Revision.object_id).where(
            Revision.object_type == type_name, Revision.decision == ReviewDecision.PENDING)))
        assert pending == revised, type_name


def test_feedback_clicks_follow_the_fit(loaded):
    verdicts = db.session.scalars(sa.select(MatchFeedback.verdict)).all()
    assert len(verdicts) > 50
    assert {Verdict.INTERESTED, Verdict.NOT_RELEVANT} <= set(verdicts)
