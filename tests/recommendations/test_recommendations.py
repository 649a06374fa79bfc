"""The app's use of the matching engine: search, recommendations, freshness, stored matches."""
from __future__ import annotations

import json

import sqlalchemy as sa

from catalog_app.extensions import db
from catalog_app.models import (
    DemandStatus,
    ListingKind,
    ListingStatus,
    Match,
    MatchStatus,
    Scenario,
    UserRole,
)
from catalog_app.recommendations.live_index import LiveIndex
from catalog_app.recommendations.services import (
    live_index,
    recommend_demands,
    recommend_listings,
    search_listing_ids,
    store_matches,
)


def _scenario(slug_part: str) -> Scenario:
    return db.session.scalars(sa.select(Scenario).where(Scenario.name_zh.contains(slug_part))).first()


def test_search_finds_chinese_by_overlapping_words(app, create_listing):
    wanted = create_listing(title="机器视觉缺陷检测系统", summary="产线外观瑕疵自动识别")
    create_listing(title="智能排产APS软件", summary="生产计划优化", body="排程")
    db.session.commit()
    assert search_listing_ids("视觉检测")[0] == wanted.id


def test_unpublished_listings_never_come_back(app, create_listing):
    draft = create_listing(title="机器视觉缺陷检测草稿", status=ListingStatus.DRAFT)
    pending = create_listing(title="机器视觉缺陷检测待审", status=ListingStatus.PENDING_REVIEW)
    db.session.commit()
    found = search_listing_ids("机器视觉缺陷检测")
    assert draft.id not in found and pending.id not in found


def test_published_listing_shows_up_without_restart_and_leaves_when_archived(app, create_listing):
    create_listing(title="能源管理平台", summary="工厂用电分析", body="峰谷电价检测")
    db.session.commit()
    assert search_listing_ids("预测性维护") == []

    listing = create_listing(title="设备预测性维护系统", summary="振动分析", body="轴承寿命",
                             status=ListingStatus.DRAFT)
    db.session.commit()
    assert listing.id not in search_listing_ids("预测性维护")

    listing.status = ListingStatus.PUBLISHED
    db.session.commit()
    assert search_listing_ids("预测性维护") == [listing.id]

    listing.status = ListingStatus.ARCHIVED
    db.session.commit()
    assert search_listing_ids("预测性维护") == []


def test_kind_filter(app, create_listing):
    product = create_listing(ListingKind.PRODUCT, title="工业相机 VX-3200 视觉检测")
    solution = create_listing(ListingKind.SOLUTION, title="视觉检测整体方案")
    db.session.commit()
    assert search_listing_ids("视觉检测", kinds=[ListingKind.PRODUCT]) == [product.id]
    assert set(search_listing_ids("视觉检测")) == {product.id, solution.id}


def test_recommendations_for_a_demand_carry_chinese_reasons(app, create_listing, create_demand):
    scenario = _scenario("检测")
    good = create_listing(title="皮具表面缺陷视觉检测系统", summary="基于深度学习识别皮面划痕、色差")
    good.scenarios.append(scenario)
    create_listing(title="仓储物流AGV调度系统", summary="智能仓储搬运")
    demand = create_demand(title="皮具皮面瑕疵自动检测", summary="需要识别划痕和色差，替代人工目检")
    demand.scenarios.append(scenario)
    db.session.commit()

    recommendations = recommend_listings(demand)
    assert recommendations[0].item.id == good.id
    text = recommendations[0].explanation("zh")
    assert text.startswith("匹配原因：同属") and "场景；共同关键词：" in text and "划痕" in text and "色差" in text
    english = recommendations[0].explanation("en")
    assert english.startswith(f"Why: same scenario: {scenario.name_en}; shared keywords: ") and "划痕" in english
    assert 1 <= recommendations[0].percent <= 100


def test_store_matches_is_idempotent_and_dismissed_stays_dismissed(app, create_listing, create_demand):
    listing = create_listing(title="注塑机预测性维护方案")
    demand = create_demand(title="注塑设备故障预测需求", summary="注塑机预测性维护")
    db.session.commit()

    store_matches(demand)
    db.session.commit()
    store_matches(demand)
    db.session.commit()
    rows = db.session.scalars(sa.select(Match).where(Match.demand_id == demand.id)).all()
    assert [m.listing_id for m in rows] == [listing.id]

    rows[0].status = MatchStatus.DISMISSED
    db.session.commit()
    assert recommend_listings(demand) == []
    store_matches(demand)
    db.session.commit()
    assert db.session.get(Match, rows[0].id).status is MatchStatus.DISMISSED


def test_demands_recommended_to_a_supplier(app, create_organization, create_listing, create_demand):
    supplier = create_organization()
    create_listing(organization=supplier, title="AI配方研发平台", summary="香精配方智能匹配")
    wanted = create_demand(title="化妆品香精配方智能匹配", summary="从10万份配方中快速找到相近配方")
    create_demand(title="冲压件表面缺陷检测")
    closed = create_demand(title="香精配方研发需求（已关闭）", status=DemandStatus.CLOSED)
    db.session.commit()

    found = [r.item.id for r in recommend_demands(supplier)]
    assert found[0] == wanted.id
    assert closed.id not in found


def test_snapshot_is_reused_by_a_second_worker(app, create_listing, tmp_path):
    create_listing(title="数字孪生工厂规划")
    db.session.commit()
    first = live_index("listings")
    first.snapshot_dir = tmp_path
    assert first.rebuild() == 1
    assert (tmp_path / "listings.current").exists()

    later = create_listing(title="数字孪生产线仿真")
    db.session.commit()
    second = LiveIndex("listings", table=first.table, visible_ids=first.visible_ids,
                       documents=first.documents, snapshot_dir=str(tmp_path), refresh_seconds=0)
    index = second.index()
    assert str(later.id) in index.row_of and len(index.row_of) == 2


