"""Moderation pages: who may open them, what the buttons do, and what they must never do."""
from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
import sqlalchemy as sa

from catalog_app import audit
from catalog_app.extensions import db
from catalog_app.models import ListingStatus, Revision, UserRole
from catalog_app.moderation import services
from tests.conftest import login_as

GET_PAGES = ["/moderation", "/moderation/listing/{id}", "/moderation/organizations", "/moderation/audit"]
POSTS = ["/moderation/listing/{id}/approve", "/moderation/listing/{id}/reject",
         "/moderation/organizations/{org}/verification"]


def _urls(templates, listing):
    return [t.format(id=listing.id, org=listing.organization_id) for t in templates]


# ---------------------------------------------------------------- access

@pytest.mark.parametrize("role", [UserRole.SUPPLIER, UserRole.ENTERPRISE])
def test_members_are_forbidden_everywhere(client, create_user, pending_listing, role):
    login_as(client, create_user(role=role))

    for url in _urls(GET_PAGES, pending_listing):
        assert client.get(url).status_code == 403, url
    for url in _urls(POSTS, pending_listing):
        assert client.post(url, data={"reason": "other", "note": "x", "verified": "1"}).status_code == 403, url
    assert pending_listing.status is ListingStatus.PENDING_REVIEW


def test_anonymous_visitors_are_sent_to_login(client, pending_listing):
    for url in _urls(GET_PAGES + POSTS, pending_listing):
        method = client.post if url in _urls(POSTS, pending_listing) else client.get
        response = method(url)
        assert response.status_code == 302, url
        location = urlparse(response.headers["Location"])
        assert location.path == "/login", url
        assert parse_qs(location.query)["next"][0].startswith(urlparse(url).path)


@pytest.mark.parametrize("role", [UserRole.MODERATOR, UserRole.ADMIN])
def test_staff_can_open_every_page(client, create_user, pending_listing, role):
    login_as(client, create_user(role=role))

    for url in _urls(GET_PAGES, pending_listing):
        assert client.get(url).status_code == 200, url


def test_unknown_objects_and_bad_filters(moderator_client):
    assert moderator_client.get("/moderation/listing/999").status_code == 404
    assert moderator_client.get("/moderation/case/1").status_code == 404
    assert moderator_client.post("/moderation/demand/999/approve").status_code == 404
    assert moderator_client.get("/moderation?type=proposal").status_code == 400
    assert moderator_client.get("/moderation?kind=robot").status_code == 400
    assert moderator_client.get("/moderation/audit?actor=abc").status_code == 400
    assert moderator_client.get("/moderation/audit?page=99").status_code == 404
    assert moderator_client.get("/moderation/organizations?show=everything").status_code == 400


# ---------------------------------------------------------------- queue and review

def test_queue_shows_pending_items_and_counts(moderator_client, pending_listing):
    page = moderator_client.get("/moderation").get_data(as_text=True)

    assert "机器视觉缺陷检测方案" in page
    assert f"/moderation/listing/{pending_listing.id}" in page
    assert "首次提交" in page


def test_queue_queries_do_not_grow_with_the_queue(moderator_client, create_listing, create_user, submit,
                                                 count_queries):
    def add_submissions(count):
        for _ in range(count):
            owner = create_user(role=UserRole.SUPPLIER)
            submit(create_listing(organization=owner.organization, status=ListingStatus.DRAFT), owner)

    def queries_for_queue():
        db.session.expire_all()
        with count_queries() as counter:
            assert moderator_client.get("/moderation").status_code == 200
        return counter.count

    add_submissions(2)
    small = queries_for_queue()
    add_submissions(6)

    assert queries_for_queue() == small


def test_review_page_shows_a_diff_of_the_edit(moderator_client, pending_listing, supplier, moderator, submit):
    services.approve_and_notify(pending_listing, moderator)
    pending_listing.body = "适用于五金、陶瓷行业的表面缺陷检测。"
    submit(pending_listing, supplier)

    page = moderator_client.get(f"/moderation/listing/{pending_listing.id}").get_data(as_text=True)

    assert "<ins>、陶瓷</ins>" in page
    assert "自上次通过版本以来的修改" in page


def test_the_diff_escapes_user_html(moderator_client, pending_listing, supplier, moderator, submit):
    services.approve_and_notify(pending_listing, moderator)
    pending_listing.title = "检测方案<script>alert('x')</script>"
    pending_listing.body = "<img src=x onerror=alert(1)>"
    submit(pending_listing, supplier)

    page = moderator_client.get(f"/moderation/listing/{pending_listing.id}").get_data(as_text=True)

    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    assert "<ins>&lt;img src=x onerror=alert(1)&gt;</ins>" in page


def test_approve_publishes_and_returns_to_the_queue(moderator_client, pending_listing, sent_emails):
    response = moderator_client.post(f"/moderation/listing/{pending_listing.id}/approve")

    assert response.status_code == 302 and response.headers["Location"] == "/moderation"
    db.session.expire_all()
    assert pending_listing.status is ListingStatus.PUBLISHED
    assert len(sent_emails) == 1
    assert "已通过并发布" in moderator_client.get("/moderation").get_data(as_text=True)


def test_deciding_an_item_that_is_not_pending_explains_instead_of_failing(moderator_client, pending_listing,
                                                                         moderator):
    services.approve_and_notify(pending_listing, moderator)

    for action, data in (("approve", {}), ("reject", {"reason": "duplicate"})):
        response = moderator_client.post(f"/moderation/listing/{pending_listing.id}/{action}", data=data,
                                         follow_redirects=True)
        assert response.status_code == 200
        assert "已不在审核中" in response.get_data(as_text=True)
    db.session.expire_all()
    assert pending_listing.status is ListingStatus.PUBLISHED


