"""Email settings, saved searches, strong matches for enterprises, the failed-email admin page."""
from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from catalog_app.extensions import db
from catalog_app.models import DigestEntry, Frequency, OutboxMessage, OutboxStatus, SavedSearch, UserRole
from catalog_app.models._types import utcnow
from catalog_app.publishing.digests import send_digests
from catalog_app.notifications.preferences import DEMAND_MATCHES, SAVED_SEARCHES, STRONG_MATCHES, frequency_for, set_frequency
from catalog_app.publishing.leads import queue_strong_matches
from catalog_app.email_queue import send_email
from tests.conftest import login_as
from tests.notifications.recommendation_fixtures import market, outbox, publish, scenario  # noqa: F401


def test_preferences_page_needs_a_login(client):
    response = client.get("/notifications/preferences")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.post("/notifications/preferences", data={DEMAND_MATCHES: "off"}).status_code == 302


def test_preferences_page_stores_choices(client, create_user):
    supplier = create_user(role=UserRole.SUPPLIER)
    login_as(client, supplier)
    page = client.get("/notifications/preferences?lang=zh").get_data(as_text=True)
    assert "邮件设置" in page and "与我的方案/产品匹配的新需求" in page
    response = client.post("/notifications/preferences", data={DEMAND_MATCHES: "weekly", "interest": "daily"})
    assert response.status_code == 302
    assert frequency_for(supplier, DEMAND_MATCHES) is Frequency.WEEKLY
    assert frequency_for(supplier, "interest") is Frequency.IMMEDIATE  # not a choice for that kind: ignored


def test_preferences_form_needs_the_csrf_token(client, create_user, app):
    supplier = create_user(role=UserRole.SUPPLIER)
    login_as(client, supplier)
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post("/notifications/preferences", data={DEMAND_MATCHES: "off"}).status_code == 400
    assert frequency_for(supplier, DEMAND_MATCHES) is Frequency.IMMEDIATE


@pytest.mark.parametrize("role, status", [(UserRole.SUPPLIER, 403), (UserRole.ENTERPRISE, 403),
                                          (UserRole.MODERATOR, 403), (UserRole.ADMIN, 200)])
def test_failed_emails_page_is_for_admins_only(client, create_user, role, status):
    login_as(client, create_user(role=role))
    assert client.get("/notifications/admin/failed").status_code == status
    assert client.post("/notifications/admin/failed/requeue", data={"all": "1"}).status_code in (status, 302)


def test_failed_emails_page_anonymous_goes_to_login(client):
    assert client.get("/notifications/admin/failed").status_code == 302


def test_admin_sees_the_error_and_requeues(client, create_user):
    row = send_email("gone@example.com", "Hello", "outbox_test", "en", queued_at="now", note="")
    row.status, row.last_error, row.attempts = OutboxStatus.FAILED, "550 5.1.1 mailbox unavailable", 1
    db.session.commit()
    login_as(client, create_user(role=UserRole.ADMIN))
    page = client.get("/notifications/admin/failed").get_data(as_text=True)
    assert "550 5.1.1 mailbox unavailable" in page and "gone@example.com" in page
    assert client.post("/notifications/admin/failed/requeue", data={"id": str(row.id)}).status_code == 302
    db.session.expire_all()
    assert db.session.get(OutboxMessage, row.id).status is OutboxStatus.PENDING


