"""Whole pages for anonymous visitors (catalog_app.page_cache): served again without the view
while the data version holds, never to a logged-in visitor, each visitor with its own CSRF
token, and shared between the worker processes of one machine through READ_CACHE_DIR."""
from __future__ import annotations

import re
from datetime import timedelta

from flask import g

from catalog_app import create_app
from catalog_app.config import TestConfig
from catalog_app.extensions import db
from catalog_app.i18n import LANG_COOKIE
from catalog_app.models import ListingStatus
from catalog_app.models._types import utcnow
from catalog_app.page_cache import CSRF_PLACEHOLDER
from catalog_app.read_cache import read_cache
from tests.conftest import login_as

LOGOUT = 'action="/logout"'
HTML_LANG = re.compile(r'<html lang="([^"]+)"')
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def _new_request_globals() -> None:
    """Requests made inside the test's app context share its `g`, where flask-wtf keeps the
    request's token; in a server each request has its own."""
    g.pop("csrf_token", None)


def _shelf_keys(app) -> list:
    return [key for key in app.extensions["read_cache"]._shelves["pages"]]


def test_a_page_is_served_again_without_running_the_view(client, create_listing, count_queries):
    listing = create_listing(title="整页缓存视觉检测方案")
    db.session.commit()
    first = client.get(f"/solutions/{listing.id}")
    assert first.status_code == 200
    with count_queries() as again:
        second = client.get(f"/solutions/{listing.id}")
    assert second.status_code == 200
    assert "整页缓存视觉检测方案" in second.get_data(as_text=True)
    # The data version (READ_CACHE_VERSION_SECONDS is 0 in tests) and nothing of the view's.
    assert again.count <= 1


def test_an_edit_moves_the_data_version_and_the_page_follows(client, create_listing):
    listing = create_listing(title="整页缓存旧标题")
    db.session.commit()
    assert "整页缓存旧标题" in client.get(f"/solutions/{listing.id}").get_data(as_text=True)
    listing.title = "整页缓存新标题"
    listing.updated_at = utcnow() + timedelta(seconds=1)
    db.session.commit()
    page = client.get(f"/solutions/{listing.id}").get_data(as_text=True)
    assert "整页缓存新标题" in page and "整页缓存旧标题" not in page


def test_a_withdrawn_listing_leaves_the_cached_list_page(client, create_listing):
    listing = create_listing(title="整页缓存待下架方案")
    db.session.commit()
    assert "整页缓存待下架方案" in client.get("/solutions").get_data(as_text=True)
    listing.status = ListingStatus.ARCHIVED
    db.session.commit()
    assert "整页缓存待下架方案" not in client.get("/solutions").get_data(as_text=True)


def test_each_anonymous_visitor_gets_its_own_csrf_token(app, create_listing):
    listing = create_listing()
    db.session.commit()
    pages = []
    for _ in range(2):
        _new_request_globals()
        visitor = app.test_client()  # a new browser: a new session
        pages.append(visitor.get(f"/solutions/{listing.id}").get_data(as_text=True))
    tokens = [TOKEN.search(page).group(1) for page in pages]
    assert tokens[0] != tokens[1]
    assert all(CSRF_PLACEHOLDER not in page for page in pages)
    stored = app.extensions["read_cache"]._shelves["pages"]
    assert any(CSRF_PLACEHOLDER in entry[2] for entry in stored.values())


def test_the_served_token_is_accepted_by_the_view_beacon(app, create_listing):
    app.config["WTF_CSRF_ENABLED"] = True
    listing = create_listing()
    db.session.commit()
    app.test_client().get(f"/solutions/{listing.id}")  # another visitor fills the cache
    _new_request_globals()
    visitor = app.test_client()
    page = visitor.get(f"/solutions/{listing.id}").get_data(as_text=True)
    token = TOKEN.search(page).group(1)
    assert visitor.post(f"/solutions/{listing.id}/view", data={"csrf_token": token}).status_code == 204
    assert visitor.post(f"/solutions/{listing.id}/view", data={"csrf_token": "forged"}).status_code == 400


