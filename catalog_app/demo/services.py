"""Loading the demo data set: organizations, users, listings, cases and demands.

Rows are built as dicts and written with bulk Core inserts in batches, ids assigned in
Python: 100,000 listings load in minutes, where ORM adds would take far longer. On
PostgreSQL the id sequences are moved past the inserted ids afterwards, otherwise the
next ordinary insert would collide.
"""
from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from catalog_app.demo.enquiries import add_demo_enquiries
from catalog_app.demo.accounts import DEMO_PASSWORD, DemoUsers, add_users  # noqa: F401 - DEMO_PASSWORD: the API
from catalog_app.demo.listings import ListingBuilder
from catalog_app.demo.organizations import OrganizationFactory
from catalog_app.demo.reviews import queue_pending_reviews
from catalog_app.demo.texts import UniqueTitles
from catalog_app.demo.vocabulary import (scenarios_business, scenarios_management, scenarios_operations,
                                         scenarios_rd)
from catalog_app.demo.vocabulary.industries import INDUSTRY_PROFILES
from catalog_app.extensions import db
from catalog_app.models import (CaseOutcome, Demand, Industry, IntentAgreement, Listing, Match, Organization,
                                OrganizationKind, Proposal, ProposalMessage, Region, Scenario, ScenarioStage,
                                MatchFeedback, Technology, User)
from catalog_app.models._types import utcnow
from catalog_app.models.demands import demand_industries, demand_scenarios, demand_technologies
from catalog_app.models.listings import (listing_industries, listing_links, listing_scenarios,
                                         listing_technologies)
from catalog_app.models.organizations import organization_industries
from catalog_app.models.proposals import proposal_listings
from catalog_app.demo.deals import DealBuilder
from catalog_app.demo.deals import DemandPlan
from catalog_app.demo.demand_texts import demand_texts
from catalog_app.demo.listings import make_topic
from catalog_app.demo.organizations import weighted
from catalog_app.models import Confidentiality, DemandStatus

BATCH_SIZE = 2000
# Per unit of scale.
ORGANIZATIONS, SOLUTIONS, PRODUCTS, CASES, DEMANDS = 160, 300, 500, 120, 100

SCENARIO_WORDS = {**scenarios_rd.WORDS, **scenarios_management.WORDS,
                  **scenarios_operations.WORDS, **scenarios_business.WORDS}


def organizations_exist() -> bool:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Organization)) > 0


def planned_total(scale: int) -> int:
    """How many rows the progress bar counts: organizations, listings and demands."""
    return scale * (ORGANIZATIONS + SOLUTIONS + PRODUCTS + CASES + DEMANDS)


def generic_words(scenario: Scenario) -> dict:
    """A vocabulary for a scenario added to the taxonomy after these word lists were written."""
    pains = [p for p in scenario.pain_points_zh.split("\n") if p] or ["人工作业效率低"]
    return {
        "terms": [scenario.name_zh, f"{scenario.name_zh}方案", f"AI{scenario.name_zh}"],
        "pains": pains, "actions": [scenario.summary_zh.rstrip("。") or f"实现{scenario.name_zh}"],
        "features": [f"{scenario.name_zh}模型", "数据采集与治理", "可视化看板"],
        "data": ["生产数据", "业务系统数据"], "products": [(f"{scenario.name_zh}系统", ["AI"])],
        "kpis": ["labor_cost", "oee", "lead_time"], "techs": ["big-data-analytics"],
        "industries": list(INDUSTRY_PROFILES)[:8],
        "asks": ["提供本地化实施服务", "可先试点验证效果"],
    }