def test_a_snapshot_missing_many_rows_reads_them_in_chunks(app, create_listing, tmp_path, monkeypatch):
    """A snapshot of other data (tens of thousands of ids missing) once failed on PostgreSQL:
    one IN list passed its 65,535 bound parameters. Rows are read a chunk at a time."""
    from catalog_app.recommendations import live_index as live_index_module

    create_listing(title="数字孪生工厂规划")
    db.session.commit()
    first = live_index("listings")
    first.snapshot_dir = tmp_path
    first.rebuild()
    later = [create_listing(title=f"视觉检测方案{n}") for n in range(5)]
    db.session.commit()
    chunks = []

    def documents(ids=None):
        chunks.append(None if ids is None else len(ids))
        return first.documents(ids)

    monkeypatch.setattr(live_index_module, "APPLY_CHUNK", 2)
    second = LiveIndex("listings", table=first.table, visible_ids=first.visible_ids,
                       documents=documents, snapshot_dir=str(tmp_path), refresh_seconds=0)
    second._reconciled_at = float("-inf")
    index = second.index()
    assert {str(listing.id) for listing in later} <= set(index.row_of)
    assert max(size for size in chunks if size is not None) <= 2


def test_a_snapshot_of_other_documents_is_rebuilt_not_loaded(app, create_demand, tmp_path):
    """Demand documents built by an older rule (full text) must not survive an upgrade."""
    demand = create_demand(title="压铸件气孔检测需求")
    db.session.commit()
    first = live_index("demands")
    assert first.documents_version  # the app's demand index names its documents

    def worker(documents, version: str = "") -> LiveIndex:
        return LiveIndex("demands", table=first.table, visible_ids=first.visible_ids, documents=documents,
                         snapshot_dir=str(tmp_path), refresh_seconds=3600, documents_version=version)

    assert worker(lambda ids=None: []).rebuild() == 0  # an old snapshot: no version, nothing in it
    current = worker(first.documents, first.documents_version)
    assert current._load() is False  # refused ...
    current.reset()
    assert str(demand.id) in current.index().row_of  # ... and rebuilt, which saves it under the version
    assert json.loads((tmp_path / "demands.current").read_text())["documents_version"] == first.documents_version
    assert worker(first.documents, first.documents_version)._load() is True


def test_supplier_dashboard_lists_matching_demands(client, create_user, create_listing, create_demand):
    from tests.conftest import login_as

    supplier = create_user(UserRole.SUPPLIER)
    create_listing(organization=supplier.organization, title="冲压件表面缺陷视觉检测")
    create_demand(title="冲压件外观缺陷自动检测需求")
    db.session.commit()
    login_as(client, supplier)
    page = client.get("/recommendations/demands")
    assert page.status_code == 200
    assert "冲压件外观缺陷自动检测需求" in page.get_data(as_text=True)


def test_dashboard_is_for_suppliers_only(client, create_user):
    from tests.conftest import login_as

    assert client.get("/recommendations/demands").status_code == 302
    login_as(client, create_user(UserRole.ENTERPRISE))
    assert client.get("/recommendations/demands").status_code == 403


def test_dismissing_needs_a_side_of_the_pair(client, create_user, create_listing, create_demand):
    from tests.conftest import login_as

    listing = create_listing(title="注塑机预测性维护方案")
    demand = create_demand(title="注塑设备预测性维护")
    outsider = create_user(UserRole.SUPPLIER)
    db.session.commit()
    login_as(client, outsider)
    response = client.post("/recommendations/dismiss", data={"demand_id": demand.id, "listing_id": listing.id})
    assert response.status_code == 404
    assert db.session.scalar(sa.select(Match)) is None


def test_enterprise_dismisses_a_recommended_listing(client, create_user, create_listing, create_demand):
    from tests.conftest import login_as

    enterprise = create_user(UserRole.ENTERPRISE)
    listing = create_listing(title="注塑机预测性维护方案")
    demand = create_demand(organization=enterprise.organization, title="注塑设备预测性维护")
    db.session.commit()
    assert [r.item.id for r in recommend_listings(demand)] == [listing.id]
    login_as(client, enterprise)
    response = client.post("/recommendations/dismiss", data={"demand_id": demand.id, "listing_id": listing.id})
    assert response.status_code == 302
    assert recommend_listings(demand) == []


def test_keyword_search_ignores_single_character_overlaps(app, create_listing):
    create_listing(title="视觉缺陷检测系统", summary="表面检测", body="质检")
    wanted = create_listing(title="设备预测性维护", summary="振动分析", body="轴承")
    db.session.commit()
    assert search_listing_ids("预测性维护") == [wanted.id]
    assert search_listing_ids("能耗") == []
    assert search_listing_ids("测") != []  # a one-character query still finds what contains it


def test_a_ranking_holds_the_index_while_a_refresh_waits(app, create_listing):
    """Refreshes change the index in place: a thread that ranks must not see it change
    half-way (a threaded server once ranked over arrays of two sizes: an IndexError)."""
    import threading

    create_listing(title="注塑件外观缺陷视觉检测")
    live = live_index("listings")
    live.index()
    refreshed = threading.Event()

    def refresh_in_another_thread():
        with app.app_context():
            live.refresh()
        refreshed.set()

    with live.reading() as index:
        worker = threading.Thread(target=refresh_in_another_thread)
        worker.start()
        assert not refreshed.wait(0.3)  # the refresh waits for the ranking to finish
        assert len(index) >= 1
    worker.join(timeout=10)
    assert refreshed.is_set()
