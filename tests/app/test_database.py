"""How a request's PostgreSQL transaction ends (catalog_app.database): a read-only one with
COMMIT, so psycopg keeps the statements it prepared; one that wrote, with the usual rollback,
so a request that wrote without committing keeps nothing."""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort

from catalog_app.extensions import db
from catalog_app.models import Organization


def _ends(engine) -> list[str]:
    ends: list[str] = []
    sa.event.listen(engine, "commit", lambda _conn: ends.append("commit"))
    sa.event.listen(engine, "rollback", lambda _conn: ends.append("rollback"))
    return ends


def _prepared_statements() -> int:
    with db.engine.connect() as connection:  # the pool's one idle connection: the requests'
        return connection.execute(sa.text("SELECT count(*) FROM pg_prepared_statements")).scalar_one()


def test_read_only_requests_commit_and_keep_prepared_statements(pg_app):
    db.session.remove()
    client = pg_app.test_client()
    for _ in range(7):  # psycopg prepares a statement on its fifth run
        assert client.get("/organizations/12345").status_code == 404
    db.session.remove()
    assert _prepared_statements() >= 1


def test_a_request_that_wrote_without_committing_keeps_nothing(pg_app):
    @pg_app.get("/test/half-done")
    def half_done():
        db.session.execute(sa.text("UPDATE organizations SET name = :name"), {"name": "x"})  # text DML counts too
        db.session.execute(sa.insert(Organization.__table__).values(name="半途而废", kind="enterprise",
                                                                   credit_code="91440101TEST00001X", tier="chain_leader"))
        abort(400)  # handled: the teardown sees no error, but the transaction wrote

    ends = _ends(db.engine)
    db.session.remove()
    assert pg_app.test_client().get("/test/half-done").status_code == 400
    db.session.remove()
    assert "commit" not in ends
    assert db.session.scalar(sa.select(sa.func.count()).where(Organization.name == "半途而废")) == 0


def test_a_read_only_request_ends_with_commit(pg_app):
    ends = _ends(db.engine)
    db.session.remove()
    assert pg_app.test_client().get("/organizations/12345").status_code == 404
    assert ends == ["commit"]
