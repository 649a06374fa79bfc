"""axe-core over every public page and every form, in Chinese and in English.

A page fails on any violation axe rates serious or critical (contrast, missing names and
labels, duplicate ids, landmarks, lang...). Forms are checked twice: empty, and after a
submission with errors, because the error state is where `aria-invalid`, `aria-describedby`
and the red text are drawn. One browser, one context per (person, language), one visit per
URL, and the session's live server: the whole module stays a few dozen page loads.
"""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from catalog_app.extensions import db

pytestmark = pytest.mark.browser

BLOCKING_IMPACTS = ("serious", "critical")
DEMO_PASSWORD = "demo12345"
PEOPLE = {"enterprise": "enterprise1@demo.example.com", "supplier": "supplier1@demo.example.com",
          "moderator": "moderator@demo.example.com"}

# (person, path) pairs; a "{name}" in a path is filled from the `targets` fixture.
PUBLIC_PAGES = [
    "/", "/solutions", "/products", "/cases", "/demands", "/organizations", "/scenarios/",
    "/scenarios/typical", "/search?q=视觉检测", "/stats/", "/api/v1/docs", "/help/trl",
    "{solution}", "{product}", "{case}", "{demand}", "{organization}", "{scenario}",
    "/solutions/999999999",  # the error page
    "/login", "/register", "/password/forgot", "{reset}", "/terms", "/privacy",
]
MEMBER_PAGES = [
    ("enterprise", "/demands/new"), ("enterprise", "/demands/mine"),
    ("enterprise", "/notifications/preferences"), ("enterprise", "/account"),
    ("enterprise", "/account/organization"), ("enterprise", "/account/api-tokens"),
    ("enterprise", "/recommendations/demands"), ("enterprise", "/proposals/mine"),
    ("supplier", "/my/listings/"), ("supplier", "/my/listings/new"),
    ("supplier", "/my/listings/new?kind=solution"), ("supplier", "/my/listings/new?kind=case"),
    ("supplier", "/my/listings/import"), ("supplier", "{proposal_form}"),
    ("enterprise", "{own_demand_edit}"), ("enterprise", "{proposal}"), ("enterprise", "{proposal}/decline"),
    ("enterprise", "{proposal}/agreement"), ("supplier", "{own_listing_edit}"),
    ("enterprise", "/workbench"), ("supplier", "/workbench"), ("moderator", "/workbench"),
    ("enterprise", "/enquiries?box=sent"), ("supplier", "/enquiries?box=received"),
    ("enterprise", "{enquiry_form}"), ("enterprise", "{enquiry_sent}"), ("supplier", "{enquiry_received}"),
    ("enterprise", "/account/data"), ("moderator", "/moderation"), ("moderator", "/enquiries/reports"),
]
# Forms submitted empty (browser validation off) so that the server answers with errors.
FORMS_WITH_ERRORS = [
    ("anonymous", "/login", "form[action$='/login']"),
    ("anonymous", "/register", "form[action$='/register']"),
    ("anonymous", "{reset}", "main form"),
    ("enterprise", "/demands/new", "#demand-form"),
    ("supplier", "/my/listings/new?kind=solution", "form.lm-form, main form[method=post]"),
    ("supplier", "{proposal_form}", "main form[method=post]"),
    ("enterprise", "{proposal}/decline", "main form[method=post]"),
    ("enterprise", "{enquiry_form}", "main form[method=post]"),
]


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture(scope="module")
def targets(live_app):
    """Paths that depend on the demo rows: one detail page of each kind, a reset link..."""
    from catalog_app.accounts import tokens
    from catalog_app.models import Demand, Enquiry, Listing, Proposal, User
    from catalog_app.models.demands import Confidentiality, DemandStatus
    from catalog_app.models.listings import ListingKind, ListingStatus
    from catalog_app.models.proposals import ProposalStatus
    from catalog_app.models.taxonomy import Scenario

    with live_app.app_context():
        paths = {}
        for kind, section in ((ListingKind.SOLUTION, "solutions"), (ListingKind.PRODUCT, "products"),
                              (ListingKind.CASE, "cases")):
            listing_id = db.session.scalar(sa.select(Listing.id).where(
                Listing.kind == kind, Listing.status == ListingStatus.PUBLISHED).order_by(Listing.id).limit(1))
            paths[kind.value] = f"/{section}/{listing_id}"
        public_demand = db.session.scalar(sa.select(Demand).where(
            Demand.status == DemandStatus.PUBLISHED, Demand.confidentiality == Confidentiality.PUBLIC)
            .order_by(Demand.id).limit(1))
        paths["demand"] = f"/demands/{public_demand.id}"
        paths["organization"] = f"/organizations/{public_demand.organization_id}"
        slug = db.session.scalar(sa.select(Scenario.slug).order_by(Scenario.id).limit(1))
        paths["scenario"] = f"/scenarios/{slug}"
        supplier = db.session.scalar(sa.select(User).where(User.email == PEOPLE["supplier"]))
        answered = sa.select(Proposal.demand_id).where(Proposal.organization_id == supplier.organization_id)
        open_demand = db.session.scalar(sa.select(Demand.id).where(
            Demand.status == DemandStatus.PUBLISHED, Demand.id.not_in(answered)).order_by(Demand.id).limit(1))
        paths["proposal_form"] = f"/proposals/demand/{open_demand}/new"
        enterprise = db.session.scalar(sa.select(User).where(User.email == PEOPLE["enterprise"]))
        proposal_id = db.session.scalar(sa.select(Proposal.id).join(Demand).where(
            Demand.organization_id == enterprise.organization_id,
            Proposal.status == ProposalStatus.SUBMITTED).order_by(Proposal.id).limit(1))
        paths["proposal"] = f"/proposals/{proposal_id}"
        own_demand = db.session.scalar(sa.select(Demand.id).where(
            Demand.organization_id == enterprise.organization_id).order_by(Demand.id).limit(1))
        paths["own_demand_edit"] = f"/demands/{own_demand}/edit"
        own_listing = db.session.scalar(sa.select(Listing.id).where(
            Listing.organization_id == supplier.organization_id).order_by(Listing.id).limit(1))
        paths["own_listing_edit"] = f"/my/listings/{own_listing}/edit"
        paths["enquiry_form"] = "/enquiries/new/listing/" + paths["solution"].rsplit("/", 1)[1]
        for key, condition in (("enquiry_sent", Enquiry.sender_organization_id == enterprise.organization_id),
                               ("enquiry_received", Enquiry.organization_id == supplier.organization_id)):
            enquiry_id = db.session.scalar(sa.select(Enquiry.id).where(condition).order_by(Enquiry.id).limit(1))
            assert enquiry_id is not None, f"the demo data has no {key.replace('_', ' ')} for the test accounts"
            paths[key] = f"/enquiries/{enquiry_id}"
        reader = db.session.scalar(sa.select(User).where(User.email == "admin@demo.example.com"))
        token = tokens.make_token(tokens.PASSWORD_RESET, [reader.id, tokens.fingerprint(reader.password_hash)])
        paths["reset"] = f"/password/reset/{token}"
    return paths


