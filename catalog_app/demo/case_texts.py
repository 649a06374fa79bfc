"""Composing application cases: the outcomes are drawn first, then the text quotes them.

Drawing the numbers before the prose is what keeps a case consistent: the problem
states the baseline, the summary and body state the same before/after values that
are stored as `CaseOutcome` rows.
"""
from __future__ import annotations

import random

from catalog_app.demo.texts import Outcome, Topic, industry_detail, items_of, keywords, make_outcomes, pick
from catalog_app.demo.vocabulary.common import support_lines


def anonymous_customer(rng: random.Random, topic: Topic) -> str:
    ind, city = topic.industry, topic.city.removesuffix("市")
    return rng.choice((
        f"某{ind['label']}企业", f"{city}某{ind['short']}龙头企业", f"某{ind['short']}规上企业",
        f"{city}一家{ind['short']}制造企业", f"某上市{ind['short']}集团",
    ))


def case_texts(rng: random.Random, topic: Topic, customer: str, linked_title: str | None,
               year: int, weeks: int) -> dict:
    """Title, summary, body, problem and deployment of one case, plus its outcomes.

    :param customer: the customer as published: a real demo organization name or an
        anonymized "某皮具企业" (many customers do not allow their name).
    :param linked_title: the supplier's solution or product that was deployed, if any.
    :returns: the text fields and ``outcomes``, a list of :class:`Outcome`.
    """
    w, ind = topic.words, topic.industry
    outcomes = make_outcomes(rng, w["kpis"], rng.randint(2, min(4, len(w["kpis"]))))
    term = rng.choice(w["terms"])
    product = rng.choice(items_of(ind, "products"))
    head = outcomes[0].headline()
    anon = anonymous_customer(rng, topic) if customer.startswith("某") else customer
    title = rng.choice((
        f"{anon}{product}{term}项目",
        f"{customer}{term}应用案例",
        f"{term}助力{topic.city.removesuffix('市')}{ind['short']}企业{head}",
        f"{ind['label']}｜{term}落地实践：{head}",
        f"{ind['short']}企业{topic.where(rng)}{term}改造（{year}年）",
        f"{customer}：用{rng.choice(topic.tech_names)}实现{term}",
    ))
    baseline = "，".join(f"{o.label}为{_num(o.before)}{o.unit}" for o in outcomes[:2])
    problem = rng.choice((
        f"{customer}主要生产{product}等产品，{rng.choice(w['pains'])}。项目实施前，{baseline}。",
        f"随着订单增长，{customer}在{topic.where(rng)}上{rng.choice(w['pains'])}；改造前{baseline}。",
        f"{rng.choice(w['pains'])}，是{customer}多年的老问题。实施前{baseline}，{product}业务的管理层决定上AI。",
    ))
    # The deployed listing by name only: its title may carry its own headline figure.
    deployed = linked_title.split("：")[0] if linked_title else f"{topic.brand}{term}系统"
    deployment = rng.choice((
        f"{topic.brand}为其部署了“{deployed}”，{rng.choice(w['actions'])}。"
        f"项目历时{weeks}周上线，接入{product}{'生产' if topic.on_shop_floor else '业务'}中的{'、'.join(pick(rng, w['data'], 2))}。",
        f"先选取{'一条' + product + '产线' if topic.on_shop_floor else '一个事业部'}试点，部署“{deployed}”，{rng.choice(w['actions'])}；"
        f"试点{max(weeks // 2, 2)}周验证达标后推广至全厂。",
        f"采用{'+'.join(pick(rng, topic.tech_names, 2))}技术路线，上线“{deployed}”，"
        f"{rng.choice(w['actions'])}，{support_lines(rng, ind, topic.city)}。",
    ))
    results = "；".join(o.sentence(rng) for o in outcomes)
    deployment += industry_detail(rng, topic).join(("系统", "。"))
    summary = rng.choice((
        f"{anon}通过{term}，{results}。",
        f"{year}年上线{term}后，{anon}{outcomes[0].sentence(rng)}。",
        f"{head}：{anon}的{product}{'产线' if topic.on_shop_floor else '业务'}上线{term}，{outcomes[-1].sentence(rng)}。",
    ))[:500]
    body = "\n\n".join((
        f"【客户背景】{problem}",
        f"【实施内容】{deployment}",
        f"【应用成效】{anon}上线后，" + "；".join(o.sentence(rng) for o in outcomes) + "。",
        rng.choice((
            f"客户评价：“{_quote(rng, outcomes[0], product)}”",
            f"下一步，{anon}计划将{term}推广到{rng.choice(('其他' + product + '产线', '集团其他工厂', '上下游供应商'))}。",
            f"该{ind['short']}项目入选{year}年{topic.city}人工智能典型应用场景案例。",
        )),
    ))
    return {"title": title[:120], "summary": summary, "body": body, "problem": problem,
            "deployment": deployment, "keywords": keywords(rng, topic), "outcomes": outcomes}


def _num(value: float) -> str:
    return f"{value:g}"


def _quote(rng: random.Random, outcome: Outcome, product: str) -> str:
    return rng.choice((
        f"以前{product}最头疼的{outcome.label}问题，现在有了明显改善。",
        f"{product}这条线投入不大，半年左右就收回了成本。",
        f"系统上线后，做{product}的一线员工也愿意用，这是最难得的。",
        f"{product}的数据说话，管理层对继续投入AI有了信心。",
    ))
