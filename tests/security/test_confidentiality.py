"""Issue #13, finding 1: the hidden text of a summary-only (仅公开摘要) demand reaches nobody
but its readers (`catalog_app.visibility`): not search, not the index, not match reasons,
not e-mails, not exports, not the API.

A marker is planted in every hidden field; a supplier's listing carries the same words, so
that a leaky path (the index, a match query built from the full text) would match and
quote them. Each test also checks the positive side, so that it can fail: the public text
is found, the recommendation is there, the owner reads the hidden text.
"""
from __future__ import annotations

import dataclasses
import io
import json
import zipfile

import pytest
import sqlalchemy as sa

from catalog_app.browsing.browse import browse
from catalog_app.browsing.params import BrowseParams
from catalog_app.demands.services import DEMAND_SOURCE, input_of, save_demand
from catalog_app.extensions import db
from catalog_app.models import (
    AccessStatus,
    ConfidentialAccess,
    Confidentiality,
    DemandStatus,
    Match,
    OrganizationKind,
    OutboxMessage,
    Scenario,
    UserRole,
)
from catalog_app.models._types import utcnow
from catalog_app.moderation import services as moderation
from catalog_app.recommendations.documents import demand_documents
from catalog_app.recommendations.services import live_index, recommend_listings, search_demand_ids
from catalog_app.visibility import SUMMARY_ONLY_HIDDEN_FIELDS, demand_text
from tests.conftest import login_as
from tests.demands.conftest import forget_current_user

MARK = "ZQXMARK7"
MARK_ZH = "绝密标记甲"
HIDDEN_PHRASE = "钛材焊缝探伤"
HIDDEN_FIELDS = SUMMARY_ONLY_HIDDEN_FIELDS + ("confidential_details",)
HIDDEN = {name: f"{name}：{MARK_ZH}，{HIDDEN_PHRASE}，{MARK}。" for name in HIDDEN_FIELDS}
TITLE = "轮毂表面质量检测需求"
SUMMARY = "需要自动检测轮毂表面缺陷，替代人工目检"


def leaks(text: str) -> list[str]:
    """The markers found in `text` (case-insensitive: the engine lower-cases Latin words)."""
    lowered = text.lower()
    return [marker for marker in (MARK, MARK_ZH, HIDDEN_PHRASE) if marker.lower() in lowered]


def bigrams(text: str) -> list[str]:
    return sorted({text[i:i + 2] for i in range(len(text) - 1)})


def inspection_scenario() -> Scenario:
    return db.session.scalars(sa.select(Scenario).where(Scenario.name_zh.contains("检测"))).first()


def as_user(app, user):
    """A fresh client signed in as `user` (None: anonymous)."""
    forget_current_user()
    client = app.test_client()
    if user is not None:
        login_as(client, user)
    return client


def publish(demand, owner, moderator) -> None:
    """Through review, as in production: approval also queues the suppliers' e-mails."""
    moderation.submit_for_review(demand, owner)
    db.session.commit()
    moderation.approve_and_notify(demand, moderator)


