"""A demand that a moderator has not approved appears nowhere public."""
from __future__ import annotations

import pytest

from catalog_app.extensions import db
from catalog_app.models import DemandStatus

HIDDEN = (DemandStatus.DRAFT, DemandStatus.PENDING_REVIEW, DemandStatus.REJECTED, DemandStatus.CLOSED)
TITLE = "注塑车间缩痕检测需求"


@pytest.mark.parametrize("status", HIDDEN)
def test_an_unapproved_demand_is_on_no_public_page(client, create_demand, status):
    demand = create_demand(title=TITLE, summary="缩痕与飞边自动检出", status=status)
    # A published one of the same organization, so that the organization has a public page.
    create_demand(organization=demand.organization, title="另一条已发布的缩痕检测需求")
    db.session.commit()
    assert client.get(f"/demands/{demand.id}").status_code == 404
    for url in ("/demands", "/demands?q=缩痕", "/search?q=缩痕检测", f"/organizations/{demand.organization_id}", "/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert TITLE not in response.get_data(as_text=True), url


def test_the_same_demand_once_published_is_on_those_pages(client, create_demand):
    demand = create_demand(title=TITLE, summary="缩痕与飞边自动检出", status=DemandStatus.PUBLISHED)
    db.session.commit()
    assert client.get(f"/demands/{demand.id}").status_code == 200
    for url in ("/demands", "/demands?q=缩痕", f"/organizations/{demand.organization_id}"):
        assert TITLE in client.get(url).get_data(as_text=True), url
