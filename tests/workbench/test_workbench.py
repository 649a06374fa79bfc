"""The workbench (工作台): one page per role, where people land after login."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from catalog_app import listing_views
from catalog_app.audit import record
from catalog_app.extensions import db
from catalog_app.models import (
    ListingStatus,
    ListingViewDay,
    Match,
    MatchStatus,
    OrganizationKind,
    OutboxMessage,
    OutboxStatus,
    Proposal,
    ProposalStatus,
    UserRole,
)
from catalog_app.models._types import utcnow
from catalog_app.moderation import services as moderation
from tests.conftest import DEFAULT_PASSWORD, login_as, settle_search


def page(client) -> str:
    response = client.get("/workbench")
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.fixture
def enterprise_world(create_user, create_organization, create_demand, create_listing):
    """An enterprise with a published demand, two proposals (one answered) and stored matches."""
    def build(demands: int = 1, suppliers: int = 2):
        org = create_organization(kind=OrganizationKind.ENTERPRISE, name="佛山皮革制品集团有限公司")
        owner = create_user(role=UserRole.ENTERPRISE, organization=org)
        rows = []
        for n in range(demands):
            demand = create_demand(organization=org, title=f"皮具皮面瑕疵检测需求{n}")
            for s in range(suppliers):
                supplier = create_organization(name=f"视觉供应商{n}-{s}有限公司")
                listing = create_listing(organization=supplier, title=f"皮面缺陷视觉检测方案{n}-{s}")
                db.session.add(Proposal(demand=demand, organization=supplier, approach="视觉检测",
                                        status=ProposalStatus.SUBMITTED if s == 0 else ProposalStatus.SHORTLISTED))
                db.session.add(Match(demand_id=demand.id, listing_id=listing.id, score=1.0, confidence=0.8 - s / 10,
                                     reasons=[{"kind": "term", "label": "视觉检测", "weight": 1.0, "facet": None}]))
            rows.append(demand)
        db.session.commit()
        return owner, rows

    return build


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/workbench")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_logging_in_lands_on_the_workbench(client, create_user):
    user = create_user(role=UserRole.SUPPLIER)
    db.session.commit()
    response = client.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.headers["Location"] == "/workbench"
    assert "工作台" in client.get("/workbench").get_data(as_text=True)


def test_enterprise_sees_its_demands_proposals_and_suppliers(client, enterprise_world):
    owner, (demand,) = enterprise_world()
    login_as(client, owner)
    html = page(client)
    assert demand.title in html
    assert "待处理的方案" in html and "视觉供应商0-0有限公司" in html          # the SUBMITTED proposal
    assert "推荐供应商" in html and "皮面缺陷视觉检测方案0-0" in html and "匹配度 80%" in html
    assert 'id="wb-enquiries-sent"' in html                                    # enquiries panel
    assert "/notifications/preferences" in html                               # e-mail preferences
    assert "/notifications/admin/failed" not in html                          # administrators only


def test_enterprise_never_sees_another_organizations_work(client, enterprise_world, create_user, create_organization):
    _owner, (demand,) = enterprise_world()
    stranger = create_user(role=UserRole.ENTERPRISE,
                           organization=create_organization(kind=OrganizationKind.ENTERPRISE))
    login_as(client, stranger)
    html = page(client)
    assert demand.title not in html and "视觉供应商0-0有限公司" not in html


def test_dismissed_matches_and_own_listings_are_not_recommended(client, enterprise_world, create_listing):
    owner, (demand,) = enterprise_world(suppliers=1)
    own = create_listing(organization=owner.organization, title="自家的视觉检测方案")
    db.session.add(Match(demand_id=demand.id, listing_id=own.id, score=1.0, confidence=0.99, reasons=[]))
    db.session.execute(sa.update(Match).where(Match.listing_id != own.id).values(status=MatchStatus.DISMISSED))
    db.session.commit()
    login_as(client, owner)
    html = page(client)
    assert "自家的视觉检测方案" not in html and "皮面缺陷视觉检测方案0-0" not in html


def test_supplier_sees_leads_with_confidence_and_its_listings(client, create_user, create_listing, create_demand,
                                                              any_scenario):
    app = client.application
    app.config["STRONG_MATCH_CONFIDENCE"] = 0.03  # a two-document catalog: see recommendation_fixtures
    supplier = create_user(role=UserRole.SUPPLIER)
    listing = create_listing(organization=supplier.organization, title="皮具皮面划痕色差视觉检测系统",
                             summary="识别皮面划痕和色差", body="皮具 皮面 划痕 色差 视觉检测")
    draft = create_listing(organization=supplier.organization, title="草稿中的方案", status=ListingStatus.DRAFT)
    demand = create_demand(title="皮具皮面划痕色差自动检测", summary="需要识别皮面划痕和色差，替代人工目检")
    db.session.add(Match(demand_id=demand.id, listing_id=listing.id, score=1.0, confidence=0.5, reasons=[],
                         status=MatchStatus.VIEWED))
    db.session.commit()
    login_as(client, supplier)
    html = page(client)
    assert demand.title in html and "匹配度" in html                  # the lead, with its confidence
    assert listing.title in html and draft.title in html
    assert "1 条需求" in html                                          # recommended for one open demand
    assert 'id="wb-enquiries-received"' in html


def test_supplier_sees_the_views_of_its_listings(client, create_user, create_listing):
    supplier = create_user(role=UserRole.SUPPLIER)
    viewed = create_listing(organization=supplier.organization, title="皮具视觉检测系统")
    quiet = create_listing(organization=supplier.organization, title="从未被浏览的方案")
    other = create_listing(title="别家的方案")
    today = listing_views.today()
    db.session.add_all([
        ListingViewDay(listing_id=viewed.id, day=today, views=4),
        ListingViewDay(listing_id=viewed.id, day=today - timedelta(days=10), views=3),
        ListingViewDay(listing_id=viewed.id, day=today - timedelta(days=60), views=20),
        ListingViewDay(listing_id=other.id, day=today, views=99),
    ])
    db.session.commit()
    login_as(client, supplier)
    html = page(client)
    assert "浏览 (30 天)" in html and "累计浏览" in html
    figures = {title: re.findall(r'<td class="wb-table__figure">(\d+)</td>', row)
               for title, row in re.findall(r'<tr>\s*<td>\s*<a [^>]*>([^<]+)</a>(.*?)</tr>', html, re.S)}
    assert figures[viewed.title][-2:] == ["7", "27"]
    assert figures[quiet.title][-2:] == ["0", "0"]
    assert "99" not in html


def test_moderator_sees_the_queue_counts_and_the_link(client, create_user, create_listing):
    moderator = create_user(role=UserRole.MODERATOR)
    supplier = create_user(role=UserRole.SUPPLIER)
    listing = create_listing(organization=supplier.organization, status=ListingStatus.DRAFT)
    moderation.submit_for_review(listing, supplier)
    listing.status = ListingStatus.PENDING_REVIEW
    db.session.commit()
    counts = moderation.queue_counts()
    assert counts["listing"] == 1                  # (the new supplier's organization waits too)
    login_as(client, moderator)
    html = page(client)
    assert 'href="/moderation"' in html and "审核队列" in html
    assert f'<span class="section-title__count">{counts["all"]}</span>' in html


def test_admin_sees_failed_mail_users_and_audit(client, create_user):
    admin = create_user(role=UserRole.ADMIN)
    db.session.add(OutboxMessage(idempotency_key="k1", kind="outbox_test", recipient="lost@example.com",
                                 subject="退信测试", body_text="x", body_html="", headers={}, message_id="<k1@x>",
                                 status=OutboxStatus.FAILED, attempts=8, next_attempt_at=utcnow(),
                                 last_error="550 mailbox unavailable"))
    record(admin, "emails_requeued", None, object_type="outbox", count=0)
    db.session.commit()
    login_as(client, admin)
    html = page(client)
    assert "退信测试" in html and "550 mailbox unavailable" in html
    assert "/notifications/admin/failed" in html and "/moderation/audit" in html
    assert admin.email in html                                             # newest accounts


def test_an_account_without_organization_is_told_what_to_do(client, create_user):
    user = create_user(role=UserRole.ENTERPRISE, organization=None)
    login_as(client, user)
    assert "/account/organization" in page(client)


@pytest.mark.parametrize("role", ["enterprise", "supplier", "admin"])
def test_statement_count_does_not_grow_with_the_rows(client, count_queries, enterprise_world, create_user,
                                                     create_listing, create_demand, role):
    """No N+1: the page costs the same number of statements for 1 or 6 rows per panel."""
    def measure(user) -> int:
        login_as(client, user)
        settle_search()  # index upkeep is not the page's own SQL
        with count_queries() as counter:
            assert client.get("/workbench").status_code == 200
        return counter.count

    def world(size: int):
        if role == "enterprise":
            owner, _demands = enterprise_world(demands=size, suppliers=2)
            return owner
        user = create_user(role=UserRole.SUPPLIER if role == "supplier" else UserRole.ADMIN)
        for n in range(size):
            listing = create_listing(organization=user.organization if role == "supplier" else None,
                                     title=f"视觉检测方案{n}")
            demand = create_demand(title=f"视觉检测需求{n}")
            db.session.add(Match(demand_id=demand.id, listing_id=listing.id, score=1.0, confidence=0.5, reasons=[]))
            db.session.add(ListingViewDay(listing_id=listing.id, day=listing_views.today(), views=n + 1))
            create_user(role=UserRole.ENTERPRISE)
        db.session.commit()
        return user

    small = measure(world(1))
    large = measure(world(6))
    assert large == small


def test_post_a_demand_call_to_action(client, create_user):
    home = client.get("/").get_data(as_text=True)
    assert home.count("/login?next=/demands/new") == 2 and "发布需求" in home   # nav and home page
    login_as(client, create_user(role=UserRole.ENTERPRISE))
    home = client.get("/").get_data(as_text=True)
    assert home.count('href="/demands/new"') == 2
    login_as(client, create_user(role=UserRole.SUPPLIER))
    assert "/demands/new" not in client.get("/").get_data(as_text=True)


def test_the_user_menu_links_the_workbench(client, create_user):
    login_as(client, create_user(role=UserRole.SUPPLIER))
    assert 'href="/workbench"' in client.get("/").get_data(as_text=True)
