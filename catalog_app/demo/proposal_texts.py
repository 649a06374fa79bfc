"""Composing what suppliers and enterprises write to each other: proposals, threads, decisions.

A proposal is built from independent parts (how the supplier reads the need, what it
proposes, its track record, the rollout, the service terms), each with several sentence
structures that draw on the demand's scenario vocabulary, so proposals to the same
demand read like different companies wrote them. Threads pair an enterprise question
with an answer on the same subject. All randomness comes from the caller's seeded
`random.Random`.
"""
from __future__ import annotations

import random

from catalog_app.demo.texts import Topic, items_of, make_outcomes, pick
from catalog_app.demo.vocabulary.common import support_lines

def _listing_phrase(references: list[tuple[str, str]]) -> str:
    """How a proposal names the supplier's linked listings: “《…》方案” or “…产品和…案例”."""
    names = [f"《{title}》" if kind == "case" else f"“{title}”" for kind, title in references]
    return "和".join(names)


def approach_text(rng: random.Random, topic: Topic, supplier_name: str, supplier_city: str,
                  references: list[tuple[str, str]], is_challenge: bool) -> str:
    """A proposal's approach: 3-5 short paragraphs, 150-600 characters."""
    w, ind = topic.words, topic.industry
    pain, action = rng.choice(w["pains"]), rng.choice(w["actions"])
    term = rng.choice(w["terms"])
    where = topic.where(rng)
    ask = rng.choice(w["asks"])
    paragraphs = []
    paragraphs.append(rng.choice((
        f"我们理解贵司的核心诉求是{ask}，当前的主要问题在于{pain}。",
        f"从需求描述看，{where}“{pain.split('，')[0]}”是影响交付和成本的关键环节，这也是我们在{ind['short']}行业最常遇到的问题。",
        f"贵司希望通过{term}{rng.choice(('解决', '改善', '根治'))}“{pain}”的问题，我们认为可以分阶段落地，先见效再推广。",
        f"感谢贵司发布需求。结合{ind['label']}行业特点，我们建议以{where}为切入点，重点解决{pain}。",
        f"{'我方申请揭榜。' if is_challenge else ''}本需求的难点不在算法本身，而在于{pain}，需要结合现场工艺和数据基础一起设计。",
    )))
    features = "、".join(pick(rng, w["features"], rng.randint(2, 3)))
    techs = "、".join(topic.tech_names[:2]) or "人工智能"
    if references:
        listing = _listing_phrase(references)
        paragraphs.append(rng.choice((
            f"方案以我司{listing}为基础，{action}。主要模块包括{features}。",
            f"我们建议直接复用已上线的{listing}，在此基础上针对贵司{rng.choice(items_of(ind, 'products'))}做定制：{action}。",
            f"技术路线：基于{techs}，{action}；可复用{listing}中的{features}等成熟模块，缩短开发周期。",
            f"核心是{features}三部分，对应我司{listing}，已在多家{ind['short']}企业稳定运行。",
        )))
    else:
        paragraphs.append(rng.choice((
            f"技术路线：以{'、'.join(pick(rng, w['data'], 2))}为输入，基于{techs}，{action}。",
            f"我们计划搭建{features}，{action}。",
            f"方案由{features}组成，采用{techs}，{action}。",
        )))
    outcome = make_outcomes(rng, w["kpis"], 1)[0]
    paragraphs.append(rng.choice((
        f"我司近三年在{ind['label']}行业交付同类项目{rng.randint(3, 40)}个，典型客户{outcome.sentence(rng)}。",
        f"参考同类项目经验，预计上线后{outcome.headline()}，具体目标可在试点阶段共同确认。",
        f"团队{rng.randint(8, 120)}人，其中算法工程师{rng.randint(3, 30)}人，{supplier_city}本地有实施团队，可在48小时内到场。",
        f"在佛山、东莞等地的{ind['short']}工厂已有落地案例，{outcome.sentence(rng)}，可安排贵司实地考察。",
        f"我们承诺的验收指标：{outcome.label}{outcome.change_text()}以上；达不到的部分按合同约定退还相应费用。",
    )))
    weeks = rng.choice((2, 3, 4))
    paragraphs.append(rng.choice((
        f"实施分三步：①现场调研与数据采集（{weeks}周）；②模型开发与试点上线；③全面推广与人员培训。",
        f"第一阶段在{where}做试点，验证效果后再推广到其他{rng.choice(('产线', '车间', '工厂', '部门'))}；全程由项目经理对接，每周提交进度报告。",
        f"建议先签试点协议，用{weeks}至{weeks + 4}周跑通数据和效果，再签推广合同，降低贵司的投入风险。",
        f"项目组由{supplier_name.removesuffix('有限公司')}的交付经理、算法和现场工程师组成，按“调研—试点—验收—推广”推进。",
    )))
    if rng.random() < 0.7:
        paragraphs.append("服务保障：" + support_lines(rng, ind, supplier_city, 2) + "。")
    return "\n\n".join(paragraphs)


