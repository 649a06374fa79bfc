"""Screenshots of the moderation pages on a scratch database, for reviewing the design.

    .venv/bin/python tests/moderation/screenshots.py [output-dir]

Builds a throw-away SQLite database with a moderator, a few organizations and submissions
(one listing approved, edited and resubmitted, so the review page has a diff), serves the
app on loopback, signs the browser in through a real session row, and saves full-page
PNGs of the queue, a review page and the audit log. Uses Debian's /usr/bin/chromium.
"""
from __future__ import annotations

import os
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import sqlalchemy as sa  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from catalog_app import create_app  # noqa: E402
from catalog_app.accounts.sessions import LAST_SEEN_KEY, create_session_row  # noqa: E402
from catalog_app.config import TestConfig  # noqa: E402
from catalog_app.extensions import db  # noqa: E402
from catalog_app.models import (  # noqa: E402
    Demand, Industry, Organization, OrganizationKind, OrganizationTier, Product, Revision,
    Scenario, Solution, Technology, User, UserRole,
)
from catalog_app.models._types import utcnow  # noqa: E402
from catalog_app.moderation import services  # noqa: E402
from catalog_app.credit_code import make_credit_code  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def _terms(model, count, offset=0):
    return list(db.session.scalars(sa.select(model).order_by(model.id).offset(offset).limit(count)))


