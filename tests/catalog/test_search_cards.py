"""The search page loads the three listing sections' cards together (catalog.services.load_cards):
one visibility check for every kind, and a listing withdrawn after its card was cached is gone."""
from __future__ import annotations

import pytest

from catalog_app.extensions import db
from catalog_app.models import ListingKind, ListingStatus
from tests.conftest import settle_search


def _card_version_checks(statements: list[str]) -> int:
    """Statements that read the cards' versions: listing and organization updated_at by id."""
    return sum(1 for s in statements
               if "listings.updated_at" in s and "organizations.updated_at" in s and " IN " in s.upper())


@pytest.mark.usefixtures("page_cache_off")
def test_the_three_listing_sections_are_checked_in_one_statement(client, create_listing, count_queries):
    for kind in ListingKind:
        create_listing(kind, title=f"合并检查视觉{kind.value}")
    settle_search()
    client.get("/search?q=合并检查视觉")  # renders the cards
    with count_queries() as counter:
        html = client.get("/search?q=合并检查视觉").get_data(as_text=True)
    assert all(f"合并检查视觉{kind.value}" in html for kind in ListingKind)
    assert _card_version_checks(counter.statements) == 1


def test_a_withdrawn_listing_leaves_the_search_page_at_once(client, create_listing):
    shown = create_listing(title="撤回检验视觉方案甲")
    gone = create_listing(ListingKind.CASE, title="撤回检验视觉案例乙")
    settle_search()
    assert "撤回检验视觉案例乙" in client.get("/search?q=撤回检验视觉").get_data(as_text=True)
    gone.status = ListingStatus.ARCHIVED
    db.session.commit()
    html = client.get("/search?q=撤回检验视觉").get_data(as_text=True)
    assert shown.title in html
    assert "撤回检验视觉案例乙" not in html
