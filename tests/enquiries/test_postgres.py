"""The enquiry queries on PostgreSQL: inbox order, unread counts, the report's unique guard,
the median first-reply time, and the pages."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from catalog_app.enquiries import figures, reports, services
from catalog_app.extensions import db
from catalog_app.models import EnquiryReport, OutboxMessage
from tests.conftest import login_as

pytestmark = pytest.mark.postgres


@pytest.fixture
def app(pg_app):
    """Every fixture of this module (users, listings, client) on PostgreSQL."""
    return pg_app


def test_workflow_and_figures_on_postgres(client, app, send, enterprise, supplier):
    app.config["ENQUIRY_FIGURES_MIN_RECEIVED"] = 2
    first, second = send(body="询价一"), send(body="询价二")
    first.created_at -= timedelta(hours=6)
    db.session.commit()
    services.post_message(first, "收到", supplier)
    services.accept_enquiry(second, "", supplier)
    reports.report_enquiry(first, "重复", supplier)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EnquiryReport)) == 1
    summary = services.inbox_summary(enterprise)
    assert (summary.sent, summary.sent_unread) == (2, 2)
    assert [row.enquiry.id for row in services.inbox(supplier, "received")] == [second.id, first.id]
    reply = figures.public_reply_figures(supplier.organization_id)
    assert reply.replied == 2 and reply.median_first_reply > timedelta(hours=2)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 4
    login_as(client, enterprise)
    assert client.get(f"/enquiries/{second.id}").status_code == 200
    assert client.get("/enquiries").status_code == 200
    assert client.get(f"/organizations/{supplier.organization_id}").status_code == 200