class Taxonomy:
    """Ids and names of the loaded reference data, looked up once."""

    def __init__(self) -> None:
        self.industry_ids = dict(db.session.execute(sa.select(Industry.code, Industry.id)).all())
        self.tech_ids = dict(db.session.execute(sa.select(Technology.slug, Technology.id)).all())
        self.tech_names = dict(db.session.execute(sa.select(Technology.slug, Technology.name_zh)).all())
        self.industry_names = dict(db.session.execute(sa.select(Industry.code, Industry.name_zh)).all())
        scenarios = db.session.scalars(sa.select(Scenario).order_by(Scenario.position, Scenario.id)).all()
        self.scenario_ids = {s.slug: s.id for s in scenarios}
        self.scenario_names = {s.slug: s.name_zh for s in scenarios}
        stage_codes = dict(db.session.execute(sa.select(ScenarioStage.id, ScenarioStage.code)).all())
        self.stage_codes = {s.slug: stage_codes[s.stage_id] for s in scenarios}
        self.words = {s.slug: dict(SCENARIO_WORDS.get(s.slug) or generic_words(s)) for s in scenarios}
        for words in self.words.values():
            words["techs"] = [t for t in words["techs"] if t in self.tech_ids] or list(self.tech_ids)[:1]
            words["industries"] = [c for c in words["industries"] if c in self.industry_ids]
        regions = db.session.scalars(sa.select(Region)).all()
        by_id = {r.id: r for r in regions}
        self.regions = {}
        self.districts_by_city: dict[str, list[str]] = defaultdict(list)
        for region in regions:
            city = by_id[region.parent_id] if region.parent_id else region
            self.regions[region.code] = (region.id, region.name_zh, city.name_zh, region.level)
            if region.parent_id:
                self.districts_by_city[city.code].append(region.code)


class IdCounter:
    """Hands out ids above the current maximum of a table."""

    def __init__(self, table: sa.Table) -> None:
        self.next = (db.session.scalar(sa.select(sa.func.max(table.c.id))) or 0) + 1

    def take(self) -> int:
        self.next += 1
        return self.next - 1


class BulkWriter:
    """Buffers rows per table and writes them in dependency order."""

    ORDER = (Organization.__table__, organization_industries, User.__table__, Listing.__table__,
             listing_industries, listing_scenarios, listing_technologies, listing_links,
             CaseOutcome.__table__, Demand.__table__, demand_industries, demand_scenarios,
             demand_technologies, Proposal.__table__, proposal_listings, ProposalMessage.__table__,
             IntentAgreement.__table__, Match.__table__, MatchFeedback.__table__)

    def __init__(self) -> None:
        self.rows: dict[sa.Table, list[dict]] = defaultdict(list)
        self.counts: dict[str, int] = defaultdict(int)

    def add(self, table: sa.Table, row: dict) -> None:
        self.rows[table].append(row)
        if len(self.rows[table]) >= BATCH_SIZE:
            self.flush()

    def flush(self) -> None:
        for table in self.ORDER:
            rows = self.rows.pop(table, None)
            if rows:
                db.session.execute(sa.insert(table), rows)
                self.counts[table.name] += len(rows)


def load_demo_data(scale: int = 1, seed: int = 2025,
                   progress: Callable[[int], None] | None = None) -> dict[str, int]:
    """Generate and insert the demo data set; commits once at the end.

    :param scale: multiplies organizations, listings and demands (1 gives about 160
        organizations, 920 listings and 100 demands).
    :param seed: the same seed gives the same data set (titles, names, texts).
    :param progress: called with the number of rows just generated, for a progress bar.
    :returns: the number of rows inserted per table.
    """
    if scale < 1:
        raise ValueError("scale must be at least 1")
    rng = random.Random(seed)
    step = progress or (lambda _n: None)
    taxonomy = Taxonomy()
    writer = BulkWriter()
    today = utcnow().date()

    slugs = list(taxonomy.scenario_ids)
    factory = OrganizationFactory(
        rng, taxonomy.regions, taxonomy.districts_by_city, slugs,
        {slug: words["industries"] for slug, words in taxonomy.words.items()},
    )
    orgs = factory.build(ORGANIZATIONS * scale, IdCounter(Organization.__table__).next)
    for org in orgs:
        writer.add(Organization.__table__, org.row)
        for code in org.industries:
            writer.add(organization_industries, {"organization_id": org.id, "industry_id": taxonomy.industry_ids[code]})
    step(len(orgs))
    writer.flush()

    users = add_users(rng, writer, orgs, IdCounter(User.__table__))
    user_by_org = users.user_by_org
    listing_ids, demand_ids = IdCounter(Listing.__table__), IdCounter(Demand.__table__)
    first_listing_id, first_demand_id = listing_ids.next, demand_ids.next
    builder = ListingBuilder(rng, taxonomy, writer, today, listing_ids, IdCounter(CaseOutcome.__table__))
    providers = [o for o in orgs if o.kind is not OrganizationKind.ENTERPRISE]
    enterprises = [o for o in orgs if o.kind is OrganizationKind.ENTERPRISE]
    builder.add_listings(providers, enterprises, SOLUTIONS * scale, PRODUCTS * scale, CASES * scale, step)
    demands = _add_demands(rng, taxonomy, writer, enterprises, user_by_org, DEMANDS * scale, today, step,
                           users.demo_org_ids.get(OrganizationKind.ENTERPRISE, ()),
                           [o.focus for o in providers if o.id in users.demo_org_ids.get(OrganizationKind.SUPPLIER, ())])
    _add_deals(rng, taxonomy, writer, demands, builder.published, providers, users)
    writer.flush()
    _advance_sequences()
    counts = dict(writer.counts)
    counts["revisions"] = queue_pending_reviews(user_by_org, first_listing_id, first_demand_id)
    add_demo_enquiries(random.Random(seed))
    db.session.commit()
    _refresh_planner_statistics()
    return counts


