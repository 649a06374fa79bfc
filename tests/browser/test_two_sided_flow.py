"""The two-sided flow in a real browser, through the pages only.

A supplier registers and lists a solution; a moderator approves it. An enterprise registers,
posts a demand, the moderator approves it and the enterprise finds the supplier's solution on
the demand. The supplier answers with a proposal; the enterprise shortlists it and records an
intent agreement (意向协议), which marks the demand solved.

Each person has their own browser context, so sessions never mix. Screenshots of every form
go to pytest's tmp_path, not the repository.
"""
from __future__ import annotations

import re
import time
from datetime import date, timedelta

import pytest

from catalog_app.credit_code import make_credit_code
from tests.browser.conftest import People

pytestmark = pytest.mark.browser

PASSWORD = "flow-pass-2024!"
MODERATOR = ("moderator@demo.example.com", "demo12345")
SCENARIO = "在线智能检测"
SOLUTION_TITLE = "皮具表面瑕疵AI视觉检测系统"
DEMAND_TITLE = "皮具表面划痕与色差自动检测"


@pytest.fixture
def flow(people):
    """The two-sided flow's people: one browser context each, numbered screenshots."""
    return people


def _submit(form) -> None:
    """Click the form's submit button and wait for the page it leads to."""
    page = form.page
    with page.expect_navigation():
        form.locator("button[type=submit], input[type=submit]").first.click()


def _no_form_errors(page) -> None:
    alerts = page.locator(".form-alert, .lm-error-summary, .field__error, .lm-field__error")
    assert alerts.count() == 0, f"form errors on {page.url}: {alerts.all_inner_texts()}"


def _check_option(page, field_name: str, text: str) -> None:
    """Tick the checkbox of a checklist field (listings/_macros.html `checklist`) by its label."""
    page.locator(f"label:has(input[name={field_name}])", has_text=re.compile(rf"^\s*{re.escape(text)}\s*$")) \
        .first.locator("input").check()


def _register(flow: People, page, *, kind: str, name: str, organization: str, stamp: str, serial: str) -> str:
    email = f"{kind}-{stamp}@flow.example.com"
    page.goto(flow.base + "/register")
    form = page.locator("form[action$='/register']")
    form.locator("[name=display_name]").fill(name)
    form.locator("[name=email]").fill(email)
    form.locator("[name=password]").fill(PASSWORD)
    form.locator("[name=password_confirm]").fill(PASSWORD)
    form.locator("[name=organization_name]").fill(organization)
    form.locator("[name=credit_code]").fill(make_credit_code("91440114MA" + serial))
    form.locator("select[name=kind]").select_option(kind)
    form.locator("select[name=tier]").select_option("sme")
    region = form.locator("select[name=region_id] option[value]:not([value=''])").first.get_attribute("value")
    form.locator("select[name=region_id]").select_option(region)
    form.locator("[name=contact_name]").fill(name)
    form.locator("[name=contact_phone]").fill("020-8888 6666")
    form.locator("[name=confirm_authority]").check()
    form.locator("[name=accept_terms]").check()
    flow.shot(page, f"register-{kind}")
    _submit(form)
    _no_form_errors(page)
    # Registration answers "check your email" (the same for a taken address) and logs nobody in.
    assert page.url.endswith("/login"), page.url
    assert page.locator(".flash", has_text=email).is_visible()
    _log_in(flow, page, email, PASSWORD)
    return email


def _log_in(flow: People, page, email: str, password: str) -> None:
    page.goto(flow.base + "/login")
    form = page.locator("form[action$='/login']")
    form.locator("[name=email]").fill(email)
    form.locator("[name=password]").fill(password)
    flow.shot(page, "login-" + email.split("@")[0])
    _submit(form)
    _no_form_errors(page)
    assert page.locator("nav.user-menu").get_by_role("button", name="退出登录").is_visible()


def _log_out(page) -> None:
    with page.expect_navigation():
        page.locator("nav.user-menu form[action$='/logout'] button[type=submit]").click()
    assert page.url.endswith("/login")
    assert page.locator("nav.user-menu").get_by_role("link", name="登录").is_visible()


def _approve(flow: People, page, title: str, object_type: str) -> int:
    """From the moderation queue, open the item called `title` and approve it; its id."""
    page.goto(flow.base + "/moderation")
    link = page.locator("a.mod-table__title", has_text=title)
    assert link.count() == 1, f"{title!r} is not in the review queue once"
    with page.expect_navigation():
        link.click()
    match = re.search(rf"/moderation/{object_type}/(\d+)$", page.url)
    assert match, page.url
    assert title in page.locator("h1, main").first.inner_text()
    flow.shot(page, f"review-{object_type}")
    _submit(page.locator("form[action$='/approve']"))
    assert page.url.endswith("/moderation"), page.url
    assert page.locator("a.mod-table__title", has_text=title).count() == 0
    return int(match.group(1))


