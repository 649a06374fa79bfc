"""Helpers for the account tests: the emails queued in the outbox, and a registration form."""
from __future__ import annotations

import itertools
import re

import pytest
import sqlalchemy as sa

from catalog_app.extensions import db
from catalog_app.models import OutboxMessage, Region
from catalog_app.credit_code import make_credit_code

_serial = itertools.count(1)
LINK = re.compile(r"http://localhost(/[^\s<>\"]+)")


@pytest.fixture
def outbox(app):
    """Messages queued by `send_email`, oldest first, optionally for one recipient."""

    def messages(recipient: str | None = None) -> list[OutboxMessage]:
        query = sa.select(OutboxMessage).order_by(OutboxMessage.id)
        if recipient:
            query = query.where(OutboxMessage.recipient == recipient)
        return list(db.session.scalars(query))

    return messages


def link_in(message: OutboxMessage) -> str:
    """The path of the first link in a message's text body."""
    match = LINK.search(message.body_text)
    assert match, message.body_text
    return match.group(1)


def new_credit_code() -> str:
    return make_credit_code(f"91440106MA{next(_serial) + 5000:07d}")


@pytest.fixture
def registration(app):
    """A valid registration form; override any field with keyword arguments."""
    region_id = db.session.scalar(sa.select(Region.id).where(Region.code == "440106"))

    def form(**overrides) -> dict:
        n = next(_serial)
        values = {
            "display_name": "李工", "email": f"founder{n}@gdtech.cn",
            "password": "a long passphrase 42", "password_confirm": "a long passphrase 42",
            "organization_name": f"广州智造科技有限公司{n}", "credit_code": new_credit_code(),
            "kind": "supplier", "tier": "sme", "region_id": str(region_id),
            "contact_name": "李工", "contact_phone": "020-8888 6666", "confirm_authority": "y", "accept_terms": "y",
        }
        values.update(overrides)
        if "password" in overrides and "password_confirm" not in overrides:
            values["password_confirm"] = overrides["password"]
        return values

    return form


def field_errors(html: str) -> dict[str, str]:
    """Errors rendered beside fields: {field id: message}."""
    return dict(re.findall(r'<p class="field__error" id="([\w-]+)-error">([^<]*)</p>', html))


def form_alerts(html: str) -> list[str]:
    block = re.search(r'<div class="form-alert" role="alert">(.*?)</div>', html, re.S)
    return re.findall(r"<p>([^<]*)</p>", block.group(1)) if block else []