@pytest.fixture
def secret(app, create_user, create_organization, create_listing, create_demand):
    """A published summary-only demand with markers in every hidden field, and a supplier
    whose listing shares the demand's public words and, in its body and keywords (which
    the listing's match queries read, but no card shows), the hidden ones."""
    # A two-listing catalog trains no facet classifier, so its confidences stay low: lower
    # the strong-match threshold so the supplier is e-mailed and the e-mail can be checked.
    app.config["STRONG_MATCH_CONFIDENCE"] = 0.01
    scenario = inspection_scenario()
    supplier_org = create_organization(name="广州轮毂视觉科技有限公司")
    supplier = create_user(role=UserRole.SUPPLIER, organization=supplier_org)
    bait = create_listing(organization=supplier_org, title="轮毂表面缺陷视觉检测系统",
                          summary="自动检测轮毂表面缺陷，替代人工目检",
                          body=f"轮毂 表面 缺陷 检测 {MARK_ZH} {HIDDEN_PHRASE} {MARK}",
                          keywords=f"{MARK_ZH},{HIDDEN_PHRASE},{MARK}")
    bait.scenarios.append(scenario)
    enterprise_org = create_organization(name="佛山轮毂制造集团有限公司", kind=OrganizationKind.ENTERPRISE)
    owner = create_user(role=UserRole.ENTERPRISE, organization=enterprise_org)
    moderator = create_user(role=UserRole.MODERATOR, organization=None)
    demand = create_demand(organization=enterprise_org, status=DemandStatus.DRAFT, created_by_id=owner.id,
                           title=TITLE, summary=SUMMARY, confidentiality=Confidentiality.SUMMARY_ONLY, **HIDDEN)
    demand.scenarios.append(scenario)
    db.session.commit()
    publish(demand, owner, moderator)
    return type("Secret", (), dict(demand=demand, owner=owner, moderator=moderator, supplier=supplier,
                                   bait=bait, unrelated=create_user(role=UserRole.SUPPLIER)))


# ---------------------------------------------------------------- the index and search

def test_the_search_index_documents_hold_public_text_only(secret):
    [document] = demand_documents([secret.demand.id])
    assert document.title == TITLE and document.summary == SUMMARY
    assert leaks(json.dumps(dataclasses.asdict(document), ensure_ascii=False, default=list)) == []
    assert search_demand_ids("轮毂表面") == [secret.demand.id]
    for query in (MARK, MARK_ZH, HIDDEN_PHRASE):
        assert search_demand_ids(query) == [], query
    index = live_index("demands").index()
    assert str(secret.demand.id) in index.row_of


@pytest.mark.parametrize("query", [MARK, MARK_ZH, HIDDEN_PHRASE, MARK.lower()])
def test_no_search_page_finds_a_demand_by_its_hidden_text(app, secret, query):
    link = f"/demands/{secret.demand.id}"
    for user in (None, secret.supplier, secret.unrelated):
        client = as_user(app, user)
        for url in (f"/demands?q={query}", f"/search?q={query}"):
            response = client.get(url)
            assert response.status_code == 200, url
            assert link not in response.get_data(as_text=True), url
        api = client.get(f"/api/v1/demands?q={query}").get_json()
        assert api["items"] == [] and leaks(json.dumps(api, ensure_ascii=False)) == []
    # The same pages find it by its public words.
    client = as_user(app, None)
    assert link in client.get("/demands?q=轮毂表面").get_data(as_text=True)
    assert link in client.get("/search?q=轮毂表面").get_data(as_text=True)
    assert [item["id"] for item in client.get("/api/v1/demands?q=轮毂表面").get_json()["items"]] == [secret.demand.id]


def test_the_sql_keyword_fallback_reads_public_text_only(secret):
    """The database filter that stands in when the engine gives no ranking."""
    source = dataclasses.replace(DEMAND_SOURCE, ranked_search=None, version=None, name="")

    def total(query: str) -> int:
        return browse(source, BrowseParams(q=query, facets={}, sort="relevance", page=1, per_page=20),
                      with_facets=False).total

    assert total("轮毂表面") == 1
    for query in (MARK, MARK_ZH, HIDDEN_PHRASE):
        assert total(query) == 0, query


def test_two_character_guesses_of_hidden_text_find_nothing(app, secret, create_demand):
    """A public twin with the same text is found by every guess; the summary-only demand by none."""
    twin = create_demand(organization=secret.demand.organization, title="公开的对照需求", summary="对照用的公开需求",
                         confidentiality=Confidentiality.PUBLIC,
                         **{name: HIDDEN[name] for name in SUMMARY_ONLY_HIDDEN_FIELDS})
    db.session.commit()
    client = as_user(app, None)
    for guess in bigrams(MARK_ZH) + bigrams(HIDDEN_PHRASE):
        ids = search_demand_ids(guess)
        assert twin.id in ids and secret.demand.id not in ids, guess
        api_ids = [item["id"] for item in client.get(f"/api/v1/demands?q={guess}").get_json()["items"]]
        assert twin.id in api_ids and secret.demand.id not in api_ids, guess
        html = client.get(f"/demands?q={guess}").get_data(as_text=True)
        assert f"/demands/{twin.id}" in html and f"/demands/{secret.demand.id}\"" not in html, guess