@pytest.fixture(scope="module")
def pages(browser, live_server):
    """One logged-in page per (person, language), opened on first use."""
    opened, contexts = {}, []

    def get(person: str, language: str):
        if (person, language) not in opened:
            context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
            context.set_default_timeout(15_000)
            contexts.append(context)
            page = context.new_page()
            page.goto(f"{live_server}/?lang={language}")
            if person != "anonymous":
                page.goto(live_server + "/login")
                form = page.locator("form[action$='/login']")
                form.locator("[name=email]").fill(PEOPLE[person])
                form.locator("[name=password]").fill(DEMO_PASSWORD)
                with page.expect_navigation():
                    form.locator("button[type=submit]").click()
                assert "/login" not in page.url, f"{person} could not log in"
                page.goto(f"{live_server}/?lang={language}")  # logging in applies the account's locale
            opened[person, language] = page
        return opened[person, language]

    yield get
    for context in contexts:
        context.close()


def _blocking(axe, page) -> list[str]:
    results = axe.run(page)
    return [f"{violation['id']} ({violation['impact']}): {violation['help']} -> "
            + "; ".join(node["target"][0] if isinstance(node["target"][0], str) else str(node["target"])
                        for node in violation["nodes"][:5])
            for violation in results.response["violations"] if violation["impact"] in BLOCKING_IMPACTS]


def _path(template: str, targets: dict) -> str:
    return template.format(**targets) if "{" in template else template


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("person,path", [("anonymous", p) for p in PUBLIC_PAGES] + MEMBER_PAGES)
def test_page_has_no_serious_axe_violation(axe, pages, live_server, targets, person, path, language):
    page = pages(person, language)
    page.goto(live_server + _path(path, targets))
    assert page.locator("html").get_attribute("lang") == ("en" if language == "en" else "zh-CN")
    violations = _blocking(axe, page)
    assert not violations, "\n".join(violations)


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("person,path,form_selector", FORMS_WITH_ERRORS)
def test_form_with_errors_has_no_serious_axe_violation(axe, pages, live_server, targets, person, path,
                                                       form_selector, language):
    page = pages(person, language)
    page.goto(live_server + _path(path, targets))
    form = page.locator(form_selector).first
    form.evaluate("form => { form.noValidate = true; }")
    with page.expect_navigation():
        form.locator("[type=submit]").first.click()
    invalid = page.locator("[aria-invalid=true]")
    assert invalid.count() > 0, "the server answered without marking a field invalid"
    assert page.locator("[aria-invalid=None]").count() == 0
    violations = _blocking(axe, page)
    assert not violations, "\n".join(violations)
