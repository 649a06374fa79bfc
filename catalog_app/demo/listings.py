"""Demo solutions, products and cases, written through the services' bulk writer.

Scenarios are assigned coverage-first (every scenario gets listings before any gets
many), then by popularity, and each listing is owned by a provider that focuses on
its scenario, so an organization's catalog reads coherently.
"""
from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime, timedelta

from catalog_app.demo.case_texts import case_texts
from catalog_app.demo.deals import ListingRef
from catalog_app.demo.organizations import OrgPlan, weighted
from catalog_app.demo.texts import Topic, UniqueTitles, keywords, product_texts, solution_body, solution_summary, solution_title
from catalog_app.demo.vocabulary.common import DELIVERY_MODE_LABEL, DELIVERY_MODES
from catalog_app.demo.vocabulary.industries import ENTERPRISE_INDUSTRY_WEIGHTS, INDUSTRY_PROFILES
from catalog_app.models import CaseOutcome, Listing, ListingKind, ListingStatus, MaturityStage
from catalog_app.models._types import utcnow
from catalog_app.models.listings import listing_industries, listing_links, listing_scenarios, listing_technologies

SHOP_FLOOR_STAGES = ("factory-construction", "process-design", "production-management",
                     "production-operations")
OFFICE_AREAS = {"product-rd": ("研发部门", "新品开发环节", "设计中心"),
                "operations-management": ("经营管理", "管理层决策", "知识管理"),
                "product-service": ("售后服务", "营销与客服", "客户运营"),
                "supply-chain": ("采购与物流", "供应链管理", "供应商协同")}
LISTING_STATUSES = {"published": 80, "draft": 5, "pending_review": 5, "expired": 4, "archived": 3, "rejected": 3}
# Scenarios the seed articles show as most in demand get more listings.
POPULAR = {"online-intelligent-inspection": 5, "equipment-fault-prediction": 3, "workshop-intelligent-scheduling": 3,
           "ai-formula-rd": 2, "ai-generative-design": 2, "ai-customer-service": 2, "intelligent-energy-management": 2,
           "industrial-llm-assistant": 2, "ai-marketing-content": 2, "intelligent-warehousing": 2}


# Technology readiness levels (GB/T 22900) as suppliers publish them: a case has been
# deployed at a customer (TRL 7 at least), a solution or product may still be a pilot.
TRL_WEIGHTS = {"case": {7: 3, 8: 4, 9: 3}, "other": {4: 1, 5: 2, 6: 3, 7: 4, 8: 3, 9: 2}}


def maturity(rng: random.Random, kind: ListingKind) -> tuple[int, str]:
    """(TRL, stage) that agree: up to TRL 6 a pilot, 7 a pilot or in production, 8 in
    production or at scale, 9 mostly at scale. Never TRL <= 5 in production or at scale."""
    trl = weighted(rng, TRL_WEIGHTS["case" if kind is ListingKind.CASE else "other"])
    if trl <= 6:
        stage = "pilot"
    elif trl == 7:
        stage = "pilot" if rng.random() < 0.4 else "production"
    elif trl == 8:
        stage = "production" if rng.random() < 0.7 else "at_scale"
    else:
        stage = "at_scale" if rng.random() < 0.6 else "production"
    return trl, stage


def make_topic(rng: random.Random, taxonomy, slug: str, industry_code: str, org: OrgPlan,
               tech_slugs: list[str]) -> Topic:
    return Topic(
        scenario_name=taxonomy.scenario_names[slug], words=taxonomy.words[slug],
        industry={**INDUSTRY_PROFILES[industry_code], "code": industry_code},
        tech_names=[taxonomy.tech_names[t] for t in tech_slugs], city=org.city_name,
        org_name=org.name, brand=org.brand, tech_slugs=tech_slugs,
        on_shop_floor=taxonomy.stage_codes[slug] in SHOP_FLOOR_STAGES,
        areas=OFFICE_AREAS.get(taxonomy.stage_codes[slug], ("经营管理",)),
    )


