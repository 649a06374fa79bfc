"""The public catalog in a real browser: Chinese by default, facets, detail, English switch."""
from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


def test_home_is_chinese_and_shows_the_demo_catalog(page, live_server):
    page.goto(live_server + "/")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert "解决方案" in page.inner_text("header")
    counts = page.locator(".hero, main").first.inner_text()
    assert re.search(r"\d{3}", counts), "headline counts are shown"


def test_search_filter_and_open_a_detail_page(page, live_server):
    page.goto(live_server + "/solutions?q=视觉检测")
    first = page.locator("main .card a").first
    title = first.inner_text()
    assert title
    first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().strip() == title.strip()


def test_language_switch_keeps_the_page(page, live_server):
    page.goto(live_server + "/products")
    page.get_by_role("link", name="English").first.click()
    page.wait_for_load_state()
    assert "/products" in page.url
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Products" in page.inner_text("nav.main-nav")


def test_no_console_errors_or_csp_violations(page, live_server):
    messages = []
    page.on("console", lambda message: messages.append(message) if message.type == "error" else None)
    for path in ("/", "/solutions", "/cases", "/demands", "/organizations", "/search?q=预测性维护"):
        page.goto(live_server + path)
    assert [m.text for m in messages] == []