def test_saved_search_results_go_into_the_digest_once(client, create_user, create_listing):
    user = create_user(role=UserRole.ENTERPRISE)
    set_frequency(user, SAVED_SEARCHES, Frequency.DAILY)
    create_listing(title="旧的机器视觉检测方案")  # published before the search was saved
    db.session.commit()
    login_as(client, user)
    response = client.post("/notifications/saved-searches", data={"section": "solutions", "query": "q=视觉检测&page=3"})
    assert response.status_code == 302
    search = db.session.scalar(sa.select(SavedSearch))
    assert search.query_string == "q=%E8%A7%86%E8%A7%89%E6%A3%80%E6%B5%8B"  # page dropped
    client.post("/notifications/saved-searches", data={"section": "solutions", "query": "q=视觉检测"})
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SavedSearch)) == 1

    search.checked_until = utcnow().replace(year=2000)
    db.session.commit()
    new = create_listing(title="新的视觉检测解决方案")
    old_search_watermark = search.checked_until
    db.session.commit()
    send_digests(Frequency.DAILY, date(2026, 3, 2))
    digest = outbox("digest_email")
    assert len(digest) == 1 and new.title in digest[0].body_text
    assert db.session.get(SavedSearch, search.id).checked_until > old_search_watermark
    send_digests(Frequency.DAILY, date(2026, 3, 3))
    assert len(outbox("digest_email")) == 1


def test_deleting_someone_elses_saved_search_is_404(client, create_user):
    owner, other = create_user(role=UserRole.SUPPLIER), create_user(role=UserRole.SUPPLIER)
    db.session.add(SavedSearch(user_id=owner.id, section="solutions", query_string="q=x"))
    db.session.commit()
    search_id = db.session.scalar(sa.select(SavedSearch.id))
    login_as(client, other)
    assert client.post(f"/notifications/saved-searches/{search_id}/delete").status_code == 404
    login_as(client, owner)
    assert client.post(f"/notifications/saved-searches/{search_id}/delete").status_code == 302


def test_new_strong_listing_reaches_the_enterprise_once(market, publish, create_listing):
    set_frequency(market.owner, STRONG_MATCHES, Frequency.IMMEDIATE)
    publish(market.demand, market.owner, market.moderator)
    assert outbox("recommendations_strong") == []  # older listings were on the demand page already
    newer = create_listing(organization=market.agv.organization, title="皮具皮面划痕色差视觉检测新方案",
                           summary="识别皮面划痕和色差，替代人工目检", body="皮具 皮面 划痕 色差 检测")
    newer.scenarios.append(scenario("检测"))
    db.session.commit()

    queue_strong_matches()
    queue_strong_matches()
    strong = outbox("recommendations_strong")
    assert [e.recipient for e in strong] == [market.owner.email]
    assert newer.title in strong[0].body_text

    set_frequency(market.owner, STRONG_MATCHES, Frequency.DAILY)  # already emailed: not again in a digest
    db.session.commit()
    queue_strong_matches()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DigestEntry)) == 0


def test_strong_matches_are_immediate_by_default(market, create_user):
    assert frequency_for(market.owner, STRONG_MATCHES) is Frequency.IMMEDIATE


def test_strong_matches_go_to_the_daily_digest_when_chosen(market, publish, create_listing):
    set_frequency(market.owner, STRONG_MATCHES, Frequency.DAILY)
    publish(market.demand, market.owner, market.moderator)
    newer = create_listing(organization=market.agv.organization, title="皮具皮面划痕色差视觉检测新方案",
                           summary="识别皮面划痕和色差，替代人工目检", body="皮具 皮面 划痕 色差 检测")
    newer.scenarios.append(scenario("检测"))
    db.session.commit()
    queue_strong_matches()
    assert outbox("recommendations_strong") == []
    send_digests(Frequency.DAILY, date(2026, 3, 2))
    digest = outbox("digest_email")
    assert [d.recipient for d in digest] == [market.owner.email] and newer.title in digest[0].body_text
    queue_strong_matches()
    send_digests(Frequency.DAILY, date(2026, 3, 3))
    assert len(outbox("digest_email")) == 1


def test_previews_render_for_the_new_kinds(runner, tmp_path):
    for kind in ("recommendations_demand", "recommendations_strong", "recommendations_interest", "digest_email"):
        for locale in ("zh", "en"):
            out = tmp_path / f"{kind}.{locale}.html"
            result = runner.invoke(args=["emails", "preview", kind, "--locale", locale, "--out", str(out)])
            assert result.exit_code == 0, result.output
            html = out.read_text()
            assert ("感兴趣" if locale == "zh" else "Interested") in html or kind == "recommendations_interest"