def test_supplier_and_enterprise_meet_through_a_demand(flow):
    from playwright.sync_api import expect  # here: the browser fixture has checked it is installed

    stamp = str(time.time_ns())
    serials = (stamp[-7:], f"{(int(stamp[-7:]) + 1) % 10_000_000:07d}")
    supplier_org = f"广州皮具视觉科技有限公司{stamp[-6:]}"
    enterprise_org = f"花都皮具制品有限公司{stamp[-6:]}"

    # 1. The supplier registers and is logged in.
    supplier = flow.person()
    supplier_email = _register(flow, supplier, kind="supplier", name="李工", organization=supplier_org,
                               stamp=stamp, serial=serials[0])

    # 2. The supplier lists a solution and submits it for review.
    supplier.goto(flow.base + "/my/listings/new?kind=solution")
    form = supplier.locator("form.lm-form")
    form.locator("[name=title]").fill(SOLUTION_TITLE)
    form.locator("[name=summary]").fill("面向皮具、箱包生产线的表面瑕疵AI视觉检测：自动识别划痕、色差、褶皱与缝线缺陷。")
    form.locator("[name=body]").fill(
        "工业相机与多角度光源采集皮具表面图像，深度学习模型在线检测划痕、色差、压痕与缝线缺陷，"
        "检测准确率≥98%，单件节拍≤3秒，可对接MES与PLC自动分拣。已在花都狮岭皮具企业部署。")
    form.locator("[name=keywords]").fill("皮具、划痕、色差、视觉检测、缺陷检测")
    form.locator("[name=delivery_mode]").fill("本地部署")
    form.locator("[name=delivery_weeks]").fill("8")
    _check_option(supplier, "scenarios", SCENARIO)
    flow.shot(supplier, "listing-new")
    _submit(form)
    _no_form_errors(supplier)
    listing_id = int(re.search(r"/my/listings/(\d+)/edit", supplier.url).group(1))
    _submit(supplier.locator(f"form[action$='/my/listings/{listing_id}/submit']"))
    assert supplier.locator(".lm-editor__side .lm-status--pending_review").is_visible()
    _log_out(supplier)

    # 3. A moderator approves the listing: it is in the public catalog.
    moderator = flow.person()
    _log_in(flow, moderator, *MODERATOR)
    assert _approve(flow, moderator, SOLUTION_TITLE, "listing") == listing_id
    moderator.goto(flow.base + "/solutions?q=皮具 视觉检测")
    assert moderator.locator("main .card a", has_text=SOLUTION_TITLE).count() >= 1

    # 4. An enterprise registers and posts a demand; the moderator approves it.
    enterprise = flow.person()
    _register(flow, enterprise, kind="enterprise", name="陈经理", organization=enterprise_org,
              stamp=stamp, serial=serials[1])
    enterprise.goto(flow.base + "/demands/new")
    form = enterprise.locator("form#demand-form")
    form.locator("[name=title]").fill(DEMAND_TITLE)
    form.locator("[name=summary]").fill("皮具成品表面划痕、色差靠人工目检，漏检多，希望引入AI视觉检测自动判定。")
    form.locator("[name=background]").fill(
        "我司在花都狮岭有3条皮具生产线，每天约6000件成品，由12名质检员人工目检表面划痕与色差，"
        "漏检率约3%，客户投诉主要来自色差和细小划痕。")
    form.locator("[name=requirements]").fill(
        "准确率≥98%，节拍≤3秒/件；可识别0.2mm以上划痕和ΔE≥1.5的色差；本地部署，对接现有MES与分拣PLC。")
    form.locator("[name=expected_outcomes]").fill("漏检率<0.5%，质检人员减少一半，三个月内完成试点线验收。")
    form.locator("[name=data_available]").fill("约3000张已标注的划痕与色差图片，可提供样品。")
    _check_option(enterprise, "scenarios", SCENARIO)
    form.locator("[name=budget_min]").fill("30")
    form.locator("[name=budget_max]").fill("80")
    form.locator("[name=deadline]").fill((date.today() + timedelta(days=60)).isoformat())
    # While the demand is being written, the editor's live panel ("匹配的解决方案") already
    # recommends the supplier's published solution.
    expect(enterprise.locator("[data-preview-list] a.match__title", has_text=SOLUTION_TITLE)).to_have_count(1)
    flow.shot(enterprise, "demand-new")
    with enterprise.expect_navigation():
        form.locator("input[type=submit][name=submit_review]").click()
    _no_form_errors(enterprise)
    if "check=1" in enterprise.url:  # the quality check asks to confirm: submit anyway
        flow.shot(enterprise, "demand-quality-check")
        _submit(enterprise.locator("#quality-report form[action$='/submit']"))
    assert enterprise.url.endswith("/demands/mine"), enterprise.url
    demand_id = _approve(flow, moderator, DEMAND_TITLE, "demand")

    # ... and finds the supplier's solution on the published demand's page.
    enterprise.goto(f"{flow.base}/demands/{demand_id}")
    assert enterprise.locator("h1").inner_text().strip() == DEMAND_TITLE
    assert enterprise.locator(".detail-badges .status--published").is_visible()
    # The demand page's recommendations come from the matching engine, with a score and reasons.
    recommended = enterprise.locator("section[aria-labelledby=recommended-title]")
    assert recommended.locator("a", has_text=SOLUTION_TITLE).count() >= 1, recommended.inner_text()
    assert "匹配原因" in recommended.inner_text()
    # The recommender's own pick, as the demand's editor shows it ("匹配的解决方案").
    enterprise.goto(f"{flow.base}/demands/{demand_id}/edit")
    assert enterprise.locator("[data-preview-list] a.match__title", has_text=SOLUTION_TITLE).count() == 1

    # 5. The supplier logs in again and answers the demand, linking the solution.
    _log_in(flow, supplier, supplier_email, PASSWORD)
    supplier.goto(f"{flow.base}/demands/{demand_id}")
    with supplier.expect_navigation():
        supplier.locator(f"a[href$='/proposals/demand/{demand_id}/new']").click()
    form = supplier.locator("form.lm-form")
    form.locator("[name=approach]").fill(
        "在每条线的下线工位加装2台工业相机和环形光源，用已标注图片训练划痕与色差检测模型，"
        "判定结果通过PLC驱动分拣，检测记录写入MES。先在1条线试点，验收后推广到3条线。")
    form.locator("[name=timeline]").fill("试点线6周，全部上线4个月")
    form.locator("[name=price_min]").fill("45")
    form.locator("[name=price_max]").fill("60")
    _check_option(supplier, "listing_ids", SOLUTION_TITLE)
    flow.shot(supplier, "proposal-new")
    _submit(form)
    _no_form_errors(supplier)
    proposal_id = int(re.search(r"/proposals/(\d+)$", supplier.url).group(1))
    assert SOLUTION_TITLE in supplier.locator("main").inner_text()

    # 6. The enterprise shortlists the proposal and records an intent agreement.
    enterprise.goto(f"{flow.base}/demands/{demand_id}")
    with enterprise.expect_navigation():
        enterprise.locator(f"a[href$='/proposals/demand/{demand_id}']").click()
    card = enterprise.locator(f"#proposal-{proposal_id}")
    assert supplier_org in card.inner_text()
    _submit(card.locator("form[action$='/shortlist']"))
    card = enterprise.locator(f"#proposal-{proposal_id}")
    assert card.locator(".pp-status--shortlisted").count() == 1
    status = enterprise.locator(".pp-board__side .facts div", has_text="需求状态").locator("dd")
    assert status.inner_text().strip() == "洽谈中"
    with enterprise.expect_navigation():
        card.locator(f"a[href$='/proposals/{proposal_id}/agreement']").click()
    form = enterprise.locator("form.lm-form")
    form.locator("[name=amount]").fill("52")
    form.locator("[name=note]").fill("先签试点线，验收后扩展至三条线。")
    flow.shot(enterprise, "agreement")
    _submit(form)
    _no_form_errors(enterprise)
    agreement = enterprise.locator(f"#proposal-{proposal_id} .pp-decision--agreed")
    assert "52" in agreement.inner_text() and "意向协议" in agreement.inner_text()
    assert status.inner_text().strip() == "已解决"
    enterprise.goto(f"{flow.base}/demands/{demand_id}")
    assert enterprise.locator(".detail-badges .status--solved").inner_text().strip() == "已解决"

    # The supplier sees the agreement on its proposal.
    supplier.goto(f"{flow.base}/proposals/{proposal_id}")
    assert "52" in supplier.locator(".pp-decision--agreed").inner_text()

    assert len(list(flow.shots.iterdir())) >= 8
