"""Screenshots of the proposal pages on a scratch database, for reviewing the design.

    .venv/bin/python tests/proposals/screenshots.py [output-dir]

Builds a throw-away SQLite database with an enterprise, its demands and three suppliers'
proposals (one with a question thread, one shortlisted), serves the app on loopback,
signs two browser contexts in through real session rows (the supplier, the enterprise),
and saves full-page PNGs: the proposal form, the enterprise's list with a thread open,
the decline dialog, the demand panel for both sides, and the confidential-access log.
Uses Debian's /usr/bin/chromium.
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
    Case, Confidentiality, Demand, DemandStatus, Industry, ListingStatus, Organization, OrganizationKind,
    OrganizationTier, Scenario, Solution, User, UserRole,
)
from catalog_app.models._types import utcnow  # noqa: E402
from catalog_app.credit_code import make_credit_code  # noqa: E402
from catalog_app.proposals import confidentiality, services  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def _org(name, code, kind, tier, **kw) -> Organization:
    return Organization(name=name, credit_code=make_credit_code(code), kind=kind, tier=tier, **kw)


def _user(email, name, role, org) -> User:
    return User(email=email, password_hash="x", role=role, display_name=name, organization=org,
                email_verified_at=utcnow())


def build_scenario() -> tuple[User, User, dict[str, tuple[str, str]]]:
    """Fill the scratch database; returns the supplier, the enterprise and the pages to photograph."""
    from catalog_app.taxonomy.services import load_taxonomy

    db.create_all()
    load_taxonomy()
    scenarios = list(db.session.scalars(sa.select(Scenario).order_by(Scenario.id).limit(2)))
    industry = db.session.scalar(sa.select(Industry).order_by(Industry.id))
    maker = _org("佛山华陶陶瓷集团有限公司", "91440600MA4W3R9P2", OrganizationKind.ENTERPRISE,
                 OrganizationTier.CHAIN_LEADER, is_verified=True)
    vision = _org("深圳智视科技有限公司", "91440300MA5G8K2L7", OrganizationKind.SUPPLIER, OrganizationTier.SME,
                  is_verified=True)
    robots = _org("东莞精工机器人有限公司", "91441900MA51QX7Y3", OrganizationKind.SUPPLIER,
                  OrganizationTier.ABOVE_SIZE)
    lab = _org("广州数智工业软件研究院", "12440100MB2C0Q8X1", OrganizationKind.SUPPLIER, OrganizationTier.SME)
    buyer = _user("liang@huatao.example", "梁嘉欣", UserRole.ENTERPRISE, maker)
    chen = _user("chen@zhishi.example", "陈志远", UserRole.SUPPLIER, vision)
    huang = _user("huang@jinggong.example", "黄晓婷", UserRole.SUPPLIER, robots)
    zhou = _user("zhou@shuzhi.example", "周文博", UserRole.SUPPLIER, lab)
    db.session.add_all([maker, vision, robots, lab, buyer, chen, huang, zhou])
    db.session.flush()

    published = dict(status=ListingStatus.PUBLISHED, published_at=utcnow(),
                     expires_at=date.today() + timedelta(days=300))
    listings = [
        Solution(organization=vision, title="陶瓷砖表面缺陷AI视觉检测方案", summary="线阵相机+深度学习在线检测",
                 body="识别裂纹、缺釉、色差、针孔。", scenarios=scenarios, **published),
        Case(organization=vision, title="某建陶企业抛釉砖产线视觉质检改造", summary="漏检率由 3.1% 降至 0.4%",
             body="六条产线改造。", **published),
        Solution(organization=vision, title="窑炉温度场建模与能耗优化系统", summary="数字孪生+强化学习",
                 body="降低单位能耗。", **published),
    ]
    db.session.add_all(listings)

    def demand(title, summary, **kw):
        item = Demand(organization=maker, created_by_id=buyer.id, title=title, summary=summary,
                      status=DemandStatus.PUBLISHED, published_at=utcnow() - timedelta(days=12),
                      industries=[industry], scenarios=scenarios, **kw)
        db.session.add(item)
        return item

    inspection = demand("抛釉砖表面缺陷在线检测", "希望在 2 条抛釉砖产线上替代人工目检，漏检率低于 0.5%。",
                        background="目前每条产线 6 名质检员三班倒，夜班漏检明显。",
                        requirements="检测速度不低于 60 片/分钟；可识别裂纹、缺釉、色差、针孔。",
                        budget_min=80, budget_max=150, deadline=date.today() + timedelta(days=60))
    kiln = demand("辊道窑能耗优化与智能排产", "降低辊道窑单位能耗 10% 以上，并提升排产效率。",
                  confidentiality=Confidentiality.SUMMARY_ONLY,
                  confidential_details="6 条辊道窑历史运行数据：单位能耗 2.1 kgce/m²，峰谷电价差 0.72 元/kWh。",
                  budget_min=120, budget_max=300)
    db.session.flush()

    def answer(actor, target, approach, timeline, low, high, links=(), hours_ago=0):
        proposal = services.submit_proposal(
            target, services.ProposalInput(approach, timeline, low, high, [item.id for item in links]), [], actor)
        proposal.submitted_at = utcnow() - timedelta(hours=hours_ago)
        db.session.commit()
        return proposal

    first = answer(chen, inspection,
                   "采用 4 台 16K 线阵相机配合同轴光源覆盖 1.2 米砖面，基于自研缺陷检测模型识别裂纹、缺釉、色差、"
                   "针孔等 12 类缺陷。\n第一阶段在 1 号线试点 3 周，与人工复检对比；第二阶段推广至 2 号线并接入 MES。",
                   "试点 3 周，两条线全部上线 10 周", 90, 130, listings[:2], hours_ago=70)
    second = answer(huang, inspection,
                    "六轴机器人携带面阵相机分区拍照，配合自动分拣工位，将缺陷砖直接剔除到返修线。",
                    "整体交付 4 个月", 160, 220, hours_ago=50)
    third = answer(zhou, inspection,
                   "提供缺陷检测算法平台与标注服务，由企业自购相机硬件，我方负责模型训练与迭代。",
                   "算法交付 6 周", 40, 60, hours_ago=20)
    services.post_message(first, "1 号线夜班照度较低，方案中的光源能否适应？另外能否提供同类客户的现场参观？", buyer)
    services.post_message(first, "可以。同轴光源自带恒流控制，与环境光无关；下周可安排参观肇庆某建陶客户的产线。", chen)
    services.post_message(first, "好的，请提供参观的具体时间安排和报价明细。", buyer)
    services.shortlist_proposal(second, buyer)
    for message in first.messages:
        message.created_at = first.submitted_at + timedelta(hours=4 + 6 * message.id)
    first.first_response_at = first.submitted_at + timedelta(hours=10)
    second.first_response_at = second.submitted_at + timedelta(hours=26)
    db.session.commit()
    del third

    agv = demand("仓储物流 AGV 调度优化", "提升成品仓 AGV 调度效率，减少拥堵等待。", budget_min=150, budget_max=300)
    db.session.flush()
    won = answer(huang, agv, "基于多智能体路径规划的 AGV 集群调度系统，与现有 WMS 对接。", "试运行 2 个月", 200, 280,
                 hours_ago=200)
    services.shortlist_proposal(won, buyer)
    services.record_agreement(won, 260, "分两期实施", buyer)

    confidentiality.request_access(kiln, "我司有 3 个窑炉能耗优化项目经验，需要历史数据评估节能空间。", chen)
    confidentiality.request_access(kiln, "准备排产优化方案", zhou)
    access = confidentiality.access_for(kiln, vision.id)
    confidentiality.decide_access(access, True, buyer)
    confidentiality.accept_terms(kiln, chen)
    confidentiality.read_confidential_details(kiln, chen, "127.0.0.1")
    confidentiality.read_confidential_details(kiln, chen, "127.0.0.1")
    new_demand = kiln
    pages = {
        "form": ("supplier", f"/proposals/demand/{new_demand.id}/new"),
        "demand-panel-supplier": ("supplier", f"/demands/{inspection.id}"),
        "proposal-supplier": ("supplier", f"/proposals/{first.id}"),
        "list-with-thread": ("enterprise", f"/proposals/demand/{inspection.id}?open={first.id}"),
        "decline-dialog": ("enterprise", f"/proposals/{first.id}/decline"),
        "demand-panel-enterprise": ("enterprise", f"/demands/{inspection.id}"),
        "access-log": ("enterprise", f"/proposals/demand/{kiln.id}/access"),
        "home": ("enterprise", "/"),
        "list-en": ("enterprise", f"/proposals/demand/{inspection.id}?open={first.id}&lang=en"),
    }
    db.session.commit()
    return chen, buyer, pages


def main(output_dir: Path) -> None:
    from playwright.sync_api import sync_playwright

    workdir = Path(tempfile.mkdtemp(prefix="proposals-shots-"))
    settings = {name: getattr(TestConfig, name) for name in dir(TestConfig) if name.isupper()}
    app = create_app({**settings, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'scratch.db'}",
                      "WTF_CSRF_ENABLED": True, "TESTING": False, "PROPOSAL_UPLOAD_DIR": str(workdir / "uploads")})
    with app.test_request_context():
        supplier, enterprise, pages = build_scenario()
        cookies = {}
        for side, user in (("supplier", supplier), ("enterprise", enterprise)):
            token = create_session_row(user)
            db.session.commit()
            cookies[side] = app.session_interface.get_signing_serializer(app).dumps(
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
            contexts = {}
            for side, cookie in cookies.items():
                context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
                context.add_cookies([{"name": app.config["SESSION_COOKIE_NAME"], "value": cookie, "url": base}])
                contexts[side] = context.new_page()
            for name, (side, path) in pages.items():
                page = contexts[side]
                response = page.goto(base + path)
                assert response is not None and response.status == 200, (path, response and response.status)
                if name == "decline-dialog":
                    page.check("input[value=other]")
                    page.click("button[type=submit].pp-button--danger")  # "other" without text: the error shows
                page.screenshot(path=str(output_dir / f"proposals-{name}.png"), full_page=True)
                print(output_dir / f"proposals-{name}.png")
            browser.close()
    finally:
        server.shutdown()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("screenshots"))