def build_scenario() -> tuple[User, dict[str, str]]:
    """Fill the scratch database; returns the moderator and the pages to photograph."""
    from catalog_app.taxonomy.services import load_taxonomy

    db.create_all()
    load_taxonomy()
    supplier_org = Organization(name="深圳智视科技有限公司", credit_code=make_credit_code("91440300MA5G8K2L7"),
                                kind=OrganizationKind.SUPPLIER, tier=OrganizationTier.SME, contact_name="陈工",
                                contact_phone="0755-8620 1234")
    enterprise_org = Organization(name="佛山华陶陶瓷集团有限公司", credit_code=make_credit_code("91440600MA4W3R9P2"),
                                  kind=OrganizationKind.ENTERPRISE, tier=OrganizationTier.CHAIN_LEADER,
                                  is_verified=True, contact_name="梁经理")
    robot_org = Organization(name="东莞精工机器人有限公司", credit_code="91441900MA51QX7Y3K",
                             kind=OrganizationKind.SUPPLIER, tier=OrganizationTier.ABOVE_SIZE, contact_name="黄女士")
    moderator = User(email="limin@platform.gd.example", password_hash="x", role=UserRole.MODERATOR,
                     display_name="审核员 李敏")
    supplier = User(email="chen@zhishi.example", password_hash="x", role=UserRole.SUPPLIER,
                    display_name="陈志远", organization=supplier_org)
    buyer = User(email="liang@huatao.example", password_hash="x", role=UserRole.ENTERPRISE,
                 display_name="梁嘉欣", organization=enterprise_org)
    robot_user = User(email="huang@jinggong.example", password_hash="x", role=UserRole.SUPPLIER,
                      display_name="黄晓婷", organization=robot_org, locale="en")
    db.session.add_all([supplier_org, enterprise_org, robot_org, moderator, supplier, buyer, robot_user])
    db.session.flush()

    solution = Solution(
        organization=supplier_org, title="陶瓷砖表面缺陷视觉检测方案",
        summary="基于深度学习的陶瓷砖表面缺陷在线检测，替代人工目检。",
        body="面向陶瓷砖生产线的表面质量检测。系统通过线阵相机采集砖面图像，识别裂纹、缺釉、色差等缺陷，"
             "检测速度每分钟60片，准确率98%。\n支持与MES系统对接。",
        keywords="视觉检测, 缺陷识别", maturity_trl=7, expires_at=date.today() + timedelta(days=365),
        industries=_terms(Industry, 1), scenarios=_terms(Scenario, 2), technologies=_terms(Technology, 1))
    db.session.add(solution)
    db.session.flush()
    services.submit_for_review(solution, supplier)
    services.approve_and_notify(solution, moderator)

    solution.title = "陶瓷砖表面缺陷AI视觉检测方案"
    solution.body = ("面向陶瓷砖与岩板生产线的表面质量检测。系统通过线阵相机采集砖面图像，识别裂纹、缺釉、色差、"
                     "针孔等缺陷，检测速度每分钟90片，准确率99.2%。\n支持与MES、ERP系统对接，"
                     "缺陷图片自动归档。")
    solution.maturity_trl = 8
    solution.scenarios = _terms(Scenario, 1) + _terms(Scenario, 1, offset=5)
    services.submit_for_review(solution, supplier)

    demand = Demand(organization=enterprise_org, created_by_id=buyer.id, title="窑炉能耗优化与智能排产需求",
                    summary="希望降低辊道窑单位能耗并提升排产效率。", background="现有6条辊道窑，依赖人工经验调温。",
                    requirements="能耗降低10%以上；需提供三个月试运行。", budget_min=80, budget_max=150)
    product = Product(organization=robot_org, title="六轴协作机器人 JG-Cobot 10 <Pro>", summary="10 kg 负载协作机器人",
                      body="适用于上下料、打磨、装配。", model_number="JG-C10")
    db.session.add_all([demand, product])
    db.session.flush()
    services.submit_for_review(demand, buyer)
    services.submit_for_review(product, robot_user)
    rejected = Product(organization=robot_org, title="焊接机器人工作站", summary="焊接工作站", body="待补充。")
    db.session.add(rejected)
    db.session.flush()
    services.submit_for_review(rejected, robot_user)
    services.reject_and_notify(rejected, moderator, "缺少验收指标：请补充焊缝合格率与节拍数据")
    services.verify_organization(enterprise_org, moderator, False)
    services.verify_organization(enterprise_org, moderator, True)

    # Spread the submissions over the last days, as a real queue would be.
    for hours, revision in zip((52, 30, 5, 3, 2), db.session.scalars(sa.select(Revision).order_by(Revision.id))):
        revision.submitted_at = utcnow() - timedelta(hours=hours)
        if revision.decided_at is not None:
            revision.decided_at = revision.submitted_at + timedelta(hours=1, minutes=20)
    db.session.commit()
    pages = {
        "queue": "/moderation",
        "review": f"/moderation/listing/{solution.id}",
        "audit": "/moderation/audit",
        "organizations": "/moderation/organizations?show=all",
        "review-first": f"/moderation/listing/{product.id}",
        "queue-en": "/moderation?lang=en",  # last: ?lang= sets the language cookie
    }
    return moderator, pages


def main(output_dir: Path) -> None:
    from playwright.sync_api import sync_playwright

    workdir = Path(tempfile.mkdtemp(prefix="moderation-shots-"))
    settings = {name: getattr(TestConfig, name) for name in dir(TestConfig) if name.isupper()}
    app = create_app({**settings, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'scratch.db'}",
                      "WTF_CSRF_ENABLED": True, "TESTING": False})
    with app.app_context():
        moderator, pages = build_scenario()
        token = create_session_row(moderator)
        db.session.commit()
        cookie = app.session_interface.get_signing_serializer(app).dumps(
            {"_user_id": token, "_fresh": True, LAST_SEEN_KEY: int(time.time())})

    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    output_dir.mkdir(parents=True, exist_ok=True)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
            context.add_cookies([{"name": app.config["SESSION_COOKIE_NAME"], "value": cookie, "url": base}])
            page = context.new_page()
            for name, path in pages.items():
                response = page.goto(base + path)
                assert response is not None and response.status == 200, (path, response and response.status)
                page.screenshot(path=str(output_dir / f"moderation-{name}.png"), full_page=True)
                print(output_dir / f"moderation-{name}.png")
            browser.close()
    finally:
        server.shutdown()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("screenshots"))
