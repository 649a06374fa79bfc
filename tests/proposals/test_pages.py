"""The demand panel per viewer, the pages around it, and the deal counts on home and organization pages."""
from __future__ import annotations

from datetime import timedelta

from flask import g

from catalog_app.extensions import db
from catalog_app.models import DeclineReason, DemandStatus, UserRole
from catalog_app.proposals import services
from tests.proposals.conftest import as_user


def panel_html(client, demand) -> str:
    html = client.get(f"/demands/{demand.id}").get_data(as_text=True)
    start = html.index('class="panel pp-panel"')
    return html[start:html.index("</section>", start)]


def test_anonymous_is_invited_to_log_in(client, demand):
    panel = panel_html(client, demand)
    assert "登录后答题" in panel and "/login?next=" in panel


def test_anonymous_is_not_invited_to_answer_a_solved_demand(client, demand):
    demand.status = DemandStatus.SOLVED
    db.session.commit()
    panel = panel_html(client, demand)
    assert "登录后答题" not in panel and "该需求已停止征集方案" in panel


def test_supplier_answers_then_sees_its_status(client, demand, supplier, enterprise, submit):
    as_user(client, supplier)
    panel = panel_html(client, demand)
    assert "我要答题" in panel and f"/proposals/demand/{demand.id}/new" in panel
    proposal = submit()
    services.shortlist_proposal(proposal, enterprise)
    panel = panel_html(client, demand)
    assert "我要答题" not in panel and "已入围" in panel and f"/proposals/{proposal.id}" in panel


def test_supplier_cannot_answer_a_solved_demand(client, create_demand, supplier):
    solved = create_demand(status=DemandStatus.SOLVED)
    db.session.commit()
    as_user(client, supplier)
    assert "停止征集" in panel_html(client, solved)
    assert client.get(f"/proposals/demand/{solved.id}/new").status_code == 403


def test_enterprise_sees_the_count_and_its_median_response_time(client, demand, enterprise, submit, create_user):
    first = submit()
    submit(actor=create_user(role=UserRole.SUPPLIER))
    first.submitted_at -= timedelta(hours=5)
    db.session.commit()
    services.post_message(first, "请问交付周期？", enterprise)
    as_user(client, enterprise)
    panel = panel_html(client, demand)
    assert "<strong>2</strong>" in panel and "1 份待回复" in panel
    assert f"/proposals/demand/{demand.id}" in panel
    assert "5 小时" in panel
    board = client.get(f"/proposals/demand/{demand.id}").get_data(as_text=True)
    assert "5 小时" in board and "请问交付周期？" in board


def test_other_enterprise_sees_no_counts(client, demand, other_enterprise, submit):
    submit()
    as_user(client, other_enterprise)
    panel = panel_html(client, demand)
    assert "查看方案" not in panel and "<strong>" not in panel


def test_panel_in_english(client, demand):
    assert "Log in to answer" in client.get(f"/demands/{demand.id}?lang=en").get_data(as_text=True)


def test_thread_opens_on_the_enterprise_list(client, demand, enterprise, supplier, submit):
    proposal = submit()
    services.post_message(proposal, "我方可提供样机测试", supplier)
    as_user(client, enterprise)
    html = client.get(f"/proposals/demand/{demand.id}?open={proposal.id}").get_data(as_text=True)
    assert '<details class="pp-card__thread" open>' in html and "我方可提供样机测试" in html
    response = client.post(f"/proposals/{proposal.id}/messages", data={"body": "好的，下周安排", "back": "list"})
    assert response.status_code == 302 and f"open={proposal.id}" in response.headers["Location"]


def test_supplier_sees_the_decline_reason(client, supplier, enterprise, submit):
    proposal = submit()
    services.decline_proposal(proposal, DeclineReason.COST, "", enterprise)
    as_user(client, supplier)
    html = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "成本过高" in html and "已婉拒" in html
    assert "成本过高" in client.get("/proposals/mine").get_data(as_text=True)


def test_home_and_organization_pages_show_deal_counts(client, demand, supplier, enterprise, submit, own_listing):
    proposal = submit()
    services.shortlist_proposal(proposal, enterprise)
    services.record_agreement(proposal, 1250, "", enterprise)
    g.pop("_login_user", None)
    home = client.get("/").get_data(as_text=True)
    section = home[home.index('id="deals-title"'):]
    assert "对接成效" in home and "1,250" in section[:2000]
    organization = client.get(f"/organizations/{supplier.organization_id}").get_data(as_text=True)
    assert "对接成效" in organization and "1,250" in organization and "意向协议" in organization


def test_the_moderators_audit_log_shows_proposal_entries(client, create_user, submit, enterprise):
    proposal = submit()
    services.shortlist_proposal(proposal, enterprise)
    as_user(client, create_user(role=UserRole.MODERATOR))
    response = client.get("/moderation/audit")
    assert response.status_code == 200 and f"#{proposal.id}" in response.get_data(as_text=True)
