"""The read cache: an entry is served only under its version and within its shelf's max age,
the data version is read from the database (so another node's write moves it), and two apps
never share entries."""
from __future__ import annotations

import sqlalchemy as sa

from catalog_app import create_app
from catalog_app.config import TestConfig
from catalog_app.extensions import db
from catalog_app.read_cache import SHELVES, ReadCache, read_cache


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def make_cache(**config):
    clock = FakeClock()
    return ReadCache({"FIGURES_MAX_AGE_SECONDS": 30, "READ_CACHE_VERSION_SECONDS": 0, **config}, clock), clock


def test_a_version_change_invalidates_an_entry():
    cache, _clock = make_cache()
    calls = []
    compute = lambda: calls.append(1) or len(calls)  # noqa: E731
    assert cache.fetch("browse-summaries", "solutions", compute, version=1) == 1
    assert cache.fetch("browse-summaries", "solutions", compute, version=1) == 1
    assert cache.fetch("browse-summaries", "solutions", compute, version=2) == 2
    assert cache.get("browse-summaries", "solutions", version=1) is None
    assert cache.get("browse-summaries", "solutions", version=2) == 2


def test_an_entry_expires_at_its_shelf_max_age():
    cache, clock = make_cache()
    cache.put("keyword-rankings", "视觉检测", [3, 1, 2], version="g1")
    clock.now += SHELVES["keyword-rankings"].max_age - 1
    assert cache.get("keyword-rankings", "视觉检测", version="g1") == [3, 1, 2]
    clock.now += 1
    assert cache.get("keyword-rankings", "视觉检测", version="g1") is None


def test_a_max_age_from_config_is_read_at_each_lookup_and_zero_keeps_nothing():
    config = {"FIGURES_MAX_AGE_SECONDS": 30, "READ_CACHE_VERSION_SECONDS": 0}
    cache = ReadCache(config, FakeClock())
    cache.put("figures", "counts", 7)
    assert cache.get("figures", "counts") == 7
    config["FIGURES_MAX_AGE_SECONDS"] = 0
    assert cache.get("figures", "counts") is None
    cache.put("figures", "counts", 8)
    config["FIGURES_MAX_AGE_SECONDS"] = 30
    assert cache.get("figures", "counts") == 7


def test_clear_empties_one_shelf_or_all():
    cache, _clock = make_cache()
    cache.put("listing-cards", 1, "card")
    cache.put("facet-panels", 1, "panel")
    cache.clear("listing-cards")
    assert cache.get("listing-cards", 1) is None and cache.get("facet-panels", 1) == "panel"
    cache.clear()
    assert cache.get("facet-panels", 1) is None


def test_separate_apps_do_not_share_entries(app):
    other = create_app(TestConfig)
    with app.app_context():
        app.config["FIGURES_MAX_AGE_SECONDS"] = 30
        read_cache().put("figures", "counts", "first app")
        assert read_cache().get("figures", "counts") == "first app"
        mine = read_cache()
    with other.app_context():
        other.config["FIGURES_MAX_AGE_SECONDS"] = 30
        assert read_cache() is not mine
        assert read_cache().get("figures", "counts") is None
        assert other.extensions["read_cache"] is read_cache()


def test_the_data_version_moves_with_a_write_made_outside_this_process(app, create_listing):
    """Another gunicorn node writes through its own connection: only the database sees it."""
    with app.app_context():
        kept_listing = create_listing(title="版本测试方案")
        deleted = create_listing(title="将被删除的方案")
        db.session.commit()
        before = read_cache().data_version()
        # A raw UPDATE, as another node's commit looks from here: no ORM event in this process.
        db.session.execute(sa.text("UPDATE listings SET updated_at = '2099-01-01 00:00:00' WHERE id = :id"),
                           {"id": kept_listing.id})
        db.session.commit()
        assert read_cache().data_version() != before
        middle = read_cache().data_version()
        # A delete leaves max(updated_at) alone (the newest row stays); the count moves.
        db.session.delete(deleted)
        db.session.commit()
        assert read_cache().data_version().listings[1] == middle.listings[1]
        assert read_cache().data_version() != middle


def test_the_data_version_is_read_at_most_every_configured_interval(app, count_queries):
    with app.app_context():
        cache = read_cache()
        cache.clock = FakeClock()
        app.config["READ_CACHE_VERSION_SECONDS"] = 2
        with count_queries() as counted:
            cache.data_version()
            cache.data_version()
            cache.clock.now += 2
            cache.data_version()
        assert counted.count == 2
