"""Screenshot every role's workbench and the development mailbox from a running `make run` (by hand).

    PORT=5205 make run &          # the demo data, the worker, /dev/mailbox
    .venv/bin/python tests/workbench/screenshots.py http://127.0.0.1:5205 /tmp/workbench_shots [zh|en]
"""
from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ACCOUNTS = (("enterprise1@demo.example.com", "enterprise"), ("supplier1@demo.example.com", "supplier"),
            ("moderator@demo.example.com", "moderator"), ("admin@demo.example.com", "admin"))
PASSWORD = "demo12345"


def main(base: str, out: Path, locale: str = "zh") -> None:
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--no-sandbox", "--disable-background-networking"])
        for email, role in ACCOUNTS:
            context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.goto(f"{base}/login?lang={locale}")
            form = page.locator("form[action$='/login']")
            form.locator("[name=email]").fill(email)
            form.locator("[name=password]").fill(PASSWORD)
            with page.expect_navigation():
                form.locator("button[type=submit]").first.click()
            assert page.url.endswith("/workbench"), page.url  # login lands on the workbench
            page.screenshot(path=str(out / f"workbench-{role}-{locale}.png"), full_page=True)
            context.close()
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{base}/dev/mailbox?lang={locale}")
        page.screenshot(path=str(out / f"mailbox-{locale}.png"), full_page=True)
        browser.close()
    print(f"screenshots in {out}")


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]), *(sys.argv[3:4] or ["zh"]))
