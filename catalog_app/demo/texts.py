"""Composing listing and demand texts from the vocabularies.

Every field has several sentence structures, and every slot draws from a synonym list,
so two listings of the same scenario read differently while still sharing meaning
with the demands they should match (视觉检测 / 机器视觉 / AOI ...). All randomness comes
from the caller's seeded `random.Random`, which keeps a load reproducible.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field

from catalog_app.demo.vocabulary.common import DELIVERY_MODE_TEXT, fit_text, support_lines
from catalog_app.demo.vocabulary.kpis import KPIS


@dataclass
class Topic:
    """What one listing or demand is about: a scenario seen through one industry."""

    scenario_name: str
    words: dict
    industry: dict
    tech_names: list[str]
    city: str
    org_name: str
    brand: str
    tech_slugs: list[str] = field(default_factory=list)
    # Shop-floor scenarios may name a process step (车缝, SMT贴片); office ones may not.
    on_shop_floor: bool = True
    areas: tuple[str, ...] = ("研发",)
    # The outcome figures this listing claims, drawn once: a summary, a title and a body
    # that quote the same KPI quote the same number (never 45 % in one, 65 % in the other).
    claims: list = field(default_factory=list)
    # Technology readiness (1-9) and its stage, decided before the text: a pilot-stage
    # listing never says it runs at dozens of customers.
    trl: int = 7
    stage: str = "production"

    def where(self, rng: random.Random) -> str:
        """Where in the company the scenario applies: a process step or a business area."""
        if self.on_shop_floor:
            return rng.choice(items_of(self.industry, "processes")) + rng.choice(("工序", "环节", "工段"))
        return rng.choice(self.areas)


@dataclass
class Outcome:
    key: str
    metric: object
    label: str
    unit: str
    before: float
    after: float

    @property
    def is_decrease(self) -> bool:
        return self.after < self.before

    @property
    def change_percent(self) -> int:
        return round(abs(self.after - self.before) / self.before * 100) if self.before else 0

    def change_text(self) -> str:
        """"降低82%", "缩短45%", or "提升12.5个百分点" for values that are already percentages."""
        if self.unit == "%":
            return f"{'降低' if self.is_decrease else '提升'}{abs(self.after - self.before):.1f}个百分点"
        if not self.is_decrease:
            return f"提升{self.change_percent}%"
        verb = {"天": "缩短", "小时": "缩短", "分钟": "缩短", "人": "减少", "次": "减少"}.get(self.unit, "降低")
        return f"{verb}{self.change_percent}%"

    def sentence(self, rng: random.Random) -> str:
        verb = "降至" if self.is_decrease else "提升至"
        before, after = _fmt(self.before), _fmt(self.after)
        return rng.choice((
            f"{self.label}从{before}{self.unit}{verb}{after}{self.unit}",
            f"{self.label}由{before}{self.unit}{verb}{after}{self.unit}，{self.change_text()}",
            f"{self.label}{self.change_text()}（{before}→{after}{self.unit}）",
        ))

    def headline(self) -> str:
        return self.label + self.change_text()


def _fmt(value: float) -> str:
    return f"{value:g}" if value != int(value) else str(int(value))


def pick(rng: random.Random, items, k: int = 1):
    """`k` distinct items (or all of them when there are fewer)."""
    items = list(items)
    return rng.sample(items, min(k, len(items)))


def items_of(profile: dict, field: str) -> list[str]:
    return profile[field].split("|")


def make_outcomes(rng: random.Random, kpi_keys: list[str], count: int) -> list[Outcome]:
    """Before/after pairs whose direction and size follow the KPI definition."""
    outcomes = []
    for key in pick(rng, kpi_keys, count):
        metric, label, unit, low, high, direction, chg_low, chg_high, decimals = KPIS[key]
        before = round(rng.uniform(low, high), decimals)
        change = rng.uniform(chg_low, chg_high)
        if direction == "down":
            after = before * (1 - change)
        elif direction == "up":
            after = before * (1 + change)
            if unit == "%":
                after = min(after, 99.0)
        else:
            after = before + (100 - before) * change
        after = round(after, decimals)
        if after == before:
            after = round(before * (0.9 if direction == "down" else 1.1), max(decimals, 1))
        outcomes.append(Outcome(key, metric, label, unit, before, after))
    return outcomes


def topic_claim(rng: random.Random, topic: Topic) -> Outcome:
    """One of the topic's own outcome figures (drawn on first use, then reused)."""
    if not topic.claims:
        topic.claims = make_outcomes(rng, topic.words["kpis"], 2)
    return rng.choice(topic.claims)