# ---------------------------------------------------------------- pages, reasons, e-mails

def test_the_demand_page_shows_no_hidden_text_and_its_match_reasons_quote_none(app, secret):
    for user in (None, secret.unrelated, secret.supplier):
        html = as_user(app, user).get(f"/demands/{secret.demand.id}").get_data(as_text=True)
        assert SUMMARY in html and secret.bait.title in html and "匹配原因" in html
        assert leaks(html) == [], user
    reasons = [reason.label for r in recommend_listings(secret.demand) for reason in r.reasons]
    assert reasons and leaks(" ".join(reasons)) == []


def test_the_owner_still_reads_and_matches_on_the_full_text(app, secret):
    full = demand_text(secret.demand, secret.owner)
    assert all(MARK in getattr(full, name) for name in HIDDEN_FIELDS)
    assert demand_text(secret.demand, secret.moderator).withheld == ()
    # The owner's reasons may quote the hidden words the listing shares.
    owner_reasons = " ".join(reason.label for r in recommend_listings(secret.demand, reader=secret.owner)
                             for reason in r.reasons)
    assert leaks(owner_reasons)
    edit = as_user(app, secret.owner).get(f"/demands/{secret.demand.id}/edit").get_data(as_text=True)
    assert all(HIDDEN[name] in edit for name in HIDDEN_FIELDS)


def test_an_approved_supplier_reads_the_text_only_on_the_logged_page(app, secret):
    db.session.add(ConfidentialAccess(demand_id=secret.demand.id, organization_id=secret.supplier.organization_id,
                                      status=AccessStatus.APPROVED, decided_at=utcnow(), terms_accepted_at=utcnow()))
    db.session.commit()
    client = as_user(app, secret.supplier)
    assert leaks(client.get(f"/demands/{secret.demand.id}").get_data(as_text=True)) == []
    assert leaks(client.get("/recommendations/demands").get_data(as_text=True)) == []
    confidential = client.get(f"/proposals/demand/{secret.demand.id}/confidential")
    assert confidential.status_code == 200 and MARK_ZH in confidential.get_data(as_text=True)
    unrelated = as_user(app, secret.unrelated).get(f"/proposals/demand/{secret.demand.id}/confidential")
    assert unrelated.status_code in (403, 404)


def test_the_suppliers_recommended_demands_page_quotes_no_hidden_text(app, secret):
    html = as_user(app, secret.supplier).get("/recommendations/demands").get_data(as_text=True)
    assert TITLE in html and "匹配原因" in html
    assert leaks(html) == []


def test_recommendation_emails_and_stored_matches_quote_no_hidden_text(secret):
    emails = list(db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))
    to_supplier = [e for e in emails if e.recipient == secret.supplier.email and e.kind == "recommendations_demand"]
    assert to_supplier, [e.kind for e in emails]
    for message in emails:
        if message.recipient in (secret.owner.email,):
            continue  # the owner's own notices may name its own text
        assert leaks(" ".join((message.subject, message.body_text, message.body_html))) == [], message.kind
    matches = list(db.session.scalars(sa.select(Match).where(Match.demand_id == secret.demand.id)))
    assert matches and leaks(json.dumps([m.reasons for m in matches], ensure_ascii=False)) == []


# ---------------------------------------------------------------- exports and the API

@pytest.mark.parametrize("section", ["solutions", "products", "cases"])
def test_exports_carry_no_hidden_text(app, secret, section):
    client = as_user(app, None)
    for query in ("", f"?q={MARK_ZH}", "?q=轮毂"):
        csv = client.get(f"/{section}/export.csv{query}")
        assert csv.status_code == 200 and leaks(csv.get_data(as_text=True)) == []
        xlsx = client.get(f"/{section}/export.xlsx{query}")
        data = xlsx.get_data()
        xlsx.close()  # the WSGI server's close(): releases the spooled temporary file
        assert xlsx.status_code == 200
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            content = "".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
        assert leaks(content) == []
    if section == "solutions":  # the export does hold the matching listing, by its public fields
        assert secret.bait.title in client.get("/solutions/export.csv?q=轮毂").get_data(as_text=True)


