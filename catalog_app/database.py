"""Engine tuning per database backend."""
from __future__ import annotations

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from catalog_app.extensions import db


def _tune_sqlite(dbapi_connection, _record) -> None:
    # WAL lets readers proceed while the single writer commits; foreign keys are off by
    # default in SQLite; busy_timeout makes a second writer wait instead of failing.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def init_app(app: Flask) -> None:
    with app.app_context():
        engine: Engine = db.engine
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _tune_sqlite)


def is_sqlite() -> bool:
    return db.engine.dialect.name == "sqlite"
