"""Public demand pages: which demands show, what a summary-only demand hides, bad input."""
from __future__ import annotations

from datetime import date

import pytest

from catalog_app.models import Confidentiality, DemandStatus, OrganizationTier
from tests.catalog.helpers import region, scenario
from tests.conftest import settle_search

SECRET = "绝密：产线布局与良率数据"


@pytest.mark.parametrize("status", list(DemandStatus))
def test_only_public_statuses_are_listed(client, create_demand, status):
    create_demand(title="状态测试需求", status=status)
    html = client.get("/demands").get_data(as_text=True)
    assert ("状态测试需求" in html) == (status in (DemandStatus.PUBLISHED, DemandStatus.IN_TALKS, DemandStatus.SOLVED))


@pytest.mark.parametrize("status", [DemandStatus.DRAFT, DemandStatus.PENDING_REVIEW, DemandStatus.CLOSED,
                                    DemandStatus.REJECTED])
def test_detail_of_non_public_demand_is_404(client, create_demand, status):
    demand = create_demand(status=status)
    assert client.get(f"/demands/{demand.id}").status_code == 404


def test_unknown_demand_is_404(client):
    assert client.get("/demands/424242").status_code == 404


def test_public_demand_shows_budget_deadline_and_prize(client, create_demand):
    demand = create_demand(
        budget_min=50, budget_max=120, deadline=date(2026, 12, 31), is_challenge=True, prize_amount=200,
        challenge_deadline=date(2026, 10, 1), background="八条产线依赖人工目检", confidential_details=SECRET,
    )
    html = client.get(f"/demands/{demand.id}").get_data(as_text=True)
    assert "50–120 万元" in html
    assert "2026-12-31" in html and "2026-10-01" in html
    assert "揭榜挂帅" in html and "200 万元" in html
    assert "八条产线依赖人工目检" in html
    assert SECRET not in html
    assert "详细信息仅对经企业批准的供应商可见" not in html


def test_summary_only_demand_shows_the_lock_notice_and_hides_details(client, create_demand):
    demand = create_demand(
        confidentiality=Confidentiality.SUMMARY_ONLY, summary="公开的摘要", requirements="完整的技术要求",
        confidential_details=SECRET,
    )
    html = client.get(f"/demands/{demand.id}").get_data(as_text=True)
    assert "详细信息仅对经企业批准的供应商可见" in html
    assert "公开的摘要" in html
    assert "完整的技术要求" not in html
    assert SECRET not in html


def test_budget_without_figures_is_negotiable(client, create_demand):
    demand = create_demand()
    assert "面议" in client.get(f"/demands/{demand.id}").get_data(as_text=True)


def test_confidential_details_are_not_searchable(client, create_demand):
    create_demand(title="普通需求", confidential_details="独门秘方配比")
    html = client.get("/demands?q=独门秘方").get_data(as_text=True)
    assert "普通需求" not in html


def test_region_facet_uses_the_demand_region_then_the_organization(client, create_demand, create_organization):
    foshan_enterprise = create_organization(region=region("440606"), tier=OrganizationTier.CHAIN_LEADER)
    create_demand(title="顺德需求", organization=foshan_enterprise)
    create_demand(title="落在深圳的需求", organization=foshan_enterprise, region=region("440300"))
    html = client.get("/demands?region=440600").get_data(as_text=True)
    assert "顺德需求" in html and "落在深圳的需求" not in html
    html = client.get("/demands?region=440300").get_data(as_text=True)
    assert "落在深圳的需求" in html and "顺德需求" not in html


def test_scenario_filter(client, create_demand):
    create_demand(title="视觉需求", scenarios=[scenario()])
    create_demand(title="维护需求", scenarios=[scenario("equipment-fault-prediction")])
    html = client.get("/demands?scenario=equipment-fault-prediction").get_data(as_text=True)
    assert "维护需求" in html and "视觉需求" not in html


@pytest.mark.parametrize("query", ["page=-1", "page=abc", "per_page=100000", "tier=huge", "sort=budget",
                                   "industry=x", "q=" + "需" * 10_000])
def test_bad_query_parameters_are_400(client, query):
    assert client.get(f"/demands?{query}").status_code == 400


def test_list_statement_count_does_not_depend_on_page_size(client, create_demand, count_queries):
    for _ in range(40):
        create_demand(scenarios=[scenario()], region=region("440305"))
    counts = []
    for per_page in (5, 40):
        settle_search()
        with count_queries() as counter:
            assert client.get(f"/demands?per_page={per_page}").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1]


def test_detail_statement_count_is_constant(client, create_demand, create_listing, count_queries):
    demand = create_demand(scenarios=[scenario()])
    create_listing(scenarios=[scenario()])
    settle_search()
    with count_queries() as counter:
        client.get(f"/demands/{demand.id}")
    baseline = counter.count
    for _ in range(12):
        create_listing(scenarios=[scenario()])
    settle_search()
    with count_queries() as counter:
        page = client.get(f"/demands/{demand.id}").get_data(as_text=True)
    assert counter.count == baseline
    assert page.count('<li class="match') == 8  # recommendations shown, in a constant number of statements