DEMO_ENTERPRISE_DEMANDS = 3
DEMAND_STATUSES = {"published": 64, "in_talks": 10, "solved": 5, "draft": 5, "pending_review": 8,
                   "closed": 5, "rejected": 3}


def _add_deals(rng, taxonomy, writer, demands, published, providers, users: DemoUsers) -> None:
    """Proposals, threads, intent agreements, stored matches and users' feedback on them."""
    ids = {table.name: IdCounter(table) for table in (Proposal.__table__, ProposalMessage.__table__,
                                                      IntentAgreement.__table__, Match.__table__,
                                                      MatchFeedback.__table__)}
    demo_suppliers = users.demo_org_ids.get(OrganizationKind.SUPPLIER, [])
    demo_enterprises = users.demo_org_ids.get(OrganizationKind.ENTERPRISE, [])
    DealBuilder(rng, taxonomy, writer, ids, published, providers, users.user_by_org, demo_suppliers,
                demo_enterprises, utcnow()).add(demands)


def _add_demands(rng, taxonomy, writer, enterprises, user_by_org, count, today: date, step,
                 demo_org_ids=(), demo_supplier_focus=()) -> list:
    slugs = list(taxonomy.scenario_ids)
    by_industry = defaultdict(list)
    for org in enterprises:
        by_industry[org.industries[0]].append(org)
    ids = IdCounter(Demand.__table__)
    candidates_by_slug: dict[str, list] = {}
    titles = UniqueTitles(rng)
    plans = []
    demo_enterprises = [o for o in enterprises if o.id in demo_org_ids]
    demo_left = {o.id: DEMO_ENTERPRISE_DEMANDS for o in demo_enterprises}
    # After one demand per scenario, a few in the documented suppliers' own scenarios, so
    # signing in as one shows leads and proposals of its own.
    lead_slugs = [slug for slugs_ in demo_supplier_focus for slug in slugs_[:2]] * 2
    for i in range(count):
        if i < len(slugs):
            slug = slugs[i]
        elif i - len(slugs) < len(lead_slugs):
            slug = lead_slugs[i - len(slugs)]
        else:
            slug = rng.choice(slugs)
        words = taxonomy.words[slug]
        if slug not in candidates_by_slug:
            candidates_by_slug[slug] = [o for code in words["industries"] for o in by_industry.get(code, ())]
        candidates = candidates_by_slug[slug]
        org = rng.choice(candidates or enterprises)
        status = DemandStatus(weighted(rng, DEMAND_STATUSES))
        # The documented enterprise accounts each own a few open demands of their industry,
        # so signing in as one shows proposals to review.
        demo_org = next((o for o in demo_enterprises if demo_left[o.id] and o in candidates), None)
        if demo_org is not None:
            org, status = demo_org, rng.choice((DemandStatus.PUBLISHED, DemandStatus.IN_TALKS))
            demo_left[org.id] -= 1
        is_challenge = rng.random() < 0.2
        is_confidential = rng.random() < 0.2
        months = rng.choice((2, 3, 4, 6, 9, 12))
        techs = rng.sample(words["techs"], rng.randint(1, min(2, len(words["techs"]))))
        topic = make_topic(rng, taxonomy, slug, org.industries[0], org, techs)
        texts = demand_texts(rng, topic, org.tier, is_challenge, is_confidential, months)
        texts["title"] = titles.claim(texts["title"], topic)
        # A demand in talks or solved has been out long enough for proposals and a decision.
        min_days = {"in_talks": 3, "solved": 10}.get(status.value, 0)
        unpublished = status.value in ("draft", "pending_review", "rejected")
        published_at = None if unpublished else _published_at(rng, today, min_days)
        created_at = (published_at or datetime.combine(today, datetime.min.time())) - timedelta(days=rng.randint(0, 14))
        budget_min, budget_max = demand_budget(rng, org.tier) if rng.random() < 0.88 else (None, None)
        deadline = today + timedelta(days=rng.randint(30, 240))
        demand_id = ids.take()
        writer.add(Demand.__table__, {
            "id": demand_id, "organization_id": org.id, "created_by_id": user_by_org.get(org.id),
            **texts,
            "confidentiality": Confidentiality.SUMMARY_ONLY if is_confidential else Confidentiality.PUBLIC,
            "budget_min": budget_min, "budget_max": budget_max, "deadline": deadline,
            "region_id": org.row["region_id"], "is_challenge": is_challenge,
            "prize_amount": _prize(rng, budget_max) if is_challenge else None,
            "challenge_deadline": deadline - timedelta(days=rng.randint(10, 25)) if is_challenge else None,
            "status": status, "published_at": published_at, "created_at": created_at,
            "updated_at": published_at or created_at,
        })
        scenario_slugs = [slug]  # the scenario its text is written about, nothing drawn at random
        for s in scenario_slugs:
            writer.add(demand_scenarios, {"demand_id": demand_id, "scenario_id": taxonomy.scenario_ids[s]})
        writer.add(demand_industries, {"demand_id": demand_id, "industry_id": taxonomy.industry_ids[org.industries[0]]})
        for tech in topic.tech_slugs:
            writer.add(demand_technologies, {"demand_id": demand_id, "technology_id": taxonomy.tech_ids[tech]})
        plans.append(DemandPlan(demand_id, org, status, scenario_slugs, topic, budget_min, budget_max,
                                published_at, is_challenge, user_by_org.get(org.id)))
        step(1)
    return plans


