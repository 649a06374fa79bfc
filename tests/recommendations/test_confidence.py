"""Issue #11 in the app: the engine's calibrated confidence decides the bar, "strong match" and
the recommendation e-mails, checked against the demo catalog (scale 1, loaded once per module).

Out-of-domain demands (a hospital wanting diagnosis support, a law firm wanting contract review)
must get no strong match, say so on their page and e-mail nobody; a realistic industrial demand
gets a strong match.
"""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from catalog_app.extensions import db
from catalog_app.models import Demand, DemandStatus, Match, OutboxMessage, Scenario, User, UserRole
from catalog_app.moderation import services as moderation
from catalog_app.recommendations.services import has_strong_match, preview_listings, recommend_listings

HOSPITAL = ("医院影像辅助诊断系统",
            "我院希望引入AI辅助诊断，对CT和核磁共振影像进行病灶识别，辅助放射科医生阅片，提高诊断效率，减少漏诊。")
LAW_FIRM = ("律师事务所合同智能审查",
            "我所希望引入人工智能对商务合同进行自动审查，识别风险条款和缺失条款，并生成审查意见，提高律师工作效率。")
INDUSTRIAL = ("注塑件外观缺陷视觉检测",
              "我司生产汽车内饰注塑件，目前靠人工目检划痕、缩痕、飞边等外观缺陷，漏检率高。"
              "希望引入机器视觉在线检测系统，检测节拍不低于每件3秒。")



def _user(email: str) -> User:
    return db.session.scalar(sa.select(User).where(User.email == email))


def _publish(title: str, summary: str, scenario_slugs: tuple[str, ...] = ()) -> Demand:
    """A demand written by the demo enterprise account, submitted and approved as the screens do."""
    owner, moderator = _user("enterprise1@demo.example.com"), _user("moderator@demo.example.com")
    demand = Demand(organization_id=owner.organization_id, created_by_id=owner.id, title=title,
                    summary=summary, background=summary, status=DemandStatus.DRAFT)
    demand.scenarios = list(db.session.scalars(sa.select(Scenario).where(Scenario.slug.in_(scenario_slugs))))
    db.session.add(demand)
    db.session.commit()
    moderation.submit_for_review(demand, owner)
    db.session.commit()
    moderation.approve_and_notify(demand, moderator)
    return demand


def _recommendation_emails(demand: Demand) -> list[OutboxMessage]:
    return list(db.session.scalars(sa.select(OutboxMessage).where(
        OutboxMessage.idempotency_key.like(f"demand-published:{demand.id}:%"))))


@pytest.mark.parametrize("title, summary", [HOSPITAL, LAW_FIRM], ids=["hospital", "law-firm"])
def test_out_of_domain_demand_gets_no_strong_match_and_no_email(demo_app, title, summary):
    demand = _publish(title, summary)
    recommendations = recommend_listings(demand)
    assert recommendations, "the engine still finds loosely related listings"
    assert not has_strong_match(recommendations)
    assert max(r.confidence for r in recommendations) < demo_app.config["STRONG_MATCH_CONFIDENCE"]
    assert all(r.percent == round(r.confidence * 100) for r in recommendations)
    stored = db.session.scalars(sa.select(Match).where(Match.demand_id == demand.id)).all()
    assert stored and all(m.confidence < demo_app.config["STRONG_MATCH_CONFIDENCE"] for m in stored)
    assert _recommendation_emails(demand) == []

    html = demo_app.test_client().get(f"/demands/{demand.id}").get_data(as_text=True)
    assert "暂无高度匹配的方案" in html and "相关度较低的方案" in html
    assert html.count('<li class="match match--weaker">') == html.count('<li class="match') > 0


def test_realistic_industrial_demand_gets_a_strong_match_and_its_suppliers_are_emailed(demo_app):
    # Most demo suppliers have no user account: give the best-matching one a member to e-mail.
    best = preview_listings("\n".join((INDUSTRIAL[0], INDUSTRIAL[0], INDUSTRIAL[1], INDUSTRIAL[1])), top=1)[0]
    member = User(email="vision-sales@example.com", password_hash="x", display_name="视觉销售", role=UserRole.SUPPLIER,
                  organization_id=best.item.organization_id, is_active=True, locale="zh")
    db.session.add(member)
    db.session.commit()

    demand = _publish(*INDUSTRIAL, scenario_slugs=("online-intelligent-inspection",))
    recommendations = recommend_listings(demand)
    assert has_strong_match(recommendations)
    assert recommendations[0].is_strong and recommendations[0].percent >= 50
    assert recommendations[0].explanation().startswith("匹配原因：")
    emails = _recommendation_emails(demand)
    assert member.email in {m.recipient for m in emails}, "a strong match with a content reason e-mails the supplier"
    strong_owners = {r.item.organization_id for r in recommendations if r.is_strong}
    assert {m.recipient for m in emails} <= {u.email for u in db.session.scalars(
        sa.select(User).where(User.organization_id.in_(strong_owners)))}

    html = demo_app.test_client().get(f"/demands/{demand.id}").get_data(as_text=True)
    assert "暂无高度匹配的方案" not in html


def test_the_threshold_is_one_setting(demo_app):
    """Raising STRONG_MATCH_CONFIDENCE above every match turns the industrial demand's page into
    'no strong match' and stops its e-mails: nothing below the threshold is ever mailed."""
    default = demo_app.config["STRONG_MATCH_CONFIDENCE"]
    demo_app.config["STRONG_MATCH_CONFIDENCE"] = 0.999
    try:
        demand = _publish(INDUSTRIAL[0] + "（二期）", INDUSTRIAL[1], scenario_slugs=("online-intelligent-inspection",))
        assert not has_strong_match(recommend_listings(demand))
        assert _recommendation_emails(demand) == []
        html = demo_app.test_client().get(f"/demands/{demand.id}").get_data(as_text=True)
        assert "暂无高度匹配的方案" in html
    finally:
        demo_app.config["STRONG_MATCH_CONFIDENCE"] = default
