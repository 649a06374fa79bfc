"""Fixtures of the recommendation-email tests: a matching market of suppliers and one enterprise.

Imported by the test modules (`from tests.notifications.recommendation_fixtures import *`),
not by conftest.py, so the outbox tests keep their own fixture set.
"""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from catalog_app.extensions import db
from catalog_app.models import DemandStatus, OrganizationKind, OutboxMessage, Scenario, UserRole
from catalog_app.moderation import services as moderation


def scenario(part: str) -> Scenario:
    return db.session.scalars(sa.select(Scenario).where(Scenario.name_zh.contains(part))).first()


def outbox(kind: str | None = None) -> list[OutboxMessage]:
    statement = sa.select(OutboxMessage).order_by(OutboxMessage.id)
    if kind:
        statement = statement.where(OutboxMessage.kind == kind)
    return list(db.session.scalars(statement))


@pytest.fixture
def market(app, create_user, create_organization, create_listing, create_demand):
    """Two vision suppliers (one with two members) that match the demand, one AGV supplier that does not.

    Three listings are too few for the engine's scenario classifier (`facet_min_docs`), without
    which even a perfect match stays far below the strong-match confidence calibrated on the demo
    catalog: the threshold is lowered here, since these tests are about routing e-mails
    (tests/recommendations/test_confidence.py checks the threshold itself on the demo catalog).
    """
    app.config["STRONG_MATCH_CONFIDENCE"] = 0.03
    inspection = scenario("检测")
    vision_org = create_organization(name="广州视觉智能科技有限公司")
    camera_org = create_organization(name="深圳相机科技有限公司")
    agv_org = create_organization(name="东莞物流机器人有限公司")
    vision_a = create_user(role=UserRole.SUPPLIER, organization=vision_org, display_name="张工")
    vision_b = create_user(role=UserRole.SUPPLIER, organization=vision_org, locale="en", display_name="Wang")
    camera = create_user(role=UserRole.SUPPLIER, organization=camera_org)
    agv = create_user(role=UserRole.SUPPLIER, organization=agv_org)
    good = create_listing(organization=vision_org, title="皮具表面缺陷视觉检测系统",
                          summary="基于深度学习识别皮面划痕、色差", body="皮具 皮面 划痕 色差 视觉检测")
    good.scenarios.append(inspection)
    second = create_listing(organization=camera_org, title="皮面瑕疵视觉检测相机方案",
                            summary="识别划痕和色差的工业相机", body="皮具 划痕 色差")
    second.scenarios.append(inspection)
    create_listing(organization=agv_org, title="仓储物流AGV调度系统", summary="智能仓储搬运", body="叉车 调度")
    enterprise_org = create_organization(name="佛山皮革制品集团有限公司", kind=OrganizationKind.ENTERPRISE)
    owner = create_user(role=UserRole.ENTERPRISE, organization=enterprise_org, display_name="李经理")
    moderator = create_user(role=UserRole.MODERATOR)
    demand = create_demand(organization=enterprise_org, status=DemandStatus.DRAFT, created_by_id=owner.id,
                           title="皮具皮面瑕疵自动检测", summary="需要识别划痕和色差，替代人工目检")
    demand.scenarios.append(inspection)
    db.session.commit()
    return type("Market", (), dict(vision_a=vision_a, vision_b=vision_b, camera=camera, agv=agv, good=good,
                                   second=second, owner=owner, moderator=moderator, demand=demand,
                                   enterprise_org=enterprise_org))


@pytest.fixture
def publish(app):
    """Submit and approve a demand as the moderation screens do (one commit each)."""
    def publish(demand, owner, moderator):
        moderation.submit_for_review(demand, owner)
        db.session.commit()
        return moderation.approve_and_notify(demand, moderator)

    return publish
