"""browse() picks one summary and one page strategy; the keyword page of a source filtered
in SQL (organizations) keeps which engine hits pass, under the summary's key and version."""
from __future__ import annotations

from catalog_app.browsing.browse import BrowseQuery, _page_strategy, _page_ranked_in_sql, browse
from catalog_app.browsing.params import BrowseParams
from catalog_app.organizations.services import ORGANIZATION_SOURCE
from tests.conftest import settle_search


def test_a_sql_filtered_keyword_page_reuses_the_passing_hits_until_the_data_changes(
        app, create_organization, create_listing, count_queries):
    shown = create_organization(name="缓存检验智能装备有限公司")
    create_listing(organization=shown)
    create_organization(name="缓存检验智能装备研究院")  # no public content: never listed
    settle_search()
    params = BrowseParams(q="缓存检验智能装备", facets={}, sort="relevance", page=1, per_page=20)
    with count_queries() as cold:
        first = browse(ORGANIZATION_SOURCE, params)
    with count_queries() as warm:
        again = browse(ORGANIZATION_SOURCE, params)
    assert [o.id for o in first.items] == [o.id for o in again.items] == [shown.id]
    def filters_hits(statements):
        return any(" ".join(s.split()).startswith("SELECT organizations.id FROM") for s in statements)

    assert filters_hits(cold.statements) and not filters_hits(warm.statements)

    other = create_organization(name="缓存检验智能装备集团")
    create_listing(organization=other)
    settle_search()
    assert {o.id for o in browse(ORGANIZATION_SOURCE, params).items} == {shown.id, other.id}


def test_the_page_strategy_follows_the_query():
    params = BrowseParams(q="视觉", facets={}, sort="relevance", page=1, per_page=20)
    query = BrowseQuery(ORGANIZATION_SOURCE, params, selected={}, ranked_ids=[3, 1])
    assert _page_strategy(query) is _page_ranked_in_sql
    newest = BrowseQuery(ORGANIZATION_SOURCE, BrowseParams(sort="newest"), selected={}, ranked_ids=None)
    assert _page_strategy(newest).__name__ == "_page_in_sql"
