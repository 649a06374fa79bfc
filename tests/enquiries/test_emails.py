"""Enquiry emails go through the outbox: one row per member and event, never twice, never
without the change, and never carrying a contact."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from catalog_app.enquiries import services
from catalog_app.extensions import db
from catalog_app.models import Frequency, OutboxMessage, UserRole
from catalog_app.notifications.preferences import ENQUIRIES, set_frequency
from tests.enquiries.conftest import SUPPLIER_ORG_EMAIL, SUPPLIER_PHONE


def _outbox(kind: str | None = None) -> list[OutboxMessage]:
    statement = sa.select(OutboxMessage).order_by(OutboxMessage.id)
    if kind:
        statement = statement.where(OutboxMessage.kind == kind)
    return list(db.session.scalars(statement))


def test_a_new_enquiry_emails_every_supplier_member_once(send, supplier, supplier_colleague, listing):
    enquiry = send(body="想了解报价", budget=50)
    rows = _outbox("enquiries_received")
    assert sorted(row.recipient for row in rows) == sorted([supplier.email, supplier_colleague.email])
    assert all(listing.title in row.subject for row in rows)
    assert all(f"/enquiries/{enquiry.id}" in row.body_text and "想了解报价" in row.body_text for row in rows)
    # The same event queued again (a retried request, a second worker) adds nothing.
    services.notify_members(supplier.organization_id, "enquiries_received", "again", f"{enquiry.id}",
                            sender_org="x", listing_title="", body="", budget=None, deadline=None, url="u")
    db.session.commit()
    assert len(_outbox("enquiries_received")) == 2
    assert len({row.idempotency_key for row in _outbox()}) == len(_outbox())


def test_refused_enquiry_queues_nothing(send):
    with pytest.raises(services.EnquiryError):
        send(body=" ")
    db.session.rollback()
    assert _outbox() == []


def test_messages_email_the_other_side_only(send, enterprise, supplier, supplier_colleague):
    enquiry = send()
    services.post_message(enquiry, "请问需要几台相机？", supplier)
    rows = _outbox("enquiries_message")
    assert [row.recipient for row in rows] == [enterprise.email]
    services.post_message(enquiry, "每条线两台。", enterprise)
    rows = _outbox("enquiries_message")
    assert sorted(row.recipient for row in rows[1:]) == sorted([supplier.email, supplier_colleague.email])


def test_acceptance_email_carries_no_contact(send, enterprise, supplier):
    enquiry = send()
    services.accept_enquiry(enquiry, "", supplier)
    (row,) = _outbox("enquiries_accepted")
    assert row.recipient == enterprise.email
    for secret in (SUPPLIER_PHONE, SUPPLIER_ORG_EMAIL, supplier.email):
        assert secret not in row.body_text and secret not in row.body_html


def test_members_who_switched_enquiry_mail_off_get_none(send, supplier, supplier_colleague):
    set_frequency(supplier_colleague, ENQUIRIES, Frequency.OFF)
    send()
    assert [row.recipient for row in _outbox("enquiries_received")] == [supplier.email]


def test_enquiry_email_is_rendered_in_the_recipients_language(send, supplier, create_user):
    english = create_user(role=UserRole.SUPPLIER, organization=supplier.organization, locale="en",
                          email="en@vision-supplier.example.com")
    send()
    by_recipient = {row.recipient: row for row in _outbox("enquiries_received")}
    assert by_recipient[english.email].subject.startswith("New enquiry about")
    assert by_recipient[supplier.email].subject.startswith("新询价")


def test_a_double_submission_sends_and_emails_once(send, enterprise, supplier):
    first = send(body="想了解报价")
    assert send(body="想了解报价").id == first.id  # a double click
    assert len(_outbox("enquiries_received")) == 1
    message = services.post_message(first, "请提供产线节拍", supplier)
    assert services.post_message(first, "请提供产线节拍", supplier).id == message.id
    assert len(first.messages) == 1 and len(_outbox("enquiries_message")) == 1
    assert send(body="另一个问题").id != first.id
