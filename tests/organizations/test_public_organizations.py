"""The organization directory: who appears, what a profile lists, bad input."""
from __future__ import annotations

import pytest

from catalog_app.models import DemandStatus, ListingKind, ListingStatus, OrganizationKind, OrganizationTier
from tests.catalog.helpers import region
from tests.conftest import settle_search


def test_directory_lists_only_organizations_with_public_content(client, create_organization, create_listing,
                                                                create_demand):
    supplier = create_organization(name="有成果的供应商")
    create_listing(organization=supplier)
    enterprise = create_organization(name="有需求的企业", kind=OrganizationKind.ENTERPRISE)
    create_demand(organization=enterprise)
    drafts_only = create_organization(name="只有草稿的公司")
    create_listing(organization=drafts_only, status=ListingStatus.DRAFT)
    create_demand(organization=drafts_only, status=DemandStatus.PENDING_REVIEW)
    create_organization(name="刚注册的公司")

    html = client.get("/organizations").get_data(as_text=True)

    assert "有成果的供应商" in html and "有需求的企业" in html
    assert "只有草稿的公司" not in html and "刚注册的公司" not in html
    assert client.get(f"/organizations/{drafts_only.id}").status_code == 404


def test_profile_lists_published_listings_and_public_demands_only(client, create_organization, create_listing,
                                                                  create_demand):
    organization = create_organization(name="广州某智能科技")
    create_listing(organization=organization, title="公开方案")
    create_listing(ListingKind.CASE, organization=organization, title="公开案例")
    create_listing(organization=organization, title="被驳回的方案", status=ListingStatus.REJECTED)
    create_demand(organization=organization, title="公开需求", status=DemandStatus.IN_TALKS)
    create_demand(organization=organization, title="已关闭需求", status=DemandStatus.CLOSED)

    response = client.get(f"/organizations/{organization.id}")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "公开方案" in html and "公开案例" in html and "公开需求" in html
    assert "被驳回的方案" not in html and "已关闭需求" not in html


def test_unknown_organization_is_404(client):
    assert client.get("/organizations/31337").status_code == 404


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=enterprise", {"深圳链主企业"}),
        ("tier=sme", {"花都中小供应商"}),
        ("region=440300", {"深圳链主企业"}),
        ("q=链主", {"深圳链主企业"}),
    ],
)
def test_directory_filters(client, create_organization, create_listing, create_demand, query, expected):
    names = {"深圳链主企业", "花都中小供应商"}
    enterprise = create_organization(name="深圳链主企业", kind=OrganizationKind.ENTERPRISE,
                                     tier=OrganizationTier.CHAIN_LEADER, region=region("440305"))
    create_demand(organization=enterprise)
    create_listing(organization=create_organization(name="花都中小供应商"))
    html = client.get(f"/organizations?{query}").get_data(as_text=True)
    assert {name for name in names if name in html} == expected


@pytest.mark.parametrize("query", ["kind=robot", "scenario=online-intelligent-inspection&kind=x", "page=abc",
                                   "per_page=-5", "region=zz"])
def test_bad_query_parameters_are_400(client, query):
    assert client.get(f"/organizations?{query}").status_code == 400


def test_directory_statement_count_does_not_depend_on_page_size(client, create_organization, create_listing,
                                                                count_queries):
    for _ in range(30):
        create_listing(organization=create_organization())
    counts = []
    for per_page in (5, 30):
        settle_search()
        with count_queries() as counter:
            assert client.get(f"/organizations?per_page={per_page}").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1]


def test_profile_statement_count_is_constant(client, create_organization, create_listing, create_demand,
                                             count_queries):
    organization = create_organization()
    create_listing(organization=organization)
    create_demand(organization=organization)
    with count_queries() as counter:
        client.get(f"/organizations/{organization.id}")
    baseline = counter.count
    for _ in range(10):
        create_listing(organization=organization)
        create_demand(organization=organization)
    with count_queries() as counter:
        client.get(f"/organizations/{organization.id}")
    assert counter.count == baseline
