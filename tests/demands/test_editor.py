"""The demand editor through HTTP: who may use it, what is stored, what bad input gets back."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from catalog_app.extensions import db
from catalog_app.models import (
    AuditEntry,
    Confidentiality,
    Demand,
    DemandStatus,
    ReviewDecision,
    Revision,
    UserRole,
)
from tests.conftest import login_as
from tests.demands.conftest import form_data, in_days


def demands() -> list[Demand]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Demand).order_by(Demand.id)))


# ---------------------------------------------------------------- access

def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get("/demands/new")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    assert client.get("/demands/mine").status_code == 302


@pytest.mark.parametrize("role", [UserRole.SUPPLIER, UserRole.MODERATOR, UserRole.ADMIN])
def test_only_enterprise_members_may_post_demands(client, create_user, role):
    login_as(client, create_user(role=role))
    assert client.get("/demands/new").status_code == 403
    assert client.post("/demands/new", data=form_data()).status_code == 403
    assert client.get("/demands/mine").status_code == 403
    assert demands() == []


def test_an_enterprise_user_without_organization_gets_403(client, create_user):
    login_as(client, create_user(role=UserRole.ENTERPRISE, organization=None))
    assert client.get("/demands/new").status_code == 403


def test_another_organizations_demand_is_not_found(enterprise_client, create_demand):
    foreign = create_demand(status=DemandStatus.DRAFT, title="别家的草稿")
    db.session.commit()
    assert enterprise_client.get(f"/demands/{foreign.id}/edit").status_code == 404
    assert enterprise_client.post(f"/demands/{foreign.id}/edit", data=form_data(title="改掉")).status_code == 404
    for action in ("submit", "withdraw", "close", "solve"):
        assert enterprise_client.post(f"/demands/{foreign.id}/{action}").status_code == 404
    assert demands()[0].title == "别家的草稿"
    assert demands()[0].status is DemandStatus.DRAFT


def test_a_colleague_of_the_same_organization_may_edit(client, enterprise_user, create_user, create_demand):
    demand = create_demand(organization=enterprise_user.organization, status=DemandStatus.DRAFT)
    colleague = create_user(role=UserRole.ENTERPRISE, organization=enterprise_user.organization)
    login_as(client, colleague)
    assert client.get(f"/demands/{demand.id}/edit").status_code == 200


@pytest.mark.parametrize("status", [DemandStatus.IN_TALKS, DemandStatus.SOLVED, DemandStatus.CLOSED])
def test_demands_in_talks_or_ended_cannot_be_edited(enterprise_client, enterprise_user, create_demand, status):
    demand = create_demand(organization=enterprise_user.organization, status=status)
    db.session.commit()
    assert enterprise_client.get(f"/demands/{demand.id}/edit").status_code == 403


def test_drafts_of_others_are_never_public(client, create_demand):
    draft = create_demand(status=DemandStatus.DRAFT, title="尚未发布的草稿需求")
    db.session.commit()
    assert client.get(f"/demands/{draft.id}").status_code == 404
    assert "尚未发布的草稿需求" not in client.get("/demands").get_data(as_text=True)


# ---------------------------------------------------------------- saving

def test_the_empty_form_renders_every_section(enterprise_client):
    html = enterprise_client.get("/demands/new").get_data(as_text=True)
    for text in ("需求概要", "现有流程与痛点", "可提供的数据", "应用场景", "预算下限（万元）", "方案征集截止日期",
                 "仅公开摘要", "揭榜挂帅", "需求质量检查", "匹配的解决方案", "保存草稿", "提交审核"):
        assert text in html, text
    assert "js/demand_form.js" in html
    assert "<script>" not in html  # the CSP forbids inline scripts


def test_scenarios_are_grouped_by_value_chain_stage(enterprise_client):
    html = enterprise_client.get("/demands/new").get_data(as_text=True)
    assert '<p class="lm-checklist__group-title">工厂建设</p>' in html


def test_saving_a_draft_stores_every_field(enterprise_client, enterprise_user, any_scenario):
    response = enterprise_client.post("/demands/new", data=form_data(
        scenarios=str(any_scenario.id), confidentiality="summary_only", confidential_details="产线布局图见附件",
        is_challenge="y", prize_amount="200", challenge_deadline=in_days(30).isoformat()))
    [demand] = demands()
    assert response.status_code == 302
    assert response.headers["Location"] == f"/demands/{demand.id}/edit"
    assert demand.status is DemandStatus.DRAFT
    assert demand.organization_id == enterprise_user.organization_id
    assert demand.created_by_id == enterprise_user.id
    assert demand.title == "皮具表面划痕视觉检测"
    assert demand.data_available == "可提供5000张已标注缺陷图片及一年的质检记录。"
    assert (demand.budget_min, demand.budget_max, demand.deadline) == (50, 120, in_days(60))
    assert demand.confidentiality is Confidentiality.SUMMARY_ONLY
    assert demand.confidential_details == "产线布局图见附件"
    assert (demand.is_challenge, demand.prize_amount, demand.challenge_deadline) == (True, 200, in_days(30))
    assert [s.id for s in demand.scenarios] == [any_scenario.id]
    assert db.session.scalar(sa.select(AuditEntry.action).where(AuditEntry.object_id == demand.id)) == "edited"


def test_turning_the_challenge_off_forgets_its_prize(enterprise_client, enterprise_user, create_demand):
    demand = create_demand(organization=enterprise_user.organization, status=DemandStatus.DRAFT, is_challenge=True,
                           prize_amount=50, challenge_deadline=in_days(10))
    db.session.commit()
    enterprise_client.post(f"/demands/{demand.id}/edit", data=form_data(prize_amount="50"))
    [saved] = demands()
    assert (saved.is_challenge, saved.prize_amount, saved.challenge_deadline) == (False, None, None)


def test_the_editor_shows_the_saved_values(enterprise_client, enterprise_user, create_demand, any_scenario):
    demand = create_demand(organization=enterprise_user.organization, status=DemandStatus.DRAFT,
                           title="已保存的标题", data_available="三年的设备日志", budget_max=99,
                           scenarios=[any_scenario])
    db.session.commit()
    html = enterprise_client.get(f"/demands/{demand.id}/edit").get_data(as_text=True)
    assert 'value="已保存的标题"' in html and "三年的设备日志" in html and 'value="99"' in html
    assert f'value="{any_scenario.id}" checked' in html


@pytest.mark.parametrize("field, value, message", [
    ("title", "长" * 121, "最多 120 个字符"),
    ("summary", "长" * 501, "最多 500 个字符"),
    ("background", "长" * 5001, "最多 5000 个字符"),
    ("title", "", "该字段是必填字段"),
    ("title", "\u200b\u200d\ufeff", "请输入可见文字"),
    ("deadline", in_days(-1).isoformat(), "日期必须晚于今天"),
    ("deadline", "2026-02-30", "不是有效的日期值"),
    ("budget_max", "10", "预算上限不能低于下限"),
    ("budget_min", "-5", "请输入 0 到 1000000 之间的金额"),
    ("region", "999999", "不是有效的选择"),
])
def test_bad_input_gets_a_message_beside_the_field_and_nothing_is_stored(enterprise_client, field, value, message):
    response = enterprise_client.post("/demands/new", data=form_data(**{field: value}))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{field}-error"' in html
    error = html.split(f'id="{field}-error">', 1)[1].split("</p>", 1)[0]
    assert message in error
    assert "未保存任何内容" in html
    assert demands() == []


def test_a_challenge_closing_after_the_deadline_is_refused(enterprise_client):
    response = enterprise_client.post("/demands/new", data=form_data(
        is_challenge="y", challenge_deadline=in_days(90).isoformat(), deadline=in_days(60).isoformat()))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "揭榜截止日期不能晚于需求截止日期" in html.split('id="challenge_deadline-error">', 1)[1][:80]
    assert demands() == []


def test_a_challenge_needs_its_closing_date(enterprise_client):
    response = enterprise_client.post("/demands/new", data=form_data(is_challenge="y"))
    assert response.status_code == 422
    assert "揭榜挂帅需要设置揭榜截止日期" in response.get_data(as_text=True)
    assert demands() == []


def test_unknown_taxonomy_ids_are_refused(enterprise_client):
    response = enterprise_client.post("/demands/new", data=form_data(scenarios="987654"))
    assert response.status_code == 422
    assert demands() == []


def test_user_text_is_escaped_everywhere(enterprise_client, enterprise_user, create_demand):
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    response = enterprise_client.post("/demands/new", data=form_data(title=payload, summary=payload))
    demand_id = demands()[0].id
    for url in (response.headers["Location"], "/demands/mine"):
        html = enterprise_client.get(url).get_data(as_text=True)
        assert payload not in html
        assert "&lt;script&gt;alert(" in html
    errors = enterprise_client.post(f"/demands/{demand_id}/edit", data=form_data(title=payload, deadline="x"))
    assert payload not in errors.get_data(as_text=True)


# ---------------------------------------------------------------- submitting

def test_a_good_demand_goes_straight_to_review(enterprise_client, any_scenario):
    response = enterprise_client.post("/demands/new", data=form_data(
        scenarios=str(any_scenario.id), save_draft=None, submit_review="y"))
    [demand] = demands()
    assert response.headers["Location"] == "/demands/mine"
    assert demand.status is DemandStatus.PENDING_REVIEW
    revision = db.session.scalar(sa.select(Revision).where(Revision.object_id == demand.id))
    assert revision.object_type == "demand" and revision.decision is ReviewDecision.PENDING
    assert revision.snapshot["title"] == "皮具表面划痕视觉检测"


def test_a_vague_demand_is_saved_and_the_report_asks_for_confirmation(enterprise_client):
    response = enterprise_client.post("/demands/new", data=form_data(
        summary="希望实现质检智能化，提升效率。", background="", expected_outcomes="降本增效", data_available="",
        budget_min="", budget_max="", save_draft=None, submit_review="y"))
    [demand] = demands()
    assert demand.status is DemandStatus.DRAFT  # saved, not submitted
    assert response.headers["Location"] == f"/demands/{demand.id}/edit?check=1#quality-report"
    html = enterprise_client.get(f"/demands/{demand.id}/edit?check=1").get_data(as_text=True)
    assert 'id="quality-report"' in html
    for text in ("可提供的数据", "请说明可提供哪些数据", "量化的验收指标", "请填写预算范围", "“希望实现质检智能化，提升效率”",
                 "仍然提交审核"):
        assert text in html, text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Revision)) == 0


def test_submit_anyway_sends_the_vague_demand_to_review(enterprise_client, enterprise_user, create_demand):
    demand = create_demand(organization=enterprise_user.organization, status=DemandStatus.DRAFT, summary="提升效率")
    db.session.commit()
    assert enterprise_client.post(f"/demands/{demand.id}/submit").headers["Location"].endswith("check=1#quality-report")
    assert demands()[0].status is DemandStatus.DRAFT
    response = enterprise_client.post(f"/demands/{demand.id}/submit", data={"confirm": "y"})
    assert response.headers["Location"] == "/demands/mine"
    assert demands()[0].status is DemandStatus.PENDING_REVIEW


def test_the_report_is_not_shown_without_asking(enterprise_client, enterprise_user, create_demand):
    demand = create_demand(organization=enterprise_user.organization, status=DemandStatus.DRAFT, summary="提升效率")
    db.session.commit()
    html = enterprise_client.get(f"/demands/{demand.id}/edit").get_data(as_text=True)
    assert 'id="quality-report"' not in html
    assert 'data-quality-value>' in html  # the sidebar score is always there


def test_submitting_without_a_summary_names_the_field(enterprise_client, any_scenario):
    response = enterprise_client.post("/demands/new", data=form_data(
        summary="", scenarios=str(any_scenario.id), save_draft=None, submit_review="y"))
    assert response.status_code == 422
    assert "提交审核前请填写公开摘要" in response.get_data(as_text=True).split('id="summary-error">', 1)[1][:60]
    assert demands() == []


def test_editing_a_published_demand_queues_the_edit_and_keeps_it_public(enterprise_client, enterprise_user,
                                                                       create_demand, client):
    demand = create_demand(organization=enterprise_user.organization, title="旧标题")
    db.session.commit()
    enterprise_client.post(f"/demands/{demand.id}/edit", data=form_data(title="未经审核的新标题"))
    assert demands()[0].status is DemandStatus.PUBLISHED and demands()[0].title == "旧标题"
    public_list = client.get("/demands").get_data(as_text=True)
    assert "未经审核的新标题" not in public_list and "旧标题" in public_list
    assert "未经审核的新标题" in enterprise_client.get(f"/demands/{demand.id}/edit").get_data(as_text=True)


# ---------------------------------------------------------------- status changes and My demands

@pytest.mark.parametrize("action, before, after", [
    ("withdraw", DemandStatus.PUBLISHED, DemandStatus.DRAFT),
    ("withdraw", DemandStatus.PENDING_REVIEW, DemandStatus.DRAFT),
    ("close", DemandStatus.PUBLISHED, DemandStatus.CLOSED),
    ("close", DemandStatus.IN_TALKS, DemandStatus.CLOSED),
    ("solve", DemandStatus.PUBLISHED, DemandStatus.SOLVED),
    ("solve", DemandStatus.IN_TALKS, DemandStatus.SOLVED),
])
def test_status_changes(enterprise_client, enterprise_user, create_demand, action, before, after):
    demand = create_demand(organization=enterprise_user.organization, status=before)
    db.session.commit()
    assert enterprise_client.post(f"/demands/{demand.id}/{action}").headers["Location"] == "/demands/mine"
    assert demands()[0].status is after


@pytest.mark.parametrize("action, status", [
    ("withdraw", DemandStatus.DRAFT), ("withdraw", DemandStatus.CLOSED), ("close", DemandStatus.DRAFT),
    ("close", DemandStatus.SOLVED), ("solve", DemandStatus.PENDING_REVIEW), ("solve", DemandStatus.CLOSED),
])
def test_status_changes_that_make_no_sense_are_refused(enterprise_client, enterprise_user, create_demand, action,
                                                        status):
    demand = create_demand(organization=enterprise_user.organization, status=status)
    db.session.commit()
    enterprise_client.post(f"/demands/{demand.id}/{action}")
    assert demands()[0].status is status


def test_withdrawing_takes_the_demand_out_of_the_review_queue(enterprise_client, enterprise_user, create_demand):
    demand = create_demand(organization=enterprise_user.organization, status=DemandStatus.DRAFT, summary="摘要")
    db.session.commit()
    enterprise_client.post(f"/demands/{demand.id}/submit", data={"confirm": "y"})
    enterprise_client.post(f"/demands/{demand.id}/withdraw")
    assert db.session.scalar(sa.select(Revision.decision)) is ReviewDecision.WITHDRAWN


def test_my_demands_lists_every_status_of_my_organization_only(enterprise_client, enterprise_user, create_demand):
    for status in DemandStatus:
        create_demand(organization=enterprise_user.organization, status=status, title=f"我的需求-{status.value}")
    create_demand(title="别家的需求")
    db.session.commit()
    html = enterprise_client.get("/demands/mine").get_data(as_text=True)
    for status in DemandStatus:
        assert f"我的需求-{status.value}" in html
    assert "别家的需求" not in html


def test_the_public_list_offers_enterprises_a_way_in(enterprise_client, client, create_user):
    assert 'href="/demands/new"' in enterprise_client.get("/demands").get_data(as_text=True)
