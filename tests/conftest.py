"""Shared fixtures: apps on SQLite (always) and PostgreSQL (when reachable), and factories.

PostgreSQL tests skip with a one-line reason when the server is absent, except under
CI=true, where a missing server is a failure: CI must prove the production database.
"""
from __future__ import annotations

import itertools
import os
import sqlite3
import time
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from catalog_app import create_app
from catalog_app.accounts.passwords import hash_password
from catalog_app.accounts.sessions import LAST_SEEN_KEY, create_session_row
from catalog_app.config import TestConfig
from catalog_app.demo.services import load_demo_data
from catalog_app.extensions import db
from catalog_app.models import (
    LISTING_CLASS_BY_KIND,
    Demand,
    DemandStatus,
    ListingKind,
    ListingStatus,
    Organization,
    OrganizationKind,
    OrganizationTier,
    Region,
    Scenario,
    User,
    UserRole,
)
from catalog_app.models._types import utcnow
from catalog_app.credit_code import make_credit_code
from catalog_app.taxonomy.services import load_taxonomy

POSTGRES_SERVER_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() == "true"
# Each pytest-xdist worker gets a schema of its own in the one test database, so parallel
# workers never drop each other's tables.
POSTGRES_SCHEMA = f"pytest_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
POSTGRES_URL = f"{POSTGRES_SERVER_URL}{'&' if '?' in POSTGRES_SERVER_URL else '?'}options=-csearch_path%3D{POSTGRES_SCHEMA}"


def postgres_available(url: str = POSTGRES_URL) -> str | None:
    """None when PostgreSQL answers, else the reason it does not."""
    try:
        engine = sa.create_engine(url)
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as exc:  # noqa: BLE001 - any failure means "not available"
        return f"PostgreSQL not reachable at {url}: {exc.__class__.__name__}"


def require_postgres() -> str:
    reason = postgres_available()
    if reason:
        if IN_CI:
            pytest.fail(f"CI=true but {reason}")
        pytest.skip(reason)
    return POSTGRES_URL


def reset_postgres_schema(url: str = POSTGRES_URL) -> None:
    """Drop and recreate this worker's schema (the one named in POSTGRES_URL's search_path)."""
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text(f'DROP SCHEMA IF EXISTS "{POSTGRES_SCHEMA}" CASCADE'))
        connection.execute(sa.text(f'CREATE SCHEMA "{POSTGRES_SCHEMA}"'))
    engine.dispose()


_SQLITE_TEMPLATE: sqlite3.Connection | None = None


def _sqlite_template() -> sqlite3.Connection:
    """An in-memory SQLite database with the tables and the taxonomy, built once per process.

    Creating the schema and loading the taxonomy cost about a second of CPU; copying this
    database into a test's fresh in-memory one (SQLite's backup API) costs a millisecond, and
    gives every test the same starting rows the two steps would.
    """
    global _SQLITE_TEMPLATE
    if _SQLITE_TEMPLATE is None:
        app = create_app({**{k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()},
                          "SQLALCHEMY_DATABASE_URI": "sqlite://"})
        with app.app_context():
            db.create_all()
            load_taxonomy()
            template = sqlite3.connect(":memory:", check_same_thread=False)
            raw = db.engine.raw_connection()
            raw.driver_connection.backup(template)
            raw.close()
            db.session.remove()
            db.engine.dispose()
        _SQLITE_TEMPLATE = template
    return _SQLITE_TEMPLATE


