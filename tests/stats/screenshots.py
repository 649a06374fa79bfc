"""Screenshots of the statistics page and a scenario page, in Chinese and English.

    .venv/bin/python tests/stats/screenshots.py [output-dir]

Builds a throw-away SQLite database with the demo data, adds what the demo does not
have yet (stored recommendations with what people did with them, proposals, intent
agreements, a typical-scenario list), serves the app on loopback and saves full-page
PNGs once every chart has been drawn. Uses Debian's /usr/bin/chromium.
"""
from __future__ import annotations

import os
import random
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import sqlalchemy as sa  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from catalog_app import create_app  # noqa: E402
from catalog_app.accounts.sessions import LAST_SEEN_KEY, create_session_row  # noqa: E402
from catalog_app.config import TestConfig  # noqa: E402
from catalog_app.extensions import db  # noqa: E402
from catalog_app.models import (  # noqa: E402
    Demand, DemandStatus, IntentAgreement, Match, MatchStatus, Organization, OrganizationKind, Proposal,
    ProposalStatus, Scenario, User, UserRole,
)
from catalog_app.recommendations.services import store_matches  # noqa: E402
from catalog_app.scenarios.selections import add_selection  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SCENARIO = "online-intelligent-inspection"
SLICE = 1100
TYPICAL = {
    "online-intelligent-inspection": (True, "花都区皮具企业AI外观质检，检测效率提升40%"),
    "equipment-fault-prediction": (True, "汽车零部件产线预测性维护，非计划停机减少35%"),
    "workshop-intelligent-scheduling": (True, "注塑车间智能排产，交期达成率提升至98%"),
    "intelligent-energy-management": (False, "陶瓷窑炉能耗智能管控，单位能耗下降12%"),
    "product-digital-design": (False, "化妆品香精配方AI匹配，研发周期缩短60%"),
    "intelligent-warehousing": (False, "家电仓储AGV调度，库存周转提升30%"),
}


UNANSWERABLE = (
    ("冷库氨制冷机组剩余寿命预测", "440605", "equipment-fault-prediction"),
    ("中药饮片炮制火候智能判定", "441402", "dynamic-process-optimization"),
    ("荔枝采后分级与保鲜期预测", "440902", "online-intelligent-inspection"),
    ("陶瓷釉料配方逆向设计", "440607", "product-digital-design"),
    ("红木家具榫卯结构缺陷声学检测", "442000", "online-intelligent-inspection"),
    ("渔船捕捞量图像估算", "440823", "quality-traceability"),
)


def _add_unanswerable_demands(rng) -> None:
    from catalog_app.models import Region
    from catalog_app.models._types import utcnow

    enterprises = db.session.scalars(sa.select(Organization).where(Organization.kind == OrganizationKind.ENTERPRISE)
                                     .order_by(Organization.id)).all()
    for title, region_code, slug in UNANSWERABLE:
        scenario = db.session.scalar(sa.select(Scenario).where(Scenario.slug == slug))
        db.session.add(Demand(organization=rng.choice(enterprises), title=title, summary=title,
                              region=db.session.scalar(sa.select(Region).where(Region.code == region_code)),
                              scenarios=[scenario] if scenario else [], status=DemandStatus.PUBLISHED,
                              published_at=utcnow() - timedelta(days=rng.randint(3, 60))))
    db.session.flush()


