"""On a phone, a member's top bar (language switch and up to six account links) wraps onto
more lines instead of pushing its first links off the left edge, where no scrolling reaches."""
from __future__ import annotations

WIDTH = 375


def test_every_top_bar_link_of_a_supplier_is_on_screen(people):
    context = people.browser.new_context(locale="zh-CN", viewport={"width": WIDTH, "height": 740}, is_mobile=True)
    people.contexts.append(context)
    phone = context.new_page()
    phone.goto(f"{people.base}/login")
    form = phone.locator("form[action$='/login']")
    form.locator("[name=email]").fill("supplier1@demo.example.com")
    form.locator("[name=password]").fill("demo12345")
    with phone.expect_navigation():
        form.locator("button[type=submit]").click()
    phone.goto(f"{people.base}/")
    targets = phone.locator(".topbar a, .topbar button")
    names = [targets.nth(i).inner_text() for i in range(targets.count())]
    assert "English" in names and "退出登录" in names and len(names) >= 7
    for i, name in enumerate(names):
        box = targets.nth(i).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, f"{name} is off screen: {box}"
    people.shot(phone, "phone-member-header")
