"""Pasting more than a long field's limit in Chromium: nothing is cut, the counter says by how
much, and the server's message appears on saving (issue 16: the browser cut silently at 5,000)."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_pasted_text_is_kept_and_counted_against_the_server_limit(browser, live_server):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 1000})
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto(live_server + "/login")
        form = page.locator("form[action$='/login']")
        form.locator("[name=email]").fill("enterprise1@demo.example.com")
        form.locator("[name=password]").fill("demo12345")
        with page.expect_navigation():
            form.locator("button[type=submit]").first.click()

        page.goto(live_server + "/demands/new")
        editor = page.locator("#demand-form")
        editor.locator("[name=title]").fill("注塑件外观缺陷视觉检测")
        counter = page.locator("[data-counter-for=background]")
        assert counter.inner_text().startswith("已输入 0 / 5000")
        editor.locator("[name=background]").focus()
        page.keyboard.insert_text("设备老化，" * 1100)  # as a paste arrives: 5,500 characters
        assert page.eval_on_selector("[name=background]", "e => e.value.length") == 5500
        assert "已输入 5500 / 5000" in counter.inner_text() and "超出 500 个字符" in counter.inner_text()

        with page.expect_navigation():
            editor.locator("[name=save_draft]").click()
        assert "最多 5000 个字符" in page.locator(".lm-field__error").first.inner_text()
        assert page.eval_on_selector("[name=background]", "e => e.value.length") == 5500  # handed back whole
    finally:
        context.close()