def claim(rng: random.Random, topic: Topic, outcome: Outcome | None = None) -> str:
    """A hedged outcome promise for summaries of solutions and products."""
    outcome = outcome or topic_claim(rng, topic)
    change = outcome.change_text()
    return rng.choice((
        f"{outcome.label}平均{change}", f"可使{outcome.label}{change}左右",
        f"试点客户{outcome.label}{change}", f"帮助企业{outcome.label}{change}以上",
    ))


class UniqueTitles:
    """Perturbs a title already used, so large scales stay browsable and dedupable.

    At scale 100 the same scenario, industry and pattern meet many times; a real
    catalog would show editions and regional variants rather than exact repeats.
    """

    EDITIONS = ("V2.0", "V3.0", "2025版", "2026版", "Pro版", "标准版", "旗舰版", "轻量版", "升级版", "云端版")

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.seen: set[str] = set()

    def claim(self, title: str, topic: Topic) -> str:
        candidate = title
        for _ in range(6):
            if candidate not in self.seen:
                break
            candidate = title + self.rng.choice((
                f" {self.rng.choice(self.EDITIONS)}", f"（{topic.industry['short']}专版）",
                f"（{topic.city.removesuffix('市')}）", f"·{topic.brand}", f"（{topic.org_name[:4]}）",
            ))
        self.seen.add(candidate)
        return candidate[:120]


def solution_title(rng: random.Random, topic: Topic) -> str:
    term = rng.choice(topic.words["terms"])
    ind = topic.industry
    distinct = [t for t in topic.tech_names if t[:2] not in term] or ["人工智能"]
    tech = rng.choice(distinct)
    alias = rng.choice(("慧眼", "智脑", "云匠", "灵犀", "天枢", "擎天", "知行", "御衡", "精鉴", "百川"))
    title = rng.choice((
        f"面向{ind['label']}行业的{term}{rng.choice(('系统', '解决方案', '平台', '整体方案'))}",
        f"{topic.brand}{term}解决方案",
        f"基于{tech}的{ind['short']}{term}平台",
        f"{ind['short']}行业{term}一体化方案",
        f"{term}SaaS服务（{ind['label']}版）",
        f"“{topic.brand}·{alias}”{term}系统",
        f"{topic.city.removesuffix('市')}{ind['short']}企业{term}整体解决方案",
        f"{ind['short']}{term}：{topic_claim(rng, topic).headline()}",
        f"{ind['short']}{topic.where(rng)}{term}方案",
    ))
    for noun in ("平台", "系统", "方案"):  # "碳管理平台平台"
        title = title.replace(noun + noun, noun)
    return title


def solution_summary(rng: random.Random, topic: Topic, delivery_mode: str) -> str:
    w, ind = topic.words, topic.industry
    term, pain, action = rng.choice(w["terms"]), rng.choice(w["pains"]), rng.choice(w["actions"])
    tech = rng.choice(topic.tech_names)
    return rng.choice((
        f"针对{ind['label']}企业{pain}的问题，{topic.brand}{rng.choice(('推出', '提供', '打造'))}{term}方案：{action}，{claim(rng, topic)}。",
        f"{action}，方案适用于{ind['short']}企业的{topic.where(rng)}，{claim(rng, topic)}。",
        f"不少{ind['short']}企业仍面临“{pain}”。{topic.brand}方案基于{tech}，{action}，{claim(rng, topic)}。",
        f"一套{DELIVERY_MODE_TEXT[delivery_mode]}的{ind['short']}{term}方案：{action}；{claim(rng, topic)}。",
        f"{ind['short']}企业如何解决{pain}？{topic.brand}的{ind['short']}方案以{tech}为核心，{action}。",
        _track_record(rng, topic, term, action),
        f"{ind['label']}专用：{rng.choice(w['features'])}+{rng.choice(w['features'])}，{action}。",
    ))


def _all_claims(rng: random.Random, topic: Topic) -> list[Outcome]:
    topic_claim(rng, topic)
    return topic.claims


