"""The demand editor in Chromium: typing a description suggests a scenario, one click ticks it,
and the live preview marks matches below the strong-match confidence as weaker."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_typing_suggests_a_scenario_the_user_can_accept(browser, live_server, tmp_path):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 1000})
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
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
        editor.locator("[name=summary]").type("目前靠人工目检划痕、缩痕、飞边等外观缺陷，漏检率高，希望引入机器视觉在线检测。")
        panel = page.locator("[data-facet-suggestions]")
        panel.wait_for(state="visible")
        page.locator("[data-preview-list] li").first.wait_for()
        button = panel.locator("button", has_text="场景：").first
        label = button.inner_text()
        page.screenshot(path=str(tmp_path / "demand-suggestions.png"), full_page=True)

        button.click()
        name = label.removeprefix("场景：").split(" · ")[0]
        box = editor.locator("fieldset", has_text="场景").locator("label", has_text=name).locator("input")
        assert box.first.is_checked()
        assert panel.locator("button", has_text=label).count() == 0
        assert not [e for e in errors if "Content Security Policy" in e], errors
    finally:
        context.close()
