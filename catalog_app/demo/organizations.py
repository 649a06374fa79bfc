"""Demo organizations: enterprises that post demands, suppliers, institutes and services.

Enterprises sit in their industry's real clusters (花都 leather and cosmetics, 顺德
appliances, 澄海 toys ...); suppliers concentrate in 广州, 深圳, 佛山 and 东莞 with a
long tail over the other cities. Each row is a plain dict ready for a bulk insert.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta

from catalog_app.demo.vocabulary import common
from catalog_app.demo.vocabulary.industries import ENTERPRISE_INDUSTRY_WEIGHTS, INDUSTRY_PROFILES
from catalog_app.models import OrganizationKind, OrganizationTier
from catalog_app.models._types import utcnow
from catalog_app.credit_code import ALPHABET, make_credit_code

# Per 160 organizations: the demand side slightly outnumbers the supply side.
KIND_SHARES = (
    (OrganizationKind.ENTERPRISE, 72), (OrganizationKind.SUPPLIER, 64),
    (OrganizationKind.INSTITUTE, 12), (OrganizationKind.SERVICE, 12),
)
TIER_WEIGHTS = {
    OrganizationKind.ENTERPRISE: {"chain_leader": 12, "above_size": 40, "sme": 43, "one_person": 5},
    OrganizationKind.SUPPLIER: {"chain_leader": 5, "above_size": 25, "sme": 52, "one_person": 18},
    OrganizationKind.INSTITUTE: {"chain_leader": 10, "above_size": 60, "sme": 30},
    OrganizationKind.SERVICE: {"chain_leader": 10, "above_size": 30, "sme": 50, "one_person": 10},
}
SUPPLIER_REGIONS = {
    "440106": 5, "440112": 4, "440105": 3, "440114": 3, "440113": 2, "440115": 1, "440111": 1,
    "440305": 6, "440306": 3, "440304": 2, "440307": 2, "440309": 1,
    "440606": 2, "440605": 2, "440604": 1, "441900": 4, "440402": 2, "442000": 1,
    "441302": 1, "440507": 1, "440703": 1, "441202": 1,
    "440200": 0.4, "440800": 0.4, "440900": 0.3, "441400": 0.3, "441500": 0.3, "441600": 0.3,
    "441700": 0.3, "441800": 0.4, "445100": 0.4, "445200": 0.4, "445300": 0.3,
}
FOUNDED = {"chain_leader": (1992, 2010), "above_size": (2000, 2018), "sme": (2010, 2023),
           "one_person": (2022, 2025)}
PHONE_PREFIXES = ("138", "139", "137", "135", "136", "186", "189", "133", "158", "159")


@dataclass
class OrgPlan:
    """An organization as the generator remembers it while building listings and demands."""

    id: int
    kind: OrganizationKind
    tier: str
    name: str
    brand: str
    region_code: str
    city_name: str
    industries: list[str]
    focus: list[str] = field(default_factory=list)
    row: dict = field(default_factory=dict)


def weighted(rng: random.Random, weights: dict):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def credit_code(org_id: int, kind: OrganizationKind, admin_code: str) -> str:
    """A valid, unique code: authority/type by kind, the region, and a serial-derived body.

    The body is the id scrambled by a bijection modulo 31**7, so codes look random but
    two ids can never collide.
    """
    prefix = {"institute": "12", "service": "51"}.get(kind.value, "91")
    number = (org_id * 1_640_531_527 + 104_729) % 31 ** 7
    body = ""
    for _ in range(7):
        number, digit = divmod(number, 31)
        body = ALPHABET[digit] + body
    return make_credit_code(f"{prefix}{admin_code}MA{body}")


class OrganizationFactory:
    """Builds organization rows; `regions` maps admin code -> (id, name, city name, level)."""

    def __init__(self, rng: random.Random, regions: dict, districts_by_city: dict, scenario_slugs: list[str],
                 scenario_industries: dict[str, list[str]]):
        self.rng = rng
        self.regions = regions
        self.districts_by_city = districts_by_city
        self.scenario_slugs = scenario_slugs
        self.scenario_industries = scenario_industries
        self.names: set[str] = set()
        self.providers_made = 0

    def build(self, count: int, first_id: int) -> list[OrgPlan]:
        total = sum(share for _, share in KIND_SHARES)
        kinds = [kind for kind, share in KIND_SHARES for _ in range(max(1, round(count * share / total)))]
        self.rng.shuffle(kinds)
        return [self._one(first_id + i, kind) for i, kind in enumerate(kinds)]

    def _resolve_region(self, code: str) -> str:
        districts = self.districts_by_city.get(code)
        if districts:
            return self.rng.choice(districts)
        return code if code in self.regions else code[:4] + "00"

    def _one(self, org_id: int, kind: OrganizationKind) -> OrgPlan:
        rng = self.rng
        tier = weighted(rng, TIER_WEIGHTS[kind])
        if kind is OrganizationKind.ENTERPRISE:
            industries = [weighted(rng, ENTERPRISE_INDUSTRY_WEIGHTS)]
            profile = INDUSTRY_PROFILES[industries[0]]
            region_code = self._resolve_region(weighted(rng, dict(profile["regions"])))
            focus: list[str] = []
        else:
            region_code = self._resolve_region(weighted(rng, SUPPLIER_REGIONS))
            first = self.scenario_slugs[self.providers_made % len(self.scenario_slugs)]
            self.providers_made += 1
            focus = [first] + [s for s in rng.sample(self.scenario_slugs, rng.randint(1, 3)) if s != first]
            candidates = sorted({code for slug in focus for code in self.scenario_industries[slug]})
            industries = rng.sample(candidates, min(len(candidates), rng.randint(2, 4)))
        region_id, district_name, city_name, _level = self.regions[region_code]
        brand = self._brand()
        name = self._unique_name(kind, tier, brand, city_name, district_name, industries)
        plan = OrgPlan(org_id, kind, tier, name, brand, region_code, city_name, industries, focus)
        plan.row = self._row(plan, region_id, district_name)
        return plan

    def _brand(self) -> str:
        first, second = self.rng.sample(common.BRAND_SYLLABLES, 2)
        return first + second

    def _unique_name(self, kind, tier, brand, city, district, industries) -> str:
        for attempt in range(30):
            name = self._name(kind, tier, brand, city, district, industries)
            if name not in self.names:
                self.names.add(name)
                return name
            brand = self._brand()
            if attempt > 10:
                brand += self.rng.choice(common.BRAND_SYLLABLES)
        self.names.add(name)
        return name

    def _name(self, kind, tier, brand, city, district, industries) -> str:
        rng, city_short = self.rng, city.removesuffix("市")
        if kind is OrganizationKind.ENTERPRISE:
            word = rng.choice(INDUSTRY_PROFILES[industries[0]]["company_words"].split("|"))
            place = city_short + district.removesuffix("区") if district != city and rng.random() < 0.3 else city_short
            if tier == "chain_leader":
                return rng.choice((f"广东{brand}{word}集团有限公司", f"{city_short}{brand}{word}股份有限公司"))
            return rng.choice((f"{place}{brand}{word}有限公司", f"{city_short}市{brand}{word}有限公司",
                               f"{brand}（{city_short}）{word}有限公司"))
        if kind is OrganizationKind.INSTITUTE:
            return rng.choice((
                f"{rng.choice(common.INSTITUTE_HOSTS)}{rng.choice(common.INSTITUTE_TOPICS)}{rng.choice(common.INSTITUTE_SUFFIXES)}",
                f"{city_short}{brand}{rng.choice(common.INSTITUTE_TOPICS)}研究院",
                f"{rng.choice(common.INSTITUTE_HOSTS)}{city_short}{rng.choice(common.INSTITUTE_TOPICS)}研究院",
            ))
        if kind is OrganizationKind.SERVICE:
            if rng.random() < 0.3:
                return rng.choice(common.SERVICE_ORG_NAMES).format(city=city_short if rng.random() < 0.5 else district)
            return f"{city_short}{brand}{rng.choice(common.SERVICE_COMPANY_WORDS)}有限公司"
        word = rng.choice(common.TECH_COMPANY_WORDS)
        if tier == "one_person":
            return rng.choice((f"{city_short}{brand}{word}有限公司", f"{city_short}市{district}{brand}数字技术工作室"))
        if tier == "chain_leader":
            return f"{brand}{word}股份有限公司"
        return rng.choice((f"{city_short}{brand}{word}有限公司", f"{city_short}市{brand}{word}有限公司"))

    def _row(self, plan: OrgPlan, region_id: int, district_name: str) -> dict:
        rng = self.rng
        founded = rng.randint(*FOUNDED[plan.tier])
        contact = rng.choice(common.SURNAMES) + rng.choice(common.GIVEN_NAMES)
        return {
            "id": plan.id, "name": plan.name,
            "credit_code": credit_code(plan.id, plan.kind, plan.region_code),
            "kind": plan.kind, "tier": OrganizationTier(plan.tier), "region_id": region_id,
            "description": self._description(plan, founded, district_name),
            "website": f"https://www.org{plan.id}.example.com" if plan.tier != "one_person" else "",
            "contact_name": f"{contact}（{rng.choice(common.JOB_TITLES)}）",
            "contact_phone": rng.choice(PHONE_PREFIXES) + f"{rng.randint(0, 99999999):08d}",
            "contact_email": f"{rng.choice(('bd', 'info', 'contact', 'sales', 'ai'))}@org{plan.id}.example.com",
            "founded_year": founded,
            "is_verified": rng.random() < (0.88 if plan.kind is OrganizationKind.SUPPLIER else 0.6),
            # Onboarded before the ~18-month window in which listings get published.
            "created_at": utcnow() - timedelta(days=rng.randint(545, 640), minutes=rng.randint(0, 1440)),
        }

    def _description(self, plan: OrgPlan, founded: int, district: str) -> str:
        rng = self.rng
        labels = "、".join(INDUSTRY_PROFILES[code]["label"] for code in plan.industries)
        place = plan.city_name + (district if district != plan.city_name else "")
        if plan.kind is OrganizationKind.ENTERPRISE:
            profile = INDUSTRY_PROFILES[plan.industries[0]]
            products = "、".join(rng.sample(profile["products"].split("|"), 2))
            output = {"chain_leader": (300000, 3000000), "above_size": (20000, 300000), "sme": (2000, 20000),
                      "one_person": (50, 500)}
            value = rng.randint(*output[plan.tier])
            value_text = f"{value / 10000:.1f}亿元" if value >= 10000 else f"{value}万元"
            return rng.choice((
                f"{plan.name}成立于{founded}年，位于{place}，主要生产{products}，年产值约{value_text}。",
                f"位于{place}的{labels}企业，主营{products}，正推进数字化、智能化改造。",
                f"{founded}年创立，深耕{labels}行业，产品{products}远销欧美及东南亚市场。",
            ))
        if plan.kind is OrganizationKind.INSTITUTE:
            return rng.choice((
                f"{plan.name}是面向{labels}等产业的新型研发机构，承担工业AI关键技术攻关与成果转化，"
                f"已与{rng.randint(20, 300)}家企业开展合作。",
                f"{founded}年成立，拥有博士和硕士研究人员{rng.randint(30, 200)}名，围绕{labels}开展产学研合作，"
                "提供技术攻关、中试验证和人才培养服务。",
            ))
        team = {"chain_leader": "研发人员超500人", "above_size": "研发团队100余人", "sme": "核心团队20余人",
                "one_person": "创始人独立运营，依托平台算力和开源大模型交付"}[plan.tier]
        return rng.choice((
            f"{plan.name}成立于{founded}年，总部位于{place}，专注{labels}领域的工业AI应用，{team}。",
            f"面向{labels}等行业提供人工智能解决方案与产品，{team}，已服务客户{rng.randint(5, 800)}家。",
            f"{founded}年成立于{plan.city_name}，{team}，核心方向为{labels}行业的智能化改造。",
        ))
