"""Browser fixtures: the app served from a thread on loopback, and Debian's Chromium.

Playwright's own browser download does not work on these machines, so the tests drive
`/usr/bin/chromium` (override with CHROMIUM_PATH). Outside CI a missing browser skips the
tests with one line; under CI=true it fails them.
"""
from __future__ import annotations

import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from catalog_app import create_app
from catalog_app.config import TestConfig
from catalog_app.extensions import db
from tests.conftest import IN_CI

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def _require_browser() -> None:
    reason = None
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        reason = f"Chromium not found at {CHROMIUM}"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "playwright is not installed"
    if reason:
        if IN_CI:
            pytest.fail(f"CI=true but {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """The app behind `live_server`: tests that need a signed token or a row id ask it."""
    database = tmp_path_factory.mktemp("live") / "live.db"
    settings = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    app = create_app({**settings, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
                      "WTF_CSRF_ENABLED": True, "TESTING": False})
    with app.app_context():
        db.create_all()
        from catalog_app.demo.services import load_demo_data
        from catalog_app.taxonomy.services import load_taxonomy

        load_taxonomy()
        load_demo_data()
    return app


@pytest.fixture(scope="session")
def live_server(live_app):
    """The app with the scale-1 demo data, on a file SQLite database, served on a free port."""
    app = live_app
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


class People:
    """One browser context per person in a multi-person flow, so sessions never mix, and
    numbered full-page screenshots in `shots` (looked at by a person, kept per test)."""

    def __init__(self, browser, base: str, shots):
        self.browser, self.base, self.shots = browser, base, shots
        self.contexts = []

    def person(self):
        context = self.browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(10_000)
        self.contexts.append(context)
        return context.new_page()

    def shot(self, page, name: str) -> None:
        page.screenshot(path=str(self.shots / f"{len(list(self.shots.iterdir())) + 1:02d}-{name}.png"),
                        full_page=True)

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def people(browser, live_server, tmp_path):
    shots = tmp_path / "screenshots"
    shots.mkdir()
    people = People(browser, live_server, shots)
    yield people
    people.close()
