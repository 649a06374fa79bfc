"""Catalog pages: status codes, publication, bad input, and a constant number of SQL statements."""
from __future__ import annotations

import pytest

from catalog_app.browsing.browse import clear_summary_cache
from catalog_app.extensions import db
from catalog_app.models import CaseOutcome, ListingKind, ListingStatus, OrganizationTier, OutcomeMetric
from catalog_app.read_cache import read_cache
from tests.conftest import settle_search
from tests.catalog.helpers import industry, region, scenario, technology


@pytest.mark.parametrize("section", ["solutions", "products", "cases"])
def test_list_pages_render_when_empty(client, section):
    response = client.get(f"/{section}")
    assert response.status_code == 200
    assert "暂无结果" in response.get_data(as_text=True)


def test_list_shows_published_and_hides_the_rest(client, create_listing):
    create_listing(title="已发布的视觉方案")
    create_listing(title="草稿中的方案", status=ListingStatus.DRAFT)
    create_listing(ListingKind.PRODUCT, title="一款产品")
    html = client.get("/solutions").get_data(as_text=True)
    assert "已发布的视觉方案" in html
    assert "草稿中的方案" not in html
    assert "一款产品" not in html


def test_list_filters_and_shows_facet_counts(client, create_listing):
    create_listing(title="视觉甲", scenarios=[scenario()], industries=[industry()])
    create_listing(title="维护乙", scenarios=[scenario("equipment-fault-prediction")])
    html = client.get("/solutions?scenario=online-intelligent-inspection").get_data(as_text=True)
    assert "视觉甲" in html and "维护乙" not in html
    assert 'aria-current="true"' in html  # the chosen facet value
    assert "共 1 条结果" in html


def test_list_keyword_search_uses_bigrams(client, create_listing):
    create_listing(title="机器视觉缺陷检测一体机")
    create_listing(title="车间智能排产", summary="", body="")
    html = client.get("/solutions?q=视觉检测").get_data(as_text=True)
    assert "机器视觉缺陷检测一体机" in html and "车间智能排产" not in html


def test_pagination_links_mark_the_current_page(client, create_listing):
    for _ in range(3):
        create_listing()
    html = client.get("/solutions?per_page=1&page=2").get_data(as_text=True)
    assert 'aria-current="page" aria-label="第 2 页，当前页"' in html
    assert "page=3" in html and 'rel="prev"' in html


@pytest.mark.parametrize(
    "query",
    [
        "page=-1", "page=0", "page=abc", "page=1.5", "per_page=0", "per_page=100000", "per_page=x",
        "sort=popular", "industry=no-such-code", "scenario=nope", "technology=nope", "region=999999",
        "region=440114", "tier=giant", "tier=sme&tier=chain_leader", "q=" + "检" * 10_000,
    ],
)
def test_bad_query_parameters_give_a_400_page_with_a_message(client, query):
    response = client.get(f"/solutions?{query}")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'role="alert"' in html
    assert "请求无法处理" in html


def test_unknown_filter_message_names_the_filter(client):
    html = client.get("/solutions?industry=bogus").get_data(as_text=True)
    assert "未知的筛选条件：industry=bogus" in html


def test_query_at_the_length_limit_is_accepted(app, client):
    limit = app.config["SEARCH_MAX_QUERY_LENGTH"]
    assert client.get("/solutions?q=" + "a" * limit).status_code == 200
    assert client.get("/solutions?q=" + "a" * (limit + 1)).status_code == 400


def test_page_past_the_end_is_404(client, create_listing):
    create_listing()
    assert client.get("/solutions?page=2").status_code == 404


def test_unknown_parameters_are_ignored(client):
    assert client.get("/solutions?utm_source=wechat").status_code == 200


@pytest.mark.parametrize("path", ["/solutions/999999", "/cases/abc", "/widgets", "/solutions/-1"])
def test_unknown_pages_are_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "页面不存在" in response.get_data(as_text=True)


def test_detail_of_unpublished_or_wrong_kind_is_404(client, create_listing):
    draft = create_listing(status=ListingStatus.PENDING_REVIEW)
    product = create_listing(ListingKind.PRODUCT)
    assert client.get(f"/solutions/{draft.id}").status_code == 404
    assert client.get(f"/solutions/{product.id}").status_code == 404
    assert client.get(f"/products/{product.id}").status_code == 200


def test_case_detail_shows_outcomes_with_change(client, create_listing):
    case = create_listing(
        ListingKind.CASE,
        title="皮具质检案例",
        customer_name="某皮具企业",
        outcomes=[
            CaseOutcome(metric=OutcomeMetric.CYCLE_TIME, label="研发周期", before_value=90, after_value=36, unit="天"),
            CaseOutcome(metric=OutcomeMetric.YIELD, label="良率", before_value=0, after_value=98, unit="%"),
        ],
    )
    html = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "研发周期" in html and "-60.0%" in html and "change--better" in html
    assert "某皮具企业" in html