def test_a_logged_in_visitor_neither_reads_nor_fills_the_cache(app, client, create_listing, create_user):
    listing = create_listing(title="整页缓存登录用户")
    user = create_user()
    db.session.commit()
    login_as(client, user)
    page = client.get(f"/solutions/{listing.id}").get_data(as_text=True)
    assert "整页缓存登录用户" in page and LOGOUT in page
    assert _shelf_keys(app) == []
    assert LOGOUT not in app.test_client().get(f"/solutions/{listing.id}").get_data(as_text=True)
    assert _shelf_keys(app) != []
    assert LOGOUT in client.get(f"/solutions/{listing.id}").get_data(as_text=True)


def test_each_language_has_its_own_page(app, create_listing):
    """The language comes from a cookie, not the address: the same address is stored once per
    language."""
    create_listing()
    db.session.commit()
    chinese, english = app.test_client(), app.test_client()
    english.set_cookie(LANG_COOKIE, "en")
    for _ in range(2):  # the second round is served from the cache
        assert HTML_LANG.search(chinese.get("/search?q=检测").get_data(as_text=True)).group(1) == "zh-CN"
        assert HTML_LANG.search(english.get("/search?q=检测").get_data(as_text=True)).group(1) == "en"
    assert len(_shelf_keys(app)) == 2


def test_errors_are_not_stored(app, client):
    assert client.get("/solutions?page=999").status_code == 404
    assert client.get("/solutions?scenario=no-such-scenario").status_code == 400
    assert _shelf_keys(app) == []


def test_a_zero_max_age_turns_the_page_cache_off(app, client, create_listing):
    app.config["PAGE_CACHE_MAX_AGE_SECONDS"] = 0
    listing = create_listing()
    db.session.commit()
    assert client.get(f"/solutions/{listing.id}").status_code == 200
    assert _shelf_keys(app) == []


def _app_with_read_cache_dir(tmp_path, read_cache_dir: str):
    config = {**{k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()},
              "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'pages.db'}", "READ_CACHE_DIR": read_cache_dir}
    app = create_app(config)
    with app.app_context():
        db.create_all()
    return app


def test_worker_processes_share_pages_through_the_read_cache_dir(tmp_path, monkeypatch):
    """Two apps on one database and one READ_CACHE_DIR stand for two gunicorn workers: a page
    the first rendered is served by the second without running its view."""
    from catalog_app.search import routes as search_routes

    first, second = (_app_with_read_cache_dir(tmp_path, str(tmp_path / "read-cache")) for _ in range(2))
    searches = []
    search_everything = search_routes.services.search_everything
    monkeypatch.setattr(search_routes.services, "search_everything",
                        lambda params: searches.append(params.q) or search_everything(params))
    pages = []
    for worker in (first, second):
        with worker.app_context():
            response = worker.test_client().get("/search?q=共享页面")
            assert response.status_code == 200
            pages.append(response.get_data(as_text=True))
    assert searches == ["共享页面"]  # rendered once, by the first
    assert pages[0] == pages[1]
    with second.app_context():
        read_cache().clear("pages")
        assert second.test_client().get("/search?q=共享页面").status_code == 200
    assert searches == ["共享页面", "共享页面"]


def test_made_up_arguments_are_served_but_not_stored(app, client, create_listing):
    create_listing(title="整页缓存参数方案")
    db.session.commit()
    for n in range(3):
        page = client.get(f"/solutions?utm_source=x{n}").get_data(as_text=True)
        assert "整页缓存参数方案" in page
    assert _shelf_keys(app) == []
    assert client.get("/solutions?scenario=&page=1&lang=zh").status_code == 200
    assert len(_shelf_keys(app)) == 1


def test_an_unusable_read_cache_dir_falls_back_to_memory(tmp_path, caplog):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the directory should be")
    app = _app_with_read_cache_dir(tmp_path, str(blocker / "read-cache"))
    with app.app_context():
        assert app.test_client().get("/search?q=回退").status_code == 200
        assert _shelf_keys(app) != []  # kept in this process's memory instead
    assert "cannot be used" in caplog.text


def test_a_failing_store_costs_the_cache_not_the_page(tmp_path, monkeypatch, caplog):
    import diskcache

    def full_disk(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    app = _app_with_read_cache_dir(tmp_path, str(tmp_path / "read-cache"))
    monkeypatch.setattr(diskcache.Cache, "set", full_disk)
    monkeypatch.setattr(diskcache.Cache, "get", full_disk)
    with app.app_context():
        client = app.test_client()
        assert client.get("/search?q=满盘").status_code == 200
        assert client.get("/search?q=满盘").status_code == 200
    assert "No space left on device" in caplog.text