# Budgets (万元) as enterprises state them: a base by the size of the company, and an upper
# bound 1.3-2x the lower one (a range four times wide says "we have no idea"; "35-35" is no range).
BUDGET_BASES = {"chain_leader": (80, 120, 200, 300, 500, 800), "above_size": (20, 30, 50, 80, 120, 150),
                "sme": (5, 8, 10, 15, 20, 30, 50), "one_person": (1, 2, 3, 5)}
BUDGET_SPREAD = (1.3, 2.0)


def demand_budget(rng: random.Random, tier: str) -> tuple[int, int]:
    """(min, max) in 万元, max/min between BUDGET_SPREAD, rounded as people round."""
    low = rng.choice(BUDGET_BASES[tier])
    high = low * rng.uniform(*BUDGET_SPREAD)
    step = 1 if high < 20 else 5 if high < 200 else 10 if high < 1000 else 50
    ceiling = max(low + step, int(low * BUDGET_SPREAD[1]))  # rounding up must not widen the range
    return low, min(max(round(high / step) * step, low + step), ceiling)


def _prize(rng: random.Random, budget_max: int | None) -> int:
    """The 揭榜挂帅 award, never above the project budget when one is given."""
    prizes = [p for p in (10, 20, 30, 50, 80, 100, 200, 300, 500) if budget_max is None or p <= budget_max]
    return rng.choice(prizes or [max(1, budget_max or 1)])


def _published_at(rng: random.Random, today: date, min_days: int = 0) -> datetime:
    """Spread over the last ~18 months, denser towards today so growth charts rise; never
    later than now (a demand published "today" at 18:00 would be in the future at 09:00)."""
    days_ago = max(min_days, int(540 * (1 - rng.random() ** 0.5)))
    moment = datetime.combine(today, datetime.min.time()) - timedelta(days=days_ago)
    moment += timedelta(minutes=rng.randint(8 * 60, 20 * 60))
    now = utcnow()
    return moment - timedelta(days=1) if moment > now else moment


def _refresh_planner_statistics() -> None:
    """ANALYZE after a bulk load: until autovacuum gets to it, PostgreSQL plans list pages
    as if the tables were empty (nested loops over every listing, seconds per page)."""
    if db.engine.dialect.name != "postgresql":
        return
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("ANALYZE")


def _advance_sequences() -> None:
    if db.engine.dialect.name != "postgresql":
        return
    for table in ("organizations", "users", "listings", "case_outcomes", "demands", "proposals",
                  "proposal_messages", "intent_agreements", "matches", "match_feedback", "revisions"):
        db.session.execute(sa.text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
        ))
