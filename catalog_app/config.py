"""Configuration classes: the only module that reads environment variables.

Every setting a deployment may change is read here once, so that the rest of the code
asks `current_app.config` and tests can override anything by passing a mapping to
`create_app`.
"""
from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = PROJECT_ROOT / "instance"

DEFAULT_SECRET_KEY = "dev-only-not-secret"


def _bool_env(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return f"sqlite:///{INSTANCE_DIR / 'catalog.db'}"
    # Heroku-style URLs and plain "postgresql://" both mean psycopg 3 here.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


class Config:
    """Development and embedded defaults: SQLite, no broker, Chinese first."""

    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
    SQLALCHEMY_DATABASE_URI = _database_url()
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    SQLALCHEMY_RECORD_QUERIES = False

    BABEL_DEFAULT_LOCALE = "zh"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    LANGUAGES = ("zh", "en")

    CATALOG_PAGE_SIZE = int(os.environ.get("CATALOG_PAGE_SIZE", "20"))
    CATALOG_MAX_PAGE_SIZE = 100
    SEARCH_MAX_QUERY_LENGTH = 200

    # Where the matching index is saved so that every gunicorn worker loads it
    # instead of each paying the build.
    MATCHING_INDEX_DIR = os.environ.get("MATCHING_INDEX_DIR", str(INSTANCE_DIR / "matching-index"))
    # How often a worker checks the database for changed rows to apply to its index.
    MATCHING_REFRESH_SECONDS = float(os.environ.get("MATCHING_REFRESH_SECONDS", "2"))

    WTF_CSRF_TIME_LIMIT = None
    SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_TIMEOUT", str(2 * 3600)))
    SESSION_ABSOLUTE_TIMEOUT = int(os.environ.get("SESSION_ABSOLUTE_TIMEOUT", str(12 * 3600)))
    REMEMBER_COOKIE_DURATION = 0
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024

    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "file")
    MAIL_FILE_DIR = os.environ.get("MAIL_FILE_DIR", str(INSTANCE_DIR / "mail"))
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Scenario Catalog <noreply@scenario-catalog.local>")

    DEBUG = _bool_env("FLASK_DEBUG")
    IS_PRODUCTION = False


class ProductionConfig(Config):
    """Selected with APP_ENV=production: refuses to start with unsafe defaults."""

    IS_PRODUCTION = True
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-session"
    PREFERRED_URL_SCHEME = "https"


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key-that-is-long-enough-0123456789"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    WTF_CSRF_ENABLED = False
    MATCHING_INDEX_DIR = None
    MATCHING_REFRESH_SECONDS = 0.0
    MAIL_BACKEND = "memory"


def config_for_environment() -> type[Config]:
    return ProductionConfig if os.environ.get("APP_ENV", "").lower() == "production" else Config