def test_reject_with_a_common_reason_and_a_note(moderator_client, pending_listing, sent_emails):
    response = moderator_client.post(f"/moderation/listing/{pending_listing.id}/reject",
                                     data={"reason": "no_metrics", "note": "请补充漏检率"})

    assert response.status_code == 302
    revision = db.session.scalar(sa.select(Revision).where(Revision.object_id == pending_listing.id))
    assert revision.reason == "缺少验收指标：请补充漏检率"
    assert sent_emails[0]["context"]["reason"] == "缺少验收指标：请补充漏检率"


@pytest.mark.parametrize("data", [{}, {"note": "没有选择原因"}, {"reason": "other", "note": "  "},
                                  {"reason": "made-up"}])
def test_reject_without_a_valid_reason_changes_nothing(moderator_client, pending_listing, sent_emails, data):
    response = moderator_client.post(f"/moderation/listing/{pending_listing.id}/reject", data=data)

    assert response.status_code == 400
    assert 'class="mod-error"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert pending_listing.status is ListingStatus.PENDING_REVIEW
    assert sent_emails == []


# ---------------------------------------------------------------- organizations and audit

def test_verify_an_organization_from_the_list(moderator_client, create_organization):
    organization = create_organization(name="佛山智造科技有限公司")
    db.session.commit()
    assert "佛山智造科技有限公司" in moderator_client.get("/moderation/organizations").get_data(as_text=True)

    response = moderator_client.post(f"/moderation/organizations/{organization.id}/verification",
                                     data={"verified": "1", "next": "/moderation/organizations?show=all"})

    assert response.headers["Location"] == "/moderation/organizations?show=all"
    assert organization.is_verified is True
    again = moderator_client.post(f"/moderation/organizations/{organization.id}/verification",
                                  data={"verified": "1", "next": "https://evil.example/"}, follow_redirects=True)
    assert again.request.path == "/moderation/organizations"
    assert "未做修改" in again.get_data(as_text=True)


def test_audit_log_filters_by_actor_action_and_object(moderator_client, pending_listing, moderator, supplier):
    services.approve_and_notify(pending_listing, moderator)

    everything = moderator_client.get("/moderation/audit").get_data(as_text=True)
    approvals = moderator_client.get("/moderation/audit?action=approved").get_data(as_text=True)
    by_supplier = moderator_client.get(f"/moderation/audit?actor={supplier.id}").get_data(as_text=True)
    other_object = moderator_client.get("/moderation/audit?object_type=demand").get_data(as_text=True)

    assert "2 条记录" in everything
    assert "1 条记录" in approvals and "审核员小王" in approvals
    assert "1 条记录" in by_supplier and "提交审核" in by_supplier
    assert "0 条记录" in other_object


def test_audit_log_is_paginated(moderator_client, moderator):
    for number in range(35):
        audit.record(moderator, "submitted", object_type="listing", object_id=number + 1)
    db.session.commit()

    first = moderator_client.get("/moderation/audit").get_data(as_text=True)
    second = moderator_client.get("/moderation/audit?page=2").get_data(as_text=True)

    assert first.count('class="mod-action') == 30 and second.count('class="mod-action') == 5
    assert 'rel="next"' in first


# ---------------------------------------------------------------- safety

def test_no_get_writes_to_the_database(moderator_client, pending_listing, count_queries):
    with count_queries() as counter:
        for url in _urls(GET_PAGES, pending_listing) + ["/moderation?type=listing&kind=solution",
                                                         "/moderation/audit?action=submitted&object_id=1"]:
            assert moderator_client.get(url).status_code == 200
    writes = [s for s in counter.statements if s.lstrip().split()[0].upper() in ("INSERT", "UPDATE", "DELETE")]
    assert counter.statements and writes == []


@pytest.fixture
def csrf_app():
    """An app with CSRF protection on, as in production (the shared fixtures turn it off)."""
    from catalog_app import create_app
    from catalog_app.config import TestConfig

    settings = {name: getattr(TestConfig, name) for name in dir(TestConfig) if name.isupper()}
    app = create_app({**settings, "WTF_CSRF_ENABLED": True})
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()


def test_posts_need_a_csrf_token(csrf_app):
    import re

    from catalog_app.models import Organization, OrganizationKind, OrganizationTier, Solution, User

    organization = Organization(name="测试科技", credit_code="91440101MA59ABCD1X", kind=OrganizationKind.SUPPLIER,
                                tier=OrganizationTier.SME)
    owner = User(email="owner@example.com", password_hash="x", role=UserRole.SUPPLIER, organization=organization)
    staff = User(email="staff@example.com", password_hash="x", role=UserRole.MODERATOR)
    listing = Solution(organization=organization, title="待审核方案", status=ListingStatus.DRAFT)
    db.session.add_all([organization, owner, staff, listing])
    db.session.flush()
    services.submit_for_review(listing, owner)
    client = csrf_app.test_client()
    login_as(client, staff)

    for url in (f"/moderation/listing/{listing.id}/approve", f"/moderation/listing/{listing.id}/reject",
                f"/moderation/organizations/{organization.id}/verification"):
        assert client.post(url, data={"reason": "duplicate", "verified": "1"}).status_code == 400, url
    assert listing.status is ListingStatus.PENDING_REVIEW

    page = client.get(f"/moderation/listing/{listing.id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(f"/moderation/listing/{listing.id}/approve", data={"csrf_token": token})
    assert response.status_code == 302
    db.session.expire_all()
    assert listing.status is ListingStatus.PUBLISHED
