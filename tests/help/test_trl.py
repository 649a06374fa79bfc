"""TRL explained: the help page in both languages, and the links to it beside every TRL number."""
from __future__ import annotations

import re

from catalog_app.extensions import db
from catalog_app.models import ListingKind
from catalog_app.readiness import LEVELS, readiness_level


def test_the_help_page_explains_the_nine_levels_in_both_languages(client):
    chinese = client.get("/help/trl").get_data(as_text=True)
    english = client.get("/help/trl?lang=en").get_data(as_text=True)
    for html in (chinese, english):
        assert re.findall(r'id="trl-(\d)"', html) == [str(n) for n in range(1, 10)]
    assert "技术成熟度等级（TRL）" in chinese and "经实际运行验证" in chinese
    assert "Technology readiness levels (TRL)" in english and "Proven in operation" in english
    assert "Proven in operation" not in chinese


def test_levels_outside_the_scale_have_no_explanation():
    assert [level.level for level in LEVELS] == list(range(1, 10))
    assert readiness_level(0) is None and readiness_level(10) is None and readiness_level(None) is None


def test_cards_explain_the_trl_and_detail_pages_link_the_help(client, create_listing):
    listing = create_listing(ListingKind.SOLUTION, maturity_trl=7, title="TRL 说明测试方案")
    db.session.commit()
    cards = client.get("/solutions?lang=en").get_data(as_text=True)
    # On cards a tooltip (a link per card would be twenty more tab stops before the titles).
    chip = re.search(r'<abbr class="maturity__trl" title="([^"]+)">TRL 7</abbr>', cards)
    assert chip and chip.group(1) == "TRL 7 of 9: Prototype demonstrated in operation"
    detail = client.get(f"/solutions/{listing.id}?lang=zh").get_data(as_text=True)
    assert "实际运行环境中的原型演示" in detail and 'href="/help/trl#trl-7"' in detail
