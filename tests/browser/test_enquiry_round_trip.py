"""The enquiry round trip in a real browser, through the pages only.

An anonymous visitor sees "登录后咨询" on a listing. An enterprise member finds the listing with
the site search and sends an enquiry; before the supplier accepts, the thread shows no contact.
The supplier finds it in its inbox, replies and accepts, which shares contacts; the
enterprise then sees the supplier's contact in the thread. Screenshots go to tmp_path.
"""
from __future__ import annotations

import time

import pytest

from tests.browser.conftest import People

pytestmark = pytest.mark.browser

DEMO_PASSWORD = "demo12345"
ENTERPRISE = "enterprise2@demo.example.com"
SUPPLIER = "supplier1@demo.example.com"


def _submit(form) -> None:
    with form.page.expect_navigation():
        form.locator("button[type=submit]").first.click()


def _log_in(people: People, page, email: str) -> None:
    page.goto(people.base + "/login")
    form = page.locator("form[action$='/login']")
    form.locator("[name=email]").fill(email)
    form.locator("[name=password]").fill(DEMO_PASSWORD)
    _submit(form)
    assert page.locator("nav.user-menu").get_by_role("button", name="退出登录").is_visible()


def test_enterprise_enquires_and_supplier_shares_contact(people):
    stamp = str(int(time.time()))
    request_text = f"我们有三条皮具产线，想了解贵司方案的报价和试点周期（{stamp}）"

    # One of the supplier's published solutions, as the supplier's own page links it.
    supplier = people.person()
    _log_in(people, supplier, SUPPLIER)
    with supplier.expect_navigation():
        supplier.locator("nav.user-menu").get_by_role("link", name="我的成果").click()
    catalog_link = supplier.locator("a[href*='/solutions/']", has_text="在目录中查看").first
    listing_path = catalog_link.get_attribute("href")

    # Anonymous: a login link, no contact.
    visitor = people.person()
    visitor.goto(people.base + listing_path)
    assert visitor.get_by_role("link", name="登录后咨询").is_visible()
    title = visitor.locator("h1").inner_text().strip()
    people.shot(visitor, "anonymous-listing")

    # The enterprise finds the listing through the site search and sends an enquiry.
    enterprise = people.person()
    _log_in(people, enterprise, ENTERPRISE)
    enterprise.locator("#site-search").fill(title)
    with enterprise.expect_navigation():
        enterprise.locator("#site-search").press("Enter")
    people.shot(enterprise, "search-results")
    with enterprise.expect_navigation():
        enterprise.locator(f"a[href$='{listing_path}']").first.click()
    assert enterprise.url.endswith(listing_path)
    people.shot(enterprise, "enterprise-listing")
    with enterprise.expect_navigation():
        enterprise.get_by_role("link", name="咨询 / 询价").click()
    form = enterprise.locator("main form")
    form.locator("[name=body]").fill(request_text)
    form.locator("[name=budget]").fill("60")
    people.shot(enterprise, "enquiry-form")
    _submit(form)
    assert enterprise.locator(".flash--success").is_visible()
    assert enterprise.get_by_text("待回复").first.is_visible()
    assert "供应商接受您的咨询后" in enterprise.locator("main").inner_text()
    thread_url = enterprise.url
    pending_text = enterprise.locator("main").inner_text()
    people.shot(enterprise, "enterprise-thread-pending")

    # The supplier sees it in its inbox, replies, and accepts.
    with supplier.expect_navigation():
        supplier.locator("nav.user-menu").get_by_role("link", name="咨询", exact=True).click()
    row = supplier.locator("tr", has_text=stamp)
    assert row.locator(".eq-unread").is_visible()
    people.shot(supplier, "supplier-inbox")
    with supplier.expect_navigation():
        row.locator("a").first.click()
    assert supplier.url == thread_url
    reply = supplier.locator("form[action$='/messages']")
    reply.locator("[name=body]").fill("可以安排试点，请提供产线节拍。")
    _submit(reply)
    decide = supplier.locator("form[action$='/accept']")
    decide.locator("[name=note]").fill("联系方式已共享，欢迎来电。")
    _submit(decide)
    assert supplier.locator(".flash--success").is_visible()
    own_card = supplier.locator(".eq-contact", has_text="对方看到的本机构联系方式")
    supplier_phone = own_card.locator("dd.mono").inner_text().strip()
    assert supplier_phone and supplier_phone not in pending_text  # nothing leaked before acceptance
    people.shot(supplier, "supplier-thread-accepted")

    # The enterprise now sees the supplier's contact and both messages.
    enterprise.goto(thread_url)
    contacts = enterprise.locator(".eq-contact", has_text="供应商")
    assert supplier_phone in contacts.first.inner_text()
    assert SUPPLIER in contacts.first.inner_text()
    main_text = enterprise.locator("main").inner_text()
    assert "可以安排试点，请提供产线节拍。" in main_text and "联系方式已共享，欢迎来电。" in main_text
    assert "已接受" in main_text
    people.shot(enterprise, "enterprise-thread-accepted")
