"""Apps configured like production in one respect or another (CSRF on, production config)."""
from __future__ import annotations

import pytest

from catalog_app import create_app
from catalog_app.config import ProductionConfig, TestConfig
from catalog_app.extensions import db


PRODUCTION_BASE_URL = "https://catalog.example.cn"


def settings_of(config_class, **overrides) -> dict:
    return {**{name: getattr(config_class, name) for name in dir(config_class) if name.isupper()}, **overrides}


@pytest.fixture
def csrf_app():
    """The test app with CSRF protection on, as in production (the shared fixtures turn it off)."""
    app = create_app(settings_of(TestConfig, WTF_CSRF_ENABLED=True))
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()


@pytest.fixture
def production_app():
    app = create_app(settings_of(ProductionConfig, SECRET_KEY="s" * 48, SQLALCHEMY_DATABASE_URI="sqlite://",
                                 PUBLIC_BASE_URL=PRODUCTION_BASE_URL,
                                 RATELIMIT_STORAGE_URI="memory://", MATCHING_INDEX_DIR=None,
                                 MATCHING_REFRESH_SECONDS=0.0))
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