def test_detail_links_to_linked_and_related_listings(client, create_listing):
    product = create_listing(ListingKind.PRODUCT, title="关联的相机产品")
    neighbour = create_listing(title="同场景的另一方案", scenarios=[scenario()])
    solution = create_listing(scenarios=[scenario()], linked=[product])
    html = client.get(f"/solutions/{solution.id}").get_data(as_text=True)
    assert f"/products/{product.id}" in html
    assert f"/solutions/{neighbour.id}" in html


def _populate(create_listing, create_organization, count: int) -> None:
    organizations = [
        create_organization(region=region("440305"), tier=OrganizationTier.CHAIN_LEADER),
        create_organization(),
    ]
    for number in range(count):
        create_listing(
            organization=organizations[number % 2],
            scenarios=[scenario(), scenario("equipment-fault-prediction")],
            industries=[industry()],
            technologies=[technology()],
            linked=[],
        )


def test_list_page_statement_count_does_not_grow_with_page_size(client, create_listing, create_organization,
                                                                 count_queries):
    _populate(create_listing, create_organization, 60)
    counts = {}
    for per_page in (5, 50):
        settle_search()
        with count_queries() as counter:
            response = client.get(f"/solutions?per_page={per_page}&scenario=online-intelligent-inspection&q=视觉")
        assert response.status_code == 200
        counts[per_page] = counter.count
    assert counts[5] == counts[50]
    assert counts[50] <= 15


def test_detail_page_statement_count_is_constant(client, create_listing, create_organization, count_queries):
    _populate(create_listing, create_organization, 3)
    few = create_listing(scenarios=[scenario()])
    read_cache().clear()  # both visits render the page and its cards (nothing cached)
    with count_queries() as counter:
        client.get(f"/solutions/{few.id}")
    baseline = counter.count
    _populate(create_listing, create_organization, 30)
    read_cache().clear()
    with count_queries() as counter:
        assert client.get(f"/solutions/{few.id}").status_code == 200
    assert counter.count == baseline


def test_search_page_covers_every_kind(client, create_listing, create_demand):
    create_listing(title="视觉检测方案")
    create_listing(ListingKind.CASE, title="视觉检测案例")
    create_demand(title="视觉检测需求")
    html = client.get("/search?q=视觉检测").get_data(as_text=True)
    assert "视觉检测方案" in html and "视觉检测案例" in html and "视觉检测需求" in html


def test_search_by_scenario_without_keyword(client, create_listing):
    create_listing(title="场景入口方案", scenarios=[scenario()])
    response = client.get("/search?scenario=online-intelligent-inspection")
    assert response.status_code == 200
    assert "场景入口方案" in response.get_data(as_text=True)


def test_empty_search_shows_the_form(client):
    assert client.get("/search").status_code == 200


@pytest.mark.parametrize("query", ["q=" + "x" * 5000, "scenario=unknown", "sort=zzz"])
def test_search_bad_input_is_400(client, query):
    assert client.get(f"/search?{query}").status_code == 400


def test_search_statement_count_is_constant(client, create_listing, create_organization, create_demand,
                                            count_queries):
    def add_everything(count):
        _populate(create_listing, create_organization, count)
        for _ in range(count):
            create_listing(ListingKind.PRODUCT, title="视觉产品")
            create_listing(ListingKind.CASE, title="视觉案例")
            create_demand(title="视觉需求")

    add_everything(1)
    settle_search()
    with count_queries() as counter:
        client.get("/search?q=视觉")
    baseline = counter.count
    add_everything(10)
    settle_search()
    with count_queries() as counter:
        assert client.get("/search?q=视觉").status_code == 200
    assert counter.count == baseline


def test_chinese_keyword_search_finds_overlapping_words(client, create_listing):
    create_listing(title="机器视觉缺陷检测系统", summary="产线外观瑕疵识别")
    create_listing(title="智能排产APS软件", summary="生产计划优化", body="排程")
    db.session.commit()
    page = client.get("/solutions?q=视觉检测").get_data(as_text=True)
    assert "机器视觉缺陷检测系统" in page
    assert "智能排产APS软件" not in page


@pytest.mark.usefixtures("page_cache_off")
def test_facet_counts_are_cached_until_the_data_changes(client, create_listing, count_queries):
    create_listing(title="机器视觉缺陷检测系统")
    settle_search()
    assert "共 1 条结果" in client.get("/solutions").get_data(as_text=True)
    with count_queries() as cached:
        client.get("/solutions")
    with count_queries() as cold:
        clear_summary_cache()
        client.get("/solutions")
    assert cached.count < cold.count

    create_listing(title="注塑机预测性维护方案")
    db.session.commit()
    assert "共 2 条结果" in client.get("/solutions").get_data(as_text=True)
