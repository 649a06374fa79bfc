"""In-domain check: demands written by hand against the demo catalog find relevant listings.

Each demand below is written the way an enterprise would phrase it, in its own words (not
copied from the demo generator), and labelled with the scenarios whose listings answer it.
The engine sees only the text: no taxonomy is passed, so this measures the lexical matching.
"""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from catalog_app.extensions import db
from catalog_app.models import Listing, Scenario
from catalog_app.models.listings import listing_scenarios
from catalog_app.recommendations.services import preview_listings

LABELLED_DEMANDS = [
    ("皮具包袋表面划痕、压痕和色差全靠人工目检，漏检多，想用相机自动识别缺陷", {"online-intelligent-inspection"}),
    ("注塑机和空压机经常突然停机，希望通过振动和电流数据提前预警故障", {"equipment-fault-prediction", "equipment-monitoring", "equipment-maintenance"}),
    ("订单多、批量小，排产靠Excel，插单后交期经常延误，需要智能排程系统", {"workshop-intelligent-scheduling", "production-planning-optimization", "dynamic-production-dispatching"}),
    ("化妆品香精配方研发周期长，想从历史配方库里快速找到相近配方并预测性能", {"ai-formula-rd"}),
    ("工厂电费高，空调和空压机能耗大，想做用能监测和峰谷优化", {"intelligent-energy-management", "carbon-asset-lifecycle"}),
    ("仓库出入库全靠纸单，库位混乱，希望上WMS和AGV实现自动搬运", {"intelligent-warehousing", "precise-material-delivery", "supply-chain-logistics-delivery"}),
    ("售后咨询量大，客服人手不够，想用大模型做7×24小时智能客服", {"ai-customer-service", "proactive-customer-service"}),
    ("电商详情页和短视频文案制作慢，希望AI自动生成营销内容和商品图", {"ai-marketing-content", "precision-marketing", "digital-human-live-commerce"}),
    ("箱包新款式设计靠设计师手绘，上新慢，想用生成式AI出款式草图", {"ai-generative-design", "product-digital-design"}),
    ("设备说明书和工艺文件分散，新员工查资料难，想做企业知识库问答", {"industrial-llm-assistant"}),
    ("厂区消防和高危区域巡检靠人工，想用机器人或摄像头自动巡检", {"safety-inspection-robots", "integrated-safety-management", "hazardous-operation-automation"}),
    ("质量问题追溯不到批次和工位，希望扫码记录全流程质量数据", {"quality-traceability", "quality-analysis-improvement"}),
]


@pytest.fixture(scope="module")
def demo_app():
    from catalog_app import create_app
    from catalog_app.config import TestConfig
    from catalog_app.demo.services import load_demo_data
    from catalog_app.taxonomy.services import load_taxonomy

    settings = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    app = create_app(settings)
    with app.app_context():
        db.create_all()
        load_taxonomy()
        load_demo_data()
        yield app
        db.session.remove()


def _scenarios_of(listing_ids: list[int]) -> dict[int, set[str]]:
    rows = db.session.execute(
        sa.select(listing_scenarios.c.listing_id, Scenario.slug)
        .join(Scenario, Scenario.id == listing_scenarios.c.scenario_id)
        .where(listing_scenarios.c.listing_id.in_(listing_ids)))
    found: dict[int, set[str]] = {}
    for listing_id, slug in rows:
        found.setdefault(listing_id, set()).add(slug)
    return found


def test_a_relevant_listing_is_in_the_top_five_for_most_demands(demo_app):
    hits = []
    for text, relevant in LABELLED_DEMANDS:
        top = [r.item.id for r in preview_listings(text, top=5)]
        scenarios = _scenarios_of(top)
        hits.append(any(scenarios.get(listing_id, set()) & relevant for listing_id in top))
    assert sum(hits) >= 0.8 * len(LABELLED_DEMANDS), list(zip([t[:12] for t, _ in LABELLED_DEMANDS], hits))


def test_the_labels_name_real_scenarios(demo_app):
    known = set(db.session.scalars(sa.select(Scenario.slug)))
    assert all(relevant <= known for _text, relevant in LABELLED_DEMANDS)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Listing)) > 900
