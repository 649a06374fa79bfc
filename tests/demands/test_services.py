"""Demand use-cases called directly: permissions first, one commit, nothing public before approval."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from catalog_app.demands import permissions, services
from catalog_app.demands.services import DemandError, DemandInput, SaveOutcome
from catalog_app.extensions import db
from catalog_app.models import AuditEntry, Demand, DemandStatus, Revision, UserRole
from catalog_app.moderation.services import approve

GOOD = DemandInput(
    title="注塑件外观缺陷检测", summary="注塑车间需要自动检出缩痕、飞边、黑点，替代人工全检。",
    background="目前12台注塑机各配1名质检员，夜班漏检率约2%，客户退货每月约3批，质检人力成本高。",
    requirements="检测节拍需匹配产线，接入现有MES，支持本地部署；相机与光源方案由供应商提供，需适配6种产品型号，软件界面需为中文。",
    expected_outcomes="缺陷检出率≥99.5%，误判率≤1%，单件检测≤2秒。", data_available="可提供3000张缺陷样本图片。",
    budget_min=30, budget_max=80, deadline=date.today() + timedelta(days=45),
)


@pytest.fixture
def good(any_scenario) -> DemandInput:
    return DemandInput(**{**GOOD.__dict__, "scenario_ids": (any_scenario.id,)})


def test_a_supplier_is_refused_before_anything_is_written(create_user, good):
    supplier = create_user(role=UserRole.SUPPLIER)
    with pytest.raises(DemandError):
        services.save_demand(None, good, supplier)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Demand)) == 0


def test_another_organizations_demand_cannot_be_saved(create_user, create_demand, good):
    foreign = create_demand(status=DemandStatus.DRAFT, title="原标题")
    with pytest.raises(DemandError):
        services.save_demand(foreign, good, create_user(role=UserRole.ENTERPRISE))
    assert foreign.title == "原标题"


@pytest.mark.parametrize("change, field", [
    ({"deadline": date.today()}, "deadline"),
    ({"budget_min": 90, "budget_max": 10}, "budget_max"),
    ({"is_challenge": True, "challenge_deadline": date.today() + timedelta(days=60)}, "challenge_deadline"),
    ({"is_challenge": True, "challenge_deadline": date.today() - timedelta(days=1)}, "challenge_deadline"),
])
def test_the_service_repeats_the_date_and_budget_rules(create_user, good, change, field):
    with pytest.raises(DemandError) as refused:
        services.save_demand(None, DemandInput(**{**good.__dict__, **change}), create_user(role=UserRole.ENTERPRISE))
    assert refused.value.field == field
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Demand)) == 0


def test_save_then_submit_records_the_history(create_user, good):
    user = create_user(role=UserRole.ENTERPRISE)
    saved = services.save_demand(None, good, user)
    assert saved.outcome is SaveOutcome.SAVED and saved.report.score == 100
    submitted = services.submit_demand(saved.demand, user)
    assert submitted.outcome is SaveOutcome.SUBMITTED
    assert saved.demand.status is DemandStatus.PENDING_REVIEW
    actions = list(db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions == ["edited", "submitted"]
    assert db.session.scalar(sa.select(Revision.snapshot))["scenarios"]


def test_a_low_score_needs_confirmation_and_changes_nothing(create_user):
    user = create_user(role=UserRole.ENTERPRISE)
    draft = services.save_demand(None, DemandInput(title="质检智能化", summary="提升效率"), user).demand
    result = services.submit_demand(draft, user)
    assert result.outcome is SaveOutcome.NEEDS_CONFIRMATION and not result.report.passes
    assert draft.status is DemandStatus.DRAFT
    assert services.submit_demand(draft, user, accept_low_quality=True).outcome is SaveOutcome.SUBMITTED


def test_a_past_deadline_blocks_a_later_submission(create_user, create_demand):
    user = create_user(role=UserRole.ENTERPRISE)
    demand = create_demand(organization=user.organization, status=DemandStatus.DRAFT,
                           deadline=date.today() - timedelta(days=1))
    with pytest.raises(DemandError) as refused:
        services.submit_demand(demand, user, accept_low_quality=True)
    assert refused.value.field == "deadline"


def test_a_rejected_demand_can_be_fixed_and_resubmitted(create_user, create_demand, good):
    user = create_user(role=UserRole.ENTERPRISE)
    demand = create_demand(organization=user.organization, status=DemandStatus.REJECTED)
    result = services.save_demand(demand, good, user, submit=True)
    assert result.outcome is SaveOutcome.SUBMITTED and demand.status is DemandStatus.PENDING_REVIEW


def test_an_approved_demand_becomes_public(create_user, good, client):
    user = create_user(role=UserRole.ENTERPRISE)
    demand = services.save_demand(None, good, user, submit=True).demand
    approve(demand, create_user(role=UserRole.MODERATOR, organization=None))
    db.session.commit()
    assert client.get(f"/demands/{demand.id}").status_code == 200


def test_my_demands_is_scoped_to_the_organization(create_user, create_demand):
    user = create_user(role=UserRole.ENTERPRISE)
    mine = [create_demand(organization=user.organization, status=status) for status in DemandStatus]
    create_demand()
    assert {d.id for d in services.organization_demands(user)} == {d.id for d in mine}
    assert sum(services.status_counts(user).values()) == len(DemandStatus)


def test_the_editor_choices_group_scenarios_and_districts(create_user):
    choices = services.editor_choices(create_user(role=UserRole.ENTERPRISE), "zh")
    assert {"industries", "scenarios", "technologies", "regions"} == set(choices)
    assert choices["scenarios"][0][2] == "工厂建设"
    guangzhou = [name for _id, name, city in choices["regions"] if city == "广州市"]
    assert guangzhou[0] == "广州市" and "天河区" in guangzhou


@pytest.mark.parametrize("role, allowed", [(UserRole.ENTERPRISE, True), (UserRole.SUPPLIER, False),
                                           (UserRole.MODERATOR, False)])
def test_who_may_create_demands(create_user, role, allowed):
    assert permissions.can_create_demand(create_user(role=role)) is allowed


def test_anonymous_visitors_may_do_nothing(create_demand):
    from flask_login import AnonymousUserMixin

    anonymous, demand = AnonymousUserMixin(), create_demand(status=DemandStatus.DRAFT)
    assert not permissions.can_create_demand(anonymous)
    assert not permissions.owns_demand(anonymous, demand)
    assert not permissions.can_edit_demand(anonymous, demand)
