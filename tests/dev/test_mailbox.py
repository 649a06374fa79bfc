"""/dev/mailbox: every queued e-mail with its HTML and text, in development only."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from catalog_app.extensions import db
from catalog_app.models import OutboxMessage, OutboxStatus, UserRole
from catalog_app.notifications.outbox import Dispatcher
from catalog_app.email_queue import send_email
from tests.conftest import login_as

PATHS = ("/dev/mailbox", "/dev/mailbox/1", "/dev/mailbox/1/body.html")


def queue_test_email(recipient: str = "newcomer@example.com", note: str = "") -> OutboxMessage:
    row = send_email(recipient, "测试邮件 <b>subject</b>", "outbox_test", "zh", queued_at="now", note=note)
    db.session.commit()
    return row


@pytest.fixture
def mailbox_on(app):
    app.config["DEV_MAILBOX"] = True
    return app


@pytest.mark.parametrize("path", PATHS)
def test_the_mailbox_is_404_unless_development(app, client, path, create_user):
    queue_test_email()
    assert app.config["DEV_MAILBOX"] is False  # TestConfig, like production, leaves it off
    assert client.get(path).status_code == 404
    login_as(client, create_user(role=UserRole.ADMIN))  # not even for an administrator
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("path", PATHS)
def test_the_mailbox_is_404_in_production_whatever_the_flag(app, client, path):
    queue_test_email()
    app.config.update(DEV_MAILBOX=True, IS_PRODUCTION=True)
    assert client.get(path).status_code == 404


def test_the_mailbox_lists_every_email_newest_first(mailbox_on, client):
    first = queue_test_email("a@example.com")
    second = queue_test_email("b@example.com", note="second")
    page = client.get("/dev/mailbox")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.index(f"/dev/mailbox/{second.id}") < html.index(f"/dev/mailbox/{first.id}")
    assert "&lt;b&gt;subject&lt;/b&gt;" in html and "<b>subject</b>" not in html  # escaped
    only_a = client.get("/dev/mailbox?to=A@example.com").get_data(as_text=True)
    assert f"/dev/mailbox/{first.id}\"" in only_a and f"/dev/mailbox/{second.id}\"" not in only_a


def test_a_message_shows_its_text_and_its_html_in_a_sandboxed_frame(mailbox_on, client):
    row = queue_test_email()
    page = client.get(f"/dev/mailbox/{row.id}").get_data(as_text=True)
    assert row.body_text.strip().splitlines()[0] in page
    assert f'src="/dev/mailbox/{row.id}/body.html"' in page and "sandbox=" in page
    body = client.get(f"/dev/mailbox/{row.id}/body.html")
    assert body.status_code == 200 and body.mimetype == "text/html"
    assert body.get_data(as_text=True).endswith(row.body_html)
    assert "default-src 'none'" in body.headers["Content-Security-Policy"]  # no script in a message
    assert body.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert client.get("/dev/mailbox/999999").status_code == 404


def test_delivery_to_the_mailbox_marks_the_message_delivered(mailbox_on, client):
    row_id = queue_test_email().id
    assert "status-badge--pending" in client.get("/dev/mailbox").get_data(as_text=True)
    mailbox_on.config["MAIL_TRANSPORT"] = "mailbox"
    assert Dispatcher().dispatch_due().sent == 1
    assert db.session.scalar(sa.select(OutboxMessage.status).where(OutboxMessage.id == row_id)) is OutboxStatus.SENT
    assert "status-badge--sent" in client.get("/dev/mailbox").get_data(as_text=True)


def test_the_header_links_to_the_mailbox_only_in_development(app, client):
    assert "/dev/mailbox" not in client.get("/login").get_data(as_text=True)
    app.config["DEV_MAILBOX"] = True
    assert "/dev/mailbox" in client.get("/login").get_data(as_text=True)