def _track_record(rng: random.Random, topic: Topic, term: str, action: str) -> str:
    """How far the solution has got, in words that agree with its maturity stage."""
    ind = topic.industry
    if topic.stage == "pilot":
        return (f"{term}方案已在{rng.randint(1, 3)}家{ind['short']}企业的{rng.choice(items_of(ind, 'products'))}"
                f"产线完成试点，{action}，{claim(rng, topic)}。")
    low, high = (3, 15) if topic.stage == "production" else (20, 80)
    return f"已在{rng.randint(low, high)}家{ind['short']}企业落地的{term}方案，{action}，{claim(rng, topic)}。"


# Scenarios about a product's quality: their texts name the industry's own defects
# (针距不齐, 缩痕, 崩边), the words a buyer's demand uses.
QUALITY_KPIS = {"miss_rate", "defect_ppm", "fpy", "scrap_rate"}


def industry_detail(rng: random.Random, topic: Topic) -> str:
    """A sentence only this industry could have written: its products, process steps,
    materials and, for quality scenarios, its typical defects."""
    ind = topic.industry
    products = "、".join(pick(rng, items_of(ind, "products"), 2))
    process = "、".join(pick(rng, items_of(ind, "processes"), 2))
    material = rng.choice(items_of(ind, "materials"))
    if QUALITY_KPIS & set(topic.words["kpis"]):
        defects = "、".join(pick(rng, items_of(ind, "defects"), 4))
        takt = f"检测节拍{rng.choice((0.5, 1, 2, 3))}秒/件以内，可对接MES"
        return takt + "；" + rng.choice((
            f"覆盖{products}的{process}工序，替代人工目检，可识别{defects}等{ind['short']}常见外观缺陷，适配{material}等材质",
            f"针对{products}在{process}环节出现的{defects}，用机器视觉逐件检测、判定并留存缺陷图像，不再靠质检员目检",
        ))
    if topic.on_shop_floor:
        return f"已用于{products}的{process}环节，熟悉{material}等物料的工艺特点"
    return f"服务{ind['short']}企业{products}业务的{rng.choice(topic.areas)}"


def solution_body(rng: random.Random, topic: Topic, delivery_mode: str, tier: str, weeks: int) -> str:
    w, ind = topic.words, topic.industry
    headings = rng.choice((
        ("适用场景", "核心功能", "数据与部署", "实施与服务", "预期成效"),
        ("行业痛点", "方案构成", "技术路线", "交付方式", "客户价值"),
        ("背景", "能做什么", "怎么落地", "服务保障", "效果"),
    ))
    products = "、".join(pick(rng, items_of(ind, "products"), 2))
    pains = "；".join(pick(rng, w["pains"], 2))
    features = "、".join(pick(rng, w["features"], rng.randint(3, 4)))
    process = rng.choice(items_of(ind, "processes"))
    data = "、".join(pick(rng, w["data"], 2))
    sections = [
        f"【{headings[0]}】{ind['label']}企业（{products}等）常见问题：{pains}。{industry_detail(rng, topic)}。",
        f"【{headings[1]}】面向{ind['short']}{process}等环节，包括{features}。",
        f"【{headings[2]}】以{data}为输入，采用{'、'.join(pick(rng, topic.tech_names, 2))}技术；"
        f"{DELIVERY_MODE_TEXT[delivery_mode]}，适合{fit_text(rng, delivery_mode, ind)}。",
        f"【{headings[3]}】{ind['short']}项目标准交付周期约{weeks}周，{support_lines(rng, ind, topic.city, 2)}。",
        f"【{headings[4]}】{ind['short']}客户{'，'.join(claim(rng, topic, outcome) for outcome in _all_claims(rng, topic))}。",
    ]
    return "\n\n".join(sections)


HARDWARE_HINTS = ("一体机", "相机", "网关", "服务器", "CPE", "机器人", "AGV", "终端", "传感器",
                  "盒子", "眼镜", "设备", "柜", "工作站", "无人机", "立体库", "单元", "大屏", "模组")

SOFTWARE_HINTS = ("软件", "系统", "平台", "SaaS", "服务", "客服", "模型")


