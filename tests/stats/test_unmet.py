"""The unmet-demand map: open demands whose best recommendation is weak."""
from __future__ import annotations

import sqlalchemy as sa

from catalog_app.extensions import db
from catalog_app.models import DemandStatus, Industry, Scenario
from catalog_app.recommendations.services import Recommendation
from catalog_app.stats import unmet
from matching import Reason


def _recommendation(percent_score: float, *kinds: str) -> Recommendation:
    return Recommendation(item=None, score=percent_score,
                          reasons=tuple(Reason(kind=kind, label="x", weight=0.5) for kind in kinds))


def test_weakness_rules():
    assert unmet.is_weak([], 40)
    assert unmet.is_weak([_recommendation(0.2, "term")], 40)            # 15 % < 40 %
    assert unmet.is_weak([_recommendation(1.3, "verified", "case")], 40)  # strong score, weak reasons
    assert not unmet.is_weak([_recommendation(1.3, "term")], 40)
    assert not unmet.is_weak([_recommendation(1.0, "fuzzy"), _recommendation(0.9, "facet")], 40)
    # A match on one generic word is thin evidence.
    thin = Recommendation(item=None, score=1.2, reasons=(Reason(kind="term", label="智能", weight=0.1),
                                                         Reason(kind="verified", label="", weight=0.9)))
    assert unmet.is_weak([thin], 40)
    assert not unmet.is_weak([thin], 40, min_evidence=0.05)


def test_unmet_demands_counted_by_city_industry_and_scenario(app, create_listing, create_demand, region,
                                                             create_organization):
    scenario = db.session.scalar(sa.select(Scenario).where(Scenario.slug == "online-intelligent-inspection"))
    elsewhere = db.session.scalar(sa.select(Scenario).where(Scenario.slug == "equipment-fault-prediction"))
    industry = db.session.scalars(sa.select(Industry).order_by(Industry.id)).first()
    create_listing(title="皮具表面缺陷视觉检测方案", summary="深度学习识别皮面划痕、色差", keywords="视觉检测 皮具 缺陷",
                   scenarios=[scenario])
    served = create_demand(title="皮具表面缺陷视觉检测需求", summary="自动识别皮面划痕、色差", scenarios=[scenario])
    lonely = create_demand(title="量子退火排产优化", summary="冷库氨制冷机组寿命预测", scenarios=[elsewhere],
                           industries=[industry], region=region("440305"),
                           organization=create_organization(region=region("440114")))
    create_demand(title="量子退火排产优化草稿", status=DemandStatus.DRAFT)  # not open: never counted
    db.session.commit()

    open_count, weak_ids = unmet.weak_demand_ids()
    assert open_count == 2
    assert weak_ids == [lonely.id]
    assert served.id not in weak_ids

    tables = unmet.unmet_demands().tables
    assert [(term.key, count) for term, count in zip(tables["unmet-cities"].rows,
                                                      tables["unmet-cities"].columns["unmet"])] == [("440300", 1)]
    assert [term.key for term in tables["unmet-industries"].rows] == [industry.code]
    assert [term.key for term in tables["unmet-scenarios"].rows] == [elsewhere.slug]
