"""The demand form with the keyboard only: Tab reaches every field and the buttons in reading
order, the focused field shows a visible ring, and Enter on the focused button submits.

Also the screenshots of the form with its errors, in Chinese and English, that a person
looks at (pytest's tmp_path, printed with -s); and the header's search placeholder, which
must fit its box in both languages.
"""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

ENTERPRISE = ("enterprise1@demo.example.com", "demo12345")
MAX_TABS = 400  # the page's links and the ~130 classification checkboxes come before the buttons


def _log_in(page, base: str, language: str) -> None:
    page.goto(f"{base}/login")
    form = page.locator("form[action$='/login']")
    form.locator("[name=email]").fill(ENTERPRISE[0])
    form.locator("[name=password]").fill(ENTERPRISE[1])
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    page.goto(f"{base}/?lang={language}")


@pytest.fixture
def enterprise_page(browser, live_server):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    _log_in(page, live_server, "zh")
    yield page
    context.close()


def _focused(page, form: str = "#demand-form") -> dict:
    return page.evaluate("""(form) => {
        const e = document.activeElement;
        const style = getComputedStyle(e);
        return {tag: e.tagName.toLowerCase(), name: e.getAttribute('name'), type: e.getAttribute('type'),
                value: e.value, in_form: !!e.closest(form),
                outline: style.outlineStyle !== 'none' ? parseFloat(style.outlineWidth) : 0};
    }""", form)


def test_keyboard_reaches_every_field_in_order_and_submits(enterprise_page, live_server):
    page = enterprise_page
    page.goto(live_server + "/demands/new")
    controls = page.locator("#demand-form :is(input, textarea, select, button):not([type=hidden])")
    expected = []
    for index in range(controls.count()):
        control = controls.nth(index)
        if control.is_visible() and control.is_enabled():
            expected.append(control.get_attribute("name"))
    expected_names = list(dict.fromkeys(expected))  # distinct, in document order
    assert {"title", "summary", "background", "budget_min", "region", "confidentiality",
            "save_draft", "submit_review"} <= set(expected_names)

    page.locator("body").focus()
    reached, rings = [], {}
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = _focused(page)
        if focused["in_form"]:
            reached.append(focused["name"])
            rings[focused["name"]] = focused["outline"]
            if focused["name"] == "submit_review":
                break
    reached_names = list(dict.fromkeys(reached))
    # Every field (radio groups are one tab stop) and both buttons, in reading order.
    assert reached_names == expected_names
    without_ring = {name: width for name, width in rings.items() if width < 2}
    assert without_ring == {}, "a visible focus ring on each control"

    # Fill the title by keyboard, then Shift+Tab back to "Save draft" and press Enter.
    page.locator("#title").focus()
    page.keyboard.type("键盘测试：电机外壳表面缺陷视觉检测")
    page.locator("#demand-form [name=save_draft]").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/edit" in page.url, page.url
    assert page.locator("#title").input_value() == "键盘测试：电机外壳表面缺陷视觉检测"


def test_keyboard_walks_the_enquiry_form_and_sends_it(enterprise_page, live_server, live_app):
    """The enquiry form (issue 16 names it beside the demand form): every field in order with
    a focus ring, then Enter on the send button sends the enquiry."""
    import sqlalchemy as sa

    from catalog_app.extensions import db
    from catalog_app.models import Listing, User
    from catalog_app.models.listings import ListingKind, ListingStatus

    with live_app.app_context():
        own = db.session.scalar(sa.select(User.organization_id).where(User.email == ENTERPRISE[0]))
        listing_id = db.session.scalar(sa.select(Listing.id).where(
            Listing.kind == ListingKind.PRODUCT, Listing.status == ListingStatus.PUBLISHED,
            Listing.organization_id != own).order_by(Listing.id.desc()).limit(1))
    page = enterprise_page
    page.goto(f"{live_server}/enquiries/new/listing/{listing_id}")
    controls = page.locator("#enquiry-form :is(input, textarea, select, button):not([type=hidden])")
    expected = list(dict.fromkeys(controls.nth(i).get_attribute("name") for i in range(controls.count())
                                  if controls.nth(i).is_visible()))
    assert {"body", "budget", "deadline", "send"} <= set(expected)

    page.locator("body").focus()
    reached, rings = [], {}
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = _focused(page, "#enquiry-form")
        if focused["in_form"]:
            reached.append(focused["name"])
            rings[focused["name"]] = focused["outline"]
            if focused["name"] == "send":
                break
    assert list(dict.fromkeys(reached)) == expected
    assert {name: width for name, width in rings.items() if width < 2} == {}, "a visible focus ring on each control"

    page.locator("#enquiry-form [name=body]").focus()
    page.keyboard.type("我们有两条注塑线，想了解外观缺陷检测的报价、交付周期和试点安排。")
    page.locator("#enquiry-form [name=send]").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/enquiries/" in page.url and "/new/" not in page.url, page.url
    assert "注塑线" in page.locator("main").inner_text()


def test_errors_are_tied_to_their_fields_and_screenshots(browser, live_server, tmp_path):
    for language in ("zh", "en"):
        context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        _log_in(page, live_server, language)
        page.goto(live_server + "/demands/new")
        page.locator("#budget_min").fill("90")
        page.locator("#budget_max").fill("50")
        page.locator("#demand-form [name=submit_review]").focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        invalid = page.locator("#demand-form [aria-invalid=true]")
        assert invalid.count() >= 1
        for index in range(invalid.count()):
            field = invalid.nth(index)
            described = (field.get_attribute("aria-describedby") or "").split()
            error_ids = [ident for ident in described if ident.endswith("-error")]
            assert error_ids, f"{field.get_attribute('id')} names no error message"
            assert page.locator(f"#{error_ids[0]}").inner_text().strip()
        assert page.locator("#demand-form [aria-invalid=None]").count() == 0
        assert page.locator("#demand-form [aria-invalid]:not([aria-invalid=true])").count() == 0
        shot = tmp_path / f"demand-form-errors-{language}.png"
        page.screenshot(path=str(shot), full_page=True)
        print(f"screenshot: {shot}")
        context.close()


@pytest.mark.parametrize("width", [1024, 1280])
@pytest.mark.parametrize("language", ["zh", "en"])
def test_header_search_placeholder_fits(browser, live_server, language, width):
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server}/?lang={language}")
    room = page.locator("#site-search").evaluate("""input => {
        const style = getComputedStyle(input);
        const context = document.createElement('canvas').getContext('2d');
        context.font = style.font;
        const text = context.measureText(input.placeholder).width;
        const inner = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        return inner - text;
    }""")
    context.close()
    assert room >= 0, f"the placeholder is cut off by {-room:.0f}px"
