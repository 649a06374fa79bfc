"""Rate limits per sender: every enquiry emails a whole organization."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from catalog_app.enquiries import services
from catalog_app.extensions import db
from catalog_app.models import Enquiry, OutboxMessage


def test_sender_limit_refuses_past_the_budget(app, send, enterprise, create_user):
    app.config["ENQUIRY_LIMIT_PER_SENDER"] = "2 per hour"
    send(body="第一条")
    send(body="第二条")
    with pytest.raises(services.TooManyEnquiries):
        send(body="第三条")
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Enquiry)) == 2
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 2


def test_organization_limit_counts_every_member(app, send, enterprise, create_user):
    app.config["ENQUIRY_LIMIT_PER_ORGANIZATION"] = "2 per hour"
    colleague = create_user(role=enterprise.role, organization=enterprise.organization)
    send(body="第一条")
    send(body="第二条", actor=colleague)
    with pytest.raises(services.TooManyEnquiries):
        send(body="第三条", actor=colleague)


def test_an_empty_setting_switches_the_limit_off(app, send):
    app.config["ENQUIRY_LIMIT_PER_SENDER"] = ""
    app.config["ENQUIRY_LIMIT_PER_ORGANIZATION"] = ""
    for n in range(8):
        send(body=f"询价 {n}")


def test_message_limit_per_author(app, send, supplier):
    app.config["ENQUIRY_MESSAGE_LIMIT_PER_AUTHOR"] = "1 per hour"
    enquiry = send()
    services.post_message(enquiry, "第一条回复", supplier)
    with pytest.raises(services.TooManyEnquiries):
        services.post_message(enquiry, "第二条回复", supplier)