def test_the_api_detail_shows_the_summary_only(app, secret):
    body = as_user(app, None).get(f"/api/v1/demands/{secret.demand.id}").get_json()
    assert body["summary"] == SUMMARY and body["is_locked"] is True
    assert all(body[name] is None for name in SUMMARY_ONLY_HIDDEN_FIELDS)
    assert leaks(json.dumps(body, ensure_ascii=False)) == []


# ---------------------------------------------------------------- a demand that changes its mind

def test_a_public_demand_switched_to_summary_only_leaves_the_index(app, secret, create_demand):
    owner, moderator = secret.owner, secret.moderator
    demand = create_demand(organization=owner.organization, status=DemandStatus.DRAFT, created_by_id=owner.id,
                           title="压铸件气孔检测需求", summary="压铸件内部气孔自动识别",
                           background=f"压铸车间现状：{MARK_ZH}，人工抽检效率低。")
    demand.scenarios.append(inspection_scenario())
    db.session.commit()
    publish(demand, owner, moderator)
    client = as_user(app, None)
    assert demand.id in search_demand_ids(MARK_ZH)
    assert f"/demands/{demand.id}" in client.get(f"/demands?q={MARK_ZH}").get_data(as_text=True)

    values = dataclasses.replace(input_of(demand), confidentiality=Confidentiality.SUMMARY_ONLY)
    save_demand(demand, values, owner)
    moderation.approve_and_notify(demand, moderator)
    assert demand.status is DemandStatus.PUBLISHED and demand.confidentiality is Confidentiality.SUMMARY_ONLY

    assert search_demand_ids(MARK_ZH) == []
    assert search_demand_ids("压铸件气孔") == [demand.id]
    assert f"/demands/{demand.id}" not in as_user(app, None).get(f"/demands?q={MARK_ZH}").get_data(as_text=True)
    assert as_user(app, None).get(f"/api/v1/demands?q={MARK_ZH}").get_json()["items"] == []


@pytest.mark.postgres
def test_public_text_rules_hold_on_postgres(pg_app):
    """The SQL keyword fallback's CASE on the enum column, and the index rows, on PostgreSQL."""
    from catalog_app.models import Demand, Organization, OrganizationTier
    from catalog_app.credit_code import make_credit_code

    enterprise = Organization(name="佛山轮毂集团", credit_code=make_credit_code("91440600MA0000009"),
                              kind=OrganizationKind.ENTERPRISE, tier=OrganizationTier.CHAIN_LEADER)
    locked = Demand(organization=enterprise, title=TITLE, summary=SUMMARY, status=DemandStatus.PUBLISHED,
                    published_at=utcnow(), confidentiality=Confidentiality.SUMMARY_ONLY, **HIDDEN)
    public = Demand(organization=enterprise, title="公开的对照需求", summary="对照用的公开需求",
                    status=DemandStatus.PUBLISHED, published_at=utcnow(),
                    **{name: HIDDEN[name] for name in SUMMARY_ONLY_HIDDEN_FIELDS})
    db.session.add_all([locked, public])
    db.session.commit()
    source = dataclasses.replace(DEMAND_SOURCE, ranked_search=None, version=None, name="")
    page = browse(source, BrowseParams(q=MARK_ZH, facets={}, sort="relevance", page=1, per_page=20),
                  with_facets=False)
    assert [demand.id for demand in page.items] == [public.id]
    documents = {int(document.id): document for document in demand_documents()}
    assert leaks(documents[locked.id].text) == [] and leaks(documents[public.id].text) != []
    assert search_demand_ids(MARK_ZH) == [public.id]