def timeline_text(rng: random.Random) -> str:
    """A delivery timeline as a supplier would fill the short field (at most 200 characters)."""
    survey, pilot, months = rng.choice((1, 2, 3)), rng.choice((4, 6, 8, 10)), rng.choice((2, 3, 4, 6))
    return rng.choice((
        f"签约后{survey}周完成调研，{pilot}周内试点上线，{months}个月完成验收",
        f"共{months}个月：调研{survey}周、开发{pilot}周、试运行与验收",
        f"试点{pilot}周，推广{rng.choice((4, 8, 12))}周",
        f"约{survey + pilot + 2}周，可按产线分批交付",
        f"{months}个月内全部上线，首期{pilot}周见效",
        f"POC验证{rng.choice((2, 3, 4))}周；正式实施{months}个月",
        f"硬件到货{survey}周，安装调试{rng.choice((1, 2))}周，试运行{rng.choice((2, 4))}周",
        f"{months}个月（含{rng.choice((1, 2, 3))}个月免费试运行）",
    ))


# Enterprise questions and supplier answers on the same subject; "{…}" fields are filled per demand.
THREAD_TOPICS = {
    "data": (
        ("需要我们提供哪些数据？历史数据大概要多久的？", "目前{data}大约只保存了半年，质量一般，这种情况能做吗？"),
        ("需要{data}，最好有3个月以上的历史记录；数据不全也没关系，试点期间我们会协助补采。",
         "半年的{data}够用于首版模型，试点阶段我们会同步做数据治理，不影响进度。"),
    ),
    "deploy": (
        ("系统能否本地部署？我们的生产网不允许连外网。", "部署需要停线吗？{where}每天两班倒，停线窗口很少。"),
        ("支持本地私有化部署，数据不出厂，我们可以提供边缘服务器或使用贵司现有服务器。",
         "不需要停线，安装可安排在换线或周末进行，单个工位半天即可完成。"),
    ),
    "case": (
        ("有没有{industry}行业的落地案例？方便的话想去现场看看。", "同行业客户用了多久才看到效果？"),
        ("有的，{city}一家{industry}企业已经用了一年多，我们可以约下周安排参观。",
         "一般试点4到6周就能看到数据上的变化，完整效果通常在3个月左右稳定下来。"),
    ),
    "price": (
        ("报价里包含哪些内容？后续每年的运维费用是多少？", "能否分期付款，或者先试点再付款？"),
        ("报价含软件许可、硬件、实施和首年运维；第二年起运维费约为合同额的10%到15%。",
         "可以，支持按“试点—验收—推广”三个节点分期付款，试点不达标不收费。"),
    ),
    "integration": (
        ("能否和我们现有的ERP、MES对接？", "我们用的是{system}，你们有对接经验吗？"),
        ("可以，我们提供标准API，也做过多家企业的ERP/MES对接，一般1到2周完成。",
         "对接过{system}，有现成的接口适配，联调大约一周。"),
    ),
    "team": (
        ("项目由谁负责？实施期间能否驻场？", "后续运维是远程还是现场？响应时间多长？"),
        ("由我们的交付经理全程负责，实施期间工程师驻场，关键节点技术总监到场。",
         "日常远程支持，7x24小时响应；重大问题承诺24小时内到场。"),
    ),
}
SYSTEMS = ("用友U8", "金蝶云星空", "SAP", "鼎捷ERP", "自研MES", "黑湖MES")
SUPPLIER_OPENERS = (
    "您好，我们已提交方案，如需补充材料或安排线上演示，请随时联系。",
    "补充说明：报价可根据试点范围调整，欢迎进一步沟通。",
    "附上同行业项目的验收报告摘要，供贵司参考。",
    "我们下周在{city}，如方便可以上门交流一次。",
)
SHORTLIST_MESSAGES = (
    "贵司方案已进入我们的入围名单，想约下周做一次现场交流，请提供可选时间。",
    "方案已入围。请补充一份详细报价清单和项目组成员名单。",
    "我们内部评审后认为方案比较契合，下一步希望先做小范围试点，请准备试点方案。",
)
SHORTLIST_REPLIES = (
    "收到，我们周二、周四下午均可，届时技术负责人一起到场。",
    "好的，报价清单和团队名单本周内发给您。",
    "没问题，试点方案三个工作日内提交。",
)
AGREEMENT_MESSAGES = (
    ("试点效果达到预期，我们准备签意向协议，请把合同初稿发过来。", "合同初稿已发至贵司采购邮箱，请法务审阅。"),
    ("公司已批准立项，意向协议按第二版报价签署。", "感谢信任！项目组下周一进场启动。"),
    ("双方条款已确认，意向协议已盖章，请安排启动会。", "已收到，启动会定在下周三上午，我们会提前发议程。"),
)
DECLINE_NOTES = {
    "not_a_fit": ("方案偏通用，与我们{where}的工艺结合不够。", "我们更需要本地部署的方案，SaaS模式不符合公司规定。",
                  "方案侧重硬件改造，我们希望先从软件入手。"),
    "too_early": ("今年预算已锁定，计划明年再启动，届时再联系。", "产线搬迁中，项目暂缓到新厂投产后。"),
    "cost": ("报价超出预算较多，暂不考虑。", "总体费用偏高，特别是后续运维费用。"),
    "unclear_benefit": ("效益测算依据不足，难以通过内部立项。", "试点指标不够明确，无法评估投入产出。"),
    "other": ("集团统一采购，已由总部指定供应商。", "项目负责人调整，需求重新梳理后再发布。",
              "需要在本市有实施团队的服务商，贵司暂不满足。"),
}
AGREEMENT_NOTES = (
    "首期试点{pilot}万元，验收后签订正式合同。",
    "分三期付款：预付30%，上线验收40%，稳定运行3个月后付尾款30%。",
    "含首年运维；第二年起运维另行签约。",
    "先覆盖{where}，效果达标后推广至全厂。",
    "",
)


