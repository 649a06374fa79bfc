"""Screenshots of the demand editor on a scratch database, for reviewing the design.

    .venv/bin/python tests/demands/screenshots.py [output-dir]

Builds a throw-away SQLite database with the taxonomy and the demo data set (so the live
preview has listings to match), adds an enterprise member, serves the app on loopback,
signs the browser in through a real session row and saves full-page PNGs of: the empty
form, the form with errors, the live preview while typing, the quality report after
"submit", and My demands, in Chinese and English. Uses Debian's /usr/bin/chromium.
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
    PUBLIC_DEMAND_STATUSES, Demand, DemandStatus, Organization, OrganizationKind, OrganizationTier, Scenario, User,
    UserRole,
)
from catalog_app.models._types import utcnow  # noqa: E402
from catalog_app.credit_code import make_credit_code  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")

VAGUE_DEMAND = {
    "#title": "陶瓷砖表面缺陷检测",
    "#summary": "希望实现质检环节智能化，提升效率。",
    "#background": "目前靠人工目检。",
    "#expected_outcomes": "降本增效，大幅提升检测质量。",
}


def build_scenario() -> User:
    from catalog_app.demo.services import load_demo_data
    from catalog_app.taxonomy.services import load_taxonomy

    db.create_all()
    load_taxonomy()
    load_demo_data(scale=1)
    organization = Organization(name="佛山华陶陶瓷集团有限公司", credit_code=make_credit_code("91440600MA4W3R9P2"),
                                kind=OrganizationKind.ENTERPRISE, tier=OrganizationTier.CHAIN_LEADER,
                                is_verified=True, contact_name="梁经理")
    buyer = User(email="liang@huatao.example", password_hash="x", role=UserRole.ENTERPRISE,
                 display_name="梁嘉欣", organization=organization)
    db.session.add_all([organization, buyer])
    db.session.flush()
    scenarios = list(db.session.scalars(sa.select(Scenario).order_by(Scenario.id).limit(3)))
    for title, status, extra in (
        ("窑炉能耗优化与智能排产", DemandStatus.PUBLISHED,
         {"budget_min": 80, "budget_max": 150, "is_challenge": True, "prize_amount": 100,
          "deadline": date.today() + timedelta(days=90), "challenge_deadline": date.today() + timedelta(days=60)}),
        ("釉面色差在线检测", DemandStatus.PENDING_REVIEW, {"budget_max": 60}),
        ("仓储AGV调度优化", DemandStatus.REJECTED, {}),
        ("压机模具寿命预测", DemandStatus.SOLVED, {"budget_min": 30, "budget_max": 30}),
    ):
        db.session.add(Demand(organization=organization, created_by_id=buyer.id, title=title, status=status,
                              summary=f"{title}：详见需求说明。", scenarios=scenarios[:2],
                              published_at=utcnow() if status in PUBLIC_DEMAND_STATUSES else None, **extra))
    db.session.commit()
    return buyer


def fill_errors(page) -> None:
    """Budget min > max, a past deadline, a challenge closing after the deadline."""
    page.fill("#title", "窑炉温度曲线优化")
    page.fill("#budget_min", "200")
    page.fill("#budget_max", "80")
    page.fill("#deadline", (date.today() - timedelta(days=3)).isoformat())
    page.check("#is_challenge")
    page.fill("#challenge_deadline", (date.today() + timedelta(days=400)).isoformat())
    page.click("#save_draft")
    page.wait_for_load_state()


def type_vague_demand(page) -> None:
    for selector, text in VAGUE_DEMAND.items():
        page.fill(selector, text)
    page.locator("input[name=scenarios]").first.check()
    page.wait_for_selector("[data-preview-list] li", timeout=10000)
    page.wait_for_timeout(400)


def main(output_dir: Path) -> None:
    from playwright.sync_api import sync_playwright

    workdir = Path(tempfile.mkdtemp(prefix="demand-shots-"))
    settings = {name: getattr(TestConfig, name) for name in dir(TestConfig) if name.isupper()}
    app = create_app({**settings, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'scratch.db'}",
                      "WTF_CSRF_ENABLED": True, "TESTING": False, "DEMAND_UPLOAD_DIR": str(workdir / "uploads")})
    with app.app_context():
        buyer = build_scenario()
        token = create_session_row(buyer)
        db.session.commit()
        cookie = app.session_interface.get_signing_serializer(app).dumps(
            {"_user_id": token, "_fresh": True, LAST_SEEN_KEY: int(time.time())})

    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    output_dir.mkdir(parents=True, exist_ok=True)

    def shot(page, name, full_page=True):
        path = output_dir / f"demands-{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        print(path)

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            for lang in ("zh", "en"):
                context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
                context.add_cookies([{"name": app.config["SESSION_COOKIE_NAME"], "value": cookie, "url": base}])
                page = context.new_page()
                page.goto(f"{base}/demands/new?lang={lang}")
                shot(page, f"new-{lang}")
                fill_errors(page)
                shot(page, f"errors-{lang}")
                page.locator("#budget_min").scroll_into_view_if_needed()
                shot(page, f"errors-view-{lang}", full_page=False)
                page.goto(f"{base}/demands/new")
                type_vague_demand(page)
                shot(page, f"preview-{lang}")
                page.locator("[data-preview-panel]").scroll_into_view_if_needed()
                shot(page, f"preview-view-{lang}", full_page=False)
                page.click("#submit_review")
                page.wait_for_load_state()
                shot(page, f"quality-report-{lang}")
                shot(page, f"quality-report-view-{lang}", full_page=False)
                page.set_input_files("#file", files=[{"name": "工艺说明.pdf", "mimeType": "application/pdf",
                                                      "buffer": b"%PDF-1.7\n" + b"0" * 300_000}])
                page.click(".dq-upload button[type=submit]")
                page.wait_for_load_state()
                page.locator("#attachments").scroll_into_view_if_needed()
                shot(page, f"attachments-view-{lang}", full_page=False)
                page.goto(f"{base}/demands/mine")
                shot(page, f"mine-{lang}")
                page.goto(f"{base}/demands")
                shot(page, f"list-{lang}", full_page=False)
                context.close()
            browser.close()
    finally:
        server.shutdown()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("screenshots"))
