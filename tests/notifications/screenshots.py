"""Render the email-settings and failed-emails pages to HTML files and screenshot them (by hand).

    .venv/bin/python tests/notifications/screenshots.py /tmp/notif_shots

Email templates: `flask emails preview KIND --locale zh --out x.html`, then the same chromium call.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from catalog_app import create_app
from catalog_app.config import TestConfig
from catalog_app.extensions import db

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = ["/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--window-size=1280,1000"]


def main(out: Path) -> None:
    sys.path.insert(0, str(ROOT))
    from tests.conftest import login_as
    from catalog_app.accounts.passwords import hash_password
    from catalog_app.models import Organization, OrganizationKind, OrganizationTier, OutboxStatus, SavedSearch, User, UserRole
    from catalog_app.email_queue import send_email
    from catalog_app.taxonomy.services import load_taxonomy

    app = create_app({**{k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}})
    out.mkdir(parents=True, exist_ok=True)
    with app.app_context():
        db.create_all()
        load_taxonomy()
        org = Organization(name="广州视觉智能科技有限公司", credit_code="91440101MA5CXXXX1X", kind=OrganizationKind.SUPPLIER,
                           tier=OrganizationTier.SME)
        db.session.add(org)
        supplier = User(email="zhang@example.com", password_hash=hash_password("x" * 12), role=UserRole.SUPPLIER,
                        display_name="张工", organization=org)
        admin = User(email="admin@example.com", password_hash=hash_password("x" * 12), role=UserRole.ADMIN,
                     display_name="管理员")
        db.session.add_all([supplier, admin])
        db.session.flush()
        db.session.add(SavedSearch(user_id=supplier.id, section="solutions",
                                   query_string="q=%E8%A7%86%E8%A7%89%E6%A3%80%E6%B5%8B"))
        row = send_email("gone@example.com", "新需求与您的方案匹配：皮具表面缺陷视觉检测", "outbox_test",
                         queued_at="now", note="")
        row.status, row.last_error, row.attempts = OutboxStatus.FAILED, "550 5.1.1 <gone@example.com>: mailbox unavailable", 1
        db.session.commit()
        for user, path, name in ((supplier, "/notifications/preferences", "preferences"),
                                 (admin, "/notifications/admin/failed", "admin_failed")):
            client = app.test_client()
            login_as(client, user)
            for lang in ("zh", "en"):
                html = client.get(f"{path}?lang={lang}").get_data(as_text=True)
                html = html.replace('href="/static/', f'href="file://{ROOT}/static/').replace('src="/static/', f'src="file://{ROOT}/static/')
                target = out / f"{name}.{lang}.html"
                target.write_text(html, encoding="utf-8")
                subprocess.run([*CHROMIUM, f"--screenshot={out / f'{name}.{lang}.png'}", f"file://{target}"],
                               capture_output=True, timeout=60)
                print(out / f"{name}.{lang}.png")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/notif_shots"))