def model_number(rng: random.Random, prefix: str) -> str:
    return rng.choice((
        f"{prefix}-{rng.randint(1, 9)}{rng.choice('0257')}00",
        f"{prefix}{rng.randint(1, 5)}-{rng.randint(10, 99)}{rng.choice('MKST')}{rng.randint(1, 4)}",
        f"{prefix}{rng.choice((300, 600, 800, 1000, 1200))}{rng.choice(('', 'Pro', 'Max', 'Lite', 'S'))}",
        f"{prefix}-{rng.randint(10, 99)}{rng.choice('ABCEH')}",
        f"{prefix}{rng.randint(2019, 2026) % 100}{rng.choice(('V2', 'V3', 'X', 'E'))}",
    ))


def price_text(rng: random.Random, is_hardware: bool) -> str:
    if is_hardware:
        return rng.choice((
            f"{rng.randint(2, 60) / 2:g}万元/台起", f"¥{rng.randint(3, 98) * 1000:,}/台", "面议",
            f"{rng.randint(5, 80)}万元/套（含安装调试）", f"租赁{rng.randint(8, 60) * 100}元/月",
        ))
    return rng.choice((
        f"{rng.randint(2, 30) / 2:g}万元/年", f"{rng.randint(3, 20) * 100}元/账号/年", "按项目报价",
        f"{rng.randint(10, 120)}万元/套（永久授权）", "首年免费试用", "面议",
    ))


def product_texts(rng: random.Random, topic: Topic) -> dict:
    noun, prefixes = rng.choice(topic.words["products"])
    model = model_number(rng, rng.choice(prefixes))
    is_hardware = any(h in noun for h in HARDWARE_HINTS) and not any(h in noun for h in SOFTWARE_HINTS)
    ind, w = topic.industry, topic.words
    flavor = rng.choice(("AI", "深度学习", "YOLO", "大模型", "边缘智能", "云原生", "国产化"))
    title = rng.choice((
        f"{noun} {model}", f"{topic.brand}{noun} {model}", f"{flavor}{noun} {model}",
        f"{ind['short']}专用{noun}（{model}）", f"{topic.brand}{model}系列{noun}",
    ))
    if is_hardware:
        specs = pick(rng, (
            f"整机功耗低于{rng.randint(3, 30) * 10}W", f"支持{rng.choice((2, 4, 8, 16))}路数据接入",
            f"响应时间≤{rng.choice((20, 50, 100, 200))}ms", f"防护等级IP{rng.choice((54, 65, 67))}",
            f"内置{rng.choice((8, 16, 32, 100, 200))}TOPS AI算力", f"工作温度-10~{rng.choice((45, 50, 60))}℃",
        ), 2)
    else:
        specs = pick(rng, (
            f"支持{rng.choice((50, 200, 500, 1000))}并发用户", "提供标准REST API",
            "支持私有化部署和SaaS两种模式", f"内置{rng.randint(10, 80)}个行业模板",
            f"平均响应时间小于{rng.choice((1, 2, 3))}秒", "兼容国产操作系统和数据库",
        ), 2)
    action = rng.choice(w["actions"])
    summary = rng.choice((
        f"{model}是一款面向{ind['label']}的{noun}，{action}，{specs[0]}，{specs[1]}。",
        f"{action}——{topic.brand}{noun}{model}，{specs[0]}。",
        f"专为{ind['short']}企业{topic.where(rng)}设计的{noun}：{specs[0]}，{specs[1]}，{claim(rng, topic)}。",
        f"{ind['short']}{rng.choice(w['terms'])}用{noun}，{action}，{claim(rng, topic)}。",
    ))
    body = "\n\n".join((
        f"产品简介：{noun}（型号{model}）{action}，可用于{'、'.join(pick(rng, w['terms'], 2))}等场景。",
        f"主要参数：{'；'.join(specs)}；适配{'、'.join(pick(rng, items_of(ind, 'products'), 2))}等产品。",
        f"{ind['short']}产线用到的主要功能：{'、'.join(pick(rng, w['features'], 3))}。{industry_detail(rng, topic)}。",
        f"服务：{support_lines(rng, ind, topic.city)}。",
    ))
    return {"title": title, "summary": summary, "body": body, "model_number": model,
            "price_text": price_text(rng, is_hardware)}


def keywords(rng: random.Random, topic: Topic) -> str:
    words = pick(rng, topic.words["terms"], 3) + [topic.industry["label"]] + pick(rng, topic.tech_names, 2)
    return ",".join(dict.fromkeys(words))
