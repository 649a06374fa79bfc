"""Headline figures are defined once (stats.headline) and the home page and /stats show the same."""
from __future__ import annotations

import re

from catalog_app.extensions import db
from catalog_app.models import DemandStatus, ListingKind, ListingStatus
from catalog_app.stats.headline import headline_figures


def _numbers(html: str, value_class: str, label_class: str) -> dict[str, int]:
    pairs = re.findall(rf'class="{value_class}">([\d,]+)</span><span class="{label_class}">([^<]+)<', html)
    return {label: int(value.replace(",", "")) for value, label in pairs}


def test_home_and_stats_show_the_same_headline_numbers(client, create_listing, create_demand, create_organization):
    create_listing()
    create_listing(ListingKind.CASE)
    create_listing(ListingKind.PRODUCT, status=ListingStatus.DRAFT)
    create_demand()
    create_demand(status=DemandStatus.CLOSED)  # ever published, no longer public
    create_organization()  # nothing public
    db.session.commit()
    figures = headline_figures()
    assert (figures.solutions, figures.products, figures.cases, figures.demands, figures.organizations) == \
        (1, 0, 1, 1, 3)
    home = _numbers(client.get("/").get_data(as_text=True), "stat__value", "stat__label")
    stats = _numbers(client.get("/stats/").get_data(as_text=True), "st-total__value", "st-total__label")
    shared = set(home) & set(stats)
    assert {"企业需求", "入驻机构", "解决方案"} <= shared
    assert {label: home[label] for label in shared} == {label: stats[label] for label in shared}
    assert home["入驻机构"] == 3 and home["企业需求"] == 1


def test_the_deal_figures_say_proposals_not_solutions(client):
    html = client.get("/stats/").get_data(as_text=True)
    assert "供应商应答方案" in html and "累计发布需求" in html