class ListingBuilder:
    def __init__(self, rng: random.Random, taxonomy, writer, today: date, listing_ids, outcome_ids):
        self.rng, self.taxonomy, self.writer, self.today = rng, taxonomy, writer, today
        self.listing_ids, self.outcome_ids = listing_ids, outcome_ids
        self.slugs = list(taxonomy.scenario_ids)
        self.weights = {slug: POPULAR.get(slug, 1) for slug in self.slugs}
        self.titles = UniqueTitles(rng)
        self.covered: dict[tuple[str, str], int] = defaultdict(int)  # listings per (scenario, industry)
        self.deployable: dict[tuple[int, str], list[tuple[int, str]]] = defaultdict(list)
        # Published listings per scenario, for the proposals and matches generated later.
        self.published: dict[str, list[ListingRef]] = defaultdict(list)

    def add_listings(self, providers, enterprises, solutions: int, products: int, cases: int, step) -> None:
        by_scenario = defaultdict(list)
        for org in providers:
            for slug in org.focus:
                by_scenario[slug].append(org)
        for kind, count in ((ListingKind.SOLUTION, solutions), (ListingKind.PRODUCT, products)):
            for i in range(count):
                slug = self.slugs[i % len(self.slugs)] if i < 2 * len(self.slugs) else weighted(self.rng, self.weights)
                org = self.rng.choice(by_scenario.get(slug) or providers)
                self._add(kind, org, slug)
                step(1)
        owners = {org.id: org for org in providers}
        keys = sorted(self.deployable)
        # Cases follow the scenarios' popularity too: 视觉质检 has the most deployments.
        key_weights = [self.weights[slug] for _org_id, slug in keys]
        for _ in range(cases):
            org_id, slug = self.rng.choices(keys, weights=key_weights)[0]
            self._add_case(owners[org_id], slug, enterprises)
            step(1)

    def _enterprises_by_industry(self, enterprises: list[OrgPlan]) -> dict[str, list[OrgPlan]]:
        if not hasattr(self, "_by_industry"):
            self._by_industry = defaultdict(list)
            for enterprise in enterprises:
                self._by_industry[enterprise.industries[0]].append(enterprise)
        return self._by_industry

    def _topic(self, org: OrgPlan, slug: str, kind: ListingKind, industry: str | None = None) -> Topic:
        rng, words = self.rng, self.taxonomy.words[slug]
        known = [c for c in words["industries"] if c in INDUSTRY_PROFILES] or list(INDUSTRY_PROFILES)
        shared = [c for c in org.industries if c in known]
        if industry is None:
            # Suppliers write for the industries that buy: weighted like the demand side
            # (花都's 皮具 and 美妆 as much as 电子), three times more for their own industries,
            # and less for a pair already well covered, so every industry of a popular scenario
            # has listings a buyer from it would find.
            weights = {code: ENTERPRISE_INDUSTRY_WEIGHTS.get(code, 1) * (3 if code in shared else 1)
                       / (1 + self.covered[(slug, code)]) for code in known}
            industry = weighted(rng, weights)
        self.covered[(slug, industry)] += 1
        techs = rng.sample(words["techs"], rng.randint(1, min(3, len(words["techs"]))))
        topic = make_topic(rng, self.taxonomy, slug, industry, org, techs)
        topic.trl, topic.stage = maturity(rng, kind)
        return topic

    def _add(self, kind: ListingKind, org: OrgPlan, slug: str) -> None:
        rng, topic = self.rng, self._topic(org, slug, kind)
        if kind is ListingKind.SOLUTION:
            mode, weeks = rng.choice(DELIVERY_MODES), rng.choice((2, 4, 6, 8, 12, 16, 24))
            texts = {"title": solution_title(rng, topic), "summary": solution_summary(rng, topic, mode),
                     "body": solution_body(rng, topic, mode, org.tier, weeks),
                     "delivery_mode": DELIVERY_MODE_LABEL[mode], "delivery_weeks": weeks}
        else:
            texts = product_texts(rng, topic)
        listing_id = self._write(kind, org, slug, topic, texts)
        self.deployable[(org.id, slug)].append((listing_id, texts["title"], topic.industry["code"]))

    def _add_case(self, org: OrgPlan, slug: str, enterprises: list[OrgPlan]) -> None:
        # A case deploys the supplier's listings written for the customer's industry.
        deployable = self.deployable[(org.id, slug)]
        industry = self.rng.choice(deployable)[2]
        rng, topic = self.rng, self._topic(org, slug, ListingKind.CASE, industry)
        same_industry = self._enterprises_by_industry(enterprises).get(topic.industry["code"])
        if same_industry and rng.random() < 0.55:
            named = rng.choice(same_industry)
            customer, topic.city = named.name, named.city_name  # the case happened at the customer's
        else:
            customer = f"某{topic.industry['label']}企业"
            topic.city = self._cluster_city(topic.industry["code"])
        own = [(i, title) for i, title, code in deployable if code == industry]
        linked = rng.sample(own, min(rng.randint(1, 2), len(own)))
        year = rng.randint(self.today.year - 4, self.today.year)
        texts = case_texts(rng, topic, customer, linked[0][1] if linked else None, year, rng.choice((4, 6, 8, 12, 16)))
        outcomes = texts.pop("outcomes")
        listing_id = self._write(ListingKind.CASE, org, slug, topic, {
            **texts, "customer_name": customer, "deployed_year": year})
        for position, outcome in enumerate(outcomes):
            self.writer.add(CaseOutcome.__table__, {
                "id": self.outcome_ids.take(), "listing_id": listing_id, "metric": outcome.metric,
                "label": outcome.label, "before_value": outcome.before, "after_value": outcome.after,
                "unit": outcome.unit, "position": position})
        for target_id, _title in linked:
            self.writer.add(listing_links, {"from_listing_id": listing_id, "to_listing_id": target_id})

    def _cluster_city(self, industry_code: str) -> str:
        """A city where the industry really clusters (an anonymous customer sits there)."""
        code = weighted(self.rng, dict(INDUSTRY_PROFILES[industry_code]["regions"]))
        region = self.taxonomy.regions.get(code) or self.taxonomy.regions.get(code[:4] + "00")
        return region[2] if region else "广州市"

    def _write(self, kind: ListingKind, org: OrgPlan, slug: str, topic: Topic, texts: dict) -> int:
        rng, today = self.rng, self.today
        status = ListingStatus(weighted(rng, LISTING_STATUSES))
        published_at = None
        if status in (ListingStatus.PUBLISHED, ListingStatus.EXPIRED, ListingStatus.ARCHIVED):
            days_ago = int(540 * (1 - rng.random() ** 0.5))
            published_at = datetime.combine(today, datetime.min.time()) - timedelta(
                days=days_ago, minutes=-rng.randint(480, 1200))
            if published_at > utcnow():
                # Never in the future: change detection compares against the newest updated_at.
                published_at -= timedelta(days=1)
        created_at = (published_at or datetime.combine(today, datetime.min.time())) - timedelta(days=rng.randint(0, 20))
        if status is ListingStatus.EXPIRED:
            expires_at = today - timedelta(days=rng.randint(1, 120))
        elif status is ListingStatus.ARCHIVED:
            expires_at = today + timedelta(days=rng.randint(-90, 200))
        else:
            expires_at = today + timedelta(days=rng.randint(20, 540))
        listing_id = self.listing_ids.take()
        texts["title"] = self.titles.claim(texts["title"], topic)
        row = {
            "id": listing_id, "kind": kind, "organization_id": org.id, "title": texts["title"][:120],
            "summary": texts["summary"][:500], "body": texts["body"],
            "keywords": texts.get("keywords") or keywords(rng, topic), "status": status,
            "maturity_trl": topic.trl, "maturity_stage": MaturityStage(topic.stage), "expires_at": expires_at,
            "is_featured": status is ListingStatus.PUBLISHED and rng.random() < 0.06,
            "published_at": published_at, "created_at": created_at,
            "updated_at": published_at or created_at,
        }
        for column in ("model_number", "price_text", "delivery_mode", "delivery_weeks", "customer_name",
                       "problem", "deployment", "deployed_year"):
            row[column] = texts.get(column)
        self.writer.add(Listing.__table__, row)
        scenarios = self._links(listing_id, org, slug, topic)
        if status is ListingStatus.PUBLISHED:
            ref = ListingRef(listing_id, org.id, kind.value, row["title"], topic.industry["code"],
                             tuple(topic.tech_slugs))
            for s in scenarios:
                self.published[s].append(ref)
        return listing_id

    def _links(self, listing_id: int, org: OrgPlan, slug: str, topic: Topic) -> list[str]:
        tax, add = self.taxonomy, self.writer.add
        # Tags say what the text is about: its one scenario and its one industry. (A random
        # second tag from the supplier's other focus put PHM solutions under 数字人直播.)
        scenarios = [slug]
        for s in scenarios:
            add(listing_scenarios, {"listing_id": listing_id, "scenario_id": tax.scenario_ids[s]})
        add(listing_industries, {"listing_id": listing_id, "industry_id": tax.industry_ids[topic.industry["code"]]})
        for tech in topic.tech_slugs:
            add(listing_technologies, {"listing_id": listing_id, "technology_id": tax.tech_ids[tech]})
        return scenarios