def _make_app(database_url: str):
    app = create_app({**{k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()},
                      "SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        if database_url == "sqlite://":  # one connection (StaticPool): the copy is the app's database
            raw = db.engine.raw_connection()
            _sqlite_template().backup(raw.driver_connection)
            raw.close()
        else:
            db.create_all()
            load_taxonomy()
    return app


@pytest.fixture(params=["sqlite"])
def app(request):
    """The app on in-memory SQLite; tests that must also run on PostgreSQL use `any_app`."""
    app = _make_app("sqlite://")
    with app.app_context():
        yield app
        db.session.remove()


@pytest.fixture
def pg_app():
    url = require_postgres()
    reset_postgres_schema(url)
    app = _make_app(url)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_app(request):
    """The same test on both databases."""
    if request.param == "sqlite":
        yield request.getfixturevalue("app")
    else:
        yield request.getfixturevalue("pg_app")


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


_serial = itertools.count(1)


@pytest.fixture
def create_organization(app):
    def factory(**kwargs) -> Organization:
        n = next(_serial)
        region = kwargs.pop("region", None) or db.session.scalar(
            sa.select(Region).where(Region.code == "440114")
        )
        org = Organization(
            name=kwargs.pop("name", f"测试科技有限公司{n}"),
            credit_code=kwargs.pop("credit_code", make_credit_code(f"91440114MA{n:07d}")),
            kind=kwargs.pop("kind", OrganizationKind.SUPPLIER),
            tier=kwargs.pop("tier", OrganizationTier.SME),
            region=region,
            **kwargs,
        )
        db.session.add(org)
        db.session.flush()
        return org

    return factory


@pytest.fixture
def create_listing(app, create_organization):
    def factory(kind: ListingKind = ListingKind.SOLUTION, **kwargs):
        organization = kwargs.pop("organization", None) or create_organization()
        status = kwargs.pop("status", ListingStatus.PUBLISHED)
        listing = LISTING_CLASS_BY_KIND[kind](
            organization=organization,
            title=kwargs.pop("title", f"机器视觉缺陷检测方案 {next(_serial)}"),
            summary=kwargs.pop("summary", "基于深度学习的外观缺陷检测"),
            body=kwargs.pop("body", "适用于五金、皮具等行业的表面缺陷检测。"),
            status=status,
            published_at=utcnow() if status is ListingStatus.PUBLISHED else None,
            expires_at=kwargs.pop("expires_at", date.today() + timedelta(days=365)),
            **kwargs,
        )
        db.session.add(listing)
        db.session.flush()
        return listing

    return factory


@pytest.fixture
def create_demand(app, create_organization):
    def factory(**kwargs) -> Demand:
        organization = kwargs.pop("organization", None) or create_organization(
            kind=OrganizationKind.ENTERPRISE, tier=OrganizationTier.CHAIN_LEADER
        )
        status = kwargs.pop("status", DemandStatus.PUBLISHED)
        demand = Demand(
            organization=organization,
            title=kwargs.pop("title", f"皮具表面缺陷视觉检测需求 {next(_serial)}"),
            summary=kwargs.pop("summary", "需要自动识别皮面划痕、色差"),
            status=status,
            published_at=utcnow() if status is DemandStatus.PUBLISHED else None,
            **kwargs,
        )
        db.session.add(demand)
        db.session.flush()
        return demand

    return factory


@pytest.fixture
def any_scenario(app) -> Scenario:
    return db.session.scalars(sa.select(Scenario).order_by(Scenario.id)).first()


_PASSWORD_HASHES: dict[str, str] = {}
DEFAULT_PASSWORD = "correct horse battery 9"


@pytest.fixture
def create_user(app, create_organization):
    """Users of any role; the organization defaults to one that fits the role."""

    def factory(role: UserRole = UserRole.SUPPLIER, **kwargs) -> User:
        password = kwargs.pop("password", DEFAULT_PASSWORD)
        if password not in _PASSWORD_HASHES:  # argon2 is slow on purpose: hash once per run
            _PASSWORD_HASHES[password] = hash_password(password)
        if "organization" not in kwargs and role in (UserRole.SUPPLIER, UserRole.ENTERPRISE):
            kind = OrganizationKind.SUPPLIER if role is UserRole.SUPPLIER else OrganizationKind.ENTERPRISE
            kwargs["organization"] = create_organization(kind=kind)
        user = User(
            email=kwargs.pop("email", f"user{next(_serial)}@example.com"),
            password_hash=_PASSWORD_HASHES[password],
            role=role,
            display_name=kwargs.pop("display_name", "测试用户"),
            email_verified_at=kwargs.pop("email_verified_at", utcnow()),
            **kwargs,
        )
        db.session.add(user)
        db.session.flush()
        return user

    return factory


def login_as(client, user: User, base_url: str | None = None) -> str:
    """Log the test client in as `user` through a real session row; returns the token.

    `base_url`: the host the session cookie is set for (tests that send a foreign Host header).
    """
    token = create_session_row(user)
    db.session.commit()
    with client.session_transaction(**({"base_url": base_url} if base_url else {})) as session:
        session["_user_id"] = token
        session["_fresh"] = True
        session[LAST_SEEN_KEY] = int(time.time())
    return token


def settle_search() -> None:
    """Bring the matching indexes up to date and empty the facet cache.

    Statement-count tests call it before each measured request: index upkeep and cached
    facet counts are not the page's own SQL, and would otherwise make counts differ.
    """
    from flask import current_app

    from catalog_app.browsing.browse import clear_summary_cache
    from catalog_app.catalog.facet_index import listing_facet_index

    db.session.commit()
    clear_summary_cache()
    listing_facet_index().data()
    for live in current_app.extensions["matching"].values():
        live.index()
        live.refresh_seconds = 3600
        live.refresh()


class QueryCounter:
    """Counts SQL statements executed on the engine inside a `with` block."""

    def __init__(self, engine):
        self.engine = engine
        self.statements: list[str] = []

    def _record(self, _conn, _cursor, statement, *_args):
        self.statements.append(statement)

    def __enter__(self):
        sa.event.listen(self.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *exc):
        sa.event.remove(self.engine, "before_cursor_execute", self._record)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app):
    return lambda: QueryCounter(db.engine)


def fresh_app():
    """An app on an in-memory SQLite database with the tables and the taxonomy, nothing else."""
    return _make_app("sqlite://")


@pytest.fixture(scope="module")
def demo_app():
    """The scale-1 demo catalog (seed 7) in memory, loaded once per test module."""
    app = fresh_app()
    with app.app_context():
        load_demo_data(scale=1, seed=7)
        yield app
        db.session.remove()
