"""Composing demands as an enterprise writes them: background, requirements, targets.

Demands draw synonyms independently of the listings, so a demand for “机器视觉外观检测”
meets a listing titled “AI视觉瑕疵检测系统” through shared meaning, not equal strings.
"""
from __future__ import annotations

import random

from catalog_app.demo.texts import QUALITY_KPIS, Topic, items_of, make_outcomes, pick
from catalog_app.demo.vocabulary.common import OPENERS_NEED

TIER_DESCRIPTION = {
    "chain_leader": "行业链主企业",
    "above_size": "规模以上工业企业",
    "sme": "专精特新中小企业",
    "one_person": "初创团队",
}


def _shop_floor_detail(rng: random.Random, topic: Topic) -> str:
    """What the enterprise sees on its own line, in its own words (缩痕、飞边; 针距不齐)."""
    ind = topic.industry
    if not topic.on_shop_floor:
        return ""
    process = rng.choice(items_of(ind, "processes"))
    if QUALITY_KPIS & set(topic.words["kpis"]):
        defects = "、".join(pick(rng, items_of(ind, "defects"), 3))
        return f"{process}工序后的{defects}主要靠人工检查，标准不一。"
    return f"{process}工序目前依赖人工经验，{rng.choice(items_of(ind, 'materials'))}批次一变就要重新调整。"


def demand_texts(rng: random.Random, topic: Topic, tier: str, is_challenge: bool,
                 is_confidential: bool, months: int) -> dict:
    """Title, summary, background, requirements, expected outcomes, confidential details."""
    w, ind = topic.words, topic.industry
    term, pain = rng.choice(w["terms"]), rng.choice(w["pains"])
    product = rng.choice(items_of(ind, "products"))
    targets = make_outcomes(rng, w["kpis"], rng.randint(2, 3))
    if is_challenge:
        title = rng.choice((
            f"揭榜挂帅｜{term}关键技术攻关", f"【揭榜挂帅】{ind['short']}{term}难题征集",
            f"{product}{term}技术攻关榜单",
        ))
    elif is_confidential:
        title = rng.choice((f"某{ind['label']}企业{term}需求", f"{ind['short']}行业{term}项目（需签保密协议）"))
    else:
        title = rng.choice((
            f"{ind['short']}{product}{term}需求", f"寻求{term}解决方案（{ind['label']}）",
            f"征集{ind['short']}{term}服务商：{pain.split('，')[0]}", f"{topic.brand}{term}项目需求",
            f"{ind['short']}{topic.where(rng)}{term}改造", f"{product}企业如何用AI解决{pain.split('，')[0]}？",
        ))
    summary = rng.choice((
        f"{rng.choice(OPENERS_NEED)}在{product}{'产线' if topic.on_shop_floor else '业务'}引入{term}，解决{pain}的问题。",
        f"我司{product}{'产线' if topic.on_shop_floor else '业务'}{pain}，{rng.choice(OPENERS_NEED)}与有{ind['short']}行业经验的服务商合作{term}。",
        f"目标：{product}{'产线' if topic.on_shop_floor else '业务'}的{targets[0].label}{targets[0].change_text()}以上。"
        f"现状：我司{product}{'产线' if topic.on_shop_floor else '业务'}{pain}。",
        f"{ind['label']}企业寻找{term}方案，要求{rng.choice(w['asks'])}。",
    ))
    staff = {"chain_leader": (2000, 20000), "above_size": (300, 2000), "sme": (30, 300),
             "one_person": (1, 5)}[tier]
    background = (
        f"{'我司' if is_confidential else topic.org_name}是{topic.city}的{TIER_DESCRIPTION[tier]}，主要生产{'、'.join(pick(rng, items_of(ind, 'products'), 2))}，"
        f"员工约{rng.randint(*staff)}人。目前{pain}，"
        + "，".join(f"{t.label}约{t.before:g}{t.unit}" for t in targets[:2]) + "。"
        + _shop_floor_detail(rng, topic)
    )
    asks = pick(rng, w["asks"], rng.randint(2, 3)) + pick(rng, (
        f"{months}个月内在{product}{'产线' if topic.on_shop_floor else '业务'}完成上线",
        f"服务商在{topic.city.removesuffix('市')}或周边有本地实施团队，能到{ind['short']}车间现场",
        f"{product}{'产线' if topic.on_shop_floor else '业务'}上线后提供不少于1年的免费运维",
        f"可先在一条{product}线小范围试点验证效果", f"需提供{ind['label']}行业成功案例",
        f"按{product}{'产线' if topic.on_shop_floor else '业务'}验收结果分阶段付款",
    ), 2)
    requirements = "\n".join(f"{i}. {ask}" for i, ask in enumerate(asks, 1))
    expected = f"{product}{'产线' if topic.on_shop_floor else '业务'}上线后：" + "；".join(
        f"{t.label}{'降至' if t.is_decrease else '提升至'}{t.after:g}{t.unit}（现为{t.before:g}{t.unit}）"
        for t in targets
    ) + "。"
    confidential = ""
    if is_confidential:
        confidential = (
            f"涉及{rng.randint(2, 12)}条{rng.choice(items_of(ind, 'processes'))}线，日产约{rng.randint(2, 80) * 500}件；"
            f"现有系统：{rng.choice(('用友U8', '金蝶云星空', 'SAP', '鼎捷', '自研ERP'))}+{rng.choice(('自研MES', '无MES', '黑湖MES', '用友MES'))}；"
            f"可提供历史数据约{rng.randint(1, 36)}个月；对接人：{topic.org_name}数字化部。"
        )
    return {"title": title[:120], "summary": summary[:500], "background": background,
            "requirements": requirements, "expected_outcomes": expected,
            "confidential_details": confidential}