def thread(rng: random.Random, topic: Topic, supplier_city: str, stage: str) -> list[tuple[str, str]]:
    """A proposal's history as (side, body) pairs, oldest first.

    :param stage: "submitted", "declined", "withdrawn", "shortlisted" or "agreed": how far the
        conversation got.
    :returns: messages ("enterprise" or "supplier", body) and, in their place, the decisions
        (side "shortlisted", "declined", "agreed" or "withdrawn", body "").
    """
    fields = {"data": rng.choice(topic.words["data"]), "where": topic.where(rng),
              "industry": topic.industry["short"], "city": supplier_city, "system": rng.choice(SYSTEMS)}
    messages: list[tuple[str, str]] = []
    if rng.random() < 0.35:
        messages.append(("supplier", rng.choice(SUPPLIER_OPENERS).format(**fields)))
    questions = {"submitted": rng.randint(0, 2), "declined": rng.randint(0, 1), "withdrawn": rng.randint(0, 1),
                 "shortlisted": rng.randint(1, 2), "agreed": rng.randint(1, 3)}[stage]
    for subject in pick(rng, list(THREAD_TOPICS), questions):
        asks, answers = THREAD_TOPICS[subject]
        which = rng.randrange(len(asks))
        messages.append(("enterprise", asks[which].format(**fields)))
        if stage != "withdrawn" or rng.random() < 0.5:
            messages.append(("supplier", answers[which].format(**fields)))
    if stage in ("shortlisted", "agreed"):
        which = rng.randrange(len(SHORTLIST_MESSAGES))
        messages += [("shortlisted", ""), ("enterprise", SHORTLIST_MESSAGES[which]),
                     ("supplier", SHORTLIST_REPLIES[which])]
    if stage == "agreed":
        messages += list(zip(("enterprise", "supplier"), rng.choice(AGREEMENT_MESSAGES)))
    if stage in ("declined", "withdrawn", "agreed"):
        messages.append((stage, ""))
    return messages


def decline_note(rng: random.Random, topic: Topic, reason: str) -> str:
    """The enterprise's explanation; always for "other", often for the rest."""
    if reason != "other" and rng.random() < 0.35:
        return ""
    return rng.choice(DECLINE_NOTES[reason]).format(where=topic.where(rng))


def agreement_note(rng: random.Random, topic: Topic, amount: int) -> str:
    return rng.choice(AGREEMENT_NOTES).format(pilot=max(1, amount // rng.choice((3, 4, 5))), where=topic.where(rng))