def build(seed: int = 7) -> User:
    from catalog_app.demo.services import load_demo_data
    from catalog_app.taxonomy.services import load_taxonomy

    db.create_all()
    load_taxonomy()
    load_demo_data()
    db.session.commit()
    rng = random.Random(seed)
    moderator = User(email="limin@platform.gd.example", password_hash="x", role=UserRole.MODERATOR,
                     display_name="审核员 李敏")
    db.session.add(moderator)
    db.session.flush()
    for slug, (is_top, citation) in TYPICAL.items():
        scenario = db.session.scalar(sa.select(Scenario).where(Scenario.slug == slug))
        if scenario is not None:
            add_selection(moderator, 2025, scenario.id, f"2025年典型场景：{citation}", is_top)

    _add_unanswerable_demands(rng)
    demands = db.session.scalars(sa.select(Demand).where(Demand.status == DemandStatus.PUBLISHED)
                                 .order_by(Demand.id)).all()
    suppliers = db.session.scalars(sa.select(Organization).where(Organization.kind == OrganizationKind.SUPPLIER)
                                   .order_by(Organization.id)).all()
    for demand in demands:
        for match in store_matches(demand, top=5):
            match.status = rng.choices(list(MatchStatus), weights=(5, 3, 2, 1))[0]
        if rng.random() < 0.6:
            for supplier in rng.sample(suppliers, rng.randint(1, 3)):
                proposal = Proposal(demand=demand, organization=supplier, approach="提供视觉检测与部署方案",
                                    submitted_at=demand.published_at + timedelta(days=rng.uniform(0.5, 12)),
                                    status=rng.choices([ProposalStatus.SUBMITTED, ProposalStatus.SHORTLISTED,
                                                        ProposalStatus.AGREED, ProposalStatus.DECLINED],
                                                       weights=(5, 3, 1, 2))[0])
                db.session.add(proposal)
                if proposal.status is ProposalStatus.AGREED:
                    db.session.add(IntentAgreement(proposal=proposal, demand_id=demand.id,
                                                   amount=rng.choice((30, 50, 80, 120, 200))))
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(Match.id)))
    return moderator


def _wait_for_charts(page, timeout: float = 60.0) -> None:
    """Until every canvas is drawn (polled with locators: the CSP forbids evaluating strings)."""
    deadline = time.monotonic() + timeout
    while page.locator('canvas[data-drawn="true"]').count() < page.locator("canvas[data-chart-url]").count():
        assert page.locator('canvas[data-drawn="failed"]').count() == 0, "a chart failed to load"
        assert time.monotonic() < deadline, "charts not drawn in time"
        page.wait_for_timeout(200)


def main(output_dir: Path) -> None:
    from playwright.sync_api import sync_playwright

    workdir = Path(tempfile.mkdtemp(prefix="stats-shots-"))
    settings = {name: getattr(TestConfig, name) for name in dir(TestConfig) if name.isupper()}
    app = create_app({**settings, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'scratch.db'}",
                      "WTF_CSRF_ENABLED": True, "TESTING": False, "MATCHING_REFRESH_SECONDS": 30.0})
    with app.app_context():
        moderator = build()
        token = create_session_row(moderator)
        db.session.commit()
        cookie = app.session_interface.get_signing_serializer(app).dumps(
            {"_user_id": token, "_fresh": True, LAST_SEEN_KEY: int(time.time())})

    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    output_dir.mkdir(parents=True, exist_ok=True)
    pages = [("stats-zh", "/stats/?lang=zh", "zh-CN", False), ("scenario-zh", f"/scenarios/{SCENARIO}?lang=zh", "zh-CN", False),
             ("scenarios-zh", "/scenarios/?lang=zh", "zh-CN", False),
             ("typical-zh", "/scenarios/typical/2025?lang=zh", "zh-CN", True),
             ("stats-en", "/stats/?lang=en", "en", False), ("scenario-en", f"/scenarios/{SCENARIO}?lang=en", "en", False),
             ("typical-en", "/scenarios/typical/2025?lang=en", "en", True)]
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            for name, path, locale, signed_in in pages:
                context = browser.new_context(locale=locale, viewport={"width": 1366, "height": 900})
                if signed_in:
                    context.add_cookies([{"name": app.config["SESSION_COOKIE_NAME"], "value": cookie, "url": base}])
                page = context.new_page()
                errors = []
                page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
                response = page.goto(base + path)
                assert response is not None and response.status == 200, (path, response and response.status)
                _wait_for_charts(page)
                assert not errors, errors  # a CSP violation or a script error would show here
                target = output_dir / f"{name}.png"
                page.screenshot(path=str(target), full_page=True)
                print(target)
                # Slices at full resolution, for reading the small print of a long page.
                height = page.evaluate("document.documentElement.scrollHeight")
                for index, top in enumerate(range(0, height, SLICE)):
                    page.screenshot(path=str(output_dir / f"{name}-{index + 1}.png"), full_page=True,
                                    clip={"x": 0, "y": top, "width": 1366, "height": min(SLICE, height - top)})
                context.close()
            browser.close()
    finally:
        server.shutdown()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("screenshots"))
