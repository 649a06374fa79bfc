"""Migrations: empty -> head -> base -> head on both databases, and no drift from the models."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from catalog_app import create_app
from catalog_app.config import PROJECT_ROOT, TestConfig
from catalog_app.extensions import db
from tests.conftest import require_postgres, reset_postgres_schema

MIGRATIONS = str(PROJECT_ROOT / "migrations")


def _app_for(url: str):
    settings = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    return create_app({**settings, "SQLALCHEMY_DATABASE_URI": url})


def _table_names() -> set[str]:
    return set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}


def _drift() -> list:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'migrations.db'}"
    url = require_postgres()
    reset_postgres_schema(url)
    return url


def test_upgrade_downgrade_upgrade(database_url):
    app = _app_for(database_url)
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        tables = _table_names()
        assert {"listings", "demands", "organizations", "scenarios", "regions", "users"} <= tables
        assert tables == set(db.metadata.tables)

        downgrade(directory=MIGRATIONS, revision="base")
        assert _table_names() == set()

        upgrade(directory=MIGRATIONS)
        assert _table_names() == set(db.metadata.tables)
        db.engine.dispose()


def test_models_and_migrations_do_not_drift(database_url):
    app = _app_for(database_url)
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        assert _drift() == []
        db.engine.dispose()


def test_sqlite_runs_in_wal_mode(tmp_path):
    app = _app_for(f"sqlite:///{tmp_path / 'wal.db'}")
    with app.app_context():
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
